"""Scoring place candidates: the context-free prior, the document context (countries, regions, anchor
points) and the ranking and confidence of one span's candidates. Used by :mod:`.resolve`."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final

from ..models import Place
from ..text import loose_key, name_key

if TYPE_CHECKING:
    from ..gazetteer.index import Candidate, Gazetteer
    from .tokens import Span

REGION_FEATURES: Final = frozenset({"region", "regions", "province", "provinces", "governorate", "oblast", "district", "county",
                    "state", "prefecture", "department", "countryside", "governorates", "oblasts", "districts",
                    "prefectures"})
AREA_KINDS: Final = frozenset({"country", "admin1", "region", "water", "continent"})
SMALL_PLACE: Final = 20_000
REGION_BONUS: Final = 2.5              # a candidate in a first-level region the story names
AUTHORITY_BONUS: Final = 3.0
QUALIFIER_BONUS: Final = 2.0           # a name given as another place's container reads as a region
QUALIFIER_KINDS: Final = frozenset({"country", "admin1", "admin2"})
LOCAL_KM: Final = 100.0                # a town lies "in" a county or city container within this distance of its point
NAMESAKE_PENALTY: Final = 1.5          # a small namesake of a word that is a place by its famous reading
EXONYM_PENALTY: Final = 0.5            # an alternate name of a place abroad against a town bearing the name itself
TOWN_WORD_PENALTY: Final = 2.5         # a first-level region read for a name followed by "city"/"town"
MAX_ANCHORS: Final = 200               # anchor points kept per document (bounded work on very long texts)
RADIANS: Final = math.pi / 180.0       # degrees to radians: the factor math.radians multiplies by


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (ranking only; geodesic distances for users live in geoinc.claims.measure)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def prior(c: "Candidate") -> float:
    """Context-free score of a candidate: source, kind, population, name match quality."""
    p = c.place
    source, kind = p.source, p.kind     # read once (each read of a Place field is a generic attribute look-up)
    pop = math.log10(max(p.population, 0) + 10)
    if source == "curated":
        s = 5.5
    elif source == "learned" or source == "geocoder":
        s = 3.5
    elif kind == "country":
        s = 6.5
    elif kind == "continent":
        s = 4.6
    elif kind in ("region", "water") and source != "geonames":
        s = 5.0     # macro-regions and seas: "the Middle East" beats Middle East, Maryland
    elif kind == "admin2":
        s = 0.55 * pop - 0.4
    elif source == "admin1":
        s = 0.55 * pop + 0.4
    else:
        s = 0.55 * pop
    if c.primary:
        s += 0.5
    if c.loose:
        s -= 0.8
    return s


class Context:
    """What the document says about where it is: countries named, anchor points, region names."""

    def __init__(self, gaz: "Gazetteer") -> None:
        self.gaz = gaz
        self.countries: dict[str, float] = {}   # country -> weight (a plain dict: compiled lookups)
        self.neighbours: set[str] = set()
        self.points: list[tuple[float, float, str]] = []
        self._point_ids: set[str] = set()
        self.region_keys: set[str] = set()
        self.soft: dict[str, float] = {}        # countries of every reading, weighted by its probability
        self.soft_total = 0.0
        self.own: dict[str, float] = {}         # the votes of the name being ranked (see exclude_own)
        self.own_n = 0.0
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

    def exclude_own(self, votes: dict[str, float] | None, n: float) -> None:
        """Rank the next name without its own votes: "Workers rallied in Athens" — ten US namesakes of
        Athens must not outvote the Greek capital; only the story's other names count as its context."""
        self.own = votes or {}
        self.own_n = n

    def share(self, cc: str) -> float:
        return self.soft.get(cc, 0) / self.soft_total if self.soft_total else 0.0

    def add(self, place: Place, weight: float = 1.0) -> None:
        if place.country_code:
            self.countries[place.country_code] = self.countries.get(place.country_code, 0.0) + weight
            self.neighbours.update(self.gaz.neighbours(place.country_code))
        if place.kind == "admin1":
            self.region_keys.add(name_key(place.name))
        elif place.kind not in AREA_KINDS and place.id not in self._point_ids and len(self.points) < MAX_ANCHORS:
            self._point_ids.add(place.id)
            self.points.append((place.lat, place.lon, place.id))
            p2 = place.lat * RADIANS
            self._trig.append((p2, math.cos(p2), place.lon, place.id))
            self._near.clear()

    def nearest_km(self, place: Place) -> float | None:
        """Great-circle km from ``place`` to the nearest anchor that is not the place itself (None when no other
        anchor); memoised per place while the anchors stay the same. Same numbers as min(km(...)): the
        haversine term is monotonic, so the minimum is taken on it and converted once."""
        pid = place.id
        if pid in self._near:
            return self._near[pid]
        # math.sin/cos/pow called by name (compiled: C calls on unboxed floats); x * RADIANS is math.radians(x)
        # and math.pow(x, 2.0) is x ** 2, to the bit
        p1 = place.lat * RADIANS
        c1, lon1 = math.cos(p1), place.lon
        best = -1.0     # no anchor yet (a haversine term is >= 0)
        for p2, c2, lon2, other in self._trig:
            if other == pid:
                continue
            a = (math.pow(math.sin((p2 - p1) / 2), 2.0)
                 + c1 * c2 * math.pow(math.sin((lon2 - lon1) * RADIANS / 2), 2.0))
            if best < 0.0 or a < best:
                best = a
        near = None if best < 0.0 else 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(best)))
        self._near[pid] = near
        return near


def score(c: "Candidate", span: "Span", ctx: Context | None, priors: dict[int, float] | None = None) -> float:
    if priors is None:
        s = prior(c)
    else:                   # per document, by candidate identity: each candidate is ranked without and with context
        known = priors.get(id(c))
        if known is None:
            s = priors[id(c)] = prior(c)
        else:
            s = known
    p = c.place
    kind = p.kind
    if span.comma_next:
        if p.country_code and span.comma_next in country_keys(ctx, p.country_code):
            s += 3.0
        elif p.admin1 and (name_key(p.admin1) == span.comma_next or loose_key(p.admin1) == loose_key(span.comma_next)):
            s += 3.5
        elif any(cp.country_code == p.country_code and (cp.kind == "country" or (
                cp.kind == "admin1" and p.admin1 and name_key(cp.name) == name_key(p.admin1)))
                for cp in span.comma_places):
            s += 3.5      # "SPRINGFIELD, Ill.", "Paris, Tex.": the region by an alias
    if span.container_places:
        s += container_bonus(p, span.container_places)
    if span.qualifier and kind in QUALIFIER_KINDS:
        s += QUALIFIER_BONUS      # "a town in Delaware County, New York": the state, not New York City
    if span.authority and kind == "admin1" and not c.primary:
        s += AUTHORITY_BONUS      # "officials in Gaza": the Gaza Strip (a short name of the territory)
    if span.namesakes and p.id in span.namesakes:
        s -= NAMESAKE_PENALTY     # "Paris" in a US story is France unless the region or a qualifier says Idaho
    if ctx is None:
        return s
    cc = p.country_code
    if cc and kind == "country":
        if cc in ctx.countries or cc in ctx.neighbours:
            s += 1.0
    elif cc:
        if cc in ctx.countries:
            s += 1.0 + 0.1 * min(ctx.countries[cc], 5)
        elif cc in ctx.neighbours:
            s += 0.5
        others = ctx.soft_total - ctx.own_n      # the votes of the other names (not this one's namesakes)
        if others > 1e-9:
            s += 1.2 * max(0.0, ctx.soft.get(cc, 0) - ctx.own.get(cc, 0.0)) / others
    admin1 = p.admin1
    if admin1 and kind != "admin1" and ctx.region_keys:
        region = name_key(admin1)
        if region in ctx.region_keys and region != span.key and not any(
                o.place.kind == "admin1" and name_key(o.place.name) == region for o in span.candidates):
            s += REGION_BONUS     # in a region the story names (not the region's namesake capital: "Idlib province")
    if ctx.points and kind not in AREA_KINDS:
        near = ctx.nearest_km(p)
        if near is not None:
            if near < 100:
                s += 1.0
            elif near < 400:
                s += 0.5
    return s


def lies_in(place: Place, cp: Place) -> bool:
    """Does ``place`` lie in the container ``cp``: its country, its first-level region by name, or a county or
    town within LOCAL_KM of it?"""
    if cp.id == place.id or cp.country_code != place.country_code:
        return False
    if cp.kind == "country":
        return True
    if cp.kind == "admin1":
        return bool(place.admin1) and name_key(cp.name) == name_key(place.admin1 or "")
    if cp.kind == "admin2" and cp.admin1 and place.admin1 and cp.admin1 != place.admin1:
        return False        # across a state line: Oxford, Connecticut is not in Orange County, New York
    return km(cp.lat, cp.lon, place.lat, place.lon) <= LOCAL_KM


def container_bonus(place: Place, containers: tuple[tuple[Place, ...], ...]) -> float:
    """Score for lying in the containers the text names: per container, its country (1.5), its first-level
    region (3.0), or a county or town within LOCAL_KM of it (2.5)."""
    total = 0.0
    for places in containers:
        best = 0.0
        for cp in places:
            if not lies_in(place, cp):
                continue
            best = max(best, 1.5 if cp.kind == "country" else 3.0 if cp.kind == "admin1" else 2.5)
        total += best
    return total


# how precisely a container kind places what lies in it (higher: smaller), for the innermost container
CONTAINER_RANK: Final = {"admin2": 3, "city": 2, "town": 2, "village": 2, "admin1": 1}


def container_point(containers: tuple[tuple[Place, ...], ...]) -> Place | None:
    """The innermost place among the containers a text names, backed by the others: "Arlington is a former town
    in Phelps County, Missouri, United States" -> Phelps County (the county in Missouri, not another state's).
    A reading counts when another container contains it (same country; the first-level region when one is
    named), or when it is the only container and a county or region ("Lemay, Missouri"); a town alone may be a
    list mate ("Copenhagen, Hamburg and Mannheim"). None when nothing finer than a country qualifies."""
    best: tuple[int, int, int] | None = None
    found: Place | None = None
    for i, places in enumerate(containers):
        for p in places:
            rank = CONTAINER_RANK.get(p.kind, 0)
            if not rank or p.source == "curated":
                continue
            agree = 0
            for j, others in enumerate(containers):
                if j != i and others:
                    if any(lies_in(p, q) for q in others):
                        agree += 1
                    elif all(q.country_code != p.country_code for q in others):
                        agree -= 1
            if agree < 0 or (agree == 0 and (len(containers) > 1 or p.kind not in ("admin1", "admin2"))):
                continue
            key = (agree, rank, -i)
            if best is None or key > best:
                best, found = key, p
    return found


def country_keys(ctx: Context | None, cc: str) -> set[str]:
    gaz = ctx.gaz if ctx else None
    keys = {cc.lower()}
    if gaz is not None:
        place = gaz.country(cc)
        if place is not None:
            keys.add(name_key(place.name))
            keys.update(name_key(a) for a in place.aliases)
    return keys


def state_namesake(span: "Span", country: Place) -> Place | None:
    """The first-level region of another country that shares a country's name (Georgia), or None."""
    for c in span.candidates:
        p = c.place
        if p.kind == "admin1" and p.country_code != country.country_code and c.primary:
            return p
    return None


def rank_candidates(span: "Span", ctx: Context | None,
          priors: dict[int, float] | None = None) -> list[tuple[float, "Candidate"]]:
    seen: dict[str, tuple[float, Candidate]] = {}
    region_feature = span.feature in REGION_FEATURES
    region_pop: dict[str | None, int] | None = None    # built when first needed (see below)
    own_name_cc = own_name_countries(span)
    district_cc: set[str | None] = set()
    for c in span.candidates:
        p = c.place
        kind, source, primary = p.kind, p.source, c.primary     # read once each (generic attribute look-ups)
        sc = score(c, span, ctx, priors)
        if region_feature and kind in ("admin1", "admin2"):
            sc += 2.5   # "the Donetsk region", "Idlib province": the region, not its capital
        elif span.town_word and kind == "admin1":
            sc -= TOWN_WORD_PENALTY   # "Amara city": the town, not a region the name spells
        if source == "geonames" and p.population >= 100_000 and not span.feature:
            if region_pop is None:
                region_pop = {}         # country -> population of its first-level region of this name
                biggest = 0             # the largest GeoNames namesake
                districts: list[Place] = []
                for o in span.candidates:       # one pass, each Place field read once
                    op = o.place
                    okind = op.kind
                    if okind == "admin1":
                        occ = op.country_code
                        region_pop[occ] = max(region_pop.get(occ, 0), op.population)
                    elif okind == "admin2":
                        districts.append(op)
                    if op.source == "geonames":
                        biggest = max(biggest, op.population)
                district_cc = {d.country_code for d in districts
                               if any(q.place.kind != "admin2" and q.place.population >= biggest
                                      and q.place.country_code == d.country_code for q in span.candidates)}
            cc = p.country_code
            if (cc in region_pop and (primary or p.population >= 0.1 * region_pop[cc])) or cc in district_cc:
                # a big city and its region share the name (Tehran, Washington, "New York"): news means the
                # city; by an alternate name only when the city is a real share of the region ("Bihar" is the
                # state of 12 million, not Bihar Sharif). A district of the same name counts only for the
                # largest namesake: where every municipality shares its town's name (Brazil, Mexico), that is
                # no evidence against a bigger Toledo elsewhere
                sc += 1.5
        if own_name_cc and not primary and source == "geonames" and p.country_code not in own_name_cc:
            sc -= EXONYM_PENALTY    # "protests in Valence": the French town of that name, not Valencia's exonym
        if ctx is not None and kind == "admin1" and primary:
            rival = next((o.place for o in span.candidates if o.place.kind == "country"
                          and o.place.country_code != p.country_code), None)
            if (rival is not None and p.country_code in ctx.countries
                    and rival.country_code not in ctx.countries and rival.country_code not in ctx.neighbours):
                sc += 3.0   # the story's other places are in the region's country, none in or near the country
        old = seen.get(p.id)
        if old is None or sc > old[0]:
            seen[p.id] = (sc, c)
    return sorted(seen.values(), key=minus_score)


def own_name_countries(span: "Span") -> set[str | None]:
    """Countries with a town of SMALL_PLACE or more whose own (primary) name is the span's name: there, an
    alternate name of a place elsewhere (often a foreign exonym: "Valence" for Valencia, "Vienne" for
    Vienna) is a weaker reading than the town that bears the name itself."""
    out: set[str | None] = set()
    for c in span.candidates:
        if c.primary and not c.loose:
            p = c.place
            if p.source == "geonames" and p.population >= SMALL_PLACE:
                out.add(p.country_code)
    return out


def minus_score(item: tuple[float, "Candidate"]) -> float:
    return -item[0]


def confidence(ranked: list[tuple[float, "Candidate"]], memo: dict[int, tuple[list, float]] | None = None) -> float:
    """The top reading's softmax share scaled by match quality; ``memo`` (per document, by list identity) spares
    recomputing it for a ranking shared by several spans."""
    if memo is not None:
        hit = memo.get(id(ranked))
        if hit is not None and hit[0] is ranked:
            return hit[1]
        conf = confidence(ranked)
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


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources.
if __name__ == "geoinc.geoparser.scoring":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
