// The built package, installed as a consumer would install it, in Node.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import * as OTPAuth from "otpauth";
import { generateSync as otplibGenerate } from "otplib";
import { installConsumer, loadBoth } from "./helpers.mjs";
import { check } from "./vectors.mjs";

let consumer;
let both;
before(async () => {
  consumer = installConsumer("node");
  both = await loadBoth(consumer.dir);
});

test("the tarball holds the package and nothing else", () => {
  assert.deepEqual(consumer.files, [
    "LICENSE-APACHE", "LICENSE-MIT", "README.md", "node.cjs", "node.mjs", "package.json",
    "twofa.d.cts", "twofa.d.ts", "twofa.js", "twofa_bg.wasm", "twofa_bg.wasm.d.ts",
  ]);
  const pkg = JSON.parse(readFileSync(join(consumer.dir, "node_modules/twofa/package.json"), "utf8"));
  assert.equal(pkg.name, "twofa");
  assert.equal(pkg.license, "MIT OR Apache-2.0");
  assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
  assert.equal(pkg.exports["."].node.import.default, "./node.mjs");
  assert.equal(pkg.exports["."].node.require.default, "./node.cjs");
  assert.equal(pkg.exports["."].default, "./twofa.js");
});

for (const flavour of ["esm", "cjs"]) {
  describe(`require or import: ${flavour}`, () => {
    test("every vector and every error code, with no init step", () => {
      assert.deepEqual(check(both[flavour]), []);
    });

    test("init() is accepted and changes nothing in Node", async () => {
      const t = both[flavour];
      await t.default();
      assert.equal(new t.Totp({ secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", digits: 8 }).generate(59_000), "94287082");
    });

    test("generated secrets come from the CSPRNG", () => {
      const { Secret } = both[flavour];
      const seen = new Set();
      for (let i = 0; i < 500; i++) {
        const s = Secret.generate();
        assert.equal(s.byteLength, 20);
        seen.add(s.toBase32());
        s.free();
      }
      assert.equal(seen.size, 500);
      // Across 500 × 20 bytes, every byte value shows up: not a constant or a counter.
      const bytes = new Set();
      for (let i = 0; i < 50; i++) for (const b of Secret.generate(64).toBytes()) bytes.add(b);
      assert.equal(bytes.size, 256);
    });

    test("verify: window order, replay guard, normalised tokens", () => {
      const { Totp } = both[flavour];
      const totp = new Totp({ secret: "JBSWY3DPEHPK3PXP" });
      const now = 1_700_000_000_000;
      const code = totp.generate(now);
      const match = totp.verify(` ${code.slice(0, 3)}-${code.slice(3)} `, { timestamp: now });
      assert.deepEqual(match, { delta: 0, step: totp.stepAt(now) });
      assert.equal(totp.verify(code, { timestamp: now, afterStep: match.step }), null);
      assert.deepEqual(totp.verify(totp.generate(now + 60_000), { timestamp: now, window: { past: 0, future: 2 } }), {
        delta: 2,
        step: match.step + 2,
      });
      assert.equal(totp.verify(totp.generate(now + 60_000), { timestamp: now }), null);
      assert.equal(totp.remaining(now), 10_000);
      // The default timestamp is the current time.
      assert.ok(totp.verify(totp.generate()));
      assert.equal(totp.stepAt(), Math.floor(Date.now() / 30_000));
    });

    test("a Secret passed to a constructor stays usable", () => {
      const { Secret, Totp, Hotp } = both[flavour];
      const secret = Secret.fromBase32("JBSWY3DPEHPK3PXP");
      const totp = new Totp({ secret });
      new Hotp({ secret });
      assert.equal(secret.toBase32(), "JBSWY3DPEHPK3PXP");
      assert.ok(totp.secret.equals(secret));
      assert.equal(String(secret), "Secret(10 bytes)");
      assert.equal(JSON.stringify({ secret }), '{"secret":"Secret(10 bytes)"}');
      secret.free();
      assert.equal(totp.generate(0), new Totp({ secret: "JBSWY3DPEHPK3PXP" }).generate(0));
    });
  });
}

test("the same codes as otpauth and otplib for random secrets and options", () => {
  const { Secret, Totp, Hotp } = both.esm;
  const algorithms = ["SHA1", "SHA256", "SHA512"];
  for (let i = 0; i < 300; i++) {
    const secret = Secret.generate(16 + (i % 49));
    const base32 = secret.toBase32();
    const algorithm = algorithms[i % 3];
    const digits = 6 + (i % 5);
    const period = [30, 60, 1, 17][i % 4];
    const timestamp = Math.floor(Math.random() * 4e12);
    const counter = Math.floor(Math.random() * 2 ** 40);
    const ours = new Totp({ secret, algorithm, digits, period });
    const theirs = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(base32), algorithm, digits, period });
    const label = `${algorithm} ${digits} digits ${period}s at ${timestamp}`;
    assert.equal(ours.generate(timestamp), theirs.generate({ timestamp }), label);
    const hotp = new Hotp({ secret, algorithm, digits });
    const theirHotp = new OTPAuth.HOTP({ secret: OTPAuth.Secret.fromBase32(base32), algorithm, digits });
    assert.equal(hotp.generate(counter), theirHotp.generate({ counter }), `HOTP ${label} counter ${counter}`);
    if (digits <= 8) {
      const lib = otplibGenerate({ secret: base32, algorithm: algorithm.toLowerCase(), digits, period, epoch: Math.floor(timestamp / 1000) });
      assert.equal(ours.generate(timestamp), lib, `otplib ${label}`);
    }
    secret.free();
  }
});
