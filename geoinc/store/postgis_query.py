"""The PostGIS store's query planner: a validated QuerySpec -> the matching rows, in one read snapshot.

The most selective spatial region of the query drives the index: a box region (bbox, polygon strips) is
``geom && envelope`` on the GiST index of the points, a radius is a spherical ``ST_DWithin`` on the
geography (GiST, widened to a superset of the geodesic circle), a Natural Earth country reads the ids of
``incident_countries`` (the countries within 1e-4 degrees of each incident, made at write time). Dates,
status and fatalities are filtered in SQL exactly as the SQLite store does; then the exact predicates of
geoinc.regions (the same ones the SQLite store applies) decide every candidate, and rows are ordered by
event_date then store order. So a query answers the same rows, in the same order, on both backends.

When the whole answer is wanted (no page, no folded filter) one statement reads every result column of the
candidates (each row read from the table once); otherwise a narrow read finds the matching ids first.
A frame's columns come as one aggregate per column (:func:`read_columns`: binary numbers, text split in C);
records come as rows, made typed columns in bulk (:func:`rows_to_columns`), not value by value.
"""
from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..regions import Admin1Region, QuerySpec, attribute_mask, exact_mask, filter_columns, texts
from ..shapes import AreaRegion, RadiusRegion, Region
from .columns import SEP, Int64Column, StrColumn, in_date_order
from .postgis_schema import PACKED
from .records import INCIDENT_FIELDS, column_kind, numeric_columns

if TYPE_CHECKING:
    import psycopg

_RADIUS_MARGIN_M = 20.0
_SPHERE_WIDEN = 1.01           # spherical vs ellipsoidal distance: under 0.6 % apart on Earth
_RESULT = [*INCIDENT_FIELDS, "sources_json"]
_LON, _LAT, _DATE = (1 + _RESULT.index(c) for c in ("longitude", "latitude", "event_date"))


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


def _spatial_sql(region: Region) -> tuple[str, list[Any]]:
    """(WHERE condition, parameters) narrowing to a superset of the region's points by an index."""
    if isinstance(region, RadiusRegion):
        # on the sphere (cheaper than the spheroid), widened to a superset of the geodesic circle: the two
        # distances differ by well under 1 %; pyproj's exact test follows
        return ("ST_DWithin(i.geog, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s, false)",
                [region.lon, region.lat, region.radius_km * 1000.0 * _SPHERE_WIDEN + _RADIUS_MARGIN_M])
    if isinstance(region, AreaRegion) and region.country_row is not None:
        # the incidents indexed near this country at write time (a superset; the exact test follows); the
        # ids first, then the rows by primary key (a hash join would scan the whole table)
        return ("i.fid = ANY(ARRAY(SELECT m.fid FROM incident_countries m WHERE m.country = %s))",
                [int(region.country_row)])
    boxes = region.boxes()                      # bbox (split at 180 degrees), polygon strips
    cond = " OR ".join("i.geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)" for _ in boxes)
    return f"({cond})", [v for b in boxes for v in b]


def _where(spec: QuerySpec) -> tuple[str, list[Any]]:
    """(`` WHERE ...`` or '', parameters): the driving region's index condition and the SQL filters."""
    where, params = _sql_filters(spec)
    region = _driving_region(spec)
    if region is not None:
        cond, sparams = _spatial_sql(region)
        where.insert(0, cond)
        params[:0] = sparams
    return (" WHERE " + " AND ".join(where) if where else ""), params


def _keep(spec: QuerySpec, cand: dict[str, Any]) -> np.ndarray:
    """Positions of the candidates that match (folded filters, exact regions), by event_date then fid
    (dates as a StrColumn when none is NULL: then rows already in that order are only checked)."""
    fids = np.asarray(cand["fid"], dtype=np.int64)
    if not fids.size:
        return np.zeros(0, dtype=np.int64)
    dates = cand["event_date"]
    if isinstance(dates, StrColumn):
        cand = {**cand, "event_date": dates.data}
    mask = attribute_mask(spec, cand, sql_filters=False)
    if _driving_region(spec) is not None:
        lon = np.array(cand["longitude"], dtype=float)          # None -> NaN
        lat = np.array(cand["latitude"], dtype=float)
        mask &= exact_mask(spec, lon, lat)
    idx = np.flatnonzero(mask)
    if not idx.size:
        return idx
    if isinstance(dates, StrColumn):            # no NULL: compared as they are, and often in order already
        kept = dates.data if idx.size == fids.size else dates.data[idx]
        if in_date_order(fids[idx], StrColumn(kept)):
            return idx
        return idx[np.lexsort((fids[idx], kept.astype(str)))]
    dates = [dates[i] for i in idx]
    return idx[np.lexsort((fids[idx], np.array(texts(dates), dtype=str)))]


def candidates(conn: "psycopg.Connection[Any]", spec: QuerySpec) -> dict[str, list[Any]]:
    """Columns (fid, lon, lat, event_date + folded-filter columns) of incidents passing the index and SQL filters."""
    cols = ["fid", "longitude", "latitude", "event_date", *filter_columns(spec)]
    where, params = _where(spec)
    rows = conn.execute(f"SELECT {', '.join('i.' + c for c in cols)} FROM incidents i{where}", params).fetchall()
    data = list(zip(*rows)) if rows else [()] * len(cols)
    return {c: list(v) for c, v in zip(cols, data)}


def _page(ordered: np.ndarray, spec: QuerySpec) -> np.ndarray:
    """The ordered matches from spec.offset, at most spec.limit of them (as the SQLite store pages)."""
    end = None if spec.limit is None else spec.offset + spec.limit
    return ordered[spec.offset:end]


def matching_fids(conn: "psycopg.Connection[Any]", spec: QuerySpec) -> tuple[np.ndarray, int]:
    """(ids of the matching incidents by event_date then id, paged by offset and limit; how many matched)."""
    cand = candidates(conn, spec)
    fids = np.asarray(cand["fid"], dtype=np.int64)[_keep(spec, cand)]
    return _page(fids, spec), int(fids.size)


def _one_pass(spec: QuerySpec) -> bool:
    """Whether to read every result column of the candidates at once: the whole answer is wanted (no page)
    and nothing but the exact region test (which drops few candidates) decides after the index."""
    return spec.limit is None and not spec.offset and not filter_columns(spec)


def select_rows(conn: "psycopg.Connection[Any]", spec: QuerySpec) -> tuple[list[str], list[tuple], int]:
    """(result column names, rows (fid first, then the result columns) in result order, matched), read in
    one REPEATABLE READ snapshot: one statement reading every column of the candidates when the whole
    answer is wanted, else the matching ids from a narrow read, then their rows."""
    names = ["fid", *_RESULT]
    conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    try:
        if _one_pass(spec):
            where, params = _where(spec)
            rows = conn.execute(f"SELECT {', '.join('i.' + c for c in names)} FROM incidents i{where}",
                                params).fetchall()
            cand = {"fid": [r[0] for r in rows], "event_date": [r[_DATE] for r in rows],
                    "longitude": [r[_LON] for r in rows], "latitude": [r[_LAT] for r in rows]}
            keep = _keep(spec, cand)
            return names, [rows[i] for i in keep.tolist()], int(keep.size)
        fids, matched = matching_fids(conn, spec)
        rows = []
        if fids.size:
            ids = "{" + ",".join(map(str, fids.tolist())) + "}"          # one text literal: cheap to send
            rows = conn.execute(f"SELECT {', '.join('i.' + c for c in names)} FROM unnest(%s::bigint[]) WITH "
                                "ORDINALITY AS j(fid, k) JOIN incidents i ON i.fid = j.fid ORDER BY j.k",
                                (ids,)).fetchall()
        return names, rows, matched
    finally:
        conn.execute("COMMIT")


# Column-wise reading. psycopg hands values over one by one (~10 µs per 46-column row with the transposing
# and typing), so a frame's columns are instead aggregated by PostgreSQL, one value per column over every
# row read: numbers as their binary send form (big-endian IEEE doubles / int64, NULL as NaN / 0), fetched in
# binary and read by numpy without a Python object per value; text joined by SEP and split in C. Every
# aggregate of one statement sees the rows in the same order (the ids come along). A column the aggregate
# cannot carry exactly (NULL in some rows only, SEP inside a value) is read row by row in the same snapshot.

def _aggregate_sql(where: str) -> str:
    """count(*), the ids, and per result column its values (numbers as send bytes, text joined by SEP)
    with its non-NULL count (floats need none: NULL and NaN both read as NaN)."""
    parts = ["count(*)", "string_agg(int8send(i.fid), '')"]
    for c in _RESULT:
        kind = column_kind(c)
        if kind == "real":
            parts.append(f"string_agg(float8send(coalesce(i.{c}, 'NaN')), '')")
        elif kind == "int":
            parts.append(f"count(i.{c}), string_agg(int8send(coalesce(i.{c}, 0)), '')")
        else:
            parts.append(f"count(i.{c}), string_agg(i.{c}, chr(31))")
    return f"SELECT {', '.join(parts)} FROM incidents i{where}"


def _decode_aggregate(row: tuple) -> tuple[np.ndarray, dict[str, Any], list[str]]:
    """(ids, {result column: values} typed as rows_to_columns types them, ``sources_json`` as ``sources``;
    the SQL columns to read row by row)."""
    n = int(row[0])
    fid = np.frombuffer(row[1], dtype=">i8").astype(np.int64)
    out: dict[str, Any] = {}
    rowwise: list[str] = []
    k = 2
    for c in _RESULT:
        kind, key = column_kind(c), ("sources" if c == "sources_json" else c)
        if kind == "real":
            out[key] = np.frombuffer(row[k], dtype=">f8").astype(float)
            k += 1
            continue
        count, value = int(row[k]), row[k + 1]
        k += 2
        if count == 0:
            out[key] = None
        elif count != n:
            rowwise.append(c)
        elif kind == "int":
            out[key] = Int64Column(np.frombuffer(value, dtype=">i8").astype(np.int64))
        else:
            parts = value.split(SEP)
            if len(parts) == n:
                out[key] = StrColumn(np.fromiter(parts, dtype=object, count=n))
            else:
                rowwise.append(c)
    return fid, out, rowwise


def _id_array(fids: np.ndarray) -> str:
    """Ids as one bigint[] text literal (cheap to send)."""
    return "{" + ",".join(map(str, fids.tolist())) + "}"


def read_columns(conn: "psycopg.Connection[Any]", where: str, params: list[Any]) -> tuple[np.ndarray, dict[str, Any]]:
    """(ids, {result column: values}) of the incidents ``where`` selects, in one order (the statement's),
    typed and named as :func:`rows_to_columns` types them; call inside a read transaction (one snapshot)."""
    with conn.cursor(binary=True) as cur:
        row = cur.execute(_aggregate_sql(where), params).fetchone()
    if row is None or not row[0]:
        columns = rows_to_columns(["fid", *_RESULT], [])
        return columns.pop("fid").data, columns
    fid, columns, rowwise = _decode_aggregate(row)
    _read_rowwise(conn, fid, rowwise, columns)
    return fid, columns


def _read_rowwise(conn: "psycopg.Connection[Any]", fid: np.ndarray, rowwise: list[str], columns: dict[str, Any]) -> None:
    """Read the ``rowwise`` SQL columns of the incidents ``fid`` row by row into ``columns``, in fid's order."""
    if not rowwise:
        return
    rows = conn.execute(f"SELECT i.fid, {', '.join('i.' + c for c in rowwise)} FROM incidents i "
                        "WHERE i.fid = ANY(%s::bigint[])", (_id_array(fid),)).fetchall()
    got = np.array([r[0] for r in rows], dtype=np.int64)
    sorter = np.argsort(got)
    at = sorter[np.searchsorted(got, fid, sorter=sorter)]          # each aggregate row's row-wise row
    columns.update(rows_to_columns(rowwise, [rows[i][1:] for i in at.tolist()]))


# A country query whose whole answer is wanted reads the packed rows of incident_countries (see
# geoinc.store.postgis_schema.pack_sql): per incident one narrow row, aggregated into five values.
_NUMS = [c for c in PACKED if column_kind(c) != "text"]
_FLAGGED = [c for c in PACKED if column_kind(c) != "real"]
_TEXTS = [c for c in PACKED if column_kind(c) == "text"]
_NUM_DTYPE = np.dtype([(c, ">f8" if column_kind(c) == "real" else ">i8") for c in _NUMS])
_PACKED_SQL = ("SELECT count(*), string_agg(int8send(fid), ''), string_agg(num, ''), string_agg(flags, ''), "
               "string_agg(txt, chr(31)) FROM incident_countries WHERE country = %s")
# schema 6: the rows through the (country, day, fid) key, in result order (the aggregates take them in the
# subquery's order; the reader checks it and sorts when it is not so)
_PACKED_ORDERED_SQL = _PACKED_SQL.replace("FROM incident_countries WHERE country = %s",
                                          "FROM (SELECT fid, num, flags, txt FROM incident_countries "
                                          "WHERE country = %s ORDER BY day, fid) r")


def _packed_country(spec: QuerySpec) -> int | None:
    """The country (row of the layer) when the query is one country, whole, with no filter but the region."""
    spatial = [r for r in spec.regions if not isinstance(r, Admin1Region)]
    if (len(spatial) != 1 or len(spec.regions) != 1 or not _one_pass(spec) or spec.since or spec.until
            or spec.statuses or spec.min_fatalities is not None):
        return None
    row = getattr(spatial[0], "country_row", None)
    return None if row is None else int(row)


@dataclass(frozen=True, slots=True)
class PackedRows:
    """The packed aggregate of one country, parsed: ids, numbers (one structured row per incident), flags
    (n x flagged columns, ASCII codes, see pack_sql) and texts (the split text values, row after row), in one
    order. packed_columns uses the texts up (it may delete rows from the list)."""

    fid: np.ndarray
    nums: np.ndarray
    flags: np.ndarray
    texts: list[str]

    def dates(self) -> Any:
        """event_date for the row order check: a StrColumn when no value is NULL or read row by row, else None."""
        if (self.flags[:, _FLAGGED.index("event_date")] != ord("0")).any():
            return None
        return StrColumn(np.fromiter(self.texts[_TEXTS.index("event_date")::len(_TEXTS)], dtype=object,
                                     count=self.fid.size))


def parse_packed(row: tuple) -> PackedRows | None:
    """The packed aggregate (count, ids, numbers, flags, texts) parsed, or None when it is empty or not of
    the expected shape (the general path answers then). The texts are split once, in C."""
    n = int(row[0])
    if not n or len(row[2]) != n * _NUM_DTYPE.itemsize or len(row[3]) != n * len(_FLAGGED):
        return None
    parts = row[4].split(SEP)
    if len(parts) != n * len(_TEXTS) or not row[3].isascii():
        return None
    return PackedRows(fid=np.frombuffer(row[1], dtype=">i8").astype(np.int64),
                      nums=np.frombuffer(row[2], dtype=_NUM_DTYPE),
                      flags=np.frombuffer(row[3].encode("ascii"), dtype=np.uint8).reshape(n, len(_FLAGGED)),
                      texts=parts)


_FEW_LEFT_OUT = 16        # rows left out by deleting them from the texts (each moves the rest of the list)


def packed_columns(packed: PackedRows, rows: np.ndarray | None = None
                   ) -> tuple[np.ndarray, dict[str, Any], list[str]]:
    """(ids, {result column: values}, SQL columns to read row by row) of the packed ``rows`` (positions, in
    the order wanted; None: all, as they came). A text column is a strided view of the texts array, not a
    copy: each pass over ~700,000 str objects (an incref or decref apiece, scattered in memory) costs more
    than anything else here, so rows are gathered once, whole, and columns are never copied one by one; when
    ``rows`` only leaves out a few rows (points just outside a border), those are deleted from the list of
    texts before the array is made instead (moving pointers, not touching the objects)."""
    fid, nums, flags, parts = packed.fid, packed.nums, packed.flags, packed.texts
    width = len(_TEXTS)
    if rows is None:
        texts = np.fromiter(parts, dtype=object, count=len(parts)).reshape(-1, width)
    else:
        fid, nums, flags = fid[rows], nums[rows], flags[rows]
        left_out = packed.fid.size - rows.size
        if left_out <= _FEW_LEFT_OUT and (rows.size < 2 or bool((np.diff(rows) > 0).all())):
            out_rows = np.ones(packed.fid.size, dtype=bool)
            out_rows[rows] = False
            for i in np.flatnonzero(out_rows)[::-1].tolist():
                del parts[i * width:(i + 1) * width]
            texts = np.fromiter(parts, dtype=object, count=len(parts)).reshape(-1, width)
        else:
            texts = np.fromiter(parts, dtype=object, count=len(parts)).reshape(-1, width)[rows]
    out: dict[str, Any] = {}
    rowwise: list[str] = []
    for c in PACKED:
        kind, key = column_kind(c), ("sources" if c == "sources_json" else c)
        if kind == "real":
            out[key] = nums[c].astype(np.float64)
            continue
        f = flags[:, _FLAGGED.index(c)]
        null = f == ord("1")
        if null.all():
            out[key] = None
        elif kind == "int":
            out[key] = Int64Column(nums[c].astype(np.int64), null if null.any() else None)
        elif (f == ord("2")).any():
            rowwise.append(c)
        elif null.any():
            values = texts[:, _TEXTS.index(c)].copy()
            values[null] = None
            out[key] = values
        else:
            out[key] = StrColumn(texts[:, _TEXTS.index(c)])
    return fid, out, rowwise


def decode_packed(row: tuple) -> tuple[np.ndarray, dict[str, Any], list[str]] | None:
    """(ids, {result column: values}, SQL columns to read row by row) from the packed aggregate, or None
    when it is empty or not of the expected shape (the general path answers then)."""
    packed = parse_packed(row)
    return None if packed is None else packed_columns(packed)


def _read_packed(conn: "psycopg.Connection[Any]", country: int, spec: QuerySpec, ordered: bool
                 ) -> tuple[dict[str, Any], int, np.ndarray | None, int] | None:
    """select_columns' answer from the incidents packed under this country, or None (see parse_packed).
    The matching rows are found and ordered on the ids, points and dates first, so the columns are made
    once, already in result order (no order left for the frame) when every date is a str."""
    with conn.cursor(binary=True) as cur:
        if ordered:     # a big country: the planner may prefer a parallel scan and a sort to the key (slower)
            cur.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        row = cur.execute(_PACKED_ORDERED_SQL if ordered else _PACKED_SQL, (country,)).fetchone()
    packed = parse_packed(row) if row is not None else None
    if packed is None:
        return None
    n = packed.fid.size
    dates = packed.dates()
    if dates is None:                       # NULL or row-by-row dates: order the finished columns
        fid, columns, rowwise = packed_columns(packed)
        _read_rowwise(conn, fid, rowwise, columns)
        cand = {"fid": fid, "longitude": columns["longitude"], "latitude": columns["latitude"],
                "event_date": _values(columns["event_date"], n)}
        keep = _keep(spec, cand)
        return columns, n, keep, int(keep.size)
    cand = {"fid": packed.fid, "longitude": packed.nums["longitude"].astype(np.float64),
            "latitude": packed.nums["latitude"].astype(np.float64), "event_date": dates}
    keep = _keep(spec, cand)
    whole = keep.size == n and bool(np.array_equal(keep, np.arange(n)))
    fid, columns, rowwise = packed_columns(packed, None if whole else keep)
    _read_rowwise(conn, fid, rowwise, columns)
    return columns, int(fid.size), None, int(keep.size)


def _values(column: Any, n: int) -> Any:
    """A typed column's values as a sequence of n (None for NULL where the column is all NULL); a StrColumn
    stays one (the date order check reads it as it is)."""
    if column is None:
        return [None] * n
    return column


def select_columns(conn: "psycopg.Connection[Any]", spec: QuerySpec, *, packed: bool = True, ordered: bool = True
                   ) -> tuple[dict[str, Any], int, np.ndarray | None, int]:
    """(columns, rows read, positions of the result rows among them in result order (None: as read),
    matched) in one REPEATABLE READ snapshot, for geoinc.store.columns.columns_to_frame(columns, n, order):
    the candidates' columns at once when the whole answer is wanted (from the packed country rows for a plain
    country query when the schema has them: ``packed``, read in result order when the schema has their days:
    ``ordered``), else the matching ids first, then their columns."""
    conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    try:
        country = _packed_country(spec) if packed else None
        answer = _read_packed(conn, country, spec, ordered) if country is not None else None
        if answer is not None:
            return answer
        if _one_pass(spec):
            where, params = _where(spec)
            fid, columns = read_columns(conn, where, params)
            cand = {"fid": fid, "longitude": columns["longitude"], "latitude": columns["latitude"],
                    "event_date": _values(columns["event_date"], fid.size)}
            order: np.ndarray | None = _keep(spec, cand)
            matched = int(order.size)
        else:
            wanted, matched = matching_fids(conn, spec)
            fid, columns = read_columns(conn, " WHERE i.fid = ANY(%s::bigint[])", [_id_array(wanted)])
            sorter = np.argsort(fid)
            order = sorter[np.searchsorted(fid, wanted, sorter=sorter)] if wanted.size else wanted
    finally:
        conn.execute("COMMIT")
    return columns, int(fid.size), order, matched


def _objects(values: tuple) -> np.ndarray:
    return np.fromiter(values, dtype=object, count=len(values))


def rows_to_columns(names: list[str], rows: list[tuple]) -> dict[str, Any]:
    """Result rows -> {result column: values} typed as geoinc.store.columns.columns_to_frame takes them
    (float arrays, Int64Column, StrColumn when a text column has no NULL, None when every value is NULL),
    converted a column at a time in C rather than value by value; ``sources_json`` becomes ``sources``."""
    ints, floats = numeric_columns()
    cols = list(zip(*rows)) if rows else [()] * len(names)
    out: dict[str, Any] = {}
    for name, col in zip(names, cols):
        key = "sources" if name == "sources_json" else name
        if name in floats:
            out[key] = np.array(col, dtype=float)                    # None -> NaN
            continue
        nulls = sum(map(operator.is_, col, itertools.repeat(None)))        # by identity: no comparisons
        if col and nulls == len(col):
            out[key] = None
        elif name in ints or name == "fid":
            if nulls:
                null = np.fromiter(map(operator.is_, col, itertools.repeat(None)), dtype=bool, count=len(col))
                out[key] = Int64Column(np.array([0 if v is None else v for v in col], dtype=np.int64), null)
            else:
                out[key] = Int64Column(np.array(col, dtype=np.int64))
        else:
            out[key] = _objects(col) if nulls else StrColumn(_objects(col))
    return out


__all__ = ["candidates", "matching_fids", "select_rows", "read_columns", "PackedRows", "parse_packed",
           "packed_columns", "decode_packed", "select_columns", "rows_to_columns"]
