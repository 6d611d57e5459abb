"""Reading articles: header lines, front matter, JSONL, --published, stable ids, clear errors."""
from __future__ import annotations

import json

import pytest

from conftest import SAMPLES
from geoinc.articles import article_id, parse_article, read_articles
from geoinc.errors import InputError, NotFoundError


@pytest.mark.shared
def test_shared_samples(sample_texts):
    arts = {a.path.rsplit("/", 1)[-1]: a for a in read_articles(SAMPLES)}
    war = arts["tower22-iran-avoids-war.txt"]
    assert war.published == "2024-02-03"                  # from " date 2024-02-03" (stray leading space)
    assert war.body.startswith("File photo-Iran")          # text after the date on the same line is body
    assert war.text == sample_texts["tower22-iran-avoids-war"]   # offsets refer to the text as read
    response = arts["tower22-us-vows-response.txt"]
    assert response.published is None and response.body_offset == 0
    assert read_articles(SAMPLES / "tower22-us-vows-response.txt", published="2024-01-29")[0].published == "2024-01-29"


def test_header_lines_and_ids(tmp_path):
    (tmp_path / "a.txt").write_text("date 2024-03-05\ntitle Shelling near the dam\nurl https://example.org/x\n\n"
                                    "Artillery shelled the village on Monday.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("date 2024-03-05\r\ntitle Shelling near the dam\r\nurl https://example.org/x\r\n\r\n"
                                    "Artillery shelled   the village on Monday.\r\n", encoding="utf-8")
    a, b = read_articles(tmp_path)
    assert (a.published, a.title, a.url) == ("2024-03-05", "Shelling near the dam", "https://example.org/x")
    assert a.body == "Artillery shelled the village on Monday.\n"
    assert a.id == b.id == article_id("Artillery shelled the village on Monday.")   # whitespace-insensitive
    assert len(a.id) == 16


def test_front_matter_and_override(tmp_path):
    p = tmp_path / "fm.md"
    p.write_text("---\ndate: 2023-11-02\ntitle: \"Clashes\"\n---\nClashes erupted in the town.\n", encoding="utf-8")
    (a,) = read_articles(p)
    assert (a.published, a.title, a.body) == ("2023-11-02", "Clashes", "Clashes erupted in the town.\n")
    (b,) = read_articles(p, published="2023-11-03")
    assert b.published == "2023-11-03" and b.id == a.id


def test_jsonl(tmp_path):
    p = tmp_path / "feed.jsonl"
    rows = [{"text": "A drone strike hit the base.", "published": "2024-01-28", "title": "Strike", "url": "u1"},
            {"text": "Protesters marched in the capital.", "published": "2024-01-29", "id": "given-id"}]
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    a, b = read_articles(p)
    assert (a.published, a.title, a.url, a.path) == ("2024-01-28", "Strike", "u1", f"{p}:1")
    assert b.id == "given-id"


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("Caf\u00e9 bomb".encode("latin-1"), "not UTF-8"),
    (b"date 2024-13-40\n\nbody", "invalid date"),
    (b"date 2024-01-01\n\n", "no body"),
])
def test_bad_files_give_clear_errors(tmp_path, content, message):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_articles(p)


def test_bad_jsonl_and_missing_paths(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"text": "ok", "published": "2024-01-01"}\n{"title": "no text"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl:2"):
        read_articles(p)
    with pytest.raises(NotFoundError):
        read_articles(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="invalid date"):
        parse_article("text", published="29/01/2024")


def test_folders_skip_readmes_and_hidden_files(tmp_path):
    (tmp_path / "README.md").write_text("# About these articles\n", encoding="utf-8")
    (tmp_path / ".draft.txt").write_text("date 2024-01-01\n\nhidden", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("date 2024-01-01\n\nClashes erupted.", encoding="utf-8")
    assert [a.body for a in read_articles(tmp_path)] == ["Clashes erupted."]
