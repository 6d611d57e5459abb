"""``geoinc check FILE|-``: find the distance and direction claims of an article and judge them."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from ..errors import InputError
from ..textio import read_text_input, terminal_safe, terminal_safe_json


def _fmt_km(v: float | None) -> str:
    return "-" if v is None else f"{v:.1f} km"


def _stated(c: Any) -> str:
    """What the claim states: "10.0 km N", "N" (direction only), "near border" (proximity without a number)."""
    if c.stated_km is None:
        if c.kind == "border-near":
            return "near border" if "near" in (c.text or "").lower() else "on border"
        return c.stated_direction or "-"
    return _fmt_km(c.stated_km) + (f" {c.stated_direction}" if c.stated_direction else "")


def format_table(claims: list) -> str:
    """A human table: one row per claim (subject, anchor, stated, measured, bearing, verdict), then its reason."""
    if not claims:
        return "no distance or direction claims found"
    rows = [("#", "verdict", "subject", "stated", "measured", "bearing", "from -> to", "claim")]
    for i, c in enumerate(claims, 1):
        bearing = "-" if c.bearing_deg is None else f"{c.bearing_deg:.0f}°"
        ends = f"{c.anchor or '?'}{' (implicit)' if c.implicit_anchor else ''} -> {c.target or '?'}"
        rows.append((str(i), c.verdict, c.subject or "?", _stated(c), _fmt_km(c.measured_km), bearing, ends,
                     " ".join(c.text.split())))
    n = len(rows[0]) - 1
    widths = [max(len(r[k]) for r in rows) for k in range(n)]
    lines = []
    for j, r in enumerate(rows):
        lines.append("  ".join(r[k].ljust(widths[k]) for k in range(n)) + "  " + r[n])
        if j:
            c = claims[j - 1]
            lines.append("    " + c.reason)
            if c.geometry:
                lines.append("    geometry: " + c.geometry)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from ..claims.measure import DEFAULT_TOLERANCE, Tolerance, check_distances

    if args.tolerance_relative is not None and not 0 <= args.tolerance_relative < 1:
        raise InputError(f"--tolerance-relative must be at least 0 and below 1, not {args.tolerance_relative}")
    if args.tolerance_km is not None and args.tolerance_km < 0:
        raise InputError(f"--tolerance-km must be 0 or more, not {args.tolerance_km}")
    tol = Tolerance(
        relative=DEFAULT_TOLERANCE.relative if args.tolerance_relative is None else args.tolerance_relative,
        absolute_km=DEFAULT_TOLERANCE.absolute_km if args.tolerance_km is None else args.tolerance_km,
    )
    if args.published is not None:
        try:
            date.fromisoformat(args.published)
        except ValueError as err:
            raise InputError(f"--published must be a date as YYYY-MM-DD, not {args.published!r}") from err
    text = read_text_input(args.file)
    claims = check_distances(text, args.published, tolerance=tol)
    if args.format == "json":
        sys.stdout.write(terminal_safe_json([c.to_dict() for c in claims], indent=2))
        sys.stdout.write("\n")
    else:
        print(terminal_safe(format_table(claims), keep_newlines=True))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "check", help="check the distance and direction claims of an article against real geometry",
        description="Find distance and direction claims (\"the Iraqi border is only 10 kilometers away\", "
                    "\"al-Tanf is 20 km north of Tower 22\") and say whether real geometry agrees.",
    )
    p.add_argument("file", metavar="FILE", help="article text file (UTF-8), or - for standard input")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    p.add_argument("--published", metavar="YYYY-MM-DD", default=None, help="publication date, for the geoparser")
    p.add_argument("--tolerance-relative", type=float, default=None, metavar="FRACTION",
                   help="tolerance as a fraction of the measured distance (default 0.25 = 25%%)")
    p.add_argument("--tolerance-km", type=float, default=None, metavar="KM",
                   help="absolute tolerance in km (default 5); the larger of the two applies")
    p.set_defaults(handler=run)
