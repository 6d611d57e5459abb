"""Word tables of the recogniser: the cue words its rules test (data only; each table says what it is for)."""
from __future__ import annotations

import re
from typing import Final

from ..text import name_key


def _ap_countries() -> dict[str, frozenset[str]]:
    from ..gazetteer.sources import ADMIN1_ABBREVIATIONS

    out: dict[str, set[str]] = {}
    for cc, regions in ADMIN1_ABBREVIATIONS.items():
        for forms in regions.values():
            for a in forms:
                out.setdefault(name_key(a), set()).add(cc)
    return {k: frozenset(v) for k, v in out.items()}


# the name keys of first-level regions' dateline abbreviations ("calif", "n m", "alta"), and the countries whose
# regions they abbreviate
AP_COUNTRIES: Final = _ap_countries()
AP_KEYS: Final = frozenset(AP_COUNTRIES)
# the one such abbreviation that news writes on its own as the place ("in D.C."); the others name a region only
# after the place they qualify (rules.ap_abbreviation_needs_stop)
AP_STANDALONE: Final = frozenset({name_key("D.C.")})

MAX_SPAN_TOKENS: Final = 7

TOKEN_RE: Final = re.compile(
    r"(?P<low>[a-z]+(?: [a-z]+)*)(?![\w'’‘`´\-&])"      # a run of plain lower-case words, single-spaced
    r"|(?:[A-Z]\.){2,}"                               # U.S., U.K., U.S.A.
    r"|[^\W\d_](?:[\w'’‘`´\-&]*\w)?"                 # words with inner apostrophes, hyphens
    r"|(?P<num>\d+(?:[.,]\d+)*)"                     # numbers
    r"|(?P<sym>[^\w\s])",                            # any other single character
    re.UNICODE,
)
# TOKEN_RE as one scan of the whole text (``findall``: no match object per token): each match is the whitespace
# before a token, then the token in one of three groups (a lower-case run, a word, a number or symbol); a match
# with none of them is one character TOKEN_RE skips. Same tokens at the same offsets (tokens.tokenize), with less
# backtracking: a run drops a last word that runs on into a word character, apostrophe or hyphen (as TOKEN_RE's
# lookahead makes it do), and a word is letters and digits joined by apostrophes, hyphens and ampersands.
TOKEN_SCAN_RE: Final = re.compile(
    r"(\s*)(?:"
    r"([a-z]++(?![\w'’‘`´\-&])(?: [a-z]++(?![\w'’‘`´\-&]))*+)"
    r"|((?:[A-Z]\.){2,}|[^\W\d_]\w*+(?:['’‘`´\-&]++\w++)*+)"
    r"|(\d++(?:[.,]\d++)*+|[^\w\s])"
    r"|[\s\S])",
    re.UNICODE,
)
GLUED_RE: Final = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z]{3})")
APOSTROPHES: Final = "'’‘`´"

# lower-case words allowed inside a proper-noun chunk, between capitalised words
CONNECTORS: Final = frozenset({
    "of", "de", "del", "della", "di", "da", "do", "dos", "das", "du", "des", "la", "le", "les", "el", "al",
    "the", "upon", "on", "am", "an", "der", "den", "y", "e", "en", "sur", "lès", "ad", "ar", "as", "at",
    "ash", "az", "bin", "ibn", "bint", "van", "von", "and", "&", "in", "for", "at",
    "es", "ez", "ed", "esh",    # the Arabic article in Latin spelling: "Dar es Salaam", "Deir ez Zor"
})
PLACE_CONNECTORS: Final = frozenset({"of", "de", "del", "della", "di", "da", "do", "dos", "das", "du", "des", "la", "le",
                              "les", "el", "al", "the", "upon", "on", "am", "an", "der", "den", "y", "sur",
                              "ad", "ar", "as", "at", "ash", "az", "en", "e"})
ARTICLE_PREFIX_RE: Final = re.compile(r"^(?:al|el|ad|ar|as|at|ash|az|an|adh|ath|ed|es|et|en|ez)[-'’‘]", re.IGNORECASE)

TITLES: Final = frozenset(k.lower() for k in """
President Vice Prime Minister Secretary Gen General Lt Col Colonel Maj Major Capt Captain Sgt Sergeant Adm Admiral
Mr Mrs Ms Miss Dr Prof Professor Sen Senator Rep Representative Gov Governor Mayor King Queen Prince Princess
Pope Ayatollah Sheikh Sheik Shaikh Emir Sultan Chairman Chairwoman Chief Commander Judge Justice Lord Lady Sir Dame
Rev Reverend Father Brother Sister Imam Rabbi Bishop Cardinal Archbishop Ambassador Envoy Spokesman Spokeswoman
Spokesperson Congressman Congresswoman Assemblyman Assemblywoman Chancellor Premier Leader Officer Deputy Director Detective Agent Inspector Minister Marshal Private
Corporal Councillor Councilman Councilwoman Superintendent Coach Saint-""".split())
# words that make a capitalised chunk an organisation, team, publication, building or event
ORG_WORDS: Final = frozenset(k.lower() for k in """
Times Post News Herald Tribune Journal Gazette Guardian Telegraph Observer Chronicle Star Globe Press Daily Weekly
Magazine Review Radio TV Television Network Channel Broadcasting Media Agency Associated Reuters
University College School Academy Institute Institution Council Ministry Department Dept Office Bureau Party Army Corps
Guard Guards Forces Force Navy Resistance Front Movement Brigade Brigades Battalion Regiment Division Militia
Company Co Corp Corporation Inc Ltd LLC Group Holdings Bank Fund Association Committee Commission Foundation
Observatory Organization Organisation Union League Club FC United Rovers Wanderers Athletic Airlines Airways
Court Tribunal Hospital Clinic Church Cathedral Mosque Museum Gallery Stadium Arena Theatre Theater Hotel Society
Federation Authority Administration Parliament Assembly Senate Congress Cabinet Government Police Service Services
Center Centre Council Group Board Trust Alliance Coalition Network Project Initiative Campaign Fellowship
Festival Awards Award Cup Championship Championships Open Games Olympics Prize Marathon Show Series Conference
Summit Forum Treaty Accord Agreement Declaration Act Law Bill Plan Operation Accords Institute Laboratory Labs
Mission Embassy Consulate Secretariat Directorate Unit Command Authority Agency Tigers Eagles Lions Bulls Kings
Giants Rangers Warriors Hawks Raiders Chiefs Saints Jets Dolphins Patriots Rockets Spurs Wolves Hezbollah Hamas
Republicans Democrats Republican Democratic Capital Partners Ventures Technologies Systems Solutions Industries
Motors Energy Petroleum Oil Gas Airport-Authority Exchange Market Markets Stock Index Motor Railways Railway
""".split())
# words that follow a place name and keep it a place ("Anbar Province", "Rukban Camp")
FEATURE_WORDS: Final = frozenset(k.lower() for k in """
Province Governorate Region Regions County District Districts Municipality Prefecture Oblast State Territory Valley
River Mountains Mountain Mount Hills Desert Basin Peninsula Island Islands Crossing Camp Base Airbase Airport Dam
Lake Bay Coast Border Sea Gulf Strait Canal Area Plain Plains Heights Corridor Delta Oasis Harbour Harbor Port
Borough Township Village Town City Countryside Metropolitan Metro Square Street Road Highway Bridge Station
""".split())
# landform words that open a place name in many languages ("Wadi Derna", "Jebel Marra", "Ras Lanuf", "Lake
# Chad", "Mount Hermon"): a chunk they open is not a given name and surname
GEO_PREFIXES: Final = frozenset("""
wadi wādī jabal jebel jbel djebel tell tel ras bir ain ein nahr shatt khor jazirat lake mount mt cape port fort
camp river gulf bay sierra monte lago rio sungai gunung pulau bukit
""".split())
DIRECTIONS: Final = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                        "upper", "lower", "greater", "northeast", "northwest", "southeast", "southwest",
                        "north-east", "north-west", "south-east", "south-west", "northeastern", "northwestern",
                        "southeastern", "southwestern", "north-eastern", "north-western", "south-eastern",
                        "south-western", "inner", "outer", "mid", "middle", "far", "new", "old"})
ARABIC_ARTICLE_WORDS: Final = frozenset({"al", "el", "ad", "ar", "as", "at", "ash", "az", "an", "adh", "ath", "ed", "es",
                                  "et", "en", "ez", "abu", "bin", "ibn", "umm", "bani", "beni", "ain", "ras", "tel"})
# lower-case second parts that make "X-part" a compound about place X
HYPHEN_SUFFIXES: Final = frozenset({"based", "born", "bound", "area", "region", "wide", "backed", "led", "allied", "funded",
                             "sponsored", "aligned", "supported", "controlled", "run", "held", "occupied", "made",
                             "owned", "registered", "flagged", "style", "era", "bred", "raised"})
NAME_PARTICLES: Final = frozenset({"de", "van", "von", "bin", "ibn", "bint", "da", "di", "du", "del", "der", "den", "ter",
                            "ten", "dos", "das", "le", "la"})
# proper nouns that share a name with some village but almost never mean it in news
NON_PLACES: Final = frozenset({"el nino", "la nina", "white house", "mass"})
FUNCTION_WORDS: Final = frozenset("""
a an the and but or nor for so yet to of in on at by with from as into onto upon over under about above below
after before during since until while when where why how what who whom whose which that this these those there here
he she it we they i you me him her us them his its our their my your mine ours theirs if then than also not no
all some many most more much such both each every any either neither one two three four five first last next
new meanwhile however although though despite amid among across near like unlike between through within without
outside inside around toward towards via per according including following against along beyond
is are was were be been being has have had do does did will would shall should can could may might must
""".split())
MONTHS_DAYS: Final = frozenset("""
january february march april may june july august september october november december jan feb mar apr jun jul
aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
christmas easter ramadan eid
""".split())
# the Romance "of" inside long place names: "Santa Rosa de Muzquiz", "Santa Izabel do Para"
ROMANCE_LINKS: Final = frozenset({"de", "del", "do", "da", "dos", "das", "di", "della"})
# a weekday after a one-word name dates the report ("in Basra Wednesday"); it is never a surname
WEEKDAYS: Final = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# the abbreviated head words of place names and the words they stand for: "St. Leon-Rot" is Sankt Leon-Rot,
# "Mt. Kenya" Mount Kenya, "Ft. Worth" Fort Worth
ABBREVIATED_HEADS: Final = {
    "st": ("saint", "sankt", "san", "santa", "santo", "sint", "sao"),
    "ste": ("sainte",),
    "mt": ("mount", "mont", "monte"),
    "ft": ("fort",),
    "pt": ("port", "point"),
}
# a place followed by one of these is part of the name of a street, a building or a natural feature
STREET_WORDS: Final = frozenset("""
street st road rd avenue ave boulevard blvd lane ln drive dr highway hwy way square plaza bridge terrace crescent
close court parkway expressway motorway freeway turnpike
""".split())
NATURAL_WORDS: Final = frozenset("""
ocean sea gulf strait bay lagoon lake river creek peninsula island islands mountain mountains mount hills valley
desert canal delta plateau basin reservoir dam airport airbase crossing camp
""".split())
# head words of named physical sites: a capitalised phrase with one of these names a place even when
# the gazetteer does not know it ("Colchester General Hospital", "Royal Street", "Barclays Center")
FACILITY_WORDS: Final = frozenset("""
street st road rd avenue ave boulevard blvd lane drive highway square plaza bridge hospital clinic school academy
college university cathedral church mosque temple synagogue shrine basilica chapel stadium arena racecourse
airport airfield airbase station harbour harbor castle palace fort estate market mall hotel inn library museum
gallery park gardens zoo embassy consulate prison jail barracks tower centre center graveyard cemetery refinery
terminal pier beach island islands lake river mountain mountains valley canyon forest bay peninsula reservoir
crossing checkpoint camp base compound quarter district neighbourhood neighborhood village heights
theatre theater cinema racetrack raceway speedway marina court courthouse hall institute
""".split())
# site words that also name the institution housed there ("the Supreme Court ruled"): a site only
# after a locative ("appeared at Cloverhill District Court", "a concert at the National Concert Hall")
INSTITUTION_SITES: Final = frozenset({"court", "courthouse", "hall", "institute"})
SITE_LOCATIVES: Final = frozenset({"at", "in", "inside", "outside", "near", "before", "into", "to", "from"})
# nouns that introduce a place name: "the village of X", "X camp"
PLACE_TYPE_WORDS: Final = frozenset("""
village villages town towns city cities district districts camp camps province governorate region neighbourhood
neighborhood suburb hamlet settlement township municipality county valley river mountain island
""".split())
ADMIN_WORDS: Final = frozenset("""
province governorate region county district municipality prefecture oblast state territory department parish
borough township emirate canton voivodeship
""".split())
GROUP_WORDS: Final = frozenset({"resistance", "front", "movement", "brigade", "brigades", "battalion", "battalions",
                         "militia", "militias", "coalition", "alliance", "party", "group", "mujahideen", "jihad",
                         "liberation", "revolution", "state"})
LITERAL_PREV: Final = frozenset({"in", "from", "across", "into", "throughout", "inside", "within", "near", "around",
                          "toward", "towards", "visit", "visited", "visiting", "entered", "enter", "leave", "left",
                          "northern", "southern", "eastern", "western", "central", "northeastern", "northwestern",
                          "southeastern", "southwestern", "rural", "coastal", "mainland", "out", "at", "via"})
METONYM_PREV: Final = frozenset({"that", "with", "by", "between", "against", "said", "says", "support", "supports",
                          "accused", "accuses", "wants", "urged", "urges", "told", "asked", "asks", "persuade",
                          "pressure", "pressured", "pressuring", "sanctions", "sanctioned", "blamed", "blames",
                          "criticized", "criticised", "condemned", "praised", "warned", "join", "joined", "allow",
                          "allowed", "help", "helped", "helping", "convince", "force", "forced", "both", "whether",
                          "if", "because", "unless", "while", "although", "than", "sell", "sells", "selling",
                          "sold", "give", "gives", "giving", "gave", "punish", "punishing", "fight", "fighting",
                          "supporting", "sees", "recognise", "recognize", "recognised", "recognized"})
# "<noun> from X", "<verb> on X": X grants, supports or is blamed, so it acts as a government
FROM_AGENT: Final = frozenset({"backing", "support", "permission", "independence", "approval", "pressure", "request",
                        "response", "reaction", "demand", "demands", "criticism", "threats", "recognition",
                        "assistance", "funding", "delegation", "delegations", "consent", "invitation",
                        "objections"})
OF_LITERAL: Final = frozenset({"out", "tour", "visit", "trip", "tours", "visits", "trips", "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "part",
                        "parts", "rest", "area", "areas", "region", "regions", "coast", "outskirts", "city", "cities",
                        "town", "towns", "village", "villages", "capital", "border", "borders", "territory",
                        "province", "provinces", "map", "center", "centre", "heart", "edge", "interior", "shores",
                        "streets", "islands", "island", "mountains", "countryside", "state", "states", "county"})
SENTENCE_END: Final = frozenset({".", "!", "?", ":", ";", "\u2022", "|", "(", ")", "[", "]"})
QUOTE_CHARS: Final = frozenset("\"'“”‘’«»`´")
LOCATIVE: Final = frozenset({"in", "near", "at", "from", "to", "into", "outside", "around", "across", "toward", "towards",
                      "through", "throughout", "via", "inside", "within", "between", "of", "off", "along",
                      "reached", "visited", "entered", "left", "north", "south", "east", "west", "northeast",
                      "northwest", "southeast", "southwest", "border", "city", "town", "village", "province",
                      "capital"})
# prepositions that make every item of the list after them a location ("in A, B and C"; not "of", "by")
LIST_LOCATIVES: Final = frozenset({"in", "near", "at", "to", "from", "into", "outside", "around", "across",
                                   "toward", "towards", "through", "throughout", "via", "inside", "within",
                                   "between", "along"})
NEAR_WORDS: Final = frozenset({"near", "outside", "around", "outskirts", "vicinity", "area", "areas", "region",
                        "regions", "sector", "sectors", "countryside", "surroundings", "north", "south", "east",
                        "west", "northeast", "northwest", "southeast", "southwest", "suburbs", "province"})

# verbs (all inflections listed) that make a place name the agent of an act: a metonym
_VERB_STEMS: Final = """
say says said saying tell tells told telling announce announces announced announcing deny denies denied denying
refute refutes refuted refuting condemn condemns condemned condemning accuse accuses accused accusing warn warns
warned warning insist insists insisted insisting claim claims claimed respond responds responded responding reject
rejects rejected rejecting demand demands demanded demanding urge urges urged urging call calls called vow vows
vowed vowing threaten threatens threatened threatening agree agrees agreed agreeing sign signs signed signing
impose imposes imposed imposing sanction sanctions sanctioned want wants wanted seek seeks sought seeking hope hopes
hoped believe believes believed support supports supported supporting back backs backed backing criticize criticizes
criticized criticise criticises criticised welcome welcomes welcomed blame blames blamed approve approves approved
plan plans planned argue argues argued argued ask asks asked asking order orders ordered expel expels expelled
recall recalls recalled summon summons summoned launch launches launched launching attack attacks attacked
attacking strike strikes struck striking invade invades invaded invading bomb bombs bombed bombing beat beats
won win wins lost lose loses defeat defeats defeated draw drew face faces faced host hosts hosted hosting
retaliate retaliates retaliated retaliating respond decide decides decided deploy deploys deployed deploying
send sends sent sending promise promises promised promising pledge pledges pledged pledging confirm confirms
confirmed confirming acknowledge acknowledges acknowledged admit admits admitted insist denounce denounces
denounced denouncing praise praises praised protest protests protested protesting announce declare declares
declared declaring refuse refuses refused refusing vote votes voted voting negotiate negotiates negotiated
continue continues continued provide provides provided providing offer offers offered offering intend intends
intended consider considers considered considering allow allows allowed allowing ban bans banned banning
block blocks blocked blocking release releases released releasing arrest arrests arrested arresting expelled
suspend suspends suspended suspending fire fires fired firing shoot shoots shot shooting downed retaliated has have
had is was will would could should can may might must wants did does is'nt isn't wasn't won't hasn't
""".split()
AGENT_VERBS: Final = frozenset(_VERB_STEMS) - {"is", "was", "has", "have", "had", "will", "would", "could", "should",
                                         "can", "may", "might", "must", "did", "does"}
AUXILIARIES: Final = frozenset({"is", "was", "has", "have", "had", "will", "would", "could", "should", "can", "may",
                         "might", "must", "did", "does", "isn't", "wasn't", "won't", "hasn't", "also", "again",
                         "already", "now", "then", "still", "not", "never", "quickly", "publicly", "formally",
                         "officially", "previously", "recently", "repeatedly", "strongly", "immediately", "firmly",
                         "reportedly", "allegedly", "swiftly", "just", "once", "finally", "later", "on", "late",
                         "early", "last", "this", "yesterday", "today", "tonight", "monday", "tuesday",
                         "wednesday", "thursday", "friday", "saturday", "sunday", "week", "weekend", "month",
                         "year", "morning", "evening", "night", "afternoon", "been", "be", "being", "it", "itself"})
# nouns for people or institutions: a place right before them is a modifier, after "'s" a possessor
AGENT_NOUNS: Final = frozenset("""
official officials government governments authorities authority forces force troops troop soldiers soldier military
army armies navy air-force president presidents leader leaders leadership minister ministers ministry ministries
prime foreign defense defence interior embassy embassies ambassador ambassadors diplomat diplomats diplomatic
spokesman spokeswoman spokesperson administration regime parliament lawmakers legislators senator senators
congress congressman intelligence police officers officer team teams side squad players player coach fans
company companies firm firms bank banks central central-bank economy economic market markets stocks shares
currency businesses media press state-run state-media state-owned officials' government's negotiators delegation
delegates allies ally partners partner counterpart counterparts regulators regulator court courts judges judge
prosecutors prosecutor investigators agency agencies security sanctions envoy envoys king queen prince monarch
crown general generals commander commanders chief chiefs people citizens nationals residents voters voter
population public consumers workers teacher teachers students student farmers officials drivers
policy policies law laws bill budget election elections vote referendum campaign strategy tariffs tariff
nuclear missile missiles program programme navy's health education
man men woman women boy boys girl girls native natives mother mothers father fathers son sons daughter daughters
teen teens teenager teenagers couple detectives commissioner governor mayor council
""".split())
# people who live somewhere: "residents of Mzuzu" locates them, it is not a metonym
INHABITANTS: Final = frozenset({"people", "residents", "citizens", "nationals", "voters", "population", "public",
                         "consumers", "workers", "students", "farmers", "drivers", "teachers", "inhabitants",
                         "villagers", "locals", "families", "children", "civilians"})
# continental adjectives read like nationality ones: "European countries", "the African economy"
CONTINENT_ADJECTIVES: Final = {"european": "europe", "african": "africa", "asian": "asia"}
# place nouns after a nationality adjective: "the Syrian town", "the Turkish border"
DEMONYM_GEO_NOUNS: Final = frozenset("""
countries nations
town towns city cities village villages border borders frontier coast coastline capital island islands
territory territories soil waters airspace countryside province provinces region regions desert mountains
port ports side mainland enclave states jails prisons beaches farms streets airports
""".split())
# what happens to a place or what it physically has: "Douma's fall", "Tijuana's sewage" (literal owners)
PHYSICAL_NOUNS: Final = frozenset("""
fall capture siege recapture liberation bombardment shelling destruction reconstruction ruins skyline
infrastructure sewage sewer roads weather climate air pollution flooding floods outskirts neighbourhoods
neighborhoods districts buildings homes houses hospitals schools water electricity power grid
""".split())
# a territory's economy, output and population: "India's cash-heavy economy", "China's manufacturing
# industry", "Mexico's agricultural production" locate their owner (a place), unlike its acts and officials
ECONOMY_NOUNS: Final = frozenset("""
economy economies industry industries growth production population sector sectors activity
""".split())
ECONOMY_STEMS: Final = ("econom", "industr")
# what a nationality adjective locates when it qualifies an economy: "the Turkish livestock market"
MARKET_NOUNS: Final = frozenset("""
market markets industry industries economy factories jobs exports
""".split())
# nouns after "'s" that keep the owner a place ("Syria's north", "Iraq's border")
GEO_NOUNS: Final = frozenset("""
north south east west northeast northwest southeast southwest north-east north-west south-east south-west
northern southern eastern western central border borders frontier capital coast coastline territory
territories province provinces region regions city cities town towns village villages countryside desert
mountains airspace waters soil land lands islands island shores streets outskirts suburbs heartland interior
largest biggest second-largest oldest main port ports airport airports rivers river lakes
""".split())

# modal and auxiliary verbs: a place right before one of them (then a verb) is the agent of an act
MODALS: Final = frozenset({"should", "will", "would", "could", "must", "can", "may", "might", "did", "does", "cannot",
                    "won't", "wouldn't", "can't", "couldn't", "shouldn't", "didn't", "doesn't", "needs", "hopes"})
# verbs after a modal that keep a place literal ("London will be hit", "Texas could see snow")
STATIVE_AFTER_MODAL: Final = frozenset({"be", "have", "remain", "see", "become", "get", "experience", "receive", "stay",
                                 "look", "feel", "suffer", "expect", "soon", "also", "still"})
# words right before a place that make it a team, a party to relations or a rival, not a location
RIVAL_PREV: Final = frozenset({"against", "versus", "vs", "beating", "defeating", "outlasted", "overcame", "edged"})
ATTACK_WORDS: Final = frozenset({"attack", "attacks", "strike", "strikes", "airstrike", "airstrikes", "offensive",
                          "operation", "operations", "assault", "campaign", "raid", "raids", "bombing",
                          "shelling", "protest", "protests", "march", "rally"})
RELATION_WORDS: Final = frozenset({"relations", "ties", "talks", "tensions", "dispute", "cooperation", "rivalry",
                            "trade", "deal", "agreement", "summit", "match", "game", "negotiations", "rapprochement"})
COORD: Final = frozenset({"and", "or", "&", ",", "the"})
RESULT_WORDS: Final = frozenset({"defeat", "defeats", "loss", "losses", "win", "wins", "victory", "victories", "draw",
                          "series", "tie", "rivalry", "clash", "semifinal", "final", "game", "match"})
RIVAL_PAIRS: Final = frozenset({("to", "lost"), ("to", "fell"), ("to", "lose")})


CLAUSE_OPENERS: Final = frozenset({",", "but", "while", "as", "because", "when", "after", "although", "though", "since",
                            "if", "that", "so", "—", "–"})


# a lone capitalised word after one of these names a person: "his brother Tyler", "said Noma."
KIN_WORDS: Final = frozenset({"brother", "sister", "son", "daughter", "wife", "husband", "mother", "father", "uncle",
                       "aunt", "cousin", "nephew", "niece", "grandson", "granddaughter", "boyfriend", "girlfriend",
                       "stepson", "stepdaughter", "mom", "dad", "mum", "twin", "baby"})
SPEECH_VERBS: Final = frozenset({"said", "says", "added", "explained", "recalled", "told", "asked", "wrote", "insisted"})
# prepositions after which a rare capitalised word is taken as an (unresolved) place
OPEN_LOCATIVES: Final = frozenset({"in", "near", "at", "outside", "around", "into", "towards", "toward", "inside"})

NEVER_ALONE: Final = DIRECTIONS | FEATURE_WORDS | ORG_WORDS | MONTHS_DAYS | FUNCTION_WORDS | TITLES
CONTRACTION_ENDS: Final = frozenset({"re", "ll", "ve", "'d", "’d", "'m", "’m", "'t", "’t"})
PHYSICAL: Final = FACILITY_WORDS | INHABITANTS | PLACE_TYPE_WORDS | PHYSICAL_NOUNS   # what a city's possessive owns literally


# not-a-place classes: a name right before one of these is a weapon, vehicle, ship or product named after a
# place ("Iskander missiles", "Tomahawk cruise missiles", "Javelin anti-tank", "the Moskva cruiser")
PRODUCT_CUES: Final = frozenset("""
missile missiles rocket rockets launcher launchers system systems howitzer howitzers rifle rifles tank tanks
anti-tank anti-aircraft cruise ballistic hypersonic warhead warheads interceptor interceptors jet jets fighter
fighters bomber bombers helicopter helicopters gunship gunships drone drones aircraft airliner airliners
cruiser frigate destroyer corvette warship submarine carrier vessel tanker yacht ferry pickup sedan suv truck
trucks engine engines variant variants model models fc sc afc
""".split())
# words that make a territory's short name mean its authority's territory ("officials in Gaza")
AUTHORITY_WORDS: Final = frozenset("""
official officials authorities authority government ministry minister ministries administration governor
""".split())
# a word before a one-word chunk that a fallback (_named_by_type, _near_miss, _after_locative) can act on
ONE_WORD_CUES: Final = LOCATIVE | OPEN_LOCATIVES | {"of"}


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources.
if __name__ == "geoinc.geoparser.lexicon":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
