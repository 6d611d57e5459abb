"""Casualty counts in a sentence: killed (low, best, high) and injured, from digits and number words."""
from __future__ import annotations

import re

from ..text import parse_number
from .lexicons import GROUP, INJURED, KILLED, MORE_PEOPLE


def number_value(token: str) -> int | None:
    """3 from "three", "3" or "3,000" -> 3000; compound words ("twenty-one"); None when not a number."""
    t = token.lower().replace(",", "").strip()
    if t.isdigit():
        return int(t)
    value = parse_number(t) if t not in ("a", "an") else None
    return int(value) if value is not None and value == int(value) else None


def _count(patterns: list[re.Pattern[str]], text: str) -> tuple[int | None, int | None, int | None]:
    """(low, best, high) for the first count found; "at least N" leaves high open, "up to N" low open."""
    text = re.sub(r"\s*\(\s*\d[\d,]*\s*\)", "", text)       # "three (3) soldiers"
    for pat in patterns:
        for m in pat.finditer(text):
            n = 1 if m.group("n").lower() in ("a", "an") else number_value(m.group("n"))
            if n is None or n > 100_000:
                continue
            more = MORE_PEOPLE.match(text, m.end())
            if more:
                for g in GROUP.finditer(more.group("rest")):
                    n += 1 if g.group("n").lower() in ("a", "an") else (number_value(g.group("n")) or 0)
            q = (m.groupdict().get("q") or "").lower()
            if q in ("at least", "more than", "over"):
                return (n + (1 if q in ("more than", "over") else 0), n, None)
            if q in ("up to", "as many as"):
                return (None, n, n)
            if q in ("nearly", "almost"):
                return (None, n, n)
            return (n, n, n)
    return (None, None, None)


def casualties(text: str) -> tuple[tuple[int | None, int | None, int | None], int | None]:
    """((killed low, best, high), injured) stated in a sentence, from words or digits."""
    killed = _count(KILLED, text)
    _, injured, _ = _count(INJURED, text)
    return killed, injured

__all__ = ["number_value", "casualties"]
