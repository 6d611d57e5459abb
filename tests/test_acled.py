"""ACLED CSV, GeoJSON and GeoPackage exchange; validation by line; place-name spreadsheets."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from conftest import SAMPLES
from geoinc.acled import decode_tags, encode_tags, export, parse_column_map, read_import, store_import
from geoinc.errors import InputError
from geoinc.ingest import ingest_paths
from geoinc.models import ACLED_COLUMNS
from geoinc.geodesy import geodesic_km
from geoinc.store import open_store

DATA = Path(__file__).parent / "data"
ACLED_FILE = DATA / "acled_sample.csv"
INTS = {"year", "time_precision", "geo_precision", "fatalities", "timestamp"}
FLOATS = {"latitude", "longitude"}


def typed(column: str, cell: str):
    if column in INTS:
        return int(cell)
    if column in FLOATS:
        return float(cell)
    return cell


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    s = open_store(tmp_path_factory.mktemp("samples") / "samples.sqlite")
    ingest_paths([SAMPLES / "tower22-iran-avoids-war.txt"], s, stop_on_error=True)
    ingest_paths([SAMPLES / "tower22-us-vows-response.txt"], s, published="2024-01-29", stop_on_error=True)
    yield s
    s.close()


def comparable(inc, *, sources: bool = False) -> dict:
    d = inc.to_dict()
    if not sources:
        d.pop("sources")
    return d


def test_a_real_acled_file_imports_without_loss(store, tmp_path):
    with open(ACLED_FILE, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    result = read_import(ACLED_FILE)
    assert result.format == "acled-csv" and not result.problems and len(result.incidents) == len(rows) == 9
    store_import(result, store)
    assert store.count() == 9
    for row in rows:
        inc = store.get(row["event_id_cnty"])
        for column in ACLED_COLUMNS:
            assert getattr(inc, column) == typed(column, row[column]), (row["event_id_cnty"], column)
    hawiga = store.get("IRQ45020")
    assert "\nMotive unknown." in hawiga.notes and hawiga.civilian_targeting == "Civilian targeting"
    assert store.get("COL77810").longitude == -74.7021 and store.get("JOR2301").fatalities_best == 3
    assert store.get("SYR131044").date_precision == "week" and store.get("JOR2301").country_code == "JO"
    # and it exports back to the same cells
    out = tmp_path / "again.csv"
    export(store.iter_incidents(), out, "acled-csv")
    with open(out, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
        fh.seek(0)
        again = {r["event_id_cnty"]: r for r in csv.DictReader(fh)}
    assert tuple(header) == ACLED_COLUMNS
    for row in rows:
        for column in ACLED_COLUMNS:
            assert typed(column, again[row["event_id_cnty"]][column]) == typed(column, row[column])


@pytest.mark.shared
def test_round_trip_of_extracted_incidents_through_acled_csv(sample_store, tmp_path):
    out = tmp_path / "export.csv"
    assert export(sample_store.iter_incidents(), out, "acled-csv") == 3
    with open(out, encoding="utf-8", newline="") as fh:
        assert tuple(next(csv.reader(fh))) == ACLED_COLUMNS
    fresh = open_store(tmp_path / "fresh.sqlite")
    store_import(read_import(out), fresh)
    originals = {i.event_id_cnty: i for i in sample_store.iter_incidents()}
    back = {i.event_id_cnty: i for i in fresh.iter_incidents()}
    assert back.keys() == originals.keys()
    for key, inc in originals.items():
        assert comparable(back[key]) == comparable(inc)       # every field but the quotes of sources
    tower = next(i for i in back.values() if i.location == "Tower 22")
    assert (tower.injuries, tower.status, tower.fatalities) == (34, "confirmed", 3)
    fresh.close()


@pytest.mark.shared
def test_round_trip_through_geojson_keeps_sources(sample_store, tmp_path):
    out = tmp_path / "export.geojson"
    export(sample_store.iter_incidents(), out, "geojson")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 3
    f = next(f for f in data["features"] if f["properties"]["location"] == "Tower 22")
    assert f["geometry"] == {"type": "Point", "coordinates": [38.7, 33.31]}            # lon, lat
    props = f["properties"]
    assert list(props)[:31] == list(ACLED_COLUMNS)
    assert props["injuries"] == 34 and props["status"] == "confirmed"
    assert len(props["sources"]) == 2 and all({"article", "published", "quote"} <= s.keys() for s in props["sources"])
    fresh = open_store(tmp_path / "fresh.sqlite")
    store_import(read_import(out), fresh)
    for inc in sample_store.iter_incidents():
        assert comparable(fresh.get(inc.event_id_cnty), sources=True) == comparable(inc, sources=True)
    fresh.close()


@pytest.mark.shared
def test_gpkg_export_opens_in_gis_tools(sample_store, tmp_path):
    import geopandas as gpd
    import pyogrio

    out = tmp_path / "incidents.gpkg"
    assert export(sample_store.iter_incidents(), out, "gpkg") == 3
    info = pyogrio.read_info(out, layer="incidents")
    assert info["crs"] == "EPSG:4326" and info["geometry_type"] == "Point" and info["features"] == 3
    frame = gpd.read_file(out, layer="incidents")
    tower = frame[frame.location == "Tower 22"].iloc[0]
    assert (tower.geometry.x, tower.geometry.y) == (38.7, 33.31) and json.loads(tower.sources)[0]["quote"]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_malformed_rows_are_reported_by_line_and_skipped(store, tmp_path):
    good = ACLED_FILE.read_text(encoding="utf-8").splitlines()
    header, jor, tanf = good[0], good[1], good[2]
    bad_date = tanf.replace("SYR131001,2024-01-28", "SYR9,2024-13-45")
    bad_lat = tanf.replace("SYR131001", "SYR10").replace("33.5058", "123")
    short = ",".join(tanf.replace("SYR131001", "SYR11").split(",")[:20])
    bad_type = tanf.replace("SYR131001", "SYR12").replace("Air/drone strike", "Drone strike")
    bad_year = tanf.replace("SYR131001,2024-01-28,2024", "SYR13,2024-01-28,2023")
    path = _write(tmp_path / "mixed.csv", [header, jor, bad_date, bad_lat, short, bad_type, bad_year, tanf])
    store.add_incidents(read_import(ACLED_FILE).incidents[5:])         # data already in the store
    before = {i.event_id_cnty: comparable(i) for i in store.iter_incidents()}
    result = store_import(read_import(path), store)
    messages = [str(p) for p in result.rejected]
    assert [p.line for p in result.rejected] == [3, 4, 5, 6, 7]
    assert "bad event_date '2024-13-45'" in messages[0]
    assert "latitude 123 is out of range" in messages[1]
    assert "20 fields, expected 31" in messages[2]
    assert "'Drone strike' is not a sub-type" in messages[3]
    assert "year 2023 does not match" in messages[4]
    assert result.stored == 2 and {i.event_id_cnty for i in result.incidents} == {"JOR2301", "SYR131001"}
    after = {i.event_id_cnty: comparable(i) for i in store.iter_incidents()}
    assert {k: after[k] for k in before} == before and len(after) == len(before) + 2


def test_unusable_files_store_nothing(store, tmp_path):
    store.add_incidents(read_import(ACLED_FILE).incidents)
    header = ACLED_FILE.read_text(encoding="utf-8").splitlines()[0]
    missing = _write(tmp_path / "missing.csv", [header.replace(",latitude,longitude", ""), "x"])
    with pytest.raises(InputError, match="missing columns latitude, longitude"):
        read_import(missing, fmt="acled-csv")
    all_bad = _write(tmp_path / "allbad.csv", [header, "1,2,3"])
    with pytest.raises(InputError, match="no usable rows; line 2: 3 fields"):
        read_import(all_bad)
    binary = tmp_path / "sheet.xlsx"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(InputError, match="binary"):
        read_import(binary)
    assert store.count() == 9


def test_acled_date_forms_and_multiline_line_numbers(tmp_path):
    text = ACLED_FILE.read_text(encoding="utf-8").replace("2024-01-26,2024", "26 January 2024,2024")
    lines = text.splitlines()
    # the Al Hawiga row spans two physical lines (7-8); the bad row inserted after it is on line 9
    lines.insert(8, lines[2].replace("SYR131001", "SYR99").replace("38.6178", "200.5"))
    result = read_import(_write(tmp_path / "f.csv", lines))
    assert next(i for i in result.incidents if i.event_id_cnty == "IRQ45020").event_date == "2024-01-26"
    assert [(p.line, "longitude 200.5" in p.reason) for p in result.rejected] == [(9, True)]


def test_place_name_spreadsheet(store, tmp_path):
    sheet = _write(tmp_path / "sheet.csv", [
        "Date,Place,What,Killed,Country",
        "2024-01-28,Tower 22,Air/drone strike,3,Jordan",
        "2024-01-29,near Abu Kamal,Change to group/activity,,Syria",
        "2024-02-02,Deir ez-Zor countryside,Air/drone strike,,Syria",
        "2024-02-03,Qaryat Xylophonia,Armed clash,2,",
        "not a date,Tower 22,Air/drone strike,1,Jordan",
    ])
    result = read_import(sheet, columns="location=Place,event_date=Date,sub_event_type=What,fatalities=Killed")
    assert result.format == "csv"
    by_place = {i.location: i for i in result.incidents}
    # the qualifier leaves the location (ACLED keeps the name and says "near" with geo_precision 2)
    tower, kamal, dez, nowhere = (by_place[k] for k in ("Tower 22", "Abu Kamal", "Deir ez-Zor", "Qaryat Xylophonia"))
    assert geodesic_km(tower.latitude, tower.longitude, 33.31, 38.70) < 10 and tower.geo_precision == 1
    assert tower.event_type == "Explosions/Remote violence" and tower.fatalities == 3 and tower.country == "Jordan"
    assert geodesic_km(kamal.latitude, kamal.longitude, 34.45226, 40.91854) < 10 and kamal.geo_precision == 2
    assert dez.latitude is not None and dez.geo_precision >= 2 and dez.country_code == "SY"
    assert tower.location_confidence >= 0.9 and 0 < kamal.location_confidence <= 1
    assert nowhere.latitude is None and nowhere.flags == "unresolved-location"      # kept, flagged
    assert [(p.line, p.kept) for p in result.problems] == [(5, True), (6, False)]
    assert "could not place 'Qaryat Xylophonia'" in str(result.problems[0])
    assert "bad event_date" in str(result.problems[1])
    store_import(result, store)
    assert store.count() == 4 and store.get(nowhere.event_id_cnty).flags == "unresolved-location"
    again = store_import(read_import(sheet, columns="location=Place,event_date=Date,sub_event_type=What,"
                                                    "fatalities=Killed"), store)
    assert again.stored == 0 and again.already == 4                   # importing twice adds nothing


def test_headers_are_recognised_without_a_mapping(tmp_path):
    sheet = _write(tmp_path / "s.csv", ["date,location,event type,sub event type,killed",
                                        "2024-01-28,Al-Tanf,Explosions/Remote violence,Air/drone strike,0"])
    (inc,) = read_import(sheet).incidents
    assert inc.location == "Al-Tanf" and inc.sub_event_type == "Air/drone strike" and inc.latitude is not None
    with pytest.raises(InputError, match="no location column"):
        read_import(_write(tmp_path / "n.csv", ["date,what", "2024-01-01,x"]))
    with pytest.raises(InputError, match="not FIELD=COLUMN"):
        parse_column_map("location")
    with pytest.raises(InputError, match="unknown field"):
        parse_column_map("where=Place")


def test_tags_carry_what_acled_lacks():
    from geoinc.models import Incident

    inc = Incident(event_id_cnty="X1", event_date="2024-01-28", tags="crowd size=no report", injuries=34,
                   status="claimed", claimant="Group; with semicolon", fatalities_best=None, date_start="2024-01-22",
                   date_end="2024-01-28", date_precision="week", time_precision=2)
    tags = encode_tags(inc)
    plain, extras = decode_tags(tags)
    assert plain == "crowd size=no report"
    assert extras["claimant"] == "Group; with semicolon" and extras["fatalities_best"] == "none"
    assert extras["injuries"] == "34" and extras["date_start"] == "2024-01-22"
