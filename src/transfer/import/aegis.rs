//! Not written yet: a placeholder that recognises nothing, so that the table compiles.

use super::{Accounts, ImportFormat, ImportOptions, Input};
use crate::error::Error;

pub(crate) fn read(
    _input: &Input<'_>,
    _options: &ImportOptions<'_>,
    _out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    None
}
