"""The PostGIS store's schema, created and versioned by geoinc: numbered migrations recorded in
``geoinc_migrations``, applied in order under an advisory lock (two processes opening one database at once
apply each migration once); a database newer than this geoinc is refused with the reason.

Tables mirror the SQLite store (geoinc.store.sqlite_schema): ``incidents`` (the Incident fields as typed
columns, sources as JSON, a ``geometry`` point and a ``geography`` point, each with a GiST index),
``articles``, ``mentions``, ``reports``, ``meta``; and ``countries``, the Natural Earth polygons
(subdivided, GiST-indexed) loaded once per country layer, and ``incident_countries``, the countries near
each incident (kept by triggers at write time), which a country query reads instead of testing points;
since migration 4 each of its rows also packs the incident's result columns (:func:`pack_sql`, kept by the
same triggers on every insert and update), so a country query reads one narrow row per incident there.
Rows are written in country order (the layer reload writes the whole table so; each insert statement writes its
batch so): a country's rows then lie on few heap pages instead of one page per incident. Since migration 6 the
table's key is (country, day, id), ``day`` the incident's event_date ('' for none): a country query reads its
rows through that index already in result order (event_date, id), so the client only checks the order.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from .records import INCIDENT_FIELDS, column_kind

if TYPE_CHECKING:
    import psycopg

# transaction-level advisory lock keys: schema changes, and every write that merges incidents
LOCK_SCHEMA = 0x67656F01
LOCK_WRITE = 0x67656F02
NEAR_COUNTRY_DEG = 1e-4         # an incident is indexed under every country polygon this close (a superset)
_PG_TYPES = {"int": "bigint", "real": "double precision", "text": 'text COLLATE "C"'}
_INCIDENT_COLUMNS = ", ".join(f"{n} {_PG_TYPES[column_kind(n)]}" + (" NOT NULL UNIQUE" if n == "event_id_cnty" else "")
                              for n in INCIDENT_FIELDS)

def day_sql(x: str) -> str:
    """SQL for the day number of the text date ``x`` when it is exactly 'YYYY-MM-DD' (the digits as one
    integer YYYYMMDD: ordered as the text is), else NULL. Immutable, so a stored generated column can use it."""
    return (f"(CASE WHEN {x} ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$' "
            f"THEN (substr({x}, 1, 4) || substr({x}, 6, 2) || substr({x}, 9, 2))::integer END)")


def day_number(text: str) -> int | None:
    """The day number :func:`day_sql` gives the date ``text`` in the database, or None when it is not 'YYYY-MM-DD'."""
    return int(text[:4] + text[5:7] + text[8:10]) if _ISO_DAY.fullmatch(text) else None


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FIRST, _LAST = day_sql("COALESCE(date_start, event_date)"), day_sql("COALESCE(date_end, event_date)")
# an incident's days as a range: [first, last] when both dates are 'YYYY-MM-DD' in order, else unbounded, so
# an incident whose dates do not parse still meets every window (the exact text conditions decide for it)
DAYS_SQL = (f"CASE WHEN {_FIRST} <= {_LAST} THEN int4range({_FIRST}, {_LAST}, '[]') "
            "ELSE int4range(NULL, NULL) END")

PACKED = [*INCIDENT_FIELDS, "sources_json"]      # the result columns a country row packs, in this order


def pack_sql(ref: str) -> str:
    """SQL for the packed values (num, flags, txt) of the incidents row ``ref`` (``n``, ``NEW``, ``i``):
    ``num`` every number column's send bytes (int8send / float8send, NULL as 0 / NaN), ``flags`` one
    character per int and text column ('0' a value, '1' NULL, '2' text holding the separator US, packed
    as ''), ``txt`` the text columns joined by US. geoinc.store.postgis_query.decode_packed reads them."""
    nums: list[str] = []
    flags: list[str] = []
    texts: list[str] = []
    for c in PACKED:
        x = f"{ref}.{c}"
        kind = column_kind(c)
        if kind == "real":
            nums.append(f"float8send(coalesce({x}, 'NaN'))")
        elif kind == "int":
            nums.append(f"int8send(coalesce({x}, 0))")
            flags.append(f"(CASE WHEN {x} IS NULL THEN '1' ELSE '0' END)")
        else:
            flags.append(f"(CASE WHEN {x} IS NULL THEN '1' WHEN strpos({x}, chr(31)) > 0 THEN '2' ELSE '0' END)")
            texts.append(f"(CASE WHEN strpos({x}, chr(31)) > 0 THEN '' ELSE coalesce({x}, '') END)")
    return f"{' || '.join(nums)}, {' || '.join(flags)}, concat_ws(chr(31), {', '.join(texts)})"


_DAY = "coalesce({ref}.event_date, '')"      # incident_countries.day (since migration 6) of the incidents row ref


def _inserted_sql(day: bool) -> str:
    """The statement trigger's function filling incident_countries (packed) for inserted incidents, in country
    order; with ``day`` (migration 6) also each row's day, and within a country in (day, id) order."""
    cols, vals, order = "country, fid, num, flags, txt", f"m.row, n.fid, {pack_sql('n')}", "m.row, n.fid"
    if day:
        cols, vals, order = cols + ", day", vals + ", " + _DAY.format(ref="n"), f"m.row, {_DAY.format(ref='n')}, n.fid"
    return (f"CREATE OR REPLACE FUNCTION geoinc_countries_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"INSERT INTO incident_countries ({cols}) SELECT {vals} "
            f"FROM new_rows n CROSS JOIN LATERAL (SELECT DISTINCT c.row FROM countries c "
            f"WHERE ST_DWithin(c.geom, n.geom, {NEAR_COUNTRY_DEG})) m WHERE n.geom IS NOT NULL ORDER BY {order}; "
            f"RETURN NULL; END $$")


def _moved_sql(day: bool) -> str:
    """The row trigger's function keeping an updated incident's incident_countries rows (packed values; with
    ``day`` (migration 6) its day too): rewritten in place, or moved when the point or the id changed."""
    sets, cols, vals = "(num, flags, txt)", "country, fid, num, flags, txt", f"m.row, NEW.fid, {pack_sql('NEW')}"
    if day:
        sets, cols, vals = "(num, flags, txt, day)", cols + ", day", vals + ", " + _DAY.format(ref="NEW")
        packed = f"{pack_sql('NEW')}, {_DAY.format(ref='NEW')}"
    else:
        packed = pack_sql("NEW")
    return (f"CREATE OR REPLACE FUNCTION geoinc_countries_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF OLD.geom IS NOT DISTINCT FROM NEW.geom AND OLD.fid = NEW.fid THEN "
            f"UPDATE incident_countries SET {sets} = ROW({packed}) WHERE fid = NEW.fid; "
            f"ELSE DELETE FROM incident_countries WHERE fid = OLD.fid; "
            f"INSERT INTO incident_countries ({cols}) SELECT {vals} "
            f"FROM (SELECT DISTINCT c.row FROM countries c WHERE NEW.geom IS NOT NULL "
            f"AND ST_DWithin(c.geom, NEW.geom, {NEAR_COUNTRY_DEG})) m; END IF; RETURN NULL; END $$")


MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (1, "incidents, articles, mentions, reports, meta; GiST indexes on points", (
        "CREATE EXTENSION IF NOT EXISTS postgis",
        "CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL)",
        f"CREATE TABLE incidents (fid bigserial PRIMARY KEY, {_INCIDENT_COLUMNS}, "
        "sources_json text NOT NULL DEFAULT '[]', geom geometry(Point, 4326), geog geography(Point, 4326), "
        "created double precision NOT NULL, updated double precision NOT NULL)",
        "CREATE INDEX incidents_geom ON incidents USING gist (geom)",
        "CREATE INDEX incidents_geog ON incidents USING gist (geog)",
        "CREATE INDEX incidents_event_date ON incidents (event_date)",
        "CREATE INDEX incidents_type_date ON incidents (event_type, event_date)",
        "CREATE INDEX incidents_location ON incidents (location)",
        "CREATE TABLE articles (id text PRIMARY KEY, path text, title text, url text, published text, "
        "body_offset integer NOT NULL DEFAULT 0, n_mentions integer NOT NULL DEFAULT 0, "
        "n_incidents integer NOT NULL DEFAULT 0, ingested double precision NOT NULL)",
        'CREATE TABLE mentions (article_id text NOT NULL REFERENCES articles(id) ON DELETE CASCADE, '
        'start integer NOT NULL, "end" integer NOT NULL, text text NOT NULL, name text, lat double precision, '
        'lon double precision, country_code text, kind text, source text, confidence double precision, '
        'precision integer, metonym integer, place_id text, reason text, PRIMARY KEY (article_id, start, "end"))',
        "CREATE TABLE reports (id bigserial PRIMARY KEY, incident_id text NOT NULL, article_id text NOT NULL, "
        "data_json text NOT NULL, reason text NOT NULL, added double precision NOT NULL)",
        "CREATE INDEX reports_incident ON reports (incident_id)",
        "CREATE INDEX reports_article ON reports (article_id)",
    )),
    (2, "country polygons (Natural Earth, subdivided) with a GiST index", (
        "CREATE TABLE countries (row integer NOT NULL, iso3 text, geom geometry(Geometry, 4326) NOT NULL)",
        "CREATE INDEX countries_geom ON countries USING gist (geom)",
        "CREATE INDEX countries_row ON countries (row)",
    )),
    (3, "incident_countries: the countries within 1e-4 degrees of each incident, kept by triggers", (
        "ALTER TABLE countries ALTER COLUMN geom SET STORAGE EXTERNAL",       # no decompression per test
        "CREATE TABLE incident_countries (country integer NOT NULL, fid bigint NOT NULL REFERENCES incidents(fid) "
        "ON DELETE CASCADE, PRIMARY KEY (country, fid))",
        "CREATE INDEX incident_countries_fid ON incident_countries (fid)",
        f"CREATE FUNCTION geoinc_countries_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO incident_countries (country, fid) SELECT DISTINCT c.row, n.fid FROM new_rows n "
        f"JOIN countries c ON ST_DWithin(c.geom, n.geom, {NEAR_COUNTRY_DEG}) WHERE n.geom IS NOT NULL; "
        "RETURN NULL; END $$",
        "CREATE TRIGGER incidents_countries_inserted AFTER INSERT ON incidents REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION geoinc_countries_inserted()",
        f"CREATE FUNCTION geoinc_countries_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"DELETE FROM incident_countries WHERE fid = NEW.fid; "
        f"INSERT INTO incident_countries (country, fid) SELECT DISTINCT c.row, NEW.fid FROM countries c "
        f"WHERE NEW.geom IS NOT NULL AND ST_DWithin(c.geom, NEW.geom, {NEAR_COUNTRY_DEG}); RETURN NULL; END $$",
        "CREATE TRIGGER incidents_countries_moved AFTER UPDATE OF geom ON incidents FOR EACH ROW "
        "WHEN (OLD.geom IS DISTINCT FROM NEW.geom) EXECUTE FUNCTION geoinc_countries_moved()",
        "DELETE FROM meta WHERE key = 'country_layer'",     # reload the layer: fills the table for stored incidents
    )),
    (4, "incident_countries packs each incident's result columns (a country query reads no incidents row)", (
        "DELETE FROM incident_countries",       # refilled below by the layer reload, in country order
        "ALTER TABLE incident_countries ADD COLUMN num bytea NOT NULL, ADD COLUMN flags text NOT NULL, "
        "ADD COLUMN txt text NOT NULL",
        _inserted_sql(day=False),
        _moved_sql(day=False),
        "DROP TRIGGER incidents_countries_moved ON incidents",      # now on every update: the packed values follow
        "CREATE TRIGGER incidents_countries_moved AFTER UPDATE ON incidents FOR EACH ROW "
        "EXECUTE FUNCTION geoinc_countries_moved()",
        "DELETE FROM meta WHERE key = 'country_layer'",     # reload the layer: refills the table, packed and ordered
    )),
    (5, "incidents.days (the date interval as an int4range) and a GiST index on (days, geog) for merge look-ups", (
        f"ALTER TABLE incidents ADD COLUMN days int4range GENERATED ALWAYS AS ({DAYS_SQL}) STORED",
        # days first: GiST splits pages by the first column, and a merge window (a few days) is narrower than
        # the years of incidents within 10 km of a city (EXPLAIN ANALYZE, 20,000 incidents at 20 places near
        # one city over 8 years: 25 buffers read with (days, geog), 280 with (geog, days))
        "CREATE INDEX incidents_days_geog ON incidents USING gist (days, geog)",
    )),
    (6, "incident_countries.day (event_date) after the country in its key: rows read in result order", (
        "ALTER TABLE incident_countries ADD COLUMN day text COLLATE \"C\" NOT NULL DEFAULT ''",
        "ALTER TABLE incident_countries DROP CONSTRAINT incident_countries_pkey",
        "ALTER TABLE incident_countries ADD PRIMARY KEY (country, day, fid)",
        _inserted_sql(day=True),
        _moved_sql(day=True),
        "DELETE FROM meta WHERE key = 'country_layer'",     # the layer reload refills the table with the days
    )),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]


def migrate(conn: "psycopg.Connection[Any]", where: str) -> int:
    """Bring the database to SCHEMA_VERSION (one transaction per migration); returns the version found before.
    StoreError when the database holds a newer schema than this geoinc knows."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_SCHEMA,))
        conn.execute("CREATE TABLE IF NOT EXISTS geoinc_migrations (version integer PRIMARY KEY, "
                     "name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())")
        row = conn.execute("SELECT coalesce(max(version), 0) FROM geoinc_migrations").fetchone()
        found = int(row[0]) if row else 0
        if found > SCHEMA_VERSION:
            raise StoreError(f"{where}: the database holds geoinc schema {found}, newer than this geoinc's "
                             f"{SCHEMA_VERSION}; upgrade geoinc (pip install -U 'geoinc[postgis]')")
        for version, name, statements in MIGRATIONS:
            if version <= found:
                continue
            for stmt in statements:
                conn.execute(stmt)  # type: ignore[arg-type]
            conn.execute("INSERT INTO geoinc_migrations (version, name) VALUES (%s, %s)", (version, name))
    return found


def load_countries(conn: "psycopg.Connection[Any]") -> None:
    """Load the Natural Earth polygons into ``countries`` unless the table holds this exact layer already
    (meta 'country_layer' = geoinc.store.membership.source_id()); polygons are subdivided for the index."""
    from ..boundaries import countries_frame
    from .membership import source_id

    current = source_id()
    row = conn.execute("SELECT value FROM meta WHERE key = 'country_layer'").fetchone()
    if row and row[0] == current:
        return
    import shapely

    frame = countries_frame()
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_SCHEMA,))
        row = conn.execute("SELECT value FROM meta WHERE key = 'country_layer'").fetchone()
        if row and row[0] == current:                 # another process loaded it meanwhile
            return
        conn.execute("DELETE FROM countries")
        wkbs = shapely.to_wkb(frame.geometry.values, byte_order=1)
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO countries (row, iso3, geom) SELECT %s, %s, "
                            "ST_Subdivide(ST_SetSRID(ST_GeomFromWKB(%s), 4326), 64)",
                            [(i, str(iso3), wkb) for i, (iso3, wkb) in enumerate(zip(frame["iso3"], wkbs))])
        conn.execute("ANALYZE countries")
        # rebuilt from this layer for every stored incident, into an empty file: a DELETE would leave the old
        # rows' space to be filled first (wherever the free space map points), out of the order written below.
        # TRUNCATE locks the table until the end of this transaction (queries wait for the reload, as for a
        # migration's ALTER TABLE).
        conn.execute("TRUNCATE incident_countries")
        conn.execute(f"INSERT INTO incident_countries (country, fid, num, flags, txt, day) SELECT m.row, i.fid, "
                     f"{pack_sql('i')}, {_DAY.format(ref='i')} FROM incidents i CROSS JOIN LATERAL (SELECT DISTINCT "
                     f"c.row FROM countries c WHERE ST_DWithin(c.geom, i.geom, {NEAR_COUNTRY_DEG})) m "
                     f"WHERE i.geom IS NOT NULL ORDER BY m.row, {_DAY.format(ref='i')}, i.fid")
        conn.execute("INSERT INTO meta VALUES ('country_layer', %s) ON CONFLICT (key) DO UPDATE SET value = "
                     "excluded.value", (current,))


__all__ = ["MIGRATIONS", "DAYS_SQL", "day_sql", "day_number", "SCHEMA_VERSION", "PACKED", "pack_sql", "NEAR_COUNTRY_DEG", "LOCK_SCHEMA", "LOCK_WRITE", "migrate", "load_countries"]
