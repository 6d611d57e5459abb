"""Recognition: candidate place spans in text, from gazetteer names plus capitalisation and context cues.

Pure logic over a :class:`~geoinc.gazetteer.index.Gazetteer` (the only I/O is the gazetteer's own lookup):

1. tokenise (keeping offsets; "U.S." is one token, glued words such as "IraqAccording" are split);
2. group capitalised tokens into chunks (a proper-noun phrase, possibly with "of"/"in"/"al-" inside);
3. inside each chunk, find the longest spans whose normalised name is in the gazetteer;
4. reject spans that are parts of people's names (titles, given names, surnames seen elsewhere in the
   text), of organisations ("New York Times", "Islamic Resistance in Iraq"), common English words at the
   start of a sentence, abbreviations that are not country codes, and foreign-language alternate names
   that spell an English word;
5. flag metonyms: a place as the agent of a verb ("Tehran refuting", "Baghdad on Monday condemned"),
   a possessor of people or institutions ("Washington's army"), or a modifier of them ("US officials").

The output is :class:`Span` records; :mod:`geoinc.geoparser.resolve` turns them into :class:`~geoinc.models.Mention`.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, AbstractSet, Final

from ..text import name_key


def _ap_keys() -> frozenset[str]:
    from ..gazetteer.index import US_STATE_ABBREVIATIONS

    return frozenset(name_key(a) for forms in US_STATE_ABBREVIATIONS.values() for a in forms)


AP_KEYS: Final = _ap_keys()

if TYPE_CHECKING:
    from ..gazetteer.index import Candidate, Gazetteer

MAX_SPAN_TOKENS: Final = 7

_TOKEN_RE: Final = re.compile(
    r"(?P<low>[a-z]+(?: [a-z]+)*)(?![\w'’‘`´\-&])"      # a run of plain lower-case words, single-spaced
    r"|(?:[A-Z]\.){2,}"                               # U.S., U.K., U.S.A.
    r"|[^\W\d_](?:[\w'’‘`´\-&]*\w)?"                 # words with inner apostrophes, hyphens
    r"|(?P<num>\d+(?:[.,]\d+)*)"                     # numbers
    r"|(?P<sym>[^\w\s])",                            # any other single character
    re.UNICODE,
)
_GLUED_RE: Final = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z]{3})")
_APOSTROPHES: Final = "'’‘`´"

# lower-case words allowed inside a proper-noun chunk, between capitalised words
CONNECTORS: Final = frozenset({
    "of", "de", "del", "della", "di", "da", "do", "dos", "das", "du", "des", "la", "le", "les", "el", "al",
    "the", "upon", "on", "am", "an", "der", "den", "y", "e", "en", "sur", "lès", "ad", "ar", "as", "at",
    "ash", "az", "bin", "ibn", "bint", "van", "von", "and", "&", "in", "for", "at",
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


class Token:
    """One token with its offsets and the flags the rules test (a plain class: mypyc builds these fast)."""

    __slots__ = ("text", "start", "end", "cap", "upper", "word", "sent_start", "low")

    def __init__(self, text: str, start: int, end: int, cap: bool, upper: bool, word: bool, sent_start: bool,
                 low: str = "") -> None:
        self.text = text
        self.start = start
        self.end = end
        self.cap = cap                  # starts with a capital (or an Arabic article then a capital: al-Mayadine)
        self.upper = upper              # all capitals, two letters or more
        self.word = word                # letters (not a number or punctuation)
        self.sent_start = sent_start    # first word of a sentence, headline line or quotation
        self.low = low                  # the text in lower case (computed once: the rules compare it often)

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end}, cap={self.cap}, sent_start={self.sent_start})"


@dataclass(slots=True)
class Span:
    """A recognised place-name span with its gazetteer candidates and the cues seen around it."""

    start: int
    end: int
    text: str
    key: str
    candidates: tuple["Candidate", ...]
    metonym: bool = False
    near: bool = False                  # "near X", "the X area": ACLED precision 2
    feature: str | None = None          # a following feature word: "camp", "province", "border"
    comma_next: str | None = None       # name key of a capitalised phrase after ", " ("Paris, Texas")
    comma_places: tuple = ()            # the countries/regions that phrase names (filled by the resolver)
    strong_context: bool = False        # a locative preposition right before
    loose: bool = False                 # matched through the transliteration-tolerant key only
    notes: list[str] = field(default_factory=list)


def _is_cap(text: str) -> bool:
    if not text:
        return False
    if text[0].isupper():
        return True
    m = ARTICLE_PREFIX_RE.match(text)
    return m is not None and len(text) > m.end() and text[m.end()].isupper()


def tokenize(text: str, caps: list[int] | None = None) -> list[Token]:
    """Tokens with offsets, capitalisation and sentence-start flags (computed for capitalised words only).
    ``caps``, when given, receives the indices of the capitalised tokens (so later passes skip the rest)."""
    out: list[Token] = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind == "low":       # fast path: plain lower-case words (one match per single-spaced run)
            start = m.start()
            for s in m[0].split(" "):
                end = start + len(s)
                out.append(Token(s, start, end, False, False, True, False, s))
                start = end + 1
            continue
        s = m[0]
        start0 = m.start()
        if kind is not None:    # a number or a symbol: neither a word nor capitalised
            out.append(Token(s, start0, m.end(), False, False, False, False, s.lower()))
            continue
        c0 = s[0]
        if (c0.isupper() and c0.isalpha() and "-" not in s
                and not (len(s) > 3 and s[-1] in "sS" and s[-2] in _APOSTROPHES)
                and (len(s) < 8 or _GLUED_RE.search(s) is None)):
            # fast path: one plain capitalised word (what the loop below does for a single piece)
            if out:
                prev = out[-1]
                prev_text = prev.text
                sent = (prev_text in SENTENCE_END or text.find("\n", prev.end, start0) != -1
                        or (prev_text in QUOTE_CHARS and (len(out) < 2 or out[-2].text in SENTENCE_END
                                                          or out[-2].text == ",")))
            else:
                sent = True
            if caps is not None:
                caps.append(len(out))
            out.append(Token(s, start0, start0 + len(s), True, len(s) >= 2 and s.isupper(), True, sent, s.lower()))
            continue
        pieces: tuple[tuple[str, int], ...] = ((s, start0),)
        if len(s) >= 8 and c0.isupper():
            g = _GLUED_RE.search(s)
            if g is not None:   # "IraqAccording" -> "Iraq" "According"
                cut = g.start()
                pieces = ((s[:cut], start0), (s[cut:], start0 + cut))
        if len(s) > 3 and s[-1] in "sS" and s[-2] in _APOSTROPHES:
            pieces = ((s[:-2], start0), (s[-2:], start0 + len(s) - 2))   # possessive: "Washington’s" + "’s"
        elif c0.isupper() and "-" in s:
            cut = s.index("-")
            left, right = s[:cut], s[cut + 1:]
            if ((len(left) >= 3 or left.isupper()) and left.lower() not in ARABIC_ARTICLE_WORDS and right
                    and (right[0].isupper() or right.split("-")[0].lower() in HYPHEN_SUFFIXES)):
                # "London-based" -> "London" "-" "based"; "Amsterdam-London" -> "Amsterdam" "-" "London"
                pieces = ((left, start0), ("-", start0 + cut), (right, start0 + cut + 1))
        for piece, start in pieces:
            c0 = piece[0]
            word = c0.isalpha()
            cap = upper = sent = False
            if word:
                if c0.isupper():
                    cap = True
                    upper = len(piece) >= 2 and piece.isupper()
                else:
                    cap = _is_cap(piece)
            if cap:
                if out:
                    prev = out[-1]
                    prev_text = prev.text
                    sent = (prev_text in SENTENCE_END or text.find("\n", prev.end, start) != -1
                            or (prev_text in QUOTE_CHARS and (len(out) < 2 or out[-2].text in SENTENCE_END
                                                              or out[-2].text == ",")))
                else:
                    sent = True
                if caps is not None:
                    caps.append(len(out))
            out.append(Token(piece, start, start + len(piece), cap, upper, word, sent, piece.lower()))
    return out


def _chunks(tokens: list[Token], caps: list[int] | None = None) -> list[tuple[int, int]]:
    """Maximal proper-noun phrases as [i, j) token ranges: capitalised words, numbers after them, connectors.
    ``caps``: the indices of the capitalised tokens, if known (a chunk starts at one of them)."""
    out = []
    n = len(tokens)
    if caps is None:
        caps = [k for k, t in enumerate(tokens) if t.cap]
    j = 0
    for i in caps:
        if i < j:
            continue        # inside the previous chunk
        j = i + 1
        while j < n:
            t = tokens[j]
            if t.cap or (t.text[0].isdigit() and tokens[j - 1].cap and tokens[j].start == tokens[j - 1].end + 1):
                j += 1
                continue
            if (t.low in CONNECTORS and j + 1 < n and tokens[j + 1].cap
                    and tokens[j + 1].start - t.end <= 1 and t.start - tokens[j - 1].end <= 1):
                j += 2
                continue
            if t.text in {"-", "'"} and j + 1 < n and tokens[j + 1].cap and t.start == tokens[j - 1].end:
                j += 2
                continue
            if t.text == "." and tokens[j - 1].text.title() in {"St", "Ft", "Mt", "Pt", "Jr", "Sr", "Gen", "Lt", "Col",
                                                         "Dr", "Mr", "Mrs", "Ms", "Sen", "Rep", "Gov", "Sgt",
                                                         "Capt", "Maj", "Adm", "Prof", "Rev"} and j + 1 < n and tokens[j + 1].cap:
                j += 1
                continue
            if t.text == "." and len(tokens[j - 1].text) == 1 and tokens[j - 1].text.isupper() and j + 1 < n and tokens[j + 1].cap:
                j += 1   # initials: "C. Q. Brown"
                continue
            break
        out.append((i, j))
    return out


def _span_text(text: str, tokens: list[Token], i: int, j: int) -> str:
    return text[tokens[i].start:tokens[j - 1].end]


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
_COORD: Final = frozenset({"and", "or", "&", ",", "the"})
RESULT_WORDS: Final = frozenset({"defeat", "defeats", "loss", "losses", "win", "wins", "victory", "victories", "draw",
                          "series", "tie", "rivalry", "clash", "semifinal", "final", "game", "match"})
RIVAL_PAIRS: Final = frozenset({("to", "lost"), ("to", "fell"), ("to", "lose")})


CLAUSE_OPENERS: Final = frozenset({",", "but", "while", "as", "because", "when", "after", "although", "though", "since",
                            "if", "that", "so", "—", "–"})


def raw_plural(name: str) -> bool:
    """Names that take a plural verb themselves: "the Philippines are", "the Netherlands were"."""
    return name.rstrip(".").lower().endswith("s")


def _town_only(cands: tuple) -> bool:
    """Candidates that are all towns or cities (no country or region reading)."""
    return bool(cands) and all(c.place.kind in ("city", "town", "village") for c in cands)


def _join_dc(text: str, spans: list[Span]) -> list[Span]:
    """"Washington, D.C." is one name: the district's abbreviation joins the city's span."""
    out: list[Span] = []
    for sp in spans:
        prev = out[-1] if out else None
        if (prev is not None and sp.key in {"d c", "dc"} and prev.key == "washington"
                and text[prev.end:sp.start].strip() == ","):
            prev.end, prev.text = sp.end, text[prev.start:sp.end]
            continue
        out.append(sp)
    return out


def _list_members(tokens: list[Token], k: int) -> list[tuple[int, int]]:
    """Token ranges of the items of a list of short capitalised names around token ``k`` ("Haydn, Chopin,
    Liszt and Debussy"): items of one to three capitalised words joined by ",", "and", "or"."""
    n = len(tokens)

    def item_end(s: int) -> int:
        e = s
        while e < n and e < s + 3 and tokens[e].cap and tokens[e].word:
            e += 1
        return e

    def item_start(e: int) -> int:      # e: index just past the item
        s = e
        while s > 0 and s > e - 3 and tokens[s - 1].cap and tokens[s - 1].word:
            s -= 1
        return s

    # An English list joins its items with commas and puts "and"/"or" before the last item only, so at most
    # one conjunction, as the last separator: "Chicopee and West Springfield, Mayor Sarno said" is a list of
    # two followed by a clause, not a list of three.
    end = item_end(k)
    start = item_start(end)
    members = [(start, end)]
    last_item = False               # the conjunction before the last item has been passed
    s = start
    while s >= 2 and tokens[s - 1].text in {",", "and", "or"}:
        j = s - 1
        conj = tokens[j].text in {"and", "or"}
        if conj and j >= 1 and tokens[j - 1].text == ",":
            j -= 1
        if conj and len(members) > 1:
            break                   # a second conjunction: the start of another list
        if j < 1 or not (tokens[j - 1].cap and tokens[j - 1].word):
            break
        last_item = last_item or conj
        s = item_start(j)
        members.insert(0, (s, j))
    e = end
    while not last_item and e + 1 < n and tokens[e].text in {",", "and", "or"}:
        j = e + 1
        conj = tokens[e].text in {"and", "or"}
        if tokens[e].text == "," and j < n and tokens[j].text in {"and", "or"}:
            j += 1
            conj = True
        if j >= n or not (tokens[j].cap and tokens[j].word):
            break
        e = item_end(j)
        members.append((j, e))
        last_item = conj
    return members


def _after_listed_locative(tokens: list[Token], i: int) -> bool:
    """Token ``i`` opens a later item of a list that a locative preposition governs ("to Chicopee and West
    Springfield", "in Shrewsbury, Ironbridge and Bewdley"): the preposition's evidence carries to each item."""
    if i == 0 or tokens[i - 1].text not in {",", "and", "or"}:
        return False
    head = _list_members(tokens, i)[0][0]
    return head != i and head > 0 and tokens[head - 1].low in LIST_LOCATIVES


def _drop_name_lists(tokens: list[Token], spans: list[Span]) -> list[Span]:
    """In a list of three or more short names where most items are not places ("Haydn, Chopin, Liszt and
    Debussy", "Helen, Clarence, Irene and Marie"), the items that happen to be town names are not places."""
    if not spans:
        return spans
    covered = [(sp.start, sp.end) for sp in spans]
    drop: set[int] = set()
    for sp in spans:
        if (not sp.candidates or sp.end - sp.start > 30
                or any(c.place.kind in ("country", "admin1", "continent", "region") or c.place.source == "curated"
                       for c in sp.candidates)):
            continue
        k = bisect_left(tokens, sp.start, key=_token_start)     # the token the span starts with
        if k == len(tokens) or tokens[k].start != sp.start:
            continue
        members = _list_members(tokens, k)
        if len(members) < 3:
            continue
        if members[0][0] > 0 and tokens[members[0][0] - 1].low in LITERAL_PREV:
            continue      # "in Aleppo, Xa, Yb and Zc": a list after a locative is a list of places
        places = sum(any(a < tokens[e - 1].end and tokens[s].start < b for a, b in covered) for s, e in members)
        if places * 2 <= len(members):
            drop.add(sp.start)
    return [sp for sp in spans if sp.start not in drop] if drop else spans


def _share_metonymy(text: str, spans: list[Span]) -> None:
    """Coordinated names share their reading: in "the U.S. and China would find", "taken by Bulgaria,
    Malta and Portugal" every member of the list is non-literal when one member is (a list joined by
    "and"/"or", commas only inside such a list)."""
    i, n = 0, len(spans)
    while i < n:
        j = i
        has_and = False
        while j + 1 < n and not has_and:    # the list ends at the member after "and"
            gap = text[spans[j].end:spans[j + 1].start]
            if len(gap.split(None, 3)) > 3:
                break   # more than three words apart (cheap test on the raw gap: commas only add words)
            gap = gap.strip().lower()
            words = gap.replace(",", " , ").split()
            if not words or len(words) > 3 or any(w not in _COORD for w in words):
                break
            has_and = "and" in words or "or" in words or "&" in words
            j += 1
        group = spans[i:j + 1]
        if (j > i and has_and and any(sp.metonym for sp in group)
                and not (group[0].strong_context and not group[0].metonym)):
            for sp in group:
                if sp.candidates and not sp.metonym:
                    sp.metonym = True
                    sp.notes.append("coordinated with a non-literal name")
        i = j + 1


# a lone capitalised word after one of these names a person: "his brother Tyler", "said Noma."
KIN_WORDS: Final = frozenset({"brother", "sister", "son", "daughter", "wife", "husband", "mother", "father", "uncle",
                       "aunt", "cousin", "nephew", "niece", "grandson", "granddaughter", "boyfriend", "girlfriend",
                       "stepson", "stepdaughter", "mom", "dad", "mum", "twin", "baby"})
SPEECH_VERBS: Final = frozenset({"said", "says", "added", "explained", "recalled", "told", "asked", "wrote", "insisted"})
# prepositions after which a rare capitalised word is taken as an (unresolved) place
OPEN_LOCATIVES: Final = frozenset({"in", "near", "at", "outside", "around", "into", "towards", "toward", "inside"})


_NO_SKIP: Final[frozenset[int]] = frozenset()
_token_start = attrgetter("start")
_NEVER_ALONE: Final = DIRECTIONS | FEATURE_WORDS | ORG_WORDS | MONTHS_DAYS | FUNCTION_WORDS | TITLES
_CONTRACTION_ENDS: Final = frozenset({"re", "ll", "ve", "'d", "’d", "'m", "’m", "'t", "’t"})


def _economy_after(tokens: list[Token], k: int) -> bool:
    """An economy noun within the three lower-case words from ``k``: "'s cash-heavy economy", "'s oil and
    mining industries", "'s ongoing economic sluggishness" (a place's economy is the place, literally)."""
    words = 0
    m = k
    while m < len(tokens) and words < 3:
        tok = tokens[m]
        m += 1
        if tok.text == "-":
            continue          # "cash-heavy"
        if tok.cap or not tok.word:
            return False
        w = tok.low
        if w in ECONOMY_NOUNS or w.startswith(ECONOMY_STEMS):
            return True
        words += 1
    return False


def _economy_noun_at(tokens: list[Token], m: int) -> bool:
    """A national economy's noun at ``m``, or after one lower-case modifier: "the Turkish market", "the
    Turkish feed industry", "American factories" (the country's territory as a market, literally)."""
    for k in (m, m + 1):
        if k >= len(tokens) or tokens[k].cap or not tokens[k].word:
            return False
        if tokens[k].low in MARKET_NOUNS:
            return True
    return False


_PHYSICAL: Final = FACILITY_WORDS | INHABITANTS | PLACE_TYPE_WORDS | PHYSICAL_NOUNS   # what a city's possessive owns literally


# a word before a one-word chunk that a fallback (_named_by_type, _near_miss, _after_locative) can act on
_ONE_WORD_CUES: Final = LOCATIVE | OPEN_LOCATIVES | {"of"}


def _never_alone(tok: Token) -> bool:
    """A one-word match that is never a place on its own (not all capitals): a direction, feature,
    organisation, month/day, function word or title, or a contraction ("We're")."""
    low = tok.low
    if low.strip(_APOSTROPHES) in _NEVER_ALONE:
        return True
    inner = tok.text[1:-1]
    return low[-2:] in _CONTRACTION_ENDS and any(a in inner for a in _APOSTROPHES)


class Recognizer:
    """Finds place-name spans in text using a gazetteer; stateless between calls."""

    def __init__(self, gazetteer: "Gazetteer") -> None:
        self.gaz = gazetteer

    # -- helpers
    def _common(self, word: str) -> float:
        return self.gaz.word_zipf(word.strip(_APOSTROPHES))

    def _lookup(self, key: str, raw: str, n_tokens: int, upper: bool) -> tuple[tuple["Candidate", ...], bool]:
        """Candidates for a span's key; abbreviation and loose rules applied. Returns (candidates, loose)."""
        if upper and len(raw) <= 8 and sum(c.isalpha() for c in raw) <= 4:
            from ..gazetteer.index import COUNTRY_ABBREVIATIONS

            if key in AP_KEYS and "." in raw:      # "N.M.", "D.C.": a US state by its AP abbreviation
                return tuple(c for c in self.gaz.candidates(key) if c.place.kind == "admin1"
                             and c.place.country_code == "US"), False
            if raw.strip() not in COUNTRY_ABBREVIATIONS:
                return (), False
            return tuple(c for c in self.gaz.candidates(key) if c.place.source in {"country", "curated"}), False
        cands = self.gaz.candidates(key)
        if cands:
            return cands, False
        if len(key.replace(" ", "")) >= 5 and n_tokens <= 3:
            found = self.gaz.loose_candidates(key)
            loose = found and tuple(c for c in found if c.place.source != "geonames" or c.place.population >= 1000)
            if loose:
                return loose, True
        return (), False

    def _keep_candidates(self, cands: tuple["Candidate", ...], key: str, raw_tokens: list[Token],
                         sent_start: bool, strong: bool) -> tuple["Candidate", ...]:
        """Drop candidates whose match is implausible for this surface form (English words, alt names)."""
        zipfs: list[float] | None = None     # word frequencies, looked up only when a candidate needs them
        keep = []
        for c in cands:
            p = c.place
            if p.source in {"curated", "country", "learned"} or p.kind == "continent":
                keep.append(c)
                continue
            if zipfs is None:
                words = [t for t in raw_tokens if t.word]
                zipfs = [self._common(t.text) for t in words]
                all_common = bool(words) and min(zipfs) >= 3.0
                very_common = bool(words) and min(zipfs) >= 4.0
            if p.source == "admin1":
                if (all_common and sent_start and len(words) == 1 and zipfs[0] >= 4.5 and not strong
                        and p.population <= 3_000_000):
                    continue    # "Central", "Western", "Reading" open a sentence as words; "Texas" as Texas
                keep.append(c)
                continue
            # GeoNames places
            if all_common:
                pkey = name_key(p.name)
                if (not c.primary and pkey != key
                        and not (key.startswith(pkey + " ") or pkey.startswith(key + " "))):
                    continue            # an alternate name (often another language or a nickname: "Garden City"
                                        # for Singapore) that spells English words; a short or long form of the
                                        # place's own name stays ("New York" for New York City, "Quebec City")
                need = 100_000 if very_common else 20_000
                if sent_start and not strong:
                    need *= 5
                if len(words) > 1:
                    # "near New Quay": a whole multi-word name after a locative is evidence enough
                    need = 50_000 if not strong else 0
                if strong:
                    need //= 5
                if p.population < need:
                    continue
            elif c.loose and p.population < 5000:
                continue
            keep.append(c)
        return tuple(keep)

    # -- main
    def find(self, text: str) -> list[Span]:
        """Place-name spans in ``text`` (not yet resolved), in order."""
        caps: list[int] = []
        tokens = tokenize(text, caps)
        chunks = _chunks(tokens, caps)
        surnames = self._people(tokens, chunks)
        spans: list[Span] = []
        words: dict[str, tuple] = {}     # gazetteer matches of the one-word chunks, by word
        n_tokens = len(tokens)
        for ci, cj in chunks:
            if cj - ci == 1:
                # one capitalised word: no named site ("X Hospital" needs two words), nothing to skip
                found = self._one_word(text, tokens, ci, surnames, words)
                if not found and (ci > 0 and tokens[ci - 1].low in _ONE_WORD_CUES
                                  or ci + 1 < n_tokens and tokens[ci + 1].low in PLACE_TYPE_WORDS):
                    # the fallbacks below all need a cue next to the word: a locative or "of" before
                    # ("near Kirkuc", "village of X"), or a place-type word after ("X camp")
                    unknown = (self._named_by_type(text, tokens, ci, cj)
                               or self._near_miss(text, tokens, ci, cj, surnames)
                               or self._after_locative(text, tokens, ci, cj, surnames))
                    if unknown is not None:
                        found = [unknown]
                spans.extend(found)
                continue
            skip: set[int] = set()
            for fi, fj in self._subchunks(tokens, ci, cj):
                fac = self._facility(text, tokens, fi, fj)
                if fac is not None:
                    spans.append(fac)
                    skip.update(range(fi, fj))
            found = self._in_chunk(text, tokens, ci, cj, surnames, skip)
            if not found and not skip:
                unknown = (self._named_by_type(text, tokens, ci, cj) or self._near_miss(text, tokens, ci, cj, surnames)
                           or self._after_locative(text, tokens, ci, cj, surnames))
                if unknown is not None:
                    found = [unknown]
            elif found and not skip and found[0].start > tokens[ci].start:
                # "the town of Bulo Burde in Hiiraan region": the gazetteer knows only the region; the name the
                # text calls a town before it is a place of its own
                lead = self._named_by_type(text, tokens, ci, cj)
                if lead is not None and lead.end <= found[0].start:
                    found = [lead, *found]
            spans.extend(found)
        spans.extend(self._demonym_places(tokens, spans, caps))
        spans.sort(key=lambda sp: sp.start)
        spans = _drop_name_lists(tokens, spans)
        spans = _join_dc(text, spans)
        _share_metonymy(text, spans)
        return spans

    def _demonym_places(self, tokens: list[Token], spans: list[Span], caps: list[int] | None = None) -> list[Span]:
        """A nationality adjective before a geographic noun names the country literally: "the Syrian town",
        "the Turkish border", "Syrian-Turkish border" (other adjective uses are modifiers, not emitted)."""
        from ..gazetteer.index import Candidate

        taken = {sp.start for sp in spans}
        out = []
        n = len(tokens)
        if caps is None:
            caps = [k for k, t in enumerate(tokens) if t.cap]
        for k in caps:
            t = tokens[k]
            if t.upper or t.start in taken:
                continue
            cc = self.gaz.demonym(t.text)
            if cc is None and t.low not in CONTINENT_ADJECTIVES:
                continue
            m = k + 1
            while m + 1 < n and tokens[m].text == "-" and self.gaz.demonym(tokens[m + 1].text):
                m += 2      # "Syrian-Turkish border"
            if m >= n:
                continue
            w = tokens[m].low
            if w not in DEMONYM_GEO_NOUNS and not _economy_noun_at(tokens, m):
                continue
            if cc is None:
                continent = CONTINENT_ADJECTIVES[t.low]
                country = next((c.place for c in self.gaz.candidates(continent)
                                if c.place.kind == "continent"), None)
            else:
                country = self.gaz.country(cc)
            if country is None:
                continue
            span = Span(t.start, t.end, t.text, name_key(t.text), (Candidate(country, True),))
            span.notes.append("nationality adjective before a place noun")
            out.append(span)
        return out

    def _near_miss(self, text: str, tokens: list[Token], ci: int, cj: int, surnames: set[str]) -> Span | None:
        """A misspelt place after a locative ("near Kirkuc"): the bounded fuzzy match (one edit per seven
        letters, same first two letters) among notable places; the resolver still needs the document to
        support the country, so a near-miss never adds a place the story does not point to."""
        if cj - ci != 1 or ci == 0:
            return None
        t = tokens[ci]
        if (not t.word or t.upper or t.sent_start or len(t.text) < 6 or tokens[ci - 1].low not in LOCATIVE
                or self._common(t.text) > 0 or self.gaz.is_given_name(t.text) or name_key(t.text) in surnames
                or self.gaz.demonym(t.text)):
            return None
        cands = tuple(sorted(self.gaz.fuzzy_candidates(t.text, min_population=10_000),
                             key=lambda c: -c.place.population)[:20])
        if not cands:
            return None
        span = Span(t.start, t.end, t.text, name_key(t.text), cands, loose=True, strong_context=True)
        span.notes.append("near-miss spelling")
        span.metonym = self._metonym(text, tokens, ci, cj, span)
        return span

    def _named_by_type(self, text: str, tokens: list[Token], ci: int, cj: int) -> Span | None:
        """A name the gazetteer lacks but the text calls a place: "the village of Tal Tamr", "Xyz camp".

        Returned unresolved (the geocoder fallback may place it online)."""
        for k in range(ci, cj):
            if not tokens[k].cap and tokens[k].low in {"on", "in", "at", "and", "for", "&", "near", "the", "of"}:
                cj = k          # "Tal Tamr on Sunday" -> "Tal Tamr"
                break
        kind = None     # tested first: most chunks have no place-type word around them
        if ci >= 2 and tokens[ci - 1].low == "of" and tokens[ci - 2].low in PLACE_TYPE_WORDS:
            kind = tokens[ci - 2].low
        elif cj < len(tokens) and tokens[cj].low in PLACE_TYPE_WORDS and tokens[cj].word:
            kind = tokens[cj].low
        if kind is None:
            return None
        words = [k for k in range(ci, cj) if tokens[k].word]
        if not words or len(words) > 4 or any(tokens[k].upper for k in words):
            return None
        if any(tokens[k].low in ORG_WORDS or tokens[k].low in TITLES for k in words):
            return None
        if len(words) == 1 and (self._common(tokens[ci].text) >= 3.0 or self.gaz.demonym(tokens[ci].text)):
            return None     # "the Syrian town", "the English city": adjectives, handled elsewhere
        raw = _span_text(text, tokens, ci, cj)
        span = Span(tokens[ci].start, tokens[cj - 1].end, raw, name_key(raw), (), strong_context=True)
        span.notes.append(f"called a {kind} in the text; not in the gazetteer")
        return span

    def _after_locative(self, text: str, tokens: list[Token], ci: int, cj: int, surnames: set[str]) -> Span | None:
        """A rare capitalised word right after "in", "near", "at" ... that nothing else explains: "lives in
        Khayelitsha", "at Rathbeggan". Returned unresolved (a place the gazetteer lacks; the geocoder
        fallback may place it online): months, people, organisations and common words are excluded."""
        if ci == 0:
            return None
        if cj - ci > 1:
            return self._multiword_after_locative(text, tokens, ci, cj, surnames)
        t = tokens[ci]
        prev = tokens[ci - 1].low
        if prev not in OPEN_LOCATIVES or tokens[ci - 1].cap:
            return None
        nxt = tokens[cj] if cj < len(tokens) else None
        if nxt is not None and (nxt.text in {"'s", "’s", "-"} or (nxt.word and nxt.cap)):
            return None
        w = t.text
        if (not t.word or t.upper or t.sent_start or len(w) < 4 or not w.isalpha() or not w[1:].islower()
                or self._common(w) >= 2.5 or self.gaz.is_given_name(w) or name_key(w) in surnames
                or self.gaz.demonym(w) or w.lower() in ORG_WORDS or w.lower() in TITLES):
            return None
        span = Span(t.start, t.end, w, name_key(w), (), strong_context=True)
        span.notes.append(f"after '{prev}'; not in the gazetteer")
        return span

    def _multiword_after_locative(self, text: str, tokens: list[Token], ci: int, cj: int,
                                  surnames: set[str]) -> Span | None:
        """Two or three title-case words after "in", "at", "near" ...: "at Brands Hatch", "in Old Town
        Manassas" (unresolved); not people, organisations or nationality phrases."""
        prev = tokens[ci - 1]
        if prev.low not in OPEN_LOCATIVES or prev.cap:
            return None
        toks = tokens[ci:cj]
        if len(toks) > 3 or any(not t.word or t.upper or not t.text.isalpha() or not t.text[1:].islower()
                                for t in toks):
            return None
        nxt = tokens[cj] if cj < len(tokens) else None
        if nxt is not None and nxt.text in {"'s", "’s", "-"}:
            return None
        first = toks[0]
        if (first.sent_start or self.gaz.is_given_name(first.text) or first.low in DIRECTIONS
                or any(t.low in ORG_WORDS or t.low in TITLES or t.low in FUNCTION_WORDS
                       or self.gaz.demonym(t.text) or name_key(t.text) in surnames for t in toks)):
            return None
        if min(self._common(t.text) for t in toks) >= 3.0:
            return None     # "in Foreign Affairs", "at Home Depot"-like phrases of common words
        raw = _span_text(text, tokens, ci, cj)
        span = Span(toks[0].start, toks[-1].end, raw, name_key(raw), (), strong_context=True)
        span.notes.append(f"after '{prev.low}'; not in the gazetteer")
        return span

    @staticmethod
    def _subchunks(tokens: list[Token], ci: int, cj: int) -> list[tuple[int, int]]:
        """A chunk cut at "in", "at", "near", "and": "Loyola University" | "Los Angeles"."""
        out, start = [], ci
        for k in range(ci, cj):
            if tokens[k].low in {"in", "at", "near", "and", "&"} and not tokens[k].cap:
                if k > start:
                    out.append((start, k))
                start = k + 1
        if cj > start:
            out.append((start, cj))
        return out

    def _facility(self, text: str, tokens: list[Token], fi: int, fj: int) -> Span | None:
        """A named physical site ("Colchester General Hospital", "University of Perpetual Help"), or None.

        It is resolved to the town named inside it when there is one (ACLED precision 2: at or near that
        town), else left unresolved for the geocoder fallback."""
        for k in range(fi, fj):
            if not tokens[k].cap and tokens[k].low in {"on", "for", "during", "since", "until", "from", "to"}:
                fj = k          # "the Manila Cathedral on March 31" -> "Manila Cathedral"
                break
        words = [k for k in range(fi, fj) if tokens[k].word]
        if len(words) < 2:
            return None
        heads = [k for k in words if tokens[k].low.rstrip(".") in FACILITY_WORDS and tokens[k].cap]
        if not heads:
            return None
        last = words[-1]
        head = heads[-1]
        if head != last and tokens[head + 1].low != "of":
            return None     # the site word must end the phrase or open "X of Y"
        if any((tokens[k].low in TITLES and tokens[k].low != "general")
               or tokens[k].low in GROUP_WORDS for k in words):
            return None
        start = fi
        while start < fj and (tokens[start].low in FUNCTION_WORDS or not tokens[start].word):
            start += 1
        if tokens[head].low in INSTITUTION_SITES:
            p = start - 1
            if p >= 0 and tokens[p].low == "the":
                p -= 1
            if p < 0 or tokens[p].low not in SITE_LOCATIVES:
                return None
        if start >= head or not any(tokens[k].cap and tokens[k].low.rstrip(".") not in FACILITY_WORDS
                                    and tokens[k].low not in FUNCTION_WORDS for k in range(start, fj)):
            return None
        end_tok = fj
        if tokens[fj - 1].low in {"st", "rd", "ave", "blvd"} and fj < len(tokens) and tokens[fj].text == ".":
            end_tok = fj + 1
        raw = text[tokens[start].start:tokens[end_tok - 1].end]
        if self.gaz.candidates(name_key(raw)) or self.gaz.candidates(name_key(_span_text(text, tokens, start, fj))):
            return None     # the gazetteer knows the site itself ("Dover Air Force Base"): the normal path takes it
        cands: tuple = ()
        if tokens[head].low.rstrip(".") in STREET_WORDS:
            start_search = fj      # "Victoria Street" is named after Victoria, not in it: leave it unresolved
        else:
            start_search = start
        religious = tokens[head].low in {"basilica", "chapel", "church", "cathedral", "shrine", "temple",
                                                  "mosque", "synagogue"}
        for i in range(start_search, fj):
            if tokens[i].low.rstrip(".") in {"st", "saint", "san", "santa", "sankt", "ste"} and (
                    religious or any(tokens[m].text in {"'s", "’s"} for m in range(i + 1, min(fj, i + 4)))):
                break           # a dedication, not a town: "St. Peter's Basilica", "St. Louis Cathedral"
            if (not tokens[i].cap or tokens[i].low.rstrip(".") in FACILITY_WORDS
                    or (i + 1 < fj and tokens[i + 1].start == tokens[i].end and tokens[i + 1].word)
                    or (i > 0 and tokens[i - 1].end == tokens[i].start and tokens[i - 1].word)):
                continue
            for j in range(min(fj, i + MAX_SPAN_TOKENS), i, -1):
                if not tokens[j - 1].cap:
                    continue
                sub = _span_text(text, tokens, i, j)
                found, loose = self._lookup(name_key(sub), sub, j - i, False)
                found = tuple(c for c in found if not loose and c.place.kind in {"city", "town", "village"}
                              and c.place.population >= 1000)
                found = self._keep_candidates(found, name_key(sub), tokens[i:j], False, False)
                if found:
                    cands = found
                    break
            if cands:
                break
        span = Span(tokens[start].start, tokens[end_tok - 1].end, raw, name_key(raw), cands, near=True,
                    feature=tokens[head].low.rstrip("."))
        span.notes.append("named site" + (" in a gazetteer town" if cands else " not in the gazetteer"))
        span.metonym = self._metonym(text, tokens, start, end_tok, span)
        return span

    def _people(self, tokens: list[Token], chunks: list[tuple[int, int]]) -> set[str]:
        """Name keys of surnames: last words of chunks that start with a title or a given name."""
        out = set()
        for i, j in chunks:
            if j - i == 1:
                continue            # one word: no given name + surname
            for k in range(i, j):   # a person's name does not run over "in", "and", "of"
                if not tokens[k].cap and tokens[k].word:
                    j = k
                    break
            words = [k for k in range(i, j) if tokens[k].word]
            if len(words) < 2:
                continue
            first = tokens[words[0]]
            starts_person = False
            for k in words[:-1]:
                if tokens[k].low.rstrip(".") in TITLES:
                    starts_person = True
                    break
            if first.low in GEO_PREFIXES:
                continue            # "Wadi Derna", "Jebel Marra", "Tell Abyad": a landform, not "Wadi" the person
            if (not starts_person and self.gaz.is_given_name(first.text) and not first.upper
                    and first.low not in FUNCTION_WORDS and first.low not in DIRECTIONS):
                # "Joe Biden"; but not "Jordan Valley" or "Austin, Texas" (the second word must not be a place head)
                second = tokens[words[1]]
                if second.low not in FEATURE_WORDS and second.low not in ORG_WORDS:
                    starts_person = True
            if (not starts_person and len(words) == 2 and not first.sent_start and not first.upper
                    and self._common(first.text) < 3.0 and first.low not in DIRECTIONS
                    and not self.gaz.max_tokens(name_key(first.text)) and not ARTICLE_PREFIX_RE.match(first.text)):
                starts_person = True   # "Dewly Nelson": an unknown first word before a known surname-like name
            if starts_person:
                last = tokens[words[-1]].text
                if last.lower() not in FEATURE_WORDS and last.lower() not in ORG_WORDS:
                    out.add(name_key(last))
        # a lone name after a kinship word or as the speaker of a quote is a person all through the text:
        # "his brother Tyler", "a 3-year-old son, Sebastian", "said Noma."
        n = len(tokens)
        for i, j in chunks:
            if j - i != 1 or i == 0 or not tokens[i].word or tokens[i].upper:
                continue
            k = i - 1
            if tokens[k].text == "," and k > 0:
                k -= 1
            prev = tokens[k].low
            after = tokens[j].text if j < n else "."
            if prev in KIN_WORDS or (prev in SPEECH_VERBS and k == i - 1 and after in {".", ",", "!", "?"}):
                key = name_key(tokens[i].text)
                if not any(c.place.kind in ("country", "admin1") or c.place.population >= 500_000
                           for c in self.gaz.candidates(key)):
                    out.add(key)      # not "..., said Washington." (a capital speaking for its government)
        return out

    def _comma_region(self, tokens: list[Token], j: int) -> bool:
        """Is the span followed by ", <region or country>" (one or two words, abbreviations with their dot)?"""
        if j + 1 >= len(tokens) or tokens[j].text != "," or not tokens[j + 1].cap:
            return False
        for k in (j + 2, j + 3):
            if k > len(tokens):
                break
            raw = " ".join(t.text for t in tokens[j + 1:k])
            if any(c.place.kind in ("country", "admin1") for c in self.gaz.candidates(name_key(raw))):
                return True
        return False

    def _may_follow(self, tok: Token) -> bool:
        """A capitalised word that may follow a place name without making it part of another name:
        a day or month ("Moscow, Russia Thursday"), a country or region ("Greece Italy", "Maiduguri Borno
        State"), or a given name opening a person's name ("the Holy See Mikayel Minasyan")."""
        low = tok.low
        if low in MONTHS_DAYS:
            return True
        if low in DIRECTIONS:
            return False         # "Kanye West", "Palm Beach North"
        if self.gaz.is_given_name(tok.text) and low not in FUNCTION_WORDS and self._common(low) < 4.0:
            return True
        return any(c.place.kind in ("country", "admin1") for c in self.gaz.candidates(name_key(tok.text)))

    def _one_word(self, text: str, tokens: list[Token], i: int, surnames: set[str],
                  words: dict[str, tuple]) -> list[Span]:
        """:meth:`_in_chunk` for a chunk of one capitalised word; its gazetteer match is looked up once per
        document (``words`` keeps it by the word's text)."""
        t = tokens[i]
        hit = words.get(t.text)
        if hit is None:
            key = name_key(t.text)
            hit = ()
            if key:
                cands, loose = self._lookup(key, t.text, 1, t.upper)
                if cands:
                    hit = (key, cands, loose)
            words[t.text] = hit
        if not hit:
            return []
        span = self._judge(text, tokens, i, i + 1, i, i + 1, t.text, hit[0], hit[1], hit[2], surnames)
        return [span] if span is not None else []

    def _in_chunk(self, text: str, tokens: list[Token], ci: int, cj: int, surnames: set[str],
                  skip: AbstractSet[int] = frozenset()) -> list[Span]:
        out: list[Span] = []
        i = ci
        while i < cj:
            t = tokens[i]
            if not t.cap or i in skip:
                i += 1
                continue
            head = name_key(t.text).split(" ", 1)[0]
            if not head:
                i += 1
                continue
            best = None
            max_tokens = self.gaz.max_tokens(head)
            # no name starts with this word: only short spans can still meet a name by its loose key
            longest = MAX_SPAN_TOKENS if max_tokens else 3
            for j in range(min(cj, i + longest), i, -1):
                last = tokens[j - 1]
                if not (last.cap or last.text[0].isdigit()) or (j - 1) in skip:
                    continue
                raw = _span_text(text, tokens, i, j)
                key = name_key(raw)
                if not key:
                    continue
                n_key_tokens = key.count(" ") + 1
                if max_tokens and n_key_tokens > max_tokens and not (j - i == 1):
                    continue
                upper = t.upper and all(tokens[k].upper for k in range(i, j) if tokens[k].word)
                cands, loose = self._lookup(key, raw, j - i, upper)
                if cands:
                    best = (j, raw, key, cands, loose)
                    break
            if best is None:
                i += 1
                continue
            if t.text in {"The", "THE"} and best[0] - i > 1:
                i += 1          # "The United States": the place name starts after the article
                continue
            j, raw, key, cands, loose = best
            span = self._judge(text, tokens, ci, cj, i, j, raw, key, cands, loose, surnames)
            if span is not None:
                out.append(span)
            i = j
        return out

    def _judge(self, text: str, tokens: list[Token], ci: int, cj: int, i: int, j: int, raw: str, key: str,
               cands: tuple["Candidate", ...], loose: bool, surnames: set[str]) -> Span | None:
        """Decide whether a gazetteer match is a place mention here; None rejects it."""
        first, last = tokens[i], tokens[j - 1]
        if j - i == 1 and not first.upper and _never_alone(first):
            return None     # words that are never a place on their own ("The", "He", "March", "We're")
        prev_in_chunk = tokens[i - 1] if i > ci else None
        next_in_chunk = tokens[j] if j < cj else None
        before = tokens[i - 1] if i > 0 else None
        before2 = tokens[i - 2] if i > 1 else None
        after = tokens[j] if j < len(tokens) else None

        strong = False
        if before is not None and before.low in LOCATIVE and before.end <= first.start:
            strong = True
        if prev_in_chunk is not None and prev_in_chunk.low in {"of", "in", "near", "at"}:
            strong = True
        if (before is not None and before2 is not None
                and (before.low == "the" or (before.low in DIRECTIONS and not before.cap))
                and before2.low in LOCATIVE):
            strong = True          # "in the Nenagh district", "in eastern Ghouta"

        # --- "St. Peter's Basilica", "St Mary's Hospital": a saint's name owning a building is a dedication
        if (first.low.rstrip(".") in {"st", "saint", "ste"} and after is not None
                and after.text in {"'s", "’s"} and j + 1 < len(tokens)
                and tokens[j + 1].low.rstrip(".") in FACILITY_WORDS and tokens[j + 1].cap):
            end = tokens[j + 1].end
            span = Span(first.start, end, text[first.start:end], name_key(text[first.start:end]), (), near=True,
                        feature=tokens[j + 1].low)
            span.notes.append("named site (a dedication, not a town): not in the gazetteer")
            return span
        # --- people
        if key in surnames and not any(c.place.source in {"country", "curated"} for c in cands):
            return None
        if prev_in_chunk is not None and prev_in_chunk.word:
            p = prev_in_chunk.low.rstrip(".")
            if p in TITLES or (self.gaz.is_given_name(prev_in_chunk.text) and p not in DIRECTIONS
                               and p not in FUNCTION_WORDS and not prev_in_chunk.upper
                               and self._common(prev_in_chunk.text) < 5.6):
                return None
            if len(prev_in_chunk.text) == 1 or (prev_in_chunk.text.isupper() and len(prev_in_chunk.text) <= 2):
                return None   # initials: "C.Q. Brown", "J Smith"
        if prev_in_chunk is not None and prev_in_chunk.text == "." and i - 2 >= ci:
            pp = tokens[i - 2].low
            if pp in TITLES or (len(tokens[i - 2].text) <= 2 and tokens[i - 2].text[:1].isupper()):
                return None   # "Gen. Brown", "C. Brown", "Sen. Warner"
        if (next_in_chunk is not None and next_in_chunk.cap and j - i == 1 and self.gaz.is_given_name(first.text)
                and next_in_chunk.low not in FEATURE_WORDS and next_in_chunk.low not in ORG_WORDS
                and first.low not in FUNCTION_WORDS and not first.upper
                and not (any(c.place.source == "country" for c in cands)
                         and (next_in_chunk.upper or next_in_chunk.low in MONTHS_DAYS
                              or any(c.place.kind in ("country", "admin1")
                                     for c in self.gaz.candidates(name_key(next_in_chunk.text)))))):
            # "Jordan Peterson", "Paris Hilton", "Paul Francis Floyd", "Israel Katz", "Georgia May Jagger"; a
            # country keeps its name before another country or region, a date or an acronym ("Jordan Syria")
            return None
        # --- "Philippe de Marigny de Mandeville", "Mike de Kock": a name particle after a capitalised word
        if (before is not None and before.low in NAME_PARTICLES and before2 is not None and before2.cap
                and before2.low.rstrip(".") not in FACILITY_WORDS):
            return None
        # --- glued words ("IraqAccording", "MetroHealth"): only a country or region survives the split
        glued = ((after is not None and after.start == last.end and after.cap and after.word)
                 or (before is not None and before.end == first.start and before.word))
        if glued:
            cands = tuple(c for c in cands if c.place.kind in ("country", "admin1") or c.place.source == "curated")
            if not cands:
                return None
        # --- hyphenated names: "Diaz-Balart" is a surname unless both halves are places ("Amsterdam-London")
        if (before is not None and before.text == "-" and before.end == first.start and before2 is not None
                and before2.end == before.start and before2.cap and not self.gaz.candidates(name_key(before2.text))):
            return None
        if (after is not None and after.text == "-" and after.start == last.end and j + 1 < len(tokens)
                and tokens[j + 1].start == after.end and tokens[j + 1].cap
                and not self.gaz.candidates(name_key(tokens[j + 1].text))):
            return None
        # --- "Commonwealth of Independent States", "Mary of Bethany": the match heads a longer name
        if (j - i == 1 and next_in_chunk is not None and next_in_chunk.low in {"of", "for"}
                and not any(c.place.kind in ("country", "admin1", "continent", "water", "region") for c in cands)):
            return None
        if key in NON_PLACES or (prev_in_chunk is not None and prev_in_chunk.word
                                 and name_key(prev_in_chunk.text + " " + raw) in NON_PLACES):
            return None
        # AP state abbreviations ("Mass.", "Wash.", "Ill.") only count with their full stop
        if key in AP_KEYS and not raw.endswith(".") and (after is None or after.text != "." or after.start != last.end):
            cands = tuple(c for c in cands if not (c.place.kind == "admin1" and name_key(c.place.name) != key))
            if not cands:
                return None
        # --- words that are never a place on their own (the word lists are checked at the top)
        if j - i == 1:
            if self.gaz.demonym(first.text) and not any(c.primary and name_key(c.place.name) == key for c in cands):
                return None   # "Syrian", "Iraqi": adjectives, not places

        # --- organisations: an org word anywhere else in the chunk (not a feature word of this place)
        if i == ci and j == cj and j - i == 1 and first.low[-1] not in _APOSTROPHES:
            prev_in_chunk = next_in_chunk = None    # the chunk is this one word: no other word to test
        else:
            span_lower = {tokens[k].low for k in range(i, j)}
            sub_i = ci
            for k in range(i - 1, max(ci, i - 12), -1):
                if tokens[k].low in {"in", "at", "and", "&", "near"}:
                    words_before = [tokens[m] for m in range(max(ci, k - 12), k) if tokens[m].word and tokens[m].cap]
                    # "Islamic Resistance in Iraq" is a group's name; "Loyola University in Los Angeles" a location
                    org_before = tokens[k - 1].low in GROUP_WORDS and len(words_before) >= 2
                    if not org_before:
                        sub_i = k + 1
                    break
            sub_j = cj
            for k in range(j, min(cj, j + 12)):
                if tokens[k].low in {"in", "at", "and", "&", "near"}:
                    sub_j = k
                    break
            sub_i, sub_j = max(sub_i, i - 12), min(sub_j, j + 12)
            sub_lower = {tokens[k].low.strip(_APOSTROPHES) for k in range(sub_i, sub_j) if tokens[k].word}
            org_words = (sub_lower - span_lower) & ORG_WORDS
            if org_words:
                return None
            prev_in_chunk = tokens[i - 1] if i > sub_i else None
            next_in_chunk = tokens[j] if j < sub_j else None
        # a capitalised word right after (inside the chunk) that is not a feature word: "Washington Post"
        feature = None
        modifier = False
        if last.upper and next_in_chunk is not None and next_in_chunk.word and not next_in_chunk.upper and len(raw) > 4:
            next_in_chunk = None     # a capitals dateline runs into the story: "SAN ANTONIO Turner Sports"
        if next_in_chunk is not None and next_in_chunk.word:
            nl = next_in_chunk.low.rstrip(".")
            if next_in_chunk.text == "City" and not first.upper:
                modifier = True      # "Manchester City": the gazetteer has no such city, so a club or a body
            elif nl in FEATURE_WORDS or nl in STREET_WORDS or nl in NATURAL_WORDS or nl in ADMIN_WORDS:
                feature = nl
            elif nl in TITLES:
                modifier = True      # "Texas Governor Greg Abbott", "Iraqi Prime Minister"
            elif (next_in_chunk.cap and nl not in CONNECTORS and nl not in FUNCTION_WORDS
                  and not self._may_follow(next_in_chunk)):   # title case passes: "in Canada That Got it Right"
                return None          # "Washington Post", "Air Zimbabwe Airways", "California Chrome"
        # a capitalised word right before (inside the chunk) that is not a direction or connector: "Planet Labs"
        if prev_in_chunk is not None and prev_in_chunk.word and prev_in_chunk.cap:
            pl = prev_in_chunk.low
            if pl.rstrip(".") in {"camp", "fort", "mount", "mt", "lake", "cape", "port"} and not loose:
                # "Camp Murray", "Fort Bragg": a site named after a person or place, not the town called so
                start = prev_in_chunk.start
                span = Span(start, last.end, text[start:last.end], name_key(text[start:last.end]), (),
                            strong_context=strong)
                span.notes.append(f"{pl} named after a place or person: not in the gazetteer")
                return span
            if (pl not in DIRECTIONS and pl not in FUNCTION_WORDS and pl not in {"metro", "greater", "downtown"}
                    and not (i - 1 == ci and prev_in_chunk.sent_start and self._common(pl) >= 3.0)
                    and not any(c.place.kind in ("country", "admin1")
                                for c in self.gaz.candidates(name_key(prev_in_chunk.text)))):
                return None

        # --- candidates plausible for this surface form
        if not strong and self._comma_region(tokens, j):
            strong = True        # "HELENA, Mont.", "Reading, England": a region or country right after
        cands = self._keep_candidates(cands, key, tokens[i:j], first.sent_start and i == ci,
                                      strong or _after_listed_locative(tokens, i))
        if not cands:
            return None

        span = Span(first.start, last.end, raw, key, cands, loose=loose, strong_context=strong, feature=feature)
        if key in AP_KEYS and not raw.endswith(".") and after is not None and after.text == "." and after.start == last.end:
            span.end, span.text = after.end, raw + "."      # "Calif." keeps its full stop
        if feature is not None and (feature in STREET_WORDS or feature in NATURAL_WORDS
                                    or feature in {"county", "township", "borough", "parish", "municipality"}):
            # "Kingsley Road", "Glenrock Lagoon", "Orange County": the named thing is not the town called so
            k = j + 1
            if k < len(tokens) and tokens[k].text == "." and feature in {"st", "rd", "ave", "blvd", "ln", "dr", "hwy"}:
                k += 1
            end = tokens[k - 1].end
            span = Span(first.start, end, text[first.start:end], name_key(text[first.start:end]), (),
                        strong_context=strong, feature=feature)
            span.notes.append(f"{feature} named after a place: not in the gazetteer")
            return span
        if modifier:
            span.metonym = True
            return span
        if feature == "state" and any(c.place.kind == "admin1" and c.place.country_code == "US" for c in cands):
            return None   # "Mississippi State", "Colorado State forecasters": universities and their teams
        # include a leading direction word ("northern Syria" stays "Syria"; "Eastern Ghouta" keeps the chunk)
        if before is not None and (before.low in NEAR_WORDS or
                                   (before2 is not None and before2.low in NEAR_WORDS and before.low in {"of", "the"})):
            span.near = True
        if after is not None and after.low in {"area", "areas", "region", "regions", "sector", "sectors",
                                                       "countryside", "outskirts", "surroundings", "governorate",
                                                       "province", "district", "border", "state"}:
            span.near = True
            span.feature = span.feature or after.low
        if after is not None and after.text == "," and j + 1 < len(tokens) and tokens[j + 1].cap:
            k = j + 1
            while k < len(tokens) and k < j + 4 and tokens[k].cap:
                k += 1
            span.comma_next = name_key(text[tokens[j + 1].start:tokens[k - 1].end])
        if (i >= 2 and tokens[i - 1].text == "," and tokens[i - 2].cap and tokens[i - 2].word
                and any(c.place.kind == "admin1" for c in cands)
                and any(c.place.admin1 and name_key(c.place.admin1) == key
                        for c in self.gaz.candidates(name_key(tokens[i - 2].text)))):
            span.feature = span.feature or "state"    # "Tacoma, Washington": the state, not the capital
        span.metonym = self._metonym(text, tokens, i, j, span)
        return span

    def _metonym(self, text: str, tokens: list[Token], i: int, j: int, span: Span) -> bool:
        """Context rules for non-literal uses: agent of a verb, possessor or modifier of people/institutions."""
        n = len(tokens)
        k = j
        # possessive: "Washington's army" (but "Syria's north" is literal)
        is_country = is_state = False
        for c in span.candidates:
            kind = c.place.kind
            if kind == "country":
                is_country = True
            elif kind == "admin1" and c.primary:
                is_state = True
        if ((is_state or is_country) and i >= 2 and tokens[i - 1].text == "," and tokens[i - 2].cap
                and tokens[i - 2].word and _town_only(self.gaz.candidates(name_key(tokens[i - 2].text)))):
            return False      # "Tacoma, Washington shares tips": the region of the town before it
        if k < n and len(tokens[k].text) == 2 and tokens[k].text[0] in _APOSTROPHES and tokens[k].text[1] in "sS":
            nxt = tokens[k + 1].low if k + 1 < n else ""
            nxt2 = tokens[k + 2].low if k + 2 < n else ""
            if nxt in GEO_NOUNS or nxt2 in GEO_NOUNS:
                return False
            if _economy_after(tokens, k + 1):
                return False      # "Hawaii's economy", "China's massive industrial activity"
            if is_country:
                return True   # "Russia's foreign minister", "China's decision"
            if nxt in AGENT_NOUNS or nxt2 in AGENT_NOUNS:
                return True
            # a city or region as the owner of an act or a stance ("Moscow's response", "Beijing's tough
            # talk") is not literal; its sites, people and parts are ("Kabul's airport", "Aleppo's residents")
            physical = _PHYSICAL
            return (not span.strong_context and nxt.isalpha() and nxt not in physical and nxt2 not in physical
                    and nxt.rstrip("s") not in physical and nxt2.rstrip("s") not in physical
                    and any(c.place.kind in ("city", "admin1", "admin2") and c.place.population >= 100_000
                            for c in span.candidates))
        # modifier: "US officials", "Iraqi government" (not after a locative: "academies in Egypt teaching")
        if k < n and tokens[k].word and not tokens[k].cap and not span.strong_context:
            w = tokens[k].low
            if w in AGENT_NOUNS or w.rstrip("s") in AGENT_NOUNS:
                return True
            if (is_country and w not in FUNCTION_WORDS and w not in GEO_NOUNS and w not in AUXILIARIES
                    and w not in AGENT_VERBS and not w.endswith("ed") and tokens[k].start == tokens[k - 1].end + 1):
                return True   # a country as a noun modifier: "US action", "U.S. goals", "Russia sanctions"
        if k + 1 < n and tokens[k].text == "-" and tokens[k + 1].low in {
                "backed", "led", "allied", "funded", "sponsored", "aligned", "supported", "controlled", "run"}:
            return True
        # a modal then a verb: "Mexico should limit", "Slovenia did not follow" (not "London will be hit")
        if (k + 1 < n and not span.strong_context and not tokens[k].cap
                and tokens[k].text.replace("\u2019", "'") in MODALS):
            m = k + 1
            while m < n and tokens[m].low in {"not", "never", "also", "now", "soon", "blindly", "further",
                                                       "still", "only", "just", "then"}:
                m += 1
            if (m < n and tokens[m].word and not tokens[m].cap
                    and tokens[m].low not in STATIVE_AFTER_MODAL):
                return True
        prev_w1 = tokens[i - 1].low if i > 0 else ""
        prev_w2 = tokens[i - 2].low if i > 1 else ""
        if prev_w1 == "the" and i > 2:
            prev_w1, prev_w2 = prev_w2, tokens[i - 3].low
        if prev_w1 in RIVAL_PREV and prev_w2 not in ATTACK_WORDS and not (j < n and tokens[j].text == "-"):
            return True       # "a loss against Louisville", "beating Sunderland" (not "strikes against Raqqa")
        if (prev_w1, prev_w2) in RIVAL_PAIRS or (prev_w1 in {"to", "over", "with"} and prev_w2 in RESULT_WORDS):
            return True       # "a 1-0 defeat to Reading", "victory over Houston", "series with Portland"
        nxt_w = tokens[j].low if j < n else ""
        if (nxt_w in {"have", "are", "were"} and not span.strong_context and not raw_plural(span.text)
                and (tokens[i].sent_start or (i > 0 and tokens[i - 1].low in CLAUSE_OPENERS))
                and not (j + 1 < n and tokens[j + 1].low in {"been", "being"} and is_country)):
            return True       # a singular name with a plural verb is a team or a government: "Liverpool have"
        if prev_w1 == "between" and prev_w2 in RELATION_WORDS:
            return True       # "relations between Harare and London"
        # agent of a verb, possibly after auxiliaries / time phrases: "Baghdad on Monday condemned"
        steps = 0
        while k < n and steps < 5 and not span.strong_context:
            tok = tokens[k]
            w = tok.low.replace("\u2019", "'")     # "hasn’t" as "hasn't"
            if w in AGENT_VERBS:
                return True
            if (steps == 0 and (is_country or is_state) and w.endswith("ed") and len(w) > 4 and tok.word
                    and not tok.cap
                    and not (k + 1 < n and tokens[k + 1].low == "by")):
                return True   # a country right before a past-tense verb is its agent: "Slovenia endorsed"
            if (steps > 0 and w.endswith("ed") and len(w) > 4 and tok.word and not tok.cap
                    and not any(tokens[m].low in {"was", "were", "been", "be", "being", "is", "are"}
                                for m in range(j, k))):
                return True   # "Washington had already carried out", "Iran has faced"
            if w in AUXILIARIES or (tok.cap and w in AUXILIARIES):
                k += 1
                steps += 1
                continue
            if w == "," and steps == 0:
                break
            break
        prev_w = tokens[i - 1].low if i > 0 else ""
        if prev_w == "of" and i > 1:
            owner = tokens[i - 2].low
            if ((owner in TITLES or owner in AGENT_NOUNS or owner.rstrip("s") in AGENT_NOUNS)
                    and owner not in INHABITANTS and owner not in ECONOMY_NOUNS):
                return True   # "Ruler of Dubai", "the government of Ukraine", "the people of Gilgit-Baltistan"
        if not is_country:
            return False
        # countries: literal after a locative word, metonymic as a subject or as the partner of an act
        prev = tokens[i - 1].low if i > 0 else ""
        prev2 = tokens[i - 2].low if i > 1 else ""
        if prev == "the":
            prev, prev2 = prev2, tokens[i - 3].low if i > 2 else ""
        if (prev == "from" and prev2 in FROM_AGENT) or (prev == "on" and prev2 in {"blamed", "blames", "blame",
                                                                                   "pinned", "called", "calls"}):
            return True       # "backing from the United States", "blamed on Russia"
        if prev in LITERAL_PREV:
            return False
        if prev in {"and", "or", ","}:
            # coordinated with a place after a locative: "militias in Iraq and Yemen to put pressure"
            for k in range(i - 2, max(-1, i - 9), -1):
                w = tokens[k].low
                if w in {".", ";", "!", "?", ":"} or w in METONYM_PREV:
                    break
                if w in LITERAL_PREV:
                    return False
        if prev in METONYM_PREV:
            return prev2 not in OF_LITERAL      # "border with Mexico" stays literal
        if prev == "of":
            return prev2 not in OF_LITERAL and prev2 not in ECONOMY_NOUNS   # "the economy of Mexico"
        nxt = tokens[j].low if j < n else ""
        if nxt in {"to", "and"} and j + 1 < n and tokens[j + 1].low in AGENT_VERBS:
            return True
        if tokens[i].sent_start and nxt not in {",", ":", "(", "-", "–", "—", ".", ";"}:
            return True       # "Russia has ...", "China to impose ..."
        if (nxt == "to" and j + 1 < n and tokens[j + 1].word and not tokens[j + 1].cap
                and tokens[j + 1].low not in FUNCTION_WORDS and prev not in LOCATIVE):
            return True       # "... China to impose tariffs" (not "moved from Seoul to America to become")
        return False


__all__ = ["Recognizer", "Span", "Token", "tokenize"]


# The mypyc-compiled twin of this module replaces the names above when it was built from this very source.
if __name__ == "geoinc.geoparser.recognizer":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
