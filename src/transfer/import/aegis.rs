//! Not written yet: a placeholder that recognises nothing, so that the table compiles.
//!
//! TEMPORARY (branch imp-e only): `export_aegis` below is a stub with the signature of
//! helper A's exporter, so that the `twofa/import` binding compiles; the coordinator takes
//! A's aegis.rs in its place.

use super::{Accounts, ImportFormat, ImportOptions, ImportedAccount, Input};
use crate::entropy::Entropy;
use crate::error::Error;
use alloc::string::String;
use zeroize::Zeroizing;

pub(crate) fn read(
    _input: &Input<'_>,
    _options: &ImportOptions<'_>,
    _out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    None
}

/// Writes accounts as an Aegis JSON export (stub: not written yet).
///
/// # Errors
///
/// Always `UNSUPPORTED_FORMAT` in this stub.
pub fn export_aegis(
    _accounts: &[ImportedAccount],
    _password: Option<&str>,
    _entropy: impl Entropy,
) -> Result<Zeroizing<String>, Error> {
    Err(super::unsupported("the Aegis exporter is not written yet"))
}
