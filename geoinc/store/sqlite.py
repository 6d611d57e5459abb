"""The incident store: one SQLite file (WAL, R*Tree spatial index) behind a small interface.

``IncidentStore`` is the interface extraction, maps and the API use; ``SQLiteStore`` is the embedded
default that needs no server (a PostGIS backend can implement the same protocol later).

Layout: ``incidents`` holds the merged incidents (the 31 ACLED columns, geoinc's extras, sources as JSON)
and ``incidents_rtree`` their points; ``reports`` holds each article's own reading of an incident, so a
merge can be explained (which sources, why) and undone (``split``); ``articles`` and ``mentions`` record
what was ingested. Each article is written in one transaction, so ingestion is idempotent and a killed
ingestion leaves a consistent store that the next run completes.
"""
from __future__ import annotations

import functools
import json
import math
import sqlite3
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from .. import config
from ..articles import Article
from ..errors import InputError, NotFoundError, StoreError
from ..models import Incident, Mention, Source, point_xy

SCHEMA_VERSION = 1
_WGS84_WKT = ('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
              'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",'
              '0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],'
              'AUTHORITY["EPSG","4326"]]')
BBox = tuple[float, float, float, float]   # (min_lon, min_lat, max_lon, max_lat)
READ_MMAP_BYTES = 1 << 31                  # read-only connections memory-map up to this much of the file (SQLite caps it near 2 GiB)

# Incident fields stored as plain columns (everything but the list of sources).
_INCIDENT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Incident) if f.name != "sources")
_INT_FIELDS = {"year", "time_precision", "geo_precision", "fatalities", "timestamp", "injuries",
               "fatalities_low", "fatalities_best", "fatalities_high"}
_REAL_FIELDS = {"latitude", "longitude", "location_confidence"}


def _sql_type(name: str) -> str:
    if name in _INT_FIELDS:
        return "INTEGER"
    if name in _REAL_FIELDS:
        return "REAL"
    return "TEXT"


_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS incidents (
    fid INTEGER PRIMARY KEY,
    {", ".join(f"{n} {_sql_type(n)}" + (" NOT NULL UNIQUE" if n == "event_id_cnty" else "")
               for n in _INCIDENT_FIELDS)},
    sources_json TEXT NOT NULL DEFAULT '[]',
    geom BLOB,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS incidents_event_date ON incidents(event_date);
CREATE INDEX IF NOT EXISTS incidents_type_date ON incidents(event_type, event_date);
CREATE INDEX IF NOT EXISTS incidents_sub_type ON incidents(sub_event_type);
CREATE INDEX IF NOT EXISTS incidents_status ON incidents(status);
CREATE INDEX IF NOT EXISTS incidents_location ON incidents(location);
CREATE VIRTUAL TABLE IF NOT EXISTS incidents_rtree USING rtree(fid, min_lon, max_lon, min_lat, max_lat);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    path TEXT, title TEXT, url TEXT, published TEXT,
    body_offset INTEGER NOT NULL DEFAULT 0,
    n_mentions INTEGER NOT NULL DEFAULT 0,
    n_incidents INTEGER NOT NULL DEFAULT 0,
    ingested REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    name TEXT, lat REAL, lon REAL, country_code TEXT, kind TEXT, source TEXT,
    confidence REAL, precision INTEGER, metonym INTEGER, place_id TEXT, reason TEXT,
    PRIMARY KEY (article_id, start, "end")
);
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY,
    incident_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    data_json TEXT NOT NULL,
    reason TEXT NOT NULL,
    added REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_incident ON reports(incident_id);
CREATE INDEX IF NOT EXISTS reports_article ON reports(article_id);
CREATE TABLE IF NOT EXISTS geometry_columns (f_table_name VARCHAR, f_geometry_column VARCHAR, geometry_type INTEGER,
    coord_dimension INTEGER, srid INTEGER, geometry_format VARCHAR);
CREATE TABLE IF NOT EXISTS spatial_ref_sys (srid INTEGER UNIQUE, auth_name TEXT, auth_srid TEXT, srtext TEXT);
"""
# geometry_columns/spatial_ref_sys make the file an "OGR-style SQLite" database: GDAL, QGIS and geopandas open
# the incidents table directly as a Point layer in EPSG:4326 (geom = WKB, x=lon, y=lat).


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


# A merge policy: given the report and a candidate incident, None (no merge) or the reason to merge.
MergeRule = Callable[[Incident, Incident], "str | None"]
# Combines the reports of one incident into the merged incident.
Combiner = Callable[[Sequence[Incident]], Incident]


@runtime_checkable
class IncidentStore(Protocol):
    """What geoinc needs from an incident store; SQLiteStore is the embedded implementation."""

    path: Path

    def add_article(self, article: Article, incidents: list[Incident],
                    mentions: list[Mention]) -> IngestResult: ...
    def has_article(self, article_id: str) -> bool: ...
    def add_incidents(self, incidents: Iterable[Incident], *, batch: int = 10_000) -> int: ...
    def get(self, incident_id: str) -> Incident | None: ...
    def search(self, *, bbox: BBox | None = None, since: str | None = None, until: str | None = None,
               event_types: Sequence[str] | None = None, sub_event_types: Sequence[str] | None = None,
               actor: str | None = None, status: str | Sequence[str] | None = None,
               min_fatalities: int | None = None, ids: Sequence[str] | None = None,
               limit: int | None = None) -> list[Incident]: ...
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


# --- row <-> record (pure) -------------------------------------------------------------------------

def point_wkb(lat: float | None, lon: float | None) -> bytes | None:
    """Little-endian WKB of Point(x=lon, y=lat), or None when unlocated."""
    if lat is None or lon is None:
        return None
    return struct.pack("<BIdd", 1, 1, *point_xy(lat, lon))


def incident_row(inc: Incident) -> dict[str, Any]:
    """The column values of an incident (sources serialised as JSON); JSON-safe."""
    row = {n: getattr(inc, n) for n in _INCIDENT_FIELDS}
    row["sources_json"] = json.dumps([s.to_dict() for s in inc.sources], ensure_ascii=False)
    return row


def _storage_row(inc: Incident) -> dict[str, Any]:
    """incident_row plus the WKB point column GIS tools read."""
    row = incident_row(inc)
    row["geom"] = point_wkb(inc.latitude, inc.longitude)
    return row


def sources_from_json(text: str | None) -> list[Source]:
    known = {f.name for f in fields(Source)}
    return [Source(**{k: v for k, v in d.items() if k in known}) for d in json.loads(text or "[]")]


def incident_from_mapping(data: dict[str, Any]) -> Incident:
    """An Incident from a dict (row or JSON); unknown keys ignored, sources parsed."""
    known = {f.name for f in fields(Incident)}
    values = {k: data[k] for k in known if k in data and k != "sources"}
    inc = Incident(**values)
    if "sources_json" in data:
        inc.sources = sources_from_json(data["sources_json"])
    elif data.get("sources"):
        inc.sources = [s if isinstance(s, Source) else
                       Source(**{k: v for k, v in s.items() if k in {f.name for f in fields(Source)}})
                       for s in data["sources"]]
    return inc


def incident_json(inc: Incident) -> str:
    return json.dumps(inc.to_dict(), ensure_ascii=False)


def _deg_box(lat: float, lon: float, radius_km: float) -> BBox:
    """A lon/lat box surely containing the circle (used only to pre-select; exact distance follows)."""
    dlat = radius_km / 110.0 + 1e-6
    coslat = max(math.cos(math.radians(min(89.9, abs(lat) + dlat))), 1e-6)
    dlon = min(180.0, radius_km / (111.32 * coslat) + 1e-6)
    return (lon - dlon, max(-90.0, lat - dlat), lon + dlon, min(90.0, lat + dlat))


def _split_bbox(bbox: BBox) -> list[BBox]:
    """A bbox as one or two boxes within [-180, 180] (crossing the antimeridian when min_lon > max_lon)."""
    min_lon, min_lat, max_lon, max_lat = bbox
    if min_lon < -180:
        return [(min_lon + 360, min_lat, 180.0, max_lat), (-180.0, min_lat, max_lon, max_lat)]
    if max_lon > 180:
        return [(min_lon, min_lat, 180.0, max_lat), (-180.0, min_lat, max_lon - 360, max_lat)]
    if min_lon > max_lon:
        return [(min_lon, min_lat, 180.0, max_lat), (-180.0, min_lat, max_lon, max_lat)]
    return [bbox]


def check_bbox(bbox: Sequence[float]) -> BBox:
    """Validate (min_lon, min_lat, max_lon, max_lat); min_lon > max_lon means crossing the antimeridian."""
    try:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in bbox)
    except (TypeError, ValueError):
        raise InputError(f"invalid bbox {bbox!r}; expected min_lon,min_lat,max_lon,max_lat") from None
    if not all(math.isfinite(v) for v in (min_lon, min_lat, max_lon, max_lat)):
        raise InputError(f"invalid bbox {bbox!r}: values must be finite numbers")
    if not (-90 <= min_lat <= max_lat <= 90):
        raise InputError(f"invalid bbox {bbox!r}: latitudes must satisfy -90 <= min_lat <= max_lat <= 90")
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise InputError(f"invalid bbox {bbox!r}: longitudes must lie within -180..180")
    return (min_lon, min_lat, max_lon, max_lat)


# --- the country index, with packed result rows -----------------------------------------------------
# A country query returns every column of thousands of incidents; SQLite spends ~50-90 ns per value handing
# them over one by one (or aggregating them column by column), and testing each point against a polygon of
# 10,000+ vertices costs more again. ``incident_countries`` answers both: one row per (Natural Earth country
# covering the incident, incident), clustered by (country, date key, fid), holding the incident's values
# packed into three text values: ``f`` one flag character per column ('0' value, '1' NULL, '2' not carried:
# read that column from ``incidents``), ``n`` the INTEGER columns and each REAL as two integers (exact, see
# geoinc.regions), comma-separated, ``t`` the TEXT columns separated by U+001F. ``d`` is the event_date
# ('' when it is not text). A country query is then one range of one table, in date order.
# Which countries cover an incident is decided in Python (geoinc.store.membership, the query's own predicate):
# triggers mark every new or moved incident pending, and the store resolves pending incidents before each
# of its write transactions commits; a query tests any still pending (e.g. written by another tool) itself.
# Triggers keep the packed values of indexed incidents in step with every update. meta 'packed_layout'
# records the layout (a reader uses the table only when it is the current one), meta 'country_index' the
# country layer it was built from (membership.source_id()).
PACKED_FORMAT = 3
_US = "char(31)"                             # the text separator, U+001F


def _table_columns(conn: sqlite3.Connection) -> list[str]:
    return [r[1] for r in conn.execute("PRAGMA table_info(incidents)").fetchall()]


def packed_layout(columns: Sequence[str]) -> list[tuple[str, str]]:
    """(column, kind) packed per incident: the result columns present in the table, in result order."""
    have = set(columns)
    wanted = [*_INCIDENT_FIELDS, "sources_json"]
    return [(c, "int" if c in _INT_FIELDS else "real" if c in _REAL_FIELDS else "text") for c in wanted if c in have]


def packed_meta_value(columns: Sequence[str]) -> str:
    """What meta 'packed_layout' holds for a store with these columns."""
    return json.dumps({"format": PACKED_FORMAT, "columns": packed_layout(columns)}, separators=(",", ":"))


def meta_value(conn: sqlite3.Connection | sqlite3.Cursor, key: str) -> str | None:
    """A value of the store's ``meta`` table, or None when the key is absent."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def packed_exprs(layout: Sequence[tuple[str, str]], ref: str) -> tuple[str, str, str]:
    """SQL expressions (flags, numbers, texts) packing one incidents row; ``ref`` prefixes each column."""
    flags: list[str] = []
    nums: list[str] = []
    texts: list[str] = []
    for c, kind in layout:
        x = f"{ref}{c}"
        if kind == "int":
            flags.append(f"CASE typeof({x}) WHEN 'integer' THEN '0' WHEN 'null' THEN '1' ELSE '2' END")
            nums.append(f"CASE typeof({x}) WHEN 'integer' THEN {x} ELSE 0 END")
        elif kind == "real":
            y = f"({x} * 4294967296.0)"
            a = f"CAST({y} AS INTEGER)"
            b = f"CAST(({y} - {a}) * 4503599627370496.0 AS INTEGER)"
            exact = f"(typeof({x}) = 'real' AND ({y} - {a}) * 4503599627370496.0 = {b} AND abs({a}) < 9007199254740992)"
            flags.append(f"CASE WHEN {x} IS NULL THEN '1' WHEN {exact} THEN '0' ELSE '2' END")
            nums.append(f"CASE WHEN {exact} THEN {a} ELSE 0 END")
            nums.append(f"CASE WHEN {exact} THEN {b} ELSE 0 END")
        else:
            ok = f"(typeof({x}) = 'text' AND instr({x}, {_US}) = 0)"
            flags.append(f"CASE WHEN {x} IS NULL THEN '1' WHEN {ok} THEN '0' ELSE '2' END")
            texts.append(f"CASE WHEN {ok} THEN {x} ELSE '' END")
    return (" || ".join(flags) or "''", " || ',' || ".join(nums) or "''",
            f" || {_US} || ".join(texts) or "''")


def date_key(ref: str) -> str:
    """SQL for an incident's date key in the country index: its event_date when text, else ''."""
    return f"CASE WHEN typeof({ref}event_date) = 'text' THEN {ref}event_date ELSE '' END"


def _country_index_ddl(layout: Sequence[tuple[str, str]]) -> list[str]:
    """Statements (re)creating the country index, its pending list and triggers (both tables start empty).
    Also drops the earlier form of these tables (format 1-2: a separate incidents_packed table)."""
    f, n, t = packed_exprs(layout, "new.")
    old = ["incidents_packed_insert", "incidents_packed_update", "incidents_packed_delete",
           "incident_countries_insert", "incident_countries_move", "incident_countries_date",
           "incident_countries_update", "incident_countries_delete"]
    return [
        *(f"DROP TRIGGER IF EXISTS {name}" for name in old),
        "DROP TABLE IF EXISTS incidents_packed",
        "DROP TABLE IF EXISTS incident_countries",
        "DROP TABLE IF EXISTS incident_countries_pending",
        "CREATE TABLE incident_countries (country INTEGER NOT NULL, d TEXT NOT NULL, fid INTEGER NOT NULL, "
        "f TEXT NOT NULL, n TEXT NOT NULL, t TEXT NOT NULL, PRIMARY KEY (country, d, fid)) WITHOUT ROWID",
        "CREATE INDEX incident_countries_fid ON incident_countries(fid)",
        "CREATE TABLE incident_countries_pending (fid INTEGER PRIMARY KEY)",
        "CREATE TRIGGER incident_countries_insert AFTER INSERT ON incidents BEGIN "
        "INSERT OR IGNORE INTO incident_countries_pending (fid) VALUES (new.fid); END",
        "CREATE TRIGGER incident_countries_move AFTER UPDATE OF fid, latitude, longitude ON incidents BEGIN "
        "DELETE FROM incident_countries WHERE fid = old.fid; "
        "DELETE FROM incident_countries_pending WHERE fid = old.fid; "
        "INSERT OR IGNORE INTO incident_countries_pending (fid) VALUES (new.fid); END",
        f"CREATE TRIGGER incident_countries_update AFTER UPDATE ON incidents BEGIN "
        f"UPDATE incident_countries SET d = {date_key('new.')}, f = {f}, n = {n}, t = {t} WHERE fid = new.fid; END",
        "CREATE TRIGGER incident_countries_delete AFTER DELETE ON incidents BEGIN "
        "DELETE FROM incident_countries WHERE fid = old.fid; "
        "DELETE FROM incident_countries_pending WHERE fid = old.fid; END",
    ]


@functools.lru_cache(maxsize=8)
def _country_rows_sql(layout: tuple[tuple[str, str], ...]) -> str:
    """INSERT of one (country, incident) row of the index from the incident's current values."""
    f, n, t = packed_exprs(layout, "")
    return (f"INSERT OR REPLACE INTO incident_countries (country, d, fid, f, n, t) "
            f"SELECT ?, {date_key('')}, fid, {f}, {n}, {t} FROM incidents WHERE fid = ?")


# --- SQLite -----------------------------------------------------------------------------------------

class SQLiteStore:
    """Incidents in one SQLite file: WAL journal, R*Tree index on points, one transaction per write.

    Safe for many readers and one writer across threads and processes: each thread gets its own
    connection; writers wait (busy timeout) for the lock instead of failing at once.
    """

    def __init__(self, path: str | Path, *, timeout: float = 30.0, readonly: bool = False) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.readonly = readonly
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            raise NotFoundError(f"{self.path}: no incident store here; run geoinc ingest or geoinc import first")
        self._init_schema()

    # connections
    def _connect(self) -> sqlite3.Connection:
        try:
            if self.readonly:
                conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=self.timeout,
                                       isolation_level=None, check_same_thread=False)
            else:
                conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None,
                                       check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            if not self.readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                # a row deleted by a REPLACE conflict fires the delete triggers too (packed rows stay in step)
                conn.execute("PRAGMA recursive_triggers = ON")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA cache_size = -65536")
            if self.readonly:
                # reads map the file instead of copying pages through read(): large results re-read pages
                # the 64 MB cache has evicted (a 15,000-row result touches ~60 MB of rows)
                conn.execute(f"PRAGMA mmap_size = {READ_MMAP_BYTES}")
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.path}: cannot open the incident store ({err})") from err
        with self._lock:
            self._all.append(conn)
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    def _init_schema(self) -> None:
        conn = self.conn
        try:
            has_meta = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
            if has_meta:
                row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
                if row is None or int(row[0]) != SCHEMA_VERSION:
                    raise StoreError(f"{self.path}: not a geoinc store of schema {SCHEMA_VERSION} "
                                     f"(found {row[0] if row else 'none'}); use another --db")
                if not self.readonly:
                    self._ensure_countries()
                return
            if self.readonly:
                raise StoreError(f"{self.path}: not a geoinc incident store")
            other = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if other:
                raise StoreError(f"{self.path}: an SQLite file that is not a geoinc store; use another --db")
            with self.transaction() as c:
                for stmt in _SCHEMA.split(";"):
                    if stmt.strip():
                        c.execute(stmt)
                c.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                c.execute("INSERT OR REPLACE INTO meta VALUES ('created', ?)", (str(time.time()),))
                c.execute("INSERT INTO geometry_columns VALUES ('incidents', 'geom', 1, 2, 4326, 'WKB')")
                c.execute("INSERT INTO spatial_ref_sys VALUES (4326, 'EPSG', '4326', ?)", (_WGS84_WKT,))
            self._ensure_countries()
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.path}: not a usable incident store ({err})") from err

    def _ensure_countries(self) -> None:
        """Create the country index when the store has none or one of another layout (every located
        incident is then pending, indexed when this transaction commits: ~1 min per million incidents, once)."""
        want = packed_meta_value(_table_columns(self.conn))
        if meta_value(self.conn, "packed_layout") == want:
            return
        with self.transaction() as c:
            want = packed_meta_value(_table_columns(c))
            if meta_value(c, "packed_layout") == want:       # another process built it meanwhile
                return
            for stmt in _country_index_ddl(packed_layout(_table_columns(c))):
                c.execute(stmt)
            c.execute("DELETE FROM meta WHERE key = 'country_index'")
            c.execute("INSERT OR REPLACE INTO meta VALUES ('packed_layout', ?)", (want,))
            c.execute("INSERT OR IGNORE INTO incident_countries_pending (fid) SELECT fid FROM incidents "
                      "WHERE latitude IS NOT NULL AND longitude IS NOT NULL")

    def _resolve_countries(self, c: sqlite3.Connection) -> None:
        """Inside a write transaction: put the pending incidents into the country index (see
        geoinc.store.membership). When the country layer cannot be loaded they stay pending, which queries
        handle exactly (they test pending incidents themselves), so a write never fails for it."""
        try:
            if not c.execute("SELECT 1 FROM incident_countries_pending LIMIT 1").fetchone():
                return
        except sqlite3.OperationalError:     # no such table: a store being created
            return
        import numpy as np

        try:
            from . import membership

            current = membership.source_id()
        except Exception:  # noqa: BLE001 - no country layer here: leave the incidents pending
            return
        if meta_value(c, "country_index") != current:
            # built from another Natural Earth layer (or never): rebuild it for every located incident
            c.execute("DELETE FROM incident_countries")
            c.execute("INSERT OR IGNORE INTO incident_countries_pending (fid) SELECT fid FROM incidents "
                      "WHERE latitude IS NOT NULL AND longitude IS NOT NULL")
            c.execute("INSERT OR REPLACE INTO meta VALUES ('country_index', ?)", (current,))
        rows = c.execute("SELECT p.fid, i.longitude, i.latitude, i.event_date FROM incident_countries_pending p "
                         "CROSS JOIN incidents i ON i.fid = p.fid").fetchall()
        if rows:
            if len(rows) >= 50_000 and sys.stderr.isatty():
                # the first write to a large store made before the country index: ~1 min per million, once
                sys.stderr.write(f"geoinc: indexing {len(rows):,} incidents by country (once for this store) ...\n")
                sys.stderr.flush()
            fid, lon, lat, day = zip(*rows)
            lon_a = np.array([np.nan if not isinstance(v, (int, float)) else v for v in lon], dtype=float)
            lat_a = np.array([np.nan if not isinstance(v, (int, float)) else v for v in lat], dtype=float)
            pt, row = membership.countries_at(lon_a, lat_a)
            c.executemany("DELETE FROM incident_countries WHERE fid = ?", [(f,) for f in fid])
            # in the index's own order, so that a large batch fills its pages one after the other
            pairs = sorted((int(r), day[k] if isinstance(day[k], str) else "", fid[k])
                           for k, r in zip(pt.tolist(), row.tolist()))
            c.executemany(_country_rows_sql(tuple(packed_layout(_table_columns(c)))), [(r, f) for r, _, f in pairs])
        c.execute("DELETE FROM incident_countries_pending")

    class _Tx:
        def __init__(self, conn: sqlite3.Connection,
                     before_commit: Callable[[sqlite3.Connection], None] | None = None) -> None:
            self.conn = conn
            self.before_commit = before_commit

        def __enter__(self) -> sqlite3.Connection:
            self.conn.execute("BEGIN IMMEDIATE")
            return self.conn

        def __exit__(self, exc_type, exc, tb) -> None:
            if exc_type is None:
                try:
                    if self.before_commit is not None:
                        self.before_commit(self.conn)
                except BaseException:
                    self.conn.execute("ROLLBACK")
                    raise
                self.conn.execute("COMMIT")
            else:
                self.conn.execute("ROLLBACK")

    def transaction(self) -> "SQLiteStore._Tx":
        """``with store.transaction() as conn:`` — one write transaction (BEGIN IMMEDIATE ... COMMIT)."""
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only")
        return SQLiteStore._Tx(self.conn, self._resolve_countries)

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._all.clear()
        self._local = threading.local()

    def __enter__(self) -> "SQLiteStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # low-level writes (inside a transaction)
    def _insert_incident(self, c: sqlite3.Connection, inc: Incident, now: float) -> None:
        row = _storage_row(inc)
        cols = list(row)
        c.execute(f"INSERT INTO incidents ({', '.join(cols)}, created, updated) "
                  f"VALUES ({', '.join('?' * len(cols))}, ?, ?)", [row[k] for k in cols] + [now, now])
        fid = c.execute("SELECT last_insert_rowid()").fetchone()[0]
        if inc.latitude is not None and inc.longitude is not None:
            c.execute("INSERT INTO incidents_rtree VALUES (?, ?, ?, ?, ?)",
                      (fid, inc.longitude, inc.longitude, inc.latitude, inc.latitude))

    def _update_incident(self, c: sqlite3.Connection, old_id: str, inc: Incident, now: float) -> None:
        row = _storage_row(inc)
        fid = c.execute("SELECT fid FROM incidents WHERE event_id_cnty = ?", (old_id,)).fetchone()[0]
        sets = ", ".join(f"{k} = ?" for k in row)
        c.execute(f"UPDATE incidents SET {sets}, updated = ? WHERE fid = ?", [*row.values(), now, fid])
        c.execute("DELETE FROM incidents_rtree WHERE fid = ?", (fid,))
        if inc.latitude is not None and inc.longitude is not None:
            c.execute("INSERT INTO incidents_rtree VALUES (?, ?, ?, ?, ?)",
                      (fid, inc.longitude, inc.longitude, inc.latitude, inc.latitude))

    def _delete_incident(self, c: sqlite3.Connection, incident_id: str) -> None:
        row = c.execute("SELECT fid FROM incidents WHERE event_id_cnty = ?", (incident_id,)).fetchone()
        if row:
            c.execute("DELETE FROM incidents_rtree WHERE fid = ?", (row[0],))
            c.execute("DELETE FROM incidents WHERE fid = ?", (row[0],))

    def _insert_report(self, c: sqlite3.Connection, incident_id: str, article_id: str, inc: Incident,
                       reason: str, now: float) -> None:
        c.execute("INSERT INTO reports (incident_id, article_id, data_json, reason, added) VALUES (?,?,?,?,?)",
                  (incident_id, article_id, incident_json(inc), reason, now))

    # articles
    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def article_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT id FROM articles")}

    def article(self, article_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return dict(row) if row else None

    def articles_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def mentions(self, article_id: str) -> list[Mention]:
        rows = self.conn.execute('SELECT * FROM mentions WHERE article_id = ? ORDER BY start', (article_id,))
        out = []
        for r in rows:
            d = dict(r)
            d.pop("article_id")
            d["metonym"] = bool(d["metonym"])
            out.append(Mention(**d))
        return out

    def add_article(self, article: Article, incidents: list[Incident], mentions: list[Mention], *,
                    merge_rule: MergeRule | None = None, combine: Combiner | None = None,
                    merge_radius_km: float = 10.0, merge_days: int = 2) -> IngestResult:
        """Store one article with its mentions and incidents in ONE transaction; merge with known incidents.

        Idempotent: an article already stored (same id) is skipped. Each incident either merges into an
        existing incident (``merge_rule`` says why; reports from the same article never merge) or is new.
        """
        if merge_rule is None or combine is None:
            from ..incidents.merge import combine_reports, merge_reason

            merge_rule = merge_rule or merge_reason
            combine = combine or combine_reports
        result = IngestResult(article_id=article.id)
        now = time.time()
        try:
            with self.transaction() as c:
                if c.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone():
                    result.skipped = True
                    return result
                c.execute("INSERT INTO articles (id, path, title, url, published, body_offset, n_mentions,"
                          " n_incidents, ingested) VALUES (?,?,?,?,?,?,?,?,?)",
                          (article.id, article.path, article.title, article.url, article.published,
                           article.body_offset, len(mentions), len(incidents), now))
                c.executemany(
                    'INSERT OR IGNORE INTO mentions (article_id, start, "end", text, name, lat, lon, country_code,'
                    ' kind, source, confidence, precision, metonym, place_id, reason)'
                    ' VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
                    [(article.id, m.start, m.end, m.text, m.name, m.lat, m.lon, m.country_code, m.kind,
                      m.source, m.confidence, m.precision, int(m.metonym), m.place_id, m.reason)
                     for m in mentions])
                result.mentions = len(mentions)
                for inc in incidents:
                    target, reason = self._find_merge(c, inc, article.id, merge_rule, merge_radius_km, merge_days)
                    if target is None:
                        if c.execute("SELECT 1 FROM incidents WHERE event_id_cnty = ?",
                                     (inc.event_id_cnty,)).fetchone():
                            raise StoreError(f"incident id {inc.event_id_cnty} already exists")
                        self._insert_report(c, inc.event_id_cnty, article.id, inc, "new incident", now)
                        self._insert_incident(c, inc, now)
                        result.incidents_new.append(inc.event_id_cnty)
                    else:
                        self._insert_report(c, target.event_id_cnty, article.id, inc, reason, now)
                        merged = self._recombine(c, target.event_id_cnty, combine)
                        self._update_incident(c, target.event_id_cnty, merged, now)
                        result.incidents_merged.append(target.event_id_cnty)
        except sqlite3.Error as err:
            raise StoreError(f"{self.path}: could not store article {article.id} ({err})") from err
        return result

    def _find_merge(self, c: sqlite3.Connection, inc: Incident, article_id: str, rule: MergeRule,
                    radius_km: float, days: int) -> tuple[Incident | None, str]:
        if not inc.event_date:
            return None, ""
        start = date.fromisoformat(inc.date_start or inc.event_date) - timedelta(days=days)
        end = date.fromisoformat(inc.date_end or inc.event_date) + timedelta(days=days)
        if inc.latitude is not None and inc.longitude is not None:
            cands = self._candidates(c, inc.latitude, inc.longitude, radius_km=radius_km,
                                     date_from=start.isoformat(), date_to=end.isoformat(),
                                     event_type=inc.event_type)
        elif inc.location:
            rows = c.execute("SELECT * FROM incidents WHERE location = ? AND event_type = ? AND "
                             "latitude IS NULL AND COALESCE(date_end, event_date) >= ? AND "
                             "COALESCE(date_start, event_date) <= ?",
                             (inc.location, inc.event_type, start.isoformat(), end.isoformat()))
            cands = [incident_from_mapping(dict(r)) for r in rows]
        else:
            return None, ""
        best: tuple[float, Incident, str] | None = None
        from ..geodesy import geodesic_km
        for cand in cands:
            same_article = c.execute("SELECT 1 FROM reports WHERE incident_id = ? AND article_id = ?",
                                     (cand.event_id_cnty, article_id)).fetchone()
            if same_article:
                continue
            reason = rule(inc, cand)
            if reason is None:
                continue
            dist = (geodesic_km(inc.latitude, inc.longitude, cand.latitude, cand.longitude)
                    if inc.latitude is not None and cand.latitude is not None else 0.0)
            if best is None or dist < best[0]:
                best = (dist, cand, reason)
        return (best[1], best[2]) if best else (None, "")

    def _recombine(self, c: sqlite3.Connection, incident_id: str, combine: Combiner) -> Incident:
        rows = c.execute("SELECT data_json FROM reports WHERE incident_id = ? ORDER BY id", (incident_id,))
        reports = [incident_from_mapping(json.loads(r[0])) for r in rows]
        merged = combine(reports)
        merged.event_id_cnty = incident_id
        return merged

    def reports(self, incident_id: str) -> list[Report]:
        """The per-article readings merged into an incident, oldest first, with the reason for each."""
        rows = self.conn.execute("SELECT * FROM reports WHERE incident_id = ? ORDER BY id", (incident_id,))
        return [Report(id=r["id"], incident_id=r["incident_id"], article_id=r["article_id"],
                       incident=incident_from_mapping(json.loads(r["data_json"])), reason=r["reason"],
                       added=r["added"]) for r in rows]

    def split(self, incident_id: str, article_id: str, *, combine: Combiner | None = None) -> Incident:
        """Undo a merge: the report from ``article_id`` leaves the incident and becomes its own incident.

        Returns the new incident; the old one is recombined from its remaining reports. Raises
        NotFoundError when the incident or that article's report does not exist, InputError when the
        incident has only that one source (nothing to split).
        """
        if combine is None:
            from ..incidents.merge import combine_reports as combine
        now = time.time()
        with self.transaction() as c:
            if not c.execute("SELECT 1 FROM incidents WHERE event_id_cnty = ?", (incident_id,)).fetchone():
                raise NotFoundError(f"no incident {incident_id!r}; see geoinc incidents list")
            rows = c.execute("SELECT id, data_json FROM reports WHERE incident_id = ? ORDER BY id",
                             (incident_id,)).fetchall()
            moving = [r for r in c.execute("SELECT id, data_json FROM reports WHERE incident_id = ? AND "
                                           "article_id LIKE ? || '%' ORDER BY id", (incident_id, article_id))]
            if not moving:
                raise NotFoundError(f"incident {incident_id} has no source from article {article_id!r}")
            if len(moving) == len(rows):
                raise InputError(f"incident {incident_id} has no other source; nothing to split")
            first = incident_from_mapping(json.loads(moving[0]["data_json"]))
            new_id = first.event_id_cnty
            n = 1
            while c.execute("SELECT 1 FROM incidents WHERE event_id_cnty = ?", (new_id,)).fetchone():
                n += 1
                new_id = f"{first.event_id_cnty}-{n}"
            for r in moving:
                c.execute("UPDATE reports SET incident_id = ?, reason = ? WHERE id = ?",
                          (new_id, f"split from {incident_id}", r["id"]))
            new = self._recombine(c, new_id, combine)
            self._insert_incident(c, new, now)
            self._update_incident(c, incident_id, self._recombine(c, incident_id, combine), now)
        return new

    # bulk
    def add_incidents(self, incidents: Iterable[Incident], *, batch: int = 10_000) -> int:
        """Insert incidents in batches (one transaction per batch); ids already stored are skipped.

        Returns how many were inserted. Used by imports and benchmarks (millions of rows).
        """
        cols = list(_INCIDENT_FIELDS) + ["sources_json", "geom"]
        sql = (f"INSERT OR IGNORE INTO incidents ({', '.join(cols)}, created, updated) "
               f"VALUES ({', '.join('?' * len(cols))}, ?, ?)")
        total = 0
        chunk: list[tuple] = []

        def flush() -> int:
            now = time.time()
            with self.transaction() as c:
                before = c.execute("SELECT COALESCE(max(fid), 0) FROM incidents").fetchone()[0]
                c.executemany(sql, [row + (now, now) for row in chunk])
                # new rows get fids above the old maximum (total_changes would count the triggers' rows too)
                inserted = c.execute("SELECT count(*) FROM incidents WHERE fid > ?", (before,)).fetchone()[0]
                c.execute("INSERT INTO incidents_rtree SELECT fid, longitude, longitude, latitude, latitude "
                          "FROM incidents WHERE fid > ? AND latitude IS NOT NULL AND longitude IS NOT NULL",
                          (before,))
            chunk.clear()
            return inserted

        for inc in incidents:
            row = _storage_row(inc)
            chunk.append(tuple(row[k] for k in cols))
            if len(chunk) >= batch:
                total += flush()
        if chunk:
            total += flush()
        return total

    def delete(self, incident_id: str) -> bool:
        """Remove an incident and its reports; True when it existed."""
        with self.transaction() as c:
            existed = c.execute("SELECT 1 FROM incidents WHERE event_id_cnty = ?", (incident_id,)).fetchone()
            self._delete_incident(c, incident_id)
            c.execute("DELETE FROM reports WHERE incident_id = ?", (incident_id,))
        return existed is not None

    # reads
    def get(self, incident_id: str) -> Incident | None:
        row = self.conn.execute("SELECT * FROM incidents WHERE event_id_cnty = ?", (incident_id,)).fetchone()
        return incident_from_mapping(dict(row)) if row else None

    def find(self, prefix: str) -> Incident:
        """The incident with this id or the unique one whose id starts with it (for the CLI)."""
        inc = self.get(prefix)
        if inc:
            return inc
        rows = self.conn.execute("SELECT * FROM incidents WHERE event_id_cnty LIKE ? ESCAPE '\\' LIMIT 2",
                                 (prefix.replace("%", "\\%").replace("_", "\\_") + "%",)).fetchall()
        if len(rows) == 1:
            return incident_from_mapping(dict(rows[0]))
        if not rows:
            raise NotFoundError(f"no incident {prefix!r}; see geoinc incidents list")
        raise InputError(f"incident id {prefix!r} is ambiguous; give more characters")

    def _where(self, *, bbox: BBox | None, since: str | None, until: str | None,
               event_types: Sequence[str] | None, sub_event_types: Sequence[str] | None, actor: str | None,
               status: str | Sequence[str] | None, min_fatalities: int | None,
               ids: Sequence[str] | None) -> tuple[str, list[Any], list[str]]:
        """(FROM+WHERE clause, parameters) for a search; bbox goes through the R*Tree."""
        where: list[str] = []
        params: list[Any] = []
        frm = "incidents i"
        if bbox is not None:
            # one box only (search() splits antimeridian boxes); CROSS JOIN makes the R*Tree drive the query
            (x0, y0, x1, y1) = bbox
            frm = "incidents_rtree r CROSS JOIN incidents i"
            where.append("r.max_lon >= ? AND r.min_lon <= ? AND r.max_lat >= ? AND r.min_lat <= ? AND i.fid = r.fid "
                         "AND i.longitude BETWEEN ? AND ? AND i.latitude BETWEEN ? AND ?")
            params += [x0, x1, y0, y1, x0, x1, y0, y1]
        if since:
            where.append("i.event_date >= ?")
            params.append(since)
        if until:
            where.append("i.event_date <= ?")
            params.append(until)
        for col, values in (("event_type", event_types), ("sub_event_type", sub_event_types), ("event_id_cnty", ids)):
            if values:
                values = list(values)
                where.append(f"i.{col} IN ({', '.join('?' * len(values))})")
                params += values
        if status:
            values = [status] if isinstance(status, str) else list(status)
            where.append(f"i.status IN ({', '.join('?' * len(values))})")
            params += values
        if actor:
            like = "%" + actor.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append("(" + " OR ".join(f"lower(i.{c}) LIKE ? ESCAPE '\\'" for c in
                                           ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")) + ")")
            params += [like] * 4
        if min_fatalities is not None:
            where.append("i.fatalities >= ?")
            params.append(int(min_fatalities))
        clause = f" FROM {frm}" + (" WHERE " + " AND ".join(where) if where else "")
        return clause, params, where

    def search(self, *, bbox: BBox | None = None, since: str | None = None, until: str | None = None,
               event_types: Sequence[str] | None = None, sub_event_types: Sequence[str] | None = None,
               actor: str | None = None, status: str | Sequence[str] | None = None,
               min_fatalities: int | None = None, ids: Sequence[str] | None = None,
               limit: int | None = None, order: str | None = "date") -> list[Incident]:
        """Incidents matching every given filter; bbox = (min_lon, min_lat, max_lon, max_lat) via the R*Tree.

        Dates compare the best event date (YYYY-MM-DD, inclusive). ``order="date"`` sorts by date then id;
        ``order=None`` returns in storage order (fastest for large results).
        """
        boxes: list[BBox | None] = _split_bbox(check_bbox(bbox)) if bbox is not None else [None]
        out: list[Incident] = []
        for box in boxes:
            clause, params, _ = self._where(bbox=box, since=since, until=until, event_types=event_types,
                                            sub_event_types=sub_event_types, actor=actor, status=status,
                                            min_fatalities=min_fatalities, ids=ids)
            sql = "SELECT i.*" + clause
            if order == "date":
                sql += " ORDER BY i.event_date, i.event_id_cnty"
            if limit is not None:
                sql += " LIMIT ?"
                params.append(int(limit))
            out.extend(incident_from_mapping(dict(r)) for r in self.conn.execute(sql, params))
        if len(boxes) > 1:
            if order == "date":
                out.sort(key=lambda i: (i.event_date, i.event_id_cnty))
            if limit is not None:
                out = out[:int(limit)]
        return out

    def count_matching(self, **filters: Any) -> int:
        """How many incidents a search with these filters (no limit) would return."""
        keys = ("since", "until", "event_types", "sub_event_types", "actor", "status", "min_fatalities", "ids")
        bbox = filters.get("bbox")
        boxes: list[BBox | None] = _split_bbox(check_bbox(bbox)) if bbox is not None else [None]
        total = 0
        for box in boxes:
            clause, params, _ = self._where(bbox=box, **{k: filters.get(k) for k in keys})
            total += self.conn.execute("SELECT count(*)" + clause, params).fetchone()[0]
        return total

    def near(self, lat: float, lon: float, radius_km: float, **filters: Any) -> list[tuple[float, Incident]]:
        """(distance_km, incident) within radius_km of (lat, lon), nearest first: R*Tree box, then geodesic."""
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InputError(f"invalid point lat={lat}, lon={lon}")
        if not radius_km > 0:
            raise InputError(f"radius must be positive (got {radius_km} km)")
        limit = filters.pop("limit", None)
        filters.pop("order", None)
        cands = self.search(bbox=_norm_box(_deg_box(lat, lon, radius_km)), order=None, **filters)
        if not cands:
            return []
        from ..geodesy import GEOD

        lats = [c.latitude for c in cands]
        lons = [c.longitude for c in cands]
        _, _, metres = GEOD.inv([lon] * len(cands), [lat] * len(cands), lons, lats)
        hits = sorted(((m / 1000.0, c) for m, c in zip(metres, cands) if m / 1000.0 <= radius_km),
                      key=lambda t: (t[0], t[1].event_id_cnty))
        return hits[:limit] if limit is not None else hits

    def _candidates(self, c: sqlite3.Connection, lat: float, lon: float, *, radius_km: float,
                    date_from: str, date_to: str, event_type: str | None) -> list[Incident]:
        (x0, y0, x1, y1) = _deg_box(lat, lon, radius_km)
        boxes = _split_bbox(_norm_box((x0, y0, x1, y1)))
        out: list[Incident] = []
        for (bx0, by0, bx1, by1) in boxes:
            sql = ("SELECT i.* FROM incidents_rtree r CROSS JOIN incidents i WHERE i.fid = r.fid AND "
                   "r.max_lon >= ? AND r.min_lon <= ? AND r.max_lat >= ? AND r.min_lat <= ? AND "
                   "COALESCE(i.date_end, i.event_date) >= ? AND COALESCE(i.date_start, i.event_date) <= ?")
            params: list[Any] = [bx0, bx1, by0, by1, date_from, date_to]
            if event_type:
                sql += " AND i.event_type = ?"
                params.append(event_type)
            from ..geodesy import geodesic_km
            for r in c.execute(sql, params):
                inc = incident_from_mapping(dict(r))
                if geodesic_km(lat, lon, inc.latitude, inc.longitude) <= radius_km:
                    out.append(inc)
        return out

    def candidates(self, lat: float, lon: float, *, radius_km: float, date_from: str, date_to: str,
                   event_type: str | None = None) -> list[Incident]:
        """Incidents within radius_km (geodesic) whose date interval meets [date_from, date_to]: merge candidates."""
        return self._candidates(self.conn, lat, lon, radius_km=radius_km, date_from=date_from,
                                date_to=date_to, event_type=event_type)

    def iter_incidents(self, *, batch: int = 5000) -> Iterator[Incident]:
        """Every incident in storage order, read in batches (for exports)."""
        last = 0
        while True:
            rows = self.conn.execute("SELECT * FROM incidents WHERE fid > ? ORDER BY fid LIMIT ?",
                                     (last, batch)).fetchall()
            if not rows:
                return
            for r in rows:
                yield incident_from_mapping(dict(r))
            last = rows[-1]["fid"]

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM incidents").fetchone()[0]

    def integrity_check(self) -> bool:
        """SQLite's integrity check, the R*Tree's own check, and agreement between points and index."""
        c = self.conn
        if c.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return False
        try:
            row = c.execute("SELECT rtreecheck('incidents_rtree')").fetchone()
            if row and row[0] != "ok":
                return False
        except sqlite3.OperationalError:
            pass  # rtreecheck needs SQLite >= 3.24
        located = c.execute("SELECT count(*) FROM incidents WHERE latitude IS NOT NULL "
                            "AND longitude IS NOT NULL").fetchone()[0]
        indexed = c.execute("SELECT count(*) FROM incidents_rtree").fetchone()[0]
        orphans = c.execute("SELECT count(*) FROM reports WHERE incident_id NOT IN "
                            "(SELECT event_id_cnty FROM incidents)").fetchone()[0]
        if meta_value(c, "packed_layout") is not None:
            # no row of the country index outlives its incident
            stale = c.execute("SELECT count(*) FROM incident_countries m WHERE NOT EXISTS "
                              "(SELECT 1 FROM incidents i WHERE i.fid = m.fid)").fetchone()[0]
            if stale:
                return False
        return located == indexed and orphans == 0

    def stats(self) -> dict[str, Any]:
        c = self.conn
        return {
            "path": str(self.path),
            "articles": self.articles_count(),
            "incidents": self.count(),
            "reports": c.execute("SELECT count(*) FROM reports").fetchone()[0],
            "mentions": c.execute("SELECT count(*) FROM mentions").fetchone()[0],
            "bytes": self.size_bytes(),
        }

    def size_bytes(self) -> int:
        total = 0
        for suffix in ("", "-wal"):
            p = Path(str(self.path) + suffix)
            if p.exists():
                total += p.stat().st_size
        return total


def _norm_box(box: BBox) -> BBox:
    """Wrap a box whose longitudes spill past ±180 into the antimeridian form check_bbox accepts."""
    x0, y0, x1, y1 = box
    if x1 - x0 >= 360:
        return (-180.0, y0, 180.0, y1)
    if x0 < -180:
        x0 += 360
    if x1 > 180:
        x1 -= 360
    return (x0, y0, x1, y1)


def open_store(path: str | Path | None = None, *, readonly: bool = False) -> SQLiteStore:
    """The incident store at ``path``, else $GEOINC_DB, else incidents.sqlite under GEOINC_HOME."""
    return SQLiteStore(config.db_path(path), readonly=readonly)


__all__ = ["IncidentStore", "SQLiteStore", "IngestResult", "Report", "open_store", "check_bbox",
           "incident_from_mapping", "incident_row"]
