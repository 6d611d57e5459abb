"""Ingestion on a Dask cluster (``geoinc ingest PATH... --workers N`` or ``--scheduler tcp://host:8786``).

The pure steps of the one pipeline (geoinc.ingest: read, geoparse, extract incidents) run on the workers,
a batch of files per task. The store is written as its backend allows: a PostGIS store directly by the
workers (each worker process opens it once; each task's articles are one idempotent transaction), an SQLite
file by this process alone, in input order and a few hundred articles per transaction (see flush_due), so
the result equals a serial ``geoinc ingest``. Articles already stored are skipped before any parsing; a task
lost with its worker is re-run by Dask, and re-writing an article is a no-op (same id), so a killed worker
loses nothing. Each worker process opens the gazetteer index once (a worker plugin warms it at start-up; the
tasks reuse it).

On 2 cores every CPU-millisecond spent outside the tasks (scheduler, client, nannies, this process's writes,
the PostgreSQL server) is taken from the workers, so: tasks are up to a few hundred articles, at most a
few per worker are in flight, a task ships back only what the writer needs (no article text), the local
cluster runs with Dask's periodic monitoring slowed down (:data:`QUIET_DASK`) and the GC leaves long-lived
objects alone. ``bench/bench_scaling.py`` prints the CPU per article of each process.
"""
from __future__ import annotations

import gc
import sys
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .articles import Article, iter_article_files, read_article_file, resolved_paths
from .errors import GeoIncError, InputError
from .ingest import WRITE_ARTICLES, ClaimSink, IngestSummary, check_claims, read_article, write_prepared
from .models import Incident, Mention
from .store import IncidentStore, IngestResult, is_url
from .store.records import PreparedArticle, prepare_article

BATCH_FILES = 512               # most files per task: each task costs ~10 ms of scheduler, client and worker CPU
LEAST_FILES = 16                # fewest files per task (but the last): ~30 ms of work beside those ~10 ms
GUIDE = 2                       # a task takes 1/(GUIDE x workers) of the files not yet handed out (see task_sizes)
IN_FLIGHT_PER_WORKER = 3        # tasks submitted ahead per worker: keeps each busy, bounds memory and queues
GC_YOUNG = 20_000               # new container objects between the GC's young collections in a Dask ingestion

# Dask's periodic work slowed down for a local cluster (the defaults suit a dashboard): the statistical
# profiler samples each worker's task thread every 10 ms, the event loops check their health every 20 ms,
# the memory monitors poll every 100 ms; idle, a 2-worker LocalCluster burns ~100 CPU-ms/s with the
# defaults and ~25 with these. None of it changes what is computed.
QUIET_DASK = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
}


@dataclass(slots=True)
class Prepared:
    """What a worker made of one batch of files: articles ready to store (as the rows storing writes,
    records.prepare_article: plain tuples, no article text), or, when the worker stored them itself, what
    storing did; and the inputs it skipped."""

    ready: list[PreparedArticle] = field(default_factory=list)
    stored: list[IngestResult] = field(default_factory=list)
    articles: int = 0
    known: int = 0              # already in the store before parsing
    errors: list[str] = field(default_factory=list)
    pid: int = 0
    gazetteer_id: int = 0
    gazetteer_was_open: bool = False    # opened before this task (by the worker plugin or an earlier task)
    cpu_s: float = 0.0          # CPU seconds the task itself spent (benchmarks compare it with the whole run)
    claims: list[tuple[str, list[dict]]] = field(default_factory=list)   # (article id, its checked claims)


def _dask() -> tuple[Any, Any]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--workers/--scheduler need Dask: pip install 'geoinc[dask]'") from None
    return Client, LocalCluster


_WORKER_STORES: dict[str, IncidentStore] = {}


def _worker_store(url: str) -> IncidentStore:
    """The PostGIS store of this worker process, opened once and reused by every task it runs."""
    store = _WORKER_STORES.get(url)
    if store is None:
        from .store import open_store

        store = _WORKER_STORES[url] = open_store(url)
    return store


def prepare_files(paths: Sequence[str], published: str | None, known: frozenset[str],
                  store_url: str | None, claims: bool = False) -> Prepared:
    """One task: read these files, skip stored articles, geoparse and extract the rest (and, with ``claims``,
    check their claims); with ``store_url`` (PostGIS) store them here, all in one transaction, else hand them
    back to the single writer (without their text, which the store does not keep)."""
    import os
    import time

    from .gazetteer import index

    cpu0 = time.thread_time()
    was_open = index._default is not None
    out = Prepared(pid=os.getpid(), gazetteer_id=id(index.default_gazetteer()), gazetteer_was_open=was_open)
    store = _worker_store(store_url) if store_url else None
    files: list[list[Article] | str] = []           # each file's articles, or why it could not be read
    for path in paths:
        try:
            files.append(read_article_file(Path(path), published=published))
        except GeoIncError as err:
            files.append(str(err))
    if store is not None:
        known = known | _stored_ids(store, [a.id for f in files if not isinstance(f, str) for a in f])
    ready: list[tuple[Article, list[Incident], list[Mention]]] = []
    for articles in files:
        if isinstance(articles, str):
            out.errors.append(articles)
            continue
        for article in articles:
            out.articles += 1
            if article.id in known:
                out.known += 1
                continue
            try:
                mentions, incidents = read_article(article)
            except InputError as err:                       # no publication date
                out.errors.append(str(err))
                continue
            if claims:
                out.claims.append((article.id, check_claims(article, mentions)))
            ready.append((replace(article, text=""), incidents, mentions))
    if store is not None:
        out.stored = store.add_articles(ready) if ready else []
    else:                                   # the single writer then only runs the statements
        out.ready = [prepare_article(*item) for item in ready]
    out.cpu_s = time.thread_time() - cpu0
    return out


def _stored_ids(store: IncidentStore, ids: list[str]) -> frozenset[str]:
    """Which of a task's articles the store holds already: one statement where the store can (PostGIS:
    stored_article_ids), else one look-up per article."""
    stored_article_ids = getattr(store, "stored_article_ids", None)
    if stored_article_ids is not None:
        return frozenset(stored_article_ids(ids))
    return frozenset(i for i in ids if store.has_article(i))


try:                                    # the plugin base class, when Dask is installed (see _dask for the message)
    from distributed import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover - without Dask nothing here runs
    _WorkerPlugin = object  # type: ignore[misc, assignment]


_WARM_UP = "date 2024-01-15\nTwo civilians were killed by shelling in Aleppo, Syria, on Sunday."


class _GazetteerPlugin(_WorkerPlugin):  # type: ignore[misc, valid-type]
    """Opens the gazetteer index once in each worker process, when the worker starts, and runs the steps
    once on a sentence, so that their imports and lazily loaded tables are not paid inside the first tasks.
    What is loaded then lives as long as the worker: the cyclic GC leaves it out of its scans (gc.freeze),
    or each full collection during the tasks (one every ~1,000 articles) re-reads it all (~60 ms)."""

    name = "geoinc-gazetteer"

    def setup(self, worker: Any) -> None:
        from .articles import parse_article
        from .gazetteer.index import default_gazetteer

        default_gazetteer()
        read_article(parse_article(_WARM_UP))        # the warm-up text starts with its date line
        gc.freeze()


def local_cluster(workers: int) -> tuple[Any, Any]:
    """A LocalCluster of ``workers`` single-threaded worker processes (Dask's monitoring slowed down, see
    :data:`QUIET_DASK`) and a client of it: ``(cluster, client)``, both to be closed by the caller."""
    import dask

    Client, LocalCluster = _dask()
    with dask.config.set(QUIET_DASK):       # read when the scheduler, nannies, workers and client start
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        try:
            client = Client(cluster)
        except BaseException:
            cluster.close()
            raise
    return cluster, client


def task_sizes(files: int, workers: int, most: int = BATCH_FILES, least: int = LEAST_FILES) -> list[int]:
    """Files per task, in order (guided self-scheduling): each task takes 1/(GUIDE x workers) of the files
    left, at most ``most`` and at least ``least``. Large tasks first keep the per-task cost low (on 2 cores it
    is taken from the workers), smaller ones at the end keep the workers finishing together."""
    out: list[int] = []
    left = files
    least = max(1, min(least, -(-files // max(1, workers))))     # a small input still reaches every worker
    while left > 0:
        size = min(left, max(least, min(most, -(-left // (GUIDE * max(1, workers))))))
        out.append(size)
        left -= size
    return out


def flush_due(articles: int, files: int, files_left: int, least: int = WRITE_ARTICLES) -> bool:
    """Whether the single writer should store the results it holds (``articles`` articles from ``files`` files)
    now, with ``files_left`` files still out on the workers: once it holds ``least`` articles, or at least as
    many files as are still to come. Transactions of 512 articles cost the writer ~5-10 % less CPU per
    article than one per task (each commit rewrites the index pages its articles touched: random ids and
    places spread them over the whole file), and the second rule keeps the last write, the one nothing runs
    beside, as small as the last tasks."""
    return articles >= least or files >= files_left


def ingest_paths_dask(paths: Iterable[str | Path], store: IncidentStore, *, store_url: str | None = None,
                      workers: int | None = None, scheduler: str | None = None, published: str | None = None,
                      progress: bool = False, batch: int = BATCH_FILES, client: Any = None,
                      claims: ClaimSink | None = None) -> IngestSummary:
    """Ingest files, folders and JSONL files on a Dask cluster (a LocalCluster of ``workers`` processes, the
    scheduler at ``scheduler``, or an open ``client``); ``store_url`` (a postgresql:// URL) lets the workers
    write directly. With ``claims``, the workers also check the claims of the articles they parse, handed to
    ``claims`` here in input order. Returns the same summary as :func:`geoinc.ingest.ingest_paths`."""
    from tqdm import tqdm

    Client, _ = _dask()
    files = resolved_paths(iter_article_files(paths))                      # workers run in other folders
    summary = IngestSummary(files=len(files), claim_verdicts={} if claims is not None else None)
    direct = store_url is not None and is_url(store_url)
    known = frozenset() if direct else frozenset(store.article_ids())
    cluster = None
    own = client is None
    if own and scheduler:
        client = Client(scheduler)
    elif own:
        cluster, client = local_cluster(workers or 1)
    frozen = False
    threshold = gc.get_threshold()
    try:
        client.register_plugin(_GazetteerPlugin())
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        # the cyclic GC's full collections would scan every object of this process (Dask's client and, for a
        # local cluster, its scheduler) again and again while results stream through it: those are left out
        # until the run ends (gc.freeze: still alive, only not scanned), unless the caller froze some itself;
        # and its young collections, every 700 new containers by default (~150 per 2,000 articles, each
        # re-reading the results held for the writer), come every GC_YOUNG instead
        frozen = gc.get_freeze_count() == 0
        if frozen:
            gc.freeze()
            gc.set_threshold(max(threshold[0], GC_YOUNG), *threshold[1:])
        [known_f] = client.scatter([known], broadcast=True)        # one object (a set would be split)
        batches: deque[list[str]] = deque()
        start = 0
        for size in task_sizes(len(files), n_workers, batch):
            batches.append(files[start:start + size])
            start += size
        bar = tqdm(total=len(files), desc="ingest", unit="file", file=sys.stderr,
                   disable=not (progress and sys.stderr.isatty()), leave=False)
        pending: deque[tuple[int, Any]] = deque()
        held: list[PreparedArticle] = []            # results not yet stored, in input order
        held_files, files_left = 0, len(files)
        while batches or pending:
            while batches and len(pending) < IN_FLIGHT_PER_WORKER * n_workers:
                b = batches.popleft()
                pending.append((len(b), client.submit(prepare_files, b, published, known_f,
                                                      store_url if direct else None, claims is not None,
                                                      pure=False, retries=2)))
            n_files, fut = pending.popleft()        # in input order: the single writer stores as serial would
            try:
                prepared: Prepared = fut.result()
            except BaseException:                   # a task failed for good, or Ctrl-C: keep what was done
                if held:
                    write_prepared(store, held)
                raise
            fut.release()
            summary.articles += prepared.articles
            summary.articles_skipped += prepared.known
            summary.errors.extend(prepared.errors)
            summary.task_cpu_s += prepared.cpu_s
            if claims is not None:
                for article_id, found in prepared.claims:
                    summary.count_claims(found)
                    claims(article_id, found)
            for res in prepared.stored:
                summary.count(res)
            held.extend(prepared.ready)
            held_files += n_files
            files_left -= n_files
            if held and flush_due(len(held), held_files, files_left):
                for res in write_prepared(store, held):
                    summary.count(res)
                held, held_files = [], 0
            bar.update(n_files)
            bar.set_postfix(incidents=summary.incidents_new, merged=summary.incidents_merged, refresh=False)
        bar.close()
    finally:
        if frozen:
            gc.set_threshold(*threshold)
            gc.unfreeze()
        if own:
            client.close()
        if cluster is not None:
            cluster.close()
    return summary


def ingest_with(store: IncidentStore, paths: Iterable[str | Path], target: str | Path | None, *,
                workers: int | None, scheduler: str | None, published: str | None, progress: bool,
                claims: ClaimSink | None = None) -> IngestSummary:
    """The CLI's entry: PostGIS targets are written by the workers, anything else by this process."""
    url = str(target) if is_url(target) and not str(target).lower().startswith("sqlite") else None
    return ingest_paths_dask(paths, store, store_url=url, workers=workers, scheduler=scheduler,
                             published=published, progress=progress, claims=claims)


__all__ = ["ingest_paths_dask", "ingest_with", "prepare_files", "write_prepared", "Prepared", "BATCH_FILES",
           "QUIET_DASK", "local_cluster", "task_sizes", "flush_due", "WRITE_ARTICLES"]
