// Result cards: a provider (or blood donor) with today's hours and a call button, a product with its
// seller (a link to their storefront, call and WhatsApp where the seller made the number public) and an
// animal's facts, and the district's emergency numbers. Where the answer says which union (or
// paurashava) a listing lies in, the card says it beside the upazila: "কটিয়াদী · মসূয়া ইউনিয়ন".

import { bootData } from "./boot_data.js";
import { el } from "./dom.js";
import { digits, formatCount, formatDate, formatDistance, formatPrice, pick, t } from "./i18n.js";
import { statusLine } from "./wording.js";

const UNKNOWN_ICON = "🔹"; // a category this page's taxonomy does not know yet (a newer API)
let known = null;

/** A category's words from the page's taxonomy, else from the answer itself, else its slug. */
function categoryOf(category) {
  if (!known) {
    const { provider, product } = bootData().categories;
    known = new Map([...provider, ...product].map((c) => [c.slug, c]));
  }
  return known.get(category.slug) || null;
}

/** "🔪 কসাই": the taxonomy's icon and the category's name in the reader's language. */
export function categoryLabel(category) {
  const entry = categoryOf(category);
  const words = pick(category) || (entry && pick(entry)) || String(category.slug || "").replace(/_/g, " ");
  const icon = (entry && entry.icon) || category.icon || UNKNOWN_ICON;
  return `${icon} ${words}`;
}

/** A result's union in words: "মসূয়া ইউনিয়ন" / "Masua union"; a paurashava's name says so itself
 * ("ভৈরব পৌরসভা"). "" when the answer carries none. */
export function unionWords(union) {
  if (!union || typeof union !== "object" || !(union.bn || union.en)) return "";
  const town = union.level ? union.level === "paurashava" : /পৌরসভা$/.test(union.bn || "") || /paurashava|pourashava/i.test(union.en || "");
  return town ? pick(union) : t("unionOf", pick(union));
}

/** " · মসূয়া ইউনিয়ন" after a place's words, unless they name the union already (an address in it). */
function unionAfter(words, union) {
  const said = unionWords(union);
  if (!said) return null;
  const named = [union.bn, union.en].some((name) => name && words.includes(digits(name)));
  return named ? null : el("span", { class: "union" }, ` · ${said}`);
}

function callLink(phone, name) {
  if (!phone) return null;
  return el(
    "a",
    { class: "call", href: `tel:${phone}`, "aria-label": t("callLabel", name) },
    el("span", { "aria-hidden": "true" }, "📞"),
    el("span", {}, t("call")),
  );
}

/**
 * How a listing can be reached: its call and WhatsApp buttons, else its address to visit, else none.
 * The API's `reach` (["call", "visit"]) decides when the answer has it: a private person's address is
 * never one to visit, and an empty list means nobody can reach them through the directory.
 */
export function reachOf(listing) {
  const says = Array.isArray(listing.reach) ? listing.reach : null;
  const name = pick(listing.name);
  const phone = !says || says.includes("call") ? listing.phone : null;
  const visit = !says || says.includes("visit");
  const address = visit && listing.address ? pick(listing.address) || (says ? pick(listing.upazila) : "") : "";
  const buttons = [callLink(phone, name), whatsappLink(listing.whatsapp, name)].filter(Boolean);
  return { buttons, address, reachable: buttons.length > 0 || Boolean(address) };
}

/** "📍 ঠিকানায় যান: …" for a listing without a public number, or "no way to reach them is given". */
function reachLine(reach, union) {
  if (reach.buttons.length) return null;
  if (reach.address) {
    return el("p", { class: "reach visit" }, el("span", { "aria-hidden": "true" }, "📍 "), el("strong", {}, t("visitAddress")), `: ${reach.address}`, unionAfter(reach.address, union));
  }
  return null; // the status line says it
}

/**
 * One provider. `n` is its number on the list and the map; `kind` is "open", "closed" (closed_nearby)
 * or "beyond" (nearest_open_beyond), which only changes the marker's colour. Every card says how to
 * reach the listing; fields the page does not know are ignored.
 */
export function providerCard(result, n, at, kind = "open") {
  // `n` null: a card outside the numbered list (an answer's emergency block), with no marker.
  const name = pick(result.name);
  const reach = reachOf(result);
  const visit = reachLine(reach, result.union);
  const place = reach.address || pick(result.upazila);
  const body = el(
    "div",
    { class: "card-body" },
    el("h3", { class: "name" }, name, result.verified ? el("span", { class: "badge verified" }, `✓ ${t("verified")}`) : null),
    el(
      "p",
      { class: "meta" },
      el("span", { class: "category", dataset: { slug: result.category.slug } }, categoryLabel(result.category)),
      " · ",
      el("span", { class: "distance" }, formatDistance(result.distance_m)),
    ),
    visit || el("p", { class: "address" }, place, unionAfter(place, result.union)),
    result.blood_group
      ? el(
          "p",
          { class: "blood" },
          el("span", { class: "badge blood-group", lang: "en" }, result.blood_group),
          result.last_donation_date ? ` ${t("lastDonation", formatDate(result.last_donation_date))}` : "",
        )
      : null,
    statusLine(result, at, { reachable: reach.reachable }),
  );
  const marker = n === null ? el("span", { class: "no-marker", "aria-hidden": "true" }) : el("span", { class: `marker ${kind}`, "aria-hidden": "true" }, digits(n));
  const contacts = reach.buttons.length ? el("div", { class: "contacts" }, reach.buttons) : null;
  return el("li", { class: `card ${kind}${reach.reachable ? "" : " unreachable"}`, dataset: { id: result.id, n: n ?? "" } }, marker, body, contacts);
}

/** A name the API may send as plain text or as a {bn, en} pair. */
export const nameOf = (value) => (typeof value === "string" ? digits(value) : pick(value));

/** The shareable address of a storefront's page. */
export const storefrontHref = (slug) => `/app/s/${encodeURIComponent(slug)}`;

/** WhatsApp's own link scheme: the app opens a chat with the number (digits only, country code first). */
export function whatsappLink(number, name) {
  if (!number) return null;
  return el(
    "a",
    { class: "whatsapp", href: `whatsapp://send?phone=${number.replace(/[^0-9]/g, "")}`, "aria-label": t("whatsappLabel", name) },
    el("span", { "aria-hidden": "true" }, "💬"),
    el("span", {}, t("whatsapp")),
  );
}

/** The product's seller (the API's `seller` card): their storefront's name as a link to it, when known. */
function sellerLine(seller) {
  if (!seller) return null;
  const name = nameOf(seller.name);
  const shop = seller.slug
    ? el("a", { class: "seller-name shop-link", href: storefrontHref(seller.slug), "aria-label": t("openStorefront", name) }, name)
    : el("span", { class: "seller-name" }, name);
  return el(
    "p",
    { class: "seller" },
    `${t("seller")}: `,
    shop,
    seller.verified ? el("span", { class: "badge verified" }, `✓ ${t("verified")}`) : null,
    seller.upazila ? ` · ${nameOf(seller.upazila)}` : "",
  );
}

/** An animal's facts as a buyer at the haat reads them: breed, kind, live weight, age, ৳ per kg, where. */
export function livestockLine(facts) {
  if (!facts) return null;
  const parts = [
    facts.breed ? pick(facts.breed) : null,
    facts.sex ? `${pick(facts.animal)} (${pick(facts.sex)})` : pick(facts.animal),
    facts.live_weight_kg ? t("liveWeight", formatCount(facts.live_weight_kg)) : null,
    facts.age_months ? t("ageMonths", formatCount(facts.age_months)) : null,
  ].filter(Boolean);
  return el(
    "p",
    { class: "livestock" },
    parts.join(" · "),
    facts.price_per_kg ? el("span", { class: "per-kg" }, ` · ${t("perKg", formatPrice(facts.price_per_kg))}`) : null,
    facts.seen_at ? el("span", { class: "seen-at" }, ` · ${t("seenAt", pick(facts.seen_at.name))}`) : null,
  );
}

/** A product. `withSeller: false` on a storefront's own page, where every product is the same shop's. */
export function productCard(result, title, description, { withSeller = true } = {}) {
  const upazila = pick(result.upazila);
  const meta = [el("span", { class: "category", dataset: { slug: result.category.slug } }, categoryLabel(result.category)), " · ", upazila, unionAfter(upazila, result.union)];
  if (result.distance_m !== undefined) meta.push(" · ", el("span", { class: "distance" }, formatDistance(result.distance_m)));
  const seller = withSeller ? result.seller || null : null;
  const name = seller ? nameOf(seller.name) : "";
  const contacts = seller ? [callLink(seller.phone, name), whatsappLink(seller.whatsapp, name)].filter(Boolean) : [];
  // The card has no address of the seller's; their storefront's page has it.
  const unreachable = seller && contacts.length === 0 ? el("p", { class: "reach none" }, t(seller.slug ? "sellerNoPhone" : "sellerNoWay")) : null;
  return el(
    "li",
    { class: "card product", dataset: { id: result.id } },
    el(
      "div",
      { class: "card-body" },
      el("h3", { class: "title" }, title),
      el(
        "p",
        { class: "price" },
        formatPrice(result.price_bdt),
        result.status === "sold" ? el("span", { class: "badge muted" }, t("sold")) : result.in_stock ? "" : el("span", { class: "badge muted" }, t("outOfStock")),
      ),
      el("p", { class: "meta" }, ...meta),
      livestockLine(result.livestock),
      sellerLine(seller),
      unreachable,
      el("p", { class: "desc" }, description),
    ),
    contacts.length ? el("div", { class: "contacts" }, contacts) : null,
  );
}

let boxes = 0;

/** A list of emergency numbers: each a name, a note and, where there is a number, a call button. */
export function emergencyList(entries) {
  return el(
    "ul",
    { class: "emergency-list" },
    entries.map((entry) =>
      el(
        "li",
        { class: "emergency-entry", dataset: { id: entry.id } },
        el("span", { class: "emergency-name" }, nameOf(entry.name), entry.note ? el("small", {}, nameOf(entry.note)) : null),
        entry.phone
          ? el(
              "a",
              { class: "call emergency-call", href: `tel:${entry.phone}`, "aria-label": t("callLabel", nameOf(entry.name)) },
              el("span", { "aria-hidden": "true" }, "📞"),
              el("span", {}, digits(entry.phone)),
            )
          : null,
      ),
    ),
  );
}

/** The district's emergency numbers (emergency.json), or an answer's own: a next step when nobody
 * listed can help now. */
export function emergencyBox(entries, { heading = t("emergencyHeading"), message = null } = {}) {
  boxes += 1;
  const id = `emergency-heading-${boxes}`;
  return el(
    "section",
    { class: "emergency", "aria-labelledby": id },
    el("h3", { id }, heading),
    message ? el("p", { class: "emergency-message" }, message) : null,
    emergencyList(entries),
  );
}

/**
 * An answer's `emergency` block (a medical need, at any hour): the numbers it gives ({id, phone, name,
 * note}) — else the district's — and the ambulances someone can call right now, as cards: open when
 * nothing the person asked for can help now (`helpNow` false), folded under their count when it can,
 * so open pharmacies are not pushed off the screen. Fields the page does not know are ignored.
 */
export function answerEmergency(block, districtEntries, at, { helpNow = false } = {}) {
  if (!block || typeof block !== "object") return null;
  const listed = Array.isArray(block.numbers) ? block.numbers : [];
  const entries = listed
    .filter((e) => e && typeof e === "object" && e.phone)
    .map((e, i) => ({ id: e.id || `answer-${i}`, name: e.name || e.phone, note: e.note || null, phone: e.phone }));
  const box = emergencyBox(entries.length ? entries : districtEntries.filter((e) => e.phone));
  const ambulances = Array.isArray(block.ambulances) ? block.ambulances.filter((r) => r && r.category && r.location) : [];
  if (ambulances.length) {
    box.append(
      el(
        "details",
        { class: "ambulances", open: !helpNow },
        el("summary", { class: "emergency-subheading" }, `${t("ambulancesNow")} (${formatCount(ambulances.length)})`),
        el("ol", { class: "results" }, ambulances.map((r) => providerCard(r, null, at, "open"))),
      ),
    );
  }
  return box;
}
