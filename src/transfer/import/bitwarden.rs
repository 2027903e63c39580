//! Bitwarden's exports, and Bitwarden Authenticator's.
//!
//! # Bitwarden (the password manager)
//!
//! - **JSON** (`bitwarden-json`): `{"encrypted": false, "folders" | "collections": [..],
//!   "items": [..]}`. Each item of `items` whose `login.totp` holds text is an entry;
//!   items without a TOTP (cards, notes, logins without one) are not authenticator
//!   entries and are passed over. The index of an entry is its item's position in `items`.
//! - **CSV** (`bitwarden-csv`): a header naming the columns, among them `name`,
//!   `login_username` and `login_totp`; quoted fields (`"a ""b"", c"`, line breaks
//!   inside quotes) as RFC 4180 has them; blank lines skipped. The index of an entry is its
//!   row's position among the rows that are not blank, the header not counted.
//! - **Password-protected JSON** (`bitwarden-encrypted`): `{"encrypted": true,
//!   "passwordProtected": true, "salt", "kdfType", "kdfIterations", "kdfMemory",
//!   "kdfParallelism", "encKeyValidation_DO_NOT_EDIT", "data"}`. The key is
//!   PBKDF2-SHA256(password, salt text, `kdfIterations`) for `kdfType` 0, or Argon2id
//!   (password, SHA-256(salt text), `kdfIterations` passes, `kdfMemory` MiB,
//!   `kdfParallelism` lanes) for `kdfType` 1; HKDF-Expand-SHA256 of it with the infos
//!   `enc` and `mac` gives the AES-256-CBC key and the HMAC-SHA256 key. The two values are
//!   EncStrings of type 2, `2.<iv>|<ciphertext>|<mac>` in base64, the MAC over iv ‖
//!   ciphertext and checked in constant time before anything is decrypted: a MAC that
//!   does not match is `WRONG_PASSWORD`. `data` holds the JSON export above.
//! - The **account-restricted** encrypted JSON (`"encrypted": true` without
//!   `passwordProtected`) is sealed with the Bitwarden account's own key, which no password
//!   given here derives: it is refused with `UNSUPPORTED_FORMAT`, saying to export it
//!   again with a password.
//!
//! `login.totp` holds an otpauth:// URI, `steam://<base32>` (Steam Guard codes), or a bare
//! base32 secret (TOTP, SHA-1, 6 digits, 30 s), as Bitwarden reads it. A URI's issuer and
//! account name are used; when the URI has no issuer the item's `name` is the issuer,
//! and when it has no account name the login's `username` is. For `steam://` and bare
//! secrets the issuer is the item's `name` and the account its login's `username`.
//!
//! # Bitwarden Authenticator
//!
//! `{"encrypted": false, "items": [..]}` with neither `folders` nor `collections`
//! (`bitwarden-authenticator`): items as above, whose `login` holds `totp` and, in newer
//! versions, `issuer`, `period` and `digits`, used for a bare secret.
//!
//! # Warnings
//!
//! An item whose TOTP cannot be used (an empty or malformed secret, mOTP, an unknown
//! algorithm, digits outside 6–10…) is left out with `UNSUPPORTED_ACCOUNT` naming its
//! index; trimmed names and secrets that lose a last symbol making no whole byte are
//! `ACCOUNT_CHANGED`.

use super::crypto::{self, Prf};
use super::json::Value;
use super::{
    malformed, password, unsupported, wrong_password, Accounts, Entry, ImportFormat, ImportOptions,
    Input, Kind, SecretText,
};
use crate::error::Error;
use crate::otp::Algorithm;
use crate::transfer::base64;
use alloc::string::String;
use alloc::vec::Vec;
use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// What the account-restricted export is refused with.
const ACCOUNT_RESTRICTED: &str = "it is a Bitwarden export encrypted with the account's own \
    key, which no password opens: export the vault again as \"Password protected\"";

pub(crate) fn read(
    input: &Input<'_>,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    if let Some(json) = &input.json {
        return read_json(json, options, out);
    }
    let text = input.text?;
    let header = text.lines().next()?;
    if !header.contains("login_totp") {
        return None;
    }
    read_csv(text, out)
}

fn read_json(
    json: &Value,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    let encrypted = json.get("encrypted")?.bool()?;
    if encrypted {
        if json.get("passwordProtected").and_then(Value::bool) == Some(true) {
            return Some(read_encrypted(json, options, out));
        }
        if json.get("encKeyValidation_DO_NOT_EDIT").is_some() || json.get("items").is_some() {
            return Some(Err(unsupported(ACCOUNT_RESTRICTED)));
        }
        return None;
    }
    let items = json.get("items")?.array()?;
    let format = if json.get("folders").is_some() || json.get("collections").is_some() {
        ImportFormat::BitwardenJson
    } else {
        ImportFormat::BitwardenAuthenticator
    };
    Some(read_items(items, out).map(|()| format))
}

/// The items of a JSON export (plain, or decrypted from a password-protected one).
fn read_items(items: &[Value], out: &mut Accounts) -> Result<(), Error> {
    for (index, item) in items.iter().enumerate() {
        let Some(login) = item.get("login") else {
            continue;
        };
        let Some(totp) = login.get_str("totp").filter(|t| !t.trim().is_empty()) else {
            continue;
        };
        let name = item.get_str("name").unwrap_or_default();
        let item = Item {
            name,
            username: login.get_str("username").unwrap_or_default(),
            issuer: login.get_str("issuer"),
            period: login.get("period").and_then(Value::u64),
            digits: login.get("digits").and_then(Value::u64),
        };
        add(out, index, totp, &item)?;
    }
    Ok(())
}

/// What an item says besides its TOTP.
#[derive(Default)]
struct Item<'a> {
    name: &'a str,
    username: &'a str,
    /// Bitwarden Authenticator's `login.issuer`, `login.period` and `login.digits`.
    issuer: Option<&'a str>,
    period: Option<u64>,
    digits: Option<u64>,
}

/// One TOTP field, as Bitwarden reads it.
fn add(out: &mut Accounts, index: usize, totp: &str, item: &Item<'_>) -> Result<(), Error> {
    let totp = totp.trim();
    let scheme = |prefix: &str| {
        totp.get(..prefix.len())
            .filter(|p| p.eq_ignore_ascii_case(prefix))
            .map(|_| totp.get(prefix.len()..).unwrap_or_default())
    };
    if scheme("otpauth://").is_some() {
        out.add_uri(index, totp, item.name)?;
        out.fill_names(index, item.issuer.unwrap_or(item.name), item.username);
        return Ok(());
    }
    let (kind, secret) = match scheme("steam://") {
        Some(secret) => (Kind::Steam { period: 30 }, secret),
        None => (
            Kind::Totp {
                period: item.period.unwrap_or(30),
            },
            totp,
        ),
    };
    out.add(
        index,
        Entry {
            kind,
            secret: SecretText::Base32(secret),
            algorithm: Algorithm::Sha1,
            digits: item.digits.unwrap_or(6),
            issuer: item.issuer.unwrap_or(item.name),
            account: item.username,
            name: item.name,
        },
    )
}

fn read_csv(text: &str, out: &mut Accounts) -> Option<Result<ImportFormat, Error>> {
    let format = ImportFormat::BitwardenCsv;
    let mut records = Records { rest: text };
    let header = match records.next()? {
        Ok(header) => header,
        Err(what) => return Some(Err(malformed(format, what))),
    };
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
    let totp = column("login_totp")?;
    let name = column("name")?;
    let username = column("login_username");
    let mut index = 0;
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(what) => return Some(Err(malformed(format, what))),
        };
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        let field = |at: Option<usize>| at.and_then(|at| record.get(at)).map_or("", |f| f.as_str());
        let value = field(Some(totp));
        if !value.trim().is_empty() {
            let item = Item {
                name: field(Some(name)),
                username: field(username),
                ..Item::default()
            };
            if let Err(err) = add(out, index, value, &item) {
                return Some(Err(err));
            }
        }
        index += 1;
    }
    Some(Ok(format))
}

/// The records of CSV text (RFC 4180, either line ending), each a list of fields; a blank
/// line is a record of one empty field.
struct Records<'a> {
    rest: &'a str,
}

impl Iterator for Records<'_> {
    type Item = Result<Vec<Zeroizing<String>>, &'static str>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let mut fields = Vec::new();
        let mut field = Zeroizing::new(String::new());
        let mut chars = self.rest.char_indices().peekable();
        let mut quoted = false;
        let mut at_start = true;
        let mut end = self.rest.len();
        while let Some((at, c)) = chars.next() {
            if at_start && field.capacity() == 0 {
                // Sized once: growing would free copies of a secret unzeroed.
                field.reserve_exact(field_extent(self.rest.get(at..).unwrap_or_default()));
            }
            if quoted {
                if c == '"' {
                    if chars.peek().map(|&(_, n)| n) == Some('"') {
                        chars.next();
                        field.push('"');
                    } else {
                        quoted = false;
                    }
                } else {
                    field.push(c);
                }
                continue;
            }
            match c {
                '"' if at_start => quoted = true,
                ',' => {
                    fields.push(core::mem::take(&mut field));
                    at_start = true;
                    continue;
                }
                '\n' => {
                    end = at + 1;
                    break;
                }
                '\r' if chars.peek().map(|&(_, n)| n) == Some('\n') => {
                    end = at + 2;
                    break;
                }
                _ => field.push(c),
            }
            at_start = false;
        }
        if quoted {
            self.rest = "";
            return Some(Err("a quoted CSV field is not closed"));
        }
        fields.push(field);
        self.rest = self.rest.get(end..).unwrap_or_default();
        Some(Ok(fields))
    }
}

/// The length in bytes of the CSV field that `text` starts with, quotes and doubled
/// quotes included: a bound on its unquoted text.
fn field_extent(text: &str) -> usize {
    let mut quoted = false;
    for (at, b) in text.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b',' | b'\n' | b'\r' if !quoted => return at,
            _ => {}
        }
    }
    text.len()
}

/// The key derivation a password-protected export names.
enum Kdf {
    Pbkdf2 {
        iterations: u64,
    },
    Argon2id {
        passes: u64,
        memory_kib: u64,
        lanes: u64,
    },
}

fn read_encrypted(
    json: &Value,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Result<ImportFormat, Error> {
    let format = ImportFormat::BitwardenEncrypted;
    let number = |key: &str, what: &'static str| {
        json.get(key)
            .and_then(Value::u64)
            .ok_or_else(|| malformed(format, what))
    };
    let salt = json
        .get_str("salt")
        .ok_or_else(|| malformed(format, "its salt is missing"))?;
    let kdf = match number("kdfType", "its kdfType is missing")? {
        0 => Kdf::Pbkdf2 {
            iterations: number("kdfIterations", "its kdfIterations is missing")?,
        },
        1 => Kdf::Argon2id {
            passes: number("kdfIterations", "its kdfIterations is missing")?,
            memory_kib: number("kdfMemory", "its kdfMemory is missing")?.saturating_mul(1024),
            lanes: number("kdfParallelism", "its kdfParallelism is missing")?,
        },
        _ => {
            return Err(malformed(
                format,
                "its kdfType is not 0 (PBKDF2) or 1 (Argon2id)",
            ))
        }
    };
    let validation = EncString::parse(
        json.get_str("encKeyValidation_DO_NOT_EDIT"),
        "its encKeyValidation_DO_NOT_EDIT is not an EncString of type 2",
    )?;
    let data = EncString::parse(
        json.get_str("data"),
        "its data is not an EncString of type 2",
    )?;
    let limits = &options.limits;
    match kdf {
        Kdf::Pbkdf2 { iterations } => {
            crypto::check("PBKDF2 iterations", iterations, limits.max_iterations)?;
        }
        Kdf::Argon2id {
            passes,
            memory_kib,
            lanes,
        } => {
            crypto::argon2_cost(memory_kib, passes, lanes, limits)?;
        }
    }
    let password = password(options, format)?;
    let master = match kdf {
        Kdf::Pbkdf2 { iterations } => crypto::pbkdf2(
            Prf::Sha256,
            password.as_bytes(),
            salt.as_bytes(),
            iterations,
            32,
            limits,
        )?,
        Kdf::Argon2id {
            passes,
            memory_kib,
            lanes,
        } => crypto::argon2(
            argon2::Algorithm::Argon2id,
            password.as_bytes(),
            &Sha256::digest(salt.as_bytes()),
            memory_kib,
            passes,
            lanes,
            32,
            limits,
        )?,
    };
    let keys = Keys::stretch(&master).ok_or_else(|| malformed(format, "its key is malformed"))?;
    keys.open(&validation)?;
    // The password is right: data that does not open now was changed.
    let plain = keys.open(&data).map_err(|err| {
        if err.code() == crate::Code::WrongPassword {
            malformed(
                format,
                "its data does not open with the key the password gave: the file was changed",
            )
        } else {
            err
        }
    })?;
    let text = core::str::from_utf8(&plain)
        .map_err(|_| malformed(format, "its data is not UTF-8 text"))?;
    let inner = Value::parse(text).ok_or_else(|| malformed(format, "its data is not JSON"))?;
    let items = inner
        .get("items")
        .and_then(Value::array)
        .ok_or_else(|| malformed(format, "its data holds no items"))?;
    read_items(items, out)?;
    Ok(format)
}

/// An EncString of type 2: AES-256-CBC, then HMAC-SHA256 over iv ‖ ciphertext.
struct EncString {
    iv: Zeroizing<Vec<u8>>,
    sealed: Zeroizing<Vec<u8>>,
    mac: Zeroizing<Vec<u8>>,
}

impl EncString {
    fn parse(text: Option<&str>, what: &'static str) -> Result<EncString, Error> {
        let bad = || malformed(ImportFormat::BitwardenEncrypted, what);
        let body = text.and_then(|t| t.strip_prefix("2.")).ok_or_else(bad)?;
        let mut parts = body.split('|').map(base64::decode);
        let (Some(Ok(iv)), Some(Ok(sealed)), Some(Ok(mac)), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if iv.len() != 16
            || mac.len() != 32
            || sealed.is_empty()
            || !sealed.len().is_multiple_of(16)
        {
            return Err(bad());
        }
        Ok(EncString { iv, sealed, mac })
    }
}

/// The cipher and MAC keys HKDF stretches the master key into.
struct Keys {
    enc: Zeroizing<[u8; 32]>,
    mac: Zeroizing<[u8; 32]>,
}

impl Keys {
    fn stretch(master: &[u8]) -> Option<Keys> {
        let hkdf = hkdf::Hkdf::<Sha256>::from_prk(master).ok()?;
        let mut keys = Keys {
            enc: Zeroizing::new([0; 32]),
            mac: Zeroizing::new([0; 32]),
        };
        hkdf.expand(b"enc", keys.enc.as_mut_slice()).ok()?;
        hkdf.expand(b"mac", keys.mac.as_mut_slice()).ok()?;
        Some(keys)
    }

    /// The plaintext: `WRONG_PASSWORD` when the MAC does not match (checked first, in
    /// constant time), `INVALID_IMPORT` when it does but the padding is not PKCS#7.
    fn open(&self, enc: &EncString) -> Result<Zeroizing<Vec<u8>>, Error> {
        let format = ImportFormat::BitwardenEncrypted;
        let mut mac = hmac::Hmac::<Sha256>::new_from_slice(self.mac.as_slice())
            .map_err(|_| malformed(format, "its key is malformed"))?;
        mac.update(&enc.iv);
        mac.update(&enc.sealed);
        mac.verify_slice(&enc.mac)
            .map_err(|_| wrong_password(format))?;
        crypto::aes_cbc_open(self.enc.as_slice(), &enc.iv, &enc.sealed)
            .ok_or_else(|| malformed(format, "its padding is not PKCS#7"))
    }
}
