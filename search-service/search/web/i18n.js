// Words and numbers in the reader's language, Bangla first. Numbers are formatted by hand (not Intl)
// so every phone shows the same digits and grouping.

const STRINGS = {
  bn: {
    title: "হাতের মুঠোয় কিশোরগঞ্জ",
    subtitle: "কাছের সেবাদাতা ও স্থানীয় পণ্য খুঁজুন",
    langToggle: "English",
    langToggleLabel: "Switch to English",
    tabProviders: "সেবাদাতা",
    tabBlood: "রক্তদাতা",
    tabProducts: "পণ্য",
    tabsLabel: "কী খুঁজবেন",
    locationLabel: "আপনার অবস্থান",
    useMyLocation: "আমার অবস্থান",
    useMyLocationLabel: "ফোনের জিপিএস থেকে আমার অবস্থান নিন",
    upazilaPicker: "উপজেলা বেছে নিন",
    upazilaOption: "উপজেলা…",
    locating: "অবস্থান খোঁজা হচ্ছে…",
    locationFailed: "অবস্থান পাওয়া যায়নি। তালিকা থেকে উপজেলা বেছে নিন।",
    locationHere: "আমার বর্তমান অবস্থান",
    locationGiven: "নির্ধারিত অবস্থান",
    locationDefault: "কিশোরগঞ্জ সদর (ধরে নেওয়া)",
    providerQuery: "কী বা কাকে খুঁজছেন?",
    providerPlaceholder: "যেমন: কসাই, kosai, electrician",
    categories: "ধরন",
    allCategories: "সব",
    availableOnly: "শুধু এখন পাওয়া যায় এমন",
    loading: "খোঁজা হচ্ছে…",
    retry: "আবার চেষ্টা করুন",
    networkError: "নেটওয়ার্কে সমস্যা। সংযোগ দেখে আবার চেষ্টা করুন।",
    timeoutError: "উত্তর আসতে দেরি হচ্ছে। আবার চেষ্টা করুন।",
    apiError: "এই মুহূর্তে খোঁজা গেল না।",
    providersFound: (n, total) => `কাছের ${n} জন (মোট ${total})`,
    noProviders: "কাছাকাছি কাউকে পাওয়া যায়নি। “শুধু এখন পাওয়া যায়” বন্ধ করে বা অন্য শব্দে খুঁজুন।",
    openNow: "এখন খোলা",
    opensAt: (when) => `খুলবে ${when}`,
    unavailable: "এখন পাওয়া যাচ্ছে না",
    today: "আজ",
    tomorrow: "আগামীকাল",
    call: "কল করুন",
    callLabel: (name) => `${name}-কে কল করুন`,
    mapLabel: (n) => `মানচিত্র: উপজেলা সদর, আপনার অবস্থান ও ${n}টি ফলাফল`,
    you: "আপনি",
    legendResult: "ফলাফল (১ = সবচেয়ে কাছে)",
    legendCentre: "উপজেলা সদর",
    bloodGroup: "রক্তের গ্রুপ বেছে নিন",
    bloodHint: "৫০ কিমির মধ্যে যাঁরা এখন রক্ত দিতে পারবেন, কাছের জন আগে।",
    donorsFound: (n, total) => `${n} জন রক্তদাতা (মোট ${total})`,
    noDonors: "৫০ কিমির মধ্যে এই গ্রুপের কোনো রক্তদাতা এখন পাওয়া যায়নি।",
    lastDonation: (d) => `শেষ রক্তদান: ${d}`,
    productQuery: "পণ্য খুঁজুন",
    productPlaceholder: "যেমন: গরু, goru, মধু, honey",
    search: "খুঁজুন",
    suggestions: "পরামর্শ",
    suggestProvider: "সেবাদাতা",
    suggestProductCategory: "পণ্যের ধরন",
    minPrice: "সর্বনিম্ন দাম (৳)",
    maxPrice: "সর্বোচ্চ দাম (৳)",
    badPrice: "দাম শুধু অঙ্কে লিখুন, যেমন ৫০০",
    sort: "সাজান",
    sortRelevance: "সবচেয়ে মিল",
    sortPriceAsc: "দাম: কম থেকে বেশি",
    sortPriceDesc: "দাম: বেশি থেকে কম",
    sortNewest: "নতুন আগে",
    sortDistance: "কাছের আগে",
    productsFound: (n, total) => `${n}টি দেখানো হচ্ছে (মোট ${total}টি পণ্য)`,
    noProducts: "কোনো পণ্য পাওয়া যায়নি। অন্য শব্দে বা কম শর্তে খুঁজুন।",
    loadMore: "আরও দেখুন",
    outOfStock: "স্টকে নেই",
    clearFilter: "সব ধরন",
  },
  en: {
    title: "Kishoreganj in the palm of your hand",
    subtitle: "Find nearby service providers and local products",
    langToggle: "বাংলা",
    langToggleLabel: "বাংলায় দেখুন (switch to Bangla)",
    tabProviders: "Providers",
    tabBlood: "Blood donors",
    tabProducts: "Products",
    tabsLabel: "What to find",
    locationLabel: "Your location",
    useMyLocation: "My location",
    useMyLocationLabel: "Use my location from the phone's GPS",
    upazilaPicker: "Choose an upazila",
    upazilaOption: "Upazila…",
    locating: "Finding your location…",
    locationFailed: "Could not get your location. Choose an upazila from the list.",
    locationHere: "My current location",
    locationGiven: "Given location",
    locationDefault: "Kishoreganj Sadar (assumed)",
    providerQuery: "What or whom are you looking for?",
    providerPlaceholder: "e.g. butcher, kosai, কসাই",
    categories: "Category",
    allCategories: "All",
    availableOnly: "Available now only",
    loading: "Searching…",
    retry: "Try again",
    networkError: "Network problem. Check the connection and try again.",
    timeoutError: "The answer is taking too long. Try again.",
    apiError: "The search did not work just now.",
    providersFound: (n, total) => `${n} nearest (of ${total})`,
    noProviders: "Nobody found nearby. Turn off “available now only” or try other words.",
    openNow: "Open now",
    opensAt: (when) => `Opens ${when}`,
    unavailable: "Not available now",
    today: "today",
    tomorrow: "tomorrow",
    call: "Call",
    callLabel: (name) => `Call ${name}`,
    mapLabel: (n) => `Map: upazila centres, your location and ${n} results`,
    you: "You",
    legendResult: "Results (1 = nearest)",
    legendCentre: "Upazila centre",
    bloodGroup: "Choose a blood group",
    bloodHint: "Donors within 50 km who can give blood now, nearest first.",
    donorsFound: (n, total) => `${n} donors (of ${total})`,
    noDonors: "No donor of this group can give blood within 50 km right now.",
    lastDonation: (d) => `Last donation: ${d}`,
    productQuery: "Search products",
    productPlaceholder: "e.g. cow, goru, গরু, honey",
    search: "Search",
    suggestions: "Suggestions",
    suggestProvider: "Providers",
    suggestProductCategory: "Product category",
    minPrice: "Min price (৳)",
    maxPrice: "Max price (৳)",
    badPrice: "Write the price in digits, e.g. 500",
    sort: "Sort",
    sortRelevance: "Best match",
    sortPriceAsc: "Price: low to high",
    sortPriceDesc: "Price: high to low",
    sortNewest: "Newest first",
    sortDistance: "Nearest first",
    productsFound: (n, total) => `Showing ${n} of ${total} products`,
    noProducts: "No products found. Try other words or fewer filters.",
    loadMore: "Load more",
    outOfStock: "Out of stock",
    clearFilter: "All categories",
  },
};

const BANGLA_DIGITS = "০১২৩৪৫৬৭৮৯";
const WEEKDAYS = {
  bn: ["রবিবার", "সোমবার", "মঙ্গলবার", "বুধবার", "বৃহস্পতিবার", "শুক্রবার", "শনিবার"],
  en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
};

let current = "bn";

export function setLanguage(lang) {
  current = lang === "en" ? "en" : "bn";
}

export function language() {
  return current;
}

/** The string `key` in the current language; functions are called with `args`. */
export function t(key, ...args) {
  const value = STRINGS[current][key] ?? STRINGS.bn[key] ?? key;
  return typeof value === "function" ? value(...args) : value;
}

/** A {bn, en} pair from the API in the current language, falling back to Bangla. */
export function pick(pair) {
  if (!pair) return "";
  return (current === "en" && pair.en) || pair.bn || pair.en || "";
}

/** ASCII digits → Bangla digits in Bangla mode; other characters unchanged. */
export function digits(text) {
  const s = String(text);
  return current === "bn" ? s.replace(/[0-9]/g, (d) => BANGLA_DIGITS[Number(d)]) : s;
}

/** Bangla or ASCII digits typed by a person → a number, or null for empty, NaN for junk. */
export function parseNumber(text) {
  const ascii = String(text)
    .trim()
    .replace(/[০-৯]/g, (d) => String(BANGLA_DIGITS.indexOf(d)))
    .replace(/[,\s]/g, "");
  if (ascii === "") return null;
  return /^\d+(\.\d+)?$/.test(ascii) ? Number(ascii) : Number.NaN;
}

/** Digit grouping: South Asian lakh style (1,25,000) in Bangla, thousands (125,000) in English. */
function group(integer) {
  const s = String(integer);
  if (current === "en") return s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  if (s.length <= 3) return s;
  const head = s.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ",");
  return `${head},${s.slice(-3)}`;
}

/** "৳১২,৫০০" in Bangla mode, "৳12,500" in English. */
export function formatPrice(bdt) {
  const whole = Math.round(Number(bdt));
  return `৳${digits(group(whole))}`;
}

/** "১.২ কিমি" / "1.2 km"; under a kilometre, in metres rounded to ten. */
export function formatDistance(metres) {
  const m = Number(metres);
  if (m < 1000) {
    const rounded = Math.max(10, Math.round(m / 10) * 10);
    return current === "bn" ? `${digits(rounded)} মিটার` : `${rounded} m`;
  }
  const km = m < 10000 ? (m / 1000).toFixed(1) : String(Math.round(m / 1000));
  return current === "bn" ? `${digits(km)} কিমি` : `${km} km`;
}

/** "সকাল ৯:০০" / "9:00 AM" from hours and minutes (local Asia/Dhaka time). */
function formatClock(hour, minute) {
  const mm = String(minute).padStart(2, "0");
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  if (current === "en") return `${h12}:${mm} ${hour < 12 ? "AM" : "PM"}`;
  const period =
    hour < 4 ? "রাত" : hour < 12 ? "সকাল" : hour < 15 ? "দুপুর" : hour < 18 ? "বিকাল" : hour < 20 ? "সন্ধ্যা" : "রাত";
  return `${period} ${digits(`${h12}:${mm}`)}`;
}

function weekday(isoDate) {
  const [y, m, d] = isoDate.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

function addDays(isoDate, n) {
  const [y, m, d] = isoDate.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** When a provider opens next, relative to the API's `query.at`: both Dhaka times, read as written. */
export function formatOpensAt(nextOpen, at) {
  const day = nextOpen.slice(0, 10);
  const clock = formatClock(Number(nextOpen.slice(11, 13)), Number(nextOpen.slice(14, 16)));
  const today = at ? at.slice(0, 10) : null;
  let when;
  if (day === today) when = t("today");
  else if (today && day === addDays(today, 1)) when = t("tomorrow");
  else when = WEEKDAYS[current][weekday(day)];
  return `${when} ${clock}`;
}

/** A calendar date "2026-08-01" → "১ আগস্ট ২০২৬" / "1 Aug 2026". */
export function formatDate(isoDate) {
  const months = {
    bn: ["জানুয়ারি", "ফেব্রুয়ারি", "মার্চ", "এপ্রিল", "মে", "জুন", "জুলাই", "আগস্ট", "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর", "ডিসেম্বর"],
    en: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
  };
  const [y, m, d] = isoDate.split("-").map(Number);
  return digits(`${d} ${months[current][m - 1]} ${y}`);
}

/** Fill every element marked data-i18n / data-i18n-placeholder / data-i18n-label under `root`. */
export function translatePage(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
  for (const el of root.querySelectorAll("[data-i18n-label]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  }
  document.title = t("title");
}
