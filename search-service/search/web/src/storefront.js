// A storefront's own page, at the shareable address /app/s/<slug>: who the shop is and how to reach
// them, what they sell per category, and a search inside the shop (product search with `seller=`).

import { Channel } from "./api.js";
import { callLink, categoryLabel, productCard, whatsappLink } from "./cards.js";
import { $, el, markedText, plainOf } from "./dom.js";
import { digits, formatCount, pick, t } from "./i18n.js";

const PAGE = 10;
const SLUG_IN_PATH = /\/s\/([a-z0-9-]+)\/?$/;

const channels = { shop: new Channel(), products: new Channel() };
const shop = {
  slug: null,
  seller: null, // the /v1/sellers/{slug} answer
  missing: false,
  q: "",
  category: null,
  params: null,
  items: [],
  ids: new Set(),
  last: null,
};

/** The storefront slug of this page's address, or null on the ordinary page. */
export function storefrontSlug(pathname = window.location.pathname) {
  const match = SLUG_IN_PATH.exec(pathname);
  return match ? match[1] : null;
}

function snippetOr(snippet, wanted) {
  return snippet && wanted && wanted.includes(plainOf(snippet).trim()) ? markedText(snippet) : document.createTextNode(wanted || "");
}

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
  if (!s) return;
  const name = pick(s.name);
  document.title = `${name} — ${t("title")}`;
  const places = s.delivery_upazilas.map((u) => pick(u)).join(", ");
  head.replaceChildren(
    el(
      "div",
      { class: "card shop" },
      el(
        "div",
        { class: "card-body" },
        el("h2", { class: "shop-name" }, name, s.verified ? el("span", { class: "badge verified" }, `✓ ${t("verified")}`) : null),
        el("p", { class: "meta" }, pick(s.upazila), s.address ? ` · ${pick(s.address)}` : ""),
        s.owner ? el("p", { class: "owner" }, t("owner", pick(s.owner))) : null,
        s.description ? el("p", { class: "about" }, pick(s.description)) : null,
        el("p", { class: "terms" }, places ? t("delivers", places) : t("pickupOnly")),
        s.payment_methods.length ? el("p", { class: "terms" }, t("payments", s.payment_methods.map((m) => pick(m)).join(", "))) : null,
        el("p", { class: "since" }, t("since", digits(s.created_at.slice(0, 4)))),
      ),
      el("div", { class: "contacts" }, [callLink(s.phone, name), whatsappLink(s.whatsapp, name)].filter(Boolean)),
    ),
  );
}

function renderCategories() {
  const box = $("storefront-categories");
  if (!shop.seller) return box.replaceChildren();
  const all = el("button", { type: "button", class: "chip", "aria-pressed": String(!shop.category), dataset: { slug: "" } }, t("allOfShop"), " ", el("span", { class: "count" }, formatCount(shop.seller.product_count)));
  all.addEventListener("click", () => {
    shop.category = null;
    searchShop();
  });
  box.replaceChildren(
    all,
    ...shop.seller.categories
      .filter((c) => c.count > 0)
      .map((c) => {
        const button = el("button", { type: "button", class: "chip facet", "aria-pressed": String(shop.category === c.slug), dataset: { slug: c.slug } }, categoryLabel(c), " ", el("span", { class: "count" }, formatCount(c.count)));
        button.addEventListener("click", () => {
          shop.category = shop.category === c.slug ? null : c.slug;
          searchShop();
        });
        return button;
      }),
  );
}

function renderProducts() {
  const list = $("storefront-results");
  const status = $("storefront-status");
  list.removeAttribute("aria-busy");
  if (!shop.last) return;
  list.replaceChildren(...shop.items.map(item));
  $("storefront-more").hidden = !shop.last.next_cursor;
  status.replaceChildren(
    el("p", { class: "summary" }, shop.items.length ? t("storefrontProducts", formatCount(shop.items.length), formatCount(shop.last.total)) : t("storefrontEmpty")),
  );
}

/** Re-render in the current language (the header's toggle). */
export function renderStorefront() {
  if (!shop.slug) return;
  renderHead();
  renderCategories();
  renderProducts();
}

function showError(error, retry) {
  const status = $("storefront-status");
  $("storefront-results").removeAttribute("aria-busy");
  const button = el("button", { type: "button", class: "secondary" }, t("retry"));
  button.addEventListener("click", retry);
  status.replaceChildren(el("div", { class: "error", role: "alert" }, el("p", {}, error.kind === "network" ? t("networkError") : t("apiError")), button));
}

async function searchShop(more = false) {
  if (!shop.seller) return;
  const list = $("storefront-results");
  list.setAttribute("aria-busy", "true");
  renderCategories();
  const params = more
    ? { ...shop.params, cursor: shop.last.next_cursor }
    : { seller: shop.seller.id, q: shop.q.trim(), category: shop.category, in_stock: false, sort: shop.q.trim() ? "relevance" : "newest", limit: PAGE };
  try {
    const body = await channels.products.get("/v1/products/search", params);
    if (body === null) return;
    if (!more) {
      shop.params = params;
      shop.items = [];
      shop.ids = new Set();
    }
    for (const result of body.results) {
      if (!shop.ids.has(result.id)) {
        shop.ids.add(result.id);
        shop.items.push(result);
      }
    }
    shop.last = body;
    renderProducts();
  } catch (error) {
    showError(error, () => searchShop(more));
  }
}

async function loadShop() {
  $("storefront-results").setAttribute("aria-busy", "true");
  try {
    const seller = await channels.shop.get("/v1/sellers/" + encodeURIComponent(shop.slug));
    if (seller === null) return;
    shop.seller = seller;
    renderHead();
    await searchShop();
  } catch (error) {
    if (error.status === 404) {
      shop.missing = true;
      $("storefront-results").removeAttribute("aria-busy");
      renderHead();
      return;
    }
    showError(error, loadShop);
  }
}

/** Turn the page into the storefront of `slug`: the shop first, then its products. */
export function startStorefront(slug) {
  shop.slug = slug;
  for (const node of document.querySelectorAll(".tabs, .location, [role=tabpanel]")) node.hidden = true;
  $("storefront").hidden = false;
  $("storefront-form").addEventListener("submit", (event) => {
    event.preventDefault();
    shop.q = $("storefront-q").value;
    searchShop();
  });
  $("storefront-more").addEventListener("click", () => searchShop(true));
  return loadShop();
}
