"""The HTTP transport of the online geocoders: every answer bounded in time and in size.

geopy's own adapters bound each socket read, not the answer: a server trickling one byte a second keeps
a look-up alive for as long as it likes, and a 300 MB body or a gzip bomb is read whole into memory.
:class:`BoundedAdapter` (a geopy adapter, used by :class:`~geoinc.geocoders.base.GeocoderClient`) reads
the body itself, one socket read at a time, and gives up

- when the whole answer is not in within the request's timeout (geopy's ``GeocoderTimedOut``);
- when the body passes ``max_bytes`` on the wire or once decompressed (:class:`AnswerTooLarge`);

and it reports an HTTP 200 whose JSON is an error object (``{"error": ...}``) as :class:`ServiceAnswerError`
with the service's own message. None of these is an answer, so none is ever cached.
"""
from __future__ import annotations

import json
import time
import unicodedata
import zlib
from typing import Any

from geopy.adapters import AdapterHTTPError, BaseSyncAdapter
from geopy.exc import GeocoderParseError, GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable

# a geocoder answer of 5 candidates is a few kB; this leaves room for verbose services and long pages
MAX_BYTES = 2_000_000
CHUNK = 16_384
ACCEPT_ENCODING = "gzip, deflate"    # the encodings decoded here (never br or zstd: no bound on those here)


class AnswerTooLarge(GeocoderServiceError):
    """The body passed the size limit (compressed or decompressed): the answer is refused, not cached."""

    def __init__(self, limit: int, *, decoded: bool) -> None:
        where = "once decompressed" if decoded else "on the wire"
        super().__init__(f"answer larger than {limit:,} bytes {where}")
        self.limit = limit
        self.decoded = decoded


class ServiceAnswerError(GeocoderServiceError):
    """HTTP 200 with an error object instead of an answer (``{"error": "..."}``)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.service_message = message
        self.status = status


def error_message(value: Any) -> str:
    """The readable part of a service's error object, one line, control characters dropped, at most 160 chars."""
    if isinstance(value, dict):
        parts = [str(value[k]) for k in ("code", "message", "details") if value.get(k) not in (None, "", [])]
        text = " ".join(parts) or json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    text = " ".join(text.split())
    return text[:157] + "..." if len(text) > 160 else text


class _Body:
    """Bytes of one body as they arrive, counted on the wire and after decompression."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.wire = 0
        self.parts: list[bytes] = []
        self.size = 0
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self._inflate = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 32)   # gzip or zlib header, detected
            self._raw_deflate = encoding == "deflate"
        else:
            raise GeocoderServiceError(f"answer in an unsupported content encoding {encoding!r}")

    def feed(self, data: bytes) -> None:
        self.wire += len(data)
        if self.wire > self.limit:
            raise AnswerTooLarge(self.limit, decoded=False)
        if self._inflate is None:
            self._keep(data)
            return
        try:
            # never more than the room left (+1 to notice the overflow): a bomb cannot expand in memory
            out = self._inflate.decompress(data, self.limit - self.size + 1)
            self._keep(out)
            while self._inflate.unconsumed_tail:
                self._keep(self._inflate.decompress(self._inflate.unconsumed_tail, self.limit - self.size + 1))
        except zlib.error:
            if not (self._raw_deflate and self.size == 0 and self.wire == len(data)):
                raise GeocoderParseError("answer could not be decompressed") from None
            self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)          # deflate sent without its header
            self.wire -= len(data)
            self.feed(data)

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise AnswerTooLarge(self.limit, decoded=True)
        if data:
            self.parts.append(data)

    def bytes(self) -> bytes:
        return b"".join(self.parts)


def _socket_of(raw: Any) -> Any:
    """The socket under a urllib3 response, to shorten its timeout as the deadline nears (None if unknown)."""
    conn = getattr(raw, "_connection", None) or getattr(raw, "connection", None)
    return getattr(conn, "sock", None)


class BoundedAdapter(BaseSyncAdapter):
    """A geopy adapter (requests, no retries of its own) that bounds every answer in time and size."""

    def __init__(self, *, proxies: Any, ssl_context: Any, max_bytes: int = MAX_BYTES) -> None:
        import ssl

        import requests
        from requests.adapters import HTTPAdapter

        class SystemTrust(HTTPAdapter):
            """HTTPS checked against the system's CA store (geopy's choice), not requests' bundle."""

            def init_poolmanager(self, *args: Any, **kwargs: Any) -> Any:
                kwargs["ssl_context"] = context
                return super().init_poolmanager(*args, **kwargs)

        super().__init__(proxies=proxies, ssl_context=ssl_context)
        context = ssl_context or ssl.create_default_context()
        self.max_bytes = int(max_bytes)
        self.session = requests.Session()
        self.session.trust_env = False        # no proxy or CA settings from the environment, as geopy does
        if isinstance(proxies, str) and proxies:
            proxies = {"http": proxies, "https": proxies}
        if isinstance(proxies, dict):
            self.session.proxies = dict(proxies)
        self.session.mount("http://", HTTPAdapter(max_retries=0))
        self.session.mount("https://", SystemTrust(max_retries=0))

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        status, text = self._fetch(url, timeout=timeout, headers=headers)
        try:
            data = json.loads(text)
        except ValueError:
            raise GeocoderParseError("the answer is not JSON") from None
        if isinstance(data, dict) and "error" in data:
            raise ServiceAnswerError(error_message(data["error"]), status)
        return data

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        return self._fetch(url, timeout=timeout, headers=headers)[1]

    def _fetch(self, url: str, *, timeout: float, headers: dict[str, str]) -> tuple[int, str]:
        """(status, body text) of one GET; the whole answer within ``timeout`` seconds and ``max_bytes``."""
        import requests

        deadline = time.monotonic() + float(timeout)
        try:
            resp = self.session.get(url, timeout=(timeout, timeout), stream=True,
                                    headers={**headers, "Accept-Encoding": ACCEPT_ENCODING})
        except requests.Timeout:
            raise GeocoderTimedOut("Service timed out") from None
        except requests.ConnectionError as err:
            raise GeocoderUnavailable(str(err)) from None
        except requests.RequestException as err:
            raise GeocoderServiceError(str(err)) from None
        with resp:
            text = self._read(resp, deadline)
            if resp.status_code >= 400:
                raise AdapterHTTPError(f"Non-successful status code {resp.status_code}",
                                       status_code=resp.status_code, headers=resp.headers, text=text)
            return resp.status_code, text

    def _read(self, resp: Any, deadline: float) -> str:
        """The body as text, read until done, the deadline or the size limit (whichever comes first)."""
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise AnswerTooLarge(self.max_bytes, decoded=False)
        body = _Body(resp.headers.get("Content-Encoding", ""), self.max_bytes)
        raw, sock = resp.raw, _socket_of(resp.raw)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise GeocoderTimedOut("Service timed out: the answer was not complete in time")
            if sock is not None:
                sock.settimeout(max(0.05, left))
            try:
                data = raw.read1(CHUNK, decode_content=False)
            except Exception as err:          # urllib3 wraps socket timeouts and resets in its own classes
                if time.monotonic() >= deadline or "timed out" in str(err).lower():
                    raise GeocoderTimedOut("Service timed out: the answer was not complete in time") from None
                raise GeocoderServiceError(f"the answer was cut: {err}") from None
            if not data:
                break
            body.feed(data)
        return body.bytes().decode(resp.encoding or "utf-8", errors="replace")


__all__ = ["BoundedAdapter", "AnswerTooLarge", "ServiceAnswerError", "MAX_BYTES", "error_message"]
