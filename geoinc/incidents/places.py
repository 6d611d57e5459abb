"""Where an event happened: the place mention linked to the event phrase, re-resolved by its qualifier.

Rules (each a small function with its example):

* a place qualified by its region ("Athens (Georgia)", "Vesele district, Kharkiv", "in Merida (Merida)") is
  resolved among the namesakes inside that region; when none is known, the qualifier itself locates the event
  (geo-precision 2);
* among the mentions of an event sentence, a qualified place or one governed by a locative preposition ("in",
  "at", "near") is preferred; a sub-location ("the Amambai neighborhood", "Miguel Aleman Boulevard") yields to
  the town it lies in; towns and sites beat regions and countries;
* geo_precision follows ACLED: 1 the place itself, 2 near it / part of it, 3 a region or country; an event
  placed only by a first-level region stands, as ACLED codes it, at the region's capital, for which the
  region's most populous place stands in (``record.region_seat``: "in Anbar province" -> Ramadi).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..geodesy import geodesic_km
from ..models import Mention, Place
from ..text import name_key
from .linking import NAME, WHEN, ascii_copy, finditer_at, linked_names, sentence_name_starts
from .gate import _odd_chars, factor_alternation, literal_gate, may_contain, occurrences
from .lexicons import AREA_KINDS, NEAR, NOT_A_LOCATION, REFERENCE

# "(Kyaukme township, Kyaukme district, Shan-North state)", ", Kharkiv region", " - Brooklyn"
# "Sao Goncalo - Neves (Rio de Janeiro)": ACLED's "City - district" before the qualifier
_QUALIFIER = re.compile(r"(?:\s+-\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}(?=\s*\())?"
                        r"(?:\s+(?:town|city|village|district|township|municipality|county|province|region|"
                        r"oblast|raion|governorate|department|commune|sub-?county|locality|area|neighbou?rhood|"
                        r"camp|rural municipality|woreda|kebele|LGA))?\s*(?:\((?P<par>[^()]{2,120})\)|,\s*"
                        r"(?P<comma>(?:[A-Z][\w'’.-]*\s?){1,4}?)(?=\s*(?:(?:region|oblast|province|state|governorate|"
                        r"district|township|county|municipality|department|prefecture|LGA|woreda|zone|sub-?county|"
                        r"locality|commune)\b|(?:city|town|village)?\s*(?:[,.;()]|$)|\s+(?:to|against|over|demanding|calling)\s+[a-z]))|"
                        r"\s+in\s+(?:the\s+)?(?P<in>[A-Z][\w'’-]*"
                        r"(?:\s+[A-Z][\w'’-]*){0,3})\s+(?:governorate|province|district|region|state|countryside|"
                        r"county|oblast)\b)")
_CHAINED = re.compile(r"(?:\s*(?:township|district|county|municipality|province|region|sub-?county|locality|"
                      r"commune|LGA|woreda|zone))?\s*\((?P<par>[^()]{2,120})\)")
_CITY_DASH = re.compile(r"[A-Z][\w'’.]*\s+-\s+$")
_ADMIN_WORDS = re.compile(r"\b(?:state|region|province|oblast|governorate|department|district|county|prefecture|"
                          r"municipality|township|city|division|territory|raion|rayon|sub-?county|woreda|zone|LGA|"
                          r"coded to|as reported)\b", re.I)
_SUBLOCATION = re.compile(r"\s+(?:neighbou?rhood|street|avenue|boulevard|road|highway|square|sector|ward|market|"
                          r"bridge|river|dam|park|quarter|colony|barangay|vereda|estate|compound|camp)\b", re.I)


# the separators of a qualifier's list of names ("(Kale township, Kale district; Sagaing - North)")
_LIST_SEP = re.compile(r"[,;]| - ")


def _found(rx: "re.Pattern[str]", words: "tuple[str, ...] | None", text: str) -> bool:
    """``rx.search(text)`` found something; the regex engine is skipped where ``text`` holds none of the lower-case
    ``words`` one of which every match contains (``rx``'s literal gate, geoinc.incidents.gate; None: no gate).
    For the phrases looked for right before a mention ("according to", "near", "80 km west of")."""
    if words is not None and not may_contain(text, words, text.lower()):
        return False
    return rx.search(text) is not None


# the lower-cased ASCII copy of the article being read (linking.ascii_copy, lower-cased: same offsets) and whether
# the article holds a character an ASCII gate cannot speak for (a letter re.IGNORECASE folds to an ASCII one,
# "\u0130"; a digit of another script); kept for the last text (by identity)
_LOWERED: "tuple[str, str, bool]" = ("", "", False)


def _lowered_copy(text: str) -> tuple[str, bool]:
    """(the lower-cased ASCII copy of ``text``, whether ``text`` holds a character an ASCII gate cannot speak for),
    remembered for the last text (the article being read)."""
    global _LOWERED
    memo = _LOWERED
    if memo[0] is text:
        return memo[1], memo[2]
    special = _odd_chars(text)
    low = ascii_copy(text).lower()
    _LOWERED = (text, low, special)
    return low, special


def _found_in(rx: "re.Pattern[str]", words: "tuple[str, ...] | None", full: str, start: int, end: int) -> bool:
    """``_found(rx, words, full[start:end])``: the gate's words looked for in the article's lower-cased ASCII copy
    (the same answer: an ASCII word is in the lower-cased text where it is in the copy, unless the text holds
    one of the characters :func:`_lowered_copy` flags, which are asked the general way)."""
    if words is None:
        return rx.search(full[start:end]) is not None
    low, special = _lowered_copy(full)
    if special:
        return _found(rx, words, full[start:end])
    for w in words:
        if low.find(w, start, end) >= 0 or not w.isascii():      # (w in low[start:end]; any other word: ask)
            return rx.search(full[start:end]) is not None
    return False


def is_area(m: Mention) -> bool:
    """A region, country, sea or continent (geo-precision 3), not a town or site."""
    return (m.kind or "") in AREA_KINDS or (m.precision or 3) >= 3


def _qualifier_at(text: str, pos: int) -> "re.Match[str] | None":
    """``_QUALIFIER.match(text, pos)``, answered at once where the character at ``pos`` opens none: every match
    opens with white space, "(" or "," ("Iran’s", "Aleppo." are qualified by nothing)."""
    if pos >= len(text):
        return None
    c = text[pos]
    if c != "(" and c != "," and not c.isspace():      # (re's \s is str.isspace)
        return None
    return _QUALIFIER.match(text, pos)


def _qualifier_names(text: str, m: Mention) -> list[str]:
    """The region names qualifying a place: "Athens (Georgia)" -> ["Georgia"]; innermost last."""
    return _names_of_qualifier(text, _qualifier_at(text, m.end))


def _names_of_qualifier(text: str, q: "re.Match[str] | None") -> list[str]:
    """The names of a qualifier matched after a place (:func:`_qualifier_names`); none without a match."""
    if not q:
        return []
    raw = q.group("par") or q.group("comma") or q.group("in") or ""
    if q.group("comma"):
        # "Nat Chaung village, Kale township (Kale district, Sagaing region)": the chain goes on in parentheses
        more = _CHAINED.match(text, q.end())
        if more:
            raw += ", " + more.group("par")
    parts = [_ADMIN_WORDS.sub(" ", p).strip(" -").removesuffix(".") for p in _LIST_SEP.split(raw)]
    return [" ".join(p.split()) for p in parts if p and p[0].isupper() and len(p) >= 3]


# "in Al Hasakeh countryside", "Salah Al Din province", "the province of Idlib": a region named with its unit word
_UNIT_WORDS = ("countryside", "province", "governorate", "region", "state", "oblast", "county", "prefecture",
               "department", "division", "territory")
_UNIT = factor_alternation("|".join(_UNIT_WORDS), ignorecase=False)
_PARENTHESES = re.compile(r"\(([^()]{2,160})\)")
# a region's name may hold Arabic articles and joining words ("Deir ez Zor", "Salah ad Din", "Port of Spain")
_REGION_NAME = (rf"{NAME}(?:\s+"
                + factor_alternation("ez|es|ed|en|el|al|ad|as|ar|az|of|de|del|la|and", ignorecase=False)
                + rf"[\s-]+{NAME})*")
_NAME_RUN = re.compile(_REGION_NAME)
_OF_UNIT = factor_alternation("|".join(_UNIT_WORDS) + "|district|area|outskirts|suburbs?", ignorecase=False)
_REGION_PHRASE = re.compile(rf"(?P<a>{_REGION_NAME})\s+{_UNIT}\b|"
                            rf"\b{_OF_UNIT}\s+of\s+(?:the\s+)?(?P<b>{_REGION_NAME})")
# the words opening "the province of Dar'a" besides the unit words (region_phrases)
_OF_WORDS = ("district", "area", "outskirts", "suburb")



def region_phrases(text: str, start: int, end: int) -> list[str]:
    """The region names with a unit word in ``text[start:end]`` ("in Idleb countryside", "the province of
    Dar'a"): :data:`_REGION_PHRASE` tried only where one can begin: at a unit word ("province of"), and at the
    names (:func:`~geoinc.incidents.linking.name_starts`) when a unit word follows a space ("Idleb countryside")."""
    plain = ascii_copy(text)            # (the words are ASCII: found where they are in the text, same offsets)
    units = occurrences(plain, start, end, _UNIT_WORDS)
    starts = units + occurrences(plain, start, end, _OF_WORDS)
    if not starts:
        return []
    after_space = [u for u in units if u > start and text[u - 1].isspace()]
    if after_space:
        # a name before a unit word runs back from it over name characters only: no candidate before the last
        # other character ("(Idleb countryside": not the names before the parenthesis)
        stops = [g.start() for g in _NOT_NAME_CHAR.finditer(text, start, end)]
        names = sentence_name_starts(text, start, end)
        for u in after_space:
            k = bisect_left(stops, u)
            after = stops[k - 1] if k > 0 else start - 1
            starts += names[bisect_right(names, after):bisect_left(names, u)]
    return [g.group("a") or g.group("b") or ""
            for g in finditer_at(_REGION_PHRASE, text, start, end, sorted(set(starts)))]


# a character no name of a region phrase holds (a name is word characters, spaces, hyphens and apostrophes)
_NOT_NAME_CHAR = re.compile(r"[^\w\s‘'’-]")


def _region_parts(raw: str) -> list[str]:
    """The names of a qualifier list, outermost (last) first: "Pandoro, Mahagi district, Ituri" -> Ituri, Mahagi,
    Pandoro."""
    parts = [" ".join(_ADMIN_WORDS.sub(" ", p).split()).strip(" -").removesuffix(".")
             for p in _LIST_SEP.split(raw)]
    return [p for p in reversed(parts) if p and p[0].isupper() and len(p) >= 3]


def region_names(text: str, m: Mention | None, spans: Sequence[tuple[int, int]]) -> list[str]:
    """The names a text gives the regions around its event, best first: the qualifier of the event's place,
    outermost first ("Afgooye town (Afgooye, Lower Shabelle)" -> Lower Shabelle, Afgooye); names with a unit word
    ("in Idleb countryside", "the province of Dar'a"); the parts of the other parenthesised lists, in the event's
    sentences (``spans``); :func:`other_names` gives the rest of the sentences' names. Which of them names the
    place's own first-level unit is for the gazetteer to tell (geoinc.gazetteer.admin_names.text_admin1)."""
    out: list[str] = list(reversed(_qualifier_names(text, m))) if m is not None and m.end else []
    phrases: list[str] = []
    parens: list[str] = []
    for start, end in spans:
        phrases.extend(region_phrases(text, start, end))
        for g in _PARENTHESES.finditer(text, start, end):
            parens.extend(_region_parts(g.group(1)))
    return [n for n in dict.fromkeys(out + phrases + parens) if n]


def other_names(text: str, spans: Sequence[tuple[int, int]], given: Sequence[str] = ()) -> list[str]:
    """Every capitalised name of the event's sentences not among ``given`` (:func:`region_names`): a region may
    be named in passing ("Makhmur, Erbil")."""
    seen = set(given)
    return [n for n in dict.fromkeys(g.group(0) for start, end in spans
                                     for g in finditer_at(_NAME_RUN, text, start, end,
                                                         sentence_name_starts(text, start, end)))
            if n and n not in seen]


def region_point(text: str, m: Mention, spans: Sequence[tuple[int, int]]) -> Mention | None:
    """An event place the gazetteer does not know, placed at the smallest unit the text names around it that the
    gazetteer does know: "Suq Al-Shoyokh district in Thi Qar province" -> Dhi Qar; "Ndroma village (Irumu,
    Ituri)" -> a district Irumu if known. The unit must be of one country (a name shared by regions of several
    countries, "Northern", says nothing); geo-precision 2 at a second-level unit, 3 at a first-level one. The
    place keeps its own name. None when the text names no such unit."""
    try:
        from ..gazetteer.admin_names import regions_named
        from ..gazetteer.index import default_gazetteer

        gaz = default_gazetteer()
    except Exception:  # noqa: BLE001 - no gazetteer: the place stays unlocated
        return None
    names = region_names(text, m, spans)
    inner_first = list(reversed(_qualifier_names(text, m))) if m.end else []
    for n in [*reversed(inner_first), *[x for x in names if x not in inner_first]]:
        own = name_key(n) == name_key(m.text)       # "in Nuristan province": the place is the region itself
        units = [p for p in gaz.lookup(n) if p.kind in ("admin1", "admin2") and p.country_code] \
            if gaz.candidates(n) and not own else []        # the exact name: "Comoe" is not Italy's Como
        if not units:
            units = [u for r in regions_named(n) for u in [_admin1_place(gaz, r.cc, r.gn_code, r.gn_name)]
                     if u is not None]
        if not units or len({p.country_code for p in units}) > 1:
            continue
        p = max(units, key=lambda u: (u.kind == "admin2", u.population))
        return replace(m, name=m.text, lat=p.lat, lon=p.lon, country_code=p.country_code, kind=p.kind,
                       place_id=p.id, precision=2 if p.kind == "admin2" else 3, confidence=0.3,
                       reason=f"not in the gazetteer: placed in the {p.kind} {p.name} the text names")
    return None


_REGION_POINTS: dict[tuple[str, str], Place | None] = {}


def _admin1_place(gaz: Any, cc: str, code: str, name: str) -> Place | None:
    """The gazetteer's entry of a first-level region, else a point for it: the median position of the places
    the gazetteer gives that region's name (the index leaves out a few regions: Iraq's Diyala); once per region."""
    found = gaz.get(f"admin1:{cc}.{code}")
    if found is not None:
        return found
    if (cc, code) not in _REGION_POINTS:
        _REGION_POINTS[(cc, code)] = _median_point(gaz, cc, code, name)
    return _REGION_POINTS[(cc, code)]


def _median_point(gaz: Any, cc: str, code: str, name: str) -> Place | None:
    from ..gazetteer.admin_names import tables

    # the places the index names the region for, else those the admin-name tables code to it (the index leaves
    # a few regions unnamed: Iraq's Diyala, Maysan)
    coded = [f"geonames:{gid}" for gid, c in tables().place_code.items() if c == code]
    rows = gaz.positions(cc, admin1=name, ids=coded)
    if not rows:
        return None
    lats = sorted(float(r[0]) for r in rows)
    lons = sorted(float(r[1]) for r in rows)
    return Place(id=f"admin1:{cc}.{code}", name=name, lat=lats[len(lats) // 2], lon=lons[len(lons) // 2],
                 kind="admin1", country_code=cc, admin1=name, source="admin1",
                 provenance="median of the gazetteer's places of the region")


# a place near a town or district a qualifier names lies inside it ("Kalo (Djugu, Ituri)": a village by Djugu)
_NEAR_READING_KM = 60.0
# a namesake this close to the point of the region a sentence names lies in that region (linked_namesake)
_INSIDE_REGION_KM = 150.0
_ADMIN_KINDS = ("admin1", "admin2", "country")


def _readings(gaz: Any, names: list[str], current: Place | None, own: str = "", unit_named: bool = False
              ) -> tuple[list[Place], list[Place], bool]:
    """The regions the qualifier names can mean (admin units, countries), kept to the countries most of the names
    agree on ("(Colombo, Western)": Sri Lanka, not every country with a Western province; the geoparser's own
    reading breaks a tie, and is a reading of a name that repeats the place's own), and the towns of the names that name no region ("(Jaffna, Jaffna, Northern)"): a
    town only confirms the geoparser's reading, as a town name is too weak to move it ("Abeche (Ouara, ...)"); and
    whether more than one country got the most votes ("Sitrah (Capital)": a Capital region in many countries).
    ``unit_named``: the qualifier calls its name a region ("in Ar Raqqa countryside"), which is then read as the
    first-level region it stands for by a transliteration key even where the gazetteer knows only the city."""
    from ..gazetteer.admin_names import regions_named

    regions_per_name: list[list[Place]] = []
    towns: list[Place] = []
    weights: list[dict[str, float]] = []
    for n in names:
        known = [p for p in gaz.lookup(n) if p.kind not in ("continent", "region", "water") and p.country_code]
        exact = bool(gaz.candidates(n))
        # a first-level region the name stands for by a transliteration key ("Ar Raqqa" = "Ar-Raqqah") is as good
        keyed = {r.cc for r in regions_named(n)} if not exact else set()
        part = _PART_OF.match(n)
        if part and not any(p.kind in _ADMIN_KINDS for p in known):
            # "Shan-North", "Bago-East": a part of a region, inside the region ("Shan", "Bago")
            known = [p for p in gaz.lookup(part.group("whole")) if p.kind in ("admin1", "admin2") and p.country_code]
        regions = [p for p in known if p.kind in _ADMIN_KINDS]
        if not regions and not part and unit_named:
            # "in Ar Raqqa countryside": a region the name stands for where the gazetteer knows the city only
            regions = [u for r in regions_named(n) for u in [_admin1_place(gaz, r.cc, r.gn_code, r.gn_name)]
                       if u is not None]
            keyed |= {p.country_code or "" for p in regions}
            known = known + regions
        if current is not None and name_key(n) == name_key(own):
            regions.append(current)     # "Asuncion (Asuncion)": the city is its own district
        regions_per_name.append(regions)
        if not regions:
            towns.extend(known)
        # a region of the name counts 1 (0.5 when only a transliteration variant: "Comoe" is not Italy's Como),
        # a town of that name 0.5 for its country ("(Colombo, Western)": Colombo the city says Sri Lanka)
        weight: dict[str, float] = {}
        for p in known:
            w = (1.0 if exact or (p.kind == "admin1" and p.country_code in keyed) else 0.5) if p in regions \
                else 0.5 if exact and p.kind != "country" else 0.0
            weight[p.country_code or ""] = max(weight.get(p.country_code or "", 0.0), w)
        weights.append(weight)
    votes: dict[str, float] = {}
    for places, weight in zip(regions_per_name, weights):
        for cc in {p.country_code for p in places if p.country_code} | {c for c, w in weight.items() if w > 0}:
            votes[cc] = votes.get(cc, 0.0) + weight.get(cc or "", 1.0)
    votes = {cc: v for cc, v in votes.items() if any(p.country_code == cc for ps in regions_per_name for p in ps)}
    if current is not None and current.country_code in votes:
        votes[current.country_code] += 0.5
    if not votes or max(votes.values()) < 1.0:
        return [], towns, False     # only a transliteration variant or a town: too weak to read a region by
    top = max(votes.values())
    tied = sum(1 for v in votes.values() if v == top) > 1
    return ([p for places in regions_per_name for p in places if votes.get(p.country_code or "", 0.0) == top], towns,
            tied)


# "Shan-North", "Bago-East", "Kayin South": a coder's part of a first-level region, named after the whole
_PART_OF = re.compile(r"(?P<whole>.+?)[\s-]+(?:North|South|East|West|Central)$")


def _same_admin1(place: Place, r: Place) -> bool:
    return bool(place.admin1) and bool(r.admin1) and name_key(place.admin1 or "") == name_key(r.admin1 or "")


def _fits(place: Place, readings: list[Place], loose: bool = True) -> bool:
    """``place`` lies inside one of the qualifier readings: its country, its admin1 by name, or (``loose``: to
    keep the geoparser's reading, not to pick another namesake) near the region's point or the town it names."""
    for r in readings:
        if place.country_code != r.country_code:
            continue
        if r.kind == "country" or place.id == r.id or (r.kind in ("admin1", "admin2") and _same_admin1(place, r)):
            return True
        if loose and r.kind not in ("admin1", "admin2") and \
                geodesic_km(place.lat, place.lon, r.lat, r.lon) <= _NEAR_READING_KM:
            return True
    return False


def _region_place(gaz: Any, names: list[str], readings: list[Place]) -> Place | None:
    """The most specific known place a qualifier names inside the region the qualifier means ("(Kale township,
    Kale district, Sagaing region)" -> Kale; "(Karachi City, Sindh)" -> Karachi), else its first region. A name
    lies inside the units named after it where those are known ("(Az Zahir, Al Bayda)": the Az Zahir district
    of Al Bayda, not its namesake in Al Jawf)."""
    for i, n in enumerate(names):
        outer = [r for r in readings if any(_names_place(m, r) for m in names[i + 1:])]
        for p in gaz.lookup(n):
            if p.kind in ("country", "continent", "region", "water") or not _fits(p, readings, loose=False):
                continue
            around = [r for r in outer if r.country_code == p.country_code]
            if not around or _fits(p, around, loose=False):
                return p
    return next((p for p in readings if p.kind != "country"), None)


def _names_place(name: str, place: Place) -> bool:
    """A qualifier name is (or is the part of, "Shan-North") the name of a reading."""
    part = _PART_OF.match(name)
    keys = {name_key(name), name_key(part.group("whole"))} if part else {name_key(name)}
    return name_key(place.name) in keys or any(name_key(a) in keys for a in (place.aliases or ()))


def requalify(text: str, mentions: Sequence[Mention]) -> tuple[list[Mention], set[int]]:
    """Mentions re-resolved by their qualifiers, and the start offsets of the qualifier mentions themselves.

    "Athens (Georgia)" -> Athens, Georgia, US (not Greece); "Toledo, Ohio"; "Trincomalee (Trincomalee,
    Eastern)" stays in Sri Lanka (a town qualifier confirms, Ghana's Eastern region does not move it); a
    qualified place the gazetteer does not hold takes the point of its qualifier with geo-precision 2."""
    try:
        from ..gazetteer.index import default_gazetteer

        gaz = default_gazetteer()
    except Exception:  # noqa: BLE001 - no gazetteer: keep the geoparser's reading
        return list(mentions), set()
    out = list(mentions)
    qualifiers: set[int] = set()
    for i, m in enumerate(out):
        if m.start in qualifiers or (m.kind or "") in ("country", "continent", "region"):
            continue
        q = _qualifier_at(text, m.end)
        if q is None:
            continue
        names = _names_of_qualifier(text, q)
        if not names:
            continue
        inner = [o for o in out if m.end <= o.start < q.end()]
        qualifiers.update(o.start for o in inner)
        again = next((o for o in inner if o.resolved and name_key(o.text) == name_key(m.text)), None)
        if not m.resolved and again is not None:
            # "Bafut (Bafut, Mezam, Nord-Ouest)": the district named after the town the geoparser did resolve
            out[i] = replace(again, start=m.start, end=m.end, text=m.text, reason="named again in its qualifier")
            continue
        current = gaz.get(m.place_id) if m.place_id else None
        if m.resolved and current is None:
            continue                    # a place from outside the gazetteer (a geocoder): nothing to check it by
        readings, towns, tied = _readings(gaz, names, current, m.text, unit_named=bool(q.group("in")))
        if not readings and towns and current is not None and not _fits(current, towns):
            # "Sainte-Anne, Le Marin": only towns qualify it; a namesake of the place by one of them is the place
            near = [c.place for c in gaz.candidates(m.text) if c.place.kind not in ("country", "continent", "region")
                    and _fits(c.place, towns)]
            if near:
                p = max(near, key=lambda p: p.population)
                out[i] = replace(m, name=p.name, lat=p.lat, lon=p.lon, country_code=p.country_code, kind=p.kind,
                                 place_id=p.id, precision=1 if p.kind not in ("admin1", "admin2") else 2,
                                 confidence=max(m.confidence, 0.7), reason="the namesake by the town qualifying it")
            continue
        if not readings or (current is not None and _fits(current, readings + towns)):
            continue
        fitting = [c.place for c in (gaz.candidates(m.text) or gaz.loose_candidates(m.text))
                   if c.place.kind not in ("country", "continent", "region") and _fits(c.place, readings, loose=False)]
        if fitting:
            p = max(fitting, key=lambda p: (p.kind != "admin1", any(_same_admin1(p, r) for r in readings),
                                            p.population))
            out[i] = replace(m, name=p.name, lat=p.lat, lon=p.lon, country_code=p.country_code, kind=p.kind,
                             place_id=p.id, precision=1 if p.kind not in ("admin1", "admin2") else 2,
                             confidence=max(m.confidence, 0.8), reason="qualified by its region")
            continue
        if tied and m.resolved:
            continue                    # too ambiguous to move the geoparser's reading to a region's point
        region = _region_place(gaz, names, readings)
        if region is not None:
            out[i] = replace(m, name=m.text, lat=region.lat, lon=region.lon, country_code=region.country_code,
                             kind="admin2", place_id=region.id, precision=2, confidence=0.5,
                             reason=f"not in the gazetteer: placed in {region.name}")
    return out, qualifiers


# the mentions of the article being read and their start offsets, and whether these ascend (mentions_between): the
# sentences of one article ask the same list in turn (kept for one list, by identity; read only)
_STARTS: "tuple[object, list[int], bool]" = (None, [], False)


def mentions_between(mentions: Sequence[Mention], start: int, end: int) -> list[Mention]:
    """The mentions that begin in ``[start, end)`` (a sentence), in their order: ``[m for m in mentions if start
    <= m.start < end]``, found by bisection of the mentions' starts where they ascend (geoparse gives them in text
    order), read once per list of mentions (the article's) instead of once per sentence."""
    global _STARTS
    memo = _STARTS
    if memo[0] is not mentions or len(memo[1]) != len(mentions):
        starts = [m.start for m in mentions]
        memo = (mentions, starts, all(starts[k] <= starts[k + 1] for k in range(len(starts) - 1)))
        _STARTS = memo
    if not memo[2]:
        return [m for m in mentions if start <= m.start < end]
    offsets = memo[1]
    i = bisect_left(offsets, start)
    return [mentions[k] for k in range(i, bisect_left(offsets, end, i))]


def sentence_mentions(mentions: Sequence[Mention], start: int, end: int, actor_spans: list[tuple[int, int]],
                      full: str) -> list[Mention]:
    """Resolved, literal place mentions of a sentence that can locate an event (not references, not actors)."""
    out = []
    for m in mentions_between(mentions, start, end):
        if not m.resolved or m.metonym:
            continue
        if (m.kind or "") in NOT_A_LOCATION or (is_area(m) and not m.country_code and m.kind != "water"):
            continue
        rel = m.start - start
        if any(a <= rel < b for a, b in actor_spans):
            continue
        if _reference_before(full, max(start, m.start - 40), m.start):
            continue
        out.append(m)
    return out


_RANK_PARTS = 9


def _rank_part(i: int, m: Mention, trigger_abs: int, full: str, qualifiers: "set[int] | frozenset[int]") -> int:
    """Part ``i`` of the sort key of a candidate location (smaller is better; :func:`_rank`), in order: water;
    a point of reference only; how large a place (area_level); a qualifier of another place; not framing the
    sentence; a sub-location ("the Amambai neighborhood"; "Ciudad de Mexico - Centro": ACLED's "City -
    district", the city is the place); not qualified; before the event phrase; distance from it."""
    if i == 0:
        return int(m.kind == "water")
    if i == 1:
        return int(reference_only(m, full))
    if i == 2:
        return area_level(m, full)
    if i == 3:
        return int(m.start in qualifiers)
    if i == 4:
        return int(not framing(m, full))
    if i == 5:
        return int(bool(_SUBLOCATION.match(full, m.end))
                   or _found_in(_CITY_DASH, ("-",), full, max(0, m.start - 40), m.start))
    if i == 6:
        return int(not _qualifier_names(full, m))       # (no qualifier match: no names)
    if i == 7:
        return int(m.start < trigger_abs)
    return abs(m.start - trigger_abs)


def _rank(m: Mention, trigger_abs: int, full: str, qualifiers: "set[int] | frozenset[int]") -> tuple[int, ...]:
    """Sort key of a candidate location (smaller is better): its parts (:func:`_rank_part`) in order."""
    return tuple(_rank_part(i, m, trigger_abs, full, qualifiers) for i in range(_RANK_PARTS))


def _best_ranked(cands: Sequence[Mention], trigger_abs: int, full: str,
                 qualifiers: "set[int] | frozenset[int]") -> Mention:
    """``min(cands, key=_rank)``, with each part of the key worked out only for the candidates still tied on the
    parts before it (a lone candidate needs none): the first of the best wins, as with ``min``."""
    pool = list(cands)
    for i in range(_RANK_PARTS):
        if len(pool) == 1:
            break
        values = [_rank_part(i, m, trigger_abs, full, qualifiers) for m in pool]
        low = min(values)
        pool = [m for m, v in zip(pool, values) if v == low]
    return pool[0]


# "80 km west of Baghdad", "30 miles from Godhra": a point to measure from; "Karachi police": an actor's attribute
_ANCHOR_BEFORE = re.compile(r"\d[\d,.]*\s*(?:km|kilomet(?:er|re)s?|mi(?:les?)?)\b\.?\s*(?:\([^()]{0,30}\)\s*)?"
                            r"(?:(?:to the\s+)?(?:north|south|east|west)[a-z-]*\s+)?(?:of|from)\s+(?:the\s+)?"
                            r"(?:[a-z]+\s+){0,2}$", re.I)
_ACTOR_AFTER = re.compile(r"\s+(?:police|army|troops|forces|authorities|officials|government|militia|court|"
                          r"prosecutors?|governor|council)\b")
# the literal gates (geoinc.incidents.gate) of the phrases searched right before a mention
_REFERENCE_WORDS = literal_gate(REFERENCE.pattern)
# the words every REFERENCE match opens with ("border with", "opposite", "according to", "from")
_REFERENCE_HEADS = ("according to", "border", "from", "opposite")


def _reference_before(full: str, start: int, end: int) -> bool:
    """``_found(REFERENCE, _REFERENCE_WORDS, full[start:end])`` (the text right before a mention): the pattern is
    tried only where one of the words it opens with (:data:`_REFERENCE_HEADS`) occurs, found in the article's
    lower-cased ASCII copy (an article :func:`_lowered_copy` flags is asked the general way)."""
    low, special = _lowered_copy(full)
    if special:
        return _found(REFERENCE, _REFERENCE_WORDS, full[start:end])
    seg = ""
    for w in _REFERENCE_HEADS:
        i = low.find(w, start, end)
        while i >= 0:
            if not seg:
                seg = full[start:end]
            if REFERENCE.match(seg, i - start) is not None:
                return True
            i = low.find(w, i + 1, end)
    return False
_DIGIT = re.compile(r"\d")          # (every _ANCHOR_BEFORE match opens with one: a cheap search first)


def reference_only(m: Mention, full: str) -> bool:
    """The place is only a point of reference ("about 750 km southwest of Kabul") or the attribute of an actor
    ("turned him over to Karachi police"), not where the event happened."""
    before = full[max(0, m.start - 70):m.start]
    return (_DIGIT.search(before) is not None and _ANCHOR_BEFORE.search(before) is not None) or \
        _ACTOR_AFTER.match(full, m.end) is not None


# the opening of a sentence up to a place that frames all of it: "In Kabul, ...", "On 4 April 2022, in X (Y),
# ...", "Looting: Around 2 May 2022 (as reported), near X, ..."
_FRAME = re.compile(r"^\W*(?:[A-Z][\w /-]{2,40}:\s+)?(?:(?:on|around|between|in|since)\b[^,.;]{0,40}?\d{4}"
                    r"(?:\s*\([^()]{0,30}\))?,\s+)?(?:in|near|around|at)\s+(?:the\s+)?(?:[a-z]+\s+){0,3}?(?:of\s+)?$",
                    re.I)


def framing(m: Mention, full: str) -> bool:
    """The place opens its sentence as the frame of everything the sentence says ("On 4 April 2022, in Morelia,
    Michoacan, collectives protested at the Palace of Justice": Morelia, not a place named later on)."""
    opening = max(full.rfind(".", 0, m.start), full.rfind("\n", 0, m.start)) + 1
    return m.start - opening <= 90 and bool(_FRAME.match(full[opening:m.start]))


# "the eastern countryside of Aleppo", "Homs countryside", "Idlib province": a city's name used for its region
_AS_REGION_BEFORE = re.compile(r"\bcountryside of (?:the\s+)?$|\b(?:province|governorate) of (?:the\s+)?$", re.I)
_AS_REGION_AFTER = re.compile(r"\s+(?:countryside|governorate|province)\b", re.I)
_AREA_LEVEL = {"admin1": 2, "country": 3}
_AS_REGION_WORDS = literal_gate(_AS_REGION_BEFORE.pattern)
_NEAR_WORDS = literal_gate(NEAR.pattern)


def area_level(m: Mention, full: str) -> int:
    """How large a place the mention names, smaller first: 0 a town or site; 1 a town's name used for its region
    ("the countryside of Aleppo"); 2 an admin1 region ("Thailand's province of Narathiwat": the province, not the
    country); 3 a country; 4 a wider region."""
    if not is_area(m):
        regional = _found_in(_AS_REGION_BEFORE, _AS_REGION_WORDS, full, max(0, m.start - 30), m.start) or \
            _AS_REGION_AFTER.match(full, m.end) is not None
        return 1 if regional else 0
    return _AREA_LEVEL.get(m.kind or "", 4 if (m.kind or "") in ("region", "continent") else 2)


# what separates the places of a list ("Kafraya and Fuah", "Kafraya, Fuah")
_LIST_GAP = re.compile(r"[\s,]*(?:and|or|&)?[\s‘’'\"“”,]*")


def pick_place(cands: list[Mention], trigger_abs: int, full: str,
               qualifiers: "set[int] | frozenset[int]" = frozenset()) -> tuple[Mention | None, int, list[str]]:
    """The event's place (see the module rules), its ACLED geo-precision, and other places named with it."""
    if not cands:
        return None, 3, []
    best = _best_ranked(cands, trigger_abs, full, qualifiers)
    precision = 3 if is_area(best) else max(1, min(3, best.precision or 1))
    if not is_area(best) and _found_in(NEAR, _NEAR_WORDS, full, max(0, best.start - 40), best.start):
        precision = max(precision, 2)
    also: list[str] = []
    for m in sorted(cands, key=lambda m: m.start):
        if m is best or is_area(m) or m.text == best.text or (m.name and m.name == best.name):
            continue
        gap = full[min(m.end, best.end):max(m.start, best.start)]
        if len(gap) <= 12 and _LIST_GAP.fullmatch(gap):
            if m.text not in also:
                also.append(m.name or m.text)
    return best, precision, also


_SITE_NOUNS = (r"village|town|area|district|neighbou?rhood|suburb|camp|city|quarter|region|locality|settlement|"
               r"hospital|market|mosque|church|school|crossing|base|port|island")
# "in the village of X", "near X", "the settlement of X", "Belgrade's X suburb" (a place that names the site)
_LOCATIVE_BEFORE = re.compile(rf"(?:\b(?:in|at|near|outside|inside|on|into)\s+(?:the\s+)?(?:(?:[\w-]+\s+){{0,2}}"
                              rf"(?:{_SITE_NOUNS})\s+of\s+)?|\bthe\s+(?:[\w-]+\s+){{0,2}}(?:{_SITE_NOUNS})\s+of\s+|"
                              rf"\b[A-Z][\w-]+['’]s\s+)$", re.I)


# what may stand between an event verb and the place it acts on ("shelled Gagrian", "stormed the Adil")
_SPACE_THE = re.compile(r"\s+(?:the\s+)?")


def sublocation(mentions: Sequence[Mention], start: int, end: int, best: Mention | None, trigger_abs: int,
                full: str, actor_spans: list[tuple[int, int]], trigger_end: int = -1) -> Mention | None:
    """A place the gazetteer does not know, named where the event happened ("five butchers in the Nabi Yunis
    area were shot", "in the village of Qaza Ali", "shelled Gagrian"), kept as the incident's location at the
    point of the place the sentence does resolve (its town or region), with geo-precision 2 (3 when that is a
    region); None when there is none. The names are the geoparser's unresolved mentions and the names the
    sentence links to its event by syntax where the geoparser saw none (geoinc.incidents.linking), nearest the
    event phrase first."""
    if best is None or not best.resolved:
        return None
    links = linked_names(full, start, end)
    own = mentions_between(mentions, start, end)
    cands: list[Mention] = []
    for m in own:
        if m.resolved or m.metonym or not _NAME_START.match(m.text):
            continue
        gap = full[trigger_end:m.start] if trigger_end <= m.start else "-"
        direct = len(gap) <= 12 and _SPACE_THE.fullmatch(gap) is not None   # "shelled Gagrian"
        if direct or _LOCATIVE_BEFORE.search(full[max(start, m.start - 60):m.start]) or \
                any(k.start < m.end and m.start < k.end for k in links):
            cands.append(m)
    for k in links:
        if not any(k.start < m.end and m.start < k.end for m in own):
            cands.append(Mention(k.start, k.end, k.name))
    for m in sorted(cands, key=lambda m: abs(m.start - trigger_abs)):
        if any(a <= m.start - start < b for a, b in actor_spans):
            continue
        known = linked_namesake(m, best)
        if known is not None:
            return known
        return replace(best, start=m.start, end=m.end, text=m.text, name=m.text, precision=3 if is_area(best) else 2,
                       reason=f"not in the gazetteer: placed at {best.name or best.text}")
    return None


# a name opens with a capital, or with an Arabic article before one ("al-Wafa")
_NAME_START = re.compile(r"(?:(?:al|el|an|ar|as|ash|at|ad|az)[-‘'’])?[A-Z‘’']")


def linked_namesake(m: Mention, best: Mention) -> Mention | None:
    """A name the geoparser left open but the sentence links to its event, at its gazetteer namesake inside the
    region or country the sentence's resolved place is ("protesters rallied in Kalpi (Uttar Pradesh)"), or at
    the only namesake there is when that place is just a country named in passing ("demonstrated in Blagnac ...
    held hostage in Mali"); None when the sentence's place is a town (the name is a part of it: "in Colonia
    Progreso") or the gazetteer cannot tell."""
    if not is_area(best) or best.kind == "water" or best.lat is None or best.lon is None:
        return None
    try:
        from ..gazetteer.index import default_gazetteer

        places = [p for p in default_gazetteer().lookup(m.text)
                  if p.kind not in ("country", "continent", "region", "water") and p.country_code]
    except Exception:  # noqa: BLE001 - no gazetteer: no namesake
        return None
    if best.kind == "country":
        inside = [p for p in places if p.country_code == best.country_code]
    else:
        inside = [p for p in places if p.country_code == best.country_code
                  and geodesic_km(p.lat, p.lon, best.lat, best.lon) <= _INSIDE_REGION_KM]
    if inside:
        p = inside[0]
    elif len(places) == 1 and best.kind == "country":
        p = places[0]
    else:
        return None
    return Mention(start=m.start, end=m.end, text=m.text, name=m.text, lat=p.lat, lon=p.lon,
                   country_code=p.country_code, kind=p.kind, source=p.id, confidence=0.4, precision=1,
                   place_id=p.id, reason=f"linked to the event: its gazetteer namesake {p.name}")


def fallback_place(mentions: Sequence[Mention], body_offset: int, text: str = "") -> Mention | None:
    """The article's most specific usable place, for an incident whose sentences name none, in this order:
    a resolved literal town or site (the first); a name the gazetteer knows among the unresolved mentions (the
    name, its parts, its qualifier) or after "in"/"at"/"near" ("in Deir ez Zor"), inside the country the text
    names when it names one; a resolved region or country that is not only the topic ("denounced the invasion
    of Ukraine", "the Embassy of Sudan"); then a metonym."""
    body = [m for m in mentions if m.start >= body_offset and (m.kind or "") not in NOT_A_LOCATION]
    literal = [m for m in body if m.resolved and not m.metonym and m.country_code]
    towns = [m for m in literal if not is_area(m) and m.kind != "water"]
    if towns:
        return towns[0]
    areas = [m for m in literal if not _TOPIC_BEFORE.search(text[max(0, m.start - 40):m.start])] if text else literal
    guess = _guess_unresolved(body, text, body_offset, {m.country_code for m in areas})
    if guess is not None:
        return guess
    for usable in (areas, literal, [m for m in body if m.resolved and m.country_code]):
        if usable:
            return min(usable, key=lambda m: (is_area(m), m.kind == "water", m.start))
    return None


# "the invasion of Ukraine", "the Embassy of Sudan", "in solidarity with Cuba": a country named as the topic
_TOPIC_BEFORE = re.compile(r"\b(?:of|against|with|for|to|from|towards|about|over)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$",
                           re.I)


def _guess_unresolved(body: list[Mention], text: str, body_offset: int, countries: set[str | None]) -> Mention | None:
    """The first unresolved name (a mention, or a name after "in") the gazetteer knows, preferring namesakes in
    the countries the text names."""
    tries: list[tuple[str, int, int, list[str]]] = []
    for m in body:
        if m.resolved:
            continue
        # the name itself, then its parts ("Diagonal Avenue of Barcelona" -> "Barcelona"), then its qualifier
        # ("Manzobe village (Irumu, Ituri)" -> Irumu)
        parts = [m.text, *reversed(re.split(r"\s+of\s+|\s+-\s+|,\s*", m.text)[1:])]
        tries.append((m.text, m.start, m.end, parts + (_qualifier_names(text, m) if text else [])))
    for g in _IN_NAME.finditer(text, body_offset):
        name = g.group("name")
        if _DATE_WORD.match(name):
            continue
        bare = _NAME_SUFFIX.sub("", name)
        names = [name, bare] if bare != name else [name]
        tries.append((name, g.start("name"), g.end("name"),
                      [*names, *_qualifier_names(text, Mention(g.start("name"), g.end("name"), name))]))
    for label, start, end, names in tries:
        for n in names:
            found = _gazetteer_guess(n, start, end, {c for c in countries if c})
            if found is not None:
                return replace(found, text=label, name=label if n == label or n in names[:2] else found.name)
    return None


# "in Deir ez Zor", "at Rajouri city": a capitalised name after a locative preposition
_NAME_SUFFIX = re.compile(r"\s+(?:City|Town|Village|District|Province|Region|Municipality|Township)$")
_NAME = r"(?P<name>[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|al|el|ez|es|de|del|da|do|di|la|le|sur))*(?:\s+[A-Z][\w'’-]+)?)"
_IN_NAME = re.compile(r"\b(?:in|at|near|outside)\s+(?:the\s+)?(?:(?:area|village|town|city|region|district|locality) "
                      r"of\s+)?" + _NAME)
# "in June", "on Monday": a date, not a place
_DATE_WORD = re.compile(WHEN)
# "the suburb of Husseiniyah", "both villages of Zangang", "the villages surrounding Huddur": a place noun before it
_OF_PLACE = (r"\b(?:suburbs?|outskirts|villages?|towns?|cit(?:y|ies)|districts?|areas?|neighbou?rhoods?|provinces?|"
             r"regions?)\s+(?:of|surrounding|around)\s+")
# "residents of Chwaliszow", "in front of the Haman Town Hall": the people of a place, a site's front
_PEOPLE_OF = r"\b(?:residents|inhabitants|citizens|villagers|people|in front)\s+of\s+(?:the\s+)?"
# "In Bapunagar", "in nearby Mahmudiyah", "near the town of Saraf": the same, for an event place left unlocated
_UNLOCATED_NAME = re.compile(r"(?:\b(?i:in|at|near|outside|inside)\s+(?:the\s+)?(?:nearby\s+|neighbou?ring\s+)?"
                             r"(?:(?:area|village|town|city|region|district|locality|neighbou?rhood) of\s+)?|(?i:"
                             + _OF_PLACE + r")|(?i:" + _PEOPLE_OF + r"))" + _NAME)


def _gazetteer_guess(name: str, start: int, end: int, countries: "set[str] | frozenset[str]" = frozenset()
                     ) -> Mention | None:
    """A mention for ``name`` at its best-known gazetteer namesake (towns and regions only; in one of
    ``countries`` when there is such a namesake), precision 2."""
    try:
        from ..gazetteer.index import default_gazetteer

        places = [p for p in default_gazetteer().lookup(name)
                  if p.kind not in ("country", "continent", "region", "water") and p.country_code]
    except Exception:  # noqa: BLE001 - no gazetteer: no guess
        return None
    if not places:
        return None
    p = next((q for q in places if q.country_code in countries), places[0])
    return Mention(start=start, end=end, text=name, name=p.name, lat=p.lat, lon=p.lon, country_code=p.country_code,
                   kind=p.kind, source=p.id, confidence=0.3, precision=2, place_id=p.id,
                   reason="fallback: best-known namesake in the gazetteer")


# "in Allok village", "at Jabal Tar", "near the village of Lassipora": a locative word right before a name
_LOCATIVE_BEFORE = re.compile(r"(?:\b(?:in|at|near|outside|inside|into|around)\s+(?:the\s+)?(?:(?:village|town|city|area|"
                              r"district|neighbou?rhood|region|province|locality)\s+(?:of\s+)?)?|" + _OF_PLACE + r")$",
                              re.I)
# "Allok village", "the Deir Ezzor Airport", "the Al-Rasoul Checkpoint": a site word in or right after the name
_SITE_WORD = (r"village|town|city|district|neighbou?rhood|area|camp|airport|air ?base|base|checkpoint|province|"
              r"square|market|plant|dam|bridge|hospital|prison|station|farms?|plains?|gorge|valley|mountains?|hills?")
_SITE_AFTER = re.compile(rf"\s+(?:{_SITE_WORD})\b", re.I)
_SITE_END = re.compile(rf"\b(?:{_SITE_WORD})$", re.I)


def unlocated_place(mentions: Sequence[Mention], start: int, end: int, text: str) -> Mention | None:
    """The place an event sentence names that the gazetteer does not know ("clashes in Allok village"): the first
    unresolved, literal name between ``start`` and ``end`` that a locative word introduces or a site word ends,
    else the first capitalised name after "in"/"at"/"near" that is no date.
    ACLED still codes such an event at the named place; the incident keeps the name, without coordinates."""
    for m in mentions:
        if not (start <= m.start < end) or m.resolved or m.metonym or not m.text[:1].isupper():
            continue
        before = text[max(start, m.start - 40):m.start]
        if _found(REFERENCE, _REFERENCE_WORDS, before):
            continue
        if _LOCATIVE_BEFORE.search(before) or _SITE_AFTER.match(text, m.end) or _SITE_END.search(m.text):
            return replace(m, precision=1, reason="unlocated: a place the gazetteer does not know")
    # a name the recogniser missed, after "in"/"at"/"near" ("hit by a roadside bomb in nearby Mahmudiyah")
    for g in _UNLOCATED_NAME.finditer(text, start, end):
        name = g.group("name")
        if not _DATE_WORD.match(name) and not any(m.start <= g.start("name") < m.end for m in mentions):
            return Mention(g.start("name"), g.end("name"), name, precision=1,
                           reason="unlocated: a name after a locative word the gazetteer does not know")
    return None


__all__ = ["is_area", "other_names", "region_names", "region_point", "requalify", "sentence_mentions", "pick_place", "sublocation", "fallback_place", "unlocated_place"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.incidents.places":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
