"""The ingest / incidents / export / import commands, run through the real CLI entry point."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, SAMPLES
from geoinc.cli import main
from geoinc.store.sqlite import open_store

WAR = str(SAMPLES / "tower22-iran-avoids-war.txt")
RESPONSE = str(SAMPLES / "tower22-us-vows-response.txt")
TEAM_ARTICLE = str(DATA / "articles" / "2024-01-29-drone-kills-three-us-soldiers-at-tower-22.txt")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "cli.sqlite")


@pytest.mark.shared
def test_ingest_list_show_split(capsys, db):
    code, out, err = run(capsys, "ingest", str(SAMPLES), "--db", db)
    # the response article has no date line: it is skipped with an actionable message, the other is stored
    assert code == 2 and "no publication date" in err and "--published" in err
    assert out.startswith("2 articles (1 new, 0 already stored)") and "1 new incident," in out
    code, out, _ = run(capsys, "ingest", RESPONSE, "--published", "2024-01-29", "--db", db)
    assert code == 0 and "2 new incidents, 1 merged into known incidents" in out
    code, out, _ = run(capsys, "ingest", WAR, RESPONSE, "--published", "2024-01-29", "--db", db)
    assert code == 0 and out.startswith("2 articles (0 new, 2 already stored)")      # idempotent
    code, out, _ = run(capsys, "incidents", "list", "--db", db)
    lines = out.splitlines()
    assert code == 0 and len(lines) == 4 and lines[0].startswith("ID")
    tower_line = next(line for line in lines if "Tower 22" in line)
    assert "2024-01-28" in tower_line and "Air/drone strike" in tower_line and "confirmed" in tower_line
    tower_id = tower_line.split()[0]
    code, out, _ = run(capsys, "incidents", "show", tower_id[:8], "--db", db)
    assert code == 0 and "sources (2):" in out and "killed three American soldiers" in out
    assert "injured:    34" in out and "why these sources are one incident" in out and "km apart" in out
    code, out, _ = run(capsys, "incidents", "show", tower_id, "--json", "--db", db)
    data = json.loads(out)
    assert data["injuries"] == 34 and len(data["sources"]) == 2 and len(data["reports"]) == 2
    second = data["reports"][1]["article"]
    code, out, _ = run(capsys, "incidents", "split", tower_id, "--source", second[:10], "--db", db)
    assert code == 0 and "is now incident" in out
    code, out, _ = run(capsys, "incidents", "list", "--db", db, "--json")
    assert len(out.splitlines()) == 4
    code, out, _ = run(capsys, "incidents", "list", "--db", db, "--status", "claimed")
    assert len(out.splitlines()) == 2 and "Al-Tanf" in out


@pytest.mark.shared
def test_export_query_and_list_share_one_engine_and_one_acled_row(capsys, db, tmp_path):
    """``geoinc export``, ``geoinc query`` and ``geoinc incidents list`` run the same query path: the same
    ACLED CSV (geoinc's extras in tags) and the same folded type filter."""
    run(capsys, "ingest", WAR, "--db", db)
    run(capsys, "ingest", RESPONSE, "--published", "2024-01-29", "--db", db)
    code, _, _ = run(capsys, "export", "--format", "acled-csv", "-o", str(tmp_path / "e.csv"), "--db", db)
    assert code == 0
    code, _, _ = run(capsys, "query", "--format", "acled-csv", "-o", str(tmp_path / "q.csv"), "--db", db)
    assert code == 0
    exported = (tmp_path / "e.csv").read_text(encoding="utf-8")
    assert exported == (tmp_path / "q.csv").read_text(encoding="utf-8")
    assert "geoinc:status=confirmed" in exported and "geoinc:injuries=34" in exported
    code, out, _ = run(capsys, "incidents", "list", "--db", db, "--type", "explosions/REMOTE violence", "--json")
    assert code == 0 and {json.loads(line)["event_type"] for line in out.splitlines()} == {"Explosions/Remote violence"}


@pytest.mark.shared
def test_export_and_import_round_trip(capsys, db, tmp_path):
    run(capsys, "ingest", WAR, "--db", db)
    run(capsys, "ingest", RESPONSE, "--published", "2024-01-29", "--db", db)
    for fmt, name in (("acled-csv", "x.csv"), ("geojson", "x.geojson"), ("gpkg", "x.gpkg")):
        code, out, _ = run(capsys, "export", "--format", fmt, "-o", str(tmp_path / name), "--db", db)
        assert code == 0 and out.startswith("wrote 3 incidents")
    other = str(tmp_path / "other.sqlite")
    code, out, err = run(capsys, "import", str(tmp_path / "x.csv"), "--db", other)
    assert code == 0 and "stored 3, skipped 0" in out and not err
    code, out, _ = run(capsys, "import", str(tmp_path / "x.geojson"), "--db", other)
    assert code == 0 and "stored 0, skipped 0; 3 already in the store" in out
    with open_store(other) as a, open_store(db) as b:
        assert {i.event_id_cnty for i in a.iter_incidents()} == {i.event_id_cnty for i in b.iter_incidents()}


def test_import_reports_bad_rows_by_line(capsys, db, tmp_path):
    src = tmp_path / "in.csv"
    text = (Path(__file__).parent / "data" / "acled_sample.csv").read_text(encoding="utf-8").splitlines()
    text.insert(2, text[2].replace("SYR131001", "BAD1").replace("33.5058", "123"))
    src.write_text("\n".join(text) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "import", str(src), "--dry-run", "--db", db)
    assert code == 0 and "nothing stored" in out and "line 3: latitude 123 is out of range" in err
    code, out, err = run(capsys, "import", str(src), "--db", db, "--strict")       # one bad row: nothing stored
    assert code == 2 and "nothing stored (--strict and 1 bad row)" in out
    assert not Path(db).exists() or not list(open_store(db).iter_incidents())
    code, out, err = run(capsys, "import", str(src), "--db", db)           # the good rows are stored: exit 0
    assert code == 0 and "stored 9, skipped 1 (bad rows, listed above)" in out
    assert "line 3: latitude 123 is out of range" in err


def test_place_name_spreadsheet_via_cli(capsys, db, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("When,Where,Type\n2024-01-28,Tower 22,Air/drone strike\n2024-01-30,Nowhere Xq,Armed clash\n",
                     encoding="utf-8")
    code, out, err = run(capsys, "import", str(sheet), "--columns", "event_date=When,location=Where,sub_event_type=Type",
                         "--db", db)
    assert code == 0 and "stored 2, skipped 0" in out and "1 flagged" in out
    assert "line 3: could not place 'Nowhere Xq'" in err and "kept, flagged" in err


@pytest.mark.parametrize("argv, message", [
    (["ingest", "/nonexistent/file.txt"], "no such file"),
    (["ingest", TEAM_ARTICLE, "--published", "29/01/2024"], "invalid date"),
    (["incidents", "show", "NOPE"], "no incident"),
    (["import", "/nonexistent.csv"], "no such file"),
    (["import", TEAM_ARTICLE, "--format", "acled-csv"], "not an ACLED export"),
    (["incidents", "list", "--bbox", "1,2,3"], "bbox"),
])
def test_user_errors_exit_2_with_a_message(capsys, db, argv, message):
    run(capsys, "ingest", TEAM_ARTICLE, "--db", db)
    code, _, err = run(capsys, *argv, "--db", db)
    assert code == 2 and message in err and "Traceback" not in err


def test_binary_and_jsonl_inputs(capsys, db, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "in" / "feed.jsonl").write_text(json.dumps(
        {"text": "Clashes erupted between the Syrian army and Islamic State fighters near Palmyra on Sunday. "
                 "Two soldiers were killed.", "published": "2024-03-05", "title": "Palmyra"}) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "ingest", str(tmp_path / "in"), "--db", db)
    assert code == 2 and "binary" in err and "1 new incident," in out
    with open_store(db) as s:
        (inc,) = s.iter_incidents()
        assert inc.location == "Palmyra" and inc.event_date == "2024-03-03" and inc.sources[0].title == "Palmyra"


@pytest.mark.shared
def test_module_entry_point_runs(tmp_path):
    db = tmp_path / "s.sqlite"
    proc = subprocess.run([sys.executable, "-m", "geoinc", "ingest", WAR, "--db", str(db)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "1 new incident," in proc.stdout and proc.stderr == ""     # no progress bar when not a terminal


def test_an_ingested_article_keeps_its_resolved_path_as_a_dask_ingestion_does(capsys, tmp_path, monkeypatch):
    # given relative, through a symlinked folder: the store holds the file's resolved path (what --workers
    # stores too), so that a store means the same file whichever folder the ingestion ran in
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.txt").write_text(Path(TEAM_ARTICLE).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "ingest", "linked/a.txt", "--db", str(tmp_path / "p.sqlite"), "-q")
    assert code == 0, err
    with open_store(tmp_path / "p.sqlite") as s:
        (aid,) = s.article_ids()
        assert s.article(aid)["path"] == str(real / "a.txt")


def test_ingest_checks_the_claims_of_new_articles_when_asked(capsys, tmp_path, db):
    """``geoinc ingest --claims FILE``: each claim of each article the run stores, one JSON line with its
    article id, the same claims ``check_distances`` gives for that article; the summary counts them by verdict;
    a re-run stores nothing new and checks nothing."""
    from geoinc import check_distances, geoparse
    from geoinc.articles import iter_article_files, read_article_file

    out_path = tmp_path / "claims.jsonl"
    code, out, err = run(capsys, "ingest", str(DATA / "articles"), "--db", db, "--claims", str(out_path), "-q")
    assert code == 0, err
    lines = [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()]
    want = []
    for path in sorted(iter_article_files([DATA / "articles"])):
        for article in read_article_file(path):
            for c in check_distances(article.text, article.published, mentions=geoparse(article.text)):
                want.append({"article_id": article.id, **c.to_dict()})
    assert lines and sorted(lines, key=lambda c: (c["article_id"], c["start"])) == \
        sorted(want, key=lambda c: (c["article_id"], c["start"]))
    verdicts = {v: sum(c["verdict"] == v for c in lines) for v in {c["verdict"] for c in lines}}
    counts = ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items(), key=lambda kv: (-kv[1], kv[0])))
    assert out.strip().endswith(f"{len(lines)} claims checked ({counts})")
    with open_store(db) as s:
        assert {c["article_id"] for c in lines} <= set(s.article_ids())
    code, out, _ = run(capsys, "ingest", str(DATA / "articles"), "--db", db, "--claims", str(out_path), "-q")
    assert code == 0 and out.strip().endswith("0 claims checked") and out_path.read_text() == ""
    # without the option nothing is checked and the summary says nothing of claims
    code, out, _ = run(capsys, "ingest", str(DATA / "articles"), "--db", db, "-q")
    assert code == 0 and "claim" not in out


def test_ingest_claims_file_in_a_missing_folder_is_refused_before_anything_is_stored(capsys, tmp_path):
    db = tmp_path / "never.sqlite"
    code, out, err = run(capsys, "ingest", TEAM_ARTICLE, "--db", str(db), "--claims", str(tmp_path / "no" / "c.jsonl"))
    assert code == 2 and err.count("\n") == 1 and "no such folder" in err and "Traceback" not in err
    assert not db.exists()


def test_ingest_claims_lines_survive_line_separators_in_the_article(capsys, tmp_path, db):
    """Article text is untrusted: a claim quoting a line or paragraph separator stays on its one JSON line."""
    art = tmp_path / "sep.txt"
    art.write_text("date 2024-02-02\nAid reached Zarqa,\u2028 a city about 20 km northeast of Amman, on Monday.\n",
                   encoding="utf-8")
    out_path = tmp_path / "claims.jsonl"
    code, _, err = run(capsys, "ingest", str(art), "--db", db, "--claims", str(out_path), "-q")
    assert code == 0, err
    raw = out_path.read_bytes()
    assert raw.isascii() and raw.count(b"\n") == 1
    assert json.loads(raw)["verdict"] in ("consistent", "inconsistent", "unverifiable")
