//! Recovery codes: single-use codes that an account owner issues for a named user, and
//! that expire, an hour after issue by default.
//!
//! A code is 16 characters of Crockford base32 (80 bits), `XXXX-XXXX-XXXX-XXXX`. The
//! record keeps HMAC-SHA-256 of the user and the code under a 16-byte salt: at 80 bits
//! a fast hash already puts guessing out of reach (2^79 tries on average), and the
//! short lifetime bounds the rest.

use super::{
    b64, crockford_code, hmac_sha256, next_revision, normalize_crockford, random, same, unb64,
    until, MAX_TIME,
};
use crate::entropy::Entropy;
use crate::error::{Error, ErrorKind};
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// Characters in a code, not counting the hyphens: 80 bits.
pub const CODE_LEN: usize = 16;
/// An hour, in milliseconds.
pub const DEFAULT_TTL_MS: i64 = 3_600_000;

/// What a site stores for one issued code. It holds no code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoveryRecord {
    /// The user the code was issued for.
    pub user: String,
    /// The 16-byte salt, URL-safe base64.
    pub salt: String,
    /// HMAC-SHA-256 of the user and code, URL-safe base64.
    pub hash: String,
    /// When it was issued, Unix milliseconds.
    pub issued_at: i64,
    /// The first instant it no longer works, Unix milliseconds.
    pub expires_at: i64,
    /// When it was used, if it was.
    pub used_at: Option<i64>,
    /// 1 for a new code (or one more than the record it replaces), one more when it is
    /// spent.
    pub revision: u64,
}

/// A code to issue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecoveryOptions<'a> {
    /// The user it is for.
    pub user: &'a str,
    /// Its lifetime in milliseconds, 1 ms to a year.
    pub ttl_ms: i64,
    /// The revision of the record the new one replaces, if any (a code issued again in
    /// the same place).
    pub replaces: Option<u64>,
}

impl<'a> RecoveryOptions<'a> {
    /// A first code for `user`, valid an hour.
    #[must_use]
    pub const fn new(user: &'a str) -> RecoveryOptions<'a> {
        RecoveryOptions {
            user,
            ttl_ms: DEFAULT_TTL_MS,
            replaces: None,
        }
    }
}

/// Why a recovery code did or did not work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecoveryStatus {
    /// It matched an unused, unexpired code for that user, which is now spent.
    Ok,
    /// It matched a code for that user whose lifetime is over.
    Expired,
    /// It matched a code for that user that was already used.
    Used,
    /// It matched no code issued for that user.
    Unknown,
}

impl RecoveryStatus {
    /// `"OK"`, `"EXPIRED"`, `"USED"` or `"UNKNOWN"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            RecoveryStatus::Ok => "OK",
            RecoveryStatus::Expired => "EXPIRED",
            RecoveryStatus::Used => "USED",
            RecoveryStatus::Unknown => "UNKNOWN",
        }
    }
}

/// Issues a code for `options.user`, valid from `now` until just before `now + ttl_ms`.
///
/// # Errors
///
/// `INVALID_OPTIONS` for an empty user or a lifetime outside 1 ms–1 year;
/// `INVALID_RECORD` when `replaces` is the last revision there is;
/// `ENTROPY_UNAVAILABLE`.
///
/// # Example
///
/// ```
/// use twofa::flows::recovery::{self, RecoveryOptions, RecoveryStatus};
/// # let mut s = 0x9e37_79b9_7f4a_7c15u64; let mut os_random = |buf: &mut [u8]| { for b in buf { s ^= s << 13; s ^= s >> 7; s ^= s << 17; *b = s as u8; } Ok(()) };
/// let now = 1_700_000_000_000;
/// let (code, record) = recovery::issue(&RecoveryOptions::new("ada"), now, &mut os_random)?;
/// assert_eq!(record.revision, 1);
/// let records = vec![record];
/// let (status, records) = recovery::verify(&records, "ada", &code, now + 60_000)?;
/// assert_eq!(status, RecoveryStatus::Ok);
/// assert_eq!(records[0].revision, 2);
/// assert_eq!(recovery::verify(&records, "ada", &code, now + 61_000)?.0, RecoveryStatus::Used);
/// # Ok::<(), twofa::Error>(())
/// ```
pub fn issue(
    options: &RecoveryOptions<'_>,
    now: i64,
    mut entropy: impl Entropy,
) -> Result<(Zeroizing<String>, RecoveryRecord), Error> {
    let RecoveryOptions {
        user,
        ttl_ms,
        replaces,
    } = *options;
    if user.is_empty() {
        return Err(Error::new(ErrorKind::Invalid("user must not be empty")));
    }
    if !(1..=31_622_400_000).contains(&ttl_ms) {
        return Err(Error::new(ErrorKind::Invalid(
            "ttl must be a whole number of milliseconds from 1 to a year",
        )));
    }
    let revision = next_revision(replaces)?;
    let salt = random::<16>(&mut entropy)?;
    let code = crockford_code(CODE_LEN, &mut entropy)?;
    let plain = normalize_crockford(&code, CODE_LEN)?;
    let record = RecoveryRecord {
        user: user.to_owned(),
        salt: b64(&*salt),
        hash: b64(&digest(user, &plain, &*salt)),
        // Inside the range of a `Date`, as every time a record holds: the binding reads
        // no other.
        issued_at: now.clamp(-MAX_TIME, MAX_TIME),
        expires_at: until(now, ttl_ms),
        used_at: None,
        revision,
    };
    Ok((code, record))
}

/// Checks a typed code for `user` against the issued records. A matching code is spent
/// in the returned records, at the next revision; the rest are returned unchanged. A code issued for another
/// user is `Unknown`, so a failure never tells whose code it was.
///
/// # Errors
///
/// - `INVALID_TOKEN` for input that cannot be a code (its length, or the position of a
///   character that codes never use).
/// - `INVALID_RECORD` for a record with a malformed salt or hash, or a code to spend whose
///   revision is the last there is.
pub fn verify(
    records: &[RecoveryRecord],
    user: &str,
    input: &str,
    now: i64,
) -> Result<(RecoveryStatus, Vec<RecoveryRecord>), Error> {
    let plain = normalize_crockford(input, CODE_LEN)?;
    let mut found = None;
    for (index, record) in records.iter().enumerate() {
        let salt = unb64::<16>(&record.salt, "salt")?;
        let hash = unb64::<32>(&record.hash, "hash")?;
        if record.user == user && same(&hash, &digest(user, &plain, &salt)) && found.is_none() {
            found = Some(index);
        }
    }
    let mut records = records.to_vec();
    let status = match found.and_then(|i| records.get_mut(i)) {
        None => RecoveryStatus::Unknown,
        Some(record) if record.used_at.is_some() => RecoveryStatus::Used,
        Some(record) if now >= record.expires_at => RecoveryStatus::Expired,
        Some(record) => {
            record.revision = next_revision(Some(record.revision))?;
            record.used_at = Some(now.clamp(-MAX_TIME, MAX_TIME));
            RecoveryStatus::Ok
        }
    };
    Ok((status, records))
}

fn digest(user: &str, code: &str, salt: &[u8]) -> [u8; 32] {
    hmac_sha256(salt, &[user.as_bytes(), &[0], code.as_bytes()])
}
