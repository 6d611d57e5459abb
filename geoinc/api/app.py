"""The HTTP API: an app factory for FastAPI on uvicorn over the same store as the CLI.

``create_app(db)`` builds the app from the routers of geoinc.api.routes; ``geoinc serve`` runs it
(127.0.0.1 by default). Every input is validated by the same functions as the CLI
(:func:`geoinc.regions.build_spec`), so a bad date, an inverted bbox, an invalid polygon or an unknown
country is a 400 with the reason in ``detail``; an unknown incident or place is a 404; a body over
``max_body`` bytes is a 413 (checked on the Content-Length header and on the bytes actually received).
Endpoints are plain ``def`` functions, so FastAPI runs them in its thread pool; the store gives each thread
its own connection and owns how it is tuned, which makes concurrent requests safe.

OpenAPI: ``/openapi.json``, ``/docs`` (Swagger UI) and ``/redoc`` are all served locally; the docs pages'
scripts come from the fastapi-offline package (``/docs-assets/``), so they work with no network.
"""
from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline

from .. import __version__
from ..errors import GeoIncError, InputError, NotFoundError, StoreError
from ..store import IncidentStore, redact_url
from .middleware import MAX_BODY, BodySizeLimit
from .routes import jsonable, router
from .security import ENV_ALLOWED_HOSTS, ENV_BIND_HOST, ENV_CORS_ORIGINS, ENV_TOKEN, Exposure, install

HEAVY_AT_ONCE = 2          # large pages, CSV pages, maps and reports built at once per worker (see routes.HeavyGate)
API_THREADS = 8           # endpoint threads per worker process (see create_app); more workers scale past one core
_STATUS = ((InputError, 400), (NotFoundError, 404), (StoreError, 503), (GeoIncError, 400))


class _LazyStore:
    """The app's one store, opened on first use (at start-up) and closed at shutdown."""

    def __init__(self, db_path: Path | str) -> None:
        self.db_path = db_path
        self.store: IncidentStore | None = None
        self.lock = threading.Lock()

    def __call__(self) -> IncidentStore:
        if self.store is None:
            with self.lock:
                if self.store is None:
                    from ..store import open_store

                    self.store = open_store(self.db_path)
        return self.store

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


def warm_maps() -> None:
    """Load what drawing a map needs (folium and its templates, Natural Earth countries, the city labels, the
    offline assets, a few outlines) by drawing one small map: done once per worker process in a background
    thread at start-up, so no user's first ``/map`` waits the ~4 s of these one-time loads. Never fails."""
    try:
        from ..maps.render import build_map, map_html

        map_html(build_map([{"latitude": 33.3, "longitude": 44.4, "event_type": "Battles", "event_date": "2024-01-01"}],
                           title="warm-up"))
    except Exception:  # noqa: BLE001 - a warm-up only saves time; /map reports its own errors
        pass


def _detail(err: Exception) -> str:
    return str(err) or err.__class__.__name__


def _error_handler(status: int):
    async def handle(request: Request, err: Exception) -> JSONResponse:
        return JSONResponse({"detail": _detail(err)}, status_code=status)
    return handle


async def _validation_error(request: Request, err: RequestValidationError) -> JSONResponse:
    parts = []
    for e in err.errors():
        where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{where or 'request'}: {e.get('msg', 'invalid')}")
    return JSONResponse({"detail": "; ".join(parts) or "invalid request", "errors": jsonable(err.errors())},
                        status_code=422)


def create_app(db: str | Path | None = None, *, max_body: int = MAX_BODY, exposure: Exposure | None = None,
               threads: int = API_THREADS, warm: bool = True, heavy: int = HEAVY_AT_ONCE) -> FastAPI:
    """The API over the store at ``db`` (a path or a postgresql:// URL; else $GEOINC_DB, else
    GEOINC_HOME/incidents.sqlite); ``exposure`` (default: from the environment, bound to 127.0.0.1) says which
    Host names, token and CORS origins it accepts (geoinc.api.security); ``threads``: endpoints running at
    once in this process; ``warm``: load what maps need in the background at start-up (:func:`warm_maps`);
    ``heavy``: large answers (pages over SMALL_PAGE, CSV, maps, reports) held in memory at once."""
    from .routes import HeavyGate
    from .. import config
    from ..store import db_target, is_url

    target = db_target(db)
    db_path: Path | str = str(target) if is_url(target) else config.db_path(db)
    store = _LazyStore(db_path)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        store()          # open (and create) the store at start-up: a bad path fails fast
        # endpoints run in this many threads at once (anyio's default is 40): each thread keeps its own
        # SQLite connection and page cache, and more threads than this only queue for the interpreter lock
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        if warm:
            threading.Thread(target=warm_maps, name="geoinc-warm-maps", daemon=True).start()
        yield
        store.close()

    # FastAPIOffline: the same FastAPI app, with /docs (Swagger UI) and /redoc served from files in the
    # fastapi-offline package instead of a CDN, so the interactive docs work on an offline machine too
    app = FastAPIOffline(
        static_url="/docs-assets",
        title="geoinc",
        version=__version__,
        description="Places, incidents and distance claims from news text: ingest articles, query incidents "
                    "by region and time, draw maps, check distance claims.",
        lifespan=lifespan,
    )
    app.state.db_path = db_path if isinstance(db_path, Path) else redact_url(db_path)
    app.state.open_store = store
    app.state.counted = {"at": -1e9, "n": 0}
    app.state.heavy = HeavyGate(heavy)
    install(app, exposure or Exposure.from_env(), max_body=max_body)   # Host, headers, CORS, token, size, text
    for cls, status in _STATUS:
        app.add_exception_handler(cls, _error_handler(status))
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.include_router(router)
    return app


def app_from_env() -> FastAPI:
    """App factory for uvicorn worker processes: the store comes from $GEOINC_DB / GEOINC_HOME."""
    return create_app(None)


MALLOC_ARENAS = 2          # glibc heaps per server process (its default, 8 per core, keeps freed pages per thread)


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> None:
    """Cap glibc's malloc arenas in this process and the workers it starts (MALLOC_ARENA_MAX, unless set):
    with one arena per endpoint thread, memory freed after a large answer stays with that thread's arena and
    the server's resident memory only grows. No effect off glibc."""
    import ctypes
    import ctypes.util
    import os

    os.environ.setdefault("MALLOC_ARENA_MAX", str(arenas))
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        if libc is not None and hasattr(libc, "mallopt"):
            libc.mallopt(-8, int(os.environ["MALLOC_ARENA_MAX"]))     # M_ARENA_MAX
    except (OSError, ValueError):
        pass


def serve(host: str = "127.0.0.1", port: int = 8000, db: str | Path | None = None, *, log_level: str = "info",
          workers: int = 1, token: str | None = None, allowed_hosts: tuple[str, ...] = (),
          cors_origins: tuple[str, ...] = ()) -> None:
    """Run the API with uvicorn (blocking); ``workers`` > 1 starts that many processes on one socket.
    ``token`` guards the write routes, ``allowed_hosts`` adds Host names, ``cors_origins`` opens CORS."""
    import os

    import uvicorn

    from .. import config
    from ..store import db_target, is_url

    limit_malloc_arenas()
    # keep-alive longer than uvicorn's 5 s default, so busy clients reusing a connection are not cut off
    options = dict(host=host, port=port, log_level=log_level, timeout_keep_alive=30)
    if workers > 1:
        # the workers import the app and read these (a token set here stays out of the process list)
        target = db_target(db)
        os.environ[config.ENV_DB] = str(target) if is_url(target) else str(config.db_path(db))
        os.environ[ENV_BIND_HOST] = host
        if token:
            os.environ[ENV_TOKEN] = token
        for env, values in ((ENV_ALLOWED_HOSTS, allowed_hosts), (ENV_CORS_ORIGINS, cors_origins)):
            if values:
                os.environ[env] = ",".join(filter(None, [os.environ.get(env, ""), *values]))
        uvicorn.run("geoinc.api.app:app_from_env", factory=True, workers=workers, **options)
    else:
        exposure = Exposure.from_env(host, allowed_hosts=allowed_hosts, token=token, cors_origins=cors_origins)
        uvicorn.run(create_app(db, exposure=exposure), **options)


__all__ = ["create_app", "serve", "warm_maps", "BodySizeLimit", "MAX_BODY", "API_THREADS"]
