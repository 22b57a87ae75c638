// Result cards: a provider (or blood donor) with today's hours and a call button, a product with its
// seller (a link to their storefront, call and WhatsApp where the seller made the number public) and an
// animal's facts, and the district's emergency numbers.

import { bootData } from "./boot_data.js";
import { el } from "./dom.js";
import { digits, formatCount, formatDate, formatDistance, formatHoursToday, formatOpensAt, formatPrice, pick, t } from "./i18n.js";

let icons = null;

export function categoryLabel(category) {
  if (!icons) {
    const { provider, product } = bootData().categories;
    icons = new Map([...provider, ...product].map((c) => [c.slug, c.icon]));
  }
  const icon = icons.get(category.slug);
  return icon ? `${icon} ${pick(category)}` : pick(category);
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

const isDonor = (result) => result.category.slug === "blood_donor";

/** Donors are never "open": they can give blood now, again from a date, or when they take calls. */
function donorLine(result, at) {
  let state;
  if (result.can_donate_from) state = el("span", { class: "is-later" }, t("canDonateFrom", formatDate(result.can_donate_from)));
  else if (result.open_now) state = el("span", { class: "is-open" }, t("canDonate"));
  else if (result.next_open) state = el("span", { class: "is-later" }, t("donorReachableAt", formatOpensAt(result.next_open, at)));
  else state = el("span", { class: "is-closed" }, t("unavailable"));
  const hours = result.hours_today ? el("span", { class: "hours" }, formatHoursToday(result.hours_today)) : null;
  return el("p", { class: "open" }, state, hours && " · ", hours);
}

/** "এখন খোলা · আজ সকাল ৯টা–সন্ধ্যা ৬টা", or "খুলবে আজ সকাল ৯টায়" with today's hours. */
function openingLine(result, at) {
  const hours = "hours_today" in result ? el("span", { class: "hours" }, formatHoursToday(result.hours_today)) : null;
  let state;
  if (result.open_now) state = el("span", { class: "is-open" }, t("openNow"));
  else if (result.next_open) state = el("span", { class: "is-later" }, t("opensAt", formatOpensAt(result.next_open, at)));
  else state = el("span", { class: "is-closed" }, result.available === false ? t("unavailable") : t("closedNow"));
  return el("p", { class: "open" }, state, hours && " · ", hours);
}

/**
 * One provider. `n` is its number on the list and the map; `kind` is "open", "closed" (closed_nearby)
 * or "beyond" (nearest_open_beyond), which only changes the marker's colour.
 */
export function providerCard(result, n, at, kind = "open") {
  const name = pick(result.name);
  const donor = isDonor(result);
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
    result.blood_group
      ? el(
          "p",
          { class: "blood" },
          el("span", { class: "badge blood-group", lang: "en" }, result.blood_group),
          result.last_donation_date ? ` ${t("lastDonation", formatDate(result.last_donation_date))}` : "",
        )
      : null,
    donor ? donorLine(result, at) : openingLine(result, at),
  );
  const marker = el("span", { class: `marker ${kind}`, "aria-hidden": "true" }, digits(n));
  return el("li", { class: `card ${kind}`, dataset: { id: result.id, n } }, marker, body, callLink(result.phone, name));
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

export { callLink };

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
  const meta = [el("span", { class: "category", dataset: { slug: result.category.slug } }, categoryLabel(result.category)), " · ", pick(result.upazila)];
  if (result.distance_m !== undefined) meta.push(" · ", el("span", { class: "distance" }, formatDistance(result.distance_m)));
  const seller = withSeller ? result.seller || null : null;
  const name = seller ? nameOf(seller.name) : "";
  const contacts = seller ? [callLink(seller.phone, name), whatsappLink(seller.whatsapp, name)].filter(Boolean) : [];
  return el(
    "li",
    { class: "card product", dataset: { id: result.id } },
    el(
      "div",
      { class: "card-body" },
      el("h3", { class: "title" }, title),
      el("p", { class: "price" }, formatPrice(result.price_bdt), result.in_stock ? "" : el("span", { class: "badge muted" }, t("outOfStock"))),
      el("p", { class: "meta" }, ...meta),
      livestockLine(result.livestock),
      sellerLine(seller),
      el("p", { class: "desc" }, description),
    ),
    contacts.length ? el("div", { class: "contacts" }, contacts) : null,
  );
}

/** The district's emergency numbers (emergency.json): always a next step when no donor can help. */
export function emergencyBox(entries) {
  return el(
    "section",
    { class: "emergency", "aria-labelledby": "emergency-heading" },
    el("h3", { id: "emergency-heading" }, t("emergencyHeading")),
    el(
      "ul",
      {},
      entries.map((entry) =>
        el(
          "li",
          { class: "emergency-entry", dataset: { id: entry.id } },
          el("span", { class: "emergency-name" }, pick(entry.name), entry.note ? el("small", {}, pick(entry.note)) : null),
          entry.phone
            ? el(
                "a",
                { class: "call emergency-call", href: `tel:${entry.phone}`, "aria-label": t("callLabel", pick(entry.name)) },
                el("span", { "aria-hidden": "true" }, "📞"),
                el("span", {}, digits(entry.phone)),
              )
            : null,
        ),
      ),
    ),
  );
}
