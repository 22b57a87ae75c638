// Words and numbers in the reader's language, Bangla first. Numbers are formatted by hand (not Intl)
// so every phone shows the same digits and grouping; only list order uses Intl.Collator, which every
// browser of the last years ships with Bangla rules. The English words (strings_en.js) are a file of
// their own, fetched only for a reader who wants them: the Bangla page never carries them.
// The district is configuration (search-service's DISTRICT): words that name it say {district}, which
// t() fills with the name the page was served with (setDistrict).

const STRINGS = {
  bn: {
    title: "হাতের মুঠোয় {district}",
    langToggle: "English",
    langToggleLabel: "Switch to English",
    sos: "জরুরি",
    sosLabel: "জরুরি নম্বর: ৯৯৯ ও স্বাস্থ্য বাতায়ন",
    saved: (when) => `সংরক্ষিত · ${when}`,
    offlineSaved: "ইন্টারনেট নেই: আগে পাওয়া উত্তর। সংযোগ ফিরলে নিজেই আবার খুঁজবে।",
    offlineKept: "ইন্টারনেট নেই: নতুন খোঁজ হয়নি, নিচে আগের তালিকা। সংযোগ ফিরলে নিজেই আবার খুঁজবে।",
    offlineNothing: "ইন্টারনেট নেই। নেটওয়ার্ক ফিরলে নিজে থেকেই আবার খোঁজা হবে।",
    gpsAtOnce: (precision) => `ফোনের অবস্থান থেকে খোঁজা হলো (প্রায় ${precision} পর্যন্ত নির্ভুল)।`,
    gpsOutsideAtOnce: (where, km) => `ফোনের অবস্থান ${where} (কাছের উপজেলা থেকে ${km} কিমি), তাই উপজেলা ধরে খোঁজা হলো।`,
    outsideOf: "{district} জেলার বাইরে",
    availableNow: "এখন পাওয়া যাবে",
    notAvailableNow: "এখন পাওয়া যাবে না",
    availableFrom: (when) => `পাওয়া যাবে ${when} থেকে`,
    availableAllDay: "২৪ ঘণ্টা পাওয়া যায়",
    dayOffToday: "আজ ছুটি",
    closedNearbyPeople: "কাছেই আছেন, এখন পাওয়া যাবে না",
    closedNearbyMixed: "কাছেই আছেন, তবে এখন নয়",
    availableBeyond: (km) => `${km} কিমির বাইরে সবচেয়ে কাছের, এখন পাওয়া যাবে`,
    visitAddress: "ঠিকানায় যান",
    noWayToReach: "যোগাযোগের কোনো উপায় দেওয়া নেই",
    sellerNoPhone: "বিক্রেতা ফোন নম্বর দেননি — দোকানের পাতায় ঠিকানা দেখুন",
    sellerNoWay: "বিক্রেতার সঙ্গে যোগাযোগের কোনো উপায় দেওয়া নেই",
    notListed: (name) => `আমাদের তালিকায় ${name} নেই।`,
    relatedCategories: "এগুলো দেখতে পারেন:",
    ambulancesNow: "এখনই কল করা যায়, কাছের অ্যাম্বুলেন্স",
    understoodWeight: (kg) => `ওজন ধরা হলো প্রায় ${kg} কেজি; কাছাকাছি ওজন আগে।`,
    understoodPrice: (price) => `দাম ধরা হলো প্রায় ${price}; কাছাকাছি দাম আগে।`,
    sold: "বিক্রি হয়ে গেছে",
    suggestProduct: "পণ্য",
    tabProviders: "সেবাদাতা",
    tabBlood: "রক্তদাতা",
    tabProducts: "পণ্য",
    tabsLabel: "কী খুঁজবেন",
    locationPicker: "আপনার অবস্থান (উপজেলা)",
    useMyLocation: "আমার অবস্থান",
    useMyLocationLabel: "ফোনের জিপিএস থেকে আমার অবস্থান নিন",
    locating: "অবস্থান খোঁজা হচ্ছে…",
    locationDenied: "অবস্থান জানার অনুমতি দেওয়া হয়নি। তালিকা থেকে আপনার উপজেলা বেছে নিন।",
    locationFailed: "অবস্থান পাওয়া যায়নি। তালিকা থেকে আপনার উপজেলা বেছে নিন।",
    outsideDistrict: (where, km) =>
      `আপনার অবস্থান ${where} (কাছের উপজেলা থেকে ${km} কিমি)। এই সেবা {district} জেলার জন্য — তালিকা থেকে একটি উপজেলা বেছে নিন।`,
    gpsRemembered: "আপনার অবস্থান এই সেশনের জন্য মনে রাখা হলো।",
    youAreIn: (where) => `আপনি আছেন: ${where}।`,
    precisionNote: (precision) => ` প্রায় ${precision} পর্যন্ত নির্ভুল।`,
    forgetGps: "ভুলে যান",
    locationHere: "📍 আমার বর্তমান অবস্থান",
    locationGiven: "নির্ধারিত অবস্থান",
    locationAssumed: "অবস্থান ধরে নেওয়া হলো। আপনার উপজেলা বেছে নিন বা 📍 চাপুন।",
    providerQuery: "কী বা কাকে খুঁজছেন?",
    providerPlaceholder: "যেমন: কসাই, kosai, ডাক্তার",
    skipToResults: "ধরনগুলো পেরিয়ে ফলাফলে যান",
    categories: "ধরন",
    allCategories: "সব",
    availableOnly: "শুধু এখন খোলা / পাওয়া যায়",
    results: "ফলাফল",
    loading: "খোঁজা হচ্ছে…",
    retry: "আবার চেষ্টা করুন",
    networkError: "নেটওয়ার্কে সমস্যা। সংযোগ দেখে আবার চেষ্টা করুন।",
    timeoutError: "উত্তর আসতে দেরি হচ্ছে। আবার চেষ্টা করুন।",
    busyError: "এখন অনেক অনুরোধ আসছে। একটু পরে আবার চেষ্টা করুন।",
    busyWaiting: (s) => `অনেকে একসাথে খুঁজছেন — ${s} সেকেন্ড পরে আবার চেষ্টা করা হচ্ছে…`,
    apiError: "এই মুহূর্তে খোঁজা গেল না।",
    providersFound: (n, total) => `কাছের ${n} জন (মোট ${total})`,
    nothingOpen: (km) => `${km} কিমির মধ্যে এখন কাউকে পাওয়া যায়নি।`,
    noProvidersTicked: "কাছাকাছি কাউকে পাওয়া যায়নি। “শুধু এখন খোলা” বন্ধ করে বা অন্য শব্দে খুঁজুন।",
    noProviders: "কাছাকাছি কাউকে পাওয়া যায়নি। অন্য শব্দে বা অন্য উপজেলায় খুঁজুন।",
    closedNearby: "কাছেই আছে, এখন বন্ধ",
    openBeyond: (km) => `${km} কিমির বাইরে সবচেয়ে কাছের খোলা`,
    searchedIn: (place) => `“${place}” এলাকায় খোঁজা হলো।`,
    searchedInUnion: (union) => `${union} ইউনিয়নে খোঁজা হলো।`,
    searchedInTown: (town) => `${locative(town)} খোঁজা হলো।`,
    searchedNearMarket: (market) => `${genitive(market)} কাছে খোঁজা হলো।`,
    unionOf: (union) => `${union} ইউনিয়ন`,
    ignoredWords: (words) => `এই শব্দ বাদ দিয়ে খোঁজা হলো: ${words}`,
    compatibleGroups: (group, others) => `${group} দাতাদের পরে ${others} দাতারাও আছেন: তাঁরা ${group} রোগীকে রক্ত দিতে পারেন (হাসপাতালে ক্রসম্যাচ করে নিন)।`,
    exactMatches: (n) => `পুরো মিল ${n}টি; তারপর একই ধরনের আরও।`,
    sameKind: "একই ধরনের আরও",
    showOnMap: "মানচিত্রে দেখুন",
    mapHeading: "মানচিত্র",
    mapLabel: "মানচিত্র: উপজেলা সদর, আপনার অবস্থান ও ফলাফল",
    tilesFailed: "রাস্তাঘাটের ছবি আসেনি (নেটওয়ার্ক); উপজেলা ও ফলাফল দেখানো হলো।",
    openNow: "এখন খোলা",
    closedNow: "এখন বন্ধ",
    opensAt: (when) => `খুলবে ${when}`,
    unavailable: "এখন পাওয়া যাচ্ছে না",
    hoursToday: (spans) => `আজ ${spans}`,
    closedToday: "আজ বন্ধ",
    alwaysOpen: "২৪ ঘণ্টা খোলা",
    today: "আজ",
    tomorrow: "আগামীকাল",
    canDonate: "রক্ত দিতে পারবেন",
    canDonateFrom: (date) => `আবার রক্ত দিতে পারবেন ${date} থেকে`,
    donorReachableAt: (when) => `রক্ত দিতে পারবেন; যোগাযোগ ${when}`,
    call: "কল করুন",
    callLabel: (name) => `${name}-কে কল করুন`,
    bloodGroup: "রক্তের গ্রুপ বেছে নিন",
    bloodHint: "৫০ কিমির মধ্যে যাঁরা এখন রক্ত দিতে পারবেন, কাছের জন আগে।",
    donorsFound: (n, total) => `${n} জন রক্তদাতা (মোট ${total})`,
    noDonors: (km) => `${km} কিমির মধ্যে এই গ্রুপের কেউ এখন রক্ত দিতে পারবেন না।`,
    widened: (from, to) => `${from} কিমির মধ্যে কাউকে পাওয়া যায়নি, তাই ${to} কিমির মধ্যে খোঁজা হলো।`,
    donorsLater: "শিগগির রক্ত দিতে পারবেন",
    emergencyHeading: "জরুরি প্রয়োজনে",
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
    seller: "বিক্রেতা",
    verified: "যাচাই করা",
    whatsapp: "হোয়াটসঅ্যাপ",
    whatsappLabel: (name) => `${name}-কে হোয়াটসঅ্যাপে লিখুন`,
    openStorefront: (name) => `${name}-এর দোকান দেখুন`,
    liveWeight: (kg) => `${kg} কেজি`,
    ageMonths: (m) => `${m} মাস`,
    perKg: (price) => `${price}/কেজি`,
    seenAt: (place) => `দেখা যাবে: ${place}`,
    tabCattle: "পশুর হাট",
    cattleHeading: "ডিজিটাল পশুর হাট",
    cattleHint: "গরু, ছাগল, মহিষ, ভেড়া — জাত, ওজন আর দাম দিয়ে বাছাই করুন।",
    animal: "পশু",
    allAnimals: "সব পশু",
    breed: "জাত",
    allBreeds: "সব জাত",
    minWeight: "সর্বনিম্ন ওজন (কেজি)",
    maxWeight: "সর্বোচ্চ ওজন (কেজি)",
    badWeight: "ওজন শুধু অঙ্কে লিখুন, যেমন ২৫০",
    sortPerKgAsc: "কেজিপ্রতি দাম: কম থেকে বেশি",
    sortPerKgDesc: "কেজিপ্রতি দাম: বেশি থেকে কম",
    animalsFound: (n, total) => `${n}টি দেখানো হচ্ছে (মোট ${total}টি পশু)`,
    noAnimals: "এই শর্তে কোনো পশু পাওয়া যায়নি। ওজন বা দামের সীমা বাড়িয়ে দেখুন।",
    backToProducts: "← সব পণ্য",
    storefrontLabel: "দোকান",
    storefrontMissing: "দোকানটি পাওয়া যায়নি — হয়তো বন্ধ হয়ে গেছে।",
    owner: (name) => `মালিক: ${name}`,
    since: (year) => `${year} সাল থেকে পোর্টালে`,
    delivers: (places) => `ডেলিভারি: ${places}`,
    pickupOnly: "ডেলিভারি নেই, দোকান থেকে নিতে হবে",
    payments: (methods) => `পেমেন্ট: ${methods}`,
    storefrontQuery: "এই দোকানে খুঁজুন",
    storefrontPlaceholder: "যেমন: দই, ঘি",
    storefrontProducts: (n, total) => `${n}টি দেখানো হচ্ছে (দোকানে মোট ${total}টি পণ্য)`,
    storefrontEmpty: "এই দোকানে এমন কিছু পাওয়া যায়নি।",
    allOfShop: "সব পণ্য",
  },
};

const BANGLA_DIGITS = "০১২৩৪৫৬৭৮৯";
const WEEKDAYS = {
  bn: ["রবিবার", "সোমবার", "মঙ্গলবার", "বুধবার", "বৃহস্পতিবার", "শুক্রবার", "শনিবার"],
  en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
};
const MONTHS = {
  bn: ["জানুয়ারি", "ফেব্রুয়ারি", "মার্চ", "এপ্রিল", "মে", "জুন", "জুলাই", "আগস্ট", "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর", "ডিসেম্বর"],
  en: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
};

let current = "bn";
let district = { bn: "জেলা", en: "the district" }; // until the page's own is known (setDistrict)

/** The district the page serves ({bn, en} of the boot data), for the words that name it. */
export function setDistrict(names) {
  if (names && names.bn) district = { bn: names.bn, en: names.en || names.bn };
}

const VOWEL_SIGN = /[\u09BE-\u09CC\u09D7]$/; // া ি ী ু ূ ৃ ে ৈ ো ৌ
const CONSONANT = /[\u0995-\u09B9\u09BC\u09DC-\u09DF]$/; // ক … হ, and ড় ঢ় য় (NFC: a letter and its nukta)

/** A Bangla name "at" or "in" a place: ভৈরব পৌরসভা → ভৈরব পৌরসভায়, কুলিয়ারচর → কুলিয়ারচরে, নিকলী → নিকলীতে. */
export function locative(name) {
  if (name.endsWith("\u09BE")) return `${name}\u09AF\u09BC`; // -া → -ায়
  if (VOWEL_SIGN.test(name)) return `${name}তে`;
  return CONSONANT.test(name) ? `${name}\u09C7` : `${name}-এ`;
}

/** A Bangla name "of" a place: কটিয়াদী বাজার → কটিয়াদী বাজারের, নিকলী → নিকলীর, পৌরসভা → পৌরসভার. */
export function genitive(name) {
  if (VOWEL_SIGN.test(name)) return `${name}র`;
  return CONSONANT.test(name) ? `${name}ের` : `${name}-এর`;
}

/** Make a language's words known (the English table arrives on its own: strings_en.js). */
export function addLanguage(lang, table) {
  STRINGS[lang] = table;
}

/** Bangla, or English once its words are known. */
export function setLanguage(lang) {
  current = lang === "en" && STRINGS.en ? "en" : "bn";
}

export function language() {
  return current;
}

/** The string `key` in the current language; functions are called with `args`. */
export function t(key, ...args) {
  const value = (STRINGS[current] && STRINGS[current][key]) ?? STRINGS.bn[key] ?? key;
  const text = typeof value === "function" ? value(...args) : value;
  return typeof text === "string" ? text.replace(/\{district\}/g, district[current] || district.bn) : text;
}

/** ASCII digits → Bangla digits in Bangla mode; other characters unchanged. */
export function digits(text) {
  const s = String(text ?? "");
  return current === "bn" ? s.replace(/[0-9]/g, (d) => BANGLA_DIGITS[Number(d)]) : s;
}

/** A {bn, en} pair from the API in the current language (falling back to Bangla), digits localized:
 * server text says "হোল্ডিং নং 24" or "ইলিশ — 2 কেজি", and a Bangla page must not mix scripts. */
export function pick(pair) {
  if (!pair) return "";
  return digits((current === "en" && pair.en) || pair.bn || pair.en || "");
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

/** A count as the reader writes it: "১,২৫,০০০" / "125,000". */
export function formatCount(n) {
  return digits(group(Math.round(Number(n))));
}

/** "৳১২,৫০০" in Bangla mode, "৳12,500" in English. */
export function formatPrice(bdt) {
  return `৳${formatCount(bdt)}`;
}

/** "১.২ কিমি" / "1.2 km"; under a kilometre, in metres rounded to ten. */
export function formatDistance(metres) {
  const m = Number(metres);
  if (m < 1000) {
    const rounded = Math.max(10, Math.round(m / 10) * 10);
    return current === "bn" ? `${digits(rounded)} মিটার` : `${rounded} m`;
  }
  const km = m < 10000 ? (m / 1000).toFixed(1) : formatCount(m / 1000);
  return current === "bn" ? `${digits(km)} কিমি` : `${km} km`;
}

/** A radius in km for sentences: "২০" / "20". */
export function formatKm(km) {
  return formatCount(km);
}

function period(hour) {
  if (hour < 4) return "রাত";
  if (hour < 6) return "ভোর";
  if (hour < 12) return "সকাল";
  if (hour < 15) return "দুপুর";
  if (hour < 18) return "বিকাল";
  if (hour < 20) return "সন্ধ্যা";
  return "রাত";
}

/**
 * A wall-clock time "HH:MM" (Asia/Dhaka) as people say it: "সকাল ৯টা", "রাত ১০:৩০" / "9 AM", "10:30 PM".
 * `at` adds the Bangla locative for "at nine": "সকাল ৯টায়", "রাত ১০:৩০-এ".
 */
export function formatClock(hhmm, { at = false } = {}) {
  const hour = Number(hhmm.slice(0, 2)) % 24;
  const minute = Number(hhmm.slice(3, 5));
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  if (current === "en") return `${minute ? `${h12}:${String(minute).padStart(2, "0")}` : h12} ${hour < 12 ? "AM" : "PM"}`;
  const spoken = minute ? `${digits(`${h12}:${String(minute).padStart(2, "0")}`)}${at ? "-এ" : ""}` : `${digits(h12)}${at ? "টায়" : "টা"}`;
  return `${period(hour)} ${spoken}`;
}

function weekday(isoDate) {
  const [y, m, d] = isoDate.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

function addDays(isoDate, n) {
  const [y, m, d] = isoDate.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** When a provider opens next, relative to the API's `query.at`: both Dhaka times, read as written.
 * "আজ সকাল ৯টায়", "আগামীকাল সকাল ৯টায়", "শনিবার সকাল ৯টায়" / "today at 9 AM"; without the locative
 * ("আজ সকাল ৯টা") for "available from …". */
export function formatOpensAt(nextOpen, at, { locative = true } = {}) {
  const day = nextOpen.slice(0, 10);
  const today = at ? at.slice(0, 10) : null;
  let when;
  if (day === today) when = t("today");
  else if (today && day === addDays(today, 1)) when = t("tomorrow");
  else when = WEEKDAYS[current][weekday(day)];
  const clock = formatClock(nextOpen.slice(11, 16), { at: locative });
  return current === "en" ? `${when} at ${clock}` : `${when} ${clock}`;
}

/** Today's hours from the API's `hours_today`: null = always open, [] = closed today, else the spans. */
export function formatHoursToday(hoursToday) {
  if (hoursToday === null) return t("alwaysOpen");
  if (hoursToday.length === 0) return t("closedToday");
  const spans = hoursToday.map((s) => `${formatClock(s.open)}–${formatClock(s.close)}`).join(", ");
  return t("hoursToday", spans);
}

/** A calendar date "2026-08-01" → "১ আগস্ট ২০২৬" / "1 Aug 2026"; without the year when it is the year
 * of `thisYear` (an ISO date or time): "৫ ডিসেম্বর". */
export function formatDate(isoDate, thisYear = null) {
  const [y, m, d] = isoDate.slice(0, 10).split("-").map(Number);
  const year = thisYear && Number(thisYear.slice(0, 4)) === y ? "" : ` ${y}`;
  return digits(`${d} ${MONTHS[current][m - 1]}${year}`);
}

const DHAKA_OFFSET_MS = 6 * 3600 * 1000; // Asia/Dhaka: UTC+6, no daylight saving

/** A moment (ms since the epoch) as Dhaka wall-clock ISO text, "2026-12-05T01:40:00.000". */
const dhakaIso = (ms) => new Date(ms + DHAKA_OFFSET_MS).toISOString().slice(0, 23);

/** When a kept answer arrived: "রাত ১:৪০" today, "৩ ডিসেম্বর রাত ১:৪০" on another day. */
export function formatSavedAt(ms, now = Date.now()) {
  const at = dhakaIso(ms);
  const clock = formatClock(at.slice(11, 16));
  return at.slice(0, 10) === dhakaIso(now).slice(0, 10) ? clock : `${formatDate(at, dhakaIso(now))} ${clock}`;
}

/** Sort `items` by `name(item)` with the current language's collation (Bangla: অ আ … ক খ …). */
export function collate(items, name) {
  const collator = new Intl.Collator(current === "bn" ? "bn" : "en", { sensitivity: "base" });
  return [...items].sort((a, b) => collator.compare(name(a), name(b)));
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
