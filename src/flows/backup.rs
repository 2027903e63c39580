//! Backup codes: a set of single-use codes shown once, stored as salted hashes.
//!
//! Each code is 12 characters of Crockford base32 (60 bits), shown as `XXXX-XXXX-XXXX`.
//! The record keeps one 16-byte salt and, per code, PBKDF2-HMAC-SHA-256 of the code
//! with 10,000 iterations. Guessing one of ten codes from a stolen record takes on
//! average 2^60 / 10 codes × 10,000 iterations × 2 ≈ 2.3 × 10^21 SHA-256 compressions:
//! about 3,700 years at 2 × 10^10 a second, a large GPU's rate. A fast hash would make
//! that about four months, and 8-character codes about a day. Verifying costs one
//! derivation, compared against every stored hash in constant time.

use super::{b64, crockford_code, normalize_crockford, random, same, unb64, utc_date};
use crate::entropy::Entropy;
use crate::error::{Error, ErrorKind};
use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
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

/// What a site stores: salted hashes of the codes and which are spent. Serialise it as
/// it is; it holds no code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupRecord {
    /// PBKDF2-HMAC-SHA-256 iterations.
    pub iterations: u32,
    /// The 16-byte salt, URL-safe base64.
    pub salt: String,
    /// Each code's 32-byte hash, URL-safe base64, or `None` once the code was used.
    pub hashes: Vec<Option<String>>,
    /// When the set was made, Unix milliseconds.
    pub created_at: i64,
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

/// Makes a set of `count` codes. Making a new set is how codes are regenerated: store
/// the new record in place of the old one, and the old codes match nothing.
///
/// # Errors
///
/// `INVALID_OPTIONS` for a count outside 1–100; `ENTROPY_UNAVAILABLE`.
///
/// # Example
///
/// ```
/// use twofa::flows::backup;
/// # let mut s = 0x9e37_79b9_7f4a_7c15u64; let mut os_random = |buf: &mut [u8]| { for b in buf { s ^= s << 13; s ^= s >> 7; s ^= s << 17; *b = s as u8; } Ok(()) };
/// let set = backup::generate(10, 1_700_000_000_000, &mut os_random)?;
/// assert_eq!(set.codes.len(), 10);
/// assert_eq!(set.codes[0].len(), 14); // XXXX-XXXX-XXXX
///
/// let check = backup::verify(&set.record, &set.codes[3].to_lowercase())?;
/// assert!(check.matched);
/// assert_eq!(check.remaining, 9);
/// // Spent: the same code never works again.
/// assert!(!backup::verify(&check.record, &set.codes[3])?.matched);
/// # Ok::<(), twofa::Error>(())
/// ```
pub fn generate(count: usize, now: i64, mut entropy: impl Entropy) -> Result<BackupCodes, Error> {
    if !(1..=MAX_COUNT).contains(&count) {
        return Err(Error::new(ErrorKind::Invalid(
            "count must be a whole number from 1 to 100",
        )));
    }
    let salt = random::<16>(&mut entropy)?;
    let mut codes = Vec::with_capacity(count);
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
        codes.push(code);
    }
    Ok(BackupCodes {
        codes,
        record: BackupRecord {
            iterations: DEFAULT_ITERATIONS,
            salt: b64(&*salt),
            hashes,
            created_at: now,
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
/// - `INVALID_RECORD` for a record that is not one [`generate`] made.
pub fn verify(record: &BackupRecord, input: &str) -> Result<BackupCheck, Error> {
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
    if let Some(slot) = found.and_then(|i| record.hashes.get_mut(i)) {
        *slot = None;
    }
    Ok(BackupCheck {
        matched: found.is_some(),
        remaining: record.hashes.iter().filter(|h| h.is_some()).count(),
        record,
    })
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
