"""Decide whether a geocoder's answer may be accepted for a mention. Pure: the country lookup is injected.

A service ranks by its own idea of relevance, so its first answer is never taken blindly: it must be a
place (not a street, shop or house), lie in one of the expected countries, inside the viewbox when one
is given, and be of an expected kind when kinds are given.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from .base import Candidate, Viewbox

CountryAt = Callable[[float, float], str | None]


def rejection(candidate: Candidate, *, country_codes: Sequence[str] = (), viewbox: Viewbox | None = None,
              kinds: Sequence[str] = (), country_at: CountryAt | None = None) -> str | None:
    """Why ``candidate`` cannot be accepted ("rejected: ..."), or None when it passes every check."""
    place = candidate.place
    if not candidate.placelike:
        return f"rejected: answer is a {candidate.feature} feature, not a place"
    if country_codes:
        expected = [c.upper() for c in country_codes]
        found = place.country_code or (country_at(place.lat, place.lon) if country_at else None)
        if found is None:
            return f"rejected: answer's country unknown, expected {' or '.join(expected)}"
        if found.upper() not in expected:
            return f"rejected: answer in {found.upper()}, expected {' or '.join(expected)}"
    if viewbox is not None:
        south, west, north, east = viewbox
        if not (south <= place.lat <= north and west <= place.lon <= east):
            return (f"rejected: answer at lat {place.lat:.4f}, lon {place.lon:.4f} is outside the viewbox "
                    f"(south {south:g}, west {west:g}, north {north:g}, east {east:g})")
    if kinds and place.kind not in kinds:
        return f"rejected: answer is a {place.kind}, expected {' or '.join(kinds)}"
    return None


def choose(candidates: Sequence[Candidate], **checks) -> tuple[Candidate | None, str]:
    """The first acceptable candidate and "accepted", or None and the first candidate's rejection reason."""
    first_reason = "no result"
    for i, candidate in enumerate(candidates):
        reason = rejection(candidate, **checks)
        if reason is None:
            return candidate, "accepted"
        if i == 0:
            first_reason = reason
    return None, first_reason


__all__ = ["rejection", "choose"]
