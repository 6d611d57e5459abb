"""The team's sample articles (data/articles) and the hostile article for XSS tests (tests/data).

Checks the dated header format that data/README.md documents, that the articles carry the hard
place names and claims the demo relies on, that every article names places the curated gazetteer
knows, and that none reuses a run of words from the third-party samples in ../shared.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
from conftest import SAMPLES as SHARED_SAMPLES
XSS_ARTICLE = ROOT / "tests" / "data" / "xss-article.txt"
NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*\.txt$")
HEADER_LINE = re.compile(r"^(title|url) \S.*$")


def _articles() -> list[Path]:
    return sorted(ARTICLES.glob("*.txt"))


def _split(path: Path) -> tuple[list[str], str]:
    """(header lines, body) of an article file."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n\n")
    assert sep, f"{path.name}: a blank line must separate the header from the body"
    return head.split("\n"), body


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\u2018\u2019\u02bb\u02bc'`]", "", text)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def _curated_names() -> set[str]:
    names = set()
    for path in (ROOT / "gazetteer").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for name in [row["name"], *row["aliases"].split("|")]:
                    if name:
                        names.add(_fold(name))
    return names


def test_there_are_enough_articles():
    assert len(_articles()) >= 5
    assert not list(ARTICLES.glob("*xss*")), "hostile input belongs in tests/data, not the demo set"


@pytest.mark.parametrize("path", _articles(), ids=lambda p: p.name)
def test_article_has_dated_header_matching_its_name(path: Path):
    m = NAME.match(path.name)
    assert m, f"{path.name}: name articles YYYY-MM-DD-slug.txt"
    header, body = _split(path)
    assert header[0] == f"date {m.group(1)}", f"{path.name}: first line must be 'date {m.group(1)}'"
    date.fromisoformat(m.group(1))
    for line in header[1:]:
        assert HEADER_LINE.match(line), f"{path.name}: bad header line {line!r}"
    assert len(body.split()) >= 120, f"{path.name}: body too short for a news article"
    # casualty counts in words and digits, and a relative date to resolve against the header
    assert re.search(r"\b(one|two|three|ten|twelve)\b", body) and re.search(r"\d", body)
    assert re.search(r"\b(on|last) (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", body)


@pytest.mark.parametrize("path", _articles(), ids=lambda p: p.name)
def test_article_names_places_from_the_curated_gazetteer(path: Path):
    body = " " + _fold(_split(path)[1]) + " "
    found = {name for name in _curated_names() if len(name) > 3 and f" {name} " in body}
    assert len(found) >= 3, f"{path.name}: only {sorted(found)} from the curated gazetteer"


def test_tower22_articles_use_the_hard_names_and_distance_claims():
    text = "\n".join(p.read_text(encoding="utf-8") for p in _articles() if "tower-22" in p.name or "tanf" in p.name)
    for name in ("Tower 22", "Rukban", "Al-Tanf", "\u2018Al-Tanf", "Boukamal", "al-Mayadine"):
        assert name in text, f"missing {name!r}"
    assert "The Iraqi border is only 10 kilometers away" in text
    assert "about 20 kilometers (12 miles) north of Tower 22" in text
    assert re.search(r"three US Army soldiers|Three \(3\) soldiers", text)
    assert "34" in text


def _ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    words = _fold(text).split()
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


# Distance claims the brief asks the articles to repeat word for word, for the claim checker.
ALLOWED_QUOTES = ("The Iraqi border is only 10 kilometers away",)


def test_articles_are_written_in_our_own_words():
    samples = sorted(SHARED_SAMPLES.glob("*.txt"))
    if not samples:
        pytest.skip(f"{SHARED_SAMPLES} not found (CI clones shared/ beside the project)")
    theirs = set().union(*(_ngrams(p.read_text(encoding="utf-8"), 8) for p in samples))
    for path in _articles():
        body = _split(path)[1]
        for quote in ALLOWED_QUOTES:
            body = body.replace(quote, " ")
        shared = _ngrams(body, 8) & theirs
        assert not shared, f"{path.name} repeats the shared samples: {[' '.join(g) for g in sorted(shared)[:3]]}"


def test_xss_article_carries_the_payloads_and_real_places():
    text = XSS_ARTICLE.read_text(encoding="utf-8")
    assert text.startswith("date 2024-02-05\n")
    for payload in ('<script>window.__xss=1</script>', '<img src=x onerror="window.__xss=1">',
                    '"><svg onload=window.__xss=1>'):
        assert payload in text
    for place in ("Rukban", "Al-Tanf", "Boukamal", "al-Mayadine"):
        assert place in text
    assert "killed two (2)" in text
