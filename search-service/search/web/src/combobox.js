// Suggestions under a search box, from /v1/suggest, in whichever script is typed. Typing costs little:
// a suggestion is asked only once the typist pauses — a pause measured against their own pace, so a
// slow phone typist (350–400 ms a letter) is not asked on every letter — a request still on its way is
// cancelled by the next letter, and an answer already seen is not asked again. The full search runs on
// submit or on choosing a suggestion, never per keystroke.

import { Channel } from "./api.js";
import { el } from "./dom.js";
import { digits, pick, t } from "./i18n.js";

const FIRST_WAIT_MS = 400; // before their pace is known
const MIN_WAIT_MS = 250;
const MAX_WAIT_MS = 700;
const PACE_OF = 5; // the last gaps between letters that tell the pace
const LIMIT = 6;
const SEEN = 40;

const kinds = { provider_category: "suggestProvider", product_category: "suggestProductCategory", product: "suggestProduct" };

/** A pause long enough to mean "I stopped typing" for this typist: 1.3 × their median gap. */
function pauseAfter(gaps) {
  if (gaps.length === 0) return FIRST_WAIT_MS;
  const sorted = [...gaps].sort((a, b) => a - b);
  return Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, 1.3 * sorted[Math.floor(sorted.length / 2)]));
}

/**
 * Make `input` a combobox over the listbox `list`. `onChoose(suggestion)` runs when one is chosen by
 * tap or keyboard; Enter without a highlighted suggestion is left to the form (a plain search).
 */
export function combobox(input, list, onChoose) {
  const channel = new Channel();
  const seen = new Map();
  const gaps = [];
  let lastKey = 0;
  let timer = null;
  let items = [];
  let active = -1;

  function close() {
    clearTimeout(timer);
    channel.abort();
    items = [];
    active = -1;
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function render() {
    if (items.length === 0) {
      list.hidden = true;
      list.replaceChildren();
      input.setAttribute("aria-expanded", "false");
      return;
    }
    list.replaceChildren(
      ...items.map((s, i) => {
        const kind = kinds[s.type] || null;
        const option = el(
          "li",
          { role: "option", id: `${list.id}-${i}`, class: "suggestion", "aria-selected": String(i === active) },
          el("span", {}, s.type === "product" ? digits(s.text) : pick(s) || digits(s.text)), // a category in the page's language
          kind ? el("span", { class: "kind" }, t(kind)) : null,
        );
        option.addEventListener("pointerdown", (event) => event.preventDefault()); // keep focus in the box
        option.addEventListener("click", () => choose(s));
        return option;
      }),
    );
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    if (active >= 0) input.setAttribute("aria-activedescendant", `${list.id}-${active}`);
    else input.removeAttribute("aria-activedescendant");
  }

  function show(text, suggestions) {
    if (input.value.trim() !== text || document.activeElement !== input) return;
    items = suggestions;
    active = -1;
    render();
  }

  async function ask(text) {
    try {
      const body = await channel.get("/v1/suggest", { q: text, limit: LIMIT }, { keep: false });
      if (body === null) return;
      seen.set(text, body.suggestions);
      if (seen.size > SEEN) seen.delete(seen.keys().next().value);
      show(text, body.suggestions);
    } catch {
      close(); // suggestions are a convenience: a failure only hides them
    }
  }

  function choose(s) {
    close();
    onChoose(s);
  }

  input.addEventListener("input", () => {
    const now = performance.now();
    if (lastKey && now - lastKey < 2000) {
      gaps.push(now - lastKey);
      if (gaps.length > PACE_OF) gaps.shift();
    }
    lastKey = now;
    clearTimeout(timer);
    channel.abort(); // the answer on its way is for letters no longer in the box
    const text = input.value.trim();
    if (!text) return close();
    if (seen.has(text)) return show(text, seen.get(text));
    timer = setTimeout(() => ask(text), pauseAfter(gaps));
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") return close();
    const n = items.length;
    if (!n || (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Enter")) return;
    if (event.key === "Enter") {
      if (active < 0) return; // a plain submit
      event.preventDefault();
      choose(items[active]);
      return;
    }
    event.preventDefault();
    active = ((active + (event.key === "ArrowDown" ? 1 : n - 1) + 1) % (n + 1)) - 1;
    render();
  });
  input.addEventListener("blur", () => setTimeout(close, 150));

  return { close, render };
}
