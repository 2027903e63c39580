//! # twofa
//!
//! The core of a two-factor-authentication library: HOTP (RFC 4226), TOTP (RFC 6238)
//! and Steam Guard codes over HMAC-SHA-1, SHA-256 or SHA-512, secrets with lenient
//! base32 input, and verification with a drift window and a replay guard.
//!
//! Accounts move between sites, authenticators and extensions as otpauth:// URIs
//! ([`KeyUri`]), as QR codes (the `qr` module, behind the default `qr` feature), and as Google
//! Authenticator exports ([`Migration`], [`MigrationExport`]).
//!
//! Around the codes, [`flows`] has what sites ship: backup codes, recovery codes, e-mail
//! and SMS codes, security answers, trusted-device tokens and throttling, as pure
//! functions over records the caller keeps; [`Hotp::resync`] resynchronises a counter
//! (RFC 4226 §7.4).
//!
//! The core is plain Rust. It reads no clock and no random number generator: times
//! (Unix milliseconds) and entropy are arguments, so every rule is testable natively.
//! On `wasm32` a thin binding (`src/wasm/`) exports it to JavaScript as the npm
//! package `twofa`; that binding is the only code that reads `Date.now()` or calls
//! `crypto.getRandomValues`.
//!
//! # Example
//!
//! ```
//! use twofa::{Algorithm, Format, Secret, Totp, VerifyOptions};
//!
//! let secret = Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")?;
//! let totp = Totp::new(secret).with_algorithm(Algorithm::Sha1).with_format(Format::digits(8)?);
//! // RFC 6238 Appendix B, T = 59 s.
//! assert_eq!(totp.generate(59_000)?, "94287082");
//!
//! let found = totp.verify("94287082", 89_000, VerifyOptions::default())?;
//! assert_eq!(found.map(|m| (m.step, m.delta)), Some((1, -1)));
//! # Ok::<(), twofa::Error>(())
//! ```
//!
//! # Layout
//!
//! - [`otp`]: secrets, base32, the HMAC, code formats, HOTP and TOTP, and (default feature
//!   `clock`) the clock check, `ClockOffset`, from an HTTP `Date` header.
//! - [`transfer`]: otpauth:// URIs, Google Authenticator exports and their warnings.
//! - `qr` and `vault` (default features): QR codes both ways, and the encrypted vault.
//! - [`flows`]: backup, recovery and verification codes, security answers, trusted
//!   devices, throttling.
//! - [`Error`] with its [`Code`], and [`Entropy`], the source of randomness every
//!   function that draws random bytes takes.
//!
//! The crate is `no_std` with `alloc`, so the WebAssembly modules carry neither `std`
//! nor `core::fmt`.
//!
//! # Security notes
//!
//! - Secrets are zeroed when dropped, never shown by `Debug`, and never part of an error.
//! - Codes are compared in constant time.
//! - Generated secrets are 128 to 512 bits; imported ones may be shorter (80-bit secrets
//!   are common) and are then reported by [`Secret::is_weak`].

#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// With a feature off, helpers that only its modules use are unused; `make test` checks
// for dead code with every feature on.
#![cfg_attr(
    not(all(
        feature = "qr",
        feature = "vault",
        feature = "migration",
        feature = "flows",
        feature = "clock"
    )),
    allow(dead_code, unused_imports)
)]

extern crate alloc;

mod entropy;
mod error;
#[cfg(feature = "flows")]
pub mod flows;
/// JSON read without a float parser: the binding's records, and the exports that
/// `transfer::import` reads.
#[cfg(any(target_arch = "wasm32", feature = "import", test, fuzzing))]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the writer is the binding's
pub(crate) mod json;
pub mod otp;
#[cfg(feature = "qr")]
pub mod qr;
pub mod transfer;
#[cfg(feature = "vault")]
pub mod vault;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
/// The binding's JSON codec and the flows' records are plain Rust: natively, its tests
/// run them, and the fuzz targets (`fuzz/`, built with `--cfg fuzzing`) read records with
/// them through [`fuzzing`].
#[cfg(all(any(test, fuzzing), not(target_arch = "wasm32")))]
#[allow(dead_code, unused_imports, unused_macros)] // the parts that only the binding uses
mod wasm {
    pub(crate) use crate::json;
    pub(crate) mod record;
    #[cfg(feature = "flows")]
    pub(crate) mod flows {
        pub(crate) mod records;
    }
}
/// The committed fuzz corpora (`fuzz/corpus/<target>/`) and regressions, replayed through
/// the fuzz targets' own checks (`fuzz/checks/`) by `cargo test` on stable Rust.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "../fuzz/replay.rs"]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // checks may panic: that is how they fail
mod fuzz_replay;
#[cfg(all(any(test, fuzzing), not(target_arch = "wasm32")))]
#[doc(hidden)]
pub mod fuzzing;
/// The fuzz checks name the crate as the fuzz targets do.
#[cfg(all(test, not(target_arch = "wasm32")))]
extern crate self as twofa;

/// The README's Rust examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub use entropy::{Entropy, EntropyError};
pub use error::{Code, Error};
#[cfg(feature = "clock")]
pub use otp::{parse_http_date, ClockOffset, MAX_HTTP_DATE_LEN};
pub use otp::{
    Algorithm, Format, Hotp, HotpMatch, Secret, Totp, TotpMatch, VerifyOptions, Window,
    DEFAULT_LEN, DEFAULT_PERIOD, MAX_GENERATED_LEN, MAX_LEN, MAX_RESYNC_WINDOW, MAX_WINDOW,
    MIN_GENERATED_LEN,
};
pub use transfer::{KeyUri, Otp, ParsedUri, Warning, WarningCode, MAX_URI_LEN};
#[cfg(feature = "migration")]
pub use transfer::{
    Migration, MigrationAccount, MigrationExport, MAX_BATCH_ACCOUNTS, MAX_BATCH_URI_LEN,
    MAX_QR_URI_LEN,
};
