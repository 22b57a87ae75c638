// Runs the web client's own formatting and place code under Node (no browser) and prints what it
// makes of each case as JSON, for test_formatting.py to compare with what a Bangla reader expects.

import * as i18n from "../../../search-service/search/web/src/i18n.js";
import english from "../../../search-service/search/web/src/strings_en.js";
import { insideDistrict, keepVerdict, keptVerdict, kmToNearestUpazila, positionKey, verdictOf } from "../../../search-service/search/web/src/place.js";

i18n.addLanguage("en", english); // the page fetches these only for English readers
const cases = JSON.parse(process.argv[2]);
const out = cases.map(([lang, fn, args]) => {
  i18n.setLanguage(lang);
  if (fn === "insideDistrict") return insideDistrict(...args);
  if (fn === "positionKey") return positionKey(...args);
  if (fn === "verdictOf") return verdictOf(...args);
  if (fn === "keptVerdict") {
    // args: [position kept, what the server said of it, position asked]
    keepVerdict(args[0], args[1]);
    return keptVerdict(args[2]);
  }
  if (fn === "t") {
    // args: [district names, key, ...the key's arguments]
    i18n.setDistrict(args[0]);
    return i18n.t(...args.slice(1));
  }
  if (fn === "kmToNearestUpazila") return Math.round(kmToNearestUpazila(...args));
  if (fn === "collate") return i18n.collate(args[0], (x) => x);
  const value = i18n[fn](...args);
  return Number.isNaN(value) ? "NaN" : value;
});
console.log(JSON.stringify(out));
