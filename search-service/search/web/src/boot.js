// Inlined into the page's <head> by build.mjs; runs before the app module has downloaded. On a slow
// link the app script and the first answer then travel at the same time instead of one after the other.

import { bootData } from "./boot_data.js";
import { providerParams, urlOf } from "./params.js";
import { initialLocation } from "./place.js";

document.documentElement.className = "js";

try {
  const tab = window.location.hash.slice(1);
  const storefront = /\/s\/[a-z0-9-]+\/?$/.test(window.location.pathname); // a shop's page asks for its shop
  if (!storefront && (tab === "" || tab === "providers")) {
    const url = urlOf("/v1/providers/nearest", providerParams(initialLocation(bootData().upazilas)));
    const controller = new AbortController();
    window.__kgFirst = { url, controller, response: fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } }) };
    window.__kgFirst.response.catch(() => {}); // the app reports failures when it reads this answer
  }
} catch {
  // the app starts its own search
}
