"""Build a report: run the query (and the previous period's), check the period's distance claims, draw the
map and charts, and fill the page. This module does the I/O (store, article files, headless Chromium);
the numbers come from :mod:`geoinc.reports.figures` and the markup from :mod:`geoinc.reports.page`.
"""
from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import GeoIncError
from . import figures as F
from .page import download, incident_rows_html, render_page, trusted

# at most this many stored articles have their distance claims checked for one report
MAX_CLAIM_ARTICLES = 1000
# CLI spelling of the query keywords whose option name differs from the keyword
OPTION_NAMES = {"event_type": "type", "sub_event_type": "sub-type"}
QUERY_KEYS = ("country", "admin1", "bbox", "within", "near", "lat", "lon", "radius_km", "polygon", "since", "until",
              "event_type", "sub_event_type", "actor", "status", "min_fatalities", "limit")


class ReportHTML(str):
    """The report page as text; in Jupyter it shows inline (in a sandboxed frame, so its styles stay its own)."""

    def _repr_html_(self) -> str:
        import html

        return (f'<iframe srcdoc="{html.escape(str(self), quote=True)}" style="width:100%;height:720px;border:0" '
                f'sandbox="allow-scripts allow-popups allow-downloads" title="geoinc report"></iframe>')


# ---------------------------------------------------------------------------------------------- claims


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """A checked distance claim with the article it comes from, as the claims table shows it."""

    verdict: str
    text: str
    anchor: str | None
    target: str | None
    subject: str | None            # the place the claim locates, when the checker says (claims issue 13)
    stated: str
    measured: str
    reason: str
    title: str
    url: str | None
    published: str
    claim: Any = None


@dataclass(slots=True)
class ClaimChecks:
    """The claims of a report's articles and what could not be checked."""

    claims: list[Any] = field(default_factory=list)           # Claim records, for the map
    rows: list[ClaimRow] = field(default_factory=list)
    articles: int = 0              # articles whose claims were checked
    unreadable: int = 0            # stored articles whose file is gone or changed
    not_checked: int = 0           # over MAX_CLAIM_ARTICLES


def stored_article(store: Any, article_id: str) -> Any:
    """The stored article read again from its file (the store keeps where it came from, not its text).

    None when the file is gone or no longer holds that article (its id is a hash of the text, so a
    changed file is noticed). ``path`` may be "file.jsonl:LINE" for an article read from JSONL; a
    relative path is tried from the working directory, then from the store's folder.
    """
    from ..articles import read_article_file

    record = store.article(article_id)
    if not record or not record.get("path"):
        return None
    path = str(record["path"])
    head, sep, line = path.rpartition(":")
    names = [Path(head), Path(path)] if sep and line.isdigit() else [Path(path)]
    base = Path(str(getattr(store, "path", "") or ".")).parent
    candidates = names + [base / n for n in names if not n.is_absolute()]
    for p in candidates:
        if not p.is_file():
            continue
        try:
            articles = read_article_file(p, published=record.get("published"))
        except GeoIncError:
            continue
        for art in articles:
            if art.id == article_id:
                return art
    return None


def _km(value: Any) -> str:
    if value is None:
        return ""
    return f"{float(value):.0f} km" if float(value) >= 10 else f"{float(value):.1f} km"


def _spatial(spec: Any) -> tuple[list[Any], bool]:
    """(the spec's spatial regions, whether it also has an admin1 region that points cannot be tested against)."""
    from ..regions import Admin1Region

    regions = list(getattr(spec, "regions", ()))
    return [r for r in regions if not isinstance(r, Admin1Region)], any(isinstance(r, Admin1Region) for r in regions)


def claim_in_region(claim: Any, spec: Any) -> bool:
    """Whether a claim's anchor or target lies inside every spatial region of the query."""
    import numpy as np

    from ..regions import exact_mask

    spatial, has_admin1 = _spatial(spec)
    if has_admin1:
        return False    # an admin1 region is matched on incident fields: a claim's point cannot be placed in it
    if not spatial:
        return True
    for lat, lon in ((claim.anchor_lat, claim.anchor_lon), (claim.target_lat, claim.target_lon)):
        if lat is not None and lon is not None and bool(exact_mask(spec, np.array([lon]), np.array([lat]))[0]):
            return True
    return False


def period_articles(store: Any, period: F.Period, cited: set[str]) -> list[str]:
    """Ids of the articles a report looks at: those its incidents cite, then the others published in the period."""
    ids = set(store.article_ids())
    out = sorted(cited & ids)
    start = period.start.isoformat() if period.start else ""
    end = period.end.isoformat() if period.end else "9999-12-31"
    for article_id in sorted(ids - cited):
        record = store.article(article_id) or {}
        published = str(record.get("published") or "")
        if published and start <= published <= end:
            out.append(article_id)
    return out


def check_claims(store: Any, spec: Any, period: F.Period, cited: set[str], *, safe_url: Callable[[Any], str | None],
                 max_articles: int = MAX_CLAIM_ARTICLES) -> ClaimChecks:
    """The distance claims of the period's stored articles, measured with the mentions stored at ingestion.

    Claims of articles that the report's incidents cite are all kept; from other articles of the period,
    only those whose anchor or target lies in the query's region.
    """
    from ..claims.measure import check_distances

    out = ClaimChecks()
    ids = period_articles(store, period, cited)
    out.not_checked = max(0, len(ids) - max_articles)
    found: list[tuple[Any, Any]] = []
    for article_id in ids[:max_articles]:
        art = stored_article(store, article_id)
        if art is None:
            out.unreadable += 1
            continue
        out.articles += 1
        for c in check_distances(art.text, art.published, mentions=store.mentions(article_id)):
            if article_id in cited or claim_in_region(c, spec):
                found.append((c, art))
    rank = {v: i for i, v in enumerate(F.VERDICT_ORDER)}
    found = [found[i] for i in sorted(range(len(found)), key=lambda i: (rank.get(found[i][0].verdict, len(rank)), i))]
    out.claims = [c for c, _ in found]
    out.rows = [claim_row(c, art, safe_url) for c, art in found]
    return out


def stated_words(c: Any) -> str:
    """What a claim states: "20 km N", "10\u201315 km", "NW" (a direction only), "near the border"."""
    if c.stated_km is None:
        if getattr(c, "kind", None) == "border-near":
            return "near the border" if "near" in str(c.text or "").lower() else "on the border"
        return c.stated_direction or ""
    high = getattr(c, "stated_high_km", None)
    return (_km(c.stated_km) + (f"\u2013{_km(high)}" if high else "")
            + (f" {c.stated_direction}" if c.stated_direction else ""))


def claim_row(c: Any, art: Any, safe_url: Callable[[Any], str | None]) -> ClaimRow:
    """One line of the claims table: the claim, its verdict and measures, and its article."""
    return ClaimRow(verdict=c.verdict, text=" ".join(str(c.text).split()), anchor=c.anchor, target=c.target,
                    subject=getattr(c, "subject", None), stated=stated_words(c), measured=_km(c.measured_km),
                    reason=c.reason,
                    title=art.title or Path(str(art.path or art.id)).name, url=safe_url(art.url),
                    published=art.published or "", claim=c)


# ---------------------------------------------------------------------------------------------- words


def query_filters(query: dict[str, Any]) -> list[str]:
    """The filters of the query options the user gave, in words."""
    filters = []
    if query.get("event_type"):
        filters.append("event type " + " or ".join(_listed(query["event_type"])))
    if query.get("sub_event_type"):
        filters.append("sub-event type " + " or ".join(_listed(query["sub_event_type"])))
    if query.get("actor"):
        filters.append(f"actor contains \u201c{query['actor']}\u201d")
    if query.get("status"):
        filters.append("status " + " or ".join(_listed(query["status"])))
    if query.get("min_fatalities") not in (None, ""):
        filters.append(f"at least {query['min_fatalities']} fatalities")
    if query.get("limit") is not None:
        filters.append(f"the first {query['limit']} incidents only (--limit)")
    return filters


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value]


def query_line(query: dict[str, Any]) -> str:
    """The ``geoinc report`` command line of these query options (repeatable options repeated)."""
    parts = ["geoinc", "report"]
    for key in QUERY_KEYS:
        value = query.get(key)
        if value is None or value == "" or value == [] or value == ():
            continue
        name = "--" + OPTION_NAMES.get(key, key.replace("_", "-"))
        for v in ([value] if isinstance(value, (str, int, float)) else list(value)):
            text = str(v)
            parts.append(f"{name}={shlex.quote(text)}" if text.startswith("-") else f"{name} {shlex.quote(text)}")
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------- build


@dataclass(slots=True)
class Report:
    """A built report: the page and what went into it (for the CLI summary, the API headers and tests)."""

    html: ReportHTML
    figures: F.Figures
    previous: F.Figures | None
    period: F.Period
    incidents: int
    claims: int
    static_map: bool
    notes: list[str]
    seconds: dict[str, float] = field(default_factory=dict)   # where the build time went, by step


def _radius_zones(spec: Any) -> list[tuple[str, float, float, float]]:
    from ..regions import RadiusRegion

    return [(r.label, r.lat, r.lon, r.radius_km) for r in getattr(spec, "regions", ()) if isinstance(r, RadiusRegion)]


def _cited(frame: Any) -> set[str]:
    ids: set[str] = set()
    for value in (frame["sources"].tolist() if "sources" in getattr(frame, "columns", ()) else []):
        for s in F.parse_sources(value):
            if s.get("article"):
                ids.add(str(s["article"]))
    return ids


def _store_label(store: Any) -> str:
    parts = [str(getattr(store, "path", "") or "incident store")]
    try:
        parts.append(f"{store.count():,} incidents, {store.articles_count():,} articles stored")
    except (AttributeError, GeoIncError):
        pass
    return " \u00b7 ".join(parts)


def build_report(spec: Any, store: Any, *, query: dict[str, Any], respec: Callable[[str, str], Any],
                 title: str | None = None, lang: str = "en", static_map: bool | None = None,
                 now: datetime | None = None, max_claim_articles: int = MAX_CLAIM_ARTICLES) -> Report:
    """The report of one validated query against an open store.

    ``query``: the options as the user gave them (for the header and the command line shown);
    ``respec(since, until)``: the same query for another period and without a limit (the previous period);
    ``static_map``: draw the PNG of the map for print (None: when headless Chromium is installed).
    """
    from ..maps.payload import safe_url
    from ..regions import run

    now = now or datetime.now(timezone.utc)
    clock = _Clock()
    frame = run(spec, store)
    period = F.report_period(getattr(spec, "since", None), getattr(spec, "until", None), now.date())
    figures = F.headline(frame)
    prev_period = period.previous()
    previous = None
    if prev_period is not None and prev_period.start and prev_period.end:
        previous = F.headline(run(respec(prev_period.start.isoformat(), prev_period.end.isoformat()), store))
    changes = F.changes(figures, previous) if previous is not None else None
    clock.lap("queries")

    notes: list[str] = []
    checks = check_claims(store, spec, period, _cited(frame), safe_url=safe_url, max_articles=max_claim_articles)
    clock.lap("claims")
    if checks.unreadable:
        notes.append(f"The distance claims of {checks.unreadable} stored articles are not checked: their files "
                     "have moved or changed since they were ingested.")
    if checks.not_checked:
        notes.append(f"The distance claims of {checks.not_checked} more articles of the period are not checked "
                     f"(at most {max_claim_articles} per report).")
    if figures.unlocated:
        notes.append(f"{figures.unlocated} incidents have no coordinates: they are counted and listed, not mapped.")

    if not title:
        labels = "; ".join(getattr(spec, "labels", []))
        title = f"Incidents: {labels or 'all regions'}, {period.words()}"
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="geoinc-report-png") as pool:
        # the map first: its snapshot runs in headless Chromium while the rest of the page is built
        map_parts = start_map(frame, checks.claims, spec, title, static_map, pool)
        clock.lap("map")
        context = _page_context(frame, spec, store, query, period, prev_period, figures, previous, changes, checks,
                                notes, title, lang, now, clock)
        context["map_page"] = map_parts.page
        context["map_png"], context["map_caption"] = finish_map(map_parts, static_map, notes)
        clock.lap("waiting for the map snapshot")
    page = ReportHTML(render_page(context))
    clock.lap("page")
    return Report(html=page, figures=figures, previous=previous, period=period, incidents=figures.incidents,
                  claims=len(checks.claims), static_map=context["map_png"] is not None, notes=notes,
                  seconds=clock.laps)


class _Clock:
    """Seconds per step of a build (reported by the bench)."""

    def __init__(self) -> None:
        import time

        self._now = time.perf_counter
        self._last = self._now()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        t = self._now()
        self.laps[name] = self.laps.get(name, 0.0) + t - self._last
        self._last = t


def _type_rows(figures: F.Figures, changes: dict[str, F.Change] | None) -> list[dict[str, Any]]:
    """The by-type table: the period's types in the legend order of the map and charts (same colours),
    then types seen only in the previous period."""
    from ..maps.payload import order_types, type_colors

    names = order_types(name for name, _ in figures.by_type)
    if changes:
        names += [k[5:] for k in changes if k.startswith("type:") and k[5:] not in names]
    count, killed = dict(figures.by_type), dict(figures.killed_by_type)
    return [{"name": name, "incidents": count.get(name, 0), "fatalities": killed.get(name, 0), "color": color,
             "change": changes.get(f"type:{name}") if changes else None}
            for name, color in zip(names, type_colors(names))]


def _page_context(frame: Any, spec: Any, store: Any, query: dict[str, Any], period: F.Period,
                  prev_period: F.Period | None, figures: F.Figures, previous: F.Figures | None,
                  changes: dict[str, F.Change] | None, checks: ClaimChecks, notes: list[str], title: str,
                  lang: str, now: datetime, clock: "_Clock") -> dict[str, Any]:
    """Everything the template shows but the map: figures, charts, table, claims and downloads."""
    from .. import __version__
    from ..maps.payload import js_json, safe_url
    from ..formats import to_csv, to_geojson
    from . import charts

    region = "; ".join(getattr(spec, "labels", [])) or "everywhere (no region given)"
    filters = query_filters(query)
    tl = F.timeline(frame, period)
    areas = F.top_areas(frame)
    type_rows = _type_rows(figures, changes)
    what = "first-level areas" if areas.level == "admin1" else "places (most incidents have no first-level area)"
    areas_caption = (f"The {len(areas.rows)} {what} with most incidents; fatalities in brackets."
                     + (f" {areas.others} incidents elsewhere are not shown." if areas.others else ""))
    timeline_svg, areas_svg = charts.timeline_svg(tl), charts.areas_svg(areas)
    clock.lap("charts")
    rows = F.incident_rows(frame, safe_url)
    rows_html = incident_rows_html(rows)
    clock.lap("table")
    downloads = [download("incidents.csv", "text/csv", to_csv(frame)),
                 download("incidents.geojson", "application/geo+json",
                          json.dumps(to_geojson(frame), ensure_ascii=False) + "\n")]
    clock.lap("downloads")
    verdicts = F.verdict_counts(checks.claims)
    claims_intro = (f"{len(checks.claims)} distance or direction statements in {checks.articles} articles of this "
                    f"period ({verdicts['inconsistent']} inconsistent, {verdicts['consistent']} consistent, "
                    f"{verdicts['unverifiable']} unverifiable), inconsistent ones first."
                    if checks.claims else
                    f"No distance claims found in the {checks.articles} stored articles of this period and region.")
    facts = {"incidents": figures.incidents, "fatalities": figures.fatalities, "fatalities_low": figures.fatalities_low,
             "fatalities_high": figures.fatalities_high, "injured": figures.injured,
             "by_type": dict(figures.by_type), "claims": verdicts,
             "period": [period.start.isoformat() if period.start else None, period.end.isoformat() if period.end else None],
             "previous": None if previous is None else {"incidents": previous.incidents,
                                                        "fatalities": previous.fatalities,
                                                        "injured": previous.injured}}
    context = {
        "lang": lang, "title": title, "version": __version__, "region_words": region, "filters": filters,
        "period_words": period.words(), "previous_words": prev_period.words() if prev_period else None,
        "previous_figures": previous,
        "made_at": now.strftime("%Y-%m-%d %H:%M UTC"), "store_label": _store_label(store),
        "query_line": query_line(query), "notes": notes, "figures": figures, "changes": changes,
        "type_rows": type_rows,
        "timeline_svg": trusted(timeline_svg), "timeline_unit": tl.unit, "undated": tl.undated,
        "areas_svg": trusted(areas_svg), "areas_caption": areas_caption,
        "rows": rows, "rows_html": rows_html, "claims": checks.rows, "claims_intro": claims_intro,
        "downloads": downloads,
        "facts_json": trusted(js_json(facts)),
    }
    return context


# columns of a query result that the map never reads: left out of what it is given (less to convert per row)
_NOT_MAPPED = ("geometry", "notes", "tags", "source", "source_scale", "timestamp", "iso", "region", "inter1", "inter2",
               "interaction", "civilian_targeting", "disorder_type", "year", "time_precision", "admin2", "admin3",
               "assoc_actor_1", "assoc_actor_2", "flags", "place_id")


@dataclass(slots=True)
class MapParts:
    """The map of a report: its offline page (packed for the page) and, later, its PNG for print."""

    page: Any                       # Download of the offline map page
    png: Future[bytes] | None       # the snapshot, taken by headless Chromium while the rest is built
    summary: dict[str, Any]


def start_map(frame: Any, claims: Sequence[Any], spec: Any, title: str, static_map: bool | None,
              pool: ThreadPoolExecutor) -> MapParts:
    """Build the offline map (the layers of `geoinc map` plus the distance checks) and start its snapshot."""
    from ..maps.browser import find_chromium, screenshot
    from ..maps.render import build_map, offline_html

    m = build_map(frame.drop(columns=[c for c in _NOT_MAPPED if c in frame.columns]), (), claims,
                  zones=_radius_zones(spec), title=title, offline=True, collapsed=True,
                  minimap=False)   # an embedded map: controls folded, no minimap over the incidents
    page = offline_html(m)
    want_png = static_map if static_map is not None else find_chromium() is not None
    png = pool.submit(screenshot, page, width=1200, height=750, timeout=120.0) if want_png else None
    return MapParts(download("map.html", "text/html", page), png, getattr(m, "geoinc_summary", {}))


def finish_map(parts: MapParts, static_map: bool | None, notes: list[str]) -> tuple[str | None, str]:
    """(the PNG as base64 or None, its caption) once the snapshot is done."""
    import base64

    if parts.png is None:
        return None, ("The interactive map is not printed: no static snapshot was made "
                      "(headless Chromium is not installed, or it was not asked for).")
    try:
        png = parts.png.result()
    except GeoIncError as err:
        if static_map:
            raise
        notes.append(f"No static map for print: {err}")
        return None, "The interactive map is not printed: the static snapshot failed."
    s = parts.summary
    caption = (f"{s['incidents']} incidents" + (f" and {s['claims']} distance checks" if s.get("claims") else "")
               + " on the vector basemap (Natural Earth). The HTML version of this report has the interactive map.")
    return base64.b64encode(png).decode("ascii"), caption


def report(
    *,
    country: str | None = None,
    admin1: str | None = None,
    bbox: Any = None,
    near: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    radius_km: float | None = None,
    polygon: Any = None,
    since: Any = None,
    until: Any = None,
    event_type: Any = None,
    sub_event_type: Any = None,
    actor: str | None = None,
    status: Any = None,
    min_fatalities: int | None = None,
    within: str | None = None,
    limit: int | None = None,
    db: str | Path | None = None,
    store: Any = None,
    title: str | None = None,
    lang: str = "en",
    static_map: bool | None = None,
) -> ReportHTML:
    """A self-contained HTML report of the incidents a region and period hold (shown inline in Jupyter).

    Takes the region and filter keywords of :func:`geoinc.query` (same meaning, same validation), plus
    ``title``, ``lang`` (only "en" so far) and ``static_map`` (a PNG of the map for print; by default when
    headless Chromium is installed). Uses ``store`` if given, else opens ``db`` read-only. Save the text
    as .html; :func:`geoinc.reports.pdf.print_pdf` turns it into a PDF.
    """
    from ..regions import build_spec

    query = {k: v for k, v in dict(
        country=country, admin1=admin1, bbox=bbox, near=near, lat=lat, lon=lon, radius_km=radius_km,
        polygon=polygon, since=since, until=until, event_type=event_type, sub_event_type=sub_event_type,
        actor=actor, status=status, min_fatalities=min_fatalities, within=within, limit=limit).items()
        if v is not None}

    def respec(since: str | None, until: str | None, limit: int | None = None) -> Any:
        return build_spec(**{**query, "since": since, "until": until, "limit": limit}, allow_file=True)

    spec = respec(query.get("since"), query.get("until"), limit)
    own = None
    if store is None:
        from ..store import open_store

        store = own = open_store(db, readonly=True)
    try:
        return build_report(spec, store, query=query, respec=respec, title=title, lang=lang,
                            static_map=static_map).html
    finally:
        if own is not None:
            own.close()


__all__ = ["report", "build_report", "Report", "ReportHTML", "ClaimRow", "ClaimChecks", "check_claims", "stored_article",
           "period_articles", "claim_in_region", "stated_words", "query_line", "query_filters", "claim_row",
           "MAX_CLAIM_ARTICLES"]
