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

The modules: :mod:`.lexicon` (word tables), :mod:`.tokens` (tokens, chunks, list passes), :mod:`.rules` (is a
match a mention: ordered named rules), :mod:`.metonymy` (literal or not: ordered named rules), this module
(the passes over a text). The output is :class:`Span` records; :mod:`geoinc.geoparser.resolve` turns them into :class:`~geoinc.models.Mention`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, AbstractSet, Final

from ..gazetteer.sources import COUNTRY_ABBREVIATIONS
from ..text import name_key
from .lexicon import (ABBREVIATED_HEADS, AP_COUNTRIES, AP_KEYS, ROMANCE_LINKS, CONTINENT_ADJECTIVES, DEMONYM_GEO_NOUNS, DIRECTIONS, FACILITY_WORDS, FEATURE_WORDS,
                      FUNCTION_WORDS, GEO_PREFIXES, GROUP_WORDS, INSTITUTION_SITES, KIN_WORDS, LOCATIVE,
                      MAX_SPAN_TOKENS, MONTHS_DAYS, ONE_WORD_CUES, OPEN_LOCATIVES, ORG_WORDS, PLACE_TYPE_WORDS,
                      SITE_LOCATIVES, SPEECH_VERBS, STREET_WORDS, TITLES, APOSTROPHES, ARTICLE_PREFIX_RE)
from .lookup import (candidates as gaz_candidates, demonym as gaz_demonym, is_given_name as gaz_is_given_name,
                     loose_candidates as gaz_loose_candidates, max_tokens as gaz_max_tokens, word_zipf as gaz_word_zipf)
from .metonymy import is_metonym
from .qualifiers import find_containers
from .rules import judge
from .tokens import (Span, Token, _chunks, _drop_name_lists, _economy_noun_at, _join_dc, _share_metonymy,
                     _span_text, tokenize)

if TYPE_CHECKING:
    from ..gazetteer.index import Candidate, Gazetteer


def abbreviated_own_name(key: str, own: str) -> bool:
    """Is ``key`` the place's own name ``own`` with its head word abbreviated: "st leon rot" for Sankt
    Leon-Rot, "mt kenya" for Mount Kenya (the same name, not an alternate that spells English words)?"""
    head, _, rest = key.partition(" ")
    if not rest:
        return False
    return any(own == f"{full} {rest}" for full in ABBREVIATED_HEADS.get(head, ()))


DATELINE_CITY: Final = 50_000     # a dateline names a city the story is filed from, not a hamlet
_DATELINE_AFTER: Final = (", ", " (", " -", " \u2014", " \u2013")


def looks_abbreviated(raw: str) -> bool:
    """A word in capitals that may be an abbreviation ("NATO", "U.S.", "N.M."), not a name: four letters or fewer."""
    return len(raw) <= 8 and sum(c.isalpha() for c in raw) <= 4


def opens_dateline(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] opens a dateline: it begins the text or a line and a comma, a bracket or a dash
    follows ("KYIV, Ukraine (AP) -", "DOHA (Reuters) -")."""
    line = text.rfind("\n", 0, start) + 1
    return not text[line:start].strip() and text.startswith(_DATELINE_AFTER, end)


class Recognizer:
    """Finds place-name spans in text using a gazetteer; stateless between calls."""

    def __init__(self, gazetteer: "Gazetteer") -> None:
        self.gaz = gazetteer

    # -- helpers
    def _common(self, word: str) -> float:
        return gaz_word_zipf(self.gaz, word.strip(APOSTROPHES))

    def _lookup(self, key: str, raw: str, n_tokens: int, upper: bool,
                exact: bool = True) -> tuple[tuple["Candidate", ...], bool]:
        """Candidates for a span's key; abbreviation and loose rules applied. Returns (candidates, loose).
        ``exact=False``: the caller knows that no name has this key (no name of as many words starts with its
        first word), so only the loose key is looked up."""
        if upper and looks_abbreviated(raw):
            if not exact:
                return (), False
            if key in AP_KEYS and "." in raw:      # "N.M.", "D.C.", "P.E.I.": a region by its dateline abbreviation
                return tuple(c for c in gaz_candidates(self.gaz, key) if c.place.kind == "admin1"
                             and c.place.country_code in AP_COUNTRIES[key]), False
            if raw.strip() not in COUNTRY_ABBREVIATIONS:
                return (), False
            return tuple(c for c in gaz_candidates(self.gaz, key) if c.place.source in {"country", "curated"}), False
        cands = gaz_candidates(self.gaz, key) if exact else ()
        if cands:
            return cands, False
        if len(key.replace(" ", "")) >= 5 and n_tokens <= 3:
            found = gaz_loose_candidates(self.gaz, key)
            loose = found and tuple(c for c in found if c.place.source != "geonames" or c.place.population >= 1000)
            if loose:
                return loose, True
        return (), False

    def _keep_candidates(self, cands: tuple["Candidate", ...], key: str, raw_tokens: list[Token],
                         sent_start: bool, strong: bool, defined: bool = False
                         ) -> tuple[tuple["Candidate", ...], tuple[str, ...]]:
        """Drop candidates whose match is implausible for this surface form (English words, alt names)."""
        zipfs: list[float] | None = None     # word frequencies, looked up only when a candidate needs them
        keep = []
        small: list["Candidate"] = []
        for c in cands:
            p = c.place
            source = p.source       # read once (a generic attribute look-up on the Place)
            if source in {"curated", "country", "learned"} or p.kind == "continent":
                keep.append(c)
                continue
            if zipfs is None:
                words = [t for t in raw_tokens if t.word]
                zipfs = [self._common(t.text) for t in words]
                all_common = bool(words) and min(zipfs) >= 3.0
                very_common = bool(words) and min(zipfs) >= 4.0
            if source == "admin1":
                if (all_common and sent_start and len(words) == 1 and zipfs[0] >= 4.5 and not strong
                        and p.population <= 3_000_000):
                    continue    # "Central", "Western", "Reading" open a sentence as words; "Texas" as Texas
                keep.append(c)
                continue
            # GeoNames places
            if all_common:
                pkey = name_key(p.name)
                if (not c.primary and pkey != key
                        and not (key.startswith(pkey + " ") or pkey.startswith(key + " "))
                        and not abbreviated_own_name(key, pkey)):
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
                    small.append(c)     # too small to make this word a place on its own
                    continue
            elif c.loose and p.population < 5000:
                continue
            keep.append(c)
        if (keep or defined) and small:
            # the name is a place ("Paris is a city in Idaho"): its small namesakes stay candidates for the
            # resolver, where the story's region and qualifiers can choose them over the famous one
            keep.extend(small)
            return tuple(keep), tuple(c.place.id for c in small)
        return tuple(keep), ()

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
                if not found and (ci > 0 and tokens[ci - 1].low in ONE_WORD_CUES
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
        find_containers(text, tokens, spans)
        extra = self._repeated_names(text, tokens, chunks, spans, surnames)
        if extra:
            spans = sorted(spans + extra, key=lambda sp: sp.start)
        return spans

    def _repeated_names(self, text: str, tokens: list[Token], chunks: list[tuple[int, int]], spans: list[Span],
                        surnames: set[str]) -> list[Span]:
        """One name, one place per text: "Andes is a town in Delaware County ... Snow fell on Andes again": a name
        the text has qualified as a place ("X, Y" or its defining sentence) is a place at its other bare
        occurrences (a whole capitalised phrase of its own), which the size rules alone may have passed over.
        Not for surnames of people named in the text."""
        known: dict[str, Span] = {}
        for sp in spans:
            if sp.containers and not sp.metonym and sp.candidates and sp.key not in surnames:
                known.setdefault(sp.text, sp)
        if not known:
            return []
        taken = {sp.start for sp in spans}
        heads = {name.split(None, 1)[0] for name in known}
        out: list[Span] = []
        for ci, cj in chunks:
            start = tokens[ci].start
            if start in taken or tokens[ci].text not in heads:
                continue
            raw = _span_text(text, tokens, ci, cj)
            model = known.get(raw)
            if model is None or any(sp.start < tokens[cj - 1].end and start < sp.end for sp in spans):
                continue
            span = Span(start, tokens[cj - 1].end, raw, model.key, model.candidates, namesakes=model.namesakes,
                        feature=None, strong_context=True)
            span.metonym = self._metonym(text, tokens, ci, cj, span)
            span.notes.append("named as a place earlier in the text")
            out.append(span)
        return out

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
            # the noun after is tested first (cheap, and most capitalised words have none), then the adjective
            m = k + 1
            while m + 1 < n and tokens[m].text == "-" and gaz_demonym(self.gaz, tokens[m + 1].text):
                m += 2      # "Syrian-Turkish border"
            if m >= n:
                continue
            w = tokens[m].low
            if w not in DEMONYM_GEO_NOUNS and not _economy_noun_at(tokens, m):
                continue
            cc = gaz_demonym(self.gaz, t.text)
            if cc is None and t.low not in CONTINENT_ADJECTIVES:
                continue
            if cc is None:
                continent = CONTINENT_ADJECTIVES[t.low]
                country = next((c.place for c in gaz_candidates(self.gaz, continent)
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
                or self._common(t.text) > 0 or gaz_is_given_name(self.gaz, t.text) or name_key(t.text) in surnames
                or gaz_demonym(self.gaz, t.text)):
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
        if len(words) == 1 and (self._common(tokens[ci].text) >= 3.0 or gaz_demonym(self.gaz, tokens[ci].text)):
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
                or self._common(w) >= 2.5 or gaz_is_given_name(self.gaz, w) or name_key(w) in surnames
                or gaz_demonym(self.gaz, w) or w.lower() in ORG_WORDS or w.lower() in TITLES):
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
        if (first.sent_start or gaz_is_given_name(self.gaz, first.text) or first.low in DIRECTIONS
                or any(t.low in ORG_WORDS or t.low in TITLES or t.low in FUNCTION_WORDS
                       or gaz_demonym(self.gaz, t.text) or name_key(t.text) in surnames for t in toks)):
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
        if gaz_candidates(self.gaz, name_key(raw)) or gaz_candidates(self.gaz, name_key(_span_text(text, tokens, start, fj))):
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
                found = self._keep_candidates(found, name_key(sub), tokens[i:j], False, False)[0]
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
            if (not starts_person and gaz_is_given_name(self.gaz, first.text) and not first.upper
                    and first.low not in FUNCTION_WORDS and first.low not in DIRECTIONS):
                # "Joe Biden"; but not "Jordan Valley" or "Austin, Texas" (the second word must not be a place head)
                second = tokens[words[1]]
                if second.low not in FEATURE_WORDS and second.low not in ORG_WORDS:
                    starts_person = True
            if (not starts_person and len(words) == 2 and not first.sent_start and not first.upper
                    and self._common(first.text) < 3.0 and first.low not in DIRECTIONS
                    and not gaz_max_tokens(self.gaz, name_key(first.text)) and not ARTICLE_PREFIX_RE.match(first.text)):
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
                           for c in gaz_candidates(self.gaz, key)):
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
            if any(c.place.kind in ("country", "admin1") for c in gaz_candidates(self.gaz, name_key(raw))):
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
        if gaz_is_given_name(self.gaz, tok.text) and low not in FUNCTION_WORDS and self._common(low) < 4.0:
            return True
        return any(c.place.kind in ("country", "admin1") for c in gaz_candidates(self.gaz, name_key(tok.text)))

    def _dateline_city(self, key: str, raw: str) -> tuple["Candidate", ...]:
        """"KYIV, Ukraine (AP)": a short word in capitals is taken for an abbreviation (:func:`looks_abbreviated`:
        NATO, ISIS), except where it opens a dateline; there it is the city the story is filed from, so only cities
        and towns of :data:`DATELINE_CITY` people or more are its candidates."""
        cands, _ = self._lookup(key, raw, 1, False)
        return tuple(c for c in cands if c.place.kind in ("city", "town") and c.place.population >= DATELINE_CITY)

    def _one_word(self, text: str, tokens: list[Token], i: int, surnames: set[str],
                  words: dict[str, tuple]) -> list[Span]:
        """:meth:`_in_chunk` for a chunk of one capitalised word; its gazetteer match is looked up once per
        document (``words`` keeps it by the word's text)."""
        t = tokens[i]
        if t.upper and looks_abbreviated(t.text) and opens_dateline(text, t.start, t.end):
            key = name_key(t.text)
            cands = self._dateline_city(key, t.text)
            hit: tuple | None = (key, cands, False) if cands else ()
        else:
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
        span = judge(self, text, tokens, i, i + 1, i, i + 1, t.text, hit[0], hit[1], hit[2], surnames)
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
            one_key = name_key(t.text)      # the key of the one-word span [i, i + 1) too (its raw text is t.text)
            head = one_key.split(" ", 1)[0]
            if not head:
                i += 1
                continue
            best = None
            max_tokens = gaz_max_tokens(self.gaz, head)
            # no name starts with this word: only short spans can still meet a name by its loose key
            longest = MAX_SPAN_TOKENS if max_tokens else 3
            for j in range(min(cj, i + longest), i, -1):
                last = tokens[j - 1]
                if not (last.cap or last.text[0].isdigit()) or (j - 1) in skip:
                    continue
                if j == i + 1:
                    raw, key = t.text, one_key
                else:
                    raw = _span_text(text, tokens, i, j)
                    key = name_key(raw)
                if not key:
                    continue
                n_key_tokens = key.count(" ") + 1
                if max_tokens and n_key_tokens > max_tokens and not (j - i == 1):
                    continue
                upper = t.upper and all(tokens[k].upper for k in range(i, j) if tokens[k].word)
                # every name key is counted in the heads table under its first word (gazetteer max_tokens): a key
                # that starts with this head and is longer than its longest name (or a head no name starts with)
                # has no exact candidates, only loose ones
                exact = n_key_tokens <= max_tokens or not (key == head or key.startswith(head + " "))
                cands, loose = self._lookup(key, raw, j - i, upper, exact)
                if cands:
                    best = (j, raw, key, cands, loose)
                    break
            if best is None:
                i += 1
                continue
            if t.text in {"The", "THE"} and best[0] - i > 1 and not any(
                    c.primary and c.place.name[:4].lower() == "the " for c in best[3]):
                i += 1          # "The United States": the place name starts after the article ("The Hague" keeps it)
                continue
            j, raw, key, cands, loose = best
            longer = self._unknown_longer_name(text, tokens, ci, cj, i, j)
            if longer is not None:
                out.append(longer)
                i = cj
                continue
            whole = self._possessive_in_name(text, tokens, i, j)
            if whole is not None:
                raw, key, cands, loose = whole
                j += 1
                cj = max(cj, j)
            span = judge(self, text, tokens, ci, cj, i, j, raw, key, cands, loose, surnames)
            if span is not None:
                out.append(span)
            i = j
        return out

    def _unknown_longer_name(self, text: str, tokens: list[Token], ci: int, cj: int, i: int, j: int) -> Span | None:
        """"in Santa Rosa de Muzquiz", "in San Basilio de Palenque": after a locative, a known name followed in
        its chunk by "de"/"del"/"do" and a capitalised word is the head of a longer name the gazetteer lacks,
        not the head's namesake (one of hundreds of Santa Rosas). Returned unresolved: the text's qualifier
        or the geocoder fallback may place it."""
        if i != ci or ci == 0 or tokens[ci - 1].low not in OPEN_LOCATIVES or tokens[ci - 1].cap:
            return None
        if j + 1 >= cj or tokens[j].low not in ROMANCE_LINKS or not tokens[j + 1].cap:
            return None
        end = j + 1
        while end + 1 < cj and tokens[end + 1].cap and tokens[end + 1].start - tokens[end].end <= 1:
            end += 1
        if any(tokens[k].low in ORG_WORDS or tokens[k].low in FACILITY_WORDS for k in range(i, end + 1)):
            return None     # "Banco de Chile", "Hospital de Clinicas": an organisation or a site
        raw = _span_text(text, tokens, i, end + 1)
        span = Span(tokens[i].start, tokens[end].end, raw, name_key(raw), (), strong_context=True)
        span.notes.append(f"a longer name than the gazetteer's {_span_text(text, tokens, i, j)}; not in the gazetteer")
        return span

    def _possessive_in_name(self, text: str, tokens: list[Token], i: int, j: int
                            ) -> tuple[str, str, tuple["Candidate", ...], bool] | None:
        """"St. John's", "Land's End": a name whose own spelling ends in a possessive, when the gazetteer has
        a place by that very name (so "Washington's army" stays Washington). Returns (raw, key, candidates,
        loose) of the whole name, or None."""
        if j >= len(tokens) or tokens[j].text not in {"'s", "’s"} or tokens[j].start != tokens[j - 1].end:
            return None
        if j + 1 < len(tokens) and tokens[j + 1].cap and tokens[j + 1].start - tokens[j].end <= 1:
            return None     # "St. Peter's Basilica", "St Mary's Hospital": the possessive opens a longer name
        raw = _span_text(text, tokens, i, j + 1)
        key = name_key(raw)
        cands = tuple(c for c in gaz_candidates(self.gaz, key) if c.primary and name_key(c.place.name) == key)
        return (raw, key, cands, False) if cands else None

    def _metonym(self, text: str, tokens: list[Token], i: int, j: int, span: Span) -> bool:
        """Whether the span at tokens [i, j) is used non-literally (see :mod:`geoinc.geoparser.metonymy`)."""
        return is_metonym(self.gaz, tokens, i, j, span)


__all__ = ["Recognizer", "Span", "Token", "tokenize"]


# The mypyc-compiled twin of this module replaces the names above when it was built from this very source.
if __name__ == "geoinc.geoparser.recognizer":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
