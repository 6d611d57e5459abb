"""The API's routes, thin: parameters are validated by geoinc.api.params / geoinc.regions, queries are one
call on the store, ingestion is the pipeline of ``geoinc ingest`` (geoinc.ingest), output is geoinc.formats."""
from __future__ import annotations

import json
import time
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import HTMLResponse, Response

from .. import __version__
from ..errors import InputError, NotFoundError
from ..regions import QuerySpec
from ..store import IncidentStore
from .params import ArticleIn, CheckIn, IncidentsParams, MapParams, QueryIn, to_spec

HEALTH_COUNT_SECONDS = 5.0          # /health recounts incidents at most this often
_CSV_FORMATS = ("csv", "acled-csv")

router = APIRouter()


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


@router.get("/health", summary="liveness and store size")
def health(request: Request) -> dict[str, Any]:
    """Status and the incident count (counted at most every HEALTH_COUNT_SECONDS: a count scans the table)."""
    counted = request.app.state.counted
    now = time.monotonic()
    if now - counted["at"] > HEALTH_COUNT_SECONDS:
        counted["n"], counted["at"] = store_of(request).count(), now
    return {"status": "ok", "version": __version__, "db": str(request.app.state.db_path),
            "incidents": int(counted["n"])}


@router.get("/incidents", summary="incidents in a region and time window (GeoJSON or CSV)",
            responses={200: {"content": {"application/geo+json": {}, "text/csv": {}}}})
def incidents(request: Request, params: Annotated[IncidentsParams, Query()]) -> Response:
    return _incidents_response(store_of(request), params.format, lambda: params.spec(params.limit))


@router.post("/incidents/search", summary="like GET /incidents, with the parameters as a JSON body (for large polygons)",
             responses={200: {"content": {"application/geo+json": {}, "text/csv": {}}}})
def incidents_search(request: Request, body: Annotated[QueryIn, Body()]) -> Response:
    return _incidents_response(store_of(request), body.format, body.spec)


def _incidents_response(store: IncidentStore, format: str, make_spec: Any) -> Response:
    """The answer of a query as GeoJSON (read row by row: no pandas for a small answer) or CSV."""
    from ..formats import feature, to_csv

    if format not in ("geojson", *_CSV_FORMATS):
        raise InputError(f"bad format {format!r}: expected geojson, csv or acled-csv")
    spec: QuerySpec = make_spec()
    if format in _CSV_FORMATS:
        result = store.select(spec)
        return Response(to_csv(result.frame, acled=format == "acled-csv"),
                        media_type="text/csv; charset=utf-8", headers={"X-Total-Count": str(result.matched)})
    result = store.select(spec, records=True)
    rows = result.records or []
    body = {"type": "FeatureCollection", "features": [feature(r) for r in rows],
            "numberMatched": result.matched, "numberReturned": len(rows), "query": spec.labels}
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/geo+json",
                    headers={"X-Total-Count": str(result.matched)})


@router.get("/incidents/{incident_id}", summary="one incident as a GeoJSON Feature")
def incident(request: Request, incident_id: str) -> Response:
    from ..formats import feature

    inc = store_of(request).get(incident_id)
    if inc is None:
        raise NotFoundError(f"no incident {incident_id!r}")
    return Response(json.dumps(feature(inc.to_dict()), ensure_ascii=False), media_type="application/geo+json")


@router.get("/map", summary="an HTML map of the incidents a query returns", response_class=HTMLResponse)
def map_(request: Request, params: Annotated[MapParams, Query()]) -> HTMLResponse:  # type: ignore[valid-type]
    from ..formats import map_page

    spec = to_spec(params.model_dump(), params.limit)  # type: ignore[attr-defined]
    result = store_of(request).select(spec)
    return HTMLResponse(map_page(result.frame, spec, offline=params.offline,  # type: ignore[attr-defined]
                                 cdn=params.cdn and not params.offline),  # type: ignore[attr-defined]
                        headers={"X-Total-Count": str(result.matched)})


@router.get("/places/resolve", summary="a place name to coordinates (offline gazetteer)")
def resolve_place(q: Annotated[str, Query(min_length=1, max_length=200, description="a place name")]) -> dict[str, Any]:
    from ..geoparser.resolve import resolve_name  # type: ignore[attr-defined]

    if not q.strip():
        raise InputError("empty place name")
    place = resolve_name(q)
    if place is None:
        raise NotFoundError(f"unknown place {q!r}")
    return jsonable(asdict(place))


@router.post("/articles", summary="ingest an article: mentions, incidents and claims, stored")
def add_article(request: Request, article: Annotated[ArticleIn, Body()]) -> dict[str, Any]:
    return ingest_text(store_of(request), article.text, published=article.published, title=article.title,
                       url=article.url)


@router.post("/check", summary="check the distance and direction claims of a text")
def check(body: Annotated[CheckIn, Body()]) -> dict[str, Any]:
    from ..claims.measure import check_distances
    from ..regions import parse_date

    if not body.text.strip():
        raise InputError("empty text: nothing to check")
    published = parse_date(body.published, "published")
    claims = check_distances(body.text, published)
    return {"claims": [jsonable(c.to_dict()) for c in claims]}


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


__all__ = ["router", "ingest_text", "jsonable", "HEALTH_COUNT_SECONDS"]
