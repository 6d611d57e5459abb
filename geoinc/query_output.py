"""Query results as text: GeoJSON FeatureCollection, CSV (all columns or ACLED's 31), and a terminal table.

Pure functions over the GeoDataFrame that :func:`geoinc.regions.query` returns; the CLI and the HTTP API
both use them so a result reads the same everywhere.
"""
from __future__ import annotations

import io
import json
import math
from typing import TYPE_CHECKING, Any

from .models import ACLED_COLUMNS
from .textio import FormulaSafeWriter

if TYPE_CHECKING:
    import geopandas as gpd

FORMATS = ("table", "csv", "geojson", "acled-csv")

# columns shown by the table format, with their headers
_TABLE_COLUMNS = (
    ("event_id_cnty", "id"), ("event_date", "date"), ("event_type", "type"), ("location", "location"),
    ("country", "country"), ("latitude", "lat"), ("longitude", "lon"), ("fatalities", "fatal"), ("status", "status"),
)


def _clean(value: Any) -> Any:
    """JSON-safe scalar: NaN/NaT -> None, numpy scalars -> Python."""
    if value is None:
        return None
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


def feature(row: dict[str, Any]) -> dict[str, Any]:
    """One incident row (mapping) -> a GeoJSON Feature; id = event_id_cnty, sources as a list."""
    props = {k: _clean(v) for k, v in row.items() if k != "geometry"}
    props["sources"] = _sources(row.get("sources"))
    lat, lon = props.get("latitude"), props.get("longitude")
    geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
    return {"type": "Feature", "id": props.get("event_id_cnty"), "geometry": geometry, "properties": props}


def to_geojson(frame: "gpd.GeoDataFrame", **extra: Any) -> dict[str, Any]:
    """A FeatureCollection (RFC 7946: lon,lat order, WGS84); ``extra`` keys are added at the top level."""
    records = frame.drop(columns="geometry", errors="ignore").to_dict("records")
    out: dict[str, Any] = {"type": "FeatureCollection", "features": [feature(r) for r in records]}
    out.update(extra)
    return out


def to_csv(frame: "gpd.GeoDataFrame", *, acled: bool = False) -> str:
    """CSV text: every column (sources as JSON) or, with ``acled``, ACLED's 31 columns in ACLED's order."""
    columns = list(ACLED_COLUMNS) if acled else [c for c in frame.columns if c != "geometry"]
    buf = io.StringIO()
    writer = FormulaSafeWriter(buf, lineterminator="\n")   # formula-like cells get a leading ' (docs/api.md)
    writer.writerow(columns)
    if len(frame):
        data = frame.reindex(columns=columns)
        for row in data.itertuples(index=False, name=None):
            writer.writerow(["" if _clean(v) is None else _clean(v) for v in row])
    return buf.getvalue()


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
    if fmt == "geojson":
        return json.dumps(to_geojson(frame), ensure_ascii=False) + "\n"
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def map_page(frame: "gpd.GeoDataFrame", spec: Any, *, offline: bool = False) -> str:
    """The result drawn by geoinc.maps.render as a complete HTML page; radius regions are drawn as zones."""
    from .maps.render import build_map, map_html
    from .regions import RadiusRegion

    zones = [(r.label, r.lat, r.lon, r.radius_km) for r in spec.regions if isinstance(r, RadiusRegion)]
    title = "Incidents: " + ("; ".join(spec.labels) if spec.labels else "all")
    m = build_map(frame, zones=zones, title=title, offline=offline)
    return map_html(m, offline=offline)


__all__ = ["FORMATS", "map_page", "feature", "to_geojson", "to_csv", "to_table", "render"]
