"""Where an event happened: the place mention linked to the event phrase, re-resolved by its qualifier.

Rules (each a small function with its example):

* a place qualified by its region ("Athens (Georgia)", "Vesele district, Kharkiv", "in Merida (Merida)") is
  resolved among the namesakes inside that region; when none is known, the qualifier itself locates the event
  (geo-precision 2);
* among the mentions of an event sentence, a qualified place or one governed by a locative preposition ("in",
  "at", "near") is preferred; a sub-location ("the Amambai neighborhood", "Miguel Aleman Boulevard") yields to
  the town it lies in; towns and sites beat regions and countries;
* geo_precision follows ACLED: 1 the place itself, 2 near it / part of it, 3 a region or country.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..models import Mention
from ..text import name_key
from .lexicons import AREA_KINDS, NEAR, NOT_A_LOCATION, REFERENCE

# "(Kyaukme township, Kyaukme district, Shan-North state)", ", Kharkiv region", " - Brooklyn"
_QUALIFIER = re.compile(r"(?:\s+(?:town|city|village|district|township|municipality|county|province|region|"
                        r"oblast|raion|governorate|department|commune|sub-?county|locality|area|neighbou?rhood|"
                        r"camp|rural municipality|woreda|kebele|LGA))?\s*(?:\((?P<par>[^()]{2,120})\)|,\s*"
                        r"(?P<comma>(?:[A-Z][\w'’.-]*\s?){1,4}?)(?=\s*(?:region|oblast|province|state|governorate|"
                        r"district|township|county|municipality|city|town|village|department|prefecture|LGA|woreda|"
                        r"zone|sub-?county|locality|commune)?\s*(?:[,.;()]|$))|\s+in\s+(?:the\s+)?(?P<in>[A-Z][\w'’-]*"
                        r"(?:\s+[A-Z][\w'’-]*){0,3})\s+(?:governorate|province|district|region|state|countryside|"
                        r"county|oblast)\b)")
_CITY_DASH = re.compile(r"[A-Z][\w'’.]*\s+-\s+$")
_ADMIN_WORDS = re.compile(r"\b(?:state|region|province|oblast|governorate|department|district|county|prefecture|"
                          r"municipality|township|city|division|territory|raion|rayon|sub-?county|woreda|zone|LGA|"
                          r"coded to|as reported)\b", re.I)
_SUBLOCATION = re.compile(r"\s+(?:neighbou?rhood|street|avenue|boulevard|road|highway|square|sector|ward|market|"
                          r"bridge|river|dam|park|quarter|colony|barangay|vereda|estate|compound|camp)\b", re.I)


def is_area(m: Mention) -> bool:
    """A region, country, sea or continent (geo-precision 3), not a town or site."""
    return (m.kind or "") in AREA_KINDS or (m.precision or 3) >= 3


def _qualifier_names(text: str, m: Mention) -> list[str]:
    """The region names qualifying a place: "Athens (Georgia)" -> ["Georgia"]; innermost last."""
    q = _QUALIFIER.match(text, m.end)
    if not q:
        return []
    raw = q.group("par") or q.group("comma") or q.group("in") or ""
    parts = [_ADMIN_WORDS.sub(" ", p).strip(" -") for p in re.split(r"[,;]| - ", raw)]
    return [" ".join(p.split()) for p in parts if p and p[0].isupper() and len(p) >= 3]


def _region_keys(gaz, names: list[str]) -> tuple[set[tuple[str, str]], set[str]]:
    """((country, admin1 key) pairs, country codes) the qualifier names can mean, kept to the countries most of
    the names agree on ("(Colombo, Western)": Sri Lanka, not every country with a Western province)."""
    per_name: list[tuple[set[tuple[str, str]], set[str]]] = []
    for n in names:
        admin1s: set[tuple[str, str]] = set()
        countries: set[str] = set()
        for p in gaz.lookup(n):
            if p.kind == "country" and p.country_code:
                countries.add(p.country_code)
            elif p.kind in ("admin1", "admin2") and p.admin1 and p.country_code:
                admin1s.add((p.country_code, name_key(p.admin1)))
        per_name.append((admin1s, countries))
    votes: dict[str, int] = {}
    for admin1s, countries in per_name:
        for cc in {a[0] for a in admin1s} | countries:
            votes[cc] = votes.get(cc, 0) + 1
    if not votes:
        return set(), set()
    top = max(votes.values())
    keep = {cc for cc, v in votes.items() if v == top}
    all_admin1s = {a for admin1s, _ in per_name for a in admin1s if a[0] in keep}
    all_countries = {c for _, countries in per_name for c in countries if c in keep}
    return all_admin1s, all_countries


def _region_place(gaz, names: list[str], admin1s: set[tuple[str, str]], countries: set[str]):
    """The most specific known place a qualifier names, inside the region the qualifier means ("(Kale township,
    Kale district, Sagaing region)" -> Kale; "(Karachi City, Sindh)" -> Karachi), else None."""
    for n in names:
        for p in gaz.lookup(n):
            if p.kind in ("country", "continent", "region", "water"):
                continue
            if (admin1s or countries) and not _fits(p, admin1s, countries):
                continue
            return p
    return None


def _fits(place, admin1s: set[tuple[str, str]], countries: set[str]) -> bool:
    if place.country_code in countries:
        return True
    return bool(place.admin1) and (place.country_code, name_key(place.admin1)) in admin1s


def requalify(text: str, mentions: Sequence[Mention]) -> tuple[list[Mention], set[int]]:
    """Mentions re-resolved by their qualifiers, and the start offsets of the qualifier mentions themselves.

    "Athens (Georgia)" -> Athens, Georgia, US (not Greece); "Toledo, Ohio"; a qualified place the gazetteer
    does not hold takes the point of its qualifier with geo-precision 2."""
    try:
        from ..gazetteer.index import default_gazetteer

        gaz = default_gazetteer()
    except Exception:  # noqa: BLE001 - no gazetteer: keep the geoparser's reading
        return list(mentions), set()
    out = list(mentions)
    qualifiers: set[int] = set()
    by_start = {m.start: i for i, m in enumerate(out)}
    for i, m in enumerate(out):
        if m.start in qualifiers or (m.kind or "") in ("country", "continent", "region"):
            continue
        names = _qualifier_names(text, m)
        if not names:
            continue
        q_end = _QUALIFIER.match(text, m.end).end()  # type: ignore[union-attr]  # (names: it matched)
        inner = [o for o in out if m.end <= o.start < q_end]
        qualifiers.update(o.start for o in inner)
        admin1s, countries = _region_keys(gaz, names)
        if not admin1s and not countries:
            continue
        current = gaz.get(m.place_id) if m.place_id else None
        if current is not None and _fits(current, admin1s, countries):
            continue
        fitting = [c.place for c in (gaz.candidates(m.text) or gaz.loose_candidates(m.text))
                   if c.place.kind not in ("country", "continent", "region") and _fits(c.place, admin1s, countries)]
        if fitting:
            p = max(fitting, key=lambda p: (p.kind != "admin1", p.population))
            out[i] = replace(m, name=p.name, lat=p.lat, lon=p.lon, country_code=p.country_code, kind=p.kind,
                             place_id=p.id, precision=1 if p.kind not in ("admin1", "admin2") else 2,
                             confidence=max(m.confidence, 0.8), reason="qualified by its region")
        elif not m.resolved or (current is not None and not _fits(current, admin1s, countries)):
            region = _region_place(gaz, names, admin1s, countries)
            if region is not None:
                out[i] = replace(m, name=m.text, lat=region.lat, lon=region.lon, country_code=region.country_code,
                                 kind="admin2", place_id=region.id, precision=2, confidence=0.5,
                                 reason=f"not in the gazetteer: placed in {region.name}")
    del by_start
    return out, qualifiers


def sentence_mentions(mentions: Sequence[Mention], start: int, end: int, actor_spans: list[tuple[int, int]],
                      full: str) -> list[Mention]:
    """Resolved, literal place mentions of a sentence that can locate an event (not references, not actors)."""
    out = []
    for m in mentions:
        if not (start <= m.start < end) or not m.resolved or m.metonym:
            continue
        if (m.kind or "") in NOT_A_LOCATION or (is_area(m) and not m.country_code and m.kind != "water"):
            continue
        rel = m.start - start
        if any(a <= rel < b for a, b in actor_spans):
            continue
        if REFERENCE.search(full[max(start, m.start - 40):m.start]):
            continue
        out.append(m)
    return out


def _rank(m: Mention, trigger_abs: int, full: str, qualifiers: "set[int] | frozenset[int]") -> tuple:
    """Sort key of a candidate location (smaller is better)."""
    # "the Amambai neighborhood"; "Ciudad de Mexico - Centro" (ACLED's "City - district": the city is the place)
    sub = bool(_SUBLOCATION.match(full, m.end)) or bool(_CITY_DASH.search(full[max(0, m.start - 40):m.start]))
    qualified = bool(_QUALIFIER.match(full, m.end)) and bool(_qualifier_names(full, m))
    return (m.kind == "water", is_area(m), m.start in qualifiers, sub, not qualified,
            m.start < trigger_abs, abs(m.start - trigger_abs))


def pick_place(cands: list[Mention], trigger_abs: int, full: str,
               qualifiers: "set[int] | frozenset[int]" = frozenset()) -> tuple[Mention | None, int, list[str]]:
    """The event's place (see the module rules), its ACLED geo-precision, and other places named with it."""
    if not cands:
        return None, 3, []
    best = min(cands, key=lambda m: _rank(m, trigger_abs, full, qualifiers))
    precision = 3 if is_area(best) else max(1, min(3, best.precision or 1))
    if not is_area(best) and NEAR.search(full[max(0, best.start - 40):best.start]):
        precision = max(precision, 2)
    also: list[str] = []
    for m in sorted(cands, key=lambda m: m.start):
        if m is best or is_area(m) or m.text == best.text or (m.name and m.name == best.name):
            continue
        gap = full[min(m.end, best.end):max(m.start, best.start)]
        if len(gap) <= 12 and re.fullmatch(r"[\s,]*(?:and|or|&)?[\s‘’'\"“”,]*", gap):
            if m.text not in also:
                also.append(m.name or m.text)
    return best, precision, also


_SITE_NOUNS = (r"village|town|area|district|neighbou?rhood|suburb|camp|city|quarter|region|locality|settlement|"
               r"hospital|market|mosque|church|school|crossing|base|port|island")
# "in the village of X", "near X", "the settlement of X", "Belgrade's X suburb" (a place that names the site)
_LOCATIVE_BEFORE = re.compile(rf"(?:\b(?:in|at|near|outside|inside|on|into)\s+(?:the\s+)?(?:(?:[\w-]+\s+){{0,2}}"
                              rf"(?:{_SITE_NOUNS})\s+of\s+)?|\bthe\s+(?:[\w-]+\s+){{0,2}}(?:{_SITE_NOUNS})\s+of\s+|"
                              rf"\b[A-Z][\w-]+['’]s\s+)$", re.I)


def sublocation(mentions: Sequence[Mention], start: int, end: int, best: Mention | None, trigger_abs: int,
                full: str, actor_spans: list[tuple[int, int]], trigger_end: int = -1) -> Mention | None:
    """A place the gazetteer does not know, named where the event happened ("five butchers in the Nabi Yunis
    area were shot", "in the village of Qaza Ali"), kept as the incident's location at the point of the place
    the sentence does resolve (its town or region), with geo-precision 2; None when there is none."""
    if best is None or not best.resolved:
        return None
    # the sentence's unresolved names, nearest the trigger first (filtered before sorting: a stable sort keeps
    # the same order either way, and an article has many more mentions than a sentence)
    own = [m for m in mentions if start <= m.start < end and not m.resolved and not m.metonym]
    for m in sorted(own, key=lambda m: abs(m.start - trigger_abs)):
        if not m.text[:1].isupper():
            continue
        if any(a <= m.start - start < b for a, b in actor_spans):
            continue
        gap = full[trigger_end:m.start] if trigger_end <= m.start else "-"
        direct = len(gap) <= 12 and re.fullmatch(r"\s+(?:the\s+)?", gap) is not None   # "shelled Gagrian"
        if not direct and not _LOCATIVE_BEFORE.search(full[max(start, m.start - 60):m.start]):
            continue
        return replace(best, start=m.start, end=m.end, text=m.text, name=m.text, precision=2,
                       reason=f"not in the gazetteer: placed at {best.name or best.text}")
    return None


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
        bare = _NAME_SUFFIX.sub("", name)
        names = [name, bare] if bare != name else [name]
        tries.append((name, g.start("name"), g.end("name"),
                      [*names, *_qualifier_names(text, Mention(g.start("name"), g.end("name"), name))]))
    for label, start, end, names in tries:
        for n in names:
            found = _gazetteer_guess(n, start, end, countries - {None})  # type: ignore[arg-type]
            if found is not None:
                return replace(found, text=label, name=label if n == label or n in names[:2] else found.name)
    return None


# "in Deir ez Zor", "at Rajouri city": a capitalised name after a locative preposition
_NAME_SUFFIX = re.compile(r"\s+(?:City|Town|Village|District|Province|Region|Municipality|Township)$")
_IN_NAME = re.compile(r"\b(?:in|at|near|outside)\s+(?:the\s+)?(?:(?:area|village|town|city|region|district|locality) "
                      r"of\s+)?(?P<name>[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|al|el|ez|es|de|del|"
                      r"da|do|di|la|le|sur))*(?:\s+[A-Z][\w'’-]+)?)")


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


__all__ = ["is_area", "requalify", "sentence_mentions", "pick_place", "sublocation", "fallback_place"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.incidents.places":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
