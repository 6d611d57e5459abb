"""Modality of an event phrase, read from its syntax: did the event happen, or is it hypothetical, future,
intended, feared or negated? Each rule is a small named function with its example phrase.

A modal counts only as a verb: lowercase and right before the phrase's verb group ("would respond",
"could be attacked"), so the month "May" ("On 27 May 2022, Russian forces shelled ...") is no modal, and
"Fridays for Future" is no future.
"""
from __future__ import annotations

import re

from .gate import Scanner, factor_alternation, literal_gate, may_contain_part

# "will hold a protest", "could be targeted", "may have been attacked": a lowercase modal and up to three
# auxiliary/adverb words, then the phrase
_MODAL = re.compile(r"(?-i:\b(?:may|might|could|would|will|shall|should|can|must)\b)(?:\s+(?:not|never|also|still|"
                    r"soon|then|again|likely|possibly|be|have|been|being|face|see|launch|stage|hold|carry out|"
                    r"continue to|further|more|new|any|an?|the|to))*\s+$")
# "threatened to attack", "plans to hold a rally", "called for protests", "to prevent clashes"
_INTENTION_WORDS = (
    r"possible|potential|(?-i:future)|threat(?:en(?:ed|s|ing)?)?|plans? to|planned|planning to|prepar(?:ed|ing) to|"
    r"ready to|to avoid|avoid|vow(?:ed|s)? to|(?<!in )respond(?:ing)? to|fear(?:s|ed)? of|fears|against any|deter|"
    r"prevent(?:ed|ing)?|if|unless|in case of|warn(?:ed|s|ing)? (?:of|against)|risk of|called for|calls? for|"
    r"calling for|urged|urging|intend(?:s|ed)? to|set to|expected to|scheduled|announced plans?|aims? to|"
    r"in order to|threat of|ban(?:ned)? on")
# (the words grouped by first letter, gate.factor_alternation: the same matches, one branch tried per letter)
_INTENTION = re.compile(rf"\b{factor_alternation(_INTENTION_WORDS)}\b[^.;:]{{0,25}}$", re.I)
_MODAL_AFTER = re.compile(r"^[^.;:,]{0,12}(?-i:\b(?:would|could|might|will)\b)", re.I)
# "no clashes were reported", "did not protest", "never attacked"
_NEGATION = re.compile(r"\b(?:no|not|never|n't|without|nor|neither)\s+(?:[\w-]+\s+)?$", re.I)


def modal_verb(text: str, start: int) -> bool:
    """"would respond", "will hold a protest": a modal verb governs the phrase (the month "May" does not)."""
    before = text[max(0, start - 60):start]
    if not may_contain_part(before, text, _MODAL_GATE):
        return False          # no modal in the look-back (gate.literal_gate: "may", "would", ...)
    return bool(_MODAL.search(before))


# the words one of which every intention match holds (gate.literal_gate): a look-back without one is not searched
_INTENTION_GATE = literal_gate(_INTENTION.pattern)
# likewise the modals before and after the phrase (every match holds one of them)
_MODAL_GATE = ("can", "could", "may", "might", "must", "shall", "should", "will", "would")
_MODAL_AFTER_WORDS = ("would", "could", "might", "will")
assert literal_gate(_MODAL.pattern) == _MODAL_GATE


# the longest intention word ("announced plans") and the 25 characters after it: every match of _INTENTION lies in
# the last _INTENTION_REACH characters of the look-back (tests check the width), so only they are gated and searched
_INTENTION_REACH = 15 + 25


# where an intention word can start in a sentence (its words that open one, gate.Scanner), for the last sentence asked
_INTENTION_SCAN = Scanner([_INTENTION], [_INTENTION_GATE])
_INTENTION_STARTS: "tuple[str, list[int] | None]" = ("", [])


def _intention_starts(text: str) -> "list[int] | None":
    """:meth:`gate.Scanner.starts` of the intention pattern in the sentence, remembered for the last sentence (its
    event phrases are asked in turn)."""
    global _INTENTION_STARTS
    last = _INTENTION_STARTS
    if last[0] is text:
        return last[1]
    starts = _INTENTION_SCAN.starts(text)
    _INTENTION_STARTS = (text, starts)
    return starts


def intention(text: str, start: int) -> bool:
    """"threatened to attack", "called for protests", "to prevent clashes": the event is intended or feared."""
    lead = max(0, start - 60)
    before = text[lead:start]
    reach = max(0, len(before) - _INTENTION_REACH)
    # the look-back is searched from reach: then \b and "(?<!in )" see the sentence's own characters before each
    # position (reach is 20 into a 60-character look-back, or the look-back opens the sentence), so a match starts
    # where an intention word of the sentence starts (the sentence's word starts, asked once per sentence)
    starts = _intention_starts(text)
    if starts is not None:
        if not any(lead + reach <= p < start for p in starts):
            return False
    elif _INTENTION_GATE is not None and not may_contain_part(before[reach:], text, _INTENTION_GATE):
        return False
    return bool(_INTENTION.search(before, reach))


def modal_after(text: str, end: int) -> bool:
    """"strikes would follow": the phrase is the subject of a modal verb."""
    after = text[end:end + 25]
    if not may_contain_part(after, text, _MODAL_AFTER_WORDS):
        return False          # none of its four modals follows
    return bool(_MODAL_AFTER.search(after))


# the negations one of which every match of _NEGATION holds (gate.literal_gate)
_NEGATION_GATE = literal_gate(_NEGATION.pattern)


def negated(text: str, start: int) -> bool:
    """"no clashes were reported", "did not protest": the event is denied by a negation right before it."""
    before = text[max(0, start - 25):start]
    if _NEGATION_GATE is not None and not may_contain_part(before, text, _NEGATION_GATE):
        return False          # no negation in the look-back
    return bool(_NEGATION.search(before))


RULES = (("modal", modal_verb), ("intention", intention), ("negated", negated))


def unreal(text: str, start: int, end: int) -> str | None:
    """The reason the phrase at text[start:end] does not report a real event (None when it does)."""
    for name, rule in RULES:
        if rule(text, start):
            return name
    if modal_after(text, end):
        return "modal"
    return None


__all__ = ["unreal", "modal_verb", "intention", "modal_after", "negated"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.incidents.modality":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
