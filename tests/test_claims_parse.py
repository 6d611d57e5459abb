"""Claim parsing (pure): numbers, units, qualifiers, conversions, directions, ends and borders."""
from __future__ import annotations

import pytest

from geoinc.claims.quantity import QTY_RE, read_quantity
from geoinc.claims.parse import (demonym_code, direction_code, find_border, find_claims, parse_number,
                           sentence_spans, unit_of)


@pytest.mark.parametrize("text,value", [
    ("10", 10), ("1,500", 1500), ("12.5", 12.5), ("ten", 10), ("twenty-five", 25), ("twenty five", 25),
    ("a", 1), ("a hundred", 100), ("one hundred and fifty", 150), ("two thousand", 2000), ("a dozen", 12), ("half", 0.5),
])
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "banana", "ten apples", "a a"])
def test_parse_number_rejects_non_numbers(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("word,unit", [
    ("km", "km"), ("kilometers", "km"), ("kilometres", "km"), ("Kilometre", "km"), ("miles", "mi"), ("mi", "mi"),
    ("nautical miles", "nmi"), ("nm", "nmi"), ("meters", "m"), ("metres", "m"), ("m", "m"),
    ("Nautical Miles", "nmi"), ("NM", "nmi"), ("Nm", "nmi"), ("KM", "km"), ("Kms", "km"), ("MILES", "mi"),
])
def test_units(word, unit):
    assert unit_of(word) == unit


@pytest.mark.parametrize("text,code", [
    ("north", "N"), ("South-East", "SE"), ("southeast", "SE"), ("north-northwest", "NNW"), ("NNW", "NNW"),
    ("westward", "W"), ("northern", "N"), ("north north-east", "NNE"),
])
def test_directions(text, code):
    assert direction_code(text) == code


def test_demonyms():
    assert [demonym_code(w) for w in ("Iraqi", "Syrian", "Jordanian", "Lebanese", "Israeli", "Turkish", "Iranian",
                                      "Egyptian", "Saudi", "Ukrainian", "Russian", "Sudanese", "Chadian", "Yemeni")] == \
        ["IQ", "SY", "JO", "LB", "IL", "TR", "IR", "EG", "SA", "UA", "RU", "SD", "TD", "YE"]
    assert demonym_code("Tower") is None


@pytest.mark.parametrize("text,countries", [
    ("the Iraqi border", ("IQ",)),
    ("Iraq's border", ("Iraq",)),
    ("the border with Syria", ("Syria",)),
    ("the Jordan–Syria border", ("Jordan", "Syria")),
    ("the Jordanian-Syrian border", ("JO", "SY")),
    ("the border between Jordan and Syria", ("Jordan", "Syria")),
    ("Iraq's border with Syria", ("Iraq", "Syria")),
    ("the border", ()),
])
def test_borders(text, countries):
    ref = find_border(text, 0, len(text))
    assert ref is not None and ref.countries == countries


def test_sentences_keep_initials_and_titles():
    text = "Gen. C.Q. Brown went to the U.S. base on Monday. Then he left.\n\nA new paragraph"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "Gen. C.Q. Brown went to the U.S. base on Monday.", "Then he left.", "A new paragraph"]


def one(text):
    claims = find_claims(text)
    assert len(claims) == 1, claims
    return claims[0]


def test_border_with_implicit_anchor():
    text = "The base sits in the desert. The Iraqi border is only 10 kilometers away."
    c = one(text)
    assert c.text == "The Iraqi border is only 10 kilometers away"
    assert text[c.start:c.end] == c.text
    assert c.anchor is None and c.target.border.countries == ("IQ",)
    assert c.quantity.km == 10 and c.quantity.qualifier == "only" and c.quantity.qualifier_kind == "exact"


def test_place_to_place_with_direction_and_conversion():
    c = one("A small American garrison at al-Tanf in Syria is just 20 kilometers (12 miles) north of Tower 22.")
    assert [n.text for n in c.anchor.names] == ["Tower 22"]
    assert [n.text for n in c.target.names] == ["al-Tanf", "Syria"]   # "A" and "American" are not names
    assert c.direction == "N" and c.direction_of == "target"
    q = c.quantity
    assert (q.km, q.unit, q.qualifier) == (20, "km", "just")
    assert q.conversion_unit == "mi" and q.conversion_km == pytest.approx(12 * 1.609344)


def test_miles_and_words():
    c = one("Rukban lies some fifteen miles south-east of the town.")
    assert c.quantity.km == pytest.approx(15 * 1.609344) and c.quantity.qualifier_kind == "about"
    assert c.direction == "SE"


def test_border_object_puts_the_place_at_the_anchor():
    c = one("Rukban lies within 5 km of the border between Jordan and Syria, aid workers say.")
    assert [n.text for n in c.anchor.names] == ["Rukban"]
    assert c.target.border.countries == ("Jordan", "Syria")
    assert c.quantity.qualifier_kind == "max" and c.direction_of == "anchor"


@pytest.mark.parametrize("text,kind", [
    ("The camp is at least 3 miles from the Jordan–Syria border.", "min"),
    ("The camp is more than 3 miles from the border with Syria.", "min"),
    ("The camp is less than 3 miles from the Syrian border.", "max"),
    ("The camp is about 3 miles from the Syrian border.", "about"),
    ("The camp is nearly 3 miles from the Syrian border.", "nearly"),
    ("The camp is 3 to 5 miles from the Syrian border.", "range"),
])
def test_qualifier_kinds(text, kind):
    c = one(text)
    assert c.quantity.qualifier_kind == kind
    assert c.anchor is None and c.target.border is not None


def test_distance_between_and_apart():
    c = one("The distance between Tower 22 and al-Tanf is about twenty-five kilometres.")
    assert c.anchor.names[0].text == "Tower 22" and c.target.names[0].text == "al-Tanf"
    c = one("Tower 22 and Al Tanf are 23 km apart.")
    assert c.anchor.names[0].text == "Tower 22" and c.target.names[0].text == "Al Tanf"


def test_nautical_miles_and_metres():
    assert one("The ship was hit 12.5 nautical miles off the coast of Yemen.").quantity.km == pytest.approx(23.15)
    assert one("Shells landed 800 metres from the Lebanese border.").quantity.km == pytest.approx(0.8)


@pytest.mark.parametrize("text", [
    "Tower 22 houses about 350 US troops.",
    "The convoy drove 20 km on the road.",
    "A 20-km convoy left at dawn.",
    "The 5M people of the city.",
    "Officials pledged $5m for the camp from the fund.",
])
def test_no_claim_without_a_distance_relation(text):
    assert find_claims(text) == []


@pytest.mark.shared
def test_sample_article_has_exactly_the_border_claim(sample_texts):
    claims = find_claims(sample_texts["tower22-iran-avoids-war"])
    assert [c.text for c in claims] == ["The Iraqi border is only 10 kilometers away"]


def test_subject_from_an_appositive():
    c = one("The drone hit Rukban, 20 km south-southeast of al-Tanf, at dawn.")
    assert [n.text for n in c.target.names] == ["Rukban"] and c.direction == "SSE"


def test_subject_before_an_aside():
    c = one("Kramatorsk, a city the army still holds, lies about 35 kilometres north-west of Bakhmut.")
    assert [n.text for n in c.target.names] == ["Kramatorsk"] and c.anchor.names[0].text == "Bakhmut"


def test_border_later_in_the_object_is_not_the_object():
    c = one("The base at Al-Tanf lies 20 km north of Tower 22 across the Syrian frontier.")
    assert c.anchor.border is None and [n.text for n in c.anchor.names] == ["Tower 22"]


def test_unnamed_subject_that_is_not_a_place():
    c = one("Missiles struck a cargo ship, leaving the crew stranded and the ship adrift nearly 70 nautical miles west of Hodeidah.")
    assert c.target is None and c.subject_noun == "the ship adrift" and c.subject_is_place is False
    c = one("The outpost is 20 km south of al-Tanf.")
    assert c.target is None and c.subject_is_place is True


def test_border_subject_after_a_reporting_verb():
    c = one("Guards at the base said the Syrian border is about 2 km away.")
    assert c.anchor is None and c.target.border.countries == ("SY",)


def test_place_tied_to_a_border_is_the_subject():
    claims = find_claims("Rukban near the Syrian border is 10 km from Tower 22.")
    near, c = claims                       # "Rukban near the Syrian border" is also a proximity claim
    assert near.kind == "border-near" and near.anchor.names[0].text == "Rukban"
    assert [n.text for n in c.target.names] == ["Rukban"] and c.anchor.names[0].text == "Tower 22"


def test_claim_text_has_no_trailing_space():
    c = one("Rukban is 10 km away , officials said.")
    assert c.text == "Rukban is 10 km away"


def test_range_without_qualifier_keeps_its_span():
    text = "Sumy lies 10-15 km from the Russian border."
    c = one(text)
    assert c.text == "Sumy lies 10-15 km from the Russian border" and text[c.start:c.end] == c.text
    assert (c.quantity.km, c.quantity.high_km, c.quantity.qualifier_kind) == (10, 15, "range")
    assert [n.text for n in c.anchor.names] == ["Sumy"]


def test_a_mile():
    assert one("The convoy stopped a mile from the Syrian border.").quantity.km == pytest.approx(1.609344)


@pytest.mark.parametrize("text", [
    "The ship was 50 Nautical Miles from Yemen.", "The ship was 50 Nm from Yemen.", "Tower 22 is 10 KM from Iraq.",
    "Tower 22 is 10 KILOMETRES from Iraq.", "It is 5 MILES from the border with Syria.",
])
def test_units_in_any_case(text):
    assert len(find_claims(text)) == 1


# a qualifier is a whole word: the end of a longer word ("Hanover", "roundabout", "handsome") is not one
@pytest.mark.parametrize("text,number", [
    ("Hanover 5 km north of Celle is a town.", "5 km"),
    ("The roundabout 5 km east of Jerash was closed.", "5 km"),
    ("Zarqa commonly 12 km from Amman is a city.", "12 km"),
    ("The Dover 30 miles south of London is a port.", "30 miles"),
    ("The thunder 8 km from Tower 22 was heard.", "8 km"),
])
def test_a_word_ending_in_a_qualifier_is_no_qualifier(text, number):
    c = one(text)
    assert c.quantity.qualifier is None and c.quantity.qualifier_kind == "exact"
    assert c.quantity.text == number and text[c.quantity.start:c.quantity.end] == number


@pytest.mark.parametrize("text,qualifier,kind", [
    ("Celle lies over 5 km north of Hanover.", "over", "min"),
    ("Jerash lies about 5 km north of the roundabout.", "about", "about"),
    ("Zarqa lies some 20 km from Amman.", "some", "about"),
    ("Zarqa lies nearly 20 km from Amman.", "nearly", "nearly"),
    ("Zarqa lies within 20 km of Amman.", "within", "max"),
    ("Zarqa lies more than 20 km from Amman.", "more than", "min"),
    ("Zarqa lies at least 20 km from Amman.", "at least", "min"),
    ("Zarqa lies no more than 20 km from Amman.", "no more than", "max"),
])
def test_whole_word_qualifiers_are_read(text, qualifier, kind):
    c = one(text)
    assert (c.quantity.qualifier, c.quantity.qualifier_kind) == (qualifier, kind)
    assert text[c.quantity.start:c.quantity.start + len(qualifier)] == qualifier


def quantities(text):
    return [(q.qualifier, q.text) for q in map(read_quantity, QTY_RE.finditer(text)) if q is not None]


def test_qualifiers_as_quantities_are_whole_words():
    assert quantities("The handsome 20 km road; Baltimore than 5 km; moreover 3 km; a turnaround 2 miles; "
                      "the nearly-built 4 km (the wardenwithin 6 km); scatter least 7 km") == [
        (None, "20 km"), (None, "5 km"), (None, "3 km"), (None, "2 miles"), (None, "4 km"), (None, "6 km"),
        (None, "7 km")]
    assert quantities("(about 20 km), \"some 30 miles\", [nearly 4 km], over\n5 km, more  than 6 km, -within 2 km, "
                      "at least 7 km (about 4 miles)") == [
        ("about", "about 20 km"), ("some", "some 30 miles"), ("nearly", "nearly 4 km"), ("over", "over\n5 km"),
        ("more than", "more  than 6 km"), ("within", "within 2 km"), ("at least", "at least 7 km (about 4 miles)")]


def test_between_without_a_second_number_is_a_plain_value():
    c = one("Rukban lies between 10 km from Tower 22 and the berm.")
    assert c.quantity.qualifier == "between" and c.quantity.high_km is None and c.quantity.qualifier_kind == "exact"


# ---------------------------------------------------------------------------------------------------
# the shortcuts that keep check_distances cheap read exactly what the full patterns read

_TEAM_TEXT = ("Mafraq is about 55 km north-east of Amman. Officials in the Middle East said at least two people "
              "died. Zarqa, north-east of Amman, grew fast. The town of Ramtha near the border with Syria is quiet. "
              "Guards on the Jordan-Syria border doubled patrols, and the convoy moved north of the city. "
              "Yarmouk University north of Amman reopened; al-Tanf lies to the south of Tower 22.")


def test_first_name_is_the_first_of_find_names():
    from geoinc.claims.phrases import find_names, first_name

    for start in range(0, len(_TEAM_TEXT), 7):
        for end in (start + 15, start + 60, len(_TEAM_TEXT)):
            names = find_names(_TEAM_TEXT, start, min(end, len(_TEAM_TEXT)))
            assert first_name(_TEAM_TEXT, start, min(end, len(_TEAM_TEXT))) == (names[0] if names else None)


def test_opens_name_at_is_whether_the_first_name_starts_there():
    from geoinc.claims.phrases import find_names, opens_name_at

    texts = [_TEAM_TEXT, "“Islamic State” fighters near al-Tanf; The Iraqi border. In Zarqa, He said 22 km"]
    for text in texts:
        for pos in range(len(text)):
            if pos == 0 or text[pos - 1].isspace():           # where a sentence's first word may start
                for end in (min(len(text), pos + 3), min(len(text), pos + 40)):
                    names = find_names(text, pos, end)
                    assert opens_name_at(text, pos, end) == bool(names and names[0].start == pos), (text[pos:end])


def _names_token_by_token(text, start, end):
    """find_names as written before the capital skip: every token classed, names chained over the token list."""
    from geoinc.claims.phrases import _TOKEN, _name_at, _word_class

    toks = [(m.start(1), m.end(1), _word_class(m.group(1))) for m in _TOKEN.finditer(text, start, end)]
    names, i = [], 0
    while i < len(toks):
        if not toks[i][2][0]:
            i += 1
            continue
        s, last, j = toks[i][0], toks[i][1], i + 1
        while j < len(toks) and text[last:toks[j][0]] == " ":
            if toks[j][2][1]:
                last, j = toks[j][1], j + 1
            elif (toks[j][2][2] and j + 1 < len(toks) and toks[j + 1][2][3]
                  and text[toks[j][1]:toks[j + 1][0]] == " "):
                last, j = toks[j][1], j + 1
            else:
                break
        names.append(_name_at(text, s, last))
        i = j
    return tuple(names)


def test_find_names_skips_lower_case_words_without_changing_the_names():
    import random

    from geoinc.claims.phrases import clear_text_caches, find_names

    rng = random.Random(7)
    pieces = ["a", "A", " ", "  ", "-", "’", "'", "‘", "“", "\n", ".", ",", "(", "É", "é", "\u0100", "ı", "1", "22",
              "al-", "Ash-", "al-Tanf", " of ", " al ", "’s", "Iraq", "Iraqi", "the", "The", "border", "Tower", "de"]
    texts = [_TEAM_TEXT] + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 60))) for _ in range(1500)]
    for text in texts:
        for start, end in [(0, len(text))] + [(rng.randrange(len(text) + 1), rng.randrange(len(text) + 1)) for _ in range(4)]:
            clear_text_caches()
            assert find_names(text, start, end) == _names_token_by_token(text, start, end), (text, start, end)


def test_compass_positions_are_those_of_a_search_for_each_word():
    import random

    from geoinc.claims import parse

    rng = random.Random(11)
    pieces = [b"k", b"m", b"north", b"south", b"nouth", b"sorth", b"east", b"west", b"wast", b"eest", b"aest", b"n", b"s", b"e", b"w", b"a", b"t",
              b"h", b" ", b"?", b"1"]
    texts = [_TEAM_TEXT.lower().encode()] + [b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
                                              for _ in range(3000)]
    for low in texts:
        assert parse._compass_positions(*parse._hint_copies(low)) == parse._positions(low.decode("latin-1"), parse._COMPASS_WORDS), low


def test_unit_positions_are_those_of_a_search_for_each_unit_word():
    """Three folded searches (km and klick as "km", metre and meter as "met", mile) find every unit word, also
    next to the letters and digits the fold maps elsewhere (l, n, r, w, a, digits, "?")."""
    import random

    from geoinc.claims import parse

    rng = random.Random(12)
    pieces = [b"k", b"m", b"l", b"km", b"kl", b"klick", b"klic", b"kmm", b"mile", b"mil", b"met", b"metre", b"meter",
              b"metr", b"mete", b"e", b"t", b"r", b"i", b"c", b"n", b"w", b"a", b" ", b"?", b"1", b"0"]
    texts = [_TEAM_TEXT.lower().encode()] + [b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
                                              for _ in range(3000)]
    for low in texts:
        assert parse._unit_positions(*parse._hint_copies(low)) == parse._positions(low.decode("latin-1"), parse._UNIT_WORDS), low


def test_positions_are_every_start_of_each_word_overlaps_included():
    """The backward searches of _positions find each start a forward scan finds, overlapping ones too."""
    import random
    import re

    from geoinc.claims import parse

    rng = random.Random(13)
    words = ("border", "frontier", "aa", "aba", "km")
    pieces = ["border", "borde", "frontier", "a", "b", "aa", "aba", "k", "km", " ", "?"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        want = sorted(m.start() for w in words for m in re.finditer(f"(?={re.escape(w)})", text))
        assert parse._positions(text, words) == want, text


def test_direction_cue_keeps_every_direction_only_claim_and_skips_other_compass_words():
    from geoinc.claims import parse

    spans = parse.claim_sentences(_TEAM_TEXT)
    visited = {s for s, (_, direction, _) in parse._hinted_sentences(_TEAM_TEXT) if direction}
    for s in spans:
        found = list(parse._DIRECTION_ONLY.finditer(_TEAM_TEXT, *s))
        if found:
            assert s in visited, _TEAM_TEXT[s[0]:s[1]]
    middle_east = next(s for s in spans if "Middle East" in _TEAM_TEXT[s[0]:s[1]])
    assert middle_east not in visited            # "East" ends a name and "least" is not a compass word
    directions = [c.text for c in find_claims(_TEAM_TEXT) if c.kind == "direction"]
    assert directions[0] == "Zarqa, north-east of Amman"
    assert directions[1].startswith("Yarmouk University north of Amman")


@pytest.mark.parametrize("text,countries", [
    ("the Jordan-Syria border", ("Jordan", "Syria")), ("the Jordan/Syria border", ("Jordan", "Syria")),
    ("the border between Jordan and Syria", ("Jordan", "Syria")), ("Jordan's border with Syria", ("Jordan", "Syria")),
    ("the border with Iraq", ("Iraq",)), ("the frontier of Iraq", ("Iraq",)), ("the Iraqi border", ("IQ",)),
    ("a border", ()),
])
def test_find_border_reads_each_form_with_its_words_prechecked(text, countries):
    ref = find_border(text, 0, len(text))
    assert ref is not None and ref.countries == countries


def test_find_border_without_a_border_word_is_none():
    text = "the road between Jordan and Syria, with Iraq's help"
    assert find_border(text, 0, len(text)) is None


def test_direction_cue_is_not_used_where_lower_casing_moves_positions():
    from geoinc.claims import parse

    text = "İİİİ İzmir is a port. Zarqa, north-east of Amman, grew fast."   # "İ".lower() is two characters
    assert parse._lowered_hints(text)[3] is False
    assert [c.text for c in find_claims(text) if c.kind == "direction"] == ["Zarqa, north-east of Amman"]


@pytest.mark.parametrize("before,may", [
    ("Deploying missiles ", False),                 # a lower-case word before the claim: no name ends there
    ("a forward position ", False),
    ("Yarmouk University ", True), ("the town of Ramtha about ", False), ("the town of Ramtha ", True),
    ("Tower 22 ", True), ("al-Tanf camp just ", True), ("Zaatari camp located ", True),
    ("the camp of Umm al ", True),                 # a particle may close a name
])
def test_an_adjacent_subject_is_looked_for_only_where_a_name_can_end(before, may):
    from geoinc.claims.subjects import _name_may_end_before

    text = before + "near the border with Syria."
    assert _name_may_end_before(text, 0, len(before)) is may


def test_name_may_end_before_reads_the_tail_as_the_tail_pattern_does():
    """The backwards word walk of _name_may_end_before, which looks tail words up in sets, answers as the walk that
    tries _ADJACENT_TAIL at each step (random words: place words, adverbs, names, particles, odd spaces)."""
    from geoinc.claims import subjects as S

    def by_pattern(text: str, start: int, end: int) -> bool:
        e = end
        while True:
            k = e
            while k > start and text[k - 1].isspace():
                k -= 1
            if k == e or k <= start or not S._ADJACENT_TAIL.fullmatch(text, k, end):
                return False
            j = k
            while j > start and not text[j - 1].isspace():
                j -= 1
            word = text[j:k]
            if not word.isascii() or any(c.isupper() or c.isdigit() for c in word) or word.lower().endswith(S._PARTICLE_ENDS):
                return True
            e = j

    words = ["town", "camp", "Town", "just", "also", "located", "only", "missiles", "Ramtha", "al", "Umm", "22", "b2",
             "near", "a-b", "é", " ", "port", "ports", "seat", "slightly"]
    for text in _random_texts(17, words, 6000):
        for start, end in {(0, len(text)), (min(2, len(text)), len(text)), (0, max(0, len(text) - 3))}:
            assert S._name_may_end_before(text, start, end) is by_pattern(text, start, end), (text, start, end)


def test_only_adverbs_is_the_adverb_pattern():
    """_only_adverbs (split, set look-ups) answers as _ADVERBS.fullmatch, case and letters read beyond lower-casing
    ("ſome", the Kelvin sign) included."""
    from geoinc.claims import subjects as S

    words = ["also", "ALSO", "Just", "which", "that", "some", "ſome", "is", "lies", "roughly", "about", "town", "x",
             "\u212am", "located", ",", "\u2009"]
    for text in _random_texts(19, words, 6000) + ["", " ", "also", "also ", " about  some\t", "ıs "]:
        for start, end in {(0, len(text)), (min(1, len(text)), len(text))}:
            assert S._only_adverbs(text, start, end) is (S._ADVERBS.fullmatch(text, start, end) is not None), (text, start, end)


def test_place_of_pattern_is_tried_whenever_it_can_match():
    """_np_subject tries _PLACE_OF only when "of" is among the first six words of the stretch: no stretch where the
    pattern matches is skipped (random words: place words, "of" in any case, odd spaces and letters)."""
    from geoinc.claims import subjects as S

    words = ["the", "The", "town", "City", "of", "OF", "Of", "old", "a-b", "Ramtha", "ſ", "\u212a", "é", "\u2009", ",",
             "port", "of,", "ofx"]
    hits = 0
    for text in _random_texts(23, words, 8000):
        for start, end in {(0, len(text)), (min(1, len(text)), len(text))}:
            if S._PLACE_OF.match(text, start, end):
                hits += 1
                assert S._of_among_first_words(text, start, end), (text, start, end)
    assert hits > 100


def test_adjacent_subject_found_after_the_shortcut():
    kinds = [(c.kind, c.text) for c in find_claims("Fighting reached Zaatari camp just near the border with Syria.")]
    assert kinds == [("border-near", "Zaatari camp just near the border with Syria")]


@pytest.mark.parametrize("text", ["Rukban lies  near the\tJordan s border with Syria", "  one two\u2009three\nfour ", "", "word",
                                  "a\xa0b\x85c?\u3000d\u201cé\u2019 ı\u212a\x1cx \u0663"])
def test_words_before_reads_back_as_rsplit_counts(text):
    """_words_before reads the spacing in the lowered latin-1 bytes (the character itself where a "?" stands): the
    words of str.rsplit, also with latin-1 spaces, spaces of other scripts, curly quotes, "ı" and the Kelvin sign."""
    from geoinc.claims import parse

    low = text.encode("latin-1", "replace").lower().decode("latin-1")
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            for n in (0, 1, 2, 12):
                words = text[start:end].rsplit(None, n)
                want = start + len(words[0]) if len(words) > n else start
                assert parse._words_before(text, low, start, end, n) == want


def _spans(matches):
    return [(m.span(), m.groupdict()) for m in matches]


@pytest.mark.parametrize("text,found", [
    ("Mafraq is about 55 km north-east of Amman.", ["about 55 km"]),
    ("It lies no more than  5 km (about 3 miles) from Amman, ſome twenty-five miles from Irbid.",
     ["no more than  5 km (about 3 miles)", "ſome twenty-five miles"]),
    ("A mere 3 km; 1,500 m; .5 km; a mile; An hour; $5 km; Hanover 5 km; (over 2 km)",
     ["A mere 3 km", "1,500 m", ".5 km", "a mile", "5 km", "over 2 km"]),
    ("Between ten and fifteen km, ٥ km, the 10 mins, 20 KM (12 MILES)", ["Between ten and fifteen km", "٥ km", "20 KM (12 MILES)"]),
])
def test_quantity_matches_reads_what_the_full_pattern_reads(text, found):
    from geoinc.claims.quantity import quantity_matches

    assert [m.group(0) for m in quantity_matches(text, 0, len(text))] == found
    assert _spans(quantity_matches(text, 0, len(text))) == _spans(QTY_RE.finditer(text))


def test_quantity_matches_on_windows_and_random_strings():
    import random

    from geoinc.claims.quantity import quantity_matches

    rng = random.Random(11)
    toks = ["about", "About", "ABOUT", "ſome", "some", "Hanover", "no", "more", "than", "not", "at", "least", "a", "an",
            "mere", "A", "one", "twenty", "-", "five", "ſix", "hundred", "and", "to", "–", "5", "10", "1,500", ".5", "3.2",
            "٥", "$", "€5", "£", "km", "KM", "kms", "miles", "mi", "m", "M", "nm", "nautical", "metres", "(", ")", ",",
            ".", "over", "within", "up", "close", "nearly", "\n", "\t", "\u00a0", "x", "roundabout", "between", "half",
            "dozen", "İ", "ı", "\u212a"]
    texts = [_TEAM_TEXT] + ["".join(rng.choice(toks) + rng.choice(["", " ", " ", "  ", "-", ",", "\n"])
                                    for _ in range(rng.randint(1, 14))) for _ in range(4000)]
    found = 0
    for text in texts:
        for start, end in [(0, len(text))] + [sorted((rng.randrange(len(text) + 1), rng.randrange(len(text) + 1)))
                                               for _ in range(3)]:
            ref = _spans(QTY_RE.finditer(text, start, end))
            found += len(ref)
            assert _spans(quantity_matches(text, start, end)) == ref, (text, start, end)
            assert _spans(quantity_matches(text, start, end, first=True)) == ref[:1], (text, start, end)
    assert found > 500


def _random_texts(seed: int, alphabet: list[str], n: int) -> list[str]:
    import random

    rng = random.Random(seed)
    return [rng.choice([" ", "  ", "\n", ""]).join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(n)]


_BORDER_WORDS = ["the", "The", "border", "frontier", "boundary", "land", "with", "of", "between", "separating", "and",
                 "Jordan", "Syria", "Iraqi", "Saudi Arabia", "a", "A", "-", "–", "/", "’s", "'s", "line", "t", "lb", "f", "near"]


def test_find_border_tries_each_pattern_where_it_can_start_with_the_matches_of_a_full_scan():
    """find_border tries a pattern only at the characters it can start with (and none after the best found so far):
    the same border as every pattern's finditer over the stretch, on team phrases and random word strings."""
    import re

    from geoinc.claims import phrases

    def by_full_scan(text: str, start: int, end: int):
        best = None
        for rank, pattern in enumerate(phrases._BORDER_PATTERNS):
            for m in pattern.finditer(text, start, end):
                g = m.groupdict()
                codes = tuple(c for c in (phrases._country_ref(g.get("a")), phrases._country_ref(g.get("b"))) if c)
                if rank < 4 and not codes:
                    continue
                if best is None or (m.start(), rank) < best[:2]:
                    best = (m.start(), rank, phrases.BorderRef(m.start(), m.end(), text[m.start():m.end()], codes))
                break
        return best[2] if best else None

    texts = ["Tower 22, near the demilitarized zone on the border between Jordan and Syria (Planet Labs)",
             "the Jordan–Syria border and the Iraqi frontier", "A border; the land border with Saudi Arabia"]
    for text in texts + _random_texts(11, _BORDER_WORDS, 4000):
        for b in [m.start() for m in re.finditer("border|frontier|boundary", text)][:6]:
            for start in {0, max(0, b - 12)}:
                for end in {len(text), min(len(text), b + 20)}:
                    assert find_border(text, start, end) == by_full_scan(text, start, end), (text, start, end)


def test_clause_breaks_are_the_clause_break_pattern_matches():
    """_clause_breaks finds punctuation, dashes and the clause words by string search: the spans of the pattern."""
    from geoinc.claims import parse

    alphabet = ["but", "while", "whereas", "although", "though", "butter", "a-b", "-", "–", ";", ":", "(", ")", "[", "]",
                "—", "x", "Zarqa", "km"]
    texts = ["Zarqa, while small (pop. 1m) - lies 20 km north; but Irbid – not", "though-while: [x] — but"]
    for text in texts + _random_texts(12, alphabet, 4000):
        for start, end in {(0, len(text)), (1, max(1, len(text) - 2))}:
            want = [(m.start(), m.end()) for m in parse._CLAUSE_BREAK.finditer(text, start, end)]
            assert parse._clause_breaks(text, start, end) == want, (text, start, end)


def test_clause_start_read_backwards_is_the_one_from_every_break():
    """_clause_start reads the last break of each kind from the end: the clause start every break gives."""
    from geoinc.claims import parse

    alphabet = ["but", "while", "whereas", "although", "though", "butter", "a-b", "-", "–", " - ", " – ", ";", ":", "(",
                ")", "[", "]", "—", "x", "Zarqa", "km", "(pop. 1m)", "although-"]
    texts = ["Zarqa, while small (pop. 1m) - lies 20 km north; but Irbid – not", "though-while: [x] — but", "a - - b",
             "x – - – y", "(a) b (c d"]
    for text in texts + _random_texts(13, alphabet, 6000):
        for start in {0, 1, 2, len(text) // 3}:
            for pos in {len(text), len(text) - 1, len(text) // 2, start + 3}:
                if start <= pos <= len(text):
                    want = parse._clause_start_by_breaks(text, start, pos)
                    assert parse._clause_start(text, start, pos) == want, (text, start, pos)


def test_segments_cut_at_commas_outside_brackets():
    """_segments finds the commas and brackets by string search: the segments of a walk over ``[,()[\\]]``."""
    import re

    from geoinc.claims import subjects

    def by_pattern(text: str, start: int, end: int):
        cuts, depth = [], 0
        for m in re.finditer(r"[,()\[\]]", text[:end]):
            if m.start() < start:
                continue
            ch = m.group()
            if ch in "([":
                depth += 1
            elif ch in ")]":
                depth = max(0, depth - 1)
            elif depth == 0:
                cuts.append(m.start())
        bounds = [start, *(c + 1 for c in cuts)]
        return tuple(zip(bounds, [*cuts, end]))

    texts = ["Ramtha, Irbid Governorate (north, near Syria), about 80 km", "a [b, c] d, e) f, (g"]
    for text in texts + _random_texts(13, [",", "(", ")", "[", "]", "Amman", "x", "north"], 4000):
        for start, end in {(0, len(text)), (1, max(1, len(text) - 1))}:
            assert subjects._segments.__wrapped__(text, start, end) == by_pattern(text, start, end), (text, start, end)


def test_short_units_are_the_short_unit_pattern_matches_with_digits_of_other_scripts():
    """_short_units reads a "?" of the bytes (any character beyond latin-1) as a digit only when an m or n follows:
    the matches of the pattern itself, also with Arabic-Indic digits, curly quotes and thin spaces."""
    import random

    from geoinc.claims import parse

    rng = random.Random(9)
    texts = ["a 500m wall, ٣ km and ٤\u2009m away, “12 mi”", "5 NM 6nmi 7 Mi"]
    texts += ["".join(rng.choice("mMnNiI 12\u0663\u00a0\u2009\u201c?.x") for _ in range(rng.randint(1, 30))) for _ in range(4000)]
    for text in texts:
        b = text.encode("latin-1", "replace").lower()
        want = [m.start() for m in parse._SHORT_UNIT_ANY_CASE.finditer(text)]
        assert parse._short_units(text, *parse._hint_copies(b), parse._SHORT_UNIT_ANY_CASE) == want, text


_PROXIMITY_PIECES = ["on", "On", "straddling", "Straddling", "ON", "along", "astride", "straddling", "near", "Near", "close", "to", "next", "by", "not",
                     "far", "from", "the", "The", "border", "Border", "frontier", "land", "Jordan", "Syria’s", "s",
                     "only", "none", "nearby", "bye", "notable", "closer", "x-near", "_by", "9near", "(near", "“on",
                     "ı", "\u212a", "é", "Ünïcode", "?", "\u2009", "\xa0", "-", ",", "."]


def test_border_proximity_tried_at_its_cues_reads_what_the_full_pattern_reads():
    """_border_proximity tries the pattern only where a cue word (found without the look-behind, then checked)
    opens within twelve words before a border word: the matches of a finditer over the whole stretch, on team
    phrases and random word strings with curly quotes, spaces of other scripts, "ı", the Kelvin sign and other
    letters beyond ASCII."""
    import random

    from geoinc.claims import parse
    from geoinc.claims.phrases import clear_text_caches

    rng = random.Random(14)
    texts = [_TEAM_TEXT, "Deploying missiles on the border with Iraq", "near Jordan s border", "not far from the frontier"]
    texts += [rng.choice([" ", " ", "  ", "\n", "\u2009"]).join(rng.choice(_PROXIMITY_PIECES)
                                                            for _ in range(rng.randint(1, 18))) for _ in range(4000)]
    found = 0
    for text in texts:
        clear_text_caches()
        for start, end in [(0, len(text))] + [sorted((rng.randrange(len(text) + 1), rng.randrange(len(text) + 1)))
                                               for _ in range(2)]:
            want = _spans(parse._BORDER_PROXIMITY.finditer(text, start, end))
            found += len(want)
            assert _spans(parse._border_proximity(text, start, end)) == want, (text, start, end)
    assert found > 500


def test_space_byte_is_a_latin1_space_or_the_unknown_mark():
    """_space_byte (the spacing test of the hint stage, on byte codes) holds for the latin-1 characters that
    str.isspace() calls spaces and for "?" (a character beyond latin-1, perhaps a space of another script)."""
    from geoinc.claims import parse

    assert [c for c in range(256) if parse._space_byte(c)] == [c for c in range(256) if chr(c).isspace() or c == 63]


def test_dotless_i_and_kelvin_sign_are_special_letters_of_the_hint_stage():
    """The cue stages ask _dotless_or_kelvin (a scan of the text) only when the hint stage found one of its
    special letters: "ı" and the Kelvin sign must be among them, and a text with either is marked special."""
    from geoinc.claims import parse
    from geoinc.claims.phrases import clear_text_caches

    assert {"ı", "\u212a"} <= set(parse._CASE_SPECIAL)
    for text in ("Troops near the border with Syrıa", "5 \u212am north of the border", "near the border"):
        clear_text_caches()
        special = parse._lowered_hints(text)[5]
        assert special == parse._dotless_or_kelvin(text)
        assert [m.span() for m in parse._border_proximity(text, 0, len(text))] == \
            [m.span() for m in parse._BORDER_PROXIMITY.finditer(text)]
