"""Geodesy on the WGS84 ellipsoid: point distances and bearings, compass sectors, and the nearest point
of a set of line segments in a local azimuthal equidistant projection centred on the query point.

The projection is done with pyproj's geodesic (Karney's algorithm): a vertex's projected position is
(distance, azimuth) from the centre, i.e. ``x = d·sin(az)``, ``y = d·cos(az)`` — the ellipsoidal
azimuthal equidistant projection, exact for every distance *from the centre*. It is the same mapping as
PROJ's ``+proj=aeqd`` on the ellipsoid, without building a transformer per point (which would cap us at
a few hundred checks per second). Nearest points on segments are found in that plane, then mapped back
with the forward geodesic problem.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from pyproj import Geod

GEOD = Geod(ellps="WGS84")

COMPASS_CENTRES = {
    "N": 0.0, "NNE": 22.5, "NE": 45.0, "ENE": 67.5, "E": 90.0, "ESE": 112.5, "SE": 135.0, "SSE": 157.5,
    "S": 180.0, "SSW": 202.5, "SW": 225.0, "WSW": 247.5, "W": 270.0, "WNW": 292.5, "NW": 315.0, "NNW": 337.5,
}


def inverse(lat1: float, lon1: float, lat2: float, lon2: float) -> tuple[float, float]:
    """Geodesic distance in km and initial bearing in degrees [0, 360) from point 1 to point 2."""
    az, _, dist = GEOD.inv(lon1, lat1, lon2, lat2)
    return dist / 1000.0, az % 360.0


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance on WGS84 in km (the one used for merging, radius queries and claims)."""
    _, _, metres = GEOD.inv(lon1, lat1, lon2, lat2)
    return metres / 1000.0


def circle(lat: float, lon: float, radius_km: float, n: int = 180) -> tuple[np.ndarray, np.ndarray]:
    """(lats, lons) of ``n`` points at geodesic distance ``radius_km`` from a centre, at bearings 0, 360/n, ….

    Points of a circle on the ellipsoid (forward geodesic problem); longitudes come back in [-180, 180], so
    a circle over the 180° meridian jumps there (region envelopes measure the spread from the centre).
    """
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    lons, lats, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, radius_km * 1000.0))
    return np.asarray(lats), np.asarray(lons)


def angle_diff(a: float, b: float) -> float:
    """The smallest absolute difference between two bearings, in degrees [0, 180]."""
    d = abs(a - b) % 360.0
    return 360.0 - d if d > 180.0 else d


def sector_half_width(code: str, main_half_width: float = 45.0) -> float:
    """Half-width of the sector a compass point stands for: ±45° for N, NE, E, …; half that for NNE, ENE, …

    Reporters round directions to the 8 main points ("north" for 340°), so a main point covers a
    quarter of the circle; a 16-point name (NNW) is more precise and covers half as much.
    """
    return main_half_width if len(code) <= 2 else main_half_width / 2.0


def in_sector(bearing: float, code: str, main_half_width: float = 45.0) -> bool:
    """True when a bearing lies in the sector of a compass point (see :func:`sector_half_width`)."""
    return angle_diff(bearing, COMPASS_CENTRES[code]) <= sector_half_width(code, main_half_width) + 1e-9


def compass_name(bearing: float) -> str:
    """The 16-point compass name of a bearing: 340 -> "NNW"."""
    names = list(COMPASS_CENTRES)
    return names[int(((bearing % 360.0) + 11.25) // 22.5) % 16]


@dataclass(frozen=True, slots=True)
class NearestPoint:
    """The nearest point of a line set to a query point: distance in km, where it is, and which segment."""

    km: float
    lat: float
    lon: float
    segment: int


def aeqd_xy(lat0: float, lon0: float, lats: np.ndarray, lons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points in the azimuthal equidistant plane centred on (lat0, lon0), metres (x east, y north)."""
    n = len(lats)
    az, _, dist = GEOD.inv(np.full(n, lon0), np.full(n, lat0), lons, lats)
    rad = np.radians(az)
    return dist * np.sin(rad), dist * np.cos(rad)


def aeqd_inverse(lat0: float, lon0: float, x: float, y: float) -> tuple[float, float]:
    """(lat, lon) of a point (x, y) metres in the azimuthal equidistant plane centred on (lat0, lon0)."""
    dist = math.hypot(x, y)
    if dist == 0.0:
        return lat0, lon0
    lon, lat, _ = GEOD.fwd(lon0, lat0, math.degrees(math.atan2(x, y)), dist)
    return lat, lon


def nearest_on_segments(lat: float, lon: float, seg: np.ndarray) -> NearestPoint:
    """Nearest point to (lat, lon) on segments ``seg`` (n × 4: lon0, lat0, lon1, lat1), in a local AEQD plane."""
    n = len(seg)
    x, y = aeqd_xy(lat, lon, np.concatenate([seg[:, 1], seg[:, 3]]), np.concatenate([seg[:, 0], seg[:, 2]]))
    x0, y0, x1, y1 = x[:n], y[:n], x[n:], y[n:]
    dx, dy = x1 - x0, y1 - y0
    len2 = dx * dx + dy * dy
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(len2 > 0, -(x0 * dx + y0 * dy) / len2, 0.0)
    t = np.clip(t, 0.0, 1.0)
    px, py = x0 + t * dx, y0 + t * dy
    d2 = px * px + py * py
    i = int(np.argmin(d2))
    plat, plon = aeqd_inverse(lat, lon, float(px[i]), float(py[i]))
    return NearestPoint(km=math.sqrt(float(d2[i])) / 1000.0, lat=plat, lon=plon, segment=i)


__all__ = [
    "GEOD", "COMPASS_CENTRES", "inverse", "geodesic_km", "circle", "angle_diff", "sector_half_width", "in_sector", "compass_name",
    "NearestPoint", "aeqd_xy", "aeqd_inverse", "nearest_on_segments",
]
