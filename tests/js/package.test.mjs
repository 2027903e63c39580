// The built package, installed as a consumer would install it, in Node.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { before, describe, test } from "node:test";
import * as OTPAuth from "otpauth";
import { generateSync as otplibGenerate } from "otplib";
import { ENTRIES, installConsumer, loadBoth, ROOT } from "./helpers.mjs";
import { check } from "./vectors.mjs";

let consumer;
let both;
before(async () => {
  consumer = installConsumer("node");
  both = await loadBoth(consumer.dir);
});

test("the tarball holds the package and nothing else", () => {
  assert.deepEqual(consumer.files, [
    "LICENSE-APACHE", "LICENSE-MIT", "README.md", "SECURITY.md", "account.d.ts",
    "flows.cjs", "flows.d.ts", "flows.js", "flows.node.d.ts", "flows.node.mjs", "flows.workerd.js", "flows_bg.wasm",
    "import.cjs", "import.d.ts", "import.js", "import.node.d.ts", "import.node.mjs", "import.workerd.js", "import_bg.wasm",
    "migration.cjs", "migration.d.ts", "migration.js", "migration.node.d.ts", "migration.node.mjs", "migration.workerd.js", "migration_bg.wasm",
    "package.json",
    "qr.cjs", "qr.d.ts", "qr.js", "qr.node.d.ts", "qr.node.mjs", "qr.workerd.js", "qr_bg.wasm",
    "records/flows.d.ts", "records/import.d.ts", "records/migration.d.ts", "records/qr.d.ts", "records/twofa.d.ts", "records/vault.d.ts",
    "runtime.d.ts", "runtime.node.d.ts",
    "twofa.cjs", "twofa.d.ts", "twofa.js", "twofa.node.d.ts", "twofa.node.mjs", "twofa.workerd.js", "twofa_bg.wasm",
    "vault.cjs", "vault.d.ts", "vault.js", "vault.node.d.ts", "vault.node.mjs", "vault.workerd.js", "vault_bg.wasm",
    "wasm-url.d.ts",
  ]);
  const pkg = JSON.parse(readFileSync(join(consumer.dir, "node_modules/twofa/package.json"), "utf8"));
  assert.equal(pkg.name, "twofa");
  assert.equal(pkg.license, "MIT OR Apache-2.0");
  assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
  assert.equal(pkg.type, "module");
  assert.deepEqual([pkg.main, pkg.module, pkg.types], ["./twofa.cjs", "./twofa.js", "./twofa.d.ts"]);
  // Node and Workers files instantiate their module on import; the browser files wait for init().
  assert.deepEqual(pkg.sideEffects, [
    "./twofa.node.mjs", "./twofa.cjs", "./twofa.workerd.js", "./qr.node.mjs", "./qr.cjs", "./qr.workerd.js",
    "./migration.node.mjs", "./migration.cjs", "./migration.workerd.js", "./flows.node.mjs", "./flows.cjs",
    "./flows.workerd.js", "./vault.node.mjs", "./vault.cjs", "./vault.workerd.js", "./import.node.mjs", "./import.cjs",
    "./import.workerd.js",
  ]);
});

test("exports: every entry for Workers, Node import and require, types and bundlers, and every wasm file", () => {
  const pkg = JSON.parse(readFileSync(join(consumer.dir, "node_modules/twofa/package.json"), "utf8"));
  const entry = (name) => ({
    workerd: { types: `./${name}.node.d.ts`, default: `./${name}.workerd.js` },
    node: {
      import: { types: `./${name}.node.d.ts`, default: `./${name}.node.mjs` },
      require: { types: `./${name}.node.d.ts`, default: `./${name}.cjs` },
    },
    types: `./${name}.d.ts`,
    default: `./${name}.js`,
  });
  const wasm = (name) => ({ types: "./wasm-url.d.ts", default: `./${name}_bg.wasm` });
  assert.deepEqual(pkg.exports, {
    ".": entry("twofa"),
    "./twofa_bg.wasm": wasm("twofa"),
    "./qr": entry("qr"),
    "./qr_bg.wasm": wasm("qr"),
    "./migration": entry("migration"),
    "./migration_bg.wasm": wasm("migration"),
    "./flows": entry("flows"),
    "./flows_bg.wasm": wasm("flows"),
    "./vault": entry("vault"),
    "./vault_bg.wasm": wasm("vault"),
    "./import": entry("import"),
    "./import_bg.wasm": wasm("import"),
    "./package.json": "./package.json",
  });
  // Node resolves each subpath to the files the map names, from import and from require.
  const installed = join(consumer.dir, "node_modules/twofa");
  for (const [sub, name] of ENTRIES) {
    const resolved = spawnSync(process.execPath, [
      "--input-type=module", "-e",
      `import { createRequire } from "node:module"; const r = createRequire(process.cwd() + "/x.cjs");` +
        `console.log(JSON.stringify([import.meta.resolve(${JSON.stringify(sub)}), r.resolve(${JSON.stringify(sub)}), import.meta.resolve(${JSON.stringify(`twofa/${name}_bg.wasm`)})]))`,
    ], { cwd: consumer.dir, encoding: "utf8" });
    assert.equal(resolved.stderr, "");
    assert.deepEqual(JSON.parse(resolved.stdout), [
      `file://${installed}/${name}.node.mjs`, `${installed}/${name}.cjs`, `file://${installed}/${name}_bg.wasm`,
    ]);
  }
});

test("the types compile in a Node project without the DOM lib, every entry from import and require", () => {
  const dir = consumer.dir;
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, exactOptionalPropertyTypes: true, target: "es2022",
      module: "nodenext", moduleResolution: "nodenext", lib: ["es2022"], types: ["node"],
      typeRoots: [join(ROOT, "node_modules/@types")],
    },
    files: ["esm.mts", "cjs.cts"],
  }));
  // One expect-error per entry in each file: a line that must not type-check, so a
  // declaration that fell back to `any` fails the build.
  writeFileSync(join(dir, "esm.mts"), [
    'import init, { Secret, Totp, type TotpMatch } from "twofa";',
    'import initQr, { qrMatrix, type QrMatrix } from "twofa/qr";',
    'import initMigration, { buildMigrationUris, parseMigrationUri, type MigrationBatch } from "twofa/migration";',
    'import initFlows, { issueDeviceToken, verifyDeviceToken, type DeviceCheck } from "twofa/flows";',
    'import initVault, { VaultKey } from "twofa/vault";',
    'import initImport, { exportAegis, importAccounts, type ImportedAccount, type ImportFormat } from "twofa/import";',
    "await init();",
    "const buffers: ArrayBuffer[] = [await initQr(), await initMigration(), await initFlows(), await initVault(), await initImport()].map((i) => i.memory.buffer);",
    "let lastStep: number | undefined;",
    "const totp = new Totp({ secret: Secret.generate(), issuer: undefined });",
    "const match: TotpMatch | null = totp.verify(totp.generate(), { afterStep: lastStep });",
    "lastStep = match?.step;",
    "// @ts-expect-error: digits is a number",
    'new Totp({ secret: "JBSWY3DPEHPK3PXP", digits: "6" });',
    'const matrix: QrMatrix = qrMatrix(totp.toUri(), { ecc: "M" });',
    "// @ts-expect-error: ecc is L, M, Q or H",
    'qrMatrix(totp.toUri(), { ecc: "X" });',
    'const batch: MigrationBatch = parseMigrationUri(buildMigrationUris([{ secret: "JBSWY3DPEHPK3PXP", account: "ada" }]).uris[0] ?? "");',
    "// @ts-expect-error: an account's digits is a number",
    'buildMigrationUris([{ secret: "JBSWY3DPEHPK3PXP", digits: "6" }]);',
    "const key = new Uint8Array(32);",
    'const checked: DeviceCheck = verifyDeviceToken(key, issueDeviceToken(key, { deviceId: "d1", user: "ada" }).token, { user: "ada" });',
    "// @ts-expect-error: a Secret does not cross into twofa/flows; pass its bytes or base32 text",
    'issueDeviceToken(Secret.generate(32), { deviceId: "d1" });',
    'const sealed: string = VaultKey.derive("pw", { memoryKib: 7168, iterations: 5 }).seal("{}");',
    "// @ts-expect-error: a vault seals text",
    'VaultKey.derive("pw").seal({ accounts: [] });',
    'const imported: ImportedAccount[] = importAccounts(new Uint8Array(0), { password: "pw", maxMemoryMiB: 64 }).accounts;',
    'const format: ImportFormat = importAccounts(exportAegis(imported, { password: "pw" }), { password: "pw" }).format;',
    "// @ts-expect-error: the format is one of the names twofa reads",
    'const unknown: ImportFormat = "keepass";',
    "void [buffers, matrix, batch, checked, sealed, imported, format, unknown];",
  ].join("\n"));
  writeFileSync(join(dir, "cjs.cts"), [
    'import twofa = require("twofa");',
    'import qr = require("twofa/qr");',
    'import migration = require("twofa/migration");',
    'import flows = require("twofa/flows");',
    'import vault = require("twofa/vault");',
    'import imports = require("twofa/import");',
    'const code: string = new twofa.Hotp({ secret: "JBSWY3DPEHPK3PXP", counter: 1n }).generate();',
    "// @ts-expect-error: a counter is a number or a bigint",
    'new twofa.Hotp({ secret: "JBSWY3DPEHPK3PXP", counter: "1" });',
    'const svg: string = qr.qrSvg(code, { ecc: "H", light: null });',
    "// @ts-expect-error: decodeQr takes pixels, not a string",
    "qr.decodeQr(svg);",
    'const uris: string[] = migration.buildMigrationUris([{ type: "hotp", secret: "JBSWY3DPEHPK3PXP", counter: 1n }]).uris;',
    "// @ts-expect-error: an HOTP account needs type \"hotp\" for its counter",
    'migration.buildMigrationUris([{ type: "totp", secret: "JBSWY3DPEHPK3PXP", counter: 1 }]);',
    "const codes: string[] = flows.generateBackupCodes({ count: 4 }).codes;",
    "// @ts-expect-error: a device key is bytes or base32 text, not a number",
    'flows.issueDeviceToken(42, { deviceId: "d1" });',
    'const keyBytes: Uint8Array = vault.VaultKey.derive("pw").toBytes();',
    "// @ts-expect-error: keys come from derive, unlock or fromBytes",
    "new vault.VaultKey();",
    "const loaded: Promise<ArrayBuffer> = vault.default().then((i) => i.memory.buffer);",
    'const aegis: string = imports.exportAegis([{ secret: "JBSWY3DPEHPK3PXP", name: "ACME" }]);',
    "// @ts-expect-error: an export is text or bytes, not an object",
    "imports.importAccounts({ accounts: [] });",
    "export = [code, svg, uris, codes, keyBytes, loaded, aegis];",
  ].join("\n"));
  const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir], { encoding: "utf8" });
  assert.equal(tsc.stdout + tsc.stderr, "");
  assert.equal(tsc.status, 0);
});

test("a browser entry called before its init() throws NOT_INITIALIZED, then works once loaded", async () => {
  // The browser files, loaded in Node without init(): what a page that forgot one sees.
  const first = {
    twofa: (m) => m.Secret.generate(),
    qr: (m) => m.qrMatrix("twofa"),
    migration: (m) => m.parseMigrationUri("otpauth-migration://offline?data=CgA%3D"),
    flows: (m) => m.generateBackupCodes(),
    vault: (m) => m.VaultKey.derive("pw", { memoryKib: 7168, iterations: 5 }),
    import: (m) => m.exportAegis([]),
  };
  for (const [sub, name] of ENTRIES) {
    const file = join(consumer.dir, "node_modules/twofa", `${name}.js`);
    const m = await import(`${pathToFileURL(file).href}?before-init`);
    assert.throws(() => first[name](m), {
      name: "TwofaError",
      code: "NOT_INITIALIZED",
      message: `${sub} is not initialized: await its init() before the first call`,
    });
    m.initSync({ module: readFileSync(join(consumer.dir, "node_modules/twofa", `${name}_bg.wasm`)) });
    first[name](m);
  }
});

for (const flavour of ["esm", "cjs"]) {
  describe(`require or import: ${flavour}`, () => {
    test("every vector and every error code, with no init step", () => {
      assert.deepEqual(check(both[flavour]), []);
    });

    test("every entry's init() is accepted and changes nothing in Node", async () => {
      const t = both[flavour];
      const entries = both.entries[flavour];
      const memories = [];
      for (const [, name] of ENTRIES) {
        const first = await entries[name].default();
        const again = await entries[name].default();
        assert.ok(first.memory instanceof WebAssembly.Memory, name);
        // The module instantiated on import is kept, not replaced.
        assert.equal(again.memory, first.memory, name);
        assert.equal(entries[name].initSync({ module: new Uint8Array() }).memory, first.memory, name);
        memories.push(first.memory);
      }
      // Each entry has its own module.
      assert.equal(new Set(memories).size, ENTRIES.length);
      assert.equal(new t.Totp({ secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", digits: 8 }).generate(59_000), "94287082");
      assert.deepEqual(entries.qr.qrMatrix("twofa", { ecc: "L" }).size, 21);
      assert.equal(entries.vault.VaultKey.derive("pw", { memoryKib: 7168, iterations: 5 }).memoryKib, 7168);
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
  // Sealed backup codes: XChaCha20-Poly1305 (HChaCha20, then node's ChaCha20-Poly1305) under
  // HMAC-SHA-256 of a domain string keyed by the site key; each entry is the 24-byte nonce,
  // the code without hyphens and the tag; the domain, salt, iterations and index are the
  // associated data.
  const { createDecipheriv } = await import("node:crypto");
  const siteKey = Buffer.alloc(32, 7);
  const sealedSet = t.generateBackupCodes({ count: 3, key: new Uint8Array(siteKey) });
  const aeadKey = createHmac("sha256", siteKey).update("twofa backup codes key v1\0").digest();
  const u32 = (n) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  sealedSet.record.sealed.forEach((entry, i) => {
    const bytes = Buffer.from(entry, "base64url");
    const [nonce, ciphertext, tag] = [bytes.subarray(0, 24), bytes.subarray(24, -16), bytes.subarray(-16)];
    const aad = Buffer.concat([Buffer.from("twofa backup code v1\0"), Buffer.from(sealedSet.record.salt, "base64url"), u32(10_000), u32(i)]);
    const opener = createDecipheriv("chacha20-poly1305", hchacha20(aeadKey, nonce.subarray(0, 16)), Buffer.concat([Buffer.alloc(4), nonce.subarray(16)]), { authTagLength: 16 });
    opener.setAAD(aad, { plaintextLength: ciphertext.length });
    opener.setAuthTag(tag);
    assert.equal(Buffer.concat([opener.update(ciphertext), opener.final()]).toString(), sealedSet.codes[i].replaceAll("-", ""));
  });
  // Action links: payload.tag under their own domain; the payload ends in a 16-byte tag of
  // the state, never the state.
  const state = "2fa:rev=41:secret=s-7";
  const link = t.issueActionLink(new Uint8Array(key), { purpose: "reset-totp", user: "ada", state, ttl: 5000, now });
  const [lp, lt] = link.token.split(".").map((p) => Buffer.from(p, "base64url"));
  assert.equal(b64url(createHmac("sha256", key).update("twofa action link v1\0").update(lp).digest()), b64url(lt));
  const stateTag = createHmac("sha256", key).update("twofa action link state v1\0").update(state).digest().subarray(0, 16);
  assert.deepEqual(
    [lp[0], lp.readBigInt64BE(1), lp.readBigInt64BE(9), b64url(lp.subarray(17, 33)), lp.subarray(34, 34 + lp[33]).toString(), lp.subarray(45, 45 + lp[44]).toString(), b64url(lp.subarray(48))],
    [1, BigInt(now), BigInt(now + 5000), link.linkId, "reset-totp", "ada", b64url(stateTag)],
  );
  assert.equal(lp.length, 64);
  const forgeLink = (k, user) => {
    const p = Buffer.concat([lp.subarray(0, 44), Buffer.from([user.length]), Buffer.from(user), stateTag]);
    return `${b64url(p)}.${b64url(createHmac("sha256", k).update("twofa action link v1\0").update(p).digest())}`;
  };
  assert.deepEqual(t.verifyActionLink(new Uint8Array(key), forgeLink(key, "bob"), { purpose: "reset-totp", user: "bob", state, now }), {
    ok: true, linkId: link.linkId, purpose: "reset-totp", user: "bob", issuedAt: now, expiresAt: now + 5000, keyIndex: 0,
  });
  assert.deepEqual(t.verifyActionLink(new Uint8Array(key), forgeLink(Buffer.alloc(32, 8), "bob"), { purpose: "reset-totp", user: "bob", state, now }), { ok: false, reason: "BAD_SIGNATURE" });
});

/** HChaCha20 (draft-irtf-cfrg-xchacha §2.2): XChaCha20's subkey from a key and 16 nonce bytes. */
function hchacha20(key, nonce) {
  const s = new Uint32Array(16);
  s.set([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);
  for (let i = 0; i < 8; i++) s[4 + i] = key.readUInt32LE(4 * i);
  for (let i = 0; i < 4; i++) s[12 + i] = nonce.readUInt32LE(4 * i);
  const rotl = (v, n) => (v << n) | (v >>> (32 - n));
  const quarter = (a, b, c, d) => {
    s[a] += s[b]; s[d] = rotl(s[d] ^ s[a], 16);
    s[c] += s[d]; s[b] = rotl(s[b] ^ s[c], 12);
    s[a] += s[b]; s[d] = rotl(s[d] ^ s[a], 8);
    s[c] += s[d]; s[b] = rotl(s[b] ^ s[c], 7);
  };
  for (let round = 0; round < 10; round++) {
    quarter(0, 4, 8, 12); quarter(1, 5, 9, 13); quarter(2, 6, 10, 14); quarter(3, 7, 11, 15);
    quarter(0, 5, 10, 15); quarter(1, 6, 11, 12); quarter(2, 7, 8, 13); quarter(3, 4, 9, 14);
  }
  const out = Buffer.alloc(32);
  [0, 1, 2, 3, 12, 13, 14, 15].forEach((w, i) => out.writeUInt32LE(s[w], 4 * i));
  return out;
}

test("every entry's ErrorCode type is the README's table of codes, in order", () => {
  const readme = readFileSync(join(consumer.dir, "node_modules/twofa/README.md"), "utf8");
  const table = readme.slice(readme.indexOf("## Errors"));
  const documented = [...table.slice(0, table.indexOf("\n\n", table.indexOf("| `code`"))).matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
  assert.equal(documented.length, 30);
  for (const [, name] of ENTRIES) {
    const dts = readFileSync(join(consumer.dir, `node_modules/twofa/records/${name}.d.ts`), "utf8");
    const union = dts.slice(dts.indexOf("export type ErrorCode ="), dts.indexOf(";", dts.indexOf("export type ErrorCode =")));
    assert.deepEqual([...union.matchAll(/"([A-Z0-9_]+)"/g)].map((m) => m[1]), documented, name);
  }
});
