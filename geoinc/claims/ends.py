"""Placing a claim's ends: resolving its names (the geoparser's mentions first, then a name lookup), the place
the passage is about when the claim leaves an end out, and the boundary line a border phrase means.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .. import boundaries
from ..errors import InputError
from ..geodesy import inverse
from ..models import Mention, Place
from ..text import fold, name_key
from .phrases import End, claim_sentences, find_names
from .sentences import sentences_back


def has_point(m: Mention) -> bool:
    """``m.resolved``, read from the fields: on the pure :class:`~geoinc.models.Mention` the property is an
    interpreted call, which the compiled checker pays for on every mention it weighs."""
    return m.lat is not None and m.lon is not None


# kinds too broad to measure from as a point
BROAD_KINDS = {"country", "continent", "region", "admin1", "water"}


@dataclass(frozen=True, slots=True)
class Located:
    """A resolved end: a point with a name, or a country standing for its border."""

    name: str
    lat: float | None
    lon: float | None
    kind: str | None = None
    country_code: str | None = None
    implicit: bool = False
    population: int = 0
    admin1: str | None = None
    written: str | None = None        # the name as the text writes it ("Santiago"), for looking up namesakes

    def __init__(self, name: str, lat: float | None, lon: float | None, kind: str | None = None,
                 country_code: str | None = None, implicit: bool = False, population: int = 0,
                 admin1: str | None = None, written: str | None = None) -> None:
        """The fields in order: a written constructor is compiled (see the note above phrases.Name)."""
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "lat", lat)
        object.__setattr__(self, "lon", lon)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "country_code", country_code)
        object.__setattr__(self, "implicit", implicit)
        object.__setattr__(self, "population", population)
        object.__setattr__(self, "admin1", admin1)
        object.__setattr__(self, "written", written)

    @property
    def is_country(self) -> bool:
        return self.kind == "country"


def as_implicit(loc: Located) -> Located:
    """``replace(loc, implicit=True)`` by the compiled constructor (dataclasses.replace runs interpreted, ~4 µs)."""
    return Located(loc.name, loc.lat, loc.lon, loc.kind, loc.country_code, True, loc.population, loc.admin1,
                   loc.written)


# ---------------------------------------------------------------------------------------------------
# resolving ends

Resolver = Callable[[str], Sequence[Located]]


def located(obj: Any, name: str) -> Located | None:
    if obj is None:
        return None
    if isinstance(obj, Located):
        return obj
    if isinstance(obj, Place):
        return Located(obj.name, obj.lat, obj.lon, obj.kind, obj.country_code, population=obj.population,
                       admin1=obj.admin1, written=name)
    if isinstance(obj, Mention):
        return (Located(obj.name or obj.text, obj.lat, obj.lon, obj.kind, obj.country_code, written=obj.text)
                if has_point(obj) else None)
    if isinstance(obj, tuple) and len(obj) == 2 and all(isinstance(v, (int, float)) for v in obj):
        return Located(name, float(obj[0]), float(obj[1]), "other", None)
    lat, lon = getattr(obj, "lat", None), getattr(obj, "lon", None)
    if lat is not None and lon is not None:
        return Located(getattr(obj, "name", None) or name, lat, lon, getattr(obj, "kind", None),
                       getattr(obj, "country_code", None))
    return None


def _as_list(result: Any, name: str) -> list[Located]:
    if result is None:
        return []
    items = result if isinstance(result, (list, tuple)) and not (
        isinstance(result, tuple) and len(result) == 2 and all(isinstance(v, (int, float)) for v in result)) else [result]
    out = [located(r, name) for r in items]
    return [o for o in out if o is not None]


@functools.lru_cache(maxsize=1)
def _geoparser_resolve_name() -> Callable[..., Any] | None:
    """geoinc.geoparser.resolve.resolve_name, or None when the geoparser is not installed (imported once: an
    import statement in a function costs microseconds per call)."""
    try:
        from ..geoparser.resolve import resolve_name
    except ModuleNotFoundError as err:
        if err.name != "geoinc.geoparser.resolve":
            raise
        return None
    return resolve_name


def make_resolver(gazetteer: Any = None, context_countries: Iterable[str | None] = ()) -> Resolver:
    """A name -> candidate places function from: None or a Gazetteer (geoinc.geoparser.resolve.resolve_name, ranked
    with the article's countries as context, read when the first name is looked up: most articles look up none),
    a mapping of names to places, or a callable."""
    if gazetteer is None or hasattr(gazetteer, "candidates"):
        resolve_name = _geoparser_resolve_name()
        if resolve_name is None:  # the geoparser not installed: a plain gazetteer lookup
            from ..gazetteer.index import default_gazetteer

            gaz = gazetteer or default_gazetteer()
            return lambda name: _as_list(gaz.lookup(name)[:10], name)
        ctx: list[tuple[str, ...]] = []

        def resolve(name: str) -> list[Located]:
            if not ctx:
                ctx.append(tuple(dict.fromkeys(c for c in context_countries if c)))
            return _as_list(resolve_name(name, context_countries=ctx[0], gazetteer=gazetteer), name)

        return resolve
    if hasattr(gazetteer, "lookup"):
        return lambda name: _as_list(gazetteer.lookup(name)[:10], name)
    if isinstance(gazetteer, Mapping):
        folded = {_key(k): v for k, v in gazetteer.items()}
        return lambda name: _as_list(folded.get(_key(name)), name)
    if callable(gazetteer):
        return lambda name: _as_list(gazetteer(name), name)
    raise InputError(f"gazetteer must be a Gazetteer, a mapping of names to places or a callable, not {type(gazetteer).__name__}")


@functools.lru_cache(maxsize=1)
def _name_leading_words() -> frozenset[str]:
    """geoinc.geoparser.resolve.NAME_LEADING_WORDS, imported once (an import statement in make_point_test cost
    ~1 µs an article; make_point_test is only built with the geoparser installed)."""
    from ..geoparser.resolve import NAME_LEADING_WORDS

    return NAME_LEADING_WORDS


@functools.lru_cache(maxsize=20_000)
def _lookup_key(word: str) -> str:
    """geoinc.text.name_key of a word, once per word (the gazetteer's candidate cache is keyed by it)."""
    return name_key(word)


def make_point_test(gazetteer: Any = None, context_countries: Iterable[str | None] = ()) -> Callable[[str], bool] | None:
    """For the resolver :func:`make_resolver` builds on the gazetteer (None: the default one) with these context
    countries: a test of whether looking a name up *can* give a place more specific than a country or region
    ("Syria": never). The look-up (``resolve_name``) ranks a name's candidates with the article's countries (~10 µs
    a name) and answers the best one in those countries when there is one, else the best of all: when every
    candidate it can answer is broad, so is its answer. Reading the candidates hits the gazetteer's own per-name
    cache. Conservative: True for a name of several words and whenever unsure. None for other resolvers (mappings,
    callables, a gazetteer without ``candidates``)."""
    if gazetteer is not None and not hasattr(gazetteer, "candidates"):
        return None
    if _geoparser_resolve_name() is None:
        return None
    state: dict[str, Any] = {}

    def may_be_point(name: str) -> bool:
        words = name.split()
        if len(words) != 1 or words[0].lower() in _name_leading_words():   # (those are not tested below)
            return True
        key = _lookup_key(words[0])
        if not key:
            return True
        gaz = state.get("gaz")
        if gaz is None:                        # set up when first asked (most articles never ask)
            from ..gazetteer.index import default_gazetteer

            gaz = state["gaz"] = gazetteer.open() if gazetteer is not None else default_gazetteer()
            state["wanted"] = frozenset(c.upper() for c in context_countries if c)   # (read once, when first asked)
        wanted = state["wanted"]
        # resolve_name answers among these (or the country a demonym names when there are none)
        cands = gaz.candidates(key) or gaz.loose_candidates(key)
        inside = [c for c in cands if c.place.country_code in wanted]
        return any((c.place.kind or "other") not in BROAD_KINDS for c in (inside or cands))

    return may_be_point


def make_alternatives(gazetteer: Any, resolve: Resolver) -> Resolver:
    """A name -> every place of that name, for choosing namesakes: the gazetteer's look-up when there is a
    gazetteer (the default one when None), else the resolver itself (a mapping or callable)."""
    if gazetteer is not None and not (hasattr(gazetteer, "candidates") or hasattr(gazetteer, "lookup")):
        return resolve
    state: dict[str, Any] = {}

    def lookup(name: str) -> Sequence[Located]:
        if "gaz" not in state:
            if gazetteer is not None and hasattr(gazetteer, "lookup") and not hasattr(gazetteer, "open"):
                state["gaz"] = gazetteer
            elif gazetteer is not None:
                state["gaz"] = gazetteer.open()
            else:
                from ..gazetteer.index import default_gazetteer

                state["gaz"] = default_gazetteer()
        return _as_list(state["gaz"].lookup(name)[:40], name)

    return lookup


def _key(name: str) -> str:
    return fold(name, apostrophes=True).replace("-", " ").replace("'", "").strip()


@dataclass(frozen=True, slots=True)
class EndResult:
    place: Located | None = None
    problem: str | None = None        # why it could not be resolved

    def __init__(self, place: Located | None = None, problem: str | None = None) -> None:
        """The fields in order: a written constructor is compiled (see the note above phrases.Name)."""
        object.__setattr__(self, "place", place)
        object.__setattr__(self, "problem", problem)


def pick_candidate(cands: Sequence[Located], near: Located | None) -> Located | None:
    """The candidate to use: specific before broad, then nearest to the other end when known."""
    pts = [c for c in cands if c.lat is not None]
    if not pts:
        return None
    specific = [c for c in pts if (c.kind or "other") not in BROAD_KINDS] or pts
    if near is not None and near.lat is not None and len(specific) > 1:
        return min(specific, key=lambda c: inverse(near.lat, near.lon, c.lat, c.lon)[0])  # type: ignore[arg-type]
    return specific[0]


def resolve_end(end: End, mentions: Sequence[Mention], resolve: Resolver, near: Located | None = None,
                may_be_point: Callable[[str], bool] | None = None) -> EndResult:
    """The place an end names: a resolved mention inside it (specific kinds first), else a looked-up name.
    ``may_be_point``: :func:`make_point_test` of the resolver, when known (skips look-ups that cannot matter)."""
    inside = [m for m in mentions if m.start >= end.start and m.end <= end.end and has_point(m)
              and not (end.border and m.start >= end.border.start and m.end <= end.border.end)]
    specific = [m for m in inside if (m.kind or "other") not in BROAD_KINDS]
    for m in specific:
        loc = located(m, m.text)
        if loc is not None:
            return EndResult(loc)
    # only a country or region here: a further name the subject rules offered may be the specific place
    others = tuple(n for n in end.names if not any(m.start <= n.start < m.end for m in inside))
    if inside and others:
        # a further name the geoparser placed, at those very words, as a country or region ("Iran, Syria, Iraq and
        # Jordan, near the border"): it read that occurrence in the whole story, so no look-up is made for it
        others = tuple(n for n in others if not placed_broad(n.start, n.end, mentions))
    if inside and others and may_be_point is not None:
        # only a specific place found among them is used: names that can only give a country or region are not
        # looked up (the first specific one in order is the same)
        others = tuple(n for n in others if may_be_point(n.text))
    if inside and others:
        res = _resolve_names(End(end.start, end.end, end.text, others, end.border), inside, resolve, near)
        if res.place is not None and (res.place.kind or "other") not in BROAD_KINDS:
            return res
    for m in inside:
        loc = located(m, m.text)
        if loc is not None:
            return EndResult(loc)
    return _resolve_names(end, inside, resolve, near)


def placed_broad(start: int, end: int, mentions: Sequence[Mention]) -> bool:
    """Whether a resolved mention spans exactly text[start:end] and is a country or region (kinds of
    :data:`BROAD_KINDS`)."""
    for m in mentions:
        if m.start == start and m.end == end:
            return has_point(m) and (m.kind or "other") in BROAD_KINDS
    return False


# words after a name that say what it is and are not part of it for a look-up ("Yarmouk University", "Zaatari Camp")
_KIND_WORD = re.compile(r"\s+(?:township|university|airport|airbase|district|county|municipality|village|town|city)$", re.I)


def _lookup(resolve: Resolver, name: str) -> Sequence[Located]:
    found = resolve(name)
    if not found and _KIND_WORD.search(name):
        found = resolve(_KIND_WORD.sub("", name))
    return [f if f.written == name else replace(f, written=name) for f in found]   # most are written so already


def _resolve_names(end: End, inside: Sequence[Mention], resolve: Resolver, near: Located | None) -> EndResult:
    tried: list[str] = []
    found: list[Located] = []
    for name in end.names:
        if any(m.start <= name.start < m.end for m in inside):
            continue
        best = pick_candidate(_lookup(resolve, name.text), near)
        if best is None and _common_word(name.text):
            continue  # "Testing of water …", "More than …": a capitalised English word, not a place name
        tried.append(name.text)
        if best is not None:
            found.append(best if best.name else replace(best, name=name.text))
            if not best.is_country and (best.kind or "other") not in BROAD_KINDS:
                return EndResult(found[-1])
    if found:
        return EndResult(found[0])
    if tried:
        return EndResult(problem="unresolved place " + ", ".join(repr(t) for t in tried))
    return EndResult()  # nothing named: the end is implicit


# words this common in English (Zipf scale) are not taken for place names when no gazetteer knows them
COMMON_WORD_ZIPF = 3.5


@functools.lru_cache(maxsize=1)
def _zipf() -> Callable[[str], float] | None:
    try:
        from ..gazetteer.index import default_gazetteer
    except ModuleNotFoundError:
        return None
    return default_gazetteer().word_zipf


def _common_word(name: str) -> bool:
    """True for a one-word name that is a common English word ("Testing", "Guards", "More")."""
    if " " in name.strip():
        return False
    zipf = _zipf()
    return zipf is not None and zipf(name.strip("'’‘")) >= COMMON_WORD_ZIPF


def _windows(back: Iterator[tuple[int, int]], before: int, fronted_end: int | None) -> Iterator[tuple[int, int]]:
    """The stretches :func:`passage_place` reads, in order: the rest of a fronted claim's sentence, then the
    claim's sentence and the three before it (each up to ``before``), taken from ``back`` as they are read.
    Empty stretches are left out (no mention or name lies in one): most often the claim's own sentence, when
    the claim opens it ("The border is 10 km away")."""
    first = next(back, None)
    if first is None:
        return
    if fronted_end is not None and fronted_end < first[1]:
        yield fronted_end, first[1]
    end = min(first[1], before)
    if first[0] < end:
        yield first[0], end
    for _, (s_start, s_end) in zip(range(3), back):
        end = min(s_end, before)
        if s_start < end:
            yield s_start, end


def passage_place(text: str, mentions: Sequence[Mention], before: int, exclude: Located | None,
                   resolve: Resolver | None = None, fronted_end: int | None = None) -> Located | None:
    """The place the passage is about: the first specific, literal place of the claim's sentence (before
    the claim), else of the nearest of the three previous sentences — a sentence's first place is usually
    its topic ("Kramatorsk, in …, lies …") — with names looked up when the mentions have none there;
    else the article's most mentioned specific place. A claim fronted in its sentence ("Only 10 km
    from the border, Tower 22 …", ``fronted_end`` = the claim's end) is about the rest of the sentence."""
    def ok_mention(m: Mention) -> bool:
        if not has_point(m) or m.metonym or (m.kind or "other") in BROAD_KINDS:
            return False
        return exclude is None or (m.name or m.text) != exclude.name

    back = sentences_back(text, before)              # split only as far back as the windows are read
    if back is None:
        spans = claim_sentences(text)
        idx = next((i for i, (s, e) in enumerate(spans) if s <= before < max(e, s + 1)), len(spans) - 1)
        back = iter([spans[k] for k in range(idx, -1, -1)])
    covered: list[tuple[int, int]] | None = None      # the mentions' spans, made when a name is first read
    for s_start, s_end in _windows(back, before, fronted_end):
        good = next((m for m in mentions if s_start <= m.start and m.end <= s_end and ok_mention(m)), None)
        if good is not None:
            loc = located(good, good.text)
            if loc is not None:
                return as_implicit(loc)
        if resolve is not None:
            if covered is None:
                covered = [(m.start, m.end) for m in mentions]
            for name in find_names(text, s_start, s_end):
                if any(a <= name.start < b for a, b in covered):
                    continue
                best = pick_candidate(resolve(name.text), None)
                if (best is not None and (best.kind or "other") not in BROAD_KINDS
                        and (exclude is None or best.name != exclude.name)):
                    return as_implicit(best)
    counts: dict[str, tuple[int, Mention]] = {}
    for m in mentions:
        if ok_mention(m):
            key = m.place_id or m.name or m.text
            n, first = counts.get(key, (0, m))
            counts[key] = (n + 1, first)
    if counts:
        top = max(counts.values(), key=lambda v: (v[0], -v[1].start))[1]
        loc = located(top, top.text)
        return as_implicit(loc) if loc else None
    return None


# ---------------------------------------------------------------------------------------------------
# borders


@dataclass(frozen=True, slots=True)
class BorderChoice:
    line: boundaries.BorderLine | None
    name: str
    problem: str | None = None

    def __init__(self, line: boundaries.BorderLine | None, name: str, problem: str | None = None) -> None:
        """The fields in order: a written constructor is compiled (see the note above phrases.Name)."""
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "problem", problem)


def _country3(ref: str) -> tuple[str | None, str]:
    """(ISO3, name) of a country reference; "Russia's Belgorod Oblast" is Russia's."""
    c = boundaries.find_country(ref)
    if c is None and re.search(r"['’]s\b", ref):
        c = boundaries.find_country(re.split(r"['’]s\b", ref)[0])
    if c is None:
        cc = _gazetteer_demonym(ref)            # "the Rwandan border": demonyms beyond the checker's own table
        c = boundaries.find_country(cc) if cc else None
    return (c.iso3, c.name) if c else (None, ref)


@functools.lru_cache(maxsize=1024)
def _gazetteer_demonym(word: str) -> str | None:
    """ISO2 of the country a demonym names, from the gazetteer's demonym table (None without a gazetteer)."""
    try:
        from ..gazetteer.index import default_gazetteer
    except ModuleNotFoundError:          # pragma: no cover - the gazetteer is part of the package
        return None
    return default_gazetteer().demonym(word)


def choose_border(countries: Sequence[str], anchor_lat: float, anchor_lon: float) -> BorderChoice:
    """The boundary line a border reference means, seen from the anchor point (see the module doc)."""
    codes: list[tuple[str, str]] = []
    for ref in countries:
        code, name = _country3(ref)
        if code is None:
            return BorderChoice(None, f"{ref} border", f"no boundary data for {ref!r} (not a country in Natural Earth 1:10m)")
        codes.append((code, name))
    here = boundaries.country_at(anchor_lat, anchor_lon)
    if not codes:
        if here is None:
            return BorderChoice(None, "border", "the border is not named and the anchor lies in no country")
        line = boundaries.land_borders_line(here.iso3)
        if line.is_empty:
            return BorderChoice(None, "border", f"{here.name} has no land border in Natural Earth 1:10m")
        return BorderChoice(line, f"{here.name} border")
    if len(codes) >= 2:
        (a, an), (b, bn) = codes[:2]
        line = boundaries.border_line(a, b)
        if line.is_empty:
            return BorderChoice(None, f"{an}–{bn} border", f"{an} and {bn} share no land border in Natural Earth 1:10m")
        return BorderChoice(line, line.label)
    b, bn = codes[0]
    if here is not None and here.iso3 == b:
        line = boundaries.land_borders_line(b)
        return BorderChoice(line if not line.is_empty else boundaries.border_line(b), f"{bn} border")
    if here is not None:
        shared = boundaries.border_line(here.iso3, b)
        if not shared.is_empty:
            return BorderChoice(shared, f"{bn} border")
    return BorderChoice(boundaries.border_line(b), f"{bn} border")


__all__ = ["BROAD_KINDS", "Located", "Resolver", "located", "make_resolver", "make_point_test", "make_alternatives", "EndResult", "pick_candidate", "resolve_end",
           "passage_place", "BorderChoice", "choose_border", "has_point"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.claims.ends":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
