"""The API's inputs: one QueryParams model for a region query (query string of GET /incidents and /map,
or the JSON body of POST /incidents/search), turned into a QuerySpec by :func:`geoinc.regions.build_spec`,
the validator of the CLI too; and the bodies of POST /articles and POST /check."""
from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field, create_model

from ..errors import InputError, NotFoundError
from ..regions import QuerySpec, build_spec

DEFAULT_LIMIT = 1000                # incidents returned by /incidents when no limit is given
MAX_LIMIT = 100_000
MAX_PAGE = 5_000                    # incidents in one answer at most, whatever the limit: a next link gives the rest
MAP_LIMIT = 50_000
REPORT_MAX = 20_000                 # GET /report: a query matching more incidents is refused (narrow it)


class QueryParams(BaseModel):
    """The region and filter parameters of a query, as the query string gives them (text, repeatable lists)."""

    country: str | None = Field(None, description="ISO2, ISO3 or English name (Natural Earth polygon)")
    admin1: str | None = Field(None, description="first-level admin area name or GeoNames code; matched on the incident's admin1 field")
    bbox: str | None = Field(None, description="minlon,minlat,maxlon,maxlat; minlon > maxlon crosses 180°")
    lat: str | None = Field(None, description="centre latitude (with lon and radius_km)")
    lon: str | None = Field(None, description="centre longitude")
    near: str | None = Field(None, description="a place name (with radius_km)")
    radius_km: str | None = Field(None, description="geodesic radius in km")
    polygon: str | None = Field(None, description="GeoJSON or WKT polygon (lon lat order)")
    since: str | None = Field(None, description="YYYY-MM-DD, inclusive")
    until: str | None = Field(None, description="YYYY-MM-DD, inclusive")
    event_type: list[str] | None = Field(None, description="ACLED event type (repeatable)")
    sub_event_type: list[str] | None = Field(None, description="ACLED sub-event type (repeatable)")
    actor: str | None = Field(None, description="substring of an actor (case- and accent-insensitive)")
    status: list[str] | None = Field(None, description="reported, claimed, confirmed, denied (repeatable)")
    min_fatalities: str | None = Field(None, description="at least this many fatalities")

    def spec(self, limit: int | None, offset: int = 0) -> QuerySpec:
        """The validated query: ``limit`` matches from the ``offset``-th on."""
        return to_spec(self.model_dump(), limit, offset)


def to_spec(values: dict[str, Any], limit: int | None, offset: int = 0) -> QuerySpec:
    """The validated query of these parameter values (the QueryParams fields); an unknown country or place in
    a parameter is a bad request (InputError), as every other invalid value."""
    try:
        return build_spec(**{name: values.get(name) for name in QueryParams.model_fields}, limit=limit,
                          offset=offset, allow_file=False)
    except NotFoundError as err:
        raise InputError(str(err)) from err


class IncidentsParams(QueryParams):
    """GET /incidents: a query, the output format and a limit."""

    format: str = Field("geojson", description="geojson (default), csv or acled-csv")
    limit: int = Field(DEFAULT_LIMIT, ge=0, le=MAX_LIMIT,
                       description=f"at most this many incidents, earliest first; one answer holds at most {MAX_PAGE:,} "
                                   "and links to the next page")
    offset: int = Field(0, ge=0, le=2**63 - 1, description="skip this many matches first (the next link sets it)")


def _plain(model: type[BaseModel]) -> dict[str, Any]:
    """The fields of ``model`` without their descriptions (the /map page documents none of them)."""
    return {name: (f.annotation, Field(f.default)) for name, f in model.model_fields.items()}


# GET /map: the same parameters, undocumented in its schema, then offline and a limit of its own
MapParams = create_model(
    "MapParams", __base__=None, **_plain(QueryParams),
    offline=(bool, Field(False, description="open on the vector basemap, no tiles (self-contained either way)")),
    cdn=(bool, Field(False, description="link Leaflet and plugins from their CDNs instead of inlining them")),
    limit=(int, Field(MAP_LIMIT, ge=0, le=MAP_LIMIT)))


class ReportParams(QueryParams):
    """GET /report: a query, and how the report is written."""

    title: str | None = Field(None, max_length=300, description="title of the report (default: region and period)")
    lang: str = Field("en", description="language of the page (en)")
    static_map: bool = Field(False, description="add a PNG of the map for print (headless Chromium, slower)")
    limit: int | None = Field(None, ge=0, le=REPORT_MAX, description="only the first N incidents (the report says so)")


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
    offset: int = Field(0, ge=0, le=2**63 - 1)

    def spec(self, limit: int | None = None) -> QuerySpec:
        """The validated query (a GeoJSON object given as ``polygon`` is read as its text)."""
        values = self.model_dump()
        if isinstance(values.get("polygon"), dict):
            values["polygon"] = json.dumps(values["polygon"])
        return to_spec(values, self.limit if limit is None else limit, self.offset)


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


__all__ = ["QueryParams", "IncidentsParams", "MapParams", "ReportParams", "REPORT_MAX", "to_spec", "QueryIn", "ArticleIn",
           "CheckIn", "DEFAULT_LIMIT", "MAX_LIMIT", "MAP_LIMIT", "MAX_PAGE"]
