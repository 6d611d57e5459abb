"""Serial ingestion (``geoinc ingest`` without workers) stores what it parsed a batch at a time: the store
ends up as with one transaction per article, a batch is visible once written, an article waiting in a batch
is not parsed twice, and what was parsed before an error is kept."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geoinc import ingest
from geoinc.articles import iter_article_files, read_article_file, resolved_paths
from geoinc.errors import InputError
from geoinc.geoparser.resolve import geoparse
from geoinc.ingest import ingest_paths, process_article
from geoinc.store import open_store
from test_postgis import _dated_copies

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return _dated_copies(tmp_path_factory.mktemp("batches") / "articles", 2)


def _incidents(store) -> list[dict]:
    return [i.to_dict() for i in store.iter_incidents()]


def _articles(store) -> list[tuple]:
    return sorted(tuple(sorted((k, v) for k, v in store.article(a).items() if k != "ingested"))
                  for a in store.article_ids())


def test_batches_store_what_one_transaction_per_article_stores(folder, tmp_path, monkeypatch):
    one = open_store(tmp_path / "one.sqlite")
    for path in resolved_paths(iter_article_files([folder])):
        for article in read_article_file(path):
            process_article(one, article)
    monkeypatch.setattr(ingest, "WRITE_ARTICLES", 3)     # batches of 3 articles: merges across and within them
    batched = open_store(tmp_path / "batched.sqlite")
    summary = ingest_paths([folder], batched)
    assert summary.articles == summary.articles_new == one.articles_count() == 14
    assert summary.incidents_merged > 0                  # the copies of one date report the same events
    assert _incidents(batched) == _incidents(one)
    assert _articles(batched) == _articles(one)
    assert {a: batched.mentions(a) for a in batched.article_ids()} == {a: one.mentions(a) for a in one.article_ids()}
    one.close()
    batched.close()


@pytest.mark.parametrize("every, seconds, seen", [
    (3, 3600.0, [0, 0, 0, 3, 3, 3, 6]),            # 3 articles a transaction
    (10_000, 0.0, [0, 1, 2, 3, 4, 5, 6]),          # no time to wait: each article is written once parsed
])
def test_a_batch_is_stored_once_full_or_once_due(folder, tmp_path, monkeypatch, every, seconds, seen):
    monkeypatch.setattr(ingest, "WRITE_ARTICLES", every)
    monkeypatch.setattr(ingest, "WRITE_SECONDS", seconds)
    db = tmp_path / "seen.sqlite"
    store = open_store(db)
    reader = open_store(db)
    stored_when_parsed: list[int] = []

    def finder(text: str):
        stored_when_parsed.append(reader.articles_count())     # what another connection sees meanwhile
        return geoparse(text)

    files = sorted(folder.iterdir())[:7]
    summary = ingest_paths(files, store, find_mentions=finder)
    assert stored_when_parsed == seen
    assert summary.articles_new == reader.articles_count() == 7
    reader.close()
    store.close()


def test_a_copy_of_an_article_waiting_in_a_batch_is_skipped_without_parsing(folder, tmp_path):
    first = sorted(folder.iterdir())[0]
    twins = tmp_path / "twins"
    twins.mkdir()
    shutil.copy(first, twins / "a.txt")
    shutil.copy(first, twins / "b.txt")                 # same text, same article id
    parsed: list[str] = []
    store = open_store(tmp_path / "twins.sqlite")
    summary = ingest_paths([twins], store, find_mentions=lambda text: parsed.append(text) or geoparse(text))
    assert len(parsed) == 1
    assert (summary.articles, summary.articles_new, summary.articles_skipped) == (2, 1, 1)
    assert store.articles_count() == 1
    store.close()


def test_what_was_parsed_before_an_error_is_stored(folder, tmp_path):
    src = tmp_path / "mixed"
    src.mkdir()
    good = sorted(folder.iterdir())
    for name, path in (("a.txt", good[0]), ("b.txt", good[1])):
        shutil.copy(path, src / name)
    (src / "c.txt").write_text("Two people were killed in Aleppo on Sunday.\n", encoding="utf-8")   # no date
    shutil.copy(good[2], src / "d.txt")
    store = open_store(tmp_path / "mixed.sqlite")
    with pytest.raises(InputError, match="no publication date"):
        ingest_paths([src], store, stop_on_error=True)
    assert store.articles_count() == 2                  # a.txt and b.txt, written before the error went on
    summary = ingest_paths([src], store)                # the re-run: the bad input skipped, d.txt stored
    assert (summary.articles_new, summary.articles_skipped, len(summary.errors)) == (1, 2, 1)
    store.close()


def test_claims_are_handed_on_in_input_order_once_their_batch_is_stored(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "WRITE_ARTICLES", 4)
    monkeypatch.setattr(ingest, "WRITE_SECONDS", 3600.0)
    store = open_store(tmp_path / "claims.sqlite")
    got: list[tuple[str, int, int]] = []
    summary = ingest_paths([folder], store, claims=lambda aid, found: got.append(
        (aid, len(found), store.articles_count())))
    order = [a.id for p in resolved_paths(iter_article_files([folder])) for a in read_article_file(p)]
    assert [g[0] for g in got] == order
    assert all(stored >= 4 * (k // 4 + 1) or stored == 14 for k, (_, _, stored) in enumerate(got))
    assert sum(summary.claim_verdicts.values()) == sum(g[1] for g in got) > 0
    store.close()
