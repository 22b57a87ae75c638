// The reference web client: nearest providers, blood donors and local products, over the public API.
// Results come first on the screen; the map follows the list and is loaded only when it is about to
// be seen. A search that finds nobody open still answers: who opens next, the nearest open one further
// away, and for blood the district's emergency numbers.

import { Channel, debounce } from "./api.js";
import { assetNames, bootData } from "./boot_data.js";
import { categoryLabel, emergencyBox, productCard, providerCard } from "./cards.js";
import { cattleRan, renderCattle, searchCattle, setupCattle } from "./cattle.js";
import { $, el, markedText, plainOf } from "./dom.js";
import emergency from "./emergency.json";
import {
  collate,
  digits,
  formatCount,
  formatKm,
  language,
  parseNumber,
  pick,
  setLanguage,
  t,
  translatePage,
} from "./i18n.js";
import { PROVIDER_RADIUS_KM, providerParams } from "./params.js";
import {
  KEYS,
  initialLocation,
  insideDistrict,
  keepSessionGps,
  kmToNearestUpazila,
  remember,
  remembered,
} from "./place.js";
import { renderStorefront, startStorefront, storefrontSlug } from "./storefront.js";

const BLOOD_GROUPS = ["A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-"];
const BLOOD_RADIUS_KM = 50;
const BLOOD_WIDER_KM = 100; // the API's largest radius
const PRODUCT_RADIUS_KM = 100; // with a known location: the whole district, so distances can be shown
const PRODUCT_PAGE = 10;

const boot = bootData();
const state = {
  upazilas: boot.upazilas,
  categories: boot.categories,
  loc: null, // {lat, lon, source: "given" | "gps" | "upazila" | "default", slug?}
  locMessage: null, // {key, args, forget?} shown under the location picker
  // `chosen`: the person tapped a chip; until then the chip follows what the query names (`implied`).
  provider: { q: "", category: null, chosen: false, implied: null, available: true, ran: false },
  blood: { group: null, radius: BLOOD_RADIUS_KM },
  last: { providers: null, blood: null },
  failed: { providers: false, blood: false },
  products: { q: "", category: null, sort: "relevance", params: null, items: [], ids: new Set(), last: null, first: null, exact: null, facetBase: null, ran: false },
  suggestions: [],
  activeSuggestion: -1,
  firstResultMarked: false,
};

const channels = {
  providers: new Channel(),
  blood: new Channel(),
  products: new Channel(),
  suggest: new Channel(),
};

// --- status lines

function showLoading(statusEl, list, text = t("loading")) {
  list.setAttribute("aria-busy", "true");
  statusEl.replaceChildren(el("p", { class: "loading" }, el("span", { class: "spinner", "aria-hidden": "true" }), text));
}

function showMessage(statusEl, list, ...content) {
  list.removeAttribute("aria-busy");
  statusEl.replaceChildren(el("p", { class: "summary" }, ...content));
}

function errorText(error) {
  if (error.kind === "network") return t("networkError");
  if (error.kind === "timeout") return t("timeoutError");
  if (error.kind === "busy") return t("busyError");
  return t("apiError");
}

/** An error replaces what was shown: old results under an error box would read as current. */
function showError(statusEl, list, error, retry, clear = []) {
  list.removeAttribute("aria-busy");
  list.replaceChildren();
  for (const node of clear) node.replaceChildren();
  const button = el("button", { type: "button", class: "secondary" }, t("retry"));
  button.addEventListener("click", retry);
  // The API's own message (English, for whoever reports the problem) under the reader's language.
  const detail = error.kind === "http" ? el("small", { lang: "en" }, error.message) : null;
  statusEl.replaceChildren(el("div", { class: "error", role: "alert" }, el("p", {}, errorText(error), detail && el("br"), detail), button));
}

// --- location

function knownLocation() {
  return state.loc && state.loc.source !== "default";
}

function locationName() {
  const loc = state.loc;
  if (loc.source === "gps") return t("locationHere");
  if (loc.source === "given") return t("locationGiven");
  return t("locationDefault");
}

function renderLocation() {
  const select = $("upazila");
  const loc = state.loc;
  const chosen = loc.source === "upazila" ? loc.slug : "";
  const upazilas = collate(state.upazilas, (u) => (language() === "en" ? u.en : u.bn));
  select.replaceChildren(
    ...(chosen ? [] : [el("option", { value: "" }, locationName())]),
    ...upazilas.map((u) => el("option", { value: u.slug }, pick(u))),
  );
  select.value = chosen;
  $("sort").querySelector('option[value="distance"]').disabled = !knownLocation();
  renderLocationStatus();
}

function renderLocationStatus() {
  const status = $("loc-status");
  const message = state.locMessage || (state.loc.source === "default" ? { key: "locationAssumed" } : null);
  if (!message) {
    status.replaceChildren();
    status.hidden = true;
    return;
  }
  const args = (message.args || []).map((a) => (typeof a === "number" ? formatKm(a) : a));
  const forget = message.forget ? el("button", { type: "button", class: "link", id: "forget-gps" }, t("forgetGps")) : null;
  if (forget) forget.addEventListener("click", forgetGps);
  status.replaceChildren(el("span", { class: message.warn ? "warn" : "" }, t(message.key, ...args)), ...(forget ? [" ", forget] : []));
  status.hidden = false;
}

function setLocation(loc) {
  state.loc = loc;
  renderLocation();
  refreshAfterLocationChange();
}

function useUpazila(slug) {
  const u = state.upazilas.find((x) => x.slug === slug);
  if (!u) return;
  remember(KEYS.upazila, slug);
  keepSessionGps(null); // a chosen upazila replaces the phone's position
  state.locMessage = null;
  setLocation({ lat: u.lat, lon: u.lon, source: "upazila", slug });
}

function forgetGps() {
  keepSessionGps(null);
  state.locMessage = null;
  setLocation(initialLocation(state.upazilas));
  $("locate").focus();
}

function locationProblem(key, args) {
  state.locMessage = { key, args, warn: true };
  renderLocationStatus();
  $("upazila").focus();
}

/** The phone's position, asked only when the person taps the button; kept for this session. */
function locate() {
  if (!("geolocation" in navigator)) return locationProblem("locationFailed");
  state.locMessage = { key: "locating" };
  renderLocationStatus();
  navigator.geolocation.getCurrentPosition(
    (position) => {
      const point = { lat: position.coords.latitude, lon: position.coords.longitude };
      if (!insideDistrict(point, state.upazilas)) {
        return locationProblem("outsideDistrict", [Math.round(kmToNearestUpazila(point, state.upazilas))]);
      }
      keepSessionGps(point);
      state.locMessage = { key: "gpsRemembered", forget: true };
      setLocation({ ...point, source: "gps" });
    },
    (error) => locationProblem(error && error.code === 1 ? "locationDenied" : "locationFailed"),
    { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 },
  );
}

function refreshAfterLocationChange() {
  if (state.provider.ran) searchProviders();
  if (state.blood.group) searchBlood();
  if (state.products.ran) searchProducts();
  if (cattleRan()) searchCattle();
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
  if (name === "cattle" && !cattleRan()) searchCattle();
  if (maps[name] && maps[name].instance) maps[name].instance.refresh();
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

// --- the map (a module of its own, loaded when a map is about to be seen)

const maps = {
  providers: { id: "provider-map", instance: null, pending: null, observed: false },
  blood: { id: "blood-map", instance: null, pending: null, observed: false },
};
let mapModule = null;

function loadMapModule() {
  if (!mapModule) {
    const assets = assetNames();
    const css = new Promise((resolve) => {
      const link = el("link", { rel: "stylesheet", href: assets.map_css });
      link.addEventListener("load", resolve);
      link.addEventListener("error", resolve);
      document.head.append(link);
    });
    const code = import(new URL(assets.map_js, import.meta.url).href);
    mapModule = Promise.all([code, css]).then(([module]) => module);
    mapModule.catch(() => {
      mapModule = null; // offline for a moment: the next look at the map tries again
    });
  }
  return mapModule;
}

async function ensureMap(kind) {
  const entry = maps[kind];
  if (entry.instance || entry.loading) return;
  entry.loading = true;
  try {
    const { createMap } = await loadMapModule();
    entry.instance = createMap($(entry.id), {
      upazilas: state.upazilas,
      tiles: boot.tiles,
      text: { t, digits, name: (u) => pick(u) },
    });
    if (entry.pending) entry.instance.show(entry.pending);
  } catch {
    // the list is the answer; the map comes when the network lets it
  } finally {
    entry.loading = false;
  }
}

function updateMap(kind, data) {
  const entry = maps[kind];
  entry.pending = data;
  const container = $(entry.id);
  container.closest(".map-box").hidden = data === null;
  if (data === null) return;
  if (entry.instance) return entry.instance.show(data);
  if (entry.observed) return;
  entry.observed = true;
  if (!("IntersectionObserver" in window)) return ensureMap(kind);
  const observer = new IntersectionObserver(
    (seen) => {
      if (seen.some((e) => e.isIntersecting)) {
        observer.disconnect();
        ensureMap(kind);
      }
    },
    { rootMargin: "200px" },
  );
  observer.observe(container);
}

function showOnMap(kind) {
  const box = $(maps[kind].id).closest(".map-box");
  box.scrollIntoView({ block: "start" });
  ensureMap(kind);
}

// --- providers and blood donors

/** The chip shown as selected: the one tapped, else the category the query names. */
function pressedCategory() {
  return state.provider.chosen ? state.provider.category : state.provider.implied;
}

function renderChips() {
  const chips = $("chips");
  const pressed = pressedCategory();
  const all = [{ slug: null, label: t("allCategories") }, ...state.categories.provider.map((c) => ({ slug: c.slug, label: categoryLabel(c) }))];
  chips.replaceChildren(
    ...all.map((c) => {
      const on = pressed === c.slug;
      const button = el("button", { type: "button", class: "chip", "aria-pressed": String(on), tabindex: on ? 0 : -1, dataset: { slug: c.slug ?? "" } }, c.label);
      button.addEventListener("click", () => {
        Object.assign(state.provider, { category: c.slug, chosen: true, implied: null });
        renderChips();
        chips.querySelector('[aria-pressed="true"]').focus();
        searchProviders();
      });
      return button;
    }),
  );
  const current = chips.querySelector('[aria-pressed="true"]');
  if (current) chips.scrollLeft = Math.max(0, current.offsetLeft - chips.offsetLeft - 16);
}

/** The chips are one stop for Tab (a toolbar): arrows move between them. */
function setupChipKeys() {
  const chips = $("chips");
  chips.addEventListener("keydown", (event) => {
    const buttons = [...chips.querySelectorAll(".chip")];
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = buttons[(next + buttons.length) % buttons.length];
    for (const b of buttons) b.tabIndex = b === target ? 0 : -1;
    target.focus();
  });
}

/** The two lists over /v1/providers/nearest: anyone near (chips and text), and blood donors. */
const NEAREST = {
  providers: {
    ready: () => true,
    params: () => providerParams(state.loc, { q: state.provider.q, category: state.provider.chosen ? state.provider.category : null, available: state.provider.available }),
    radius: () => PROVIDER_RADIUS_KM,
  },
  blood: {
    ready: () => Boolean(state.blood.group),
    params: () => ({
      lat: state.loc.lat,
      lon: state.loc.lon,
      limit: 20,
      category: "blood_donor",
      blood_group: state.blood.group,
      radius_km: state.blood.radius,
      available_now: true,
    }),
    radius: () => state.blood.radius,
  },
};

const part = (kind, name) => $(`${kind === "blood" ? "blood" : "provider"}-${name}`);

function section(className, heading, cards) {
  return el("section", { class: className }, el("h3", { class: "section-heading" }, heading), el("ol", { class: "results" }, cards));
}

/** How many results match every word when the server had to relax the query, else null. */
function exactCount(query) {
  return query && query.relaxed && query.exact_matches > 0 ? query.exact_matches : null;
}

/**
 * What the server made of the words: the upazila it searched around, and either how many results
 * match them all ("ইলিশ": 4 hilsa, then other fish) or, when none does, the words it left out.
 */
function queryNote(query) {
  if (!query) return [];
  const lines = [];
  if (query.place) lines.push(t("searchedIn", pick(query.place)));
  const exact = exactCount(query);
  if (exact) lines.push(t("exactMatches", formatCount(exact)));
  else if (query.ignored_words && query.ignored_words.length) lines.push(t("ignoredWords", digits(query.ignored_words.join(", "))));
  return lines;
}

/** A list of cards with a "more of the same kind" line where the full matches end. */
function withDivider(cards, exact) {
  if (!exact || exact >= cards.length) return cards;
  const divider = el("li", { class: "divider", role: "separator" }, t("sameKind"));
  return [...cards.slice(0, exact), divider, ...cards.slice(exact)];
}

function summaryOf(kind, body, open, others) {
  const radius = formatKm(NEAREST[kind].radius());
  if (kind === "blood") {
    const widened = state.blood.radius > BLOOD_RADIUS_KM ? [t("widened", formatKm(BLOOD_RADIUS_KM), formatKm(state.blood.radius)), " "] : [];
    return open ? [...widened, t("donorsFound", formatCount(open), formatCount(body.total))] : [...widened, t("noDonors", radius)];
  }
  if (open) return [t("providersFound", formatCount(open), formatCount(body.total))];
  if (!state.provider.available) return [t("noProviders")];
  return [others ? t("nothingOpen", radius) : t("noProvidersTicked")];
}

function renderNearest(kind) {
  const body = state.last[kind];
  if (!body || state.failed[kind]) return;
  const [status, list, more, note] = ["status", "results", "more", "note"].map((name) => part(kind, name));
  const at = body.query ? body.query.at : null;
  const closed = body.closed_nearby || [];
  const beyond = body.nearest_open_beyond ? [body.nearest_open_beyond] : [];
  const entries = [
    ...body.results.map((r) => ({ r, kind: "open" })),
    ...closed.map((r) => ({ r, kind: "closed" })),
    ...beyond.map((r) => ({ r, kind: "beyond" })),
  ].map((entry, i) => ({ ...entry, n: i + 1 }));
  const cards = (which) => entries.filter((e) => e.kind === which).map((e) => providerCard(e.r, e.n, at, e.kind));

  list.replaceChildren(...withDivider(cards("open"), exactCount(body.query)));
  const extra = [];
  // Nobody can give blood now: the emergency numbers are the next step, before donors of later days.
  if (kind === "blood" && body.results.length === 0) extra.push(emergencyBox(emergency.entries));
  if (closed.length) extra.push(section("closed-nearby", kind === "blood" ? t("donorsLater") : t("closedNearby"), cards("closed")));
  if (beyond.length) extra.push(section("open-beyond", t("openBeyond", formatKm(NEAREST[kind].radius())), cards("beyond")));
  more.replaceChildren(...extra);

  const lines = queryNote(body.query);
  note.replaceChildren(...lines.map((line) => el("span", {}, line)));
  note.hidden = lines.length === 0;

  const summary = summaryOf(kind, body, body.results.length, closed.length + beyond.length);
  const mapLink = entries.length ? el("button", { type: "button", class: "link show-map" }, `${t("showOnMap")} ↓`) : null;
  if (mapLink) mapLink.addEventListener("click", () => showOnMap(kind));
  showMessage(status, list, ...summary, mapLink && " ", mapLink);

  updateMap(kind, {
    user: state.loc,
    points: entries.map((e) => ({ lat: e.r.location.lat, lon: e.r.location.lon, n: e.n, kind: e.kind, card: () => providerCard(e.r, e.n, at, e.kind) })),
  });
  if (kind === "providers" && body.results.length && !state.firstResultMarked) {
    state.firstResultMarked = true;
    performance.mark("first-result"); // read by the browser test on the emulated slow link
  }
}

async function searchNearest(kind) {
  if (!state.loc || !NEAREST[kind].ready()) return;
  if (kind === "providers") state.provider.ran = true;
  const status = part(kind, "status");
  const list = part(kind, "results");
  showLoading(status, list);
  try {
    const params = NEAREST[kind].params();
    const body = await channels[kind].get("/v1/providers/nearest", params, {
      onWait: (seconds) => showLoading(status, list, t("busyWaiting", digits(seconds))),
    });
    if (body === null) return; // superseded by a newer search
    if (kind === "blood" && body.results.length === 0 && state.blood.radius < BLOOD_WIDER_KM) {
      state.blood.radius = BLOOD_WIDER_KM; // nobody within 50 km: ask again, wider, before answering
      return searchNearest(kind);
    }
    state.last[kind] = body;
    state.failed[kind] = false;
    if (kind === "providers") {
      const named = body.query && body.query.categories && body.query.categories.length === 1 ? body.query.categories[0] : null;
      state.provider.implied = state.provider.q.trim() ? named : null;
      if (!state.provider.chosen) renderChips();
    }
    renderNearest(kind);
  } catch (error) {
    state.failed[kind] = true;
    showError(status, list, error, () => searchNearest(kind), [part(kind, "more"), part(kind, "note")]);
    updateMap(kind, null);
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
        state.blood.radius = BLOOD_RADIUS_KM;
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

function productItem(result) {
  const title = snippetOr(result.highlight && result.highlight.title, pick(result.title));
  const description = snippetOr(result.highlight && result.highlight.description, pick(result.description));
  return productCard(result, title, description);
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
        el("span", { class: "count" }, formatCount(f.count)),
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
  list.replaceChildren(...withDivider(p.items.map(productItem), p.exact));
  renderFacets();
  $("load-more").hidden = !p.last.next_cursor;
  const lines = queryNote(p.first);
  $("product-note").replaceChildren(...lines.map((line) => el("span", {}, line)));
  $("product-note").hidden = lines.length === 0;
  showMessage($("product-status"), list, p.items.length ? t("productsFound", formatCount(p.items.length), formatCount(p.last.total)) : t("noProducts"));
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
    const body = await channels.products.get("/v1/products/search", params, {
      onWait: (seconds) => showLoading(status, list, t("busyWaiting", digits(seconds))),
    });
    if (body === null) return;
    if (!more) {
      p.params = params;
      p.items = [];
      p.ids = new Set();
      if (!p.category) p.facetBase = body.facets.category;
      p.first = body.query; // later pages continue the same answer
      p.exact = exactCount(body.query);
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
    if (!more) {
      p.items = [];
      p.ids = new Set();
      p.last = null;
      $("load-more").hidden = true;
    }
    showError(status, list, error, () => searchProducts(more), more ? [] : [$("product-note"), $("facets")]);
    if (more) renderProductsKeepingError(list);
  } finally {
    $("load-more").disabled = false;
  }
}

/** A failed "load more" keeps the pages already shown (they are still right) under the error. */
function renderProductsKeepingError(list) {
  list.replaceChildren(...state.products.items.map(productItem));
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
        el("span", {}, kind ? pick(s) : digits(s.text)), // a category in the page's language
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
    Object.assign(state.provider, { category: params.category ?? null, chosen: true, implied: null, q: "" });
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
    state.activeSuggestion = ((state.activeSuggestion + (event.key === "ArrowDown" ? 1 : n - 1) + 1) % (n + 1)) - 1;
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
  renderCattle();
  renderStorefront();
  if (state.suggestions.length) renderSuggestions();
  for (const entry of Object.values(maps)) if (entry.instance) entry.instance.refresh();
}

function setupLanguage() {
  setLanguage(remembered(KEYS.lang) || "bn");
  $("lang").addEventListener("click", () => {
    setLanguage(language() === "bn" ? "en" : "bn");
    remember(KEYS.lang, language());
    renderAll();
  });
}

function setupProviders() {
  const input = $("provider-q");
  const ask = () => {
    state.provider.q = input.value;
    // New words start a new search: the category follows what they name until a chip is tapped.
    Object.assign(state.provider, { category: null, chosen: false });
    searchProviders();
  };
  const typed = debounce(ask, 350);
  input.addEventListener("input", typed);
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    typed.cancel();
    ask();
  });
  $("available").addEventListener("change", (event) => {
    state.provider.available = event.target.checked;
    searchProviders();
  });
  for (const link of document.querySelectorAll(".skip")) {
    link.addEventListener("click", (event) => {
      event.preventDefault(); // the address's #fragment names the tab; keep it
      const target = $(link.dataset.target);
      target.focus();
      target.scrollIntoView({ block: "start" });
    });
  }
  setupChipKeys();
}

function setup() {
  setupLanguage();
  setupTabs();
  setupProviders();
  setupProducts();
  setupCattle(() => (knownLocation() ? { lat: state.loc.lat, lon: state.loc.lon } : null));
  $("locate").addEventListener("click", locate);
  $("upazila").addEventListener("change", (event) => useUpazila(event.target.value));
  state.loc = initialLocation(state.upazilas);
  if (state.loc.source === "gps") state.locMessage = { key: "gpsRemembered", forget: true };
  renderAll();
  const shop = storefrontSlug(); // a storefront's shareable page, /app/s/<slug>
  if (shop) {
    startStorefront(shop);
    return;
  }
  const fromHash = window.location.hash.slice(1);
  selectTab(["providers", "blood", "products", "cattle"].includes(fromHash) ? fromHash : "providers");
}

setup();
