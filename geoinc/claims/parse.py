"""Finding distance and direction claims in text: pure parsing, no I/O and no geometry.

A claim is a quantity (a number with a length unit, perhaps qualified and with a parenthetical
conversion) tied by a relation ("away", "from", "north of", "apart", "the distance between") to one
or two ends. An end is either a place phrase (names are only *candidates* here: resolving them is
:mod:`geoinc.claims.measure`' job, with the geoparser's mentions) or a border ("the Iraqi border", "the
border with Syria", "the Jordan–Syria border", "the border between Jordan and Syria"). A missing end
is left ``None``: the checker fills it with the place the passage is about.

Roles: the *anchor* is the place measured from, the *target* the place or border measured to.
"X is 20 km north of Y" gives anchor Y, target X and the direction of the target as seen from the
anchor; with a border the border is always the target, and "X is 10 km north of the border" states
the direction of the anchor as seen from the border (``direction_of="anchor"``).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Literal

from ..text import NUMBER_RE, fold as _fold, parse_number, sentence_spans

# names in claims compare with curly apostrophes made straight ("Iraq’s" meets "iraq's")
fold = functools.partial(_fold, apostrophes=True)

# ---------------------------------------------------------------------------------------------------
# numbers and units

KM_PER_UNIT = {"km": 1.0, "mi": 1.609344, "nmi": 1.852, "m": 0.001}

_UNIT_WORDS = [
    (r"nautical\s+miles?|nmi|NM|nm", "nmi"),
    (r"kilomet(?:er|re)s?|kms?|klicks?", "km"),
    (r"miles?|mi", "mi"),
    (r"met(?:er|re)s?|m", "m"),
]
_UNIT_RE = "|".join(f"(?:{p})" for p, _ in _UNIT_WORDS)


def unit_of(word: str) -> str:
    """The canonical unit ("km", "mi", "nmi", "m") of a unit word as written."""
    for pattern, unit in _UNIT_WORDS:
        if re.fullmatch(pattern, word.strip(), flags=re.I):
            return unit
    raise ValueError(f"not a length unit: {word!r}")


# ---------------------------------------------------------------------------------------------------
# qualifiers and directions

QUALIFIERS = (
    "no more than", "not more than", "more than", "less than", "fewer than", "at least", "at most",
    "up to", "a mere", "only", "just", "merely", "barely", "about", "some", "around", "roughly",
    "approximately", "nearly", "almost", "over", "within", "under", "between", "close to",
)
# what each qualifier means for checking: exact band, widened band, lower bound, upper bound, nearly
QUALIFIER_KIND = {
    "only": "exact", "just": "exact", "merely": "exact", "a mere": "exact", "barely": "exact",
    "about": "about", "some": "about", "around": "about", "roughly": "about", "approximately": "about",
    "close to": "about",
    "nearly": "nearly", "almost": "nearly",
    "at least": "min", "more than": "min", "over": "min",
    "within": "max", "less than": "max", "fewer than": "max", "under": "max", "up to": "max",
    "no more than": "max", "not more than": "max", "at most": "max",
    "between": "range",
}
_QUAL_RE = "|".join(q.replace(" ", r"\s+") for q in QUALIFIERS)

# compass points: name -> centre bearing (degrees clockwise from north)
COMPASS = {
    "N": 0.0, "NNE": 22.5, "NE": 45.0, "ENE": 67.5, "E": 90.0, "ESE": 112.5, "SE": 135.0, "SSE": 157.5,
    "S": 180.0, "SSW": 202.5, "SW": 225.0, "WSW": 247.5, "W": 270.0, "WNW": 292.5, "NW": 315.0, "NNW": 337.5,
}
_CARD = {"north": "N", "south": "S", "east": "E", "west": "W"}
_DIR_WORD = r"(?:north|south|east|west)"
_DIR_RE = (rf"(?:{_DIR_WORD}(?:[\s-]?{_DIR_WORD}){{0,2}}(?:ern|ward|wards)?"
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


@dataclass(frozen=True, slots=True)
class Quantity:
    """A stated length: the number(s) and unit as written, in km, with its qualifier and any conversion."""

    start: int
    end: int
    text: str
    value: float
    unit: str                          # km | mi | nmi | m
    km: float                          # low end for a range
    high_km: float | None = None       # "10 to 15 km": the high end
    qualifier: str | None = None       # normalised: "only", "at least", ...
    conversion_value: float | None = None   # "20 kilometers (12 miles)": 12
    conversion_unit: str | None = None      # "mi"
    conversion_km: float | None = None

    @property
    def qualifier_kind(self) -> str:
        """How the qualifier bends the check: exact, about, nearly, min, max or range."""
        if self.high_km is not None:
            return "range"
        kind = QUALIFIER_KIND.get(self.qualifier or "", "exact")
        return "exact" if kind == "range" else kind   # "between 10 km …" with no second number


@dataclass(frozen=True, slots=True)
class Name:
    """A capitalised phrase that may name a place (resolved later)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class BorderRef:
    """A border as written: the countries it names (ISO2 from demonyms, else the name as written)."""

    start: int
    end: int
    text: str
    countries: tuple[str, ...]         # 0 ("the border"), 1 ("the Iraqi border") or 2 ("Jordan–Syria border")


@dataclass(frozen=True, slots=True)
class End:
    """One end of a claim: a phrase span with the candidate names in it, or a border."""

    start: int
    end: int
    text: str
    names: tuple[Name, ...] = ()
    border: BorderRef | None = None


@dataclass(frozen=True, slots=True)
class RawClaim:
    """A claim as parsed: its span, the quantity, the direction, and its ends (None = implicit)."""

    start: int
    end: int
    text: str
    quantity: Quantity
    anchor: End | None
    target: End | None
    direction: str | None = None                       # compass code
    direction_of: Literal["target", "anchor"] = "target"   # which end the direction locates from the other
    sentence_start: int = 0
    relation: str = ""                                 # away | of | from | apart | between | ...
    subject_noun: str | None = None                    # an unnamed subject as written ("the outpost", "the ship")
    subject_is_place: bool = True                      # False when that unnamed subject is not a place ("the ship")


# ---------------------------------------------------------------------------------------------------
# names and borders inside a phrase

_STOP = {
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
}
_TOKEN = re.compile(r"[‘'\"“]?((?:(?:al|el|ad|ar|as|at|ash|az|ad-|an)[-‐‑’'])?[A-Za-z\u00C0-\u024F][\w\u00C0-\u024F’'‐‑-]*|\d+[A-Za-z]?)")
_PARTICLES = {"al", "el", "ash", "az", "de", "du", "la", "le", "of", "bin", "ibn", "abu", "umm", "bani", "beni"}


def _is_capital(tok: str) -> bool:
    core = tok.lstrip("‘'\"“")
    if re.match(r"(?:al|el|ad|ar|as|at|ash|az|an)[-‐‑’'][A-Z]", core):
        return True
    return core[:1].isupper()


def find_names(text: str, start: int, end: int) -> tuple[Name, ...]:
    """Capitalised phrases in text[start:end] that may name places; stop words, demonyms and border words dropped."""
    toks = [(m.start(1), m.end(1), m.group(1)) for m in _TOKEN.finditer(text, start, end)]
    names: list[Name] = []
    i = 0
    while i < len(toks):
        s, e, tok = toks[i]
        if not _is_capital(tok) or fold(tok).strip("'") in _STOP or demonym_code(tok):
            i += 1
            continue
        j, last = i + 1, e
        while j < len(toks):
            s2, e2, t2 = toks[j]
            if text[last:s2] != " ":
                break
            if (_is_capital(t2) and fold(t2) not in _STOP and not demonym_code(t2)) or t2.isdigit():
                last, j = e2, j + 1
                continue
            nxt = toks[j + 1] if j + 1 < len(toks) else None
            if (fold(t2) in _PARTICLES and nxt is not None and _is_capital(nxt[2])
                    and text[e2:nxt[0]] == " " and fold(nxt[2]) not in _STOP):
                j += 1
                last = e2
                continue
            break
        raw = re.sub(r"[’']s$", "", text[s:last]).rstrip("’'.,-")
        if raw.endswith((" of", " al", " de")):
            raw = raw.rsplit(" ", 1)[0]
        names.append(Name(s, s + len(raw), raw))
        i = j
    return tuple(names)


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


def _country_ref(raw: str | None) -> str | None:
    if not raw:
        return None
    raw = re.sub(r"^(?:[Tt]he)\s+", "", raw.strip()).removesuffix("'s").removesuffix("’s")
    if fold(raw) in _STOP:
        return None
    return demonym_code(raw) or raw


def find_border(text: str, start: int, end: int) -> BorderRef | None:
    """The first border expression in text[start:end] (most specific pattern wins at the same place)."""
    best: tuple[int, int, BorderRef] | None = None
    for rank, pattern in enumerate(_BORDER_PATTERNS):
        for m in pattern.finditer(text, start, end):
            groups = m.groupdict()
            codes = tuple(c for c in (_country_ref(groups.get("a")), _country_ref(groups.get("b"))) if c)
            if rank < 4 and not codes:
                continue
            ref = BorderRef(m.start(), m.end(), text[m.start():m.end()], codes)
            key = (m.start(), rank)
            if best is None or key < best[:2]:
                best = (m.start(), rank, ref)
            break
    return best[2] if best else None


def _end(text: str, start: int, end: int) -> End | None:
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


_VERB_TAIL = re.compile(
    r"(?:[\s,]|\b(?:is|was|are|were|lies|lay|lie|sits|sat|runs|stands|stood|located|situated|based|"
    r"positioned|lying|sitting|roughly|some|still|now|already|barely|located|estimated|approximately|"
    r"at\s+a\s+distance\s+of|a\s+distance\s+of|at)\b)*$")


def _subject_end(text: str, start: int, end: int) -> End | None:
    """The subject phrase before a quantity: a border when the phrase ends on one ("the Iraqi border is"),
    unless a place is tied to it by a preposition ("Rukban near the Syrian border is …": Rukban)."""
    phrase = _end(text, start, end)
    if phrase is None or phrase.border is None:
        return phrase
    b = phrase.border
    tail = text[b.end:end]
    before = [n for n in phrase.names if n.end <= b.start]
    tied = bool(before) and re.match(r"\s*(?:[\w-]+\s+){0,3}?(?:near|on|by|at|along|beside|close\s+to|next\s+to|off|from)\s+(?:the\s+)?$",
                                     text[before[-1].end:b.start], re.I) is not None
    if _VERB_TAIL.fullmatch(tail) and not tied:
        return End(phrase.start, phrase.end, phrase.text, (), b)
    # the border is not the subject: keep the names only
    return End(phrase.start, phrase.end, phrase.text, phrase.names, None) if phrase.names else None


# nouns that make an unnamed subject a place ("the outpost is 20 km south of al-Tanf")
PLACE_NOUNS = {
    "base", "outpost", "garrison", "camp", "town", "city", "village", "site", "facility", "airport", "airfield",
    "airbase", "port", "harbour", "harbor", "crossing", "settlement", "post", "position", "positions",
    "compound", "hospital", "school", "market", "district", "neighbourhood", "neighborhood", "station",
    "checkpoint", "dam", "bridge", "plant", "refinery", "installation", "headquarters", "it", "capital",
    "enclave", "hamlet", "suburb", "municipality", "locality", "area", "zone", "front", "frontline", "tower",
}
_VERB_START = re.compile(r"\s*(?:is|was|are|were|lies|lay|sits|sat|stands|stood|runs|remains|remained|has|had|located|situated)\b", re.I)


def _commas(text: str, start: int, end: int) -> list[int]:
    """Positions of the commas in text[start:end] outside parentheses."""
    out, depth = [], 0
    for i in range(start, end):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            out.append(i)
    return out


def _subject(text: str, start: int, end: int) -> tuple[End | None, str | None]:
    """The subject before a quantity, from the comma-separated segments of its clause:

    - "Rukban, 20 km south of …": an appositive, the last name before the comma;
    - "Kramatorsk, in the … region, lies 35 km …": the segment before the aside;
    - "… and the ship taking on water, nearly 70 nautical miles …": no name: (None, "the ship …").
    """
    cuts = _commas(text, start, end)
    bounds = [start, *(c + 1 for c in cuts)]
    segs = list(zip(bounds, [*cuts, end]))
    last_s, last_e = segs[-1]
    if not text[last_s:last_e].strip() and len(segs) > 1:
        ps, pe = segs[-2]
        ph = _subject_end(text, ps, pe)
        if ph is None:
            return None, _noun(text[ps:pe])
        if ph.border is None and ph.names:
            last = ph.names[-1]
            return End(last.start, last.end, last.text, (last,), None), None
        return ph, None
    ph = _subject_end(text, last_s, last_e)
    if ph is not None:
        return ph, None
    if len(segs) > 1 and _VERB_START.match(text[last_s:last_e]):
        ph = _subject_end(text, segs[0][0], segs[0][1])
        if ph is not None:
            return ph, None
    return None, _noun(text[last_s:last_e])


def _noun(phrase: str) -> str | None:
    words = re.sub(rf"\b(?:{_QUAL_RE})\s*$", "", phrase.strip(), flags=re.I)
    words = _VERB_TAIL.sub("", words).strip(" ,")
    # the last noun phrase: "leaving one crew member missing and the ship taking on water" -> "the ship taking on water"
    words = re.split(r"\b(?:and|or|with|leaving|while|as|after|before|when)\s+", words)[-1].strip()
    return words or None


def _is_place_noun(noun: str | None) -> bool:
    if not noun:
        return True
    return any(w in PLACE_NOUNS for w in re.findall(r"[a-z]+", noun.lower()))


# ---------------------------------------------------------------------------------------------------
# the claim finder

_QTY_RE = re.compile(
    rf"(?:(?P<qual>{_QUAL_RE})\s+)?(?<![$£€\w.,])(?P<num>{NUMBER_RE})"
    rf"(?:\s*(?:-|–|to|and)\s*(?P<num2>{NUMBER_RE}))?\s*-?\s*(?P<unit>{_UNIT_RE})(?![\w])"
    rf"(?:\s*\(\s*(?:about\s+|roughly\s+|some\s+|approximately\s+|around\s+|nearly\s+|~\s*)?"
    rf"(?P<cnum>{NUMBER_RE})\s*-?\s*(?P<cunit>{_UNIT_RE})\s*\))?",
    re.I,
)
_POST_RE = re.compile(
    rf"\s*(?P<away>away\b)?\s*"
    rf"(?:(?:to\s+the\s+|due\s+)?(?P<dir>{_DIR_RE}))?\s*"
    rf"(?P<prep>away\s+from\b|of\b|from\b|off\b|outside(?:\s+of)?\b|short\s+of\b|beyond\b|apart\b|away\b)?",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"[;:()\[\]—]|\s[–-]\s|\b(?:but|while|whereas|although|though)\b")
_OBJECT_STOP = re.compile(r"[,;:()\[\]—!?]|\.(?:\s|$)|\s[–-]\s|\b(?:but|while|which|where|when|after|before|because|as|and\s+(?:is|was|are|has|had|the|a|it|its))\b")
_DISTANCE_RE = re.compile(
    r"\bdistance\s+(?:between|from)\s+(?P<a>.+?)\s+(?:and|to)\s+(?P<b>.+?)(?:\s+(?:is|was|of|stands|measures|at)\b|\s*[:,]|\s*$)",
    re.I,
)
_APART_SUBJECT = re.compile(r"(?P<a>.+?)\s+and\s+(?P<b>.+?)(?:\s+(?:are|were|lie|sit|stand)\b.*)?$", re.S)


def _quantity(m: re.Match[str]) -> Quantity | None:
    value = parse_number(m.group("num"))
    if value is None or value <= 0:
        return None
    unit = unit_of(m.group("unit"))
    if unit == "m" and m.group("unit") != m.group("unit").lower() and len(m.group("unit")) == 1:
        return None  # "5M" is millions, not metres
    factor = KM_PER_UNIT[unit]
    high = parse_number(m.group("num2")) if m.group("num2") else None
    if high is not None and high <= value:
        high = None
    qual = " ".join(m.group("qual").lower().split()) if m.group("qual") else None
    if high is not None and qual is None:
        qual = "between"
    cv = parse_number(m.group("cnum")) if m.group("cnum") else None
    cu = unit_of(m.group("cunit")) if m.group("cunit") else None
    start = m.start("qual") if m.group("qual") else m.start("num")
    return Quantity(
        start=start, end=m.end(), text=m.group(0)[start - m.start():], value=value, unit=unit, km=value * factor,
        high_km=high * factor if high is not None else None, qualifier=qual,
        conversion_value=cv, conversion_unit=cu, conversion_km=cv * KM_PER_UNIT[cu] if cv is not None and cu else None,
    )


def _clause_start(text: str, sent_start: int, pos: int) -> int:
    start = sent_start
    for m in _CLAUSE_BREAK.finditer(text, sent_start, pos):
        # a parenthesis that closes before pos is part of the clause (an aside), not a break
        if m.group(0) == "(" and ")" in text[m.end():pos]:
            continue
        if m.group(0) == ")":
            continue
        start = m.end()
    return start


def _object_end(text: str, pos: int, sent_end: int) -> int:
    m = _OBJECT_STOP.search(text, pos, sent_end)
    stop = m.start() if m else sent_end
    # "the border between Jordan and Syria": keep the "and" inside a border expression
    b = find_border(text, pos, sent_end)
    if b is not None and b.start <= pos + 12 and b.end > stop:
        stop = b.end
    return stop


def find_claims(text: str) -> list[RawClaim]:
    """Every distance claim in text, in order: quantities with a length unit tied to one or two ends."""
    claims: list[RawClaim] = []
    for s_start, s_end in sentence_spans(text):
        for m in _QTY_RE.finditer(text, s_start, s_end):
            q = _quantity(m)
            if q is None:
                continue
            claim = _claim_at(text, q, s_start, s_end)
            if claim is not None:
                trimmed = claim.text.rstrip(" \t\n,;:")
                if len(trimmed) != len(claim.text):
                    claim = replace(claim, end=claim.start + len(trimmed), text=trimmed)
                claims.append(claim)
    return claims


# how far around a quantity its ends are looked for: keeps run-on "sentences" (lists, tables) linear
SUBJECT_WINDOW = 400
OBJECT_WINDOW = 250


def _claim_at(text: str, q: Quantity, sentence_start: int, sentence_end: int) -> RawClaim | None:
    s_start = max(sentence_start, q.start - SUBJECT_WINDOW)
    s_end = min(sentence_end, q.end + OBJECT_WINDOW)
    post = _POST_RE.match(text, q.end, s_end)
    away = bool(post and post.group("away"))
    dir_raw = post.group("dir") if post else None
    prep = (post.group("prep") or "").lower() if post else ""
    prep = " ".join(prep.split())
    direction = direction_code(dir_raw) if dir_raw else None
    if dir_raw and direction is None:
        dir_raw = None
    rel_end = post.end() if post else q.end
    clause_start = _clause_start(text, s_start, q.start)
    before = text[clause_start:q.start]

    # "the distance between X and Y is about 20 km"
    dm = _DISTANCE_RE.search(before)
    if dm:
        a = _end(text, clause_start + dm.start("a"), clause_start + dm.end("a"))
        b = _end(text, clause_start + dm.start("b"), clause_start + dm.end("b"))
        if a is not None and b is not None:
            if a.border is not None and b.border is None:
                a, b = b, a
            start = clause_start + dm.start()
            return RawClaim(start, q.end, text[start:q.end], q, a, b, None, "target", sentence_start, "between")

    if prep == "apart":
        am = _APART_SUBJECT.match(before.strip()) if before.strip() else None
        if am:
            off = clause_start + (len(before) - len(before.lstrip()))
            a = _end(text, off + am.start("a"), off + am.end("a"))
            b = _end(text, off + am.start("b"), off + am.end("b"))
            if a is not None and b is not None:
                if a.border is not None and b.border is None:
                    a, b = b, a
                return RawClaim(a.start, rel_end, text[a.start:rel_end], q, a, b, None, "target", sentence_start, "apart")
        return None

    has_object = prep in ("of", "from", "off", "outside", "outside of", "away from", "short of", "beyond")
    if not (has_object or away or prep == "away" or direction):
        return None  # a number with a unit but no relation: "a 20 km convoy", "350 troops"
    if prep == "of" and not direction and not (q.qualifier_kind == "max"):
        # "20 km of road", "within 5 km of" is fine; a bare "of" needs a direction or "within"
        return None

    obj: End | None = None
    end = rel_end
    if has_object:
        o_end = _object_end(text, rel_end, s_end)
        obj = _end(text, rel_end, o_end)
        if obj is not None and obj.border is not None and obj.border.start > obj.start + 4:
            # "north of Tower 22 across the Syrian frontier": the object is Tower 22, not the border
            named = tuple(n for n in obj.names if n.end <= obj.border.start)
            if named:
                obj = End(obj.start, named[-1].end, text[obj.start:named[-1].end], named, None)
        if obj is None:
            # "15 miles south-east of the town": an unnamed definite place is the passage's place
            ref = re.match(r"\s*(?:the|this|that)\s+(?:[a-z]+\s+)?[a-z]+", text[rel_end:o_end])
            if ref is None or re.search(r"centre|center|area|road|coast|shore|beach|river|bank|line|front|sea|region|surface|ground", ref.group(0)):
                return None  # "10 km from here", "20 km from the city centre": nothing to measure to
            end = rel_end + ref.end()
        else:
            end = obj.end
    subj, noun = _subject(text, clause_start, q.start)
    start = subj.start if subj is not None else q.start
    # the subject phrase runs from the clause start; start the claim at its first name or border
    if subj is not None:
        firsts = [n.start for n in subj.names] + ([subj.border.start] if subj.border else [])
        start = min(firsts) if firsts else subj.start
    relation = prep or ("away" if away else "direction")

    if obj is not None and obj.border is not None:
        # "X is 10 km from the border": measured from X (implicit when unnamed) to the border
        anchor = subj if subj is not None and subj.border is None else None
        return RawClaim(start, end, text[start:end], q, anchor, obj, direction, "anchor", sentence_start, relation)
    if subj is not None and subj.border is not None:
        # "the Iraqi border is only 10 km away [from X]"
        return RawClaim(start, end, text[start:end], q, obj, subj, direction, "target", sentence_start, relation)
    if obj is not None:
        # "X is 20 km north of Y": from Y to X ("the outpost is 20 km south of Y": X is the passage's place)
        return RawClaim(start, end, text[start:end], q, obj, subj, direction, "target", sentence_start, relation,
                        noun if subj is None else None, _is_place_noun(noun) if subj is None else True)
    # "X is 20 km away" / "X, 20 km north": from the passage's place to X
    if subj is None:
        return None
    return RawClaim(start, end, text[start:end], q, None, subj, direction, "target", sentence_start, relation)


__all__ = [
    "KM_PER_UNIT", "QUALIFIERS", "QUALIFIER_KIND", "COMPASS", "DEMONYMS", "Quantity", "Name", "BorderRef",
    "End", "RawClaim", "parse_number", "unit_of", "direction_code", "demonym_code", "fold",
    "sentence_spans", "find_names", "find_border", "find_claims",
]
