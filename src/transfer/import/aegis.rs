//! Aegis' JSON export, plain and encrypted, read and written, as Aegis' `docs/vault.md`
//! describes it.
//!
//! ```text
//! { "version": 1,
//!   "header": { "slots": null, "params": null },        // plain
//!   "db": { "version": 3, "entries": [ … ], "groups": [ … ] } }
//!
//! { "version": 1,
//!   "header": { "slots": [ { "type": 1, "uuid": …, "key": hex, "key_params": { "nonce": hex, "tag": hex },
//!                            "n": 32768, "r": 8, "p": 1, "salt": hex, … } ],
//!               "params": { "nonce": hex, "tag": hex } },
//!   "db": "<base64 of the db object's JSON, sealed>" }                 // encrypted
//! ```
//!
//! **Encrypted exports.** A password slot (type 1) holds the vault's 256-bit master key
//! sealed with AES-256-GCM under scrypt(password, `salt`, `n`, `r`, `p`) (32 bytes); the
//! master key seals the `db` text with AES-256-GCM, nonce and tag in `header.params`.
//! Each password slot is tried in turn (at most [`MAX_PASSWORD_SLOTS`]); biometric
//! slots (type 2), whose key lives in the phone, and raw slots are skipped. scrypt's
//! memory (128·n·r bytes) and parallelism are checked against the limits before each
//! slot's derivation. A password that opens no slot, or a `db` that does not open under
//! the master key (it was changed), is `WRONG_PASSWORD`. Slots written by Aegis before
//! 2019 for passwords over 64 bytes (Aegis issue #95, "not repaired") derived their key
//! from a differently encoded password; they are not read.
//!
//! **Entries.** `type` is `totp`, `hotp` or `steam`, read from `info`: `secret` (base32),
//! `algo`, `digits`, and `period` or `counter`; `issuer` and `name` (the account name)
//! give the names, `name` also the entry's name. `motp` and `yandex` entries are left out
//! with a warning naming the type, as are entries of other types and entries whose
//! secret, algorithm, digits, period or counter cannot be used. As Aegis does, an `MD5`
//! algorithm on an entry other than mOTP is read as SHA-1, with a warning. Groups, icons,
//! notes and favourites are not read.
//!
//! **Export.** [`export_aegis`] writes the same format: file version 1, `db` version 3,
//! one password slot with Aegis' own scrypt cost (n = 2^15, r = 8, p = 1).

use super::crypto;
use super::field::hex;
use super::json::Value;
use super::{
    algorithm, malformed, password, unsupported, wrong_password, Accounts, Entry, ImportFormat,
    ImportOptions, ImportedAccount, Input, Kind, Limits, SecretText, MAX_ENTRIES,
};
use crate::entropy::{self, Entropy};
use crate::error::Error;
use crate::json::Writer;
use crate::otp::Algorithm;
use crate::transfer::base64;
use crate::transfer::warning::{Changed, Left};
use crate::transfer::Otp;
use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// The most password slots an encrypted Aegis export may have: each costs one scrypt
/// derivation when the password is wrong. Aegis writes one, or two with a backup
/// password.
pub const MAX_PASSWORD_SLOTS: u64 = 8;

/// scrypt's cost in the exports written: Aegis' own, log2(n) = 15, r = 8, p = 1.
const EXPORT_LOG_N: u8 = 15;
const EXPORT_R: u32 = 8;
const EXPORT_P: u32 = 1;

const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const KEY_LEN: usize = 32;

pub(crate) fn read(
    input: &Input<'_>,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    let json = input.json.as_ref()?;
    let header = json.get("header")?;
    let db = json.get("db")?;
    json.get("version")?;
    header.fields()?;
    Some(read_vault(json, header, db, options, out))
}

fn read_vault(
    json: &Value,
    header: &Value,
    db: &Value,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Result<ImportFormat, Error> {
    let absent = |key: &str| header.get(key).is_none_or(Value::is_null);
    let format = if absent("slots") && absent("params") {
        ImportFormat::Aegis
    } else {
        ImportFormat::AegisEncrypted
    };
    match json.get("version").and_then(Value::u64) {
        Some(1) => {}
        Some(_) => {
            return Err(unsupported(
                "it is an Aegis export of a version other than 1",
            ))
        }
        None => return Err(malformed(format, "its version is not a number")),
    }
    if format == ImportFormat::Aegis {
        if db.fields().is_none() {
            return Err(malformed(format, "its db is not an object"));
        }
        entries(db, format, out)?;
    } else {
        let plain = open(header, db, options)?;
        let db = core::str::from_utf8(&plain)
            .ok()
            .and_then(Value::parse)
            .filter(|db| db.fields().is_some())
            .ok_or_else(|| malformed(format, "its decrypted db is not a JSON object"))?;
        entries(&db, format, out)?;
    }
    Ok(format)
}

/// A password slot, read and checked before any work.
/// Bytes read from hex, as [`hex`] gives them.
type Bytes = Zeroizing<Vec<u8>>;

struct Slot {
    key: Bytes,
    nonce: Bytes,
    tag: Bytes,
    salt: Bytes,
    log_n: u8,
    r: u32,
    p: u32,
}

/// The nonce and tag of a `key_params` or `params` object.
fn crypt_params(params: Option<&Value>) -> Option<(Bytes, Bytes)> {
    let params = params?;
    let nonce = hex(params.get_str("nonce")?).filter(|n| n.len() == NONCE_LEN)?;
    let tag = hex(params.get_str("tag")?).filter(|t| t.len() == TAG_LEN)?;
    Some((nonce, tag))
}

impl Slot {
    fn read(slot: &Value) -> Option<Slot> {
        let (nonce, tag) = crypt_params(slot.get("key_params"))?;
        let key = hex(slot.get_str("key")?).filter(|k| k.len() == KEY_LEN)?;
        let salt = hex(slot.get_str("salt")?)?;
        let n = slot.get("n")?.u64()?;
        if !n.is_power_of_two() || n < 2 {
            return None;
        }
        // Parameters past u32 are cost bombs: they saturate, so the limits refuse them.
        let r = u32::try_from(slot.get("r")?.u64()?).unwrap_or(u32::MAX);
        let p = u32::try_from(slot.get("p")?.u64()?).unwrap_or(u32::MAX);
        Some(Slot {
            key,
            nonce,
            tag,
            salt,
            log_n: u8::try_from(n.trailing_zeros()).ok()?,
            r,
            p,
        })
    }
}

/// The decrypted `db` text of an encrypted export.
fn open(
    header: &Value,
    db: &Value,
    options: &ImportOptions<'_>,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let format = ImportFormat::AegisEncrypted;
    let password = password(options, format)?;
    let slots = header
        .get("slots")
        .and_then(Value::array)
        .ok_or_else(|| malformed(format, "its header has no slots list"))?;
    let (nonce, tag) = crypt_params(header.get("params")).ok_or_else(|| {
        malformed(
            format,
            "its header params are not a 12-byte nonce and a 16-byte tag in hex",
        )
    })?;
    let sealed = db
        .str()
        .and_then(|text| base64::decode(text.trim()).ok())
        .ok_or_else(|| malformed(format, "its db is not base64"))?;
    let passwords = slots
        .iter()
        .filter(|slot| slot.get("type").and_then(Value::u64) == Some(1));
    crypto::check(
        "Aegis password slots",
        passwords.clone().count() as u64,
        MAX_PASSWORD_SLOTS,
    )?;
    let passwords = passwords
        .map(Slot::read)
        .collect::<Option<Vec<Slot>>>()
        .ok_or_else(|| malformed(format, "a password slot is malformed"))?;
    if passwords.is_empty() {
        return Err(malformed(
            format,
            "it has no password slot: only the phone's biometric key opens it",
        ));
    }
    // A wrong password derives every slot's key: their work together (memory × p, as
    // scrypt runs p passes over its memory) is bounded as one derivation's is.
    let mut total = 0u64;
    for slot in &passwords {
        let memory_kib = crypto::scrypt_cost(slot.log_n, slot.r, slot.p, &options.limits)?;
        total = total.saturating_add(memory_kib.saturating_mul(u64::from(slot.p)));
    }
    crypto::check(
        "the scrypt memory × parallelism of all password slots (KiB)",
        total,
        crypto::MAX_MEMORY_PASSES_KIB,
    )?;
    for slot in &passwords {
        let key = crypto::scrypt(
            password.as_bytes(),
            &slot.salt,
            slot.log_n,
            slot.r,
            slot.p,
            KEY_LEN,
            &options.limits,
        )?;
        let mut wrapped = slot.key.clone();
        wrapped.extend_from_slice(&slot.tag);
        let Some(master) = crypto::aes_gcm_open(&key, &slot.nonce, &wrapped, &[]) else {
            continue;
        };
        if master.len() != KEY_LEN {
            return Err(malformed(format, "its master key is not 32 bytes"));
        }
        let mut body = Vec::with_capacity(sealed.len() + TAG_LEN);
        body.extend_from_slice(&sealed);
        body.extend_from_slice(&tag);
        // The password opened a slot: a vault that does not open now was changed.
        return crypto::aes_gcm_open(&master, &nonce, &body, &[]).ok_or_else(|| {
            malformed(
                format,
                "its vault does not open with the key the password unlocked: the file was changed",
            )
        });
    }
    Err(wrong_password(format))
}

fn entries(db: &Value, format: ImportFormat, out: &mut Accounts) -> Result<(), Error> {
    let entries = db
        .get("entries")
        .and_then(Value::array)
        .ok_or_else(|| malformed(format, "its db has no entries list"))?;
    for (index, item) in entries.iter().enumerate() {
        match entry(item) {
            Ok((entry, md5)) => {
                let before = out.list.len();
                out.add(index, entry)?;
                if md5 && out.list.len() > before {
                    out.changed(
                        index,
                        Changed::Other("the MD5 algorithm was read as SHA-1, as Aegis reads it"),
                    );
                }
            }
            Err(why) => out.left(index, why)?,
        }
    }
    Ok(())
}

/// One entry, and whether its MD5 algorithm was read as SHA-1.
fn entry(item: &Value) -> Result<(Entry<'_>, bool), Left> {
    if item.fields().is_none() {
        return Err(Left::Other("the entry is not a JSON object"));
    }
    let kind = item.get_str("type").ok_or(Left::Field("type"))?;
    let info = item
        .get("info")
        .filter(|i| i.fields().is_some())
        .ok_or(Left::Field("info"))?;
    let number = |key: &'static str| -> Result<u64, Left> {
        info.get(key).and_then(Value::u64).ok_or(Left::Field(key))
    };
    let kind = match kind {
        "totp" => Kind::Totp {
            period: number("period")?,
        },
        "steam" => Kind::Steam {
            period: number("period")?,
        },
        "hotp" => Kind::Hotp {
            counter: info
                .get("counter")
                .and_then(Value::u64)
                .ok_or(Left::Counter)?,
        },
        "motp" => return Err(Left::Kind("mOTP")),
        "yandex" => return Err(Left::Kind("Yandex")),
        _ => return Err(Left::Other("its type is not totp, hotp or steam")),
    };
    let secret = match info.get("secret") {
        None => return Err(Left::NoSecret),
        Some(secret) => secret.str().ok_or(Left::Field("secret"))?,
    };
    let (algorithm, md5) = match algorithm(info.get_str("algo").ok_or(Left::Field("algo"))?) {
        Ok(algorithm) => (algorithm, false),
        Err(Left::Algorithm("MD5")) => (Algorithm::Sha1, true),
        Err(why) => return Err(why),
    };
    let name = item.get_str("name").unwrap_or_default();
    let entry = Entry {
        kind,
        secret: SecretText::Base32(secret),
        algorithm,
        digits: number("digits")?,
        issuer: item.get_str("issuer").unwrap_or_default(),
        account: name,
        name,
    };
    Ok((entry, md5))
}

// ---------------------------------------------------------------------------------------
// Export

/// Writes accounts as an Aegis JSON export, which Aegis and the apps that read Aegis
/// files import: plain when `password` is `None`, else encrypted with one password slot.
///
/// The file is version 1 with a `db` of version 3, as Aegis writes today. Each account
/// is an entry of type `totp`, `hotp` (with its counter) or `steam`, with the account's
/// issuer (empty for none) and account name as Aegis' `issuer` and `name`; each entry and
/// the slot get a random (version 4) UUID. An encrypted export draws a random 256-bit
/// master key that seals the `db` with AES-256-GCM, and seals the master key under
/// scrypt(password, random 256-bit salt, n = 2^15, r = 8, p = 1), Aegis' own cost. All
/// randomness comes from `entropy`, which must be a CSPRNG. The text holds the secrets
/// when plain; its buffer is zeroed when dropped, as are the buffers that held the plain
/// JSON of an encrypted export.
///
/// # Errors
///
/// - `ENTROPY_UNAVAILABLE` when `entropy` fails.
/// - `IMPORT_LIMIT` for more than [`MAX_ENTRIES`] accounts, or an HOTP counter past
///   2^63 − 1, which Aegis cannot read.
///
/// # Example
///
/// ```
/// use twofa::transfer::import::{export_aegis, import, ImportOptions};
/// # fn os_random(buf: &mut [u8]) -> Result<(), twofa::EntropyError> { buf.fill(7); Ok(()) }
///
/// let text = "otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME";
/// let accounts = import(text.as_bytes(), &ImportOptions::default())?.accounts;
/// let file = export_aegis(&accounts, Some("correct horse"), os_random)?;
///
/// let options = ImportOptions { password: Some("correct horse"), ..ImportOptions::default() };
/// let back = import(file.as_bytes(), &options)?;
/// assert_eq!(back.format.as_str(), "aegis-encrypted");
/// assert_eq!(back.accounts[0].key, accounts[0].key);
/// # Ok::<(), twofa::Error>(())
/// ```
pub fn export_aegis(
    accounts: &[ImportedAccount],
    password: Option<&str>,
    mut entropy: impl Entropy,
) -> Result<Zeroizing<String>, Error> {
    crypto::check("accounts", accounts.len() as u64, MAX_ENTRIES as u64)?;
    for account in accounts {
        if let Otp::Hotp { counter, .. } = account.key.otp {
            crypto::check("an HOTP counter", counter, i64::MAX as u64)?;
        }
    }
    let mut uuids = Vec::with_capacity(accounts.len());
    for _ in accounts {
        uuids.push(uuid(&mut entropy)?);
    }
    let capacity = db_capacity(accounts);
    let Some(password) = password else {
        let mut w = Writer::with_capacity(capacity + 128);
        w.object(|w| {
            w.key("version");
            w.integer(1);
            w.key("header");
            w.object(|w| {
                w.key("slots");
                w.null();
                w.key("params");
                w.null();
            });
            w.key("db");
            write_db(w, accounts, &uuids);
        });
        return Ok(w.finish());
    };

    let slot_uuid = uuid(&mut entropy)?;
    let salt = entropy::random::<KEY_LEN>(&mut entropy)?;
    let master = entropy::random::<KEY_LEN>(&mut entropy)?;
    let slot_nonce = entropy::random::<NONCE_LEN>(&mut entropy)?;
    let db_nonce = entropy::random::<NONCE_LEN>(&mut entropy)?;

    let mut db = Writer::with_capacity(capacity);
    write_db(&mut db, accounts, &uuids);
    let db = db.finish();
    let limits = Limits::default();
    let key = crypto::scrypt(
        password.as_bytes(),
        &salt[..],
        EXPORT_LOG_N,
        EXPORT_R,
        EXPORT_P,
        KEY_LEN,
        &limits,
    )?;
    let key: &[u8; KEY_LEN] = key[..].try_into().map_err(|_| sealing_failed())?;
    let wrapped = crypto::aes_gcm_seal(key, &slot_nonce, &master[..]).ok_or_else(sealing_failed)?;
    let sealed =
        crypto::aes_gcm_seal(&master, &db_nonce, db.as_bytes()).ok_or_else(sealing_failed)?;
    drop(db);
    let (wrapped, slot_tag) = wrapped.split_at(wrapped.len().saturating_sub(TAG_LEN));
    let (sealed, db_tag) = sealed.split_at(sealed.len().saturating_sub(TAG_LEN));
    let body = base64::encode(sealed, base64::STANDARD);

    let mut w = Writer::with_capacity(body.len() + 1024);
    w.object(|w| {
        w.key("version");
        w.integer(1);
        w.key("header");
        w.object(|w| {
            w.key("slots");
            w.array(|w| {
                w.object(|w| {
                    w.key("type");
                    w.integer(1);
                    w.key("uuid");
                    w.string(&slot_uuid);
                    w.key("key");
                    w.string(&to_hex(wrapped));
                    w.key("key_params");
                    write_params(w, &slot_nonce[..], slot_tag);
                    w.key("n");
                    w.integer(1 << EXPORT_LOG_N);
                    w.key("r");
                    w.integer(EXPORT_R.into());
                    w.key("p");
                    w.integer(EXPORT_P.into());
                    w.key("salt");
                    w.string(&to_hex(&salt[..]));
                    w.key("repaired");
                    w.boolean(true);
                    w.key("is_backup");
                    w.boolean(false);
                });
            });
            w.key("params");
            write_params(w, &db_nonce[..], db_tag);
        });
        w.key("db");
        w.string(&body);
    });
    Ok(w.finish())
}

/// AES-GCM refuses only plaintext past 64 GiB, which no export reaches.
fn sealing_failed() -> Error {
    crypto::over("plaintext (bytes)", u64::MAX, u64::from(u32::MAX))
}

fn write_params(w: &mut Writer, nonce: &[u8], tag: &[u8]) {
    w.object(|w| {
        w.key("nonce");
        w.string(&to_hex(nonce));
        w.key("tag");
        w.string(&to_hex(tag));
    });
}

/// The most bytes [`write_db`] writes, so that its buffer never grows (growing would
/// leave a copy of the secrets behind): every name escaped at six bytes a byte.
fn db_capacity(accounts: &[ImportedAccount]) -> usize {
    accounts.iter().fold(64, |sum, account| {
        let key = &account.key;
        let names = key.issuer.as_deref().map_or(0, str::len) + key.account.len();
        let secret = key.otp.secret().len() * 8 / 5 + 8;
        sum.saturating_add(400 + 6 * names + secret)
    })
}

fn write_db(w: &mut Writer, accounts: &[ImportedAccount], uuids: &[String]) {
    w.object(|w| {
        w.key("version");
        w.integer(3);
        w.key("entries");
        w.array(|w| {
            for (account, uuid) in accounts.iter().zip(uuids) {
                write_entry(w, account, uuid);
            }
        });
        w.key("groups");
        w.array(|_| {});
    });
}

fn write_entry(w: &mut Writer, account: &ImportedAccount, uuid: &str) {
    let key = &account.key;
    let (kind, period, counter) = match &key.otp {
        Otp::Totp(totp) if totp.format().is_steam() => ("steam", totp.period(), None),
        Otp::Totp(totp) => ("totp", totp.period(), None),
        Otp::Hotp { counter, .. } => ("hotp", 0, Some(*counter)),
    };
    let secret = Zeroizing::new(key.otp.secret().to_base32());
    w.object(|w| {
        w.key("type");
        w.string(kind);
        w.key("uuid");
        w.string(uuid);
        w.key("name");
        w.string(&key.account);
        w.key("issuer");
        w.string(key.issuer.as_deref().unwrap_or_default());
        w.key("note");
        w.string("");
        w.key("favorite");
        w.boolean(false);
        for field in ["icon", "icon_mime", "icon_hash"] {
            w.key(field);
            w.null();
        }
        w.key("info");
        w.object(|w| {
            w.key("secret");
            w.string(&secret);
            w.key("algo");
            w.string(key.otp.algorithm().as_str());
            w.key("digits");
            w.integer(key.otp.format().len() as i64);
            match counter {
                // Checked against i64::MAX before writing.
                Some(counter) => {
                    w.key("counter");
                    w.integer(i64::try_from(counter).unwrap_or(i64::MAX));
                }
                None => {
                    w.key("period");
                    w.integer(period.into());
                }
            }
        });
        w.key("groups");
        w.array(|_| {});
    });
}

/// A random version 4 UUID, as text.
fn uuid(entropy: &mut impl Entropy) -> Result<String, Error> {
    let mut bytes = *entropy::random::<16>(entropy)?;
    if let Some(b) = bytes.get_mut(6) {
        *b = (*b & 0x0f) | 0x40;
    }
    if let Some(b) = bytes.get_mut(8) {
        *b = (*b & 0x3f) | 0x80;
    }
    let mut text = String::with_capacity(36);
    for (i, chunk) in [0..4, 4..6, 6..8, 8..10, 10..16].into_iter().enumerate() {
        if i > 0 {
            text.push('-');
        }
        text.push_str(&to_hex(bytes.get(chunk).unwrap_or_default()));
    }
    Ok(text)
}

fn to_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        for nibble in [b >> 4, b & 15] {
            out.push(char::from(
                HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
            ));
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_written_in_lower_case() {
        assert_eq!(to_hex(&[0, 0xab, 0xff]), "00abff");
    }

    #[test]
    fn the_db_buffer_never_grows() {
        // Names that escape at six bytes a byte, the longest secret, and every kind.
        let worst: String = (0u8..0x20).map(char::from).collect::<String>().repeat(64);
        let uris = [
            "otpauth://totp/a?secret=AAAAAAAA",
            "otpauth://hotp/a?secret=AAAAAAAA&counter=9223372036854775807&digits=10",
            "otpauth://totp/Steam:a?secret=AAAAAAAA&encoder=steam&period=4294967295",
        ];
        let long = alloc::format!("otpauth://totp/a?secret={}", "A".repeat(1632));
        let mut accounts = Vec::new();
        for (index, uri) in uris.iter().copied().chain([long.as_str()]).enumerate() {
            let mut key = crate::KeyUri::parse(uri).unwrap().key;
            key.account = worst.clone();
            key.issuer = Some(worst.clone());
            accounts.push(ImportedAccount {
                key,
                name: String::new(),
                index,
            });
        }
        for n in 0..=accounts.len() {
            let uuids = alloc::vec![String::from("00000000-0000-4000-8000-000000000000"); n];
            let mut w = Writer::with_capacity(db_capacity(&accounts[..n]));
            write_db(&mut w, &accounts[..n], &uuids);
            let text = w.finish();
            assert!(text.len() <= db_capacity(&accounts[..n]), "{n}");
            assert_eq!(text.capacity(), db_capacity(&accounts[..n]), "{n}: it grew");
            // The plain file around it neither.
            let ones = |buf: &mut [u8]| {
                buf.fill(1);
                Ok(())
            };
            let file = export_aegis(&accounts[..n], None, ones).unwrap();
            assert_eq!(file.capacity(), db_capacity(&accounts[..n]) + 128, "{n}");
        }
    }

    #[test]
    fn uuids_are_version_4() {
        let mut all_ones = |buf: &mut [u8]| {
            buf.fill(0xff);
            Ok(())
        };
        assert_eq!(
            uuid(&mut all_ones).unwrap(),
            "ffffffff-ffff-4fff-bfff-ffffffffffff"
        );
        let mut zeros = |buf: &mut [u8]| {
            buf.fill(0);
            Ok(())
        };
        assert_eq!(
            uuid(&mut zeros).unwrap(),
            "00000000-0000-4000-8000-000000000000"
        );
    }
}
