"""The HTTP API: FastAPI on uvicorn over the same embedded store as the CLI.

``create_app(db)`` builds the app; ``geoinc serve`` runs it (127.0.0.1 by default). Every input is
validated by the same functions as the CLI (:func:`geoinc.regions.build_spec`), so a bad date, an
inverted bbox, an invalid polygon or an unknown country is a 400 with the reason in ``detail``; an
unknown incident or place is a 404; a body over ``max_body`` bytes is a 413 (checked on the
Content-Length header and on the bytes actually received). SQL is parameterised throughout (the store
and :mod:`geoinc.regions` never format values into SQL). Endpoints are plain ``def`` functions, so
FastAPI runs them in its thread pool; the store gives each thread its own SQLite connection (WAL:
many readers, one writer waiting on a busy timeout), which makes concurrent requests safe.

OpenAPI: ``/openapi.json``, ``/docs`` (Swagger UI) and ``/redoc`` are all served locally; the docs pages'
scripts come from the fastapi-offline package (``/docs-assets/``), so they work with no network.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import Body, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, Field

from .. import __version__
from ..errors import GeoIncError, InputError, NotFoundError, StoreError

MAX_BODY = 2 * 1024 * 1024          # bytes a request body may have (413 beyond)
DEFAULT_LIMIT = 1000                # incidents returned by /incidents when no limit is given
MAX_LIMIT = 100_000
MAP_LIMIT = 50_000
HEALTH_COUNT_SECONDS = 5.0          # /health recounts incidents at most this often
MMAP_BYTES = 1 << 30                # SQLite memory-maps up to this much of the store per reading connection


# --- request bodies --------------------------------------------------------------------------------

class ArticleIn(BaseModel):
    """An article to ingest: its text and publication date (title and URL optional)."""

    text: str = Field(..., description="the article text (UTF-8)", examples=["The Iraqi border is only 10 kilometers away."])
    published: str = Field(..., description="publication date, YYYY-MM-DD", examples=["2024-01-29"])
    title: str | None = None
    url: str | None = None


class CheckIn(BaseModel):
    """A text whose distance and direction claims should be checked."""

    text: str
    published: str | None = Field(None, description="publication date, YYYY-MM-DD (helps the geoparser)")


class QueryIn(BaseModel):
    """The query parameters of GET /incidents as a JSON body; ``polygon`` may be a GeoJSON object."""

    country: str | None = None
    admin1: str | None = None
    bbox: str | list[float] | None = Field(None, description="minlon,minlat,maxlon,maxlat or a list of 4 numbers")
    lat: float | None = None
    lon: float | None = None
    near: str | None = None
    radius_km: float | None = None
    polygon: str | dict[str, Any] | None = Field(None, description="GeoJSON object or text, or WKT")
    since: str | None = None
    until: str | None = None
    event_type: list[str] | None = None
    sub_event_type: list[str] | None = None
    actor: str | None = None
    status: list[str] | None = None
    min_fatalities: int | None = None
    format: str = "geojson"
    limit: int = Field(DEFAULT_LIMIT, ge=0, le=MAX_LIMIT)


# --- body size limit (ASGI middleware) ---------------------------------------------------------------

class BodySizeLimit:
    """413 for bodies over ``max_body`` bytes: by Content-Length up front, and by counting the stream
    (chunked uploads or a lying header) while buffering it, before the endpoint sees any of it."""

    def __init__(self, app: Any, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers") or []:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await self._reject(send, 400, "bad Content-Length header")
                    return
                if declared > self.max_body:
                    await self._reject(send, 413, self._reason(declared))
                    return
        method = scope.get("method", "GET")
        if method in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        # buffer the body (at most max_body bytes) before the app sees it; stop reading past the limit
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            received += len(body)
            if received > self.max_body:
                await self._reject(send, 413, self._reason(received, partial=True))
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _reason(self, size: int, partial: bool = False) -> str:
        size_text = f"more than {self.max_body} bytes" if partial else f"{size} bytes"
        return f"request body too large: {size_text}; the limit is {self.max_body} bytes ({self.max_body // 1024} KiB)"

    @staticmethod
    async def _reject(send: Any, status: int, reason: str) -> None:
        body = json.dumps({"detail": reason}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


# --- the app ---------------------------------------------------------------------------------------

def _detail(err: Exception) -> str:
    return str(err) or err.__class__.__name__


def create_app(db: str | Path | None = None, *, max_body: int = MAX_BODY) -> FastAPI:
    """The API over the store at ``db`` (else $GEOINC_DB, else GEOINC_HOME/incidents.sqlite)."""
    from .. import config
    from ..regions import build_spec, load_frame, load_rows, rows_to_records, select
    from ..store.sqlite import open_store

    db_path = config.db_path(db)
    state: dict[str, Any] = {"store": None}
    lock = threading.Lock()

    def store():
        """The shared store, opened on first use (each thread then gets its own SQLite connection)."""
        if state["store"] is None:
            with lock:
                if state["store"] is None:
                    state["store"] = open_store(db_path)
        return state["store"]

    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        store()          # open (and create) the store at start-up: a bad path fails fast
        yield
        if state["store"] is not None:
            state["store"].close()
            state["store"] = None

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
    app.state.db_path = db_path
    app.add_middleware(BodySizeLimit, max_body=max_body)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, err: InputError) -> JSONResponse:
        return JSONResponse({"detail": _detail(err)}, status_code=400)

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, err: NotFoundError) -> JSONResponse:
        return JSONResponse({"detail": _detail(err)}, status_code=404)

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, err: StoreError) -> JSONResponse:
        return JSONResponse({"detail": _detail(err)}, status_code=503)

    @app.exception_handler(GeoIncError)
    async def _geoinc_error(request: Request, err: GeoIncError) -> JSONResponse:
        return JSONResponse({"detail": _detail(err)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, err: RequestValidationError) -> JSONResponse:
        parts = []
        for e in err.errors():
            where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path"))
            parts.append(f"{where or 'request'}: {e.get('msg', 'invalid')}")
        return JSONResponse({"detail": "; ".join(parts) or "invalid request", "errors": jsonable(err.errors())},
                            status_code=422)

    # query parameters shared by /incidents and /map
    def spec_from(params: dict[str, Any], limit: int | None):
        try:
            return build_spec(**params, limit=limit, allow_file=False)
        except NotFoundError as err:   # an unknown country/place in a query parameter is a bad request
            raise InputError(str(err)) from err

    tuned: set[int] = set()

    def reader():
        """This thread's store connection, memory-mapped for reads once (fewer read() calls per query)."""
        conn = store().conn
        if id(conn) not in tuned:
            conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            tuned.add(id(conn))
        return conn

    def run_query(spec) -> tuple[list[str], list[tuple], int]:
        conn = reader()
        sel = select(conn, spec)
        names, rows = load_rows(conn, sel.fids)
        return names, rows, sel.matched

    def run_frame(spec) -> tuple[Any, int]:
        """The result as a GeoDataFrame, read column-wise (the fast path of geoinc.query)."""
        conn = reader()
        sel = select(conn, spec)
        return load_frame(conn, sel.fids), sel.matched

    counted: dict[str, float] = {"at": -1e9, "n": 0}

    @app.get("/health", summary="liveness and store size")
    def health() -> dict[str, Any]:
        """Status and the incident count (counted at most every HEALTH_COUNT_SECONDS: a count scans the table)."""
        import time

        now = time.monotonic()
        if now - counted["at"] > HEALTH_COUNT_SECONDS:
            counted["n"], counted["at"] = store().count(), now
        return {"status": "ok", "version": __version__, "db": str(db_path), "incidents": int(counted["n"])}

    @app.get("/incidents", summary="incidents in a region and time window (GeoJSON or CSV)",
             responses={200: {"content": {"application/geo+json": {}, "text/csv": {}}}})
    def incidents(
        country: Annotated[str | None, Query(description="ISO2, ISO3 or English name (Natural Earth polygon)")] = None,
        admin1: Annotated[str | None, Query(description="first-level admin area name or GeoNames code; matched on the incident's admin1 field")] = None,
        bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat; minlon > maxlon crosses 180°")] = None,
        lat: Annotated[str | None, Query(description="centre latitude (with lon and radius_km)")] = None,
        lon: Annotated[str | None, Query(description="centre longitude")] = None,
        near: Annotated[str | None, Query(description="a place name (with radius_km)")] = None,
        radius_km: Annotated[str | None, Query(description="geodesic radius in km")] = None,
        polygon: Annotated[str | None, Query(description="GeoJSON or WKT polygon (lon lat order)")] = None,
        since: Annotated[str | None, Query(description="YYYY-MM-DD, inclusive")] = None,
        until: Annotated[str | None, Query(description="YYYY-MM-DD, inclusive")] = None,
        event_type: Annotated[list[str] | None, Query(description="ACLED event type (repeatable)")] = None,
        sub_event_type: Annotated[list[str] | None, Query(description="ACLED sub-event type (repeatable)")] = None,
        actor: Annotated[str | None, Query(description="substring of an actor (case- and accent-insensitive)")] = None,
        status: Annotated[list[str] | None, Query(description="reported, claimed, confirmed, denied (repeatable)")] = None,
        min_fatalities: Annotated[str | None, Query(description="at least this many fatalities")] = None,
        format: Annotated[str, Query(description="geojson (default), csv or acled-csv")] = "geojson",
        limit: Annotated[int, Query(ge=0, le=MAX_LIMIT, description="at most this many incidents, earliest first")] = DEFAULT_LIMIT,
    ) -> Response:
        return incidents_response(dict(country=country, admin1=admin1, bbox=bbox, lat=lat, lon=lon, near=near,
                                       radius_km=radius_km, polygon=polygon, since=since, until=until,
                                       event_type=event_type, sub_event_type=sub_event_type, actor=actor,
                                       status=status, min_fatalities=min_fatalities), format, limit)

    @app.post("/incidents/search", summary="like GET /incidents, with the parameters as a JSON body (for large polygons)",
              responses={200: {"content": {"application/geo+json": {}, "text/csv": {}}}})
    def incidents_search(body: Annotated[QueryIn, Body()]) -> Response:
        params = body.model_dump(exclude={"format", "limit"})
        if isinstance(params.get("polygon"), dict):
            params["polygon"] = json.dumps(params["polygon"])
        return incidents_response(params, body.format, body.limit)

    def incidents_response(params: dict[str, Any], format: str, limit: int) -> Response:
        from ..query_output import feature, to_csv

        if format not in ("geojson", "csv", "acled-csv"):
            raise InputError(f"bad format {format!r}: expected geojson, csv or acled-csv")
        spec = spec_from(params, limit)
        if format in ("csv", "acled-csv"):
            frame, matched = run_frame(spec)
            return Response(to_csv(frame, acled=format == "acled-csv"),
                            media_type="text/csv; charset=utf-8", headers={"X-Total-Count": str(matched)})
        names, rows, matched = run_query(spec)
        headers = {"X-Total-Count": str(matched)}
        body = {"type": "FeatureCollection", "features": [feature(r) for r in rows_to_records(names, rows)],
                "numberMatched": matched, "numberReturned": len(rows), "query": spec.labels}
        return Response(json.dumps(body, ensure_ascii=False), media_type="application/geo+json", headers=headers)

    @app.get("/incidents/{incident_id}", summary="one incident as a GeoJSON Feature")
    def incident(incident_id: str) -> Response:
        from ..query_output import feature
        from ..regions import _cursor

        cur = _cursor(store().conn).execute("SELECT * FROM incidents WHERE event_id_cnty = ?", (incident_id,))
        rows = cur.fetchall()
        if not rows:
            raise NotFoundError(f"no incident {incident_id!r}")
        record = rows_to_records([d[0] for d in cur.description], rows)[0]
        return Response(json.dumps(feature(record), ensure_ascii=False), media_type="application/geo+json")

    @app.get("/map", summary="an HTML map of the incidents a query returns", response_class=HTMLResponse)
    def map_(
        country: str | None = None, admin1: str | None = None, bbox: str | None = None,
        lat: str | None = None, lon: str | None = None, near: str | None = None, radius_km: str | None = None,
        polygon: str | None = None, since: str | None = None, until: str | None = None,
        event_type: Annotated[list[str] | None, Query()] = None,
        sub_event_type: Annotated[list[str] | None, Query()] = None,
        actor: str | None = None, status: Annotated[list[str] | None, Query()] = None,
        min_fatalities: str | None = None,
        offline: Annotated[bool, Query(description="open on the vector basemap, no tiles (self-contained either way)")] = False,
        cdn: Annotated[bool, Query(description="link Leaflet and plugins from their CDNs instead of inlining them")] = False,
        limit: Annotated[int, Query(ge=0, le=MAP_LIMIT)] = MAP_LIMIT,
    ) -> HTMLResponse:
        from ..query_output import map_page

        spec = spec_from(dict(country=country, admin1=admin1, bbox=bbox, lat=lat, lon=lon, near=near,
                              radius_km=radius_km, polygon=polygon, since=since, until=until,
                              event_type=event_type, sub_event_type=sub_event_type, actor=actor, status=status,
                              min_fatalities=min_fatalities), limit)
        frame, matched = run_frame(spec)
        return HTMLResponse(map_page(frame, spec, offline=offline, cdn=cdn and not offline),
                            headers={"X-Total-Count": str(matched)})

    @app.get("/places/resolve", summary="a place name to coordinates (offline gazetteer)")
    def resolve_place(q: Annotated[str, Query(min_length=1, max_length=200, description="a place name")]) -> dict[str, Any]:
        from dataclasses import asdict

        from ..geoparser.resolve import resolve_name  # type: ignore[attr-defined]

        if not q.strip():
            raise InputError("empty place name")
        place = resolve_name(q)
        if place is None:
            raise NotFoundError(f"unknown place {q!r}")
        return jsonable(asdict(place))

    @app.post("/articles", summary="ingest an article: mentions, incidents and claims, stored")
    def add_article(article: Annotated[ArticleIn, Body()]) -> dict[str, Any]:
        return ingest_article(store(), article.text, published=article.published, title=article.title,
                              url=article.url)

    @app.post("/check", summary="check the distance and direction claims of a text")
    def check(body: Annotated[CheckIn, Body()]) -> dict[str, Any]:
        from ..claims.measure import check_distances
        from ..regions import parse_date

        if not body.text.strip():
            raise InputError("empty text: nothing to check")
        published = parse_date(body.published, "published")
        claims = check_distances(body.text, published)
        return {"claims": [jsonable(c.to_dict()) for c in claims]}

    return app


def ingest_article(store: Any, text: str, *, published: str, title: str | None = None,
                   url: str | None = None) -> dict[str, Any]:
    """Store one article through :func:`geoinc.ingest.ingest_article` (the pipeline of ``geoinc ingest``)
    and answer its mentions, the stored incidents it created or joined, and its distance claims."""
    from ..articles import parse_article
    from ..claims.measure import check_distances
    from ..ingest import ingest_article as ingest_one
    from ..regions import parse_date
    from ..geoparser.resolve import geoparse

    published = parse_date(published, "published")
    if not text or not text.strip():
        raise InputError("empty text: nothing to ingest")
    article = parse_article(text, published=published, title=title, url=url)
    captured: list[Any] = []

    def find_mentions(body: str) -> list[Any]:
        found = geoparse(body, published=article.published)
        captured.extend(found)
        return found

    result = ingest_one(store, article, find_mentions=find_mentions)
    mentions = captured if not result.skipped else store.mentions(article.id)
    incidents = [inc for inc in (store.get(i) for i in [*result.incidents_new, *result.incidents_merged]) if inc]
    claims = check_distances(article.text, article.published, mentions=mentions)
    return {
        "article": {"id": article.id, "published": article.published, "title": article.title, "url": article.url,
                    "skipped": result.skipped},
        "mentions": [jsonable(m.to_dict()) for m in mentions],
        "incidents": [jsonable(i.to_dict()) for i in incidents],
        "claims": [jsonable(c.to_dict()) for c in claims],
        "stored": {"new": result.incidents_new, "merged": result.incidents_merged},
    }


def jsonable(value: Any) -> Any:
    """Tuples, shapely geometries and other non-JSON values made JSON-safe (geometry -> GeoJSON)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "__geo_interface__"):
        return value.__geo_interface__
    return str(value)


def app_from_env() -> FastAPI:
    """App factory for uvicorn worker processes: the store comes from $GEOINC_DB / GEOINC_HOME."""
    return create_app(None)


def serve(host: str = "127.0.0.1", port: int = 8000, db: str | Path | None = None, *, log_level: str = "info",
          workers: int = 1) -> None:
    """Run the API with uvicorn (blocking); ``workers`` > 1 starts that many processes on one socket."""
    import os

    import uvicorn

    from .. import config

    # keep-alive longer than uvicorn's 5 s default, so busy clients reusing a connection are not cut off
    options = dict(host=host, port=port, log_level=log_level, timeout_keep_alive=30)
    if workers > 1:
        os.environ[config.ENV_DB] = str(config.db_path(db))     # the workers import the app and read this
        uvicorn.run("geoinc.api.app:app_from_env", factory=True, workers=workers, **options)
    else:
        uvicorn.run(create_app(db), **options)


__all__ = ["create_app", "serve", "BodySizeLimit", "MAX_BODY"]
