"""The SQLite store's merge index (an R*Tree of each located incident's point and days): exact through every
write path (the store's and another tool's plain SQL), built when an older store is opened for writing, and
giving the merge look-up exactly the candidates of the plain look-up (points only, then the text dates)."""
from __future__ import annotations

import re
import sqlite3
from datetime import date

import pytest

from geoinc.articles import parse_article
from geoinc.geodesy import geodesic_km
from geoinc.models import Incident, Source
from geoinc.store import open_store
from geoinc.store.sqlite_schema import UNBOUNDED_DAYS

ALEPPO = (36.2021, 37.1343)
IDLIB = (35.9306, 36.6339)        # ~55 km from Aleppo
DAMASCUS = (33.5138, 36.2765)
SUVA = (-18.1416, 178.4419)       # near the antimeridian: the look-up's circle is split in two boxes there
EPOCH = date(1970, 1, 1).toordinal()


def make(iid: str, lat: float | None, lon: float | None, day: str = "2024-01-28", *, start: str | None = None,
         end: str | None = None, actor1: str = "", event_type: str = "Battles") -> Incident:
    return Incident(event_id_cnty=iid, event_date=day, event_type=event_type, location="somewhere", latitude=lat,
                    longitude=lon, actor1=actor1, date_start=start, date_end=end,
                    sources=[Source(article=f"art-{iid}", published="2024-03-01")])


def _day(text) -> float | None:
    if not isinstance(text, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    try:
        return float(date.fromisoformat(text).toordinal() - EPOCH)
    except ValueError:
        return None


def assert_merge_index_exact(conn: sqlite3.Connection) -> None:
    """One row per located incident: its point (float32, rounded outwards) and its days ([first, last] when
    both dates are 'YYYY-MM-DD' in order, else unbounded)."""
    want = {}
    for fid, lat, lon, day, start, end in conn.execute(
            "SELECT fid, latitude, longitude, event_date, date_start, date_end FROM incidents "
            "WHERE latitude IS NOT NULL AND longitude IS NOT NULL"):
        first = _day(start if start is not None else day)
        last = _day(end if end is not None else day)
        days = (first, last) if first is not None and last is not None and first <= last else (
            -UNBOUNDED_DAYS, UNBOUNDED_DAYS)
        want[fid] = (lon, lat, days)
    got = {r[0]: r[1:] for r in conn.execute("SELECT * FROM incidents_merge_rtree")}
    assert set(got) == set(want)
    for fid, (lon, lat, days) in want.items():
        x0, x1, y0, y1, d0, d1 = got[fid]
        assert x0 <= lon <= x1 and y0 <= lat <= y1 and x1 - x0 < 1e-4 and y1 - y0 < 1e-4, fid
        assert (d0, d1) == days, fid


def plain_candidates(store, lat, lon, radius_km, date_from, date_to, event_type) -> list[str]:
    """Every stored incident that meets the look-up's conditions, tested one by one, in fid order."""
    out = []
    for inc in store.iter_incidents():
        if inc.latitude is None or inc.longitude is None or inc.event_type != event_type:
            continue
        last = inc.date_end if inc.date_end is not None else inc.event_date
        first = inc.date_start if inc.date_start is not None else inc.event_date
        if last >= date_from and first <= date_to and geodesic_km(lat, lon, inc.latitude, inc.longitude) <= radius_km:
            out.append(inc.event_id_cnty)
    return out


VARIED = [
    make("A-1", *ALEPPO, "2024-01-10"),
    make("A-2", *ALEPPO, "2024-01-12", start="2024-01-11", end="2024-01-13"),
    make("A-3", *ALEPPO, "2024-02-01", start="2024-01-01", end="2024-02-29"),     # a long interval
    make("A-4", *ALEPPO, "2024-01"),                                             # month only: not a day
    make("A-5", *ALEPPO, "2024-01-20", start="2024-01-25", end="2024-01-19"),    # inverted
    make("A-6", *ALEPPO, "2024-02-30"),                                          # no such day
    make("A-10", *ALEPPO, "2024-03-03", start="2024-02-31"),                     # nor this: before 1 March as text
    make("A-7", ALEPPO[0] + 0.05, ALEPPO[1], "2024-01-15", event_type="Riots"),
    make("A-8", ALEPPO[0] + 0.08, ALEPPO[1] - 0.03, "2024-01-16"),               # ~9.5 km away
    make("I-1", *IDLIB, "2024-01-15"),
    make("F-1", *SUVA, "2024-01-15"),
    make("F-2", SUVA[0], -179.99, "2024-01-16"),                                 # across the antimeridian
    make("N-1", None, None, "2024-01-15"),
]


def test_merge_look_ups_find_exactly_the_plain_candidates(store):
    store.add_incidents(VARIED)
    assert_merge_index_exact(store.conn)
    windows = [("2024-01-08", "2024-01-12"), ("2024-01-14", "2024-01-18"), ("2024-01-26", "2024-02-03"),
               ("2024-03-01", "2024-03-05"), ("2024-02-27", "2024-03-01"), ("2023-12-30", "2024-01-02"),
               ("2024-01", "2024-01-31")]
    found = 0
    for lat, lon in (ALEPPO, IDLIB, SUVA, (SUVA[0], -179.95)):
        for first, last in windows:
            for event_type in ("Battles", "Riots"):
                got = [i.event_id_cnty for i in store.candidates(lat, lon, radius_km=10, date_from=first,
                                                                 date_to=last, event_type=event_type)]
                assert got == plain_candidates(store, lat, lon, 10, first, last, event_type), (lat, first, event_type)
                found += len(got)
    assert found >= 20


def test_the_merge_index_follows_every_write(store):
    store.add_incidents(VARIED)
    store.add_article(parse_article("Clashes in Damascus.", published="2024-01-16"),
                      [make("D-1", *DAMASCUS, "2024-01-15", start="2024-01-10", end="2024-01-20")], [])
    art = parse_article("Clashes again in Damascus.", published="2024-01-17")
    res = store.add_article(art, [make("D-2", *DAMASCUS, "2024-01-16", start="2024-01-14", end="2024-01-16")], [])
    assert res.incidents_merged == ["D-1"]                   # merged: the incident's dates were rewritten
    assert (store.get("D-1").date_start, store.get("D-1").date_end) == ("2024-01-14", "2024-01-16")
    assert_merge_index_exact(store.conn)
    store.split(res.incidents_merged[0], art.id)
    assert_merge_index_exact(store.conn)
    assert store.delete("A-1") and store.delete("F-2")
    assert_merge_index_exact(store.conn)
    assert store.integrity_check()
    other = sqlite3.connect(store.path, isolation_level=None)   # another tool's plain SQL (the triggers follow it)
    other.execute("UPDATE incidents SET event_date = '2025-06-01', date_start = NULL, date_end = NULL "
                  "WHERE event_id_cnty = 'A-4'")
    other.execute("UPDATE incidents SET latitude = ?, longitude = ? WHERE event_id_cnty = 'N-1'", IDLIB)
    other.execute("UPDATE incidents SET latitude = NULL WHERE event_id_cnty = 'I-1'")
    other.execute("INSERT INTO incidents (event_id_cnty, event_date, latitude, longitude, sources_json, created, "
                  "updated) VALUES ('X-1', '2024-05-05', 1.5, 2.5, '[]', 0, 0)")
    other.close()
    assert_merge_index_exact(store.conn)


def test_equally_near_candidates_merge_into_the_oldest_incident(store):
    """Two stored incidents at one place and date, their actors too different to be one: a new report
    without an actor fits both, equally near, and joins the one stored first (lowest fid) — whatever order
    the index returns them in (here the R*Trees hold the later fid first), as on PostGIS."""
    other = sqlite3.connect(store.path, isolation_level=None)
    cols = ("fid, event_id_cnty, event_date, event_type, actor1, assoc_actor_1, location, latitude, longitude, "
            "sources_json, created, updated")
    for fid, iid, actor in ((50, "OLD-B", "Alpha Brigade"), (7, "OLD-A", "Omega Front")):
        other.execute(f"INSERT INTO incidents ({cols}) VALUES (?, ?, '2024-01-15', 'Battles', ?, '', 'Aleppo', ?, ?, "
                      "'[]', 0, 0)", (fid, iid, actor, *ALEPPO))
        other.execute("INSERT INTO incidents_rtree VALUES (?, ?, ?, ?, ?)",
                      (fid, ALEPPO[1], ALEPPO[1], ALEPPO[0], ALEPPO[0]))
    other.close()
    assert [r[0] for r in store.conn.execute("SELECT fid FROM incidents_merge_rtree")] == [50, 7]
    art = parse_article("Fighting in Aleppo.", published="2024-01-16")
    res = store.add_article(art, [make("NEW-1", *ALEPPO, "2024-01-15")], [])
    assert res.incidents_merged == ["OLD-A"]


def test_an_older_store_gets_the_merge_index_when_opened_for_writing(tmp_path):
    path = tmp_path / "old.sqlite"
    s = open_store(path)
    s.add_incidents(VARIED)
    with s.transaction() as c:          # what a store made before the merge index looks like
        for what in ("insert", "update", "delete"):
            c.execute(f"DROP TRIGGER incidents_merge_{what}")
        c.execute("DROP TABLE incidents_merge_rtree")
        c.execute("DELETE FROM meta WHERE key = 'merge_index'")
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    before = path.read_bytes()
    ro = open_store(path, readonly=True)                # read-only: looks up without it, writes nothing
    look = dict(radius_km=10, date_from="2024-01-14", date_to="2024-01-18", event_type="Battles")
    old = [i.event_id_cnty for i in ro.candidates(*ALEPPO, **look)]
    assert old == plain_candidates(ro, *ALEPPO, 10, "2024-01-14", "2024-01-18", "Battles") and len(old) >= 2
    ro.close()
    assert path.read_bytes() == before
    rw = open_store(path)
    assert_merge_index_exact(rw.conn)
    assert [i.event_id_cnty for i in rw.candidates(*ALEPPO, **look)] == old
    assert rw.integrity_check()
    rw.close()


def test_integrity_check_sees_a_merge_index_out_of_step(store):
    store.add_incidents(VARIED)
    assert store.integrity_check()
    with store.transaction() as c:
        c.execute("DELETE FROM incidents_merge_rtree WHERE fid = (SELECT min(fid) FROM incidents_merge_rtree)")
    assert not store.integrity_check()


@pytest.mark.parametrize("text, day", [("1970-01-01", 0.0), ("2024-01-15", 19737.0), ("2024-1-15", None),
                                       ("2024-02-30", None), ("2024-02-31", None), ("", None), ("2024-01", None),
                                       ("2024-01-15T00:00", None)])
def test_window_days_are_counted_as_the_index_counts_them(text, day):
    from geoinc.store.sqlite import _unix_day

    assert _unix_day(text, -1.0) == (-1.0 if day is None else day)
    got = sqlite3.connect(":memory:").execute(
        "SELECT CASE WHEN date(julianday(?1)) IS ?1 THEN julianday(?1) - 2440587.5 END", (text,)).fetchone()[0]
    assert got == day
