"""``geoinc import`` of a place-name sheet, as a user meets it: one bad row does not sink the good ones,
rows without a type read cleanly in ``incidents list``, and "near X" is X at geo_precision 2."""
from __future__ import annotations

import json

import pytest

from geoinc.acled import split_qualifier
from geoinc.cli import main
from geoinc.store.sqlite import open_store

SHEET = ("date,location,fatalities\n"
         "2024-01-02,near Abu Kamal,2\n"
         "2024-01-03,Tower 22,x\n"                       # bad: fatalities is not a number
         "2024-01-04,Deir ez-Zor countryside,1\n")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sheet(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text(SHEET, encoding="utf-8")
    return str(path)


def test_one_bad_row_stores_the_good_ones_and_exits_0(sheet, tmp_path, capsys):
    db = str(tmp_path / "s.sqlite")
    code, out, err = run(capsys, "import", sheet, "--db", db)
    assert code == 0
    assert out.strip() == "3 rows read (csv): stored 2, skipped 1 (bad rows, listed above); 0 already in the store, 0 flagged"
    assert err.splitlines() == [f"geoinc import: {sheet}: line 3: fatalities 'x' is not a whole number (skipped)"]
    with open_store(db) as s:
        assert len(list(s.iter_incidents())) == 2


def test_strict_stores_nothing_when_a_row_is_bad(sheet, tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    code, out, _ = run(capsys, "import", sheet, "--strict", "--db", str(db))
    assert code == 2 and "nothing stored (--strict and 1 bad row)" in out
    assert not db.exists()


def test_no_usable_row_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("date,location\nnot a date,Tower 22\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(bad), "--db", str(tmp_path / "s.sqlite"))
    assert code == 2 and "no usable rows" in err


def test_untyped_rows_show_no_slash_and_near_is_precision_2(sheet, tmp_path, capsys):
    db = str(tmp_path / "s.sqlite")
    assert run(capsys, "import", sheet, "--db", db)[0] == 0
    code, out, _ = run(capsys, "incidents", "list", "--db", db)
    header, *rows = out.splitlines()
    start = header.index("TYPE / SUB-TYPE")
    assert [r[start:start + 48].strip() for r in rows] == ["-", "-"]
    assert " / " not in "".join(rows) and "/" not in "".join(r[start:start + 48] for r in rows)
    code, out, _ = run(capsys, "incidents", "list", "--json", "--db", db)
    got = {d["location"]: d["geo_precision"] for d in map(json.loads, out.splitlines())}
    assert got == {"Abu Kamal": 2, "Deir ez-Zor": 2}


@pytest.mark.parametrize("cell, expected", [
    ("near Abu Kamal", ("Abu Kamal", True)),
    ("Mayadin countryside", ("Mayadin", True)),
    ("the outskirts of Deir ez-Zor", ("Deir ez-Zor", True)),
    ("outside of Raqqa", ("Raqqa", True)),
    ("Bay of Pigs area", ("Bay of Pigs", True)),
    ("Tower 22", ("Tower 22", False)),
    ("  Tower   22 ", ("Tower 22", False)),
    ("near", ("near", False)),
])
def test_split_qualifier(cell, expected):
    assert split_qualifier(cell) == expected
