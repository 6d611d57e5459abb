/* geoinc map labels: place names on the vector basemap and distance-check labels, laid out so that they
 * avoid each other, the markers and the controls; and the first view, fitted clear of the controls.
 * Loaded after geoinc-map.js. Needs Leaflet 1.9. */
(function () {
  "use strict";
  var G = (window.geoinc = window.geoinc || {});
  var el = G.el;

  /* ---- labels that avoid each other and every marker: one greedy layout per map after each move ----
   * Providers (place labels, distance-check labels) hand over items {el, point, priority, places}; the
   * markers drawn on the map (circle markers, clusters) are obstacles. Items are placed in priority
   * order at the first candidate position that overlaps nothing already there; the rest are hidden. */
  function Grid(cell) { this.cell = cell; this.cells = {}; }
  Grid.prototype.each = function (b, fn) {
    var c = this.cell, x1 = Math.floor((b.x + b.w) / c), y1 = Math.floor((b.y + b.h) / c);
    for (var x = Math.floor(b.x / c); x <= x1; x++) for (var y = Math.floor(b.y / c); y <= y1; y++) {
      if (fn(x + ":" + y)) return true;
    }
    return false;
  };
  Grid.prototype.add = function (b) {
    var cells = this.cells;
    this.each(b, function (k) { (cells[k] = cells[k] || []).push(b); return false; });
  };
  Grid.prototype.hits = function (b) {
    var cells = this.cells;
    return this.each(b, function (k) {
      var list = cells[k] || [];
      for (var i = 0; i < list.length; i++) {
        var o = list[i];
        if (b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h) return true;
      }
      return false;
    });
  };
  /* A label's box at one place around its point: c(entre), e/w/n/s beside it, E/W/N/S a marker's width away. */
  function candidateBox(p, w, h, where) {
    var d = where === where.toUpperCase() && where !== "C" ? 14 : 6;
    switch (where.toLowerCase()) {
      case "e": return {x: p.x + d, y: p.y - h / 2, w: w, h: h};
      case "w": return {x: p.x - d - w, y: p.y - h / 2, w: w, h: h};
      case "n": return {x: p.x - w / 2, y: p.y - h - d, w: w, h: h};
      case "s": return {x: p.x - w / 2, y: p.y + d, w: w, h: h};
      default: return {x: p.x - w / 2, y: p.y - h / 2, w: w, h: h};
    }
  }
  function obstacleRadius(l) {
    if (l.options && l.options.geoincLabel) return null;
    if (l instanceof L.CircleMarker && !(l instanceof L.Circle)) return l.getRadius() + 2;
    if (l instanceof L.Marker && l.options.icon && l.options.icon.options.iconSize) {
      var size = l.options.icon.options.iconSize;
      return (size.x || size[0] || 20) / 2;
    }
    return null;
  }
  G.labels = function (map) {
    if (map._geoincLabels) return map._geoincLabels;
    G.panes(map);
    var pane = map.getPane("geoinc-labels"), providers = [], pending = null;
    function layout() {
      pending = null;
      L.DomUtil.removeClass(pane, "geoinc-labels-moving");
      var size = map.getSize(), origin = map.containerPointToLayerPoint([0, 0]);
      var view = {x: origin.x, y: origin.y, w: size.x, h: size.y};
      var grid = new Grid(48), items = [];
      map.eachLayer(function (l) {
        var r = obstacleRadius(l);
        if (r === null || !l.getLatLng) return;
        var p = map.latLngToLayerPoint(l.getLatLng());
        if (p.x + r < view.x || p.y + r < view.y || p.x - r > view.x + view.w || p.y - r > view.y + view.h) return;
        grid.add({x: p.x - r, y: p.y - r, w: 2 * r, h: 2 * r});
      });
      // the controls (layer list, legend, minimap, zoom, title) cover the map: nothing goes under them
      var frame = map.getContainer().getBoundingClientRect();
      map.getContainer().querySelectorAll(".leaflet-control").forEach(function (c) {
        var r = c.getBoundingClientRect();
        if (r.width && r.height) grid.add({x: origin.x + r.left - frame.left - 2, y: origin.y + r.top - frame.top - 2,
                                            w: r.width + 4, h: r.height + 4});
      });
      providers.forEach(function (prov) { prov.items(map).forEach(function (it) { items.push(it); }); });
      items.sort(function (a, b) { return a.priority - b.priority; });
      var shown = 0;
      items.forEach(function (it) {
        var el = it.el, placed = null;
        if (it.point) {
          el.style.display = "";
          if (!el._geoincSize) el._geoincSize = [el.offsetWidth, el.offsetHeight];
          var w = el._geoincSize[0], h = el._geoincSize[1], points = [].concat(it.point);
          for (var i = 0; i < points.length && !placed; i++) {
            for (var k = 0; k < it.places.length && !placed; k++) {
              var box = candidateBox(points[i], w, h, it.places[k]);
              var inside = box.x >= view.x && box.y >= view.y && box.x + box.w <= view.x + view.w &&
                           box.y + box.h <= view.y + view.h;
              if (inside && !grid.hits(box)) placed = box;
            }
          }
        }
        if (placed) {
          grid.add({x: placed.x - 2, y: placed.y - 1, w: placed.w + 4, h: placed.h + 2});
          L.DomUtil.setPosition(el, L.point(placed.x, placed.y));
          if (it.dot) {   // a city's dot at the city, an obstacle for the labels still to come
            var p0 = [].concat(it.point)[0];
            L.DomUtil.setPosition(it.dot, L.point(p0.x - 2, p0.y - 2));
            it.dot.style.display = "";
            grid.add({x: p0.x - 3, y: p0.y - 3, w: 6, h: 6});
          }
          shown++;
        } else {
          el.style.display = "none";
          if (it.dot) it.dot.style.display = "none";
        }
      });
      map.fire("geoinclabels", {shown: shown, total: items.length});
    }
    var mgr = map._geoincLabels = {
      pane: pane,
      add: function (prov) { providers.push(prov); mgr.schedule(); },
      remove: function (prov) { providers = providers.filter(function (q) { return q !== prov; }); mgr.schedule(); },
      schedule: function () { if (!pending) pending = setTimeout(layout, 0); },
      layout: layout
    };
    map.on("moveend zoomend layeradd layerremove resize", mgr.schedule);
    map.on("zoomstart", function () { L.DomUtil.addClass(pane, "geoinc-labels-moving"); });
    return mgr;
  };

  /* A layer of text labels laid out by G.labels; ``spec(map)`` gives [{text, cls, priority, latlng or
   * point(map), places, dot}] and is asked again at each layout (zoom rules live there). */
  G.LabelLayer = L.Layer.extend({
    initialize: function (specs, options) { L.setOptions(this, options); this._specs = specs; },
    onAdd: function (map) {
      var mgr = G.labels(map), self = this;
      this._els = this._specs.map(function (sp) {
        var e = el("div", "geoinc-label " + (sp.cls || ""), sp.text, mgr.pane);
        e.style.display = "none";
        var dot = sp.dot ? el("div", "geoinc-label-dot", null, mgr.pane) : null;
        if (dot) dot.style.display = "none";
        return {el: e, dot: dot, spec: sp};
      });
      this._provider = {items: function (m) { return self._items(m); }};
      mgr.add(this._provider);
    },
    onRemove: function (map) {
      G.labels(map).remove(this._provider);
      this._els.forEach(function (x) { L.DomUtil.remove(x.el); if (x.dot) L.DomUtil.remove(x.dot); });
      this._els = [];
    },
    _items: function (map) {
      var zoom = map.getZoom(), out = [];
      this._els.forEach(function (x) {
        var sp = x.spec, wanted = !sp.minZoom || zoom >= sp.minZoom;
        var pt = wanted ? (sp.point ? sp.point(map) : map.latLngToLayerPoint(sp.latlng)) : null;
        out.push({el: x.el, dot: x.dot, point: pt, priority: sp.priority, places: sp.places || ["c"]});
      });
      return out;
    }
  });

  /* Country names at Natural Earth's label points; cities of GeoNames by population, more as one zooms in. */
  var CITY_ZOOM = [[5e6, 3], [2e6, 4], [1e6, 5], [4e5, 6], [1.5e5, 7], [5e4, 8], [0, 9]];
  G.placeLabels = function (labels) {
    var specs = [];
    (labels.countries || []).forEach(function (c, i) {
      specs.push({text: c[2], cls: "geoinc-country-label", latlng: L.latLng(c[0], c[1]), priority: 1000 + i,
                  places: ["c", "s", "n", "S", "N", "e", "w"], minZoom: 2});
    });
    (labels.cities || []).forEach(function (c, i) {
      var minZoom = 9;
      for (var k = 0; k < CITY_ZOOM.length; k++) if (c[3] >= CITY_ZOOM[k][0]) { minZoom = CITY_ZOOM[k][1]; break; }
      // cities of two million and more come before the country names, the others after them
      specs.push({text: c[2], cls: "geoinc-city-label", latlng: L.latLng(c[0], c[1]),
                  priority: (c[3] >= 2e6 ? 500 : 5000) + i, places: ["e", "w", "n", "s", "E", "W", "N", "S"], minZoom: minZoom,
                  dot: true});
    });
    return new G.LabelLayer(specs);
  };

  /* ---- the first view: every drawn layer in sight, clear of the controls around the edges ---- */
  G.fit = function (map, bounds, options) {
    var o = L.extend({margin: 24, maxShare: 0.35}, options), size = map.getSize();
    var frame = map.getContainer().getBoundingClientRect(), pad = {left: 0, right: 0, top: 0, bottom: 0};
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (c) {
      var r = c.getBoundingClientRect();
      if (!r.width || !r.height) return;
      var corner = (c.parentNode && c.parentNode.className) || "";
      var right = /leaflet-right/.test(corner), bottom = /leaflet-bottom/.test(corner);
      // keep the data out from under each corner control by the cheaper of its width and its height
      if (r.width / size.x <= r.height / size.y) {
        if (right) pad.right = Math.max(pad.right, frame.right - r.left);
        else pad.left = Math.max(pad.left, r.right - frame.left);
      } else if (bottom) pad.bottom = Math.max(pad.bottom, frame.bottom - r.top);
      else pad.top = Math.max(pad.top, r.bottom - frame.top);
    });
    function side(v, total) { return Math.round(Math.min(v + o.margin, total * o.maxShare)); }
    map.fitBounds(bounds, {paddingTopLeft: [side(pad.left, size.x), side(pad.top, size.y)],
                           paddingBottomRight: [side(pad.right, size.x), side(pad.bottom, size.y)], animate: false});
  };
})();
