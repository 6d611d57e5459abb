"""Qualifiers name the container: places the text gives as what another place lies in.

"Berlin, New Hampshire", "Boston, Lincolnshire", "X, Y province, Syria", "Dover, DE", and the defining
sentence of an article about a place ("Paris is a city in Bear Lake County, Idaho"). Each rule below fills
``Span.containers`` (name keys) of the qualified span; the resolver (``scoring.container_bonus``) prefers the
candidate that lies in them, strongly enough to beat a capital or a namesake a hundred times larger. A
qualifier is itself a literal mention of the container (never a metonym).
"""
from __future__ import annotations

import re
from typing import Final

from ..text import name_key
from .lexicon import ADMIN_WORDS, FACILITY_WORDS
from .tokens import Span, Token, first_token_at

MAX_CONTAINERS: Final = 5
# words that make "X is a ... <word> in/of Y" a definition of X's place: "a town in", "the county seat of"
DEFINING_WORDS: Final = frozenset("""
city town village hamlet municipality community suburb neighbourhood neighborhood borough township settlement
commune locality parish district county seat capital port resort place area region province state island
""".split())
_REGIONAL: Final = frozenset({"country", "admin1", "admin2"})
# defining words that make the place a settlement, never a country or first-level region ("Cuba is a city in
# Republic County, Kansas"; not "district", "province", "island", which may be regions)
SETTLEMENT_WORDS: Final = frozenset("""
city town village hamlet municipality community suburb neighbourhood neighborhood borough township settlement
commune locality port resort
""".split())
_AREA_READINGS: Final = frozenset({"country", "admin1", "continent", "region", "water"})


def settlement_not_area(span: Span) -> None:
    """"Malta is a town in Saratoga County": the text calls the place a settlement, so its country and region
    namesakes are not candidates (with none left, the resolver places it at its container or leaves it open)."""
    kept = tuple(c for c in span.candidates if c.place.kind not in _AREA_READINGS)
    if len(kept) < len(span.candidates):
        span.candidates = kept
        span.notes.append("called a settlement by its defining sentence")
# postal abbreviations of first-level regions, as datelines and addresses give them after a comma
REGION_ABBREVIATIONS: Final[dict[str, tuple[str, ...]]] = {
    "AL": ("Alabama",), "AK": ("Alaska",), "AZ": ("Arizona",), "AR": ("Arkansas",), "CA": ("California",),
    "CO": ("Colorado",), "CT": ("Connecticut",), "DE": ("Delaware",), "FL": ("Florida",), "GA": ("Georgia",),
    "HI": ("Hawaii",), "ID": ("Idaho",), "IL": ("Illinois",), "IN": ("Indiana",), "IA": ("Iowa",),
    "KS": ("Kansas",), "KY": ("Kentucky",), "LA": ("Louisiana",), "ME": ("Maine",), "MD": ("Maryland",),
    "MA": ("Massachusetts",), "MI": ("Michigan",), "MN": ("Minnesota",), "MS": ("Mississippi",),
    "MO": ("Missouri",), "MT": ("Montana",), "NE": ("Nebraska",), "NV": ("Nevada",), "NH": ("New Hampshire",),
    "NJ": ("New Jersey",), "NM": ("New Mexico",), "NY": ("New York",), "NC": ("North Carolina",),
    "ND": ("North Dakota",), "OH": ("Ohio",), "OK": ("Oklahoma",), "OR": ("Oregon",), "PA": ("Pennsylvania",),
    "RI": ("Rhode Island",), "SC": ("South Carolina",), "SD": ("South Dakota",), "TN": ("Tennessee",),
    "TX": ("Texas",), "UT": ("Utah",), "VT": ("Vermont",), "VA": ("Virginia",),
    "WA": ("Washington", "Western Australia"), "WV": ("West Virginia",), "WI": ("Wisconsin",),
    "WY": ("Wyoming",), "DC": ("District of Columbia",),
    "NSW": ("New South Wales",), "QLD": ("Queensland",), "VIC": ("Victoria",), "SA": ("South Australia",),
    "TAS": ("Tasmania",), "NT": ("Northern Territory", "Northwest Territories"),
    "ACT": ("Australian Capital Territory",), "ON": ("Ontario",), "QC": ("Quebec",), "BC": ("British Columbia",),
    "AB": ("Alberta",), "MB": ("Manitoba",), "SK": ("Saskatchewan",), "NS": ("Nova Scotia",),
    "NB": ("New Brunswick",), "NL": ("Newfoundland and Labrador",), "PE": ("Prince Edward Island",),
    "YT": ("Yukon",), "NU": ("Nunavut",),
}


def _add(span: Span, container: Span | None, key: str) -> None:
    if key and key != span.key and key not in span.containers and len(span.containers) < MAX_CONTAINERS:
        span.containers = (*span.containers, key)
        if container is not None and not span.metonym:
            container.qualifier = True


def _gap_is_comma(text: str, a: Span, b: Span) -> bool:
    """Only a comma (and admin type words: "Idlib province, Syria") between two spans."""
    if text.count(",", a.end, b.start) != 1:
        return False    # each comma is a "," word below: no need to cut and split a long gap to know
    words = text[a.end:b.start].replace(",", " , ").split()
    return words.count(",") == 1 and all(w == "," or w.lower().rstrip(".") in ADMIN_WORDS for w in words)


def _regional(span: Span) -> bool:
    return any(c.place.kind in _REGIONAL for c in span.candidates)


def _ends_list(text: str, last: Span, spans: list[Span], k: int) -> bool:
    """The chain ending at ``last`` (index ``k``) goes on with "and"/"or" or a bare comma and another place: a
    list ("Copenhagen, Hamburg, Brasov and Mannheim")."""
    if k + 1 >= len(spans):
        return False
    gap = text[last.end:spans[k + 1].start]
    words = gap.replace(",", " ").split()
    if not words:
        return "," in gap
    return len(words) <= 3 and words[-1].lower() in {"and", "or", "&"}   # ", Brasov and Mannheim" (unknown mate)


def comma_chain(text: str, tokens: list[Token], spans: list[Span]) -> None:
    """"Boston, Lincolnshire", "Berlin, New Hampshire", "Aleppo, Aleppo province, Syria": the regions after
    a place, each after a comma, are its containers (two levels or more); not a list ("Paris, Rome and Oslo")."""
    for k, span in enumerate(spans):
        if any(c.place.kind == "country" for c in span.candidates):
            continue        # a country has no container: "Armenia, Azerbaijan" is a list
        chain: list[Span] = []
        last = k
        for m in range(k + 1, min(len(spans), k + 4)):
            if not _gap_is_comma(text, spans[last], spans[m]) or not _regional(spans[m]):
                break
            chain.append(spans[m])
            last = m
        if chain and not _ends_list(text, spans[last], spans, last):
            for nxt in chain:
                _add(span, nxt, nxt.key)


def region_abbreviation(text: str, tokens: list[Token], spans: list[Span]) -> None:
    """"Dover, DE", "Perth, WA", "Guelph, ON": a postal abbreviation of a state or province after a comma."""
    for span in spans:
        rest = text[span.end:span.end + 6]
        if not rest.startswith(", "):
            continue
        abbr = rest[2:].split(None, 1)[0].rstrip(".,;:)") if len(rest) > 2 else ""
        if abbr.isupper() and abbr in REGION_ABBREVIATIONS:
            for name in REGION_ABBREVIATIONS[abbr]:
                _add(span, None, name_key(name))


MAX_STRAY: Final = 4      # capitalised words and marks between a name and its "is": "Dartmouth, Massachusetts is"
_CLOSE: Final = {"(": ")", "[": "]", "/": "/"}


def _copula_after(tokens: list[Token], j: int) -> int | None:
    """The index of the "is"/"was" that follows a name ending at token ``j``, past bracketed glosses and
    pronunciations ("Lisbon /ˈlɪzbən/ LIZ-bən is", "Lisbon (pronounced [ˈlizbon]) is") and a few capitalised
    words ("Lisbon, Illinois is"); None at the end of the sentence or at a lower-case word."""
    n = len(tokens)
    m, stray = j, 0
    while m < n and tokens[m].low not in {"is", "was"}:
        t = tokens[m].text
        close = _CLOSE.get(t)
        if close is not None:
            end = next((q for q in range(m + 1, min(n, m + 40)) if tokens[q].text == close), None)
            if end is None:
                return None
            m = end + 1
            continue
        if t in {".", ";"} or (tokens[m].word and not tokens[m].cap):
            return None     # "Lisbon police said the man was ...": a clause, not a gloss
        stray += 1
        if stray > MAX_STRAY:
            return None
        m += 1
    return m if m < n else None


def defining_word(tokens: list[Token], k: int, j: int) -> int | None:
    """For a name at tokens [k, j) opening a sentence: the index of the place word that defines it ("Paris
    is a small city ...", "Toledo (Spanish: ...) is a municipality ..."), or None."""
    n = len(tokens)
    if not tokens[k].sent_start:
        return None
    m = _copula_after(tokens, j)
    if m is None:
        return None
    for q in range(m + 1, min(n, m + 12)):
        if tokens[q].text in {".", ";"}:
            return None
        if tokens[q].low in DEFINING_WORDS:
            return q
    return None


FAR_REFERENCE_KM: Final = 60.0     # "413 km north of the capital Lomé": a reference point this far is no container
_DISTANCE_BEFORE = re.compile(
    r"(\d[\d,]*(?:\.\d+)?)\s*(?:\(|-)?\s*(km|kilometres|kilometers|kilometre|kilometer|mi|miles|mile)\b[^.;\d]{0,40}$",
    re.IGNORECASE)


def far_reference(text: str, start: int) -> bool:
    """Is the place at ``start`` given as a reference point far away ("207 kilometres (129 mi) north of
    Adelaide", "413 km north of the capital Lomé") rather than as a container or a near neighbour?"""
    m = _DISTANCE_BEFORE.search(text, max(0, start - 80), start)
    if m is None:
        return False
    value = float(m.group(1).replace(",", ""))
    unit = m.group(2).lower()
    return value * (1.609344 if unit.startswith("mi") else 1.0) > FAR_REFERENCE_KM


def defining_sentence(text: str, tokens: list[Token], spans: list[Span]) -> None:
    """"Paris is a city and county seat of Bear Lake County, Idaho, United States": the places after the
    place word in a sentence that opens with a place and "is"/"was" contain (or neighbour) that place."""
    n = len(tokens)
    for si, span in enumerate(spans):
        k = first_token_at(tokens, span.start)
        if k >= n or tokens[k].start != span.start or not tokens[k].sent_start:
            continue
        j = k
        while j < n and tokens[j].end <= span.end:
            j += 1
        q = defining_word(tokens, k, j)
        if q is None:
            continue
        span.metonym = False        # "Malta is a town in ...": the subject of its own definition is literal
        if tokens[q].low in SETTLEMENT_WORDS:
            settlement_not_area(span)
        cut = tokens[q].end
        m = q
        end = next((t.start for t in tokens[m:] if t.start > cut and t.text in {".", ";"}), len(text))
        for other in spans[si + 1:]:
            if other.start >= end:
                break
            if other.start > cut and other.key != span.key and not far_reference(text, other.start):
                _add(span, other, other.key)


PLURAL_ADMIN: Final = frozenset({"governorates", "provinces", "oblasts", "districts", "regions", "prefectures"})


def plural_admin_word(text: str, tokens: list[Token], spans: list[Span]) -> None:
    """"Idlib and Hama governorates", "Donetsk, Luhansk and Kherson oblasts": a plural admin word after a
    list gives every member the admin reading."""
    for k, span in enumerate(spans):
        if span.feature not in PLURAL_ADMIN:
            continue
        m = k
        while m > 0:
            gap = text[spans[m - 1].end:spans[m].start].replace(",", " , ").split()
            if not gap or len(gap) > 2 or any(w.lower() not in {",", "and", "or", "&"} for w in gap):
                break
            m -= 1
            if spans[m].feature is None:
                spans[m].feature = span.feature
                spans[m].near = True


def facility_in_town(text: str, tokens: list[Token], spans: list[Span]) -> None:
    """"the Brightwater Clinic in Leeds", "the Royal Hospital, Haslar": a named site the gazetteer lacks takes
    the town named right after it, at geo-precision 2 (near)."""
    for k, span in enumerate(spans[:-1]):
        nxt = spans[k + 1]
        if span.feature not in FACILITY_WORDS or nxt.metonym:
            continue
        gap = text[span.end:nxt.start].strip().lower()
        if gap != "in" and (span.candidates or gap not in {",", "at", "near"}):
            continue        # "X Clinic in Leeds" says where it is, over a namesake town inside its name
        towns = tuple(c for c in nxt.candidates if c.place.kind in ("city", "town", "village"))
        if towns:
            span.candidates, span.near, span.site_in_town = towns, True, True
            span.notes.append(f"a site in {nxt.text}")


def qualifiers_are_literal(text: str, tokens: list[Token], spans: list[Span]) -> None:
    """"Berlin, New Hampshire": a state or country given as a town's container is a literal mention, not a
    metonym (nor is the town)."""
    for sp in spans:
        if sp.metonym and sp.qualifier and any(c.place.kind in ("country", "admin1") for c in sp.candidates):
            sp.metonym = False
            sp.notes.append("the container of another place")


RULES: Final = (comma_chain, region_abbreviation, defining_sentence, qualifiers_are_literal, plural_admin_word,
                facility_in_town)


def find_containers(text: str, tokens: list[Token], spans: list[Span]) -> None:
    """Run every qualifier rule over the spans of one text (in order; they only add containers)."""
    for rule in RULES:
        rule(text, tokens, spans)


__all__ = ["find_containers", "defining_word", "RULES", "REGION_ABBREVIATIONS"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources.
if __name__ == "geoinc.geoparser.qualifiers":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
