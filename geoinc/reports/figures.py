"""The numbers of a report, as pure functions over the incidents frame of a query.

Headline figures (incidents, fatalities low/best/high, injured, by event type), the reporting period and
the previous period of the same length, the timeline bins, the top areas and the rows of the incidents
table. Nothing here reads a store or draws anything: ``geoinc.reports.build`` does the I/O and
``geoinc.reports.charts`` / ``geoinc.reports.page`` the drawing.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..maps.payload import order_types   # event types in the maps' legend order (ACLED's, others, Unspecified)

# a timeline spanning at most this many days is drawn per day, at most WEEKLY_MAX_DAYS per week, else per month
DAILY_MAX_DAYS = 62
WEEKLY_MAX_DAYS = 2 * 366
# the top-areas chart uses admin1 when at least this share of incidents has one, else the location names
ADMIN1_SHARE = 0.5
TOP_AREAS = 10

VERDICT_ORDER = ("inconsistent", "consistent", "unverifiable")
UNSPECIFIED = "Unspecified"    # the event type of an incident that has none (the maps' name for it too)


def whole(value: Any) -> int | None:
    """A whole number, or None for missing values (None, NaN, pandas NA, empty text)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)     # pandas NA raises TypeError here, "" ValueError
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else int(number)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


# ---------------------------------------------------------------------------------------------- period


@dataclass(frozen=True, slots=True)
class Period:
    """The dates a report covers (inclusive); ``start``/``end`` None when the query leaves that side open."""

    start: date | None
    end: date | None

    @property
    def days(self) -> int | None:
        return (self.end - self.start).days + 1 if self.start and self.end else None

    def previous(self) -> "Period | None":
        """The period of the same length just before this one ('1-31 March' -> '30 January-29 February')."""
        if self.days is None or self.start is None:
            return None
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def words(self) -> str:
        """'1 January 2024 to 31 March 2024 (91 days)', 'since 1 January 2024', 'all dates'."""
        if self.start and self.end:
            if self.start == self.end:
                return day_words(self.start)
            return f"{day_words(self.start)} to {day_words(self.end)} ({self.days} days)"
        if self.start:
            return f"since {day_words(self.start)}"
        if self.end:
            return f"up to {day_words(self.end)}"
        return "all dates"


def day_words(d: date) -> str:
    """3 February 2024 (day, month name, year: unambiguous in every English variant)."""
    return f"{d.day} {d.strftime('%B')} {d.year}"


def report_period(since: str | None, until: str | None, today: date) -> Period:
    """The period of a query: its since/until; an open end is the day the report is made (so a report
    'since 1 March' compares with the same number of days before 1 March). No since: no start."""
    start = date.fromisoformat(since) if since else None
    end = date.fromisoformat(until) if until else (today if start else None)
    if start and end and end < start:   # a since in the future: the period is that one day
        end = start
    return Period(start, end)


# ---------------------------------------------------------------------------------------------- headline


@dataclass(frozen=True, slots=True)
class Figures:
    """Headline figures of a set of incidents."""

    incidents: int
    fatalities: int                 # sum of the best estimates
    fatalities_low: int             # sum of the low ends (the best estimate where no range is known)
    fatalities_high: int
    ranged: int                     # incidents whose low/high range is known and differs from the best estimate
    injured: int                    # sum over incidents whose injured count is known
    injured_known: int
    by_type: tuple[tuple[str, int], ...]   # (event type, incidents), most frequent first, then by name
    unlocated: int = 0              # incidents without coordinates (not on the map)
    killed_by_type: tuple[tuple[str, int], ...] = ()   # (event type, fatalities), same order as by_type

    @property
    def has_range(self) -> bool:
        return self.ranged > 0


def _column(frame: Any, name: str) -> list[Any]:
    if name not in getattr(frame, "columns", ()):
        return [None] * len(frame)
    return frame[name].tolist()


def headline(frame: Any) -> Figures:
    """Counts and sums over the incidents of a query result (a DataFrame from ``geoinc.query``)."""
    best = [whole(v) or 0 for v in _column(frame, "fatalities")]
    low = [whole(v) for v in _column(frame, "fatalities_low")]
    high = [whole(v) for v in _column(frame, "fatalities_high")]
    injured = [whole(v) for v in _column(frame, "injuries")]
    lats = _column(frame, "latitude")
    low_sum = sum(b if lo is None else min(lo, b) for b, lo in zip(best, low))
    high_sum = sum(b if hi is None else max(hi, b) for b, hi in zip(best, high))
    ranged = sum(1 for b, lo, hi in zip(best, low, high) if (lo is not None and lo != b) or (hi is not None and hi != b))
    names = [_text(t) or UNSPECIFIED for t in _column(frame, "event_type")]
    types = Counter(names)
    killed: Counter[str] = Counter()
    for name, b in zip(names, best):
        killed[name] += b
    unlocated = sum(1 for v in lats if v is None or (isinstance(v, float) and math.isnan(v)))
    by_type = tuple(sorted(types.items(), key=lambda kv: (-kv[1], kv[0])))
    return Figures(
        incidents=len(frame), fatalities=sum(best), fatalities_low=low_sum, fatalities_high=high_sum,
        ranged=ranged, injured=sum(i for i in injured if i is not None),
        injured_known=sum(1 for i in injured if i is not None), by_type=by_type, unlocated=unlocated,
        killed_by_type=tuple((name, killed[name]) for name, _ in by_type))


@dataclass(frozen=True, slots=True)
class Change:
    """A figure now and in the previous period: '+3 (+60 %)', '−2 (−50 %)', 'no change', 'new'."""

    now: int
    before: int

    @property
    def delta(self) -> int:
        return self.now - self.before

    def words(self) -> str:
        if self.delta == 0:
            return "no change"
        sign = "+" if self.delta > 0 else "\u2212"
        if self.before == 0:
            return f"{sign}{abs(self.delta)} (none before)"
        pct = round(100 * abs(self.delta) / self.before)
        return f"{sign}{abs(self.delta)} ({sign}{pct} %)"

    @property
    def direction(self) -> str:
        return "up" if self.delta > 0 else "down" if self.delta < 0 else "same"


def changes(now: Figures, before: Figures) -> dict[str, Change]:
    """The change of each headline figure, and of each event type present in either period."""
    out = {"incidents": Change(now.incidents, before.incidents),
           "fatalities": Change(now.fatalities, before.fatalities),
           "injured": Change(now.injured, before.injured)}
    prev = dict(before.by_type)
    cur = dict(now.by_type)
    for name in list(cur) + [n for n in prev if n not in cur]:
        out[f"type:{name}"] = Change(cur.get(name, 0), prev.get(name, 0))
    return out


# ---------------------------------------------------------------------------------------------- timeline


@dataclass(frozen=True, slots=True)
class Timeline:
    """Incidents per bin by event type and fatalities per bin; ``unit`` is day, week or month."""

    unit: str
    starts: tuple[date, ...]                       # first day of each bin
    counts: dict[str, tuple[int, ...]]             # event type -> incidents per bin
    fatalities: tuple[int, ...]
    undated: int = 0


def timeline_unit(first: date, last: date) -> str:
    """day for up to two months, week for up to two years, else month."""
    span = (last - first).days + 1
    return "day" if span <= DAILY_MAX_DAYS else "week" if span <= WEEKLY_MAX_DAYS else "month"


def bin_start(d: date, unit: str) -> date:
    """The first day of the bin holding ``d``: the day, the Monday of its ISO week, or the 1st of its month."""
    if unit == "week":
        return d - timedelta(days=d.weekday())
    if unit == "month":
        return d.replace(day=1)
    return d


def _next_bin(d: date, unit: str) -> date:
    if unit == "day":
        return d + timedelta(days=1)
    if unit == "week":
        return d + timedelta(days=7)
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def timeline(frame: Any, period: Period) -> Timeline:
    """Every bin of the period (empty ones too, so gaps show), from its first to its last incident when open."""
    days = [_day(v) for v in _column(frame, "event_date")]
    types = [_text(t) or UNSPECIFIED for t in _column(frame, "event_type")]
    killed = [whole(v) or 0 for v in _column(frame, "fatalities")]
    dated = [d for d in days if d is not None]
    first = period.start or (min(dated) if dated else None)
    last = period.end or (max(dated) if dated else None)
    if first is None or last is None:
        return Timeline("day", (), {}, (), undated=len(days))
    if dated:   # a window wider than its incidents still shows them all
        first, last = min(first, min(dated)), max(last, max(dated))
    unit = timeline_unit(first, last)
    starts: list[date] = []
    d = bin_start(first, unit)
    while d <= last:
        starts.append(d)
        d = _next_bin(d, unit)
    index = {s: i for i, s in enumerate(starts)}
    counts = {name: [0] * len(starts) for name in order_types(types)}
    fatal = [0] * len(starts)
    undated = 0
    for day, t, k in zip(days, types, killed):
        if day is None:
            undated += 1
            continue
        i = index[bin_start(day, unit)]
        counts[t][i] += 1
        fatal[i] += k
    return Timeline(unit, tuple(starts), {k: tuple(v) for k, v in counts.items()}, tuple(fatal), undated)


# ---------------------------------------------------------------------------------------------- top areas


@dataclass(frozen=True, slots=True)
class Areas:
    """The areas with most incidents: ``level`` is 'admin1' or 'location'."""

    level: str
    rows: tuple[tuple[str, int, int], ...]   # (name, incidents, fatalities), most incidents first
    others: int = 0                           # incidents in areas not shown


def top_areas(frame: Any, n: int = TOP_AREAS) -> Areas:
    """Top ``n`` first-level areas by incidents, or top locations when most incidents have no admin1."""
    admin1 = [_text(v) for v in _column(frame, "admin1")]
    use_admin1 = len(frame) > 0 and sum(1 for a in admin1 if a) >= ADMIN1_SHARE * len(frame)
    if use_admin1:
        country = [_text(v) for v in _column(frame, "country")]
        several = len({c for c in country if c}) > 1
        names = [(f"{a}, {c}" if several and c else a) or "(no admin1)" for a, c in zip(admin1, country)]
    else:
        names = [_text(v) or "(no location)" for v in _column(frame, "location")]
    killed = [whole(v) or 0 for v in _column(frame, "fatalities")]
    count: Counter[str] = Counter(names)
    fatal: Counter[str] = Counter()
    for name, k in zip(names, killed):
        fatal[name] += k
    ranked = sorted(count.items(), key=lambda kv: (-kv[1], -fatal[kv[0]], kv[0]))
    shown = tuple((name, c, fatal[name]) for name, c in ranked[:n])
    return Areas("admin1" if use_admin1 else "location", shown, sum(c for _, c in ranked[n:]))


# ---------------------------------------------------------------------------------------------- table


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One source of an incident as the table shows it (the URL only when it is a plain http(s) link)."""

    title: str
    url: str | None
    published: str
    quote: str


@dataclass(frozen=True, slots=True)
class IncidentRow:
    """One line of the incidents table."""

    id: str
    date: str
    date_range: str                 # "2024-01-23 to 2024-01-29" when the date is only known to a range
    event_type: str
    sub_event_type: str
    location: str
    country: str
    admin1: str
    precision: int | None
    confidence: float | None        # how sure the place is (0..1), when known
    actors: tuple[str, ...]
    killed: str                     # "10 (1–10)" with the range when known
    injured: str
    status: str
    sources: tuple[SourceRow, ...] = field(default_factory=tuple)


def parse_sources(value: Any) -> list[dict[str, Any]]:
    """The sources of a frame row (JSON text in the store, or a list) as dicts; anything else is no source."""
    if isinstance(value, str):
        try:
            value = json.loads(value or "[]")
        except json.JSONDecodeError:
            return []
    if not isinstance(value, list):
        return []
    return [s for s in value if isinstance(s, dict)]


def _killed(best: int | None, low: int | None, high: int | None) -> str:
    b = best or 0
    lo = b if low is None else low
    hi = b if high is None else high
    return f"{b} ({lo}\u2013{hi})" if (lo, hi) != (b, b) else str(b)


_ROW_COLUMNS = ("event_id_cnty", "event_date", "date_start", "date_end", "event_type", "sub_event_type", "location",
                "country", "admin1", "geo_precision", "location_confidence", "actor1", "actor2", "assoc_actor_1",
                "assoc_actor_2", "fatalities", "fatalities_low", "fatalities_high", "injuries", "status", "sources")


def _confidence(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if 0.0 <= number <= 1.0 else None


def incident_rows(frame: Any, safe_url: Any) -> list[IncidentRow]:
    """The rows of the incidents table, sorted by date (undated last), then as the query returned them.

    ``safe_url`` turns a source URL into a link target or None (the maps' own check: http(s) only).
    The frame is read column by column (a 10,000-row frame in a fraction of a second).
    """
    cols = {name: _column(frame, name) for name in _ROW_COLUMNS}
    rows = []
    for i in range(len(frame)):
        rec = {name: values[i] for name, values in cols.items()}
        start, end = _text(rec["date_start"]), _text(rec["date_end"])
        sources = tuple(
            SourceRow(title=_text(s.get("title")) or _text(s.get("article")), url=safe_url(s.get("url")),
                      published=_text(s.get("published")), quote=_text(s.get("quote")))
            for s in parse_sources(rec["sources"]))
        injured = whole(rec["injuries"])
        rows.append(IncidentRow(
            id=_text(rec["event_id_cnty"]), date=_text(rec["event_date"]),
            date_range=f"{start} to {end}" if start and end and start != end else "",
            event_type=_text(rec["event_type"]) or UNSPECIFIED, sub_event_type=_text(rec["sub_event_type"]),
            location=_text(rec["location"]), country=_text(rec["country"]), admin1=_text(rec["admin1"]),
            precision=whole(rec["geo_precision"]), confidence=_confidence(rec["location_confidence"]),
            actors=tuple(a for a in (_text(rec[k]) for k in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")) if a),
            killed=_killed(whole(rec["fatalities"]), whole(rec["fatalities_low"]), whole(rec["fatalities_high"])),
            injured="" if injured is None else str(injured), status=_text(rec["status"]), sources=sources))
    order = sorted(range(len(rows)), key=lambda i: (rows[i].date == "", rows[i].date, i))
    return [rows[i] for i in order]


# ---------------------------------------------------------------------------------------------- claims


def order_claims(claims: Iterable[Any]) -> list[Any]:
    """Inconsistent claims first, then consistent, then unverifiable; within each, as found."""
    indexed = list(enumerate(claims))
    rank = {v: i for i, v in enumerate(VERDICT_ORDER)}
    indexed.sort(key=lambda ic: (rank.get(getattr(ic[1], "verdict", ""), len(rank)), ic[0]))
    return [c for _, c in indexed]


def verdict_counts(claims: Sequence[Any]) -> dict[str, int]:
    counts = Counter(getattr(c, "verdict", "") for c in claims)
    return {v: counts[v] for v in VERDICT_ORDER}


__all__ = ["Period", "report_period", "day_words", "Figures", "headline", "Change", "changes", "Timeline",
           "timeline", "timeline_unit", "bin_start", "whole", "Areas", "top_areas", "SourceRow",
           "IncidentRow", "incident_rows", "parse_sources", "order_claims", "verdict_counts"]
