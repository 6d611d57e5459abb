"""The settings record of the online geocoder: a plain dataclass every other geocoder module may import.

It imports nothing from the rest of ``geoinc.geocoders``: reading and validating the settings is
:mod:`.config`'s job, the HTTP client's is :mod:`.base`'s.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import home

DEFAULT_SERVICE = "nominatim"


@dataclass(frozen=True, slots=True)
class GeocoderSettings:
    """Everything needed to talk politely to one online geocoder and to cache its answers."""

    service: str = DEFAULT_SERVICE
    domain: str | None = None          # host[:port]; None = the service's public default
    scheme: str = "https"
    user_agent: str | None = None
    api_key: str | None = None
    timeout: float = 10.0              # seconds for one whole answer (not per socket read)
    deadline: float = 30.0             # seconds for a whole look-up: every attempt, retry and wait
    max_bytes: int = 2_000_000         # largest answer read, on the wire and once decompressed
    min_delay: float = 1.0             # seconds between two requests to the same service
    max_retries: int = 2               # extra attempts on timeouts, 429 and 5xx
    backoff: float = 1.0               # first wait before a retry; doubles on each retry
    max_wait: float = 60.0             # longest Retry-After honoured; longer means give up now
    negative_ttl: float = 30 * 86400.0  # seconds a "no result" answer stays cached
    down_for: float = 300.0            # after an unreachable/timed-out service, skip it this long
    limit: int = 5                     # candidates asked for; the first valid one is accepted
    cache_path: Path | None = None     # None = geocoder-cache.sqlite under GEOINC_HOME
    online: bool = False               # the resolver may use the geocoder (CLI: --online)

    def resolved_cache_path(self) -> Path:
        return self.cache_path or (home() / "geocoder-cache.sqlite")


__all__ = ["GeocoderSettings", "DEFAULT_SERVICE"]
