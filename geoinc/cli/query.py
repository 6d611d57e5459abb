"""``geoinc query``: incidents in a region (country, admin1, bbox, radius, polygon) and time window, as a
table, CSV, GeoJSON or ACLED CSV, optionally drawn on a map."""
from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..errors import InputError, NotFoundError

if TYPE_CHECKING:
    from ..regions import QuerySpec
    from ..store import IncidentStore

EPILOG = """\
examples:
  geoinc query --country SY --since 2024-01-01 --within "50 km of Tower 22"
  geoinc query --bbox=38,32,42,37 --type "Explosions/Remote violence" --format geojson
  geoinc query --polygon area.geojson --actor "islamic resistance" --format acled-csv -o maps/out.csv
  geoinc query --admin1 "Deir ez-Zor" --since 2023-10-01 --map maps/deir.html

A bbox starting with a minus sign needs '=': --bbox=-10,30,5,40. minlon > maxlon crosses 180 degrees.
Several regions are combined with AND; points exactly on a boundary are inside.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "query", help="incidents in a region and time window",
        description=__doc__, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_query_options(p)
    out = p.add_argument_group("output")
    out.add_argument("--format", default="table", choices=("table", "csv", "geojson", "acled-csv"),
                     help="output format (default: table)")
    out.add_argument("-o", "--output", metavar="FILE", help="write the result here instead of standard output")
    out.add_argument("--map", metavar="FILE", help="also draw the result as an HTML map in FILE")
    out.add_argument("--offline", action="store_true",
                     help="with --map: open on the vector basemap, no tiles (the map is self-contained either way)")
    out.add_argument("--cdn", action="store_true",
                     help="with --map: link Leaflet and the plugins from their CDNs instead of inlining them")
    p.add_argument("--db", metavar="PATH", help="incident store (default: $GEOINC_DB or GEOINC_HOME/incidents.sqlite)")
    p.set_defaults(handler=run)


def add_query_options(p: argparse.ArgumentParser) -> None:
    """The region and filter options of a query, shared by ``geoinc query`` and ``geoinc map``."""
    region = p.add_argument_group("region (several are AND-ed)")
    region.add_argument("--country", help="country by ISO2, ISO3 or name (Natural Earth polygon)")
    region.add_argument("--admin1", help="first-level admin area by name or GeoNames code (matches the incident's admin1)")
    region.add_argument("--bbox", help="minlon,minlat,maxlon,maxlat (use --bbox=... when it starts with '-')")
    region.add_argument("--within", metavar="PHRASE", help="radius phrase: '50 km of Tower 22' or '10 km of 33.31,38.70' (lat,lon)")
    region.add_argument("--near", metavar="PLACE", help="a place name; with --radius-km")
    region.add_argument("--lat", type=float, help="centre latitude; with --lon and --radius-km")
    region.add_argument("--lon", type=float, help="centre longitude")
    region.add_argument("--radius-km", type=float, help="radius in km (geodesic)")
    region.add_argument("--polygon", metavar="FILE|WKT|GEOJSON", help="a polygon: a GeoJSON or WKT file, or inline text")
    filt = p.add_argument_group("filters")
    filt.add_argument("--since", metavar="YYYY-MM-DD", help="first event date (inclusive)")
    filt.add_argument("--until", metavar="YYYY-MM-DD", help="last event date (inclusive)")
    filt.add_argument("--type", dest="event_type", action="append", metavar="EVENT_TYPE",
                      help="ACLED event type (repeatable; case-insensitive)")
    filt.add_argument("--sub-type", dest="sub_event_type", action="append", metavar="SUB_EVENT_TYPE",
                      help="ACLED sub-event type (repeatable)")
    filt.add_argument("--actor", help="substring of actor1/actor2/associated actors (case- and accent-insensitive)")
    filt.add_argument("--status", action="append", help="reported, claimed, confirmed or denied (repeatable)")
    filt.add_argument("--min-fatalities", type=int, metavar="N", help="at least N fatalities")
    filt.add_argument("--limit", type=int, metavar="N", help="at most N incidents (earliest first)")


def spec_from_args(args: argparse.Namespace, **regions: str) -> "QuerySpec":
    """The validated query these options describe (``regions``: extra region keywords, e.g. from --region)."""
    from ..regions import build_spec

    if args.limit is not None and args.limit < 0:
        raise InputError(f"bad --limit {args.limit}: expected a whole number >= 0")
    given = {"country": args.country, "admin1": args.admin1, "bbox": args.bbox, "within": args.within,
             "near": args.near, "polygon": args.polygon}
    for key, value in regions.items():
        if given.get(key):
            raise InputError(f"--region already gives a {key}; drop --{key} or --region")
        given[key] = value
    return build_spec(
        **given, lat=args.lat, lon=args.lon, radius_km=args.radius_km, since=args.since,
        until=args.until, event_type=args.event_type, sub_event_type=args.sub_event_type, actor=args.actor,
        status=args.status, min_fatalities=args.min_fatalities, limit=args.limit, allow_file=True)


def open_store_readonly(db: str | None) -> "IncidentStore":
    """The incident store for reading; NotFoundError when there is none yet."""
    from .. import config
    from ..store import db_target, is_url, open_store

    if is_url(db_target(db)):
        return open_store(db_target(db), readonly=True)
    path = config.db_path(db)
    if not path.exists():
        raise NotFoundError(f"{path}: no incident store here; run geoinc ingest first or give --db")
    return open_store(path, readonly=True)


def run(args: argparse.Namespace) -> int:
    from ..formats import map_page, render
    from ..textio import check_output_path, plural, write_text_output

    spec = spec_from_args(args)
    for value, flag in ((args.output, "-o"), (args.map, "--map")):
        if value is not None:
            check_output_path(value, flag)          # refused before the query runs
    store = open_store_readonly(args.db)
    try:
        frame = store.select(spec).frame
    finally:
        store.close()
    text = render(frame, args.format)
    if args.output:
        write_text_output(args.output, text, "-o")
        print(f"{plural(len(frame), 'incident')} -> {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    if args.map:
        if args.cdn and args.offline:
            raise InputError("--cdn links assets from the network and --offline opens with none: choose one")
        html = map_page(frame, spec, offline=args.offline, cdn=args.cdn)
        write_text_output(args.map, html, "--map")
        print(f"map -> {args.map}", file=sys.stderr)
    return 0

