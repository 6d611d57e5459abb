"""Online geocoders through geopy, used only when the local gazetteer has no confident answer.

``Fallback`` is the entry point (cache -> rate-limited, retried request -> validation -> learned places);
``SERVICES`` names the supported geocoders; ``load_settings`` reads config.toml and the environment.
"""
from __future__ import annotations

from .base import Candidate, GeocoderClient, Service, Throttle
from .cache import GeocoderCache, context_key, normalise_query
from .config import GeocoderSettings, load_settings
from .fallback import Answer, Fallback
from .registry import SERVICES

__all__ = ["Fallback", "Answer", "SERVICES", "GeocoderSettings", "load_settings", "GeocoderCache",
           "GeocoderClient", "Service", "Candidate", "Throttle", "normalise_query", "context_key"]
