"""Learned places: geocoder answers that were accepted, kept under GEOINC_HOME with their provenance.

The gazetteer merges :meth:`LearnedPlaces.all` into its lookups, so a place found online once is found
locally from then on. Each row records the service, the query and the time it was learned; asking for the
same place under another name adds that name as an alias instead of a second row.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..config import home as geoinc_home
from ..config import open_sqlite_file
from ..errors import NotFoundError
from ..models import Place

FILENAME = "learned-places.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS learned (
    n            INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL,
    lat          REAL NOT NULL,
    lon          REAL NOT NULL,
    kind         TEXT NOT NULL,
    country_code TEXT,
    admin1       TEXT,
    aliases      TEXT NOT NULL,      -- JSON list
    origin_id    TEXT NOT NULL,      -- the service's id: "geocoder:nominatim:node/123"
    origin       TEXT NOT NULL,      -- the service's provenance text (licence, score)
    service      TEXT NOT NULL,      -- "nominatim:nominatim.openstreetmap.org"
    query        TEXT NOT NULL,      -- the text first asked for
    context      TEXT NOT NULL,      -- country codes / viewbox of that request
    learned_at   TEXT NOT NULL       -- ISO 8601 UTC
);
CREATE TABLE IF NOT EXISTS learned_queries (
    n        INTEGER NOT NULL REFERENCES learned(n) ON DELETE CASCADE,
    service  TEXT NOT NULL,
    query    TEXT NOT NULL,
    context  TEXT NOT NULL,
    PRIMARY KEY (n, service, query, context)
);
"""


@dataclass(frozen=True, slots=True)
class LearnedRecord:
    """A learned place and how it was learned (every query that led to it)."""

    place: Place
    service: str
    query: str
    learned_at: str
    queries: tuple[tuple[str, str, str], ...] = ()   # (service, query, context) of each lookup


class LearnedPlaces:
    """The learned-places table in ``<home>/learned-places.sqlite``; the file is opened on first use."""

    def __init__(self, home: str | Path | None = None, *, path: str | Path | None = None) -> None:
        self._home = Path(home) if home is not None else None
        self._path = Path(path) if path is not None else None
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = (self._home or geoinc_home()) / FILENAME
        return self._path

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = open_sqlite_file(self.path, "PRAGMA foreign_keys = ON;\n" + _SCHEMA, "learned places")
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def all(self) -> list[Place]:
        """Every learned place (source "learned", id "learned:<n>"), oldest first. No file: empty list."""
        if self._conn is None and not self.path.exists():
            return []
        return [r.place for r in self.records()]

    def records(self) -> list[LearnedRecord]:
        """Every learned place with its provenance, oldest first."""
        if self._conn is None and not self.path.exists():
            return []
        with self._lock:
            db = self._db()
            rows = db.execute("SELECT n, name, lat, lon, kind, country_code, admin1, aliases, origin_id, origin, "
                              "service, query, context, learned_at FROM learned ORDER BY n").fetchall()
            keys = db.execute("SELECT n, service, query, context FROM learned_queries ORDER BY rowid").fetchall()
        by_n: dict[int, list[tuple[str, str, str]]] = {}
        for n, service, query, context in keys:
            by_n.setdefault(n, []).append((service, query, context))
        return [self._record(row, tuple(by_n.get(row[0], ()))) for row in rows]

    def get(self, place_id: str) -> LearnedRecord:
        n = self._number(place_id)
        for record in self.records():
            if record.place.id == f"learned:{n}":
                return record
        raise NotFoundError(f"no learned place {place_id!r}; list them with: geoinc gazetteer learned")

    def add(self, place: Place, service: str, query: str, *, context: str = "") -> Place:
        """Remember an accepted answer; the same origin under another query only gains an alias."""
        now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        with self._lock:
            db = self._db()
            row = db.execute("SELECT n, aliases, name FROM learned WHERE origin_id = ?", (place.id,)).fetchone()
            if row is None:
                aliases = [a for a in (query.strip(), *place.aliases) if a and a != place.name]
                cur = db.execute(
                    "INSERT INTO learned (name, lat, lon, kind, country_code, admin1, aliases, origin_id, origin, "
                    "service, query, context, learned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (place.name, place.lat, place.lon, place.kind, place.country_code, place.admin1,
                     json.dumps(list(dict.fromkeys(aliases)), ensure_ascii=False), place.id, place.provenance,
                     service, query, context, now),
                )
                n = int(cur.lastrowid)
            else:
                n, aliases_json, name = row
                aliases = json.loads(aliases_json)
                if query.strip() and query.strip() != name and query.strip() not in aliases:
                    aliases.append(query.strip())
                    db.execute("UPDATE learned SET aliases = ? WHERE n = ?",
                               (json.dumps(aliases, ensure_ascii=False), n))
            db.execute("INSERT OR IGNORE INTO learned_queries VALUES (?, ?, ?, ?)", (n, service, query, context))
            db.commit()
        return self.get(f"learned:{n}").place

    def forget(self, place_id: str) -> LearnedRecord:
        """Remove one learned place ("learned:3" or "3"); NotFoundError names the id when unknown."""
        record = self.get(place_id)
        n = self._number(place_id)
        with self._lock:
            db = self._db()
            db.execute("DELETE FROM learned_queries WHERE n = ?", (n,))
            db.execute("DELETE FROM learned WHERE n = ?", (n,))
            db.commit()
        return record

    @staticmethod
    def _number(place_id: str) -> int:
        text = str(place_id).strip()
        if text.startswith("learned:"):
            text = text[len("learned:"):]
        if not text.isdigit():
            raise NotFoundError(f"{place_id!r} is not a learned place id (they look like learned:3)")
        return int(text)

    @staticmethod
    def _record(row: tuple, queries: tuple[tuple[str, str, str], ...]) -> LearnedRecord:
        (n, name, lat, lon, kind, cc, admin1, aliases, origin_id, origin, service, query, context,
         learned_at) = row
        provenance = f"learned from {service} for query {query!r}"
        if context:
            provenance += f" ({context})"
        provenance += f" at {learned_at}; was {origin_id}; {origin}"
        place = Place(id=f"learned:{n}", name=name, lat=lat, lon=lon, kind=kind, country_code=cc, admin1=admin1,
                      source="learned", aliases=tuple(json.loads(aliases)), provenance=provenance)
        return LearnedRecord(place=place, service=service, query=query, learned_at=learned_at, queries=queries)


__all__ = ["LearnedPlaces", "LearnedRecord"]
