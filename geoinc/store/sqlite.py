"""The embedded incident store: one SQLite file (WAL, R*Tree spatial index) behind IncidentStore.

Each article is written in one transaction, so ingestion is idempotent and a killed ingestion leaves a
consistent store that the next run completes. The schema lives in geoinc.store.sqlite_schema, the query
planner and column-wise reader in geoinc.store.sqlite_query; this module holds connections and writes.
"""
from __future__ import annotations

import functools
import json
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, timedelta
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..articles import Article
from ..errors import InputError, NotFoundError, StoreError
from ..geodesy import geodesic_km
from ..incidents.merge import combine_reports, merge_reason
from ..models import Incident, Mention
from . import Combiner, IngestResult, MergeRule, Report, Selected, open_store
from .columns import packed_layout
from .connections import PerThreadConnections
from .records import (ARTICLE_COLUMNS, INCIDENT_FIELDS, MENTION_COLUMNS, STORAGE_COLUMNS, PreparedArticle,
                      PreparedIncident, incident_from_mapping, incident_from_values, prepare_article,
                      storage_row, storage_values)
from .sqlite_schema import (COUNTRY_ROW_SQL, MERGE_INDEX_VERSION, SCHEMA, SCHEMA_VERSION, STANDARD_LAYOUT,
                            UNBOUNDED_DAYS, UNUSED_INDEXES, WGS84_WKT, country_index_ddl, country_rows_sql,
                            merge_index_ddl, meta_value, packed_meta_value, table_columns)

if TYPE_CHECKING:
    from ..regions import QuerySpec

# Pages of a new store: 8 KiB rather than SQLite's 4 KiB default. An ingestion commit writes every page it
# dirtied to the WAL and later copies it to the file; with incident rows of 1-2 KB and their report JSON
# that is half as many pages, frames and B-tree splits (the single writer of a Dask ingestion spent ~0.07 of
# its ~0.4 ms per article in COMMIT with 4 KiB pages, ~0.05 with 8 KiB).
PAGE_SIZE = 8192
# Where a write statement keeps the pages it is about to change, so that it can be undone alone (SQLite's
# statement journal; every incident insert, with its triggers, and every multi-row mention insert keeps one):
# SQLite holds it in memory up to 64 KiB, i.e. 8 pages of 8 KiB, then spills it to a temporary file, so an
# ingestion wrote ~22 pages per article there through the kernel (~44 write calls per article). MEMORY keeps it,
# and the connection's other temporary data (sorts, temporary indexes of large reads), in memory: the single
# writer of a Dask ingestion spends ~0.03-0.04 ms less CPU per article (0.30 -> 0.27 ms, incident INSERT 0.08 ->
# 0.055). A statement's journal holds only the pages it changes that existed before it (the largest: a bulk
# add_incidents batch's R*Tree insert, at most the R*Tree's size). Read-only connections keep SQLite's default.
STATEMENT_JOURNAL = "MEMORY"
READ_MMAP_BYTES = 1 << 31                  # connections memory-map up to this much of the file (SQLite caps it near 2 GiB)


@functools.lru_cache(maxsize=4096)
def _radius_boxes(lat: float, lon: float, radius_km: float) -> tuple[tuple[float, float, float, float], ...]:
    """The envelope boxes of a geodesic circle (shapes.RadiusRegion.boxes), remembered: merge look-ups ask
    for the same few places' circles again and again (incidents are placed at gazetteer coordinates)."""
    from ..shapes import RadiusRegion

    return tuple(RadiusRegion(lat, lon, radius_km).boxes())


@functools.lru_cache(maxsize=4096)
def _merge_window(first: str, last: str, days: int) -> tuple[str, str, float, float]:
    """The dates a merge candidate's interval must meet: [first - days, last + days], as ISO dates and as the
    merge index counts them (_unix_day of those dates, worked out here from the same date objects)."""
    lo = date.fromisoformat(first) - timedelta(days=days)
    hi = date.fromisoformat(last) + timedelta(days=days)
    return (lo.isoformat(), hi.isoformat(), float(lo.toordinal() - _EPOCH_ORDINAL),
            float(hi.toordinal() - _EPOCH_ORDINAL))


@functools.lru_cache(maxsize=4096)
def _unix_day(text: str, otherwise: float) -> float:
    """Days since 1970-01-01 of a 'YYYY-MM-DD' date (as the merge index counts them), else ``otherwise``."""
    try:
        day = date.fromisoformat(text)
    except (TypeError, ValueError):
        return otherwise
    return float(day.toordinal() - _EPOCH_ORDINAL) if day.isoformat() == text else otherwise


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_AT = {name: k for k, name in enumerate(STORAGE_COLUMNS)}      # position of each column in storage values
_ID, _DATE, _START, _END, _TYPE, _LAT, _LON, _LOCATION = (_AT[n] for n in (
    "event_id_cnty", "event_date", "date_start", "date_end", "event_type", "latitude", "longitude", "location"))
_INSERT_ARTICLE = (f"INSERT OR IGNORE INTO articles ({', '.join(ARTICLE_COLUMNS)}, ingested) "
                   f"VALUES ({', '.join('?' * (len(ARTICLE_COLUMNS) + 1))})")
_INSERT_MENTION = ("INSERT OR IGNORE INTO mentions (" + ", ".join(f'"{n}"' for n in MENTION_COLUMNS) + ") "
                   f"VALUES ({', '.join('?' * len(MENTION_COLUMNS))})")
MENTION_CHUNK = 64               # mention rows per INSERT (64 x 15 values: under SQLite's oldest 999-value limit)
_INSERT_MENTIONS = (_INSERT_MENTION.split(" VALUES ")[0] + " VALUES "
                    + ", ".join([f"({', '.join('?' * len(MENTION_COLUMNS))})"] * MENTION_CHUNK))
_INSERT_INCIDENT = (f"INSERT INTO incidents ({', '.join(STORAGE_COLUMNS)}, created, updated) "
                    f"VALUES ({', '.join('?' * (len(STORAGE_COLUMNS) + 2))})")
_INSERT_REPORT = "INSERT INTO reports (incident_id, article_id, data_json, reason, added) VALUES (?,?,?,?,?)"


def _insert_mentions(c: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    """Insert mention rows in order (INSERT OR IGNORE: the same rows as one statement per row), MENTION_CHUNK rows
    per statement: a task's ~2,000 rows cost ~10 % less than through executemany, one row per step."""
    full = len(rows) - len(rows) % MENTION_CHUNK
    for k in range(0, full, MENTION_CHUNK):
        c.execute(_INSERT_MENTIONS, list(chain.from_iterable(rows[k:k + MENTION_CHUNK])))
    if full < len(rows):
        c.executemany(_INSERT_MENTION, rows[full:])


def _candidates_sql(merge_index: bool, typed: bool) -> str:
    """The merge look-up's statement: the merge index (point and days) or, in a read-only store made before it,
    the R*Tree of points; the exact date conditions, and the event type when there is one."""
    dates = ("COALESCE(i.date_end, i.event_date) >= ? AND COALESCE(i.date_start, i.event_date) <= ?" +
             (" AND i.event_type = ?" if typed else ""))
    if merge_index:
        return ("SELECT i.* FROM incidents_merge_rtree r CROSS JOIN incidents i WHERE i.fid = r.fid AND "
                "r.max_lon >= ? AND r.min_lon <= ? AND r.max_lat >= ? AND r.min_lat <= ? AND "
                f"r.max_day >= ? AND r.min_day <= ? AND {dates}")
    return ("SELECT i.* FROM incidents_rtree r CROSS JOIN incidents i WHERE i.fid = r.fid AND "
            f"r.max_lon >= ? AND r.min_lon <= ? AND r.max_lat >= ? AND r.min_lat <= ? AND {dates}")


_CANDIDATES_SQL = {(m, t): _candidates_sql(m, t) for m in (False, True) for t in (False, True)}


class SQLiteStore(PerThreadConnections):
    """Incidents in one SQLite file: WAL journal, R*Tree index on points, one transaction per write.

    Safe for many readers and one writer across threads and processes: each thread gets its own
    connection; writers wait (busy timeout) for the lock instead of failing at once.
    """

    _CLOSE_ERRORS = (sqlite3.Error,)

    def __init__(self, path: str | Path, *, timeout: float = 30.0, readonly: bool = False) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.readonly = readonly
        self._merge_index = False            # merge look-ups read incidents_merge_rtree (see sqlite_schema)
        self._init_connections()
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
                # a new file takes this page size (an existing one keeps its own; WAL fixes it): each commit
                # writes half as many pages to the WAL and the checkpoint (see PAGE_SIZE)
                conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                # a row deleted by a REPLACE conflict fires the delete triggers too (packed rows stay in step)
                conn.execute("PRAGMA recursive_triggers = ON")
                # statement journals in memory (see STATEMENT_JOURNAL): set before any statement is prepared,
                # as changing it later expires them all
                conn.execute(f"PRAGMA temp_store = {STATEMENT_JOURNAL}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA cache_size = -65536")
            # reads map the file instead of copying pages through read(): large results re-read pages the
            # 64 MB cache has evicted (a 15,000-row result touches ~60 MB of rows); writers too (the API)
            conn.execute(f"PRAGMA mmap_size = {READ_MMAP_BYTES}")
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.path}: cannot open the incident store ({err})") from err
        return self._keep(conn)

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
                    self._drop_unused_indexes()
                    self._ensure_countries()
                    self._ensure_merge_index()
                self._merge_index = meta_value(conn, "merge_index") == MERGE_INDEX_VERSION
                return
            if self.readonly:
                raise StoreError(f"{self.path}: not a geoinc incident store")
            other = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if other:
                raise StoreError(f"{self.path}: an SQLite file that is not a geoinc store; use another --db")
            with self.transaction() as c:
                for stmt in SCHEMA.split(";"):
                    if stmt.strip():
                        c.execute(stmt)
                c.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                c.execute("INSERT OR REPLACE INTO meta VALUES ('created', ?)", (str(time.time()),))
                c.execute("INSERT INTO geometry_columns VALUES ('incidents', 'geom', 1, 2, 4326, 'WKB')")
                c.execute("INSERT INTO spatial_ref_sys VALUES (4326, 'EPSG', '4326', ?)", (WGS84_WKT,))
            self._ensure_countries()
            self._ensure_merge_index()
            self._merge_index = True
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.path}: not a usable incident store ({err})") from err

    def _ensure_countries(self) -> None:
        """Create the country index when the store has none or one of another layout (every located
        incident is then pending, indexed when this transaction commits: ~1 min per million incidents, once)."""
        want = packed_meta_value(table_columns(self.conn))
        if meta_value(self.conn, "packed_layout") == want:
            return
        with self.transaction() as c:
            want = packed_meta_value(table_columns(c))
            if meta_value(c, "packed_layout") == want:       # another process built it meanwhile
                return
            for stmt in country_index_ddl(packed_layout(table_columns(c))):
                c.execute(stmt)
            c.execute("DELETE FROM meta WHERE key = 'country_index'")
            c.execute("INSERT OR REPLACE INTO meta VALUES ('packed_layout', ?)", (want,))
            c.execute("INSERT OR IGNORE INTO incident_countries_pending (fid) SELECT fid FROM incidents "
                      "WHERE latitude IS NOT NULL AND longitude IS NOT NULL")

    def _drop_unused_indexes(self) -> None:
        """Drop the indexes of a store made before sqlite_schema.UNUSED_INDEXES were dropped from the schema
        (no statement needs them; every write pays for them). Nothing to do, nothing written, on a newer store."""
        found = ("SELECT name FROM sqlite_master WHERE type = 'index' AND name IN "
                 f"({', '.join('?' * len(UNUSED_INDEXES))})")
        if not self.conn.execute(found, UNUSED_INDEXES).fetchone():
            return
        with self.transaction() as c:
            for name in UNUSED_INDEXES:
                c.execute(f"DROP INDEX IF EXISTS {name}")

    def _ensure_merge_index(self) -> None:
        """Create the merge index (sqlite_schema.merge_index_ddl) when the store has none or an older one,
        filled from the stored incidents (a few seconds per million, once)."""
        if meta_value(self.conn, "merge_index") == MERGE_INDEX_VERSION:
            return
        with self.transaction() as c:
            if meta_value(c, "merge_index") == MERGE_INDEX_VERSION:      # another process built it meanwhile
                return
            for stmt in merge_index_ddl():
                c.execute(stmt)
            c.execute("INSERT OR REPLACE INTO meta VALUES ('merge_index', ?)", (MERGE_INDEX_VERSION,))

    def _resolve_countries(self, c: sqlite3.Connection,
                           packed: dict[int, tuple[str, str, str, str]] | None = None) -> None:
        """Inside a write transaction: put the pending incidents into the country index (see
        geoinc.store.membership). When the country layer cannot be loaded they stay pending, which queries
        handle exactly (they test pending incidents themselves), so a write never fails for it. ``packed``:
        the packed rows of incidents as they are now, by fid (sqlite_schema.packed_row), inserted as they are
        instead of being packed again by SQL."""
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
            layout = tuple(packed_layout(table_columns(c)))
            if packed and layout == STANDARD_LAYOUT:
                c.executemany(COUNTRY_ROW_SQL, [(r, *packed[f][:1], f, *packed[f][1:]) for r, _, f in pairs
                                                if f in packed])
                pairs = [p for p in pairs if p[2] not in packed]
            c.executemany(country_rows_sql(layout), [(r, f) for r, _, f in pairs])
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

    # low-level writes (inside a transaction)
    def _insert_incident(self, c: sqlite3.Connection, values: tuple[Any, ...], now: float) -> int:
        """Insert an incident (its records.storage_values) and its point into the R*Tree; its fid."""
        fid = c.execute(_INSERT_INCIDENT, (*values, now, now)).lastrowid
        assert fid is not None
        lat, lon = values[_LAT], values[_LON]
        if lat is not None and lon is not None:
            c.execute("INSERT INTO incidents_rtree VALUES (?, ?, ?, ?, ?)", (fid, lon, lon, lat, lat))
        return fid

    def _update_incident(self, c: sqlite3.Connection, old_id: str, inc: Incident, now: float) -> int:
        """Rewrite a stored incident (and its point in the R*Tree); its fid."""
        row = storage_row(inc)
        fid = c.execute("SELECT fid FROM incidents WHERE event_id_cnty = ?", (old_id,)).fetchone()[0]
        sets = ", ".join(f"{k} = ?" for k in row)
        c.execute(f"UPDATE incidents SET {sets}, updated = ? WHERE fid = ?", [*row.values(), now, fid])
        c.execute("DELETE FROM incidents_rtree WHERE fid = ?", (fid,))
        if inc.latitude is not None and inc.longitude is not None:
            c.execute("INSERT INTO incidents_rtree VALUES (?, ?, ?, ?, ?)",
                      (fid, inc.longitude, inc.longitude, inc.latitude, inc.latitude))
        return fid

    def _delete_incident(self, c: sqlite3.Connection, incident_id: str) -> None:
        row = c.execute("SELECT fid FROM incidents WHERE event_id_cnty = ?", (incident_id,)).fetchone()
        if row:
            c.execute("DELETE FROM incidents_rtree WHERE fid = ?", (row[0],))
            c.execute("DELETE FROM incidents WHERE fid = ?", (row[0],))

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
        return self.add_articles([(article, incidents, mentions)], merge_rule=merge_rule, combine=combine,
                                 merge_radius_km=merge_radius_km, merge_days=merge_days)[0]

    def add_articles(self, items: Sequence[tuple[Article, list[Incident], list[Mention]]], *,
                     merge_rule: MergeRule | None = None, combine: Combiner | None = None,
                     merge_radius_km: float = 10.0, merge_days: int = 2) -> list[IngestResult]:
        """Store several articles, in order, in ONE transaction (what :meth:`add_article` does for each, with
        one commit and one country-index update for the batch: the single writer of a Dask ingestion)."""
        return self.add_prepared([prepare_article(*item) for item in items], merge_rule=merge_rule,
                                 combine=combine, merge_radius_km=merge_radius_km, merge_days=merge_days)

    def add_prepared(self, items: Sequence[PreparedArticle], *, merge_rule: MergeRule | None = None,
                     combine: Combiner | None = None, merge_radius_km: float = 10.0,
                     merge_days: int = 2) -> list[IngestResult]:
        """:meth:`add_articles` for articles already turned into rows (records.prepare_article, done by the
        Dask workers), so that the single writer only runs merge look-ups and inserts."""
        merge_rule = merge_rule or merge_reason
        combine = combine or combine_reports
        now = time.time()
        article_id = "?"
        try:
            with self.transaction() as c:
                results = []
                mention_rows: list[tuple[Any, ...]] = []
                packed: dict[int, tuple[str, str, str, str]] = {}
                for article_row, mentions, incidents in items:
                    article_id = article_row[0]
                    results.append(self._store_article(c, article_row, mentions, incidents, mention_rows, packed,
                                                       merge_rule, combine, merge_radius_km, merge_days, now))
                _insert_mentions(c, mention_rows)
                self._resolve_countries(c, packed)
        except sqlite3.Error as err:
            raise StoreError(f"{self.path}: could not store article {article_id} ({err})") from err
        return results

    def _store_article(self, c: sqlite3.Connection, article_row: tuple[Any, ...], mentions: list[tuple[Any, ...]],
                       incidents: list[PreparedIncident], mention_rows: list[tuple[Any, ...]],
                       packed: dict[int, tuple[str, str, str, str]], merge_rule: MergeRule, combine: Combiner,
                       merge_radius_km: float, merge_days: int, now: float) -> IngestResult:
        """Inside a write transaction: one article and its incidents (skipped when stored); its mentions are
        added to ``mention_rows``, inserted after the batch's articles (nothing reads them meanwhile), and the
        packed country-index row of each new incident to ``packed`` (by fid; dropped when a later report of
        the batch merges into it and so changes its values)."""
        article_id = article_row[0]
        result = IngestResult(article_id=article_id)
        if not c.execute(_INSERT_ARTICLE, (*article_row, now)).rowcount:     # already stored: ignored
            result.skipped = True
            return result
        mention_rows.extend(mentions)
        result.mentions = len(mentions)
        for values, report_json, packed_row in incidents:
            target, reason = self._find_merge(c, values, article_id, merge_rule, merge_radius_km, merge_days)
            incident_id = values[_ID]
            if target is None:
                c.execute(_INSERT_REPORT, (incident_id, article_id, report_json, "new incident", now))
                try:
                    fid = self._insert_incident(c, values, now)
                    if packed_row is not None:
                        packed[fid] = packed_row
                except sqlite3.IntegrityError as err:
                    if c.execute("SELECT 1 FROM incidents WHERE event_id_cnty = ?", (incident_id,)).fetchone():
                        raise StoreError(f"incident id {incident_id} already exists") from err
                    raise
                result.incidents_new.append(incident_id)
            else:
                c.execute(_INSERT_REPORT, (target.event_id_cnty, article_id, report_json, reason, now))
                merged = self._recombine(c, target.event_id_cnty, combine)
                packed.pop(self._update_incident(c, target.event_id_cnty, merged, now), None)
                result.incidents_merged.append(target.event_id_cnty)
        return result

    def _find_merge(self, c: sqlite3.Connection, values: tuple[Any, ...], article_id: str, rule: MergeRule,
                    radius_km: float, days: int) -> tuple[Incident | None, str]:
        """The stored incident this one (its storage values) merges into, nearest first, and why."""
        day = values[_DATE]
        if not day:
            return None, ""
        date_from, date_to, day_from, day_to = _merge_window(values[_START] or day, values[_END] or day, days)
        lat, lon = values[_LAT], values[_LON]
        event_type = values[_TYPE]
        if lat is not None and lon is not None:
            cands = self._candidates(c, lat, lon, radius_km=radius_km, date_from=date_from, date_to=date_to,
                                     event_type=event_type, days=(day_from, day_to))
        elif values[_LOCATION]:
            rows = c.execute("SELECT * FROM incidents WHERE location = ? AND event_type = ? AND "
                             "latitude IS NULL AND COALESCE(date_end, event_date) >= ? AND "
                             "COALESCE(date_start, event_date) <= ? ORDER BY fid",    # ties go to the oldest
                             (values[_LOCATION], event_type, date_from, date_to))
            cands = [incident_from_mapping(dict(r)) for r in rows]
        else:
            return None, ""
        if not cands:
            return None, ""
        inc = incident_from_values(values)
        best: tuple[float, Incident, str] | None = None
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
        combine = combine or combine_reports
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
            self._insert_incident(c, storage_values(new), now)
            self._update_incident(c, incident_id, self._recombine(c, incident_id, combine), now)
        return new

    # bulk
    def add_incidents(self, incidents: Iterable[Incident], *, batch: int = 10_000) -> int:
        """Insert incidents in batches (one transaction per batch); ids already stored are skipped.

        Returns how many were inserted. Used by imports and benchmarks (millions of rows).
        """
        cols = list(INCIDENT_FIELDS) + ["sources_json", "geom"]
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
            row = storage_row(inc)
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

    def select(self, spec: "QuerySpec", *, records: bool = False) -> Selected:
        """The incidents a validated query matches, by event_date then store order, cut at its limit: a
        GeoDataFrame (or, with ``records``, plain dicts read row by row) and how many matched in all."""
        from . import sqlite_query

        if records:
            rows, matched = sqlite_query.query_records(self.conn, spec)
            return Selected(matched, records=rows)
        frame, matched = sqlite_query.query_frame(self.conn, spec)
        return Selected(matched, frame=frame)

    def _candidates(self, c: sqlite3.Connection, lat: float, lon: float, *, radius_km: float,
                    date_from: str, date_to: str, event_type: str | None,
                    days: tuple[float, float] | None = None) -> list[Incident]:
        """Incidents within radius_km whose date interval meets [date_from, date_to], in fid order (the oldest
        first, as PostGIS answers; the nearest of equally near candidates is then the oldest). ``days``: the
        window as the merge index counts it, when the caller has it (_merge_window)."""
        extra: list[Any] = [date_from, date_to, event_type] if event_type else [date_from, date_to]
        if self._merge_index:       # only the incidents of the window's days near the place, not of all days
            if days is None:
                days = (_unix_day(date_from, -UNBOUNDED_DAYS), _unix_day(date_to, UNBOUNDED_DAYS))
            extra = [*days, *extra]
        sql = _CANDIDATES_SQL[self._merge_index, bool(event_type)]
        boxes = _radius_boxes(lat, lon, radius_km)             # two where the circle crosses 180 degrees
        if len(boxes) == 1:
            bx0, by0, bx1, by1 = boxes[0]
            rows = c.execute(sql, [bx0, bx1, by0, by1, *extra]).fetchall()
            if not rows:
                return []
        else:
            rows = [r for (bx0, by0, bx1, by1) in boxes for r in c.execute(sql, [bx0, bx1, by0, by1, *extra])]
        rows.sort(key=lambda r: r["fid"])
        out = []
        for r in rows:
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
        orphans = c.execute("SELECT count(*) FROM reports WHERE incident_id NOT IN "
                            "(SELECT event_id_cnty FROM incidents)").fetchone()[0]
        located = c.execute("SELECT count(*) FROM incidents WHERE latitude IS NOT NULL "
                            "AND longitude IS NOT NULL").fetchone()[0]
        indexed = c.execute("SELECT count(*) FROM incidents_rtree").fetchone()[0]
        if meta_value(c, "merge_index") is not None:
            # one row of the merge index per located incident, none of a gone one (the triggers keep it so)
            merge_rows = c.execute("SELECT count(*) FROM incidents_merge_rtree").fetchone()[0]
            stale = c.execute("SELECT count(*) FROM incidents_merge_rtree m WHERE NOT EXISTS "
                              "(SELECT 1 FROM incidents i WHERE i.fid = m.fid)").fetchone()[0]
            if merge_rows != located or stale:
                return False
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


__all__ = ["SQLiteStore", "PAGE_SIZE", "READ_MMAP_BYTES", "open_store"]
