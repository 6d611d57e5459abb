"""Which Natural Earth countries cover each stored incident, worked out when it is written (pure geometry).

A country query asks "every incident inside this country's polygon". The store keeps the answer per
incident (``incident_countries``, see geoinc.store.sqlite) so the query reads an index instead of testing
thousands of points against a polygon of 10,000+ vertices. The rule is exactly the query's own:
``shapely.intersects_xy(country polygon, lon, lat)`` on the incident's stored coordinates, so a point on a
shared border belongs to both countries, holes are outside and every part of a multipolygon counts.
Countries are the rows of :func:`geoinc.boundaries.countries_frame`; :func:`source_id` names that exact
layer (codes and geometry), so an index built from another Natural Earth version is never used.
"""
from __future__ import annotations

import functools
import hashlib

import numpy as np


@functools.lru_cache(maxsize=1)
def source_id() -> str:
    """A digest of the country layer (row order, ISO3 codes, every polygon's WKB): equal iff the same layer."""
    import shapely

    from ..boundaries import countries_frame

    frame = countries_frame()
    h = hashlib.sha256()
    h.update("\n".join(str(v) for v in frame["iso3"]).encode("utf-8"))
    for wkb in shapely.to_wkb(np.asarray(frame.geometry.values), byte_order=1):
        h.update(wkb)
    return f"naturalearth-{len(frame)}-{h.hexdigest()[:32]}"


@functools.lru_cache(maxsize=1)
def _layer() -> tuple[object, list]:
    """(STRtree over the country polygons, the polygons prepared): built once per process.

    The polygons are this module's own copies (WKB round trip: the same coordinates, bit for bit), each
    prepared and used once here, so the lazily built point-in-polygon index of a prepared geometry is
    never built by a writer while a query thread builds it on the same object."""
    import shapely
    from shapely import STRtree

    from ..boundaries import countries_frame

    geoms = list(shapely.from_wkb(shapely.to_wkb(np.asarray(countries_frame().geometry.values))))
    for g in geoms:
        shapely.prepare(g)
        x, y = shapely.get_coordinates(g)[0]
        shapely.intersects_xy(g, x, y)
    return STRtree(geoms), geoms


def countries_at(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(point index, country row) for every country whose polygon covers each point (none at sea, two or
    more on a shared border). Non-finite coordinates match nothing."""
    import shapely

    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    ok = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
    if ok.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    tree, geoms = _layer()
    pts, rows = tree.query(shapely.points(lon[ok], lat[ok]))          # bounding boxes only
    out_pt: list[np.ndarray] = []
    out_row: list[np.ndarray] = []
    for r in np.unique(rows):
        idx = ok[pts[rows == r]]
        hit = shapely.intersects_xy(geoms[int(r)], lon[idx], lat[idx])  # the query's exact predicate
        if hit.any():
            out_pt.append(idx[hit])
            out_row.append(np.full(int(hit.sum()), int(r), dtype=np.int64))
    if not out_pt:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_pt).astype(np.int64), np.concatenate(out_row)


__all__ = ["source_id", "countries_at"]
