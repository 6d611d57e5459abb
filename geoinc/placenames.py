"""Place-name cells of imported spreadsheets -> places and countries (gazetteer, geocoder fallback, boundaries)."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .models import Incident, Place

Resolver = Callable[[str, Sequence[str]], "tuple[Place | None, float, int, str]"]


_QUALIFIER = re.compile(r"\b(?:near|outside|outskirts|around|countryside|vicinity|close to|area|environs|"
                        r"surroundings|rural)\b", re.I)
_QUALIFIER_WORDS = re.compile(r"\b(?:(?:the\s+)?(?:outskirts|vicinity|countryside|environs|surroundings|area)(?:\s+of)?"
                              r"|near(?:\s+to)?|outside(?:\s+of)?|around|close\s+to|rural)\b", re.I)


def split_qualifier(text: str) -> tuple[str, bool]:
    """A location cell -> (the place name, whether a qualifier said "around it"): "near Abu Kamal" ->
    ("Abu Kamal", True), "Mayadin countryside" -> ("Mayadin", True), "Tower 22" -> ("Tower 22", False).
    ACLED keeps the name in ``location`` and says "near" with geo_precision 2."""
    text = " ".join(text.split())
    if not _QUALIFIER.search(text):
        return text, False
    cleaned = re.sub(r"\s+", " ", _QUALIFIER_WORDS.sub(" ", text)).strip(" ,.-")
    return (cleaned or text), bool(cleaned)


def resolve_location(name: str, countries: Sequence[str] = (), *, online: bool = False) -> tuple[Place | None, float, int, str]:
    """(place, confidence 0..1, ACLED geo_precision, how) for a location cell like "near Abu Kamal".

    Gazetteer first (:func:`geoinc.geoparser.resolve.resolve_name`), then the geocoder fallback when ``online`` and
    configured. Qualifiers ("near", "countryside", "outskirts of") make the precision 2; countries and
    regions are 3.
    """
    from rapidfuzz import fuzz

    from .geoparser.resolve import acled_precision, resolve_name

    text = name.strip()
    cleaned, near = split_qualifier(text)
    place = resolve_name(text, context_countries=countries)
    if place is None and cleaned and cleaned != text:
        place = resolve_name(cleaned, context_countries=countries)
    how = "gazetteer"
    if place is None and online:
        from .config import forced_offline

        if not forced_offline():
            try:
                from .geocoders import Fallback

                fb = Fallback.from_config()
                place, reason = fb.lookup(cleaned or text, country_codes=tuple(countries))
                how = f"geocoder ({reason})" if place is None else "geocoder"
            except Exception as err:  # noqa: BLE001 - an unconfigured or failing geocoder: report, keep the row
                how = f"geocoder unavailable: {err}"
    if place is None:
        return None, 0.0, 3, how
    names = [place.name, *place.aliases]
    score = max(fuzz.token_set_ratio((cleaned or text).lower(), n.lower()) for n in names) / 100.0
    confidence = round(score * (0.9 if near else 1.0), 3)
    return place, confidence, acled_precision(place.kind, near), how


def country_codes(country: str) -> list[str]:
    """ISO2 of a country cell ("Syria", "SY"), as the gazetteer's context; [] when unknown or empty."""
    if not country.strip():
        return []
    from . import boundaries

    c = boundaries.find_country(country.strip())
    return [c.iso2] if c is not None else []


def iso3(cc: str | None) -> str:
    """ISO3 of an ISO2 code, "XXX" when unknown (for generated incident ids)."""
    if not cc:
        return "XXX"
    from . import boundaries

    c = boundaries.find_country(cc)
    return c.iso3 if c is not None else "XXX"


def fill_country(inc: Incident, given: str, codes: list[str]) -> None:
    """Set the incident's country, code, ISO number and ACLED region from its code, the row's country or its point."""
    from . import boundaries
    from .incidents.taxonomy import ACLED_REGIONS

    c = None
    if inc.country_code:
        c = boundaries.find_country(inc.country_code)
    if c is None and codes:
        c = boundaries.find_country(codes[0])
    if c is None and inc.latitude is not None:
        c = boundaries.country_at(inc.latitude, inc.longitude)
    if c is None:
        inc.country = given.strip()
        return
    inc.country, inc.country_code = c.name, c.iso2
    inc.iso = str(int(c.iso_n3)) if str(c.iso_n3).isdigit() else ""
    inc.region = ACLED_REGIONS.get(c.iso2, c.subregion)


__all__ = ["Resolver", "resolve_location", "country_codes", "iso3", "fill_country"]
