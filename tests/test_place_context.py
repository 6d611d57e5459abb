"""Place resolution that reads context (issue 15): qualifiers, admin type words, lists, not-a-place classes,
areas, facilities, names with articles. Each mechanism on sentences written for these tests."""
from __future__ import annotations

import pytest

from geoinc import geoparse
from geoinc.gazetteer.index import default_gazetteer
from geoinc.geoparser import qualifiers
from geoinc.geoparser.recognizer import Recognizer
from geoinc.geoparser.tokens import tokenize


@pytest.fixture(scope="module")
def rec() -> Recognizer:
    return Recognizer(default_gazetteer())


def place(text: str, name: str, nth: int = 0):
    """The mention of ``name`` (its nth occurrence) in ``text``."""
    found = [m for m in geoparse(text) if m.text == name]
    assert len(found) > nth, (name, [(m.text, m.name) for m in geoparse(text)])
    return found[nth]


# --- qualifiers name the container

def test_comma_chain_gives_the_containers(rec: Recognizer) -> None:
    text = "Shelling hit Aleppo, Aleppo province, Syria on Monday."
    spans = rec.find(text)
    assert spans[0].containers[:2] == ("aleppo", "syria") or "syria" in spans[0].containers
    spans = rec.find("Leaders met in Paris, Rome and Oslo.")     # a list is not a chain of containers
    assert all(sp.containers == () for sp in spans)


def test_region_abbreviation_rule(rec: Recognizer) -> None:
    text = "Crowds gathered in Dover, DE on Friday."
    spans = rec.find(text)
    qualifiers.region_abbreviation(text, tokenize(text), spans)
    assert "delaware" in spans[0].containers


def test_defining_sentence_rule(rec: Recognizer) -> None:
    spans = rec.find("Paris is a small city in Bear Lake County, Idaho. It has a temple.")
    assert spans[0].key == "paris" and {"bear lake county", "idaho"} <= set(spans[0].containers)
    spans = rec.find("Paris is lovely in spring, says Idaho's governor.")
    assert spans[0].containers == ()


@pytest.mark.parametrize("text, name, cc, lat, lon", [
    ("Snow fell on Berlin, New Hampshire overnight.", "Berlin", "US", 44.47, -71.19),   # 300x smaller than Berlin
    ("Floods hit Boston, Lincolnshire on Monday.", "Boston", "GB", 52.98, -0.02),
    ("A blast shook Tripoli, Lebanon at dawn.", "Tripoli", "LB", 34.44, 35.85),
    ("Crowds gathered in Dover, DE on Friday.", "Dover", "US", 39.16, -75.52),
    ("A shark was seen off Perth, WA yesterday.", "Perth", "AU", -31.95, 115.86),
    ("Paris is a small city in Bear Lake County, Idaho. Paris has a temple.", "Paris", "US", 42.23, -111.40),
])
def test_a_qualifier_beats_a_bigger_namesake(text: str, name: str, cc: str, lat: float, lon: float) -> None:
    m = place(text, name)
    assert m.country_code == cc and abs(m.lat - lat) < 1.0 and abs(m.lon - lon) < 1.0, m


def test_a_defining_sentence_makes_a_small_namesake_a_place() -> None:
    m = place("Chester is a small city in Randolph County, Illinois. Chester has a bridge.", "Chester")
    assert m.country_code == "US" and abs(m.lat - 37.9) < 0.5 and abs(m.lon + 89.8) < 0.5, m
    m = place("Chester is a small city in Randolph County, Illinois. Rain fell on Chester again.", "Chester", 1)
    assert m.country_code == "US" and abs(m.lat - 37.9) < 0.5, m


def test_the_qualifier_is_a_literal_mention() -> None:
    m = place("Snow fell on Berlin, New Hampshire overnight.", "New Hampshire")
    assert m.kind == "admin1" and not m.metonym


# --- admin units by their type words, in any case; plurals distribute over a list

@pytest.mark.parametrize("text, name", [
    ("A village in Kharkiv oblast was shelled.", "Kharkiv"),
    ("Fighting spread in Homs Governorate overnight.", "Homs"),
    ("Fighting spread in homs governorate overnight.".replace("homs", "Homs"), "Homs"),
])
def test_admin_type_word_means_the_admin_unit(text: str, name: str) -> None:
    assert place(text, name).kind == "admin1"


def test_a_plural_admin_word_distributes_over_the_list() -> None:
    text = "Clashes went on in Idlib and Hama governorates."
    assert [place(text, n).kind for n in ("Idlib", "Hama")] == ["admin1", "admin1"]
    assert place("Clashes went on in Idlib and Hama.", "Idlib").kind == "city"


# --- not places: weapons, vehicles, ships named after places

@pytest.mark.parametrize("text", [
    "Russia fired Iskander missiles overnight.",
    "The navy launched Tomahawk cruise missiles.",
])
def test_products_named_after_places_are_not_places(text: str) -> None:
    assert [m.text for m in geoparse(text) if m.text in ("Iskander", "Tomahawk")] == []


def test_named_product_rule_spares_big_places() -> None:
    assert place("The Kharkiv missile strike killed three.", "Kharkiv").country_code == "UA"


# --- regions and areas: officials in Gaza mean the Strip

def test_gaza_with_officials_is_the_strip() -> None:
    m = place("Officials in Gaza said twenty people died.", "Gaza")
    assert m.name == "Gaza Strip" and m.precision == 3
    assert place("Rockets hit Gaza overnight.", "Gaza").kind == "city"


# --- facilities and landmarks in towns

def test_a_site_the_gazetteer_lacks_takes_the_town_after_it() -> None:
    m = place("Nurses at the Brightwater Clinic in Leeds went on strike.", "Brightwater Clinic")
    assert m.country_code == "GB" and abs(m.lat - 53.8) < 0.3 and m.precision == 2, m


# --- articles and particles are part of names

@pytest.mark.parametrize("text, name, cc", [
    ("Talks were held in The Hague on Monday.", "The Hague", "NL"),
    ("The ferry left Le Havre at dawn.", "Le Havre", "FR"),
    ("He flew from El Paso to Denver.", "El Paso", "US"),
    ("Protests filled La Paz on Friday.", "La Paz", "BO"),
])
def test_names_with_articles(text: str, name: str, cc: str) -> None:
    assert place(text, name).country_code == cc


# --- lists and neighbours as context; the story's region over a distant namesake

def test_list_mates_share_a_region() -> None:
    text = "Flooding closed roads in Guelph, Kitchener, Waterloo and Cambridge on Sunday."
    m = place(text, "Cambridge")
    assert m.country_code == "CA" and abs(m.lat - 43.36) < 0.3, m


def test_a_small_place_far_outside_the_story_region_is_left_open() -> None:
    text = ("Russian shelling hit Kupiansk and Balakliia in Kharkiv oblast; in the village of Zherebkove two "
            "people were hurt.")
    m = place(text, "Zherebkove")       # the gazetteer knows only a Zherebkove in Odesa oblast, 500 km away
    assert m.lat is None and m.confidence == 0.0 and "Odessa" in m.reason
    m = place("Farmers in Zherebkove near Odesa harvested wheat.", "Zherebkove")
    assert m.country_code == "UA" and m.lat is not None


# --- a qualified name the gazetteer lacks is placed at its container, not at a namesake the text rules out

def _pl(pid: str, name: str, kind: str, cc: str, admin1: str, lat: float, lon: float):
    from geoinc.models import Place
    return Place(id=pid, name=name, lat=lat, lon=lon, kind=kind, country_code=cc, admin1=admin1, source="admin1")


def test_container_point_takes_the_innermost_container_the_others_back() -> None:
    from geoinc.geoparser.scoring import container_point
    ny_county = _pl("a2:ny", "Delaware County", "admin2", "US", "New York", 42.17, -75.13)
    oh_county = _pl("a2:oh", "Delaware County", "admin2", "US", "Ohio", 40.20, -83.01)
    ny = _pl("a1:ny", "New York", "admin1", "US", "New York", 42.33, -75.77)
    us = _pl("c:us", "United States", "country", "US", "", 39.76, -98.5)
    assert container_point(((oh_county, ny_county), (ny,), (us,))) == ny_county
    assert container_point(((us,),)) is None                      # a country alone places nothing
    hamburg = _pl("g:hh", "Hamburg", "city", "DE", "Hamburg", 53.55, 9.99)
    assert container_point(((hamburg,),)) is None                 # a lone town may be a list mate
    assert container_point(((ny,),)) == ny                        # "Lemay, Missouri": a lone region counts


def test_a_qualified_name_the_gazetteer_lacks_takes_its_container() -> None:
    text = "Andes is a town in Delaware County, New York, United States. Snow fell on Andes again."
    for nth in (0, 1):      # the later bare mention keeps the document's reading
        m = place(text, "Andes", nth)
        assert m.kind == "admin2" and m.name == "Delaware County" and abs(m.lat - 42.2) < 0.3, m
        assert m.precision == 2 and m.confidence <= 0.4
    assert "container" in place(text, "Andes").reason


@pytest.mark.parametrize("text, name, cc", [
    ("Thousands marched through Bogotá, D.C. on Friday.", "Bogotá", "CO"),
    ("Troops arrived in Bogota, D.C., the Colombian capital.", "Bogota", "CO"),
    ("The mayor of Caracas, D.C. said the metro would reopen.", "Caracas", "VE"),
])
def test_an_abbreviated_container_does_not_move_a_major_city_abroad(text: str, name: str, cc: str) -> None:
    """"Bogotá, D.C.": D.C. is also the Distrito Capital of Bogotá and of Caracas. No reading of the city lies in the
    US district, and an abbreviation is no reason to place a city of millions at a namesake the gazetteer lacks:
    the city keeps its reading, and the abbreviation, whose region the gazetteer does not hold, is left open."""
    m = place(text, name)
    assert m.country_code == cc and m.kind == "city", m
    dc = place(text, "D.C.")
    assert not dc.resolved and "abbreviation" in (dc.reason or ""), dc


@pytest.mark.parametrize("text, name, region", [
    ("A fire broke out in Springfield, Ill. on Sunday.", "Springfield", "Illinois"),
    ("The rally in Georgetown, D.C. drew thousands.", "Georgetown", "District of Columbia"),
    ("She grew up in Anacostia, D.C. and moved away.", "Anacostia", "District of Columbia"),
])
def test_an_abbreviated_container_still_places_its_own_towns(text: str, name: str, region: str) -> None:
    m = place(text, name)
    assert m.country_code == "US", m
    abbr = [x for x in geoparse(text) if x.start > m.end][0]
    assert abbr.resolved and abbr.name == region, abbr


@pytest.mark.parametrize("text, town, region", [
    ("Flooding hit Calgary, Alta. on Monday.", "Calgary", "Alberta"),
    ("A crash near Kingston, Ont. killed three.", "Kingston", "Ontario"),
    ("Protests in Montreal, Que. went on.", "Montreal", "Quebec"),
    ("A fire in Regina, Sask. killed two.", "Regina", "Saskatchewan"),
    ("Charlottetown, P.E.I. voted on Monday.", "Charlottetown", "Prince Edward Island"),
    ("Rain fell in Victoria, B.C. on Monday.", "Victoria", "British Columbia"),
    ("Moncton, N.B. was flooded.", "Moncton", "New Brunswick"),
])
def test_canadian_dateline_abbreviations_name_their_province(text: str, town: str, region: str) -> None:
    """Canadian Press datelines abbreviate the province ("RED DEER, Alta."): "Alta." is not the Norwegian town, and
    "Kingston, Ont." is not the capital of Jamaica."""
    m = place(text, town)
    assert m.country_code == "CA", m
    abbr = [x for x in geoparse(text) if x.start > m.end][0]
    assert abbr.name == region and abbr.kind == "admin1", abbr


def test_dates_and_the_wash_are_no_regions() -> None:
    text = ("Norfolk is a county in East Anglia, bounded to the north-west by The Wash. The county town is Norwich. "
            "It was settled on 14 May 1607 N.S. by farmers whose forebears came in 300 B.C. from the south.")
    found = {m.text: m for m in geoparse(text)}
    assert "Wash." not in found and "N.S." not in found and "B.C." not in found, found


def test_abbreviated_keys() -> None:
    from geoinc.geoparser.resolve import abbreviated
    from geoinc.text import name_key
    assert [abbreviated(name_key(t)) for t in ("D.C.", "Ill.", "DE", "U.S.A.", "Ohio", "New York", "Kaduna State")] \
        == [True, True, True, True, False, False, False]


def test_a_qualifier_reads_as_the_region_not_its_namesake_city() -> None:
    m = place("Meredith is a town in Delaware County, New York, United States.", "New York")
    assert m.kind == "admin1" and not m.metonym, m


def test_a_list_with_an_unknown_mate_is_not_a_chain_of_containers() -> None:
    text = "The band was due to play in Copenhagen, Hamburg, Brasoc and Mannheim this month."
    m = place(text, "Copenhagen")
    assert m.country_code == "DK" and m.kind == "city", m


def test_a_county_given_beats_a_namesake_elsewhere_in_the_same_state() -> None:
    """Oxford, New York lies in Chenango County, 160 km from Orange County; Oxford, Connecticut is within 100 km
    of it but across the state line: neither lies in "Orange County, New York"."""
    m = place("Oxford is a hamlet in Orange County, New York, United States.", "Oxford")
    assert m.kind == "admin2" and m.name == "Orange County" and abs(m.lat - 41.4) < 0.3, m


def test_lies_in_a_county_needs_the_same_state() -> None:
    from geoinc.geoparser.scoring import lies_in
    orange = _pl("a2:orange", "Orange County", "admin2", "US", "New York", 41.36, -74.27)
    oxford_ct = _pl("g:oxct", "Oxford", "town", "US", "Connecticut", 41.43, -73.12)
    goshen = _pl("g:goshen", "Goshen", "village", "US", "New York", 41.40, -74.32)
    assert not lies_in(oxford_ct, orange) and lies_in(goshen, orange)


@pytest.mark.parametrize("text", [
    "Lisbon /ˈlɪzbən/ LIZ-bən is a village in Kendall County, Illinois.",
    "Lisbon (Portuguese-style spelling; pronounced [ˈlizbon]) is a village in Kendall County, Illinois.",
    "Lisbon, Illinois is a village in Kendall County.",
])
def test_a_defining_sentence_reads_past_glosses_and_pronunciations(text: str) -> None:
    tokens = tokenize(text)
    assert qualifiers.defining_word(tokens, 0, 1) is not None
    m = place(text, "Lisbon")
    assert m.country_code == "US" and abs(m.lat - 41.6) < 0.5 and abs(m.lon + 88.5) < 0.6, m


def test_a_name_of_a_reported_sentence_is_not_defined() -> None:
    tokens = tokenize("Lisbon police said the man was a village elder.")
    assert qualifiers.defining_word(tokens, 0, 1) is None


def test_a_settlement_by_definition_is_not_the_country_of_its_name() -> None:
    """"Jordan is a village in Onondaga County": a village, so neither the country nor a region; with no such
    village in the gazetteer ("Lebanon is a small town in Madison County") the county holds it."""
    m = place("Jordan is a village in Onondaga County, New York.", "Jordan")
    assert m.country_code == "US" and m.kind == "village" and abs(m.lat - 43.07) < 0.2 and not m.metonym, m
    text = "Lebanon is a small town in Madison County, New York. Farmers near Lebanon grow hops."
    for nth in (0, 1):
        m = place(text, "Lebanon", nth)
        assert m.country_code == "US" and m.name == "Madison County" and not m.metonym, m


def test_settlement_rule_keeps_regions_defined_as_regions() -> None:
    m = place("Ontario is a province of Canada.", "Ontario")
    assert m.kind == "admin1" and m.country_code == "CA"


def test_a_later_definition_no_reading_meets_defers_to_the_documents() -> None:
    """The second sentence calls Andes "a small community near Margaretville": no Andes among the candidates is
    near Margaretville, so that mention keeps the reading the first definition gave (Delaware County)."""
    text = ("Andes is a town in Delaware County, New York, United States. Andes is a small community near "
            "Margaretville.")
    first, later = place(text, "Andes"), place(text, "Andes", 1)
    assert first.name == later.name == "Delaware County" and later.lat == first.lat, (first, later)


@pytest.mark.parametrize("text, ref, far", [
    ("Dapaong is a town in northern Togo, 600 km north of the capital Lomé.", "Lomé", True),
    ("Quorn is a town 330 kilometres (205 mi) north of Adelaide.", "Adelaide", True),
    ("Otley is a market town 16 km (10 mi) north-west of Leeds.", "Leeds", False),
    ("Wye is a village in Kent.", "Kent", False),
])
def test_far_reference_points_are_not_containers(text: str, ref: str, far: bool) -> None:
    assert qualifiers.far_reference(text, text.index(ref)) is far


def test_a_far_reference_point_does_not_hold_the_place(rec: Recognizer) -> None:
    spans = rec.find("Dapaong is a town in northern Togo, 600 km north of the capital Lomé.")
    assert "lome" not in spans[0].containers and "togo" in spans[0].containers


# --- a name's own namesakes do not vote for themselves

def test_namesakes_of_one_name_do_not_outvote_its_biggest_reading() -> None:
    # ten small US towns named Athens must not make "Athens" American when nothing else in the story is
    assert place("Nurses rallied outside the ministry in Athens.", "Athens").country_code == "GR"
    # the story's other names still decide
    assert place("Students rallied in Athens and Marietta, Georgia.", "Athens").country_code == "US"


def test_exclude_own_removes_only_the_names_own_votes() -> None:
    from geoinc.geoparser.scoring import Context
    ctx = Context(default_gazetteer())
    ctx.soft, ctx.soft_total = {"US": 1.6, "GR": 0.4}, 2.0
    ctx.exclude_own({"US": 0.6, "GR": 0.4}, 1.0)
    assert ctx.soft_total - ctx.own_n == 1.0 and ctx.soft["US"] - ctx.own["US"] == pytest.approx(1.0)
    ctx.exclude_own(None, 0.0)
    assert ctx.own == {} and ctx.own_n == 0.0


# --- a town word and look-alike names

def test_a_town_word_means_the_town_not_the_region() -> None:
    # "Amara" also spells Ethiopia's Amhara region; "city" after it means Iraq's Amarah
    m = place("Families of soldiers protested outside the housing office in Amara city.", "Amara")
    assert m.country_code == "IQ" and m.kind != "admin1"
    assert place("Farmers protested in Amhara region.", "Amhara").kind == "admin1"


def test_a_far_look_alike_in_a_neighbouring_country_is_not_taken() -> None:
    # Kwilu (a Congolese province the gazetteer lacks) looks like Kouilou, a region of Congo-Brazzaville
    found = [m for m in geoparse("Two gangs clashed in Kikwit (Kikwit, Kwilu) on Monday.") if m.text == "Kwilu"]
    assert all(m.country_code != "CG" for m in found)
    assert place("Two gangs clashed in Kikwit (Kikwit, Kwilu) on Monday.", "Kikwit").country_code == "CD"


def test_a_town_bearing_the_name_beats_an_exonym_abroad() -> None:
    # "Valence" is also the French name of Valencia (Spain, twelve times bigger): the town called Valence wins
    assert place("Around 200 farmers demonstrated in Valence.", "Valence").country_code == "FR"
    # the exonym still counts where no town bears the name itself
    assert place("Protesters rallied in Kiev.", "Kiev").country_code == "UA"


def test_a_possessive_that_is_part_of_the_name() -> None:
    # the gazetteer's own name ends in "'s": the whole name, not "St. John"
    m = place("Hundreds rallied outside the legislature in St. John's on Saturday.", "St. John's")
    assert m.country_code == "CA"
    # an ordinary possessive stays outside the name
    assert place("Washington's allies met in Brussels.", "Washington").country_code == "US"


def test_a_known_head_of_a_longer_unknown_name_is_left_open() -> None:
    # "Santa Rosa" has dozens of namesakes; "Santa Rosa de Tlalcoyan" (made up here) is none of them
    m = place("Teachers protested in Santa Rosa de Tlalcoyan, Coahuila.", "Santa Rosa de Tlalcoyan")
    assert not m.resolved and m.lat is None
    # a longer name the gazetteer knows is taken whole
    assert place("Fans gathered in Rio de Janeiro.", "Rio de Janeiro").country_code == "BR"
