"""Nominatim (OpenStreetMap): request parameters and answer parsing; the HTTP call lives in base.py.

Public instance policy: a real user agent, at most 1 request/s, no bulk geocoding
(https://operations.osmfoundation.org/policies/nominatim/). Self-hosted servers are configured by domain.
"""
from __future__ import annotations

from typing import Any

from geopy.geocoders import Nominatim

from ..models import Place
from .base import Candidate, Service, Viewbox
from .kinds import country_code, osm_kind

NAME = "nominatim"
DEFAULT_DOMAIN = "nominatim.openstreetmap.org"


def params(limit: int, countries: tuple[str, ...], viewbox: Viewbox | None) -> dict[str, Any]:
    """geopy ``Nominatim.geocode`` keyword arguments: country codes and viewbox narrow the search."""
    out: dict[str, Any] = {"limit": limit, "addressdetails": True, "language": "en"}
    if countries:
        out["country_codes"] = [c.lower() for c in countries]
    if viewbox:
        south, west, north, east = viewbox
        out["viewbox"] = [(south, west), (north, east)]
    return out


def to_candidate(location: Any) -> Candidate | None:
    """A Nominatim ``/search`` JSON record (geopy Location.raw) as a Candidate; None without coordinates."""
    raw = location.raw
    if location.latitude is None or location.longitude is None:
        return None
    address = raw.get("address") or {}
    display = raw.get("display_name") or location.address or ""
    name = raw.get("name") or display.split(",")[0].strip()
    key, value = raw.get("class") or raw.get("category"), raw.get("type")
    kind = osm_kind(key, value, raw.get("addresstype"))
    osm = f"{raw.get('osm_type', '')}/{raw.get('osm_id', '')}" if raw.get("osm_id") else str(raw.get("place_id", ""))
    place = Place(
        id=f"geocoder:{NAME}:{osm}",
        name=name or display,
        lat=float(location.latitude),
        lon=float(location.longitude),
        kind=kind or "other",
        country_code=country_code(address.get("country_code")),
        admin1=address.get("state") or address.get("province") or address.get("region"),
        source="geocoder",
        aliases=tuple(a for a in (display,) if a and a != name),
        provenance=f"{NAME} {raw.get('osm_type', 'place')} {raw.get('osm_id', raw.get('place_id', ''))}; "
                   f"{raw.get('licence', 'Data © OpenStreetMap contributors, ODbL 1.0')}",
    )
    return Candidate(place=place, feature=f"{key}={value}", placelike=kind is not None)


SERVICE = Service(
    name=NAME,
    geopy_class=Nominatim,
    default_domain=DEFAULT_DOMAIN,
    params=params,
    to_candidate=to_candidate,
    policy="https://operations.osmfoundation.org/policies/nominatim/",
)
