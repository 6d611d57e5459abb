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
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..models import Incident, Mention
from ..text import sentence_spans
from .actors import assign_actors, battle_sides, find_actors
from .counts import casualties, number_value
from .dates import DateRef, find_dates, is_reporting_date
from .lexicons import (
    AGGREGATE_BEFORE, AREA_KINDS, ATTRIBUTION, BACKGROUND, CLAIMED, CONFIRMED, DEFINITE, DENIED,
    GENERIC_RE, NEAR, NEGATED, NOT_A_LOCATION, PLURAL, PLURAL_NOUN, REACTION,
    REFERENCE, SITE_REF, TRIGGERS_RE, CUES, TARGET_KINDS, BAT, ER, SD, VAC,
)
from .modality import unreal
from .merge import combine_reports, merge_reason  # noqa: F401  (re-exported: merging lives in geoinc.incidents.merge)
from .record import Draft, Sentence, describe, finish, incidents_frame  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from ..articles import Article


# --- pure helpers -----------------------------------------------------------------------------------

def split_sentences(text: str, offset: int = 0) -> list[Sentence]:
    """Sentences with offsets into ``text``: split at . ! ? before a capital and at line breaks."""
    return [Sentence(s, e, text[s:e]) for s, e in sentence_spans(text, offset, line_breaks="any")]


def _triggers(text: str) -> list[tuple[int, int, str | None, str | None]]:
    """(start, end, event_type, sub_event_type) of every event phrase of the trigger lexicon whose condition the
    sentence meets; generic phrases ("attacked", "killed") have types None."""
    found: list[tuple[int, int, str | None, str | None]] = []
    cues: dict[str, bool] = {}
    for pat, ev, sub, cond in TRIGGERS_RE:
        for m in pat.finditer(text):
            if any(m.start() < e and s < m.end() for s, e, _, _ in found):
                continue
            if cond:
                if cond not in cues:
                    cues[cond] = bool(CUES[cond].search(text))
                if not cues[cond]:
                    continue
            found.append((m.start(), m.end(), ev, sub))
    for m in GENERIC_RE.finditer(text):
        if not any(m.start() < e and s < m.end() for s, e, _, _ in found):
            found.append((m.start(), m.end(), None, None))
    return sorted(found)


def _hypothetical(text: str, start: int, end: int) -> bool:
    """Hypothetical, intended, future or negated (geoinc.incidents.modality): not a real event."""
    return unreal(text, start, end) is not None


def _aggregate(text: str, start: int) -> bool:
    return bool(AGGREGATE_BEFORE.search(text[max(0, start - 40):start]))


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
    drafts = _read(art.text, art.body_offset, pub, list(mentions))
    return [finish(d, art, pub, article_id or art.id, title or art.title, url or art.url) for d in drafts]


def _sentence_mentions(mentions: Sequence[Mention], s: Sentence, actor_spans: list[tuple[int, int]],
                       full: str) -> list[Mention]:
    """Resolved, literal place mentions of a sentence that can locate an event (not references, not actors)."""
    out = []
    for m in mentions:
        if not (s.start <= m.start < s.end) or not m.resolved or m.metonym:
            continue
        if (m.kind or "") in NOT_A_LOCATION or (_is_area(m) and not m.country_code and m.kind != "water"):
            continue
        rel = m.start - s.start
        if any(a <= rel < b for a, b in actor_spans):
            continue
        if REFERENCE.search(full[max(s.start, m.start - 40):m.start]):
            continue
        out.append(m)
    return out


def _is_area(m: Mention) -> bool:
    return (m.kind or "") in AREA_KINDS or (m.precision or 3) >= 3


def _pick_place(cands: list[Mention], trigger_abs: int, full: str) -> tuple[Mention | None, int, list[str]]:
    """The most specific mention (sites and towns over regions/countries; after the event phrase first)."""
    if not cands:
        return None, 3, []
    ranked = sorted(cands, key=lambda m: (m.kind == "water", _is_area(m), m.start < trigger_abs,
                                          abs(m.start - trigger_abs)))
    best = ranked[0]
    precision = 3 if _is_area(best) else max(1, min(3, best.precision or 1))
    if not _is_area(best) and NEAR.search(full[max(0, best.start - 40):best.start]):
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


def _read(text: str, body_offset: int, pub: date, mentions: list[Mention]) -> list[Draft]:
    drafts: list[Draft] = []
    last: list[Draft] = []                     # the draft a sentence most recently added to
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
        definite = bool(DEFINITE.search(st))
        reaction = bool(REACTION.search(st)) and not specific
        plural = bool(PLURAL.search(phrase))
        # "more than 150 drone strikes", "several strikes", "a series of attacks" (not "16 people were killed")
        aggregate = ((_aggregate(st, t_start) and bool(PLURAL_NOUN.search(phrase)) and date_ref is None)
                     or (plural and loose_date is None and not definite))
        background = bool(BACKGROUND.search(st)) and date_ref is None and not definite
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
            d = Draft(event_type=ev, sub_event_type=sub, hint=phrase.lower(), first=s.start, sentence_no=k)
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
    _fallback_places(drafts, text, body_offset, mentions)
    return [d for d in drafts if d.event_type and (d.mention is not None)]


def _fallback_places(drafts: list[Draft], text: str, body_offset: int, mentions: list[Mention]) -> None:
    """An incident whose sentences name no usable place takes the article's most specific resolved place
    (a town before a region before a country; the first of equals): "in an unknown location in North Sinai"."""
    if all(d.mention is not None for d in drafts):
        return
    usable = [m for m in mentions if m.resolved and not m.metonym and m.start >= body_offset
              and (m.kind or "") not in NOT_A_LOCATION and m.country_code]
    if not usable:
        return
    best = min(usable, key=lambda m: (_is_area(m), m.kind == "water", m.start))
    for d in drafts:
        if d.mention is None:
            d.mention, d.precision = best, (3 if _is_area(best) else 2)


def _event_date(st: str, pub: date, t_start: int, *, any_precision: bool = False) -> DateRef | None:
    """The day the event phrase refers to: the nearest day-precise date that is not a date of a statement
    (with ``any_precision``, also weeks and months: "in mid-October" is an interval of month precision)."""
    days = [d for d in find_dates(st, pub) if not is_reporting_date(st, d)
            and (any_precision or d.precision == "day") and d.date_start <= pub + timedelta(days=1)]
    if not days:
        return None
    return min(days, key=lambda d: min(abs(d.start - t_start), abs(d.end - t_start)))


def _last_compatible(last: list[Draft], ev: str | None) -> Draft | None:
    return last[0] if last and _compatible_type(last[0], ev) else None


def _elaborate(drafts: list[Draft], last: list[Draft], s: Sentence, st: str, mentions: Sequence[Mention],
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
    if SITE_REF.search(st) and target.mention is not None and _is_area(target.mention):
        cands = [m for m in _sentence_mentions(mentions, s, actor_spans, full) if not _is_area(m)
                 and m.country_code == target.mention.country_code]
        if cands:
            target.mention, target.precision = cands[0], max(1, min(3, cands[0].precision or 1))
            target.sentences.append((1.0, s))
    m = ATTRIBUTION.search(st)
    if m:
        for a_start, _a_end, name, inter in actors:
            if a_start > m.start() and inter not in TARGET_KINDS:
                if target.actor1 is None or target.actor1[0].startswith(("Pro-", "Unidentified")):
                    target.actor1 = (name, inter)
                break
    if not target.violent:
        return
    if target.killed[1] is None and killed[1] is not None and not SITE_REF.search(st):
        target.killed = killed
    if target.injured is None and injured is not None:
        target.injured = injured


def _compatible_type(d: Draft, ev: str | None) -> bool:
    """Same event type; an incident known only from generic words ("the attack") fits any violent type."""
    if ev is None or d.event_type is None:
        return (d.event_type or ev) in (None, ER, BAT, VAC)
    return d.event_type == ev


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
