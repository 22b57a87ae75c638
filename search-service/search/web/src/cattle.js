// The digital cattle market: livestock only, chosen the way buyers at a haat choose — the animal, its
// breed, its live weight and its price (per head or per kg). Product search with the livestock filters.

import { Channel } from "./api.js";
import { bootData } from "./boot_data.js";
import { productCard } from "./cards.js";
import { $, el } from "./dom.js";
import { collate, formatCount, language, parseNumber, pick, t } from "./i18n.js";

const PAGE = 10;
const RADIUS_KM = 100; // with a known location: the whole district, so distances can be shown

const channel = new Channel();
const market = {
  animal: null,
  breed: null,
  sort: "price_asc",
  bounds: {},
  params: null,
  items: [],
  ids: new Set(),
  last: null,
  ran: false,
};
let where = () => null; // the app's known location, {lat, lon} or null

function vocabulary() {
  return bootData().livestock || { animals: [], breeds: [] };
}

function renderAnimals() {
  const box = $("animals");
  const all = [{ slug: null, label: t("allAnimals") }, ...vocabulary().animals.map((a) => ({ slug: a.slug, label: pick(a) }))];
  box.replaceChildren(
    ...all.map((a) => {
      const button = el("button", { type: "button", class: "chip", "aria-pressed": String(market.animal === a.slug), dataset: { slug: a.slug ?? "" } }, a.label);
      button.addEventListener("click", () => {
        market.animal = a.slug;
        const breed = vocabulary().breeds.find((b) => b.slug === market.breed);
        if (breed && a.slug && !breed.animals.includes(a.slug)) market.breed = null; // no Sahiwal goats
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
  const breeds = vocabulary().breeds.filter((b) => !market.animal || b.animals.includes(market.animal));
  select.replaceChildren(
    el("option", { value: "" }, t("allBreeds")),
    ...collate(breeds, (b) => (language() === "en" ? b.en : b.bn)).map((b) => el("option", { value: b.slug }, pick(b))),
  );
  select.value = market.breed || "";
}

/** Weights and prices as typed, Bangla digits too; false (with a message) when one is not a number. */
function readBounds() {
  const fields = { min_weight_kg: "min-weight", max_weight_kg: "max-weight", min_price: "cattle-min-price", max_price: "cattle-max-price" };
  const bounds = {};
  let bad = null;
  for (const [name, id] of Object.entries(fields)) {
    const value = parseNumber($(id).value);
    $(id).setAttribute("aria-invalid", String(Number.isNaN(value)));
    if (Number.isNaN(value)) bad = bad || (name.includes("weight") ? "badWeight" : "badPrice");
    else if (value !== null) bounds[name] = value;
  }
  const error = $("cattle-error");
  error.hidden = !bad;
  error.textContent = bad ? t(bad) : "";
  if (bad) return false;
  market.bounds = bounds;
  return true;
}

function cattleParams() {
  const params = { category: "livestock", animal: market.animal, breed: market.breed, sort: market.sort, limit: PAGE, ...market.bounds };
  const loc = where();
  if (loc) Object.assign(params, { lat: loc.lat, lon: loc.lon, radius_km: RADIUS_KM });
  return params;
}

function render() {
  const list = $("cattle-results");
  list.removeAttribute("aria-busy");
  if (!market.last) return;
  list.replaceChildren(...market.items.map((r) => productCard(r, pick(r.title), pick(r.description))));
  $("cattle-more").hidden = !market.last.next_cursor;
  $("cattle-status").replaceChildren(
    el("p", { class: "summary" }, market.items.length ? t("animalsFound", formatCount(market.items.length), formatCount(market.last.total)) : t("noAnimals")),
  );
}

/** Re-render in the current language. */
export function renderCattle() {
  renderAnimals();
  renderBreeds();
  render();
}

export async function searchCattle(more = false) {
  if (!more && !readBounds()) return;
  market.ran = true;
  const list = $("cattle-results");
  list.setAttribute("aria-busy", "true");
  const params = more ? { ...market.params, cursor: market.last.next_cursor } : cattleParams();
  try {
    const body = await channel.get("/v1/products/search", params);
    if (body === null) return;
    if (!more) {
      market.params = params;
      market.items = [];
      market.ids = new Set();
    }
    for (const result of body.results) {
      if (!market.ids.has(result.id)) {
        market.ids.add(result.id);
        market.items.push(result);
      }
    }
    market.last = body;
    render();
  } catch (error) {
    list.removeAttribute("aria-busy");
    if (!more) list.replaceChildren();
    const button = el("button", { type: "button", class: "secondary" }, t("retry"));
    button.addEventListener("click", () => searchCattle(more));
    $("cattle-status").replaceChildren(el("div", { class: "error", role: "alert" }, el("p", {}, t("apiError")), button));
  }
}

export const cattleRan = () => market.ran;

/** Wire the panel's controls; `location()` gives the app's known location or null. */
export function setupCattle(location) {
  where = location;
  $("breed").addEventListener("change", (event) => {
    market.breed = event.target.value || null;
    searchCattle();
  });
  $("cattle-sort").addEventListener("change", (event) => {
    market.sort = event.target.value;
    searchCattle();
  });
  for (const id of ["min-weight", "max-weight", "cattle-min-price", "cattle-max-price"]) {
    $(id).addEventListener("change", () => searchCattle());
  }
  $("cattle-form").addEventListener("submit", (event) => {
    event.preventDefault();
    searchCattle();
  });
  $("cattle-more").addEventListener("click", () => searchCattle(true));
}
