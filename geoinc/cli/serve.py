"""``geoinc serve``: the HTTP API (FastAPI on uvicorn) over the same store as the CLI."""
from __future__ import annotations

import argparse
import errno
import os
import re
import socket
import sys

from ..errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "serve", help="run the HTTP API (127.0.0.1:8000 by default)",
        description="Run the geoinc HTTP API: POST /articles, GET /incidents, /incidents/{id}, /map, "
                    "/places/resolve, POST /check, GET /health. OpenAPI schema at /openapi.json; "
                    "interactive docs at /docs and /redoc (assets served by geoinc itself: they work offline).")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1: this machine only; 0.0.0.0 exposes it to the network)")
    p.add_argument("--port", type=int, default=8000, help="TCP port (default 8000; 0 picks a free one)")
    p.add_argument("--db", metavar="PATH", help="incident store (default: $GEOINC_DB or GEOINC_HOME/incidents.sqlite)")
    p.add_argument("--workers", type=int, default=1,
                   help="worker processes sharing the port (default 1; each has its own SQLite connections)")
    p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"),
                   help="uvicorn log level (default info)")
    safe = p.add_argument_group("exposing the service (docs/api.md, Security)")
    safe.add_argument("--token", metavar="TOKEN",
                      help="require 'Authorization: Bearer TOKEN' on the routes that write to the store "
                           "(POST /articles); better: set GEOINC_API_TOKEN, which ps does not show")
    safe.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                      help="also accept this Host header name (repeatable; GEOINC_ALLOWED_HOSTS=a,b); by default "
                           "only the bound address and localhost are accepted (DNS rebinding)")
    safe.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                      help="let pages from this origin call the API from a browser, e.g. https://maps.example.org "
                           "(repeatable; GEOINC_CORS_ORIGINS); none by default")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..api.app import serve
    from ..api.security import ENV_TOKEN

    if "://" not in str(args.db or ""):
        from .. import config
        from ..textio import check_output_path

        check_output_path(config.db_path(args.db), "--db")      # POST /articles writes the store
    if not 0 <= args.port <= 65535:
        raise InputError(f"bad --port {args.port}: expected 0..65535")
    if not 1 <= args.workers <= 64:
        raise InputError(f"bad --workers {args.workers}: expected 1..64")
    if args.token is not None and len(args.token.strip()) < 16:
        raise InputError("--token is too short: give at least 16 characters (e.g. python -c 'import secrets; "
                         "print(secrets.token_urlsafe())')")
    for origin in args.cors_origin:
        if not re.fullmatch(r"https?://[^/\s]+", origin) and origin != "*":
            raise InputError(f"bad --cors-origin {origin!r}: expected scheme://host[:port], e.g. https://maps.example.org")
    check_port_free(args.host, args.port)
    token = args.token or os.environ.get(ENV_TOKEN, "").strip() or None
    if args.host not in ("127.0.0.1", "localhost", "::1") and not token:
        print(f"geoinc serve: warning: binding {args.host} without a token: anyone who reaches it can write to "
              "the store (set GEOINC_API_TOKEN or --token)", file=sys.stderr)
    serve(args.host, args.port, args.db, log_level=args.log_level, workers=args.workers, token=args.token,
          allowed_hosts=tuple(args.allow_host), cors_origins=tuple(args.cors_origin))
    return 0


def check_port_free(host: str, port: int) -> None:
    """Refuse, with one line, an address this process cannot listen on (a port in use, a host that is not
    this machine's) before uvicorn starts: it would print its log and exit 3. Binding is tried the way
    uvicorn binds (SO_REUSEADDR), so a port left in TIME_WAIT by a stopped server is still accepted."""
    if port == 0:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise InputError(f"bad --host {host!r}: {getattr(err, 'strerror', None) or err}") from None
    family, kind, proto, _, address = infos[0]
    try:
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            raise InputError(f"port {port} on {host} is already in use (another server?); choose another "
                             "with --port N, or --port 0 for a free one") from None
        raise InputError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
