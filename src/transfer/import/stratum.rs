//! Authenticator Pro's (now Stratum's) backups: plain JSON, and its two encrypted forms.
//!
//! # Plain (`authenticator-pro`)
//!
//! A JSON object whose `Authenticators` array holds the entries, read in order, each with
//! `Type` (1 HOTP, 2 TOTP, 3 mOTP, 4 Steam, 5 Yandex), `Issuer`, `Username` (may be
//! null), `Secret` (base32, read leniently), `Algorithm` (0 SHA-1, 1 SHA-256, 2
//! SHA-512), `Digits`, `Period` and `Counter`. `Categories`, `AuthenticatorCategories`
//! and `CustomIcons` are not read. An entry is named by its `Username`.
//!
//! Warned about and left out: mOTP and Yandex entries (their `Pin` is never read), an
//! unknown `Type` or `Algorithm`, a missing `Digits`, `Period` or `Counter`, and the
//! secrets and values every reader refuses.
//!
//! # Encrypted (`authenticator-pro-encrypted`)
//!
//! - Strong: the 16 bytes `AUTHENTICATORPRO`, a 16-byte salt, a 12-byte nonce, then
//!   AES-256-GCM ciphertext and tag; the key is Argon2id (3 passes, 64 MiB, 4 lanes,
//!   32 bytes) of the password. The costs are the format's own, not read from the file;
//!   they are still checked against the caller's [`super::Limits`].
//! - Legacy: the 16 bytes `AuthenticatorPro`, a 20-byte salt, a 16-byte IV, then
//!   AES-256-CBC with PKCS#7 padding; the key is PBKDF2-HMAC-SHA1 (64,000 iterations,
//!   32 bytes). CBC has no tag: bad padding, or plaintext that is not the JSON above,
//!   is taken as a wrong password.
//!
//! Either decrypts to the plain JSON.

use super::json::Value;
use super::{
    crypto, malformed, password, wrong_password, Accounts, Entry, ImportFormat, ImportOptions,
    Input, Kind, SecretText,
};
use crate::error::Error;
use crate::otp::Algorithm;
use crate::transfer::warning::Left;

/// The magic of the strong (Argon2id, AES-GCM) encryption.
const STRONG: &[u8; 16] = b"AUTHENTICATORPRO";
/// The magic of the legacy (PBKDF2-SHA1, AES-CBC) encryption.
const LEGACY: &[u8; 16] = b"AuthenticatorPro";

/// Argon2id's costs in the strong format: memory (KiB), passes, lanes.
const ARGON2_MEMORY_KIB: u64 = 64 << 10;
const ARGON2_PASSES: u64 = 3;
const ARGON2_LANES: u64 = 4;
/// PBKDF2-HMAC-SHA1 iterations in the legacy format.
const PBKDF2_ITERATIONS: u64 = 64_000;

pub(crate) fn read(
    input: &Input<'_>,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    let bytes = input.bytes;
    if let Some(rest) = bytes.strip_prefix(STRONG) {
        return Some(strong(rest, options, out));
    }
    if let Some(rest) = bytes.strip_prefix(LEGACY) {
        return Some(legacy(rest, options, out));
    }
    let json = input.json.as_ref()?;
    json.get("Authenticators").and_then(Value::array)?;
    Some(entries(json, ImportFormat::AuthenticatorPro, out))
}

fn strong(
    rest: &[u8],
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Result<ImportFormat, Error> {
    let format = ImportFormat::AuthenticatorProEncrypted;
    let pass = password(options, format)?;
    let (salt, rest) = rest
        .split_first_chunk::<16>()
        .ok_or_else(|| malformed(format, "its header is cut short"))?;
    let (nonce, sealed) = rest
        .split_first_chunk::<12>()
        .ok_or_else(|| malformed(format, "its header is cut short"))?;
    if sealed.len() < 16 {
        return Err(malformed(format, "its ciphertext is cut short"));
    }
    let key = crypto::argon2(
        argon2::Algorithm::Argon2id,
        pass.as_bytes(),
        salt,
        ARGON2_MEMORY_KIB,
        ARGON2_PASSES,
        ARGON2_LANES,
        32,
        &options.limits,
    )?;
    let plain =
        crypto::aes_gcm_open(&key, nonce, sealed, &[]).ok_or_else(|| wrong_password(format))?;
    let json = core::str::from_utf8(&plain)
        .ok()
        .and_then(Value::parse)
        .ok_or_else(|| malformed(format, "what it decrypts to is not JSON"))?;
    entries(&json, format, out)
}

fn legacy(
    rest: &[u8],
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Result<ImportFormat, Error> {
    let format = ImportFormat::AuthenticatorProEncrypted;
    let pass = password(options, format)?;
    let (salt, rest) = rest
        .split_first_chunk::<20>()
        .ok_or_else(|| malformed(format, "its header is cut short"))?;
    let (iv, sealed) = rest
        .split_first_chunk::<16>()
        .ok_or_else(|| malformed(format, "its header is cut short"))?;
    if sealed.is_empty() || !sealed.len().is_multiple_of(16) {
        return Err(malformed(format, "its ciphertext is not whole AES blocks"));
    }
    let key = crypto::pbkdf2(
        crypto::Prf::Sha1,
        pass.as_bytes(),
        salt,
        PBKDF2_ITERATIONS,
        32,
        &options.limits,
    )?;
    let plain = crypto::aes_cbc_open(&key, iv, sealed).ok_or_else(|| wrong_password(format))?;
    let json = core::str::from_utf8(&plain)
        .ok()
        .and_then(Value::parse)
        .filter(|j| j.get("Authenticators").is_some())
        .ok_or_else(|| wrong_password(format))?;
    entries(&json, format, out)
}

/// The entries of the JSON backup.
fn entries(json: &Value, format: ImportFormat, out: &mut Accounts) -> Result<ImportFormat, Error> {
    let list = json
        .get("Authenticators")
        .and_then(Value::array)
        .ok_or_else(|| malformed(format, "it has no Authenticators list"))?;
    for (index, item) in list.iter().enumerate() {
        out.add_or_left(index, entry(item))?;
    }
    Ok(format)
}

/// One entry, or why it is left out.
fn entry(item: &Value) -> Result<Entry<'_>, Left> {
    let number = |key: &'static str| item.get(key).and_then(Value::u64).ok_or(Left::Field(key));
    let kind = match number("Type")? {
        1 => Kind::Hotp {
            counter: item
                .get("Counter")
                .and_then(Value::u64)
                .ok_or(Left::Counter)?,
        },
        2 => Kind::Totp {
            period: number("Period")?,
        },
        3 => return Err(Left::Kind("mOTP")),
        4 => Kind::Steam {
            period: number("Period")?,
        },
        5 => return Err(Left::Kind("Yandex")),
        _ => return Err(Left::Field("Type")),
    };
    let algorithm = match number("Algorithm")? {
        0 => Algorithm::Sha1,
        1 => Algorithm::Sha256,
        2 => Algorithm::Sha512,
        _ => return Err(Left::Field("Algorithm")),
    };
    let digits = match kind {
        Kind::Steam { .. } => item.get("Digits").and_then(Value::u64).unwrap_or(5),
        _ => number("Digits")?,
    };
    let secret = item.get_str("Secret").ok_or(Left::NoSecret)?;
    let issuer = item.get_str("Issuer").unwrap_or_default();
    let account = item.get_str("Username").unwrap_or_default();
    Ok(Entry {
        kind,
        secret: SecretText::Base32(secret),
        algorithm,
        digits,
        issuer,
        account,
        name: account,
    })
}
