// The service worker (built into dist/sw.js, served at /app/sw.js with scope /app/): the page and its
// scripts for a reload without a network. The page itself is asked from the network first (it carries
// the taxonomy and the current build's script names) and kept; without a network the kept page opens.
// Built files carry a content hash in their names, so they are served from the cache first. The API is
// never touched here: the page keeps its own answers with the time they arrived (offline.js).
//
// The page fills this build's cache itself (offline.js keepShell), past this worker: its requests are
// answered by the browser's HTTP cache, which a worker's install requests were not (Chromium fetched
// every file again), so keeping the page costs one HEAD request, not a second download.
//
// build.mjs defines BUILD: {version} (a hash of the built scripts and styles).

/* global BUILD */

const SHELL_CACHE = `kg-shell-${BUILD.version}`;
const PAGE = "/app/";
const NETWORK_WAIT_MS = 8000; // a network that answers nothing (lie-fi) gets the kept page after this
const HASHED = /^\/app\/(?:s\/)?([a-z]+-[0-9a-f]{10}\.(?:js|css))$/;

self.addEventListener("install", () => self.skipWaiting());

// No clients.claim(): the visit that registered the worker goes on without it (its requests keep the
// browser's own cache), and the next one — a reload without a network, say — opens through it.
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("kg-shell-") && n !== SHELL_CACHE).map((n) => caches.delete(n)))),
  );
});

/** The network's page (kept for next time), or the kept page when the network fails or stays silent. */
async function page(request) {
  const cache = await caches.open(SHELL_CACHE);
  const network = fetch(request).then((response) => {
    const type = response.headers.get("Content-Type") || "";
    if (response.ok && type.startsWith("text/html")) cache.put(PAGE, response.clone());
    return response;
  });
  const kept = await cache.match(PAGE);
  if (!kept) return network;
  const silent = new Promise((resolve) => setTimeout(() => resolve(kept), NETWORK_WAIT_MS));
  return Promise.race([network.catch(() => kept), silent]);
}

/** A built file: from the cache, else from the network (and kept; the map's files arrive this way). */
async function builtFile(request, name) {
  const cache = await caches.open(SHELL_CACHE);
  const key = `/app/${name}`; // the storefront page's relative names, /app/s/<name>, are the same file
  const kept = await cache.match(key);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) cache.put(key, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("X-Kg-Keep")) return; // the page keeping files itself
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && (url.pathname === "/app/" || url.pathname.startsWith("/app/s/"))) {
    event.respondWith(page(request));
    return;
  }
  const built = HASHED.exec(url.pathname);
  if (built) event.respondWith(builtFile(request, built[1]));
});
