"""``geoinc ingest``, ``geoinc incidents list|show|split``, ``geoinc export`` and ``geoinc import``.

Articles go in (files, folders, JSONL), incidents come out of the store (table, details with sources and
merge reasons, ACLED CSV, GeoJSON, GeoPackage); ACLED exports and place-name spreadsheets come in.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from typing import TYPE_CHECKING

from ..errors import InputError, NotFoundError

if TYPE_CHECKING:
    from ..regions import QuerySpec
    from ..store import IncidentStore

DB_HELP = "incident store (default: $GEOINC_DB, else incidents.sqlite under GEOINC_HOME)"

INGEST_EPILOG = """\
examples:
  geoinc ingest data/articles/
  geoinc ingest story.txt --published 2024-01-29
  geoinc ingest feed.jsonl --db /tmp/incidents.sqlite
  geoinc ingest archive/ --workers 2 --db postgresql://geoinc@dbhost/incidents

An article's date comes from a first line 'date YYYY-MM-DD', front matter, the JSONL field "published",
or --published (which wins). Ingesting the same article again adds nothing; an interrupted run resumes.
"""

IMPORT_EPILOG = """\
examples:
  geoinc import acled_export.csv
  geoinc import incidents.geojson
  geoinc import sheet.csv --columns location=Place,event_date=Date,fatalities=Killed
  geoinc import sheet.csv --dry-run          # validate and report only

ACLED CSV needs the 31 ACLED columns. Other CSVs need a date column and a location column (a place name
such as "near Abu Kamal"); each location is resolved through the gazetteer (and the online geocoder with
--online). Bad rows are reported by line and skipped; unplaceable rows are kept and flagged.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("ingest", help="read articles, extract incidents, store them",
                              description="Read articles (files, folders, JSONL), find places and incidents, "
                                          "merge reports of the same incident, store everything.",
                              epilog=INGEST_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="+", metavar="PATH", help="article file, folder or JSONL file")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="publication date for every article (overrides theirs)")
    p.add_argument("--db", metavar="PATH", help=DB_HELP)
    p.add_argument("--online", action="store_true",
                   help="ask the configured online geocoder for places the gazetteer cannot resolve")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--workers", type=int, metavar="N",
                   help="run the pure steps on a local Dask cluster of N worker processes (docs/scaling.md)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run the pure steps on an existing Dask cluster, e.g. tcp://host:8786 (docs/scaling.md)")
    from .geocode import add_geocoder_options

    add_geocoder_options(p, online_flag=False)      # --geocoder, --domain, --user-agent, ... (docs/geocoding.md)
    p.set_defaults(handler=run_ingest)

    inc = subparsers.add_parser("incidents", help="list, show or split stored incidents",
                                description="Stored incidents: list them, show one with its sources and why "
                                            "they were merged, or split a source back out.")
    sub = inc.add_subparsers(dest="incidents_command", metavar="ACTION")
    ls = sub.add_parser("list", help="a table of incidents (earliest first)")
    ls.add_argument("--since", metavar="YYYY-MM-DD")
    ls.add_argument("--until", metavar="YYYY-MM-DD")
    ls.add_argument("--type", dest="event_type", action="append", metavar="EVENT_TYPE")
    ls.add_argument("--status", action="append", choices=("reported", "claimed", "confirmed", "denied"))
    ls.add_argument("--bbox", help="minlon,minlat,maxlon,maxlat (use --bbox=... when it starts with '-')")
    ls.add_argument("--limit", type=int, default=None, metavar="N")
    ls.add_argument("--json", action="store_true", help="one JSON object per line")
    ls.add_argument("--db", metavar="PATH", help=DB_HELP)
    ls.set_defaults(handler=run_list)
    sh = sub.add_parser("show", help="one incident: fields, sources with quotes, merge reasons")
    sh.add_argument("id", metavar="ID", help="incident id (a unique prefix is enough)")
    sh.add_argument("--json", action="store_true")
    sh.add_argument("--db", metavar="PATH", help=DB_HELP)
    sh.set_defaults(handler=run_show)
    sp = sub.add_parser("split", help="undo a merge: move one article's report out into its own incident")
    sp.add_argument("id", metavar="ID")
    sp.add_argument("--source", required=True, metavar="ARTICLE", help="article id (a unique prefix is enough)")
    sp.add_argument("--db", metavar="PATH", help=DB_HELP)
    sp.set_defaults(handler=run_split)
    inc.set_defaults(handler=lambda args: (inc.print_help(sys.stderr), 2)[1])

    ex = subparsers.add_parser("export", help="write stored incidents as ACLED CSV, GeoJSON or GeoPackage")
    ex.add_argument("--format", required=True, choices=("acled-csv", "geojson", "gpkg"))
    ex.add_argument("-o", "--output", required=True, metavar="FILE")
    ex.add_argument("--since", metavar="YYYY-MM-DD")
    ex.add_argument("--until", metavar="YYYY-MM-DD")
    ex.add_argument("--db", metavar="PATH", help=DB_HELP)
    ex.set_defaults(handler=run_export)

    im = subparsers.add_parser("import", help="import ACLED CSV, GeoJSON or a place-name spreadsheet",
                               description="Import incidents; every row is validated.", epilog=IMPORT_EPILOG,
                               formatter_class=argparse.RawDescriptionHelpFormatter)
    im.add_argument("file", metavar="FILE")
    im.add_argument("--format", default="auto", choices=("auto", "acled-csv", "csv", "geojson"))
    im.add_argument("--columns", metavar="FIELD=COLUMN,...", help="map fields to your headers, e.g. location=Place")
    im.add_argument("--online", action="store_true", help="ask the configured geocoder for places the gazetteer lacks")
    im.add_argument("--dry-run", action="store_true", help="validate and report; store nothing")
    im.add_argument("--db", metavar="PATH", help=DB_HELP)
    im.set_defaults(handler=run_import)


def _date_arg(value: str | None, flag: str) -> str | None:
    if value is None:
        return None
    from ..articles import check_date

    return check_date(value, flag)


def _open(db: str | None, *, must_exist: bool = False) -> "IncidentStore":
    from .. import config
    from ..store import db_target, is_url, open_store

    if is_url(db_target(db)):
        return open_store(db_target(db), readonly=False)
    path = config.db_path(db)
    if must_exist and not path.exists():
        raise NotFoundError(f"{path}: no incident store here; run geoinc ingest (or import) first, or give --db")
    return open_store(path)


def run_ingest(args: argparse.Namespace) -> int:
    from ..ingest import ingest_paths

    published = _date_arg(args.published, "--published")
    for p in args.paths:
        if not Path(p).exists():
            raise NotFoundError(f"{p}: no such file or folder")
    parallel = args.workers is not None or args.scheduler is not None
    if args.workers is not None and not 1 <= args.workers <= 256:
        raise InputError(f"bad --workers {args.workers}: expected 1..256")
    finder = None
    from .geocode import fallback_from_args

    fallback = fallback_from_args(args)             # None unless --online (or online = true in config.toml)
    if fallback is not None:
        if parallel:
            raise InputError("--online cannot be combined with --workers/--scheduler yet; ingest without them")
        from ..geoparser.resolve import geoparse

        def finder(text: str):
            return geoparse(text, offline=False, fallback=fallback)
    store = _open(args.db)
    try:
        if parallel:
            from ..ingest_dask import ingest_with
            from ..store import db_target

            summary = ingest_with(store, args.paths, db_target(args.db), workers=args.workers,
                                  scheduler=args.scheduler, published=published, progress=not args.quiet)
        else:
            summary = ingest_paths(args.paths, store, published=published, progress=not args.quiet,
                                   find_mentions=finder)
    finally:
        store.close()
    for err in summary.errors:
        print(f"geoinc ingest: skipped: {err}", file=sys.stderr)
    print(summary.line())
    if summary.errors:
        return 2
    return 0


def _spec(args: argparse.Namespace, limit: int | None = None) -> "QuerySpec":
    """The query of ``incidents list`` / ``export`` (dates, types, statuses, bbox): the same spec and the same
    engine as ``geoinc query`` and the API, so a filter means the same thing everywhere."""
    from ..regions import build_spec

    return build_spec(since=_date_arg(getattr(args, "since", None), "--since"),
                      until=_date_arg(getattr(args, "until", None), "--until"),
                      event_type=getattr(args, "event_type", None), status=getattr(args, "status", None),
                      bbox=getattr(args, "bbox", None) or None, limit=limit)


def run_list(args: argparse.Namespace) -> int:
    from ..store import select_incidents

    store = _open(args.db, must_exist=True)
    try:
        if args.limit is not None and args.limit < 0:
            raise InputError(f"bad --limit {args.limit}: expected a whole number >= 0")
        incidents = select_incidents(store, _spec(args, args.limit))
    finally:
        store.close()
    if args.json:
        for inc in incidents:
            print(json.dumps(inc.to_dict(), ensure_ascii=False))
        return 0
    if not incidents:
        print("no incidents")
        return 0
    print(f"{'ID':<16} {'DATE':<10} {'TYPE / SUB-TYPE':<48} {'LOCATION':<20} {'KILLED':>6} {'INJ':>4} "
          f"{'STATUS':<9} SRC")
    for inc in incidents:
        kind = f"{inc.event_type} / {inc.sub_event_type}"
        print(f"{inc.event_id_cnty:<16} {inc.event_date:<10} {kind[:48]:<48} {inc.location[:20]:<20} "
              f"{inc.fatalities:>6} {'' if inc.injuries is None else inc.injuries:>4} {inc.status:<9} "
              f"{len(inc.sources)}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    store = _open(args.db, must_exist=True)
    try:
        inc = store.find(args.id)
        reports = store.reports(inc.event_id_cnty)
        articles = {r.article_id: store.article(r.article_id) for r in reports}
    finally:
        store.close()
    if args.json:
        data = inc.to_dict()
        data["reports"] = [{"article": r.article_id, "reason": r.reason,
                            "path": (articles.get(r.article_id) or {}).get("path")} for r in reports]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"{inc.event_id_cnty}  {inc.event_type} / {inc.sub_event_type}")
    when = inc.event_date if inc.date_precision == "day" else \
        f"{inc.event_date} (between {inc.date_start} and {inc.date_end}, {inc.date_precision} precision)"
    print(f"  date:       {when}")
    where = inc.location or "(no location)"
    if inc.latitude is not None:
        where += f"  lat {inc.latitude:.5f}, lon {inc.longitude:.5f}"
    print(f"  location:   {where}  [{inc.country}; geo_precision {inc.geo_precision}"
          + (f"; {inc.place_id}" if inc.place_id else "") + "]")
    print(f"  actors:     {inc.actor1 or '-'} -> {inc.actor2 or '-'}"
          + (f"  (associated: {inc.assoc_actor_1})" if inc.assoc_actor_1 else "")
          + (f"  (claimed by {inc.claimant})" if inc.claimant else ""))
    toll = f"{inc.fatalities_best if inc.fatalities_best is not None else 'not stated'}"
    if inc.fatalities_low is not None and inc.fatalities_high is not None and inc.fatalities_low != inc.fatalities_high:
        toll += f" (range {inc.fatalities_low}-{inc.fatalities_high})"
    print(f"  killed:     {toll}")
    print(f"  injured:    {inc.injuries if inc.injuries is not None else 'not stated'}")
    print(f"  status:     {inc.status}")
    if inc.flags:
        print(f"  flags:      {inc.flags}")
    if inc.tags:
        print(f"  tags:       {inc.tags}")
    print(f"  notes:      {inc.notes}")
    print(f"  sources ({len(inc.sources)}):")
    for s in inc.sources:
        meta = ", ".join(x for x in (s.published, s.title, s.url) if x)
        path = (articles.get(s.article) or {}).get("path")
        print(f"    - article {s.article}" + (f" ({meta})" if meta else "") + (f" {path}" if path else ""))
        if s.quote:
            span = f" [chars {s.start}-{s.end}]" if s.start is not None else ""
            print(f"      \"{s.quote}\"{span}")
    if reports:
        print("  why these sources are one incident:")
        for r in reports:
            print(f"    - {r.article_id}: {r.reason}")
        if len(reports) > 1:
            print(f"  undo a merge: geoinc incidents split {inc.event_id_cnty} --source ARTICLE")
    return 0


def run_split(args: argparse.Namespace) -> int:
    store = _open(args.db, must_exist=True)
    try:
        inc = store.find(args.id)
        new = store.split(inc.event_id_cnty, args.source)
    finally:
        store.close()
    print(f"split {inc.event_id_cnty}: the report from article {args.source} is now incident {new.event_id_cnty}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from ..formats import write

    store = _open(args.db, must_exist=True)
    out = Path(args.output)
    if out.parent and not out.parent.exists():
        raise NotFoundError(f"{out.parent}: no such folder for -o")
    try:
        n = write(store.select(_spec(args)).frame, out, args.format)
    finally:
        store.close()
    print(f"wrote {n} incidents to {out} ({args.format})")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from ..acled import read_import, store_import

    result = read_import(args.file, fmt=args.format, columns=args.columns, online=args.online)
    for p in result.problems:
        print(f"geoinc import: {args.file}: {p}", file=sys.stderr)
    if args.dry_run:
        print(f"{result.rows} rows read ({result.format}): {len(result.incidents)} valid "
              f"({len(result.flagged)} flagged), {len(result.rejected)} rejected; nothing stored (--dry-run)")
        return 2 if result.rejected else 0
    store = _open(args.db)
    try:
        store_import(result, store)
    finally:
        store.close()
    print(f"{result.rows} rows read ({result.format}): {result.stored} incidents stored, "
          f"{result.already} already in the store, {len(result.flagged)} flagged, "
          f"{len(result.rejected)} rejected")
    return 2 if result.rejected else 0
