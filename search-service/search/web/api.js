// The public search API, for slow networks: one request in flight per purpose (a newer one aborts the
// older), a time limit, and errors as values a person can act on (the API answers JSON with `message`).

const TIMEOUT_MS = 20000;

export class ApiError extends Error {
  /** kind: "http" (the API said no, `message` is its own), "network" or "timeout". */
  constructor(kind, message, status = 0) {
    super(message);
    this.kind = kind;
    this.status = status;
  }
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") search.set(key, String(value));
  }
  return search.toString();
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

  /** GET `path` with `params`; resolves to the JSON body, or null when a newer request superseded it. */
  async get(path, params = {}) {
    this.abort();
    const controller = new AbortController();
    this.controller = controller;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort("timeout");
    }, TIMEOUT_MS);
    try {
      const qs = query(params);
      const response = await fetch(qs ? `${path}?${qs}` : path, {
        signal: controller.signal,
        headers: { Accept: "application/json" },
      });
      let body = null;
      try {
        body = await response.json();
      } catch {
        if (controller.signal.aborted) throw new DOMException("aborted", "AbortError");
        body = null;
      }
      if (!response.ok || body === null) {
        const message = (body && body.message) || `HTTP ${response.status}`;
        throw new ApiError("http", message, response.status);
      }
      return body;
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (timedOut) throw new ApiError("timeout", "timeout");
      if (controller.signal.aborted) return null;
      throw new ApiError("network", String(error && error.message ? error.message : error));
    } finally {
      clearTimeout(timer);
      if (this.controller === controller) this.controller = null;
    }
  }
}

/** `fn` run once typing has paused for `ms`; `.cancel()` drops a pending call. */
export function debounce(fn, ms) {
  let timer = null;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}
