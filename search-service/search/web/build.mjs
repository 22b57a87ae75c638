// Build the web client from src/ into dist/, the only folder search-service serves (see serve.py).
//
// Why a build: a phone on a 400 kbps / 400 ms link pays a round trip for every file it discovers late.
// So the page carries its CSS and a tiny boot script inline (the boot script starts the first search
// while the app script is still downloading), the app is one minified module, and the map (Leaflet,
// its cluster plugin and our map code) is a second module loaded only when the map is about to be seen.
// Hashed names let search-service tell browsers to keep those files for a year.
//
//     node build.mjs          (what `make web` runs, after `npm ci`)

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
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

const COMMON = { bundle: true, minify: true, target: TARGET, legalComments: "none", charset: "utf8", logLevel: "warning" };

function hashed(name, ext, content) {
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 10);
  return `${name}-${hash}.${ext}`;
}

/** One bundle in memory: `{js, css}` strings (css empty when the entry imports none). */
async function bundle(entry, format) {
  const result = await esbuild.build({
    ...COMMON,
    entryPoints: [join(SRC, entry)],
    format,
    write: false,
    outdir: "out",
    // Leaflet's CSS names images for controls and default markers we do not use; never fetched.
    external: ["*.png", "*.svg"],
  });
  const text = (ext) => result.outputFiles.filter((f) => f.path.endsWith(ext)).map((f) => f.text).join("");
  return { js: text(".js"), css: text(".css") };
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
  const app = await bundle("app.js", "esm");
  const map = await bundle("map.js", "esm");
  const boot = await bundle("boot.js", "iife");
  const style = await minifyCss("style.css");

  const files = {
    app: hashed("app", "js", app.js),
    mapJs: hashed("map", "js", map.js),
    mapCss: hashed("map", "css", map.css),
  };
  const bootCode = inlineSafe(boot.js);
  const assets = JSON.stringify({ map_js: files.mapJs, map_css: files.mapCss });
  let html = readFileSync(join(SRC, "index.html"), "utf8");
  const replacements = {
    "<!--build:style-->": `<style>${style}</style>`,
    "<!--build:assets-->": `<script id="assets" type="application/json">${assets}</script>`,
    "<!--build:boot-->": `<script>${bootCode}</script>`,
    "build:app.js": files.app,
  };
  for (const [marker, value] of Object.entries(replacements)) {
    if (!html.includes(marker)) throw new Error(`src/index.html lacks the marker ${marker}`);
    html = html.replace(marker, () => value);
  }
  if (!html.includes("<!--serve:boot-data-->")) throw new Error("src/index.html lacks <!--serve:boot-data-->");

  rmSync(STAGING, { recursive: true, force: true });
  mkdirSync(STAGING);
  const written = { "index.html": html, [files.app]: app.js, [files.mapJs]: map.js, [files.mapCss]: map.css };
  for (const [name, content] of Object.entries(written)) writeFileSync(join(STAGING, name), content);
  // The inline boot script's hash, so the server can allow exactly it in its Content-Security-Policy.
  const bootHash = createHash("sha256").update(bootCode).digest("base64");
  const manifest = { index: "index.html", files: Object.keys(written).filter((n) => n !== "index.html"), boot_sha256: bootHash };
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
