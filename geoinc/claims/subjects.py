"""Which place a claim locates (its subject): rules over the sentence's structure, tried in order.

Each rule is a small function with its example phrase; :data:`SUBJECT_RULES` lists them in the order they
are tried. A rule returns a :class:`Subject` — a named place, or ``topic=True`` when the sentence speaks of
the passage's topic by a pronoun or a description ("It lies …", "The town is …": the checker then takes the
place the passage is about) — or None to let the next rule try. Pure parsing: no gazetteer here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from ..incidents.gate import occurrences
from .phrases import PARTICLES, End, Name, find_names, first_name, latin1_space, make_end, opens_name_at, per_text
from .quantity import QUAL_RE


@dataclass(frozen=True, slots=True)
class Subject:
    """The subject of a claim: a named place (``end``), the passage's topic, or an unnamed noun."""

    end: End | None
    rule: str                       # the rule that found it ("appositive", "sentence subject", ...)
    topic: bool = False             # a pronoun or description of the passage's topic ("It", "The town")
    noun: str | None = None         # an unnamed subject as written ("the ship")

    def __init__(self, end: End | None, rule: str, topic: bool = False, noun: str | None = None) -> None:
        """The fields in order: a written constructor is compiled (see the note above phrases.Name)."""
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "topic", topic)
        object.__setattr__(self, "noun", noun)


def _name_end(name: Name) -> End:
    return End(name.start, name.end, name.text, (name,), None)


# words that name a kind of place before or after its name ("the town of Ramtha", "Mafraq governorate")
PLACE_WORDS = ("town|city|village|port|capital|hamlet|settlement|suburb|district|municipality|locality|"
               "commune|borough|township|camp|base|outpost|garrison|airport|university|area|sector|region|"
               "province|county|governorate|state|oblast|prefecture|seat|centre|center|crossing")
_ADMIN_AFTER = re.compile(r"\s+(?:province|district|county|governorate|region|state|oblast|prefecture|municipality)\b",
                          re.I)
_OF_NAME = re.compile(rf"\b(?:{PLACE_WORDS})\s+of\s+$", re.I)
_LOC_VERB = r"(?:is|was|are|were|lies|lay|lie|sits|sat|stands|stood|remains)"
_LOC_PART = r"(?:located|situated|positioned|placed|set|found|lying|sitting|based)"
# what may follow a location verb for the sentence's subject to be the claim's subject
_PREDICATE_START = re.compile(
    rf"\s*(?:{_LOC_VERB}\b(?:\s+(?:also|now|still|just|only|approximately|about|roughly|some))*"
    rf"(?:\s+{_LOC_PART}\b|\s+(?:an?|the)\b|\s+(?:in|on|at|near|along|by|between|within|close\s+to|next\s+to)\b|\s+(?=\S*\d)|\s+(?:{QUAL_RE})\b"
    rf"|\s+(?:north|south|east|west)|\s+(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty)\b)"
    rf"|{_LOC_PART}\b)", re.I)
_FRONTED = re.compile(rf"\s*(?:{_LOC_PART}|(?:just|only|about|some)\b)[^,]*,\s*", re.I)
_ASIDE = re.compile(r"\s*(?:\([^()]*(?:\([^()]*\)[^()]*)*\)\s*)+|\s*,\s*(?:(?:now|also|formerly|officially|locally|"
                    r"commonly)\s+)?(?:known|called|pronounced|spelled|spelt|written)\b[^,]*,\s*"
                    # a place phrase set off by commas: "Kramatorsk, in the part of the region Kyiv holds, lies …"
                    r"|\s*,\s*(?:in|inside|within|near|on|at)\s+[^,;()]{1,100},\s*",
                    re.I)


_SEGMENT_PUNCT = (",", "(", ")", "[", "]")    # what cuts a clause into segments (brackets hide the commas inside)
# letters the case-blind patterns match beyond what lower() gives: "ı" and "İ" as "i", "ſ" as "s", the Kelvin sign
_CASE_BLIND_EXTRA = ("ı", "İ", "ſ", "\u212a")


@per_text()
def _case_blind_extra(text: str) -> bool:
    """Whether the text holds a letter of :data:`_CASE_BLIND_EXTRA` (once per text: a stretch of a text without
    any needs no search for them)."""
    return any(ch in text for ch in _CASE_BLIND_EXTRA)


def _reads_beyond_lower(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds a letter of :data:`_CASE_BLIND_EXTRA`: there a case-blind pattern reads
    more than a test on the lower-cased stretch would (the text is asked once whether it holds any)."""
    return _case_blind_extra(text) and any(ch in text[start:end] for ch in _CASE_BLIND_EXTRA)


def _word_at(text: str, i: int, end: int) -> tuple[int, int]:
    """The next word (run of non-space) of text[i:end]: its start and end, both ``end`` when only spacing is left."""
    while i < end and text[i].isspace():
        i += 1
    j = i
    while j < end and not text[j].isspace():
        j += 1
    return i, j


def _may_hold(text: str, start: int, end: int, words: tuple[str, ...]) -> bool:
    """False when text[start:end] cannot hold any of ``words`` (lower-case ASCII) for a case-blind pattern: a
    cheap test before a search that tries a pattern at every character of the stretch."""
    if _reads_beyond_lower(text, start, end):
        return True
    low = text[start:end].lower()
    return any(word in low for word in words)


@per_text(maxsize=1024)
def _segments(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """The comma-separated segments of text[start:end], commas inside brackets not counted (cached: the subject
    rules split the same clause). The commas and brackets are found by string search for each (a character
    class pattern would visit every character)."""
    found = occurrences(text, start, end, _SEGMENT_PUNCT)
    cuts, depth = [], 0
    for k in found:
        ch = text[k]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            cuts.append(k)
    bounds = [start, *(c + 1 for c in cuts)]
    return tuple(zip(bounds, [*cuts, end]))


_IN_REGION = re.compile(r"\s+(?:(?:village|town|city|camp|district|area|quarter|neighbourhood)\s+)?(?:in|of)\s+(?:the\s+)?"
                        r"(?:(?:north|south|east|west|central)[\w-]*\s+)?", re.I)


def _ends_in_of(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends in "of" and spacing, as every match of :data:`_OF_NAME` does (a cheap test
    before that search: no other letter matches "o" or "f" case-blind)."""
    if end <= start or not text[end - 1].isspace():
        return False
    k = end - 1
    while k > start and text[k - 1].isspace():
        k -= 1
    return k - start >= 2 and text[k - 2:k].lower() == "of"


def _head_names(text: str, start: int, end: int) -> tuple[Name, ...]:
    """The place names a phrase is about, best first: "the town of X" -> X; "X in (southern) Y" -> X, Y;
    "X village in Y district" -> X, Y; else the last name, then the others from the end."""
    every: list[Name] = list(find_names(text, start, end))
    if not every:
        return ()
    first: list[Name] = []
    for n in every:
        if _ends_in_of(text, max(start, n.start - 40), n.start) and _OF_NAME.search(text[max(start, n.start - 40):n.start]):
            first.append(n)                              # "the town of Ramtha", "the port of Aqaba on the …"
            break
    if not first and len(every) > 1:
        prev, last = every[-2], every[-1]
        if _IN_REGION.fullmatch(text[prev.end:last.start]):
            first.append(prev)                           # "Ramtha in northern Jordan", "Zaatari village in Mafraq district"
    rest = [n for n in reversed(every) if n not in first]
    return tuple(first + rest)


def _subject_of(text: str, start: int, end: int, rule: str) -> "Subject | None":
    names = _head_names(text, start, end)
    if not names:
        return None
    return Subject(End(names[0].start, names[0].end, names[0].text, names, None), rule)


@dataclass(frozen=True, slots=True)
class Where:
    """Where a claim's relation starts in its sentence, and the claim before it in the same sentence."""

    text: str
    sentence_start: int
    clause_start: int
    start: int                                   # the quantity (or direction word) of the claim
    previous: tuple[int, Subject] | None = None  # (end, subject) of the previous claim in the sentence

    def __init__(self, text: str, sentence_start: int, clause_start: int, start: int,
                 previous: tuple[int, Subject] | None = None) -> None:
        """The fields in order: a written constructor is compiled (see the note above phrases.Name)."""
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "sentence_start", sentence_start)
        object.__setattr__(self, "clause_start", clause_start)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "previous", previous)


_LIST_GAP = re.compile(r"\s*(?:,\s*(?:the|a|an)\s+[^,;]{0,60})?(?:[—–][^—–;]{0,80}[—–])?[\s,]*(?:and|or)?\s*", re.I)


def list_subject(w: Where) -> Subject | None:
    """"It is 20 km from Zarqa, 60 km from Irbid and 300 km from Aqaba": one subject for the list."""
    if w.previous is None:
        return None
    end, subject = w.previous
    if end <= w.start and _LIST_GAP.fullmatch(w.text, end, w.start):
        return Subject(subject.end, "list", subject.topic, subject.noun)
    return None


_WHICH = re.compile(r",?\s+(?:which|that)\s+(?:(?:is|lies|sits|was|stands)\s+)?(?:(?:located|situated)\s+)?"
                    r"(?:(?:only|just|also|about|some|roughly)\s+)?$", re.I)


def _which_from(text: str, start: int, end: int) -> int:
    """Where ``_WHICH.search(text, start, end)`` can first match: the pattern ends at ``end`` and what may follow
    its "which"/"that" holds neither word, so only the last of them can be its own, and the match starts in the
    comma and spaces before it (``end`` when text[start:end] holds neither; ``start`` when it holds letters the
    case-blind pattern reads beyond lower-casing)."""
    if _reads_beyond_lower(text, start, end):
        return start
    low = text[start:end].lower()
    k = max(low.rfind("which"), low.rfind("that"))
    if k < 0:
        return end
    j = start + k
    while j > start and text[j - 1].isspace():
        j -= 1
    if j > start and text[j - 1] == ",":
        j -= 1
    return j


def relative_subject(w: Where) -> Subject | None:
    """"Palmyra, which lies 150 km to the east of Homs": the antecedent of which/that."""
    j = _which_from(w.text, w.clause_start, w.start)
    if j >= w.start:
        return None                              # no which/that: the pattern cannot match the empty rest
    # from the comma and spaces before the last which/that, the search can only match where it starts (the
    # positions after it are the same spaces, then the same words up to the end): one match attempt, not one per
    # character up to the claim; from the clause's start (letters the case-blind pattern reads beyond lower-casing)
    # the search itself
    m = (_WHICH.search(w.text, j, w.start) if j == w.clause_start else _WHICH.match(w.text, j, w.start))
    if m is None:
        return None
    seg_start = _segments(w.text, w.clause_start, m.start())[-1][0]
    return _subject_of(w.text, seg_start, m.start(), "relative clause")


_APPOSITION_NP = re.compile(rf"\s*(?:an?|the)\s+(?:[\w-]++\s+){{0,3}}?(?:{PLACE_WORDS})\b"
                            rf"(?:\s+(?:located|situated|lying|some|about|only|just))*\s*", re.I)
# the words an appositive's last segment may hold before the claim ("Zarqa, also just 20 km …"): a pattern, and a
# set for the word-by-word reading of :func:`_only_adverbs`
_APPOSITIVE_ADVERBS = ("also", "just", "only", "located", "situated", "lying", "is", "lies", "directly", "immediately",
                       "slightly", "which", "that", "some", "about", "roughly")
_ADVERBS = re.compile(rf"\s*(?:(?:{'|'.join(_APPOSITIVE_ADVERBS)})\s+)*", re.I)
_ADVERB_WORDS = frozenset(_APPOSITIVE_ADVERBS)


def _only_adverbs(text: str, start: int, end: int) -> bool:
    """``_ADVERBS.fullmatch(text, start, end)``: text[start:end] is words of :data:`_ADVERB_WORDS`, each followed
    by spacing, read word by word up to the first that is not one (~5 times cheaper than the case-blind pattern;
    the pattern itself where the stretch holds a letter it reads beyond lower-casing)."""
    if _reads_beyond_lower(text, start, end):
        return _ADVERBS.fullmatch(text, start, end) is not None
    i = start
    while True:
        i, j = _word_at(text, i, end)
        if i >= end:
            return True
        if j >= end or text[i:j].lower() not in _ADVERB_WORDS:
            return False                      # no spacing after the word, or no adverb
        i = j


def appositive_subject(w: Where) -> Subject | None:
    """"Zarqa, about 20 km north-east of Amman"; "Mafraq, a town about 55 km …"; "Ramtha, Irbid
    Governorate, about 80 km north …" (a region after a town names the town)."""
    segs = _segments(w.text, w.clause_start, w.start)
    if len(segs) < 2:
        return None
    s, e = segs[-1]
    if not (_only_adverbs(w.text, s, e) or _APPOSITION_NP.fullmatch(w.text, s, e)):
        return None
    hs, he = segs[-2]
    host = w.text[hs:he].strip()
    names = find_names(w.text, hs, he)
    if len(segs) >= 3 and len(names) == 1 and (names[0].text == host or _ADMIN_AFTER.fullmatch(" " + host[len(names[0].text):] + " ")
                                               or re.fullmatch(rf"{re.escape(names[0].text)}\s+(?:province|district|county|governorate|region|state|oblast)", host, re.I)):
        earlier = _subject_of(w.text, segs[-3][0], segs[-3][1], "appositive")
        if earlier is not None:                     # "Ramtha, Irbid Governorate,", "…Zaatari district, Mafraq province,"
            return earlier
    return _subject_of(w.text, hs, he, "appositive")


_SPACES = re.compile(r"\s*")
_PLACE_OF = re.compile(rf"\s*(?:the\s+)?(?:[\w-]++\s+){{0,3}}?(?:{PLACE_WORDS})\s+of\s+", re.I)
_TOPIC_NP = re.compile(rf"\s*(?:it|(?:the|this)\s+(?:[\w-]++\s+){{0,2}}?(?:{PLACE_WORDS}|place|site))\b", re.I)


def _of_among_first_words(text: str, start: int, end: int) -> bool:
    """Whether "of" (any case) is one of the first six words (runs of non-space) of text[start:end]: where
    :data:`_PLACE_OF` can have it ("the", three words, the place word, "of"), so that the pattern, which tries ~30
    place words after each of its words, runs only then. No letter but "O" and "F" reads as "o" or "f" to a
    case-blind pattern."""
    i = start
    for _ in range(6):
        i, j = _word_at(text, i, end)
        if i >= end:
            return False
        if j - i == 2 and text[i:j].lower() == "of":
            return True
        i = j
    return False


_NAME_READ: Final = 100  # how far from its start _np_subject reads the subject's name


def _np_subject(text: str, start: int, end: int) -> tuple[Subject | None, int]:
    """The subject noun phrase at ``start``: a name ("Irbid"), "The town of X", or a pronoun or
    description of the topic ("It", "The city"); and where it ends."""
    # "the town of X" holds "of" among its first words (a cheap test before the pattern, which tries ~30 place words
    # after each word; a test for "of" anywhere in the stretch would lower-case all of it)
    m = _PLACE_OF.match(text, start, end) if _of_among_first_words(text, start, end) else None
    lead = _SPACES.match(text, start, end).end()          # type: ignore[union-attr]
    # a subject opens its sentence: only a first name that starts by then is of use (without "the town of", one
    # starting at the first word: none unless that word opens a name, "In", "The", "He" do not)
    n = (first_name(text, start, min(end, start + _NAME_READ), until=m.end() if m else lead)
         if m is not None or opens_name_at(text, lead, min(end, start + _NAME_READ)) else None)
    if m and n is not None and n.start == m.end():
        return Subject(_name_end(n), "sentence subject"), n.end
    if n is not None and n.start == lead:
        return Subject(_name_end(n), "sentence subject"), n.end
    p = _TOPIC_NP.match(text, start, end)
    if p:
        return Subject(None, "sentence subject", topic=True, noun=p.group(0).strip()), p.end()
    return None, start


_NEW_CLAUSE = re.compile(r"[;]|\b(?:which|where|who|whom|whose|while|whereas|because|but|although)\b|"
                         r"\band\s+(?:the\s+)?[A-Z][\w-]*\s+(?:is|was|are|were|lies)\b")


def sentence_subject(w: Where) -> Subject | None:
    """"Mafraq is about 55 km north-east of Amman"; "Madaba (…) is a town in …, located 30 km
    south-west of Amman"; "It lies …, 20 km north of Tower 22" (the topic)."""
    head = w.sentence_start
    fronted = _FRONTED.match(w.text, head, w.start)
    if fronted:
        head = fronted.end()                     # "Situated on the plateau, Madaba is …"
    subject, pos = _np_subject(w.text, head, w.start)
    if subject is None:
        return None
    while True:
        aside = _ASIDE.match(w.text, pos, w.start)
        if not aside or aside.end() == pos:
            break
        pos = aside.end()
    if pos >= w.start:
        return None
    verb = _PREDICATE_START.match(w.text, pos)          # may run into the claim: "Ramtha lies on the border"
    if verb is None or (verb.end() < w.start and _NEW_CLAUSE.search(w.text, verb.end(), w.start)):
        return None
    host = appositive_subject(w) or adjacent_subject(w)
    if subject.end is not None and host is not None and host.end is not None:
        # "Iraq is in turmoil after a bombing in Ramadi, 100 km west of Baghdad": when the subject turns out
        # to be a country or region, the place written next to the claim is tried next
        e = subject.end
        extra = tuple(n for n in host.end.names if n not in e.names)
        return Subject(End(e.start, e.end, e.text, (*e.names, *extra), None), subject.rule)
    return subject


# what may stand between an adjacent subject and its claim: a place word, then adverbs ("Zaatari camp just north of")
_TAIL_ADVERB_WORDS = ("also", "just", "only", "located", "situated", "lying", "directly", "immediately", "slightly")
_ADJACENT_TAIL = re.compile(rf"(?:\s+(?:{PLACE_WORDS}))?\s+(?:(?:{'|'.join(_TAIL_ADVERB_WORDS)})\s+)*", re.I)
_TOPIC_BEFORE = re.compile(rf"\b(?:this|that)\s+(?:[\w-]++\s+){{0,2}}?(?:{PLACE_WORDS})\s+$", re.I)


_PARTICLE_ENDS = tuple(PARTICLES)
# the words of _ADJACENT_TAIL as sets: a place word may open the tail, adverbs follow
_TAIL_PLACE_WORDS = frozenset(PLACE_WORDS.split("|"))
_TAIL_ADVERBS = frozenset(_TAIL_ADVERB_WORDS)


def _name_may_end_before(text: str, start: int, end: int) -> bool:
    """Whether a name can end where an adjacent subject's tail (place word, adverbs) before ``end`` begins: False
    when every word that tail can start after is lower-case ("missiles on the border"), so that the names of the
    segment need not be read. Generous: a word with a capital, a digit, a non-ASCII letter or a particle's ending
    may end a name. The words are read backwards from ``end``; each one passed is lower-case ASCII, so
    :data:`_ADJACENT_TAIL` holds the stretch from the next word on exactly when the words passed are adverbs, or
    a place word followed by adverbs (set look-ups instead of the case-blind pattern, ~1 µs a try)."""
    e = end
    adverbs_only = True                       # the words passed so far are all adverbs of the tail
    while True:
        k = e
        while k > start and text[k - 1].isspace():
            k -= 1
        if k == e or k <= start:
            return False                      # a tail starts with a space
        j = k
        while j > start and not text[j - 1].isspace():
            j -= 1
        word = text[j:k]
        if not word.isascii():
            return True
        low = word.lower()
        if low != word or (not word.isalpha() and any(c.isdigit() for c in word)) or low.endswith(_PARTICLE_ENDS):
            return True
        # the word is part of the tail: the tail before it must still read as one
        if not adverbs_only or not (word in _TAIL_ADVERBS or word in _TAIL_PLACE_WORDS):
            return False
        adverbs_only = word in _TAIL_ADVERBS
        e = j                                 # a place word or adverb of the tail: the name ends before it


def adjacent_subject(w: Where) -> Subject | None:
    """"Yarmouk University north of Amman", "the town of Ramtha about 80 km north of Amman", "in
    this small town about 20 miles north of Amman" (the topic)."""
    s = _segments(w.text, w.clause_start, w.start)[-1][0]
    if _name_may_end_before(w.text, s, w.start):
        names = find_names(w.text, s, w.start)
        if names and _ADJACENT_TAIL.fullmatch(w.text, names[-1].end, w.start):
            return _subject_of(w.text, s, names[-1].end, "adjacent")
    topic = _TOPIC_BEFORE.search(w.text, s, w.start) if _may_hold(w.text, s, w.start, ("this", "that")) else None
    if topic:
        return Subject(None, "adjacent", topic=True, noun=topic.group(0).strip())
    return None


_FRONTED_ONLY = re.compile(rf"\s*(?:{_LOC_PART}|being\s+{_LOC_PART})?\s*(?:(?:only|just|about|some|roughly|approximately)\s+)?",
                           re.I)
_FRONTED_PART = re.compile(rf"\s*(?:{_LOC_PART})\b", re.I)


def fronted_subject(w: Where) -> Subject | None:
    """"Located 20 km north of Amman, it is part of …": the main clause's subject; a fragment
    ("Located only 5 km from the border.") is about the topic."""
    if not _FRONTED_ONLY.fullmatch(w.text, w.sentence_start, w.start):
        return None
    if not _FRONTED_PART.match(w.text, w.sentence_start, w.start):
        return None
    return Subject(None, "fronted", topic=True, noun="it")


# the rules, in the order they are tried (the first that finds a subject wins)
SUBJECT_RULES = (list_subject, relative_subject, sentence_subject, appositive_subject, adjacent_subject, fronted_subject)


def find_subject(w: Where) -> Subject | None:
    """The claim's subject by the first rule of :data:`SUBJECT_RULES` that finds one."""
    for rule in SUBJECT_RULES:
        found = rule(w)
        if found is not None:
            return found
    return None



# ---------------------------------------------------------------------------------------------------
# claims without a number: a cheap test before the rules
#
# Most "on/near the border" and "north of" phrases locate no place ("deploying missiles on the border"), and the
# rules reject them one by one, each reading the clause through its own patterns (~80 K instructions a phrase).
# Each rule has a necessary condition that a few searches in the text's lowered latin-1 copy can test
# (``low``: the positions of the text, ASCII letters lowered, "?" for a character beyond latin-1; see
# parse._lowered_hints). When none holds, no rule finds a subject. Each test is generous (True) where it cannot
# tell, and all of them where the text holds a letter the case-blind patterns read beyond lower-casing.

_LOC_PART_WORDS: Final = tuple(_LOC_PART[3:-1].split("|"))
_FRONTED_OPENERS: Final = (*_LOC_PART_WORDS, "just", "only", "about", "some")
# the first letters of those words (a test on a character code before a test of the words)
_LOC_PART_FIRSTS: Final = frozenset(ord(w[0]) for w in _LOC_PART_WORDS)
_FRONTED_FIRSTS: Final = frozenset(ord(w[0]) for w in _FRONTED_OPENERS)
_RELATIVE_TAIL: Final = frozenset(("is", "lies", "sits", "was", "stands", "located", "situated", "only", "just",
                                   "also", "about", "some", "roughly"))
_LOC_WORDS: Final = (*_LOC_VERB[3:-1].split("|"), *_LOC_PART_WORDS)
_LOC_WORD_BYTES: Final = frozenset(w.encode() for w in _LOC_WORDS)
# every byte but the ASCII letters as a space: the lowered copy's words cut into their runs of letters
_LETTER_RUNS: Final = bytes(b if 97 <= b <= 122 else 32 for b in range(256))
_ARTICLES: Final = frozenset(("a", "an", "the"))
_ASIDE_OPENERS: Final = ("now", "also", "formerly", "officially", "locally", "commonly", "known", "called",
                          "pronounced", "spelled", "spelt", "written", "in", "inside", "within", "near", "on", "at")
# the comma that opens an aside of :data:`_ASIDE` (", known as …,", ", in the north,")
_ASIDE_OPEN: Final = re.compile(r",\s*(?:(?:(?:now|also|formerly|officially|locally|commonly)\s+)?"
                                r"(?:known|called|pronounced|spelled|spelt|written)\b|(?:in|inside|within|near|on|at)\s)", re.I)


def _first_non_space(low: str, i: int, end: int) -> int:
    while i < end and latin1_space(ord(low[i])):
        i += 1
    return i


def _first_word(low: str, i: int, end: int) -> str:
    """The word (run of non-space) of the lowered copy at ``i``, within ``end``."""
    j = i
    while j < end and not latin1_space(ord(low[j])):
        j += 1
    return low[i:j]


def _last_comma(low: str, sentence_start: int, start: int) -> tuple[int, bool]:
    """The last comma before the claim (-1 when none), and whether it surely cuts the rule's segments: no bracket
    opens before it (a comma inside brackets cuts nothing, see :func:`_segments`)."""
    k = low.rfind(",", sentence_start, start)
    return k, k >= 0 and low.find("(", sentence_start, k) < 0 and low.find("[", sentence_start, k) < 0


def may_be_fronted(text: str, low: str, sentence_start: int, start: int) -> bool:
    """:func:`fronted_subject` ("Located 20 km north of Amman, …") needs its sentence to open with a participle."""
    i = _first_non_space(low, sentence_start, start)
    if i >= start:
        return False
    c = ord(low[i])                           # "?": a character beyond latin-1 (a space of another script?)
    return c == 63 or (c in _LOC_PART_FIRSTS and low.startswith(_LOC_PART_WORDS, i))


def may_be_relative(text: str, low: str, sentence_start: int, start: int) -> bool:
    """:func:`relative_subject` ("Palmyra, which lies 150 km …") needs "which" or "that", then only the words of
    its tail ("is", "located", "only" …) up to the claim."""
    k = low.rfind("which", sentence_start, start)
    t = low.rfind("that", sentence_start, start)
    if k < 0 and t < 0:
        return False
    after = k + 5 if k > t else t + 4
    first = _first_word(low, _first_non_space(low, after, start), start)
    if first and first not in _RELATIVE_TAIL and "?" not in first:
        return False                          # "which houses 350 troops": not a word of the tail
    tail = low[after:start]
    return "?" in tail or all(word in _RELATIVE_TAIL for word in tail.split())


def may_be_appositive(text: str, low: str, sentence_start: int, start: int) -> bool:
    """:func:`appositive_subject` ("Zarqa, about 20 km …", "Mafraq, a town 55 km …") needs a comma before the
    claim, and after the last one only adverbs or "a/the … town"."""
    k, cut = _last_comma(low, sentence_start, start)
    if k < 0:
        return False                          # one segment: no appositive
    if not cut:
        return True                           # that comma may be inside brackets, not the segment's cut
    first = _first_word(low, _first_non_space(low, k + 1, start), start)
    if first and first not in _ADVERB_WORDS and first not in _ARTICLES and "?" not in first:
        return False                          # "…, deploying missiles": a word, neither an adverb nor an article
    seg = low[k + 1:start]
    words = seg.split()
    if not words or seg.find("?") >= 0:
        return True                           # "Zarqa, 20 km …"; a character beyond latin-1 (a space?)
    if words[0] in _ARTICLES:
        return _APPOSITION_NP.fullmatch(text, k + 1, start) is not None     # "Mafraq, a town 55 km …"
    for word in words:
        if word not in _ADVERB_WORDS:
            return False                      # "Tower 22, which houses 350 troops …": not only adverbs
    return True


def may_be_adjacent(text: str, low: str, sentence_start: int, start: int) -> bool:
    """:func:`adjacent_subject` ("Yarmouk University north of Amman", "this small town 20 miles north of …")
    needs a word that may end a name before the claim's tail words, or "this"/"that" in the segment."""
    k, cut = _last_comma(low, sentence_start, start)
    s = k + 1 if cut else sentence_start      # at or before the start of the rule's segment
    return low.find("this", s, start) >= 0 or low.find("that", s, start) >= 0 or _name_may_end_before(text, s, start)


def may_be_sentence_subject(text: str, low: str, sentence_start: int, start: int) -> bool:
    """:func:`sentence_subject` ("Mafraq is about 55 km …", "Madaba (…) is a town …, located 30 km …") needs a
    location verb right after its subject and asides. The subject holds no comma, so the verb comes before the
    sentence's first comma (after a fronted phrase) or the claim, unless that comma opens an aside or a bracket
    comes first."""
    head = sentence_start
    i = _first_non_space(low, head, start)
    if i < start and (ord(low[i]) == 63 or (ord(low[i]) in _FRONTED_FIRSTS and low.startswith(_FRONTED_OPENERS, i))):
        fronted = _FRONTED.match(text, head, start)
        if fronted:
            head = fronted.end()
    c = low.find(",", head, start)
    if c < 0:
        c = start                             # no comma: the verb comes before the claim's cue, not a verb itself
    if low.find("(", head, c) >= 0:
        return True                           # an aside in brackets
    if head + _NAME_READ < c and low.startswith(_LOC_WORDS, head + _NAME_READ):
        return True                           # the subject's name is read this far: a word cut there may be a verb
    # the runs of ASCII letters before the comma: a verb stands alone or after a digit ("22is"), a quote or a
    # character beyond latin-1, before punctuation ("located.")
    for word in low[head:c].encode("latin-1").translate(_LETTER_RUNS).split():
        if word in _LOC_WORD_BYTES:
            return True
    if c == start:
        return False
    j = _first_non_space(low, c + 1, start)
    return (j >= start or low[j] == "?" or low.startswith(_ASIDE_OPENERS, j)) and _ASIDE_OPEN.match(text, c, start) is not None


def may_find_subject(text: str, low: str, sentence_start: int, start: int,
                     previous: tuple[int, Subject] | None = None, special: bool | None = None) -> bool:
    """False only when no rule of :data:`SUBJECT_RULES` can find a subject for a claim at ``start`` (the rules
    are then not run: "deploying missiles on the border with Iraq"). ``low``: the lowered latin-1 copy of the
    text (see above); ``special``: whether the text holds a letter of :data:`_CASE_BLIND_EXTRA` (asked when
    None)."""
    if special is None:
        special = _case_blind_extra(text)
    if previous is not None or special:
        return True                           # the list rule; letters the case-blind patterns read as ASCII
    return (may_be_fronted(text, low, sentence_start, start) or may_be_relative(text, low, sentence_start, start)
            or may_be_appositive(text, low, sentence_start, start) or may_be_adjacent(text, low, sentence_start, start)
            or may_be_sentence_subject(text, low, sentence_start, start))


# the tests, one for each rule but the list rule (which needs a claim before it), in the order they are asked
BARE_SUBJECT_TESTS = (may_be_fronted, may_be_relative, may_be_appositive, may_be_adjacent, may_be_sentence_subject)


# ---------------------------------------------------------------------------------------------------
# the older heuristic, kept for what the rules do not cover: a border as subject ("the Iraqi border is only
# 10 km away"), a subject after an aside ("Kramatorsk, in the … region, lies 35 km …"), unnamed nouns.

_VERB_TAIL = re.compile(
    r"(?:[\s,]|\b(?:is|was|are|were|lies|lay|lie|sits|sat|runs|stands|stood|located|situated|based|"
    r"positioned|lying|sitting|roughly|some|still|now|already|barely|located|estimated|approximately|"
    r"at\s+a\s+distance\s+of|a\s+distance\s+of|at)\b)*$")


_TIED = re.compile(r"\s*(?:[\w-]++\s+){0,3}?(?:near|on|by|at|along|beside|close\s+to|next\s+to|off|from)\s+(?:the\s+)?$", re.I)


def _subject_end(text: str, start: int, end: int) -> End | None:
    """The subject phrase before a quantity: a border when the phrase ends on one ("the Iraqi border is"),
    unless a place is tied to it by a preposition ("Rukban near the Syrian border is …": Rukban)."""
    phrase = make_end(text, start, end)
    if phrase is None or phrase.border is None:
        return phrase
    b = phrase.border
    tail = text[b.end:end]
    before = [n for n in phrase.names if n.end <= b.start]
    tied = bool(before) and _TIED.match(text[before[-1].end:b.start]) is not None
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


def legacy_subject(text: str, start: int, end: int) -> tuple[End | None, str | None]:
    """The subject before a quantity, from the comma-separated segments of its clause:

    - "Rukban, 20 km south of …": an appositive, the last name before the comma;
    - "Kramatorsk, in the … region, lies 35 km …": the segment before the aside;
    - "… and the ship taking on water, nearly 70 nautical miles …": no name: (None, "the ship …").
    """
    segs = _segments(text, start, end)
    last_s, last_e = segs[-1]
    if not text[last_s:last_e].strip() and len(segs) > 1:
        ps, pe = segs[-2]
        ph = _subject_end(text, ps, pe)
        if ph is None:
            return None, noun_of(text[ps:pe])
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
    return None, noun_of(text[last_s:last_e])


def noun_of(phrase: str) -> str | None:
    words = re.sub(rf"\b(?:{QUAL_RE})\s*$", "", phrase.strip(), flags=re.I)
    words = _VERB_TAIL.sub("", words).strip(" ,")
    # the last noun phrase: "leaving one crew member missing and the ship taking on water" -> "the ship taking on water"
    words = re.split(r"\b(?:and|or|with|leaving|while|as|after|before|when)\s+", words)[-1].strip()
    return words or None


def is_place_noun(noun: str | None) -> bool:
    if not noun:
        return True
    return any(w in PLACE_NOUNS for w in re.findall(r"[a-z]+", noun.lower()))




__all__ = ["Subject", "Where", "PLACE_NOUNS", "SUBJECT_RULES", "find_subject", "list_subject", "relative_subject",
           "sentence_subject", "appositive_subject", "adjacent_subject", "fronted_subject", "legacy_subject",
           "is_place_noun", "noun_of", "subject_border", "sentence_topic", "may_find_subject"]


_DATELINE = re.compile(r"\s*[\"“]?(?P<name>[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+)*)\s*,\s")


def sentence_topic(text: str, start: int, end: int) -> Name | None:
    """The place a sentence says it is about by its form: a dateline ("AMMAN, Jordan (AP) —") or a named
    subject with a location predicate ("Madaba is a small market town …", "Azraq (الأزرق) is a town …")."""
    m = _DATELINE.match(text, start, end)
    if m and len(m.group("name")) >= 3:
        names = find_names(text, m.start("name"), m.end("name"))
        if names:
            return names[0]
    head = start
    fronted = _FRONTED.match(text, head, end)
    if fronted:
        head = fronted.end()
    subject, pos = _np_subject(text, head, end)
    if subject is None or subject.end is None:
        return None
    while True:
        aside = _ASIDE.match(text, pos, end)
        if not aside or aside.end() == pos:
            break
        pos = aside.end()
    return subject.end.names[0] if _PREDICATE_START.match(text, pos, end) else None


def subject_border(text: str, start: int, end: int) -> End | None:
    """"The Iraqi border is only 10 km away": a border as the subject of the clause before a quantity."""
    s, e = _segments(text, start, end)[-1]
    ph = _subject_end(text, s, e)
    return ph if ph is not None and ph.border is not None else None


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.claims.subjects":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
