//! One-time passwords: the shared [`Secret`] and its base32 forms, the [`Algorithm`] of
//! the HMAC, the [`Format`] of a code, and the generators [`Hotp`] (RFC 4226) and
//! [`Totp`] (RFC 6238), and (feature `clock`) `ClockOffset`, how far the computer's clock is
//! from a server's, for codes made at the right time.

mod algorithm;
mod base32;
#[cfg(feature = "clock")]
mod clock;
mod format;
mod hmac;
mod hotp;
mod secret;
mod totp;

pub use algorithm::Algorithm;
#[cfg(feature = "clock")]
pub use clock::{parse_http_date, ClockOffset, MAX_HTTP_DATE_LEN};
pub use format::Format;
pub use hotp::{Hotp, HotpMatch, MAX_RESYNC_WINDOW, MAX_WINDOW};
pub use secret::{Secret, DEFAULT_LEN, MAX_GENERATED_LEN, MAX_LEN, MIN_GENERATED_LEN};
pub use totp::{Totp, TotpMatch, VerifyOptions, Window, DEFAULT_PERIOD};

#[cfg(all(target_arch = "wasm32", feature = "flows"))]
pub(crate) use base32::decode as decode_base32;
#[cfg(all(target_arch = "wasm32", feature = "clock"))]
pub(crate) use clock::received_before_sent;
pub(crate) use format::OtpCode;
pub(crate) use hmac::{hmac_sha256, pbkdf2_sha256};
pub(crate) use hotp::check_window;
#[cfg(target_arch = "wasm32")]
pub(crate) use secret::{generate_length, too_long};
