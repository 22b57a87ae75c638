// The public search API, for slow networks: one request in flight per purpose (a newer one aborts the
// older), a time limit, a gentle retry when the server says "too many requests", and errors as values a
// person can act on (the API answers JSON with `message`). Without a network, the last answer kept for
// the same request (offline.js) stands in, marked with when it arrived; Back and Forward reuse the
// answers of this visit instead of asking again.

import { keepAnswer, savedAnswer } from "./offline.js";
import { urlOf } from "./params.js";

const TIMEOUT_MS = 20000;
const MAX_BUSY_RETRIES = 2;
const MAX_WAIT_S = 10;

export class ApiError extends Error {
  /** kind: "http" (the API said no, `message` is its own), "busy" (429 after retries), "network" or "timeout". */
  constructor(kind, message, status = 0) {
    super(message);
    this.kind = kind;
    this.status = status;
  }
}

/** Seconds to wait before asking again: the server's Retry-After, else 1, 2, … within reason. */
function waitSeconds(response, attempt) {
  const header = Number.parseFloat(response.headers.get("Retry-After") || "");
  const seconds = Number.isFinite(header) && header > 0 ? Math.ceil(header) : attempt + 1;
  return Math.min(seconds, MAX_WAIT_S);
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new DOMException("aborted", "AbortError"));
    });
  });
}

const MEMORY = 60; // answers of this visit kept for Back and Forward
const memory = new Map();
const times = new WeakMap(); // answer body → {fetchedAt, saved}

/** When an answer arrived ({fetchedAt: ms, saved: true when it came from the saved copies}), or null. */
export const answerTime = (body) => (body && times.get(body)) || null;

function remember(url, body) {
  memory.delete(url);
  memory.set(url, body);
  if (memory.size > MEMORY) memory.delete(memory.keys().next().value);
}

/** The answer the inline boot script already asked for, if it is this very URL (used once). */
function prefetched(url) {
  const first = window.__kgFirst;
  if (!first || first.url !== url) return null;
  window.__kgFirst = null;
  return first;
}

/** A channel of requests where only the newest matters: each `get` aborts the one before it. */
export class Channel {
  constructor() {
    this.controller = null;
  }

  abort() {
    if (this.controller) this.controller.abort("superseded");
    this.controller = null;
  }

  /**
   * GET `path` with `params`; resolves to the JSON body, or null when a newer request superseded it.
   * `onWait(seconds)` is told when a 429 makes the channel wait before asking again. `keep`: save the
   * answer for offline use and fall back to the saved one without a network. `again`: an answer this
   * visit already had will do (Back and Forward).
   */
  async get(path, params = {}, { onWait, keep = true, again = false } = {}) {
    this.abort();
    const url = urlOf(path, params);
    if (again && memory.has(url)) return memory.get(url);
    const early = prefetched(url);
    const controller = early ? early.controller : new AbortController();
    this.controller = controller;
    let timedOut = false;
    let timer = null;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort("timeout");
      }, TIMEOUT_MS);
    };
    try {
      for (let attempt = 0; ; attempt += 1) {
        arm();
        const response = await (attempt === 0 && early
          ? early.response
          : fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } }));
        if (response.status === 429 && attempt < MAX_BUSY_RETRIES) {
          const seconds = waitSeconds(response, attempt);
          clearTimeout(timer);
          if (onWait) onWait(seconds);
          await sleep(seconds * 1000, controller.signal);
          continue;
        }
        let body = null;
        try {
          body = await response.json();
        } catch {
          if (controller.signal.aborted) throw new DOMException("aborted", "AbortError");
        }
        if (response.status === 429) throw new ApiError("busy", (body && body.message) || "HTTP 429", 429);
        if (!response.ok || body === null) {
          throw new ApiError("http", (body && body.message) || `HTTP ${response.status}`, response.status);
        }
        const fetchedAt = Date.now();
        times.set(body, { fetchedAt, saved: false });
        remember(url, body);
        if (keep) keepAnswer(url, body, fetchedAt);
        return body;
      }
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (!timedOut && controller.signal.aborted) return null;
      const failure = timedOut ? new ApiError("timeout", "timeout") : new ApiError("network", String(error && error.message ? error.message : error));
      const saved = keep ? await savedAnswer(url) : null;
      if (this.controller !== controller) return null; // a newer request started meanwhile
      if (!saved) throw failure;
      times.set(saved.body, { fetchedAt: saved.fetchedAt, saved: true });
      return saved.body;
    } finally {
      clearTimeout(timer);
      if (this.controller === controller) this.controller = null;
    }
  }
}
