"""``geoinc gazetteer build|info|lookup``: the local gazetteer index.

Other modules add subcommands to this group: ``geoinc.cli.gazetteer_learned.register_learned(sub)``
(``learned``, ``forget ID``) is called when that module exists.
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys

from ..textio import terminal_safe, terminal_safe_json


def register(subparsers: argparse._SubParsersAction) -> None:
    g = subparsers.add_parser("gazetteer", help="build and inspect the local gazetteer index",
                              description="The offline gazetteer: curated rows, GeoNames, countries, regions "
                                          "and learned places behind one index.")
    sub = g.add_subparsers(dest="gazetteer_command", metavar="SUBCOMMAND")
    g.set_defaults(handler=lambda args: (g.print_help(sys.stderr), 2)[1])

    b = sub.add_parser("build", help="build the index (once; rebuilt automatically when sources change)")
    b.add_argument("--force", action="store_true", help="rebuild even when an up-to-date index exists")
    b.add_argument("--quiet", action="store_true", help="print nothing but errors")
    b.set_defaults(handler=_build)

    i = sub.add_parser("info", help="where the index is and what it holds")
    i.set_defaults(handler=_info)

    lk = sub.add_parser("lookup", help="the places known under a name")
    lk.add_argument("name")
    lk.add_argument("--limit", type=int, default=10)
    lk.add_argument("--format", choices=("table", "json"), default="table")
    lk.set_defaults(handler=_lookup)

    register_extensions(sub)


def register_extensions(sub: argparse._SubParsersAction) -> None:
    """Let other modules add subcommands to ``geoinc gazetteer`` (learned places, …)."""
    for module_name, func in (("gazetteer_learned", "register_learned"),):
        try:
            module = importlib.import_module(f"{__package__}.{module_name}")
        except ModuleNotFoundError as err:
            if err.name == f"{__package__}.{module_name}":
                continue
            raise
        getattr(module, func)(sub)


def _build(args: argparse.Namespace) -> int:
    from ..gazetteer.index import Gazetteer, build

    progress = not args.quiet and sys.stderr.isatty()
    path = build(force=args.force, progress=progress)
    if not args.quiet:
        stats = Gazetteer(path).open().stats()
        print(f"gazetteer index: {path} ({stats['size_mb']} MB, {stats['names']:,} names; {stats['counts']})")
    return 0


def _info(args: argparse.Namespace) -> int:
    from ..gazetteer.index import Gazetteer

    print(json.dumps(Gazetteer().open().stats(), indent=2))
    return 0


def _lookup(args: argparse.Namespace) -> int:
    from ..gazetteer.index import Gazetteer

    places = Gazetteer().open().lookup(args.name)[: max(1, args.limit)]
    if args.format == "json":
        print(terminal_safe_json([{"id": p.id, "name": p.name, "lat": p.lat, "lon": p.lon, "kind": p.kind,
                           "country_code": p.country_code, "admin1": p.admin1, "population": p.population,
                           "provenance": p.provenance} for p in places], indent=2))
        return 0
    if not places:
        print(terminal_safe(f"no place called {args.name!r}"))
        return 1
    for p in places:
        print(terminal_safe(f"{p.id:24} {p.name:30} {p.country_code or '':2} {p.kind:10} {p.lat:9.4f} {p.lon:10.4f} "
                            f"pop {p.population:,}"))
    return 0
