"""Whether a gazetteer match is a place mention here: an ordered list of small named rules.

:func:`judge` builds a :class:`Match` (the span's tokens and the context around it) and runs
:data:`MATCH_RULES` in order; each rule returns :data:`GO` (no decision: next rule), :data:`REJECT` (not a
place) or :data:`ACCEPT` (``m.span`` is the answer). Rules may narrow the match as they go (the candidates,
the neighbours inside the chunk, the feature word). When no rule decided, the span is built and
:data:`SPAN_RULES` annotate it (near, feature, qualifier, reading) or still drop or replace it.
The order is part of the behaviour: each rule's docstring gives the phrase it is for.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Final

from ..text import name_key
from .lexicon import (ADMIN_WORDS, AP_KEYS, AP_STANDALONE, APOSTROPHES, AUTHORITY_WORDS, PRODUCT_CUES, CONNECTORS, DIRECTIONS, FACILITY_WORDS, FEATURE_WORDS,
                      FUNCTION_WORDS, GROUP_WORDS, LOCATIVE, MONTHS_DAYS, NAME_PARTICLES, NATURAL_WORDS, NEAR_WORDS, WEEKDAYS,
                      NON_PLACES, ORG_WORDS, STREET_WORDS, TITLES)
from .lookup import candidates as gaz_candidates, is_given_name as gaz_is_given_name, demonym as gaz_demonym
from .qualifiers import defining_word
from .tokens import Span, Token, _after_listed_locative, _never_alone

if TYPE_CHECKING:
    from ..gazetteer.index import Candidate
    from .recognizer import Recognizer

try:        # see tokens.py
    from mypy_extensions import mypyc_attr
except ImportError:
    from .tokens import mypyc_attr  # type: ignore[no-redef]

GO: Final = 0          # no decision: the next rule runs
REJECT: Final = 1      # not a place mention
ACCEPT: Final = 2      # decided: ``Match.span`` is the mention

_AREA_AFTER: Final = frozenset({"area", "areas", "region", "regions", "sector", "sectors", "countryside", "outskirts",
                                "surroundings", "governorate", "province", "district", "border", "state", "oblast",
                                "prefecture", "governorates", "provinces", "districts", "oblasts", "prefectures"})
_SITE_PREFIXES: Final = frozenset({"camp", "fort", "mount", "mt", "lake", "cape", "port"})
_NAMED_AFTER_ADMIN: Final = frozenset({"county", "township", "borough", "parish", "municipality"})


@mypyc_attr(acyclic=True)     # a short-lived view of tokens and candidates: never a cycle back to it
class Match:
    """A gazetteer match at tokens [i, j) of the chunk [ci, cj), with the tokens around it."""

    def __init__(self, text: str, tokens: list[Token], ci: int, cj: int, i: int, j: int, raw: str, key: str,
                 cands: tuple["Candidate", ...], loose: bool, surnames: set[str]) -> None:
        self.text = text
        self.tokens = tokens
        self.ci, self.cj, self.i, self.j = ci, cj, i, j
        self.raw = raw
        self.key = key
        self.cands = cands
        self.loose = loose
        self.surnames = surnames
        self.first: Token = tokens[i]
        self.last: Token = tokens[j - 1]
        self.prev_in_chunk: Token | None = tokens[i - 1] if i > ci else None
        self.next_in_chunk: Token | None = tokens[j] if j < cj else None
        self.before: Token | None = tokens[i - 1] if i > 0 else None
        self.before2: Token | None = tokens[i - 2] if i > 1 else None
        self.after: Token | None = tokens[j] if j < len(tokens) else None
        self.strong = _strong_context(self)
        self.feature: str | None = None
        self.modifier = False
        self.span: Span | None = None
        self.defined = False                    # a sentence defines it as a place ("X is a town in ...")
        self.namesakes: tuple[str, ...] = ()    # ids of small namesakes kept only because the name is a place


def _strong_context(m: Match) -> bool:
    """A locative right before ("in Mosul"), "of/in/near/at" inside the chunk, or "in the X"/"in eastern X"."""
    before, before2 = m.before, m.before2
    if before is not None and before.low in LOCATIVE and before.end <= m.first.start:
        return True
    if m.prev_in_chunk is not None and m.prev_in_chunk.low in {"of", "in", "near", "at"}:
        return True
    return (before is not None and before2 is not None
            and (before.low == "the" or (before.low in DIRECTIONS and not before.cap))
            and before2.low in LOCATIVE)      # "in the Nenagh district", "in eastern Ghouta"


# --- rules before the span exists: people, names, organisations, plausibility

def never_alone_word(rec: Recognizer, m: Match) -> int:
    """"March", "The", "We're": words that are never a place on their own (not all capitals)."""
    return REJECT if m.j - m.i == 1 and not m.first.upper and _never_alone(m.first) else GO


def saint_dedication(rec: Recognizer, m: Match) -> int:
    """"St Mary's Hospital": a saint's name owning a building is a dedication, not the town."""
    after, tokens, j = m.after, m.tokens, m.j
    if (m.first.low.rstrip(".") in {"st", "saint", "ste"} and after is not None
            and after.text in {"'s", "’s"} and j + 1 < len(tokens)
            and tokens[j + 1].low.rstrip(".") in FACILITY_WORDS and tokens[j + 1].cap):
        start, end = m.first.start, tokens[j + 1].end
        m.span = Span(start, end, m.text[start:end], name_key(m.text[start:end]), (), near=True,
                      feature=tokens[j + 1].low)
        m.span.notes.append("named site (a dedication, not a town): not in the gazetteer")
        return ACCEPT
    return GO


def known_surname(rec: Recognizer, m: Match) -> int:
    """"Ms Lincoln said": a surname of a person named elsewhere in the text (countries stay places); not where a
    sentence opens by defining the name as a place ("Hamilton is a town in ...", though Alexander Hamilton is
    named later)."""
    if m.key in m.surnames and not any(c.place.source in {"country", "curated"} for c in m.cands):
        if m.first.sent_start and m.i == m.ci and defining_word(m.tokens, m.i, m.j) is not None:
            return GO
        return REJECT
    return GO


def title_or_given_name_before(rec: Recognizer, m: Match) -> int:
    """"President Lincoln", "Joe Denver": a title or a given name right before inside the chunk."""
    prev = m.prev_in_chunk
    if prev is None or not prev.word:
        return GO
    p = prev.low.rstrip(".")
    if p in TITLES or (gaz_is_given_name(rec.gaz, prev.text) and p not in DIRECTIONS and p not in FUNCTION_WORDS
                       and not prev.upper and rec._common(prev.text) < 5.6):
        return REJECT
    return GO


def initial_before(rec: Recognizer, m: Match) -> int:
    """"J Smith", "C.Q. Brown": an initial right before is a person's name."""
    prev = m.prev_in_chunk
    if prev is not None and prev.word and (len(prev.text) == 1 or (prev.text.isupper() and len(prev.text) <= 2)):
        return REJECT
    return GO


def abbreviated_title_before(rec: Recognizer, m: Match) -> int:
    """"Gen. Brown", "Sen. Warner", "C. Brown": a title or initial with its full stop."""
    prev = m.prev_in_chunk
    if prev is not None and prev.text == "." and m.i - 2 >= m.ci:
        pp = m.tokens[m.i - 2]
        if pp.low in TITLES or (len(pp.text) <= 2 and pp.text[:1].isupper()):
            return REJECT
    return GO


def given_name_first(rec: Recognizer, m: Match) -> int:
    """"Paris Hilton", "Israel Katz": a one-word given name before another capitalised word is a person; a
    country keeps its name before another country or region, a date or an acronym ("Jordan Syria"), and any
    name keeps it before a weekday ("a bomb in Basra Wednesday")."""
    nxt, first = m.next_in_chunk, m.first
    if (nxt is not None and nxt.cap and m.j - m.i == 1 and gaz_is_given_name(rec.gaz, first.text)
            and nxt.low not in FEATURE_WORDS and nxt.low not in ORG_WORDS and nxt.low not in WEEKDAYS
            and first.low not in FUNCTION_WORDS and not first.upper
            and not (any(c.place.source == "country" for c in m.cands)
                     and (nxt.upper or nxt.low in MONTHS_DAYS
                          or any(c.place.kind in ("country", "admin1")
                                 for c in gaz_candidates(rec.gaz, name_key(nxt.text)))))):
        return REJECT
    return GO


def name_particle_before(rec: Recognizer, m: Match) -> int:
    """"Mike de Kock", "Philippe de Marigny": a name particle after a capitalised word."""
    before, before2 = m.before, m.before2
    if (before is not None and before.low in NAME_PARTICLES and before2 is not None and before2.cap
            and before2.low.rstrip(".") not in FACILITY_WORDS):
        return REJECT
    return GO


def glued_words(rec: Recognizer, m: Match) -> int:
    """"IraqAccording", "MetroHealth": only a country or region survives a split of glued words."""
    after, before = m.after, m.before
    if ((after is not None and after.start == m.last.end and after.cap and after.word)
            or (before is not None and before.end == m.first.start and before.word)):
        m.cands = tuple(c for c in m.cands if c.place.kind in ("country", "admin1") or c.place.source == "curated")
        if not m.cands:
            return REJECT
    return GO


def hyphenated_surname_before(rec: Recognizer, m: Match) -> int:
    """"Diaz-Balart": the second half of a hyphenated name whose first half is not a place."""
    before, before2 = m.before, m.before2
    if (before is not None and before.text == "-" and before.end == m.first.start and before2 is not None
            and before2.end == before.start and before2.cap and not gaz_candidates(rec.gaz, name_key(before2.text))):
        return REJECT
    return GO


def hyphenated_surname_after(rec: Recognizer, m: Match) -> int:
    """"Lincoln-Zephyr": the first half of a hyphenated name whose second half is not a place."""
    after, tokens, j = m.after, m.tokens, m.j
    if (after is not None and after.text == "-" and after.start == m.last.end and j + 1 < len(tokens)
            and tokens[j + 1].start == after.end and tokens[j + 1].cap
            and not gaz_candidates(rec.gaz, name_key(tokens[j + 1].text))):
        return REJECT
    return GO


def heads_longer_name(rec: Recognizer, m: Match) -> int:
    """"Mary of Bethany", "Commonwealth of Independent States": a one-word match that heads "X of/for Y"."""
    nxt = m.next_in_chunk
    if (m.j - m.i == 1 and nxt is not None and nxt.low in {"of", "for"}
            and not any(c.place.kind in ("country", "admin1", "continent", "water", "region") for c in m.cands)):
        return REJECT
    return GO


def known_non_place(rec: Recognizer, m: Match) -> int:
    """"El Nino", "the White House": names that contain a place name but are not places."""
    prev = m.prev_in_chunk
    if m.key in NON_PLACES or (prev is not None and prev.word and name_key(prev.text + " " + m.raw) in NON_PLACES):
        return REJECT
    return GO


def ap_abbreviation_needs_stop(rec: Recognizer, m: Match) -> int:
    """"Mass" as a word is not Massachusetts: a region's dateline abbreviation names the region with its stop,
    after the place it qualifies, before a comma or a bracket ("Springfield, Mass.", "Victoria, B.C.", "Walker
    County (Ga.)"). Elsewhere such abbreviations are words, names, dates or initials: "The Wash." is a bay, "in
    Alta." may end a sentence on a town, "Ind. Ant." is a journal, "300 B.C." a year. Only "D.C." stands alone."""
    if m.key not in AP_KEYS:
        return GO
    after, before, before2 = m.after, m.before, m.before2
    stop = m.raw.endswith(".") or (after is not None and after.text == "." and after.start == m.last.end)
    qualifies = (before is not None and before.text in {",", "("} and before2 is not None and before2.cap)
    if not stop or not (qualifies or m.key in AP_STANDALONE):
        m.cands = tuple(c for c in m.cands if not (c.place.kind == "admin1" and name_key(c.place.name) != m.key))
        if not m.cands:
            return REJECT
    return GO


def nationality_adjective(rec: Recognizer, m: Match) -> int:
    """"Syrian forces": a nationality adjective is not a place (unless it is the place's own primary name)."""
    if (m.j - m.i == 1 and gaz_demonym(rec.gaz, m.first.text)
            and not any(c.primary and name_key(c.place.name) == m.key for c in m.cands)):
        return REJECT
    return GO


def organisation_in_chunk(rec: Recognizer, m: Match) -> int:
    """"Bank of England", "Islamic Resistance in Iraq": an organisation word elsewhere in the sub-chunk (cut
    at "in"/"at"/"and", unless a group's name runs over it) rejects; else the neighbours are narrowed to it."""
    tokens, ci, cj, i, j = m.tokens, m.ci, m.cj, m.i, m.j
    if i == ci and j == cj and j - i == 1 and m.first.low[-1] not in APOSTROPHES:
        m.prev_in_chunk = m.next_in_chunk = None    # the chunk is this one word: no other word to test
        return GO
    span_lower = {tokens[k].low for k in range(i, j)}
    sub_i = ci
    for k in range(i - 1, max(ci, i - 12), -1):
        if tokens[k].low in {"in", "at", "and", "&", "near"}:
            words_before = [tokens[w] for w in range(max(ci, k - 12), k) if tokens[w].word and tokens[w].cap]
            # "Islamic Resistance in Iraq" is a group's name; "Loyola University in Los Angeles" a location
            if not (tokens[k - 1].low in GROUP_WORDS and len(words_before) >= 2):
                sub_i = k + 1
            break
    sub_j = cj
    for k in range(j, min(cj, j + 12)):
        if tokens[k].low in {"in", "at", "and", "&", "near"}:
            sub_j = k
            break
    sub_i, sub_j = max(sub_i, i - 12), min(sub_j, j + 12)
    sub_lower = {tokens[k].low.strip(APOSTROPHES) for k in range(sub_i, sub_j) if tokens[k].word}
    if (sub_lower - span_lower) & ORG_WORDS:
        return REJECT
    m.prev_in_chunk = tokens[i - 1] if i > sub_i else None
    m.next_in_chunk = tokens[j] if j < sub_j else None
    return GO


def capitals_dateline(rec: Recognizer, m: Match) -> int:
    """"SAN ANTONIO Turner Sports": a dateline in capitals runs into the story; the next word is not its own."""
    nxt = m.next_in_chunk
    if m.last.upper and nxt is not None and nxt.word and not nxt.upper and len(m.raw) > 4:
        m.next_in_chunk = None
    return GO


def word_after_in_chunk(rec: Recognizer, m: Match) -> int:
    """"Washington Post" (rejected), "Orange County" (a feature), "Manchester City", "Texas Governor" (a
    modifier): the capitalised word right after, inside the chunk. Days, countries, given names may follow."""
    nxt = m.next_in_chunk
    if nxt is None or not nxt.word:
        return GO
    nl = nxt.low.rstrip(".")
    if nxt.text == "City" and not m.first.upper:
        m.modifier = True      # "Manchester City": the gazetteer has no such city, so a club or a body
    elif nl in FEATURE_WORDS or nl in STREET_WORDS or nl in NATURAL_WORDS or nl in ADMIN_WORDS:
        m.feature = nl
    elif nl in TITLES:
        m.modifier = True      # "Texas Governor Greg Abbott", "Iraqi Prime Minister"
    elif nxt.cap and nl not in CONNECTORS and nl not in FUNCTION_WORDS and not rec._may_follow(nxt):
        return REJECT          # "Washington Post", "Air Zimbabwe Airways", "California Chrome"
    return GO


def site_named_after(rec: Recognizer, m: Match) -> int:
    """"Camp Murray", "Fort Bragg": a site named after a person or place, not the town called so."""
    prev = m.prev_in_chunk
    if prev is None or not prev.word or not prev.cap or m.loose:
        return GO
    pl = prev.low
    if pl.rstrip(".") not in _SITE_PREFIXES:
        return GO
    start, end = prev.start, m.last.end
    m.span = Span(start, end, m.text[start:end], name_key(m.text[start:end]), (), strong_context=m.strong)
    m.span.notes.append(f"{pl} named after a place or person: not in the gazetteer")
    return ACCEPT


def capitalised_word_before(rec: Recognizer, m: Match) -> int:
    """"Planet Labs": a capitalised word right before, inside the chunk, that is not a direction, a
    connector, "Greater"/"Metro", a sentence-opening common word or a country or region."""
    prev = m.prev_in_chunk
    if prev is None or not prev.word or not prev.cap:
        return GO
    pl = prev.low
    if (pl not in DIRECTIONS and pl not in FUNCTION_WORDS and pl not in {"metro", "greater", "downtown"}
            and not (m.i - 1 == m.ci and prev.sent_start and rec._common(pl) >= 3.0)
            and not any(c.place.kind in ("country", "admin1") for c in gaz_candidates(rec.gaz, name_key(prev.text)))):
        return REJECT
    return GO


def region_after_comma(rec: Recognizer, m: Match) -> int:
    """"HELENA, Mont.", "Reading, England": a region or country right after a comma is strong context."""
    if not m.strong and rec._comma_region(m.tokens, m.j):
        m.strong = True
    return GO


def named_product(rec: Recognizer, m: Match) -> int:
    """"Iskander missiles", "Tomahawk cruise missiles", "the Moskva cruiser": a name before a weapon, vehicle,
    ship or team word is a product or a unit named after a place (unless it is a country, region or city of
    100,000: "the Kharkiv missile strike" stays Kharkiv)."""
    tokens, n = m.tokens, len(m.tokens)
    k = m.j
    for _ in range(3):
        if k >= n or tokens[k].cap or not (tokens[k].word or tokens[k].text == "-"):
            return GO
        if tokens[k].low in PRODUCT_CUES:
            break
        k += 1
    else:
        return GO
    if any(c.place.kind in ("country", "admin1", "continent") or c.place.source == "curated"
           or c.place.population >= 100_000 for c in m.cands):
        return GO
    return REJECT


def defined_as_place(rec: Recognizer, m: Match) -> int:
    """"Chester is a city located on the bluffs of ...": a name that a sentence opens by defining as a place
    word is a place, whatever its namesakes' sizes (the resolver weighs them)."""
    if m.first.sent_start and m.i == m.ci and defining_word(m.tokens, m.i, m.j) is not None:
        m.defined = m.strong = True
    return GO


def plausible_candidates(rec: Recognizer, m: Match) -> int:
    """"Reading is ..." (a word at a sentence start): keep only candidates plausible for the surface form."""
    tokens, i = m.tokens, m.i
    m.cands, m.namesakes = rec._keep_candidates(m.cands, m.key, tokens[i:m.j], m.first.sent_start and i == m.ci,
                                                m.strong or _after_listed_locative(tokens, i), m.defined)
    return GO if m.cands else REJECT


# --- rules on the built span: its extent, feature, nearness, qualifier and reading

def ap_full_stop(rec: Recognizer, m: Match, span: Span) -> int:
    """"Calif." keeps its full stop in the span."""
    after = m.after
    if (m.key in AP_KEYS and not m.raw.endswith(".") and after is not None and after.text == "."
            and after.start == m.last.end):
        span.end, span.text = after.end, m.raw + "."
    return GO


def named_after_place(rec: Recognizer, m: Match, span: Span) -> int:
    """"Kingsley Road", "Glenrock Lagoon", "Orange County": the named thing is not the town called so."""
    feature = m.feature
    if feature is None or not (feature in STREET_WORDS or feature in NATURAL_WORDS or feature in _NAMED_AFTER_ADMIN):
        return GO
    tokens, k = m.tokens, m.j + 1
    if k < len(tokens) and tokens[k].text == "." and feature in {"st", "rd", "ave", "blvd", "ln", "dr", "hwy"}:
        k += 1
    start, end = m.first.start, tokens[k - 1].end
    m.span = Span(start, end, m.text[start:end], name_key(m.text[start:end]), (), strong_context=m.strong,
                  feature=feature)
    m.span.notes.append(f"{feature} named after a place: not in the gazetteer")
    return ACCEPT


def modifier_of_name(rec: Recognizer, m: Match, span: Span) -> int:
    """"Manchester City", "Texas Governor Greg Abbott": the place names a club or an office, not a location."""
    if m.modifier:
        span.metonym = True
        return ACCEPT
    return GO


def state_university(rec: Recognizer, m: Match, span: Span) -> int:
    """"Mississippi State", "Colorado State forecasters": universities and their teams."""
    if m.feature == "state" and any(c.place.kind == "admin1" and c.place.country_code == "US" for c in m.cands):
        return REJECT
    return GO


def near_word_before(rec: Recognizer, m: Match, span: Span) -> int:
    """"near Raqqa", "outside of the Mosul": a nearness word before (ACLED precision 2)."""
    before, before2 = m.before, m.before2
    if before is not None and (before.low in NEAR_WORDS or (before2 is not None and before2.low in NEAR_WORDS
                                                            and before.low in {"of", "the"})):
        span.near = True
    return GO


def area_word_after(rec: Recognizer, m: Match, span: Span) -> int:
    """"the Idlib countryside", "Homs governorate", "the Kherson region": an area word after."""
    if m.after is not None and m.after.low in _AREA_AFTER:
        span.near = True
        span.feature = span.feature or m.after.low
    return GO


_TOWN_AFTER: Final = frozenset({"city", "town", "village", "township", "municipality"})


def town_word_after(rec: Recognizer, m: Match, span: Span) -> int:
    """"protesters in Amara city", "in Kikwit town": a lower-case town word after names a populated place,
    so a first-level region the name also spells (or loosely matches) is not meant."""
    after = m.after
    if after is not None and after.text in _TOWN_AFTER:
        span.town_word = True
    return GO


def authority_of_territory(rec: Recognizer, m: Match, span: Span) -> int:
    """"officials in Gaza", "the Gaza health ministry": authority words within four words mean the
    administrative territory of that short name (the Strip), not its namesake city."""
    tokens = m.tokens
    for k in range(max(0, m.i - 4), min(len(tokens), m.j + 4)):
        if tokens[k].low in AUTHORITY_WORDS:
            span.authority = True
            break
    return GO


def comma_qualifier(rec: Recognizer, m: Match, span: Span) -> int:
    """"Paris, Texas": the capitalised phrase after ", " is kept as the qualifier the resolver checks."""
    tokens, j, text = m.tokens, m.j, m.text
    if m.after is not None and m.after.text == "," and j + 1 < len(tokens) and tokens[j + 1].cap:
        k = j + 1
        while k < len(tokens) and k < j + 4 and tokens[k].cap:
            k += 1
        span.comma_next = name_key(text[tokens[j + 1].start:tokens[k - 1].end])
    return GO


def state_after_town(rec: Recognizer, m: Match, span: Span) -> int:
    """"Tacoma, Washington": a region qualifying the town before it is the state, not its namesake capital."""
    tokens, i, key = m.tokens, m.i, m.key
    if (i >= 2 and tokens[i - 1].text == "," and tokens[i - 2].cap and tokens[i - 2].word
            and any(c.place.kind == "admin1" for c in m.cands)
            and any(c.place.admin1 and name_key(c.place.admin1) == key
                    for c in gaz_candidates(rec.gaz, name_key(tokens[i - 2].text)))):
        span.feature = span.feature or "state"
    return GO


def reading(rec: Recognizer, m: Match, span: Span) -> int:
    """"Moscow condemned" vs "in Moscow": literal or not, by the metonymy rules (geoparser.metonymy)."""
    span.metonym = rec._metonym(m.text, m.tokens, m.i, m.j, span)
    return GO


MATCH_RULES: Final[tuple[Callable[[Recognizer, Match], int], ...]] = (
    never_alone_word, saint_dedication, known_surname, title_or_given_name_before, initial_before,
    abbreviated_title_before, given_name_first, name_particle_before, glued_words, hyphenated_surname_before,
    hyphenated_surname_after, heads_longer_name, known_non_place, ap_abbreviation_needs_stop,
    nationality_adjective, organisation_in_chunk, capitals_dateline, word_after_in_chunk, site_named_after,
    capitalised_word_before, region_after_comma, named_product, defined_as_place, plausible_candidates,
)
SPAN_RULES: Final[tuple[Callable[[Recognizer, Match, Span], int], ...]] = (
    ap_full_stop, named_after_place, modifier_of_name, state_university, near_word_before, area_word_after,
    town_word_after, authority_of_territory, comma_qualifier, state_after_town, reading,
)


def run_match_rules(rec: Recognizer, m: Match) -> int:
    """:data:`MATCH_RULES` in their order up to the first that decides, as direct calls (compiled, a native call
    each rather than a Python-level call through the tuple); a test checks that the two lists agree."""
    verdict = never_alone_word(rec, m)
    if verdict == GO:
        verdict = saint_dedication(rec, m)
    if verdict == GO:
        verdict = known_surname(rec, m)
    if verdict == GO:
        verdict = title_or_given_name_before(rec, m)
    if verdict == GO:
        verdict = initial_before(rec, m)
    if verdict == GO:
        verdict = abbreviated_title_before(rec, m)
    if verdict == GO:
        verdict = given_name_first(rec, m)
    if verdict == GO:
        verdict = name_particle_before(rec, m)
    if verdict == GO:
        verdict = glued_words(rec, m)
    if verdict == GO:
        verdict = hyphenated_surname_before(rec, m)
    if verdict == GO:
        verdict = hyphenated_surname_after(rec, m)
    if verdict == GO:
        verdict = heads_longer_name(rec, m)
    if verdict == GO:
        verdict = known_non_place(rec, m)
    if verdict == GO:
        verdict = ap_abbreviation_needs_stop(rec, m)
    if verdict == GO:
        verdict = nationality_adjective(rec, m)
    if verdict == GO:
        verdict = organisation_in_chunk(rec, m)
    if verdict == GO:
        verdict = capitals_dateline(rec, m)
    if verdict == GO:
        verdict = word_after_in_chunk(rec, m)
    if verdict == GO:
        verdict = site_named_after(rec, m)
    if verdict == GO:
        verdict = capitalised_word_before(rec, m)
    if verdict == GO:
        verdict = region_after_comma(rec, m)
    if verdict == GO:
        verdict = named_product(rec, m)
    if verdict == GO:
        verdict = defined_as_place(rec, m)
    if verdict == GO:
        verdict = plausible_candidates(rec, m)
    return verdict


def run_span_rules(rec: Recognizer, m: Match, span: Span) -> int:
    """:data:`SPAN_RULES` in their order up to the first that decides, as direct calls (see run_match_rules)."""
    verdict = ap_full_stop(rec, m, span)
    if verdict == GO:
        verdict = named_after_place(rec, m, span)
    if verdict == GO:
        verdict = modifier_of_name(rec, m, span)
    if verdict == GO:
        verdict = state_university(rec, m, span)
    if verdict == GO:
        verdict = near_word_before(rec, m, span)
    if verdict == GO:
        verdict = area_word_after(rec, m, span)
    if verdict == GO:
        verdict = town_word_after(rec, m, span)
    if verdict == GO:
        verdict = authority_of_territory(rec, m, span)
    if verdict == GO:
        verdict = comma_qualifier(rec, m, span)
    if verdict == GO:
        verdict = state_after_town(rec, m, span)
    if verdict == GO:
        verdict = reading(rec, m, span)
    return verdict


def judge(rec: Recognizer, text: str, tokens: list[Token], ci: int, cj: int, i: int, j: int, raw: str, key: str,
          cands: tuple["Candidate", ...], loose: bool, surnames: set[str]) -> Span | None:
    """The mention for a gazetteer match at tokens [i, j) of chunk [ci, cj), or None when it is not a place."""
    m = Match(text, tokens, ci, cj, i, j, raw, key, cands, loose, surnames)
    verdict = run_match_rules(rec, m)
    if verdict != GO:
        return m.span if verdict == ACCEPT else None
    span = Span(m.first.start, m.last.end, raw, key, m.cands, loose=loose, strong_context=m.strong,
                feature=m.feature, namesakes=m.namesakes)
    m.span = span
    verdict = run_span_rules(rec, m, span)
    if verdict != GO:
        return m.span if verdict == ACCEPT else None
    return span


__all__ = ["judge", "Match", "MATCH_RULES", "SPAN_RULES", "run_match_rules", "run_span_rules", "GO", "REJECT", "ACCEPT"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources.
if __name__ == "geoinc.geoparser.rules":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
