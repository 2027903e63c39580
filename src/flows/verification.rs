//! E-mail and SMS verification codes: a short numeric code with a lifetime and a limit
//! on attempts, after which it is dead.
//!
//! Six digits are 20 bits: no hash stops someone with the record from trying all
//! million. The record keeps HMAC-SHA-256 of the code under a 16-byte salt so that the
//! code is not in the database, its backups or its logs; the lifetime (10 minutes) and
//! the attempt limit (5) are what protect it, and they are enforced here.

use super::{b64, digit_code, hmac_sha256, next_revision, random, same, unb64, until};
use crate::entropy::Entropy;
use crate::error::{Error, ErrorKind};
use crate::Format;
use alloc::string::String;
use zeroize::Zeroizing;

/// Digits unless asked otherwise.
pub const DEFAULT_DIGITS: u32 = 6;
/// Ten minutes, in milliseconds.
pub const DEFAULT_TTL_MS: i64 = 600_000;
/// Wrong tries before the code is dead.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;

/// How codes are made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerificationOptions {
    /// 6 to 10.
    pub digits: u32,
    /// Lifetime in milliseconds, 1 ms to a day.
    pub ttl_ms: i64,
    /// Wrong tries allowed, 1 to 100.
    pub max_attempts: u32,
    /// The revision of the record the new one replaces, if any (a code sent again).
    pub replaces: Option<u64>,
}

impl Default for VerificationOptions {
    fn default() -> VerificationOptions {
        VerificationOptions {
            digits: DEFAULT_DIGITS,
            ttl_ms: DEFAULT_TTL_MS,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            replaces: None,
        }
    }
}

/// What a site stores for a sent code. It holds no code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerificationRecord {
    /// Digits in the code.
    pub digits: u32,
    /// The 16-byte salt, URL-safe base64.
    pub salt: String,
    /// HMAC-SHA-256 of the code, URL-safe base64.
    pub hash: String,
    /// The first instant it no longer works, Unix milliseconds.
    pub expires_at: i64,
    /// Wrong tries left; at 0 the code is dead.
    pub attempts_left: u32,
    /// True once it has been accepted: a code works once.
    pub used: bool,
    /// 1 for a new code (or one more than the record it replaces), one more at each
    /// check. Write a checked record only over the revision that was read.
    pub revision: u64,
}

/// The outcome of [`verify`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerificationOutcome {
    /// The right code, in time; it is now spent.
    Ok,
    /// A wrong code; the record counts the try.
    Wrong,
    /// The lifetime is over.
    Expired,
    /// No tries are left.
    Locked,
    /// The code was already accepted once.
    Used,
}

impl VerificationOutcome {
    /// `"OK"`, `"WRONG"`, `"EXPIRED"`, `"LOCKED"` or `"USED"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            VerificationOutcome::Ok => "OK",
            VerificationOutcome::Wrong => "WRONG",
            VerificationOutcome::Expired => "EXPIRED",
            VerificationOutcome::Locked => "LOCKED",
            VerificationOutcome::Used => "USED",
        }
    }
}

/// Makes a code to send, and the record to keep.
///
/// # Errors
///
/// `INVALID_OPTIONS` for options out of range; `INVALID_RECORD` when `replaces` is the
/// last revision there is; `ENTROPY_UNAVAILABLE`.
///
/// # Example
///
/// ```
/// use twofa::flows::verification::{self, VerificationOptions, VerificationOutcome};
/// # let mut s = 0x9e37_79b9_7f4a_7c15u64; let mut os_random = |buf: &mut [u8]| { for b in buf { s ^= s << 13; s ^= s >> 7; s ^= s << 17; *b = s as u8; } Ok(()) };
/// let now = 1_700_000_000_000;
/// let (code, record) = verification::issue(VerificationOptions::default(), now, &mut os_random)?;
/// assert_eq!(code.len(), 6);
/// let (outcome, record) = verification::verify(&record, &code, now + 1000)?;
/// assert_eq!(outcome, VerificationOutcome::Ok);
/// assert_eq!(record.revision, 2);
/// assert_eq!(verification::verify(&record, &code, now + 2000)?.0, VerificationOutcome::Used);
/// # Ok::<(), twofa::Error>(())
/// ```
pub fn issue(
    options: VerificationOptions,
    now: i64,
    mut entropy: impl Entropy,
) -> Result<(Zeroizing<String>, VerificationRecord), Error> {
    if !(6..=10).contains(&options.digits) {
        return Err(Error::new(ErrorKind::Digits(u64::from(options.digits))));
    }
    if !(1..=86_400_000).contains(&options.ttl_ms) {
        return Err(Error::new(ErrorKind::Invalid(
            "ttl must be a whole number of milliseconds from 1 to a day",
        )));
    }
    if !(1..=100).contains(&options.max_attempts) {
        return Err(Error::new(ErrorKind::Invalid(
            "maxAttempts must be a whole number from 1 to 100",
        )));
    }
    let revision = next_revision(options.replaces)?;
    let salt = random::<16>(&mut entropy)?;
    let code = digit_code(options.digits, &mut entropy)?;
    let record = VerificationRecord {
        digits: options.digits,
        salt: b64(&*salt),
        hash: b64(&hmac_sha256(&*salt, &[code.as_bytes()])),
        expires_at: until(now, options.ttl_ms),
        attempts_left: options.max_attempts,
        used: false,
        revision,
    };
    Ok((code, record))
}

/// Checks a typed code. Spaces and one hyphen are allowed, as in `123 456`.
///
/// A used code is `Used`, a code with no tries left `Locked`, and a code checked at or
/// after `expires_at` `Expired`, before the input is compared. A wrong code costs a try.
/// The record returned has the next revision, whatever the outcome: store it only if
/// the stored record still has the revision that was read, or two parallel guesses
/// would each get the same try.
///
/// # Errors
///
/// - `INVALID_TOKEN` for input that cannot be a code; it costs no try.
/// - `INVALID_RECORD` for a malformed record, or one whose revision is the last there is.
pub fn verify(
    record: &VerificationRecord,
    input: &str,
    now: i64,
) -> Result<(VerificationOutcome, VerificationRecord), Error> {
    let format = Format::digits(u64::from(record.digits))
        .map_err(|_| Error::new(ErrorKind::Record("digits")))?;
    let salt = unb64::<16>(&record.salt, "salt")?;
    let hash = unb64::<32>(&record.hash, "hash")?;
    let typed = format.parse_token(input)?;
    let revision = next_revision(Some(record.revision))?;
    let mut record = record.clone();
    record.revision = revision;
    let outcome = if record.used {
        VerificationOutcome::Used
    } else if record.attempts_left == 0 {
        VerificationOutcome::Locked
    } else if now >= record.expires_at {
        VerificationOutcome::Expired
    } else if same(&hash, &hmac_sha256(&salt, &[typed.as_str().as_bytes()])) {
        record.used = true;
        VerificationOutcome::Ok
    } else {
        record.attempts_left -= 1;
        VerificationOutcome::Wrong
    };
    Ok((outcome, record))
}
