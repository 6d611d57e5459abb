"""The few exceptions geoinc raises; each also inherits the matching built-in so callers may catch either."""
from __future__ import annotations


class GeoIncError(Exception):
    """Root of every error geoinc raises on purpose."""


class InputError(GeoIncError, ValueError):
    """Bad input from the user: empty or binary text, a malformed date, bbox, polygon or CSV row."""


class NotFoundError(GeoIncError, LookupError):
    """A named thing does not exist: a file, a country, an incident id, a place."""


class GeocoderError(GeoIncError):
    """An online geocoder failed (refused, malformed answer, HTTP error) after the allowed retries."""


class GeocoderTimeout(GeocoderError, TimeoutError):
    """An online geocoder did not answer within the configured timeout."""


class ConfigError(GeoIncError, ValueError):
    """A setting is missing or invalid (geocoder user agent, API key, paths)."""


class StoreError(GeoIncError):
    """The incident store cannot be opened or written (locked, corrupt, wrong schema)."""


__all__ = [
    "GeoIncError", "InputError", "NotFoundError", "GeocoderError", "GeocoderTimeout",
    "ConfigError", "StoreError",
]
