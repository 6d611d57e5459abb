"""Where an incident happened: qualifier re-resolution, names linked to the event, on phrases of our own."""
from __future__ import annotations

import pytest

from geoinc.incidents.extract import extract_incidents
from geoinc.incidents.places import _qualifier_names
from geoinc.models import Mention

PUB = "2022-05-09"


def one(text: str):
    found = extract_incidents(text, PUB)
    assert len(found) == 1, [(i.sub_event_type, i.location) for i in found]
    return found[0]


# --- qualifiers ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("town, district, region", [
    ("Trincomalee", "Trincomalee", "Eastern"),       # Eastern: also Ghana's region; the towns say Sri Lanka
    ("Mannar", "Mannar", "Northern"),
])
def test_a_town_qualifier_keeps_the_geoparsers_country(town, district, region):
    inc = one(f"On 3 May 2022, traders protested in {town} ({district}, {region}) over fuel prices.")
    assert (inc.country, inc.geo_precision) == ("Sri Lanka", 1)


def test_a_qualifier_repeating_the_place_name_is_the_place_itself():
    inc = one("On 3 May 2022, traders protested in Asuncion (Asuncion) over fuel prices.")
    assert (inc.country, inc.geo_precision) == ("Paraguay", 1)


def test_a_place_qualified_by_its_region_moves_there():
    inc = one("On 17 January 2022, residents marched through downtown Athens (Georgia) to demand a new bridge.")
    assert (inc.country, inc.admin1) == ("United States", "Georgia")


def test_a_comma_qualifier_may_end_with_its_admin_word():
    text = "Russian forces shelled Balakliia, Kharkiv region as they advanced."
    start = text.index("Balakliia")
    assert _qualifier_names(text, Mention(start, start + len("Balakliia"), "Balakliia")) == ["Kharkiv"]
    assert _qualifier_names("in Izium, Kharkiv.", Mention(3, 8, "Izium")) == ["Kharkiv"]


# --- a name the geoparser left open but the event names --------------------------------------------------

def test_a_linked_name_takes_its_namesake_not_a_country_named_in_passing():
    inc = one("On 6 May 2022, students demonstrated in Landerneau against the war in Ukraine.")
    assert (inc.location, inc.country) == ("Landerneau", "France")


def test_a_neighbourhood_of_a_town_stays_at_the_town():
    inc = one("On 6 May 2022, in Campo Grande (Mato Grosso do Sul), a man was shot dead in the Vila Nova "
              "neighborhood.")
    assert inc.country == "Brazil" and abs(inc.latitude - (-20.44)) < 0.3


# --- names linked to the event by syntax (geoinc.incidents.linking) -------------------------------------

def test_every_link_rule_finds_the_name_of_its_example():
    from geoinc.incidents.linking import LINK_RULES, linked_names
    for rule, _pattern, example in LINK_RULES:
        for part in example.split(";"):
            assert linked_names(part), (rule, part)


@pytest.mark.parametrize("text, names", [
    ("a bomb went off in the town of al-Wafa", ["al-Wafa"]),
    ("they were walking through Adil neighborhood", ["Adil"]),
    ("a bomb in Baghdad's northern district of Kadhimiya", ["Kadhimiya"]),
    ("clashes in Tabag village in Uruzgan", ["Tabag"]),
    ("troops stormed the village of Tal Hamid.", ["Tal Hamid"]),
    ("protesters marched in the town of Basra Wednesday", ["Basra"]),                 # not into the weekday
    ("fighters shelled the Greek-owned ship.", []),                                   # a compound adjective
    ("people protested at Maria Serrana University over fees", []),                   # an institution
    ("protesters gathered in Kyun Hpyar village (Kani township, Mingin district)", ["Kyun Hpyar"]),  # not its qualifiers
    ("rallies were held on International Women's Day in the city.", []),
])
def test_linked_names(text, names):
    from geoinc.incidents.linking import linked_names
    assert [k.name for k in linked_names(text)] == names


def test_every_link_rule_passes_its_own_gates_on_its_example():
    # a gate closed on a sentence the rule matches would lose the name: each gate must be part of every match
    import re
    from geoinc.incidents.linking import _GATES, _RULE_GATES, LINK_RULES
    for rule, pattern, example in LINK_RULES:
        for part in example.split(";"):
            for m in re.finditer(pattern, part):
                assert all(_GATES[g].search(part, m.start(), m.end()) for g in _RULE_GATES.get(rule, ())), (rule, part)


@pytest.mark.parametrize("before", ["about 750 km southwest of ", "according to residents of ", "near the town of ",
                                    "in the countryside of ", "Ciudad de Mexico - ", "the people of ", "٣ km from "])
def test_a_gated_phrase_search_finds_what_the_pattern_finds(before):
    from geoinc.incidents.lexicons import NEAR, REFERENCE
    from geoinc.incidents.places import (_AS_REGION_BEFORE, _AS_REGION_WORDS, _CITY_DASH, _NEAR_WORDS,
                                         _REFERENCE_WORDS, _found)
    for rx, words in ((REFERENCE, _REFERENCE_WORDS), (NEAR, _NEAR_WORDS), (_AS_REGION_BEFORE, _AS_REGION_WORDS),
                      (_CITY_DASH, ("-",))):
        assert _found(rx, words, before) == (rx.search(before) is not None), (rx.pattern, before)


@pytest.mark.parametrize("text", [
    "a bomb went off in the town of al-Wafa near ash-Sham and ‘Adan",
    "shelling of ad-Din, al‘Ula and Deir ez-Zor; the iPhone plant in Al-Sham",
    "they marched from San Pedro de la Paz to Abu al-Dhuhour on Wednesday",
    "no capital letters here at all",
    "A‘Bc and X-Yz met in ash-Sham‘Ula",
])
def test_names_are_found_where_a_name_can_begin_as_by_a_full_scan(text):
    # the scan tries the pattern only at capitals and particles (name_starts): it must find what finditer does
    from geoinc.incidents.linking import NAME, finditer_at, name_starts
    import re
    rx = re.compile(NAME)
    for start, end in ((0, len(text)), (3, len(text) - 2), (len(text) // 2, len(text))):
        starts = name_starts(text, start, end)
        assert starts == sorted(set(starts)) and all(start <= c < end for c in starts)
        assert [m.span() for m in finditer_at(rx, text, start, end, name_starts(text, start, end))] == \
            [m.span() for m in rx.finditer(text, start, end)]


@pytest.mark.parametrize("text", [
    "gunmen opened fire in Tabag village in Uruzgan; in Maryin Gubay, a small town in the south",
    "fighting within Homs and near  al-Wafa, then inside\nGaza and outside Kyiv (in Aleppo, Syria)",
    "In Aleppo, at The Hague; sat Idlib, main Street; in ‘Adan near ash-Sham‘Ula",
    "no capital letters here at all, in or at or near",
])
def test_the_in_a_place_rule_is_tried_at_the_words_before_names_as_by_a_full_scan(text):
    # the rule opening with "in"/"at"/"near"/... is tried only at such a word right before a name start: it must
    # find what finditer does, on any slice
    from geoinc.incidents.linking import _COMPILED, _WORD_BEFORE_NAME, _word_before_names, finditer_at, name_starts
    for rule, rx, _gates in _COMPILED:
        words = _WORD_BEFORE_NAME.get(rule)
        if words is None:
            continue
        for start, end in ((0, len(text)), (4, len(text) - 3), (len(text) // 2, len(text))):
            at = _word_before_names(text, start, name_starts(text, start, end), words)
            assert [m.span() for m in finditer_at(rx, text, start, end, at)] == \
                [m.span() for m in rx.finditer(text, start, end)], (rule, start, end)


@pytest.mark.parametrize("text", [
    "insurgents are shelling Kafraya and Fuah; troops stormed the village of Tal Hamid.",
    "they recaptured Kobani, then re-entered Manbij, targeting the town of Jarablus; bombshells hit Afrin.",
    "no attack here at all",
    "the center’s “entered” shelling: Iran’s forces stormed ‘Adan and besieged Homs’ suburbs",
])
def test_the_attack_rule_is_tried_where_a_verbs_stem_occurs_as_by_a_full_scan(text):
    from geoinc.incidents.linking import _ATTACK_GATE, _COMPILED, _GATES, _OPENS_WITH_VERB, _attack_verbs, finditer_at
    for rule, rx, _gates in _COMPILED:
        if rule not in _OPENS_WITH_VERB:
            continue
        for start, end in ((0, len(text)), (5, len(text) - 3), (len(text) // 2, len(text))):
            verbs = _attack_verbs(text, start, end)
            assert verbs == sorted(verbs) and all(start <= v < end for v in verbs)
            # a superset of where the verbs' own pattern matches ("enter" of "center" too)
            assert {v.start() for v in _GATES[_ATTACK_GATE].finditer(text, start, end)} <= set(verbs)
            assert [m.span() for m in finditer_at(rx, text, start, end, verbs)] == \
                [m.span() for m in rx.finditer(text, start, end)], (rule, start, end)


def test_the_attack_verbs_stems_begin_every_verb():
    from geoinc.incidents.gate import literal_gate
    from geoinc.incidents.linking import _ATTACK_STEMS, _ATTACKED, _stems
    assert _stems(("attacked", "attacking", "struck", "strike", "striking")) == ("attack", "strik", "struck")
    assert all(any(w.startswith(s) for s in _ATTACK_STEMS) for w in literal_gate(_ATTACKED) or ())
    assert "shell" in _ATTACK_STEMS and "overr" in _ATTACK_STEMS


def test_the_articles_ascii_copy_keeps_every_offset():
    from geoinc.incidents.linking import ascii_copy
    text = "Iran’s “forces” shelled Deir ez-Zor – İdlib too"
    plain = ascii_copy(text)
    assert plain.isascii() and len(plain) == len(text) and ascii_copy(text) is plain      # remembered
    assert all(a == b if b.isascii() else a == "?" for a, b in zip(plain, text))
    assert ascii_copy("plain text") == "plain text"


def test_a_sentences_name_starts_are_worked_out_once_per_article():
    from geoinc.incidents.linking import begin_article, name_starts, sentence_name_starts
    text = "Protesters gathered in Kyun Hpyar village near al-Wafa. Gunmen shelled Kafraya."
    begin_article(text)
    first = sentence_name_starts(text, 0, 55)
    assert first == name_starts(text, 0, 55) and sentence_name_starts(text, 0, 55) is first     # remembered
    assert sentence_name_starts(text, 56, len(text)) == name_starts(text, 56, len(text))
    begin_article(text)                                   # a new reading of the article works them out again
    assert sentence_name_starts(text, 0, 55) is not first and sentence_name_starts(text, 0, 55) == first
    other = text.replace("Kafraya", "Fuah")
    assert sentence_name_starts(other, 56, len(other)) == name_starts(other, 56, len(other))   # another text


@pytest.mark.parametrize("text, trigger", [
    ("On 3 May 2022, in Aleppo, Syria, rebels shelled Hama and Homs near Idlib, 80 km south of Damascus.", 40),
    ("Police in Karachi said gunmen attacked a market in the Lyari neighbourhood of Karachi, Pakistan.", 25),
])
def test_the_best_ranked_place_is_the_first_minimum_of_the_whole_rank(text, trigger):
    # parts of the rank are worked out only for the candidates still tied: the same place as min over the key
    from geoinc import geoparse
    from geoinc.incidents.places import _best_ranked, _rank
    cands = [m for m in geoparse(text) if m.resolved]
    assert len(cands) >= 3
    for i in range(len(cands)):
        pool = cands[i:] + cands[:i]
        for q in (frozenset(), frozenset({pool[0].start})):
            assert _best_ranked(pool, trigger, text, q) is min(pool, key=lambda m: _rank(m, trigger, text, q))


@pytest.mark.parametrize("text, names", [
    ("clashes in the Idleb countryside and in the province of Dar'a", ["Idleb", "Dar'a"]),
    ("shelling in Deir ez Zor governorate", ["Deir ez Zor"]),
    ("a statement on the state of the economy", []),            # a unit word, no region named with it
    ("clashes (Hama, in the Idleb countryside) and in Homs province", ["Idleb", "Homs"]),
    ("Protesters gathered in Karachi on Monday", []),           # no unit word at all
])
def test_region_phrases(text, names):
    from geoinc.incidents.places import _REGION_PHRASE, region_phrases
    assert region_phrases(text, 0, len(text)) == names
    assert names == [g.group("a") or g.group("b") for g in _REGION_PHRASE.finditer(text)]     # as a full scan


def test_a_sub_location_the_geoparser_does_not_know_names_the_incident_at_its_towns_point():
    inc = one("On 2 May 2022, a car bomb exploded in the Zayouna neighbourhood of Baghdad, killing four people.")
    assert (inc.location, inc.geo_precision, inc.country) == ("Zayouna", 2, "Iraq")


# --- which of a sentence's places is the event's -----------------------------------------------------------

def test_a_place_opening_the_sentence_frames_it():
    inc = one("On 2 May 2022, in Puebla, Puebla, teachers protested at the Palace of Government, then marched "
              "along Reforma avenue toward the Tlaxcala road.")
    assert (inc.location, inc.country) == ("Puebla", "Mexico")


def test_the_province_not_the_country_and_the_town_not_its_countryside():
    from geoinc.incidents.places import area_level
    text = "a bomb exploded in Thailand's southern province of Narathiwat"
    country = Mention(19, 27, "Thailand", kind="country", precision=3)
    province = Mention(text.index("Narathiwat"), len(text), "Narathiwat", kind="admin1", precision=3)
    assert area_level(province, text) < area_level(country, text)
    text = "an offensive in the eastern countryside of Aleppo targeting the town of Tadef"
    aleppo = Mention(text.index("Aleppo"), text.index("Aleppo") + 6, "Aleppo", kind="city", precision=1)
    tadef = Mention(text.index("Tadef"), len(text), "Tadef", kind="town", precision=1)
    assert area_level(tadef, text) < area_level(aleppo, text)


def test_a_comma_qualifier_chains_on_into_parentheses():
    text = "in Nat Chaung village, Kale township (Kale district, Sagaing region), troops attacked"
    assert _qualifier_names(text, Mention(3, 13, "Nat Chaung")) == ["Kale", "Kale", "Sagaing"]


def test_a_month_after_in_is_no_fallback_place():
    from geoinc.incidents.places import fallback_place
    text = "The village was captured in June after weeks of fighting."
    assert fallback_place([], 0, text) is None


def test_a_point_of_reference_or_an_actors_town_is_not_the_place():
    from geoinc.incidents.places import reference_only
    text = "a judge was shot dead in Farah city, about 750 kilometers (465 miles) southwest of Kabul."
    kabul = Mention(text.index("Kabul"), text.index("Kabul") + 5, "Kabul", kind="city", precision=1)
    farah = Mention(text.index("Farah"), text.index("Farah") + 5, "Farah", kind="admin1", precision=3)
    assert reference_only(kabul, text) and not reference_only(farah, text)
    text = "police arrested him in Lahore and handed him to Karachi police"
    karachi = Mention(text.index("Karachi"), text.index("Karachi") + 7, "Karachi", kind="city", precision=1)
    assert reference_only(karachi, text)


def test_a_qualifier_naming_regions_in_several_countries_does_not_move_the_place():
    inc = one("On 3 May 2022, protesters demonstrated in Riffa (Southern) demanding the release of prisoners.")
    assert inc.country == "Bahrain"


def test_a_place_named_again_in_its_qualifier_takes_that_reading():
    from geoinc.incidents.places import requalify
    text = "clashes in Xyzzyville (Bafut, Mezam)"
    bafut = Mention(text.index("Bafut"), text.index("Bafut") + 5, "Bafut", name="Bafut", lat=6.08, lon=10.1,
                    country_code="CM", kind="town", precision=1, place_id=None)
    town = Mention(11, 21, "Xyzzyville")
    out, quals = requalify(text, [town, bafut])
    assert out[0].country_code is None and bafut.start in quals       # another name: not the same place
    text = "clashes in Bafut (Bafut, Mezam)"
    first = Mention(11, 16, "Bafut")
    again = Mention(18, 23, "Bafut", name="Bafut", lat=6.08, lon=10.1, country_code="CM", kind="town", precision=1)
    out, _ = requalify(text, [first, again])
    assert (out[0].start, out[0].country_code, out[0].lat) == (11, "CM", 6.08)


def test_an_event_place_the_gazetteer_does_not_know_is_kept_by_name_without_coordinates():
    (inc,) = extract_incidents("Rebels stormed the Qorlaq Airport on Saturday, killing four soldiers.", "2024-06-01")
    assert (inc.location, inc.latitude, inc.longitude) == ("Qorlaq Airport", None, None)


def test_an_unknown_name_without_a_locative_word_or_site_word_is_no_unlocated_place():
    from geoinc.incidents.places import unlocated_place

    text = "Zarvani gunmen attacked a bus in Qorlaq village."
    people = Mention(0, 7, "Zarvani")
    village = Mention(33, 39, "Qorlaq")
    assert unlocated_place([people], 0, len("Zarvani gunmen attacked a bus"), text) is None
    found = unlocated_place([people, village], 0, len(text), text)
    assert found is not None and found.text == "Qorlaq" and not found.resolved


def test_a_name_the_recogniser_missed_after_in_is_the_unlocated_place_but_a_month_is_not():
    from geoinc.incidents.places import unlocated_place

    text = "A roadside bomb hit their car in nearby Qarvadiyah."
    found = unlocated_place([], 0, len(text), text)
    assert found is not None and found.text == "Qarvadiyah" and not found.resolved
    month = "A roadside bomb hit their car in March."
    assert unlocated_place([], 0, len(month), month) is None


def test_a_place_noun_before_an_unknown_name_makes_it_the_unlocated_place():
    (inc,) = extract_incidents("Soldiers patrolled the villages surrounding Qarvadi, looking for the attackers.",
                               "2024-06-01")
    assert (inc.location, inc.latitude) == ("Qarvadi", None)


# --- the units a qualifier chain names, outermost last --------------------------------------------------

def test_a_district_is_the_one_inside_the_region_named_after_it():
    # Az Zahir is a district of both Al Jawf and Al Bayda: the chain's outer name tells which
    inc = one("On 2 March 2022, gunmen kidnapped a farmer in Qarwat al-Nusur village (Az Zahir, Al Bayda).")
    assert inc.geo_precision == 2 and inc.admin1 == "Al Bayda"
    assert inc.place_id == "admin2:YE.muhafazat-al-bayda.az-zahir"


def test_a_coders_part_of_a_region_reads_as_the_region():
    # "Bago-East": the eastern part of Bago; the village is unknown, its district town Taungoo is known
    inc = one("On 20 May 2022, in Thit Pyay Kone village (Ywatha township, Taungoo district, Bago-East region), "
              "soldiers shelled the village.")
    assert inc.place_id == "geonames:1290596" and inc.geo_precision == 2 and inc.admin1 == "Bago-East"


# --- an unknown place at the unit the text names around it ------------------------------------------------

@pytest.mark.parametrize("text, admin1", [
    ("On 4 March 2022, gunmen killed a shepherd in Umm Khashab district, Maysan province.", "Maysan"),
    ("On 6 March 2022, a roadside bomb hit a patrol in the Qaryat Zuhur district of Diyala.", "Diyala"),
    ("On 8 March 2022, a mortar round fell on a farm near Tell Rumaythah in Thi Qar province.", "Thi Qar"),
])
def test_an_unknown_place_is_placed_in_the_region_the_text_names(text, admin1):
    inc = one(text)
    assert inc.latitude is not None and inc.geo_precision == 3 and inc.admin1 == admin1, \
        (inc.location, inc.place_id, inc.admin1)
    assert inc.place_id.startswith("admin1:IQ.")


def test_a_region_called_so_is_read_as_the_region_where_the_gazetteer_has_only_its_city():
    # "Ar Raqqa countryside": the governorate; Saida there is not Lebanon's Sidon
    inc = one("On 3 June 2022, artillery shelled farms near Saida town in Ar Raqqa countryside, wounding a boy.")
    assert inc.country_code == "SY" and inc.admin1 == "Ar Raqqa", (inc.location, inc.place_id)


def test_a_city_dash_district_before_its_qualifier():
    # ACLED's "City - district (Region)": the qualifier still qualifies the city
    inc = one("On 9 March 2022, in Sao Goncalo - Vista Alegre (Rio de Janeiro), police shot a man during a raid.")
    assert inc.country_code == "BR" and inc.admin1 == "Rio de Janeiro" and inc.latitude < -22


def test_a_comma_qualifier_before_the_rest_of_the_sentence():
    # "in X town, Region to ...": the region qualifies the town though the sentence runs on
    inc = one("On 17 February 2022, nurses staged a demonstration in Kuzeyli town, Istanbul to demand higher pay.")
    assert inc.country_code == "TR" and inc.admin1 == "Istanbul", (inc.location, inc.place_id)


def test_a_town_qualifier_picks_the_namesake_beside_it():
    # Chicopee is a town next to Springfield, Massachusetts: not the bigger Springfield of Missouri
    inc = one("On 2 March 2022, farmers protested in Springfield, Chicopee, over water prices.")
    assert (inc.country_code, inc.admin1) == ("US", "Massachusetts"), inc.place_id


@pytest.mark.parametrize("before, reference", [("about 750 km southwest of ", True), ("٣ km from ", True),
                                               ("some 30 miles from ", True), ("the people of ", False)])
def test_a_distance_before_a_place_makes_it_a_point_of_reference(before, reference):
    from geoinc.incidents.places import reference_only
    text = before + "Kabul"
    assert reference_only(Mention(len(before), len(text), "Kabul"), text) is reference


def test_the_mentions_of_a_sentence_are_those_beginning_in_it_in_their_order():
    from geoinc.incidents.places import mentions_between
    ms = [Mention(0, 5, "Homs"), Mention(10, 15, "Hama"), Mention(10, 14, "Ham"), Mention(20, 25, "Idlib")]
    for start, end in ((0, 30), (0, 10), (10, 11), (11, 20), (5, 21), (30, 40)):
        want = [m for m in ms if start <= m.start < end]
        assert mentions_between(ms, start, end) == want
        shuffled = [ms[3], ms[0], ms[2], ms[1]]             # not in text order: read one by one
        assert mentions_between(shuffled, start, end) == [m for m in shuffled if start <= m.start < end]
    other = ms + [Mention(26, 30, "Daraa")]                  # another list of mentions: its own starts
    assert mentions_between(other, 20, 40) == other[3:]


@pytest.mark.parametrize("text", [
    "a bomb went off in the town of al-Wafa near ash-Sham and ‘Adan; al‘Ula, Deir ez-Zor",
    "A‘Bc and X-Yz met in ash-Sham‘Ula; O'Neil and d’Arc; -Q 'R ’S ‘",
    "no capital letters here at all",
    "ÉCOLE Ürümqi İstanbul AL-ANBAR",
])
def test_name_starts_read_character_by_character_are_the_capitals_and_particles(text):
    # the offsets the regex of capitals and "‘" gives, with the particle offsets before a capital after a mark
    import re
    from geoinc.incidents.linking import _NAME_HITS, _PARTICLE_MARKS, name_starts
    for start, end in ((0, len(text)), (3, len(text) - 2), (len(text) // 2, len(text)), (5, 5)):
        want: list[int] = []
        last = start - 1
        for h in _NAME_HITS.finditer(text, start, end):
            c = h.start()
            if text[c] == "‘":
                before: tuple[int, ...] = (c - 3, c - 2)
            elif c > start and text[c - 1] in _PARTICLE_MARKS:
                before = (c - 4, c - 3)
            else:
                before = ()
            want += [i for i in before if i > last] + [c]
            last = c
        assert name_starts(text, start, end) == want, (start, end)


@pytest.mark.parametrize("text", [
    "Gunmen attacked a bus near Homs, 80 km west of Aleppo, according to police; Kyiv’s “suburbs”",
    "Ciudad de Mexico - Centro: in the countryside of Idlib, near the border with Syria",
    "İstanbul: near the border with Syria, 80 km west of Kyiv",          # a letter re.I folds to "i"
    "\u0663 killed near the ʻborder’ with Iraq",                          # a digit of another script
])
def test_a_phrase_before_a_mention_is_found_as_in_the_slice(text):
    # _found_in reads the gate's words in the article's lower-cased ASCII copy: the same answers as _found
    from geoinc.incidents.places import (_AS_REGION_BEFORE, _AS_REGION_WORDS, _CITY_DASH, _NEAR_WORDS,
                                         _REFERENCE_WORDS, NEAR, REFERENCE, _found, _found_in)
    for rx, words in ((REFERENCE, _REFERENCE_WORDS), (_CITY_DASH, ("-",)), (_AS_REGION_BEFORE, _AS_REGION_WORDS),
                      (NEAR, _NEAR_WORDS), (NEAR, None), (NEAR, (*(_NEAR_WORDS or ()), "bördér"))):
        for end in range(len(text) + 1):
            for width in (10, 30, 40, 70):
                start = max(0, end - width)
                assert _found_in(rx, words, text, start, end) == _found(rx, words, text[start:end]), (start, end)


@pytest.mark.parametrize("text", [
    "Athens (Georgia), Toledo, Ohio; Iran’s forces in Aleppo. Vesele district, Kharkiv region\u00a0(Ukraine)",
    "Sao Goncalo - Neves (Rio de Janeiro) and Hit in Anbar province,",
])
def test_a_qualifier_is_matched_as_by_the_pattern_at_every_offset(text):
    from geoinc.incidents.places import _QUALIFIER, _qualifier_at
    for pos in range(len(text) + 1):
        got, want = _qualifier_at(text, pos), _QUALIFIER.match(text, pos)
        assert (got and got.span()) == (want and want.span()), pos
    assert _qualifier_at(text, text.index(" (")) is not None


@pytest.mark.parametrize("text", [
    "shelling from the border with Syria near Qusayr, about 750 km from Kabul according to police, Opposite Homs",
    "FROM  Jordan; fromage of Lyon; the Borders of Iraq’s Anbar",
    "İstanbul: according to Ankara",                                     # a letter re.I folds: the general way
])
def test_a_point_of_reference_before_a_mention_is_found_as_by_the_pattern(text):
    from geoinc.incidents.places import _REFERENCE_WORDS, REFERENCE, _found, _reference_before
    hits = 0
    for end in range(len(text) + 1):
        start = max(0, end - 40)
        want = _found(REFERENCE, _REFERENCE_WORDS, text[start:end])
        assert _reference_before(text, start, end) == want, end
        hits += want
    assert hits > 0


# --- an event the text places only in a first-level region ---------------------------------------------------

@pytest.mark.parametrize("sentence, region, seat, lat, lon", [
    ("On 4 May 2022, gunmen attacked a police post in Anbar province, killing two officers.",
     "Anbar", "Ramadi", 33.42, 43.31),
    ("On 4 May 2022, an airstrike hit a fuel depot in Idlib governorate, killing three people.",
     "Idlib", "Idlib", 35.93, 36.63),
])
def test_an_event_placed_only_by_its_region_stands_at_the_regions_largest_town(sentence, region, seat, lat, lon):
    from geoinc.geodesy import geodesic_km

    inc = one(sentence)
    assert (inc.location, inc.admin1, inc.geo_precision) == (region, region, 3)   # the region the text names
    assert geodesic_km(inc.latitude, inc.longitude, lat, lon) < 5                  # at its seat, as ACLED codes it
    assert f"placed at {seat}" in inc.tags


def test_an_event_in_a_town_of_the_region_stays_in_the_town():
    inc = one("On 4 May 2022, gunmen attacked a police post in Haditha in Anbar province, killing two officers.")
    assert (inc.location, inc.geo_precision) == ("Haditha", 1)
    assert "placed at" not in inc.tags


@pytest.mark.parametrize("sentence, name", [
    ("On 4 May 2022, residents of Zwierzyniecka Wolka gathered for a rally against a landfill.", "Zwierzyniecka Wolka"),
    ("On 4 May 2022, farmers protested in front of the Qorvenna Town Hall against a water tax.", "Qorvenna Town Hall"),
])
def test_a_place_the_gazetteer_does_not_know_is_kept_by_its_name(sentence, name):
    inc = one(sentence)
    assert (inc.location, inc.latitude, inc.event_type) == (name, None, "Protests")
