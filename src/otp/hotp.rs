//! HOTP: counter-based codes (RFC 4226).

use super::algorithm::truncate;
use super::hmac::Keyed;
use super::{Algorithm, Format, Secret};
use crate::error::{Error, ErrorKind};
use alloc::borrow::ToOwned;
use alloc::string::String;
use core::fmt;
use spin::Once;

/// The largest verification window, in steps each way (TOTP) or ahead (HOTP). It bounds
/// the work one call can do: at most 2,001 HMACs.
pub const MAX_WINDOW: u32 = 1000;

/// A counter-based one-time password generator (RFC 4226).
///
/// The counter is not stored here: the caller keeps it, and after a successful
/// [`Hotp::verify`] stores [`HotpMatch::next_counter`].
///
/// The HMAC is keyed by the first code a generator makes, and kept (zeroed on drop), so
/// each later code costs two compressions. A generator shared between threads is keyed
/// once: a thread that asks for a first code while another keys it waits for it.
///
/// # Example
///
/// ```
/// use twofa::{Hotp, Secret};
///
/// let hotp = Hotp::new(Secret::from_bytes(b"12345678901234567890")?);
/// assert_eq!(hotp.generate(0), "755224");
/// let found = hotp.verify("969429", 0, 3)?.expect("counter 3 is within the window");
/// assert_eq!((found.counter, found.delta, found.next_counter()), (3, 3, Some(4)));
/// # Ok::<(), twofa::Error>(())
/// ```
pub struct Hotp {
    secret: Secret,
    algorithm: Algorithm,
    format: Format,
    /// The HMAC keyed with `secret` under `algorithm`, made by the first code: each code
    /// then costs two compressions, and a generator that makes none (one read from a URI
    /// to show its fields) never keys.
    keyed: Once<Keyed>,
}

impl Clone for Hotp {
    fn clone(&self) -> Hotp {
        Hotp {
            secret: self.secret.clone(),
            algorithm: self.algorithm,
            format: self.format,
            keyed: self
                .keyed
                .get()
                .map_or_else(Once::new, |keyed| Once::initialized(keyed.clone())),
        }
    }
}

/// A successful HOTP verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HotpMatch {
    /// The counter whose code matched.
    pub counter: u64,
    /// How far ahead of the expected counter it was.
    pub delta: u64,
}

impl HotpMatch {
    /// The counter to store for the next verification: `counter + 1`, or `None` when the
    /// 64-bit counter is exhausted.
    #[must_use]
    pub fn next_counter(&self) -> Option<u64> {
        self.counter.checked_add(1)
    }
}

impl Hotp {
    /// A generator of 6-digit HMAC-SHA-1 codes, the RFC 4226 defaults.
    #[must_use]
    pub fn new(secret: Secret) -> Hotp {
        let algorithm = Algorithm::default();
        Hotp {
            keyed: Once::new(),
            secret,
            algorithm,
            format: Format::default(),
        }
    }

    /// Uses another hash function.
    #[must_use]
    pub fn with_algorithm(mut self, algorithm: Algorithm) -> Hotp {
        if algorithm != self.algorithm {
            self.algorithm = algorithm;
            self.keyed = Once::new();
        }
        self
    }

    /// Uses another code format, such as `Format::digits(8)?`.
    #[must_use]
    pub fn with_format(mut self, format: Format) -> Hotp {
        self.format = format;
        self
    }

    /// The secret.
    #[must_use]
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// The hash function.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The code format.
    #[must_use]
    pub fn format(&self) -> Format {
        self.format
    }

    /// The code for `counter`, as its 31-bit truncated HMAC value rendered in this format.
    pub(crate) fn code(&self, counter: u64) -> super::OtpCode {
        let keyed = self
            .keyed
            .call_once(|| Keyed::new(self.algorithm.hash(), self.secret.as_bytes()));
        self.format.render(truncate(keyed, counter))
    }

    /// The code for `counter`. Every 64-bit counter is valid.
    #[must_use]
    pub fn generate(&self, counter: u64) -> String {
        self.code(counter).as_str().to_owned()
    }

    /// Checks `token` against the counters `counter ..= counter + look_ahead` in order, and
    /// returns the first that matches. Each comparison is constant-time.
    ///
    /// # Errors
    ///
    /// - `INVALID_TOKEN` when the token, once normalised, has the wrong length or character.
    /// - `INVALID_WINDOW` when `look_ahead` exceeds [`MAX_WINDOW`].
    pub fn verify(
        &self,
        token: &str,
        counter: u64,
        look_ahead: u32,
    ) -> Result<Option<HotpMatch>, Error> {
        check_window(u64::from(look_ahead))?;
        let token = self.format.parse_token(token)?;
        for delta in 0..=u64::from(look_ahead) {
            let Some(candidate) = counter.checked_add(delta) else {
                break;
            };
            if self.code(candidate).matches(&token) {
                return Ok(Some(HotpMatch {
                    counter: candidate,
                    delta,
                }));
            }
        }
        Ok(None)
    }

    /// Resynchronises a counter that has fallen behind (RFC 4226 §7.4): finds the
    /// counter `c` in `counter ..= counter + look_ahead` whose code is `first` and whose
    /// successor's code is `second`, two codes the user generated one after the other,
    /// and returns `c + 2`, the next counter to expect. Two consecutive codes match by
    /// chance with odds of about one in 10^12 per counter for six digits, which makes a
    /// look-ahead far larger than [`Hotp::verify`]'s safe. Comparisons are constant-time.
    ///
    /// # Errors
    ///
    /// - `INVALID_TOKEN` when either code is malformed.
    /// - `INVALID_WINDOW` when `look_ahead` exceeds [`MAX_RESYNC_WINDOW`].
    ///
    /// # Example
    ///
    /// ```
    /// use twofa::{Hotp, Secret};
    ///
    /// let hotp = Hotp::new(Secret::from_bytes(b"12345678901234567890")?);
    /// // The server expects counter 0; the user's device is at 7 (RFC 4226 Appendix D).
    /// assert_eq!(hotp.resync("162583", "399871", 0, 100)?, Some(9));
    /// assert_eq!(hotp.resync("162583", "520489", 0, 100)?, None); // not consecutive
    /// # Ok::<(), twofa::Error>(())
    /// ```
    pub fn resync(
        &self,
        first: &str,
        second: &str,
        counter: u64,
        look_ahead: u32,
    ) -> Result<Option<u64>, Error> {
        if look_ahead > MAX_RESYNC_WINDOW {
            return Err(Error::new(ErrorKind::ResyncWindow {
                steps: u64::from(look_ahead),
                max: MAX_RESYNC_WINDOW,
            }));
        }
        let first = self.format.parse_token(first)?;
        let second = self.format.parse_token(second)?;
        let mut previous = None;
        for delta in 0..=u64::from(look_ahead) + 1 {
            let Some(candidate) = counter.checked_add(delta) else {
                break;
            };
            let code = self.code(candidate);
            let second_matches = code.matches(&second);
            if second_matches && previous == Some(candidate.wrapping_sub(1)) {
                return Ok(candidate.checked_add(1));
            }
            previous =
                (code.matches(&first) && delta <= u64::from(look_ahead)).then_some(candidate);
        }
        Ok(None)
    }
}

/// The largest look-ahead of [`Hotp::resync`].
pub const MAX_RESYNC_WINDOW: u32 = 100_000;

/// `steps` as a window side, if it is at most [`MAX_WINDOW`].
pub(crate) fn check_window(steps: u64) -> Result<u32, Error> {
    u32::try_from(steps)
        .ok()
        .filter(|&s| s <= MAX_WINDOW)
        .ok_or_else(|| {
            Error::new(ErrorKind::Window {
                steps,
                max: MAX_WINDOW,
            })
        })
}

impl fmt::Debug for Hotp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hotp")
            .field("secret", &self.secret)
            .field("algorithm", &self.algorithm)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

/// Two generators are equal when their secrets (compared in constant time), algorithms
/// and formats are.
impl PartialEq for Hotp {
    fn eq(&self, other: &Hotp) -> bool {
        self.secret == other.secret
            && self.algorithm == other.algorithm
            && self.format == other.format
    }
}

impl Eq for Hotp {}
