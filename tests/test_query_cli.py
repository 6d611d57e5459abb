"""``geoinc query``: formats, --within, --polygon files, --map, and exit code 2 with one line for bad input."""
from __future__ import annotations

import csv
import io
import json

import pytest

from geoinc.cli import main
from geoinc.models import ACLED_COLUMNS, Incident, Source
from geoinc.store.sqlite import open_store


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("qcli") / "q.sqlite"
    s = open_store(path)
    s.add_incidents([
        Incident(event_id_cnty="JOR-T22", event_date="2024-01-28", event_type="Explosions/Remote violence",
                 sub_event_type="Air/drone strike", actor1="Islamic Resistance in Iraq", country="Jordan",
                 location="Tower 22", latitude=33.31, longitude=38.70, fatalities=3, country_code="JO",
                 sources=[Source(article="a1", quote="<script>alert('x')</script>")]),
        Incident(event_id_cnty="SYR-TANF", event_date="2024-01-28", event_type="Explosions/Remote violence",
                 country="Syria", location="Al-Tanf", latitude=33.50583, longitude=38.61778, status="claimed",
                 country_code="SY"),
        Incident(event_id_cnty="SYR-OLD", event_date="2023-06-01", event_type="Battles", country="Syria",
                 location="Al-Tanf", latitude=33.50583, longitude=38.61778, country_code="SY"),
        Incident(event_id_cnty="IRQ-BGD", event_date="2024-02-01", event_type="Battles", country="Iraq",
                 location="Baghdad", latitude=33.3152, longitude=44.3661, country_code="IQ"),
    ])
    s.close()
    return str(path)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["query", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_spec_example_country_since_within(db, capsys):
    code, out, _ = run(capsys, "--db", db, "--country", "SY", "--since", "2024-01-01", "--within", "50 km of 33.31,38.70")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["id", "date", "type"]
    assert [ln.split()[0] for ln in lines[1:-1]] == ["SYR-TANF"]
    assert lines[-1] == "1 incident"


def test_spec_example_with_named_place(db, capsys):
    code, out, _ = run(capsys, "--db", db, "--country", "SY", "--since", "2024-01-01", "--within", "50 km of Tower 22")
    assert code == 0
    assert [ln.split()[0] for ln in out.splitlines()[1:-1]] == ["SYR-TANF"]
    code, out, _ = run(capsys, "--db", db, "--within", "5 km of Tower 22", "--format", "csv")
    assert [r["event_id_cnty"] for r in csv.DictReader(io.StringIO(out))] == ["JOR-T22"]


def test_within_named_place(db, capsys):
    code, out, _ = run(capsys, "--db", db, "--within", "30 km of Abu Kamal")
    assert code == 0 and out.strip().endswith("0 incidents")
    code, out, _ = run(capsys, "--db", db, "--within", "10 km of Baghdad", "--format", "csv")
    assert code == 0 and [r["event_id_cnty"] for r in csv.DictReader(io.StringIO(out))] == ["IRQ-BGD"]


def test_geojson_format(db, capsys):
    code, out, _ = run(capsys, "--db", db, "--bbox", "38,33,39,34", "--format", "geojson")
    fc = json.loads(out)
    assert code == 0 and fc["type"] == "FeatureCollection"
    assert {f["id"] for f in fc["features"]} == {"JOR-T22", "SYR-TANF", "SYR-OLD"}
    t22 = next(f for f in fc["features"] if f["id"] == "JOR-T22")
    assert t22["geometry"]["coordinates"] == [38.70, 33.31]


def test_acled_csv_has_the_31_columns(db, capsys, tmp_path):
    out_file = tmp_path / "out.csv"
    code, _, err = run(capsys, "--db", db, "--country", "Jordan", "--format", "acled-csv", "-o", str(out_file))
    assert code == 0 and "1 incident ->" in err
    rows = list(csv.reader(out_file.open(encoding="utf-8")))
    assert tuple(rows[0]) == ACLED_COLUMNS and rows[1][0] == "JOR-T22"


def test_polygon_file_type_and_status(db, capsys, tmp_path):
    poly = tmp_path / "tanf.geojson"
    poly.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": {
        "type": "Polygon", "coordinates": [[[38.5, 33.4], [38.8, 33.4], [38.8, 33.6], [38.5, 33.6], [38.5, 33.4]]]}}))
    code, out, _ = run(capsys, "--db", db, "--polygon", str(poly), "--format", "csv")
    assert {r["event_id_cnty"] for r in csv.DictReader(io.StringIO(out))} == {"SYR-TANF", "SYR-OLD"}
    code, out, _ = run(capsys, "--db", db, "--polygon", str(poly), "--type", "battles", "--format", "csv")
    assert [r["event_id_cnty"] for r in csv.DictReader(io.StringIO(out))] == ["SYR-OLD"]
    code, out, _ = run(capsys, "--db", db, "--status", "claimed", "--format", "csv")
    assert [r["event_id_cnty"] for r in csv.DictReader(io.StringIO(out))] == ["SYR-TANF"]
    code, out, _ = run(capsys, "--db", db, "--min-fatalities", "3", "--actor", "résistance", "--format", "csv")
    assert [r["event_id_cnty"] for r in csv.DictReader(io.StringIO(out))] == ["JOR-T22"]


def test_map_file_is_written_and_escaped(db, capsys, tmp_path):
    page = tmp_path / "q.html"
    code, _, err = run(capsys, "--db", db, "--within", "50 km of 33.31,38.70", "--map", str(page))
    assert code == 0 and "map ->" in err
    html = page.read_text(encoding="utf-8")
    assert "JOR-T22" in html and "SYR-TANF" in html
    assert "<script>alert('x')</script>" not in html


def test_db_from_environment(db, capsys, monkeypatch):
    monkeypatch.setenv("GEOINC_DB", db)
    code, out, _ = run(capsys, "--country", "IQ")
    assert code == 0 and "IRQ-BGD" in out


@pytest.mark.parametrize("argv, reason", [
    (["--bbox", "40,35,38,33"], "inverted bbox"),
    (["--since", "2024-02-30"], "bad since"),
    (["--country", "Atlantis"], "unknown country"),
    (["--within", "50 parsecs of Tower 22"], "unknown unit"),
    (["--within", "50 km of Xqzvwplace Nowhere"], "unknown place"),
    (["--polygon", "missing-file.geojson"], "not found"),
    (["--polygon", "POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))"], "invalid polygon"),
    (["--lat", "33", "--lon", "38"], "needs radius_km"),
])
def test_bad_input_exits_2_with_one_line(db, capsys, argv, reason):
    code, out, err = run(capsys, "--db", db, *argv)
    assert code == 2 and out == ""
    assert err.startswith("geoinc query: error: ") and reason in err and err.count("\n") == 1


def test_missing_store(capsys, tmp_path):
    code, _, err = run(capsys, "--db", str(tmp_path / "none.sqlite"), "--country", "SY")
    assert code == 2 and "no incident store" in err


def test_map_file_is_self_contained_unless_cdn(db, capsys, tmp_path):
    """First hour 1: `query --map` writes a page that opens with no network; --cdn links the assets."""
    own, linked = tmp_path / "own.html", tmp_path / "linked.html"
    assert run(capsys, "--db", db, "--country", "SY", "--map", str(own))[0] == 0
    assert run(capsys, "--db", db, "--country", "SY", "--map", str(linked), "--cdn")[0] == 0
    assert '<script src="http' not in own.read_text(encoding="utf-8")
    assert '<script src="https://' in linked.read_text(encoding="utf-8")
    code, _, err = run(capsys, "--db", db, "--country", "SY", "--map", str(own), "--cdn", "--offline")
    assert code == 2 and "choose one" in err
