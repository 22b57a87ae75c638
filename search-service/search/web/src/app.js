// The reference web client: nearest providers, blood donors and local products, over the public API.
// Results come first on the screen; the map follows the list and is loaded only when it is about to
// be seen. A search that finds nobody open still answers: who opens next, the nearest open one further
// away, and for blood the district's emergency numbers. The address is the state (history.js), answers
// are kept for a page without a network (offline.js), and the emergency numbers are always one tap away.

import { Channel } from "./api.js";
import { BLOOD_GROUPS, TABS } from "./address.js";
import { assetNames, bootData } from "./boot_data.js";
import { answerEmergency, categoryLabel, emergencyBox, emergencyList, providerCard } from "./cards.js";
import { combobox } from "./combobox.js";
import { $, el, loadScript } from "./dom.js";
import emergency from "./emergency.json";
import { change, followHistory, rememberedScroll, restoreScroll, view } from "./history.js";
import { addLanguage, collate, digits, formatCount, formatDistance, formatKm, language, pick, setDistrict, setLanguage, t, translatePage } from "./i18n.js";
import { exactCount, showNotes } from "./notes.js";
import { keepShell, registerServiceWorker } from "./offline.js";
import { PROVIDER_RADIUS_KM, providerParams, urlOf } from "./params.js";
import {
  KEYS,
  initialLocation,
  keepSessionChoice,
  keepSessionGps,
  kmToNearestUpazila,
  positionKey,
  remember,
  remembered,
  sessionChoice,
} from "./place.js";
import { heardFrom, placeAt } from "./place_at.js";
import { followNetwork, isOffline, offlineNote, offlineState, showError, showLoading, showMessage } from "./status.js";
import { beyondHeading, laterHeading } from "./wording.js";

const BLOOD_RADIUS_KM = 50;
const BLOOD_WIDER_KM = 100; // the API's largest radius
const NEAREST_PATH = "/v1/providers/nearest";

// The page as it arrived, before this app changes it: what the service worker opens without a network.
const PAGE_AS_SERVED = `<!doctype html>\n${document.documentElement.outerHTML}`;

const boot = bootData();
setDistrict(boot.district);
// The emergency numbers of the whole country, and the hospitals of the district the page serves.
const emergencyEntries = emergency.entries.filter((e) => !e.district || (boot.district && e.district === boot.district.slug));
const state = {
  upazilas: boot.upazilas,
  categories: boot.categories,
  loc: null, // {lat, lon, source: "given" | "gps" | "upazila" | "default", slug?, accuracy?}
  locMessage: null, // {key, args, forget?, warn?, place?: {bn, en} where the phone is} under the location picker
  moves: 0, // the places the person chose: an answer about an earlier one's position changes nothing
  implied: null, // the category the providers' words name, pressed until a chip is tapped
  bloodRadius: BLOOD_RADIUS_KM,
  last: { providers: null, blood: null }, // the answers on screen
  shown: { providers: null, blood: null }, // the request each answers
  failed: { providers: false, blood: false }, // the latest search failed for want of a network
  errored: { providers: false, blood: false }, // an error replaced the list
  firstResultMarked: false,
};

const channels = { providers: new Channel(), blood: new Channel() };

// --- the products tab, the cattle market and storefronts (later.js, a file of its own: build.mjs)

/* global LATER_JS */
let laterModule = null; // the loaded module, once it is here
let laterLoading = null;

/** later.js, loaded once and set up; rejected (and asked again next time) without a network. */
function later() {
  if (!laterLoading) {
    laterLoading = loadScript(LATER_JS, "__kgLater").then((module) => {
      module.setupProducts({ where, choose: chooseSuggestion, openCategory });
      module.setupCattle(where);
      module.setupStorefront(() => {
        change((v) => {
          v.shop = null;
          v.tab = "products";
        });
        applyView(view(), 0);
      });
      laterModule = module;
      keepShell(assetNames().version, [LATER_JS], PAGE_AS_SERVED); // the other tabs work offline too now
      return module;
    });
    laterLoading.catch(() => {
      laterLoading = null;
    });
  }
  return laterLoading;
}

/** Run `use(module)` on later.js: at once when it is here, else once it arrives (a failure shown in `status`). */
function withLater(use, status = null) {
  if (laterModule) return Promise.resolve(use(laterModule));
  if (status) status.replaceChildren(el("p", { class: "loading" }, el("span", { class: "spinner", "aria-hidden": "true" }), t("loading")));
  return later().then(use, (error) => {
    if (status) showError(status, document.createElement("ol"), { kind: "network", message: String(error) }, () => withLater(use, status));
  });
}

const productsRan = () => Boolean(laterModule && laterModule.productsRan());
const cattleRan = () => Boolean(laterModule && laterModule.cattleRan());

// --- location

function knownLocation() {
  return state.loc && state.loc.source !== "default";
}

const where = () => (knownLocation() ? { lat: state.loc.lat, lon: state.loc.lon } : null);

function locationName() {
  const loc = state.loc;
  if (loc.source === "gps") return t("locationHere");
  if (loc.source === "given") return t("locationGiven");
  return pick(state.upazilas[0]); // the district's sadar, where the search starts (place.js initialLocation)
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

/** A location message's argument as the reader reads it: a number of km, a place's {bn, en}, or
 * null for "outside the district" in the page's own words. */
function spoken(arg) {
  if (typeof arg === "number") return formatKm(arg);
  if (arg === null) return t("outsideOf");
  return typeof arg === "object" ? pick(arg) : arg;
}

/** "প্রায় ৩০ মিটার" / "about 1.2 km": how far off the phone's position may be. */
const precision = (metres) => formatDistance(Math.max(metres, 10));

function renderLocationStatus() {
  const status = $("loc-status");
  const message = state.locMessage || (state.loc.source === "default" ? { key: "locationAssumed" } : null);
  if (!message) {
    status.replaceChildren();
    status.hidden = true;
    return;
  }
  const args = (message.args || []).map(spoken);
  let text = t(message.key, ...args);
  const accuracy = state.loc.source === "gps" ? state.loc.accuracy : null;
  if (message.key === "gpsRemembered" && Number.isFinite(accuracy)) text += t("precisionNote", precision(accuracy));
  if (message.key === "gpsAtOnce") text = t("gpsAtOnce", precision(accuracy || 0));
  if (message.place) text = `${t("youAreIn", pick(message.place))} ${text}`;
  const forget = message.forget ? el("button", { type: "button", class: "link", id: "forget-gps" }, t("forgetGps")) : null;
  if (forget) forget.addEventListener("click", forgetGps);
  status.replaceChildren(el("span", { class: message.warn ? "warn" : "" }, text), ...(forget ? [" ", forget] : []));
  status.hidden = false;
}

function setLocation(loc) {
  state.loc = loc;
  // A place chosen here replaces a place a link gave.
  if (loc.source !== "given") change((v) => (v.given = null), { push: false });
  renderLocation();
  refreshAfterLocationChange();
}

function useUpazila(slug) {
  const u = state.upazilas.find((x) => x.slug === slug);
  if (!u) return;
  state.moves += 1;
  remember(KEYS.upazila, slug);
  keepSessionGps(null); // a chosen upazila replaces the phone's position, for this session
  keepSessionChoice("upazila");
  state.locMessage = null;
  setLocation({ lat: u.lat, lon: u.lon, source: "upazila", slug });
}

function forgetGps() {
  state.moves += 1;
  keepSessionGps(null);
  keepSessionChoice("forget");
  state.locMessage = null;
  setLocation(initialLocation(state.upazilas, ""));
  $("locate").focus();
}

function locationProblem(key, args) {
  state.locMessage = { key, args, warn: true };
  renderLocationStatus();
  $("upazila").focus();
}

/** `verdict` (place_at.js): what the server said of the position, which names it on the status line. */
function usePosition(point, messageKey, verdict = null) {
  keepSessionGps(point);
  state.locMessage = { key: messageKey, forget: true, place: verdict && verdict.inside ? verdict.words : null };
  setLocation({ ...point, source: "gps" });
}

const kmAway = (point) => Math.round(kmToNearestUpazila(point, state.upazilas));

/** The phone's position, asked when the person taps the button; kept for this session once the
 * server (or, without a network, the upazila towns' circles) places it in the district. */
function locate() {
  if (!("geolocation" in navigator)) return locationProblem("locationFailed");
  keepSessionChoice(null); // the phone's position again, from now on
  const move = ++state.moves;
  state.locMessage = { key: "locating" };
  renderLocationStatus();
  navigator.geolocation.getCurrentPosition(
    async (position) => {
      const point = { lat: position.coords.latitude, lon: position.coords.longitude, accuracy: position.coords.accuracy };
      const verdict = await placeAt(point, state.upazilas);
      if (move !== state.moves) return; // the person chose another place meanwhile
      if (!verdict.inside) return locationProblem("outsideDistrict", [verdict.words, kmAway(point)]);
      usePosition(point, "gpsRemembered", verdict);
    },
    (error) => {
      if (move === state.moves) locationProblem(error && error.code === 1 ? "locationDenied" : "locationFailed");
    },
    { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 },
  );
}

const GPS_MESSAGES = ["gpsAtOnce", "gpsRemembered"];
const onPhonePosition = (point) => state.loc && state.loc.source === "gps" && positionKey(state.loc) === positionKey(point);

/** Name the phone's position on the status line ("আপনি আছেন: …"), as the server named it. */
function namePosition(verdict) {
  if (!verdict.words) return;
  const message = state.locMessage && GPS_MESSAGES.includes(state.locMessage.key) ? state.locMessage : { key: "gpsRemembered", forget: true };
  if (message.place && message.place.bn === verdict.words.bn) return;
  state.locMessage = { ...message, place: verdict.words };
  renderLocationStatus();
}

/** The server placed the phone's position outside the district (its polygon, where the towns' circles
 * had let it in): the page leaves it for the upazila chosen before, else the sadar, and says why. */
function leavePosition(verdict) {
  const away = kmAway(state.loc);
  state.moves += 1;
  keepSessionGps(null);
  state.locMessage = { key: "gpsOutsideAtOnce", args: [verdict.words, away] };
  setLocation(initialLocation(state.upazilas, ""));
}

/**
 * What the server says of the phone's position, when it comes without a nearest answer to bring it:
 * named when inside, left when outside. `move`: the person's moves when it was asked.
 */
function judgePosition(point, move) {
  Promise.all([placeAt(point, state.upazilas), started]).then(([verdict]) => {
    if (move !== state.moves || !onPhonePosition(point) || verdict.by !== "server") return;
    if (verdict.inside) namePosition(verdict);
    else leavePosition(verdict);
  });
}

/**
 * A nearest answer says where it searched from (query.citizen_at): kept, and when that is the phone's
 * position, it names it, or — outside the district — the page leaves it. True when the page left it
 * (the answer, from outside, is then not shown).
 */
function hearWhere(params, body) {
  const verdict = heardFrom(params, body);
  if (!verdict || !onPhonePosition(params)) return false;
  if (verdict.inside) {
    namePosition(verdict);
    return false;
  }
  leavePosition(verdict);
  return true;
}

function refreshAfterLocationChange() {
  if (state.shown.providers || state.errored.providers) searchNearest("providers");
  if (view().blood.group) searchNearest("blood");
  if (laterModule) {
    laterModule.relocateProducts();
    if (cattleRan()) laterModule.searchCattle();
  }
}

let markStarted = null;
const started = new Promise((resolve) => {
  markStarted = resolve; // the page is drawn: what comes after may change the location
});

/**
 * What the inline boot script decided (boot.js): the phone's position when permission was given.
 * Whether it lies in the district was guessed there without a round trip; the server's word follows —
 * with the first answer when that was asked from the position (its query.citizen_at), else from
 * /v1/places/at — and names the place or moves the search back into the district.
 */
async function startingPlace() {
  const begun = window.__kgStart ? await window.__kgStart.catch(() => null) : null;
  const loc = begun ? begun.loc : initialLocation(state.upazilas);
  const { position = null, late = null } = begun || {};
  const answerComing = Boolean(window.__kgFirst); // the first search, asked from `loc`, names it
  if (loc.fresh) {
    keepSessionGps(loc);
    state.locMessage = { key: "gpsAtOnce", forget: true };
  } else if (position) {
    // Outside as far as the page could tell at once; the server may know better (a haor's far edge).
    state.locMessage = { key: "gpsOutsideAtOnce", args: [null, kmAway(position)] };
    Promise.all([placeAt(position, state.upazilas), started]).then(([verdict]) => {
      if (state.moves !== 0 || state.loc !== loc || sessionChoice()) return;
      if (verdict.inside) usePosition(position, "gpsAtOnce", verdict);
      else if (verdict.words) {
        state.locMessage = { key: "gpsOutsideAtOnce", args: [verdict.words, kmAway(position)] };
        renderLocationStatus();
      }
    });
  } else if (loc.source === "gps") {
    state.locMessage = { key: "gpsRemembered", forget: true };
  }
  if (loc.source === "gps" && !answerComing) judgePosition(loc, 0);
  if (late) {
    // A GPS slower than the page: its position replaces the assumed place when it comes and the
    // server places it in the district, unless the person chose a place meanwhile.
    late.then(async (point) => {
      if (!point) return;
      const verdict = await placeAt(point, state.upazilas);
      await started;
      if (state.moves !== 0 || state.loc !== loc || sessionChoice()) return;
      if (verdict.inside) usePosition(point, "gpsAtOnce", verdict);
      else {
        state.locMessage = { key: "gpsOutsideAtOnce", args: [verdict.words, kmAway(point)] };
        renderLocationStatus();
      }
    });
  }
  return loc;
}

// --- tabs

function currentTab() {
  return view().tab;
}

/** Show `name`'s panel; with `search`, its first search runs when it is first seen. Resolves when shown. */
function showTab(name, { focus = false, search = true } = {}) {
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const selected = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(tab.getAttribute("aria-controls")).hidden = !selected;
    if (selected && focus) tab.focus();
  }
  if (maps[name] && maps[name].instance) maps[name].instance.refresh();
  if (!search) return Promise.resolve();
  const waits = [];
  if (name === "providers" && !state.shown.providers && !state.errored.providers) waits.push(searchNearest("providers"));
  if (name === "blood" && view().blood.group && !state.shown.blood) waits.push(searchNearest("blood"));
  if (name === "products" && !productsRan()) waits.push(withLater((m) => m.searchProducts(), $("product-status")));
  if (name === "cattle" && !cattleRan()) waits.push(withLater((m) => m.searchCattle(), $("cattle-status")));
  return Promise.all(waits);
}

function selectTab(name, options = {}) {
  change((v) => {
    v.tab = name;
  });
  return showTab(name, options);
}

function setupTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  // The other tabs' code is fetched when a finger or the keyboard heads for them, not on every visit:
  // a citizen who only calls an electrician never pays for the cattle market.
  for (const tab of tabs.filter((t) => t.dataset.tab === "products" || t.dataset.tab === "cattle")) {
    for (const intent of ["pointerdown", "focus"]) tab.addEventListener(intent, () => later().catch(() => {}), { once: true });
  }
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
    const code = loadScript(assets.map_js, "__kgMap");
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
  const chosen = view().provider.category;
  return chosen !== null ? chosen : state.implied;
}

/** A category a suggestion or an answer names that the page's taxonomy lacks joins the chips. */
function knowCategory(category) {
  if (!category || state.categories.provider.some((c) => c.slug === category.slug)) return;
  state.categories.provider.push({ slug: category.slug, bn: category.bn || category.slug, en: category.en || category.slug, icon: category.icon || "" });
}

function chooseProviderCategory(slug, category = null) {
  knowCategory(category);
  change((v) => {
    v.tab = "providers";
    v.provider.category = slug;
    v.provider.q = "";
  });
  $("provider-q").value = "";
  state.implied = null;
  renderChips();
  return searchNearest("providers");
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
        change((v) => {
          v.provider.category = c.slug;
        });
        state.implied = null;
        renderChips();
        chips.querySelector('[aria-pressed="true"]').focus();
        searchNearest("providers");
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
    params: () => providerParams(state.loc, view().provider),
    radius: () => PROVIDER_RADIUS_KM,
  },
  blood: {
    ready: () => Boolean(view().blood.group),
    params: () => ({
      lat: state.loc.lat,
      lon: state.loc.lon,
      limit: 20,
      category: "blood_donor",
      blood_group: view().blood.group,
      radius_km: state.bloodRadius,
      available_now: true,
    }),
    radius: () => state.bloodRadius,
  },
};

const part = (kind, name) => $(`${kind === "blood" ? "blood" : "provider"}-${name}`);

function section(className, heading, cards) {
  return el("section", { class: className }, el("h3", { class: "section-heading" }, heading), el("ol", { class: "results" }, cards));
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
    const widened = state.bloodRadius > BLOOD_RADIUS_KM ? [t("widened", formatKm(BLOOD_RADIUS_KM), formatKm(state.bloodRadius)), " "] : [];
    return open ? [...widened, t("donorsFound", formatCount(open), formatCount(body.total))] : [...widened, t("noDonors", radius)];
  }
  if (open) return [t("providersFound", formatCount(open), formatCount(body.total))];
  if (body.query && body.query.not_listed && !others) return []; // the note says it: no hint to untick
  if (!view().provider.available) return [t("noProviders")];
  return [others ? t("nothingOpen", radius) : t("noProvidersTicked")];
}

function renderNearest(kind) {
  const body = state.last[kind];
  if (!body || state.errored[kind]) return;
  const [status, list, more, note, urgent] = ["status", "results", "more", "note", "urgent"].map((name) => part(kind, name));
  const at = body.query ? body.query.at : null;
  const closed = body.closed_nearby || [];
  const beyond = body.nearest_open_beyond ? [body.nearest_open_beyond] : [];
  const entries = [
    ...body.results.map((r) => ({ r, kind: "open" })),
    ...closed.map((r) => ({ r, kind: "closed" })),
    ...beyond.map((r) => ({ r, kind: "beyond" })),
  ].map((entry, i) => ({ ...entry, n: i + 1 }));
  const cards = (which) => entries.filter((e) => e.kind === which).map((e) => providerCard(e.r, e.n, at, e.kind));

  // A night medical need: what can help now comes first (the answer's own emergency block).
  const block = answerEmergency(body.emergency, emergencyEntries, at, { helpNow: body.results.length > 0 });
  urgent.replaceChildren(...(block ? [block] : []));
  list.replaceChildren(...withDivider(cards("open"), exactCount(body.query)));
  const extra = [];
  // Nobody can give blood now: the emergency numbers are the next step, before donors of later days.
  if (kind === "blood" && body.results.length === 0 && !block) extra.push(emergencyBox(emergencyEntries));
  if (closed.length) extra.push(section("closed-nearby", laterHeading(closed), cards("closed")));
  if (beyond.length) extra.push(section("open-beyond", beyondHeading(beyond[0], formatKm(NEAREST[kind].radius())), cards("beyond")));
  more.replaceChildren(...extra);

  showNotes(note, body.query, openCategory);

  const summary = summaryOf(kind, body, body.results.length, closed.length + beyond.length);
  const mapLink = entries.length ? el("button", { type: "button", class: "link show-map" }, `${t("showOnMap")} ↓`) : null;
  if (mapLink) mapLink.addEventListener("click", () => showOnMap(kind));
  showMessage(status, list, ...summary, mapLink && " ", mapLink);
  const offline = offlineState(body, state.failed[kind]);
  const banner = offlineNote(offline, () => searchNearest(kind));
  if (banner) status.prepend(banner);
  followNetwork(kind, offline, () => searchNearest(kind));

  // A map without a single result says nothing the list does not: none then.
  updateMap(
    kind,
    entries.length
      ? {
          user: state.loc,
          points: entries.map((e) => ({ lat: e.r.location.lat, lon: e.r.location.lon, n: e.n, kind: e.kind, card: () => providerCard(e.r, e.n, at, e.kind) })),
        }
      : null,
  );
  if (kind === "providers" && body.results.length && !state.firstResultMarked) {
    state.firstResultMarked = true;
    performance.mark("first-result"); // read by the browser test on the emulated slow link
  }
}

/** Ask the list `kind` for what the address says; `again`: an answer of this visit will do. */
async function searchNearest(kind, { again = false } = {}) {
  if (!state.loc || !NEAREST[kind].ready()) return;
  const status = part(kind, "status");
  const list = part(kind, "results");
  showLoading(status, list);
  const params = NEAREST[kind].params();
  try {
    const body = await channels[kind].get(NEAREST_PATH, params, {
      again,
      onWait: (seconds) => showLoading(status, list, t("busyWaiting", digits(seconds))),
    });
    if (body === null) return; // superseded by a newer search
    if (hearWhere(params, body)) {
      // Searched from outside the district: the location moved back in, and the lists shown before
      // follow it (setLocation); a first list is asked here.
      if (kind === "providers" && !state.shown.providers && !state.errored.providers) return searchNearest(kind, { again });
      return;
    }
    if (kind === "blood" && body.results.length === 0 && state.bloodRadius < BLOOD_WIDER_KM) {
      state.bloodRadius = BLOOD_WIDER_KM; // nobody within 50 km: ask again, wider, before answering
      return searchNearest(kind, { again });
    }
    state.last[kind] = body;
    state.shown[kind] = urlOf(NEAREST_PATH, params);
    state.failed[kind] = false;
    state.errored[kind] = false;
    if (kind === "providers") {
      const named = body.query && body.query.categories && body.query.categories.length === 1 ? body.query.categories[0] : null;
      state.implied = view().provider.q ? named : null;
      if (view().provider.category === null) renderChips();
    }
    renderNearest(kind);
  } catch (error) {
    if (isOffline(error) && state.last[kind] && !state.errored[kind]) {
      state.failed[kind] = true; // the list on screen stays, marked as the earlier search's
      renderNearest(kind);
      return;
    }
    state.errored[kind] = true;
    state.shown[kind] = null;
    showError(status, list, error, () => searchNearest(kind), [part(kind, "more"), part(kind, "note"), part(kind, "urgent")]);
    followNetwork(kind, isOffline(error) ? { mode: "kept" } : null, () => searchNearest(kind));
    updateMap(kind, null);
  }
}

function renderBloodGroups() {
  const grid = $("blood-groups");
  grid.replaceChildren(
    ...BLOOD_GROUPS.map((group) => {
      const input = el("input", { type: "radio", name: "blood-group", value: group, checked: view().blood.group === group });
      input.addEventListener("change", () => {
        change((v) => {
          v.blood.group = group;
        });
        state.bloodRadius = BLOOD_RADIUS_KM;
        searchNearest("blood");
      });
      return el("label", { class: "group", lang: "en" }, input, el("span", {}, group));
    }),
  );
}

// --- suggestions: one meaning for both search boxes

/** A category an answer offers by name (query.suggested_categories): its own search, in its tab. */
function openCategory(category) {
  if (laterModule) laterModule.closeStorefront();
  if (category.kind === "product") {
    showTab("products", { search: false });
    return withLater((m) => m.openProductSuggestion({ category: category.slug }), $("product-status"));
  }
  showTab("providers", { search: false });
  return chooseProviderCategory(category.slug, category);
}

function chooseSuggestion(s) {
  const params = (s.open && s.open.params) || {};
  if (laterModule) laterModule.closeStorefront();
  if (s.open && s.open.endpoint === NEAREST_PATH) {
    showTab("providers", { search: false });
    return chooseProviderCategory(params.category ?? null, s.type === "provider_category" ? { slug: params.category, bn: s.bn, en: s.en } : null);
  }
  showTab("products", { search: false });
  return withLater((m) => m.openProductSuggestion(params), $("product-status"));
}

// --- start

function renderEmergencyHeader() {
  $("sos-list").replaceWith(Object.assign(emergencyList(emergencyEntries), { id: "sos-list" }));
}

function renderAll() {
  translatePage();
  $("lang").lang = language() === "bn" ? "en" : "bn";
  renderEmergencyHeader();
  renderLocation();
  renderChips();
  renderBloodGroups();
  renderNearest("providers");
  renderNearest("blood");
  if (laterModule) {
    laterModule.renderProducts();
    laterModule.renderCattle();
    laterModule.renderStorefront();
  }
  for (const entry of Object.values(maps)) if (entry.instance) entry.instance.refresh();
}

/* global EN_JS */
let englishLoading = null;

/** The English words (strings_en.js), fetched once; the boot script preloads them for English readers. */
function english() {
  if (!englishLoading) {
    englishLoading = loadScript(EN_JS, "__kgEnglish").then((module) => addLanguage("en", module.default));
    englishLoading.catch(() => {
      englishLoading = null;
    });
  }
  return englishLoading;
}

async function setupLanguage() {
  const wanted = remembered(KEYS.lang) || "bn";
  if (wanted === "en") await english().catch(() => {}); // without a network: Bangla until they come
  setLanguage(wanted);
  $("lang").addEventListener("click", async () => {
    const next = language() === "bn" ? "en" : "bn";
    if (next === "en") {
      try {
        await english();
      } catch {
        return; // no network for the words yet: the page stays as it is
      }
    }
    setLanguage(next);
    remember(KEYS.lang, language());
    renderAll();
  });
}

function setupProviders() {
  const input = $("provider-q");
  const box = combobox(input, $("provider-suggest"), chooseSuggestion);
  const ask = () => {
    box.close();
    // New words start a new search: the category follows what they name until a chip is tapped.
    change((v) => {
      v.provider.q = input.value.trim();
      v.provider.category = null;
    });
    searchNearest("providers");
  };
  $("provider-form").addEventListener("submit", (event) => {
    event.preventDefault();
    ask();
  });
  $("available").addEventListener("change", (event) => {
    change((v) => {
      v.provider.available = event.target.checked;
    });
    searchNearest("providers");
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

function setupEmergencyHeader() {
  const sos = $("sos");
  document.addEventListener("click", (event) => {
    if (sos.open && !sos.contains(event.target)) sos.open = false;
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && sos.open) sos.open = false;
  });
}

/** Storefront links of any list open the storefront inside the page. */
function setupStorefrontLinks() {
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a.shop-link");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    const slug = /\/s\/([a-z0-9-]+)$/.exec(new URL(link.href).pathname);
    if (!slug) return;
    event.preventDefault();
    withLater((m) => {
      m.closeProductSuggestions();
      return m.followStorefrontLink(slug[1]);
    });
  });
}

/** Make the fields say what the address asks (a reload, Back, Forward). */
function syncProviderFields(v) {
  if ($("provider-q").value.trim() !== v.provider.q) $("provider-q").value = v.provider.q;
  $("available").checked = v.provider.available;
  for (const radio of document.querySelectorAll('#blood-groups input[type="radio"]')) radio.checked = radio.value === v.blood.group;
}

/** Show the view the address describes; `scrollY` is where it was scrolled. */
async function applyView(v, scrollY) {
  syncProviderFields(v);
  if (v.provider.q === "" || v.provider.category !== null) state.implied = null;
  renderChips();
  const waits = [];
  // A list is asked again when it was seen before (or its tab is shown now) and asks something else now.
  const wanted = (kind) => NEAREST[kind].ready() && state.shown[kind] !== urlOf(NEAREST_PATH, NEAREST[kind].params());
  const seen = (kind) => v.tab === kind || state.shown[kind] || state.errored[kind];
  if (v.shop) {
    waits.push(withLater((m) => m.openStorefront(true), $("storefront-status")));
  } else {
    if (laterModule) laterModule.closeStorefront();
    showTab(v.tab, { search: false });
    if (seen("providers") && wanted("providers")) waits.push(searchNearest("providers", { again: true }));
    if (seen("blood") && wanted("blood")) {
      state.bloodRadius = BLOOD_RADIUS_KM;
      waits.push(searchNearest("blood", { again: true }));
    }
    if (v.tab === "products" || productsRan()) waits.push(withLater((m) => m.applyProducts(v.tab === "products"), $("product-status")));
    if (v.tab === "cattle" || cattleRan()) waits.push(withLater((m) => m.applyCattle(v.tab === "cattle"), $("cattle-status")));
  }
  await Promise.all(waits);
  restoreScroll(scrollY);
  // After the first answer, never competing with it: the service worker, then the files a reload
  // offline needs, from the browser's cache (the other tabs' code only once it was wanted).
  registerServiceWorker();
  whenIdle(() => keepShell(assetNames().version, assetNames().shell.filter((url) => laterModule || url !== LATER_JS), PAGE_AS_SERVED));
}

function whenIdle(run) {
  if ("requestIdleCallback" in window) requestIdleCallback(run, { timeout: 5000 });
  else setTimeout(run, 2000);
}

async function start() {
  const words = setupLanguage();
  setupTabs();
  setupProviders();
  // Forms of later.js's panels never submit the page itself, even before later.js is here.
  for (const form of document.querySelectorAll("#product-form, #cattle-form, #storefront-form")) form.addEventListener("submit", (event) => event.preventDefault());
  setupStorefrontLinks();
  setupEmergencyHeader();
  $("locate").addEventListener("click", locate);
  $("upazila").addEventListener("change", (event) => useUpazila(event.target.value));
  state.loc = await startingPlace();
  await words;
  renderAll();
  markStarted();
  followHistory(applyView);
  if (!TABS.includes(window.location.hash.slice(1)) && window.location.hash) change(() => {}, { push: false });
  applyView(view(), rememberedScroll());
}

start();
