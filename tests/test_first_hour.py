"""Small things a new user notices in the first hour: help text, counts, table cells, the server's start,
documented commands that litter the repository, ``dir(geoinc)`` and the package configuration."""
from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from geoinc.cli import build_parser, main
from geoinc.models import Incident
from geoinc.store.sqlite import open_store
from geoinc.textio import plural

ROOT = Path(__file__).resolve().parent.parent


def _all_parsers(parser: argparse.ArgumentParser, name: str = "geoinc"):
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from _all_parsers(sub, f"{name} {sub_name}")


def test_help_text_shows_no_markup():
    seen = 0
    for name, parser in _all_parsers(build_parser()):
        text = parser.format_help()
        assert "`" not in text, f"{name} --help shows backticks"
        seen += 1
    assert seen > 15                                    # every command and subcommand was looked at


def test_serve_help_does_not_claim_a_cdn():
    parsers = dict(_all_parsers(build_parser()))
    text = parsers["geoinc serve"].format_help()
    assert "CDN" not in text and "/docs" in text and "offline" in text


@pytest.mark.parametrize("n, noun, expected", [(0, "event type", "0 event types"), (1, "event type", "1 event type"),
                                                (2, "incident", "2 incidents"), (1, "new incident", "1 new incident")])
def test_plural(n, noun, expected):
    assert plural(n, noun) == expected


@pytest.fixture
def one_incident_db(tmp_path):
    path = tmp_path / "one.sqlite"
    with open_store(path) as s:
        s.add_incidents([Incident(
            event_id_cnty="SYR-LONG", event_date="2024-01-29", event_type="Violence against civilians",
            sub_event_type="Sexual violence against civilians and abduction/forced disappearance",
            country="Syria", location="Al-Tanf", latitude=33.50583, longitude=38.61778, country_code="SY")])
    return str(path)


def test_counts_agree_with_their_number(one_incident_db, tmp_path, capsys):
    assert main(["map", "-o", str(tmp_path / "m.html"), "--db", one_incident_db]) == 0
    err = capsys.readouterr().err
    assert "1 incident (1 event type), 0 places" in err
    assert main(["query", "-o", str(tmp_path / "q.csv"), "--format", "csv", "--db", one_incident_db]) == 0
    assert "1 incident ->" in capsys.readouterr().err
    assert main(["export", "--format", "geojson", "-o", str(tmp_path / "e.geojson"), "--db", one_incident_db]) == 0
    assert capsys.readouterr().out.startswith("wrote 1 incident to")


def test_incidents_list_marks_cut_cells_with_an_ellipsis(one_incident_db, capsys):
    assert main(["incidents", "list", "--db", one_incident_db]) == 0
    header, row = capsys.readouterr().out.splitlines()
    kind = "Violence against civilians / Sexual violence against civilians and abduction/forced disappearance"
    start = header.index("TYPE / SUB-TYPE")
    cell = row[start:start + 48]
    assert cell.endswith("…") and kind.startswith(cell[:-1])
    assert len(row) == len(row.rstrip()) or row.index("Al-Tanf") == header.index("LOCATION")


def test_serve_on_a_busy_port_says_so_in_one_line(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "geoinc", "serve", "--port", str(port), "--db",
                               str(tmp_path / "s.sqlite")], capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [f"geoinc serve: error: port {port} on 127.0.0.1 is already in use "
                                        "(another server?); choose another with --port N, or --port 0 for a free one"]


# --- the documentation's commands ------------------------------------------------------------------------

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
OUTPUT = re.compile(r"(?:^|\s)(?:-o|--output|--map|--png)\s+([^\s`|)]+)")


def _documented_outputs() -> list[tuple[str, str]]:
    """(doc file, path) for every output path of a geoinc command shown in the docs (placeholders skipped)."""
    found = []
    for doc in DOCS:
        for line in doc.read_text(encoding="utf-8").splitlines():
            if "geoinc " not in line:
                continue
            for path in OUTPUT.findall(line[line.index("geoinc "):]):
                if not re.search(r"[A-Z]{3,}", path):          # FILE, NAME.html: placeholders
                    found.append((doc.name, path))
    return found


def test_documented_commands_write_only_git_ignored_files_in_existing_folders():
    outputs = _documented_outputs()
    assert ("README.md", "maps/incidents.csv") in outputs
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = set(subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split())
    for doc, path in outputs:
        if Path(path).is_absolute():
            continue
        folder = str(Path(path).parent)
        assert folder == "." or any(t.startswith(folder + "/") for t in tracked), \
            f"{doc}: {path}: the folder is not in a fresh clone (geoinc never creates folders)"
        ignored = subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT)
        assert ignored.returncode == 0, f"{doc}: `-o {path}` would leave an untracked file in the repository"


def test_docs_use_the_same_region_options_as_the_readme():
    for doc in DOCS:
        assert "--region" not in doc.read_text(encoding="utf-8"), f"{doc.name} says --region; use --within/--country/--bbox"


# --- the package ---------------------------------------------------------------------------------------------

def test_dir_geoinc_lists_only_public_names():
    import geoinc

    public = [n for n in dir(geoinc) if not n.startswith("_")]
    assert public == sorted(geoinc.__all__)
    assert not {"Any", "TYPE_CHECKING", "importlib", "annotations"} & set(dir(geoinc))
    assert geoinc.geoparse.__name__ == "geoparse" and geoinc.__version__


def test_every_package_folder_is_declared_to_setuptools():
    """setuptools warns once per file of a folder under geoinc/ that is not in ``packages`` (the ~40
    "geoinc.assets is absent from the packages configuration" warnings of an editable install)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    packages = set(config["packages"])
    for folder in sorted((ROOT / "geoinc").rglob("*")):
        if not folder.is_dir() or folder.name == "__pycache__" or any(p.name.startswith(".") for p in folder.parents):
            continue
        files = [f for f in folder.iterdir() if f.is_file() and f.suffix not in (".pyc", ".so")]
        if files:
            name = ".".join(folder.relative_to(ROOT).parts)
            assert name in packages, f"{name} holds files but is not in [tool.setuptools] packages"
            if not (folder / "__init__.py").exists():
                assert name in config["package-data"], f"{name} is a data folder without package-data"
