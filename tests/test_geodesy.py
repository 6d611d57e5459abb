"""geoinc.geodesy's one distance and one circle, checked against fresh pyproj computations."""
from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

from geoinc.geodesy import circle, geodesic_km

_WGS84 = Geod(ellps="WGS84")


def test_geodesic_km_on_the_ellipsoid() -> None:
    # Baghdad -> Fallujah is about 57 km; a degree of latitude at the equator is 110.57 km, not 111.19
    assert geodesic_km(33.3152, 44.3661, 33.3500, 43.7833) == pytest.approx(54.3, abs=1.0)
    assert geodesic_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(110.574, abs=0.01)
    assert geodesic_km(10.0, 20.0, 10.0, 20.0) == 0.0


@pytest.mark.parametrize("lat,lon,km", [(33.50583, 38.61778, 55.0), (0.0, 179.9, 100.0), (-60.0, -70.0, 500.0)])
def test_circle_points_are_at_the_radius(lat: float, lon: float, km: float) -> None:
    lats, lons = circle(lat, lon, km, 36)
    assert lats.shape == lons.shape == (36,)
    _, _, d = _WGS84.inv(np.full(36, lon), np.full(36, lat), lons, lats)
    assert np.allclose(np.asarray(d) / 1000.0, km, atol=1e-6)
    az, _, _ = _WGS84.inv(lon, lat, float(lons[9]), float(lats[9]))
    assert az % 360.0 == pytest.approx(90.0, abs=1e-6)        # the 10th of 36 points is due east
    assert np.all((lons >= -180.0) & (lons <= 180.0))
