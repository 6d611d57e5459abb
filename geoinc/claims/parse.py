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

import bisect
import re
from dataclasses import dataclass, replace
from typing import Final, Literal

from ..text import parse_number, sentence_spans
from .phrases import (claim_sentences, per_text, COMPASS, DEMONYMS, DIR_RE, BorderRef, End, Name, demonym_code, direction_code, find_border,
                      find_names, fold, latin1_space, make_end)
from .sentences import block_at, block_sentences
from .quantity import (KM_PER_UNIT, QTY_RE, QUALIFIER_KIND, QUALIFIERS, Quantity, quantity_matches, read_quantity,
                       unit_of)
from .subjects import Subject, Where, find_subject, is_place_noun, legacy_subject, may_find_subject, subject_border


@dataclass(frozen=True, slots=True)
class AnchorRef:
    """An anchor described instead of named: "the Iraqi capital" (capital, IQ), "the capital" (capital of the
    story's country), "the provincial capital", "the city" (the place the passage last named)."""

    kind: Literal["capital", "provincial capital", "recent"]
    country: str | None
    text: str

    def __init__(self, kind: Literal["capital", "provincial capital", "recent"], country: str | None, text: str) -> None:
        """The fields in order: a written constructor is compiled (see the note above phrases.Name)."""
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "country", country)
        object.__setattr__(self, "text", text)

@dataclass(frozen=True, slots=True)
class RawClaim:
    """A claim as parsed: its span, the quantity, the direction, and its ends (None = implicit)."""

    start: int
    end: int
    text: str
    quantity: Quantity | None                          # None: a direction-only or border-proximity claim
    anchor: End | None
    target: End | None
    direction: str | None = None                       # compass code
    direction_of: Literal["target", "anchor"] = "target"   # which end the direction locates from the other
    sentence_start: int = 0
    relation: str = ""                                 # away | of | from | apart | between | ...
    subject_noun: str | None = None                    # an unnamed subject as written ("the outpost", "the ship")
    subject_is_place: bool = True                      # False when that unnamed subject is not a place ("the ship")
    kind: Literal["distance", "direction", "border", "border-near"] = "distance"
    subject_rule: str = ""                             # the rule that found the subject (see geoinc.claims.subjects)
    subject_topic: bool = False                        # the subject is the passage's topic ("It lies …", "The town is …")
    anchor_ref: AnchorRef | None = None                # a described anchor ("the Iraqi capital")

    def __init__(self, start: int, end: int, text: str, quantity: Quantity | None, anchor: End | None,
                 target: End | None, direction: str | None = None,
                 direction_of: Literal["target", "anchor"] = "target", sentence_start: int = 0,
                 relation: str = "", subject_noun: str | None = None, subject_is_place: bool = True,
                 kind: Literal["distance", "direction", "border", "border-near"] = "distance",
                 subject_rule: str = "", subject_topic: bool = False, anchor_ref: AnchorRef | None = None) -> None:
        """The fields in order: a written constructor is compiled (see the note above phrases.Name)."""
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "quantity", quantity)
        object.__setattr__(self, "anchor", anchor)
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "direction", direction)
        object.__setattr__(self, "direction_of", direction_of)
        object.__setattr__(self, "sentence_start", sentence_start)
        object.__setattr__(self, "relation", relation)
        object.__setattr__(self, "subject_noun", subject_noun)
        object.__setattr__(self, "subject_is_place", subject_is_place)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "subject_rule", subject_rule)
        object.__setattr__(self, "subject_topic", subject_topic)
        object.__setattr__(self, "anchor_ref", anchor_ref)

    @property
    def subject_end(self) -> End | None:
        """The end naming the place the claim locates (the anchor of a border claim, else the target)."""
        return self.anchor if self.kind in ("border", "border-near") else self.target


# ---------------------------------------------------------------------------------------------------
# the claim finder


_POST_RE = re.compile(
    rf"\s*(?P<away>away\b)?\s*"
    rf"(?:(?:to\s+the\s+|due\s+)?(?P<dir>{DIR_RE}))?\s*"
    rf"(?P<prep>away\s+from\b|of\b|from\b|off\b|outside(?:\s+of)?\b|short\s+of\b|beyond\b|apart\b|away\b)?",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"[;:()\[\]—]|\s[–-]\s|\b(?:but|while|whereas|although|though)\b")
_OBJECT_STOP = re.compile(r"[,;:()\[\]—!?]|\.(?:\s|$)|\s[–-]\s|\b(?:but|while|which|where|when|after|before|because|as|with|via|"
                          r"and\s+(?:is|was|are|has|had|the|a|it|its|lies|sits|stands|located|situated)|"
                          r"(?:on|in|along|at|near)\s+the)\b")
_DISTANCE_RE = re.compile(
    r"\bdistance\s+(?:between|from)\s+(?P<a>.+?)\s+(?:and|to)\s+(?P<b>.+?)(?:\s+(?:is|was|of|stands|measures|at)\b|\s*[:,]|\s*$)",
    re.I,
)
_APART_SUBJECT = re.compile(r"(?P<a>.+?)\s+and\s+(?P<b>.+?)(?:\s+(?:are|were|lie|sit|stand)\b.*)?$", re.S)


_CLAUSE_PUNCT_CHARS = ";:()[]—"     # the punctuation of _CLAUSE_BREAK
_CLAUSE_WORDS = ("but", "while", "whereas", "although", "though")


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"                 # what \b tells apart (the re module's word characters)


def _clause_breaks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans ``_CLAUSE_BREAK.finditer(text, start, end)`` gives, found piece by piece: the punctuation by
    string search for each of its characters, the dashes and words by string search (one pattern with all of them tries
    a match at every character). The pieces cannot overlap one another; " - - " keeps its first dash only."""
    found: list[tuple[int, int]] = []
    for punct in _CLAUSE_PUNCT_CHARS:
        i = text.find(punct, start, end)
        while i >= 0:
            found.append((i, i + 1))
            i = text.find(punct, i + 1, end)
    dashes: list[int] = []
    for dash in ("–", "-") if end - start >= 3 else ():
        i = text.find(dash, start + 1, end - 1)
        while i >= 0:
            if text[i - 1].isspace() and text[i + 1].isspace():
                dashes.append(i - 1)
            i = text.find(dash, i + 1, end - 1)
    last = -1
    for i in sorted(dashes):
        if i >= last:
            found.append((i, i + 3))
            last = i + 3
    for word in _CLAUSE_WORDS:
        i = text.find(word, start, end)
        while i >= 0:
            j = i + len(word)
            if (i == 0 or not _is_word(text[i - 1])) and (j == end or not _is_word(text[j])):
                found.append((i, j))
            i = text.find(word, i + 1, end)
    found.sort()
    return found


def _clause_start_by_breaks(text: str, sent_start: int, pos: int) -> int:
    """:func:`_clause_start` from every break of the stretch (:func:`_clause_breaks`): the reference it keeps to."""
    for b, e in reversed(_clause_breaks(text, sent_start, pos)):
        # a parenthesis that closes before pos is part of the clause (an aside), not a break
        ch = text[b]
        if (ch == "(" and ")" in text[e:pos]) or ch == ")":
            continue
        return e
    return sent_start


def _last_spaced_dash(text: str, start: int, pos: int, after: int) -> int:
    """Where the last " – " or " - " of text[start:pos] starts (its space; -1 when none starts after ``after``)."""
    best = -1
    for dash in ("–", "-"):
        i = text.rfind(dash, start + 1, pos - 1)
        while i - 1 > max(after, best):
            if text[i - 1].isspace() and text[i + 1].isspace():
                best = i - 1
                break
            i = text.rfind(dash, start + 1, i)
    return best


def _last_clause_word(text: str, start: int, pos: int, after: int) -> tuple[int, int]:
    """The span of the last clause word ("but", "while", …) standing as a word in text[start:pos], (-1, -1) when
    none starts after ``after``."""
    best = (-1, -1)
    for word in _CLAUSE_WORDS:
        i = text.rfind(word, start, pos)
        while i > max(after, best[0]):
            j = i + len(word)
            if (i == 0 or not _is_word(text[i - 1])) and (j == pos or not _is_word(text[j])):
                best = (i, j)
                break
            i = text.rfind(word, start, j - 1)
    return best


def _clause_start(text: str, sent_start: int, pos: int) -> int:
    """Where the clause before ``pos`` starts: the end of the last clause break (:data:`_CLAUSE_BREAK`) in
    text[sent_start:pos], a parenthesis closed before pos (an aside) and a closing one not counting; else
    ``sent_start``. Read backwards, the last break of each kind (by string search from the end) rather than every
    break of the stretch (:func:`_clause_start_by_breaks`, which " - - " still takes: its second dash is no break)."""
    b, e = -1, sent_start
    for punct in ";:[]—":
        i = text.rfind(punct, sent_start, pos)
        if i > b:
            b, e = i, i + 1
    i = text.rfind("(", sent_start, pos)
    if i > b and i > text.rfind(")", sent_start, pos):
        b, e = i, i + 1
    if pos - sent_start >= 3:
        d = _last_spaced_dash(text, sent_start, pos, b)
        if d > b:
            if d - 2 >= sent_start and text[d - 1] in "–-" and text[d - 2].isspace():
                return _clause_start_by_breaks(text, sent_start, pos)   # " - - ": which dash breaks depends on the first
            b, e = d, d + 3
    w = _last_clause_word(text, sent_start, pos, b)
    if w[0] > b:
        b, e = w
    return e


def _object_end(text: str, pos: int, sent_end: int) -> int:
    m = _OBJECT_STOP.search(text, pos, sent_end)
    stop = m.start() if m else sent_end
    found = quantity_matches(text, pos, stop, first=True)
    nxt = found[0] if found else None
    if nxt is not None:              # "… of Irbid and 30 km south of …": the next claim starts there
        stop = len(re.sub(r"(?:\s+(?:and|or))?\s*$", "", text[:nxt.start()]))
    # "the border between Jordan and Syria": keep the "and" inside a border expression
    b = find_border(text, pos, sent_end)
    if b is not None and b.start <= pos + 12 and b.end > stop:
        stop = b.end
    return stop


# how far around a quantity its ends are looked for: keeps run-on "sentences" (lists, tables) linear
SUBJECT_WINDOW = 400
OBJECT_WINDOW = 250


@dataclass(frozen=True, slots=True)
class _At:
    """A claim's relation in its sentence: what follows it (direction, preposition) and the clause before it."""

    text: str
    q: Quantity | None
    start: int                    # the quantity, or the direction/border word of a claim without a number
    sentence_start: int
    s_end: int
    clause_start: int
    before: str
    direction: str | None
    prep: str
    away: bool
    rel_end: int
    previous: tuple[int, Subject] | None = None

    def __init__(self, text: str, q: Quantity | None, start: int, sentence_start: int, s_end: int, clause_start: int,
                 before: str, direction: str | None, prep: str, away: bool, rel_end: int,
                 previous: tuple[int, Subject] | None = None) -> None:
        """The fields in order: a written constructor is compiled (see the note above phrases.Name)."""
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "q", q)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "sentence_start", sentence_start)
        object.__setattr__(self, "s_end", s_end)
        object.__setattr__(self, "clause_start", clause_start)
        object.__setattr__(self, "before", before)
        object.__setattr__(self, "direction", direction)
        object.__setattr__(self, "prep", prep)
        object.__setattr__(self, "away", away)
        object.__setattr__(self, "rel_end", rel_end)
        object.__setattr__(self, "previous", previous)


def _at(text: str, q: Quantity, sentence: tuple[int, int], previous: tuple[int, Subject] | None) -> _At:
    sentence_start, sentence_end = sentence
    s_start = max(sentence_start, q.start - SUBJECT_WINDOW)
    s_end = min(sentence_end, q.end + OBJECT_WINDOW)
    post = _POST_RE.match(text, q.end, s_end)
    dir_raw = post.group("dir") if post else None
    prep = " ".join(((post.group("prep") or "").lower() if post else "").split())
    clause_start = _clause_start(text, s_start, q.start)
    return _At(text, q, q.start, sentence_start, s_end, clause_start, text[clause_start:q.start],
               direction_code(dir_raw) if dir_raw else None, prep, bool(post and post.group("away")),
               post.end() if post else q.end, previous)


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
    return RawClaim(start, at.q.end, text[start:at.q.end], at.q, a, b, None, "target",  # type: ignore[union-attr]
                    at.sentence_start, "between")


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
# a description before the anchor's name: "the capital, Amman", "the old Nabataean capital Petra"
_DESCRIPTOR = re.compile(r"\b(?:capital|seat|city|town|village|port|of)\s*,?\s+$", re.I)
_BARE_DESCRIPTOR = re.compile(r"\s*(?:the\s+)?(?:[\w-]++\s+){0,2}?(?:capital|seat)\s*$", re.I)
_CAPITAL_REF = re.compile(r"\s*(?:the\s+)?(?:(?P<dem>[A-Z][\w’'-]*(?:\s+[A-Z][\w-]*)?)\s+)?"
                          r"(?P<level>national\s+|federal\s+|provincial\s+|state\s+|regional\s+|district\s+)?capital\b")
_PLAIN_REF = re.compile(r"\s*(?:the|this|that)\s+(?:[a-z]++\s+)?[a-z]+")
_RECENT_REF = re.compile(r"\s*(?:the|this|that)\s+(?:[a-z-]++\s+)?(?:city|town|village|capital|place)\b")


def _prefer_named_after_descriptor(text: str, obj: End) -> End:
    """Put first the name that follows a description ("the Nabataean capital Petra": Petra before Nabataean)."""
    named = [n for n in obj.names if _DESCRIPTOR.search(text[max(obj.start, n.start - 30):n.start])]
    if not named or named[0] == obj.names[0]:
        return obj
    return End(obj.start, obj.end, obj.text, (named[0], *(n for n in obj.names if n != named[0])), obj.border)


def _anchor_ref(phrase: str) -> AnchorRef | None:
    """A described anchor: "the Iraqi capital", "the capital", "the provincial capital", "the city"."""
    m = _CAPITAL_REF.match(phrase)
    if m:
        country = demonym_code(m.group("dem")) if m.group("dem") else None
        if m.group("dem") and country is None:
            return None
        level = (m.group("level") or "").strip().lower()
        kind: Literal["capital", "provincial capital"] = "provincial capital" if level in (
            "provincial", "state", "regional", "district") else "capital"
        return AnchorRef(kind, country, m.group(0).strip())
    r = _RECENT_REF.match(phrase)
    return AnchorRef("recent", None, r.group(0).strip()) if r else None


def _object(at: _At) -> tuple[End | None, int, AnchorRef | None] | None:
    """The end after the relation ("… north of Y"), where the claim ends, and a described anchor; None when
    there is nothing to measure to ("10 km from here", "20 km from the city centre")."""
    text = at.text
    o_end = _object_end(text, at.rel_end, at.s_end)
    if _BARE_DESCRIPTOR.fullmatch(text, at.rel_end, o_end) and text[o_end:o_end + 1] == ",":
        o_end = _object_end(text, o_end + 1, at.s_end)     # "north of the capital, Amman"
    obj = make_end(text, at.rel_end, o_end)
    if obj is not None and obj.border is not None and obj.border.start > obj.start + 4:
        # "north of Tower 22 across the Syrian frontier": the object is Tower 22, not the border
        named = tuple(n for n in obj.names if n.end <= obj.border.start)
        if named:
            obj = End(obj.start, named[-1].end, text[obj.start:named[-1].end], named, None)
    if obj is not None:
        return _prefer_named_after_descriptor(text, obj), obj.end, None
    phrase = text[at.rel_end:o_end]
    ref = _anchor_ref(phrase)
    if ref is not None:
        return None, at.rel_end + len(phrase.rstrip()), ref
    plain = _PLAIN_REF.match(phrase)
    if plain is None or _NOT_A_PLACE_REF.search(plain.group(0)):
        return None
    return None, at.rel_end + plain.end(), None     # "15 miles south-east of the outpost": the passage's place


def _subject_for(at: _At, allow_legacy: bool = True) -> tuple[End | None, Subject | None, str | None]:
    """(subject end, the Subject found by the rules, unnamed noun) for the claim at ``at``."""
    text = at.text
    border = subject_border(text, at.clause_start, at.start) if allow_legacy else None
    if border is not None:
        return border, None, None                          # "the Iraqi border is only 10 km away"
    found = find_subject(Where(text, at.sentence_start, at.clause_start, at.start, at.previous))
    if found is not None:
        return found.end, found, found.noun
    if not allow_legacy:
        return None, None, None
    end, noun = legacy_subject(text, at.clause_start, at.start)
    return end, (Subject(end, "clause") if end is not None else None), noun


def _claim_start(at: _At, subj: End | None, found: Subject | None) -> int:
    """Where the claim's text starts: at its subject when the subject is written next to it, else the quantity."""
    if subj is None or (found is not None and found.rule in ("list", "fronted")) or subj.start < at.start - 60:
        return at.start
    firsts = [subj.names[0].start] if subj.names else []
    return min([*firsts, subj.border.start] if subj.border else firsts) if firsts or subj.border else subj.start


def _relation_form(at: _At) -> RawClaim | None:
    """"X is 20 km north of Y", "X, 20 km from the border", "the Iraqi border is 10 km away", "X, 20 km north"."""
    has_object = at.prep in _OBJECT_PREPS
    q = at.q
    assert q is not None
    if not (has_object or at.away or at.prep == "away" or at.direction):
        return None  # a number with a unit but no relation: "a 20 km convoy", "350 troops"
    if at.prep == "of" and not at.direction and not (q.qualifier_kind == "max"):
        return None  # "20 km of road" ("within 5 km of" is fine): a bare "of" needs a direction or "within"
    obj: End | None = None
    ref: AnchorRef | None = None
    end = at.rel_end
    if has_object:
        found_obj = _object(at)
        if found_obj is None:
            return None
        obj, end, ref = found_obj
    subj, found, noun = _subject_for(at)
    start = _claim_start(at, subj, found)
    text = at.text
    topic = found is not None and found.topic
    rule = found.rule if found is not None else ""
    common = dict(sentence_start=at.sentence_start, relation=at.prep or ("away" if at.away else "direction"),
                  subject_rule=rule, subject_topic=topic, anchor_ref=ref)
    span = (start, end, text[start:end], q)
    if obj is not None and obj.border is not None:
        # "X is 10 km from the border": measured from X (implicit when unnamed) to the border
        anchor = subj if subj is not None and subj.border is None else None
        return RawClaim(*span, anchor, obj, at.direction, "anchor", kind="border", **common)  # type: ignore[arg-type]
    if subj is not None and subj.border is not None:
        # "the Iraqi border is only 10 km away [from X]"
        return RawClaim(*span, obj, subj, at.direction, "target", kind="border", **common)  # type: ignore[arg-type]
    if obj is not None or ref is not None or has_object:
        # "X is 20 km north of Y": from Y to X ("the outpost is 20 km south of Y": X is the passage's place)
        unnamed = subj is None and not topic
        return RawClaim(*span, obj, subj, at.direction, "target", subject_noun=noun if unnamed else None,
                        subject_is_place=is_place_noun(noun) if unnamed else True, **common)  # type: ignore[arg-type]
    # "X is 20 km away" / "X, 20 km north": from the passage's place to X
    if subj is None and not topic:
        return None
    return RawClaim(*span, None, subj, at.direction, "target", **common)  # type: ignore[arg-type]


# the forms of a claim with a number, tried in order; the first that reads the quantity wins
CLAIM_FORMS = (_between_form, _apart_form, _relation_form)


def _claim_at(text: str, q: Quantity, sentence: tuple[int, int], previous: tuple[int, Subject] | None) -> RawClaim | None:
    at = _at(text, q, sentence, previous)
    for form in CLAIM_FORMS:
        claim = form(at)
        if claim is not None or (form is _apart_form and at.prep == "apart"):
            return claim
    return None


# what :func:`_lowered_hints` gives: unit, compass and border positions, whether they are the text's own, the
# lowered latin-1 copy, whether the text holds a letter the case-blind patterns read beyond lower-casing
LoweredHints = tuple[list[int], list[int], list[int], bool, str, bool]


# ---------------------------------------------------------------------------------------------------
# claims without a number

_DIR_WORDS = r"(?:north|south)(?:[\s-]?(?:east|west))?|east|west"
# "Zarqa, north-east of Amman", "Ramtha, also just north of Irbid", "located south-west of Amman"
_DIRECTION_ONLY = re.compile(rf"(?<![\w-])(?:to\s+the\s+)?(?P<dir>{_DIR_WORDS})\s+of\s+(?=(?:the\s+)?[A-Z\w])", re.I)
# "near the border with Syria", "on the Iraqi border", "near Jordan's border with Syria"
_BORDER_PROXIMITY = re.compile(r"(?<![\w-])(?P<rel>on|along|astride|straddling|near|close\s+to|next\s+to|by|not\s+far\s+from)"
                               r"\s+(?=(?:the\s+)?(?:[A-Z][\w’'-]*+(?:\s+s)?\s+){0,3}?(?:land\s+)?(?:border|frontier)\b)", re.I)
# what may stand between "near" and the border phrase found: "the", a country's name ("Jordan s border with …", an apostrophe lost)
_BORDER_LEAD = re.compile(r"(?:the\s+)?(?:[A-Z][\w’'-]*(?:['’]?\s*s\b)?\s+){0,3}")
PROXIMITY_RELATION = {"on": "on", "along": "on", "astride": "on", "straddling": "on"}   # the rest mean "near"
# the subject rules that may place a claim without a number (the older catch-all may not)
_BARE_RULES = ("list", "relative clause", "sentence subject", "appositive", "adjacent", "fronted")


def _bare_at(text: str, start: int, rel_end: int, sentence: tuple[int, int], previous: tuple[int, Subject] | None,
             direction: str | None, prep: str) -> _At:
    s_start = max(sentence[0], start - SUBJECT_WINDOW)
    clause_start = _clause_start(text, s_start, start)
    return _At(text, None, start, sentence[0], min(sentence[1], rel_end + OBJECT_WINDOW), clause_start,
               text[clause_start:start], direction, prep, False, rel_end, previous)


def _may_be_placed(text: str, m: re.Match[str], sentence: tuple[int, int], previous: tuple[int, Subject] | None,
                   lh: LoweredHints | None) -> bool:
    """Whether a subject rule may read the claim without a number whose cue ``m`` opens (:func:`may_find_subject`,
    in the text's lowered copy)."""
    hints = lh if lh is not None else _lowered_hints(text)
    return may_find_subject(text, hints[4], sentence[0], m.start(), previous, hints[5])


_NOT_A_BEARING = re.compile(r"\b(?:the|in|from|to|toward|towards|far|further|farther|heading|moved?|drove|travell?ed)\s+$",
                            re.I)


def _direction_form(text: str, m: re.Match[str], sentence: tuple[int, int],
                    previous: tuple[int, Subject] | None, lh: LoweredHints | None = None) -> RawClaim | None:
    """"Zarqa, north-east of Amman": a direction without a distance (checked on the bearing alone)."""
    if _NOT_A_BEARING.search(text[max(sentence[0], m.start() - 12):m.start()]):
        return None                          # "in the north of", "travelled north of the city"
    if not _may_be_placed(text, m, sentence, previous, lh):
        return None                          # no subject rule can place it: the rules are not run
    at = _bare_at(text, m.start(), m.end(), sentence, previous, direction_code(m.group("dir")), "of")
    found_obj = _object(at)
    if found_obj is None or (found_obj[0] is None and found_obj[2] is None):
        return None
    obj, end, ref = found_obj
    if obj is not None and obj.border is not None:
        return None                          # "north of the border": a border direction needs a distance
    subj, found, _ = _subject_for(at, allow_legacy=False)
    if found is None or found.rule not in _BARE_RULES or (subj is None and not found.topic):
        return None
    start = _claim_start(at, subj, found)
    return RawClaim(start, end, text[start:end], None, obj, subj, at.direction, "target", sentence[0], "of",
                    kind="direction", subject_rule=found.rule, subject_topic=found.topic, anchor_ref=ref)


def _proximity_form(text: str, m: re.Match[str], sentence: tuple[int, int],
                    previous: tuple[int, Subject] | None, lh: LoweredHints | None = None) -> RawClaim | None:
    """"the town of Ramtha near the border with Syria": close to a border, without a number."""
    if not _may_be_placed(text, m, sentence, previous, lh):
        return None                          # "deploying missiles on the border": no subject rule can place it
    relation = PROXIMITY_RELATION.get(m.group("rel").lower(), "near")
    at = _bare_at(text, m.start(), m.end(), sentence, previous, None, relation)
    # the subject first: most "on/near the border" phrases locate no place ("deploying missiles on the border"),
    # and the subject rules reject them more cheaply than the border patterns read the border
    subj, found, _ = _subject_for(at, allow_legacy=False)
    if found is None or found.rule not in _BARE_RULES or (subj is None and not found.topic):
        return None
    border = find_border(text, m.end(), min(sentence[1], m.end() + 120))
    if border is None or not _BORDER_LEAD.fullmatch(text, m.end(), border.start):
        return None
    obj = End(border.start, border.end, border.text, (), border)
    start = _claim_start(at, subj, found)
    return RawClaim(start, border.end, text[start:border.end], None, subj, obj, None, "anchor", sentence[0], relation,
                    kind="border-near", subject_rule=found.rule, subject_topic=found.topic)


# ---------------------------------------------------------------------------------------------------
# the finder


def _tidy(claim: RawClaim) -> RawClaim:
    trimmed = claim.text.rstrip(" \t\n,;:")
    if len(trimmed) != len(claim.text):
        claim = replace(claim, end=claim.start + len(trimmed), text=trimmed)
    if claim.kind == "distance" and claim.target is not None and claim.target.border is not None:
        claim = replace(claim, kind="border")
    return claim


# cheap tests before the claim patterns run on a sentence (substring tests on the lower-cased text): a length
# unit, a compass word and " of", a border word
# (every unit word of QTY_RE holds one of these: "kilometres" its "metre", "nautical miles" its "mile"; a hint only
# marks a sentence for QTY_RE, so a word found inside a longer one marks the same sentence)
_UNIT_WORDS = ("km", "mile", "metre", "meter", "klick")
_SHORT_UNIT = re.compile(r"\d\s?(?:m|mi|nm|nmi)\b")          # "500m", "12 mi", "3nm"


_COMPASS_WORDS = ("north", "south", "east", "west")

# A search for a word of a few letters visits most bytes of the text (~3 µs over a 700-word article): one copy of
# the lowered bytes with some letters folded together (one translation, ~1 µs) lets one search find several words,
# each hit checked in the lowered bytes: north and south as "south", east and west as "eest" (n->s, r->u, w->e,
# a->e), km and klick as "km" (l->m), and every digit and "?" as "0" (one search for the starts of the short units
# instead of eleven). No other byte becomes s, o, u, t, h, e, k, m or 0. The searches run on latin-1 strings of
# those bytes (:func:`_hint_copies`): str.find is a direct call in the compiled twin, bytes.find a method call that
# parses its arguments (~0.15 µs a call, more than the search itself for the one-letter "0").
_HINT_FOLD = bytes.maketrans(b"nrwal123456789?", b"sueem" + b"0" * 10)
_COMPASS_FOLDED = (("south", ("north", "south")), ("eest", ("east", "west")))


def _hint_copies(b: bytes) -> tuple[str, str]:
    """The lowered latin-1 bytes ``b`` as a string (same positions), and the same for their :data:`_HINT_FOLD`
    translation: what the hint searches run on."""
    return b.decode("latin-1"), b.translate(_HINT_FOLD).decode("latin-1")


# The searches below run from the end of the text back (str.rfind): CPython's backward search of a short word
# in a one-byte string takes about half the time of its forward search when the word is rare (~1 µs against ~2-4
# over a 5,000-character article). Each next search ends where the last hit would end less one character, so
# that overlapping hits are found too; the positions are sorted afterwards.


def _positions(low: str, words: tuple[str, ...]) -> list[int]:
    """Where each of ``words`` starts in ``low``, ascending: one search per word (what the folded searches below
    must find; the tests compare them)."""
    out: list[int] = []
    for w in words:
        i = low.rfind(w)
        while i >= 0:
            out.append(i)
            i = low.rfind(w, 0, i + len(w) - 1)
    out.sort()
    return out


def _folded_positions(low: str, folded: str, needle: str, words: tuple[str, ...], out: list[int]) -> None:
    """Append where ``needle`` stands in ``folded`` and one of ``words`` starts in ``low`` (:func:`_hint_copies`)."""
    i = folded.rfind(needle)
    while i >= 0:
        if low.startswith(words, i):
            out.append(i)
        i = folded.rfind(needle, 0, i + len(needle) - 1)


def _compass_positions(low: str, folded: str) -> list[int]:
    """``_positions(low, _COMPASS_WORDS)``: where north, south, east and west start in the lower-cased text
    (:func:`_hint_copies`)."""
    out: list[int] = []
    for needle, words in _COMPASS_FOLDED:
        _folded_positions(low, folded, needle, words, out)
    out.sort()
    return out


def _unit_positions(low: str, folded: str) -> list[int]:
    """``_positions(low, _UNIT_WORDS)`` with three searches instead of five: km and klick as the folded "km",
    metre and meter as "met" (a word of a length hint seldom starts "met" otherwise), mile."""
    out: list[int] = []
    _folded_positions(low, folded, "km", ("km", "klick"), out)
    _folded_positions(low, low, "met", ("metre", "meter"), out)
    _folded_positions(low, low, "mile", ("mile",), out)
    out.sort()
    return out


_BORDER_WORDS = ("border", "frontier")


# "500M" as "500m": the short units with the case of each letter open (lower() makes no other letter m, i or n)
_SHORT_UNIT_ANY_CASE = re.compile(r"\d\s?(?:[mM]|[mM][iI]|[nN][mM]|[nN][mM][iI])\b")
# the letters whose lower-casing changes a position ("İ" becomes two) or meets ASCII ("İ", the Kelvin sign), and
# those the case-blind claim patterns read as ASCII letters beyond lower() ("ı" as i, "ſ" as s)
_CASE_SPECIAL = ("İ", "\u212a", "ı", "ſ")


def _short_units(text: str, low: str, folded: str, unit: re.Pattern[str]) -> list[int]:
    """Where ``unit`` (``_SHORT_UNIT`` on the lower-cased text, or its any-case twin on the text) matches, ``low``
    and ``folded`` being :func:`_hint_copies` of that text's latin-1 bytes (other characters as "?"): a match
    opens with a digit and holds no other, so the matches are the digits where the pattern matches. The digits are
    found by one search for "0" in ``folded`` (every digit and "?": a "?" may be a digit of another script) rather
    than by the pattern visiting every character."""
    starts: list[int] = []
    most = len(low) // 16
    i = folded.find("0")
    while i >= 0:
        if len(starts) == most:                       # a table of numbers: one pass of the pattern is cheaper
            return [m.start() for m in unit.finditer(text)]
        starts.append(i)
        i = folded.find("0", i + 1)
    match, n = unit.match, len(low)
    out = []
    for i in starts:
        # the unit's first letter (m or n, lower-cased in low) follows the digit, or one space after it
        # (character codes: no one-character strings made)
        c = ord(low[i + 1]) if i + 1 < n else 0
        if c != 109 and c != 110:
            if not _space_byte(c) or i + 2 >= n:
                continue
            c = ord(low[i + 2])
            if c != 109 and c != 110:
                continue
        if ord(low[i]) == 63 and not text[i].isdecimal():
            continue                                  # a "?" that is no digit
        if match(text, i):
            out.append(i)
    return out


@per_text()
def _hint_positions(text: str) -> tuple[list[int], list[int], list[int]]:
    """Where the text holds a unit, a compass word and a border word (found once per text)."""
    return _lowered_hints(text)[:3]  # type: ignore[return-value]


@per_text()
def _lowered_hints(text: str) -> LoweredHints:
    """:func:`_hint_positions`, whether those positions are the text's own: lower-casing keeps every
    position (no letter becomes two, as "İ" does) and no "ſ" is there (the claim patterns, case-blind, read it
    as "s"); and the lower-cased text's latin-1 bytes as a string, every other character a "?" (so that positions
    stay those of the text). The words are looked for in that copy: a search of one byte a character, several
    times faster than one on the text. Without the letters of :data:`_CASE_SPECIAL` the bytes are the text's own,
    lower-cased (no lower-casing of the whole text, which is slow once it holds any non-ASCII letter). Last,
    whether the text holds one of those letters (the copy is then the lower-cased text's)."""
    special = any(ch in text for ch in _CASE_SPECIAL)
    if special:
        lowered = text.lower()
        b = lowered.encode("latin-1", "replace")
        low, folded = _hint_copies(b)
        units = sorted(_unit_positions(low, folded) + _short_units(lowered, low, folded, _SHORT_UNIT))
        exact = len(lowered) == len(text) and "ſ" not in text
    else:
        b = text.encode("latin-1", "replace").lower()
        low, folded = _hint_copies(b)
        units = sorted(_unit_positions(low, folded) + _short_units(text, low, folded, _SHORT_UNIT_ANY_CASE))
        exact = True
    return units, _compass_positions(low, folded), _positions(low, _BORDER_WORDS), exact, low, special


# a direction-only claim ("Zarqa, north-east of Amman") starts its compass word at a word's start and has " of"
# after it: the rest of _DIRECTION_ONLY from the compass word on
_DIRECTION_CUE = re.compile(rf"(?P<dir>{_DIR_WORDS})\s+of\s+(?=(?:the\s+)?[A-Z\w])", re.I)


def _direction_cue(text: str, pos: int, end: int) -> bool:
    """Whether a direction-only claim can start its compass word at ``pos`` (a compass word found by the hints)."""
    if pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] in "_-"):
        return False                                  # "least", "Northeastern", "north-east" (its "east")
    return _DIRECTION_CUE.match(text, pos, end) is not None


def _hints(text: str, start: int, end: int) -> tuple[bool, bool, bool]:
    def within(found: list[int]) -> bool:
        i = bisect.bisect_left(found, start)
        return i < len(found) and found[i] < end

    units, compass, borders = _hint_positions(text)
    return within(units), within(compass), within(borders)


@per_text()
def _hinted_sentences(text: str) -> tuple[tuple[tuple[int, int], tuple[bool, bool, bool]], ...]:
    """The sentences holding a unit, a compass word or a border word, with which of the three (:func:`_hints` of
    each sentence, found from the hints' positions: the other sentences hold no claim and are not visited, nor
    split: only the blocks that hold a hint are, :mod:`geoinc.claims.sentences`). A compass word counts only
    where a direction-only claim can start (:func:`_direction_cue`): the direction pattern runs on no other
    sentence, so none of its claims is lost."""
    flags: dict[tuple[int, int], list[bool]] = {}
    blocks: list[tuple[int, int, tuple[tuple[int, int], ...]]] = []
    units, compass, borders, exact, _, _ = _lowered_hints(text)
    big = len(text) + 1
    for kind, found in enumerate((units, compass, borders)):
        for pos in found:
            if kind == 1 and exact and not _direction_cue(text, pos, len(text)):
                continue                              # no cue even up to the text's end: none up to its sentence's
            spans = next((b[2] for b in blocks if b[0] <= pos < b[1]), None)
            if spans is None:
                block = block_at(text, pos)
                if block is None:
                    continue                          # in the spacing of a cut: no sentence holds it
                spans = block_sentences(text, block[0], block[1])
                blocks.append((block[0], block[1], spans))
            i = bisect.bisect_right(spans, (pos, big)) - 1
            if i < 0 or pos >= spans[i][1]:
                continue
            if kind == 1 and exact and not _direction_cue(text, pos, spans[i][1]):
                continue                              # "Middle East", "at least": no direction-only claim there
            flags.setdefault(spans[i], [False, False, False])[kind] = True
    return tuple((span, (f[0], f[1], f[2])) for span, f in sorted(flags.items()))


# words a proximity phrase may have before its border word: "not far from" (3), "the", three names each with a
# stray "s" (6), "land" — 11; one more for safety
_PROXIMITY_WORDS = 12


# the words a proximity phrase opens with (lower-cased): where _BORDER_PROXIMITY is tried (:func:`_cue_starts`)
_PROXIMITY_CUES = ("on", "along", "astride", "straddling", "near", "close", "next", "by", "not")


def _cue_starts(low: str, start: int, end: int) -> list[int]:
    """Where a cue word of :data:`_PROXIMITY_CUES` starts in low[start:end] (the lowered latin-1 copy) and
    _BORDER_PROXIMITY may open: no letter, digit, "_" or "-" before it (its look-behind, which may read before
    ``start``: every such character of the text is one of those in the copy, where other characters are kept or
    are "?") and a space after it (its ``\\s+``: a latin-1 space, or "?", any character beyond latin-1). One string
    search per word (a pattern tried at each character of the stretch costs ~10 times more); two such cues never
    overlap (each is followed by a space), so these are the starts a search by the pattern itself would try."""
    out: list[int] = []
    for word in _PROXIMITY_CUES:
        i = low.find(word, start, end)
        while i >= 0:
            e = i + len(word)
            if e < len(low) and _space_byte(ord(low[e])):
                c = ord(low[i - 1]) if i > 0 else 32
                if not (97 <= c <= 122 or 48 <= c <= 57 or c == 95 or c == 45):
                    out.append(i)
            i = low.find(word, i + 1, end)
    out.sort()
    return out


def _space_byte(c: int) -> bool:
    """Whether a character code of the lowered latin-1 copy may be a character that ``\\s`` matches: a latin-1
    space (those for which str.isspace() holds), or "?" (any character beyond latin-1: a space of another script)."""
    return c == 63 or latin1_space(c)


@per_text()
def _dotless_or_kelvin(text: str) -> bool:
    """Whether the text holds "ı" or the Kelvin sign, which the case-blind patterns read as "i" and "k" (once per
    text)."""
    return "ı" in text or "\u212a" in text


def _words_before(text: str, low: str, start: int, end: int, n: int) -> int:
    """Where the last ``n`` words (runs of non-space) of text[start:end] begin, spacing before them included:
    ``start + len(text[start:end].rsplit(None, n)[0])`` when the stretch holds more than ``n`` words, else
    ``start`` (read backwards from ``end``, without splitting the stretch). ``low``: the text's lowered latin-1
    copy (:func:`_lowered_hints`, positions kept), whose character codes are read instead of the characters
    (``_space_byte``) but where a "?" stands (a character beyond latin-1: the text's own is asked)."""
    # after the last "?" (or in the whole stretch when there is none) the copy's spacing is the text's: one
    # split from the right, when that part holds the n words
    q = low.rfind("?", start, end)
    if q < 0:
        parts = low[start:end].rsplit(None, n)
        return start + len(parts[0]) if len(parts) > n else start
    parts = low[q + 1:end].rsplit(None, n)
    if len(parts) > n:
        return q + 1 + len(parts[0])
    k, count = end, 0
    in_word = False
    while k > start:
        c = ord(low[k - 1])
        space = _space_byte(c) if c != 63 else text[k - 1].isspace()
        if space:
            if in_word:                               # a word starts at k
                count += 1
                in_word = False
        elif not in_word:                             # a word ends at k: the n words after it are counted
            if count == n:
                return k
            in_word = True
        k -= 1
    return start


_OPENING_WORDS: Final = {"not": 3, "close": 2, "next": 2}    # the words of "not far from", "close to", "next to"


def _may_reach_border(low: str, p: int, b: int) -> bool:
    """Whether a proximity phrase opening at ``p`` can have its border word at ``b`` (positions in the lowered
    latin-1 copy): between its opening words ("near", "close to", "not far from") and the border word stand at
    most "the", three names each with a stray "s", and "land" — so more words than those can hold mean no match
    there, found by one split instead of the pattern's backtracking (~2 µs: "near the demilitarized zone on the
    border"). Generous where the copy holds a "?" (a character beyond latin-1, perhaps a space)."""
    if low.find("?", p, b) >= 0:
        return True
    words = low[p:b].split()
    n = len(words) - _OPENING_WORDS.get(words[0], 1)      # the words between the opening and the border word
    if n <= 3:
        return True
    return n <= 3 + (words[-n] == "the") + words.count("s") + (words[-1] == "land")


def _border_proximity(text: str, start: int, end: int, lh: LoweredHints | None = None) -> list[re.Match[str]]:
    """``_BORDER_PROXIMITY.finditer(text, start, end)``, tried only where one of its opening words stands in the
    stretch before a border word: a phrase holds at most :data:`_PROXIMITY_WORDS` words (runs of non-space) from
    "near" to its border word. The border words' and opening words' positions are read in the lower-cased text
    (exact when lower-casing keeps positions and no "ı" or Kelvin sign, which the case-blind pattern reads as
    "i" and "k", is in the text; else the whole sentence is searched). A match never holds another, so the
    matches tried one by one are those of the sentence."""
    _, _, borders, exact, low, special = lh if lh is not None else _lowered_hints(text)
    if not exact or (special and _dotless_or_kelvin(text)):     # both letters are special ones
        return list(_BORDER_PROXIMITY.finditer(text, start, end))
    i = bisect.bisect_left(borders, start)
    found: dict[int, re.Match[str]] = {}
    while i < len(borders) and borders[i] < end:
        b = borders[i]
        i += 1
        for p in _cue_starts(low, _words_before(text, low, start, b, _PROXIMITY_WORDS), b):
            if p not in found and _may_reach_border(low, p, b):
                m = _BORDER_PROXIMITY.match(text, p, end)
                if m is not None:
                    found[p] = m
    return [found[k] for k in sorted(found)]


def _direction_only(text: str, start: int, end: int, lh: LoweredHints | None = None) -> list[re.Match[str]]:
    """``_DIRECTION_ONLY.finditer(text, start, end)``, tried only at its possible starts: a compass word (the
    hints' positions) or the "to" of "to the" before one (the last "to" before it). Same conditions as
    :func:`_border_proximity`; tried in order, a start inside the match before it skipped, as finditer does."""
    _, compass, _, exact, low, special = lh if lh is not None else _lowered_hints(text)
    if not exact or (special and _dotless_or_kelvin(text)):
        return list(_DIRECTION_ONLY.finditer(text, start, end))
    i = bisect.bisect_left(compass, start)
    starts: set[int] = set()
    while i < len(compass) and compass[i] < end:
        c = compass[i]
        i += 1
        starts.add(c)
        to = low.rfind("to", start, c)
        if to >= 0:
            starts.add(to)
    out: list[re.Match[str]] = []
    last = start
    for p in sorted(starts):
        if p < last:
            continue
        m = _DIRECTION_ONLY.match(text, p, end)
        if m is not None:
            out.append(m)
            last = max(m.end(), p + 1)
    return out


def _sentence_claims(text: str, sentence: tuple[int, int],
                     hints: tuple[bool, bool, bool] | None = None) -> list[RawClaim]:
    """The claims of one sentence, in order; a claim may take the subject of the one before ("…, 40 km
    east of Irbid and 30 km south of the Syrian border"). ``hints``: the sentence's :func:`_hints` when known."""
    s_start, s_end = sentence
    unit, direction, border = hints if hints is not None else _hints(text, s_start, s_end)
    triggers: list[tuple[int, str, re.Match[str]]] = []
    lh = _lowered_hints(text) if direction or border else None     # read once for the sentence's cues
    if unit:
        triggers += [(m.start(), "q", m) for m in quantity_matches(text, s_start, s_end)]
    # a direction or border word inside a claim with a number is part of that claim (skipped below)
    if direction:
        triggers += [(m.start(), "d", m) for m in _direction_only(text, s_start, s_end, lh)]
    if border:
        triggers += [(m.start(), "b", m) for m in _border_proximity(text, s_start, s_end, lh)]
    claims: list[RawClaim] = []
    previous: tuple[int, Subject] | None = None
    for _, kind, m in sorted(triggers, key=lambda t: t[0]):
        if claims and m.start() < claims[-1].end:
            continue
        claim: RawClaim | None = None
        if kind == "q":
            q = read_quantity(m)
            claim = _claim_at(text, q, sentence, previous) if q is not None else None
        elif kind == "d":
            claim = _direction_form(text, m, sentence, previous, lh)
        else:
            claim = _proximity_form(text, m, sentence, previous, lh)
        if claim is None:
            continue
        claims.append(_tidy(claim))
        subj = claim.subject_end
        if subj is not None or claim.subject_topic:
            previous = (claims[-1].end, Subject(subj, claim.subject_rule or "clause", claim.subject_topic))
    return claims


def find_claims(text: str) -> list[RawClaim]:
    """Every distance, direction and border claim in text, in order (see :mod:`geoinc.claims.subjects` for
    how the place each one locates is found)."""
    claims: list[RawClaim] = []
    for sentence, hints in _hinted_sentences(text):
        claims.extend(_sentence_claims(text, sentence, hints))
    return claims


__all__ = [
    "KM_PER_UNIT", "QUALIFIERS", "QUALIFIER_KIND", "COMPASS", "DEMONYMS", "Quantity", "Name", "BorderRef",
    "End", "RawClaim", "parse_number", "unit_of", "direction_code", "demonym_code", "fold",
    "sentence_spans", "find_names", "find_border", "find_claims",
]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.claims.parse":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
