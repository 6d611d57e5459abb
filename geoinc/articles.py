"""Read news articles from files, folders and JSONL, with their publication date, title and URL.

An article's id is a stable hash of its normalised text, so the same story read twice (from another path,
with other line endings) is recognised and ingested once. Offsets given for quotes refer to ``Article.text``
exactly as read (header lines included), so a quote can always be found again in the file.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .errors import InputError, NotFoundError
from .textio import MAX_BYTES, iter_text_lines, read_text_file

# Header lines: "date 2024-02-03", "title ...", "url ..." (also "date: ...").  The sample has a stray
# leading space and text after the date on the same line, so only the date token is consumed.
_DATE_LINE = re.compile(r"^[ \t\ufeff]*(?:date|published)\s*:?\s*(\d{4}-\d{2}-\d{2})\b[ \t]*", re.I)
_FIELD_LINE = re.compile(r"^[ \t]*(title|url)\s*:?[ \t]+(.+?)[ \t]*$", re.I)
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FM_FIELD = re.compile(r"^\s*([A-Za-z_]+)\s*:\s*(.*?)\s*$")

TEXT_SUFFIXES = {".txt", ".md", ".text", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


@dataclass(frozen=True, slots=True)
class Article:
    """One article: its text as read, where its body starts, and what is known about its publication."""

    id: str                       # stable hash of the normalised text (16 hex digits)
    text: str
    published: str | None = None  # YYYY-MM-DD
    title: str | None = None
    url: str | None = None
    path: str | None = None       # file it came from ("file.jsonl:3" for a JSONL line)
    body_offset: int = 0          # where the body starts in text (after header lines / front matter)

    @property
    def body(self) -> str:
        return self.text[self.body_offset:]


def normalise_text(text: str) -> str:
    """The form hashed for an article id: NFC, unified line ends, collapsed whitespace, stripped."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return " ".join(text.split())             # = re.sub(r"\s+", " ", text).strip(): the same whitespace


def article_id(text: str) -> str:
    """Stable id of an article: the first 16 hex digits of SHA-256 of its normalised text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


def check_date(value: str, where: str) -> str:
    """A YYYY-MM-DD date string, or InputError naming where the bad value came from."""
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    raise InputError(f"{where}: invalid date {text!r}; expected YYYY-MM-DD")


def parse_article(text: str, *, path: str | None = None, published: str | None = None,
                  title: str | None = None, url: str | None = None, id: str | None = None) -> Article:
    """Build an Article from raw text: header lines or front matter give date/title/url; arguments override.

    ``published`` (e.g. from ``--published``) wins over the date found in the text.
    """
    where = path or "article"
    if not text or not text.strip():
        raise InputError(f"{where}: empty article; nothing to read")
    if "\x00" in text:
        raise InputError(f"{where}: looks like a binary file (NUL bytes); expected UTF-8 text")
    found: dict[str, str] = {}
    offset = 0
    fm = _FRONT_MATTER.match(text)
    if fm:
        for line in fm.group(1).splitlines():
            m = _FM_FIELD.match(line)
            if m and m.group(2):
                found.setdefault(m.group(1).lower(), m.group(2).strip().strip("\"'"))
        offset = fm.end()
        if "date" in found or "published" in found:
            found["date"] = check_date(found.get("date") or found["published"], f"{where}: front matter")
    else:
        # header lines at the very top: date / title / url, in any order, until something else
        pos = 0
        while pos < len(text):
            nl = text.find("\n", pos)
            line_end = len(text) if nl < 0 else nl
            line = text[pos:line_end]
            m = _DATE_LINE.match(line)
            if m and "date" not in found:
                found["date"] = check_date(m.group(1), f"{where}: date line")
                rest = line[m.end():].strip()
                if rest:  # text continues on the date line (the shared sample): the body starts there
                    offset = pos + m.end()
                    break
            else:
                f = _FIELD_LINE.match(line)
                if not f or f.group(1).lower() in found:
                    break
                found[f.group(1).lower()] = f.group(2)
            pos = line_end + 1
            offset = min(pos, len(text))
        # skip blank lines between header and body
        while offset < len(text) and text[offset] in "\r\n":
            offset += 1
    if published:
        published = check_date(published, f"{where}: published")
    body = text[offset:]
    if not body.strip():
        raise InputError(f"{where}: the article has a header but no body")
    return Article(
        id=id or article_id(text[offset:]),
        text=text,
        published=published or found.get("date"),
        title=title or found.get("title"),
        url=url or found.get("url"),
        path=path,
        body_offset=offset,
    )


def _read_text(path: Path) -> str:
    """The file's UTF-8 text (at most MAX_BYTES, checked while reading; emptiness is judged by the parser)."""
    return read_text_file(path, max_bytes=MAX_BYTES, allow_empty=True, expected="an article file, a folder of them or a JSONL file")


def _read_jsonl(path: Path, published: str | None) -> Iterator[Article]:
    n = 0
    for lineno, line in iter_text_lines(path, max_line_bytes=MAX_BYTES):     # streamed: memory bounded per line
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{where}: not valid JSON ({err.msg})") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise InputError(f"{where}: each line must be an object with a \"text\" string")
        pub = published or obj.get("published") or obj.get("date")
        n += 1
        yield parse_article(obj["text"], path=where, published=pub, title=obj.get("title"),
                            url=obj.get("url"), id=str(obj["id"]) if obj.get("id") else None)
    if n == 0:
        raise InputError(f"{path}: empty JSONL file; expected one article object per line")


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
                      and not p.name.upper().startswith(("README", "LICENSE", "CHANGELOG"))
                      and p.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES)
    if not path.exists():
        raise NotFoundError(f"{path}: no such file or folder")
    return [path]


def iter_article_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files behind the given paths (folders expanded, sorted), for progress bars."""
    out: list[Path] = []
    for p in paths:
        out.extend(_files(Path(p)))
    return out


def resolved_paths(paths: Iterable[str | Path]) -> list[str]:
    """``str(Path(p).resolve())`` of each path: what an ingestion stores as an article's path, serial or on Dask
    workers (which may run in other folders); each folder resolved once (os.path.realpath reads a path's
    folders first: a file that is no symlink itself resolves to its resolved folder joined with its name)."""
    import functools
    import os

    folder = functools.lru_cache(maxsize=None)(os.path.realpath)
    out = []
    for p in map(str, paths):
        head, tail = os.path.split(p)
        if tail in ("", ".", "..") or os.path.islink(p):
            out.append(os.path.realpath(p))
        else:
            out.append(os.path.join(folder(head or os.curdir), tail))
    return out


def read_article_file(path: str | Path, *, published: str | None = None) -> list[Article]:
    """The articles in one file: one for text files, one per line for JSONL."""
    path = Path(path)
    if path.suffix.lower() in JSONL_SUFFIXES:
        return list(_read_jsonl(path, published))
    return [parse_article(_read_text(path), path=str(path), published=published)]


def read_articles(paths: str | Path | Iterable[str | Path], *, published: str | None = None) -> list[Article]:
    """Articles from files, folders (recursively: .txt, .md, .jsonl) and JSONL files.

    ``published`` (YYYY-MM-DD) overrides every article's own date, like ``geoinc ingest --published``.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return [a for f in iter_article_files(paths) for a in read_article_file(f, published=published)]


def with_published(article: Article, published: str | None) -> Article:
    """The same article with another publication date (validated)."""
    return replace(article, published=check_date(published, article.path or "article") if published else None)


__all__ = ["Article", "read_articles", "read_article_file", "iter_article_files", "parse_article",
           "article_id", "normalise_text", "with_published", "resolved_paths"]
