//! TOTP: time-based codes (RFC 6238). Time is always an argument, in Unix milliseconds.

use super::{check_window, Algorithm, Format, Hotp, Secret};
use crate::error::{Error, ErrorKind};
use alloc::string::String;

/// The default time step, in seconds (RFC 6238 §5.2).
pub const DEFAULT_PERIOD: u32 = 30;

/// A time-based one-time password generator (RFC 6238).
///
/// Times are Unix milliseconds (`Date.now()` in JavaScript); the core never reads a clock.
///
/// # Example
///
/// ```
/// use twofa::{Totp, VerifyOptions, Window};
///
/// let totp = Totp::new(twofa::Secret::from_base32("JBSWY3DPEHPK3PXP")?);
/// let now = 1_700_000_000_000;
/// let code = totp.generate(now)?;
/// let found = totp.verify(&code, now, VerifyOptions::default())?.expect("the current code");
/// assert_eq!((found.step, found.delta), (totp.step_at(now)?, 0));
///
/// // A replayed code is refused once its step has been accepted (RFC 6238 §5.2).
/// let again = VerifyOptions { after_step: Some(found.step), ..VerifyOptions::default() };
/// assert_eq!(totp.verify(&code, now, again)?, None);
/// # Ok::<(), twofa::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Totp {
    hotp: Hotp,
    period: u32,
    epoch_ms: i64,
}

/// How many steps either side of the current one a code may come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// Steps before the current one (a code typed just before the step changed).
    pub past: u32,
    /// Steps after the current one (a client clock running fast).
    pub future: u32,
}

impl Window {
    /// The same number of steps either way.
    #[must_use]
    pub const fn symmetric(steps: u32) -> Window {
        Window {
            past: steps,
            future: steps,
        }
    }
}

impl Default for Window {
    /// One step either way, as RFC 6238 §5.2 recommends.
    fn default() -> Window {
        Window::symmetric(1)
    }
}

/// Options of [`Totp::verify`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VerifyOptions {
    /// The steps to search around the current one.
    pub window: Window,
    /// The last step accepted for this secret: it and every earlier step are refused,
    /// so a code can be used only once (RFC 6238 §5.2).
    pub after_step: Option<u64>,
}

/// A successful TOTP verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TotpMatch {
    /// The time step whose code matched; store it as the next `after_step`.
    pub step: u64,
    /// The matched step minus the current step: negative for the past.
    pub delta: i64,
}

impl Totp {
    /// A generator of 6-digit HMAC-SHA-1 codes with a 30-second period from the Unix epoch.
    #[must_use]
    pub fn new(secret: Secret) -> Totp {
        Totp {
            hotp: Hotp::new(secret),
            period: DEFAULT_PERIOD,
            epoch_ms: 0,
        }
    }

    /// A Steam Guard generator: 5-character codes, HMAC-SHA-1, 30-second period.
    #[must_use]
    pub fn steam(secret: Secret) -> Totp {
        Totp::new(secret).with_format(Format::STEAM)
    }

    /// Uses another hash function.
    #[must_use]
    pub fn with_algorithm(mut self, algorithm: Algorithm) -> Totp {
        self.hotp = self.hotp.with_algorithm(algorithm);
        self
    }

    /// Uses another code format.
    #[must_use]
    pub fn with_format(mut self, format: Format) -> Totp {
        self.hotp = self.hotp.with_format(format);
        self
    }

    /// Uses another time step, in whole seconds.
    ///
    /// # Errors
    ///
    /// `INVALID_PERIOD` when `seconds` is 0.
    pub fn with_period(mut self, seconds: u32) -> Result<Totp, Error> {
        if seconds == 0 {
            return Err(Error::new(ErrorKind::Period(0)));
        }
        self.period = seconds;
        Ok(self)
    }

    /// Counts steps from `epoch_ms` (T0 of RFC 6238) instead of the Unix epoch.
    #[must_use]
    pub fn with_epoch_ms(mut self, epoch_ms: i64) -> Totp {
        self.epoch_ms = epoch_ms;
        self
    }

    /// The secret.
    #[must_use]
    pub fn secret(&self) -> &Secret {
        self.hotp.secret()
    }

    /// The hash function.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        self.hotp.algorithm()
    }

    /// The code format.
    #[must_use]
    pub fn format(&self) -> Format {
        self.hotp.format()
    }

    /// The time step, in seconds.
    #[must_use]
    pub fn period(&self) -> u32 {
        self.period
    }

    /// T0, in Unix milliseconds.
    #[must_use]
    pub fn epoch_ms(&self) -> i64 {
        self.epoch_ms
    }

    /// Milliseconds since T0, and the period in milliseconds.
    fn elapsed(&self, unix_ms: i64) -> Result<(u64, u64), Error> {
        let elapsed = i128::from(unix_ms) - i128::from(self.epoch_ms);
        let elapsed = u64::try_from(elapsed).map_err(|_| Error::new(ErrorKind::BeforeEpoch))?;
        Ok((elapsed, u64::from(self.period) * 1000))
    }

    /// The time step at `unix_ms`: the HOTP counter of RFC 6238 §4.2.
    ///
    /// # Errors
    ///
    /// `INVALID_TIMESTAMP` when `unix_ms` is before T0.
    pub fn step_at(&self, unix_ms: i64) -> Result<u64, Error> {
        let (elapsed, period) = self.elapsed(unix_ms)?;
        Ok(elapsed / period)
    }

    /// Milliseconds from `unix_ms` until the next step begins: from 1 to the period.
    ///
    /// # Errors
    ///
    /// `INVALID_TIMESTAMP` when `unix_ms` is before T0.
    pub fn remaining_ms(&self, unix_ms: i64) -> Result<u64, Error> {
        let (elapsed, period) = self.elapsed(unix_ms)?;
        Ok(period - elapsed % period)
    }

    /// The code at `unix_ms`.
    ///
    /// # Errors
    ///
    /// `INVALID_TIMESTAMP` when `unix_ms` is before T0.
    pub fn generate(&self, unix_ms: i64) -> Result<String, Error> {
        Ok(self.generate_step(self.step_at(unix_ms)?))
    }

    /// The code at `unix_ms`, on the stack rather than in a `String`, for the binding.
    #[cfg_attr(
        not(all(target_arch = "wasm32", feature = "js-root")),
        allow(dead_code)
    )]
    pub(crate) fn code_at(&self, unix_ms: i64) -> Result<super::OtpCode, Error> {
        Ok(self.hotp.code(self.step_at(unix_ms)?))
    }

    /// The code of a given time step.
    #[must_use]
    pub fn generate_step(&self, step: u64) -> String {
        self.hotp.generate(step)
    }

    /// Checks `token` against the steps around `unix_ms`: the current step first, then
    /// one step back, one ahead, two back, and so on. Steps at or before
    /// `options.after_step` are skipped. Each comparison is constant-time.
    ///
    /// # Errors
    ///
    /// - `INVALID_TIMESTAMP` when `unix_ms` is before T0.
    /// - `INVALID_TOKEN` when the token, once normalised, has the wrong length or character.
    /// - `INVALID_WINDOW` when either side of the window exceeds [`crate::MAX_WINDOW`].
    pub fn verify(
        &self,
        token: &str,
        unix_ms: i64,
        options: VerifyOptions,
    ) -> Result<Option<TotpMatch>, Error> {
        let Window { past, future } = options.window;
        check_window(u64::from(past))?;
        check_window(u64::from(future))?;
        let current = self.step_at(unix_ms)?;
        let token = self.format().parse_token(token)?;
        let deltas = (0..=i64::from(past.max(future))).flat_map(|d| {
            let back = (d > 0 && d <= i64::from(past)).then_some(-d);
            let ahead = (d <= i64::from(future)).then_some(d);
            back.into_iter().chain(ahead)
        });
        for delta in deltas {
            let Some(step) = current.checked_add_signed(delta) else {
                continue;
            };
            if options.after_step.is_some_and(|after| step <= after) {
                continue;
            }
            if self.hotp.code(step).matches(&token) {
                return Ok(Some(TotpMatch { step, delta }));
            }
        }
        Ok(None)
    }
}
