"""Actors of an event: who is named (ACLED's names and inter categories) and in which role.

The vocabulary is data: ``actors.tsv`` beside this module (phrase pattern, ACLED name, inter category, example),
read after the user's own rows in ``$GEOINC_HOME/actors.tsv``. Names may hold ``{country}``, filled with the
incident's country when the incident is finished ("Protesters ({country})" -> "Protesters (Chile)"). State forces
named by a demonym ("Russian forces", "Nigerian police") are found by a rule over the gazetteer's demonyms.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .gate import Gated, Scanner, literal_gate, may_contain, split_words
from .lexicons import BAT, CLAIMED, PERPETRATOR_LINK, PRO, RIO, SPEAKER, TARGET_KINDS, VAC

if TYPE_CHECKING:
    from .record import Draft

USER_FILE = "actors.tsv"
Row = tuple[re.Pattern[str], str, str, "tuple[str, ...] | None"]   # (pattern, name, inter, literal gate)
Actor = tuple[int, int, str, str]          # (start, end, ACLED name (may hold {country}), inter category)


def parse_vocabulary(text: str, source: str = "actors.tsv") -> list[Row]:
    """Rows of an actor vocabulary (tab-separated: pattern, name, inter[, example]; # comments; a header)."""
    from ..errors import InputError
    from .taxonomy import INTER_CODES

    rows = []
    for no, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("pattern\t"):
            continue
        parts = line.split("\t")
        if len(parts) < 3 or parts[2] not in INTER_CODES:
            raise InputError(f"{source}:{no}: expected 'pattern<TAB>name<TAB>inter category' "
                             f"(one of {', '.join(INTER_CODES)})")
        try:
            rows.append((re.compile(rf"\b(?:{parts[0]})\b", re.I), parts[1], parts[2], literal_gate(parts[0])))
        except re.error as e:
            raise InputError(f"{source}:{no}: bad pattern: {e}") from None
    return rows


@lru_cache(maxsize=1)
def vocabulary() -> tuple[Row, ...]:
    """The user's rows ($GEOINC_HOME/actors.tsv, when present) followed by geoinc's own."""
    rows = []
    home = os.environ.get("GEOINC_HOME")
    user = Path(home).expanduser() / USER_FILE if home else None
    if user is not None and user.is_file():
        rows += parse_vocabulary(user.read_text(encoding="utf-8"), str(user))
    rows += parse_vocabulary(resources.files(__package__).joinpath("actors.tsv").read_text(encoding="utf-8"))
    return tuple(rows)


# (gated on its kind words: every match ends in one of them; "[A-Z](?<!\w[A-Z])" is "\b[A-Z]" written so that the
# regex engine can skip to the capitals of a sentence instead of trying the pattern at every position)
_FORCES = Gated(re.compile(r"(?P<dem>[A-Z](?<!\w[A-Z])[a-z]+(?:-[A-Z][a-z]+)?)\s+(?:(?:armed|security|government|military|"
                           r"special|naval|air|border|regular|ground|regime)\s+)?(?P<kind>forces|army|military|troops|soldiers|"
                           r"police|policemen|navy|air force|warplanes|jets|aircraft|drones|artillery|gendarmes|"
                           r"gendarmerie|border guards|servicemen|marines|officers|helicopters|air ?strikes?|airstrikes?|"
                           r"strikes|shelling|missiles?|rockets|bombardment|warships?|navy|tanks)\b"),
                ("forces", "army", "military", "troops", "soldiers", "police", "navy", "air force", "warplanes", "jets",
                 "aircraft", "drones", "artillery", "gendarm", "border guards", "servicemen", "marines", "officers",
                 "helicopters", "strike", "shelling", "missile", "rockets", "bombardment", "warship", "tanks"))


# the word right after the demonym in every match of _FORCES, as written (its case-sensitive modifiers and the first
# word of each of its kinds: "Russian armed forces", "Turkish air strikes", "Israeli airstrikes"): the pattern is
# tried only at a capitalised word that one of them follows, or for "Anglo-French" a hyphen, a capitalised word and one
_FORCES_NEXT = frozenset({
    "armed", "security", "government", "military", "special", "naval", "air", "border", "regular", "ground", "regime",
    "forces", "army", "troops", "soldiers", "police", "policemen", "navy", "warplanes", "jets", "aircraft", "drones",
    "artillery", "gendarmes", "gendarmerie", "servicemen", "marines", "officers", "helicopters", "airstrike",
    "airstrikes", "strikes", "shelling", "missile", "missiles", "rockets", "bombardment", "warship", "warships",
    "tanks"})


def _forces_found(text: str) -> "list[re.Match[str]]":
    """The matches of _FORCES (its ``finditer``), tried at the capitalised words that a word of :data:`_FORCES_NEXT`
    follows (the demonym is a whole ASCII word of gate.split_words: "[A-Z][a-z]+" then spaces or a hyphen), after
    its gate (one of its kind words in the sentence); past a match the next is looked for beyond its end."""
    words = _FORCES.words
    if words is not None and not may_contain(text, words):
        return []
    pattern = _FORCES.pattern
    parts = split_words(text)
    out: "list[re.Match[str]]" = []
    nexts = _FORCES_NEXT          # (a local: a module global is looked up at each use in compiled code)
    reach = 0
    pos = 0
    for k, word in enumerate(parts):
        if word and pos >= reach and "A" <= word[0] <= "Z":
            after = pos + len(word)
            nxt = _next_word(parts, k + 1)
            # "Anglo-French forces": the hyphen alone between two words (the piece after the word is a word)
            if nxt in nexts or (text[after:after + 1] == "-" and k + 1 < len(parts) and parts[k + 1] != ""
                                and _next_word(parts, k + 2) in nexts):
                m = pattern.match(text, pos)
                if m is not None and m.end() > m.start():
                    out.append(m)
                    reach = m.end()
        pos += len(word) + 1
    return out


def _next_word(parts: list[str], k: int) -> str:
    """The first word of gate.split_words' pieces from the k-th on ("" when there is none)."""
    for j in range(k, len(parts)):
        if parts[j]:
            return parts[j]
    return ""


def _demonym_country(word: str) -> tuple[str, str] | None:
    """(ISO2, country name) of a demonym ("Russian" -> ("RU", "Russia")), else None."""
    try:
        from ..gazetteer.index import default_gazetteer

        cc = default_gazetteer().demonym(word)
    except Exception:  # noqa: BLE001 - no gazetteer: no demonym rule
        return None
    return (cc, country_name(cc)) if cc else None


@lru_cache(maxsize=1)
def _scanner() -> Scanner:
    return Scanner([r[0] for r in vocabulary()], [r[3] for r in vocabulary()])


@lru_cache(maxsize=512)
def country_name(cc: str | None) -> str:
    """A country's short English name as ACLED writes it ("Russia", "Democratic Republic of the Congo")."""
    if not cc:
        return ""
    from .. import boundaries

    try:
        c = boundaries.find_country(cc)
    except Exception:  # noqa: BLE001 - boundaries missing
        c = None
    if c is None:
        return ""
    return c.name_long if "." in c.name else c.name


def _with_article(country: str) -> str:
    """"the United States", "the Philippines": the country as it reads after "Forces of"."""
    return f"the {country}" if country.startswith(_THE) else country


_THE = ("United ", "Democratic ", "Republic ", "Central African", "Philippines", "Netherlands", "Gambia", "Bahamas",
        "Comoros", "Maldives", "Solomon", "Marshall", "Czech")


def state_forces(text: str) -> list[Actor]:
    """"Russian forces", "Nigerian police", "Turkish warplanes": a country's state forces by its demonym."""
    out = []
    for m in _forces_found(text):
        hit = _demonym_country(m.group("dem"))
        if hit is None:
            continue
        kind = "Police Forces of" if m.group("kind").startswith(("police", "gendarm", "officers")) else \
            "Military Forces of"
        out.append((m.start(), m.end(), f"{kind} {_with_article(hit[1])}", "State forces"))
    return out


def find_actors(text: str) -> list[Actor]:
    """(start, end, ACLED name, inter category) of the actors named in a sentence, non-overlapping."""
    found: list[Actor] = []
    rows = vocabulary()
    hits = _scanner().matches(text)
    for r, start, end in hits:
        name, inter = rows[r][1], rows[r][2]
        if name.startswith(("Military Forces of {", "Police Forces of {")):
            continue          # generic forces: the demonym rule below names them when it can
        if not any(start < e and s < end for s, e, _, _ in found):
            found.append((start, end, name, inter))
    for a in state_forces(text):
        if not any(a[0] < e and s < a[1] for s, e, _, _ in found):
            found.append(a)
    for r, start, end in hits:
        name, inter = rows[r][1], rows[r][2]
        if name.startswith(("Military Forces of {", "Police Forces of {")) and not any(
                start < e and s < end for s, e, _, _ in found):
            found.append((start, end, name, inter))
    return sorted(found)


# the sentence's roles, compiled once: "killed by" (a passive phrase), "... were attacked" (a passive verb before the
# phrase), "against the protesters" (a target), "clashes between A and B" (two sides)
_BY_AGENT = re.compile(r"(?:killed|struck|hit|attacked|targeted|bombed) by\b", re.I)
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been)\s+(?:\w+\s+)?$")
_TARGETED_BEFORE = re.compile(r"\b(?:against|targeting|targeted)\s+(?:the\s+)?(?:\w+\s+)?$")
_SIDES = re.compile(r"\bbetween\b(.+?)\band\b(.+?)(?:[.;,]|$)|\bclash(?:ed|es)? with\b(.+?)(?:[.;,]|$)", re.I)
_STATE_FORCES_OF = re.compile(r"(?:Military|Police) Forces of (.+)")
# an actor named as what an attack was aimed at, right before its name: "fired artillery at DPR positions",
# "shelled QSD positions", "airstrikes against PKK militants", "attacked a Taliban checkpoint"
_ATTACKED_BEFORE = re.compile(r"\b(?:at|on|against|targeting|targeted|toward|towards|"
                              r"attack(?:ed|ing)?|shell(?:ed|ing)|struck|hit|raid(?:ed|ing)|ambush(?:ed|ing)|"
                              r"bomb(?:ed|ing)|storm(?:ed|ing)|overr[au]n)\s+(?:an?\s+|the\s+)?$", re.I)


def aimed_at(st: str, a_start: int) -> bool:
    """Whether the actor named at ``a_start`` is what the attack was aimed at ("fired mortars at NAF positions")."""
    return _ATTACKED_BEFORE.search(st[max(0, a_start - 30):a_start]) is not None


def assign_actors(d: "Draft", st: str, ev: str | None, phrase: str, actors: list[Actor],
                  t_start: int) -> None:
    """Give the incident its perpetrator (actor1, associates), target (actor2) and claimant from the sentence."""
    claim_pos = CLAIMED.search(st)
    passive = bool(_BY_AGENT.match(phrase)) or bool(_PASSIVE_BEFORE.search(st[max(0, t_start - 20):t_start]))
    for a_start, _a_end, name, inter in actors:
        if inter == "Civilians" and (ev or d.event_type) not in (PRO, RIO):
            if a_start > t_start and d.actor2 is None:
                d.actor2 = (name, inter)          # civilians are the targets of violence, never its agents
            continue
        is_target = (inter in TARGET_KINDS and (a_start > t_start or passive or _TARGETED_BEFORE.search(
            st[max(0, a_start - 40):a_start]))) or (a_start > t_start and not passive and aimed_at(st, a_start))
        if claim_pos and a_start < claim_pos.start() and inter not in TARGET_KINDS:
            if not d.claimant or (d.claimant.startswith(("Pro-", "Unidentified"))
                                  and not name.startswith(("Pro-", "Unidentified"))):
                d.claimant = name
        if not claim_pos and inter in TARGET_KINDS and SPEAKER.search(st[_a_end:_a_end + 30]):
            continue          # "The Israeli military said ...": a source, not the perpetrator
        if is_target:
            if d.actor2 is None:
                d.actor2 = (name, inter)
            continue
        linked = a_start <= t_start or PERPETRATOR_LINK.search(st[max(0, a_start - 45):a_start])
        if not linked:
            continue          # "since the war between Israel and Hamas": named, but not as this event's actor
        if d.actor1 is None or (d.actor1[0].startswith(("Pro-", "Unidentified")) and not name.startswith(
                ("Pro-", "Unidentified")) and claim_pos):
            if d.actor1 is not None and d.actor1[0] not in d.assoc1:
                d.assoc1.append(d.actor1[0])
            d.actor1 = (name, inter)
        elif name != d.actor1[0] and name not in d.assoc1 and inter not in TARGET_KINDS:
            d.assoc1.append(name)


def battle_sides(st: str, actors: list[tuple[int, int, str, str]]) -> tuple[tuple[str, str], tuple[str, str]] | None:
    """The two sides of "clashes between A and B" (or "A clashed with B"), in the order written."""
    m = _SIDES.search(st)
    if not m:
        return None
    if m.group(1) is not None:
        first = [a for a in actors if m.start(1) <= a[0] < m.end(1)]
        second = [a for a in actors if m.start(2) <= a[0] < m.end(2)]
    else:
        first = [a for a in actors if a[0] < m.start()]
        second = [a for a in actors if m.start(3) <= a[0] < m.end(3)]
    if first and second:
        return (first[0][2], first[0][3]), (second[0][2], second[0][3])
    return None



# who ACLED names when the text names no one: protests are always by protesters, riots by rioters; violence
# with no named perpetrator is by an unidentified armed group, arrests are by the police
_ALWAYS_ACTOR1 = {PRO: ("Protesters ({country})", "Protesters"), RIO: ("Rioters ({country})", "Rioters")}
_UNIDENTIFIED = ("Unidentified Armed Group ({country})", "Political militia")
_DEFAULT_ACTOR1 = {BAT: _UNIDENTIFIED, VAC: _UNIDENTIFIED, "Remote explosive/landmine/IED": _UNIDENTIFIED,
                   "Grenade": _UNIDENTIFIED, "Suicide bomb": _UNIDENTIFIED,
                   "Arrests": ("Police Forces of {country}", "State forces")}
_DEFAULT_ACTOR2 = {VAC: ("Civilians ({country})", "Civilians"), "Mob violence": ("Civilians ({country})", "Civilians")}


def acled_roles(d: "Draft", cc: str | None) -> tuple[tuple[str, str] | None, tuple[str, str] | None, list[str]]:
    """(actor1, actor2, associated actors of actor1) as ACLED codes them, with {country} filled in.

    Protests: actor1 is always "Protesters (Country)" (a named organiser becomes an associate); riots likewise
    "Rioters (Country)"; violence against civilians has "Civilians (Country)" as actor2; an event with no named
    perpetrator gets ACLED's default for its type (unidentified armed group; police for arrests); a mob's
    violence with no other side named is on civilians."""
    ev, sub = d.event_type or "", d.sub_event_type or ""
    actor1, actor2, assoc = d.actor1, d.actor2, list(d.assoc1)
    forced = _ALWAYS_ACTOR1.get(ev)
    if forced is not None and (actor1 is None or actor1[1] != forced[1]):
        if actor1 is not None and actor1[1] not in ("Civilians", "Protesters", "Rioters", "State forces"):
            assoc.insert(0, actor1[0])
        actor1 = forced
    if actor1 is None:
        actor1 = _DEFAULT_ACTOR1.get(sub) or _DEFAULT_ACTOR1.get(ev)
    if actor2 is None:
        actor2 = _DEFAULT_ACTOR2.get(sub) or _DEFAULT_ACTOR2.get(ev)
    if actor2 is not None and actor1 is not None and actor2[0] == actor1[0]:
        actor2 = None
    country = country_name(cc)
    return _fill(actor1, country), _fill(actor2, country), [_fill((a, ""), country)[0] for a in assoc]  # type: ignore[index]


def _fill(actor: tuple[str, str] | None, country: str) -> tuple[str, str] | None:
    """{country} filled in; another country's state forces are "External/Other forces"."""
    if actor is None:
        return None
    name, inter = actor
    if "{country}" in name and not country and " of {country}" in name:
        return None           # "Military Forces of {country}" where the country is not known: no name to give
    if "{country}" in name:
        name = name.replace(" ({country})", f" ({country})" if country else "").replace(
            "{country}", _with_article(country) if country else "")
        name = name.strip()
    m = _STATE_FORCES_OF.match(name)
    if m and country and inter == "State forces" and m.group(1) not in (country, _with_article(country)):
        inter = "External/Other forces"
    return name, inter


__all__ = ["find_actors", "assign_actors", "aimed_at", "battle_sides", "acled_roles", "vocabulary", "parse_vocabulary",
           "state_forces", "country_name"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.incidents.actors":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
