// The digital cattle market: livestock only, chosen the way buyers at a haat choose — the animal, its
// breed, its live weight and its price (per head or per kg). Product search with the livestock filters.

import { bootData } from "./boot_data.js";
import { productCard } from "./cards.js";
import { $, el } from "./dom.js";
import { change, view } from "./history.js";
import { collate, digits, formatCount, language, parseNumber, pick, t } from "./i18n.js";
import { Pages } from "./pages.js";
import { followNetwork, isOffline, offlineNote, offlineState, showError, showLoading, showMessage } from "./status.js";

const PAGE = 10;
const RADIUS_KM = 100; // with a known location: the whole district, so distances can be shown
const BOUNDS = { min_weight_kg: "min-weight", max_weight_kg: "max-weight", min_price: "cattle-min-price", max_price: "cattle-max-price" };

const list = new Pages();
let failed = false;
let where = () => null; // the app's known location, {lat, lon} or null

function vocabulary() {
  return bootData().livestock || { animals: [], breeds: [] };
}

function renderAnimals() {
  const box = $("animals");
  const chosen = view().cattle.animal;
  const all = [{ slug: null, label: t("allAnimals") }, ...vocabulary().animals.map((a) => ({ slug: a.slug, label: pick(a) }))];
  box.replaceChildren(
    ...all.map((a) => {
      const button = el("button", { type: "button", class: "chip", "aria-pressed": String(chosen === a.slug), dataset: { slug: a.slug ?? "" } }, a.label);
      button.addEventListener("click", () => {
        change((v) => {
          v.cattle.animal = a.slug;
          const breed = vocabulary().breeds.find((b) => b.slug === v.cattle.breed);
          if (breed && a.slug && !breed.animals.includes(a.slug)) v.cattle.breed = null; // no Sahiwal goats
        });
        renderAnimals();
        renderBreeds();
        searchCattle();
      });
      return button;
    }),
  );
}

/** The breeds of the chosen animal (all breeds for all animals), named in the reader's language. */
function renderBreeds() {
  const select = $("breed");
  const { animal, breed } = view().cattle;
  const breeds = vocabulary().breeds.filter((b) => !animal || b.animals.includes(animal));
  select.replaceChildren(
    el("option", { value: "" }, t("allBreeds")),
    ...collate(breeds, (b) => (language() === "en" ? b.en : b.bn)).map((b) => el("option", { value: b.slug }, pick(b))),
  );
  select.value = breed || "";
}

/** Weights and prices as typed, Bangla digits too; null (with a message) when one is not a number. */
function readBounds() {
  const bounds = {};
  let bad = null;
  for (const [name, id] of Object.entries(BOUNDS)) {
    const value = parseNumber($(id).value);
    $(id).setAttribute("aria-invalid", String(Number.isNaN(value)));
    if (Number.isNaN(value)) bad = bad || (name.includes("weight") ? "badWeight" : "badPrice");
    else bounds[name] = value;
  }
  const error = $("cattle-error");
  error.hidden = !bad;
  error.textContent = bad ? t(bad) : "";
  return bad ? null : bounds;
}

function cattleParams() {
  const c = view().cattle;
  const params = { category: "livestock", animal: c.animal, breed: c.breed, sort: c.sort, limit: PAGE };
  for (const name of Object.keys(BOUNDS)) params[name] = c[name];
  const loc = where();
  if (loc) Object.assign(params, { lat: loc.lat, lon: loc.lon, radius_km: RADIUS_KM });
  return params;
}

function render() {
  const results = $("cattle-results");
  if (!list.last) return;
  results.replaceChildren(...list.items.map((r) => productCard(r, pick(r.title), pick(r.description))));
  $("cattle-more").hidden = !list.last.next_cursor;
  const offline = offlineState(list.last, failed);
  showMessage($("cattle-status"), results, list.items.length ? t("animalsFound", formatCount(list.items.length), formatCount(list.last.total)) : t("noAnimals"));
  const note = offlineNote(offline, () => searchCattle());
  if (note) $("cattle-status").prepend(note);
  followNetwork("cattle", offline, () => searchCattle());
}

/** Re-render in the current language. */
export function renderCattle() {
  renderAnimals();
  renderBreeds();
  render();
}

export async function searchCattle({ more = false, again = false } = {}) {
  const results = $("cattle-results");
  showLoading($("cattle-status"), results);
  try {
    const changed = await list.load(more ? list.params : cattleParams(), { more, again });
    if (!changed) return;
    failed = false;
    render();
  } catch (error) {
    if (isOffline(error) && list.last) {
      failed = true;
      render();
      return;
    }
    failed = false;
    if (!more) list.clear();
    showError($("cattle-status"), results, error, () => searchCattle({ more }));
    if (more) results.replaceChildren(...list.items.map((r) => productCard(r, pick(r.title), pick(r.description))));
    followNetwork("cattle", isOffline(error) ? { mode: "kept" } : null, () => searchCattle({ more }));
  }
}

export const cattleRan = () => list.ran;

/** Back or Forward (or a first visit): show what the address asks; resolves when it is shown. */
export function applyCattle(tabShown) {
  const c = view().cattle;
  for (const [name, id] of Object.entries(BOUNDS)) {
    if (parseNumber($(id).value) !== c[name]) $(id).value = c[name] === null ? "" : digits(String(c[name]));
  }
  $("cattle-sort").value = c.sort;
  renderAnimals();
  renderBreeds();
  if (!tabShown && !list.ran) return Promise.resolve();
  return list.wants(cattleParams()) ? searchCattle({ again: true }) : Promise.resolve(render());
}

/** Wire the panel's controls; `location()` gives the app's known location or null. */
export function setupCattle(location) {
  where = location;
  const ask = (mutate) => {
    change(mutate);
    searchCattle();
  };
  $("breed").addEventListener("change", (event) =>
    ask((v) => {
      v.cattle.breed = event.target.value || null;
    }),
  );
  $("cattle-sort").addEventListener("change", (event) =>
    ask((v) => {
      v.cattle.sort = event.target.value;
    }),
  );
  const bounds = () => {
    const read = readBounds();
    if (read) ask((v) => Object.assign(v.cattle, read));
  };
  for (const id of Object.values(BOUNDS)) $(id).addEventListener("change", bounds);
  $("cattle-form").addEventListener("submit", (event) => {
    event.preventDefault();
    bounds();
  });
  $("cattle-more").addEventListener("click", () => searchCattle({ more: true }));
}
