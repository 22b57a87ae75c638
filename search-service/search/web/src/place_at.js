// Where the phone is, in words — "আপনি আছেন: কটিয়াদী, মসূয়া ইউনিয়ন" — and whether that is inside the
// district, as the server's polygons decide: GET /v1/places/at, or query.citizen_at of a nearest answer,
// which says the same of the position it searched from. What the server said is kept per position
// rounded to about 100 m for the session (place.js), so a second fix at the same spot asks nothing.
// Without an answer (no network, a server that does not know the place) the upazila towns' circles
// decide, as before the server had polygons, and the position goes unnamed.

import { urlOf } from "./params.js";
import { insideDistrict, keepVerdict, keptVerdict, positionKey } from "./place.js";

const PLACES_AT = "/v1/places/at";
const TIMEOUT_MS = 6000; // the person is waiting on the 📍 they tapped; the circles answer after this

const asking = new Map(); // position key → the request in flight, so two fixes at one spot ask once

async function ask(point) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(urlOf(PLACES_AT, { lat: point.lat, lon: point.lon }), {
      signal: controller.signal,
      headers: { Accept: "application/json" },
    });
    return response.ok ? keepVerdict(point, await response.json()) : null;
  } catch {
    return null; // no network or no answer in time
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What is known of `point`: {inside, words: {bn, en} | null, by: "server" | "estimate"}. The server's
 * word kept this session, else asked now, else the circles' estimate (unnamed).
 */
export async function placeAt(point, upazilas) {
  const kept = keptVerdict(point);
  if (kept) return { ...kept, by: "server" };
  const key = positionKey(point);
  if (!asking.has(key)) asking.set(key, ask(point).finally(() => asking.delete(key)));
  const verdict = await asking.get(key);
  return verdict ? { ...verdict, by: "server" } : { inside: insideDistrict(point, upazilas), words: null, by: "estimate" };
}

/** A nearest answer's word on the position it searched from (`params`): kept; the verdict, or null. */
export function heardFrom(params, body) {
  const said = body && body.query ? body.query.citizen_at : null;
  return said ? keepVerdict({ lat: Number(params.lat), lon: Number(params.lon) }, said) : null;
}
