"""``geoinc gazetteer learned`` and ``geoinc gazetteer forget ID``: review and remove learned places.

A learned place is a geocoder answer that was accepted; forgetting one also drops the cached answers
that produced it, so the next lookup asks the service again instead of re-learning the same answer.
"""
from __future__ import annotations

import argparse

from ..textio import terminal_safe, terminal_safe_json


def _list(args: argparse.Namespace) -> int:
    from ..gazetteer.learned import LearnedPlaces

    records = LearnedPlaces().records()
    if args.format == "json":
        print(terminal_safe_json([{
            "id": r.place.id, "name": r.place.name, "lat": r.place.lat, "lon": r.place.lon, "kind": r.place.kind,
            "country_code": r.place.country_code, "aliases": list(r.place.aliases), "service": r.service,
            "query": r.query, "learned_at": r.learned_at, "provenance": r.place.provenance,
        } for r in records], indent=2))
        return 0
    if not records:
        print("no learned places (they are added when an online lookup is accepted: geoinc geocode, --online)")
        return 0
    header = ("id", "name", "lat", "lon", "kind", "cc", "service", "query", "learned_at")
    rows = [(r.place.id, r.place.name, f"{r.place.lat:.5f}", f"{r.place.lon:.5f}", r.place.kind,
             r.place.country_code or "", r.service, r.query, r.learned_at) for r in records]
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        print(terminal_safe("  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip()))
    return 0


def _forget(args: argparse.Namespace) -> int:
    from ..geocoders.cache import GeocoderCache
    from ..geocoders.config import load_settings
    from ..gazetteer.learned import LearnedPlaces

    record = LearnedPlaces().forget(args.id)
    cache = GeocoderCache(load_settings(validate=False).resolved_cache_path())
    dropped = sum(cache.delete(service, query, context) for service, query, context in record.queries)
    cache.close()
    print(f"forgot {record.place.id} ({record.place.name}, learned from {record.service} for {record.query!r}); "
          f"dropped {dropped} cached answer{'s' if dropped != 1 else ''}")
    return 0


def register_learned(gazetteer_subparsers: argparse._SubParsersAction) -> None:
    """Add ``learned`` and ``forget ID`` under the ``geoinc gazetteer`` command group."""
    learned = gazetteer_subparsers.add_parser("learned", help="list places learned from the online geocoder",
                                              description="List places learned from online lookups, with "
                                                          "where they came from (service, query, time).")
    learned.add_argument("--format", choices=("table", "json"), default="table")
    learned.set_defaults(handler=_list)
    forget = gazetteer_subparsers.add_parser("forget", help="remove one learned place (and its cached answers)",
                                             description="Remove a learned place by id (see: geoinc gazetteer "
                                                         "learned) and the cached answers that produced it.")
    forget.add_argument("id", metavar="ID", help="a learned place id, e.g. learned:3")
    forget.set_defaults(handler=_forget)


__all__ = ["register_learned"]
