"""The PostGIS store's query planner: a validated QuerySpec -> the matching rows, in one read snapshot.

The most selective spatial region of the query drives the index: a box region (bbox, polygon strips) is
``geom && envelope`` on the GiST index of the points, a radius is ``ST_DWithin`` on the geography (GiST,
widened by a few metres), a Natural Earth country is a join on the ``countries`` polygons (GiST,
subdivided, widened by 1e-4 degrees) made at write time: ``incident_countries``). Dates, status and fatalities are filtered in SQL exactly as the SQLite
store does; then the exact predicates of geoinc.regions (the same ones the SQLite store applies) decide
every candidate, and rows are ordered by event_date then store order. So a query answers the same rows,
in the same order, on both backends.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..regions import Admin1Region, QuerySpec, attribute_mask, exact_mask, filter_columns, texts
from ..shapes import AreaRegion, RadiusRegion, Region
from .records import INCIDENT_FIELDS

if TYPE_CHECKING:
    import psycopg

_RADIUS_MARGIN_M = 20.0
_RESULT = [*INCIDENT_FIELDS, "sources_json"]


def _sql_filters(spec: QuerySpec) -> tuple[list[str], list[Any]]:
    """Dates, status and fatalities, as the SQLite store filters them (text dates, '' is no date)."""
    where: list[str] = []
    params: list[Any] = []
    if spec.since:
        where.append("i.event_date >= %s")
        params.append(spec.since)
    if spec.until:
        where.append("i.event_date <= %s AND i.event_date <> ''")
        params.append(spec.until)
    if spec.statuses:
        where.append("lower(i.status) = ANY(%s)")
        params.append(list(spec.statuses))
    if spec.min_fatalities is not None:
        where.append("COALESCE(i.fatalities, 0) >= %s")
        params.append(spec.min_fatalities)
    return where, params


def _driving_region(spec: QuerySpec) -> Region | None:
    """The spatial region with the smallest prefilter box area (the one the SQLite store drives with too)."""
    spatial = [r for r in spec.regions if not isinstance(r, Admin1Region)]
    if not spatial:
        return None

    def area(r: Region) -> float:
        return sum((b[2] - b[0]) * (b[3] - b[1]) for b in r.boxes())

    return min(spatial, key=area)


def _spatial_sql(region: Region) -> tuple[str, str, list[Any]]:
    """(extra FROM, WHERE condition, parameters) narrowing to a superset of the region's points by an index."""
    if isinstance(region, RadiusRegion):
        return ("", "ST_DWithin(i.geog, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s)",
                [region.lon, region.lat, region.radius_km * 1000.0 + _RADIUS_MARGIN_M])
    if isinstance(region, AreaRegion) and region.country_row is not None:
        # the incidents indexed near this country at write time (a superset; the exact test follows)
        return "", "i.fid IN (SELECT m.fid FROM incident_countries m WHERE m.country = %s)", [int(region.country_row)]
    boxes = region.boxes()                      # bbox (split at 180 degrees), polygon strips
    cond = " OR ".join("i.geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)" for _ in boxes)
    return "", f"({cond})", [v for b in boxes for v in b]


def candidates(conn: "psycopg.Connection[Any]", spec: QuerySpec) -> dict[str, list[Any]]:
    """Columns (fid, lon, lat, event_date + folded-filter columns) of incidents passing the index and SQL filters."""
    cols = ["fid", "longitude", "latitude", "event_date", *filter_columns(spec)]
    where, params = _sql_filters(spec)
    region = _driving_region(spec)
    if region is not None:
        _, cond, sparams = _spatial_sql(region)
        where.insert(0, cond)
        params[:0] = sparams
    sql = f"SELECT {', '.join('i.' + c for c in cols)} FROM incidents i"
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = conn.execute(sql, params).fetchall()
    data = list(zip(*rows)) if rows else [()] * len(cols)
    return {c: list(v) for c, v in zip(cols, data)}


def matching_fids(conn: "psycopg.Connection[Any]", spec: QuerySpec) -> tuple[np.ndarray, int]:
    """(ids of the matching incidents by event_date then id, cut at the limit; how many matched)."""
    cand = candidates(conn, spec)
    fids = np.asarray(cand["fid"], dtype=np.int64)
    if fids.size:
        mask = attribute_mask(spec, cand, sql_filters=False)
        if _driving_region(spec) is not None:
            lon = np.array([np.nan if v is None else v for v in cand["longitude"]], dtype=float)
            lat = np.array([np.nan if v is None else v for v in cand["latitude"]], dtype=float)
            mask &= exact_mask(spec, lon, lat)
        idx = np.flatnonzero(mask)
        dates = [cand["event_date"][i] for i in idx]
        fids = fids[idx]
        fids = fids[np.lexsort((fids, np.array(texts(dates), dtype=str)))] if fids.size else fids
    matched = int(fids.size)
    if spec.limit is not None:
        fids = fids[: spec.limit]
    return fids, matched


def select_rows(conn: "psycopg.Connection[Any]", spec: QuerySpec) -> tuple[list[str], list[tuple], int]:
    """(result column names, rows in result order, matched) in one REPEATABLE READ snapshot."""
    conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    try:
        fids, matched = matching_fids(conn, spec)
        rows: list[tuple] = []
        if fids.size:
            got = conn.execute(f"SELECT fid, {', '.join(_RESULT)} FROM incidents WHERE fid = ANY(%s)",
                               (fids.tolist(),)).fetchall()
            by_fid = {r[0]: r[1:] for r in got}
            rows = [by_fid[f] for f in fids.tolist()]
    finally:
        conn.execute("COMMIT")
    return list(_RESULT), rows, matched


__all__ = ["candidates", "matching_fids", "select_rows"]
