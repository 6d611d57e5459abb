"""geoinc report without a browser: the figures, periods, charts, table rows, claims of stored articles,
downloads, escaping, and the CLI's answers to bad input. The page in real Chromium and the PDF are in
test_report_browser.py."""
from __future__ import annotations

import base64
import gzip
import json
import re
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

import geoinc
from geoinc.models import Incident
from geoinc.reports import charts as C
from geoinc.reports import figures as F
from geoinc.reports.build import build_report, query_line, stored_article

import map_cases as M

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"


# ---------------------------------------------------------------------------------------------- helpers


class Page(HTMLParser):
    """What the tests read back from a report page: elements by id, data-* values, script blocks."""

    def __init__(self, text: str):
        super().__init__()
        self.ids: dict[str, dict[str, str]] = {}
        self.values: dict[str, str] = {}
        self.scripts: list[dict[str, str]] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._figure: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if "id" in a:
            self.ids[a["id"]] = a
        if "data-figure" in a:
            self._figure = a["data-figure"]
        if a.get("class") == "value" and self._figure:
            self.values[self._figure] = a["data-value"]
        if tag == "script":
            self.scripts.append(a)


def add(store, incidents):
    store.add_incidents(incidents)
    return geoinc.query(store=store)


def inc(i: int, day: str, **kw) -> Incident:
    base = dict(event_id_cnty=f"T{i:04d}", event_date=day, event_type="Battles", location="Abu Kamal",
                country="Syria", latitude=34.45226, longitude=40.91854, fatalities=1)
    base.update(kw)
    return Incident(**base)


def report_of(store, **query):
    from geoinc.regions import build_spec

    def respec(since, until):
        return build_spec(**{**query, "since": since, "until": until})

    return build_report(build_spec(**query), store, query=query, respec=respec, static_map=False)


# ---------------------------------------------------------------------------------------------- period


def test_previous_period_has_the_same_length_just_before():
    p = F.Period(date(2024, 3, 1), date(2024, 3, 31))
    assert p.days == 31
    assert p.previous() == F.Period(date(2024, 1, 30), date(2024, 2, 29))
    assert p.words() == "1 March 2024 to 31 March 2024 (31 days)"
    assert F.Period(None, None).previous() is None and F.Period(None, None).words() == "all dates"


def test_an_open_end_is_the_day_the_report_is_made():
    p = F.report_period("2024-03-01", None, today=date(2024, 3, 10))
    assert (p.start, p.end, p.days) == (date(2024, 3, 1), date(2024, 3, 10), 10)
    assert F.report_period(None, "2024-03-01", today=date(2024, 3, 10)).previous() is None


def test_change_in_words():
    assert F.Change(8, 5).words() == "+3 (+60 %)"
    assert F.Change(2, 4).words() == "\u22122 (\u221250 %)"
    assert F.Change(3, 3).words() == "no change" and F.Change(3, 3).direction == "same"
    assert F.Change(4, 0).words() == "+4 (none before)"


# ---------------------------------------------------------------------------------------------- figures


def test_headline_sums_fatalities_ranges_and_known_injuries(store):
    frame = add(store, [
        inc(1, "2024-02-01", fatalities=10, fatalities_low=1, fatalities_high=12, injuries=5),
        inc(2, "2024-02-02", fatalities=3, injuries=None, event_type="Protests"),
        inc(3, "2024-02-03", fatalities=0, injuries=2, latitude=None, longitude=None),
    ])
    f = F.headline(frame)
    assert (f.incidents, f.fatalities, f.fatalities_low, f.fatalities_high) == (3, 13, 4, 15)
    assert (f.injured, f.injured_known, f.ranged, f.unlocated) == (7, 2, 1, 1)
    assert f.by_type == (("Battles", 2), ("Protests", 1))


def test_timeline_bins_by_day_week_or_month_with_empty_bins(store):
    frame = add(store, [inc(1, "2024-02-01"), inc(2, "2024-02-01", event_type="Riots", fatalities=4),
                        inc(3, "2024-02-05", fatalities=2)])
    tl = F.timeline(frame, F.Period(date(2024, 2, 1), date(2024, 2, 7)))
    assert tl.unit == "day" and len(tl.starts) == 7
    assert tl.counts["Battles"] == (1, 0, 0, 0, 1, 0, 0) and tl.counts["Riots"] == (1, 0, 0, 0, 0, 0, 0)
    assert tl.fatalities == (5, 0, 0, 0, 2, 0, 0)
    weekly = F.timeline(frame, F.Period(date(2024, 1, 1), date(2024, 6, 30)))
    assert weekly.unit == "week" and weekly.starts[0] == date(2024, 1, 1)   # a Monday
    assert sum(sum(v) for v in weekly.counts.values()) == 3
    assert F.timeline_unit(date(2020, 1, 1), date(2024, 1, 1)) == "month"
    assert F.bin_start(date(2024, 2, 29), "month") == date(2024, 2, 1)


def test_top_areas_use_admin1_when_most_incidents_have_one(store):
    frame = add(store, [inc(1, "2024-02-01", admin1="Deir ez-Zor"), inc(2, "2024-02-02", admin1="Deir ez-Zor"),
                        inc(3, "2024-02-03", admin1="Homs", fatalities=7), inc(4, "2024-02-04")])
    areas = F.top_areas(frame)
    assert areas.level == "admin1" and areas.rows[:2] == (("Deir ez-Zor", 2, 2), ("Homs", 1, 7))
    by_place = F.top_areas(frame.assign(admin1=""), n=1)
    assert by_place.level == "location" and by_place.rows == (("Abu Kamal", 4, 10),) and by_place.others == 0


def test_incident_rows_sorted_by_date_with_safe_links_only(store):
    from geoinc.maps.payload import safe_url
    frame = add(store, M.incidents(hostile=True)[::-1])
    rows = F.incident_rows(frame, safe_url)
    assert [r.date for r in rows] == ["2024-01-28", "2024-02-02", "2024-02-10"]
    first = rows[0]
    assert first.killed == "3 (3\u20134)" and first.injured == "40" and first.date_range == "2024-01-27 to 2024-01-28"
    assert [s.url for s in first.sources] == ["https://example.org/news?id=1&lang=en", None]   # javascript: dropped
    assert M.XSS in first.sources[0].quote


def test_claims_are_ordered_inconsistent_first():
    claims = M.claims()
    ordered = F.order_claims(list(reversed(claims)) + claims)
    assert [c.verdict for c in ordered][:2] == ["inconsistent", "inconsistent"]
    assert F.verdict_counts(claims)["inconsistent"] == 1


# ---------------------------------------------------------------------------------------------- charts


def test_timeline_chart_is_inline_svg_with_one_bar_per_nonempty_bin(store):
    frame = add(store, [inc(1, "2024-02-01"), inc(2, "2024-02-01", event_type="Riots"), inc(3, "2024-02-05")])
    svg = C.timeline_svg(F.timeline(frame, F.Period(date(2024, 2, 1), date(2024, 2, 7))))
    assert svg.startswith("<svg") and "viewBox" in svg and not re.search(r'<svg[^>]*\swidth="', svg)
    bars = {m.group(1): m.group(2).count("<path") for m in re.finditer(r'<g id="tl-type-(\d)">(.*?)</g>', svg, re.S)}
    assert bars == {"0": 2, "1": 1}          # Battles on the 1st and the 5th, Riots on the 1st: empty days draw nothing
    assert 'id="tl-fatalities"' in svg


def test_chart_labels_from_data_are_text_not_markup_or_mathtext():
    hostile = "<script>alert(1)</script> $x^2$ & co"
    svg = C.areas_svg(F.Areas("location", ((hostile, 3, 1), ("Homs", 1, 0))))
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert "$x^2$" in svg                     # the dollar signs are shown as typed, not read as mathtext
    assert C.plain("Tower\x0722\u200b\tcamp") == "Tower22 camp"   # control/format characters no font can draw
    assert len(re.findall(r'id="area-bar-\d"', svg)) == 2


# ---------------------------------------------------------------------------------------------- claims


def test_stored_article_is_read_again_and_a_changed_file_is_noticed(store, tmp_path):
    from geoinc.ingest import ingest_paths
    src = tmp_path / "a.txt"
    shutil.copy(ARTICLES / "2024-02-02-tower-22-why-the-desert-outpost-matters.txt", src)
    ingest_paths([src], store)
    (article_id,) = store.article_ids()
    art = stored_article(store, article_id)
    assert art is not None and art.id == article_id and "Tower 22" in art.text
    src.write_text(src.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    assert stored_article(store, article_id) is None


def test_claims_of_the_period_articles_are_checked_with_stored_mentions(store, tmp_path):
    from geoinc.ingest import ingest_paths
    for name in ("2024-02-02-tower-22-why-the-desert-outpost-matters.txt", "2023-06-29-missile-strike-on-kramatorsk-restaurant.txt"):
        shutil.copy(ARTICLES / name, tmp_path / name)
    ingest_paths([tmp_path], store)
    built = report_of(store, since="2024-01-01", until="2024-03-31")
    art = geoinc.read_articles(tmp_path / "2024-02-02-tower-22-why-the-desert-outpost-matters.txt")[0]
    expected = geoinc.check_distances(art.text, art.published)
    assert expected and built.claims == len(expected)   # only the article of the period, every claim of it
    page = Page(built.html)
    assert sum(1 for t, a in page.tags if t == "tr" and "data-verdict" in a) == len(expected)
    # a region far away keeps none of them (their places are not in it and no incident there cites them)
    assert report_of(store, country="Ukraine", since="2024-01-01", until="2024-03-31").claims == 0


# ---------------------------------------------------------------------------------------------- page


def test_page_figures_equal_the_query_and_the_previous_period(store):
    store.add_incidents([inc(1, "2024-02-01", fatalities=2), inc(2, "2024-02-10", event_type="Riots", injuries=3),
                         inc(3, "2024-01-20", fatalities=5), inc(4, "2024-03-01")])
    built = report_of(store, since="2024-02-01", until="2024-02-29")
    page = Page(built.html)
    frame = geoinc.query(store=store, since="2024-02-01", until="2024-02-29")
    before = geoinc.query(store=store, since="2024-01-03", until="2024-01-31")
    assert int(page.values["incidents"]) == len(frame) == 2
    assert int(page.values["fatalities"]) == int(frame["fatalities"].sum()) == 3
    assert int(page.values["injured"]) == int(frame["injuries"].sum()) == 3
    assert (built.previous.incidents, built.previous.fatalities) == (len(before), int(before["fatalities"].sum())) == (1, 5)
    assert "+1 (+100 %)" in built.html and "\u22122 (\u221240 %)" in built.html
    facts = json.loads(re.search(r'<script type="application/json" id="report-facts">(.*?)</script>', built.html).group(1))
    assert facts["by_type"] == {"Battles": 1, "Riots": 1} and facts["period"] == ["2024-02-01", "2024-02-29"]


def test_downloads_unpack_to_the_query_export(store):
    from geoinc.formats import to_csv, to_geojson
    frame = add(store, M.incidents(hostile=True))
    page = Page(report_of(store).html)
    links = {a["data-name"]: a for t, a in page.tags if t == "a" and "download" in a.get("class", "")}
    csv_text = gzip.decompress(base64.b64decode(links["incidents.csv"]["data-gz"])).decode("utf-8")
    assert csv_text == to_csv(frame)
    geo = json.loads(gzip.decompress(base64.b64decode(links["incidents.geojson"]["data-gz"])))
    assert geo == json.loads(json.dumps(to_geojson(frame)))


def test_hostile_text_is_escaped_everywhere(store):
    add(store, M.incidents(hostile=True))
    html = report_of(store).html
    page = Page(html)
    # the only scripts are the page's own two; the map's are inside the escaped srcdoc of a sandboxed frame
    assert len(page.scripts) == 2 and page.scripts[0].get("type") == "application/json"
    assert not any(t in ("img", "svg") and ("onerror" in a or "onload" in a) for t, a in page.tags)
    assert "window.__xss" in html and "<script>window.__xss" not in html
    frames = [a for t, a in page.tags if t == "iframe"]
    assert len(frames) == 1 and frames[0]["sandbox"] == "allow-scripts allow-popups allow-popups-to-escape-sandbox"
    assert 'href="javascript:' not in html


def test_table_rows_show_every_field_as_text():
    from geoinc.reports.page import incident_row_html
    x = M.XSS
    row = F.IncidentRow(id="ID" + x, date="2024-01-28", date_range="2024-01-27 to 2024-01-28", event_type="Battles/" + x,
                        sub_event_type="Armed clash" + x, location="Tower 22" + x, country="Jordan" + x, admin1="Mafraq" + x,
                        precision=2, confidence=0.5, actors=("A" + x, "B"), killed="3 (3\u20134)" + x, injured="40" + x,
                        status="confirmed" + x,
                        sources=(F.SourceRow(title="T" + x, url='https://e.org/?a="><script>', published="2024-01-29" + x,
                                             quote="Q" + x),))
    page = Page("<table>" + incident_row_html(row) + "</table>")
    tags = [t for t, _ in page.tags]
    assert set(tags) == {"table", "tr", "td", "div", "wbr", "span", "a", "blockquote"}   # no script, img or svg
    assert tags.count("td") == 8 and tags.count("a") == 1
    text = re.sub(r"<[^>]+>", "", incident_row_html(row).replace("<wbr>", ""))
    import html as H
    text = H.unescape(text)
    for field in ("ID", "Tower 22", "Mafraq", "Armed clash", "T", "Q", "confirmed"):
        assert field + x in text
    assert next(a for t, a in page.tags if t == "a")["href"] == 'https://e.org/?a="><script>'


def test_query_line_repeats_the_options_as_typed():
    line = query_line({"country": "SY", "since": "2024-01-01", "event_type": ["Battles", "Riots"],
                       "within": "50 km of Tower 22", "bbox": "-10,30,5,40"})
    assert line == ("geoinc report --country SY --bbox=-10,30,5,40 --within '50 km of Tower 22' --since 2024-01-01 "
                    "--type Battles --type Riots")


# ---------------------------------------------------------------------------------------------- CLI


def _cli(argv, capsys):
    from geoinc.cli import main
    code = main(argv)
    return code, capsys.readouterr().err


def test_cli_writes_the_report_with_the_counts_of_geoinc_query(tmp_path, capsys):
    from geoinc.store import open_store
    db = tmp_path / "s.sqlite"
    s = open_store(db)
    s.add_incidents(M.incidents())
    s.close()
    out = tmp_path / "r.html"
    code, err = _cli(["report", "--db", str(db), "--country", "Syria", "--since", "2024-02-01", "--until", "2024-02-29",
                      "--no-static-map", "--title", "Syria in February", "-o", str(out)], capsys)
    assert code == 0, err
    assert "2 incidents" in err and str(out) in err
    page = Page(out.read_text(encoding="utf-8"))
    frame = geoinc.query(db=db, country="Syria", since="2024-02-01", until="2024-02-29")
    assert int(page.values["incidents"]) == len(frame) == 2
    assert int(page.values["fatalities"]) == int(frame["fatalities"].sum())
    text = out.read_text(encoding="utf-8")
    assert "<title>Syria in February</title>" in text and "1 February 2024 to 29 February 2024 (29 days)" in text
    assert "geoinc report --country Syria --since 2024-02-01 --until 2024-02-29" in text


@pytest.mark.parametrize("argv, message", [
    (["report", "--no-static-map"], "say where to write the report"),
    (["report", "--country", "Atlantis", "-o", "x.html"], "unknown country 'Atlantis'"),
    (["report", "--since", "2024-02-30", "-o", "x.html"], "since"),
    (["report", "--since", "2024-03-01", "--until", "2024-02-01", "-o", "x.html"], "after until"),
    (["report", "--title", " ", "-o", "x.html"], "--title is empty"),
    (["report", "-o", "/nonexistent-folder/r.html"], "no such folder"),          # judged before any work
    (["report", "-o", "x.html", "--pdf", "/proc/r.pdf"], "cannot write there"),
])
def test_cli_bad_input_is_one_line_and_exit_2(argv, message, tmp_path, capsys):
    from geoinc.store import open_store
    db = tmp_path / "s.sqlite"
    open_store(db).close()
    code, err = _cli(argv + ["--db", str(db)], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("geoinc report: error:") and message in lines[0]


def test_cli_without_a_store_says_so(tmp_path, capsys):
    code, err = _cli(["report", "--db", str(tmp_path / "none.sqlite"), "-o", str(tmp_path / "r.html")], capsys)
    assert code == 2 and "no incident store here" in err


def test_python_api_returns_html_that_jupyter_shows_inline(tmp_path):
    from geoinc.store import open_store
    db = tmp_path / "s.sqlite"
    s = open_store(db)
    s.add_incidents(M.incidents())
    s.close()
    html = geoinc.report(db=db, within="30 km of 33.31,38.70", static_map=False)
    assert isinstance(html, str) and html.startswith("<!DOCTYPE html>")
    assert int(Page(html).values["incidents"]) == len(geoinc.query(db=db, within="30 km of 33.31,38.70")) == 2
    frame = html._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and "sandbox=" in frame


def test_stated_words_for_distances_ranges_directions_and_borders():
    from dataclasses import replace
    from geoinc.reports.build import stated_words
    c = M.claims()[0]
    assert stated_words(c) == "20 km"
    assert stated_words(replace(c, stated_km=10.0, stated_high_km=15.0, stated_direction="N")) == "10 km\u201315 km N"
    assert stated_words(replace(c, stated_km=None, stated_direction="NW")) == "NW"
    assert stated_words(replace(c, stated_km=4.0)) == "4.0 km"


def test_an_empty_period_still_makes_a_whole_page(store):
    store.add_incidents([inc(1, "2024-02-01")])
    built = report_of(store, since="2023-01-01", until="2023-01-31")
    page = Page(built.html)
    assert built.incidents == 0 and int(page.values["incidents"]) == 0
    for section in ("summary", "map", "timeline", "areas", "incidents", "claims", "methods"):
        assert section in page.ids
    assert "No incidents match this query in this period." in built.html
    assert built.previous is not None and built.previous.incidents == 0


def test_event_types_have_the_maps_colours_in_table_and_chart(store):
    from geoinc.maps.payload import SPARE_COLORS, EVENT_TYPE_COLORS
    store.add_incidents([inc(1, "2024-02-01"), inc(2, "2024-02-02", event_type="Looting spree", fatalities=4)])
    built = report_of(store, since="2024-02-01", until="2024-02-07")
    rows = re.findall(r'<tr data-type="([^"]+)"><td><span class="swatch" style="background:(#[0-9a-f]{6})"', built.html)
    assert rows == [("Battles", EVENT_TYPE_COLORS["Battles"]), ("Looting spree", SPARE_COLORS[0])]
    timeline = re.search(r'<svg[^>]*chart-timeline.*?</svg>', built.html, re.S).group(0)
    assert f"fill: {SPARE_COLORS[0]}" in timeline and f"fill: {EVENT_TYPE_COLORS['Battles']}" in timeline
