// What the server made of the words, said plainly above a list: the place it searched around (a union,
// a town or a market in the words people use: "মসূয়া ইউনিয়নে খোঁজা হলো"), how many
// results match every word (or which words it left out), and — when the need is something the
// directory does not list — that it is not listed, with the related categories it suggests, by name —
// the blood groups listed after the asked one (O− can give to a B− patient), and a weight or a price the
// words gave (৩ মণ ≈ ১১২ কেজি). Fields an answer does not carry are skipped,
// and fields the page does not know are ignored.

import { categoryLabel } from "./cards.js";
import { el } from "./dom.js";
import { digits, formatCount, formatPrice, pick, t } from "./i18n.js";

/** How many results match every word when the server had to relax the query, else null. */
export function exactCount(query) {
  return query && query.relaxed && query.exact_matches > 0 ? query.exact_matches : null;
}

/** A {bn, en} pair or plain text, in the reader's language. */
const words = (value) => (typeof value === "string" ? digits(value) : value && typeof value === "object" ? pick(value) : "");

/**
 * The note's lines for an answer's `query`; `onCategory({slug, bn, en, kind})` runs when a suggested
 * category is chosen (kind "provider" or "product": which search lists it). [] when there is nothing.
 */
export function queryNotes(query, onCategory) {
  if (!query) return [];
  const lines = [];
  const missing = words(query.not_listed);
  if (missing) lines.push(el("span", { class: "not-listed" }, t("notListed", missing)));
  const related = Array.isArray(query.suggested_categories) ? query.suggested_categories.filter((c) => c && c.slug) : [];
  if (related.length) {
    lines.push(
      el(
        "span",
        { class: "related" },
        `${t("relatedCategories")} `,
        ...related.map((c) => {
          const button = el("button", { type: "button", class: "chip related-category", dataset: { slug: c.slug } }, categoryLabel(c));
          button.addEventListener("click", () => onCategory(c));
          return button;
        }),
      ),
    );
  }
  if (query.place) lines.push(el("span", { class: "searched-in" }, searchedWhere(query.place)));
  const compatible = Array.isArray(query.compatible_blood_groups) ? query.compatible_blood_groups : [];
  if (query.blood_group && compatible.length) {
    lines.push(el("span", { class: "compatible-groups" }, t("compatibleGroups", query.blood_group, compatible.join(", "))));
  }
  if (Number.isFinite(query.live_weight_kg)) lines.push(el("span", {}, t("understoodWeight", formatCount(query.live_weight_kg))));
  if (Number.isFinite(query.price_bdt)) lines.push(el("span", {}, t("understoodPrice", formatPrice(query.price_bdt))));
  const exact = exactCount(query);
  if (exact) lines.push(el("span", {}, t("exactMatches", formatCount(exact))));
  else if (!missing && query.ignored_words && query.ignored_words.length) {
    lines.push(el("span", {}, t("ignoredWords", digits(query.ignored_words.join(", ")))));
  }
  return lines;
}

/** Where the search looked, by the place's level (query.place.level): an upazila, or one the page
 * does not know, is the area "around" its name. */
function searchedWhere(place) {
  const name = pick(place);
  if (place.level === "union") return t("searchedInUnion", name);
  if (place.level === "paurashava") return t("searchedInTown", name);
  if (place.level === "market") return t("searchedNearMarket", name);
  return t("searchedIn", name);
}

/** Fill the note element `note` with the lines for `query` (hidden when there are none). */
export function showNotes(note, query, onCategory) {
  const lines = queryNotes(query, onCategory);
  note.replaceChildren(...lines);
  note.hidden = lines.length === 0;
}
