"""Place-name normalisation: the keys under which the gazetteer stores names and the text is looked up.

Two keys, both pure functions of a string:

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


try:
    from rapidfuzz.distance.Levenshtein import distance as _levenshtein
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


def display_fold(text: str) -> str:
    """Text with quotes folded and whitespace collapsed, for showing a mention back to the user."""
    return _SPACES.sub(" ", fold_quotes(text)).strip(" '")


__all__ = ["ARABIC_ARTICLES", "fold_quotes", "strip_diacritics", "name_key", "loose_key", "similar",
           "display_fold"]
