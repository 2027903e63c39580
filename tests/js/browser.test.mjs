// The package in a real browser (Debian's Chromium): without a bundler, and bundled by
// esbuild and by Vite. The demo page has its own walk-through (demo.test.mjs).
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { artifact, installConsumer, launchChromium, listFiles, openPage, PKG, ROOT } from "./helpers.mjs";
import { startServer } from "../../scripts/serve.mjs";

const HERE = join(ROOT, "tests/js");
let browser;
let viteDir;
const servers = [];

before(async () => {
  browser = await launchChromium();
  // One Vite project for the build and the dev-server tests.
  viteDir = installConsumer("vite").dir;
  for (const f of ["vectors.mjs", "transfer.mjs", "flows.mjs", "vault.mjs"]) copyFileSync(join(HERE, f), join(viteDir, f));
  copyFileSync(join(HERE, "fixtures/app-vite.mjs"), join(viteDir, "app-vite.mjs"));
  copyFileSync(join(HERE, "fixtures/vite.html"), join(viteDir, "index.html"));
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

/** Loads a page that runs the shared vectors and reports `window.failures`. */
async function runVectorsAt(url, screenshot) {
  const { page, errors } = await openPage(browser, url);
  await page.waitForFunction(() => Array.isArray(window.failures), null, { timeout: 20_000 });
  const failures = await page.evaluate(() => window.failures);
  await page.screenshot({ path: artifact(screenshot) });
  await page.close();
  return { failures, errors };
}

test("without a bundler: import the glue and await init()", async () => {
  const url = await serve({ "/pkg/": PKG, "/t/": HERE, "/": join(HERE, "fixtures") });
  const { failures, errors } = await runVectorsAt(`${url}/plain.html`, "browser-plain.png");
  assert.deepEqual(failures, []);
  assert.deepEqual(errors, []);
});

test("bundled by esbuild", async () => {
  const { dir } = installConsumer("esbuild");
  for (const f of ["vectors.mjs", "transfer.mjs", "flows.mjs", "vault.mjs"]) copyFileSync(join(HERE, f), join(dir, f));
  copyFileSync(join(HERE, "fixtures/app-esbuild.mjs"), join(dir, "app-esbuild.mjs"));
  const out = join(dir, "dist");
  const { build } = await import("esbuild");
  await build({
    entryPoints: { app: join(dir, "app-esbuild.mjs") },
    absWorkingDir: dir,
    bundle: true,
    format: "esm",
    platform: "browser",
    outdir: out,
    loader: { ".wasm": "file" },
    logLevel: "error",
  });
  copyFileSync(join(HERE, "fixtures/bundled.html"), join(out, "index.html"));
  assert.ok(listFiles(out).some((f) => f.endsWith(".wasm")), "esbuild emitted the wasm file");
  const url = await serve({ "/": out });
  const { failures, errors } = await runVectorsAt(`${url}/`, "browser-esbuild.png");
  assert.deepEqual(failures, []);
  assert.deepEqual(errors, []);
});

test("bundled by Vite", async () => {
  const out = join(viteDir, "dist");
  const { build } = await import("vite");
  await build({ root: viteDir, logLevel: "error", build: { outDir: out, target: "es2022" }, configFile: false });
  assert.ok(listFiles(out).some((f) => f.endsWith(".wasm")), "Vite emitted the wasm file");
  const url = await serve({ "/": out });
  const { failures, errors } = await runVectorsAt(`${url}/`, "browser-vite.png");
  assert.deepEqual(failures, []);
  assert.deepEqual(errors, []);
});

test("served by Vite's dev server", async () => {
  const { createServer } = await import("vite");
  const server = await createServer({ root: viteDir, configFile: false, logLevel: "error", server: { host: "127.0.0.1", port: 0 } });
  await server.listen();
  try {
    const { failures, errors } = await runVectorsAt(server.resolvedUrls.local[0], "browser-vite-dev.png");
    assert.deepEqual(failures, []);
    assert.deepEqual(errors, []);
  } finally {
    await server.close();
  }
});
