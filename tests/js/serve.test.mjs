// The demo server (`make demo` runs scripts/serve.mjs): it serves the demo, www/shared and
// the package on 127.0.0.1, and refuses a port that another server already holds.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { startServer } from "../../scripts/serve.mjs";
import { ENTRIES, PKG, ROOT } from "./helpers.mjs";

/** The arguments `make demo` gives scripts/serve.mjs after the port: its mounts. */
const DEMO_MOUNTS = ["/", "www/demo", "/shared/", "www/shared", "/pkg/", "pkg"];

test("make demo runs the server with the demo, www/shared and the package mounted", () => {
  const recipe = readFileSync(join(ROOT, "Makefile"), "utf8").match(/^demo:.*\n\t(.*)$/m)?.[1];
  assert.equal(recipe, `node scripts/serve.mjs --port $(DEMO_PORT) ${DEMO_MOUNTS.join(" ")}`);
});

test("the CLI serves the demo, the shared code and the package on 127.0.0.1, as make demo starts it", { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, [join(ROOT, "scripts/serve.mjs"), "--port", "0", ...DEMO_MOUNTS], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const [chunk] = await Promise.race([
      once(child.stdout, "data"),
      once(child, "exit").then(([code]) => Promise.reject(new Error(`the server exited with ${code}`))),
    ]);
    const url = String(chunk).match(/http:\/\/127\.0\.0\.1:\d+/)?.[0];
    assert.ok(url, String(chunk));
    const page = await fetch(`${url}/`);
    assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
    assert.match(await page.text(), /<script type="module" src="app.js">/);
    // A file of www/shared, byte for byte.
    const dom = await fetch(`${url}/shared/dom.js`);
    assert.equal(dom.status, 200);
    assert.equal(dom.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal(await dom.text(), readFileSync(join(ROOT, "www/shared/dom.js"), "utf8"));
    // www/shared/twofa/twofa.js imports the package's root entry by a relative path: under
    // these mounts it names /pkg/twofa.js.
    const shared = await fetch(`${url}/shared/twofa/twofa.js`).then((r) => r.text());
    const specifier = shared.match(/^import init from "([^"]+)";$/m)?.[1];
    assert.equal(specifier, "../../pkg/twofa.js");
    assert.equal(new URL(specifier, `${url}/shared/twofa/twofa.js`).href, `${url}/pkg/twofa.js`);
    // Every entry's file and its wasm, byte for byte.
    for (const [, name] of ENTRIES) {
      const js = await fetch(`${url}/pkg/${name}.js`);
      assert.equal(js.status, 200, `${name}.js`);
      assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
      assert.equal(await js.text(), readFileSync(join(PKG, `${name}.js`), "utf8"), `${name}.js`);
      const wasm = await fetch(`${url}/pkg/${name}_bg.wasm`);
      assert.equal(wasm.headers.get("content-type"), "application/wasm");
      const bytes = new Uint8Array(await wasm.arrayBuffer());
      assert.deepEqual(bytes, new Uint8Array(readFileSync(join(PKG, `${name}_bg.wasm`))), `${name}_bg.wasm`);
      assert.ok(WebAssembly.validate(bytes), `${name}_bg.wasm`);
    }
    assert.equal((await fetch(`${url}/pkg/node.mjs`)).status, 404);
    assert.equal((await fetch(`${url}/pkg/../Cargo.toml`)).status, 404);
    assert.equal((await fetch(`${url}/%2e%2e/Cargo.toml`)).status, 404);
    // A malformed escape is a bad request, and the server lives on.
    assert.equal((await fetch(`${url}/%E0%A4%A`)).status, 400);
    assert.equal((await fetch(`${url}/`)).status, 200);
  } finally {
    child.kill();
  }
});

test("a port that is already taken is reported, not shared", async () => {
  const first = await startServer({ mounts: { "/": join(ROOT, "www/demo") } });
  const port = Number(new URL(first.url).port);
  try {
    await assert.rejects(startServer({ port, mounts: { "/": join(ROOT, "www/demo") } }), {
      message: `port ${port} on 127.0.0.1 is already in use; stop the other server or set another port`,
    });
  } finally {
    await first.close();
  }
});
