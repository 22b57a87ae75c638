// Where the citizen is: a link's coordinates, the phone's position (used at once when the browser
// already has permission, else kept for this session once they asked for it), the upazila they chose,
// or the district's first upazila (its sadar: search-service writes the configured district's upazilas
// into the page, the sadar first) assumed.

// `where`: what the person chose in this session ("upazila" or "forget"): their choice outranks the
// phone's position until the session ends or they tap 📍 again.
// `places`: what the server said of positions this session (place_at.js), by rounded position.
export const KEYS = { lang: "kg.lang", upazila: "kg.upazila", gps: "kg.gps", where: "kg.where", places: "kg.places" };

// The page carries no polygon, only the upazila towns; every place of the first district served lay
// within about 15 km of one (the largest upazilas are ~20 km across). 20 km keeps the haor edges in and
// the neighbouring district towns (Narsingdi, Mymensingh, Dhaka) out, but takes in the next district's
// villages across a border: a rough test, only for when the server's polygons cannot be asked.
export const DISTRICT_REACH_KM = 20;

function read(storage, key) {
  try {
    return storage.getItem(key);
  } catch {
    return null; // storage refused (private mode, blocked cookies): behave as if nothing was kept
  }
}

function write(storage, key, value) {
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, value);
  } catch {
    // nothing kept; the page still works for this visit
  }
}

export const remembered = (key) => read(localStorage, key);
export const remember = (key, value) => write(localStorage, key, value);

/** The phone's position kept for this session ({lat, lon}), or null. */
export function sessionGps() {
  try {
    const kept = JSON.parse(read(sessionStorage, KEYS.gps) || "null");
    return kept && Number.isFinite(kept.lat) && Number.isFinite(kept.lon) ? kept : null;
  } catch {
    return null;
  }
}

export function keepSessionGps(position) {
  const kept = position ? { lat: position.lat, lon: position.lon, accuracy: position.accuracy ?? null } : null;
  write(sessionStorage, KEYS.gps, kept ? JSON.stringify(kept) : null);
}

/** What the person chose this session instead of the phone's position: "upazila", "forget" or null. */
export const sessionChoice = () => read(sessionStorage, KEYS.where);
export const keepSessionChoice = (choice) => write(sessionStorage, KEYS.where, choice);

function haversineKm(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** Kilometres from `point` to the nearest upazila centre. */
export function kmToNearestUpazila(point, upazilas) {
  return Math.min(...upazilas.map((u) => haversineKm(point, u)));
}

export function insideDistrict(point, upazilas) {
  return upazilas.length === 0 || kmToNearestUpazila(point, upazilas) <= DISTRICT_REACH_KM;
}

// --- what the server said of a position (GET /v1/places/at, or a nearest answer's query.citizen_at)

const KEY_DECIMALS = 3; // about 110 m north–south and 100 m east–west here: within a phone fix's own error
const VERDICTS_KEPT = 30;

/** The position rounded to about 100 m, as text: the key its verdict is kept under. */
export const positionKey = (point) => `${Number(point.lat).toFixed(KEY_DECIMALS)},${Number(point.lon).toFixed(KEY_DECIMALS)}`;

/**
 * What the page keeps of a citizen_at answer: {inside, words: {bn, en} | null}, or null when `answer`
 * is not one (an older server, a field it does not know).
 */
export function verdictOf(answer) {
  if (!answer || typeof answer !== "object" || typeof answer.inside_district !== "boolean") return null;
  const words = typeof answer.bn === "string" && answer.bn ? { bn: answer.bn, en: typeof answer.en === "string" && answer.en ? answer.en : answer.bn } : null;
  return { inside: answer.inside_district, words };
}

let verdicts = null; // Map: position key → verdict, the oldest first; mirrored in sessionStorage

function keptVerdicts() {
  if (!verdicts) {
    verdicts = new Map();
    try {
      const kept = JSON.parse(read(sessionStorage, KEYS.places) || "[]");
      for (const [key, verdict] of Array.isArray(kept) ? kept : []) if (typeof key === "string" && verdict && typeof verdict.inside === "boolean") verdicts.set(key, verdict);
    } catch {
      // nothing usable kept
    }
  }
  return verdicts;
}

/** The server's verdict on `point` (or a position within about 100 m of it) this session, or null. */
export function keptVerdict(point) {
  return keptVerdicts().get(positionKey(point)) || null;
}

/** Keep what the server said of `point` (a citizen_at answer) for the session; returns the verdict, or null. */
export function keepVerdict(point, answer) {
  const verdict = verdictOf(answer);
  if (!verdict) return null;
  const kept = keptVerdicts();
  const key = positionKey(point);
  kept.delete(key); // re-added last: the oldest go first
  kept.set(key, verdict);
  while (kept.size > VERDICTS_KEPT) kept.delete(kept.keys().next().value);
  try {
    write(sessionStorage, KEYS.places, JSON.stringify([...kept]));
  } catch {
    // no session storage at all: kept for this page only
  }
  return verdict;
}

/** Whether `point` is in the district: what the server said of it this session, else the towns' circles. */
export function inDistrictAsKnown(point, upazilas) {
  const verdict = keptVerdict(point);
  return verdict ? verdict.inside : insideDistrict(point, upazilas);
}

/** The location the page starts with: {lat, lon, source: "given" | "gps" | "upazila" | "default", slug?, accuracy?}. */
export function initialLocation(upazilas, search = window.location.search) {
  const params = new URLSearchParams(search);
  const lat = parseFloat(params.get("lat"));
  const lon = parseFloat(params.get("lon"));
  if (Number.isFinite(lat) && Number.isFinite(lon) && inDistrictAsKnown({ lat, lon }, upazilas)) {
    return { lat, lon, source: "given" };
  }
  const gps = sessionGps();
  if (gps && inDistrictAsKnown(gps, upazilas)) return { lat: gps.lat, lon: gps.lon, accuracy: gps.accuracy, source: "gps" };
  const saved = remembered(KEYS.upazila);
  const chosen = upazilas.find((u) => u.slug === saved);
  if (chosen) return { lat: chosen.lat, lon: chosen.lon, source: "upazila", slug: chosen.slug };
  const sadar = upazilas[0];
  return { lat: sadar.lat, lon: sadar.lon, source: "default" };
}

/** Whether the page may use the phone's position without asking: a link's place, or an upazila the
 * person chose this session, comes first; otherwise only when the browser already has permission. */
export function mayUseGpsAtOnce(start) {
  return start.source !== "given" && !sessionChoice() && "geolocation" in navigator && "permissions" in navigator;
}

/**
 * The phone's position when permission was granted before: {lat, lon, accuracy} in metres, or null
 * (not granted, refused, or no fix within `timeoutMs`). Never prompts: a prompt is the 📍 button's.
 */
export async function grantedPosition(timeoutMs) {
  try {
    const status = await navigator.permissions.query({ name: "geolocation" });
    if (status.state !== "granted") return null;
  } catch {
    return null;
  }
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lon: p.coords.longitude, accuracy: p.coords.accuracy }),
      () => resolve(null),
      { enableHighAccuracy: false, timeout: timeoutMs, maximumAge: 120000 },
    );
  });
}
