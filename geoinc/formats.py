"""Incidents as text and files, one way each: an ACLED row, a GeoJSON Feature, and one incidents frame that
every exporter writes from (``geoinc query``, ``geoinc export``, the HTTP API).

* The frame is the store's result frame (geoinc.store.columns): the Incident fields as typed columns,
  ``sources`` as JSON text, Point geometry in EPSG:4326; :func:`incidents_to_frame` makes it from records.
* ACLED CSV: exactly ACLED's 31 columns in ACLED's order. What ACLED lacks (injuries, status, fatality
  range, date interval, place id, claimant) rides in the ``tags`` column as ``geoinc:key=value`` entries,
  so export -> import gives the same incidents; quotes of sources travel only in GeoJSON.
* GeoJSON: one Point feature per incident (null geometry when unlocated), id = event_id_cnty, every
  Incident field as a property (ACLED's columns first) and ``sources`` as a list of {article, quote, ...}.
* GeoPackage: ``incidents`` layer through geopandas/pyogrio, for QGIS and friends.
"""
from __future__ import annotations

import io
import json
import json.encoder
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .models import ACLED_COLUMNS, Incident
from .textio import FormulaSafeWriter

if TYPE_CHECKING:
    import geopandas as gpd

    from .regions import QuerySpec

FORMATS = ("table", "csv", "geojson", "acled-csv")          # geoinc query / GET /incidents (text)
EXPORT_FORMATS = ("acled-csv", "geojson", "gpkg")           # geoinc export (files)
TAG_PREFIX = "geoinc:"
PRECISION_OF = {1: "day", 2: "week", 3: "month"}

# columns shown by the table format, with their headers
_TABLE_COLUMNS = (
    ("event_id_cnty", "id"), ("event_date", "date"), ("event_type", "type"), ("location", "location"),
    ("country", "country"), ("latitude", "lat"), ("longitude", "lon"), ("fatalities", "fatal"), ("status", "status"),
)


# --- values ----------------------------------------------------------------------------------------

def _clean(value: Any) -> Any:
    """JSON-safe scalar: NaN/NaT/NA -> None, numpy scalars -> Python."""
    if value is None or type(value) in _PLAIN:      # what the store's row reader gives: nothing to do
        return value
    if type(value) is float:
        return value if math.isfinite(value) else None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return value


_PLAIN = frozenset({str, int, bool})


def _cell(value: Any) -> Any:
    """A CSV cell: None -> "", floats as repr (exact), everything else as is (the csv module writes str())."""
    if type(value) in _PLAIN:
        return value
    value = _clean(value)
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else value


def _sources(value: Any) -> list[Any]:
    if isinstance(value, str):
        try:
            parsed = json.loads(value or "[]")
        except json.JSONDecodeError:
            return []
        return parsed if isinstance(parsed, list) else []
    if isinstance(value, list):
        return value
    return []


_PLAIN_OR_NONE = frozenset({str, int, bool, type(None)})


def _plain(values: list[Any]) -> list[Any]:
    """One column's values as :func:`_clean` makes them, the call made only for values that need it."""
    return [v if type(v) in _PLAIN_OR_NONE else _clean(v) for v in values]


def records(frame: "gpd.GeoDataFrame") -> Iterator[dict[str, Any]]:
    """The rows of a result frame as plain mappings of :func:`_clean` values (geometry left out; it is rebuilt
    from lon/lat). Read column by column: a row-wise read through pandas costs ~10 µs a row more."""
    where = [k for k, c in enumerate(frame.columns) if c != "geometry"]
    columns = [frame.columns[k] for k in where]
    values = [_plain(frame.iloc[:, k].tolist()) for k in where]
    for row in zip(*values):
        yield dict(zip(columns, row))


def incidents_to_frame(incidents: Iterable[Incident]) -> "gpd.GeoDataFrame":
    """Incidents -> the result frame the store's queries return (the one frame every exporter writes)."""
    from .store.columns import columns_to_frame, named_columns
    from .store.records import INCIDENT_FIELDS, incident_row

    names = [*INCIDENT_FIELDS, "sources_json"]
    rows = [tuple(incident_row(inc)[n] for n in names) for inc in incidents]
    return columns_to_frame(named_columns(names, rows), len(rows))


# --- one ACLED row, one Feature ----------------------------------------------------------------------

def encode_tags(record: Mapping[str, Any] | Incident) -> str:
    """ACLED tags plus geoinc's extras as ``geoinc:key=value`` entries ("; "-separated, like ACLED's).

    Only what a plain ACLED reading would get wrong is written, so an imported ACLED file exports unchanged.
    """
    if isinstance(record, Incident):
        record = record.to_dict()
    r = dict(zip(record.keys(), _plain(list(record.values()))))
    tags = [t for t in (r.get("tags") or "").split("; ") if t and not t.startswith(TAG_PREFIX)]
    extras: dict[str, Any] = {}
    if r.get("injuries") is not None:
        extras["injuries"] = r["injuries"]
    if r.get("status") != "reported":
        extras["status"] = r.get("status")
    if r.get("fatalities_best") != r.get("fatalities"):
        extras["fatalities_best"] = "none" if r.get("fatalities_best") is None else r["fatalities_best"]
    for name in ("fatalities_low", "fatalities_high"):
        if r.get(name) is not None:
            extras[name] = r[name]
    day = r.get("event_date")
    plain_dates = (r.get("date_start") in (None, day) and r.get("date_end") in (None, day)
                   and r.get("date_precision") == PRECISION_OF.get(r.get("time_precision"), "day"))
    if not plain_dates:
        extras.update(date_start=r.get("date_start"), date_end=r.get("date_end"), date_precision=r.get("date_precision"))
    if r.get("country_code") and not r.get("country"):
        extras["country_code"] = r["country_code"]
    for name in ("place_id", "claimant", "location_confidence", "flags"):
        if r.get(name) not in (None, ""):
            extras[name] = r[name]
    for name, v in extras.items():
        text = json.dumps(v, ensure_ascii=False) if isinstance(v, str) and ";" in v else v
        tags.append(f"{TAG_PREFIX}{name}={text}")
    return "; ".join(tags)


def acled_row(record: Mapping[str, Any]) -> list[Any]:
    """One incident as ACLED's 31 cells in ACLED's order, geoinc's extras in ``tags``."""
    cells = {c: record.get(c) for c in ACLED_COLUMNS}
    cells["tags"] = encode_tags(record)
    return [_cell(cells[c]) for c in ACLED_COLUMNS]


def feature(record: Mapping[str, Any]) -> dict[str, Any]:
    """One incident (a mapping of its fields) -> a GeoJSON Feature; id = event_id_cnty, sources as a list."""
    props = {k: _clean(v) for k, v in record.items() if k != "geometry"}
    props["sources"] = _sources(record.get("sources"))
    lat, lon = props.get("latitude"), props.get("longitude")
    geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
    return {"type": "Feature", "id": props.get("event_id_cnty"), "geometry": geometry, "properties": props}


# --- one Feature as JSON text, fast (the API's GeoJSON pages) ---------------------------------------------

_JSON = json.JSONEncoder(ensure_ascii=False)


def _float_json(value: float) -> str:
    return float.__repr__(value) if math.isfinite(value) else "null"     # _clean: NaN/inf -> None


# how the json module writes each plain value (ensure_ascii=False), by exact type; any other type (numpy
# scalars, pandas' NA, ...) sends the record down the general path
_VALUE_JSON: dict[type, Any] = {str: json.encoder.encode_basestring, int: int.__repr__, float: _float_json,
                                type(None): lambda v: "null", bool: lambda v: "true" if v else "false"}


@dataclass(frozen=True, slots=True)
class _FeaturePlan:
    """How the features of records with one tuple of keys are written: a format string with one slot per
    value, and where the values that are more than a property sit."""

    fmt: str                    # '"key": %s, "key2": %s, ...' (a % in a key doubled)
    sources: int | None         # index of "sources" among the keys (None: appended at the end)
    ident: int | None           # index of event_id_cnty
    lat: int | None
    lon: int | None


_PLANS: dict[tuple[Any, ...], _FeaturePlan | None] = {}


def _plan(keys: tuple[Any, ...]) -> _FeaturePlan | None:
    """The plan of records with these keys; None when the general path must write them (a key that is not
    text, or a ``geometry`` key, which :func:`feature` leaves out)."""
    if keys in _PLANS:
        return _PLANS[keys]
    plan = None
    if all(type(k) is str for k in keys) and "geometry" not in keys:
        names = [*keys] if "sources" in keys else [*keys, "sources"]
        fmt = ", ".join(_JSON.encode(k).replace("%", "%%") + ": %s" for k in names)
        where = {k: i for i, k in enumerate(keys)}
        plan = _FeaturePlan(fmt, where.get("sources"), where.get("event_id_cnty"), where.get("latitude"),
                            where.get("longitude"))
    if len(_PLANS) < 64:            # records come in a few shapes; never grow without bound
        _PLANS[keys] = plan
    return plan


def feature_json(record: Mapping[str, Any]) -> str:
    """``json.dumps(feature(record), ensure_ascii=False)``, the same text written without building the
    feature: each value by its type, the keys from a cached format (about twice as fast on store records;
    a record holding any other kind of value takes the general path)."""
    plan = _plan(tuple(record))
    if plan is not None:
        values = list(record.values())
        try:
            texts = ["null" if v is None else _VALUE_JSON[type(v)](v) for v in values]
        except KeyError:
            plan = None
    if plan is None:
        return _JSON.encode(feature(record))
    sources = _JSON.encode(_sources(values[plan.sources] if plan.sources is not None else None))
    if plan.sources is None:
        texts.append(sources)
    else:
        texts[plan.sources] = sources
    ident = "null" if plan.ident is None else texts[plan.ident]
    lat = "null" if plan.lat is None else texts[plan.lat]
    lon = "null" if plan.lon is None else texts[plan.lon]
    geometry = "null" if lat == "null" or lon == "null" else f'{{"type": "Point", "coordinates": [{lon}, {lat}]}}'
    return (f'{{"type": "Feature", "id": {ident}, "geometry": {geometry}, "properties": {{'
            + plan.fmt % tuple(texts) + "}}")


# --- text (geoinc query, the API) ----------------------------------------------------------------------

def to_geojson(frame: "gpd.GeoDataFrame", **extra: Any) -> dict[str, Any]:
    """A FeatureCollection (RFC 7946: lon,lat order, WGS84); ``extra`` keys are added at the top level."""
    out: dict[str, Any] = {"type": "FeatureCollection", "features": [feature(r) for r in records(frame)]}
    out.update(extra)
    return out


def to_csv(frame: "gpd.GeoDataFrame", *, acled: bool = False) -> str:
    """CSV text: every column (sources as JSON) or, with ``acled``, ACLED's 31 columns (extras in tags)."""
    buf = io.StringIO()
    _write_csv(buf, frame, acled=acled)
    return buf.getvalue()


def _write_csv(fh: Any, frame: "gpd.GeoDataFrame", *, acled: bool) -> int:
    writer = FormulaSafeWriter(fh, lineterminator="\n")   # formula-like cells get a leading ' (docs/safety.md)
    columns = list(ACLED_COLUMNS) if acled else [c for c in frame.columns if c != "geometry"]
    writer.writerow(columns)
    n = 0
    for rec in records(frame):
        writer.writerow(acled_row(rec) if acled else [_cell(rec.get(c)) for c in columns])
        n += 1
    return n


def to_table(frame: "gpd.GeoDataFrame", *, max_width: int = 28) -> str:
    """A plain fixed-width table for the terminal, one incident per line, with a count line at the end."""
    headers = [h for _, h in _TABLE_COLUMNS]
    rows: list[list[str]] = []
    for rec in frame.reindex(columns=[c for c, _ in _TABLE_COLUMNS]).itertuples(index=False, name=None):
        cells = []
        for (col, _), v in zip(_TABLE_COLUMNS, rec):
            v = _clean(v)
            if v is None:
                text = ""
            elif col in ("latitude", "longitude"):
                text = f"{float(v):.4f}"
            else:
                text = " ".join(str(v).split())
            cells.append(text if len(text) <= max_width else text[: max_width - 1] + "…")
        rows.append(cells)
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"{len(rows)} incident{'s' if len(rows) != 1 else ''}")
    return "\n".join(lines) + "\n"


def render(frame: "gpd.GeoDataFrame", fmt: str) -> str:
    """The result in one of FORMATS as text."""
    if fmt == "table":
        return to_table(frame)
    if fmt == "csv":
        return to_csv(frame)
    if fmt == "acled-csv":
        return to_csv(frame, acled=True)
    if fmt == "geojson":            # json.dumps(to_geojson(frame), ensure_ascii=False), written feature by feature
        return '{"type": "FeatureCollection", "features": [' + ", ".join(map(feature_json, records(frame))) + "]}\n"
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def map_page(frame: "gpd.GeoDataFrame | Iterable[Mapping[str, Any]]", spec: "QuerySpec", *, offline: bool = False,
             cdn: bool = False) -> str:
    """The result (a frame, or the store's plain records: cheaper for the API) drawn by geoinc.maps.render as a
    complete, self-contained HTML page (assets linked from CDNs with ``cdn``; ``offline`` opens on the vector
    basemap); radius regions are drawn as zones."""
    from .maps.render import build_map, map_html
    from .shapes import RadiusRegion

    zones = [(r.label, r.lat, r.lon, r.radius_km) for r in spec.regions if isinstance(r, RadiusRegion)]
    title = "Incidents: " + ("; ".join(spec.labels) if spec.labels else "all")
    m = build_map(frame, zones=zones, title=title, offline=offline)
    return map_html(m, cdn=cdn)


# --- files (geoinc export) -----------------------------------------------------------------------------

def write_acled_csv(frame: "gpd.GeoDataFrame", path: str | Path) -> int:
    """Write an ACLED CSV (UTF-8, header of exactly the 31 columns); returns how many incidents."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        return _write_csv(fh, frame, acled=True)


def write_geojson(frame: "gpd.GeoDataFrame", path: str | Path) -> int:
    """Write a GeoJSON FeatureCollection (RFC 7946, lon/lat), one feature per line."""
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{"type": "FeatureCollection", "features": [\n')
        for rec in records(frame):
            fh.write((",\n" if n else "") + feature_json(rec))
            n += 1
        fh.write("\n]}\n")
    return n


def write_gpkg(frame: "gpd.GeoDataFrame", path: str | Path, *, layer: str = "incidents") -> int:
    """Write a GeoPackage layer (EPSG:4326) readable by QGIS/GDAL; sources as a JSON text column."""
    path = Path(path)
    if path.exists():
        path.unlink()
    frame.to_file(path, driver="GPKG", layer=layer, engine="pyogrio")
    return len(frame)


def write(frame: "gpd.GeoDataFrame", path: str | Path, fmt: str) -> int:
    """Write a result frame in one of EXPORT_FORMATS; returns how many incidents were written."""
    writers = {"acled-csv": write_acled_csv, "geojson": write_geojson, "gpkg": write_gpkg}
    if fmt not in writers:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    return writers[fmt](frame, path)


def export(incidents: Iterable[Incident], path: str | Path, fmt: str) -> int:
    """Write incidents in one of EXPORT_FORMATS (through the same frame as every other exporter)."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    return write(incidents_to_frame(incidents), path, fmt)


__all__ = ["FORMATS", "EXPORT_FORMATS", "TAG_PREFIX", "records", "incidents_to_frame", "encode_tags", "acled_row",
           "feature", "feature_json", "to_geojson", "to_csv", "to_table", "render", "map_page", "write_acled_csv", "write_geojson",
           "write_gpkg", "write", "export"]
