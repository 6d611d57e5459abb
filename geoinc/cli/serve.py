"""``geoinc serve``: the HTTP API (FastAPI on uvicorn) over the same store as the CLI."""
from __future__ import annotations

import argparse
import sys

from ..errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "serve", help="run the HTTP API (127.0.0.1:8000 by default)",
        description="Run the geoinc HTTP API: POST /articles, GET /incidents, /incidents/{id}, /map, "
                    "/places/resolve, POST /check, GET /health. OpenAPI schema at /openapi.json "
                    "(the /docs page loads Swagger UI from a CDN).")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1: this machine only; 0.0.0.0 exposes it to the network)")
    p.add_argument("--port", type=int, default=8000, help="TCP port (default 8000; 0 picks a free one)")
    p.add_argument("--db", metavar="PATH", help="incident store (default: $GEOINC_DB or GEOINC_HOME/incidents.sqlite)")
    p.add_argument("--workers", type=int, default=1,
                   help="worker processes sharing the port (default 1; each has its own SQLite connections)")
    p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"),
                   help="uvicorn log level (default info)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..api.app import serve

    if not 0 <= args.port <= 65535:
        raise InputError(f"bad --port {args.port}: expected 0..65535")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"geoinc serve: warning: binding {args.host}; the API has no authentication", file=sys.stderr)
    if not 1 <= args.workers <= 64:
        raise InputError(f"bad --workers {args.workers}: expected 1..64")
    serve(args.host, args.port, args.db, log_level=args.log_level, workers=args.workers)
    return 0
