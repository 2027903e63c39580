// The built package, installed as a consumer would install it, in Node.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import * as OTPAuth from "otpauth";
import { generateSync as otplibGenerate } from "otplib";
import { installConsumer, loadBoth, ROOT } from "./helpers.mjs";
import { check } from "./vectors.mjs";

let consumer;
let both;
before(async () => {
  consumer = installConsumer("node");
  both = await loadBoth(consumer.dir);
});

test("the tarball holds the package and nothing else", () => {
  assert.deepEqual(consumer.files, [
    "LICENSE-APACHE", "LICENSE-MIT", "README.md", "node.cjs", "node.d.cts", "node.d.mts", "node.mjs",
    "package.json", "twofa.d.ts", "twofa.js", "twofa_bg.wasm", "wasm-url.d.ts",
  ]);
  const pkg = JSON.parse(readFileSync(join(consumer.dir, "node_modules/twofa/package.json"), "utf8"));
  assert.equal(pkg.name, "twofa");
  assert.equal(pkg.license, "MIT OR Apache-2.0");
  assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
  assert.equal(pkg.exports["."].node.import.default, "./node.mjs");
  assert.equal(pkg.exports["."].node.require.default, "./node.cjs");
  assert.equal(pkg.exports["."].default, "./twofa.js");
});

test("the types compile in a Node project without the DOM lib, from import and require", () => {
  const dir = consumer.dir;
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, exactOptionalPropertyTypes: true, target: "es2022",
      module: "nodenext", moduleResolution: "nodenext", lib: ["es2022"], types: ["node"],
      typeRoots: [join(ROOT, "node_modules/@types")],
    },
    files: ["esm.mts", "cjs.cts"],
  }));
  writeFileSync(join(dir, "esm.mts"), [
    'import init, { Secret, Totp, type TotpMatch } from "twofa";',
    "await init();",
    "let lastStep: number | undefined;",
    'const totp = new Totp({ secret: Secret.generate(), issuer: undefined });',
    "const match: TotpMatch | null = totp.verify(totp.generate(), { afterStep: lastStep });",
    "lastStep = match?.step;",
    "// @ts-expect-error: digits is a number",
    'new Totp({ secret: "JBSWY3DPEHPK3PXP", digits: "6" });',
  ].join("\n"));
  writeFileSync(join(dir, "cjs.cts"), [
    'import twofa = require("twofa");',
    'const code: string = new twofa.Hotp({ secret: "JBSWY3DPEHPK3PXP", counter: 1n }).generate();',
    "export = code;",
  ].join("\n"));
  execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir], { stdio: "pipe" });
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
      // Across 200 × 64 bytes every byte value shows up (a miss has odds of about e^-50):
      // not a constant, not a counter.
      const bytes = new Set();
      for (let i = 0; i < 200; i++) for (const b of Secret.generate(64).toBytes()) bytes.add(b);
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
      const before = Math.floor(Date.now() / 30_000);
      const step = totp.stepAt();
      assert.ok(step === before || step === Math.floor(Date.now() / 30_000), `${step} vs ${before}`);
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
    const label = `${base32} ${algorithm} ${digits} digits ${period}s at ${timestamp}`;
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

test("otpauth:// URIs interoperate with otpauth, and the README's otpauth column holds", () => {
  const { buildUri, parseUri, Totp, Hotp } = both.esm;
  const algorithms = ["SHA1", "SHA256", "SHA512"];
  for (let i = 0; i < 200; i++) {
    const hotp = i % 2 === 1;
    const options = {
      type: hotp ? "hotp" : "totp",
      secret: both.esm.Secret.generate(16 + (i % 20)).toBase32(),
      issuer: `Issuer ${i} & Co`,
      account: `user+${i}@example.com`,
      algorithm: algorithms[i % 3],
      digits: [6, 8][i % 2],
      ...(hotp ? { counter: i * 7919 } : { period: [30, 60][i % 2] }),
    };
    const ours = buildUri(options);
    // otpauth reads twofa's URI and makes the same codes.
    const theirs = OTPAuth.URI.parse(ours);
    const theirUri = theirs.toString(); // before generate(): otpauth's HOTP counts up as it generates
    const at = 1_700_000_000_000 + i * 1234567;
    const mine = hotp ? Hotp.fromUri(ours) : Totp.fromUri(ours);
    assert.equal(theirs.issuer, options.issuer);
    assert.equal(theirs.label, options.account);
    assert.equal(mine.generate(hotp ? undefined : at), hotp ? theirs.generate() : theirs.generate({ timestamp: at }), ours);
    // twofa reads otpauth's own URI to the same account.
    const back = parseUri(theirUri);
    const fields = (o) => [o.type, o.issuer, o.account, o.secret, o.algorithm, o.digits, o.period, o.counter];
    assert.deepEqual(fields(back), fields(options));
    mine.free();
  }
  // The README says otpauth cannot read back its own URI for this issuer, and twofa can.
  const star = new OTPAuth.TOTP({ issuer: "Star Trek: Website", label: "kirk", secret: OTPAuth.Secret.fromBase32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP") }).toString();
  assert.equal(OTPAuth.URI.parse(star).label, " Website:kirk");
  const ours = parseUri(star);
  assert.deepEqual([ours.issuer, ours.account, ours.warnings.length], ["Star Trek: Website", "kirk", 0]);
  // and that otpauth keeps a `+` in issuer=Air+Canada, where twofa reads a space.
  assert.equal(OTPAuth.URI.parse("otpauth://totp/a?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Air+Canada").issuer, "Air+Canada");
  assert.equal(parseUri("otpauth://totp/a?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Air+Canada").issuer, "Air Canada");
});

test("flow records and tokens match node:crypto, so the documented formats are exact", async () => {
  const { createHmac, pbkdf2Sync } = await import("node:crypto");
  const t = both.esm;
  const b64url = (buf) => Buffer.from(buf).toString("base64url");
  // Backup codes: PBKDF2-HMAC-SHA-256 of the code without hyphens, under the record's salt.
  const set = t.generateBackupCodes({ count: 4 });
  assert.equal(set.record.iterations, 10_000);
  set.codes.forEach((code, i) => {
    const hash = pbkdf2Sync(code.replaceAll("-", ""), Buffer.from(set.record.salt, "base64url"), 10_000, 32, "sha256");
    assert.equal(set.record.hashes[i], b64url(hash));
  });
  // Recovery codes: HMAC-SHA-256 under the salt of user, a zero byte, and the code.
  const rec = t.issueRecoveryCode({ user: "ada" });
  const recHash = createHmac("sha256", Buffer.from(rec.record.salt, "base64url")).update(`ada\0${rec.code.replaceAll("-", "")}`).digest();
  assert.equal(rec.record.hash, b64url(recHash));
  // Verification codes: HMAC-SHA-256 of the digits under the salt.
  const sent = t.issueVerificationCode();
  assert.equal(sent.record.hash, b64url(createHmac("sha256", Buffer.from(sent.record.salt, "base64url")).update(sent.code).digest()));
  // Device tokens: payload.tag, the tag HMAC-SHA-256 of a domain string and the payload.
  const key = Buffer.alloc(32, 9);
  const now = 1_700_000_000_000;
  const { token } = t.issueDeviceToken(new Uint8Array(key), { user: "ada", deviceId: "dev-1", label: "Safari", ttl: 5000, now });
  const [payload, tag] = token.split(".").map((p) => Buffer.from(p, "base64url"));
  assert.equal(b64url(createHmac("sha256", key).update("twofa trusted device v1\0").update(payload).digest()), b64url(tag));
  assert.equal(payload[0], 1);
  assert.equal(payload.readBigInt64BE(1), BigInt(now));
  assert.equal(payload.readBigInt64BE(9), BigInt(now + 5000));
  assert.equal(payload.subarray(18, 18 + payload[17]).toString(), "dev-1");
  // Then the label after its 2-byte length, and the user after its 1-byte length.
  assert.equal(payload.readUInt16BE(23), 6);
  assert.equal(payload.subarray(25, 31).toString(), "Safari");
  assert.equal(payload.subarray(32, 32 + payload[31]).toString(), "ada");
  // A token forged by node:crypto with the right key is accepted; with another, refused.
  const forge = (k, id) => {
    const p = Buffer.concat([Buffer.from([1]), payload.subarray(1, 17), Buffer.from([id.length]), Buffer.from(id), Buffer.from([0, 0, 3]), Buffer.from("ada")]);
    return `${b64url(p)}.${b64url(createHmac("sha256", k).update("twofa trusted device v1\0").update(p).digest())}`;
  };
  assert.deepEqual(t.verifyDeviceToken(new Uint8Array(key), forge(key, "made-in-node"), { now, user: "ada" }), {
    ok: true, deviceId: "made-in-node", label: "", issuedAt: now, expiresAt: now + 5000, keyIndex: 0, user: "ada",
  });
  assert.deepEqual(t.verifyDeviceToken(new Uint8Array(key), forge(Buffer.alloc(32, 8), "x"), { now, user: "ada" }), { ok: false, reason: "BAD_SIGNATURE" });
});
