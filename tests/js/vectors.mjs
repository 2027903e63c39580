// Table-driven cases for the built package, shared by every runtime: Node (import and
// require), a plain browser page, and apps bundled by esbuild and Vite. `check(twofa)`
// runs them all and returns a list of failures, empty when everything holds; `twofa` is
// every entry's exports in one object (`merged`, here so that browser pages can use it).

import { checkFlows, FLOW_ERRORS } from "./flows.mjs";
import { checkTransfer, TRANSFER_ERRORS } from "./transfer.mjs";
import { checkVault, VAULT_ERRORS } from "./vault.mjs";
import { checkImport, IMPORT_ERRORS } from "./import.mjs";

const ascii = (s) => new TextEncoder().encode(s);

/**
 * Every entry's exports in one object, as `check` takes them, from the modules in the
 * package's order (`twofa` first). The root entry's `default` and `initSync` are kept; no
 * other export name is shared between entries.
 */
export function merged(modules) {
  const out = {};
  for (const [i, m] of modules.entries()) {
    for (const [key, value] of Object.entries(m)) {
      if (i > 0 && (key === "default" || key === "initSync")) continue;
      if (key in out) throw new Error(`two entries export ${key}`);
      out[key] = value;
    }
  }
  return out;
}

/** RFC 4226 Appendix D and RFC 6238 Appendix B, plus cross-implementation vectors. */
export const CASES = [
  {
    name: "RFC 4226 Appendix D",
    secret: { bytes: ascii("12345678901234567890"), base32: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" },
    hotp: [[0, "755224"], [1, "287082"], [2, "359152"], [3, "969429"], [4, "338314"],
      [5, "254676"], [6, "287922"], [7, "162583"], [8, "399871"], [9, "520489"],
      [2 ** 32, "999456"], [4294967296n, "999456"]],
  },
  {
    name: "RFC 4226 ten digits keep leading zeros",
    secret: { bytes: ascii("12345678901234567890") },
    options: { digits: 10 },
    hotp: [[2, "0137359152"], [7, "0082162583"], [0, "1284755224"]],
  },
  {
    name: "RFC 6238 SHA1",
    secret: { bytes: ascii("12345678901234567890") },
    options: { algorithm: "SHA1", digits: 8 },
    totp: [[59e3, "94287082"], [1111111109e3, "07081804"], [1111111111e3, "14050471"],
      [1234567890e3, "89005924"], [2000000000e3, "69279037"], [20000000000e3, "65353130"]],
  },
  {
    name: "RFC 6238 SHA256",
    secret: { bytes: ascii("12345678901234567890123456789012") },
    options: { algorithm: "SHA256", digits: 8 },
    totp: [[59e3, "46119246"], [1111111109e3, "68084774"], [1111111111e3, "67062674"],
      [1234567890e3, "91819424"], [2000000000e3, "90698825"], [20000000000e3, "77737706"]],
  },
  {
    name: "RFC 6238 SHA512",
    secret: { bytes: ascii("1234567890123456789012345678901234567890123456789012345678901234") },
    options: { algorithm: "SHA512", digits: 8 },
    totp: [[59e3, "90693936"], [1111111109e3, "25091201"], [1111111111e3, "99943326"],
      [1234567890e3, "93441116"], [2000000000e3, "38618901"], [20000000000e3, "47863826"]],
  },
  {
    name: "32-byte SHA-1 key",
    secret: { bytes: Uint8Array.from({ length: 32 }, (_, i) => i) },
    hotp: [[1, "555770"]],
  },
  {
    name: "Steam Guard",
    secret: { base32: "BASE32SECRET3232" },
    options: { encoder: "steam" },
    totp: [[0, "2TC8B"]],
  },
  {
    name: "lenient base32, 80-bit secret",
    secret: { base32: "jbsw y3dp-ehpk 3pxp==", canonical: "JBSWY3DPEHPK3PXP", grouped: "JBSW Y3DP EHPK 3PXP", weak: true },
  },
];

/** Each bad call, the `code` it must throw and its exact message. */
export const ERRORS = [
  [(t) => t.Secret.fromBase32("JBSWY3DP0HPK3PXP"), "INVALID_BASE32", "invalid base32 character at position 9"],
  [(t) => t.Secret.fromBase32("A"), "INVALID_BASE32", "invalid base32 length: 1 character cannot encode whole bytes"],
  [(t) => t.Secret.fromBase32("AB==CD"), "INVALID_BASE32", "unexpected base32 data after padding at position 5"],
  [(t) => t.Secret.fromBase32(""), "SECRET_LENGTH", "secret is empty"],
  [(t) => t.Secret.fromBytes(new Uint8Array(1025)), "SECRET_LENGTH", "secret is 1025 bytes long; the most is 1024"],
  [(t) => t.Secret.generate(8), "SECRET_LENGTH", "cannot generate a 8-byte secret; choose 16 to 64 bytes"],
  [(t) => new t.Totp({ secret: "JBSWY3DPEHPK3PXP", digits: 11 }), "INVALID_DIGITS", "digits must be from 6 to 10, not 11"],
  [(t) => new t.Totp({ secret: "JBSWY3DPEHPK3PXP", digits: 8, encoder: "steam" }), "INVALID_DIGITS", "steam codes have 5 characters, not 8"],
  [(t) => new t.Totp({ secret: "JBSWY3DPEHPK3PXP", period: 0 }), "INVALID_PERIOD", "period must be at least 1 second, not 0"],
  [(t) => new t.Totp({ secret: "JBSWY3DPEHPK3PXP", algorithm: "SHA3" }), "UNSUPPORTED_ALGORITHM", "unsupported algorithm; use SHA1, SHA256 or SHA512"],
  [(t) => new t.Totp({ secret: "JBSWY3DPEHPK3PXP", epoch: 5000 }).generate(4999), "INVALID_TIMESTAMP", "timestamp is before the epoch (T0)"],
  [(t) => new t.Totp({ secret: "JBSWY3DPEHPK3PXP" }).verify("12345"), "INVALID_TOKEN", "token must have 6 characters, not 5"],
  [(t) => new t.Totp({ secret: "JBSWY3DPEHPK3PXP" }).verify("12 34 56"), "INVALID_TOKEN", "token has a second separator at position 6"],
  [(t) => new t.Totp({ secret: "JBSWY3DPEHPK3PXP" }).verify("12345x"), "INVALID_TOKEN", "token has a non-digit at position 6"],
  [(t) => new t.Totp({ secret: "JBSWY3DPEHPK3PXP" }).verify("123456", { window: 2000 }), "INVALID_WINDOW", "window of 2000 steps is too large; the most is 1000 each way"],
  [(t) => new t.Hotp({ secret: "JBSWY3DPEHPK3PXP" }).generate(-1), "INVALID_COUNTER", "counter must be a whole number from 0 to Number.MAX_SAFE_INTEGER, or a bigint"],
  [(t) => new t.Hotp({ secret: "JBSWY3DPEHPK3PXP" }).generate(2n ** 64n), "INVALID_COUNTER", "counter must be a bigint from 0 to 2^64 - 1"],
  [(t) => new t.Hotp({ secret: "JBSWY3DPEHPK3PXP" }).verify("123456", { counter: Number.MAX_SAFE_INTEGER }), "INVALID_COUNTER", "counter + window passes Number.MAX_SAFE_INTEGER; pass the counter as a bigint"],
  [(t) => new t.Totp({ secret: "JBSWY3DPEHPK3PXP" }).verify("123456", { window: 2 ** 40 }), "INVALID_WINDOW", "window of 1099511627776 steps is too large; the most is 1000 each way"],
  [(t) => new t.Totp({ secret: "JBSWY3DPEHPK3PXP" }).verify("123456", { window: {} }), "INVALID_WINDOW", "window must be a number or { past, future }"],
  [(t) => new t.Totp({ secret: "JBSWY3DPEHPK3PXP" }).verify("123456", { window: [5] }), "INVALID_WINDOW", "window must be a number or { past, future }"],
  [(t) => new t.Totp({ secret: "JBSWY3DPEHPK3PXP" }).verify("1".repeat(100)), "INVALID_TOKEN", "token must have 6 characters, not 100"],
  [(t) => new t.Totp({ secret: "JBSWY3DPEHPK3PXP" }).verify("é".repeat(2 ** 20)), "INVALID_TOKEN", "token must have 6 characters, not 1048576"],
  [(t) => new t.Totp({ secret: "JBSWY3DPEHPK3PXP" }).generate(Infinity), "INVALID_TIMESTAMP", "timestamp must be a finite number of milliseconds within the range of a Date"],
  [(t) => new t.Totp({ secret: "JBSWY3DPEHPK3PXP", digits: 6n }), "INVALID_DIGITS", "digits must be a whole number from 6 to 10"],
  [(t) => new t.Totp({ secret: "JBSWY3DPEHPK3PXP", digits: 6.5 }), "INVALID_DIGITS", "digits must be a whole number from 6 to 10, not 6.5"],
  [(t) => new t.Totp({ secret: "JBSWY3DPEHPK3PXP", issuer: "x".repeat(65537) }), "INVALID_OPTIONS", "issuer must be at most 65536 characters"],
  [(t) => t.Secret.fromBase32("A".repeat(5000)), "SECRET_LENGTH", "secret is 3125 bytes long; the most is 1024"],
  [(t) => t.Secret.fromBase32("A".repeat(1640)), "SECRET_LENGTH", "secret is 1025 bytes long; the most is 1024"],
  [(t) => t.Secret.fromBytes(Object.defineProperty(new Uint8Array(2000), "length", { value: 20 })), "SECRET_LENGTH", "secret is 2000 bytes long; the most is 1024"],
  [(t) => t.Secret.fromBytes([1, 2, 3]), "INVALID_OPTIONS", "secret bytes must be a Uint8Array"],
  [(t) => t.Secret.generate().equals({}), "INVALID_OPTIONS", "expected a twofa Secret, from Secret.generate, Secret.fromBase32 or Secret.fromBytes"],
  [(t) => new t.Secret(), "INVALID_OPTIONS", "expected a twofa Secret, from Secret.generate, Secret.fromBase32 or Secret.fromBytes"],
  [(t) => Object.create(t.Secret.prototype).toBase32(), "INVALID_OPTIONS", "expected a twofa Secret, from Secret.generate, Secret.fromBase32 or Secret.fromBytes"],
  [(t) => t.Secret.generate(1e10), "SECRET_LENGTH", "cannot generate a 10000000000-byte secret; choose 16 to 64 bytes"],
  [(t) => { const s = t.Secret.generate(); s.free(); s.toBase32(); }, "OBJECT_FREED", "this object was freed and cannot be used any more"],
  [(t) => { const h = new t.Totp({ secret: "JBSWY3DPEHPK3PXP" }); h.free(); h.generate(0); }, "OBJECT_FREED", "this object was freed and cannot be used any more"],
  [(t) => { const s = t.Secret.generate(); new t.Totp({ secret: { clone: () => s } }); }, "INVALID_OPTIONS", "secret must be a Secret or a base32 string"],
  [(t) => { const s = t.Secret.generate(); s.free(); new t.Hotp({ secret: s }); }, "OBJECT_FREED", "this object was freed and cannot be used any more"],
  [(t) => new t.Totp({}), "INVALID_OPTIONS", "secret is required"],
  [(t) => new t.Totp({ secret: 42 }), "INVALID_OPTIONS", "secret must be a Secret or a base32 string"],
  [(t) => t.checkToken(123456), "INVALID_TOKEN", "token must be a string"],
  [(t) => t.checkToken("123456", { digits: 5 }), "INVALID_DIGITS", "digits must be from 6 to 10, not 5"],
  [(t) => t.checkToken("123456", { encoder: "yubikey" }), "INVALID_ENCODER", "unsupported encoder; the only encoder is \"steam\""],
  // The clock check (estimateClockOffset, clockIsOff).
  [(t) => t.estimateClockOffset({ date: "Sun, 06 Nov 1994 08:49:37 UTC", sentAt: 0, receivedAt: 0 }), "INVALID_DATE", "http date must give the time in GMT at character 27"],
  [(t) => t.estimateClockOffset({ date: "Mon, 06 Nov 1994 08:49:37 GMT", sentAt: 0, receivedAt: 0 }), "INVALID_DATE", "http date says Mon, but that date is a Sun"],
  [(t) => t.estimateClockOffset({ date: "Mon, 29 Feb 2100 00:00:00 GMT", sentAt: 0, receivedAt: 0 }), "INVALID_DATE", "http date has day 29, but Feb 2100 has days 1 to 28"],
  [(t) => t.estimateClockOffset({ date: "Sun, 06 Nov 1994 24:00:00 GMT", sentAt: 0, receivedAt: 0 }), "INVALID_DATE", "http date has hour 24; the most is 23"],
  [(t) => t.estimateClockOffset({ date: "Sun Nov 6 08:49:37 1994", sentAt: 0, receivedAt: 0 }), "INVALID_DATE", "http date is malformed at character 10; its form is Sun Nov  6 08:49:37 1994"],
  [(t) => t.estimateClockOffset({ date: "", sentAt: 0, receivedAt: 0 }), "INVALID_DATE", "http date is empty"],
  [(t) => t.estimateClockOffset({ date: "é".repeat(40), sentAt: 0, receivedAt: 0 }), "INVALID_DATE", "http date is 80 bytes long; the most is 64"],
  [(t) => t.estimateClockOffset({ date: null, sentAt: 0, receivedAt: 0 }), "INVALID_DATE", "http date is missing: the response has no Date header"],
  [(t) => t.estimateClockOffset({ sentAt: 0, receivedAt: 0 }), "INVALID_DATE", "http date is missing: the response has no Date header"],
  [(t) => t.estimateClockOffset({ date: 42, sentAt: 0, receivedAt: 0 }), "INVALID_OPTIONS", "date must be a string"],
  [(t) => t.estimateClockOffset({ date: "Sun, 06 Nov 1994 08:49:37 GMT", sentAt: 1001, receivedAt: 1000 }), "INVALID_TIMESTAMP", "the response was received before the request was sent"],
  [(t) => t.estimateClockOffset({ date: "Sun, 06 Nov 1994 08:49:37 GMT", sentAt: 1000.5, receivedAt: 1000.25 }), "INVALID_TIMESTAMP", "the response was received before the request was sent"],
  [(t) => t.estimateClockOffset({ date: "Sun, 06 Nov 1994 08:49:37 GMT", receivedAt: 0 }), "INVALID_OPTIONS", "sentAt is required"],
  [(t) => t.estimateClockOffset({ date: "Sun, 06 Nov 1994 08:49:37 GMT", sentAt: 0, receivedAt: NaN }), "INVALID_TIMESTAMP", "receivedAt must be a finite number of milliseconds within the range of a Date"],
  [(t) => t.estimateClockOffset({ date: "Sun, 06 Nov 1994 08:49:37 GMT", sentAt: -8.64e15 - 1, receivedAt: 0 }), "INVALID_TIMESTAMP", "sentAt must be a finite number of milliseconds within the range of a Date"],
  [(t) => t.estimateClockOffset({ date: "Sun, 06 Nov 1994 08:49:37 GMT", sentAt: "0", receivedAt: 0 }), "INVALID_OPTIONS", "sentAt must be a number of milliseconds"],
  [(t) => t.estimateClockOffset(), "INVALID_OPTIONS", "sample is required"],
  [(t) => t.estimateClockOffset("Sun, 06 Nov 1994 08:49:37 GMT"), "INVALID_OPTIONS", "sample must be an object"],
  [(t) => t.clockIsOff({ offsetMs: 0, errorMs: 500 }, 0), "INVALID_PERIOD", "period must be at least 1 second, not 0"],
  [(t) => t.clockIsOff({ offsetMs: 0, errorMs: 500 }, 1.5), "INVALID_PERIOD", "period must be a whole number of seconds from 1 to 2^32 - 1"],
  [(t) => t.clockIsOff({ offsetMs: 0.5, errorMs: 500 }), "INVALID_OPTIONS", "offsetMs must be a whole number of milliseconds"],
  [(t) => t.clockIsOff({ offsetMs: 0, errorMs: -1 }), "INVALID_OPTIONS", "errorMs must be a whole number of milliseconds"],
  [(t) => t.clockIsOff({ offsetMs: 0 }), "INVALID_OPTIONS", "errorMs is required"],
  [(t) => t.clockIsOff({ offsetMs: "0", errorMs: 500 }), "INVALID_OPTIONS", "offsetMs must be a whole number of milliseconds"],
  [(t) => t.clockIsOff(null), "INVALID_OPTIONS", "estimate is required"],
];

/** `checkToken` while a code is typed: [input, options, ok or incomplete, token or message]. */
export const SHAPES = [
  ["123456", undefined, true, "123456"],
  [" 123 456 ", undefined, true, "123456"],
  ["1234-5678", { digits: 8 }, true, "12345678"],
  ["2tc8b", { encoder: "steam" }, true, "2TC8B"],
  ["", undefined, "incomplete", "token is empty"],
  ["123", undefined, "incomplete", "token must have 6 characters, not 3"],
  ["123 ", undefined, "incomplete", "token must have 6 characters, not 3"],
  ["123-", undefined, "incomplete", "token has a non-digit at position 4"],
  ["123--", undefined, false, "token has a non-digit at position 5"],
  ["-", undefined, false, "token has a non-digit at position 1"],
  ["12a", undefined, false, "token has a non-digit at position 3"],
  ["1234567", undefined, false, "token must have 6 characters, not 7"],
  ["12 34 5", undefined, false, "token has a second separator at position 6"],
  ["1".repeat(100), undefined, false, "token must have 6 characters, not 100"],
  ["2TC8", { encoder: "steam" }, "incomplete", "token must have 5 characters, not 4"],
  ["2TC81", { encoder: "steam" }, false, "token has a character that steam codes never use at position 5"],
];

/** RFC 9110's date (784,111,777 s), in each of its three forms. */
const RFC_DATE = 784_111_777_000;

/**
 * `estimateClockOffset`: [date, sentAt, receivedAt, offsetMs, errorMs]. The offset lies in
 * (D − receivedAt, D + 1000 − sentAt): the midpoint rounded down, the half-width up; a
 * fraction of a millisecond widens the bound (sentAt down, receivedAt up).
 */
export const CLOCK_OFFSETS = [
  ["Sun, 06 Nov 1994 08:49:37 GMT", RFC_DATE, RFC_DATE, 500, 500],
  ["Sunday, 06-Nov-94 08:49:37 GMT", RFC_DATE, RFC_DATE, 500, 500],
  ["Sun Nov  6 08:49:37 1994", RFC_DATE, RFC_DATE, 500, 500],
  ["Sun, 06 Nov 1994 08:49:37 GMT", RFC_DATE, RFC_DATE + 200, 400, 600],
  ["Sun, 06 Nov 1994 08:49:37 GMT", RFC_DATE, RFC_DATE + 1, 499, 501],
  ["Sun, 06 Nov 1994 08:49:37 GMT", RFC_DATE + 0.5, RFC_DATE + 0.5, 499, 501],
  ["Sun, 06 Nov 1994 08:49:37 GMT", RFC_DATE - 125_000, RFC_DATE - 124_800, 125_400, 600],
  ["Sun, 06 Nov 1994 08:49:37 GMT", RFC_DATE + 125_000, RFC_DATE + 125_200, -124_600, 600],
  ["Tue, 29 Feb 2000 12:00:00 GMT", 951_825_600_000, 951_825_600_000, 500, 500],
  ["Sat, 31 Dec 2016 23:59:60 GMT", 1_483_228_799_000, 1_483_228_799_000, 500, 500],
  ["Sun, 06 Nov 1994 08:49:37 GMT", -8.64e15, 8.64e15, RFC_DATE + 500, 8.64e15 + 500],
];

/** `clockIsOff`: [offsetMs, errorMs, period, off]: off when |offsetMs| − errorMs is over half the period. */
export const CLOCK_RULES = [
  [0, 500, undefined, false],
  [15_500, 500, undefined, false],
  [15_501, 500, undefined, true],
  [-15_501, 500, 30, true],
  [125_400, 600, 30, true],
  [125_400, 600, 300, false],
  [125_400, 110_400, 30, false],
  [-Number.MAX_SAFE_INTEGER, 0, 2 ** 32 - 1, true],
  [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 1, false],
];

function secretOf(t, s) {
  return s.bytes ? t.Secret.fromBytes(s.bytes) : t.Secret.fromBase32(s.base32);
}

/** Runs every case against a loaded twofa module; returns the failures. */
export function check(t) {
  const failures = [];
  const expect = (label, actual, expected) => {
    if (actual !== expected) failures.push(`${label}: got ${String(actual)}, expected ${String(expected)}`);
  };
  for (const c of CASES) {
    const secret = secretOf(t, c.secret);
    if (c.secret.base32 && c.secret.bytes) expect(`${c.name} base32`, secret.toBase32(), c.secret.base32);
    if (c.secret.canonical) expect(`${c.name} canonical`, secret.toBase32(), c.secret.canonical);
    if (c.secret.grouped) expect(`${c.name} grouped`, secret.toGrouped(), c.secret.grouped);
    if (c.secret.weak !== undefined) expect(`${c.name} weak`, secret.isWeak, c.secret.weak);
    for (const [counter, code] of c.hotp ?? []) {
      const hotp = new t.Hotp({ secret, ...c.options });
      expect(`${c.name} HOTP ${counter}`, hotp.generate(counter), code);
      const match = hotp.verify(code, { counter: typeof counter === "bigint" ? counter - 1n : Math.max(counter - 1, 0) });
      expect(`${c.name} HOTP verify ${counter}`, match?.counter, counter);
    }
    for (const [time, code] of c.totp ?? []) {
      const totp = new t.Totp({ secret: secret.toBase32(), ...c.options });
      expect(`${c.name} TOTP ${time}`, totp.generate(time), code);
      const match = totp.verify(code, { timestamp: time + 30_000 });
      expect(`${c.name} TOTP verify ${time}`, match && match.delta, -1);
    }
    secret.free();
  }
  for (const [call, code, message] of [...ERRORS, ...TRANSFER_ERRORS, ...FLOW_ERRORS, ...VAULT_ERRORS, ...IMPORT_ERRORS]) {
    let thrown;
    try {
      call(t);
    } catch (err) {
      thrown = err;
    }
    if (!(thrown instanceof Error)) {
      failures.push(`${code}: expected an Error, got ${String(thrown)}`);
      continue;
    }
    expect(`${code} name`, thrown.name, "TwofaError");
    expect(`${code} code`, thrown.code, code);
    expect(`${code} message`, thrown.message, message);
    if (/JBSWY3DP|EHPK3PXP/.test(thrown.message + thrown.stack)) failures.push(`${code}: the error shows the secret`);
    // The module keeps working after each error.
    expect(`after ${code}`, new t.Hotp({ secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" }).generate(1), "287082");
  }
  for (const [input, options, want, detail] of SHAPES) {
    const shape = t.checkToken(input, options);
    const label = `checkToken ${JSON.stringify(input.slice(0, 12))}`;
    expect(`${label} ok`, shape.ok, want === true);
    if (want === true) expect(`${label} token`, shape.token, detail);
    else {
      expect(`${label} incomplete`, shape.incomplete, want === "incomplete");
      expect(`${label} message`, shape.message, detail);
    }
  }
  for (const [date, sentAt, receivedAt, offsetMs, errorMs] of CLOCK_OFFSETS) {
    const got = t.estimateClockOffset({ date, sentAt, receivedAt });
    expect(`clock ${date} ${sentAt} ${receivedAt}`, JSON.stringify(got), JSON.stringify({ offsetMs, errorMs }));
  }
  for (const [offsetMs, errorMs, period, off] of CLOCK_RULES) {
    expect(`clockIsOff ${offsetMs} ± ${errorMs}, ${period}`, t.clockIsOff({ offsetMs, errorMs }, period), off);
  }
  checkLifecycle(t, expect);
  checkTransfer(t, expect);
  checkFlows(t, expect);
  checkVault(t, expect);
  checkImport(t, expect);
  return failures;
}

/** Object lifetimes and counters kept on the instance. */
function checkLifecycle(t, expect) {
  // A Secret handed to a constructor is copied: the caller's object stays usable.
  const s = t.Secret.fromBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  const hotp = new t.Hotp({ secret: s, counter: 2n ** 60n });
  expect("secret still usable", s.toBase32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  s.free();
  s.free(); // twice is harmless
  if (typeof Symbol.dispose === "symbol") s[Symbol.dispose](); // and so is disposing after it
  // A bigint counter on the instance gives bigint matches, even past 2^53.
  const next = hotp.generate(2n ** 60n + 1n);
  expect("bigint instance counter", hotp.verify(next)?.counter, 2n ** 60n + 1n);
  expect("bigint instance delta", hotp.verify(next)?.delta, 1);
  const numeric = new t.Hotp({ secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", counter: 2 });
  expect("number instance counter", numeric.verify("969429")?.counter, 3);
  expect("instance counter getter", numeric.counter, 2);
  // Steam codes verify, in either case.
  const steam = new t.Totp({ secret: "BASE32SECRET3232", encoder: "steam" });
  expect("steam verify", steam.verify("2tc8b", { timestamp: 0 })?.step, 0);
  for (const o of [hotp, numeric, steam]) o.free();
  checkMatches(t, expect);
}

/**
 * TOTP matches: a step and delta cross in one number while the step is under 2^42, and
 * through a second call past it; a short ASCII token crosses as a number, any other
 * through the input buffer. Each way must give the same answers.
 */
function checkMatches(t, expect) {
  const totp = new t.Totp({ secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" });
  const now = 1e12;
  const step = Math.floor(now / 30_000);
  for (const delta of [-1000, -1, 0, 1, 1000]) {
    const code = totp.generate((step + delta) * 30_000);
    const match = totp.verify(code, { timestamp: now, window: 1000 });
    expect(`match ${delta} delta`, match?.delta, delta);
    expect(`match ${delta} step`, match?.step, step + delta);
    const spaced = `${code.slice(0, 3)} ${code.slice(3)}`; // 7 characters: still a number
    expect(`match ${delta} spaced`, totp.verify(spaced, { timestamp: now, window: 1000 })?.step, step + delta);
  }
  // Period 1 s: steps around 2^42, and the last millisecond a Date can hold.
  const fast = new t.Totp({ secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", period: 1 });
  for (const at of [2 ** 42 - 2, 2 ** 42 - 1, 2 ** 42, 8.64e12 - 1]) {
    for (const delta of [-1, 0, 1]) {
      const match = fast.verify(fast.generate((at + delta) * 1000), { timestamp: at * 1000 });
      expect(`match at step ${at}${delta < 0 ? "" : "+"}${delta}`, match && `${match.step} ${match.delta}`, `${at + delta} ${delta}`);
    }
  }
  // Eight digits, typed in two groups: nine characters go through the input buffer.
  const eight = new t.Totp({ secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", digits: 8 });
  const code8 = eight.generate(now);
  expect("eight digits, grouped", eight.verify(`${code8.slice(0, 4)} ${code8.slice(4)}`, { timestamp: now })?.step, step);
  expect("eight digits", eight.verify(code8, { timestamp: now })?.delta, 0);
  // A wrong character in a short token is named as in a long one.
  for (const [token, message] of [
    ["12345\u0000", "token has a non-digit at position 6"],
    ["12345\u007f", "token has a non-digit at position 6"],
    ["12345\u00e9", "token has a non-digit at position 6"],
    ["1", "token must have 6 characters, not 1"],
    ["", "token is empty"],
  ]) {
    let thrown;
    try {
      totp.verify(token, { timestamp: now });
    } catch (err) {
      thrown = err;
    }
    expect(`token ${JSON.stringify(token)} code`, thrown?.code, "INVALID_TOKEN");
    expect(`token ${JSON.stringify(token)} message`, thrown?.message, message);
  }
  for (const o of [totp, fast, eight]) o.free();
}
