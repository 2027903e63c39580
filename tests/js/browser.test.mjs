// The package in a real browser (Debian's Chromium): without a bundler, in a module Web
// Worker, and bundled by esbuild, Vite, webpack 5 and rollup. Every bundler runs twice: a
// page with every entry runs the shared vectors, and a page with the root entry alone shows
// that a page fetches only the entries it imports. The demo page has its own walk-through
// (demo.test.mjs).
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, test } from "node:test";
import { artifact, ENTRIES, installConsumer, launchChromium, listFiles, nodeEntries, openPage, PKG, readmeBlock, ROOT } from "./helpers.mjs";
import { startServer } from "../../scripts/serve.mjs";

const HERE = join(ROOT, "tests/js");
const SHARED = ["vectors.mjs", "transfer.mjs", "flows.mjs", "vault.mjs", "import.mjs"];
/** The entries' file stems, sorted: what a page with every entry fetches one wasm file of each. */
const STEMS = ENTRIES.map(([, name]) => name).sort();
/** RFC 6238's SHA-1 vector at 59 s, which the root-only pages write to `window.code`. */
const RFC_CODE = "94287082";
/**
 * How long a page may take over the shared table: about 8 s on an idle 2-core machine (the
 * flows' Argon2id answers cost most), several times that when up to four tables and the
 * builds share the two cores. A table that hangs still fails, three minutes on.
 */
const TABLE_TIMEOUT = 180_000;

/** A promise that never rejects: its value, or its error for the test that awaits it to throw. */
const settled = (promise) => promise.then((value) => () => value, (err) => () => { throw err; });

let browser;
let appDir;
let appTwofaDir;
const servers = [];
/**
 * The table in the worker and in the webpack and rollup apps: started once the project is
 * installed, so that they use the second core while the other tests go on; their tests
 * check what each found.
 */
let background;

before(async () => {
  browser = await launchChromium();
  // One project for the bundlers (Vite's build and dev server, webpack, rollup) and the
  // worker: every entry's app at its root, the root entry's alone in twofa-only/. Each
  // bundler builds into its own folder.
  appDir = installConsumer("bundlers").dir;
  for (const f of SHARED) copyFileSync(join(HERE, f), join(appDir, f));
  for (const f of ["app-init.mjs", "app-worker.mjs", "worker-bundled.mjs"]) copyFileSync(join(HERE, "fixtures", f), join(appDir, f));
  copyFileSync(join(HERE, "fixtures/vite.html"), join(appDir, "index.html"));
  appTwofaDir = join(appDir, "twofa-only");
  mkdirSync(appTwofaDir);
  copyFileSync(join(HERE, "fixtures/app-init-twofa.mjs"), join(appTwofaDir, "app-init-twofa.mjs"));
  copyFileSync(join(HERE, "fixtures/vite-twofa.html"), join(appTwofaDir, "index.html"));
  background = { worker: settled(workerTable()), webpack: settled(webpackTable()), rollup: settled(rollupTable()) };
});
after(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
});

async function serve(mounts) {
  const server = await startServer({ mounts });
  servers.push(server);
  return server.url;
}

/** The paths (and queries) of the http requests among `urls`, in the order they were made. */
const httpPaths = (urls) => urls.filter((u) => /^https?:/.test(u)).map((u) => new URL(u).pathname + new URL(u).search);

/**
 * The entry of each wasm file among `paths` (`qr` for `/pkg/qr_bg.wasm`, or a bundler's
 * `qr_bg-<hash>.wasm`), sorted; a wasm file of no entry stays whole, so it shows.
 */
function wasmEntries(paths) {
  return paths
    .map((p) => basename(p.replace(/\?.*/, "")))
    .filter((name) => name.endsWith(".wasm"))
    .map((name) => name.match(/^([a-z]+)_bg(?:-[\w-]+)?\.wasm$/)?.[1] ?? name)
    .sort();
}

/** Loads a page that runs the shared vectors and reports `window.failures`. */
async function runVectorsAt(url, screenshot) {
  const { page, errors, requests } = await openPage(browser, url);
  await page.waitForFunction(() => Array.isArray(window.failures), null, { timeout: TABLE_TIMEOUT });
  const failures = await page.evaluate(() => window.failures);
  await page.screenshot({ path: artifact(screenshot) });
  await page.close();
  return { failures, errors, paths: httpPaths(requests) };
}

/** Loads a page with the root entry alone, which writes RFC 6238's code to `window.code`. */
async function runTwofaOnlyAt(url) {
  const { page, errors, requests } = await openPage(browser, url);
  await page.waitForFunction(() => typeof window.code === "string", null, { timeout: 20_000 });
  const { code, before } = await page.evaluate(() => ({ code: window.code, before: window.before }));
  await page.close();
  return { code, before, errors, paths: httpPaths(requests) };
}

test("without a bundler: import each entry's file and await its init()", async () => {
  const url = await serve({ "/pkg/": PKG, "/t/": HERE, "/": join(HERE, "fixtures") });
  const { page, errors, requests } = await openPage(browser, `${url}/plain.html`);
  await page.waitForFunction(() => Array.isArray(window.failures), null, { timeout: TABLE_TIMEOUT });
  const { failures, memories, distinctMemories } = await page.evaluate(() => ({
    failures: window.failures,
    memories: window.memories,
    distinctMemories: window.distinctMemories,
  }));
  await page.screenshot({ path: artifact("browser-plain.png") });
  await page.close();
  assert.deepEqual(failures, []);
  assert.deepEqual(errors, []);
  // Each init() answers its own module's memory.
  assert.deepEqual(memories, ENTRIES.map(() => true));
  assert.equal(distinctMemories, ENTRIES.length);
  // The page, each entry's file and wasm once, and the shared vectors: nothing else.
  const paths = httpPaths(requests);
  assert.deepEqual(paths.slice().sort(), [
    "/pkg/flows.js", "/pkg/flows_bg.wasm", "/pkg/import.js", "/pkg/import_bg.wasm", "/pkg/migration.js", "/pkg/migration_bg.wasm",
    "/pkg/qr.js", "/pkg/qr_bg.wasm", "/pkg/twofa.js", "/pkg/twofa_bg.wasm", "/pkg/vault.js", "/pkg/vault_bg.wasm",
    "/plain.html", "/t/flows.mjs", "/t/import.mjs", "/t/transfer.mjs", "/t/vault.mjs", "/t/vectors.mjs",
  ]);
  assert.deepEqual(wasmEntries(paths), STEMS);
});

test("without a bundler: a page with the root entry alone fetches twofa.js and twofa_bg.wasm, nothing else", async () => {
  const url = await serve({ "/pkg/": PKG, "/": join(HERE, "fixtures") });
  const { code, before, errors, paths } = await runTwofaOnlyAt(`${url}/plain-twofa.html`);
  assert.equal(code, RFC_CODE);
  assert.equal(before, "TwofaError NOT_INITIALIZED twofa is not initialized: await its init() before the first call");
  assert.deepEqual(errors, []);
  assert.deepEqual(paths, ["/plain-twofa.html", "/pkg/twofa.js", "/pkg/twofa_bg.wasm"]);
});

/** A page that starts a module worker over the installed files, and the report it posts back. */
async function workerTable() {
  const url = await serve({ "/node_modules/": join(appDir, "node_modules"), "/t/": HERE, "/": join(HERE, "fixtures") });
  const { page, errors, requests } = await openPage(browser, `${url}/worker.html`);
  await page.waitForFunction(() => Array.isArray(window.failures), null, { timeout: TABLE_TIMEOUT });
  const { failures, report } = await page.evaluate(() => ({ failures: window.failures, report: window.report }));
  await page.close();
  return { failures, report, errors, requests };
}

test("in a module Web Worker: every entry from the installed files, each with its init()", async () => {
  const { failures, report, errors, requests } = (await background.worker)();
  assert.deepEqual(failures, []);
  assert.deepEqual(errors, []);
  // The table ran in the worker, where each entry has its own module.
  assert.equal(report.inWorker, true);
  assert.equal(report.distinctMemories, ENTRIES.length);
  const paths = httpPaths(requests);
  assert.deepEqual(paths.slice().sort(), [
    ...STEMS.flatMap((s) => [`/node_modules/twofa/${s}.js`, `/node_modules/twofa/${s}_bg.wasm`]),
    "/t/flows.mjs", "/t/import.mjs", "/t/transfer.mjs", "/t/vault.mjs", "/t/vectors.mjs", "/worker-table.mjs", "/worker.html",
  ].sort());
});

test("in a module Web Worker: the README's worker answers a code", async () => {
  // The package README's worker, served beside an empty page that starts it.
  const site = join(appDir, "readme-worker");
  mkdirSync(site, { recursive: true });
  const snippet = readmeBlock(join(appDir, "node_modules/twofa/README.md"), "## Browsers", "onmessage");
  // The repository's README shows the same worker.
  assert.equal(readmeBlock(join(ROOT, "README.md"), "### Browsers", "onmessage"), snippet);
  writeFileSync(join(site, "worker.js"), snippet);
  writeFileSync(join(site, "index.html"), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>worker</title>');
  const url = await serve({ "/node_modules/": join(appDir, "node_modules"), "/": site });
  const { page, errors, requests } = await openPage(browser, `${url}/`);
  const code = await page.evaluate(() => new Promise((ok, fail) => {
    const worker = new Worker("./worker.js", { type: "module" });
    worker.onmessage = ({ data }) => ok(data);
    worker.onerror = (e) => fail(new Error(e.message || "the worker did not load"));
    // Posted at once, as a page would: the worker must not lose it while it loads.
    worker.postMessage({ secret: "JBSWY3DPEHPK3PXP" });
    setTimeout(() => fail(new Error("the worker did not answer in 30 s")), 30_000);
  }));
  await page.close();
  const { Totp } = await nodeEntries("twofa");
  const totp = new Totp({ secret: "JBSWY3DPEHPK3PXP" });
  const now = Date.now();
  assert.ok([-30_000, 0, 30_000].some((d) => totp.generate(now + d) === code), `${code} is no code of now`);
  assert.deepEqual(errors, []);
  assert.deepEqual(httpPaths(requests), ["/", "/worker.js", "/node_modules/twofa/twofa.js", "/node_modules/twofa/twofa_bg.wasm"]);
});

/** Bundles `app` (a fixture) with esbuild into a fresh consumer project; returns `dist`. */
async function esbuildApp(name, app, shared) {
  const { dir } = installConsumer(name);
  for (const f of shared) copyFileSync(join(HERE, f), join(dir, f));
  copyFileSync(join(HERE, "fixtures", app), join(dir, app));
  const out = join(dir, "dist");
  const { build } = await import("esbuild");
  await build({
    entryPoints: { app: join(dir, app) },
    absWorkingDir: dir,
    bundle: true,
    format: "esm",
    platform: "browser",
    outdir: out,
    loader: { ".wasm": "file" },
    logLevel: "error",
  });
  copyFileSync(join(HERE, "fixtures/bundled.html"), join(out, "index.html"));
  return out;
}

/** A bundled app with every entry: each wasm emitted and fetched, and the table holds. */
function assertEveryEntry({ files, failures, errors, paths }) {
  assert.deepEqual(wasmEntries(files), STEMS);
  assert.deepEqual(failures, []);
  assert.deepEqual(errors, []);
  assert.deepEqual(wasmEntries(paths), STEMS);
}

/** A bundled app with the root entry alone (in `out`): it emits and fetches its own wasm only. */
async function assertRootAlone(out) {
  const files = listFiles(out);
  const wasm = files.filter((f) => f.endsWith(".wasm"));
  assert.equal(wasm.length, 1, files.join(", "));
  assert.match(wasm[0], /^twofa_bg-[\w-]+\.wasm$/);
  assert.deepEqual(files, ["app.js", "index.html", wasm[0]].sort());
  const url = await serve({ "/": out });
  const { code, errors, paths } = await runTwofaOnlyAt(`${url}/`);
  assert.equal(code, RFC_CODE);
  assert.deepEqual(errors, []);
  assert.deepEqual(paths, ["/", "/app.js", `/${wasm[0]}`]);
}

test("bundled by esbuild: every entry's wasm URL from its _bg.wasm export", async () => {
  const out = await esbuildApp("esbuild", "app-esbuild.mjs", SHARED);
  // One wasm file of each entry, emitted by the file loader.
  assertEveryEntry({ files: listFiles(out), ...(await runVectorsAt(`${await serve({ "/": out })}/`, "browser-esbuild.png")) });
});

test("bundled by esbuild: the root entry alone emits and fetches its own wasm only", async () => {
  await assertRootAlone(await esbuildApp("esbuild-twofa", "app-esbuild-twofa.mjs", []));
});

/** Builds the Vite project at `root` into its dist/. */
async function viteBuild(root) {
  const out = join(root, "dist");
  const { build } = await import("vite");
  await build({
    root,
    cacheDir: join(root, ".vite-cache"),
    logLevel: "error",
    build: { outDir: out, target: "es2022" },
    configFile: false,
  });
  return out;
}

test("bundled by Vite: every entry with its one-line init()", async () => {
  const out = await viteBuild(appDir);
  assertEveryEntry({ files: listFiles(out), ...(await runVectorsAt(`${await serve({ "/": out })}/`, "browser-vite.png")) });
});

test("bundled by Vite: the root entry alone emits and fetches its own wasm only", async () => {
  const out = await viteBuild(appTwofaDir);
  const files = listFiles(out).filter((f) => !f.endsWith("assets"));
  const js = files.filter((f) => f.endsWith(".js"));
  const wasm = files.filter((f) => f.endsWith(".wasm"));
  assert.equal(js.length, 1, files.join(", "));
  assert.equal(wasm.length, 1, files.join(", "));
  assert.match(wasm[0], /^assets\/twofa_bg-[\w-]+\.wasm$/);
  assert.deepEqual(files, [js[0], wasm[0], "index.html"].sort());
  const url = await serve({ "/": out });
  const { code, errors, paths } = await runTwofaOnlyAt(`${url}/`);
  assert.equal(code, RFC_CODE);
  assert.deepEqual(errors, []);
  assert.deepEqual(paths, ["/", `/${js[0]}`, `/${wasm[0]}`]);
});

/** Runs `body(url)` against Vite's dev server for the project at `root`. */
async function withViteDev(root, body) {
  const { createServer } = await import("vite");
  const server = await createServer({
    root,
    cacheDir: join(root, ".vite-cache"),
    configFile: false,
    logLevel: "error",
    server: { host: "127.0.0.1", port: 0 },
  });
  await server.listen();
  try {
    await body(server.resolvedUrls.local[0]);
  } finally {
    await server.close();
  }
}

test("served by Vite's dev server: every entry with its one-line init()", async () => {
  await withViteDev(appDir, async (url) => {
    const { failures, errors, paths } = await runVectorsAt(url, "browser-vite-dev.png");
    assert.deepEqual(failures, []);
    assert.deepEqual(errors, []);
    assert.deepEqual(wasmEntries(paths), STEMS);
  });
});

test("served by Vite's dev server: the root entry alone fetches its own wasm only", async () => {
  await withViteDev(appTwofaDir, async (url) => {
    const { code, errors, paths } = await runTwofaOnlyAt(url);
    assert.equal(code, RFC_CODE);
    assert.deepEqual(errors, []);
    assert.deepEqual(wasmEntries(paths), ["twofa"]);
    // No other entry's code either: neither its file nor Vite's pre-bundled copy of it.
    const others = STEMS.filter((s) => s !== "twofa");
    assert.deepEqual(paths.filter((p) => others.some((s) => new RegExp(`(^|[/_])${s}(_bg)?[.-]`).test(basename(p.replace(/\?.*/, ""))))), []);
  });
});

/**
 * Bundles `entry` with webpack 5 as configured out of the box for the web: no resolve
 * fallbacks (webpack 5 has no Node polyfills, so a `node:` import would fail the build),
 * the `new URL("<entry>_bg.wasm", import.meta.url)` of each entry emitted as an asset.
 * `minimize` runs terser, which takes seconds over the shared vectors, so only the root
 * entry's app is minimized. Returns the output folder, after checking the build had no
 * error and no warning.
 */
async function webpackApp(dir, entry, minimize) {
  const out = outDir("webpack", dir);
  const { default: webpack } = await import("webpack");
  const stats = await new Promise((ok, fail) => {
    webpack({
      mode: "production",
      context: dir,
      entry: { app: `./${entry}` },
      target: "web",
      output: { path: out, filename: "app.js", assetModuleFilename: "[name]-[contenthash][ext]", clean: true },
      // The wasm files are larger than webpack's advice for a web asset (244 KiB).
      performance: { hints: false },
      optimization: { minimize },
      devtool: false,
    }, (err, result) => (err ? fail(err) : ok(result)));
  });
  const info = stats.toJson({ all: false, errors: true, warnings: true });
  assert.deepEqual([info.errors.map((e) => e.message), info.warnings.map((w) => w.message)], [[], []]);
  copyFileSync(join(HERE, "fixtures/bundled.html"), join(out, "index.html"));
  return out;
}

/**
 * A bundler's output folder for the project at `dir`, new and empty: beside the projects,
 * not in them, where Vite would crawl its pages.
 */
function outDir(bundler, dir) {
  const out = join(ROOT, "target/js-consumers/bundled", `${bundler}-${basename(dir)}`);
  rmSync(out, { recursive: true, force: true });
  return out;
}

/** The app with every entry, bundled by webpack: its files and its page's table. */
async function webpackTable() {
  const out = await webpackApp(appDir, "app-init.mjs", false);
  return { files: listFiles(out), ...(await runVectorsAt(`${await serve({ "/": out })}/`, "browser-webpack.png")) };
}

test("bundled by webpack 5: every entry with its one-line init(), no Node polyfills", async () => {
  assertEveryEntry((await background.webpack)());
});

test("bundled by webpack 5: a module Web Worker with every entry, built from new URL(..., import.meta.url)", async () => {
  const out = await webpackApp(appDir, "app-worker.mjs", false);
  const { page, errors, requests } = await openPage(browser, `${await serve({ "/": out })}/`);
  await page.waitForFunction(() => Array.isArray(window.failures), null, { timeout: TABLE_TIMEOUT });
  const { failures, report } = await page.evaluate(() => ({ failures: window.failures, report: window.report }));
  await page.close();
  assert.deepEqual(failures, []);
  assert.deepEqual(errors, []);
  // The table ran in the worker, where each entry has its own module, fetched by the worker.
  assert.equal(report.inWorker, true);
  assert.equal(report.distinctMemories, ENTRIES.length);
  assert.deepEqual(wasmEntries(listFiles(out)), STEMS);
  assert.deepEqual(wasmEntries(httpPaths(requests)), STEMS);
});

test("bundled by webpack 5: the root entry alone emits and fetches its own wasm only", async () => {
  await assertRootAlone(await webpackApp(appTwofaDir, "app-init-twofa.mjs", true));
});

/**
 * Bundles `entry` with rollup under the package README's rollup.config.js, whose plugins
 * are @rollup/plugin-node-resolve (finds the package's browser files) and
 * @web/rollup-plugin-import-meta-assets (emits each `new URL(..., import.meta.url)` wasm
 * file and rewrites the URL). Returns the output folder, after checking rollup warned of
 * nothing.
 */
async function rollupApp(dir, entry) {
  const out = outDir("rollup", dir);
  const configFile = join(dir, "rollup.config.mjs");
  writeFileSync(configFile, readmeBlock(join(appDir, "node_modules/twofa/README.md"), "## Bundlers", "rollup.config.js"));
  const { default: config } = await import(pathToFileURL(configFile).href);
  const { rollup } = await import("rollup");
  const warnings = [];
  const bundle = await rollup({ ...config, input: join(dir, entry), onwarn: (w) => warnings.push(w.message) });
  await bundle.write({ ...config.output, dir: out, entryFileNames: "app.js", assetFileNames: "[name]-[hash][extname]" });
  await bundle.close();
  assert.deepEqual(warnings, []);
  copyFileSync(join(HERE, "fixtures/bundled.html"), join(out, "index.html"));
  return out;
}

/** The app with every entry, bundled by rollup: its files and its page's table. */
async function rollupTable() {
  const out = await rollupApp(appDir, "app-init.mjs");
  return { files: listFiles(out), ...(await runVectorsAt(`${await serve({ "/": out })}/`, "browser-rollup.png")) };
}

test("bundled by rollup: every entry with its one-line init()", async () => {
  assertEveryEntry((await background.rollup)());
});

test("bundled by rollup: the root entry alone emits and fetches its own wasm only", async () => {
  await assertRootAlone(await rollupApp(appTwofaDir, "app-init-twofa.mjs"));
});
