/* geoinc map layers: incidents rendered client-side from one compact array (grid clustering, popups
 * built with textContent so article text can never become markup), heat, time control, bins,
 * mentions, distance claims, outlines (borders, vector basemap) and a legend. Needs Leaflet 1.9. */
(function () {
  "use strict";
  var G = (window.geoinc = window.geoinc || {});

  /* HTML-escape a value for the few places Leaflet takes an HTML string (tooltips, layer names). */
  G.esc = function (value) {
    return String(value == null ? "" : value).replace(/[&<>"'`$\\]/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  };
  /* Only http(s) links survive; javascript:, data: and the rest are dropped. */
  G.safeUrl = function (url) {
    return typeof url === "string" && /^https?:\/\/[^\s"'<>`]+$/i.test(url) ? url : null;
  };
  function el(tag, cls, text, parent) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = String(text);
    if (parent) parent.appendChild(node);
    return node;
  }
  G.el = el;

  var PANES = {"geoinc-basemap": 150, "geoinc-borders": 410, "geoinc-zones": 420, "geoinc-claims": 430,
               "geoinc-labels": 435, "geoinc-mentions": 440, "geoinc-incidents": 450};
  G.panes = function (map) {
    Object.keys(PANES).forEach(function (name) {
      if (!map.getPane(name)) map.createPane(name).style.zIndex = PANES[name];
    });
  };

  var DAY_MS = 86400000;
  function dayText(day) { return day < 0 ? "date unknown" : new Date(day * DAY_MS).toISOString().slice(0, 10); }
  G.dayText = dayText;

  /* ---- the shared incident store: rows + date filter, with listeners ---- */
  G.store = function (payload) {
    var store = {data: payload, s: payload.s, rows: payload.rows || [], minDay: -Infinity, maxDay: Infinity,
                 listeners: []};
    store.str = function (i) { return i >= 0 ? store.s[i] : ""; };
    store.visible = function (row) {
      var d = row[5];
      return d < 0 || (d >= store.minDay && d <= store.maxDay);
    };
    store.setRange = function (lo, hi) {
      store.minDay = lo; store.maxDay = hi;
      store.listeners.forEach(function (fn) { fn(); });
    };
    store.onChange = function (fn) { store.listeners.push(fn); };
    return store;
  };

  var PRECISION = {1: "exact site or town", 2: "near / part of a region", 3: "region or country"};

  /* Popup body of one incident row, built from text nodes only. */
  G.incidentPopup = function (store, row) {
    var S = store.str, type = store.data.types[row[2]] || ["", "#888"];
    var box = el("div", "geoinc-popup");
    var head = el("div", "geoinc-popup-head", null, box);
    el("b", null, type[0] || "Incident", head);
    if (row[11] >= 0) el("span", null, " · " + S(row[11]), head);
    var extra = row[14] || {};
    el("div", null, "Date: " + dayText(row[5]) + (extra.d ? " (between " + dayText(extra.d[0]) + " and " +
      dayText(extra.d[1]) + ")" : ""), box);
    var actors = [S(row[6]), S(row[7])].filter(Boolean).join(" vs ");
    if (actors) el("div", null, "Actors: " + actors, box);
    el("div", null, "Killed: " + row[3] + (extra.k ? " (" + extra.k[0] + "–" + extra.k[1] + ")" : "") +
      " · Injured: " + (row[10] < 0 ? "unknown" : row[10]), box);
    el("div", null, "Status: " + (S(row[9]) || "reported"), box);
    el("div", null, "Place: " + (S(row[8]) || "?") + " (precision " + row[4] + ": " + (PRECISION[row[4]] || "?") + ")", box);
    if (row[12] >= 0) el("div", "geoinc-id", "Event: " + S(row[12]), box);
    var sources = row[13] || [];
    if (sources.length) {
      el("div", "geoinc-popup-sub", "Sources (" + sources.length + ")", box);
      var list = el("ol", "geoinc-sources", null, box);
      sources.forEach(function (src) {
        var li = el("li", null, null, list), url = G.safeUrl(S(src[1]));
        var title = S(src[0]) || S(src[4]) || "article";
        if (url) {
          var a = el("a", null, title, li);
          a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
        } else el("span", null, title, li);
        if (src[3] >= 0) el("span", "geoinc-pub", " (" + S(src[3]) + ")", li);
        if (src[2] >= 0) el("blockquote", "geoinc-quote", S(src[2]), li);
      });
    }
    return box;
  };

  /* ---- incidents of one event type, clustered on a pixel grid when many ---- */
  G.IncidentLayer = L.Layer.extend({
    options: {cellPx: 56, clusterAbove: 200, noClusterZoom: 12, precisionKm: {1: 2, 2: 25, 3: 100},
              canvas: false, maxList: 12},
    initialize: function (store, typeIndex, options) {
      L.setOptions(this, options);
      this._store = store; this._type = typeIndex;
      var rows = store.rows, idx = [];
      for (var i = 0; i < rows.length; i++) if (rows[i][2] === typeIndex) idx.push(i);
      this._idx = idx;
      this._color = (store.data.types[typeIndex] || ["", "#555"])[1];
      var self = this;
      store.onChange(function () { if (self._map) self._redraw(); });
    },
    count: function () { return this._idx.length; },
    onAdd: function (map) {
      G.panes(map);
      this._renderer = this.options.canvas ? L.canvas({pane: "geoinc-incidents"}) : L.svg({pane: "geoinc-incidents"});
      this._group = L.layerGroup().addTo(map);
      map.on("zoomend moveend", this._redraw, this);
      this._redraw();
    },
    onRemove: function (map) {
      map.off("zoomend moveend", this._redraw, this);
      map.removeLayer(this._group);
      this._group = null; this._drawn = null; this._clusterGroup = null;
    },
    getBounds: function () {
      var b = L.latLngBounds([]), rows = this._store.rows;
      this._idx.forEach(function (i) { b.extend([rows[i][0], rows[i][1]]); });
      return b;
    },
    _visible: function () {
      var map = this._map, b = map.getBounds().pad(0.25), rows = this._store.rows, out = [];
      var s = b.getSouth(), n = b.getNorth(), w = b.getWest(), e = b.getEast();
      for (var k = 0; k < this._idx.length; k++) {
        var r = rows[this._idx[k]];
        if (r[0] >= s && r[0] <= n && r[1] >= w && r[1] <= e && this._store.visible(r)) out.push(r);
      }
      return out;
    },
    _redraw: function () {
      if (!this._map || !this._group) return;
      var map = this._map, zoom = map.getZoom(), rows = this._visible(), group = this._group;
      var singles = [], clusters = [];
      var flat = rows.length <= this.options.clusterAbove || zoom >= this.options.noClusterZoom;
      var withUncertainty = rows.length <= this.options.clusterAbove;
      if (flat) singles = rows;
      else {
        var cell = this.options.cellPx, cells = {}, keys = [];
        for (var j = 0; j < rows.length; j++) {
          var p = map.project([rows[j][0], rows[j][1]], zoom);
          var key = Math.floor(p.x / cell) + ":" + Math.floor(p.y / cell);
          var c = cells[key];
          if (!c) { c = cells[key] = []; keys.push(key); }
          c.push(rows[j]);
        }
        for (var m = 0; m < keys.length; m++) {
          if (cells[keys[m]].length === 1) singles.push(cells[keys[m]][0]);
          else clusters.push(cells[keys[m]]);
        }
      }
      // markers already drawn stay (an open popup survives the pan it causes); the rest is rebuilt
      var old = this._drawn || new Map(), drawn = new Map();
      for (var i = 0; i < singles.length; i++) {
        var kept = old.get(singles[i]);
        if (kept && kept.uncertainty === withUncertainty) { drawn.set(singles[i], kept); old.delete(singles[i]); }
        else drawn.set(singles[i], this._single(singles[i], group, withUncertainty));
      }
      old.forEach(function (entry) { entry.layers.forEach(function (l) { group.removeLayer(l); }); });
      this._drawn = drawn;
      if (this._clusterGroup) group.removeLayer(this._clusterGroup);
      this._clusterGroup = L.layerGroup().addTo(group);
      for (var k = 0; k < clusters.length; k++) this._cluster(clusters[k], this._clusterGroup);
    },
    _single: function (row, group, withUncertainty) {
      var store = this._store, f = row[3], layers = [];
      if (withUncertainty) {
        layers.push(L.circle([row[0], row[1]], {radius: (this.options.precisionKm[row[4]] || 100) * 1000, color: this._color,
          weight: 1, dashArray: "4 4", fillOpacity: 0.06, interactive: false, renderer: this._renderer,
          className: "geoinc-uncertainty"}).addTo(group));
      }
      var marker = L.circleMarker([row[0], row[1]], {radius: Math.min(5 + 3 * Math.sqrt(f), 28), color: "#222",
        weight: 1, fillColor: this._color, fillOpacity: 0.85, renderer: this._renderer,
        className: "geoinc-incident geoinc-type-" + this._type});
      marker.bindPopup(function () { return G.incidentPopup(store, row); }, {maxWidth: 360});
      marker.bindTooltip(G.esc((store.str(row[8]) || "?") + " · " + dayText(row[5]) + " · killed " + f));
      layers.push(marker.addTo(group));
      return {layers: layers, uncertainty: withUncertainty};
    },
    _cluster: function (members, group) {
      var lat = 0, lon = 0, killed = 0, b = L.latLngBounds([]);
      for (var i = 0; i < members.length; i++) {
        lat += members[i][0]; lon += members[i][1]; killed += members[i][3];
        b.extend([members[i][0], members[i][1]]);
      }
      var n = members.length, size = Math.round(26 + 8 * Math.log10(n));
      var icon = L.divIcon({className: "geoinc-cluster", iconSize: [size, size],
        html: '<div style="background:' + G.esc(this._color) + '"><span>' + n + "</span></div>"});
      var marker = L.marker([lat / n, lon / n], {icon: icon, title: n + " incidents, " + killed + " killed"});
      var map = this._map, store = this._store, maxList = this.options.maxList;
      marker.on("click", function () {
        var sw = b.getSouthWest(), ne = b.getNorthEast();
        if (map.getZoom() >= map.getMaxZoom() || (sw.lat === ne.lat && sw.lng === ne.lng)) {
          var box = el("div", "geoinc-popup");
          el("b", null, n + " incidents here", box);
          members.slice(0, maxList).forEach(function (r) { box.appendChild(G.incidentPopup(store, r)); });
          L.popup({maxWidth: 360, maxHeight: 320}).setLatLng(marker.getLatLng()).setContent(box).openOn(map);
        } else map.fitBounds(b.pad(0.1));
      });
      marker.addTo(group);
    }
  });

  /* ---- heat of all incidents (weights grow with fatalities), following the time control ---- */
  G.heatLayer = function (store, options) {
    function points() {
      var out = [], rows = store.rows;
      for (var i = 0; i < rows.length; i++) {
        if (store.visible(rows[i])) out.push([rows[i][0], rows[i][1], 1 + Math.min(rows[i][3], 20) / 4]);
      }
      return out;
    }
    var layer = L.heatLayer(points(), options);
    store.onChange(function () { layer.setLatLngs(points()); });
    return layer;
  };

  /* ---- time control: show incidents within a window ending at the chosen day; play animates ---- */
  G.TimeControl = L.Control.extend({
    options: {position: "bottomleft"},
    initialize: function (store, options) {
      L.setOptions(this, options); this._store = store;
      var lo = Infinity, hi = -Infinity;
      store.rows.forEach(function (r) { if (r[5] >= 0) { lo = Math.min(lo, r[5]); hi = Math.max(hi, r[5]); } });
      this._lo = lo; this._hi = hi;
    },
    onAdd: function () {
      var self = this, box = el("div", "geoinc-time leaflet-bar");
      L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box);
      if (!isFinite(this._lo)) { el("span", null, "no dated incidents", box); return box; }
      var play = el("button", "geoinc-play", "▶", box); play.type = "button"; play.title = "play";
      var slider = el("input", "geoinc-slider", null, box);
      slider.type = "range"; slider.min = this._lo; slider.max = this._hi; slider.value = this._hi; slider.step = 1;
      var win = el("select", "geoinc-window", null, box);
      [["all", "all up to"], ["30", "30 days to"], ["7", "7 days to"], ["1", "that day"]].forEach(function (o) {
        var opt = el("option", null, o[1], win); opt.value = o[0];
      });
      var label = el("span", "geoinc-date", dayText(this._hi), box);
      function apply() {
        var hi = Number(slider.value), w = win.value;
        var lo = w === "all" ? -Infinity : hi - Number(w) + 1;
        label.textContent = (w === "all" ? "≤ " : isFinite(lo) && w !== "1" ? dayText(lo) + " – " : "") + dayText(hi);
        self._store.setRange(lo, hi);
      }
      slider.addEventListener("input", apply); win.addEventListener("change", apply);
      var timer = null;
      play.addEventListener("click", function () {
        if (timer) { clearInterval(timer); timer = null; play.textContent = "▶"; return; }
        if (Number(slider.value) >= self._hi) slider.value = self._lo;
        play.textContent = "❚❚";
        var step = Math.max(1, Math.round((self._hi - self._lo) / 60));
        timer = setInterval(function () {
          slider.value = Math.min(self._hi, Number(slider.value) + step); apply();
          if (Number(slider.value) >= self._hi) { clearInterval(timer); timer = null; play.textContent = "▶"; }
        }, 400);
      });
      this.apply = apply;
      return box;
    }
  });

  /* ---- aggregated bins (for very many incidents): rectangles coloured by count ---- */
  G.binLayer = function (payload, options) {
    var group = L.featureGroup(), max = 1, renderer = L.canvas({pane: "geoinc-incidents"});
    payload.bins.forEach(function (b) { max = Math.max(max, b[4]); });
    payload.bins.forEach(function (b) {
      var t = Math.log(1 + b[4]) / Math.log(1 + max);
      var color = "hsl(" + Math.round(55 - 55 * t) + ",90%," + Math.round(60 - 25 * t) + "%)";
      var rect = L.rectangle([[b[0], b[1]], [b[2], b[3]]], {renderer: renderer, weight: 0.5, color: "#444",
        fillColor: color, fillOpacity: 0.65, className: "geoinc-bin"});
      rect.bindPopup(function () {
        var box = el("div", "geoinc-popup");
        el("b", null, b[4] + " incidents", box);
        el("div", null, b[5] + " killed", box);
        el("div", null, "cell " + b[0].toFixed(3) + "…" + b[2].toFixed(3) + " N, " + b[1].toFixed(3) + "…" + b[3].toFixed(3) + " E", box);
        return box;
      });
      rect.addTo(group);
    });
    return group;
  };

  /* ---- place mentions, coloured by where the coordinates come from ---- */
  G.mentionLayer = function (payload) {
    var group = L.featureGroup();
    payload.rows.forEach(function (r) {
      var color = payload.colors[r[4]] || "#666";
      var m = L.circleMarker([r[0], r[1]], {radius: 6, color: "#222", weight: 1, fillColor: color, fillOpacity: 0.9,
        pane: "geoinc-mentions", className: "geoinc-mention"});
      m.bindTooltip(G.esc(r[2] + " (" + r[4] + ")"));
      m.bindPopup(function () {
        var box = el("div", "geoinc-popup");
        el("b", null, r[2], box);
        el("div", null, "Source: " + r[4] + (r[5] ? " · " + r[5] : ""), box);
        el("div", null, "Mentioned as: " + r[3].join(", "), box);
        el("div", null, "Mentions: " + r[6] + " · precision " + r[7], box);
        return box;
      });
      m.addTo(group);
    });
    return group;
  };

  /* ---- distance claims: anchor -> target lines coloured by verdict, labelled with both numbers ----
   * The label ("claimed 10 km · measured 8.5 km") goes where it hides no marker and no other label: along
   * the line, or above the circle of a target not located; where nothing fits, it shows on hover. */
  G.claimLayer = function (payload, options) {
    var group = L.featureGroup(), specs = [];
    payload.rows.forEach(function (r, i) {
      var color = payload.colors[r[4]] || "#666", line, point;
      if (r[2] === null) {   // target not located: the circle where the text puts it
        line = L.circle([r[0], r[1]], {radius: r[8] * 1000, color: color, weight: 2, dashArray: "2 6", fill: false,
          pane: "geoinc-claims", className: "geoinc-claim geoinc-claim-ring geoinc-claim-" + r[4]});
        point = function (map) {
          var b = line.getBounds(), top = map.latLngToLayerPoint([b.getNorth(), r[1]]);
          var bottom = map.latLngToLayerPoint([b.getSouth(), r[1]]);
          return [top, bottom];
        };
      } else {
        line = L.polyline([[r[0], r[1]], [r[2], r[3]]], {color: color, weight: 3, dashArray: r[4] === "consistent" ? null : "8 6",
          pane: "geoinc-claims", className: "geoinc-claim geoinc-claim-" + r[4]});
        point = function (map) {   // the middle of the line first, then along it
          var a = map.latLngToLayerPoint([r[0], r[1]]), b = map.latLngToLayerPoint([r[2], r[3]]);
          return [0.5, 0.3, 0.7, 0.15, 0.85].map(function (t) { return L.point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t); });
        };
      }
      line.bindTooltip(G.esc(r[5]), {sticky: true, className: "geoinc-claim-tip"});
      line.bindPopup(function () {
        var box = el("div", "geoinc-popup");
        el("b", null, r[5], box);
        (r[9] || []).forEach(function (d) { el("div", null, d[0] + ": " + d[1], box); });
        el("div", null, "Verdict: " + r[4], box);
        el("blockquote", "geoinc-quote", r[6], box);
        if (r[7]) el("div", null, r[7], box);
        return box;
      });
      line.addTo(group);
      L.circleMarker([r[0], r[1]], {radius: 3, color: color, pane: "geoinc-claims", interactive: false}).addTo(group);
      specs.push({text: r[5], cls: "geoinc-claim-label geoinc-claim-label-" + r[4], point: point, priority: i,
                  places: ["c", "n", "s", "e", "w", "N", "S", "E", "W"]});
    });
    var labels = new G.LabelLayer(specs);
    group.on("add", function () { if (group._map) labels.addTo(group._map); });
    group.on("remove", function () { labels.remove(); });
    group.labels = labels;
    return group;
  };

  /* ---- outlines: country borders (overlay) or the vector basemap (a base layer with a sea colour) ---- */
  G.outlines = function (geojson, options) {
    var o = L.extend({pane: "geoinc-borders", color: "#555", weight: 1, fill: false, fillColor: "#f2efe6",
      sea: null, lines: true, className: "geoinc-outline"}, options);
    var features = (geojson.features || []).filter(function (f) {   // lines: borders; polygons: land fill
      var poly = f.geometry && /Polygon/.test(f.geometry.type);
      return poly ? o.fill : o.lines;
    });
    var layer = L.geoJSON({type: "FeatureCollection", features: features}, {pane: o.pane, interactive: false,
      style: function (f) {
        var poly = f.geometry && /Polygon/.test(f.geometry.type);
        return {color: o.color, weight: poly ? 0 : o.weight, stroke: !poly, fill: poly,
                fillColor: o.fillColor, fillOpacity: 1, className: o.className};
      }});
    if (o.sea) {
      layer.on("add", function () { if (layer._map) layer._map.getContainer().style.background = o.sea; });
      layer.on("remove", function () { if (layer._map) layer._map.getContainer().style.background = ""; });
    }
    if (o.labels && geojson.labels) {   // country and city names travel with the basemap
      var names = G.placeLabels(geojson.labels);
      layer.on("add", function () { if (layer._map) names.addTo(layer._map); });
      layer.on("remove", function () { names.remove(); });
      layer.placeLabels = names;
    }
    return layer;
  };

  /* ---- no network: tiles that fail before any tile loaded give way to the vector basemap ---- */
  G.tileFallback = function (map, tiles, basemap) {
    var loaded = false, errors = 0;
    tiles.forEach(function (t) {
      t.on("tileload", function () { loaded = true; });
      t.on("tileerror", function () {
        if (loaded || !map.hasLayer(t) || ++errors < 2) return;
        map.removeLayer(t);
        if (!map.hasLayer(basemap)) map.addLayer(basemap);   // the layer control follows
      });
    });
  };
  G.minimapFallback = function (tiles, control, outline) {
    var loaded = false, done = false;
    tiles.on("tileload", function () { loaded = true; });
    tiles.on("tileerror", function () {
      if (loaded || done) return;
      done = true;
      control.changeLayer(outline);
    });
  };

  /* ---- categorical legend, built from text nodes ---- */
  G.Legend = L.Control.extend({
    options: {position: "bottomright"},
    initialize: function (sections, options) { L.setOptions(this, options); this._sections = sections; },
    onAdd: function () {
      var box = el("div", "geoinc-legend");
      L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box);
      this._sections.forEach(function (sec) {
        el("div", "geoinc-legend-title", sec[0], box);
        sec[1].forEach(function (item) {
          var row = el("div", "geoinc-legend-row", null, box);
          var sw = el("i", "geoinc-swatch geoinc-swatch-" + (item[2] || "dot"), null, row);
          sw.style.background = item[2] === "line" ? "none" : item[1];
          sw.style.borderColor = item[1];
          el("span", null, item[0], row);
        });
      });
      return box;
    }
  });
})();
