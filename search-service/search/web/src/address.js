// The page's address is its state: the tab (the #fragment, as links always had it), what each tab
// searched for and with which filters (the query string), and a storefront (the path, /app/s/<slug>).
// A shared link or a reload opens the same view; Back and Forward walk through views the person made.
// Pure functions from a location to a view and back, shared by the inline boot script (which asks the
// first search before the app has arrived) and the app.

export const TABS = ["providers", "blood", "products", "cattle"];
export const BLOOD_GROUPS = ["A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-"];
export const APP_BASE = "/app/"; // where search-service mounts the client (serve.py)
const SHOP_IN_PATH = /\/s\/([a-z0-9-]+)\/?$/;
const PRODUCT_SORTS = ["relevance", "price_asc", "price_desc", "newest", "distance"];
const CATTLE_SORTS = ["price_asc", "price_desc", "price_per_kg_asc", "price_per_kg_desc", "newest"];

const text = (value) => (value || "").trim();
const oneOf = (value, allowed, fallback) => (allowed.includes(value) ? value : fallback);
const slug = (value) => (/^[a-z0-9_-]{1,60}$/.test(value || "") ? value : null);

/** A number the address carries (ASCII digits, as the app writes it), else null. */
function amount(value) {
  const n = Number.parseFloat(value || "");
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** The view a location describes. Unknown or malformed values fall back to the defaults. */
export function readAddress(location = window.location) {
  const p = new URLSearchParams(location.search);
  const shopMatch = SHOP_IN_PATH.exec(location.pathname);
  const lat = Number.parseFloat(p.get("lat") || "");
  const lon = Number.parseFloat(p.get("lon") || "");
  return {
    tab: oneOf(location.hash.slice(1), TABS, "providers"),
    shop: shopMatch ? shopMatch[1] : null,
    given: Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : null,
    provider: { q: text(p.get("q")), category: slug(p.get("cat")), available: p.get("avail") !== "0" },
    blood: { group: oneOf(p.get("group"), BLOOD_GROUPS, null) },
    products: {
      q: text(p.get("pq")),
      category: slug(p.get("pcat")),
      min: amount(p.get("min")),
      max: amount(p.get("max")),
      sort: oneOf(p.get("sort"), PRODUCT_SORTS, "relevance"),
    },
    cattle: {
      animal: slug(p.get("animal")),
      breed: slug(p.get("breed")),
      min_weight_kg: amount(p.get("wmin")),
      max_weight_kg: amount(p.get("wmax")),
      min_price: amount(p.get("cmin")),
      max_price: amount(p.get("cmax")),
      sort: oneOf(p.get("csort"), CATTLE_SORTS, "price_asc"),
    },
    inShop: { q: text(p.get("sq")), category: slug(p.get("scat")) },
  };
}

/** The address of a view: only what differs from the defaults, so plain links stay plain. */
export function addressOf(view) {
  const p = new URLSearchParams();
  const put = (key, value, unless = null) => {
    if (value !== null && value !== undefined && value !== "" && value !== unless) p.set(key, String(value));
  };
  if (view.given) {
    put("lat", view.given.lat);
    put("lon", view.given.lon);
  }
  put("q", view.provider.q);
  put("cat", view.provider.category);
  put("avail", view.provider.available ? null : "0");
  put("group", view.blood.group);
  put("pq", view.products.q);
  put("pcat", view.products.category);
  put("min", view.products.min);
  put("max", view.products.max);
  put("sort", view.products.sort, "relevance");
  put("animal", view.cattle.animal);
  put("breed", view.cattle.breed);
  put("wmin", view.cattle.min_weight_kg);
  put("wmax", view.cattle.max_weight_kg);
  put("cmin", view.cattle.min_price);
  put("cmax", view.cattle.max_price);
  put("csort", view.cattle.sort, "price_asc");
  if (view.shop) {
    put("sq", view.inShop.q);
    put("scat", view.inShop.category);
  }
  const qs = p.toString();
  const path = view.shop ? `${APP_BASE}s/${encodeURIComponent(view.shop)}` : APP_BASE;
  const hash = view.shop || view.tab === "providers" ? "" : `#${view.tab}`;
  return `${path}${qs ? `?${qs}` : ""}${hash}`;
}
