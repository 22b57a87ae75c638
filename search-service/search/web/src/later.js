// What the page needs only after its first result — the products tab, the cattle market and the
// storefronts — in a file of its own (build.mjs), fetched when the person heads there (a tab touched, a
// storefront link followed), so the first answer never waits for it and a visit that never goes there
// never pays for it. It shares the app's modules (one history, one language) instead of carrying copies.

export * from "./cattle.js";
export * from "./products.js";
export * from "./storefront.js";
