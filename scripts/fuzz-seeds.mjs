// Writes the first corpus of every fuzz target (fuzz/corpus/<target>/) from the tests'
// own vectors: URIs of tests/uri.rs, exports of tests/fixtures/migration, vaults of
// tests/fixtures/vault, QR codes drawn small, and records whose hashes match their codes.
// Run once: `make fuzz` grows the corpora and minimises them. Every file stays small.
import { createHash, createHmac, pbkdf2Sync } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import QRCode from "qrcode";

const root = new URL("../", import.meta.url);
const read = (path) => readFileSync(new URL(path, root), "utf8");
const seeds = new Map();

function seed(target, bytes) {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, "utf8");
  if (!seeds.has(target)) seeds.set(target, new Map());
  const name = createHash("sha1").update(buf).digest("hex");
  seeds.get(target).set(name, buf);
}

const u16 = (n) => Buffer.from([n & 255, (n >> 8) & 255]);
const u32 = (n) => Buffer.from([n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255]);
const i64 = (n) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt(n));
  return b;
};
const sized = (text) => {
  const b = Buffer.from(text, "utf8");
  return Buffer.concat([Buffer.from([b.length]), b]);
};
const b64 = (bytes) => Buffer.from(bytes).toString("base64url");

// --- base32 and tokens
const KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
for (const text of [
  KEY, "jbsw y3dp ehpk 3pxp", "JBSWY3DPEHPK3PXP====", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
  "MZXW6YTBOI", "MY", "JBSW Y3D!", "A", "ABC", "MZXW6===Y", "JBSW-Y3DP-EHPK-3PXP", "é7",
]) seed("base32_token", text);
for (const [format, token] of [[0, "287 082"], [2, "94287082"], [4, "1234567890"], [5, "2bcdf"], [0, "12-34-56"], [5, "YX 9"]]) {
  seed("base32_token", Buffer.concat([Buffer.from([format]), u32(59), Buffer.from(token)]));
}

// --- otpauth:// URIs
const uris = new Set();
for (const m of read("tests/uri.rs").matchAll(/"((?:otpauth|OTPAUTH)[^"]*)"/g)) {
  uris.add(m[1].replaceAll("{s}", KEY).replace(/\{[a-z_]*\}/g, ""));
}
for (const uri of uris) seed("uri", uri);

// --- Google Authenticator exports: the URI, and its payload alone
for (const c of JSON.parse(read("tests/fixtures/migration/cases.json"))) {
  if (typeof c.uri !== "string") continue;
  seed("migration", c.uri);
  const data = new URL(c.uri.replace("otpauth-migration:", "http:")).searchParams.get("data");
  if (data) seed("migration", Buffer.from(data, "base64"));
}

// --- QR codes: drawn small (one pixel a module), and texts to draw
for (const [text, ecc] of [["otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP&issuer=ACME", "M"], ["hello", "L"], ["12345678901234567890", "H"]]) {
  const qr = QRCode.create(text, { errorCorrectionLevel: ecc });
  const size = qr.modules.size;
  const margin = 4;
  const side = size + 2 * margin;
  const luma = Buffer.alloc(side * side, 255);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (qr.modules.get(y, x)) luma[(y + margin) * side + x + margin] = 0;
    }
  }
  seed("qr", Buffer.concat([Buffer.from([0, 0]), u16(side - 1), luma]));
  seed("qr", Buffer.concat([Buffer.from([2, 1, 1]), sized("#000"), sized("white"), Buffer.from(text)]));
}
seed("qr", Buffer.concat([Buffer.from([1]), u32(16385), u32(1), Buffer.from([0]), Buffer.from("x")]));
seed("qr", Buffer.concat([Buffer.from([1]), u32(3), u32(3), Buffer.from([1]), Buffer.alloc(9)]));
seed("qr", Buffer.concat([Buffer.from([2, 3, 2]), sized("rgb(0 0 0)"), sized("#fff\""), Buffer.from("x")]));

// --- vaults: as text, and keys to seal with
for (const c of JSON.parse(read("tests/fixtures/vault/cases.json"))) {
  seed("vault", Buffer.concat([Buffer.from([0]), Buffer.from(c.vault)]));
}
seed("vault", Buffer.concat([Buffer.from([0]), Buffer.from("$twofa-vault$v=1$argon2id$m=8,t=1,p=1$AAECAwQFBgcICQoLDA0ODw$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7$AAAAAAAAAAAAAAAAAAAAAA")]));
seed("vault", Buffer.concat([Buffer.from([0]), Buffer.from("$twofa-vault$v=1$argon2id$m=2000000,t=99,p=1$$$")]));
seed("vault", Buffer.concat([Buffer.from([1]), u32(64), Buffer.from([1]), Buffer.alloc(48, 7), Buffer.alloc(24, 9), u16(30), Buffer.from("{\"accounts\":[]}")]));

// --- device tokens and action links
const signingKey = Buffer.from("fuzzing key, 32 bytes, not 31 ok");
for (const [kind, fields] of [
  [1, [sized(""), sized("ada"), sized("laptop-1"), sized("Firefox on Linux"), i64(30 * 86400000), i64(1.7e12), Buffer.from([0]), u16(5), Buffer.from([65])]],
  [3, [sized(""), sized(""), sized("d"), sized(""), i64(1), i64(0), Buffer.from([0]), u16(0), Buffer.from([0])]],
  [2, [sized(""), sized("reset-2fa"), sized("ada@example.com"), sized("2fa:rev=41:secret=s-7"), i64(3600000), i64(1.7e12), Buffer.from([0]), u16(7), Buffer.from([66]), i64(42)]],
  [2, [sized("another key of 16b"), sized("confirm-address"), sized("u"), sized(""), i64(1), i64(-5), Buffer.from([0]), u16(99), Buffer.from([46]), i64(7)]],
]) seed("device_link", Buffer.concat([Buffer.from([kind]), ...fields]));
const mac = createHmac("sha256", signingKey).update("twofa trusted device v1\0").update("forged").digest();
for (const token of ["", ".", "eyJ.abc", `Zm9yZ2Vk.${b64(mac)}`, "AQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]) {
  seed("device_link", Buffer.concat([Buffer.from([0]), Buffer.from(token)]));
}

// --- records, with hashes that match their codes
const now = 1_700_000_000_000;
const salt = Buffer.alloc(16, 3);
const record = (kind, json, typed) =>
  seed("records", Buffer.concat([Buffer.from([kind]), i64(now), Buffer.from(JSON.stringify(json)), Buffer.from([0]), Buffer.from(typed)]));
const backupCodes = ["ABCD-EFGH-JKMN", "0123-4567-89AB"];
const pbkdf2 = (code, iterations) => b64(pbkdf2Sync(code.replaceAll("-", ""), salt, iterations, 32, "sha256"));
record(0, { version: 1, iterations: 1000, salt: b64(salt), hashes: backupCodes.map((c) => pbkdf2(c, 1000)), createdAt: now, revision: 1 }, "abcd efgh jkmn");
record(0, { version: 1, iterations: 10, salt: b64(salt), hashes: [null, pbkdf2(backupCodes[1], 10)], createdAt: now, revision: 2 }, "0123-4567-89AB");
record(0, { version: 1, iterations: 10000, salt: b64(salt), hashes: [pbkdf2(backupCodes[0], 1)], sealed: [null], createdAt: now }, "x");
record(1, { version: 1, questions: ["First pet?", "Town?"], memoryKib: 19456, passes: 2, salt: b64(salt), hash: b64(Buffer.alloc(32, 1)), createdAt: now, revision: 1 }, "fluffy");
record(1, { version: 1, questions: ["Q"], memoryKib: 1048576, passes: 99, salt: b64(salt), hash: b64(Buffer.alloc(32, 1)), createdAt: now, revision: 1 }, "a");
const hmac = (key, ...parts) => { const h = createHmac("sha256", key); for (const p of parts) h.update(p); return b64(h.digest()); };
record(2, { digits: 6, salt: b64(salt), hash: hmac(salt, "123456"), expiresAt: now + 600000, attemptsLeft: 5, used: false, revision: 1 }, "123 456");
record(2, { digits: 8, salt: b64(salt), hash: hmac(salt, "12345678"), expiresAt: now - 1, attemptsLeft: 0, used: true }, "12345678");
const recovery = "ABCD-EFGH-JKMN-PQRS";
record(3, [{ user: "ada", salt: b64(salt), hash: hmac(salt, "ada", "\0", recovery.replaceAll("-", "")), issuedAt: now, expiresAt: now + 3600000, usedAt: null, revision: 1 }], "ada\nabcd-efgh-jkmn-pqrs");
record(3, [{ user: "bob", salt: b64(salt), hash: b64(Buffer.alloc(32)), issuedAt: now, expiresAt: now, usedAt: now, revision: 3 }], "bob\nABCD");
record(4, { failures: 7, lockedUntil: now + 4000, revision: 9 }, "");
record(4, { failures: 4294967295, lockedUntil: 8640000000000000, revision: 9007199254740991 }, "");
record(5, ["a\"b\\c\n\u0001é", "🔑"], "");
seed("records", Buffer.concat([Buffer.from([5]), i64(0), Buffer.from('[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]')]));

for (const [target, files] of seeds) {
  const dir = new URL(`fuzz/corpus/${target}/`, root);
  mkdirSync(dir, { recursive: true });
  for (const [name, buf] of files) writeFileSync(new URL(name, dir), buf);
  console.log(`${target}: ${files.size} seeds`);
}
