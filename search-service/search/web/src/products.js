// The products tab: full-text product search with suggestions, category facets with counts, price
// bounds, sorting and "load more". What is asked lives in the address (history.js); what came back
// lives in a Pages list, so Back shows the same list again without asking the network.

import { categoryLabel, productCard } from "./cards.js";
import { combobox } from "./combobox.js";
import { $, el, markedText, plainOf } from "./dom.js";
import { change, view } from "./history.js";
import { digits, formatCount, parseNumber, pick, t } from "./i18n.js";
import { exactCount, showNotes } from "./notes.js";
import { Pages } from "./pages.js";
import { followNetwork, isOffline, offlineNote, offlineState, showError, showLoading, showMessage } from "./status.js";

const PAGE = 10;
const RADIUS_KM = 100; // with a known location: the whole district, so distances can be shown

const list = new Pages();
let facetBase = null; // the categories of the search without a category filter, kept while one is chosen
let failed = false; // the latest search failed for want of a network; the list shown is the earlier one
let ctx = { where: () => null, choose: () => {}, openCategory: () => {} };
let box = null;

/** The API's parameters for what the address asks. */
function params() {
  const p = view().products;
  const loc = ctx.where();
  const asked = {
    q: p.q,
    category: p.category,
    min_price: p.min,
    max_price: p.max,
    sort: p.sort === "distance" && !loc ? "relevance" : p.sort,
    limit: PAGE,
  };
  if (loc) Object.assign(asked, { lat: loc.lat, lon: loc.lon, radius_km: RADIUS_KM });
  return asked;
}

/** A server snippet of `wanted` (the text in the reader's language) with its marks, else the plain text. */
export function snippetOr(snippet, wanted) {
  return snippet && wanted && wanted.includes(plainOf(snippet).trim()) ? markedText(snippet) : document.createTextNode(wanted || "");
}

function item(result) {
  const title = snippetOr(result.highlight && result.highlight.title, pick(result.title));
  const description = snippetOr(result.highlight && result.highlight.description, pick(result.description));
  return productCard(result, title, description);
}

/** A category the answer offers by name: a product category here, a provider category in its tab. */
function chooseCategory(category) {
  if (category.kind === "provider") return ctx.openCategory(category);
  change((v) => {
    v.products.category = category.slug;
    v.products.q = "";
  });
  $("product-q").value = "";
  return searchProducts();
}

function renderFacets() {
  const p = view().products;
  const facets = (p.category && facetBase) || (list.first ? list.first.facets.category : []);
  const all = el("button", { type: "button", class: "chip", "aria-pressed": String(!p.category), dataset: { slug: "" } }, t("clearFilter"));
  all.addEventListener("click", () => {
    change((v) => {
      v.products.category = null;
    });
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
        change((v) => {
          v.products.category = v.products.category === f.slug ? null : f.slug;
        });
        searchProducts();
      });
      return button;
    }),
  );
}

/** Draw the list as it stands (also after a language switch). */
export function renderProducts() {
  if (!list.last) return;
  const results = $("product-results");
  const exact = exactCount(list.first.query);
  const cards = list.items.map(item);
  if (exact && exact < cards.length) cards.splice(exact, 0, el("li", { class: "divider", role: "separator" }, t("sameKind")));
  results.replaceChildren(...cards);
  renderFacets();
  $("load-more").hidden = !list.last.next_cursor;
  showNotes($("product-note"), list.first.query, chooseCategory);
  const summary = list.items.length ? t("productsFound", formatCount(list.items.length), formatCount(list.last.total)) : t("noProducts");
  const offline = offlineState(list.last, failed);
  showMessage($("product-status"), results, summary);
  const note = offlineNote(offline, () => searchProducts());
  if (note) $("product-status").prepend(note);
  followNetwork("products", offline, () => searchProducts());
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
  return bad ? null : { min, max };
}

/** A new search (`more` false) or the next page of the current one; `again`: this visit's list will do. */
export async function searchProducts({ more = false, again = false } = {}) {
  const results = $("product-results");
  const status = $("product-status");
  showLoading(status, results);
  $("load-more").disabled = true;
  try {
    const changed = await list.load(more ? list.params : params(), {
      more,
      again,
      onWait: (seconds) => showLoading(status, results, t("busyWaiting", digits(seconds))),
    });
    if (!changed) return;
    failed = false;
    if (!view().products.category && list.first) facetBase = list.first.facets.category;
    renderProducts();
  } catch (error) {
    if (isOffline(error) && list.last) {
      failed = true; // the list on screen stays, marked as the earlier search's
      renderProducts();
      return;
    }
    failed = false;
    if (!more) {
      list.clear();
      $("load-more").hidden = true;
    }
    showError(status, results, error, () => searchProducts({ more }), more ? [] : [$("product-note"), $("facets")]);
    if (more) results.replaceChildren(...list.items.map(item)); // the pages shown are still right
    followNetwork("products", isOffline(error) ? { mode: "kept" } : null, () => searchProducts({ more }));
  } finally {
    $("load-more").disabled = false;
  }
}

/** Make the tab's fields say what the address asks. */
function syncFields() {
  const p = view().products;
  if ($("product-q").value.trim() !== p.q) $("product-q").value = p.q;
  for (const [id, value] of [["min-price", p.min], ["max-price", p.max]]) {
    if (parseNumber($(id).value) !== value) $(id).value = value === null ? "" : digits(String(value));
  }
  $("sort").value = p.sort;
}

/** Back or Forward (or a first visit): show what the address asks; resolves when it is shown. */
export function applyProducts(tabShown) {
  syncFields();
  if (!tabShown && !list.ran) return Promise.resolve();
  return list.wants(params()) ? searchProducts({ again: true }) : Promise.resolve(renderProducts());
}

/** The location changed: a search already shown is asked again there. */
export function relocateProducts() {
  if (list.ran) searchProducts();
}

export const productsRan = () => list.ran;

export function closeProductSuggestions() {
  if (box) box.close();
}

/** `context.where()`: the known location or null; `context.choose(suggestion)`: a suggestion chosen;
 * `context.openCategory(category)`: a provider category an answer offers, in the providers tab. */
export function setupProducts(context) {
  ctx = context;
  const input = $("product-q");
  box = combobox(input, $("suggest-list"), (s) => ctx.choose(s));
  $("product-form").addEventListener("submit", (event) => {
    event.preventDefault();
    box.close();
    const prices = readPrices();
    if (!prices) return;
    change((v) => {
      Object.assign(v.products, { q: input.value.trim(), category: null, ...prices });
    });
    searchProducts();
  });
  for (const id of ["min-price", "max-price"]) {
    $(id).addEventListener("change", () => {
      const prices = readPrices();
      if (!prices) return;
      change((v) => Object.assign(v.products, prices));
      searchProducts();
    });
  }
  $("sort").addEventListener("change", (event) => {
    change((v) => {
      v.products.sort = event.target.value;
    });
    searchProducts();
  });
  $("load-more").addEventListener("click", () => searchProducts({ more: true }));
}

/** A suggestion that opens a product search: its category or its words. */
export function openProductSuggestion(openParams) {
  change((v) => {
    v.tab = "products";
    v.products.category = openParams.category ?? null;
    v.products.q = openParams.q ?? "";
  });
  $("product-q").value = view().products.q;
  return searchProducts();
}
