"""GET /report over real HTTP: ``geoinc serve`` runs as a subprocess on 127.0.0.1 at a free port."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time

import httpx
import pytest

import geoinc
from geoinc.store import open_store

import map_cases as M


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("report-api") / "r.sqlite"
    store = open_store(path)
    store.add_incidents(M.incidents(hostile=True))
    store.close()
    return path


@pytest.fixture(scope="module")
def client(db):
    port = _free_port()
    log = open(db.with_suffix(".log"), "a+")
    proc = subprocess.Popen([sys.executable, "-m", "geoinc", "serve", "--port", str(port), "--db", str(db),
                             "--log-level", "warning"], stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.seek(0)
            pytest.fail(f"server did not start: {log.read()[-2000:]}")
        time.sleep(0.2)
    with httpx.Client(base_url=base, timeout=120) as c:
        yield c
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def test_report_page_has_the_counts_of_the_same_query(client, db):
    r = client.get("/report", params={"country": "Syria", "since": "2024-02-01", "until": "2024-02-29",
                                      "title": "Syria, February"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    frame = geoinc.query(db=db, country="Syria", since="2024-02-01", until="2024-02-29")
    assert r.headers["X-Total-Count"] == str(len(frame)) == "2"
    shown = re.search(r'data-figure="incidents">\s*<div class="label">Incidents</div>\s*<div class="value" data-value="(\d+)"',
                      r.text)
    assert shown and int(shown.group(1)) == len(frame)
    assert "<title>Syria, February</title>" in r.text
    assert "geoinc report --country Syria --since 2024-02-01 --until 2024-02-29" in r.text
    assert "<script>window.__xss" not in r.text and "&lt;script&gt;window.__xss" in r.text


def test_report_is_listed_in_the_openapi_document(client):
    params = {p["name"] for p in client.get("/openapi.json").json()["paths"]["/report"]["get"]["parameters"]}
    assert {"country", "since", "until", "event_type", "title", "lang", "static_map", "limit"} <= params


@pytest.mark.parametrize("params, message", [
    ({"country": "Atlantis"}, "unknown country"),
    ({"since": "2024-13-01"}, "since"),
    ({"lang": "xx"}, "bad language"),
])
def test_bad_report_parameters_are_400_with_a_reason(client, params, message):
    r = client.get("/report", params=params)
    assert r.status_code == 400 and message in r.json()["detail"]


def test_an_out_of_range_limit_is_422(client):
    r = client.get("/report", params={"limit": 10**9})
    assert r.status_code == 422 and "limit" in r.json()["detail"]
