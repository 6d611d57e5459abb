"""Ingestion, the one pipeline of ``geoinc ingest`` and ``POST /articles``: articles -> place mentions ->
incidents (-> distance claims, when asked) -> store.

``process_article`` stores one article in one transaction. ``ingest_paths`` (``geoinc ingest``) stores the
articles it parsed a batch at a time (:data:`WRITE_ARTICLES` articles or :data:`WRITE_SECONDS` seconds of
work, whichever comes first), in input order and each batch in one transaction, as the single writer of a
Dask ingestion does: a transaction per article cost more than its parsing did (commit, country index).

The I/O loop lives here (files, geoparser, store); reading, extraction, merging and claim checking are pure
steps in ``geoinc.articles``, ``geoinc.incidents`` and ``geoinc.claims``. An article already stored (same id)
is skipped before any parsing, so re-running after an interruption only does the remaining work.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .articles import Article, iter_article_files, read_article_file, resolved_paths, with_published
from .errors import GeoIncError, InputError
from .models import Claim, Incident, Mention
from .store import IncidentStore, IngestResult
from .store.records import PreparedArticle, prepare_article, prepared_items

MentionFinder = Callable[[str], Sequence[Mention]]
# where an ingestion hands each new article's checked claims (``--claims``): its id and the claims as dicts
# (Claim.to_dict(), plain values: the Dask workers ship them as they are)
ClaimSink = Callable[[str, list[dict]], None]

WRITE_ARTICLES = 512            # a writer stores at least this many parsed articles per transaction ...
WRITE_SECONDS = 1.0             # ... or (serial ingestion) what it parsed in this long, whichever comes first


@dataclass(slots=True)
class IngestSummary:
    """What an ingestion run did, for the CLI summary and for callers."""

    files: int = 0
    articles: int = 0              # articles read
    articles_new: int = 0
    articles_skipped: int = 0      # already in the store
    mentions: int = 0
    incidents_new: int = 0
    incidents_merged: int = 0
    errors: list[str] = field(default_factory=list)
    task_cpu_s: float = 0.0        # CPU seconds of the Dask tasks (geoinc.ingest_dask), for benchmarks
    claim_verdicts: dict[str, int] | None = None   # verdict -> claims, when claims were checked (--claims)

    def count(self, res: IngestResult) -> None:
        """Add one article's store result (skipped, or new with its mentions and incidents)."""
        if res.skipped:
            self.articles_skipped += 1
            return
        self.articles_new += 1
        self.mentions += res.mentions
        self.incidents_new += len(res.incidents_new)
        self.incidents_merged += len(res.incidents_merged)

    def count_claims(self, claims: list[dict]) -> None:
        """Add one article's checked claims (dicts, as a ClaimSink gets them) to the verdict counts."""
        verdicts = self.claim_verdicts if self.claim_verdicts is not None else {}
        for c in claims:
            verdicts[c["verdict"]] = verdicts.get(c["verdict"], 0) + 1
        self.claim_verdicts = verdicts

    def line(self) -> str:
        from .textio import plural

        return (f"{plural(self.articles, 'article')} ({self.articles_new} new, {self.articles_skipped} already "
                f"stored), {plural(self.mentions, 'place mention')}, {plural(self.incidents_new, 'new incident')}, "
                f"{self.incidents_merged} merged into known incidents"
                + (f", {plural(len(self.errors), 'input')} skipped" if self.errors else "")
                + (self._claims_part() if self.claim_verdicts is not None else ""))

    def _claims_part(self) -> str:
        from .textio import plural

        verdicts = self.claim_verdicts or {}
        counts = ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items(), key=lambda kv: (-kv[1], kv[0])))
        return f", {plural(sum(verdicts.values()), 'claim')} checked" + (f" ({counts})" if counts else "")


def _default_finder() -> MentionFinder:
    from .geoparser.resolve import geoparse

    return lambda text: geoparse(text)


@dataclass(slots=True)
class ArticleIngest:
    """One article through the pipeline: what the store did, the article's mentions, its claims (when asked)."""

    stored: IngestResult
    mentions: list[Mention]
    claims: list[Claim] = field(default_factory=list)


def read_article(article: Article, find_mentions: MentionFinder | None = None
                 ) -> tuple[list[Mention], list[Incident]]:
    """The pure steps of the pipeline for one article: its mentions and incidents (serial ingest and the
    Dask workers both call this). InputError when the article has no publication date."""
    from .incidents.extract import extract_incidents

    if not article.published:
        raise InputError(f"{article.path or article.id}: no publication date; add a first line "
                         "'date YYYY-MM-DD' or pass --published YYYY-MM-DD")
    mentions = list((find_mentions or _default_finder())(article.text))
    return mentions, extract_incidents(article, article.published, mentions=mentions)


def process_article(store: IncidentStore, article: Article, *, find_mentions: MentionFinder | None = None,
                    published: str | None = None, claims: bool = False) -> ArticleIngest:
    """Geoparse, extract and store one article (not parsed again when the store already has it); with
    ``claims``, also check its distance claims against its mentions (the stored ones for a known article)."""
    if published:
        article = with_published(article, published)
    if store.has_article(article.id):
        stored = IngestResult(article_id=article.id, skipped=True)
        mentions = store.mentions(article.id) if claims else []
    else:
        mentions, incidents = read_article(article, find_mentions)
        stored = store.add_article(article, incidents, mentions)
    return ArticleIngest(stored, mentions, _checked_claims(article, mentions) if claims else [])


def _checked_claims(article: Article, mentions: Sequence[Mention]) -> list[Claim]:
    """An article's distance, direction and border claims, checked against its mentions."""
    from .claims.measure import check_distances

    return check_distances(article.text, article.published, mentions=mentions)


def check_claims(article: Article, mentions: list[Mention]) -> list[dict]:
    """An article's checked claims as dicts (what a ClaimSink gets): the pure step serial and Dask ingestion
    share."""
    return [c.to_dict() for c in _checked_claims(article, mentions)]


def ingest_article(store: IncidentStore, article: Article, *, find_mentions: MentionFinder | None = None,
                   published: str | None = None) -> IngestResult:
    """Geoparse, extract and store one article (skipped at once when the store already has it)."""
    return process_article(store, article, find_mentions=find_mentions, published=published).stored


def ingest_paths(paths: Iterable[str | Path], store: IncidentStore, *, published: str | None = None,
                 progress: bool = False, find_mentions: MentionFinder | None = None,
                 stop_on_error: bool = False, claims: ClaimSink | None = None) -> IngestSummary:
    """Ingest files, folders and JSONL files; bad inputs are recorded in ``errors`` and skipped.

    ``progress`` shows a tqdm bar on stderr (only on a terminal). With ``stop_on_error`` the first bad
    input raises instead. With ``claims``, each article this run stores also has its distance, direction and
    border claims checked (against its mentions), handed to ``claims`` and counted in the summary. Parsed
    articles are stored in batches (see the module's docstring), and what was parsed is stored before an
    error or an interrupt goes on, so a re-run only does what is left.
    """
    from tqdm import tqdm

    finder = find_mentions or _default_finder()
    files = resolved_paths(iter_article_files(paths))        # stored as Dask ingestion stores them
    summary = IngestSummary(files=len(files), claim_verdicts={} if claims is not None else None)
    writer = _BatchWriter(store, summary, claims)
    bar = tqdm(files, desc="ingest", unit="file", file=sys.stderr,
               disable=not (progress and sys.stderr.isatty()), leave=False)
    try:
        for path in bar:
            try:
                articles = read_article_file(path, published=published)
            except GeoIncError as err:
                if stop_on_error:
                    raise
                summary.errors.append(str(err))
                continue
            for article in articles:
                summary.articles += 1
                if writer.holds(article.id) or store.has_article(article.id):
                    summary.count(IngestResult(article_id=article.id, skipped=True))
                    continue
                try:
                    mentions, incidents = read_article(article, finder)
                except InputError as err:
                    if stop_on_error:
                        raise
                    summary.errors.append(str(err))
                    continue
                writer.add(prepare_article(article, incidents, mentions),
                           check_claims(article, mentions) if claims is not None else None)
            bar.set_postfix(incidents=summary.incidents_new, merged=summary.incidents_merged, refresh=False)
    finally:
        writer.flush()              # the last batch; after an error or an interrupt, what was parsed till then
        bar.close()
    return summary


class _BatchWriter:
    """The articles a serial ingestion parsed and has not stored yet, stored in one transaction once there are
    :data:`WRITE_ARTICLES` of them or :data:`WRITE_SECONDS` after the first (then counted in the summary, and
    their claims handed on, in input order)."""

    def __init__(self, store: IncidentStore, summary: IngestSummary, claims: ClaimSink | None) -> None:
        self.store, self.summary, self.claims = store, summary, claims
        self.held: list[PreparedArticle] = []
        self.found: list[list[dict] | None] = []
        self.ids: set[str] = set()
        self.since = 0.0

    def holds(self, article_id: str) -> bool:
        """Whether an article of this id is waiting to be stored (a second copy of it is then skipped)."""
        return article_id in self.ids

    def add(self, prepared: PreparedArticle, found: list[dict] | None) -> None:
        if not self.held:
            self.since = time.monotonic()
        self.held.append(prepared)
        self.found.append(found)
        self.ids.add(prepared[0][0])
        if len(self.held) >= WRITE_ARTICLES or time.monotonic() - self.since >= WRITE_SECONDS:
            self.flush()

    def flush(self) -> None:
        held, found = self.held, self.found
        if not held:
            return
        self.held, self.found, self.ids = [], [], set()     # emptied first: a failed write is not retried
        for res, claims in zip(write_prepared(self.store, held), found):
            self.summary.count(res)
            if self.claims is not None and claims is not None and not res.skipped:
                self.summary.count_claims(claims)
                self.claims(res.article_id, claims)


def write_prepared(store: IncidentStore, ready: Sequence[PreparedArticle]) -> list[IngestResult]:
    """Store prepared articles in one transaction, in order: as rows where the store takes them (SQLite),
    else rebuilt into the (article, incidents, mentions) every store takes."""
    add_prepared = getattr(store, "add_prepared", None)
    if add_prepared is not None:
        return add_prepared(ready)
    return store.add_articles([prepared_items(p) for p in ready])


__all__ = ["IngestSummary", "ArticleIngest", "ClaimSink", "read_article", "process_article", "check_claims",
           "ingest_article", "ingest_paths", "write_prepared", "WRITE_ARTICLES", "WRITE_SECONDS"]
