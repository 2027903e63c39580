// Writes the first corpus of each `import_<family>` fuzz target (fuzz/corpus/import_<family>/)
// from the project's own import fixtures (tests/fixtures/import/<family>/, made by the
// generators of scripts/import-fixtures/), as fuzz/checks/import.rs reads an input: a flag
// byte, the password when bit 0 is set (a length byte and its text; bit 1 adds " 🔑" to
// it), then the file. Each fixture goes in without a password, with its tests' password,
// and with a password no message could hold. Run it again when fixtures are added:
//
//   node scripts/fuzz-import-seeds.mjs [fixtures-dir ...]   (default tests/fixtures/import)
//
// Files over 32 KiB are left out: a corpus stays small. Nothing from the shared import
// corpus goes in.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const roots = process.argv.length > 2 ? process.argv.slice(2) : [join(ROOT, "tests/fixtures/import")];

/** Each family of `READERS` (src/transfer/import/mod.rs): its fixture folder, its tests' passwords, and inputs of its own. */
const FAMILIES = {
  zip: { dir: "zip", passwords: ["fixture password", "winauth"] },
  freeotp: { dir: "freeotp", passwords: ["freeotp fixture"] },
  stratum: { dir: "stratum", passwords: ["stratum fixture"] },
  andotp: { dir: "andotp", passwords: ["andotp password"] },
  "totp-authenticator": { dir: "totp_authenticator", passwords: ["Totp password1"] },
  battlenet: { dir: "battlenet" },
  aegis: { dir: "aegis", passwords: ["correct horse \u00fc"] },
  twofas: { dir: "twofas", passwords: ["correct horse"] },
  bitwarden: { dir: "bitwarden", passwords: ["correct horse battery staple"] },
  ente: { dir: "ente", passwords: ["correct horse battery staple"] },
  proton: { dir: "proton", passwords: ["proton password"] },
  extension: { dir: "extension", passwords: ["correct horse battery staple"] },
  lastpass: { dir: "lastpass" },
  "freeotp-plus": { dir: "freeotp_plus" },
  steam: { dir: "steam", own: ['{"shared_secret":"SGVsbG8h3q2+7w==","account_name":"ada","serial_number":"1"}'] },
  text: { dir: "text" },
};

/** Small inputs every family starts from besides its fixtures. */
const COMMON = [
  "{}",
  "[]",
  "otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP&issuer=ACME\n",
  "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC\n",
];

const MAX_FILE = 32 << 10;
const sized = (text) => {
  const b = Buffer.from(text, "utf8");
  return Buffer.concat([Buffer.from([b.length]), b]);
};

/** The files under `dir`, recursively. */
function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile());
}

let written = 0;
for (const [family, { dir, passwords = [], own = [] }] of Object.entries(FAMILIES)) {
  const target = `import_${family.replaceAll("-", "_")}`;
  const out = join(ROOT, "fuzz/corpus", target);
  mkdirSync(out, { recursive: true });
  const inputs = [...COMMON, ...own].map((t) => Buffer.concat([Buffer.from([0]), Buffer.from(t)]));
  for (const root of roots) {
    for (const file of files(join(root, dir))) {
      const bytes = readFileSync(file);
      if (bytes.length > MAX_FILE) continue;
      inputs.push(Buffer.concat([Buffer.from([0]), bytes]));
      for (const password of passwords) inputs.push(Buffer.concat([Buffer.from([1]), sized(password), bytes]));
      inputs.push(Buffer.concat([Buffer.from([3]), sized("not the password"), bytes]));
    }
  }
  for (const input of inputs) {
    const name = createHash("sha1").update(input).digest("hex");
    writeFileSync(join(out, name), input);
    written++;
  }
}
console.log(`${written} seeds written under fuzz/corpus/import_*`);
