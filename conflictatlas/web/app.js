/* conflictatlas: the map-and-timeline page.
 *
 * Plain browser JavaScript over the HTTP API (no build step for this file). Data flow:
 *   GET /points (compact columns for every event)  -> filters run here, in memory
 *   -> the map (Leaflet + supercluster: points coloured by type, sized by fatalities, clustered)
 *   -> the timeline (stacked bars per period, a brush that filters the map)
 *   GET /events/{id}, /articles/{id} -> the event panel (evidence sentences highlighted)
 *   GET /events?format=csv|geojson&filters -> export of the current selection
 *
 * Safety: article text, actor names and every other value from the API is untrusted. It only
 * ever reaches the page through textContent / Text nodes (el() and append() below); this file
 * never assigns HTML (a test greps it for the HTML-parsing sinks). Links are made only for
 * http(s) URLs. The server's Content-Security-Policy forbids inline scripts as a second guard.
 */
(function () {
  'use strict';

  var TYPES = ['Battles', 'Explosions/Remote violence', 'Violence against civilians', 'Protests',
    'Riots', 'Strategic developments'];
  var COLORS = ['#d62728', '#ff7f0e', '#8e44ad', '#1f77b4', '#c9a100', '#2ca02c', '#7f7f7f'];
  var OTHER = TYPES.length;                 // slot for unknown types
  var NSLOT = TYPES.length + 1;
  var DAY_MS = 86400000;
  var NONE = -2147483648;

  // -- tiny DOM helpers: text only, never HTML ---------------------------------------------------
  function $(id) { return document.getElementById(id); }
  function el(tag, props) {
    var e = document.createElement(tag);
    if (props) {
      for (var k in props) {
        if (!Object.prototype.hasOwnProperty.call(props, k) || props[k] == null) continue;
        if (k === 'class') e.className = props[k];
        else if (k === 'text') e.textContent = String(props[k]);
        else if (k === 'onclick') e.addEventListener('click', props[k]);
        else e.setAttribute(k, String(props[k]));
      }
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c == null || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function fmtInt(n) { return Number(n || 0).toLocaleString('en-US'); }
  function short(n) { return n >= 10000 ? Math.round(n / 1000) + 'k' : n >= 1000 ? (n / 1000).toFixed(1) + 'k' : String(n); }
  function dayISO(d) { return new Date(d * DAY_MS).toISOString().slice(0, 10); }
  function isoDay(s) { var t = Date.parse(s + 'T00:00:00Z'); return isNaN(t) ? null : Math.round(t / DAY_MS); }
  function safeUrl(u) { return typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null; }
  function typeSlot(name) { var i = TYPES.indexOf(name); return i < 0 ? OTHER : i; }

  // -- state ---------------------------------------------------------------------------------------
  var S = {
    n: 0, values: [], ids: [], lat: null, lon: null, day: null, type: null, country: null,
    admin1: null, a1: null, a2: null, fat: null, slot: null, bin: null,
    sel: new Int32Array(0), selCount: 0, selFat: 0,
    f: { from: null, to: null, type: -1, country: -1, admin1: -1, actor: '', text: '' },
    token: sessionStorage.getItem('conflictatlas-token') || '',
    index: null, ready: false, loadedText: null, selectedId: null
  };

  // -- API -----------------------------------------------------------------------------------------
  function ApiError(message, status) { this.message = message; this.status = status; }
  function api(path) {
    var headers = {};
    if (S.token) headers.Authorization = 'Bearer ' + S.token;
    return fetch(path, { headers: headers, credentials: 'same-origin' }).then(function (r) {
      if (r.ok) return r;
      return r.json().catch(function () { return null; }).then(function (body) {
        var msg = body && body.error && body.error.message ? body.error.message : r.status + ' ' + r.statusText;
        if (r.status === 401) askToken();
        throw new ApiError(msg, r.status);
      });
    });
  }
  function banner(msg, info) {
    var b = $('banner');
    b.textContent = msg;
    b.className = info ? 'banner info' : 'banner';
    b.hidden = !msg;
    if (info && msg) setTimeout(function () { if (b.textContent === msg) b.hidden = true; }, 6000);
  }
  function askToken() {
    var form = $('token-form');
    form.hidden = false;
    $('token-input').focus();
  }
  $('token-form').addEventListener('submit', function (e) {
    e.preventDefault();
    S.token = $('token-input').value.trim();
    sessionStorage.setItem('conflictatlas-token', S.token);
    $('token-form').hidden = true;
    loadPoints(S.f.text, true);
  });

  // -- the map -------------------------------------------------------------------------------------
  var map = L.map('map', { minZoom: 1, maxZoom: 14, worldCopyJump: true, zoomSnap: 1,
    maxBounds: [[-85, -400], [85, 400]] });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Borders: Natural Earth');
  map.setView([20, 20], 2);
  var baseRenderer = L.canvas({ padding: 0.3 });
  map.createPane('basemap').style.zIndex = 200;
  var landStyle = { renderer: baseRenderer, pane: 'basemap', interactive: false,
    style: { color: '#9aa4ad', weight: 0.8, fillColor: '#fbfaf6', fillOpacity: 1 } };
  var world = null, detail = null, detailLoading = false;
  // rings that jump across the antimeridian are unwrapped (else Leaflet draws a line across the
  // world); Antarctica is left out (no events, and Mercator stretches it)
  function unwrap(fc) {
    var fixRing = function (ring) {
      var shift = 0;
      return ring.map(function (pt, k) {
        if (k) { var d = pt[0] - ring[k - 1][0]; if (d > 180) shift -= 360; else if (d < -180) shift += 360; }
        return [pt[0] + shift, pt[1]];
      });
    };
    fc.features = fc.features.filter(function (f) {
      if (!f.geometry || (f.properties && (f.properties.name === 'Antarctica' || f.properties.adm0_a3 === 'ATA'))) return false;
      var g = f.geometry;
      if (g.type === 'Polygon') g.coordinates = g.coordinates.map(fixRing);
      else if (g.type === 'MultiPolygon') g.coordinates = g.coordinates.map(function (p) { return p.map(fixRing); });
      else if (g.type === 'MultiLineString') g.coordinates = g.coordinates.map(fixRing);
      else if (g.type === 'LineString') g.coordinates = fixRing(g.coordinates);
      return true;
    });
    return fc;
  }
  function topo(url) { return fetch(url).then(function (r) { if (!r.ok) throw new Error(url + ': ' + r.status); return r.json(); }); }
  topo('/static/data/countries-110m.json').then(function (t) {
    world = L.geoJSON(unwrap(topojson.feature(t, t.objects.countries)), landStyle).addTo(map);
    syncBasemap();
  }).catch(function (e) { banner('The basemap could not be loaded: ' + e.message); });
  function syncBasemap() {
    var z = map.getZoom();
    if (z >= 4 && !detail && !detailLoading) {
      detailLoading = true;
      topo('/static/data/admin1.json').then(function (t) {
        var admin1 = L.geoJSON(unwrap(topojson.feature(t, t.objects.admin1)), { renderer: baseRenderer, pane: 'basemap',
          interactive: false, style: { color: '#c3c9cf', weight: 0.6, dashArray: '3 3', fillColor: '#fbfaf6', fillOpacity: 1 } });
        var borders = L.geoJSON(unwrap({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {},
          geometry: topojson.mesh(t, t.objects.countries, function (a, b) { return a !== b; }) }] }),
          { renderer: baseRenderer, pane: 'basemap', interactive: false, style: { color: '#8a949e', weight: 1.1 } });
        detail = L.layerGroup([admin1, borders]);
        syncBasemap();
      }).catch(function (e) { detailLoading = false; banner('Admin1 borders could not be loaded: ' + e.message); });
    }
    if (detail) {
      if (z >= 4) { if (!map.hasLayer(detail)) detail.addTo(map); if (world && map.hasLayer(world)) map.removeLayer(world); }
      else { if (map.hasLayer(detail)) map.removeLayer(detail); if (world && !map.hasLayer(world)) world.addTo(map); }
    }
  }
  map.on('zoomend', syncBasemap);

  var CLUSTER_MAX = 10;
  var markers = L.layerGroup().addTo(map);
  var shown = { clusters: 0, points: 0, events: 0 };

  function pointSize(f) { return Math.min(34, 9 + 3.2 * Math.sqrt(f || 0)); }
  function clusterSize(n) { return Math.min(58, 24 + 7 * Math.log10(n)); }

  function rebuildIndex() {
    var feats = [];
    for (var k = 0; k < S.selCount; k++) {
      var i = S.sel[k];
      if (isNaN(S.lat[i])) continue;
      feats.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [S.lon[i], S.lat[i]] },
        properties: { i: i, f: S.fat[i] } });
    }
    var t0 = performance.now();
    // no map/reduce and clusters up to zoom 10 keep 100,000 points under a second; above that,
    // points are drawn as they are, with events at the same spot drawn as one stack
    S.index = new Supercluster({ radius: 60, maxZoom: CLUSTER_MAX, minPoints: 2 }).load(feats);
    S.mapped = feats.length;
    S.clusterMs = Math.round(performance.now() - t0);
    renderMarkers();
  }

  function renderMarkers() {
    if (!S.index) return;
    var b = map.getBounds(), z = map.getZoom();
    var west = b.getWest(), east = b.getEast(), south = Math.max(-85, b.getSouth()), north = Math.min(85, b.getNorth());
    var boxes = [];
    if (east - west >= 360) boxes.push([-180, south, 180, north]);
    else {
      west = ((west + 180) % 360 + 360) % 360 - 180;
      east = ((east + 180) % 360 + 360) % 360 - 180;
      if (west <= east) boxes.push([west, south, east, north]);
      else { boxes.push([west, south, 180, north]); boxes.push([-180, south, east, north]); }
    }
    var center = map.getCenter().lng;
    markers.clearLayers();
    shown = { clusters: 0, points: 0, events: 0 };
    boxes.forEach(function (box) {
      var items = S.index.getClusters(box, Math.min(z, CLUSTER_MAX + 1));
      if (z > CLUSTER_MAX) items = stack(items);
      items.forEach(function (c) {
        var lng = c.geometry.coordinates[0];
        while (lng - center > 180) lng -= 360;     // draw on the copy of the world in view
        while (center - lng > 180) lng += 360;
        var ll = [c.geometry.coordinates[1], lng];
        var p = c.properties, node, size, m;
        if (p.cluster) {
          size = clusterSize(p.point_count);
          node = el('div', { class: 'ca-cluster', role: 'button', 'aria-label': p.point_count + ' events' }, short(p.point_count));
          node.style.borderColor = COLORS[dominantSlot(p)];       // the ring: the commonest type
          m = L.marker(ll, { icon: L.divIcon({ html: node, className: 'ca-icon', iconSize: [size, size] }),
            title: fmtInt(p.point_count) + ' events' + (p.stack ? ' at this spot' : ''), keyboard: true });
          m.on('click', function () { clusterClick(c); });
          shown.clusters++; shown.events += p.point_count;
        } else {
          var i = p.i;
          size = pointSize(S.fat[i]);
          node = el('div', { class: 'ca-point' + (S.ids[i] === S.selectedId ? ' sel' : ''), role: 'button',
            'data-id': S.ids[i], 'aria-label': typeName(i) });
          node.style.background = COLORS[S.slot[i]];
          m = L.marker(ll, { icon: L.divIcon({ html: node, className: 'ca-icon', iconSize: [size, size] }),
            title: dayISO(S.day[i]) + ' · ' + typeName(i) + ' · ' + S.fat[i] + ' fatalities', keyboard: true,
            zIndexOffset: Math.round(S.fat[i]) });
          m.on('click', function () { openEvent(S.ids[i]); });
          shown.points++; shown.events++;
        }
        markers.addLayer(m);
      });
    });
  }
  map.on('moveend', renderMarkers);

  function dominantSlot(p) {     // from up to 40 of the cluster's events: cheap, and enough for a colour
    var idx = p.stack ? p.stack.slice(0, 40) : S.index.getLeaves(p.cluster_id, 40).map(function (l) { return l.properties.i; });
    var n = new Int32Array(NSLOT), best = OTHER;
    idx.forEach(function (i) { n[S.slot[i]]++; });
    for (var t = 0; t < NSLOT; t++) if (n[t] > n[best]) best = t;
    return best;
  }

  function stack(points) {       // points at one spot -> one marker that lists them
    var at = new Map(), out = [];
    points.forEach(function (p) {
      var k = p.geometry.coordinates[0] + ',' + p.geometry.coordinates[1];
      if (!at.has(k)) at.set(k, []);
      at.get(k).push(p);
    });
    at.forEach(function (ps) {
      if (ps.length === 1) out.push(ps[0]);
      else out.push({ geometry: ps[0].geometry, properties: { cluster: true, stack: ps.map(function (p) { return p.properties.i; }),
        point_count: ps.length } });
    });
    return out;
  }

  function clusterClick(c) {
    if (c.properties.stack) { showList(c.properties.stack.slice(0, 300), c.properties.stack.length); return; }
    var z = S.index.getClusterExpansionZoom(c.properties.cluster_id);
    if (z > map.getZoom()) {
      map.setView([c.geometry.coordinates[1], c.geometry.coordinates[0]], Math.min(z, CLUSTER_MAX + 1));
      return;
    }
    var leaves = S.index.getLeaves(c.properties.cluster_id, 200);
    showList(leaves.map(function (l) { return l.properties.i; }), c.properties.point_count);
  }

  function typeName(i) { var t = S.type[i]; return t >= 0 ? S.values[t] : 'Unknown type'; }
  function val(ix) { return ix >= 0 ? S.values[ix] : ''; }

  // -- loading the points ------------------------------------------------------------------------
  function loadPoints(text, keepView) {
    $('summary').textContent = 'Loading events…';
    var q = text ? '?text=' + encodeURIComponent(text) : '';
    var t0 = performance.now();
    return api('/points' + q).then(function (r) { return r.json(); }).then(function (d) {
      var t1 = performance.now();
      ingest(d);
      S.loadedText = text || '';
      fillChoices();
      setupTimeline();
      recompute();
      if (!keepView || !S.ready) fitToData();
      S.timings = { fetch_parse_ms: Math.round(t1 - t0), build_ms: Math.round(performance.now() - t1),
        cluster_ms: S.clusterMs };
      if (!S.ready) {
        S.ready = true;
        document.body.setAttribute('data-ready', '1');
      }
      if (!S.n) banner(text ? 'No event mentions “' + text + '”.' :
        'No events yet. Add reports with `conflictatlas db ingest FILES` or POST /ingest.', true);
    }).catch(function (e) {
      $('summary').textContent = 'Could not load events';
      banner(e.message || String(e));
      document.body.setAttribute('data-ready', 'error');
    });
  }

  function ingest(d) {
    var n = d.count || 0;
    S.n = n; S.values = d.values || []; S.ids = d.id || [];
    S.lat = new Float32Array(n); S.lon = new Float32Array(n); S.day = new Int32Array(n);
    S.type = new Int32Array(n); S.country = new Int32Array(n); S.admin1 = new Int32Array(n);
    S.a1 = new Int32Array(n); S.a2 = new Int32Array(n); S.x1 = new Int32Array(n); S.x2 = new Int32Array(n); S.fat = new Int32Array(n); S.slot = new Uint8Array(n);
    var slotOfValue = S.values.map(typeSlot);
    for (var i = 0; i < n; i++) {
      S.lat[i] = d.lat[i] == null ? NaN : d.lat[i];
      S.lon[i] = d.lon[i] == null ? NaN : d.lon[i];
      S.day[i] = d.day[i] == null ? NONE : d.day[i];
      S.type[i] = d.type[i]; S.country[i] = d.country[i]; S.admin1[i] = d.admin1[i];
      S.a1[i] = d.actor1[i]; S.a2[i] = d.actor2[i];
      S.x1[i] = d.assoc1 ? d.assoc1[i] : -1; S.x2[i] = d.assoc2 ? d.assoc2[i] : -1; S.fat[i] = d.fatalities[i] || 0;
      S.slot[i] = d.type[i] >= 0 ? slotOfValue[d.type[i]] : OTHER;
    }
    S.sel = new Int32Array(n);
  }

  function countBy(col) {
    var m = new Map();
    for (var i = 0; i < S.n; i++) { var v = col[i]; if (v >= 0) m.set(v, (m.get(v) || 0) + 1); }
    return m;
  }
  function setOptions(select, first, entries, keep) {
    clear(select);
    select.append(el('option', { value: '' }, first));
    entries.forEach(function (e) { select.append(el('option', { value: e[0] }, e[1])); });
    select.value = keep != null && keep >= 0 ? String(keep) : '';
    if (select.value === '' && keep >= 0) {
      // a value from the URL that is not in the data: keep it selectable
      select.append(el('option', { value: keep }, val(keep)));
      select.value = String(keep);
    }
  }
  function fillChoices() {
    var types = countBy(S.type), countries = countBy(S.country);
    var byName = function (a, b) { return S.values[a[0]].localeCompare(S.values[b[0]]); };
    setOptions($('f-type'), 'All types', Array.from(types).sort(byName).map(function (e) {
      return [e[0], S.values[e[0]] + ' (' + fmtInt(e[1]) + ')']; }), S.f.type);
    setOptions($('f-country'), 'All countries', Array.from(countries).sort(byName).map(function (e) {
      return [e[0], S.values[e[0]] + ' (' + fmtInt(e[1]) + ')']; }), S.f.country);
    fillAdmin1();
    var actors = new Map();
    for (var i = 0; i < S.n; i++) {
      if (S.a1[i] >= 0) actors.set(S.a1[i], (actors.get(S.a1[i]) || 0) + 1);
      if (S.a2[i] >= 0) actors.set(S.a2[i], (actors.get(S.a2[i]) || 0) + 1);
    }
    var dl = $('actor-list'); clear(dl);
    Array.from(actors).sort(function (a, b) { return b[1] - a[1]; }).slice(0, 400).forEach(function (e) {
      dl.append(el('option', { value: S.values[e[0]] }));
    });
  }
  function fillAdmin1() {
    var m = new Map();
    for (var i = 0; i < S.n; i++) {
      if (S.admin1[i] < 0) continue;
      if (S.f.country >= 0 && S.country[i] !== S.f.country) continue;
      m.set(S.admin1[i], (m.get(S.admin1[i]) || 0) + 1);
    }
    var entries = Array.from(m).sort(function (a, b) { return S.values[a[0]].localeCompare(S.values[b[0]]); });
    if (S.f.country < 0 && entries.length > 600) entries = entries.sort(function (a, b) { return b[1] - a[1]; }).slice(0, 600);
    setOptions($('f-admin1'), S.f.country >= 0 ? 'All regions' : 'All regions (pick a country first for all)',
      entries.map(function (e) { return [e[0], S.values[e[0]] + ' (' + fmtInt(e[1]) + ')']; }), S.f.admin1);
  }

  // -- filtering (all in memory; the text filter asks the server) ---------------------------------
  function actorMask(q) {
    if (!q) return null;
    q = q.toLowerCase();
    var mask = new Uint8Array(S.values.length);
    for (var v = 0; v < S.values.length; v++) if (S.values[v].toLowerCase().indexOf(q) >= 0) mask[v] = 1;
    return mask;
  }

  var legendCounts = new Int32Array(NSLOT);
  function recompute() {
    var f = S.f, am = actorMask(f.actor);
    var from = f.from == null ? -Infinity : f.from, to = f.to == null ? Infinity : f.to;
    var nb = TL.nbins, counts = new Int32Array(Math.max(1, nb) * NSLOT);
    legendCounts = new Int32Array(NSLOT);
    var k = 0, fat = 0;
    for (var i = 0; i < S.n; i++) {
      if (f.country >= 0 && S.country[i] !== f.country) continue;
      if (f.admin1 >= 0 && S.admin1[i] !== f.admin1) continue;
      if (am && !((S.a1[i] >= 0 && am[S.a1[i]]) || (S.a2[i] >= 0 && am[S.a2[i]]) ||
                  (S.x1[i] >= 0 && am[S.x1[i]]) || (S.x2[i] >= 0 && am[S.x2[i]]))) continue;
      var d = S.day[i], okDate = d !== NONE ? d >= from && d <= to : f.from == null && f.to == null;
      var okType = f.type < 0 || S.type[i] === f.type;
      if (okType && d !== NONE && nb) counts[S.bin[i] * NSLOT + S.slot[i]]++;
      if (okDate) legendCounts[S.slot[i]]++;
      if (okDate && okType) { S.sel[k++] = i; fat += S.fat[i]; }
    }
    S.selCount = k; S.selFat = fat;
    TL.counts = counts;
    drawTimeline();
    drawLegend();
    rebuildIndex();
    summary();
    saveHash();
  }

  function summary() {
    var s = fmtInt(S.selCount) + ' events · ' + fmtInt(S.selFat) + ' fatalities';
    if (S.selCount !== S.n) s += ' (of ' + fmtInt(S.n) + ')';
    if (S.mapped != null && S.mapped < S.selCount) s += ' · ' + fmtInt(S.selCount - S.mapped) + ' without coordinates';
    $('summary').textContent = s;
  }

  function drawLegend() {
    var ul = $('legend'); clear(ul);
    var selName = S.f.type >= 0 ? S.values[S.f.type] : null;
    TYPES.concat(['Other']).forEach(function (name, slot) {
      if (slot === OTHER && !legendCounts[slot]) return;
      var li = el('li', { class: selName === name ? 'on' : (selName ? 'off' : ''), role: 'button', tabindex: '0',
        title: 'Show only ' + name },
        el('span', { class: 'swatch' }), el('span', null, name), el('span', { class: 'count' }, fmtInt(legendCounts[slot])));
      li.firstChild.style.background = COLORS[slot];
      var pick = function () {
        var ix = S.values.indexOf(name);
        S.f.type = (S.f.type >= 0 && S.f.type === ix) || ix < 0 ? -1 : ix;
        $('f-type').value = S.f.type >= 0 ? String(S.f.type) : '';
        recompute();
      };
      li.addEventListener('click', pick);
      li.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(); } });
      ul.append(li);
    });
  }

  function fitToData() {
    var lats = [], lons = [];
    for (var k = 0; k < S.selCount; k += Math.max(1, Math.floor(S.selCount / 5000))) {
      var i = S.sel[k];
      if (!isNaN(S.lat[i])) { lats.push(S.lat[i]); lons.push(S.lon[i]); }
    }
    if (!lats.length) return;
    lats.sort(function (a, b) { return a - b; }); lons.sort(function (a, b) { return a - b; });
    var q = function (a, p) { return a[Math.min(a.length - 1, Math.max(0, Math.round(p * (a.length - 1))))]; };
    var sw = [q(lats, 0.01), q(lons, 0.01)], ne = [q(lats, 0.99), q(lons, 0.99)];
    if (sw[0] === ne[0] && sw[1] === ne[1]) map.setView(sw, 7);
    else map.fitBounds([sw, ne], { padding: [20, 20], maxZoom: 8 });
  }

  // -- the timeline --------------------------------------------------------------------------------
  var TL = { canvas: $('timeline'), nbins: 0, min: 0, max: 0, unit: 'week', counts: null, drag: null };
  var PAD_L = 34, PAD_B = 16;

  function monthIndex(day) { var t = new Date(day * DAY_MS); return t.getUTCFullYear() * 12 + t.getUTCMonth(); }
  function setupTimeline() {
    var min = Infinity, max = -Infinity;
    for (var i = 0; i < S.n; i++) { var d = S.day[i]; if (d === NONE) continue; if (d < min) min = d; if (d > max) max = d; }
    S.bin = new Int32Array(S.n);
    if (min === Infinity) { TL.nbins = 0; return; }
    var span = max - min + 1;
    TL.unit = span <= 120 ? 'day' : span <= 3 * 366 ? 'week' : 'month';
    if (TL.unit === 'day') { TL.min = min; TL.nbins = span; }
    else if (TL.unit === 'week') { TL.min = min - ((min + 3) % 7); TL.nbins = Math.floor((max - TL.min) / 7) + 1; } // weeks start Monday
    else { TL.m0 = monthIndex(min); TL.min = min; TL.nbins = monthIndex(max) - TL.m0 + 1; }
    TL.dataMin = min; TL.dataMax = max;
    for (var j = 0; j < S.n; j++) { if (S.day[j] !== NONE) S.bin[j] = binOf(S.day[j]); }
    $('timeline-label').textContent = 'Events per ' + TL.unit + ' · drag to pick dates';
  }
  function binOf(d) {
    if (TL.unit === 'day') return d - TL.min;
    if (TL.unit === 'week') return Math.floor((d - TL.min) / 7);
    return monthIndex(d) - TL.m0;
  }
  function binStart(b) {
    if (TL.unit === 'day') return TL.min + b;
    if (TL.unit === 'week') return TL.min + 7 * b;
    var m = TL.m0 + b; return Math.round(Date.UTC(Math.floor(m / 12), m % 12, 1) / DAY_MS);
  }
  function binEnd(b) { return binStart(b + 1) - 1; }
  function geom() {
    var c = TL.canvas, w = c.clientWidth, h = c.clientHeight;
    return { w: w, h: h, x0: PAD_L, x1: w - 6, y0: 4, y1: h - PAD_B, bw: (w - 6 - PAD_L) / Math.max(1, TL.nbins) };
  }
  function xToDay(x) {
    var g = geom(), b = Math.floor((x - g.x0) / g.bw);
    b = Math.max(0, Math.min(TL.nbins - 1, b));
    return { start: binStart(b), end: binEnd(b) };
  }
  function dayToX(d, end) {
    var g = geom(), b = binOf(d);
    return g.x0 + (b + (end ? 1 : 0)) * g.bw;
  }
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function drawTimeline() {
    var c = TL.canvas, dpr = window.devicePixelRatio || 1, g = geom();
    if (!g.w || !g.h) return;
    if (c.width !== Math.round(g.w * dpr) || c.height !== Math.round(g.h * dpr)) {
      c.width = Math.round(g.w * dpr); c.height = Math.round(g.h * dpr);
    }
    var ctx = c.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, g.w, g.h);
    ctx.font = '10px system-ui, sans-serif';
    ctx.fillStyle = '#5d6873';
    if (!TL.nbins || !TL.counts) { ctx.fillText('No dated events', g.x0, g.h / 2); return; }
    var max = 0, tot = new Int32Array(TL.nbins);
    for (var b = 0; b < TL.nbins; b++) {
      var s = 0; for (var t = 0; t < NSLOT; t++) s += TL.counts[b * NSLOT + t];
      tot[b] = s; if (s > max) max = s;
    }
    var H = g.y1 - g.y0, gap = g.bw > 4 ? 1 : 0;
    for (b = 0; b < TL.nbins; b++) {
      if (!tot[b]) continue;
      var y = g.y1, x = g.x0 + b * g.bw;
      for (t = 0; t < NSLOT; t++) {
        var v = TL.counts[b * NSLOT + t]; if (!v) continue;
        var hh = v / max * H; ctx.fillStyle = COLORS[t]; ctx.fillRect(x, y - hh, Math.max(1, g.bw - gap), hh); y -= hh;
      }
    }
    // axes
    ctx.fillStyle = '#5d6873'; ctx.strokeStyle = '#d5dae0'; ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(g.x0, g.y1 + 0.5); ctx.lineTo(g.x1, g.y1 + 0.5); ctx.stroke();
    ctx.textAlign = 'right'; ctx.fillText(short(max), g.x0 - 4, g.y0 + 8); ctx.fillText('0', g.x0 - 4, g.y1);
    ctx.textAlign = 'center';
    var lastX = -1e9, m0 = monthIndex(binStart(0)), m1 = monthIndex(binEnd(TL.nbins - 1));
    var step = Math.max(1, Math.ceil((m1 - m0 + 1) * 46 / Math.max(1, g.x1 - g.x0)));
    for (var m = m0; m <= m1; m++) {
      if ((m % 12) % step && m % 12) continue;
      var d = Math.round(Date.UTC(Math.floor(m / 12), m % 12, 1) / DAY_MS);
      if (d < binStart(0)) continue;
      var xx = dayToX(d);
      if (xx - lastX < 40) continue;
      lastX = xx;
      ctx.beginPath(); ctx.moveTo(xx + 0.5, g.y1); ctx.lineTo(xx + 0.5, g.y1 + 4); ctx.stroke();
      ctx.fillText(m % 12 === 0 || m === m0 ? MONTHS[m % 12] + ' ' + Math.floor(m / 12) : MONTHS[m % 12], xx, g.h - 3);
    }
    // the brush
    if (S.f.from != null || S.f.to != null) {
      var bx0 = S.f.from != null ? Math.max(g.x0, dayToX(S.f.from)) : g.x0;
      var bx1 = S.f.to != null ? Math.min(g.x1, dayToX(S.f.to, true)) : g.x1;
      ctx.fillStyle = 'rgba(246,247,249,0.72)';
      ctx.fillRect(g.x0, 0, Math.max(0, bx0 - g.x0), g.y1);
      ctx.fillRect(bx1, 0, Math.max(0, g.x1 - bx1), g.y1);
      ctx.strokeStyle = '#1f5f99'; ctx.lineWidth = 2;
      ctx.strokeRect(bx0, 1, Math.max(2, bx1 - bx0), g.y1 - 1);
    }
    $('brush-clear').hidden = S.f.from == null && S.f.to == null;
  }

  var pending = null;
  function schedule() {       // while brushing: redraw now, recluster at most every 120 ms
    drawTimeline();
    if (pending) return;
    pending = setTimeout(function () { pending = null; recompute(); }, 120);
  }
  TL.canvas.addEventListener('pointerdown', function (e) {
    if (!TL.nbins) return;
    TL.canvas.setPointerCapture(e.pointerId);
    var x = e.offsetX;
    TL.drag = { x: x, day: xToDay(x), moved: false };
  });
  TL.canvas.addEventListener('pointermove', function (e) {
    if (!TL.drag) { hoverTitle(e.offsetX); return; }
    if (Math.abs(e.offsetX - TL.drag.x) < 3 && !TL.drag.moved) return;
    TL.drag.moved = true;
    var a = TL.drag.day, b = xToDay(e.offsetX);
    setDates(Math.min(a.start, b.start), Math.max(a.end, b.end));
    schedule();
  });
  function hoverTitle(x) {        // the native tooltip names the period under the pointer and its count
    if (!TL.nbins || !TL.counts) return;
    var g = geom(), b = Math.floor((x - g.x0) / g.bw);
    if (b < 0 || b >= TL.nbins) { TL.canvas.title = ''; return; }
    var n = 0;
    for (var t = 0; t < NSLOT; t++) n += TL.counts[b * NSLOT + t];
    var label = TL.unit === 'month' ? dayISO(binStart(b)).slice(0, 7) : (TL.unit === 'week' ? 'week of ' : '') + dayISO(binStart(b));
    TL.canvas.title = label + ': ' + fmtInt(n) + ' events';
  }
  function endDrag(e) {
    if (!TL.drag) return;
    var d = TL.drag; TL.drag = null;
    if (!d.moved) {            // a click: select that one period, or clear when it is selected
      var p = d.day;
      if (S.f.from === p.start && S.f.to === p.end) setDates(null, null);
      else setDates(p.start, p.end);
    }
    clearTimeout(pending); pending = null;
    recompute();
  }
  TL.canvas.addEventListener('pointerup', endDrag);
  TL.canvas.addEventListener('pointercancel', endDrag);
  $('brush-clear').addEventListener('click', function () { setDates(null, null); recompute(); });
  function setDates(from, to) {
    S.f.from = from; S.f.to = to;
    $('f-from').value = from != null ? dayISO(from) : '';
    $('f-to').value = to != null ? dayISO(to) : '';
  }
  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { drawTimeline(); map.invalidateSize(); }, 100);
  });

  // -- filters form ------------------------------------------------------------------------------
  function intOr(v) { return v === '' ? -1 : parseInt(v, 10); }
  $('f-type').addEventListener('change', function () { S.f.type = intOr(this.value); recompute(); });
  $('f-country').addEventListener('change', function () {
    S.f.country = intOr(this.value); S.f.admin1 = -1; fillAdmin1(); recompute();
  });
  $('f-admin1').addEventListener('change', function () { S.f.admin1 = intOr(this.value); recompute(); });
  var actorTimer = null;
  $('f-actor').addEventListener('input', function () {
    var v = this.value.trim();
    clearTimeout(actorTimer);
    actorTimer = setTimeout(function () { S.f.actor = v; recompute(); }, 250);
  });
  function dateInput() {
    var a = $('f-from').value ? isoDay($('f-from').value) : null;
    var b = $('f-to').value ? isoDay($('f-to').value) : null;
    if (a != null && b != null && a > b) { var t = a; a = b; b = t; }
    S.f.from = a; S.f.to = b; recompute();
  }
  $('f-from').addEventListener('change', dateInput);
  $('f-to').addEventListener('change', dateInput);
  $('filter-form').addEventListener('submit', function (e) {
    e.preventDefault();
    S.f.actor = $('f-actor').value.trim();
    var text = $('f-text').value.trim();
    S.f.text = text;
    if (text !== S.loadedText) loadPoints(text, true); else recompute();
    if (window.matchMedia('(max-width: 760px)').matches) toggleFilters(false);
  });
  $('f-reset').addEventListener('click', function () {
    S.f = { from: null, to: null, type: -1, country: -1, admin1: -1, actor: '', text: '' };
    $('filter-form').reset();
    setDates(null, null);
    if (S.loadedText) loadPoints('', true);
    else { fillChoices(); recompute(); }
  });
  function toggleFilters(open) {
    var f = $('filters'), on = open == null ? !f.classList.contains('open') : open;
    f.classList.toggle('open', on);
    $('toggle-filters').setAttribute('aria-expanded', on ? 'true' : 'false');
  }
  $('toggle-filters').addEventListener('click', function () { toggleFilters(); });

  // -- the state in the address, so a view can be shared -------------------------------------------
  function saveHash() {
    var p = new URLSearchParams(), f = S.f;
    if (f.from != null) p.set('from', dayISO(f.from));
    if (f.to != null) p.set('to', dayISO(f.to));
    if (f.type >= 0) p.set('type', S.values[f.type]);
    if (f.country >= 0) p.set('country', S.values[f.country]);
    if (f.admin1 >= 0) p.set('admin1', S.values[f.admin1]);
    if (f.actor) p.set('actor', f.actor);
    if (f.text) p.set('text', f.text);
    var h = p.toString();
    if (('#' + h) !== location.hash && (h || location.hash)) history.replaceState(null, '', h ? '#' + h : location.pathname);
  }
  var wanted = new URLSearchParams(location.hash.slice(1));
  function applyWanted() {       // names from the address -> indexes, once the values are known
    var ix = function (k) { var v = wanted.get(k); return v ? S.values.indexOf(v) : -1; };
    S.f.type = ix('type'); S.f.country = ix('country'); S.f.admin1 = ix('admin1');
    S.f.actor = wanted.get('actor') || '';
    var from = wanted.get('from') || wanted.get('date_from'), to = wanted.get('to') || wanted.get('date_to');
    setDates(from ? isoDay(from) : null, to ? isoDay(to) : null);
    $('f-actor').value = S.f.actor;
    $('f-text').value = S.f.text;
  }

  // -- export of the current selection ------------------------------------------------------------
  function serverQuery() {
    var p = new URLSearchParams(), f = S.f;
    if (f.type >= 0) p.set('type', S.values[f.type]);
    if (f.country >= 0) p.set('country', S.values[f.country]);
    if (f.admin1 >= 0) p.set('admin1', S.values[f.admin1]);
    if (f.actor) p.set('actor', f.actor);
    if (f.from != null) p.set('from', dayISO(f.from));
    if (f.to != null) p.set('to', dayISO(f.to));
    if (S.loadedText) p.set('text', S.loadedText);
    return p;
  }
  function exportAs(fmt) {
    var p = serverQuery();
    p.set('format', fmt); p.set('limit', '100000');
    banner('Preparing ' + fmtInt(S.selCount) + ' events…', true);
    api('/events?' + p.toString()).then(function (r) { return r.blob(); }).then(function (blob) {
      var a = el('a', { download: 'conflictatlas-events.' + (fmt === 'csv' ? 'csv' : 'geojson') });
      a.href = URL.createObjectURL(blob);
      document.body.append(a); a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 2000);
      banner('', true);
    }).catch(function (e) { banner('Export failed: ' + e.message); });
  }
  $('export-csv').addEventListener('click', function () { exportAs('csv'); });
  $('export-geojson').addEventListener('click', function () { exportAs('geojson'); });

  // -- the event panel ------------------------------------------------------------------------------
  var panel = $('panel'), body = $('panel-body');
  $('panel-close').addEventListener('click', closePanel);
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape' && !panel.hidden) closePanel(); });
  function closePanel() { panel.hidden = true; S.selectedId = null; renderMarkers(); }
  function openPanel(title) { panel.hidden = false; $('panel-title').textContent = title; clear(body); }

  function showList(idx, total) {
    openPanel(fmtInt(total) + ' events here');
    var ul = el('ul', { class: 'members' });
    idx.sort(function (a, b) { return S.day[b] - S.day[a]; }).forEach(function (i) {
      ul.append(el('li', null, el('button', { type: 'button', onclick: function () { openEvent(S.ids[i]); } },
        (S.day[i] !== NONE ? dayISO(S.day[i]) : 'undated') + ' · ' + typeName(i) + ' · ' + val(S.a1[i]) +
        (S.fat[i] ? ' · ' + S.fat[i] + ' killed' : ''))));
    });
    body.append(ul);
    if (total > idx.length) body.append(el('p', { class: 'hint' }, 'Showing ' + idx.length + ' of ' + fmtInt(total) + '.'));
  }

  function openEvent(id) {
    S.selectedId = id;
    renderMarkers();
    openPanel('Loading event…');
    return api('/events/' + encodeURIComponent(id)).then(function (r) { return r.json(); })
      .then(renderEvent)
      .catch(function (e) { $('panel-title').textContent = 'Could not load the event'; body.append(el('p', null, e.message)); });
  }

  function fact(dl, label, value) {
    if (value == null || value === '') return;
    dl.append(el('dt', null, label), el('dd', null, value));
  }

  function evidenceList(evidence, source) {     // {field: [Evidence]} -> [{field, source, sentence, start, end, text}]
    var out = [], e = evidence || {};
    Object.keys(e).forEach(function (field) {
      (Array.isArray(e[field]) ? e[field] : [e[field]]).forEach(function (x) {
        if (x && typeof x === 'object') out.push({ field: field, source: x.source != null ? x.source : source,
          sentence: String(x.sentence || ''), start: x.start, end: x.end, text: String(x.text || '') });
      });
    });
    return out;
  }

  // the sentences of one source, each with the evidence for the event's fields highlighted
  function evidenceSentences(container, evs, fallback) {
    var groups = new Map();
    evs.forEach(function (x) {
      if (!groups.has(x.sentence)) groups.set(x.sentence, []);
      groups.get(x.sentence).push(x);
    });
    if (!groups.size && fallback) groups.set(String(fallback), []);
    groups.forEach(function (items, sentence) {
      var ranges = [], fields = [];
      items.forEach(function (x) {
        if (fields.indexOf(x.field) < 0) fields.push(x.field);
        var at = x.text ? sentence.indexOf(x.text) : -1;
        if (at >= 0) ranges.push({ start: at, end: at + x.text.length, field: x.field });
      });
      var p = highlighted(el('p', { class: 'sentence' }), sentence, ranges);
      if (fields.length) p.append(el('span', { class: 'fields' }, 'evidence for: ' + fields.join(', ').replace(/_/g, ' ')));
      container.append(p);
    });
  }

  // text + [{start, end, field}] -> nodes, marks made with textContent only
  function highlighted(container, text, ranges) {
    ranges = ranges.filter(function (r) { return r.start >= 0 && r.end > r.start && r.end <= text.length; })
      .sort(function (a, b) { return a.start - b.start || b.end - a.end; });
    var pos = 0;
    ranges.forEach(function (r) {
      if (r.start < pos) return;
      container.append(document.createTextNode(text.slice(pos, r.start)));
      var m = el('mark', { class: 'ev', 'data-field': r.field, title: r.field.replace(/_/g, ' ') }, text.slice(r.start, r.end));
      container.append(m);
      pos = r.end;
    });
    container.append(document.createTextNode(text.slice(pos)));
    return container;
  }

  function renderEvent(ev) {
    var title = (ev.sub_event_type || ev.event_type || 'Event') + (ev.location ? ' in ' + ev.location : '');
    openPanel(title);
    var dl = el('dl', { class: 'facts' });
    var chip = el('span', { class: 'type-chip' }, el('span', { class: 'swatch' }), ev.event_type || 'Unknown type');
    chip.firstChild.style.background = COLORS[typeSlot(ev.event_type)];
    fact(dl, 'Type', chip);
    fact(dl, 'Sub-type', ev.sub_event_type);
    fact(dl, 'Date', (ev.event_date || '') + (ev.time_precision ? ' (precision ' + ev.time_precision + ')' : ''));
    fact(dl, 'Actor 1', ev.actor1 ? ev.actor1 + (ev.inter1 ? ' · ' + ev.inter1 : '') : null);
    fact(dl, 'Actor 2', ev.actor2 ? ev.actor2 + (ev.inter2 ? ' · ' + ev.inter2 : '') : null);
    fact(dl, 'Location', [ev.location, ev.admin2, ev.admin1, ev.country].filter(Boolean).join(', '));
    if (ev.latitude != null) fact(dl, 'Point', Number(ev.latitude).toFixed(4) + ', ' + Number(ev.longitude).toFixed(4) +
      (ev.geo_precision ? ' (precision ' + ev.geo_precision + ')' : ''));
    fact(dl, 'Fatalities', ev.fatalities != null ? String(ev.fatalities) : null);
    if (ev.civilian_targeting) fact(dl, 'Civilians', ev.civilian_targeting);
    if (ev.confidence != null) fact(dl, 'Confidence', String(ev.confidence));
    fact(dl, 'Id', String(ev.id));
    body.append(dl);

    var sources = Array.isArray(ev.sources) ? ev.sources : [];
    body.append(el('h3', null, sources.length === 1 ? 'Source' : sources.length + ' sources'));
    if (!sources.length && ev.notes) body.append(el('p', { class: 'sentence' }, ev.notes));
    sources.forEach(function (s) {
      var src = typeof s === 'object' && s ? s : { article_id: s };
      var box = el('div', { class: 'source' });
      box.append(el('div', null, el('strong', null, src.title || src.outlet || String(src.article_id || 'Source'))));
      var meta = [src.outlet, src.published, src.merge_reason].filter(Boolean).join(' · ');
      if (meta) box.append(el('div', { class: 'meta' }, meta));
      var url = safeUrl(src.url);
      if (url) box.append(el('div', { class: 'meta' }, el('a', { href: url, target: '_blank', rel: 'noopener noreferrer nofollow' }, url)));
      var evs = evidenceList(src.evidence, src.article_id);
      evidenceSentences(box, evs, src.sentence);
      if (src.article_id != null) {
        var btn = el('button', { type: 'button', class: 'btn small' }, 'Read the article');
        btn.addEventListener('click', function () { showArticle(box, src.article_id, evs, btn); });
        box.append(btn);
      }
      body.append(box);
    });

    var claims = Array.isArray(ev.claims) ? ev.claims : [];
    if (claims.length) {
      body.append(el('h3', null, 'Claims'));
      var ul = el('ul', { class: 'claims' });
      claims.forEach(function (c) {
        if (!c || typeof c !== 'object') { ul.append(el('li', null, String(c))); return; }
        var v = c.value != null && typeof c.value === 'object' ? JSON.stringify(c.value) : c.value;
        var li = el('li', null, el('strong', null, String(c.field || 'claim').replace(/_/g, ' ') + ': '),
          v != null ? String(v) : '', c.said_by ? ' — ' + c.said_by : '',
          c.chosen ? ' (used)' : '', c.revision ? ' (revised)' : '', c.credible === false ? ' (doubtful)' : '');
        ul.append(li);
      });
      body.append(ul);
    }

    var expl = ev.explanation;
    if (expl != null && expl !== '' && !(Array.isArray(expl) && !expl.length)) {
      body.append(el('h3', null, 'Why these values'));
      if (Array.isArray(expl)) {
        var ol = el('ul', { class: 'claims' });
        expl.forEach(function (x) { ol.append(el('li', null, typeof x === 'string' ? x : JSON.stringify(x))); });
        body.append(ol);
      } else body.append(el('div', { class: 'explain' }, typeof expl === 'string' ? expl : JSON.stringify(expl, null, 2)));
    }
    var hist = Array.isArray(ev.history) ? ev.history : [];
    if (hist.length > 1) {
      body.append(el('h3', null, 'History'));
      var hl = el('ul', { class: 'claims' });
      hist.forEach(function (h) {
        var d = h.detail && typeof h.detail === 'object' ? (h.detail.why || (h.detail.field ? h.detail.field + ': ' +
          h.detail.old + ' → ' + h.detail.new : '')) : '';
        hl.append(el('li', null, String(h.action || '') + (d ? ' — ' + d : '') + (h.at ? ' · ' + String(h.at).slice(0, 10) : '')));
      });
      body.append(hl);
    }
  }

  function showArticle(box, id, evs, btn) {
    btn.disabled = true;
    api('/articles/' + encodeURIComponent(id)).then(function (r) { return r.json(); }).then(function (a) {
      var text = String(a.text || '');
      var ranges = [];
      evs.forEach(function (x) {
        if (typeof x.start === 'number' && text.slice(x.start, x.end) === x.text) ranges.push({ start: x.start, end: x.end, field: x.field });
        else if (x.text) { var at = text.indexOf(x.text); if (at >= 0) ranges.push({ start: at, end: at + x.text.length, field: x.field }); }
      });
      box.append(highlighted(el('div', { class: 'article' }), text, ranges));
      btn.remove();
    }).catch(function (e) { btn.disabled = false; box.append(el('p', { class: 'meta' }, e.message)); });
  }

  // -- a handle for tests and the console --------------------------------------------------------
  window.conflictatlas = {
    map: map, state: S, openEvent: openEvent,
    shown: function () { return { clusters: shown.clusters, points: shown.points, events: shown.events }; },
    selected: function () { return S.selCount; },
    timings: function () { return S.timings; }
  };

  S.f.text = wanted.get('text') || '';
  loadPoints(S.f.text).then(function () {
    if (Array.from(wanted.keys()).length) { applyWanted(); fillChoices(); recompute(); }
  });
})();
