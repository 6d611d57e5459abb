"""Region kinds (pure geometry): each knows its prefilter boxes, an exact vectorised point predicate, and a
decision from a backend's index boxes. Bounding boxes, geodesic circles, (multi)polygons, admin1 names.

The predicate rules (boundaries inside, holes outside, the antimeridian, geodesic radius) are documented in
geoinc.regions, which builds and validates queries out of these kinds.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from .errors import InputError, NotFoundError
from .text import fold as _text_fold
from .textio import MAX_POLYGON_BYTES, read_text_file

if TYPE_CHECKING:  # heavy imports stay lazy for the CLI's start-up
    from shapely.geometry.base import BaseGeometry

Box = tuple[float, float, float, float]          # (minlon, minlat, maxlon, maxlat), minlon <= maxlon

MAX_RADIUS_KM = 20_000.0                            # half the equator: anything larger is the whole Earth
# The R*Tree stores float32 boxes around each point (at most ~1.5e-5 degrees wide, ~2 m). A point whose box
# is farther than these margins from a region's boundary is decided from the box alone; the others
# (within ~10 m of a boundary) are tested again on their exact REAL coordinates.
DECIDE_MARGIN_DEG = 1e-4
DECIDE_MARGIN_KM = 0.02
_MAX_BOX_DEG = 5e-5
_WORLD: Box = (-180.0, -90.0, 180.0, 90.0)



# ---------------------------------------------------------------------------------------------------
# small pure helpers

_REGION_BREAKS = "-\u2010\u2011\u2012\u2013\u2014\u2015_./'’‘`"


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used for actor and admin1 matching."""
    return _text_fold(text, as_space=_REGION_BREAKS, casefold=True)



def _float(text: Any, what: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError) as err:
        raise InputError(f"bad {what} {text!r}: not a number") from err
    if not math.isfinite(value):
        raise InputError(f"bad {what} {text!r}: not a finite number")
    return value


def check_lat_lon(lat: float, lon: float, what: str = "point") -> None:
    """InputError unless -90 <= lat <= 90 and -180 <= lon <= 180."""
    if not -90.0 <= lat <= 90.0:
        raise InputError(f"bad {what}: latitude {lat} outside -90..90")
    if not -180.0 <= lon <= 180.0:
        raise InputError(f"bad {what}: longitude {lon} outside -180..180")


def _small(x0: Any, y0: Any, x1: Any, y1: Any) -> np.ndarray:
    """Boxes tight enough (float32 rounding of one point) to be decided without exact coordinates."""
    return ((np.asarray(x1) - np.asarray(x0)) <= _MAX_BOX_DEG) & ((np.asarray(y1) - np.asarray(y0)) <= _MAX_BOX_DEG)


def _wrap_lon(lon: np.ndarray | float) -> Any:
    """Longitude into [-180, 180)."""
    return ((np.asarray(lon, dtype=float) + 180.0) % 360.0) - 180.0


# ---------------------------------------------------------------------------------------------------
# region kinds: prefilter boxes + exact vectorised predicate

class Region(Protocol):
    """What a spatial region offers: prefilter boxes, an exact predicate, and a decision from index boxes."""

    label: str

    def boxes(self) -> list[Box]: ...

    def contains(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray: ...

    def decide(self, x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True, slots=True)
class BBoxRegion:
    """A lon/lat box; ``minlon > maxlon`` means it crosses the antimeridian. Edges are inside."""

    minlon: float
    minlat: float
    maxlon: float
    maxlat: float
    label: str = ""

    @property
    def crosses_antimeridian(self) -> bool:
        return self.minlon > self.maxlon

    def boxes(self) -> list[Box]:
        if self.crosses_antimeridian:
            return [(self.minlon, self.minlat, 180.0, self.maxlat), (-180.0, self.minlat, self.maxlon, self.maxlat)]
        return [(self.minlon, self.minlat, self.maxlon, self.maxlat)]

    def contains(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        in_lat = (lat >= self.minlat) & (lat <= self.maxlat)
        if self.crosses_antimeridian:
            in_lon = (lon >= self.minlon) | (lon <= self.maxlon)
        else:
            in_lon = (lon >= self.minlon) & (lon <= self.maxlon)
        return in_lat & in_lon

    def decide(self, x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(surely inside, surely outside) for points known only to lie in the tiny boxes [x0,x1]×[y0,y1]."""
        sure_in = self.contains(x0, y0) & self.contains(x1, y1)      # both corners in a box: all of it in
        overlap = np.zeros(np.asarray(x0).shape, dtype=bool)
        for (bx0, by0, bx1, by1) in self.boxes():
            overlap |= (x1 >= bx0) & (x0 <= bx1) & (y1 >= by0) & (y0 <= by1)
        return sure_in, ~overlap

    def geometry(self) -> "BaseGeometry":
        from shapely import MultiPolygon, box

        parts = [box(*b) for b in self.boxes()]
        return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def parse_bbox(value: str | Sequence[float] | BBoxRegion) -> BBoxRegion:
    """``"minlon,minlat,maxlon,maxlat"`` (or a 4-sequence) -> BBoxRegion, validated.

    ``minlat > maxlat`` is an error (an inverted box); ``minlon > maxlon`` is a box across 180°.
    """
    if isinstance(value, BBoxRegion):
        return value
    parts: Sequence[Any]
    if isinstance(value, str):
        parts = [p for p in re.split(r"[,\s]+", value.strip()) if p]
    else:
        parts = list(value)
    if len(parts) != 4:
        raise InputError(f"bad bbox {value!r}: expected 4 numbers minlon,minlat,maxlon,maxlat")
    minlon, minlat, maxlon, maxlat = (_float(p, "bbox value") for p in parts)
    for lon in (minlon, maxlon):
        if not -180.0 <= lon <= 180.0:
            raise InputError(f"bad bbox {value!r}: longitude {lon} outside -180..180")
    for lat in (minlat, maxlat):
        if not -90.0 <= lat <= 90.0:
            raise InputError(f"bad bbox {value!r}: latitude {lat} outside -90..90")
    if minlat > maxlat:
        raise InputError(f"inverted bbox {value!r}: minlat {minlat} > maxlat {maxlat} (order is minlon,minlat,maxlon,maxlat)")
    return BBoxRegion(minlon, minlat, maxlon, maxlat, label=f"bbox {minlon:g},{minlat:g},{maxlon:g},{maxlat:g}")


def geod():
    """The WGS84 ellipsoid used for every geodesic distance here (geoinc.geodesy's, imported on first use)."""
    from .geodesy import GEOD

    return GEOD


@dataclass(frozen=True, slots=True)
class RadiusRegion:
    """Points within ``radius_km`` (geodesic, WGS84) of a centre; a point at exactly the radius is inside."""

    lat: float
    lon: float
    radius_km: float
    label: str = ""

    def boxes(self) -> list[Box]:
        """Envelope of the geodesic circle, from 360 points on it plus a margin; split at 180°, full width at a pole."""
        from .geodesy import circle

        g = geod()
        radius_m = self.radius_km * 1000.0
        lats, lons = circle(self.lat, self.lon, self.radius_km, 360)
        dlon = _wrap_lon(np.asarray(lons) - self.lon)
        lat_pad = 1e-3 * (lats.max() - lats.min()) + 1e-6
        minlat = max(-90.0, float(lats.min()) - lat_pad)
        maxlat = min(90.0, float(lats.max()) + lat_pad)
        # a pole inside the circle: every longitude is reachable near it
        _, _, d_north = g.inv(self.lon, self.lat, self.lon, 90.0)
        _, _, d_south = g.inv(self.lon, self.lat, self.lon, -90.0)
        if d_north <= radius_m:
            return [(-180.0, minlat, 180.0, 90.0)]
        if d_south <= radius_m:
            return [(-180.0, -90.0, 180.0, maxlat)]
        lon_pad = 1e-3 * (dlon.max() - dlon.min()) + 1e-6
        west = self.lon + float(dlon.min()) - lon_pad
        east = self.lon + float(dlon.max()) + lon_pad
        if east - west >= 360.0:
            return [(-180.0, minlat, 180.0, maxlat)]
        if west < -180.0:
            return [(float(west) + 360.0, minlat, 180.0, maxlat), (-180.0, minlat, float(east), maxlat)]
        if east > 180.0:
            return [(float(west), minlat, 180.0, maxlat), (-180.0, minlat, float(east) - 360.0, maxlat)]
        return [(float(west), minlat, float(east), maxlat)]

    def distances_km(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Geodesic distances from the centre, in km."""
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        if lon.size == 0:
            return np.zeros(0)
        _, _, dist = geod().inv(np.full(lon.size, self.lon), np.full(lon.size, self.lat), lon, lat)
        return np.asarray(dist) / 1000.0

    def contains(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        return self.distances_km(lon, lat) <= self.radius_km

    def decide(self, x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(surely inside, surely outside) for points known only to lie in tiny boxes: decided when the
        corner's distance is more than DECIDE_MARGIN_KM from the radius (boxes are metres wide)."""
        small = _small(x0, y0, x1, y1)
        d = self.distances_km(x0, y0)
        return small & (d <= self.radius_km - DECIDE_MARGIN_KM), small & (d > self.radius_km + DECIDE_MARGIN_KM)

    def geometry(self, segments: int = 128) -> "BaseGeometry":
        """The geodesic circle as a polygon (for drawing; the predicate does not use it)."""
        from shapely import Polygon

        from .geodesy import circle

        lats, lons = circle(self.lat, self.lon, self.radius_km, segments)
        return Polygon(zip(lons, lats))


def make_radius(lat: Any, lon: Any, radius_km: Any, label: str = "") -> RadiusRegion:
    """Validated RadiusRegion from loosely typed inputs."""
    lat_f, lon_f, r = _float(lat, "lat"), _float(lon, "lon"), _float(radius_km, "radius_km")
    check_lat_lon(lat_f, lon_f, "centre")
    if not 0.0 < r <= MAX_RADIUS_KM:
        raise InputError(f"bad radius_km {radius_km!r}: must be > 0 and <= {MAX_RADIUS_KM:g}")
    return RadiusRegion(lat_f, lon_f, r, label=label or f"{r:g} km of {lat_f:.5f},{lon_f:.5f}")


def _merge_boxes(boxes: list[Box], gap: float) -> list[Box]:
    """Merge boxes that overlap once grown by ``gap`` degrees, so a country of 300 islands is a few boxes."""
    merged = [list(b) for b in boxes]
    changed = True
    while changed and len(merged) > 1:
        changed = False
        out: list[list[float]] = []
        for b in merged:
            for o in out:
                if b[0] <= o[2] + gap and o[0] <= b[2] + gap and b[1] <= o[3] + gap and o[1] <= b[3] + gap:
                    o[0], o[1], o[2], o[3] = min(o[0], b[0]), min(o[1], b[1]), max(o[2], b[2]), max(o[3], b[3])
                    changed = True
                    break
            else:
                out.append(b)
        merged = out
    return [tuple(b) for b in merged]  # type: ignore[misc]


def _grid_strips(geom: "BaseGeometry", box: Box, cells: int = 64, min_area: float = 4.0) -> list[Box]:
    """Cover ``box`` with row strips of grid cells that intersect ``geom`` (a finer prefilter than the box).

    Boxes under ``min_area`` square degrees are kept whole; larger ones get a grid of about ``cells`` cells;
    consecutive touching cells of a row merge into one strip. Cells are closed, so no point of ``geom``
    falls outside every strip.
    """
    import shapely

    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if w * h <= min_area:
        return [box]
    size = math.sqrt(w * h / cells)
    nx, ny = max(1, math.ceil(w / size)), max(1, math.ceil(h / size))
    xs = np.linspace(x0, x1, nx + 1)
    ys = np.linspace(y0, y1, ny + 1)
    gx0, gy0 = np.meshgrid(xs[:-1], ys[:-1])
    gx1, gy1 = np.meshgrid(xs[1:], ys[1:])
    grid = shapely.box(gx0.ravel(), gy0.ravel(), gx1.ravel(), gy1.ravel())
    hit = shapely.intersects(grid, geom).reshape(ny, nx)
    strips: list[Box] = []
    for j in range(ny):
        i = 0
        while i < nx:
            if not hit[j, i]:
                i += 1
                continue
            k = i
            while k + 1 < nx and hit[j, k + 1]:
                k += 1
            strips.append((float(xs[i]), float(ys[j]), float(xs[k + 1]), float(ys[j + 1])))
            i = k + 1
    return strips or [box]


@dataclass(frozen=True, eq=False)
class AreaRegion:
    """A (multi)polygon in lon/lat; boundary points are inside, holes outside, parts exact."""

    geom: "BaseGeometry"
    label: str = ""
    _boxes: list[Box] = field(default_factory=list, repr=False)
    _inner: Any = field(default=None, repr=False)
    _outer: Any = field(default=None, repr=False)
    country_row: int | None = None         # a Natural Earth country: its row in boundaries.countries_frame()

    def __post_init__(self) -> None:
        import shapely

        shapely.prepare(self.geom)
        # points DECIDE_MARGIN_DEG inside / outside the boundary, for deciding from the index's float32 boxes
        inner = self.geom.buffer(-DECIDE_MARGIN_DEG)
        outer = self.geom.buffer(DECIDE_MARGIN_DEG)
        shapely.prepare(inner)
        shapely.prepare(outer)
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "_outer", outer)
        # warm the prepared index once, so threads only ever read it
        minx, miny, maxx, maxy = self.geom.bounds
        shapely.intersects_xy(self.geom, (minx + maxx) / 2, (miny + maxy) / 2)
        parts = list(getattr(self.geom, "geoms", [self.geom]))
        boxes = [tuple(p.bounds) for p in parts if not p.is_empty]
        # merge nearby parts' boxes (islands) while keeping far-apart parts (Alaska, Hawaii, Aleutians) apart,
        # then cover each large box with grid strips that touch the polygon (fewer candidates outside it)
        merged = _merge_boxes(boxes, gap=1.0)  # type: ignore[arg-type]
        object.__setattr__(self, "_boxes", [s for b in merged for s in _grid_strips(self.geom, b)])

    def boxes(self) -> list[Box]:
        return list(self._boxes)

    def decide(self, x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(surely inside, surely outside) for points known only to lie in tiny boxes: a corner inside the
        polygon shrunk by DECIDE_MARGIN_DEG is surely in, a corner outside it grown by that much surely out."""
        import shapely

        small = _small(x0, y0, x1, y1)
        if np.asarray(x0).size == 0:
            return small, small
        sure_in = small & shapely.intersects_xy(self._inner, x0, y0) if not self._inner.is_empty else np.zeros_like(small)
        sure_out = small & ~shapely.intersects_xy(self._outer, x0, y0)
        return sure_in, sure_out

    def contains(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        import shapely

        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        if lon.size == 0:
            return np.zeros(0, dtype=bool)
        return shapely.intersects_xy(self.geom, lon, lat)

    def geometry(self) -> "BaseGeometry":
        return self.geom


@dataclass(frozen=True, slots=True)
class Admin1Region:
    """A first-level admin area matched on the incident's ``admin1`` field (no polygons ship with geoinc)."""

    names: frozenset[str]                 # folded names that match
    country_code: str | None = None       # restrict to this ISO2 when known
    label: str = ""

    def boxes(self) -> list[Box]:
        return [_WORLD]

    def contains(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:  # spatially unconstrained
        return np.ones(np.asarray(lon).shape, dtype=bool)

    def matches(self, admin1: Iterable[str], country_code: Iterable[str | None] | None = None) -> np.ndarray:
        """Bool per incident: its admin1 field folds to one of the names (and its country matches, when set)."""
        ok = np.fromiter((isinstance(a, str) and fold(a) in self.names for a in admin1), dtype=bool)
        if self.country_code and country_code is not None:
            # an incident without a country code is not excluded (a country region, if given, still applies)
            ok &= np.fromiter((not isinstance(c, str) or not c or c.upper() == self.country_code
                               for c in country_code), dtype=bool)
        return ok


# ---------------------------------------------------------------------------------------------------
# polygons from GeoJSON / WKT

def _cut_antimeridian(geom: "BaseGeometry") -> "BaseGeometry":
    """Wrap a polygon whose longitudes pass ±180 (e.g. 170..190) into [-180, 180], cut at 180°."""
    import shapely
    from shapely import affinity, box

    minx, _, maxx, _ = geom.bounds
    if minx >= -180.0 and maxx <= 180.0:
        return geom
    if maxx - minx > 360.0:
        raise InputError("bad polygon: it spans more than 360 degrees of longitude")
    pieces = []
    for shift in (-360.0, 0.0, 360.0):
        window = box(-180.0 - shift, -90.0, 180.0 - shift, 90.0)
        piece = geom.intersection(window)
        if not piece.is_empty:
            pieces.append(affinity.translate(piece, xoff=shift))
    out = shapely.union_all(pieces)
    return _polygonal(out)


def _polygonal(geom: "BaseGeometry") -> "BaseGeometry":
    """Only the polygonal parts of a geometry (drops slivers of lines/points an intersection may leave)."""
    from shapely import MultiPolygon

    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polys = []
    for g in getattr(geom, "geoms", []):
        if g.geom_type == "Polygon":
            polys.append(g)
        elif g.geom_type == "MultiPolygon":
            polys.extend(g.geoms)
    return MultiPolygon(polys) if polys else geom


def _geojson_geometry(obj: Any) -> "BaseGeometry":
    from shapely.geometry import shape

    if not isinstance(obj, dict) or "type" not in obj:
        raise InputError("bad polygon: GeoJSON must be an object with a 'type'")
    kind = obj["type"]
    if kind == "FeatureCollection":
        geoms = [_geojson_geometry(f) for f in obj.get("features") or []]
        if not geoms:
            raise InputError("bad polygon: the FeatureCollection has no features")
        import shapely

        return shapely.union_all(geoms)
    if kind == "Feature":
        if not obj.get("geometry"):
            raise InputError("bad polygon: the Feature has no geometry")
        return _geojson_geometry(obj["geometry"])
    _check_geojson_rings(kind, obj.get("coordinates"))
    try:
        return shape(obj)
    except Exception as err:  # shapely raises several types for malformed coordinates
        raise InputError(f"bad polygon: malformed GeoJSON {kind} ({err})") from err


_UNCLOSED = "bad polygon: a ring is not closed (its last point must repeat its first)"


def _check_geojson_rings(kind: str, coords: Any) -> None:
    """RFC 7946 rings: each ends where it starts. shapely closes an open ring silently; WKT refuses one,
    so GeoJSON does too (the same polygon is judged the same whichever form it comes in)."""
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    for rings in polygons if isinstance(polygons, list) else []:
        for ring in rings if isinstance(rings, list) else []:
            if isinstance(ring, list) and len(ring) >= 2 and ring[0] != ring[-1]:
                raise InputError(f"{_UNCLOSED}: GeoJSON ring from {ring[0]} ends at {ring[-1]}")


def parse_polygon(value: "str | dict | BaseGeometry", *, allow_file: bool = False) -> AreaRegion:
    """A polygon from GeoJSON (geometry, Feature, FeatureCollection) or WKT, inline or — if allowed — a file.

    Validates: polygonal only, non-empty, valid (no self-intersection; shapely's reason is shown), latitudes
    in -90..90. Longitudes beyond ±180 are wrapped and cut at 180°. The API never allows files.
    """
    import shapely
    from shapely.geometry.base import BaseGeometry

    label = "polygon"
    if isinstance(value, BaseGeometry):
        geom = value
    elif isinstance(value, dict):
        geom = _geojson_geometry(value)
    else:
        text = str(value).strip()
        if not text:
            raise InputError("bad polygon: empty")
        if allow_file and not text.startswith(("{", "[")) and not re.match(r"^\s*(MULTI)?POLYGON\b", text, re.I):
            path = Path(text).expanduser()
            if not path.exists():
                raise NotFoundError(f"polygon file {text!r} not found (give a GeoJSON/WKT file or inline GeoJSON/WKT)")
            label = f"polygon {path.name}"
            text = read_text_file(path, max_bytes=MAX_POLYGON_BYTES, expected="a GeoJSON or WKT file",
                                  hint="simplify the polygon").strip()
        if text.startswith("{"):
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as err:
                raise InputError(f"bad polygon: invalid GeoJSON ({err.msg} at char {err.pos})") from err
            geom = _geojson_geometry(obj)
        else:
            try:
                geom = shapely.from_wkt(text)
            except Exception as err:  # shapely.errors.GEOSException and friends
                if "closed linestring" in str(err):
                    raise InputError(f"{_UNCLOSED}: WKT") from err
                raise InputError(f"bad polygon: invalid WKT ({str(err).splitlines()[0]})") from err
    if geom is None or geom.is_empty:
        raise InputError("bad polygon: the geometry is empty")
    geom = _polygonal(geom)
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise InputError(f"bad polygon: expected a Polygon or MultiPolygon, got {geom.geom_type}")
    if not geom.is_valid:
        raise InputError(f"invalid polygon: {shapely.is_valid_reason(geom)}")
    _, miny, _, maxy = geom.bounds
    if miny < -90.0 or maxy > 90.0:
        raise InputError(f"bad polygon: latitudes {miny}..{maxy} go outside -90..90 (is it lat,lon instead of lon,lat?)")
    geom = _cut_antimeridian(geom)
    return AreaRegion(geom, label=label)


__all__ = ["Box", "Region", "BBoxRegion", "RadiusRegion", "AreaRegion", "Admin1Region", "parse_bbox", "make_radius",
           "parse_polygon", "check_lat_lon", "fold", "geod", "MAX_RADIUS_KM"]
