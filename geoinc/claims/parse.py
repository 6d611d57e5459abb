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

import re
from dataclasses import dataclass, replace
from typing import Literal

from ..text import parse_number, sentence_spans
from .phrases import (COMPASS, DEMONYMS, DIR_RE, BorderRef, End, Name, demonym_code, direction_code, find_border,
                      find_names, fold, make_end)
from .quantity import (KM_PER_UNIT, QTY_RE, QUAL_RE, QUALIFIER_KIND, QUALIFIERS, Quantity, read_quantity,
                       unit_of)



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


_VERB_TAIL = re.compile(
    r"(?:[\s,]|\b(?:is|was|are|were|lies|lay|lie|sits|sat|runs|stands|stood|located|situated|based|"
    r"positioned|lying|sitting|roughly|some|still|now|already|barely|located|estimated|approximately|"
    r"at\s+a\s+distance\s+of|a\s+distance\s+of|at)\b)*$")


def _subject_end(text: str, start: int, end: int) -> End | None:
    """The subject phrase before a quantity: a border when the phrase ends on one ("the Iraqi border is"),
    unless a place is tied to it by a preposition ("Rukban near the Syrian border is …": Rukban)."""
    phrase = make_end(text, start, end)
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
    words = re.sub(rf"\b(?:{QUAL_RE})\s*$", "", phrase.strip(), flags=re.I)
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


_POST_RE = re.compile(
    rf"\s*(?P<away>away\b)?\s*"
    rf"(?:(?:to\s+the\s+|due\s+)?(?P<dir>{DIR_RE}))?\s*"
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
        for m in QTY_RE.finditer(text, s_start, s_end):
            q = read_quantity(m)
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


@dataclass(frozen=True, slots=True)
class _At:
    """A quantity in its sentence: what follows it (direction, preposition) and the clause before it."""

    text: str
    q: Quantity
    sentence_start: int
    s_end: int
    clause_start: int
    before: str
    direction: str | None
    prep: str
    away: bool
    rel_end: int


def _at(text: str, q: Quantity, sentence_start: int, sentence_end: int) -> _At:
    s_start = max(sentence_start, q.start - SUBJECT_WINDOW)
    s_end = min(sentence_end, q.end + OBJECT_WINDOW)
    post = _POST_RE.match(text, q.end, s_end)
    dir_raw = post.group("dir") if post else None
    prep = " ".join(((post.group("prep") or "").lower() if post else "").split())
    clause_start = _clause_start(text, s_start, q.start)
    return _At(text, q, sentence_start, s_end, clause_start, text[clause_start:q.start],
               direction_code(dir_raw) if dir_raw else None, prep, bool(post and post.group("away")),
               post.end() if post else q.end)


def _between_form(at: _At) -> RawClaim | None:
    """"the distance between X and Y is about 20 km" (also "the distance from X to Y")."""
    dm = _DISTANCE_RE.search(at.before)
    if not dm:
        return None
    text, off = at.text, at.clause_start
    a = make_end(text, off + dm.start("a"), off + dm.end("a"))
    b = make_end(text, off + dm.start("b"), off + dm.end("b"))
    if a is None or b is None:
        return None
    if a.border is not None and b.border is None:
        a, b = b, a
    start = off + dm.start()
    return RawClaim(start, at.q.end, text[start:at.q.end], at.q, a, b, None, "target", at.sentence_start, "between")


def _apart_form(at: _At) -> RawClaim | None:
    """"Rukban and al-Tanf are 20 km apart"."""
    if at.prep != "apart":
        return None
    am = _APART_SUBJECT.match(at.before.strip()) if at.before.strip() else None
    if not am:
        return None
    text = at.text
    off = at.clause_start + (len(at.before) - len(at.before.lstrip()))
    a = make_end(text, off + am.start("a"), off + am.end("a"))
    b = make_end(text, off + am.start("b"), off + am.end("b"))
    if a is None or b is None:
        return None
    if a.border is not None and b.border is None:
        a, b = b, a
    return RawClaim(a.start, at.rel_end, text[a.start:at.rel_end], at.q, a, b, None, "target", at.sentence_start, "apart")


_OBJECT_PREPS = ("of", "from", "off", "outside", "outside of", "away from", "short of", "beyond")
_NOT_A_PLACE_REF = re.compile(r"centre|center|area|road|coast|shore|beach|river|bank|line|front|sea|region|surface|ground")


def _object(at: _At) -> tuple[End | None, int] | None:
    """The end after the relation ("… north of Y") and where the claim ends; None when it has nothing to measure to."""
    text = at.text
    o_end = _object_end(text, at.rel_end, at.s_end)
    obj = make_end(text, at.rel_end, o_end)
    if obj is not None and obj.border is not None and obj.border.start > obj.start + 4:
        # "north of Tower 22 across the Syrian frontier": the object is Tower 22, not the border
        named = tuple(n for n in obj.names if n.end <= obj.border.start)
        if named:
            obj = End(obj.start, named[-1].end, text[obj.start:named[-1].end], named, None)
    if obj is not None:
        return obj, obj.end
    # "15 miles south-east of the town": an unnamed definite place is the passage's place
    ref = re.match(r"\s*(?:the|this|that)\s+(?:[a-z]+\s+)?[a-z]+", text[at.rel_end:o_end])
    if ref is None or _NOT_A_PLACE_REF.search(ref.group(0)):
        return None  # "10 km from here", "20 km from the city centre": nothing to measure to
    return None, at.rel_end + ref.end()


def _relation_form(at: _At) -> RawClaim | None:
    """"X is 20 km north of Y", "X, 20 km from the border", "the Iraqi border is 10 km away", "X, 20 km north"."""
    has_object = at.prep in _OBJECT_PREPS
    if not (has_object or at.away or at.prep == "away" or at.direction):
        return None  # a number with a unit but no relation: "a 20 km convoy", "350 troops"
    if at.prep == "of" and not at.direction and not (at.q.qualifier_kind == "max"):
        return None  # "20 km of road" ("within 5 km of" is fine): a bare "of" needs a direction or "within"
    obj: End | None = None
    end = at.rel_end
    if has_object:
        found = _object(at)
        if found is None:
            return None
        obj, end = found
    text, q = at.text, at.q
    subj, noun = _subject(text, at.clause_start, q.start)
    start = q.start
    if subj is not None:
        # the subject phrase runs from the clause start; start the claim at its first name or border
        firsts = [n.start for n in subj.names] + ([subj.border.start] if subj.border else [])
        start = min(firsts) if firsts else subj.start
    relation = at.prep or ("away" if at.away else "direction")
    span = (start, end, text[start:end], q)
    if obj is not None and obj.border is not None:
        # "X is 10 km from the border": measured from X (implicit when unnamed) to the border
        anchor = subj if subj is not None and subj.border is None else None
        return RawClaim(*span, anchor, obj, at.direction, "anchor", at.sentence_start, relation)
    if subj is not None and subj.border is not None:
        # "the Iraqi border is only 10 km away [from X]"
        return RawClaim(*span, obj, subj, at.direction, "target", at.sentence_start, relation)
    if obj is not None:
        # "X is 20 km north of Y": from Y to X ("the outpost is 20 km south of Y": X is the passage's place)
        return RawClaim(*span, obj, subj, at.direction, "target", at.sentence_start, relation,
                        noun if subj is None else None, _is_place_noun(noun) if subj is None else True)
    # "X is 20 km away" / "X, 20 km north": from the passage's place to X
    if subj is None:
        return None
    return RawClaim(*span, None, subj, at.direction, "target", at.sentence_start, relation)


# the claim forms, tried in order; the first that reads the quantity wins
CLAIM_FORMS = (_between_form, _apart_form, _relation_form)


def _claim_at(text: str, q: Quantity, sentence_start: int, sentence_end: int) -> RawClaim | None:
    at = _at(text, q, sentence_start, sentence_end)
    for form in CLAIM_FORMS:
        claim = form(at)
        if claim is not None or (form is _apart_form and at.prep == "apart"):
            return claim
    return None


__all__ = [
    "KM_PER_UNIT", "QUALIFIERS", "QUALIFIER_KIND", "COMPASS", "DEMONYMS", "Quantity", "Name", "BorderRef",
    "End", "RawClaim", "parse_number", "unit_of", "direction_code", "demonym_code", "fold",
    "sentence_spans", "find_names", "find_border", "find_claims",
]
