// Hostile values against every export, in every runtime (tests/js/hostile.mjs has the
// table, the slots and the rules):
//
// - Node ESM, through pkg/<entry>.node.mjs: the hostile pass, then a million calls in a row;
// - Node CommonJS, through require of pkg/<entry>.cjs: a smaller pass (every third value,
//   no huge strings);
// - Chromium, a page that imports every entry from /pkg/ and calls init();
// - Node's finalizers: instances dropped without free() are freed once collected, and
//   those still held keep working.
//
// The Node passes run in worker threads, so a call that never returns is reported (with
// the slot it was in) instead of hanging the test. Each entry has its own test, so a
// failure names the entry, and every cause of failure is listed once with an example call.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Worker } from "node:worker_threads";
import { after, test } from "node:test";
import { artifact, launchChromium, openPage, PKG, ROOT } from "./helpers.mjs";
import { startServer } from "../../scripts/serve.mjs";
import { ENTRY_NAMES, ERROR_CODES, knownAnswers, memorySizes } from "./hostile.mjs";

const HERE = join(ROOT, "tests/js");
const HOSTILE = pathToFileURL(join(HERE, "hostile.mjs")).href;

/** How long a runtime's whole run may take before it counts as a hang. */
const HANG_MS = 240_000;

// The Node passes run in a worker: the worker's code, as CommonJS (eval workers are).
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
(async () => {
  const { runHostile, millionCalls } = await import(workerData.hostile);
  const entries = {};
  for (const name of workerData.entries) {
    entries[name] = workerData.cjs
      ? require(require("node:path").join(workerData.pkg, name + ".cjs"))
      : await import(require("node:url").pathToFileURL(require("node:path").join(workerData.pkg, name + ".node.mjs")).href);
  }
  const report = (progress) => parentPort.postMessage({ progress });
  const hostile = await runHostile(entries, { report, ...workerData.options });
  const million = workerData.million ? await millionCalls(entries, { costs: hostile.costs, report }) : undefined;
  delete hostile.costs;
  parentPort.postMessage({ result: { hostile, million } });
})().catch((err) => parentPort.postMessage({ error: String((err && err.stack) || err) }));
`;

/** Runs a Node pass in a worker: its result, or `{ error }` (a hang names the last slot it reached). */
function inWorker(data) {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { hostile: HOSTILE, pkg: PKG, entries: ENTRY_NAMES, ...data } });
    let progress = "(nothing yet)";
    const timer = setTimeout(() => {
      worker.terminate();
      resolve({ error: `no answer in ${HANG_MS / 1000} s: a call hangs; last progress: ${progress}` });
    }, HANG_MS);
    worker.on("message", (m) => {
      if (m.progress) progress = m.progress;
      if (m.result || m.error) {
        clearTimeout(timer);
        resolve(m.error ? { error: m.error } : m.result);
        worker.terminate();
      }
    });
    worker.on("error", (err) => {
      clearTimeout(timer);
      resolve({ error: `the worker died: ${err?.stack ?? err} (last progress: ${progress})` });
    });
    worker.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ error: `the worker exited with ${code} (last progress: ${progress})` });
    });
  });
}

let browser;
let server;
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The page's run in Chromium: its `window.result`, or `{ error }`. */
async function inChromium() {
  try {
    browser = await launchChromium();
    server = await startServer({ mounts: { "/pkg/": PKG, "/t/": HERE } });
    const { page, errors } = await openPage(browser, `${server.url}/t/fixtures/hostile.html`);
    try {
      await page.waitForFunction(() => window.result !== undefined, null, { timeout: HANG_MS, polling: 1000 });
    } catch {
      // A call that never returns holds the page: stop its script, then ask where it was.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("Runtime.terminateExecution").catch(() => {});
      const progress = await page.evaluate(() => window.progress).catch(() => "(unknown)");
      return { error: `no answer in ${HANG_MS / 1000} s: a call hangs; last progress: ${progress}` };
    }
    const result = await page.evaluate(() => window.result);
    await page.screenshot({ path: artifact("hostile-chromium.png") });
    await page.close();
    // Errors the page logged: none, or the hostile pass's own (an unhandled rejection would show here).
    return { ...result, pageErrors: errors };
  } catch (err) {
    return { error: String(err?.stack ?? err) };
  }
}

// Node ESM and Chromium run side by side (two cores); CommonJS after Node ESM.
const runs = {};
runs.esm = inWorker({ million: true });
runs.chromium = inChromium();
runs.cjs = runs.esm.then(() => inWorker({ cjs: true, options: { big: false, every: 3 } }));

const RUNTIMES = [
  ["Node ESM (pkg/<entry>.node.mjs)", "esm", true],
  ["Node CommonJS (require pkg/<entry>.cjs), every third value", "cjs", false],
  ["Chromium (pkg/<entry>.js after init())", "chromium", true],
];

/** Writes each runtime's numbers and causes to tests/artifacts/hostile-<runtime>.json. */
function keep(key, result) {
  writeFileSync(artifact(`hostile-${key}.json`), JSON.stringify(result, null, 2));
}

const listed = (failures) => `\n${failures.map((f) => `  - ${f}`).join("\n")}\n`;

for (const [label, key, million] of RUNTIMES) {
  test(`${label}: the run completes`, async () => {
    const r = await runs[key];
    keep(key, r);
    assert.equal(r.error, undefined, r.error);
    const h = r.hostile;
    console.log(
      `# ${label}: ${h.values} hostile values × ${h.slots} slots: ${h.calls} calls in ${h.ms} ms` +
        ` (${h.skipped} skipped as the same as {}), ${h.failedCalls} failed, ${h.failures.length} causes` +
        (r.million ? `; then ${r.million.calls} calls in ${r.million.ms} ms (${r.million.rareCalls} of them slow ones), ${r.million.failedCalls} failed` : ""),
    );
    assert.ok(h.calls > (key === "cjs" ? 8_000 : 25_000), `only ${h.calls} calls`);
    if (key === "chromium") assert.deepEqual(r.pageErrors, []);
  });

  for (const entry of ENTRY_NAMES) {
    test(`${label}: every hostile value in every slot of the ${entry} entry throws a coded error or returns`, async (t) => {
      const r = await runs[key];
      if (r.error) return t.skip("the run did not complete: see its test");
      const failures = r.hostile.byEntry[entry];
      assert.equal(failures.length, 0, `${failures.length} causes of failure:${listed(failures)}`);
    });
  }

  if (million) {
    test(`${label}: a million calls in a row, then the known answers and bounded memory`, async (t) => {
      const r = await runs[key];
      if (r.error) return t.skip("the run did not complete: see its test");
      const m = r.million;
      assert.equal(m.calls, 1_000_000);
      console.log(`# ${label}: memory before/after the million calls: ${JSON.stringify(m.memory)}`);
      // The hostile pass's causes fail its own tests; here, only what the loop adds:
      // a cause it did not have, a known answer gone wrong, memory that keeps growing.
      const known = new Set(r.hostile.causes);
      const fresh = m.failures.filter((_, i) => !known.has(m.causes[i]));
      assert.equal(fresh.length, 0, `causes beyond the hostile pass's:${listed(fresh)}`);
    });
  }
}

test("the ErrorCode union in pkg/records/twofa.d.ts is the one hostile.mjs accepts", () => {
  const dts = readFileSync(join(PKG, "records/twofa.d.ts"), "utf8");
  const union = dts.match(/export type ErrorCode =([^;]*);/)[1];
  assert.deepEqual([...union.matchAll(/"([A-Z_0-9]+)"/g)].map((m) => m[1]), ERROR_CODES);
});

test("Node: instances dropped without free() are freed by their finalizers; those kept still work", async () => {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc");
  const entries = {};
  for (const name of ENTRY_NAMES) entries[name] = await import(pathToFileURL(join(PKG, `${name}.node.mjs`)).href);
  const { Secret, Totp, Hotp } = entries.twofa;
  const { VaultKey } = entries.vault;
  const cheap = VaultKey.derive("gc", { memoryKib: 7168, iterations: 5 });
  const keyBytes = cheap.toBytes();
  const sealed = cheap.seal("kept");
  cheap.free();
  let collected = 0;
  const watch = new FinalizationRegistry(() => collected++);
  const settle = async () => {
    for (let i = 0; i < 6; i++) {
      gc();
      await new Promise((ok) => setTimeout(ok, 5));
    }
  };
  // Some objects of each round are kept, with what they must answer.
  const kept = [];
  const sizes = [];
  const ROUNDS = 5;
  const PER_ROUND = 5000;
  let made = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < PER_ROUND; i++) {
      const bytes = new Uint8Array(20).map((_, j) => (i * 31 + j * 7 + round) & 0xff);
      const secret = Secret.fromBytes(bytes);
      const totp = new Totp({ secret, digits: 8, issuer: `ACME ${i}` });
      const hotp = new Hotp({ secret, counter: i });
      const objects = [secret, totp, hotp];
      if (i % 25 === 0) objects.push(VaultKey.fromBytes(keyBytes));
      for (const o of objects) watch.register(o, 0);
      made += objects.length;
      if (i % 1000 === 0) {
        kept.push({ secret, totp, hotp, base32: secret.toBase32(), code: totp.generate(59_000), hotpCode: hotp.generate(), uri: totp.toUri() });
      }
    }
    await settle();
    sizes.push(memorySizes(entries));
  }
  const rfcBytes = new TextEncoder().encode("12345678901234567890");
  await settle();
  // The collector ran, and the finalizers with it.
  assert.ok(collected > made / 2, `only ${collected} of ${made} objects were finalized`);
  // Slots freed by finalizers were reused by later objects: the kept ones answer as before.
  for (const k of kept) {
    assert.equal(k.secret.toBase32(), k.base32);
    assert.equal(k.totp.generate(59_000), k.code);
    assert.equal(k.hotp.generate(), k.hotpCode);
    assert.equal(k.totp.toUri(), k.uri);
  }
  const key = VaultKey.fromBytes(keyBytes);
  assert.equal(key.open(sealed), "kept");
  key.free();
  // Memory: what the first round took is reused by the later ones.
  for (const name of ["twofa", "vault"]) {
    const first = sizes[0][name];
    const last = sizes[ROUNDS - 1][name];
    assert.ok(last <= first + (1 << 20), `${name}: memory grew from ${first} to ${last} bytes over ${ROUNDS} rounds`);
  }
  const secret = Secret.fromBytes(rfcBytes);
  const totp = new Totp({ secret, digits: 8 });
  assert.equal(totp.generate(59_000), "94287082");
  for (const o of [secret, totp]) o.free();
  assert.deepEqual(knownAnswers(entries), []);
  for (const k of kept) for (const o of [k.secret, k.totp, k.hotp]) o.free();
});
