"""``geoinc places``: formats on a real article, and bad input -> one-line message, exit code 2."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from geoinc.cli import main

from conftest import DATA, SAMPLES

ARTICLE = SAMPLES / "tower22-us-vows-response.txt"
TEAM_ARTICLE = DATA / "articles" / "2024-01-29-drone-kills-three-us-soldiers-at-tower-22.txt"


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.shared
def test_table(capsys) -> None:
    code, out, err = run(["places", str(ARTICLE)], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["span", "text", "place"]
    assert any("Rukban" in line and "JO" in line for line in lines)
    assert any("Boukamal" in line and "Abu Kamal" in line and "SY" in line for line in lines)
    assert any("Tehran" in line and "metonym" in line for line in lines)


@pytest.mark.shared
def test_json(capsys) -> None:
    code, out, _ = run(["places", str(ARTICLE), "--format", "json", "--published", "2024-01-29"], capsys)
    assert code == 0
    rows = json.loads(out)
    tanf = [r for r in rows if r["text"] == "Al-Tanf"]
    assert tanf and abs(tanf[0]["lat"] - 33.506) < 0.05 and abs(tanf[0]["lon"] - 38.618) < 0.05
    assert {"start", "end", "name", "lat", "lon", "country_code", "kind", "source", "confidence", "precision",
            "metonym"} <= set(rows[0])


@pytest.mark.shared
def test_geojson_is_lon_lat(capsys) -> None:
    code, out, _ = run(["places", str(ARTICLE), "--format", "geojson"], capsys)
    assert code == 0
    fc = json.loads(out)
    assert fc["type"] == "FeatureCollection" and fc["features"]
    may = [f for f in fc["features"] if f["properties"]["text"] == "al-Mayadine"][0]
    lon, lat = may["geometry"]["coordinates"]
    assert abs(lat - 35.02) < 0.05 and abs(lon - 40.45) < 0.05


def test_csv_and_stdin(capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(
        "Drone strikes hit Tower 22 in Jordan and the Rukban camp.".encode())))
    code, out, _ = run(["places", "-", "--format", "csv"], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["text"] for r in rows] == ["Tower 22", "Jordan", "Rukban"]
    assert rows[0]["country_code"] == "JO"


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"  \n\t \n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    ("Al-Mayādīn in Syrien".encode("latin-1", "replace") + b"\xe9\xff", "not UTF-8"),
])
def test_bad_files_exit_2_with_one_line(tmp_path: Path, capsys, content: bytes, message: str) -> None:
    f = tmp_path / "article.txt"
    f.write_bytes(content)
    code, out, err = run(["places", str(f)], capsys)
    assert code == 2
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_huge_file_exit_2(tmp_path: Path, capsys) -> None:
    f = tmp_path / "big.txt"
    f.write_bytes(b"Baghdad and Mosul. " * (20 * 1024 * 1024 // 19 + 1))   # 20 MB
    code, _, err = run(["places", str(f)], capsys)
    assert code == 2 and "MB" in err and "limit" in err


def test_missing_file_and_bad_date(tmp_path: Path, capsys) -> None:
    code, _, err = run(["places", str(tmp_path / "nope.txt")], capsys)
    assert code == 2 and "no such file" in err
    code, _, err = run(["places", str(TEAM_ARTICLE), "--published", "29/01/2024"], capsys)
    assert code == 2 and "--published" in err


def test_console_script_cold_start(tmp_path: Path) -> None:
    """The installed command runs in a fresh process and prints no traceback on a missing file."""
    exe = Path(sys.executable).with_name("geoinc")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "geoinc"]
    proc = subprocess.run([*cmd, "places", str(TEAM_ARTICLE), "--format", "json"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert any(r["text"] == "Tower 22" for r in json.loads(proc.stdout))
    proc = subprocess.run([*cmd, "places", str(tmp_path / "missing.txt")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
