"""Online geocoders through geopy, used only when the local gazetteer has no confident answer.

``Fallback`` is the entry point (cache -> rate-limited, retried request -> validation -> learned places);
``SERVICES`` names the supported geocoders; ``load_settings`` reads config.toml and the environment.
Names are imported on first use, so reading settings (e.g. to learn that online mode is off) does not
import geopy.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Fallback": "fallback", "Answer": "fallback", "SERVICES": "registry", "GeocoderSettings": "settings",
    "load_settings": "config", "GeocoderCache": "cache", "normalise_query": "cache", "context_key": "cache",
    "GeocoderClient": "base", "Service": "base", "Candidate": "base", "Throttle": "base",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'geoinc.geocoders' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # pragma: no cover
    from .base import Candidate, GeocoderClient, Service, Throttle
    from .cache import GeocoderCache, context_key, normalise_query
    from .config import load_settings
    from .fallback import Answer, Fallback
    from .registry import SERVICES
    from .settings import GeocoderSettings
