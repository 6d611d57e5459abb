"""Judging a stated length against a measured one: tolerance, qualifier bands, bracketed conversions.

Tolerance (see :class:`Tolerance`): a measured value agrees with a stated one when they differ by at most
``max(absolute_km, relative × stated)`` — 2 km or 20 % by default: the absolute part covers the
precision of a gazetteer point (a base, a town's centre) and of 1:10m borders, the relative part the
rounding reporters do. Qualifiers bend the band: "about/some/around/roughly" widen it 1.5×; "at
least/more than/over" only bound from below; "within/less than/under/up to" only from above;
"nearly/almost" allow the wide band below and the plain band above; "only/just" ("not much more")
keep the plain band; a range "10 to 15 km" accepts anything in the range ± the tolerance.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import InputError
from .parse import RawClaim
from .quantity import KM_PER_UNIT


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


def distance_verdict(raw: RawClaim, measured: float, tol: Tolerance) -> tuple[bool, float, str]:
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


def conversion_note(raw: RawClaim, tol: Tolerance, measured: float | None) -> tuple[bool | None, str | None]:
    q = raw.quantity
    if q.conversion_km is None or q.conversion_value is None or q.conversion_unit is None:
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


__all__ = ["Tolerance", "DEFAULT_TOLERANCE", "band", "conversions_agree", "distance_verdict", "conversion_note"]
