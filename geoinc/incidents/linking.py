"""Place names an event phrase is linked to by syntax, found in the sentence even where the geoparser saw no
place: "in the town of al-Wafa", "the Adil neighborhood", "Baghdad's northern district of Kadhimiya",
"shelled Kafraya".

One table, LINK_RULES: (rule name, pattern with a ``name`` group, example phrase). A name is a run of
capitalised words (with Arabic and Romance particles: "Abu al-Dhuhour", "San Pedro de la Paz") that does not
run on into a weekday or a month ("in Basra Wednesday" -> "Basra"). :func:`linked_names` lists the names of a
sentence; the incident takes the one nearest its event phrase as its location's name when the place it
resolves is the town or region around it (geoinc.incidents.places.sublocation).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .gate import factor_alternation, literal_gate, occurrences

# (the word alternations below are grouped by first letter, gate.factor_alternation: the same matches, and the
# regex engine tries one branch per letter instead of every word at each position)
WHEN = _WHEN = factor_alternation(
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|"
    r"August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec",
    ignorecase=False) + r"\b"
# a capitalised word ("Souseh", "al-Wafa", "Khuza'a", "Al-Sham"), not a possessive ("Iraq's") and not a
# compound adjective ("Greek-owned", "Iranian-backed"). Its letters are read as runs of word characters between
# the apostrophes and hyphens it may hold (the unrolled form of (?:[\w‘]|['’](?!s\b)|-(?![a-z]))*: the same
# matches, tried longest first as before, with the engine's fast loop over a run)
_WORD = (r"(?:" + factor_alternation("al|el|an|ar|as|ash|at|ad|az|ed|en|es|ez", ignorecase=False) +
         r"[-‘'’]|‘(?=[A-Z]))?[A-Z][\w‘]*(?:(?:['’](?!s\b)|-(?![a-z]))[\w‘]*)*\b(?!-[a-z])")
_PARTICLE = factor_alternation("al|el|ad|an|ar|as|ash|at|az|de|del|des|da|do|dos|di|du|la|le|les|bin|ibn|bani|abu|ben|"
                               "von|van", ignorecase=False)
NAME = rf"(?!{_WHEN}){_WORD}(?:\s+(?:{_PARTICLE}(?:[-‘'’]|\s+)){{0,2}}(?!{_WHEN}){_WORD}){{0,4}}"
SITE = factor_alternation(
    r"village|town|city|area|district|neighbou?rhood|suburb|quarter|section|sector|locality|settlement|camp|"
    r"refugee camp|region|province|county|commune|municipality|valley|mountains?|hills?|crossing(?: point)?|"
    r"streets?|cities|towns|villages|colony|farms|axis|pocket|plateau|hometown|field", ignorecase=False)
_ATTACKED = factor_alternation(
    r"shell(?:ed|ing)|bomb(?:ed|ing)|struck|strik(?:e|ing)|captur(?:ed|ing)|storm(?:ed|ing)|seiz(?:ed|ing)|"
    r"raid(?:ed|ing)|attack(?:ed|ing)|target(?:ed|ing)|invad(?:ed|ing)|besieg(?:ed|ing)|overr(?:an|un)|"
    r"recaptur(?:ed|ing)|liberat(?:ed|ing)|enter(?:ed|ing)", ignorecase=False)

# what follows a name that shows it is a place inside another: "in Tabag village in Uruzgan", "in Maryin
# Gubay, a small town in", "in Akashat (Al-Qaim, Anbar)", "in Gidan Sule, Kadarko"
_INSIDE = rf"(?=\s*\(|\s+(?:in|near|of|outside)\s+(?:the\s+)?(?:(?:north|south|east|west|central|rural)[a-z]*\s+)?[A-Z]|,\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}{SITE}\b)"

LINK_RULES: tuple[tuple[str, str, str], ...] = (
    ("site of", rf"\b(?:(?:in|at|near|inside|outside|through|of)\s+(?:the\s+)?|the\s+)(?:[a-z][\w'’-]*\s+){{0,3}}{SITE}\s+of\s+"
                rf"(?P<name>{NAME})", "a bomb went off in the town of al-Wafa; the strategic village of Tal Hamid"),
    ("site noun after", rf"(?<![\w'’-])(?P<name>{NAME})\s+{SITE}\b",
     "they were walking through Adil neighborhood when shots rang out"),
    ("possessive", rf"\b[A-Z][\w-]*['’]s\s+(?:[a-z][\w'’-]*\s+){{0,3}}{SITE}\s+of\s+(?P<name>{NAME})",
     "a bomb in Baghdad's northern district of Kadhimiya"),
    ("in a place inside another", rf"\b(?:in|at|near|inside|outside)\s+(?P<name>{NAME}){_INSIDE}",
     "gunmen opened fire in Tabag village in Uruzgan; in Maryin Gubay, a small town in the south"),
    ("object of an attack", rf"\b{_ATTACKED}\s+(?:the\s+)?(?:[a-z][\w'’-]*\s+){{0,3}}(?:{SITE}\s+of\s+)?"
                            rf"(?P<name>{NAME})(?:{_INSIDE}|\s+(?:and|&)\s+{NAME}|\s*[,.;])",
     "insurgents are shelling Kafraya and Fuah; troops stormed the village of Tal Hamid."),
)


# where a NAME can begin: a capital, or an opening "‘" ("‘Adan"); a name with a particle ("al-Wafa", "ash-Sham")
# begins three or four characters before the capital that follows the particle's hyphen or apostrophe (or before
# the "‘")
_NAME_HITS = re.compile(r"[A-Z‘]")          # (what name_starts reads character by character)
_PARTICLE_MARKS = "-'’"


def name_starts(text: str, start: int, end: int) -> list[int]:
    """The offsets in ``text[start:end]`` where a :data:`NAME` can begin, ascending: every capital and "‘", and
    three and four characters before one that follows a particle's mark ("al-Wafa", "ash-Sham", "al‘Ula"). A
    superset: the pattern itself says whether a name begins there. (A particle's letters are lower-case: an
    offset at or before an earlier capital cannot open a particle, and is left out.) The characters are read
    by their code points, one by one (the compiled loop reads them in place; a regex iterator made an object
    per capital)."""
    out: list[int] = []
    last = start - 1
    for c in range(start, end):
        o = ord(text[c])
        if o == 0x2018:                     # "‘"
            if c - 3 > last:
                out.append(c - 3)           # "ash‘"
            if c - 2 > last:
                out.append(c - 2)           # "al‘"
        elif 65 <= o <= 90:                 # A-Z
            if c > start:
                p = ord(text[c - 1])
                if p == 45 or p == 39 or p == 0x2019:       # "-", "'", "’" (_PARTICLE_MARKS)
                    if c - 4 > last:
                        out.append(c - 4)   # "ash-"
                    if c - 3 > last:
                        out.append(c - 3)   # "al-"
        else:
            continue
        out.append(c)
        last = c
    return out


# the name starts of the sentences of the article being read, by (start, end): a sentence's are asked by the link
# rules, the region phrases and the other names of its incidents. Started afresh for each article
# (begin_article, called by extract_incidents); kept for one text only (by identity; a thread that finds another
# thread's text works them out again)
_ARTICLE_STARTS: "tuple[str, dict[tuple[int, int], list[int]]]" = ("", {})


def begin_article(text: str) -> None:
    """Forget the name starts worked out so far and keep those of ``text`` from now on (one article's reading)."""
    global _ARTICLE_STARTS
    _ARTICLE_STARTS = (text, {})


def sentence_name_starts(text: str, start: int, end: int) -> list[int]:
    """:func:`name_starts`, worked out once per sentence of the article being read (:func:`begin_article`). The
    list is shared: read it only."""
    global _ARTICLE_STARTS
    memo = _ARTICLE_STARTS
    if memo[0] is not text:
        memo = (text, {})
        _ARTICLE_STARTS = memo
    got = memo[1].get((start, end))
    if got is None:
        got = name_starts(text, start, end)
        memo[1][(start, end)] = got
    return got


def finditer_at(rx: "re.Pattern[str]", text: str, start: int, end: int, starts: list[int]) -> "list[re.Match[str]]":
    """``list(rx.finditer(text, start, end))`` for a pattern that matches (never empty) only at offsets among
    ``starts`` (ascending, e.g. :func:`name_starts`): the pattern is tried there alone instead of at every
    character, the way finditer goes on (after a match, from its end)."""
    out: list[re.Match[str]] = []
    after = start
    for c in starts:
        if c < after:
            continue
        m = rx.match(text, c, end)
        if m is not None:
            out.append(m)
            after = m.end()
    return out


# what a rule cannot match without, each searched at most once per call in the order listed: a site noun after a
# space ("Adil neighborhood": the three site rules), that noun before "of" ("the town of al-Wafa", "Baghdad's
# district of Kadhimiya"), an attack verb ("shelled Kafraya"); a sentence without one skips the rules it gates.
# "in a place inside another" needs only "in"/"at"/"near", which nearly every sentence has
_GATES: tuple[re.Pattern[str], ...] = (re.compile(rf"\s{SITE}\b"), re.compile(rf"\s{SITE}\s+of\s"),
                                       re.compile(_ATTACKED))


def _stems(words: "tuple[str, ...] | None") -> tuple[str, ...]:
    """The shared beginnings of ``words`` grouped by their first four letters: ("attacked", "attacking",
    "struck", "strike", "striking") -> ("attack", "strik", "struck"). Every word starts with one of them."""
    groups: dict[str, list[str]] = {}
    for w in words or ():
        groups.setdefault(w[:4], []).append(w)
    out: list[str] = []
    for ws in groups.values():
        stem = ws[0]
        for w in ws[1:]:
            k = 0
            while k < len(stem) and k < len(w) and stem[k] == w[k]:
                k += 1
            stem = stem[:k]
        out.append(stem)
    return tuple(sorted(out))


# the literal beginnings of the attack verbs ("shell", "strik", "struck", ...): every match of _ATTACKED opens with
# one of them (_ATTACKED is case-sensitive, its words lower-case)
_ATTACK_STEMS = _stems(literal_gate(_ATTACKED))


def _attack_verbs(text: str, start: int, end: int) -> list[int]:
    """Where an attack verb (:data:`_ATTACKED`) may begin in ``text[start:end]``, ascending: every occurrence of
    one of :data:`_ATTACK_STEMS` ("enter" of "center" too: a superset of the places the pattern matches, which
    the rule's own pattern then tries), looked up in the article's ASCII copy (:func:`ascii_copy`, same
    offsets)."""
    return occurrences(ascii_copy(text), start, end, _ATTACK_STEMS)


# the article's text with every character that is not ASCII written "?" (same length and offsets), kept for the
# last text asked (by identity): the ASCII words the place rules look for are found where they are in the text,
# and a search of an all-ASCII string needs no conversion of the word (an article with typographic quotes is a
# wider string)
_ASCII_COPY: "tuple[str, str]" = ("", "")


def ascii_copy(text: str) -> str:
    """``text`` with each character that is not ASCII replaced by "?" (same offsets), remembered for the last
    text (the article being read)."""
    global _ASCII_COPY
    memo = _ASCII_COPY
    if memo[0] is text:
        return memo[1]
    plain = text if text.isascii() else text.encode("ascii", "replace").decode("ascii")
    _ASCII_COPY = (text, plain)
    return plain
_RULE_GATES: dict[str, tuple[int, ...]] = {"site of": (0, 1), "site noun after": (0,), "possessive": (0, 1),
                                           "object of an attack": (2,)}
_COMPILED = tuple((rule, re.compile(pattern), _RULE_GATES.get(rule, ())) for rule, pattern, _ in LINK_RULES)
# the rules whose pattern opens with the NAME itself: tried only where a name can begin (name_starts)
_OPENS_WITH_NAME = frozenset({"site noun after"})
# the rule whose pattern opens with an attack verb after a word boundary (\b + _ATTACKED): tried only where one
# of the verbs' stems occurs (_attack_verbs: a match of the rule begins at one)
_OPENS_WITH_VERB = frozenset({"object of an attack"})
_ATTACK_GATE = 2          # (its positions come from _attack_verbs; the pattern is kept for reference and tests)
# the rule whose pattern opens with one of these words and spaces before the NAME: tried only at such a word
# right before a place a name can begin (_word_before_names)
_WORD_BEFORE_NAME: dict[str, tuple[str, ...]] = {"in a place inside another": ("in", "at", "near", "inside",
                                                                                 "outside")}
# how each rule is tried (_PLANS): where an attack verb may begin, where a name may begin (or at the word before
# one), or by the pattern's own scan; with the rule's gates and words before a name (None: the name itself)
_AT_VERBS, _AT_NAMES, _SCAN = 0, 1, 2
_PLANS: "tuple[tuple[str, re.Pattern[str], tuple[int, ...], int, tuple[str, ...] | None], ...]" = tuple(
    (rule, rx, gates,
     _AT_VERBS if rule in _OPENS_WITH_VERB else
     _AT_NAMES if rule in _OPENS_WITH_NAME or rule in _WORD_BEFORE_NAME else _SCAN,
     _WORD_BEFORE_NAME.get(rule))
    for rule, rx, gates in _COMPILED)
# words that open a capitalised run that is not a place ("in The Hague" is a place, yet "The" opens most that
# are not: "at The Times"); titles and institutions
_NOT_A_NAME = re.compile(r"(?:The|A|An|This|That|These|Those|His|Her|Their|Its|Our|Mr|Mrs|Ms|Dr|President|Prime|"
                         r"Minister|General|Gen|Col|Lt|Sgt|Capt|Police|Army|Government|Parliament|Ministry|Court|"
                         r"University|Party|Council|Committee|Reuters|AFP|Xinhua|AP|GMT)\b")


_LEADING_ARTICLE = re.compile(r"(?:The|A|An)\s+(?=[A-Z])")
# a name ending in one of these is an organisation or a building, not where to put the event ("at Maria Serrana
# University", "in Lyon's Palais de Justice" keep the town)
_INSTITUTION = re.compile(r"\b(?:University|College|Institute|School|Ministry|Office|Company|Corporation|Bank|Embassy|"
                          r"Consulate|Court|Council|Party|Committee|Union|Association|Federation|Movement|Front|"
                          r"Brigade|Army|Forces|Police|Hall|Cent(?:er|re)|Building|Theat(?:re|er)|Stadium|Church|"
                          r"Cathedral|Mosque|Temple|Hotel|Museum|Parliament|House|Palace|Group|Organi[sz]ation)$")


@dataclass(frozen=True, slots=True)
class Link:
    """A place name linked to an event by one of LINK_RULES (offsets into the text scanned)."""

    start: int
    end: int
    name: str
    rule: str


def linked_names(text: str, start: int = 0, end: int | None = None) -> list[Link]:
    """The names LINK_RULES find in ``text[start:end]`` (offsets into ``text``), in text order, each once."""
    end = len(text) if end is None else end
    seen: dict[tuple[int, int], Link] = {}
    gate_open: list[bool | None] = [None] * len(_GATES)       # per gate: is it found in text[start:end]
    verbs: list[int] = []                                      # where the attack verbs begin (its gate's matches)
    starts: list[int] | None = None
    for rule, rx, gates, opens, words in _PLANS:
        closed = False
        for g in gates:
            is_open = gate_open[g]
            if is_open is None:
                if g == _ATTACK_GATE:
                    verbs = _attack_verbs(text, start, end)
                    is_open = gate_open[g] = bool(verbs)
                else:
                    is_open = gate_open[g] = _GATES[g].search(text, start, end) is not None
            if not is_open:
                closed = True
                break
        if closed:
            continue
        if opens == _AT_VERBS:
            found: "Iterable[re.Match[str]]" = finditer_at(rx, text, start, end, verbs)
        elif opens == _AT_NAMES:
            if starts is None:
                starts = sentence_name_starts(text, start, end)
            at = starts if words is None else _word_before_names(text, start, starts, words)
            found = finditer_at(rx, text, start, end, at)
        else:
            found = rx.finditer(text, start, end)
        for m in found:
            s, e = m.span("name")
            lead = _LEADING_ARTICLE.match(text, s, e)
            if lead:
                s = lead.end()                  # "The Vedeno area" -> "Vedeno"
            name = text[s:e].rstrip("'’")
            if _NOT_A_NAME.match(name) or _INSTITUTION.search(name) or name.isupper() or len(name) < 3:
                continue
            if _in_parentheses(text, start, s):
                continue        # "(Kani township, Yinmarbin district)": the regions qualifying a place
            if not any(s < b and a < e for a, b in seen):
                seen[(s, s + len(name))] = Link(s, s + len(name), name, rule)
    return sorted(seen.values(), key=lambda k: k.start)


def _word_before_names(text: str, start: int, names: list[int], words: tuple[str, ...]) -> list[int]:
    """The offsets (ascending, at or after ``start``) of each of ``words`` (a whole word: no word character before
    it) followed by white space and then one of ``names`` (:func:`name_starts`): where a pattern
    ``\\b(?:in|at|...)\\s+NAME`` can match (its white space runs up to the name, which begins with no space)."""
    out: list[int] = []
    lasts = {w[-1] for w in words}
    for c in names:
        q = c
        while q > start and text[q - 1].isspace():
            q -= 1
        if q == c or text[q - 1] not in lasts:
            continue            # (no white space before the name, or the word before it ends in no word's letter)
        for w in words:
            p = q - len(w)
            if p >= start and text.startswith(w, p) and (p == 0 or not _word_char(text[p - 1])):
                out.append(p)
                break
    return out


def _word_char(c: str) -> bool:
    """A character the regex engine's \\w matches (str patterns)."""
    return c.isalnum() or c == "_"


def _in_parentheses(text: str, start: int, at: int) -> bool:
    opened = text.rfind("(", start, at)
    return opened >= 0 and text.find(")", opened, at) < 0


__all__ = ["LINK_RULES", "WHEN", "Link", "NAME", "SITE", "linked_names", "name_starts", "finditer_at", "begin_article",
           "sentence_name_starts"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.incidents.linking":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
