"""``geoinc ingest``, ``geoinc incidents list|show|split``, ``geoinc export`` and ``geoinc import``.

Articles go in (files, folders, JSONL), incidents come out of the store (table, details with sources and
merge reasons, ACLED CSV, GeoJSON, GeoPackage); ACLED exports and place-name spreadsheets come in.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, NotFoundError
from ..textio import check_output_path, plural, terminal_safe, terminal_safe_json

if TYPE_CHECKING:
    from ..ingest import ClaimSink
    from ..regions import QuerySpec
    from ..store import IncidentStore

DB_HELP = "incident store (default: $GEOINC_DB, else incidents.sqlite under GEOINC_HOME)"

INGEST_EPILOG = """\
examples:
  geoinc ingest data/articles/
  geoinc ingest story.txt --published 2024-01-29
  geoinc ingest feed.jsonl --db /tmp/incidents.sqlite
  geoinc ingest archive/ --workers 2 --db postgresql://geoinc@dbhost/incidents
  geoinc ingest archive/ --claims claims.jsonl   # also check each new article's distance claims

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
--online). Bad rows are reported by line and skipped: the good rows are stored ("stored N, skipped M") and
the exit code is 0, or 2 when no row is usable; with --strict one bad row stores nothing and exits 2.
Unplaceable rows are kept and flagged.
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
    p.add_argument("--claims", metavar="FILE",
                   help="also check the distance, direction and border claims of each article this run stores "
                        "(on the workers with --workers/--scheduler) and write them to FILE, one JSON object a "
                        "line with its article_id (the fields of 'geoinc check --format json')")
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
    im.add_argument("--strict", action="store_true",
                    help="store nothing and exit 2 when any row is bad (default: store the good rows, exit 0)")
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
    if not must_exist and "://" not in str(db or ""):
        check_output_path(path, "--db")          # the store is written: same rule as every output file
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
    claims_path = check_output_path(args.claims, "--claims") if args.claims is not None else None
    store = _open(args.db)
    try:
        with _claims_writer(claims_path) as sink:
            if parallel:
                from ..ingest_dask import ingest_with
                from ..store import db_target

                summary = ingest_with(store, args.paths, db_target(args.db), workers=args.workers,
                                      scheduler=args.scheduler, published=published, progress=not args.quiet,
                                      claims=sink)
            else:
                summary = ingest_paths(args.paths, store, published=published, progress=not args.quiet,
                                       find_mentions=finder, claims=sink)
    finally:
        store.close()
    for err in summary.errors:
        print(terminal_safe(f"geoinc ingest: skipped: {err}"), file=sys.stderr)
    print(summary.line())
    if summary.errors:
        return 2
    return 0


@contextlib.contextmanager
def _claims_writer(path: Path | None) -> Iterator[ClaimSink | None]:
    """The sink of ``--claims``: each claim a JSON line with its article's id (None without the option). ASCII
    JSON: text quoted from an article cannot break a line ("\u2028" stays escaped)."""
    if path is None:
        yield None
        return
    with path.open("w", encoding="utf-8") as out:
        def write(article_id: str, claims: list[dict]) -> None:
            for claim in claims:
                out.write(json.dumps({"article_id": article_id, **claim}) + "\n")

        yield write


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
        if args.limit is not None and not 0 <= args.limit < 2**63:
            raise InputError(f"bad --limit {args.limit}: expected a whole number 0..{2**63 - 1}")
        incidents = select_incidents(store, _spec(args, args.limit))
    finally:
        store.close()
    if args.json:
        for inc in incidents:
            print(terminal_safe_json(inc.to_dict()))
        return 0
    if not incidents:
        print("no incidents")
        return 0
    print(f"{'ID':<16} {'DATE':<10} {'TYPE / SUB-TYPE':<48} {'LOCATION':<20} {'KILLED':>6} {'INJ':>4} "
          f"{'STATUS':<9} SRC")
    for inc in incidents:
        print(f"{_cell(inc.event_id_cnty, 16)} {_cell(inc.event_date, 10)} {_cell(kind_label(inc), 48)} "
              f"{_cell(inc.location, 20)} {inc.fatalities:>6} {'' if inc.injuries is None else inc.injuries:>4} "
              f"{_cell(inc.status, 9)} {len(inc.sources)}")
    return 0


def kind_label(inc: Any) -> str:
    """'Battles / Armed clash'; one part when the other is missing (imported rows), '-' when both are."""
    return " / ".join(part for part in (inc.event_type, inc.sub_event_type) if part) or "-"


def _cell(value: Any, width: int) -> str:
    """A table cell: terminal-safe, on one line, cut to ``width`` with an ellipsis, padded."""
    text = terminal_safe(value if value is not None else "")
    if len(text) > width:
        text = text[: width - 1] + "…"
    return text.ljust(width)


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
        print(terminal_safe_json(data, indent=2))
        return 0
    for line in _show_lines(inc, reports, articles):
        print(terminal_safe(line))                  # imported data may hold ESC sequences or carriage returns
    return 0


def _show_lines(inc: Any, reports: list, articles: dict) -> Iterator[str]:
    """The lines of ``geoinc incidents show`` (raw; the caller makes them terminal-safe)."""
    yield f"{inc.event_id_cnty}  {kind_label(inc)}"
    when = inc.event_date if inc.date_precision == "day" else \
        f"{inc.event_date} (between {inc.date_start} and {inc.date_end}, {inc.date_precision} precision)"
    yield f"  date:       {when}"
    where = inc.location or "(no location)"
    if inc.latitude is not None:
        where += f"  lat {inc.latitude:.5f}, lon {inc.longitude:.5f}"
    yield (f"  location:   {where}  [{inc.country}; geo_precision {inc.geo_precision}"
           + (f"; {inc.place_id}" if inc.place_id else "") + "]")
    yield (f"  actors:     {inc.actor1 or '-'} -> {inc.actor2 or '-'}"
           + (f"  (associated: {inc.assoc_actor_1})" if inc.assoc_actor_1 else "")
           + (f"  (claimed by {inc.claimant})" if inc.claimant else ""))
    toll = f"{inc.fatalities_best if inc.fatalities_best is not None else 'not stated'}"
    if inc.fatalities_low is not None and inc.fatalities_high is not None and inc.fatalities_low != inc.fatalities_high:
        toll += f" (range {inc.fatalities_low}-{inc.fatalities_high})"
    yield f"  killed:     {toll}"
    yield f"  injured:    {inc.injuries if inc.injuries is not None else 'not stated'}"
    yield f"  status:     {inc.status}"
    if inc.flags:
        yield f"  flags:      {inc.flags}"
    if inc.tags:
        yield f"  tags:       {inc.tags}"
    yield f"  notes:      {inc.notes}"
    yield f"  sources ({len(inc.sources)}):"
    for s in inc.sources:
        meta = ", ".join(x for x in (s.published, s.title, s.url) if x)
        path = (articles.get(s.article) or {}).get("path")
        yield (f"    - article {s.article}" + (f" ({meta})" if meta else "") + (f" {path}" if path else ""))
        if s.quote:
            span = f" [chars {s.start}-{s.end}]" if s.start is not None else ""
            yield f"      \"{' '.join(s.quote.split())}\"{span}"
    if reports:
        yield "  why these sources are one incident:"
        for r in reports:
            yield f"    - {r.article_id}: {r.reason}"
        if len(reports) > 1:
            yield f"  undo a merge: geoinc incidents split {inc.event_id_cnty} --source ARTICLE"


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
    from ..textio import check_output_path, write_output

    check_output_path(args.output, "-o")
    store = _open(args.db, must_exist=True)
    try:
        frame = store.select(_spec(args)).frame
        n = write_output(args.output, "-o", lambda path: write(frame, path, args.format))
    finally:
        store.close()
    print(f"wrote {plural(n, 'incident')} to {args.output} ({args.format})")
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Good rows are stored and bad ones reported by line (exit 0); --strict: any bad row stores nothing (exit 2).
    A file with no usable row at all is an InputError from read_import (exit 2)."""
    from ..acled import read_import, store_import

    result = read_import(args.file, fmt=args.format, columns=args.columns, online=args.online)
    for p in result.problems:
        print(terminal_safe(f"geoinc import: {args.file}: {p}"), file=sys.stderr)
    read = f"{plural(result.rows, 'row')} read ({result.format})"
    skipped = len(result.rejected)
    if args.dry_run or (args.strict and skipped):
        why = "--dry-run" if args.dry_run else f"--strict and {plural(skipped, 'bad row')}"
        print(f"{read}: {len(result.incidents)} valid ({len(result.flagged)} flagged), {skipped} skipped; "
              f"nothing stored ({why})")
        return 2 if args.strict and skipped else 0
    store = _open(args.db)
    try:
        store_import(result, store)
    finally:
        store.close()
    print(f"{read}: stored {result.stored}, skipped {skipped}"
          + (" (bad rows, listed above)" if skipped else "")
          + f"; {result.already} already in the store, {len(result.flagged)} flagged")
    return 0
