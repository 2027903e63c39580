//! The JavaScript binding: the only module that names wasm-bindgen, reads `Date.now()`
//! or calls `crypto.getRandomValues`.
//!
//! Every export validates its JavaScript arguments itself and returns `Result`, so bad
//! input becomes a thrown `Error` with a stable `code`, never a trap that would kill the
//! module for the page. Messages never contain secret material.

// Each export documents its error codes in prose, which the TypeScript docs show.
#![allow(clippy::missing_errors_doc)]

use crate::error::ErrorKind;
#[cfg(feature = "qr")]
use crate::qr::{Ecc, QrMatrix, SvgOptions};
use crate::{
    Algorithm, EntropyError, Error, Format, Hotp, KeyUri, Migration, MigrationExport, Otp, Secret,
    Totp, VerifyOptions, Warning, Window,
};
use core::cell::OnceCell;
use js_sys::{Function, JsString, Object, Reflect, Uint8Array};
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use zeroize::{Zeroize, Zeroizing};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r##"
/** A hash function for the HMAC. (At run time `"sha256"` and `"SHA-256"` are read as `"SHA256"` too.) */
export type Algorithm = "SHA1" | "SHA256" | "SHA512";

/** Every `code` that a thrown twofa `Error` can carry. */
export type ErrorCode =
  | "INVALID_BASE32" | "SECRET_LENGTH" | "ENTROPY_UNAVAILABLE" | "INVALID_DIGITS" | "INVALID_PERIOD"
  | "INVALID_TIMESTAMP" | "INVALID_TOKEN" | "INVALID_WINDOW" | "UNSUPPORTED_ALGORITHM" | "INVALID_ENCODER"
  | "INVALID_COUNTER" | "INVALID_OPTIONS" | "INVALID_URI" | "INVALID_LABEL" | "INVALID_MIGRATION"
  | "QR_TOO_LONG" | "INVALID_IMAGE" | "INVALID_RECORD" | "INVALID_KEY" | "INVALID_VAULT"
  | "WRONG_PASSPHRASE" | "OBJECT_FREED" | "INTERNAL_ERROR";

/** Argon2id's cost for `VaultKey.derive`: memory in KiB (8 to 1048576, default 65536) and passes (1 to 16, default 3). */
export interface VaultCost {
  memoryKib?: number | undefined;
  iterations?: number | undefined;
}

/** The `Error` that every twofa function throws: `name` is `"TwofaError"`, `code` is stable. */
export interface TwofaError extends Error {
  name: "TwofaError";
  code: ErrorCode;
}

/** Options of `new Totp(...)`. */
export interface TotpOptions {
  /** A `Secret`, or its base32 text. */
  secret: Secret | string;
  /** Default `"SHA1"`. */
  algorithm?: Algorithm | undefined;
  /** 6 to 10, default 6. Steam codes always have 5 characters. */
  digits?: number | undefined;
  /** The time step in whole seconds, at least 1; default 30. */
  period?: number | undefined;
  /** T0 in Unix milliseconds; default 0. */
  epoch?: number | undefined;
  /** `"steam"` for Steam Guard codes. */
  encoder?: "steam" | undefined;
  issuer?: string | undefined;
  account?: string | undefined;
  /** A logo URL, written as the URI's `image` parameter. */
  image?: string | undefined;
}

/** Options of `new Hotp(...)`. */
export interface HotpOptions {
  /** A `Secret`, or its base32 text. */
  secret: Secret | string;
  /** Default `"SHA1"`. */
  algorithm?: Algorithm | undefined;
  /** 6 to 10, default 6. */
  digits?: number | undefined;
  /** The counter that `generate()` and `verify()` use when given none; default 0. */
  counter?: number | bigint | undefined;
  issuer?: string | undefined;
  account?: string | undefined;
  /** A logo URL, written as the URI's `image` parameter. */
  image?: string | undefined;
}

/** What `checkToken` returns: a well-formed token, or why not yet. */
export type TokenShape =
  | { ok: true; token: string }
  | {
      ok: false;
      /** True while more typing could still make it right: show it as unfinished, not wrong. */
      incomplete: boolean;
      /** The message `verify` would throw with, such as "token has a non-digit at position 3". */
      message: string;
    };

/** Every `code` a warning can carry. */
export type WarningCode =
  | "ISSUER_MISMATCH" | "WEAK_SECRET" | "NONSTANDARD_DIGITS" | "NONSTANDARD_PERIOD"
  | "UNREPRESENTABLE_ACCOUNT" | "IMAGE_LEFT_OUT" | "UNSUPPORTED_ACCOUNT";

/** Something accepted that a user should hear of, such as a secret under 128 bits. */
export interface Warning {
  code: WarningCode;
  /** Lower case, never containing the secret. */
  message: string;
}

/** A warning about one account of a migration batch. */
export interface AccountWarning extends Warning {
  /** The account's 0-based index in the list given, or in the batch as written. */
  index: number;
}

interface AccountFields {
  /** Canonical base32: upper case, unpadded. */
  secret: string;
  /** Absent when the URI names none. */
  issuer?: string;
  /** May be `""`. */
  account: string;
  algorithm: Algorithm;
  /** 6 to 10, or 5 for Steam. */
  digits: number;
  /** The `image` parameter, decoded, when there is one. */
  image?: string;
}

/** A TOTP account, as `parseUri` returns it. */
export interface TotpAccount extends AccountFields {
  type: "totp";
  /** Seconds, 30 unless the URI says otherwise. */
  period: number;
  /** Present for Steam Guard codes only. */
  encoder?: "steam";
}

/** An HOTP account, as `parseUri` returns it. */
export interface HotpAccount extends AccountFields {
  type: "hotp";
  /** A number, or a bigint past `Number.MAX_SAFE_INTEGER`. */
  counter: number | bigint;
}

export type Account = TotpAccount | HotpAccount;

/** What `parseUri` returns. */
export type ParsedUri = Account & { warnings: Warning[] };

/** What `buildUri` takes: `parseUri`'s result works, and so do `Totp` and `Hotp` options. */
export type BuildUriOptions =
  | (TotpOptions & { type?: "totp" | undefined })
  | (HotpOptions & { type: "hotp" });

/** An account of a Google Authenticator export; `name` is its label as written. */
export type MigrationAccount = Account & { name: string };

/** What `parseMigrationUri` returns. */
export interface MigrationBatch {
  accounts: MigrationAccount[];
  /** How many URIs the export has (0 when the field is absent). */
  batchSize: number;
  /** This URI's 0-based place among them. */
  batchIndex: number;
  /** The same for every URI of one export. */
  batchId: number;
  version: number;
  warnings: AccountWarning[];
}

/** What `buildMigrationUris` returns. */
export interface MigrationExport {
  /** One URI a QR code, in order. */
  uris: string[];
  /** Accounts left out, with why. */
  warnings: AccountWarning[];
}

/** Error correction: about 7, 15, 25 or 30 % of the code may be damaged. */
export type Ecc = "L" | "M" | "Q" | "H";

/** Options of `qrSvg`. */
export interface QrSvgOptions {
  /** Default `"M"`. */
  ecc?: Ecc | undefined;
  /** The quiet zone in modules, 0 to 64; default 4. */
  margin?: number | undefined;
  /** A CSS colour (`#rgb`, `#rrggbb`, a name, `rgb(...)`); default `"#000000"`. */
  dark?: string | undefined;
  /** A CSS colour, or `null` for no background; default `"#ffffff"`. */
  light?: string | null | undefined;
}

/** The modules of a QR code, without margin: `modules[y * size + x]` is 1 for dark. */
export interface QrMatrix {
  size: number;
  modules: Uint8Array;
}

/** A set of backup codes: show `codes` once, store `record`. */
export interface BackupCodes {
  /** `XXXX-XXXX-XXXX`: 12 Crockford base32 characters, 60 bits each. */
  codes: string[];
  record: BackupRecord;
}

/** What a site stores for a set of backup codes: salted hashes, never a code. */
export interface BackupRecord {
  version: 1;
  /** PBKDF2-HMAC-SHA-256 iterations. */
  iterations: number;
  /** 16 bytes, URL-safe base64. */
  salt: string;
  /** Each code's hash, URL-safe base64, or `null` once the code was used. */
  hashes: (string | null)[];
  /** Unix milliseconds. */
  createdAt: number;
}

/** What `verifyBackupCode` returns. Store `record`. */
export interface BackupCheck {
  matched: boolean;
  /** Unused codes left. */
  remaining: number;
  record: BackupRecord;
}

/** What a site stores for one recovery code. */
export interface RecoveryRecord {
  user: string;
  salt: string;
  /** HMAC-SHA-256 of the user and the code, URL-safe base64. */
  hash: string;
  issuedAt: number;
  /** The first instant the code no longer works. */
  expiresAt: number;
  /** When it was used, or `null`. */
  usedAt: number | null;
}

/** What `issueRecoveryCode` returns: give `code` to the user, store `record`. */
export interface IssuedRecoveryCode {
  /** `XXXX-XXXX-XXXX-XXXX`: 16 Crockford base32 characters, 80 bits. */
  code: string;
  record: RecoveryRecord;
}

export type RecoveryStatus = "OK" | "EXPIRED" | "USED" | "UNKNOWN";

/** What `verifyRecoveryCode` returns. Store `records`. */
export interface RecoveryCheck {
  status: RecoveryStatus;
  records: RecoveryRecord[];
}

/** Options of `issueVerificationCode`. */
export interface VerificationCodeOptions {
  /** 6 to 10; default 6. */
  digits?: number | undefined;
  /** Lifetime in ms; default 600000 (10 minutes). */
  ttl?: number | undefined;
  /** Wrong tries before the code is dead; default 5. */
  maxAttempts?: number | undefined;
  /** Unix ms; default `Date.now()`. */
  now?: number | undefined;
}

/** What a site stores for a sent e-mail or SMS code: a salted hash, not the code. */
export interface VerificationRecord {
  digits: number;
  salt: string;
  hash: string;
  /** The first instant the code no longer works. */
  expiresAt: number;
  attemptsLeft: number;
  used: boolean;
}

/** What `issueVerificationCode` returns: send `code`, store `record`. */
export interface IssuedVerificationCode {
  code: string;
  record: VerificationRecord;
}

export type VerificationOutcome = "OK" | "WRONG" | "EXPIRED" | "LOCKED" | "USED";

/** What `verifyVerificationCode` returns. Store `record`. */
export interface VerificationCheck {
  outcome: VerificationOutcome;
  attemptsLeft: number;
  record: VerificationRecord;
}

/** An HMAC key for device tokens: 16 to 1024 random bytes (32 is right). */
export type DeviceKey = Secret | Uint8Array;

/** Options of `issueDeviceToken`. */
export interface DeviceTokenOptions {
  /**
   * The user the device is trusted for, up to 255 characters. Pass it, and pass the same
   * `user` to `verifyDeviceToken`: otherwise a token got on one account skips the second
   * factor on any other account whose password is known.
   */
  user?: string | undefined;
  /** Your id for the device, 1 to 128 bytes: what a revocation list names. */
  deviceId: string;
  /** What the user sees, such as "Firefox on Linux". Signed, not secret. */
  label?: string | undefined;
  /** Lifetime in ms; default 30 days. */
  ttl?: number | undefined;
  now?: number | undefined;
}

/** What `issueDeviceToken` returns: give `token` to the browser, keep the rest for the list. */
export interface IssuedDeviceToken {
  /** URL-safe: `payload.tag`. */
  token: string;
  deviceId: string;
  label: string;
  issuedAt: number;
  expiresAt: number;
  /** Present when the token is bound to a user. */
  user?: string;
}

/** Options of `verifyDeviceToken`. */
export interface DeviceVerifyOptions {
  /** Unix ms; default `Date.now()`. */
  now?: number | undefined;
  /** The user signing in: the token must have been issued to this user (or to none, when absent). */
  user?: string | undefined;
  /** Device ids the user removed. */
  revoked?: readonly string[] | undefined;
}

export type DeviceRejection = "MALFORMED" | "BAD_SIGNATURE" | "EXPIRED" | "REVOKED" | "WRONG_USER";

/** What `verifyDeviceToken` returns. */
export type DeviceCheck =
  | {
      ok: true;
      deviceId: string;
      label: string;
      issuedAt: number;
      expiresAt: number;
      /** Which key signed it: 0 is the current one; more means reissue under it. */
      keyIndex: number;
      /** Present when the token is bound to a user. */
      user?: string;
    }
  | { ok: false; reason: DeviceRejection };

/** Throttling state per account (RFC 4226 §7.3). `undefined` is a clean slate. */
export interface ThrottleState {
  /** Failures since the last success. */
  failures: number;
  /** No attempt before this instant (Unix ms); 0 for none. */
  lockedUntil: number;
}

/** Free attempts, then a lock-out that doubles from `baseDelay` up to `maxDelay` (ms). */
export interface ThrottlePolicy {
  /** Default 5. */
  freeAttempts?: number | undefined;
  /** Default 1000. */
  baseDelay?: number | undefined;
  /** Default 900000 (15 minutes). */
  maxDelay?: number | undefined;
}

/** What `throttleCheck` returns. */
export interface ThrottleDecision {
  allowed: boolean;
  /** When an attempt may be made: `now` when allowed. */
  retryAt: number;
  /** Milliseconds until `retryAt`. */
  wait: number;
}

/** Pixels as a canvas `ImageData` holds them: RGBA, 4 bytes a pixel, row by row. */
export interface QrImage {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

/** Steps either side of the current one: a number for both, or each side apart. */
export type VerifyWindow = number | { past: number; future: number };

/** Options of `totp.verify(...)`. */
export interface TotpVerifyOptions {
  /** Unix milliseconds; default `Date.now()`. */
  timestamp?: number | undefined;
  /** Default 1 (one step each way); at most 1000 each way. */
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

export interface Hotp {
  /**
   * Checks `token` against `counter ..= counter + window`, in order, comparing in constant time.
   * Returns the match, or `null`. Throws `INVALID_TOKEN` for a malformed token.
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

  /**
   * Resynchronises a counter that fell behind (RFC 4226 §7.4) from two codes the user
   * generated one after the other: searches `counter ..= counter + window` (default the
   * instance's counter and 100; at most 100000) and returns the next counter to expect,
   * of the type the search started from, or `null`.
   */
  resync(first: string, second: string, options: { counter: bigint; window?: number | undefined }): { counter: bigint } | null;
  resync(first: string, second: string, options: { counter: number; window?: number | undefined }): { counter: number } | null;
  resync(first: string, second: string, options?: { counter?: number | bigint | undefined; window?: number | undefined }): { counter: number | bigint } | null;
}
"##;

/// Every heap block is zeroed when it is freed: the buffers that the QR and protobuf
/// code, the glue's string passing and `Vec` growth leave behind may hold secret
/// material, and WebAssembly memory stays readable from JavaScript.
#[global_allocator]
static ALLOCATOR: zeroizing_alloc::ZeroAlloc<std::alloc::System> =
    zeroizing_alloc::ZeroAlloc(std::alloc::System);

/// The default HOTP look-ahead.
const DEFAULT_HOTP_WINDOW: u32 = 1;

// ---------------------------------------------------------------------------------------
// Errors

/// A JavaScript `Error` named `TwofaError` with a stable `code`.
fn js_error(code: &str, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name("TwofaError");
    // Setting a property on a fresh Error cannot fail.
    let _ = Reflect::set(&err, &js_key("code"), &code.into());
    err.into()
}

fn core_error(err: Error) -> JsValue {
    js_error(err.code(), &err.to_string())
}

fn options_error(message: &str) -> JsValue {
    js_error("INVALID_OPTIONS", message)
}

// ---------------------------------------------------------------------------------------
// Reading JavaScript values

thread_local! {
    /// Property names as JS strings, made once: building a JS string from Rust text on
    /// every call would cost more than the HMAC.
    static KEYS: core::cell::RefCell<Vec<(&'static str, JsValue)>> = const { core::cell::RefCell::new(Vec::new()) };
}

fn js_key(name: &'static str) -> JsValue {
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        if let Some((_, key)) = keys.iter().find(|(n, _)| *n == name) {
            return key.clone();
        }
        let key = JsValue::from_str(name);
        keys.push((name, key.clone()));
        key
    })
}

/// `options[key]`, or `None` when it is `undefined` (or `null`).
fn field(options: &JsValue, key: &'static str) -> Result<Option<JsValue>, JsValue> {
    let value = Reflect::get(options, &js_key(key))
        .map_err(|_| options_error(&format!("cannot read option {key}")))?;
    Ok((!value.is_undefined() && !value.is_null()).then_some(value))
}

/// The options object of a call, which may be omitted when `required` is false.
fn options_object(
    value: Option<&JsValue>,
    what: &str,
    required: bool,
) -> Result<Option<JsValue>, JsValue> {
    let Some(value) = value.filter(|v| !v.is_undefined() && !v.is_null()) else {
        return if required {
            Err(options_error(&format!("{what} options are required")))
        } else {
            Ok(None)
        };
    };
    if !value.is_object() {
        return Err(options_error(&format!("{what} options must be an object")));
    }
    Ok(Some(value.clone()))
}

fn string_field(options: &JsValue, key: &'static str) -> Result<Option<String>, JsValue> {
    let Some(value) = field(options, key)? else {
        return Ok(None);
    };
    match bounded_string(&value, MAX_LABEL_UNITS) {
        Ok(Some(text)) => Ok(Some(text)),
        Ok(None) => Err(options_error(&format!("{key} must be a string"))),
        Err(_) => Err(options_error(&format!(
            "{key} must be at most {MAX_LABEL_UNITS} characters"
        ))),
    }
}

/// A JS number that is a whole number from 0 to `max`; each caller words its own error.
fn whole(value: &JsValue, max: f64) -> Option<u64> {
    let n = value.as_f64()?;
    if !n.is_finite() || n.fract() != 0.0 || n < 0.0 || n > max {
        return None;
    }
    // Checked above: 0 <= n <= max <= 2^53 - 1, so the cast is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Some(n as u64)
}

/// `Number.MAX_SAFE_INTEGER`, as a float and as a counter.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
const MAX_SAFE_COUNTER: u64 = 9_007_199_254_740_991;

/// Unix milliseconds from an optional JavaScript number; `Date.now()` when absent.
fn timestamp(value: Option<&JsValue>, name: &str) -> Result<i64, JsValue> {
    value.map_or_else(|| Ok(now()), |v| millis(v, name))
}

fn millis(value: &JsValue, name: &str) -> Result<i64, JsValue> {
    match value.as_f64() {
        // The range of a JavaScript Date: ±8.64e15 ms.
        Some(n) if n.is_finite() && n.abs() <= 8.64e15 => {
            #[allow(clippy::cast_possible_truncation)] // |n| <= 8.64e15 < 2^63
            Ok(n.floor() as i64)
        }
        Some(_) => Err(js_error(
            "INVALID_TIMESTAMP",
            &format!("{name} must be a finite number of milliseconds within the range of a Date"),
        )),
        None => Err(js_error(
            "INVALID_TIMESTAMP",
            &format!("{name} must be a number of milliseconds"),
        )),
    }
}

#[allow(clippy::cast_possible_truncation)] // Date.now() is a whole number well inside i64.
fn now() -> i64 {
    js_sys::Date::now() as i64
}

fn algorithm_field(options: &JsValue) -> Result<Algorithm, JsValue> {
    match field(options, "algorithm")? {
        None => Ok(Algorithm::default()),
        Some(v) => match v.as_string() {
            Some(name) => name.parse().map_err(core_error),
            None => Err(js_error(
                "UNSUPPORTED_ALGORITHM",
                "algorithm must be a string: SHA1, SHA256 or SHA512",
            )),
        },
    }
}

/// The format a TOTP's options ask for: `digits`, and `encoder` (`"steam"`).
fn totp_format(options: &JsValue) -> Result<Format, JsValue> {
    let encoder = match field(options, "encoder")? {
        None => None,
        Some(v) => Some(
            v.as_string()
                .ok_or_else(|| js_error("INVALID_ENCODER", "encoder must be a string"))?,
        ),
    };
    format_field(options, encoder.as_deref())
}

/// A whole-number option from 0 to 2^32 − 1, or `default` when absent.
fn u32_field(options: Option<&JsValue>, key: &'static str, default: u32) -> Result<u32, JsValue> {
    match options.map(|o| field(o, key)).transpose()?.flatten() {
        None => Ok(default),
        Some(v) => whole(&v, f64::from(u32::MAX))
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| options_error(&format!("{key} must be a whole number"))),
    }
}

/// The platform's CSPRNG (`crypto.getRandomValues`), for the core's entropy arguments.
fn csprng(buf: &mut [u8]) -> Result<(), EntropyError> {
    getrandom::fill(buf).map_err(|_| EntropyError)
}

fn format_field(options: &JsValue, encoder: Option<&str>) -> Result<Format, JsValue> {
    let digits = field(options, "digits")?
        .map(|v| {
            whole(&v, MAX_SAFE_INTEGER).ok_or_else(|| {
                // JavaScript formats the number: float formatting in Rust would add
                // kilobytes to the module for one error message.
                let shown = v
                    .dyn_ref::<js_sys::Number>()
                    .and_then(|n| n.to_string_with_radix(10).ok())
                    .map_or_else(String::new, |n| format!(", not {}", String::from(n)));
                js_error(
                    "INVALID_DIGITS",
                    &format!("digits must be a whole number from 6 to 10{shown}"),
                )
            })
        })
        .transpose()?;
    Format::from_parts(digits, encoder).map_err(core_error)
}

/// The longest base32 text read: 1,024 bytes take 1,639 characters, and people add
/// separators and padding.
const MAX_BASE32_UNITS: u32 = 4096;
/// The longest token read; longer input is reported by its length, never copied in.
const MAX_TOKEN_UNITS: u32 = 64;
/// The longest issuer or account name: as long as a URI, so whatever `parseUri` reads
/// `buildUri` takes back.
const MAX_LABEL_UNITS: u32 = 65_536;

/// Copies secret text out of a JS string into zeroizing memory sized up front.
///
/// `JsValue::as_string` would let the glue grow its buffer for non-ASCII text, freeing
/// the old block with part of the secret still in it; this reads UTF-16 units instead.
fn secret_text(text: &JsString) -> Result<Zeroizing<String>, JsValue> {
    let units = text.length();
    if units > MAX_BASE32_UNITS {
        // Five bits a character: far past the longest secret, so its length is the error.
        let bytes = usize::try_from(units)
            .unwrap_or(usize::MAX)
            .saturating_mul(5)
            / 8;
        return Err(core_error(Error::new(ErrorKind::SecretTooLong(bytes))));
    }
    Ok(utf16_text(text))
}

/// A JS string's text in zeroizing memory sized up front (3 bytes a UTF-16 unit at
/// most), so no reallocation leaves a copy behind. Lone surrogates become U+FFFD.
fn utf16_text(text: &JsString) -> Zeroizing<String> {
    let units = usize::try_from(text.length()).unwrap_or(0);
    let mut out = Zeroizing::new(String::with_capacity(units.saturating_mul(3)));
    for c in char::decode_utf16(text.iter()) {
        out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
    }
    out
}

/// The items of a JS array (or array-like) of at most `max` items, read through
/// `Reflect`, which catches: a throwing getter or a revoked `Proxy` becomes `Err(())`
/// instead of an exception unwinding through Rust frames, which would leave the wasm
/// stack pointer behind and break the module after enough of them.
fn items(value: &JsValue, max: u32) -> Result<Vec<JsValue>, ()> {
    if !value.is_object() {
        return Err(());
    }
    let length = Reflect::get(value, &js_key("length")).map_err(|_| ())?;
    let length = whole(&length, f64::from(max)).ok_or(())?;
    (0..u32::try_from(length).map_err(|_| ())?)
        .map(|i| Reflect::get_u32(value, i).map_err(|_| ()))
        .collect()
}

/// A JS string of at most `max` UTF-16 units, or `Err(its length)`, or `Ok(None)` for a
/// value that is not a string.
fn bounded_string(value: &JsValue, max: u32) -> Result<Option<String>, u32> {
    match value.dyn_ref::<JsString>() {
        None => Ok(None),
        Some(s) if s.length() > max => Err(s.length()),
        Some(s) => Ok(s.as_string()),
    }
}

/// Overwrites the stack that the calls just made have left behind: HMAC keying puts
/// key-derived blocks in stack frames, and on wasm32 that stack is linear memory that
/// stays readable after the call returns. Volatile writes, so it is never optimised away.
#[inline(never)]
fn scrub_stack() {
    let mut scratch = [0u64; 1024];
    scratch.zeroize();
    core::hint::black_box(&scratch);
}

/// Runs `f` and scrubs the stack after it, whatever it returned.
fn scrubbed<T>(f: impl FnOnce() -> T) -> T {
    let out = f();
    scrub_stack();
    out
}

/// [`scrubbed`] for the QR code paths, whose frames are deeper: the decoder keeps a
/// 4 KiB module bitmap of each code on the stack, and a QR code may carry a secret.
#[cfg(feature = "qr")]
fn deep_scrubbed<T>(f: impl FnOnce() -> T) -> T {
    #[inline(never)]
    fn scrub_deep() {
        let mut scratch = [0u64; 16 * 1024];
        scratch.zeroize();
        core::hint::black_box(&scratch);
    }
    let out = f();
    scrub_deep();
    out
}

thread_local! {
    /// `Secret.prototype.clone`, the only `clone` trusted to hand over a fresh copy.
    static SECRET_CLONE: OnceCell<JsValue> = const { OnceCell::new() };
}

fn genuine_secret_clone() -> JsValue {
    SECRET_CLONE.with(|cell| {
        cell.get_or_init(|| {
            let probe = Secret::from_bytes(&[0]).map(|inner| JsValue::from(JsSecret { inner }));
            probe
                .ok()
                .and_then(|p| Reflect::get(&p, &js_key("clone")).ok())
                .unwrap_or_default()
        })
        .clone()
    })
}

/// The `secret` option: a `Secret`, which is copied, or base32 text.
fn secret_field(options: &JsValue) -> Result<Secret, JsValue> {
    const WHAT: &str = "secret must be a Secret or a base32 string";
    let value = field(options, "secret")?.ok_or_else(|| options_error("secret is required"))?;
    if let Some(text) = value.dyn_ref::<JsString>() {
        return Secret::from_base32(&secret_text(text)?).map_err(core_error);
    }
    secret_object(&value).ok_or_else(|| options_error(WHAT))?
}

/// A copy of a `Secret` object's secret; `None` when `value` is not a genuine `Secret`.
///
/// Converting a `Secret` object into Rust would take it from its owner, so it is asked
/// for a copy, through the real `Secret.prototype.clone` only: any other `clone` could
/// hand over an object that its owner still uses.
fn secret_object(value: &JsValue) -> Option<Result<Secret, JsValue>> {
    let clone = Reflect::get(value, &js_key("clone")).ok()?;
    if !Object::is(&clone, &genuine_secret_clone()) {
        return None;
    }
    let clone: Function = clone.dyn_into().ok()?;
    // The genuine method's own error (a freed Secret) says more than ours would.
    Some(match clone.call0(value) {
        Ok(copy) => JsSecret::try_from_js_value(copy)
            .map(|s| s.inner)
            .map_err(|_| options_error("expected a twofa Secret")),
        Err(err) => Err(err),
    })
}

/// A counter from a safe-integer number or a bigint, and whether it was a bigint.
fn counter(value: &JsValue) -> Result<(u64, bool), JsValue> {
    if value.is_bigint() {
        return u64::try_from_js_value_ref(value)
            .map(|c| (c, true))
            .ok_or_else(|| {
                js_error(
                    "INVALID_COUNTER",
                    "counter must be a bigint from 0 to 2^64 - 1",
                )
            });
    }
    whole(value, MAX_SAFE_INTEGER)
        .map(|c| (c, false))
        .ok_or_else(|| {
            js_error(
                "INVALID_COUNTER",
                "counter must be a whole number from 0 to Number.MAX_SAFE_INTEGER, or a bigint",
            )
        })
}

/// A token as a string, refused by its length when it is too long to copy in.
fn token_text(token: &JsValue, format: Format) -> Result<String, JsValue> {
    match bounded_string(token, MAX_TOKEN_UNITS) {
        Ok(Some(text)) => Ok(text),
        Ok(None) => Err(js_error("INVALID_TOKEN", "token must be a string")),
        Err(units) => Err(core_error(Error::new(ErrorKind::TokenLength {
            expected: format.len(),
            found: usize::try_from(units).unwrap_or(usize::MAX),
        }))),
    }
}

fn window_steps(value: &JsValue, name: &str) -> Result<u32, JsValue> {
    let steps = whole(value, MAX_SAFE_INTEGER).ok_or_else(|| {
        js_error(
            "INVALID_WINDOW",
            &format!("{name} must be a whole number of steps"),
        )
    })?;
    crate::hotp::check_window(steps).map_err(core_error)
}

// ---------------------------------------------------------------------------------------
// Secret

/// A shared secret, kept inside WebAssembly memory and zeroed when freed.
///
/// ```js
/// const secret = Secret.generate();          // 20 random bytes
/// secret.toGrouped();                        // "ABCD EFGH ..." for typing by hand
/// Secret.fromBase32("jbsw y3dp ehpk 3pxp").isWeak; // true: 10 bytes, under 128 bits
/// ```
#[wasm_bindgen(js_name = Secret)]
pub struct JsSecret {
    inner: Secret,
}

#[wasm_bindgen(js_class = Secret)]
impl JsSecret {
    /// Generates a secret from the platform's CSPRNG (`crypto.getRandomValues`):
    /// 16 to 64 bytes, default 20. Throws `SECRET_LENGTH` outside that range.
    #[wasm_bindgen(js_name = generate)]
    pub fn generate(
        #[wasm_bindgen(js_name = byteLength, unchecked_optional_param_type = "number")] byte_length: Option<JsValue>,
    ) -> Result<JsSecret, JsValue> {
        let len = if let Some(byte_length) = byte_length {
            let n = whole(&byte_length, MAX_SAFE_INTEGER).ok_or_else(|| {
                js_error(
                    "SECRET_LENGTH",
                    "byteLength must be a whole number from 16 to 64",
                )
            })?;
            match usize::try_from(n) {
                Ok(len) => len,
                Err(_) => return Err(core_error(Error::new(ErrorKind::GenerateLength(n)))),
            }
        } else {
            crate::DEFAULT_LEN
        };
        let inner = Secret::generate(len, csprng).map_err(core_error)?;
        Ok(JsSecret { inner })
    }

    /// Imports base32 text: case-insensitive; spaces, hyphens and trailing `=` are ignored.
    /// Throws `INVALID_BASE32` naming the position of a bad character, or `SECRET_LENGTH`.
    #[wasm_bindgen(js_name = fromBase32)]
    pub fn from_base32(
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<JsSecret, JsValue> {
        scrubbed(|| -> Result<JsSecret, JsValue> {
            let text = text
                .dyn_ref::<JsString>()
                .ok_or_else(|| js_error("INVALID_BASE32", "base32 secret must be a string"))?;
            let text = secret_text(text)?;
            Secret::from_base32(&text)
                .map(|inner| JsSecret { inner })
                .map_err(core_error)
        })
    }

    /// Imports raw bytes: 1 to 1,024. Throws `SECRET_LENGTH`.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
    ) -> Result<JsSecret, JsValue> {
        scrubbed(|| -> Result<JsSecret, JsValue> {
            let array = bytes
                .dyn_ref::<Uint8Array>()
                .ok_or_else(|| options_error("secret bytes must be a Uint8Array"))?;
            // A JS-side copy has the array's real length, whatever its `length` property
            // says; it is zeroed once its bytes are in.
            let staged = Uint8Array::new(array);
            let units = staged.length();
            let len = usize::try_from(units).unwrap_or(usize::MAX);
            let result = if len > crate::MAX_LEN {
                // Reported without copying an oversized buffer into wasm memory.
                Err(Error::new(ErrorKind::SecretTooLong(len)))
            } else {
                let mut copy = Zeroizing::new(vec![0u8; len]);
                staged.copy_to(&mut copy);
                Secret::from_bytes(&copy)
            };
            staged.fill(0, 0, units);
            result.map(|inner| JsSecret { inner }).map_err(core_error)
        })
    }

    /// The canonical base32 form: upper case, unpadded.
    #[wasm_bindgen(js_name = toBase32)]
    pub fn to_base32(&self) -> js_sys::JsString {
        scrubbed(|| -> js_sys::JsString {
            js_sys::JsString::from(Zeroizing::new(self.inner.to_base32()).as_str())
        })
    }

    /// The grouped form people type: `JBSW Y3DP EHPK 3PXP`.
    #[wasm_bindgen(js_name = toGrouped)]
    pub fn to_grouped(&self) -> js_sys::JsString {
        scrubbed(|| -> js_sys::JsString {
            js_sys::JsString::from(Zeroizing::new(self.inner.to_grouped()).as_str())
        })
    }

    /// The raw bytes, as a new `Uint8Array`.
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Uint8Array {
        Uint8Array::from(self.inner.as_bytes())
    }

    /// The length in bytes.
    #[wasm_bindgen(getter, js_name = byteLength)]
    pub fn byte_length(&self) -> usize {
        self.inner.len()
    }

    /// True under 16 bytes (128 bits): accepted, but worth a warning.
    #[wasm_bindgen(getter, js_name = isWeak)]
    pub fn is_weak(&self) -> bool {
        self.inner.is_weak()
    }

    /// An independent copy, freed separately.
    #[wasm_bindgen(js_name = clone)]
    pub fn copy(&self) -> JsSecret {
        JsSecret {
            inner: self.inner.clone(),
        }
    }

    /// Constant-time equality with another `Secret`.
    #[wasm_bindgen(js_name = equals)]
    pub fn equals(&self, other: &JsSecret) -> bool {
        self.inner == other.inner
    }

    /// Never the secret: `"Secret(20 bytes)"`.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_display(&self) -> String {
        format!("Secret({} bytes)", self.inner.len())
    }

    /// What `JSON.stringify` writes: the length only, never the secret.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> String {
        self.to_display()
    }
}

// ---------------------------------------------------------------------------------------
// TOTP

/// Time-based codes (RFC 6238), and Steam Guard codes.
///
/// ```js
/// const totp = new Totp({ secret: "JBSWY3DPEHPK3PXP", issuer: "ACME", account: "ada@example.com" });
/// const code = totp.generate();                 // at Date.now()
/// const match = totp.verify(code, { afterStep: lastStep });
/// if (match) lastStep = match.step;            // the replay guard's state
/// ```
#[wasm_bindgen(js_name = Totp)]
pub struct JsTotp {
    inner: Totp,
    label: Label,
}

#[wasm_bindgen(js_class = Totp)]
impl JsTotp {
    /// Throws `INVALID_OPTIONS`, `INVALID_BASE32`, `SECRET_LENGTH`, `UNSUPPORTED_ALGORITHM`,
    /// `INVALID_DIGITS`, `INVALID_PERIOD`, `INVALID_TIMESTAMP` or `INVALID_ENCODER`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "TotpOptions")] options: JsValue,
    ) -> Result<JsTotp, JsValue> {
        scrubbed(|| -> Result<JsTotp, JsValue> {
            let options = options_object(Some(&options), "Totp", true)?.unwrap_or_default();
            let format = totp_format(&options)?;
            let algorithm = algorithm_field(&options)?;
            let period = match field(&options, "period")? {
                None => crate::DEFAULT_PERIOD,
                Some(v) => {
                    let seconds = whole(&v, f64::from(u32::MAX)).ok_or_else(|| {
                        js_error(
                            "INVALID_PERIOD",
                            "period must be a whole number of seconds from 1 to 2^32 - 1",
                        )
                    })?;
                    u32::try_from(seconds).unwrap_or(u32::MAX)
                }
            };
            let epoch = field(&options, "epoch")?
                .map(|v| millis(&v, "epoch"))
                .transpose()?
                .unwrap_or(0);
            let label = Label::read(&options)?;
            let secret = secret_field(&options)?;
            let inner = Totp::new(secret)
                .with_algorithm(algorithm)
                .with_format(format)
                .with_epoch_ms(epoch)
                .with_period(period)
                .map_err(core_error)?;
            Ok(JsTotp { inner, label })
        })
    }

    /// The code at `timestamp` (Unix ms, default now). Throws `INVALID_TIMESTAMP` before T0.
    pub fn generate(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timestamp: Option<JsValue>,
    ) -> Result<String, JsValue> {
        scrubbed(|| -> Result<String, JsValue> {
            self.inner
                .generate(self::timestamp(timestamp.as_ref(), "timestamp")?)
                .map_err(core_error)
        })
    }

    /// Checks a typed token against the window around `timestamp`, current step first.
    /// Returns `{ delta, step }` or `null`; throws `INVALID_TOKEN` for a malformed token.
    #[wasm_bindgen(unchecked_return_type = "TotpMatch | null")]
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "TotpVerifyOptions")] options: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        scrubbed(|| -> Result<JsValue, JsValue> {
            let token = token_text(&token, self.inner.format())?;
            let options = options_object(options.as_ref(), "verify", false)?;
            let mut at = now();
            let mut verify = VerifyOptions::default();
            if let Some(options) = options {
                if let Some(t) = field(&options, "timestamp")? {
                    at = millis(&t, "timestamp")?;
                }
                if let Some(w) = field(&options, "window")? {
                    verify.window = if w.as_f64().is_some() {
                        Window::symmetric(window_steps(&w, "window")?)
                    } else if w.is_object()
                        && (field(&w, "past")?.is_some() || field(&w, "future")?.is_some())
                    {
                        // A side left out keeps its default of one step.
                        let side = |key: &'static str| match field(&w, key)? {
                            Some(v) => window_steps(&v, &format!("window.{key}")),
                            None => Ok(1),
                        };
                        Window {
                            past: side("past")?,
                            future: side("future")?,
                        }
                    } else {
                        return Err(js_error(
                            "INVALID_WINDOW",
                            "window must be a number or { past, future }",
                        ));
                    };
                }
                if let Some(after) = field(&options, "afterStep")? {
                    let step = whole(&after, MAX_SAFE_INTEGER).ok_or_else(|| {
                        options_error("afterStep must be a whole number: a step returned by verify")
                    })?;
                    verify.after_step = Some(step);
                }
            }
            let found = self.inner.verify(&token, at, verify).map_err(core_error)?;
            Ok(match found {
                None => JsValue::NULL,
                Some(m) => object(&[
                    ("delta", JsValue::from(m.delta as f64)),
                    ("step", JsValue::from(m.step as f64)),
                ]),
            })
        })
    }

    /// The time step at `timestamp` (default now).
    #[wasm_bindgen(js_name = stepAt)]
    pub fn step_at(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timestamp: Option<JsValue>,
    ) -> Result<f64, JsValue> {
        self.inner
            .step_at(self::timestamp(timestamp.as_ref(), "timestamp")?)
            .map(|s| s as f64)
            .map_err(core_error)
    }

    /// Milliseconds until the next step (from 1 to the period), at `timestamp` (default now).
    pub fn remaining(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] timestamp: Option<JsValue>,
    ) -> Result<f64, JsValue> {
        self.inner
            .remaining_ms(self::timestamp(timestamp.as_ref(), "timestamp")?)
            .map(|s| s as f64)
            .map_err(core_error)
    }

    /// A copy of the secret.
    #[wasm_bindgen(getter)]
    pub fn secret(&self) -> JsSecret {
        JsSecret {
            inner: self.inner.secret().clone(),
        }
    }

    /// `"SHA1"`, `"SHA256"` or `"SHA512"`.
    #[wasm_bindgen(getter, unchecked_return_type = "Algorithm")]
    pub fn algorithm(&self) -> String {
        self.inner.algorithm().as_str().to_owned()
    }

    /// Characters per code: 6 to 10, or 5 for Steam.
    #[wasm_bindgen(getter)]
    pub fn digits(&self) -> usize {
        self.inner.format().len()
    }

    /// The step in seconds.
    #[wasm_bindgen(getter)]
    pub fn period(&self) -> u32 {
        self.inner.period()
    }

    /// T0 in Unix milliseconds.
    #[wasm_bindgen(getter)]
    pub fn epoch(&self) -> f64 {
        self.inner.epoch_ms() as f64
    }

    /// `"steam"` for Steam Guard codes, otherwise `undefined`.
    #[wasm_bindgen(getter, unchecked_return_type = "\"steam\" | undefined")]
    pub fn encoder(&self) -> Option<String> {
        self.inner.format().is_steam().then(|| "steam".to_owned())
    }

    /// The issuer, if one was given.
    #[wasm_bindgen(getter)]
    pub fn issuer(&self) -> Option<String> {
        self.label.issuer.clone()
    }

    /// The account name, if one was given.
    #[wasm_bindgen(getter)]
    pub fn account(&self) -> Option<String> {
        self.label.account.clone()
    }

    /// The logo URL (the URI's `image` parameter), if one was given.
    #[wasm_bindgen(getter)]
    pub fn image(&self) -> Option<String> {
        self.label.image.clone()
    }
}

// ---------------------------------------------------------------------------------------
// HOTP

/// Counter-based codes (RFC 4226). The caller keeps the counter.
///
/// ```js
/// const hotp = new Hotp({ secret, counter: stored });
/// const match = hotp.verify(token);
/// if (match) stored = match.counter + 1;
/// ```
#[wasm_bindgen(js_name = Hotp)]
pub struct JsHotp {
    inner: Hotp,
    counter: u64,
    counter_is_bigint: bool,
    label: Label,
}

#[wasm_bindgen(js_class = Hotp)]
impl JsHotp {
    /// Throws `INVALID_OPTIONS`, `INVALID_BASE32`, `SECRET_LENGTH`, `UNSUPPORTED_ALGORITHM`,
    /// `INVALID_DIGITS` or `INVALID_COUNTER`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "HotpOptions")] options: JsValue,
    ) -> Result<JsHotp, JsValue> {
        scrubbed(|| -> Result<JsHotp, JsValue> {
            let options = options_object(Some(&options), "Hotp", true)?.unwrap_or_default();
            if field(&options, "encoder")?.is_some() {
                return Err(js_error(
                    "INVALID_ENCODER",
                    "steam codes are time-based; use Totp",
                ));
            }
            let format = format_field(&options, None)?;
            let algorithm = algorithm_field(&options)?;
            let (counter, counter_is_bigint) = field(&options, "counter")?
                .map(|v| counter(&v))
                .transpose()?
                .unwrap_or((0, false));
            let label = Label::read(&options)?;
            let secret = secret_field(&options)?;
            let inner = Hotp::new(secret)
                .with_algorithm(algorithm)
                .with_format(format);
            Ok(JsHotp {
                inner,
                counter,
                counter_is_bigint,
                label,
            })
        })
    }

    /// The code for `counter` (a number or bigint; default the instance's counter).
    pub fn generate(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number | bigint")] counter: Option<JsValue>,
    ) -> Result<String, JsValue> {
        scrubbed(|| -> Result<String, JsValue> {
            let counter = match counter {
                None => self.counter,
                Some(c) => self::counter(&c)?.0,
            };
            Ok(self.inner.generate(counter))
        })
    }

    /// See the `Hotp` interface in the type declarations for the overloads.
    #[wasm_bindgen(skip_typescript)]
    pub fn verify(&self, token: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue> {
        scrubbed(|| -> Result<JsValue, JsValue> {
            let token = token_text(&token, self.inner.format())?;
            let options = options_object(options.as_ref(), "verify", false)?;
            let mut start = self.counter;
            let mut bigint = self.counter_is_bigint;
            let mut window = DEFAULT_HOTP_WINDOW;
            if let Some(options) = options {
                if let Some(c) = field(&options, "counter")? {
                    (start, bigint) = counter(&c)?;
                }
                if let Some(w) = field(&options, "window")? {
                    window = window_steps(&w, "window")?;
                }
            }
            if !bigint && start.saturating_add(u64::from(window)) > MAX_SAFE_COUNTER {
                return Err(js_error(
                    "INVALID_COUNTER",
                    "counter + window passes Number.MAX_SAFE_INTEGER; pass the counter as a bigint",
                ));
            }
            let found = self
                .inner
                .verify(&token, start, window)
                .map_err(core_error)?;
            Ok(match found {
                None => JsValue::NULL,
                Some(m) => {
                    let counter = if bigint {
                        JsValue::from(m.counter)
                    } else {
                        JsValue::from(m.counter as f64)
                    };
                    let delta = JsValue::from(m.delta as f64);
                    object(&[("delta", delta), ("counter", counter)])
                }
            })
        })
    }

    /// The counter that `generate()` and `verify()` use by default, as it was given.
    #[wasm_bindgen(getter, unchecked_return_type = "number | bigint")]
    pub fn counter(&self) -> JsValue {
        if self.counter_is_bigint {
            JsValue::from(self.counter)
        } else {
            JsValue::from(self.counter as f64)
        }
    }

    /// A copy of the secret.
    #[wasm_bindgen(getter)]
    pub fn secret(&self) -> JsSecret {
        JsSecret {
            inner: self.inner.secret().clone(),
        }
    }

    /// `"SHA1"`, `"SHA256"` or `"SHA512"`.
    #[wasm_bindgen(getter, unchecked_return_type = "Algorithm")]
    pub fn algorithm(&self) -> String {
        self.inner.algorithm().as_str().to_owned()
    }

    /// Digits per code: 6 to 10.
    #[wasm_bindgen(getter)]
    pub fn digits(&self) -> usize {
        self.inner.format().len()
    }

    /// The issuer, if one was given.
    #[wasm_bindgen(getter)]
    pub fn issuer(&self) -> Option<String> {
        self.label.issuer.clone()
    }

    /// The account name, if one was given.
    #[wasm_bindgen(getter)]
    pub fn account(&self) -> Option<String> {
        self.label.account.clone()
    }

    /// The logo URL (the URI's `image` parameter), if one was given.
    #[wasm_bindgen(getter)]
    pub fn image(&self) -> Option<String> {
        self.label.image.clone()
    }
}

/// A plain object from key/value pairs.
fn object(entries: &[(&'static str, JsValue)]) -> JsValue {
    let obj = Object::new();
    for (key, value) in entries {
        // Defining a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&obj, &js_key(key), value);
    }
    obj.into()
}

// ---------------------------------------------------------------------------------------
// otpauth:// URIs

/// The longest URI read, in UTF-16 units; the core refuses over 65,536 bytes anyway.
const MAX_URI_UNITS: u32 = 65_536;

/// Who an account belongs to: what a URI's label and `image` carry.
#[derive(Clone, Default)]
struct Label {
    issuer: Option<String>,
    account: Option<String>,
    image: Option<String>,
}

impl Label {
    fn read(options: &JsValue) -> Result<Label, JsValue> {
        Ok(Label {
            issuer: string_field(options, "issuer")?,
            account: string_field(options, "account")?,
            image: match field(options, "image")? {
                None => None,
                Some(v) => Some(
                    bounded_string(&v, MAX_URI_UNITS)
                        .ok()
                        .flatten()
                        .ok_or_else(|| {
                            options_error("image must be a string of at most 65536 characters")
                        })?,
                ),
            },
        })
    }

    fn key(&self, otp: Otp) -> KeyUri {
        KeyUri {
            otp,
            issuer: self.issuer.clone(),
            account: self.account.clone().unwrap_or_default(),
            image: self.image.clone(),
        }
    }

    fn of(key: &KeyUri) -> Label {
        Label {
            issuer: key.issuer.clone(),
            account: Some(key.account.clone()),
            image: key.image.clone(),
        }
    }
}

/// A URI argument as a string, refused by its length before it is copied in. It may
/// hold a secret, so the copy is zeroed when dropped.
fn uri_text(uri: &JsValue) -> Result<Zeroizing<String>, JsValue> {
    let text = uri
        .dyn_ref::<JsString>()
        .ok_or_else(|| js_error("INVALID_URI", "uri must be a string"))?;
    if text.length() > MAX_URI_UNITS {
        let units = usize::try_from(text.length()).unwrap_or(usize::MAX);
        return Err(core_error(Error::new(ErrorKind::UriTooLong(units))));
    }
    Ok(utf16_text(text))
}

fn warnings_array(warnings: &[Warning]) -> js_sys::Array {
    warnings
        .iter()
        .map(|w| {
            let mut entries = vec![
                ("code", JsValue::from_str(w.code())),
                ("message", JsValue::from_str(&w.to_string())),
            ];
            if let Some(index) = w.account_index() {
                entries.push(("index", JsValue::from(index as f64)));
            }
            object(&entries)
        })
        .collect()
}

/// A counter as JavaScript gets it: a number while it is a safe integer, else a bigint.
fn counter_value(counter: u64) -> JsValue {
    if counter <= MAX_SAFE_COUNTER {
        JsValue::from(counter as f64)
    } else {
        JsValue::from(counter)
    }
}

/// The plain-object form of an account, as `parseUri` returns it.
fn key_object(key: &KeyUri, extra: &[(&'static str, JsValue)]) -> JsValue {
    let format = key.otp.format();
    let secret = Zeroizing::new(key.otp.secret().to_base32());
    let mut entries = vec![(
        "type",
        JsValue::from_str(match key.otp {
            Otp::Totp(_) => "totp",
            Otp::Hotp { .. } => "hotp",
        }),
    )];
    entries.push(("secret", JsValue::from_str(&secret)));
    entries.extend(extra.iter().cloned());
    if let Some(issuer) = &key.issuer {
        entries.push(("issuer", JsValue::from_str(issuer)));
    }
    entries.push(("account", JsValue::from_str(&key.account)));
    entries.push(("algorithm", JsValue::from_str(key.otp.algorithm().as_str())));
    entries.push(("digits", JsValue::from(format.len() as f64)));
    match &key.otp {
        Otp::Totp(totp) => entries.push(("period", JsValue::from(totp.period()))),
        Otp::Hotp { counter, .. } => entries.push(("counter", counter_value(*counter))),
    }
    if format.is_steam() {
        entries.push(("encoder", JsValue::from_str("steam")));
    }
    if let Some(image) = &key.image {
        entries.push(("image", JsValue::from_str(image)));
    }
    object(&entries)
}

/// Builds the account an options object describes: `type` picks `Totp` or `Hotp`.
fn key_from_options(options: &JsValue) -> Result<KeyUri, JsValue> {
    let options = options_object(Some(options), "uri", true)?.unwrap_or_default();
    let hotp = match field(&options, "type")? {
        None => false,
        Some(t) => match t.as_string().as_deref() {
            Some("totp") => false,
            Some("hotp") => true,
            _ => return Err(options_error("type must be \"totp\" or \"hotp\"")),
        },
    };
    if hotp {
        let h = JsHotp::new(options)?;
        Ok(h.label.key(Otp::Hotp {
            hotp: h.inner.clone(),
            counter: h.counter,
        }))
    } else {
        let t = JsTotp::new(options)?;
        Ok(t.label.key(Otp::Totp(t.inner.clone())))
    }
}

/// Checks the shape of a code as it is typed, by the rule `verify` applies, without a
/// secret: for a sign-in form that answers before anything is sent. Returns
/// `{ ok: true, token }` with the normalised token, or `{ ok: false, incomplete, message }`:
/// `incomplete` is true while more typing could still make it right (empty, too short, or
/// ending in one separator). Throws `INVALID_DIGITS` or `INVALID_ENCODER` for bad options.
///
/// ```js
/// checkToken("123 456");  // { ok: true, token: "123456" }
/// checkToken("123");      // { ok: false, incomplete: true, message: "token must have 6 characters, not 3" }
/// checkToken("12a");      // { ok: false, incomplete: false, message: "token has a non-digit at position 3" }
/// ```
#[wasm_bindgen(js_name = checkToken, unchecked_return_type = "TokenShape")]
pub fn check_token(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    #[wasm_bindgen(
        unchecked_optional_param_type = "{ digits?: number | undefined; encoder?: \"steam\" | undefined }"
    )]
    options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let options = options_object(options.as_ref(), "checkToken", false)?
        .unwrap_or_else(|| Object::new().into());
    let format = totp_format(&options)?;
    let text = match bounded_string(&token, MAX_TOKEN_UNITS) {
        Ok(Some(text)) => text,
        // A non-string is the caller's bug: thrown, as `verify` throws it.
        Ok(None) => return Err(js_error("INVALID_TOKEN", "token must be a string")),
        Err(units) => {
            let err = Error::new(ErrorKind::TokenLength {
                expected: format.len(),
                found: usize::try_from(units).unwrap_or(usize::MAX),
            });
            return Ok(token_rejected(false, &err));
        }
    };
    Ok(match format.normalize(&text) {
        Ok(token) => object(&[("ok", JsValue::TRUE), ("token", JsValue::from_str(&token))]),
        Err(err) => token_rejected(format.is_unfinished(&text), &err),
    })
}

fn token_rejected(incomplete: bool, err: &Error) -> JsValue {
    object(&[
        ("ok", JsValue::FALSE),
        ("incomplete", JsValue::from_bool(incomplete)),
        ("message", JsValue::from_str(&err.to_string())),
    ])
}

/// Reads an otpauth:// URI into a plain object, with warnings. The policy for the cases
/// where writers disagree is in the README. Throws `INVALID_URI`, `INVALID_BASE32`,
/// `SECRET_LENGTH`, `UNSUPPORTED_ALGORITHM`, `INVALID_DIGITS`, `INVALID_PERIOD`,
/// `INVALID_COUNTER` or `INVALID_ENCODER`.
///
/// ```js
/// const { issuer, account, secret, warnings } = parseUri(scannedText);
/// ```
#[wasm_bindgen(js_name = parseUri, unchecked_return_type = "ParsedUri")]
pub fn parse_uri(
    #[wasm_bindgen(unchecked_param_type = "string")] uri: JsValue,
) -> Result<JsValue, JsValue> {
    scrubbed(|| -> Result<JsValue, JsValue> {
        let parsed = KeyUri::parse(&uri_text(&uri)?).map_err(core_error)?;
        let out = key_object(&parsed.key, &[]);
        let _ = Reflect::set(&out, &js_key("warnings"), &warnings_array(&parsed.warnings));
        Ok(out)
    })
}

/// Writes the canonical otpauth:// URI for an account given as options: `type` (default
/// `"totp"`), then the options of `new Totp(...)` or `new Hotp(...)`, and `image`.
/// Throws what those constructors throw, and `INVALID_LABEL` for an empty issuer or an
/// issuer or account with white space at either end.
///
/// ```js
/// buildUri({ secret, issuer: "ACME Co", account: "ada@example.com" });
/// // "otpauth://totp/ACME%20Co:ada@example.com?secret=...&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30"
/// ```
#[wasm_bindgen(js_name = buildUri)]
pub fn build_uri(
    #[wasm_bindgen(unchecked_param_type = "BuildUriOptions")] options: JsValue,
) -> Result<String, JsValue> {
    scrubbed(|| -> Result<String, JsValue> {
        key_from_options(&options)?.to_uri().map_err(core_error)
    })
}

#[wasm_bindgen(js_class = Totp)]
impl JsTotp {
    /// Reads an otpauth://totp/ URI (see `parseUri`). Throws `INVALID_URI` for an HOTP one.
    #[wasm_bindgen(js_name = fromUri)]
    pub fn from_uri(
        #[wasm_bindgen(unchecked_param_type = "string")] uri: JsValue,
    ) -> Result<JsTotp, JsValue> {
        scrubbed(|| -> Result<JsTotp, JsValue> {
            let parsed = KeyUri::parse(&uri_text(&uri)?).map_err(core_error)?;
            let label = Label::of(&parsed.key);
            let inner = parsed.key.otp.into_totp().map_err(core_error)?;
            Ok(JsTotp { inner, label })
        })
    }

    /// The canonical otpauth:// URI of this generator, with its issuer, account and image.
    /// Throws `INVALID_LABEL` (see `buildUri`), or `INVALID_URI` when `epoch` is not 0.
    #[wasm_bindgen(js_name = toUri)]
    pub fn to_uri(&self) -> Result<String, JsValue> {
        scrubbed(|| -> Result<String, JsValue> {
            self.label
                .key(Otp::Totp(self.inner.clone()))
                .to_uri()
                .map_err(core_error)
        })
    }
}

#[wasm_bindgen(js_class = Hotp)]
impl JsHotp {
    /// Reads an otpauth://hotp/ URI (see `parseUri`); its counter becomes `counter`, a
    /// bigint when it is past `Number.MAX_SAFE_INTEGER`. Throws `INVALID_URI` for a TOTP one.
    #[wasm_bindgen(js_name = fromUri)]
    pub fn from_uri(
        #[wasm_bindgen(unchecked_param_type = "string")] uri: JsValue,
    ) -> Result<JsHotp, JsValue> {
        scrubbed(|| -> Result<JsHotp, JsValue> {
            let parsed = KeyUri::parse(&uri_text(&uri)?).map_err(core_error)?;
            let label = Label::of(&parsed.key);
            let (inner, counter) = parsed.key.otp.into_hotp().map_err(core_error)?;
            Ok(JsHotp {
                inner,
                counter,
                counter_is_bigint: counter > MAX_SAFE_COUNTER,
                label,
            })
        })
    }

    /// The canonical otpauth:// URI of this generator, with its counter, issuer, account
    /// and image. Throws `INVALID_LABEL` (see `buildUri`).
    #[wasm_bindgen(js_name = toUri)]
    pub fn to_uri(&self) -> Result<String, JsValue> {
        scrubbed(|| -> Result<String, JsValue> {
            self.label
                .key(Otp::Hotp {
                    hotp: self.inner.clone(),
                    counter: self.counter,
                })
                .to_uri()
                .map_err(core_error)
        })
    }
}

// ---------------------------------------------------------------------------------------
// Google Authenticator migration

/// Reads a Google Authenticator export (`otpauth-migration://offline?data=…`). Accounts
/// twofa cannot use are left out with an `UNSUPPORTED_ACCOUNT` warning. Throws
/// `INVALID_MIGRATION` (naming the byte offset of a malformed payload) or `INVALID_URI`.
#[wasm_bindgen(js_name = parseMigrationUri, unchecked_return_type = "MigrationBatch")]
pub fn parse_migration_uri(
    #[wasm_bindgen(unchecked_param_type = "string")] uri: JsValue,
) -> Result<JsValue, JsValue> {
    scrubbed(|| -> Result<JsValue, JsValue> {
        let batch = Migration::parse(&uri_text(&uri)?).map_err(core_error)?;
        let accounts: js_sys::Array = batch
            .accounts
            .iter()
            .map(|a| key_object(&a.key, &[("name", JsValue::from_str(&a.name))]))
            .collect();
        Ok(object(&[
            ("accounts", accounts.into()),
            ("batchSize", JsValue::from(batch.batch_size)),
            ("batchIndex", JsValue::from(batch.batch_index)),
            ("batchId", JsValue::from(batch.batch_id)),
            ("version", JsValue::from(batch.version)),
            ("warnings", warnings_array(&batch.warnings).into()),
        ]))
    })
}

/// Encodes accounts (each as `buildUri` takes them, such as `parseUri` results) as
/// Google Authenticator export URIs, in batches small enough for a QR code each. An
/// account the format cannot carry exactly (a period other than 30, digits other than 6
/// or 8, Steam) is left out with an `UNREPRESENTABLE_ACCOUNT` warning, never changed.
/// Throws what `buildUri` throws, prefixed with the account's index.
#[wasm_bindgen(js_name = buildMigrationUris, unchecked_return_type = "MigrationExport")]
pub fn build_migration_uris(
    #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<BuildUriOptions>")] accounts: JsValue,
) -> Result<JsValue, JsValue> {
    scrubbed(|| -> Result<JsValue, JsValue> {
        let list = items(&accounts, 10_000)
            .map_err(|()| options_error("accounts must be an array of at most 10000 accounts"))?;
        let mut keys = Vec::with_capacity(list.len());
        for (index, options) in list.iter().enumerate() {
            let key = key_from_options(options).map_err(|err| prefix_error(err, index))?;
            keys.push(key);
        }
        let mut id = [0u8; 4];
        getrandom::fill(&mut id).map_err(|_| core_error(Error::new(ErrorKind::Entropy)))?;
        // Non-negative, so it takes at most 5 bytes on the wire.
        let batch_id = i32::from_le_bytes(id) & i32::MAX;
        let export = MigrationExport::build(&keys, batch_id);
        let uris: js_sys::Array = export.uris.iter().map(|u| JsValue::from_str(u)).collect();
        Ok(object(&[
            ("uris", uris.into()),
            ("warnings", warnings_array(&export.warnings).into()),
        ]))
    })
}

/// The same error with `account N: ` before its message.
fn prefix_error(err: JsValue, index: usize) -> JsValue {
    if let Some(e) = err.dyn_ref::<js_sys::Error>() {
        e.set_message(&format!("account {index}: {}", String::from(e.message())));
    }
    err
}

// ---------------------------------------------------------------------------------------
// QR codes

/// The longest text read for drawing, in UTF-16 units; a QR code holds at most 7,089
/// characters, so longer text is refused by its length before it is copied in.
#[cfg(feature = "qr")]
const MAX_QR_UNITS: u32 = 32_768;

#[cfg(feature = "qr")]
fn qr_text(text: &JsValue, ecc: Ecc) -> Result<Zeroizing<String>, JsValue> {
    let text = text
        .dyn_ref::<JsString>()
        .ok_or_else(|| options_error("text must be a string"))?;
    if text.length() > MAX_QR_UNITS {
        // Every UTF-16 unit takes at least one UTF-8 byte, so the count is a floor.
        return Err(core_error(Error::new(ErrorKind::QrTooLong {
            bytes: usize::try_from(text.length()).unwrap_or(usize::MAX),
            ecc: ecc.letter(),
        })));
    }
    Ok(utf16_text(text))
}

#[cfg(feature = "qr")]
fn ecc_field(options: Option<&JsValue>) -> Result<Ecc, JsValue> {
    let Some(options) = options else {
        return Ok(Ecc::default());
    };
    match field(options, "ecc")? {
        None => Ok(Ecc::default()),
        Some(v) => v
            .as_string()
            .unwrap_or_default()
            .parse()
            .map_err(core_error),
    }
}

#[cfg(feature = "qr")]
fn matrix(text: &JsValue, options: Option<&JsValue>) -> Result<QrMatrix, JsValue> {
    let options = options_object(options, "qr", false)?;
    let ecc = ecc_field(options.as_ref())?;
    QrMatrix::encode(&qr_text(text, ecc)?, ecc).map_err(core_error)
}

/// Draws `text` as a QR code in an SVG document (`viewBox` in modules, 8 px a module by
/// default). Options: `ecc` (`"L"`, `"M"` (default), `"Q"` or `"H"`), `margin` in modules
/// (default 4), `dark` and `light` CSS colours (`light: null` for no background).
/// Throws `QR_TOO_LONG` or `INVALID_OPTIONS`.
///
/// ```js
/// element.innerHTML = qrSvg(totp.toUri(), { ecc: "M" });
/// ```
#[cfg(feature = "qr")]
#[wasm_bindgen(js_name = qrSvg)]
pub fn qr_svg(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "QrSvgOptions")] options: Option<JsValue>,
) -> Result<String, JsValue> {
    deep_scrubbed(|| qr_svg_inner(&text, options.as_ref()))
}

#[cfg(feature = "qr")]
fn qr_svg_inner(text: &JsValue, options: Option<&JsValue>) -> Result<String, JsValue> {
    let qr = matrix(text, options)?;
    let mut svg = SvgOptions::default();
    if let Some(options) = options.filter(|o| o.is_object()) {
        if let Some(m) = field(options, "margin")? {
            svg.margin = whole(&m, 64.0)
                .and_then(|m| u32::try_from(m).ok())
                .ok_or_else(|| {
                    options_error("margin must be a whole number of modules from 0 to 64")
                })?;
        }
        if let Some(dark) = field(options, "dark")? {
            svg.dark = bounded_string(&dark, 64)
                .ok()
                .flatten()
                .ok_or_else(|| options_error("dark must be a css colour string"))?;
        }
        // `light: null` means no background; `undefined` keeps the white one.
        let light = Reflect::get(options, &js_key("light"))
            .map_err(|_| options_error("cannot read option light"))?;
        if light.is_null() {
            svg.light = None;
        } else if !light.is_undefined() {
            svg.light = Some(
                bounded_string(&light, 64)
                    .ok()
                    .flatten()
                    .ok_or_else(|| options_error("light must be a css colour string or null"))?,
            );
        }
    }
    qr.to_svg(&svg).map_err(core_error)
}

/// The modules of the QR code for `text`, without a margin: `{ size, modules }` where
/// `modules[y * size + x]` is 1 for dark. Draw it on a canvas as you like. Options:
/// `ecc`, as `qrSvg`. Throws `QR_TOO_LONG` or `INVALID_OPTIONS`.
#[cfg(feature = "qr")]
#[wasm_bindgen(js_name = qrMatrix, unchecked_return_type = "QrMatrix")]
pub fn qr_matrix(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "{ ecc?: Ecc | undefined }")] options: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    deep_scrubbed(|| {
        let qr = matrix(&text, options.as_ref())?;
        Ok(object(&[
            ("size", JsValue::from(qr.size() as f64)),
            ("modules", Uint8Array::from(qr.modules()).into()),
        ]))
    })
}

/// The texts of every QR code in a picture: `{ width, height, data }` as a canvas
/// `ImageData` holds it (RGBA, 4 bytes a pixel; transparent reads as white), in reading
/// order; `[]` when there is none. Throws `INVALID_IMAGE` for data that does not match
/// the size, or a picture over 16,384 pixels a side or 16 megapixels. It is synchronous
/// and a crafted picture can take seconds: decode untrusted pictures in a Web Worker.
///
/// ```js
/// const texts = decodeQr(canvas.getContext("2d").getImageData(0, 0, w, h));
/// ```
#[cfg(feature = "qr")]
#[wasm_bindgen(js_name = decodeQr)]
pub fn decode_qr(
    #[wasm_bindgen(unchecked_param_type = "QrImage")] image: JsValue,
) -> Result<Vec<String>, JsValue> {
    deep_scrubbed(|| decode_qr_inner(&image))
}

#[cfg(feature = "qr")]
fn decode_qr_inner(image: &JsValue) -> Result<Vec<String>, JsValue> {
    const WHAT: &str = "image must be { width, height, data } with data a Uint8ClampedArray or Uint8Array of RGBA pixels";
    let image = options_object(Some(image), "decodeQr", true)?.unwrap_or_default();
    let side = |key: &'static str| -> Result<usize, JsValue> {
        let v = field(&image, key)?.ok_or_else(|| js_error("INVALID_IMAGE", WHAT))?;
        whole(&v, MAX_SAFE_INTEGER)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| {
                js_error(
                    "INVALID_IMAGE",
                    &format!("{key} must be a whole number of pixels"),
                )
            })
    };
    let (width, height) = (side("width")?, side("height")?);
    let data = field(&image, "data")?.ok_or_else(|| js_error("INVALID_IMAGE", WHAT))?;
    let data: Uint8Array = if let Some(clamped) = data.dyn_ref::<js_sys::Uint8ClampedArray>() {
        Uint8Array::new_with_byte_offset_and_length(
            &clamped.buffer(),
            clamped.byte_offset(),
            clamped.length(),
        )
    } else if let Some(bytes) = data.dyn_ref::<Uint8Array>() {
        bytes.clone()
    } else {
        return Err(js_error("INVALID_IMAGE", WHAT));
    };
    let found = usize::try_from(data.length()).unwrap_or(usize::MAX);
    crate::qr::check_size(width, height, 4, found).map_err(core_error)?;
    // Row by row into greyscale: the RGBA picture is never copied whole into wasm memory.
    let mut grey = Zeroizing::new(Vec::with_capacity(width * height));
    let mut row = Zeroizing::new(vec![0u8; width * 4]);
    let stride = u32::try_from(width * 4).unwrap_or(u32::MAX);
    for y in 0..u32::try_from(height).unwrap_or(0) {
        data.subarray(y * stride, (y + 1) * stride)
            .copy_to(&mut row);
        grey.extend(row.chunks_exact(4).map(|p| match p {
            [r, g, b, a] => crate::qr::luma(*r, *g, *b, *a),
            _ => 255,
        }));
    }
    crate::qr::decode(width, height, &grey).map_err(core_error)
}

mod flows;
#[cfg(feature = "vault")]
mod vault;
pub use flows::*;
