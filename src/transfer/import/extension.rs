//! The Authenticator browser extension's backups (Authenticator-Extension/Authenticator).
//!
//! A backup is one JSON object whose fields are the entries, keyed by each entry's hash,
//! in the order the file has them; the index of an entry is its position among them. An
//! entry is an object with `secret` (or `dataType: "OTPStorage"`), and `type` (`totp`,
//! `hotp`, `battle`, `steam`, `hex`, `hhex`; `totp` when missing), `issuer`, `account`,
//! `period` (30 when missing or 0), `digits` (6 when missing), `algorithm` (`SHA1` when
//! missing, `SHA256`, `SHA512`), `counter` (HOTP) and `encrypted`. As the extension
//! does, a secret `blz-…`/`bliz-…` is a Battle.net one (TOTP, 8 digits), `stm-…` a Steam
//! one, and a `totp` or `hotp` secret that is hexadecimal but not base32 is read as hex
//! bytes. The field `UserSettings` and key objects are not entries.
//!
//! Plain backups (`authenticator-extension`) hold entries with `encrypted: false`. Three
//! generations of encryption give `authenticator-extension-encrypted`, each built on
//! CryptoJS' passphrase mode — `CryptoJS.AES.encrypt(text, passphrase)`: base64 of
//! `Salted__`, an 8-byte salt and AES-256-CBC (PKCS#7) ciphertext, whose key and IV are
//! OpenSSL's `EVP_BytesToKey` with MD5, one round, over the passphrase's UTF-8 and the salt:
//!
//! 1. **Version 1**: entries with `encrypted: true` whose `secret` is sealed with the
//!    password itself.
//! 2. **Version 2**: the same, sealed with a random key: a field `key: {"enc", "hash"}`
//!    (or top-level `enc` and `hash`) holds it, `enc` being the key sealed with the
//!    password; the entries' passphrase is the lower-case hex of the key's bytes, and
//!    `hash` an Argon2 hash (PHC string) of that hex, checked.
//! 3. **Version 3** (current): a key object `{"dataType": "Key", "id", "salt", "hash"}`;
//!    the entries are `{"dataType": "EncOTPStorage", "keyId", "data"}`, `data` being the
//!    entry's JSON sealed with the passphrase `P` = the unpadded base64 of
//!    Argon2id(password, salt text, 2 passes, 19 MiB, 1 lane, 32 bytes), and the key's
//!    `hash` an Argon2 hash (PHC string) of `P`, checked.
//!
//! A password that fails a key's check is `WRONG_PASSWORD`; version 1 has no check, so a
//! password that opens none of its entries is `WRONG_PASSWORD`, and an entry that alone
//! does not open is left out with a warning. The Argon2 costs of the PHC strings, and the
//! number of keys (at most [`MAX_KEYS`]), are checked before the password is asked for.
//!
//! # Warnings
//!
//! Left out with `UNSUPPORTED_ACCOUNT`: a type twofa does not know, GOST algorithms, a
//! missing or unreadable secret, hex of an odd length, digits outside 6–10, an entry
//! whose key is not in the backup, or that does not decrypt.
//!
//! # MD5
//!
//! CryptoJS' passphrase mode derives its key with MD5 (`EVP_BytesToKey`), in every
//! encrypted backup the extension has written, the current one included: the `md-5` crate
//! is used for that alone.

use super::json::Value;
use super::{
    algorithm, crypto, malformed, password, wrong_password, Accounts, Entry, ImportFormat,
    ImportOptions, Input, Kind, Left, SecretText,
};
use crate::error::Error;
use crate::otp::Algorithm;
use crate::transfer::base64;
use alloc::string::String;
use alloc::vec::Vec;
use md5::{Digest, Md5};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The most version 3 keys one backup may hold: each costs an Argon2id derivation.
pub(crate) const MAX_KEYS: u64 = 4;
/// The Argon2id cost the extension derives version 3 keys with: 19 MiB, 2 passes, 1 lane.
const KEY_MEMORY_KIB: u64 = 19 * 1024;
const KEY_PASSES: u64 = 2;

const PLAIN: ImportFormat = ImportFormat::AuthenticatorExtension;
const ENCRYPTED: ImportFormat = ImportFormat::AuthenticatorExtensionEncrypted;

pub(crate) fn read(
    input: &Input<'_>,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    let fields = input.json.as_ref()?.fields()?;
    let mut backup = Backup::default();
    for (name, value) in fields {
        match classify(name, value)? {
            Field::Entry => {
                backup.encrypted |= value.get("encrypted").and_then(Value::bool) == Some(true)
                    || value.get_str("dataType") == Some("EncOTPStorage");
                backup.entries += 1;
            }
            Field::Key => backup.keys.push(value),
            Field::OldKey | Field::OldKeyParts | Field::Other => {}
        }
    }
    if backup.entries == 0 {
        return None;
    }
    Some(backup.read(fields, options, out))
}

/// What a field of the backup's object is; `None` for one that no backup holds.
enum Field {
    Entry,
    /// A version 3 key.
    Key,
    /// `key: {"enc", "hash"}`, version 2's key.
    OldKey,
    /// Version 2's key as top-level `enc` and `hash`.
    OldKeyParts,
    /// `UserSettings`, `key: null`, and objects that are not entries.
    Other,
}

fn classify(name: &str, value: &Value) -> Option<Field> {
    if matches!(name, "enc" | "hash") && value.str().is_some() {
        return Some(Field::OldKeyParts);
    }
    if name == "key" && value.is_null() {
        return Some(Field::Other);
    }
    value.fields()?;
    Some(match value.get_str("dataType") {
        Some("Key") => Field::Key,
        Some("EncOTPStorage" | "OTPStorage") => Field::Entry,
        _ if name == "key" && value.get_str("enc").is_some() => Field::OldKey,
        _ if value.get_str("secret").is_some() => Field::Entry,
        _ => Field::Other,
    })
}

#[derive(Default)]
struct Backup<'a> {
    entries: usize,
    encrypted: bool,
    keys: Vec<&'a Value>,
}

/// The passphrases of an encrypted backup, once the password is checked.
enum Passphrases {
    None,
    /// Version 1 (the password) or 2 (the hex of the key): for `encrypted: true` secrets.
    Secret(Zeroizing<String>),
    /// Version 3: each key's id and passphrase.
    Keys(Vec<(String, Zeroizing<String>)>),
}

impl Backup<'_> {
    fn read(
        &self,
        fields: &[(String, Value)],
        options: &ImportOptions<'_>,
        out: &mut Accounts,
    ) -> Result<ImportFormat, Error> {
        let passphrases = if self.encrypted {
            self.unlock(fields, options)?
        } else {
            Passphrases::None
        };
        let mut opened_v1 = (0usize, 0usize);
        let entries = fields
            .iter()
            .filter(|(name, value)| matches!(classify(name, value), Some(Field::Entry)));
        for (index, (_, value)) in entries.enumerate() {
            if value.get_str("dataType") == Some("EncOTPStorage") {
                let Passphrases::Keys(keys) = &passphrases else {
                    out.left(index, Left::Other("its key is not in the backup"))?;
                    continue;
                };
                let key = value.get_str("keyId").and_then(|id| {
                    keys.iter()
                        .find(|(k, _)| k == id)
                        .map(|(_, passphrase)| passphrase)
                });
                let Some(passphrase) = key else {
                    out.left(index, Left::Other("its key is not in the backup"))?;
                    continue;
                };
                let inner = value
                    .get_str("data")
                    .and_then(|data| cryptojs_open(data, passphrase))
                    .and_then(|plain| core::str::from_utf8(&plain).ok().and_then(Value::parse));
                match inner {
                    Some(inner) if inner.fields().is_some() => {
                        add(out, index, &inner, None)?;
                    }
                    _ => out.left(index, Left::Other("its data does not decrypt"))?,
                }
            } else if value.get("encrypted").and_then(Value::bool) == Some(true) {
                let Passphrases::Secret(passphrase) = &passphrases else {
                    out.left(index, Left::Other("its secret does not decrypt"))?;
                    continue;
                };
                opened_v1.0 += 1;
                let secret = value
                    .get_str("secret")
                    .and_then(|s| cryptojs_open(s, passphrase))
                    .and_then(|plain| {
                        let text = core::str::from_utf8(&plain).ok()?;
                        Some(Zeroizing::new(String::from(text)))
                    })
                    .filter(|s| !s.is_empty());
                match secret {
                    Some(secret) => {
                        opened_v1.1 += 1;
                        add(out, index, value, Some(&secret))?;
                    }
                    None => out.left(index, Left::Other("its secret does not decrypt"))?,
                }
            } else {
                add(out, index, value, None)?;
            }
        }
        if opened_v1.0 > 0 && opened_v1.1 == 0 {
            // Version 1 has no check of the password: none of its secrets opened.
            return Err(wrong_password(ENCRYPTED));
        }
        Ok(if self.encrypted { ENCRYPTED } else { PLAIN })
    }

    /// Checks the costs, asks for the password and checks it against the keys.
    fn unlock(
        &self,
        fields: &[(String, Value)],
        options: &ImportOptions<'_>,
    ) -> Result<Passphrases, Error> {
        let limits = &options.limits;
        crypto::check(
            "Authenticator extension keys",
            self.keys.len() as u64,
            MAX_KEYS,
        )?;
        let mut checks = Vec::new();
        for key in &self.keys {
            let hash = key
                .get_str("hash")
                .and_then(Phc::parse)
                .ok_or_else(|| malformed(ENCRYPTED, "a key's hash is not an Argon2 hash"))?;
            hash.check(limits)?;
            checks.push(hash);
        }
        let old = old_key(fields);
        let old_check = match old {
            Some((_, Some(hash))) => {
                let hash = Phc::parse(hash)
                    .ok_or_else(|| malformed(ENCRYPTED, "its key's hash is not an Argon2 hash"))?;
                hash.check(limits)?;
                Some(hash)
            }
            _ => None,
        };
        if !self.keys.is_empty() {
            crypto::argon2_cost(KEY_MEMORY_KIB, KEY_PASSES, 1, limits)?;
        }
        let password = password(options, ENCRYPTED)?;
        if !self.keys.is_empty() {
            let mut keys = Vec::new();
            for (key, check) in self.keys.iter().zip(&checks) {
                let (Some(id), Some(salt)) = (key.get_str("id"), key.get_str("salt")) else {
                    return Err(malformed(ENCRYPTED, "a key has no id or salt"));
                };
                let derived = crypto::argon2(
                    argon2::Algorithm::Argon2id,
                    password.as_bytes(),
                    salt.as_bytes(),
                    KEY_MEMORY_KIB,
                    KEY_PASSES,
                    1,
                    32,
                    limits,
                )?;
                let passphrase = base64::encode(&derived, base64::STANDARD);
                let passphrase = Zeroizing::new(String::from(passphrase.trim_end_matches('=')));
                if !check.verify(passphrase.as_bytes(), limits)? {
                    return Err(wrong_password(ENCRYPTED));
                }
                keys.push((String::from(id), passphrase));
            }
            return Ok(Passphrases::Keys(keys));
        }
        if let Some((enc, _)) = old {
            let key = cryptojs_open(enc, password).ok_or_else(|| wrong_password(ENCRYPTED))?;
            let mut hex = Zeroizing::new(String::with_capacity(key.len() * 2));
            for b in key.iter() {
                for nibble in [b >> 4, b & 15] {
                    hex.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
                }
            }
            if let Some(check) = old_check {
                if !check.verify(hex.as_bytes(), limits)? {
                    return Err(wrong_password(ENCRYPTED));
                }
            }
            return Ok(Passphrases::Secret(hex));
        }
        Ok(Passphrases::Secret(Zeroizing::new(String::from(password))))
    }
}

/// Version 2's sealed key and its hash, from `key` or the top-level `enc` and `hash`.
fn old_key(fields: &[(String, Value)]) -> Option<(&str, Option<&str>)> {
    let top = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.str())
    };
    if let Some((_, key)) = fields.iter().find(|(n, v)| n == "key" && !v.is_null()) {
        return Some((key.get_str("enc")?, key.get_str("hash")));
    }
    Some((top("enc")?, top("hash")))
}

/// One entry: `secret` replaces the entry's own when it was decrypted.
fn add(out: &mut Accounts, index: usize, entry: &Value, secret: Option<&str>) -> Result<(), Error> {
    let Some(secret) = secret.or_else(|| entry.get_str("secret")) else {
        return out.left(index, Left::NoSecret);
    };
    let secret = secret.trim();
    let text = |key: &str| entry.get_str(key).unwrap_or_default();
    let (issuer, account) = (text("issuer"), text("account"));
    let mut kind = match entry.get("type") {
        None => "totp",
        Some(t) => match t.str() {
            Some(t) => t,
            None => return out.left(index, Left::Field("type")),
        },
    };
    let mut secret = secret;
    for (prefix, named) in [("blz-", "battle"), ("bliz-", "battle"), ("stm-", "steam")] {
        if let Some(rest) = secret.strip_prefix(prefix) {
            secret = rest;
            kind = named;
        }
    }
    let base32 = !secret.is_empty()
        && secret
            .trim_end_matches('=')
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || (b'2'..=b'7').contains(&b));
    let hex = !secret.is_empty() && secret.bytes().all(|b| b.is_ascii_hexdigit());
    if !base32 && hex {
        kind = match kind {
            "totp" => "hex",
            "hotp" => "hhex",
            other => other,
        };
    }
    let algorithm = match entry.get("algorithm") {
        None => Algorithm::Sha1,
        Some(name) => match name.str() {
            Some(n) if n.starts_with("GOST3411") => {
                return out.left(index, Left::Algorithm("GOST R 34.11-2012"))
            }
            Some(n) => match algorithm(n) {
                Ok(a) => a,
                Err(why) => return out.left(index, why),
            },
            None => return out.left(index, Left::Field("algorithm")),
        },
    };
    let number = |key: &str, default: u64| match entry.get(key) {
        None => Some(default),
        Some(v) if v.is_null() => Some(default),
        Some(v) => v.u64(),
    };
    let Some(period) = number("period", 30) else {
        return out.left(index, Left::Field("period"));
    };
    let period = if period == 0 { 30 } else { period };
    let Some(digits) = number("digits", 6) else {
        return out.left(index, Left::Field("digits"));
    };
    let Some(counter) = number("counter", 0) else {
        return out.left(index, Left::Counter);
    };
    let (kind, digits) = match kind {
        "totp" | "hex" => (Kind::Totp { period }, digits),
        "hotp" | "hhex" => (Kind::Hotp { counter }, digits),
        "battle" => (Kind::Totp { period }, 8),
        "steam" => (Kind::Steam { period }, 5),
        _ => return out.left(index, Left::Field("type")),
    };
    let bytes;
    let secret = if hex && !base32 {
        match super::field::hex(secret) {
            Some(b) => {
                bytes = b;
                SecretText::Bytes(&bytes)
            }
            None => return out.left(index, Left::Secret("it is hex of an odd length")),
        }
    } else {
        SecretText::Base32(secret)
    };
    out.add(
        index,
        Entry {
            kind,
            secret,
            algorithm,
            digits,
            issuer,
            account,
            name: issuer,
        },
    )
}

/// `CryptoJS.AES.decrypt(text, passphrase)`: base64 of `Salted__`, the salt and AES-256-CBC
/// ciphertext, key and IV from `EVP_BytesToKey` (MD5, one round). `None` when it is not
/// that or its padding is wrong.
pub(crate) fn cryptojs_open(text: &str, passphrase: &str) -> Option<Zeroizing<Vec<u8>>> {
    let raw = base64::decode(text.trim()).ok()?;
    let rest = raw.strip_prefix(b"Salted__")?;
    let (salt, sealed) = rest.split_at_checked(8)?;
    let mut material = Zeroizing::new([0u8; 48]);
    let mut previous: Option<Zeroizing<[u8; 16]>> = None;
    for chunk in material.chunks_mut(16) {
        let mut md5 = Md5::new();
        if let Some(p) = &previous {
            md5.update(p.as_slice());
        }
        md5.update(passphrase.as_bytes());
        md5.update(salt);
        let digest: Zeroizing<[u8; 16]> = Zeroizing::new(md5.finalize().into());
        chunk.copy_from_slice(digest.as_slice());
        previous = Some(digest);
    }
    let (key, iv) = material.split_at(32);
    crypto::aes_cbc_open(key, iv, sealed)
}

/// An Argon2 hash as a PHC string, `$argon2id$v=19$m=…,t=…,p=…$salt$hash`, as
/// argon2-browser writes it.
struct Phc {
    algorithm: argon2::Algorithm,
    memory_kib: u64,
    passes: u64,
    lanes: u64,
    salt: Zeroizing<Vec<u8>>,
    hash: Zeroizing<Vec<u8>>,
}

impl Phc {
    fn parse(text: &str) -> Option<Phc> {
        let mut parts = text.split('$');
        if parts.next() != Some("") {
            return None;
        }
        let algorithm = match parts.next()? {
            "argon2id" => argon2::Algorithm::Argon2id,
            "argon2i" => argon2::Algorithm::Argon2i,
            "argon2d" => argon2::Algorithm::Argon2d,
            _ => return None,
        };
        if parts.next()? != "v=19" {
            return None;
        }
        let (mut m, mut t, mut p) = (None, None, None);
        for param in parts.next()?.split(',') {
            let (name, value) = param.split_once('=')?;
            let value = crate::transfer::uri::decimal(value.as_bytes())?;
            match name {
                "m" => m = Some(value),
                "t" => t = Some(value),
                "p" => p = Some(value),
                _ => return None,
            }
        }
        let salt = base64::decode(parts.next()?).ok()?;
        let hash = base64::decode(parts.next()?).ok()?;
        if parts.next().is_some() || !(4..=64).contains(&hash.len()) {
            return None;
        }
        Some(Phc {
            algorithm,
            memory_kib: m?,
            passes: t?,
            lanes: p?,
            salt,
            hash,
        })
    }

    fn check(&self, limits: &super::Limits) -> Result<(), Error> {
        crypto::argon2_cost(self.memory_kib, self.passes, self.lanes, limits)
    }

    /// Whether `password` hashes to it, compared in constant time.
    fn verify(&self, password: &[u8], limits: &super::Limits) -> Result<bool, Error> {
        let computed = crypto::argon2(
            self.algorithm,
            password,
            &self.salt,
            self.memory_kib,
            self.passes,
            self.lanes,
            self.hash.len(),
            limits,
        )?;
        Ok(bool::from(computed.as_slice().ct_eq(self.hash.as_slice())))
    }
}
