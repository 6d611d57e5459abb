"""The store's country index (with each incident's packed result values): exact through every
write path, built when an older store is opened for writing, never written by a read-only open, and not used
when absent or built from another country layer. Results are compared with the plain paths (the R*Tree
and exact predicate for ids, the row statement for values)."""
from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pytest
import shapely

from geoinc import boundaries
from geoinc.store import sqlite_query as planner

from geoinc.store import membership
from geoinc.articles import parse_article
from geoinc.models import Incident, Source
from geoinc.regions import build_spec, run
from geoinc.store.columns import rows_to_frame
from geoinc.store.sqlite_query import load_rows
from geoinc.store import open_store
from geoinc.store.columns import packed_exprs, packed_layout
from geoinc.store.sqlite_schema import date_key

TOWER22 = (33.31, 38.70)          # Jordan
TANF = (33.50583, 38.61778)       # Syria
BAGHDAD = (33.3152, 44.3661)      # Iraq
HONOLULU = (21.3069, -157.8583)   # United States (a part far from the others)
SUVA = (-18.1416, 178.4419)       # Fiji (split at the antimeridian)


def _border_point(a: str = "SY", b: str = "JO") -> tuple[float, float]:
    """(lat, lon) of a vertex both neighbours' Natural Earth polygons have: exactly on their border."""
    va = set(map(tuple, shapely.get_coordinates(boundaries.country(a).geometry)))
    vb = set(map(tuple, shapely.get_coordinates(boundaries.country(b).geometry)))
    lon, lat = sorted(va & vb)[0]
    return float(lat), float(lon)


def make(iid: str, lat: float | None, lon: float | None, day: str = "2024-01-28", *, article: str = "a1",
         killed: int = 0, notes: str = "") -> Incident:
    return Incident(event_id_cnty=iid, event_date=day, year=int(day[:4]), event_type="Explosions/Remote violence",
                    sub_event_type="Air/drone strike", location="somewhere", latitude=lat, longitude=lon,
                    geo_precision=1, fatalities=killed, status="reported", date_start=day, date_end=day,
                    notes=notes, sources=[Source(article=article, published=day, quote="q", start=0, end=1)])


def plain_frame(store, spec):
    """The result without the country index: R*Tree + exact predicate, then the row statement."""
    real_index, real_frame = planner._country_index_fids, planner._country_frame
    planner._country_index_fids = lambda *a, **k: None
    planner._country_frame = lambda *a, **k: None
    try:
        sel = planner.select(store.conn, spec, by_date=spec.limit is not None)
        return rows_to_frame(*load_rows(store.conn, sel.fids, by_date=spec.limit is None))
    finally:
        planner._country_index_fids, planner._country_frame = real_index, real_frame


def assert_same_results(store, queries=({"country": "SY"}, {"country": "JO"}, {"country": "IQ"},
                                        {"country": "US"}, {"country": "FJ"}, {"country": "SY", "since": "2024-02-01"},
                                        {"country": "JO", "limit": 2}, {"country": "SY", "status": "reported"},
                                        {"country": "SY", "event_type": "explosions/remote violence"},
                                        {"bbox": "30,25,50,40"})):
    for kw in queries:
        spec = build_spec(**kw)
        fast, plain = run(spec, store), plain_frame(store, spec)
        pd.testing.assert_frame_equal(fast, plain, check_exact=True)
        assert list(fast.dtypes) == list(plain.dtypes), kw


def assert_country_index_exact(conn):
    """Nothing pending, and per incident one row for exactly each country whose polygon covers it (tested
    here on every Natural Earth polygon, without the index's tree), holding its current date key and packed
    values (as the packing expressions give them from the incidents table)."""
    assert conn.execute("SELECT count(*) FROM incident_countries_pending").fetchone()[0] == 0
    cols = [r[1] for r in conn.execute("PRAGMA table_info(incidents)")]
    f, n, t = packed_exprs(packed_layout(cols), "")
    rows = conn.execute(f"SELECT fid, longitude, latitude, {date_key('')}, {f}, {n}, {t} FROM incidents").fetchall()
    want = set()
    geoms = boundaries.countries_frame().geometry.values
    located = [r for r in rows if r[1] is not None and r[2] is not None]
    if located:
        lon = np.array([r[1] for r in located], dtype=float)
        lat = np.array([r[2] for r in located], dtype=float)
        for k, g in enumerate(geoms):
            for i in np.flatnonzero(shapely.intersects_xy(g, lon, lat)):
                fid, _, _, d, pf, pn, pt = located[i]
                want.add((k, d, fid, pf, pn, pt))
    have = {tuple(r) for r in conn.execute("SELECT country, d, fid, f, n, t FROM incident_countries")}
    assert have == want


def country_rows(conn, fid: int) -> set[str]:
    frame = boundaries.countries_frame()
    return {frame["iso2"].iloc[r[0]] for r in conn.execute("SELECT country FROM incident_countries WHERE fid = ?",
                                                          (fid,))}


def fid_of(conn, iid: str) -> int:
    return conn.execute("SELECT fid FROM incidents WHERE event_id_cnty = ?", (iid,)).fetchone()[0]


def uses_country_index(store, **kw) -> bool:
    return planner._country_index_fids(store.conn, build_spec(**kw)) is not None


def test_every_write_path_keeps_packed_rows_and_country_index_exact(store):
    border = _border_point()
    # bulk insert (imports, benchmarks)
    odd = make("SYR-2", *TANF, "2024-01-30", notes="unit\x1fseparator, «unicode», 'quotes'")
    odd.location_confidence = 1e-300                      # too small for the exact integer pair: read from the row
    bulk = [make("JOR-1", *TOWER22), make("SYR-1", *TANF, "2024-02-03", killed=2), make("IRQ-1", *BAGHDAD),
            make("USA-1", *HONOLULU), make("FJI-1", *SUVA), make("SEA-1", 25.0, -90.0),
            make("NOWHERE-1", None, None), make("BORDER-1", *border, "2024-02-05"), odd]
    assert store.add_incidents(bulk) == len(bulk)
    conn = store.conn
    assert_country_index_exact(conn)
    assert uses_country_index(store, country="SY")
    frame = planner._country_frame(conn, build_spec(country="SY"))      # the one-statement path answers
    assert frame is not None and list(frame["event_id_cnty"]) == ["SYR-2", "SYR-1", "BORDER-1"]
    assert frame["notes"].iloc[0] == odd.notes and frame["location_confidence"].iloc[0] == 1e-300
    assert_same_results(store)
    # one article: a new incident, then a second article whose report merges into it (an update)
    a1 = parse_article("A drone strike hit Tower 22.", published="2024-03-02")
    a2 = parse_article("Another report of the strike near Tower 22.", published="2024-03-03")
    store.add_article(a1, [make("JOR-2", *TOWER22, "2024-03-01", article=a1.id, killed=1)], [])
    res = store.add_article(a2, [make("JOR-3", 33.32, 38.71, "2024-03-01", article=a2.id, killed=3)], [])
    assert res.incidents_merged == ["JOR-2"]
    assert_country_index_exact(conn)
    assert_same_results(store)
    # undo the merge (an insert and an update), move an incident across the border, change a date, delete one
    store.split("JOR-2", a2.id)
    with store.transaction() as c:
        c.execute("UPDATE incidents SET latitude = ?, longitude = ? WHERE event_id_cnty = 'JOR-1'", TANF)
        c.execute("UPDATE incidents_rtree SET min_lon = ?, max_lon = ?, min_lat = ?, max_lat = ? WHERE fid = ?",
                  (TANF[1], TANF[1], TANF[0], TANF[0], fid_of(c, "JOR-1")))
        c.execute("UPDATE incidents SET event_date = '2023-12-31' WHERE event_id_cnty = 'SYR-1'")
    assert store.delete("IRQ-1")
    assert_country_index_exact(conn)
    assert country_rows(conn, fid_of(conn, "JOR-1")) == {"SY"}
    assert_same_results(store)
    assert store.integrity_check()


def test_point_exactly_on_a_border_is_indexed_in_both_countries(store):
    lat, lon = _border_point()
    store.add_incidents([make("BORDER-1", lat, lon), make("TANF-1", *TANF), make("T22-1", *TOWER22)])
    conn = store.conn
    assert country_rows(conn, fid_of(conn, "BORDER-1")) == {"SY", "JO"}
    for iso, other in (("SY", "TANF-1"), ("JO", "T22-1")):
        assert uses_country_index(store, country=iso)
        assert set(run(build_spec(country=iso), store)["event_id_cnty"]) == {"BORDER-1", other}
    assert_same_results(store)


def test_read_only_open_of_an_older_store_reads_it_exactly_and_writes_nothing(tmp_path):
    path = tmp_path / "old.sqlite"
    s = open_store(path)
    s.add_incidents([make("JOR-1", *TOWER22), make("SYR-1", *TANF), make("USA-1", *HONOLULU),
                     make("BORDER-1", *_border_point(), notes="unit\x1fseparator")])
    with s.transaction() as c:   # what a store made before the derived tables looks like
        for name in ("incident_countries_insert", "incident_countries_move", "incident_countries_update",
                     "incident_countries_delete"):
            c.execute(f"DROP TRIGGER {name}")
        for name in ("incident_countries", "incident_countries_pending"):
            c.execute(f"DROP TABLE {name}")
        c.execute("DELETE FROM meta WHERE key IN ('packed_layout', 'country_index')")
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    schema_before = sqlite3.connect(path).execute("SELECT name FROM sqlite_master ORDER BY name").fetchall()
    bytes_before = path.read_bytes()

    ro = open_store(path, readonly=True)
    assert not uses_country_index(ro, country="SY")
    assert_same_results(ro)
    assert set(run(build_spec(country="SY"), ro)["event_id_cnty"]) == {"SYR-1", "BORDER-1"}
    ro.close()
    assert path.read_bytes() == bytes_before
    assert sqlite3.connect(path).execute("SELECT name FROM sqlite_master ORDER BY name").fetchall() == schema_before

    rw = open_store(path)                         # a writable open builds both, once
    assert_country_index_exact(rw.conn)
    assert uses_country_index(rw, country="SY")
    assert_same_results(rw)
    assert rw.integrity_check()
    rw.close()


def test_index_from_another_country_layer_or_missing_is_not_used(store):
    store.add_incidents([make("JOR-1", *TOWER22), make("SYR-1", *TANF), make("BORDER-1", *_border_point())])
    conn = store.conn
    with store.transaction() as c:
        c.execute("UPDATE meta SET value = 'naturalearth-other-layer' WHERE key = 'country_index'")
    assert not uses_country_index(store, country="SY")
    assert_same_results(store)
    with store.transaction() as c:            # a wrong index is never read: delete it, results stay right
        c.execute("DELETE FROM incident_countries")
    assert_same_results(store)
    # the next write that has something to index rebuilds it from the current layer
    store.add_incidents([make("IRQ-1", *BAGHDAD)])
    assert conn.execute("SELECT value FROM meta WHERE key = 'country_index'").fetchone()[0] == membership.source_id()
    assert_country_index_exact(conn)
    assert uses_country_index(store, country="SY")
    assert_same_results(store)


def test_incidents_written_by_another_tool_are_pending_and_still_found(store):
    """A row inserted or moved without going through the store (plain SQL) is marked pending by the triggers:
    queries test it themselves, and the store's next write transaction indexes it."""
    store.add_incidents([make("JOR-1", *TOWER22)])
    other = sqlite3.connect(store.path, isolation_level=None)
    cols = "event_id_cnty, event_date, latitude, longitude, notes, fatalities, sources_json, created, updated"
    other.execute(f"INSERT INTO incidents ({cols}) VALUES ('SYR-X', '2024-05-01', ?, ?, 'by hand', 3, '[]', 0, 0)",
                  TANF)
    other.execute("INSERT INTO incidents_rtree SELECT fid, longitude, longitude, latitude, latitude FROM incidents "
                  "WHERE event_id_cnty = 'SYR-X'")
    other.execute("UPDATE incidents SET latitude = ?, longitude = ? WHERE event_id_cnty = 'JOR-1'", BAGHDAD)
    other.execute("UPDATE incidents_rtree SET min_lon = ?, max_lon = ?, min_lat = ?, max_lat = ? WHERE fid = ?",
                  (BAGHDAD[1], BAGHDAD[1], BAGHDAD[0], BAGHDAD[0], fid_of(other, "JOR-1")))
    other.close()
    conn = store.conn
    assert conn.execute("SELECT count(*) FROM incident_countries_pending").fetchone()[0] == 2
    assert uses_country_index(store, country="SY")
    assert set(run(build_spec(country="SY"), store)["event_id_cnty"]) == {"SYR-X"}
    assert set(run(build_spec(country="IQ"), store)["event_id_cnty"]) == {"JOR-1"}
    assert run(build_spec(country="JO"), store).empty
    assert_same_results(store)
    store.add_incidents([make("USA-1", *HONOLULU)])
    assert_country_index_exact(conn)
    assert_same_results(store)


def test_a_non_integer_written_by_another_tool_is_a_clear_store_error(store, tmp_path):
    """A text in an INTEGER column (another program wrote 'three') stops every result path with a StoreError
    that names the column and value (the CLI prints it and exits 2), never a pandas traceback or a silent 0."""
    import subprocess
    import sys

    from geoinc.errors import StoreError

    store.add_incidents([make("JOR1", 33.31, 38.70, killed=3), make("SYR1", 34.45, 40.92)])
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("UPDATE incidents SET fatalities = 'three' WHERE event_id_cnty = 'JOR1'")
    other.close()
    for kw in ({"country": "JO"}, {"country": "JO", "since": "2024-01-01"}, {"bbox": "30,25,50,40"},
               {"lat": 33.3, "lon": 38.7, "radius_km": 50}):
        with pytest.raises(StoreError, match="fatalities column holds 'three'"):
            run(build_spec(**kw), store)
    assert len(run(build_spec(country="SY"), store)) == 1          # rows without the bad value still answer
    cli = subprocess.run([sys.executable, "-m", "geoinc", "query", "--db", str(store.path), "--country", "JO"],
                         capture_output=True, text=True)
    assert cli.returncode == 2 and "fatalities column holds 'three'" in cli.stderr and "Traceback" not in cli.stderr


def _indexes(path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND "
                                           "name NOT LIKE 'sqlite_autoindex%'")}


def test_indexes_no_statement_uses_are_not_made_and_are_dropped_from_older_stores(tmp_path):
    from geoinc.store.sqlite_schema import UNUSED_INDEXES

    path = tmp_path / "old.sqlite"
    s = open_store(path)
    assert not _indexes(path) & set(UNUSED_INDEXES)              # a new store never has them
    unlocated = make("UNLOC-1", None, None, "2024-02-01")
    s.add_incidents([make("JOR-1", *TOWER22), make("SYR-1", *TANF, "2024-02-03", killed=2),
                     make("USA-1", *HONOLULU), unlocated])
    with s.transaction() as c:      # what a store made before they were dropped has
        c.execute("CREATE INDEX incidents_type_date ON incidents(event_type, event_date)")
        c.execute("CREATE INDEX incidents_sub_type ON incidents(sub_event_type)")
        c.execute("CREATE INDEX incidents_status ON incidents(status)")
        c.execute("CREATE INDEX reports_article ON reports(article_id)")
    s.close()

    # with the indexes present, no statement of the queries or of the merge look-ups is planned with them
    ro = open_store(path, readonly=True)
    statements: list[str] = []
    ro.conn.set_trace_callback(statements.append)
    queries = [{"country": "SY"}, {"country": "SY", "status": "reported"}, {"bbox": "30,25,50,40"},
               {"event_type": "explosions/remote violence"}, {"sub_event_type": "air/drone strike"},
               {"status": ["reported", "claimed"]}, {"since": "2024-02-01", "until": "2024-02-10"},
               {"lat": TANF[0], "lon": TANF[1], "radius_km": 50, "event_type": "battles"},
               {"bbox": "30,25,50,40", "status": "reported", "min_fatalities": 1}, {"actor": "army", "limit": 2}]
    for kw in queries:
        run(build_spec(**kw), ro)
    ro.candidates(*TANF, radius_km=10, date_from="2024-01-01", date_to="2024-03-01",
                  event_type="Explosions/Remote violence")
    ro.conn.set_trace_callback(None)
    assert len(statements) >= len(queries)
    with sqlite3.connect(path) as conn:
        plans = [" ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + q)) for q in statements
                 if q.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert plans and not [p for p in plans if any(name in p for name in UNUSED_INDEXES if name != "reports_article")]
    ro.close()
    assert _indexes(path) >= set(UNUSED_INDEXES)                   # a read-only open changes nothing

    rw = open_store(path)                                          # a writable open drops them, once
    assert not _indexes(path) & set(UNUSED_INDEXES)
    assert {"incidents_event_date", "incidents_location"} <= _indexes(path)
    assert_same_results(rw)
    assert rw.integrity_check()
    # the writer's look-up of an article's report of an incident reads that incident's reports by index
    plan = " ".join(r[3] for r in rw.conn.execute(
        "EXPLAIN QUERY PLAN SELECT 1 FROM reports WHERE incident_id = ? AND article_id = ?", ("SYR-1", "a1")))
    assert "USING INDEX reports_incident" in plan, plan
    rw.add_incidents([make("IRQ-1", *BAGHDAD)])
    assert rw.count() == 5
    rw.close()
