//! otpauth:// text: one URI a line, and Google Authenticator's `otpauth-migration://`
//! batches.
//!
//! This is what Aegis and Ente Auth write as their plain text exports, what KeePassXC
//! keeps in an entry's `otp` attribute, and what people keep in a file by hand.
//!
//! - Lines end in `\n`, `\r\n` or `\r`; white space around a line is dropped and blank
//!   lines are skipped. Every other line is one entry of the file and takes the next
//!   index.
//! - A line may be wrapped in double quotes (Ente writes its stored codes as JSON
//!   strings), and a line that starts with a URI may hold several, separated by commas,
//!   as Ente's import accepts. A CSV row that holds a URI in a later column is not a URI
//!   line.
//! - An `otpauth://` line is read as [`crate::KeyUri::parse`] reads it: parameters it
//!   does not know, such as Ente's `codeDisplay` (pins, tags, notes) or Aegis' icons, are
//!   ignored. `otpauth://motp/` and `otpauth://yandex/` (or `yaotp`) lines are left out
//!   with a warning, as is a URI that cannot be read, naming what is wrong.
//! - An `otpauth-migration://offline?data=…` line is one Google Authenticator batch,
//!   read by [`crate::Migration::parse`]: each account of it is one entry, counted across
//!   batches, so that the indexes of several QR codes read at once follow each other.
//!   Accounts a batch cannot give (MD5, an empty secret…) are warned about with their
//!   index; a batch that cannot be decoded at all is one entry left out.
//! - Any other line is left out with a warning; a text without a single URI line is not
//!   this format.
//!
//! The format is `google-authenticator` when every URI line is a migration batch, and
//! `otpauth` otherwise.

use super::{Accounts, ImportFormat, ImportOptions, Input};
use crate::error::Error;
use crate::transfer::warning::{Left, Warning, WarningCode, WarningKind};
use crate::transfer::Migration;
use alloc::vec::Vec;

const OTPAUTH: &str = "otpauth://";
const MIGRATION: &str = "otpauth-migration://";

pub(crate) fn read(
    input: &Input<'_>,
    _options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    let text = input.text?;
    let (mut uris, mut batches) = (0usize, 0usize);
    for item in items(text) {
        match kind(item) {
            Line::Uri => uris += 1,
            Line::Migration => batches += 1,
            Line::Other => {}
        }
    }
    if uris == 0 && batches == 0 {
        return None;
    }
    Some(read_lines(text, out).map(|()| {
        if uris == 0 {
            ImportFormat::GoogleAuthenticator
        } else {
            ImportFormat::OtpauthText
        }
    }))
}

/// The entries of otpauth:// text, as this format, Ente's decrypted export and the ZIP
/// exports (Authenticator Plus, WinAuth) hold it: URIs and migration batches one a line,
/// anything else a warning naming its index.
pub(crate) fn read_lines(text: &str, out: &mut Accounts) -> Result<(), Error> {
    let mut index = 0;
    // The (batch id, batch size, batch index) of each Google Authenticator batch read.
    let mut batches = Vec::new();
    for item in items(text) {
        match kind(item) {
            Line::Uri => {
                out.add_uri(index, item, "")?;
                index += 1;
            }
            Line::Migration => index = read_batch(item, index, out, &mut batches)?,
            Line::Other => {
                out.left(index, Left::Other("the line is not an otpauth:// URI"))?;
                index += 1;
            }
        }
    }
    missing_batches(batches, index, out);
    Ok(())
}

/// One warning for each Google Authenticator export of which some QR codes were not
/// given (Google Authenticator numbers them, "1 of 3"), at the index after the last
/// entry, where their accounts would be.
fn missing_batches(mut batches: Vec<(i32, i32, i32)>, end: usize, out: &mut Accounts) {
    batches.sort_unstable();
    batches.dedup();
    let mut rest = batches.as_slice();
    while let Some(&(id, size, _)) = rest.first() {
        let given = rest.iter().take_while(|b| b.0 == id && b.1 == size).count();
        rest = rest.get(given..).unwrap_or_default();
        let size = usize::try_from(size).unwrap_or_default();
        if given < size {
            out.warnings.push(Warning::for_account(
                WarningKind::MissingBatches { given, size },
                end,
            ));
        }
    }
}

/// One Google Authenticator batch whose first account is entry `first`; the index after
/// its last account.
fn read_batch(
    uri: &str,
    first: usize,
    out: &mut Accounts,
    batches: &mut Vec<(i32, i32, i32)>,
) -> Result<usize, Error> {
    let Ok(batch) = Migration::parse(uri) else {
        out.left(
            first,
            Left::Other("its otpauth-migration:// URI cannot be decoded"),
        )?;
        return Ok(first + 1);
    };
    // The accounts the batch left out are named by their warnings; the accounts it read
    // fill the other places, in order. Sorted once, so a batch of thousands of accounts
    // costs no more than its length.
    let mut warnings: Vec<(usize, Warning)> = batch
        .warnings
        .into_iter()
        .filter_map(|w| Some((w.account_index()?, w)))
        .collect();
    warnings.sort_by_key(|(at, _)| *at);
    // Batch indexes past the size are the file's error, not a missing code.
    if (0..batch.batch_size).contains(&batch.batch_index) {
        batches.push((batch.batch_id, batch.batch_size, batch.batch_index));
    }
    let mut left_out: Vec<usize> = warnings
        .iter()
        .filter(|(_, w)| w.code() == WarningCode::UnsupportedAccount)
        .map(|(at, _)| *at)
        .collect();
    left_out.dedup();
    let total = batch.accounts.len() + left_out.len();
    let mut accounts = batch.accounts.into_iter();
    let mut warnings = warnings.into_iter().peekable();
    for i in 0..total {
        let mut about = Vec::new();
        while let Some((_, w)) = warnings.next_if(|(at, _)| *at == i) {
            about.push(w.with_account(first + i));
        }
        if left_out.binary_search(&i).is_ok() {
            out.count()?;
            out.warnings.extend(about);
        } else if let Some(account) = accounts.next() {
            out.push_checked(first + i, account.key, &account.name, about)?;
        }
    }
    Ok(first + total)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Line {
    Uri,
    Migration,
    Other,
}

fn kind(item: &str) -> Line {
    let starts = |prefix: &str| {
        item.get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    };
    if starts(OTPAUTH) {
        Line::Uri
    } else if starts(MIGRATION) {
        Line::Migration
    } else {
        Line::Other
    }
}

/// The entries of the text: its lines, trimmed and unquoted, blank ones skipped, and
/// lines of several comma-separated URIs split.
fn items(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', '\r'])
        .map(unquote)
        .filter(|line| !line.is_empty())
        .flat_map(split_commas)
}

/// The line trimmed, without a pair of double quotes around it.
fn unquote(line: &str) -> &str {
    let line = line.trim();
    line.strip_prefix('"')
        .and_then(|l| l.strip_suffix('"'))
        .map_or(line, str::trim)
}

/// A line of URIs separated by commas, as Ente's import reads them: split only a line
/// that starts with a URI (not a CSV row that holds one), and only before another URI,
/// since names may hold commas.
fn split_commas(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(line);
    let split = kind(line) != Line::Other;
    core::iter::from_fn(move || {
        let line = rest?;
        let next = line.match_indices(',').map(|(at, _)| at).find(|&at| {
            let after = line.get(at + 1..).unwrap_or_default().trim_start();
            split && kind(after) != Line::Other
        });
        match next {
            Some(at) => {
                rest = line.get(at + 1..).map(str::trim_start);
                line.get(..at).map(str::trim_end)
            }
            None => {
                rest = None;
                Some(line)
            }
        }
    })
    .filter(|item| !item.is_empty())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn items_are_trimmed_unquoted_and_split_before_uris() {
        let text = " otpauth://totp/a?secret=A,b \r\n\r\n\"otpauth://totp/c\"\n,x\n\
                    otpauth://totp/d , otpauth-migration://offline?data=A\n\
                    a,otpauth://totp/e,otpauth://totp/f\n";
        let got: Vec<&str> = items(text).collect();
        assert_eq!(
            got,
            [
                "otpauth://totp/a?secret=A,b",
                "otpauth://totp/c",
                ",x",
                "otpauth://totp/d",
                "otpauth-migration://offline?data=A",
                "a,otpauth://totp/e,otpauth://totp/f",
            ]
        );
    }
}
