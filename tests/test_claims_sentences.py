"""The checker's local sentence split (geoinc.claims.sentences) gives sentence_spans' sentences, block by block."""
from __future__ import annotations

import bisect
import json

import pytest

from geoinc.claims import sentences
from geoinc.text import sentence_spans

# team-written texts with what makes the walk carry state: abbreviations right after a cut ("Gen."), closing
# quotes and brackets before the spacing, blank lines with spaces in them, wrapped lines, a text without stops
TEXTS = [
    "Zarqa lies north-east of Amman. Gen. Smith said so.\nOfficials agreed. Mr. Jones did not.\n\nA new paragraph.",
    "The base is 20 km away.”\nThe town (near Irbid.)\n \n\t\n Dr. Who. St. Louis is far. U.S. troops left.\nend",
    "A wrapped\nline stays one sentence. Another one!\nAnd a question?\n\n\nThree blank lines above.",
    "No stop at all, just words\nand a wrapped line",
    "Ends with a stop.\n",
    "  \n\n  Leading space. Then Gen.\nSmith. e.g. this.\nApr. 3 came. Sept. 4 too.\n\nNo. 5 is here.",
    "\"Quoted.\" Next. 'Single.' Next (bracket.) Next.\n\n\"Opening quote\" starts this one.",
    "",
    "x",
    "The attack began at 10 p.m. Sunday near Mosul. He left at 6 a.m. The next day was calm. At 3 P.M. GMT it ended.",
]


def _by_position(text: str) -> list[tuple[int, tuple[int, int] | None]]:
    """For every position of text: the sentence_spans sentence holding it (start <= pos < end), or None."""
    spans = sentence_spans(text)
    starts = [s for s, _ in spans]
    out = []
    for pos in range(len(text)):
        i = bisect.bisect_right(starts, pos) - 1
        out.append((pos, spans[i] if i >= 0 and pos < spans[i][1] else None))
    return out


@pytest.mark.parametrize("text", TEXTS)
def test_every_position_finds_the_sentence_that_sentence_spans_gives(text):
    for pos, want in _by_position(text):
        found = sentences.sentence_index(text, pos)
        assert (found[1][found[2]] if found else None) == want, (pos, text[max(0, pos - 20):pos + 20])


@pytest.mark.parametrize("text", TEXTS)
def test_the_sentences_before_a_position_are_those_of_sentence_spans(text):
    spans = sentence_spans(text)
    for pos, want in _by_position(text):
        if want is None:
            assert sentences.sentences_up_to(text, pos, 3) is None
            continue
        i = spans.index(want)
        got = sentences.sentences_up_to(text, pos, 3)
        assert got is None or got == [spans[k] for k in range(i, max(-1, i - 4), -1)]


def test_sync_cuts():
    text = "The base was hit.\nOfficials said so.\n\nwrapped\nline. Mr.\nSmith"
    assert sentences.sync_cut(text, text.index("\n")) == (17, 18)            # a stop whose spacing holds the break
    blank = text.index("\n\n")
    assert sentences.sync_cut(text, blank) == (blank, blank + 2)            # a blank line ("wrapped": no stop there)
    assert sentences.sync_cut("Hit.\n\nThen", 4) == (4, 6)                  # a stop whose spacing holds a blank line
    assert sentences.sync_cut(text, text.index("wrapped\n") + 7) is None    # a wrapped line
    assert sentences.sync_cut("a b\n \n c", 3) == (3, 6)                    # a blank line without a stop


def test_blocks_hold_the_position_and_split_like_the_whole_text():
    text = TEXTS[0]
    block = sentences.block_at(text, text.index("Officials"))
    assert block == (text.index("Officials"), text.index("\n\n"))
    assert list(sentences.block_sentences(text, *block)) == [s for s in sentence_spans(text) if block[0] <= s[0] < block[1]]


@pytest.mark.shared
def test_same_sentences_as_sentence_spans_on_the_claim_dev_texts():
    from conftest import SHARED

    path = SHARED / "eval" / "claims" / "claims_dev.jsonl"
    if not path.is_file():
        pytest.skip(f"no {path}")
    for line in path.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        spans = sentence_spans(text)
        for s, e in spans:
            for pos in (s, (s + e) // 2, e - 1):
                found = sentences.sentence_index(text, pos)
                assert found is not None and found[1][found[2]] == (s, e)


def test_stops_are_the_stop_pattern_matches_found_from_the_stop_characters():
    """block_sentences tries the stop pattern only at ". ! ?" (string search): the same matches as the pattern's own
    scan, a stop inside the match before it skipped ("?!  Next", "...” Then")."""
    import random

    from geoinc.text import _STOP_RE

    rng = random.Random(3)
    texts = TEXTS + ["".join(rng.choice("ab A.!?”) \n\t1\"(") for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    for text in texts:
        for start in {0, len(text) // 3}:
            for stop in {len(text), len(text) // 2}:
                want = [m.span() for m in _STOP_RE.finditer(text, start) if m.start() < stop]
                assert [m.span() for m in sentences._stops(text, start, stop)] == want, (text, start, stop)
