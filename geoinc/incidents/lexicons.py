"""The data tables of incident extraction: event triggers, modality cues, actors, toll words, place context.

Pure data (regular expressions and tables), no logic: :mod:`geoinc.incidents.extract` reads them sentence by
sentence, :mod:`~geoinc.incidents.actors` and :mod:`~geoinc.incidents.counts` use the actor and toll tables.
"""
from __future__ import annotations

import re

from ..text import NUMBER_WORDS
from .gate import Gated, Scanner, WordPattern, factor_alternation, literal_gate
from .taxonomy import SUB_EVENT_TYPES

ER, BAT, VAC, PRO, RIO, SD = ("Explosions/Remote violence", "Battles", "Violence against civilians", "Protests",
                              "Riots", "Strategic developments")

# --- the trigger lexicon: ONE table, one row per phrase family ---------------------------------------------
# (sub-event type as ACLED's codebook names it, pattern, example phrase). The event type follows from the
# sub-event type (geoinc.incidents.taxonomy). Order matters only among overlapping phrases (first wins); the
# type rules of geoinc.incidents.decide may re-code a sentence from its context (targets, violence, police).
# "" = a generic violent phrase whose type the rules decide ("attacked", "killed").
TRIGGERS: list[tuple[str, str, str, str]] = [
    ("Suicide bomb", "", r"suicide (?:bomb(?:ing|ers?|s)?|attacks?|car bombs?|vests?|blasts?)|blew (?:himself|herself|"
     r"themselves) up", "a suicide bomber blew himself up at a checkpoint"),
    ("Chemical weapon", "", r"chemical (?:attacks?|weapons?)|(?:sarin|chlorine|mustard) gas", "a chlorine gas attack"),
    ("Air/drone strike", "", r"drone[- ]?strikes?|drone attacks?|air[- ]?strikes?|airstrikes?|air raids?|aerial (?:bombardment|"
     r"attacks?|strikes?|bombing)|kamikaze drones?|(?:loitering|suicide|attack) drones?|UAV strikes?|"
     r"(?:killed|struck|hit|attacked|targeted|bombed) by (?:an? )?(?:armed )?(?:drones?|aircraft|warplanes?|jets?|"
     r"helicopters?|UAVs?)|with (?:an? )?(?:explosive[- ]laden |armed )?(?:drones?|UAVs?)|(?:drones?|UAVs?) "
     r"(?:struck|hit|attacked|targeted|dropped|bombed)|(?:warplanes?|fighter jets?|jets?|aircraft|helicopters?|"
     r"gunships?) (?:struck|hit|bombed|targeted|attacked|fired|carried out)|(?:sent|launched|fired|flew) (?:\w+ ){0,2}"
     r"drones?|bombings?|bombed|bombard(?:ed|ment)|strikes? (?:hit|struck|pounded|targeted)",
     "warplanes bombed the village; a drone strike hit a car"),
    ("Shelling/artillery/missile attack", "", r"rocket (?:attacks?|fire|strikes?|salvos?|barrages?)|barrages? of rockets|"
     r"(?:fired|launched) (?:\w+ ){0,3}(?:rockets|missiles?|mortars?|shells|artillery)|(?:rockets?|missiles?|shells) "
     r"(?:at|on|against|into)|(?:rockets?|missiles?|shells?|mortars?) "
     r"(?:hit|struck|landed|fell|exploded)|with (?:rockets|missiles|mortars|artillery|MLRS)|rockets? (?:were |was )?"
     r"fired|shell(?:ing|ed|s)|artillery|missile (?:attacks?|strikes?)|mortar (?:fire|attacks?|rounds?|shells?)|"
     r"mortars|MLRS|Grad|multiple (?:launch )?rocket|cluster munitions?|tank fire|howitzers?",
     "Russian forces shelled the town; artillery fire on positions"),
    # weak: "forces fired on the district" is shelling when a sign of armed violence is in the sentence
    ("Shelling/artillery/missile attack", "violence", r"fired (?:on|upon)", "Russian forces fired on the district"),
    ("Remote explosive/landmine/IED", "", r"(?:roadside|car|truck|motorcycle|parcel|pipe) bombs?|IEDs?|VBIEDs?|"
     r"improvised explosive devices?|(?:land ?|anti-personnel |anti-tank )?mines? (?:exploded|blast|explosion|"
     r"went off)|landmines?|land mines?|explosive devices?|(?:stepped|drove) on (?:an? )?(?:land)?mine|"
     r"bombs? (?:exploded|went off|blast|detonated|explosion)|explosives? (?:exploded|detonated|went off)|"
     r"detonated|(?:mine|bomb|IED|explosives?|remote explosive) attacks?|with (?:\w+ ){0,2}(?:mines|bombs|IEDs|"
     r"explosives)", "a roadside bomb exploded near a patrol; the group carried out a mine attack"),
    ("Grenade", "", r"grenades?", "a man threw a grenade into the market"),
    ("Sexual violence", "", r"rap(?:ed|ing|es)|gang-?raped?|sexual(?:ly)? (?:violence|assault(?:ed)?|abused?)",
     "a girl was raped by soldiers"),
    ("Abduction/forced disappearance", "", r"kidnap(?:p(?:ed|ing|ers?))?|abduct(?:ed|ion|ions|ing|s)|forcibly disappeared|"
     r"(?:taken|held) hostage|took (?:\w+ ){0,3}hostage|hostages? (?:were |was )?(?:taken|seized)",
     "gunmen abducted two traders"),
    ("Government regains territory", "", r"retook|recaptur(?:ed|ing|e)|regained (?:full )?control|took back control|liberated "
     r"(?:the )?(?:town|city|village|area|settlement)|(?:re-?)?took back", "the army recaptured the town"),
    ("Non-state actor overtakes territory", "", r"seized control|tak(?:ing|en|e) (?:full )?control (?:of|over)|took (?:full )?control|overran|(?:captured|seized) (?:the )?"
     r"(?:\w+ )?(?:towns?|city|village|district|area|bases?|headquarters|airport|province|region|outposts?)|took over (?:the )?(?:town|city|village|district|area)",
     "militants seized control of the district"),
    ("Armed clash", "", r"(?:clash(?:es)?|fighting|(?:heavy )?gunfire|firing) (?:erupted|broke out|raged|flared|ensued)|clashes between|gun ?battles?|gunfights?|fire ?fights?|shoot-?outs?|exchanged? (?:of )?(?:fire|gunfire)|"
     r"exchange of (?:fire|gunfire)|armed (?:clash(?:es)?|confrontations?)|ambush(?:ed|es)?|attacked (?:\w+ ){0,3}"
     r"(?:positions|checkpoints?|bases?|posts?|barracks|outposts?|convoys?|patrols?)|fired (?:at|on|upon) (?:\w+ ){0,3}"
     r"(?:positions|checkpoints?|posts?|bases?|troops|soldiers|vehicles|convoys?|patrols?)", "gunmen ambushed a patrol"),
    # weak words (sport and politics use them too): a battle only with a sign of violence in the sentence
    ("Armed clash", "violence", r"clash(?:es|ed|ing)?|(?:heavy )?fighting|fought|skirmish(?:es|ed)?|engaged (?:in )?"
     r"(?:combat|fighting|clashes|an? (?:attack|offensive|assault))|repuls(?:ed|ing)|repelled|(?:an? )?offensive|"
     r"counter-?attack(?:ed|s)?|assault(?:ed)? (?:on )?(?:\w+ ){0,2}positions|battles?",
     "clashes between the army and militants; Russian forces attacked Ukrainian positions"),
    ("Excessive force against protesters", "", r"(?:opened fire|fired live (?:ammunition|rounds|bullets)) (?:on|at|into) "
     r"(?:the )?(?:protesters|demonstrators|crowds?|marchers)", "soldiers opened fire on protesters"),
    ("Protest with intervention", "", r"dispersed|tear ?-?gas|water cannons?|rubber bullets|baton[- ]charged?|lathi[- ]?"
     r"charged?|pepper spray", "police dispersed the crowd with tear gas"),
    ("Violent demonstration", "", r"riot(?:s|ers|ed|ing)?|threw (?:stones|rocks|bricks|petrol bombs|molotov)|"
     r"(?:stones?|rocks?) (?:were )?thrown|stone-?pelting|pelt(?:ed|ing)|hurl(?:ed|ing) (?:stones|rocks|bricks|"
     r"petrol bombs|molotov)|molotov cocktails?|petrol bombs?|vandali[sz]ed|"
     r"(?:burn(?:ed|t|ing)|set fire to|torched) (?:\w+ ){0,2}tyres|(?:burn(?:ed|t|ing)|set fire to|torched) (?:\w+ ){0,2}tires",
     "rioters threw stones at police"),
    ("Mob violence", "", r"mob|lynch(?:ed|ing|ings)?|vigilantes?|(?:beat|beaten) (?:up |to death)|beat (?:\w+ ){0,2}"
     r"(?:to death|up)|mob justice|angry (?:residents|villagers|crowd)", "a mob lynched a suspected thief"),
    ("Peaceful protest", "", r"protest(?:s|ed|ers|ing|or|ors)?|demonstrat(?:ion|ions|ors?)|"
     # intransitive "demonstrated" ("6,000 people demonstrated in Istanbul"), not "demonstrated its new phone"
     r"demonstrat(?:ed|ing|e)(?=\s+(?:in|outside|at|against|for|near|on|across|along|through|before|in front|"
     r"to (?:demand|protest|denounce|oppose|show|express)|peacefully)\b|\s*[,.;:]|\s*--)|"
     r"(?-i:marched|marchers)|sit-?ins?|went on (?:a )?strike|on (?:a )?(?:hunger |general )?strike|"
     r"(?:hunger|general|labou?r) strikes?|strikers|took (?:to )?the streets|(?:participated|took part|joined) in (?:a |an |the )?"
     r"(?:[\w-]+ ){0,2}(?:march|rally|protest|demonstration|procession|vigil|strike|sit-in|parade)|(?:workers|drivers|teachers|doctors|nurses|employees|staff|students|"
     r"traders|farmers|unions?) (?:went on|staged|held|began|launched|called) (?:a |an )?(?:\w+ )?strike|"
     r"picket(?:ed|s|ing)?|chant(?:ing|ed) slogans|human chain|(?:held|staged) (?:a |an )?(?:\w+ )?march",
     "around 300 people demonstrated outside parliament; teachers went on strike"),
    # weak words: a protest only with a protest cue in the sentence ("to demand", "against", "in support of")
    ("Peaceful protest", "protest", r"demonstrat(?:e|ed|ing)|rall(?:y|ies|ied|ying)|(?-i:march(?:es|ing)?)|gathered|assembled|boycott(?:ed)?|"
     r"vigils?|processions?|block(?:ed|ing|s)? (?:a |the |an |both )?(?:[\w-]+ ){0,3}(?:roads?|highways?|streets?|"
     r"avenues?|access(?:es)?|entrances?|traffic|bridges?|railways?|routes?|intersections?|junctions?|sites?|gates?|"
     r"ports?|offices?|buildings?|lanes?)|road ?blocks?|blockade(?:d|s)?|walk-?outs?|walked out|"
     r"motorcades?|caravans?|(?:held|staged|organi[sz]ed) (?:a |an )?(?:\w+ )?(?:event|meeting|gathering|campaign|"
     r"action|performance)|press conferences?|took over|occupied|occupation of|barricaded|barricades|sit down|"
     r"set up (?:a |an )?(?:\w+ )?(?:camp|tents?)|carried (?:\w+ ){0,2}(?:banners|placards|flags)",
     "residents blocked the highway to demand water; activists gathered against the law"),
    ("Disrupted weapons use", "", r"intercepted|shot down|defused|(?:dismantled|disarmed|neutrali[sz]ed) (?:an? |the )?"
     r"(?:\w+ ){0,2}(?:bombs?|IEDs?|explosives?|devices?|mines?|drones?)|seized (?:\w+ ){0,4}(?:weapons|arms|firearms|"
     r"rifles|guns|ammunition|explosives|grenades)|(?:weapons|arms|ammunition|explosives) (?:cache|depot)s?|"
     r"foiled|thwarted", "air defences intercepted a missile; soldiers seized a weapons cache"),
    ("Change to group/activity", "", r"evacuat(?:ed|ing|ion of)|withdr(?:ew|awn|awal) (?:from|its|their|of)|redeploy(?:ed|ment)|"
     r"relocat(?:ed|ion)|pulled out of|suspend(?:ed|s|ing)? (?:\w+ ){0,4}operations|vacat(?:e|ed|ing)|"
     r"abandon(?:ed|ing)? (?:\w+ ){0,3}(?:positions|posts|bases)|left (?:[\w()]+ ){0,3}(?:positions|posts|bases|"
     r"headquarters)|deployed|stationed|recruit(?:ed|ment|ing)|curfew|lockdown|mobili[sz]ed|reinforcements",
     "pro-Iran fighters evacuated 12 positions; the army deployed troops to the town"),
    # weak: a patrol is a movement of forces only when armed forces patrol ("police patrolled the station")
    ("Change to group/activity", "forces", r"patroll?(?:ed|ing|s)?", "troops patrolled the border villages"),
    ("Headquarters or base established", "", r"(?:established|set up|opened|built) (?:a |an |new |its )?(?:military |new )?"
     r"(?:base|headquarters|HQ|outpost|camp)s?", "the group set up a new headquarters in the village"),
    ("Agreement", "", r"(?:ceasefire|truce|peace) (?:agreement|deal|accord) (?:was )?(?:signed|reached|agreed)|agreed (?:to|on) "
     r"an? (?:ceasefire|truce)|prisoner (?:swap|exchange)|exchanged (?:\w+ ){0,2}prisoners",
     "the two sides agreed to a ceasefire; a prisoner exchange"),
    ("Agreement", "violence", r"signed an? (?:\w+ )?(?:agreement|accord|deal)", "the rebels signed an agreement"),
    # "captured" without a sign of violence: a person captured is an arrest (the type rules make it an abduction
    # when rebels capture), a named place captured is territory taken; not "captured on camera"
    ("Arrests", "", r"(?:was|were|been|being|got) (?:\w+ )?captured(?! (?:on|in|by) (?:\w+ )?(?:cameras?|video|film|"
     r"tape|CCTV|photos?|images?|footage|pictures?|photographers?)\b)|captur(?:ed|es|e|ing) (?:\w+ ){0,3}"
     r"(?:suspects?|fugitives?|militants?|rebels?|insurgents?|soldiers?|fighters?|gunmen|leaders?|commanders?|"
     r"migrants?|sailors?|hostages?|smugglers?|traffickers?|kidnappers?|terrorists?|escapees?|prisoners?)",
     "police captured two suspects; the fugitive was captured in the port city"),
    ("Non-state actor overtakes territory", "", r"(?:captured|seized|captures|seizes) (?-i:[A-Z])[\w'’-]+",
     "last month the rebels captured Kismayo"),
    ("Arrests", "", r"arrest(?:ed|s|ing)?|detain(?:ed|ing)|apprehended|taken into custody|rounded up|in custody",
     "police arrested five suspects"),
    ("Looting/property destruction", "", r"loot(?:ed|ing|ers)|torch(?:ed|ing)|set (?:\w+ ){0,3}(?:on fire|ablaze|alight)|"
     r"set fire|burn(?:ed|t) down|demolish(?:ed|ing)|raz(?:ed|ing)|ransack(?:ed|ing)|plunder(?:ed|ing)|"
     r"destroy(?:ed|ing) (?:\w+ ){0,3}(?:houses|homes|property|properties|shops|crops|vehicles?|buildings?|offices?)|"
     r"extort(?:ed|ion)|robbed|seized (?:\w+ ){0,3}(?:cattle|livestock|goods|property)|arson",
     "militants looted shops and torched houses"),
    ("Non-violent transfer of territory", "", r"handed over (?:control|the (?:town|city|area)|positions)|(?:took|take) "
     r"over (?:\w+ ){0,2}without (?:a )?(?:fight|resistance)", "rebels handed over the town without a fight"),
    ("Attack", "", r"(?:was|were|been|being) (?:fatally |critically |seriously )?shot|fatally shot|opened fire (?:on|at|towards|"
     r"into)|found the bod(?:y|ies)|physically (?:attacked|assaulted)|(?:severely |brutally )?beaten up|"
     r"(?:was|were) (?:severely |brutally )?beaten|shot (?:and killed|dead|to death)|gunned down|executed|massacred?|stabb(?:ed|ing)|hacked|"
     r"beheaded|murder(?:ed|s)?|assassinat(?:ed|ion)|tortured|burn(?:ed|t) (?:\w+ ){0,2}alive|"
     r"(?:bodies|body) (?:of|were|was) (?:\w+ ){0,6}found|found dead|shoots? (?:\w+ ){0,3}(?:dead|to death)",
     "gunmen shot dead a farmer"),
    # weak words: an attack only when someone is harmed or targeted ("shot" also scores goals)
    ("Attack", "harm", r"assaulted|beat(?:en|ing)?|opened fire|shot at|fired (?:shots|gunshots|at)|shot|shootings?|"
     r"drive-by|gunfire|gunshots?|targeted",
     "unknown men shot and wounded a trader"),
]
GENERIC = r"attack(?:s|ed|ing)?|strikes?|struck(?! down| a deal| an? agreement)|assaults?|explosions?|exploded|blasts?|killed|killing|" \
          r"kills?|raid(?:s|ed)?|" \
          r"violence|incursion|invaded|storm(?:ed|ing)|captur(?:ed|ing)|targeting|military operations?|offensive|wounded|" \
          r"seiz(?:ed|ing)|destroy(?:ed|ing|s)|entered|advanc(?:ed|ing)|besieged"
TRIGGERS_RE = [(re.compile(rf"\b(?:{p})\b", re.I), SUB_EVENT_TYPES[sub], sub, cond, literal_gate(p))
               for sub, cond, p, _ in TRIGGERS]
# the cues a conditional trigger needs somewhere in its sentence
_CUE_PATTERNS: dict[str, re.Pattern[str]] = {
    "protest": re.compile(r"\b(?:protest\w*|demonstrat\w*|against|to (?:demand|denounce|oppose|condemn|reject|"
                          r"express|show|call for|press|support|mark|commemorate|highlight|draw attention)|demand\w*|"
                          r"denounc\w*|in (?:support|solidarity|protest|memory|defen[cs]e) of|calling for|slogans|"
                          r"placards|banners?|flags|voice\w*|defend\w*|honou?r\w*|commemorat\w*|memory|mourn\w*|tribute|pride|"
                          r"complain\w*|call(?:ed|ing)? (?:on|for|the)|urg\w*|release|asked for|advoca\w*|awareness|in favou?r of|dissatisf\w+|oppos\w+|at the call of|on the occasion of|rights|"
                          r"support rally|solidarity|over (?:the )?(?:lack|delay|shortage|non-payment|killing|arrest|"
                          r"death))\b",
                          re.I),
    # a sign of armed violence: weapons, armed actors, casualties ("clash" and "attack" alone are also sport)
    "violence": re.compile(r"\b(?:kill\w*|dead|died|death|injur\w*|wound\w*|casualt\w*|civilians?|soldiers?|troops|"
                           r"militar\w*|army|police\w*|forces|militants?|rebels?|insurgents?|gunm[ae]n|fighters?|"
                           r"militia\w*|armed|weapons?|guns?|gunfire|rifles?|bombs?|explosives?|rockets?|missiles?|"
                           r"drones?|artillery|shell\w*|mortars?|jihadists?|terror\w*|hostages?|ceasefire|truce|"
                           r"war|security|stones|sticks|machetes|knives|hurt|clashes between|factions?|gangs?|"
                           r"attackers?|assailants?|aerial|air forces?|"
                           r"villagers|communities|tribes?|clans?|herders|jihad\w*|Islamic State|Taliban|"
                           r"Shabaa?b|Boko Haram|ISIS|ISIL|Daesh|Nusra|Qa'?eda|Hezbollah|Hamas|YPG|PKK|SDF|"
                           r"guerrill\w*|raiders?|commandos?|paramilitar\w*|separatists?|siege|bullets?)\b", re.I),
    # who patrols as a movement of forces: armed or security forces, their craft and vehicles (not "fans patrolled")
    "forces": re.compile(r"\b(?:soldiers?|troops|militar\w*|army|police\w*|policem[ae]n|forces|militants?|rebels?|"
                         r"insurgents?|gunm[ae]n|fighters?|militia\w*|militiam[ae]n|armed|peacekeep\w*|guardsm[ae]n|"
                         r"(?:national|coast|border|republican) guards?|marines|navy|naval|warships?|gunboats?|"
                         r"helicopters?|warplanes?|(?:fighter |military )?(?:jets|planes)|bombers|armou?red|tanks|"
                         r"battalions?|brigades?|regiments?|units|paratroopers|commandos?|gendarm\w*|"
                         r"paramilitar\w*|security|vigilantes?)\b", re.I),
    "harm": re.compile(r"\b(?:kill\w*|injur\w*|wound\w*|dead|died|death|hospital\w*|victims?|civilians?|casualt\w*|"
                       r"hurt|critically|seriously|bullet\w*|gun\w*|armed|assailants?|attackers?)\b", re.I),
}
# "The attack occurred in ...", "the blasts took place near ...": a violent event noun reported as having happened
HAPPENED = re.compile(r"(?:attacks?|explosions?|blasts?|raids?|bombings?|shootings?|killings?|massacres?)\s+"
                      r"(?:\w+\s+)?(?:occurred|took place|happened)\b", re.I)
GENERIC_RE = re.compile(rf"\b{factor_alternation(GENERIC)}\b", re.I)
# one walk over a sentence's words finds the trigger rows and, as the last row, the generic words
TRIGGER_SCAN = Scanner([row[0] for row in TRIGGERS_RE] + [GENERIC_RE],
                       [row[4] for row in TRIGGERS_RE] + [literal_gate(GENERIC)])
GENERIC_ROW = len(TRIGGERS_RE)


def _factored(pattern: "re.Pattern[str]") -> "re.Pattern[str]":
    """A ``\\b(?:a|b|...)\\b`` pattern with its words grouped by first letter (gate.factor_alternation): the same
    matches, found faster (these cues are searched in every sentence that holds a conditional trigger)."""
    src = pattern.pattern
    assert src.startswith(r"\b(?:") and src.endswith(r")\b"), src
    return re.compile(r"\b" + factor_alternation(src[5:-3], bool(pattern.flags & re.I)) + r"\b", pattern.flags)


# (each cue is looked for at the sentence's words only, gate.WordPattern: every cue opens a word)
CUES: dict[str, WordPattern] = {cond: WordPattern(_factored(p)) for cond, p in _CUE_PATTERNS.items()}

# ACLED-style notes may open with a label naming the kind of strategic development ("Displacement: ...").
NOTE_LABELS: dict[str, str] = {
    "displacement": "Other", "non-violent activity": "Other", "other": "Other",
    "movement of forces": "Change to group/activity", "security measures": "Change to group/activity",
    "recruitment": "Change to group/activity", "change to group/activity": "Change to group/activity",
    "change to armed group": "Change to group/activity", "land seizure": "Looting/property destruction",
    "elections/referendum": "Other", "training": "Other",
    "weapons seizure": "Disrupted weapons use", "interception": "Disrupted weapons use",
    "defusal": "Disrupted weapons use", "property destruction": "Looting/property destruction",
    "looting": "Looting/property destruction", "arrests": "Arrests", "agreement": "Agreement",
    "headquarters or base established": "Headquarters or base established",
    "non-violent transfer of territory": "Non-violent transfer of territory",
}
NOTE_LABEL_RE = re.compile(r"^\s*(?P<label>[A-Z][a-z]+(?:[ /-][a-z]+){0,4}):\s+")

HYPOTHETICAL_BEFORE = re.compile(
    r"\b(?:possible|potential|future|would|could|might|may|will|threat(?:en(?:ed|s|ing)?)?|plans? to|planning to|"
    r"prepar(?:ed|ing) to|ready to|to avoid|avoid|vow(?:ed|s)? to|(?<!in )respond(?:ing)? to|fear(?:s|ed)? of|"
    r"against any|deter|prevent|if)\b[^.;:]{0,25}$", re.I)
AGGREGATE_BEFORE = re.compile(
    r"\b(?:more than|over|nearly|almost|some|dozens of|hundreds of|scores of|several|many|most|numerous|multiple|"
    r"a series of|a wave of|a string of|repeated|\d{2,})\s+"
    # the quantifier counts the event noun ("150 drone strikes"), not people before a verb or preposition ("21
    # fighters were killed during clashes")
    r"(?:(?!(?:during|in|at|on|after|before|by|from|with|were|was|have|had|been|killed|died|wounded|injured)\b)"
    r"[\w-]+\s+){0,2}$", re.I)
BACKGROUND = Gated(re.compile(r"\b(?:had already|since|had been|previously|in the past|first time|"
                               r"launched (?:rocket|drone) (?:attacks|strikes))\b", re.I))
REACTION = Gated(re.compile(r"\b(?:condemn(?:ed|s)?|denounc(?:ed|es)|deplor(?:ed|es)|responded|accused|"
                             r"has (?:no|nothing)|respond to|promised|vowed)\b", re.I))
# gated on its nouns: every match ends in one of them ("the deadly drone strike")
# (the determiners grouped by first letter, factor_alternation: the same matches, one branch tried per letter at
# each position of the sentence)
DEFINITE = Gated(re.compile(r"\b" + factor_alternation(r"the|this|that|these|its|yesterday's|sunday's|monday's|the deadly|"
                                                       r"the night") + r"\s+"
                            r"(?:[\w-]+\s+){0,2}?(?:attacks?|strikes?|drone strike|assault|bombings?|raid|explosion|"
                            r"blast|one which|incident)\b", re.I),
                 ("attack", "strike", "assault", "bombing", "raid", "explosion", "blast", "one which", "incident"))
# a plural event noun ("150 attacks", "several protests"): with a quantifier and no day, a summary of many events
PLURAL_NOUN = re.compile(r"(?:attacks|strikes|bombings|raids|explosions|blasts|protests|demonstrations|rallies|clashes|"
                         r"incidents|airstrikes|shellings|abductions|kidnappings|killings|arrests|riots|marches|"
                         r"ambushes|assaults|operations)$", re.I)
PLURAL = re.compile(r"(?:attacks|strikes|bombings|raids|explosions|blasts)$", re.I)
# a few events counted one by one right before their noun ("four separate attacks", "twin bombings", "two
# simultaneous blasts"): with their toll in the sentence, a report of those events, not a summary of many (as
# is a plural placed at a town or a site: "airstrikes on Hezbollah positions in Nubbul")
FEW_EVENTS_BEFORE = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|twin|[2-9]|10)\s+"
                               r"(?:(?:separate|simultaneous|coordinated|suicide|car|bomb|roadside|deadly)\s+){0,2}$",
                               re.I)

CLAIMED = Gated(re.compile(r"\bclaim(?:ed|ing|s)? (?:the )?responsibility\b|\bclaimed (?:the |an? )?(?:attacks?|strikes?)\b|"
                            r"\bsaid (?:on \w+ )?(?:that )?(?:it|its fighters|its members|the group) (?:had )?"
                            r"(?:carried out|launched|targeted|sent|fired|attacked|struck)\b", re.I))
NEGATED = re.compile(r"\b(?:not|none|no|could|cannot|can't|unable|yet to|without|neither|nor)\b[^.;]{0,30}$", re.I)
AUTHORITY = (r"(?:officials?|ministry|emergency services?|police|army|military|Pentagon|Central Command|CENTCOM|"
              r"governor|spokes(?:man|woman|person)|civil defen[cs]e|health authorities|World Health Organization|"
              r"United Nations|Red Cross|ICRC|state news agency)")
# gated: every match holds "confirmed", "according to" or "said" ("the Pentagon said", "according to officials")
# (the authority that opens the third form, tried at every position, grouped by first letter: factor_alternation)
CONFIRMED = Gated(re.compile(rf"\b(?:confirmed|according to (?:the )?(?:[\w.-]+\s+){{0,3}}?{AUTHORITY}|"
                             rf"{factor_alternation(AUTHORITY[3:-1])}\b[^.;]{{0,45}}?\bsaid)", re.I),
                  ("confirmed", "according to", "said"))
SPEAKER = re.compile(r"^\W*(?:\w+\W+){0,3}(?:said|says|told|announced|reported|stated)\b", re.I)
DENIED = Gated(re.compile(r"\bdenied (?:that )?(?:the |any |an? )?(?:attacks?|strikes?|incident)s? (?:took place|"
                           r"happened|occurred)|\bdenied reports? (?:of|that)\b", re.I))

TARGET_KINDS = {"External/Other forces", "State forces", "Civilians", "Protesters"}
PERPETRATOR_LINK = re.compile(r"\b(?:by|attributed to|blamed on|accused|claimed by|carried out by|responsible|"
                               r"launched by|from)\b[^.;]{0,40}$", re.I)

# count words a casualty figure may be written in (values: geoinc.text); "zero killed" is not a count
NUM_WORDS = [w for w in NUMBER_WORDS if w != "zero"] + ["hundred", "a dozen", "dozen", "a hundred"]
NUM = factor_alternation(r"\d[\d,]*|" + "|".join(sorted(map(re.escape, NUM_WORDS), key=len, reverse=True)) +
                         r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](?:one|two|three|four|five|six|"
                         r"seven|eight|nine)")
QUAL = r"(?P<q>at least|more than|over|nearly|almost|about|around|some|up to|as many as|approximately|roughly)"
PERSON = factor_alternation(r"people|persons?|civilians?|children|child|kids|boys?|girls?|wom[ae]n|m[ae]n|soldiers?|troops|"
          r"fighters?|members?|service ?members?|militants?|officers?|commanders?|leaders?|patients?|teenagers?|"
          r"residents?|workers?|sailors?|journalists?|policem[ae]n|guards?|family members|relatives|suspects?|"
          r"victims?|farmers?|drivers?|traders?|students?|teachers?|villagers?|youths?|individuals?|husbands?|wives|"
          r"wife|sons?|daughters?|fathers?|mothers?|brothers?|sisters?|activists?|officials?|chiefs?|herders?|"
          r"pastoralists?|doctors?|nurses?|priests?|imams?|pastors?|councill?ors?|candidates?|businessm[ae]n|"
          r"vendors?|merchants?|traffickers?|robbers?|thie(?:f|ves)|rebels?|insurgents?|combatants?|gunm[ae]n|"
          r"assailants?|attackers?|adolescents?|infants?|babies|baby|elders?|miners?|fishermen|fisherman|"
          r"passengers?|pilgrims?|worshippers?|refugees?|migrants?|detainees?|prisoners?|inmates?|staff|employees?|"
          r"sergeants?|constables?|captains?|lieutenants?|colonels?|generals?|police officers?|passers?-?by|"
          r"demonstrators?|protesters?|heads?|chairm[ae]n|chairpersons?|mayors?|governors?|directors?|editors?|"
          r"owners?|managers?|elders?|guerrillas?|jihadists?|terrorists?|bodyguards?|cadres?|supporters?|"
          r"militiam[ae]n|councilm[ae]n|fishermen|servicem[ae]n|policewom[ae]n|tribesm[ae]n|gunm[ae]n")
# "shot nine times", "fired 20 rounds": a number of these is not a count of people
NOT_PEOPLE = r"(?!\s+(?:times|rounds|bullets|shots|km|kilomet|miles|metres|meters|hours|days|weeks|months|years|" \
             r"minutes|vehicles|houses|homes|rockets|missiles|shells|drones|percent|per cent|%))"
NOT_NUM = rf"(?:(?!{NUM}\b)[\w'’-]+\s+)"
KILLED = [
    # "Fatalities coded as 7", "3 fatalities spread across 3 events": a toll as ACLED-style notes state it
    re.compile(rf"\bfatalities (?:\w+ ){{0,2}}coded as (?P<n>{NUM})\b", re.I),
    # "no one was killed", "no casualties": a stated zero (tried first)
    re.compile(r"\b(?P<n>no)(?:\s+one|body)\s+(?:else\s+)?(?:was|were)\s+(?:\w+\s+)?(?:killed|harmed)\b|"
               r"\b(?P<n2>no)\s+casualties\b", re.I),
    # "3 fatalities", "fatalities: 3": a toll stated as such
    re.compile(rf"\b(?P<n>{NUM}|a|one|no)\s+(?:reported\s+)?(?:fatalit(?:y|ies)|deaths)\b|\bfatalities:?\s+"
               rf"(?P<n2>{NUM})\b", re.I),
    re.compile(rf"\b(?:killed|killing|kills|kill|claimed the lives of)\s+(?:{QUAL}\s+)?(?P<n>{NUM}){NOT_PEOPLE}\b",
               re.I),
    re.compile(rf"\b(?:killed|killing|kills|murdered|executed|beheaded|shot dead|lynched|stabbed to death|"
               rf"beat to death|beaten to death)\s+(?P<n>a|an|one|the|both)\s+{NOT_NUM}{{0,3}}?{PERSON}\b", re.I),
    # "17 militants and 4 militiamen were killed", "three soldiers (VDP) and a councilman were killed": groups add up
    re.compile(rf"\b(?P<n>{NUM}|a|an)\s+(?:[\w()'’-]+\s+){{0,4}}?{PERSON}(?:\s+\([^)]*\))?\s+and\s+(?P<m>{NUM}|a|an)\s+"
               rf"(?:[\w()'’-]+\s+){{0,4}}?{PERSON}(?:\s+\([^)]*\))?\s+(?:were|have been|had been)\s+(?:\w+\s+and\s+)?"
               rf"(?:killed|slain|shot dead)\b", re.I),
    # "a man was shot and killed", "both traffickers were killed", "two men were stabbed to death"
    re.compile(rf"\b(?:{QUAL}\s+)?(?P<n>{NUM}|a|an|both)\s+{NOT_NUM}{{0,3}}?{PERSON}(?:\s+\([^)]*\))?\s+"
               rf"(?:(?!{NUM}\b)[\w,'’-]+\s+){{0,8}}?"
               rf"(?:(?:was|were|have been|has been|had been|got)\s+(?:\w+\s+and\s+)?|(?=died))(?:died|killed|shot dead|murdered|"
               rf"slain|stabbed to death|beaten to death|executed|lynched|beheaded|found dead|burned to death)\b", re.I),
    re.compile(rf"\b(?:{QUAL}\s+)?(?P<n>{NUM}){NOT_PEOPLE}\s+{NOT_NUM}{{0,3}}?(?:(?:were|was|have been|had been|"
               rf"are|being)\s+)?(?:killed|dead|died|slain)\b", re.I),
    re.compile(rf"\b(?:{QUAL}\s+)?(?P<n>{NUM})\s+{PERSON}\s+{NOT_NUM}{{0,10}}?(?:were|was|have been|had been)\s+"
               rf"(?:killed|slain)\b", re.I),
    re.compile(rf"\b(?:death toll|toll)\s+(?:(?:rose|climbed|of|stood at|reached|to|has risen to)\s+)*(?:{QUAL}\s+)?"
               rf"(?P<n>{NUM})\b", re.I),
    re.compile(rf"\bdeaths? of (?:the )?(?:{QUAL}\s+)?(?P<n>{NUM})\b", re.I),
    # "a young man's body was found", "the bodies of three men were found"
    re.compile(rf"\b(?P<n>a|an|the)\s+(?:[\w-]+\s+){{0,2}}?(?:man|woman|person|boy|girl|child|teenager)['’]s body\b|"
               rf"\bbodies of (?P<n2>{NUM})\b", re.I),
    # "killing another", "killing of one resident", "He was killed in the attack"
    re.compile(rf"\b(?:killing|killed)\s+(?:of\s+)?(?P<n>another|one|{NUM})\b|\b(?P<n2>he|she)\s+(?:was|has been|had been)\s+"
               rf"(?:\w+\s+and\s+)?(?:killed|shot dead|murdered)\b", re.I),
    # "dozens were killed", "killing several fighters": ACLED's convention for vague tolls (tens 10, dozens 12,
    # hundreds 100, an unspecified plural 10) — tried last, after every stated number
    re.compile(r"\b(?P<n>tens|dozens|hundreds|several|many|multiple|numerous)\s+(?:of\s+)?(?:[\w-]+\s+){0,3}?"
               r"(?:(?:were|was|have been|had been)\s+)?(?:killed|dead|died|slain)\b|\b(?:killed|killing)\s+"
               r"(?P<n2>tens|dozens|hundreds|several|many|multiple|numerous)\b", re.I),
]
INJURED = [
    # "no one was hurt", "nobody was injured", "no injuries were reported": a stated zero
    re.compile(r"\b(?P<n>no)(?:\s+one|body)\s+(?:else\s+)?(?:was|were|got)\s+(?:\w+\s+)?(?:hurt|injured|wounded)\b|"
               r"\b(?P<n2>no)\s+(?:injuries|injured|casualties|wounded)\b", re.I),
    re.compile(rf"\b(?:injured|injuring|injures|wounded|wounding|wounds|hurt)\s+(?:{QUAL}\s+)?(?P<n>{NUM})\b", re.I),
    re.compile(rf"\b(?:injured|injuring|wounded|wounding)\s+(?P<n>a|an|one)\s+(?:[\w-]+\s+){{0,2}}?{PERSON}\b", re.I),
    re.compile(rf"\b(?:{QUAL}\s+)?(?P<n>{NUM})\s+{NOT_NUM}{{0,3}}?(?:(?:were|was|have been|had been|are)\s+)?"
               rf"(?:injured|wounded|hurt)\b", re.I),
]
# the words each count row needs besides the word it opens with, row by row (one word of each set is in every match,
# lower-cased): a row is tried only on a sentence that holds them (gate.may_contain), so "a", "the" and every number
# of a sentence with "killed" are not tried by the rows that need more ("17 militants and 4 militiamen were killed"
# needs "and", a "were"/"have been"/"had been" and its verb); () = nothing beyond its opening word
_KILLED_VERBS = ("died", "killed", "shot dead", "murdered", "slain", "stabbed to death", "beaten to death", "executed",
                 "lynched", "beheaded", "found dead", "burned to death")
KILLED_NEEDS: list[tuple[tuple[str, ...], ...]] = [
    (), (), (("fatalit", "deaths"),), (), (),
    (("and",), ("killed", "slain", "shot dead"), ("were", "have been", "had been")),
    (_KILLED_VERBS,),
    (("killed", "dead", "died", "slain"),),
    (("killed", "slain"), ("were", "was", "have been", "had been")),
    (), (),
    (("s body", "bodies of"),),
    (("killing", "killed", "shot dead", "murdered"),),
    (("killed", "dead", "died", "slain", "killing"),),
]
INJURED_NEEDS: list[tuple[tuple[str, ...], ...]] = [(), (), (), (("injured", "wounded", "hurt"),)]
assert len(KILLED_NEEDS) == len(KILLED) and len(INJURED_NEEDS) == len(INJURED)
# words without which no count pattern can match (a cheap pre-check of a sentence)
# "3 fatalities", "Fatalities coded as 7", "9 fatalities ... split across two events": the toll of the event as the
# text sums it up; it replaces the counts of the incident's other sentences
STATED_TOLL = re.compile(rf"\b(?P<n>{NUM}|one|no)\s+(?:reported\s+)?fatalit(?:y|ies)\b(?:[^.]*?\b(?:spread|split|divided)\s+"
                         rf"(?:across|between|over)\s+(?P<k>{NUM})\s+events)?|\bfatalities (?:\w+ ){{0,2}}coded as "
                         rf"(?P<n2>{NUM})\b", re.I)
KILLED_WORDS = ("kill", "dead", "died", "slain", "toll", "death", "lives", "fatalit", "body", "bodies", "murder", "execut", "behead",
                "lynch", "casualt", "no one", "nobody")
# years and day-month-year dates are masked before counting ("On 3 June 2022, rebels killed ...")
DATE_MASK = re.compile(r"\b(?:(?:[0-3]?\d\s+)?(?:January|February|March|April|May|June|July|August|September|"
                       r"October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+"
                       r"(?:[0-3]?\d,?\s+)?(?:19|20)\d\d|(?:19|20)\d\d(?=\s*[,)]))\b")
INJURED_WORDS = ("injur", "wound", "hurt", "casualt")
# "killed a woman and two children": further groups after the first count
MORE_PEOPLE = re.compile(rf"(?:\s+(?:[\w-]+\s+){{0,2}}?{PERSON})?(?P<rest>(?:\s*(?:,|and|, and)\s+(?:{NUM}|a|an)\s+"
                          rf"(?:[\w-]+\s+){{0,2}}?{PERSON}\b)+)", re.I)
GROUP = re.compile(rf"(?:,|and|, and)\s+(?P<n>{NUM}|a|an)\s+", re.I)

AREA_KINDS = {"country", "admin1", "region", "water", "continent"}
NEAR = re.compile(r"\b(?:near|outside|outskirts of|around|close to|vicinity of|regions? of|areas? of|sectors? of|"
                   r"(?:north|south|east|west)(?:[- ]?(?:east|west))? of(?: the)?(?: (?:port|city|town|village) of)?|"
                   r"countryside|province of|governorate of)\W*$", re.I)
REFERENCE = re.compile(r"\b(?:border (?:with|between)|borders? of|border of|opposite(?: the)?|according to|from)"
                        r"\W*(?:\w+\W+){0,2}$", re.I)
NOT_A_LOCATION = {"region", "continent"}       # "the Middle East": spans countries, cannot place an event
# gated on its nouns and "known as": every match holds one of them ("The outpost, known as Tower 22")
SITE_REF = Gated(re.compile(r"^\W*(?:the|this|that) (?:[\w-]+ )?(?:outpost|base|post|position|garrison|camp|facility|"
                            r"site|compound|hospital|school|market|building|restaurant|village|town)\b|\bknown as\b",
                            re.I),
                 ("outpost", "base", "post", "position", "garrison", "camp", "facility", "site", "compound", "hospital",
                  "school", "market", "building", "restaurant", "village", "town", "known as"))
ATTRIBUTION = Gated(re.compile(r"\b(?:blamed|accused|attributed|held responsible)\b", re.I))



# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.incidents.lexicons":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
