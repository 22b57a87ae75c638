// Words for people and words for places. A shop, a salon or a pharmacy is "open" or "closed"; a
// person — a mason, a doctor, a driver — is "available" or not, and from when; a blood donor "can give
// blood", or can again from a date. A category the page does not know gets the people's words, which
// read right for a place too ("available now"), while a shop's words on a person never do.

import { formatDate, formatHoursToday, formatOpensAt, t } from "./i18n.js";
import { el } from "./dom.js";

// Provider categories whose listings are places with opening hours. Everything else is a person.
const PLACES = new Set(["butcher", "barber", "beautician", "pharmacy", "hospital"]);

/** "donor", "place" or "person": which words a listing takes. */
export function kindOf(result) {
  const slug = result.category ? result.category.slug : "";
  if (slug === "blood_donor") return "donor";
  return PLACES.has(slug) ? "place" : "person";
}

const WORDS = {
  place: { now: "openNow", notNow: "closedNow", from: "opensAt", allDay: "alwaysOpen", dayOff: "closedToday" },
  person: { now: "availableNow", notNow: "notAvailableNow", from: "availableFrom", allDay: "availableAllDay", dayOff: "dayOffToday" },
};

/** Today's hours in the listing's words: "আজ সকাল ৯টা–সন্ধ্যা ৬টা", "২৪ ঘণ্টা খোলা" / "২৪ ঘণ্টা পাওয়া যায়". */
function hoursToday(result, words) {
  if (result.hours_today === null) return t(words.allDay);
  if (Array.isArray(result.hours_today) && result.hours_today.length === 0) return t(words.dayOff);
  return formatHoursToday(result.hours_today);
}

/** "আবার রক্ত দিতে পারবেন ৫ ডিসেম্বর থেকে", "রক্ত দিতে পারবেন", or when they take calls. */
function donorState(result, at) {
  if (result.can_donate_from) return el("span", { class: "is-later" }, t("canDonateFrom", formatDate(result.can_donate_from, at)));
  if (result.open_now) return el("span", { class: "is-open" }, t("canDonate"));
  if (result.next_open) return el("span", { class: "is-later" }, t("donorReachableAt", formatOpensAt(result.next_open, at)));
  return el("span", { class: "is-closed" }, t("unavailable"));
}

function listingState(result, at, words) {
  if (result.open_now) return el("span", { class: "is-open" }, t(words.now));
  if (result.next_open) {
    // A place "opens today at 9" (locative); a person is "available from today 9".
    const when = formatOpensAt(result.next_open, at, { locative: words === WORDS.place });
    return el("span", { class: "is-later" }, t(words.from, when));
  }
  return el("span", { class: "is-closed" }, result.available === false ? t("unavailable") : t(words.notNow));
}

/**
 * The line under a listing: whether it can help now, in its kind's words, and today's hours. A listing
 * nobody can reach is never called available: the line says so instead.
 */
export function statusLine(result, at, { reachable = true } = {}) {
  const kind = kindOf(result);
  const words = WORDS[kind === "place" ? "place" : "person"];
  let state;
  if (!reachable) state = el("span", { class: "is-closed unreachable" }, t("noWayToReach"));
  else if (kind === "donor") state = donorState(result, at);
  else state = listingState(result, at, words);
  // A donor who keeps no hours takes calls any time: nothing to add.
  const showHours = "hours_today" in result && !(kind === "donor" && result.hours_today === null);
  const hours = showHours ? el("span", { class: "hours" }, hoursToday(result, words)) : null;
  return el("p", { class: "open" }, state, hours && " · ", hours);
}

/** The heading over listings nearby that cannot help now, in words that fit all of them. */
export function laterHeading(results) {
  const kinds = new Set(results.map(kindOf));
  if (kinds.size === 1 && kinds.has("donor")) return t("donorsLater");
  if (kinds.size === 1 && kinds.has("place")) return t("closedNearby");
  if (!kinds.has("place")) return t("closedNearbyPeople");
  return t("closedNearbyMixed");
}

/** The heading over the nearest one that can help, beyond the radius. */
export const beyondHeading = (result, km) => (kindOf(result) === "place" ? t("openBeyond", km) : t("availableBeyond", km));
