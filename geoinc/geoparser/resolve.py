"""Disambiguation and the public entry point :func:`geoparse`: text -> resolved place mentions.

Each recognised span has gazetteer candidates. A candidate's score adds up:

* prior — source and kind (curated sites, countries and regions first) and log population;
* match — the span is the place's own name (not an alternate), or met only through the loose key;
* document context — the candidate's country is mentioned in the text (or borders one that is), a
  following ", Texas" names its region or country, and it lies near other mentions' unambiguous places.

Resolution runs twice: the first pass fixes the document's countries and anchor points, the second ranks
with them. Confidence is the top candidate's share of a softmax over scores, scaled by match quality.
A name keeps one meaning per document (the most confident reading wins).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import MISSING, fields, replace
from typing import TYPE_CHECKING, Any, Final

from ..config import forced_offline
from ..errors import GeoIncError, InputError
from ..models import Mention, Place, slotted_draft
from ..text import name_key
from .lookup import candidates as gaz_candidates, loose_candidates as gaz_loose_candidates, demonym as gaz_demonym
from .scoring import (AREA_KINDS, CONTAINER_RANK, REGION_FEATURES, SMALL_PLACE, Context, confidence, container_point,
                      lies_in, prior, rank_candidates, state_namesake)

if TYPE_CHECKING:
    from ..gazetteer.index import Candidate, Gazetteer
    from .recognizer import Span

MAX_TEXT_CHARS: Final = 5_000_000
MIN_CONFIDENCE_OFFLINE: Final = 0.0
FALLBACK_BELOW: Final = 0.35            # ask the geocoder fallback (online only) under this confidence

_PREC2_KINDS: Final = frozenset({"district", "admin2"})


def acled_precision(kind: str | None, near: bool) -> int:
    """ACLED geo-precision: 1 a town or site, 2 near it or part of a district, 3 a region or country."""
    if kind in AREA_KINDS:
        return 3
    if kind in _PREC2_KINDS or near:
        return 2
    return 1



# Mention's fields and defaults, in order (models.Mention): new_mention fills exactly these
_MENTION_FIELDS: Final = (("start", MISSING), ("end", MISSING), ("text", MISSING), ("name", None), ("lat", None),
                          ("lon", None), ("country_code", None), ("kind", None), ("source", None), ("confidence", 0.0),
                          ("precision", 3), ("metonym", False), ("place_id", None), ("reason", None))
_FILL_MENTIONS: Final = tuple((f.name, f.default) for f in fields(Mention)) == _MENTION_FIELDS


# a frozen Mention takes each field through ``object.__setattr__`` (~1,000 instructions a field called from the
# compiled twin, ~14k a Mention: ~7 % of a geoparse): new_mention fills a draft with its slots instead, a tenth
# of that (models.slotted_draft; None when the layouts differ)
_DRAFT: Final = slotted_draft(Mention) if _FILL_MENTIONS else None


def new_mention(start: int, end: int, text: str, name: str | None = None, lat: float | None = None,
                lon: float | None = None, country_code: str | None = None, kind: str | None = None,
                source: str | None = None, confidence: float = 0.0, precision: int = 3, metonym: bool = False,
                place_id: str | None = None, reason: str | None = None) -> Mention:
    """``Mention(...)``: the same frozen record, built from a draft with Mention's slots (see :func:`geoinc.models.slotted_draft`;
    the dataclass's generated ``__init__`` runs interpreted, ~26k instructions a Mention). Should models.Mention's
    fields, defaults or slots ever differ from ``_MENTION_FIELDS``, the plain constructor is used
    (tests/test_geoparser_fast_paths.py checks both)."""
    if _DRAFT is None:
        return Mention(start, end, text, name, lat, lon, country_code, kind, source, confidence, precision, metonym,
                       place_id, reason)
    m = _DRAFT()
    m.start = start
    m.end = end
    m.text = text
    m.name = name
    m.lat = lat
    m.lon = lon
    m.country_code = country_code
    m.kind = kind
    m.source = source
    m.confidence = confidence
    m.precision = precision
    m.metonym = metonym
    m.place_id = place_id
    m.reason = reason
    m.__class__ = Mention
    made: Mention = m
    return made


def _supported(span: "Span", place: Place, ctx: Context, ranked: list) -> bool:
    """Does the document back up reading this span as this place? Small or transliteration-only matches
    need a locative cue ("in X", "near X") or a country of the document; big places and curated sites do not."""
    if place.source != "geonames" and not any(c.loose for _, c in ranked[:1]):
        return True
    loose = ranked[0][1].loose
    if not loose and place.population >= SMALL_PLACE:
        return True
    in_doc = bool(place.country_code) and (place.country_code in ctx.countries or place.country_code in ctx.neighbours)
    if loose:
        if in_doc:
            return not _loose_far_neighbour(place, ctx)
        if ctx.countries:
            return False    # the story names its countries; a look-alike name elsewhere ("Kuriga" ~ Khouribga) is not it
        return place.population >= 100_000 and span.strong_context
    return in_doc or span.strong_context or bool(span.comma_next)


LOOSE_NEIGHBOUR_KM: Final = 400.0     # a look-alike name in a neighbouring country must lie this near the story


def _loose_far_neighbour(place: Place, ctx: Context) -> bool:
    """A look-alike match to a region of a country the story does not name but borders ("Kikwit (Kikwit,
    Kwilu)": Kwilu ~ Kouilou, a region of the neighbouring Congo 600 km away) is another admin unit, not a
    spelling of this one, when it lies far from every place the story names."""
    if place.kind not in ("admin1", "admin2") or place.country_code in ctx.countries:
        return False
    near = ctx.nearest_km(place)
    return near is not None and near > LOOSE_NEIGHBOUR_KM


FOREIGN_NAMESAKE_MAX_POP: Final = 50_000    # towns below this need the story's backing when their country is a minor one
FOREIGN_SHARE_RATIO: Final = 0.5            # "minor": under half the share of the story's main country


def _unbacked_foreign_namesake(span: "Span", place: Place, ctx: Context,
                               own: dict[str, float] | None = None) -> bool:
    """A town of a country the story hardly mentions, with nothing local to back it: "Heathrow" in a story
    about Britain has only a Florida village among our candidates. Placing it there would be worse than
    leaving it open (the geocoder fallback may place it online). ``own``: the country votes of this very
    name's mentions, which cannot back the name up themselves."""
    if place.source != "geonames" or place.kind in AREA_KINDS or place.population >= FOREIGN_NAMESAKE_MAX_POP:
        return False
    if span.comma_next or not place.country_code or not ctx.soft_total:
        return False
    soft = {cc: w - (own or {}).get(cc, 0.0) for cc, w in ctx.soft.items()}
    top_cc, top = max(soft.items(), key=lambda kv: kv[1])
    if top <= 1e-9:
        return False        # nothing else in the story votes: no ground to call the name foreign
    if top_cc == place.country_code or soft.get(place.country_code, 0) >= FOREIGN_SHARE_RATIO * top:
        return False
    if place.admin1 and name_key(place.admin1) in ctx.region_keys:
        return False
    near = ctx.nearest_km(place)
    return near is None or not near < 400


_LIST_GAP: Final = re.compile(r"\s*(?:,\s*(?:and|or)?|and|or|&)\s*", re.IGNORECASE)
_POPULATED: Final = frozenset({"city", "town", "village"})


def _dual(span: "Span") -> bool:
    """Is the name both a first-level region and a big city of the same country (Washington, New York)?"""
    regions = {c.place.country_code for c in span.candidates if c.place.kind == "admin1"}
    return any(c.place.kind in _POPULATED and c.place.population >= 100_000 and c.place.country_code in regions
               for c in span.candidates)


def _list_kinds(spans: Sequence["Span"], first: list, text: str | None,
                conf_memo: dict[int, tuple[list, float]] | None = None) -> dict[int, str]:
    """For a region-or-city name inside a list ("California or Washington", "Washington, New York and Boston"),
    the kind its unambiguous list mates share: "admin1" or "place"."""
    if not text:
        return {}
    chains: list[list[int]] = []
    for i, span in enumerate(spans):
        if i and chains and chains[-1][-1] == i - 1 and spans[i - 1].end <= span.start \
                and span.start - spans[i - 1].end <= 8 and _LIST_GAP.fullmatch(text[spans[i - 1].end:span.start]):
            chains[-1].append(i)
        else:
            chains.append([i])
    out: dict[int, str] = {}
    for chain in chains:
        if len(chain) < 2:
            continue
        duals = [i for i in chain if _dual(spans[i]) and not spans[i].comma_next]
        if not duals:
            continue
        votes: Counter[str] = Counter()
        for i in chain:
            if i in duals or not first[i] or spans[i].metonym or confidence(first[i], conf_memo) < 0.6:
                continue
            kind = first[i][0][1].place.kind
            if kind == "admin1":
                votes["admin1"] += 1
            elif kind in _POPULATED:
                votes["place"] += 1
        if votes["admin1"] != votes["place"]:
            for i in duals:
                out[i] = "admin1" if votes["admin1"] > votes["place"] else "place"
    return out


def _with_list_kind(ranked: list[tuple[float, "Candidate"]], kind: str) -> list[tuple[float, "Candidate"]]:
    def fits(c: "Candidate") -> bool:
        return c.place.kind == "admin1" if kind == "admin1" else c.place.kind in _POPULATED
    return sorted(((sc + 2.5 if fits(c) else sc, c) for sc, c in ranked), key=lambda x: -x[0])


def resolve_spans(spans: Sequence["Span"], gaz: "Gazetteer", text: str | None = None) -> list[Mention]:
    """Rank every span's candidates with document context; one Mention per span. ``text`` (the article) lets
    list mates decide between a region and its namesake city."""
    # pass 1: context from confident readings
    ctx = Context(gaz)
    memo: dict[tuple, list] = {}
    conf_memo: dict[int, tuple[list, float]] = {}
    priors: dict[int, float] = {}       # by id() of candidates the spans hold for the whole call
    for span in spans:
        if span.comma_next and not span.comma_places:
            span.comma_places = tuple(c.place for c in gaz_candidates(gaz, span.comma_next)
                                      if c.place.kind in ("country", "admin1"))
        if span.authority and span.candidates:
            _add_territories(span, gaz)
        if span.containers and not span.container_places:
            span.container_places = tuple(tuple(c.place for c in gaz_candidates(gaz, key) if not c.loose)
                                          for key in span.containers)

    def rank(span: "Span", c: Context | None) -> list[tuple[float, "Candidate"]]:
        k = (span.key, span.comma_next, span.containers, span.feature, span.loose, span.town_word, len(span.candidates),
             c is None)
        if k not in memo:
            memo[k] = rank_candidates(span, c, priors)
        return memo[k]

    first = [rank(s, None) for s in spans]
    for span, ranked in zip(spans, first):
        if not ranked:
            continue
        ctx.vote(ranked)
        conf = confidence(ranked, conf_memo)
        top = ranked[0][1].place
        if top.kind == "country" and state_namesake(span, top):
            continue      # "Georgia": the country or the US state; the other names must decide, not itself
        if top.kind == "admin1" and not ranked[0][1].loose:
            ctx.region_keys.add(name_key(top.name))   # "Florida" backs Parkland, FL, even while it is unsure
        # only readings that need no support themselves feed the context (no small place backs itself up)
        if top.kind == "country" or top.source == "curated" or (
                top.kind == "admin1" and conf >= 0.5 and not ranked[0][1].loose) or (
                len(ranked) == 1 and not ranked[0][1].loose and span.strong_context) or (conf >= 0.8 and (
                top.source != "geonames" or top.population >= SMALL_PLACE) and not ranked[0][1].loose):
            ctx.add(top, 1.0 if not span.metonym else 0.5)
    own_votes, own_counts = _own_votes(spans, first, ctx)
    # pass 2: each name ranked by the other names' votes, not its own
    results: list[tuple[Span, list[tuple[float, Candidate]]]] = []
    for s in spans:
        ctx.exclude_own(own_votes.get(s.key), own_counts.get(s.key, 0.0))
        results.append((s, rank(s, ctx)))
    ctx.exclude_own(None, 0.0)
    for i, kind in _list_kinds(spans, first, text, conf_memo).items():
        results[i] = (spans[i], _with_list_kind(results[i][1], kind))
    decided: set[int] = set()
    at_container = _container_fallbacks(results, decided)
    _unplace_misread(results)
    # one sense per document: the same name keeps its most confident reading; the first qualified one wins
    # ("Arlington is a city in Gilliam County, Oregon" decides every later bare "Arlington"; a later
    # "Arlington, Virginia" keeps its own qualifier)
    best_by_key: dict[tuple[str, bool], tuple[float, Place]] = {}
    qualified: set[tuple[str, bool]] = set()
    for span, ranked in results:
        if ranked and id(span) in decided and k_first_qualified(span, qualified):
            best_by_key[(span.key, span.feature in REGION_FEATURES)] = (confidence(ranked, conf_memo), ranked[0][1].place)
    for span, ranked in results:
        if ranked:
            conf = confidence(ranked, conf_memo)
            k = (span.key, span.feature in REGION_FEATURES)   # "Idlib province" and "Idlib" may differ
            if k not in qualified and (k not in best_by_key or conf > best_by_key[k][0]):
                best_by_key[k] = (conf, ranked[0][1].place)
    out = []
    for span, ranked in results:
        own = bool(span.container_places) and id(span) in decided
        mention = _mention(span, ranked, best_by_key, ctx, own_votes, at_container, own)
        if mention is not None:
            out.append(mention)
    return out



def _own_votes(spans: Sequence["Span"], first: list[list[tuple[float, "Candidate"]]], ctx: Context
               ) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Per name key: the country votes its own mentions cast in pass 1, and how many mentions voted."""
    own_votes: dict[str, dict[str, float]] = {}
    own_counts: dict[str, float] = {}
    for span, ranked in zip(spans, first):
        shares = ctx._shares.get(id(ranked)) if ranked else None
        if shares is not None:
            votes = own_votes.setdefault(span.key, {})
            for cc, w in shares[1]:
                votes[cc] = votes.get(cc, 0.0) + w
            own_counts[span.key] = own_counts.get(span.key, 0.0) + 1.0
    return own_votes, own_counts


SITE_IN_TOWN_CONFIDENCE: Final = 0.3
TERRITORY_SUFFIXES: Final = (" strip", " governorate", " province", " region", " oblast", " territory")


def _add_territories(span: "Span", gaz: "Gazetteer") -> None:
    """"officials in Gaza": the administrative territory whose full name is this short name and an admin word
    ("Gaza Strip") becomes a candidate (once per span)."""
    have = {c.place.id for c in span.candidates}
    extra = tuple(replace(c, primary=False) for suffix in TERRITORY_SUFFIXES for c in gaz_candidates(gaz, span.key + suffix)
                  if c.place.kind == "admin1" and c.place.id not in have)
    if extra:
        span.candidates = span.candidates + extra


FAR_KM: Final = 400.0      # a small place this far from every place the story is sure of, outside its named regions


def _far_from_the_story(span: "Span", place: Place, ctx: Context) -> bool:
    """"a village in Kharkiv oblast" that the gazetteer knows only as a namesake 600 km away: with the story's
    region established (sure places, named regions), a small unqualified place far outside it is left open."""
    if (span.metonym or span.container_places or place.source != "geonames" or place.population >= SMALL_PLACE
            or not ctx.points or not ctx.region_keys):
        return False
    if place.admin1 and name_key(place.admin1) in ctx.region_keys:
        return False
    near = ctx.nearest_km(place)
    return near is not None and near > FAR_KM


CONTAINER_CONFIDENCE: Final = 0.4


def _read_containers(span: "Span", read: dict[str, Place]) -> tuple[tuple[Place, ...], ...]:
    """The span's containers, each narrowed to the reading its own mention got in this text ("Russia" the country,
    not Russia, Ohio), when it has one."""
    out = []
    for key, places in zip(span.containers, span.container_places):
        mine = read.get(key)
        out.append((mine,) if mine is not None and any(p.id == mine.id for p in places) else places)
    return tuple(out)


def _container_fallbacks(results: list[tuple["Span", list[tuple[float, "Candidate"]]]],
                         decided: set[int]) -> set[str]:
    """"Arlington is a former town in Phelps County, Missouri": when none of a qualified name's candidates lies in
    any of the containers the text gives (the gazetteer lacks this Arlington), the name is placed at the innermost
    container (a county or town at geo-precision 2, a first-level region at 3: "Kuriga, Kaduna State"; low
    confidence) rather than at a namesake the text rules out. ``decided`` receives the id() of
    every span its qualifier decides (a reading lies in a container, or the fallback placed it); a later
    "definition" that no reading meets ("El Nido is a small community near Merced") defers to the document's.
    Returns the ids of the container places used."""
    from ..gazetteer.index import Candidate

    read: dict[str, Place] = {}
    for span, ranked in results:
        if ranked and span.key not in read:
            read[span.key] = ranked[0][1].place
    used: set[str] = set()
    for i, (span, ranked) in enumerate(results):
        if not span.container_places or span.metonym or span.qualifier or span.site_in_town:
            continue
        containers = _read_containers(span, read)
        if any(lies_in(c.place, cp) for _, c in ranked for places in containers for cp in places):
            decided.add(id(span))       # its qualifier holds for some reading: the qualifier ranks them
        if ranked and ranked[0][1].place.kind in AREA_KINDS:
            continue        # a region or country given with its own container ("Ontario, Canada")
        inner = container_point(containers)
        if inner is None or (inner.kind == "admin1" and (not ranked or (
                span.feature is not None and span.feature not in REGION_FEATURES))):
            continue        # a named site or a name the gazetteer lacks ("CAMP MURRAY, Washington") needs a finer
                            # container than a state
        fine = CONTAINER_RANK[inner.kind] if inner.kind == "admin2" else 1
        if any(lies_in(c.place, cp) for _, c in ranked for places in containers for cp in places
               if CONTAINER_RANK.get(cp.kind, 0) >= fine):
            continue        # a reading lies in the county given (or, without one, in any container): the bonus ranks it
        city = _abbreviation_elsewhere(span, ranked)
        if city is not None:            # "Bogotá, D.C.": the abbreviation names the city's own region
            pid = city[1].place.id
            results[i] = (span, [city, *(r for r in ranked if r[1].place.id != pid)])
            span.notes.append(f"read as {city[1].place.name} ({city[1].place.country_code}), a city of a million or "
                              f"more, not as a namesake the gazetteer lacks in {inner.name}: the abbreviation after "
                              "it may name a region of the city's own country")
            continue
        decided.add(id(span))
        results[i] = (span, [(ranked[0][0] if ranked else 0.0, Candidate(inner, primary=False))])
        span.notes.append(f"not in the gazetteer in {inner.name}; placed at that container")
        used.add(inner.id)
    return used


ABBREVIATION_LETTERS: Final = 3     # a container key of at most this many letters is an abbreviation ("ill", "d c")
MAJOR_CITY: Final = 1_000_000       # a city this large outweighs a namesake the gazetteer lacks


def abbreviated(key: str) -> bool:
    """Is this name key an abbreviation ("d c" for "D.C.", "ill" for "Ill.")? Abbreviations are ambiguous across
    countries: D.C. is the US District of Columbia and the Distrito Capital of Bogotá and of Caracas."""
    words = key.split()
    return bool(words) and (len("".join(words)) <= ABBREVIATION_LETTERS or all(len(w) == 1 for w in words))


def _major_city(place: Place) -> bool:
    return place.kind not in AREA_KINDS and place.kind != "admin2" and place.population >= MAJOR_CITY


def _abbreviation_elsewhere(span: "Span", ranked: list[tuple[float, "Candidate"]]
                            ) -> tuple[float, "Candidate"] | None:
    """"Bogotá, D.C.": when every container the text gives is an abbreviation and one of the name's readings is a
    city of a million or more in a country none of the containers' places is in, that city is meant (the
    abbreviation names a region of its own country) rather than a namesake the gazetteer lacks in the
    container. The reading, or None."""
    if not span.containers or not all(abbreviated(k) for k in span.containers):
        return None
    countries = {p.country_code for places in span.container_places for p in places}
    return next((r for r in ranked if _major_city(r[1].place) and r[1].place.country_code not in countries), None)


def _unplace_misread(results: list[tuple["Span", list[tuple[float, "Candidate"]]]]) -> None:
    """The abbreviation right after a city read in another country ("D.C." in "Bogotá, D.C.", "Caracas, D.C.") is
    left open: it names a region of that city's country, which the gazetteer does not hold under it, not the
    region it does hold."""
    after: dict[int, str] = {}          # where such a city ends -> its name and country
    for span, ranked in results:
        if ranked and span.containers and _abbreviation_elsewhere(span, ranked[:1]) is not None:
            after[span.end] = f"{ranked[0][1].place.name}, {ranked[0][1].place.country_code}"
    if not after:
        return
    for i, (span, ranked) in enumerate(results):
        city = next((name for end, name in after.items() if 0 < span.start - end <= 3), None)
        if city is not None and ranked and abbreviated(span.key) and ranked[0][1].place.kind in AREA_KINDS:
            span.notes.append(f"an abbreviation of a region around {city}, which the gazetteer does not hold "
                              f"under it ({ranked[0][1].place.name}, {ranked[0][1].place.country_code}, is another)")
            results[i] = (span, [])


def k_first_qualified(span: "Span", qualified: set[tuple[str, bool]]) -> bool:
    """Is this the first span of its name with a qualifier? (records it in ``qualified``)"""
    k = (span.key, span.feature in REGION_FEATURES)
    if not span.container_places or k in qualified:
        return False
    qualified.add(k)
    return True


def _mention(span: "Span", ranked: list[tuple[float, "Candidate"]],
             best_by_key: dict[tuple[str, bool], tuple[float, Place]], ctx: Context,
             own_votes: dict[str, dict[str, float]], at_container: set[str] | None = None,
             own: bool = False) -> Mention | None:
    """The mention of one ranked span: its document-wide reading, unless the story does not back it up (then
    open, or nothing for a span that is only maybe a place). ``own``: its own qualifier decides its reading."""
    if not ranked:
        return new_mention(span.start, span.end, span.text, metonym=span.metonym,
                           reason="; ".join(span.notes) or "no gazetteer candidate")
    if own or (span.container_places and (span.key, span.feature in REGION_FEATURES) not in best_by_key):
        conf, place = confidence(ranked), ranked[0][1].place     # its own qualifier decides
    else:
        conf, place = best_by_key[(span.key, span.feature in REGION_FEATURES)]
    if span.loose and not _supported(span, place, ctx, ranked):
        # a transliteration or near-miss match: take the best candidate the document supports, if any
        for _, c in ranked[1:]:
            if _supported(span, c.place, ctx, [(0.0, c)]):
                place, conf = c.place, round(min(conf, 0.6), 3)
                break
    # the place's own entry (rank_candidates keeps one per place id), found without copying the list
    pid = place.id
    mine = next((r for r in ranked if r[1].place.id == pid), None)
    if not _supported(span, place, ctx, [mine] if mine is not None else ranked):
        if span.strong_context and not span.metonym:
            # "in eastern Ghouta": surely a place, but no candidate fits the document; leave it open
            return new_mention(span.start, span.end, span.text, metonym=False, confidence=0.0,
                               reason=f"not in the gazetteer (nearest name: {place.name}, {place.country_code}, "
                                      "which the text does not support)")
        return None
    if not span.metonym and _unbacked_foreign_namesake(span, place, ctx, own_votes.get(span.key)):
        return new_mention(span.start, span.end, span.text, metonym=False, confidence=0.0,
                           reason=f"only a small namesake elsewhere ({place.name}, {place.country_code}) "
                                  "that the story does not back up; left open")
    if _far_from_the_story(span, place, ctx):
        return new_mention(span.start, span.end, span.text, metonym=False, confidence=0.0,
                           reason=f"only a small namesake far from the story's region ({place.name}, {place.admin1}, "
                                  f"{place.country_code}); left open")
    loose = mine is not None and mine[1].loose
    reason = "; ".join(span.notes) if span.notes else "transliteration match" if loose else "gazetteer"
    near = span.near
    if span.site_in_town:
        conf = min(conf, SITE_IN_TOWN_CONFIDENCE)   # the town, not the site: an online geocoder may do better
    if at_container and place.id in at_container and not any(c.place.id == place.id for c in span.candidates):
        conf, near = min(conf, CONTAINER_CONFIDENCE), True     # placed at what the text says it lies in
        if not own:
            reason = f"placed at its container {place.name}, as the text says earlier"
    return new_mention(
        start=span.start, end=span.end, text=span.text, name=place.name, lat=place.lat, lon=place.lon,
        country_code=place.country_code, kind=place.kind, source=place.id, confidence=conf,
        precision=acled_precision(place.kind, near), metonym=span.metonym, place_id=place.id,
        reason=reason + (f"; {len(ranked)} candidates" if len(ranked) > 1 else ""))


def _check_text(text: Any) -> str:
    if not isinstance(text, str):
        raise InputError(f"geoparse needs a str, got {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,} (split it into articles)")
    if "\x00" in text:
        raise InputError("text contains NUL bytes: it looks binary, not an article")
    return text


def _fallback_for(fallback: Any, offline: bool) -> tuple[Any, str | None]:
    """The geocoder to ask (or None) and, when online mode was asked for but is unavailable, why."""
    if offline or forced_offline():
        return None, None
    if fallback is not None:
        return fallback, None
    try:
        from ..geocoders import Fallback  # type: ignore[attr-defined]
    except ImportError:
        return None, "no geocoder installed"
    try:
        return Fallback.from_config(), None
    except GeoIncError as err:
        return None, f"geocoder not configured: {err}"


def _apply_fallback(mentions: list[Mention], fallback: Any) -> list[Mention]:
    """Ask the geocoder for literal mentions we could not resolve confidently; keep ours when it fails."""
    countries = tuple(sorted({m.country_code for m in mentions if m.country_code and m.kind == "country"}))
    out = []
    asked: dict[str, tuple[Place | None, str]] = {}
    for m in mentions:
        if m.metonym or (m.resolved and m.confidence >= FALLBACK_BELOW):
            out.append(m)
            continue
        q = m.text
        if q not in asked:
            try:
                asked[q] = fallback.lookup(q, country_codes=countries)
            except Exception as err:  # noqa: BLE001 - the fallback reports; the mention stays as it was
                asked[q] = (None, f"geocoder failed: {err}")
        place, reason = asked[q]
        if place is None:
            out.append(replace(m, reason=(m.reason + "; " if m.reason else "") + reason))
            continue
        out.append(replace(m, name=place.name, lat=place.lat, lon=place.lon, country_code=place.country_code,
                           kind=place.kind, source=place.id, place_id=place.id, confidence=max(m.confidence, 0.6),
                           precision=acled_precision(place.kind, False), reason=reason))
    return out


def geoparse(text: str, *, published: str | None = None, offline: bool = True, fallback: Any = None,
             gazetteer: "Gazetteer | None" = None) -> list[Mention]:
    """Every place mention in ``text``, resolved offline from the gazetteer (geocoder fallback only when
    ``offline=False`` and GEOINC_OFFLINE is not set). ``published`` (YYYY-MM-DD) is accepted for callers that
    have it; place resolution does not depend on it."""
    from ..gazetteer.index import default_gazetteer
    from .recognizer import Recognizer

    text = _check_text(text)
    if not text.strip():
        return []
    gaz = gazetteer.open() if gazetteer is not None else default_gazetteer()
    spans = Recognizer(gaz).find(text)
    mentions = resolve_spans(spans, gaz, text)
    fb, why_not = _fallback_for(fallback, offline)
    if fb is not None:
        mentions = _apply_fallback(mentions, fb)
    elif why_not:
        mentions = [m if m.resolved else replace(m, reason=(m.reason + "; " if m.reason else "") + why_not)
                    for m in mentions]
    return mentions


# words resolve_name drops before a name ("near Abu Kamal", "the Al-Tanf garrison"); claims read them too
NAME_LEADING_WORDS: Final = frozenset({"near", "the", "in", "at", "outside", "around", "from", "of", "close", "to",
                                       "nearby"})


def resolve_name(name: str, *, context_countries: Iterable[str] = (), gazetteer: "Gazetteer | None" = None) -> Place | None:
    """The best place for a bare name ("Tower 22", "near Abu Kamal", "the Al-Tanf garrison"), or None."""
    from ..gazetteer.index import default_gazetteer
    from .recognizer import Span

    gaz = gazetteer.open() if gazetteer is not None else default_gazetteer()
    words = name.strip().split()
    while words and words[0].lower() in NAME_LEADING_WORDS:
        words = words[1:]
    drop_back = {"area", "region", "garrison", "base", "camp", "town", "city", "village", "sector", "outpost",
                 "border", "crossing", "province", "governorate", "territory", "soil", "side", "coast", "waters",
                 "airspace", "frontier"}
    variants = [" ".join(words)]
    while len(words) > 1 and words[-1].lower() in drop_back:
        words = words[:-1]
        variants.append(" ".join(words))
    for v in variants:
        key = name_key(v)
        if not key:
            continue
        cc = gaz_demonym(gaz, v) if " " not in key else None
        if cc and not gaz_candidates(gaz, key) and gaz.country(cc) is not None:
            return gaz.country(cc)      # "the Iraqi border", "Syrian territory"
        cands = gaz_candidates(gaz, key) or gaz_loose_candidates(gaz, key)
        if not cands:
            continue
        ctx = Context(gaz)
        for cc in context_countries:
            country = gaz.country(cc)
            if country is not None:
                ctx.add(country)
        span = Span(0, len(v), v, key, tuple(cands))
        ranked = rank_candidates(span, ctx)
        wanted = {cc.upper() for cc in context_countries}
        inside = [r for r in ranked if r[1].place.country_code in wanted]
        if inside:          # the caller knows the country: a candidate there wins
            return inside[0][1].place
        if ranked:
            return ranked[0][1].place
    return None


__all__ = ["geoparse", "resolve_name", "NAME_LEADING_WORDS", "resolve_spans", "acled_precision", "prior"]

if __name__ == "geoinc.geoparser.resolve":     # the compiled twin replaces the names above (see geoinc/native.py)
    from ..native import adopt_twin
    NATIVE = adopt_twin(globals(), keep=("geoparse", "resolve_name", "acled_precision"))
