// What search-service writes into the page (serve.py): the district it serves (DISTRICT), its upazilas
// (the sadar first), the categories of the taxonomy and the map configuration, so the first screen needs
// no request for them.

let cached = null;

/** The page's boot data: {district: {slug, bn, en}, upazilas, categories: {provider, product}, tiles}. */
export function bootData() {
  if (!cached) {
    const node = document.getElementById("boot");
    cached = node ? JSON.parse(node.textContent) : { district: null, upazilas: [], categories: { provider: [], product: [] }, tiles: null };
  }
  return cached;
}

/** The built file names of the map module and its stylesheet (build.mjs writes them into the page). */
export function assetNames() {
  const node = document.getElementById("assets");
  return node ? JSON.parse(node.textContent) : {};
}
