"""Casualty counts in a sentence: killed (low, best, high) and injured, from digits and number words."""
from __future__ import annotations

import re
from functools import lru_cache

from ..text import parse_number
from .gate import Scanner, folds_specially, literal_gate, lowered, may_contain, split_words
from .lexicons import (DATE_MASK, GROUP, STATED_TOLL, INJURED, INJURED_NEEDS, INJURED_WORDS, KILLED, KILLED_NEEDS,
                       KILLED_WORDS, MORE_PEOPLE)


@lru_cache(maxsize=2048)
def number_value(token: str) -> int | None:
    """3 from "three", "3" or "3,000" -> 3000; compound words ("twenty-one"); None when not a number."""
    t = token.lower().replace(",", "").strip()
    if t.isdigit():
        return int(t)
    value = parse_number(t) if t not in ("a", "an") else None
    return int(value) if value is not None and value == int(value) else None


# words that count people where a number would stand ("a man was killed", "both were killed", "no fatalities")
_WORD_COUNTS = {"a": 1, "an": 1, "the": 1, "both": 2, "no": 0, "another": 1, "he": 1, "she": 1, "his": 1, "her": 1,
                # vague tolls as ACLED codes them ("tens" 10, "dozens" 12, "hundreds" 100, a vague plural 10)
                "tens": 10, "dozens": 12, "hundreds": 100, "several": 10, "many": 10, "multiple": 10, "numerous": 10}


_PAREN_DIGITS = re.compile(r"\s*\(\s*\d[\d,]*\s*\)")


def _blank(m: "re.Match[str]") -> str:
    return " " * len(m.group(0))


def _masked(text: str) -> str:
    """The sentence as counts read it: "three (3) soldiers" without the digits, dates blanked out. (Each pattern
    runs only on a text that holds what it needs: a bracket; a year, whose "19" or "20" both forms need.)"""
    out = _PAREN_DIGITS.sub("", text) if "(" in text else text
    return DATE_MASK.sub(_blank, out) if "19" in out or "20" in out else out


def _scanner(patterns: list[re.Pattern[str]]) -> Scanner:
    """The patterns run by their words (gate.Scanner): each tried only where a word starts as it must start
    (a number, a qualifier, "killed", ...), not at every position of the sentence."""
    return Scanner(patterns, [literal_gate(p.pattern) for p in patterns])


_KILLED, _INJURED = _scanner(KILLED), _scanner(INJURED)


def _rows_needed(needs: list[tuple[tuple[str, ...], ...]], text: str) -> set[int] | None:
    """The rows of a count table that can match ``text``: those whose needed words (lexicons.KILLED_NEEDS) it holds,
    one of each set ("and", "were", "killed" for "17 militants and 4 militiamen were killed"); None: every row."""
    low = lowered(text)
    rows: set[int] | None = None
    for r, sets in enumerate(needs):
        for words in sets:
            if not may_contain(text, words, low):
                if rows is None:
                    rows = set(range(len(needs)))
                rows.discard(r)
                break
    return rows


def _count(patterns: Scanner, text: str,
           needs: list[tuple[tuple[str, ...], ...]]) -> tuple[int | None, int | None, int | None]:
    """(low, best, high) for the first count found in a masked sentence (:func:`_masked`), pattern by pattern in
    the table's order; "at least N" leaves high open, "up to N" low open. A row runs only on a sentence holding
    the words it needs (``needs``, :func:`_rows_needed`)."""
    for _row, m in patterns.scan(text, _rows_needed(needs, text)):
        word = (m.groupdict().get("n") or m.groupdict().get("n2") or "").lower()
        n = _WORD_COUNTS[word] if word in _WORD_COUNTS else number_value(word)
        other = (m.groupdict().get("m") or "").lower()
        if n is not None and other:
            n += _WORD_COUNTS[other] if other in _WORD_COUNTS else (number_value(other) or 0)
        if n is None or n > 100_000:
            continue
        more = MORE_PEOPLE.match(text, m.end())
        if more:
            for g in GROUP.finditer(more.group("rest")):
                n += 1 if g.group("n").lower() in ("a", "an") else (number_value(g.group("n")) or 0)
        q = (m.groupdict().get("q") or "").lower()
        if q in ("at least", "more than", "over"):
            return (n + (1 if q in ("more than", "over") else 0), n, None)
        if q in ("up to", "as many as"):
            return (None, n, n)
        if q in ("nearly", "almost"):
            return (None, n, n)
        return (n, n, n)
    return (None, None, None)


_TOLL_WORDS = ("fatalit",)


def stated_toll(text: str) -> int | None:
    """The toll a sentence states for the event as such ("2 fatalities", "Fatalities coded as 7"; "9 fatalities
    split across two events" is 5 per event, rounded up), else None."""
    if not may_contain(text, _TOLL_WORDS):
        return None          # both of STATED_TOLL's forms hold "fatalit"
    m = STATED_TOLL.search(DATE_MASK.sub(_blank, text))
    if m is None:
        return None
    word = (m.group("n") or m.group("n2") or "").lower()
    n = _WORD_COUNTS[word] if word in _WORD_COUNTS else number_value(word)
    k = number_value(m.group("k").lower()) if m.group("k") else None
    if n is None:
        return None
    return -(-n // k) if k else n


# the count words that are letters only (each found inside one word of a sentence) and the others ("no one",
# looked for in the lowered sentence)
_KILLED_LETTERS = tuple(w for w in KILLED_WORDS if w.isalpha())
_KILLED_OTHERS = tuple(w for w in KILLED_WORDS if not w.isalpha())
_INJURED_LETTERS = tuple(w for w in INJURED_WORDS if w.isalpha())
_INJURED_OTHERS = tuple(w for w in INJURED_WORDS if not w.isalpha())
_WANTS: dict[str, int] = {}        # an ASCII word as written -> _wants_of(word)
_MAX_WANTS = 200_000               # distinct words remembered (a bound on memory, not on correctness)


def _wants_of(word: str) -> int:
    """1 when the lower-cased word holds a killed word of the lexicon ("kill" of "killings"), 2 an injured one, 3
    both ("casualties")."""
    low = word.lower()
    return (1 if any(w in low for w in _KILLED_LETTERS) else 0) | (2 if any(w in low for w in _INJURED_LETTERS) else 0)


def _wanted(text: str) -> int:
    """Which count tables a sentence can need: 1 when its lower-cased text holds a word of KILLED_WORDS, 2 one of
    INJURED_WORDS (both bits when both). A word of letters lies inside one ASCII word of the sentence (only the letters
    gate.folds_specially names lower to ASCII letters from elsewhere: such a text is read the long way), so the
    sentence's words are looked up, each distinct word read once; the other words are looked for in the text."""
    low = lowered(text)          # (the sentence's gates lowered it already)
    if folds_specially(text):
        return ((1 if any(w in low for w in KILLED_WORDS) else 0)
                | (2 if any(w in low for w in INJURED_WORDS) else 0))
    wants = 0
    table = _WANTS          # (a local: a module global is looked up at each use in compiled code)
    for word in split_words(text):
        if word:
            got = table.get(word)
            if got is None:
                got = _wants_of(word)
                if len(table) < _MAX_WANTS:
                    table[word] = got
            wants |= got
            if wants == 3:
                return wants
    if not wants & 1 and any(w in low for w in _KILLED_OTHERS):
        wants |= 1
    if not wants & 2 and any(w in low for w in _INJURED_OTHERS):
        wants |= 2
    return wants


def casualties(text: str) -> tuple[tuple[int | None, int | None, int | None], int | None]:
    """((killed low, best, high), injured) stated in a sentence, from words or digits."""
    wants = _wanted(text)
    want_killed, want_injured = bool(wants & 1), bool(wants & 2)
    if not (want_killed or want_injured):
        return (None, None, None), None
    masked = _masked(text)
    killed = _count(_KILLED, masked, KILLED_NEEDS) if want_killed else (None, None, None)
    _, injured, _ = _count(_INJURED, masked, INJURED_NEEDS) if want_injured else (None, None, None)
    return killed, injured

__all__ = ["number_value", "casualties", "stated_toll"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.incidents.counts":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
