"""Text basics shared by every room: folding, transliteration keys, sentences and number words.

One of each lives here (issue 11): :func:`fold` (case/accent folding; the variants callers really need
are parameters), :func:`sentence_spans`, :func:`parse_number` and its word tables.

Two gazetteer keys, both pure functions of a string:

* :func:`name_key` — exact up to Unicode, case, quotes, diacritics, hyphens and spacing
  ("‘Al-Tanf" -> "al tanf", "Ālbū Kamāl" -> "albu kamal").
* :func:`loose_key` — also drops Arabic article forms (al-/el-/ad-/ar-/as-/at-/ash-/az-/an-) and folds
  French/English transliteration habits (ou->u, k/q, doubled letters, a final silent e, Abu/Albu/Bou->bu)
  so that Boukamal, Abu Kamal, Al-Bukamal and Albu Kamal meet, and al-Mayadine meets Al Mayadin.

:func:`similar` is the bounded fuzzy test used for near-misses: it only ever compares two loose keys of
at least six letters that share their first two letters, and accepts at most one edit per seven letters.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable

# quote-like characters folded to nothing (inside names they are transliteration marks: Kata'ib, ‘Al-Tanf)
_QUOTES = "'\u2018\u2019\u201a\u201b\u2032\u00b4`\u02bb\u02bc\u02bd\u02be\u02bf\u02b9\u0060\u00ab\u00bb\"\u201c\u201d\u201e"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212_/"
# letters that NFKD does not decompose into ASCII
_SPECIAL = str.maketrans({
    "ø": "o", "Ø": "O", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
    "þ": "th", "Þ": "Th", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ı": "i", "ħ": "h", "Ħ": "H",
    "ŧ": "t", "Ŧ": "T", "ŋ": "n", "ĸ": "k", "ſ": "s", "ə": "e", "Ə": "E",
})
_QUOTE_RE = re.compile("[" + re.escape(_QUOTES) + "]")
_DASH_RE = re.compile("[" + re.escape(_DASHES) + "]")
_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")

# Arabic definite-article forms, written before a name with a hyphen or a space
ARABIC_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "at", "ash", "az", "an", "adh", "ath", "aj", "al'", "il"})
# "father of" prefixes that French and English spellings write differently (Abu Kamal, Boukamal, Albu Kamal)
_ABU = frozenset({"abu", "abou", "albu", "albou", "bou", "abo"})


def fold_quotes(text: str) -> str:
    """Replace typographic quotes, primes and modifier letters with a plain apostrophe."""
    return _QUOTE_RE.sub("'", text)


def strip_diacritics(text: str) -> str:
    """Remove accents and fold the few letters NFKD leaves alone (ø, ł, ß, ı …) to ASCII."""
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(c for c in text if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """Exact lookup key: ASCII lower case, no quotes or diacritics, hyphens and dots as spaces, single spaces."""
    text = strip_diacritics(name)
    text = _QUOTE_RE.sub("", text)
    text = text.replace(".", " ")
    text = _DASH_RE.sub(" ", text).lower()
    text = _NON_ALNUM.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _phonetic(word: str) -> str:
    """Fold spelling variants of one transliterated word: ou/oo->u, ee->i, q/ck/kh->k, ph->f, doubles, final e."""
    w = word.replace("ou", "u").replace("oo", "u").replace("ee", "i").replace("ck", "k")
    w = w.replace("kh", "k").replace("q", "k").replace("ph", "f").replace("dh", "d").replace("gh", "g")
    w = w.replace("y", "i").replace("w", "u")
    w = re.sub(r"([a-z])\1+", r"\1", w)
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w


@lru_cache(maxsize=200_000)
def loose_key(name: str) -> str:
    """Transliteration-tolerant key (no spaces): articles dropped, Abu/Bou unified, spelling folded."""
    words = name_key(name).split()
    out: list[str] = []
    for i, w in enumerate(words):
        if w in ARABIC_ARTICLES and i + 1 < len(words):
            continue
        if i == 0 and w in _ABU and len(words) > 1:
            out.append("bu")
            continue
        for art in ("al", "el"):
            # glued article: "Alquds" is rare, but "Albukamal"/"Albu" is common; only before a known prefix
            if w.startswith(art + "bu") and len(w) > 5:
                w = w[len(art):]
        out.append(_phonetic(w))
    joined = "".join(out)
    if joined.startswith("abu") and len(joined) > 5:
        joined = "bu" + joined[3:]
    return joined


_levenshtein: Callable[..., int] | None
try:
    from rapidfuzz.distance import Levenshtein as _rapidfuzz_levenshtein
    _levenshtein = _rapidfuzz_levenshtein.distance
except ImportError:  # pragma: no cover - rapidfuzz is a dependency; the pure-Python loop below is the fallback
    _levenshtein = None


def similar(a: str, b: str) -> bool:
    """Bounded fuzzy equality of two loose keys: >= 6 letters, same first two letters, <= 1 edit per 7 letters."""
    if a == b:
        return True
    if len(a) < 6 or len(b) < 6 or a[:2] != b[:2] or abs(len(a) - len(b)) > 1:
        return False
    budget = max(1, min(len(a), len(b)) // 7)
    return _edit_distance(a, b, budget) <= budget


def _edit_distance(a: str, b: str, bound: int) -> int:
    """Levenshtein distance, giving up (returning bound + 1) once every path exceeds ``bound``."""
    if _levenshtein is not None:
        return _levenshtein(a, b, score_cutoff=bound)   # C implementation, same bounded result
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        if min(cur) > bound:
            return bound + 1
        prev = cur
    return prev[-1]


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


@lru_cache(maxsize=64)
def _space_table(chars: str) -> dict[int, str]:
    return {ord(c): " " for c in chars}


def fold(text: str | None, *, as_space: str = "", apostrophes: bool = False, casefold: bool = False) -> str:
    """Lower case without combining accents and with single spaces: the form names are compared in.

    ``as_space``: characters read as word breaks (boundaries: ".-", so "Bosnia-Herz." meets "bosnia herz");
    ``apostrophes``: curly quotes and backticks become a straight "'" (claims: "Iraq’s" -> "iraq's");
    ``casefold``: Unicode case folding instead of lower() ("Straße" -> "strasse"; region matching).
    Unlike :func:`name_key` it keeps other punctuation and the letters NFKD leaves alone (ø, ł).
    """
    t = unicodedata.normalize("NFKD", text or "")
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.casefold() if casefold else t.lower()
    if apostrophes:
        t = t.translate(_APOSTROPHES)
    if as_space:
        t = t.translate(_space_table(as_space))
    return " ".join(t.split())


# ---------------------------------------------------------------------------------------------------
# sentences

# a full stop after these does not end a sentence ("Gen. Brown", "St. Louis", "Jan. 28", "e.g. Mosul";
# initials "C.Q. Brown", "U.S.")
ABBREVIATIONS = ("Gen", "Lt", "Col", "Maj", "Capt", "Sgt", "Mr", "Mrs", "Ms", "Dr", "St", "Sen", "Rep", "Gov",
                 "Adm", "Jan", "Feb", "Mar", "Apr", "Aug", "Sept?", "Oct", "Nov", "Dec", "No", "vs", "etc",
                 "approx", r"e\.g", r"i\.e")
_ABBREV_RE = re.compile(r"(?:\b(?:" + "|".join(ABBREVIATIONS) + r")|\b[A-Z](?:\.[A-Z])*)\.$")
# . ! ? and any closing quotes or brackets (left out of the sentence), then space before a capital or digit; the
# stop itself is matched (a search that starts at a literal class, not a look-behind at every position) and stays
# in its sentence: the cut starts one character into the match
_STOP_RE = re.compile(r"[.!?][\"”’')]*\s+(?=[\"“‘'(]?[A-Z0-9])")
# "any" is written \n\n* rather than \n+: the same matches, but a pattern that opens with a literal is searched
# by the regex engine's fast literal scan, ~8x faster on a news article (\n+ is tried at every position)
_BREAK_RE = {"blank": re.compile(r"\n\s*\n"), "any": re.compile(r"\n\n*")}


def sentence_spans(text: str, offset: int = 0, *, line_breaks: str = "blank") -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text[offset:]``, whitespace trimmed.

    Splits after . ! ? before a capital or digit, never after a title or initial (:data:`ABBREVIATIONS`) nor
    after "a.m."/"p.m." when the time goes on ("10 p.m. Sunday", :func:`time_continues`),
    and at line breaks: ``line_breaks="blank"`` only at blank lines (claims: a wrapped line is one sentence),
    ``"any"`` at every newline (incidents: headlines and datelines stand alone).
    """
    cuts = [(m.start() + 1, m.end(), True) for m in _STOP_RE.finditer(text, max(0, offset - 1))]
    cuts += [(m.start(), m.end(), False) for m in _BREAK_RE[line_breaks].finditer(text, offset)]
    cuts.sort()
    out: list[tuple[int, int]] = []
    pos = offset
    for start, end, at_stop in cuts:
        if start < pos:
            continue
        if at_stop and stop_goes_on(text, pos, start, end):
            continue
        _add_span(out, text, pos, start)
        pos = end
    _add_span(out, text, pos, len(text))
    return out


# the abbreviations without a capital, as written before their full stop ("e.g.")
_LOWER_CASE_ABBREVIATIONS = tuple(a.replace("\\", "") + "." for a in ABBREVIATIONS if a.islower())


def _may_abbreviate(before: str) -> bool:
    """Whether the text before a full stop ends in an abbreviation (:data:`_ABBREV_RE`). Every abbreviation but
    the lower-case ones holds a capital: text without one ("officials said.") is not searched."""
    if before.islower() and not before.endswith(_LOWER_CASE_ABBREVIATIONS):
        return False
    return _ABBREV_RE.search(before) is not None


# words that carry a sentence on after a time of day's "a.m." / "p.m." ("at 10 p.m. Sunday near Mosul", "at 5 a.m.
# GMT"): weekdays, months, "local" and common time-zone names
# (written out: calendar's names follow the process's locale)
_AFTER_TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december jan feb mar apr jun jul aug sep sept oct nov dec local gmt utc et est edt "
    "ct cst cdt pt pst pdt cet cest bst ist msk eet eest ast".split())
_TIME_STOP = re.compile(r"\b[aApP]\.[mM]\.\Z")
_NEXT_WORD = re.compile(r"[\"“‘'(]?([A-Za-z]+)")


def time_continues(text: str, stop: int, next_start: int) -> bool:
    """Whether a full stop ending "a.m." or "p.m." at ``stop`` (the stop's index + 1) is no sentence end because
    the next word, at ``next_start``, goes on with the time: "The attack began at 10 p.m. Sunday near Mosul" is one
    sentence; "He arrived at 10 p.m. The next day …" is two."""
    if stop < 4 or text[stop - 2] not in "mM" or text[stop - 3] != "." or not _TIME_STOP.search(text, stop - 4, stop):
        return False
    m = _NEXT_WORD.match(text, next_start)
    return m is not None and m.group(1).lower() in _AFTER_TIME_WORDS


def stop_goes_on(text: str, pos: int, stop: int, next_start: int) -> bool:
    """Whether the full stop before ``stop`` (its cut running to ``next_start``, the sentence begun at ``pos``) ends
    no sentence: no line break in the cut, and an abbreviation or initial before it (:func:`_may_abbreviate`) or a
    time of day that goes on after it (:func:`time_continues`). The one test of :func:`sentence_spans` and of the
    claim checker's block split."""
    return "\n" not in text[stop:next_start] and (_may_abbreviate(text[max(pos, stop - 12):stop])
                                                  or time_continues(text, stop, next_start))


def _add_span(out: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


# ---------------------------------------------------------------------------------------------------
# number words

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALE_WORDS = {"hundred": 100, "thousand": 1000}
# vague counts read as a number where a count is needed ("a few days ago" -> 3)
FEW_WORDS = {"a couple of": 2, "several": 3, "a few": 3}
_NUM_WORD = "|".join(sorted([*NUMBER_WORDS, *SCALE_WORDS, "dozen", "half", "a", "an"], key=len, reverse=True))
NUMBER_WORDS_RE = rf"(?:{_NUM_WORD})(?:(?:\s+|-)(?:and\s+)?(?:{_NUM_WORD}))*"
DIGITS_RE = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
NUMBER_RE = rf"(?:{DIGITS_RE}|\b{NUMBER_WORDS_RE}\b)"
_DIGITS = re.compile(DIGITS_RE)
_NUMBER_WORD_GAP = re.compile(r"[\s-]+")


def parse_number(text: str) -> float | None:
    """A number written in digits or words: "1,500" -> 1500, "12.5", "twenty-five" -> 25, "a hundred" -> 100."""
    t = text.strip().lower()
    if not t:
        return None
    if _DIGITS.fullmatch(t):
        return float(t.replace(",", ""))
    if t in FEW_WORDS:
        return float(FEW_WORDS[t])
    words = [w for w in _NUMBER_WORD_GAP.split(t) if w and w != "and"]
    if not words:
        return None
    if words in (["a"], ["an"]):
        return 1.0  # "a mile from the border"
    return _word_total(words)


def _word_total(words: list[str]) -> float | None:
    """The value of number words: units and tens add, hundred/dozen multiply, thousand closes a group."""
    total, current, seen = 0.0, 0.0, False
    for i, w in enumerate(words):
        if w in ("a", "an"):
            # "a hundred", "a dozen", "half a": an article stands for one only before a scale word
            if i + 1 < len(words) and (words[i + 1] in SCALE_WORDS or words[i + 1] == "dozen"):
                current = current or 1.0
                continue
            if i > 0 and words[i - 1] == "half":
                continue
            return None
        if w in NUMBER_WORDS:
            current += NUMBER_WORDS[w]
        elif w == "hundred":
            current = (current or 1.0) * 100
        elif w == "thousand":
            total += (current or 1.0) * 1000
            current = 0.0
        elif w == "dozen":
            current = (current or 1.0) * 12
        elif w == "half":
            current += 0.5
        else:
            return None
        seen = True
    return total + current if seen else None


__all__ = ["ARABIC_ARTICLES", "fold_quotes", "strip_diacritics", "name_key", "loose_key", "similar",
           "fold", "ABBREVIATIONS", "sentence_spans", "time_continues", "NUMBER_WORDS", "SCALE_WORDS", "FEW_WORDS",
           "NUMBER_WORDS_RE", "DIGITS_RE", "NUMBER_RE", "parse_number"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.text":
    from .native import adopt_twin

    NATIVE = adopt_twin(globals())
