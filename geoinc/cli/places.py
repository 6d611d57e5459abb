"""``geoinc places FILE|-``: the place mentions of one article, as a table, JSON, GeoJSON or CSV."""
from __future__ import annotations

import argparse
import io
import sys
from datetime import date
from typing import Any

from ..errors import InputError
from ..textio import FormulaSafeWriter, terminal_safe, terminal_safe_json

FIELDS = ("start", "end", "text", "name", "lat", "lon", "country_code", "kind", "source", "confidence",
          "precision", "metonym", "place_id", "reason")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "places", help="find and resolve the place names of an article",
        description="Find every place mention in a text and resolve it offline from the local gazetteer "
                    "(metonyms such as 'Washington said' are flagged).")
    p.add_argument("file", metavar="FILE", help="a UTF-8 text file, or - for standard input")
    p.add_argument("--format", choices=("table", "json", "geojson", "csv"), default="table")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="publication date of the article")
    p.add_argument("--online", action="store_true",
                   help="ask the configured geocoder for names the gazetteer cannot resolve (GEOINC_OFFLINE=1 wins)")
    p.add_argument("--no-metonyms", action="store_true", help="leave out mentions flagged as metonyms")
    from .geocode import add_geocoder_options

    add_geocoder_options(p, online_flag=False)      # --geocoder, --domain, --user-agent, ... (docs/geocoding.md)
    p.set_defaults(handler=run)


def _published(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as err:
        raise InputError(f"--published {value!r} is not a date like 2024-01-29") from err


def run(args: argparse.Namespace) -> int:
    from ..geoparser.resolve import geoparse
    from ..textio import read_text_input

    published = _published(args.published)
    text = read_text_input(args.file)
    from .geocode import fallback_from_args

    fallback = fallback_from_args(args)             # None unless --online (or online = true in config.toml)
    mentions = geoparse(text, published=published, offline=fallback is None, fallback=fallback)
    if args.no_metonyms:
        mentions = [m for m in mentions if not m.metonym]
    rows = [m.to_dict() for m in mentions]
    out = sys.stdout
    if args.format == "json":
        out.write(terminal_safe_json(rows, indent=2))
        out.write("\n")
    elif args.format == "geojson":
        out.write(terminal_safe_json(to_geojson(rows)))
        out.write("\n")
    elif args.format == "csv":
        out.write(to_csv(rows))
    else:
        out.write(terminal_safe(to_table(rows), keep_newlines=True))
    return 0


def to_geojson(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Resolved mentions as a GeoJSON FeatureCollection (coordinates in [lon, lat] order, as GeoJSON wants)."""
    feats = []
    for r in rows:
        if r["lat"] is None or r["lon"] is None:
            continue
        props = {k: v for k, v in r.items() if k not in ("lat", "lon")}
        feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                      "properties": props})
    return {"type": "FeatureCollection", "features": feats}


def to_csv(rows: list[dict[str, Any]]) -> str:
    """Mentions as CSV; cells that look like spreadsheet formulas get a leading ' (see docs/api.md)."""
    buf = io.StringIO()
    w = FormulaSafeWriter(buf, lineterminator="\n")
    w.writerow(FIELDS)
    for r in rows:
        w.writerow(["" if r.get(k) is None else r.get(k) for k in FIELDS])
    return buf.getvalue()


def to_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no place mentions found\n"
    header = ("span", "text", "place", "cc", "kind", "lat", "lon", "conf", "prec", "note")
    table = []
    for r in rows:
        note = "metonym" if r["metonym"] else ""
        if r["lat"] is None:
            note = (note + " " if note else "") + (r.get("reason") or "unresolved")
        table.append((f"{r['start']}-{r['end']}", " ".join(r["text"].split()), r["name"] or "-", r["country_code"] or "",
                      r["kind"] or "", "" if r["lat"] is None else f"{r['lat']:.4f}",
                      "" if r["lon"] is None else f"{r['lon']:.4f}", f"{r['confidence']:.2f}", str(r["precision"]), note))
    widths = [max(len(row[i]) for row in (header, *table)) for i in range(len(header))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in (header, *table)]
    return "\n".join(lines) + "\n"
