// The page without a network. Every answer it shows is kept in the browser's Cache Storage with the
// moment it arrived, so a search that fails for want of a network shows the last answer to that very
// search, marked "সংরক্ষিত · রাত ১:৪০", and a reload offline (the service worker serves the page itself)
// opens with what was on screen. Searches that failed are asked again by themselves when the network
// comes back. The service worker is registered only after the first result, so it never competes with it.

import { APP_BASE } from "./address.js";

const ANSWERS = "kg-answers-v1"; // the service worker's shell caches are named kg-shell-<build>
const KEEP = 40; // answers kept; the oldest go first
const FETCHED_AT = "X-Fetched-At";
const RETRY_S = [15, 30, 60]; // while the network stays away, then every minute

const haveCaches = () => typeof caches !== "undefined";

/** Keep `body`, the answer to `url`, as arrived at `fetchedAt` (ms since the epoch). Best effort. */
export async function keepAnswer(url, body, fetchedAt) {
  if (!haveCaches()) return;
  try {
    const cache = await caches.open(ANSWERS);
    const headers = { "Content-Type": "application/json", [FETCHED_AT]: String(fetchedAt) };
    await cache.delete(url); // re-added last, so the oldest are first in line to go
    await cache.put(url, new Response(JSON.stringify(body), { headers }));
    const keys = await cache.keys();
    await Promise.all(keys.slice(0, Math.max(0, keys.length - KEEP)).map((key) => cache.delete(key)));
  } catch {
    // storage full or refused: the page works on, without a saved copy
  }
}

/** The kept answer to `url`: {body, fetchedAt}, or null. */
export async function savedAnswer(url) {
  if (!haveCaches()) return null;
  try {
    const cache = await caches.open(ANSWERS);
    const response = await cache.match(url);
    if (!response) return null;
    return { body: await response.json(), fetchedAt: Number(response.headers.get(FETCHED_AT)) || null };
  } catch {
    return null;
  }
}

// --- asking again when the network is back

const pending = new Map(); // what failed, by purpose: the newest retry of each purpose only
let timer = null;
let attempt = 0;

function retryAll() {
  clearTimeout(timer);
  timer = null;
  const retries = [...pending.values()];
  pending.clear();
  for (const retry of retries) retry();
}

function schedule() {
  clearTimeout(timer);
  const seconds = RETRY_S[Math.min(attempt, RETRY_S.length - 1)];
  attempt += 1;
  timer = setTimeout(retryAll, seconds * 1000);
}

/** Run `retry` when the network returns (or after a while, for a network that is back but silent). */
export function retryWhenBack(purpose, retry) {
  pending.set(purpose, retry);
  schedule();
}

/** The purpose succeeded or was replaced by another search: nothing to ask again. */
export function settled(purpose) {
  pending.delete(purpose);
  if (pending.size === 0) {
    clearTimeout(timer);
    timer = null;
    attempt = 0;
  }
}

window.addEventListener("online", () => {
  attempt = 0;
  retryAll();
});

// --- the service worker (sw.js): the page and its scripts, for a reload without a network

let registered = false;

export function registerServiceWorker() {
  if (registered || !("serviceWorker" in navigator)) return;
  registered = true;
  const register = () => navigator.serviceWorker.register(`${APP_BASE}sw.js`, { scope: APP_BASE }).catch(() => {});
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}

/** The header that tells the service worker to stay out of a request (the page's own keeping; sw.js). */
const PASS_THROUGH = "X-Kg-Keep";

/**
 * Keep this build's page and scripts (`shell`, from the page's assets) in the worker's cache. The page
 * asks for them itself, past the worker, so the browser answers from its own cache: a file already here
 * is not downloaded again. The page is the one this visit received (`pageHtml`, as it was before the app
 * changed it), with the headers the server gives it (a HEAD request: a round trip, no body).
 */
export async function keepShell(version, shell, pageHtml) {
  if (!haveCaches() || !version || !Array.isArray(shell) || !("serviceWorker" in navigator)) return;
  try {
    await navigator.serviceWorker.ready; // only for a worker that will serve them (never, if refused)
    const cache = await caches.open(`kg-shell-${version}`);
    for (const url of shell) {
      if (await cache.match(url)) continue;
      if (url === APP_BASE) {
        const head = await fetch(url, { method: "HEAD", headers: { [PASS_THROUGH]: "1" } });
        if (!head.ok) continue;
        const headers = new Headers();
        for (const name of ["Content-Type", "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"]) {
          if (head.headers.has(name)) headers.set(name, head.headers.get(name));
        }
        await cache.put(url, new Response(pageHtml, { headers }));
      } else {
        const response = await fetch(url, { headers: { [PASS_THROUGH]: "1" } });
        if (response.ok) await cache.put(url, response);
      }
    }
  } catch {
    // no room or no network: the worker keeps what it serves instead
  }
}
