"""Persistent geocoder answers in SQLite: key = service + normalised query + context.

Positive answers keep the Place; negative ones ("no result", "rejected: ...") keep the reason and expire
after ``negative_ttl`` seconds so a place added to OpenStreetMap later is found. Errors (timeouts,
refused connections, HTTP failures) are never stored: the next run asks again.
"""
from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ..config import open_sqlite_file
from ..models import Place
from .base import Viewbox

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    service  TEXT NOT NULL,
    query    TEXT NOT NULL,
    context  TEXT NOT NULL,
    found    INTEGER NOT NULL,          -- 1 = place, 0 = negative answer
    place    TEXT,                      -- the Place as JSON when found
    reason   TEXT NOT NULL,
    created  REAL NOT NULL,             -- unix time
    expires  REAL,                      -- unix time; NULL = never (positive answers)
    PRIMARY KEY (service, query, context)
)
"""

_QUOTES = {ord(c): "'" for c in "‘’‚‛`´"} | {ord(c): '"' for c in "“”„‟«»"}
_EDGES = " .,;:!?()[]{}'\"-"


def clean_query(query: str) -> str:
    """The text worth sending: typographic quotes unified, spaces collapsed, stray quotes/punctuation trimmed."""
    text = unicodedata.normalize("NFKC", query).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip(_EDGES)


def normalise_query(query: str) -> str:
    """The cache key of a query: "  ‘Al-Tanf " and "al-tanf" give the same key; inner apostrophes stay."""
    return clean_query(query).casefold()


def context_key(country_codes: Sequence[str] = (), viewbox: Viewbox | None = None,
                kinds: Sequence[str] = ()) -> str:
    """The request context as a stable string: sorted country codes, rounded viewbox, sorted kinds."""
    parts = []
    if country_codes:
        parts.append("cc=" + ",".join(sorted({c.upper() for c in country_codes})))
    if viewbox:
        parts.append("vb=" + ",".join(f"{v:.4f}" for v in viewbox))
    if kinds:
        parts.append("kinds=" + ",".join(sorted(set(kinds))))
    return ";".join(parts)


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One stored answer."""

    service: str
    query: str
    context: str
    place: Place | None
    reason: str
    created: float
    expires: float | None

    @property
    def found(self) -> bool:
        return self.place is not None


def _place_to_json(place: Place) -> str:
    return json.dumps(asdict(place), ensure_ascii=False, sort_keys=True)


def _place_from_json(text: str) -> Place:
    data = json.loads(text)
    data["aliases"] = tuple(data.get("aliases") or ())
    return Place(**data)


class GeocoderCache:
    """The answer cache; opening the file is deferred to the first call (constructors do no I/O)."""

    def __init__(self, path: str | Path, *, negative_ttl: float = 30 * 86400.0,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.negative_ttl = float(negative_ttl)
        self._clock = clock
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = open_sqlite_file(self.path, _SCHEMA, "the geocoder cache")
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def get(self, service: str, query: str, context: str = "") -> CacheEntry | None:
        """The stored answer, or None when absent or when a negative answer has expired."""
        with self._lock:
            row = self._db().execute(
                "SELECT service, query, context, found, place, reason, created, expires FROM answers "
                "WHERE service = ? AND query = ? AND context = ?", (service, normalise_query(query), context),
            ).fetchone()
        if row is None:
            return None
        entry = self._entry(row)
        if entry.expires is not None and entry.expires <= self._clock():
            return None
        return entry

    def put_place(self, service: str, query: str, context: str, place: Place, reason: str = "accepted") -> None:
        self._put(service, query, context, place, reason, None)

    def put_miss(self, service: str, query: str, context: str, reason: str) -> None:
        self._put(service, query, context, None, reason, self._clock() + self.negative_ttl)

    def _put(self, service: str, query: str, context: str, place: Place | None, reason: str,
             expires: float | None) -> None:
        with self._lock:
            db = self._db()
            db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (service, normalise_query(query), context, int(place is not None),
                 _place_to_json(place) if place else None, reason, self._clock(), expires),
            )
            db.commit()

    def delete(self, service: str, query: str, context: str | None = None) -> int:
        """Remove the answers for a query (all contexts when ``context`` is None); returns how many."""
        sql, args = "DELETE FROM answers WHERE service = ? AND query = ?", [service, normalise_query(query)]
        if context is not None:
            sql += " AND context = ?"
            args.append(context)
        with self._lock:
            db = self._db()
            n = db.execute(sql, args).rowcount
            db.commit()
        return n

    def entries(self) -> list[CacheEntry]:
        """Every stored answer (expired ones included), oldest first."""
        with self._lock:
            rows = self._db().execute(
                "SELECT service, query, context, found, place, reason, created, expires FROM answers "
                "ORDER BY created, service, query").fetchall()
        return [self._entry(r) for r in rows]

    @staticmethod
    def _entry(row: tuple) -> CacheEntry:
        service, query, context, found, place, reason, created, expires = row
        return CacheEntry(service, query, context, _place_from_json(place) if found and place else None,
                          reason, created, expires)


__all__ = ["GeocoderCache", "CacheEntry", "clean_query", "normalise_query", "context_key"]
