// The map, a module of its own (Leaflet, its cluster plugin and this file, built into map-*.js): the app
// loads it only when a map is about to be seen, so the first results never wait for it.
//
// Without a tile server it is still a useful map: the 13 upazila centres with their names, the citizen,
// and the results; with MAP_TILE_URL set (served to the page by search-service) the streets come under
// them, and if the tiles fail to arrive the same points stay. Words and digits come from the app's own
// i18n (passed in, so the language switch reaches the map).

import L from "leaflet";
import "leaflet.markercluster";
import "leaflet/dist/leaflet.css";
import "leaflet.markercluster/dist/MarkerCluster.css";
import "./map.css";

const DISTRICT_MAX_ZOOM = 17;

function node(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * A map in `container`. `text` = {t, digits, name(upazila)}; `tiles` = {url, attribution, max_zoom} or null.
 * Returns {show({user, points}), refresh()}; points are [{lat, lon, n, kind, card: () => Node}].
 */
export function createMap(container, { upazilas, tiles, text }) {
  const map = L.map(container, {
    zoomSnap: 0.5,
    attributionControl: Boolean(tiles),
    maxZoom: tiles ? tiles.max_zoom || 18 : DISTRICT_MAX_ZOOM,
  });
  if (map.attributionControl) map.attributionControl.setPrefix(false);
  // Panes, bottom to top: upazila dots, the citizen, results (Leaflet's marker pane at 600), upazila
  // names (never hidden under a pile of markers; taps go through them), popups (700).
  map.createPane("upazilas").style.zIndex = 450;
  map.createPane("you").style.zIndex = 550;
  const names = map.createPane("upazila-names");
  names.style.zIndex = 640;
  names.style.pointerEvents = "none";

  const note = node("p", "map-note");
  note.hidden = true;
  container.parentElement.append(note);

  if (tiles) {
    const layer = L.tileLayer(tiles.url, { attribution: tiles.attribution || "", maxZoom: tiles.max_zoom || 18, crossOrigin: false });
    layer.on("tileerror", () => {
      note.textContent = text.t("tilesFailed");
      note.hidden = false;
    });
    layer.addTo(map);
  } else {
    container.classList.add("no-tiles");
  }

  const labels = [];
  const upazilaLayer = L.layerGroup(
    upazilas.map((u) => {
      const dot = L.circleMarker([u.lat, u.lon], { pane: "upazilas", radius: 5, className: "upazila-dot", interactive: false });
      const label = node("span", "upazila-name", text.name(u));
      labels.push([label, u]);
      dot.bindTooltip(L.tooltip({ permanent: true, direction: "right", offset: [6, 0], className: "upazila-label", pane: "upazila-names" }).setContent(label));
      return dot;
    }),
  ).addTo(map);

  const clusters = L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 40,
    spiderfyOnMaxZoom: true,
    iconCreateFunction: (cluster) =>
      L.divIcon({ html: node("span", "", text.digits(cluster.getChildCount())), className: "result-cluster", iconSize: [36, 36] }),
  }).addTo(map);
  let you = null;
  let lastShown = null;

  function show({ user, points }) {
    lastShown = { user, points };
    clusters.clearLayers();
    if (you) you.remove();
    you = user ? L.circleMarker([user.lat, user.lon], { pane: "you", radius: 8, className: "you-dot", interactive: false }).addTo(map) : null;
    const markers = points.map((p) => {
      const number = node("span", "", text.digits(p.n));
      number.dataset.n = String(p.n);
      const icon = L.divIcon({
        html: number,
        className: `result-marker ${p.kind}`,
        iconSize: [30, 30],
      });
      const marker = L.marker([p.lat, p.lon], { icon, keyboard: true, title: String(p.n), riseOnHover: true });
      marker.bindPopup(() => p.card(), { maxWidth: 280, minWidth: 220, className: "card-popup", autoPanPaddingTopLeft: [60, 12], autoPanPaddingBottomRight: [12, 12] });
      return marker;
    });
    clusters.addLayers(markers);
    const focus = points.length ? points.map((p) => [p.lat, p.lon]) : upazilas.map((u) => [u.lat, u.lon]);
    if (user) focus.push([user.lat, user.lon]);
    // Results 300 m apart still come apart: fit them (and the citizen), not the whole district.
    // Clear of the zoom buttons (top left), so no marker starts hidden under them.
    map.fitBounds(L.latLngBounds(focus), { paddingTopLeft: [64, 28], paddingBottomRight: [28, 28], maxZoom: points.length ? 16 : 11 });
  }

  /** After a language switch or a layout change (a tab shown again). */
  function refresh() {
    map.invalidateSize();
    for (const [label, u] of labels) label.textContent = text.name(u);
    if (lastShown) show(lastShown);
  }

  return { show, refresh, map, upazilaLayer };
}
