"""Type decisions as ACLED makes them: small named rules over everything an incident's sentences say.

Each rule looks at the incident's trigger phrases (sub-event types found in its sentences), its actors and its
text, and returns the (event_type, sub_event_type) it decides, or None to leave the decision to the next rule.
The first rule that decides wins (order in :data:`RULES`); without one, the incident keeps the type of its main
event phrase. Example phrases are in each docstring and in tests/test_incident_rules.py.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .lexicons import BAT, ER, PRO, RIO, VAC
from .taxonomy import SUB_EVENT_TYPES

ARMED_KINDS = {"State forces", "Rebel group", "Political militia", "Identity militia", "External/Other forces"}
# people who are not an organised armed group when they fight ("supporters of two parties clashed")
_UNARMED_GROUPS = re.compile(r"\b(?:supporters|villagers|residents|families|family members|youths?|students|"
                             r"communities|community members|clans?|tribes(?:men)?|tribal groups?|farmers|herders|"
                             r"pastoralists|locals|neighbou?rs|relatives|workers|traders|fans|cadres|activists|"
                             r"members of (?:the )?(?:\w+ ){0,2}(?:party|parties|league|congress|union))\b", re.I)
_ARMS = re.compile(r"\b(?:guns?|gunfire|gunmen|firearms?|rifles?|armed|shot|shooting|fired|bullets?|militia\w*|"
                   r"soldiers|troops|forces|police|military|army|insurgents|militants|rebels|fighters)\b", re.I)
# firearms in a crowd's fight ("exchanged fire"): then it is no mob violence; an armed fight ("clashes", "gun battle")
_FIREARMS = re.compile(r"\b(?:guns?|gunfire|firearms?|rifles?|armed|gunmen|shoot-?outs?|exchanged? (?:of )?fire)\b",
                       re.I)
# "(the soldier) was killed": the words before a passive harm verb, where its victim is named
_PASSIVE_HARM = re.compile(r"(?P<before>[^.;]{0,60})\b(?:was|were)\s+(?:\w+\s+){0,3}?(?:killed|shot|wounded|injured|"
                           r"attacked|beheaded|abducted)\b", re.I)
# victims who are civilians: "a man", "two farmers", "villagers", "a journalist"
_CIVILIAN_VICTIM = re.compile(r"\b(?:civilians?|villagers?|residents?|farmers?|traders?|m[ae]n|wom[ae]n|boys?|girls?|"
                              r"child(?:ren)?|teenagers?|students?|teachers?|journalists?|passers?-?by|drivers?|"
                              r"vendors?|worshippers|pastors?|priests?|imams?|herders?|pastoralists|IDPs?|refugees?|"
                              r"migrants?|families|family|off-duty|elderly|person|people|individuals?|victims?|"
                              r"business(?:man|men|woman)|shop ?keepers?|owners?|chiefs?|leaders?)\b", re.I)
# targets that are armed: "a police officer", "a military post", "soldiers", "militants"
_ARMED_TARGET = re.compile(r"\b(?:police(?:man|men| officers?| stations?| posts?| forces)?|soldiers?|troops|military|"
                           r"army|checkpoints?|bases?|barracks|patrols?|convoys?|militants?|rebels?|fighters?|"
                           r"militiam[ae]n|militias?|security forces|guards?|gendarmes?|officers?|positions?|"
                           r"members? of (?:the )?[A-Z])", re.I)
_PROTEST_VIOLENCE = re.compile(r"\b(?:clash(?:ed|es)? with (?:the )?(?:police|security|riot|soldiers|military|"
                               r"counter)|threw|hurled|pelted|vandali[sz]ed|(?:set|sets|setting) (?:\w+ ){0,3}"
                               r"(?:on fire|ablaze|alight)|torched|burn(?:ed|t|ing) (?:[\w']+ ){0,4}?(?:tyres|tires|"
                               r"cars?|vehicles?|trucks?|buses|buildings?|offices?|shops?|stations?|machines?|"
                               r"urns|ballots|debris|obstacles|garbage)|damaged|smashed|looted|"
                               r"attacked|injured|stormed|forced (?:their way|entry)|broke into|fought with|"
                               r"burning (?:barricades|tyres|tires|debris|obstacles|garbage)|"
                               r"barricades? (?:on fire|burning)|with (?:rocks|stones|sticks))\b", re.I)


@dataclass(frozen=True, slots=True)
class Facts:
    """What an incident's sentences say, as the rules read it."""

    subs: tuple[str, ...]                # sub-event types of its trigger phrases, in text order ("" = generic)
    phrases: tuple[str, ...]             # the trigger phrases themselves (lower case)
    text: str                            # its sentences
    label: str | None                    # the sub-event type an ACLED note label names, if any
    actor1_inter: str | None
    actor2_inter: str | None


Decision = tuple[str, str] | None


def note_label(f: Facts) -> Decision:
    """"Displacement: On 8 May, 173 civilians were evacuated" — an ACLED note label decides (it comes first)."""
    if f.label:
        return SUB_EVENT_TYPES[f.label], f.label
    return None


def excessive_force(f: Facts) -> Decision:
    """"soldiers opened fire on protesters, killing two" — force against peaceful protesters."""
    if "Excessive force against protesters" in f.subs:
        return PRO, "Excessive force against protesters"
    return None


def violent_demonstration(f: Facts) -> Decision:
    """"protesters threw stones at the police", "rioters torched a station during a protest against the tax",
    "demonstrators clashed with police"; rioters with no demonstration nor cause are a mob ("rioters clashed with
    soldiers who raided the village")."""
    protest = any(s in ("Peaceful protest", "Protest with intervention") for s in f.subs)
    rioting = bool(_RIOTING.search(" ".join(f.phrases)))
    if "Violent demonstration" in f.subs and (protest or (rioting and _DEMONSTRATING.search(f.text))):
        return RIO, "Violent demonstration"
    if "Violent demonstration" in f.subs and rioting and not protest:
        return RIO, "Mob violence"          # "rioters clashed with soldiers who raided the village": no demonstration
    if protest and _PROTEST_VIOLENCE.search(protest_acts(f.text)):
        return RIO, "Violent demonstration"
    return None


def protest_with_intervention(f: Facts) -> Decision:
    """"police dispersed the rally with tear gas", "demonstrators gathered but were arrested", "police prevented
    the march" — the authorities stop or disperse a protest (not: "the protesters dispersed peacefully")."""
    if not any(s in _PROTEST_SUBS for s in f.subs):
        return None
    acts = protest_acts(f.text)
    if _FORCE.search(acts) or (_AUTHORITIES.search(acts) and _STOPPED.search(acts)):
        return PRO, "Protest with intervention"
    return None


def peaceful_protest(f: Facts) -> Decision:
    """"around 300 people demonstrated outside parliament" — a protest with no violence and no intervention,
    even when it is about violence ("to denounce the killing of a farmer")."""
    first = next((s for s in f.subs if s), "")
    if first in _PROTEST_SUBS or ("Peaceful protest" in f.subs and not _violent_subs(f)):
        return PRO, "Peaceful protest"
    return None


_PROTEST_SUBS = ("Peaceful protest", "Protest with intervention")
# where a protest's cause or purpose begins ("to demand justice for a man shot by police", "after he was attacked
# by guards", "demanding the release of those arrested"): what follows, to the end of its sentence, is what the
# protest is about, not what happened at it
_CAUSE = re.compile(r"\b(?:to (?:protest|demand|denounce|reject|commemorate|condemn|support|demonstrate|complain|call|"
                    r"urge|express|mark|honou?r|remember|oppose|press|ask|seek|claim)|"
                    r"in protest (?:at|against|of|over)|after|following|demanding|protesting|denouncing|condemning|"
                    r"calling for|in solidarity with|in memory of|in support of)\b[^.;]*", re.I)


def protest_acts(text: str) -> str:
    """The text without what a protest is about (:data:`_CAUSE`): "residents protested to demand justice after a
    man was shot by police" -> "residents protested": the violence and arrests of its cause are not the protest's."""
    return _CAUSE.sub(" ", text)


_FORCE = re.compile(r"\b(?:tear ?-?gas\w*|water cannons?|rubber bullets|batons?|baton[- ]charged?|lathi[- ]?charged?|"
                    r"pepper spray|stun grenades?|forcibly|forcefully|used force)\b", re.I)
_AUTHORITIES = re.compile(r"\b(?:police|security forces|gendarm\w*|soldiers|military|troops|authorities|officers)\b",
                          re.I)
_STOPPED = re.compile(r"\b(?:dispersed|disperse|arrested|detained|prevented|stopped|removed|evicted|pushed|"
                      r"scuffled|intervened|cordoned|blocked (?:the|them)|broke up|took (?:\w+ ){0,3}into custody)\b",
                      re.I)


def mob_violence(f: Facts) -> Decision:
    """"a mob lynched a suspected thief", "supporters of two parties clashed" — violence by an unorganised crowd."""
    if "Mob violence" in f.subs:
        return RIO, "Mob violence"
    clash = "Armed clash" in f.subs or "Violent demonstration" in f.subs
    armed = f.actor1_inter in ARMED_KINDS or f.actor2_inter in ARMED_KINDS
    if clash and not armed and _UNARMED_GROUPS.search(f.text) and not _FIREARMS.search(f.text):
        return RIO, "Mob violence"
    return None


def abduction_by_armed_group(f: Facts) -> Decision:
    """"militants detained an IDP man" — taken by a non-state group, it is an abduction, not an arrest."""
    if "Arrests" in f.subs and f.actor1_inter in ("Rebel group", "Political militia", "Identity militia"):
        return VAC, "Abduction/forced disappearance"
    return None


def remote_violence_by_means(f: Facts) -> Decision:
    """"an IED exploded", "forces shelled the village" — the weapon decides, unless the text reports the fight
    first ("clashes broke out ... with artillery support")."""
    means = [s for s in f.subs if s in _ER_SUBS]
    means += [_GENERIC_MEANS[p] for s, p in zip(f.subs, f.phrases) if not s and p in _GENERIC_MEANS]
    if not means:
        return None
    if "Armed clash" in f.subs and _fight_reported(f.text):
        return BAT, "Armed clash"          # a fight with artillery or mines in it is a battle
    return ER, means[0]


# rioters or a riot in a trigger phrase ("rioters clashed", "riots broke out"; not "riot police", "anti-riot")
_RIOTING = re.compile(r"(?<!anti-)(?<!anti )\briot(?:s|ers?|ing|ed)?\b"
                      r"(?!\s+(?:police|gear|squad|unit|control|forces?))", re.I)
# what makes rioters demonstrators: a demonstration, or a cause they riot for ("against the price rise")
_DEMONSTRATING = re.compile(r"\b(?:demonstrat\w*|protest\w*|(?-i:march)|marche[sd]|marching|marchers|"
                            r"rall(?:y|ies|ied)|sit-ins?|strik(?:e|es|ing)|against|demand\w*|denounc\w*|"
                            r"over (?:the )?(?:arrest|killing|death|price|result))\b", re.I)
_CLASH_WORDS = re.compile(r"\b(?:clash\w*|fighting|fought|exchange[sd]? (?:of )?fire|gun ?battles?|shoot-?outs?|"
                          r"firefights?|armed confrontations?)\b", re.I)


_PAST_FIGHT = re.compile(r"\b(?:previous|past|earlier|former|old|prior)\s+(?:\w+\s+)?$", re.I)


def _fight_reported(text: str) -> bool:
    """A fight the text reports ("fired artillery and clashed with the army"), not one it recalls ("a landmine
    left from previous clashes")."""
    return any(not _PAST_FIGHT.search(text, max(0, m.start() - 20), m.start()) for m in _CLASH_WORDS.finditer(text))


def attack_on_armed_target(f: Facts) -> Decision:
    """"gunmen shot dead a police officer", "attacked an army checkpoint" — an attack on armed people is a battle."""
    if not any(s in ("Attack", "") for s in f.subs) or "Armed clash" in f.subs:
        return None
    victim = victim_kind(f.text)
    if victim == "civilian":
        return None           # "shot a villager near the police station", "an off-duty officer": the victim decides
    if f.actor2_inter in ARMED_KINDS or (f.actor2_inter is None and victim == "armed"):
        return BAT, "Armed clash"
    return None


def attack_on_civilians(f: Facts) -> Decision:
    """"gunmen killed two farmers", "soldiers beat a journalist" — violence on unarmed people."""
    violent = [s for s in f.subs if s in ("Attack", "Armed clash", "")]
    if not violent:
        return None
    civilian_victim = victim_kind(f.text) == "civilian"
    if f.actor2_inter in ARMED_KINDS and not civilian_victim:
        return None
    if "Armed clash" in f.subs and _fight_reported(f.text):
        return None           # "police and gang members clashed after the latter killed a man": the fight
    if f.actor2_inter == "Civilians" or civilian_victim or _CIVILIAN_VICTIM.search(f.text):
        if "Sexual violence" in f.subs:
            return VAC, "Sexual violence"
        if "Abduction/forced disappearance" in f.subs:
            return VAC, "Abduction/forced disappearance"
        return VAC, "Attack"
    return None


# an unorganised crowd doing the harm: "villagers beat and killed a man", "was beaten by a group of people"
_CROWD = (r"(?:villagers|locals|local residents|residents|relatives|family members|a (?:group|crowd|mob) of "
          r"(?:\w+ ){0,2}?(?:people|persons|individuals|men|youths|residents|villagers)|a (?:angry )?(?:mob|crowd)|"
          r"(?:angry )?mobs?|crowds?|(?:\w+ )?settlers|youths|people)")
_CROWD_DOES_HARM = re.compile(r"\b" + _CROWD + r"(?: \([^)]*\))?,? (?:(?!(?:was|were|been|being|are|is|had|have)\b)"
                              r"\w+ ){0,2}?(?:beat|lynched|assaulted|attacked|"
                              r"stoned|stabbed|killed|hacked|burned|set (?:\w+ ){0,2}on fire|thrashed|tortured|"
                              r"physically (?:assaulted|attacked))\b", re.I)
_HARMED_BY_CROWD = re.compile(r"\b(?:was|were)\s+(?:\w+\s+){0,4}?(?:beaten|lynched|assaulted|attacked|stoned|stabbed|"
                              r"killed|hacked|burned|thrashed|tortured)\b[^.;]{0,60}?\bby (?:a |an |the )?(?:group of |"
                              r"number of )?(?:unknown )?(?:people|persons|individuals|residents|villagers|locals|"
                              r"relatives|a mob|mobs?|crowds?|(?:\w+ )?settlers|youths)\b", re.I)


def mob_attack(f: Facts) -> Decision:
    """"villagers beat and killed a suspected thief", "a man was beaten by a group of people" — a crowd's
    violence on a person, with no firearms and no armed actor, is mob violence (a riot), not an armed group's
    attack."""
    if not any(s in ("Attack", "") for s in f.subs) or f.actor1_inter in ARMED_KINDS:
        return None
    if _FIREARMS.search(f.text) or _ARMS_USED.search(f.text):
        return None
    if _CROWD_DOES_HARM.search(f.text) or _HARMED_BY_CROWD.search(f.text):
        return RIO, "Mob violence"
    return None


_ARMS_USED = re.compile(r"\b(?:shot|shooting|gunmen|gunfire|pistols?|grenades?|explosives?|bombs?)\b", re.I)


RULES: tuple[Callable[[Facts], Decision], ...] = (
    note_label, excessive_force, violent_demonstration, protest_with_intervention, peaceful_protest, mob_violence,
    abduction_by_armed_group, remote_violence_by_means, attack_on_armed_target, mob_attack, attack_on_civilians,
)


def decide(f: Facts) -> tuple[tuple[str, str] | None, str]:
    """The (event_type, sub_event_type) the first deciding rule gives, and that rule's name ("" for none)."""
    for rule in RULES:
        got = rule(f)
        if got is not None:
            return got, rule.__name__
    return None, ""


_ER_SUBS = ("Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade",
            "Suicide bomb", "Chemical weapon")


# generic words that still name the means: "a strike killed", "an explosion hit"
_GENERIC_MEANS = {"strike": "Air/drone strike", "strikes": "Air/drone strike", "struck": "Air/drone strike",
                  "explosion": "Remote explosive/landmine/IED", "explosions": "Remote explosive/landmine/IED",
                  "blast": "Remote explosive/landmine/IED", "blasts": "Remote explosive/landmine/IED",
                  "exploded": "Remote explosive/landmine/IED"}


def _violent_subs(f: Facts) -> bool:
    return any(s in ("Violent demonstration", "Mob violence", "Armed clash", "Attack") for s in f.subs)


def victim_kind(text: str) -> str | None:
    """Who the people harmed are: "armed" ("killed a soldier", "a police officer was shot", "shot a gang member"),
    "civilian" ("shot a villager", "a development officer was shot dead", "an off-duty policeman") or None (not
    said) — decided by the first victim noun after the harm verb (or the last one before a passive "was
    killed")."""
    m = _HARM.search(text)
    if m and not _PASSIVE_JUST_BEFORE.search(text, max(0, m.start() - 25), m.start()):
        v = _VICTIM.search(text, m.end(), m.end() + 80)
        if v:
            return _kind_of(v, text)
    m = _PASSIVE_HARM.search(text)
    if m:
        last = None
        for last in _VICTIM.finditer(m.group("before")):
            pass
        if last is not None:
            return _kind_of(last, m.group("before"))
    return None


def _kind_of(v: "re.Match[str]", text: str) -> str:
    if v.group("armed") is None or _off_duty(text, v.start()):
        return "civilian"
    if _CIVIL_POST.search(text, max(0, v.start() - 25), v.start()) and v.group("armed").lower().startswith("officer"):
        return "civilian"     # "a municipal development officer", "an election officer"
    return "armed"


# the posts of civil officers: "a welfare officer" is no police officer
_CIVIL_POST = re.compile(r"\b(?:welfare|development|revenue|election|electoral|health|medical|forest|forestry|tax|"
                         r"information|executive|loan|liaison|protocol|press|education|agricultural|agriculture|"
                         r"municipal|finance|administrative|program|programme|project|returning|land|veterinary|"
                         r"relations|planning|village|union)\s+(?:and\s+\w+\s+)?$", re.I)


# "(a civilian) was killed by militants": a harm verb in the passive, whose victim comes before it
_PASSIVE_JUST_BEFORE = re.compile(r"\b(?:was|were|been|being)\s+(?:\w+\s+){0,2}$", re.I)
# "an off-duty police officer", "a retired soldier": not armed at the time, a civilian as ACLED codes the attack
_OFF_DUTY = re.compile(r"\b(?:off-duty|retired|former)\s+(?:\w+\s+)?$", re.I)


def _off_duty(text: str, start: int) -> bool:
    """Whether the victim named at ``start`` is an off-duty, retired or former member of an armed force."""
    return _OFF_DUTY.search(text, max(0, start - 25), start) is not None


_HARM = re.compile(r"\b(?:killed|killing|shot|shooting|wounded|injured|attacked|ambushed|targeted|abducted|beheaded|"
                   r"stabbed|opened fire on|fired at)\b", re.I)
_VICTIM = re.compile(r"\b(?:(?P<civ0>members? of (?:the )?(?:[\w-]+ ){0,3}(?:community|communities|famil(?:y|ies)|"
                     r"tribes?|clans?|ethnic group|congregation|parish))|"
                     r"(?P<armed>police(?:man|men| officers?| stations?| posts?| forces)?|soldiers?|troops|military|"
                     r"army|checkpoints?|bases?|barracks|patrols?|convoys?|militants?|rebels?|fighters?|militiam[ae]n|"
                     r"militias?|security forces|guards?|gendarmes?|officers?|positions?|gang members?|gangsters?|"
                     r"drug (?:dealers?|traffickers?)|traffickers?|members? of (?:the )?[A-Z][\w-]*|members?|"
                     r"(?:explosives )?experts?|commanders?|sergeants?|agents?|combatants?|insurgents?|jihadists?)|"
                     r"(?P<civ>civilians?|villagers?|residents?|farmers?|traders?|m[ae]n|wom[ae]n|boys?|girls?|"
                     r"child(?:ren)?|teenagers?|students?|teachers?|journalists?|passers?-?by|drivers?|vendors?|"
                     r"worshippers|pastors?|priests?|imams?|herders?|pastoralists|IDPs?|refugees?|migrants?|families|"
                     r"person|people|labou?rers|workers|lawyers?|doctors?|nurses?|businessm[ae]n|shop ?keepers?|"
                     r"leaders?|chiefs?|officials?|activists?|suspects?))\b", re.I)


__all__ = ["Facts", "RULES", "decide", "ARMED_KINDS"] + [r.__name__ for r in RULES]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.incidents.decide":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
