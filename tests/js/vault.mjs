// The vault in every runtime: vaults sealed by libsodium and the Argon2 reference
// implementation (tests/fixtures/vault, from scripts/vault-fixtures.py) open, and
// twofa's own vaults refuse a wrong passphrase and any change.

/** [passphrase, plaintext, vault] from tests/fixtures/vault/cases.json. */
const SEALED = [
 [
  "correct horse battery staple",
  "{\"accounts\":[]}",
  "$twofa-vault$v=1$argon2id$m=64,t=1,p=1$AAECAwQFBgcICQoLDA0ODw$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7$njR6gpAEom8oUuz2V1BVUYN7jbHtcVnYVcRu8WkBJA"
 ],
 [
  "pässwörd 🔑",
  "otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP",
  "$twofa-vault$v=1$argon2id$m=256,t=2,p=1$AAECAwQFBgcICQoLDA0ODw$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7$8Rtm4aODhs9v0c6byBV_A9DHAUxusvzeNgF2EP8AeRETOJA_OzvpVIPuqxlFDBHipGLpixNu9Q2ZBQrFXohE"
 ],
 [
  "",
  "",
  "$twofa-vault$v=1$argon2id$m=8,t=1,p=1$AAECAwQFBgcICQoLDA0ODw$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7$EzmIrnd9Pp79uUlVV_-L4A"
 ]
];

/** Light costs keep the shared cases fast; the default is 64 MiB and 3 passes. */
const LIGHT = { memoryKib: 64, iterations: 1 };

export const VAULT_ERRORS = [
  [(t) => t.VaultKey.unlock("pw", "not a vault"), "INVALID_VAULT", "invalid vault: text is not a twofa vault (version 1)"],
  [(t) => t.VaultKey.derive("pw", { memoryKib: 4 }), "INVALID_VAULT", "invalid vault: m must be from 8 to 1048576 KiB"],
  [(t) => t.VaultKey.derive("pw", { iterations: 0 }), "INVALID_VAULT", "invalid vault: t must be from 1 to 16"],
  [(t) => t.VaultKey.derive(42), "INVALID_OPTIONS", "passphrase must be a string"],
  [(t) => t.VaultKey.derive("x".repeat(1025)), "INVALID_OPTIONS", "passphrase must be at most 1024 characters"],
  [(t) => t.VaultKey.fromBytes(new Uint8Array(55)), "INVALID_VAULT", "invalid vault: key bytes are malformed"],
  [(t) => t.VaultKey.unlock("wrong", SEALED[0][2]).open(SEALED[0][2]), "WRONG_PASSPHRASE", "wrong passphrase, or the vault was changed"],
  [(t) => t.VaultKey.unlock("pässwörd 🔑", SEALED[1][2], { maxMemoryKib: 128 }), "INVALID_VAULT", "invalid vault: vault asks for more work than this reader allows"],
  [(t) => t.VaultKey.unlock("pässwörd 🔑", SEALED[1][2], { maxIterations: 1 }), "INVALID_VAULT", "invalid vault: vault asks for more work than this reader allows"],
];

export function checkVault(t, expect) {
  for (const [passphrase, plaintext, vault] of SEALED) {
    const key = t.VaultKey.unlock(passphrase, vault, { maxMemoryKib: 256, maxIterations: 2 });
    expect(`vault fixture ${JSON.stringify(passphrase)}`, key.open(vault), plaintext);
    key.free();
  }
  const key = t.VaultKey.derive("correct horse 🔑", LIGHT);
  expect("vault cost", `${key.memoryKib}/${key.iterations}`, "64/1");
  const text = JSON.stringify({ accounts: ["otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP"] });
  const a = key.seal(text);
  const b = key.seal(text);
  expect("vault header", a.startsWith("$twofa-vault$v=1$argon2id$m=64,t=1,p=1$"), true);
  expect("vault nonce is new each time", a === b, false);
  expect("vault reopens", t.VaultKey.unlock("correct horse 🔑", a).open(a), text);
  expect("vault key bytes", t.VaultKey.fromBytes(key.toBytes()).open(b), text);
  // One character changed anywhere in the ciphertext or nonce: never opens.
  const start = a.lastIndexOf("$", a.length - 30) - 30;
  for (let i = Math.max(start, 0); i < a.length; i += 3) {
    const changed = a.slice(0, i) + (a[i] === "A" ? "B" : "A") + a.slice(i + 1);
    let code = "opened";
    try {
      key.open(changed);
    } catch (err) {
      code = err.code;
    }
    expect(`vault changed at ${i}`, code === "WRONG_PASSPHRASE" || code === "INVALID_VAULT", true);
  }
  key.free();
}
