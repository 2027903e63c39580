// twofa/import in every runtime, through the built package: otpauth:// text and Google
// Authenticator batches read, the codes and exact messages of what cannot be read, and
// Aegis exports written and read back, plain and encrypted. `checkImport(t, expect)` adds
// its failures through `expect`. The one encrypted export costs two scrypt runs at Aegis'
// N = 2^15 (32 MiB): the rest is cheap.

const S = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"; // 20 bytes: no weak-secret warning
const S2 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/** otpauth:// text: a TOTP and an HOTP account, an mOTP one and a line that is no URI. */
const TEXT = [
  `otpauth://totp/ACME:ada?secret=${S}&issuer=ACME`,
  "",
  `  otpauth://hotp/Bank:bob?secret=${S2}&counter=7&digits=8&algorithm=SHA256&issuer=Bank  `,
  "otpauth://motp/Old:carol?secret=0123456789abcdef",
  "remember to renew the token",
].join("\r\n");

const TEXT_RESULT = {
  format: "otpauth",
  accounts: [
    { secret: S, issuer: "ACME", account: "ada", algorithm: "SHA1", digits: 6, type: "totp", period: 30, name: "", index: 0 },
    { secret: S2, issuer: "Bank", account: "bob", algorithm: "SHA256", digits: 8, type: "hotp", counter: 7, name: "", index: 1 },
  ],
  warnings: [
    { code: "UNSUPPORTED_ACCOUNT", message: "account 2: left out: mOTP accounts are not supported", index: 2 },
    { code: "UNSUPPORTED_ACCOUNT", message: "account 3: left out: the line is not an otpauth:// URI", index: 3 },
  ],
};

/** Google's own example of an export: one TOTP account of an 80-bit secret. */
const MIGRATION = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC";

const MIGRATION_RESULT = {
  format: "google-authenticator",
  accounts: [
    {
      secret: "JBSWY3DPEHPK3PXP", issuer: "Example", account: "alice@google.com", algorithm: "SHA1", digits: 6,
      type: "totp", period: 30, name: "Example:alice@google.com", index: 0,
    },
  ],
  warnings: [{ code: "WEAK_SECRET", message: "account 0: the secret is 80 bits; 128 bits is the least that is safe", index: 0 }],
};

/** Each bad call, the code it must throw and its exact message. */
export const IMPORT_ERRORS = [
  [(t) => t.importAccounts("hello"), "UNSUPPORTED_FORMAT", "not an export twofa reads: it is text without otpauth:// URIs"],
  [(t) => t.importAccounts(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10])), "UNSUPPORTED_FORMAT", "not an export twofa reads: it is an image: read its QR code with twofa/qr, then import the text"],
  [(t) => t.importAccounts("  \n"), "UNSUPPORTED_FORMAT", "not an export twofa reads: the input is empty"],
  [(t) => t.importAccounts('{"entries": 1}'), "UNSUPPORTED_FORMAT", "not an export twofa reads: it is JSON, but not an export twofa knows"],
  [(t) => t.importAccounts(42), "INVALID_OPTIONS", "input must be a string or a Uint8Array: the export's text or bytes"],
  [(t) => t.importAccounts([1, 2]), "INVALID_OPTIONS", "input must be a string or a Uint8Array: the export's text or bytes"],
  [(t) => t.importAccounts(TEXT, { password: 7 }), "INVALID_OPTIONS", "password must be a string"],
  [(t) => t.importAccounts(TEXT, { password: "pa\uD800ss" }), "INVALID_OPTIONS", "password has a lone surrogate at utf-16 index 2: it must be well-formed text"],
  [(t) => t.importAccounts(TEXT, { password: "x".repeat(1025) }), "INVALID_OPTIONS", "password must be at most 1024 characters"],
  [(t) => t.importAccounts(TEXT, { maxMemoryMiB: 0 }), "INVALID_OPTIONS", "maxMemoryMiB must be a whole number from 1 to 1024"],
  [(t) => t.importAccounts(TEXT, { maxMemoryMiB: 2048 }), "INVALID_OPTIONS", "maxMemoryMiB must be a whole number from 1 to 1024"],
  [(t) => t.importAccounts(TEXT, { maxMemoryMiB: "64" }), "INVALID_OPTIONS", "maxMemoryMiB must be a whole number"],
  [(t) => t.importAccounts(TEXT, 5), "INVALID_OPTIONS", "options must be an object"],
  [(t) => t.importAccounts(new Uint8Array((32 << 20) + 1)), "IMPORT_LIMIT", "input (bytes) is 33554433, over the limit of 33554432"],
  [(t) => t.exportAegis("x"), "INVALID_OPTIONS", "accounts must be an array of at most 10000 accounts"],
  [(t) => t.exportAegis([{ secret: S }, { secret: "A" }]), "INVALID_BASE32", "account 1: invalid base32 length: 1 character cannot encode whole bytes"],
  [(t) => t.exportAegis([{ secret: S, name: 5 }]), "INVALID_OPTIONS", "account 0: name must be a string"],
  [(t) => t.exportAegis([{ secret: S }], { password: "\uDC00" }), "INVALID_OPTIONS", "password has a lone surrogate at utf-16 index 0: it must be well-formed text"],
];

export { TEXT, TEXT_RESULT };

/** `JSON.stringify` of a value with its object keys sorted, so records compare whole. */
function canonical(value) {
  return JSON.stringify(value, (_, v) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  );
}

/** The code and message `call` throws, or `"returned"`. */
function thrown(call) {
  try {
    call();
  } catch (err) {
    return `${err?.code}: ${err?.message}`;
  }
  return "returned";
}

export function checkImport(t, expect) {
  // otpauth:// text and a Google Authenticator batch, as text and as bytes, whole.
  const text = t.importAccounts(TEXT);
  expect("import otpauth text", canonical(text), canonical(TEXT_RESULT));
  expect("import otpauth bytes", canonical(t.importAccounts(new TextEncoder().encode(TEXT))), canonical(TEXT_RESULT));
  expect("import google authenticator", canonical(t.importAccounts(`${MIGRATION}\n`)), canonical(MIGRATION_RESULT));
  // Each warning is { code, message, index }, and says nothing of the secrets.
  for (const w of [...text.warnings, ...t.importAccounts(MIGRATION).warnings]) {
    expect(`import warning keys ${w.code}`, Object.keys(w).sort().join(","), "code,index,message");
    expect(`import warning index ${w.code}`, Number.isInteger(w.index), true);
    expect(`import warning secret ${w.code}`, /JBSW|GEZD|0123456789abcdef/i.test(w.message), false);
  }

  // Aegis, plain: imported accounts export as they are and read back the same. Aegis
  // names an entry by its account, so that is the name read back.
  const accounts = text.accounts;
  const plain = t.exportAegis(accounts);
  const back = t.importAccounts(plain);
  expect("aegis plain format", back.format, "aegis");
  expect("aegis plain round trip", canonical(back.accounts), canonical(accounts.map((a) => ({ ...a, name: a.account }))));
  expect("aegis plain warnings", canonical(back.warnings), "[]");
  expect("aegis plain empty", canonical(t.importAccounts(t.exportAegis([]))), canonical({ format: "aegis", accounts: [], warnings: [] }));

  // Aegis, encrypted: the password is asked for before any work, a cost over the caller's
  // cap is refused before any work, and the password opens it.
  const password = "correct horse \u{1F511}";
  const sealed = t.exportAegis(accounts, { password });
  // Whole secrets: the export's random base64 may hold any four letters by chance.
  expect("aegis encrypted hides the secrets", accounts.some((a) => a.secret.length < 16 || sealed.includes(a.secret)), false);
  expect("aegis encrypted without password", thrown(() => t.importAccounts(sealed)), "PASSWORD_REQUIRED: the Aegis export is encrypted: give its password");
  expect(
    "aegis encrypted over the memory cap",
    thrown(() => t.importAccounts(sealed, { password, maxMemoryMiB: 16 })),
    "IMPORT_LIMIT: scrypt memory (KiB) is 32771, over the limit of 16384",
  );
  const opened = t.importAccounts(new TextEncoder().encode(sealed), { password });
  expect("aegis encrypted format", opened.format, "aegis-encrypted");
  expect("aegis encrypted round trip", canonical(opened.accounts), canonical(back.accounts));
}
