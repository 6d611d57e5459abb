"""``geoinc report``: one self-contained HTML page (and a PDF) of what happened in a region and period:
headline figures against the previous period, the map, a timeline, the top areas, every incident with its
sources, and the distance claims of the period's articles checked."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import InputError
from .query import add_query_options, open_store_readonly, spec_from_args

EPILOG = """\
examples:
  geoinc report --country SY --since 2024-01-01 --until 2024-01-31 -o maps/syria-january.html
  geoinc report --within "60 km of Tower 22" --since 2024-01-22 --until 2024-02-04 -o maps/t22.html --pdf maps/t22.pdf
  geoinc report --admin1 "Deir ez-Zor" --since 2023-10-01 --title "Deir ez-Zor since October" -o maps/dez.html

The region and filter options are those of `geoinc query`. The page needs no network to open; the PDF and
the static map for print are made by headless Chromium (make browser).
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    from ..reports.page import LANGUAGES

    p = subparsers.add_parser(
        "report", help="an HTML (and PDF) report of the incidents of a region and period",
        description=__doc__, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_query_options(p)
    out = p.add_argument_group("report")
    out.add_argument("-o", "--output", metavar="FILE", help="HTML file to write (self-contained, opens offline)")
    out.add_argument("--pdf", metavar="FILE", help="also print the report to this PDF (headless Chromium)")
    out.add_argument("--title", help="title of the report (default: region and period in words)")
    out.add_argument("--lang", default="en", choices=LANGUAGES, help="language of the page (default: en)")
    out.add_argument("--no-static-map", action="store_true",
                     help="leave out the PNG of the map that the printed page shows (faster; no Chromium needed)")
    p.add_argument("--db", metavar="PATH", help="incident store (default: $GEOINC_DB or GEOINC_HOME/incidents.sqlite)")
    p.set_defaults(handler=run)


QUERY_ARGS = ("country", "admin1", "bbox", "within", "near", "lat", "lon", "radius_km", "polygon", "since", "until",
              "event_type", "sub_event_type", "actor", "status", "min_fatalities", "limit")


def query_of(args: argparse.Namespace) -> dict[str, Any]:
    """The query options given on the command line (for the report's header)."""
    return {k: getattr(args, k) for k in QUERY_ARGS if getattr(args, k, None) not in (None, "", [])}


def run(args: argparse.Namespace) -> int:
    from ..reports.build import build_report
    from ..textio import check_output_path, write_bytes_output, write_text_output

    if not args.output and not args.pdf:
        raise InputError("say where to write the report: -o FILE.html and/or --pdf FILE.pdf")
    if args.title is not None and not args.title.strip():
        raise InputError("--title is empty")
    for value, flag in ((args.output, "-o"), (args.pdf, "--pdf")):
        if value is not None:
            check_output_path(value, flag)          # refused before the report is built; no folder is created
    spec = spec_from_args(args)

    def respec(since: str | None, until: str | None) -> Any:
        other = argparse.Namespace(**{**vars(args), "since": since, "until": until, "limit": None})
        return spec_from_args(other)

    static_map = False if args.no_static_map else (True if args.pdf else None)
    store = open_store_readonly(args.db)
    try:
        built = build_report(spec, store, query=query_of(args), respec=respec, title=args.title, lang=args.lang,
                             static_map=static_map)
    finally:
        store.close()
    written = []
    if args.output:
        written.append(str(write_text_output(args.output, built.html, "-o")))
    if args.pdf:
        from ..reports.pdf import print_pdf

        written.append(str(write_bytes_output(args.pdf, print_pdf(built.html), "--pdf")))
    print(f"{built.incidents} incidents, {built.claims} distance claims, {built.period.words()} -> "
          f"{', '.join(written)}", file=sys.stderr)
    for note in built.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0
