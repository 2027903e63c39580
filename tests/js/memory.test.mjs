// What stays in WebAssembly memory after secrets are freed: nothing that would give the
// key back. The scan looks for the raw key, the key XOR the HMAC pads (what keying an
// HMAC computes), and the key's base32 text.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { test } from "node:test";
import { PKG } from "./helpers.mjs";

const twofa = await import(join(PKG, "node.mjs"));
const { memory } = await twofa.default();

/** How many times `needle` occurs in wasm memory. */
function occurrences(needle) {
  const haystack = new Uint8Array(memory.buffer);
  let count = 0;
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle[0], from);
    if (at < 0 || at + needle.length > haystack.length) return count;
    let j = 1;
    while (j < needle.length && haystack[at + j] === needle[j]) j++;
    if (j === needle.length) count++;
    from = at + 1;
  }
}

function traces(key, base32) {
  const head = key.subarray(0, 16);
  return {
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
}

const NONE = { raw: 0, ipad: 0, opad: 0, base32: 0, base64: 0 };

for (const algorithm of ["SHA1", "SHA256", "SHA512"]) {
  for (const length of [20, 64, 200]) {
    test(`${algorithm}, ${length}-byte key: freed secrets leave no key material`, () => {
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
      // The scan finds the key while a Secret holds it: the detector works.
      assert.ok(traces(key, base32).raw >= 1);
      hotp.verify(hotp.generate(7), { counter: 0, window: 10 });
      const copy = totp.secret; // a copy, which is the caller's to free
      copy.toGrouped();
      for (const object of [secret, copy, totp, hotp]) object.free();
      assert.deepEqual(traces(key, base32), NONE);
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

test("a generated secret, once freed, is gone", () => {
  const secret = twofa.Secret.generate(32);
  const key = secret.toBytes();
  const base32 = secret.toBase32();
  secret.free();
  assert.deepEqual(traces(key, base32), NONE);
});

test("URIs, exports and QR codes leave no secret behind once their objects are freed", () => {
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

test("issued backup, recovery and verification codes are not left in wasm memory", () => {
  const set = twofa.generateBackupCodes();
  const recovery = twofa.issueRecoveryCode({ user: "ada" });
  const sent = twofa.issueVerificationCode({ digits: 10 });
  twofa.verifyBackupCode(set.record, set.codes[4]);
  twofa.verifyRecoveryCode([recovery.record], { user: "ada", code: recovery.code });
  twofa.verifyVerificationCode(sent.record, sent.code);
  const plain = (code) => new TextEncoder().encode(code.replaceAll("-", ""));
  for (const code of [...set.codes, recovery.code]) assert.equal(occurrences(plain(code)), 0, code);
  assert.equal(occurrences(new TextEncoder().encode(sent.code)), 0);
  // The detector finds a code that is in wasm memory.
  const holder = new twofa.Totp({ secret: "GEZDGNBVGY3TQOJQ", account: set.codes[0].replaceAll("-", "") });
  assert.equal(occurrences(plain(set.codes[0])), 1);
  holder.free();
});

test("a freed vault key leaves neither the key, the passphrase nor the opened text in wasm memory", () => {
  const passphrase = `passphrase ${randomBytes(12).toString("hex")}`;
  const plain = JSON.stringify({ accounts: [{ uri: `otpauth://totp/x?secret=${twofa.Secret.generate(32).toBase32()}` }] });
  const key = twofa.VaultKey.derive(passphrase, { memoryKib: 256, iterations: 1 });
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
