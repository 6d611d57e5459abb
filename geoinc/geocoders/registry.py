"""Geocoders by name: the registry the settings, the client and the CLI choose from."""
from __future__ import annotations

from . import arcgis, nominatim, photon
from .base import Service

SERVICES: dict[str, Service] = {
    nominatim.NAME: nominatim.SERVICE,
    photon.NAME: photon.SERVICE,
    arcgis.NAME: arcgis.SERVICE,
}

__all__ = ["SERVICES"]
