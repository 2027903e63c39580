//! andOTP's backups: the plain JSON and both encrypted formats.
//!
//! # Formats
//!
//! - Plain: a JSON array of entries. Detected by a first entry with `secret`, `type` and
//!   `label` (an empty array is not claimed).
//! - Encrypted (andOTP 0.6 and later): a 4-byte big-endian PBKDF2 iteration count, a
//!   12-byte salt, a 12-byte nonce, then AES-256-GCM ciphertext and its 16-byte tag; the
//!   key is PBKDF2-HMAC-SHA1 of the password into 32 bytes. andOTP writes 140,000 to
//!   160,000 iterations. A count past twofa's default cap (10,000,000) is no backup
//!   andOTP wrote, and is a password that opens nothing (`WRONG_PASSWORD`, no work done);
//!   one under it but past a lower [`super::Limits::max_iterations`] the caller set is
//!   refused with `IMPORT_LIMIT` before any derivation.
//! - Encrypted, old format: the key is SHA-256 of the password; a 12-byte nonce, then
//!   the ciphertext and its tag.
//!
//! The encrypted backups have no magic: binary input (not UTF-8) of at least 28 bytes
//! that starts with no signature of another format (images, ZIP, SQLite, PDF, gzip, Java
//! serialisation, Authenticator Pro's two headers, OpenSSL, 7-Zip, RAR, BMP, TIFF, ICO,
//! HEIC/AVIF, xz, bzip2, zstd, KeePass, Ogg, Matroska; an old backup whose random nonce
//! begins so, about once in 65,536 for `BM`, is missed) and whose first 24
//! bytes are not all printable ASCII (text cut inside a character) is taken as andOTP's,
//! since no reader after this one
//! reads binary. Nothing tells the two encrypted formats apart but trying them, so with
//! a password twofa tries the old format first (one SHA-256 and one pass of AES-GCM),
//! then the new one when the first four bytes make a count from 1 to 10,000,000 (an old
//! backup's random nonce makes one about once in 430). A count within that range but past
//! a lower cap the caller set is reported as `IMPORT_LIMIT`, whose message says that an
//! old backup given the wrong password can look the same; `WRONG_PASSWORD` when neither
//! format opens.
//!
//! # Entries
//!
//! `type` (`TOTP`, `HOTP`, `STEAM`; `MOTP` is warned about and left out), `secret`
//! (base32), `algorithm` (default SHA1), `digits` (6), `period` (30), `counter` (0),
//! `issuer` and `label` (the account). Backups of andOTP before 0.6.3 have no `issuer`:
//! their `label` is `"issuer - account"`, split at the first `" - "`. The app's name for
//! the entry is its `label`. Tags, thumbnails and usage counts are not read.

use super::crypto::{self, Prf};
use super::field::{counter, number, text};
use super::json::Value;
use super::{
    algorithm, malformed, password, wrong_password, Accounts, Entry, ImportFormat, ImportOptions,
    Input, Kind, Left, SecretText,
};
use crate::error::Error;
use crate::otp::Algorithm;
use sha2::{Digest, Sha256};

/// Nonce, salt and tag sizes.
const NONCE: usize = 12;
const SALT: usize = 12;
const TAG: usize = 16;
/// The new format's header: count, salt, nonce.
const HEADER: usize = 4 + SALT + NONCE;

/// Signatures of binary files that are not andOTP's.
const OTHER_MAGIC: &[&[u8]] = &[
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"RIFF",
    b"PK",
    b"SQLite format 3\0",
    b"%PDF",
    b"\x1f\x8b",
    b"\xac\xed",
    b"AUTHENTICATORPRO",
    b"AuthenticatorPro",
    b"Salted__",
    b"7z\xbc\xaf",
    b"Rar!",
    b"BM",
    b"II*\0",
    b"MM\0*",
    b"\0\0\x01\0",
    b"\xfd7zXZ",
    b"BZh",
    b"\x28\xb5\x2f\xfd",
    b"\x03\xd9\xa2\x9a",
    b"OggS",
    b"\x1a\x45\xdf\xa3",
];

pub(crate) fn read(
    input: &Input<'_>,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    if let Some(json) = &input.json {
        let list = json.array()?;
        let first = list.first()?;
        if ["secret", "type", "label"]
            .iter()
            .any(|k| first.get(k).is_none())
        {
            return None;
        }
        return Some(entries(list, out).map(|()| ImportFormat::AndOtp));
    }
    let bytes = input.bytes;
    if input.text.is_some()
        || bytes.len() < NONCE + TAG
        || OTHER_MAGIC.iter().any(|m| bytes.starts_with(m))
        // ISO media (HEIC, AVIF, MP4): `ftyp` after the box size.
        || bytes.get(4..8) == Some(b"ftyp")
        || starts_as_text(bytes)
    {
        return None;
    }
    Some(read_encrypted(bytes, options, out))
}

/// Whether the first 24 bytes are printable ASCII or white space: text that is not UTF-8
/// further on (a cut or damaged XML or JSON file), never a backup, whose first bytes are an
/// iteration count (starting with a zero byte) or a random nonce (all 24 printable by
/// chance about once in 10^10).
fn starts_as_text(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .take(24)
        .all(|&b| b.is_ascii_graphic() || b.is_ascii_whitespace())
}

fn read_encrypted(
    bytes: &[u8],
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Result<ImportFormat, Error> {
    let format = ImportFormat::AndOtpEncrypted;
    let password = password(options, format)?.as_bytes();
    let old_key = zeroize::Zeroizing::new(<[u8; 32]>::from(Sha256::digest(password)));
    let opened = match bytes.split_at_checked(NONCE) {
        Some((nonce, sealed)) => crypto::aes_gcm_open(old_key.as_slice(), nonce, sealed, b""),
        None => None,
    };
    let plain = match opened {
        Some(plain) => plain,
        None => open_new(bytes, password, options)?.ok_or_else(|| wrong_password(format))?,
    };
    let list = core::str::from_utf8(&plain)
        .ok()
        .and_then(Value::parse)
        .ok_or_else(|| malformed(format, "its decrypted content is not JSON"))?;
    let list = list
        .array()
        .ok_or_else(|| malformed(format, "its decrypted content is not a JSON array"))?;
    entries(list, out)?;
    Ok(format)
}

/// The new format opened, or `None` when it does not open (or cannot be one).
fn open_new(
    bytes: &[u8],
    password: &[u8],
    options: &ImportOptions<'_>,
) -> Result<Option<zeroize::Zeroizing<alloc::vec::Vec<u8>>>, Error> {
    let (Some(count), Some(salt), Some(nonce), Some(sealed)) = (
        bytes.get(..4),
        bytes.get(4..4 + SALT),
        bytes.get(4 + SALT..HEADER),
        bytes.get(HEADER..),
    ) else {
        return Ok(None);
    };
    let count = u32::from_be_bytes([
        *count.first().unwrap_or(&0),
        *count.get(1).unwrap_or(&0),
        *count.get(2).unwrap_or(&0),
        *count.get(3).unwrap_or(&0),
    ]);
    // andOTP writes 140,000 to 160,000. A count past twofa's own default cap is no
    // backup andOTP wrote: an old backup given a wrong password (whose first bytes are a
    // random nonce), or a forged one; either way the password opens nothing, with no
    // work done. Under that, a count past a lower cap the caller set is IMPORT_LIMIT.
    if count == 0 || u64::from(count) > super::DEFAULT_MAX_ITERATIONS || sealed.len() < TAG {
        return Ok(None);
    }
    crypto::check(
        "the PBKDF2 iterations of an andOTP backup (an old backup given a wrong password looks the same)",
        u64::from(count),
        options.limits.max_iterations,
    )?;
    let key = crypto::pbkdf2(
        Prf::Sha1,
        password,
        salt,
        u64::from(count),
        32,
        &options.limits,
    )?;
    Ok(crypto::aes_gcm_open(&key, nonce, sealed, b""))
}

fn entries(list: &[Value], out: &mut Accounts) -> Result<(), Error> {
    for (index, item) in list.iter().enumerate() {
        out.add_or_left(index, entry(item))?;
    }
    Ok(())
}

fn entry(item: &Value) -> Result<Entry<'_>, Left> {
    if item.fields().is_none() {
        return Err(Left::Other("the entry is not a JSON object"));
    }
    let kind = match text(item, "type")? {
        t if t.eq_ignore_ascii_case("totp") => Kind::Totp {
            period: number(item, "period", 30)?,
        },
        t if t.eq_ignore_ascii_case("hotp") => Kind::Hotp {
            counter: counter(item, "counter")?,
        },
        t if t.eq_ignore_ascii_case("steam") => Kind::Steam {
            period: number(item, "period", 30)?,
        },
        t if t.eq_ignore_ascii_case("motp") => return Err(Left::Kind("mOTP")),
        _ => return Err(Left::Other("its type is not TOTP, HOTP, STEAM or MOTP")),
    };
    let secret = match item.get("secret") {
        None | Some(Value::Null) => return Err(Left::NoSecret),
        Some(v) => v.str().ok_or(Left::Field("secret"))?,
    };
    let algorithm = match text(item, "algorithm")? {
        "" => Algorithm::Sha1,
        named => algorithm(named)?,
    };
    let label = text(item, "label")?;
    let (issuer, account) = match item.get("issuer") {
        Some(_) => (text(item, "issuer")?, label),
        None => label.split_once(" - ").unwrap_or(("", label)),
    };
    Ok(Entry {
        kind,
        secret: SecretText::Base32(secret),
        algorithm,
        digits: number(item, "digits", 6)?,
        issuer,
        account,
        name: label,
    })
}
