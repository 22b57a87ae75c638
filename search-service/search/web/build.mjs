// Build the web client from src/ into dist/, the only folder search-service serves (see serve.py).
//
// Why a build: a phone on a 400 kbps / 400 ms link pays a round trip for every file it discovers late.
// So the page carries its CSS and a tiny boot script inline (the boot script starts the first search
// while the app script is still downloading), the app is one minified module with only what the first
// answer needs, and the rest comes later, each a module of its own: the map (Leaflet, its cluster plugin
// and our map code) when the map is about to be seen; the products tab, the cattle market and the
// storefronts (later.js) when the person heads there; the English words when a reader
// wants them. later.js uses the app's own modules (one history, one language), which the app lends it
// through a global instead of a shared chunk the first answer would wait for. All are classic scripts,
// each defining one global (src/dom.js loadScript says why).
// Hashed names let search-service tell browsers to keep those files for a year. The service worker
// (sw.js, a fixed name browsers check for updates) learns this build's version and the files the page
// needs before its first result, so a reload without a network opens the page.
//
//     node build.mjs          (what `make web` runs, after `npm ci`)

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const HERE = dirname(fileURLToPath(import.meta.url));
const SRC = join(HERE, "src");
const DIST = join(HERE, "dist");
const STAGING = join(HERE, "dist.tmp");
// Browsers of the phones people have: Android Chrome and Samsung Internet from about 2020 on (and
// Safari 15, the oldest esbuild can target without refusing destructuring).
const TARGET = ["es2020", "chrome80", "safari15", "firefox78"];
const BASE = "/app/"; // where serve.py mounts the client: the page names its script from the root, so a
// storefront's address (/app/s/<slug>) and the plain page share one cached copy of it

const COMMON = { bundle: true, minify: true, target: TARGET, legalComments: "none", charset: "utf8", logLevel: "warning" };

function hashed(name, ext, content) {
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 10);
  return `${name}-${hash}.${ext}`;
}

const SHARED = "__kgModules"; // the global through which the app lends later.js its modules
const LAZY = { LATER_JS: '""', EN_JS: '""' }; // where the app finds its later files (set in the last pass)

/** One bundle in memory: `{js, css, modules}` (css empty when the entry imports none; modules: the
 * source files it is made of, relative to this folder). */
async function bundle(entry, format, options = {}) {
  const result = await esbuild.build({
    ...COMMON,
    ...(typeof entry === "string" ? { entryPoints: [join(SRC, entry)] } : { stdin: entry }),
    absWorkingDir: HERE,
    format,
    write: false,
    outdir: "out",
    metafile: true,
    // Leaflet's CSS names images for controls and default markers we do not use; never fetched.
    external: ["*.png", "*.svg"],
    ...options,
  });
  const text = (ext) => result.outputFiles.filter((f) => f.path.endsWith(ext)).map((f) => f.text).join("");
  return { js: text(".js"), css: text(".css"), modules: Object.keys(result.metafile.inputs) };
}

/** esbuild plugin: imports of the app's `shared` modules resolve to the app's own instances. */
function borrowFromApp(shared) {
  return {
    name: "borrow-from-app",
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const path = resolve(args.resolveDir, args.path);
        const key = path.slice(HERE.length + 1);
        return shared.includes(key) ? { path: key, namespace: "app" } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: "app" }, (args) => ({
        contents: `module.exports = globalThis.${SHARED}[${JSON.stringify(args.path)}];`,
        loader: "js",
      }));
    },
  };
}

/** The app, lending `shared` to later files before it starts, and told where they are (`lazy`). */
function appEntry(shared) {
  const imports = shared.map((key, i) => `import * as m${i} from ${JSON.stringify(`./${key.slice("src/".length)}`)};`);
  const lend = `globalThis.${SHARED} = {${shared.map((key, i) => `${JSON.stringify(key)}: m${i}`).join(", ")}};`;
  return {
    contents: `import "./lend.js";\nimport "./app.js";\n`,
    resolveDir: SRC,
    sourcefile: "app-entry.js",
    plugins: [
      {
        name: "lend",
        setup(build) {
          build.onResolve({ filter: /^\.\/lend\.js$/ }, () => ({ path: "lend.js", namespace: "lend" }));
          build.onLoad({ filter: /.*/, namespace: "lend" }, () => ({ contents: `${imports.join("\n")}\n${lend}\n`, resolveDir: SRC, loader: "js" }));
        },
      },
    ],
  };
}

/** The service worker, told this build's version (the name of its cache). */
async function serviceWorker(version) {
  const result = await esbuild.build({
    ...COMMON,
    entryPoints: [join(SRC, "sw.js")],
    format: "iife",
    write: false,
    define: { BUILD: JSON.stringify({ version }) },
  });
  return result.outputFiles[0].text;
}

/** The district's emergency numbers (src/emergency.json) as the page's own markup, in Bangla: there
 * before any script runs, and without a network once the page is kept. The app renders them again in
 * the reader's language. An entry of one district's (its hospitals) is marked with the district, and
 * search-service keeps only the configured district's (serve.py). */
function emergencyMarkup() {
  const { entries } = JSON.parse(readFileSync(join(SRC, "emergency.json"), "utf8"));
  const bangla = (s) => s.replace(/[0-9]/g, (d) => "০১২৩৪৫৬৭৮৯"[Number(d)]);
  const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  return entries
    .map((e) => {
      const name = escape(e.name.bn);
      const note = e.note ? `<small>${escape(e.note.bn)}</small>` : "";
      const call = e.phone
        ? `<a class="call emergency-call" href="tel:${escape(e.phone)}" aria-label="${name}-কে কল করুন"><span aria-hidden="true">📞</span><span>${bangla(escape(e.phone))}</span></a>`
        : "";
      const item = `<li class="emergency-entry" data-id="${escape(e.id)}"><span class="emergency-name">${name}${note}</span>${call}</li>`;
      return e.district ? `<!--district:${escape(e.district)}-->${item}<!--/district-->` : item;
    })
    .join("");
}

// The answers area of each tab, where src/index.html says <!--build:answers NAME-->: the same parts under
// the tab's prefix, which its script finds by id (app.js `part` for the two provider tabs, products.js,
// cattle.js, storefront.js). `map`: providers, with urgent help and a map; `note`: what the query was
// read as; `more`: the id of the see-more button; `firstScreen`: searching already, before any script runs.
const ANSWERS = {
  provider: { map: true, firstScreen: true },
  blood: { map: true },
  product: { note: true, more: "load-more" },
  cattle: {},
  storefront: {},
};

function answersMarkup(name) {
  const { map = false, note = map, more = `${name}-more`, firstScreen = false } = ANSWERS[name];
  const loading = '<p class="loading"><span class="spinner" aria-hidden="true"></span><span data-i18n="loading">খোঁজা হচ্ছে…</span></p>';
  const ghost = '<li class="ghost-card" aria-hidden="true"><span class="marker"></span><span class="bars"><span></span><span></span><span></span></span></li>';
  const results = map
    ? firstScreen
      ? [`<ol id="${name}-results" class="results" tabindex="-1" data-i18n-label="results" aria-label="ফলাফল" aria-busy="true">`, `  ${ghost}`, `  ${ghost}`, "</ol>"]
      : [`<ol id="${name}-results" class="results" tabindex="-1" data-i18n-label="results" aria-label="ফলাফল"></ol>`]
    : [`<ol id="${name}-results" class="results products"></ol>`];
  const parts = [
    `<div id="${name}-status" class="status" aria-live="polite">${firstScreen ? loading : ""}</div>`,
    ...(map ? [`<div id="${name}-urgent" class="urgent"></div>`] : []),
    ...(note ? [`<div id="${name}-note" class="query-note" hidden></div>`] : []),
    ...results,
    ...(map
      ? [
          `<div id="${name}-more" class="more"></div>`,
          '<div class="map-box" hidden>',
          '  <h2 class="section-heading" data-i18n="mapHeading">মানচিত্র</h2>',
          `  <div id="${name}-map" class="map" role="region" data-i18n-label="mapLabel" aria-label="মানচিত্র"></div>`,
          "</div>",
        ]
      : [`<button type="button" id="${more}" class="secondary wide" data-i18n="loadMore" hidden>আরও দেখুন</button>`]),
  ];
  return ['<div class="answers">', ...parts.map((line) => `        ${line}`), "      </div>"].join("\n");
}

async function minifyCss(file) {
  const result = await esbuild.transform(readFileSync(join(SRC, file), "utf8"), { loader: "css", minify: true, target: TARGET });
  return result.code.trim();
}

/** The inline script must not close its own <script> element early. */
function inlineSafe(code) {
  return code.replace(/<\/(script)/gi, "<\\/$1").trim();
}

async function main() {
  // The app's modules that later.js uses too: lent, not copied.
  // Every script is a classic script defining one global (dom.js loadScript says why not modules).
  const appAlone = await bundle("app.js", "iife", { define: LAZY });
  const laterAlone = await bundle("later.js", "esm");
  const shared = laterAlone.modules.filter((m) => m.endsWith(".js") && m !== "src/app.js" && appAlone.modules.includes(m));
  const later = await bundle("later.js", "iife", { plugins: [borrowFromApp(shared)], globalName: "__kgLater" });
  const english = await bundle("strings_en.js", "iife", { globalName: "__kgEnglish" });
  const map = await bundle("map.js", "iife", { globalName: "__kgMap" });
  const boot = await bundle("boot.js", "iife");
  const style = await minifyCss("style.css");

  const files = {
    later: hashed("later", "js", later.js),
    english: hashed("english", "js", english.js),
    mapJs: hashed("map", "js", map.js),
    mapCss: hashed("map", "css", map.css),
  };
  const entry = appEntry(shared);
  const app = await bundle(
    { contents: entry.contents, resolveDir: entry.resolveDir, sourcefile: entry.sourcefile },
    "iife",
    { plugins: entry.plugins, define: { LATER_JS: JSON.stringify(BASE + files.later), EN_JS: JSON.stringify(BASE + files.english) } },
  );
  files.app = hashed("app", "js", app.js);
  // The build's version: its scripts and styles (a page with the same scripts is the same version).
  const version = createHash("sha256").update([app.js, later.js, english.js, map.js, map.css].join("\0")).digest("hex").slice(0, 10);
  const bootCode = inlineSafe(boot.js);
  // What the page keeps for a reload offline (offline.js keepShell): itself, the app and its later tabs.
  const shell = [BASE, BASE + files.app, BASE + files.later];
  const assets = JSON.stringify({ map_js: BASE + files.mapJs, map_css: BASE + files.mapCss, en_js: BASE + files.english, version, shell });
  let html = readFileSync(join(SRC, "index.html"), "utf8");
  const replacements = {
    "<!--build:style-->": `<style>${style}</style>`,
    "<!--build:assets-->": `<script id="assets" type="application/json">${assets}</script>`,
    "<!--build:boot-->": `<script>${bootCode}</script>`,
    "build:app.js": BASE + files.app,
    "<!--build:emergency-->": emergencyMarkup(),
  };
  for (const [marker, value] of Object.entries(replacements)) {
    if (!html.includes(marker)) throw new Error(`src/index.html lacks the marker ${marker}`);
    html = html.replace(marker, () => value);
  }
  for (const name of Object.keys(ANSWERS)) {
    const marker = `<!--build:answers ${name}-->`;
    if (!html.includes(marker)) throw new Error(`src/index.html lacks the marker ${marker}`);
    html = html.replace(marker, () => answersMarkup(name));
  }
  if (html.includes("<!--build:")) throw new Error(`src/index.html has an unknown marker ${html.match(/<!--build:[^>]*-->/)[0]}`);
  for (const marker of ["<!--serve:boot-data-->", "{{serve:district}}", "{{serve:start}}"]) {
    if (!html.includes(marker)) throw new Error(`src/index.html lacks ${marker}, which search-service fills (serve.py)`);
  }

  rmSync(STAGING, { recursive: true, force: true });
  mkdirSync(STAGING);
  const built = {
    "index.html": html,
    [files.app]: app.js,
    [files.later]: later.js,
    [files.english]: english.js,
    [files.mapJs]: map.js,
    [files.mapCss]: map.css,
  };
  const written = { ...built, "sw.js": await serviceWorker(version) };
  for (const [name, content] of Object.entries(written)) writeFileSync(join(STAGING, name), content);
  // The inline boot script's hash, so the server can allow exactly it in its Content-Security-Policy.
  const bootHash = createHash("sha256").update(bootCode).digest("base64");
  // `fixed`: names without a hash, which browsers must ask again each time (the service worker).
  const manifest = { index: "index.html", files: Object.keys(written).filter((n) => n !== "index.html"), fixed: ["sw.js"], boot_sha256: bootHash };
  writeFileSync(join(STAGING, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  // Swap in one step, so a running server never sees half a build.
  rmSync(DIST, { recursive: true, force: true });
  renameSync(STAGING, DIST);

  const rows = Object.entries(written).map(([name, content]) => {
    const raw = Buffer.byteLength(content);
    return [name, raw, gzipSync(content, { level: 9 }).length];
  });
  console.log("web client built into dist/ (bytes):");
  console.log(`  ${"file".padEnd(28)} ${"raw".padStart(8)} ${"gzip".padStart(8)}`);
  for (const [name, raw, gz] of rows) console.log(`  ${name.padEnd(28)} ${String(raw).padStart(8)} ${String(gz).padStart(8)}`);
}

main().catch((error) => {
  console.error(`web client build failed: ${error.message}`);
  process.exit(1);
});
