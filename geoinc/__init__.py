"""geoinc: places, incidents and distance claims from news text, on layered maps.

The public surface is small and re-exported here; each name is imported on first use so that
``import geoinc`` stays fast (the CLI's cold start matters).
"""
import importlib as _importlib
import typing as _typing

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "geoparse": "geoinc.geoparser.resolve",
    "check_distances": "geoinc.claims.measure",
    "read_articles": "geoinc.articles",
    "extract_incidents": "geoinc.incidents.extract",
    "incidents_frame": "geoinc.incidents.extract",
    "query": "geoinc.regions",
    "build_map": "geoinc.maps.render",
    "report": "geoinc.reports.build",
    "open_store": "geoinc.store",
    "Gazetteer": "geoinc.gazetteer.index",
    "Place": "geoinc.models",
    "Mention": "geoinc.models",
    "Claim": "geoinc.models",
    "Incident": "geoinc.models",
    "Source": "geoinc.models",
    "GeoIncError": "geoinc.errors",
    "InputError": "geoinc.errors",
    "NotFoundError": "geoinc.errors",
    "GeocoderError": "geoinc.errors",
    "GeocoderTimeout": "geoinc.errors",
    "ConfigError": "geoinc.errors",
    "StoreError": "geoinc.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'geoinc' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names (and the module's dunders), not the helpers this file imports for itself."""
    return sorted({n for n in globals() if n.startswith("__")} | set(__all__) | {"__version__"})


if _typing.TYPE_CHECKING:  # pragma: no cover
    from .articles import read_articles
    from .claims.measure import check_distances
    from .errors import (ConfigError, GeocoderError, GeocoderTimeout, GeoIncError, InputError,
                         NotFoundError, StoreError)
    from .gazetteer.index import Gazetteer
    from .incidents.extract import extract_incidents, incidents_frame
    from .maps.render import build_map
    from .models import Claim, Incident, Mention, Place, Source
    from .regions import query
    from .geoparser.resolve import geoparse
    from .store import open_store
