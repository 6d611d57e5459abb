"""The SQLite store's schema: its tables, the country index with its pending list and triggers, meta.

Layout: ``incidents`` holds the merged incidents (the 31 ACLED columns, geoinc's extras, sources as JSON)
and ``incidents_rtree`` their points; ``reports`` holds each article's own reading of an incident, so a
merge can be explained (which sources, why) and undone (``split``); ``articles`` and ``mentions`` record
what was ingested; ``meta`` the schema version and the country index's layout and source.
"""
from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Sequence

from .columns import PACKED_FORMAT, SEP, packed_exprs, packed_layout
from .records import INCIDENT_FIELDS, STORAGE_COLUMNS, column_kind

SCHEMA_VERSION = 1
WGS84_WKT = ('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
             'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",'
             '0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],'
             'AUTHORITY["EPSG","4326"]]')
_SQL_TYPES = {"int": "INTEGER", "real": "REAL", "text": "TEXT"}

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS incidents (
    fid INTEGER PRIMARY KEY,
    {", ".join(f"{n} {_SQL_TYPES[column_kind(n)]}" + (" NOT NULL UNIQUE" if n == "event_id_cnty" else "")
               for n in INCIDENT_FIELDS)},
    sources_json TEXT NOT NULL DEFAULT '[]',
    geom BLOB,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS incidents_event_date ON incidents(event_date);
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
CREATE TABLE IF NOT EXISTS geometry_columns (f_table_name VARCHAR, f_geometry_column VARCHAR, geometry_type INTEGER,
    coord_dimension INTEGER, srid INTEGER, geometry_format VARCHAR);
CREATE TABLE IF NOT EXISTS spatial_ref_sys (srid INTEGER UNIQUE, auth_name TEXT, auth_srid TEXT, srtext TEXT);
"""
# geometry_columns/spatial_ref_sys make the file an "OGR-style SQLite" database: GDAL, QGIS and geopandas open
# the incidents table directly as a Point layer in EPSG:4326 (geom = WKB, x=lon, y=lat).

# Indexes no statement of geoinc's needs (EXPLAIN QUERY PLAN over the queries of sqlite_query and the writer's
# look-ups): type and actor filters are tested in Python on the candidates, statuses as lower(status), which no
# index on status serves, merge look-ups go through the R*Trees or, for unlocated incidents, incidents_location;
# the writer's one look-up of reports by article (has this article already reported this incident?) names the
# incident too, and reports_incident finds its few reports. Each index costs every insert (and the page it
# dirties, every commit), so stores made before they were dropped lose them when opened for writing.
UNUSED_INDEXES: tuple[str, ...] = ("incidents_type_date", "incidents_sub_type", "incidents_status",
                                   "reports_article")


# --- the country index ---------------------------------------------------------------------------
# A country query returns every column of thousands of incidents; SQLite spends ~50-90 ns per value handing
# them over one by one, and testing each point against a polygon of 10,000+ vertices costs more again.
# ``incident_countries`` answers both: one row per (Natural Earth country covering the incident, incident),
# clustered by (country, date key, fid), holding the incident's values packed into three text values (see
# geoinc.store.columns). ``d`` is the event_date ('' when it is not text). A country query is then one range
# of one table, in date order. Which countries cover an incident is decided in Python
# (geoinc.store.membership, the query's own predicate): triggers mark every new or moved incident pending,
# and the store resolves pending incidents before each of its write transactions commits; a query tests any
# still pending (e.g. written by another tool) itself. Triggers keep the packed values of indexed incidents
# in step with every update. meta 'packed_layout' records the layout (a reader uses the table only when it
# is the current one), meta 'country_index' the country layer it was built from (membership.source_id()).

def table_columns(conn: sqlite3.Connection) -> list[str]:
    return [r[1] for r in conn.execute("PRAGMA table_info(incidents)").fetchall()]


def packed_meta_value(columns: Sequence[str]) -> str:
    """What meta 'packed_layout' holds for a store with these columns."""
    return json.dumps({"format": PACKED_FORMAT, "columns": packed_layout(columns)}, separators=(",", ":"))


def meta_value(conn: sqlite3.Connection | sqlite3.Cursor, key: str) -> str | None:
    """A value of the store's ``meta`` table, or None when the key is absent."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def date_key(ref: str) -> str:
    """SQL for an incident's date key in the country index: its event_date when text, else ''."""
    return f"CASE WHEN typeof({ref}event_date) = 'text' THEN {ref}event_date ELSE '' END"


def country_index_ddl(layout: Sequence[tuple[str, str]]) -> list[str]:
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
def country_rows_sql(layout: tuple[tuple[str, str], ...]) -> str:
    """INSERT of one (country, incident) row of the index from the incident's current values."""
    f, n, t = packed_exprs(layout, "")
    return (f"INSERT OR REPLACE INTO incident_countries (country, d, fid, f, n, t) "
            f"SELECT ?, {date_key('')}, fid, {f}, {n}, {t} FROM incidents WHERE fid = ?")


# The same packing in Python, for a row about to be inserted (the Dask workers pack the incidents they hand to
# the single writer, which then inserts plain values instead of evaluating the expressions per row). It covers
# the values whose stored form is certain: None, an int in an INTEGER column, a finite float in a REAL column,
# a str in a TEXT column; for anything else it returns None and the row is packed by SQL as before.
STANDARD_LAYOUT: tuple[tuple[str, str], ...] = tuple(packed_layout(STORAGE_COLUMNS))
_PACK_PLAN = tuple((STORAGE_COLUMNS.index(c), kind) for c, kind in STANDARD_LAYOUT)
_EVENT_DATE = STORAGE_COLUMNS.index("event_date")
_TWO_32 = 4294967296.0
_TWO_52 = 4503599627370496.0


def packed_row(values: Sequence[object]) -> tuple[str, str, str, str] | None:
    """(date key, flags, numbers, texts) of the country index's row for an incident whose storage values
    (records.STORAGE_COLUMNS order) these are, as :func:`country_rows_sql` computes them for the
    :data:`STANDARD_LAYOUT`; None when a value's stored form is not certain (SQL packs that row)."""
    flags: list[str] = []
    nums: list[str] = []
    texts: list[str] = []
    for k, kind in _PACK_PLAN:
        x = values[k]
        t = type(x)
        if x is None:
            flags.append("1")
            if kind == "text":
                texts.append("")
            else:
                nums.extend(("0", "0") if kind == "real" else ("0",))
        elif kind == "int" and t is int:
            if not -(1 << 63) <= x < (1 << 63):
                return None
            flags.append("0")
            nums.append(str(x))
        elif kind == "real" and t is float:
            y = x * _TWO_32
            if not abs(y) < 9.2e18:                # also NaN (stored as NULL) and inf: left to SQL
                return None
            a = int(y)                              # CAST AS INTEGER truncates towards zero
            frac = (y - a) * _TWO_52
            b = int(frac)
            if frac == b and abs(a) < 9007199254740992:
                flags.append("0")
                nums.extend((str(a), str(b)))
            else:
                flags.append("2")
                nums.extend(("0", "0"))
        elif kind == "text" and t is str:
            if SEP in x:
                flags.append("2")
                texts.append("")
            else:
                flags.append("0")
                texts.append(x)
        else:
            return None
    day = values[_EVENT_DATE]                      # a str or None here (a TEXT column's value was checked)
    return (day if isinstance(day, str) else "", "".join(flags), ",".join(nums), SEP.join(texts))


COUNTRY_ROW_SQL = "INSERT OR REPLACE INTO incident_countries (country, d, fid, f, n, t) VALUES (?, ?, ?, ?, ?, ?)"


# --- the merge index -----------------------------------------------------------------------------
# A merge look-up wants the stored incidents within ~10 km of a place whose date interval meets a window of a
# few days. The R*Tree of points alone returns every incident ever stored near the place (a city over years:
# thousands), so the look-up uses a second R*Tree whose third dimension is the incident's days (days since
# 1970-01-01 of its first and last date): [first, last] when both are 'YYYY-MM-DD' dates in order, else
# unbounded, so an incident whose dates are not such text still meets every window (the look-up's exact text
# conditions decide for it, as before). Triggers keep it in step with every insert, move, re-dating and delete,
# whoever writes (another tool's plain SQL too). meta 'merge_index' records its layout version.

MERGE_INDEX_VERSION = "1"
UNBOUNDED_DAYS = 1e9            # beyond any date: an interval that meets every window


def _unix_day_sql(expr: str) -> str:
    """SQL: days since 1970-01-01 of ``expr`` when it is 'YYYY-MM-DD' text (exactly), else NULL."""
    # date(julianday(x)) IS x: x is exactly the text of a real day ('2024-02-31' is not: julianday reads it as
    # 2 March while date(x) may keep it as written, and as text it sorts before '2024-03-01')
    return (f"(CASE WHEN typeof({expr}) = 'text' AND date(julianday({expr})) IS {expr} "
            f"THEN julianday({expr}) - 2440587.5 END)")


def _merge_rows_sql(ref: str, source: str = "") -> str:
    """SELECT of the merge index's values (fid, lon, lon, lat, lat, first day, last day) of the located
    incident rows: ``new.`` in a trigger (``source`` empty), or the rows of ``source`` (ref empty)."""
    days = (f"SELECT {ref}fid AS fid, {ref}longitude AS lon, {ref}latitude AS lat, "
            f"{_unix_day_sql(f'COALESCE({ref}date_start, {ref}event_date)')} AS f, "
            f"{_unix_day_sql(f'COALESCE({ref}date_end, {ref}event_date)')} AS l"
            f"{' FROM ' + source if source else ''} "
            f"WHERE {ref}latitude IS NOT NULL AND {ref}longitude IS NOT NULL")
    return (f"SELECT fid, lon, lon, lat, lat, CASE WHEN f <= l THEN f ELSE -{UNBOUNDED_DAYS} END, "
            f"CASE WHEN f <= l THEN l ELSE {UNBOUNDED_DAYS} END FROM ({days})")


def merge_index_ddl() -> list[str]:
    """Statements (re)creating the merge index and its triggers, and filling it from the stored incidents."""
    return [
        *(f"DROP TRIGGER IF EXISTS incidents_merge_{what}" for what in ("insert", "update", "delete")),
        "DROP TABLE IF EXISTS incidents_merge_rtree",
        "CREATE VIRTUAL TABLE incidents_merge_rtree USING rtree(fid, min_lon, max_lon, min_lat, max_lat, "
        "min_day, max_day)",
        f"CREATE TRIGGER incidents_merge_insert AFTER INSERT ON incidents BEGIN "
        f"INSERT INTO incidents_merge_rtree {_merge_rows_sql('new.')}; END",
        "CREATE TRIGGER incidents_merge_update AFTER UPDATE OF fid, latitude, longitude, event_date, date_start, "
        "date_end ON incidents BEGIN DELETE FROM incidents_merge_rtree WHERE fid = old.fid; "
        f"INSERT INTO incidents_merge_rtree {_merge_rows_sql('new.')}; END",
        "CREATE TRIGGER incidents_merge_delete AFTER DELETE ON incidents BEGIN "
        "DELETE FROM incidents_merge_rtree WHERE fid = old.fid; END",
        f"INSERT INTO incidents_merge_rtree {_merge_rows_sql('', 'incidents')}",
    ]


__all__ = ["UNUSED_INDEXES", "STANDARD_LAYOUT", "packed_row", "COUNTRY_ROW_SQL", "MERGE_INDEX_VERSION",
           "UNBOUNDED_DAYS", "merge_index_ddl", "SCHEMA", "SCHEMA_VERSION", "WGS84_WKT", "table_columns", "packed_meta_value",
           "meta_value", "date_key", "country_index_ddl", "country_rows_sql"]
