"""What makes the API safe to expose, as small ASGI middlewares around the app (each answers with one JSON
``{"detail": reason}`` before any route runs):

* :class:`HostCheck`: the ``Host`` header must name this server (the bound address, a loopback name, an IP
  literal when bound to every interface) or be on the allow-list: a page on another site that rebinds its
  DNS name to 127.0.0.1 sends its own name and gets 421, so it cannot read or write the store.
* :class:`TokenCheck`: with a token configured, routes that write to the store (POST /articles) need
  ``Authorization: Bearer TOKEN`` (401 otherwise; compared in constant time).
* :class:`TextCheck`: a JSON body must be text a store can keep: a lone surrogate (``"\\ud800"``) is a 400.
* :class:`SecurityHeaders`: every answer says ``X-Content-Type-Options: nosniff``; HTML answers (``/map``)
  carry a Content-Security-Policy that allows only what the map page needs.

CORS stays closed (no ``Access-Control-Allow-Origin``) unless origins are configured, then Starlette's
CORSMiddleware answers for exactly those. Settings come from ``geoinc serve`` options or the environment
(GEOINC_API_TOKEN, GEOINC_ALLOWED_HOSTS, GEOINC_CORS_ORIGINS), so worker processes read the same ones.
"""
from __future__ import annotations

import hmac
import ipaddress
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

ENV_TOKEN = "GEOINC_API_TOKEN"
ENV_ALLOWED_HOSTS = "GEOINC_ALLOWED_HOSTS"
ENV_CORS_ORIGINS = "GEOINC_CORS_ORIGINS"
ENV_BIND_HOST = "GEOINC_BIND_HOST"          # set by geoinc serve for its worker processes

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# routes that write to the store; POST /check and POST /incidents/search only read (a body carries their input)
WRITE_ROUTES = frozenset({("POST", "/articles")})


def writes(method: str, path: str) -> bool:
    """Whether a request may change the store: POST /articles, and any PUT, PATCH or DELETE."""
    return (method, path.rstrip("/") or "/") in WRITE_ROUTES or method in ("PUT", "PATCH", "DELETE")

# The map page draws with inline scripts and styles (folium), images and tiles from anywhere (tile
# servers, data: URIs), and scripts/styles from the CDNs folium links when the map is not offline; it
# may not be framed by another site, post forms, or load plugins.
MAP_CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline' https:; style-src 'self' 'unsafe-inline' https:; "
           "img-src 'self' data: blob: https:; font-src 'self' data: https:; connect-src 'self'; "
           "frame-ancestors 'self'; base-uri 'none'; form-action 'none'; object-src 'none'")


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (text or "").split(",") if p.strip())


@dataclass(frozen=True, slots=True)
class Exposure:
    """Who may talk to the API: the bound host, extra Host names, the write token, CORS origins."""

    bind_host: str = "127.0.0.1"
    allowed_hosts: tuple[str, ...] = ()
    token: str | None = None
    cors_origins: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_env(cls, bind_host: str | None = None, *, allowed_hosts: Iterable[str] = (), token: str | None = None,
                 cors_origins: Iterable[str] = ()) -> "Exposure":
        """Options given in code win; the environment adds to the lists and supplies a missing token."""
        env_token = os.environ.get(ENV_TOKEN, "").strip() or None
        return cls(bind_host=bind_host or os.environ.get(ENV_BIND_HOST) or "127.0.0.1",
                   allowed_hosts=tuple(allowed_hosts) + _split(os.environ.get(ENV_ALLOWED_HOSTS)),
                   token=token or env_token,
                   cors_origins=tuple(cors_origins) + _split(os.environ.get(ENV_CORS_ORIGINS)))


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def host_name(header: str) -> str:
    """The name of a Host header without its port, lower-case: "Example.org:8000" -> "example.org",
    "[::1]:8000" -> "::1"."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    if header.count(":") == 1:
        return header.split(":", 1)[0]
    return header


def host_allowed(header: str, exposure: Exposure) -> bool:
    """Whether a Host header names this server (see the module docstring)."""
    name = host_name(header)
    if not name or not re.fullmatch(r"[a-z0-9.:_-]+", name):
        return False
    allowed = {h.lower() for h in exposure.allowed_hosts}
    if "*" in allowed or name in allowed or name.rstrip(".") in allowed:
        return True
    bind = exposure.bind_host.lower()
    if name == bind or name in LOOPBACK_NAMES:
        return True
    # bound to every interface: any IP literal is this machine or a proxy's choice, never a rebound name
    return bind in ("0.0.0.0", "::", "") and _ip(name) is not None


async def _reject(send: Any, status: int, reason: str, headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"detail": reason}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"x-content-type-options", b"nosniff"), *headers]})
    await send({"type": "http.response.body", "body": body})


def _header(scope: dict, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key == name:
            return value.decode("latin-1")
    return None


class HostCheck:
    """421 Misdirected Request for a Host header that does not name this server (DNS rebinding)."""

    def __init__(self, app: Any, exposure: Exposure) -> None:
        self.app, self.exposure = app, exposure

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            host = _header(scope, b"host")
            if host is None or not host_allowed(host, self.exposure):
                await _reject(send, 421, f"Host {host!r} is not this server; allowed: the bound address, "
                                         "localhost, or names given with --allow-host / GEOINC_ALLOWED_HOSTS")
                return
        await self.app(scope, receive, send)


class TokenCheck:
    """401 for a write request without ``Authorization: Bearer TOKEN`` when a token is configured."""

    def __init__(self, app: Any, token: str | None) -> None:
        self.app = app
        self.token = token.encode() if token else None

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if self.token and scope["type"] == "http" and writes(scope.get("method", ""), scope.get("path", "")):
            given = (_header(scope, b"authorization") or "").strip()
            scheme, _, value = given.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), self.token):
                await _reject(send, 401, "this route writes to the store: send Authorization: Bearer TOKEN "
                                         "(the token given to geoinc serve --token or GEOINC_API_TOKEN)",
                              [(b"www-authenticate", b'Bearer realm="geoinc"')])
                return
        await self.app(scope, receive, send)


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def lone_surrogate(value: Any) -> str | None:
    """The first string in a decoded JSON value that holds a lone surrogate (not valid Unicode text), or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as err:
                return f"\\u{ord(item[err.start]):04x} at character {err.start} of a string"
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


class TextCheck:
    """400 for a JSON body whose strings are not valid Unicode (a lone surrogate escape such as ``\\ud800``),
    which would fail later when stored or encoded. The body is already buffered by BodySizeLimit."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if _SURROGATE_ESCAPE.search(body):           # cheap test first: only then decode the JSON
            try:
                found = lone_surrogate(json.loads(body))
            except ValueError:
                found = None                        # not JSON: the route's own validation answers
            if found:
                await _reject(send, 400, f"request body is not valid Unicode text: lone surrogate {found}")
                return
        replayed = False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class SecurityHeaders:
    """``X-Content-Type-Options: nosniff`` on every answer; a Content-Security-Policy on HTML answers
    that have none (the /docs pages set their own through fastapi-offline's HTML)."""

    def __init__(self, app: Any, csp: str = MAP_CSP) -> None:
        self.app, self.csp = app, csp.encode()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                names = {k.lower() for k, _ in headers}
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                path = scope.get("path", "")
                if ctype.startswith(b"text/html") and b"content-security-policy" not in names \
                        and not path.startswith(("/docs", "/redoc")):
                    headers.append((b"content-security-policy", self.csp))
                    headers.append((b"referrer-policy", b"no-referrer"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: Any, exposure: Exposure, *, max_body: int) -> None:
    """Add the middlewares to a FastAPI app. The last added runs first, so a request meets: Host check,
    security headers, CORS, token, body size limit (it buffers at most max_body bytes), text check."""
    from .middleware import BodySizeLimit

    app.add_middleware(TextCheck)
    app.add_middleware(BodySizeLimit, max_body=max_body)
    app.add_middleware(TokenCheck, token=exposure.token)
    if exposure.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(exposure.cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type"],
                           expose_headers=["X-Total-Count", "Link"])
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HostCheck, exposure=exposure)


__all__ = ["Exposure", "HostCheck", "TokenCheck", "TextCheck", "SecurityHeaders", "install", "host_allowed",
           "host_name", "lone_surrogate", "MAP_CSP", "ENV_TOKEN", "ENV_ALLOWED_HOSTS", "ENV_CORS_ORIGINS"]
