"""Pure steps that turn records into the compact JSON payloads a map draws client-side.

Incidents, place mentions, distance claims, zones and country outlines each become one small JSON-ready
structure (strings in a shared table, coordinates rounded); :mod:`geoinc.maps.layers` wraps each in one
folium element and ``assets/geoinc-map.js`` draws it. Nothing here touches folium or the page, so each
step is tested on plain records. Escaping helpers live here too: every string that reaches HTML or an
inline script passes through :func:`esc` or :func:`js_json`.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any

from ..errors import InputError

# ---------------------------------------------------------------------------------------------- colours

# ACLED's six event types in ACLED's order, each with a fixed colour; anything else gets a spare colour.
EVENT_TYPE_COLORS: dict[str, str] = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
    "Strategic developments": "#1f77b4",
}
SPARE_COLORS = ("#17becf", "#e377c2", "#bcbd22", "#7f7f7f", "#393b79", "#637939", "#8c6d31", "#843c39")
UNSPECIFIED_TYPE = "Unspecified"

# Where a mention's coordinates come from (the prefix of Mention.source) -> colour and legend label.
MENTION_SOURCE_COLORS: dict[str, str] = {   # chosen apart from the event-type colours above
    "curated": "#e7298a",
    "geonames": "#00897b",
    "country": "#66a61e",
    "admin1": "#b8e186",
    "geocoder": "#252525",
    "learned": "#e6ab02",
    "area": "#9e9ac8",
    "other": "#bdbdbd",
}
MENTION_SOURCE_LABELS: dict[str, str] = {
    "curated": "curated gazetteer", "geonames": "GeoNames", "country": "country (Natural Earth)",
    "admin1": "first-level region", "geocoder": "online geocoder", "learned": "learned place",
    "area": "region, sea or continent", "other": "other",
}

VERDICT_COLORS: dict[str, str] = {"consistent": "#1a9850", "inconsistent": "#d73027", "unverifiable": "#878787"}

# ACLED geo-precision -> radius of the uncertainty circle: 1 the site or town itself, 2 "near"/part of a
# region (ACLED's ~25 km), 3 only the region or country is known.
PRECISION_KM: dict[int, float] = {1: 2.0, 2: 25.0, 3: 100.0}


# ---------------------------------------------------------------------------------------------- escaping

_ESC = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;", ord("'"): "&#x27;",
        ord("`"): "&#96;", ord("$"): "&#36;", ord("\\"): "&#92;"}


def esc(value: object) -> str:
    """Escape text for HTML that folium may also place in a JS template literal (so `` ` ``, ``$``, ``\\`` too)."""
    return str("" if value is None else value).translate(_ESC)


_JS_UNSAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029",
              ord("`"): "\\u0060", ord("$"): "\\u0024"}


def js_json(data: Any) -> str:
    """Compact JSON that is safe inside an inline ``<script>`` (no ``</script>``, ``<!--``, line separators,
    backticks or ``$``: data can close no tag and open no template literal)."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False).translate(_JS_UNSAFE)


def safe_url(url: object) -> str | None:
    """An http(s) URL without characters that could break out of an attribute, else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return None
    if any(c in url for c in " \t\r\n\"'<>`\\") or len(url) > 2048:
        return None
    return url


# ---------------------------------------------------------------------------------------------- incidents


def _get(record: Any, name: str, default: Any = None) -> Any:
    if isinstance(record, Mapping):
        value = record.get(name, default)
    else:
        value = getattr(record, name, default)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return default
    return value


_INCIDENT_FIELDS = ("latitude", "longitude", "event_type", "fatalities", "injuries", "geo_precision", "location",
                    "admin1", "country", "event_date", "actor1", "actor2", "status", "sub_event_type", "event_id_cnty",
                    "fatalities_low", "fatalities_high", "date_start", "date_end")
_SOURCE_FIELDS = ("title", "url", "quote", "published", "article")
_ATTRS = {names: attrgetter(*names) for names in (_INCIDENT_FIELDS, _SOURCE_FIELDS)}


def _fields(record: Any, names: tuple[str, ...]) -> tuple[Any, ...]:
    """Several fields of a record object (fast path) or mapping, None where missing or NaN."""
    if isinstance(record, dict):
        values = tuple(record.get(n) for n in names)
    else:
        try:
            values = _ATTRS[names](record)
        except AttributeError:
            values = tuple(_get(record, n) for n in names)
    return tuple(None if (v is None or v != v) else v for v in values)


def _extras(killed_lo: Any, killed_hi: Any, date_start: Any, date_end: Any, day_cache: dict[str, int]) -> dict[str, Any]:
    """Optional row extras, only when they say more than the best values: a fatality range, a date interval."""
    extra: dict[str, Any] = {}
    try:
        lo, hi = int(killed_lo), int(killed_hi)
        if 0 <= lo < hi:
            extra["k"] = [lo, hi]
    except (TypeError, ValueError):
        pass
    if isinstance(date_start, str) and isinstance(date_end, str) and date_start != date_end:
        a, b = _day_number(date_start, day_cache), _day_number(date_end, day_cache)
        if 0 <= a < b:
            extra["d"] = [a, b]
    return extra


def sources_of(record: Any) -> list[Any]:
    """An incident's sources: Source objects, mappings, or the JSON text the store keeps."""
    value = _get(record, "sources", ()) or ()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return list(value) if isinstance(value, (list, tuple)) else []


_EPOCH = date(1970, 1, 1)


def _day_number(text: str, cache: dict[str, int]) -> int:
    """Days since 1970-01-01 of a YYYY-MM-DD date (-1 when absent or malformed)."""
    day = cache.get(text)
    if day is None:
        try:
            day = (date.fromisoformat(text[:10]) - _EPOCH).days if text else -1
        except ValueError:
            day = -1
        cache[text] = day
    return day


def type_colors(types: Sequence[str]) -> list[str]:
    """A colour per event type: ACLED's fixed ones, then the spare palette in order."""
    spare = iter(SPARE_COLORS * (1 + len(types) // len(SPARE_COLORS)))
    return [EVENT_TYPE_COLORS.get(t) or next(spare) for t in types]


def order_types(types: Iterable[str]) -> list[str]:
    """Event types in ACLED's order, then the others alphabetically, "Unspecified" last."""
    present = set(types)
    known = [t for t in EVENT_TYPE_COLORS if t in present]
    rest = sorted(t for t in present if t not in EVENT_TYPE_COLORS and t != UNSPECIFIED_TYPE)
    return known + rest + ([UNSPECIFIED_TYPE] if UNSPECIFIED_TYPE in present else [])


@dataclass(slots=True)
class IncidentPayload:
    """The compact client-side form of many incidents, plus what Python needs to know about it."""

    data: dict[str, Any]          # {"s": strings, "types": [[name, colour]], "rows": [...]}
    counts: list[int]             # incidents per type, aligned with data["types"]
    lats: list[float]
    lons: list[float]
    skipped: int                  # incidents without coordinates (cannot be drawn)


class _Strings:
    """The shared string table of a payload: each distinct string once, rows hold its index (-1 = none)."""

    def __init__(self) -> None:
        self.table: dict[str, int] = {}
        self._urls: dict[Any, int] = {}

    def index(self, value: Any) -> int:
        if value is None or value == "" or (value != value):   # None, empty, NaN
            return -1
        return self.table.setdefault(value if type(value) is str else str(value), len(self.table))

    def url(self, value: Any) -> int:
        """The index of a safe http(s) URL, -1 for anything else (checked once per distinct value)."""
        idx = self._urls.get(value)
        if idx is None:
            idx = self._urls[value] = self.index(safe_url(value))
        return idx


def _numbers(killed: Any, injured: Any, precision: Any) -> tuple[int, int, int]:
    """Killed (>= 0), injured (-1 = not reported) and an ACLED geo-precision (1-3, 3 when unusable)."""
    try:
        killed = max(0, int(killed or 0))
    except (TypeError, ValueError):
        killed = 0
    try:
        injured = -1 if injured is None else max(0, int(injured))
    except (TypeError, ValueError):
        injured = -1
    try:
        precision = int(precision or 3)
    except (TypeError, ValueError):
        precision = 3
    return killed, injured, precision if precision in PRECISION_KM else 3


def _incident_row(inc: Any, strings: _Strings, type_index: dict[str, int],
                  day_cache: dict[str, int]) -> tuple[list[Any], float, float] | None:
    """One incident as (payload row with its type's first-seen index, lat, lon); None without coordinates."""
    (lat, lon, etype, killed, injured, precision, location, admin1, country, event_date, actor1, actor2,
     status, sub_type, event_id, killed_lo, killed_hi, date_start, date_end) = _fields(inc, _INCIDENT_FIELDS)
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):   # also False for NaN
        return None
    etype = str(etype) if etype and etype == etype else UNSPECIFIED_TYPE
    t = type_index.setdefault(etype, len(type_index))
    killed, injured, precision = _numbers(killed, injured, precision)
    s = strings.index
    sources = []
    for src in sources_of(inc):
        title, url, quote, published, article = _fields(src, _SOURCE_FIELDS)
        sources.append([s(title), strings.url(url), s(quote), s(published), -1 if title else s(article)])
    place = next((v for v in (location, admin1, country) if v and v == v), "")
    row = [round(lat, 4), round(lon, 4), t, killed, precision,
           _day_number(event_date if type(event_date) is str else "", day_cache),
           s(actor1), s(actor2), s(place), s(status or "reported"), injured, s(sub_type), s(event_id), sources]
    extra = _extras(killed_lo, killed_hi, date_start, date_end, day_cache)
    if extra:
        row.append(extra)
    return row, lat, lon


def incident_payload(incidents: Iterable[Any]) -> IncidentPayload:
    """Incidents (``Incident`` objects or mappings with the same names) -> one compact array of rows.

    Row: [lat, lon, type, killed, precision, day, actor1, actor2, place, status, injured, sub_type,
    event_id, sources(, extras)]; coordinates to 4 decimals (11 m), strings are indices into a shared string
    table (-1 = none), sources are [title, url, quote, published, article (only when untitled)].
    Extras ({"k": [low, high] killed, "d": [first, last] day}) come only when there is a range.
    Incidents without coordinates are counted, not drawn.
    """
    strings = _Strings()
    day_cache: dict[str, int] = {}
    type_index: dict[str, int] = {}
    rows: list[list[Any]] = []
    lats: list[float] = []
    lons: list[float] = []
    skipped = 0
    for inc in incidents:
        found = _incident_row(inc, strings, type_index, day_cache)
        if found is None:
            skipped += 1
            continue
        rows.append(found[0])
        lats.append(found[1])
        lons.append(found[2])

    # renumber types into the fixed display order
    ordered = order_types(type_index)
    remap = {type_index[name]: i for i, name in enumerate(ordered)}
    counts = [0] * len(ordered)
    for row in rows:
        row[2] = remap[row[2]]
        counts[row[2]] += 1
    data = {
        "s": list(strings.table),
        "types": [[name, color] for name, color in zip(ordered, type_colors(ordered))],
        "rows": rows,
        "precisionKm": {str(k): v for k, v in PRECISION_KM.items()},
    }
    return IncidentPayload(data=data, counts=counts, lats=lats, lons=lons, skipped=skipped)


def bin_payload(lats: Sequence[float], lons: Sequence[float], killed: Sequence[int] | None = None,
                *, max_cells: int = 20_000) -> dict[str, Any]:
    """Aggregate points into square lat/lon cells for display: [[south, west, north, east, count, killed], ...].

    The cell size (a power-of-two fraction or multiple of a degree) is the smallest that keeps the
    non-empty cells under ``max_cells``: a map of a million incidents draws thousands of cells, not a
    million markers. Cells are only a density display; no distance is derived from them.
    """
    import numpy as np

    lat = np.asarray(lats, dtype=float)
    lon = np.asarray(lons, dtype=float)
    k = np.zeros(len(lat), dtype=np.int64) if killed is None else np.asarray(killed, dtype=np.int64)
    if lat.size == 0:
        return {"bins": [], "cellDeg": 0.0}
    size = 1.0 / 64
    while True:
        iy = np.floor(lat / size).astype(np.int64)
        ix = np.floor(lon / size).astype(np.int64)
        key = iy * 1_000_000 + ix
        uniq, inverse = np.unique(key, return_inverse=True)
        if len(uniq) <= max_cells or size >= 8:
            break
        size *= 2
    counts = np.bincount(inverse)
    sums = np.bincount(inverse, weights=k).astype(np.int64)
    cy = np.floor_divide(uniq + 500_000, 1_000_000)
    cx = uniq - cy * 1_000_000
    bins = [[round(float(y * size), 5), round(float(x * size), 5), round(float((y + 1) * size), 5),
             round(float((x + 1) * size), 5), int(c), int(f)]
            for y, x, c, f in zip(cy.tolist(), cx.tolist(), counts.tolist(), sums.tolist())]
    return {"bins": bins, "cellDeg": size}


# ---------------------------------------------------------------------------------------------- mentions


def mention_source_kind(source: str | None) -> str:
    """'curated:tower-22' -> 'curated'; 'water:red-sea', 'region:…', 'continent:…' -> 'area'; unknown -> 'other'."""
    kind = (source or "").split(":", 1)[0].strip().lower()
    if kind in {"region", "water", "continent"}:
        return "area"
    return kind if kind in MENTION_SOURCE_COLORS else "other"


def mention_payload(mentions: Iterable[Any]) -> dict[str, Any]:
    """Resolved mentions grouped by place: [[lat, lon, name, [texts], source kind, source id, count, precision]]."""
    places: dict[Any, list[Any]] = {}
    for m in mentions:
        lat, lon = _get(m, "lat"), _get(m, "lon")
        if lat is None or lon is None:
            continue
        key = _get(m, "place_id") or (round(float(lat), 4), round(float(lon), 4))
        row = places.get(key)
        text = str(_get(m, "text", ""))
        if row is None:
            source = str(_get(m, "source", "") or "")
            places[key] = [round(float(lat), 5), round(float(lon), 5), str(_get(m, "name") or text), [text],
                           mention_source_kind(source), source, 1, int(_get(m, "precision", 3) or 3)]
        else:
            if text not in row[3]:
                row[3].append(text)
            row[6] += 1
    return {"rows": list(places.values()), "colors": MENTION_SOURCE_COLORS}


# ---------------------------------------------------------------------------------------------- claims


def km_text(value: float) -> str:
    """A distance in km for a label: one decimal below 100 km ("8.5"), whole km above ("155")."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if value < 100 else f"{value:.0f}"


def _stated(claim: Any) -> str | None:
    """What a claim states: "10 km", "10 km N", "N" (a direction only), "near the border"; None for nothing."""
    stated, direction = _get(claim, "stated_km"), _get(claim, "stated_direction")
    if stated is not None:
        return f"{km_text(float(stated))} km" + (f" {direction}" if direction else "")
    if _get(claim, "kind") == "border-near":
        return "near the border" if "near" in str(_get(claim, "text", "")).lower() else "on the border"
    return str(direction) if direction else None


def claim_label(claim: Any) -> str:
    """"claimed 10 km · measured 8.5 km"; a direction-only claim "claimed N · measured bearing 12°"; a claim
    stating no number and no direction shows what was measured only ("?" where nothing was measured)."""
    stated, measured, bearing = _stated(claim), _get(claim, "measured_km"), _get(claim, "bearing_deg")
    if stated is not None and _get(claim, "stated_km") is None and _get(claim, "stated_direction") and \
            bearing is not None:
        right = f"measured bearing {float(bearing):.0f}°"
    else:
        right = f"measured {km_text(float(measured))} km" if measured is not None else "measured ?"
    return f"claimed {stated} · {right}" if stated is not None else right


def claim_details(claim: Any) -> list[list[str]]:
    """The popup's rows of a claim, [label, value], only those the claim has: subject, from, to, stated,
    measured, bearing, geometry (works with claims of any version: missing fields are left out)."""
    measured, bearing = _get(claim, "measured_km"), _get(claim, "bearing_deg")
    anchor = _get(claim, "anchor")
    if anchor and _get(claim, "implicit_anchor"):
        anchor = f"{anchor} (taken from the passage)"
    rows = [["Subject", _get(claim, "subject")], ["From", anchor], ["To", _get(claim, "target")],
            ["Stated", _stated(claim)],
            ["Measured", None if measured is None else f"{km_text(float(measured))} km"],
            ["Bearing", None if bearing is None else f"{float(bearing):.0f}°"],
            ["Geometry", _get(claim, "geometry")]]
    return [[label, str(value)] for label, value in rows if value not in (None, "")]


def claim_payload(claims: Iterable[Any]) -> dict[str, Any]:
    """Drawable claims: [[alat, alon, tlat, tlon, verdict, label, text, reason, stated_km, details]].

    Both ends known: a line. Only the anchor known but a distance stated: tlat/tlon are None and the
    map draws the circle of the stated radius around the anchor (where the text puts the target).
    Claims without an anchor position cannot be drawn and are left out.
    """
    rows = []
    for c in claims:
        alat, alon, tlat, tlon = (_get(c, k) for k in ("anchor_lat", "anchor_lon", "target_lat", "target_lon"))
        stated = _get(c, "stated_km")
        if alat is None or alon is None:
            continue
        if tlat is None or tlon is None:
            if stated is None or not (0 < float(stated) < 20_000):
                continue
            tlat = tlon = None
        verdict = str(_get(c, "verdict", "unverifiable"))
        verdict = verdict if verdict in VERDICT_COLORS else "unverifiable"
        ends = [round(float(alat), 5), round(float(alon), 5),
                None if tlat is None else round(float(tlat), 5), None if tlon is None else round(float(tlon), 5)]
        rows.append([*ends, verdict, claim_label(c), str(_get(c, "text", "")), str(_get(c, "reason", "")),
                     None if stated is None else float(stated), claim_details(c)])
    return {"rows": rows, "colors": VERDICT_COLORS}


# ---------------------------------------------------------------------------------------------- zones


@dataclass(frozen=True, slots=True)
class Zone:
    """A circle of ``radius_km`` around a place (e.g. the 55 km deconfliction zone around Al-Tanf)."""

    name: str
    lat: float
    lon: float
    radius_km: float
    color: str = "#3366cc"

    def __post_init__(self) -> None:
        if not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise InputError(f"zone {self.name!r}: lat/lon out of range ({self.lat}, {self.lon})")
        if not (0 < self.radius_km < 20_000):
            raise InputError(f"zone {self.name!r}: radius must be between 0 and 20000 km, got {self.radius_km}")


def as_zone(value: Any) -> Zone:
    """A Zone from a Zone, a mapping (name, lat, lon, radius_km) or a tuple (name, lat, lon, radius_km)."""
    if isinstance(value, Zone):
        return value
    if isinstance(value, Mapping):
        return Zone(str(value["name"]), float(value["lat"]), float(value["lon"]), float(value["radius_km"]))
    try:
        name, lat, lon, km = value
    except (TypeError, ValueError) as err:
        raise InputError(f"a zone is (name, lat, lon, radius_km), got {value!r}") from err
    return Zone(str(name), float(lat), float(lon), float(km))


__all__ = [
    "EVENT_TYPE_COLORS", "MENTION_SOURCE_COLORS", "MENTION_SOURCE_LABELS", "VERDICT_COLORS", "PRECISION_KM",
    "Zone", "as_zone", "esc", "js_json", "safe_url", "incident_payload", "IncidentPayload", "bin_payload",
    "mention_payload", "mention_source_kind", "claim_payload", "claim_label", "claim_details", "km_text",
    "order_types", "type_colors", "sources_of",
]
