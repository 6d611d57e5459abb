"""Geocoder settings: defaults < ``config.toml`` under GEOINC_HOME < environment variables < explicit overrides.

The config file (``$GEOINC_HOME/config.toml``, or the file named by ``$GEOINC_CONFIG``) may hold::

    [geocoder]
    service = "nominatim"          # nominatim | photon | arcgis
    online = true                  # use the geocoder when the resolver cannot place a mention
    user_agent = "newsroom-maps/1.0 (ops@example.org)"
    timeout = 10                   # seconds for one whole answer (a trickling server is cut off)
    deadline = 30                  # seconds for a whole look-up, retries and waits included
    min_delay = 1.0                # seconds between two requests to one service
    [geocoder.photon]              # per-service values win over the general ones
    domain = "photon.example.org"

Nothing here does network I/O; reading the file is the only side effect. The settings record itself lives in
:mod:`.settings` (a leaf module), so the services and the client never import this module: the chain runs
config -> registry -> each service -> base -> settings, with no way back.
"""
from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from ..config import home
from ..errors import ConfigError
from .settings import DEFAULT_SERVICE, GeocoderSettings

ENV_CONFIG = "GEOINC_CONFIG"
ENV_CACHE = "GEOINC_GEOCODER_CACHE"
# environment variable -> settings field
ENV_VARS = {
    "GEOINC_GEOCODER": "service",
    "GEOINC_GEOCODER_DOMAIN": "domain",
    "GEOINC_GEOCODER_SCHEME": "scheme",
    "GEOINC_USER_AGENT": "user_agent",
    "GEOINC_GEOCODER_API_KEY": "api_key",
    "GEOINC_GEOCODER_TIMEOUT": "timeout",
    "GEOINC_GEOCODER_DEADLINE": "deadline",
    ENV_CACHE: "cache_path",
}

NOMINATIM_POLICY = "https://operations.osmfoundation.org/policies/nominatim/"

# user agents copied from examples (geopy's docs and its own default) that Nominatim's policy forbids
SAMPLE_USER_AGENTS = frozenset({
    "my-application", "my_app/1", "my_user_agent/1.0", "specify_your_app_name_here",
    "my-app", "myapp", "my_app", "test", "python", "python-requests", "mozilla/5.0",
})


_FIELDS = {f.name for f in fields(GeocoderSettings)}
_FLOATS = {"timeout", "deadline", "min_delay", "backoff", "max_wait", "negative_ttl", "down_for"}
_INTS = {"max_retries", "limit", "max_bytes"}
_POSITIVE = {"timeout", "deadline"}
_INT_MINIMUM = {"limit": 1, "max_bytes": 1024}


def config_file() -> Path:
    """The TOML file settings are read from: $GEOINC_CONFIG, else config.toml under GEOINC_HOME."""
    env = os.environ.get(ENV_CONFIG)
    return Path(env).expanduser() if env else home() / "config.toml"


def _read_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"cannot read geocoder settings from {path}: {err}") from err
    section = data.get("geocoder", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [geocoder] must be a table")
    return section


def _coerce(name: str, value: Any, origin: str) -> Any:
    """One raw value (from TOML, env or a flag) as the field's type; ConfigError names where it came from."""
    if value is None:
        return None
    if name in _FLOATS:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{origin}: {name} must be a number of seconds, not {value!r}") from None
        if not math.isfinite(number) or number < 0 or (name in _POSITIVE and number == 0):
            raise ConfigError(f"{origin}: {name} must be a positive number of seconds, not {value!r}")
        return number
    if name in _INTS:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{origin}: {name} must be a whole number, not {value!r}") from None
        if number < _INT_MINIMUM.get(name, 0):
            raise ConfigError(f"{origin}: {name} is too small: {value!r}")
        return number
    if name == "online":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off", ""}:
            return False
        raise ConfigError(f"{origin}: online must be true or false, not {value!r}")
    if name == "cache_path":
        return Path(str(value)).expanduser()
    text = str(value).strip()
    return text or None


def _split_domain(domain: str | None, scheme: str) -> tuple[str | None, str]:
    """Accept "host:port", and also "http://host:port/" pasted from a browser (its scheme then wins)."""
    if not domain:
        return None, scheme
    for prefix in ("http://", "https://"):
        if domain.lower().startswith(prefix):
            scheme, domain = prefix[:-3], domain[len(prefix):]
    domain = domain.rstrip("/")
    if not domain or "/" in domain or " " in domain:
        raise ConfigError(f"geocoder domain must look like HOST or HOST:PORT, not {domain!r}")
    return domain, scheme


def load_settings(*, environ: Mapping[str, str] | None = None, path: Path | None = None, validate: bool = True,
                  **overrides: Any) -> GeocoderSettings:
    """Settings from the config file, then the environment, then ``overrides`` (None values are ignored).

    ``validate=False`` skips the service/user-agent checks (to learn whether online mode is wanted at all).
    """
    environ = os.environ if environ is None else environ
    unknown = set(overrides) - _FIELDS
    if unknown:
        raise ConfigError(f"unknown geocoder setting(s): {', '.join(sorted(unknown))}")
    file_path = path or config_file()
    section = _read_file(file_path)
    values: dict[str, Any] = {}
    general = {k: v for k, v in section.items() if not isinstance(v, dict)}
    for key, value in general.items():
        if key == "cache":
            key = "cache_path"
        if key not in _FIELDS:
            raise ConfigError(f"{file_path}: unknown geocoder setting {key!r}")
        values[key] = _coerce(key, value, str(file_path))
    env_values = {field: _coerce(field, environ[var], var) for var, field in ENV_VARS.items()
                  if environ.get(var, "").strip()}
    flag_values = {k: _coerce(k, v, f"--{k.replace('_', '-')}") for k, v in overrides.items() if v is not None}
    service = (flag_values.get("service") or env_values.get("service") or values.get("service")
               or DEFAULT_SERVICE)
    service = str(service).strip().lower()
    per_service = section.get(service, {})
    if isinstance(per_service, dict):
        for key, value in per_service.items():
            if key == "cache":
                key = "cache_path"
            if key not in _FIELDS or key == "service":
                raise ConfigError(f"{file_path}: unknown setting {key!r} in [geocoder.{service}]")
            values[key] = _coerce(key, value, f"{file_path} [geocoder.{service}]")
    values.update(env_values)
    values.update(flag_values)
    values["service"] = service
    settings = replace(GeocoderSettings(), **{k: v for k, v in values.items() if v is not None})
    return validate_settings(settings) if validate else settings


def validate_settings(settings: GeocoderSettings) -> GeocoderSettings:
    """Check the service name, scheme, domain and Nominatim's user-agent rule; return normalised settings."""
    from .registry import SERVICES

    if settings.service not in SERVICES:
        raise ConfigError(f"unknown geocoder {settings.service!r}; choose one of: {', '.join(sorted(SERVICES))}")
    scheme = (settings.scheme or "https").lower()
    domain, scheme = _split_domain(settings.domain, scheme)
    if scheme not in ("http", "https"):
        raise ConfigError(f"geocoder scheme must be http or https, not {settings.scheme!r}")
    settings = replace(settings, domain=domain, scheme=scheme)
    check_user_agent(settings.service, settings.user_agent)
    return settings


def is_sample_user_agent(user_agent: str | None) -> bool:
    """True for a missing user agent, geopy's default and the placeholders copied from documentation."""
    if not user_agent or not user_agent.strip():
        return True
    ua = user_agent.strip().lower()
    return ua in SAMPLE_USER_AGENTS or ua.startswith(("geopy/", "python-requests/", "python-urllib/"))


def check_user_agent(service: str, user_agent: str | None) -> None:
    """Nominatim needs a user agent naming the application; refuse a missing or sample one, and say why."""
    if service != "nominatim" or not is_sample_user_agent(user_agent):
        return
    what = "no user agent is set" if not (user_agent or "").strip() else f"the user agent {user_agent!r} is a sample"
    raise ConfigError(
        f"Nominatim refused: {what}. Nominatim's usage policy ({NOMINATIM_POLICY}) requires a user agent "
        "that identifies your application (e.g. 'newsroom-maps/1.0 (ops@example.org)'), at most one "
        "request per second and no bulk geocoding. Set it with --user-agent, GEOINC_USER_AGENT or "
        "user_agent in [geocoder] of config.toml under GEOINC_HOME."
    )


__all__ = ["GeocoderSettings", "load_settings", "validate_settings", "check_user_agent",
           "is_sample_user_agent", "config_file", "ENV_VARS", "NOMINATIM_POLICY"]
