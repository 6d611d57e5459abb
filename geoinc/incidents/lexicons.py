"""The data tables of incident extraction: event triggers, modality cues, actors, toll words, place context.

Pure data (regular expressions and tables), no logic: :mod:`geoinc.incidents.extract` reads them sentence by
sentence, :mod:`~geoinc.incidents.actors` and :mod:`~geoinc.incidents.counts` use the actor and toll tables.
"""
from __future__ import annotations

import re

ER, BAT, VAC, PRO, RIO, SD = ("Explosions/Remote violence", "Battles", "Violence against civilians", "Protests",
                              "Riots", "Strategic developments")

# (pattern, event_type, sub_event_type); order matters only among overlapping phrases (first wins).
SPECIFIC: list[tuple[str, str, str]] = [
    (r"suicide (?:bomb(?:ing|ers?)?|attacks?|car bombs?|bombers?)", ER, "Suicide bomb"),
    (r"chemical (?:attacks?|weapons?)|(?:sarin|chlorine|mustard) gas", ER, "Chemical weapon"),
    (r"drone[- ]?strikes?|drone attacks?|air[- ]?strikes?|airstrikes?|air raids?|kamikaze drones?|"
     r"(?:killed|struck|hit|attacked|targeted|bombed) by (?:an? )?(?:armed )?(?:drones?|aircraft|warplanes?|jets?|"
     r"helicopters?)|with (?:an? )?(?:explosive[- ]laden )?drones?|drones? (?:struck|hit|attacked|targeted)|"
     r"warplanes? (?:struck|hit|bombed|targeted)|(?:sent|launched|fired|flew) (?:\w+ ){0,2}drones?|bombings?|bombed",
     ER, "Air/drone strike"),
    (r"rocket (?:attacks?|fire|strikes?|salvos?|barrages?)|barrages? of rockets|fired (?:\w+ ){0,3}rockets|"
     r"rockets? (?:hit|struck|landed)|with (?:rockets|missiles|mortars|artillery)|rockets? (?:were |was )?fired|shell(?:ing|ed|s)|artillery (?:fire|strikes?|"
     r"shells?)|missile (?:attacks?|strikes?)|missiles? (?:struck|hit|landed)|mortar (?:fire|attacks?|rounds?|shells?)",
     ER, "Shelling/artillery/missile attack"),
    (r"(?:roadside|car|truck) bombs?|IEDs?|improvised explosive devices?|landmines?|land mines?|explosive devices?|"
     r"bomb (?:exploded|went off|blast)", ER, "Remote explosive/landmine/IED"),
    (r"grenades?", ER, "Grenade"),
    (r"clash(?:es|ed)?|gun ?battles?|firefights?|exchanged fire|exchange of fire|fighting (?:between|broke out|erupted)|"
     r"ambush(?:ed)?", BAT, "Armed clash"),
    (r"(?:retook|recaptured|regained control of|took back control of)", BAT, "Government regains territory"),
    (r"(?:seized control of|took control of|overran|captured the (?:town|city|village))", BAT,
     "Non-state actor overtakes territory"),
    (r"kidnapp(?:ed|ing)|abduct(?:ed|ion|ions)|forcibly disappeared", VAC, "Abduction/forced disappearance"),
    (r"raped|sexual(?:ly)? (?:violence|assault(?:ed)?)", VAC, "Sexual violence"),
    (r"shot dead|gunned down|executed|massacred|stabbed to death", VAC, "Attack"),
    (r"opened fire on (?:the )?(?:protesters|demonstrators|crowds?)", PRO, "Excessive force against protesters"),
    (r"dispersed (?:the )?(?:crowds?|protesters|demonstrators|protests?|rally|march)|tear ?gas|water cannons?|"
     r"rubber bullets", PRO, "Protest with intervention"),
    (r"protest(?:s|ed|ers)?|demonstrat(?:ion|ions|ors|ed)|rall(?:y|ies|ied)|sit-ins?|marched", PRO, "Peaceful protest"),
    (r"riot(?:s|ers|ed|ing)?", RIO, "Violent demonstration"),
    (r"mob (?:attacked|killed|beat)|lynch(?:ed|ing)", RIO, "Mob violence"),
    (r"evacuat(?:ed|ing|ion of)|withdr(?:ew|awn) (?:from|its|their)|redeploy(?:ed|ment)|relocat(?:ed|ion)|"
     r"pulled out of|suspend(?:ed|s|ing)? (?:\w+ ){0,4}operations|vacat(?:e|ed|ing)|abandon(?:ed|ing)? (?:\w+ ){0,3}"
     r"(?:positions|posts|bases)|left (?:[\w()]+ ){0,3}(?:positions|posts|bases|headquarters)", SD,
     "Change to group/activity"),
    (r"(?:established|set up|opened) (?:a |an |new |its )?(?:military )?(?:base|headquarters|HQ|outpost)s?", SD,
     "Headquarters or base established"),
    (r"(?:ceasefire|truce|peace) (?:agreement|deal) (?:was )?(?:signed|reached|agreed)|signed an? (?:\w+ )?agreement|"
     r"agreed (?:to|on) an? (?:ceasefire|truce)", SD, "Agreement"),
    (r"arrested|detained|arrests? of", SD, "Arrests"),
    (r"intercepted|shot down|defused", SD, "Disrupted weapons use"),
    (r"looted|looting|torched|set fire to|burned down|demolished", SD, "Looting/property destruction"),
    (r"handed over (?:control|the (?:town|city|area)|positions)", SD, "Non-violent transfer of territory"),
]
GENERIC = r"attack(?:s|ed)?|strikes?|struck|assaults?|explosions?|blasts?|killed|killing"
SPECIFIC_RE = [(re.compile(rf"\b(?:{p})\b", re.I), ev, sub) for p, ev, sub in SPECIFIC]
GENERIC_RE = re.compile(rf"\b(?:{GENERIC})\b", re.I)

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

NUM_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12, "dozen": 12, "a hundred": 100,
}
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
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘'(]?[A-Z0-9])|\n+")
ABBREV = re.compile(r"(?:\b(?:Gen|Lt|Col|Maj|Capt|Sgt|Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|"
                     r"No|vs|etc|approx)|\b[A-Z](?:\.[A-Z])*)\.$")

