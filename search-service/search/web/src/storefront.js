// A storefront's own view, at the shareable address /app/s/<slug>: who the shop is and how to reach
// them, what they sell per category, and a search inside the shop (product search with `seller=`).
// It opens inside the page (no new page load on a slow link); Back returns to the list it came from.

import { Channel } from "./api.js";
import { categoryLabel, productCard, reachOf } from "./cards.js";
import { $, el } from "./dom.js";
import { change, view } from "./history.js";
import { digits, formatCount, pick, t } from "./i18n.js";
import { Pages } from "./pages.js";
import { snippetOr } from "./products.js";
import { followNetwork, isOffline, offlineNote, offlineState, showError, showLoading } from "./status.js";

const PAGE = 10;

const channel = new Channel();
const list = new Pages();
const shop = {
  slug: null,
  seller: null, // the /v1/sellers/{slug} answer
  missing: false,
  failed: false,
};
let openedHere = false; // the storefront was opened from a list of this page: Back returns to it

function item(result) {
  const title = snippetOr(result.highlight && result.highlight.title, pick(result.title));
  return productCard(result, title, pick(result.description), { withSeller: false });
}

function renderHead() {
  const head = $("storefront-head");
  if (shop.missing) {
    head.replaceChildren(el("p", { class: "error", role: "alert" }, t("storefrontMissing")));
    return;
  }
  const s = shop.seller;
  if (!s) return head.replaceChildren();
  const name = pick(s.name);
  document.title = `${name} — ${t("title")}`;
  const places = s.delivery_upazilas.map((u) => pick(u)).join(", ");
  const reach = reachOf(s);
  const how = reach.buttons.length
    ? null
    : reach.address
      ? el("p", { class: "reach visit" }, el("span", { "aria-hidden": "true" }, "📍 "), el("strong", {}, t("visitAddress")), `: ${reach.address}`)
      : el("p", { class: "reach none" }, t("noWayToReach"));
  head.replaceChildren(
    el(
      "div",
      { class: "card shop" },
      el(
        "div",
        { class: "card-body" },
        el("h2", { class: "shop-name" }, name, s.verified ? el("span", { class: "badge verified" }, `✓ ${t("verified")}`) : null),
        el("p", { class: "meta" }, pick(s.upazila), s.address && !how ? ` · ${pick(s.address)}` : ""),
        how,
        s.owner ? el("p", { class: "owner" }, t("owner", pick(s.owner))) : null,
        s.description ? el("p", { class: "about" }, pick(s.description)) : null,
        el("p", { class: "terms" }, places ? t("delivers", places) : t("pickupOnly")),
        s.payment_methods.length ? el("p", { class: "terms" }, t("payments", s.payment_methods.map((m) => pick(m)).join(", "))) : null,
        el("p", { class: "since" }, t("since", digits(s.created_at.slice(0, 4)))),
      ),
      reach.buttons.length ? el("div", { class: "contacts" }, reach.buttons) : null,
    ),
  );
}

function renderCategories() {
  const box = $("storefront-categories");
  if (!shop.seller) return box.replaceChildren();
  const chosen = view().inShop.category;
  const choose = (slug) => {
    change((v) => {
      v.inShop.category = slug;
    });
    searchShop();
  };
  const all = el("button", { type: "button", class: "chip", "aria-pressed": String(!chosen), dataset: { slug: "" } }, t("allOfShop"), " ", el("span", { class: "count" }, formatCount(shop.seller.product_count)));
  all.addEventListener("click", () => choose(null));
  box.replaceChildren(
    all,
    ...shop.seller.categories
      .filter((c) => c.count > 0)
      .map((c) => {
        const button = el("button", { type: "button", class: "chip facet", "aria-pressed": String(chosen === c.slug), dataset: { slug: c.slug } }, categoryLabel(c), " ", el("span", { class: "count" }, formatCount(c.count)));
        button.addEventListener("click", () => choose(chosen === c.slug ? null : c.slug));
        return button;
      }),
  );
}

function renderProducts() {
  const results = $("storefront-results");
  const status = $("storefront-status");
  results.removeAttribute("aria-busy");
  if (!list.last) return;
  results.replaceChildren(...list.items.map(item));
  $("storefront-more").hidden = !list.last.next_cursor;
  const offline = offlineState(list.last, shop.failed);
  status.replaceChildren(
    el("p", { class: "summary" }, list.items.length ? t("storefrontProducts", formatCount(list.items.length), formatCount(list.last.total)) : t("storefrontEmpty")),
  );
  const note = offlineNote(offline, () => searchShop());
  if (note) status.prepend(note);
  followNetwork("storefront", offline, () => searchShop());
}

/** Re-render in the current language. */
export function renderStorefront() {
  if (!shop.slug) return;
  renderHead();
  renderCategories();
  renderProducts();
}

function shopParams() {
  const { q, category } = view().inShop;
  return { seller: shop.seller.id, q, category, in_stock: false, sort: q ? "relevance" : "newest", limit: PAGE };
}

async function searchShop({ more = false, again = false } = {}) {
  if (!shop.seller) return;
  const results = $("storefront-results");
  renderCategories();
  showLoading($("storefront-status"), results);
  try {
    const changed = await list.load(more ? list.params : shopParams(), { more, again });
    if (!changed) return;
    shop.failed = false;
    renderProducts();
  } catch (error) {
    if (isOffline(error) && list.last && list.params && list.params.seller === shop.seller.id) {
      shop.failed = true;
      renderProducts();
      return;
    }
    if (!more) list.clear();
    showError($("storefront-status"), results, error, () => searchShop({ more }));
    followNetwork("storefront", isOffline(error) ? { mode: "kept" } : null, () => searchShop({ more }));
  }
}

async function loadShop(again) {
  const results = $("storefront-results");
  results.setAttribute("aria-busy", "true");
  try {
    const seller = await channel.get("/v1/sellers/" + encodeURIComponent(shop.slug), {}, { again });
    if (seller === null) return;
    shop.seller = seller;
    renderHead();
    await searchShop({ again });
  } catch (error) {
    if (error.status === 404) {
      shop.missing = true;
      results.removeAttribute("aria-busy");
      renderHead();
      return;
    }
    showError($("storefront-status"), results, error, () => loadShop(false));
    followNetwork("storefront", isOffline(error) ? { mode: "kept" } : null, () => loadShop(false));
  }
}

function showStorefront(visible) {
  for (const node of document.querySelectorAll(".tabs, .location, [role=tabpanel]")) node.hidden = visible;
  $("storefront").hidden = !visible;
}

/** Show the storefront the address names (a link opened it, or Back/Forward came to it). */
export function openStorefront(again = false) {
  const slug = view().shop;
  showStorefront(true);
  $("storefront-q").value = view().inShop.q;
  if (shop.slug === slug && shop.seller) {
    renderHead();
    return list.wants(shopParams()) ? searchShop({ again: true }) : Promise.resolve(renderProducts());
  }
  Object.assign(shop, { slug, seller: null, missing: false, failed: false });
  list.clear();
  $("storefront-head").replaceChildren();
  $("storefront-results").replaceChildren();
  $("storefront-categories").replaceChildren();
  $("storefront-status").replaceChildren();
  return loadShop(again);
}

/** Leave the storefront view for the tabs (which the caller shows). */
export function closeStorefront() {
  if ($("storefront").hidden) return;
  showStorefront(false);
  document.title = t("title");
}

/** A storefront link of a list: open it inside the page, as a new history entry. */
export function followStorefrontLink(slug) {
  openedHere = true;
  change((v) => {
    v.shop = slug;
    v.inShop = { q: "", category: null };
  });
  window.scrollTo(0, 0);
  return openStorefront();
}

export function setupStorefront(backToList) {
  $("storefront-form").addEventListener("submit", (event) => {
    event.preventDefault();
    change((v) => {
      v.inShop.q = $("storefront-q").value.trim();
    });
    searchShop();
  });
  $("storefront-more").addEventListener("click", () => searchShop({ more: true }));
  $("storefront-back").addEventListener("click", (event) => {
    event.preventDefault();
    if (openedHere) {
      history.back(); // the very list it came from, where it was scrolled
      return;
    }
    backToList(); // a shared link: the products tab
  });
}
