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
  };
}

const NONE = { raw: 0, ipad: 0, opad: 0, base32: 0 };

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
