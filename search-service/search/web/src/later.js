// What the page needs only after its first result — the products tab, the cattle market and the
// storefronts — in a file of its own (build.mjs), fetched when the person goes there or the page is
// idle, so the first answer on a slow link never waits for it. It shares the app's modules (one history,
// one language) instead of carrying copies.

export * from "./cattle.js";
export * from "./products.js";
export * from "./storefront.js";
