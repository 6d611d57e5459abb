"""``geoinc map``: draw the stored incidents (a region, a time window, some event types) as a layered
HTML map, an offline single file, an embeddable fragment and/or a PNG snapshot."""
from __future__ import annotations

import argparse
import re
import sys
from typing import Any

from ..errors import InputError
from .query import add_query_options, open_store_readonly, spec_from_args

EPILOG = """\
examples:
  geoinc map -o maps/all.html
  geoinc map --region Syria --since 2024-01-01 --until 2024-03-31 --type Battles -o maps/syria.html
  geoinc map --region "60 km of Tower 22" --zone "Al-Tanf:55" --offline -o maps/tower22.html
  geoinc map --region 38,32,42,37 --png maps/east.png
  geoinc map --country SY --embed -o maps/fragment.html
  geoinc map --country SY --cdn -o maps/syria-small.html

Every HTML file written is self-contained (Leaflet, plugins and geoinc's code inlined, ~0.4 MB more):
it opens with no network, on the vector basemap when the tile servers cannot be reached. --cdn links
the assets from their CDNs instead.

--region takes a country (ISO2/ISO3/name), a bbox minlon,minlat,maxlon,maxlat (use --region=-10,...
when it starts with '-') or a radius phrase "50 km of PLACE" / "50 km of LAT,LON".
--zone draws a geodesic circle: NAME:KM (NAME from the gazetteer) or LAT,LON:KM, e.g. "Al-Tanf:55".
"""

_BBOX = re.compile(r"^\s*-?\d+(\.\d+)?\s*(,\s*-?\d+(\.\d+)?\s*){3}$")
_WITHIN = re.compile(r"^\s*\d+(\.\d+)?\s*(km|kilometers|kilometres|mi|miles)?\s+(of|around|from)\s+\S", re.I)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "map", help="draw stored incidents as a layered HTML map (offline, embed, PNG)",
        description=__doc__, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    region = p.add_argument_group("what to draw")
    region.add_argument("--region", help="country, bbox or '50 km of PLACE' (see below)")
    add_query_options(p)
    region.add_argument("--mentions", action="store_true",
                        help="also draw the places mentioned by the articles behind these incidents")
    look = p.add_argument_group("map")
    look.add_argument("--zone", action="append", default=[], metavar="NAME:KM",
                      help="geodesic circle around a place, e.g. 'Al-Tanf:55' or '33.5,38.6:55' (repeatable)")
    look.add_argument("--title", help="title shown on the map")
    look.add_argument("--no-tiles", action="store_true", help="only the vector basemap (no tile servers)")
    look.add_argument("--no-heat", action="store_true", help="leave out the heat layer")
    look.add_argument("--aggregate", choices=("auto", "yes", "no"), default="auto",
                      help="bin incidents into cells (auto: above 250,000 incidents)")
    out = p.add_argument_group("output")
    out.add_argument("-o", "--output", metavar="FILE", help="HTML file to write (e.g. maps/NAME.html)")
    add_asset_options(out)
    out.add_argument("--embed", action="store_true",
                     help="write an HTML fragment (sandboxed <iframe srcdoc>) to paste into a report")
    out.add_argument("--png", metavar="FILE", help="also write a PNG snapshot (headless Chromium, vector basemap)")
    out.add_argument("--width", type=int, default=1280, help="PNG width in pixels (default 1280)")
    out.add_argument("--height", type=int, default=800, help="PNG height in pixels (default 800)")
    p.add_argument("--db", metavar="PATH", help="incident store (default: $GEOINC_DB or GEOINC_HOME/incidents.sqlite)")
    p.set_defaults(handler=run)


def add_asset_options(group: Any) -> None:
    """--offline and --cdn: every written map is self-contained unless --cdn says otherwise."""
    group.add_argument("--offline", action="store_true",
                       help="open on the vector basemap and never ask a tile server (the file is self-contained "
                            "either way)")
    group.add_argument("--cdn", action="store_true",
                       help="link Leaflet and the plugins from their CDNs instead of inlining them "
                            "(a smaller file that needs the network)")


def check_asset_options(args: argparse.Namespace) -> None:
    if getattr(args, "cdn", False) and getattr(args, "offline", False):
        raise InputError("--cdn links assets from the network and --offline opens with none: choose one")


def region_args(region: str | None) -> dict[str, str]:
    """--region text -> the regions.build_spec keyword it stands for (country, bbox or within)."""
    if not region or not region.strip():
        return {}
    if _BBOX.match(region):
        return {"bbox": region}
    if _WITHIN.match(region):
        return {"within": region}
    return {"country": region}


def parse_zone(text: str) -> Any:
    """'Al-Tanf:55' or '33.50583,38.61778:55' -> Zone (the place name resolved in the gazetteer)."""
    from ..maps.payload import Zone

    where, sep, km = text.rpartition(":")
    if not sep or not where.strip():
        raise InputError(f"bad --zone {text!r}: expected NAME:KM or LAT,LON:KM, e.g. 'Al-Tanf:55'")
    try:
        radius = float(km)
    except ValueError as err:
        raise InputError(f"bad --zone radius {km!r}: expected a number of km, e.g. 'Al-Tanf:55'") from err
    coords = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*", where)
    if coords:
        lat, lon = float(coords.group(1)), float(coords.group(2))
        return Zone(f"{lat:g},{lon:g}", lat, lon, radius)
    from ..regions import resolve_place

    lat, lon, name = resolve_place(where.strip())
    return Zone(name, lat, lon, radius)


def write_outputs(m: Any, args: argparse.Namespace, *, build_png_map: Any = None) -> list[str]:
    """Write the HTML (page, offline page or fragment) and the PNG the arguments ask for; the paths written."""
    from ..maps.render import embed_html, map_html, snapshot_png
    from ..textio import write_bytes_output, write_text_output

    written = []
    if args.output:
        cdn = bool(getattr(args, "cdn", False))
        text = embed_html(m, cdn=cdn) if args.embed else map_html(m, cdn=cdn)
        written.append(str(write_text_output(args.output, text, "-o")))
    if args.png:
        if args.width < 200 or args.height < 200 or args.width > 8000 or args.height > 8000:
            raise InputError("--width and --height must be between 200 and 8000 pixels")
        png_map = build_png_map() if build_png_map is not None else m
        data = snapshot_png(png_map, width=args.width, height=args.height)
        written.append(str(write_bytes_output(args.png, data, "--png")))
    return written


def _article_ids(frame: Any) -> set[str]:
    """Ids of the articles cited as sources by the incidents of a query result."""
    from ..maps.payload import sources_of

    ids: set[str] = set()
    for record in frame.to_dict("records") if len(frame) else []:
        for src in sources_of(record):
            article = src.get("article") if isinstance(src, dict) else getattr(src, "article", None)
            if article:
                ids.add(str(article))
    return ids


def run(args: argparse.Namespace) -> int:
    from ..maps.render import build_map
    from ..regions import run as run_query

    if not args.output and not args.png:
        raise InputError("say where to write the map: -o maps/NAME.html and/or --png FILE")
    if args.embed and not args.output:
        raise InputError("--embed writes an HTML fragment: give -o FILE")
    check_asset_options(args)
    spec = spec_from_args(args, **region_args(args.region))
    from ..textio import check_output_path, plural

    for value, flag in ((args.output, "-o"), (args.png, "--png")):
        if value is not None:
            check_output_path(value, flag)          # refused before the query runs; folders are never created
    zones = [parse_zone(z) for z in args.zone]
    store = open_store_readonly(args.db)
    try:
        frame = run_query(spec, store)
        mentions = []
        if args.mentions:
            # the places of the articles that reported the incidents drawn
            for article_id in sorted(_article_ids(frame) & store.article_ids()):
                mentions.extend(store.mentions(article_id))
    finally:
        store.close()
    aggregate = {"auto": None, "yes": True, "no": False}[args.aggregate]

    def make(offline: bool) -> Any:
        return build_map(frame, mentions, zones=zones, title=args.title, offline=offline,
                         tiles=not args.no_tiles, heat=not args.no_heat, aggregate=aggregate)

    m = make(args.offline)
    written = write_outputs(m, args, build_png_map=(lambda: make(True)) if not args.offline else None)
    s = m.geoinc_summary
    print(f"{plural(s['incidents'], 'incident')} ({plural(len(s['event_types']), 'event type')}), "
          f"{plural(s['mentions'], 'place')}"
          f"{', binned' if s['aggregated'] else ''} -> {', '.join(written)}", file=sys.stderr)
    if s["skipped_incidents"]:
        print(f"note: {s['skipped_incidents']} incidents have no coordinates and are not drawn", file=sys.stderr)
    return 0
