"""Tokens and spans of the recogniser: tokenising with offsets, proper-noun chunks, and the list passes
that run over the found spans (name lists, "Washington, D.C.", shared metonymy of coordinated names)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from .lexicon import (APOSTROPHES, COORD, CONTRACTION_ENDS, NEVER_ALONE, TOKEN_SCAN_RE,
                      ARABIC_ARTICLE_WORDS, ARTICLE_PREFIX_RE, CONNECTORS, ECONOMY_NOUNS, ECONOMY_STEMS,
                      HYPHEN_SUFFIXES, LIST_LOCATIVES, LITERAL_PREV, MARKET_NOUNS, QUOTE_CHARS, SENTENCE_END)

if TYPE_CHECKING:
    from ..gazetteer.index import Candidate

try:        # mypyc reads @mypyc_attr and i64 when it compiles the twin; at run time they change nothing
    from mypy_extensions import i64, mypyc_attr
except ImportError:     # not a runtime dependency (it comes with mypy, at build time)
    i64 = int  # type: ignore[misc]     # a native 64-bit int in the twin (no tagged-int checks per character)

    def mypyc_attr(*attrs: str, **kwattrs: object) -> Any:  # type: ignore[misc]
        """Stand-in for mypy_extensions.mypyc_attr: leaves the class as it is."""
        return lambda cls: cls

@mypyc_attr(acyclic=True)
class Token:
    """One token with its offsets and the flags the rules test (a plain class: mypyc builds these fast; acyclic:
    strings, ints and flags cannot form a reference cycle, so the ~800 tokens of an article are not tracked by the
    cyclic garbage collector, whose passes they would otherwise trigger and fill)."""

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


@mypyc_attr(acyclic=True)     # holds tokens' offsets, gazetteer candidates and strings: never a cycle back to it
class Span:
    """A recognised place-name span with its gazetteer candidates and the cues seen around it (a plain class
    rather than a dataclass: mypyc compiles its constructor; a dataclass's generated __init__ stays interpreted)."""

    __slots__ = ("start", "end", "text", "key", "candidates", "metonym", "near", "feature", "comma_next",
                 "comma_places", "containers", "container_places", "authority", "site_in_town", "qualifier",
                 "namesakes", "strong_context", "loose", "town_word", "notes")

    def __init__(self, start: int, end: int, text: str, key: str, candidates: tuple["Candidate", ...],
                 metonym: bool = False, near: bool = False, feature: str | None = None,
                 comma_next: str | None = None, comma_places: tuple = (), containers: tuple[str, ...] = (),
                 container_places: tuple = (), authority: bool = False, site_in_town: bool = False,
                 qualifier: bool = False, namesakes: tuple[str, ...] = (), strong_context: bool = False,
                 loose: bool = False, town_word: bool = False, notes: list[str] | None = None) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.key = key
        self.candidates = candidates
        self.metonym = metonym
        self.near = near                        # "near X", "the X area": ACLED precision 2
        self.feature = feature                  # a following feature word: "camp", "province", "border"
        self.comma_next = comma_next            # name key of a capitalised phrase after ", " ("Paris, Texas")
        self.comma_places = comma_places        # the countries/regions that phrase names (filled by the resolver)
        self.containers = containers            # name keys of the places the text gives as its container (qualifiers)
        self.container_places = container_places    # per container, its gazetteer places (filled by the resolver)
        self.authority = authority              # authority words around it ("officials in Gaza"): the territory
        self.site_in_town = site_in_town        # a named site placed at the town the text puts it in (low confidence)
        self.qualifier = qualifier              # given as the container of the place before it ("Berlin, New Hampshire")
        self.namesakes = namesakes              # ids of small namesakes kept as candidates only because the name is a place
        self.strong_context = strong_context    # a locative preposition right before
        self.loose = loose                      # matched through the transliteration-tolerant key only
        self.town_word = town_word              # a town word after it ("Amara city"): a populated place, not a region
        self.notes: list[str] = [] if notes is None else notes

    def __repr__(self) -> str:
        return (f"Span({self.start}, {self.end}, {self.text!r}, key={self.key!r}, "
                f"candidates={len(self.candidates)}, metonym={self.metonym}, feature={self.feature!r})")


def _is_cap(text: str) -> bool:
    if not text:
        return False
    if text[0].isupper():
        return True
    m = ARTICLE_PREFIX_RE.match(text)
    return m is not None and len(text) > m.end() and text[m.end()].isupper()


def tokenize(text: str, caps: list[int] | None = None) -> list[Token]:
    """Tokens with offsets, capitalisation and sentence-start flags (computed for capitalised words only).
    ``caps``, when given, receives the indices of the capitalised tokens (so later passes skip the rest).

    The tokens are TOKEN_SCAN_RE's (:func:`scan_tokens` over the whole text gives the same list), made in one
    pass over the character codes that applies the pattern's rules (compiled: no regex engine, no match tuples).
    No token spans whitespace, and the rules read by codes hold for any piece between whitespace whose letters and
    digits are all ASCII (nearly every piece of English news: curly quotes and dashes are no letters); when a piece
    turns out to hold another letter or digit ("Ünïcode"), its tokens are made again by the pattern itself. Why:
    the pattern's per-match cost was ~15 % of a whole geoparse."""
    out: list[Token] = []
    n: i64 = len(text)
    piece: i64 = 0          # where the current piece (no whitespace) starts
    mark: i64 = 0           # len(out) at that start
    cmark: i64 = 0          # len(caps) at that start
    p: i64 = 0
    q: i64 = 0
    c: i64 = 0
    while p < n:
        c = ord(text[p])
        if c >= 128:
            ch = text[p]
            if ch.isspace():
                p += 1
                piece, mark, cmark = p, len(out), len(caps) if caps is not None else 0
                continue
            if ch.isalnum():    # a letter or digit outside ASCII: this piece goes to the pattern
                del out[mark:]
                if caps is not None:
                    del caps[cmark:]
                q = p + 1
                while q < n:
                    c = ord(text[q])
                    if c == 32 or 9 <= c <= 13 or 28 <= c <= 31 or c >= 128 and text[q].isspace():
                        break
                    q += 1
                scan_tokens(text, piece, q, out, caps)
                p = q
                continue
            q = p + 1           # any other character: a symbol of its own
            sym = text[p:q]
            out.append(Token(sym, p, q, False, False, False, False, sym.lower()))
        elif 97 <= c <= 122:
            q = p + 1
            while q < n and 97 <= ord(text[q]) <= 122:
                q += 1
            if q == n or not _joins_word(ord(text[q])):
                w = text[p:q]       # a plain lower-case word
                out.append(Token(w, p, q, False, False, True, False, w))
            else:
                q = _word_end(text, p, n)
                _add_word(text, text[p:q], p, out, caps)
        elif 65 <= c <= 90:
            q = p
            while q + 1 < n and 65 <= ord(text[q]) <= 90 and ord(text[q + 1]) == 46:
                q += 2
            if q - p < 4:           # fewer than two initials ("U.S."): a word
                q = _word_end(text, p, n)
            _add_word(text, text[p:q], p, out, caps)
        elif 48 <= c <= 57:
            q = p + 1
            while q < n and 48 <= ord(text[q]) <= 57:
                q += 1
            while q + 1 < n and (ord(text[q]) == 44 or ord(text[q]) == 46) and 48 <= ord(text[q + 1]) <= 57:
                q += 2
                while q < n and 48 <= ord(text[q]) <= 57:
                    q += 1
            num = text[p:q]
            out.append(Token(num, p, q, False, False, False, False, num))
        elif c == 32 or 9 <= c <= 13 or 28 <= c <= 31:     # ASCII whitespace (str.isspace)
            q = p + 1
            piece, mark, cmark = q, len(out), len(caps) if caps is not None else 0
        elif c == 95:
            q = p + 1               # "_": a character that is no token
        else:
            q = p + 1               # punctuation: a symbol of its own
            sym = text[p:q]
            out.append(Token(sym, p, q, False, False, False, False, sym))
        p = q
    return out


def _word_char(c: i64) -> bool:
    """An ASCII ``\\w`` character (letter, digit, underscore), by its code (a piece that holds any other letter
    or digit is left to the pattern)."""
    return 97 <= c <= 122 or 65 <= c <= 90 or 48 <= c <= 57 or c == 95


def _joins_word(c: i64) -> bool:
    """A word character or joiner: what a plain lower-case word may not run on into (TOKEN_SCAN_RE's lookahead
    ``[\\w'’‘`´\\-&]``), by its code."""
    return _word_char(c) or _joiner(c)


def _joiner(c: i64) -> bool:
    """A character that joins word parts in TOKEN_SCAN_RE (``['’‘`´\\-&]``: apostrophes, backtick, acute accent,
    hyphen, ampersand), by its code."""
    return c == 39 or c == 45 or c == 38 or c == 96 or c == 0x2019 or c == 0x2018 or c == 0xB4


def _word_end(text: str, p: i64, j: i64) -> i64:
    """End of TOKEN_SCAN_RE's word (``[^\\W\\d_]\\w*+(?:['’‘`´\\-&]++\\w++)*+``) that starts with the letter at
    ``p`` (``j``: the end of the text): word characters, then parts joined by apostrophes/hyphens."""
    q: i64 = p + 1
    r: i64 = 0
    while q < j and _word_char(ord(text[q])):
        q += 1
    while q < j and _joiner(ord(text[q])):
        r = q + 1
        while r < j and _joiner(ord(text[r])):
            r += 1
        if r == j or not _word_char(ord(text[r])):
            break       # joiners not followed by a word character end the word before them
        r += 1
        while r < j and _word_char(ord(text[r])):
            r += 1
        q = r
    return q


def scan_tokens(text: str, pos: int, endpos: int, out: list[Token], caps: list[int] | None = None) -> None:
    """Append the tokens of ``text[pos:endpos]`` to ``out`` by one ``TOKEN_SCAN_RE.findall`` (no match object per
    token): each match is (whitespace, lower-case run, word, number or symbol); the offsets are the running sum of
    the lengths. ``scan_tokens(text, 0, len(text), out)`` alone tokenises a whole text as :func:`tokenize` does."""
    found: list[tuple[str, str, str, str]] = TOKEN_SCAN_RE.findall(text, pos, endpos)
    for ws, run, s, other in found:
        pos += len(ws)
        if run:                 # plain lower-case words (one match per single-spaced run)
            start = pos
            for w in run.split(" "):
                end = start + len(w)
                out.append(Token(w, start, end, False, False, True, False, w))
                start = end + 1
            pos += len(run)
        elif s:
            _add_word(text, s, pos, out, caps)
            pos += len(s)
        elif other:             # a number or a symbol: neither a word nor capitalised
            out.append(Token(other, pos, pos + len(other), False, False, False, False, other.lower()))
            pos += len(other)
        else:
            pos += 1            # a character that is no token


def _sent_start(text: str, out: list[Token], start: int) -> bool:
    """Does a capitalised token at ``start`` open a sentence, headline line or quotation (given the tokens
    before it)?"""
    if not out:
        return True
    prev = out[-1]
    prev_text = prev.text
    return (prev_text in SENTENCE_END or text.find("\n", prev.end, start) != -1
            or (prev_text in QUOTE_CHARS and (len(out) < 2 or out[-2].text in SENTENCE_END
                                              or out[-2].text == ",")))


def glued_at(s: str) -> int:
    """Where GLUED_RE would cut ``s`` (its first match: three lower-case ASCII letters before, a capital and three
    lower-case letters after: "IraqAccording" -> 4), or -1; by character codes (no regex search per long word)."""
    run = 0                 # lower-case ASCII letters just before k
    for k in range(len(s) - 3):
        c = ord(s[k])
        if (65 <= c <= 90 and run >= 3 and 97 <= ord(s[k + 1]) <= 122 and 97 <= ord(s[k + 2]) <= 122
                and 97 <= ord(s[k + 3]) <= 122):
            return k
        run = run + 1 if 97 <= c <= 122 else 0
    return -1


def _add_word(text: str, s: str, start0: int, out: list[Token], caps: list[int] | None) -> None:
    """Append the token(s) of one word ``s`` (TOKEN_SCAN_RE's word group) found at ``start0``: glued words,
    possessives and hyphenated compounds of a capitalised word are split."""
    c0 = s[0]
    o0 = ord(c0)
    # an ASCII first letter is tested by its code (no str method call); others as before
    if ((65 <= o0 <= 90 if o0 < 128 else c0.isupper() and c0.isalpha()) and "-" not in s
            and not (len(s) > 3 and s[-1] in "sS" and s[-2] in APOSTROPHES)
            and (len(s) < 8 or glued_at(s) < 0)):
        # fast path: one plain capitalised word (what the loop below does for a single piece)
        sent = _sent_start(text, out, start0)
        if caps is not None:
            caps.append(len(out))
        # "Mosul": a lower-case ASCII second letter already rules out all capitals (no isupper() call)
        upper = len(s) >= 2 and not 97 <= ord(s[1]) <= 122 and s.isupper()
        out.append(Token(s, start0, start0 + len(s), True, upper, True, sent, s.lower()))
        return
    pieces: tuple[tuple[str, int], ...] = ((s, start0),)
    if len(s) >= 8 and c0.isupper():
        cut = glued_at(s)
        if cut >= 0:        # "IraqAccording" -> "Iraq" "According"
            pieces = ((s[:cut], start0), (s[cut:], start0 + cut))
    if len(s) > 3 and s[-1] in "sS" and s[-2] in APOSTROPHES:
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
            sent = _sent_start(text, out, start)
            if caps is not None:
                caps.append(len(out))
        out.append(Token(piece, start, start + len(piece), cap, upper, word, sent, piece.lower()))


def first_token_at(tokens: list[Token], offset: int) -> int:
    """Index of the first token that starts at or after ``offset`` (``len(tokens)`` when none does): the
    ``bisect_left`` of ``offset`` among the tokens' starts, as a loop the compiled twin runs on native reads."""
    lo, hi = 0, len(tokens)
    while lo < hi:
        mid = (lo + hi) // 2
        if tokens[mid].start < offset:
            lo = mid + 1
        else:
            hi = mid
    return lo


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
        k = first_token_at(tokens, sp.start)     # the token the span starts with
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
            if not words or len(words) > 3 or any(w not in COORD for w in words):
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


def _never_alone(tok: Token) -> bool:
    """A one-word match that is never a place on its own (not all capitals): a direction, feature,
    organisation, month/day, function word or title, or a contraction ("We're")."""
    low = tok.low
    if low.strip(APOSTROPHES) in NEVER_ALONE:
        return True
    inner = tok.text[1:-1]
    return low[-2:] in CONTRACTION_ENDS and any(a in inner for a in APOSTROPHES)


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources.
if __name__ == "geoinc.geoparser.tokens":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
