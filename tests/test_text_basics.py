"""The shared text basics of geoinc.text: one fold, one sentence splitter, one number-word reader."""
from __future__ import annotations

import pytest

from geoinc.text import fold, parse_number, sentence_spans


def test_fold_default_drops_accents_case_and_extra_spaces() -> None:
    assert fold("  Ālbū   Kamāl ") == "albu kamal"
    assert fold(None) == ""
    assert fold("Kata’ib") == "kata’ib"            # curly apostrophe kept unless asked for


def test_fold_variants_are_parameters() -> None:
    assert fold("Iraq’s", apostrophes=True) == "iraq's"
    assert fold("Bosnia-Herz.", as_space=".-") == "bosnia herz"
    assert fold("Straße") == "straße"
    assert fold("Straße", casefold=True) == "strasse"


def _sentences(text: str, **kw: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text, **kw)]


def test_sentences_split_at_stops_not_after_titles_or_initials() -> None:
    text = "Gen. C.Q. Brown spoke in St. Louis on Jan. 28. The base is 10 km away! Is it? Yes."
    assert _sentences(text) == ["Gen. C.Q. Brown spoke in St. Louis on Jan. 28.", "The base is 10 km away!",
                                "Is it?", "Yes."]


def test_a_time_of_day_followed_by_its_day_month_or_zone_ends_no_sentence() -> None:
    text = ("The attack began at 10 p.m. Sunday near Mosul. Guards left at 6 a.m. The next day was calm. "
            "It ended at 3 P.M. GMT. Talks resume at 9 a.m. \"Friday\" prayers were cancelled.")
    assert _sentences(text) == ["The attack began at 10 p.m. Sunday near Mosul.", "Guards left at 6 a.m.",
                                "The next day was calm.", "It ended at 3 P.M. GMT.",
                                'Talks resume at 9 a.m. "Friday" prayers were cancelled.']


def test_sentences_keep_lowercase_continuations_and_leave_closing_quotes_out() -> None:
    text = 'He said "it is 10 km away." Then he left. e.g. not a split. it goes on'
    assert _sentences(text) == ['He said "it is 10 km away.', "Then he left. e.g. not a split. it goes on"]


def test_sentence_line_break_modes() -> None:
    text = "BAGHDAD\nA car bomb exploded\nin the market.\n\nPolice said so."
    assert _sentences(text) == ["BAGHDAD\nA car bomb exploded\nin the market.", "Police said so."]
    assert _sentences(text, line_breaks="any") == ["BAGHDAD", "A car bomb exploded", "in the market.",
                                                    "Police said so."]


def test_sentence_offsets_point_into_the_text() -> None:
    text = "Title line. Body one. Body two."
    spans = sentence_spans(text, 12)
    assert [text[s:e] for s, e in spans] == ["Body one.", "Body two."]


@pytest.mark.parametrize("text,value", [
    ("10", 10), ("1,500", 1500), ("twenty-one", 21), ("one hundred and fifty", 150), ("a dozen", 12),
    ("half", 0.5), ("a few", 3), ("a couple of", 2), ("several", 3), ("a", 1),
])
def test_number_words(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["dozens", "", "a lot", "many"])
def test_not_numbers(text: str) -> None:
    assert parse_number(text) is None
