// Inlined into the page's <head> by build.mjs; runs before the app module has downloaded. On a slow
// link the app script and the first answer then travel at the same time instead of one after the other.
// It reads the view from the address (a reload or a shared link asks what was on screen) and, when the
// browser already lets the page know where the phone is, waits a moment for the position so the first
// answer is already the nearest one.

import { readAddress } from "./address.js";
import { assetNames, bootData } from "./boot_data.js";
import { providerParams, urlOf } from "./params.js";
import { KEYS, grantedPosition, inDistrictAsKnown, initialLocation, mayUseGpsAtOnce, remembered } from "./place.js";

const GPS_WAIT_MS = 1500; // a phone with a recent fix answers at once; a cold GPS must not hold the page
const GPS_GIVE_UP_MS = 20000;

document.documentElement.className = "js";

function ask(loc, view) {
  const url = urlOf("/v1/providers/nearest", providerParams(loc, view.provider));
  const controller = new AbortController();
  const response = fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
  response.catch(() => {}); // the app reports failures when it reads this answer
  window.__kgFirst = { url, controller, response };
}

/**
 * Where the first search is asked: the phone's position when it came in time and lies in the district.
 * Whether it does is decided without a round trip, so the first search never waits for it: by what the
 * server said of the spot this session, else by the upazila towns' circles. The answer's
 * query.citizen_at then says it by the district's polygon, and the app leaves a position outside.
 */
function chosen(fallback, found, upazilas) {
  return found && inDistrictAsKnown(found, upazilas) ? { ...found, source: "gps", fresh: true } : fallback;
}

try {
  // An English reader's words travel with the app script, not after it.
  if (remembered(KEYS.lang) === "en") {
    const link = document.createElement("link");
    link.rel = "preload";
    link.as = "script";
    link.href = assetNames().en_js;
    document.head.append(link);
  }
} catch {
  // storage refused: Bangla first
}

try {
  const view = readAddress();
  const { upazilas } = bootData();
  const fallback = initialLocation(upazilas);
  const wanted = !view.shop && view.tab === "providers";
  // What the app reads: {loc, position (null: none; undefined: not yet), late (the position to come)}.
  if (mayUseGpsAtOnce(fallback)) {
    const position = grantedPosition(GPS_GIVE_UP_MS);
    const soon = new Promise((resolve) => setTimeout(() => resolve(undefined), GPS_WAIT_MS));
    window.__kgStart = Promise.race([position, soon]).then((found) => {
      const loc = chosen(fallback, found, upazilas);
      if (wanted) ask(loc, view);
      return { loc, position: found, late: found === undefined ? position : null };
    });
  } else {
    if (wanted) ask(fallback, view);
    window.__kgStart = Promise.resolve({ loc: fallback, position: null, late: null });
  }
} catch {
  // the app starts its own search
}
