"""The API's routes, thin: parameters are validated by geoinc.api.params / geoinc.regions, queries are one
call on the store, ingestion is the pipeline of ``geoinc ingest`` (geoinc.ingest), output is geoinc.formats."""
from __future__ import annotations

import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from pydantic import TypeAdapter

from .. import __version__
from ..errors import InputError, NotFoundError
from ..regions import QuerySpec
from ..store import IncidentStore
from .params import (MAX_PAGE, REPORT_MAX, ArticleIn, CheckIn, IncidentsParams, MapParams, QueryIn, ReportParams,
                     to_spec)

HEALTH_COUNT_SECONDS = 5.0          # /health recounts incidents at most this often
SMALL_PAGE = 1_000                  # GeoJSON pages up to this many features are sent whole, larger ones streamed
CHUNK_CHARS = 256 * 1024            # a streamed page goes out in pieces of about this many characters
_JSON = json.JSONEncoder(ensure_ascii=False)
_CSV_FORMATS = ("csv", "acled-csv")

router = APIRouter()
_DICT = TypeAdapter(dict[str, Any])


def json_answer(value: dict[str, Any]) -> Response:
    """A JSON object answered as FastAPI answers a route declared ``-> dict[str, Any]`` (validated and encoded
    by pydantic: the same bytes), but in the endpoint's own thread: FastAPI validates what a plain ``def``
    route returns in a second trip through the thread pool, which under load queues behind every waiting
    request (``/health`` took twice the latency of a bbox query)."""
    return Response(_DICT.dump_json(_DICT.validate_python(value)), media_type="application/json")


class HeavyGate:
    """At most ``n`` large answers (a page of over SMALL_PAGE incidents, a CSV page, a map, a report) being
    built or streamed at once in this process; the others wait their turn. Each holds thousands of rows in
    memory, so this bounds the server's memory under any mix of requests (16 threads building 5,000-feature
    pages at once took two workers past 1 GB), while small answers never wait here."""

    def __init__(self, n: int) -> None:
        if n < 1:
            raise ValueError(f"heavy answers at once must be >= 1, not {n}")
        self.n = n
        self._slots = threading.BoundedSemaphore(n)
        self._lock = threading.Lock()
        self.busy = 0                       # slots taken now (for tests and diagnostics)

    @contextmanager
    def held(self) -> Iterator[None]:
        """A slot for the duration of a with-block (waiting for one)."""
        self._slots.acquire()
        with self._lock:
            self.busy += 1
        try:
            yield
        finally:
            with self._lock:
                self.busy -= 1
            self._slots.release()


def heavy_gate(request: Request) -> HeavyGate:
    return request.app.state.heavy


def store_of(request: Request) -> IncidentStore:
    """The app's store (opened at start-up, see geoinc.api.app); each thread gets its own connection."""
    return request.app.state.open_store()


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


@router.get("/health", summary="liveness and store size", response_model=dict[str, Any])
def health(request: Request) -> Response:
    """Status and the incident count (counted at most every HEALTH_COUNT_SECONDS: a count scans the table)."""
    counted = request.app.state.counted
    now = time.monotonic()
    if now - counted["at"] > HEALTH_COUNT_SECONDS:
        counted["n"], counted["at"] = store_of(request).count(), now
    return json_answer({"status": "ok", "version": __version__, "db": str(request.app.state.db_path),
                        "incidents": int(counted["n"])})


@router.get("/incidents", summary="incidents in a region and time window (GeoJSON or CSV)",
            responses={200: {"content": {"application/geo+json": {}, "text/csv": {}}}})
def incidents(request: Request, params: Annotated[IncidentsParams, Query()]) -> Response:
    return _incidents_response(request, params.format, params.limit, params.offset,
                               lambda page: params.spec(page, params.offset))


@router.post("/incidents/search", summary="like GET /incidents, with the parameters as a JSON body (for large polygons)",
             responses={200: {"content": {"application/geo+json": {}, "text/csv": {}}}})
def incidents_search(request: Request, body: Annotated[QueryIn, Body()]) -> Response:
    return _incidents_response(request, body.format, body.limit, body.offset, body.spec)


def _incidents_response(request: Request, format: str, limit: int, offset: int, make_spec: Any) -> Response:
    """One page of a query's answer: at most MAX_PAGE incidents (of the ``limit`` asked for) from ``offset``,
    as GeoJSON streamed feature by feature (read row by row: no pandas) or CSV; a next link (GeoJSON
    ``links`` and ``next_offset``, and an HTTP ``Link`` header) says where the rest is."""
    from ..formats import to_csv

    if format not in ("geojson", *_CSV_FORMATS):
        raise InputError(f"bad format {format!r}: expected geojson, csv or acled-csv")
    page = min(limit, MAX_PAGE)
    spec: QuerySpec = make_spec(page)
    store = store_of(request)
    if format in _CSV_FORMATS:
        with heavy_gate(request).held():
            result = store.select(spec)
            n = len(result.frame)
            text = to_csv(result.frame, acled=format == "acled-csv")
        return Response(text, media_type="text/csv; charset=utf-8",
                        headers=_page_headers(request, result.matched, offset, n, limit))
    with heavy_gate(request).held() if page > SMALL_PAGE else nullcontext():
        result = store.select(spec, records=True)
        rows = result.records or []
        headers = _page_headers(request, result.matched, offset, len(rows), limit)
        nxt = _next_offset(result.matched, offset, len(rows), limit)
        tail = {"numberMatched": result.matched, "numberReturned": len(rows), "query": spec.labels,
                "next_offset": nxt,
                "links": [{"rel": "next", "href": _next_url(request, nxt, limit, len(rows)),
                           "type": "application/geo+json"}] if nxt is not None and request.method == "GET" else []}
        # the pieces are written while the slot is held and the rows are dropped with it: a slot held until
        # the page is sent would outlive this endpoint thread, and the threads waiting for it could deadlock
        pieces = list(_feature_collection(rows, tail))
        small = len(rows) <= SMALL_PAGE
        del rows, result
    if small:                   # a small page in one piece, with a Content-Length
        return Response("".join(pieces), media_type="application/geo+json", headers=headers)

    async def send() -> AsyncIterator[str]:       # on the event loop: no thread per piece
        for piece in pieces:
            yield piece

    return StreamingResponse(send(), media_type="application/geo+json", headers=headers)


def _feature_collection(rows: list[dict[str, Any]], tail: dict[str, Any]) -> Iterator[str]:
    """A FeatureCollection in pieces of about CHUNK_CHARS (one piece per feature would cost one socket write
    each when sent)."""
    from ..formats import feature_json

    parts, size = ['{"type": "FeatureCollection", "features": ['], 0
    for i, r in enumerate(rows):
        text = ("," if i else "") + feature_json(r)
        parts.append(text)
        size += len(text)
        if size >= CHUNK_CHARS:
            yield "".join(parts)
            parts, size = [], 0
    parts.append("], " + _JSON.encode(tail)[1:])
    yield "".join(parts)


def _next_offset(matched: int, offset: int, returned: int, limit: int) -> int | None:
    """Where the next page starts, or None when this page ends the answer (all matches, or ``limit`` reached
    from where the client started: a page's limit shrinks by what earlier pages returned)."""
    end = offset + returned
    return end if returned and end < matched and returned < limit else None


def _next_url(request: Request, nxt: int, limit: int, returned: int) -> str:
    return str(request.url.include_query_params(offset=nxt, limit=limit - returned))


def _page_headers(request: Request, matched: int, offset: int, returned: int, limit: int) -> dict[str, str]:
    headers = {"X-Total-Count": str(matched)}
    nxt = _next_offset(matched, offset, returned, limit)
    if nxt is not None and request.method == "GET":
        headers["Link"] = f'<{_next_url(request, nxt, limit, returned)}>; rel="next"'
    return headers


@router.get("/incidents/{incident_id}", summary="one incident as a GeoJSON Feature")
def incident(request: Request, incident_id: str) -> Response:
    from ..formats import feature_json

    inc = store_of(request).get(incident_id)
    if inc is None:
        raise NotFoundError(f"no incident {incident_id!r}")
    return Response(feature_json(inc.to_dict()), media_type="application/geo+json")


@router.get("/map", summary="an HTML map of the incidents a query returns", response_class=HTMLResponse)
def map_(request: Request, params: Annotated[MapParams, Query()]) -> HTMLResponse:  # type: ignore[valid-type]
    from ..formats import map_page

    spec = to_spec(params.model_dump(), params.limit)  # type: ignore[attr-defined]
    with heavy_gate(request).held():
        result = store_of(request).select(spec, records=True)     # plain rows: the map reads a few fields of each
        page = map_page(result.records or [], spec, offline=params.offline,  # type: ignore[attr-defined]
                        cdn=params.cdn and not params.offline)  # type: ignore[attr-defined]
    return HTMLResponse(page, headers={"X-Total-Count": str(result.matched)})


@router.get("/report", summary="a self-contained HTML report of the incidents a query returns",
            response_class=HTMLResponse)
def report(request: Request, params: Annotated[ReportParams, Query()]) -> HTMLResponse:
    from ..reports.build import build_report

    values = params.model_dump()
    spec = to_spec(values, params.limit)
    query = {k: v for k, v in values.items() if k not in ("title", "lang", "static_map") and v not in (None, [])}
    with heavy_gate(request).held():
        if params.limit is None and len(store_of(request).select(to_spec(values, REPORT_MAX + 1)).frame) > REPORT_MAX:
            raise InputError(f"more than {REPORT_MAX} incidents match: narrow the region or period, or give a limit")
        built = build_report(spec, store_of(request), query=query, respec=lambda since, until: to_spec(
            {**values, "since": since, "until": until}, None), title=params.title, lang=params.lang,
            static_map=params.static_map)
    from ..reports.page import PAGE_CSP   # the page's own policy (no network), not the map's

    return HTMLResponse(built.html, headers={"X-Total-Count": str(built.incidents),
                                             "Content-Security-Policy": PAGE_CSP + "; frame-ancestors 'self'"})


@router.get("/places/resolve", summary="a place name to coordinates (offline gazetteer)", response_model=dict[str, Any])
def resolve_place(q: Annotated[str, Query(min_length=1, max_length=200, description="a place name")]) -> Response:
    from ..geoparser.resolve import resolve_name  # type: ignore[attr-defined]

    if not q.strip():
        raise InputError("empty place name")
    place = resolve_name(q)
    if place is None:
        raise NotFoundError(f"unknown place {q!r}")
    return json_answer(jsonable(asdict(place)))


@router.post("/articles", summary="ingest an article: mentions, incidents and claims, stored",
             response_model=dict[str, Any])
def add_article(request: Request, article: Annotated[ArticleIn, Body()]) -> Response:
    return json_answer(ingest_text(store_of(request), article.text, published=article.published,
                                   title=article.title, url=article.url))


@router.post("/check", summary="check the distance and direction claims of a text", response_model=dict[str, Any])
def check(body: Annotated[CheckIn, Body()]) -> Response:
    from ..claims.measure import check_distances
    from ..regions import parse_date

    if not body.text.strip():
        raise InputError("empty text: nothing to check")
    published = parse_date(body.published, "published")
    claims = check_distances(body.text, published)
    return json_answer({"claims": [jsonable(c.to_dict()) for c in claims]})


def ingest_text(store: IncidentStore, text: str, *, published: str, title: str | None = None,
                url: str | None = None) -> dict[str, Any]:
    """Store one article through geoinc.ingest (the pipeline of ``geoinc ingest``, claims checked too) and
    answer its mentions, the stored incidents it created or joined, and its distance claims."""
    from ..articles import parse_article
    from ..geoparser.resolve import geoparse
    from ..ingest import process_article
    from ..regions import parse_date

    published_day = parse_date(published, "published")
    if not text or not text.strip():
        raise InputError("empty text: nothing to ingest")
    article = parse_article(text, published=published_day, title=title, url=url)
    done = process_article(store, article, claims=True,
                           find_mentions=lambda body: geoparse(body, published=article.published))
    stored = done.stored
    incidents = [inc for inc in (store.get(i) for i in [*stored.incidents_new, *stored.incidents_merged]) if inc]
    return {
        "article": {"id": article.id, "published": article.published, "title": article.title, "url": article.url,
                    "skipped": stored.skipped},
        "mentions": [jsonable(m.to_dict()) for m in done.mentions],
        "incidents": [jsonable(i.to_dict()) for i in incidents],
        "claims": [jsonable(c.to_dict()) for c in done.claims],
        "stored": {"new": stored.incidents_new, "merged": stored.incidents_merged},
    }


__all__ = ["router", "ingest_text", "jsonable", "json_answer", "HEALTH_COUNT_SECONDS"]
