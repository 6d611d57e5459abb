"""A cheap pre-check for the lexicon's regular expressions: the literal words a pattern cannot match without.

``literal_gate(r"drone[- ]?strikes?|air raids?")`` is ``("drone", "air raid")``: a sentence containing none of
them (case-folded) cannot match, so the pattern is not run on it. A pattern with an alternative that does not
start with a literal (``\\w+ attacked``) gets no gate (None) and always runs. Pure and exact: a gate never
hides a match, it only saves the regex engine a scan of sentences that cannot match.
"""
from __future__ import annotations

import re

_META = set("()[]{}?*+|\\.^$")
_DIGITS = "0123456789"


def _skip_atom(p: str, i: int) -> int:
    """Index just after an escape or a character class starting at p[i] (their brackets and bars are
    literal), or 0 when p[i] starts neither."""
    if p[i] == "\\":
        return i + 2
    if p[i] == "[":
        j = i + 1
        while j < len(p) and p[j] != "]":
            j += 2 if p[j] == "\\" else 1
        return j + 1
    return 0


def _split_top(p: str) -> list[str]:
    """The top-level alternatives of a pattern."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(p):
        c = p[i]
        skip = _skip_atom(p, i)
        if skip:
            i = skip
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(p[start:i])
            start = i + 1
        i += 1
    out.append(p[start:])
    return out


def _group_end(p: str, i: int) -> int:
    """Index just after the group opening at p[i] == '('."""
    depth = 0
    while i < len(p):
        c = p[i]
        skip = _skip_atom(p, i)
        if skip:
            i = skip
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(p)


def _prefixes(alt: str) -> set[str] | None:
    """Literal prefixes one alternative must start with (None: it can start with anything)."""
    if alt.startswith("\\b"):
        alt = alt[2:]
    if alt.startswith("(?<") or alt.startswith("(?="):     # a look-around: not part of the match
        end = _group_end(alt, 0)
        return _prefixes(alt[end:])
    if alt.startswith("("):
        end = _group_end(alt, 0)
        optional = end < len(alt) and alt[end] in "?*"
        if end < len(alt) and alt[end] == "{":
            return None
        inner = alt[1:end - 1]
        for head in ("?:", "?-i:", "?i:", "?P<"):
            if inner.startswith(head):
                inner = inner[len(head):] if head != "?P<" else inner[inner.index(">") + 1:]
                break
        outs: set[str] = set()
        for a in _split_top(inner):
            got = _prefixes(a)
            if got is None:
                return None
            outs |= got
        if optional:                                       # "(?:land ?)?mines?": the group or what follows
            rest = alt[end + 1:]
            if rest.startswith("?"):
                rest = rest[1:]
            got = _prefixes(rest)
            if got is None:
                return None
            outs |= got
        return outs
    if alt.startswith("\\d"):
        return set(_DIGITS)                               # "\d[\d,]*": an ASCII digit (others: _odd_chars)
    lit = []
    i = 0
    while i < len(alt):
        if alt[i] == "\\" and i + 1 < len(alt) and not alt[i + 1].isalnum():
            lit.append(alt[i + 1])                         # "U\.S\.": an escaped punctuation mark is literal
            i += 2
            continue
        if alt[i] == "(" and lit and not alt.startswith(("(?=", "(?!", "(?<"), i):
            # "t(?:wo|hree)": the literal, then each prefix of the group (or of what follows an optional group)
            got = _prefixes(alt[i:])
            if got is None:
                break
            word = "".join(lit).lower()
            return {word + g for g in got}
        if alt[i] in _META:
            break
        lit.append(alt[i])
        i += 1
    if i < len(alt) and alt[i] in "?*{" and lit:
        lit.pop()                                          # "attacks?": the s is optional
    word = "".join(lit).lower()
    return {word} if word else None


# how a gate literal ends (word_gate): a letter may follow it ("attack" of "attacks?"), a character that is no ASCII
# letter or digit must follow it ("killed" of "killed\\s+"), or its alternative ends there (what follows decides)
_PREFIX, _WHOLE, _OPEN = 0, 1, 2
_MAX_READINGS = 64            # literals one alternative may expand to (optional letters read both ways)
# the openings of what follows a literal that cannot continue its word: whitespace, a word boundary, punctuation
_BOUNDARY = ("\\s", "\\b", "\\W", " ", ",", "\\.", "-", "\\-", "'", "’")


def _boundary_next(rest: str) -> bool:
    """True when ``rest`` (the pattern after a literal) must start with a character that ends a word."""
    for b in _BOUNDARY:
        if rest.startswith(b):
            return rest[len(b):len(b) + 1] not in ("?", "*", "{")
    return False


def _settle(kind: int, rest: str) -> int:
    """The ending of a literal that ended its alternative, by what follows the group ("(?:a|an)\\s+": whole)."""
    if kind != _OPEN:
        return kind
    if not rest:
        return _OPEN
    return _WHOLE if _boundary_next(rest) else _PREFIX


def _heads(alt: str) -> set[tuple[str, int]] | None:
    """:func:`_prefixes` with how each literal ends (_PREFIX, _WHOLE or _OPEN): the same literals, read the same way."""
    if alt.startswith("\\b"):
        alt = alt[2:]
    if alt.startswith("(?<") or alt.startswith("(?="):
        return _heads(alt[_group_end(alt, 0):])
    if alt.startswith("("):
        end = _group_end(alt, 0)
        optional = end < len(alt) and alt[end] in "?*"
        if end < len(alt) and alt[end] == "{":
            return None
        inner = alt[1:end - 1]
        for head in ("?:", "?-i:", "?i:", "?P<"):
            if inner.startswith(head):
                inner = inner[len(head):] if head != "?P<" else inner[inner.index(">") + 1:]
                break
        rest = alt[end:]
        if optional:
            rest = rest[1:]
            if rest.startswith("?"):
                rest = rest[1:]
        outs: set[tuple[str, int]] = set()
        readings: list[set[tuple[str, int]]] = []
        for a in _split_top(inner):
            got = _heads(a)
            if got is None:
                return None
            readings.append(got)
        # a group's literal that is the whole of its alternative (_OPEN: "the " of "(?:the )?(?:army|police)") goes on
        # with the literals of what follows it ("the army", "the police"), when there are not too many: the scanner
        # then tries the row at "the" only where one of them follows (never at "the town")
        after = _heads(rest) if rest else None
        whole = sum(1 for got in readings for _, k in got if k == _OPEN)
        joined = after is not None and whole * len(after) <= _MAX_READINGS
        for got in readings:
            for w, k in got:
                if k == _OPEN and joined and after is not None:
                    outs |= {(w + w2, k2) for w2, k2 in after}
                else:
                    outs.add((w, _settle(k, rest)))
        if optional:
            got = _heads(rest)
            if got is None:
                return None
            outs |= got
        return outs
    if alt.startswith("\\d"):
        return {(d, _PREFIX) for d in _DIGITS}
    lit = []
    i = 0
    while i < len(alt):
        if alt[i] == "\\" and i + 1 < len(alt) and not alt[i + 1].isalnum():
            lit.append(alt[i + 1])
            i += 2
            continue
        if alt[i] == "(" and lit and not alt.startswith(("(?=", "(?!", "(?<"), i):
            got = _heads(alt[i:])
            if got is None:
                break
            word = "".join(lit).lower()
            return {(word + g, k) for g, k in got}
        if alt[i] in _META:
            break
        if alt[i + 1:i + 2] == "?" and alt[i + 2:i + 3] not in ("?", "+"):
            # "an? offensive", "attacks?": both readings, with and without the optional letter ("a offensive", "an
            # offensive"), so that each is read as a whole word where it is one (few: else as before)
            head = "".join(re.escape(c) for c in lit)
            both = _heads(head + alt[i] + alt[i + 2:])
            without = _heads(head + alt[i + 2:]) if head or alt[i + 2:] else None
            if both is not None and without is not None and len(both) + len(without) <= _MAX_READINGS:
                return both | without
            break
        lit.append(alt[i])
        i += 1
    kind = _OPEN if i == len(alt) else (_WHOLE if _boundary_next(alt[i:]) else _PREFIX)
    if i < len(alt) and alt[i] in "?*{" and lit:
        lit.pop()
        kind = _PREFIX
    word = "".join(lit).lower()
    return {(word, kind)} if word else None


def word_gate(pattern: str) -> tuple[tuple[str, bool], ...] | None:
    """:func:`literal_gate` with, for each literal, whether it is a whole word: True when the character after it in
    every match is no ASCII letter or digit ("\\b(?:a|an)\\s+\\w+ killed": "a" and "an" are whole, so a
    :class:`Scanner` need not try the pattern at "attack" or "american"). None when there is no gate."""
    outs: set[tuple[str, int]] = set()
    for alt in _split_top(pattern):
        got = _heads(alt)
        if got is None:
            return None
        outs |= got
    return tuple(sorted((w, k == _WHOLE) for w, k in outs))


def factor_alternation(pattern: str, ignorecase: bool = True) -> str:
    """The same alternation (``a|b|c``) as a non-capturing group whose alternatives are grouped by their first
    letter: "kill\\w*|dead|died" -> "(?:k(?:ill\\w*)|d(?:ead|ied))". The regex engine then tries one branch per
    letter at each position instead of every word of a long list. Exact: alternatives that start with different
    ASCII letters or digits never match at the same position, the order of those that share a letter is kept,
    and an alternative that does not start with a plain letter (a group, an escape, a letter with a quantifier)
    stays in place as a barrier between the letter runs around it."""
    out: list[str] = []
    run: dict[str, list[str]] = {}

    def flush() -> None:
        for first, rests in run.items():
            out.append(first + "(?:" + "|".join(rests) + ")" if len(rests) > 1 or rests[0] else first)
        run.clear()

    for alt in _split_top(pattern):
        c = alt[:1]
        if c.isascii() and c.isalnum() and alt[1:2] not in ("?", "*", "+", "{"):
            key = c.lower() if ignorecase else c
            run.setdefault(key, []).append(alt[1:])
        else:
            flush()
            out.append(alt)
    flush()
    return "(?:" + "|".join(out) + ")"


def literal_gate(pattern: str) -> tuple[str, ...] | None:
    """Lower-case literals of which a match must contain one, or None when the pattern has no such gate."""
    outs: set[str] = set()
    for alt in _split_top(pattern):
        got = _prefixes(alt)
        if got is None:
            return None
        outs |= got
    return tuple(sorted(outs))


_WORD = re.compile(r"[a-z0-9]+")
# the non-ASCII letters that re.IGNORECASE matches to ASCII letters but str.lower() does not lower to them
_ODD_FOLD = re.compile("[\u0130\u0131\u017f\u212a]")


_NON_ASCII = re.compile("[^\x00-\x7f]+")
_ODD_LETTERS = frozenset("\u0130\u0131\u017f\u212a")
# the ranges every odd character lies in (the four letters above and every decimal digit that is not ASCII): Latin-1
# and the general punctuation block, where news text's accents, typographic quotes and dashes are, hold none of them.
# A text without a character of these ranges is not odd: one scan of the regex engine's charset loop tells (tests
# check every code point), and only the others are read character by character
_MAYBE_ODD = re.compile("[\u0100-\u1fff\u2070-\U0010ffff]")
# the last three texts asked and their answers, newest first (a sentence, its masked copy for counts and a cue's
# text are asked in turn: one remembered text was asked again ~2.3 times per sentence)
_ODD_LAST: tuple[str, bool, str, bool, str, bool] = ("", False, "", False, "", False)


def _odd_chars(text: str) -> bool:
    """True when ``text`` holds a character that an ASCII gate cannot speak for: one of the letters re.I folds
    to an ASCII letter (:data:`_ODD_FOLD`), or a digit ``\\d`` matches that is no ASCII digit ("\u0663").
    (Only its few non-ASCII characters are looked at; the answer is remembered for the last three texts asked.)"""
    global _ODD_LAST
    if text.isascii():
        return False
    last = _ODD_LAST
    if last[0] is text:
        return last[1]
    if last[2] is text:
        return last[3]
    if last[4] is text:
        return last[5]
    # ("Kyiv’s", "café", "Nabatieh — a town": no character that can be odd)
    odd = _MAYBE_ODD.search(text) is not None and any(
        c in _ODD_LETTERS or c.isdecimal() for c in "".join(_NON_ASCII.findall(text)))
    _ODD_LAST = (text, odd, last[0], last[1], last[2], last[3])
    return odd


def folds_specially(text: str) -> bool:
    """True when ``text`` holds one of the letters re.IGNORECASE matches to an ASCII letter that str.lower() does
    not lower to it (:data:`_ODD_FOLD`): a gate on its lower-cased words cannot speak for such a text."""
    return not text.isascii() and _folds(text)


def _folds(text: str) -> bool:
    """Whether ``text`` holds a letter of :data:`_ODD_FOLD` (four look-ups of one character: quicker than a scan of
    the regex engine, which tests each character of the text against the class)."""
    return "\u0130" in text or "\u0131" in text or "\u017f" in text or "\u212a" in text


# the last text lower-cased and the last text split into words, each with its text (one tuple: a thread reads a
# consistent pair): the rule tables read one sentence after another, so each sentence is lowered and split once
_LOWERED: tuple[str, str] = ("", "")
_SPLIT: tuple[str, list[str], str, list[str]] = ("", [""], "", [""])     # the last two texts split, newest first
# the last two texts asked, newest first, each with folds_specially and _odd_chars
_SPECIAL: tuple[str, bool, bool, str, bool, bool] = ("", False, False, "", False, False)


def lowered(text: str) -> str:
    """``text.lower()`` with each character that is not ASCII written "?", remembered for the last text asked
    (every gate of a sentence lowers the same string). The gates look in it for ASCII words only, which are
    found where they are in ``text.lower()`` (a "?" never completes one): the same answers, but a search of an
    all-ASCII string is quicker (typographic quotes make a sentence a wider string). Positions are those of
    ``text.lower()``."""
    global _LOWERED
    last = _LOWERED
    if last[0] is text:
        return last[1]
    low = text.lower()
    if not low.isascii():
        low = low.encode("ascii", "replace").decode("ascii")
    _LOWERED = (text, low)
    return low


def _special(text: str) -> tuple[bool, bool]:
    """(:func:`folds_specially`, :func:`_odd_chars`) of a text that is not ASCII, remembered for the last two (a
    sentence and a slice of it are asked in turn). A text without a character of :data:`_MAYBE_ODD` has neither."""
    global _SPECIAL
    last = _SPECIAL
    if last[0] is text:
        return last[1], last[2]
    if last[3] is text:
        return last[4], last[5]
    if _MAYBE_ODD.search(text) is None:
        folds, odd = False, False
    else:
        folds, odd = _folds(text), _odd_chars(text)
    _SPECIAL = (text, folds, odd, last[0], last[1], last[2])
    return folds, odd


def occurrences(text: str, start: int, end: int, words: "tuple[str, ...]") -> list[int]:
    """The offsets of every occurrence of each of ``words`` in ``text[start:end]``, ascending (string searches:
    the place rules look for their few literal words this way instead of a pattern tried at every character)."""
    out: list[int] = []
    for w in words:
        i = text.find(w, start, end)
        while i >= 0:
            out.append(i)
            i = text.find(w, i + 1, end)
    out.sort()
    return out


def split_words(text: str) -> list[str]:
    """``text`` cut at each character that is no ASCII letter or digit: its ASCII words (runs of [A-Za-z0-9]) and an
    empty string for each further such character ("Iran’s  base" -> ["Iran", "s", "", "base"]), so that each piece
    starts at the sum of the lengths of the pieces before it plus their number ("Iran" at 0, "s" at 5, "base" at 8).
    Remembered for the last two texts asked (the trigger, actor and date tables scan the same sentence, the count
    tables its masked copy in between). The list is shared: read it only. (One pass of the bytes codec and
    table instead of a regex match per word: every character not ASCII is "?", then every "?" and other separator a
    space, and str.split(" ") cuts there.)"""
    global _SPLIT
    last = _SPLIT
    if last[0] is text:
        return last[1]
    if last[2] is text:
        _SPLIT = (text, last[3], last[0], last[1])
        return last[3]
    parts = text.encode("ascii", "replace").translate(_SEPARATORS_AS_SPACES).decode("ascii").split(" ")
    _SPLIT = (text, parts, last[0], last[1])
    return parts


def may_contain(text: str, words: "tuple[str, ...]", low: str | None = None) -> bool:
    """False only when no case-insensitive regex needing one of the lower-case ``words`` can match ``text``:
    none of them is in the lower-cased text (exact also for the four letters re.I folds specially, and for
    the digits of other scripts where a word is an ASCII digit)."""
    low = lowered(text) if low is None else low
    if any(w in low for w in words):
        return True
    if text.isascii():
        return False
    folds, odd = _special(text)
    return folds or (odd and any(w[:1] in _DIGITS for w in words))


def may_contain_part(part: str, whole: str, words: "tuple[str, ...]") -> bool:
    """:func:`may_contain` of ``part`` (lowered here), a slice of ``whole`` (a look-back of a sentence): the same
    answer. When none of ``words`` is in it, a part that is not ASCII is read for the characters a gate cannot speak
    for only when ``whole`` holds one (a slice holds no character its text does not; the text's answer is
    remembered while its slices are asked in turn)."""
    low = part.lower()
    if any(w in low for w in words):
        return True
    if part.isascii():
        return False
    folds, odd = _special(whole)
    if not (folds or odd):
        return False
    return may_contain(part, words, low)


class Gated:
    """A compiled pattern that is run only when the text may hold one of its literal words (:func:`may_contain`):
    ``search``/``finditer`` give exactly the pattern's results, and skip the regex engine on the many sentences
    that lack every word a match needs. ``words`` (lower-case) are the pattern's :func:`literal_gate` unless
    given; given words must be such that every match contains one of them (its example says which part).
    The answer for the last text asked is remembered (the same sentence is asked again by the next rule that
    needs it: the status and the actors both ask whether a group claimed the attack); ``finditer``'s list is
    shared: read it only."""

    __slots__ = ("pattern", "words", "_by_words", "_searched", "_found")

    def __init__(self, pattern: "re.Pattern[str]", words: "tuple[str, ...] | None" = None) -> None:
        self.pattern = pattern
        self.words = words if words is not None else literal_gate(pattern.pattern)
        self._by_words = WordPattern(pattern)      # (a sentence that passes the gate: searched by its words)
        self._searched: "tuple[str, re.Match[str] | None]" = ("", None)    # (text, its first match)
        self._found: "tuple[str, list[re.Match[str]]]" = ("", [])          # (text, all its matches)

    def search(self, text: str) -> "re.Match[str] | None":
        last = self._searched
        if last[0] is text:
            return last[1]
        if self.words is not None and not may_contain(text, self.words):
            m = None
        else:
            m = self._by_words.search(text)
        self._searched = (text, m)
        return m

    def finditer(self, text: str) -> "list[re.Match[str]]":
        last = self._found
        if last[0] is text:
            return last[1]
        if self.words is not None and not may_contain(text, self.words):
            found: "list[re.Match[str]]" = []
        else:
            found = self._by_words.finditer(text)
        self._found = (text, found)
        return found


# bytes -> the same byte for an ASCII letter or digit, else a space (split_words)
_SEPARATORS_AS_SPACES = bytes(c if 48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122 else 32 for c in range(256))
_CACHE_WORDS = 200_000          # distinct words remembered per scanner (a bound on memory, not on correctness)


class Scanner:
    """Runs a table of word-initial patterns over a text by its words: a row's pattern is tried (anchored) only
    where a word starts with one of its gate's leading letters, instead of being scanned over the whole text.
    Rows without a gate are scanned as usual. The same matches as ``finditer`` row by row."""

    def __init__(self, patterns: "list[re.Pattern[str]]", gates: "list[tuple[str, ...] | None]") -> None:
        self.patterns = patterns
        self._by_prefix: dict[str, list[int]] = {}
        # words a row is tried at only when the word IS the literal's head: the head of "refugee camp" or of a
        # whole-word literal (word_gate: "a" in "(?:a|an)\s+") is tried at "refugee"/"a", not at "refugees"/"attack"
        self._exact: dict[str, list[int]] = {}
        self._ungated: list[int] = []
        literals = [_literals(p.pattern, gate) for p, gate in zip(patterns, gates)]
        for i, lits in enumerate(literals):
            heads = [_WORD.match(g) for g, _ in lits] if lits is not None else [None]
            if any(h is None for h in heads):
                self._ungated.append(i)
                continue
            for (g, whole), h in zip(lits or (), heads):
                head = h.group(0) if h is not None else ""
                table = self._exact if len(head) < len(g) or whole else self._by_prefix
                rows = table.setdefault(head, [])
                if not rows or rows[-1] != i:
                    rows.append(i)
        # buckets by a word's first three letters: (prefix, rows) to test with startswith; shorter prefixes apart
        self._buckets: dict[str, list[tuple[str, list[int]]]] = {}
        self._short: dict[str, list[int]] = {}
        for prefix, rows in self._by_prefix.items():
            if len(prefix) < 3:
                self._short[prefix] = rows
            else:
                self._buckets.setdefault(prefix[:3], []).append((prefix, rows))
        # (row, head) -> the row's literals with that head, when every one is longer than the head ("in custody",
        # "the army"): the row is tried at the word "in" only where the lower-cased text goes on with one of them
        self._longer: dict[tuple[int, str], tuple[str, ...]] = {}
        for i, lits in enumerate(literals):
            if i in self._ungated or lits is None:
                continue
            by_head: dict[str, list[str]] = {}
            for g, _ in lits:
                h = _WORD.match(g)
                if h is not None:
                    by_head.setdefault(h.group(0), []).append(g)
            for head, longer in by_head.items():
                if i in self._exact.get(head, ()) and all(len(g) > len(head) and g.isascii() for g in longer):
                    self._longer[(i, head)] = tuple(longer)
        self._cache: dict[str, tuple[tuple[int, tuple[str, ...]], ...]] = {}   # word as written -> _tries_at(word)

    def rows_of(self, word: str) -> tuple[int, ...]:
        """The rows to try where ``word`` starts: rows whose gate prefix the lower-cased word starts with, or
        whose whole-word literal (or the head of a longer literal) it is."""
        return tuple(r for r, _ in self._tries_at(word))

    def _tries_at(self, word: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
        """(row, literals the text must go on with there, or () when the word says enough) for each row of
        :meth:`rows_of`, computed once per distinct word: the vocabulary of news text is small (cache hits)."""
        hit = self._cache.get(word)
        if hit is None:
            low = word.lower()
            found: set[int] = set()
            for key in (low[:1], low[:2]):
                found.update(self._short.get(key, ()))
            for prefix, bucket_rows in self._buckets.get(low[:3], ()):
                if low.startswith(prefix):
                    found.update(bucket_rows)
            exact = set(self._exact.get(low, ())) - found
            hit = tuple((r, self._longer.get((r, low), ()) if r in exact else ()) for r in sorted(found | exact))
            if len(self._cache) < _CACHE_WORDS:
                self._cache[word] = hit
        return hit

    def search(self, text: str, row: int = 0) -> "re.Match[str] | None":
        """The first match of one row (``patterns[row].search(text)``), tried only at the words where a match can
        start: the word walk of :meth:`scan` for that row, stopped at its first match (positions ascend)."""
        pattern = self.patterns[row]
        if row in self._ungated:
            return pattern.search(text)
        if _odd_chars(text):     # (as in scan: such texts are searched as a whole)
            for found in pattern.finditer(text):
                if found.end() > found.start():
                    return found
            return None
        low = ""
        pos = 0
        for word in split_words(text):
            if word:
                hit = self._cache.get(word)
                if hit is None:
                    hit = self._tries_at(word)
                for r, lits in hit:
                    if r != row:
                        continue
                    if lits:
                        if not low:
                            low = lowered(text)
                        if not low.startswith(lits, pos):
                            continue
                    m = pattern.match(text, pos)
                    if m and m.end() > m.start():
                        return m
            pos += len(word) + 1
        return None

    def starts(self, text: str) -> "list[int] | None":
        """The offsets (ascending) at which :meth:`scan` would try a row of this table: no match of a row starts
        anywhere else, in ``text`` or in a slice of it that keeps the characters before such a start. None for a text
        that :meth:`scan` reads row by row (gate._odd_chars) and for a table with a row without a gate."""
        if self._ungated or _odd_chars(text):
            return None
        out: list[int] = []
        for _r, pos in self._tries(text):
            if not out or out[-1] != pos:
                out.append(pos)
        return out

    def _tries(self, text: str, only: "set[int] | None" = None) -> list[tuple[int, int]]:
        """(row, offset) of every place the word walk tries a row (of the rows in ``only``, when given), by
        offset: at each word where the row's gate can start (:meth:`_tries_at`), unless the row needs a longer
        literal the lower-cased text does not go on with there. For a text without odd characters (scan)."""
        # the words and the empty pieces of split_words: a piece's offset is the sum of the lengths of the pieces
        # before it plus their number (cheaper than a match object per word)
        tries: list[tuple[int, int]] = []
        low = ""                  # the text lower-cased (no letter of it changes length: no "İ", an odd letter)
        pos = 0
        for word in split_words(text):
            if word:
                hit = self._cache.get(word)     # (a native dict look-up when compiled: no bound method)
                if hit is None:
                    hit = self._tries_at(word)
                for r, lits in hit:
                    if only is not None and r not in only:
                        continue
                    if lits:
                        if not low:
                            low = lowered(text)
                        if not low.startswith(lits, pos):     # (one call for the tuple of literals)
                            continue      # "in" not followed by "custody": the row cannot match here
                    tries.append((r, pos))
            pos += len(word) + 1
        return tries

    def matches(self, text: str) -> list[tuple[int, int, int]]:
        """(row, start, end) of every match, by row then position."""
        return [(r, m.start(), m.end()) for r, m in self.scan(text)]

    def scan(self, text: str, only: "set[int] | None" = None) -> "list[tuple[int, re.Match[str]]]":
        """(row, match) of every match, by row then position: ``finditer`` of each row in turn (of the rows in
        ``only``, when given)."""
        patterns = self.patterns
        if _odd_chars(text):     # (its words are ASCII: an odd character is in a separator)
            # "ſhelled", "\u212aurdish", "\u0663 killed": letters re.IGNORECASE matches to ASCII ones, or digits \d
            # matches, that are no ASCII word characters (the words are ASCII: every other character is in a
            # separator); such (rare) texts are scanned row by row so that no match is lost
            return [(r, m) for r, p in enumerate(patterns) if only is None or r in only for m in p.finditer(text)
                    if m.end() > m.start() or r in self._ungated]
        tries = self._tries(text, only)
        out: list[tuple[int, re.Match[str]]] = []
        row, reach = -1, 0
        for r, pos in sorted(tries):
            if r != row:
                row, reach = r, 0
            if pos < reach:
                continue          # inside this row's previous match, as finditer would skip it
            m = patterns[r].match(text, pos)
            if m and m.end() > m.start():
                out.append((r, m))
                reach = m.end()
        ungated = [r for r in self._ungated if only is None or r in only]
        if ungated:
            for r in ungated:
                out.extend((r, m) for m in patterns[r].finditer(text))
            out.sort(key=_row_start)
        return out


_CAPITAL_OPENING = re.compile(r"(?:\(\?P<\w+>)?\[A-Z\]\(\?<!\\w\[A-Z\]\)")


def word_initial(pattern: str) -> bool:
    """True when every match of ``pattern`` opens a word: each top-level alternative starts with ``\\b`` and the
    pattern has a :func:`literal_gate` (a literal opens every alternative). Such a pattern can be tried at the
    words of a text only (:class:`WordPattern`)."""
    return all(alt.startswith("\\b") for alt in _split_top(pattern)) and literal_gate(pattern) is not None


class WordPattern:
    """A compiled pattern run by the words of a text: when every match opens a word (:func:`word_initial`:
    "\\b(?:kill\\w*|dead|...)\\b"), ``search`` and ``finditer`` try it (anchored) only at the words that start as
    a match must start (a one-row :class:`Scanner`), instead of at every position of the text; a pattern of
    another shape runs as usual. The same results as the pattern's own ``search`` and ``finditer`` (a list)."""

    __slots__ = ("pattern", "_scanner", "_capital")

    def __init__(self, pattern: "re.Pattern[str]") -> None:
        self.pattern = pattern
        self._scanner = (Scanner([pattern], [literal_gate(pattern.pattern)]) if word_initial(pattern.pattern)
                         else None)
        # a case-sensitive pattern opening with a capital that starts a word ("[A-Z](?<!\\w[A-Z])", the "Russian" of
        # "Russian forces"): tried at the words that open with a capital
        self._capital = (self._scanner is None and not pattern.flags & re.IGNORECASE
                         and len(_split_top(pattern.pattern)) == 1
                         and _CAPITAL_OPENING.match(pattern.pattern) is not None)

    def search(self, text: str) -> "re.Match[str] | None":
        scanner = self._scanner
        if scanner is not None:
            return scanner.search(text)
        if self._capital:
            found = self._at_capitals(text, True)
            return found[0] if found else None
        return self.pattern.search(text)

    def finditer(self, text: str) -> "list[re.Match[str]]":
        scanner = self._scanner
        if scanner is not None:
            return [m for _, m in scanner.scan(text)]
        if self._capital:
            return self._at_capitals(text, False)
        return list(self.pattern.finditer(text))

    def _at_capitals(self, text: str, first: bool) -> "list[re.Match[str]]":
        """The matches of a capital-opening pattern, tried at each word of the text that opens with A-Z: a match
        opens with a capital that no word character precedes, so its capital opens an ASCII word of
        :func:`split_words`; after a match the next is looked for past its end, as finditer does."""
        pattern = self.pattern
        out: "list[re.Match[str]]" = []
        reach = 0
        pos = 0
        for word in split_words(text):
            if word and pos >= reach and "A" <= word[0] <= "Z":
                m = pattern.match(text, pos)
                if m is not None and m.end() > m.start():
                    out.append(m)
                    if first:
                        return out
                    reach = m.end()
            pos += len(word) + 1
        return out


def _literals(pattern: str, gate: "tuple[str, ...] | None") -> "list[tuple[str, bool]] | None":
    """(literal, whole word) of a row: its :func:`word_gate` (finer: "an? " reads "a " and "an ") when the row's
    gate is the pattern's own :func:`literal_gate`, else the gate as given (a gate given by hand: prefixes);
    a literal read both ways counts as a prefix."""
    if gate is None:
        return None
    got = word_gate(pattern) if gate == literal_gate(pattern) else None
    if got is None:
        return [(g, False) for g in gate]
    prefixes = {w for w, whole in got if not whole}
    return [(w, w not in prefixes) for w in dict.fromkeys(w for w, _ in got)]


def _row_start(hit: "tuple[int, re.Match[str]]") -> tuple[int, int]:
    return hit[0], hit[1].start()


__all__ = ["factor_alternation", "folds_specially", "literal_gate", "lowered", "may_contain", "may_contain_part",
           "split_words", "word_gate",
           "word_initial", "WordPattern",
           "Gated", "Scanner"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.incidents.gate":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
