"""Checking distance and direction claims against real geometry: ``check_distances(text) -> list[Claim]``.

Claims are found by :mod:`geoinc.claims.parse` (pure parsing); here their ends are resolved (the geoparser's
mentions first, then a name lookup; an end the claim leaves out is the place the passage is about),
measured, and judged:

- point to point: geodesic distance and initial bearing on the WGS84 ellipsoid (pyproj.Geod);
- point to border: the shortest distance to the relevant boundary *line*, found in a local azimuthal
  equidistant projection centred on the point (:class:`geoinc.boundaries.BorderLine`). The relevant
  line for "the Iraqi border" seen from a point in Jordan is the Jordan–Iraq land border when the two
  touch, else Iraq's whole boundary; "the Jordan–Syria border" is the shared line; "the border" alone
  is the land borders of the point's own country;
- direction: the initial bearing compared with the stated compass sector, ±45° for the eight main
  points (N, NE, …) and ±22.5° for the 16-point names (NNW, …) — reporters round to the main points.

Tolerance (see :class:`Tolerance`): a measured value agrees with a stated one when they differ by at most
``max(absolute_km, relative × stated)`` — 2 km or 20 % by default: the absolute part covers the
precision of a gazetteer point (a base, a town's centre) and of 1:10m borders, the relative part the
rounding reporters do. Qualifiers bend the band: "about/some/around/roughly" widen it 1.5×; "at
least/more than/over" only bound from below; "within/less than/under/up to" only from above;
"nearly/almost" allow the wide band below and the plain band above; "only/just" ("not much more")
keep the plain band; a range "10 to 15 km" accepts anything in the range ± the tolerance.
"""
from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .. import boundaries
from .parse import BorderRef, End, RawClaim, find_claims, find_names
from ..errors import InputError
from ..geodesy import compass_name, in_sector, inverse, sector_half_width
from ..models import Claim, Mention, Place
from ..text import fold, sentence_spans

# kinds too broad to measure from as a point
BROAD_KINDS = {"country", "continent", "region", "admin1", "water"}


@dataclass(frozen=True, slots=True)
class Tolerance:
    """How far a measured value may be from a stated one and still agree; all configurable.

    ``km(stated)`` is ``max(absolute_km, relative × stated)``. ``about_factor`` widens the band for
    "about"-like qualifiers; ``direction_deg`` is the half-width of a main compass sector (16-point
    names get half of it); below ``min_direction_km`` no direction is checked; parenthetical
    conversions agree when they differ by at most ``conversion_relative`` of the larger, or by the
    rounding of the coarser number.
    """

    relative: float = 0.20
    absolute_km: float = 2.0
    about_factor: float = 1.5
    direction_deg: float = 45.0
    min_direction_km: float = 1.0
    conversion_relative: float = 0.10

    def __post_init__(self) -> None:
        for name in ("relative", "absolute_km", "about_factor", "direction_deg", "min_direction_km", "conversion_relative"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or value < 0 or value != value:
                raise InputError(f"tolerance {name} must be a number >= 0, not {value!r}")
        if self.direction_deg > 180:
            raise InputError(f"tolerance direction_deg must be at most 180, not {self.direction_deg}")

    def km(self, stated_km: float) -> float:
        return max(self.absolute_km, self.relative * abs(stated_km))


DEFAULT_TOLERANCE = Tolerance()


@dataclass(frozen=True, slots=True)
class Located:
    """A resolved end: a point with a name, or a country standing for its border."""

    name: str
    lat: float | None
    lon: float | None
    kind: str | None = None
    country_code: str | None = None
    implicit: bool = False

    @property
    def is_country(self) -> bool:
        return self.kind == "country"


# ---------------------------------------------------------------------------------------------------
# the stated side: qualifiers and conversions (pure)


def band(stated_km: float, kind: str, tol: Tolerance, high_km: float | None = None) -> tuple[float, float, float]:
    """(low, high, tolerance_km): the measured values that agree with a stated value under a qualifier kind."""
    t = tol.km(stated_km if high_km is None else (stated_km + high_km) / 2)
    wide = t * tol.about_factor
    if kind == "range" and high_km is not None:
        return max(0.0, stated_km - t), high_km + t, t
    if kind == "about":
        return max(0.0, stated_km - wide), stated_km + wide, wide
    if kind == "nearly":
        return max(0.0, stated_km - wide), stated_km + t, t
    if kind == "min":
        return max(0.0, stated_km - t), math.inf, t
    if kind == "max":
        return 0.0, stated_km + t, t
    return max(0.0, stated_km - t), stated_km + t, t


def _rounding_km(value: float, unit_km: float) -> float:
    """Half a unit of the last written digit: "12" miles -> 0.5 mi, "12.5" -> 0.05 mi, in km."""
    text = f"{value:g}"
    step = 10 ** -(len(text.split(".")[1])) if "." in text else 1.0
    return 0.5 * step * unit_km


def conversions_agree(raw_km: float, raw_value: float, raw_unit_km: float,
                      conv_km: float, conv_value: float, conv_unit_km: float, tol: Tolerance) -> bool:
    """True when a parenthetical conversion says the same length as the number it converts."""
    slack = max(tol.conversion_relative * max(raw_km, conv_km),
                _rounding_km(raw_value, raw_unit_km), _rounding_km(conv_value, conv_unit_km))
    return abs(raw_km - conv_km) <= slack


# ---------------------------------------------------------------------------------------------------
# resolving ends

Resolver = Callable[[str], Sequence[Located]]


def _located(obj: Any, name: str) -> Located | None:
    if obj is None:
        return None
    if isinstance(obj, Located):
        return obj
    if isinstance(obj, Place):
        return Located(obj.name, obj.lat, obj.lon, obj.kind, obj.country_code)
    if isinstance(obj, Mention):
        return Located(obj.name or obj.text, obj.lat, obj.lon, obj.kind, obj.country_code) if obj.resolved else None
    if isinstance(obj, tuple) and len(obj) == 2 and all(isinstance(v, (int, float)) for v in obj):
        return Located(name, float(obj[0]), float(obj[1]), "other", None)
    lat, lon = getattr(obj, "lat", None), getattr(obj, "lon", None)
    if lat is not None and lon is not None:
        return Located(getattr(obj, "name", None) or name, lat, lon, getattr(obj, "kind", None),
                       getattr(obj, "country_code", None))
    return None


def _as_list(result: Any, name: str) -> list[Located]:
    if result is None:
        return []
    items = result if isinstance(result, (list, tuple)) and not (
        isinstance(result, tuple) and len(result) == 2 and all(isinstance(v, (int, float)) for v in result)) else [result]
    out = [_located(r, name) for r in items]
    return [o for o in out if o is not None]


def make_resolver(gazetteer: Any = None, context_countries: Iterable[str] = ()) -> Resolver:
    """A name -> candidate places function from: None or a Gazetteer (geoinc.geoparser.resolve.resolve_name, ranked
    with the article's countries as context), a mapping of names to places, or a callable."""
    ctx = tuple(dict.fromkeys(c for c in context_countries if c))
    if gazetteer is None or hasattr(gazetteer, "candidates"):
        try:
            from ..geoparser.resolve import resolve_name
        except ModuleNotFoundError as err:  # the geoparser not installed: a plain gazetteer lookup
            if err.name != "geoinc.geoparser.resolve":
                raise
            from ..gazetteer.index import default_gazetteer

            gaz = gazetteer or default_gazetteer()
            return lambda name: _as_list(gaz.lookup(name)[:10], name)
        return lambda name: _as_list(resolve_name(name, context_countries=ctx, gazetteer=gazetteer), name)
    if hasattr(gazetteer, "lookup"):
        return lambda name: _as_list(gazetteer.lookup(name)[:10], name)
    if isinstance(gazetteer, Mapping):
        folded = {_key(k): v for k, v in gazetteer.items()}
        return lambda name: _as_list(folded.get(_key(name)), name)
    if callable(gazetteer):
        return lambda name: _as_list(gazetteer(name), name)
    raise InputError(f"gazetteer must be a Gazetteer, a mapping of names to places or a callable, not {type(gazetteer).__name__}")


def _key(name: str) -> str:
    return fold(name, apostrophes=True).replace("-", " ").replace("'", "").strip()


@dataclass(frozen=True, slots=True)
class _EndResult:
    place: Located | None = None
    problem: str | None = None        # why it could not be resolved


def _pick(cands: Sequence[Located], near: Located | None) -> Located | None:
    """The candidate to use: specific before broad, then nearest to the other end when known."""
    pts = [c for c in cands if c.lat is not None]
    if not pts:
        return None
    specific = [c for c in pts if (c.kind or "other") not in BROAD_KINDS] or pts
    if near is not None and near.lat is not None and len(specific) > 1:
        return min(specific, key=lambda c: inverse(near.lat, near.lon, c.lat, c.lon)[0])
    return specific[0]


def _resolve_end(end: End, mentions: Sequence[Mention], resolve: Resolver, near: Located | None = None) -> _EndResult:
    """The place an end names: a resolved mention inside it (specific kinds first), else a looked-up name."""
    inside = [m for m in mentions if m.start >= end.start and m.end <= end.end and m.resolved
              and not (end.border and m.start >= end.border.start and m.end <= end.border.end)]
    specific = [m for m in inside if (m.kind or "other") not in BROAD_KINDS]
    for m in specific or inside:
        loc = _located(m, m.text)
        if loc is not None:
            return _EndResult(loc)
    tried: list[str] = []
    found: list[Located] = []
    for name in end.names:
        if any(m.start <= name.start < m.end for m in inside):
            continue
        pick = _pick(resolve(name.text), near)
        if pick is None and _common_word(name.text):
            continue  # "Testing of water …", "More than …": a capitalised English word, not a place name
        tried.append(name.text)
        if pick is not None:
            found.append(replace(pick, name=pick.name or name.text))
            if not pick.is_country and (pick.kind or "other") not in BROAD_KINDS:
                return _EndResult(found[-1])
    if found:
        return _EndResult(found[0])
    if tried:
        return _EndResult(problem="unresolved place " + ", ".join(repr(t) for t in tried))
    return _EndResult()  # nothing named: the end is implicit


# words this common in English (Zipf scale) are not taken for place names when no gazetteer knows them
COMMON_WORD_ZIPF = 3.5


@functools.lru_cache(maxsize=1)
def _zipf() -> Callable[[str], float] | None:
    try:
        from ..gazetteer.index import default_gazetteer
    except ModuleNotFoundError:
        return None
    return default_gazetteer().word_zipf


def _common_word(name: str) -> bool:
    """True for a one-word name that is a common English word ("Testing", "Guards", "More")."""
    if " " in name.strip():
        return False
    zipf = _zipf()
    return zipf is not None and zipf(name.strip("'’‘")) >= COMMON_WORD_ZIPF


def _passage_place(text: str, mentions: Sequence[Mention], before: int, exclude: Located | None,
                   resolve: Resolver | None = None, fronted_end: int | None = None) -> Located | None:
    """The place the passage is about: the first specific, literal place of the claim's sentence (before
    the claim), else of the nearest of the three previous sentences — a sentence's first place is usually
    its topic ("Kramatorsk, in …, lies …") — with names looked up when the mentions have none there;
    else the article's most mentioned specific place. A claim fronted in its sentence ("Only 10 km
    from the border, Tower 22 …", ``fronted_end`` = the claim's end) is about the rest of the sentence."""
    def ok_mention(m: Mention) -> bool:
        if not m.resolved or m.metonym or (m.kind or "other") in BROAD_KINDS:
            return False
        return exclude is None or (m.name or m.text) != exclude.name

    spans = sentence_spans(text)
    idx = next((i for i, (s, e) in enumerate(spans) if s <= before < max(e, s + 1)), len(spans) - 1)
    covered = [(m.start, m.end) for m in mentions]
    windows = []
    if fronted_end is not None and spans:
        windows.append((fronted_end, spans[idx][1]))
    for k in range(idx, max(-1, idx - 4), -1):
        s_start, s_end = spans[k] if spans else (0, before)
        windows.append((s_start, min(s_end, before)))
    for s_start, s_end in windows:
        inside = [m for m in mentions if s_start <= m.start and m.end <= s_end]
        good = [m for m in inside if ok_mention(m)]
        if good:
            loc = _located(good[0], good[0].text)
            if loc is not None:
                return replace(loc, implicit=True)
        if resolve is not None:
            for name in find_names(text, s_start, s_end):
                if any(a <= name.start < b for a, b in covered):
                    continue
                pick = _pick(resolve(name.text), None)
                if (pick is not None and (pick.kind or "other") not in BROAD_KINDS
                        and (exclude is None or pick.name != exclude.name)):
                    return replace(pick, implicit=True)
    counts: dict[str, tuple[int, Mention]] = {}
    for m in mentions:
        if ok_mention(m):
            key = m.place_id or m.name or m.text
            n, first = counts.get(key, (0, m))
            counts[key] = (n + 1, first)
    if counts:
        best = max(counts.values(), key=lambda v: (v[0], -v[1].start))[1]
        loc = _located(best, best.text)
        return replace(loc, implicit=True) if loc else None
    return None


# ---------------------------------------------------------------------------------------------------
# borders


@dataclass(frozen=True, slots=True)
class _BorderChoice:
    line: boundaries.BorderLine | None
    name: str
    problem: str | None = None


def _country3(ref: str) -> tuple[str | None, str]:
    c = boundaries.find_country(ref)
    return (c.iso3, c.name) if c else (None, ref)


def choose_border(countries: Sequence[str], anchor_lat: float, anchor_lon: float) -> _BorderChoice:
    """The boundary line a border reference means, seen from the anchor point (see the module doc)."""
    codes: list[tuple[str, str]] = []
    for ref in countries:
        code, name = _country3(ref)
        if code is None:
            return _BorderChoice(None, f"{ref} border", f"no boundary data for {ref!r} (not a country in Natural Earth 1:10m)")
        codes.append((code, name))
    here = boundaries.country_at(anchor_lat, anchor_lon)
    if not codes:
        if here is None:
            return _BorderChoice(None, "border", "the border is not named and the anchor lies in no country")
        line = boundaries.land_borders_line(here.iso3)
        if line.is_empty:
            return _BorderChoice(None, "border", f"{here.name} has no land border in Natural Earth 1:10m")
        return _BorderChoice(line, f"{here.name} border")
    if len(codes) >= 2:
        (a, an), (b, bn) = codes[:2]
        line = boundaries.border_line(a, b)
        if line.is_empty:
            return _BorderChoice(None, f"{an}–{bn} border", f"{an} and {bn} share no land border in Natural Earth 1:10m")
        return _BorderChoice(line, line.label)
    b, bn = codes[0]
    if here is not None and here.iso3 == b:
        line = boundaries.land_borders_line(b)
        return _BorderChoice(line if not line.is_empty else boundaries.border_line(b), f"{bn} border")
    if here is not None:
        shared = boundaries.border_line(here.iso3, b)
        if not shared.is_empty:
            return _BorderChoice(shared, f"{bn} border")
    return _BorderChoice(boundaries.border_line(b), f"{bn} border")


# ---------------------------------------------------------------------------------------------------
# the check


def _distance_verdict(raw: RawClaim, measured: float, tol: Tolerance) -> tuple[bool, float, str]:
    q = raw.quantity
    kind = q.qualifier_kind
    low, high, t = band(q.km, kind, tol, q.high_km)
    ok = low <= measured <= high
    if kind == "min":
        rule = f"at least {q.km:.1f} − {t:.1f} km"
    elif kind == "max":
        rule = f"at most {q.km:.1f} + {t:.1f} km"
    elif kind == "range":
        rule = f"{q.km:.1f}–{q.high_km:.1f} km ± {t:.1f} km"
    elif kind == "nearly":
        rule = f"{low:.1f}–{high:.1f} km"
    else:
        rule = f"{q.km:.1f} ± {t:.1f} km" + (f" (widened for {q.qualifier!r})" if kind == "about" else "")
    text = f"measured {measured:.1f} km vs stated {q.text.strip()!r} = {rule}: {'agrees' if ok else 'does not agree'}"
    return ok, t, text


def _conversion_note(raw: RawClaim, tol: Tolerance, measured: float | None) -> tuple[bool | None, str | None]:
    q = raw.quantity
    if q.conversion_km is None or q.conversion_value is None or q.conversion_unit is None:
        return None, None
    from .parse import KM_PER_UNIT

    agree = conversions_agree(q.km, q.value, KM_PER_UNIT[q.unit], q.conversion_km, q.conversion_value,
                              KM_PER_UNIT[q.conversion_unit], tol)
    if agree:
        return True, None
    note = (f"the text's own conversion disagrees: {q.value:g} {q.unit} = {q.km:.1f} km but "
            f"{q.conversion_value:g} {q.conversion_unit} = {q.conversion_km:.1f} km")
    if measured is not None:
        low, high, _ = band(q.conversion_km, q.qualifier_kind, tol)
        note += f" (the converted value {'would' if low <= measured <= high else 'would not'} agree with the measurement)"
    return False, note


def _claim(raw: RawClaim, verdict: str, reasons: list[str], tol: Tolerance, **kw: Any) -> Claim:
    q = raw.quantity
    conv_ok, conv_note = _conversion_note(raw, tol, kw.get("measured_km"))
    if conv_note:
        reasons = [*reasons, conv_note]
    return Claim(
        start=raw.start, end=raw.end, text=raw.text, stated_km=round(q.km, 3), verdict=verdict,  # type: ignore[arg-type]
        reason="; ".join(r for r in reasons if r), stated_direction=raw.direction, qualifier=q.qualifier,
        stated_high_km=round(q.high_km, 3) if q.high_km is not None else None,
        conversion_km=round(q.conversion_km, 3) if q.conversion_km is not None else None,
        conversions_agree=conv_ok, **{"anchor": None, "target": None, "measured_km": None, "bearing_deg": None, **kw},
    )


def _end_label(end: End | None) -> str | None:
    if end is None:
        return None
    if end.border is not None:
        return end.border.text
    return end.names[0].text if end.names else end.text


def check_claim(raw: RawClaim, text: str, mentions: Sequence[Mention], resolve: Resolver,
                tol: Tolerance = DEFAULT_TOLERANCE) -> Claim:
    """Resolve, measure and judge one parsed claim."""
    anchor_end, target_end = raw.anchor, raw.target
    border: BorderRef | None = target_end.border if target_end is not None else None
    reasons: list[str] = []

    # the named place ends
    target_loc: Located | None = None
    anchor_loc: Located | None = None
    if target_end is not None and border is None:
        res = _resolve_end(target_end, mentions, resolve)
        if res.problem is not None:
            return _claim(raw, "unverifiable", [f"{res.problem} (the place measured to)"], tol,
                          anchor=_end_label(anchor_end), target=_end_label(target_end), target_kind="place")
        target_loc = res.place
        if target_loc is None:
            target_end = None
    if anchor_end is not None:
        res = _resolve_end(anchor_end, mentions, resolve, near=target_loc)
        if res.problem is not None:
            return _claim(raw, "unverifiable", [f"{res.problem} (the place measured from)"], tol,
                          anchor=_end_label(anchor_end), target=_end_label(target_end),
                          target_kind="border" if border else "place")
        anchor_loc = res.place
    if anchor_loc is None and target_loc is None and border is None:
        return _claim(raw, "unverifiable", ["neither end of the claim names a place"], tol,
                      anchor=None, target=None, target_kind="place")
    # a country end stands for its border ("20 km from Iraq")
    if target_loc is not None and target_loc.is_country and (anchor_loc is None or not anchor_loc.is_country):
        border = BorderRef(target_end.start, target_end.end, target_end.text, (target_loc.country_code or target_loc.name,))
        target_loc = None
    elif anchor_loc is not None and anchor_loc.is_country and target_loc is not None and not target_loc.is_country:
        border = BorderRef(anchor_end.start, anchor_end.end, anchor_end.text, (anchor_loc.country_code or anchor_loc.name,))
        anchor_loc, target_loc = target_loc, None
    # the implicit end: the place the passage is about
    if anchor_loc is None and (border is not None or target_loc is not None):
        # "Only 10 km from the border, Tower 22 …": the claim opens its sentence with the quantity itself
        after = text[raw.end:raw.end + 12].lstrip()
        fronted = (raw.start == raw.quantity.start and not text[raw.sentence_start:raw.start].strip()
                   and after.startswith(",") and not re.match(r",\s*(?:and|but|or)\b", after))
        anchor_loc = _passage_place(text, mentions, raw.start, exclude=target_loc, resolve=resolve,
                                    fronted_end=raw.end if fronted else None)
        if anchor_loc is None:
            return _claim(raw, "unverifiable", ["the claim names no place to measure from and the passage names no specific place"],
                          tol, anchor=None, target=border.text if border else _end_label(target_end),
                          target_kind="border" if border else "place", implicit_anchor=True)
        reasons.append(f"measured from {anchor_loc.name}, the place the passage is about (the claim does not name it)")
    if target_loc is None and border is None:
        if not raw.subject_is_place:
            return _claim(raw, "unverifiable", [f"the claim locates {raw.subject_noun!r}, which is not a named place"],
                          tol, anchor=anchor_loc.name if anchor_loc else None, target=raw.subject_noun, target_kind="place",
                          anchor_lat=anchor_loc.lat if anchor_loc else None, anchor_lon=anchor_loc.lon if anchor_loc else None)
        target_loc = _passage_place(text, mentions, raw.start, exclude=anchor_loc, resolve=resolve)
        if target_loc is None:
            return _claim(raw, "unverifiable", ["only one end is named and the passage names no other specific place"],
                          tol, anchor=anchor_loc.name if anchor_loc else None, target=None, target_kind="place")
        reasons.append(f"{target_loc.name} taken from the passage (the claim does not name it)")
    assert anchor_loc is not None and anchor_loc.lat is not None and anchor_loc.lon is not None
    if anchor_loc.is_country or (anchor_loc.kind or "other") in BROAD_KINDS:
        return _claim(raw, "unverifiable", [f"{anchor_loc.name} is a {anchor_loc.kind}, too large to measure from as a point"],
                      tol, anchor=anchor_loc.name, target=border.text if border else (target_loc.name if target_loc else None),
                      target_kind="border" if border else "place", implicit_anchor=anchor_loc.implicit)

    if target_loc is not None and (target_loc.is_country or (target_loc.kind or "other") in BROAD_KINDS):
        return _claim(raw, "unverifiable", [*reasons, f"{target_loc.name} is a {target_loc.kind}, too large to measure to as a point"],
                      tol, anchor=anchor_loc.name, target=target_loc.name, target_kind="place",
                      implicit_anchor=anchor_loc.implicit, anchor_lat=anchor_loc.lat, anchor_lon=anchor_loc.lon)
    implicit = anchor_loc.implicit or (target_loc is not None and target_loc.implicit)
    if border is not None:
        choice = choose_border(border.countries, anchor_loc.lat, anchor_loc.lon)
        if choice.line is None:
            return _claim(raw, "unverifiable", [*reasons, choice.problem or "no boundary data"], tol,
                          anchor=anchor_loc.name, target=choice.name, target_kind="border", implicit_anchor=implicit,
                          anchor_lat=anchor_loc.lat, anchor_lon=anchor_loc.lon)
        hit = choice.line.nearest(anchor_loc.lat, anchor_loc.lon)
        assert hit is not None
        measured, tlat, tlon, tname = hit.km, hit.lat, hit.lon, choice.name
        geometry = (f"nearest point of the {choice.line.label} ({tlat:.4f}, {tlon:.4f}), Natural Earth 1:10m, "
                    f"local azimuthal equidistant projection centred on {anchor_loc.name}")
        target_kind = "border"
    else:
        assert target_loc is not None and target_loc.lat is not None and target_loc.lon is not None
        measured = inverse(anchor_loc.lat, anchor_loc.lon, target_loc.lat, target_loc.lon)[0]
        if measured < 0.01 and anchor_loc.name == target_loc.name:
            # "the Zaporizhzhia plant is 50 km from Zaporizhzhia": the unnamed site was taken for the city
            return _claim(raw, "unverifiable", [*reasons, f"both ends resolve to {anchor_loc.name}: the place measured to is not named on its own"],
                          tol, anchor=anchor_loc.name, target=target_loc.name, target_kind="place",
                          implicit_anchor=implicit, anchor_lat=anchor_loc.lat, anchor_lon=anchor_loc.lon)
        tlat, tlon, tname = target_loc.lat, target_loc.lon, target_loc.name
        geometry = "geodesic point to point on the WGS84 ellipsoid"
        target_kind = "place"
    bearing = inverse(anchor_loc.lat, anchor_loc.lon, tlat, tlon)[1] if measured > 0 else None

    dist_ok, t, dist_text = _distance_verdict(raw, measured, tol)
    reasons.append(dist_text)
    direction_ok: bool | None = None
    if raw.direction:
        if measured < tol.min_direction_km or bearing is None:
            reasons.append(f"direction {raw.direction} not checked: the ends are under {tol.min_direction_km:g} km apart")
        else:
            if raw.direction_of == "target":
                seen, frm, to = bearing, anchor_loc.name, tname
            else:
                seen, frm, to = inverse(tlat, tlon, anchor_loc.lat, anchor_loc.lon)[1], tname, anchor_loc.name
            direction_ok = in_sector(seen, raw.direction, tol.direction_deg)
            hw = sector_half_width(raw.direction, tol.direction_deg)
            reasons.append(f"bearing from {frm} to {to} is {seen:.0f}° ({compass_name(seen)}): "
                           f"{'within' if direction_ok else 'outside'} the {raw.direction} sector (±{hw:g}°)")
    ok = dist_ok and direction_ok is not False
    verdict = "consistent" if ok else "inconsistent"
    if implicit and not dist_ok and measured > 3 * max(raw.quantity.high_km or raw.quantity.km, 1.0) + 50:
        # a guessed end that far away is more likely the wrong guess than a wrong claim
        verdict = "unverifiable"
        reasons.append("the place taken from the passage is far from what the claim describes: "
                       "probably not the place meant")
    return _claim(
        raw, verdict, reasons, tol,
        anchor=anchor_loc.name, target=tname, measured_km=round(measured, 3),
        bearing_deg=round(bearing, 1) if bearing is not None else None, tolerance_km=round(t, 3),
        anchor_lat=anchor_loc.lat, anchor_lon=anchor_loc.lon, target_lat=tlat, target_lon=tlon,
        implicit_anchor=implicit, target_kind=target_kind, direction_ok=direction_ok, geometry=geometry,
    )


def check_distances(text: str, published: str | None = None, *, mentions: Iterable[Mention] | None = None,
                    gazetteer: Any = None, tolerance: Tolerance | None = None) -> list[Claim]:
    """Every distance/direction claim in ``text``, each resolved, measured and given a verdict.

    ``mentions`` are the text's geoparsed mentions (computed with :func:`geoinc.geoparse` when None);
    ``gazetteer`` resolves names the mentions do not cover (a Gazetteer, a name -> place mapping or
    callable; the default gazetteer when None); ``tolerance`` overrides :data:`DEFAULT_TOLERANCE`.
    """
    if not isinstance(text, str):
        raise InputError(f"check_distances needs text (str), not {type(text).__name__}")
    if tolerance is not None and not isinstance(tolerance, Tolerance):
        raise InputError(f"tolerance must be a geoinc.claims.measure.Tolerance, not {type(tolerance).__name__}")
    tol = tolerance or DEFAULT_TOLERANCE
    raws = find_claims(text)
    if not raws:
        return []
    if mentions is None:
        try:
            from ..geoparser.resolve import geoparse
        except ModuleNotFoundError as err:  # the geoparser not installed: names are looked up one by one
            if err.name != "geoinc.geoparser.resolve":
                raise
            mentions = []
        else:
            gaz = gazetteer if gazetteer is not None and hasattr(gazetteer, "candidates") else None
            mentions = geoparse(text, published=published, gazetteer=gaz)
    ms = sorted(mentions, key=lambda m: m.start)
    resolve = make_resolver(gazetteer, (m.country_code for m in ms if m.resolved and not m.metonym))
    return [check_claim(raw, text, ms, resolve, tol) for raw in raws]


__all__ = ["Tolerance", "DEFAULT_TOLERANCE", "Located", "band", "conversions_agree", "make_resolver",
           "choose_border", "check_claim", "check_distances", "BROAD_KINDS"]
