"""Decide whether a geocoder's answer may be accepted for a mention. Pure: the country lookup is injected.

A service ranks by its own idea of relevance, so its first answer is never taken blindly: it must be a
place (not a street, shop or house), lie in one of the expected countries, inside the viewbox when one
is given, and be of an expected kind when kinds are given.
"""
from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence

from .base import Candidate, Viewbox

CountryAt = Callable[[float, float], str | None]

# the longest name a place gets ("Ras al-Khaimah", "Llanfairpwllgwyngyll…" fit; a paragraph does not)
MAX_NAME_CHARS = 100
_MARKUP = ("<", ">", "{", "}", "://", "\\")


def name_problem(name: str | None) -> str | None:
    """Why a name from a geocoder cannot become a place name in geoinc ("Abu Kamal" passes), or None.

    It will be printed on terminals, drawn on maps and matched in texts: no control or format characters
    (a terminal escape such as ESC ] 0 ;), no markup or links, at most MAX_NAME_CHARS characters, and at
    least one letter.
    """
    if name is None or not name.strip():
        return "has no name"
    if len(name) > MAX_NAME_CHARS:
        return f"has a name of {len(name)} characters, more than a place name has ({MAX_NAME_CHARS})"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") and c not in "\u200c\u200d" for c in name):
        return "has control characters in its name"
    if any(m in name for m in _MARKUP):
        return "has markup or a link in its name"
    if not any(c.isalpha() for c in name):
        return "has no letter in its name"
    return None


def clean_aliases(aliases: Sequence[str]) -> tuple[str, ...]:
    """The aliases that are acceptable names (a geocoder's display names are learned as aliases)."""
    return tuple(a for a in aliases if name_problem(a) is None)


def rejection(candidate: Candidate, *, country_codes: Sequence[str] = (), viewbox: Viewbox | None = None,
              kinds: Sequence[str] = (), country_at: CountryAt | None = None) -> str | None:
    """Why ``candidate`` cannot be accepted ("rejected: ..."), or None when it passes every check."""
    place = candidate.place
    problem = name_problem(place.name)
    if problem is not None:
        return f"rejected: answer {problem}"
    if not (math.isfinite(place.lat) and math.isfinite(place.lon) and -90 <= place.lat <= 90
            and -180 <= place.lon <= 180):
        return f"rejected: answer's coordinates are not a point on Earth ({place.lat}, {place.lon})"
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


__all__ = ["rejection", "choose", "name_problem", "clean_aliases", "MAX_NAME_CHARS"]
