// The vault in every runtime: vaults sealed by libsodium and the Argon2 reference
// implementation (tests/fixtures/vault, from scripts/vault-fixtures.py), versions 1 and 2,
// open; vaults twofa sealed before version 2 still open; twofa's own vaults refuse a wrong
// passphrase and any change; passphrases are NFC and never hold a lone surrogate; a vault
// asks for at least the floor's work.

/** [passphrase, plaintext, vault] from tests/fixtures/vault/cases.json. */
const SEALED = [
  ["correct horse battery staple", "{\"accounts\":[]}", "$twofa-vault$v=1$argon2id$m=7168,t=5,p=1$AAECAwQFBgcICQoLDA0ODw$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7$W4wY3gikUb-dGgX8xxI1Pzt2J8YSHrdvh6RdoRxPuA"],
  ["p\u00e4ssw\u00f6rd \ud83d\udd11", "otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP", "$twofa-vault$v=1$argon2id$m=9216,t=4,p=1$AAECAwQFBgcICQoLDA0ODw$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7$kbsY7tQRMyvvGeaGyah7wRG7UgO59wlDp5unidu5OynthtyWv4rG78MRCOVLGydMfQNK5sTeIimLMVI81hxh"],
  ["", "", "$twofa-vault$v=1$argon2id$m=12288,t=3,p=1$AAECAwQFBgcICQoLDA0ODw$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7$4DB4ZpOrjzlq6HkWTilk2g"],
  ["correct horse battery staple", "{\"accounts\":[]}", "$twofa-vault$v=2$argon2id$m=7168,t=5,p=1$AAECAwQFBgcICQoLDA0ODw$2NzBp4wbJLr0BcQoZP1qlyH07WSiS31WSpEWCX_Iwv0$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7$mR24PwIIuNOSmpoICtWJVcB25dPCIUlakMx2vh3CGg"],
  ["pa\u0308sswo\u0308rd \ud83d\udd11", "otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP", "$twofa-vault$v=2$argon2id$m=19456,t=2,p=1$AAECAwQFBgcICQoLDA0ODw$wfxTtQH_z8XUAHzd2zI3C3gvsIdImZ3mXjSDY7YMD4E$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7$bhIo6KIflSH66g9CgX8ygFXIAoM_VejDGKlwNHafh-h5cIaI7SErL8ZCC_QfCy0Oq9PgMsmwWWtzwN9DbjuC"],
  ["", "", "$twofa-vault$v=2$argon2id$m=35840,t=1,p=1$AAECAwQFBgcICQoLDA0ODw$q94j0hpo7OgCieLRG9-3aahw2ur7gGh3WYCOX_CKLjs$ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7$NZic-sgG1GI_b4fLgcRwjA"],
];

/** Sealed by twofa before version 2 (tests/vault.rs), passphrase "cafe\u0301 \u{1F511}" (decomposed). */
const FROZEN_V1_DECOMPOSED = "$twofa-vault$v=1$argon2id$m=7168,t=5,p=1$oKGio6SlpqeoqaqrrK2urw$QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZX$DOWeVyTqjDuGaZ34CTQMWCpx64urZ0kIAzNsE7AorBbrQ3WG0-i79A4gyYoAAto9P87OY8mwTGyE_lZZbYMi0Hd-Bb_cOCXVCQuLqdAPoKg";
/** The same, with the passphrase "correct horse battery staple". */
const FROZEN_V1_ASCII = "$twofa-vault$v=1$argon2id$m=7168,t=5,p=1$oKGio6SlpqeoqaqrrK2urw$QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZX$epXHcfHOdcKMdJ0uJo0jg7x5BJf7BLuJsSkAFL5MW1JpS0DfwglVCliA7nZ51bp1c71CL3CrIgE4TH90fjErQSK4sdvh-rrFfbuwoZGxMmc";
const FROZEN_PLAIN = '{"accounts":["otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP"]}';

/** The floor keeps the shared cases quick (7 MiB, 5 passes); the default is 64 MiB and 3 passes. */
const LIGHT = { memoryKib: 7168, iterations: 5 };

/** A vault's header with cost `cost` and made-up fields: refused on its cost before any work. */
const forged = (cost) =>
  `$twofa-vault$v=2$argon2id$${cost},p=1$AQEBAQEBAQEBAQEBAQEBAQ$AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM$AgICAgICAgICAgICAgICAgICAgICAgIC$AAAAAAAAAAAAAAAAAAAAAA`;

const lone = (at) => `passphrase has a lone surrogate at utf-16 index ${at}: it must be well-formed text`;

export const VAULT_ERRORS = [
  [(t) => t.VaultKey.unlock("pw", "not a vault"), "INVALID_VAULT", "invalid vault: text is not a twofa vault (version 1 or 2)"],
  [(t) => t.VaultKey.derive("pw", { memoryKib: 4 }), "INVALID_VAULT", "invalid vault: m must be from 7168 to 1048576 KiB"],
  [(t) => t.VaultKey.derive("pw", { iterations: 0 }), "INVALID_VAULT", "invalid vault: t must be from 1 to 16"],
  // The floor: 7168 KiB, and memory times passes at least 35840 KiB.
  [(t) => t.VaultKey.derive("pw", { memoryKib: 7167, iterations: 5 }), "INVALID_VAULT", "invalid vault: m must be from 7168 to 1048576 KiB"],
  [(t) => t.VaultKey.derive("pw", { memoryKib: 7168, iterations: 4 }), "INVALID_VAULT", "invalid vault: m * t must be at least 35840 KiB"],
  [(t) => t.VaultKey.derive("pw", { memoryKib: 35839, iterations: 1 }), "INVALID_VAULT", "invalid vault: m * t must be at least 35840 KiB"],
  [(t) => t.VaultKey.derive("pw", { memoryKib: 8, iterations: 1 }), "INVALID_VAULT", "invalid vault: m must be from 7168 to 1048576 KiB"],
  [(t) => t.VaultKey.unlock("pw", forged("m=7167,t=5")), "INVALID_VAULT", "invalid vault: m must be from 7168 to 1048576 KiB"],
  [(t) => t.VaultKey.unlock("pw", forged("m=7168,t=4")), "INVALID_VAULT", "invalid vault: m * t must be at least 35840 KiB"],
  [(t) => t.VaultKey.unlock("pw", forged("m=35839,t=1")), "INVALID_VAULT", "invalid vault: m * t must be at least 35840 KiB"],
  [(t) => t.VaultKey.unlock("pw", forged("m=8,t=1").replace("v=2", "v=1").replace("$AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM", "")), "INVALID_VAULT", "invalid vault: m must be from 7168 to 1048576 KiB"],
  // Lone surrogates: refused where they stand, before "\uD800" and "\uDBFF" become one U+FFFD.
  [(t) => t.VaultKey.derive("\uD800pw", LIGHT), "INVALID_OPTIONS", lone(0)],
  [(t) => t.VaultKey.derive("\uDBFFpw", LIGHT), "INVALID_OPTIONS", lone(0)],
  [(t) => t.VaultKey.derive("pass\uDC00", LIGHT), "INVALID_OPTIONS", lone(4)],
  [(t) => t.VaultKey.derive("\uD83D\uDE00\uD83D", LIGHT), "INVALID_OPTIONS", lone(2)],
  [(t) => t.VaultKey.unlock("p\uDFFF", SEALED[0][2]), "INVALID_OPTIONS", lone(1)],
  [(t) => t.VaultKey.unlock("\uD800".repeat(2000), SEALED[0][2]), "INVALID_OPTIONS", lone(0)],
  [(t) => t.VaultKey.derive(42), "INVALID_OPTIONS", "passphrase must be a string"],
  [(t) => t.VaultKey.derive("x".repeat(1025)), "INVALID_OPTIONS", "passphrase must be at most 1024 characters"],
  [(t) => t.VaultKey.fromBytes(new Uint8Array(55)), "INVALID_VAULT", "invalid vault: key bytes are malformed"],
  [(t) => t.VaultKey.unlock("wrong", SEALED[0][2]).open(SEALED[0][2]), "WRONG_PASSPHRASE", "wrong passphrase, or the vault was changed"],
  [(t) => t.VaultKey.unlock("wrong", SEALED[3][2]).open(SEALED[3][2]), "WRONG_PASSPHRASE", "wrong passphrase, or the vault was changed"],
  // Version 1 reads the passphrase as typed: precomposed is not the decomposed one it was sealed with.
  [(t) => t.VaultKey.unlock("caf\u00e9 \u{1F511}", FROZEN_V1_DECOMPOSED).open(FROZEN_V1_DECOMPOSED), "WRONG_PASSPHRASE", "wrong passphrase, or the vault was changed"],
  [(t) => t.VaultKey.unlock("p\u00e4ssw\u00f6rd \u{1F511}", SEALED[4][2], { maxMemoryKib: 8192 }), "INVALID_VAULT", "invalid vault: vault asks for more work than this reader allows"],
  [(t) => t.VaultKey.unlock("p\u00e4ssw\u00f6rd \u{1F511}", SEALED[4][2], { maxIterations: 1 }), "INVALID_VAULT", "invalid vault: vault asks for more work than this reader allows"],
];

export function checkVault(t, expect) {
  for (const [passphrase, plaintext, vault] of SEALED) {
    const key = t.VaultKey.unlock(passphrase, vault, { maxMemoryKib: 35840, maxIterations: 5 });
    expect(`vault fixture ${vault.slice(0, 17)} ${JSON.stringify(passphrase)}`, key.open(vault), plaintext);
    key.free();
  }
  // Version 2 reads the passphrase as NFC: the fixture sealed with "a\u0308" opens with "\u00e4".
  const nfc = t.VaultKey.unlock("p\u00e4sswo\u0308rd \u{1F511}", SEALED[4][2]);
  expect("vault v2 NFC", nfc.open(SEALED[4][2]), SEALED[4][1]);
  nfc.free();
  // Sealed before version 2: opens with its exact passphrase; a non-NFC one keeps sealing
  // version 1, an ASCII one moves to version 2.
  const decomposed = t.VaultKey.unlock("cafe\u0301 \u{1F511}", FROZEN_V1_DECOMPOSED);
  expect("vault frozen v1 decomposed", decomposed.open(FROZEN_V1_DECOMPOSED), FROZEN_PLAIN);
  expect("vault frozen v1 decomposed seals", `${decomposed.version} ${decomposed.seal("{}").slice(0, 17)}`, "1 $twofa-vault$v=1$");
  decomposed.free();
  const ascii = t.VaultKey.unlock("correct horse battery staple", FROZEN_V1_ASCII);
  expect("vault frozen v1 ascii", ascii.open(FROZEN_V1_ASCII), FROZEN_PLAIN);
  const moved = ascii.seal(FROZEN_PLAIN);
  expect("vault frozen v1 ascii seals", `${ascii.version} ${moved.slice(0, 17)}`, "2 $twofa-vault$v=2$");
  expect("vault frozen v1 ascii reopens", t.VaultKey.unlock("correct horse battery staple", moved).open(moved), FROZEN_PLAIN);
  ascii.free();

  const key = t.VaultKey.derive("correct horse \u{1F511}", LIGHT);
  expect("vault cost", `${key.memoryKib}/${key.iterations} v${key.version}`, "7168/5 v2");
  const text = JSON.stringify({ accounts: ["otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP"] });
  const a = key.seal(text);
  const b = key.seal(text);
  expect("vault header", /^\$twofa-vault\$v=2\$argon2id\$m=7168,t=5,p=1\$[\w-]{22}\$[\w-]{43}\$[\w-]{32}\$[\w-]+$/.test(a), true);
  expect("vault nonce is new each time", a === b, false);
  expect("vault reopens", t.VaultKey.unlock("correct horse \u{1F511}", a).open(a), text);
  const bytes = key.toBytes();
  expect("vault key bytes", `${bytes.length} ${t.VaultKey.fromBytes(bytes).open(b)}`, `57 ${text}`);
  // One character changed anywhere in the commitment, nonce or ciphertext: never opens.
  const start = a.lastIndexOf("$", a.lastIndexOf("$") - 1) - 44;
  for (let i = start; i < a.length; i += 3) {
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
