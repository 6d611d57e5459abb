"""The sentences of a text where the checker needs them, without splitting the whole text.

:func:`geoinc.text.sentence_spans` walks every cut of a text (a stop before a capital, a blank line), carrying
one piece of state: where the last sentence ended (a stop right after it may be an abbreviation, "Gen."). Some
cuts are made whatever came before: a blank line, and a stop whose spacing holds a line break ("… the base.\\n
Officials said …"). Between two such *sync* cuts (a *block*, most often a paragraph) the walk can start afresh
and gives the same sentences, so the checker splits only the blocks that hold a claim's cue or the passage
before a claim (same spans as ``sentence_spans(text)``, the same patterns and tests: tests compare the two).
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from ..text import _STOP_RE, _add_span, sentence_spans, stop_goes_on
from ..incidents.gate import occurrences
from .phrases import per_text

# what _STOP_RE allows between the stop and its spacing ("… war.” Then")
_CLOSERS = "\"”’')"


def _space_run(text: str, i: int) -> tuple[int, int]:
    """The run of whitespace around position ``i`` (a line break): (its start, its end)."""
    j, r, n = i, i + 1, len(text)
    while j > 0 and text[j - 1].isspace():
        j -= 1
    while r < n and text[r].isspace():
        r += 1
    return j, r


def sync_cut(text: str, i: int) -> tuple[int, int] | None:
    """The cut that ``sentence_spans`` makes whatever came before, at the line break ``text[i]``: (where the
    sentence before it ends, where the next may start); None when that line break makes no such cut (a wrapped
    line). A stop whose spacing holds the line break ("end.\\nNext"), else a blank line ("\\n\\n")."""
    j, r = _space_run(text, i)
    k = j
    while k > 0 and text[k - 1] in _CLOSERS:
        k -= 1
    if k > 0 and text[k - 1] in ".!?":
        m = _STOP_RE.match(text, k - 1)
        if m is not None and m.end() > i:      # the stop's spacing holds the line break: always a cut
            return k, m.end()
    first, last = text.find("\n", j, r), text.rfind("\n", j, r)
    if first != last:                            # a blank line (_BREAK_RE["blank"]: its first to its last "\n")
        return first, last + 1
    return None


def block_at(text: str, pos: int) -> tuple[int, int] | None:
    """(start, end) of the block holding ``pos``: from the end of the sync cut before it to the start of the one
    after it (the text's start and end else); None when ``pos`` lies inside a sync cut (its spacing)."""
    start = 0
    i = text.rfind("\n", 0, pos)
    while i >= 0:
        cut = sync_cut(text, i)
        if cut is not None:
            if cut[1] > pos:
                return None
            start = cut[1]
            break
        i = text.rfind("\n", 0, _space_run(text, i)[0])
    end = len(text)
    i = text.find("\n", pos)
    while i >= 0:
        cut = sync_cut(text, i)
        if cut is not None:
            if cut[0] <= pos:
                return None
            end = cut[0]
            break
        i = text.find("\n", _space_run(text, i)[1])
    return start, end


_STOP_CHARS = (".", "!", "?")         # every match of _STOP_RE starts with one of them


def _stops(text: str, start: int, stop: int) -> list[re.Match[str]]:
    """The matches of ``_STOP_RE.finditer(text, start)`` that start before ``stop``, tried only at the stop
    characters (found by string search) instead of the pattern visiting every character; a stop inside the match
    before it is skipped, as finditer does."""
    found = occurrences(text, start, stop, _STOP_CHARS)
    out: list[re.Match[str]] = []
    last = start
    for i in found:
        if i < last:
            continue
        m = _STOP_RE.match(text, i)
        if m is not None:
            out.append(m)
            last = m.end()
    return out


@per_text(maxsize=1024)
def block_sentences(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """The sentences of the block text[start:end], as ``sentence_spans(text)`` gives them (its walk, begun at
    the block's start: inside a block every cut is a stop without a line break)."""
    out: list[tuple[int, int]] = []
    pos = start
    for m in _stops(text, start, end - 1):
        s, e = m.start() + 1, m.end()
        if s < pos or stop_goes_on(text, pos, s, e):
            continue
        _add_span(out, text, pos, s)
        pos = e
    _add_span(out, text, pos, end)
    return tuple(out)


def sentence_index(text: str, pos: int) -> tuple[tuple[int, int], tuple[tuple[int, int], ...], int] | None:
    """The block holding ``pos``, its sentences and the index of the one holding ``pos`` (start <= pos < end);
    None when no sentence holds ``pos``."""
    block = block_at(text, pos)
    if block is None:
        return None
    spans = block_sentences(text, block[0], block[1])
    i = bisect.bisect_right(spans, (pos, len(text) + 1)) - 1
    if i < 0 or pos >= spans[i][1]:
        return None
    return block, spans, i


def sentences_back(text: str, pos: int) -> Iterator[tuple[int, int]] | None:
    """The sentence holding ``pos``, then those before it, nearest first, as ``sentence_spans(text)`` gives them
    (the blocks before are split as the walk reaches them: a caller that stops early splits nothing more); None
    when no sentence holds ``pos``."""
    found = sentence_index(text, pos)
    if found is None:
        return None
    return _walk_back(text, *found)


def _walk_back(text: str, block: tuple[int, int], spans: tuple[tuple[int, int], ...], i: int) -> Iterator[tuple[int, int]]:
    last: tuple[int, int] | None = None
    while True:
        for k in range(i, -1, -1):
            last = spans[k]
            yield last
        if block[0] == 0:
            return
        # the block before ends where the sync cut that opens this one starts
        cut = _cut_ending_at(text, block[0])
        if cut is not None and cut[0] == 0:
            return
        prev = block_at(text, cut[0] - 1) if cut is not None else None
        if cut is None or prev is None or prev[1] != cut[0]:
            break                                    # not told apart here: the rest from the whole text's split
        block, spans = prev, block_sentences(text, prev[0], prev[1])
        i = len(spans) - 1
    whole = sentence_spans(text)
    k = whole.index(last) - 1 if last is not None else len(whole) - 1
    while k >= 0:
        yield whole[k]
        k -= 1


def sentences_up_to(text: str, pos: int, before: int) -> list[tuple[int, int]] | None:
    """The sentence holding ``pos`` and the ``before`` sentences before it (fewer at the text's start), nearest
    first (:func:`sentences_back`); None when no sentence holds ``pos``."""
    back = sentences_back(text, pos)
    return None if back is None else [span for _, span in zip(range(before + 1), back)]


def _cut_ending_at(text: str, block_start: int) -> tuple[int, int] | None:
    """The sync cut that ends where a block starts (None when there is none)."""
    i = text.rfind("\n", 0, block_start)
    if i < 0:
        return None
    cut = sync_cut(text, i)
    return cut if cut is not None and cut[1] == block_start else None


__all__ = ["sync_cut", "block_at", "block_sentences", "sentence_index", "sentences_back", "sentences_up_to"]


# The mypyc-compiled twin of this module replaces the names above when it was built from these very sources
# (geoinc/native.py).
if __name__ == "geoinc.claims.sentences":
    from ..native import adopt_twin

    NATIVE = adopt_twin(globals())
