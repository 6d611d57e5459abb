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

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..models import Incident, Mention
from ..text import sentence_spans
from .actors import assign_actors, battle_sides, find_actors
from .counts import casualties, number_value, stated_toll
from .dates import DateRef, find_dates, is_reporting_date
from .lexicons import (
    AGGREGATE_BEFORE, ATTRIBUTION, FEW_EVENTS_BEFORE, BACKGROUND, CLAIMED, CONFIRMED, DEFINITE, DENIED,
    GENERIC_ROW, HAPPENED, NEGATED, PLURAL, PLURAL_NOUN, REACTION,
    SITE_REF, NOTE_LABEL_RE, NOTE_LABELS, TRIGGER_SCAN, TRIGGERS_RE, CUES, TARGET_KINDS, BAT, ER, PRO, RIO, SD, VAC,
)
from .decide import ARMED_KINDS, Facts, decide, protest_acts
from .linking import begin_article
from .modality import unreal
from .taxonomy import SUB_EVENT_TYPES
from .places import (
    fallback_place, is_area, pick_place, requalify, sentence_mentions, sublocation, unlocated_place,
)
from .merge import combine_reports, merge_reason  # noqa: F401  (re-exported: merging lives in geoinc.incidents.merge)
from .record import Draft, Sentence, describe, finish, incidents_frame  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from ..articles import Article


# --- pure helpers -----------------------------------------------------------------------------------

def split_sentences(text: str, offset: int = 0) -> list[Sentence]:
    """Sentences with offsets into ``text``: split at . ! ? before a capital and at line breaks."""
    return [Sentence(s, e, text[s:e]) for s, e in sentence_spans(text, offset, line_breaks="any")]


def _triggers(text: str, following: str = "") -> list[tuple[int, int, str | None, str | None]]:
    """(start, end, event_type, sub_event_type) of every event phrase of the trigger lexicon whose condition the
    sentence meets; generic phrases ("attacked", "killed") have types None."""
    found: list[tuple[int, int, str | None, str | None]] = []
    for row, start, end in TRIGGER_SCAN.matches(text):     # trigger rows, then the generic words (GENERIC_ROW)
        if any(start < e and s < end for s, e, _, _ in found):
            continue
        if row == GENERIC_ROW:
            if _violence_cue(text, start, end):
                found.append((start, end, None, None))
            continue
        _, ev, sub, cond, _ = TRIGGERS_RE[row]
        if cond and not CUES[cond].search(text[:start] + " " + text[end:] + (" " + following if cond == "protest"
                                                                             else "")):
            continue          # a weak phrase without its cue elsewhere in the sentence (a protest's aim: or the next)
        found.append((start, end, ev, sub))
    label = _note_label(text)
    if label is not None:
        found = [t for t in found if t[0] >= label[1]] + [label]
    return sorted(found)


def _violence_cue(text: str, start: int, end: int) -> bool:
    """A generic word ("attacked", "struck", "killed") reports violence only with a sign of it elsewhere in the
    sentence ("Senators killed the bill", "launched a fierce assault on the Irish line" have none), or when the
    sentence says it happened ("The attack occurred in the district")."""
    return _cue_outside(text, start, end) or bool(HAPPENED.match(text, start)) or _armed_actor_named(text, start, end)


def _armed_actor_named(text: str, start: int, end: int) -> bool:
    """An armed group the actor vocabulary knows is named in the sentence, outside the word ("CODECO killed a man
    in Bunia", "the ADF killed seven farmers"): a sign of violence as good as "gunmen"."""
    return any(a[3] in ARMED_KINDS and (a[1] <= start or a[0] >= end) for a in _sentence_actors(text))


_LAST_ACTORS: "tuple[str, list[tuple[int, int, str, str]]]" = ("", [])    # (sentence, its actors)


def _sentence_actors(text: str) -> list[tuple[int, int, str, str]]:
    """find_actors of a sentence, remembered for the last one (the trigger reading and the incident both ask)."""
    global _LAST_ACTORS
    if _LAST_ACTORS[0] is text:
        return _LAST_ACTORS[1]
    found = find_actors(text)
    _LAST_ACTORS = (text, found)
    return found


_FIRST_CUE: "tuple[str, re.Match[str] | None]" = ("", None)     # the last sentence and its first violence cue


def _cue_outside(text: str, start: int, end: int) -> bool:
    """A violence cue in the sentence outside the generic word at text[start:end] (the cue table searched in the
    sentence without that word). The generic word and every cue word begin and end with a letter and stand
    between word boundaries, and no cue phrase holds two separators in a row: a cue of the sentence without the
    word is a cue of the sentence that does not overlap it, and the other way round. So the sentence's first cue
    (looked for once per sentence) answers when it lies before or after the word, and when there is none."""
    global _FIRST_CUE
    last = _FIRST_CUE
    if last[0] is text:
        first = last[1]
    else:
        first = CUES["violence"].search(text)
        _FIRST_CUE = (text, first)
    if first is None:
        return False
    if first.end() <= start or first.start() >= end:
        return True
    return bool(CUES["violence"].search(text[:start] + " " + text[end:]))


_LAST_LABEL: "tuple[str, tuple[int, int, str | None, str | None] | None]" = ("", None)   # (sentence, its label)


def _roles_at(st: str, trig: list[tuple[int, int, str | None, str | None]],
              main: tuple[int, int, str | None, str | None]) -> tuple[int, str]:
    """Where the event phrase that splits a sentence's perpetrators from its targets starts, and the phrase: the
    main one, but for a note label ("Property destruction: ... the military and a militia destroyed houses") the
    first phrase after it (none: the end of the sentence, so the actors it names are the perpetrators)."""
    if main != _note_label(st):
        return main[0], st[main[0]:main[1]]
    after = [t for t in trig if t != main]
    return (after[0][0], st[after[0][0]:after[0][1]]) if after else (len(st), "")


def _note_label(text: str) -> tuple[int, int, str | None, str | None] | None:
    """"Displacement: On 8 May ...", "Weapons seizure: ...": an ACLED-style note label naming the sub-event type.
    (Remembered for the last sentence: the trigger reading and the incident both ask.)"""
    global _LAST_LABEL
    last = _LAST_LABEL
    if last[0] is text:
        return last[1]
    label = _read_label(text)
    _LAST_LABEL = (text, label)
    return label


def _read_label(text: str) -> tuple[int, int, str | None, str | None] | None:
    """The label of :func:`_note_label`, read (only in a sentence with a colon: every label ends in one)."""
    if ":" not in text:
        return None
    m = NOTE_LABEL_RE.match(text)
    if m is None:
        return None
    sub = NOTE_LABELS.get(m.group("label").lower())
    if sub is None:
        return None
    return (m.start("label"), m.end("label"), SUB_EVENT_TYPES[sub], sub)


def _hypothetical(text: str, start: int, end: int) -> bool:
    """Hypothetical, intended, future or negated (geoinc.incidents.modality): not a real event."""
    return unreal(text, start, end) is not None


def _aggregate(text: str, start: int) -> bool:
    return bool(AGGREGATE_BEFORE.search(text[max(0, start - 40):start]))


def _few_events(text: str, start: int) -> bool:
    """"four separate attacks killed 14 people": a few events counted before their plural noun at ``start``."""
    return bool(FEW_EVENTS_BEFORE.search(text[max(0, start - 40):start]))


def _status(text: str) -> str:
    if DENIED.search(text):
        return "denied"
    if any(not NEGATED.search(text[max(0, m.start() - 40):m.start()]) for m in CONFIRMED.finditer(text)):
        return "confirmed"
    if CLAIMED.search(text):
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
    begin_article(art.text)             # (the name starts its sentences' place rules share)
    drafts = _read(art.text, art.body_offset, pub, list(mentions))
    return [finish(d, art, pub, article_id or art.id, title or art.title, url or art.url) for d in drafts]


def _sentence_mentions(mentions: Sequence[Mention], s: Sentence, actor_spans: list[tuple[int, int]],
                       full: str) -> list[Mention]:
    return sentence_mentions(mentions, s.start, s.end, actor_spans, full)


_is_area = is_area


def _score(has_specific: bool, killed: Any, injured: Any, place: Mention | None, date_ref: DateRef | None) -> float:
    score = 2.0 if has_specific else 0.0
    if killed[1] is not None or injured is not None:
        score += 2.0
    if place is not None and not _is_area(place):
        score += 2.0
    if date_ref is not None and date_ref.precision == "day":
        score += 1.0
    return score


def _read(text: str, body_offset: int, pub: date, mentions: list[Mention]) -> list[Draft]:
    drafts: list[Draft] = []
    last: list[Draft] = []                     # the draft a sentence most recently added to
    mentions, qualifiers = requalify(text, mentions)
    sentences = split_sentences(text, body_offset)
    # an article whose places the gazetteer knows none of (not even as a fallback guess): its events stay at the
    # names its sentences give them
    unlocated_only = (not any(m.resolved for m in mentions)
                      and fallback_place(mentions, body_offset, text) is None)
    for k, s in enumerate(sentences):
        st = s.text
        following = sentences[k + 1].text if k + 1 < len(sentences) else ""
        trig = [t for t in _triggers(st, following) if not _hypothetical(st, t[0], t[1])]
        if not trig:
            if drafts:
                _elaborate(drafts, last, s, st, mentions, text, k)
            continue
        killed, injured = casualties(st)
        actors = _sentence_actors(st)
        actor_spans = [(a, b) for a, b, _, _ in actors]
        specific = [t for t in trig if t[2] is not None]
        main = specific[0] if specific else trig[0]
        t_start, t_end, ev, sub = main
        phrase = st[t_start:t_end]
        only_killed = not specific and all(st[a:b].lower() in ("killed", "killing") for a, b, _, _ in trig)
        cands, place, precision, also = _sentence_place(mentions, s, actor_spans, text, qualifiers, t_start, t_end)
        if place is None and unlocated_only:
            place, precision = unlocated_place(mentions, s.start, s.end, text), 1
        specific_place = place is not None and not _is_area(place)
        found_dates = find_dates(st, pub)          # once per sentence: both readings below use them
        date_ref = _event_date(st, pub, t_start, found=found_dates) or _same_day_as_before(st, last)
        loose_date = date_ref or _event_date(st, pub, t_start, any_precision=True, found=found_dates)
        definite = bool(DEFINITE.search(st))
        # (each condition's cheap parts first: the sentence is searched only when they hold)
        reaction = not specific and bool(REACTION.search(st))
        plural = bool(PLURAL.search(phrase))
        # "more than 150 drone strikes", "several strikes", "a series of attacks" (not "16 people were killed")
        aggregate = ((date_ref is None and bool(PLURAL_NOUN.search(phrase)) and _aggregate(st, t_start))
                     or (plural and loose_date is None and not definite and not specific_place
                         and not ((killed[1] or injured) and _few_events(st, t_start))))
        background = date_ref is None and not definite and bool(BACKGROUND.search(st))

        target = _attach_target(drafts, st, place, date_ref, killed, definite, ev, cands, also, k)
        if target is None and drafts and not specific_place and date_ref is None and not (aggregate or background):
            if place is None and _status(st) == "claimed":
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
            elif only_killed and not specific_place and drafts:
                continue          # a death toll without an event or a site adds to nothing new by itself
            elif place is None and (ev == SD or drafts and not ((specific or killed[1] or injured)
                                                                and date_ref is not None)):
                continue          # (a specific event without a place waits for the next sentences or a fallback)
        if target is None:
            d = Draft(event_type=ev, sub_event_type=sub, hint=phrase.lower(), first=s.start, sentence_no=k)
            drafts.append(d)
            target = d
        # (the status and the score only of sentences that add to an incident)
        status = _status(st)
        score = _score(bool(specific), killed, injured, place, date_ref)
        roles_at, roles_phrase = _roles_at(st, trig, main)
        _update(target, s, st, ev, sub, roles_phrase, place, precision, also, date_ref, killed, injured, actors,
                roles_at, status, score, pub)
        if target.date is None and loose_date is not None:
            target.date = loose_date
        target.hits.extend((t[3] or "", st[t[0]:t[1]].lower()) for t in trig)
        label = _note_label(st)
        if label is not None and target.label is None:
            target.label = label[3]
        last[:] = [target]
    return _complete(drafts, sentences, text, body_offset, mentions)


def _sentence_place(mentions: list[Mention], s: Sentence, actor_spans: list[tuple[int, int]], text: str,
                    qualifiers: set[int], t_start: int, t_end: int) -> tuple[list[Mention], Mention | None, int,
                                                                             list[str]]:
    """The sentence's candidate places and the event's place among them (geoinc.incidents.places)."""
    cands = _sentence_mentions(mentions, s, actor_spans, text)
    place, precision, also = pick_place(cands, s.start + t_start, text, qualifiers)
    sub_place = sublocation(mentions, s.start, s.end, place, s.start + t_start, text, actor_spans, s.start + t_end)
    if sub_place is not None:
        place, precision = sub_place, 2
    return cands, place, precision, also


def _complete(drafts: list[Draft], sentences: list[Sentence], text: str, body_offset: int,
              mentions: list[Mention]) -> list[Draft]:
    """Type decisions, generic types, inferred dates and fallback places; the incidents that have a type and a place."""
    starts = sorted({d.sentence_no for d in drafts})
    for d in drafts:
        # the incident's context: its sentences up to the next incident's first ("Police arrested two of them")
        nxt = next((k for k in starts if k > d.sentence_no), len(sentences))
        _decide_type(d, " ".join(x.text for x in sentences[d.sentence_no:nxt]))
        _resolve_generic(d)
    _infer_dates(drafts)
    _fallback_places(drafts, text, body_offset, mentions)
    return [d for d in drafts if d.event_type and (d.mention is not None)]


def _fallback_places(drafts: list[Draft], text: str, body_offset: int, mentions: list[Mention]) -> None:
    """An incident whose sentences name no usable place takes the article's most specific one; when the article
    has none, the place its own sentences name that the gazetteer does not know (kept by name, unlocated)."""
    if all(d.mention is not None for d in drafts):
        return
    best = fallback_place(mentions, body_offset, text)
    for d in drafts:
        if d.mention is None and best is not None:
            d.mention, d.precision = best, (3 if is_area(best) else 2)
        for _, s in d.sentences if d.mention is None else ():
            d.mention = unlocated_place(mentions, s.start, s.end, text)
            if d.mention is not None:
                d.precision = 1
                break


def _event_date(st: str, pub: date, t_start: int, *, any_precision: bool = False,
                found: list[DateRef] | None = None) -> DateRef | None:
    """The day the event phrase refers to: the nearest day-precise date that is not a date of a statement
    (with ``any_precision``, also weeks and months: "in mid-October" is an interval of month precision).
    ``found`` are the sentence's dates (find_dates) when the caller has them already."""
    if found is None:
        found = find_dates(st, pub)
    days = [d for d in found if not is_reporting_date(st, d)
            and (any_precision or d.precision == "day") and d.date_start <= pub + timedelta(days=1)]
    if not days:
        return None
    best = min(days, key=lambda d: min(abs(d.start - t_start), abs(d.end - t_start)))
    return _overnight_before_statement(st, best, found)


_LATER_SAME_DAY = re.compile(r"\b(?:hours|minutes) later|\blater (?:that|the same) (?:day|night|evening)|"
                             r"\bshortly (?:after|afterwards)\b|\bthe same day\b", re.I)


def _same_day_as_before(st: str, last: list[Draft]) -> DateRef | None:
    """"Hours later, a second bomb exploded in Kirkuk": the day of the incident just reported."""
    if not last or last[0].date is None or last[0].date.precision != "day" or not _LATER_SAME_DAY.search(st):
        return None
    return last[0].date


def _overnight_before_statement(st: str, d: DateRef, found: list[DateRef]) -> DateRef:
    """"Overnight, drones struck ..., officials said on Thursday": the night before the day it was said."""
    if d.text.lower() not in ("overnight", "last night"):
        return d
    said = [r for r in found if r is not d and r.precision == "day" and is_reporting_date(st, r)]
    if not said:
        return d
    day = said[0].date_start - timedelta(days=1)
    return replace(d, date_start=day, date_end=day)


def _last_compatible(last: list[Draft], ev: str | None) -> Draft | None:
    return last[0] if last and _compatible_type(last[0], ev) else None


def _elaborate(drafts: list[Draft], last: list[Draft], s: Sentence, st: str, mentions: Sequence[Mention],
               full: str, sentence_no: int) -> None:
    """A sentence without an event phrase can still say more about the incident just reported: where it is
    ("The outpost, known as Tower 22, ..."), who is blamed, how many were hurt. (Actors and counts are looked
    for only when the sentence can add them: the costly look-ups run on few sentences.)"""
    target = last[0] if last else drafts[0]
    # a site reference matters where the incident is placed only in a region (asked only then; the last use below
    # asks again: the place may have changed in between, never to a region)
    area_target = target.mention is not None and _is_area(target.mention)
    site_ref = SITE_REF.search(st) if area_target else None
    attribution = ATTRIBUTION.search(st)
    needs_place = (target.mention is None and sentence_no - target.sentence_no <= 2) or (
        site_ref and target.mention is not None and _is_area(target.mention))
    actors = find_actors(st) if (needs_place or attribution) else []
    actor_spans = [(a, b) for a, b, _, _ in actors]
    if target.mention is None and sentence_no - target.sentence_no <= 2:
        # "... hit by a drone last Sunday ... Tower 22 began as a border watchtower": the place opens the sentence
        cands = [m for m in _sentence_mentions(mentions, s, actor_spans, full) if not _is_area(m)]
        if cands and cands[0].start - s.start <= 4:
            target.mention, target.precision = cands[0], max(1, min(3, cands[0].precision or 1))
            target.sentences.append((1.0, s))
    if site_ref and target.mention is not None and _is_area(target.mention):
        cands = [m for m in _sentence_mentions(mentions, s, actor_spans, full) if not _is_area(m)
                 and m.country_code == target.mention.country_code]
        if cands:
            target.mention, target.precision = cands[0], max(1, min(3, cands[0].precision or 1))
            target.sentences.append((1.0, s))
    m = attribution
    if m:
        for a_start, _a_end, name, inter in actors:
            if a_start > m.start() and inter not in TARGET_KINDS:
                if target.actor1 is None or target.actor1[0].startswith(("Pro-", "Unidentified")):
                    target.actor1 = (name, inter)
                break
    toll = stated_toll(st)
    if toll is not None and target.violent:
        target.killed = (toll, toll, toll)          # "2 fatalities.": the event's toll as the text sums it up
    if not target.violent or (target.killed[1] is not None and target.injured is not None):
        return
    killed, injured = casualties(st)
    if target.killed[1] is None and killed[1] is not None and not (site_ref if area_target else SITE_REF.search(st)):
        target.killed = killed
    if target.injured is None and injured is not None:
        target.injured = injured


def _compatible_type(d: Draft, ev: str | None) -> bool:
    """Same event type; an incident known only from generic words ("the attack") fits any violent type; a
    protest and a riot are one crowd event ("locals marched ... A group of rioters looted shops")."""
    if ev is None or d.event_type is None:
        return (d.event_type or ev) in (None, ER, BAT, VAC)
    return d.event_type == ev or {d.event_type, ev} <= {PRO, RIO}


def _main(drafts: list[Draft], ev: str | None) -> Draft | None:
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


def _attach_target(drafts: list[Draft], st: str, place: Mention | None, date_ref: DateRef | None,
                   killed: tuple, definite: bool, ev: str | None, cands: list[Mention],
                   also: Sequence[str] = (), sentence_no: int = 0) -> Draft | None:
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


def _update(d: Draft, s: Sentence, st: str, ev: str | None, sub: str | None, phrase: str, place: Mention | None,
            precision: int, also: list[str], date_ref: DateRef | None, killed: tuple, injured: int | None,
            actors: list[tuple[int, int, str, str]], t_start: int, status: str, score: float, pub: date) -> None:
    if ev is not None and (d.event_type is None or d.event_type == ev):
        if d.event_type is None or d.sub_event_type is None:
            d.event_type, d.sub_event_type = ev, sub
        elif _SEVERITY.get(sub or "", -1) > _SEVERITY.get(d.sub_event_type, 99):
            d.sub_event_type = sub
    if ev == BAT or (ev is None and d.event_type == BAT):
        sides = battle_sides(st, actors)
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
    assign_actors(d, st, ev, phrase, actors, t_start)
    if _STATUS_RANK[status] > _STATUS_RANK[d.status]:
        d.status = status
    d.sentences.append((score, s))



def _resolve_generic(d: Draft) -> None:
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


def _decide_type(d: Draft, context: str) -> None:
    """ACLED's type decisions (geoinc.incidents.decide) over everything the incident's sentences say."""
    own = " ".join(sent.text for _, sent in d.sentences)
    facts = Facts(subs=tuple(h[0] for h in d.hits), phrases=tuple(h[1] for h in d.hits),
                  text=own if context in own else f"{own} {context}", label=d.label,
                  actor1_inter=d.actor1[1] if d.actor1 else None, actor2_inter=d.actor2[1] if d.actor2 else None)
    decision, _rule = decide(facts)
    if decision is not None:
        d.event_type, d.sub_event_type = decision
    if d.event_type == PRO and d.killed[1]:
        _protest_toll(d)


def _protest_toll(d: Draft) -> None:
    """A protest's dead are those who died at it: a toll in what it is about ("to demand justice for the killing of
    three journalists", "relatives of a man killed by police marched") is not its own."""
    lo = best = hi = None
    for _, sent in d.sentences:
        k = casualties(protest_acts(sent.text))[0]
        if k[1] is not None and (best is None or k[1] > best):
            lo, best, hi = k
    d.killed = (lo, best, hi)


def _infer_dates(drafts: list[Draft]) -> None:
    """An undated incident takes the day of a dated one of the same event type in the same article."""
    for d in drafts:
        if d.date is not None:
            continue
        same = [o for o in drafts if o is not d and o.date is not None and o.event_type == d.event_type
                and o.date.precision == "day"]
        if same:
            d.date = same[0].date
            d.date_inferred = True



__all__ = ["extract_incidents", "incidents_frame", "casualties", "find_actors", "split_sentences", "number_value",
           "describe", "combine_reports", "merge_reason"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.incidents.extract":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals(), keep=("extract_incidents",))
