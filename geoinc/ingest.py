"""Ingestion, the one pipeline of ``geoinc ingest`` and ``POST /articles``: articles -> place mentions ->
incidents (-> distance claims, when asked) -> store, one transaction per article.

The I/O loop lives here (files, geoparser, store); reading, extraction, merging and claim checking are pure
steps in ``geoinc.articles``, ``geoinc.incidents`` and ``geoinc.claims``. An article already stored (same id)
is skipped before any parsing, so re-running after an interruption only does the remaining work.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .articles import Article, iter_article_files, read_article_file, resolved_paths, with_published
from .errors import GeoIncError, InputError
from .models import Claim, Incident, Mention
from .store import IncidentStore, IngestResult

MentionFinder = Callable[[str], Sequence[Mention]]
# where an ingestion hands each new article's checked claims (``--claims``): its id and the claims as dicts
# (Claim.to_dict(), plain values: the Dask workers ship them as they are)
ClaimSink = Callable[[str, list[dict]], None]


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
    border claims checked (against its mentions), handed to ``claims`` and counted in the summary.
    """
    from tqdm import tqdm

    finder = find_mentions or _default_finder()
    files = resolved_paths(iter_article_files(paths))        # stored as Dask ingestion stores them
    summary = IngestSummary(files=len(files), claim_verdicts={} if claims is not None else None)
    bar = tqdm(files, desc="ingest", unit="file", file=sys.stderr,
               disable=not (progress and sys.stderr.isatty()), leave=False)
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
            try:
                done = process_article(store, article, find_mentions=finder)
            except InputError as err:
                if stop_on_error:
                    raise
                summary.errors.append(str(err))
                continue
            summary.count(done.stored)
            if claims is not None and not done.stored.skipped:
                found = check_claims(article, done.mentions)
                summary.count_claims(found)
                claims(article.id, found)
        bar.set_postfix(incidents=summary.incidents_new, merged=summary.incidents_merged, refresh=False)
    bar.close()
    return summary


__all__ = ["IngestSummary", "ArticleIngest", "ClaimSink", "read_article", "process_article", "check_claims",
           "ingest_article", "ingest_paths"]
