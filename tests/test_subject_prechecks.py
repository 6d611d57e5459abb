"""The cheap tests run before the subject rules for claims without a number (geoinc.claims.subjects,
``may_find_subject``): each one a necessary condition of its rule, so a phrase they reject is one no rule reads.

The team's phrases show each test on what it lets through and what it stops; the last tests check the
implication itself at every word of the team's articles (and of the shared dev sets where present): wherever a
rule finds a subject, the tests let the phrase through.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from geoinc.claims import parse
from geoinc.claims.phrases import claim_sentences
from geoinc.claims.subjects import (BARE_SUBJECT_TESTS, SUBJECT_RULES, Subject, Where, find_subject, may_be_adjacent,
                                    may_be_appositive, may_be_fronted, may_be_relative, may_be_sentence_subject,
                                    may_find_subject)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def _at(text: str, cue: str) -> tuple[str, str, int, int]:
    """(text, lowered copy, sentence start, cue position) for the first ``cue`` of a one-sentence text."""
    return text, parse._lowered_hints(text)[4], 0, text.index(cue)


def _subject_at(text: str, start: int) -> Subject | None:
    """What the rules find for a claim without a number at ``start`` (as the claim reader asks them)."""
    sentence = next(s for s in claim_sentences(text) if s[0] <= start < s[1])
    at = parse._bare_at(text, start, start, sentence, None, None, "near")
    return find_subject(Where(text, sentence[0], at.clause_start, start, None))


@pytest.mark.parametrize("test,text,cue,expected", [
    # fronted: a sentence that opens with a participle
    (may_be_fronted, "Located near the border with Syria, it was shelled.", "near", True),
    (may_be_fronted, "Troops deployed near the border with Syria.", "near", False),
    # relative clause: which/that, then only the words of its tail
    (may_be_relative, "Shelling hit Ramtha, which lies just on the border with Syria.", "on the", True),
    (may_be_relative, "The base, which houses 350 troops and is located near the border with Syria.", "near", False),
    (may_be_relative, "Troops deployed near the border with Syria.", "near", False),
    # appositive: a comma, then adverbs or "a/the … town"
    (may_be_appositive, "Shelling hit Ramtha, a town near the border with Syria.", "near", True),
    (may_be_appositive, "Shelling hit Ramtha, near the border with Syria.", "near", True),
    (may_be_appositive, "After the raid, troops deployed missiles on the border with Syria.", "on the", False),
    (may_be_appositive, "Troops deployed missiles on the border with Syria.", "on the", False),
    # adjacent: a word that may end a name before the tail, or this/that
    (may_be_adjacent, "Students gathered at Yarmouk University near the border with Syria.", "near", True),
    (may_be_adjacent, "Crowds gathered in this small town near the border with Syria.", "near", True),
    (may_be_adjacent, "Troops deployed missiles on the border with Syria.", "on the", False),
    # sentence subject: a location verb before the first comma (or the cue)
    (may_be_sentence_subject, "Ramtha lies on the border with Syria.", "on the", True),
    (may_be_sentence_subject, "Irbid, in the north of the country, is near the border with Syria.", "near", True),
    (may_be_sentence_subject, "Madaba (a market town) is near the border with Syria.", "near", True),
    (may_be_sentence_subject, "Jordan condemned an attack on a position on the border with Syria.", "on the", False),
    (may_be_sentence_subject, "The base, which houses 350 troops and is located near the border.", "near", False),
])
def test_each_precheck_on_its_phrases(test, text, cue, expected):
    assert test(*_at(text, cue)) is expected


def test_a_phrase_no_rule_reads_is_stopped_before_the_rules():
    text, low, s, p = _at("Iran has activated defense systems, deploying missiles on the border with Iraq.", "on the")
    assert may_find_subject(text, low, s, p) is False and _subject_at(text, p) is None
    assert parse.find_claims(text) == []


def test_a_claim_before_it_or_a_case_blind_letter_lets_every_phrase_through():
    text, low, s, p = _at("Troops deployed missiles on the border with Syria.", "on the")
    assert may_find_subject(text, low, s, p) is False
    assert may_find_subject(text, low, s, p, previous=(0, Subject(None, "list", topic=True))) is True
    dotless = "Troops deployed missıles on the border with Syria."   # "ı": the patterns read it as "i"
    assert may_find_subject(*_at(dotless, "on the")) is True


def test_what_the_rules_read_still_passes():
    for text in ("Shelling hit Ramtha, near the border with Syria.", "Ramtha lies on the border with Syria.",
                 "Students gathered at Yarmouk University north of Amman.", "Protests spread to Zarqa, northeast of Amman."):
        claims = parse.find_claims(text)
        assert len(claims) == 1 and claims[0].subject_rule, text


def test_there_is_one_test_for_each_rule_but_the_list():
    rules = {r.__name__.removesuffix("_subject") or r.__name__ for r in SUBJECT_RULES} - {"list"}
    tests = {t.__name__.removeprefix("may_be_").removesuffix("_subject") for t in BARE_SUBJECT_TESTS}
    assert tests == rules and len(rules) == len(SUBJECT_RULES) - 1


# sentences written to sit at the edges of the tests: spaces and quotes beyond latin-1, asides, fronted phrases,
# a subject name longer than the rule reads, "which" without its tail
EDGES = [
    "Ramtha\u2009lies on the border with Syria.",
    "“Ramtha” lies on the border with Syria, officials said.",
    "Irbid, known locally as Arabella, lies north of Amman.",
    "Irbid, in the far north, is near the border with Syria.",
    "Set on a hill, Salt is north-west of Amman.",
    "Madaba (Arabic: مادبا) is south-west of Amman.",
    "The town, which sits just on the border with Syria, was shelled.",
    "The town, which houses refugees and is located on the border with Syria, was shelled.",
    "Al Hamra Al Jadida Al Kubra Al Sharqiya Al Gharbiya Al Wusta Al Shamaliya Al Janubiya Al Qadima Alis "
    "near the border with Oman.",
    "Attacks hit Zarqa and\u00a0Rusaifa, north-east of Amman.",
    "Shelling hit a position near the border with Syria; Ramtha, a town near the border, was spared.",
]


def _texts() -> list[str]:
    texts = list(EDGES)
    texts += [f.read_text(encoding="utf-8") for f in sorted((ROOT / "data" / "articles").rglob("*.txt"))]
    claims = SHARED / "eval" / "claims" / "claims_dev.jsonl"
    if claims.is_file():
        texts += [json.loads(line)["text"] for line in claims.read_text(encoding="utf-8").splitlines() if line.strip()]
    samples = SHARED / "samples" / "articles"
    if samples.is_dir():
        texts += [f.read_text(encoding="utf-8") for f in sorted(samples.glob("*.txt"))]
    return texts


def test_no_phrase_a_rule_reads_is_stopped_at_any_word():
    """The implication at every word start of every sentence (not only at cues): a wrong test shows up here."""
    texts = _texts()
    assert texts
    positions = stopped = 0
    for text in texts:
        low = parse._lowered_hints(text)[4]
        for s, e in claim_sentences(text):
            for m in re.finditer(r"(?<=\s)\S", text[s:e]):
                p = s + m.start()
                positions += 1
                if not may_find_subject(text, low, s, p):
                    stopped += 1
                    assert _subject_at(text, p) is None, text[max(s, p - 120):p + 20]
    assert positions > 1000 and stopped > positions // 10      # the tests stop a good share, never a subject
