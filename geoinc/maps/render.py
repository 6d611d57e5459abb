"""Layered incident maps on folium: ``build_map`` returns a ``folium.Map`` (fine in Jupyter), and
``map_html`` / ``offline_html`` / ``embed_html`` / ``snapshot_png`` turn it into what a user keeps.

Nothing here writes files; the CLI does. Layers (see :mod:`geoinc.maps.layers`) are added in a fixed order
so the layer control reads: basemaps, then borders and zones, then distance checks, place mentions,
heat, and the incident types on top. Incidents travel as one compact array drawn client-side, so a
100,000-incident map stays a few MB; beyond ``AGGREGATE_ABOVE`` incidents they are binned.
"""
from __future__ import annotations

import copy
import functools
import html
import math
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium import plugins
from folium.template import Template

from ..errors import InputError
from ..geodesy import circle
from . import basemap as B
from . import layers as L
from . import payload as P
from .offline import inline_assets


def _element_id() -> str:
    """A unique element name from Python's own generator: branca asks os.urandom for each of the ~90
    elements of a map, and in a busy server every such system call hands the interpreter lock away and
    waits up to a switch interval (5 ms) to get it back. The ids only keep element names apart in a page."""
    return f"{_ids.getrandbits(128):032x}"


_ids = random.Random()
Element._generate_id = classmethod(lambda cls: _element_id())   # type: ignore[method-assign]

_JINJA_SYNTAX = re.compile(r"\{[{%#]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class _PlainTemplate:
    """What ``jinja2.Template(text).render()`` gives for a text without Jinja syntax, without compiling it:
    the text with its line breaks as ``\n`` and one trailing line break dropped (Jinja's defaults). branca
    wraps the rendered output of every element in ``Element(text)``, which compiled that output as a
    template: ~40 compilations per map (and again for each copy of the map), a fifth of drawing one."""

    __slots__ = ("text",)

    def __init__(self, source: str) -> None:
        lines = _LINE_BREAK.split(source)
        if lines[-1] == "":
            del lines[-1]
        self.text = "\n".join(lines)

    def render(self, *args: Any, **kwargs: Any) -> str:
        return self.text


def _template(source: str) -> Any:
    """A template for an element's text: compiled by Jinja (as branca does) only when it holds Jinja syntax."""
    import jinja2

    return jinja2.Template(source) if _JINJA_SYNTAX.search(source) else _PlainTemplate(source)


_element_init = Element.__init__
_element_setstate_branca = Element.__setstate__


def _lazy_element_init(self: Element, template: str | None = None, template_name: str | None = None) -> None:
    _element_init(self, None, template_name)
    self._template_str = template
    if template is not None:
        self._template = _template(template)


def _element_setstate(self: Element, state: dict) -> None:
    """branca's __setstate__ (copies of a map), with the same shortcut for plain text."""
    if state.get("_template_str") is not None:
        state = {**state, "_template": _template(state["_template_str"])}
    elif state.get("_template_name") is not None:
        from branca.element import ENV

        state = {**state, "_template": ENV.get_template(state["_template_name"])}
    self.__dict__.update(state)


Element.__init__ = _lazy_element_init            # type: ignore[method-assign]
Element.__setstate__ = _element_setstate         # type: ignore[method-assign]

# more incidents than this are drawn as aggregated cells, not one by one
AGGREGATE_ABOVE = 250_000
# above this many incidents the client draws on a canvas (fast) instead of SVG (one DOM node per feature)
CANVAS_ABOVE = 5_000

BASEMAP_NAMES = ("OpenStreetMap", "Light (CartoDB Positron)", "Country outlines (no tiles)")
VECTOR_BASEMAP = BASEMAP_NAMES[2]

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
LIGHT_TILES = "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png"

Box = tuple[float, float, float, float]   # (west, south, east, north)


class GeoincFigure(Figure):
    """The page around a geoinc map; with ``inline`` its render has every asset inlined.

    folium's own ``save()`` and Jupyter display render the figure, so a map built with ``offline=True``
    is self-contained there too, not only through :func:`map_html`.
    """

    def __init__(self, *args: Any, inline: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.inline = inline

    def render(self, **kwargs: Any) -> str:
        page = super().render(**kwargs)
        return inline_assets(page) if self.inline else page


class GeoincMap(folium.Map):
    """A folium.Map that loads only Leaflet and jQuery (folium popups use it): no Bootstrap or icon fonts.

    geoinc draws no awesome-markers, so their ~1 MB of CSS and fonts would only slow the page and
    bloat the offline file. Plain folium elements added by a user in Jupyter still work.
    """

    default_js = [js for js in folium.Map.default_js if js[0] in {"leaflet", "jquery"}]
    default_css = [css for css in folium.Map.default_css if css[0] == "leaflet_css"]

    def __init__(self, *args: Any, geoinc_offline: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        GeoincFigure(inline=geoinc_offline).add_child(self)   # in place of folium's plain Figure
        self.geoinc_offline = geoinc_offline
        self.geoinc_summary: dict[str, Any] = {}

    def _repr_html_(self, **kwargs: Any) -> str:
        """Jupyter display; folium would wrap a parentless map in a plain Figure, so keep ours."""
        return self.get_root()._repr_html_(**kwargs)


class _FitBounds(MacroElement):
    """Fit the view to the data at once, clear of the controls (no zoom animation: the first view is final
    when the page is ready)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        geoinc.fit({{ this._parent.get_name() }}, {{ this.bounds_json }});
        {% endmacro %}
    """)

    def __init__(self, bounds: list[list[float]]):
        super().__init__()
        self._name = "FitBounds"
        self.bounds_json = P.js_json(bounds)


class _Ready(MacroElement):
    """Marks the end of the map script: ``window.geoincReady`` (used by snapshots and tests)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.geoincMap = {{ this._parent.get_name() }};
        window.geoincLayers = {{ this.layers_js }};
        window.geoincReady = true;
        {% endmacro %}
    """)

    def __init__(self, named_layers: dict[str, Any]):
        super().__init__()
        self._name = "Ready"
        self.named = named_layers

    def render(self, **kwargs):
        self.layers_js = "{" + ",".join(f"{P.js_json(k)}:{v.get_name()}" for k, v in self.named.items()) + "}"
        super().render(**kwargs)


def _materialize(incidents: Any) -> list[Any]:
    if incidents is None:
        return []
    if hasattr(incidents, "to_dict") and hasattr(incidents, "columns"):  # a pandas DataFrame
        return incidents.to_dict("records")
    return list(incidents)


def _bbox(lats: Sequence[float], lons: Sequence[float]) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the points, or None when there are none."""
    if not lats:
        return None
    return (min(lons), min(lats), max(lons), max(lats))


def _padded(bbox: tuple[float, float, float, float], pad: float) -> tuple[float, float, float, float]:
    w, s, e, n = bbox
    return (max(-180.0, w - pad), max(-85.0, s - pad), min(180.0, e + pad), min(85.0, n + pad))


# outline layers kept per process: ~70 kB (basemap) / ~25 kB (borders) of JSON each for the box of a city's
# map, so at most ~25 MB; a server drawing maps all over the world reuses them (a miss costs ~10 ms)
OUTLINE_CACHE = 512


@functools.lru_cache(maxsize=OUTLINE_CACHE)
def _outline_json(bbox: Box | None, tolerance: float, fill: bool, labels: bool) -> str:
    """The JSON of an outline layer (with the basemap's place labels when ``labels``), built once per box and
    tolerance in a process: boxes are snapped to a grid (:func:`_snapped`), so nearby maps share it. Only the
    text is kept (the parsed GeoJSON would take ten times the memory)."""
    return B.outlines_json(bbox, tolerance=tolerance, fill=fill, extra={"labels": B.place_labels(bbox)} if labels else None)


@functools.lru_cache(maxsize=None)
def _tiles(url: str, subdomains: str) -> Any:
    """A tile URL as an xyzservices provider: folium looks a plain string up among ~1,800 provider names
    on every TileLayer (15 % of drawing a small map); a provider skips that search (same page out)."""
    import xyzservices

    return xyzservices.TileProvider(name="geoinc", url=url, attribution="", subdomains=subdomains)


def _snapped(box: Box, span: float, minimum: float) -> Box:
    """``box`` grown outward to a grid of ``minimum`` degrees (doubled until a step is >= span / 8), so the
    outlines of boxes that differ a little are the same cached layer."""
    step = minimum
    while step < span / 8:
        step *= 2
    w, s, e, n = box
    return (max(-180.0, math.floor(w / step) * step), max(-85.0, math.floor(s / step) * step),
            min(180.0, math.ceil(e / step) * step), min(85.0, math.ceil(n / step) * step))


def _is_frame(obj: Any) -> bool:
    return hasattr(obj, "to_dict") and hasattr(obj, "columns")


def _binned(incidents: Any) -> tuple[dict[str, Any], list[float], list[float], int]:
    """Cells of the incidents (a DataFrame is read column-wise: a million rows in well under a second)."""
    import numpy as np

    if _is_frame(incidents):
        n = len(incidents)
        lat = incidents["latitude"].to_numpy(dtype=float, na_value=np.nan) if "latitude" in incidents else np.full(n, np.nan)
        lon = incidents["longitude"].to_numpy(dtype=float, na_value=np.nan) if "longitude" in incidents else np.full(n, np.nan)
        killed = (incidents["fatalities"].fillna(0).to_numpy(dtype=float) if "fatalities" in incidents
                  else np.zeros(n))
    else:
        records = list(incidents)
        n = len(records)
        lat, lon, killed = (np.full(n, np.nan), np.full(n, np.nan), np.zeros(n))
        for i, r in enumerate(records):
            try:
                lat[i], lon[i] = float(P._get(r, "latitude")), float(P._get(r, "longitude"))
                killed[i] = float(P._get(r, "fatalities", 0) or 0)
            except (TypeError, ValueError):
                continue
    ok = (np.abs(lat) <= 90) & (np.abs(lon) <= 180)   # also drops NaN
    killed = np.clip(np.nan_to_num(killed[ok]), 0, None).astype(np.int64)
    lat, lon = lat[ok], lon[ok]
    return P.bin_payload(lat, lon, killed), lat.tolist(), lon.tolist(), int(n - ok.sum())


@dataclass(slots=True)
class _Drawn:
    """Everything a map draws, as payloads, and what frames it."""

    mentions: dict[str, Any]
    claims: dict[str, Any]
    zones: list[P.Zone]
    payload: P.IncidentPayload | None      # incidents one by one
    bins: dict[str, Any] | None            # or aggregated into cells
    lats: list[float]                      # drawn incidents
    lons: list[float]
    skipped: int
    aggregated: bool


def _zone_list(zones: Any) -> list[P.Zone]:
    if isinstance(zones, P.Zone) or (isinstance(zones, tuple) and len(zones) == 4 and isinstance(zones[0], str)):
        zones = [zones]   # one zone given on its own
    return [P.as_zone(z) for z in (zones or ())]


def _drawn(incidents: Any, mentions: Any, claims: Any, zones: Any, aggregate: bool | None) -> _Drawn:
    """The payloads of every layer; incidents binned above AGGREGATE_ABOVE unless ``aggregate`` says."""
    n_records = len(incidents) if _is_frame(incidents) or isinstance(incidents, (list, tuple)) else None
    if n_records is None:
        incidents = _materialize(incidents)
        n_records = len(incidents)
    do_bins = n_records > AGGREGATE_ABOVE if aggregate is None else bool(aggregate)
    payload: P.IncidentPayload | None = None
    bins: dict[str, Any] | None = None
    if do_bins:
        bins, lats, lons, skipped = _binned(incidents)
    else:
        payload = P.incident_payload(_materialize(incidents))
        lats, lons, skipped = payload.lats, payload.lons, payload.skipped
    return _Drawn(P.mention_payload(_materialize(mentions)), P.claim_payload(_materialize(claims)),
                  _zone_list(zones), payload, bins, lats, lons, skipped, do_bins)


# place mentions that stand for a whole area: drawn at a nominal point, so they do not pull the view
BROAD_MENTIONS = frozenset({"country", "admin1", "area"})


def _ring_points(lat: float, lon: float, km: float, n: int) -> tuple[list[float], list[float]]:
    lats, lons = circle(lat, lon, km, n)
    return lats.tolist(), lons.tolist()


def _frame(d: _Drawn) -> tuple[Box | None, Box | None]:
    """(what the view fits, what the outlines cover).

    The view fits every drawn layer: incidents, distance checks (with the circle of a target not
    located), zones and the specific places mentioned; a mention of a whole country or region is drawn
    at a nominal point and only counts when nothing else is drawn (one "United States said" should not
    zoom a Middle East map out to the world). The outlines also cover every mention.
    """
    lats, lons = list(d.lats), list(d.lons)
    for r in d.claims["rows"]:
        if r[2] is None:   # only the anchor: the circle of the stated distance
            ring_lats, ring_lons = _ring_points(r[0], r[1], r[8], 36)
            lats += ring_lats
            lons += ring_lons
        else:
            lats += [r[0], r[2]]
            lons += [r[1], r[3]]
    for z in d.zones:
        ring_lats, ring_lons = _ring_points(z.lat, z.lon, z.radius_km, 72)
        lats += ring_lats
        lons += ring_lons
    specific = [r for r in d.mentions["rows"] if r[4] not in BROAD_MENTIONS]
    lats += [r[0] for r in specific]
    lons += [r[1] for r in specific]
    mention_lats = [r[0] for r in d.mentions["rows"]]
    mention_lons = [r[1] for r in d.mentions["rows"]]
    if not lats:
        lats, lons = mention_lats, mention_lons
    return _bbox(lats, lons), _bbox(lats + mention_lats, lons + mention_lons)


def _add_basemaps(m: folium.Map, bbox: Box | None, every: Box | None, *, tiles: bool, borders: bool,
                  vector_default: bool, named: dict[str, Any]) -> L.OutlineLayer:
    """Tiles (online), the no-tiles vector basemap and the borders overlay; returns the vector basemap.

    Tile layers that cannot load (no network) hand over to the vector basemap in the browser.
    """
    tile_layers = []
    if tiles:
        tile_layers = [
            folium.TileLayer(_tiles(OSM_TILES, "abc"), name=BASEMAP_NAMES[0], attr="&copy; OpenStreetMap contributors",
                             show=not vector_default, max_zoom=19).add_to(m),
            folium.TileLayer(_tiles(LIGHT_TILES, "abcd"), name=BASEMAP_NAMES[1], show=False, max_zoom=20,
                             subdomains="abcd", attr="&copy; OpenStreetMap contributors &copy; CARTO").add_to(m)]
    if bbox and every:
        span = max(bbox[2] - bbox[0], bbox[3] - bbox[1], 1.0)
        base_box = _snapped(_padded(every, max(8.0, span)), span, 4.0)
        base_tol = round(max(span / 400, 0.03), 4)
        border_box = _snapped(_padded(every, max(2.0, span / 2)), span, 2.0)
        border_tol = round(max(span / 3000, 0.001), 4)
    else:
        base_box, base_tol, border_box, border_tol = None, 0.1, None, 0.05
    basemap = L.OutlineLayer(
        None, data_json=_outline_json(base_box, base_tol, True, True), name=VECTOR_BASEMAP,
        overlay=False, show=vector_default,
        # land only when the borders overlay (finer, 1:10m) draws the lines; coarse lines otherwise
        options={"pane": "geoinc-basemap", "fill": True, "lines": not borders, "sea": "#d4e6f1", "fillColor": "#f4f1ea",
                 "color": "#9a9a9a", "weight": 0.8, "className": "geoinc-basemap", "labels": True})
    basemap.add_to(m)
    named["basemap"] = basemap
    if tile_layers:
        L.TileFallback(tile_layers, basemap).add_to(m)
    if borders:
        border_layer = L.OutlineLayer(
            None, data_json=_outline_json(border_box, border_tol, False, False),
            name="Country borders (Natural Earth 1:10m)",
            options={"pane": "geoinc-borders", "color": "#555", "weight": 1.3, "className": "geoinc-border"})
        border_layer.add_to(m)
        named["borders"] = border_layer
    return basemap


def _add_overlays(m: folium.Map, d: _Drawn, *, heat: bool, timeline: bool, named: dict[str, Any]) -> list[str]:
    """Zones, distance checks, mentions, heat and incidents, bottom to top; the event types drawn."""
    if d.zones:
        named["zones"] = L.zone_group(d.zones).add_to(m)
    if d.claims["rows"]:
        named["claims"] = L.ClaimLayer(d.claims, name=f"Distance checks ({len(d.claims['rows'])})").add_to(m)
    if d.mentions["rows"]:
        named["mentions"] = L.MentionLayer(d.mentions, name=f"Place mentions ({len(d.mentions['rows'])})").add_to(m)
    type_names: list[str] = []
    payload = d.payload
    if payload is not None and payload.counts:
        store = L.IncidentData(payload)
        store.add_to(m)
        if heat:
            named["heat"] = L.HeatLayer(store).add_to(m)
        canvas = len(d.lats) > CANVAS_ABOVE
        for i, (name, _color) in enumerate(payload.data["types"]):
            layer = L.IncidentTypeLayer(store, i, name=f"{name} ({payload.counts[i]})", canvas=canvas)
            named[f"type:{name}"] = layer.add_to(m)
            type_names.append(name)
        if timeline and any(row[5] >= 0 for row in payload.data["rows"]):
            L.TimeControl(store).add_to(m)
    elif d.bins is not None and d.bins["bins"]:
        named["bins"] = L.BinLayer(d.bins, name=f"Incidents, binned ({len(d.lats)})").add_to(m)
    return type_names


def _legend_sections(d: _Drawn) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The legend: one section per kind of layer drawn."""
    sections: list[tuple[str, list[tuple[str, str, str]]]] = []
    if d.payload is not None and d.payload.counts:
        sections.append(("Incidents (size: killed)", [(n, c, "dot") for n, c in d.payload.data["types"]]))
    elif d.bins is not None and d.bins["bins"]:
        sections.append((f"Incidents per {d.bins['cellDeg']:g}° cell", [("few", "hsl(55,90%,60%)", "area"),
                                                                          ("many", "hsl(0,90%,35%)", "area")]))
    kinds = sorted({r[4] for r in d.mentions["rows"]}, key=list(P.MENTION_SOURCE_COLORS).index)
    if kinds:
        sections.append(("Place mentions", [(P.MENTION_SOURCE_LABELS[k], P.MENTION_SOURCE_COLORS[k], "dot")
                                            for k in kinds]))
    verdicts = sorted({r[4] for r in d.claims["rows"]}, key=list(P.VERDICT_COLORS).index)
    if verdicts:
        sections.append(("Distance checks", [(v, P.VERDICT_COLORS[v], "line") for v in verdicts]))
    if d.zones:
        sections.append(("Zones", [(f"{P.km_text(z.radius_km)} km around {z.name}", z.color, "area")
                                   for z in d.zones]))
    return sections


def _add_controls(m: folium.Map, *, collapsed: bool, minimap: bool, tiles_minimap: bool,
                  basemap: L.OutlineLayer) -> None:
    """Layer control, full screen, measuring tool and the minimap (on tiles, or on the vector basemap)."""
    folium.LayerControl(position="topright", collapsed=collapsed).add_to(m)
    plugins.Fullscreen(position="topleft").add_to(m)
    plugins.MeasureControl(position="topleft", primary_length_unit="kilometers",
                           secondary_length_unit="miles", primary_area_unit="sqkilometers").add_to(m)
    if minimap:
        L.MiniMap(basemap, tiles=OSM_TILES if tiles_minimap else None).add_to(m)


def build_map(
    incidents: Iterable[Any] = (),
    mentions: Iterable[Any] = (),
    claims: Iterable[Any] = (),
    *,
    zones: Iterable[Any] = (),
    title: str | None = None,
    offline: bool = False,
    tiles: bool = True,
    heat: bool = True,
    timeline: bool = True,
    borders: bool = True,
    minimap: bool = True,
    aggregate: bool | None = None,
    collapsed: bool = False,
) -> folium.Map:
    """A layered map of incidents, place mentions, distance checks and zones, ready for Jupyter or HTML.

    ``incidents``: ``Incident`` records (or mappings / a DataFrame with the same column names);
    ``mentions``: ``Mention``; ``claims``: ``Claim``; ``zones``: ``Zone`` or (name, lat, lon, km).
    ``offline`` (or ``tiles=False``) opens on the no-tiles vector basemap and draws the minimap from it,
    so the page needs no network once its assets are inlined (:func:`offline_html`). ``aggregate``
    forces (True) or forbids (False) binning; by default more than ``AGGREGATE_ABOVE`` incidents are binned.
    """
    d = _drawn(incidents, mentions, claims, zones, aggregate)
    bbox, every = _frame(d)
    vector_default = offline or not tiles
    center = [(bbox[1] + bbox[3]) / 2, (bbox[0] + bbox[2]) / 2] if bbox else [20.0, 0.0]
    m = GeoincMap(location=center, zoom_start=5 if bbox else 2, tiles=None, control_scale=True,
                  geoinc_offline=offline, **{"maxZoom": 18, "minZoom": 1})
    L.GeoincAssets().add_to(m)
    L.Panes().add_to(m)
    named: dict[str, Any] = {}
    basemap = _add_basemaps(m, bbox, every, tiles=tiles, borders=borders, vector_default=vector_default,
                            named=named)
    type_names = _add_overlays(m, d, heat=heat, timeline=timeline, named=named)
    sections = _legend_sections(d)
    if sections:
        L.Legend(sections).add_to(m)
    if title:
        L.Title(title).add_to(m)
    _add_controls(m, collapsed=collapsed, minimap=minimap, tiles_minimap=tiles and not vector_default,
                  basemap=basemap)
    if bbox:
        w, s, e, n = bbox
        if e - w < 0.05 and n - s < 0.05:
            w, s, e, n = w - 0.25, s - 0.25, e + 0.25, n + 0.25
        _FitBounds([[s, w], [n, e]]).add_to(m)
    _Ready(named).add_to(m)
    m.geoinc_summary = {
        "incidents": len(d.lats), "skipped_incidents": d.skipped, "aggregated": d.aggregated,
        "event_types": type_names, "mentions": len(d.mentions["rows"]), "claims": len(d.claims["rows"]),
        "zones": [z.name for z in d.zones], "bbox": bbox,
    }
    return m


# ---------------------------------------------------------------------------------------------- outputs


def map_html(m: folium.Map, *, cdn: bool = False) -> str:
    """The map as a complete HTML page: self-contained (every script and stylesheet inlined) unless
    ``cdn``, which links Leaflet and the plugins from their CDNs (a smaller file that needs the network)."""
    # folium appends layer additions again on every render of the same tree: render a copy instead
    root = copy.deepcopy(m).get_root()
    if isinstance(root, GeoincFigure):
        root.inline = False
    page = root.render()
    return page if cdn else inline_assets(page)


def offline_html(m: folium.Map) -> str:
    """One self-contained HTML file: every script and stylesheet inlined, opens with no network."""
    return map_html(m, cdn=False)


def embed_html(m: folium.Map, *, width: str = "100%", height: str = "520px", cdn: bool = False,
               title: str = "geoinc map") -> str:
    """An HTML fragment to paste into a report: an ``<iframe srcdoc>`` holding the whole (escaped) page.

    The iframe is sandboxed (scripts only, no same-origin access to the host page); links in popups
    open in a new tab.
    """
    for value, what in ((width, "width"), (height, "height")):
        if not re.fullmatch(r"\d+(\.\d+)?(px|%|em|rem|vh|vw)?", value):
            raise InputError(f"embed {what} must be a CSS length like 100% or 480px, got {value!r}")
    page = map_html(m, cdn=cdn)
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" title="{html.escape(title, quote=True)}" '
            f'style="width:{width};height:{height};border:0" loading="lazy" allowfullscreen '
            f'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe>')


def snapshot_png(m: folium.Map | str, *, width: int = 1280, height: int = 800, timeout: float = 30.0) -> bytes:
    """A PNG screenshot of the map in headless Chromium (Debian's chromium + chromedriver), no network used.

    A ``folium.Map`` is rendered offline (assets inlined); pass a map built with ``offline=True`` so the
    picture shows the vector basemap rather than tiles that cannot load.
    """
    from .browser import screenshot

    page = offline_html(m) if isinstance(m, folium.Map) else m
    return screenshot(page, width=width, height=height, timeout=timeout)


__all__ = [
    "build_map", "map_html", "offline_html", "embed_html", "snapshot_png", "inline_assets", "GeoincMap",
    "AGGREGATE_ABOVE", "BASEMAP_NAMES", "VECTOR_BASEMAP", "Zone",
]

Zone = P.Zone
