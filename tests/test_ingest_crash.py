"""kill -9 in the middle of ingesting 2,000 articles: the store opens, passes its integrity check, and after
re-running holds every article and every incident exactly once (a real subprocess, a real SIGKILL)."""
from __future__ import annotations

import importlib.util
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from geoinc.articles import read_articles
from geoinc.incidents.extract import extract_incidents
from geoinc.store import open_store
from geoinc.store.records import incident_from_mapping

ROOT = Path(__file__).resolve().parent.parent
N_ARTICLES = 2000


def _generator():
    spec = importlib.util.spec_from_file_location("gen_articles", ROOT / "bench" / "gen_articles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _stored_articles(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as c:
            return c.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def _ingest(folder: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "geoinc", "ingest", str(folder), "--db", str(db), "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))


@pytest.mark.slow
def test_kill_9_mid_ingestion_then_resume(tmp_path):
    folder = tmp_path / "articles"
    _generator().write_articles(folder, N_ARTICLES, seed=11)
    db = tmp_path / "crash.sqlite"
    proc = _ingest(folder, db)
    deadline = time.monotonic() + 120
    while _stored_articles(db) < 150 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "ingestion finished before it could be killed: " + proc.stderr.read()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # the killed store opens and is consistent, part-way through
    store = open_store(db)
    assert store.integrity_check()
    done = store.articles_count()
    assert 150 <= done < N_ARTICLES
    store.close()
    # re-run: completes the rest, nothing twice
    proc = _ingest(folder, db)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert f"{N_ARTICLES} articles ({N_ARTICLES - done} new, {done} already stored)" in out
    store = open_store(db)
    assert store.integrity_check() and store.articles_count() == N_ARTICLES
    c = store.conn
    # each article's incidents are stored once: its reports match what it says it yielded
    per_article = dict(c.execute("SELECT id, n_incidents FROM articles"))
    reports = Counter(a for (a,) in c.execute("SELECT article_id FROM reports"))
    assert reports == Counter({a: n for a, n in per_article.items() if n})
    # each incident once: sources and reports agree, no (article, quote) appears in two incidents
    seen: set[tuple[str, int]] = set()
    for row in c.execute("SELECT * FROM incidents"):
        inc = incident_from_mapping(dict(row))
        n_reports = c.execute("SELECT count(*) FROM reports WHERE incident_id = ?", (inc.event_id_cnty,)).fetchone()[0]
        assert len(inc.sources) == n_reports >= 1
        for s in inc.sources:
            assert (s.article, s.start) not in seen
            seen.add((s.article, s.start))
    assert len(seen) == sum(per_article.values())
    # and what is stored is what the articles say (a sample re-read in-process)
    arts = read_articles(folder)
    for art in arts[:: N_ARTICLES // 40]:
        expected = extract_incidents(art)
        stored = [json.loads(d) for (d,) in c.execute("SELECT data_json FROM reports WHERE article_id = ?", (art.id,))]
        assert sorted(e.event_id_cnty for e in expected) == sorted(d["event_id_cnty"] for d in stored)
    store.close()
