"""Result columns: exact packing of values into text (written once here), decoding, and the one frame builder.

SQLite hands values to Python one by one (~0.1 us each), so large results travel as aggregated text split in
C instead. A REAL x travels as two integers, exactly: Y = x * 2^32 (exact), a = trunc(Y), b = (Y - a) * 2^52;
then x = (a + b * 2^-52) * 2^-32. Y - a is exact (|Y - a| < 1, both multiples of Y's ulp), so x comes back bit
for bit whenever b is a whole number and |a| < 2^53; a value where that fails (some |x| < 2^-32, any
|x| >= 2^21, overflow) is flagged and read row by row instead. :func:`real_as_ints` is the SQL side and
:func:`ints_to_real` the Python side of that packing; the column-wise reader and the country index both use them.
"""
from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import StoreError
from .records import INCIDENT_FIELDS, column_kind, numeric_columns, result_columns

if TYPE_CHECKING:
    import geopandas as gpd

SEP = "\x1f"              # ASCII unit separator between a column's text values
PACKED_FORMAT = 3         # layout version of the country index's packed rows
_US = "char(31)"          # SEP in SQL


def real_as_ints(x: str) -> tuple[str, str, str]:
    """SQL (a, b, exact) for the REAL expression ``x`` as two integers, and whether they carry it exactly."""
    y = f"({x} * 4294967296.0)"
    a = f"CAST({y} AS INTEGER)"
    b = f"CAST(({y} - {a}) * 4503599627370496.0 AS INTEGER)"
    exact = f"(({y} - {a}) * 4503599627370496.0 = {b} AND abs({a}) < 9007199254740992)"
    return a, b, exact


def ints_to_real(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The REALs packed by :func:`real_as_ints`, bit for bit."""
    return (a.astype(float) + b.astype(float) * 2.0 ** -52) * 2.0 ** -32


@dataclass(frozen=True, slots=True)
class Int64Column:
    """An integer column as int64 values; ``mask`` marks the NULLs (None: no NULL)."""

    data: np.ndarray
    mask: np.ndarray | None = None


@dataclass(frozen=True, slots=True)
class StrColumn:
    """A text column whose every value is a str (no NULL), as a 1-D object array (the frame takes it
    unchecked: make one only of values known to be str, e.g. split from one text)."""

    data: np.ndarray


@functools.lru_cache(maxsize=1)
def str_dtype() -> Any:
    """pandas' default string dtype, the one it infers for an object array of str (pandas >= 3: "str")."""
    import pandas as pd

    return pd.Series(np.array(["a"], dtype=object)).dtype


@functools.lru_cache(maxsize=1)
def _str_template() -> Any:
    """An empty array of str_dtype() (pandas >= 3), whose ``_from_backing_data`` wraps an object array of str
    as one more such array without pandas' per-value check (~0.3 µs a value), or None."""
    dtype = str_dtype()
    if isinstance(dtype, np.dtype):                          # pragma: no cover - pandas < 3
        return None
    template = dtype.construct_array_type()._from_sequence(np.zeros(0, dtype=object), dtype=dtype)
    return template if callable(getattr(template, "_from_backing_data", None)) else None


def str_array(strs: np.ndarray, *, checked: bool = False) -> Any:
    """A 1-D object array of str (a StrColumn's, not copied) as the array pandas' str dtype gives it: wrapped
    as it is through the private ``_from_backing_data`` (no per-value check: a StrColumn holds only str), or,
    when that is missing or refuses (another pandas), or with ``checked``, through the public _from_sequence."""
    dtype = str_dtype()
    if isinstance(dtype, np.dtype):                          # pragma: no cover - pandas < 3 keeps object
        return strs
    template = None if checked else _str_template()
    if template is not None:
        try:
            wrapped = template._from_backing_data(strs)
            if wrapped.dtype == dtype and len(wrapped) == len(strs):
                return wrapped
        except (AttributeError, TypeError, ValueError):      # a pandas without it, or changed
            pass
    return dtype.construct_array_type()._from_sequence(strs, dtype=dtype, copy=False)


# Column-wise reading. The sqlite3 module costs ~0.1 µs per value it hands over, so a 15,000-row result of
# 46 columns spends most of its time crossing that boundary row by row. Text and integer columns are
# instead aggregated by SQLite into one string per column (group_concat) and split in C; REALs travel as
# integers (SQLite's float -> text is not exact). Only a column the aggregate cannot carry exactly (NULL in
# some rows only, a separator inside a value, a non-integer in an INTEGER column, a REAL outside the exact
# range) is read row by row, in the same read transaction (one snapshot).

def parse_ints(text: str, n: int) -> np.ndarray | None:
    """Comma-separated integers -> int64 array, or None unless exactly ``n`` well-formed integers."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            arr = np.fromstring(text, dtype=np.int64, sep=",")
    except (ValueError, DeprecationWarning, OverflowError):
        return None
    return arr if arr.size == n else None


def aggregate_sql(columns: list[str], ints: frozenset[str], floats: frozenset[str]) -> str:
    """count(*), the fids, and per column its non-NULL count and its values joined (REALs as two integers)."""
    parts = ["count(*)", "group_concat(i.fid)"]
    for c in columns:
        if c in floats:
            a, b, exact = real_as_ints(f"i.{c}")
            parts += [f"count(i.{c})", f"group_concat({a})", f"group_concat({b})", f"sum(NOT {exact})"]
        elif c in ints:
            parts += [f"count(i.{c})", f"group_concat(i.{c})"]
        else:
            parts += [f"count(i.{c})", f"group_concat(i.{c}, '{SEP}')"]
    return f"SELECT {', '.join(parts)} FROM json_each(?) j JOIN incidents i ON i.fid = j.value"


def decode_aggregate(row: tuple, columns: list[str], ints: frozenset[str],
                      floats: frozenset[str]) -> tuple[np.ndarray, dict[str, Any], list[str]]:
    """(fids, columns the aggregate carries exactly, columns to read row by row) from the aggregate row."""
    n = int(row[0])
    fid = parse_ints(row[1], n) if n else np.zeros(0, dtype=np.int64)
    if fid is None:
        raise AssertionError("SQLite's integer fids did not parse")  # pragma: no cover - fids are INTEGER PRIMARY KEY
    out: dict[str, Any] = {}
    rowwise: list[str] = []
    k = 2
    for c in columns:
        count = int(row[k])
        if c in floats:
            a_text, b_text, inexact = row[k + 1], row[k + 2], row[k + 3]
            k += 4
            if count == 0:
                out[c] = None
                continue
            a = parse_ints(a_text, n) if count == n and not inexact else None
            b = parse_ints(b_text, n) if a is not None else None
            if b is None:
                rowwise.append(c)
            else:
                out[c] = ints_to_real(a, b)
            continue
        text = row[k + 1]
        k += 2
        if count == 0:
            out[c] = None
        elif count != n:
            rowwise.append(c)
        elif c in ints:
            parsed = parse_ints(text, n)
            if parsed is None:
                rowwise.append(c)
            else:
                out[c] = Int64Column(parsed)
        else:
            parts = text.split(SEP)
            if len(parts) == n:
                out[c] = parts
            else:
                rowwise.append(c)
    return fid, out, rowwise


def packed_layout(columns: Sequence[str]) -> list[tuple[str, str]]:
    """(column, kind) packed per incident: the result columns present in the table, in result order."""
    have = set(columns)
    wanted = [*INCIDENT_FIELDS, "sources_json"]
    return [(c, column_kind(c)) for c in wanted if c in have]



def packed_exprs(layout: Sequence[tuple[str, str]], ref: str) -> tuple[str, str, str]:
    """SQL expressions (flags, numbers, texts) packing one incidents row; ``ref`` prefixes each column."""
    flags: list[str] = []
    nums: list[str] = []
    texts: list[str] = []
    for c, kind in layout:
        x = f"{ref}{c}"
        if kind == "int":
            flags.append(f"CASE typeof({x}) WHEN 'integer' THEN '0' WHEN 'null' THEN '1' ELSE '2' END")
            nums.append(f"CASE typeof({x}) WHEN 'integer' THEN {x} ELSE 0 END")
        elif kind == "real":
            a, b, carried = real_as_ints(x)
            exact = f"(typeof({x}) = 'real' AND {carried})"
            flags.append(f"CASE WHEN {x} IS NULL THEN '1' WHEN {exact} THEN '0' ELSE '2' END")
            nums.append(f"CASE WHEN {exact} THEN {a} ELSE 0 END")
            nums.append(f"CASE WHEN {exact} THEN {b} ELSE 0 END")
        else:
            ok = f"(typeof({x}) = 'text' AND instr({x}, {_US}) = 0)"
            flags.append(f"CASE WHEN {x} IS NULL THEN '1' WHEN {ok} THEN '0' ELSE '2' END")
            texts.append(f"CASE WHEN {ok} THEN {x} ELSE '' END")
    return (" || ".join(flags) or "''", " || ',' || ".join(nums) or "''",
            f" || {_US} || ".join(texts) or "''")


def decode_packed(row: tuple, layout: list[tuple[str, str]]
                   ) -> tuple[np.ndarray, dict[str, Any], list[str]] | None:
    """(fids, columns, columns to read row by row) from the aggregate of packed rows (count, fids, flags,
    numbers, texts; see packed_exprs), or None when it is empty or does not have the expected shape."""
    n = int(row[0])
    if n == 0:
        return None
    kinds = [k for _, k in layout]
    n_nums = sum(2 if k == "real" else 1 for k in kinds if k != "text")
    n_texts = kinds.count("text")
    fid = parse_ints(row[1], n)
    flag_text = row[2] or ""
    if fid is None or len(flag_text) != n * len(layout) or not flag_text.isascii():
        return None
    flags = np.frombuffer(flag_text.encode("ascii"), dtype=np.uint8).reshape(n, len(layout))
    nums = np.zeros((n, 0), dtype=np.int64)
    if n_nums:
        parsed = parse_ints(row[3] or "", n * n_nums)
        if parsed is None:
            return None
        nums = parsed.reshape(n, n_nums)
    texts = np.zeros((n, 0), dtype=object)
    if n_texts:
        parts = (row[4] or "").split(SEP)
        if len(parts) != n * n_texts:
            return None
        texts = np.fromiter(parts, dtype=object, count=len(parts)).reshape(n, n_texts)
    out: dict[str, Any] = {}
    rowwise: list[str] = []
    jn = jt = 0
    for k, (c, kind) in enumerate(layout):
        col_flags = flags[:, k]
        j_num, j_text = jn, jt
        if kind == "text":
            jt += 1
        else:
            jn += 2 if kind == "real" else 1
        if (col_flags == ord("2")).any():
            rowwise.append(c)
            continue
        null = col_flags == ord("1")
        if null.all():
            out[c] = None
        elif kind == "real":
            x = ints_to_real(nums[:, j_num], nums[:, j_num + 1])
            x[null] = np.nan
            out[c] = x
        elif kind == "int":
            out[c] = Int64Column(nums[:, j_num].copy(), null if null.any() else None)
        elif null.any():
            values = texts[:, j_text].copy()
            values[null] = None
            out[c] = values
        else:
            out[c] = StrColumn(texts[:, j_text])
    return fid, out, rowwise



def date_order(fid: np.ndarray, dates: Any) -> np.ndarray:
    """Row order by event_date then fid, as SQLite's ORDER BY event_date, fid (NULL first, then by text)."""
    if dates is None:
        return np.argsort(fid, kind="stable")
    if isinstance(dates, StrColumn):
        return np.lexsort((fid, dates.data.astype(str)))
    present = np.fromiter((d is not None for d in dates), dtype=bool, count=fid.size)
    text = np.array(["" if d is None else str(d) for d in dates] if not present.all() else list(dates), dtype=str)
    return np.lexsort((fid, text, present))


def in_date_order(fid: np.ndarray, dates: Any) -> bool:
    """True when rows of str dates are already in :func:`date_order`'s order (a cheap check)."""
    if not isinstance(dates, StrColumn):
        return False
    if fid.size < 2:
        return True
    d = dates.data
    a, b = d[:-1], d[1:]
    return bool(np.all((a < b) | ((a == b) & (fid[:-1] < fid[1:]))))



def named_columns(names: list[str], rows: list[tuple]) -> dict[str, list]:
    names = ["sources" if n == "sources_json" else n for n in names]
    data = list(zip(*rows)) if rows else [()] * len(names)
    by_name: dict[str, list] = {}
    for n, col in zip(names, data):
        by_name.setdefault(n, list(col))       # first wins if a name repeats
    return by_name


def rows_to_frame(names: list[str], rows: list[tuple]) -> "gpd.GeoDataFrame":
    """Store rows -> GeoDataFrame (EPSG:4326, point geometry, None where unlocated); sources kept as JSON text.

    Columns are typed from the Incident fields (float64, nullable Int64, text) rather than inferred,
    which keeps a small result's cost low.
    """
    by_name = named_columns(names, rows)
    return columns_to_frame(by_name, len(rows))


def columns_to_frame(by_name: dict[str, Any], n: int, order: np.ndarray | None = None) -> "gpd.GeoDataFrame":
    """Result columns -> GeoDataFrame (EPSG:4326), rows taken in ``order`` when given.

    ``by_name`` maps a result column to its values: a list (as read row by row), a float64 array, an
    ``Int64Column`` (int64 values, no NULL) or None (every value NULL); absent columns are all NULL. Every
    read path goes through here, so a result has the same columns and dtypes however it was read.
    """
    import geopandas as gpd
    import pandas as pd

    ints, floats = numeric_columns()
    data: dict[str, Any] = {}
    for c in result_columns():
        values = by_name.get(c)
        if c in floats:
            if isinstance(values, np.ndarray):
                col: Any = values.astype(float, copy=False)
            else:
                col = np.array([np.nan if v is None else v for v in (values if values is not None else [None] * n)],
                               dtype=float)
        elif c in ints:
            if isinstance(values, Int64Column):
                mask = values.mask if values.mask is not None else np.zeros(n, dtype=bool)
                col = pd.arrays.IntegerArray(values.data, mask)
            elif values is None:
                col = pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool))
            else:
                try:
                    col = pd.array(values, dtype="Int64")
                except (TypeError, ValueError):
                    bad = next((v for v in values if v is not None and not isinstance(v, (int, np.integer))), None)
                    raise StoreError(f"the incident store's {c} column holds {bad!r}, not a whole number (written by "
                                     "another tool?): correct that row, e.g. with sqlite3, and query again") from None
        else:
            if isinstance(values, StrColumn) and n:
                # what pandas infers for an object array of str, built directly (its inference pass is the
                # slowest part of typing a large result)
                strs = values.data if order is None else values.data[order]
                data[c] = str_array(strs)
                continue
            if isinstance(values, StrColumn):
                values = values.data
            if values is None:
                col = np.full(n, None, dtype=object)
            else:
                col = np.array(values, dtype=object)         # str/None values: a 1-D object array
                if col.shape != (n,):                        # pragma: no cover - not text after all
                    col = np.empty(n, dtype=object)
                    col[:] = values
        if order is not None:
            col = col[order]
        data[c] = col
    lon, lat = data["longitude"], data["latitude"]
    geometry = gpd.points_from_xy(lon, lat, crs="EPSG:4326")
    missing = ~(np.isfinite(lon) & np.isfinite(lat))
    if missing.any():
        geometry = geometry.copy()
        geometry[missing] = None
    data["geometry"] = geometry
    # copy=False: every array above is this frame's own (pandas would otherwise copy each extension array,
    # one more pass over every str object of the answer)
    return gpd.GeoDataFrame(data, geometry="geometry", crs="EPSG:4326", copy=False)


def rows_to_records(names: list[str], rows: list[tuple]) -> list[dict[str, Any]]:
    """Store rows -> plain dicts with the result columns (no pandas: the HTTP API's fast path)."""
    cols = result_columns()
    if ["sources" if n == "sources_json" else n for n in names] == cols:     # every column, in order: zip once
        return [dict(zip(cols, r)) for r in rows]
    out = []
    for r in rows:
        d = dict(zip(["sources" if n == "sources_json" else n for n in names], r))
        out.append({c: d.get(c) for c in cols})
    return out



__all__ = ["SEP", "PACKED_FORMAT", "Int64Column", "StrColumn", "real_as_ints", "ints_to_real", "parse_ints",
           "aggregate_sql", "decode_aggregate", "packed_layout", "packed_exprs", "decode_packed", "date_order",
           "in_date_order", "str_array", "named_columns", "rows_to_frame", "columns_to_frame", "rows_to_records"]
