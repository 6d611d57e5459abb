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

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..config import forced_offline
from ..errors import GeoIncError, InputError
from ..models import Mention, Place
from ..text import loose_key, name_key

if TYPE_CHECKING:
    from ..gazetteer.index import Candidate, Gazetteer
    from .recognizer import Span

MAX_TEXT_CHARS = 5_000_000
MIN_CONFIDENCE_OFFLINE = 0.0
FALLBACK_BELOW = 0.35            # ask the geocoder fallback (online only) under this confidence

_REGION_FEATURES = {"region", "regions", "province", "provinces", "governorate", "oblast", "district", "county",
                    "state", "prefecture", "department", "countryside"}
_AREA_KINDS = {"country", "admin1", "region", "water", "continent"}
_PREC2_KINDS = {"district", "admin2"}


def acled_precision(kind: str | None, near: bool) -> int:
    """ACLED geo-precision: 1 a town or site, 2 near it or part of a district, 3 a region or country."""
    if kind in _AREA_KINDS:
        return 3
    if kind in _PREC2_KINDS or near:
        return 2
    return 1


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (ranking only; geodesic distances for users live in geoinc.claims.measure)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def prior(c: "Candidate") -> float:
    """Context-free score of a candidate: source, kind, population, name match quality."""
    p = c.place
    pop = math.log10(max(p.population, 0) + 10)
    if p.source == "curated":
        s = 5.5
    elif p.source == "learned" or p.source == "geocoder":
        s = 3.5
    elif p.kind == "country":
        s = 6.5
    elif p.kind == "continent":
        s = 4.6
    elif p.kind in ("region", "water") and p.source != "geonames":
        s = 5.0     # macro-regions and seas: "the Middle East" beats Middle East, Maryland
    elif p.kind == "admin2":
        s = 0.55 * pop - 0.4
    elif p.source == "admin1":
        s = 0.55 * pop + 0.4
    else:
        s = 0.55 * pop
    if c.primary:
        s += 0.5
    if c.loose:
        s -= 0.8
    return s


class _Context:
    """What the document says about where it is: countries named, anchor points, region names."""

    def __init__(self, gaz: "Gazetteer") -> None:
        self.gaz = gaz
        self.countries: Any = Counter()         # country -> weight (floats added to counts)
        self.neighbours: set[str] = set()
        self.points: list[tuple[float, float, str]] = []
        self._point_ids: set[str] = set()
        self.region_keys: set[str] = set()
        self.soft: dict[str, float] = {}        # countries of every reading, weighted by its probability
        self.soft_total = 0.0
        self._trig: list[tuple[float, float, float, str]] = []   # per anchor: lat in radians, its cosine, lon, id
        self._near: dict[str, float | None] = {}                 # place id -> km to the nearest other anchor
        self._shares: dict[int, tuple[list, list[tuple[str, float]]]] = {}   # id(ranked) -> its country shares

    def vote(self, ranked: list[tuple[float, "Candidate"]]) -> None:
        """Spread one span's weight over its candidates' countries (softmax of first-pass scores)."""
        if not ranked:
            return
        shares = self._shares.get(id(ranked))
        if shares is None or shares[0] is not ranked:
            top = ranked[0][0]
            weights = [math.exp(max(-30.0, sc - top)) for sc, _ in ranked]
            total = sum(weights)
            shares = (ranked, [(c.place.country_code, w / total) for w, (_, c) in zip(weights, ranked)
                               if c.place.country_code])
            self._shares[id(ranked)] = shares
        soft = self.soft
        for cc, w in shares[1]:
            soft[cc] = soft.get(cc, 0) + w
        self.soft_total += 1.0

    def share(self, cc: str) -> float:
        return self.soft.get(cc, 0) / self.soft_total if self.soft_total else 0.0

    def add(self, place: Place, weight: float = 1.0) -> None:
        if place.country_code:
            self.countries[place.country_code] += weight
            self.neighbours.update(self.gaz.neighbours(place.country_code))
        if place.kind == "admin1":
            self.region_keys.add(name_key(place.name))
        elif place.kind not in _AREA_KINDS and place.id not in self._point_ids and len(self.points) < MAX_ANCHORS:
            self._point_ids.add(place.id)
            self.points.append((place.lat, place.lon, place.id))
            p2 = math.radians(place.lat)
            self._trig.append((p2, math.cos(p2), place.lon, place.id))
            self._near.clear()

    def nearest_km(self, place: Place) -> float | None:
        """Great-circle km from ``place`` to the nearest anchor that is not the place itself (None when no other
        anchor); memoised per place while the anchors stay the same. Same numbers as min(_km(...)): the
        haversine term is monotonic, so the minimum is taken on it and converted once."""
        pid = place.id
        if pid in self._near:
            return self._near[pid]
        p1 = math.radians(place.lat)
        c1, lon1 = math.cos(p1), place.lon
        best = None
        sin = math.sin
        for p2, c2, lon2, other in self._trig:
            if other == pid:
                continue
            a = sin((p2 - p1) / 2) ** 2 + c1 * c2 * sin(math.radians(lon2 - lon1) / 2) ** 2
            if best is None or a < best:
                best = a
        near = None if best is None else 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(best)))
        self._near[pid] = near
        return near


def _score(c: "Candidate", span: "Span", ctx: _Context | None, priors: dict[int, float] | None = None) -> float:
    if priors is None:
        s = prior(c)
    else:                   # per document, by candidate identity: each candidate is ranked without and with context
        known = priors.get(id(c))
        if known is None:
            s = priors[id(c)] = prior(c)
        else:
            s = known
    p = c.place
    if span.comma_next:
        if p.country_code and span.comma_next in _country_keys(ctx, p.country_code):
            s += 3.0
        elif p.admin1 and (name_key(p.admin1) == span.comma_next or loose_key(p.admin1) == loose_key(span.comma_next)):
            s += 3.5
        elif any(cp.country_code == p.country_code and (cp.kind == "country" or (
                cp.kind == "admin1" and p.admin1 and name_key(cp.name) == name_key(p.admin1)))
                for cp in span.comma_places):
            s += 3.5      # "SPRINGFIELD, Ill.", "Paris, Tex.": the region by an alias
    if ctx is None:
        return s
    cc = p.country_code
    if cc and p.kind == "country":
        if cc in ctx.countries or cc in ctx.neighbours:
            s += 1.0
    elif cc:
        if cc in ctx.countries:
            s += 1.0 + 0.1 * min(ctx.countries[cc], 5)
        elif cc in ctx.neighbours:
            s += 0.5
        s += 1.2 * (ctx.soft.get(cc, 0) / ctx.soft_total if ctx.soft_total else 0.0)    # ctx.share(cc), inlined
    if p.admin1 and p.kind != "admin1" and ctx.region_keys:
        region = name_key(p.admin1)
        if region in ctx.region_keys and region != span.key:
            s += 1.2          # in a region the story names (not the region's namesake capital: "Idlib province")
    if ctx.points and p.kind not in _AREA_KINDS:
        near = ctx.nearest_km(p)
        if near is not None:
            if near < 100:
                s += 1.0
            elif near < 400:
                s += 0.5
    return s


def _country_keys(ctx: _Context | None, cc: str) -> set[str]:
    gaz = ctx.gaz if ctx else None
    keys = {cc.lower()}
    if gaz is not None:
        place = gaz.country(cc)
        if place is not None:
            keys.add(name_key(place.name))
            keys.update(name_key(a) for a in place.aliases)
    return keys


def _state_namesake(span: "Span", country: Place) -> Place | None:
    """The first-level region of another country that shares a country's name (Georgia), or None."""
    for c in span.candidates:
        p = c.place
        if p.kind == "admin1" and p.country_code != country.country_code and c.primary:
            return p
    return None


def _rank(span: "Span", ctx: _Context | None,
          priors: dict[int, float] | None = None) -> list[tuple[float, "Candidate"]]:
    seen: dict[str, tuple[float, Candidate]] = {}
    region_feature = span.feature in _REGION_FEATURES
    region_pop: dict[str | None, int] | None = None    # built when first needed (see below)
    district_cc: set[str | None] = set()
    for c in span.candidates:
        p = c.place
        sc = _score(c, span, ctx, priors)
        if region_feature and p.kind in ("admin1", "admin2"):
            sc += 2.5   # "the Donetsk region", "Idlib province": the region, not its capital
        if p.source == "geonames" and p.population >= 100_000 and not span.feature:
            if region_pop is None:
                region_pop = {}         # country -> population of its first-level region of this name
                for o in span.candidates:
                    if o.place.kind == "admin1":
                        occ = o.place.country_code
                        region_pop[occ] = max(region_pop.get(occ, 0), o.place.population)
                biggest = max((o.place.population for o in span.candidates if o.place.source == "geonames"),
                              default=0)
                district_cc = {o.place.country_code for o in span.candidates if o.place.kind == "admin2"
                               and any(q.place.kind != "admin2" and q.place.population >= biggest
                                       and q.place.country_code == o.place.country_code for q in span.candidates)}
            cc = p.country_code
            if (cc in region_pop and (c.primary or p.population >= 0.1 * region_pop[cc])) or cc in district_cc:
                # a big city and its region share the name (Tehran, Washington, "New York"): news means the
                # city; by an alternate name only when the city is a real share of the region ("Bihar" is the
                # state of 12 million, not Bihar Sharif). A district of the same name counts only for the
                # largest namesake: where every municipality shares its town's name (Brazil, Mexico), that is
                # no evidence against a bigger Toledo elsewhere
                sc += 1.5
        if ctx is not None and p.kind == "admin1" and c.primary:
            rival = next((o.place for o in span.candidates if o.place.kind == "country"
                          and o.place.country_code != p.country_code), None)
            if (rival is not None and p.country_code in ctx.countries
                    and rival.country_code not in ctx.countries and rival.country_code not in ctx.neighbours):
                sc += 3.0   # the story's other places are in the region's country, none in or near the country
        old = seen.get(p.id)
        if old is None or sc > old[0]:
            seen[p.id] = (sc, c)
    return sorted(seen.values(), key=_minus_score)


def _minus_score(item: tuple[float, "Candidate"]) -> float:
    return -item[0]


def _confidence(ranked: list[tuple[float, "Candidate"]], memo: dict[int, tuple[list, float]] | None = None) -> float:
    """The top reading's softmax share scaled by match quality; ``memo`` (per document, by list identity) spares
    recomputing it for a ranking shared by several spans."""
    if memo is not None:
        hit = memo.get(id(ranked))
        if hit is not None and hit[0] is ranked:
            return hit[1]
        conf = _confidence(ranked)
        memo[id(ranked)] = (ranked, conf)
        return conf
    if not ranked:
        return 0.0
    top = ranked[0][0]
    z = sum(math.exp(min(50.0, sc - top)) for sc, _ in ranked) if len(ranked) > 1 else 1.0   # exp(0) == 1.0
    share = 1.0 / z
    c = ranked[0][1]
    quality = 0.75 if c.loose else 1.0
    base = min(1.0, 0.55 + 0.09 * max(0.0, top - 1.5))
    return round(max(0.01, min(0.99, share * quality * base)), 3)


SMALL_PLACE = 20_000
MAX_ANCHORS = 200               # anchor points kept per document (bounded work on very long texts)


def _supported(span: "Span", place: Place, ctx: _Context, ranked: list) -> bool:
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
            return True
        if ctx.countries:
            return False    # the story names its countries; a look-alike name elsewhere ("Kuriga" ~ Khouribga) is not it
        return place.population >= 100_000 and span.strong_context
    return in_doc or span.strong_context or bool(span.comma_next)


FOREIGN_NAMESAKE_MAX_POP = 50_000    # towns below this need the story's backing when their country is a minor one
FOREIGN_SHARE_RATIO = 0.5            # "minor": under half the share of the story's main country


def _unbacked_foreign_namesake(span: "Span", place: Place, ctx: _Context,
                               own: dict[str, float] | None = None) -> bool:
    """A town of a country the story hardly mentions, with nothing local to back it: "Heathrow" in a story
    about Britain has only a Florida village among our candidates. Placing it there would be worse than
    leaving it open (the geocoder fallback may place it online). ``own``: the country votes of this very
    name's mentions, which cannot back the name up themselves."""
    if place.source != "geonames" or place.kind in _AREA_KINDS or place.population >= FOREIGN_NAMESAKE_MAX_POP:
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


_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and|or)?|and|or|&)\s*", re.IGNORECASE)
_POPULATED = {"city", "town", "village"}


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
            if i in duals or not first[i] or spans[i].metonym or _confidence(first[i], conf_memo) < 0.6:
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
    ctx = _Context(gaz)
    memo: dict[tuple, list] = {}
    conf_memo: dict[int, tuple[list, float]] = {}
    priors: dict[int, float] = {}       # by id() of candidates the spans hold for the whole call
    for span in spans:
        if span.comma_next and not span.comma_places:
            span.comma_places = tuple(c.place for c in gaz.candidates(span.comma_next)
                                      if c.place.kind in ("country", "admin1"))

    def rank(span: "Span", c: _Context | None) -> list[tuple[float, "Candidate"]]:
        k = (span.key, span.comma_next, span.feature, span.loose, len(span.candidates), c is None)
        if k not in memo:
            memo[k] = _rank(span, c, priors)
        return memo[k]

    first = [rank(s, None) for s in spans]
    for span, ranked in zip(spans, first):
        if not ranked:
            continue
        ctx.vote(ranked)
        conf = _confidence(ranked, conf_memo)
        top = ranked[0][1].place
        if top.kind == "country" and _state_namesake(span, top):
            continue      # "Georgia": the country or the US state; the other names must decide, not itself
        if top.kind == "admin1" and not ranked[0][1].loose:
            ctx.region_keys.add(name_key(top.name))   # "Florida" backs Parkland, FL, even while it is unsure
        # only readings that need no support themselves feed the context (no small place backs itself up)
        if top.kind == "country" or top.source == "curated" or (
                top.kind == "admin1" and conf >= 0.5 and not ranked[0][1].loose) or (
                len(ranked) == 1 and not ranked[0][1].loose and span.strong_context) or (conf >= 0.8 and (
                top.source != "geonames" or top.population >= SMALL_PLACE) and not ranked[0][1].loose):
            ctx.add(top, 1.0 if not span.metonym else 0.5)
    # pass 2
    results: list[tuple[Span, list[tuple[float, Candidate]]]] = [(s, rank(s, ctx)) for s in spans]
    for i, kind in _list_kinds(spans, first, text, conf_memo).items():
        results[i] = (spans[i], _with_list_kind(results[i][1], kind))
    # one sense per document: the same name keeps its most confident reading
    best_by_key: dict[tuple[str, bool], tuple[float, Place]] = {}
    for span, ranked in results:
        if ranked:
            conf = _confidence(ranked, conf_memo)
            k = (span.key, span.feature in _REGION_FEATURES)   # "Idlib province" and "Idlib" may differ
            if k not in best_by_key or conf > best_by_key[k][0]:
                best_by_key[k] = (conf, ranked[0][1].place)
    own_votes: dict[str, dict[str, float]] = {}     # name key -> the country votes its own mentions cast
    for span, ranked in zip(spans, first):
        shares = ctx._shares.get(id(ranked)) if ranked else None
        if shares is not None:
            votes = own_votes.setdefault(span.key, {})
            for cc, w in shares[1]:
                votes[cc] = votes.get(cc, 0.0) + w
    out = []
    for span, ranked in results:
        if not ranked:
            out.append(Mention(span.start, span.end, span.text, metonym=span.metonym,
                               reason="; ".join(span.notes) or "no gazetteer candidate"))
            continue
        conf, place = best_by_key[(span.key, span.feature in _REGION_FEATURES)]
        if span.loose and not _supported(span, place, ctx, ranked):
            # a transliteration or near-miss match: take the best candidate the document supports, if any
            for _, c in ranked[1:]:
                if _supported(span, c.place, ctx, [(0.0, c)]):
                    place, conf = c.place, round(min(conf, 0.6), 3)
                    break
        if not _supported(span, place, ctx, [r for r in ranked if r[1].place.id == place.id] or ranked):
            if span.strong_context and not span.metonym:
                # "in eastern Ghouta": surely a place, but no candidate fits the document; leave it open
                out.append(Mention(span.start, span.end, span.text, metonym=False, confidence=0.0,
                                   reason=f"not in the gazetteer (nearest name: {place.name}, {place.country_code}, "
                                          "which the text does not support)"))
            continue
        if not span.metonym and _unbacked_foreign_namesake(span, place, ctx, own_votes.get(span.key)):
            out.append(Mention(span.start, span.end, span.text, metonym=False, confidence=0.0,
                               reason=f"only a small namesake elsewhere ({place.name}, {place.country_code}) "
                                      "that the story does not back up; left open"))
            continue
        loose = any(c.place.id == place.id and c.loose for _, c in ranked)
        out.append(Mention(
            start=span.start, end=span.end, text=span.text, name=place.name, lat=place.lat, lon=place.lon,
            country_code=place.country_code, kind=place.kind, source=place.id, confidence=conf,
            precision=acled_precision(place.kind, span.near), metonym=span.metonym, place_id=place.id,
            reason=("; ".join(span.notes) if span.notes else "transliteration match" if loose else "gazetteer") + (f"; {len(ranked)} candidates" if len(ranked) > 1 else ""),
        ))
    return out


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


def resolve_name(name: str, *, context_countries: Iterable[str] = (), gazetteer: "Gazetteer | None" = None) -> Place | None:
    """The best place for a bare name ("Tower 22", "near Abu Kamal", "the Al-Tanf garrison"), or None."""
    from ..gazetteer.index import default_gazetteer
    from .recognizer import Span

    gaz = gazetteer.open() if gazetteer is not None else default_gazetteer()
    words = name.strip().split()
    drop_front = {"near", "the", "in", "at", "outside", "around", "from", "of", "close", "to", "nearby"}
    while words and words[0].lower() in drop_front:
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
        cc = gaz.demonym(v) if " " not in key else None
        if cc and not gaz.candidates(key) and gaz.country(cc) is not None:
            return gaz.country(cc)      # "the Iraqi border", "Syrian territory"
        cands = gaz.candidates(key) or gaz.loose_candidates(key)
        if not cands:
            continue
        ctx = _Context(gaz)
        for cc in context_countries:
            country = gaz.country(cc)
            if country is not None:
                ctx.add(country)
        span = Span(0, len(v), v, key, tuple(cands))
        ranked = _rank(span, ctx)
        wanted = {cc.upper() for cc in context_countries}
        inside = [r for r in ranked if r[1].place.country_code in wanted]
        if inside:          # the caller knows the country: a candidate there wins
            return inside[0][1].place
        if ranked:
            return ranked[0][1].place
    return None


__all__ = ["geoparse", "resolve_name", "resolve_spans", "acled_precision", "prior"]

if __name__ == "geoinc.geoparser.resolve":     # the compiled twin replaces the names above (see geoinc/native.py)
    from ..native import adopt_twin
    NATIVE = adopt_twin(globals(), keep=("geoparse", "resolve_name", "acled_precision"))
