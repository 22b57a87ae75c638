// A plain SVG plot of the district, drawn from coordinates alone (no tiles, nothing fetched): the 13
// upazila centres as labelled dots, the user's position, and numbered markers for the results.

import { digits, language, t } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 340;
const PAD_DEG = 0.035;
const KM_PER_DEG_LAT = 111.32;

function node(name, attributes, text) {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

function bounds(points) {
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  return {
    minLat: Math.min(...lats) - PAD_DEG,
    maxLat: Math.max(...lats) + PAD_DEG,
    minLon: Math.min(...lons) - PAD_DEG,
    maxLon: Math.max(...lons) + PAD_DEG,
  };
}

/** Redraw `svg`; `results` are [{lat, lon}] in list order (marker n is result n). */
export function drawMap(svg, { upazilas, user, results }) {
  const points = [...upazilas, ...(user ? [user] : []), ...results];
  if (points.length === 0) return;
  const box = bounds(points);
  // Equirectangular, with longitude shrunk by cos(latitude) so a kilometre is as long both ways.
  const xScale = Math.cos((((box.minLat + box.maxLat) / 2) * Math.PI) / 180);
  const unitsPerDeg = WIDTH / ((box.maxLon - box.minLon) * xScale);
  const height = Math.round((box.maxLat - box.minLat) * unitsPerDeg);
  const x = (lon) => (lon - box.minLon) * xScale * unitsPerDeg;
  const y = (lat) => (box.maxLat - lat) * unitsPerDeg;

  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${WIDTH} ${height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", t("mapLabel", digits(results.length)));
  svg.append(node("rect", { x: 0, y: 0, width: WIDTH, height, class: "map-bg", rx: 8 }));

  for (const u of upazilas) {
    const cx = x(u.lon);
    const cy = y(u.lat);
    const rightSide = cx > WIDTH * 0.72;
    svg.append(node("circle", { cx, cy, r: 3.5, class: "map-upazila" }));
    svg.append(
      node(
        "text",
        { x: rightSide ? cx - 6 : cx + 6, y: cy + 3.5, class: "map-label", "text-anchor": rightSide ? "end" : "start" },
        language() === "en" ? u.en : u.bn,
      ),
    );
  }

  results
    .map((r, i) => ({ ...r, n: i + 1 }))
    .reverse() // the nearest drawn last, on top
    .forEach((r) => {
      const group = node("g", { class: "map-result", "data-n": r.n });
      group.append(node("circle", { cx: x(r.lon), cy: y(r.lat), r: 8 }));
      group.append(node("text", { x: x(r.lon), y: y(r.lat) + 3.5, "text-anchor": "middle" }, digits(r.n)));
      svg.append(group);
    });

  if (user) {
    svg.append(node("circle", { cx: x(user.lon), cy: y(user.lat), r: 11, class: "map-user-halo" }));
    svg.append(node("circle", { cx: x(user.lon), cy: y(user.lat), r: 6, class: "map-user" }));
  }

  // A 10 km scale bar, bottom left.
  const tenKm = (10 / KM_PER_DEG_LAT) * unitsPerDeg;
  svg.append(node("line", { x1: 10, y1: height - 12, x2: 10 + tenKm, y2: height - 12, class: "map-scale" }));
  svg.append(
    node("text", { x: 10, y: height - 17, class: "map-label" }, language() === "en" ? "10 km" : `${digits(10)} কিমি`),
  );
}
