// The parameters of the provider search, shared by the inline boot script (which starts the first
// search before the app has arrived) and the app (which must ask the very same URL to reuse it).

export const PROVIDER_RADIUS_KM = 20;
export const PROVIDER_LIMIT = 20;

/** A query string without empty values, keys in the order given. */
export function queryString(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") search.set(key, String(value));
  }
  return search.toString();
}

export function urlOf(path, params) {
  const qs = queryString(params);
  return qs ? `${path}?${qs}` : path;
}

/** /v1/providers/nearest parameters for the providers tab. */
export function providerParams(loc, { q = "", category = null, available = true } = {}) {
  return {
    lat: loc.lat,
    lon: loc.lon,
    limit: PROVIDER_LIMIT,
    q: q.trim(),
    category,
    available_now: available,
    radius_km: PROVIDER_RADIUS_KM,
  };
}
