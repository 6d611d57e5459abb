"""The ``geoinc`` command: a thin shell over the Python API.

Each concern has its own module here with ``register(subparsers)``; a command's handler returns an
exit code. Errors of geoinc (bad input, unknown names) print one line to stderr and exit 2; nothing
the user can cause ends in a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence

from ..errors import GeoIncError
from ..textio import terminal_safe

# modules under geoinc.cli, each with register(subparsers)
COMMAND_MODULES = ("places", "gazetteer", "geocode", "check", "ingest", "maps", "query", "report", "serve", "demo")

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
    plain_help(parser)
    return parser


_LITERAL = re.compile(r"`{1,2}([^`\n]+?)`{1,2}")


def _plain(text: str | None) -> str | None:
    """Docstring markup -> terminal text: ``geoinc demo`` -> geoinc demo."""
    return _LITERAL.sub(r"\1", text) if text else text


def plain_help(parser: argparse.ArgumentParser) -> None:
    """Strip reST literals from the descriptions, epilogs and option help of a parser and its
    subcommands (module docstrings double as descriptions; the terminal should not show backticks)."""
    parser.description = _plain(parser.description)
    parser.epilog = _plain(parser.epilog)
    for action in parser._actions:
        action.help = _plain(action.help)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                choice.help = _plain(choice.help)
            for sub in set(action.choices.values()):
                plain_help(sub)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.handler(args) or 0)
    except GeoIncError as err:
        print(f"geoinc {args.command}: error: {terminal_safe(err)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"geoinc {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
