//! Backup codes: a set of single-use codes shown once, stored as salted hashes.
//!
//! Each code is 12 characters of Crockford base32 (60 bits), shown as `XXXX-XXXX-XXXX`.
//! The record keeps one 16-byte salt and, per code, PBKDF2-HMAC-SHA-256 of the code
//! with 10,000 iterations. Guessing one of ten codes from a stolen record takes on
//! average 2^60 / 10 codes × 10,000 iterations × 2 ≈ 2.3 × 10^21 SHA-256 compressions:
//! about 3,700 years at 2 × 10^10 a second, a large GPU's rate. A fast hash would make
//! that about four months, and 8-character codes about a day. Verifying costs one
//! derivation, compared against every stored hash in constant time.
//!
//! A set made with a site key ([`BackupOptions::key`]) can be shown again: the record
//! also keeps each code sealed with XChaCha20-Poly1305, under a key derived from the
//! site key (HMAC-SHA-256 of a domain string), with a fresh 24-byte nonce per code and
//! the record's salt, iterations and the code's index as associated data, so that no
//! entry can be moved to another place or record. [`reveal`] opens the unused ones;
//! [`verify`] drops a spent code's sealed copy with its hash. Whoever holds the site
//! key and the record can read the unused codes: keep that key as you keep TOTP
//! secrets.

use super::{
    b64, crockford_code, hmac_sha256, next_revision, normalize_crockford, random, same, unb64,
    utc_date, MAX_TIME,
};
use crate::entropy::Entropy;
use crate::error::{Error, ErrorKind};
use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

/// Codes in a set unless asked otherwise.
pub const DEFAULT_COUNT: usize = 10;
/// The most codes in one set.
pub const MAX_COUNT: usize = 100;
/// Characters in a code, not counting the hyphens: 60 bits.
pub const CODE_LEN: usize = 12;
/// PBKDF2 iterations for new records. Records keep their own count, so it can rise.
pub const DEFAULT_ITERATIONS: u32 = 10_000;
/// The most iterations a record may ask for, so a forged record cannot stall a server.
pub const MAX_ITERATIONS: u32 = 1_000_000;

/// A sealed code: a 24-byte nonce, the 12 characters and a 16-byte tag.
const SEALED_LEN: usize = 24 + CODE_LEN + 16;
/// What the AEAD key is derived with from the site key (its HMAC-SHA-256 message).
const KEY_DOMAIN: &[u8] = b"twofa backup codes key v1\0";
/// What each sealed code's associated data starts with.
const SEAL_DOMAIN: &[u8] = b"twofa backup code v1\0";

/// What a site stores: salted hashes of the codes and which are spent, and with a key,
/// the codes sealed. Serialise it as it is; it holds no code in the clear.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupRecord {
    /// PBKDF2-HMAC-SHA-256 iterations.
    pub iterations: u32,
    /// The 16-byte salt, URL-safe base64.
    pub salt: String,
    /// Each code's 32-byte hash, URL-safe base64, or `None` once the code was used.
    pub hashes: Vec<Option<String>>,
    /// With a site key: each code sealed (nonce, ciphertext and tag, URL-safe base64),
    /// parallel to `hashes` and `None` where it is. Without one, `None`.
    pub sealed: Option<Vec<Option<String>>>,
    /// When the set was made, Unix milliseconds.
    pub created_at: i64,
    /// 1 for a new set (or one more than the set it replaces), one more at each check.
    pub revision: u64,
}

/// How a set is made.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct BackupOptions<'a> {
    /// Codes in the set, 1 to 100.
    pub count: usize,
    /// A site key of 16 to 1,024 bytes (32 random bytes is right) to seal the codes
    /// with, so that [`reveal`] can show the unused ones again; `None` keeps only hashes.
    pub key: Option<&'a [u8]>,
    /// The revision of the record this set replaces, if any.
    pub replaces: Option<u64>,
}

impl Default for BackupOptions<'_> {
    /// Ten codes, hashes only, a first record.
    fn default() -> Self {
        BackupOptions {
            count: DEFAULT_COUNT,
            key: None,
            replaces: None,
        }
    }
}

impl core::fmt::Debug for BackupOptions<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("BackupOptions")
            .field("count", &self.count)
            .field("key", &self.key.map(|_| "[key]"))
            .field("replaces", &self.replaces)
            .finish()
    }
}

/// A new set: the codes to show once, and the record to store.
#[derive(Clone, PartialEq, Eq)]
pub struct BackupCodes {
    /// The codes, `XXXX-XXXX-XXXX`. Show them once and drop them.
    pub codes: Vec<Zeroizing<String>>,
    /// The record to store.
    pub record: BackupRecord,
}

impl core::fmt::Debug for BackupCodes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("BackupCodes")
            .field("codes", &format_args!("[{} codes]", self.codes.len()))
            .field("record", &self.record)
            .finish()
    }
}

/// The result of [`verify`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupCheck {
    /// Whether the input was an unused code of the set.
    pub matched: bool,
    /// Codes left unused after this check.
    pub remaining: usize,
    /// The record to store: the matched code is spent in it.
    pub record: BackupRecord,
}

/// Makes a set of codes. Making a new set is how codes are regenerated: store the new
/// record in place of the old one (give its revision as `replaces`), and the old codes
/// match nothing.
///
/// # Errors
///
/// `INVALID_OPTIONS` for a count outside 1–100; `INVALID_KEY` for a key outside 16 to
/// 1,024 bytes; `INVALID_RECORD` when `replaces` is the last revision there is;
/// `ENTROPY_UNAVAILABLE`.
///
/// # Example
///
/// ```
/// use twofa::flows::backup::{self, BackupOptions};
/// # let mut s = 0x9e37_79b9_7f4a_7c15u64; let mut os_random = |buf: &mut [u8]| { for b in buf { s ^= s << 13; s ^= s >> 7; s ^= s << 17; *b = s as u8; } Ok(()) };
/// let set = backup::generate(&BackupOptions::default(), 1_700_000_000_000, &mut os_random)?;
/// assert_eq!(set.codes.len(), 10);
/// assert_eq!(set.codes[0].len(), 14); // XXXX-XXXX-XXXX
/// assert_eq!(set.record.revision, 1);
///
/// let check = backup::verify(&set.record, &set.codes[3].to_lowercase())?;
/// assert!(check.matched);
/// assert_eq!(check.remaining, 9);
/// assert_eq!(check.record.revision, 2);
/// // Spent: the same code never works again.
/// assert!(!backup::verify(&check.record, &set.codes[3])?.matched);
///
/// // A new set in place of the old one.
/// let options = BackupOptions { count: 5, replaces: Some(check.record.revision), ..BackupOptions::default() };
/// let next = backup::generate(&options, 1_700_000_000_000, &mut os_random)?;
/// assert_eq!(next.record.revision, 3);
/// # Ok::<(), twofa::Error>(())
/// ```
pub fn generate(
    options: &BackupOptions<'_>,
    now: i64,
    mut entropy: impl Entropy,
) -> Result<BackupCodes, Error> {
    let count = options.count;
    if !(1..=MAX_COUNT).contains(&count) {
        return Err(Error::new(ErrorKind::Invalid(
            "count must be a whole number from 1 to 100",
        )));
    }
    let cipher = options.key.map(cipher).transpose()?;
    let revision = next_revision(options.replaces)?;
    let salt = random::<16>(&mut entropy)?;
    let mut codes = Vec::with_capacity(count);
    let mut plains = Vec::with_capacity(count);
    let mut hashes = Vec::with_capacity(count);
    let mut draws = 0;
    while codes.len() < count {
        let code = crockford_code(CODE_LEN, &mut entropy)?;
        // Two equal codes in a set (odds about 2^-54 for ten) would let one spend twice.
        // A source that keeps repeating itself is broken, not unlucky.
        draws += 1;
        if codes.contains(&code) {
            if draws > 2 * count + 8 {
                return Err(Error::new(ErrorKind::Entropy));
            }
            continue;
        }
        let plain = normalize_crockford(&code, CODE_LEN)?;
        hashes.push(Some(b64(&*derive(&plain, &*salt, DEFAULT_ITERATIONS))));
        plains.push(plain);
        codes.push(code);
    }
    // Sealed after every code is drawn, so a key changes no code a source gives.
    let sealed = match cipher {
        None => None,
        Some(cipher) => {
            let mut sealed = Vec::with_capacity(count);
            for (index, plain) in plains.iter().enumerate() {
                let nonce = random::<24>(&mut entropy)?;
                let aad = associated(&*salt, DEFAULT_ITERATIONS, index);
                let mut entry = Vec::with_capacity(SEALED_LEN);
                entry.extend_from_slice(&*nonce);
                entry.extend_from_slice(
                    &cipher
                        .encrypt(
                            &XNonce::from(*nonce),
                            Payload {
                                msg: plain.as_bytes(),
                                aad: &aad,
                            },
                        )
                        .map_err(|_| Error::new(ErrorKind::Entropy))?,
                );
                sealed.push(Some(b64(&entry)));
            }
            Some(sealed)
        }
    };
    Ok(BackupCodes {
        codes,
        record: BackupRecord {
            iterations: DEFAULT_ITERATIONS,
            salt: b64(&*salt),
            hashes,
            sealed,
            // Inside the range of a `Date`, as every time a record holds.
            created_at: now.clamp(-MAX_TIME, MAX_TIME),
            revision,
        },
    })
}

/// Checks a typed code against a record. Input is case-insensitive; spaces and hyphens
/// are ignored, and `O`, `I` and `L` are read as `0`, `1` and `1`.
///
/// # Errors
///
/// - `INVALID_TOKEN` for input that cannot be a code: its length, or the position of a
///   character that codes never use. Nothing is spent.
/// - `INVALID_RECORD` for a record that is not one [`generate`] made, or whose revision
///   is the last there is.
pub fn verify(record: &BackupRecord, input: &str) -> Result<BackupCheck, Error> {
    let (salt, stored) = hashes(record)?;
    sealed(record)?;
    let revision = next_revision(Some(record.revision))?;
    let plain = normalize_crockford(input, CODE_LEN)?;
    let derived = derive(&plain, &salt, record.iterations);
    // Every stored hash is compared, whichever matches.
    let mut found = None;
    for (index, hash) in stored.iter().enumerate() {
        if let Some(hash) = hash {
            if same(hash, &*derived) && found.is_none() {
                found = Some(index);
            }
        }
    }
    let mut record = record.clone();
    record.revision = revision;
    if let Some(index) = found {
        if let Some(slot) = record.hashes.get_mut(index) {
            *slot = None;
        }
        // A spent code is never shown again: its sealed copy goes with its hash.
        if let Some(slot) = record.sealed.as_mut().and_then(|s| s.get_mut(index)) {
            *slot = None;
        }
    }
    Ok(BackupCheck {
        matched: found.is_some(),
        remaining: record.hashes.iter().filter(|h| h.is_some()).count(),
        record,
    })
}

/// The unused codes of a set made with a key, in order, as `XXXX-XXXX-XXXX`: for "view
/// your backup codes" in a site's security settings. `keys` are the current site key
/// first, then retired ones still honoured, as for device tokens. Each code opened is
/// checked against its hash.
///
/// # Errors
///
/// - `INVALID_KEY` for a key outside 16 to 1,024 bytes; `INVALID_OPTIONS` for no key.
/// - `INVALID_RECORD` for a record made without a key, one whose `sealed` does not
///   match its `hashes`, or a sealed code that no key opens (a wrong key, or a changed
///   record) or that does not match its hash.
///
/// # Example
///
/// ```
/// use twofa::flows::backup::{self, BackupOptions};
/// # let mut s = 0x9e37_79b9_7f4a_7c15u64; let mut os_random = |buf: &mut [u8]| { for b in buf { s ^= s << 13; s ^= s >> 7; s ^= s << 17; *b = s as u8; } Ok(()) };
/// let key = [7u8; 32]; // 32 random bytes in real use, kept like TOTP secrets
/// let options = BackupOptions { count: 3, key: Some(&key), ..BackupOptions::default() };
/// let set = backup::generate(&options, 1_700_000_000_000, &mut os_random)?;
/// let check = backup::verify(&set.record, &set.codes[1])?;
///
/// let shown = backup::reveal(&[&key[..]], &check.record)?;
/// assert_eq!(shown.len(), 2); // the spent code is gone
/// assert_eq!((&*shown[0], &*shown[1]), (&*set.codes[0], &*set.codes[2]));
/// # Ok::<(), twofa::Error>(())
/// ```
pub fn reveal(keys: &[&[u8]], record: &BackupRecord) -> Result<Vec<Zeroizing<String>>, Error> {
    if keys.is_empty() {
        return Err(Error::new(ErrorKind::Invalid(
            "keys must hold at least one key",
        )));
    }
    let ciphers = keys
        .iter()
        .map(|key| cipher(key))
        .collect::<Result<Vec<_>, _>>()?;
    let (salt, stored) = hashes(record)?;
    let sealed = sealed(record)?.ok_or_else(|| {
        Error::new(ErrorKind::RecordText(
            "record has no sealed codes: only a set made with a key can be shown again",
        ))
    })?;
    let mut codes = Vec::with_capacity(sealed.len());
    // Every entry is opened before any is hashed: a changed record costs no derivation.
    for (index, entry) in sealed.iter().enumerate() {
        let Some(entry) = entry else { continue };
        let (nonce, ciphertext) = entry.split_at(24);
        let nonce = XNonce::from(<[u8; 24]>::try_from(nonce).unwrap_or_default());
        let aad = associated(&salt, record.iterations, index);
        let plain = ciphers
            .iter()
            .find_map(|cipher| {
                cipher
                    .decrypt(
                        &nonce,
                        Payload {
                            msg: ciphertext,
                            aad: &aad,
                        },
                    )
                    .ok()
            })
            .map(Zeroizing::new)
            .ok_or_else(|| Error::new(ErrorKind::RecordText(
                "record has a sealed code that none of the keys opens: a wrong key, or a changed record",
            )))?;
        let plain = core::str::from_utf8(&plain)
            .ok()
            .and_then(|text| normalize_crockford(text, CODE_LEN).ok())
            .ok_or_else(|| Error::new(ErrorKind::Record("sealed")))?;
        codes.push((index, plain));
    }
    let mut out = Vec::with_capacity(codes.len());
    for (index, plain) in codes {
        let hash = stored.get(index).copied().flatten();
        if !hash.is_some_and(|hash| same(&hash, &*derive(&plain, &salt, record.iterations))) {
            return Err(Error::new(ErrorKind::RecordText(
                "record has a sealed code that does not match its hash",
            )));
        }
        let mut code = Zeroizing::new(String::with_capacity(CODE_LEN + 2));
        for (i, c) in plain.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                code.push('-');
            }
            code.push(c);
        }
        out.push(code);
    }
    Ok(out)
}

/// The codes as plain text for "Print" and "Download": a title, the account, the date,
/// the numbered codes and what to do with them.
///
/// # Example
///
/// ```
/// let codes = ["ABCD-EFGH-JKMN", "PQRS-TVWX-YZ01"];
/// let text = twofa::flows::backup::to_text(&codes, Some("ACME"), "ada@example.com", 1_700_000_000_000);
/// assert!(text.starts_with("ACME backup codes\nAccount: ada@example.com\nCreated: 2023-11-14\n\n 1. ABCD-EFGH-JKMN\n 2. PQRS-TVWX-YZ01\n"));
/// ```
#[must_use]
pub fn to_text<S: AsRef<str>>(
    codes: &[S],
    issuer: Option<&str>,
    account: &str,
    now: i64,
) -> String {
    // One line each: control characters (a newline in a name) become spaces.
    let line = |text: &str| -> String {
        text.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            .trim()
            .to_owned()
    };
    let mut out = String::with_capacity(256 + codes.len() * 20);
    match issuer.map(line).filter(|i| !i.is_empty()) {
        Some(issuer) => out.push_str(&format!("{issuer} backup codes\n")),
        None => out.push_str("Backup codes\n"),
    }
    out.push_str(&format!(
        "Account: {}\nCreated: {}\n\n",
        line(account),
        utc_date(now)
    ));
    for (i, code) in codes.iter().enumerate() {
        out.push_str(&format!("{:>2}. {}\n", i + 1, code.as_ref()));
    }
    out.push_str(
        "\nEach code signs you in once, when you cannot use your authenticator.\n\
         Keep them somewhere safe, such as a password manager or a locked drawer:\n\
         anyone who has them can get into your account. Making a new set cancels these.\n",
    );
    out
}

fn derive(code: &str, salt: &[u8], iterations: u32) -> Zeroizing<[u8; 32]> {
    Zeroizing::new(crate::otp::pbkdf2_sha256(code.as_bytes(), salt, iterations))
}

/// The record's salt and its hashes (`None` where spent), checked: 1 to 100 of them, no
/// two the same, and iterations in range.
#[allow(clippy::type_complexity)]
fn hashes(record: &BackupRecord) -> Result<([u8; 16], Vec<Option<[u8; 32]>>), Error> {
    let salt = unb64::<16>(&record.salt, "salt")?;
    if !(1..=MAX_ITERATIONS).contains(&record.iterations) {
        return Err(Error::new(ErrorKind::Record("iterations")));
    }
    if record.hashes.is_empty() || record.hashes.len() > MAX_COUNT {
        return Err(Error::new(ErrorKind::Record("hashes")));
    }
    let stored = record
        .hashes
        .iter()
        .map(|h| h.as_deref().map(|h| unb64::<32>(h, "hashes")).transpose())
        .collect::<Result<Vec<_>, _>>()?;
    // A record with one hash twice would let one code be spent twice: not one of ours.
    let live: Vec<&[u8; 32]> = stored.iter().flatten().collect();
    if live
        .iter()
        .enumerate()
        .any(|(i, a)| live.iter().skip(i + 1).any(|b| a == b))
    {
        return Err(Error::new(ErrorKind::Record("hashes")));
    }
    Ok((salt, stored))
}

/// The record's sealed codes, if it has them: one per hash, present exactly where the
/// hash is, each 52 bytes.
#[allow(clippy::type_complexity)]
fn sealed(record: &BackupRecord) -> Result<Option<Vec<Option<[u8; SEALED_LEN]>>>, Error> {
    let Some(sealed) = &record.sealed else {
        return Ok(None);
    };
    if sealed.len() != record.hashes.len() {
        return Err(Error::new(ErrorKind::RecordText(
            "record field sealed must have one entry for each hash",
        )));
    }
    if sealed
        .iter()
        .zip(&record.hashes)
        .any(|(s, h)| s.is_some() != h.is_some())
    {
        return Err(Error::new(ErrorKind::RecordText(
            "record field sealed must be null exactly where hashes is",
        )));
    }
    sealed
        .iter()
        .map(|s| {
            s.as_deref()
                .map(|s| unb64::<SEALED_LEN>(s, "sealed"))
                .transpose()
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// The AEAD under a site key: its key is HMAC-SHA-256 of a domain string under the site
/// key, so that one site key can also sign device tokens.
fn cipher(key: &[u8]) -> Result<XChaCha20Poly1305, Error> {
    super::check_key(key)?;
    let derived = Zeroizing::new(hmac_sha256(key, &[KEY_DOMAIN]));
    Ok(XChaCha20Poly1305::new(&Key::from(*derived)))
}

/// A sealed code's associated data: the domain, the record's salt and iterations, and
/// the code's place in the record.
fn associated(salt: &[u8], iterations: u32, index: usize) -> Vec<u8> {
    let mut aad = Vec::with_capacity(SEAL_DOMAIN.len() + salt.len() + 8);
    aad.extend_from_slice(SEAL_DOMAIN);
    aad.extend_from_slice(salt);
    aad.extend_from_slice(&iterations.to_be_bytes());
    aad.extend_from_slice(&u32::try_from(index).unwrap_or(u32::MAX).to_be_bytes());
    aad
}
