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

// Every value a search or filter puts in the address: [query key, part of the view, field, how the
// key's text is read]. A value equal to what reading nothing gives (the default) stays out of the address.
const FIELDS = [
  ["q", "provider", "q", text],
  ["cat", "provider", "category", slug],
  ["avail", "provider", "available", (value) => value !== "0"],
  ["group", "blood", "group", (value) => oneOf(value, BLOOD_GROUPS, null)],
  ["pq", "products", "q", text],
  ["pcat", "products", "category", slug],
  ["min", "products", "min", amount],
  ["max", "products", "max", amount],
  ["sort", "products", "sort", (value) => oneOf(value, PRODUCT_SORTS, "relevance")],
  ["animal", "cattle", "animal", slug],
  ["breed", "cattle", "breed", slug],
  ["wmin", "cattle", "min_weight_kg", amount],
  ["wmax", "cattle", "max_weight_kg", amount],
  ["cmin", "cattle", "min_price", amount],
  ["cmax", "cattle", "max_price", amount],
  ["csort", "cattle", "sort", (value) => oneOf(value, CATTLE_SORTS, "price_asc")],
  ["sq", "inShop", "q", text],
  ["scat", "inShop", "category", slug],
];

/** The view a location describes. Unknown or malformed values fall back to the defaults. */
export function readAddress(location = window.location) {
  const p = new URLSearchParams(location.search);
  const shopMatch = SHOP_IN_PATH.exec(location.pathname);
  const lat = Number.parseFloat(p.get("lat") || "");
  const lon = Number.parseFloat(p.get("lon") || "");
  const view = {
    tab: oneOf(location.hash.slice(1), TABS, "providers"),
    shop: shopMatch ? shopMatch[1] : null,
    given: Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : null,
    provider: {},
    blood: {},
    products: {},
    cattle: {},
    inShop: {},
  };
  for (const [key, part, field, read] of FIELDS) view[part][field] = read(p.get(key));
  return view;
}

/** The address of a view: only what differs from the defaults, so plain links stay plain. */
export function addressOf(view) {
  const p = new URLSearchParams();
  const put = (key, value, fallback = null) => {
    if (value === null || value === undefined || value === "" || value === fallback) return;
    p.set(key, typeof value === "boolean" ? (value ? "1" : "0") : String(value));
  };
  if (view.given) {
    put("lat", view.given.lat);
    put("lon", view.given.lon);
  }
  for (const [key, part, field, read] of FIELDS) {
    if (part === "inShop" && !view.shop) continue; // a search within a storefront goes with its storefront
    put(key, view[part][field], read(null));
  }
  const qs = p.toString();
  const path = view.shop ? `${APP_BASE}s/${encodeURIComponent(view.shop)}` : APP_BASE;
  const hash = view.shop || view.tab === "providers" ? "" : `#${view.tab}`;
  return `${path}${qs ? `?${qs}` : ""}${hash}`;
}
