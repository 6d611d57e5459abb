"""Checking distance, direction and border claims against real geometry: ``check_distances(text) -> list[Claim]``.

Claims are found by :mod:`geoinc.claims.parse` (pure parsing; the subject rules are in
:mod:`geoinc.claims.subjects`); here their ends are placed (the geoparser's mentions first, then a name
look-up; the passage's topic for "It …"; described anchors such as "the Iraqi capital"; namesakes chosen for
both ends at once, :mod:`geoinc.claims.places`), measured, and judged (:mod:`geoinc.claims.judge`):

- point to point: geodesic distance and initial bearing on the WGS84 ellipsoid (pyproj.Geod);
- point to border: the shortest distance to the relevant boundary *line*, found in a local azimuthal
  equidistant projection centred on the point (:class:`geoinc.boundaries.BorderLine`). The relevant
  line for "the Iraqi border" seen from a point in Jordan is the Jordan–Iraq land border when the two
  touch, else Iraq's whole boundary; "the Jordan–Syria border" is the shared line; "the border" alone
  is the land borders of the point's own country;
- direction: the bearing from the anchor (for a border, from its nearest point) to the subject, compared
  with the stated compass point.

A claim whose end cannot be placed confidently is ``unverifiable`` with the reason, never measured from a guess.
"""
from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import MISSING, dataclass, fields
from typing import Any

from ..errors import InputError
from ..geodesy import NearestPoint, compass_name, inverse
from ..models import Claim, Mention, slotted_draft
from .ends import (BROAD_KINDS, BorderChoice, Located, choose_border, make_alternatives, make_point_test, make_resolver, passage_place,
                   resolve_end)
from .judge import (DEFAULT_TOLERANCE, Tolerance, band, conversion_note, conversions_agree, direction_verdict,
                    distance_verdict, proximity_verdict)
from .parse import BorderRef, End, RawClaim, find_claims
from .places import (NEIGHBOURHOOD_KM, Story, border_pick, capital_place, joint_pick, prefer_point, recent_place,
                     topic_place)


# models.Claim's fields and defaults, in order (MISSING for those without one): _new_claim fills exactly these
_CLAIM_FIELDS = tuple((f.name, f.default) for f in fields(Claim))


# models.Claim is a frozen dataclass of 26 fields whose generated ``__init__`` runs interpreted (~5 µs a Claim):
# _new_claim fills a draft with its slots instead (models.slotted_draft; None when the layouts differ)
_CLAIM_DRAFT = slotted_draft(Claim)


def _new_claim(values: dict[str, Any]) -> Claim:
    """``Claim(**values)``: the same frozen record, each field from ``values`` or its default, built from a draft
    (:func:`geoinc.models.slotted_draft`; the plain constructor when there is none)."""
    if _CLAIM_DRAFT is None:
        return Claim(**values)
    made = _CLAIM_DRAFT()
    for name, default in _CLAIM_FIELDS:
        setattr(made, name, values[name] if default is MISSING else values.get(name, default))
    made.__class__ = Claim
    claim: Claim = made
    return claim


def _claim(raw: RawClaim, verdict: str, reasons: list[str], tol: Tolerance, **kw: Any) -> Claim:
    q = raw.quantity
    conv_ok, conv_note = conversion_note(raw, tol, kw.get("measured_km"))
    if conv_note:
        reasons = [*reasons, conv_note]
    values: dict[str, Any] = {
        "start": raw.start, "end": raw.end, "text": raw.text, "stated_km": round(q.km, 3) if q else None,
        "verdict": verdict, "reason": "; ".join(r for r in reasons if r),
        "stated_direction": raw.direction, "qualifier": q.qualifier if q else None,
        "stated_high_km": round(q.high_km, 3) if q and q.high_km is not None else None,
        "conversion_km": round(q.conversion_km, 3) if q and q.conversion_km is not None else None,
        "conversions_agree": conv_ok, "kind": raw.kind,
        "anchor": None, "target": None, "measured_km": None, "bearing_deg": None, "subject": None}
    values.update(kw)
    return _new_claim(values)


def _end_label(end: End | None) -> str | None:
    if end is None:
        return None
    if end.border is not None:
        return end.border.text
    return end.names[0].text if end.names else end.text


class _Stop(Exception):
    """Raised inside the check when a claim ends as unverifiable (carries the finished Claim)."""

    def __init__(self, claim: Claim) -> None:
        super().__init__(claim.reason)
        self.claim = claim


class _NotAClaim(Exception):
    """A claim without a number whose subject is a whole country or region ("in northeastern Jordan, near the
    Syrian border"): a description, not something to check."""


class _Check:
    """One claim being checked: the parse, the story, the tolerance, its ends as they are placed, reasons. (A
    plain class rather than a dataclass: mypyc compiles its constructor, see the note above phrases.Name.)"""

    raw: RawClaim
    story: Story
    tol: Tolerance
    anchor_end: End | None
    target_end: End | None
    border: BorderRef | None
    anchor: Located | None
    target: Located | None
    reasons: list[str]

    def __init__(self, raw: RawClaim, story: Story, tol: Tolerance) -> None:
        self.raw, self.story, self.tol = raw, story, tol
        self.anchor_end = self.target_end = None
        self.border = None
        self.anchor = self.target = None
        self.reasons = []

    @property
    def subject_is_anchor(self) -> bool:
        """Border claims measure from their subject; point claims measure from the anchor to the subject."""
        return self.border is not None

    def stop(self, reason: str, **kw: Any) -> _Stop:
        a, t = self.anchor, self.target
        base: dict[str, Any] = dict(
            anchor=a.name if a else _end_label(self.anchor_end),
            target=(t.name if t else (self.border.text if self.border else _end_label(self.target_end))),
            target_kind="border" if self.border else "place",
            implicit_anchor=bool(a and a.implicit),
            anchor_lat=a.lat if a else None, anchor_lon=a.lon if a else None)
        base["subject"] = base["anchor"] if self.subject_is_anchor else base["target"]
        return _Stop(_claim(self.raw, "unverifiable", [*self.reasons, reason], self.tol, **{**base, **kw}))


def _named_ends(c: _Check) -> None:
    """Resolve the ends the claim names; a name that cannot be placed stops the check."""
    raw, story = c.raw, c.story
    c.anchor_end, c.target_end = raw.anchor, raw.target
    c.border = raw.target.border if raw.target is not None else None
    if c.target_end is not None and c.border is None:
        res = resolve_end(c.target_end, story.mentions, story.resolve, may_be_point=story.may_be_point)
        if res.problem is not None:
            if raw.quantity is None:
                raise _NotAClaim(res.problem)          # "VC north of the air base": the subject is no place
            raise c.stop(f"{res.problem} (the place measured to)")
        c.target = res.place
        if c.target is None:
            c.target_end = None
    if c.anchor_end is not None:
        res = resolve_end(c.anchor_end, story.mentions, story.resolve, near=c.target, may_be_point=story.may_be_point)
        if res.problem is not None:
            if raw.quantity is None:               # "west of State Route 31": a road or river, not a place to check
                raise _NotAClaim(res.problem)
            raise c.stop(f"{res.problem} (the place measured from)")
        c.anchor = res.place
    if c.anchor is None and c.target is None and c.border is None and raw.anchor_ref is None and not raw.subject_topic:
        raise c.stop("neither end of the claim names a place")
    _countries_as_borders(c)


def _countries_as_borders(c: _Check) -> None:
    """A country end stands for its border ("20 km from Iraq")."""
    a, t = c.anchor, c.target
    if t is not None and t.is_country and (a is None or not a.is_country) and c.target_end is not None:
        e = c.target_end
        c.border = BorderRef(e.start, e.end, e.text, (t.country_code or t.name,))
        c.target = None
    elif a is not None and a.is_country and t is not None and not t.is_country and c.anchor_end is not None:
        e = c.anchor_end
        c.border = BorderRef(e.start, e.end, e.text, (a.country_code or a.name,))
        c.anchor, c.target = t, None


def _topic_subject(c: _Check) -> None:
    """"It lies 20 km north of Tower 22": the subject is the place the passage is about."""
    raw = c.raw
    if not raw.subject_topic or (c.anchor if c.subject_is_anchor else c.target) is not None:
        return
    other = c.target if c.subject_is_anchor else c.anchor
    place = topic_place(c.story, raw.start, exclude=other)
    if place is None:
        raise c.stop("the claim's subject is a pronoun or description and the passage names no place it is about")
    c.reasons.append(f"the claim is about {place.name}, the place the passage is about")
    if c.subject_is_anchor:
        c.anchor = place
    else:
        c.target = place


def _described_anchor(c: _Check) -> None:
    """"the Iraqi capital", "the capital", "the city": the anchor the claim describes instead of naming."""
    ref = c.raw.anchor_ref
    if ref is None or c.anchor is not None or c.subject_is_anchor:
        return
    if ref.kind == "provincial capital":
        raise c.stop(f"{ref.text!r} is not named and the gazetteer does not record provincial capitals")
    if ref.kind == "recent":
        place = recent_place(c.story, c.raw.start, exclude=c.target)
        what = "the place the passage named last"
    else:
        country = ref.country or (c.target.country_code if c.target else None) or next(iter(c.story.countries), None)
        place = capital_place(c.story, country)
        what = f"the capital of {country}"
    if place is None:
        raise c.stop(f"{ref.text!r}: {what} could not be placed")
    c.anchor = place
    c.reasons.append(f"{ref.text!r} read as {place.name}, {what}")


def _implicit_ends(c: _Check) -> None:
    """Fill the ends the claim leaves out with the place the passage is about (or stop the check)."""
    raw, story = c.raw, c.story
    if c.anchor is None and (c.border is not None or c.target is not None):
        # "Only 10 km from the border, Tower 22 …": the claim opens its sentence with the quantity itself
        after = story.text[raw.end:raw.end + 12].lstrip()
        fronted = (raw.quantity is not None and raw.start == raw.quantity.start
                   and not story.text[raw.sentence_start:raw.start].strip()
                   and after.startswith(",") and not re.match(r",\s*(?:and|but|or)\b", after))
        c.anchor = passage_place(story.text, story.mentions, raw.start, exclude=c.target, resolve=story.resolve,
                                 fronted_end=raw.end if fronted else None)
        if c.anchor is None:
            raise c.stop("the claim names no place to measure from and the passage names no specific place",
                         implicit_anchor=True)
        c.reasons.append(f"measured from {c.anchor.name}, the place the passage is about (the claim does not name it)")
    if c.target is None and c.border is None:
        if not raw.subject_is_place:
            raise c.stop(f"the claim locates {raw.subject_noun!r}, which is not a named place", target=raw.subject_noun)
        c.target = passage_place(story.text, story.mentions, raw.start, exclude=c.anchor, resolve=story.resolve)
        if c.target is None:
            raise c.stop("only one end is named and the passage names no other specific place")
        c.reasons.append(f"{c.target.name} taken from the passage (the claim does not name it)")


def _worth_checking(c: _Check) -> None:
    """Claims without a number about a whole country or region, or from one, are descriptions: not reported."""
    subject = c.anchor if c.subject_is_anchor else c.target
    if c.raw.quantity is None and subject is not None and (subject.is_country or (subject.kind or "other") in BROAD_KINDS):
        raise _NotAClaim(subject.name)
    if c.raw.kind == "direction" and c.border is not None:
        raise _NotAClaim("a direction from a whole country")       # "west of Iraq": not a bearing to check


def _check_sizes(c: _Check) -> Located:
    """The anchor, once both ends are known to be points (a country or region is too large to measure)."""
    anchor, target = c.anchor, c.target
    assert anchor is not None and anchor.lat is not None and anchor.lon is not None
    if anchor.is_country or (anchor.kind or "other") in BROAD_KINDS:
        raise c.stop(f"{anchor.name} is a {anchor.kind}, too large to measure from as a point")
    if target is not None and (target.is_country or (target.kind or "other") in BROAD_KINDS):
        raise c.stop(f"{target.name} is a {target.kind}, too large to measure to as a point")
    return anchor


def _points(c: _Check) -> None:
    """A town rather than the province of the same name, for both ends."""
    if c.anchor is not None:
        c.anchor = prefer_point(c.story, c.anchor)
    if c.target is not None:
        c.target = prefer_point(c.story, c.target)


def _namesakes(c: _Check) -> None:
    """Choose both ends' namesakes together (:func:`geoinc.claims.places.joint_pick`)."""
    if c.anchor is None:
        return
    if c.border is not None:
        countries = c.border.countries

        def to_border(p: Located) -> float | None:
            if p.lat is None or p.lon is None:
                return None
            hit = _border_hit(tuple(countries), p.lat, p.lon)[1]
            return hit.km if hit is not None else None

        c.anchor, note = border_pick(c.story, c.anchor, to_border)
    elif c.target is not None:
        c.target, c.anchor, note = joint_pick(c.story, c.target, c.anchor)
    else:
        return
    if note:
        c.reasons.append(note)


@functools.lru_cache(maxsize=512)
def _border_hit(countries: tuple[str, ...], lat: float, lon: float) -> tuple[BorderChoice, NearestPoint | None]:
    """The border line a claim means from a point, and its nearest point (cached: namesakes and claims repeat)."""
    choice = choose_border(countries, lat, lon)
    return choice, (choice.line.nearest(lat, lon) if choice.line is not None else None)


@functools.lru_cache(maxsize=512)
def _border_bearing(countries: tuple[str, ...], lat: float, lon: float) -> float | None:
    """The initial bearing from a point to its nearest point of the border line (None when that point is the
    point itself or there is no line); cached as :func:`_border_hit` is (a geodesic inverse costs ~4 µs)."""
    hit = _border_hit(countries, lat, lon)[1]
    return inverse(lat, lon, hit.lat, hit.lon)[1] if hit is not None and hit.km > 0 else None


@dataclass(frozen=True, slots=True)
class _Measured:
    """What was measured: the distance, the point measured to, its name and how, and the initial bearing from the
    anchor to that point (None when the distance is 0)."""

    km: float
    lat: float
    lon: float
    name: str
    geometry: str
    kind: str
    bearing: float | None

    def __init__(self, km: float, lat: float, lon: float, name: str, geometry: str, kind: str,
                 bearing: float | None) -> None:
        """The fields in order: a written constructor is compiled (see the note above phrases.Name)."""
        object.__setattr__(self, "km", km)
        object.__setattr__(self, "lat", lat)
        object.__setattr__(self, "lon", lon)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "geometry", geometry)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "bearing", bearing)


def _measure(c: _Check, anchor: Located) -> _Measured:
    """Distance from the anchor to the target point or to the nearest point of the border line."""
    assert anchor.lat is not None and anchor.lon is not None
    if c.border is not None:
        choice, hit = _border_hit(tuple(c.border.countries), anchor.lat, anchor.lon)
        if choice.line is None:
            raise c.stop(choice.problem or "no boundary data", target=choice.name)
        assert hit is not None
        geometry = (f"nearest point of the {choice.line.label} ({hit.lat:.4f}, {hit.lon:.4f}), Natural Earth 1:10m, "
                    f"local azimuthal equidistant projection centred on {anchor.name}")
        return _Measured(hit.km, hit.lat, hit.lon, choice.name, geometry, "border",
                         _border_bearing(tuple(c.border.countries), anchor.lat, anchor.lon))
    target = c.target
    assert target is not None and target.lat is not None and target.lon is not None
    km, bearing = inverse(anchor.lat, anchor.lon, target.lat, target.lon)    # (the bearing _judge reports)
    if km < 0.01 and anchor.name == target.name:
        # "the Zaporizhzhia plant is 50 km from Zaporizhzhia": the unnamed site was taken for the city
        raise c.stop(f"both ends resolve to {anchor.name}: the place measured to is not named on its own")
    return _Measured(km, target.lat, target.lon, target.name, "geodesic point to point on the WGS84 ellipsoid", "place",
                     bearing if km > 0 else None)


def _direction(c: _Check, anchor: Located, m: _Measured, bearing: float | None) -> bool | None:
    """Whether the stated compass point holds (None when none is stated or the ends are too close)."""
    raw, tol = c.raw, c.tol
    if not raw.direction:
        return None
    assert anchor.lat is not None and anchor.lon is not None
    if m.km < tol.min_direction_km or bearing is None:
        c.reasons.append(f"direction {raw.direction} not checked: the ends are under {tol.min_direction_km:g} km apart")
        return None
    if raw.direction_of == "target":
        seen, frm, to = bearing, anchor.name, m.name
    else:
        seen, frm, to = inverse(m.lat, m.lon, anchor.lat, anchor.lon)[1], m.name, anchor.name
    ok, hw = direction_verdict(raw.direction, seen, tol)
    c.reasons.append(f"bearing from {frm} to {to} is {seen:.0f}° ({compass_name(seen)}): "
                     f"{'within' if ok else 'outside'} the {raw.direction} sector (±{hw:g}°)")
    return ok


def _guessed_too_far(c: _Check, anchor: Located, m: _Measured) -> str | None:
    """Why the ends found are probably not the places meant (None when they may well be)."""
    q = c.raw.quantity
    stated = (q.high_km or q.km) if q is not None else None
    implicit = anchor.implicit or (c.target is not None and c.target.implicit)
    if m.km > NEIGHBOURHOOD_KM and (stated is None or m.km > 3 * stated + 50):
        if m.kind == "border":
            return (f"{anchor.name} as placed is {m.km:.0f} km from the {m.name} and no place of that name lies within "
                    f"{NEIGHBOURHOOD_KM:g} km of it: probably not the place meant")
        return (f"{anchor.name} and {m.name} as placed are {m.km:.0f} km apart and no places of those names lie within "
                f"{NEIGHBOURHOOD_KM:g} km of each other: probably not the places meant")
    if implicit and stated is not None and m.km > 3 * max(stated, 1.0) + 50:
        return ("the place taken from the passage is far from what the claim describes: probably not the place meant")
    return None


def _judge(c: _Check, anchor: Located, m: _Measured) -> Claim:
    raw, tol = c.raw, c.tol
    implicit = anchor.implicit or (c.target is not None and c.target.implicit)
    bearing = m.bearing
    too_far = _guessed_too_far(c, anchor, m)
    t: float | None = None
    if raw.kind == "border-near":
        dist_ok, t, text = proximity_verdict(raw.relation, m.km, tol)
    elif raw.quantity is not None:
        dist_ok, t, text = distance_verdict(raw, m.km, tol)
    else:
        dist_ok, text = True, f"measured {m.km:.1f} km (the claim states no distance)"
    c.reasons.append(text)
    direction_ok = _direction(c, anchor, m, bearing)
    verdict = "consistent" if dist_ok and direction_ok is not False else "inconsistent"
    if too_far is not None and (raw.quantity is None or not (dist_ok and direction_ok is not False)):
        verdict = "unverifiable"
        c.reasons.append(too_far)
    subject = anchor.name if c.subject_is_anchor else m.name
    guessed = verdict == "unverifiable"            # the ends found are not the places meant: no measurement
    return _claim(
        raw, verdict, c.reasons, tol, subject=subject,
        anchor=anchor.name, target=m.name, measured_km=None if guessed else round(m.km, 3),
        bearing_deg=round(bearing, 1) if bearing is not None and not guessed else None,
        tolerance_km=round(t, 3) if t is not None else None,
        anchor_lat=anchor.lat, anchor_lon=anchor.lon, target_lat=m.lat, target_lon=m.lon,
        implicit_anchor=implicit, target_kind=m.kind, direction_ok=None if guessed else direction_ok, geometry=m.geometry,
    )


def check_claim(raw: RawClaim, story: Story, tol: Tolerance = DEFAULT_TOLERANCE) -> Claim | None:
    """Place, measure and judge one parsed claim (None for a claim without a number about a whole country)."""
    c = _Check(raw, story, tol)
    try:
        _named_ends(c)
        _topic_subject(c)
        _described_anchor(c)
        _implicit_ends(c)
        _points(c)
        _worth_checking(c)
        _namesakes(c)
        anchor = _check_sizes(c)
        m = _measure(c, anchor)
    except _Stop as stop:
        return stop.claim
    except _NotAClaim:
        return None
    return _judge(c, anchor, m)


def _mentions(text: str, published: str | None, gazetteer: Any) -> list[Mention]:
    try:
        from ..geoparser.resolve import geoparse
    except ModuleNotFoundError as err:  # the geoparser not installed: names are looked up one by one
        if err.name != "geoinc.geoparser.resolve":
            raise
        return []
    gaz = gazetteer if gazetteer is not None and hasattr(gazetteer, "candidates") else None
    return list(geoparse(text, published=published, gazetteer=gaz))


def _memo(fn: Callable[[str], Sequence[Located]]) -> Callable[[str], Sequence[Located]]:
    """``fn`` with its answers kept (a dict: cheaper to set up per article than an lru_cache)."""
    seen: dict[str, Sequence[Located]] = {}

    def cached(name: str) -> Sequence[Located]:
        found = seen.get(name)
        if found is None:
            found = seen[name] = fn(name)
        return found

    return cached


def check_distances(text: str, published: str | None = None, *, mentions: Iterable[Mention] | None = None,
                    gazetteer: Any = None, tolerance: Tolerance | None = None) -> list[Claim]:
    """Every distance, direction and border claim in ``text``, each placed, measured and given a verdict.

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
    return _check_all(text, raws, _mentions(text, published, gazetteer) if mentions is None else mentions, gazetteer, tol)


class _ArticleCountries:
    """The countries of an article's resolved, literal mentions (not metonyms), in the mentions' order: the
    context of the resolver and point test, worked out when first read (most articles look no name up)."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.mentions = mentions
        self.codes: list[str | None] | None = None

    def __iter__(self) -> Iterator[str | None]:
        if self.codes is None:
            self.codes = [m.country_code for m in self.mentions
                          if m.lat is not None and m.lon is not None and not m.metonym]
        return iter(self.codes)


_START = operator.attrgetter("start")       # the sort key of mentions (a C-level getter, not a lambda call each)


def _check_all(text: str, raws: list[RawClaim], mentions: Iterable[Mention], gazetteer: Any, tol: Tolerance) -> list[Claim]:
    """:func:`check_distances` once its arguments are checked (this part compiled; the entry point stays pure so
    that it raises InputError on bad arguments)."""
    ms = sorted(mentions, key=_START)
    context = _ArticleCountries(ms)                        # read only if a name is looked up
    resolve = _memo(make_resolver(gazetteer, context))     # one look-up per name and article
    story = Story(text, ms, resolve, make_alternatives(gazetteer, resolve),   # its countries and regions: when needed
                  may_be_point=make_point_test(gazetteer, context))
    out: list[Claim] = []
    for raw in raws:
        claim = check_claim(raw, story, tol)
        if claim is not None:
            out.append(claim)
    return out


__all__ = ["Tolerance", "DEFAULT_TOLERANCE", "Located", "band", "conversions_agree", "make_resolver",
           "choose_border", "check_claim", "check_distances", "BROAD_KINDS"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.claims.measure":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals(), keep=("check_distances",))
