"""The ``geoinc`` command: a thin shell over the Python API.

Each concern has its own module here with ``register(subparsers)``; a command's handler returns an
exit code. Errors of geoinc (bad input, unknown names) print one line to stderr and exit 2; nothing
the user can cause ends in a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ..errors import GeoIncError

# modules under geoinc.cli, each with register(subparsers)
COMMAND_MODULES = ("places", "gazetteer", "geocode", "check", "ingest", "maps", "query", "serve", "demo")

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geoinc",
        description="Places, incidents and distance claims from news text, on layered maps.",
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"geoinc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.handler(args) or 0)
    except GeoIncError as err:
        print(f"geoinc {args.command}: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"geoinc {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
