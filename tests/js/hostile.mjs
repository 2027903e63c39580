// Hostile values against every export of every entry, in any runtime (Node, through the
// `.node.mjs` or `.cjs` files, or a browser page): no `node:` import here.
//
// The contract under test (the issue's words): every export, given any JavaScript value,
// throws an `Error` named `TwofaError` whose `code` is one of the `ErrorCode` strings, or
// returns a valid result. Never a trap, never an Error without a code, never a hang, and
// the module keeps working after a million such calls in a row.
//
//   runHostile(entries, { report })  every hostile value in every slot of every callable;
//                                    then the known answers. Returns { failures, ... }.
//   millionCalls(entries, options)   1,000,000 calls in a row over the same slots, then
//                                    the known answers and each module's memory.
//
// `entries` is `{ twofa, qr, migration, flows, vault, import }`: each entry's module namespace,
// initialised. A slot is one place a value goes: a positional argument, a field of an
// options object or of a record (at any depth), or `this` of an instance method or getter.
//
// What counts as a pass for one call:
// - a normal return whose type is what the API declares for that callable, or
// - an `Error` with `name` "TwofaError" and a `code` from ERROR_CODES that the docs
//   (pkg/*.d.ts and the README's table of codes) give for that slot. INTERNAL_ERROR
//   ("anything else; please report it") is never a pass: a hostile value is an input
//   error and has a code of its own.
// Anything else is a failure: a `RuntimeError` (a trap), a `TypeError`, a non-Error throw,
// an Error without a code, a code from outside the union, a result of the wrong type, or a
// call that takes longer than SLOW_MS.

/** Every `code` of the `ErrorCode` union (pkg/records/twofa.d.ts; the Node test checks the two agree). */
export const ERROR_CODES = [
  "INVALID_BASE32",
  "SECRET_LENGTH",
  "ENTROPY_UNAVAILABLE",
  "INVALID_DIGITS",
  "INVALID_PERIOD",
  "INVALID_TIMESTAMP",
  "INVALID_DATE",
  "INVALID_TOKEN",
  "INVALID_WINDOW",
  "UNSUPPORTED_ALGORITHM",
  "INVALID_ENCODER",
  "INVALID_COUNTER",
  "INVALID_OPTIONS",
  "INVALID_URI",
  "INVALID_LABEL",
  "INVALID_MIGRATION",
  "QR_TOO_LONG",
  "INVALID_IMAGE",
  "INVALID_RECORD",
  "INVALID_KEY",
  "INVALID_VAULT",
  "WRONG_PASSPHRASE",
  "OBJECT_FREED",
  "NOT_INITIALIZED",
  "UNSUPPORTED_FORMAT",
  "PASSWORD_REQUIRED",
  "WRONG_PASSWORD",
  "INVALID_IMPORT",
  "IMPORT_LIMIT",
  "INTERNAL_ERROR",
];
const KNOWN_CODES = new Set(ERROR_CODES);

/** The entries, in the order they are reported. */
export const ENTRY_NAMES = ["twofa", "qr", "migration", "flows", "vault", "import"];

/** A call slower than this is a failure: a hostile value must be refused quickly, not worked on. */
export const SLOW_MS = 5000;

/** RFC 6238's secret, "12345678901234567890", in base32. */
const RFC_B32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const TOTP_URI = `otpauth://totp/ACME:ada@example.com?secret=${RFC_B32}&issuer=ACME`;
const HOTP_URI = `otpauth://hotp/ACME:ada?secret=${RFC_B32}&issuer=ACME&counter=5`;
/** Argon2id at the floor a vault may ask for (7 MiB, 5 passes): the shared fixtures stay quick. */
const CHEAP = { memoryKib: 7168, iterations: 5 };

// ---------------------------------------------------------------------------------------
// Describing values without running their code

/** A short description of any value that runs none of its code (no getter, trap or toString). */
export function describe(value) {
  try {
    switch (typeof value) {
      case "string":
        return value.length > 40 ? `a string of ${value.length} units` : JSON.stringify(value);
      case "bigint":
        return `${value}n`;
      case "symbol":
        return "a symbol";
      case "function":
        return "a function";
      case "object": {
        if (value === null) return "null";
        const tag = Object.prototype.toString.call(value);
        if (Array.isArray(value)) return `an array of ${value.length}`;
        return tag;
      }
      default:
        return Object.is(value, -0) ? "-0" : String(value);
    }
  } catch {
    return `a ${typeof value} that cannot be described`;
  }
}

/** What was thrown, in words, without trusting it. */
function thrown(err) {
  try {
    if (!(err instanceof Error)) return `threw a non-Error: ${describe(err)}`;
    const code = Object.hasOwn(err, "code") ? err.code : undefined;
    return `threw ${String(err.name)}${code === undefined ? "" : ` ${describe(code)}`}: ${JSON.stringify(String(err.message).slice(0, 160))}`;
  } catch {
    return "threw something that cannot be described";
  }
}

// ---------------------------------------------------------------------------------------
// The table of hostile values

const throwingTraps = {};
for (const trap of [
  "apply", "construct", "defineProperty", "deleteProperty", "get", "getOwnPropertyDescriptor", "getPrototypeOf",
  "has", "isExtensible", "ownKeys", "preventExtensions", "set", "setPrototypeOf",
]) {
  throwingTraps[trap] = () => {
    throw new Error(`hostile ${trap} trap`);
  };
}

/** Every option, record field and property name the API reads, each a throwing getter. */
const KEYS = [
  "type", "secret", "algorithm", "digits", "period", "epoch", "counter", "encoder", "issuer", "account", "image",
  "timestamp", "window", "afterStep", "past", "future", "ecc", "margin", "dark", "light", "width", "height", "data",
  "count", "now", "user", "ttl", "code", "maxAttempts", "deviceId", "label", "revoked", "freeAttempts", "baseDelay",
  "maxDelay", "memoryKib", "iterations", "maxMemoryKib", "maxIterations", "length", "byteLength", "byteOffset",
  "purpose", "state", "password", "maxMemoryMiB", "date", "sentAt", "receivedAt", "offsetMs", "errorMs",
  "buffer", "0", "1", "version", "salt", "hashes", "createdAt", "hash", "issuedAt", "expiresAt", "usedAt",
  "attemptsLeft", "used", "failures", "lockedUntil", "toJSON", "then", "module", "module_or_path", "name", "message",
];

function getters(keys, thrower) {
  const o = {};
  for (const key of keys) Object.defineProperty(o, key, { get: thrower, enumerable: true });
  return o;
}

/** An Error named TwofaError with a code from outside the union, thrown by user code. */
function fakeTwofaError() {
  const err = new Error("not from twofa");
  err.name = "TwofaError";
  err.code = "FAKE_CODE";
  return err;
}

function detached(length) {
  const buffer = new ArrayBuffer(length);
  const bytes = new Uint8Array(buffer);
  if (typeof buffer.transfer === "function") buffer.transfer();
  else structuredClone(buffer, { transfer: [buffer] });
  return bytes;
}

class SubBytes extends Uint8Array {}
class EvilBytes extends Uint8Array {
  get length() {
    throw new Error("hostile length");
  }
  get byteLength() {
    throw new Error("hostile byteLength");
  }
  slice() {
    throw new Error("hostile slice");
  }
  subarray() {
    throw new Error("hostile subarray");
  }
  set() {
    throw new Error("hostile set");
  }
  static get [Symbol.species]() {
    throw new Error("hostile species");
  }
}

let bigStrings;
/** The huge strings, made once: several MB, two-byte, and one past 16 MiB. */
function huge() {
  bigStrings ??= [
    { name: "3 MiB of 'A' (valid base32 characters)", value: "A".repeat(3 << 20), big: true },
    { name: "2 Mi emoji (4 Mi units, 8 MiB of UTF-8)", value: "😀".repeat(2 << 20), big: true },
    { name: "16 MiB + 1 of 'a'", value: "a".repeat((16 << 20) + 1), big: true },
  ];
  return bigStrings;
}

/**
 * The hostile values: `{ name, value }`, or `{ name, make, done }` for one made fresh for
 * each call (an instance, which a call may free). `big` marks the huge strings. `kind` and
 * `state` mark twofa's own instances, for the `this` slots.
 */
export function hostileValues(entries, { big = true } = {}) {
  const values = [];
  const add = (name, value, extra = {}) => values.push({ name, value, ...extra });

  // Primitives.
  add("undefined", undefined);
  add("null", null);
  add("true", true);
  add("false", false);
  add("0", 0);
  add("-0", -0);
  add("NaN", NaN);
  add("Infinity", Infinity);
  add("-Infinity", -Infinity);
  add("1e308", 1e308);
  add("2 ** 53 + 2", 2 ** 53 + 2);
  add("Number.MAX_SAFE_INTEGER", Number.MAX_SAFE_INTEGER);
  add("0.5", 0.5);
  add("-1", -1);
  add("2 ** 32", 2 ** 32);
  add("5e-324", 5e-324);
  add("2n ** 64n", 2n ** 64n);
  add("2n ** 64n - 1n", 2n ** 64n - 1n);
  add("-1n", -1n);
  add("10n ** 30n", 10n ** 30n);
  add("0n", 0n);
  add('""', "");
  add('"\\0"', "\0");
  add("a lone high surrogate", "\uD800");
  add("a lone low surrogate inside text", "ab\uDC00cd");
  add("an emoji", "😀");
  add("a 64 KiB + 1 string", "x".repeat(65537));
  add('"123456"', "123456");
  add('"GEZDGNBVGY3TQOJQ" (valid base32)', "GEZDGNBVGY3TQOJQ");
  add("a valid otpauth:// URI", `otpauth://totp/x?secret=${RFC_B32}`);
  add('"__proto__"', "__proto__");
  add("a symbol", Symbol("hostile"));
  add("Symbol.iterator", Symbol.iterator);
  if (big) for (const v of huge()) values.push(v);

  // Functions and classes.
  add("an arrow function", () => {});
  add("a class", class Hostile {});
  add("a function whose properties throw", (() => {
    const fn = function f() {};
    for (const key of ["secret", "user", "width", "now", "toJSON"]) {
      Object.defineProperty(fn, key, { get() { throw new Error("hostile function property"); } });
    }
    return fn;
  })());
  add("an async function", async () => {});

  // Plain objects, frozen, null prototype, throwing conversions.
  add("{}", {});
  add("Object.create(null)", Object.create(null));
  add("a frozen object", Object.freeze({ secret: RFC_B32, user: "ada" }));
  add("a null-prototype object with data", Object.assign(Object.create(null), { secret: RFC_B32, width: 1, length: 1 }));
  add("an object whose getters throw an Error", getters(KEYS, () => { throw new Error("hostile getter"); }));
  add("an object whose getters throw 42", getters(KEYS, () => { throw 42; }));
  add("an object whose getters throw a fake TwofaError", getters(KEYS, () => { throw fakeTwofaError(); }));
  add("an object whose getters throw an Error whose name throws", getters(KEYS, () => {
    const err = new Error("x");
    Object.defineProperty(err, "name", { get() { throw new Error("name"); } });
    throw err;
  }));
  add("an object whose getters throw a Proxy whose traps throw", getters(KEYS, () => { throw new Proxy({}, throwingTraps); }));
  add("an object whose toString throws", { toString() { throw new Error("hostile toString"); } });
  add("an object whose valueOf throws", { valueOf() { throw new Error("hostile valueOf"); } });
  add("an object whose Symbol.toPrimitive throws", { [Symbol.toPrimitive]() { throw new Error("hostile toPrimitive"); } });
  add("an object whose toJSON throws", { toJSON() { throw new Error("hostile toJSON"); } });
  add("an object whose toJSON returns undefined", { toJSON() { return undefined; } });
  add("an object whose toJSON returns a bigint", { toJSON() { return 1n; } });
  add("a cyclic object", (() => { const o = { a: 1 }; o.self = o; return o; })());
  // Made for each call, so each call sees the same sequence: a string, then a number, ...
  values.push({
    name: "an object whose getters answer differently each time",
    make: () => {
      let n = 0;
      return getters(KEYS, () => (n++ % 2 ? 42 : RFC_B32));
    },
  });
  add("a thenable that throws", { then() { throw new Error("hostile then"); } });

  // Arrays and array-likes.
  add("[]", []);
  add("a sparse array", [, , ,]); // eslint-disable-line no-sparse-arrays
  add("an array of 2 ** 32 - 1", (() => { const a = []; a.length = 2 ** 32 - 1; return a; })());
  add("[1, 2, 3]", [1, 2, 3]);
  add('["", 0, null]', ["", 0, null]);
  add("an array whose index getter throws", Object.defineProperty([1, 2], "0", { get() { throw new Error("hostile index"); } }));
  add("an array-like with length 3", { length: 3 });
  add("an array-like with length 2 ** 53", { length: 2 ** 53, 0: "a" });
  add("an array-like with length -1", { length: -1 });
  add("an array-like with length NaN", { length: NaN });
  add('an array-like with length "1"', { length: "1", 0: "a" });
  add("an array-like whose length getter throws", { get length() { throw new Error("hostile length"); } });

  // Typed arrays, buffers and their impostors.
  add("Uint8Array(0)", new Uint8Array(0));
  add("Uint8Array(20)", new Uint8Array(20).fill(7));
  add("Uint8Array(4097)", new Uint8Array(4097));
  add("Uint8ClampedArray(20)", new Uint8ClampedArray(20).fill(9));
  add("Int8Array(20)", new Int8Array(20));
  add("Float64Array(3)", new Float64Array(3));
  add("BigUint64Array(2)", new BigUint64Array(2));
  add("DataView(20)", new DataView(new ArrayBuffer(20)));
  add("ArrayBuffer(20)", new ArrayBuffer(20));
  add("a Uint8Array subclass", new SubBytes(32).fill(3));
  add("a Uint8Array subclass whose getters and methods throw", new EvilBytes(32));
  add("a Uint8Array over a detached buffer", detached(32));
  add("a Uint8Array at an offset of a larger buffer", new Uint8Array(new ArrayBuffer(64), 16, 32));
  add("a Uint8Array whose own length/byteLength/buffer lie", (() => {
    const u = new Uint8Array(20);
    Object.defineProperty(u, "length", { value: 1e9 });
    Object.defineProperty(u, "byteLength", { value: 2 ** 40 });
    Object.defineProperty(u, "buffer", { value: new ArrayBuffer(4) });
    Object.defineProperty(u, "byteOffset", { value: -5 });
    return u;
  })());
  add("a Uint8Array whose own length/byteLength getters throw", (() => {
    const u = new Uint8Array(20);
    for (const key of ["length", "byteLength", "buffer", "byteOffset"]) {
      Object.defineProperty(u, key, { get() { throw new Error(`hostile ${key}`); } });
    }
    return u;
  })());
  add("Object.create(Uint8Array.prototype)", Object.create(Uint8Array.prototype));
  add("an object with Uint8Array's prototype whose length/byteLength lie", Object.create(Uint8Array.prototype, {
    length: { value: 32 },
    byteLength: { value: 32 },
    byteOffset: { value: 0 },
    buffer: { value: new ArrayBuffer(32) },
    [Symbol.toStringTag]: { value: "Uint8Array" },
  }));
  if (typeof SharedArrayBuffer === "function") add("a Uint8Array over a SharedArrayBuffer", new Uint8Array(new SharedArrayBuffer(32)));
  try {
    const rab = new ArrayBuffer(32, { maxByteLength: 64 });
    if (rab.resizable) {
      add("a length-tracking Uint8Array over a resizable buffer", new Uint8Array(rab));
      const shrunk = new ArrayBuffer(32, { maxByteLength: 64 });
      const out = new Uint8Array(shrunk, 16, 16);
      shrunk.resize(8);
      add("a Uint8Array out of bounds of a shrunk resizable buffer", out);
    }
  } catch {
    // No resizable buffers here.
  }

  // Proxies.
  add("a Proxy around a Uint8Array", new Proxy(new Uint8Array(32), {}));
  add("a Proxy around a plain object", new Proxy({ secret: RFC_B32 }, {}));
  add("a Proxy around an array", new Proxy(["a", "b"], {}));
  add("a Proxy whose traps throw", new Proxy({}, throwingTraps));
  add("a callable Proxy whose traps throw", new Proxy(function f() {}, throwingTraps));
  add("a Proxy around a Uint8Array whose traps throw", new Proxy(new Uint8Array(32), throwingTraps));
  add("a revoked Proxy", (() => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; })());

  // Built-ins.
  add("a Date", new Date(0));
  add("an invalid Date", new Date(NaN));
  add("a RegExp", /x/g);
  add("a Promise", Promise.resolve(1));
  add("a Map", new Map([["secret", RFC_B32]]));
  add("a Set", new Set([1]));
  add("a WeakMap", new WeakMap());
  add("an Error", new Error("hostile"));
  add("a fake TwofaError", fakeTwofaError());
  add("new Number(30)", new Number(30));
  add('new String("123456")', new String("123456"));
  add("Object(1n)", Object(1n));
  add("Object(Symbol())", Object(Symbol("boxed")));

  // twofa's own objects, made fresh for each call: live, freed, impostors.
  for (const value of instanceValues(entries)) values.push(value);
  return values;
}

/** Live and freed instances of every class, and objects with their prototypes. */
function instanceValues(e) {
  const out = [];
  const made = (name, kind, state, make) =>
    out.push({ name, kind, state, make, done: (v) => { try { v?.free?.(); } catch { /* not ours to free */ } } });
  const freed = (make) => () => {
    const v = make();
    v.free();
    return v;
  };
  if (e.twofa) {
    const { Secret, Totp, Hotp } = e.twofa;
    const secret = () => Secret.fromBase32(RFC_B32);
    const totp = () => new Totp({ secret: RFC_B32, digits: 8 });
    const hotp = () => new Hotp({ secret: RFC_B32, counter: 1 });
    made("a live Secret", "Secret", "live", secret);
    made("a freed Secret", "Secret", "freed", freed(secret));
    made("Object.create(Secret.prototype)", "Secret", "impostor", () => Object.create(Secret.prototype));
    let target;
    out.push({
      name: "a Proxy around a live Secret",
      kind: "Secret",
      state: "proxy",
      make: () => new Proxy((target = secret()), {}),
      done: () => target.free(),
    });
    made("a live Totp", "Totp", "live", totp);
    made("a freed Totp", "Totp", "freed", freed(totp));
    made("Object.create(Totp.prototype)", "Totp", "impostor", () => Object.create(Totp.prototype));
    made("a live Hotp", "Hotp", "live", hotp);
    made("a freed Hotp", "Hotp", "freed", freed(hotp));
    made("Object.create(Hotp.prototype)", "Hotp", "impostor", () => Object.create(Hotp.prototype));
  }
  if (e.vault) {
    const { VaultKey } = e.vault;
    const key = () => VaultKey.fromBytes(vaultKeyBytes(e));
    made("a live VaultKey", "VaultKey", "live", key);
    made("a freed VaultKey", "VaultKey", "freed", freed(key));
    made("Object.create(VaultKey.prototype)", "VaultKey", "impostor", () => Object.create(VaultKey.prototype));
  }
  return out;
}

const keyBytesOf = new WeakMap();
/** The 57 bytes of a cheap vault key, derived once per vault module. */
function vaultKeyBytes(e) {
  let bytes = keyBytesOf.get(e.vault);
  if (!bytes) {
    const key = e.vault.VaultKey.derive("hostile", CHEAP);
    bytes = key.toBytes();
    key.free();
    keyBytesOf.set(e.vault, bytes);
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------
// What a result must look like

const problem = (ok, what) => (ok ? null : what);
const isInt = (n) => typeof n === "number" && Number.isInteger(n);
const isTime = (n) => typeof n === "number" && Number.isFinite(n);
const isText = (s) => typeof s === "string";
const isObj = (o) => typeof o === "object" && o !== null;

const R = {
  string: (r) => problem(isText(r), "a string"),
  base32: (r) => problem(isText(r) && /^[A-Z2-7]+$/.test(r), "canonical base32"),
  grouped: (r) => problem(isText(r) && /^[A-Z2-7]{1,4}( [A-Z2-7]{1,4})*$/.test(r), "grouped base32"),
  bytes: (len) => (r) => problem(r instanceof Uint8Array && (len === undefined || r.length === len), `a Uint8Array${len ? ` of ${len}` : ""}`),
  bool: (r) => problem(typeof r === "boolean", "a boolean"),
  int: (r) => problem(isInt(r), "a whole number"),
  undef: (r) => problem(r === undefined, "undefined"),
  code: (r) => problem(isText(r) && /^(\d{6,10}|[2-9BCDFGHJKMNPQRTVWXY]{5})$/.test(r), "a code of 6 to 10 digits or 5 Steam characters"),
  uri: (r) => problem(isText(r) && r.startsWith("otpauth://"), "an otpauth:// URI"),
  optText: (r) => problem(r === undefined || isText(r), "a string or undefined"),
  counter: (r) => problem((isInt(r) && r >= 0) || (typeof r === "bigint" && r >= 0n), "a counter"),
  instance: (cls, name) => (r) => problem(r instanceof cls, `a ${name}`),
  memory: (r) => problem(isObj(r) && r.memory?.buffer instanceof ArrayBuffer, "{ memory }"),
};

const totpMatch = (r) => problem(r === null || (isObj(r) && isInt(r.delta) && isInt(r.step)), "null or { delta, step }");
const hotpMatch = (r) => problem(r === null || (isObj(r) && isInt(r.delta) && R.counter(r.counter) === null), "null or { delta, counter }");
const resynced = (r) => problem(r === null || (isObj(r) && R.counter(r.counter) === null), "null or { counter }");
const tokenShape = (r) =>
  problem(
    isObj(r) && (r.ok === true ? isText(r.token) : r.ok === false && typeof r.incomplete === "boolean" && isText(r.message)),
    "{ ok: true, token } or { ok: false, incomplete, message }",
  );
const parsed = (r) =>
  problem(isObj(r) && (r.type === "totp" || r.type === "hotp") && isText(r.secret) && Array.isArray(r.warnings), "a parsed account");
const clockOffset = (r) =>
  problem(isObj(r) && isInt(r.offsetMs) && isInt(r.errorMs) && r.errorMs >= 500 && Object.keys(r).length === 2, "{ offsetMs, errorMs }");
const svg = (r) => problem(isText(r) && /^<(svg|\?xml)/.test(r), "an SVG document");
const matrix = (r) => problem(isObj(r) && isInt(r.size) && r.modules instanceof Uint8Array && r.modules.length === r.size * r.size, "{ size, modules }");
const texts = (r) => problem(Array.isArray(r) && r.every(isText), "an array of strings");
const batch = (r) => problem(isObj(r) && Array.isArray(r.accounts) && Array.isArray(r.warnings), "a migration batch");
const exported = (r) => problem(isObj(r) && Array.isArray(r.uris) && r.uris.every(isText) && Array.isArray(r.warnings), "{ uris, warnings }");
const backupCodes = (r) => problem(isObj(r) && Array.isArray(r.codes) && r.codes.every(isText) && isObj(r.record), "{ codes, record }");
const backupCheck = (r) => problem(isObj(r) && typeof r.matched === "boolean" && isInt(r.remaining) && isObj(r.record), "{ matched, remaining, record }");
const answersRecord = (r) =>
  problem(
    isObj(r) && r.version === 1 && Array.isArray(r.questions) && r.memoryKib === 19456 && r.passes === 2 && isText(r.salt) && isText(r.hash) && isTime(r.createdAt) && isInt(r.revision) && r.revision >= 1,
    "a security answers record",
  );
const answersCheck = (r) => problem(isObj(r) && typeof r.matched === "boolean" && Object.keys(r).length === 1, "{ matched }");
const issued = (r) => problem(isObj(r) && isText(r.code) && isObj(r.record), "{ code, record }");
const recoveryCheck = (r) =>
  problem(isObj(r) && ["OK", "EXPIRED", "USED", "UNKNOWN"].includes(r.status) && Array.isArray(r.records), "{ status, records }");
const verificationCheck = (r) =>
  problem(
    isObj(r) && ["OK", "WRONG", "EXPIRED", "LOCKED", "USED"].includes(r.outcome) && isInt(r.attemptsLeft) && isObj(r.record),
    "{ outcome, attemptsLeft, record }",
  );
const deviceIssued = (r) =>
  problem(isObj(r) && isText(r.token) && isText(r.deviceId) && isText(r.label) && isTime(r.issuedAt) && isTime(r.expiresAt), "an issued device token");
const deviceCheck = (r) =>
  problem(
    isObj(r) &&
      (r.ok === true
        ? isText(r.deviceId) && isInt(r.keyIndex) && isTime(r.expiresAt)
        : r.ok === false && ["MALFORMED", "BAD_SIGNATURE", "EXPIRED", "REVOKED", "WRONG_USER"].includes(r.reason)),
    "a device check",
  );
const linkIssued = (r) =>
  problem(isObj(r) && isText(r.token) && isText(r.linkId) && isText(r.purpose) && isText(r.user) && isTime(r.issuedAt) && isTime(r.expiresAt), "an issued action link");
const linkCheck = (r) =>
  problem(
    isObj(r) &&
      (r.ok === true
        ? isText(r.linkId) && isText(r.purpose) && isText(r.user) && isInt(r.keyIndex) && isTime(r.expiresAt)
        : r.ok === false && ["MALFORMED", "BAD_SIGNATURE", "EXPIRED", "WRONG_PURPOSE", "WRONG_USER", "REVOKED", "STATE_CHANGED"].includes(r.reason)),
    "an action link check",
  );
const decision = (r) => problem(isObj(r) && typeof r.allowed === "boolean" && isTime(r.retryAt) && isTime(r.wait) && r.wait >= 0, "{ allowed, retryAt, wait }");
const throttleState = (r) =>
  problem(isObj(r) && isInt(r.failures) && r.failures >= 0 && isTime(r.lockedUntil) && isInt(r.revision) && r.revision > 0, "{ failures, lockedUntil, revision }");
const vaultText = (r) => problem(isText(r) && r.startsWith("$twofa-vault$v=2$"), "a sealed vault");
const importResult = (r) =>
  problem(
    isObj(r) && isText(r.format) && Array.isArray(r.accounts) && r.accounts.every((a) => isText(a.secret) && isInt(a.index) && isText(a.name)) &&
      Array.isArray(r.warnings) && r.warnings.every((w) => isText(w.code) && isText(w.message) && isInt(w.index)),
    "{ format, accounts, warnings }",
  );
const aegisText = (r) => problem(isText(r) && r.startsWith("{") && r.includes('"db"'), "Aegis JSON");
/** What reading an export may throw: the input is not one, or not a readable one. */
const IMPORT_CODES = ["UNSUPPORTED_FORMAT", "INVALID_IMPORT", "IMPORT_LIMIT", "PASSWORD_REQUIRED", "WRONG_PASSWORD"];

// ---------------------------------------------------------------------------------------
// What each slot may throw: the codes the docs give for a bad value there. INVALID_OPTIONS
// ("an option of the wrong type") is allowed too, unless the slot is `exact`.

const URI_CODES = ["INVALID_URI", "INVALID_BASE32", "SECRET_LENGTH", "UNSUPPORTED_ALGORITHM", "INVALID_DIGITS", "INVALID_PERIOD", "INVALID_COUNTER", "INVALID_ENCODER"];
const ACCOUNT_FIELD_CODES = {
  type: [],
  secret: ["INVALID_BASE32", "SECRET_LENGTH", "OBJECT_FREED"],
  algorithm: ["UNSUPPORTED_ALGORITHM"],
  digits: ["INVALID_DIGITS"],
  period: ["INVALID_PERIOD"],
  epoch: ["INVALID_TIMESTAMP"],
  counter: ["INVALID_COUNTER"],
  encoder: ["INVALID_ENCODER", "INVALID_DIGITS"],
  issuer: ["INVALID_LABEL"],
  account: ["INVALID_LABEL"],
  image: [],
};
const ACCOUNT_CODES = [...new Set(Object.values(ACCOUNT_FIELD_CODES).flat()), "INVALID_LABEL"];
/** buildUri's: a URI cannot carry a TOTP epoch (T0) other than 0, nor be over 65,536 bytes. */
const BUILD_FIELD_CODES = { ...ACCOUNT_FIELD_CODES, epoch: ["INVALID_TIMESTAMP", "INVALID_URI"], image: ["INVALID_URI"] };
const BUILD_CODES = [...ACCOUNT_CODES, "INVALID_URI"];

/**
 * The codes of one slot: by its full path (`"1.window.past"`), else by the last part of
 * its path (`"past"`), else `"*"`. A slot listed in `exact` allows only its own codes.
 */
function codesFor(spec, path) {
  const last = path[path.length - 1];
  const table = spec.codes ?? {};
  const key = path.join(".");
  const codes = table[key] ?? (path.length > 1 ? table[String(last)] : undefined) ?? table["*"] ?? [];
  const exact = (spec.exact ?? []).includes(key);
  return { codes: new Set(exact ? codes : [...codes, "INVALID_OPTIONS"]), exact };
}

// ---------------------------------------------------------------------------------------
// Every callable of every entry

/**
 * The callables: `{ entry, name, args, call, ok, codes, exact, paths, self, owners, async,
 * slow }`. `args()` makes valid arguments; `paths` lists the places a hostile value goes
 * (`[i]` a positional argument, `[i, "field", ...]` inside one); `self()` makes a live
 * instance for an instance method, and `owners` are the kinds its `this` may be.
 */
export function callables(entries, fixtures) {
  const list = [];
  const def = (entry, name, spec) => list.push({ entry, name, ...spec });
  const f = fixtures;

  for (const n of ENTRY_NAMES) {
    const m = entries[n];
    if (!m) continue;
    def(n, "default (init)", { args: () => [undefined], call: (a) => m.default(...a), ok: R.memory, paths: [[0], [0, "module_or_path"]], async: true });
    def(n, "initSync", { args: () => [undefined], call: (a) => m.initSync(...a), ok: R.memory, paths: [[0], [0, "module"]] });
  }

  if (entries.twofa) {
    const { Secret, Totp, Hotp, checkToken, parseUri, buildUri, estimateClockOffset, clockIsOff } = entries.twofa;
    const secret = () => Secret.fromBase32(RFC_B32);
    const T = "twofa";
    def(T, "Secret.generate", { args: () => [20], call: (a) => Secret.generate(...a), ok: R.instance(Secret, "Secret"), paths: [[0]], codes: { 0: ["SECRET_LENGTH"] } });
    def(T, "Secret.fromBase32", { args: () => [RFC_B32], call: (a) => Secret.fromBase32(...a), ok: R.instance(Secret, "Secret"), paths: [[0]], codes: { 0: ["INVALID_BASE32", "SECRET_LENGTH"] } });
    def(T, "Secret.fromBytes", { args: () => [new Uint8Array(20).fill(1)], call: (a) => Secret.fromBytes(...a), ok: R.instance(Secret, "Secret"), paths: [[0]], codes: { 0: ["SECRET_LENGTH"] } });
    def(T, "new Secret", { args: () => [undefined, 1], call: (a) => new Secret(...a), ok: () => "no Secret from outside", paths: [[0], [1]], exact: ["0", "1"], codes: { "*": ["INVALID_OPTIONS"] } });
    const secretMethod = (name, ok, args = () => [], extra = {}) =>
      def(T, `Secret#${name}`, { self: secret, owners: ["Secret"], args, call: (a, self) => Secret.prototype[name].apply(self, a), ok, ...extra });
    const secretGetter = (name, ok) => {
      const get = Object.getOwnPropertyDescriptor(Secret.prototype, name).get;
      def(T, `Secret#${name}`, { self: secret, owners: ["Secret"], args: () => [], call: (_, self) => get.call(self), ok });
    };
    secretMethod("toBase32", R.base32);
    secretMethod("toGrouped", R.grouped);
    secretMethod("toBytes", R.bytes(20));
    secretGetter("byteLength", R.int);
    secretGetter("isWeak", R.bool);
    secretMethod("clone", R.instance(Secret, "Secret"));
    secretMethod("equals", R.bool, () => [f.secret], { paths: [[0]], codes: { 0: ["OBJECT_FREED"] } });
    secretMethod("toString", R.string, () => [], { foreignMayReturn: true });
    secretMethod("toJSON", R.string, () => [], { foreignMayReturn: true });
    secretMethod("free", R.undef, () => [], { noop: true });
    if (typeof Symbol.dispose === "symbol") {
      def(T, "Secret#[Symbol.dispose]", { self: secret, owners: ["Secret"], args: () => [], call: (_, self) => Secret.prototype[Symbol.dispose].call(self), ok: R.undef, noop: true });
    }

    const totpOptions = () => ({ secret: RFC_B32, algorithm: "SHA1", digits: 8, period: 30, epoch: 0, issuer: "ACME", account: "ada", image: "https://example.com/a.png" });
    const totpPaths = [[0], ...["secret", "algorithm", "digits", "period", "epoch", "encoder", "issuer", "account", "image"].map((k) => [0, k])];
    def(T, "new Totp", { args: () => [totpOptions()], call: (a) => new Totp(...a), ok: R.instance(Totp, "Totp"), paths: totpPaths, codes: { 0: ACCOUNT_CODES, ...ACCOUNT_FIELD_CODES } });
    def(T, "Totp.fromUri", { args: () => [TOTP_URI], call: (a) => Totp.fromUri(...a), ok: R.instance(Totp, "Totp"), paths: [[0]], codes: { 0: URI_CODES } });
    const totp = () => new Totp({ secret: RFC_B32, digits: 8 });
    const hotp = () => new Hotp({ secret: RFC_B32, counter: 1 });
    // Class names are minified in the bundles: each is named here.
    const nameOf = (cls) => (cls === Totp ? "Totp" : "Hotp");
    const method = (cls, owners, self, name, ok, spec = {}) =>
      def(T, `${nameOf(cls)}#${name}`, { self, owners, args: () => [], call: (a, s) => cls.prototype[name].apply(s, a), ok, ...spec });
    const getter = (cls, owners, self, name, ok) => {
      let proto = cls.prototype;
      while (!Object.getOwnPropertyDescriptor(proto, name)) proto = Object.getPrototypeOf(proto);
      const get = Object.getOwnPropertyDescriptor(proto, name).get;
      def(T, `${nameOf(cls)}#${name}`, { self, owners, args: () => [], call: (_, s) => get.call(s), ok });
    };
    method(Totp, ["Totp"], totp, "generate", R.code, { args: () => [59_000], paths: [[0]], codes: { 0: ["INVALID_TIMESTAMP"] } });
    method(Totp, ["Totp"], totp, "verify", totpMatch, {
      args: () => ["94287082", { timestamp: 59_000, window: { past: 1, future: 1 }, afterStep: 0 }],
      paths: [[0], [1], [1, "timestamp"], [1, "window"], [1, "window", "past"], [1, "window", "future"], [1, "afterStep"]],
      codes: { 0: ["INVALID_TOKEN"], 1: ["INVALID_TIMESTAMP", "INVALID_WINDOW"], timestamp: ["INVALID_TIMESTAMP"], window: ["INVALID_WINDOW"], past: ["INVALID_WINDOW"], future: ["INVALID_WINDOW"], afterStep: [] },
      exact: ["0"],
    });
    method(Totp, ["Totp"], totp, "stepAt", R.int, { args: () => [59_000], paths: [[0]], codes: { 0: ["INVALID_TIMESTAMP"] } });
    method(Totp, ["Totp"], totp, "remaining", R.int, { args: () => [59_000], paths: [[0]], codes: { 0: ["INVALID_TIMESTAMP"] } });
    for (const [cls, self, owners] of [[Totp, totp, ["Totp", "Hotp"]], [Hotp, hotp, ["Totp", "Hotp"]]]) {
      method(cls, owners, self, "toUri", R.uri);
      getter(cls, owners, self, "secret", R.instance(Secret, "Secret"));
      getter(cls, owners, self, "algorithm", (r) => problem(["SHA1", "SHA256", "SHA512"].includes(r), "an algorithm"));
      getter(cls, owners, self, "digits", R.int);
      getter(cls, owners, self, "issuer", R.optText);
      getter(cls, owners, self, "account", R.optText);
      getter(cls, owners, self, "image", R.optText);
      method(cls, owners, self, "free", R.undef, { noop: true });
      if (typeof Symbol.dispose === "symbol") {
        def(T, `${nameOf(cls)}#[Symbol.dispose]`, { self, owners, args: () => [], call: (_, s) => cls.prototype[Symbol.dispose].call(s), ok: R.undef, noop: true });
      }
    }
    getter(Totp, ["Totp"], totp, "period", R.int);
    getter(Totp, ["Totp"], totp, "epoch", (r) => problem(isTime(r), "a number"));
    getter(Totp, ["Totp"], totp, "encoder", (r) => problem(r === undefined || r === "steam", '"steam" or undefined'));

    const hotpOptions = () => ({ secret: RFC_B32, algorithm: "SHA1", digits: 6, counter: 1, issuer: "ACME", account: "ada", image: "https://example.com/a.png" });
    const hotpPaths = [[0], ...["secret", "algorithm", "digits", "counter", "encoder", "issuer", "account", "image"].map((k) => [0, k])];
    def(T, "new Hotp", { args: () => [hotpOptions()], call: (a) => new Hotp(...a), ok: R.instance(Hotp, "Hotp"), paths: hotpPaths, codes: { 0: ACCOUNT_CODES, ...ACCOUNT_FIELD_CODES } });
    def(T, "Hotp.fromUri", { args: () => [HOTP_URI], call: (a) => Hotp.fromUri(...a), ok: R.instance(Hotp, "Hotp"), paths: [[0]], codes: { 0: URI_CODES } });
    method(Hotp, ["Hotp"], hotp, "generate", R.code, { args: () => [0], paths: [[0]], codes: { 0: ["INVALID_COUNTER"] } });
    method(Hotp, ["Hotp"], hotp, "verify", hotpMatch, {
      args: () => ["287082", { counter: 0, window: 3 }],
      paths: [[0], [1], [1, "counter"], [1, "window"]],
      codes: { 0: ["INVALID_TOKEN"], 1: ["INVALID_COUNTER", "INVALID_WINDOW"], counter: ["INVALID_COUNTER"], window: ["INVALID_WINDOW", "INVALID_COUNTER"] },
      exact: ["0"],
    });
    method(Hotp, ["Hotp"], hotp, "resync", resynced, {
      args: () => ["287082", "359152", { counter: 0, window: 10 }],
      paths: [[0], [1], [2], [2, "counter"], [2, "window"]],
      codes: { 0: ["INVALID_TOKEN"], 1: ["INVALID_TOKEN"], 2: ["INVALID_COUNTER", "INVALID_WINDOW"], counter: ["INVALID_COUNTER"], window: ["INVALID_WINDOW", "INVALID_COUNTER"] },
      exact: ["0", "1"],
    });
    getter(Hotp, ["Hotp"], hotp, "counter", R.counter);

    def(T, "checkToken", {
      args: () => ["123 456", { digits: 6, encoder: undefined }],
      call: (a) => checkToken(...a),
      ok: tokenShape,
      paths: [[0], [1], [1, "digits"], [1, "encoder"]],
      codes: { 0: ["INVALID_TOKEN"], 1: ["INVALID_DIGITS", "INVALID_ENCODER"], digits: ["INVALID_DIGITS"], encoder: ["INVALID_ENCODER", "INVALID_DIGITS"] },
    });
    def(T, "parseUri", { args: () => [TOTP_URI], call: (a) => parseUri(...a), ok: parsed, paths: [[0]], codes: { 0: URI_CODES } });
    def(T, "estimateClockOffset", {
      args: () => [{ date: "Sun, 06 Nov 1994 08:49:37 GMT", sentAt: 784_111_777_000, receivedAt: 784_111_777_200 }],
      call: (a) => estimateClockOffset(...a),
      ok: clockOffset,
      paths: [[0], [0, "date"], [0, "sentAt"], [0, "receivedAt"]],
      codes: { date: ["INVALID_DATE"], sentAt: ["INVALID_TIMESTAMP"], receivedAt: ["INVALID_TIMESTAMP"] },
    });
    def(T, "clockIsOff", {
      args: () => [{ offsetMs: 125_400, errorMs: 600 }, 30],
      call: (a) => clockIsOff(...a),
      ok: R.bool,
      paths: [[0], [0, "offsetMs"], [0, "errorMs"], [1]],
      codes: { 1: ["INVALID_PERIOD"] },
    });
    const uriPaths = (o) => [[0], ...Object.keys(o).map((k) => [0, k])];
    const buildTotp = () => ({ type: "totp", ...totpOptions(), encoder: undefined });
    const buildHotp = () => ({ type: "hotp", ...hotpOptions(), encoder: undefined });
    def(T, "buildUri (totp)", { args: () => [buildTotp()], call: (a) => buildUri(...a), ok: R.uri, paths: uriPaths(buildTotp()), codes: { 0: BUILD_CODES, ...BUILD_FIELD_CODES } });
    def(T, "buildUri (hotp)", { args: () => [buildHotp()], call: (a) => buildUri(...a), ok: R.uri, paths: uriPaths(buildHotp()).slice(1), codes: BUILD_FIELD_CODES });
  }

  if (entries.qr) {
    const { qrSvg, qrMatrix, decodeQr } = entries.qr;
    const Q = "qr";
    def(Q, "qrSvg", {
      args: () => ["otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ", { ecc: "M", margin: 4, dark: "#000", light: "#fff" }],
      call: (a) => qrSvg(...a),
      ok: svg,
      paths: [[0], [1], [1, "ecc"], [1, "margin"], [1, "dark"], [1, "light"]],
      codes: { 0: ["QR_TOO_LONG"], "*": [] },
    });
    def(Q, "qrMatrix", { args: () => ["hello", { ecc: "L" }], call: (a) => qrMatrix(...a), ok: matrix, paths: [[0], [1], [1, "ecc"]], codes: { 0: ["QR_TOO_LONG"], "*": [] } });
    def(Q, "decodeQr", {
      args: () => [{ width: f.qrImage.width, height: f.qrImage.height, data: f.qrImage.data }],
      call: (a) => decodeQr(...a),
      ok: texts,
      paths: [[0], [0, "width"], [0, "height"], [0, "data"]],
      codes: { "*": ["INVALID_IMAGE"] },
    });
  }

  if (entries.migration) {
    const { parseMigrationUri, buildMigrationUris } = entries.migration;
    const M = "migration";
    def(M, "parseMigrationUri", { args: () => [f.migrationUri], call: (a) => parseMigrationUri(...a), ok: batch, paths: [[0]], codes: { 0: ["INVALID_MIGRATION", "INVALID_URI"] } });
    const account = () => ({ type: "totp", secret: RFC_B32, algorithm: "SHA1", digits: 6, period: 30, issuer: "ACME", account: "ada", image: undefined, encoder: undefined, counter: undefined, epoch: undefined });
    def(M, "buildMigrationUris", {
      args: () => [[account(), { ...account(), type: "hotp", counter: 7, period: undefined }]],
      call: (a) => buildMigrationUris(...a),
      ok: exported,
      paths: [[0], [0, 0], [0, 1], ...Object.keys(account()).map((k) => [0, 0, k]), [0, 1, "counter"]],
      codes: { 0: ACCOUNT_CODES, 1: ACCOUNT_CODES, ...ACCOUNT_FIELD_CODES },
    });
  }

  if (entries.import) {
    const { importAccounts, exportAegis } = entries.import;
    const I = "import";
    // A password is given, and the exports are plain: no key derivation runs. A hostile
    // password goes into the `password` of importAccounts, which exportAegis reads the
    // same way (a password there would make each call an scrypt at Aegis' cost).
    def(I, "importAccounts", {
      args: () => [f.importText, { password: "pw", maxMemoryMiB: 64 }],
      call: (a) => importAccounts(...a),
      ok: importResult,
      paths: [[0], [1], [1, "password"], [1, "maxMemoryMiB"]],
      codes: { 0: IMPORT_CODES, "*": [] },
    });
    const account = () => ({ type: "totp", secret: RFC_B32, algorithm: "SHA1", digits: 6, period: 30, issuer: "ACME", account: "ada", image: undefined, encoder: undefined, counter: undefined, epoch: undefined, name: "ACME" });
    def(I, "exportAegis", {
      args: () => [[account(), { ...account(), type: "hotp", counter: 7, period: undefined }], {}],
      call: (a) => exportAegis(...a),
      ok: aegisText,
      paths: [[0], [0, 0], [0, 1], ...Object.keys(account()).map((k) => [0, 0, k]), [0, 1, "counter"], [1]],
      codes: { 0: [...ACCOUNT_CODES, "IMPORT_LIMIT"], "0.0": ACCOUNT_CODES, "0.1": ACCOUNT_CODES, ...ACCOUNT_FIELD_CODES, counter: ["INVALID_COUNTER", "IMPORT_LIMIT"], name: [], 1: [] },
    });
  }

  if (entries.flows) {
    const fl = entries.flows;
    const F = "flows";
    const RECORD = { "*": ["INVALID_RECORD"] };
    def(F, "generateBackupCodes", {
      args: () => [{ count: 1, now: 0, key: f.deviceKey, replaces: f.backup.record }],
      call: (a) => fl.generateBackupCodes(...a),
      ok: backupCodes,
      paths: [[0], [0, "count"], [0, "now"], [0, "key"], [0, "replaces"], [0, "replaces", "revision"]],
      codes: { now: ["INVALID_TIMESTAMP"], key: ["INVALID_KEY"], replaces: ["INVALID_RECORD"], revision: ["INVALID_RECORD"], "*": [] },
      // Without `count`, ten codes of 10,000 PBKDF2 iterations each: 0.1 s a call.
      inert: { path: "0", keys: ["count", "now"], keep: 3 },
    });
    def(F, "verifyBackupCode", {
      args: () => [f.backup.record, f.backup.codes[0]],
      call: (a) => fl.verifyBackupCode(...a),
      ok: backupCheck,
      paths: [[0], ...Object.keys(f.backup.record).map((k) => [0, k]), [0, "hashes", 0], [0, "sealed", 0], [1]],
      codes: { ...RECORD, 1: ["INVALID_TOKEN"] },
      exact: ["0", ...Object.keys(f.backup.record).map((k) => `0.${k}`), "0.hashes.0", "0.sealed.0", "1"],
    });
    def(F, "revealBackupCodes", {
      args: () => [[f.deviceKey, f.deviceKeyText], f.backup.record],
      call: (a) => fl.revealBackupCodes(...a),
      ok: texts,
      paths: [[0], [0, 0], [0, 1], [1], ...Object.keys(f.backup.record).map((k) => [1, k]), [1, "hashes", 0], [1, "sealed", 0]],
      // A valid key that is not the site's opens nothing: INVALID_RECORD.
      codes: { 0: ["INVALID_KEY", "INVALID_RECORD"], "0.0": ["INVALID_KEY", "INVALID_RECORD"], "0.1": ["INVALID_KEY", "INVALID_RECORD"], "*": ["INVALID_RECORD"] },
      exact: ["0", "0.0", "0.1", "1", ...Object.keys(f.backup.record).map((k) => `1.${k}`), "1.hashes.0", "1.sealed.0"],
    });
    def(F, "backupCodesText", {
      args: () => [f.backup.codes, { account: "ada", issuer: "ACME", date: 0 }],
      call: (a) => fl.backupCodesText(...a),
      ok: R.string,
      paths: [[0], [0, 0], [1], [1, "account"], [1, "issuer"], [1, "date"]],
      codes: { date: ["INVALID_TIMESTAMP"], "*": [] },
    });
    // Each call that gets past its checks is one Argon2id derivation of 19 MiB (about a
    // tenth of a second): the million calls make such pairs rare by their cost.
    def(F, "hashSecurityAnswers", {
      args: () => [[{ question: "Pet?", answer: "Fluffy" }], { now: 0, replaces: f.answers }],
      call: (a) => fl.hashSecurityAnswers(...a),
      ok: answersRecord,
      paths: [[0], [0, 0], [0, 0, "question"], [0, 0, "answer"], [1], [1, "now"], [1, "replaces"]],
      codes: { now: ["INVALID_TIMESTAMP"], replaces: ["INVALID_RECORD"], "*": [] },
      exact: ["1.replaces"],
      inert: { path: "1", keys: ["now", "replaces"], keep: 3 },
    });
    // Checked at the least cost a record may ask for (8 MiB, one pass: a fifth of a real
    // record's), under which the answer matches nothing: `{ matched: false }` is a result.
    def(F, "verifySecurityAnswers", {
      args: () => [{ ...f.answers, memoryKib: 8192, passes: 1 }, ["Fluffy"]],
      call: (a) => fl.verifySecurityAnswers(...a),
      ok: answersCheck,
      paths: [[0], ...Object.keys(f.answers).map((k) => [0, k]), [0, "questions", 0], [1], [1, 0]],
      codes: { ...RECORD, 1: [], "1.0": [] },
    });
    def(F, "normalizeSecurityAnswer", { args: () => ["  Fluffy  "], call: (a) => fl.normalizeSecurityAnswer(...a), ok: R.string, paths: [[0]], exact: ["0"], codes: { 0: ["INVALID_OPTIONS"] } });
    def(F, "issueRecoveryCode", {
      args: () => [{ user: "ada", ttl: 60_000, now: 0, replaces: f.recovery.record }],
      call: (a) => fl.issueRecoveryCode(...a),
      ok: issued,
      paths: [[0], [0, "user"], [0, "ttl"], [0, "now"], [0, "replaces"], [0, "replaces", "revision"]],
      codes: { now: ["INVALID_TIMESTAMP"], replaces: ["INVALID_RECORD"], revision: ["INVALID_RECORD"], "*": [] },
    });
    def(F, "verifyRecoveryCode", {
      args: () => [[f.recovery.record], { user: "ada", code: f.recovery.code, now: 1 }],
      call: (a) => fl.verifyRecoveryCode(...a),
      ok: recoveryCheck,
      paths: [[0], [0, 0], ...Object.keys(f.recovery.record).map((k) => [0, 0, k]), [1], [1, "user"], [1, "code"], [1, "now"]],
      codes: { "1.user": [], "1.code": ["INVALID_TOKEN"], "1.now": ["INVALID_TIMESTAMP"], 1: ["INVALID_TOKEN", "INVALID_TIMESTAMP"], "*": ["INVALID_RECORD"] },
      exact: ["0", "0.0", ...Object.keys(f.recovery.record).map((k) => `0.0.${k}`), "1.code"],
    });
    def(F, "issueVerificationCode", {
      args: () => [{ digits: 6, ttl: 60_000, maxAttempts: 5, now: 0, replaces: f.verification.record }],
      call: (a) => fl.issueVerificationCode(...a),
      ok: issued,
      paths: [[0], [0, "digits"], [0, "ttl"], [0, "maxAttempts"], [0, "now"], [0, "replaces"], [0, "replaces", "revision"]],
      codes: {
        digits: ["INVALID_DIGITS"],
        now: ["INVALID_TIMESTAMP"],
        0: ["INVALID_DIGITS", "INVALID_TIMESTAMP", "INVALID_RECORD"],
        replaces: ["INVALID_RECORD"],
        revision: ["INVALID_RECORD"],
        "*": [],
      },
    });
    def(F, "verifyVerificationCode", {
      args: () => [f.verification.record, f.verification.code, { now: 1 }],
      call: (a) => fl.verifyVerificationCode(...a),
      ok: verificationCheck,
      paths: [[0], ...Object.keys(f.verification.record).map((k) => [0, k]), [1], [2], [2, "now"]],
      codes: { ...RECORD, 1: ["INVALID_TOKEN"], 2: ["INVALID_TIMESTAMP"], now: ["INVALID_TIMESTAMP"] },
      exact: ["0", ...Object.keys(f.verification.record).map((k) => `0.${k}`), "1"],
    });
    def(F, "issueDeviceToken", {
      args: () => [f.deviceKey, { user: "ada", deviceId: "laptop", label: "Firefox on Linux", ttl: 60_000, now: 0 }],
      call: (a) => fl.issueDeviceToken(...a),
      ok: deviceIssued,
      paths: [[0], [1], [1, "user"], [1, "deviceId"], [1, "label"], [1, "ttl"], [1, "now"]],
      // "Throws INVALID_KEY or INVALID_OPTIONS".
      codes: { 0: ["INVALID_KEY"], now: ["INVALID_TIMESTAMP"], "*": [] },
    });
    def(F, "verifyDeviceToken", {
      args: () => [[f.deviceKey, f.deviceKeyText], f.device.token, { now: 1, user: "ada", revoked: ["old"] }],
      call: (a) => fl.verifyDeviceToken(...a),
      ok: deviceCheck,
      paths: [[0], [0, 0], [0, 1], [1], [2], [2, "now"], [2, "user"], [2, "revoked"], [2, "revoked", 0]],
      codes: { 0: ["INVALID_KEY"], "0.0": ["INVALID_KEY"], "0.1": ["INVALID_KEY"], now: ["INVALID_TIMESTAMP"], 2: ["INVALID_TIMESTAMP"], "2.revoked.0": [], "*": [] },
      exact: ["0", "0.0", "0.1"],
    });
    def(F, "issueActionLink", {
      args: () => [f.deviceKey, { purpose: "reset-totp", user: "ada", state: "rev=1", ttl: 60_000, now: 0 }],
      call: (a) => fl.issueActionLink(...a),
      ok: linkIssued,
      paths: [[0], [1], [1, "purpose"], [1, "user"], [1, "state"], [1, "ttl"], [1, "now"]],
      // "Throws INVALID_KEY, INVALID_OPTIONS or ENTROPY_UNAVAILABLE".
      codes: { 0: ["INVALID_KEY"], now: ["INVALID_TIMESTAMP"], "*": [] },
    });
    def(F, "verifyActionLink", {
      args: () => [[f.deviceKey, f.deviceKeyText], f.link.token, { purpose: "reset-totp", user: "ada", state: "rev=1", now: 1, revoked: ["old"] }],
      call: (a) => fl.verifyActionLink(...a),
      ok: linkCheck,
      paths: [[0], [0, 0], [0, 1], [1], [2], [2, "purpose"], [2, "user"], [2, "state"], [2, "now"], [2, "revoked"], [2, "revoked", 0]],
      // A refused token is an answer, whatever the value: slot 1 never throws.
      codes: { 0: ["INVALID_KEY"], "0.0": ["INVALID_KEY"], "0.1": ["INVALID_KEY"], 1: [], now: ["INVALID_TIMESTAMP"], 2: ["INVALID_TIMESTAMP"], "*": [] },
      exact: ["0", "0.0", "0.1", "1"],
    });
    def(F, "throttleCheck", {
      args: () => [f.throttle, 1],
      call: (a) => fl.throttleCheck(...a),
      ok: decision,
      paths: [[0], [0, "failures"], [0, "lockedUntil"], [0, "revision"], [1]],
      codes: { 0: ["INVALID_RECORD"], failures: ["INVALID_RECORD"], lockedUntil: ["INVALID_RECORD"], revision: ["INVALID_RECORD"], 1: ["INVALID_TIMESTAMP"] },
      exact: ["0", "0.failures", "0.lockedUntil", "0.revision"],
    });
    def(F, "throttleFailure", {
      args: () => [f.throttle, { freeAttempts: 5, baseDelay: 1000, maxDelay: 900_000 }, 1],
      call: (a) => fl.throttleFailure(...a),
      ok: throttleState,
      paths: [[0], [0, "failures"], [0, "lockedUntil"], [0, "revision"], [1], [1, "freeAttempts"], [1, "baseDelay"], [1, "maxDelay"], [2]],
      codes: { 0: ["INVALID_RECORD"], failures: ["INVALID_RECORD"], lockedUntil: ["INVALID_RECORD"], revision: ["INVALID_RECORD"], 2: ["INVALID_TIMESTAMP"], "*": [] },
      exact: ["0", "0.failures", "0.lockedUntil", "0.revision"],
    });
    def(F, "throttleSuccess", {
      args: () => [f.throttle],
      call: (a) => fl.throttleSuccess(...a),
      ok: throttleState,
      paths: [[0], [0, "failures"], [0, "lockedUntil"], [0, "revision"]],
      codes: { "*": ["INVALID_RECORD"] },
      exact: ["0", "0.failures", "0.lockedUntil", "0.revision"],
    });
  }

  if (entries.vault) {
    const { VaultKey } = entries.vault;
    const V = "vault";
    const key = () => VaultKey.fromBytes(f.vaultKeyBytes);
    def(V, "VaultKey.derive", {
      args: () => ["passphrase", { ...CHEAP }],
      call: (a) => VaultKey.derive(...a),
      ok: R.instance(VaultKey, "VaultKey"),
      paths: [[0], [1], [1, "memoryKib"], [1, "iterations"]],
      codes: { 0: [], "*": ["INVALID_VAULT"] },
      slow: true,
      // An options object without memoryKib and iterations derives at the default cost
      // (64 MiB, 3 passes: half a second). Such values are all alike to derive: a few are
      // called, the rest are counted as skipped.
      inert: { path: "1", keys: ["memoryKib", "iterations"], keep: 3 },
    });
    def(V, "VaultKey.unlock", {
      args: () => ["hostile", f.sealed, { maxMemoryKib: 7168, maxIterations: 5 }],
      call: (a) => VaultKey.unlock(...a),
      ok: R.instance(VaultKey, "VaultKey"),
      paths: [[0], [1], [2], [2, "maxMemoryKib"], [2, "maxIterations"]],
      codes: { 0: [], "*": ["INVALID_VAULT"] },
      slow: true,
    });
    def(V, "VaultKey.fromBytes", { args: () => [f.vaultKeyBytes], call: (a) => VaultKey.fromBytes(...a), ok: R.instance(VaultKey, "VaultKey"), paths: [[0]], codes: { 0: ["INVALID_VAULT"] } });
    def(V, "new VaultKey", { args: () => [undefined, 1], call: (a) => new VaultKey(...a), ok: () => "no VaultKey from outside", paths: [[0], [1]], exact: ["0", "1"], codes: { "*": ["INVALID_OPTIONS"] } });
    const vm = (name, ok, spec = {}) =>
      def(V, `VaultKey#${name}`, { self: key, owners: ["VaultKey"], args: () => [], call: (a, s) => VaultKey.prototype[name].apply(s, a), ok, ...spec });
    const vg = (name, ok) => {
      const get = Object.getOwnPropertyDescriptor(VaultKey.prototype, name).get;
      def(V, `VaultKey#${name}`, { self: key, owners: ["VaultKey"], args: () => [], call: (_, s) => get.call(s), ok });
    };
    vm("toBytes", R.bytes(57));
    vm("seal", vaultText, { args: () => ['{"accounts":[]}'], paths: [[0]], codes: { 0: [] } });
    vm("open", R.string, { args: () => [f.sealed], paths: [[0]], codes: { 0: ["INVALID_VAULT", "WRONG_PASSPHRASE"] } });
    vg("memoryKib", R.int);
    vg("iterations", R.int);
    vg("version", (r) => problem(r === 1 || r === 2, "1 or 2"));
    vm("free", R.undef, { noop: true });
    if (typeof Symbol.dispose === "symbol") {
      def(V, "VaultKey#[Symbol.dispose]", { self: key, owners: ["VaultKey"], args: () => [], call: (_, s) => VaultKey.prototype[Symbol.dispose].call(s), ok: R.undef, noop: true });
    }
  }
  return list;
}

/** The valid arguments the slots start from, made once per run. */
export function fixtures(e) {
  const f = {};
  if (e.twofa) f.secret = e.twofa.Secret.fromBase32(RFC_B32);
  if (e.qr) {
    f.qrImage = draw(e.qr.qrMatrix("otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ"), 2);
  }
  if (e.migration) {
    f.migrationUri = e.migration.buildMigrationUris([{ secret: RFC_B32, issuer: "ACME", account: "ada" }]).uris[0];
  }
  if (e.flows) {
    const fl = e.flows;
    f.deviceKey = new Uint8Array(32).map((_, i) => i * 7 + 1);
    // Sealed under the device key: one site key serves both.
    f.backup = fl.generateBackupCodes({ count: 2, now: 0, key: f.deviceKey });
    f.recovery = fl.issueRecoveryCode({ user: "ada", ttl: 60_000, now: 0 });
    f.answers = fl.hashSecurityAnswers([{ question: "Pet?", answer: "Fluffy" }], { now: 0 });
    f.verification = fl.issueVerificationCode({ now: 0 });
    f.deviceKeyText = RFC_B32;
    f.device = fl.issueDeviceToken(f.deviceKey, { user: "ada", deviceId: "laptop", now: 0, ttl: 60_000 });
    f.link = fl.issueActionLink(f.deviceKey, { purpose: "reset-totp", user: "ada", state: "rev=1", now: 0, ttl: 60_000 });
    f.throttle = fl.throttleFailure(undefined, { freeAttempts: 0 }, 0);
  }
  if (e.import) f.importText = `${TOTP_URI}\n${HOTP_URI}\n`;
  if (e.vault) {
    f.vaultKeyBytes = vaultKeyBytes(e);
    const key = e.vault.VaultKey.fromBytes(f.vaultKeyBytes);
    f.sealed = key.seal('{"accounts":[]}');
    key.free();
  }
  return f;
}

/** A QR matrix drawn as RGBA pixels, `scale` pixels a module, with a 4-module margin. */
function draw(m, scale) {
  const side = (m.size + 8) * scale;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / scale) - 4;
      const my = Math.floor(y / scale) - 4;
      if (mx >= 0 && my >= 0 && mx < m.size && my < m.size && m.modules[my * m.size + mx]) {
        data.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
      }
    }
  }
  return { width: side, height: side, data };
}

// ---------------------------------------------------------------------------------------
// Slots: a callable with one place for the hostile value

/** A copy of `base` with `value` at `path` (every level copied, so nothing is shared). */
function setPath(base, path, value) {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = Array.isArray(base) ? base.slice() : { ...base };
  copy[head] = setPath(base?.[head], rest, value);
  return copy;
}

function pathText(spec, path) {
  const [i, ...rest] = path;
  return `arg ${i}${rest.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("")}`;
}

/** Every slot of every callable: `{ id, callable, where, run(value), expect(meta) }`. */
export function slots(list) {
  const out = [];
  for (const c of list) {
    for (const path of c.paths ?? []) {
      const { codes, exact } = codesFor(c, path);
      out.push({
        id: `${c.entry}: ${c.name} [${pathText(c, path)}]`,
        c,
        where: pathText(c, path),
        codes,
        exact,
        // A hostile value may be a valid one there ("123456" as a token): only the private
        // constructors never answer.
        mayReturn: c.name !== "new Secret" && c.name !== "new VaultKey",
        build: (value) => {
          const args = c.args();
          args[path[0]] = setPath(args[path[0]], path.slice(1), value);
          return args;
        },
        run(value) {
          const args = this.build(value);
          if (!c.self) return c.call(args);
          const self = c.self();
          try {
            return c.call(args, self);
          } finally {
            self.free();
          }
        },
      });
    }
    if (c.self) {
      // `this`: every hostile value, and the instances (live, freed, impostors) of every class.
      out.push({
        id: `${c.entry}: ${c.name} [this]`,
        c,
        where: "this",
        thisSlot: true,
        run(value) {
          return c.call(c.args(), value);
        },
      });
    }
    if (!c.paths?.length && !c.self) {
      out.push({ id: `${c.entry}: ${c.name} [no arguments]`, c, where: "()", run: () => c.call(c.args()) });
    }
  }
  return out;
}

/** What a slot's outcome must be for one value: `{ codes, mayReturn }`. */
function expectation(slot, meta) {
  if (!slot.thisSlot) return { codes: slot.codes, mayReturn: slot.mayReturn };
  const c = slot.c;
  const own = meta.kind !== undefined && c.owners.includes(meta.kind);
  if (own && meta.state === "live") return { codes: new Set(), mayReturn: true };
  if (own && meta.state === "freed") {
    // A freed object: OBJECT_FREED, or nothing for a repeated free().
    return { codes: new Set(c.noop ? [] : ["OBJECT_FREED"]), mayReturn: !!c.noop };
  }
  // Anything else as `this` is not one of twofa's objects: INVALID_OPTIONS (as Secret's
  // methods answer since 51fd22f; OBJECT_FREED for a freed one), or nothing for free().
  const codes = meta.state === "freed" ? ["INVALID_OPTIONS", "OBJECT_FREED"] : ["INVALID_OPTIONS"];
  return { codes: new Set(codes), mayReturn: !!c.noop || !!c.foreignMayReturn };
}

/** Frees what a call returned, when it is one of twofa's objects. */
function release(result) {
  if (result !== null && typeof result === "object" && typeof result.free === "function") {
    try {
      result.free();
    } catch {
      // Judged already.
    }
  }
}

/** The problem with one outcome, or null. */
function judge(slot, meta, outcome) {
  const { codes, mayReturn } = expectation(slot, meta);
  if (outcome.threw) {
    const err = outcome.error;
    let ok = false;
    try {
      ok = err instanceof Error && err.name === "TwofaError" && typeof err.code === "string" && KNOWN_CODES.has(err.code);
    } catch {
      ok = false;
    }
    if (!ok) return thrown(err);
    if (err.code === "INTERNAL_ERROR") return thrown(err);
    if (!codes.has(err.code)) return `${thrown(err)} (expected ${[...codes].join(" or ") || "a result"})`;
    return null;
  }
  const r = outcome.value;
  if (!mayReturn) return `returned ${describe(r)} (expected ${[...codes].join(" or ")})`;
  const bad = slot.c.ok(r);
  return bad ? `returned ${describe(r)} (expected ${bad})` : null;
}

/** Calls `slot` with `value`, awaiting an `async` callable; the outcome, and its time. */
async function attempt(slot, value) {
  const start = performance.now();
  let outcome;
  try {
    let r = slot.run(value);
    if (slot.c.async) r = await withTimeout(r, SLOW_MS);
    outcome = { threw: false, value: r };
  } catch (error) {
    outcome = { threw: true, error };
  }
  return { outcome, ms: performance.now() - start };
}

/** The same, for the synchronous callables, without a promise: the million-call loop's path. */
function attemptSync(slot, value) {
  try {
    return { threw: false, value: slot.run(value) };
  } catch (error) {
    return { threw: true, error };
  }
}

function withTimeout(promise, ms) {
  let timer;
  return Promise.race([
    Promise.resolve(promise).finally(() => clearTimeout(timer)),
    new Promise((_, fail) => {
      timer = setTimeout(() => fail(new Error(`no answer in ${ms} ms`)), ms);
    }),
  ]);
}

/** Values made fresh for a call. */
function take(v) {
  return v.make ? v.make() : v.value;
}
function done(v, value) {
  if (v.done) v.done(value);
}

// ---------------------------------------------------------------------------------------
// Failures, grouped by cause

class Failures {
  constructor() {
    this.groups = new Map();
    this.count = 0;
  }
  add(slot, valueName, what) {
    this.count++;
    // One group per callable, kind of place (`this` or an argument) and kind of outcome
    // (what was thrown, with its code, or a return): the values and places that gave it,
    // and a few of its messages.
    const kind = /^(threw [^:(]*|returned|took)/.exec(what)?.[1] ?? what;
    const key = [slot.c.entry, slot.c.name, slot.thisSlot ? "this" : "args", kind].join("\u0000");
    let g = this.groups.get(key);
    if (!g) {
      g = { entry: slot.c.entry, callable: slot.c.name, kind, whats: new Map(), places: new Set(), values: new Set(), count: 0 };
      this.groups.set(key, g);
    }
    g.count++;
    g.places.add(slot.where);
    g.values.add(valueName);
    if (!g.whats.has(what) && g.whats.size < 3) g.whats.set(what, `${slot.id} ← ${valueName}`);
  }
  /** The causes, as keys: a run's causes compare with another's. */
  keys() {
    return [...this.groups.keys()].map((k) => k.replaceAll("\u0000", " | "));
  }
  /** One readable string a cause. */
  list() {
    return [...this.groups.values()].map((g) => {
      const values = [...g.values];
      const shown = values.length > 6 ? `${values.slice(0, 6).join("; ")}; and ${values.length - 6} more` : values.join("; ");
      const examples = [...g.whats].map(([what, where]) => `\n    ${where}: ${what}`).join("");
      return `${g.entry}: ${g.callable} [${[...g.places].join(", ")}] ${g.kind.trim()} — ${g.count} call(s), with ${shown}${examples}`;
    });
  }
  byEntry() {
    const out = Object.fromEntries(ENTRY_NAMES.map((n) => [n, []]));
    for (const text of this.list()) out[text.slice(0, text.indexOf(":"))].push(text);
    return out;
  }
}

// ---------------------------------------------------------------------------------------
// The hostile pass

/**
 * Applies every hostile value to every slot of every callable of `entries`, then checks
 * the known answers. `big: false` leaves the huge strings out; `every: n` keeps one value
 * in n (for a smaller pass). A slot with `inert` calls only a few of the values that read as
 * an empty options object there (each is a default-cost derivation), and counts the rest as
 * `skipped`. Returns `{ failures, causes, byEntry, failedCalls, calls, values, slots,
 * skipped, ms, costs }`: `failures` one readable string per cause (callable, place, kind of
 * outcome), with example calls; `costs` each call's time, for `millionCalls`.
 */
export async function runHostile(entries, { report = () => {}, big = true, every = 1 } = {}) {
  const started = performance.now();
  const fx = fixtures(entries);
  const table = hostileValues(entries, { big }).filter((_, i) => i % every === 0);
  const all = slots(callables(entries, fx));
  const failures = new Failures();
  const costs = {};
  let calls = 0;
  // Each callable works with its valid arguments before any hostile value is tried.
  for (const c of callables(entries, fx)) {
    const slot = { c, where: "valid arguments", id: `${c.entry}: ${c.name} [valid arguments]`, codes: new Set(), mayReturn: true };
    const { outcome } = await attempt({ ...slot, run: () => (c.self ? withSelf(c) : c.call(c.args())) }, undefined);
    calls++;
    if (c.name === "new Secret" || c.name === "new VaultKey") continue;
    const bad = judge(slot, {}, outcome);
    if (bad) failures.add(slot, "(valid arguments)", bad);
    if (!outcome.threw) release(outcome.value);
  }
  let skipped = 0;
  for (const [i, slot] of all.entries()) {
    report(`${i + 1}/${all.length} ${slot.id}`);
    let inert = 0;
    for (const v of table) {
      if (slot.c.inert?.path === slot.where.replace(/^arg /, "") && isInert(v, slot.c.inert.keys) && ++inert > slot.c.inert.keep) {
        skipped++;
        continue;
      }
      const value = take(v);
      const { outcome, ms } = await attempt(slot, value);
      calls++;
      costs[`${slot.id}\u0000${v.name}`] = ms;
      const bad = judge(slot, v, outcome) ?? (ms > SLOW_MS ? `took ${Math.round(ms)} ms` : null);
      if (bad) failures.add(slot, v.name, bad);
      if (!outcome.threw) release(outcome.value);
      done(v, value);
    }
  }
  const answers = knownAnswers(entries);
  for (const a of answers) failures.add({ c: { entry: a.entry, name: "known answers" }, where: "after the hostile pass", id: `${a.entry}: known answers` }, "-", a.text);
  return {
    failures: failures.list(),
    causes: failures.keys(),
    byEntry: failures.byEntry(),
    failedCalls: failures.count,
    calls,
    values: table.length,
    slots: all.length,
    skipped,
    ms: Math.round(performance.now() - started),
    costs,
  };
}

/** True for an object that reads `undefined` at each of `keys`, without throwing. */
function isInert(v, keys) {
  const value = take(v);
  try {
    if (value === null || (typeof value !== "object" && typeof value !== "function")) return false;
    return keys.every((k) => value[k] === undefined);
  } catch {
    return false;
  } finally {
    done(v, value);
  }
}

function withSelf(c) {
  const self = c.self();
  try {
    return c.call(c.args(), self);
  } finally {
    self.free();
  }
}

// ---------------------------------------------------------------------------------------
// Known answers

/** The answers that must come out right whatever came before: `[{ entry, text }]` for each wrong one. */
export function knownAnswers(e) {
  const wrong = [];
  const check = (entry, name, fn, expected) => {
    let got;
    try {
      got = fn();
    } catch (err) {
      got = thrown(err);
    }
    if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push({ entry, text: `${name}: got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}` });
  };
  if (e.twofa) {
    const { Secret, Totp, Hotp, parseUri, buildUri, checkToken, estimateClockOffset, clockIsOff } = e.twofa;
    check("twofa", "RFC 6238 SHA-1, 8 digits, at 59 s", () => {
      const secret = Secret.fromBytes(new TextEncoder().encode("12345678901234567890"));
      const totp = new Totp({ secret, digits: 8 });
      secret.free();
      const code = totp.generate(59_000);
      const match = totp.verify(code, { timestamp: 59_000, window: 0 });
      totp.free();
      return [code, match];
    }, ["94287082", { delta: 0, step: 1 }]);
    check("twofa", "RFC 4226 counters 0 and 9", () => {
      const hotp = new Hotp({ secret: RFC_B32 });
      const codes = [hotp.generate(0), hotp.generate(9n), String(hotp.verify("520489", { counter: 0, window: 9 })?.counter)];
      hotp.free();
      return codes;
    }, ["755224", "520489", "9"]);
    check("twofa", "otpauth:// round trip", () => {
      const uri = buildUri({ secret: RFC_B32, issuer: "ACME Co", account: "ada@example.com", digits: 8 });
      const p = parseUri(uri);
      const totp = Totp.fromUri(uri);
      const same = totp.toUri() === uri;
      totp.free();
      return [p.secret, p.issuer, p.account, p.digits, same];
    }, [RFC_B32, "ACME Co", "ada@example.com", 8, true]);
    check("twofa", "checkToken", () => checkToken("123 456"), { ok: true, token: "123456" });
    check("twofa", "clock check", () => {
      const estimate = estimateClockOffset({ date: "Sunday, 06-Nov-94 08:49:37 GMT", sentAt: 784_111_652_000, receivedAt: 784_111_652_200 });
      return [estimate, clockIsOff(estimate), clockIsOff(estimate, 300)];
    }, [{ offsetMs: 125_400, errorMs: 600 }, true, false]);
  }
  if (e.qr) {
    const { qrMatrix, qrSvg, decodeQr } = e.qr;
    const text = `otpauth://totp/ACME:ada?secret=${RFC_B32}`;
    check("qr", "QR round trip", () => decodeQr(draw(qrMatrix(text, { ecc: "M" }), 3)), [text]);
    check("qr", "qrSvg", () => qrSvg("hi").startsWith("<svg"), true);
  }
  if (e.migration) {
    const { buildMigrationUris, parseMigrationUri } = e.migration;
    check("migration", "migration round trip", () => {
      const { uris } = buildMigrationUris([{ secret: RFC_B32, issuer: "ACME", account: "ada" }]);
      const a = parseMigrationUri(uris[0]).accounts[0];
      return [uris.length, a.secret, a.issuer, a.account];
    }, [1, RFC_B32, "ACME", "ada"]);
  }
  if (e.flows) {
    const fl = e.flows;
    check("flows", "verification code round trip", () => {
      const { code, record } = fl.issueVerificationCode({ now: 1000 });
      const first = fl.verifyVerificationCode(record, code, { now: 2000 });
      return [first.outcome, fl.verifyVerificationCode(first.record, code, { now: 3000 }).outcome];
    }, ["OK", "USED"]);
    check("flows", "recovery code round trip", () => {
      const { code, record } = fl.issueRecoveryCode({ user: "ada", now: 0 });
      return fl.verifyRecoveryCode([record], { user: "ada", code, now: 1 }).status;
    }, "OK");
    check("flows", "backup code round trip", () => {
      const { codes, record } = fl.generateBackupCodes({ count: 1, now: 0 });
      const a = fl.verifyBackupCode(record, codes[0]);
      return [a.matched, a.remaining, fl.verifyBackupCode(a.record, codes[0]).matched];
    }, [true, 0, false]);
    check("flows", "backup codes revealed", () => {
      const key = new Uint8Array(32).fill(6);
      const { codes, record } = fl.generateBackupCodes({ count: 3, now: 0, key });
      const spent = fl.verifyBackupCode(record, codes[1]).record;
      return [fl.revealBackupCodes(key, record).join() === codes.join(), fl.revealBackupCodes([key], spent).join() === [codes[0], codes[2]].join(), spent.revision];
    }, [true, true, 2]);
    check("flows", "security answers round trip", () => {
      const record = fl.hashSecurityAnswers([{ question: "Pet?", answer: "  Fluffy " }], { now: 0 });
      return [record.revision, fl.verifySecurityAnswers(record, ["FLUFFY"]).matched, fl.verifySecurityAnswers(record, ["Rex"]).matched, fl.normalizeSecurityAnswer(" Straße ")];
    }, [1, true, false, "strasse"]);
    check("flows", "device token round trip", () => {
      const key = new Uint8Array(32).fill(5);
      const { token } = fl.issueDeviceToken(key, { user: "ada", deviceId: "d", now: 0 });
      const r = fl.verifyDeviceToken(key, token, { user: "ada", now: 1 });
      return [r.ok, r.deviceId, fl.verifyDeviceToken(key, token, { user: "bob", now: 1 }).reason];
    }, [true, "d", "WRONG_USER"]);
    check("flows", "action link round trip", () => {
      const key = new Uint8Array(32).fill(5);
      const options = { purpose: "reset-totp", user: "ada", state: "rev=1", now: 0 };
      const { token } = fl.issueActionLink(key, options);
      const r = fl.verifyActionLink(key, token, { ...options, now: 1 });
      return [r.ok, r.purpose, fl.verifyActionLink(key, token, { ...options, state: "rev=2", now: 1 }).reason];
    }, [true, "reset-totp", "STATE_CHANGED"]);
    check("flows", "throttle", () => {
      let s = fl.throttleFailure(undefined, { freeAttempts: 1, baseDelay: 1000 }, 0);
      s = fl.throttleFailure(s, { freeAttempts: 1, baseDelay: 1000 }, 0);
      return [s, fl.throttleCheck(s, 500).allowed, fl.throttleSuccess(s)];
    }, [{ failures: 2, lockedUntil: 1000, revision: 2 }, false, { failures: 0, lockedUntil: 0, revision: 3 }]);
  }
  if (e.import) {
    const { importAccounts, exportAegis } = e.import;
    check("import", "otpauth text and an Aegis round trip", () => {
      const text = importAccounts(`${TOTP_URI}\n${HOTP_URI}\n`);
      const back = importAccounts(exportAegis(text.accounts));
      return [text.format, back.format, ...back.accounts.map((a) => [a.type, a.secret, a.issuer, a.account, a.index])];
    }, ["otpauth", "aegis", ["totp", RFC_B32, "ACME", "ada@example.com", 0], ["hotp", RFC_B32, "ACME", "ada", 1]]);
    check("import", "unsupported input", () => importAccounts("hello"), "threw TwofaError \"UNSUPPORTED_FORMAT\": \"not an export twofa reads: it is text without otpauth:// URIs\"");
  }
  if (e.vault) {
    const { VaultKey } = e.vault;
    check("vault", "vault seal and open", () => {
      const key = VaultKey.derive("correct horse", CHEAP);
      const sealed = key.seal("secret text");
      const again = VaultKey.unlock("correct horse", sealed);
      const copy = VaultKey.fromBytes(key.toBytes());
      let wrong = "opened";
      const bad = VaultKey.unlock("wrong horse", sealed);
      try {
        bad.open(sealed);
      } catch (err) {
        wrong = err.code;
      }
      const out = [again.open(sealed), copy.open(sealed), wrong, `${key.memoryKib}/${key.iterations} v${key.version}`];
      for (const k of [key, again, copy, bad]) k.free();
      return out;
    }, ["secret text", "secret text", "WRONG_PASSPHRASE", "7168/5 v2"]);
    // Lone surrogates would all be U+FFFD once encoded, one passphrase: each is refused
    // where it stands, and a well-formed pair is not. NFC: "é" either way is one passphrase.
    check("vault", "vault passphrases", () => {
      const out = [];
      for (const p of ["\uD800pw", "\uDBFFpw", "pw\uDC00", "a\uD83D", "\uDE00\uD83D"]) {
        try {
          VaultKey.derive(p, CHEAP).free();
          out.push("derived");
        } catch (err) {
          out.push(`${err.code}: ${err.message}`);
        }
      }
      const key = VaultKey.derive("caf\u00e9 \uD83D\uDE00", CHEAP);
      const sealed = key.seal("x");
      key.free();
      const again = VaultKey.unlock("cafe\u0301 \uD83D\uDE00", sealed);
      out.push(again.open(sealed));
      again.free();
      try {
        VaultKey.unlock("cafe\u0301 \uDE00", sealed);
      } catch (err) {
        out.push(`${err.code}: ${err.message}`);
      }
      return out;
    }, [
      "INVALID_OPTIONS: passphrase has a lone surrogate at utf-16 index 0: it must be well-formed text",
      "INVALID_OPTIONS: passphrase has a lone surrogate at utf-16 index 0: it must be well-formed text",
      "INVALID_OPTIONS: passphrase has a lone surrogate at utf-16 index 2: it must be well-formed text",
      "INVALID_OPTIONS: passphrase has a lone surrogate at utf-16 index 1: it must be well-formed text",
      "INVALID_OPTIONS: passphrase has a lone surrogate at utf-16 index 0: it must be well-formed text",
      "x",
      "INVALID_OPTIONS: passphrase has a lone surrogate at utf-16 index 6: it must be well-formed text",
    ]);
  }
  return wrong;
}

// ---------------------------------------------------------------------------------------
// A million calls in a row

/** Each entry's memory size in bytes, from `initSync()`, which answers with the instance it has. */
export function memorySizes(entries) {
  const out = {};
  for (const n of ENTRY_NAMES) if (entries[n]) out[n] = entries[n].initSync().memory.buffer.byteLength;
  return out;
}

/**
 * Makes `calls` (1,000,000) calls in a row, cycling over every slot and every hostile
 * value but the huge strings. A pair of slot and value that took over `rareMs` in the
 * hostile pass (`costs` from runHostile), every vault derivation and every init, is called
 * only once every `rareEvery` calls; pairs without a cost are timed by their first call,
 * and a pair that turns out slow is moved to the rare ones. Every outcome is judged as in
 * the hostile pass. Then the known answers, and each module's memory: after the first
 * tenth of the calls it may not grow by more than `growth` bytes. Returns `{ failures,
 * causes, byEntry, failedCalls, calls, cheapPairs, rarePairs, rareCalls, demoted, ms,
 * memory }`.
 */
export async function millionCalls(
  entries,
  { calls = 1_000_000, costs = {}, rareMs = 0.25, rareEvery = 5000, growth = 4 << 20, report = () => {} } = {},
) {
  const started = performance.now();
  const fx = fixtures(entries);
  const table = hostileValues(entries, { big: false });
  const all = slots(callables(entries, fx));
  const cheap = [];
  const rare = [];
  const unknown = [];
  for (const slot of all) {
    for (const v of table) {
      const cost = costs[`${slot.id}\u0000${v.name}`];
      if (slot.c.slow || slot.c.async) rare.push([slot, v]);
      else if (cost === undefined) unknown.push([slot, v]);
      else (cost > rareMs ? rare : cheap).push([slot, v]);
    }
  }
  const failures = new Failures();
  const memory = { before: memorySizes(entries) };
  let made = 0;
  let rareMade = 0;
  let demoted = 0;
  let i = 0;
  let r = 0;
  const note = (slot, v, outcome) => {
    const bad = judge(slot, v, outcome);
    if (bad) failures.add(slot, v.name, bad);
    if (!outcome.threw) release(outcome.value);
  };
  // Pairs the hostile pass did not time are timed by their first call, which counts.
  for (const [slot, v] of unknown) {
    if (made >= calls) break;
    const value = take(v);
    const start = performance.now();
    note(slot, v, attemptSync(slot, value));
    (performance.now() - start > rareMs ? rare : cheap).push([slot, v]);
    done(v, value);
    made++;
  }
  while (made < calls) {
    if (made % rareEvery === 0 && rare.length) {
      const [slot, v] = rare[r++ % rare.length];
      const value = take(v);
      const { outcome } = await attempt(slot, value);
      note(slot, v, outcome);
      done(v, value);
      rareMade++;
    } else {
      const at = i++ % cheap.length;
      const [slot, v] = cheap[at];
      const value = take(v);
      const start = performance.now();
      note(slot, v, attemptSync(slot, value));
      const ms = performance.now() - start;
      done(v, value);
      if (ms > SLOW_MS) failures.add(slot, v.name, `took ${Math.round(ms)} ms`);
      // A pair slower than the hostile pass said (a busy machine, a collection) goes to the rare ones.
      if (ms > rareMs * 20) {
        rare.push(cheap[at]);
        cheap[at] = cheap[cheap.length - 1];
        cheap.pop();
        demoted++;
      }
    }
    made++;
    if (made === Math.floor(calls / 10)) memory.baseline = memorySizes(entries);
    if (made % 50_000 === 0) {
      report(`${made} calls`);
      await new Promise((ok) => setTimeout(ok, 0));
    }
  }
  memory.after = memorySizes(entries);
  for (const n of Object.keys(memory.after)) {
    const grew = memory.after[n] - (memory.baseline?.[n] ?? memory.before[n]);
    if (grew > growth) {
      failures.add({ c: { entry: n, name: "memory" }, where: "after a million calls", id: `${n}: memory` }, "-", `memory grew by ${grew} bytes after the first tenth of the calls (${memory.baseline?.[n]} → ${memory.after[n]})`);
    }
  }
  for (const a of knownAnswers(entries)) {
    failures.add({ c: { entry: a.entry, name: "known answers" }, where: "after a million calls", id: `${a.entry}: known answers` }, "-", a.text);
  }
  return {
    failures: failures.list(),
    causes: failures.keys(),
    byEntry: failures.byEntry(),
    failedCalls: failures.count,
    calls: made,
    cheapPairs: cheap.length,
    rarePairs: rare.length,
    rareCalls: rareMade,
    demoted,
    ms: Math.round(performance.now() - started),
    memory,
  };
}
