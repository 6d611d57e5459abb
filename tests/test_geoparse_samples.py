"""The acceptance examples of ../shared/samples: every reference place found and resolved within 10 km,
no person or organisation comes out as a place, metonyms are flagged."""
from __future__ import annotations

import math

import pytest

from geoinc import geoparse
from geoinc.models import Mention

pytestmark = pytest.mark.shared   # every test reads the shared sample articles

US_VOWS = "tower22-us-vows-response"
IRAN_AVOIDS = "tower22-iran-avoids-war"

# reference table of ../shared/samples/README.md: surface form -> (lat, lon), per article
REFERENCE = {
    IRAN_AVOIDS: {"Tower 22": (33.31, 38.70)},
    US_VOWS: {
        "Tower 22": (33.31, 38.70),
        "Rukban": (33.31405, 38.70342),
        "Al-Tanf": (33.50583, 38.61778),
        "Boukamal": (34.45226, 40.91854),
        "al-Mayadine": (35.01982, 40.45154),
    },
}
ALSO_PLACES = {
    IRAN_AVOIDS: {"Jordan": "JO", "Syria": "SY", "Iran": "IR", "Tehran": "IR", "Yemen": "YE", "Lebanon": "LB",
                  "Israel": "IL", "Delaware": "US", "Dover Air Force Base": "US", "United States": "US"},
    US_VOWS: {"Jordan": "JO", "Syria": "SY", "Iraq": "IQ", "Iran": "IR", "Tehran": "IR", "Baghdad": "IQ",
              "Yemen": "YE", "Israel": "IL", "Egypt": "EG", "Bahrain": "BH", "United Kingdom": "GB",
              "Gaza Strip": "PS", "Gaza": "PS", "Washington": "US"},
}
NOT_PLACES = ["Joe Biden", "Biden", "Lloyd Austin", "Austin", "C.Q. Brown", "Brown", "John Kirby", "Kirby",
              "David Cameron", "Cameron", "Nasser Kanani", "Kanani", "Bassim Alawadi", "Hossein Salami", "Salami",
              "Mohammad Jawad Zarif", "Zarif", "Khamenei", "CNN", "New York Times", "New York", "AP",
              "White House", "Hamas", "Hezbollah", "Kata’ib Hezbollah", "Islamic State", "Houthi",
              "Islamic Resistance", "Planet Labs"]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def parsed(sample_texts: dict[str, str]) -> dict[str, tuple[str, list[Mention]]]:
    assert set(REFERENCE) <= set(sample_texts), "the shared sample articles are missing"
    return {name: (text, geoparse(text)) for name, text in sample_texts.items()}


def _mentions_of(text: str, mentions: list[Mention], surface: str) -> list[Mention]:
    return [m for m in mentions if text[m.start:m.end] == m.text and surface in m.text]


@pytest.mark.parametrize(("article", "surface"), [(a, s) for a, refs in REFERENCE.items() for s in refs])
def test_reference_places_found_within_10_km(parsed, article: str, surface: str) -> None:
    text, mentions = parsed[article]
    lat, lon = REFERENCE[article][surface]
    found = _mentions_of(text, mentions, surface)
    assert found, f"{surface!r} not recognised in {article}"
    for m in found:
        assert m.resolved, m
        assert km(m.lat, m.lon, lat, lon) <= 10, f"{surface} resolved to {m.name} ({m.lat}, {m.lon})"
        assert m.confidence > 0.5
        assert m.precision in (1, 2)


def test_every_occurrence_of_the_hard_names_is_found(parsed) -> None:
    text, mentions = parsed[US_VOWS]
    spans = {(m.start, m.end) for m in mentions}
    for surface in ("Rukban", "Al-Tanf", "Boukamal", "al-Mayadine"):
        start = text.find(surface)
        while start != -1:
            assert (start, start + len(surface)) in spans, f"{surface} at {start} missed"
            start = text.find(surface, start + 1)
    quoted = text.index("‘Al-Tanf")
    assert any(m.start <= quoted + 1 and m.end >= quoted + len("‘Al-Tanf") for m in mentions)


@pytest.mark.parametrize("article", sorted(ALSO_PLACES))
def test_other_places_resolved_in_their_country(parsed, article: str) -> None:
    text, mentions = parsed[article]
    for surface, cc in ALSO_PLACES[article].items():
        found = [m for m in mentions if m.text == surface]
        assert found, f"{surface!r} not recognised in {article}"
        assert all(m.country_code == cc for m in found), [(m.text, m.name, m.country_code) for m in found]


@pytest.mark.parametrize("article", [IRAN_AVOIDS, US_VOWS])
def test_people_and_organisations_are_not_places(parsed, article: str) -> None:
    text, mentions = parsed[article]
    for m in mentions:
        for bad in NOT_PLACES:
            assert not (bad in m.text or m.text in bad.split()), f"{m.text!r} ({m.name}) taken as a place"
    # "Islamic Resistance in Iraq" is a group: its "Iraq" is not a place mention
    start = text.find("Islamic Resistance in Iraq")
    while start != -1:
        end = start + len("Islamic Resistance in Iraq")
        assert not [m for m in mentions if start <= m.start < end]
        start = text.find("Islamic Resistance in Iraq", end)


def test_metonyms_are_flagged(parsed) -> None:
    text, mentions = parsed[US_VOWS]
    by_start = {m.start: m for m in mentions}

    def at(phrase: str, word: str) -> Mention:
        i = text.index(phrase) + phrase.index(word)
        assert i in by_start, f"{word!r} of {phrase!r} not recognised"
        return by_start[i]

    assert at("Tehran refuting", "Tehran").metonym
    assert at("Washington’s army", "Washington").metonym
    assert at("Baghdad on Monday condemned", "Baghdad").metonym
    assert at("Jordan condemned", "Jordan").metonym
    # literal uses stay literal
    assert not at("drone strike in Jordan", "Jordan").metonym
    assert not at("far east of Syria", "Syria").metonym
    assert not at("in the Gaza Strip", "Gaza Strip").metonym


def test_mentions_are_well_formed(parsed) -> None:
    for text, mentions in parsed.values():
        assert mentions == sorted(mentions, key=lambda m: m.start)
        for m in mentions:
            assert text[m.start:m.end] == m.text
            assert 0.0 <= m.confidence <= 1.0
            assert m.precision in (1, 2, 3)
            if m.resolved:
                assert -90 <= m.lat <= 90 and -180 <= m.lon <= 180
                assert m.source and ":" in m.source
                assert m.kind


def test_country_mentions_have_region_precision(parsed) -> None:
    _, mentions = parsed[US_VOWS]
    syria = [m for m in mentions if m.text == "Syria"]
    assert syria and all(m.precision == 3 and m.kind == "country" for m in syria)


def test_empty_and_bad_input() -> None:
    from geoinc.errors import InputError

    assert geoparse("") == []
    assert geoparse("   \n ") == []
    with pytest.raises(InputError):
        geoparse(b"Baghdad")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        geoparse("Baghdad\x00\x01")


def test_offline_by_default_never_calls_the_fallback(monkeypatch) -> None:
    calls = []

    class Recorder:
        def lookup(self, query, *, country_codes=(), viewbox=None):
            calls.append(query)
            return None, "test"

    monkeypatch.setenv("GEOINC_OFFLINE", "1")
    geoparse("Clashes near Xqzwvillage and in Baghdad.", offline=False, fallback=Recorder())
    geoparse("Clashes near Xqzwvillage and in Baghdad.", fallback=Recorder())
    assert calls == []


def test_online_fallback_asked_only_for_unresolved_literal_mentions(monkeypatch) -> None:
    from geoinc.models import Place

    asked = []

    class Recorder:
        """Stands in for geoinc.geocoders.Fallback: records queries, answers one of them."""

        def lookup(self, query, *, country_codes=(), viewbox=None):
            asked.append((query, tuple(country_codes)))
            if query == "Frenchmen Street":
                return Place(id="geocoder:test:1", name="Frenchmen Street", lat=29.964, lon=-90.058, kind="landmark",
                             country_code="US", source="geocoder"), "test answer"
            return None, "no result"

    monkeypatch.delenv("GEOINC_OFFLINE", raising=False)
    text = "The band played on Frenchmen Street in New Orleans, United States, and in Baghdad."
    mentions = geoparse(text, offline=False, fallback=Recorder())
    assert asked == [("Frenchmen Street", ("US",))]
    street = [m for m in mentions if m.text == "Frenchmen Street"][0]
    assert street.resolved and street.source == "geocoder:test:1" and street.reason == "test answer"
    assert all(m.resolved for m in mentions)


def test_macro_regions_and_seas_win_over_namesake_villages(parsed) -> None:
    _, mentions = parsed[US_VOWS]
    kinds = {(m.text, m.kind) for m in mentions if m.text in ("Middle East", "Red Sea")}
    assert kinds == {("Middle East", "region"), ("Red Sea", "water")}
