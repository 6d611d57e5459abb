"""Dates in news text, resolved against the article's publication date (pure: no I/O, no clock).

"on Sunday at dawn" in an article of Monday 29 January 2024 is 2024-01-28; "yesterday" is the day before
publication; "last week" the previous Monday..Sunday; "since mid-October" the interval from 15 October to
publication, with month precision. Explicit dates ("28 January", "Jan. 28, 2024", "2024-01-28") without a
year take the publication year, or the year before when that would put them well after publication.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..text import parse_number
from .gate import Scanner, _odd_chars, folds_specially, literal_gate, lowered, split_words

PRECISIONS = ("day", "week", "month", "year")
# ACLED time_precision: 1 = day, 2 = week (or a few days), 3 = month or longer
ACLED_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}


_MONTH = r"(?P<month>" + "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True)) + r")\.?"
_MONTH2 = _MONTH.replace("?P<month>", "?P<month2>")
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PART = r"(?P<part>early|mid|middle of|late|end of|the end of|beginning of|the beginning of|start of|the start of)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("since_part_month", re.compile(rf"\b(?P<since>since|from)\s+{_PART}[\s-]+{_MONTH}(?:\s+{_YEAR})?\b", re.I)),
    ("since_day_month", re.compile(rf"\b(?P<since>since|from)\s+(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?\b", re.I)),
    ("since_month_day", re.compile(rf"\b(?P<since>since|from)\s+{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b", re.I)),
    ("since_month", re.compile(rf"\b(?P<since>since|from)\s+{_MONTH}(?:\s+{_YEAR})?\b", re.I)),
    ("day_month", re.compile(rf"\b(?:{_WEEKDAY},?\s+)?(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?\b", re.I)),
    ("month_day", re.compile(rf"\b(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}(?!\d)(?:,?\s+{_YEAR})?\b", re.I)),
    ("part_month", re.compile(rf"\b(?:in\s+)?{_PART}[\s-]+{_MONTH}(?:\s+{_YEAR})?\b", re.I)),
    ("month_year", re.compile(rf"\b(?:in\s+){_MONTH}(?:\s+{_YEAR})?\b", re.I)),
    ("days_ago", re.compile(r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|a couple of|a few|"
                            r"several)\s+(?P<unit>days?|weeks?)\s+(?P<dir>ago|earlier|before)\b", re.I)),
    ("yesterday", re.compile(r"\b(?:the day before yesterday|the day before|the previous day|the day earlier|"
                             r"yesterday|last night|overnight)\b", re.I)),
    ("today", re.compile(r"\b(?:today|this morning|this afternoon|this evening|tonight|earlier today)\b", re.I)),
    ("last_period", re.compile(r"\b(?P<which>last|this|past|previous)\s+(?P<unit>week|weekend|month|year)\b", re.I)),
    ("weekday", re.compile(rf"\b(?:(?P<rel>last|this|next|on|on the night of|late on|early on|by)\s+)?"
                           rf"{_WEEKDAY}(?:\s+(?P<tod>morning|afternoon|evening|night|at dawn|at night))?\b", re.I)),
]


# the words one of which each pattern needs ("<digit>", "<month>", "<weekday>" stand for any such word)
_WORDS = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"\d")
_NEEDS: dict[str, frozenset[str]] = {
    "iso": frozenset({"<digit>"}),
    "since_part_month": frozenset({"<month>"}), "since_day_month": frozenset({"<month>"}),
    "since_month_day": frozenset({"<month>"}), "since_month": frozenset({"<month>"}),
    "day_month": frozenset({"<month>"}), "month_day": frozenset({"<month>"}), "part_month": frozenset({"<month>"}),
    "month_year": frozenset({"<month>"}),
    "days_ago": frozenset({"ago", "earlier", "before"}),
    "yesterday": frozenset({"yesterday", "before", "previous", "earlier", "night", "overnight"}),
    "today": frozenset({"today", "morning", "afternoon", "evening", "tonight"}),
    "last_period": frozenset({"week", "weekend", "month", "year"}),
    "weekday": frozenset({"<weekday>"}),
}
# further words a pattern needs besides one of _NEEDS (each set: one of its words), so that a sentence naming a
# month runs only the month patterns it can match ("since" or "from" before "since mid-October", a digit before
# "28 January", "in" before "in October"); checked only where no letter folds specially (gate.folds_specially)
_SINCE = frozenset({"since", "from"})
_PART_WORDS = frozenset({"early", "mid", "middle", "late", "end", "beginning", "start"})
_ALSO_NEEDS: dict[str, tuple[frozenset[str], ...]] = {
    "since_part_month": (_SINCE, _PART_WORDS), "since_day_month": (_SINCE, frozenset({"<digit>"})),
    "since_month_day": (_SINCE, frozenset({"<digit>"})), "since_month": (_SINCE,),
    "day_month": (frozenset({"<digit>"}),), "month_day": (frozenset({"<digit>"}),), "part_month": (_PART_WORDS,),
    "month_year": (frozenset({"in"}),), "days_ago": (frozenset({"day", "days", "week", "weeks"}),),
    "last_period": (frozenset({"last", "this", "past", "previous"}),),
}


# the patterns run by their words (gate.Scanner): each tried only where a word starts as it must start ("since",
# a month, a weekday, "last", ...), not at every position of the sentence; "day_month" (a day number first) runs
# as a whole
_SCANNER = Scanner([p for _, p in _PATTERNS], [literal_gate(p.pattern) for _, p in _PATTERNS])


@dataclass(frozen=True, slots=True)
class DateRef:
    """A date expression found in text: its offsets, and the interval it means with that interval's precision."""

    start: int
    end: int
    text: str
    date_start: date
    date_end: date
    precision: str              # day | week | month | year
    kind: str                   # which pattern matched (explicit, weekday, since, ...)

    @property
    def best(self) -> date:
        """The single date ACLED's event_date takes: the day itself, or the interval's start for ranges."""
        return self.date_start

    @property
    def is_interval(self) -> bool:
        return self.date_start != self.date_end


def _month_year(month: int, year: int | None, published: date) -> int:
    """The year of a month named without one: the publication year unless that is after publication."""
    if year:
        return year
    return published.year if month <= published.month else published.year - 1


def _day_year(month: int, day: int, year: int | None, published: date) -> int:
    if year:
        return year
    try:
        candidate = date(published.year, month, day)
    except ValueError:
        return published.year
    # a date more than a week after publication is from the previous year ("28 December" in January)
    return published.year - 1 if candidate > published + timedelta(days=7) else published.year


def _part_interval(part: str, month: int, year: int) -> tuple[date, date]:
    last = calendar.monthrange(year, month)[1]
    part = part.lower()
    if part.startswith("early") or "beginning" in part or "start" in part:
        return date(year, month, 1), date(year, month, 10)
    if part.startswith("mid") or "middle" in part:
        return date(year, month, 11), date(year, month, 20)
    return date(year, month, 21), date(year, month, last)


def _weekday_before(published: date, weekday: int, rel: str) -> tuple[date, str]:
    """The date of a weekday named in an article: the latest such day on or before publication."""
    delta = (published.weekday() - weekday) % 7
    if rel == "next":
        ahead = (weekday - published.weekday()) % 7 or 7
        return published + timedelta(days=ahead), "day"
    if rel == "last" and delta == 0:
        delta = 7
    return published - timedelta(days=delta), "day"


def _resolve(kind: str, m: re.Match[str], published: date) -> tuple[date, date, str] | None:
    g = m.groupdict()
    year = int(g["year"]) if g.get("year") else None
    # 0 when no month is named: only the kinds that name one read it (date() would refuse 0: not a date)
    month = MONTHS.get((g.get("month") or "").lower().rstrip("."), 0)
    try:
        if kind == "iso":
            d = date(int(g["year"]), int(g["m"]), int(g["d"]))
            return d, d, "day"
        if kind in ("day_month", "month_day"):
            day = int(g["day"])
            y = _day_year(month, day, year, published)
            d = date(y, month, day)
            return d, d, "day"
        if kind == "since_day_month" or kind == "since_month_day":
            day = int(g["day"])
            d = date(_day_year(month, day, year, published), month, day)
            return d, max(d, published), "day" if d >= published else "month"
        if kind == "since_part_month":
            y = _month_year(month, year, published)
            start, _ = _part_interval(g["part"], month, y)
            return start, max(start, published), "month"
        if kind == "since_month":
            y = _month_year(month, year, published)
            start = date(y, month, 1)
            return start, max(start, published), "month"
        if kind == "part_month":
            y = _month_year(month, year, published)
            start, end = _part_interval(g["part"], month, y)
            return start, end, "month"
        if kind == "month_year":
            y = _month_year(month, year, published)
            return date(y, month, 1), date(y, month, calendar.monthrange(y, month)[1]), "month"
    except ValueError:
        return None  # "31 February" and the like: not a date
    if kind == "days_ago":
        n_text = g["n"].lower()
        n = int(n_text) if n_text.isdigit() else int(parse_number(n_text) or 1)
        days = n * (7 if g["unit"].lower().startswith("week") else 1)
        d = published - timedelta(days=days)
        return d, d, "day" if g["unit"].lower().startswith("day") else "week"
    if kind == "yesterday":
        text = m.group(0).lower()
        back = 2 if text == "the day before yesterday" else 1
        if text == "overnight":
            back = 0
        d = published - timedelta(days=back)
        return d, d, "day"
    if kind == "today":
        return published, published, "day"
    if kind == "last_period":
        which, unit = g["which"].lower(), g["unit"].lower()
        monday = published - timedelta(days=published.weekday())
        if unit == "week":
            if which in ("last", "previous"):
                return monday - timedelta(days=7), monday - timedelta(days=1), "week"
            if which == "past":
                return published - timedelta(days=7), published, "week"
            return monday, published, "week"
        if unit == "weekend":
            sat = monday - timedelta(days=2)
            if which == "this" and published.weekday() >= 5:
                sat = monday + timedelta(days=5)
            return sat, sat + timedelta(days=1), "week"
        if unit == "month":
            if which in ("last", "previous"):
                end = published.replace(day=1) - timedelta(days=1)
                return end.replace(day=1), end, "month"
            if which == "past":
                return published - timedelta(days=30), published, "month"
            return published.replace(day=1), published, "month"
        if which in ("last", "previous"):
            return date(published.year - 1, 1, 1), date(published.year - 1, 12, 31), "year"
        if which == "past":
            return published - timedelta(days=365), published, "year"
        return date(published.year, 1, 1), published, "year"
    if kind == "weekday":
        rel = (g.get("rel") or "").lower()
        d, precision = _weekday_before(published, WEEKDAYS[g["weekday"].lower()], rel)
        return d, d, precision
    return None


# every word the pre-checks of find_dates read (_NEEDS, _ALSO_NEEDS, the months and weekdays): the others are not kept
_VOCABULARY = frozenset(w for need in _NEEDS.values() for w in need) | frozenset(
    w for sets in _ALSO_NEEDS.values() for need in sets for w in need) | frozenset(MONTHS) | frozenset(WEEKDAYS)
_KNOWN_WORDS: dict[str, tuple[str, ...]] = {}     # an ASCII word as written -> what _needed_words reads off it
_MAX_KNOWN = 200_000          # distinct words remembered (a bound on memory, not on correctness)
# the rows whose _NEEDS hold a word, by word; the sets of _ALSO_NEEDS by row
_ROWS_NEEDING: dict[str, tuple[int, ...]] = {
    w: tuple(r for r, (kind, _) in enumerate(_PATTERNS) if w in _NEEDS[kind]) for w in _VOCABULARY}
_ALSO_BY_ROW: list[tuple[frozenset[str], ...]] = [_ALSO_NEEDS.get(kind, ()) for kind, _ in _PATTERNS]


def _read_word(word: str) -> tuple[str, ...]:
    """What the pre-checks read off one ASCII word: its letter runs, lower-cased, that :data:`_VOCABULARY` holds
    ("mid", "october" of "mid-October" are two words; "3rd" has none), with "<digit>" for a word holding a digit and
    "<month>"/"<weekday>" for a month's or weekday's name."""
    runs = [r for r in _WORDS.findall(word.lower()) if r in _VOCABULARY]
    marks = ["<digit>"] if not word.isalpha() else []
    if any(r in MONTHS for r in runs):
        marks.append("<month>")
    if any(r in WEEKDAYS for r in runs):
        marks.append("<weekday>")
    return tuple(runs + marks)


def _needed_words(text: str) -> set[str]:
    """The words of ``text`` the pre-checks read: its runs of letters a-z lower-cased that :data:`_VOCABULARY` holds,
    "<digit>" when it holds a digit (``\\d``), "<month>"/"<weekday>" when it names one. Read off the words the
    trigger table split the sentence into (gate.split_words: runs of ASCII letters and digits), each distinct word
    once, instead of scans of their own; a digit of another script lies between them (gate._odd_chars tells). Only
    two letters lower to ASCII ones, "\u0130" and the Kelvin sign (both gate.folds_specially): a text holding one
    is read the long way."""
    if folds_specially(text):
        words = {w for w in _WORDS.findall(lowered(text)) if w in _VOCABULARY}
        if _DIGIT.search(text):
            words.add("<digit>")
        if not words.isdisjoint(MONTHS):
            words.add("<month>")
        if not words.isdisjoint(WEEKDAYS):
            words.add("<weekday>")
        return words
    found: set[str] = set()
    table = _KNOWN_WORDS          # (a local: a module global is looked up at each use in compiled code)
    for w in split_words(text):
        if not w:
            continue
        known = table.get(w)
        if known is None:
            known = _read_word(w)
            if len(table) < _MAX_KNOWN:
                table[w] = known
        if known:
            found.update(known)
    if "<digit>" not in found and _odd_chars(text) and _DIGIT.search(text):
        found.add("<digit>")          # ("\u0663 days ago": a digit \d matches that is no ASCII digit)
    return found


def find_dates(text: str, published: date | str | None) -> list[DateRef]:
    """Every date expression in ``text`` resolved against ``published``, in text order, non-overlapping.

    Without a publication date only absolute dates (with a year) are returned.
    """
    if isinstance(published, str):
        published = date.fromisoformat(published)
    taken: list[tuple[int, int]] = []
    found: list[DateRef] = []
    words = _needed_words(text)
    plain = not folds_specially(text)
    rows: set[int] = set()
    for w in words:
        # a cheap pre-check: a pattern cannot match without one of the words of its _NEEDS
        for row in _ROWS_NEEDING.get(w, ()):
            if row in rows:
                continue
            if plain and any(words.isdisjoint(need) for need in _ALSO_BY_ROW[row]):
                continue          # nor without one word of each of these sets
            rows.add(row)
    if not rows:
        return found
    for row, m in _SCANNER.scan(text, rows):       # the patterns in turn, each one's matches in text order
        kind = _PATTERNS[row][0]
        s, e = m.span()
        if any(s < te and ts < e for ts, te in taken):
            continue
        if published is None:
            if kind not in ("iso", "day_month", "month_day") or not m.groupdict().get("year"):
                continue
            ref_pub = date(int(m.group("year")), 12, 31)
        else:
            ref_pub = published
        if kind == "month_year" and not m.group(0).lower().startswith("in"):
            continue
        resolved = _resolve(kind, m, ref_pub)
        if resolved is None:
            continue
        start, end, precision = resolved
        taken.append((s, e))
        found.append(DateRef(s, e, m.group(0), start, end, precision, kind))
    found.sort(key=lambda r: r.start)
    return found


def resolve_date(expression: str, published: date | str) -> DateRef | None:
    """The first date expression in ``expression`` resolved against ``published``, or None."""
    refs = find_dates(expression, published)
    return refs[0] if refs else None


def is_reporting_date(text: str, ref: DateRef) -> bool:
    """True when a date only says when something was SAID ("a US official said Friday", "said on Monday").

    Such dates date the statement, not the incident, and extraction ignores them for the event date.
    """
    before = text[max(0, ref.start - 40):ref.start].lower()
    after = text[ref.end:ref.end + 30].lower()
    if _SAID_BEFORE.search(before) or _SAID_ON_BEFORE.search(before):
        return True
    return bool(_SAID_AFTER.match(after)) and not _SINCE_BEFORE.search(before)


_SAID = r"(said|says|told|announced|stated|reported|added|claimed|confirmed|denied|condemned|promised|warned|" \
        r"declared|wrote|tweeted|posted)"
_SAID_BEFORE = re.compile(rf"\b{_SAID}\s*(?:\w+\s+){{0,3}}$")
_SAID_ON_BEFORE = re.compile(rf"\b{_SAID}\s+(?:on\s+)?$")
_SAID_AFTER = re.compile(rf"^[\s,]*(?:that\s+)?\b{_SAID}\b")
_SINCE_BEFORE = re.compile(r"\b(since|from)\s*$")


__all__ = ["DateRef", "find_dates", "resolve_date", "is_reporting_date", "ACLED_TIME_PRECISION", "PRECISIONS"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.incidents.dates":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
