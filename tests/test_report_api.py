"""GET /report over real HTTP: ``geoinc serve`` runs as a subprocess on 127.0.0.1 at a free port."""
from __future__ import annotations

import re
import time

import httpx
import pytest

import geoinc
from geoinc.store import open_store

import map_cases as M
from servers import served


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("report-api") / "r.sqlite"
    store = open_store(path)
    store.add_incidents(M.incidents(hostile=True))
    store.close()
    return path


@pytest.fixture(scope="module")
def client(db):
    with served(db) as base, httpx.Client(base_url=base, timeout=120) as c:
        yield c


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


@pytest.mark.browser
def test_served_report_works_under_the_api_security_headers(client):
    """The page as the server sends it, with its own Content-Security-Policy (no network; the map page's
    policy would stop the map's measuring tool): the map unpacks into its frame and draws its incidents,
    the downloads unpack, nothing else is requested (not even a favicon) and the browser reports no error."""
    from geoinc.maps.browser import chromium, find_chromium, wait_ready
    if find_chromium() is None:
        pytest.skip("Debian's chromium and chromium-driver are not installed (make browser)")
    from geoinc.reports.page import PAGE_CSP
    url = f"{client.base_url}/report?country=Syria"
    r = client.get(url)
    assert r.headers["content-security-policy"].startswith(PAGE_CSP) and "connect-src 'none'" in PAGE_CSP
    with chromium(block_network=False) as driver:   # the page comes from this machine's server
        driver.get(url)
        deadline = time.monotonic() + 30
        while not driver.execute_script("return window.geoincReportReady === true"):
            assert time.monotonic() < deadline, "the report's script did not run"
            time.sleep(0.05)
        fetch = "const done = arguments[arguments.length - 1]; geoincReportFile('incidents.csv').then(done, e => done('ERR ' + e));"
        assert driver.execute_async_script(fetch).startswith("event_id_cnty,")
        driver.switch_to.frame(driver.find_element("css selector", "#map iframe"))
        wait_ready(driver, 30)
        assert driver.execute_script("return document.querySelectorAll('path.geoinc-incident').length") == 2
        driver.switch_to.default_content()
        others = driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(arguments[0]))",
            str(client.base_url))
        assert others == []
        assert [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
