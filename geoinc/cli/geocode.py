"""``geoinc geocode``: one online lookup through the configured geocoder (uses and fills the cache).

Also the shared geocoder flags: :func:`add_geocoder_options` adds ``--online``, ``--geocoder``,
``--domain``, ``--scheme``, ``--user-agent``, ``--api-key``, ``--timeout``, ``--deadline`` to a command, and
:func:`fallback_from_args` turns them into a :class:`~geoinc.geocoders.Fallback` (or None when offline).
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from ..config import forced_offline
from ..errors import InputError
from ..models import PLACE_KINDS

SERVICE_NAMES = ("arcgis", "nominatim", "photon")   # kept literal so the parser builds without importing geopy


def add_geocoder_options(parser: argparse.ArgumentParser, *, online_flag: bool = True) -> None:
    """Add the geocoder flags; they override config.toml and the GEOINC_GEOCODER* environment variables."""
    group = parser.add_argument_group(
        "online geocoder", "used only for places the local gazetteer cannot resolve; settings also come from "
        "config.toml under GEOINC_HOME and GEOINC_GEOCODER* variables (see docs/geocoding.md)")
    if online_flag:
        group.add_argument("--online", action="store_true", default=False,
                           help="ask the online geocoder for unresolved places (off by default; "
                                "GEOINC_OFFLINE=1 always wins)")
    group.add_argument("--geocoder", "--service", dest="geocoder_service", choices=SERVICE_NAMES, default=None,
                       help="which geocoder (default: nominatim, or GEOINC_GEOCODER)")
    group.add_argument("--domain", dest="geocoder_domain", metavar="HOST[:PORT]", default=None,
                       help="the geocoder's host, e.g. your own Nominatim (default: the public instance)")
    group.add_argument("--scheme", dest="geocoder_scheme", choices=("http", "https"), default=None)
    group.add_argument("--user-agent", dest="geocoder_user_agent", metavar="UA", default=None,
                       help="identifies your application; required by Nominatim's usage policy")
    group.add_argument("--api-key", dest="geocoder_api_key", metavar="KEY", default=None,
                       help="API key for services that need one (ArcGIS)")
    group.add_argument("--timeout", dest="geocoder_timeout", metavar="SECONDS", default=None,
                       help="seconds one whole answer may take, however slowly it trickles in (default 10)")
    group.add_argument("--deadline", dest="geocoder_deadline", metavar="SECONDS", default=None,
                       help="seconds a whole look-up may take, retries and their waits included (default 30)")
    group.add_argument("--geocoder-cache", dest="geocoder_cache", metavar="PATH", default=None,
                       help="SQLite file of cached answers (default: geocoder-cache.sqlite under GEOINC_HOME)")


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "service": getattr(args, "geocoder_service", None),
        "domain": getattr(args, "geocoder_domain", None),
        "scheme": getattr(args, "geocoder_scheme", None),
        "user_agent": getattr(args, "geocoder_user_agent", None),
        "api_key": getattr(args, "geocoder_api_key", None),
        "timeout": getattr(args, "geocoder_timeout", None),
        "deadline": getattr(args, "geocoder_deadline", None),
        "cache_path": getattr(args, "geocoder_cache", None),
    }


def fallback_from_args(args: argparse.Namespace, *, always: bool = False):
    """The Fallback the flags ask for, or None when online lookups are off (the default) or forced off.

    Online when ``--online`` is given or ``online = true`` is in config.toml; GEOINC_OFFLINE=1 always wins.
    Settings errors (e.g. Nominatim without a user agent) raise ConfigError only when online is asked for.
    """
    from ..geocoders.config import load_settings, validate_settings

    settings = load_settings(validate=False, **_overrides(args))
    if not (always or getattr(args, "online", False) or settings.online):
        return None
    if forced_offline() and not always:
        print("geoinc: GEOINC_OFFLINE is set: not asking the online geocoder", file=sys.stderr)
        return None
    from ..geocoders.fallback import Fallback     # imports geopy: only when online

    return Fallback(validate_settings(settings))


def _parse_viewbox(text: str | None):
    if not text:
        return None
    parts = [p for p in text.replace(" ", "").split(",") if p]
    try:
        south, west, north, east = (float(p) for p in parts)
    except ValueError:
        raise InputError(f"--viewbox wants SOUTH,WEST,NORTH,EAST in degrees, e.g. 32.3,35.8,37.3,42.4; "
                         f"got {text!r}") from None
    return ((south, west), (north, east))


def _countries(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for value in values or []:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return out


def run(args: argparse.Namespace) -> int:
    """Look the query up; print the place or the reason; exit 0 when found, 1 when not."""
    query = " ".join(args.query).strip()
    if not query:
        raise InputError("nothing to look up: give a place name, e.g. geoinc geocode \"Rukban camp\" --country JO")
    fallback = fallback_from_args(args, always=True)
    fallback.learn = not args.no_learn
    answer = fallback.answer(query, country_codes=_countries(args.country), viewbox=_parse_viewbox(args.viewbox),
                             kinds=args.kind or ())
    if args.format == "json":
        print(json.dumps({
            "query": answer.query, "service": answer.service, "found": answer.found, "reason": answer.reason,
            "cached": answer.cached, "requests": answer.requests,
            "place": asdict(answer.place) if answer.place else None,
            "learned_id": answer.learned.id if answer.learned else None,
        }, ensure_ascii=False, indent=2))
    else:
        rows = [("query", answer.query), ("service", answer.service)]
        if answer.place:
            p = answer.place
            rows += [("place", f"{p.name} ({p.kind}, {p.country_code or '?'})"),
                     ("lat, lon", f"{p.lat:.5f}, {p.lon:.5f}"), ("id", p.id)]
            if answer.learned:
                rows.append(("learned", answer.learned.id))
        rows.append(("reason", answer.reason))
        width = max(len(k) for k, _ in rows)
        for key, value in rows:
            print(f"{key:<{width}}  {value}")
    return 0 if answer.found else 1


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "geocode", help="look one place up with the online geocoder (cached)",
        description="Look one place name up with the online geocoder (Nominatim by default). Answers are "
                    "cached under GEOINC_HOME and accepted ones are learned by the gazetteer. Exit 0 when a "
                    "place is found, 1 when not (the reason is printed).")
    parser.add_argument("query", nargs="+", help="the place name, e.g. \"Rukban camp\"")
    parser.add_argument("--country", action="append", metavar="CC",
                        help="expected country (ISO code, repeatable or comma-separated): sent to the service "
                             "and checked on the answer")
    parser.add_argument("--viewbox", metavar="S,W,N,E", help="area the answer must lie in (degrees)")
    parser.add_argument("--kind", action="append", choices=PLACE_KINDS, metavar="KIND",
                        help="accept only these kinds (repeatable): " + ", ".join(PLACE_KINDS))
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--no-learn", action="store_true", help="do not add the answer to learned places")
    add_geocoder_options(parser, online_flag=False)
    parser.set_defaults(handler=run)


__all__ = ["register", "add_geocoder_options", "fallback_from_args"]
