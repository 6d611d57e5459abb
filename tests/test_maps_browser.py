"""Generated maps in real headless Chromium (Debian's chromium + chromedriver), network blocked.

One browser for the module. Every page is the offline (self-contained) HTML, loaded from a file while
host resolution and the proxy are blocked, so these tests also show that the offline file renders
with no network at all.
"""
from __future__ import annotations

import pytest

from geoinc.maps.browser import chromium, find_chromium, wait_ready
from geoinc.maps.render import BASEMAP_NAMES, build_map, offline_html

import map_cases as C

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(find_chromium() is None,
                       reason="Debian's chromium and chromium-driver are not installed (make browser)"),
]


@pytest.fixture(scope="module")
def driver():
    with chromium(width=1280, height=900, block_network=True) as drv:
        drv.set_page_load_timeout(60)
        yield drv


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The normal and the hostile map as offline HTML files."""
    root = tmp_path_factory.mktemp("maps")
    zones = [("Al-Tanf", *C.AL_TANF, 55)]
    normal = build_map(C.incidents(), C.mentions(), C.claims(), zones=zones, title="Tower 22", offline=True)
    hostile = build_map(C.incidents(True), C.mentions(True), C.claims(True),
                        zones=[("Al-Tanf" + C.XSS, *C.AL_TANF, 55)], title="T" + C.XSS, offline=True)
    many = build_map(C.synthetic_incidents(3000), offline=True)
    out = {}
    for name, m in (("normal", normal), ("hostile", hostile), ("many", many)):
        path = root / f"{name}.html"
        path.write_text(offline_html(m), encoding="utf-8")
        out[name] = path.as_uri()
    return out


def load(driver, url: str) -> None:
    driver.get_log("browser")   # drop what earlier pages logged
    driver.get(url)
    wait_ready(driver, 30)


def severe(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def no_alert(driver) -> bool:
    from selenium.common.exceptions import NoAlertPresentException
    try:
        driver.switch_to.alert
    except NoAlertPresentException:
        return True
    return False


def test_loads_offline_without_console_errors(driver, pages):
    load(driver, pages["normal"])
    assert severe(driver) == []
    # nothing was fetched from the network: every resource is the file itself or inline data
    remote = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => /^https?:/.test(n))")
    assert remote == []
    # the vector basemap is on and drawn as SVG paths
    assert driver.execute_script("return document.querySelectorAll('path.geoinc-basemap').length") > 10
    assert driver.execute_script("return document.querySelectorAll('path.geoinc-border').length") > 3
    assert driver.execute_script("return document.querySelectorAll('path.geoinc-zone').length") == 1
    assert driver.execute_script("return document.querySelectorAll('path.geoinc-claim').length") == 2


def test_network_really_is_blocked(driver, tmp_path):
    """Control for the offline tests: the same map NOT inlined cannot load Leaflet from its CDN here."""
    from geoinc.maps.render import map_html
    path = tmp_path / "online.html"
    path.write_text(map_html(build_map(C.incidents()), cdn=True), encoding="utf-8")
    driver.get_log("browser")
    driver.get(path.as_uri())
    assert driver.execute_script("return typeof window.L") == "undefined"
    assert any("leaflet" in msg.lower() or "ERR_" in msg for msg in severe(driver))


def test_layer_control_lists_layers_in_order(driver, pages):
    load(driver, pages["normal"])
    base = driver.execute_script(
        "return [...document.querySelectorAll('.leaflet-control-layers-base label')].map(l => l.textContent.trim())")
    overlays = driver.execute_script(
        "return [...document.querySelectorAll('.leaflet-control-layers-overlays label')].map(l => l.textContent.trim())")
    assert base == list(BASEMAP_NAMES)
    assert overlays == ["Country borders (Natural Earth 1:10m)", "Zones", "Distance checks (2)", "Place mentions (4)",
                        "Heat (incidents)", "Battles (2)", "Explosions/Remote violence (1)"]
    checked = driver.execute_script(
        "return [...document.querySelectorAll('.leaflet-control-layers-base input')].map(i => i.checked)")
    assert checked == [False, False, True]   # offline: the vector basemap


def _toggle(driver, label: str) -> None:
    driver.execute_script("""
        const label = [...document.querySelectorAll('.leaflet-control-layers label')]
            .find(l => l.textContent.trim() === arguments[0]);
        label.querySelector('input').click();""", label)


def test_toggling_a_layer_hides_its_features(driver, pages):
    load(driver, pages["normal"])
    count = "return document.querySelectorAll('path.geoinc-incident.geoinc-type-0').length"
    assert driver.execute_script(count) == 2
    _toggle(driver, "Battles (2)")
    assert driver.execute_script(count) == 0
    assert driver.execute_script("return document.querySelectorAll('path.geoinc-incident').length") == 1
    _toggle(driver, "Battles (2)")
    assert driver.execute_script(count) == 2
    _toggle(driver, "Place mentions (4)")
    assert driver.execute_script("return document.querySelectorAll('path.geoinc-mention').length") == 0
    # the heat layer is off at first; on, it draws its canvas and follows the time control
    assert driver.execute_script("return document.querySelectorAll('canvas.leaflet-heatmap-layer').length") == 0
    _toggle(driver, "Heat (incidents)")
    assert driver.execute_script("return document.querySelectorAll('canvas.leaflet-heatmap-layer').length") == 1
    assert driver.execute_script("return window.geoincLayers.heat._latlngs.length") == 3
    driver.execute_script("""
        const s = document.querySelector('.geoinc-slider');
        s.value = String(Date.UTC(2024, 0, 30) / 86400000);
        s.dispatchEvent(new Event('input'));""")
    assert driver.execute_script("return window.geoincLayers.heat._latlngs.length") == 1
    assert severe(driver) == []


def test_time_control_filters_incidents(driver, pages):
    load(driver, pages["normal"])
    driver.execute_script("""
        const s = document.querySelector('.geoinc-slider');
        s.value = String(Date.UTC(2024, 1, 2) / 86400000);
        s.dispatchEvent(new Event('input'));""")
    assert driver.execute_script("return document.querySelectorAll('path.geoinc-incident').length") == 2
    assert driver.execute_script("return document.querySelector('.geoinc-date').textContent") == "≤ 2024-02-02"


def test_popup_shows_escaped_quote_and_no_script_runs(driver, pages):
    load(driver, pages["hostile"])
    # open every popup and tooltip the page has, the way a user would one by one
    texts = driver.execute_script("""
        const out = [];
        const visit = (layer) => {
            if (layer.eachLayer) layer.eachLayer(visit);
            if (!layer._map) return;
            if (layer.getTooltip && layer.getTooltip()) layer.openTooltip();
            if (layer.getPopup && layer.getPopup()) {
                layer.openPopup(layer.getLatLng ? layer.getLatLng() : undefined);
                const c = layer.getPopup().getElement().querySelector('.leaflet-popup-content');
                out.push({text: c.textContent, nodes: c.querySelectorAll('script,img,svg,iframe').length,
                          links: [...c.querySelectorAll('a')].map(a => a.getAttribute('href'))});
            }
        };
        Object.values(window.geoincLayers).forEach(l => { if (window.geoincMap.hasLayer(l)) visit(l); });
        for (const l of Object.values(window.geoincLayers)) if (l._group) l._group.eachLayer(visit);
        return out;""")
    assert len(texts) >= 3 + 4 + 2
    quote = next(t for t in texts if "Three US service members" in t["text"])
    for payload in C.XSS_PAYLOADS:
        assert payload in quote["text"]            # shown as text, character for character
    assert all(t["nodes"] == 0 for t in texts)
    assert quote["links"] == ["https://example.org/news?id=1&lang=en"]   # the javascript: link is dropped
    assert "Killed: 3 (3–4) · Injured: 40" in quote["text"]
    assert "Date: 2024-01-28 (between 2024-01-27 and 2024-01-28)" in quote["text"]
    assert "Status: confirmed" in quote["text"] and "precision 1: exact site or town" in quote["text"]
    tooltips = driver.execute_script(
        "return [...document.querySelectorAll('.leaflet-tooltip')].map(t => t.querySelectorAll('script,img,svg').length)")
    assert tooltips and sum(tooltips) == 0
    assert driver.execute_script("return typeof window.__xss") == "undefined"
    assert no_alert(driver)
    assert driver.execute_script("return document.querySelector('.geoinc-title').textContent").startswith("T<script>")


def test_many_incidents_are_clustered(driver, pages):
    load(driver, pages["many"])
    assert severe(driver) == []
    clusters = driver.execute_script("return document.querySelectorAll('.geoinc-cluster').length")
    assert clusters > 6
    total = driver.execute_script(
        "return [...document.querySelectorAll('.geoinc-cluster span')].reduce((a, s) => a + Number(s.textContent), 0)")
    assert 1000 < total <= 3000
    # zoomed in to street level, nothing is clustered any more
    driver.execute_script("window.geoincMap.setView([35.336, 40.14], 13, {animate: false})")
    assert driver.execute_script("return document.querySelectorAll('.geoinc-cluster').length") == 0


OPEN_EVERYTHING = """
    let opened = 0;
    const visit = (layer) => {
        if (layer.eachLayer) layer.eachLayer(visit);
        if (!layer._map) return;
        if (layer.getTooltip && layer.getTooltip()) layer.openTooltip();
        if (layer.getPopup && layer.getPopup()) { layer.openPopup(layer.getLatLng ? layer.getLatLng() : undefined); opened++; }
    };
    Object.values(window.geoincLayers).forEach(l => { if (window.geoincMap.hasLayer(l)) visit(l); });
    for (const l of Object.values(window.geoincLayers)) if (l._group) l._group.eachLayer(visit);
    return opened;"""


def test_xss_article_through_the_pipeline_runs_no_script(driver, tmp_path):
    """The hostile fixture article, geoparsed and extracted by the real pipeline, drawn and fully opened."""
    from conftest import DATA
    fixture = DATA.parent / "tests" / "data" / "xss-article.txt"
    if not fixture.exists():
        pytest.skip(f"{fixture} is not there")
    import geoinc
    (article,) = geoinc.read_articles(fixture)
    mentions = geoinc.geoparse(article.text, published=article.published)
    incidents = geoinc.extract_incidents(article, mentions=mentions)
    claims = geoinc.check_distances(article.text, article.published, mentions=mentions)
    assert mentions, "the geoparser found no place in the fixture article"
    m = build_map(incidents, mentions, claims, zones=[("Al-Tanf", *C.AL_TANF, 55)], title=article.title, offline=True)
    path = tmp_path / "xss.html"
    path.write_text(offline_html(m), encoding="utf-8")
    load(driver, path.as_uri())
    assert driver.execute_script(OPEN_EVERYTHING) >= len(incidents)
    assert driver.execute_script("return typeof window.__xss") == "undefined"
    assert no_alert(driver)
    assert severe(driver) == []
    # the article's title is on the map as text
    assert "<script>window.__xss=1</script>" in driver.execute_script(
        "return document.querySelector('.geoinc-title').textContent")


def test_cli_png_snapshot(tmp_path):
    """geoinc map --png: a real PNG of the requested size, drawn with no network."""
    from geoinc.cli import main
    from geoinc.store.sqlite import open_store
    db = tmp_path / "s.sqlite"
    store = open_store(db)
    try:
        store.add_incidents(C.incidents())
    finally:
        store.close()
    png = tmp_path / "out" / "map.png"
    png.parent.mkdir()                  # geoinc never creates folders (textio.check_output_path)
    assert main(["map", "--db", str(db), "--zone", "33.50583,38.61778:55", "--png", str(png),
                 "--width", "800", "--height", "600"]) == 0
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (800, 600) and len(data) > 20_000


def test_embedded_fragment_renders_inside_a_report(driver, tmp_path):
    """The --embed fragment (offline) pasted into a report page: the map runs in its sandboxed frame."""
    from geoinc.maps.render import embed_html
    m = build_map(C.incidents(True), C.mentions(True), C.claims(True), title="T" + C.XSS, offline=True)
    report = tmp_path / "report.html"
    report.write_text("<!DOCTYPE html><html><body><h1>Report</h1>" + embed_html(m, height="500px") +
                      "<p>after the map</p></body></html>", encoding="utf-8")
    driver.get_log("browser")
    driver.get(report.as_uri())
    frame = driver.find_element("css selector", "iframe")
    assert frame.size["height"] == 500
    driver.switch_to.frame(frame)
    try:
        wait_ready(driver, 30)
        assert driver.execute_script("return document.querySelectorAll('path.geoinc-incident').length") == 3
        assert driver.execute_script(OPEN_EVERYTHING) >= 3
        assert driver.execute_script("return typeof window.__xss") == "undefined"
    finally:
        driver.switch_to.default_content()
    assert driver.execute_script("return typeof window.__xss") == "undefined"
    assert driver.execute_script("return document.querySelector('p').textContent") == "after the map"
    assert no_alert(driver) and severe(driver) == []


def test_claim_without_located_target_draws_its_circle(driver, tmp_path):
    from geoinc.models import Claim
    ring = Claim(0, 1, "130 km south-west of Hodeidah", "Hodeidah", "the ship", 130.0, None, None, "unverifiable",
                 "target not located", anchor_lat=14.79781, anchor_lon=42.95452)
    path = tmp_path / "ring.html"
    path.write_text(offline_html(build_map(claims=[ring], offline=True)), encoding="utf-8")
    load(driver, path.as_uri())
    assert driver.execute_script("return document.querySelectorAll('path.geoinc-claim-ring').length") == 1
    # the view fits the claim; its radius is the stated 130 km
    assert driver.execute_script("""
        let r = null; window.geoincLayers.claims.eachLayer(l => { if (/ring/.test(l.options.className || '')) r = l.getRadius(); });
        return r;""") == 130_000
    assert severe(driver) == []


def _poll(driver, script: str, predicate, timeout: float = 15.0):
    import time
    end = time.monotonic() + timeout
    value = driver.execute_script(script)
    while not predicate(value) and time.monotonic() < end:
        time.sleep(0.1)
        value = driver.execute_script(script)
    return value


@pytest.fixture(scope="module")
def demo_page(tmp_path_factory):
    """maps/demo.html as `make demo` writes it (`geoinc demo`, default options) from data/articles."""
    from conftest import DATA
    from geoinc.cli import main
    if not (DATA / "articles").exists():
        pytest.skip("data/articles is not in this checkout")
    out = tmp_path_factory.mktemp("demo") / "maps" / "demo.html"
    out.parent.mkdir()                  # as in a clone (maps/.gitkeep); geoinc never creates folders
    assert main(["demo", "--articles", str(DATA / "articles"), "-o", str(out), "--quiet"]) == 0
    return out


def test_default_demo_map_renders_with_all_network_blocked(driver, demo_page):
    """First hour 1: the quick-start map is self-contained by default and draws with no network."""
    page = demo_page.read_text(encoding="utf-8")
    assert '<script src="http' not in page and '<link rel="stylesheet" href="http' not in page
    load(driver, demo_page.as_uri())
    assert driver.execute_script("return typeof window.L") == "object"
    # the tile servers cannot be reached: the map hands over to the vector basemap
    assert _poll(driver, "return document.querySelectorAll('path.geoinc-basemap').length", lambda n: n > 10) > 10
    checked = driver.execute_script(
        "return [...document.querySelectorAll('.leaflet-control-layers-base input')].map(i => i.checked)")
    assert checked == [False, False, True]
    assert driver.execute_script("return document.querySelectorAll('path.geoinc-incident').length") > 0
    assert driver.execute_script("return document.querySelectorAll('path.geoinc-zone').length") == 1
    assert driver.execute_script("return document.querySelectorAll('path.geoinc-claim').length") > 0
    # the offline basemap names the countries and the largest cities on screen
    assert len(_poll(driver, VISIBLE_LABELS, lambda labels: any("country" in x["cls"] for x in labels))) > 5
    # zoomed in on Tower 22, the distance-check labels are on screen with their text
    driver.execute_script("window.geoincMap.setView([33.31, 38.70], 9, {animate: false})")
    labels = driver.execute_script("""return [...document.querySelectorAll('.geoinc-claim-label')]
        .filter(e => e.getBoundingClientRect().width > 0 && getComputedStyle(e).display !== 'none')
        .map(e => e.textContent)""")
    assert labels and all("claimed" in t for t in labels)
    remote = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => /^https?:/.test(n))")
    assert all("tile" in url or "cartocdn" in url for url in remote)   # only the tiles were tried


VISIBLE_LABELS = """return [...document.querySelectorAll('.geoinc-label')]
    .filter(e => e.style.display !== 'none' && e.offsetWidth > 0)
    .map(e => { const r = e.getBoundingClientRect();
                return {cls: e.className, text: e.textContent, x: r.left, y: r.top, w: r.width, h: r.height}; })"""


def _visible_labels(driver, cls: str = ""):
    _poll(driver, VISIBLE_LABELS, lambda labels: len(labels) > 0)
    return [lab for lab in driver.execute_script(VISIBLE_LABELS) if cls in lab["cls"]]


def _overlap(a, b) -> bool:
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


def test_offline_basemap_names_countries_and_cities(driver, tmp_path):
    """First hour 4: on the no-tiles basemap, with no network, Jordan, Syria and Iraq are named, and major cities."""
    path = tmp_path / "labels.html"
    path.write_text(offline_html(build_map(C.incidents(), offline=True)), encoding="utf-8")
    load(driver, path.as_uri())
    driver.execute_script("window.geoincMap.setView([33.0, 40.0], 6, {animate: false})")
    countries = {lab["text"] for lab in _visible_labels(driver, "geoinc-country-label")}
    assert {"Jordan", "Syria", "Iraq"} <= countries
    cities = {lab["text"] for lab in _visible_labels(driver, "geoinc-city-label")}
    assert {"Damascus", "Baghdad", "Amman"} & cities and len(cities) >= 5
    # the names belong to the vector basemap: another basemap (tiles carry their own names) takes them away
    driver.execute_script("window.geoincMap.removeLayer(window.geoincLayers.basemap)")
    left = _poll(driver, VISIBLE_LABELS, lambda labels: not any("country" in x["cls"] for x in labels))
    assert not [x for x in left if "country" in x["cls"] or "city" in x["cls"]]


def _crowded_claims():
    """Five distance checks from one anchor at zoom 8: their labels would sit on top of each other."""
    from geoinc.models import Claim
    lat, lon = C.TOWER22
    out = []
    for i, (dlat, dlon) in enumerate([(0.12, 0.02), (0.10, 0.06), (0.13, -0.03), (-0.02, 0.12), (0.11, 0.10)]):
        out.append(Claim(0, 10, f"check {i}", "Tower 22", f"place {i}", 10.0 + i, None, 9.0 + i, "consistent", "",
                         anchor_lat=lat, anchor_lon=lon, target_lat=lat + dlat, target_lon=lon + dlon))
    return out


def test_distance_check_labels_avoid_each_other_and_the_markers(driver, tmp_path):
    """First hour 5: at zoom 8 the labels neither overlap each other nor hide an incident marker."""
    from geoinc.models import Incident
    lat, lon = C.TOWER22
    # incidents sitting at the middle of the lines, where a centred label would go
    incs = [Incident(event_id_cnty=f"MID{i}", event_date="2024-01-28", event_type="Battles", location="mid",
                     latitude=lat + dlat / 2, longitude=lon + dlon / 2, geo_precision=1, fatalities=1)
            for i, (dlat, dlon) in enumerate([(0.12, 0.02), (0.10, 0.06), (-0.02, 0.12)])]
    path = tmp_path / "crowded.html"
    path.write_text(offline_html(build_map(incs, claims=_crowded_claims(), offline=True, heat=False)), encoding="utf-8")
    load(driver, path.as_uri())
    driver.execute_script(f"window.geoincMap.setView([{lat + 0.05}, {lon + 0.05}], 8, {{animate: false}})")
    labels = _visible_labels(driver, "geoinc-claim-label")
    assert labels, "no distance-check label shown"
    assert all(not _overlap(a, b) for i, a in enumerate(labels) for b in labels[i + 1:])
    markers = driver.execute_script("""return [...document.querySelectorAll('path.geoinc-incident, path.geoinc-mention')]
        .map(e => { const r = e.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; })""")
    assert len(markers) == 3
    assert not [(lab["text"], m) for lab in labels for m in markers if _overlap(lab, m)]
    # every check can still be read: a label that found no room shows on hover
    assert driver.execute_script("""let n = 0; window.geoincLayers.claims.eachLayer(l => { if (l.getTooltip && l.getTooltip()) n++; });
        return n""") == 5


NIGERIA_ARTICLE = """Gunmen kill 12 in attack near Maiduguri

MAIDUGURI, Nigeria, March 3, 2024 - Gunmen killed 12 people in an attack on a village near Maiduguri in
Borno State on Sunday, police said. Survivors were taken to hospitals in Maiduguri. Officials in Abuja
condemned the attack, and traders in Kano and Lagos said markets would close on Monday in protest.
"""


def test_cli_map_frames_incidents_and_mentioned_places_clear_of_the_controls(driver, tmp_path):
    """First hour 5: `geoinc map --country NG --mentions` shows the incidents and every place mentioned."""
    from geoinc.cli import main
    article = tmp_path / "articles" / "nigeria.txt"
    article.parent.mkdir()
    article.write_text(NIGERIA_ARTICLE, encoding="utf-8")
    db, out = tmp_path / "s.sqlite", tmp_path / "ng.html"
    assert main(["ingest", str(article.parent), "--db", str(db), "--published", "2024-03-03", "-q"]) == 0
    assert main(["map", "--db", str(db), "--country", "NG", "--mentions", "-o", str(out)]) == 0
    load(driver, out.as_uri())
    found = driver.execute_script("""
        const box = r => ({x: r.left, y: r.top, w: r.width, h: r.height});
        const frame = window.geoincMap.getContainer().getBoundingClientRect();
        return {frame: box(frame),
                controls: [...document.querySelectorAll('.leaflet-control')].map(c => box(c.getBoundingClientRect())),
                incidents: [...document.querySelectorAll('path.geoinc-incident')].map(e => box(e.getBoundingClientRect())),
                mentions: [...document.querySelectorAll('path.geoinc-mention')].map(e => box(e.getBoundingClientRect())),
                names: window.geoincLayers.mentions ? (() => { const n = []; window.geoincLayers.mentions.eachLayer(
                    l => n.push(l.getTooltip().getContent())); return n; })() : []};""")
    assert found["incidents"] and len(found["mentions"]) >= 4, found["names"]
    frame = found["frame"]
    for marker in found["incidents"] + found["mentions"]:
        assert frame["x"] <= marker["x"] and marker["x"] + marker["w"] <= frame["x"] + frame["w"]
        assert frame["y"] <= marker["y"] and marker["y"] + marker["h"] <= frame["y"] + frame["h"]
        assert not [c for c in found["controls"] if _overlap(marker, c)], marker
