// Building the page from API data without ever parsing it as markup: every piece of API text reaches
// the DOM through text nodes, and of the server's highlight markup only <mark> is rebuilt, by hand.

import { digits } from "./i18n.js";

export const $ = (id) => document.getElementById(id);

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false || child === "") continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * Server snippets are HTML-escaped text with <mark> around matches. Only <mark> survives: the text
 * between tags is decoded into text nodes (digits localized), so nothing else can become markup.
 */
export function markedText(snippet) {
  const fragment = document.createDocumentFragment();
  snippet.split(/(<\/?mark>)/).reduce((inMark, part) => {
    if (part === "<mark>") return true;
    if (part === "</mark>") return false;
    if (part) {
      const text = document.createTextNode(digits(decodeEntities(part)));
      fragment.append(inMark ? el("mark", {}, text) : text);
    }
    return inMark;
  }, false);
  return fragment;
}

/**
 * A script file of the build, loaded as a classic script (build.mjs: each defines one global, `name`).
 * Classic, not a module: a module request carries an Origin header, and the API's responses vary on
 * it, so the browser could not reuse such a copy for the page's own requests (offline.js keepShell).
 */
export function loadScript(src, name) {
  if (window[name]) return Promise.resolve(window[name]);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.addEventListener("load", () => (window[name] ? resolve(window[name]) : reject(new Error(`${src} defined no ${name}`))));
    script.addEventListener("error", () => {
      script.remove(); // the next attempt adds a fresh one
      reject(new Error(`${src} did not load`));
    });
    document.head.append(script);
  });
}

export function plainOf(snippet) {
  return digits(decodeEntities(snippet.replace(/<\/?mark>/g, "")));
}
