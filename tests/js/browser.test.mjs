// The package in a real browser (Debian's Chromium): without a bundler, bundled by
// esbuild and by Vite, and the demo page.
import assert from "node:assert/strict";
import { copyFileSync, existsSync } from "node:fs";
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
  for (const f of ["vectors.mjs", "transfer.mjs", "flows.mjs"]) copyFileSync(join(HERE, f), join(viteDir, f));
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
  for (const f of ["vectors.mjs", "transfer.mjs", "flows.mjs"]) copyFileSync(join(HERE, f), join(dir, f));
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

test("the demo shows a live code and verifies it once", async () => {
  assert.ok(existsSync(join(ROOT, "www/demo/index.html")));
  const url = await serve({ "/pkg/": PKG, "/": join(ROOT, "www/demo") });
  const { page, errors } = await openPage(browser, `${url}/`);
  await page.waitForSelector("body[data-ready=true]");
  const { Totp } = await import(join(PKG, "node.mjs"));

  // The shown code is the package's own code for the shown secret, now.
  const secret = await page.inputValue("#secret");
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.match(await page.textContent("#key"), /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
  const shown = await page.textContent("#code");
  const totp = new Totp({ secret });
  const expected = [totp.generate(Date.now() - 1000), totp.generate(), totp.generate(Date.now() + 1000)];
  assert.ok(expected.includes(shown), `${shown} not in ${expected}`);
  assert.match(await page.textContent("#seconds"), /^\d+s$/);

  // Verify it: accepted once, refused the second time (the replay guard).
  await page.fill("#token", `${shown.slice(0, 3)} ${shown.slice(3)}`);
  await page.click("#verify-form button");
  assert.match(await page.textContent("#verify-status"), /^Accepted/);
  await page.click("#verify-form button");
  assert.match(await page.textContent("#verify-status"), /^Not accepted/);
  await page.fill("#token", "12a456");
  await page.click("#verify-form button");
  assert.equal(await page.textContent("#verify-status"), "token has a non-digit at position 3");

  // A typed secret replaces the generated one; a bad one is explained.
  await page.fill("#secret", "jbsw y3dp ehpk 3pxp");
  await page.dispatchEvent("#secret", "change");
  assert.equal(await page.textContent("#key"), "JBSW Y3DP EHPK 3PXP");
  assert.match(await page.textContent("#secret-status"), /under 128 bits/);
  await page.fill("#secret", "JBSW1");
  await page.dispatchEvent("#secret", "change");
  assert.equal(await page.textContent("#secret-status"), "invalid base32 character at position 5 (INVALID_BASE32)");

  await page.setViewportSize({ width: 900, height: 700 });
  await page.screenshot({ path: artifact("demo.png") });
  await page.setViewportSize({ width: 375, height: 700 });
  await page.screenshot({ path: artifact("demo-phone.png") });
  assert.deepEqual(errors, []);
  await page.close();
});
