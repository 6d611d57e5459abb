"""The API's fast paths give the same answers as the general ones (issue 16, latency under load), and the
API bench's own HTTP client reads what the server sends as httpx does."""
from __future__ import annotations

import asyncio
import json
import math
import sys
from pathlib import Path

import httpx
import numpy as np
import pytest

from geoinc.formats import feature, feature_json
from geoinc.models import Incident, Source
from geoinc.store.columns import rows_to_records
from geoinc.store.records import result_columns
from geoinc.store.sqlite import open_store

from servers import served

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

ODD = [
    Incident(event_id_cnty="ODD-1", event_date="2024-01-28", event_type="Battles", country="Syria",
             location='Dayr "az" Zawr\\ \u00e9\u0645\u062f\u064a\u0646\u0629 \x1b[31m\r\n', latitude=35.33,
             longitude=40.14, fatalities=3, notes="100% {sure} %s {} \u2028 \U0001F600",
             sources=[Source(article="a1", quote='he said "no" \\ </script>'), Source(article="a2", url="http://x/?a=1&b=2")]),
    Incident(event_id_cnty="ODD-2", event_date="", event_type="Protests", latitude=None, longitude=None,
             fatalities_low=1, fatalities_high=2**62, location_confidence=0.1 + 0.2),
    Incident(event_id_cnty="ODD-3", event_date="2023-05-01", latitude=-0.0, longitude=1e-300, tags="a; b"),
]


def reference(record) -> str:
    """What the API wrote before: the feature built, then encoded by the json module."""
    return json.dumps(feature(record), ensure_ascii=False)


def test_feature_json_is_the_feature_encoded_for_store_records(store):
    store.add_incidents(ODD)
    from geoinc.regions import build_spec

    records = store.select(build_spec(limit=None), records=True).records
    assert len(records) == len(ODD)
    for r in records:
        assert feature_json(r) == reference(r)
        assert json.loads(feature_json(r))["properties"]["sources"] == feature(r)["properties"]["sources"]
    for inc in ODD:                                       # GET /incidents/{id} encodes Incident.to_dict()
        assert feature_json(inc.to_dict()) == reference(inc.to_dict())


@pytest.mark.parametrize("record", [
    {"event_id_cnty": "X", "latitude": float("nan"), "longitude": 2.0, "sources": "[]"},        # NaN -> null
    {"event_id_cnty": "X", "latitude": math.inf, "longitude": 2.0, "fatalities": -math.inf},
    {"event_id_cnty": "X", "latitude": 1.5, "longitude": 2.5, "flag": True, "other": False},
    {"event_id_cnty": "X", "latitude": np.float64(1.5), "longitude": np.int64(2), "n": np.int32(3)},  # numpy
    {"event_id_cnty": "X", "latitude": 1.0, "longitude": 2.0, "sources": "not json"},           # -> []
    {"event_id_cnty": "X", "latitude": 1.0, "longitude": 2.0, "sources": '{"a": 1}'},           # not a list
    {"event_id_cnty": "X", "latitude": 1.0, "longitude": 2.0, "sources": [{"article": "a"}]},
    {"event_id_cnty": "X", "latitude": 1.0, "longitude": 2.0},                                  # no sources key
    {"latitude": 1.0},                                                                          # no id, no lon
    {"event_id_cnty": None, "longitude": 3.0, "latitude": "4"},
    {"100%": "%s", "{a}": "{}", 'q"uote': "x", "sources": None, "event_id_cnty": "%d"},
    {1: "not a text key", "event_id_cnty": "X"},
    {"geometry": {"type": "Point"}, "event_id_cnty": "X", "latitude": 1.0, "longitude": 2.0},
    {"event_id_cnty": "X", "when": __import__("datetime").date(2024, 1, 2)},
])
def test_feature_json_matches_the_general_path_on_odd_values(record):
    try:
        expected = reference(record)
    except TypeError:                                      # not JSON-encodable: both paths refuse it
        with pytest.raises(TypeError):
            feature_json(record)
        return
    assert feature_json(record) == expected


def test_rows_to_records_with_every_column_or_some():
    cols = result_columns()
    names = ["sources_json" if c == "sources" else c for c in cols]
    row = tuple(range(len(names)))
    assert rows_to_records(names, [row]) == [{c: i for i, c in enumerate(cols)}]
    some = names[::-1][:5]                                  # a store with fewer columns, in another order
    got = rows_to_records(some, [tuple(range(5))])[0]
    assert list(got) == cols
    assert got["sources"] == 0 and got[cols[0]] is None


@pytest.fixture(scope="module")
def big_db(tmp_path_factory):
    """A store with more incidents in one box than the API sends in one piece (so a page is streamed)."""
    db = tmp_path_factory.mktemp("speed") / "big.sqlite"
    s = open_store(db)
    rng = np.random.default_rng(3)
    s.add_incidents([Incident(event_id_cnty=f"B{i:05d}", event_date=f"2024-01-{1 + i % 28:02d}", event_type="Battles",
                              country="Syria", location=f"place {i}", latitude=float(34 + rng.random()),
                              longitude=float(38 + rng.random()), fatalities=i % 5,
                              sources=[Source(article=f"art{i}", quote="q \u00e9")])
                     for i in range(1500)])
    s.close()
    return db


def test_bench_client_reads_whole_and_streamed_answers_as_httpx_does(big_db):
    import bench_api

    with served(big_db, "--workers", "1") as base:
        host, port = base.rsplit("//", 1)[1].rsplit(":", 1)
        targets = ["/health", "/incidents?" + "bbox=38,34,39,35&limit=100",       # Content-Length
                   "/incidents?bbox=38,34,39,35&limit=1400",                      # > SMALL_PAGE: chunked
                   "/incidents/B00007", "/incidents/NOPE", "/incidents?bbox=9,9,1,1"]

        async def raw() -> list[tuple[int, bytes]]:
            conn = bench_api.RawHTTP(host, int(port))
            try:                                                     # one keep-alive connection for all
                out = [await conn.request("GET", t) for t in targets]
                out.append(await conn.request("POST", "/articles", b'{"text": 1}',
                                              {"Content-Type": "application/json"}))
                return out
            finally:
                await conn.close()

        got = asyncio.run(raw())
        with httpx.Client(base_url=base, timeout=60) as c:
            want = [(r.status_code, r.content) for r in (c.get(t) for t in targets)]
            r = c.post("/articles", content=b'{"text": 1}', headers={"Content-Type": "application/json"})
            want.append((r.status_code, r.content))
            assert c.get(targets[2]).headers.get("transfer-encoding") == "chunked"
    assert [s for s, _ in got] == [200, 200, 200, 200, 404, 400, 422]
    assert got == want
    assert len(json.loads(got[2][1])["features"]) == 1400


@pytest.mark.parametrize("text", ["", "a", "a\n", "a\n\n", "\n", "a\r\nb\rc\nd\r\n", "a\r", "{ x }", "}}", "{", "a {\n",
                                  "%}", "#}", "$ ` < > &", "x\u2028y\x00z", "  lead\n\ttab  \n"])
def test_plain_element_text_renders_as_jinja_would(text):
    import jinja2

    from geoinc.maps.render import _PlainTemplate, _template

    assert _PlainTemplate(text).render(this=None, kwargs={}) == jinja2.Template(text).render()
    assert isinstance(_template(text), _PlainTemplate)
    assert isinstance(_template(text + " {{ 1 }}"), jinja2.Template)     # Jinja syntax: compiled, as before


def test_map_page_identical_with_and_without_the_template_shortcut(store):
    """The page /map serves is the same whether branca compiles every element's text or not."""
    from branca.element import Element

    from geoinc.maps import render as R

    store.add_incidents(ODD)
    records = store.select(__import__("geoinc.regions", fromlist=["build_spec"]).build_spec(limit=None),
                           records=True).records

    def page() -> str:
        R._ids.seed(11)
        return R.map_html(R.build_map(records, zones=[("z {{ 7*7 }}", 35.0, 40.0, 20.0)], title="t {% x %}"))

    fast = page()
    try:
        Element.__init__ = R._element_init
        Element.__setstate__ = R._element_setstate_branca
        slow = page()
    finally:
        Element.__init__ = R._lazy_element_init
        Element.__setstate__ = R._element_setstate
    assert fast == slow
    assert "49" not in fast.split("z ")[1][:20]                            # data is never evaluated


ANSWERS = [{"status": "ok", "n": 200001, "db": "/tmp/é x.sqlite"},
           {"f": [0.1, 1e16, 1e-7, -0.0, 2.5, 10**20], "t": True, "none": None, "s": "\u2028 </script> \U0001F600",
            "nested": {"a": [{"b": []}]}}]


@pytest.mark.parametrize("value", ANSWERS)
def test_json_answer_is_the_bytes_fastapi_wrote_for_a_dict_route(value):
    """health, /places/resolve, /articles and /check answer in their own thread now; the bytes are those of
    FastAPI's own serialisation of a route declared ``-> dict[str, Any]``."""
    from typing import Any

    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from geoinc.api.routes import json_answer

    app = FastAPI()

    @app.get("/x")
    def x() -> dict[str, Any]:
        return value

    with TestClient(app) as c:
        r = c.get("/x")
    mine = json_answer(value)
    assert mine.body == r.content
    assert mine.media_type == r.headers["content-type"]


def test_dict_routes_keep_their_documented_answer(tmp_path):
    from geoinc.api.app import create_app

    paths = create_app(tmp_path / "x.sqlite").openapi()["paths"]
    for path, method in (("/health", "get"), ("/places/resolve", "get"), ("/articles", "post"), ("/check", "post")):
        schema = paths[path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema["type"] == "object" and schema["additionalProperties"] is True


@pytest.mark.parametrize("box,tolerance", [((32.0, 28.0, 52.0, 44.0), 0.03), ((34.0, 30.0, 40.0, 36.0), 0.001),
                                           ((-10.0, 40.0, 10.0, 60.0), 0.05), ((170.0, -20.0, 180.0, -10.0), 0.03),
                                           ((0.0, -89.0, 4.0, -85.0), 0.03), (None, 0.1)])
def test_outline_layer_text_is_the_parsed_layer_encoded(box, tolerance, monkeypatch):
    """/map's outline layers come from GEOS's GeoJSON text: the same text as parsing and re-encoding it."""
    from geoinc.maps import basemap as B
    from geoinc.maps.payload import js_json

    for fill in (True, False):
        extra = {"labels": B.place_labels(box)} if fill else None
        expected = js_json({**B.outlines_geojson(box, tolerance=tolerance, fill=fill), **(extra or {})})
        assert B.outlines_json(box, tolerance=tolerance, fill=fill, extra=extra) == expected
    assert B._geos_writes_python_json()             # the fast path ran above (GEOS >= 3.10 writes repr floats)
    monkeypatch.setattr(B, "_geos_writes_python_json", lambda: False)    # a GEOS that writes otherwise
    assert B.outlines_json(box, tolerance=tolerance, fill=True) == js_json(
        B.outlines_geojson(box, tolerance=tolerance, fill=True))


@pytest.mark.parametrize("warm", [True, False])
def test_server_loads_what_maps_need_in_the_background_at_start(tmp_path, warm):
    """A worker's first /map would wait ~4 s for folium, Natural Earth and the city labels: each worker
    draws one small map in a background thread at start-up instead (create_app(warm=False) does not)."""
    import threading
    import time

    from fastapi.testclient import TestClient

    from geoinc.api.app import create_app
    from geoinc.maps import basemap as B

    B._cities.cache_clear()
    with TestClient(create_app(tmp_path / "w.sqlite", warm=warm), base_url="http://127.0.0.1") as c:
        assert c.get("/health").status_code == 200           # start-up is not held up by the warm-up
        deadline = time.monotonic() + 120
        while any(t.name == "geoinc-warm-maps" for t in threading.enumerate()) and time.monotonic() < deadline:
            time.sleep(0.05)
    assert B._cities.cache_info().currsize == (1 if warm else 0)
