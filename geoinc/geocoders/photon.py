"""Photon (komoot's OSM geocoder): request parameters and answer parsing; the HTTP call lives in base.py.

Photon's ``/api`` answers GeoJSON; it has no country filter, so the country context becomes a bounding
box when one is given, and the validator checks each answer's ``countrycode``.
"""
from __future__ import annotations

from typing import Any

from geopy.geocoders import Photon

from ..models import Place
from .base import Candidate, Service, Viewbox
from .kinds import country_code, osm_kind

NAME = "photon"
DEFAULT_DOMAIN = "photon.komoot.io"


def params(limit: int, countries: tuple[str, ...], viewbox: Viewbox | None) -> dict[str, Any]:
    """geopy ``Photon.geocode`` keyword arguments (``bbox`` from the viewbox; countries are checked after)."""
    out: dict[str, Any] = {"limit": limit, "language": "en"}
    if viewbox:
        south, west, north, east = viewbox
        out["bbox"] = [(south, west), (north, east)]
    return out


def to_candidate(location: Any) -> Candidate | None:
    """A Photon GeoJSON feature (geopy Location.raw) as a Candidate; None without coordinates."""
    raw = location.raw
    props = raw.get("properties") or {}
    if location.latitude is None or location.longitude is None:
        return None
    key, value = props.get("osm_key"), props.get("osm_value")
    kind = osm_kind(key, value)
    if props.get("type") in {"house", "street"}:
        kind = None
    name = props.get("name") or (location.address or "").split(",")[0].strip()
    osm = f"{props.get('osm_type', '')}{props.get('osm_id', '')}"
    place = Place(
        id=f"geocoder:{NAME}:{osm}",
        name=name or location.address,
        lat=float(location.latitude),
        lon=float(location.longitude),
        kind=kind or "other",
        country_code=country_code(props.get("countrycode")),
        admin1=props.get("state"),
        source="geocoder",
        aliases=tuple(a for a in (location.address,) if a and a != name),
        provenance=f"{NAME} osm {props.get('osm_type', '')}{props.get('osm_id', '')}; "
                   "Data © OpenStreetMap contributors, ODbL 1.0",
    )
    return Candidate(place=place, feature=f"{key}={value}", placelike=kind is not None)


SERVICE = Service(
    name=NAME,
    geopy_class=Photon,
    default_domain=DEFAULT_DOMAIN,
    params=params,
    to_candidate=to_candidate,
    policy="https://photon.komoot.io (fair use; run your own instance for volume)",
)
