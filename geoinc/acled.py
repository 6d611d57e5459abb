"""Import incidents: ACLED exports (CSV), GeoJSON written by ``geoinc export``, and place-name spreadsheets.

The formats themselves (ACLED's 31 columns with geoinc's extras in ``tags``, GeoJSON features) are written
by geoinc.formats; this module reads them back. Imports validate every row: a bad date, latitude 123, a wrong
field count or an unknown event type is reported by line number with the reason and the row skipped; good rows are kept. A file that cannot be
read as a whole (not UTF-8, no header, required columns missing) raises InputError and stores nothing.
A CSV whose location column holds place names without coordinates is resolved through the gazetteer
(``geoinc.geoparser.resolve.resolve_name``; geocoder fallback when online), with confidence and ACLED geo-precision;
rows that cannot be placed are kept, flagged ``unresolved-location`` and reported.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .formats import EXPORT_FORMATS, PRECISION_OF, TAG_PREFIX, encode_tags, export
from .models import ACLED_COLUMNS, Incident, Place, Source
from .incidents.taxonomy import check_types, disorder_type
from .placenames import Resolver, country_codes, fill_country, iso3, resolve_location, split_qualifier
from .textio import MAX_IMPORT_BYTES, read_text_file, restore_formula

if TYPE_CHECKING:
    from .store import IncidentStore

IMPORT_FORMATS = ("auto", "acled-csv", "csv", "geojson")
EXTRA_PROPERTIES = ("injuries", "status", "fatalities_low", "fatalities_best", "fatalities_high", "date_start",
                    "date_end", "date_precision", "place_id", "country_code", "claimant", "location_confidence",
                    "flags")
_INT_COLUMNS = ("year", "time_precision", "geo_precision", "fatalities", "timestamp")

# spreadsheet headers understood without --columns (lower-case, spaces/underscores ignored)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "event_id_cnty": ("eventidcnty", "eventid", "id", "incidentid"),
    "event_date": ("eventdate", "date", "day", "when"),
    "event_type": ("eventtype", "type", "category"),
    "sub_event_type": ("subeventtype", "subtype", "subeventtype"),
    "actor1": ("actor1", "actor", "perpetrator", "attacker"),
    "actor2": ("actor2", "target", "victim"),
    "location": ("location", "place", "placename", "site", "town", "where"),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon", "lng", "long"),
    "country": ("country",),
    "admin1": ("admin1", "province", "governorate", "region1"),
    "fatalities": ("fatalities", "killed", "deaths", "dead"),
    "injuries": ("injuries", "injured", "wounded"),
    "notes": ("notes", "description", "summary", "details"),
    "source": ("source", "sources", "reportedby"),
    "status": ("status",),
}


@dataclass(slots=True)
class RowProblem:
    """One rejected (or flagged) row: where it is, and why."""

    line: int                      # physical line in the CSV (header = 1); feature number for GeoJSON
    reason: str
    kept: bool = False             # True for flagged-but-kept rows (unresolved places)

    def __str__(self) -> str:
        what = "kept, flagged" if self.kept else "skipped"
        return f"line {self.line}: {self.reason} ({what})"


@dataclass(slots=True)
class ImportResult:
    """What an import read: the good incidents, the problems by line, and which format it was."""

    format: str
    incidents: list[Incident] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rows: int = 0
    stored: int = 0                # set by the caller after storing
    already: int = 0

    @property
    def rejected(self) -> list[RowProblem]:
        return [p for p in self.problems if not p.kept]

    @property
    def flagged(self) -> list[RowProblem]:
        return [p for p in self.problems if p.kept]


# --- values (pure) ----------------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%B %d, %Y", "%Y/%m/%d", "%d/%m/%Y")


def parse_event_date(value: str) -> str:
    """YYYY-MM-DD from ACLED's date forms ("2024-01-28", "28 January 2024"); ValueError with the reason."""
    text = (value or "").strip()
    if not text:
        raise ValueError("event_date is empty")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"bad event_date {text!r} (expected YYYY-MM-DD or '28 January 2024')")


def _coord(value: str, name: str, limit: float) -> float | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        v = float(text)
    except ValueError:
        raise ValueError(f"{name} {text!r} is not a number") from None
    if not math.isfinite(v) or not -limit <= v <= limit:
        raise ValueError(f"{name} {text} is out of range (-{limit:g}..{limit:g})")
    return v


def _int(value: Any, name: str, *, lo: int | None = None, hi: int | None = None, default: int | None = 0) -> int | None:
    text = "" if value is None else str(value).strip()
    if not text:
        return default
    try:
        v = int(float(text)) if re.fullmatch(r"-?\d+(?:\.0+)?", text) else int(text)
    except ValueError:
        raise ValueError(f"{name} {text!r} is not a whole number") from None
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ValueError(f"{name} {v} is out of range ({lo}..{hi})")
    return v


def decode_tags(tags: str) -> tuple[str, dict[str, Any]]:
    """(ACLED tags without geoinc's entries, geoinc extras) from a tags cell."""
    plain: list[str] = []
    extras: dict[str, Any] = {}
    for t in _split_tags(tags or ""):
        if t.startswith(TAG_PREFIX) and "=" in t:
            key, _, raw = t[len(TAG_PREFIX):].partition("=")
            if raw.startswith('"'):
                try:
                    raw = json.loads(raw)
                except json.JSONDecodeError:
                    pass
            extras[key] = raw
        elif t:
            plain.append(t)
    return "; ".join(plain), extras


def _split_tags(tags: str) -> list[str]:
    """Split on "; " outside JSON-quoted values."""
    out, buf, quoted, i = [], [], False, 0
    while i < len(tags):
        ch = tags[i]
        if ch == '"' and (i == 0 or tags[i - 1] != "\\"):
            quoted = not quoted
        if not quoted and tags.startswith("; ", i):
            out.append("".join(buf))
            buf = []
            i += 2
            continue
        buf.append(ch)
        i += 1
    out.append("".join(buf))
    return [t for t in out if t]


def _apply_extras(inc: Incident, extras: dict[str, Any]) -> None:
    ints = {"injuries", "fatalities_low", "fatalities_best", "fatalities_high"}
    for key, raw in extras.items():
        if key not in EXTRA_PROPERTIES:
            continue
        if key in ints:
            setattr(inc, key, None if raw == "none" else _int(raw, key, lo=0, default=None))
        elif key == "location_confidence":
            setattr(inc, key, float(raw))
        else:
            setattr(inc, key, str(raw))


# --- import: rows -> incidents (pure, given a resolver) ---------------------------------------------

def _norm_header(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", (name or "").strip().lower())


def parse_column_map(spec: str | None) -> dict[str, str]:
    """``location=Place,event_date=Date`` -> {"location": "Place", "event_date": "Date"} (validated)."""
    out: dict[str, str] = {}
    if not spec:
        return out
    known = set(ACLED_COLUMNS) | set(EXTRA_PROPERTIES)
    for part in spec.split(","):
        if not part.strip():
            continue
        key, sep, col = part.partition("=")
        key, col = key.strip(), col.strip()
        if not sep or not key or not col:
            raise InputError(f"--columns: {part.strip()!r} is not FIELD=COLUMN (e.g. location=Place)")
        if key not in known:
            raise InputError(f"--columns: unknown field {key!r}; fields are the ACLED columns plus "
                             f"{', '.join(EXTRA_PROPERTIES)}")
        out[key] = col
    return out


def _map_columns(header: Sequence[str], explicit: dict[str, str]) -> dict[str, int]:
    """field -> column index, from --columns first, then exact ACLED names, then synonyms."""
    index = {h: i for i, h in enumerate(header)}
    normed = {_norm_header(h): i for i, h in enumerate(header)}
    out: dict[str, int] = {}
    for key, col in explicit.items():
        if col in index:
            out[key] = index[col]
        elif _norm_header(col) in normed:
            out[key] = normed[_norm_header(col)]
        else:
            raise InputError(f"--columns: no column {col!r} in the header (columns: {', '.join(header)})")
    for name in (*ACLED_COLUMNS, *EXTRA_PROPERTIES):
        if name in out:
            continue
        if name in index:
            out[name] = index[name]
            continue
        for syn in SYNONYMS.get(name, ()):
            if syn in normed and normed[syn] not in out.values():
                out[name] = normed[syn]
                break
    return out


def _row_id(values: dict[str, str], line: int) -> str:
    digest = hashlib.sha1(json.dumps(values, sort_keys=True).encode()).hexdigest()[:10].upper()
    return f"IMP-{digest}"


def acled_row_to_incident(values: dict[str, str]) -> Incident:
    """An Incident from one ACLED CSV row (all 31 columns present); ValueError with the reason when bad."""
    inc = Incident()
    for c in ACLED_COLUMNS:
        raw = values.get(c)
        if raw is None:
            raise ValueError(f"column {c} is missing")
    inc.event_id_cnty = values["event_id_cnty"].strip()
    if not inc.event_id_cnty:
        raise ValueError("event_id_cnty is empty")
    inc.event_date = parse_event_date(values["event_date"])
    inc.year = _int(values["year"], "year", lo=1900, hi=2100, default=int(inc.event_date[:4]))
    if inc.year != int(inc.event_date[:4]):
        raise ValueError(f"year {inc.year} does not match event_date {inc.event_date}")
    inc.time_precision = _int(values["time_precision"], "time_precision", lo=1, hi=3, default=1)
    inc.geo_precision = _int(values["geo_precision"], "geo_precision", lo=1, hi=3, default=3)
    inc.fatalities = _int(values["fatalities"], "fatalities", lo=0, default=0)
    inc.timestamp = _int(values["timestamp"], "timestamp", lo=0, default=0)
    inc.latitude = _coord(values["latitude"], "latitude", 90)
    inc.longitude = _coord(values["longitude"], "longitude", 180)
    if (inc.latitude is None) != (inc.longitude is None):
        raise ValueError("latitude and longitude must both be given or both be empty")
    for c in ACLED_COLUMNS:
        if c in ("event_id_cnty", "event_date", "latitude", "longitude", *_INT_COLUMNS):
            continue
        setattr(inc, c, values[c])
    problem = check_types(inc.event_type, inc.sub_event_type)
    if problem:
        raise ValueError(problem)
    inc.tags, extras = decode_tags(values["tags"])
    _apply_extras(inc, extras)
    if not extras.get("date_start"):
        inc.date_start = inc.event_date
        inc.date_end = inc.event_date
        inc.date_precision = PRECISION_OF.get(inc.time_precision, "day")
    if "fatalities_best" not in extras:   # ACLED's one count is the best estimate
        inc.fatalities_best = inc.fatalities
    if not inc.country_code and inc.country:
        from . import boundaries

        found = boundaries.find_country(inc.country)
        inc.country_code = found.iso2 if found is not None else None
    inc.sources = [Source(article=name.strip()) for name in (inc.source or "").split(";") if name.strip()]
    return inc


def spreadsheet_row_to_incident(values: dict[str, str], line: int, *, resolver: Resolver) -> tuple[Incident, str | None]:
    """An Incident from a place-name spreadsheet row; (incident, flag reason or None). ValueError when bad."""
    inc = Incident()
    inc.event_date = parse_event_date(values.get("event_date", ""))
    inc.year = int(inc.event_date[:4])
    inc.date_start = inc.date_end = inc.event_date
    location = (values.get("location") or "").strip()
    if not location and not values.get("latitude"):
        raise ValueError("location is empty")
    for c in ("event_type", "sub_event_type", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "notes",
              "source", "admin1", "admin2", "admin3", "tags", "inter1", "inter2", "claimant"):
        if values.get(c):
            setattr(inc, c, values[c].strip())
    if inc.sub_event_type and not inc.event_type:
        from .incidents.taxonomy import SUB_EVENT_TYPES

        inc.event_type = SUB_EVENT_TYPES.get(inc.sub_event_type, "")
    if inc.event_type:
        problem = check_types(inc.event_type, inc.sub_event_type)
        if problem:
            raise ValueError(problem)
        inc.disorder_type = disorder_type(inc.event_type, inc.sub_event_type)
    inc.fatalities = _int(values.get("fatalities"), "fatalities", lo=0, default=0)
    inc.fatalities_best = _int(values.get("fatalities"), "fatalities", lo=0, default=None)
    inc.injuries = _int(values.get("injuries"), "injuries", lo=0, default=None)
    status = (values.get("status") or "reported").strip().lower()
    from .models import STATUSES

    if status not in STATUSES:
        raise ValueError(f"status {status!r} is not one of {', '.join(STATUSES)}")
    inc.status = status
    inc.location = location
    lat = _coord(values.get("latitude", ""), "latitude", 90)
    lon = _coord(values.get("longitude", ""), "longitude", 180)
    flag = None
    countries = country_codes(values.get("country", ""))
    if lat is not None and lon is not None:
        inc.latitude, inc.longitude, inc.geo_precision, inc.location_confidence = lat, lon, 1, 1.0
    else:
        place, confidence, precision, how = resolver(location, countries)
        if place is None:
            flag = f"could not place {location!r} ({how})"
            inc.flags = "unresolved-location"
            inc.geo_precision = 3
        else:
            inc.latitude, inc.longitude = place.lat, place.lon
            inc.place_id, inc.geo_precision, inc.location_confidence = place.id, precision, confidence
            inc.location = split_qualifier(location)[0]     # "near Abu Kamal" -> Abu Kamal, precision 2
            inc.country_code = place.country_code
            if confidence < 0.6:
                inc.flags = "low-confidence-location"
                flag = f"placed {location!r} at {place.name} with low confidence {confidence:.2f}"
    fill_country(inc, values.get("country", ""), countries)
    inc.time_precision = 1
    inc.event_id_cnty = (values.get("event_id_cnty") or "").strip() or \
        f"{iso3(inc.country_code)}-{_row_id(values, line)[4:]}"
    if values.get("source"):
        inc.sources = [Source(article=s.strip()) for s in values["source"].split(";") if s.strip()]
    return inc, flag


# --- import: files ----------------------------------------------------------------------------------

def _read_text(path: Path) -> str:
    """The file's UTF-8 text (at most MAX_IMPORT_BYTES, checked while reading)."""
    return read_text_file(path, max_bytes=MAX_IMPORT_BYTES, allow_empty=True, hint="split the file",
                          expected="a CSV or GeoJSON file (export spreadsheets as CSV UTF-8)")


def detect_format(path: Path, text: str) -> str:
    if path.suffix.lower() in (".geojson", ".json") or text.lstrip().startswith("{"):
        return "geojson"
    first = next(csv.reader(io.StringIO(text)), [])
    if set(ACLED_COLUMNS) <= {h.strip() for h in first}:
        return "acled-csv"
    return "csv"


def read_import(path: str | Path, *, fmt: str = "auto", columns: str | dict[str, str] | None = None,
                online: bool = False, resolver: Resolver | None = None) -> ImportResult:
    """Read and validate a file for import (nothing is stored here). InputError when the file is unusable."""
    path = Path(path)
    if fmt not in IMPORT_FORMATS:
        raise InputError(f"unknown import format {fmt!r}; choose one of {', '.join(IMPORT_FORMATS)}")
    text = _read_text(path)
    if not text.strip():
        raise InputError(f"{path}: empty file")
    if fmt == "auto":
        fmt = detect_format(path, text)
    col_map = parse_column_map(columns) if isinstance(columns, str) or columns is None else dict(columns)
    if fmt == "geojson":
        return read_geojson(text, path)
    if resolver is None:
        def resolver(name: str, countries: Sequence[str]) -> tuple[Place | None, float, int, str]:
            return resolve_location(name, countries, online=online)
    return read_csv(text, path, fmt=fmt, columns=col_map, resolver=resolver)


def read_csv(text: str, path: Path, *, fmt: str, columns: dict[str, str], resolver: Resolver) -> ImportResult:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{path}: empty file") from None
    except csv.Error as err:
        raise InputError(f"{path}: line 1: unreadable CSV header ({err})") from None
    header = [h.strip() for h in header]
    result = ImportResult(format=fmt)
    if fmt == "acled-csv" and not columns:
        missing = [c for c in ACLED_COLUMNS if c not in header]
        if missing:
            raise InputError(f"{path}: line 1: not an ACLED export: missing columns {', '.join(missing)} "
                             "(use --format csv with --columns for other spreadsheets)")
        mapping = {c: header.index(c) for c in ACLED_COLUMNS}
        for extra in EXTRA_PROPERTIES:
            if extra in header:
                mapping[extra] = header.index(extra)
    else:
        fmt = result.format = "csv"
        mapping = _map_columns(header, columns)
        if "event_date" not in mapping:
            raise InputError(f"{path}: line 1: no date column (looked for event_date, date, day); "
                             "map one with --columns event_date=YOURCOLUMN")
        if "location" not in mapping and not {"latitude", "longitude"} <= mapping.keys():
            raise InputError(f"{path}: line 1: no location column (looked for location, place, site, town) and no "
                             "latitude/longitude; map one with --columns location=YOURCOLUMN")
    seen: set[str] = set()
    prev_end = 1
    while True:
        start_line = prev_end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            result.problems.append(RowProblem(start_line, f"unreadable CSV ({err})"))
            prev_end = reader.line_num
            continue
        prev_end = reader.line_num
        if not row or all(not c.strip() for c in row):
            continue
        result.rows += 1
        if len(row) != len(header):
            result.problems.append(RowProblem(start_line, f"{len(row)} fields, expected {len(header)} "
                                                          "(missing or extra columns)"))
            continue
        values = {key: restore_formula(row[i]) for key, i in mapping.items()}
        try:
            if fmt == "acled-csv":
                inc = acled_row_to_incident(values)
                for extra in EXTRA_PROPERTIES:
                    if extra in values and values[extra].strip():
                        _apply_extras(inc, {extra: values[extra]})
                flag = None
            else:
                inc, flag = spreadsheet_row_to_incident(values, start_line, resolver=resolver)
        except ValueError as err:
            result.problems.append(RowProblem(start_line, str(err)))
            continue
        if inc.event_id_cnty in seen:
            result.problems.append(RowProblem(start_line, f"duplicate event_id_cnty {inc.event_id_cnty} in this file"))
            continue
        seen.add(inc.event_id_cnty)
        if flag:
            result.problems.append(RowProblem(start_line, flag, kept=True))
        result.incidents.append(inc)
    if result.rows and not result.incidents:
        raise InputError(f"{path}: no usable rows; " + "; ".join(str(p) for p in result.problems[:5])
                         + (" ..." if len(result.problems) > 5 else ""))
    return result


def read_geojson(text: str, path: Path) -> ImportResult:
    """Incidents from a GeoJSON FeatureCollection (as written by export); bad features reported by number."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{path}: line {err.lineno}: not valid JSON ({err.msg})") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise InputError(f"{path}: not a GeoJSON FeatureCollection")
    result = ImportResult(format="geojson")
    lines = _feature_lines(text, len(data["features"]))
    seen: set[str] = set()
    known = {f.name for f in fields(Incident)}
    for k, feat in enumerate(data["features"], 1):
        where = lines[k - 1] if k - 1 < len(lines) else k
        result.rows += 1
        try:
            inc = _feature_to_incident(feat, known)
        except (ValueError, TypeError, KeyError) as err:
            result.problems.append(RowProblem(where, f"feature {k}: {err}"))
            continue
        if inc.event_id_cnty in seen:
            result.problems.append(RowProblem(where, f"feature {k}: duplicate event_id_cnty {inc.event_id_cnty}"))
            continue
        seen.add(inc.event_id_cnty)
        result.incidents.append(inc)
    if result.rows and not result.incidents:
        raise InputError(f"{path}: no usable features; " + "; ".join(str(p) for p in result.problems[:5]))
    return result


def _feature_lines(text: str, n: int) -> list[int]:
    """Line number where each feature starts, when features are one per line (our export); else numbering."""
    lines = [i + 1 for i, line in enumerate(text.splitlines()) if line.lstrip(", ").startswith('{"type": "Feature"')]
    return lines if len(lines) == n else list(range(1, n + 1))


def _feature_to_incident(feat: Any, known: set[str]) -> Incident:
    if not isinstance(feat, dict) or feat.get("type") != "Feature":
        raise ValueError("not a GeoJSON Feature")
    props = feat.get("properties") or {}
    if not isinstance(props, dict):
        raise ValueError("properties must be an object")
    missing = [c for c in ACLED_COLUMNS if c not in props and c not in ("latitude", "longitude")]
    if missing:
        raise ValueError(f"missing properties {', '.join(missing[:6])}" + (" ..." if len(missing) > 6 else ""))
    values = {c: "" if props.get(c) is None else str(props[c]) for c in ACLED_COLUMNS}
    geom = feat.get("geometry")
    if geom is not None:
        if geom.get("type") != "Point" or not isinstance(geom.get("coordinates"), list) or len(geom["coordinates"]) < 2:
            raise ValueError("geometry must be a Point [lon, lat] or null")
        lon, lat = geom["coordinates"][:2]
        values["longitude"], values["latitude"] = repr(float(lon)), repr(float(lat))
    inc = acled_row_to_incident(values)
    for name in EXTRA_PROPERTIES:
        if name in props:
            v = props[name]
            if name in ("injuries", "fatalities_low", "fatalities_best", "fatalities_high"):
                v = _int(v, name, lo=0, default=None)
            elif v is None:
                continue
            elif name == "status":
                from .models import STATUSES

                if v not in STATUSES:
                    raise ValueError(f"status {v!r} is not one of {', '.join(STATUSES)}")
            setattr(inc, name, v)
    src = props.get("sources") or []
    if not isinstance(src, list):
        raise ValueError("sources must be a list")
    source_fields = {f.name for f in fields(Source)}
    inc.sources = []
    for s in src:
        if not isinstance(s, dict) or "article" not in s:
            raise ValueError("each source needs at least an 'article'")
        inc.sources.append(Source(**{k: v for k, v in s.items() if k in source_fields}))
    if not inc.date_start:
        inc.date_start = inc.date_end = inc.event_date
    return inc


def store_import(result: ImportResult, store: "IncidentStore") -> ImportResult:
    """Store the good incidents of a validated import (ids already stored are left as they are)."""
    result.stored = store.add_incidents(result.incidents)
    result.already = len(result.incidents) - result.stored
    return result


__all__ = ["EXPORT_FORMATS", "IMPORT_FORMATS", "ImportResult", "RowProblem", "export", "read_import", "store_import",
           "parse_event_date", "encode_tags", "decode_tags", "parse_column_map", "resolve_location",
           "acled_row_to_incident"]
