"""The report of the demo data in real headless Chromium (Debian's chromium + chromedriver) with every
network request blocked, and its PDF read back with poppler's pdftotext.

The demo store is built as ``geoinc demo`` builds its own: data/articles geoparsed, extracted and merged
into a temporary store. Every figure the page shows is compared with ``geoinc.query`` on that store.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import time

import pytest

import geoinc
from geoinc.maps.browser import chromium, find_chromium, wait_ready

import map_cases as M
from conftest import DATA

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(find_chromium() is None,
                       reason="Debian's chromium and chromium-driver are not installed (make browser)"),
]

SECTIONS = ("report-header", "summary", "map", "timeline", "areas", "incidents", "claims", "methods")
PERIOD = {"since": "2024-01-15", "until": "2024-02-29"}   # previous period: 2023-11-30 .. 2024-01-14


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo articles ingested into a temporary store (absolute paths, so claims can be re-read)."""
    from geoinc.ingest import ingest_paths
    from geoinc.store import open_store

    root = tmp_path_factory.mktemp("report-demo")
    store = open_store(root / "demo.sqlite")
    summary = ingest_paths([(DATA / "articles").resolve()], store)
    assert summary.articles_new == 7 and not summary.errors
    yield store
    store.close()


@pytest.fixture(scope="module")
def driver():
    with chromium(width=1280, height=900, block_network=True) as drv:
        drv.set_page_load_timeout(60)
        yield drv


@pytest.fixture(scope="module")
def pages(demo, tmp_path_factory):
    root = tmp_path_factory.mktemp("reports")
    out = {}
    for name, query in (("all", {}), ("period", PERIOD)):
        html = geoinc.report(store=demo, static_map=True, **query)
        path = root / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        out[name] = (path, html)
    return out


def load(driver, path) -> None:
    driver.get_log("browser")
    driver.get(path.as_uri())
    start = time.perf_counter()
    while not driver.execute_script("return window.geoincReportReady === true"):
        assert time.perf_counter() - start < 30, "the report's script did not run"
        time.sleep(0.05)


def severe(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def in_map(driver, script: str):
    """Run a script inside the report's (sandboxed) map frame, once the map has loaded."""
    frame = driver.find_element("css selector", "#map iframe")
    driver.switch_to.frame(frame)
    try:
        wait_ready(driver, 30)
        return driver.execute_script(script)
    finally:
        driver.switch_to.default_content()


def test_every_section_is_there_and_nothing_comes_from_the_network(driver, pages):
    load(driver, pages["period"][0])
    present = driver.execute_script(
        "return arguments[0].filter(id => { const e = document.getElementById(id); return e && e.offsetHeight > 0; })",
        list(SECTIONS))
    assert present == list(SECTIONS)
    assert driver.execute_script("return document.getElementById('report-title').textContent").startswith("Incidents:")
    assert driver.execute_script("return document.getElementById('report-period').textContent") == \
        "15 January 2024 to 29 February 2024 (46 days)"
    remote = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => /^https?:/.test(n))")
    assert remote == []
    assert severe(driver) == []


def test_figures_on_the_page_equal_geoinc_query(driver, pages, demo):
    for name, query in (("all", {}), ("period", PERIOD)):
        load(driver, pages[name][0])
        frame = geoinc.query(store=demo, **query)
        shown = driver.execute_script("""
            const v = f => Number(document.querySelector(`.figure[data-figure="${f}"] .value`).dataset.value);
            const types = {};
            document.querySelectorAll('table.by-type tbody tr').forEach(tr => {
                types[tr.dataset.type] = Number(tr.querySelector('td.num').dataset.value); });
            return {incidents: v('incidents'), fatalities: v('fatalities'), injured: v('injured'), types,
                    rows: [...document.querySelectorAll('table.incidents tbody tr')].map(tr => tr.dataset.id)};""")
        assert shown["incidents"] == len(frame) > 0
        assert shown["fatalities"] == int(frame["fatalities"].sum())
        assert shown["injured"] == int(frame["injuries"].fillna(0).sum())
        counts = frame["event_type"].value_counts()
        assert {k: v for k, v in shown["types"].items() if v} == {k: int(v) for k, v in counts.items()}
        # the table: every incident once, in date order
        assert sorted(shown["rows"]) == sorted(frame["event_id_cnty"])
        dates = dict(zip(frame["event_id_cnty"], frame["event_date"]))
        assert [dates[i] for i in shown["rows"]] == sorted(dates[i] for i in shown["rows"])
        assert severe(driver) == []


def test_change_against_the_previous_period_is_that_of_geoinc_query(driver, pages, demo):
    load(driver, pages["period"][0])
    now = geoinc.query(store=demo, **PERIOD)
    before = geoinc.query(store=demo, since="2023-11-30", until="2024-01-14")
    change = driver.execute_script(
        "return document.querySelector('.figure[data-figure=\"incidents\"] .change').textContent")
    delta = len(now) - len(before)
    assert change.startswith(("+" if delta > 0 else "\u2212") + str(abs(delta)))
    assert "30 November 2023 to 14 January 2024 (46 days)" in driver.execute_script(
        "return document.querySelector('#summary .compare').textContent")


def test_charts_are_drawn_as_svg(driver, pages, demo):
    from geoinc.reports import figures as F
    load(driver, pages["period"][0])
    frame = geoinc.query(store=demo, **PERIOD)
    tl = F.timeline(frame, F.report_period(PERIOD["since"], PERIOD["until"], today=None))
    nonzero = sum(1 for counts in tl.counts.values() for c in counts if c)
    drawn = driver.execute_script("""
        const box = e => { const b = e.getBoundingClientRect(); return [b.width, b.height]; };
        return {bars: [...document.querySelectorAll('#timeline svg [id^="tl-type-"] path')].map(box),
                line: box(document.querySelector('#timeline svg #tl-fatalities')),
                areas: [...document.querySelectorAll('#areas svg [id^="area-bar-"]')].map(box),
                svg: box(document.querySelector('#timeline svg'))};""")
    assert len(drawn["bars"]) == nonzero > 0 and all(w > 0 and h > 0 for w, h in drawn["bars"])
    assert drawn["line"][0] > 100 and drawn["svg"][0] > 500
    assert len(drawn["areas"]) == len(F.top_areas(frame).rows) and all(w > 0 for w, _ in drawn["areas"])


def test_map_layers_are_drawn_in_the_report(driver, pages, demo):
    load(driver, pages["all"][0])
    frame = geoinc.query(store=demo)
    drawn = in_map(driver, """return {
        incidents: document.querySelectorAll('path.geoinc-incident').length,
        basemap: document.querySelectorAll('path.geoinc-basemap').length,
        borders: document.querySelectorAll('path.geoinc-border').length,
        claims: document.querySelectorAll('path.geoinc-claim, path.geoinc-claim-ring').length,
        overlays: [...document.querySelectorAll('.leaflet-control-layers-overlays label')].map(l => l.textContent.trim())}""")
    assert drawn["incidents"] == int(frame["latitude"].notna().sum())
    assert drawn["basemap"] > 10 and drawn["borders"] > 3 and drawn["claims"] > 0
    assert any(o.startswith("Explosions/Remote violence") for o in drawn["overlays"])
    assert any(o.startswith("Distance checks") for o in drawn["overlays"])
    assert severe(driver) == []
    # the static map for print is a real picture of it
    size = driver.execute_script("const i = document.querySelector('.map-static img'); return [i.naturalWidth, i.naturalHeight]")
    assert size == [1200, 750]


def test_claims_inconsistent_first_with_their_articles(driver, pages):
    load(driver, pages["all"][0])
    verdicts = driver.execute_script(
        "return [...document.querySelectorAll('table.claims tbody tr')].map(tr => tr.dataset.verdict)")
    assert verdicts, "the demo articles have distance claims"
    rank = {"inconsistent": 0, "consistent": 1, "unverifiable": 2}
    assert [rank[v] for v in verdicts] == sorted(rank[v] for v in verdicts)
    titles = driver.execute_script(
        "return [...document.querySelectorAll('table.claims tbody tr td:last-child')].map(td => td.textContent.trim())")
    assert all(titles)


def test_downloads_unpack_in_the_browser(driver, pages, demo):
    from geoinc.formats import to_csv, to_geojson
    load(driver, pages["all"][0])
    frame = geoinc.query(store=demo)
    fetch = "const done = arguments[arguments.length - 1]; geoincReportFile(arguments[0]).then(done, e => done('ERR ' + e));"
    assert driver.execute_async_script(fetch, "incidents.csv") == to_csv(frame)
    assert json.loads(driver.execute_async_script(fetch, "incidents.geojson")) == json.loads(json.dumps(to_geojson(frame)))


def test_phone_width_reads_without_sideways_scrolling(driver, pages):
    driver.set_window_size(400, 860)
    try:
        load(driver, pages["all"][0])
        layout = driver.execute_script("""return {
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            card: getComputedStyle(document.querySelector('table.incidents tbody tr')).display,
            head: getComputedStyle(document.querySelector('table.incidents thead')).display}""")
        assert layout == {"overflow": 0, "card": "block", "head": "none"}
    finally:
        driver.set_window_size(1280, 900)


# ---------------------------------------------------------------------------------------------- PDF


def pdf_text(pdf: bytes, tmp_path, first: int | None = None, last: int | None = None) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    pages = (["-f", str(first)] if first else []) + (["-l", str(last)] if last else [])
    return subprocess.run(["pdftotext", *pages, str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="pdftotext (Debian's poppler-utils) is not installed: make setup installs it")
def test_pdf_has_the_title_first_and_the_whole_incidents_table(pages, demo, tmp_path):
    from geoinc.reports.pdf import print_pdf
    html = pages["all"][1]
    pdf = print_pdf(html)
    assert pdf.startswith(b"%PDF")
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    first = " ".join(pdf_text(pdf, tmp_path, 1, 1).split())
    assert title in first and "Summary" in first
    text = " ".join(pdf_text(pdf, tmp_path).split())
    frame = geoinc.query(store=demo)
    for event_id in frame["event_id_cnty"]:
        assert f"incident {event_id}" in text, f"{event_id} is missing from the PDF"
    assert text.index("Incidents (") < text.index(f"incident {frame['event_id_cnty'].iloc[0]}")
    assert "Methods" in text


# ---------------------------------------------------------------------------------------------- XSS


def test_xss_in_article_text_actor_and_quote_runs_nothing(driver, tmp_path):
    """The hostile fixture article through the real pipeline, plus incidents whose actor, place, quote and
    source title carry the payloads; every popup of the map opened; nothing runs anywhere."""
    from geoinc.ingest import ingest_paths
    from geoinc.store import open_store
    fixture = DATA.parent / "tests" / "data" / "xss-article.txt"
    store = open_store(tmp_path / "x.sqlite")
    try:
        summary = ingest_paths([fixture.resolve()], store)
        assert summary.articles_new == 1 and summary.incidents_new >= 1
        store.add_incidents(M.incidents(hostile=True))
        html = geoinc.report(store=store, static_map=False, title="T " + M.XSS)
    finally:
        store.close()
    path = tmp_path / "x.html"
    path.write_text(html, encoding="utf-8")
    load(driver, path)
    opened = in_map(driver, """
        let opened = 0;
        const visit = (layer) => {
            if (layer.eachLayer) layer.eachLayer(visit);
            if (!layer._map) return;
            if (layer.getTooltip && layer.getTooltip()) layer.openTooltip();
            if (layer.getPopup && layer.getPopup()) { layer.openPopup(layer.getLatLng ? layer.getLatLng() : undefined); opened++; }
        };
        Object.values(window.geoincLayers).forEach(l => { if (window.geoincMap.hasLayer(l)) visit(l); });
        for (const l of Object.values(window.geoincLayers)) if (l._group) l._group.eachLayer(visit);
        return [opened, typeof window.__xss];""")
    assert opened[0] >= 3 and opened[1] == "undefined"
    result = driver.execute_script("""return {
        xss: typeof window.__xss,
        title: document.getElementById('report-title').textContent,
        table: document.querySelector('table.incidents').textContent,
        claims: document.querySelector('#claims').textContent,
        injected: document.querySelectorAll('main img:not(.map-static img), main svg:not(.geoinc-chart) , main table script, main table iframe').length}""")
    assert result["xss"] == "undefined" and result["injected"] == 0
    assert result["title"] == "T " + M.XSS
    for payload in M.XSS_PAYLOADS:
        assert payload in result["table"]          # the actor, place and quote shown as text
    assert "<script>window.__xss=1</script>" in result["table"] + result["claims"]
    from selenium.common.exceptions import NoAlertPresentException
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert
    assert severe(driver) == []


@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="pdftotext (Debian's poppler-utils) is not installed: make setup installs it")
def test_cli_writes_the_page_and_the_pdf(demo, tmp_path, capsys):
    from geoinc.cli import main
    html, pdf = tmp_path / "t22.html", tmp_path / "t22.pdf"
    code = main(["report", "--db", str(demo.path), "--within", "60 km of Tower 22", "--since", "2024-01-22",
                 "--until", "2024-02-04", "--title", "Tower 22, late January 2024", "-o", str(html), "--pdf", str(pdf)])
    err = capsys.readouterr().err
    assert code == 0, err
    n = len(geoinc.query(store=demo, within="60 km of Tower 22", since="2024-01-22", until="2024-02-04"))
    assert err.startswith(f"{n} incidents") and str(pdf) in err
    assert "<title>Tower 22, late January 2024</title>" in html.read_text(encoding="utf-8")
    first = " ".join(pdf_text(pdf.read_bytes(), tmp_path, 1, 1).split())
    assert first.startswith("Tower 22, late January 2024") and "60 km of Tower 22" in first


@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="pdftotext (Debian's poppler-utils) is not installed: make setup installs it")
def test_pdf_cuts_no_table_row_and_no_chart_in_half(tmp_path):
    """Forty incidents with long quotes fill several pages: every row's id (top of its sources cell) and
    the end of its quote (bottom) are on the same page (without break-inside on rows, some are split)."""
    from geoinc.models import Incident, Source
    from geoinc.reports.pdf import print_pdf
    from geoinc.store import open_store
    words = ("witnesses said the strike hit the market early in the morning while families were shopping "
             "and that rescue teams searched the rubble for hours ").split()
    incidents = []
    for i in range(40):
        quote = " ".join(words[(i + k) % len(words)] for k in range(40 + 9 * (i % 7))) + f" said witness number {i}."
        incidents.append(Incident(
            event_id_cnty=f"PDF{i:03d}", event_date=f"2024-03-{1 + i % 28:02d}", event_type="Battles",
            location=f"Village {i}", country="Syria", latitude=34.0 + i / 50, longitude=38.0 + i / 50, fatalities=i % 4,
            sources=[Source(article=f"a{i}", published="2024-03-30", title=f"Report {i}", quote=quote)]))
    store = open_store(tmp_path / "p.sqlite")
    try:
        store.add_incidents(incidents)
        html = geoinc.report(store=store, static_map=False, since="2024-03-01", until="2024-03-31")
    finally:
        store.close()
    pdf = print_pdf(html)
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    n = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    pages = [" ".join(pdf_text(pdf, tmp_path, i, i).split()) for i in range(1, n + 1)]
    assert n >= 4
    for i, inc in enumerate(incidents):
        on = [k for k, p in enumerate(pages) if f"incident {inc.event_id_cnty} " in p]
        end = [k for k, p in enumerate(pages) if f"said witness number {i}." in p]
        assert len(on) == 1 and on == end, f"{inc.event_id_cnty}: row on pages {on}, its quote ends on {end}"
    # the timeline: its axis labels (inside the SVG) and its caption (below it) on one page
    timeline = [k for k, p in enumerate(pages) if "incidents per day" in p]
    assert len(timeline) == 1
    assert "fatalities per day" in pages[timeline[0]] and "(bars, left axis)" in pages[timeline[0]]


def test_the_page_itself_forbids_the_network(driver, pages):
    """The page's own Content-Security-Policy: an injected image or fetch would be refused by the browser
    (the tests also block the network, so this checks the policy, not the sandbox of the test)."""
    load(driver, pages["period"][0])
    refused = driver.execute_async_script("""
        const done = arguments[arguments.length - 1], seen = [];
        document.addEventListener('securitypolicyviolation', e => seen.push(e.violatedDirective));
        new Image().src = 'https://example.org/pixel.png';
        fetch('https://example.org/x').catch(() => {});
        setTimeout(() => done(seen.sort()), 500);""")
    assert refused == ["connect-src", "img-src"]
    driver.get_log("browser")   # those two refusals are logged: drop them
