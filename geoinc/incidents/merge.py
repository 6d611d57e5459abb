"""When two reports describe the same incident, and how their reports combine into one record (pure).

Two reports merge when they have the same event type, lie within a few km of each other (or name the same
place when neither has coordinates), have date intervals at most ``days`` apart, and name compatible
actors. ``merge_reason`` returns the explanation shown by ``geoinc incidents show``; ``combine_reports``
rebuilds the merged incident from all of its reports, so removing one (``split``) is exact.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from ..geodesy import geodesic_km
from ..models import Incident, Source
from .record import describe
from .taxonomy import interaction

MERGE_RADIUS_KM = 10.0
MERGE_DAYS = 2

_STATUS_RANK = {"confirmed": 3, "denied": 2, "claimed": 1, "reported": 0}
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
_GENERIC_ACTOR = re.compile(r"\b(unidentified|unknown|militia|militias|militants?|armed groups?|groups?|"
                            r"fighters|pro-|backed|forces)\b", re.I)
_STOP = {"the", "of", "in", "and", "for", "group", "groups", "forces", "armed", "military"}


def _interval(inc: Incident) -> tuple[date, date] | None:
    if not inc.event_date:
        return None
    start = date.fromisoformat(inc.date_start or inc.event_date)
    end = date.fromisoformat(inc.date_end or inc.event_date)
    return (min(start, end), max(start, end))


def date_gap_days(a: Incident, b: Incident) -> int | None:
    """Days between two incidents' date intervals (0 when they overlap); None when either has no date."""
    ia, ib = _interval(a), _interval(b)
    if ia is None or ib is None:
        return None
    if ia[1] < ib[0]:
        return (ib[0] - ia[1]).days
    if ib[1] < ia[0]:
        return (ia[0] - ib[1]).days
    return 0


def _tokens(actor: str) -> set[str]:
    return {t for t in re.findall(r"[a-z0-9]+", actor.lower()) if t not in _STOP and len(t) > 2}


def actors_compatible(a: Incident, b: Incident) -> tuple[bool, str]:
    """Whether the perpetrators can be the same: unnamed/generic on either side, or shared name words."""
    names_a = [x for x in (a.actor1, a.assoc_actor_1) if x]
    names_b = [x for x in (b.actor1, b.assoc_actor_1) if x]
    if not names_a or not names_b:
        return True, "perpetrator not named in one report"
    toks_a = set().union(*(_tokens(x) for x in names_a))
    toks_b = set().union(*(_tokens(x) for x in names_b))
    if toks_a & toks_b:
        return True, f"actors share {', '.join(sorted(toks_a & toks_b))!s}"
    if any(_GENERIC_ACTOR.search(x) for x in names_a + names_b):
        return True, f"actors compatible ({a.actor1 or a.assoc_actor_1} / {b.actor1 or b.assoc_actor_1})"
    return False, f"different actors ({a.actor1} / {b.actor1})"


def _place_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def merge_reason(report: Incident, candidate: Incident, *, radius_km: float = MERGE_RADIUS_KM,
                 days: int = MERGE_DAYS) -> str | None:
    """Why ``report`` is the same incident as ``candidate``, or None when it is not."""
    if report.event_type != candidate.event_type:
        return None
    parts = [f"same event type ({report.event_type})"]
    if report.latitude is not None and candidate.latitude is not None:
        km = geodesic_km(report.latitude, report.longitude, candidate.latitude, candidate.longitude)  # type: ignore[arg-type]
        if km > radius_km:
            return None
        where = f"{km:.1f} km apart"
        if report.location and candidate.location:
            where += f" ({report.location} / {candidate.location})"
        parts.append(where)
    elif report.location and _place_key(report.location) == _place_key(candidate.location):
        parts.append(f"same place name ({report.location})")
    else:
        return None
    gap = date_gap_days(report, candidate)
    if gap is None or gap > days:
        return None
    da = _fmt_dates(report)
    db = _fmt_dates(candidate)
    parts.append(f"dates {da} and {db} " + ("overlap" if gap == 0 else f"{gap} day(s) apart"))
    ok, why = actors_compatible(report, candidate)
    if not ok:
        return None
    parts.append(why)
    return "; ".join(parts)


def _fmt_dates(inc: Incident) -> str:
    if inc.date_start and inc.date_end and inc.date_start != inc.date_end:
        return f"{inc.date_start}..{inc.date_end}"
    return inc.event_date


def _pick_count(reports: Sequence[Incident], best_attr: str, low_attr: str | None,
                high_attr: str | None) -> tuple[int | None, int | None, int | None]:
    """(low, best, high) over the reports that state a count; best = the latest published report's."""
    stated = [r for r in reports if getattr(r, best_attr) is not None]
    if not stated:
        return None, None, None
    latest = max(stated, key=lambda r: (_published(r), getattr(r, best_attr)))
    best = getattr(latest, best_attr)
    lows = [getattr(r, low_attr) if low_attr and getattr(r, low_attr) is not None else getattr(r, best_attr)
            for r in stated]
    highs = [getattr(r, high_attr) if high_attr and getattr(r, high_attr) is not None else getattr(r, best_attr)
             for r in stated]
    return min(lows), best, max(highs)


def _published(inc: Incident) -> str:
    return max((s.published or "" for s in inc.sources), default="")


def combine_reports(reports: Sequence[Incident]) -> Incident:
    """One incident from several reports of it: the most precise place and date, all sources, count ranges.

    Place: the report with the best ACLED geo_precision (then the first). Date: the narrowest interval.
    Fatalities and injuries: best = the latest published report that states one; low/high = the range
    over reports. Status: confirmed > denied > claimed > reported. Actors: named groups beat generic ones.
    """
    if not reports:
        raise ValueError("combine_reports needs at least one report")
    first = reports[0]
    if len(reports) == 1:
        return replace(first, sources=list(first.sources))
    by_place = min(reports, key=lambda r: (r.latitude is None, r.geo_precision))
    by_date = min(reports, key=lambda r: (not r.event_date, _PRECISION_RANK.get(r.date_precision, 9),
                                          _span(r)))
    merged = replace(first, sources=[])
    for name in ("location", "latitude", "longitude", "geo_precision", "place_id", "country_code", "iso",
                 "region", "country", "admin1", "admin2", "admin3"):
        setattr(merged, name, getattr(by_place, name))
    for name in ("event_date", "year", "time_precision", "date_start", "date_end", "date_precision"):
        setattr(merged, name, getattr(by_date, name))
    subs = [r.sub_event_type for r in reports if r.sub_event_type and r.sub_event_type != "Other"]
    if subs:
        merged.sub_event_type = max(subs, key=subs.count)
    for slot in ("actor1", "actor2"):
        named = [r for r in reports if getattr(r, slot)]
        if named:
            pick = min(named, key=lambda r: bool(_GENERIC_ACTOR.search(getattr(r, slot))))
            setattr(merged, slot, getattr(pick, slot))
            assoc = "assoc_actor_1" if slot == "actor1" else "assoc_actor_2"
            inter = "inter1" if slot == "actor1" else "inter2"
            setattr(merged, inter, getattr(pick, inter))
            assocs: list[str] = []
            for r in reports:
                for a in [getattr(r, slot), *(getattr(r, assoc) or "").split("; ")]:
                    if a and a not in assocs and a != getattr(merged, slot):
                        assocs.append(a)
            setattr(merged, assoc, "; ".join(assocs))
    if merged.inter1 or merged.inter2:
        merged.interaction = interaction(merged.inter1, merged.inter2)
    merged.civilian_targeting = next((r.civilian_targeting for r in reports if r.civilian_targeting), "")
    low, best, high = _pick_count(reports, "fatalities_best", "fatalities_low", "fatalities_high")
    merged.fatalities_low, merged.fatalities_best, merged.fatalities_high = low, best, high
    merged.fatalities = best or 0
    _, inj, _ = _pick_count(reports, "injuries", None, None)
    merged.injuries = inj
    merged.status = max((r.status for r in reports), key=lambda s: _STATUS_RANK.get(s, 0))
    seen: set[tuple[str, int | None]] = set()
    sources: list[Source] = []
    for r in reports:
        for s in r.sources:
            if (s.article, s.start) not in seen:
                seen.add((s.article, s.start))
                sources.append(s)
    merged.sources = sources
    names: list[str] = []
    for r in reports:
        for n in (r.source or "").split("; "):
            if n and n not in names:
                names.append(n)
    merged.source = "; ".join(names)
    merged.source_scale = next((r.source_scale for r in reports if r.source_scale), "")
    # tags about the date belong to the report whose date was taken; other tags are pooled
    tags = [t for t in (by_date.tags or "").split("; ") if t]
    tags += [t for r in reports for t in (r.tags or "").split("; ") if t and not t.startswith("date ")]
    merged.tags = "; ".join(dict.fromkeys(tags))
    merged.notes = describe(merged)
    merged.timestamp = max(r.timestamp for r in reports)
    return merged


def _span(inc: Incident) -> int:
    iv = _interval(inc)
    return (iv[1] - iv[0]).days if iv else 10**6


__all__ = ["merge_reason", "combine_reports", "actors_compatible", "date_gap_days", "MERGE_RADIUS_KM",
           "MERGE_DAYS"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.incidents.merge":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
