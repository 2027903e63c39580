//! The HMAC hash functions of RFC 6238, and the dynamic truncation of RFC 4226 §5.3.

use super::hmac::{self, Hash, Keyed};
use crate::error::{Error, ErrorKind};
use core::fmt;
use core::str::FromStr;

/// The hash function behind the HMAC.
///
/// SHA-1 is the default and what nearly every authenticator app uses. HMAC-SHA-1 is
/// not affected by SHA-1's collision attacks, so it remains sound for one-time codes.
///
/// # Example
///
/// ```
/// use twofa::Algorithm;
///
/// assert_eq!("sha-256".parse::<Algorithm>()?, Algorithm::Sha256);
/// assert_eq!(Algorithm::Sha512.to_string(), "SHA512");
/// assert_eq!("MD5".parse::<Algorithm>().unwrap_err().code(), "UNSUPPORTED_ALGORITHM");
/// # Ok::<(), twofa::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// HMAC-SHA-1 (RFC 4226), the default.
    #[default]
    Sha1,
    /// HMAC-SHA-256 (RFC 6238).
    Sha256,
    /// HMAC-SHA-512 (RFC 6238).
    Sha512,
}

impl Algorithm {
    /// The canonical name, as otpauth:// URIs write it: `SHA1`, `SHA256` or `SHA512`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }
}

impl FromStr for Algorithm {
    type Err = Error;

    /// Parses a name case-insensitively, with or without a hyphen: `SHA1`, `sha-256`.
    fn from_str(name: &str) -> Result<Algorithm, Error> {
        let bits = name
            .get(..3)
            .filter(|prefix| prefix.eq_ignore_ascii_case("sha"))
            .and_then(|_| name.get(3..))
            .map(|rest| rest.strip_prefix('-').unwrap_or(rest));
        match bits {
            Some("1") => Ok(Algorithm::Sha1),
            Some("256") => Ok(Algorithm::Sha256),
            Some("512") => Ok(Algorithm::Sha512),
            _ => Err(Error::new(ErrorKind::Algorithm)),
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Algorithm {
    /// The hash function.
    pub(crate) fn hash(self) -> &'static Hash {
        match self {
            Algorithm::Sha1 => &hmac::SHA1,
            Algorithm::Sha256 => &hmac::SHA256,
            Algorithm::Sha512 => &hmac::SHA512,
        }
    }
}

/// HMAC(key, counter) truncated to 31 bits (RFC 4226 §5.3): the low nibble of the last
/// byte picks 4 bytes. Every digest is at least 20 bytes, so offset + 4 <= 19, but `get`
/// keeps this free of panics all the same.
pub(crate) fn truncate(keyed: &Keyed, counter: u64) -> u32 {
    let digest = keyed.mac(&[&counter.to_be_bytes()]);
    let bytes = digest.as_bytes();
    let offset = bytes.last().map_or(0, |b| usize::from(b & 0x0f));
    let word = bytes
        .get(offset..offset.saturating_add(4))
        .and_then(|w| <[u8; 4]>::try_from(w).ok())
        .unwrap_or_default();
    u32::from_be_bytes(word) & 0x7fff_ffff
}
