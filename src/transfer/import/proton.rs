//! Proton Authenticator's exports, plain and password-protected.
//!
//! # Formats
//!
//! - Plain: a JSON object with `version` (1) and `entries`, an array. Detected by those
//!   two keys and a first entry with `content` (or no entries) and no `salt`.
//! - Password-protected: a JSON object `{"version": 1, "salt": base64(16 bytes),
//!   "content": base64(nonce ‖ ciphertext ‖ tag)}`, detected by `salt` and `content`
//!   strings without `entries`. The key is Argon2id (version 0x13) of the password's
//!   UTF-8, 19,456 KiB, 2 passes, 1 lane, into 32 bytes (fixed, not in the file; still
//!   checked against [`super::Limits`]); the cipher AES-256-GCM with a 12-byte nonce and
//!   the associated data `proton.authenticator.export.v1`. The plaintext is the plain
//!   export.
//!
//! # Entries
//!
//! Each entry's `content` has `entry_type`, `uri` and `name` (the app's name for the
//! entry). `Totp` entries are otpauth:// URIs, read as URIs are (issuer and account from
//! the label and the `issuer` parameter). `Steam` entries are `steam://<secret>`, the
//! secret in base32 (or, as Proton also reads it, unpadded base64): a Steam account with
//! issuer `Steam` and the entry's `name` as account. Another `entry_type`, or a URI that
//! does not read, is warned about and left out. `id` and `note` are not read.

use super::crypto;
use super::field::{object, text};
use super::json::Value;
use super::{
    lenient_base32, malformed, password, wrong_password, Accounts, Entry, ImportFormat,
    ImportOptions, Input, Kind, Left, SecretText,
};
use crate::error::Error;
use crate::otp::Algorithm;

/// Proton's Argon2id cost: memory in KiB, passes, lanes.
const MEMORY_KIB: u64 = 19 * 1024;
const PASSES: u64 = 2;
const LANES: u64 = 1;
/// The associated data of the password-protected export.
const AAD: &[u8] = b"proton.authenticator.export.v1";

pub(crate) fn read(
    input: &Input<'_>,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    let json = input.json.as_ref()?;
    let version = json.get("version")?;
    if let Some(entries) = json.get("entries").and_then(Value::array) {
        if json.get("salt").is_some() || entries.first().is_some_and(|e| e.get("content").is_none())
        {
            return None;
        }
        return Some(plain(
            version,
            entries,
            ImportFormat::ProtonAuthenticator,
            out,
        ));
    }
    let salt = json.get_str("salt")?;
    let content = json.get_str("content")?;
    Some(encrypted(version, salt, content, options, out))
}

fn plain(
    version: &Value,
    entries: &[Value],
    format: ImportFormat,
    out: &mut Accounts,
) -> Result<ImportFormat, Error> {
    if version.u64() != Some(1) {
        return Err(malformed(
            format,
            "its version is not 1, the one twofa reads",
        ));
    }
    for (index, item) in entries.iter().enumerate() {
        entry(index, item, out)?;
    }
    Ok(format)
}

fn encrypted(
    version: &Value,
    salt: &str,
    content: &str,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Result<ImportFormat, Error> {
    let format = ImportFormat::ProtonAuthenticatorEncrypted;
    if version.u64() != Some(1) {
        return Err(malformed(
            format,
            "its version is not 1, the one twofa reads",
        ));
    }
    let password = password(options, format)?;
    let salt = super::field::base64(salt)
        .filter(|s| s.len() == 16)
        .ok_or_else(|| malformed(format, "its salt is not 16 bytes in base64"))?;
    let content = super::field::base64(content)
        .filter(|c| c.len() >= 12 + 16)
        .ok_or_else(|| {
            malformed(
                format,
                "its content is not a nonce, ciphertext and tag in base64",
            )
        })?;
    let (nonce, sealed) = content.split_at(12);
    let key = crypto::argon2(
        argon2::Algorithm::Argon2id,
        password.as_bytes(),
        &salt,
        MEMORY_KIB,
        PASSES,
        LANES,
        32,
        &options.limits,
    )?;
    let opened =
        crypto::aes_gcm_open(&key, nonce, sealed, AAD).ok_or_else(|| wrong_password(format))?;
    let inner = core::str::from_utf8(&opened)
        .ok()
        .and_then(Value::parse)
        .ok_or_else(|| malformed(format, "its decrypted content is not JSON"))?;
    let (Some(version), Some(entries)) = (
        inner.get("version"),
        inner.get("entries").and_then(Value::array),
    ) else {
        return Err(malformed(
            format,
            "its decrypted content has no version and entries",
        ));
    };
    plain(version, entries, format, out)
}

fn entry(index: usize, item: &Value, out: &mut Accounts) -> Result<(), Error> {
    let content = match object(item, "content") {
        Ok(c) if !c.is_null() => c,
        _ => return out.left(index, Left::Field("content")),
    };
    let (kind, uri, name) = match (
        text(content, "entry_type"),
        text(content, "uri"),
        text(content, "name"),
    ) {
        (Ok(kind), Ok(uri), Ok(name)) => (kind, uri, name),
        (Err(why), _, _) | (_, Err(why), _) | (_, _, Err(why)) => return out.left(index, why),
    };
    match kind {
        "Totp" => out.add_uri(index, uri, name),
        "Steam" => steam(index, uri, name, out),
        _ => out.left(index, Left::Other("its entry_type is not Totp or Steam")),
    }
}

/// A `steam://<secret>` entry.
fn steam(index: usize, uri: &str, name: &str, out: &mut Accounts) -> Result<(), Error> {
    let Some(secret) = uri
        .trim()
        .get(..8)
        .filter(|s| s.eq_ignore_ascii_case("steam://"))
        .and_then(|_| uri.trim().get(8..))
    else {
        return out.left(
            index,
            Left::Other("its Steam URI does not start with steam://"),
        );
    };
    let secret = secret.trim_end_matches('/');
    let base64;
    let text = match lenient_base32(secret) {
        // `add` reads it again, and says so when it drops a last symbol.
        Ok(_) => SecretText::Base32(secret),
        Err(Left::NoSecret) => return out.left(index, Left::NoSecret),
        Err(why) => match super::field::base64(secret) {
            Some(bytes) if !bytes.is_empty() => {
                base64 = bytes;
                SecretText::Bytes(&base64)
            }
            _ => return out.left(index, why),
        },
    };
    out.add(
        index,
        Entry {
            kind: Kind::Steam { period: 30 },
            secret: text,
            algorithm: Algorithm::Sha1,
            digits: 5,
            issuer: "Steam",
            account: name,
            name,
        },
    )
}
