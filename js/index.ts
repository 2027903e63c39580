// The `twofa` entry: secrets, TOTP and HOTP codes, verification, otpauth:// URIs, the
// shape check of typed codes and the clock check. Every rule is in Rust (src/wasm/otp.rs,
// src/wasm/uri.rs, src/wasm/clock.rs);
// this file reads options, checks their JavaScript types and keeps the handles.

import initWasm, * as glue from "./glue/twofa.js";
import type { Algorithm, ClockOffset, ErrorCode, GeneratorInfo, ParsedUri, TokenShape } from "./glue/twofa.js";
import { MAX_BASE32, readAccount } from "./account.js";
import type { AccountOptions, HotpFields, TotpFields } from "./account.js";
import {
  ABSENT, bad, counter, counterOf, finalizer, Module, num, optString, pack, read, record, str, tooLong, view,
} from "./runtime.js";
import type { InitInput, Instance, ModuleSource } from "./runtime.js";

export type {
  Account,
  AccountFields,
  Algorithm,
  ClockOffset,
  ErrorCode,
  HotpAccount,
  ParsedUri,
  TokenOk,
  TokenRejected,
  TokenShape,
  TotpAccount,
  Warning,
  WarningCode,
} from "./glue/twofa.js";

/** The `Error` that every twofa function throws: `name` is `"TwofaError"`, `code` is stable. */
export interface TwofaError extends Error {
  name: "TwofaError";
  code: ErrorCode;
}

const wasm = new Module(glue, "twofa");


/** What `init` and `initSync` resolve to: the module's memory, for inspection. */
export type { InitInput, Instance, ModuleSource };

/**
 * Loads the WebAssembly module; call it once before anything else in a browser (Node needs
 * no init). Without an argument it fetches `twofa_bg.wasm` from beside this file; pass
 * `{ module_or_path }` to load it from elsewhere. Calling it again does nothing.
 *
 * ```js
 * import init, { Totp } from "twofa";
 * await init();
 * ```
 */
export default async function init(options?: { module_or_path: InitInput | Promise<InitInput> }): Promise<Instance> {
  return wasm.loaded(await initWasm(options));
}

/** Loads the module from its bytes or a compiled `WebAssembly.Module`, synchronously. */
export function initSync(options: { module: ModuleSource }): Instance {
  return wasm.loaded(glue.initSync(options));
}

/** Marks the constructions that twofa makes itself, from a handle. */
const made = Symbol("twofa");
/** The handle a `Totp` or `Hotp` under construction adopts, when made from a URI. */
let adopting = 0;
/** The handle of a genuine, live `Secret`, or 0 for anything else. */
let secretHandle: (value: unknown) => number;
/** Frees a genuine `Secret`; anything else is a Bad. */
let freeSecret: (value: unknown) => void;
/**
 * The handle of a genuine, live `Secret`. A method called on anything else (through
 * `call`, or on `Object.create(Secret.prototype)`) throws a TwofaError, not the TypeError
 * a private method would.
 */
const live = (value: unknown): number => secretHandle(value) || bad("Secret");

const secrets = finalizer(glue.secret_free);
const generators = finalizer(glue.otp_free);

/**
 * A shared secret, kept inside WebAssembly memory and zeroed when freed.
 *
 * ```js
 * const secret = Secret.generate();                 // 20 random bytes
 * secret.toGrouped();                               // "ABCD EFGH ..." for typing by hand
 * Secret.fromBase32("jbsw y3dp ehpk 3pxp").isWeak;  // true: 10 bytes, under 128 bits
 * ```
 */
export class Secret {
  #h = 0;

  /** Secrets come from `Secret.generate`, `Secret.fromBase32` or `Secret.fromBytes`. */
  private constructor(token: symbol, handle: number) {
    if (token !== made) wasm.guard(() => bad("Secret"));
    this.#h = handle;
    secrets.register(this, handle, this);
  }

  /**
   * A new secret from the platform's CSPRNG (`crypto.getRandomValues`): 16 to 64 bytes,
   * default 20. Throws `SECRET_LENGTH` outside that range.
   */
  static generate(byteLength?: number): Secret {
    return new Secret(made, wasm.guard(() => wasm.check(glue.secret_generate(num(byteLength, "byteLength")))));
  }

  /**
   * Imports base32 text: case-insensitive; spaces, hyphens and trailing `=` are ignored.
   * Throws `INVALID_BASE32` naming the position of a bad character, or `SECRET_LENGTH`.
   */
  static fromBase32(text: string): Secret {
    return new Secret(
      made,
      wasm.guard(() => wasm.check(glue.secret_from_base32(wasm.text(str(text, "base32", MAX_BASE32))))),
    );
  }

  /** Imports raw bytes: 1 to 1,024. Throws `SECRET_LENGTH`. */
  static fromBytes(data: Uint8Array): Secret {
    return new Secret(
      made,
      wasm.guard(() => {
        const bytes = view(data, "bytes");
        if (bytes.length > 4096) tooLong("bytes", bytes.length);
        const copy = bytes.slice();
        try {
          return wasm.check(glue.secret_from_bytes(wasm.input([copy])[0] ?? ABSENT));
        } finally {
          copy.fill(0);
        }
      }),
    );
  }

  /** The canonical base32 form: upper case, unpadded. */
  toBase32(): string {
    return wasm.guard(() => wasm.read(wasm.check(glue.secret_text(live(this), false))));
  }

  /** The grouped form people type: `JBSW Y3DP EHPK 3PXP`. */
  toGrouped(): string {
    return wasm.guard(() => wasm.read(wasm.check(glue.secret_text(live(this), true))));
  }

  /** The raw bytes, as a new `Uint8Array`. */
  toBytes(): Uint8Array {
    return wasm.guard(() => wasm.bytes(wasm.check(glue.secret_bytes(live(this)))));
  }

  /** The length in bytes. */
  get byteLength(): number {
    return wasm.guard(() => wasm.check(glue.secret_size(live(this))) >>> 1);
  }

  /** True under 16 bytes (128 bits): accepted, but worth a warning. */
  get isWeak(): boolean {
    return wasm.guard(() => (wasm.check(glue.secret_size(live(this))) & 1) === 1);
  }

  /** An independent copy, freed separately. */
  clone(): Secret {
    return new Secret(made, wasm.guard(() => wasm.check(glue.secret_clone(live(this)))));
  }

  /** Constant-time equality with another `Secret`. */
  equals(other: Secret): boolean {
    return wasm.guard(() => wasm.check(glue.secret_equals(live(this), secretHandle(other) || bad("Secret"))) === 1);
  }

  /** Never the secret: `"Secret(20 bytes)"`. */
  toString(): string {
    return wasm.guard(() => `Secret(${wasm.check(glue.secret_size(live(this))) >>> 1} bytes)`);
  }

  /** What `JSON.stringify` writes: the length only, never the secret. */
  toJSON(): string {
    return wasm.guard(() => `Secret(${wasm.check(glue.secret_size(live(this))) >>> 1} bytes)`);
  }

  /** Zeroes the secret now. Calling it again does nothing. */
  free(): void {
    wasm.guard(() => freeSecret(this));
  }

  /** `using secret = Secret.generate()` frees it at the end of the block. */
  [Symbol.dispose](): void {
    wasm.guard(() => freeSecret(this));
  }

  static {
    const isSecret = (value: unknown): value is Secret => typeof value === "object" && value !== null && #h in value;
    secretHandle = (value) => (isSecret(value) ? value.#h || wasm.freed() : 0);
    freeSecret = (value) => {
      if (!isSecret(value)) bad("Secret");
      const h = value.#h;
      value.#h = 0;
      if (h) {
        secrets.unregister(value);
        glue.secret_free(h);
      }
    };
  }
}

/** A `Secret` around a handle the module made. */
function secretOf(handle: number): Secret {
  return Reflect.construct(Secret, [made, handle]) as Secret;
}

/**
 * A code from the module's answer (`code_answer` in src/wasm/otp.rs): `v + d * 2^34` for
 * a code of `d` digits with value `v`, or minus the length of a Steam code in the output.
 */
function code(answer: number): string {
  const r = wasm.check(answer);
  if (r < 0) return wasm.read(-r);
  const digits = Math.floor(r / 2 ** 34);
  return String(r - digits * 2 ** 34).padStart(digits, "0");
}

/** Options of `new Totp(...)`: the secret is a `Secret` or its base32 text. */
export interface TotpOptions extends TotpFields<Secret | string> {}

/** Options of `new Hotp(...)`: the secret is a `Secret` or its base32 text. */
export interface HotpOptions extends HotpFields<Secret | string> {}

/** What `buildUri` takes: `parseUri`'s result works, and so do `Totp` and `Hotp` options. */
export type BuildUriOptions = AccountOptions<Secret | string>;

/**
 * A generator from options: `hotp` picks the kind, or `undefined` reads it from `type`, as
 * `buildUri` does, which wants the URI (`uriOnly`) rather than a handle.
 */
function generator(options: unknown, place: string, hotp: boolean | undefined, uriOnly = false): number {
  const a = readAccount(options, place, hotp);
  const text = typeof a.secret === "string" ? a.secret : undefined;
  const handle = text === undefined ? secretHandle(a.secret) || bad("secret") : 0;
  const [s, alg, cd, enc, iss, acc, img] = wasm.input([text, ...a.texts]);
  return wasm.check(
    glue.otp_new(a.hotp, uriOnly, handle, s!, alg!, a.digits, a.period, a.epoch, a.counter, cd!, enc!, iss!, acc!, img!),
  );
}

/** Steps either side of the current one: a number for both, or each side apart. */
export type VerifyWindow = number | { past?: number | undefined; future?: number | undefined };

/** Options of `totp.verify(...)`. */
export interface TotpVerifyOptions {
  /** Unix milliseconds; default `Date.now()`. */
  timestamp?: number | undefined;
  /** Default 1 (one step each way); at most 1000 each way. A side left out is 1. */
  window?: VerifyWindow | undefined;
  /** The step returned by the last successful verify: it and every earlier step are refused. */
  afterStep?: number | undefined;
}

/** A successful TOTP verification. Store `step` and pass it as `afterStep` next time. */
export interface TotpMatch {
  /** The matched step minus the current step: negative for the past. */
  delta: number;
  /** The time step whose code matched. */
  step: number;
}

const SIDES = ["past", "future"] as const;

/** A generator's handle, by brand: `Generator`'s for the shared methods, `Totp`'s or `Hotp`'s for their own. */
let generatorHandle: (value: unknown) => number;
let totpHandle: (value: unknown) => number;
let hotpHandle: (value: unknown) => number;
/** What a generator's getters show, read once. */
let infoOf: (value: unknown) => GeneratorInfo;
/** A generator's URI, written once. */
let uriOf: (value: unknown) => string;
/** Frees a genuine generator; anything else is a Bad. */
let freeGenerator: (value: unknown) => void;

/**
 * The shared part of `Totp` and `Hotp`: the handle, and the getters' values, read once.
 * Every method reads its object through a brand check (a private field), so one called on
 * anything else, or on the other class, throws a TwofaError rather than a TypeError.
 */
abstract class Generator {
  #h = 0;
  #info: GeneratorInfo | undefined;
  #uri: string | undefined;

  protected constructor(make: () => number) {
    this.#h = adopting || wasm.guard(make);
    adopting = 0;
    generators.register(this, this.#h, this);
  }

  /**
   * The canonical otpauth:// URI of this generator, with its names (and an HOTP counter).
   * A generator never changes, so the URI is written once and kept until `free()`.
   */
  toUri(): string {
    try {
      return uriOf(this);
    } catch (err) {
      throw wasm.coded(err);
    }
  }

  /** A copy of the secret, to free when done. */
  get secret(): Secret {
    return secretOf(wasm.guard(() => wasm.check(glue.otp_secret(generatorHandle(this)))));
  }

  /** `"SHA1"`, `"SHA256"` or `"SHA512"`. */
  get algorithm(): Algorithm {
    return wasm.guard(() => infoOf(this).algorithm);
  }
  /** Characters per code: 6 to 10, or 5 for Steam. */
  get digits(): number {
    return wasm.guard(() => infoOf(this).digits);
  }
  /** The issuer, if one was given. */
  get issuer(): string | undefined {
    return wasm.guard(() => infoOf(this).issuer);
  }
  /** The account name, if one was given. */
  get account(): string | undefined {
    return wasm.guard(() => {
      const info = infoOf(this);
      return info.accountGiven ? info.account : undefined;
    });
  }
  /** The logo URL (the URI's `image` parameter), if one was given. */
  get image(): string | undefined {
    return wasm.guard(() => infoOf(this).image);
  }

  /** Zeroes the generator's secret now. Calling it again does nothing. */
  free(): void {
    wasm.guard(() => freeGenerator(this));
  }

  /** `using` frees it at the end of the block. */
  [Symbol.dispose](): void {
    wasm.guard(() => freeGenerator(this));
  }

  static {
    const isGenerator = (value: unknown): value is Generator => typeof value === "object" && value !== null && #h in value;
    generatorHandle = (value) => (isGenerator(value) ? value.#h || wasm.freed() : bad("generator"));
    infoOf = (value) => {
      const h = generatorHandle(value);
      const generator = value as Generator;
      return (generator.#info ??= record<GeneratorInfo>(wasm.read(wasm.check(glue.otp_info(h)))));
    };
    uriOf = (value) => {
      const h = generatorHandle(value);
      const generator = value as Generator;
      return (generator.#uri ??= wasm.read(wasm.check(glue.otp_to_uri(h))));
    };
    freeGenerator = (value) => {
      if (!isGenerator(value)) bad("generator");
      const h = value.#h;
      value.#h = 0;
      value.#uri = undefined;
      if (h) {
        generators.unregister(value);
        glue.otp_free(h);
      }
    };
  }
}

/**
 * Time-based codes (RFC 6238), and Steam Guard codes.
 *
 * ```js
 * const totp = new Totp({ secret: "JBSWY3DPEHPK3PXP", issuer: "ACME", account: "ada@example.com" });
 * const code = totp.generate();                 // at Date.now()
 * const match = totp.verify(code, { afterStep: lastStep });
 * if (match) lastStep = match.step;            // the replay guard's state
 * ```
 */
export class Totp extends Generator {
  /** The brand of a genuine `Totp`. */
  #totp = true;

  static {
    totpHandle = (value) =>
      typeof value === "object" && value !== null && #totp in value ? generatorHandle(value) : bad("Totp");
  }

  /**
   * Throws `INVALID_OPTIONS`, `INVALID_BASE32`, `SECRET_LENGTH`, `UNSUPPORTED_ALGORITHM`,
   * `INVALID_DIGITS`, `INVALID_PERIOD`, `INVALID_TIMESTAMP` or `INVALID_ENCODER`.
   */
  constructor(options: TotpOptions) {
    super(() => generator(options, "Totp", false));
  }

  /** Reads an otpauth://totp/ URI (see `parseUri`). Throws `INVALID_URI` for an HOTP one. */
  static fromUri(uri: string): Totp {
    adopting = wasm.guard(() => wasm.check(glue.otp_from_uri(wasm.text(str(uri, "uri")), false)));
    return new Totp(undefined as never);
  }

  /** The code at `timestamp` (Unix ms, default now). Throws `INVALID_TIMESTAMP` before T0. */
  generate(timestamp?: number): string {
    try {
      return code(glue.otp_generate(totpHandle(this), num(timestamp, "timestamp"), ABSENT));
    } catch (err) {
      throw wasm.coded(err);
    }
  }

  /**
   * Checks a typed token against the window around `timestamp`, current step first,
   * comparing in constant time. Returns `{ delta, step }` or `null`; throws
   * `INVALID_TOKEN` for a malformed token.
   */
  verify(token: string, options?: TotpVerifyOptions): TotpMatch | null {
    try {
      const text = str(token, "token");
      let at = NaN;
      let past = NaN;
      let future = NaN;
      let after = NaN;
      if (options !== undefined && options !== null) {
        // Read here, not by `read`: one shape of object at this site keeps verify fast.
        if (typeof options !== "object" && typeof options !== "function") bad("verify:object");
        let timestamp: unknown, w: unknown, afterStep: unknown;
        try {
          ({ timestamp, window: w, afterStep } = options);
        } catch {
          bad("verify:unreadable");
        }
        at = num(timestamp, "timestamp");
        if (typeof w === "number") {
          past = future = num(w, "window");
        } else if (w !== undefined && w !== null) {
          if (typeof w !== "object") bad("window");
          const sides = read(w, SIDES, "window");
          if (sides.past == null && sides.future == null) bad("window");
          past = num(sides.past, "window.past");
          future = num(sides.future, "window.future");
        }
        after = num(afterStep, "afterStep");
      }
      const h = totpHandle(this);
      const packed = pack(text);
      const r = wasm.check(glue.totp_verify(h, packed === packed ? 0 : wasm.text(text), packed, at, past, future, after));
      // The step and delta in one number (`match_answer` in src/wasm/otp.rs).
      if (r >= 0) return { delta: (r % 2048) - 1024, step: Math.floor(r / 2048) };
      return r === -1 ? null : { delta: glue.otp_matched(h), step: -2 - r };
    } catch (err) {
      throw wasm.coded(err);
    }
  }

  /** The time step at `timestamp` (default now). */
  stepAt(timestamp?: number): number {
    return wasm.guard(() => wasm.check(glue.totp_time(totpHandle(this), num(timestamp, "timestamp"), false)));
  }

  /** Milliseconds until the next step (from 1 to the period), at `timestamp` (default now). */
  remaining(timestamp?: number): number {
    return wasm.guard(() => wasm.check(glue.totp_time(totpHandle(this), num(timestamp, "timestamp"), true)));
  }

  /** The step in seconds. */
  get period(): number {
    return wasm.guard(() => (totpHandle(this), infoOf(this) as { period: number }).period);
  }
  /** T0 in Unix milliseconds. */
  get epoch(): number {
    return wasm.guard(() => (totpHandle(this), infoOf(this)).epoch ?? 0);
  }
  /** `"steam"` for Steam Guard codes, otherwise `undefined`. */
  get encoder(): "steam" | undefined {
    return wasm.guard(() => (totpHandle(this), infoOf(this) as { encoder?: "steam" }).encoder);
  }
}

/** Options of `hotp.verify(...)`. */
export interface HotpVerifyOptions<C extends number | bigint = number | bigint> {
  /** The next expected counter; default the instance's `counter`. */
  counter?: C | undefined;
  /** Look-ahead: counters `counter` to `counter + window` are tried; default 1, at most 1000. */
  window?: number | undefined;
}

/** A successful HOTP verification. Store `counter + 1` as the next expected counter. */
export interface HotpMatch<C extends number | bigint = number> {
  /** How far ahead of the expected counter the match was. */
  delta: number;
  /** The counter whose code matched: a `bigint` when the counter it started from was one. */
  counter: C;
}

/** Options of `hotp.resync(...)`. */
export interface ResyncOptions<C extends number | bigint = number | bigint> {
  /** Where the search starts; default the instance's counter. */
  counter?: C | undefined;
  /** How far it looks ahead; default 100, at most 100,000. */
  window?: number | undefined;
}

const COUNTER_KEYS = ["counter", "window"] as const;

/**
 * Counter-based codes (RFC 4226). The caller keeps the counter.
 *
 * ```js
 * const hotp = new Hotp({ secret, counter: stored });
 * const match = hotp.verify(token);
 * if (match) stored = match.counter + 1;
 * ```
 */
export class Hotp extends Generator {
  /** The brand of a genuine `Hotp`. */
  #hotp = true;

  static {
    hotpHandle = (value) =>
      typeof value === "object" && value !== null && #hotp in value ? generatorHandle(value) : bad("Hotp");
  }

  /**
   * Throws `INVALID_OPTIONS`, `INVALID_BASE32`, `SECRET_LENGTH`, `UNSUPPORTED_ALGORITHM`,
   * `INVALID_DIGITS`, `INVALID_ENCODER` or `INVALID_COUNTER`.
   */
  constructor(options: HotpOptions) {
    super(() => generator(options, "Hotp", true));
  }

  /**
   * Reads an otpauth://hotp/ URI (see `parseUri`); its counter becomes `counter`, a bigint
   * when it is past `Number.MAX_SAFE_INTEGER`. Throws `INVALID_URI` for a TOTP one.
   */
  static fromUri(uri: string): Hotp {
    adopting = wasm.guard(() => wasm.check(glue.otp_from_uri(wasm.text(str(uri, "uri")), true)));
    return new Hotp(undefined as never);
  }

  /** The code for `counter` (a number or bigint; default the instance's counter). */
  generate(counterValue?: number | bigint): string {
    try {
      const [n, digits] = counter(counterValue);
      const d = digits === undefined ? ABSENT : wasm.text(digits);
      return code(glue.otp_generate(hotpHandle(this), n, d));
    } catch (err) {
      throw wasm.coded(err);
    }
  }

  /**
   * Checks `token` against `counter ..= counter + window`, in order, comparing in constant
   * time. Returns the match, or `null`. Throws `INVALID_TOKEN` for a malformed token.
   *
   * ```js
   * const hotp = new Hotp({ secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" });
   * hotp.verify("287082", { counter: 0, window: 3 }); // { delta: 1, counter: 1 }
   * ```
   */
  verify(token: string, options: HotpVerifyOptions<bigint> & { counter: bigint }): HotpMatch<bigint> | null;
  verify(token: string, options: HotpVerifyOptions<number> & { counter: number }): HotpMatch<number> | null;
  /** Without a `counter` option, the instance's counter is used, and its type is the match's. */
  verify(token: string, options?: { window?: number | undefined }): HotpMatch<number | bigint> | null;
  /** A counter whose type is only known at run time gives a match of either type. */
  verify(token: string, options: HotpVerifyOptions<number | bigint>): HotpMatch<number | bigint> | null;
  verify(token: string, options?: HotpVerifyOptions): HotpMatch<number | bigint> | null {
    try {
      const text = str(token, "token");
      const o = read(options, COUNTER_KEYS, "verify");
      const [n, digits] = counter(o.counter);
      const window = num(o.window, "window");
      const [t, d] = wasm.input([text, digits]);
      const delta = wasm.check(glue.hotp_verify(hotpHandle(this), t!, n, d!, window));
      return delta < 0 ? null : { delta, counter: counterOf(wasm.read(glue.io_output_len())) };
    } catch (err) {
      throw wasm.coded(err);
    }
  }

  /**
   * Resynchronises a counter that fell behind (RFC 4226 §7.4) from two codes the user
   * generated one after the other: searches `counter ..= counter + window` and returns the
   * next counter to expect, of the type the search started from, or `null`. Throws
   * `INVALID_TOKEN`, `INVALID_WINDOW` or `INVALID_COUNTER`.
   */
  resync(first: string, second: string, options: ResyncOptions<bigint> & { counter: bigint }): { counter: bigint } | null;
  resync(first: string, second: string, options: ResyncOptions<number> & { counter: number }): { counter: number } | null;
  resync(first: string, second: string, options?: ResyncOptions): { counter: number | bigint } | null;
  resync(first: string, second: string, options?: ResyncOptions): { counter: number | bigint } | null {
    return wasm.guard(() => {
      const a = str(first, "first");
      const b = str(second, "second");
      const o = read(options, COUNTER_KEYS, "resync");
      const [n, digits] = counter(o.counter);
      const window = num(o.window, "window");
      const [ta, tb, d] = wasm.input([a, b, digits]);
      const found = wasm.check(glue.hotp_resync(hotpHandle(this), ta!, tb!, n, d!, window));
      return found ? { counter: counterOf(wasm.read(glue.io_output_len())) } : null;
    });
  }

  /** The counter that `generate()` and `verify()` use by default, as it was given. */
  get counter(): number | bigint {
    return wasm.guard(() => (hotpHandle(this), infoOf(this) as { counter: number | bigint }).counter);
  }
}

/** Options of `checkToken`. */
export interface TokenFormat {
  /** 6 to 10, default 6. */
  digits?: number | undefined;
  /** `"steam"` for Steam Guard codes. */
  encoder?: "steam" | undefined;
}

const FORMAT_KEYS = ["digits", "encoder"] as const;

/**
 * Checks the shape of a code as it is typed, by the rule `verify` applies, without a
 * secret: for a sign-in form that answers before anything is sent. Returns
 * `{ ok: true, token }` with the normalised token, or `{ ok: false, incomplete, message }`:
 * `incomplete` is true while more typing could still make it right (empty, too short, or
 * ending in one separator). Throws `INVALID_DIGITS` or `INVALID_ENCODER` for bad options.
 *
 * ```js
 * checkToken("123 456");  // { ok: true, token: "123456" }
 * checkToken("123");      // { ok: false, incomplete: true, message: "token must have 6 characters, not 3" }
 * checkToken("12a");      // { ok: false, incomplete: false, message: "token has a non-digit at position 3" }
 * ```
 */
export function checkToken(token: string, options?: TokenFormat): TokenShape {
  return wasm.guard(() => {
    const text = str(token, "token");
    const o = read(options, FORMAT_KEYS, "checkToken");
    const digits = num(o.digits, "digits");
    const [t, e] = wasm.input([text, optString(o.encoder, "encoder")]);
    return record<TokenShape>(wasm.read(wasm.check(glue.check_token(t!, digits, e!))));
  });
}

/**
 * Reads an otpauth:// URI into a plain object, with warnings. The policy for the cases
 * where writers disagree is in the README. Throws `INVALID_URI`, `INVALID_BASE32`,
 * `SECRET_LENGTH`, `UNSUPPORTED_ALGORITHM`, `INVALID_DIGITS`, `INVALID_PERIOD`,
 * `INVALID_COUNTER` or `INVALID_ENCODER`.
 *
 * ```js
 * const { issuer, account, secret, warnings } = parseUri(scannedText);
 * ```
 */
export function parseUri(uri: string): ParsedUri {
  try {
    return record<ParsedUri>(wasm.read(wasm.check(glue.parse_uri(wasm.text(str(uri, "uri"))))));
  } catch (err) {
    throw wasm.coded(err);
  }
}

/**
 * Writes the canonical otpauth:// URI for an account given as options: `type` (default
 * `"totp"`), then the options of `new Totp(...)` or `new Hotp(...)`, and `image`. Throws
 * what those constructors throw, `INVALID_LABEL` for an empty issuer or an issuer or
 * account with white space at either end, and `INVALID_URI` for a TOTP epoch other than 0
 * or a URI over 65,536 bytes (a long `image`), which no reader would take back.
 *
 * ```js
 * buildUri({ secret, issuer: "ACME Co", account: "ada@example.com" });
 * // "otpauth://totp/ACME%20Co:ada@example.com?secret=...&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30"
 * ```
 */
export function buildUri(options: BuildUriOptions): string {
  try {
    return wasm.read(generator(options, "uri", undefined, true));
  } catch (err) {
    throw wasm.coded(err);
  }
}

/** What `estimateClockOffset` reads: one response's `Date` header and when its request went out and came back. */
export interface ClockSample {
  /**
   * The response's `Date` header as `response.headers.get("date")` gives it; `null` (no
   * header) throws `INVALID_DATE`, as a malformed one does.
   */
  date: string | null | undefined;
  /** Unix milliseconds just before the request was sent (`Date.now()`). */
  sentAt: number;
  /** Unix milliseconds just after its response arrived; not before `sentAt`. */
  receivedAt: number;
}

const SAMPLE_KEYS = ["date", "sentAt", "receivedAt"] as const;

/**
 * How far this computer's clock is from a server's, from one response's `Date` header:
 * `{ offsetMs, errorMs }`, the server's time minus the local time (positive when the local
 * clock is slow), give or take `errorMs`. The server wrote its whole second `D` some time
 * between `sentAt` and `receivedAt`, so the offset lies in `(D − receivedAt, D + 1000 −
 * sentAt)`; the result is that interval's midpoint and half-width, so a quick request
 * gives a bound of about half a second. The date may be in any of RFC 9110's three forms,
 * and every field is checked (a weekday that is not the date's is refused). Throws
 * `INVALID_DATE` (naming the field or character), `INVALID_TIMESTAMP` for a time out of a
 * `Date`'s range or a `receivedAt` before `sentAt`, or `INVALID_OPTIONS`.
 *
 * Ask a site you trust, over HTTPS, with a request no cache answers:
 *
 * ```js
 * const sentAt = Date.now();
 * const response = await fetch("https://example.com/", { method: "HEAD", cache: "no-store" });
 * const receivedAt = Date.now();
 * const estimate = estimateClockOffset({ date: response.headers.get("date"), sentAt, receivedAt });
 * // { offsetMs: 125400, errorMs: 600 }: this clock is about 125 s slow
 * if (clockIsOff(estimate, 30)) totp.generate(Date.now() + estimate.offsetMs);
 * ```
 */
export function estimateClockOffset(sample: ClockSample): ClockOffset {
  return wasm.guard(() => {
    const o = read(sample, SAMPLE_KEYS, "sample", true);
    const date = optString(o.date, "date");
    const sent = num(o.sentAt, "sentAt:time");
    const received = num(o.receivedAt, "receivedAt:time");
    const d = date === undefined ? ABSENT : wasm.text(date);
    return record<ClockOffset>(wasm.read(wasm.check(glue.clock_offset(d, sent, received))));
  });
}

const OFFSET_KEYS = ["offsetMs", "errorMs"] as const;

/**
 * True when a clock offset is certainly too large for TOTP codes of `period` seconds
 * (default 30): when even its smallest size, `|offsetMs| − errorMs`, is over half the
 * period. Past that, most codes this computer makes are for another time step than the
 * server's, and a site that accepts the current step only refuses them more often than
 * not. When the bound leaves it unsure, the answer is false. Throws `INVALID_OPTIONS` for
 * an `offsetMs` or `errorMs` that is not a whole number of milliseconds (`errorMs` not
 * negative), `INVALID_PERIOD` for a period that is not a whole number from 1.
 *
 * ```js
 * clockIsOff({ offsetMs: 16000, errorMs: 500 });      // true: at least 15.5 s, over 15 s
 * clockIsOff({ offsetMs: 16000, errorMs: 500 }, 60);  // false
 * clockIsOff({ offsetMs: -15400, errorMs: 500 });     // false: it may be 14.9 s
 * ```
 */
export function clockIsOff(estimate: ClockOffset, period?: number): boolean {
  return wasm.guard(() => {
    const o = read(estimate, OFFSET_KEYS, "estimate", true);
    const offset = num(o.offsetMs, "offsetMs:ms");
    const error = num(o.errorMs, "errorMs:ms");
    return wasm.check(glue.clock_is_off(offset, error, num(period, "period"))) === 1;
  });
}
