"""Literal or not: an ordered list of small named rules for the reading of a recognised place name.

A place is non-literal (a metonym) as the agent of a verb ("Moscow condemned"), the owner of an act or a
stance ("Russia's decision"), a modifier of people or institutions ("US officials"), a team or a rival
("a loss against Louisville"); it stays literal after a locative ("in Moscow"), before its parts ("Syria's
north") and as the region of a town ("Tacoma, Washington"). :func:`is_metonym` runs :data:`RULES` in order;
each returns :data:`GO` (no decision), :data:`LITERAL` or :data:`METONYM`; the default is literal.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Final

from ..text import name_key
from .lexicon import (AGENT_NOUNS, AGENT_VERBS, APOSTROPHES, ATTACK_WORDS, AUXILIARIES, CLAUSE_OPENERS,
                      ECONOMY_NOUNS, FROM_AGENT, FUNCTION_WORDS, GEO_NOUNS, INHABITANTS, LITERAL_PREV, LOCATIVE,
                      METONYM_PREV, MODALS, OF_LITERAL, PHYSICAL, RELATION_WORDS, RESULT_WORDS, RIVAL_PAIRS,
                      RIVAL_PREV, STATIVE_AFTER_MODAL, TITLES)
from .lookup import candidates as gaz_candidates
from .tokens import Span, Token, _economy_after, _town_only, raw_plural

if TYPE_CHECKING:
    from ..gazetteer.index import Gazetteer

try:        # see tokens.py
    from mypy_extensions import mypyc_attr
except ImportError:
    from .tokens import mypyc_attr  # type: ignore[no-redef]

GO: Final = 0          # no decision: the next rule runs
LITERAL: Final = 1     # the place itself
METONYM: Final = 2     # a non-literal use (a government, a team, an owner of an act)

_HYPHEN_AGENT: Final = frozenset({"backed", "led", "allied", "funded", "sponsored", "aligned", "supported",
                                  "controlled", "run"})
_MODAL_ADVERBS: Final = frozenset({"not", "never", "also", "now", "soon", "blindly", "further", "still", "only",
                                   "just", "then"})
_BE_FORMS: Final = frozenset({"was", "were", "been", "be", "being", "is", "are"})


@mypyc_attr(acyclic=True)     # a short-lived view of tokens and candidates: never a cycle back to it
class Reading:
    """A recognised span at tokens [i, j) with the words around it that the rules compare."""

    def __init__(self, gaz: "Gazetteer", tokens: list[Token], i: int, j: int, span: Span) -> None:
        self.gaz = gaz
        self.tokens = tokens
        self.i, self.j, self.n = i, j, len(tokens)
        self.span = span
        self.is_country = self.is_state = False
        for c in span.candidates:
            kind = c.place.kind
            if kind == "country":
                self.is_country = True
            elif kind == "admin1" and c.primary:
                self.is_state = True
            else:
                continue
            if self.is_country and self.is_state:
                break       # both known: the other candidates cannot change them
        low = [tokens[k].low for k in range(max(0, i - 3), i)]
        low = [""] * (3 - len(low)) + low          # the three words before, "" before the text
        self.prev, self.prev2 = low[2], low[1]
        # the two words before, past a "the" that is not the text's second word ("a loss against the Reds")
        self.w1, self.w2 = (low[1], low[0]) if low[2] == "the" and i > 2 else (low[2], low[1])
        # the same past any "the" ("from the United States")
        self.p1, self.p2 = (low[1], low[0]) if low[2] == "the" else (low[2], low[1])
        self.nxt = tokens[j].low if j < self.n else ""


def _possessive(r: Reading) -> bool:
    tok = r.tokens[r.j] if r.j < r.n else None
    return tok is not None and len(tok.text) == 2 and tok.text[0] in APOSTROPHES and tok.text[1] in "sS"


def _after_possessive(r: Reading) -> tuple[str, str]:
    k = r.j + 1
    return (r.tokens[k].low if k < r.n else "", r.tokens[k + 1].low if k + 1 < r.n else "")


def region_of_town_before(r: Reading) -> int:
    """"Tacoma, Washington shares tips": a state or country right after a town and a comma is its region."""
    t = r.tokens
    if ((r.is_state or r.is_country) and r.i >= 2 and t[r.i - 1].text == "," and t[r.i - 2].cap and t[r.i - 2].word
            and _town_only(gaz_candidates(r.gaz, name_key(t[r.i - 2].text)))):
        return LITERAL
    return GO


def possessive_geo_noun(r: Reading) -> int:
    """"Syria's north", "Iraq's border": the owner of a part of the land is the place."""
    if _possessive(r):
        nxt, nxt2 = _after_possessive(r)
        if nxt in GEO_NOUNS or nxt2 in GEO_NOUNS:
            return LITERAL
    return GO


def possessive_economy(r: Reading) -> int:
    """"Hawaii's economy", "China's massive industrial activity": a place's economy is the place."""
    return LITERAL if _possessive(r) and _economy_after(r.tokens, r.j + 1) else GO


def possessive_country(r: Reading) -> int:
    """"Russia's foreign minister", "China's decision": a country owning anything else is its state."""
    return METONYM if _possessive(r) and r.is_country else GO


def possessive_agent_noun(r: Reading) -> int:
    """"Moscow's envoy", "Ohio's lawmakers": an owner of agents is the body that acts."""
    if _possessive(r):
        nxt, nxt2 = _after_possessive(r)
        if nxt in AGENT_NOUNS or nxt2 in AGENT_NOUNS:
            return METONYM
    return GO


def possessive_act(r: Reading) -> int:
    """"Moscow's response" (a large city owning an act or a stance) is not literal; "Kabul's airport",
    "Aleppo's residents" (its sites, people and parts) are."""
    if not _possessive(r):
        return GO
    nxt, nxt2 = _after_possessive(r)
    span = r.span
    act = (not span.strong_context and nxt.isalpha() and nxt not in PHYSICAL and nxt2 not in PHYSICAL
           and nxt.rstrip("s") not in PHYSICAL and nxt2.rstrip("s") not in PHYSICAL
           and any(c.place.kind in ("city", "admin1", "admin2") and c.place.population >= 100_000
                   for c in span.candidates))
    return METONYM if act else LITERAL


def modifier_of_agents(r: Reading) -> int:
    """"US officials", "Iraqi government", "Kremlin spokesmen": a name right before an agent noun."""
    tok = r.tokens[r.j] if r.j < r.n else None
    if tok is not None and tok.word and not tok.cap and not r.span.strong_context:
        w = tok.low
        if w in AGENT_NOUNS or w.rstrip("s") in AGENT_NOUNS:
            return METONYM
    return GO


def country_as_modifier(r: Reading) -> int:
    """"US action", "Russia sanctions": a country as a noun modifier (not "Iraq is", "Syria bordered")."""
    k = r.j
    tok = r.tokens[k] if k < r.n else None
    if tok is None or not tok.word or tok.cap or r.span.strong_context or not r.is_country:
        return GO
    w = tok.low
    if (w not in FUNCTION_WORDS and w not in GEO_NOUNS and w not in AUXILIARIES and w not in AGENT_VERBS
            and not w.endswith("ed") and tok.start == r.tokens[k - 1].end + 1):
        return METONYM
    return GO


def hyphen_agent(r: Reading) -> int:
    """"Iran-backed", "Saudi-led": the place as the agent of a hyphenated participle."""
    t, k = r.tokens, r.j
    return METONYM if k + 1 < r.n and t[k].text == "-" and t[k + 1].low in _HYPHEN_AGENT else GO


def modal_then_verb(r: Reading) -> int:
    """"Mexico should limit", "Slovenia did not follow" (not "London will be hit", "Texas could see snow")."""
    t, k, n = r.tokens, r.j, r.n
    if k + 1 < n and not r.span.strong_context and not t[k].cap and t[k].text.replace("\u2019", "'") in MODALS:
        m = k + 1
        while m < n and t[m].low in _MODAL_ADVERBS:
            m += 1
        if m < n and t[m].word and not t[m].cap and t[m].low not in STATIVE_AFTER_MODAL:
            return METONYM
    return GO


def rival_before(r: Reading) -> int:
    """"a loss against Louisville", "beating Sunderland" (not "strikes against Raqqa", "against Syria-")."""
    if (r.w1 in RIVAL_PREV and r.w2 not in ATTACK_WORDS
            and not (r.j < r.n and r.tokens[r.j].text == "-")):
        return METONYM
    return GO


def result_against(r: Reading) -> int:
    """"a 1-0 defeat to Reading", "victory over Houston", "series with Portland", "lost to Boston"."""
    if (r.w1, r.w2) in RIVAL_PAIRS or (r.w1 in {"to", "over", "with"} and r.w2 in RESULT_WORDS):
        return METONYM
    return GO


def team_plural_verb(r: Reading) -> int:
    """"Liverpool have won": a singular name with a plural verb is a team or a government."""
    t, i, j, n = r.tokens, r.i, r.j, r.n
    if (r.nxt in {"have", "are", "were"} and not r.span.strong_context and not raw_plural(r.span.text)
            and (t[i].sent_start or (i > 0 and t[i - 1].low in CLAUSE_OPENERS))
            and not (j + 1 < n and t[j + 1].low in {"been", "being"} and r.is_country)):
        return METONYM
    return GO


def relations_between(r: Reading) -> int:
    """"relations between Harare and London": parties to relations."""
    return METONYM if r.w1 == "between" and r.w2 in RELATION_WORDS else GO


def agent_of_verb(r: Reading) -> int:
    """"Tehran refuted", "Baghdad on Monday condemned", "Iran has faced", "Slovenia endorsed the plan":
    the subject of an act, past auxiliaries (not a passive: "Aleppo was shelled")."""
    t, j, n = r.tokens, r.j, r.n
    k = j
    steps = 0
    while k < n and steps < 5 and not r.span.strong_context:
        tok = t[k]
        w = tok.low.replace("\u2019", "'")     # "hasn’t" as "hasn't"
        if w in AGENT_VERBS:
            return METONYM
        if (steps == 0 and (r.is_country or r.is_state) and w.endswith("ed") and len(w) > 4 and tok.word
                and not tok.cap and not (k + 1 < n and t[k + 1].low == "by")):
            return METONYM     # a country right before a past-tense verb is its agent: "Slovenia endorsed"
        if (steps > 0 and w.endswith("ed") and len(w) > 4 and tok.word and not tok.cap
                and not any(t[m].low in _BE_FORMS for m in range(j, k))):
            return METONYM     # "Washington had already carried out", "Iran has faced"
        if w in AUXILIARIES:
            k += 1
            steps += 1
            continue
        break
    return GO


def body_of_place(r: Reading) -> int:
    """"Ruler of Dubai", "the government of Ukraine" (not "the people of Gilgit", "the economy of Mexico")."""
    if r.prev == "of" and r.i > 1:
        owner = r.prev2
        if ((owner in TITLES or owner in AGENT_NOUNS or owner.rstrip("s") in AGENT_NOUNS)
                and owner not in INHABITANTS and owner not in ECONOMY_NOUNS):
            return METONYM
    return GO


def only_countries_further(r: Reading) -> int:
    """"in Mosul" / "Mosul is": the rules below read countries only; any other place stays literal here."""
    return GO if r.is_country else LITERAL


def partner_of_act(r: Reading) -> int:
    """"backing from the United States", "blamed on Russia": the country as the source of an act."""
    if (r.p1 == "from" and r.p2 in FROM_AGENT) or (r.p1 == "on" and r.p2 in {"blamed", "blames", "blame",
                                                                            "pinned", "called", "calls"}):
        return METONYM
    return GO


def after_locative(r: Reading) -> int:
    """"troops in Syria", "flights from Qatar": a locative right before is literal."""
    return LITERAL if r.p1 in LITERAL_PREV else GO


def listed_after_locative(r: Reading) -> int:
    """"militias in Iraq and Yemen to put pressure": coordinated with a place after a locative."""
    if r.p1 not in {"and", "or", ","}:
        return GO
    for k in range(r.i - 2, max(-1, r.i - 9), -1):
        w = r.tokens[k].low
        if w in {".", ";", "!", "?", ":"} or w in METONYM_PREV:
            break
        if w in LITERAL_PREV:
            return LITERAL
    return GO


def partner_word_before(r: Reading) -> int:
    """"talks with Iran", "said Russia" (not "the border with Mexico", "a trip with Jordan")."""
    if r.p1 in METONYM_PREV:
        return LITERAL if r.p2 in OF_LITERAL else METONYM
    return GO


def country_after_of(r: Reading) -> int:
    """"the decision of Egypt" (not "a visit of Egypt", "the north of Syria", "the economy of Mexico")."""
    if r.p1 == "of":
        return LITERAL if r.p2 in OF_LITERAL or r.p2 in ECONOMY_NOUNS else METONYM
    return GO


def joined_agent_verb(r: Reading) -> int:
    """"Russia and China agreed", "Iran to respond": a country joined to an agent verb."""
    t, j = r.tokens, r.j
    return METONYM if r.nxt in {"to", "and"} and j + 1 < r.n and t[j + 1].low in AGENT_VERBS else GO


def sentence_subject(r: Reading) -> int:
    """"Russia has ...", "China to impose ...": a country opening a sentence (not a dateline "Syria -")."""
    if r.tokens[r.i].sent_start and r.nxt not in {",", ":", "(", "-", "–", "—", ".", ";"}:
        return METONYM
    return GO


def infinitive_after(r: Reading) -> int:
    """"... China to impose tariffs" (not "moved from Seoul to America to become")."""
    t, j = r.tokens, r.j
    if (r.nxt == "to" and j + 1 < r.n and t[j + 1].word and not t[j + 1].cap
            and t[j + 1].low not in FUNCTION_WORDS and r.p1 not in LOCATIVE):
        return METONYM
    return GO


RULES: Final[tuple[Callable[[Reading], int], ...]] = (
    region_of_town_before, possessive_geo_noun, possessive_economy, possessive_country, possessive_agent_noun,
    possessive_act, modifier_of_agents, country_as_modifier, hyphen_agent, modal_then_verb, rival_before,
    result_against, team_plural_verb, relations_between, agent_of_verb, body_of_place, only_countries_further,
    partner_of_act, after_locative, listed_after_locative, partner_word_before, country_after_of,
    joined_agent_verb, sentence_subject, infinitive_after,
)


def run_rules(r: Reading) -> int:
    """:data:`RULES` in their order up to the first that decides, as direct calls (compiled, a native call each
    rather than a Python-level call through the tuple); a test checks that the two lists agree."""
    verdict = region_of_town_before(r)
    if verdict == GO:
        verdict = possessive_geo_noun(r)
    if verdict == GO:
        verdict = possessive_economy(r)
    if verdict == GO:
        verdict = possessive_country(r)
    if verdict == GO:
        verdict = possessive_agent_noun(r)
    if verdict == GO:
        verdict = possessive_act(r)
    if verdict == GO:
        verdict = modifier_of_agents(r)
    if verdict == GO:
        verdict = country_as_modifier(r)
    if verdict == GO:
        verdict = hyphen_agent(r)
    if verdict == GO:
        verdict = modal_then_verb(r)
    if verdict == GO:
        verdict = rival_before(r)
    if verdict == GO:
        verdict = result_against(r)
    if verdict == GO:
        verdict = team_plural_verb(r)
    if verdict == GO:
        verdict = relations_between(r)
    if verdict == GO:
        verdict = agent_of_verb(r)
    if verdict == GO:
        verdict = body_of_place(r)
    if verdict == GO:
        verdict = only_countries_further(r)
    if verdict == GO:
        verdict = partner_of_act(r)
    if verdict == GO:
        verdict = after_locative(r)
    if verdict == GO:
        verdict = listed_after_locative(r)
    if verdict == GO:
        verdict = partner_word_before(r)
    if verdict == GO:
        verdict = country_after_of(r)
    if verdict == GO:
        verdict = joined_agent_verb(r)
    if verdict == GO:
        verdict = sentence_subject(r)
    if verdict == GO:
        verdict = infinitive_after(r)
    return verdict



def is_metonym(gaz: "Gazetteer", tokens: list[Token], i: int, j: int, span: Span) -> bool:
    """Whether the span at tokens [i, j) is used non-literally, by the first rule of :data:`RULES` that decides."""
    return run_rules(Reading(gaz, tokens, i, j, span)) == METONYM


__all__ = ["is_metonym", "run_rules", "Reading", "RULES", "GO", "LITERAL", "METONYM"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources.
if __name__ == "geoinc.geoparser.metonymy":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
