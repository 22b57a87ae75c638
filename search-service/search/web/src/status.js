// The line above every list: searching, what was found, what went wrong — and, without a network, which
// saved answer is on screen and from when. A failure for want of a network keeps the list (the phone
// numbers a citizen was about to call are still right) and asks again by itself when the network is
// back; an error of the API's own replaces the list, which would otherwise read as current.

import { answerTime } from "./api.js";
import { el } from "./dom.js";
import { formatSavedAt, t } from "./i18n.js";
import { retryWhenBack, settled } from "./offline.js";

export function showLoading(statusEl, list, text = t("loading")) {
  list.setAttribute("aria-busy", "true");
  statusEl.replaceChildren(el("p", { class: "loading" }, el("span", { class: "spinner", "aria-hidden": "true" }), text));
}

export function showMessage(statusEl, list, ...content) {
  list.removeAttribute("aria-busy");
  statusEl.replaceChildren(el("p", { class: "summary" }, ...content));
}

function errorText(error) {
  if (error.kind === "network") return t("networkError");
  if (error.kind === "timeout") return t("timeoutError");
  if (error.kind === "busy") return t("busyError");
  return t("apiError");
}

function retryButton(retry) {
  const button = el("button", { type: "button", class: "secondary" }, t("retry"));
  button.addEventListener("click", retry);
  return button;
}

/** For want of a network (or an answer in time), not for anything the API said. */
export const isOffline = (error) => error.kind === "network" || error.kind === "timeout";

/** An error replaces what was shown: old results under an error box would read as current. */
export function showError(statusEl, list, error, retry, clear = []) {
  list.removeAttribute("aria-busy");
  list.replaceChildren();
  for (const node of clear) node.replaceChildren();
  // The API's own message (English, for whoever reports the problem) under the reader's language.
  const detail = error.kind === "http" ? el("small", { lang: "en" }, error.message) : null;
  const back = isOffline(error) ? el("small", {}, t("offlineNothing")) : null;
  statusEl.replaceChildren(el("div", { class: "error", role: "alert" }, el("p", {}, errorText(error), detail && el("br"), detail, back && el("br"), back), retryButton(retry)));
}

/**
 * How the list on screen stands against the network, for a status line: null when it is a fresh
 * answer; {mode: "saved"} when it is the kept answer to this very search; {mode: "kept"} when this
 * search failed and the list is the earlier one's. `fetchedAt` is when the list's answer arrived.
 */
export function offlineState(body, failed) {
  const time = answerTime(body);
  if (failed) return { mode: "kept", fetchedAt: time ? time.fetchedAt : null };
  if (time && time.saved) return { mode: "saved", fetchedAt: time.fetchedAt };
  return null;
}

/** "📴 সংরক্ষিত · রাত ১:৪০" with what it means and a retry; null for a fresh answer. */
export function offlineNote(state, retry) {
  if (!state) return null;
  return el(
    "div",
    { class: "saved", role: "status" },
    el(
      "p",
      {},
      el("span", { class: "saved-at" }, el("span", { "aria-hidden": "true" }, "📴 "), state.fetchedAt ? t("saved", formatSavedAt(state.fetchedAt)) : t("saved", "—")),
      el("small", {}, t(state.mode === "saved" ? "offlineSaved" : "offlineKept")),
    ),
    retryButton(retry),
  );
}

/**
 * After a search of `purpose`: ask again when the network is back if the list is not a fresh answer
 * (`state` from offlineState), else forget any pending retry.
 */
export function followNetwork(purpose, state, retry) {
  if (state) retryWhenBack(purpose, retry);
  else settled(purpose);
}
