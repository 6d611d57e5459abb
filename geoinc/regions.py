"""Region queries: turn a region spec (country, admin1, bbox, radius, polygon) plus filters into incidents.

Pure: a region kind (geoinc.shapes) knows its prefilter boxes and an exact, vectorised point predicate
(``contains(lon, lat) -> bool array``); :func:`build_spec` validates every parameter into a QuerySpec, and
:func:`exact_mask` / :func:`attribute_mask` are the predicates every store backend applies. Running a query is
one call on the store (``store.select(spec)``, see geoinc.store): :func:`run` and :func:`query` make it.

Predicate rules (documented once, used everywhere):

* **boundaries are inside.** A point exactly on a country border, a polygon edge, a bbox edge or at
  exactly ``radius_km`` is included (shapely ``intersects_xy`` = "covers" for a point, ``<=`` for
  distances). A point on a shared border therefore belongs to both countries.
* **holes are outside**, multipolygons are exact part by part (no convex hull or envelope).
* **antimeridian:** a bbox whose ``minlon > maxlon`` crosses 180°, and is split into two boxes; a
  polygon whose longitudes go past ±180 (e.g. 170..190) is cut at 180° and wrapped; Natural Earth
  countries (Fiji, Russia, the US) already come split there.
* **radius** is geodesic on WGS84 (pyproj.Geod): the prefilter box is the envelope of the geodesic
  circle (poles and 180° handled), the exact test is the geodesic distance.
* **admin1:** no first-level polygons ship with the project, so an admin1 region matches the incident's
  ``admin1`` field with case, accents, hyphens, dots and spacing folded ("deir-ez-zor" matches "Deir ez-Zor";
  "Deir Ezzor" or "Dayr az Zawr" do not). A GeoNames code such as ``SY.07`` is turned into the gazetteer's
  admin1 name(s) for it, and a name is widened with the aliases of a gazetteer admin1 entry of that name.
* Several regions in one query are combined with AND (``--country SY --within "50 km of Tower 22"``
  gives the Syrian incidents within 50 km of Tower 22).
"""
from __future__ import annotations

import functools
import math
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import InputError, NotFoundError
from .models import STATUSES
from .shapes import (MAX_RADIUS_KM, Admin1Region, AreaRegion, BBoxRegion, Box, RadiusRegion, Region, _float,
                     check_lat_lon, fold, geod, make_radius, parse_bbox, parse_polygon)


SQL_INT_MAX = 2**63 - 1             # the largest integer SQLite stores or binds

if TYPE_CHECKING:  # heavy imports stay lazy for the CLI's start-up
    import geopandas as gpd

    from .store import IncidentStore


def parse_date(value: str | date | None, name: str = "date") -> str | None:
    """A YYYY-MM-DD string (or date) -> normalised ISO string; InputError names the parameter."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise InputError(f"bad {name} {text!r}: expected a date as YYYY-MM-DD, e.g. 2024-01-28")
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as err:
        raise InputError(f"bad {name} {text!r}: {err}") from err



# ---------------------------------------------------------------------------------------------------
# "--within 50 km of Tower 22"

_UNITS_KM = {
    "km": 1.0, "kms": 1.0, "kilometer": 1.0, "kilometers": 1.0, "kilometre": 1.0, "kilometres": 1.0,
    "m": 0.001, "meter": 0.001, "meters": 0.001, "metre": 0.001, "metres": 0.001,
    "mi": 1.609344, "mile": 1.609344, "miles": 1.609344,
    "nm": 1.852, "nmi": 1.852, "nautical mile": 1.852, "nautical miles": 1.852,
}
_WITHIN_RE = re.compile(
    r"^\s*(?:within\s+)?(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>nautical\s+miles?|[a-z]+)\s+(?:of|from|around)\s+(?P<what>.+?)\s*$",
    re.I,
)
_LATLON_RE = re.compile(r"^\s*(?P<lat>[-+]?\d+(?:\.\d+)?)\s*[,\s]\s*(?P<lon>[-+]?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True, slots=True)
class Within:
    """A parsed ``--within`` phrase: a radius and either a place name or a lat,lon point."""

    radius_km: float
    name: str | None = None
    lat: float | None = None
    lon: float | None = None


def parse_within(text: str) -> Within:
    """``"50 km of Tower 22"``, ``"30 miles from Al-Tanf"``, ``"10 km of 33.31,38.70"`` (lat,lon) -> Within."""
    m = _WITHIN_RE.match(text or "")
    if not m:
        raise InputError(f"bad --within {text!r}: expected e.g. '50 km of Tower 22' or '10 km of 33.31,38.70' (lat,lon)")
    unit = " ".join(m["unit"].lower().split())
    if unit not in _UNITS_KM:
        raise InputError(f"bad --within {text!r}: unknown unit {m['unit']!r} (use km, m, mi or nm)")
    radius_km = float(m["num"]) * _UNITS_KM[unit]
    what = m["what"].strip().strip("\"'")
    pt = _LATLON_RE.match(what)
    if pt:
        lat, lon = float(pt["lat"]), float(pt["lon"])
        check_lat_lon(lat, lon, "--within point (lat,lon)")
        return Within(radius_km, lat=lat, lon=lon)
    return Within(radius_km, name=what)


# ---------------------------------------------------------------------------------------------------
# resolving specs that need data (countries, places, admin1 codes)

_COUNTRY_LOCK = threading.Lock()


def country_region(key: str) -> AreaRegion:
    """The Natural Earth polygon of a country by ISO2, ISO3 or name; NotFoundError when unknown.

    Built once per key and shared: the lock keeps two threads from preparing one geometry at once."""
    with _COUNTRY_LOCK:
        return _country_region_cached(key.strip())


@functools.lru_cache(maxsize=64)
def _country_region_cached(key: str) -> AreaRegion:
    from . import boundaries

    c = boundaries.country(key)
    return AreaRegion(c.geometry, label=f"country {c.name} ({c.iso2 or c.iso3})", country_row=boundaries.country_row(key))


def resolve_place(name: str) -> tuple[float, float, str]:
    """(lat, lon, label) of a named place via geoinc.geoparser.resolve; NotFoundError when the gazetteer lacks it."""
    from .geoparser.resolve import resolve_name  # type: ignore[attr-defined]

    place = resolve_name(name)
    if place is None:
        raise NotFoundError(f"unknown place {name!r}: not in the gazetteer (give lat,lon instead, e.g. '50 km of 33.31,38.70')")
    return float(place.lat), float(place.lon), place.name


def admin1_region(spec: str, country_code: str | None = None) -> Admin1Region:
    """An admin1 region by name ("Deir ez-Zor") or GeoNames code ("SY.07"); names/aliases from the gazetteer when known."""
    spec = (spec or "").strip()
    if not spec:
        raise InputError("bad admin1: empty")
    cc = country_code.upper() if country_code else None
    code = re.fullmatch(r"([A-Za-z]{2})[.\-:]([A-Za-z0-9]{1,6})", spec)
    names = set() if code else {fold(spec)}
    if code:
        cc = code.group(1).upper()
    from .gazetteer.admin_names import acled_admin1, acled_names

    if not code:   # the names incidents carry for it (ACLED's naming, geoinc.gazetteer.admin_names)
        names.update(fold(n) for n in acled_names(spec, cc))
    for place in _admin1_places(spec, code is not None):
        names.add(fold(place.name))
        names.update(fold(a) for a in place.aliases)
        names.add(fold(acled_admin1(place.name, place.country_code, place_id=place.id)))
        if code and place.country_code:
            cc = place.country_code.upper()
    names.discard("")
    if code and not names:
        raise NotFoundError(f"unknown admin1 code {spec!r}: not in the gazetteer (give the admin1 name instead)")
    names.discard("")
    from .gazetteer.admin_names import regions_for

    return Admin1Named(frozenset(names), country_code=cc, label=f"admin1 {spec}",
                       regions=tuple(regions_for(spec, cc)) if not code else ())


@dataclass(frozen=True, slots=True)
class Admin1Named(Admin1Region):
    """An admin1 region that also matches the other spellings incidents may carry for it: an incident keeps the
    name its text gives the region ("Idleb" for Idlib, geoinc.gazetteer.admin_names.text_admin1)."""

    regions: tuple[Any, ...] = ()

    def matches(self, admin1: Iterable[str], country_code: Iterable[str | None] | None = None) -> np.ndarray:
        from .gazetteer.admin_names import names_region

        values = list(admin1)
        codes = list(country_code) if country_code is not None else [None] * len(values)
        ok = Admin1Region.matches(self, values, codes if country_code is not None else None)
        seen: dict[tuple[str, str], bool] = {}
        for i, (a, c) in enumerate(zip(values, codes)):
            if ok[i] or not isinstance(a, str) or not a or not self.regions:
                continue
            key = (a, c.upper() if isinstance(c, str) else "")
            if key not in seen:
                seen[key] = any(names_region(a, r) for r in self.regions if not key[1] or r.cc == key[1])
            ok[i] = seen[key]
        return ok


def _admin1_places(spec: str, is_code: bool) -> list[Any]:
    """Admin1 gazetteer entries for a name or a GeoNames code ("SY.07"); [] when the gazetteer cannot open."""
    try:
        from .gazetteer.index import default_gazetteer
    except ImportError:
        return []
    try:
        gaz = default_gazetteer()
    except Exception:  # the gazetteer is optional here: a name still matches the admin1 field as given
        return []
    if is_code:
        code = re.sub(r"[:\-]", ".", spec).upper()
        place = gaz.get(f"admin1:{code}")
        return [place] if place is not None else []
    return [p for p in gaz.lookup(spec) if p.kind == "admin1"]



# ---------------------------------------------------------------------------------------------------
# the whole query, validated before any I/O

def _as_tuple(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    return tuple(v.strip() for v in value if v and v.strip())


@dataclass(frozen=True)
class QuerySpec:
    """A validated query: regions (AND-ed) plus attribute filters. Build it with :func:`build_spec`."""

    regions: tuple[Any, ...] = ()
    since: str | None = None
    until: str | None = None
    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()
    actor: str | None = None            # folded substring
    statuses: tuple[str, ...] = ()
    min_fatalities: int | None = None
    limit: int | None = None
    offset: int = 0                     # skip this many of the ordered matches first (API paging)

    @property
    def labels(self) -> list[str]:
        return [r.label for r in self.regions]

    def driving_boxes(self) -> list[Box] | None:
        """The prefilter boxes of the most selective spatial region (smallest box area); None = no spatial region."""
        spatial = [r for r in self.regions if not isinstance(r, Admin1Region)]
        if not spatial:
            return None

        def area(boxes: list[Box]) -> float:
            return sum((b[2] - b[0]) * (b[3] - b[1]) for b in boxes)

        return min((r.boxes() for r in spatial), key=area)


def _radius_region(*, near: str | None, lat: Any, lon: Any, radius_km: Any,
                   within: str | None) -> RadiusRegion | None:
    """The radius region of a query: lat+lon+radius_km, near+radius_km, or a --within phrase; None if none."""
    has_point = lat not in (None, "") or lon not in (None, "")
    if within:
        if near or has_point or radius_km not in (None, ""):
            raise InputError("give either --within or near/lat/lon with radius_km, not both")
        w = parse_within(within)
        if w.name is not None:
            plat, plon, pname = resolve_place(w.name)
            return make_radius(plat, plon, w.radius_km, label=f"{w.radius_km:g} km of {pname}")
        return make_radius(w.lat, w.lon, w.radius_km)
    if not (near or has_point or radius_km not in (None, "")):
        return None
    if radius_km in (None, ""):
        raise InputError("a radius query needs radius_km (with near=PLACE or lat and lon)")
    if near and has_point:
        raise InputError("give either near=PLACE or lat and lon, not both")
    if near:
        plat, plon, pname = resolve_place(str(near))
        return make_radius(plat, plon, radius_km, label=f"{_float(radius_km, 'radius_km'):g} km of {pname}")
    if lat in (None, "") or lon in (None, ""):
        raise InputError("a radius query needs both lat and lon (or near=PLACE)")
    return make_radius(lat, lon, radius_km)


def build_spec(
    *,
    country: str | None = None,
    admin1: str | None = None,
    bbox: str | Sequence[float] | None = None,
    near: str | None = None,
    lat: Any = None,
    lon: Any = None,
    radius_km: Any = None,
    within: str | None = None,
    polygon: Any = None,
    since: str | date | None = None,
    until: str | date | None = None,
    event_type: str | Iterable[str] | None = None,
    sub_event_type: str | Iterable[str] | None = None,
    actor: str | None = None,
    status: str | Iterable[str] | None = None,
    min_fatalities: Any = None,
    limit: int | None = None,
    offset: int | None = None,
    allow_file: bool = False,
) -> QuerySpec:
    """Validate every parameter (InputError / NotFoundError with the reason) and resolve names to geometry."""
    regions: list[Any] = []
    country_code: str | None = None
    if country:
        region = country_region(str(country))
        regions.append(region)
        m = re.search(r"\((\w{2,3})\)$", region.label)
        country_code = m.group(1) if m and len(m.group(1)) == 2 else None
    if bbox is not None and bbox != "":
        regions.append(parse_bbox(bbox))
    radius = _radius_region(near=near, lat=lat, lon=lon, radius_km=radius_km, within=within)
    if radius is not None:
        regions.append(radius)
    if polygon is not None and polygon != "":
        regions.append(parse_polygon(polygon, allow_file=allow_file))
    if admin1:
        regions.append(admin1_region(str(admin1), country_code))
    since_s, until_s = parse_date(since, "since"), parse_date(until, "until")
    if since_s and until_s and since_s > until_s:
        raise InputError(f"bad time window: since {since_s} is after until {until_s}")
    statuses = tuple(s.lower() for s in _as_tuple(status))
    for s in statuses:
        if s not in STATUSES:
            raise InputError(f"bad status {s!r}: expected one of {', '.join(STATUSES)}")
    min_f: int | None = None
    if min_fatalities not in (None, ""):
        try:
            min_f = int(str(min_fatalities))
        except ValueError as err:
            raise InputError(f"bad min_fatalities {min_fatalities!r}: expected a whole number >= 0") from err
        if not 0 <= min_f <= SQL_INT_MAX:          # SQLite integers are 64-bit: larger ones overflow
            raise InputError(f"bad min_fatalities {min_fatalities!r}: expected a whole number 0..{SQL_INT_MAX}")
    if limit is not None and not 0 <= int(limit) <= SQL_INT_MAX:
        raise InputError(f"bad limit {limit!r}: expected a whole number 0..{SQL_INT_MAX}")
    actor_f = fold(actor) if actor and actor.strip() else None
    return QuerySpec(
        regions=tuple(regions), since=since_s, until=until_s,
        event_types=_as_tuple(event_type), sub_event_types=_as_tuple(sub_event_type),
        actor=actor_f, statuses=statuses, min_fatalities=min_f, limit=None if limit is None else int(limit),
        offset=_offset(offset),
    )


def _offset(value: Any) -> int:
    """A paging offset: a whole number 0..SQL_INT_MAX (0 when not given)."""
    try:
        n = int(str(value)) if value not in (None, "") else 0
    except ValueError:
        raise InputError(f"bad offset {value!r}: expected a whole number >= 0") from None
    if not 0 <= n <= SQL_INT_MAX:
        raise InputError(f"bad offset {value!r}: expected a whole number 0..{SQL_INT_MAX}")
    return n


def exact_mask(spec: QuerySpec, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """AND of every spatial region's exact predicate (admin1 is matched on attributes, see attribute_mask)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    for region in spec.regions:
        if isinstance(region, Admin1Region):
            continue
        idx = np.flatnonzero(ok)
        if idx.size == 0:
            break
        ok[idx] = region.contains(lon[idx], lat[idx])
    return ok


def texts(values: Iterable[Any]) -> list[str]:
    """Text values with None/NaN as ""."""
    return [v if isinstance(v, str) else "" for v in values]


def _sql_side_mask(spec: QuerySpec, frame: Any) -> np.ndarray:
    """The filters SQLite applies in candidate retrieval, done on a frame: dates, status, fatalities."""
    n = len(frame["event_date"])
    ok = np.ones(n, dtype=bool)
    if spec.since or spec.until:
        dates = texts(frame["event_date"])
        if spec.since:
            ok &= np.fromiter((d >= spec.since for d in dates), dtype=bool, count=n)
        if spec.until:
            ok &= np.fromiter((d != "" and d <= spec.until for d in dates), dtype=bool, count=n)
    if spec.statuses:
        wanted = set(spec.statuses)
        ok &= np.fromiter((s.lower() in wanted for s in texts(frame["status"])), dtype=bool, count=n)
    if spec.min_fatalities is not None:
        ok &= np.fromiter(((f if isinstance(f, (int, np.integer)) and not isinstance(f, bool) else
                            int(f) if isinstance(f, float) and math.isfinite(f) else 0) >= spec.min_fatalities
                           for f in frame["fatalities"]), dtype=bool, count=n)
    return ok


def attribute_mask(spec: QuerySpec, frame: Any, *, sql_filters: bool = True) -> np.ndarray:
    """Attribute filters on incident columns (a DataFrame or a mapping of column -> values, ACLED names):
    dates, types, actor, status, fatalities, admin1.

    ``sql_filters=False`` skips the filters SQLite already applied (dates, status, fatalities).
    """
    n = len(frame["event_date"])
    ok = np.ones(n, dtype=bool)
    if n == 0:
        return ok
    if sql_filters:
        ok &= _sql_side_mask(spec, frame)
    if spec.event_types:
        wanted = {fold(t) for t in spec.event_types}
        ok &= np.fromiter((fold(v) in wanted for v in texts(frame["event_type"])), dtype=bool, count=n)
    if spec.sub_event_types:
        wanted = {fold(t) for t in spec.sub_event_types}
        ok &= np.fromiter((fold(v) in wanted for v in texts(frame["sub_event_type"])), dtype=bool, count=n)
    if spec.actor:
        cols = [texts(frame[c]) for c in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")]
        ok &= np.fromiter((spec.actor in fold(" | ".join(vals)) for vals in zip(*cols)), dtype=bool, count=n)
    for region in spec.regions:
        if isinstance(region, Admin1Region):
            cc = frame["country_code"] if "country_code" in frame else None
            ok &= region.matches(texts(frame["admin1"]), cc)
    return ok


def filter_columns(spec: QuerySpec) -> list[str]:
    """Columns the folded filters need (types, actor, admin1): matched in Python by every backend alike."""
    cols: list[str] = []
    if spec.event_types:
        cols.append("event_type")
    if spec.sub_event_types:
        cols.append("sub_event_type")
    if spec.actor:
        cols += ["actor1", "actor2", "assoc_actor_1", "assoc_actor_2"]
    if any(isinstance(r, Admin1Region) for r in spec.regions):
        cols += ["admin1", "country_code"]
    return cols





def run(spec: QuerySpec, store: "IncidentStore") -> "gpd.GeoDataFrame":
    """Execute a validated query against an open store: one call on it (``store.select``).

    Rows come sorted by event_date, then store order; a frame in EPSG:4326 with the Incident fields as columns.
    """
    return store.select(spec).frame


def query(
    *,
    country: str | None = None,
    admin1: str | None = None,
    bbox: str | Sequence[float] | None = None,
    near: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    radius_km: float | None = None,
    polygon: Any = None,
    since: str | date | None = None,
    until: str | date | None = None,
    event_type: str | Iterable[str] | None = None,
    sub_event_type: str | Iterable[str] | None = None,
    actor: str | None = None,
    status: str | Iterable[str] | None = None,
    min_fatalities: int | None = None,
    within: str | None = None,
    limit: int | None = None,
    db: str | Path | None = None,
    store: "IncidentStore | None" = None,
) -> "gpd.GeoDataFrame":
    """Incidents matching a region and filters, as a GeoDataFrame (EPSG:4326) sorted by date.

    Regions: ``country`` (ISO2/ISO3/name; Natural Earth polygon), ``admin1`` (name or GeoNames code,
    matched on the incident's admin1 field), ``bbox`` (minlon,minlat,maxlon,maxlat; minlon > maxlon
    crosses 180°), ``lat``+``lon``+``radius_km`` or ``near``+``radius_km`` or ``within="50 km of Tower 22"``
    (geodesic), ``polygon`` (GeoJSON/WKT text, dict, shapely geometry, or a file path). Several regions
    are AND-ed; boundary points are inside. Filters: ``since``/``until`` (YYYY-MM-DD, inclusive, on the
    best event date), ``event_type``/``sub_event_type`` (case-insensitive, one or several), ``actor``
    (substring of actor1/actor2/assoc actors, case- and accent-insensitive), ``status``, ``min_fatalities``.
    Uses ``store`` if given, else opens ``db`` (or $GEOINC_DB / GEOINC_HOME) read-only.
    """
    spec = build_spec(country=country, admin1=admin1, bbox=bbox, near=near, lat=lat, lon=lon,
                      radius_km=radius_km, within=within, polygon=polygon, since=since, until=until,
                      event_type=event_type, sub_event_type=sub_event_type, actor=actor, status=status,
                      min_fatalities=min_fatalities, limit=limit, allow_file=True)
    if store is not None:
        return run(spec, store)
    from .store import open_store

    own = open_store(db, readonly=True)
    try:
        return run(spec, own)
    finally:
        own.close()




__all__ = [
    "query", "build_spec", "run", "QuerySpec", "BBoxRegion", "RadiusRegion", "AreaRegion", "Admin1Region",
    "Region", "Box", "Within", "parse_bbox", "parse_polygon", "parse_within", "parse_date", "make_radius",
    "country_region", "admin1_region", "exact_mask", "attribute_mask", "filter_columns", "texts", "fold",
    "check_lat_lon", "geod", "MAX_RADIUS_KM",
]
