"""The words of a claim's ends: compass directions, demonyms, candidate place names and border phrases.

Pure parsing: names found here are only *candidates* (resolving them is :mod:`geoinc.claims.ends`' job).
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..text import fold as _fold, sentence_spans



# caches keyed by a whole text (its sentences, names, hints): a new article starts without them, while the caches
# keyed by a word or a place (folds, word classes, border hits) are kept, as the geoparser keeps its per-name caches
TEXT_CACHES: list[Any] = []


def per_text(maxsize: int = 8) -> Callable[[Callable[..., Any]], Any]:
    """An lru_cache for work done once per text, registered in :data:`TEXT_CACHES`."""
    def wrap(fn: Callable[..., Any]) -> Any:
        cached = functools.lru_cache(maxsize=maxsize)(fn)
        TEXT_CACHES.append(cached)
        return cached
    return wrap


def clear_text_caches() -> None:
    """Empty the per-text caches (benches time a new article with them empty)."""
    for cached in TEXT_CACHES:
        cached.cache_clear()


def latin1_space(c: int) -> bool:
    """Whether a character code below 256 is one that ``\\s`` matches (str.isspace() within latin-1): what the
    claim stages read in the text's lowered latin-1 copy, where every character beyond latin-1 stands as "?"."""
    return c == 32 or 9 <= c <= 13 or 28 <= c <= 31 or c == 133 or c == 160


@functools.lru_cache(maxsize=20_000)
def fold(text: str) -> str:
    """Names in claims compare folded, with curly apostrophes made straight ("Iraq’s" meets "iraq's")."""
    return _fold(text, apostrophes=True)


@per_text()
def claim_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """The sentences of a text (geoinc.text.sentence_spans), computed once per text for all its claims."""
    return tuple(sentence_spans(text))

# compass points: name -> centre bearing (degrees clockwise from north)
COMPASS = {
    "N": 0.0, "NNE": 22.5, "NE": 45.0, "ENE": 67.5, "E": 90.0, "ESE": 112.5, "SE": 135.0, "SSE": 157.5,
    "S": 180.0, "SSW": 202.5, "SW": 225.0, "WSW": 247.5, "W": 270.0, "WNW": 292.5, "NW": 315.0, "NNW": 337.5,
}
_CARD = {"north": "N", "south": "S", "east": "E", "west": "W"}
_DIR_WORD = r"(?:north|south|east|west)"
DIR_RE = (rf"(?:{_DIR_WORD}(?:[\s-]?{_DIR_WORD}){{0,2}}(?:ern|ward|wards)?"
           r"|\b(?:NNE|ENE|ESE|SSE|SSW|WSW|WNW|NNW|NE|SE|SW|NW|N|S|E|W)\b)")


def direction_code(text: str) -> str | None:
    """A compass code from a direction as written: "north-east" -> "NE", "south south-west" -> "SSW", "NNW"."""
    t = text.strip()
    if t.upper() == t and t.upper() in COMPASS:
        return t.upper()
    t = re.sub(r"(?:ern|wards?)$", "", t.lower())
    parts = re.findall(r"north|south|east|west", t)
    if not parts or len(parts) > 3:
        return None
    code = "".join(_CARD[p] for p in parts)
    return code if code in COMPASS else None


# ---------------------------------------------------------------------------------------------------
# countries named by demonym (the few the checker needs without a gazetteer)

DEMONYMS = {
    "iraqi": "IQ", "syrian": "SY", "jordanian": "JO", "lebanese": "LB", "israeli": "IL", "turkish": "TR",
    "iranian": "IR", "egyptian": "EG", "saudi": "SA", "saudi arabian": "SA", "ukrainian": "UA",
    "russian": "RU", "sudanese": "SD", "south sudanese": "SS", "chadian": "TD", "yemeni": "YE",
    "omani": "OM", "kuwaiti": "KW", "qatari": "QA", "emirati": "AE", "bahraini": "BH", "palestinian": "PS",
    "libyan": "LY", "malian": "ML", "nigerien": "NE", "nigerian": "NG", "burkinabe": "BF", "algerian": "DZ",
    "tunisian": "TN", "moroccan": "MA", "afghan": "AF", "pakistani": "PK", "indian": "IN", "chinese": "CN",
    "armenian": "AM", "azerbaijani": "AZ", "georgian": "GE", "belarusian": "BY", "polish": "PL",
    "moldovan": "MD", "romanian": "RO", "hungarian": "HU", "slovak": "SK", "ethiopian": "ET",
    "eritrean": "ER", "somali": "SO", "kenyan": "KE", "ugandan": "UG", "cameroonian": "CM",
    "mauritanian": "MR", "senegalese": "SN", "venezuelan": "VE", "colombian": "CO", "mexican": "MX",
    "american": "US", "canadian": "CA", "north korean": "KP", "south korean": "KR", "thai": "TH",
    "burmese": "MM", "bangladeshi": "BD", "turkmen": "TM", "uzbek": "UZ", "tajik": "TJ", "kyrgyz": "KG",
    "kazakh": "KZ", "finnish": "FI", "estonian": "EE", "latvian": "LV", "lithuanian": "LT",
    "serbian": "RS", "greek": "GR", "bulgarian": "BG", "cypriot": "CY", "central african": "CF",
    "congolese": "CD", "south african": "ZA", "nepali": "NP", "vietnamese": "VN", "cambodian": "KH",
}


def demonym_code(word: str) -> str | None:
    """ISO 3166 alpha-2 for a demonym ("Iraqi" -> "IQ"), else None."""
    return DEMONYMS.get(fold(word).removesuffix("'s"))


# ---------------------------------------------------------------------------------------------------
# records

# The claims' records are frozen dataclasses, each with its own ``__init__`` taking the fields in order with their
# defaults: under mypyc the dataclass's generated ``__init__`` runs interpreted (a Python frame and an
# ``object.__setattr__`` call per field, ~1 µs a record, ~30 records an article), while a written one is compiled
# (~30 ns). The dataclass keeps a written ``__init__``; fields, eq, hash, repr and frozenness are unchanged
# (tests/test_claims_records.py checks each record's ``__init__`` against its fields).


@dataclass(frozen=True, slots=True)
class Name:
    """A capitalised phrase that may name a place (resolved later)."""

    start: int
    end: int
    text: str

    def __init__(self, start: int, end: int, text: str) -> None:
        """The fields in order: a written constructor is compiled (see the note above phrases.Name)."""
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "text", text)


@dataclass(frozen=True, slots=True)
class BorderRef:
    """A border as written: the countries it names (ISO2 from demonyms, else the name as written)."""

    start: int
    end: int
    text: str
    countries: tuple[str, ...]         # 0 ("the border"), 1 ("the Iraqi border") or 2 ("Jordan–Syria border")

    def __init__(self, start: int, end: int, text: str, countries: tuple[str, ...]) -> None:
        """The fields in order: a written constructor is compiled (see the note above phrases.Name)."""
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "countries", countries)


@dataclass(frozen=True, slots=True)
class End:
    """One end of a claim: a phrase span with the candidate names in it, or a border."""

    start: int
    end: int
    text: str
    names: tuple[Name, ...] = ()
    border: BorderRef | None = None

    def __init__(self, start: int, end: int, text: str, names: tuple[Name, ...] = (), border: BorderRef | None = None) -> None:
        """The fields in order: a written constructor is compiled (see the note above phrases.Name)."""
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "border", border)


# ---------------------------------------------------------------------------------------------------
# names and borders inside a phrase

STOP_WORDS = {
    "the", "a", "an", "in", "on", "at", "it", "its", "he", "she", "they", "we", "this", "that", "these",
    "those", "but", "and", "or", "meanwhile", "according", "while", "when", "where", "which", "after",
    "before", "since", "about", "some", "only", "just", "near", "there", "here", "its", "their", "his",
    "her", "our", "as", "for", "from", "to", "of", "by", "with", "into", "if", "so", "yet", "also",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "border", "frontier", "boundary", "km", "north", "south", "east", "west", "northern", "southern",
    "eastern", "western", "mr", "mrs", "gen", "president", "minister", "officials", "official",
    "more", "most", "many", "several", "few", "all", "both", "each", "every", "no", "not", "one", "two",
    "three", "four", "five", "six", "seven", "eight", "nine", "ten", "until", "during", "despite", "although",
    "however", "then", "now", "today", "yesterday", "i", "you", "my", "your", "what", "who", "how", "why",
    "located", "situated", "lying", "based", "positioned", "being", "approximately", "roughly", "nearly",
}
# (the look-ahead: every token starts with one of those characters; it lets the search skip spaces and punctuation
# without trying the whole pattern there, same matches)
_TOKEN = re.compile(r"(?=[‘'\"“A-Za-z\u00C0-\u024F\d])[‘'\"“]?((?:(?:al|el|ad|ar|as|at|ash|az|ad-|an)[-‐‑’'])?[A-Za-z\u00C0-\u024F][\w\u00C0-\u024F’'‐‑-]*|\d+[A-Za-z]?)")
PARTICLES = frozenset({"al", "el", "ash", "az", "de", "du", "la", "le", "of", "bin", "ibn", "abu", "umm", "bani", "beni"})
_PARTICLES = PARTICLES


_ARTICLE_CAPITAL = re.compile(r"(?:al|el|ad|ar|as|at|ash|az|an)[-‐‑’'][A-Z]")


def _is_capital(tok: str) -> bool:
    core = tok.lstrip("‘'\"“")
    return core[:1].isupper() or _ARTICLE_CAPITAL.match(core) is not None


@functools.lru_cache(maxsize=20_000)
def _word_class(tok: str) -> tuple[bool, bool, bool, bool, bool]:
    """What a token may be in a name, worked out once per word (words recur across articles, as in :func:`fold`):
    (opens a name, continues one, a particle such as "al"/"of", follows a particle, is a capitalised word)."""
    capital = _is_capital(tok)
    f = fold(tok)
    demonym = bool(demonym_code(tok)) if capital else False
    opens = capital and f.strip("'") not in STOP_WORDS and not demonym
    continues = (capital and f not in STOP_WORDS and not demonym) or tok.isdigit()
    after_particle = capital and f not in STOP_WORDS
    return opens, continues, f in _PARTICLES, after_particle, capital


def _name_at(text: str, s: int, last: int) -> Name:
    """The Name of the tokens text[s:last]: a possessive, trailing punctuation and a dangling particle left out."""
    raw = text[s:last]
    if raw.endswith(("’s", "'s")):                   # a possessive: "Jordan's border"
        raw = raw[:-2]
    raw = raw.rstrip("’'.,-")
    if raw.endswith((" of", " al", " de")):
        raw = raw.rsplit(" ", 1)[0]
    return Name(s, s + len(raw), raw)


# a letter a name can open with: every token that opens a name holds one at its first letter (an upper-case letter,
# ASCII or of the Latin ranges the tokens admit) or right after an article ("al-Tanf"); a superset (it also holds the
# lower-case letters of Latin Extended), so that a stretch without any of them holds no name
_CAPITAL = re.compile(r"[A-Z\u00C0-\u00DE\u0100-\u024F]")


def _opener(text: str, pos: int, end: int, until: int | None) -> tuple[re.Match[str], Iterator[re.Match[str]]] | None:
    """The first token of text[pos:end] that opens a name (as ``_TOKEN.finditer(text, pos, end)`` gives the tokens,
    ``pos`` being where a token starts or between two), and the token iterator after it; None when there is none
    (or, with ``until``, when a token starting after ``until`` comes first). Only the words holding a letter of
    :data:`_CAPITAL` are read: a run of lower-case words is skipped by one search. The token scan restarts at the
    spacing before such a letter, so it gives the tokens a scan from ``pos`` gives there."""
    while True:
        cap = _CAPITAL.search(text, pos, end)
        if cap is None:
            return None
        c = cap.start()
        p = c
        while p > pos and not text[p - 1].isspace():
            p -= 1
        if until is not None and p > until:
            return None                                # every token from p on starts after until
        tokens = _TOKEN.finditer(text, p, end)
        for m in tokens:
            if until is not None and m.start(1) > until:
                return None
            if _word_class(m.group(1))[0]:
                return m, tokens
            if m.end() > c:
                break                                  # the word holding that letter opens no name: the next one
        else:
            return None
        pos = m.end()


def _walk_name(text: str, pos: int, end: int, until: int | None = None) -> tuple[Name, int] | None:
    """The first name in text[pos:end] (see :func:`first_name`) and where the token after it starts (``end`` when
    none follows): from the first token that opens a name, the capitalised words and numbers one space apart, through a particle
    such as "al"/"of" before another capitalised word, read as they come."""
    found = _opener(text, pos, end, until)
    if found is None:
        return None
    m, tokens = found
    s, last = m.start(1), m.end(1)
    pending: re.Match[str] | None = None
    resume = end
    while True:                                       # the tokens after it, read as they come
        m2 = pending if pending is not None else next(tokens, None)
        pending = None
        if m2 is None:
            break
        resume = m2.start()
        s2, e2 = m2.start(1), m2.end(1)
        if text[last:s2] != " ":
            break
        c2 = _word_class(m2.group(1))
        if c2[1]:
            last, resume = e2, end
            continue
        if c2[2]:
            nxt = next(tokens, None)
            if nxt is not None and _word_class(nxt.group(1))[3] and text[e2:nxt.start(1)] == " ":
                last, pending, resume = e2, nxt, end
                continue
        break
    return _name_at(text, s, last), resume


@per_text(maxsize=4096)
def find_names(text: str, start: int, end: int) -> tuple[Name, ...]:
    """Capitalised phrases in text[start:end] that may name places; stop words, demonyms and border words dropped.
    (Cached: the subject rules look at the same stretch of a sentence several times.) Each name is read from the
    token that opens it (:func:`_walk_name`); the search for the next one starts at the token that ended it."""
    names: list[Name] = []
    pos = start
    while pos < end:
        found = _walk_name(text, pos, end)
        if found is None:
            break
        name, pos = found
        names.append(name)
    return tuple(names)


def opens_name_at(text: str, pos: int, end: int) -> bool:
    """Whether a name of text[pos:end] (:func:`find_names`) can start at ``pos``: the token there opens one. (A
    name's first token opens it, and a token that opens a name holds a capital before any other token does.)"""
    m = _TOKEN.match(text, pos, end)
    return m is not None and m.start(1) == pos and _word_class(m.group(1))[0]


def first_name(text: str, start: int, end: int, until: int | None = None) -> Name | None:
    """``find_names(text, start, end)[0]`` (None when there is none), reading the text only as far as that name:
    from the first token that opens a name, the tokens its name takes (and the one after a particle), so a
    long run of single-spaced words after a short name is not read. ``until``: None as well when that name
    would start after this position (the caller wants a name there or nowhere)."""
    found = _walk_name(text, start, end, until)
    return found[0] if found is not None else None


_COUNTRY_WORD = r"[A-Z][\w’'\u00C0-\u024F]*(?:\s+[A-Z][\w\u00C0-\u024F]*){0,2}"
_BORDER_WORD = r"(?:land\s+)?(?:border|frontier|boundary)(?:\s+(?:line|area|region|crossing))?"
_DASH = r"\s*[-–—‐‑/]\s*"
_BORDER_PATTERNS = [
    re.compile(rf"(?:[Tt]he\s+)?(?P<a>{_COUNTRY_WORD}){_DASH}(?P<b>{_COUNTRY_WORD})\s+{_BORDER_WORD}"),
    re.compile(rf"(?:[Tt]he\s+)?{_BORDER_WORD}\s+(?:between|separating)\s+(?:the\s+)?(?P<a>{_COUNTRY_WORD})\s+and\s+(?:the\s+)?(?P<b>{_COUNTRY_WORD})"),
    re.compile(rf"(?:[Tt]he\s+)?(?P<a>{_COUNTRY_WORD})(?:['’]s)?\s+{_BORDER_WORD}\s+with\s+(?:the\s+)?(?P<b>{_COUNTRY_WORD})"),
    re.compile(rf"(?:[Tt]he\s+)?{_BORDER_WORD}\s+(?:with|of)\s+(?:the\s+)?(?P<a>{_COUNTRY_WORD})"),
    re.compile(rf"(?:[Tt]he\s+)?(?P<a>{_COUNTRY_WORD})(?:['’]s)?\s+{_BORDER_WORD}"),
    re.compile(rf"(?:[Tt]he\s+|[Aa]\s+)?{_BORDER_WORD}"),
]


_LEADING_THE = re.compile(r"^(?:[Tt]he)\s+")


def _country_ref(raw: str | None) -> str | None:
    if not raw:
        return None
    raw = _LEADING_THE.sub("", raw.strip()).removesuffix("'s").removesuffix("’s")
    if fold(raw) in STOP_WORDS:
        return None
    return demonym_code(raw) or raw


# words each border pattern cannot match without (the last pattern, a bare border word, is in every other one):
# a pattern whose words are not in the span is not run
_BORDER_PATTERN_NEEDS: tuple[tuple[str, ...], ...] = (
    ("-", "–", "—", "‐", "‑", "/"), ("between", "separating"), ("with",), ("with", "of"), (), ())


# the characters each border pattern can start with ("the"/"The", a country's capital, "a"/"A", a border word's
# first letter): the patterns open with an optional group, so the regex engine would try each at every position of
# the stretch (~0.2 µs a character); a search for these characters is its fast scan, and the pattern is tried there
_BORDER_STARTS = tuple(re.compile(c) for c in (r"[A-Zt]", r"[Ttlbf]", r"[A-Zt]", r"[Ttlbf]", r"[A-Zt]", r"[TtAalbf]"))


def find_border(text: str, start: int, end: int) -> BorderRef | None:
    """The first border expression in text[start:end] (most specific pattern wins at the same place). Each pattern's
    matches are those ``pattern.finditer(text, start, end)`` gives, tried only where it can start
    (:data:`_BORDER_STARTS`); none starting after the best found so far can win."""
    span = text[start:end]
    if "border" not in span and "frontier" not in span and "boundary" not in span:
        return None                   # no border word (written in lower case in every pattern): no pattern can match
    best: tuple[int, int, BorderRef] | None = None
    for rank, pattern in enumerate(_BORDER_PATTERNS):
        needs = _BORDER_PATTERN_NEEDS[rank]
        if needs and not any(word in span for word in needs):
            continue
        last = start
        for hit in _BORDER_STARTS[rank].finditer(text, start, end):
            p = hit.start()
            if best is not None and p > best[0]:
                break
            if p < last:
                continue                  # inside the match before it (finditer resumes after a match)
            m = pattern.match(text, p, end)
            if m is None:
                continue
            last = m.end()
            groups = m.groupdict()
            codes = tuple(c for c in (_country_ref(groups.get("a")), _country_ref(groups.get("b"))) if c)
            if rank < 4 and not codes:
                continue
            if best is None or (p, rank) < best[:2]:
                best = (p, rank, BorderRef(p, m.end(), text[p:m.end()], codes))
            break
    return best[2] if best else None


def make_end(text: str, start: int, end: int) -> End | None:
    """An End from a phrase span: the border in it, or its candidate names; None when it has neither."""
    while start < end and text[start] in " ,;:\t\n":
        start += 1
    while end > start and text[end - 1] in " ,;:\t\n.":
        end -= 1
    if start >= end:
        return None
    border = find_border(text, start, end)
    names = find_names(text, start, end)
    if border is not None:
        names = tuple(n for n in names if n.end <= border.start or n.start >= border.end)
    if border is None and not names:
        return None
    return End(start, end, text[start:end], names, border)


__all__ = ["COMPASS", "DIR_RE", "DEMONYMS", "STOP_WORDS", "Name", "BorderRef", "End", "fold", "latin1_space", "direction_code",
           "demonym_code", "find_names", "first_name", "opens_name_at", "find_border", "make_end"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.claims.phrases":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
