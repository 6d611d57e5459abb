"""Region queries against known geometry: a catalogue of named points, run through the real store and R*Tree."""
from __future__ import annotations

import json
import random

import numpy as np
import pytest
import shapely
from geopy.distance import geodesic

import geoinc
from geoinc import boundaries
from geoinc.errors import InputError, NotFoundError
from geoinc.models import Incident
from geoinc.regions import (AreaRegion, BBoxRegion, RadiusRegion, build_spec, fold, parse_bbox, parse_polygon,
                            parse_within, query)
from geoinc.store.sqlite import open_store


def _shared_vertex(a: str, b: str) -> tuple[float, float]:
    """(lat, lon) of a vertex that the Natural Earth polygons of two neighbours both have: exactly on the border."""
    va = set(map(tuple, shapely.get_coordinates(boundaries.country(a).geometry)))
    vb = set(map(tuple, shapely.get_coordinates(boundaries.country(b).geometry)))
    lon, lat = sorted(va & vb)[0]
    return float(lat), float(lon)


# name -> (lat, lon, ISO2 of the Natural Earth polygon holding it, or None at sea / in a hole)
CATALOGUE: dict[str, tuple[float, float, str | None]] = {
    "tower22": (33.31, 38.70, "JO"),
    "al_tanf": (33.50583, 38.61778, "SY"),
    "abu_kamal": (34.45226, 40.91854, "SY"),
    "baghdad": (33.3152, 44.3661, "IQ"),
    # multipolygon countries: the US with Alaska, Hawaii and Aleutians on both sides of 180°
    "anchorage": (61.2181, -149.9003, "US"),
    "honolulu": (21.3069, -157.8583, "US"),
    "denver": (39.7392, -104.9903, "US"),
    "attu_aleutians_east_of_180": (52.90, 173.10, "US"),
    "adak_aleutians": (51.88, -176.65, "US"),
    "vancouver": (49.2827, -123.1207, "CA"),
    "gulf_of_mexico": (25.0, -90.0, None),
    # Indonesia: hundreds of islands; Dili (Timor-Leste) is on an island it shares
    "jakarta": (-6.2, 106.8167, "ID"),
    "jayapura": (-2.5337, 140.7181, "ID"),
    "kupang_timor": (-10.1772, 123.607, "ID"),
    "dili": (-8.5569, 125.5603, "TL"),
    "kuala_lumpur": (3.139, 101.6869, "MY"),
    # a country with a hole: Lesotho inside South Africa
    "maseru_in_hole": (-29.31, 27.48, "LS"),
    "johannesburg": (-26.2, 28.04, "ZA"),
    # the antimeridian: Fiji and Chukotka on both sides
    "suva": (-18.1416, 178.4419, "FJ"),
    "taveuni_west_of_180": (-16.85, -179.95, "FJ"),
    "lakeba": (-18.2, -178.8, "FJ"),
    "apia": (-13.83, -171.76, "WS"),
    "noumea": (-22.27, 166.45, None),
    "papeete": (-17.53, -149.57, None),
    "chukotka_west": (65.0, 175.0, "RU"),
    "chukotka_east": (66.0, -172.5, "RU"),
    "nome": (64.50, -165.41, None),
}


@pytest.fixture(scope="module")
def border_point() -> tuple[float, float]:
    return _shared_vertex("SY", "JO")


@pytest.fixture(scope="module", params=["sqlite", "postgis"])
def store(request, open_backend, border_point):
    """A real store holding one incident per catalogue point, plus attribute variety for the filters; every
    region test runs on the SQLite store and on a PostGIS store (skipped when no server can run here)."""
    s = open_backend(request.param)
    incidents = []
    for i, (name, (lat, lon, _)) in enumerate(CATALOGUE.items()):
        incidents.append(Incident(
            event_id_cnty=name, event_date=f"2024-01-{(i % 28) + 1:02d}", latitude=lat, longitude=lon,
            event_type="Battles" if i % 2 else "Explosions/Remote violence",
            sub_event_type="Armed clash" if i % 2 else "Air/drone strike",
            actor1="Forces Armées Syriennes" if i % 3 == 0 else "Islamic Resistance in Iraq",
            admin1="Deir ez-Zor" if name == "abu_kamal" else "", country_code="SY" if name == "abu_kamal" else None,
            status="claimed" if i % 4 == 0 else "reported", fatalities=i))
    lat, lon = border_point
    incidents.append(Incident(event_id_cnty="on_sy_jo_border", event_date="2024-02-01", latitude=lat, longitude=lon))
    incidents.append(Incident(event_id_cnty="unlocated", event_date="2024-02-02"))
    assert s.add_incidents(incidents) == len(incidents)
    return s


def ids(frame) -> set[str]:
    return set(frame["event_id_cnty"])


# --- countries: Natural Earth polygons, multipolygons, holes, borders, antimeridian ----------------------

@pytest.mark.parametrize("key", ["US", "USA", "United States of America"])
def test_multipolygon_country_by_iso2_iso3_name(store, key):
    got = ids(query(country=key, store=store))
    assert got == {n for n, (_, _, cc) in CATALOGUE.items() if cc == "US"}
    assert {"anchorage", "honolulu", "attu_aleutians_east_of_180", "adak_aleutians"} <= got


@pytest.mark.parametrize("iso2", ["ID", "ZA", "FJ", "RU", "SY", "JO", "TL"])
def test_country_matches_catalogue(store, iso2):
    expected = {n for n, (_, _, cc) in CATALOGUE.items() if cc == iso2}
    got = ids(query(country=iso2, store=store)) - {"on_sy_jo_border"}
    assert got == expected


def test_hole_of_south_africa_excludes_lesotho(store):
    got = ids(query(country="ZA", store=store))
    assert "johannesburg" in got and "maseru_in_hole" not in got
    assert "maseru_in_hole" in ids(query(country="Lesotho", store=store))


def test_point_exactly_on_border_is_in_both_countries(store, border_point):
    lat, lon = border_point
    for iso in ("SY", "JO"):
        region = build_spec(country=iso).regions[0]
        assert region.contains(np.array([lon]), np.array([lat]))[0], iso
        assert "on_sy_jo_border" in ids(query(country=iso, store=store))
    assert "on_sy_jo_border" not in ids(query(country="IQ", store=store))


def test_country_results_are_geodataframe_in_wgs84(store):
    frame = query(country="SY", store=store)
    assert frame.crs.to_epsg() == 4326
    row = frame.set_index("event_id_cnty").loc["al_tanf"]
    assert (row.geometry.x, row.geometry.y) == (38.61778, 33.50583)   # x=lon, y=lat
    assert list(frame["event_date"]) == sorted(frame["event_date"])


def test_unknown_country_says_so():
    with pytest.raises(NotFoundError, match="unknown country 'Atlantis'"):
        build_spec(country="Atlantis")


# --- bbox ---------------------------------------------------------------------------------------------

def test_bbox_across_antimeridian_fiji(store):
    got = ids(query(bbox="170,-25,-170,-10", store=store))
    assert got == {"suva", "taveuni_west_of_180", "lakeba", "apia"}


def test_bbox_across_antimeridian_chukotka(store):
    got = ids(query(bbox=(170, 60, -168, 70), store=store))
    assert got == {"chukotka_west", "chukotka_east"}     # Nome (-165.41) is east of -168


def test_bbox_edges_are_inside(store):
    lat, lon, _ = CATALOGUE["al_tanf"]
    assert "al_tanf" in ids(query(bbox=(lon, lat, lon + 1, lat + 1), store=store))
    assert "al_tanf" in ids(query(bbox=(lon - 1, lat - 1, lon, lat), store=store))
    assert "al_tanf" not in ids(query(bbox=(lon + 1e-9, lat, lon + 1, lat + 1), store=store))


@pytest.mark.parametrize("bad, reason", [
    ("40,35,38,33,1", "expected 4 numbers"),
    ("38,35,40,33", "inverted bbox"),
    ("38,x,40,33", "not a number"),
    ("38,33,200,35", "outside -180..180"),
    ("38,-95,40,35", "outside -90..90"),
])
def test_bad_bbox(bad, reason):
    with pytest.raises(InputError, match=reason):
        parse_bbox(bad)


def test_antimeridian_bbox_splits_in_two():
    box = parse_bbox("170,-25,-170,-10")
    assert box.crosses_antimeridian
    assert box.boxes() == [(170.0, -25.0, 180.0, -10.0), (-180.0, -25.0, -170.0, -10.0)]
    assert list(box.contains(np.array([180.0, -180.0, 175.0, 0.0]), np.array([-20.0] * 4))) == [True, True, True, False]


# --- radius: geodesic, checked against geopy (geographiclib), an independent implementation -----------

def test_radius_matches_independent_geodesic(tmp_path):
    rng = random.Random(22)
    centre = (33.31, 38.70)
    pts = [(centre[0] + rng.uniform(-1, 1), centre[1] + rng.uniform(-1.2, 1.2)) for _ in range(2000)]
    s = open_store(tmp_path / "r.sqlite")
    s.add_incidents(Incident(event_id_cnty=f"p{i}", event_date="2024-01-28", latitude=la, longitude=lo)
                    for i, (la, lo) in enumerate(pts))
    got = ids(query(lat=centre[0], lon=centre[1], radius_km=50, store=s))
    expected = {f"p{i}" for i, p in enumerate(pts) if geodesic(centre, p).km <= 50}
    s.close()
    assert 200 < len(expected) < 1000
    assert got == expected
    from pyproj import Geod          # and a fresh pyproj ellipsoid agrees with geographiclib
    lats, lons = np.array(pts).T
    _, _, metres = Geod(ellps="WGS84").inv(np.full(lats.size, centre[1]), np.full(lats.size, centre[0]), lons, lats)
    assert {f"p{i}" for i in np.flatnonzero(metres <= 50_000)} == expected


@pytest.mark.parametrize("lat, lon, radius_km", [
    (33.31, 38.70, 50),        # Tower 22
    (-17.0, 179.9, 300),       # circle across the antimeridian
    (88.5, 10.0, 400),         # circle over the North Pole
    (-89.0, -60.0, 200),       # circle over the South Pole
    (66.0, -172.5, 1500),      # large circle at high latitude (longitude extent wider than due east/west)
])
def test_radius_prefilter_box_holds_the_whole_circle(lat, lon, radius_km):
    region = RadiusRegion(lat, lon, radius_km)
    boxes = region.boxes()
    az = np.arange(0, 360, 0.25)
    for frac in (0.5, 0.999):
        plons, plats, _ = geoinc.regions.geod().fwd(np.full(az.size, lon), np.full(az.size, lat), az,
                                                    np.full(az.size, radius_km * 1000 * frac))
        inside = BBoxRegion(*boxes[0]).contains(plons, plats)
        for b in boxes[1:]:
            inside |= BBoxRegion(*b).contains(plons, plats)
        assert inside.all(), (lat, lon, radius_km, frac)
        assert region.contains(plons, plats).all()


def test_radius_boundary_is_inside_and_just_beyond_is_not():
    region = RadiusRegion(33.31, 38.70, 50.0)
    az = np.arange(0, 360, 15.0)
    g = geoinc.regions.geod()
    n = az.size
    in_lon, in_lat, _ = g.fwd(np.full(n, 38.70), np.full(n, 33.31), az, np.full(n, 49_999.0))
    out_lon, out_lat, _ = g.fwd(np.full(n, 38.70), np.full(n, 33.31), az, np.full(n, 50_001.0))
    assert region.contains(in_lon, in_lat).all()
    assert not region.contains(out_lon, out_lat).any()


def test_country_and_radius_are_anded(store):
    # Tower 22 is in Jordan; Al-Tanf, 22 km north, is in Syria
    assert ids(query(lat=33.31, lon=38.70, radius_km=50, store=store)) >= {"tower22", "al_tanf"}
    assert ids(query(country="SY", lat=33.31, lon=38.70, radius_km=50, store=store)) == {"al_tanf"}
    assert ids(query(country="SY", within="50 km of 33.31,38.70", store=store)) == {"al_tanf"}


@pytest.mark.parametrize("text, radius_km, name, point", [
    ("50 km of Tower 22", 50.0, "Tower 22", None),
    ("within 20 kilometres from Al-Tanf", 20.0, "Al-Tanf", None),
    ("12 miles around 'Rukban'", 12 * 1.609344, "Rukban", None),
    ("10 km of 33.31, 38.70", 10.0, None, (33.31, 38.70)),
    ("500 m of -17.5 -179.9", 0.5, None, (-17.5, -179.9)),
])
def test_parse_within(text, radius_km, name, point):
    w = parse_within(text)
    assert w.radius_km == pytest.approx(radius_km)
    assert w.name == name
    assert (w.lat, w.lon) == (point if point else (None, None))


@pytest.mark.parametrize("bad", ["Tower 22", "50 parsecs of Tower 22", "km of Tower 22", "10 km of 95,10"])
def test_bad_within(bad):
    with pytest.raises(InputError):
        parse_within(bad)


@pytest.mark.parametrize("kwargs, reason", [
    ({"lat": 33.3, "lon": 38.7}, "needs radius_km"),
    ({"lat": 33.3, "radius_km": 5}, "needs both lat and lon"),
    ({"lat": 33.3, "lon": 38.7, "radius_km": -5}, "must be > 0"),
    ({"lat": 33.3, "lon": 238.7, "radius_km": 5}, "outside -180..180"),
    ({"near": "Tower 22", "lat": 1, "lon": 2, "radius_km": 5}, "not both"),
])
def test_bad_radius(kwargs, reason):
    with pytest.raises(InputError, match=reason):
        build_spec(**kwargs)


# --- polygons: holes, multipolygons, boundaries, antimeridian, validation ------------------------------

SQUARE_WITH_HOLE = "POLYGON ((38 33, 41 33, 41 35, 38 35, 38 33), (40 34, 41.5 34, 41.5 34.8, 40 34.8, 40 34))"


def test_polygon_with_hole(store):
    # Al-Tanf is in the ring; Abu Kamal (40.92, 34.45) is in the hole
    got = ids(query(polygon=SQUARE_WITH_HOLE.replace("41.5", "40.95"), store=store))
    assert "al_tanf" in got and "tower22" in got and "abu_kamal" not in got
    assert "abu_kamal" in ids(query(polygon="POLYGON ((38 33, 41 33, 41 35, 38 35, 38 33))", store=store))


def test_polygon_boundary_and_hole_boundary_are_inside():
    region = parse_polygon("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (4 4, 6 4, 6 6, 4 6, 4 4))")
    lon = np.array([0.0, 10.0, 5.0, 4.0, 5.0, 5.0, 10.000001])
    lat = np.array([5.0, 10.0, 0.0, 5.0, 5.0, 6.0, 5.0])
    assert list(region.contains(lon, lat)) == [True, True, True, True, False, True, False]


def test_geojson_multipolygon_feature_collection(store):
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPolygon", "coordinates": [
            [[[38.5, 33.4], [38.8, 33.4], [38.8, 33.6], [38.5, 33.6], [38.5, 33.4]]],        # Al-Tanf
            [[[44.0, 33.0], [44.6, 33.0], [44.6, 33.6], [44.0, 33.6], [44.0, 33.0]]],        # Baghdad
        ]}}]}
    assert ids(query(polygon=json.dumps(fc), store=store)) == {"al_tanf", "baghdad"}
    assert ids(query(polygon=fc, store=store)) == {"al_tanf", "baghdad"}


def test_polygon_across_antimeridian_is_cut_and_wrapped(store):
    geojson = {"type": "Polygon", "coordinates": [[[175, -20], [185, -20], [185, -15], [175, -15], [175, -20]]]}
    region = parse_polygon(geojson)
    assert region.geometry().geom_type == "MultiPolygon"
    boxes = region.boxes()
    assert all(-180 <= b[0] <= b[2] <= 180 for b in boxes)
    assert min(b[0] for b in boxes) == -180 and max(b[2] for b in boxes) == 180
    assert {b[0] < 0 for b in boxes} == {True, False}      # pieces on both sides of 180°
    assert ids(query(polygon=geojson, store=store)) == {"suva", "taveuni_west_of_180", "lakeba"}


def test_polygon_file_for_cli(tmp_path, store):
    path = tmp_path / "area.wkt"
    path.write_text("POLYGON ((38.5 33.4, 38.8 33.4, 38.8 33.6, 38.5 33.6, 38.5 33.4))", encoding="utf-8")
    assert ids(query(polygon=str(path), store=store)) == {"al_tanf"}
    with pytest.raises(InputError):   # the API form never reads files: a path is just bad WKT there
        parse_polygon(str(path))


@pytest.mark.parametrize("bad, reason", [
    ("POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))", "invalid polygon: Self-intersection"),
    ("POLYGON ((0 0, 1 0", "invalid WKT"),
    ("POINT (1 2)", "expected a Polygon or MultiPolygon"),
    ('{"type": "Polygon", "coordinates": [[[0, 0], [1, 0]', "invalid GeoJSON"),
    ('{"type": "Feature", "geometry": null}', "no geometry"),
    ("POLYGON ((33 38, 35 38, 35 100, 33 100, 33 38))", "outside -90..90"),
    ("POLYGON EMPTY", "empty"),
])
def test_bad_polygon(bad, reason):
    with pytest.raises(InputError, match=reason):
        parse_polygon(bad)


# --- attribute filters and admin1 ----------------------------------------------------------------------

def test_actor_is_case_and_accent_insensitive(store):
    a = ids(query(actor="armees syriennes", store=store))
    b = ids(query(actor="FORCES ARMÉES", store=store))
    assert a == b and "tower22" in a and "al_tanf" not in a


def test_time_type_status_fatalities_filters(store):
    frame = query(since="2024-01-05", until="2024-01-10", event_type="battles", store=store)
    assert set(frame["event_date"]) <= {f"2024-01-{d:02d}" for d in range(5, 11)}
    assert set(frame["event_type"]) == {"Battles"}
    assert all(query(status="claimed", store=store)["status"] == "claimed")
    assert (query(min_fatalities=20, store=store)["fatalities"] >= 20).all()
    assert len(query(min_fatalities=20, store=store)) == len(CATALOGUE) - 20
    combined = query(country="US", sub_event_type="Air/drone strike", store=store)
    assert set(combined["sub_event_type"]) == {"Air/drone strike"}


def test_no_region_includes_unlocated_but_spatial_excludes(store):
    frame = query(since="2024-02-02", store=store)
    assert ids(frame) == {"unlocated"} and frame.geometry.iloc[0] is None
    assert "unlocated" not in ids(query(bbox="-180,-90,180,90", store=store))


def test_admin1_matches_the_field_folded(store):
    assert ids(query(admin1="deir-ez-zor", store=store)) == {"abu_kamal"}
    assert ids(query(admin1="DEIR EZ ZOR", country="SY", store=store)) == {"abu_kamal"}
    assert ids(query(admin1="Deir ez-Zor", country="IQ", store=store)) == set()


def test_admin1_by_geonames_code_uses_the_gazetteer_name(store):
    region = build_spec(admin1="SY.07").regions[0]
    assert region.country_code == "SY" and "deir ez zor" in region.names
    assert ids(query(admin1="SY.07", store=store)) == {"abu_kamal"}
    with pytest.raises(NotFoundError, match="unknown admin1 code"):
        build_spec(admin1="SY.99")


@pytest.mark.parametrize("kwargs, reason", [
    ({"since": "2024-13-01"}, "bad since"),
    ({"until": "28/01/2024"}, "expected a date as YYYY-MM-DD"),
    ({"since": "2024-02-01", "until": "2024-01-01"}, "after until"),
    ({"status": "rumoured"}, "bad status"),
    ({"min_fatalities": "many"}, "bad min_fatalities"),
])
def test_bad_filters(kwargs, reason):
    with pytest.raises(InputError, match=reason):
        build_spec(**kwargs)


def test_limit_and_public_reexport(store):
    assert geoinc.query is query
    assert len(query(bbox="-180,-90,180,90", limit=3, store=store)) == 3


def test_fold():
    assert fold("  Forces  Armées-Syriennes ") == "forces armees syriennes"


def test_area_region_boxes_stay_few_and_cover_the_country():
    region = build_spec(country="ID").regions[0]
    assert isinstance(region, AreaRegion)
    assert len(region.boxes()) <= 40
    # every vertex of every island lies in some prefilter box
    xy = shapely.get_coordinates(region.geometry())
    inside = np.zeros(len(xy), dtype=bool)
    for b in region.boxes():
        inside |= BBoxRegion(*b).contains(xy[:, 0], xy[:, 1])
    assert inside.all()
    us = build_spec(country="US").regions[0]
    total = sum((b[2] - b[0]) * (b[3] - b[1]) for b in us.boxes())
    assert total < 0.25 * 360 * 180     # not the whole -180..180 envelope of the US


# --- the index-only path: float32 R*Tree boxes decide most points, boundary points are re-tested exactly ---

def test_points_metres_from_boundaries_match_exact_predicates(tmp_path):
    rng = np.random.default_rng(7)
    sy = boundaries.country("SY").geometry
    verts = shapely.get_coordinates(sy)[::5]
    # points within ~1 m of the border (both sides), on vertices, and scattered over the region
    near = verts + rng.normal(0, 1e-5, verts.shape)
    pts = np.vstack([near, verts, np.column_stack([rng.uniform(35, 43, 1500), rng.uniform(32, 38, 1500)])])
    centre, radius = (33.31, 38.70), 50.0
    az = rng.uniform(0, 360, 400)
    ring_lon, ring_lat, _ = geoinc.regions.geod().fwd(np.full(400, centre[1]), np.full(400, centre[0]), az,
                                                       radius * 1000 + rng.uniform(-3, 3, 400))
    pts = np.vstack([pts, np.column_stack([ring_lon, ring_lat])])
    s = open_store(tmp_path / "edge.sqlite")
    s.add_incidents(Incident(event_id_cnty=f"e{i}", event_date="2024-01-01", longitude=float(x), latitude=float(y))
                    for i, (x, y) in enumerate(pts))
    lon, lat = pts[:, 0], pts[:, 1]
    try:
        got = ids(query(country="SY", store=s))
        assert got == {f"e{i}" for i in np.flatnonzero(shapely.intersects_xy(sy, lon, lat))}
        got = ids(query(lat=centre[0], lon=centre[1], radius_km=radius, store=s))
        expected = {f"e{i}" for i, (x, y) in enumerate(pts) if geodesic(centre, (y, x)).km <= radius}
        assert got == expected
        x0, y0 = float(lon[0]), float(lat[0])           # a bbox edge through a stored point
        got = ids(query(bbox=(x0, y0, x0 + 1, y0 + 1), store=s))
        expected = {f"e{i}" for i in np.flatnonzero((lon >= x0) & (lon <= x0 + 1) & (lat >= y0) & (lat <= y0 + 1))}
        assert got == expected and "e0" in got
    finally:
        s.close()


# ---------------------------------------------------------------------------------------------------
# the column-wise result path returns exactly what the row-by-row path returned

def _varied_incidents() -> list[Incident]:
    """Incidents that stress the column-wise reader: unicode, separators and quotes inside text, NULLs in
    some rows only, full-precision and out-of-range REALs, unlocated incidents, equal dates."""
    from geoinc.models import Source

    rng = random.Random(7)
    texts = ["Forces Armées Syriennes", "قوات سوريا الديمقراطية", "Ṭarṭūs — «quoted», 'single' \"double\"",
             "comma, separated, actor", "line\nbreak\ttab", "emoji 🚀🔥", "", "unit\x1fseparator inside",
             "percent % and back\\slash", "NULL"]
    out = []
    for i in range(160):
        located = i % 23 != 5
        lat = 33.0 + rng.random() * 4.0 if located else None            # full-precision doubles
        lon = 36.0 + rng.random() * 5.0 if located else None
        if i == 7:
            lat, lon = 35.0, 38.0                                          # whole numbers
        if i == 11:
            lat, lon = 34.12345, 39.5                                      # 5 decimals
        sources = [Source(article=f"a{i}", published="2024-02-01", quote=texts[(i + k) % len(texts)],
                          start=k * 10, end=k * 10 + 5, title="Titre é" if k else None, url=None)
                   for k in range(1 + i % 3)]
        out.append(Incident(
            event_id_cnty=f"VAR{i:04d}", event_date=f"2024-0{1 + i % 3}-{1 + (i * 7) % 5:02d}",
            year=2024, latitude=lat, longitude=lon,
            event_type=["Battles", "Explosions/Remote violence", "Protests"][i % 3],
            sub_event_type=texts[i % len(texts)], actor1=texts[(i * 3) % len(texts)],
            actor2=texts[(i * 5) % len(texts)] if i % 4 else "", notes=texts[(i * 7) % len(texts)] * (1 + i % 2),
            location=f"place {i % 9}", fatalities=(i * 37) % 11 if i % 6 else 2 ** 40 + i,
            injuries=None if i % 2 else i, fatalities_best=None, status=list(STATUS_CYCLE)[i % 4],
            date_start=None if i % 5 else "2024-01-01", country_code=None if i % 3 else "SY",
            location_confidence=None if i % 4 else rng.random(), claimant=texts[i % len(texts)] if i % 7 == 0 else "",
            sources=sources,
        ))
    return out


STATUS_CYCLE = ("reported", "claimed", "confirmed", "denied")


@pytest.fixture(scope="module")
def varied_store(tmp_path_factory):
    s = open_store(tmp_path_factory.mktemp("varied") / "varied.sqlite")
    s.add_incidents(_varied_incidents())
    yield s
    s.close()


def _row_path(store, spec):
    """The row-by-row result path (what geoinc.query did before the column-wise reader)."""
    from geoinc.store.columns import rows_to_frame
    from geoinc.store.sqlite_query import load_rows, select

    sel = select(store.conn, spec, by_date=spec.limit is not None)
    return rows_to_frame(*load_rows(store.conn, sel.fids, by_date=spec.limit is None))


@pytest.mark.parametrize("kwargs", [
    {"bbox": "35,32,42,38"},
    {"lat": 35.0, "lon": 38.5, "radius_km": 150},
    {"country": "SY"},
    {"since": "2024-01-01"},                                    # no region: unlocated incidents too
    {"bbox": "35,32,42,38", "status": "claimed"},
    {"bbox": "35,32,42,38", "limit": 17},
    {"since": "2024-02-01", "limit": 9},
    {"bbox": "0,0,1,1"},                                        # nothing
])
def test_column_wise_result_equals_row_by_row_result(varied_store, kwargs):
    import pandas as pd

    from geoinc.regions import run

    spec = build_spec(**kwargs)
    fast = run(spec, varied_store)
    slow = _row_path(varied_store, spec)
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    assert list(fast.dtypes) == list(slow.dtypes)
    assert fast.crs == slow.crs and fast.crs.to_epsg() == 4326
    assert list(fast.geometry.to_wkb()) == list(slow.geometry.to_wkb())
    assert list(fast["event_date"]) == sorted(fast["event_date"]) or "limit" in kwargs


def test_column_wise_values_are_exact(varied_store):
    """Doubles keep every bit, unicode/separator/quote text survives, NULLs stay NULL, JSON sources intact."""
    import pandas as pd

    frame = run_query(varied_store, {"since": "2024-01-01"})
    by_id = {inc.event_id_cnty: inc for inc in _varied_incidents()}
    assert len(frame) == len(by_id)
    for rec in frame.to_dict("records"):
        inc = by_id[rec["event_id_cnty"]]
        for name in ("latitude", "longitude", "location_confidence"):
            want = getattr(inc, name)
            assert (np.isnan(rec[name]) if want is None else rec[name] == want), (name, rec[name], want)
        for name in ("actor1", "actor2", "notes", "sub_event_type", "claimant", "status"):
            assert rec[name] == getattr(inc, name)
        assert (rec["date_start"] is None or pd.isna(rec["date_start"])) if inc.date_start is None else \
            rec["date_start"] == inc.date_start
        assert pd.isna(rec["injuries"]) if inc.injuries is None else rec["injuries"] == inc.injuries
        assert rec["fatalities"] == inc.fatalities
        assert json.loads(rec["sources"]) == [s.to_dict() for s in inc.sources]
        assert (rec["geometry"] is None) == (inc.latitude is None)
        if inc.latitude is not None:
            assert (rec["geometry"].x, rec["geometry"].y) == (inc.longitude, inc.latitude)


def run_query(store, kwargs):
    from geoinc.regions import run

    return run(build_spec(**kwargs), store)


def test_read_columns_falls_back_per_column_and_reads_reals_exactly(varied_store):
    """Columns the aggregate cannot carry (a separator inside a value, NULL in some rows, a REAL too small
    for the integer split) are read row by row; the others come from the aggregate, bit for bit."""
    from geoinc.store.sqlite_query import read_columns

    conn = varied_store.conn
    fids = np.array([r[0] for r in conn.execute("SELECT fid FROM incidents").fetchall()], dtype=np.int64)
    fid, cols = read_columns(conn, fids[::-1])
    assert np.array_equal(fid, np.sort(fids))
    rows = {r[0]: r[1:] for r in conn.execute("SELECT fid, latitude, notes, injuries FROM incidents")}
    for f, lat, notes, inj in zip(fid.tolist(), cols["latitude"], _plain(cols["notes"]), _plain(cols["injuries"])):
        want_lat, want_notes, want_inj = rows[f]
        assert (np.isnan(lat) if want_lat is None else lat == want_lat)
        assert notes == want_notes
        assert inj == want_inj


def _plain(values):
    """A column as read_columns returns it (list, array, Int64Column, StrColumn) -> plain Python values."""
    from geoinc.store.columns import Int64Column, StrColumn

    if isinstance(values, Int64Column):
        mask = values.mask if values.mask is not None else np.zeros(values.data.size, dtype=bool)
        return [None if m else int(v) for v, m in zip(values.data.tolist(), mask.tolist())]
    if isinstance(values, StrColumn):
        return list(values.data)
    return list(values)


def test_values_the_aggregate_cannot_carry_come_back_as_the_row_path_reads_them(tmp_path):
    """A REAL too small for the integer split, and bytes that are not UTF-8 in a text column (which make the
    aggregate itself fail), still give exactly the row path's frame."""
    import pandas as pd

    from geoinc.regions import run
    from geoinc.store.sqlite_query import read_columns

    s = open_store(tmp_path / "odd.sqlite")
    s.add_incidents(_varied_incidents()[:40])
    fids = np.array([r[0] for r in s.conn.execute("SELECT fid FROM incidents ORDER BY fid")], dtype=np.int64)
    with s.transaction() as c:
        for f in fids:
            c.execute("UPDATE incidents SET location_confidence = ? WHERE fid = ?", (0.25, int(f)))
        c.execute("UPDATE incidents SET location_confidence = ? WHERE fid = ?", (1e-300, int(fids[0])))
    fid, cols = read_columns(s.conn, fids)
    assert cols["location_confidence"][0] == 1e-300 and cols["location_confidence"][1] == 0.25
    spec = build_spec(since="2024-01-01")
    pd.testing.assert_frame_equal(run(spec, s), _row_path(s, spec), check_exact=True)
    with s.transaction() as c:
        c.execute("UPDATE incidents SET notes = ? WHERE fid = ?", (b"\xff\xfe not text", int(fids[3])))
    fast = run(spec, s)
    pd.testing.assert_frame_equal(fast, _row_path(s, spec), check_exact=True)
    assert b"\xff\xfe not text" in list(fast["notes"])
    s.close()


def test_aggregate_carries_clean_columns_and_hands_back_the_rest(varied_store):
    """Which path each column takes on the located incidents: full-precision coordinates and plain text
    through the aggregate; a separator inside a value or NULL in some rows only through the row statement."""
    from geoinc.store.columns import aggregate_sql as _aggregate_sql, decode_aggregate as _decode_aggregate
    from geoinc.store.records import numeric_columns as _numeric_columns
    from geoinc.store.sqlite_query import _cursor, _json_fids, _stored_result_columns

    conn = varied_store.conn
    ints, floats = _numeric_columns()
    stored = _stored_result_columns(conn)
    fids = [r[0] for r in conn.execute("SELECT fid FROM incidents WHERE latitude IS NOT NULL")]
    row = _cursor(conn).execute(_aggregate_sql(stored, ints, floats), (_json_fids(fids),)).fetchone()
    fid, values, rowwise = _decode_aggregate(row, stored, ints, floats)
    assert len(fid) == len(fids)
    assert {"latitude", "longitude", "event_type", "year", "fatalities", "location"} <= set(values)
    assert {"notes", "actor1", "injuries", "date_start", "country_code"} <= set(rowwise)
    assert values["fatalities_best"] is None                       # NULL everywhere: no values read at all
