// `make bench`: one report from one run.
//
// 1. Codes: operations per second for twofa (wasm, in Node), otpauth, otplib with its
//    default pure-JS crypto and with its node:crypto plugin (all pinned in
//    package-lock.json), and twofa's native core (measured just before by
//    benches/native.rs and passed in as JSON lines), with ratios.
// 2. URIs and QR codes against otpauth, npm qrcode and jsQR.
// 3. What a browser downloads for each entry (gzip -9) beside otpauth's and otplib's
//    browser bundles, and what the root module spends its bytes on.
//
// Rounds are interleaved: each round times every library once, so a slow spell on the
// shared machine lands on all of them rather than on whichever ran then.
//
//   node scripts/bench.mjs target/bench-native.json
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as OTPAuth from "otpauth";
import { generateSync, verifySync } from "otplib";
import { NodeCryptoPlugin } from "@otplib/plugin-crypto-node";
import jsQR from "jsqr";
import QRCode from "qrcode";
import { render as qrcodeSvg } from "qrcode/lib/renderer/svg-tag.js";
import { ENTRIES } from "./entries.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const PKG = join(ROOT, "pkg");
const twofa = await import(join(PKG, "twofa.node.mjs"));
const qr = await import(join(PKG, "qr.node.mjs"));

// The inputs every implementation gets (the same as benches/native.rs).
const SECRET = new TextEncoder().encode("12345678901234567890");
const TIMESTAMP = 1_700_000_000_000;
const COUNTER = 123_456;
const URI =
  "otpauth://totp/ACME%20Co:ada@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30";

const ROUNDS = 7;
const ROUND_MS = 250;

/** Ops/s of `op` over one round of ROUND_MS. */
function oneRound(op) {
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ROUND_MS) {
    for (let i = 0; i < 64; i++) op();
    n += 64;
  }
  return (n * 1000) / (performance.now() - start);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");
const ratio = (a, b) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : "n/a");

/** Prints a Markdown table: the first `left` columns left-aligned, the rest right-aligned. */
function table(columns, rows, left = 1) {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => "| " + cells.map((c, i) => (i < left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ") + " |";
  console.log(line(columns));
  console.log("|" + widths.map((w, i) => (i < left ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|");
  for (const row of rows) console.log(line(row));
}

/** Interleaved rounds of every op of every suite; the median ops/s of each, and the widest spread. */
function measure(suites) {
  const rounds = suites.map((ops) => ops.map(() => []));
  for (const ops of suites) for (const op of ops) for (let i = 0; i < 5_000; i++) op();
  for (let round = 0; round < ROUNDS; round++) {
    suites.forEach((ops, s) => ops.forEach((op, i) => rounds[s][i].push(oneRound(op))));
  }
  const spread = Math.max(...rounds.flat().map((r) => Math.max(...r) / Math.min(...r)));
  return { results: rounds.map((perOp) => perOp.map(median)), spread };
}

const native = process.argv[2]
  ? Object.fromEntries(readFileSync(process.argv[2], "utf8").trim().split("\n").map((l) => JSON.parse(l)).map((r) => [r.op, r.opsPerSec]))
  : {};

// ---------------------------------------------------------------------------------------
// 1. Codes

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
const SUITES = {
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
const SKIP_SPEED = process.env.BENCH_SIZES_ONLY === "1";
const codes = measure(Object.values(SUITES));
const byName = Object.fromEntries(Object.keys(SUITES).map((name, s) => [name, codes.results[s]]));
byName["twofa (native)"] = OPS.map((op) => native[op] ?? NaN);
console.log(`\n## Codes: operations per second\n`);
console.log(`Median of ${ROUNDS} interleaved rounds of ${ROUND_MS} ms; Node ${process.version}; higher is better.`);
console.log("otplib uses its default pure-JS crypto (noble); otplib+node its node:crypto plugin; otpauth uses node:crypto in Node.\n");
table(
  ["operation", ...Object.keys(byName), "wasm/otpauth", "wasm/otplib", "wasm/otplib+node", "native/wasm"],
  OPS.map((op, i) => [
    op,
    ...Object.values(byName).map((r) => fmt(r[i])),
    ratio(byName["twofa (wasm)"][i], byName.otpauth[i]),
    ratio(byName["twofa (wasm)"][i], byName.otplib[i]),
    ratio(byName["twofa (wasm)"][i], byName["otplib+node"][i]),
    ratio(byName["twofa (native)"][i], byName["twofa (wasm)"][i]),
  ]),
);
console.log(`\nThe widest max/min spread between rounds of one operation was ${codes.spread.toFixed(2)}×.`);

// ---------------------------------------------------------------------------------------
// 2. URIs and QR codes

const uriTotp = twofa.Totp.fromUri(URI);
const oaUriTotp = OTPAuth.URI.parse(URI);
const OPTIONS = { secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", issuer: "ACME Co", account: "ada@example.com" };
const m = qr.qrMatrix(URI, { ecc: "M" });
const side = (m.size + 8) * 4;
const image = { width: side, height: side, data: new Uint8ClampedArray(side * side * 4).fill(255) };
for (let i = 0; i < side * side; i++) {
  const x = Math.floor((i % side) / 4) - 4;
  const y = Math.floor(i / side / 4) - 4;
  if (x >= 0 && y >= 0 && x < m.size && y < m.size && m.modules[y * m.size + x]) image.data.fill(0, i * 4, i * 4 + 3);
}
const transferAgree = [
  [twofa.parseUri(URI).secret, oaUriTotp.secret.base32],
  [uriTotp.toUri(), URI],
  [twofa.buildUri(OPTIONS), URI],
  // otpauth writes the same account in its own form (`%40`, another order of parameters).
  [JSON.stringify(twofa.parseUri(new OTPAuth.TOTP({ issuer: OPTIONS.issuer, label: OPTIONS.account, secret: OTPAuth.Secret.fromBase32(OPTIONS.secret) }).toString())), JSON.stringify(twofa.parseUri(URI))],
  [qr.decodeQr(image)[0], URI],
  [jsQR(image.data, side, side).data, URI],
];
for (const [got, want] of transferAgree) if (got !== want) throw new Error(`implementations disagree: ${got} !== ${want}`);
const TRANSFER = [
  ["uri.parse", "otpauth URI.parse", "uri.parse", () => twofa.parseUri(URI), () => OTPAuth.URI.parse(URI)],
  ["uri.build: toUri()", "otpauth toString()", "uri.build", () => uriTotp.toUri(), () => oaUriTotp.toString()],
  [
    "uri.build: buildUri(options)",
    "otpauth new TOTP(options).toString()",
    "uri.build",
    () => twofa.buildUri(OPTIONS),
    () => new OTPAuth.TOTP({ issuer: OPTIONS.issuer, label: OPTIONS.account, secret: OTPAuth.Secret.fromBase32(OPTIONS.secret) }).toString(),
  ],
  ["uri.build: buildUri(options)", "otpauth toString()", "uri.build", () => twofa.buildUri(OPTIONS), () => oaUriTotp.toString()],
  ["qr.svg", "npm qrcode", "qr.svg", () => qr.qrSvg(URI), () => qrcodeSvg(QRCode.create(URI, { errorCorrectionLevel: "M" }), {})],
  ["qr.decode", "jsQR", "qr.decode", () => qr.decodeQr(image), () => jsQR(image.data, side, side)],
];
const transfer = measure(TRANSFER.map(([, , , ours, theirs]) => [ours, theirs]));
console.log(`\n## URIs and QR codes: operations per second\n`);
console.log(`The QR picture is ${side}×${side} RGBA: the URI at error correction M, 4 px a module.`);
console.log("A generator never changes, so toUri() writes its URI once and keeps it; buildUri writes one every call.\n");
table(
  ["operation", "peer", "twofa (wasm)", "peer ops/s", "twofa (native)", "wasm/peer", "native/wasm"],
  TRANSFER.map(([op, peer, nativeOp], i) => {
    const [ours, theirs] = transfer.results[i];
    return [op, peer, fmt(ours), fmt(theirs), fmt(native[nativeOp] ?? NaN), ratio(ours, theirs), ratio(native[nativeOp] ?? NaN, ours)];
  }),
  2,
);
console.log(`\nThe widest max/min spread between rounds of one operation was ${transfer.spread.toFixed(2)}×.`);

// ---------------------------------------------------------------------------------------
// 3. Sizes

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
/** What a browser downloads for an entry: its JS, the JS it imports in the package, and the wasm it names. */
function download(file) {
  const seen = new Set();
  const walk = (f) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const [, next] of readFileSync(f, "utf8").matchAll(/(?:import|export)[^'"]*?from\s*['"](\.[^'"]+)['"]/g)) walk(join(dirname(f), next));
  };
  walk(file);
  const wasm = new Set();
  for (const f of seen) for (const [, w] of readFileSync(f, "utf8").matchAll(/['"`]([^'"`]*?\.wasm)['"`]/g)) wasm.add(join(dirname(f), w));
  const js = [...seen].reduce((n, f) => n + gz(readFileSync(f)), 0);
  const bin = [...wasm].reduce((n, f) => n + gz(readFileSync(f)), 0);
  return { js, wasm: bin, total: js + bin };
}
const otpauthSize = gz(readFileSync(join(ROOT, "node_modules/otpauth/dist/otpauth.esm.min.js")));
const otplibSize = gz(readFileSync(join(ROOT, "node_modules/otplib/dist/index.global.js")));
const ROOT_LIMIT = 16 * 1024;
console.log("\n## What a browser downloads, gzip -9 (smaller is better)\n");
console.log("Each entry's JS, the JS it imports, and the wasm it names; otpauth's and otplib's browser bundles beside them.\n");
table(
  ["entry", "JS", "wasm", "total", "× otpauth", "× otplib"],
  [
    ...ENTRIES.map((e) => {
      const size = download(join(PKG, `${e.name}.js`));
      const name = e.subpath === "." ? "twofa" : `twofa/${e.subpath.slice(2)}`;
      return [name, fmt(size.js), fmt(size.wasm), fmt(size.total), ratio(size.total, otpauthSize), ratio(size.total, otplibSize)];
    }),
    ["otpauth (otpauth.esm.min.js)", "", "", fmt(otpauthSize), "1.00×", ratio(otpauthSize, otplibSize)],
    ["otplib (index.global.js)", "", "", fmt(otplibSize), ratio(otplibSize, otpauthSize), "1.00×"],
  ],
);
const rootSize = download(join(PKG, "twofa.js")).total;
console.log(`\nThe root entry is ${fmt(rootSize)} B: ${rootSize <= ROOT_LIMIT ? "within" : "over"} its limit of ${fmt(ROOT_LIMIT)} B (16 KiB).`);

// What the root module spends its bytes on: the module as shipped, optimised again with
// its function names kept, read section by section and function by function.
const named = join(ROOT, "target/bench-root-named.wasm");
execFileSync(join(ROOT, "node_modules/.bin/wasm-opt"), ["-Oz", "-g", "--strip-producers", join(ROOT, "target/entries/twofa/bindgen/twofa_bg.wasm"), "-o", named]);
const { functions, data } = readWasm(readFileSync(named));
const GROUPS = [
  ["SHA-1, SHA-256, SHA-512 (RustCrypto compression)", /^(sha1|sha2)::|hmac::SHA(1|256|512)::\{\{closure\}\}|core::ops::function::FnOnce::call_once/],
  ["HMAC: padding, keying, truncation", /otp::hmac|otp::algorithm|Keyed/],
  ["codes: formats, tokens, HOTP, TOTP", /otp::(format|hotp|totp)|OtpCode|subtle::/],
  ["secrets and base32", /otp::(secret|base32)/],
  ["otpauth:// URIs and warnings", /transfer::|Warning|wasm::uri/],
  ["errors and their messages", /twofa::error|Message|Failed|fail_|type_error|option_failure|Shown/],
  ["binding: exports, buffers, handles, JSON", /^[a-z_0-9]+$|twofa::wasm::|io_/],
  ["allocator (talc, zeroing)", /talc|zeroizing_alloc|__rust_(alloc|dealloc|realloc)|__rdl|alloc::alloc/],
  ["Rust core and alloc (str, Vec, String)", /^(<)?(core|alloc)|^<.*(core|alloc)::|memcpy|memset|memcmp|memmove/],
];
const sums = GROUPS.map(() => 0);
let other = 0;
for (const { name, size } of functions) {
  const g = GROUPS.findIndex(([, re]) => re.test(name));
  if (g >= 0) sums[g] += size;
  else other += size;
}
const code = functions.reduce((n, f) => n + f.size, 0);
const shipped = readFileSync(join(PKG, "twofa_bg.wasm"));
console.log(`\n## What the root module (twofa_bg.wasm, ${fmt(shipped.length)} B, ${fmt(gz(shipped))} B gzip) spends its bytes on\n`);
console.log("Function bodies by what they do, and the data segments (messages, tables), in bytes before gzip.\n");
table(
  ["part", "bytes", "share"],
  [
    ...GROUPS.map(([label], i) => [label, fmt(sums[i]), `${((100 * sums[i]) / (code + data)).toFixed(1)}%`]),
    ["other code", fmt(other), `${((100 * other) / (code + data)).toFixed(1)}%`],
    ["data: messages, codes, names, tables", fmt(data), `${((100 * data) / (code + data)).toFixed(1)}%`],
  ],
);
console.log("\nThe largest functions:\n");
table(
  ["function", "bytes"],
  [...functions].sort((a, b) => b.size - a.size).slice(0, 12).map((f) => [f.name.replace(/::h[0-9a-f]{16}$/, "").slice(0, 90), fmt(f.size)]),
);

/** A wasm binary's function bodies (with their names from the name section) and data size. */
function readWasm(bytes) {
  let at = 8;
  const leb = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[at++];
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) return result;
    }
  };
  let imported = 0;
  const sizes = [];
  const names = new Map();
  let dataSize = 0;
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const end = at + size;
    if (id === 2) {
      for (let n = leb(), i = 0; i < n; i++) {
        for (let k = 0; k < 2; k++) {
          const len = leb(); // module and field names
          at += len;
        }
        const kind = bytes[at++];
        if (kind === 0) (leb(), imported++);
        else if (kind === 1) (at++, bytes[at++] & 1 ? (leb(), leb()) : leb());
        else if (kind === 2) (bytes[at++] & 1 ? (leb(), leb()) : leb());
        else if (kind === 3) at += 2;
        else leb();
      }
    } else if (id === 10) {
      for (let n = leb(), i = 0; i < n; i++) {
        const body = leb();
        sizes.push(body);
        at += body;
      }
    } else if (id === 11) {
      dataSize = size;
    } else if (id === 0) {
      const nameLen = leb();
      const name = new TextDecoder().decode(bytes.subarray(at, at + nameLen));
      at += nameLen;
      while (name === "name" && at < end) {
        const sub = bytes[at++];
        const subSize = leb();
        const subEnd = at + subSize;
        if (sub === 1) {
          for (let n = leb(), i = 0; i < n; i++) {
            const index = leb();
            const len = leb();
            names.set(index, new TextDecoder().decode(bytes.subarray(at, at + len)));
            at += len;
          }
        }
        at = subEnd;
      }
    }
    at = end;
  }
  return {
    functions: sizes.map((size, i) => ({ name: names.get(imported + i) ?? `function ${imported + i}`, size })),
    data: dataSize,
  };
}
