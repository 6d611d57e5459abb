"""Ingestion on a Dask cluster (``geoinc ingest PATH... --workers N`` or ``--scheduler tcp://host:8786``).

The pure steps of the one pipeline (geoinc.ingest: read, geoparse, extract incidents) run on the workers,
a batch of files per task. The store is written as its backend allows: a PostGIS store directly by the
workers (each worker process opens it once; each article is one idempotent transaction), an SQLite file by
this process alone, in input order, so the result equals a serial ``geoinc ingest``. Articles already
stored are skipped before any parsing; a task lost with its worker is re-run by Dask, and re-writing an
article is a no-op (same id), so a killed worker loses nothing. Each worker process opens the gazetteer
index once (a worker plugin warms it at start-up; the tasks reuse it).
"""
from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .articles import Article, iter_article_files, read_article_file
from .errors import GeoIncError, InputError
from .ingest import IngestSummary
from .models import Incident, Mention
from .store import IncidentStore, IngestResult, is_url

BATCH_FILES = 8                 # files per task: large enough to amortise scheduling, small enough to balance


@dataclass(slots=True)
class Prepared:
    """What a worker made of one batch of files: articles ready to store (or, when the worker stored them
    itself, what storing did), and the inputs it skipped with the reason."""

    ready: list[tuple[Article, list[Incident], list[Mention]]] = field(default_factory=list)
    stored: list[IngestResult] = field(default_factory=list)
    articles: int = 0
    known: int = 0              # already in the store before parsing
    errors: list[str] = field(default_factory=list)
    pid: int = 0
    gazetteer_id: int = 0
    gazetteer_was_open: bool = False    # opened before this task (by the worker plugin or an earlier task)


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
                  store_url: str | None) -> Prepared:
    """One task: read these files, skip stored articles, geoparse and extract the rest; with ``store_url``
    (PostGIS) store each article here, else hand them back to the single writer."""
    import os

    from .gazetteer import index
    from .geoparser.resolve import geoparse
    from .incidents.extract import extract_incidents

    was_open = index._default is not None
    out = Prepared(pid=os.getpid(), gazetteer_id=id(index.default_gazetteer()), gazetteer_was_open=was_open)
    store = _worker_store(store_url) if store_url else None
    for path in paths:
        try:
            articles = read_article_file(Path(path), published=published)
        except GeoIncError as err:
            out.errors.append(str(err))
            continue
        for article in articles:
            out.articles += 1
            if article.id in known or (store is not None and store.has_article(article.id)):
                out.known += 1
                continue
            if not article.published:
                out.errors.append(f"{article.path or article.id}: no publication date; add a first line "
                                  "'date YYYY-MM-DD' or pass --published YYYY-MM-DD")
                continue
            mentions = list(geoparse(article.text))
            incidents = extract_incidents(article, article.published, mentions=mentions)
            if store is not None:
                out.stored.append(store.add_article(article, incidents, mentions))
            else:
                out.ready.append((article, incidents, mentions))
    return out


try:                                    # the plugin base class, when Dask is installed (see _dask for the message)
    from distributed import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover - without Dask nothing here runs
    _WorkerPlugin = object  # type: ignore[misc, assignment]


class _GazetteerPlugin(_WorkerPlugin):  # type: ignore[misc, valid-type]
    """Opens the gazetteer index once in each worker process, when the worker starts."""

    name = "geoinc-gazetteer"

    def setup(self, worker: Any) -> None:
        from .gazetteer.index import default_gazetteer

        default_gazetteer()


def ingest_paths_dask(paths: Iterable[str | Path], store: IncidentStore, *, store_url: str | None = None,
                      workers: int | None = None, scheduler: str | None = None, published: str | None = None,
                      progress: bool = False, batch: int = BATCH_FILES, client: Any = None) -> IngestSummary:
    """Ingest files, folders and JSONL files on a Dask cluster (a LocalCluster of ``workers`` processes, the
    scheduler at ``scheduler``, or an open ``client``); ``store_url`` (a postgresql:// URL) lets the workers
    write directly. Returns the same summary as :func:`geoinc.ingest.ingest_paths`."""
    from tqdm import tqdm

    Client, LocalCluster = _dask()
    files = [str(Path(p).resolve()) for p in iter_article_files(paths)]    # workers run in other folders
    summary = IngestSummary(files=len(files))
    direct = store_url is not None and is_url(store_url)
    known = frozenset() if direct else frozenset(store.article_ids())
    cluster = None
    own = client is None
    if own and scheduler:
        client = Client(scheduler)
    elif own:
        cluster = LocalCluster(n_workers=max(1, workers or 1), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        client.register_plugin(_GazetteerPlugin())
        [known_f] = client.scatter([known], broadcast=True)        # one object (a set would be split)
        batches = [files[i:i + batch] for i in range(0, len(files), batch)]
        futures = [client.submit(prepare_files, b, published, known_f, store_url if direct else None,
                                 pure=False, retries=2) for b in batches]
        bar = tqdm(total=len(files), desc="ingest", unit="file", file=sys.stderr,
                   disable=not (progress and sys.stderr.isatty()), leave=False)
        for b, fut in zip(batches, futures):          # in input order: the single writer stores as serial would
            prepared: Prepared = fut.result()
            summary.articles += prepared.articles
            summary.articles_skipped += prepared.known
            summary.errors.extend(prepared.errors)
            for res in prepared.stored:
                summary.count(res)
            for article, incidents, mentions in prepared.ready:
                summary.count(store.add_article(article, incidents, mentions))
            bar.update(len(b))
            bar.set_postfix(incidents=summary.incidents_new, merged=summary.incidents_merged, refresh=False)
        bar.close()
    finally:
        if own:
            client.close()
        if cluster is not None:
            cluster.close()
    return summary


def ingest_with(store: IncidentStore, paths: Iterable[str | Path], target: str | Path | None, *,
                workers: int | None, scheduler: str | None, published: str | None, progress: bool) -> IngestSummary:
    """The CLI's entry: PostGIS targets are written by the workers, anything else by this process."""
    url = str(target) if is_url(target) and not str(target).lower().startswith("sqlite") else None
    return ingest_paths_dask(paths, store, store_url=url, workers=workers, scheduler=scheduler,
                             published=published, progress=progress)


__all__ = ["ingest_paths_dask", "ingest_with", "prepare_files", "Prepared", "BATCH_FILES"]
