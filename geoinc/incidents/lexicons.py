"""The data tables of incident extraction: event triggers, modality cues, actors, toll words, place context.

Pure data (regular expressions and tables), no logic: :mod:`geoinc.incidents.extract` reads them sentence by
sentence, :mod:`~geoinc.incidents.actors` and :mod:`~geoinc.incidents.counts` use the actor and toll tables.
"""
from __future__ import annotations

import re

from ..text import NUMBER_WORDS
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
     r"drones?|bombings?|bombed|bombard(?:ed|ment)", "warplanes bombed the village; a drone strike hit a car"),
    ("Shelling/artillery/missile attack", "", r"rocket (?:attacks?|fire|strikes?|salvos?|barrages?)|barrages? of rockets|"
     r"fired (?:\w+ ){0,3}(?:rockets|missiles?|mortars?|shells|artillery)|(?:rockets?|missiles?|shells?|mortars?) "
     r"(?:hit|struck|landed|fell|exploded)|with (?:rockets|missiles|mortars|artillery|MLRS)|rockets? (?:were |was )?"
     r"fired|shell(?:ing|ed|s)|artillery|missile (?:attacks?|strikes?)|mortar (?:fire|attacks?|rounds?|shells?)|"
     r"mortars|MLRS|Grad|multiple (?:launch )?rocket|cluster munitions?|tank fire|howitzers?",
     "Russian forces shelled the town; artillery fire on positions"),
    ("Remote explosive/landmine/IED", "", r"(?:roadside|car|truck|motorcycle|parcel|pipe) bombs?|IEDs?|VBIEDs?|"
     r"improvised explosive devices?|(?:land ?|anti-personnel |anti-tank )?mines? (?:exploded|blast|explosion|"
     r"went off)|landmines?|land mines?|explosive devices?|(?:stepped|drove) on (?:an? )?(?:land)?mine|"
     r"bombs? (?:exploded|went off|blast|detonated|explosion)|explosives? (?:exploded|detonated|went off)|"
     r"detonated", "a roadside bomb exploded near a patrol"),
    ("Grenade", "", r"grenades?", "a man threw a grenade into the market"),
    ("Sexual violence", "", r"rap(?:ed|ing|es)|gang-?raped?|sexual(?:ly)? (?:violence|assault(?:ed)?|abused?)",
     "a girl was raped by soldiers"),
    ("Abduction/forced disappearance", "", r"kidnap(?:p(?:ed|ing|ers?))?|abduct(?:ed|ion|ions|ing|s)|forcibly disappeared|"
     r"(?:taken|held) hostage|took (?:\w+ ){0,3}hostage|hostages? (?:were |was )?(?:taken|seized)",
     "gunmen abducted two traders"),
    ("Government regains territory", "", r"retook|recaptured|regained (?:full )?control|took back control|liberated "
     r"(?:the )?(?:town|city|village|area|settlement)|(?:re-?)?took back", "the army recaptured the town"),
    ("Non-state actor overtakes territory", "", r"seized control|took (?:full )?control|overran|captured the (?:town|city|"
     r"village|district|area|base)|took over (?:the )?(?:town|city|village|district|area)",
     "militants seized control of the district"),
    ("Armed clash", "", r"clash(?:es|ed|ing)?|gun ?battles?|gunfights?|fire ?fights?|shoot-?outs?|exchanged? (?:of )?"
     r"(?:fire|gunfire)|exchange of (?:fire|gunfire)|(?:heavy )?fighting|fought|ambush(?:ed|es)?|skirmish(?:es|ed)?|"
     r"engaged (?:in )?(?:combat|fighting|clashes|an? (?:attack|offensive|assault))|repuls(?:ed|ing)|repelled|"
     r"(?:an? )?offensive|armed confrontations?|counter-?attack(?:ed|s)?|assault(?:ed)? (?:on )?(?:\w+ ){0,2}"
     r"positions|attacked (?:\w+ ){0,3}(?:positions|checkpoints?|bases?|posts?|barracks|outposts?|convoys?|patrols?)",
     "clashes between the army and militants; Russian forces attacked Ukrainian positions"),
    ("Excessive force against protesters", "", r"(?:opened fire|fired live (?:ammunition|rounds|bullets)) (?:on|at|into) "
     r"(?:the )?(?:protesters|demonstrators|crowds?|marchers)", "soldiers opened fire on protesters"),
    ("Protest with intervention", "", r"dispersed|tear ?-?gas|water cannons?|rubber bullets|baton[- ]charged?|lathi[- ]?"
     r"charged?|pepper spray", "police dispersed the crowd with tear gas"),
    ("Violent demonstration", "", r"riot(?:s|ers|ed|ing)?|threw (?:stones|rocks|bricks|petrol bombs|molotov)|"
     r"(?:stones?|rocks?) (?:were )?thrown|stone-?pelting|pelted|molotov cocktails?|petrol bombs?|vandali[sz]ed|"
     r"(?:burn(?:ed|t|ing)|set fire to|torched) (?:\w+ ){0,2}tyres|(?:burn(?:ed|t|ing)|set fire to|torched) (?:\w+ ){0,2}tires",
     "rioters threw stones at police"),
    ("Mob violence", "", r"mob|lynch(?:ed|ing|ings)?|vigilantes?|(?:beat|beaten) (?:up |to death)|beat (?:\w+ ){0,2}"
     r"(?:to death|up)|mob justice|angry (?:residents|villagers|crowd)", "a mob lynched a suspected thief"),
    ("Peaceful protest", "", r"protest(?:s|ed|ers|ing|or|ors)?|demonstrat(?:ed|ing|ion|ions|ors?)|rall(?:ies|ied|ying)|"
     r"(?-i:marched|marchers)|sit-?ins?|went on (?:a )?strike|on (?:a )?(?:hunger |general )?strike|"
     r"(?:hunger|general|labou?r) strikes?|strikers|(?:workers|drivers|teachers|doctors|nurses|employees|staff|students|"
     r"traders|farmers|unions?) (?:went on|staged|held|began|launched|called) (?:a |an )?(?:\w+ )?strike|"
     r"picket(?:ed|s|ing)?|chant(?:ing|ed) slogans|human chain|(?:held|staged) (?:a |an )?(?:\w+ )?march",
     "around 300 people demonstrated outside parliament; teachers went on strike"),
    # weak words: a protest only with a protest cue in the sentence ("to demand", "against", "in support of")
    ("Peaceful protest", "protest", r"demonstrate|rally|(?-i:march(?:es|ing)?)|gathered|assembled|boycott(?:ed)?|"
     r"vigils?|blocked (?:a |the |an )?(?:\w+ ){0,2}(?:road|roads|highway|street|streets|avenue|access|entrance|"
     r"traffic|bridge|railway|route|intersection|junction)|road ?blocks?|blockade(?:d|s)?|walk-?outs?|walked out|"
     r"motorcades?|caravans?|(?:held|staged|organi[sz]ed) (?:a |an )?(?:\w+ )?(?:event|meeting|gathering|campaign|"
     r"action|performance)", "residents blocked the highway to demand water; activists gathered against the law"),
    ("Disrupted weapons use", "", r"intercepted|shot down|defused|(?:dismantled|disarmed|neutrali[sz]ed) (?:an? |the )?"
     r"(?:\w+ ){0,2}(?:bombs?|IEDs?|explosives?|devices?|mines?|drones?)|seized (?:\w+ ){0,4}(?:weapons|arms|firearms|"
     r"rifles|guns|ammunition|explosives|grenades)|(?:weapons|arms|ammunition|explosives) (?:cache|depot)s?|"
     r"foiled|thwarted", "air defences intercepted a missile; soldiers seized a weapons cache"),
    ("Change to group/activity", "", r"evacuat(?:ed|ing|ion of)|withdr(?:ew|awn|awal) (?:from|its|their|of)|redeploy(?:ed|ment)|"
     r"relocat(?:ed|ion)|pulled out of|suspend(?:ed|s|ing)? (?:\w+ ){0,4}operations|vacat(?:e|ed|ing)|"
     r"abandon(?:ed|ing)? (?:\w+ ){0,3}(?:positions|posts|bases)|left (?:[\w()]+ ){0,3}(?:positions|posts|bases|"
     r"headquarters)|deployed|stationed|recruit(?:ed|ment|ing)|curfew|lockdown|mobili[sz]ed|reinforcements",
     "pro-Iran fighters evacuated 12 positions; the army deployed troops to the town"),
    ("Headquarters or base established", "", r"(?:established|set up|opened|built) (?:a |an |new |its )?(?:military |new )?"
     r"(?:base|headquarters|HQ|outpost|camp)s?", "the group set up a new headquarters in the village"),
    ("Agreement", "", r"(?:ceasefire|truce|peace) (?:agreement|deal|accord) (?:was )?(?:signed|reached|agreed)|signed an? "
     r"(?:\w+ )?(?:agreement|accord|deal)|agreed (?:to|on) an? (?:ceasefire|truce)|prisoner (?:swap|exchange)|"
     r"exchanged (?:\w+ ){0,2}prisoners", "the two sides agreed to a ceasefire; a prisoner exchange"),
    ("Arrests", "", r"arrest(?:ed|s|ing)?|detain(?:ed|ing)|apprehended|taken into custody|rounded up|in custody",
     "police arrested five suspects"),
    ("Looting/property destruction", "", r"loot(?:ed|ing|ers)|torch(?:ed|ing)|set (?:\w+ ){0,3}(?:on fire|ablaze|alight)|"
     r"set fire|burn(?:ed|t) down|demolish(?:ed|ing)|raz(?:ed|ing)|ransack(?:ed|ing)|plunder(?:ed|ing)|"
     r"destroy(?:ed|ing) (?:\w+ ){0,3}(?:houses|homes|property|properties|shops|crops|vehicles?|buildings?|offices?)|"
     r"extort(?:ed|ion)|robbed|seized (?:\w+ ){0,3}(?:cattle|livestock|goods|property)|arson",
     "militants looted shops and torched houses"),
    ("Non-violent transfer of territory", "", r"handed over (?:control|the (?:town|city|area)|positions)|(?:took|take) "
     r"over (?:\w+ ){0,2}without (?:a )?(?:fight|resistance)", "rebels handed over the town without a fight"),
    ("Attack", "", r"shot (?:and killed|dead|to death)|gunned down|executed|massacred?|stabb(?:ed|ing)|hacked|"
     r"beheaded|murder(?:ed|s)?|assassinat(?:ed|ion)|tortured|burn(?:ed|t) (?:\w+ ){0,2}alive|"
     r"(?:bodies|body) (?:of|were|was) (?:\w+ ){0,6}found|found dead", "gunmen shot dead a farmer"),
    # weak words: an attack only when someone is harmed or targeted ("shot" also scores goals)
    ("Attack", "harm", r"assaulted|beat(?:en|ing)?|opened fire|shot at|fired (?:shots|gunshots|at)|shot",
     "unknown men shot and wounded a trader"),
]
GENERIC = r"attack(?:s|ed|ing)?|strikes?|struck|assaults?|explosions?|exploded|blasts?|killed|killing|raid(?:s|ed)?|" \
          r"violence|incursion|invaded|stormed"
TRIGGERS_RE = [(re.compile(rf"\b(?:{p})\b", re.I), SUB_EVENT_TYPES[sub], sub, cond) for sub, cond, p, _ in TRIGGERS]
# the cues a conditional trigger needs somewhere in its sentence
CUES: dict[str, re.Pattern[str]] = {
    "protest": re.compile(r"\b(?:protest\w*|demonstrat\w*|against|to (?:demand|denounce|oppose|condemn|reject|"
                          r"express|show|call for|press|support|mark|commemorate|highlight|draw attention)|demand\w*|"
                          r"denounc\w*|in (?:support|solidarity|protest|memory|defen[cs]e) of|calling for|slogans|"
                          r"placards|banners|over (?:the )?(?:lack|delay|shortage|non-payment|killing|arrest|death))\b",
                          re.I),
    "harm": re.compile(r"\b(?:kill\w*|injur\w*|wound\w*|dead|died|death|hospital\w*|victims?|civilians?|"
                       r"hurt|critically|seriously|bullet\w*|gun\w*|armed|assailants?|attackers?)\b", re.I),
}
GENERIC_RE = re.compile(rf"\b(?:{GENERIC})\b", re.I)

# ACLED-style notes may open with a label naming the kind of strategic development ("Displacement: ...").
NOTE_LABELS: dict[str, str] = {
    "displacement": "Other", "non-violent activity": "Other", "other": "Other",
    "movement of forces": "Change to group/activity", "security measures": "Change to group/activity",
    "recruitment": "Change to group/activity", "change to group/activity": "Change to group/activity",
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
HYPOTHETICAL_AFTER = re.compile(r"^[^.;:]{0,12}\b(?:would|could|might|will)\b", re.I)
AGGREGATE_BEFORE = re.compile(
    r"\b(?:more than|over|nearly|almost|some|dozens of|hundreds of|scores of|several|many|most|numerous|multiple|"
    r"a series of|a wave of|a string of|repeated|\d{2,})\s+(?:[\w-]+\s+){0,2}$", re.I)
BACKGROUND = re.compile(r"\b(?:had already|since|has been|have been|had been|previously|in the past|first time|"
                         r"launched (?:rocket|drone) (?:attacks|strikes))\b", re.I)
REACTION = re.compile(r"\b(?:condemn(?:ed|s)?|denounc(?:ed|es)|deplor(?:ed|es)|responded|accused|"
                       r"has (?:no|nothing)|respond to|promised|vowed)\b", re.I)
DEFINITE = re.compile(r"\b(?:the|this|that|these|its|yesterday's|sunday's|monday's|the deadly|the night)\s+"
                       r"(?:[\w-]+\s+){0,2}?(?:attacks?|strikes?|drone strike|assault|bombings?|raid|explosion|blast|"
                       r"one which|incident)\b", re.I)
# a plural event noun ("150 attacks", "several protests"): with a quantifier and no day, a summary of many events
PLURAL_NOUN = re.compile(r"(?:attacks|strikes|bombings|raids|explosions|blasts|protests|demonstrations|rallies|clashes|"
                         r"incidents|airstrikes|shellings|abductions|kidnappings|killings|arrests|riots|marches|"
                         r"ambushes|assaults|operations)$", re.I)
PLURAL = re.compile(r"(?:attacks|strikes|bombings|raids|explosions|blasts)$", re.I)

CLAIMED = re.compile(r"\bclaim(?:ed|ing|s)? (?:the )?responsibility\b|\bclaimed (?:the |an? )?(?:attacks?|strikes?)\b|"
                      r"\bsaid (?:on \w+ )?(?:that )?(?:it|its fighters|its members|the group) (?:had )?(?:carried out|"
                      r"launched|targeted|sent|fired|attacked|struck)\b", re.I)
NEGATED = re.compile(r"\b(?:not|none|no|could|cannot|can't|unable|yet to|without|neither|nor)\b[^.;]{0,30}$", re.I)
AUTHORITY = (r"(?:officials?|ministry|emergency services?|police|army|military|Pentagon|Central Command|CENTCOM|"
              r"governor|spokes(?:man|woman|person)|civil defen[cs]e|health authorities|World Health Organization|"
              r"United Nations|Red Cross|ICRC|state news agency)")
CONFIRMED = re.compile(rf"\b(?:confirmed|according to (?:the )?(?:[\w.-]+\s+){{0,3}}?{AUTHORITY}|{AUTHORITY}\b"
                        rf"[^.;]{{0,45}}?\bsaid)", re.I)
SPEAKER = re.compile(r"^\W*(?:\w+\W+){0,3}(?:said|says|told|announced|reported|stated)\b", re.I)
DENIED = re.compile(r"\bdenied (?:that )?(?:the |any |an? )?(?:attacks?|strikes?|incident)s? (?:took place|happened|"
                     r"occurred)|\bdenied reports? (?:of|that)\b", re.I)

# Actors: pattern -> (ACLED-style name, inter category). Named groups first.
ACTORS: list[tuple[str, str, str]] = [
    (r"Islamic Resistance in Iraq", "Islamic Resistance in Iraq", "Political militia"),
    (r"Kata['’]?ib Hezbollah|Kataib Hezbollah", "Kataib Hezbollah", "Political militia"),
    (r"Hezbollah", "Hezbollah", "Political militia"),
    (r"Hamas", "Hamas Movement", "Political militia"),
    (r"Houthis?(?: rebels)?|Ansar Allah", "Houthi Movement", "Rebel group"),
    (r"Islamic State|ISIS|ISIL|Daesh", "Islamic State", "Rebel group"),
    (r"(?:Islamic )?Revolutionary Guards?(?: Corps)?|IRGC", "Islamic Revolutionary Guard Corps", "State forces"),
    (r"(?:pro-Iran(?:ian)?|Iran(?:ian)?-backed|Iran-aligned|Iran-supported)\s+(?:[\w-]+\s+){0,2}?(?:groups?|militias?|"
     r"militants|fighters|factions|terrorists)|(?:groups?|militias?|militants|fighters|factions|terrorists|groups) "
     r"(?:[\w-]+\s+){0,2}?(?:supported|backed) by Iran|(?:groups|fighters) of pro-Iran fighters",
     "Pro-Iran Militias", "Political militia"),
    (r"Rapid Support Forces|RSF", "Rapid Support Forces", "Rebel group"),
    (r"(?:unidentified |unknown )?(?:gunmen|assailants|attackers)", "Unidentified Armed Group", "Political militia"),
    (r"(?:US|U\.S\.|American|Washington['’]s)\s+(?:[\w-]+\s+){0,2}?(?:soldiers|troops|service ?members|servicemen|"
     r"forces|personnel|military|army|base)|service members|members of Washington['’]s army|the US military|"
     r"the American base", "Military Forces of the United States", "External/Other forces"),
    *[(rf"(?:{adj})(?= (?:[\w-]+ ){{0,2}}?(?:air ?strikes?|drone strikes?|strikes?|drones?|warplanes?|jets|aircraft|"
        rf"artillery|shelling|missiles?|army|forces|military|troops|soldiers|police|security forces))|{country}['’]s "
        rf"(?:army|military|armed forces|forces)", f"Military Forces of {country}", "State forces")
      for adj, country in (("Israeli", "Israel"), ("Russian", "Russia"), ("Ukrainian", "Ukraine"), ("Turkish", "Turkey"),
                           ("Sudanese", "Sudan"), ("Saudi", "Saudi Arabia"), ("Iranian", "Iran"),
                           ("Lebanese", "Lebanon"), ("Egyptian", "Egypt"))],
    (r"IDF", "Military Forces of Israel", "State forces"),
    (r"(?:the )?(?:US|U\.S\.|United States)(?= (?:\w+ )?(?:carried out|launched|conducted|struck|hit|bombed|fired))",
     "Military Forces of the United States", "External/Other forces"),
    (r"Syrian (?:army|government forces|regime forces|troops)", "Military Forces of Syria", "State forces"),
    (r"Iraqi (?:army|security forces|troops)", "Military Forces of Iraq", "State forces"),
    (r"Jordanian (?:army|armed forces|troops)", "Military Forces of Jordan", "State forces"),
    (r"civilians?|residents|villagers|passers-by|patients|families|children|women|teenagers|worshippers|"
     r"journalists|aid workers|sailors|crew members|passengers|farmers?", "Civilians", "Civilians"),
    (r"protesters|demonstrators", "Protesters", "Protesters"),
    (r"rioters", "Rioters", "Rioters"),
]
ACTORS_RE = [(re.compile(rf"\b(?:{p})\b", re.I), name, inter) for p, name, inter in ACTORS]
TARGET_KINDS = {"External/Other forces", "State forces", "Civilians", "Protesters"}
PERPETRATOR_LINK = re.compile(r"\b(?:by|attributed to|blamed on|accused|claimed by|carried out by|responsible|"
                               r"launched by|from)\b[^.;]{0,40}$", re.I)

# count words a casualty figure may be written in (values: geoinc.text); "zero killed" is not a count
NUM_WORDS = [w for w in NUMBER_WORDS if w != "zero"] + ["hundred", "a dozen", "dozen", "a hundred"]
NUM = r"(?:\d[\d,]*|" + "|".join(sorted(map(re.escape, NUM_WORDS), key=len, reverse=True)) + \
       r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](?:one|two|three|four|five|six|seven|eight|nine))"
QUAL = r"(?P<q>at least|more than|over|nearly|almost|about|around|some|up to|as many as|approximately|roughly)"
PERSON = (r"(?:people|persons?|civilians?|children|child|kids|boys?|girls?|wom[ae]n|m[ae]n|soldiers?|troops|"
           r"fighters?|members?|service ?members?|militants?|officers?|commanders?|leaders?|patients?|teenagers?|"
           r"residents?|workers?|sailors?|journalists?|policem[ae]n|guards?|family members|relatives)")
NOT_NUM = rf"(?:(?!{NUM}\b)[\w'’-]+\s+)"
KILLED = [
    re.compile(rf"\b(?:killed|killing|kills|kill|claimed the lives of)\s+(?:{QUAL}\s+)?(?P<n>{NUM})\b", re.I),
    re.compile(rf"\b(?:killed|killing|kills)\s+(?P<n>a|an|one)\s+(?:[\w-]+\s+){{0,2}}?{PERSON}\b", re.I),
    re.compile(rf"\b(?:{QUAL}\s+)?(?P<n>{NUM})\s+{NOT_NUM}{{0,3}}?(?:(?:were|was|have been|had been|are|being)\s+)?"
               rf"(?:killed|dead|died|slain)\b", re.I),
    re.compile(rf"\b(?:{QUAL}\s+)?(?P<n>{NUM})\s+{PERSON}\s+{NOT_NUM}{{0,10}}?(?:were|was|have been|had been)\s+"
               rf"(?:killed|slain)\b", re.I),
    re.compile(rf"\b(?:death toll|toll)\s+(?:(?:rose|climbed|of|stood at|reached|to|has risen to)\s+)*(?:{QUAL}\s+)?"
               rf"(?P<n>{NUM})\b", re.I),
    re.compile(rf"\bdeaths? of (?:the )?(?:{QUAL}\s+)?(?P<n>{NUM})\b", re.I),
]
INJURED = [
    re.compile(rf"\b(?:injured|injuring|injures|wounded|wounding|wounds|hurt)\s+(?:{QUAL}\s+)?(?P<n>{NUM})\b", re.I),
    re.compile(rf"\b(?:injured|injuring|wounded|wounding)\s+(?P<n>a|an|one)\s+(?:[\w-]+\s+){{0,2}}?{PERSON}\b", re.I),
    re.compile(rf"\b(?:{QUAL}\s+)?(?P<n>{NUM})\s+{NOT_NUM}{{0,3}}?(?:(?:were|was|have been|had been|are)\s+)?"
               rf"(?:injured|wounded|hurt)\b", re.I),
]
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
SITE_REF = re.compile(r"^\W*(?:the|this|that) (?:[\w-]+ )?(?:outpost|base|post|position|garrison|camp|facility|site|"
                       r"compound|hospital|school|market|building|restaurant|village|town)\b|\bknown as\b", re.I)
ATTRIBUTION = re.compile(r"\b(?:blamed|accused|attributed|held responsible)\b", re.I)

