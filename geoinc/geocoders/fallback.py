"""Fallback: ask an online geocoder for a place the local gazetteer could not resolve, and remember it.

Order of a lookup: the answer cache (hits never touch the network) -> the offline switch -> the service,
unless it failed to answer moments ago -> validation of every candidate -> cache and learned places.
A failing service never raises out of :meth:`Fallback.lookup`: the caller gets ``(None, reason)``.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime, timezone
from typing import Any

from ..config import forced_offline
from ..errors import GeocoderError, GeocoderTimeout, InputError
from ..gazetteer.learned import LearnedPlaces
from ..models import PLACE_KINDS, Place
from .base import Candidate, GeocoderClient, Throttle, normalise_viewbox
from .cache import GeocoderCache, clean_query, context_key
from .config import load_settings, validate_settings
from .kinds import country_code
from .registry import SERVICES
from .settings import GeocoderSettings
from .validate import CountryAt, choose, clean_aliases

_SETTING_NAMES = {f.name for f in fields(GeocoderSettings)}


@dataclass(frozen=True, slots=True)
class Answer:
    """The outcome of one lookup, with what it cost: cached or not, and how many HTTP requests."""

    query: str
    place: Place | None
    reason: str
    service: str
    cached: bool = False
    requests: int = 0
    learned: Place | None = None

    @property
    def found(self) -> bool:
        return self.place is not None


def _natural_earth_country(lat: float, lon: float) -> str | None:
    from ..boundaries import country_at

    found = country_at(lat, lon)
    return found.iso2 if found is not None and found.iso2 else None


class Fallback:
    """The online geocoder behind the resolver: cached, rate-limited, validated, remembered.

    Building one does no I/O; the geopy geocoder, the cache file and the learned-places file are opened
    on first use. ``throttle``/``sleep``/``clock`` are injectable so tests control time.
    """

    def __init__(self, settings: GeocoderSettings | None = None, *, cache: GeocoderCache | None = None,
                 learned: LearnedPlaces | None = None, learn: bool = True, throttle: Throttle | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 country_at: CountryAt | None = _natural_earth_country) -> None:
        self.settings = validate_settings(settings or GeocoderSettings())
        self.service = SERVICES[self.settings.service]
        self.cache = cache or GeocoderCache(self.settings.resolved_cache_path(),
                                            negative_ttl=self.settings.negative_ttl)
        self.learned = learned if learned is not None else LearnedPlaces()
        self.learn = learn
        self._throttle = throttle
        self._sleep = sleep
        self._clock = clock
        self._country_at = country_at
        self._client: GeocoderClient | None = None
        self._lock = threading.Lock()
        self._down_until = float("-inf")
        self._down_reason = ""
        self.requests = 0           # HTTP requests made by this fallback so far

    @classmethod
    def from_config(cls, **overrides: Any) -> "Fallback":
        """Settings from config.toml + environment, with ``overrides`` (setting names or constructor keywords)."""
        setting_overrides = {k: v for k, v in overrides.items() if k in _SETTING_NAMES}
        kwargs = {k: v for k, v in overrides.items() if k not in _SETTING_NAMES}
        return cls(load_settings(**setting_overrides), **kwargs)

    @property
    def label(self) -> str:
        """The cache's service key: name and endpoint, e.g. "nominatim:nominatim.openstreetmap.org"."""
        return f"{self.service.name}:{self.settings.domain or self.service.default_domain}"

    @property
    def client(self) -> GeocoderClient:
        if self._client is None:
            self._client = GeocoderClient(self.service, self.settings, throttle=self._throttle, sleep=self._sleep)
        return self._client

    def lookup(self, query: str, *, country_codes: Sequence[str] = (), viewbox: Any = None,
               kinds: Sequence[str] = ()) -> tuple[Place | None, str]:
        """A place for ``query`` or None, with a reason a person can read ("no result", "geocoder unreachable: ...").

        ``country_codes`` (ISO alpha-2, e.g. ("SY",)) and ``viewbox`` (two (lat, lon) corners) are sent to the
        service where it supports them, and every answer is checked against them and against ``kinds``.
        """
        answer = self.answer(query, country_codes=country_codes, viewbox=viewbox, kinds=kinds)
        return answer.place, answer.reason

    def answer(self, query: str, *, country_codes: Sequence[str] = (), viewbox: Any = None,
               kinds: Sequence[str] = ()) -> Answer:
        """Like :meth:`lookup`, with whether the answer came from the cache and how many requests it cost."""
        text = clean_query(str(query))
        if not text:
            return Answer(text, None, "empty query", self.label)
        countries = self._countries(country_codes)
        box = normalise_viewbox(viewbox)
        bad_kinds = [k for k in kinds if k not in PLACE_KINDS]
        if bad_kinds:
            raise InputError(f"unknown place kind(s) {', '.join(bad_kinds)}; use: {', '.join(PLACE_KINDS)}")
        context = context_key(countries, box, tuple(kinds))
        entry = self.cache.get(self.label, text, context)
        if entry is not None:
            return Answer(text, entry.place, f"{entry.reason} (cached)", self.label, cached=True)
        if forced_offline():
            return Answer(text, None, "offline: GEOINC_OFFLINE is set and the answer is not cached", self.label)
        with self._lock:
            if self._clock() < self._down_until:
                return Answer(text, None, f"{self._down_reason} (not asked again for a while)", self.label)
        before = self.client.requests
        try:
            locations = self.client.geocode(text, country_codes=countries, viewbox=box)
        except GeocoderError as err:
            spent = self.client.requests - before
            self.requests += spent
            reason = str(err)
            if isinstance(err, GeocoderTimeout) or reason.startswith("geocoder unreachable"):
                with self._lock:
                    self._down_until = self._clock() + self.settings.down_for
                    self._down_reason = reason
            return Answer(text, None, reason, self.label, requests=spent)
        spent = self.client.requests - before
        self.requests += spent
        candidates = [c for c in (self._candidate(loc) for loc in locations) if c is not None]
        chosen, reason = choose(candidates, country_codes=countries, viewbox=box, kinds=tuple(kinds),
                                country_at=self._country_at)
        if chosen is None:
            self.cache.put_miss(self.label, text, context, reason)
            return Answer(text, None, reason, self.label, requests=spent)
        when = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        # only names fit to be printed and matched are learned (the chosen name passed in rejection())
        place = replace(chosen.place, aliases=clean_aliases(chosen.place.aliases),
                        provenance=f"{self.label} query {text!r} at {when}; {chosen.place.provenance}")
        reason = f"geocoded by {self.service.name}"
        self.cache.put_place(self.label, text, context, place, reason)
        learned = self.learned.add(place, self.label, text, context=context) if self.learn else None
        return Answer(text, place, reason, self.label, requests=spent, learned=learned)

    def _candidate(self, location: Any) -> Candidate | None:
        """One answer as a Candidate; an entry missing the fields we read is skipped, not fatal."""
        try:
            return self.service.to_candidate(location)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            return None

    @staticmethod
    def _countries(country_codes: Sequence[str] | str) -> tuple[str, ...]:
        if isinstance(country_codes, str):
            country_codes = [c for c in country_codes.split(",")]
        out = []
        for raw in country_codes:
            if not str(raw).strip():
                continue
            code = country_code(str(raw))
            if code is None:
                raise InputError(f"unknown country {raw!r}; use an ISO code such as SY or SYR")
            out.append(code)
        return tuple(dict.fromkeys(out))


__all__ = ["Fallback", "Answer"]
