// `make bench`: one table from one run. Operations per second for twofa (wasm, in Node),
// otpauth, and otplib with its default pure-JS crypto and with its node:crypto plugin
// (all pinned in package-lock.json), and twofa's native core (measured just before by
// benches/native.rs and passed in as JSON lines), with ratios; then the gzip size of
// what a browser downloads.
//
// Rounds are interleaved: each round times every library once, so a slow spell on the
// shared machine lands on all of them rather than on whichever ran then.
//
//   node scripts/bench.mjs target/bench-native.json
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as OTPAuth from "otpauth";
import { generateSync, verifySync } from "otplib";
import { NodeCryptoPlugin } from "@otplib/plugin-crypto-node";
import { transformSync } from "esbuild";
import jsQR from "jsqr";
import QRCode from "qrcode";
import { render as qrcodeSvg } from "qrcode/lib/renderer/svg-tag.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const twofa = await import(join(ROOT, "pkg/node.mjs"));

// The inputs every implementation gets (the same as benches/native.rs).
const SECRET = new TextEncoder().encode("12345678901234567890");
const TIMESTAMP = 1_700_000_000_000;
const COUNTER = 123_456;

const ROUNDS = 7;
const ROUND_MS = 250;

/** Ops/s of `op` over one round of ROUND_MS. */
function oneRound(op) {
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ROUND_MS) {
    for (let i = 0; i < 256; i++) op();
    n += 256;
  }
  return (n * 1000) / (performance.now() - start);
}

/** Ops/s of a slower `op`, called one at a time over one round. */
function oneRoundTimed(op) {
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ROUND_MS) {
    op();
    n++;
  }
  return (n * 1000) / (performance.now() - start);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const secret = twofa.Secret.fromBytes(SECRET);
const totp = new twofa.Totp({ secret });
const hotp = new twofa.Hotp({ secret });
const valid = totp.generate(TIMESTAMP);
const step = totp.stepAt(TIMESTAMP);
const windowCodes = [step - 1, step, step + 1].map((s) => totp.generate(s * 30_000));
let invalid = "000000";
for (let n = 0; windowCodes.includes(invalid); n++) invalid = String(n).padStart(6, "0");

const oaSecret = new OTPAuth.Secret({ buffer: SECRET.slice().buffer });
const oaTotp = new OTPAuth.TOTP({ secret: oaSecret });
const oaHotp = new OTPAuth.HOTP({ secret: oaSecret });
const epoch = TIMESTAMP / 1000;
const nodeCrypto = new NodeCryptoPlugin();

// Every implementation must agree before it is timed.
const agree = [
  [oaTotp.generate({ timestamp: TIMESTAMP }), valid],
  [generateSync({ secret: SECRET, epoch }), valid],
  [oaHotp.generate({ counter: COUNTER }), hotp.generate(COUNTER)],
  [generateSync({ secret: SECRET, strategy: "hotp", counter: COUNTER }), hotp.generate(COUNTER)],
  [generateSync({ secret: SECRET, epoch, crypto: nodeCrypto }), valid],
  [verifySync({ secret: SECRET, token: invalid, epoch, epochTolerance: 30, crypto: nodeCrypto }).valid, false],
  [oaTotp.validate({ token: valid, timestamp: TIMESTAMP, window: 1 }), 0],
  [oaTotp.validate({ token: invalid, timestamp: TIMESTAMP, window: 1 }), null],
  [verifySync({ secret: SECRET, token: valid, epoch, epochTolerance: 30 }).valid, true],
  [verifySync({ secret: SECRET, token: invalid, epoch, epochTolerance: 30 }).valid, false],
  [totp.verify(valid, { timestamp: TIMESTAMP })?.delta, 0],
  [totp.verify(invalid, { timestamp: TIMESTAMP }), null],
];
for (const [got, want] of agree) if (got !== want) throw new Error(`implementations disagree: ${got} !== ${want}`);

const OPS = ["totp.generate", "totp.verify valid ±1", "totp.verify invalid ±1", "hotp.generate"];
const suites = {
  "twofa (wasm)": [
    () => totp.generate(TIMESTAMP),
    () => totp.verify(valid, { timestamp: TIMESTAMP }),
    () => totp.verify(invalid, { timestamp: TIMESTAMP }),
    () => hotp.generate(COUNTER),
  ],
  otpauth: [
    () => oaTotp.generate({ timestamp: TIMESTAMP }),
    () => oaTotp.validate({ token: valid, timestamp: TIMESTAMP, window: 1 }),
    () => oaTotp.validate({ token: invalid, timestamp: TIMESTAMP, window: 1 }),
    () => oaHotp.generate({ counter: COUNTER }),
  ],
  otplib: [
    () => generateSync({ secret: SECRET, epoch }),
    () => verifySync({ secret: SECRET, token: valid, epoch, epochTolerance: 30 }),
    () => verifySync({ secret: SECRET, token: invalid, epoch, epochTolerance: 30 }),
    () => generateSync({ secret: SECRET, strategy: "hotp", counter: COUNTER }),
  ],
  "otplib+node": [
    () => generateSync({ secret: SECRET, epoch, crypto: nodeCrypto }),
    () => verifySync({ secret: SECRET, token: valid, epoch, epochTolerance: 30, crypto: nodeCrypto }),
    () => verifySync({ secret: SECRET, token: invalid, epoch, epochTolerance: 30, crypto: nodeCrypto }),
    () => generateSync({ secret: SECRET, strategy: "hotp", counter: COUNTER, crypto: nodeCrypto }),
  ],
};

// Warm up every operation, then interleave the rounds.
const rounds = Object.fromEntries(Object.keys(suites).map((name) => [name, OPS.map(() => [])]));
for (const ops of Object.values(suites)) for (const op of ops) for (let i = 0; i < 20_000; i++) op();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, ops] of Object.entries(suites)) ops.forEach((op, i) => rounds[name][i].push(oneRound(op)));
}
const results = Object.fromEntries(Object.entries(rounds).map(([name, perOp]) => [name, perOp.map(median)]));
const spread = Object.fromEntries(
  Object.entries(rounds).map(([name, perOp]) => [name, perOp.map((r) => Math.max(...r) / Math.min(...r))]),
);
const nativeFile = process.argv[2];
const native = nativeFile
  ? Object.fromEntries(readFileSync(nativeFile, "utf8").trim().split("\n").map((l) => JSON.parse(l)).map((r) => [r.op, r.opsPerSec]))
  : {};
results["twofa (native)"] = OPS.map((op) => native[op] ?? NaN);

const fmt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");
const ratio = (a, b) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : "n/a");
const columns = ["operation", ...Object.keys(results), "wasm/otpauth", "wasm/otplib", "wasm/otplib+node", "native/wasm"];
const rows = OPS.map((op, i) => [
  op,
  ...Object.values(results).map((r) => fmt(r[i])),
  ratio(results["twofa (wasm)"][i], results.otpauth[i]),
  ratio(results["twofa (wasm)"][i], results.otplib[i]),
  ratio(results["twofa (wasm)"][i], results["otplib+node"][i]),
  ratio(results["twofa (native)"][i], results["twofa (wasm)"][i]),
]);
const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
const line = (cells) => "| " + cells.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(" | ") + " |";
console.log(`\nOperations per second (median of ${ROUNDS} interleaved rounds of ${ROUND_MS} ms; Node ${process.version}; higher is better)`);
console.log("otplib uses its default pure-JS crypto (noble); otplib+node its node:crypto plugin; otpauth uses node:crypto in Node.\n");
console.log(line(columns));
console.log("|" + widths.map((w, i) => (i ? "-".repeat(w + 1) + ":" : "-".repeat(w + 2))).join("|") + "|");
for (const row of rows) console.log(line(row));
const worst = Math.max(...Object.entries(spread).filter(([n]) => n !== "twofa (native)").flatMap(([, s]) => s));
console.log(`\nThe largest max/min spread between rounds of one operation was ${worst.toFixed(2)}×.`);

// How secrets travel: URIs against otpauth, QR codes against npm qrcode and jsQR.
const URI = "otpauth://totp/ACME%20Co:ada@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30";
const uriTotp = twofa.Totp.fromUri(URI);
const oaUriTotp = OTPAuth.URI.parse(URI);
const m = twofa.qrMatrix(URI, { ecc: "M" });
const side = (m.size + 8) * 4;
const image = { width: side, height: side, data: new Uint8ClampedArray(side * side * 4).fill(255) };
for (let i = 0; i < side * side; i++) {
  const x = Math.floor((i % side) / 4) - 4, y = Math.floor(i / side / 4) - 4;
  if (x >= 0 && y >= 0 && x < m.size && y < m.size && m.modules[y * m.size + x]) image.data.fill(0, i * 4, i * 4 + 3);
}
const transferAgree = [
  [twofa.parseUri(URI).secret, oaUriTotp.secret.base32],
  [uriTotp.toUri(), URI],
  [twofa.decodeQr(image)[0], URI],
  [jsQR(image.data, side, side).data, URI],
];
for (const [got, want] of transferAgree) if (got !== want) throw new Error(`implementations disagree: ${got} !== ${want}`);
const TRANSFER = [
  ["uri.parse", "otpauth", () => twofa.parseUri(URI), () => OTPAuth.URI.parse(URI)],
  ["uri.build", "otpauth", () => uriTotp.toUri(), () => oaUriTotp.toString()],
  ["qr.svg", "npm qrcode", () => twofa.qrSvg(URI), () => qrcodeSvg(QRCode.create(URI, { errorCorrectionLevel: "M" }), {})],
  ["qr.decode", "jsQR", () => twofa.decodeQr(image), () => jsQR(image.data, side, side)],
];
const transferRounds = TRANSFER.map(() => [[], []]);
for (const [, , ours, theirs] of TRANSFER) for (let i = 0; i < 50; i++) ours(), theirs();
for (let round = 0; round < ROUNDS; round++) {
  TRANSFER.forEach(([, , ours, theirs], i) => {
    transferRounds[i][0].push(oneRoundTimed(ours));
    transferRounds[i][1].push(oneRoundTimed(theirs));
  });
}
const tColumns = ["operation", "peer", "twofa (wasm)", "peer ops/s", "twofa (native)", "wasm/peer", "native/wasm"];
const tRows = TRANSFER.map(([op, peer], i) => {
  const [ours, theirs] = transferRounds[i].map(median);
  return [op, peer, fmt(ours), fmt(theirs), fmt(native[op] ?? NaN), ratio(ours, theirs), ratio(native[op] ?? NaN, ours)];
});
const tWidths = tColumns.map((c, i) => Math.max(c.length, ...tRows.map((r) => r[i].length)));
const tLine = (cells) => "| " + cells.map((c, i) => (i < 2 ? c.padEnd(tWidths[i]) : c.padStart(tWidths[i]))).join(" | ") + " |";
console.log(`\nHow secrets travel, operations per second (median of ${ROUNDS} interleaved rounds)`);
console.log(`The QR picture is ${side}×${side} RGBA: the URI at error correction M, 4 px a module.\n`);
console.log(tLine(tColumns));
console.log("|" + tWidths.map((w, i) => (i < 2 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|");
for (const row of tRows) console.log(tLine(row));

const gzBytes = (bytes) => gzipSync(bytes, { level: 9 }).length;
const gz = (...files) => files.reduce((sum, f) => sum + gzBytes(readFileSync(join(ROOT, f))), 0);
// What a bundler ships: the glue minified, as otpauth's .min.js is.
const minifiedGlue = transformSync(readFileSync(join(ROOT, "pkg/twofa.js"), "utf8"), { minify: true, format: "esm" }).code;
const sizes = [
  ["twofa: twofa_bg.wasm + twofa.js", gz("pkg/twofa_bg.wasm", "pkg/twofa.js")],
  ["twofa: twofa_bg.wasm + twofa.js minified", gz("pkg/twofa_bg.wasm") + gzBytes(Buffer.from(minifiedGlue))],
  ["otpauth: otpauth.esm.min.js (browser bundle)", gz("node_modules/otpauth/dist/otpauth.esm.min.js")],
  ["otplib: index.global.js (browser bundle)", gz("node_modules/otplib/dist/index.global.js")],
];
console.log("\nDownload size, gzip -9 (smaller is better)\n");
for (const [name, bytes] of sizes) {
  console.log(`  ${name.padEnd(46)} ${(bytes / 1024).toFixed(1).padStart(6)} KiB  (${ratio(bytes, sizes[2][1])} otpauth)`);
}
// Builds of the same module with one feature left out (`qr=<dir>`, `vault=<dir>`): what
// each feature costs a download.
const WHAT = { qr: "QR codes (qrSvg, qrMatrix, decodeQr)", vault: "the vault (VaultKey)" };
const without = process.argv.slice(3).map((arg) => arg.split("="));
if (without.length) {
  const raw = (f) => readFileSync(f).length;
  const full = { raw: raw(join(ROOT, "pkg/twofa_bg.wasm")), gz: gz("pkg/twofa_bg.wasm") };
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log("\nThe wasm module, and what each optional feature costs in it (raw / gzip -9)\n");
  console.log(`  with every default feature                ${kib(full.raw).padStart(10)} / ${kib(full.gz).padStart(9)}`);
  for (const [feature, dir] of without) {
    const file = join(dir, "twofa_opt.wasm");
    const less = { raw: raw(file), gz: gzBytes(readFileSync(file)) };
    console.log(`  ${`${WHAT[feature] ?? feature}:`.padEnd(42)} ${kib(full.raw - less.raw).padStart(10)} / ${kib(full.gz - less.gz).padStart(9)}`);
  }
}
