// How secrets travel, checked in every runtime through the built package: otpauth://
// URIs (the policy table and a round-trip property), Google Authenticator exports and
// QR matrices. `checkTransfer(t, expect)` adds its failures through `expect`.

const S = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"; // 20 bytes: no weak-secret warning

/** URI → the fields parseUri must return (warnings as codes). */
export const URI_CASES = [
  [`OTPAUTH://TOTP/ACME:ada?secret=${S}`, { type: "totp", issuer: "ACME", account: "ada", period: 30 }],
  [`otpauth://totp/ACME%3Aada?secret=${S}`, { issuer: "ACME", account: "ada" }],
  [`otpauth://totp/ACME%20%3A%20ada?secret=${S}`, { issuer: "ACME", account: "ada" }],
  [`otpauth://totp/ACME:ada?secret=${S}&issuer=Other`, { issuer: "Other", account: "ada", warnings: ["ISSUER_MISMATCH"] }],
  [`otpauth://totp/ada?secret=${S}&issuer=ACME`, { issuer: "ACME", account: "ada" }],
  [`otpauth://totp/Star%20Trek%3A%20Website:kirk?secret=${S}&issuer=Star%20Trek%3A%20Website`, { issuer: "Star Trek: Website", account: "kirk" }],
  [`otpauth://totp/ada?secret=${S}&issuer=Air+Canada`, { issuer: "Air Canada" }],
  [`otpauth://totp/a?secret=${S}&algorithm=sha256&digits=8&period=60`, { algorithm: "SHA256", digits: 8, period: 60, warnings: ["NONSTANDARD_PERIOD"] }],
  [`otpauth://totp/a?secret=${S}&digits=7`, { digits: 7, warnings: ["NONSTANDARD_DIGITS"] }],
  ["otpauth://totp/a?secret=jbsw%20y3dp+ehpk-3pxp%3D%3D%3D%3D", { secret: "JBSWY3DPEHPK3PXP", warnings: ["WEAK_SECRET"] }],
  [`otpauth://totp/Steam:gaben?secret=${S}&issuer=Steam`, { digits: 5, encoder: "steam" }],
  [`otpauth://totp/a?secret=${S}&encoder=steam`, { digits: 5, encoder: "steam" }],
  [`otpauth://totp/a?secret=${S}&foo=bar&image=https%3A%2F%2Fx.example%2Fy.png`, { image: "https://x.example/y.png" }],
  [`otpauth://hotp/a?secret=${S}&counter=42`, { type: "hotp", counter: 42, period: undefined }],
  [`otpauth://hotp/a?secret=${S}&counter=18446744073709551615`, { counter: 18446744073709551615n }],
];

/** Each bad call, the code it must throw and its exact message. */
export const TRANSFER_ERRORS = [
  [(t) => t.parseUri("https://example.com"), "INVALID_URI", "uri must start with otpauth://"],
  [(t) => t.parseUri(`otpauth://hotp/a?secret=${S}`), "INVALID_URI", "uri has no counter parameter"],
  [(t) => t.parseUri("otpauth://totp/a?issuer=x"), "INVALID_URI", "uri has no secret parameter"],
  [(t) => t.parseUri(`otpauth://totp/a?secret=${S}&issuer=%ZZ`), "INVALID_URI", "malformed percent-encoding in the issuer parameter"],
  [(t) => t.parseUri(`otpauth://totp/a?secret=${S}&algorithm=MD5`), "UNSUPPORTED_ALGORITHM", "unsupported algorithm; use SHA1, SHA256 or SHA512"],
  [(t) => t.parseUri(`otpauth://totp/a?secret=${S}&digits=11`), "INVALID_DIGITS", "digits must be from 6 to 10, not 11"],
  [(t) => t.parseUri(`otpauth://totp/a?secret=${S}&period=1.5`), "INVALID_PERIOD", "period parameter must be a whole number of seconds from 1 to 2^32 - 1"],
  [(t) => t.parseUri("otpauth://totp/a?secret=JBSWY3DPEHPK3PX1"), "INVALID_BASE32", "invalid base32 character at position 16"],
  [(t) => t.parseUri(42), "INVALID_URI", "uri must be a string"],
  [(t) => t.parseUri("x".repeat(70000)), "INVALID_URI", "uri is 70000 bytes long; the most is 65536"],
  [(t) => t.Totp.fromUri(`otpauth://hotp/a?secret=${S}&counter=1`), "INVALID_URI", "this is not a totp uri"],
  [(t) => t.Hotp.fromUri(`otpauth://totp/a?secret=${S}`), "INVALID_URI", "this is not a hotp uri"],
  [(t) => t.buildUri({ secret: S, issuer: " ACME", account: "a" }), "INVALID_LABEL", "issuer must not begin or end with white space"],
  [(t) => t.buildUri({ secret: S, issuer: "", account: "a" }), "INVALID_LABEL", "issuer is empty; leave it out instead"],
  [(t) => t.buildUri({ secret: S, type: "motp" }), "INVALID_OPTIONS", "type must be \"totp\" or \"hotp\""],
  [(t) => new t.Totp({ secret: S, epoch: 1 }).toUri(), "INVALID_URI", "otpauth uris cannot carry a totp epoch (T0) other than 0"],
  [(t) => t.parseMigrationUri("otpauth-migration://offline?data=CjE*"), "INVALID_MIGRATION", "invalid base64 character at position 4 of the data parameter"],
  [(t) => t.parseMigrationUri("otpauth-migration://offline?data=CgISAQ"), "INVALID_MIGRATION", "malformed migration payload at byte 3"],
  [(t) => t.buildMigrationUris([{ secret: S }, { secret: "A" }]), "INVALID_BASE32", "account 1: invalid base32 length: 1 character cannot encode whole bytes"],
  [(t) => t.buildMigrationUris("x"), "INVALID_OPTIONS", "accounts must be an array of at most 10000 accounts"],
  [(t) => t.qrSvg("x".repeat(2332), { ecc: "H" }), "QR_TOO_LONG", "text of 2332 bytes is too long for a qr code at error correction H"],
  [(t) => t.qrSvg("x", { ecc: "X" }), "INVALID_OPTIONS", "ecc must be \"L\", \"M\", \"Q\" or \"H\""],
  [(t) => t.qrSvg("x", { dark: "red\"/><script>" }), "INVALID_OPTIONS", "dark must be a css colour such as #000000, black or rgb(0 0 0)"],
  [(t) => t.qrSvg("x", { margin: 65 }), "INVALID_OPTIONS", "margin must be a whole number of modules from 0 to 64"],
  [(t) => t.qrMatrix(7), "INVALID_OPTIONS", "text must be a string"],
];

/** A deterministic generator, so a failing case can be replayed. */
function rng(seed) {
  let s = seed >>> 0;
  return (n) => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s % n;
  };
}

const POOL = ["a", "Z", "0", ":", "%", "&", "=", "+", " ", "?", "#", "/", "@", "é", "東京", "🔑", "👩‍💻", "%3A", "Steam"];

function text(next, max) {
  let s = "";
  for (let i = next(max + 1); i > 0; i--) s += POOL[next(POOL.length)];
  return s.trim();
}

export function checkTransfer(t, expect) {
  // The policy table.
  for (const [uri, want] of URI_CASES) {
    const got = t.parseUri(uri);
    for (const [key, value] of Object.entries(want)) {
      if (key === "warnings") {
        expect(`${uri} warnings`, got.warnings.map((w) => w.code).join(), value.join());
      } else {
        expect(`${uri} ${key}`, got[key], value);
      }
    }
    if (!want.warnings) expect(`${uri} no warnings`, got.warnings.length, 0);
    for (const w of got.warnings) {
      if (typeof w.message !== "string" || /JBSW|3PXP/.test(w.message)) expect(`${uri} warning message`, w.message, "safe text");
    }
  }
  // parseUri(buildUri(x)) gives back x, for random issuers and accounts.
  const next = rng(20261123);
  for (let i = 0; i < 300; i++) {
    const hotp = next(2) === 0;
    const x = {
      type: hotp ? "hotp" : "totp",
      secret: t.Secret.fromBytes(Uint8Array.from({ length: 1 + next(40) }, (_, j) => (j * 37 + i) & 255)).toBase32(),
      account: text(next, 8),
      algorithm: ["SHA1", "SHA256", "SHA512"][next(3)],
      digits: 6 + next(5),
    };
    const issuer = text(next, 6);
    if (issuer && next(4) !== 0) x.issuer = issuer;
    if (hotp) x.counter = next(2) ? next(1e9) : 2n ** 63n + BigInt(next(1e9));
    else x.period = [30, 60, 1][next(3)];
    if (!hotp && next(6) === 0) Object.assign(x, { encoder: "steam", digits: 5 });
    if (next(3) === 0) x.image = text(next, 5);
    const uri = t.buildUri(x);
    const { warnings, ...back } = t.parseUri(uri);
    const same = JSON.stringify(sortKeys(back), bigints) === JSON.stringify(sortKeys(x), bigints);
    if (!same || /\+| /.test(uri)) expect(`round trip ${i} ${uri}`, JSON.stringify(back, bigints), JSON.stringify(x, bigints));
    if (warnings.some((w) => w.code === "ISSUER_MISMATCH")) expect(`round trip ${i} mismatch`, uri, "no ISSUER_MISMATCH");
  }
  // Totp and Hotp to and from URIs.
  const totp = t.Totp.fromUri("otpauth://totp/ACME%20Co:ada@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8&image=x");
  expect("fromUri code", totp.generate(59_000), "94287082");
  expect("fromUri issuer", totp.issuer, "ACME Co");
  expect("fromUri image", totp.image, "x");
  expect("toUri", totp.toUri(), "otpauth://totp/ACME%20Co:ada@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20Co&algorithm=SHA1&digits=8&period=30&image=x");
  const big = t.Hotp.fromUri("otpauth://hotp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=9007199254740993");
  expect("fromUri bigint counter", big.counter, 9007199254740993n);
  expect("Hotp toUri", big.toUri().endsWith("&counter=9007199254740993"), true);
  totp.free();
  big.free();
  // Google Authenticator exports: the example, then a round trip in batches.
  const batch = t.parseMigrationUri("otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC");
  const a = batch.accounts[0];
  expect("migration accounts", batch.accounts.length, 1);
  expect("migration fields", [a.type, a.secret, a.name, a.issuer, a.account, a.algorithm, a.digits, a.period].join(),
    "totp,JBSWY3DPEHPK3PXP,Example:alice@google.com,Example,alice@google.com,SHA1,6,30");
  expect("migration warning", batch.warnings.map((w) => `${w.index} ${w.code}`).join(), "0 WEAK_SECRET");
  const accounts = Array.from({ length: 23 }, (_, i) => ({ ...t.parseUri(`otpauth://totp/Org ${i}:user${i}@example.com?secret=${S}&issuer=Org%20${i}`), warnings: undefined }));
  accounts.push({ type: "totp", secret: S, account: "sixty", period: 60 });
  const exported = t.buildMigrationUris(accounts);
  expect("export warning", exported.warnings.map((w) => `${w.index} ${w.code}`).join(), "23 UNREPRESENTABLE_ACCOUNT");
  const read = exported.uris.flatMap((uri, i) => {
    const b = t.parseMigrationUri(uri);
    expect(`batch ${i} index`, b.batchIndex, i);
    expect(`batch ${i} size`, b.batchSize, exported.uris.length);
    if (uri.length > 640) expect(`batch ${i} length`, uri.length, "<= 640");
    return b.accounts;
  });
  const fields = (r) => [r.type, r.issuer, r.account, r.secret, r.algorithm, r.digits, r.period, r.counter].join("|");
  expect("export round trip", read.map(fields).join(), accounts.slice(0, 23).map(fields).join());
  // HOTP accounts keep their counter and type; SHA-512 and 8 digits survive.
  const h = { type: "hotp", secret: S, issuer: "Bank", account: "ada", algorithm: "SHA512", digits: 8, counter: 2 ** 40 };
  const [again] = t.parseMigrationUri(t.buildMigrationUris([h]).uris[0]).accounts;
  expect("export hotp", fields(again), fields(h));
  // QR matrices: finder patterns in three corners, and the SVG draws the same modules.
  const m = t.qrMatrix("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP", { ecc: "M" });
  expect("matrix size", m.size, 29);
  expect("matrix modules", m.modules.length, 29 * 29);
  const finder = [1, 1, 1, 1, 1, 1, 1, 0].join();
  expect("finder top-left", Array.from(m.modules.slice(0, 8)).join(), finder);
  expect("finder top-right", Array.from(m.modules.slice(21, 29)).reverse().join(), finder);
  expect("finder bottom-left", Array.from(m.modules.slice(28 * 29, 28 * 29 + 8)).join(), finder);
  const svg = t.qrSvg("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP", { margin: 2, light: null, dark: "#123" });
  expect("svg head", svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 33 33" width="264" height="264"'), true);
  expect("svg no background", svg.includes("<rect"), false);
  const dark = [...svg.matchAll(/h(\d+)v1/g)].reduce((n, r) => n + Number(r[1]), 0);
  expect("svg dark modules", dark, m.modules.reduce((n, v) => n + v, 0));
}

function sortKeys(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
}

function bigints(_, v) {
  return typeof v === "bigint" ? `${v}n` : v;
}
