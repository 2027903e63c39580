//! Randomness comes in as an argument: the core never reads a random number generator
//! itself. Every function that draws random bytes takes an [`Entropy`].

use crate::error::{Error, ErrorKind};
use zeroize::Zeroizing;

/// A source of random bytes, which must be a cryptographically secure random number
/// generator: the operating system's, or `crypto.getRandomValues` in a browser. Any
/// `FnMut(&mut [u8]) -> Result<(), EntropyError>` is one: a closure, or a function.
///
/// # Example
///
/// ```
/// use twofa::{Entropy, EntropyError, Secret};
///
/// // In real use: getrandom::fill(buf).map_err(|_| EntropyError)
/// # fn os_random(buf: &mut [u8]) -> Result<(), EntropyError> { buf.fill(7); Ok(()) }
/// let secret = Secret::generate(20, os_random)?;
/// assert_eq!(secret.len(), 20);
/// let broken = |_: &mut [u8]| Err(EntropyError);
/// assert_eq!(Secret::generate(20, broken).unwrap_err().code(), "ENTROPY_UNAVAILABLE");
/// # Ok::<(), twofa::Error>(())
/// ```
pub trait Entropy: FnMut(&mut [u8]) -> Result<(), EntropyError> {}

impl<F: FnMut(&mut [u8]) -> Result<(), EntropyError>> Entropy for F {}

/// The failure of an [`Entropy`]: every function that draws randomness then fails with
/// `ENTROPY_UNAVAILABLE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntropyError;

/// Fills `buf`, or fails with `ENTROPY_UNAVAILABLE`.
pub(crate) fn fill(entropy: &mut impl Entropy, buf: &mut [u8]) -> Result<(), Error> {
    entropy(buf).map_err(|EntropyError| Error::new(ErrorKind::Entropy))
}

/// `N` random bytes, zeroed when dropped.
pub(crate) fn random<const N: usize>(
    entropy: &mut impl Entropy,
) -> Result<Zeroizing<[u8; N]>, Error> {
    let mut out = Zeroizing::new([0u8; N]);
    fill(entropy, &mut out[..])?;
    Ok(out)
}
