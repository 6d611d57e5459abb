"""``geoinc check``: table and JSON output on real text, stdin, and clear errors with exit code 2."""
from __future__ import annotations

import io
import json
import sys

import pytest

from conftest import SAMPLES
from geoinc.cli import main

TEAM_TEXT = (
    "Aid convoys reached the Rukban camp on Tuesday after weeks of delays.\n\n"
    "Rukban lies within 5 km of the border between Jordan and Syria, and its residents depend on them.\n"
)


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_table(tmp_path, capsys):
    f = tmp_path / "article.txt"
    f.write_text(TEAM_TEXT, encoding="utf-8")
    code, out, err = run(["check", str(f)], capsys)
    assert code == 0, err
    assert "consistent" in out and "within 5 km" in out and "Rukban -> Jordan–Syria border" in out
    assert "measured" in out and "km" in out and "subject" in out.splitlines()[0]


def test_json_from_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEAM_TEXT.encode("utf-8")), encoding="utf-8"))
    code, out, err = run(["check", "-", "--format", "json"], capsys)
    assert code == 0, err
    claims = json.loads(out)
    assert len(claims) == 1
    c = claims[0]
    assert c["verdict"] == "consistent" and c["target"] == "Jordan–Syria border" and c["target_kind"] == "border"
    assert c["stated_km"] == 5 and c["qualifier"] == "within" and 1.0 < c["measured_km"] < 3.0
    assert (c["subject"], c["kind"]) == ("Rukban", "border")
    assert None not in (c["anchor_lat"], c["anchor_lon"], c["target_lat"], c["target_lon"])
    assert TEAM_TEXT[c["start"]:c["end"]] == c["text"]


def test_tolerance_options(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text("Rukban is 3 km from the Jordan–Syria border.", encoding="utf-8")
    code, out, _ = run(["check", str(f), "--format", "json", "--tolerance-km", "0.2", "--tolerance-relative", "0.01"], capsys)
    assert code == 0 and json.loads(out)[0]["verdict"] == "inconsistent"
    code, _, err = run(["check", str(f), "--tolerance-km", "-1"], capsys)
    assert code == 2 and "--tolerance-km" in err
    code, _, err = run(["check", str(f), "--published", "29/01/2024"], capsys)
    assert code == 2 and "YYYY-MM-DD" in err


def test_claims_without_numbers_in_the_table(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text("Troops moved into Rukban, near the border with Syria. Shelling hit Zarqa, north-east of Amman.",
                 encoding="utf-8")
    code, out, err = run(["check", str(f)], capsys)
    assert code == 0, err
    rows = out.splitlines()
    near = next(r for r in rows if "Rukban, near the border with Syria" in r)
    north = next(r for r in rows if "Zarqa, north-east of Amman" in r)
    assert "near border" in near and "consistent" in near
    assert " NE " in north and "Amman -> Zarqa" in north and "consistent" in north


def test_no_claims(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text("Tower 22 houses about 350 US troops.", encoding="utf-8")
    code, out, _ = run(["check", str(f)], capsys)
    assert code == 0 and "no distance or direction claims" in out


@pytest.mark.parametrize("content,message", [
    (None, "no such file"),
    (b"", "empty"),
    (b"\x00\x01\x02binary", "binary"),
    (b"caf\xe9 latin-1", "UTF-8"),
])
def test_bad_input_exits_2(tmp_path, capsys, content, message):
    f = tmp_path / "in.txt"
    if content is not None:
        f.write_bytes(content)
    code, out, err = run(["check", str(f)], capsys)
    assert code == 2
    assert err.startswith("geoinc check: error:") and message.lower() in err.lower()
    assert "Traceback" not in err


@pytest.mark.shared
def test_sample_article(capsys):
    code, out, err = run(["check", str(SAMPLES / "tower22-iran-avoids-war.txt")], capsys)
    assert code == 0, err
    assert "consistent" in out and "Tower 22 (implicit) -> Iraq border" in out
    assert "The Iraqi border is only 10 kilometers away" in out and "Iraq–Jordan border" in out
    code, out, err = run(["check", str(SAMPLES / "tower22-iran-avoids-war.txt"), "--format", "json"], capsys)
    c, = json.loads(out)
    assert c["verdict"] == "consistent" and 8 <= c["measured_km"] <= 9 and c["implicit_anchor"] is True
