//! The HMAC hash functions of RFC 6238, and the dynamic truncation of RFC 4226 §5.3.

use crate::error::{Error, ErrorKind};
use core::fmt;
use core::str::FromStr;
use hmac::{Hmac, KeyInit, Mac};

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

/// An HMAC already keyed with the secret, cloned for each counter, so the key's pads are
/// computed once per verification rather than once per step. Zeroized on drop.
#[derive(Clone)]
pub(crate) enum Keyed {
    Sha1(Hmac<sha1::Sha1>),
    Sha256(Hmac<sha2::Sha256>),
    Sha512(Hmac<sha2::Sha512>),
}

impl Keyed {
    #[allow(clippy::expect_used)] // HMAC takes keys of any length; this cannot fail.
    pub(crate) fn new(algorithm: Algorithm, key: &[u8]) -> Keyed {
        const ANY_LENGTH: &str = "HMAC accepts keys of any length";
        match algorithm {
            Algorithm::Sha1 => Keyed::Sha1(Hmac::new_from_slice(key).expect(ANY_LENGTH)),
            Algorithm::Sha256 => Keyed::Sha256(Hmac::new_from_slice(key).expect(ANY_LENGTH)),
            Algorithm::Sha512 => Keyed::Sha512(Hmac::new_from_slice(key).expect(ANY_LENGTH)),
        }
    }

    /// HMAC(key, counter) truncated to 31 bits (RFC 4226 §5.3).
    pub(crate) fn truncate(&self, counter: u64) -> u32 {
        match self {
            Keyed::Sha1(mac) => truncate(mac.clone(), counter),
            Keyed::Sha256(mac) => truncate(mac.clone(), counter),
            Keyed::Sha512(mac) => truncate(mac.clone(), counter),
        }
    }
}

fn truncate<M: Mac>(mut mac: M, counter: u64) -> u32 {
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let digest: &[u8] = &digest;
    // The low nibble of the last byte picks 4 bytes; every digest is at least 20 bytes,
    // so offset + 4 <= 19, but `get` keeps this free of panics all the same.
    let offset = digest.last().map_or(0, |b| usize::from(b & 0x0f));
    let word = digest
        .get(offset..offset.saturating_add(4))
        .and_then(|w| <[u8; 4]>::try_from(w).ok())
        .unwrap_or_default();
    u32::from_be_bytes(word) & 0x7fff_ffff
}
