// Acceptance of the packed twofa/import in Node: every file of the import corpus
// (`../shared/import-corpus/`, real exports of 19 apps that the project may read but never
// copy) imports as its manifest says, as tests/import_corpus.rs checks the core. The
// pictures of Google Authenticator exports are decoded to pixels by Chromium, read by
// twofa/qr's decodeQr, and their text imported. The corpus is found at $IMPORT_CORPUS,
// else beside the checkout; without it the test says so and is skipped.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, test } from "node:test";
import { launchChromium, PKG, ROOT } from "./helpers.mjs";
import { TEXT, TEXT_RESULT } from "./import.mjs";

const CORPUS = resolve(process.env.IMPORT_CORPUS ?? join(ROOT, "../shared/import-corpus"));
const MANIFEST = join(CORPUS, "manifest.json");
const present = existsSync(MANIFEST);
const manifest = present ? JSON.parse(readFileSync(MANIFEST, "utf8")) : [];
const skip = present ? false : `no import corpus at ${CORPUS} (set IMPORT_CORPUS)`;
/** `IMPORT_CORPUS_FILTER=aegis` checks the files whose path holds the text. */
const FILTER = process.env.IMPORT_CORPUS_FILTER ?? "";

/**
 * Files whose key derivation costs too much to run in every `make test` through
 * WebAssembly, each with why: Ente's Argon2id at 1 GiB × 4 passes and 256 MiB × 16 passes
 * take about 40 s and 60 s in Node on this 2-core machine (measured with twofa/vault's
 * Argon2id at the same cost), over the 20 s a file may take here. tests/import_corpus.rs
 * opens both natively; here their cost is checked against the caps instead.
 */
const COSTLY = new Map([
  ["files/ente/ente.encrypted.json", "Argon2id 1 GiB × 4 passes: about 40 s in wasm"],
  ["files/ente/encrypted.nominalcomplexity.txt", "Argon2id 256 MiB × 16 passes: about 60 s in wasm"],
]);

let imports;
let qr;
let browser;
before(async () => {
  imports = await import(pathToFileURL(join(PKG, "import.node.mjs")).href);
  qr = await import(pathToFileURL(join(PKG, "qr.node.mjs")).href);
});
after(async () => {
  await browser?.close();
});

/** The format name a file must be read as (as tests/import_corpus.rs names it). */
function formatOf(file, encrypted) {
  const dir = file.split("/")[1];
  if (file.endsWith(".txt") && dir !== "ente" && dir !== "google-authenticator") return "otpauth";
  const plainOrEncrypted = (name) => (encrypted ? `${name}-encrypted` : name);
  switch (dir) {
    case "ente": return encrypted ? "ente-encrypted" : "otpauth";
    case "google-authenticator": return "google-authenticator";
    case "2fas": return plainOrEncrypted("2fas");
    case "aegis": return plainOrEncrypted("aegis");
    case "andotp": return plainOrEncrypted("andotp");
    case "authenticator-plus": return "authenticator-plus-encrypted";
    case "authenticator-pro": return plainOrEncrypted("authenticator-pro");
    case "battle-net": return "battle-net";
    case "bitwarden": return encrypted ? "bitwarden-encrypted" : file.endsWith(".csv") ? "bitwarden-csv" : "bitwarden-json";
    case "bitwarden-authenticator": return "bitwarden-authenticator";
    case "freeotp": return "freeotp-encrypted";
    case "freeotpplus": return "freeotp-plus";
    case "lastpass": return "lastpass";
    case "uri-list": return "otpauth";
    case "proton-authenticator": return plainOrEncrypted("proton-authenticator");
    case "proton-pass": return "proton-pass";
    case "steam": return "steam";
    case "totp-authenticator": return "totp-authenticator-encrypted";
    case "winauth": return plainOrEncrypted("winauth");
    default: throw new Error(`${file}: no format expected for it`);
  }
}

const isImage = (file) => /\.(png|jpe?g)$/.test(file);

/** RFC 4648 base32 of bytes, unpadded. */
function base32(bytes) {
  const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let out = "";
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += A[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += A[(value << (5 - bits)) & 31];
  return out;
}

/** Base32 as the manifest gives it, canonical after the apps' lenient reading: a last symbol that makes no whole byte dropped. */
function canonical(secret) {
  let s = secret.replace(/[ =]/g, "").toUpperCase();
  if ([1, 3, 6].includes(s.length % 8)) s = s.slice(0, -1);
  const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bytes = [];
  let bits = 0;
  let value = 0;
  for (const c of s) {
    value = (value << 5) | A.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return base32(bytes);
}

/** The code and message of what `call` throws, or null when it returns. */
function failure(call) {
  try {
    call();
    return null;
  } catch (err) {
    return { code: err.code, message: err.message };
  }
}

/** The problems of one account against what the manifest expects of its entry, or null. */
function compare(n, want, got) {
  const kind = got.encoder === "steam" ? "steam" : got.type;
  const diffs = [];
  if (kind !== want.type) diffs.push(`type ${kind}, expected ${want.type}`);
  if ((got.issuer ?? "") !== want.issuer) diffs.push(`issuer ${JSON.stringify(got.issuer)}, expected ${JSON.stringify(want.issuer)}`);
  if (got.account !== want.account) diffs.push(`account ${JSON.stringify(got.account)}, expected ${JSON.stringify(want.account)}`);
  if (got.secret !== canonical(want.secret)) diffs.push("secret differs");
  if (got.algorithm !== want.algorithm) diffs.push(`algorithm ${got.algorithm}, expected ${want.algorithm}`);
  if (got.digits !== want.digits) diffs.push(`digits ${got.digits}, expected ${want.digits}`);
  if (want.period !== undefined && got.period !== want.period) diffs.push(`period ${got.period}, expected ${want.period}`);
  if (want.counter !== undefined && Number(got.counter) !== want.counter) diffs.push(`counter ${got.counter}, expected ${want.counter}`);
  return diffs.length ? `entry ${n} (index ${got.index}): ${diffs.join("; ")}` : null;
}

/** The problem with a result against its manifest case, or null (the rules of tests/import_corpus.rs). */
function judge(c, result, file) {
  const want = formatOf(file, c.encrypted);
  if (result.format !== want) return `read as ${result.format}, expected ${want}`;
  const allowedErrors = c.expected_errors ?? 0;
  const left = result.warnings.filter((w) => w.code === "UNSUPPORTED_ACCOUNT").map((w) => w.index);
  const events = [...result.accounts.map((a) => [a.index, a]), ...left.map((i) => [i, null])].sort((a, b) => a[0] - b[0]);
  let errorsSeen = 0;
  let at = 0;
  for (const [n, w] of c.expected.entries()) {
    let event;
    for (;;) {
      event = events[at++];
      if (!event) return `entry ${n} (${w.type}) missing`;
      if (event[1] === null && !["motp", "yandex"].includes(w.type) && errorsSeen < allowedErrors) {
        errorsSeen++;
        continue;
      }
      break;
    }
    if (["motp", "yandex"].includes(w.type)) {
      if (event[1] !== null) return `entry ${n}: ${w.type} imported as an account`;
      continue;
    }
    if (event[1] === null) return `entry ${n} (${w.type}) left out: ${result.warnings.find((x) => x.index === event[0])?.message}`;
    const diff = compare(n, w, event[1]);
    if (diff) return diff;
  }
  const rest = events.length - at;
  if (rest + errorsSeen !== allowedErrors && !(rest === 0 && allowedErrors === 0)) return `${rest} more entries than expected`;
  for (const w of result.warnings) {
    for (const e of c.expected) {
      if (e.secret.length >= 8 && w.message.toUpperCase().includes(e.secret.toUpperCase())) return `a warning holds a secret: ${w.message}`;
    }
    if (c.password && c.password.length >= 4 && w.message.includes(c.password)) return `a warning holds the password: ${w.message}`;
  }
  return null;
}

/** The problem with importing `input` as the manifest case says, or null. */
function check(c, input) {
  const file = c.file;
  if (c.encrypted) {
    const without = failure(() => imports.importAccounts(input));
    if (without?.code !== "PASSWORD_REQUIRED") return `without a password: ${JSON.stringify(without)}`;
  }
  let result;
  const thrown = failure(() => {
    result = imports.importAccounts(input, c.password ? { password: c.password } : undefined);
  });
  if (c.expected_error !== undefined) {
    if (thrown && (thrown.code === "UNSUPPORTED_FORMAT" || thrown.code === "INVALID_IMPORT")) return null;
    return thrown ? `refused with ${thrown.code}: ${thrown.message}, expected (${c.expected_error})` : `imported, but must be refused (${c.expected_error})`;
  }
  if (thrown) {
    if (c.password && c.password.length >= 4 && thrown.message.includes(c.password)) return "an error holds the password";
    return `${thrown.code}: ${thrown.message}`;
  }
  return judge(c, result, file);
}

test("every file of the import corpus imports through the packed twofa/import as its manifest says", { skip }, (t) => {
  const failures = [];
  let checked = 0;
  for (const c of manifest) {
    if (isImage(c.file) || !c.file.includes(FILTER)) continue;
    const bytes = readFileSync(join(CORPUS, c.file));
    if (COSTLY.has(c.file)) {
      // Refused before any work under a cap below what it asks: the file is read, its
      // cost found and checked, and no Argon2id runs.
      const capped = failure(() => imports.importAccounts(bytes, { password: c.password, maxMemoryMiB: 8 }));
      if (capped?.code !== "IMPORT_LIMIT") failures.push(`${c.file}: under an 8 MiB cap: ${JSON.stringify(capped)}`);
      t.diagnostic(`skipped opening ${c.file} here (${COSTLY.get(c.file)}); tests/import_corpus.rs opens it natively`);
      continue;
    }
    const start = performance.now();
    const problem = check(c, bytes);
    const ms = performance.now() - start;
    if (ms > 20_000) failures.push(`${c.file}: took ${Math.round(ms)} ms, over 20 s`);
    if (ms > 2_000) t.diagnostic(`${c.file}: ${Math.round(ms)} ms`);
    checked++;
    if (problem) failures.push(`${c.file}: ${problem}`);
  }
  assert.ok(checked > 0, "no file checked");
  assert.deepEqual(failures, []);
});

/** An image file's RGBA pixels, decoded by Chromium. */
async function pixels(file) {
  browser ??= await launchChromium();
  const page = await browser.newPage();
  try {
    const decoded = await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes]), { colorSpaceConversion: "none", premultiplyAlpha: "none" });
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext("2d");
      ctx.drawImage(bitmap, 0, 0);
      const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      let text = "";
      for (let i = 0; i < data.length; i += 0x8000) text += String.fromCharCode(...data.subarray(i, i + 0x8000));
      return { width: bitmap.width, height: bitmap.height, data: btoa(text) };
    }, readFileSync(file).toString("base64"));
    return { width: decoded.width, height: decoded.height, data: new Uint8Array(Buffer.from(decoded.data, "base64")) };
  } finally {
    await page.close();
  }
}

test("the corpus' pictures of Google Authenticator exports: Chromium's pixels, twofa/qr's decodeQr, then importAccounts", { skip }, async () => {
  const failures = [];
  const images = manifest.filter((c) => isImage(c.file) && c.file.includes(FILTER));
  if (FILTER === "") assert.equal(images.length, 3, "the corpus has three pictures");
  for (const c of images) {
    const image = await pixels(join(CORPUS, c.file));
    const texts = qr.decodeQr(image);
    if (texts.length !== 1) {
      failures.push(`${c.file}: ${texts.length} QR codes read`);
      continue;
    }
    if (c.qr_payload !== undefined && texts[0] !== c.qr_payload) failures.push(`${c.file}: the QR code's text differs from the manifest's`);
    const problem = check(c, texts[0]);
    if (problem) failures.push(`${c.file}: ${problem}`);
  }
  assert.deepEqual(failures, []);
});

test("text longer than goes straight into the input buffer is encoded first and read whole", () => {
  const padded = `${TEXT}\n${" ".repeat((16 << 20) + 1)}`;
  assert.deepEqual(imports.importAccounts(padded), TEXT_RESULT);
  // A string over the limit is refused by its length, before it is encoded.
  assert.throws(() => imports.importAccounts("a".repeat((32 << 20) + 1)), {
    name: "TwofaError",
    code: "IMPORT_LIMIT",
    message: "input (bytes) is 33554433, over the limit of 33554432",
  });
});
