"""The PostGIS store against a real PostgreSQL + PostGIS server started by the test session (conftest's
pg_cluster): schema versioning, the store protocol, concurrent writers, and the same answers as SQLite on
10,000 incidents for 25 representative queries. Skips with the reason when no server can run here."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from geoinc.articles import parse_article
from geoinc.errors import InputError, NotFoundError, StoreError
from geoinc.models import Incident, Source
from geoinc.regions import build_spec
from geoinc.store import IncidentStore, open_store, select_incidents

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"

# where incidents are scattered: (lat, lon, jitter in degrees, country name, admin1 names)
_PLACES = [
    (35.0, 38.5, 2.0, "Syria", ["Deir ez-Zor", "Homs", "Aleppo"]),
    (33.3, 38.7, 0.3, "Jordan", ["Mafraq"]),
    (33.3, 44.4, 1.5, "Iraq", ["Baghdad", "Al Anbar"]),
    (48.5, 37.5, 1.5, "Ukraine", ["Donetsk"]),
    (15.5, 32.5, 3.0, "Sudan", ["North Darfur", "Khartoum"]),
    (-17.8, 178.0, 1.2, "Fiji", ["Central"]),           # across the antimeridian
    (66.0, -175.0, 4.0, "Russia", ["Chukotka"]),
    (21.3, -157.8, 0.5, "United States", ["Hawaii"]),
    (-29.5, 27.8, 1.0, "Lesotho", ["Maseru"]),          # the hole in South Africa
    (32.8, 35.3, 0.7, "Israel", ["Northern District"]),
]
_TYPES = [("Explosions/Remote violence", "Air/drone strike"), ("Battles", "Armed clash"),
          ("Violence against civilians", "Attack"), ("Strategic developments", "Other")]
_ACTORS = ["Islamic Resistance in Iraq", "Rapid Support Forces", "Military Forces of Russia (2000-)",
           "Forces armées soudanaises", "Hayʼat Tahrir al-Sham", ""]


def make_incidents(n: int, seed: int = 7) -> list[Incident]:
    """Deterministic, varied incidents: clusters in ten countries (borders, holes, 180 degrees), unlocated
    ones, every status, folded-match traps in types and actors, empty and repeated dates."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        lat0, lon0, jit, country, admins = _PLACES[i % len(_PLACES)]
        lat = max(-89.9, min(89.9, lat0 + rng.uniform(-jit, jit)))
        lon = lon0 + rng.uniform(-jit, jit)
        lon = (lon + 180.0) % 360.0 - 180.0
        located = i % 37 != 0
        day = f"202{rng.randint(3, 5)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if i % 53 else ""
        etype, sub = _TYPES[rng.randrange(len(_TYPES))]
        killed = rng.choice([0, 0, 1, 2, 5, 12])
        out.append(Incident(
            event_id_cnty=f"T{i:05d}", event_date=day, year=int(day[:4]) if day else None, event_type=etype,
            sub_event_type=sub, actor1=rng.choice(_ACTORS), actor2=rng.choice(_ACTORS), country=country,
            admin1=rng.choice(admins), location=f"place {i % 300}", latitude=lat if located else None,
            longitude=lon if located else None, geo_precision=rng.randint(1, 3), fatalities=killed,
            fatalities_best=killed if i % 5 else None, injuries=rng.choice([None, 0, 3]),
            status=rng.choice(["reported", "reported", "claimed", "confirmed", "denied"]),
            date_start=day or None, date_end=day or None, notes=f"note {i} «ünïcode»; with, commas",
            location_confidence=rng.random() if i % 3 else None,
            sources=[Source(article=f"a{i % 400}", published=day or None, quote="q", start=0, end=1)]))
    return out


QUERIES = [
    {"country": "SY"}, {"country": "IQ", "since": "2024-01-01", "until": "2024-12-31"}, {"country": "US"},
    {"country": "FJ"}, {"country": "ZA"}, {"country": "Lesotho", "limit": 5},
    {"bbox": "170,-25,-170,-10"}, {"bbox": "35,30,45,40"}, {"bbox": "35,30,45,40", "status": ["claimed", "denied"]},
    {"lat": 33.31, "lon": 38.70, "radius_km": 25}, {"lat": 35.0, "lon": 38.5, "radius_km": 300},
    {"lat": -17.8, "lon": 179.9, "radius_km": 150},
    {"lat": 48.5, "lon": 37.5, "radius_km": 120, "event_type": "battles"},
    {"polygon": "POLYGON((36 33, 41 33, 41 37, 36 37, 36 33))"},
    {"polygon": "POLYGON((175 -20, 185 -20, 185 -15, 175 -15, 175 -20))"},
    {"admin1": "deir-ez-zor"}, {"admin1": "North Darfur", "country": "SD"},
    {"since": "2025-06-01"}, {"event_type": ["EXPLOSIONS/remote violence"]},
    {"sub_event_type": "armed clash", "min_fatalities": 2}, {"actor": "forces armees"},
    {"status": "confirmed", "limit": 50}, {"limit": 10}, {"country": "SY", "within": "200 km of 35.0,38.5"}, {},
]


@pytest.fixture(scope="module")
def both(open_backend):
    """The same 10,000 incidents in an SQLite store and a PostGIS store, inserted in the same order."""
    data = make_incidents(10_000)
    sqlite, pg = open_backend("sqlite"), open_backend("postgis")
    assert sqlite.add_incidents(data) == pg.add_incidents(data) == 10_000
    return sqlite, pg


@pytest.mark.parametrize("query", QUERIES, ids=[json.dumps(q, sort_keys=True)[:60] for q in QUERIES])
def test_postgis_answers_every_query_like_sqlite(both, query):
    sqlite, pg = both
    spec = build_spec(**query)
    a, b = sqlite.select(spec), pg.select(spec)
    assert a.matched == b.matched
    pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
    assert list(a.frame.geometry.to_wkb()) == list(b.frame.geometry.to_wkb())
    assert sqlite.select(spec, records=True).records == pg.select(spec, records=True).records


def test_queries_are_not_trivial(both):
    """The 25 queries find different, non-empty answers (the comparison would prove little otherwise)."""
    sqlite, _ = both
    counts = [sqlite.select(build_spec(**q)).matched for q in QUERIES]
    assert sum(c > 0 for c in counts) >= 23 and len(set(counts)) >= 18


# The column-wise reader's other paths: empty answers, pages (offset + limit: the narrow read, then the rows
# by id), a geodesic radius far from the equator across 180 degrees (the spherical index test must stay a
# superset), one-pass reads over text columns NULL in some rows only and non-ASCII text.
READER_QUERIES = [
    {"country": "FR"}, {"lat": 0.0, "lon": -30.0, "radius_km": 50}, {"bbox": "-40,-10,-30,0"},
    {"country": "SY", "offset": 100}, {"bbox": "170,-25,-170,-10", "offset": 7, "limit": 20},
    {"lat": 35.0, "lon": 38.5, "radius_km": 300, "offset": 5000}, {"lat": 66.0, "lon": -175.0, "radius_km": 400},
    {"lat": 66.0, "lon": 179.5, "radius_km": 250, "since": "2024-01-01"}, {"actor": "hayʼat", "offset": 3},
    {"lat": -17.0, "lon": -179.5, "radius_km": 250},
]


@pytest.mark.parametrize("query", READER_QUERIES, ids=[json.dumps(q, sort_keys=True)[:60] for q in READER_QUERIES])
def test_column_reader_paths_answer_like_sqlite(both, query):
    sqlite, pg = both
    spec = build_spec(**query)
    a, b = sqlite.select(spec), pg.select(spec)
    assert a.matched == b.matched and len(a.frame) == len(b.frame)
    pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
    assert sqlite.select(spec, records=True).records == pg.select(spec, records=True).records


def test_reader_queries_cover_their_cases(both):
    sqlite, _ = both
    counts = {json.dumps(q): sqlite.select(build_spec(**q)).matched for q in READER_QUERIES}
    assert sum(c == 0 for c in counts.values()) == 3 and all(c > 0 for c in list(counts.values())[3:])
    frame = sqlite.select(build_spec(lat=-17.0, lon=-179.5, radius_km=250)).frame
    assert len(frame) and (frame.longitude > 0).all()           # found across 180 degrees from its centre
    assert frame.injuries.isna().any() and frame.injuries.notna().any()         # NULL in some rows only
    assert frame.notes.str.contains("«ünïcode»").all()


def test_aggregated_reader_falls_back_per_column_like_sqlite(open_backend):
    """The PostGIS column aggregates cannot carry a text holding the separator or a column NULL in some
    rows only: those columns are read row by row (aligned by id), the others still aggregated; the frame
    equals SQLite's for whole answers and for pages (the ids-first path)."""
    from geoinc.store.columns import SEP

    data = make_incidents(400)
    for k, inc in enumerate(data):
        inc.notes = f"note{SEP}{k}" if k % 7 == 0 else inc.notes      # the separator inside a value
        inc.admin2 = "Ḥawran" if k % 2 else None                        # text NULL in some rows only
        inc.timestamp = k if k % 3 else None                            # integer NULL in some rows only
    sqlite, pg = open_backend("sqlite"), open_backend("postgis")
    assert sqlite.add_incidents(data) == pg.add_incidents(data) == 400
    for query in ({"country": "SY"}, {}, {"bbox": "35,30,45,40", "offset": 3, "limit": 25}, {"country": "FR"}):
        a, b = sqlite.select(build_spec(**query)), pg.select(build_spec(**query))
        assert a.matched == b.matched
        pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
    frame = pg.select(build_spec()).frame
    assert frame.notes.str.contains(SEP).sum() == len(data[::7]) and frame.admin2.isna().sum() == 200
    assert frame.timestamp.isna().any() and frame.timestamp.notna().any()


def test_rows_to_columns_types_columns_as_the_row_path_does():
    """The PostGIS reader's bulk conversion gives the frame the row-by-row conversion gives (pure)."""
    from geoinc.store.columns import columns_to_frame, rows_to_frame
    from geoinc.store.postgis_query import rows_to_columns
    from geoinc.store.records import INCIDENT_FIELDS, incident_row

    incidents = make_incidents(60)
    incidents[3].notes, incidents[4].actor1 = None, "Ḥayʼat «ü» 中文"
    names = [*INCIDENT_FIELDS, "sources_json"]
    rows = [tuple(incident_row(i)[n] for n in names) for i in incidents]
    for subset in (rows, rows[:1], []):
        columns = rows_to_columns(names, subset)
        got = columns_to_frame(columns, len(subset))
        pd.testing.assert_frame_equal(got, rows_to_frame(names, subset), check_exact=True)
        if len(subset) > 1:
            assert columns["event_date"].__class__.__name__ == "StrColumn" and columns["date_start"] is not None
            assert columns["fatalities_low"] is None and columns["notes"].__class__.__name__ != "StrColumn"


def test_schema_is_versioned_and_an_older_one_is_upgraded(pg_cluster):
    import psycopg

    url = pg_cluster.database()
    with open_store(url) as s:
        assert isinstance(s, IncidentStore) and s.count() == 0
    with psycopg.connect(url, autocommit=True) as conn:
        assert [r[0] for r in conn.execute("SELECT version FROM geoinc_migrations ORDER BY 1")] == [1, 2, 3, 4, 5, 6]
        conn.execute("DROP TABLE incident_countries")          # back to a schema-1 database
        conn.execute("DROP TABLE countries")
        conn.execute("DROP FUNCTION geoinc_countries_inserted CASCADE")
        conn.execute("DROP FUNCTION geoinc_countries_moved CASCADE")
        conn.execute("ALTER TABLE incidents DROP COLUMN days")
        conn.execute("DELETE FROM geoinc_migrations WHERE version >= 2")
        conn.execute("DELETE FROM meta WHERE key = 'country_layer'")
    with open_store(url) as s:                                  # version 1 found: migrations 2 to 6 applied
        s.add_incidents(make_incidents(40))
        assert s.select(build_spec(country="SY")).matched > 0
    with psycopg.connect(url, autocommit=True) as conn:
        assert [r[0] for r in conn.execute("SELECT version FROM geoinc_migrations ORDER BY 1")] == [1, 2, 3, 4, 5, 6]
        conn.execute("INSERT INTO geoinc_migrations (version, name) VALUES (99, 'from the future')")
    with pytest.raises(StoreError, match="schema 99, newer than this geoinc"):
        open_store(url)


def test_a_schema_3_store_with_incidents_is_upgraded_and_answers_the_same(pg_cluster):
    """Migration 4 (packed country rows) on a store that already holds incidents: the layer reload refills
    incident_countries, so a country query answers exactly as before the upgrade."""
    import psycopg

    url = pg_cluster.database()
    spec = build_spec(country="SY")
    with open_store(url) as s:
        s.add_incidents(make_incidents(60))
        before = s.select(spec).frame
    with psycopg.connect(url, autocommit=True) as conn:       # back to schema 3: no packed columns
        _back_to_schema_5(conn)
        conn.execute("ALTER TABLE incident_countries DROP COLUMN num, DROP COLUMN flags, DROP COLUMN txt")
        conn.execute("ALTER TABLE incidents DROP COLUMN days")
        conn.execute("DELETE FROM geoinc_migrations WHERE version >= 4")
    with open_store(url) as s:
        after = s.select(spec).frame
        assert len(after) == len(before) > 0
        assert after["event_id_cnty"].tolist() == before["event_id_cnty"].tolist()
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM incident_countries WHERE txt IS NULL").fetchone()[0] == 0


def _back_to_schema_5(conn) -> None:
    """Undo migration 6: incident_countries keyed by (country, fid) again, without days, triggers as before."""
    from geoinc.store.postgis_schema import _inserted_sql, _moved_sql

    conn.execute(_inserted_sql(day=False))
    conn.execute(_moved_sql(day=False))
    conn.execute("ALTER TABLE incident_countries DROP CONSTRAINT incident_countries_pkey")
    conn.execute("ALTER TABLE incident_countries DROP COLUMN day")
    conn.execute("ALTER TABLE incident_countries ADD PRIMARY KEY (country, fid)")
    conn.execute("DELETE FROM geoinc_migrations WHERE version >= 6")


def _days_follow_dates(conn) -> bool:
    """Whether every incident_countries row's day is its incident's event_date ('' for none)."""
    return conn.execute("SELECT count(*) FROM incident_countries ic JOIN incidents i USING (fid) "
                        "WHERE ic.day <> coalesce(i.event_date, '')").fetchone()[0] == 0


def test_a_schema_5_store_is_upgraded_to_country_rows_keyed_by_day(pg_cluster):
    """Migration 6 on a store holding incidents: incident_countries gains each incident's day (its
    event_date) after the country in its key, filled by the layer reload and kept by the triggers on later
    inserts and updates; a country's packed rows are then read in result order, and queries answer as before."""
    import psycopg

    from geoinc.store.postgis_query import _PACKED_ORDERED_SQL, _TEXTS, parse_packed

    url = pg_cluster.database()
    data = make_incidents(240)
    data.sort(key=lambda inc: inc.event_date, reverse=True)            # ids against the date order
    for inc in data[::30]:
        inc.event_date = None
    specs = [build_spec(country=c) for c in ("SY", "IQ", "JO", "FJ")]
    with open_store(url) as s:
        s.add_incidents(data[:200])
        before = [s.select(spec).frame for spec in specs]
    with psycopg.connect(url, autocommit=True) as conn:
        _back_to_schema_5(conn)
    with open_store(url, readonly=True) as s:                   # read as schema 5: packed rows, no days
        assert s.schema_version == 5
        for spec, frame in zip(specs, before):
            pd.testing.assert_frame_equal(s.select(spec).frame, frame, check_exact=True)
    with open_store(url) as s:
        for spec, frame in zip(specs, before):
            pd.testing.assert_frame_equal(s.select(spec).frame, frame, check_exact=True)
        s.add_incidents(data[200:])                                 # written with their days by the trigger
        with psycopg.connect(url, autocommit=True) as conn:
            assert [r[0] for r in conn.execute("SELECT version FROM geoinc_migrations ORDER BY 1")][-1] == 6
            assert _days_follow_dates(conn)
            fid = conn.execute("SELECT fid FROM incident_countries LIMIT 1").fetchone()[0]
            conn.execute("UPDATE incidents SET event_date = '2031-02-03' WHERE fid = %s", (fid,))
            assert _days_follow_dates(conn)
            country = build_spec(country="SY").regions[0].country_row
            with conn.cursor(binary=True) as cur:
                packed = parse_packed(cur.execute(_PACKED_ORDERED_SQL, (country,)).fetchone())
        assert packed is not None and packed.fid.size > 20
        dates = packed.texts[_TEXTS.index("event_date")::len(_TEXTS)]            # NULL packed as ''
        assert list(zip(dates, packed.fid.tolist())) == sorted(zip(dates, packed.fid.tolist()))


def _dated(event_id: str, event_date: str, date_start: str | None, date_end: str | None,
           lat: float = 36.20, lon: float = 37.10) -> Incident:
    return Incident(event_id_cnty=event_id, event_date=event_date, year=2024, event_type="Battles", location="Town",
                    latitude=lat, longitude=lon, date_start=date_start, date_end=date_end)


# (id, event_date, date_start, date_end): whether its interval meets the window 2024-03-10 .. 2024-03-12 (text
# order, as both backends compare the dates) is in the id
_WINDOWED = [
    ("in-day", "2024-03-11", "2024-03-11", "2024-03-11"),
    ("in-ends-on-first", "2024-03-05", "2024-03-01", "2024-03-10"),
    ("in-starts-on-last", "2024-03-12", "2024-03-12", "2024-03-20"),
    ("in-spans-it", "2024-02-15", "2024-01-01", "2024-06-30"),
    ("in-no-interval", "2024-03-10", None, None),
    ("in-unparsed-end", "2024-03-08", "2024-03-08", "2024-03-10T09:00"),     # not YYYY-MM-DD: index range unbounded
    ("in-reversed", "2024-03-11", "2024-03-11", "2024-03-10"),               # start after end: unbounded too
    ("out-day-before", "2024-03-09", "2024-03-09", "2024-03-09"),
    ("out-day-after", "2024-03-13", None, None),
    ("out-years-before", "2019-03-11", "2019-03-01", "2019-03-20"),
    ("out-unparsed", "2024-3-11", None, None),                               # text order puts it after 2024-03-12
    ("out-empty", "", None, None),
]


@pytest.mark.parametrize("kind", ["sqlite", "postgis"])
def test_merge_candidates_are_the_incidents_whose_days_meet_the_window(open_backend, kind):
    """The date-aware look-up (PostGIS: the (days, geog) index) finds exactly the incidents within the radius whose
    date interval meets the window: at the window's ends, spanning it, with dates that are not YYYY-MM-DD too."""
    s = open_backend(kind)
    riot = _dated("riot-day", "2024-03-11", None, None)
    riot.event_type = "Riots"
    far = _dated("far-day", "2024-03-11", None, None, lat=36.5)
    s.add_incidents([_dated(*row) for row in _WINDOWED] + [far, riot])
    got = s.candidates(36.20, 37.10, radius_km=10, date_from="2024-03-10", date_to="2024-03-12", event_type="Battles")
    assert sorted(i.event_id_cnty for i in got) == sorted(r[0] for r in _WINDOWED if r[0].startswith("in-"))
    anytype = s.candidates(36.20, 37.10, radius_km=10, date_from="2024-03-10", date_to="2024-03-12")
    assert sorted(i.event_id_cnty for i in anytype) == sorted([*(i.event_id_cnty for i in got), "riot-day"])
    one = s.candidates(36.20, 37.10, radius_km=10, date_from="2024-03-13", date_to="2024-03-13")
    assert sorted(i.event_id_cnty for i in one) == ["in-spans-it", "in-starts-on-last", "out-day-after"]


def test_a_schema_4_store_with_incidents_gets_its_days_and_looks_them_up_by_index(pg_cluster):
    """Migration 5 on a store holding incidents: the generated days column is filled for stored rows, merge
    look-ups answer as before, and the planner reads the (days, geog) index for them."""
    import psycopg

    url = pg_cluster.database()
    with open_store(url) as s:
        s.add_incidents([_dated(*row) for row in _WINDOWED])
    with psycopg.connect(url, autocommit=True) as conn:       # back to schema 4: no days column, no index
        _back_to_schema_5(conn)
        conn.execute("ALTER TABLE incidents DROP COLUMN days")
        conn.execute("DELETE FROM geoinc_migrations WHERE version >= 5")
        assert conn.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'incidents_days_geog'").fetchone()[0] == 0
    with open_store(url) as s:
        got = s.candidates(36.20, 37.10, radius_km=10, date_from="2024-03-10", date_to="2024-03-12")
        assert sorted(i.event_id_cnty for i in got) == sorted(r[0] for r in _WINDOWED if r[0].startswith("in-"))
    with psycopg.connect(url, autocommit=True) as conn:
        days = dict(conn.execute("SELECT event_id_cnty, days::text FROM incidents").fetchall())
        assert days["in-day"] == "[20240311,20240312)" and days["in-spans-it"] == "[20240101,20240631)"
        assert days["in-unparsed-end"] == days["in-reversed"] == days["out-empty"] == "(,)"
        conn.execute("SET enable_seqscan = off")               # a tiny table: ask which index the planner takes
        plan = "\n".join(r[0] for r in conn.execute(
            "EXPLAIN SELECT fid FROM incidents WHERE ST_DWithin(geog, ST_SetSRID(ST_MakePoint(37.1, 36.2), 4326)"
            "::geography, 10020) AND COALESCE(date_end, event_date) >= '2024-03-10' AND "
            "COALESCE(date_start, event_date) <= '2024-03-12' AND days && int4range(20240310, 20240312, '[]')"))
        assert "incidents_days_geog" in plan


def test_store_protocol_on_postgis(open_backend):
    """Merging, explaining, splitting, finding and exporting: the same results on both backends."""
    results = []
    for kind in ("sqlite", "postgis"):
        s = open_backend(kind)
        a1 = parse_article("Drone hits Tower 22.", published="2024-01-29")
        a2 = parse_article("Tower 22 attacked by a drone.", published="2024-01-29")
        base = dict(event_date="2024-01-28", year=2024, event_type="Explosions/Remote violence",
                    sub_event_type="Air/drone strike", location="Tower 22", latitude=33.31, longitude=38.70,
                    date_start="2024-01-28", date_end="2024-01-28", fatalities=3)
        r1 = s.add_article(a1, [Incident(event_id_cnty="X-1", sources=[Source(article=a1.id)], **base)], [])
        r2 = s.add_article(a2, [Incident(event_id_cnty="X-2", sources=[Source(article=a2.id)], **base)], [])
        again = s.add_article(a2, [Incident(event_id_cnty="X-2", **base)], [])
        assert r1.incidents_new == ["X-1"] and r2.incidents_merged == ["X-1"] and again.skipped
        assert [r.article_id for r in s.reports("X-1")] == [a1.id, a2.id] and "km apart" in s.reports("X-1")[1].reason
        assert s.find("X-").event_id_cnty == "X-1" and s.has_article(a1.id) and s.articles_count() == 2
        with pytest.raises(NotFoundError):
            s.find("nope")
        new = s.split("X-1", a2.id[:8])
        assert new.event_id_cnty == "X-2" and s.count() == 2 and s.integrity_check()
        with pytest.raises(InputError):
            s.split("X-2", a2.id)
        cands = s.candidates(33.3, 38.7, radius_km=5, date_from="2024-01-27", date_to="2024-01-29")
        results.append(([i.to_dict() for i in s.iter_incidents()], sorted(c.event_id_cnty for c in cands),
                        [i.to_dict() for i in select_incidents(s, build_spec(within="10 km of 33.31,38.70"))]))
    assert results[0] == results[1]


def _just_across_the_border(country: str, n: int, outside: bool) -> list[tuple[float, float]]:
    """n points 5e-5 degrees from the country's border vertices, outside (inside) its polygon as the query
    decides: within the 1e-4-degree margin of incident_countries either way."""
    import numpy as np
    import shapely

    region = build_spec(country=country).regions[0]
    found = []
    for x, y in shapely.get_coordinates(region.geom.boundary)[::97]:
        for dx, dy in ((5e-5, 0), (-5e-5, 0), (0, 5e-5), (0, -5e-5)):
            if bool(region.contains(np.array([x + dx]), np.array([y + dy]))[0]) != outside:
                found.append((x + dx, y + dy))
                break
        if len(found) == n:
            return found
    raise AssertionError("no such points")


@pytest.mark.parametrize("null_dates", [False, True])
def test_packed_country_read_orders_drops_and_takes_null_dates_as_sqlite(open_backend, null_dates):
    """The packed country read: rows stored out of date order are ordered (event_date, then id), points just
    outside the border (kept by the index's margin) are dropped, NULL dates come first; SQLite's frame."""
    data = make_incidents(300)
    data.sort(key=lambda inc: inc.event_date, reverse=True)            # ids against the date order
    for k, (lon, lat) in enumerate(_just_across_the_border("SY", 6, outside=True)
                                    + _just_across_the_border("SY", 4, outside=False)):
        data[k * 11].longitude, data[k * 11].latitude = lon, lat
    if null_dates:
        for inc in data[5::40]:
            inc.event_date = None
    sqlite, pg = open_backend("sqlite"), open_backend("postgis")      # skips where PostGIS cannot run
    import psycopg

    assert sqlite.add_incidents(data) == pg.add_incidents(data) == 300
    with psycopg.connect(pg.url) as conn:                               # the margin holds the outside points
        margin = conn.execute("SELECT count(*) FROM incident_countries WHERE country = %s",
                              (build_spec(country="SY").regions[0].country_row,)).fetchone()[0]
    for country in ("SY", "JO", "IQ", "UA", "FJ"):
        a, b = sqlite.select(build_spec(country=country)), pg.select(build_spec(country=country))
        assert a.matched == b.matched and len(b.frame)
        pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
        if country == "SY":
            assert margin >= b.matched + 6
            assert b.frame.event_date.isna().any() == null_dates


def test_packed_country_rows_follow_merges_splits_and_moves(open_backend):
    """A country query reads the incident's values packed at write time: a merge, a split and a moved point
    show in its answer at once, as on SQLite (whose country index follows the same writes)."""
    frames = []
    for kind in ("sqlite", "postgis"):
        s = open_backend(kind)
        a1 = parse_article("Drone hits Tower 22.", published="2024-01-29")
        a2 = parse_article("Tower 22 attacked by a drone, four killed.", published="2024-01-29")
        base = dict(event_date="2024-01-28", year=2024, event_type="Explosions/Remote violence",
                    sub_event_type="Air/drone strike", location="Tower 22", latitude=33.31, longitude=38.70)
        s.add_article(a1, [Incident(event_id_cnty="P-1", fatalities=3, sources=[Source(article=a1.id)], **base)], [])
        s.add_article(a2, [Incident(event_id_cnty="P-2", fatalities=4, notes="four killed",
                                    sources=[Source(article=a2.id)], **base)], [])
        merged = s.select(build_spec(country="JO")).frame
        assert list(merged.event_id_cnty) == ["P-1"] and len(json.loads(merged.sources[0])) == 2
        s.split("P-1", a2.id)
        split = s.select(build_spec(country="JO")).frame
        assert list(split.event_id_cnty) == ["P-1", "P-2"]
        frames.append((merged, split))
        if kind == "postgis":                         # an update written by another tool moves the point
            s.conn.execute("UPDATE incidents SET latitude = 33.3, longitude = 44.4, notes = 'moved', "
                           "geom = ST_SetSRID(ST_MakePoint(44.4, 33.3), 4326) WHERE event_id_cnty = 'P-2'")
            assert list(s.select(build_spec(country="JO")).frame.event_id_cnty) == ["P-1"]
            moved = s.select(build_spec(country="IQ")).frame
            assert list(moved.event_id_cnty) == ["P-2"] and list(moved.notes) == ["moved"]
    for a, b in zip(*frames):
        pd.testing.assert_frame_equal(a, b, check_exact=True)


@pytest.mark.parametrize("kind", ["sqlite", "postgis", "postgis without pipeline"])
def test_an_article_whose_incident_id_is_taken_is_not_stored(open_backend, kind, monkeypatch):
    """The PostGIS writer queues its inserts (pipeline mode; statement by statement where libpq < 14 has no
    pipeline) and checks them before committing: a taken id fails the whole article, as on SQLite, and nothing
    of it stays."""
    if kind.endswith("without pipeline"):
        psycopg = pytest.importorskip("psycopg", reason="PostGIS tests need psycopg: pip install 'geoinc[postgis]'")
        monkeypatch.setattr(psycopg.Pipeline, "is_supported", classmethod(lambda cls: False))
    s = open_backend(kind.split()[0])
    s.add_incidents([Incident(event_id_cnty="DUP-1", event_date="2020-05-01", event_type="Protests",
                              latitude=-30.0, longitude=150.0, location="elsewhere")])
    art = parse_article("Two strikes hit Tower 22 and Al-Tanf.", published="2024-01-29")
    base = dict(event_date="2024-01-28", event_type="Battles", latitude=33.31, longitude=38.70, location="Tower 22")
    incidents = [Incident(event_id_cnty="NEW-1", **base), Incident(event_id_cnty="DUP-1", **base)]
    with pytest.raises(StoreError, match="DUP-1 already exists"):
        s.add_article(art, incidents, [])
    assert not s.has_article(art.id) and s.count() == 1 and s.get("NEW-1") is None and s.reports("DUP-1") == []
    two = s.add_article(art, [Incident(event_id_cnty="NEW-1", **base), Incident(event_id_cnty="NEW-2", **base)], [])
    assert two.incidents_new == ["NEW-1", "NEW-2"] and not two.incidents_merged   # never merged with itself
    assert s.count() == 3 and [r.reason for r in s.reports("NEW-2")] == ["new incident"]


def test_a_batch_of_articles_is_stored_as_one_by_one(open_backend):
    """add_articles (one transaction per batch: the Dask writers) stores what add_article does article by
    article, in order: a merge with an earlier article of the same batch, a second copy of an article in the
    batch and an article stored before are skipped, mentions kept; on both backends alike."""
    from geoinc.models import Mention

    base = dict(event_date="2024-01-28", year=2024, event_type="Explosions/Remote violence",
                sub_event_type="Air/drone strike", location="Tower 22", latitude=33.31, longitude=38.70,
                date_start="2024-01-28", date_end="2024-01-28", fatalities=3)
    arts = [parse_article(t, published="2024-01-29") for t in
            ("Drone hits Tower 22.", "Tower 22 attacked by a drone.", "A drone struck Tower 22 again.")]

    def item(k: int):
        far = dict(latitude=-30.0, longitude=150.0, location="elsewhere") if k == 2 else {}
        inc = Incident(event_id_cnty=f"B-{k}", sources=[Source(article=arts[k].id)], **{**base, **far})
        mention = Mention(start=0, end=8, text="Tower 22", name="Tower 22", lat=33.31, lon=38.7, country_code="JO")
        return arts[k], [inc], [mention]

    outcomes = []
    for kind in ("sqlite", "postgis"):
        one, batch = open_backend(kind), open_backend(kind)
        one.add_article(*item(2))
        batch.add_article(*item(2))
        singles = [one.add_article(*item(k)) for k in (0, 1, 0, 2)]
        batched = batch.add_articles([item(k) for k in (0, 1, 0, 2)])
        assert batched == singles and [r.skipped for r in batched] == [False, False, True, True]
        assert batched[1].incidents_merged == ["B-0"] and batched[0].mentions == 1
        dump = [[i.to_dict() for i in s.iter_incidents()] for s in (one, batch)]
        assert dump[0] == dump[1] and batch.mentions(arts[1].id) == one.mentions(arts[1].id)
        assert batch.add_articles([]) == [] and batch.articles_count() == 3
        outcomes.append(dump[1])
    assert outcomes[0] == outcomes[1]


def _random_articles(seed: int, n: int = 40) -> list:
    """Articles of 0-3 incidents at a few places a few km apart (some only named, some undated), a few days
    apart, with changing precision and counts: merges into incidents of the same batch, of earlier batches, and
    into incidents whose place or dates an earlier merge of the batch changed."""
    from geoinc.models import Mention

    rng = random.Random(seed)
    places = [(33.31, 38.70, "Tower 22"), (33.35, 38.75, "Rukban"), (33.50, 38.60, "Al-Tanf"), (None, None, "Deir")]
    items = []
    for k in range(n):
        art = parse_article(f"Report {seed}-{k} on the border.", published="2024-02-10")
        incidents = []
        for j in range(rng.randint(0, 3)):
            lat, lon, name = rng.choice(places)
            day = f"2024-02-{rng.randint(1, 9):02d}"
            end = f"2024-02-{int(day[-2:]) + rng.randint(0, 2):02d}" if rng.random() < 0.3 else day
            jitter = rng.choice([0.0, 0.02, 0.05]) if lat is not None else 0.0
            dated = rng.random() > 0.05
            incidents.append(Incident(
                event_id_cnty=f"R{seed}-{k}-{j}", event_date=day if dated else None,
                date_start=day if dated else None, date_end=end if dated else None, year=2024,
                event_type=rng.choice(["Battles", "Explosions/Remote violence"]),
                location=name, latitude=None if lat is None else lat + jitter, longitude=None if lon is None else lon,
                geo_precision=rng.choice([1, 2, 3]), fatalities=rng.choice([None, 1, 3, 5]),
                sources=[Source(article=art.id, published=f"2024-02-{rng.randint(1, 20):02d}")]))
        mentions = [Mention(start=m, end=m + 6, text="Report", name=f"n{m}", lat=33.3, lon=38.7, country_code="JO")
                    for m in rng.choices(range(4), k=rng.randint(0, 4))]       # a repeated span is stored once
        items.append((art, incidents, mentions))
    return items


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_batched_merges_store_what_one_by_one_stores(open_backend, seed, monkeypatch):
    """add_articles decides a batch's merges from one look-up (postgis_write.BatchWriter): incidents, their fids'
    order, reports (order, reasons), mentions and the results equal one add_article per article, and the SQLite
    store's (a batch's mentions copied, one article's inserted)."""
    from geoinc.store import postgis

    monkeypatch.setattr(postgis, "COPY_MENTIONS_FROM", 10)
    items = _random_articles(seed)
    outcomes = []
    for kind, batch in (("sqlite", None), ("postgis", None), ("postgis", 7), ("postgis", 40)):
        s = open_backend(kind)
        s.add_articles(items[:5]) if batch else [s.add_article(*it) for it in items[:5]]   # stored before
        rest = items[5:]
        results = ([r for k in range(0, len(rest), batch) for r in s.add_articles(rest[k:k + batch])] if batch
                   else [s.add_article(*it) for it in rest])
        incidents = [i.to_dict() for i in s.iter_incidents()]
        reports = {i["event_id_cnty"]: [(r.article_id, r.reason) for r in s.reports(i["event_id_cnty"])]
                   for i in incidents}
        mentions = [s.mentions(a.id) for a, _, _ in items]
        outcomes.append((results, incidents, reports, mentions))
        assert s.integrity_check()
    assert sum(len(r.incidents_merged) for r in outcomes[0][0]) >= 5       # the case merges
    assert sum(map(len, outcomes[0][3])) >= 40
    assert all(o == outcomes[0] for o in outcomes[1:])


@pytest.mark.parametrize("kind", ["sqlite", "postgis"])
def test_a_batch_whose_new_incident_ids_repeat_stores_nothing(open_backend, kind):
    """Two articles of one batch creating incidents with the same id (the second is refused), or one whose id is
    stored: StoreError naming it, and nothing of the batch is stored."""
    s = open_backend(kind)
    base = dict(event_date="2024-01-28", event_type="Battles", location="Tower 22")
    arts = [parse_article(t, published="2024-01-29") for t in ("One report.", "Another report.", "A third.")]
    s.add_article(arts[2], [Incident(event_id_cnty="OLD-1", latitude=-30.0, longitude=150.0, **base)], [])
    twice = [(arts[0], [Incident(event_id_cnty="SAME-1", latitude=33.31, longitude=38.70, **base)], []),
             (arts[1], [Incident(event_id_cnty="SAME-1", latitude=10.0, longitude=10.0, **base)], [])]
    with pytest.raises(StoreError, match="SAME-1 already exists"):
        s.add_articles(twice)
    stored = [(arts[0], [Incident(event_id_cnty="NEW-1", latitude=33.31, longitude=38.70, **base)], []),
              (arts[1], [Incident(event_id_cnty="OLD-1", latitude=10.0, longitude=10.0, **base)], [])]
    with pytest.raises(StoreError, match="OLD-1 already exists"):
        s.add_articles(stored)
    assert s.count() == 1 and s.articles_count() == 1 and s.get("SAME-1") is None and s.get("NEW-1") is None
    assert [r.article_id for r in s.reports("OLD-1")] == [arts[2].id]


def test_a_kept_cluster_is_started_again_with_its_databases(pg_cluster):
    """bench/bench_scaling.py --keep DIR: a server made in DIR survives stop() and starts again as it was."""
    import shutil
    import tempfile

    import psycopg
    from pg_cluster import Cluster

    root = Path(tempfile.mkdtemp(prefix="geoinc-pg-kept-"))     # (as root: a folder the server's user enters)
    first = Cluster.start(root, settings={"shared_buffers": "64MB"})
    try:
        url = first.database(name="bench_kept")
        with psycopg.connect(url, autocommit=True) as conn:
            assert conn.execute("SHOW shared_buffers").fetchone()[0] == "64MB"
            conn.execute("CREATE TABLE t AS SELECT 42 AS x")
    finally:
        first.stop()
    assert (root / "data" / "PG_VERSION").exists()
    again = Cluster.start(root)
    try:
        with psycopg.connect(again.database(name="bench_kept"), autocommit=True) as conn:
            assert conn.execute("SELECT x FROM t").fetchone()[0] == 42
            assert conn.execute("SHOW shared_buffers").fetchone()[0] == "128MB"
    finally:
        again.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_missing_psycopg_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)          # as if the extra were not installed
    with pytest.raises(StoreError, match=r"pip install 'geoinc\[postgis\]'"):
        open_store("postgresql://nobody@/nowhere?host=/nonexistent")


def _dated_copies(folder: Path, n_days: int) -> Path:
    """The project's sample articles, each published on several dates 20 days apart (distinct articles whose
    incidents merge within a date and never across dates)."""
    folder.mkdir()
    for path in sorted(ARTICLES.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("date ")
        for k in range(n_days):
            day = pd.Timestamp(lines[0][5:]) + pd.Timedelta(days=20 * k)
            body = "\n".join([f"date {day.date()}", *lines[1:], "", f"(Archive copy {k}.)"])   # a new article id
            (folder / f"{path.stem}-{k}.txt").write_text(body + "\n", encoding="utf-8")
    return folder


def _ingest(url: str, folder: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "geoinc", "ingest", str(folder), "--db", url, "-q", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _snapshot(url: str) -> list[tuple]:
    with open_store(url) as s:
        return sorted((i.event_id_cnty, i.event_date, i.location, len(i.sources)) for i in s.iter_incidents())


def test_two_concurrent_ingests_store_each_incident_once(pg_cluster, tmp_path):
    folder = _dated_copies(tmp_path / "articles", 4)
    serial = pg_cluster.database()
    done = _ingest(serial, folder)
    assert done.wait(600) == 0, done.stderr.read()
    shared = pg_cluster.database()
    procs = [_ingest(shared, folder), _ingest(shared, folder)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert _snapshot(shared) == _snapshot(serial)
    with open_store(shared) as s:
        assert s.articles_count() == len(list(folder.iterdir())) and s.integrity_check()


def test_cli_and_api_work_unchanged_on_postgis(pg_cluster, tmp_path, capsys):
    """geoinc ingest / query / incidents list / export and the HTTP API give the same output on both backends."""
    from fastapi.testclient import TestClient

    from geoinc.api.app import create_app
    from geoinc.cli import main

    outputs = []
    for db in (str(tmp_path / "cli.sqlite"), pg_cluster.database()):
        assert main(["ingest", str(ARTICLES), "--db", db, "-q"]) == 0
        capsys.readouterr()
        assert main(["query", "--db", db, "--bbox", "30,10,50,40", "--format", "acled-csv"]) == 0
        query = capsys.readouterr().out
        assert main(["incidents", "list", "--db", db, "--json", "--since", "2024-01-01"]) == 0
        listed = capsys.readouterr().out
        assert main(["export", "--db", db, "--format", "geojson", "-o", str(tmp_path / "x.geojson")]) == 0
        exported = json.loads((tmp_path / "x.geojson").read_text(encoding="utf-8"))
        assert main(["export", "--db", db, "--format", "acled-csv", "-o", str(tmp_path / "x.csv")]) == 0
        again = pg_cluster.database() if db.startswith("postgresql") else str(tmp_path / "again.sqlite")
        assert main(["import", str(tmp_path / "x.csv"), "--db", again]) == 0            # import works unchanged
        with open_store(again) as s:
            assert s.count() == len(exported["features"])
        with TestClient(create_app(db), base_url="http://127.0.0.1") as client:      # the Host check
            api = client.get("/incidents", params={"bbox": "30,10,50,40"}).json()
            one = client.get(f"/incidents/{api['features'][0]['id']}").json()
            assert client.get("/health").json()["incidents"] == len(exported["features"])
        outputs.append((query, listed, exported, api["features"], one))
    assert len(outputs[0][0].splitlines()) > 3
    assert outputs[0] == outputs[1]
