"""Stated lengths in claim text: numbers with a length unit, qualifiers, ranges and bracketed conversions.

Pure parsing ("some 50 km (30 miles)" -> a :class:`Quantity` of 50 km, qualifier "some", conversion 30 mi).
Number words come from :mod:`geoinc.text`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import NUMBER_RE, NUMBER_WORDS, SCALE_WORDS, parse_number

# ---------------------------------------------------------------------------------------------------
# numbers and units

KM_PER_UNIT = {"km": 1.0, "mi": 1.609344, "nmi": 1.852, "m": 0.001}

_UNIT_WORDS = [
    (r"nautical\s+miles?|nmi|NM|nm", "nmi"),
    (r"kilomet(?:er|re)s?|kms?|klicks?", "km"),
    (r"miles?|mi", "mi"),
    (r"met(?:er|re)s?|m", "m"),
]
UNIT_RE = "|".join(f"(?:{p})" for p, _ in _UNIT_WORDS)
_UNIT_FULL = tuple((re.compile(p, re.I), unit) for p, unit in _UNIT_WORDS)


def unit_of(word: str) -> str:
    """The canonical unit ("km", "mi", "nmi", "m") of a unit word as written."""
    w = word.strip()
    for pattern, unit in _UNIT_FULL:
        if pattern.fullmatch(w):
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
QUAL_RE = "|".join(q.replace(" ", r"\s+") for q in QUALIFIERS)


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

    def __init__(self, start: int, end: int, text: str, value: float, unit: str, km: float,
                 high_km: float | None = None, qualifier: str | None = None, conversion_value: float | None = None,
                 conversion_unit: str | None = None, conversion_km: float | None = None) -> None:
        """The fields in order: a written constructor is compiled (see the note above phrases.Name)."""
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "unit", unit)
        object.__setattr__(self, "km", km)
        object.__setattr__(self, "high_km", high_km)
        object.__setattr__(self, "qualifier", qualifier)
        object.__setattr__(self, "conversion_value", conversion_value)
        object.__setattr__(self, "conversion_unit", conversion_unit)
        object.__setattr__(self, "conversion_km", conversion_km)

    @property
    def qualifier_kind(self) -> str:
        """How the qualifier bends the check: exact, about, nearly, min, max or range."""
        if self.high_km is not None:
            return "range"
        kind = QUALIFIER_KIND.get(self.qualifier or "", "exact")
        return "exact" if kind == "range" else kind   # "between 10 km …" with no second number


# the qualifier is a whole word (\b): "Hanover 5 km" holds no "over", "roundabout 5 km" no "about"
QTY_RE = re.compile(
    rf"(?:\b(?P<qual>{QUAL_RE})\s+)?(?<![$£€\w.,])(?P<num>{NUMBER_RE})"
    rf"(?:\s*(?:-|–|to|and)\s*(?P<num2>{NUMBER_RE}))?\s*-?\s*(?P<unit>{UNIT_RE})(?![\w])"
    rf"(?:\s*\(\s*(?:about\s+|roughly\s+|some\s+|approximately\s+|around\s+|nearly\s+|~\s*)?"
    rf"(?P<cnum>{NUMBER_RE})\s*-?\s*(?P<cunit>{UNIT_RE})\s*\))?",
    re.I,
)


# Where QTY_RE can match, found without trying it at every character (a try costs ~0.15 µs a character: the
# qualifier and number-word alternations, case-blind): a match opens at a number (a digit, "." and a digit, or
# a number word, not after [$£€\w.,]) or at a qualifier written before one. The numbers are found by a pattern
# that the regex engine scans by its first character's class (the digits and the first letters of the number
# words, both cases and "ſ", which case-blind matching reads as "s"), each number word checked from its first
# letter; a qualifier is looked for only in the three words before a number, spaced from it.
def _by_first_letter(phrases: list[str]) -> tuple[str, str]:
    """An alternation of ``phrases`` that reads each one's rest behind its first letter, and those letters."""
    rests: dict[str, list[str]] = {}
    for w in phrases:
        rests.setdefault(w[0], []).append(re.escape(w[1:]).replace(r"\ ", r"\s+").replace(" ", r"\s+"))
    alternation = "|".join(f"(?<={first})(?:{'|'.join(sorted(r, key=len, reverse=True))})"
                           for first, r in sorted(rests.items()))
    return alternation, "".join(sorted(rests))


_NUM_ALTS, _NUM_FIRST = _by_first_letter([*NUMBER_WORDS, *SCALE_WORDS, "dozen", "half", "a", "an"])
_NUMBER_OPEN = re.compile(
    rf"[\d.{_NUM_FIRST}{_NUM_FIRST.upper()}\u017f](?<![$£€\w.,].)(?:(?<=\d)|(?<=\.)(?=\d)|(?i:{_NUM_ALTS})\b)")
_QUAL_ALTS, _QUAL_FIRST = _by_first_letter(list(QUALIFIERS))
# a qualifier that ends, with the spacing after it, where the search stops (at a number)
_QUAL_BEFORE = re.compile(rf"[{_QUAL_FIRST}{_QUAL_FIRST.upper()}\u017f](?<!\w.)(?i:{_QUAL_ALTS})\s+\Z")


def quantity_matches(text: str, start: int, end: int, first: bool = False) -> list[re.Match[str]]:
    """``list(QTY_RE.finditer(text, start, end))`` (its first match only with ``first``), QTY_RE tried only
    where a number or its qualifier opens."""
    out: list[re.Match[str]] = []
    last = start
    for n in _NUMBER_OPEN.finditer(text, start, end):
        p = n.start()
        if p < last:
            continue
        m: re.Match[str] | None = None
        if p > last and text[p - 1].isspace():
            w = p                                      # the start of the three words before the number
            for _ in range(3):
                while w > last and text[w - 1].isspace():
                    w -= 1
                while w > last and not text[w - 1].isspace():
                    w -= 1
            q = _QUAL_BEFORE.search(text, w, p)
            if q is not None:
                m = QTY_RE.match(text, q.start(), end)
        if m is None:
            m = QTY_RE.match(text, p, end)
        if m is not None:
            out.append(m)
            if first:
                break
            last = m.end()
    return out


def read_quantity(m: re.Match[str]) -> Quantity | None:
    """The Quantity of a QTY_RE match; None for a zero, or "5M" (millions, not metres)."""
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


__all__ = ["KM_PER_UNIT", "QUALIFIERS", "QUALIFIER_KIND", "QUAL_RE", "UNIT_RE", "QTY_RE", "Quantity", "unit_of", "quantity_matches",
           "read_quantity", "parse_number"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.claims.quantity":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
