// What stays in WebAssembly memory after secrets are freed: nothing that would give the
// key back, in any entry's module. The scan looks for the raw key, the key XOR the HMAC
// pads, the HMAC midstates that keying computes (the chaining values after K ⊕ ipad and
// K ⊕ opad, which twofa keeps per generator), H(K) for a key longer than a block, and
// the key's base32 and base64 text.
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import * as OTPAuth from "otpauth";
import { sha1 } from "@noble/hashes/legacy.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { ENTRIES, nodeEntries } from "./helpers.mjs";

const twofa = await nodeEntries(...ENTRIES.map(([, name]) => name));
/** Every entry's module memory: init() answers it, and changes nothing in Node. */
const memories = await Promise.all(
  ENTRIES.map(async ([, name]) => (await import(`../../pkg/${name}.node.mjs`)).default().then((i) => i.memory)),
);

/** How many times `needle` occurs in the memory of every entry's module. */
function occurrences(needle) {
  let count = 0;
  for (const memory of memories) {
    const haystack = new Uint8Array(memory.buffer);
    let from = 0;
    for (;;) {
      const at = haystack.indexOf(needle[0], from);
      if (at < 0 || at + needle.length > haystack.length) break;
      let j = 1;
      while (j < needle.length && haystack[at + j] === needle[j]) j++;
      if (j === needle.length) count++;
      from = at + 1;
    }
  }
  return count;
}

const wasmFiles = ENTRIES.map(([, name]) => readFileSync(new URL(`../../pkg/${name}_bg.wasm`, import.meta.url)));
/** How many times `needle` occurs in the entries' wasm files: their static data. */
function inModuleFiles(needle) {
  let count = 0;
  for (const file of wasmFiles) for (let at = file.indexOf(needle); at >= 0; at = file.indexOf(needle, at + 1)) count++;
  return count;
}

const HASHES = { SHA1: sha1, SHA256: sha256, SHA512: sha512 };
const BLOCK = { SHA1: 64, SHA256: 64, SHA512: 128 };

/** 32-bit words as bytes, little-endian (as wasm stores them) or big-endian (as digests write them). */
function wordBytes(words, littleEndian) {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, littleEndian));
  return out;
}

/**
 * What keying HMAC with `key` computes (RFC 2104): the key block (H(K) for a key longer
 * than a block), and the chaining values after compressing K ⊕ ipad and K ⊕ opad, read
 * from @noble/hashes' state after one block (its `get()`: SHA-512's words as high, low).
 */
function keying(algorithm, key) {
  const hash = HASHES[algorithm];
  const size = BLOCK[algorithm];
  const k = key.length > size ? hash(key) : key;
  const block = new Uint8Array(size);
  block.set(k);
  const midstate = (pad) => hash.create().update(block.map((b) => b ^ pad)).get();
  return { hashedKey: key.length > size ? k : undefined, inner: midstate(0x36), outer: midstate(0x5c) };
}

function traces(key, base32, algorithm) {
  const head = key.subarray(0, 16);
  const found = {
    raw: occurrences(head),
    ipad: occurrences(head.map((b) => b ^ 0x36)),
    opad: occurrences(head.map((b) => b ^ 0x5c)),
    base32: occurrences(new TextEncoder().encode(base32.slice(0, 16))),
    // An export carries the key as base64, at any of three alignments: look for the
    // characters that depend on the key alone.
    base64: [0, 1, 2].reduce((n, shift) => {
      const padded = new Uint8Array(shift + 15);
      padded.set(key.subarray(0, 15), shift);
      const text = Buffer.from(padded).toString("base64");
      const skip = shift === 0 ? 0 : 4; // the first group mixes in the bytes before the key
      return n + occurrences(new TextEncoder().encode(text.slice(skip, skip + 12)));
    }, 0),
  };
  if (algorithm) {
    const { hashedKey, inner, outer } = keying(algorithm, key);
    // The first four words of each midstate, in either byte order.
    found.midstates = [inner, outer].reduce(
      (n, words) => n + occurrences(wordBytes(words.slice(0, 4), true)) + occurrences(wordBytes(words.slice(0, 4), false)),
      0,
    );
    found.hashedKey = hashedKey ? occurrences(hashedKey.subarray(0, 16)) + occurrences(hashedKey.subarray(0, 16).map((b) => b ^ 0x36)) : 0;
  }
  return found;
}

const NONE = { raw: 0, ipad: 0, opad: 0, base32: 0, base64: 0 };
const NONE_KEYED = { ...NONE, midstates: 0, hashedKey: 0 };

for (const algorithm of ["SHA1", "SHA256", "SHA512"]) {
  for (const length of [20, 64, 200]) {
    test(`${algorithm}, ${length}-byte key: freed secrets leave no key material, midstates or H(K)`, () => {
      const key = new Uint8Array(randomBytes(length));
      const secret = twofa.Secret.fromBytes(key);
      const base32 = secret.toBase32();
      const totp = new twofa.Totp({ secret, algorithm });
      const hotp = new twofa.Hotp({ secret: base32, algorithm });
      const now = 1_700_000_000_000;
      const code = totp.generate(now);
      assert.ok(totp.verify(code, { timestamp: now, window: 5 }));
      const inWindow = new Set(Array.from({ length: 11 }, (_, i) => totp.generate(now + (i - 5) * 30_000)));
      const wrong = ["000000", "111111", "222222"].find((c) => !inWindow.has(c));
      assert.equal(totp.verify(wrong, { timestamp: now, window: 5 }), null);
      hotp.verify(hotp.generate(7), { counter: 0, window: 10 });
      hotp.resync(hotp.generate(20), hotp.generate(21), { counter: 0, window: 30 });
      // While the generators hold it, the scan finds the key and both midstates of each
      // generator (little-endian words, as kept; a generator makes them with its first
      // code): the detector works.
      const live = traces(key, base32, algorithm);
      assert.ok(live.raw >= 1, "the detector finds the key");
      assert.ok(live.midstates >= 4, `the detector finds the midstates: ${live.midstates}`);
      assert.equal(totp.toUri().includes(base32), true);
      const copy = totp.secret; // a copy, which is the caller's to free
      copy.toGrouped();
      for (const object of [secret, copy, totp, hotp]) object.free();
      assert.deepEqual(traces(key, base32, algorithm), NONE_KEYED);
    });
  }
}

test("base32 text that fails to parse leaves no fragment behind", () => {
  const base32 = twofa.Secret.fromBytes(new Uint8Array(randomBytes(32))).toBase32();
  for (const attempt of [
    () => twofa.Secret.fromBase32(`${base32}é`),
    () => new twofa.Totp({ secret: `${base32}\u00a0` }),
    () => twofa.Secret.fromBase32(`${base32}€€€€1`),
  ]) {
    assert.throws(attempt, { code: "INVALID_BASE32" });
  }
  assert.equal(occurrences(new TextEncoder().encode(base32.slice(0, 16))), 0);
});

/** An RFC 4226 code, computed by otpauth (the tests' reference): known before the module makes it. */
const hotpByOtpauth = (algorithm, key, counter, digits) =>
  new OTPAuth.HOTP({ secret: new OTPAuth.Secret({ buffer: key.slice().buffer }), algorithm, digits }).generate({ counter });

test("codes made and checked are not left in the root module, on any path through verify", () => {
  // Six digits cross as one packed number, eight through the input buffer. Short runs of
  // digits also occur in the modules' own tables ("0123456789"), so each text is counted
  // before the module sees it and must be found no more often afterwards.
  const key = new Uint8Array(randomBytes(20));
  const at = 1_700_000_000_000;
  const step = Math.floor(at / 30_000);
  const found = [];
  for (const [algorithm, digits, make, counters] of [
    ["SHA1", 6, (o) => new twofa.Totp(o), [step, step + 10]],
    ["SHA512", 8, (o) => new twofa.Totp(o), [step, step + 10]],
    ["SHA256", 6, (o) => new twofa.Hotp(o), [7, 40]],
  ]) {
    const code = hotpByOtpauth(algorithm, key, counters[0], digits);
    // A refused code: the first counter from the far one whose code no step near the
    // matched one has (a random key's codes may repeat).
    const near = new Set(Array.from({ length: 21 }, (_, i) => hotpByOtpauth(algorithm, key, Math.max(0, counters[0] - 10 + i), digits)));
    let far = counters[1];
    while (near.has(hotpByOtpauth(algorithm, key, far, digits))) far++;
    const other = hotpByOtpauth(algorithm, key, far, digits);
    const typed = code.slice(0, -1);
    const texts = [["made", code], ["refused", other], ["typed", typed]];
    const before = texts.map(([, text]) => occurrences(new TextEncoder().encode(text)));
    const otp = make({ secret: twofa.Secret.fromBytes(key), algorithm, digits });
    const isTotp = otp instanceof twofa.Totp;
    assert.equal(isTotp ? otp.generate(at) : otp.generate(7), code);
    assert.equal(isTotp ? otp.generate((far + 0.5) * 30_000) : otp.generate(far), other);
    // Matched, refused and malformed: each path through verify.
    const matched = isTotp ? otp.verify(code, { timestamp: at }) : otp.verify(code, { counter: 7 });
    assert.notEqual(matched, null);
    assert.equal(isTotp ? otp.verify(other, { timestamp: at }) : otp.verify(other, { counter: 7 }), null);
    assert.throws(() => otp.verify(`${typed}x`, isTotp ? { timestamp: at } : { counter: 7 }));
    otp.free();
    texts.forEach(([label, text], i) => {
      const n = occurrences(new TextEncoder().encode(text));
      if (n > before[i]) found.push(`${algorithm} ${label} ${text}: ${n}, ${before[i]} before`);
    });
  }
  assert.deepEqual(found, []);
});

test("a generated secret, once freed, is gone", () => {
  const secret = twofa.Secret.generate(32);
  const key = secret.toBytes();
  const base32 = secret.toBase32();
  secret.free();
  assert.deepEqual(traces(key, base32), NONE);
});

test("URIs, exports and QR codes leave no secret behind in any module once their objects are freed", () => {
  const key = new Uint8Array(randomBytes(20));
  const secret = twofa.Secret.fromBytes(key);
  const base32 = secret.toBase32();
  secret.free();
  const uri = twofa.buildUri({ secret: base32, issuer: "ACME", account: "ada" });
  const parsed = twofa.parseUri(uri);
  assert.equal(parsed.secret, base32);
  const totp = twofa.Totp.fromUri(uri);
  assert.equal(totp.toUri(), uri);
  const hotp = twofa.Hotp.fromUri(twofa.buildUri({ ...parsed, type: "hotp", counter: 3 }));
  const { uris } = twofa.buildMigrationUris([parsed, { ...parsed, type: "hotp", counter: 9 }]);
  const back = twofa.parseMigrationUri(uris[0]);
  assert.equal(back.accounts[1].secret, base32);
  // Draw the URI as a QR code and read it back: the decoder works on a copy of the pixels.
  const m = twofa.qrMatrix(uri);
  const side = (m.size + 8) * 2;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const mx = (x >> 1) - 4, my = (y >> 1) - 4;
      if (mx >= 0 && my >= 0 && mx < m.size && my < m.size && m.modules[my * m.size + mx]) data.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
    }
  }
  assert.deepEqual(twofa.decodeQr({ width: side, height: side, data }), [uri]);
  twofa.qrSvg(uri);
  // The detector sees the key while a generator holds it, and sees an export's base64
  // while a copy of the export is in wasm memory.
  assert.ok(traces(key, base32).raw >= 1);
  const holder = new twofa.Totp({ secret: "GEZDGNBVGY3TQOJQ", account: Buffer.from(key).toString("base64") });
  assert.ok(traces(key, base32).base64 >= 1);
  holder.free();
  totp.free();
  hotp.free();
  assert.deepEqual(traces(key, base32), NONE);
});

test("an export refused at its second account does not keep the first account's secret", () => {
  const key = new Uint8Array(randomBytes(20));
  const secret = twofa.Secret.fromBytes(key);
  const base32 = secret.toBase32();
  secret.free();
  assert.throws(() => twofa.buildMigrationUris([{ secret: base32, account: "ada" }, { secret: "!!", account: "bob" }]), {
    code: "INVALID_BASE32",
    message: /^account 1: /,
  });
  assert.deepEqual(traces(key, base32), NONE);
});

test("device keys, backup, recovery and verification codes are not left in the flows module", () => {
  const set = twofa.generateBackupCodes();
  const recovery = twofa.issueRecoveryCode({ user: "ada" });
  const sent = twofa.issueVerificationCode({ digits: 10 });
  twofa.verifyBackupCode(set.record, set.codes[4]);
  twofa.verifyRecoveryCode([recovery.record], { user: "ada", code: recovery.code });
  twofa.verifyVerificationCode(sent.record, sent.code);
  const deviceKey = new Uint8Array(randomBytes(32));
  const { token } = twofa.issueDeviceToken(deviceKey, { user: "ada", deviceId: "d1" });
  assert.equal(twofa.verifyDeviceToken([twofa.Secret.fromBytes(new Uint8Array(randomBytes(32))).toBase32(), deviceKey], token, { user: "ada" }).ok, true);
  const plain = (code) => new TextEncoder().encode(code.replaceAll("-", ""));
  for (const code of [...set.codes, recovery.code]) assert.equal(occurrences(plain(code)), 0, code);
  // Ten digits may also run in the modules' own tables ("0123456789", "0001020304…"),
  // which each module's file carries into its memory once.
  assert.equal(occurrences(new TextEncoder().encode(sent.code)), inModuleFiles(new TextEncoder().encode(sent.code)));
  const { hashedKey, inner, outer } = keying("SHA256", deviceKey);
  assert.equal(hashedKey, undefined);
  assert.equal(occurrences(deviceKey.subarray(0, 16)), 0, "device key");
  assert.equal(occurrences(wordBytes(inner.slice(0, 4), true)) + occurrences(wordBytes(outer.slice(0, 4), true)), 0, "device key midstates");
  // The detector finds a code that is in wasm memory.
  const holder = new twofa.Totp({ secret: "GEZDGNBVGY3TQOJQ", account: set.codes[0].replaceAll("-", "") });
  assert.equal(occurrences(plain(set.codes[0])), 1);
  holder.free();
});

test("backup codes sealed and revealed under a site key leave neither the codes nor the sealing key in the flows module", () => {
  const siteKey = new Uint8Array(randomBytes(32));
  const set = twofa.generateBackupCodes({ count: 5, key: siteKey });
  const spent = twofa.verifyBackupCode(set.record, set.codes[1]).record;
  assert.deepEqual(twofa.revealBackupCodes([twofa.Secret.fromBytes(new Uint8Array(randomBytes(32))).toBase32(), siteKey], spent), [0, 2, 3, 4].map((i) => set.codes[i]));
  assert.throws(() => twofa.revealBackupCodes(new Uint8Array(32), spent), { code: "INVALID_RECORD" });
  const plain = (code) => new TextEncoder().encode(code.replaceAll("-", ""));
  for (const code of set.codes) assert.equal(occurrences(plain(code)), 0, code);
  for (const code of set.codes) assert.equal(occurrences(new TextEncoder().encode(code)), 0, code);
  assert.equal(occurrences(siteKey.subarray(0, 16)), 0, "site key");
  // The sealing key: HMAC-SHA-256 of the domain string under the site key.
  const sealing = new Uint8Array(createHmac("sha256", siteKey).update("twofa backup codes key v1\0").digest());
  assert.equal(occurrences(sealing.subarray(0, 16)), 0, "sealing key");
});

test("an action link's key and state are not left in the flows module", () => {
  const key = new Uint8Array(randomBytes(32));
  const state = `2fa:rev=41:secret=${randomBytes(12).toString("hex")}`;
  const { token } = twofa.issueActionLink(key, { purpose: "reset-totp", user: "ada", state });
  assert.equal(twofa.verifyActionLink([twofa.Secret.fromBytes(new Uint8Array(randomBytes(32))).toBase32(), key], token, { purpose: "reset-totp", user: "ada", state }).keyIndex, 1);
  assert.equal(twofa.verifyActionLink(key, token, { purpose: "reset-totp", user: "ada", state: `${state}!` }).reason, "STATE_CHANGED");
  assert.throws(() => twofa.issueActionLink(key, { purpose: "", user: "ada", state }), { code: "INVALID_OPTIONS" });
  const { inner, outer } = keying("SHA256", key);
  assert.equal(occurrences(key.subarray(0, 16)), 0, "link key");
  assert.equal(occurrences(wordBytes(inner.slice(0, 4), true)) + occurrences(wordBytes(outer.slice(0, 4), true)), 0, "link key midstates");
  assert.equal(occurrences(new TextEncoder().encode(state.slice(10))), 0, "state");
});

test("security answers, as typed and as normalised, are not left in the flows module", () => {
  const typed = `Zanzibar ${randomBytes(8).toString("hex")} QUOKKA`;
  const normal = typed.toLowerCase();
  const record = twofa.hashSecurityAnswers([
    { question: "Pet?", answer: typed },
    { question: "Town?", answer: ` ${typed.toUpperCase()}\t` },
  ]);
  assert.equal(twofa.verifySecurityAnswers(record, [normal, typed]).matched, true);
  assert.equal(twofa.verifySecurityAnswers(record, [normal, "wrong"]).matched, false);
  assert.equal(twofa.normalizeSecurityAnswer(typed), normal);
  const text = (s) => new TextEncoder().encode(s);
  for (const s of [typed, normal, typed.toUpperCase()]) assert.equal(occurrences(text(s.slice(0, 20))), 0, s);
  // The detector finds an answer that is in wasm memory.
  const holder = new twofa.Totp({ secret: "GEZDGNBVGY3TQOJQ", account: normal });
  assert.equal(occurrences(text(normal.slice(0, 20))), 1);
  holder.free();
});

test("a freed vault key leaves neither the key, the passphrase nor the opened text in wasm memory", () => {
  const passphrase = `passphrase ${randomBytes(12).toString("hex")}`;
  const plain = JSON.stringify({ accounts: [{ uri: `otpauth://totp/x?secret=${twofa.Secret.generate(32).toBase32()}` }] });
  const key = twofa.VaultKey.derive(passphrase, { memoryKib: 7168, iterations: 5 });
  const raw = key.toBytes().subarray(0, 32);
  const vault = key.seal(plain);
  const again = twofa.VaultKey.unlock(passphrase, vault);
  assert.equal(again.open(vault), plain);
  const text = (s) => new TextEncoder().encode(s);
  // The detector sees the key while an object holds it.
  assert.ok(occurrences(raw.subarray(0, 16)) >= 1);
  key.free();
  again.free();
  assert.equal(occurrences(raw.subarray(0, 16)), 0, "derived key");
  assert.equal(occurrences(text(passphrase)), 0, "passphrase");
  assert.equal(occurrences(text(plain.slice(30, 60))), 0, "opened text");
});

test("an import and an Aegis export leave neither the secret, the password nor the decrypted export in wasm memory", () => {
  const password = `password ${randomBytes(12).toString("hex")}`;
  const bytes = new Uint8Array(randomBytes(20));
  const made = twofa.Secret.fromBytes(bytes);
  const base32 = made.toBase32();
  made.free();
  const accounts = [{ secret: base32, issuer: "ACME", account: "ada" }];
  const sealed = twofa.exportAegis(accounts, { password });
  const plain = twofa.exportAegis(accounts);
  for (const input of [sealed, new TextEncoder().encode(sealed), plain]) {
    assert.equal(twofa.importAccounts(input, { password }).accounts[0].secret, base32);
  }
  assert.throws(() => twofa.importAccounts(sealed, { password: `${password}!` }), { code: "WRONG_PASSWORD" });
  const text = (s) => new TextEncoder().encode(s);
  assert.equal(occurrences(bytes), 0, "secret bytes");
  assert.equal(occurrences(text(base32)), 0, "secret base32");
  assert.equal(occurrences(text(password)), 0, "password");
  assert.equal(occurrences(text(plain.slice(plain.indexOf('"entries"'), plain.indexOf('"entries"') + 40))), 0, "the export's JSON");
  // The detector sees a secret that an object holds.
  const holder = twofa.Secret.fromBytes(bytes);
  assert.ok(occurrences(bytes) >= 1);
  holder.free();
});

test("a device key given as base32 text leaves no UTF-8 copy behind in JavaScript, even when the call fails", () => {
  const base32 = twofa.Secret.fromBytes(new Uint8Array(randomBytes(32))).toBase32();
  // Every array TextEncoder makes while the flows entry frames the key, kept to look at.
  const made = [];
  const encode = TextEncoder.prototype.encode;
  TextEncoder.prototype.encode = function (text) {
    const out = encode.call(this, text);
    made.push(out);
    return out;
  };
  try {
    const { token } = twofa.issueDeviceToken(base32, { deviceId: "d-1", now: 0 });
    assert.equal(twofa.verifyDeviceToken([base32, base32], token, { now: 1 }).ok, true);
    assert.throws(() => twofa.issueDeviceToken(base32, {}), { code: "INVALID_OPTIONS" });
    assert.throws(() => twofa.verifyDeviceToken(base32, token, { revoked: [1] }), { code: "INVALID_OPTIONS" });
  } finally {
    TextEncoder.prototype.encode = encode;
  }
  const copies = made.filter((bytes) => bytes.length === base32.length);
  assert.equal(copies.length, 5, "each key's text was encoded once a call");
  for (const bytes of copies) assert.ok(bytes.every((b) => b === 0), "a copy of the key's text was left as it was");
});
