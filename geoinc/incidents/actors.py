"""Actors of an event sentence: who is named (ACLED-style names and inter categories) and in which role."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .lexicons import ACTORS_RE, CLAIMED, PERPETRATOR_LINK, SPEAKER, TARGET_KINDS, PRO, RIO

if TYPE_CHECKING:
    from .record import Draft


def find_actors(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, ACLED-style name, inter category) of the actors named in a sentence, non-overlapping."""
    found: list[tuple[int, int, str, str]] = []
    for pat, name, inter in ACTORS_RE:
        for m in pat.finditer(text):
            if any(m.start() < e and s < m.end() for s, e, _, _ in found):
                continue
            found.append((m.start(), m.end(), name, inter))
    return sorted(found)


def assign_actors(d: "Draft", st: str, ev: str | None, phrase: str, actors: list[tuple[int, int, str, str]],
                  t_start: int) -> None:
    """Give the incident its perpetrator (actor1, associates), target (actor2) and claimant from the sentence."""
    claim_pos = CLAIMED.search(st)
    passive = bool(re.match(r"(?:killed|struck|hit|attacked|targeted|bombed) by\b", phrase, re.I)) or bool(
        re.search(r"\b(?:was|were|been)\s+(?:\w+\s+)?$", st[max(0, t_start - 20):t_start]))
    for a_start, _a_end, name, inter in actors:
        if inter == "Civilians" and (ev or d.event_type) not in (PRO, RIO):
            if a_start > t_start and d.actor2 is None:
                d.actor2 = (name, inter)          # civilians are the targets of violence, never its agents
            continue
        is_target = inter in TARGET_KINDS and (a_start > t_start or passive or re.search(
            r"\b(?:against|targeting|targeted)\s+(?:the\s+)?(?:\w+\s+)?$", st[max(0, a_start - 40):a_start]))
        if claim_pos and a_start < claim_pos.start() and inter not in TARGET_KINDS:
            if not d.claimant or (d.claimant.startswith(("Pro-", "Unidentified"))
                                  and not name.startswith(("Pro-", "Unidentified"))):
                d.claimant = name
        if not claim_pos and inter in TARGET_KINDS and SPEAKER.search(st[_a_end:_a_end + 30]):
            continue          # "The Israeli military said ...": a source, not the perpetrator
        if is_target:
            if d.actor2 is None:
                d.actor2 = (name, inter)
            continue
        linked = a_start <= t_start or PERPETRATOR_LINK.search(st[max(0, a_start - 45):a_start])
        if not linked:
            continue          # "since the war between Israel and Hamas": named, but not as this event's actor
        if d.actor1 is None or (d.actor1[0].startswith(("Pro-", "Unidentified")) and not name.startswith(
                ("Pro-", "Unidentified")) and claim_pos):
            if d.actor1 is not None and d.actor1[0] not in d.assoc1:
                d.assoc1.append(d.actor1[0])
            d.actor1 = (name, inter)
        elif name != d.actor1[0] and name not in d.assoc1 and inter not in TARGET_KINDS:
            d.assoc1.append(name)


def battle_sides(st: str, actors: list[tuple[int, int, str, str]]) -> tuple[tuple[str, str], tuple[str, str]] | None:
    """The two sides of "clashes between A and B" (or "A clashed with B"), in the order written."""
    m = re.search(r"\bbetween\b(.+?)\band\b(.+?)(?:[.;,]|$)|\bclash(?:ed|es)? with\b(.+?)(?:[.;,]|$)", st, re.I)
    if not m:
        return None
    if m.group(1) is not None:
        first = [a for a in actors if m.start(1) <= a[0] < m.end(1)]
        second = [a for a in actors if m.start(2) <= a[0] < m.end(2)]
    else:
        first = [a for a in actors if a[0] < m.start()]
        second = [a for a in actors if m.start(3) <= a[0] < m.end(3)]
    if first and second:
        return (first[0][2], first[0][3]), (second[0][2], second[0][3])
    return None



__all__ = ["find_actors", "assign_actors", "battle_sides"]
