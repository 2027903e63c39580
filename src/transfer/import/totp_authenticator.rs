//! TOTP Authenticator's (BinaryBoot's, `com.authenticator.authservice2`) encrypted
//! backup.
//!
//! # Format
//!
//! Base64 text (line breaks allowed) of AES-256-CBC ciphertext with PKCS#7 padding, an
//! all-zero IV, and as key the SHA-256 of the password's UTF-8: no salt, no iterations.
//! Detected as standard base64 that decodes to at least two whole blocks and holds a
//! lower-case letter or `+` or `/` (so that bare base32 secrets and hex are not taken
//! for it). CBC has no tag: a wrong password shows as bad padding or a plaintext that is
//! not the JSON below, both reported as `WRONG_PASSWORD` (so is a changed file).
//!
//! The plaintext is a JSON object whose first key is itself JSON text: an array of
//! entries (objects, or JSON text of objects in older versions); the key's value (a
//! timestamp) is not read.
//!
//! # Entries
//!
//! TOTP with SHA-1 (the app has no other algorithm): `key` in the base `base` says (16,
//! 32 or 64; another base is warned about), `issuer`, `name` (the account and the app's
//! name for the entry), `digits` and `period` written as strings (empty: 6 and 30).
//! Icons, widgets and folders (`accountHeaderLabel`) are not read.

use super::crypto;
use super::field::{hex, number, text};
use super::json::Value;
use super::{
    malformed, password, wrong_password, Accounts, Entry, ImportFormat, ImportOptions, Input, Kind,
    Left, SecretText,
};
use crate::error::Error;
use crate::otp::Algorithm;
use alloc::string::String;
use alloc::vec::Vec;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

pub(crate) fn read(
    input: &Input<'_>,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    let text = input.text?;
    let compact = compact(text)?;
    let sealed =
        super::field::base64(&compact).filter(|s| s.len() >= 32 && s.len().is_multiple_of(16))?;
    Some(read_backup(&sealed, options, out))
}

/// The base64 text without its line breaks, when it looks like this app's: standard
/// alphabet only, and a lower-case letter, `+` or `/` somewhere.
fn compact(text: &str) -> Option<Zeroizing<String>> {
    let text = text.trim();
    let body = text.trim_end_matches('=');
    let mut looks = false;
    for b in body.bytes() {
        match b {
            b'a'..=b'z' | b'+' | b'/' => looks = true,
            b'A'..=b'Z' | b'0'..=b'9' | b'\r' | b'\n' => {}
            _ => return None,
        }
    }
    if !looks {
        return None;
    }
    let mut out = Zeroizing::new(String::with_capacity(text.len()));
    out.extend(text.chars().filter(|c| !matches!(c, '\r' | '\n')));
    Some(out)
}

fn read_backup(
    sealed: &[u8],
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Result<ImportFormat, Error> {
    let format = ImportFormat::TotpAuthenticatorEncrypted;
    let password = password(options, format)?;
    let key = Zeroizing::new(<[u8; 32]>::from(Sha256::digest(password.as_bytes())));
    let plain = crypto::aes_cbc_open(key.as_slice(), &[0u8; 16], sealed)
        .ok_or_else(|| wrong_password(format))?;
    // Without a tag, only the plaintext's shape tells a wrong password.
    let mut outer = core::str::from_utf8(&plain)
        .ok()
        .and_then(Value::parse)
        .ok_or_else(|| wrong_password(format))?;
    let read = entries(&outer, format, out);
    // The list is a key, and the tree's keys are not zeroed on drop: zero it here.
    if let Value::Object(fields) = &mut outer {
        for (key, _) in fields.iter_mut() {
            key.zeroize();
        }
    }
    read.map(|()| format)
}

fn entries(outer: &Value, format: ImportFormat, out: &mut Accounts) -> Result<(), Error> {
    let fields = outer.fields().ok_or_else(|| wrong_password(format))?;
    let Some((list, _)) = fields.first() else {
        return Ok(());
    };
    let list =
        Value::parse(list).ok_or_else(|| malformed(format, "its list of entries is not JSON"))?;
    let list = list
        .array()
        .ok_or_else(|| malformed(format, "its list of entries is not a JSON array"))?;
    for (index, item) in list.iter().enumerate() {
        // Older versions wrote each entry as JSON text.
        let parsed;
        let item = match item.str() {
            Some(text) => match Value::parse(text) {
                Some(v) => {
                    parsed = v;
                    &parsed
                }
                None => {
                    out.left(index, Left::Other("the entry is not a JSON object"))?;
                    continue;
                }
            },
            None => item,
        };
        let mut secret = Zeroizing::new(Vec::new());
        out.add_or_left(index, entry(item, &mut secret))?;
    }
    Ok(())
}

fn entry<'a>(item: &'a Value, secret: &'a mut Zeroizing<Vec<u8>>) -> Result<Entry<'a>, Left> {
    if item.fields().is_none() {
        return Err(Left::Other("the entry is not a JSON object"));
    }
    let key = match item.get("key") {
        None | Some(Value::Null) => return Err(Left::NoSecret),
        Some(v) => v.str().ok_or(Left::Field("key"))?,
    };
    let secret = match number(item, "base", 16)? {
        16 => {
            *secret = hex(key.trim()).ok_or(Left::Secret("it is not hex"))?;
            SecretText::Bytes(secret.as_slice())
        }
        32 => SecretText::Base32(key),
        64 => {
            *secret = super::field::base64(key.trim()).ok_or(Left::Secret("it is not base64"))?;
            SecretText::Bytes(secret.as_slice())
        }
        _ => return Err(Left::Other("its key is in a base other than 16, 32 or 64")),
    };
    let name = text(item, "name")?;
    Ok(Entry {
        kind: Kind::Totp {
            period: number(item, "period", 30)?,
        },
        secret,
        algorithm: Algorithm::Sha1,
        digits: number(item, "digits", 6)?,
        issuer: text(item, "issuer")?,
        account: name,
        name,
    })
}
