"""Incidents from article text: every event an article reports, coded in ACLED's taxonomy, with sources.

The reading is rule-based and explainable, sentence by sentence:

1. a sentence reports an event when it holds an event phrase ("drone strike", "clashes", "evacuated 12
   positions") that is not hypothetical ("possible attacks", "would respond"), not background aggregate
   ("more than 150 drone strikes since mid-October", "several strikes") and not only a reaction;
2. its date comes from the date expressions of the sentence resolved against publication (dates that only
   say when something was *said* are ignored); its place is the most specific resolved place mention of
   the event phrase (metonyms, places inside actor names and "the border with X" references excluded);
3. a sentence that refers back ("the attack", "the drone strike hit Tower 22", "the one which killed
   three") adds to an incident already found in the article instead of creating one: place, date,
   casualties, actors, status;
4. one ``Source`` per article and incident quotes the sentence that says most about it.

Merging reports from *different* articles happens in the store (``geoinc.incidents.merge``). The GeoDataFrame view
is :func:`incidents_frame` (EPSG:4326; lon/lat order fixed in one place).
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from .dates import ACLED_TIME_PRECISION, DateRef, find_dates, is_reporting_date
from ..errors import InputError
from .merge import combine_reports, merge_reason  # noqa: F401  (re-exported: merging lives in geoinc.incidents.merge)
from ..models import Incident, Mention, Source, point_xy
from ..text import NUMBER_WORDS, parse_number, sentence_spans
from .taxonomy import ACLED_REGIONS, disorder_type, interaction

if TYPE_CHECKING:
    import geopandas as gpd

    from ..articles import Article

# --- lexicon ----------------------------------------------------------------------------------------

ER, BAT, VAC, PRO, RIO, SD = ("Explosions/Remote violence", "Battles", "Violence against civilians", "Protests",
                              "Riots", "Strategic developments")

# (pattern, event_type, sub_event_type); order matters only among overlapping phrases (first wins).
_SPECIFIC: list[tuple[str, str, str]] = [
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
_GENERIC = r"attack(?:s|ed)?|strikes?|struck|assaults?|explosions?|blasts?|killed|killing"
_SPECIFIC_RE = [(re.compile(rf"\b(?:{p})\b", re.I), ev, sub) for p, ev, sub in _SPECIFIC]
_GENERIC_RE = re.compile(rf"\b(?:{_GENERIC})\b", re.I)

_HYPOTHETICAL_BEFORE = re.compile(
    r"\b(?:possible|potential|future|would|could|might|may|will|threat(?:en(?:ed|s|ing)?)?|plans? to|planning to|"
    r"prepar(?:ed|ing) to|ready to|to avoid|avoid|vow(?:ed|s)? to|(?<!in )respond(?:ing)? to|fear(?:s|ed)? of|"
    r"against any|deter|prevent|if)\b[^.;:]{0,25}$", re.I)
_HYPOTHETICAL_AFTER = re.compile(r"^[^.;:]{0,12}\b(?:would|could|might|will)\b", re.I)
_AGGREGATE_BEFORE = re.compile(
    r"\b(?:more than|over|nearly|almost|some|dozens of|hundreds of|scores of|several|many|most|numerous|multiple|"
    r"a series of|a wave of|a string of|repeated|\d{2,})\s+(?:[\w-]+\s+){0,2}$", re.I)
_BACKGROUND = re.compile(r"\b(?:had already|since|has been|have been|had been|previously|in the past|first time|"
                         r"launched (?:rocket|drone) (?:attacks|strikes))\b", re.I)
_REACTION = re.compile(r"\b(?:condemn(?:ed|s)?|denounc(?:ed|es)|deplor(?:ed|es)|responded|accused|"
                       r"has (?:no|nothing)|respond to|promised|vowed)\b", re.I)
_DEFINITE = re.compile(r"\b(?:the|this|that|these|its|yesterday's|sunday's|monday's|the deadly|the night)\s+"
                       r"(?:[\w-]+\s+){0,2}?(?:attacks?|strikes?|drone strike|assault|bombings?|raid|explosion|blast|"
                       r"one which|incident)\b", re.I)
_PLURAL = re.compile(r"(?:attacks|strikes|bombings|raids|explosions|blasts)$", re.I)

_CLAIMED = re.compile(r"\bclaim(?:ed|ing|s)? (?:the )?responsibility\b|\bclaimed (?:the |an? )?(?:attacks?|strikes?)\b|"
                      r"\bsaid (?:on \w+ )?(?:that )?(?:it|its fighters|its members|the group) (?:had )?(?:carried out|"
                      r"launched|targeted|sent|fired|attacked|struck)\b", re.I)
_NEGATED = re.compile(r"\b(?:not|none|no|could|cannot|can't|unable|yet to|without|neither|nor)\b[^.;]{0,30}$", re.I)
_AUTHORITY = (r"(?:officials?|ministry|emergency services?|police|army|military|Pentagon|Central Command|CENTCOM|"
              r"governor|spokes(?:man|woman|person)|civil defen[cs]e|health authorities|World Health Organization|"
              r"United Nations|Red Cross|ICRC|state news agency)")
_CONFIRMED = re.compile(rf"\b(?:confirmed|according to (?:the )?(?:[\w.-]+\s+){{0,3}}?{_AUTHORITY}|{_AUTHORITY}\b"
                        rf"[^.;]{{0,45}}?\bsaid)", re.I)
_SPEAKER = re.compile(r"^\W*(?:\w+\W+){0,3}(?:said|says|told|announced|reported|stated)\b", re.I)
_DENIED = re.compile(r"\bdenied (?:that )?(?:the |any |an? )?(?:attacks?|strikes?|incident)s? (?:took place|happened|"
                     r"occurred)|\bdenied reports? (?:of|that)\b", re.I)

# Actors: pattern -> (ACLED-style name, inter category). Named groups first.
_ACTORS: list[tuple[str, str, str]] = [
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
_ACTORS_RE = [(re.compile(rf"\b(?:{p})\b", re.I), name, inter) for p, name, inter in _ACTORS]
_TARGET_KINDS = {"External/Other forces", "State forces", "Civilians", "Protesters"}
_PERPETRATOR_LINK = re.compile(r"\b(?:by|attributed to|blamed on|accused|claimed by|carried out by|responsible|"
                               r"launched by|from)\b[^.;]{0,40}$", re.I)

# count words a casualty figure may be written in (values: geoinc.text); "zero killed" is not a count
_NUM_WORDS = [w for w in NUMBER_WORDS if w != "zero"] + ["hundred", "a dozen", "dozen", "a hundred"]
_NUM = r"(?:\d[\d,]*|" + "|".join(sorted(map(re.escape, _NUM_WORDS), key=len, reverse=True)) + \
       r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](?:one|two|three|four|five|six|seven|eight|nine))"
_QUAL = r"(?P<q>at least|more than|over|nearly|almost|about|around|some|up to|as many as|approximately|roughly)"
_PERSON = (r"(?:people|persons?|civilians?|children|child|kids|boys?|girls?|wom[ae]n|m[ae]n|soldiers?|troops|"
           r"fighters?|members?|service ?members?|militants?|officers?|commanders?|leaders?|patients?|teenagers?|"
           r"residents?|workers?|sailors?|journalists?|policem[ae]n|guards?|family members|relatives)")
_NOT_NUM = rf"(?:(?!{_NUM}\b)[\w'’-]+\s+)"
_KILLED = [
    re.compile(rf"\b(?:killed|killing|kills|kill|claimed the lives of)\s+(?:{_QUAL}\s+)?(?P<n>{_NUM})\b", re.I),
    re.compile(rf"\b(?:killed|killing|kills)\s+(?P<n>a|an|one)\s+(?:[\w-]+\s+){{0,2}}?{_PERSON}\b", re.I),
    re.compile(rf"\b(?:{_QUAL}\s+)?(?P<n>{_NUM})\s+{_NOT_NUM}{{0,3}}?(?:(?:were|was|have been|had been|are|being)\s+)?"
               rf"(?:killed|dead|died|slain)\b", re.I),
    re.compile(rf"\b(?:{_QUAL}\s+)?(?P<n>{_NUM})\s+{_PERSON}\s+{_NOT_NUM}{{0,10}}?(?:were|was|have been|had been)\s+"
               rf"(?:killed|slain)\b", re.I),
    re.compile(rf"\b(?:death toll|toll)\s+(?:(?:rose|climbed|of|stood at|reached|to|has risen to)\s+)*(?:{_QUAL}\s+)?"
               rf"(?P<n>{_NUM})\b", re.I),
    re.compile(rf"\bdeaths? of (?:the )?(?:{_QUAL}\s+)?(?P<n>{_NUM})\b", re.I),
]
_INJURED = [
    re.compile(rf"\b(?:injured|injuring|injures|wounded|wounding|wounds|hurt)\s+(?:{_QUAL}\s+)?(?P<n>{_NUM})\b", re.I),
    re.compile(rf"\b(?:injured|injuring|wounded|wounding)\s+(?P<n>a|an|one)\s+(?:[\w-]+\s+){{0,2}}?{_PERSON}\b", re.I),
    re.compile(rf"\b(?:{_QUAL}\s+)?(?P<n>{_NUM})\s+{_NOT_NUM}{{0,3}}?(?:(?:were|was|have been|had been|are)\s+)?"
               rf"(?:injured|wounded|hurt)\b", re.I),
]
# "killed a woman and two children": further groups after the first count
_MORE_PEOPLE = re.compile(rf"(?:\s+(?:[\w-]+\s+){{0,2}}?{_PERSON})?(?P<rest>(?:\s*(?:,|and|, and)\s+(?:{_NUM}|a|an)\s+"
                          rf"(?:[\w-]+\s+){{0,2}}?{_PERSON}\b)+)", re.I)
_GROUP = re.compile(rf"(?:,|and|, and)\s+(?P<n>{_NUM}|a|an)\s+", re.I)

_AREA_KINDS = {"country", "admin1", "region", "water", "continent"}
_NEAR = re.compile(r"\b(?:near|outside|outskirts of|around|close to|vicinity of|regions? of|areas? of|sectors? of|"
                   r"(?:north|south|east|west)(?:[- ]?(?:east|west))? of(?: the)?(?: (?:port|city|town|village) of)?|"
                   r"countryside|province of|governorate of)\W*$", re.I)
_REFERENCE = re.compile(r"\b(?:border (?:with|between)|borders? of|border of|opposite(?: the)?|according to|from)"
                        r"\W*(?:\w+\W+){0,2}$", re.I)
_NOT_A_LOCATION = {"region", "continent"}       # "the Middle East": spans countries, cannot place an event
_SITE_REF = re.compile(r"^\W*(?:the|this|that) (?:[\w-]+ )?(?:outpost|base|post|position|garrison|camp|facility|site|"
                       r"compound|hospital|school|market|building|restaurant|village|town)\b|\bknown as\b", re.I)
_ATTRIBUTION = re.compile(r"\b(?:blamed|accused|attributed|held responsible)\b", re.I)


# --- small records ----------------------------------------------------------------------------------

@dataclass(slots=True)
class _Sentence:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class _Draft:
    """An incident being assembled from the sentences of one article."""

    event_type: str | None
    sub_event_type: str | None
    hint: str = ""                              # generic trigger word ("attack", "strike")
    mention: Mention | None = None              # the chosen place
    precision: int = 3
    also_named: list[str] = field(default_factory=list)
    date: DateRef | None = None
    date_inferred: bool = False
    killed: tuple[int | None, int | None, int | None] = (None, None, None)    # low, best, high
    injured: int | None = None
    actor1: tuple[str, str] | None = None
    actor2: tuple[str, str] | None = None
    assoc1: list[str] = field(default_factory=list)
    claimant: str = ""
    status: str = "reported"
    sentences: list[tuple[float, _Sentence]] = field(default_factory=list)
    first: int = 0                              # offset of the first sentence (stable id)
    sentence_no: int = 0                        # index of the sentence that created it

    @property
    def violent(self) -> bool:
        return self.event_type in (None, ER, BAT, VAC)


# --- pure helpers -----------------------------------------------------------------------------------

def split_sentences(text: str, offset: int = 0) -> list[_Sentence]:
    """Sentences with offsets into ``text``: split at . ! ? before a capital and at line breaks."""
    return [_Sentence(s, e, text[s:e]) for s, e in sentence_spans(text, offset, line_breaks="any")]


def number_value(token: str) -> int | None:
    """3 from "three", "3" or "3,000" -> 3000; compound words ("twenty-one"); None when not a number."""
    t = token.lower().replace(",", "").strip()
    if t.isdigit():
        return int(t)
    value = parse_number(t) if t not in ("a", "an") else None
    return int(value) if value is not None and value == int(value) else None


def _count(patterns: list[re.Pattern[str]], text: str) -> tuple[int | None, int | None, int | None]:
    """(low, best, high) for the first count found; "at least N" leaves high open, "up to N" low open."""
    text = re.sub(r"\s*\(\s*\d[\d,]*\s*\)", "", text)       # "three (3) soldiers"
    for pat in patterns:
        for m in pat.finditer(text):
            n = 1 if m.group("n").lower() in ("a", "an") else number_value(m.group("n"))
            if n is None or n > 100_000:
                continue
            more = _MORE_PEOPLE.match(text, m.end())
            if more:
                for g in _GROUP.finditer(more.group("rest")):
                    n += 1 if g.group("n").lower() in ("a", "an") else (number_value(g.group("n")) or 0)
            q = (m.groupdict().get("q") or "").lower()
            if q in ("at least", "more than", "over"):
                return (n + (1 if q in ("more than", "over") else 0), n, None)
            if q in ("up to", "as many as"):
                return (None, n, n)
            if q in ("nearly", "almost"):
                return (None, n, n)
            return (n, n, n)
    return (None, None, None)


def casualties(text: str) -> tuple[tuple[int | None, int | None, int | None], int | None]:
    """((killed low, best, high), injured) stated in a sentence, from words or digits."""
    killed = _count(_KILLED, text)
    _, injured, _ = _count(_INJURED, text)
    return killed, injured


def find_actors(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, ACLED-style name, inter category) of the actors named in a sentence, non-overlapping."""
    found: list[tuple[int, int, str, str]] = []
    for pat, name, inter in _ACTORS_RE:
        for m in pat.finditer(text):
            if any(m.start() < e and s < m.end() for s, e, _, _ in found):
                continue
            found.append((m.start(), m.end(), name, inter))
    return sorted(found)


def _triggers(text: str) -> list[tuple[int, int, str | None, str | None]]:
    """(start, end, event_type, sub_event_type) of every event phrase; generic phrases have types None."""
    found: list[tuple[int, int, str | None, str | None]] = []
    for pat, ev, sub in _SPECIFIC_RE:
        for m in pat.finditer(text):
            if not any(m.start() < e and s < m.end() for s, e, _, _ in found):
                found.append((m.start(), m.end(), ev, sub))
    for m in _GENERIC_RE.finditer(text):
        if not any(m.start() < e and s < m.end() for s, e, _, _ in found):
            found.append((m.start(), m.end(), None, None))
    return sorted(found)


def _hypothetical(text: str, start: int, end: int) -> bool:
    return bool(_HYPOTHETICAL_BEFORE.search(text[max(0, start - 60):start])
                or _HYPOTHETICAL_AFTER.search(text[end:end + 25]))


def _aggregate(text: str, start: int) -> bool:
    return bool(_AGGREGATE_BEFORE.search(text[max(0, start - 40):start]))


def _status(text: str) -> str:
    if _DENIED.search(text):
        return "denied"
    if any(not _NEGATED.search(text[max(0, m.start() - 40):m.start()]) for m in _CONFIRMED.finditer(text)):
        return "confirmed"
    if _CLAIMED.search(text):
        return "claimed"
    return "reported"


_STATUS_RANK = {"reported": 0, "claimed": 1, "denied": 2, "confirmed": 3}


# --- extraction -------------------------------------------------------------------------------------

def extract_incidents(text: "str | Article", published: str | date | None = None, *,
                      mentions: Sequence[Mention] | None = None, article_id: str | None = None,
                      title: str | None = None, url: str | None = None) -> list[Incident]:
    """Every incident the article reports, as ACLED-coded records with one source each (this article).

    ``text`` is the article text (or an :class:`~geoinc.articles.Article`); ``published`` (YYYY-MM-DD)
    anchors relative dates ("on Sunday at dawn"); when omitted, a ``date YYYY-MM-DD`` header line or front
    matter in the text is used. ``mentions`` are the place mentions of ``text`` (offsets into it); when
    omitted, :func:`geoinc.geoparser.resolve.geoparse` finds them offline.
    """
    from ..articles import Article, parse_article

    if isinstance(text, Article):
        art = text
    else:
        if not isinstance(text, str):
            raise InputError(f"expected article text (str), got {type(text).__name__}")
        art = parse_article(text, published=str(published) if published else None, title=title, url=url,
                            id=article_id)
    pub_text = str(published) if published else art.published
    if not pub_text:
        raise InputError("no publication date: pass published='YYYY-MM-DD' (or --published), or start the "
                         "article with a line 'date YYYY-MM-DD'")
    try:
        pub = date.fromisoformat(pub_text)
    except ValueError:
        raise InputError(f"invalid publication date {pub_text!r}; expected YYYY-MM-DD") from None
    if mentions is None:
        from ..geoparser.resolve import geoparse

        mentions = geoparse(art.text)
    drafts = _read(art.text, art.body_offset, pub, list(mentions))
    return [_finish(d, art, pub, article_id or art.id, title or art.title, url or art.url) for d in drafts]


def _sentence_mentions(mentions: Sequence[Mention], s: _Sentence, actor_spans: list[tuple[int, int]],
                       full: str) -> list[Mention]:
    """Resolved, literal place mentions of a sentence that can locate an event (not references, not actors)."""
    out = []
    for m in mentions:
        if not (s.start <= m.start < s.end) or not m.resolved or m.metonym:
            continue
        if (m.kind or "") in _NOT_A_LOCATION or (_is_area(m) and not m.country_code and m.kind != "water"):
            continue
        rel = m.start - s.start
        if any(a <= rel < b for a, b in actor_spans):
            continue
        if _REFERENCE.search(full[max(s.start, m.start - 40):m.start]):
            continue
        out.append(m)
    return out


def _is_area(m: Mention) -> bool:
    return (m.kind or "") in _AREA_KINDS or (m.precision or 3) >= 3


def _pick_place(cands: list[Mention], trigger_abs: int, full: str) -> tuple[Mention | None, int, list[str]]:
    """The most specific mention (sites and towns over regions/countries; after the event phrase first)."""
    if not cands:
        return None, 3, []
    ranked = sorted(cands, key=lambda m: (m.kind == "water", _is_area(m), m.start < trigger_abs,
                                          abs(m.start - trigger_abs)))
    best = ranked[0]
    precision = 3 if _is_area(best) else max(1, min(3, best.precision or 1))
    if not _is_area(best) and _NEAR.search(full[max(0, best.start - 40):best.start]):
        precision = max(precision, 2)
    also: list[str] = []
    for m in sorted(cands, key=lambda m: m.start):
        if m is best or _is_area(m) or m.text == best.text or (m.name and m.name == best.name):
            continue
        gap = full[min(m.end, best.end):max(m.start, best.start)]
        if len(gap) <= 12 and re.fullmatch(r"[\s,]*(?:and|or|&)?[\s‘’'\"“”,]*", gap):
            if m.text not in also:
                also.append(m.name or m.text)
    return best, precision, also


def _score(has_specific: bool, killed: Any, injured: Any, place: Mention | None, date_ref: DateRef | None) -> float:
    score = 2.0 if has_specific else 0.0
    if killed[1] is not None or injured is not None:
        score += 2.0
    if place is not None and not _is_area(place):
        score += 2.0
    if date_ref is not None and date_ref.precision == "day":
        score += 1.0
    return score


def _read(text: str, body_offset: int, pub: date, mentions: list[Mention]) -> list[_Draft]:
    drafts: list[_Draft] = []
    last: list[_Draft] = []                     # the draft a sentence most recently added to
    for k, s in enumerate(split_sentences(text, body_offset)):
        st = s.text
        trig = [t for t in _triggers(st) if not _hypothetical(st, t[0], t[1])]
        killed, injured = casualties(st)
        actors = find_actors(st)
        actor_spans = [(a, b) for a, b, _, _ in actors]
        if not trig:
            if drafts:
                _elaborate(drafts, last, s, st, mentions, actors, actor_spans, killed, injured, text, k)
            continue
        specific = [t for t in trig if t[2] is not None]
        main = specific[0] if specific else trig[0]
        t_start, t_end, ev, sub = main
        phrase = st[t_start:t_end]
        only_killed = not specific and all(st[a:b].lower() in ("killed", "killing") for a, b, _, _ in trig)
        cands = _sentence_mentions(mentions, s, actor_spans, text)
        place, precision, also = _pick_place(cands, s.start + t_start, text)
        specific_place = place is not None and not _is_area(place)
        date_ref = _event_date(st, pub, t_start)
        loose_date = date_ref or _event_date(st, pub, t_start, any_precision=True)
        definite = bool(_DEFINITE.search(st))
        reaction = bool(_REACTION.search(st)) and not specific
        plural = bool(_PLURAL.search(phrase))
        # "more than 150 drone strikes", "several strikes", "a series of attacks" (not "16 people were killed")
        aggregate = ((_aggregate(st, t_start) and phrase.lower() not in ("killed", "killing"))
                     or (plural and loose_date is None and not definite))
        background = bool(_BACKGROUND.search(st)) and date_ref is None and not definite
        status = _status(st)
        score = _score(bool(specific), killed, injured, place, date_ref)

        target = _attach_target(drafts, st, place, date_ref, killed, definite, ev, cands, also, k)
        if target is None and drafts and not specific_place and date_ref is None and not (aggregate or background):
            if status == "claimed" and place is None:
                target = _main(drafts, ev)          # "Moscow said it had struck a command post": the headline
            elif place is None or only_killed:
                # "Three service members were killed by drones", "16 people were killed on the Iraqi side"
                target = _last_compatible(last, ev) or _main(drafts, ev)
            else:
                # only countries named ("drones at bases along the Syria–Jordan border"): the incident there
                countries = {m.country_code for m in cands if m.country_code}
                target = next((d for d in drafts if _compatible_type(d, ev) and d.mention is not None
                               and d.mention.country_code in countries), None)
                if target is None:
                    # undated, located only by a country that none of the article's incidents is in ("had
                    # targeted the ship because its owner's vessels called at Israeli ports"): background
                    # to the incidents already read, not a country-wide event of its own
                    continue
        if target is None:
            if aggregate or background or reaction or (definite and not place):
                if definite and drafts and not (aggregate or background):
                    target = _main(drafts, ev)
                else:
                    continue
            elif only_killed and not specific_place:
                continue          # a death toll without an event or a site is not an incident by itself
            elif place is None and not (specific and date_ref is not None and ev != SD):
                continue          # (a dated, specific event without a place waits for the next sentences)
        if target is None:
            d = _Draft(event_type=ev, sub_event_type=sub, hint=phrase.lower(), first=s.start, sentence_no=k)
            drafts.append(d)
            target = d
        _update(target, s, st, ev, sub, phrase, place, precision, also, date_ref, killed, injured, actors, t_start,
                status, score, pub)
        if target.date is None and loose_date is not None:
            target.date = loose_date
        last[:] = [target]
    for d in drafts:
        _resolve_generic(d)
    _infer_dates(drafts)
    return [d for d in drafts if d.event_type and (d.mention is not None)]


def _event_date(st: str, pub: date, t_start: int, *, any_precision: bool = False) -> DateRef | None:
    """The day the event phrase refers to: the nearest day-precise date that is not a date of a statement
    (with ``any_precision``, also weeks and months: "in mid-October" is an interval of month precision)."""
    days = [d for d in find_dates(st, pub) if not is_reporting_date(st, d)
            and (any_precision or d.precision == "day") and d.date_start <= pub + timedelta(days=1)]
    if not days:
        return None
    return min(days, key=lambda d: min(abs(d.start - t_start), abs(d.end - t_start)))


def _last_compatible(last: list[_Draft], ev: str | None) -> _Draft | None:
    return last[0] if last and _compatible_type(last[0], ev) else None


def _elaborate(drafts: list[_Draft], last: list[_Draft], s: _Sentence, st: str, mentions: Sequence[Mention],
               actors: list[tuple[int, int, str, str]], actor_spans: list[tuple[int, int]],
               killed: tuple, injured: int | None, full: str, sentence_no: int) -> None:
    """A sentence without an event phrase can still say more about the incident just reported: where it is
    ("The outpost, known as Tower 22, ..."), who is blamed, how many were hurt."""
    target = last[0] if last else drafts[0]
    if target.mention is None and sentence_no - target.sentence_no <= 2:
        # "... hit by a drone last Sunday ... Tower 22 began as a border watchtower": the place opens the sentence
        cands = [m for m in _sentence_mentions(mentions, s, actor_spans, full) if not _is_area(m)]
        if cands and cands[0].start - s.start <= 4:
            target.mention, target.precision = cands[0], max(1, min(3, cands[0].precision or 1))
            target.sentences.append((1.0, s))
    if _SITE_REF.search(st) and target.mention is not None and _is_area(target.mention):
        cands = [m for m in _sentence_mentions(mentions, s, actor_spans, full) if not _is_area(m)
                 and m.country_code == target.mention.country_code]
        if cands:
            target.mention, target.precision = cands[0], max(1, min(3, cands[0].precision or 1))
            target.sentences.append((1.0, s))
    m = _ATTRIBUTION.search(st)
    if m:
        for a_start, _a_end, name, inter in actors:
            if a_start > m.start() and inter not in _TARGET_KINDS:
                if target.actor1 is None or target.actor1[0].startswith(("Pro-", "Unidentified")):
                    target.actor1 = (name, inter)
                break
    if not target.violent:
        return
    if target.killed[1] is None and killed[1] is not None and not _SITE_REF.search(st):
        target.killed = killed
    if target.injured is None and injured is not None:
        target.injured = injured


def _compatible_type(d: _Draft, ev: str | None) -> bool:
    """Same event type; an incident known only from generic words ("the attack") fits any violent type."""
    if ev is None or d.event_type is None:
        return (d.event_type or ev) in (None, ER, BAT, VAC)
    return d.event_type == ev


def _main(drafts: list[_Draft], ev: str | None) -> _Draft | None:
    """The article's headline incident of a compatible type (of the same type, else the first violent one)."""
    for d in drafts:
        if ev is not None and d.event_type == ev:
            return d
    for d in drafts:
        if d.violent and _compatible_type(d, ev):
            return d
    return None


# within one event type, a later sentence may make the sub-type more severe ("police dispersed the crowd")
_SEVERITY = {"Peaceful protest": 0, "Protest with intervention": 1, "Excessive force against protesters": 2}


def _attach_target(drafts: list[_Draft], st: str, place: Mention | None, date_ref: DateRef | None,
                   killed: tuple, definite: bool, ev: str | None, cands: list[Mention],
                   also: Sequence[str] = (), sentence_no: int = 0) -> _Draft | None:
    """An incident of this article the sentence refers back to, or None."""
    if not drafts:
        return None
    # 0. an incident still waiting for its place, reported just before ("... hit by a drone last Sunday.")
    if place is not None:
        for d in drafts:
            if (d.mention is None and sentence_no - d.sentence_no <= 2 and _compatible_type(d, ev)
                    and (date_ref is None or d.date is None or d.date.date_start == date_ref.date_start)):
                return d
    names = {n.lower() for n in also}
    if place is not None and not _is_area(place):
        names.add((place.name or place.text).lower())
    # 1. a definite reference naming the same specific places ("the strikes on Rukban and Al-Tanf")
    if definite and names:
        best, best_overlap = None, 0
        for d in drafts:
            dn = {n.lower() for n in d.also_named}
            if d.mention is not None and not _is_area(d.mention):
                dn.add((d.mention.name or d.mention.text).lower())
            overlap = len(dn & names)
            if overlap > best_overlap and _compatible_type(d, ev):
                best, best_overlap = d, overlap
        if best is not None:
            return best
        # a definite reference with a new specific place inside the incident's country ("The drone strike hit Tower 22")
        if place is not None:
            for d in drafts:
                if (d.mention is not None and _is_area(d.mention) and d.mention.country_code == place.country_code
                        and _compatible_type(d, ev)):
                    return d
    # 2. the same casualty count ("the one which killed three American soldiers")
    if killed[1] is not None and not (place is not None and not _is_area(place)):
        for d in drafts:
            if d.killed[1] == killed[1] and _compatible_type(d, ev):
                return d
    # 3. the same specific place and a compatible date
    if place is not None and not _is_area(place):
        for d in drafts:
            if (d.mention is not None and d.mention.place_id and d.mention.place_id == place.place_id
                    and _compatible_type(d, ev)
                    and (date_ref is None or d.date is None or d.date.date_start == date_ref.date_start)):
                return d
    return None


def _update(d: _Draft, s: _Sentence, st: str, ev: str | None, sub: str | None, phrase: str, place: Mention | None,
            precision: int, also: list[str], date_ref: DateRef | None, killed: tuple, injured: int | None,
            actors: list[tuple[int, int, str, str]], t_start: int, status: str, score: float, pub: date) -> None:
    if ev is not None and (d.event_type is None or d.event_type == ev):
        if d.event_type is None or d.sub_event_type is None:
            d.event_type, d.sub_event_type = ev, sub
        elif _SEVERITY.get(sub or "", -1) > _SEVERITY.get(d.sub_event_type, 99):
            d.sub_event_type = sub
    if ev == BAT or (ev is None and d.event_type == BAT):
        sides = _battle_sides(st, actors)
        if sides:
            d.actor1, d.actor2 = d.actor1 or sides[0], d.actor2 or sides[1]
            actors = []
    same_country = (d.mention is None or not d.mention.country_code or not place or
                    place.country_code == d.mention.country_code)
    if place is not None and same_country and (d.mention is None or _is_area(d.mention) and not _is_area(place)):
        d.mention, d.precision = place, precision
    for name in also:
        if name not in d.also_named and (d.mention is None or name != (d.mention.name or d.mention.text)):
            d.also_named.append(name)
    if date_ref is not None and (d.date is None or d.date.precision != "day"):
        d.date = date_ref
    if killed[1] is not None:
        lo, best, hi = d.killed
        if best is None:
            d.killed = killed
        else:
            lows = [x for x in (lo, killed[0]) if x is not None]
            highs = [x for x in (hi, killed[2]) if x is not None]
            d.killed = (min(lows) if lows else None, max(best, killed[1]), max(highs) if highs else None)
    if injured is not None and (d.injured is None or injured > d.injured):
        d.injured = injured
    claim_pos = _CLAIMED.search(st)
    passive = bool(re.match(r"(?:killed|struck|hit|attacked|targeted|bombed) by\b", phrase, re.I)) or bool(
        re.search(r"\b(?:was|were|been)\s+(?:\w+\s+)?$", st[max(0, t_start - 20):t_start]))
    for a_start, _a_end, name, inter in actors:
        if inter == "Civilians" and (ev or d.event_type) not in (PRO, RIO):
            if a_start > t_start and d.actor2 is None:
                d.actor2 = (name, inter)          # civilians are the targets of violence, never its agents
            continue
        is_target = inter in _TARGET_KINDS and (a_start > t_start or passive or re.search(
            r"\b(?:against|targeting|targeted)\s+(?:the\s+)?(?:\w+\s+)?$", st[max(0, a_start - 40):a_start]))
        if claim_pos and a_start < claim_pos.start() and inter not in _TARGET_KINDS:
            if not d.claimant or (d.claimant.startswith(("Pro-", "Unidentified"))
                                  and not name.startswith(("Pro-", "Unidentified"))):
                d.claimant = name
        if not claim_pos and inter in _TARGET_KINDS and _SPEAKER.search(st[_a_end:_a_end + 30]):
            continue          # "The Israeli military said ...": a source, not the perpetrator
        if is_target:
            if d.actor2 is None:
                d.actor2 = (name, inter)
            continue
        linked = a_start <= t_start or _PERPETRATOR_LINK.search(st[max(0, a_start - 45):a_start])
        if not linked:
            continue          # "since the war between Israel and Hamas": named, but not as this event's actor
        if d.actor1 is None or (d.actor1[0].startswith(("Pro-", "Unidentified")) and not name.startswith(
                ("Pro-", "Unidentified")) and claim_pos):
            if d.actor1 is not None and d.actor1[0] not in d.assoc1:
                d.assoc1.append(d.actor1[0])
            d.actor1 = (name, inter)
        elif name != d.actor1[0] and name not in d.assoc1 and inter not in _TARGET_KINDS:
            d.assoc1.append(name)
    if _STATUS_RANK[status] > _STATUS_RANK[d.status]:
        d.status = status
    d.sentences.append((score, s))


def _battle_sides(st: str, actors: list[tuple[int, int, str, str]]) -> tuple[tuple[str, str], tuple[str, str]] | None:
    """The two sides of "clashes between A and B" (or "A clashed with B"), in the order written."""
    m = re.search(r"\bbetween\b(.+?)\band\b(.+?)(?:[.;,]|$)|\bclash(?:ed|es)? with\b(.+?)(?:[.;,]|$)", st, re.I)
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


def _resolve_generic(d: _Draft) -> None:
    """Give an incident known only from generic words ("attacked", "strike") an ACLED type."""
    if d.event_type is not None:
        return
    if "strike" in d.hint or "struck" in d.hint:
        d.event_type, d.sub_event_type = ER, "Air/drone strike"
    elif "explosion" in d.hint or "blast" in d.hint:
        d.event_type, d.sub_event_type = ER, "Remote explosive/landmine/IED"
    elif d.actor2 is not None and d.actor2[1] == "Civilians":
        d.event_type, d.sub_event_type = VAC, "Attack"
    else:
        d.event_type, d.sub_event_type = BAT, "Armed clash"


def _infer_dates(drafts: list[_Draft]) -> None:
    """An undated incident takes the day of a dated one of the same event type in the same article."""
    for d in drafts:
        if d.date is not None:
            continue
        same = [o for o in drafts if o is not d and o.date is not None and o.event_type == d.event_type
                and o.date.precision == "day"]
        if same:
            d.date = same[0].date
            d.date_inferred = True


def _incident_id(article_id: str, d: _Draft, iso3: str) -> str:
    h = hashlib.sha1(f"{article_id}|{d.first}|{d.sub_event_type}".encode()).hexdigest()[:10].upper()
    return f"{iso3 or 'XXX'}-{h}"


def _country_info(cc: str | None, lat: float | None, lon: float | None) -> tuple[str, str, str, str, str | None]:
    """(country name, ISO numeric, ISO alpha-3, ACLED region, alpha-2) from a country code or a point."""
    from .. import boundaries

    country = None
    try:
        if cc:
            country = boundaries.find_country(cc)
        if country is None and lat is not None and lon is not None:
            country = boundaries.country_at(lat, lon)
    except Exception:  # noqa: BLE001 - boundaries missing: leave the columns empty rather than fail extraction
        country = None
    if country is None:
        return "", "", "", "", cc
    region = ACLED_REGIONS.get(country.iso2, country.subregion)
    iso_n = str(int(country.iso_n3)) if str(country.iso_n3).lstrip("-").isdigit() and int(country.iso_n3) > 0 else ""
    return country.name, iso_n, country.iso3, region, country.iso2


def _finish(d: _Draft, art: "Article", pub: date, article_id: str, title: str | None, url: str | None) -> Incident:
    m = d.mention
    lat, lon = (m.lat, m.lon) if m is not None and m.resolved else (None, None)
    cname, iso_n, iso3, region, cc = _country_info(m.country_code if m else None, lat, lon)
    if d.date is not None:
        start, end, precision = d.date.date_start, d.date.date_end, d.date.precision
        best = d.date.best
    else:  # no date in the text: reported at publication, within the week before it
        start, end, precision, best = pub - timedelta(days=6), pub, "week", pub
    score, quote = max(d.sentences, key=lambda t: t[0])
    for sc, sent in d.sentences:   # the first sentence among the best ones
        if sc == score:
            quote = sent
            break
    lo, kbest, hi = d.killed
    actor1, inter1 = d.actor1 if d.actor1 else ("", "")
    actor2, inter2 = d.actor2 if d.actor2 else ("", "")
    location = (m.name or m.text) if m is not None else ""
    tags = []
    if d.date_inferred:
        tags.append("date inferred from a related report in the same article")
    if d.date is None:
        tags.append("date not stated: reported at publication")
    source_name = title or url or f"article {article_id}"
    inc = Incident(
        event_date=best.isoformat(), year=best.year, time_precision=ACLED_TIME_PRECISION.get(precision, 3),
        disorder_type=disorder_type(d.event_type or "", d.sub_event_type or ""),
        event_type=d.event_type or "", sub_event_type=d.sub_event_type or "",
        actor1=actor1, assoc_actor_1="; ".join(a for a in d.assoc1 if a != actor1), inter1=inter1,
        actor2=actor2, inter2=inter2, interaction=interaction(inter1, inter2) if (inter1 or inter2) else "",
        civilian_targeting="Civilian targeting" if inter2 == "Civilians" else "",
        iso=iso_n, region=region, country=cname, location=location, latitude=lat, longitude=lon,
        geo_precision=d.precision, source=source_name, source_scale="", fatalities=kbest or 0, tags="; ".join(tags),
        timestamp=int(datetime(pub.year, pub.month, pub.day, tzinfo=timezone.utc).timestamp()),
        injuries=d.injured, fatalities_low=lo, fatalities_best=kbest, fatalities_high=hi, status=d.status,
        date_start=start.isoformat(), date_end=end.isoformat(), date_precision=precision,
        place_id=m.place_id if m is not None else None, country_code=cc or (m.country_code if m else None),
        sources=[Source(article=article_id, published=pub.isoformat(), quote=quote.text, start=quote.start,
                        end=quote.end, title=title, url=url)],
        claimant=d.claimant, location_confidence=round(m.confidence, 3) if m is not None and m.resolved else None,
    )
    inc.notes = describe(inc, also_named=d.also_named)
    inc.event_id_cnty = _incident_id(article_id, d, iso3)
    return inc


def describe(inc: Incident, *, also_named: Iterable[str] = ()) -> str:
    """An ACLED-style one-paragraph note: when, what, where, who, toll, status."""
    when = inc.event_date if inc.date_precision == "day" else f"{inc.date_start}..{inc.date_end} ({inc.date_precision})"
    who = inc.actor1 or "unidentified actors"
    what = inc.sub_event_type.lower() if inc.sub_event_type else inc.event_type.lower()
    where = inc.location or "an unknown location"
    if inc.country and inc.country != inc.location:
        where += f" ({inc.country})"
    parts = [f"On {when}, {what} by {who} at {where}"]
    if inc.actor2:
        parts[0] += f" against {inc.actor2}"
    extra = list(also_named)
    if extra:
        parts.append("also named: " + ", ".join(extra))
    toll = []
    if inc.fatalities_best is not None:
        toll.append(f"{inc.fatalities_best} killed")
    if inc.injuries is not None:
        toll.append(f"{inc.injuries} injured")
    if toll:
        parts.append(", ".join(toll))
    if inc.claimant:
        parts.append(f"claimed by {inc.claimant}")
    parts.append(f"status: {inc.status}")
    return ". ".join(parts) + "."


# --- GeoDataFrame -----------------------------------------------------------------------------------

FRAME_COLUMNS = (*[c for c in Incident.__dataclass_fields__ if c != "sources"], "sources")


def incidents_frame(incidents: Iterable[Incident]) -> "gpd.GeoDataFrame":
    """A GeoDataFrame (EPSG:4326) with one row per incident: every field, sources as a list, Point geometry.

    Unlocated incidents get an empty geometry. Latitude/longitude become shapely x=lon, y=lat here only.
    """
    import geopandas as gpd
    from shapely.geometry import Point

    rows: list[dict[str, Any]] = []
    geoms = []
    for inc in incidents:
        row = inc.to_dict()
        rows.append(row)
        if inc.latitude is not None and inc.longitude is not None:
            geoms.append(Point(*point_xy(inc.latitude, inc.longitude)))
        else:
            geoms.append(None)
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
    return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")


__all__ = ["extract_incidents", "incidents_frame", "casualties", "find_actors", "split_sentences", "number_value",
           "describe", "combine_reports", "merge_reason"]
