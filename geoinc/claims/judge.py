"""Judging what a claim states against what was measured: distance bands, compass sectors, border proximity.

The rules (the convention of the team's gold claims, documented in docs/claims.md):

- **distance**: a stated distance agrees when ``|stated − measured| ≤ max(absolute_km, relative × measured)``
  — 5 km or 25 % *of the measured (true) distance* by default. The tolerance is relative to the truth, not
  to the number in the text, so a claim cannot widen its own band by being large. Qualifiers that only hedge
  ("about", "some", "nearly", "only") do not change the band; bounds do: "at least/more than/over" agree
  with anything from the band's low edge up, "within/less than/under/up to" with anything up to its high
  edge; a range "10 to 15 km" agrees with anything from the low number's band to the high number's.
- **road distance**: when a stated distance does not agree and is 1.2–1.6 times the straight line, the reason
  says it reads like a road distance; the verdict stays inconsistent (the claim is about geography).
- **direction**: the bearing (anchor → subject; border: nearest border point → subject) must lie within
  ±45° of the stated compass point — for the 16-point names (NNW) too, since reporters round.
- **border proximity** without a number: "on the border" holds up to 15 km, "near/along/close to" up to
  50 km from the border line.
- **conversions** in brackets ("20 km (12 miles)") are checked against the number they convert; when they
  disagree the first-written number is the claim and the reason says whether the other would agree.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import InputError
from ..geodesy import COMPASS_CENTRES, angle_diff
from .parse import RawClaim
from .quantity import KM_PER_UNIT


def _python_class(cls: type) -> type:
    """Keeps a class a plain Python class under mypyc (which compiles only classes with the decorators it knows):
    :class:`Tolerance` is built by callers, and its own ``__post_init__`` must answer a wrong field with an
    InputError rather than the compiled constructor's bare TypeError."""
    return cls


@_python_class
@dataclass(frozen=True, slots=True)
class Tolerance:
    """How far a measurement may be from what the text states and still agree; all configurable.

    ``km(measured)`` is ``max(absolute_km, relative × measured)``; ``about_factor`` widens the band for
    "about"-like qualifiers (1 = not at all, the default); ``direction_deg`` is the half-width of a main
    compass sector and ``fine_direction_deg`` of a 16-point one; below ``min_direction_km`` no direction is
    checked; ``on_border_km``/``near_border_km`` bound "on"/"near the border"; ``road_ratio`` is the range of
    stated/measured that reads like a road distance; conversions agree within ``conversion_relative``.
    """

    relative: float = 0.25
    absolute_km: float = 5.0
    about_factor: float = 1.0
    direction_deg: float = 45.0
    fine_direction_deg: float = 45.0
    min_direction_km: float = 1.0
    conversion_relative: float = 0.10
    on_border_km: float = 15.0
    near_border_km: float = 50.0
    road_ratio: tuple[float, float] = (1.2, 1.6)

    def __post_init__(self) -> None:
        for name in ("relative", "absolute_km", "about_factor", "direction_deg", "fine_direction_deg",
                     "min_direction_km", "conversion_relative", "on_border_km", "near_border_km"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or value < 0 or value != value:
                raise InputError(f"tolerance {name} must be a number >= 0, not {value!r}")
        if self.relative >= 1:
            raise InputError(f"tolerance relative must be below 1, not {self.relative}")
        if max(self.direction_deg, self.fine_direction_deg) > 180:
            raise InputError("tolerance direction_deg must be at most 180")

    def km(self, measured_km: float) -> float:
        """The tolerance at a measured distance."""
        return max(self.absolute_km, self.relative * abs(measured_km))


DEFAULT_TOLERANCE = Tolerance()


def _edges(stated_km: float, tol: Tolerance, factor: float) -> tuple[float, float]:
    """The measured values m with |stated − m| ≤ max(a, r·m): [min(s − a, s/(1+r)), max(s + a, s/(1−r))]."""
    a, r = tol.absolute_km * factor, min(tol.relative * factor, 0.95)
    return max(0.0, min(stated_km - a, stated_km / (1 + r))), max(stated_km + a, stated_km / (1 - r))


def band(stated_km: float, kind: str, tol: Tolerance, high_km: float | None = None) -> tuple[float, float, float]:
    """(low, high, tolerance at the stated value): the measured distances that agree under a qualifier kind."""
    factor = tol.about_factor if kind == "about" else 1.0
    low, high = _edges(stated_km, tol, factor)
    t = tol.km(stated_km) * factor
    if kind == "range" and high_km is not None:
        return low, _edges(high_km, tol, factor)[1], t
    if kind == "min":
        return low, math.inf, t
    if kind == "max":
        return 0.0, high, t
    return low, high, t


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


def distance_verdict(raw: RawClaim, measured: float, tol: Tolerance) -> tuple[bool, float, str]:
    """(agrees, tolerance km, reason) for a stated distance against the measured one."""
    q = raw.quantity
    assert q is not None
    kind = q.qualifier_kind
    low, high, _ = band(q.km, kind, tol, q.high_km)
    ok = low <= measured <= high
    t = tol.km(measured) * (tol.about_factor if kind == "about" else 1.0)
    if kind == "min":
        rule = f"at least {low:.1f} km"
    elif kind == "max":
        rule = f"at most {high:.1f} km"
    else:
        rule = f"{low:.1f}–{high:.1f} km"
    text = (f"measured {measured:.1f} km vs stated {q.text.strip()!r}: agrees when the true distance is {rule} "
            f"(within 25 % of it or {tol.absolute_km:g} km): {'agrees' if ok else 'does not agree'}")
    if not ok and measured > 0 and kind not in ("min", "max"):
        ratio = q.km / measured
        if tol.road_ratio[0] <= ratio <= tol.road_ratio[1]:
            text += (f"; the stated distance is {ratio:.2f} times the straight line, as road distances are: "
                     "probably a road distance given as a straight-line one")
    return ok, t, text


def direction_verdict(code: str, bearing: float, tol: Tolerance) -> tuple[bool, float]:
    """(within the sector, half-width) for a bearing against a compass point."""
    hw = tol.direction_deg if len(code) <= 2 else tol.fine_direction_deg
    return angle_diff(bearing, COMPASS_CENTRES[code]) <= hw + 1e-9, hw


def proximity_verdict(relation: str, measured: float, tol: Tolerance) -> tuple[bool, float, str]:
    """(agrees, threshold, reason) for "on/near the border" without a number."""
    limit = tol.on_border_km if relation == "on" else tol.near_border_km
    ok = measured <= limit
    return ok, limit, (f"measured {measured:.1f} km to the border: \"{relation} the border\" holds up to {limit:g} km: "
                       f"{'agrees' if ok else 'does not agree'}")


def conversion_note(raw: RawClaim, tol: Tolerance, measured: float | None) -> tuple[bool | None, str | None]:
    """(conversions agree, note): None when the text gives no conversion."""
    q = raw.quantity
    if q is None or q.conversion_km is None or q.conversion_value is None or q.conversion_unit is None:
        return None, None
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


__all__ = ["Tolerance", "DEFAULT_TOLERANCE", "band", "conversions_agree", "distance_verdict", "direction_verdict",
           "proximity_verdict", "conversion_note"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.claims.judge":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
