"""Distance and direction checks: verdicts on the sample article and on the team's own sentences, the
tolerance rules, and border distances against an independent computation."""
from __future__ import annotations

import math
import random

import numpy as np
import pytest
import shapely
from pyproj import Geod, Transformer

from geoinc import boundaries
from geoinc.claims.measure import Tolerance, band, check_distances, conversions_agree
from geoinc.geodesy import aeqd_xy, angle_diff, compass_name, in_sector, inverse
from geoinc.models import Place

GEOD = Geod(ellps="WGS84")

# Reference points of ../shared/samples/README.md (each with its source there); injected so that these
# tests check the claim logic and geometry whatever the gazetteer holds.
REF = {
    "Tower 22": Place("ref:tower-22", "Tower 22", 33.31, 38.70, "base", "JO"),
    "Al-Tanf": Place("ref:al-tanf", "Al-Tanf", 33.50583, 38.61778, "base", "SY"),
    "Rukban": Place("ref:rukban", "Rukban", 33.31405, 38.70342, "camp", "JO"),
    "Boukamal": Place("ref:boukamal", "Abu Kamal", 34.45226, 40.91854, "town", "SY"),
    "Syria": Place("ref:sy", "Syria", 35.0, 38.3, "country", "SY"),
    "Jordan": Place("ref:jo", "Jordan", 31.2, 36.5, "country", "JO"),
    "Iraq": Place("ref:iq", "Iraq", 33.0, 43.7, "country", "IQ"),
}
REF["al-Tanf"] = REF["Al Tanf"] = REF["Al-Tanf"]
REF["Abu Kamal"] = REF["Boukamal"]


def check(text, **kw):
    return check_distances(text, mentions=[], gazetteer=REF, **kw)


def only(text, **kw):
    claims = check(text, **kw)
    assert len(claims) == 1, claims
    return claims[0]


# --------------------------------------------------------------------------------------- the sample


@pytest.mark.shared
def test_sample_article_iraqi_border_claim(sample_texts):
    text = sample_texts["tower22-iran-avoids-war"]
    claims = check(text)
    assert len(claims) == 1
    c = claims[0]
    assert c.text == "The Iraqi border is only 10 kilometers away" and text[c.start:c.end] == c.text
    assert c.anchor == "Tower 22" and c.implicit_anchor and "passage" in c.reason
    assert c.target == "Iraq border" and c.target_kind == "border"
    assert 8.0 <= c.measured_km <= 9.0
    assert c.stated_km == 10 and c.qualifier == "only"
    assert c.verdict == "consistent"
    # the nearest border point is on the Iraq–Jordan line, and the map line's ends are filled
    assert "Iraq–Jordan border" in c.geometry
    assert inverse(c.anchor_lat, c.anchor_lon, c.target_lat, c.target_lon)[0] == pytest.approx(c.measured_km, abs=0.01)
    assert boundaries.country_at(c.target_lat + 0.01, c.target_lon + 0.05).iso2 == "IQ"


@pytest.mark.shared
def test_sample_article_full_pipeline(sample_texts):
    """The same claim through the real geoparser and gazetteer (no injected places)."""
    c, = check_distances(sample_texts["tower22-iran-avoids-war"], published="2024-02-03")
    assert c.anchor == "Tower 22" and c.implicit_anchor and c.target == "Iraq border"
    assert 8.0 <= c.measured_km <= 9.0 and c.verdict == "consistent"
    # the other article states no distance; "the sectors of Al-Tanf and Rukban, near the border with Jordan"
    # is a border-proximity claim (Rukban is ~2 km from it); "northeastern Jordan, near the Syrian border"
    # is about a whole country and is not a claim
    near, = check_distances(sample_texts["tower22-us-vows-response"])
    assert (near.kind, near.subject, near.stated_km, near.verdict) == ("border-near", "Rukban", None, "consistent")
    assert near.measured_km < 5
    from geoinc.gazetteer.index import default_gazetteer

    c2, = check_distances(sample_texts["tower22-iran-avoids-war"], gazetteer=default_gazetteer())
    assert c2 == c


@pytest.mark.parametrize("text,verdict,anchor,target", [
    ("A small American garrison at al-Tanf in Syria is just 20 kilometers (12 miles) north of Tower 22.",
     "consistent", "Tower 22", "Al-Tanf"),
    ("Al-Tanf is 20 km south of Tower 22.", "inconsistent", "Tower 22", "Al-Tanf"),
    ("Rukban lies within 5 km of the border between Jordan and Syria.", "consistent", "Rukban", "Jordan–Syria border"),
    ("The shelling hit Kharkiv, about 30 km from the Russian border.", "consistent", "Kharkiv", "Russia border"),
    ("Zzyzxville is 40 km east of Tower 22.", "unverifiable", "Tower 22", "Zzyzxville"),
])
def test_team_sentences_full_pipeline(text, verdict, anchor, target):
    c, = check_distances(text)
    assert (c.verdict, c.anchor, c.target) == (verdict, anchor, target)


# --------------------------------------------------------------------------------- team sentences


def test_al_tanf_north_of_tower22_is_consistent():
    c = only("A small US garrison at al-Tanf in Syria is just 20 kilometers (12 miles) north of Tower 22.")
    assert (c.anchor, c.target) == ("Tower 22", "Al-Tanf")
    assert c.measured_km == pytest.approx(23.0, abs=0.5)
    assert c.bearing_deg == pytest.approx(340, abs=3)
    assert c.stated_direction == "N" and c.direction_ok is True
    assert c.conversions_agree is True and c.conversion_km == pytest.approx(19.31, abs=0.01)
    assert c.verdict == "consistent"
    assert (c.anchor_lat, c.anchor_lon, c.target_lat, c.target_lon) == (33.31, 38.70, 33.50583, 38.61778)


def test_wrong_direction_is_inconsistent():
    c = only("Al-Tanf is 20 km south of Tower 22.")
    assert c.direction_ok is False and c.verdict == "inconsistent"
    assert "outside the S sector" in c.reason and "340°" in c.reason or "341°" in c.reason


def test_miles_that_are_too_many_are_inconsistent():
    c = only("Our reporter says al-Tanf is just 19 miles north of Tower 22.")
    assert c.stated_km == pytest.approx(30.58, abs=0.01)
    assert c.measured_km == pytest.approx(23.0, abs=0.5)
    assert c.direction_ok is True and c.verdict == "inconsistent"


def test_disagreeing_conversion_is_reported():
    c = only("Al-Tanf lies 19 miles (20 km) north of Tower 22.")
    assert c.conversions_agree is False
    assert "conversion disagrees" in c.reason and "30.6 km" in c.reason
    assert "would agree" in c.reason          # the 20 km of the parenthesis fits the measurement
    assert c.verdict == "inconsistent"        # the number given first is the claim


def test_km_and_miles_to_a_border():
    c = only("Tower 22 is about 5 miles from the Iraqi border.")
    assert c.stated_km == pytest.approx(8.05, abs=0.01)
    assert c.verdict == "consistent" and not c.implicit_anchor
    c = only("Tower 22 is 50 km from the Iraqi border.")
    assert c.verdict == "inconsistent"


def test_implicit_anchor_from_the_previous_sentence():
    c = only("Guards at Tower 22 doubled their patrols. The Syrian border lies 2 km to the north.")
    assert c.anchor == "Tower 22" and c.implicit_anchor
    assert c.target == "Syria border" and c.measured_km == pytest.approx(2.16, abs=0.3)
    assert c.direction_ok is True and c.verdict == "consistent"


def test_fronted_claim_is_about_the_rest_of_its_sentence():
    c = only("Al-Tanf was attacked on Sunday. Only 10 kilometres from the Iraqi border, Tower 22 was hit too.")
    assert c.anchor == "Tower 22" and c.implicit_anchor and c.verdict == "consistent"


def test_border_subject_followed_by_another_clause_keeps_the_previous_topic():
    text = ("Tower 22 is a small logistics outpost. The Iraqi border is only 10 kilometers away, and the "
            "garrison at Al-Tanf lies about 20 km (12 miles) to the north of Tower 22.")
    first, second = check(text)
    assert first.anchor == "Tower 22" and first.verdict == "consistent"
    assert (second.anchor, second.target, second.verdict) == ("Tower 22", "Al-Tanf", "consistent")


def test_implicit_end_for_an_unnamed_subject():
    c = only("Drones were seen over al-Tanf on Sunday. The outpost is 20 km south of Tower 22.")
    # the outpost is al-Tanf (taken from the passage); it is north of Tower 22, not south
    assert c.implicit_anchor and "Al-Tanf" in c.reason
    assert c.direction_ok is False and c.verdict == "inconsistent"


def test_implicit_end_is_the_topic_of_the_previous_sentence():
    text = ("Al-Tanf, a garrison near the Rukban camp, was attacked at dawn. "
            "Tower 22, about 20 kilometres to the south, was hit as well.")
    c = only(text)
    assert (c.anchor, c.target) == ("Al-Tanf", "Tower 22") and c.implicit_anchor
    assert c.direction_ok is True and c.verdict == "consistent"


def test_capitalised_common_words_are_not_places():
    c = only("Patrols left Tower 22 at dawn. Guards said the Syrian border is about 2 km away.")
    assert c.anchor == "Tower 22" and c.target == "Syria border" and c.verdict == "consistent"


def test_far_implicit_place_makes_the_claim_unverifiable():
    c = only("Abu Kamal was shelled overnight. The Iraqi border is only 7 kilometers away.")
    assert c.anchor == "Abu Kamal" and c.verdict == "consistent"           # Abu Kamal is on the border
    c = only("Tower 22 was quiet. The Egyptian border is 10 km away.")
    assert c.verdict == "unverifiable" and "probably not the place meant" in c.reason
    c = only("Tower 22 is 300 km from the Egyptian border.")                 # named: a wrong claim, not a wrong guess
    assert c.verdict == "inconsistent"


def test_unnamed_thing_that_is_not_a_place_is_unverifiable():
    c = only("Missiles struck a cargo ship near Tower 22, leaving the ship adrift nearly 70 km west of Al-Tanf.")
    assert c.verdict == "unverifiable" and "not a named place" in c.reason


@pytest.mark.parametrize("text", [
    "Rukban lies within 5 km of the border between Jordan and Syria.",
    "Rukban is barely 2 km from the Jordan–Syria border.",
    "Rukban is 2 km from the Jordanian-Syrian border.",
])
def test_border_between_two_named_countries(text):
    c = only(text)
    assert c.target == "Jordan–Syria border" and "Jordan–Syria border" in c.geometry
    assert c.measured_km == pytest.approx(1.95, abs=0.3)
    assert c.verdict == "consistent"


def test_border_pair_that_does_not_touch_is_unverifiable():
    c = only("Rukban is 2 km from the Iraq–Egypt border.")
    assert c.verdict == "unverifiable" and "share no land border" in c.reason


def test_at_least_and_about():
    assert only("Rukban is at least 15 km from Al-Tanf.").verdict == "consistent"
    assert only("Rukban is at least 40 km from Al-Tanf.").verdict == "inconsistent"
    assert only("Rukban is at least 10 miles from the Jordan–Syria border.").verdict == "inconsistent"
    c = only("The distance between Tower 22 and al-Tanf is about thirty kilometres.")
    # "about" does not widen the band: 23 km measured, 25 % of it is 5.75 km, 30 is 7 km off
    assert c.verdict == "inconsistent" and c.tolerance_km == pytest.approx(0.25 * c.measured_km, abs=0.01)
    assert only("The distance between Tower 22 and al-Tanf is thirty kilometres.").verdict == "inconsistent"


def test_more_than_and_less_than_bounds():
    assert only("Abu Kamal is more than 200 km from Tower 22.").verdict == "consistent"
    assert only("Boukamal is less than 100 km from Tower 22.").verdict == "inconsistent"


def test_unresolvable_place_is_unverifiable():
    c = only("Zzyzxville is 40 km east of Tower 22.")
    assert c.verdict == "unverifiable" and "unresolved place 'Zzyzxville'" in c.reason
    assert c.measured_km is None


def test_both_ends_on_one_place_is_unverifiable():
    c = only("The Tower 22 water plant is 50 km from Tower 22.")
    assert c.verdict == "unverifiable" and "both ends resolve to Tower 22" in c.reason


def test_unknown_country_border_is_unverifiable():
    c = only("Tower 22 is 10 km from the Narnian border.")
    assert c.verdict == "unverifiable" and "no boundary data" in c.reason


def test_country_as_an_end_means_its_border():
    c = only("Al-Tanf is 20 km from Iraq.")
    assert c.target == "Iraq border" and c.target_kind == "border" and c.verdict == "consistent"


def test_tolerance_is_configurable():
    text = "Al-Tanf is 20 km north of Tower 22."
    assert only(text).verdict == "consistent"
    strict = only(text, tolerance=Tolerance(relative=0.05, absolute_km=0.5))
    assert strict.verdict == "inconsistent" and strict.tolerance_km == pytest.approx(0.05 * strict.measured_km, abs=0.01)


def test_bad_arguments_raise_input_errors():
    from geoinc.errors import InputError

    with pytest.raises(InputError):
        check_distances(b"Tower 22 is 10 km from Iraq.")
    with pytest.raises(InputError):
        Tolerance(relative=-0.1)
    with pytest.raises(InputError):
        check_distances("Tower 22 is 10 km from Iraq.", tolerance=0.2)


def test_region_as_a_point_is_unverifiable():
    gaz = {**REF, "Mafraq": Place("ref:mafraq-gov", "Mafraq Governorate", 32.5, 37.5, "admin1", "JO")}
    c = check_distances("Tower 22 is 150 km from Mafraq.", mentions=[], gazetteer=gaz)[0]
    assert c.verdict == "unverifiable" and "too large" in c.reason


def test_no_claims_in_plain_text():
    assert check("Tower 22 houses about 350 US troops.") == []


# ----------------------------------------------------------------------------------------- rules


def test_band_rules():
    # the gold rule: |stated − true| <= max(25 % of the TRUE distance, 5 km); hedges do not widen it
    tol = Tolerance()
    assert band(10, "exact", tol)[:2] == (5, 15)
    assert band(50, "exact", tol)[:2] == pytest.approx((40, 50 / 0.75))        # 40 + 25 % of 40 = 50
    assert band(50, "about", tol)[:2] == band(50, "exact", tol)[:2] == band(50, "nearly", tol)[:2]
    assert band(50, "min", tol)[:2] == (40, math.inf)
    assert band(50, "max", tol)[:2] == pytest.approx((0, 50 / 0.75))
    assert band(100, "range", tol, high_km=150)[:2] == pytest.approx((80, 200))
    wide = Tolerance(about_factor=1.5)
    assert band(50, "about", wide)[0] < band(50, "about", tol)[0]


def test_road_distance_is_remarked_and_stays_inconsistent():
    # 30 km stated, 23 km straight line: 1.3 times, as a road distance would be
    c = only("Al-Tanf lies 30 km north of Tower 22.")
    assert c.verdict == "inconsistent" and "road distance" in c.reason
    c = only("Al-Tanf lies 60 km north of Tower 22.")
    assert c.verdict == "inconsistent" and "road distance" not in c.reason


def test_conversion_agreement():
    tol = Tolerance()
    assert conversions_agree(20, 20, 1, 12 * 1.609344, 12, 1.609344, tol)
    assert not conversions_agree(19 * 1.609344, 19, 1.609344, 20, 20, 1, tol)


def test_compass():
    assert in_sector(340, "N") and not in_sector(340, "S") and not in_sector(340, "NNE")
    assert in_sector(340, "NNW") and compass_name(340) == "NNW" and angle_diff(350, 10) == 20


# ----------------------------------------------------------------------------------------- geometry


def test_local_aeqd_matches_proj():
    lat0, lon0 = 33.31, 38.70
    lats, lons = np.array([33.5, 34.45, 32.0]), np.array([38.6, 40.9, 36.0])
    x, y = aeqd_xy(lat0, lon0, lats, lons)
    proj = Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +ellps=WGS84 +units=m",
                                always_xy=True)
    px, py = proj.transform(lons, lats)
    assert np.allclose(x, px, atol=1.0) and np.allclose(y, py, atol=1.0)


PAIRS = [("JO", "IQ"), ("JO", "SY"), ("SY", "IQ"), ("SY", "TR"), ("IQ", "IR"), ("JO", "SA"), ("IQ", "SA"),
         ("LB", "SY"), ("UA", "RU"), ("SD", "TD"), ("YE", "SA"), ("IQ", "TR")]


def independent_km(line, lat, lon):
    """Min geodesic distance to every vertex of the line densified to ~100 m (no index, no projection)."""
    dense = shapely.segmentize(line, 0.0009)
    coords = shapely.get_coordinates(dense)
    n = len(coords)
    _, _, dist = GEOD.inv(np.full(n, lon), np.full(n, lat), coords[:, 0], coords[:, 1])
    return float(dist.min()) / 1000


def test_border_distance_against_independent_computation():
    rng = random.Random(20240128)
    errors = []
    for i in range(24):
        a, b = PAIRS[i % len(PAIRS)]
        whole = i % 4 == 3                                  # every fourth point: a whole country boundary
        line = boundaries.boundary(a) if whole else boundaries.land_border(a, b)
        on = line.interpolate(rng.random(), normalized=True)
        lon, lat, _ = GEOD.fwd(on.x, on.y, rng.uniform(0, 360), rng.uniform(0, 40_000))
        mine = (boundaries.border_line(a) if whole else boundaries.border_line(a, b)).nearest(lat, lon)
        ref = independent_km(line, lat, lon)
        errors.append(abs(mine.km - ref))
        assert abs(mine.km - ref) < 1.0, (a, b, whole, lat, lon, mine.km, ref)
        # the reported nearest point is where it says and lies on the line
        assert inverse(lat, lon, mine.lat, mine.lon)[0] == pytest.approx(mine.km, abs=0.005)
        assert line.distance(shapely.Point(mine.lon, mine.lat)) < 1e-3
    assert float(np.median(errors)) < 0.1


def test_border_distance_far_from_the_border():
    """Points hundreds of km away go through the spherical prefilter; still exact to the independent check."""
    rng = random.Random(7)
    line = boundaries.boundary("IQ")
    prepared = boundaries.border_line("IQ")
    for _ in range(6):
        lat, lon = rng.uniform(20, 42), rng.uniform(25, 55)
        mine = prepared.nearest(lat, lon)
        assert abs(mine.km - independent_km(line, lat, lon)) < 1.0


def test_point_test_skips_only_names_whose_lookup_cannot_give_a_point():
    """A subject's further names are looked up only when the look-up can answer a specific place: "Syria" never
    (its only candidate is the country); "Iraq" may (an alias of Arāk, Iran) when Iran is among the story's
    countries; names of several words always; other resolvers (a mapping) are not tested."""
    from geoinc.claims.ends import make_point_test, make_resolver
    from geoinc.gazetteer.index import default_gazetteer

    may = make_point_test(None, ["JO", "SY", "IQ", "IR"])
    assert may is not None
    assert may("Syria") is False and may("Iran") is False
    assert may("Iraq") is True and may("Rukban") is True and may("Deir ez-Zor") is True
    resolve = make_resolver(None, ["JO", "SY", "IQ", "IR"])
    for name in ("Syria", "Iran", "Jordan", "Iraq", "Rukban"):
        if not may(name):                       # what the look-up answers is indeed broad (or nothing)
            found = resolve(name)
            assert all(p.kind in ("country", "continent", "region", "admin1", "water") for p in found)
    assert make_point_test(REF) is None
    assert make_point_test(default_gazetteer(), ["SY"]) is not None


def test_skipped_lookups_leave_the_dropped_country_claim_dropped():
    """"based in northeastern Jordan, near the Syrian border": about a whole country, so not reported, with or
    without the further names of the sentence looked up."""
    text = ("He accused groups supported by Iran operating in Syria and Iraq of the attack on troops "
            "based in northeastern Jordan, near the Syrian border.")
    assert check_distances(text) == []


def test_alternative_names_the_geoparser_placed_as_countries_are_not_looked_up():
    # "Iran, Syria, Iraq and Jordan, near the border": the end is "Jordan" with the list's other names as
    # alternatives; the geoparser resolved each of those very occurrences to a country, so none is looked up
    from geoinc.claims.ends import placed_broad, resolve_end
    from geoinc.claims.phrases import End, Name
    from geoinc.models import Mention

    text = "Iran, Syria, Iraq and Jordan, near the border"
    def at(word, kind, code, lat, lon):
        s = text.index(word)
        return Mention(s, s + len(word), word, word, lat, lon, code, kind)
    mentions = [at("Iran", "country", "IR", 32.0, 53.0), at("Syria", "country", "SY", 35.0, 38.3),
                at("Iraq", "country", "IQ", 33.0, 43.7), at("Jordan", "country", "JO", 31.2, 36.5)]
    names = tuple(Name(m.start, m.end, m.text) for m in [mentions[3], mentions[2], mentions[0]])
    end = End(mentions[3].start, mentions[3].end, "Jordan", names, None)
    asked = []

    def resolve(name):
        asked.append(name)
        return []

    got = resolve_end(end, mentions, resolve)
    assert got.place is not None and got.place.name == "Jordan" and asked == []
    assert placed_broad(mentions[2].start, mentions[2].end, mentions)
    # a name the geoparser left unresolved, or resolved to a town, is still looked up
    town = Mention(mentions[2].start, mentions[2].end, "Iraq", "Iraq", 34.1, 49.7, "IR", "town")
    assert not placed_broad(town.start, town.end, [town])
    resolve_end(end, [mentions[3], town], resolve)
    assert asked == ["Iraq", "Iran"]


def test_has_point_is_the_mentions_resolved_property() -> None:
    """The checker reads ``Mention.resolved`` from the fields (``has_point``): the same answer for a placed
    mention, an unplaced one and one with a latitude only."""
    from geoinc.claims.ends import has_point
    from geoinc.models import Mention

    cases = [Mention(0, 4, "Homs", "Homs", 34.73, 36.71, "SY", "city"), Mention(0, 4, "Xyzq", None),
             Mention(0, 4, "Half", "Half", 34.0, None, "SY", "city")]
    assert [has_point(m) for m in cases] == [m.resolved for m in cases] == [True, False, False]
