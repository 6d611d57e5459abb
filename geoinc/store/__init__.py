"""The incident store: the protocol every backend implements, and :func:`open_store` choosing a backend.

``IncidentStore`` is all that extraction, queries, maps, the CLI and the API use; ``SQLiteStore``
(geoinc.store.sqlite) is the embedded default that needs no server. Each backend owns its schema and its
SQL; a query is one call, ``store.select(spec)`` with a validated :class:`geoinc.regions.QuerySpec`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ..errors import InputError
from ..models import Incident, Mention

if TYPE_CHECKING:
    import geopandas as gpd

    from ..articles import Article
    from ..regions import QuerySpec


@dataclass(slots=True)
class IngestResult:
    """What storing one article did."""

    article_id: str
    skipped: bool = False          # already in the store: nothing written
    mentions: int = 0
    incidents_new: list[str] = field(default_factory=list)
    incidents_merged: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Report:
    """One article's own reading of an incident, and why it was attached to the incident it is in."""

    id: int
    incident_id: str
    article_id: str
    incident: Incident             # the single-source incident as extracted from that article
    reason: str                    # "new incident" or the merge explanation
    added: float


@dataclass(frozen=True, slots=True)
class Selected:
    """The answer to a query: the rows as a frame (or as plain records when asked), and how many incidents
    matched before the limit cut them."""

    matched: int
    frame: "gpd.GeoDataFrame | None" = None
    records: list[dict[str, Any]] | None = None


# A merge policy: given the report and a candidate incident, None (no merge) or the reason to merge.
MergeRule = Callable[[Incident, Incident], "str | None"]
# Combines the reports of one incident into the merged incident.
Combiner = Callable[[Sequence[Incident]], Incident]


@runtime_checkable
class IncidentStore(Protocol):
    """What geoinc needs from an incident store; SQLiteStore is the embedded implementation."""

    path: Path | str               # the SQLite file, or the database URL without its password

    def add_article(self, article: "Article", incidents: list[Incident],
                    mentions: list[Mention]) -> IngestResult: ...
    def add_articles(self, items: Sequence[tuple["Article", list[Incident], list[Mention]]]
                     ) -> list[IngestResult]: ...   # add_article for each, in one transaction
    def has_article(self, article_id: str) -> bool: ...
    def add_incidents(self, incidents: Iterable[Incident], *, batch: int = 10_000) -> int: ...
    def get(self, incident_id: str) -> Incident | None: ...
    def select(self, spec: "QuerySpec", *, records: bool = False) -> Selected: ...
    def candidates(self, lat: float, lon: float, *, radius_km: float, date_from: str, date_to: str,
                   event_type: str | None = None) -> list[Incident]: ...
    def count(self) -> int: ...
    def integrity_check(self) -> bool: ...
    def close(self) -> None: ...
    # explaining and undoing merges, listing, exporting
    def reports(self, incident_id: str) -> list[Report]: ...
    def split(self, incident_id: str, article_id: str) -> Incident: ...
    def find(self, prefix: str) -> Incident: ...
    def iter_incidents(self, *, batch: int = 5000) -> Iterator[Incident]: ...
    def article(self, article_id: str) -> dict[str, Any] | None: ...
    def articles_count(self) -> int: ...
    def mentions(self, article_id: str) -> list[Mention]: ...
    def article_ids(self) -> set[str]: ...


def select_incidents(store: IncidentStore, spec: "QuerySpec") -> list[Incident]:
    """The incidents a query matches, as Incident records in the query's order (for listings and exports)."""
    from .records import incident_from_mapping

    return [incident_from_mapping(r) for r in store.select(spec, records=True).records or []]


def is_url(target: str | Path | None) -> bool:
    """Whether a --db / GEOINC_DB value is a URL (``scheme://...``) rather than a file path."""
    scheme, sep, _ = str(target or "").partition("://")
    return bool(sep) and scheme.replace("+", "").isalpha() and len(scheme) > 1


def db_target(db: str | Path | None) -> str | Path | None:
    """What --db means: the given value, else $GEOINC_DB, else None (the default file under GEOINC_HOME)."""
    import os

    from .. import config

    return db or os.environ.get(config.ENV_DB) or None


def redact_url(url: str) -> str:
    """A database URL without its password, for messages and /health."""
    import re

    return re.sub(r"://([^:/@]+):[^@/]*@", r"://\1:***@", url)


def open_store(target: str | Path | None = None, *, readonly: bool = False) -> IncidentStore:
    """The incident store at ``target`` (else $GEOINC_DB, else incidents.sqlite under GEOINC_HOME): a path (or
    ``sqlite:///relative`` / ``sqlite:////absolute``, as SQLAlchemy writes them) is an SQLite file,
    ``postgresql://user@host/db`` (or ``postgres://``) a PostGIS database; another scheme is an InputError."""
    from .. import config

    target = db_target(target)
    if is_url(target):
        text = str(target)
        scheme, _, rest = text.partition("://")
        scheme = scheme.lower()
        if scheme in ("postgresql", "postgres"):
            from .postgis import PostGISStore

            return PostGISStore(text, readonly=readonly)
        if scheme != "sqlite":
            raise InputError(f"unknown incident store URL scheme {scheme!r}: give a file path, sqlite:///PATH "
                             "or postgresql://user@host/dbname")
        target = rest[1:] if rest.startswith("/") else rest      # sqlite:///rel.sqlite, sqlite:////abs/path
    from .sqlite import SQLiteStore

    return SQLiteStore(config.db_path(target), readonly=readonly)


__all__ = ["IncidentStore", "IngestResult", "Report", "Selected", "MergeRule", "Combiner", "open_store",
           "select_incidents", "is_url", "db_target", "redact_url"]
