"""Disambiguation rules of geoinc.geoparser.resolve on short texts written for these tests."""
from __future__ import annotations

import pytest

from geoinc import geoparse


def _by_text(text: str) -> dict[str, object]:
    return {m.text: m for m in geoparse(text)}


def test_a_small_foreign_namesake_the_story_does_not_back_stays_open() -> None:
    text = ("Flights from Heathrow were cancelled on Monday as storms hit London, Manchester, Leeds and Glasgow. "
            "Britain's transport secretary said trains in Scotland and Wales would run again by Wednesday.")
    m = _by_text(text)["Heathrow"]
    # the only Heathrow we ship is a village in Florida; the story is British: open, not misplaced
    assert m.lat is None and m.confidence == 0.0 and "namesake" in m.reason
    assert _by_text(text)["Manchester"].country_code == "GB"


def test_a_name_cannot_back_up_its_own_foreign_reading() -> None:
    """In a two-place story the only "Tawila" we ship is a Yemeni village; its own vote for Yemen is no support
    when everything else in the story is in Sudan: left open, not sent to Yemen."""
    m = _by_text("RSF fighters looted the market in Tawila, west of El Fasher, and attacked people at Abu Shouk camp.")
    assert m["Tawila"].lat is None and "namesake" in m["Tawila"].reason
    assert m["El Fasher"].country_code == "SD"


def test_the_same_namesake_is_placed_when_the_text_backs_it() -> None:
    m = _by_text("A sinkhole opened in Heathrow, Florida, on Tuesday, officials in Seminole County said.")["Heathrow"]
    assert m.country_code == "US" and m.lat == pytest.approx(28.76, abs=0.2)


def test_a_look_alike_in_a_country_the_story_does_not_name_stays_open() -> None:
    """"Kuriga" is one letter from Khouribga (Morocco) but the story is in Kaduna State, Nigeria: no
    transliteration match abroad (the text's own container places it: Kaduna State, region precision); a
    transliteration inside the story's country still resolves."""
    m = _by_text("Gunmen kidnapped 20 students from a school in Kuriga, Kaduna State, in northwest Nigeria.")
    assert m["Kuriga"].country_code == "NG" and m["Kuriga"].kind == "admin1" and m["Kuriga"].precision == 3
    assert m["Kuriga"].confidence <= 0.4 and m["Kaduna"].country_code == "NG"
    boukamal = _by_text("Militias in Syria left positions in Boukamal on Sunday.")["Boukamal"]
    assert boukamal.country_code == "SY" and boukamal.lat == pytest.approx(34.45, abs=0.1)


def test_a_town_sharing_its_municipality_name_gets_no_edge_over_a_bigger_namesake() -> None:
    """Toledo, Brazil shares its name with its municipality (as every Brazilian town does); that is no reason to
    prefer it to the bigger Toledo, Ohio in a story about Ohio."""
    m = _by_text("The Ohio Department of Health confirmed bird flu in a dairy herd in Wood County, near Toledo.")
    assert m["Toledo"].country_code == "US" and m["Toledo"].lat == pytest.approx(41.66, abs=0.1)


def test_a_state_is_not_read_as_a_small_city_it_names() -> None:
    """"Bihar" is an alternate name of Bihar Sharif (300,000 people) but first the state of 12 million; "New
    York" stays the city."""
    m = _by_text("Bihar recorded 40 deaths from encephalitis, most in Muzaffarpur district, while Patna "
                 "hospitals ran short of beds.")
    assert m["Bihar"].kind == "admin1" and m["Bihar"].country_code == "IN"
    assert _by_text("Flights to New York were cancelled.")["New York"].name == "New York City"


def test_countries_use_published_points() -> None:
    m = _by_text("Exports from Canada rose in May.")["Canada"]
    assert (m.lat, m.lon) == pytest.approx((60.10867, -113.64258))


def test_list_mates_decide_between_a_state_and_its_namesake_city() -> None:
    states = _by_text("Tech firms are hiring in western states such as Oregon, California or Washington this year.")
    assert states["Washington"].kind == "admin1" and states["Washington"].lat > 45
    cities = _by_text("After stops in Boston, Chicago and Washington, the prince flew home to Riyadh.")
    assert cities["Washington"].kind == "city" and cities["Washington"].lat == pytest.approx(38.9, abs=0.2)


def test_nearest_anchor_distance_matches_the_pairwise_minimum() -> None:
    from geoinc.gazetteer.index import default_gazetteer
    from geoinc.geoparser.scoring import Context, km

    gaz = default_gazetteer()
    ctx = Context(gaz)
    places = [gaz.lookup(n)[0] for n in ("Rukban", "Al-Tanf", "Abu Kamal", "Mosul", "Amman")]
    for p in places[:4]:
        ctx.add(p)
    for p in places:
        others = [km(p.lat, p.lon, lat, lon) for lat, lon, pid in ctx.points if pid != p.id]
        assert ctx.nearest_km(p) == min(others)
    ctx.add(places[4])          # a new anchor forgets the memoised distances
    assert ctx.nearest_km(places[3]) == min(km(places[3].lat, places[3].lon, lat, lon)
                                            for lat, lon, pid in ctx.points if pid != places[3].id)
    lone = Context(gaz)
    lone.add(places[0])
    assert lone.nearest_km(places[0]) is None
