"""``geoinc ingest --workers N``: the pure steps on a real Dask LocalCluster with 2 worker processes, the
store written by one writer (SQLite) or by the workers (PostGIS); results equal a serial ingest, a killed
run loses nothing once re-run, and each worker opens the gazetteer once. Skips when Dask is not installed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("dask.distributed", reason="Dask ingestion needs the extra: pip install 'geoinc[dask]'")

from geoinc.ingest import ingest_paths  # noqa: E402
from geoinc.store import open_store  # noqa: E402
from test_postgis import _dated_copies  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args: str, **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "geoinc", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, **kw)


def _groups(store) -> list[tuple]:
    """Each incident as the sorted articles of its sources: the same whichever process stored what first
    (merged incident ids and combined fields may follow the order in which workers wrote)."""
    return sorted(tuple(sorted(s.article for s in i.sources)) for i in store.iter_incidents())


def _rows(store) -> list[tuple]:
    return sorted((i.event_id_cnty, i.event_date, i.location, len(i.sources)) for i in store.iter_incidents())


def _articles(store) -> list[tuple]:
    """The articles table, each row but its ingestion time."""
    return sorted(tuple(sorted((k, v) for k, v in store.article(a).items() if k != "ingested"))
                  for a in store.article_ids())


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    return _dated_copies(tmp_path_factory.mktemp("dask") / "articles", 3)


@pytest.fixture(scope="module")
def serial_sqlite(articles, tmp_path_factory):
    s = open_store(tmp_path_factory.mktemp("serial") / "serial.sqlite")
    summary = ingest_paths([articles], s)
    yield s, summary
    s.close()


def test_two_workers_into_sqlite_equal_a_serial_ingest(articles, serial_sqlite, tmp_path):
    serial, summary = serial_sqlite
    db = tmp_path / "dask.sqlite"
    proc = _cli("ingest", str(articles), "--workers", "2", "--db", str(db), "-q")
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err
    assert out.strip() == summary.line()                      # the same summary line as a serial run
    with open_store(db) as s:
        assert _rows(s) == _rows(serial) and s.articles_count() == serial.articles_count()
        assert [i.to_dict() for i in s.iter_incidents()] == [i.to_dict() for i in serial.iter_incidents()]
        assert _articles(s) == _articles(serial)              # paths included: both store resolved paths
    again = _cli("ingest", str(articles), "--workers", "2", "--db", str(db), "-q")
    out, _ = again.communicate(timeout=900)
    assert again.returncode == 0 and f"(0 new, {summary.articles} already stored)" in out


def test_each_worker_opens_the_gazetteer_once(articles):
    from dask.distributed import Client, LocalCluster

    from geoinc.ingest_dask import _GazetteerPlugin, prepare_files

    files = sorted(str(p) for p in articles.iterdir())
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        client.register_plugin(_GazetteerPlugin())
        futures = [client.submit(prepare_files, [f], None, frozenset(), None, pure=False) for f in files]
        done = client.gather(futures)
        import gc

        frozen = client.run(gc.get_freeze_count)         # what the warm-up loaded is left out of GC scans
    assert len(frozen) == 2 and all(n > 10_000 for n in frozen.values())
    pids = {p.pid for p in done}
    assert len(pids) == 2 and os.getpid() not in pids                  # two worker processes did the work
    assert all(p.gazetteer_was_open for p in done)                     # opened at worker start, not per task
    assert all(len({p.gazetteer_id for p in done if p.pid == pid}) == 1 for pid in pids)
    assert sum(len(p.ready) for p in done) == len(files)


def test_workers_write_postgis_directly_and_a_killed_run_loses_nothing(pg_cluster, articles, serial_sqlite):
    serial, _ = serial_sqlite
    url = pg_cluster.database()
    proc = _cli("ingest", str(articles), "--workers", "2", "--db", url, "-q")
    _, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err
    with open_store(url) as s:
        assert _groups(s) == _groups(serial)            # each incident once, merged as a serial run merges
    # again into a fresh database, killed (SIGKILL, workers included) once some articles are stored
    url2 = pg_cluster.database()
    proc = _cli("ingest", str(articles), "--workers", "2", "--db", url2, "-q", start_new_session=True)
    with open_store(url2) as s:
        deadline = time.monotonic() + 600
        while s.articles_count() < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        stored_at_kill = s.articles_count()
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(60)
    assert 0 < stored_at_kill
    rerun = _cli("ingest", str(articles), "--workers", "2", "--db", url2, "-q")
    _, err = rerun.communicate(timeout=900)
    assert rerun.returncode == 0, err
    with open_store(url2) as s:
        assert _groups(s) == _groups(serial)
        assert s.articles_count() == len(list(articles.iterdir())) and s.integrity_check()


def test_an_existing_scheduler_with_relative_paths(articles, serial_sqlite, tmp_path):
    """``--scheduler tcp://...``: a separately started scheduler and worker (other working folders), paths
    given relative to the caller's folder."""
    import socket

    serial, summary = serial_sqlite
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                               "--port", str(port), "--no-dashboard"], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        time.sleep(3)
        procs.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers", "1",
                                       "--nthreads", "1", "--no-dashboard"], env=env, cwd=tmp_path,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        db = tmp_path / "sched.sqlite"
        proc = _cli("ingest", articles.name, "--scheduler", address, "--db", str(db), "-q", cwd=articles.parent)
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert out.strip() == summary.line()
        with open_store(db) as s:
            assert _rows(s) == _rows(serial)
    finally:
        for p in reversed(procs):
            p.terminate()
            p.wait(30)


@pytest.mark.parametrize("files, workers", [(2100, 2), (2100, 1), (100_000, 4), (7, 2), (3, 8), (1, 2), (0, 2)])
def test_tasks_are_large_first_and_small_at_the_end(files, workers):
    """Guided sizes: every file once, in order; at most BATCH_FILES per task; never growing; large tasks while
    much is left (few tasks: each costs scheduler, client and worker CPU) and small ones at the end (the
    workers finish together); a small input still reaches more than one worker."""
    from geoinc.ingest_dask import BATCH_FILES, LEAST_FILES, task_sizes

    sizes = task_sizes(files, workers)
    assert sum(sizes) == files and all(0 < s <= BATCH_FILES for s in sizes)
    assert sizes == sorted(sizes, reverse=True)
    if files >= 2100:
        assert sizes[0] == BATCH_FILES and sizes[-1] <= LEAST_FILES and len(sizes) < files / 50
        left_at_last = sum(sizes[-workers * 3:])          # the last 3 tasks per worker: a few small ones
        assert left_at_last <= 4 * LEAST_FILES * workers
    if 1 < files < 2 * LEAST_FILES * workers:
        assert len(sizes) >= min(files, 2)


def test_file_paths_resolve_as_pathlib_resolves_them(tmp_path, monkeypatch):
    """The workers get each file's resolved path (they may run in other folders): the same as Path.resolve for
    plain files, symlinked files and folders, relative paths and '..', each folder read once."""
    from geoinc.articles import resolved_paths as _resolved

    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    for name in ("a.txt", "sub/b.txt"):
        (real / name).write_text("x", encoding="utf-8")
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)
    (real / "c.txt").symlink_to(real / "sub" / "b.txt")
    monkeypatch.chdir(real / "sub")
    paths = [real / "a.txt", tmp_path / "linked" / "sub" / "b.txt", tmp_path / "linked" / "c.txt", "b.txt",
             "../a.txt", tmp_path / "linked" / "sub" / ".." / "a.txt", str(tmp_path / "linked") + "/./a.txt"]
    assert _resolved(paths) == [str(Path(p).resolve()) for p in paths]
    assert _resolved(paths)[1] == str(real / "sub" / "b.txt") and _resolved(paths)[2] == str(real / "sub" / "b.txt")


@pytest.mark.parametrize("files, workers", [(2100, 2), (2100, 1), (100_000, 4), (7, 2), (1, 2)])
def test_the_single_writer_stores_several_tasks_per_transaction_and_little_at_the_end(files, workers):
    """flush_due on the guided task sizes (one article per file): every task's results are stored once, in
    order; each transaction but those of the end holds at least WRITE_ARTICLES articles (fewer commits: each
    rewrites the index pages its articles touched); the last one holds no more than the last few tasks."""
    from geoinc.ingest_dask import LEAST_FILES, WRITE_ARTICLES, flush_due, task_sizes

    sizes = task_sizes(files, workers)
    writes, held, left = [], 0, files
    for size in sizes:
        held, left = held + size, left - size
        if flush_due(held, held, left):
            writes.append(held)
            held = 0
    assert held == 0 and sum(writes) == files
    if files >= 2100:
        full = [w for w in writes if w >= WRITE_ARTICLES]
        assert writes[:len(full)] == full and sum(full) >= files / 2     # full transactions, then the end's
        assert len(writes) <= len(sizes) and writes[-1] <= sum(sizes[-3:]) <= 4 * LEAST_FILES * workers
    assert not flush_due(0, 0, 10) and flush_due(3, 3, 0) and flush_due(WRITE_ARTICLES, 4, 10_000)


def test_an_ingestion_in_process_leaves_the_callers_gc_as_it_found_it(articles, serial_sqlite, tmp_path):
    """ingest_paths_dask keeps this process's objects out of the cyclic GC's scans while results stream
    through it (gc.freeze, rarer young collections) and hands them back at the end, thresholds as they were;
    what a caller froze itself stays frozen."""
    import gc

    from geoinc.ingest_dask import ingest_paths_dask, local_cluster

    serial, summary = serial_sqlite
    before, threshold = gc.get_freeze_count(), gc.get_threshold()
    cluster, client = local_cluster(1)
    with cluster, client, open_store(tmp_path / "in-process.sqlite") as store:
        got = ingest_paths_dask([articles], store, client=client)
        assert got.line() == summary.line() and _rows(store) == _rows(serial)
        assert gc.get_freeze_count() == before and gc.get_threshold() == threshold
        gc.freeze()
        try:
            mine = gc.get_freeze_count()
            ingest_paths_dask([articles], store, client=client)
            assert gc.get_freeze_count() > mine / 2          # not unfrozen (some died meanwhile)
        finally:
            gc.unfreeze()


def test_workers_check_claims_as_a_serial_ingest_does(tmp_path):
    """``--claims`` with ``--workers 2``: the workers check each new article's claims; the file (input order)
    and the summary equal a serial run's."""
    team = ROOT / "data" / "articles"
    serial_out, dask_out = tmp_path / "serial.jsonl", tmp_path / "dask.jsonl"
    serial = _cli("ingest", str(team), "--db", str(tmp_path / "s.sqlite"), "--claims", str(serial_out), "-q")
    s_out, err = serial.communicate(timeout=900)
    assert serial.returncode == 0, err
    proc = _cli("ingest", str(team), "--workers", "2", "--db", str(tmp_path / "d.sqlite"), "--claims", str(dask_out),
                "-q")
    d_out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err
    assert d_out == s_out and "claims checked (" in d_out
    assert dask_out.read_text(encoding="utf-8") == serial_out.read_text(encoding="utf-8") != ""
