// The page's history: each view a person makes (a search, a filter, a tab, a storefront) is an entry,
// with its scroll position kept in the entry's state, so Back and Forward return to exactly what was
// on screen. Typing and scrolling replace the current entry; only finished choices add one.

import { addressOf, readAddress } from "./address.js";

let current = readAddress();
let scrollTimer = null;

/** The view the address describes (mutable by `change`). */
export const view = () => current;

const here = () => `${window.location.pathname}${window.location.search}${window.location.hash}`;

function keepScroll() {
  clearTimeout(scrollTimer);
  scrollTimer = null;
  history.replaceState({ ...(history.state || {}), scrollY: Math.round(window.scrollY) }, "");
}

/**
 * Change the view with `mutate(view)` and write it into the address: a new history entry (`push`, the
 * default) or the current one replaced. Nothing is written when the address stays the same.
 */
export function change(mutate, { push = true } = {}) {
  mutate(current);
  const address = addressOf(current);
  if (address === here()) return false;
  if (push) {
    keepScroll(); // the entry being left remembers where it was scrolled
    history.pushState({ scrollY: 0 }, "", address);
  } else {
    history.replaceState(history.state, "", address);
  }
  return true;
}

/** The scroll position the current entry remembers, or null. */
export function rememberedScroll() {
  const y = history.state && history.state.scrollY;
  return Number.isFinite(y) ? y : null;
}

/** Scroll to `y` once the page is tall enough (the answers may still be arriving), for a while. */
export function restoreScroll(y) {
  if (y === null) return;
  let tries = 0;
  const attempt = () => {
    const tall = document.documentElement.scrollHeight - window.innerHeight >= y;
    if (tall || tries >= 20) {
      window.scrollTo(0, y);
      return;
    }
    tries += 1;
    setTimeout(attempt, 100);
  };
  attempt();
}

/** `apply(view, scrollY)` runs on Back and Forward; scrolling is remembered as it happens. */
export function followHistory(apply) {
  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  window.addEventListener("popstate", (event) => {
    current = readAddress();
    apply(current, event.state && Number.isFinite(event.state.scrollY) ? event.state.scrollY : 0);
  });
  window.addEventListener(
    "scroll",
    () => {
      if (!scrollTimer) scrollTimer = setTimeout(keepScroll, 150);
    },
    { passive: true },
  );
}
