"""The SQLite store's query planner and column-wise reader: a validated QuerySpec -> matching rows.

Read-only, parameterised SQL on the store's tables. The R*Tree drives a spatial query (its float32 boxes
are conservative; each region decides most candidates from them and the rest are tested exactly on the
REAL columns); a query for one country reads a range of the country index; folded filters (types, actor,
admin1) run in Python with the same predicates as every other backend (geoinc.regions).
"""
from __future__ import annotations

import contextlib
import gc
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import StoreError
from ..regions import Admin1Region, AreaRegion, QuerySpec, attribute_mask, exact_mask, filter_columns, texts
from .columns import (PACKED_FORMAT, aggregate_sql, columns_to_frame, date_order, decode_aggregate, decode_packed,
                      in_date_order, parse_ints, rows_to_records)
from .records import numeric_columns, result_columns
from .sqlite_schema import meta_value as _meta

if TYPE_CHECKING:
    import geopandas as gpd

_RTREE_SQL = ("SELECT {cols} FROM incidents_rtree r CROSS JOIN incidents i WHERE i.fid = r.fid AND "
              "r.max_lon >= ? AND r.min_lon <= ? AND r.max_lat >= ? AND r.min_lat <= ?")
_SCAN_SQL = "SELECT {cols} FROM incidents i WHERE 1 = 1"


def _date_window(spec: QuerySpec, column: str) -> tuple[list[str], list[Any]]:
    """SQL conditions (and parameters) of the time window on a text date column; '' is no date."""
    where: list[str] = []
    params: list[Any] = []
    if spec.since:
        where.append(f"{column} >= ?")
        params.append(spec.since)
    if spec.until:
        where.append(f"{column} <= ? AND {column} != ''")
        params.append(spec.until)
    return where, params


def _sql_filters(spec: QuerySpec) -> tuple[str, list[Any]]:
    """The filters SQLite evaluates exactly as we would (dates, status, fatalities); parameters only."""
    where, params = _date_window(spec, "i.event_date")
    if spec.statuses:
        where.append(f"lower(i.status) IN ({', '.join('?' * len(spec.statuses))})")
        params.extend(spec.statuses)
    if spec.min_fatalities is not None:
        where.append("COALESCE(i.fatalities, 0) >= ?")
        params.append(spec.min_fatalities)
    return "".join(f" AND {w}" for w in where), params


def _meta_value(conn: sqlite3.Connection, key: str) -> str | None:
    """A value of the store's meta table; None when absent or unreadable (a store without that table)."""
    try:
        return _meta(_cursor(conn), key)
    except sqlite3.Error:
        return None


def _cursor(conn: sqlite3.Connection) -> sqlite3.Cursor:
    """A cursor returning plain tuples (the store's connections default to sqlite3.Row, slower to unpack)."""
    cur = conn.cursor()
    cur.row_factory = None
    return cur


def candidates(conn: sqlite3.Connection, spec: QuerySpec) -> dict[str, Any]:
    """Columns (fid, longitude, latitude, event_date + filter columns) of incidents passing the index and
    the SQL filters, as a mapping of column -> list.

    Read-only, parameterised SQL on the store's tables; the R*Tree drives the query when there is a
    spatial region (its float32 boxes are conservative; the exact test uses the REAL columns). Boxes of
    one region do not overlap, but fids are de-duplicated anyway when there are several.
    """
    cols = ["fid", "longitude", "latitude", "event_date"] + filter_columns(spec)
    select = ", ".join(f"i.{c}" for c in cols)
    extra, extra_params = _sql_filters(spec)
    boxes = spec.driving_boxes()
    rows: list[Any] = []
    if boxes is None:
        rows = _cursor(conn).execute(_SCAN_SQL.format(cols=select) + extra, extra_params).fetchall()
    else:
        for (x0, y0, x1, y1) in boxes:
            cur = _cursor(conn).execute(_RTREE_SQL.format(cols=select) + extra, [x0, x1, y0, y1, *extra_params])
            rows.extend(cur.fetchall())
        if len(boxes) > 1:
            seen: set[int] = set()
            rows = [r for r in rows if not (r[0] in seen or seen.add(r[0]))]
    columns = list(zip(*rows)) if rows else [()] * len(cols)
    return {c: list(v) for c, v in zip(cols, columns)}


@dataclass(frozen=True, slots=True)
class Selection:
    """The matching incidents' store row ids, by date then id, cut at the limit; ``matched`` counts all."""

    fids: np.ndarray
    matched: int
    date_ordered: bool = False          # fids are in (event_date, fid) order, each once


def _needs_attributes(spec: QuerySpec) -> bool:
    return bool(spec.since or spec.until or spec.statuses or spec.min_fatalities is not None
                or filter_columns(spec))


def _json_fids(fids: Sequence[int] | np.ndarray) -> str:
    return json.dumps(np.asarray(fids, dtype=np.int64).tolist())


def spatial_fids(conn: sqlite3.Connection, spec: QuerySpec) -> np.ndarray:
    """Store row ids of located incidents inside every spatial region, in store order (index only).

    The R*Tree alone gives each candidate's float32 box; every region decides most candidates from the
    box (:meth:`decide`), and only those near a boundary are re-read from the table and tested exactly
    on their REAL coordinates. So the wide incidents table is not touched per candidate.
    """
    spatial = [r for r in spec.regions if not isinstance(r, Admin1Region)]
    parts = []
    for (bx0, by0, bx1, by1) in spec.driving_boxes() or []:
        cur = _cursor(conn).execute(
            "SELECT fid, min_lon, max_lon, min_lat, max_lat FROM incidents_rtree "
            "WHERE max_lon >= ? AND min_lon <= ? AND max_lat >= ? AND min_lat <= ?", (bx0, bx1, by0, by1))
        rows = cur.fetchall()
        if rows:
            parts.append(np.array(rows, dtype=float))
    if not parts:
        return np.zeros(0, dtype=np.int64)
    arr = np.concatenate(parts)
    if len(parts) > 1:
        arr = arr[np.unique(arr[:, 0], return_index=True)[1]]
    fid = arr[:, 0].astype(np.int64)
    x0, x1, y0, y1 = arr[:, 1], arr[:, 2], arr[:, 3], arr[:, 4]
    sure_in = np.ones(fid.size, dtype=bool)
    sure_out = np.zeros(fid.size, dtype=bool)
    for region in spatial:
        r_in, r_out = region.decide(x0, y0, x1, y1)
        sure_in &= r_in
        sure_out |= r_out
    keep = sure_in & ~sure_out
    unsure = np.flatnonzero(~sure_in & ~sure_out)
    if unsure.size:
        cur = _cursor(conn).execute(
            "SELECT i.fid, i.longitude, i.latitude FROM json_each(?) j JOIN incidents i ON i.fid = j.value",
            (_json_fids(fid[unsure]),))
        exact = {int(f): (lon, lat) for f, lon, lat in cur.fetchall() if lon is not None and lat is not None}
        ok_fids = np.array(list(exact), dtype=np.int64)
        if ok_fids.size:
            lon = np.array([exact[f][0] for f in ok_fids.tolist()], dtype=float)
            lat = np.array([exact[f][1] for f in ok_fids.tolist()], dtype=float)
            good = set(ok_fids[exact_mask(spec, lon, lat)].tolist())
            keep[unsure] = np.fromiter((int(f) in good for f in fid[unsure]), dtype=bool, count=unsure.size)
    out = fid[keep]
    out.sort()
    return out


def _index_region(conn: sqlite3.Connection, spec: QuerySpec) -> "AreaRegion | None":
    """The query's country when it is the one spatial region and the store's country index was built from
    the current Natural Earth layer (see geoinc.store.sqlite_schema / geoinc.store.membership); else None."""
    spatial = [r for r in spec.regions if not isinstance(r, Admin1Region)]
    if len(spatial) != 1 or getattr(spatial[0], "country_row", None) is None:
        return None
    built_from = _meta_value(conn, "country_index")
    if built_from is None:
        return None
    try:
        from .membership import source_id

        if built_from != source_id():
            return None
    except Exception:  # noqa: BLE001 - no country layer to compare with: use the spatial path
        return None
    return spatial[0]


def _has_blank_dates(conn: sqlite3.Connection, country: int) -> bool:
    """Whether the country index holds incidents whose date key is '' (event_date NULL, not text, or '')."""
    return _cursor(conn).execute("SELECT 1 FROM incident_countries WHERE country = ? AND d = '' LIMIT 1",
                                 (country,)).fetchone() is not None


def _country_index_fids(conn: sqlite3.Connection, spec: QuerySpec) -> tuple[np.ndarray, list[Any] | None] | None:
    """(ids, dates or None) of the incidents in the query's one country with its SQL filters applied, from
    the store's country index, in (event_date, fid) order (event_date as text, '' when not text: the order
    :func:`select` makes); dates are returned only when that order still has to be made. None when the
    index cannot answer (see :func:`_index_region`): the spatial path then does."""
    region = _index_region(conn, spec)
    if region is None:
        return None
    country = int(region.country_row)  # type: ignore[arg-type]
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")
    try:
        where, params = ["m.country = ?"], [country]
        join = ""
        blank = _has_blank_dates(conn, country)
        if spec.statuses or spec.min_fatalities is not None or (blank and (spec.since or spec.until)):
            # filters on the incidents themselves (and SQLite's comparison of a non-text date)
            join = " CROSS JOIN incidents i ON i.fid = m.fid"
            extra, extra_params = _sql_filters(spec)
            where.append("1 = 1" + extra)
            params += extra_params
        else:
            # the index keeps each incident's event_date (d), so the date window is a range of it
            window, window_params = _date_window(spec, "m.d")
            where += window
            params += window_params
        n, fid_text = _cursor(conn).execute(
            "SELECT count(*), group_concat(fid) FROM (SELECT m.fid FROM "
            f"incident_countries m{join} WHERE {' AND '.join(where)} ORDER BY m.d, m.fid)", params).fetchone()
        fids = parse_ints(fid_text, int(n)) if n else np.zeros(0, dtype=np.int64)
        if fids is None:  # pragma: no cover - fids are INTEGER
            return None
        extra, extra_params = _sql_filters(spec)
        pending = _cursor(conn).execute(
            "SELECT i.fid, i.longitude, i.latitude FROM incident_countries_pending p CROSS JOIN incidents i "
            f"ON i.fid = p.fid WHERE 1 = 1{extra}", extra_params).fetchall()   # the (usually empty) pending list drives
        dates: list[Any] | None = None
        if pending:
            # incidents written since the index was last brought up to date: tested here, exactly
            p_fid = np.array([r[0] for r in pending], dtype=np.int64)
            lon = np.array([r[1] if isinstance(r[1], (int, float)) else np.nan for r in pending], dtype=float)
            lat = np.array([r[2] if isinstance(r[2], (int, float)) else np.nan for r in pending], dtype=float)
            extra_fids = p_fid[exact_mask(spec, lon, lat)]
            if extra_fids.size:
                fids = np.concatenate([fids, extra_fids])
                rows = _cursor(conn).execute(
                    "SELECT i.fid, i.event_date FROM json_each(?) j JOIN incidents i ON i.fid = j.value",
                    (_json_fids(fids),)).fetchall()
                fids = np.array([r[0] for r in rows], dtype=np.int64)
                dates = [r[1] for r in rows]
    finally:
        if began:
            conn.execute("COMMIT")
    return fids, dates


def _country_frame(conn: sqlite3.Connection, spec: QuerySpec) -> "gpd.GeoDataFrame | None":
    """The whole result of a query for one country (and a date window, a limit) in one statement: a range
    of the country index, already in date order, its packed values split in C. None when the index cannot
    answer it alone (other filters, incidents still pending, dates that are not text, no packed layout of
    these columns, an empty result): :func:`query_frame` then takes the general path, which gives the same frame."""
    region = _index_region(conn, spec)
    if (region is None or filter_columns(spec) or spec.statuses or spec.min_fatalities is not None):
        return None
    ints, floats = numeric_columns()
    stored = _stored_result_columns(conn)
    layout = _packed_layout(conn, stored, ints, floats)
    if layout is None:
        return None
    country = int(region.country_row)  # type: ignore[arg-type]
    where, params = ["country = ?"], [country]
    if spec.since:
        where.append("d >= ?")
        params.append(spec.since)
    if spec.until:
        where.append("d <= ? AND d != ''")
        params.append(spec.until)
    limit = ""
    if spec.limit is not None:
        limit = " LIMIT ?"
        params.append(spec.limit)
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")
    try:
        if _has_blank_dates(conn, country) or _cursor(conn).execute(
                "SELECT 1 FROM incident_countries_pending LIMIT 1").fetchone():
            return None
        row = _cursor(conn).execute(
            "SELECT count(*), group_concat(fid), group_concat(f, ''), group_concat(n), group_concat(t, char(31)) "
            f"FROM (SELECT fid, f, n, t FROM incident_countries WHERE {' AND '.join(where)} ORDER BY d, fid{limit})",
            params).fetchone()
        decoded = decode_packed(row, layout)
        if decoded is None:
            return None
        fid, values, rowwise = decoded
        rows = _read_rowwise(conn, fid, rowwise)
    except sqlite3.OperationalError:
        return None          # e.g. bytes that are not UTF-8 in a text column: the general path reads them
    finally:
        if began:
            conn.execute("COMMIT")
    by_name = _merge_rowwise(fid, values, rowwise, rows, floats)
    by_name.pop("fid", None)
    dates = by_name.get("event_date")
    order = None if spec.limit is not None or in_date_order(fid, dates) else date_order(fid, dates)
    return columns_to_frame(by_name, fid.size, order)


def select(conn: sqlite3.Connection, spec: QuerySpec, *, by_date: bool = True) -> Selection:
    """The matching incidents' row ids (sorted by event_date then store order unless ``by_date`` is False),
    cut at spec.limit; ``matched`` counts them all.

    With a spatial region and no SQL-side filter, :func:`spatial_fids` answers from the R*Tree alone; folded
    filters (types, actor, admin1) and the date order then read only the spatially matching rows. With
    date/status/fatality filters the R*Tree is joined to the table and SQLite filters while it reads.
    Without a region, the table is scanned with the SQL filters.
    """
    boxes = spec.driving_boxes()
    by_country = _country_index_fids(conn, spec)
    if by_country is not None:
        # one country and the store's country index: the ids in date order, SQL filters applied
        fids, dates = by_country
        if fids.size and filter_columns(spec):
            cols = ["fid"] + filter_columns(spec)
            cur = _cursor(conn).execute(
                f"SELECT {', '.join('i.' + c for c in cols)} FROM json_each(?) j JOIN incidents i ON i.fid = j.value",
                (_json_fids(fids),))
            rows = cur.fetchall()
            cand = {c: list(v) for c, v in zip(cols, zip(*rows))} if rows else {c: [] for c in cols}
            cand["event_date"] = [None] * len(rows)          # not used: dates are filtered in SQL
            got = np.asarray(cand["fid"], dtype=np.int64)
            if not np.array_equal(got, fids):  # pragma: no cover - json_each drives the join, in order
                raise StoreError("the incident store changed while a query ran; run it again")
            idx = np.flatnonzero(attribute_mask(spec, cand, sql_filters=False))
            fids = fids[idx]
            dates = None if dates is None else [dates[i] for i in idx]
        if dates is not None and fids.size:
            fids = fids[np.lexsort((fids, np.array(texts(dates), dtype=str)))]
        matched = int(fids.size)
        fids = _page(fids, spec)
        return Selection(fids, matched, date_ordered=True)
    if boxes is None or _sql_filters(spec)[0]:
        # no region: scan with the SQL filters; region + SQL filters (dates, status, fatalities): the R*Tree
        # joined to the table with the filters applied in SQLite (cheaper than deciding every point first)
        cand = candidates(conn, spec)
        fids = np.asarray(cand["fid"], dtype=np.int64)
        dates = cand["event_date"]
        if fids.size:
            mask = attribute_mask(spec, cand, sql_filters=False)
            if boxes is not None:
                lon = np.array([np.nan if v is None else v for v in cand["longitude"]], dtype=float)
                lat = np.array([np.nan if v is None else v for v in cand["latitude"]], dtype=float)
                mask &= exact_mask(spec, lon, lat)
            idx = np.flatnonzero(mask)
            fids, dates = fids[idx], [dates[i] for i in idx]
    else:
        fids = spatial_fids(conn, spec)
        dates = None
        if fids.size and (_needs_attributes(spec) or (by_date and spec.limit is not None)):
            cols = ["fid", "event_date"] + filter_columns(spec)
            cur = _cursor(conn).execute(
                f"SELECT {', '.join('i.' + c for c in cols)} FROM json_each(?) j JOIN incidents i ON i.fid = j.value",
                (_json_fids(fids),))
            rows = cur.fetchall()
            cand = {c: list(v) for c, v in zip(cols, zip(*rows))} if rows else {c: [] for c in cols}
            fids = np.asarray(cand["fid"], dtype=np.int64)
            dates = cand["event_date"]
            if fids.size:
                idx = np.flatnonzero(attribute_mask(spec, cand, sql_filters=False))
                fids, dates = fids[idx], [dates[i] for i in idx]
    if by_date and dates is not None and fids.size:
        order = np.lexsort((fids, np.array(texts(dates), dtype=str)))
        fids = fids[order]
    matched = int(fids.size)
    return Selection(_page(fids, spec), matched)


def _page(fids: np.ndarray, spec: QuerySpec) -> np.ndarray:
    """The ordered ids from spec.offset, at most spec.limit of them."""
    end = None if spec.limit is None else spec.offset + spec.limit
    return fids[spec.offset:end] if spec.offset or end is not None else fids


def _stored_result_columns(conn: sqlite3.Connection) -> list[str]:
    """The store's columns that a result needs (Incident fields, sources_json), in result order."""
    have = {r[1] for r in _cursor(conn).execute("PRAGMA table_info(incidents)").fetchall()}
    wanted = ["sources_json" if c == "sources" else c for c in result_columns()]
    return [c for c in wanted if c in have]


def load_rows(conn: sqlite3.Connection, fids: Sequence[int], *, by_date: bool = False) -> tuple[list[str], list[tuple]]:
    """(column names, rows) of these incidents, in the given order or (``by_date``) by event_date then store
    order: one parameterised query via json_each. Only the columns a result shows are read."""
    cols = _stored_result_columns(conn)
    order = "i.event_date, i.fid" if by_date else "j.key"
    cur = _cursor(conn).execute(
        f"SELECT {', '.join('i.' + c for c in cols)} FROM json_each(?) j JOIN incidents i ON i.fid = j.value "
        f"ORDER BY {order}", (_json_fids(fids),))
    return cols, cur.fetchall()




def _packed_layout(conn: sqlite3.Connection, stored: list[str], ints: frozenset[str],
                   floats: frozenset[str]) -> list[tuple[str, str]] | None:
    """The store's packed layout (see geoinc.store.columns) when it carries exactly these columns as we type
    them; None when the store has no packed rows (an older store opened read-only) or another layout."""
    value = _meta_value(conn, "packed_layout")
    if value is None:
        return None
    try:
        meta = json.loads(value)
        layout = [(str(c), str(k)) for c, k in meta["columns"]]
    except (ValueError, TypeError, KeyError):
        return None
    if meta.get("format") != PACKED_FORMAT or [c for c, _ in layout] != stored:
        return None
    for c, kind in layout:
        if kind != ("real" if c in floats else "int" if c in ints else "text"):
            return None
    return layout




def _read_rowwise(conn: sqlite3.Connection, fid: np.ndarray | None, columns: list[str], want: str | None = None) -> list[tuple]:
    """Rows (fid, *columns) of these incidents in the order of ``fid`` (or of the JSON ids ``want``)."""
    if not columns:
        return []
    return _cursor(conn).execute(
        f"SELECT i.fid{''.join(', i.' + c for c in columns)} FROM json_each(?) j JOIN incidents i "
        "ON i.fid = j.value", (want if fid is None else _json_fids(fid),)).fetchall()


def _merge_rowwise(fid: np.ndarray | None, values: dict[str, Any], rowwise: list[str], rows: list[tuple],
                   floats: frozenset[str]) -> dict[str, Any]:
    """Columns read row by row joined to the others; result names (``sources``). Sets the fids if None."""
    if rowwise:
        cols = list(zip(*rows)) if rows else [()] * (len(rowwise) + 1)
        row_fid = np.asarray(cols[0], dtype=np.int64)
        if fid is not None and not np.array_equal(row_fid, fid):  # pragma: no cover - one snapshot
            raise StoreError("the incident store changed while a result was read; run the query again")
        values["fid"] = row_fid
        for c, v in zip(rowwise, cols[1:]):
            if c in floats:
                try:
                    values[c] = np.array(v, dtype=float)    # None -> NaN
                except (TypeError, ValueError):
                    values[c] = list(v)
            else:
                values[c] = list(v)
    return {("sources" if c == "sources_json" else c): v for c, v in values.items()}


def read_columns(conn: sqlite3.Connection, fids: Sequence[int] | np.ndarray, *,
                 presorted: bool = False) -> tuple[np.ndarray, dict[str, Any]]:
    """The result columns of these incidents read column-wise: (fids, {result column: values}), rows in
    ascending fid order (ids not in the store are dropped, as a join would), or with ``presorted`` (ids
    already in (event_date, fid) order, each once) in the given order.

    Every column comes from one aggregate statement; a column the aggregate cannot carry exactly is read
    again by one row statement in the same read transaction.
    """
    ints, floats = numeric_columns()
    stored = _stored_result_columns(conn)
    fids = np.asarray(fids, dtype=np.int64)
    uniq = np.unique(fids)
    want = _json_fids(fids if presorted and uniq.size == fids.size else uniq)
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")
    try:
        try:
            agg_row = _cursor(conn).execute(aggregate_sql(stored, ints, floats), (want,)).fetchone()
            fid, values, rowwise = decode_aggregate(agg_row, stored, ints, floats)
        except sqlite3.OperationalError:
            # e.g. bytes that are not UTF-8 joined into a text column: read every column row by row, which
            # returns (or fails on) each value exactly as the row path does
            fid, values, rowwise = None, {}, list(stored)
        rows = _read_rowwise(conn, fid, rowwise, want)
    finally:
        if began:
            conn.execute("COMMIT")
    by_name = _merge_rowwise(fid, values, rowwise, rows, floats)
    row_fid = by_name.pop("fid", None)
    return (fid if fid is not None else row_fid), by_name




def load_frame(conn: sqlite3.Connection, fids: Sequence[int] | np.ndarray, *, by_date: bool = False,
               presorted: bool = False) -> "gpd.GeoDataFrame":
    """The result frame of these incidents, in the given order or (``by_date``) by event_date then store
    order; the same frame as ``rows_to_frame(*load_rows(...))``, read column-wise (see :func:`read_columns`).
    ``presorted`` says the ids come in (event_date, fid) order already (checked, not trusted)."""
    fids = np.asarray(fids, dtype=np.int64)
    fid, by_name = read_columns(conn, fids, presorted=presorted and by_date)
    order: np.ndarray | None
    if by_date:
        dates = by_name.get("event_date")
        if in_date_order(fid, dates):
            order = None                                 # read in date order already
        else:
            order = date_order(fid, dates)
    else:
        # the caller's order (an id given twice appears once, at its first place)
        uniq, first = np.unique(fids, return_index=True)
        order = np.argsort(first[np.searchsorted(uniq, fid)], kind="stable")
    return columns_to_frame(by_name, fid.size, order)




def query_frame(conn: sqlite3.Connection, spec: QuerySpec) -> "tuple[gpd.GeoDataFrame, int]":
    """(the result frame, how many matched before the limit): rows sorted by event_date, then store order,
    read column-wise (:func:`load_frame`), or from the country index when it answers alone."""
    with _gc_paused():
        frame = _country_frame(conn, spec) if not spec.offset else None     # the fast path has no offset
        if frame is not None:
            matched = len(frame)
            if spec.limit is not None and matched >= spec.limit:
                matched = _country_count(conn, spec)
            return frame, matched
        cut = spec.limit is not None or spec.offset > 0         # a page: order the ids before cutting
        sel = select(conn, spec, by_date=cut)
        return load_frame(conn, sel.fids, by_date=not cut, presorted=sel.date_ordered), sel.matched


def query_records(conn: sqlite3.Connection, spec: QuerySpec) -> tuple[list[dict[str, Any]], int]:
    """(the result as plain records, how many matched): the row-wise path, no pandas (small API answers)."""
    sel = select(conn, spec)
    # by date always: select() leaves a spatial-only query without a limit in store order
    names, rows = load_rows(conn, sel.fids, by_date=True)
    return rows_to_records(names, rows), sel.matched


def _country_count(conn: sqlite3.Connection, spec: QuerySpec) -> int:
    """How many incidents of the query's one country lie in its date window (the country index answers)."""
    region = _index_region(conn, spec)
    where, params = _date_window(spec, "d")
    row = _cursor(conn).execute(
        "SELECT count(*) FROM incident_countries WHERE country = ?" + "".join(f" AND {w}" for w in where),
        [int(region.country_row), *params]).fetchone()  # type: ignore[union-attr, arg-type]
    return int(row[0])


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a result is built: a large result allocates hundreds of
    thousands of strings and arrays, none in a reference cycle, and collections triggered by that count
    would only walk them (10-20 % of a 15,000-row query). The collector is restored afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()



__all__ = ["Selection", "select", "candidates", "spatial_fids", "load_rows", "read_columns", "load_frame",
           "query_frame", "query_records"]
