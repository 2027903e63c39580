//! The shared secret (the "key" of RFC 4226).

use super::base32;
use crate::entropy::{self, Entropy};
use crate::error::{Error, ErrorKind};
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The byte length of a generated secret when none is asked for: 160 bits, as RFC 4226 recommends.
pub const DEFAULT_LEN: usize = 20;
/// The shortest secret [`Secret::generate`] makes: 128 bits, the minimum of RFC 4226 §4.
pub const MIN_GENERATED_LEN: usize = 16;
/// The longest secret [`Secret::generate`] makes: one SHA-512 block.
pub const MAX_GENERATED_LEN: usize = 64;
/// The longest secret that can be imported.
pub const MAX_LEN: usize = 1024;

/// A shared secret, held in memory that is zeroed when it is dropped.
///
/// Imported secrets may be anything from 1 to [`MAX_LEN`] bytes: services still hand out
/// 10-byte (80-bit) secrets, so those are accepted, and [`Secret::is_weak`] reports them.
/// Generated secrets are [`MIN_GENERATED_LEN`] to [`MAX_GENERATED_LEN`] bytes.
///
/// `Debug` shows only the length, and `==` compares in constant time.
///
/// # Example
///
/// ```
/// use twofa::Secret;
///
/// let secret = Secret::from_base32("jbsw y3dp-ehpk 3pxp")?;
/// assert_eq!(secret.to_base32(), "JBSWY3DPEHPK3PXP");
/// assert_eq!(secret.to_grouped(), "JBSW Y3DP EHPK 3PXP");
/// assert_eq!(secret.len(), 10);
/// assert!(secret.is_weak());
/// assert_eq!(format!("{secret:?}"), "Secret { len: 10, .. }");
/// # Ok::<(), twofa::Error>(())
/// ```
#[derive(Clone)]
pub struct Secret {
    bytes: Zeroizing<Vec<u8>>,
}

impl Secret {
    /// Imports a secret from its raw bytes.
    ///
    /// # Errors
    ///
    /// `SECRET_LENGTH` when `bytes` is empty or longer than [`MAX_LEN`].
    ///
    /// # Example
    ///
    /// ```
    /// let secret = twofa::Secret::from_bytes(b"12345678901234567890")?;
    /// assert_eq!(secret.to_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    /// # Ok::<(), twofa::Error>(())
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<Secret, Error> {
        check_len(bytes.len())?;
        Ok(Secret {
            bytes: Zeroizing::new(bytes.to_vec()),
        })
    }

    /// Imports a secret from base32, leniently: either case, with spaces, hyphens, tabs,
    /// line breaks and trailing `=` padding ignored. Bits after the last whole byte are
    /// ignored, as Google Authenticator ignores them.
    ///
    /// # Errors
    ///
    /// - `INVALID_BASE32` for any other character or for data after padding, naming its
    ///   1-based position in `text`, and for a length no encoder writes (such as `A`).
    /// - `SECRET_LENGTH` when no bytes are left, or more than [`MAX_LEN`].
    ///
    /// # Example
    ///
    /// ```
    /// use twofa::Secret;
    ///
    /// assert_eq!(Secret::from_base32("JBSWY3DPEHPK3PXP====")?.len(), 10);
    /// let err = Secret::from_base32("JBSWY3DP0HPK3PXP").unwrap_err();
    /// assert_eq!(err.to_string(), "invalid base32 character at position 9");
    /// # Ok::<(), twofa::Error>(())
    /// ```
    pub fn from_base32(text: &str) -> Result<Secret, Error> {
        let bytes = base32::decode(text)?;
        check_len(bytes.len())?;
        Ok(Secret { bytes })
    }

    /// Generates a new secret of `byte_len` bytes from `entropy`, which must be a
    /// cryptographically secure random number generator. The core never reads one itself.
    ///
    /// # Errors
    ///
    /// - `SECRET_LENGTH` when `byte_len` is outside [`MIN_GENERATED_LEN`]–[`MAX_GENERATED_LEN`].
    /// - `ENTROPY_UNAVAILABLE` when `entropy` fails.
    ///
    /// # Example
    ///
    /// ```
    /// # fn os_random(buf: &mut [u8]) -> Result<(), twofa::EntropyError> { buf.fill(7); Ok(()) }
    /// let secret = twofa::Secret::generate(twofa::DEFAULT_LEN, os_random)?;
    /// assert_eq!(secret.len(), 20);
    /// assert!(!secret.is_weak());
    /// # Ok::<(), twofa::Error>(())
    /// ```
    pub fn generate(byte_len: usize, mut entropy: impl Entropy) -> Result<Secret, Error> {
        if !(MIN_GENERATED_LEN..=MAX_GENERATED_LEN).contains(&byte_len) {
            return Err(generate_length(u64::try_from(byte_len).unwrap_or(u64::MAX)));
        }
        let mut bytes = Zeroizing::new(vec![0u8; byte_len]);
        entropy::fill(&mut entropy, &mut bytes)?;
        Ok(Secret { bytes })
    }

    /// The length of the secret in bytes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Always false: a secret has at least one byte. Present because `len` is.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// True when the secret is shorter than 128 bits ([`MIN_GENERATED_LEN`] bytes), the
    /// minimum of RFC 4226 §4. Such secrets work, but deserve a warning.
    #[must_use]
    pub fn is_weak(&self) -> bool {
        self.bytes.len() < MIN_GENERATED_LEN
    }

    /// The raw bytes of the secret.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The canonical base32 form: upper case, unpadded.
    #[must_use]
    pub fn to_base32(&self) -> String {
        base32::encode(&self.bytes)
    }

    /// The canonical base32 form, after what `out` holds.
    pub(crate) fn write_base32(&self, out: &mut Vec<u8>) {
        base32::encode_into(&self.bytes, out);
    }

    /// The length of the canonical base32 form.
    pub(crate) fn base32_len(&self) -> usize {
        base32::encoded_len(self.bytes.len())
    }

    /// The grouped base32 form that people type by hand: `JBSW Y3DP EHPK 3PXP`.
    #[must_use]
    pub fn to_grouped(&self) -> String {
        base32::group(&Zeroizing::new(self.to_base32()))
    }
}

/// `SECRET_LENGTH` for a secret of `len` bytes, past [`MAX_LEN`].
pub(crate) fn too_long(len: usize) -> Error {
    Error::new(ErrorKind::SecretTooLong { len, max: MAX_LEN })
}

/// `SECRET_LENGTH` for a generated length outside 16–64.
pub(crate) fn generate_length(len: u64) -> Error {
    Error::new(ErrorKind::GenerateLength {
        len,
        min: MIN_GENERATED_LEN,
        max: MAX_GENERATED_LEN,
    })
}

fn check_len(len: usize) -> Result<(), Error> {
    match len {
        0 => Err(Error::new(ErrorKind::SecretEmpty)),
        n if n > MAX_LEN => Err(too_long(n)),
        _ => Ok(()),
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret {{ len: {}, .. }}", self.bytes.len())
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Secret) -> bool {
        self.bytes.as_slice().ct_eq(other.bytes.as_slice()).into()
    }
}

impl Eq for Secret {}
