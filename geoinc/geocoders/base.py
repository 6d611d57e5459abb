"""The one place geoinc talks to online geocoders: a geopy geocoder, a rate limit, bounded retries.

A service module (``nominatim.py``, ``photon.py``, ``arcgis.py``) only says which geopy class to build,
which request parameters carry the country context, and how an answer becomes a :class:`Candidate`
(both pure). :class:`GeocoderClient` owns the HTTP call: it waits for the rate limit before every request,
retries timeouts, 429 (honouring ``Retry-After``) and 5xx with backoff, never retries other 4xx, and turns
geopy's exceptions into :class:`~geoinc.errors.GeocoderError` / :class:`~geoinc.errors.GeocoderTimeout`
in :func:`translate_error`, the single choke point.
"""
from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from geopy import exc as gexc
from geopy.adapters import AdapterHTTPError

from ..errors import ConfigError, GeocoderError, GeocoderTimeout, InputError
from ..models import Place
from .settings import GeocoderSettings
from .transport import AnswerTooLarge, BoundedAdapter, ServiceAnswerError

# (south, west, north, east) in degrees; built from two (lat, lon) corners by normalise_viewbox()
Viewbox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One answer of a service as a Place, with the service's own class of the feature."""

    place: Place
    feature: str            # e.g. "place=village", "highway=residential", "Addr_type=StreetName"
    placelike: bool = True  # False for streets, shops, buildings, addresses: never a place mention


@dataclass(frozen=True, slots=True)
class Service:
    """What differs between geocoders: the geopy class, the request parameters and the answer's shape."""

    name: str
    geopy_class: Callable[..., Any]
    default_domain: str
    params: Callable[[int, tuple[str, ...], Viewbox | None], dict[str, Any]]   # (limit, countries, viewbox)
    to_candidate: Callable[[Any], Candidate | None]                           # geopy Location -> Candidate
    client_kwargs: Callable[[GeocoderSettings], dict[str, Any]] = field(default=lambda s: {})
    policy: str = ""


def normalise_viewbox(viewbox: Any) -> Viewbox | None:
    """Two (lat, lon) corners ``((lat1, lon1), (lat2, lon2))`` as (south, west, north, east); InputError if bad."""
    if viewbox is None:
        return None
    values = [float(v) for corner in viewbox for v in (corner if isinstance(corner, (tuple, list)) else (corner,))]
    if len(values) != 4:
        raise InputError(f"viewbox needs two (lat, lon) corners, got {viewbox!r}")
    lat1, lon1, lat2, lon2 = values
    south, north = sorted((lat1, lat2))
    west, east = sorted((lon1, lon2))
    if not (-90 <= south <= 90 and -90 <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180):
        raise InputError(f"viewbox corners are not valid lat/lon: {viewbox!r}")
    return (south, west, north, east)


class Throttle:
    """At most one request per ``min_delay`` seconds, thread-safe; clock and sleep are injectable for tests."""

    def __init__(self, min_delay: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.min_delay = float(min_delay)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._last: float | None = None

    def wait(self) -> float:
        """Block until a request may go out; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                if self._last is None or now - self._last >= self.min_delay:
                    self._last = now
                    return waited
                pause = self.min_delay - (now - self._last)
            self._sleep(pause)
            waited += pause


_THROTTLES: dict[tuple[str, str, float], Throttle] = {}
_THROTTLES_LOCK = threading.Lock()


def shared_throttle(service: str, domain: str, min_delay: float) -> Throttle:
    """The process-wide throttle of one service endpoint, so every client in a process shares the budget."""
    key = (service, domain, float(min_delay))
    with _THROTTLES_LOCK:
        if key not in _THROTTLES:
            _THROTTLES[key] = Throttle(min_delay)
        return _THROTTLES[key]


def http_status(err: BaseException) -> int | None:
    """The HTTP status behind a geopy exception (geopy chains the adapter's error as the cause)."""
    seen = 0
    cur: BaseException | None = err
    while cur is not None and seen < 5:
        if isinstance(cur, AdapterHTTPError):
            return int(cur.status_code)
        cur = cur.__cause__ or cur.__context__
        seen += 1
    return None


def retry_wait(err: BaseException, attempt: int, settings: GeocoderSettings) -> float | None:
    """Seconds to wait before retrying after ``err`` on attempt ``attempt`` (1-based); None = do not retry.

    Retried: timeouts (incl. 408/503/504), 429 (after Retry-After when given and not above max_wait),
    and other 5xx. Never retried: other 4xx, refused connections, malformed answers.
    """
    backoff = settings.backoff * (2 ** (attempt - 1))
    if isinstance(err, gexc.GeocoderRateLimited):
        retry_after = err.retry_after
        if retry_after is None:
            return backoff
        return float(retry_after) if retry_after <= settings.max_wait else None
    if isinstance(err, gexc.GeocoderTimedOut):
        return backoff
    status = http_status(err)
    if isinstance(err, gexc.GeocoderServiceError) and status is not None and status >= 500:
        return backoff
    return None


def _unreachable_detail(message: str) -> str:
    text = message.lower()
    if "refused" in text:
        return "connection refused"
    if "name or service not known" in text or "failed to resolve" in text or "nodename nor servname" in text \
            or "temporary failure in name resolution" in text or "getaddrinfo" in text:
        return "host name not found"
    if "reset" in text:
        return "connection reset"
    if "network is unreachable" in text or "no route to host" in text:
        return "network unreachable"
    return message.splitlines()[0][:160] if message else "service not available"


def translate_error(err: BaseException, *, service: str, attempts: int, timeout: float) -> GeocoderError:
    """The geoinc error (with a message a user can act on) for a geopy or parsing failure. Pure."""
    tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
    status = http_status(err)
    if isinstance(err, AnswerTooLarge):
        where = "once decompressed" if err.decoded else ""
        return GeocoderError(f"geocoder answer too large: {service} sent more than {err.limit:,} bytes"
                             f"{' ' + where if where else ''}; refused, not cached")
    if isinstance(err, ServiceAnswerError):
        return GeocoderError(f"geocoder answered an error: {service} said {err.service_message!r} "
                             f"(HTTP {err.status} with an error object)")
    if isinstance(err, gexc.GeocoderRateLimited):
        after = f", Retry-After {err.retry_after:g} s" if err.retry_after is not None else ""
        return GeocoderError(f"geocoder rate-limited: {service} answered HTTP 429 ({tries}{after})")
    if isinstance(err, gexc.GeocoderTimedOut):
        if status is not None:
            return GeocoderTimeout(f"geocoder timed out: {service} answered HTTP {status} ({tries})")
        return GeocoderTimeout(f"geocoder timed out: no answer from {service} within {timeout:g} s ({tries})")
    if isinstance(err, gexc.GeocoderUnavailable):
        return GeocoderError(f"geocoder unreachable: {_unreachable_detail(str(err))}")
    if isinstance(err, gexc.GeocoderParseError) or (
            not isinstance(err, gexc.GeopyError)
            and isinstance(err, (KeyError, TypeError, ValueError, IndexError, AttributeError))):
        return GeocoderError(f"geocoder answer malformed: {service} did not answer in its JSON format")
    if isinstance(err, (gexc.GeocoderAuthenticationFailure, gexc.GeocoderInsufficientPrivileges)):
        return GeocoderError(f"geocoder refused the request: HTTP {status or '401/403'} from {service}; "
                             "check the user agent, the API key and the service's usage policy")
    if isinstance(err, gexc.GeocoderQuotaExceeded):
        return GeocoderError(f"geocoder quota exceeded: HTTP {status or 402} from {service}")
    if isinstance(err, gexc.GeocoderQueryError):
        said = f"HTTP {status}" if status is not None else (str(err).splitlines()[0][:160] or "an error")
        return GeocoderError(f"geocoder rejected the query: {said} from {service}")
    if status is not None:
        return GeocoderError(f"geocoder failed: HTTP {status} from {service} ({tries})")
    if isinstance(err, gexc.GeocoderServiceError) and "refused" in str(err).lower():
        return GeocoderError("geocoder unreachable: connection refused")
    return GeocoderError(f"geocoder failed: {service}: {str(err).splitlines()[0][:160] if str(err) else type(err).__name__}")


def _adapter_factory(settings: GeocoderSettings) -> Callable[..., Any]:
    """The bounded transport (no retries of its own: we count and bound retries here)."""
    return functools.partial(BoundedAdapter, max_bytes=settings.max_bytes)


class GeocoderClient:
    """A geopy geocoder of the chosen service, called with rate limiting and bounded retries.

    Building it does no network I/O. ``clock``/``sleep`` drive the throttle and the backoff waits.
    """

    def __init__(self, service: Service, settings: GeocoderSettings, *, throttle: Throttle | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.service = service
        self.settings = settings
        self.domain = settings.domain or service.default_domain
        self._sleep = sleep
        self.throttle = throttle or shared_throttle(service.name, self.domain, settings.min_delay)
        self.requests = 0              # HTTP requests sent by this client, for reports and tests
        kwargs: dict[str, Any] = {
            "domain": self.domain,
            "scheme": settings.scheme,
            "timeout": settings.timeout,
            "user_agent": settings.user_agent or _default_user_agent(),
            "adapter_factory": _adapter_factory(settings),
        }
        kwargs.update(service.client_kwargs(settings))
        try:
            self.geocoder = service.geopy_class(**kwargs)
        except gexc.ConfigurationError as err:
            raise ConfigError(f"cannot configure {service.name}: {err}") from err

    @property
    def label(self) -> str:
        return f"{self.service.name}:{self.domain}"

    def geocode(self, query: str, *, country_codes: Sequence[str] = (),
                viewbox: Viewbox | None = None) -> list[Any]:
        """All candidate geopy Locations for ``query`` (empty when the service has none).

        Each answer must be complete within ``timeout`` seconds, and the whole look-up (attempts, retries
        and their waits) within ``deadline``. Raises GeocoderTimeout / GeocoderError after the allowed retries.
        """
        params = self.service.params(self.settings.limit, tuple(country_codes), viewbox)
        end = time.monotonic() + self.settings.deadline
        attempt = 0
        while True:
            attempt += 1
            self.throttle.wait()
            left = end - time.monotonic()
            if left <= 0:
                raise GeocoderTimeout(f"geocoder timed out: no answer from {self.service.name} within the "
                                      f"look-up deadline of {self.settings.deadline:g} s ({attempt - 1} attempts)")
            self.requests += 1
            try:
                answer = self.geocoder.geocode(query, exactly_one=False, timeout=min(self.settings.timeout, left),
                                               **params)
            except (gexc.GeopyError, KeyError, TypeError, ValueError, IndexError, AttributeError) as err:
                wait = retry_wait(err, attempt, self.settings) if isinstance(err, gexc.GeopyError) else None
                if wait is not None and attempt <= self.settings.max_retries and time.monotonic() + wait < end:
                    self._sleep(wait)
                    continue
                raise translate_error(err, service=self.service.name, attempts=attempt,
                                      timeout=self.settings.timeout) from err
            if answer is None:
                return []
            return list(answer) if isinstance(answer, list) else [answer]


def _default_user_agent() -> str:
    from .. import __version__

    return f"geoinc/{__version__}"


__all__ = ["Candidate", "Service", "Viewbox", "Throttle", "GeocoderClient", "retry_wait", "translate_error",
           "http_status", "normalise_viewbox", "shared_throttle"]
