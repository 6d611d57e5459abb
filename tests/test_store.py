"""The SQLite incident store: schema, idempotent article ingestion, merging and splitting, spatial search."""
from __future__ import annotations

import sqlite3
import threading

import pytest

from geoinc.articles import parse_article
from geoinc.errors import InputError, NotFoundError, StoreError
from geoinc.models import Incident, Mention, Source
from geoinc.geodesy import geodesic_km
from geoinc.regions import build_spec
from geoinc.store import IncidentStore, open_store, select_incidents
from geoinc.store.sqlite import SQLiteStore

TOWER22 = (33.31, 38.70)
TANF = (33.50583, 38.61778)
ABU_KAMAL = (34.45226, 40.91854)


def make(iid: str, lat: float | None, lon: float | None, day: str = "2024-01-28", *, article: str = "a1",
         event_type: str = "Explosions/Remote violence", sub: str = "Air/drone strike", location: str = "Tower 22",
         killed: int | None = None, injured: int | None = None, actor1: str = "", status: str = "reported",
         published: str = "2024-01-29", start: str | None = None, end: str | None = None,
         precision: str = "day") -> Incident:
    return Incident(
        event_id_cnty=iid, event_date=day, year=int(day[:4]), event_type=event_type, sub_event_type=sub,
        location=location, latitude=lat, longitude=lon, geo_precision=1, actor1=actor1,
        fatalities=killed or 0, fatalities_best=killed, fatalities_low=killed, fatalities_high=killed,
        injuries=injured, status=status, date_start=start or day, date_end=end or day, date_precision=precision,
        sources=[Source(article=article, published=published, quote=f"quote from {article}", start=0, end=10)],
    )


def article(text: str, published: str = "2024-01-29"):
    return parse_article(text, published=published)


def test_store_implements_the_interface(store):
    assert isinstance(store, IncidentStore)
    assert store.count() == 0 and store.integrity_check()


def test_path_resolution(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOINC_DB", str(tmp_path / "env.sqlite"))
    with open_store() as s:
        assert s.path == tmp_path / "env.sqlite"
    with open_store(tmp_path / "explicit.sqlite") as s:
        assert s.path == tmp_path / "explicit.sqlite"
    monkeypatch.delenv("GEOINC_DB")
    monkeypatch.setenv("GEOINC_HOME", str(tmp_path / "home"))
    with open_store() as s:
        assert s.path == tmp_path / "home" / "incidents.sqlite"
    assert (tmp_path / "home" / "incidents.sqlite").exists()


def test_article_is_stored_once(store):
    a = article("A drone strike hit Tower 22.")
    inc = make("JOR-1", *TOWER22, article=a.id, killed=3)
    m = Mention(start=20, end=28, text="Tower 22", lat=33.31, lon=38.70, place_id="curated:tower-22", precision=1)
    first = store.add_article(a, [inc], [m])
    assert not first.skipped and first.incidents_new == ["JOR-1"] and first.mentions == 1
    again = store.add_article(a, [make("JOR-1", *TOWER22, article=a.id)], [m])
    assert again.skipped and not again.incidents_new
    assert store.count() == 1 and store.has_article(a.id) and store.articles_count() == 1
    assert store.mentions(a.id)[0].place_id == "curated:tower-22"
    got = store.get("JOR-1")
    assert got.fatalities == 3 and got.sources[0].article == a.id and got.latitude == pytest.approx(33.31)


def test_reports_of_one_incident_merge_and_split_back(store):
    a1, a2 = article("first report"), article("second report", "2024-02-03")
    r1 = make("JOR-1", *TOWER22, article=a1.id, killed=3, injured=34, actor1="Islamic Resistance in Iraq")
    # the second report is vaguer: a week-long interval, no injuries, a generic perpetrator, 2 km away
    r2 = make("JOR-2", 33.32, 38.71, "2024-02-01", article=a2.id, killed=3, actor1="Iran-backed militias",
              start="2024-01-27", end="2024-02-03", precision="week", published="2024-02-03")
    store.add_article(a1, [r1], [])
    res = store.add_article(a2, [r2], [])
    assert res.incidents_merged == ["JOR-1"] and not res.incidents_new
    assert store.count() == 1
    merged = store.get("JOR-1")
    assert merged.event_date == "2024-01-28" and merged.date_precision == "day"   # the more precise date wins
    assert merged.fatalities == 3 and merged.injuries == 34
    assert [s.article for s in merged.sources] == [a1.id, a2.id]
    reports = store.reports("JOR-1")
    assert reports[0].reason == "new incident"
    assert "same event type" in reports[1].reason and "km apart" in reports[1].reason
    assert "overlap" in reports[1].reason
    new = store.split("JOR-1", a2.id)
    assert store.count() == 2 and new.event_id_cnty == "JOR-2"
    assert [s.article for s in store.get("JOR-1").sources] == [a1.id]
    assert store.get("JOR-2").event_date == "2024-02-01" and store.get("JOR-1").injuries == 34
    assert store.integrity_check()
    with pytest.raises(InputError):
        store.split("JOR-2", a2.id)          # a single-source incident has nothing to split
    with pytest.raises(NotFoundError):
        store.split("NOPE", a2.id)


def test_no_merge_across_type_distance_or_dates(store):
    a = [article(f"text {i}") for i in range(4)]
    store.add_article(a[0], [make("X-1", *TOWER22, article=a[0].id)], [])
    # different type at the same place and day
    store.add_article(a[1], [make("X-2", *TOWER22, article=a[1].id, event_type="Strategic developments",
                                  sub="Other")], [])
    # same type 22 km away (Al-Tanf)
    store.add_article(a[2], [make("X-3", *TANF, article=a[2].id, location="Al-Tanf")], [])
    # same type and place, five days later
    store.add_article(a[3], [make("X-4", *TOWER22, "2024-02-02", article=a[3].id)], [])
    assert store.count() == 4


def test_incidents_of_one_article_never_merge_with_each_other(store):
    a = article("two strikes the same day at the same base")
    store.add_article(a, [make("Y-1", *TOWER22, article=a.id), make("Y-2", *TOWER22, article=a.id)], [])
    assert store.count() == 2


def test_search_filters_and_spatial_index(store):
    store.add_incidents([
        make("S-1", *TOWER22, killed=3, actor1="Islamic Resistance in Iraq"),
        make("S-2", *ABU_KAMAL, "2024-01-29", event_type="Strategic developments", sub="Other",
             location="Abu Kamal"),
        make("S-3", *TANF, "2024-01-28", status="claimed", location="Al-Tanf"),
        make("S-4", None, None, location="somewhere in Syria"),
        make("S-5", -16.5, 179.9, "2023-05-01", location="Fiji"),
    ])
    assert store.count() == 5 and store.integrity_check()
    ids = lambda incs: [i.event_id_cnty for i in incs]  # noqa: E731

    def search(**kw):
        return select_incidents(store, build_spec(**kw))

    assert ids(search(bbox="38.0,33.0,39.0,34.0")) == ["S-1", "S-3"]
    assert ids(search(bbox="38.0,33.0,39.0,34.0", status="claimed")) == ["S-3"]
    assert ids(search(since="2024-01-29")) == ["S-2"]
    assert ids(search(until="2024-01-28", since="2024-01-01")) == ["S-1", "S-3", "S-4"]
    assert ids(search(event_type=["Strategic developments"])) == ["S-2"]
    assert ids(search(sub_event_type=["Air/drone strike"], min_fatalities=1)) == ["S-1"]
    assert ids(search(actor="resistance in IRAQ")) == ["S-1"]
    assert ids(search(actor="100%_")) == []                      # no wildcards: a folded substring
    assert ids(search()) == ["S-5", "S-1", "S-3", "S-4", "S-2"]          # sorted by date, then store order
    assert len(search(limit=2)) == 2 and store.select(build_spec(limit=2)).matched == 5
    assert ids(search(bbox="179.0,-17.0,-179.0,-16.0")) == ["S-5"]   # across the antimeridian
    assert store.select(build_spec(bbox="38.0,33.0,39.0,34.0")).matched == 2
    near = search(lat=TOWER22[0], lon=TOWER22[1], radius_km=25.0)
    assert ids(near) == ["S-1", "S-3"] and 20 < geodesic_km(*TOWER22, near[1].latitude, near[1].longitude) < 25
    cands = store.candidates(*TOWER22, radius_km=5, date_from="2024-01-27", date_to="2024-01-29",
                             event_type="Explosions/Remote violence")
    assert ids(cands) == ["S-1"]
    plan = " ".join(str(tuple(r)) for r in store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT i.* FROM incidents_rtree r CROSS JOIN incidents i WHERE i.fid = r.fid AND "
        "r.max_lon >= 38 AND r.min_lon <= 39 AND r.max_lat >= 33 AND r.min_lat <= 34"))
    assert "VIRTUAL TABLE INDEX" in plan                              # the R*Tree answers, not a scan
    with pytest.raises(InputError):
        search(bbox=(0, 91, 1, 92))


def test_bulk_insert_skips_known_ids(store):
    rows = [make(f"B-{i}", 30 + i / 1000, 40 + i / 1000) for i in range(2500)]
    assert store.add_incidents(rows, batch=1000) == 2500
    assert store.add_incidents(rows[:10]) == 0
    assert store.count() == 2500 and store.integrity_check()
    assert len(list(store.iter_incidents(batch=700))) == 2500


def test_concurrent_readers_while_one_writes(tmp_path):
    path = tmp_path / "c.sqlite"
    writer = open_store(path)
    errors: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        reader = SQLiteStore(path)
        seen = 0
        try:
            while not stop.is_set():
                n = reader.select(build_spec(bbox="35,30,45,40")).matched
                assert n >= seen          # committed articles never disappear for a reader
                seen = n
        except BaseException as err:  # noqa: BLE001 - collected and re-raised in the test thread
            errors.append(err)
        finally:
            reader.close()

    threads = [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    for k in range(30):
        a = article(f"article number {k}")
        writer.add_article(a, [make(f"C-{k}", 33 + k / 10, 38 + k / 10, article=a.id)], [])
    stop.set()
    for t in threads:
        t.join()
    assert not errors
    assert writer.count() == 30 and writer.integrity_check()
    writer.close()


def test_foreign_or_corrupt_files_are_refused(tmp_path):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not a geoinc store"):
        open_store(other)
    junk = tmp_path / "junk.sqlite"
    junk.write_text("this is not a database at all" * 100)
    with pytest.raises(StoreError):
        open_store(junk)
    with pytest.raises(NotFoundError):
        open_store(tmp_path / "missing.sqlite", readonly=True)


def test_a_failed_article_leaves_nothing_behind(store):
    a = article("good")
    store.add_article(a, [make("D-1", *TOWER22, article=a.id)], [])
    b = article("bad: reuses an existing incident id far away")
    with pytest.raises(StoreError):
        store.add_article(b, [make("D-2", *ABU_KAMAL, article=b.id), make("D-1", 10.0, 10.0, article=b.id)], [])
    assert not store.has_article(b.id) and store.get("D-2") is None and store.count() == 1


def test_merge_rules_explain_and_refuse():
    from geoinc.incidents.merge import actors_compatible, combine_reports, merge_reason

    a = make("M-1", *TOWER22, actor1="Islamic Resistance in Iraq", killed=3)
    b = make("M-2", 33.33, 38.71, "2024-01-29", actor1="Pro-Iran Militias", injured=34, article="a2")
    reason = merge_reason(b, a)
    assert reason and "same event type" in reason and "1 day(s) apart" in reason and "km apart" in reason
    assert merge_reason(make("M-3", *TOWER22, "2024-02-05"), a) is None                  # 8 days later
    assert merge_reason(make("M-4", *TANF), a) is None                                    # 22 km away
    assert merge_reason(make("M-5", *TOWER22, actor1="Kataib Hezbollah"), a) is None      # two named groups
    assert actors_compatible(make("M-6", *TOWER22), a)[0]                                 # perpetrator unnamed
    merged = combine_reports([a, b])
    assert (merged.fatalities, merged.injuries, merged.actor1) == (3, 34, "Islamic Resistance in Iraq")
    assert "Pro-Iran Militias" in merged.assoc_actor_1 and len(merged.sources) == 2


def test_the_store_opens_in_gis_tools_directly(store):
    import geopandas as gpd
    import pyogrio

    store.add_incidents([make("G-1", *TOWER22), make("G-2", None, None, location="somewhere")])
    info = pyogrio.read_info(store.path, layer="incidents")
    assert (info["crs"], info["geometry_type"], info["features"]) == ("EPSG:4326", "Point", 2)
    frame = gpd.read_file(store.path, layer="incidents").set_index("event_id_cnty")
    assert (frame.geometry["G-1"].x, frame.geometry["G-1"].y) == (38.70, 33.31)   # x = lon, y = lat
    assert frame.geometry["G-2"] is None and frame.loc["G-1", "location"] == "Tower 22"


def test_open_store_chooses_the_backend_from_a_url_scheme(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'u.sqlite'}") as s:           # sqlite:////abs/path
        assert isinstance(s, SQLiteStore) and s.path == tmp_path / "u.sqlite"
    with pytest.raises(InputError, match="unknown incident store URL scheme 'mysql'"):
        open_store("mysql://user@host/db")


def test_text_columns_wrapped_unchecked_equal_the_public_path(monkeypatch):
    """A frame's str columns are wrapped through pandas' private _from_backing_data (no per-value check);
    they equal what the public _from_sequence gives (dtype, values, no copy), and when the private method is
    missing or raises, the public path answers with the same frame."""
    import numpy as np
    import pandas as pd

    from geoinc.store import columns as cols
    from geoinc.store.postgis_query import rows_to_columns
    from geoinc.store.records import INCIDENT_FIELDS, incident_row

    values = np.array(["Ḥayʼat «ü» 中文", "", "x\ty", "Aleppo"] * 5, dtype=object)
    fast, public = cols.str_array(values), cols.str_array(values, checked=True)
    assert fast.dtype == public.dtype == cols.str_dtype()
    assert np.shares_memory(fast._ndarray, values)
    pd.testing.assert_extension_array_equal(fast, public)

    names = [*INCIDENT_FIELDS, "sources_json"]
    rows = [tuple(incident_row(Incident(event_id_cnty=f"E{k}", event_date=f"2024-01-{k % 28 + 1:02d}",
                                        notes=str(v), latitude=35.0 + k / 100, longitude=38.0))[n] for n in names)
            for k, v in enumerate(values)]
    expected = cols.columns_to_frame(rows_to_columns(names, rows), len(rows))
    assert expected["notes"].dtype == cols.str_dtype() and expected["notes"].tolist() == [str(v) for v in values]

    class Refusing:
        def _from_backing_data(self, values):
            raise TypeError("not in this pandas")

    for template in (None, Refusing()):
        monkeypatch.setattr(cols, "_str_template", lambda t=template: t)
        got = cols.columns_to_frame(rows_to_columns(names, rows), len(rows))
        pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_new_stores_take_the_larger_page_size_and_older_ones_keep_theirs(tmp_path):
    from geoinc.store.sqlite import PAGE_SIZE

    new = open_store(tmp_path / "new.sqlite")
    assert new.conn.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE == 8192
    new.close()
    old_path = tmp_path / "old.sqlite"
    with sqlite3.connect(old_path) as conn:                      # a store made with SQLite's default pages
        conn.execute("PRAGMA page_size = 4096")
        conn.execute("PRAGMA journal_mode = WAL")
    old = SQLiteStore(old_path)
    a = article("Shelling hit Tower 22 on Sunday.")
    old.add_article(a, [make("JOR-1", *TOWER22, article=a.id)], [])
    old.close()
    again = open_store(old_path)
    assert again.conn.execute("PRAGMA page_size").fetchone()[0] == 4096
    assert again.get("JOR-1").latitude == pytest.approx(TOWER22[0]) and again.integrity_check()
    again.close()
