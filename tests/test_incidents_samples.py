"""Incidents from the two shared sample articles (and small texts of our own), through the real geoparser."""
from __future__ import annotations

import pytest

from conftest import DATA, SAMPLES
from geoinc.articles import read_articles
from geoinc.incidents.extract import casualties, extract_incidents, incidents_frame, number_value, split_sentences
from geoinc.ingest import ingest_paths
from geoinc.geodesy import geodesic_km
from geoinc.regions import build_spec
from geoinc.store import open_store, select_incidents
from geoinc.incidents.taxonomy import EVENT_TYPES, SUB_EVENT_TYPES

WAR = SAMPLES / "tower22-iran-avoids-war.txt"
RESPONSE = SAMPLES / "tower22-us-vows-response.txt"
TOWER22 = (33.31, 38.70)
AL_TANF = (33.50583, 38.61778)
ABU_KAMAL = (34.45226, 40.91854)
DRONE = ("Explosions/Remote violence", "Air/drone strike")


def near(inc, point, km=10.0) -> bool:
    return inc.latitude is not None and geodesic_km(inc.latitude, inc.longitude, *point) <= km


def stored_near(store, point, km):
    """The stored incidents within km of (lat, lon), through the store's query path."""
    return select_incidents(store, build_spec(lat=point[0], lon=point[1], radius_km=km))


@pytest.fixture(scope="module")
def response_incidents():
    return extract_incidents(RESPONSE.read_text(encoding="utf-8"), "2024-01-29")


@pytest.fixture(scope="module")
def war_incidents():
    (article,) = read_articles(WAR)
    return extract_incidents(article)          # the date comes from the article's own first line


def test_taxonomy_is_acleds():
    assert len(EVENT_TYPES) == 6 and len(SUB_EVENT_TYPES) == 25
    assert SUB_EVENT_TYPES["Air/drone strike"] == "Explosions/Remote violence"


@pytest.mark.shared
def test_tower22_from_the_response_article(response_incidents):
    tower = [i for i in response_incidents if near(i, TOWER22, 5) and i.status != "claimed"]
    assert len(tower) == 1
    t = tower[0]
    assert (t.event_type, t.sub_event_type) == DRONE
    assert t.event_date == "2024-01-28" and t.location == "Tower 22" and t.geo_precision == 1
    assert (t.fatalities, t.fatalities_best, t.injuries) == (3, 3, 34)
    assert t.country == "Jordan" and t.iso == "400" and t.disorder_type == "Political violence"
    assert t.actor2 == "Military Forces of the United States" and t.actor1 == "Pro-Iran Militias"
    assert t.status == "confirmed"                                   # "according to the US military"
    (src,) = t.sources
    text = RESPONSE.read_text(encoding="utf-8")
    assert text[src.start:src.end] == src.quote and "killed three American soldiers" in src.quote


@pytest.mark.shared
def test_claimed_attacks_on_al_tanf_and_rukban(response_incidents):
    claimed = [i for i in response_incidents if i.status == "claimed"]
    assert len(claimed) == 1
    c = claimed[0]
    assert (c.event_type, c.sub_event_type) == DRONE and c.event_date == "2024-01-28"   # "on Sunday at dawn"
    assert near(c, AL_TANF) and "Rukban" in c.notes
    assert c.claimant == c.actor1 == "Islamic Resistance in Iraq"
    assert c.fatalities_best is None and c.injuries is None            # the claim states no casualties


@pytest.mark.shared
def test_evacuations_in_abu_kamal_and_al_mayadin(response_incidents):
    sd = [i for i in response_incidents if i.event_type == "Strategic developments"]
    assert len(sd) == 1
    e = sd[0]
    assert e.sub_event_type == "Change to group/activity" and e.disorder_type == "Strategic developments"
    assert near(e, ABU_KAMAL) and "Mayadin" in e.notes and e.geo_precision == 2   # "in the regions of"
    assert e.actor1 == "Pro-Iran Militias"
    assert e.event_date == "2024-01-29" and e.date_precision == "week"   # reported on Monday, no event date


@pytest.mark.shared
def test_background_and_hypothetical_events_are_not_incidents(response_incidents, war_incidents):
    # "more than 150 drone strikes ... since mid-October", "several strikes in Iraq", "bombings ... in Yemen",
    # "Responses to possible attacks were discussed": none is an incident
    assert len(response_incidents) == 3
    assert all(i.country not in ("Iraq", "Yemen", "Iran") for i in response_incidents + war_incidents)
    assert len(war_incidents) == 1


@pytest.mark.shared
def test_tower22_from_the_war_article(war_incidents):
    (t,) = war_incidents
    assert (t.event_type, t.sub_event_type) == DRONE and t.location == "Tower 22"
    assert t.fatalities == 3 and t.injuries is None
    # the article gives no date for the attack: an interval of the week before publication
    assert (t.date_start, t.date_end, t.date_precision, t.time_precision) == ("2024-01-28", "2024-02-03", "week", 2)
    assert t.sources[0].published == "2024-02-03"


@pytest.mark.shared
@pytest.mark.parametrize("order", [(WAR, RESPONSE), (RESPONSE, WAR)])
def test_both_articles_make_one_tower22_incident_with_two_sources(tmp_path, order):
    store = open_store(tmp_path / "s.sqlite")
    for path in order:
        ingest_paths([path], store, published="2024-01-29" if path == RESPONSE else None, stop_on_error=True)
    tower = [i for i in select_incidents(store, build_spec(bbox="38.6,33.2,38.8,33.4")) if i.status != "claimed"]
    assert len(tower) == 1 and store.count() == 3
    t = tower[0]
    assert t.event_date == "2024-01-28" and t.date_precision == "day"
    assert (t.event_type, t.sub_event_type) == DRONE
    assert (t.fatalities, t.injuries) == (3, 34)
    assert len(t.sources) == 2 and all(s.quote for s in t.sources)
    assert {s.published for s in t.sources} == {"2024-01-29", "2024-02-03"}
    for s in t.sources:
        text = (WAR if s.published == "2024-02-03" else RESPONSE).read_text(encoding="utf-8")
        assert text[s.start:s.end] == s.quote
    first, second = store.reports(t.event_id_cnty)
    assert first.reason == "new incident" and "km apart" in second.reason and "overlap" in second.reason
    # reversible: split the second article back out, and the first one's reading is restored
    store.split(t.event_id_cnty, second.article_id)
    assert store.count() == 4 and len(store.get(t.event_id_cnty).sources) == 1
    store.close()


def test_casualties_from_words_and_digits():
    assert casualties("which killed three American soldiers and injured 34.") == ((3, 3, 3), 34)
    assert casualties("Three service members were killed by drones") == ((3, 3, 3), None)
    assert casualties("at least 34 people were wounded and twenty-one killed") == ((21, 21, 21), 34)
    assert casualties("killing at least four civilians")[0] == (4, 4, None)
    assert casualties("The death toll rose to 12") [0] == (12, 12, 12)
    assert casualties("up to 40 were killed")[0] == (None, 40, 40)
    assert casualties("Tower 22 houses 350 US troops") == ((None, None, None), None)
    assert number_value("3,000") == 3000 and number_value("twenty-one") == 21 and number_value("dozens") is None


def test_sentences_keep_offsets():
    text = "Gen. C.Q. Brown arrived. Clashes erupted!\nThen calm returned."
    parts = split_sentences(text)
    assert [p.text for p in parts] == ["Gen. C.Q. Brown arrived.", "Clashes erupted!", "Then calm returned."]
    assert all(text[p.start:p.end] == p.text for p in parts)


@pytest.mark.parametrize("text, published, expected", [
    ("Protesters rallied in Amman on Friday. Police dispersed the crowd with tear gas.", "2024-02-03",
     ("Protests", "Protest with intervention", "Amman", "2024-02-02", None, None)),
    ("Syrian government forces shelled the town of Maarat al-Numan on 3 March 2024, killing at least four civilians "
     "and wounding 11.", "2024-03-05",
     ("Explosions/Remote violence", "Shelling/artillery/missile attack", "Maarat al-Numan", "2024-03-03", 4, 11)),
    ("Clashes erupted between the Syrian army and Islamic State fighters near Palmyra yesterday. Two soldiers were "
     "killed.", "2024-03-05", ("Battles", "Armed clash", "Palmyra", "2024-03-04", 2, None)),
    ("Iraqi security forces arrested five suspects in Mosul on Tuesday.", "2024-03-07",
     ("Strategic developments", "Arrests", "Mosul", "2024-03-05", None, None)),
    ("Another strike in the town of Kirkuk on Sunday killed a woman and two children.", "2024-03-05",
     ("Explosions/Remote violence", "Air/drone strike", "Kirkuk", "2024-03-03", 3, None)),
])
def test_own_examples(text, published, expected):
    (inc,) = extract_incidents(text, published)
    got = (inc.event_type, inc.sub_event_type, inc.location, inc.event_date, inc.fatalities_best, inc.injuries)
    assert got == expected


def test_several_incidents_in_one_article():
    text = ("A roadside bomb exploded near a patrol in Kirkuk on Wednesday, wounding two soldiers.\n"
            "Separately, a drone strike hit a car in Qamishli on Thursday, killing three fighters.")
    a, b = extract_incidents(text, "2024-03-08")
    assert (a.sub_event_type, a.location, a.injuries, a.event_date) == ("Remote explosive/landmine/IED", "Kirkuk", 2,
                                                                        "2024-03-06")
    assert (b.sub_event_type, b.location, b.fatalities, b.event_date) == ("Air/drone strike", "Qamishli", 3,
                                                                          "2024-03-07")
    assert a.event_id_cnty != b.event_id_cnty


def test_a_country_named_only_as_a_reason_is_not_an_incident():
    """The Houthi article's one attack is off Hodeidah; "because its owner's vessels had called at Israeli
    ports" names a country for the motive (undated, no site): no incident in Israel. A country-only sentence
    about the country of an incident already read still adds to that incident."""
    (article,) = read_articles(DATA / "articles" / "2024-06-13-houthi-missiles-hit-bulk-carrier-off-hodeidah.txt")
    found = extract_incidents(article)
    assert [(i.location, i.country) for i in found] == [("Hodeidah", "Yemen")]
    text = ("A drone strike hit a fuel depot in Kirkuk on Wednesday, killing two guards.\n"
            "Officials said militias had attacked with drones across Iraq to punish the government.")
    (one,) = extract_incidents(text, "2024-03-08")
    assert (one.location, one.fatalities) == ("Kirkuk", 2)


@pytest.mark.shared
def test_frame_is_epsg4326_with_lon_lat(response_incidents):
    frame = incidents_frame(response_incidents)
    assert frame.crs.to_epsg() == 4326 and len(frame) == 3
    row = frame[frame.location == "Tower 22"].iloc[0]
    assert (row.geometry.x, row.geometry.y) == (38.70, 33.31)
    assert list(frame.columns[:3]) == ["event_id_cnty", "event_date", "year"] and "sources" in frame.columns


def test_no_publication_date_is_a_clear_error():
    from geoinc.errors import InputError

    with pytest.raises(InputError, match="publication date"):
        extract_incidents("A drone strike hit Tower 22 on Sunday.")


@pytest.mark.shared
def test_team_articles_and_samples_merge_per_incident(tmp_path):
    """The team's own articles (data/articles) and both samples: each real-world incident once, with its sources."""
    from conftest import DATA

    team = sorted((DATA / "articles").glob("*.txt"))
    if len(team) < 3:
        pytest.skip("data/articles not written yet")
    store = open_store(tmp_path / "all.sqlite")
    ingest_paths([*team, WAR], store, stop_on_error=True)
    ingest_paths([RESPONSE], store, published="2024-01-29", stop_on_error=True)
    tower = [i for i in stored_near(store, TOWER22, 5) if i.status != "claimed"]
    assert len(tower) == 1
    t = tower[0]
    assert t.event_date == "2024-01-28" and (t.fatalities, t.injuries) == (3, 34) and len(t.sources) >= 3
    assert len({s.article for s in t.sources}) == len(t.sources)
    tanf = stored_near(store, AL_TANF, 5)
    assert len(tanf) == 1 and tanf[0].status == "claimed" and len(tanf[0].sources) >= 2
    assert store.integrity_check()
    store.close()


def test_intervals_of_week_and_month_precision():
    (a,) = extract_incidents("In mid-October, militants attacked the garrison at Al-Tanf with rockets.", "2024-01-29")
    assert (a.sub_event_type, a.date_start, a.date_end, a.date_precision, a.time_precision) == (
        "Shelling/artillery/missile attack", "2023-10-11", "2023-10-20", "month", 3)
    (b,) = extract_incidents("Last week, clashes erupted near Palmyra.", "2024-01-29")
    assert (b.date_start, b.date_end, b.date_precision, b.geo_precision) == ("2024-01-22", "2024-01-28", "week", 2)
    assert extract_incidents("Just like in Yemen where bombings targeted positions of the Houthi rebels.",
                             "2024-01-29") == []


def test_hostile_article_is_read_as_data():
    """Markup in an article is text: quotes keep it verbatim (maps escape it), and civilians are never perpetrators."""
    from conftest import ROOT

    (article,) = read_articles(ROOT / "tests" / "data" / "xss-article.txt")
    incidents = extract_incidents(article)
    assert incidents and all(i.actor1 != "Civilians" for i in incidents)
    first = next(i for i in incidents if i.location == "Rukban")
    assert (first.fatalities, first.injuries, first.event_date) == (2, 5, "2024-02-04")
    assert "<script>" in first.sources[0].quote and article.text[first.sources[0].start:first.sources[0].end] == \
        first.sources[0].quote
