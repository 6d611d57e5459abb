"""Each named rule of the recogniser (geoparser.rules) and of the metonymy reading (geoparser.metonymy), on its
own short phrase: the rule decides (or changes the match) on its phrase and leaves a contrasting one alone."""
from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

from geoinc.gazetteer.index import default_gazetteer
from geoinc.geoparser import metonymy, rules
from geoinc.geoparser.metonymy import LITERAL, METONYM
from geoinc.geoparser.recognizer import Recognizer
from geoinc.geoparser.rules import ACCEPT, GO, REJECT, Match
from geoinc.geoparser.tokens import Span, _chunks, tokenize
from geoinc.text import name_key


@pytest.fixture(scope="module")
def rec() -> Recognizer:
    return Recognizer(default_gazetteer())


def match(rec: Recognizer, text: str, target: str, last: bool = False) -> Match:
    """The Match of the gazetteer look-up of ``target`` (its first occurrence, or its last) in ``text``."""
    tokens = tokenize(text)
    start = text.rindex(target) if last else text.index(target)
    i = next(k for k, t in enumerate(tokens) if t.start == start)
    j = next(k for k, t in enumerate(tokens) if t.end == start + len(target)) + 1
    chunks = _chunks(tokens)
    ci, cj = next(((a, b) for a, b in chunks if a <= i and j <= b), (i, j))
    upper = all(tokens[k].upper for k in range(i, j) if tokens[k].word)
    cands, loose = rec._lookup(name_key(target), target, j - i, upper)
    return Match(text, tokens, ci, cj, i, j, target, name_key(target), cands, loose, rec._people(tokens, chunks))


def prepared(rec: Recognizer, text: str, target: str) -> tuple[Match, Span]:
    """The match after every rule before the span (none of them deciding) and the span judge would build."""
    m = match(rec, text, target)
    for rule in rules.MATCH_RULES:
        assert rule(rec, m) == GO, rule.__name__
    span = Span(m.first.start, m.last.end, m.raw, m.key, m.cands, loose=m.loose, strong_context=m.strong,
                feature=m.feature)
    m.span = span
    return m, span


# --- rules before the span: (rule, phrase, target, verdict) and a contrasting phrase with GO

MATCH_CASES: list[tuple[Callable, str, str, int, str, str]] = [
    (rules.never_alone_word, "It happened in March.", "March", REJECT, "They met in Paris.", "Paris"),
    (rules.saint_dedication, "Mass at St Mary's Hospital today.", "St Mary", ACCEPT,
     "St Albans is near London.", "St Albans"),
    (rules.known_surname, "Sarah Lincoln arrived. Later Lincoln said no.", "Lincoln", REJECT,
     "They drove to Lincoln.", "Lincoln"),
    (rules.title_or_given_name_before, "Then President Lincoln spoke.", "Lincoln", REJECT,
     "Snow fell in North Dakota.", "Dakota"),
    (rules.initial_before, "Then J Denver spoke.", "Denver", REJECT, "Rain in Greater London.", "London"),
    (rules.abbreviated_title_before, "Then Gen. Austin spoke.", "Austin", REJECT, "We flew to Austin.", "Austin"),
    (rules.given_name_first, "Then Paris Hilton arrived.", "Paris", REJECT, "The Jordan Syria border.", "Jordan"),
    (rules.name_particle_before, "Then Mike de Kock spoke.", "Kock", REJECT,
     "A ward of the Hospital de Paris.", "Paris"),
    (rules.glued_words, "the LincolnWarehouse sale", "Lincoln", REJECT, "IraqAccording to them", "Iraq"),
    (rules.hyphenated_surname_before, "Anna Kowalczyk-Denver spoke.", "Denver", REJECT,
     "the Amsterdam-London train", "London"),
    (rules.hyphenated_surname_after, "Anna Denver-Kowalczyk spoke.", "Denver", REJECT,
     "the Amsterdam-London train", "Amsterdam"),
    (rules.heads_longer_name, "A prayer to Joseph of Arimathea.", "Joseph", REJECT,
     "The Georgia of old.", "Georgia"),
    (rules.known_non_place, "Then El Nino returned.", "El Nino", REJECT, "Rain in Paris.", "Paris"),
    (rules.nationality_adjective, "Then Syrian troops left.", "Syrian", REJECT, "Troops left Jordan.", "Jordan"),
    (rules.organisation_in_chunk, "The Bank of England raised rates.", "England", REJECT,
     "Loyola University in Los Angeles opened.", "Los Angeles"),
    (rules.word_after_in_chunk, "The Washington Post reported.", "Washington", REJECT,
     "Talks in Washington began.", "Washington"),
    (rules.capitalised_word_before, "Acme Denver shares fell.", "Denver", REJECT,
     "Rain in Greater Manchester fell.", "Manchester"),
    (rules.plausible_candidates, "Reading is fun.", "Reading", REJECT, "They live in Reading.", "Reading"),
]


def test_given_name_keeps_a_place_before_a_weekday(rec: Recognizer) -> None:
    # "Basra" is also a given name; a weekday after it dates the report, it is not a surname
    assert rules.given_name_first(rec, match(rec, "A car bomb went off in Basra Wednesday.", "Basra")) == GO
    assert rules.given_name_first(rec, match(rec, "Then Basra Hilton arrived.", "Basra")) == REJECT


def test_abbreviated_head_is_the_own_name(rec: Recognizer) -> None:
    from geoinc.geoparser.recognizer import abbreviated_own_name
    assert abbreviated_own_name("st leon rot", "sankt leon rot")
    assert abbreviated_own_name("mt kenya", "mount kenya")
    assert not abbreviated_own_name("st leon rot", "leon")
    assert not abbreviated_own_name("st", "saint")
    # the whole name survives the plausibility rule though its words are common English words
    m = match(rec, "Hundreds marched in St. Leon-Rot on Saturday.", "St. Leon-Rot")
    assert rules.plausible_candidates(rec, m) == GO
    assert any(c.place.country_code == "DE" for c in m.cands)


def chunk_texts(text: str) -> list[str]:
    tokens = tokenize(text)
    return [text[tokens[i].start:tokens[j - 1].end] for i, j in _chunks(tokens)]


@pytest.mark.parametrize("text, name", [("Workers marched in Dar es Salaam on Monday.", "Dar es Salaam"),
                                        ("Shelling hit Deir ez Zor countryside.", "Deir ez Zor")])
def test_arabic_article_joins_the_name(text: str, name: str) -> None:
    # one chunk, not "Dar" and "Salaam"
    assert any(s.startswith(name) for s in chunk_texts(text)), chunk_texts(text)


def test_named_product(rec: Recognizer) -> None:
    assert rules.named_product(rec, match(rec, "Russia fired Iskander missiles.", "Iskander")) == REJECT
    assert rules.named_product(rec, match(rec, "The Kharkiv missile strike killed three.", "Kharkiv")) == GO
    assert rules.named_product(rec, match(rec, "They fled Iskander on foot.", "Iskander")) == GO


def test_authority_of_territory(rec: Recognizer) -> None:
    m, span = prepared(rec, "Officials in Gaza said more.", "Gaza")
    assert rules.authority_of_territory(rec, m, span) == GO and span.authority
    m, span = prepared(rec, "Rockets hit Gaza overnight.", "Gaza")
    rules.authority_of_territory(rec, m, span)
    assert not span.authority


def test_defined_as_place(rec: Recognizer) -> None:
    m = match(rec, "Chester is a small city on the Mississippi River.", "Chester")
    assert rules.defined_as_place(rec, m) == GO and m.defined and m.strong
    m = match(rec, "Chester is tired of waiting.", "Chester")
    rules.defined_as_place(rec, m)
    assert not m.defined


@pytest.mark.parametrize("rule, text, target, verdict, other, other_target", MATCH_CASES,
                         ids=[c[0].__name__ for c in MATCH_CASES])
def test_match_rule(rec: Recognizer, rule: Callable, text: str, target: str, verdict: int, other: str,
                    other_target: str) -> None:
    assert rule(rec, match(rec, text, target, last=rule is rules.known_surname)) == verdict
    assert rule(rec, match(rec, other, other_target)) == GO


def test_saint_dedication_names_the_site(rec: Recognizer) -> None:
    m = match(rec, "Mass at St Mary's Hospital today.", "St Mary")
    assert rules.saint_dedication(rec, m) == ACCEPT
    assert m.span is not None and m.span.text == "St Mary's Hospital" and m.span.candidates == ()


def test_glued_words_keep_only_a_country(rec: Recognizer) -> None:
    m = match(rec, "IraqAccording to them", "Iraq")
    assert rules.glued_words(rec, m) == GO
    assert m.cands and all(c.place.kind in ("country", "admin1") or c.place.source == "curated" for c in m.cands)


def test_ap_abbreviation_needs_its_stop(rec: Recognizer) -> None:
    m = match(rec, "They said Mass in Boston.", "Mass")
    rules.ap_abbreviation_needs_stop(rec, m)
    assert not any(c.place.kind == "admin1" and c.place.name == "Massachusetts" for c in m.cands)
    m = match(rec, "Springfield, Mass. officials", "Mass")
    assert rules.ap_abbreviation_needs_stop(rec, m) == GO
    assert any(c.place.name == "Massachusetts" for c in m.cands)


@pytest.mark.parametrize("text, target, region, reads", [
    ("Hail hit Red Deer, Alta. on Monday.", "Alta", "Alberta", True),           # after a name and a comma
    ("The Walker County (Ga.) Sheriff's Office said", "Ga", "Georgia", True),   # in brackets after a name
    ("Police in Winnipeg, Man. said", "Man", "Manitoba", True),
    ("The ski area lies in Alta. Opened in 1969, it grew.", "Alta", "Alberta", False),   # a town ending a sentence
    ("to the north-west, The Wash. The county town is Norwich.", "Wash", "Washington", False),   # a bay
    ("[Nairne in Ind. Ant. II. 317.]", "Ind", "Indiana", False),                # a journal
    ("He is a Man. She left.", "Man", "Manitoba", False),
    ("Rain fell on Victoria, B.C. all week.", "B.C.", "British Columbia", True),
    ("The town was founded in 300 B.C. by Greeks.", "B.C.", "British Columbia", False),   # a year
    ("Ill. officials said the storm hit Chicago.", "Ill", "Illinois", False),
    ("In D.C., the council voted.", "D.C.", "District of Columbia", True),                 # stands alone
])
def test_a_region_abbreviation_needs_the_place_it_qualifies(rec: Recognizer, text: str, target: str,
                                                                         region: str, reads: bool) -> None:
    m = match(rec, text, target)
    rules.ap_abbreviation_needs_stop(rec, m)
    assert any(c.place.kind == "admin1" and c.place.name == region for c in m.cands) == reads, m.cands


def test_organisation_rule_narrows_the_neighbours(rec: Recognizer) -> None:
    m = match(rec, "Loyola University in Los Angeles opened.", "Los Angeles")
    assert rules.organisation_in_chunk(rec, m) == GO and m.prev_in_chunk is None


def test_capitals_dateline_cuts_the_next_word(rec: Recognizer) -> None:
    m = match(rec, "SAN ANTONIO Turner Sports said", "SAN ANTONIO")
    assert m.next_in_chunk is not None
    assert rules.capitals_dateline(rec, m) == GO and m.next_in_chunk is None
    m = match(rec, "SAN ANTONIO TEXAS said", "SAN ANTONIO")
    rules.capitals_dateline(rec, m)
    assert m.next_in_chunk is not None


@pytest.mark.parametrize("text, target, feature, modifier", [
    ("Fires in Orange County spread.", "Orange", "county", False),
    ("Manchester City won.", "Manchester", None, True),
    ("Then Texas Governor Greg Abbott spoke.", "Texas", None, True),
])
def test_word_after_in_chunk_sets_feature_or_modifier(rec: Recognizer, text: str, target: str, feature: str | None,
                                                      modifier: bool) -> None:
    m = match(rec, text, target)
    assert rules.word_after_in_chunk(rec, m) == GO
    assert (m.feature, m.modifier) == (feature, modifier)


def test_site_named_after(rec: Recognizer) -> None:
    m = match(rec, "Troops at Camp Denver trained.", "Denver")
    assert rules.site_named_after(rec, m) == ACCEPT
    assert m.span is not None and m.span.text == "Camp Denver" and m.span.candidates == ()
    assert rules.site_named_after(rec, match(rec, "Rain in Greater Manchester.", "Manchester")) == GO


def test_region_after_comma_is_strong(rec: Recognizer) -> None:
    m = match(rec, "Floods hit Reading, England today.", "Reading")
    m.strong = False
    assert rules.region_after_comma(rec, m) == GO and m.strong
    m = match(rec, "Floods hit Reading, said Bob.", "Reading")
    m.strong = False
    rules.region_after_comma(rec, m)
    assert not m.strong


# --- rules on the built span

def test_ap_full_stop(rec: Recognizer) -> None:
    m, span = prepared(rec, "Police in Sacramento, Calif. said", "Calif")
    assert rules.ap_full_stop(rec, m, span) == GO and span.text == "Calif."


def test_named_after_place(rec: Recognizer) -> None:
    m, span = prepared(rec, "Fires in Orange County spread.", "Orange")
    assert rules.named_after_place(rec, m, span) == ACCEPT
    assert m.span is not None and m.span.text == "Orange County" and m.span.candidates == ()
    m, span = prepared(rec, "Fires in Orange spread.", "Orange")
    assert rules.named_after_place(rec, m, span) == GO


def test_modifier_of_name(rec: Recognizer) -> None:
    m, span = prepared(rec, "Then Texas Governor Greg Abbott spoke.", "Texas")
    assert rules.modifier_of_name(rec, m, span) == ACCEPT and span.metonym
    m, span = prepared(rec, "Rain in Texas fell.", "Texas")
    assert rules.modifier_of_name(rec, m, span) == GO


def test_state_university(rec: Recognizer) -> None:
    m, span = prepared(rec, "Then Mississippi State won again.", "Mississippi")
    assert rules.state_university(rec, m, span) == REJECT
    m, span = prepared(rec, "Rain in Mississippi fell.", "Mississippi")
    assert rules.state_university(rec, m, span) == GO


def test_near_word_before(rec: Recognizer) -> None:
    m, span = prepared(rec, "A blast near Mosul killed two.", "Mosul")
    assert rules.near_word_before(rec, m, span) == GO and span.near
    m, span = prepared(rec, "A blast in Mosul killed two.", "Mosul")
    rules.near_word_before(rec, m, span)
    assert not span.near


def test_area_word_after(rec: Recognizer) -> None:
    m, span = prepared(rec, "Shelling in the Idlib countryside went on.", "Idlib")
    assert rules.area_word_after(rec, m, span) == GO and span.near and span.feature == "countryside"


def test_town_word_after(rec: Recognizer) -> None:
    m, span = prepared(rec, "Families protested outside the court in Amara city.", "Amara")
    assert rules.town_word_after(rec, m, span) == GO and span.town_word
    m, span = prepared(rec, "Families protested outside the court in Amara on Monday.", "Amara")
    rules.town_word_after(rec, m, span)
    assert not span.town_word


def test_comma_qualifier(rec: Recognizer) -> None:
    m, span = prepared(rec, "A fair in Paris, Texas opened.", "Paris")
    assert rules.comma_qualifier(rec, m, span) == GO and span.comma_next == "texas"


def test_state_after_town(rec: Recognizer) -> None:
    m, span = prepared(rec, "Rain in Tacoma, Washington fell.", "Washington")
    assert rules.state_after_town(rec, m, span) == GO and span.feature == "state"
    m, span = prepared(rec, "Talks in Washington began.", "Washington")
    rules.state_after_town(rec, m, span)
    assert span.feature is None


def test_reading(rec: Recognizer) -> None:
    m, span = prepared(rec, "Yesterday Moscow condemned the strike.", "Moscow")
    assert rules.reading(rec, m, span) == GO and span.metonym
    m, span = prepared(rec, "Snow fell in Moscow yesterday.", "Moscow")
    rules.reading(rec, m, span)
    assert not span.metonym


# --- metonymy rules: (rule, phrase, target, verdict) and a contrasting phrase with GO

def reading(rec: Recognizer, text: str, target: str) -> metonymy.Reading:
    m, span = prepared(rec, text, target)
    return metonymy.Reading(rec.gaz, m.tokens, m.i, m.j, span)


METONYM_CASES: list[tuple[Callable, str, str, int, str, str]] = [
    (metonymy.region_of_town_before, "Yes, Tacoma, Washington shares tips.", "Washington", LITERAL,
     "Yes, Washington shares tips.", "Washington"),
    (metonymy.possessive_geo_noun, "Rain fell on Syria's north.", "Syria", LITERAL,
     "He met Syria's leaders.", "Syria"),
    (metonymy.possessive_economy, "They praised Hawaii's economy.", "Hawaii", LITERAL,
     "They praised Hawaii's beaches.", "Hawaii"),
    (metonymy.possessive_country, "They noted Russia's decision.", "Russia", METONYM,
     "They noted Mosul's decision.", "Mosul"),
    (metonymy.possessive_agent_noun, "They met Ohio's lawmakers.", "Ohio", METONYM,
     "They saw Ohio's rivers.", "Ohio"),
    (metonymy.possessive_act, "They noted Moscow's response.", "Moscow", METONYM,
     "They left Moscow quickly.", "Moscow"),
    (metonymy.modifier_of_agents, "Then US officials spoke.", "US", METONYM, "Then US cities flooded.", "US"),
    (metonymy.country_as_modifier, "They discussed US goals.", "US", METONYM,
     "They said Iraq is calm.", "Iraq"),
    (metonymy.hyphen_agent, "The Iran-backed militias fired.", "Iran", METONYM,
     "The Iran-Iraq war ended.", "Iran"),
    (metonymy.modal_then_verb, "He said Mexico should limit flights.", "Mexico", METONYM,
     "He said London will be hit.", "London"),
    (metonymy.rival_before, "A loss against Louisville hurt.", "Louisville", METONYM,
     "Strikes against Raqqa went on.", "Raqqa"),
    (metonymy.result_against, "A 1-0 defeat to Reading followed.", "Reading", METONYM,
     "A train to Reading left.", "Reading"),
    (metonymy.team_plural_verb, "Liverpool have won again.", "Liverpool", METONYM,
     "Liverpool has a port.", "Liverpool"),
    (metonymy.relations_between, "Relations between Harare and London soured.", "Harare", METONYM,
     "Roads between Harare and Mutare closed.", "Harare"),
    (metonymy.agent_of_verb, "Yesterday Baghdad condemned the raid.", "Baghdad", METONYM,
     "Yesterday Baghdad was shelled again.", "Baghdad"),
    (metonymy.body_of_place, "They met the government of Ukraine.", "Ukraine", METONYM,
     "They met the people of Ukraine.", "Ukraine"),
    (metonymy.only_countries_further, "They reached Mosul.", "Mosul", LITERAL, "They reached Iraq.", "Iraq"),
    (metonymy.partner_of_act, "It had backing from the United States.", "United States", METONYM,
     "It had flights from the United States.", "United States"),
    (metonymy.after_locative, "Troops in Syria waited.", "Syria", LITERAL, "Troops of Syria waited.", "Syria"),
    (metonymy.listed_after_locative, "Militias in Iraq and Yemen waited.", "Yemen", LITERAL,
     "Militias backed by Iraq and Yemen waited.", "Yemen"),
    (metonymy.partner_word_before, "He held talks with Iran.", "Iran", METONYM,
     "He walked along the border with Mexico.", "Mexico"),
    (metonymy.country_after_of, "He noted the decision of Egypt.", "Egypt", METONYM,
     "He noted the economy of Mexico.", "Mexico"),
    (metonymy.joined_agent_verb, "He expects Iran to respond.", "Iran", METONYM,
     "He expects Iran to be calm.", "Iran"),
    (metonymy.sentence_subject, "Russia has ordered more.", "Russia", METONYM, "Russia - A blast.", "Russia"),
    (metonymy.infinitive_after, "He expects China to impose tariffs.", "China", METONYM,
     "He moved from Seoul to America to study.", "America"),
]


@pytest.mark.parametrize("rule, text, target, verdict, other, other_target", METONYM_CASES,
                         ids=[c[0].__name__ for c in METONYM_CASES])
def test_metonymy_rule(rec: Recognizer, rule: Callable, text: str, target: str, verdict: int, other: str,
                       other_target: str) -> None:
    assert rule(reading(rec, text, target)) == verdict
    found = rule(reading(rec, other, other_target))
    assert found != verdict, (other, found)


# --- the lists themselves

def test_every_rule_has_a_test_and_an_example_phrase() -> None:
    docs = {}
    for module in (rules, metonymy):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        docs.update({f.name: ast.get_docstring(f) for f in tree.body if isinstance(f, ast.FunctionDef)})
    tested = ({c[0] for c in MATCH_CASES} | {c[0] for c in METONYM_CASES}
              | {rules.saint_dedication, rules.glued_words, rules.ap_abbreviation_needs_stop,
                 rules.organisation_in_chunk, rules.capitals_dateline, rules.word_after_in_chunk,
                 rules.site_named_after, rules.region_after_comma, rules.defined_as_place, rules.named_product, *rules.SPAN_RULES})
    for rule in (*rules.MATCH_RULES, *rules.SPAN_RULES, *metonymy.RULES):
        assert rule in tested, rule.__name__
        doc = docs.get(rule.__name__)       # read from the source: a compiled twin keeps no docstrings
        assert doc and doc.count('"') >= 2, rule.__name__     # a quoted example phrase
    assert len(set(rules.MATCH_RULES)) == len(rules.MATCH_RULES) and len(set(metonymy.RULES)) == len(metonymy.RULES)


@pytest.mark.parametrize(("module", "runner", "table"), [
    (rules, "run_match_rules", "MATCH_RULES"), (rules, "run_span_rules", "SPAN_RULES"),
    (metonymy, "run_rules", "RULES"),
])
def test_rule_runners_call_their_table_in_order(module: object, runner: str, table: str) -> None:
    # the runners spell the tables out as direct calls (compiled: native calls): they must stay the same list
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    fn = next(f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == runner)
    called = [n.func.id for n in ast.walk(fn) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    assert called == [rule.__name__ for rule in getattr(module, table)]
    tests_per_if = [n for n in ast.walk(fn) if isinstance(n, ast.If)]
    assert all(isinstance(n.test, ast.Compare) and ast.unparse(n.test) == "verdict == GO" for n in tests_per_if)
    assert len(tests_per_if) == len(called) - 1


@pytest.mark.parametrize("text, start, end, opens", [
    ("KYIV, Ukraine (AP) - Drones", 0, 4, True),
    ("Talks stalled.\n  DOHA (Reuters) - Mediators", 17, 21, True),
    ("ROME \u2014 The pope said", 0, 4, True),
    ("He said NATO, the alliance", 8, 12, False),      # not at a line's start
    ("KYIV officials said", 0, 4, False),              # no comma, bracket or dash after it
])
def test_opens_dateline(text: str, start: int, end: int, opens: bool) -> None:
    from geoinc.geoparser.recognizer import opens_dateline
    assert opens_dateline(text, start, end) == opens
