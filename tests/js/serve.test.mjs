// The demo server (`make demo` runs scripts/serve.mjs): it serves the demo and the
// package on 127.0.0.1, and refuses a port that another server already holds.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { test } from "node:test";
import { startServer } from "../../scripts/serve.mjs";
import { ROOT } from "./helpers.mjs";

test("the CLI serves the demo and the package on 127.0.0.1", { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, [join(ROOT, "scripts/serve.mjs"), "--port", "0", "/", "www/demo", "/pkg/", "pkg"], {
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
    const wasm = await fetch(`${url}/pkg/twofa_bg.wasm`);
    assert.equal(wasm.headers.get("content-type"), "application/wasm");
    assert.ok(WebAssembly.validate(new Uint8Array(await wasm.arrayBuffer())));
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
