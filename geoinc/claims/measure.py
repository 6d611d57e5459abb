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

The tolerance and qualifier bands are in :mod:`geoinc.claims.judge`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..geodesy import compass_name, in_sector, inverse, sector_half_width
from ..models import Claim, Mention
from .ends import (BROAD_KINDS, Located, Resolver, choose_border, make_resolver, passage_place, resolve_end)
from .judge import DEFAULT_TOLERANCE, Tolerance, band, conversion_note, conversions_agree, distance_verdict
from .parse import BorderRef, End, RawClaim, find_claims


def _claim(raw: RawClaim, verdict: str, reasons: list[str], tol: Tolerance, **kw: Any) -> Claim:
    q = raw.quantity
    conv_ok, conv_note = conversion_note(raw, tol, kw.get("measured_km"))
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


class _Stop(Exception):
    """Raised inside the check when a claim ends as unverifiable (carries the finished Claim)."""

    def __init__(self, claim: Claim) -> None:
        super().__init__(claim.reason)
        self.claim = claim


@dataclass(slots=True)
class _Ends:
    """The two ends of a claim as they are being placed."""

    anchor_end: End | None
    target_end: End | None
    border: BorderRef | None
    anchor: Located | None = None
    target: Located | None = None


def _named_ends(raw: RawClaim, mentions: Sequence[Mention], resolve: Resolver, tol: Tolerance) -> _Ends:
    """Resolve the ends the claim names; a name that cannot be placed stops the check."""
    ends = _Ends(raw.anchor, raw.target, raw.target.border if raw.target is not None else None)
    if ends.target_end is not None and ends.border is None:
        res = resolve_end(ends.target_end, mentions, resolve)
        if res.problem is not None:
            raise _Stop(_claim(raw, "unverifiable", [f"{res.problem} (the place measured to)"], tol,
                               anchor=_end_label(ends.anchor_end), target=_end_label(ends.target_end),
                               target_kind="place"))
        ends.target = res.place
        if ends.target is None:
            ends.target_end = None
    if ends.anchor_end is not None:
        res = resolve_end(ends.anchor_end, mentions, resolve, near=ends.target)
        if res.problem is not None:
            raise _Stop(_claim(raw, "unverifiable", [f"{res.problem} (the place measured from)"], tol,
                               anchor=_end_label(ends.anchor_end), target=_end_label(ends.target_end),
                               target_kind="border" if ends.border else "place"))
        ends.anchor = res.place
    if ends.anchor is None and ends.target is None and ends.border is None:
        raise _Stop(_claim(raw, "unverifiable", ["neither end of the claim names a place"], tol,
                           anchor=None, target=None, target_kind="place"))
    _countries_as_borders(ends)
    return ends


def _countries_as_borders(ends: _Ends) -> None:
    """A country end stands for its border ("20 km from Iraq")."""
    a, t = ends.anchor, ends.target
    if t is not None and t.is_country and (a is None or not a.is_country):
        assert ends.target_end is not None
        e = ends.target_end
        ends.border = BorderRef(e.start, e.end, e.text, (t.country_code or t.name,))
        ends.target = None
    elif a is not None and a.is_country and t is not None and not t.is_country:
        assert ends.anchor_end is not None
        e = ends.anchor_end
        ends.border = BorderRef(e.start, e.end, e.text, (a.country_code or a.name,))
        ends.anchor, ends.target = t, None


def _implicit_ends(raw: RawClaim, text: str, mentions: Sequence[Mention], resolve: Resolver, tol: Tolerance,
                   ends: _Ends, reasons: list[str]) -> None:
    """Fill the ends the claim leaves out with the place the passage is about (or stop the check)."""
    border = ends.border
    if ends.anchor is None and (border is not None or ends.target is not None):
        # "Only 10 km from the border, Tower 22 …": the claim opens its sentence with the quantity itself
        after = text[raw.end:raw.end + 12].lstrip()
        fronted = (raw.start == raw.quantity.start and not text[raw.sentence_start:raw.start].strip()
                   and after.startswith(",") and not re.match(r",\s*(?:and|but|or)\b", after))
        ends.anchor = passage_place(text, mentions, raw.start, exclude=ends.target, resolve=resolve,
                                    fronted_end=raw.end if fronted else None)
        if ends.anchor is None:
            raise _Stop(_claim(raw, "unverifiable", ["the claim names no place to measure from and the passage names no specific place"],
                               tol, anchor=None, target=border.text if border else _end_label(ends.target_end),
                               target_kind="border" if border else "place", implicit_anchor=True))
        reasons.append(f"measured from {ends.anchor.name}, the place the passage is about (the claim does not name it)")
    anchor = ends.anchor
    if ends.target is None and border is None:
        if not raw.subject_is_place:
            raise _Stop(_claim(raw, "unverifiable", [f"the claim locates {raw.subject_noun!r}, which is not a named place"],
                               tol, anchor=anchor.name if anchor else None, target=raw.subject_noun, target_kind="place",
                               anchor_lat=anchor.lat if anchor else None, anchor_lon=anchor.lon if anchor else None))
        ends.target = passage_place(text, mentions, raw.start, exclude=anchor, resolve=resolve)
        if ends.target is None:
            raise _Stop(_claim(raw, "unverifiable", ["only one end is named and the passage names no other specific place"],
                               tol, anchor=anchor.name if anchor else None, target=None, target_kind="place"))
        reasons.append(f"{ends.target.name} taken from the passage (the claim does not name it)")


def _check_sizes(raw: RawClaim, tol: Tolerance, ends: _Ends, reasons: list[str]) -> Located:
    """The anchor, once both ends are known to be points (a country or region is too large to measure)."""
    anchor, target, border = ends.anchor, ends.target, ends.border
    assert anchor is not None and anchor.lat is not None and anchor.lon is not None
    if anchor.is_country or (anchor.kind or "other") in BROAD_KINDS:
        raise _Stop(_claim(raw, "unverifiable", [f"{anchor.name} is a {anchor.kind}, too large to measure from as a point"],
                           tol, anchor=anchor.name, target=border.text if border else (target.name if target else None),
                           target_kind="border" if border else "place", implicit_anchor=anchor.implicit))
    if target is not None and (target.is_country or (target.kind or "other") in BROAD_KINDS):
        raise _Stop(_claim(raw, "unverifiable", [*reasons, f"{target.name} is a {target.kind}, too large to measure to as a point"],
                           tol, anchor=anchor.name, target=target.name, target_kind="place",
                           implicit_anchor=anchor.implicit, anchor_lat=anchor.lat, anchor_lon=anchor.lon))
    return anchor


@dataclass(frozen=True, slots=True)
class _Measured:
    km: float
    lat: float
    lon: float
    name: str
    geometry: str
    kind: str


def _measure(raw: RawClaim, tol: Tolerance, ends: _Ends, anchor: Located, implicit: bool,
             reasons: list[str]) -> _Measured:
    """Distance from the anchor to the target point or to the nearest point of the border line."""
    assert anchor.lat is not None and anchor.lon is not None
    if ends.border is not None:
        choice = choose_border(ends.border.countries, anchor.lat, anchor.lon)
        if choice.line is None:
            raise _Stop(_claim(raw, "unverifiable", [*reasons, choice.problem or "no boundary data"], tol,
                               anchor=anchor.name, target=choice.name, target_kind="border", implicit_anchor=implicit,
                               anchor_lat=anchor.lat, anchor_lon=anchor.lon))
        hit = choice.line.nearest(anchor.lat, anchor.lon)
        assert hit is not None
        geometry = (f"nearest point of the {choice.line.label} ({hit.lat:.4f}, {hit.lon:.4f}), Natural Earth 1:10m, "
                    f"local azimuthal equidistant projection centred on {anchor.name}")
        return _Measured(hit.km, hit.lat, hit.lon, choice.name, geometry, "border")
    target = ends.target
    assert target is not None and target.lat is not None and target.lon is not None
    km = inverse(anchor.lat, anchor.lon, target.lat, target.lon)[0]
    if km < 0.01 and anchor.name == target.name:
        # "the Zaporizhzhia plant is 50 km from Zaporizhzhia": the unnamed site was taken for the city
        raise _Stop(_claim(raw, "unverifiable", [*reasons, f"both ends resolve to {anchor.name}: the place measured to is not named on its own"],
                           tol, anchor=anchor.name, target=target.name, target_kind="place",
                           implicit_anchor=implicit, anchor_lat=anchor.lat, anchor_lon=anchor.lon))
    return _Measured(km, target.lat, target.lon, target.name, "geodesic point to point on the WGS84 ellipsoid", "place")


def _direction(raw: RawClaim, tol: Tolerance, anchor: Located, m: _Measured, bearing: float | None,
               reasons: list[str]) -> bool | None:
    """Whether the stated compass point holds (None when none is stated or the ends are too close)."""
    if not raw.direction:
        return None
    assert anchor.lat is not None and anchor.lon is not None
    if m.km < tol.min_direction_km or bearing is None:
        reasons.append(f"direction {raw.direction} not checked: the ends are under {tol.min_direction_km:g} km apart")
        return None
    if raw.direction_of == "target":
        seen, frm, to = bearing, anchor.name, m.name
    else:
        seen, frm, to = inverse(m.lat, m.lon, anchor.lat, anchor.lon)[1], m.name, anchor.name
    ok = in_sector(seen, raw.direction, tol.direction_deg)
    hw = sector_half_width(raw.direction, tol.direction_deg)
    reasons.append(f"bearing from {frm} to {to} is {seen:.0f}° ({compass_name(seen)}): "
                   f"{'within' if ok else 'outside'} the {raw.direction} sector (±{hw:g}°)")
    return ok


def check_claim(raw: RawClaim, text: str, mentions: Sequence[Mention], resolve: Resolver,
                tol: Tolerance = DEFAULT_TOLERANCE) -> Claim:
    """Resolve, measure and judge one parsed claim."""
    reasons: list[str] = []
    try:
        ends = _named_ends(raw, mentions, resolve, tol)
        _implicit_ends(raw, text, mentions, resolve, tol, ends, reasons)
        anchor = _check_sizes(raw, tol, ends, reasons)
        implicit = anchor.implicit or (ends.target is not None and ends.target.implicit)
        m = _measure(raw, tol, ends, anchor, implicit, reasons)
    except _Stop as stop:
        return stop.claim
    assert anchor.lat is not None and anchor.lon is not None
    bearing = inverse(anchor.lat, anchor.lon, m.lat, m.lon)[1] if m.km > 0 else None
    dist_ok, t, dist_text = distance_verdict(raw, m.km, tol)
    reasons.append(dist_text)
    direction_ok = _direction(raw, tol, anchor, m, bearing, reasons)
    verdict = "consistent" if dist_ok and direction_ok is not False else "inconsistent"
    if implicit and not dist_ok and m.km > 3 * max(raw.quantity.high_km or raw.quantity.km, 1.0) + 50:
        # a guessed end that far away is more likely the wrong guess than a wrong claim
        verdict = "unverifiable"
        reasons.append("the place taken from the passage is far from what the claim describes: "
                       "probably not the place meant")
    return _claim(
        raw, verdict, reasons, tol,
        anchor=anchor.name, target=m.name, measured_km=round(m.km, 3),
        bearing_deg=round(bearing, 1) if bearing is not None else None, tolerance_km=round(t, 3),
        anchor_lat=anchor.lat, anchor_lon=anchor.lon, target_lat=m.lat, target_lon=m.lon,
        implicit_anchor=implicit, target_kind=m.kind, direction_ok=direction_ok, geometry=m.geometry,
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
