"""The geoparser's fast paths give exactly what they stand in for: geoparser.lookup answers as the Gazetteer methods
(before and after their memo holds a word, for words in and not in the index, after remember() cleared the memo);
resolve.new_mention builds the same Mention as its constructor."""
from __future__ import annotations

import dataclasses

import pytest

from geoinc.gazetteer.index import Gazetteer
from geoinc.geoparser import lookup
from geoinc.geoparser import resolve
from geoinc.models import Mention, Place

WORDS = ["Mosul", "mosul", "Springfield", "syrian", "Syrian", "Reading", "the", "Jordan", "Qamishli", "Kamishli",
         "Xqzvw", "al-Tanf", "new", "NEW", "St. Louis", "", "O'Brien", "Zorblaxton"]


def _pairs(gaz: Gazetteer, word: str) -> list[tuple[object, object]]:
    from geoinc.text import name_key

    key = name_key(word)
    head = key.split(" ", 1)[0] if key else ""
    return [
        (lookup.candidates(gaz, key), gaz.candidates(key)),
        (lookup.candidates(gaz, word), gaz.candidates(word)),
        (lookup.loose_candidates(gaz, key), gaz.loose_candidates(key)),
        (lookup.max_tokens(gaz, head), gaz.max_tokens(head)),
        (lookup.word_zipf(gaz, word), gaz.word_zipf(word)),
        (lookup.is_given_name(gaz, word), gaz.is_given_name(word)),
        (lookup.demonym(gaz, word), gaz.demonym(word)),
    ]


@pytest.mark.parametrize("word", WORDS)
def test_same_answers_cold_and_warm(word: str) -> None:
    cold = Gazetteer(learned=False).open()
    first = [got for got, _ in _pairs(cold, word)]          # the look-up first, with the memo empty
    again = _pairs(cold, word)                              # then with the memo filled by both
    assert [want for _, want in again] == first
    assert all(got == want for got, want in again)
    assert lookup.demonym(cold, "Syrian") == "SY" and lookup.demonym(cold, "Mosul") is None
    assert lookup.max_tokens(cold, "mosul") >= 1 and lookup.max_tokens(cold, "zorblaxton") == 0


def test_remembered_place_is_seen_after_the_memo_was_filled() -> None:
    gaz = Gazetteer(learned=False).open()
    assert lookup.candidates(gaz, "zorblaxton") == ()       # memo now holds "no candidates"
    gaz.remember(Place(id="learned:zorblaxton", name="Zorblaxton", lat=1.0, lon=2.0, kind="town", source="learned"))
    found = lookup.candidates(gaz, "zorblaxton")
    assert [c.place.id for c in found] == ["learned:zorblaxton"]
    assert found == gaz.candidates("zorblaxton")


def test_new_mention_is_the_constructor_record() -> None:
    assert resolve._FILL_MENTIONS, "models.Mention's fields changed: update resolve._MENTION_FIELDS"
    assert resolve._DRAFT is not None, "a draft with Mention's slots can no longer become a Mention"
    full = dict(start=3, end=9, text="Mosul", name="Mosul", lat=36.34, lon=43.13, country_code="IQ", kind="city",
                source="geonames:99072", confidence=0.87, precision=1, metonym=True, place_id="geonames:99072",
                reason="gazetteer; 4 candidates")
    for kwargs in (full, dict(start=0, end=5, text="Gaza"), dict(start=1, end=2, text="X", reason="open", metonym=True)):
        made, want = resolve.new_mention(**kwargs), Mention(**kwargs)
        assert type(made) is Mention and made == want and hash(made) == hash(want)
        assert dataclasses.asdict(made) == dataclasses.asdict(want) and repr(made) == repr(want)
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.start = 4      # type: ignore[misc]
