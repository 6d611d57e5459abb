"""The HTTP API, called over real HTTP: ``geoinc serve`` runs as a subprocess on 127.0.0.1 at a free port."""
from __future__ import annotations

import concurrent.futures
import json
import os
import time

import httpx
import pytest
from geopy.distance import geodesic

from geoinc.maps.browser import chromium, find_chromium
from geoinc.models import Incident, Source
from geoinc.store.sqlite import open_store

from servers import free_port, start_server, stop_server
from conftest import SAMPLES

TOWER_22 = (33.31, 38.70)
AL_TANF = (33.50583, 38.61778)

# incidents stored before the server starts: known answers for region queries
SEEDED = [
    Incident(event_id_cnty="SEED-TANF", event_date="2024-01-28", event_type="Explosions/Remote violence",
             sub_event_type="Air/drone strike", actor1="Islamic Resistance in Iraq", country="Syria", location="Al-Tanf",
             latitude=AL_TANF[0], longitude=AL_TANF[1], status="claimed", country_code="SY", admin1="Homs",
             sources=[Source(article="seed", quote='<img src=x onerror="alert(1)">')]),
    Incident(event_id_cnty="SEED-BOUKAMAL", event_date="2024-01-29", event_type="Strategic developments",
             sub_event_type="Headquarters or base established", actor1="Forces armées pro-iraniennes",
             country="Syria", location="Abu Kamal", latitude=34.45226, longitude=40.91854, country_code="SY",
             admin1="Deir ez-Zor"),
    Incident(event_id_cnty="SEED-BAGHDAD", event_date="2023-12-01", event_type="Battles", country="Iraq",
             location="Baghdad", latitude=33.3152, longitude=44.3661, fatalities=4, country_code="IQ"),
    Incident(event_id_cnty="SEED-SUVA", event_date="2024-02-01", event_type="Protests", country="Fiji",
             location="Suva", latitude=-18.1416, longitude=178.4419, country_code="FJ"),
]


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("api") / "api.sqlite"
    store = open_store(db)
    store.add_incidents(SEEDED)
    store.close()
    return db


@pytest.fixture(scope="module")
def server(seeded_db):
    """The API on 127.0.0.1 at a free port over the seeded store; yields its base URL."""
    proc, base, log = start_server(seeded_db)
    yield base
    stop_server(proc, log)


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server, timeout=120) as c:
        yield c


def ids(fc: dict) -> set[str]:
    return {f["id"] for f in fc["features"]}


def test_health_and_openapi(client, server):
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["incidents"] >= len(SEEDED)
    spec = client.get("/openapi.json").json()
    assert {"/articles", "/incidents", "/incidents/search", "/incidents/{incident_id}", "/map", "/places/resolve",
            "/check", "/health"} <= set(spec["paths"])
    assert server.startswith("http://127.0.0.1:")


def test_docs_pages_are_self_hosted(client):
    """/docs and /redoc load their scripts from this server (fastapi-offline), never from a CDN."""
    docs, redoc = client.get("/docs"), client.get("/redoc")
    assert docs.status_code == redoc.status_code == 200
    for page in (docs.text, redoc.text):
        assert "cdn." not in page and "unpkg" not in page and "fonts.googleapis" not in page
    assert "/docs-assets/swagger-ui-bundle.js" in docs.text and "/openapi.json" in docs.text
    assert "/docs-assets/redoc.standalone.js" in redoc.text
    js = client.get("/docs-assets/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 500_000 and "javascript" in js.headers["content-type"]
    assert client.get("/docs-assets/swagger-ui.css").status_code == 200


@pytest.mark.browser
@pytest.mark.skipif(find_chromium() is None, reason="Debian's chromium and chromium-driver are not installed")
def test_docs_page_renders_in_chromium_from_this_server_only(server):
    """Swagger UI really renders every operation, and every resource the page fetched came from the server."""
    from selenium.webdriver.common.by import By

    with chromium(block_network=False) as drv:        # other hosts still fail: this machine is offline
        drv.set_page_load_timeout(60)
        drv.get(server + "/docs")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(drv.find_elements(By.CSS_SELECTOR, ".opblock")) < 8:
            time.sleep(0.2)
        paths = {e.text for e in drv.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
        resources = drv.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert {"/articles", "/incidents", "/map", "/check", "/health"} <= paths
    assert resources and all(r.startswith(server + "/") for r in resources), resources


def test_default_bind_is_loopback():
    from geoinc.cli import build_parser

    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)


# --- queries over HTTP -------------------------------------------------------------------------------

def test_incidents_geojson_by_country(client):
    r = client.get("/incidents", params={"country": "SY"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["type"] == "FeatureCollection"
    assert {"SEED-TANF", "SEED-BOUKAMAL"} <= ids(fc) and "SEED-BAGHDAD" not in ids(fc)
    tanf = next(f for f in fc["features"] if f["id"] == "SEED-TANF")
    assert tanf["geometry"] == {"type": "Point", "coordinates": [AL_TANF[1], AL_TANF[0]]}    # lon, lat
    assert tanf["properties"]["sources"][0]["article"] == "seed"
    assert ids(client.get("/incidents", params={"country": "Syrian Arab Republic"}).json()) == ids(fc)


def test_incidents_by_radius_and_near(client):
    fc = client.get("/incidents", params={"lat": TOWER_22[0], "lon": TOWER_22[1], "radius_km": 25}).json()
    assert "SEED-TANF" in ids(fc) and "SEED-BOUKAMAL" not in ids(fc)
    for f in fc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert geodesic(TOWER_22, (lat, lon)).km <= 25
    near = client.get("/incidents", params={"near": "Abu Kamal", "radius_km": 10}).json()
    assert "SEED-BOUKAMAL" in ids(near)
    near = client.get("/incidents", params={"near": "Tower 22", "radius_km": 50, "country": "SY"}).json()
    assert ids(near) >= {"SEED-TANF"} and "SEED-BOUKAMAL" not in ids(near)


def test_incidents_by_polygon_geojson_and_wkt(client):
    wkt = "POLYGON ((38.5 33.4, 38.8 33.4, 38.8 33.6, 38.5 33.6, 38.5 33.4))"
    assert "SEED-TANF" in ids(client.get("/incidents", params={"polygon": wkt}).json())
    geo = json.dumps({"type": "Polygon", "coordinates": [[[40, 34], [42, 34], [42, 35], [40, 35], [40, 34]]]})
    got = ids(client.get("/incidents", params={"polygon": geo}).json())
    assert "SEED-BOUKAMAL" in got and "SEED-TANF" not in got


def test_search_with_a_json_body_and_a_large_polygon(client):
    import math

    # a 2,000-vertex circle around Al-Tanf: too long for a URL, fine as a body
    ring = [[AL_TANF[1] + 0.2 * math.cos(2 * math.pi * k / 2000), AL_TANF[0] + 0.2 * math.sin(2 * math.pi * k / 2000)]
            for k in range(2000)]
    poly = {"type": "Polygon", "coordinates": [ring + [ring[0]]]}
    r = client.post("/incidents/search", json={"polygon": poly, "since": "2024-01-01"})
    assert r.status_code == 200 and ids(r.json()) == {"SEED-TANF"}
    r = client.post("/incidents/search", json={"bbox": [40, 35, 38, 33]})
    assert r.status_code == 400 and "inverted bbox" in r.json()["detail"]
    r = client.post("/incidents/search", json={"country": "SY", "format": "csv"})
    assert r.status_code == 200 and "SEED-TANF" in r.text


def test_incidents_bbox_across_antimeridian_and_filters(client):
    assert ids(client.get("/incidents", params={"bbox": "170,-25,-170,-10"}).json()) == {"SEED-SUVA"}
    fc = client.get("/incidents", params={"actor": "ARMEES", "since": "2024-01-29", "until": "2024-01-29"}).json()
    assert ids(fc) == {"SEED-BOUKAMAL"}
    assert ids(client.get("/incidents", params={"min_fatalities": 3}).json()) == {"SEED-BAGHDAD"}
    assert ids(client.get("/incidents", params=[("status", "claimed"), ("event_type", "explosions/remote violence")]).json()) == {"SEED-TANF"}
    assert ids(client.get("/incidents", params={"admin1": "deir-ez-zor"}).json()) == {"SEED-BOUKAMAL"}


def test_incidents_csv_and_limit(client):
    r = client.get("/incidents", params={"country": "SY", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.text.splitlines()
    assert lines[0].startswith("event_id_cnty,event_date") and len(lines) >= 3
    acled = client.get("/incidents", params={"country": "SY", "format": "acled-csv"}).text.splitlines()
    assert len(acled[0].split(",")) == 31
    r = client.get("/incidents", params={"limit": 1})
    assert len(r.json()["features"]) == 1 and int(r.headers["x-total-count"]) >= len(SEEDED)


def test_incident_by_id_and_404(client):
    f = client.get("/incidents/SEED-BAGHDAD").json()
    assert f["type"] == "Feature" and f["properties"]["location"] == "Baghdad"
    r = client.get("/incidents/NO-SUCH-ID")
    assert r.status_code == 404 and "NO-SUCH-ID" in r.json()["detail"]


def test_map_html_escapes_sources(client):
    r = client.get("/map", params={"country": "SY"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "SEED-TANF" in page and "leaflet" in page.lower()
    assert '<img src=x onerror="alert(1)">' not in page
    assert client.get("/map", params={"bbox": "38,35,40,33"}).status_code == 400
    offline = client.get("/map", params={"lat": 33.31, "lon": 38.70, "radius_km": 50, "offline": "true"}).text
    assert "SEED-TANF" in offline
    assert "<script src=\"http" not in offline and "<link rel=\"stylesheet\" href=\"http" not in offline


def test_check_distance_claims(client):
    r = client.post("/check", json={"text": "A small American garrison at al-Tanf in Syria is just 20 kilometers "
                                             "(12 miles) north of Tower 22.", "published": "2024-01-29"})
    assert r.status_code == 200
    claims = r.json()["claims"]
    assert claims and claims[0]["stated_km"] == pytest.approx(20, abs=0.5)


def test_places_resolve(client):
    r = client.get("/places/resolve", params={"q": "Abu Kamal"})
    assert r.status_code == 200
    place = r.json()
    assert geodesic((place["lat"], place["lon"]), (34.45226, 40.91854)).km < 10
    assert client.get("/places/resolve", params={"q": "Xqzvwplace Nowhere"}).status_code == 404


# --- ingest a sample article, then find it again by country, radius and polygon -------------------------

@pytest.mark.shared
def test_ingest_sample_article_and_query_it_back(client):
    text = (SAMPLES / "tower22-us-vows-response.txt").read_text(encoding="utf-8")
    r = client.post("/articles", json={"text": text, "published": "2024-01-29", "title": "US vows response"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["mentions"] and body["incidents"]
    assert any(m["name"] and "Tanf" in m["name"] for m in body["mentions"])
    located = [i for i in body["incidents"] if i["latitude"] is not None]
    assert located
    stored = set(body["stored"]["new"]) | set(body["stored"]["merged"])
    for inc in located:
        lat, lon = inc["latitude"], inc["longitude"]
        from geoinc.boundaries import country_at

        cc = country_at(lat, lon).iso2
        assert stored & ids(client.get("/incidents", params={"country": cc, "limit": 10000}).json())
        assert stored & ids(client.get("/incidents", params={"lat": lat, "lon": lon, "radius_km": 1}).json())
        square = f"POLYGON (({lon-0.01} {lat-0.01}, {lon+0.01} {lat-0.01}, {lon+0.01} {lat+0.01}, {lon-0.01} {lat+0.01}, {lon-0.01} {lat-0.01}))"
        assert stored & ids(client.get("/incidents", params={"polygon": square}).json())
    # the Tower 22 strike (Jordan) is among them
    near = ids(client.get("/incidents", params={"lat": TOWER_22[0], "lon": TOWER_22[1], "radius_km": 15,
                                                "since": "2024-01-27", "until": "2024-01-29"}).json())
    assert near & stored
    # the same article again stores nothing new
    again = client.post("/articles", json={"text": text, "published": "2024-01-29"}).json()
    assert again["article"]["skipped"] is True


# --- bad input: clear 4xx with the reason ------------------------------------------------------------

@pytest.mark.parametrize("params, reason", [
    ({"since": "2024-13-01"}, "bad since"),
    ({"until": "yesterday"}, "YYYY-MM-DD"),
    ({"bbox": "40,35,38,33"}, "inverted bbox"),
    ({"bbox": "1,2,3"}, "expected 4 numbers"),
    ({"polygon": "POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))"}, "invalid polygon: Self-intersection"),
    ({"polygon": "not a polygon"}, "invalid WKT"),
    ({"country": "Atlantis"}, "unknown country 'Atlantis'"),
    ({"lat": "33.3", "lon": "38.7"}, "needs radius_km"),
    ({"lat": "95", "lon": "38.7", "radius_km": "5"}, "latitude 95.0 outside"),
    ({"near": "Xqzvwplace Nowhere", "radius_km": "5"}, "unknown place"),
    ({"min_fatalities": "-1"}, "min_fatalities"),
    ({"status": "rumoured"}, "bad status"),
    ({"format": "xml"}, "bad format"),
])
def test_bad_query_is_400_with_reason(client, params, reason):
    r = client.get("/incidents", params=params)
    assert r.status_code == 400, r.text
    assert reason in r.json()["detail"]


def test_bad_article_bodies(client):
    r = client.post("/articles", json={"text": "Shelling near Abu Kamal.", "published": "2024-02-30"})
    assert r.status_code == 400 and "published" in r.json()["detail"]
    r = client.post("/articles", json={"published": "2024-01-29"})
    assert r.status_code == 422 and "text" in r.json()["detail"]
    r = client.post("/articles", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422
    r = client.post("/articles", json={"text": "   ", "published": "2024-01-29"})
    assert r.status_code == 400 and "empty" in r.json()["detail"]


def test_body_too_large_is_413(client, server):
    big = {"text": "x" * (2 * 1024 * 1024 + 10), "published": "2024-01-29"}
    r = client.post("/articles", json=big)
    assert r.status_code == 413 and "too large" in r.json()["detail"]

    def chunks():        # no Content-Length: the limit is enforced on the bytes received
        for _ in range(40):
            yield b"x" * 65536 * 2

    r = httpx.post(f"{server}/articles", content=chunks(), headers={"content-type": "application/json"}, timeout=60)
    assert r.status_code == 413


def test_concurrent_requests_while_writing(client, server):
    def read(i: int) -> int:
        params = [{"country": "SY"}, {"bbox": "38,33,42,35"}, {"lat": 33.3, "lon": 38.7, "radius_km": 30}][i % 3]
        return httpx.get(f"{server}/incidents", params=params, timeout=60).status_code

    def write() -> int:
        return httpx.post(f"{server}/articles", json={"text": "Three people were killed in shelling in Abu Kamal "
                                                               "on Saturday, local sources said.",
                                                       "published": "2024-03-02"}, timeout=120).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        futures = [pool.submit(read, i) for i in range(36)] + [pool.submit(write)]
        codes = [f.result() for f in futures]
    assert codes == [200] * len(codes)
    assert client.get("/health").json()["status"] == "ok"


def test_several_worker_processes_share_the_store(seeded_db):
    proc, base, log = start_server(seeded_db, "--workers", "2")
    try:
        with httpx.Client(base_url=base, timeout=60) as c:
            codes = [c.get("/incidents", params={"country": "SY"}).status_code for _ in range(6)]
            assert codes == [200] * 6
            assert "SEED-TANF" in ids(c.get("/incidents", params={"country": "SY"}).json())
    finally:
        stop_server(proc, log)


def test_map_is_self_contained_by_default_and_links_cdns_on_request(client):
    """First hour 1: /map pages open with no network unless ?cdn=true asks for linked assets."""
    page = client.get("/map", params={"country": "SY"}).text
    assert "SEED-TANF" in page and "L.Control.MiniMap" in page
    assert '<script src="http' not in page and '<link rel="stylesheet" href="http' not in page
    linked = client.get("/map", params={"country": "SY", "cdn": "true"}).text
    assert '<script src="https://' in linked and len(linked) < len(page)


def test_serve_runs_one_worker_per_cpu_by_default():
    """Issue 16: one Python process serves about one core, so `geoinc serve` starts one worker per CPU it may
    use (at most 8) unless --workers says otherwise."""
    from geoinc.cli import build_parser
    from geoinc.cli.serve import default_workers

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    assert build_parser().parse_args(["serve"]).workers == default_workers() == max(1, min(cpus, 8))
    assert build_parser().parse_args(["serve", "--workers", "1"]).workers == 1
