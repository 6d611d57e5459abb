"""Incident records <-> store rows (pure): which fields are columns, their SQL kinds, JSON for sources.

Every backend stores an incident as these columns; a row read back becomes the same Incident.
"""
from __future__ import annotations

import functools
import json
import struct
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from ..models import Incident, Mention, Source, point_xy

if TYPE_CHECKING:
    from ..articles import Article

# Incident fields stored as plain columns (everything but the list of sources).
INCIDENT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Incident) if f.name != "sources")
INT_FIELDS = frozenset({"year", "time_precision", "geo_precision", "fatalities", "timestamp", "injuries",
                        "fatalities_low", "fatalities_best", "fatalities_high"})
REAL_FIELDS = frozenset({"latitude", "longitude", "location_confidence"})


def column_kind(name: str) -> str:
    """'int', 'real' or 'text': how a backend types the column of this incident field."""
    return "int" if name in INT_FIELDS else "real" if name in REAL_FIELDS else "text"


def result_columns() -> list[str]:
    """Columns of a result frame: the Incident fields in their order, ``sources`` as JSON text."""
    return [*INCIDENT_FIELDS, "sources"]


@functools.lru_cache(maxsize=1)
def numeric_columns() -> tuple[frozenset[str], frozenset[str]]:
    """(int fields, float fields) of Incident, from its annotations, for typed columns without inference."""
    ints = frozenset(f.name for f in fields(Incident) if str(f.type).startswith("int"))
    floats = frozenset(f.name for f in fields(Incident) if str(f.type).startswith("float"))
    return ints, floats


def point_wkb(lat: float | None, lon: float | None) -> bytes | None:
    """Little-endian WKB of Point(x=lon, y=lat), or None when unlocated."""
    if lat is None or lon is None:
        return None
    return struct.pack("<BIdd", 1, 1, *point_xy(lat, lon))


_INCIDENT_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Incident))
_SOURCE_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Source))


def _source_dict(source: Source) -> dict[str, Any]:
    """``source.to_dict()`` (its fields are all plain values), without asdict's deep copies: the writers
    serialise every source of every stored incident twice."""
    return {n: getattr(source, n) for n in _SOURCE_NAMES}


def incident_row(inc: Incident) -> dict[str, Any]:
    """The column values of an incident (sources serialised as JSON); JSON-safe."""
    row = {n: getattr(inc, n) for n in INCIDENT_FIELDS}
    row["sources_json"] = json.dumps([_source_dict(s) for s in inc.sources], ensure_ascii=False)
    return row


def storage_row(inc: Incident) -> dict[str, Any]:
    """incident_row plus the WKB point column GIS tools read."""
    row = incident_row(inc)
    row["geom"] = point_wkb(inc.latitude, inc.longitude)
    return row


_SOURCE_FIELDS = frozenset(f.name for f in fields(Source))


def _source(value: Any) -> Source:
    return value if isinstance(value, Source) else Source(**{k: v for k, v in value.items() if k in _SOURCE_FIELDS})


def sources_from_json(text: str | None) -> list[Source]:
    return [_source(d) for d in json.loads(text or "[]")]


def incident_from_mapping(data: dict[str, Any]) -> Incident:
    """An Incident from a dict (row, result record or JSON); unknown keys ignored, sources parsed
    (``sources_json`` text, or ``sources`` as JSON text or a list)."""
    inc = Incident(**{k: data[k] for k in INCIDENT_FIELDS if k in data})
    if "sources_json" in data:
        inc.sources = sources_from_json(data["sources_json"])
    elif isinstance(data.get("sources"), str):
        inc.sources = sources_from_json(data["sources"])
    elif data.get("sources"):
        inc.sources = [_source(s) for s in data["sources"]]
    return inc


def incident_json(inc: Incident) -> str:
    """``json.dumps(inc.to_dict())``, the same text, built without deep copies (see _source_dict)."""
    data = {n: getattr(inc, n) for n in _INCIDENT_NAMES}
    data["sources"] = [_source_dict(s) for s in inc.sources]
    return json.dumps(data, ensure_ascii=False)


# --- articles ready to store, as plain tuples ---------------------------------------------------------
# A writer that stores what others parsed (the single SQLite writer of a Dask ingestion) should only run the
# statements: everything pure about storing an article (its row, its mentions' rows, each incident's column
# values, WKB point, sources JSON and report JSON) is worked out where the article was parsed, and travels as
# tuples (cheaper to pickle than the dataclasses). PreparedArticle = (article row, mention rows, incidents),
# each incident as (its STORAGE_COLUMNS values, its report JSON, its packed row for the SQLite country index
# (sqlite_schema.packed_row) or None).

STORAGE_COLUMNS: tuple[str, ...] = (*INCIDENT_FIELDS, "sources_json", "geom")     # storage_row's keys, in order
ARTICLE_COLUMNS: tuple[str, ...] = ("id", "path", "title", "url", "published", "body_offset", "n_mentions",
                                    "n_incidents")
MENTION_COLUMNS: tuple[str, ...] = ("article_id", "start", "end", "text", "name", "lat", "lon", "country_code",
                                    "kind", "source", "confidence", "precision", "metonym", "place_id", "reason")
PreparedIncident = tuple[tuple[Any, ...], str, "tuple[str, str, str, str] | None"]
PreparedArticle = tuple[tuple[Any, ...], list[tuple[Any, ...]], list[PreparedIncident]]


def storage_values(inc: Incident) -> tuple[Any, ...]:
    """The incident's column values in :data:`STORAGE_COLUMNS` order (= ``storage_row(inc)``'s values)."""
    return (*(getattr(inc, n) for n in INCIDENT_FIELDS),
            json.dumps([_source_dict(s) for s in inc.sources], ensure_ascii=False),
            point_wkb(inc.latitude, inc.longitude))


def incident_from_values(values: tuple[Any, ...]) -> Incident:
    """The incident whose :func:`storage_values` these are (the same field values, sources from the JSON)."""
    inc = Incident(**dict(zip(INCIDENT_FIELDS, values)))
    inc.sources = sources_from_json(values[len(INCIDENT_FIELDS)])
    return inc


def prepare_article(article: "Article", incidents: list[Incident], mentions: list[Mention]) -> PreparedArticle:
    """What storing this article writes, as tuples (see above); the article's text is not kept by a store."""
    aid = article.id
    row = (aid, article.path, article.title, article.url, article.published, article.body_offset,
           len(mentions), len(incidents))
    mention_rows = [(aid, m.start, m.end, m.text, m.name, m.lat, m.lon, m.country_code, m.kind, m.source,
                     m.confidence, m.precision, int(m.metonym), m.place_id, m.reason) for m in mentions]
    from .sqlite_schema import packed_row

    prepared = []
    for inc in incidents:
        values = storage_values(inc)
        prepared.append((values, incident_json(inc), packed_row(values)))
    return row, mention_rows, prepared


def prepared_items(prepared: PreparedArticle) -> tuple["Article", list[Incident], list[Mention]]:
    """The (article without its text, incidents, mentions) a PreparedArticle was made from, for a store that
    takes only those."""
    from ..articles import Article

    aid, path, title, url, published, body_offset = prepared[0][:6]
    article = Article(id=aid, text="", published=published, title=title, url=url, path=path,
                      body_offset=body_offset)
    mentions = [Mention(*r[1:12], bool(r[12]), *r[13:]) for r in prepared[1]]
    return article, [incident_from_values(inc[0]) for inc in prepared[2]], mentions


__all__ = ["STORAGE_COLUMNS", "ARTICLE_COLUMNS", "MENTION_COLUMNS", "PreparedArticle", "PreparedIncident",
           "storage_values", "incident_from_values", "prepare_article", "prepared_items", "INCIDENT_FIELDS",
           "INT_FIELDS", "REAL_FIELDS", "column_kind", "result_columns", "numeric_columns", "point_wkb",
           "incident_row", "storage_row", "sources_from_json", "incident_from_mapping", "incident_json"]
