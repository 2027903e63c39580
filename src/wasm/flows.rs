//! The binding of the flows around codes (`crate::flows`): plain JSON records in and
//! out, time from `Date.now()` unless given, entropy from `crypto.getRandomValues`.

use super::{
    bounded_string, core_error, counter, csprng, field, items, js_error, js_key, millis, now,
    object, options_error, options_object, scrubbed, secret_object, u32_field, whole, JsHotp,
    MAX_SAFE_COUNTER, MAX_SAFE_INTEGER,
};
use crate::error::ErrorKind;
use crate::flows::backup::{self, BackupRecord};
use crate::flows::device::{self, Check, DeviceOptions, Rejection};
use crate::flows::recovery::{self, RecoveryRecord};
use crate::flows::throttle::{self, ThrottlePolicy, ThrottleState};
use crate::flows::verification::{self, VerificationOptions, VerificationRecord};
use crate::Error;
use js_sys::{Array, JsString, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use zeroize::Zeroizing;

/// Text that is kept as written: a string of at most `max` UTF-16 units with no lone
/// surrogate, which would otherwise be read as U+FFFD and match other text.
fn exact_text(value: &JsValue, max: u32) -> Option<String> {
    let text = value.dyn_ref::<JsString>()?;
    if text.length() <= max && text.is_valid_utf16() {
        text.as_string()
    } else {
        None
    }
}

/// An option of exact text; `None` when absent.
fn text_option(options: &JsValue, key: &'static str, max: u32) -> Result<Option<String>, JsValue> {
    match field(options, key)? {
        None => Ok(None),
        Some(v) => exact_text(&v, max).map(Some).ok_or_else(|| {
            options_error(&format!(
                "{key} must be a string of at most {max} characters, without lone surrogates"
            ))
        }),
    }
}

/// A required option of exact text.
fn required_text(options: &JsValue, key: &'static str, max: u32) -> Result<String, JsValue> {
    text_option(options, key, max)?.ok_or_else(|| options_error(&format!("{key} is required")))
}

fn record_error(field: &'static str) -> JsValue {
    core_error(Error::new(ErrorKind::Record(field)))
}

/// A record: a plain object.
fn record_object(value: &JsValue) -> Result<JsValue, JsValue> {
    if value.is_object() {
        Ok(value.clone())
    } else {
        Err(js_error("INVALID_RECORD", "record must be an object"))
    }
}

fn rec_string(record: &JsValue, key: &'static str) -> Result<String, JsValue> {
    field(record, key)?
        .and_then(|v| exact_text(&v, 4096))
        .ok_or_else(|| record_error(key))
}

fn rec_number(record: &JsValue, key: &'static str) -> Result<u64, JsValue> {
    field(record, key)?
        .and_then(|v| whole(&v, MAX_SAFE_INTEGER))
        .ok_or_else(|| record_error(key))
}

fn rec_time(record: &JsValue, key: &'static str) -> Result<i64, JsValue> {
    field(record, key)?
        .and_then(|v| v.as_f64())
        .filter(|n| n.is_finite() && n.fract() == 0.0 && n.abs() <= 8.64e15)
        .map(|n| n as i64)
        .ok_or_else(|| record_error(key))
}

fn rec_bool(record: &JsValue, key: &'static str) -> Result<bool, JsValue> {
    field(record, key)?
        .and_then(|v| v.as_bool())
        .ok_or_else(|| record_error(key))
}

/// `now` from an options object, or `Date.now()`.
fn now_field(options: Option<&JsValue>) -> Result<i64, JsValue> {
    match options.map(|o| field(o, "now")).transpose()?.flatten() {
        Some(v) => millis(&v, "now"),
        None => Ok(now()),
    }
}

/// A `now` argument, or `Date.now()` when it is absent.
fn now_arg(now: Option<JsValue>) -> Result<i64, JsValue> {
    match now {
        Some(v) if !v.is_undefined() => millis(&v, "now"),
        _ => Ok(super::now()),
    }
}

/// A lifetime option in milliseconds, or `default`.
fn ttl_field(options: Option<&JsValue>, default: i64) -> Result<i64, JsValue> {
    match options.map(|o| field(o, "ttl")).transpose()?.flatten() {
        None => Ok(default),
        Some(v) => whole(&v, MAX_SAFE_INTEGER)
            .and_then(|n| i64::try_from(n).ok())
            .ok_or_else(|| options_error("ttl must be a whole number of milliseconds")),
    }
}

// ---------------------------------------------------------------------------------------
// Backup codes

fn backup_record_value(record: &BackupRecord) -> JsValue {
    let hashes: Array = record
        .hashes
        .iter()
        .map(|h| h.as_deref().map_or(JsValue::NULL, JsValue::from_str))
        .collect();
    object(&[
        ("version", JsValue::from(1)),
        ("iterations", JsValue::from(record.iterations)),
        ("salt", JsValue::from_str(&record.salt)),
        ("hashes", hashes.into()),
        ("createdAt", JsValue::from(record.created_at as f64)),
    ])
}

fn backup_record(value: &JsValue) -> Result<BackupRecord, JsValue> {
    let record = record_object(value)?;
    if rec_number(&record, "version")? != 1 {
        return Err(record_error("version"));
    }
    let hashes = field(&record, "hashes")?
        .and_then(|h| items(&h, backup::MAX_COUNT as u32).ok())
        .ok_or_else(|| record_error("hashes"))?
        .iter()
        .map(|h| {
            if h.is_null() {
                Ok(None)
            } else {
                exact_text(h, 64)
                    .map(Some)
                    .ok_or_else(|| record_error("hashes"))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(BackupRecord {
        iterations: u32::try_from(rec_number(&record, "iterations")?)
            .map_err(|_| record_error("iterations"))?,
        salt: rec_string(&record, "salt")?,
        hashes,
        created_at: rec_time(&record, "createdAt")?,
    })
}

/// Makes a set of backup codes: `count` (default 10) codes of 12 characters
/// (`XXXX-XXXX-XXXX`, 60 bits), and the record to store, which holds only salted
/// PBKDF2-SHA-256 hashes. Show the codes once. A new set replaces the old record, and
/// the old codes then match nothing. Throws `INVALID_OPTIONS` or `ENTROPY_UNAVAILABLE`.
#[wasm_bindgen(js_name = generateBackupCodes, unchecked_return_type = "BackupCodes")]
pub fn generate_backup_codes(
    #[wasm_bindgen(
        unchecked_optional_param_type = "{ count?: number | undefined; now?: number | undefined }"
    )]
    options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    scrubbed(|| {
        let options = options_object(options.as_ref(), "backup", false)?;
        let count = match options
            .as_ref()
            .map(|o| field(o, "count"))
            .transpose()?
            .flatten()
        {
            None => backup::DEFAULT_COUNT,
            Some(v) => whole(&v, 1000.0).map_or(0, |n| n as usize),
        };
        let set =
            backup::generate(count, now_field(options.as_ref())?, csprng).map_err(core_error)?;
        let codes: Array = set.codes.iter().map(|c| JsValue::from_str(c)).collect();
        Ok(object(&[
            ("codes", codes.into()),
            ("record", backup_record_value(&set.record)),
        ]))
    })
}

/// Checks a typed backup code (any case; spaces, hyphens, and `O`/`I`/`L` for
/// `0`/`1`/`1` forgiven). Returns `{ matched, remaining, record }`: store `record`, in
/// which a matched code is spent. Throws `INVALID_TOKEN` for input that cannot be a code
/// (nothing is spent), or `INVALID_RECORD`.
#[wasm_bindgen(js_name = verifyBackupCode, unchecked_return_type = "BackupCheck")]
pub fn verify_backup_code(
    #[wasm_bindgen(unchecked_param_type = "BackupRecord")] record: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
) -> Result<JsValue, JsValue> {
    scrubbed(|| {
        let record = backup_record(&record)?;
        let input = code_input(&input)?;
        let check = backup::verify(&record, &input).map_err(core_error)?;
        Ok(object(&[
            ("matched", JsValue::from(check.matched)),
            ("remaining", JsValue::from(check.remaining as f64)),
            ("record", backup_record_value(&check.record)),
        ]))
    })
}

/// Typed input, refused by its length before it is copied in.
fn code_input(input: &JsValue) -> Result<Zeroizing<String>, JsValue> {
    let text = input
        .dyn_ref::<JsString>()
        .ok_or_else(|| js_error("INVALID_TOKEN", "code must be a string"))?;
    if text.length() > 64 {
        return Err(js_error(
            "INVALID_TOKEN",
            &format!("code is {} characters long; no code is", text.length()),
        ));
    }
    Ok(super::utf16_text(text))
}

/// The codes as plain text for "Print" and "Download": a title (from `issuer`), the
/// account, the date (`date`, default now, as `YYYY-MM-DD` UTC), the numbered codes, and
/// how to keep them.
#[wasm_bindgen(js_name = backupCodesText)]
pub fn backup_codes_text(
    #[wasm_bindgen(unchecked_param_type = "readonly string[]")] codes: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "{ account: string; issuer?: string | undefined; date?: number | undefined }"
    )]
    options: JsValue,
) -> Result<String, JsValue> {
    let codes = items(&codes, backup::MAX_COUNT as u32)
        .ok()
        .and_then(|list| {
            list.iter()
                .map(|c| bounded_string(c, 64).ok().flatten().map(Zeroizing::new))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| options_error("codes must be an array of at most 100 codes"))?;
    let options = options_object(Some(&options), "text", true)?.unwrap_or_default();
    let account = required_text(&options, "account", 1024)?;
    let issuer = text_option(&options, "issuer", 1024)?;
    let date = match field(&options, "date")? {
        Some(v) => millis(&v, "date")?,
        None => now(),
    };
    Ok(backup::to_text(&codes, issuer.as_deref(), &account, date))
}

// ---------------------------------------------------------------------------------------
// Recovery codes

fn recovery_record_value(r: &RecoveryRecord) -> JsValue {
    object(&[
        ("user", JsValue::from_str(&r.user)),
        ("salt", JsValue::from_str(&r.salt)),
        ("hash", JsValue::from_str(&r.hash)),
        ("issuedAt", JsValue::from(r.issued_at as f64)),
        ("expiresAt", JsValue::from(r.expires_at as f64)),
        (
            "usedAt",
            r.used_at.map_or(JsValue::NULL, |t| JsValue::from(t as f64)),
        ),
    ])
}

fn recovery_record(value: &JsValue) -> Result<RecoveryRecord, JsValue> {
    let record = record_object(value)?;
    let used_at = match Reflect::get(&record, &js_key("usedAt")) {
        Ok(v) if v.is_null() || v.is_undefined() => None,
        Ok(_) => Some(rec_time(&record, "usedAt")?),
        Err(_) => return Err(record_error("usedAt")),
    };
    Ok(RecoveryRecord {
        user: rec_string(&record, "user")?,
        salt: rec_string(&record, "salt")?,
        hash: rec_string(&record, "hash")?,
        issued_at: rec_time(&record, "issuedAt")?,
        expires_at: rec_time(&record, "expiresAt")?,
        used_at,
    })
}

/// Issues a recovery code for `user`, valid for `ttl` ms (default an hour) from `now`.
/// Returns `{ code, record }`: give the code to the user, add the record to the user's
/// list. Codes are 16 characters (`XXXX-XXXX-XXXX-XXXX`, 80 bits). Throws
/// `INVALID_OPTIONS` or `ENTROPY_UNAVAILABLE`.
#[wasm_bindgen(js_name = issueRecoveryCode, unchecked_return_type = "IssuedRecoveryCode")]
pub fn issue_recovery_code(
    #[wasm_bindgen(
        unchecked_param_type = "{ user: string; ttl?: number | undefined; now?: number | undefined }"
    )]
    options: JsValue,
) -> Result<JsValue, JsValue> {
    scrubbed(|| {
        let options = options_object(Some(&options), "recovery", true)?.unwrap_or_default();
        let user = required_text(&options, "user", 1024)?;
        let ttl = ttl_field(Some(&options), recovery::DEFAULT_TTL_MS)?;
        let (code, record) =
            recovery::issue(&user, ttl, now_field(Some(&options))?, csprng).map_err(core_error)?;
        Ok(object(&[
            ("code", JsValue::from_str(&code)),
            ("record", recovery_record_value(&record)),
        ]))
    })
}

/// Checks a recovery code typed for `user` against the issued records. Returns
/// `{ status: "OK" | "EXPIRED" | "USED" | "UNKNOWN", records }`: store `records`, in
/// which an accepted code is spent. A code issued for another user is `UNKNOWN`.
/// Throws `INVALID_TOKEN` for input that cannot be a code, or `INVALID_RECORD`.
#[wasm_bindgen(js_name = verifyRecoveryCode, unchecked_return_type = "RecoveryCheck")]
pub fn verify_recovery_code(
    #[wasm_bindgen(unchecked_param_type = "readonly RecoveryRecord[]")] records: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "{ user: string; code: string; now?: number | undefined }"
    )]
    options: JsValue,
) -> Result<JsValue, JsValue> {
    scrubbed(|| {
        let list = items(&records, 10_000).map_err(|()| {
            js_error(
                "INVALID_RECORD",
                "records must be an array of at most 10000 records",
            )
        })?;
        let records = list
            .iter()
            .map(recovery_record)
            .collect::<Result<Vec<_>, _>>()?;
        let options = options_object(Some(&options), "recovery", true)?.unwrap_or_default();
        let user = required_text(&options, "user", 1024)?;
        let code = code_input(&field(&options, "code")?.unwrap_or_default())?;
        let (status, records) =
            recovery::verify(&records, &user, &code, now_field(Some(&options))?)
                .map_err(core_error)?;
        let list: Array = records.iter().map(recovery_record_value).collect();
        Ok(object(&[
            ("status", JsValue::from_str(status.as_str())),
            ("records", list.into()),
        ]))
    })
}

// ---------------------------------------------------------------------------------------
// Verification codes

fn verification_record_value(r: &VerificationRecord) -> JsValue {
    object(&[
        ("digits", JsValue::from(r.digits)),
        ("salt", JsValue::from_str(&r.salt)),
        ("hash", JsValue::from_str(&r.hash)),
        ("expiresAt", JsValue::from(r.expires_at as f64)),
        ("attemptsLeft", JsValue::from(r.attempts_left)),
        ("used", JsValue::from(r.used)),
    ])
}

fn verification_record(value: &JsValue) -> Result<VerificationRecord, JsValue> {
    let record = record_object(value)?;
    let small = |key: &'static str| -> Result<u32, JsValue> {
        u32::try_from(rec_number(&record, key)?).map_err(|_| record_error(key))
    };
    Ok(VerificationRecord {
        digits: small("digits")?,
        salt: rec_string(&record, "salt")?,
        hash: rec_string(&record, "hash")?,
        expires_at: rec_time(&record, "expiresAt")?,
        attempts_left: small("attemptsLeft")?,
        used: rec_bool(&record, "used")?,
    })
}

/// Makes a numeric code to send by e-mail or SMS: `digits` (default 6), valid for
/// `ttl` ms (default 10 minutes), dead after `maxAttempts` wrong tries (default 5).
/// Returns `{ code, record }`; the record holds a salted hash, not the code.
#[wasm_bindgen(js_name = issueVerificationCode, unchecked_return_type = "IssuedVerificationCode")]
pub fn issue_verification_code(
    #[wasm_bindgen(unchecked_optional_param_type = "VerificationCodeOptions")] options: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    let options = options_object(options.as_ref(), "verification", false)?;
    let o = options.as_ref();
    let settings = VerificationOptions {
        digits: u32_field(o, "digits", verification::DEFAULT_DIGITS)?,
        ttl_ms: ttl_field(o, verification::DEFAULT_TTL_MS)?,
        max_attempts: u32_field(o, "maxAttempts", verification::DEFAULT_MAX_ATTEMPTS)?,
    };
    let (code, record) =
        verification::issue(settings, now_field(o)?, csprng).map_err(core_error)?;
    Ok(object(&[
        ("code", JsValue::from_str(&code)),
        ("record", verification_record_value(&record)),
    ]))
}

/// Checks a typed verification code. Returns `{ outcome, attemptsLeft, record }` with
/// `outcome` one of `"OK"`, `"WRONG"` (a try is spent), `"EXPIRED"`, `"LOCKED"` (no tries
/// left) or `"USED"`; store `record`. Throws `INVALID_TOKEN` for input that cannot be a
/// code (no try is spent), or `INVALID_RECORD`.
#[wasm_bindgen(js_name = verifyVerificationCode, unchecked_return_type = "VerificationCheck")]
pub fn verify_verification_code(
    #[wasm_bindgen(unchecked_param_type = "VerificationRecord")] record: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "{ now?: number | undefined }")] options: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    scrubbed(|| {
        let record = verification_record(&record)?;
        let input = code_input(&input)?;
        let options = options_object(options.as_ref(), "verify", false)?;
        let (outcome, record) = verification::verify(&record, &input, now_field(options.as_ref())?)
            .map_err(core_error)?;
        Ok(object(&[
            ("outcome", JsValue::from_str(outcome.as_str())),
            ("attemptsLeft", JsValue::from(record.attempts_left)),
            ("record", verification_record_value(&record)),
        ]))
    })
}

// ---------------------------------------------------------------------------------------
// Trusted devices

/// A key: a `Secret` or a `Uint8Array` of 16 to 1,024 bytes, copied into zeroizing memory.
fn key_bytes(value: &JsValue) -> Result<Zeroizing<Vec<u8>>, JsValue> {
    const WHAT: &str = "key must be a Secret or a Uint8Array of 16 to 1024 bytes";
    let bytes = if let Some(secret) = secret_object(value) {
        Zeroizing::new(secret?.as_bytes().to_vec())
    } else {
        let array = value
            .dyn_ref::<Uint8Array>()
            .ok_or_else(|| js_error("INVALID_KEY", WHAT))?;
        let len = array.length() as usize;
        if len > crate::MAX_LEN {
            // Refused by its length, before it is copied in.
            return Err(core_error(Error::new(ErrorKind::Key(len))));
        }
        let mut out = Zeroizing::new(vec![0u8; len]);
        array.copy_to(&mut out);
        out
    };
    device::check_key(&bytes).map_err(core_error)?;
    Ok(bytes)
}

/// Issues a signed, URL-safe token that trusts a device: `deviceId` (1 to 128 bytes),
/// `label` (what the user sees in the list), `ttl` ms (default 30 days). Returns
/// `{ token, deviceId, label, issuedAt, expiresAt }`: give the token to the browser (a
/// cookie) and keep the rest for "your trusted devices". Throws `INVALID_KEY` or
/// `INVALID_OPTIONS`.
#[wasm_bindgen(js_name = issueDeviceToken, unchecked_return_type = "IssuedDeviceToken")]
pub fn issue_device_token(
    #[wasm_bindgen(unchecked_param_type = "DeviceKey")] key: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DeviceTokenOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    scrubbed(|| {
        let key = key_bytes(&key)?;
        let options = options_object(Some(&options), "device", true)?.unwrap_or_default();
        let user = text_option(&options, "user", 255)?;
        let device_id = required_text(&options, "deviceId", 128)?;
        let label = text_option(&options, "label", 256)?.unwrap_or_default();
        let ttl_ms = ttl_field(Some(&options), device::DEFAULT_TTL_MS)?;
        let at = now_field(Some(&options))?;
        let settings = DeviceOptions {
            user: user.as_deref(),
            device_id: &device_id,
            label: &label,
            ttl_ms,
        };
        let token = device::issue(&key, &settings, at).map_err(core_error)?;
        let mut entries = vec![
            ("token", JsValue::from_str(&token)),
            ("deviceId", JsValue::from_str(&device_id)),
            ("label", JsValue::from_str(&label)),
            ("issuedAt", JsValue::from(at as f64)),
            (
                "expiresAt",
                JsValue::from(crate::flows::until(at, ttl_ms) as f64),
            ),
        ];
        if let Some(user) = &user {
            entries.push(("user", JsValue::from_str(user)));
        }
        Ok(object(&entries))
    })
}

/// Checks a device token against `keys` (one key, or the current key first and then
/// retired ones), its expiry at `now` (default `Date.now()`) and the `revoked` device
/// ids. Returns `{ ok: true, deviceId, label, issuedAt, expiresAt, keyIndex }` or
/// `{ ok: false, reason: "MALFORMED" | "BAD_SIGNATURE" | "EXPIRED" | "REVOKED" }`.
/// Throws `INVALID_KEY` for a key that is not 16 to 1,024 bytes.
#[wasm_bindgen(js_name = verifyDeviceToken, unchecked_return_type = "DeviceCheck")]
pub fn verify_device_token(
    #[wasm_bindgen(unchecked_param_type = "DeviceKey | readonly DeviceKey[]")] keys: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "DeviceVerifyOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    scrubbed(|| {
        // One key, or a list: a Uint8Array or a Secret is one key.
        let one = keys.is_instance_of::<Uint8Array>() || secret_object(&keys).is_some();
        let keys: Vec<Zeroizing<Vec<u8>>> = if one {
            vec![key_bytes(&keys)?]
        } else {
            items(&keys, 64)
                .map_err(|()| {
                    js_error(
                        "INVALID_KEY",
                        "keys must be a key or an array of at most 64 keys",
                    )
                })?
                .iter()
                .map(key_bytes)
                .collect::<Result<_, _>>()?
        };
        let options = options_object(options.as_ref(), "verify", false)?;
        let at = now_field(options.as_ref())?;
        let user = match &options {
            Some(o) => text_option(o, "user", 255)?,
            None => None,
        };
        let revoked: Vec<String> = match options
            .as_ref()
            .map(|o| field(o, "revoked"))
            .transpose()?
            .flatten()
        {
            None => Vec::new(),
            Some(list) => items(&list, 100_000)
                .ok()
                .and_then(|l| {
                    l.iter()
                        .map(|id| exact_text(id, 128))
                        .collect::<Option<Vec<_>>>()
                })
                .ok_or_else(|| options_error("revoked must be an array of device ids"))?,
        };
        let token = bounded_string(&token, 2048)
            .ok()
            .flatten()
            .unwrap_or_default();
        let key_refs: Vec<&[u8]> = keys.iter().map(|k| k.as_slice()).collect();
        let revoked_refs: Vec<&str> = revoked.iter().map(String::as_str).collect();
        let check = Check {
            now: at,
            user: user.as_deref(),
            revoked: &revoked_refs,
        };
        Ok(match device::verify(&key_refs, &token, &check) {
            Ok(d) => {
                let mut entries = vec![
                    ("ok", JsValue::TRUE),
                    ("deviceId", JsValue::from_str(&d.device_id)),
                    ("label", JsValue::from_str(&d.label)),
                    ("issuedAt", JsValue::from(d.issued_at as f64)),
                    ("expiresAt", JsValue::from(d.expires_at as f64)),
                    ("keyIndex", JsValue::from(d.key_index as f64)),
                ];
                if let Some(user) = &d.user {
                    entries.push(("user", JsValue::from_str(user)));
                }
                object(&entries)
            }
            Err(reason) => object(&[
                ("ok", JsValue::FALSE),
                ("reason", JsValue::from_str(Rejection::as_str(reason))),
            ]),
        })
    })
}

// ---------------------------------------------------------------------------------------
// Throttling

fn throttle_state(value: Option<&JsValue>) -> Result<ThrottleState, JsValue> {
    let Some(state) = value.filter(|v| !v.is_undefined() && !v.is_null()) else {
        return Ok(ThrottleState::default());
    };
    let state = record_object(state)?;
    Ok(ThrottleState {
        failures: u32::try_from(rec_number(&state, "failures")?)
            .map_err(|_| record_error("failures"))?,
        locked_until: rec_time(&state, "lockedUntil")?,
    })
}

fn throttle_state_value(state: ThrottleState) -> JsValue {
    object(&[
        ("failures", JsValue::from(state.failures)),
        ("lockedUntil", JsValue::from(state.locked_until as f64)),
    ])
}

fn throttle_policy(value: Option<&JsValue>) -> Result<ThrottlePolicy, JsValue> {
    let mut policy = ThrottlePolicy::default();
    let Some(p) = options_object(value, "throttle", false)? else {
        return Ok(policy);
    };
    policy.free_attempts = u32_field(Some(&p), "freeAttempts", policy.free_attempts)?;
    let ms = |key: &'static str, default: i64| -> Result<i64, JsValue> {
        match field(&p, key)? {
            None => Ok(default),
            Some(v) => whole(&v, MAX_SAFE_INTEGER)
                .and_then(|n| i64::try_from(n).ok())
                .ok_or_else(|| {
                    options_error(&format!("{key} must be a whole number of milliseconds"))
                }),
        }
    };
    policy.base_delay_ms = ms("baseDelay", policy.base_delay_ms)?;
    policy.max_delay_ms = ms("maxDelay", policy.max_delay_ms)?;
    Ok(policy)
}

/// Whether an attempt is allowed at `now` (default `Date.now()`): `{ allowed, retryAt,
/// wait }`, `wait` being the milliseconds until `retryAt`. `state` may be `undefined` for
/// an account with no failures. Throws `INVALID_RECORD` for a malformed state.
#[wasm_bindgen(js_name = throttleCheck, unchecked_return_type = "ThrottleDecision")]
pub fn throttle_check(
    #[wasm_bindgen(unchecked_optional_param_type = "ThrottleState")] state: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "number")] now: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let state = throttle_state(state.as_ref())?;
    let at = now_arg(now)?;
    let d = throttle::check(state, at);
    Ok(object(&[
        ("allowed", JsValue::from(d.allowed)),
        ("retryAt", JsValue::from(d.retry_at as f64)),
        ("wait", JsValue::from(d.retry_at.saturating_sub(at) as f64)),
    ]))
}

/// The state after a failed attempt at `now` under `policy` (default: 5 free attempts,
/// then 1 s doubling up to 15 minutes).
#[wasm_bindgen(js_name = throttleFailure, unchecked_return_type = "ThrottleState")]
pub fn throttle_failure(
    #[wasm_bindgen(unchecked_optional_param_type = "ThrottleState")] state: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "ThrottlePolicy")] policy: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "number")] now: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let state = throttle_state(state.as_ref())?;
    let policy = throttle_policy(policy.as_ref())?;
    let at = now_arg(now)?;
    Ok(throttle_state_value(throttle::failure(state, &policy, at)))
}

/// The state after a successful attempt: a clean slate.
#[wasm_bindgen(js_name = throttleSuccess, unchecked_return_type = "ThrottleState")]
pub fn throttle_success() -> JsValue {
    throttle_state_value(ThrottleState::default())
}

// ---------------------------------------------------------------------------------------
// HOTP resynchronisation

/// The default resynchronisation look-ahead (RFC 4226 §7.4 suggests a large one).
const DEFAULT_RESYNC_WINDOW: u32 = 100;

#[wasm_bindgen(js_class = Hotp)]
impl JsHotp {
    /// Resynchronises a counter that fell behind (RFC 4226 §7.4), from two codes the
    /// user generated one after the other: searches `counter ..= counter + window`
    /// (default the instance's counter and 100; at most 100,000) and returns
    /// `{ counter }`, the next counter to expect, or `null`. Throws `INVALID_TOKEN`,
    /// `INVALID_WINDOW` or `INVALID_COUNTER`.
    #[wasm_bindgen(skip_typescript)]
    pub fn resync(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] first: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] second: JsValue,
        #[wasm_bindgen(
            unchecked_optional_param_type = "{ counter?: number | bigint | undefined; window?: number | undefined }"
        )]
        options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        scrubbed(|| {
            let format = self.inner.format();
            let first = super::token_text(&first, format)?;
            let second = super::token_text(&second, format)?;
            let options = options_object(options.as_ref(), "resync", false)?;
            let (mut start, mut bigint) = (self.counter, self.counter_is_bigint);
            let mut window = DEFAULT_RESYNC_WINDOW;
            if let Some(options) = options {
                if let Some(c) = field(&options, "counter")? {
                    (start, bigint) = counter(&c)?;
                }
                if let Some(w) = field(&options, "window")? {
                    window = whole(&w, MAX_SAFE_INTEGER)
                        .and_then(|n| u32::try_from(n).ok())
                        .ok_or_else(|| {
                            js_error(
                                "INVALID_WINDOW",
                                "window must be a whole number of counters",
                            )
                        })?;
                }
            }
            if !bigint && start.saturating_add(u64::from(window) + 2) > MAX_SAFE_COUNTER {
                return Err(js_error(
                    "INVALID_COUNTER",
                    "counter + window passes Number.MAX_SAFE_INTEGER; pass the counter as a bigint",
                ));
            }
            let found = self
                .inner
                .resync(&first, &second, start, window)
                .map_err(core_error)?;
            Ok(match found {
                None => JsValue::NULL,
                Some(next) => object(&[(
                    "counter",
                    if bigint {
                        JsValue::from(next)
                    } else {
                        JsValue::from(next as f64)
                    },
                )]),
            })
        })
    }
}
