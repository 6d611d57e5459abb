"""ArcGIS World Geocoding Service: request parameters and answer parsing; the HTTP call lives in base.py.

geopy's ``ArcGIS`` has no API-key, country or extent parameters, so :class:`ArcGISKeyed` adds them to the
``findAddressCandidates`` request (``token``, ``sourceCountry``, ``searchExtent``). Esri's terms forbid
storing results without a suitable licence ("forStorage"): see docs/geocoding.md.
"""
from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import urlencode

from geopy.geocoders import ArcGIS
from geopy.geocoders.base import DEFAULT_SENTINEL

from ..models import Place
from .base import Candidate, Service, Viewbox
from .kinds import country_code
from .settings import GeocoderSettings

NAME = "arcgis"
DEFAULT_DOMAIN = "geocode.arcgis.com"
OUT_FIELDS = ("Type", "Addr_type", "Country", "Region", "PlaceName", "LongLabel")

# Addr_type values that are street addresses, never a place mention
_ADDRESS_TYPES = frozenset({"pointaddress", "streetaddress", "streetaddressext", "streetint", "streetname",
                            "streetmidblock", "distancemarker", "parceladdress", "subaddress", "postal",
                            "postalext", "postalloc", "latlong", "xy"})
_TYPES = {
    "city": "city", "town": "town", "village": "village", "populated place": "village",
    "neighborhood": "district", "country": "country", "state or province": "admin1",
    "county": "admin2", "district": "admin2", "military base": "base", "airport": "airport",
    "dam": "dam", "border crossing": "border_crossing", "refugee camp": "camp", "port": "port",
    "harbor": "port", "lake": "water", "river": "water", "sea": "water", "checkpoint": "checkpoint",
}


class ArcGISKeyed(ArcGIS):
    """geopy's ArcGIS plus an API key (sent as ``token``) and the country/extent parameters."""

    def __init__(self, *args: Any, api_key: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_key = api_key

    def geocode(self, query: str, *, exactly_one: bool = True, timeout: Any = DEFAULT_SENTINEL,
                out_fields: Any = None, limit: int | None = None, source_country: str | None = None,
                search_extent: str | None = None) -> Any:
        request: dict[str, Any] = {"singleLine": query, "f": "json"}
        request["maxLocations"] = 1 if exactly_one else (limit or 5)
        if out_fields:
            request["outFields"] = out_fields if isinstance(out_fields, str) else ",".join(out_fields)
        if source_country:
            request["sourceCountry"] = source_country
        if search_extent:
            request["searchExtent"] = search_extent
        if self.api_key:
            request["token"] = self.api_key
        url = "?".join((self.api, urlencode(request)))
        callback = partial(self._parse_geocode, exactly_one=exactly_one)
        return self._call_geocoder(url, callback, timeout=timeout)


def params(limit: int, countries: tuple[str, ...], viewbox: Viewbox | None) -> dict[str, Any]:
    """``findAddressCandidates`` extras: output fields, ``sourceCountry`` and ``searchExtent`` (x=lon, y=lat)."""
    out: dict[str, Any] = {"limit": limit, "out_fields": OUT_FIELDS}
    if countries:
        out["source_country"] = ",".join(c.upper() for c in countries)
    if viewbox:
        south, west, north, east = viewbox
        out["search_extent"] = f"{west},{south},{east},{north}"
    return out


def to_candidate(location: Any) -> Candidate | None:
    """An ArcGIS candidate (geopy Location.raw) as a Candidate; None without coordinates."""
    raw = location.raw
    attrs = raw.get("attributes") or {}
    if location.latitude is None or location.longitude is None:
        return None
    addr_type = str(attrs.get("Addr_type") or "")
    type_ = str(attrs.get("Type") or "")
    placelike = addr_type.lower() not in _ADDRESS_TYPES
    kind = _TYPES.get(type_.lower(), "other") if placelike else "other"
    name = attrs.get("PlaceName") or (raw.get("address") or "").split(",")[0].strip()
    place = Place(
        id=f"geocoder:{NAME}:{name}@{float(location.latitude):.5f},{float(location.longitude):.5f}",
        name=name or raw.get("address", ""),
        lat=float(location.latitude),
        lon=float(location.longitude),
        kind=kind,
        country_code=country_code(attrs.get("Country")),
        admin1=attrs.get("Region") or None,
        source="geocoder",
        aliases=tuple(a for a in (attrs.get("LongLabel") or raw.get("address"),) if a and a != name),
        provenance=f"{NAME} score {raw.get('score', '')}; Esri ArcGIS World Geocoding Service",
    )
    return Candidate(place=place, feature=f"Addr_type={addr_type}, Type={type_}", placelike=placelike)


def client_kwargs(settings: GeocoderSettings) -> dict[str, Any]:
    return {"api_key": settings.api_key}


SERVICE = Service(
    name=NAME,
    geopy_class=ArcGISKeyed,
    default_domain=DEFAULT_DOMAIN,
    params=params,
    to_candidate=to_candidate,
    client_kwargs=client_kwargs,
    policy="https://www.esri.com/en-us/legal/terms/full-master-agreement (API key; storing results needs forStorage)",
)
