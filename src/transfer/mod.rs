//! How accounts move between sites, authenticators and extensions: otpauth:// URIs
//! ([`KeyUri`]), Google Authenticator exports ([`Migration`], [`MigrationExport`]), and
//! the [`Warning`]s about what was read or written.

#[cfg(any(feature = "migration", feature = "flows", feature = "vault"))]
pub(crate) mod base64;
#[cfg(feature = "import")]
pub mod import;
#[cfg(feature = "migration")]
mod migration;
pub(crate) mod percent;
pub mod uri;
mod warning;

#[cfg(feature = "migration")]
pub use migration::{
    Migration, MigrationAccount, MigrationExport, MAX_BATCH_ACCOUNTS, MAX_BATCH_URI_LEN,
    MAX_QR_URI_LEN,
};
pub use uri::{KeyUri, Otp, ParsedUri, MAX_URI_LEN};
#[cfg(all(
    target_arch = "wasm32",
    any(feature = "js-root", feature = "js-migration", feature = "js-import")
))]
pub(crate) use warning::TS_UNION as WARNING_TS_UNION;
pub use warning::{Warning, WarningCode};
