"""Map layers as folium elements: one element per layer, each carrying one payload of :mod:`.payload`.

Each layer is one element added to a ``folium.Map`` (folium's own habit): incidents per event type,
heat, time control, aggregated bins, place mentions, distance claims, zones, borders, the vector
basemap, a legend and a vector minimap. Data travel as ONE compact JSON payload per layer and are
drawn by ``assets/geoinc-map.js``, which builds popups from text nodes: article text (titles, quotes,
actors, place names) never becomes markup. Strings that folium itself puts into HTML or JavaScript
template literals (tooltips, layer names) go through :func:`~.payload.esc` first.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from ..geodesy import circle
from .payload import IncidentPayload, Zone, esc, js_json, km_text

# ---------------------------------------------------------------------------------------------- elements


def _asset(name: str) -> str:
    return resources.files("geoinc.maps").joinpath("assets", name).read_text(encoding="utf-8")


class GeoincAssets(MacroElement):
    """Puts geoinc's own script and stylesheet inline in the page header (they are ours, not on a CDN)."""

    _template = Template("")

    def render(self, **kwargs):
        figure = self.get_root()
        assert isinstance(figure, Figure), "GeoincAssets must be rendered inside a Figure"
        figure.header.add_child(Element(f"<style>{_asset('geoinc-map.css')}</style>"), name="geoinc_css")
        js = "\n".join(_asset(name) for name in ("geoinc-map.js", "geoinc-labels.js")).replace("</script", "<\\/script")
        figure.header.add_child(Element(f"<script>{js}</script>"), name="geoinc_js")
        super().render(**kwargs)


class Panes(MacroElement):
    """Creates geoinc's map panes early, so every layer lands at its fixed depth (incidents on top)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        geoinc.panes({{ this._parent.get_name() }});
        {% endmacro %}
    """)


def _data_block(element: MacroElement, data_json: str) -> str:
    """Put a JSON payload in the page body as ``<script type="application/json">``; the JS expression reading it.

    Browsers parse a large JSON block with JSON.parse several times faster than the same data written
    as a JavaScript literal (0.24 s against 0.9 s for 100,000 incidents on a cold load).
    """
    figure = element.get_root()
    assert isinstance(figure, Figure), "geoinc layers must be rendered inside a Figure"
    block_id = f"geoinc-data-{element.get_name()}"
    figure.html.add_child(Element(f'<script type="application/json" id="{block_id}">{data_json}</script>'),
                          name=block_id)
    return f'JSON.parse(document.getElementById("{block_id}").textContent)'


class _DataLayer(Layer):
    """A layer whose features are built by geoinc-map.js from one JSON payload."""

    _factory = ""  # JS expression taking (data, options)

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = {{ this._factory }}({{ this.data_expr }}, {{ this.options_json }});
        {% endmacro %}
    """)

    def render(self, **kwargs):
        self.data_expr = _data_block(self, self.data_json)
        super().render(**kwargs)

    def __init__(self, data: Any, *, name: str, overlay: bool = True, control: bool = True, show: bool = True,
                 options: Mapping[str, Any] | None = None):
        super().__init__(name=esc(name), overlay=overlay, control=control, show=show)
        self.data_json = js_json(data)
        self.options_json = js_json(dict(options or {}))


class MentionLayer(_DataLayer):
    """Resolved place mentions, coloured by where their coordinates come from."""

    _factory = "geoinc.mentionLayer"


class ClaimLayer(_DataLayer):
    """Distance checks: a line from anchor to target, labelled "claimed · measured", coloured by verdict."""

    _factory = "geoinc.claimLayer"


class OutlineLayer(_DataLayer):
    """Country outlines: the borders overlay, or (overlay=False) the no-tiles vector basemap."""

    _factory = "geoinc.outlines"


class BinLayer(_DataLayer):
    """Incidents aggregated into cells, for maps of too many incidents to draw one by one."""

    _factory = "geoinc.binLayer"


class IncidentData(MacroElement):
    """The one shared incident payload; type layers, heat and time control all read it."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = geoinc.store({{ this.data_expr }});
        {% endmacro %}
    """)

    def render(self, **kwargs):
        self.data_expr = _data_block(self, self.data_json)
        super().render(**kwargs)

    def __init__(self, payload: IncidentPayload):
        super().__init__()
        self._name = "IncidentData"
        self.counts = payload.counts
        self.data_json = js_json(payload.data)


class IncidentTypeLayer(Layer):
    """The incidents of one ACLED event type: clustered when many, sized by fatalities, uncertainty circles."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = new geoinc.IncidentLayer({{ this.store.get_name() }}, {{ this.type_index }},
            {{ this.options_json }});
        {% endmacro %}
    """)

    def __init__(self, store: IncidentData, type_index: int, *, name: str, canvas: bool, show: bool = True):
        super().__init__(name=esc(name), overlay=True, control=True, show=show)
        self._name = "IncidentTypeLayer"
        self.store = store
        self.type_index = int(type_index)
        self.options_json = js_json({"canvas": bool(canvas)})


HEAT_JS = ("leaflet_heat.min.js",
           "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js")


class HeatLayer(JSCSSMixin, Layer):
    """A heat layer of every incident (weight grows with fatalities) that follows the time control."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = geoinc.heatLayer({{ this.store.get_name() }}, {{ this.options_json }});
        {% endmacro %}
    """)
    default_js = [HEAT_JS]

    def __init__(self, store: IncidentData, *, name: str = "Heat (incidents)", show: bool = False):
        super().__init__(name=esc(name), overlay=True, control=True, show=show)
        self._name = "HeatLayer"
        self.store = store
        self.options_json = js_json({"radius": 18, "blur": 15, "minOpacity": 0.3})


class TimeControl(MacroElement):
    """A slider (with play button and window size) that filters incidents and heat by date."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = new geoinc.TimeControl({{ this.store.get_name() }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, store: IncidentData):
        super().__init__()
        self._name = "TimeControl"
        self.store = store


class Legend(MacroElement):
    """A categorical legend: [(section title, [(label, colour, "dot"|"line"|"area"), ...]), ...]."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = new geoinc.Legend({{ this.data_json }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, sections: Sequence[tuple[str, Sequence[tuple[str, str, str]]]]):
        super().__init__()
        self._name = "Legend"
        self.data_json = js_json([[title, [list(item) for item in items]] for title, items in sections])


class Title(MacroElement):
    """A title box at the top of the map (text only)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
          var c = L.control({position: "topleft"});
          c.onAdd = function () { return geoinc.el("div", "geoinc-title", {{ this.text_json }}); };
          c.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, text: str):
        super().__init__()
        self._name = "Title"
        self.text_json = js_json(str(text))


MINIMAP_JS = ("Control_MiniMap_js", "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.js")
MINIMAP_CSS = ("Control_MiniMap_css", "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.css")


class MiniMap(JSCSSMixin, MacroElement):
    """An overview minimap on tiles, or on the vector basemap's outlines (no request).

    On tiles, the minimap switches to the outlines when its first tiles fail (no network).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }}_outline = geoinc.outlines({{ this.outline.data_expr }},
            {pane: "overlayPane", fill: true, sea: null});
        var {{ this.get_name() }}_layer = {% if this.tiles %}L.tileLayer({{ this.tiles|tojson }}, {attribution: ""})
            {% else %}{{ this.get_name() }}_outline{% endif %};
        var {{ this.get_name() }} = new L.Control.MiniMap({{ this.get_name() }}_layer,
            {toggleDisplay: true, position: "bottomleft", zoomLevelOffset: -5, width: 150, height: 150});
        {{ this._parent.get_name() }}.addControl({{ this.get_name() }});
        {% if this.tiles %}geoinc.minimapFallback({{ this.get_name() }}_layer, {{ this.get_name() }},
            {{ this.get_name() }}_outline);{% endif %}
        {% endmacro %}
    """)
    default_js = [MINIMAP_JS]
    default_css = [MINIMAP_CSS]

    def __init__(self, outline: OutlineLayer, *, tiles: str | None = None):
        super().__init__()
        self._name = "MiniMap"
        self.tiles = tiles
        self.outline = outline


class TileFallback(MacroElement):
    """Tile basemaps that fail before any tile has loaded (no network) give way to the vector basemap."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        geoinc.tileFallback({{ this._parent.get_name() }}, [{{ this.tile_names }}], {{ this.basemap.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, tiles: Sequence[Any], basemap: OutlineLayer):
        super().__init__()
        self._name = "TileFallback"
        self.tile_names = ", ".join(t.get_name() for t in tiles)
        self.basemap = basemap


def zone_group(zones: Sequence[Zone], *, name: str = "Zones") -> folium.FeatureGroup:
    """Geodesic circles as folium polygons in one toggleable group, each with an escaped tooltip."""
    group = folium.FeatureGroup(name=esc(name), overlay=True, control=True, show=True)
    for z in zones:
        lats, lons = circle(z.lat, z.lon, z.radius_km)
        ring = [(round(float(a), 6), round(float(b), 6)) for a, b in zip(lats, lons)]
        ring.append(ring[0])
        label = esc(f"{km_text(z.radius_km)} km zone around {z.name}")
        folium.Polygon(ring, color=z.color, weight=2, dash_array="6 4", fill=True, fill_opacity=0.07,
                       class_name="geoinc-zone", tooltip=folium.Tooltip(label)).add_to(group)
        folium.CircleMarker((z.lat, z.lon), radius=3, color=z.color, fill=True, fill_opacity=1,
                            tooltip=folium.Tooltip(esc(z.name))).add_to(group)
    return group


__all__ = [
    "GeoincAssets", "Panes", "MentionLayer", "ClaimLayer", "OutlineLayer", "BinLayer", "IncidentData",
    "IncidentTypeLayer", "HeatLayer", "TimeControl", "Legend", "Title", "MiniMap", "TileFallback", "zone_group",
]
