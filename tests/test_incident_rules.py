"""Incident extraction rule by rule, on short phrases of our own: triggers, modality, type decisions, actors,
counts, dates, places, the lexicon gates, and the non-event corpus (tests/data/non_event_paragraphs.txt)."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT
from geoinc.incidents import decide as rules
from geoinc.incidents.actors import acled_roles, find_actors, parse_vocabulary
from geoinc.incidents.counts import casualties
from geoinc.incidents.extract import _triggers, extract_incidents
from geoinc.incidents.gate import Scanner, literal_gate
from geoinc.incidents.lexicons import TRIGGERS, TRIGGERS_RE
from geoinc.incidents.modality import intention, modal_after, modal_verb, negated, unreal
from geoinc.incidents.record import Draft
from geoinc.incidents.taxonomy import SUB_EVENT_TYPES

PUB = "2024-03-08"


def one(text: str, published: str = PUB):
    found = extract_incidents(text, published)
    assert len(found) == 1, [(i.sub_event_type, i.location) for i in found]
    return found[0]


# --- triggers ------------------------------------------------------------------------------------------

def test_the_trigger_table_covers_every_acled_sub_event_type_and_each_example_matches():
    assert {row[0] for row in TRIGGERS} == set(SUB_EVENT_TYPES) - {"Other"}      # "Other" only from note labels
    for sub, cond, pattern, example in TRIGGERS:
        rx = re.compile(rf"\b(?:{pattern})\b", re.I)
        assert any(rx.search(part) for part in example.split(";")), (sub, example)


@pytest.mark.parametrize("text, sub", [
    ("Russian forces shelled the town of Vovchansk.", "Shelling/artillery/missile attack"),
    ("A drone strike hit a car near Qamishli.", "Air/drone strike"),
    ("A roadside bomb exploded near a patrol.", "Remote explosive/landmine/IED"),
    ("A suicide bomber blew himself up at a checkpoint.", "Suicide bomb"),
    ("A man threw a grenade into the bar.", "Grenade"),
    ("Gunmen abducted two traders on the highway.", "Abduction/forced disappearance"),
    ("Around 300 people demonstrated outside parliament to demand higher wages.", "Peaceful protest"),
    ("Teachers went on strike over unpaid salaries.", "Peaceful protest"),
    ("Police arrested five suspects in the market.", "Arrests"),
    ("Air defences intercepted a missile over the city.", "Disrupted weapons use"),
    ("The army recaptured the town after a week.", "Government regains territory"),
    ("Militants looted shops and torched houses.", "Looting/property destruction"),
    ("The escaped convict was captured near the river on Sunday.", "Arrests"),
    ("A deputy shoots a suspect to death outside the store.", "Attack"),
    ("Peacekeepers patrolled the market streets on Sunday.", "Change to group/activity"),
    ("Border guards captured three smugglers at dawn.", "Arrests"),
    ("By nightfall the militia had captured Tarvani and two hamlets.", "Non-state actor overtakes territory"),
])
def test_trigger_phrases(text, sub):
    subs = [t[3] for t in _triggers(text) if t[3]]
    assert subs and subs[0] == sub


def test_weak_words_need_their_cue():
    assert not [t for t in _triggers("Fans gathered in the square to celebrate the title.") if t[3]]
    assert [t[3] for t in _triggers("Residents gathered outside the town hall to demand clean water.")] == [
        "Peaceful protest"]
    assert _triggers("Senators killed the immigration bill on Tuesday.") == []
    assert _triggers("The visitors launched a late attack but shot wide.") == []
    assert _triggers("The winning goal was captured on camera by a fan.") == []
    assert _triggers("Her novel captured the mood of the decade.") == []
    assert _triggers("Fans patrolled the touchline before kick-off.") == []
    assert [t[3] for t in _triggers("The attack occurred near the market.")] == [None]     # said to have happened
    assert _triggers("The attack looked sharper after the break.") == []
    assert [t[2] for t in _triggers("Gunmen attacked the village, killing four people.")][0] is None


# --- modality ------------------------------------------------------------------------------------------

def test_modality_rules_on_their_own():
    assert modal_verb("Officials said militants could ", len("Officials said militants could "))
    assert not modal_verb("On 27 May ", len("On 27 May "))                     # the month, not the verb
    assert intention("The group threatened to ", len("The group threatened to "))
    assert intention("Unions called for ", len("Unions called for "))
    assert negated("No ", len("No "))
    assert modal_after(" would follow, he said", 0)
    assert unreal("Fridays for Future activists demonstrated", 33, 45) is None


@pytest.mark.parametrize("text", [
    "The militia threatened to attack the base in Kirkuk.",
    "Washington would respond to any attack on its troops in Syria.",
    "Unions called for protests in Amman next week.",
    "No clashes were reported in Mosul on Tuesday.",
    "Protesters will march in Nairobi on Friday.",
])
def test_hypothetical_future_and_negated_events_are_not_incidents(text):
    assert extract_incidents(text, PUB) == []


def test_the_month_may_is_not_the_verb():
    inc = one("On 27 May 2022, Russian forces shelled Huliaipole.", "2022-05-28")
    assert (inc.sub_event_type, inc.event_date) == ("Shelling/artillery/missile attack", "2022-05-27")


def test_a_summary_of_many_events_is_background_but_a_crowd_is_a_protest():
    assert extract_incidents("There have been more than 150 attacks on US forces in Iraq and Syria since October.",
                             "2024-01-29") == []
    assert one("Around 300 people demonstrated in Amman on Friday.", "2024-02-03").event_type == "Protests"


# --- type decisions ------------------------------------------------------------------------------------

def facts(*subs: str, text: str = "", a1: str | None = None, a2: str | None = None, label: str | None = None):
    return rules.Facts(subs=subs, phrases=tuple(s.lower() for s in subs), text=text, label=label,
                       actor1_inter=a1, actor2_inter=a2)


@pytest.mark.parametrize("rule, f, expected", [
    (rules.note_label, facts(label="Other"), ("Strategic developments", "Other")),
    (rules.excessive_force, facts("Excessive force against protesters"),
     ("Protests", "Excessive force against protesters")),
    (rules.violent_demonstration, facts("Peaceful protest", text="Protesters threw stones at the police."),
     ("Riots", "Violent demonstration")),
    (rules.protest_with_intervention, facts("Peaceful protest", text="Police dispersed the rally with tear gas."),
     ("Protests", "Protest with intervention")),
    (rules.peaceful_protest, facts("Peaceful protest", "Attack", text="They marched to denounce the killing of a man."),
     ("Protests", "Peaceful protest")),
    (rules.mob_violence, facts("Armed clash", text="Supporters of two parties clashed with sticks."),
     ("Riots", "Mob violence")),
    (rules.abduction_by_armed_group, facts("Arrests", a1="Rebel group"),
     ("Violence against civilians", "Abduction/forced disappearance")),
    (rules.remote_violence_by_means, facts("Remote explosive/landmine/IED", "", text="An IED exploded, killing two."),
     ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
    (rules.attack_on_armed_target, facts("Attack", text="Gunmen shot dead a police officer."),
     ("Battles", "Armed clash")),
    (rules.attack_on_civilians, facts("", text="Gunmen killed two farmers in their fields."),
     ("Violence against civilians", "Attack")),
])
def test_each_type_rule(rule, f, expected):
    assert rule(f) == expected


def test_type_rules_leave_what_they_do_not_decide():
    assert rules.protest_with_intervention(facts("Peaceful protest", text="The marchers dispersed peacefully.")) is None
    assert rules.mob_violence(facts("Armed clash", text="Supporters clashed and gunmen opened fire.",
                                    a1="Political militia")) is None
    assert rules.remote_violence_by_means(facts("Armed clash", "Shelling/artillery/missile attack",
                                                text="Heavy clashes with artillery support.")) == ("Battles", "Armed clash")
    assert rules.remote_violence_by_means(facts("Remote explosive/landmine/IED", "Armed clash",
                                                text="A mine planted during earlier clashes killed a farmer.")) == (
        "Explosions/Remote violence", "Remote explosive/landmine/IED")


@pytest.mark.parametrize("text, expected", [
    ("Gunmen shot dead a farmer in his field near Kaduna on Monday.", ("Violence against civilians", "Attack")),
    ("Clashes erupted between the army and Islamic State fighters near Palmyra on Monday.", ("Battles", "Armed clash")),
    ("On Tuesday, protesters in Lagos threw stones at the police, who fired tear gas.",
     ("Riots", "Violent demonstration")),
    ("A mob lynched a suspected thief in Kisumu on Sunday.", ("Riots", "Mob violence")),
])
def test_type_decisions_end_to_end(text, expected):
    inc = one(text)
    assert (inc.event_type, inc.sub_event_type) == expected


# --- actors --------------------------------------------------------------------------------------------

def test_actor_vocabulary_and_demonym_forces():
    names = [a[2] for a in find_actors("Russian forces and Wagner mercenaries attacked; Houthis fired a missile.")]
    assert names == ["Military Forces of Russia", "Wagner Group", "Military Forces of Yemen (2017-) Supreme Political Council"]
    assert [a[2] for a in find_actors("Nigerian police arrested two men.")] == ["Police Forces of Nigeria"]
    assert [a[2] for a in find_actors("unidentified gunmen stormed the school")] == ["Unidentified Armed Group ({country})"]


def test_acled_roles_fill_country_and_defaults():
    d = Draft(event_type="Protests", sub_event_type="Peaceful protest")
    a1, a2, _ = acled_roles(d, "CL")
    assert a1 == ("Protesters (Chile)", "Protesters") and a2 is None
    d = Draft(event_type="Violence against civilians", sub_event_type="Attack")
    a1, a2, _ = acled_roles(d, "NG")
    assert a1 == ("Unidentified Armed Group (Nigeria)", "Political militia")
    assert a2 == ("Civilians (Nigeria)", "Civilians")
    d = Draft(event_type="Battles", sub_event_type="Armed clash", actor1=("Military Forces of Russia", "State forces"))
    assert acled_roles(d, "UA")[0] == ("Military Forces of Russia", "External/Other forces")


def test_users_extend_the_actor_vocabulary(tmp_path, monkeypatch):
    from geoinc.errors import InputError
    from geoinc.incidents import actors

    rows = parse_vocabulary("pattern\tname\tinter\texample\nBlue Berets\tBlue Berets Militia\tPolitical militia\tx\n")
    assert rows[0][1:3] == ("Blue Berets Militia", "Political militia")
    with pytest.raises(InputError, match="actors.tsv:1"):
        parse_vocabulary("Blue Berets\tBlue Berets Militia\tNo such category\n")
    (tmp_path / "actors.tsv").write_text("Blue Berets\tBlue Berets Militia\tPolitical militia\n", encoding="utf-8")
    monkeypatch.setenv("GEOINC_HOME", str(tmp_path))
    actors.vocabulary.cache_clear()
    actors._scanner.cache_clear()
    try:
        assert [a[2] for a in find_actors("The Blue Berets attacked a convoy.")] == ["Blue Berets Militia"]
    finally:
        monkeypatch.undo()
        actors.vocabulary.cache_clear()
        actors._scanner.cache_clear()


def test_actor1_in_acled_naming_end_to_end():
    inc = one("On Friday, about 200 teachers protested in Lima to demand higher wages.")
    assert (inc.actor1, inc.inter1) == ("Protesters (Peru)", "Protesters")


# --- counts --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, killed, injured", [
    ("Gunmen killed three villagers and wounded 12.", 3, 12),
    ("At least 20 people were killed.", 20, None),
    ("Dozens were killed in the fighting.", 12, None),              # ACLED: dozens 12, tens 10, hundreds 100
    ("The strike killed several fighters.", 10, None),               # ACLED: an unspecified plural is 10
    ("A man was shot and killed in his shop. 1 fatality.", 1, None),
    ("Both guards were killed.", 2, None),
    ("killed a woman and two children", 3, None),
    ("17 militants and 4 militiamen were killed.", 21, None),
    ("No one was hurt in the blast.", None, 0),
    ("two were killed and no one else was injured", 2, 0),
    ("On 3 June 2022, rebels killed the village chief.", 1, None),   # the year is no toll
    ("The victim was shot nine times and killed.", None, None),        # nine shots, one victim: not 9
])
def test_counts(text, killed, injured):
    (low, best, high), inj = casualties(text)
    assert (best, inj) == (killed, injured)


def test_a_stated_toll_sums_up_the_event():
    from geoinc.incidents.counts import stated_toll

    assert stated_toll("2 fatalities.") == 2 and stated_toll("Unclear fatalities coded as 10.") == 10
    assert stated_toll("9 fatalities from the civilian side split across two events.") == 5
    assert stated_toll("Two men were killed.") is None
    inc = one("On Monday, gunmen shot dead a trader and a driver in Kaduna. A third man died later. 3 fatalities.")
    assert inc.fatalities == 3


def test_ranges_keep_their_bounds():
    assert casualties("killing at least four civilians")[0] == (4, 4, None)
    assert casualties("up to 40 were killed")[0] == (None, 40, 40)


# --- dates ---------------------------------------------------------------------------------------------

def test_relative_dates():
    assert one("Gunmen killed two farmers near Kaduna on Thursday.", "2024-03-08").event_date == "2024-03-07"
    assert one("Overnight, drones struck an oil depot in Belgorod, officials said on Thursday.",
               "2024-03-08").event_date == "2024-03-06"           # the night before the day it was said
    first, second = extract_incidents("A roadside bomb exploded in Kirkuk on Tuesday, killing two soldiers. Hours later, "
                                      "a car bomb exploded in Tikrit, killing a policeman.", "2024-03-08")
    assert (second.location, second.event_date) == ("Tikrit", first.event_date) == ("Tikrit", "2024-03-05")
    inc = one("Last week, clashes erupted near Palmyra.", "2024-01-29")
    assert (inc.date_start, inc.date_end, inc.time_precision) == ("2024-01-22", "2024-01-28", 2)


# --- places --------------------------------------------------------------------------------------------

def test_a_place_qualified_by_its_region_is_resolved_there():
    inc = one("On 17 January 2022, residents marched through downtown Athens (Georgia) to demand a new bridge.",
              "2022-01-18")
    assert inc.country == "United States" and inc.admin1 == "Georgia"


def test_the_town_not_its_neighbourhood_and_admin1_is_filled():
    inc = one("On 26 March 2022, in Campo Grande (Mato Grosso do Sul), a man was stabbed and killed by residents "
              "of the Amambai neighborhood.", "2022-03-27")
    assert (inc.location, inc.admin1, inc.geo_precision) == ("Campo Grande", "Mato Grosso do Sul", 1)


def test_several_events_in_one_text_give_several_incidents():
    text = ("A roadside bomb exploded near a patrol in Kirkuk on Wednesday, wounding two soldiers.\n"
            "Separately, police arrested five suspects in Basra on Thursday.")
    assert [i.location for i in extract_incidents(text, PUB)] == ["Kirkuk", "Basra"]


# --- gates ---------------------------------------------------------------------------------------------

def test_literal_gates_are_exact():
    assert literal_gate(r"drone[- ]?strikes?|air raids?") == ("air raid", "drone")
    assert literal_gate(r"(?:land ?|anti-tank )?mines?") == ("anti-tank ", "land", "mine")
    assert literal_gate(r"\w+ attacked") is None
    scan = Scanner([row[0] for row in TRIGGERS_RE], [row[4] for row in TRIGGERS_RE])
    text = "Warplanes bombed the village; a suicide bomber blew himself up; protesters rallied."
    plain = sorted((i, m.start(), m.end()) for i, row in enumerate(TRIGGERS_RE) for m in row[0].finditer(text))
    assert scan.matches(text) == plain



def test_factored_alternation_finds_the_same_matches():
    """"kill\\w*|dead|died" grouped by first letter: the same matches (and the same alternative where two share a
    letter), with an alternative that does not start with a plain letter kept in place."""
    import re

    from geoinc.incidents.gate import factor_alternation
    words = r"killed|kill|dead|died|death|\d+ killed|(?:twenty|thirty)[- ]one|two|twenty|k"
    assert factor_alternation(words).startswith("(?:k(?:illed|ill)|d(?:ead|ied|eath)|\\d+ killed|")
    plain, factored = re.compile(rf"\b(?:{words})", re.I), re.compile(rf"\b{factor_alternation(words)}", re.I)
    text = "Twenty-one died, 3 killed, two dead; K-pop killed the mood; twenty deaths, Kill the lights."
    assert [m.span() for m in factored.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_gates_skip_only_texts_that_cannot_match():
    from geoinc.incidents.counts import stated_toll
    from geoinc.incidents.gate import may_contain
    assert not may_contain("Two people died.", ("fatalit",))
    assert may_contain("3 FATALITIES", ("fatalit",))
    assert may_contain("3 \u212aILLED", ("zzz",))          # the Kelvin sign folds to k under re.I: never gated
    assert stated_toll("2 fatalities.") == 2 and stated_toll("Two people died.") is None
    # a slice of a sentence is gated as itself; whether it holds a character the gate cannot speak for is asked of
    # its sentence first (a sentence without one has no slice with one)
    from geoinc.incidents.gate import may_contain_part
    for whole in ("They \u201cwould\u201d respond \u2014 \u0663 killed", "\u212aILLED in \u2018Aleppo\u2019",
                  "plain ascii would", "caf\u00e9 \u0130f will \u2019", "Kyiv\u2019s \u201cwould\u201d 3"):
        for a in range(len(whole)):
            for b in range(a, len(whole) + 1, 3):
                part = whole[a:b]
                for words in (("would", "will"), ("0", "3"), ("zzz",)):
                    assert may_contain_part(part, whole, words) == may_contain(part, words, part.lower()), (part, words)
    scan = Scanner([row[0] for row in TRIGGERS_RE], [row[4] for row in TRIGGERS_RE])
    text = "Protesters rallied; \u212aurdish fighters shelled the town, then ſhelled it again."
    plain = sorted((i, m.start(), m.end()) for i, row in enumerate(TRIGGERS_RE) for m in row[0].finditer(text))
    assert scan.matches(text) == plain


def test_gates_read_digits_and_groups_after_a_literal():
    """"\\d" gates on the ASCII digits and "t(?:wo|hree)" on "two"/"three"; a digit of another script, which \\d
    also matches, makes every gate open (the scanner then runs row by row): the same matches as finditer."""
    import re

    from geoinc.incidents.counts import _KILLED, casualties
    from geoinc.incidents.gate import Gated, may_contain
    from geoinc.incidents.lexicons import KILLED
    assert literal_gate(r"\d+ killed|t(?:wo|hree) dead|(?:an? )?offensive") == (
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "offensive", "three", "two")
    assert literal_gate(r"struck(?! down)") == ("struck",)
    assert not may_contain("Nine were killed.", ("0", "3")) and may_contain("\u0663 were killed.", ("0", "3"))
    for text in ("Gunmen killed 3 people and two soldiers were killed.", "\u0663 people were killed in ‘Aleppo’.",
                 "Three soldiers and a councilman were killed; at least 12 were wounded."):
        plain = [(i, m.start(), m.end()) for i, p in enumerate(KILLED) for m in p.finditer(text)]
        assert _KILLED.matches(text) == plain
    assert casualties("\u0663 people were killed.") == ((3, 3, 3), None)
    gated = Gated(re.compile(r"\bdenied (?:the )?attack", re.I))
    assert gated.words == ("denied attack", "denied the ")
    assert gated.search("They denied the attack.") is not None and gated.search("They confirmed it.") is None



def test_word_gates_tell_whole_words_from_prefixes():
    """"(?:a|an)\\s+" needs the word "a" or "an" itself, "attacks?" only a word starting "attack": the scanner
    tries a row at "attack" only where the row could match there, and still finds what finditer finds."""
    import re

    from geoinc.incidents.gate import word_gate
    assert word_gate(r"\b(?P<n>\d+|a|an)\s+(?:people )?killed|attacks?|refugee camp|drone[- ]?strike") == (
        ("0", False), ("1", False), ("2", False), ("3", False), ("4", False), ("5", False), ("6", False),
        ("7", False), ("8", False), ("9", False), ("a", True), ("an", True), ("attack", False), ("attacks", False),
        ("drone", False), ("refugee camp", False))
    assert word_gate(r"\b(?:killed|shot dead)\b") == (("killed", True), ("shot dead", True))
    # an optional letter is read both ways ("a ", "an "), and a group's whole literal goes on with what follows it:
    # "a offensive" and "an offensive", never "and", "attack" or "a town"
    assert word_gate(r"\b(?:(?:an? )?offensive|attacks?)\b") == (
        ("a offensive", True), ("an offensive", True), ("attack", True), ("attacks", True), ("offensive", True))
    assert word_gate(r"\b(?:(?:the )?(?:army|police))\b") == (
        ("army", True), ("police", True), ("the army", True), ("the police", True))
    army = Scanner([re.compile(r"\b(?:(?:the )?(?:army|police))\b", re.I)], [literal_gate(r"(?:the )?(?:army|police)")])
    assert army.matches("The town and the army; the police, the armoury") == [(0, 13, 21), (0, 23, 33)]
    assert word_gate(r"\w+ attacked") is None
    rows = [re.compile(r"\b(?:a|an)\s+(?:\w+\s+)?(?:was|were) killed", re.I), re.compile(r"\battacks?\b", re.I),
            re.compile(r"\brefugee camps?\b", re.I)]
    scan = Scanner(rows, [literal_gate(p.pattern) for p in rows])
    text = "An American attack on a refugee camp: a man was killed, an aide were killed in attacks on refugees."
    assert scan.matches(text) == [(i, m.start(), m.end()) for i, p in enumerate(rows) for m in p.finditer(text)]
    assert scan.rows_of("American") == () and scan.rows_of("attacks") == (1,) and scan.rows_of("an") == (0,)
    assert scan.rows_of("refugees") == () and scan.rows_of("Refugee") == (2,)
    assert [r for r, _ in scan.scan(text, {1, 2})] == [1, 1, 2]          # only the rows asked for
    custody = Scanner([re.compile(r"\b(?:in custody|held)\b", re.I)], [("held", "in custody")])
    assert custody.matches("In Gaza, in the camp, two men held in custody") == [(0, 30, 34), (0, 35, 45)]

def test_word_patterns_search_by_words_and_find_what_the_regex_finds():
    """A pattern whose every match opens a word ("\\b" + literal) is tried at the text's words only
    (gate.WordPattern): "the deadly attack", not "theatre"; the same first match and matches as the regex, also for
    texts with a letter re.I folds specially ("\u212a" is K) or a digit of another script; a pattern of another
    shape runs as usual."""
    import re

    from geoinc.incidents.gate import WordPattern, word_initial
    from geoinc.incidents.lexicons import CUES

    assert word_initial(r"\b(?:kill\w*|dead)\b") and word_initial(r"\bclaimed it|\bsaid so")
    assert not word_initial(r"(?:attacks|strikes)$") and not word_initial(r"\b(?:\w+ attacked)")
    definite = WordPattern(re.compile(r"\b(?:the|this)\s+(?:[\w-]+\s+){0,2}?(?:attacks?|strike)\b", re.I))
    texts = ("At the theatre, this deadly attack and the strike.", "THE ATTACK", "no such thing",
             "\u212aill the attack", "the \u0663 attacks", "theattack the  attack")
    for text in texts:
        plain = definite.pattern.search(text)
        got = definite.search(text)
        assert (got and (got.span(), got.group(0))) == (plain and (plain.span(), plain.group(0))), text
        assert [m.span() for m in definite.finditer(text)] == [m.span() for m in definite.pattern.finditer(text)]
    assert definite.search(texts[0]).group(0) == "this deadly attack"
    plural = WordPattern(re.compile(r"(?:attacks|strikes)$", re.I))          # not word-initial: run as a whole
    assert plural.search("counterattacks").span() == (7, 14)
    # a case-sensitive pattern opening with a word's capital ("[A-Z](?<!\\w[A-Z])") is tried at capitalised words
    forces = WordPattern(re.compile(r"(?P<dem>[A-Z](?<!\w[A-Z])[a-z]+)\s+(?P<kind>forces|police)\b"))
    text = "The Russian forces, aRussian police, \u00e9Nigerian police, _Malian forces and Nigerian police"
    assert [m.group(0) for m in forces.finditer(text)] == ["Russian forces", "Nigerian police"]
    assert [m.span() for m in forces.finditer(text)] == [m.span() for m in forces.pattern.finditer(text)]
    assert forces.search(text).group("dem") == "Russian" and forces.search("no one") is None
    cue = CUES["violence"].search("Senators killed the bill; three soldiers were hurt.")
    assert cue is not None and cue.group(0) == "killed"
    assert CUES["violence"].search("Senators struck down the bill.") is None


def test_intention_look_back_is_searched_only_when_it_holds_an_intention_word():
    """modality.intention (and the modal rules) skip the regex when the characters around the phrase hold none of
    its words (gate.literal_gate); the answers equal the regex's on every word of a few sentences, odd folds
    included ("On 27 May" is searched, and is still no modal)."""
    import re

    from geoinc.incidents import modality

    assert "threat" in modality._INTENTION_GATE and "if" in modality._INTENTION_GATE
    for text in ("Militants threatened to attack the base; police said they would respond to any attack.",
                 "Fridays for Future marched; the future attacks were feared.", "\u0130f attacked, \u017fet to strike",
                 "Rebels shelled the town on Sunday.", "No clashes were reported; it did not protest, nor\u00a0march.",
                 "On 27 May 2022, Russian forces shelled Huliaipole; strikes would follow, the army may be hit."):
        for m in re.finditer(r"\b\w", text):
            before = text[max(0, m.start() - 60):m.start()]
            assert modality.intention(text, m.start()) == bool(modality._INTENTION.search(before)), (text, m.start())
            assert modality.modal_verb(text, m.start()) == bool(modality._MODAL.search(before)), (text, m.start())
            after = text[m.end():m.end() + 25]
            assert modality.modal_after(text, m.end()) == bool(modality._MODAL_AFTER.search(after)), (text, m.end())
            near = text[max(0, m.start() - 25):m.start()]
            assert modality.negated(text, m.start()) == bool(modality._NEGATION.search(near)), (text, m.start())
    assert modality.intention("They threatened to attack", 19) and not modality.intention("Rebels shelled it", 7)
    # only the look-back's last _INTENTION_REACH characters can hold a match: the longest intention word and the 25
    # characters after it ("announced plans" is 15 long)
    assert re._parser.parse(modality._INTENTION_WORDS, re.I).getwidth()[1] + 25 <= modality._INTENTION_REACH
    # an intention match starts where the sentence's Scanner would try the pattern (gate.Scanner.starts)
    text = "Militants threatened to attack; police said they would respond to any attack, unplanned."
    assert modality._INTENTION_SCAN.starts(text) == [text.index("threatened"), text.index("respond")]
    assert modality._INTENTION_SCAN.starts("\u0130f attacked") is None          # (read row by row: no starts)
    assert modality.intention("Officials announced plans to hold a protest", 29)
    text = "Officials announced plans yesterday afternoon in the capital to hold a protest"
    assert not modality.intention(text, text.index("hold"))


def test_odd_characters_lie_in_the_ranges_the_gates_scan_for():
    """gate._odd_chars reads a text character by character only when it holds a character of gate._MAYBE_ODD: every
    letter re.I folds specially and every decimal digit that is not ASCII lies there (checked on every code point),
    and typographic quotes, dashes and Latin-1 accents do not."""
    from geoinc.incidents import gate

    for cp in range(0x80, 0x110000):
        c = chr(cp)
        if c in gate._ODD_LETTERS or c.isdecimal():
            assert gate._MAYBE_ODD.match(c), hex(cp)
    assert not gate._odd_chars("Kyiv\u2019s \u201cdrone\u201d attack \u2014 caf\u00e9, 3 killed")
    assert gate._odd_chars("\u0663 killed \u2014 \u0661") and gate._odd_chars("\u212aurdish \u2019")
    assert not gate._odd_chars("\u0141\u00f3d\u017a \u2019")          # (Latin Extended-A: read, and not odd)


def test_state_forces_are_tried_only_where_a_forces_word_follows_a_capitalised_word():
    """actors._forces_found tries the demonym pattern only at a capitalised word followed by a modifier or a kind
    word (actors._FORCES_NEXT), also past a hyphenated demonym: the same matches as the pattern's finditer."""
    from geoinc.incidents import actors

    texts = ("Anglo-French forces and Russian\u00a0armed forces; Turkish air strikes, Israeli airstrikes hit.",
             "The Russian-backed forces, Saudi-led troops, US-Israeli strikes, Nigerian police and aRussian forces.",
             "\u00e9Malian soldiers, Kurdish  border guards, Syrian Army, Syrian forces1, Iranian drones.",
             "\u212aurdish forces and \u0663 Malian troops near Gao", "no forces at all", "Russian")
    for text in texts:
        assert ([m.span() for m in actors._forces_found(text)]
                == [m.span() for m in actors._FORCES.pattern.finditer(text)]), text
    assert [a[2] for a in actors.state_forces("Turkish air strikes hit; Nigerian police fired.")] == [
        "Military Forces of Turkey", "Police Forces of Nigeria"]


def test_count_rows_run_only_on_sentences_with_the_words_they_need():
    """A count row is tried only where the sentence holds one word of each of its sets (lexicons.KILLED_NEEDS):
    "three soldiers and a councilman were killed" keeps the two-group row, "three soldiers were hurt" leaves it out;
    every match of a row holds the words its sets name."""
    from geoinc.incidents.counts import _INJURED, _KILLED, _rows_needed, casualties
    from geoinc.incidents.lexicons import INJURED_NEEDS, KILLED, KILLED_NEEDS

    two_groups = 5
    assert "and" in KILLED[two_groups].pattern and KILLED_NEEDS[two_groups][0] == ("and",)
    kept = _rows_needed(KILLED_NEEDS, "three soldiers and a councilman were killed")
    assert kept is not None and two_groups in kept and 11 not in kept        # (no body: the body row left out)
    assert two_groups not in (_rows_needed(KILLED_NEEDS, "three soldiers were killed") or {two_groups})
    assert casualties("Three soldiers and a councilman were killed.") == ((4, 4, 4), None)
    # which tables a sentence can need, read off its words (as the substrings of the lowered sentence would say)
    from geoinc.incidents.counts import _wanted
    from geoinc.incidents.gate import lowered
    from geoinc.incidents.lexicons import INJURED_WORDS, KILLED_WORDS
    for text in ("Nobody was hurt.", "a casino one block away", "Skilled workers", "Two were wounded", "casualties",
                 "No One", "\u212aILLED", "the \u0130njured", "quiet day", "Kyiv\u2019s \u201cdeath\u201d toll"):
        low = lowered(text)
        expected = (1 if any(w in low for w in KILLED_WORDS) else 0) | (2 if any(w in low for w in INJURED_WORDS) else 0)
        assert _wanted(text) == expected, text
    assert _wanted("Nobody was hurt.") == 3 and _wanted("quiet day") == 0
    assert casualties("A young man's body was found; two were hurt.") == ((1, 1, 1), 2)
    phrases = ("17 militants and 4 militiamen were killed", "a man was shot and killed", "the bodies of three men",
               "a young man\u2019s body was found", "He was killed in the attack", "killing several fighters",
               "3 fatalities", "at least 12 were wounded", "the death toll rose to 9", "dozens were killed",
               "two men were stabbed to death", "killed two children and their mother")
    for text in phrases:
        for scanner, needs in ((_KILLED, KILLED_NEEDS), (_INJURED, INJURED_NEEDS)):
            full = [(r, m.span()) for r, m in scanner.scan(text)]
            assert [(r, m.span()) for r, m in scanner.scan(text, _rows_needed(needs, text))] == full, text
            for r, m in scanner.scan(text):
                low = m.group(0).lower().replace("\u2019", "?")
                assert all(any(w in low for w in words) for words in needs[r]), (text, r)


# --- precision: the team's non-event paragraphs --------------------------------------------------------

def test_non_event_news_gives_incidents_for_at_most_5_percent():
    raw = (ROOT / "tests" / "data" / "non_event_paragraphs.txt").read_text(encoding="utf-8")
    paragraphs = [b.strip() for b in raw.split("\n\n") if b.strip() and not b.strip().startswith("#")]
    assert len(paragraphs) >= 50
    flagged = [p[:60] for p in paragraphs if extract_incidents(p, "2024-06-01")]
    assert len(flagged) <= 0.05 * len(paragraphs), flagged


# --- admin units: region queries by admin1 work on extracted incidents -----------------------------------

def test_region_query_by_admin1_finds_extracted_incidents(tmp_path):
    from geoinc.regions import query
    from geoinc.store.sqlite import open_store

    found = extract_incidents("On 3 March 2024, a roadside bomb exploded near an army patrol in Al Mayadin, killing "
                              "two soldiers.", "2024-03-05")
    assert [(i.location, i.admin1) for i in found] == [("Al Mayadin", "Deir ez-Zor")]
    store = open_store(tmp_path / "admin1.sqlite")
    try:
        store.add_incidents(found)
        assert list(query(admin1="Deir ez-Zor", store=store)["event_id_cnty"]) == [found[0].event_id_cnty]
        assert len(query(admin1="Aleppo", store=store)) == 0
    finally:
        store.close()


# --- other styles: one-line headlines in the present tense ----------------------------------------------

@pytest.mark.parametrize("headline, expected", [
    ("Gunmen kill five villagers in Nigeria's Zamfara state",
     ("Violence against civilians", "Zamfara", 5, "Unidentified Armed Group (Nigeria)")),
    ("Russian strikes hit Kharkiv power plant, two dead",
     ("Explosions/Remote violence", "Kharkiv", 2, "Military Forces of Russia")),
    ("Thousands protest in Tbilisi against foreign agents law", ("Protests", "Tbilisi", 0, "Protesters (Georgia)")),
    ("Car bomb kills three soldiers near Mogadishu",
     ("Explosions/Remote violence", "Mogadishu", 3, "Unidentified Armed Group (Somalia)")),
])
def test_headlines(headline, expected):
    inc = one(headline, "2024-05-01")
    assert (inc.event_type, inc.location, inc.fatalities, inc.actor1) == expected


def test_a_quantifier_counts_the_event_noun_not_the_people_before_a_verb():
    from geoinc.incidents.lexicons import AGGREGATE_BEFORE

    assert AGGREGATE_BEFORE.search("Since October there were more than 150 drone ")
    assert not AGGREGATE_BEFORE.search("Gunmen killed 21 fighters during ")
    assert not AGGREGATE_BEFORE.search("Officials said 12 soldiers were killed in ")


def test_an_article_whose_places_are_all_unknown_keeps_its_event_at_the_named_place():
    (inc,) = extract_incidents("Gunmen killed 21 fighters during clashes in Zarqabatoun village.", "2024-06-01")
    assert (inc.location, inc.latitude, inc.sub_event_type) == ("Zarqabatoun", None, "Armed clash")


def test_split_words_gives_the_ascii_words_and_their_offsets():
    """gate.split_words: the runs of ASCII letters and digits, with one empty piece per further separator character,
    so that a word's offset is the lengths of the pieces before it plus their number; the same words at the same
    offsets as a regex over the text, also around typographic quotes, other scripts and characters beyond the BMP."""
    from geoinc.incidents.gate import split_words

    assert split_words("Iran\u2019s  base") == ["Iran", "s", "", "base"]
    assert split_words(" 3rd-party (U.S.)") == ["", "3rd", "party", "", "U", "S", "", ""]
    for text in ("Iran\u2019s  base", " 3rd-party (U.S.)", "", "\U0001F600 drone\u00a0strike \u0663 killed",
                 "\u201cTower 22\u201d \u2014 caf\u00e9 in K\u00f6ln", "ab\u0301c d"):
        pos, found = 0, []
        for word in split_words(text):
            if word:
                found.append((pos, word))
            pos += len(word) + 1
        assert pos == len(text) + 1
        assert found == [(m.start(), m.group(0)) for m in re.finditer(r"[A-Za-z0-9]+", text)], text


def test_occurrences_are_every_offset_of_every_word_in_the_window_ascending() -> None:
    # the string-search basic the place rules and the claim splitter share (gate.occurrences)
    from geoinc.incidents.gate import occurrences

    text = "the province of Idlib, the district of Ariha, and the countryside"
    assert occurrences(text, 0, len(text), ("the", "of")) == [
        i for i in range(len(text)) if text.startswith("the", i) or text.startswith("of", i)]
    assert occurrences(text, 4, 40, ("the",)) == [23]           # only what starts and ends inside the window
    assert occurrences("a.b!c?d.", 0, 8, (".", "!", "?")) == [1, 3, 5, 7]
    assert occurrences(text, 0, len(text), ("village",)) == []


def test_a_time_of_day_before_its_weekday_keeps_the_event_sentence_whole():
    # "at 10 p.m. Sunday": the weekday goes on with the time, so the source quote is the whole sentence
    inc = one("A car bomb exploded at 10 p.m. Sunday near a market in Kirkuk, killing five people, police said.")
    assert inc.location == "Kirkuk" and inc.fatalities == 5
    assert inc.sources[0].quote.startswith("A car bomb exploded at 10 p.m. Sunday near a market in Kirkuk")


# --- actor2: the actor an attack is aimed at ------------------------------------------------------------------

@pytest.mark.parametrize("phrase, yes", [
    ("Government troops fired mortars at PKK positions", True),
    ("The army shelled PKK positions overnight", True),
    ("Warplanes carried out airstrikes against PKK militants", True),
    ("Gunmen attacked a PKK checkpoint", True),
    ("The strike, claimed by PKK", False),
    ("PKK fighters and the army", False),
])
def test_aimed_at_reads_the_object_of_an_attack(phrase, yes):
    from geoinc.incidents.actors import aimed_at

    assert aimed_at(phrase, phrase.index("PKK")) is yes


def test_a_non_state_group_attacked_is_the_incidents_actor2():
    inc = one("On 5 March 2024, Turkish army artillery shelled PKK positions near Amadiya, Duhok. Casualties unknown.")
    assert inc.actor1.startswith("Military Forces of Turkey")
    assert inc.actor2 == "PKK: Kurdistan Workers Party"


@pytest.mark.parametrize("sentence, n", [
    ("In Mosul, four separate attacks killed at least 14 people and wounded 36, hospital staff said.", 1),
    ("Twin bombings killed nine people at a market in Kirkuk.", 1),
    ("Attacks killed 14 people in Mosul.", 1),                      # undated, but at a town: those attacks
    ("Attacks killed 14 people in Iraq.", 0),                       # undated, a whole country: a summary
    ("Airstrikes have killed thousands of people in Syria.", 0),
])
def test_undated_plural_events_are_a_report_when_counted_or_placed_in_a_town(sentence, n):
    assert len(extract_incidents(sentence, PUB)) == n


@pytest.mark.parametrize("sentence, sub", [
    ("On 4 March 2024, militiamen killed a refugee near Bunia (Ituri).", "Attack"),                     # singular
    ("On 4 March 2024, a civilian was killed by IS militants in Nad Ali district, Helmand.", "Attack"),  # passive
    ("On 4 March 2024, a soldier was killed by IS militants in Nad Ali district, Helmand.", "Armed clash"),
    ("On 4 March 2024, gunmen shot dead an off-duty police officer in Cali (Valle del Cauca).", "Attack"),
    ("On 4 March 2024, gunmen shot dead a police officer in Cali (Valle del Cauca).", "Armed clash"),
    ("On 4 March 2024, a former soldier was shot and killed by gunmen in Cali (Valle del Cauca).", "Attack"),
])
def test_the_victim_decides_attack_or_armed_clash(sentence, sub):
    assert one(sentence).sub_event_type == sub


@pytest.mark.parametrize("sentence, sub", [
    ("On 4 March 2024, rioters clashed with soldiers who raided Haris village (Salfit, West Bank).", "Mob violence"),
    ("On 4 March 2024, rioters attacked and beat up a man accused of theft in Cali (Valle del Cauca).", "Mob violence"),
    ("On 4 March 2024, rioters torched a police station in Cali (Valle del Cauca) in protest against a killing.",
     "Violent demonstration"),
    ("On 4 March 2024, demonstrators threw stones at the police in Cali (Valle del Cauca).", "Violent demonstration"),
])
def test_rioters_without_a_demonstration_or_cause_are_a_mob(sentence, sub):
    assert one(sentence).sub_event_type == sub


@pytest.mark.parametrize("sentence, sub", [
    # what a protest is about is not what happened at it
    ("On 4 March 2024, students blocked an avenue in Recife (Pernambuco) to demand safety after a student was "
     "stabbed and injured.", "Peaceful protest"),
    ("On 4 March 2024, relatives protested in front of the prison in Recife (Pernambuco), demanding the release of "
     "those arrested by the police.", "Peaceful protest"),
    ("On 4 March 2024, police dispersed a protest in Recife (Pernambuco) with tear gas.", "Protest with intervention"),
    # burning things at a protest is violence (not an effigy)
    ("On 4 March 2024, residents blocked a highway in Recife (Pernambuco) by setting obstacles on fire to demand "
     "housing.", "Violent demonstration"),
    ("On 4 March 2024, residents blocked the road in Recife (Pernambuco) with burning debris to protest water cuts.",
     "Violent demonstration"),
    ("On 4 March 2024, students staged a protest in Recife (Pernambuco) by burning an effigy of the governor.",
     "Peaceful protest"),
])
def test_a_protests_cause_and_its_acts(sentence, sub):
    assert one(sentence).sub_event_type == sub


def test_protest_acts_drops_the_cause_to_the_end_of_its_sentence():
    from geoinc.incidents.decide import protest_acts

    text = "Residents protested to demand justice after a man was shot by police. Police arrested two of them."
    assert " ".join(protest_acts(text).split()) == "Residents protested . Police arrested two of them."


@pytest.mark.parametrize("sentence, sub", [
    ("On 4 March 2024, Russian forces fired artillery and clashed with the Ukrainian army near Bakhmut, Donetsk.",
     "Armed clash"),                                                    # a fight with artillery in it
    ("On 4 March 2024, Russian forces shelled Kupiansk, Kharkiv.", "Shelling/artillery/missile attack"),
    ("On 4 March 2024, a civilian was killed when a landmine left from previous clashes exploded near Kupiansk, "
     "Kharkiv.", "Remote explosive/landmine/IED"),                       # a fight recalled, not reported
])
def test_a_fight_with_artillery_in_it_is_a_battle(sentence, sub):
    assert one(sentence).sub_event_type == sub


@pytest.mark.parametrize("sentence, sub", [
    ("On 4 March 2024, villagers beat and killed a suspected thief in Balaka (Southern).", "Mob violence"),
    ("On 4 March 2024, a man accused of theft was beaten by a group of people in Balaka (Southern).", "Mob violence"),
    ("On 4 March 2024, two people were killed and their bodies were found in Balaka (Southern).", "Attack"),
    ("On 4 March 2024, villagers shot and killed a suspected thief in Balaka (Southern).", "Attack"),   # firearms
])
def test_a_crowds_violence_on_a_person_is_mob_violence(sentence, sub):
    assert one(sentence).sub_event_type == sub


def test_a_mobs_violence_on_a_person_is_by_rioters_on_civilians():
    inc = one("On 4 March 2024, villagers beat and killed a suspected thief in Balaka (Southern).")
    assert (inc.actor1, inc.actor2) == ("Rioters (Malawi)", "Civilians (Malawi)")


@pytest.mark.parametrize("sentence, sub", [
    ("On 4 March 2024, gunmen shot and killed a villager near the police station in Kokrajhar (Assam).", "Attack"),
    ("On 4 March 2024, a municipal development officer was shot dead by gunmen in Virac (Bicol).", "Attack"),
    ("On 4 March 2024, soldiers killed two members of the Fulani community near Koro (Mopti).", "Attack"),
    ("On 4 March 2024, a police officer was shot dead by gunmen in Virac (Bicol).", "Armed clash"),
])
def test_a_civilian_victim_makes_an_attack_whatever_else_is_named(sentence, sub):
    assert one(sentence).sub_event_type == sub


@pytest.mark.parametrize("text, kind", [
    ("gunmen shot and killed a villager", "civilian"),
    ("gunmen shot and killed a soldier", "armed"),
    ("a development officer was shot dead by gunmen", "civilian"),
    ("an off-duty policeman was shot dead", "civilian"),
    ("the house was searched", None),
])
def test_victim_kind(text, kind):
    from geoinc.incidents.decide import victim_kind

    assert victim_kind(text) == kind


@pytest.mark.parametrize("sentence, sub", [
    ("On 4 March 2024, police and gang members clashed in Cartagena (Bolivar) after the gang killed a man.",
     "Armed clash"),
    ("On 4 March 2024, a man was killed during a shoot-out between two armed groups in Cartagena (Bolivar).",
     "Armed clash"),
    ("On 4 March 2024, gunmen killed a man in Cartagena (Bolivar).", "Attack"),
])
def test_a_reported_fight_is_the_event_even_when_a_civilian_dies_in_it(sentence, sub):
    assert one(sentence).sub_event_type == sub


@pytest.mark.parametrize("sentence, n", [
    ("On 4 March 2024, CODECO killed a man in Bunia (Ituri).", 1),      # an armed group named: violence
    ("Senators killed the bill in Washington on Monday.", 0),             # no sign of violence at all
])
def test_an_armed_group_named_is_a_sign_of_violence(sentence, n):
    assert len(extract_incidents(sentence, PUB)) == n


def test_a_note_labels_actors_are_read_from_the_phrase_after_it():
    inc = one("Property destruction: On 4 March 2024, in Kani township (Sagaing region), the Myanmar military and "
              "Pyu Saw Htee members destroyed houses.")
    assert inc.actor1 == "Military Forces of Myanmar" and inc.actor2 == ""


def test_regime_forces_are_the_state_forces_of_their_demonym():
    inc = one("On 4 March 2024, Syrian regime artillery shelled Kafr Taal village in Aleppo. Casualties unknown.")
    assert inc.actor1 == "Military Forces of Syria"


def test_state_forces_of_an_unknown_country_are_left_unnamed():
    assert acled_roles(Draft(event_type="Battles", sub_event_type="Armed clash",
                             actor1=("Military Forces of {country}", "State forces")), None)[0] is None


@pytest.mark.parametrize("sentence, dead", [
    ("On 4 March 2024, journalists protested in Xalapa (Veracruz) to demand justice for the killing of three "
     "colleagues.", 0),
    ("On 4 March 2024, citizens demonstrated in Abeche (Ouaddai). Police used tear gas to disperse them, killing a "
     "protester.", 1),
])
def test_a_protests_dead_are_those_who_died_at_it(sentence, dead):
    found = extract_incidents(sentence, PUB)
    assert found[0].event_type == "Protests" and found[0].fatalities == dead
