//! What the import tests of 2FAS, andOTP, LastPass, FreeOTP+, Proton, Battle.net and
//! TOTP Authenticator share: fixtures (made by scripts/import-fixtures/*.py), one-line
//! summaries of accounts and warnings to compare with tables, and the truncation check.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use twofa::transfer::import::{import, Import, ImportOptions, ImportedAccount, Limits};
use twofa::Otp;

/// A fixture of `tests/fixtures/import/<family>/`.
pub fn fixture(family: &str, name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/import/{family}/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn with_password(password: &str) -> ImportOptions<'_> {
    ImportOptions {
        password: Some(password),
        ..ImportOptions::default()
    }
}

pub fn with_limits<'a>(password: &'a str, limits: Limits) -> ImportOptions<'a> {
    ImportOptions {
        password: Some(password),
        limits,
    }
}

/// `index kind algorithm digits period-or-counter issuer account secret name`.
pub fn summary(a: &ImportedAccount) -> String {
    let key = &a.key;
    let (kind, n) = match &key.otp {
        Otp::Totp(t) if t.format().is_steam() => ("steam", u64::from(t.period())),
        Otp::Totp(t) => ("totp", u64::from(t.period())),
        Otp::Hotp { counter, .. } => ("hotp", *counter),
    };
    format!(
        "{} {kind} {} {} {n} {:?} {:?} {} {:?}",
        a.index,
        key.otp.algorithm().as_str(),
        key.otp.format().len(),
        key.issuer.as_deref().unwrap_or(""),
        key.account,
        key.otp.secret().to_base32().as_str(),
        a.name,
    )
}

pub fn summaries(found: &Import) -> Vec<String> {
    found.accounts.iter().map(summary).collect()
}

/// `CODE message` of every warning (the message names the entry's index, which is
/// checked against `account_index` here).
pub fn warnings(found: &Import) -> Vec<String> {
    found
        .warnings
        .iter()
        .map(|w| {
            let message = w.to_string();
            let index = w.account_index().unwrap();
            assert!(
                message.starts_with(&format!("account {index}: ")),
                "{message}"
            );
            format!("{} {message}", w.code())
        })
        .collect()
}

/// `CODE: message` of an import that must fail.
pub fn error(input: &[u8], options: &ImportOptions<'_>) -> String {
    match import(input, options) {
        Ok(found) => panic!("imported {} accounts", found.accounts.len()),
        Err(e) => format!("{}: {e}", e.code()),
    }
}

/// Every prefix of `input`, with and without the password, either imports no more
/// accounts than the whole, or fails with a clean error; none panics.
pub fn truncations(input: &[u8], password: Option<&str>) {
    let full = import(
        input,
        &ImportOptions {
            password,
            ..ImportOptions::default()
        },
    )
    .unwrap()
    .accounts
    .len();
    for len in 0..input.len() {
        for password in [None, password] {
            let options = ImportOptions {
                password,
                ..ImportOptions::default()
            };
            match import(&input[..len], &options) {
                Ok(found) => assert!(found.accounts.len() <= full, "prefix {len}"),
                Err(e) => assert!(
                    [
                        "UNSUPPORTED_FORMAT",
                        "INVALID_IMPORT",
                        "PASSWORD_REQUIRED",
                        "WRONG_PASSWORD",
                        "IMPORT_LIMIT"
                    ]
                    .contains(&e.code().as_str()),
                    "prefix {len}: {e:?}"
                ),
            }
        }
    }
}
