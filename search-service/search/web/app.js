// The reference web client: nearest providers, blood donors and local products, over the public API.
// Every piece of API text reaches the DOM through textContent (or the <mark>-only sanitizer below).

import { Channel, debounce } from "./api.js";
import {
  digits,
  formatDate,
  formatDistance,
  formatOpensAt,
  formatPrice,
  language,
  parseNumber,
  pick,
  setLanguage,
  t,
  translatePage,
} from "./i18n.js";
import { drawMap } from "./map.js";

const LANG_KEY = "kg.lang";
const UPAZILA_KEY = "kg.upazila";
const BLOOD_GROUPS = ["A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-"];
const PROVIDER_RADIUS_KM = 20;
const BLOOD_RADIUS_KM = 50;
const PRODUCT_RADIUS_KM = 100; // with a known location: the whole district, so distances can be shown
const PROVIDER_LIMIT = 20;
const PRODUCT_PAGE = 10;

const $ = (id) => document.getElementById(id);

const state = {
  upazilas: [],
  categories: { provider: [], product: [] },
  icons: new Map(),
  loc: null, // {lat, lon, source: "given" | "gps" | "upazila" | "default", slug?}
  provider: { q: "", category: null, available: true, ran: false },
  blood: { group: null },
  last: { providers: null, blood: null },
  products: { q: "", category: null, sort: "relevance", params: null, items: [], ids: new Set(), last: null, facetBase: null, ran: false },
  suggestions: [],
  activeSuggestion: -1,
};

const channels = {
  providers: new Channel(),
  blood: new Channel(),
  products: new Channel(),
  suggest: new Channel(),
};

// --- small DOM helpers

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * Server snippets are HTML-escaped text with <mark> around matches. Only <mark> survives: the text
 * between tags is decoded into text nodes, so nothing else can become markup.
 */
function markedText(snippet) {
  const fragment = document.createDocumentFragment();
  snippet.split(/(<\/?mark>)/).reduce((inMark, part) => {
    if (part === "<mark>") return true;
    if (part === "</mark>") return false;
    if (part) {
      const text = document.createTextNode(decodeEntities(part));
      fragment.append(inMark ? el("mark", {}, text) : text);
    }
    return inMark;
  }, false);
  return fragment;
}

function plainOf(snippet) {
  return decodeEntities(snippet.replace(/<\/?mark>/g, ""));
}

function showLoading(statusEl, list) {
  list.setAttribute("aria-busy", "true");
  statusEl.replaceChildren(el("p", { class: "loading" }, el("span", { class: "spinner", "aria-hidden": "true" }), t("loading")));
}

function showMessage(statusEl, list, text) {
  list.removeAttribute("aria-busy");
  statusEl.replaceChildren(text ? el("p", { class: "summary" }, text) : "");
}

function showError(statusEl, list, error, retry) {
  list.removeAttribute("aria-busy");
  const text = error.kind === "network" ? t("networkError") : error.kind === "timeout" ? t("timeoutError") : t("apiError");
  const button = el("button", { type: "button", class: "secondary" }, t("retry"));
  button.addEventListener("click", retry);
  // The API's own message (English, for whoever reports the problem) under the reader's language.
  const detail = error.kind === "http" ? el("small", { lang: "en" }, error.message) : null;
  statusEl.replaceChildren(el("div", { class: "error", role: "alert" }, el("p", {}, text, detail && el("br"), detail), button));
}

// --- location

function knownLocation() {
  return state.loc && state.loc.source !== "default";
}

function locationName() {
  const loc = state.loc;
  if (!loc) return "";
  if (loc.source === "upazila") {
    const u = state.upazilas.find((x) => x.slug === loc.slug);
    return u ? pick(u) : loc.slug;
  }
  if (loc.source === "gps") return t("locationHere");
  if (loc.source === "given") return `${t("locationGiven")} (${digits(loc.lat.toFixed(4))}, ${digits(loc.lon.toFixed(4))})`;
  return t("locationDefault");
}

function renderLocation() {
  $("loc-name").textContent = locationName();
  const select = $("upazila");
  const chosen = state.loc && state.loc.source === "upazila" ? state.loc.slug : "";
  select.replaceChildren(
    el("option", { value: "" }, t("upazilaOption")),
    ...state.upazilas.map((u) => el("option", { value: u.slug, selected: u.slug === chosen }, pick(u))),
  );
  select.value = chosen;
  const sortDistance = $("sort").querySelector('option[value="distance"]');
  sortDistance.disabled = !knownLocation();
}

function initialLocation() {
  const params = new URLSearchParams(window.location.search);
  const lat = parseFloat(params.get("lat"));
  const lon = parseFloat(params.get("lon"));
  if (Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
    return { lat, lon, source: "given" };
  }
  return null;
}

function setLocation(loc) {
  state.loc = loc;
  renderLocation();
  refreshAfterLocationChange();
}

function useUpazila(slug) {
  const u = state.upazilas.find((x) => x.slug === slug);
  if (!u) return;
  localStorage.setItem(UPAZILA_KEY, slug);
  $("loc-status").textContent = "";
  setLocation({ lat: u.lat, lon: u.lon, source: "upazila", slug });
}

function locate() {
  const status = $("loc-status");
  if (!("geolocation" in navigator)) {
    status.textContent = t("locationFailed");
    $("upazila").focus();
    return;
  }
  status.textContent = t("locating");
  navigator.geolocation.getCurrentPosition(
    (position) => {
      status.textContent = "";
      setLocation({ lat: position.coords.latitude, lon: position.coords.longitude, source: "gps" });
    },
    () => {
      status.textContent = t("locationFailed");
      $("upazila").focus();
    },
    { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 },
  );
}

function refreshAfterLocationChange() {
  if (state.provider.ran) searchProviders();
  if (state.blood.group) searchBlood();
  if (state.products.ran) searchProducts();
}

// --- tabs

function selectTab(name, { focus = false } = {}) {
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const selected = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(tab.getAttribute("aria-controls")).hidden = !selected;
    if (selected && focus) tab.focus();
  }
  history.replaceState(null, "", `${window.location.pathname}${window.location.search}#${name}`);
  if (name === "providers" && !state.provider.ran) searchProviders();
  if (name === "products" && !state.products.ran) searchProducts();
}

function setupTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  for (const tab of tabs) {
    tab.addEventListener("click", () => selectTab(tab.dataset.tab));
    tab.addEventListener("keydown", (event) => {
      const i = tabs.indexOf(tab);
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      selectTab(tabs[(next + tabs.length) % tabs.length].dataset.tab, { focus: true });
    });
  }
}

// --- providers and blood donors

function categoryLabel(category) {
  const icon = state.icons.get(category.slug);
  return icon ? `${icon} ${pick(category)}` : pick(category);
}

function renderChips() {
  const chips = $("chips");
  const all = [{ slug: null, label: t("allCategories") }, ...state.categories.provider.map((c) => ({ slug: c.slug, label: categoryLabel(c) }))];
  chips.replaceChildren(
    ...all.map((c) => {
      const button = el("button", { type: "button", class: "chip", "aria-pressed": String(state.provider.category === c.slug), dataset: { slug: c.slug ?? "" } }, c.label);
      button.addEventListener("click", () => {
        state.provider.category = c.slug;
        renderChips();
        searchProviders();
      });
      return button;
    }),
  );
}

function openingLine(result, at) {
  if (result.open_now) return el("p", { class: "open is-open" }, t("openNow"));
  if (result.next_open) return el("p", { class: "open is-later" }, t("opensAt", formatOpensAt(result.next_open, at)));
  return el("p", { class: "open is-closed" }, t("unavailable"));
}

function providerCard(result, index, at) {
  const name = pick(result.name);
  const body = el(
    "div",
    { class: "card-body" },
    el("h3", { class: "name" }, name),
    el(
      "p",
      { class: "meta" },
      el("span", { class: "category", dataset: { slug: result.category.slug } }, categoryLabel(result.category)),
      " · ",
      el("span", { class: "distance" }, formatDistance(result.distance_m)),
    ),
    el("p", { class: "address" }, pick(result.address) || pick(result.upazila)),
    result.blood_group ? el("p", { class: "blood" }, el("span", { class: "badge blood-group" }, result.blood_group), result.last_donation_date ? ` ${t("lastDonation", formatDate(result.last_donation_date))}` : "") : null,
    openingLine(result, at),
  );
  const marker = el("span", { class: "marker", "aria-hidden": "true" }, digits(index + 1));
  const call = result.phone
    ? el("a", { class: "call", href: `tel:${result.phone}`, "aria-label": t("callLabel", name) }, el("span", { "aria-hidden": "true" }, "📞"), el("span", {}, t("call")))
    : null;
  return el("li", { class: "card", dataset: { id: result.id } }, marker, body, call);
}

/** The two lists over /v1/providers/nearest: anyone near (with the chips and text), and blood donors. */
const NEAREST = {
  providers: {
    ready: () => true,
    params: () => ({
      q: state.provider.q.trim(),
      category: state.provider.category,
      available_now: state.provider.available,
      radius_km: PROVIDER_RADIUS_KM,
    }),
    found: "providersFound",
    none: "noProviders",
  },
  blood: {
    ready: () => Boolean(state.blood.group),
    params: () => ({ category: "blood_donor", blood_group: state.blood.group, radius_km: BLOOD_RADIUS_KM, available_now: true }),
    found: "donorsFound",
    none: "noDonors",
  },
};

const part = (kind, name) => $(`${kind === "blood" ? "blood" : "provider"}-${name}`);

function renderNearest(kind) {
  const body = state.last[kind];
  if (!body) return;
  const [status, list, map] = ["status", "results", "map"].map((name) => part(kind, name));
  const at = body.query ? body.query.at : null;
  list.replaceChildren(...body.results.map((r, i) => providerCard(r, i, at)));
  map.removeAttribute("hidden"); // an SVG element has no `hidden` property
  map.nextElementSibling.hidden = false; // the legend
  drawMap(map, { upazilas: state.upazilas, user: state.loc, results: body.results.map((r) => r.location) });
  const n = body.results.length;
  showMessage(status, list, n ? t(NEAREST[kind].found, digits(n), digits(body.total)) : t(NEAREST[kind].none));
}

async function searchNearest(kind) {
  if (!state.loc || !NEAREST[kind].ready()) return;
  if (kind === "providers") state.provider.ran = true;
  const status = part(kind, "status");
  const list = part(kind, "results");
  showLoading(status, list);
  try {
    const params = { lat: state.loc.lat, lon: state.loc.lon, limit: PROVIDER_LIMIT, ...NEAREST[kind].params() };
    const body = await channels[kind].get("/v1/providers/nearest", params);
    if (body === null) return; // superseded by a newer search
    state.last[kind] = body;
    renderNearest(kind);
  } catch (error) {
    showError(status, list, error, () => searchNearest(kind));
  }
}

const searchProviders = () => searchNearest("providers");
const searchBlood = () => searchNearest("blood");

function renderBloodGroups() {
  const grid = $("blood-groups");
  grid.replaceChildren(
    ...BLOOD_GROUPS.map((group) => {
      const input = el("input", { type: "radio", name: "blood-group", value: group, checked: state.blood.group === group });
      input.addEventListener("change", () => {
        state.blood.group = group;
        searchBlood();
      });
      return el("label", { class: "group", lang: "en" }, input, el("span", {}, group));
    }),
  );
}

// --- products

function productParams() {
  const p = state.products;
  const params = {
    q: p.q.trim(),
    category: p.category,
    min_price: p.min,
    max_price: p.max,
    sort: p.sort === "distance" && !knownLocation() ? "relevance" : p.sort,
    limit: PRODUCT_PAGE,
  };
  if (knownLocation()) Object.assign(params, { lat: state.loc.lat, lon: state.loc.lon, radius_km: PRODUCT_RADIUS_KM });
  return params;
}

function readPrices() {
  const min = parseNumber($("min-price").value);
  const max = parseNumber($("max-price").value);
  const bad = Number.isNaN(min) || Number.isNaN(max);
  const error = $("price-error");
  error.hidden = !bad;
  error.textContent = bad ? t("badPrice") : "";
  $("min-price").setAttribute("aria-invalid", String(Number.isNaN(min)));
  $("max-price").setAttribute("aria-invalid", String(Number.isNaN(max)));
  if (bad) return false;
  state.products.min = min;
  state.products.max = max;
  return true;
}

/** A server snippet of `wanted` (the text in the reader's language) with its marks, else the plain text. */
function snippetOr(snippet, wanted) {
  return snippet && wanted && wanted.includes(plainOf(snippet).trim()) ? markedText(snippet) : document.createTextNode(wanted || "");
}

function productTitle(result) {
  return snippetOr(result.highlight && result.highlight.title, pick(result.title));
}

function productDescription(result) {
  return snippetOr(result.highlight && result.highlight.description, pick(result.description));
}

function productCard(result) {
  const meta = [el("span", { class: "category", dataset: { slug: result.category.slug } }, categoryLabel(result.category)), " · ", pick(result.upazila)];
  if (result.distance_m !== undefined) meta.push(" · ", el("span", { class: "distance" }, formatDistance(result.distance_m)));
  return el(
    "li",
    { class: "card product", dataset: { id: result.id } },
    el(
      "div",
      { class: "card-body" },
      el("h3", { class: "title" }, productTitle(result)),
      el("p", { class: "price" }, formatPrice(result.price_bdt), result.in_stock ? "" : el("span", { class: "badge muted" }, t("outOfStock"))),
      el("p", { class: "meta" }, ...meta),
      el("p", { class: "desc" }, productDescription(result)),
    ),
  );
}

function renderFacets() {
  const p = state.products;
  const facets = (p.category && p.facetBase) || (p.last ? p.last.facets.category : []);
  const all = el("button", { type: "button", class: "chip", "aria-pressed": String(!p.category), dataset: { slug: "" } }, t("clearFilter"));
  all.addEventListener("click", () => {
    p.category = null;
    searchProducts();
  });
  $("facets").replaceChildren(
    all,
    ...facets.map((f) => {
      const button = el(
        "button",
        { type: "button", class: "chip facet", "aria-pressed": String(p.category === f.slug), dataset: { slug: f.slug } },
        categoryLabel(f),
        " ",
        el("span", { class: "count" }, digits(f.count)),
      );
      button.addEventListener("click", () => {
        p.category = p.category === f.slug ? null : f.slug;
        searchProducts();
      });
      return button;
    }),
  );
}

function renderProducts() {
  const p = state.products;
  if (!p.last) return;
  const list = $("product-results");
  list.removeAttribute("aria-busy");
  list.replaceChildren(...p.items.map(productCard));
  renderFacets();
  $("load-more").hidden = !p.last.next_cursor;
  showMessage($("product-status"), list, p.items.length ? t("productsFound", digits(p.items.length), digits(p.last.total)) : t("noProducts"));
}

/** A new search (`more` false) or the next page of the current one (`more` true). */
async function searchProducts(more = false) {
  const p = state.products;
  if (!more && !readPrices()) return;
  p.ran = true;
  const list = $("product-results");
  const status = $("product-status");
  const params = more ? { ...p.params, cursor: p.last.next_cursor } : productParams();
  showLoading(status, list);
  $("load-more").disabled = true;
  try {
    const body = await channels.products.get("/v1/products/search", params);
    if (body === null) return;
    if (!more) {
      p.params = params;
      p.items = [];
      p.ids = new Set();
      if (!p.category) p.facetBase = body.facets.category;
    }
    for (const item of body.results) {
      if (!p.ids.has(item.id)) {
        p.ids.add(item.id);
        p.items.push(item);
      }
    }
    p.last = body;
    renderProducts();
  } catch (error) {
    showError(status, list, error, () => searchProducts(more));
  } finally {
    $("load-more").disabled = false;
  }
}

// --- suggestions (a combobox over /v1/suggest)

function closeSuggestions() {
  channels.suggest.abort();
  state.suggestions = [];
  state.activeSuggestion = -1;
  $("suggest-list").hidden = true;
  $("suggest-list").replaceChildren();
  $("product-q").setAttribute("aria-expanded", "false");
  $("product-q").removeAttribute("aria-activedescendant");
}

function suggestionKind(s) {
  if (s.type === "provider_category") return t("suggestProvider");
  if (s.type === "product_category") return t("suggestProductCategory");
  return null;
}

function renderSuggestions() {
  const list = $("suggest-list");
  const input = $("product-q");
  if (state.suggestions.length === 0) return closeSuggestions();
  list.replaceChildren(
    ...state.suggestions.map((s, i) => {
      const kind = suggestionKind(s);
      const option = el(
        "li",
        { role: "option", id: `suggestion-${i}`, class: "suggestion", "aria-selected": String(i === state.activeSuggestion) },
        el("span", {}, kind ? pick(s) : s.text), // a category in the page's language
        kind ? el("span", { class: "kind" }, kind) : null,
      );
      option.addEventListener("pointerdown", (event) => event.preventDefault()); // keep focus in the box
      option.addEventListener("click", () => chooseSuggestion(s));
      return option;
    }),
  );
  list.hidden = false;
  input.setAttribute("aria-expanded", "true");
  if (state.activeSuggestion >= 0) input.setAttribute("aria-activedescendant", `suggestion-${state.activeSuggestion}`);
  else input.removeAttribute("aria-activedescendant");
}

const fetchSuggestions = debounce(async (text) => {
  try {
    const body = await channels.suggest.get("/v1/suggest", { q: text, limit: 8 });
    const input = $("product-q");
    if (body === null || input.value.trim() !== text || document.activeElement !== input) return;
    state.suggestions = body.suggestions;
    state.activeSuggestion = -1;
    renderSuggestions();
  } catch {
    closeSuggestions(); // suggestions are a convenience: a failure only hides them
  }
}, 200);

function chooseSuggestion(s) {
  closeSuggestions();
  const params = (s.open && s.open.params) || {};
  if (s.open && s.open.endpoint === "/v1/providers/nearest") {
    state.provider.category = params.category ?? null;
    state.provider.q = "";
    $("provider-q").value = "";
    renderChips();
    selectTab("providers", { focus: true });
    searchProviders();
    return;
  }
  const p = state.products;
  p.category = params.category ?? null;
  p.q = params.q ?? "";
  $("product-q").value = p.q;
  searchProducts();
}

function setupProducts() {
  const input = $("product-q");
  input.addEventListener("input", () => {
    const text = input.value.trim();
    if (text) fetchSuggestions(text);
    else {
      fetchSuggestions.cancel();
      closeSuggestions();
    }
  });
  input.addEventListener("keydown", (event) => {
    const n = state.suggestions.length;
    if (event.key === "Escape") return closeSuggestions();
    if (!n || (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Enter")) return;
    if (event.key === "Enter") {
      if (state.activeSuggestion < 0) return; // a plain submit
      event.preventDefault();
      chooseSuggestion(state.suggestions[state.activeSuggestion]);
      return;
    }
    event.preventDefault();
    state.activeSuggestion = (state.activeSuggestion + (event.key === "ArrowDown" ? 1 : n - 1) + 1) % (n + 1) - 1;
    renderSuggestions();
  });
  input.addEventListener("blur", () => setTimeout(closeSuggestions, 150));
  $("product-form").addEventListener("submit", (event) => {
    event.preventDefault();
    fetchSuggestions.cancel();
    closeSuggestions();
    state.products.q = input.value;
    state.products.category = null;
    searchProducts();
  });
  for (const id of ["min-price", "max-price"]) $(id).addEventListener("change", () => searchProducts());
  $("sort").addEventListener("change", (event) => {
    state.products.sort = event.target.value;
    searchProducts();
  });
  $("load-more").addEventListener("click", () => searchProducts(true));
}

// --- start

function renderAll() {
  translatePage();
  $("lang").lang = language() === "bn" ? "en" : "bn";
  renderLocation();
  renderChips();
  renderBloodGroups();
  renderNearest("providers");
  renderNearest("blood");
  renderProducts();
  if (state.suggestions.length) renderSuggestions();
}

function setupLanguage() {
  setLanguage(localStorage.getItem(LANG_KEY) || "bn");
  $("lang").addEventListener("click", () => {
    setLanguage(language() === "bn" ? "en" : "bn");
    localStorage.setItem(LANG_KEY, language());
    renderAll();
  });
}

async function loadStatic() {
  const status = $("provider-status");
  const list = $("provider-results");
  showLoading(status, list);
  try {
    const [u, c] = await Promise.all([new Channel().get("upazilas.json"), new Channel().get("/v1/categories")]);
    state.upazilas = u;
    state.categories = { provider: c.provider_categories, product: c.product_categories };
    state.icons = new Map([...c.provider_categories, ...c.product_categories].map((x) => [x.slug, x.icon]));
    return true;
  } catch (error) {
    showError(status, list, error, start);
    return false;
  }
}

async function start() {
  if (!(await loadStatic())) return;
  const saved = localStorage.getItem(UPAZILA_KEY);
  const u = state.upazilas.find((x) => x.slug === saved);
  const sadar = state.upazilas[0];
  state.loc = initialLocation() || (u ? { lat: u.lat, lon: u.lon, source: "upazila", slug: u.slug } : { lat: sadar.lat, lon: sadar.lon, source: "default" });
  renderAll();
  const fromHash = window.location.hash.slice(1);
  selectTab(["providers", "blood", "products"].includes(fromHash) ? fromHash : "providers");
}

function setup() {
  setupLanguage();
  translatePage();
  setupTabs();
  setupProducts();
  $("locate").addEventListener("click", locate);
  $("upazila").addEventListener("change", (event) => useUpazila(event.target.value));
  const providerInput = $("provider-q");
  const typed = debounce(() => {
    state.provider.q = providerInput.value;
    searchProviders();
  }, 350);
  providerInput.addEventListener("input", typed);
  providerInput.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    typed.cancel();
    state.provider.q = providerInput.value;
    searchProviders();
  });
  $("available").addEventListener("change", (event) => {
    state.provider.available = event.target.checked;
    searchProviders();
  });
  start();
}

setup();
