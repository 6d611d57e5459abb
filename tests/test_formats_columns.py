"""Exports read the result frame column by column (formats.records) and write GeoJSON feature by feature: the
same text as the row-wise reading and json.dumps of the whole collection, on every kind of column value."""
from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import pytest

from geoinc.formats import _clean, incidents_to_frame, records, render, to_csv, to_geojson
from geoinc.models import Incident, Source
from geoinc.textio import FORMULA_STARTS, neutralise_formula

ODD = [
    Incident(event_id_cnty="ODD-1", event_date="2024-01-28", event_type="Battles", country="Syria",
             location='Dayr "az" Zawr \u00e9\u0645\u062f\u064a\u0646\u0629 \x1b[31m\r\n', latitude=35.33,
             longitude=40.14, fatalities=3, notes="=HYPERLINK(\"x\") 100% {sure} \u2028 \U0001F600",
             sources=[Source(article="a1", quote='he said "no" \\ </script>')]),
    Incident(event_id_cnty="ODD-2", event_date="", event_type="Protests", latitude=None, longitude=None,
             fatalities_low=1, fatalities_high=2**62, location_confidence=0.1 + 0.2, actor1="-minus", admin1="'+x"),
    Incident(event_id_cnty="ODD-3", event_date="2023-05-01", latitude=-0.0, longitude=1e-300, tags="a; b",
             injuries=0, claimant="@group"),
]


def rowwise(frame: pd.DataFrame) -> list[dict]:
    """What records() gave before it read by columns: pandas' row tuples, each value through _clean."""
    columns = [c for c in frame.columns if c != "geometry"]
    return [{c: _clean(v) for c, v in zip(columns, row)}
            for row in frame.reindex(columns=columns).itertuples(index=False, name=None)]


def odd_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "event_id_cnty": ["A", "B", "C", "D"],
        "latitude": [1.5, float("nan"), math.inf, -0.0],
        "longitude": np.array([2.0, 3.0, 4.0, 5.0]),
        "n": pd.array([1, None, 3, 2**40], dtype="Int64"),
        "s": pd.array(["x", None, "=1+1", ""], dtype="string"),
        "o": pd.Series([np.float64(1.25), np.int64(7), pd.NA, None], dtype=object),
        "b": [True, False, True, False],
        "sources": ['[{"article": "a"}]', None, "not json", "[]"],
    })


@pytest.mark.parametrize("make", [lambda: incidents_to_frame(ODD), odd_frame, lambda: incidents_to_frame([])])
def test_records_read_by_columns_equal_the_row_reading(make) -> None:
    frame = make()
    got = list(records(frame))
    want = rowwise(frame)
    assert got == want
    for g, w in zip(got, want):       # same types too (True is not 1, 1.0 is not 1)
        assert [type(v) for v in g.values()] == [type(v) for v in w.values()]


@pytest.mark.parametrize("make", [lambda: incidents_to_frame(ODD), odd_frame, lambda: incidents_to_frame([])])
def test_geojson_text_is_the_collection_dumped(make) -> None:
    frame = make()
    assert render(frame, "geojson") == json.dumps(to_geojson(frame), ensure_ascii=False) + "\n"


def test_csv_cells_of_odd_values() -> None:
    text = to_csv(odd_frame())
    lines = text.splitlines()
    assert lines[0] == "event_id_cnty,latitude,longitude,n,s,o,b,sources"
    assert lines[1].startswith("A,1.5,2.0,1,x,1.25,True,")     # numpy scalars as Python values
    assert lines[2] == "B,,3.0,,,7,False,"                     # NaN, NA and None -> empty cells
    assert lines[3] == "C,,4.0,3,'=1+1,,True,not json"         # inf -> empty; the formula neutralised
    assert lines[4] == "D,-0.0,5.0,1099511627776,,,False,[]"


def _old_neutralise(value):
    if not isinstance(value, str) or not value:
        return value
    rest = value.lstrip("'")
    if rest[:1] and rest[0] in FORMULA_STARTS and not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", rest):
        return "'" + value
    return value


def test_neutralise_formula_shortcut_changes_nothing() -> None:
    rng = np.random.default_rng(5)
    alphabet = list("'=+-@\t\r1.eE xA")
    cells = ["", "'", "''", "-12.5", "+1e5", "'-3", "'=A1", "a=b", 3, None, 2.5]
    cells += ["".join(rng.choice(alphabet, size=int(rng.integers(1, 7)))) for _ in range(5000)]
    for c in cells:
        assert neutralise_formula(c) == _old_neutralise(c), repr(c)
