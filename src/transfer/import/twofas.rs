//! 2FAS Authenticator's backups (`.2fas`, and the `.json` of its first versions), schema
//! versions 1 to 4, plain and encrypted.
//!
//! # Format
//!
//! A JSON object with `schemaVersion` (1 to 4; a later one is refused as unknown) and
//! either `services`, an array of entries, or `servicesEncrypted`, the same array
//! encrypted: `base64(ciphertext ‖ tag):base64(salt):base64(nonce)`, with AES-256-GCM
//! (12-byte nonce, no associated data) under PBKDF2-HMAC-SHA256 of the password, 10,000
//! iterations (fixed, not in the file; still checked against [`super::Limits`]). Encrypted
//! backups also carry `reference`, a fixed text sealed the same way: when the password
//! opens `reference` but not `servicesEncrypted`, the backup was changed and is refused
//! as `INVALID_IMPORT` rather than `WRONG_PASSWORD`.
//!
//! Detected by `schemaVersion` with `services` (an array) or `servicesEncrypted` (a
//! string; null or empty means a plain backup).
//!
//! # Entries
//!
//! Each service has `name`, `secret` (base32) and `otp`: `tokenType` (`TOTP`, `HOTP` or
//! `STEAM`; missing before schema 3, meaning TOTP), `issuer` (missing or empty: the
//! service's `name`), `account`, `algorithm` (default SHA1), `digits` (6), `period` (30)
//! and `counter` (0). The app's name for the entry is `name`. Warned about and left out:
//! another `tokenType`, an algorithm twofa lacks, a missing secret, malformed fields.
//! The top-level `type` of schema 1 and 2 (the service's brand, e.g. `"Unknown"`), icons,
//! groups and the `link` URI are not read.

use super::crypto::{self, Prf};
use super::field::{counter, number, object, text};
use super::json::Value;
use super::{
    algorithm, malformed, password, wrong_password, Accounts, Entry, ImportFormat, ImportOptions,
    Input, Kind, Left, SecretText,
};
use crate::error::Error;
use crate::otp::Algorithm;
use zeroize::Zeroizing;

/// 2FAS' PBKDF2 iterations.
const ITERATIONS: u64 = 10_000;

pub(crate) fn read(
    input: &Input<'_>,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    let json = input.json.as_ref()?;
    let schema = json.get("schemaVersion")?;
    let sealed = json
        .get("servicesEncrypted")
        .and_then(Value::str)
        .filter(|s| !s.is_empty());
    let services = json.get("services").and_then(Value::array);
    if sealed.is_none() && services.is_none() {
        return None;
    }
    Some(read_backup(json, schema, sealed, services, options, out))
}

fn read_backup(
    json: &Value,
    schema: &Value,
    sealed: Option<&str>,
    services: Option<&[Value]>,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Result<ImportFormat, Error> {
    let format = match sealed {
        Some(_) => ImportFormat::TwoFasEncrypted,
        None => ImportFormat::TwoFas,
    };
    if !matches!(schema.u64(), Some(1..=4)) {
        return Err(malformed(
            format,
            "its schemaVersion is not 1 to 4, the versions twofa reads",
        ));
    }
    let Some(sealed) = sealed else {
        entries(services.unwrap_or_default(), out)?;
        return Ok(format);
    };
    let password = password(options, format)?;
    let (ciphertext, salt, nonce) = parts(sealed).ok_or_else(|| {
        malformed(
            format,
            "its servicesEncrypted is not base64(data):base64(salt):base64(12-byte nonce)",
        )
    })?;
    let key = crypto::pbkdf2(
        Prf::Sha256,
        password.as_bytes(),
        &salt,
        ITERATIONS,
        32,
        &options.limits,
    )?;
    let Some(plain) = crypto::aes_gcm_open(&key, &nonce, &ciphertext, b"") else {
        return Err(if reference_opens(json, password, &salt, &key, options)? {
            malformed(
                format,
                "its servicesEncrypted was changed: the password opens its reference but not its services",
            )
        } else {
            wrong_password(format)
        });
    };
    let list = core::str::from_utf8(&plain)
        .ok()
        .and_then(Value::parse)
        .ok_or_else(|| malformed(format, "its decrypted services are not JSON"))?;
    let list = list
        .array()
        .ok_or_else(|| malformed(format, "its decrypted services are not a JSON array"))?;
    entries(list, out)?;
    Ok(format)
}

/// `base64(data):base64(salt):base64(nonce)`, the nonce 12 bytes and the data at least a
/// tag long.
#[allow(clippy::type_complexity)]
fn parts(
    sealed: &str,
) -> Option<(
    Zeroizing<alloc::vec::Vec<u8>>,
    Zeroizing<alloc::vec::Vec<u8>>,
    Zeroizing<alloc::vec::Vec<u8>>,
)> {
    let mut parts = sealed.split(':');
    let data = super::field::base64(parts.next()?)?;
    let salt = super::field::base64(parts.next()?)?;
    let nonce = super::field::base64(parts.next()?)?;
    (data.len() >= 16 && nonce.len() == 12).then_some((data, salt, nonce))
}

/// Whether the password opens the backup's `reference` (with the services' key when the
/// salt is the same, as 2FAS writes it).
fn reference_opens(
    json: &Value,
    password: &str,
    salt: &[u8],
    key: &[u8],
    options: &ImportOptions<'_>,
) -> Result<bool, Error> {
    let Some((data, ref_salt, nonce)) = json.get_str("reference").and_then(parts) else {
        return Ok(false);
    };
    let derived;
    let key = if ref_salt.as_slice() == salt {
        key
    } else {
        derived = crypto::pbkdf2(
            Prf::Sha256,
            password.as_bytes(),
            &ref_salt,
            ITERATIONS,
            32,
            &options.limits,
        )?;
        &derived
    };
    Ok(crypto::aes_gcm_open(key, &nonce, &data, b"").is_some())
}

fn entries(list: &[Value], out: &mut Accounts) -> Result<(), Error> {
    for (index, service) in list.iter().enumerate() {
        out.add_or_left(index, entry(service))?;
    }
    Ok(())
}

fn entry(service: &Value) -> Result<Entry<'_>, Left> {
    if service.fields().is_none() {
        return Err(Left::Other("the entry is not a JSON object"));
    }
    let name = text(service, "name")?;
    let secret = match service.get("secret") {
        None | Some(Value::Null) => return Err(Left::NoSecret),
        Some(v) => v.str().ok_or(Left::Field("secret"))?,
    };
    let otp = object(service, "otp")?;
    let kind = match text(otp, "tokenType")? {
        "" | "TOTP" => Kind::Totp {
            period: number(otp, "period", 30)?,
        },
        "HOTP" => Kind::Hotp {
            counter: counter(otp, "counter")?,
        },
        "STEAM" => Kind::Steam {
            period: number(otp, "period", 30)?,
        },
        _ => return Err(Left::Other("its tokenType is not TOTP, HOTP or STEAM")),
    };
    let algorithm = match text(otp, "algorithm")? {
        "" => Algorithm::Sha1,
        named => algorithm(named)?,
    };
    let issuer = match text(otp, "issuer")? {
        "" => name,
        issuer => issuer,
    };
    Ok(Entry {
        kind,
        secret: SecretText::Base32(secret),
        algorithm,
        digits: number(otp, "digits", 6)?,
        issuer,
        account: text(otp, "account")?,
        name,
    })
}
