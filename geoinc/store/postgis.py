"""The PostGIS store: incidents in PostgreSQL/PostGIS behind the same IncidentStore protocol as SQLite.

``open_store("postgresql://user@host/db")`` (or ``--db``, ``GEOINC_DB``) opens it; psycopg 3 is the optional
extra ``geoinc[postgis]``. Writes: each article in one transaction, idempotent by article id (``INSERT ...
ON CONFLICT``), merges decided under a transaction-level advisory lock, so several ingest processes on one
database store each incident once. Queries: the index narrows (GiST on the point geometry for boxes and
country polygons, on the geography for geodesic radii with ``ST_DWithin``), then the same exact predicates
as every backend (geoinc.regions) decide, so results equal the SQLite store's row for row.
"""
from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import InputError, NotFoundError, StoreError
from ..geodesy import geodesic_km
from ..incidents.merge import combine_reports, merge_reason
from ..models import Incident, Mention
from .connections import PerThreadConnections
from . import Combiner, IngestResult, MergeRule, Report, Selected, redact_url
from .postgis_schema import LOCK_WRITE, SCHEMA_VERSION, day_number, load_countries, migrate
from .postgis_write import (COLS, NOT_FROM, RADIUS_MARGIN_M, SELECT, UPDATE_INCIDENT, BatchWriter,
                            row_values, update_params)
from .records import INCIDENT_FIELDS, incident_from_mapping

if TYPE_CHECKING:
    import psycopg

    from ..articles import Article
    from ..regions import QuerySpec

_RESULT_NAMES = [*INCIDENT_FIELDS, "sources"]


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError("a postgresql:// incident store needs psycopg 3: pip install 'geoinc[postgis]'") from None
    return psycopg


_ARTICLE_COLUMNS = (("id", "text"), ("path", "text"), ("title", "text"), ("url", "text"), ("published", "text"),
                    ("body_offset", "int4"), ("n_mentions", "int4"), ("n_incidents", "int4"),
                    ("ingested", "float8"))
# a batch of articles in one statement, in id order (two writers of the same articles wait in one order);
# RETURNING names those not stored before
_INSERT_ARTICLES = (f"INSERT INTO articles ({', '.join(n for n, _ in _ARTICLE_COLUMNS)}) SELECT * FROM "
                    f"unnest({', '.join(f'%b::{t}[]' for _, t in _ARTICLE_COLUMNS)}) AS a ORDER BY 1 "
                    "ON CONFLICT (id) DO NOTHING RETURNING id")
_MENTION_COLUMNS = (("article_id", "text"), ("start", "int4"), ('"end"', "int4"), ("text", "text"),
                    ("name", "text"), ("lat", "float8"), ("lon", "float8"), ("country_code", "text"),
                    ("kind", "text"), ("source", "text"), ("confidence", "float8"), ("precision", "int4"),
                    ("metonym", "int4"), ("place_id", "text"), ("reason", "text"))
# mentions of many articles in one COPY (binary: no text quoting and parsing), ~1/3 less CPU per row than an
# INSERT of unnested array parameters (the client's array dumping is Python); a few articles' mentions (serial
# ingestion: one article per transaction) in that INSERT, sent without waiting, as a COPY costs a round trip and
# a fixed server cost that a few rows do not repay. No ON CONFLICT in either: the rows are those of articles
# this transaction has just inserted, and _unique_mentions drops a repeated key as DO NOTHING did (whose
# speculative insertion cost the server ~20 % of the statement)
COPY_MENTIONS_FROM = 200        # mention rows from which a batch's mentions are copied
_COPY_MENTIONS = (f"COPY mentions ({', '.join(n for n, _ in _MENTION_COLUMNS)}) FROM STDIN (FORMAT BINARY)")
_MENTION_TYPES = [t for _, t in _MENTION_COLUMNS]
_INSERT_MENTIONS = (f"INSERT INTO mentions ({', '.join(n for n, _ in _MENTION_COLUMNS)}) SELECT * FROM "
                    f"unnest({', '.join(f'%b::{t}[]' for t in _MENTION_TYPES)})")


def _unique_mentions(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The mention rows without a second row of the same key (article, start, end): the first one is kept, as
    ``INSERT ... ON CONFLICT DO NOTHING`` keeps it."""
    seen: set[tuple[Any, Any, Any]] = set()
    out = []
    for r in rows:
        key = (r[0], r[1], r[2])
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _float(v: Any) -> float | None:
    """A float column's value as a float (an int among floats would make the array parameter's type mixed)."""
    return None if v is None else float(v)


class PostGISStore(PerThreadConnections):
    """Incidents in PostgreSQL + PostGIS; one connection per thread (like SQLiteStore), opened on first use."""

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        self.url = url
        self.path = redact_url(url)
        self.readonly = readonly
        self._init_connections()
        conn = self.conn
        if not readonly:
            migrate(conn, self.path)
            load_countries(conn)
            self.schema_version = SCHEMA_VERSION
        elif not conn.execute("SELECT to_regclass('geoinc_migrations')").fetchone()[0]:
            raise NotFoundError(f"{self.path}: no incident store here; run geoinc ingest or geoinc import first")
        else:       # read-only: an older schema is read as it is (no packed country rows before version 4)
            self.schema_version = int(conn.execute("SELECT coalesce(max(version), 0) FROM geoinc_migrations"
                                                   ).fetchone()[0])

    # connections
    @property
    def conn(self) -> "psycopg.Connection[Any]":
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            psycopg = _psycopg()
            try:
                conn = psycopg.connect(self.url, autocommit=True)
            except psycopg.Error as err:
                raise StoreError(f"{self.path}: cannot connect to the incident store ({err})".strip()) from err
            if self.readonly:
                conn.execute("SET default_transaction_read_only = on")
            self._local.conn = self._keep(conn)
        return conn

    def _write(self, *, lock: bool = True) -> Any:
        """A write transaction holding the store's merge lock (writers take turns; readers never wait); with
        ``lock=False`` the caller takes the lock itself, when it first needs it."""
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only")
        return _WriteTx(self.conn, lock=lock)

    # articles
    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id = %s", (article_id,)).fetchone() is not None

    def stored_article_ids(self, article_ids: Sequence[str]) -> set[str]:
        """Which of these articles are stored: one statement for a task's articles, not one per article."""
        if not article_ids:
            return set()
        return {r[0] for r in self.conn.execute("SELECT id FROM articles WHERE id = ANY(%b::text[])",
                                                (list(article_ids),))}

    def article_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT id FROM articles")}

    def article(self, article_id: str) -> dict[str, Any] | None:
        cur = self.conn.execute("SELECT * FROM articles WHERE id = %s", (article_id,))
        row = cur.fetchone()
        return dict(zip([d.name for d in cur.description], row)) if row else None

    def articles_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def mentions(self, article_id: str) -> list[Mention]:
        cur = self.conn.execute("SELECT * FROM mentions WHERE article_id = %s ORDER BY start", (article_id,))
        names = [d.name for d in cur.description]
        out = []
        for r in cur.fetchall():
            d = dict(zip(names, r))
            d.pop("article_id")
            d["metonym"] = bool(d["metonym"])
            out.append(Mention(**d))
        return out

    def add_article(self, article: "Article", incidents: list[Incident], mentions: list[Mention], *,
                    merge_rule: MergeRule | None = None, combine: Combiner | None = None,
                    merge_radius_km: float = 10.0, merge_days: int = 2) -> IngestResult:
        """Store one article with its mentions and incidents in ONE transaction; merge with known incidents.
        Idempotent: an article already stored (same id, by any writer) is skipped."""
        return self.add_articles([(article, incidents, mentions)], merge_rule=merge_rule, combine=combine,
                                 merge_radius_km=merge_radius_km, merge_days=merge_days)[0]

    def add_articles(self, items: Sequence[tuple["Article", list[Incident], list[Mention]]], *,
                     merge_rule: MergeRule | None = None, combine: Combiner | None = None,
                     merge_radius_km: float = 10.0, merge_days: int = 2) -> list[IngestResult]:
        """Store several articles, in order, in ONE transaction (what :meth:`add_article` does for each: a
        Dask worker's writes). The articles and their mentions go in first, one statement each for the
        batch (the article id's unique index makes a concurrent writer of the same article wait, then skip
        it); only the incidents, whose merges depend on what other writers stored, are written under the
        store's write lock, so writers hold it for as short a time as they can: their merges are decided
        from one look-up statement for the batch and written in one statement per table
        (postgis_write.BatchWriter)."""
        merge_rule = merge_rule or merge_reason
        combine = combine or combine_reports
        now = time.time()
        psycopg = _psycopg()
        if not items:
            return []
        results = [IngestResult(article_id=a.id) for a, _, _ in items]
        article = items[0][0]
        try:
            # pipeline mode: statements whose result is not needed at once are sent without waiting: a batch
            # costs a round trip for its article insert, one for its mentions' COPY if any (not in a pipeline),
            # one for all its merge candidates (postgis_write), one per merge into a stored incident (its
            # reports), one for the writes and one for the commit, instead of one per statement (libpq < 14:
            # one by one)
            with self._write(lock=False) as c:
                with self._pipeline(psycopg):
                    # no JIT compilation: the batch statements' estimates on a fresh store (no statistics yet)
                    # passed jit_above_cost, and compiling took ~20 ms per statement for a few ms of work
                    c.execute("SET LOCAL jit = off")
                    rows = [(a.id, a.path, a.title, a.url, a.published, a.body_offset, len(ms), len(incs), now)
                            for a, incs, ms in items]
                    new = {r[0] for r in c.execute(_INSERT_ARTICLES, [list(col) for col in zip(*rows)]).fetchall()}
                todo = []
                for res, (a, incs, ms) in zip(results, items):
                    if a.id in new:
                        new.discard(a.id)                   # a second copy in this batch is skipped
                        todo.append((res, a, incs, ms))
                    else:
                        res.skipped = True
                mention_rows = [(a.id, m.start, m.end, m.text, m.name, _float(m.lat), _float(m.lon), m.country_code,
                                 m.kind, m.source, _float(m.confidence), m.precision, int(m.metonym), m.place_id,
                                 m.reason) for _, a, _, ms in todo for m in ms]
                if len(mention_rows) >= COPY_MENTIONS_FROM:
                    with c.cursor() as cur, cur.copy(_COPY_MENTIONS) as copy:
                        copy.set_types(_MENTION_TYPES)
                        for row in _unique_mentions(mention_rows):
                            copy.write_row(row)
                    mention_rows = []
                if todo:
                    with self._pipeline(psycopg):
                        if mention_rows:
                            c.execute(_INSERT_MENTIONS, [list(col) for col in zip(*_unique_mentions(mention_rows))])
                        BatchWriter(merge_rule, combine, merge_radius_km, merge_days, now).store(c, todo)
        except psycopg.Error as err:
            raise StoreError(f"{self.path}: could not store article {article.id} ({err})") from err
        return results

    def _pipeline(self, psycopg: Any) -> Any:
        """Pipeline mode on the connection where libpq has it (>= 14), else nothing (statements one by one)."""
        return self.conn.pipeline() if psycopg.Pipeline.is_supported() else contextlib.nullcontext()

    # low-level writes (inside a transaction)
    def _insert_incident(self, c: Any, inc: Incident, now: float) -> Any:
        """Insert unless the id is taken; the returned cursor yields the new row's fid, or nothing."""
        return c.execute(f"INSERT INTO incidents ({SELECT}, geom, geog, created, updated) VALUES "
                         f"({', '.join(['%s'] * len(COLS))}, ST_SetSRID(ST_MakePoint(%s, %s), 4326), "
                         "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s, %s) "
                         "ON CONFLICT (event_id_cnty) DO NOTHING RETURNING fid",
                         [*row_values(inc), inc.longitude, inc.latitude, inc.longitude, inc.latitude, now, now])

    def _update_incident(self, c: Any, old_id: str, inc: Incident, now: float) -> None:
        c.execute(UPDATE_INCIDENT, update_params(row_values(inc), inc, now, old_id))

    def _recombine(self, c: Any, incident_id: str, combine: Combiner) -> Incident:
        rows = c.execute("SELECT data_json FROM reports WHERE incident_id = %s ORDER BY id", (incident_id,))
        merged = combine([incident_from_mapping(json.loads(r[0])) for r in rows.fetchall()])
        merged.event_id_cnty = incident_id
        return merged

    def reports(self, incident_id: str) -> list[Report]:
        """The per-article readings merged into an incident, oldest first, with the reason for each."""
        rows = self.conn.execute("SELECT id, incident_id, article_id, data_json, reason, added FROM reports "
                                 "WHERE incident_id = %s ORDER BY id", (incident_id,)).fetchall()
        return [Report(id=r[0], incident_id=r[1], article_id=r[2], incident=incident_from_mapping(json.loads(r[3])),
                       reason=r[4], added=r[5]) for r in rows]

    def split(self, incident_id: str, article_id: str, *, combine: Combiner | None = None) -> Incident:
        """Undo a merge: the report from ``article_id`` becomes its own incident (see SQLiteStore.split)."""
        combine = combine or combine_reports
        now = time.time()
        with self._write() as c:
            if not c.execute("SELECT 1 FROM incidents WHERE event_id_cnty = %s", (incident_id,)).fetchone():
                raise NotFoundError(f"no incident {incident_id!r}; see geoinc incidents list")
            rows = c.execute("SELECT id FROM reports WHERE incident_id = %s ORDER BY id", (incident_id,)).fetchall()
            moving = c.execute("SELECT id, data_json FROM reports WHERE incident_id = %s AND article_id LIKE %s "
                               "ORDER BY id", (incident_id, article_id.replace("%", r"\%").replace("_", r"\_") + "%")
                               ).fetchall()
            if not moving:
                raise NotFoundError(f"incident {incident_id} has no source from article {article_id!r}")
            if len(moving) == len(rows):
                raise InputError(f"incident {incident_id} has no other source; nothing to split")
            first = incident_from_mapping(json.loads(moving[0][1]))
            new_id, n = first.event_id_cnty, 1
            while c.execute("SELECT 1 FROM incidents WHERE event_id_cnty = %s", (new_id,)).fetchone():
                n += 1
                new_id = f"{first.event_id_cnty}-{n}"
            for rid, _ in moving:
                c.execute("UPDATE reports SET incident_id = %s, reason = %s WHERE id = %s",
                          (new_id, f"split from {incident_id}", rid))
            new = self._recombine(c, new_id, combine)
            if self._insert_incident(c, new, now).fetchone() is None:   # pragma: no cover - the id was free
                raise StoreError(f"incident id {new_id} already exists")
            self._update_incident(c, incident_id, self._recombine(c, incident_id, combine), now)
        return new

    def add_incidents(self, incidents: Iterable[Incident], *, batch: int = 10_000) -> int:
        """Insert incidents in batches (COPY into a temporary table, then one INSERT ... ON CONFLICT DO NOTHING
        per batch); ids already stored are skipped. Returns how many were inserted."""
        total = 0
        chunk: list[list[Any]] = []

        def flush() -> int:
            now = time.time()
            with self._write() as c:
                c.execute("CREATE TEMP TABLE IF NOT EXISTS incoming (LIKE incidents INCLUDING DEFAULTS) ON COMMIT DELETE ROWS")
                with c.cursor() as cur, cur.copy(f"COPY incoming ({SELECT}, created, updated) FROM STDIN") as copy:
                    for values in chunk:
                        copy.write_row([*values, now, now])
                n = c.execute(f"INSERT INTO incidents ({SELECT}, geom, geog, created, updated) SELECT {SELECT}, "
                              "ST_SetSRID(ST_MakePoint(longitude, latitude), 4326), "
                              "ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)::geography, created, updated "
                              "FROM incoming ORDER BY fid ON CONFLICT (event_id_cnty) DO NOTHING").rowcount
            chunk.clear()
            return int(n)

        for inc in incidents:
            chunk.append(row_values(inc))
            if len(chunk) >= batch:
                total += flush()
        if chunk:
            total += flush()
        return total

    def delete(self, incident_id: str) -> bool:
        """Remove an incident and its reports; True when it existed."""
        with self._write() as c:
            n = c.execute("DELETE FROM incidents WHERE event_id_cnty = %s", (incident_id,)).rowcount
            c.execute("DELETE FROM reports WHERE incident_id = %s", (incident_id,))
        return n > 0

    # reads
    def _incidents(self, c: Any, where: str, params: Any) -> list[Incident]:
        cur = c.execute(f"SELECT {SELECT} FROM incidents WHERE {where}", params)
        return [incident_from_mapping(dict(zip(COLS, r))) for r in cur.fetchall()]

    def get(self, incident_id: str) -> Incident | None:
        found = self._incidents(self.conn, "event_id_cnty = %s", (incident_id,))
        return found[0] if found else None

    def find(self, prefix: str) -> Incident:
        """The incident with this id or the unique one whose id starts with it (for the CLI)."""
        inc = self.get(prefix)
        if inc:
            return inc
        like = prefix.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        rows = self._incidents(self.conn, "event_id_cnty LIKE %s LIMIT 2", (like,))
        if len(rows) == 1:
            return rows[0]
        if not rows:
            raise NotFoundError(f"no incident {prefix!r}; see geoinc incidents list")
        raise InputError(f"incident id {prefix!r} is ambiguous; give more characters")

    def _candidates(self, c: Any, lat: float, lon: float, *, radius_km: float, date_from: str, date_to: str,
                    event_type: str | None, not_from: str | None = None) -> list[Incident]:
        where = ("ST_DWithin(geog, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s) AND "
                 "COALESCE(date_end, event_date) >= %s AND COALESCE(date_start, event_date) <= %s")
        params: list[Any] = [lon, lat, radius_km * 1000.0 + RADIUS_MARGIN_M, date_from, date_to]
        first, last = day_number(date_from), day_number(date_to)
        if first is not None and last is not None and first <= last:
            # the same window on the (days, geog) index, so a look-up can read only incidents of these days there;
            # the text conditions above stay exact (days is unbounded for dates that are not YYYY-MM-DD)
            where += " AND days && int4range(%s, %s, '[]')"
            params += [first, last]
        if not_from is not None:
            where += f" AND {NOT_FROM}"
            params.append(not_from)
        # the event type is tested here, not in SQL: there the prepared (generic) plan took the (event_type,
        # event_date) btree and read every incident of the type (330 buffers per look-up on 700 bench articles).
        # Now the generic plan takes the (days, geog) index on a large store (checked on 300,000 incidents: 2
        # buffers) and, on a small one where its cost ties, the geog index (~30 buffers on 700 bench articles);
        # planning each look-up with its values (always the days index, ~6) cost more CPU than it saved there
        return [inc for inc in self._incidents(c, where + " ORDER BY fid", params)
                if (not event_type or inc.event_type == event_type)
                and geodesic_km(lat, lon, inc.latitude, inc.longitude) <= radius_km]

    def candidates(self, lat: float, lon: float, *, radius_km: float, date_from: str, date_to: str,
                   event_type: str | None = None) -> list[Incident]:
        """Incidents within radius_km (geodesic) whose date interval meets [date_from, date_to]: merge candidates."""
        return self._candidates(self.conn, lat, lon, radius_km=radius_km, date_from=date_from, date_to=date_to,
                                event_type=event_type)

    def iter_incidents(self, *, batch: int = 5000) -> Iterator[Incident]:
        """Every incident in storage order, read in batches (for exports)."""
        last = 0
        while True:
            rows = self.conn.execute(f"SELECT fid, {SELECT} FROM incidents WHERE fid > %s ORDER BY fid LIMIT %s",
                                     (last, batch)).fetchall()
            if not rows:
                return
            for r in rows:
                yield incident_from_mapping(dict(zip(COLS, r[1:])))
            last = rows[-1][0]

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM incidents").fetchone()[0])

    def integrity_check(self) -> bool:
        """Points and indexed geometry agree, and no report outlives its incident."""
        c = self.conn
        bad = c.execute("SELECT count(*) FROM incidents WHERE (latitude IS NULL) <> (geom IS NULL) OR "
                        "(geom IS NOT NULL AND (ST_X(geom) <> longitude OR ST_Y(geom) <> latitude))").fetchone()[0]
        orphans = c.execute("SELECT count(*) FROM reports r WHERE NOT EXISTS "
                            "(SELECT 1 FROM incidents i WHERE i.event_id_cnty = r.incident_id)").fetchone()[0]
        return bad == 0 and orphans == 0

    def select(self, spec: "QuerySpec", *, records: bool = False) -> Selected:
        """The incidents a validated query matches, by event_date then store order, cut at its limit (see
        geoinc.store.postgis_query): a frame, or plain records with ``records``; ``matched`` counts them all."""
        if records:
            from .postgis_query import select_rows

            _, rows, matched = select_rows(self.conn, spec)
            return Selected(matched, records=[dict(zip(_RESULT_NAMES, r[1:])) for r in rows])
        from .columns import columns_to_frame
        from .postgis_query import select_columns

        columns, n, order, matched = select_columns(self.conn, spec, packed=self.schema_version >= 4,
                                                    ordered=self.schema_version >= 6)
        return Selected(matched, frame=columns_to_frame(columns, n, order))


class _WriteTx:
    """``with store._write() as conn:`` — a transaction that first takes the store-wide write lock."""

    def __init__(self, conn: Any, *, lock: bool = True) -> None:
        self.conn = conn
        self.lock = lock
        self.tx: Any = None

    def __enter__(self) -> Any:
        self.tx = self.conn.transaction()
        self.tx.__enter__()
        if self.lock:
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_WRITE,))
        return self.conn

    def __exit__(self, *exc: Any) -> Any:
        return self.tx.__exit__(*exc)


__all__ = ["PostGISStore"]
