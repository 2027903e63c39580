//! The `import_<family>` targets: one format family's reader of `transfer::import` alone
//! (`twofa::fuzzing::import`), under caps that keep every key derivation small.
//!
//! Input: a flag byte (bit 0: a password follows, as a length byte and its text; bit 1:
//! " 🔑" is added to it, so that it is one no message could hold by chance), then the file.
//!
//! Properties:
//! - nothing panics, whatever the bytes;
//! - a refusal is one of the import codes: `PASSWORD_REQUIRED` only without a password,
//!   `WRONG_PASSWORD` only with one; an encrypted format is read only with a password;
//! - no error or warning message holds the password, nor a run of eight or more base32
//!   capitals with letters and digits among them, as a secret taken from the file would
//!   show (the messages are fixed texts, which hold none); no error's `Debug` holds the
//!   password;
//! - every entry is an account or a warning, never both: no entry left out
//!   (`UNSUPPORTED_ACCOUNT`) has the index of an account, no two accounts share one, and
//!   every warning names its entry;
//! - every account round-trips through its otpauth:// URI: `to_uri`, then `parse`, gives
//!   the same key.

use super::common::Input;
use twofa::transfer::KeyUri;

/// The codes a reader may refuse a file with.
const CODES: [&str; 5] = [
    "UNSUPPORTED_FORMAT",
    "PASSWORD_REQUIRED",
    "WRONG_PASSWORD",
    "INVALID_IMPORT",
    "IMPORT_LIMIT",
];

/// The longest run of base32 capitals (`A`–`Z`, `2`–`7`) in `text` that holds both a
/// letter and a digit, as base32 of random bytes does: a number (`33554432`) or a field
/// named in capitals (`AUTHENTICATOR_DEVICE_SECRET`) is no secret.
fn base32_run(text: &str) -> usize {
    let (mut best, mut run, mut letters, mut digits) = (0, 0, 0, 0);
    for c in text.chars() {
        if c.is_ascii_uppercase() || ('2'..='7').contains(&c) {
            run += 1;
            letters += usize::from(c.is_ascii_uppercase());
            digits += usize::from(c.is_ascii_digit());
            if letters > 0 && digits > 0 {
                best = best.max(run);
            }
        } else {
            (run, letters, digits) = (0, 0, 0);
        }
    }
    best
}

/// A text shown to a user holds nothing of the file's secrets, nor the password.
fn clean(family: &str, what: &str, text: &str, password: Option<&str>) {
    assert!(
        base32_run(text) < 8,
        "{family}: {what} holds what looks like a secret: {text:?}"
    );
    if let Some(p) = password {
        assert!(!text.contains(p), "{family}: {what} holds the password");
    }
}

pub fn check(family: &str, data: &[u8]) {
    let mut input = Input::new(data);
    let flags = input.byte();
    let password = (flags & 1 == 1).then(|| {
        let mut p = input.text(64);
        if flags & 2 == 2 {
            p.push_str(" \u{1F511}");
        }
        p
    });
    let bytes = input.rest();
    let Some(found) = twofa::fuzzing::import::read(family, bytes, password.as_deref()) else {
        return;
    };
    // A password no fixed message could hold: eight characters or more, one not ASCII.
    let watched = password
        .as_deref()
        .filter(|p| p.chars().count() >= 8 && !p.is_ascii());
    let found = match found {
        Err(err) => {
            let code = err.code().as_str();
            assert!(
                CODES.contains(&code),
                "{family}: refused with {code}: {err}"
            );
            match code {
                "PASSWORD_REQUIRED" => assert!(password.is_none(), "{family}: {err}"),
                "WRONG_PASSWORD" => assert!(password.is_some(), "{family}: {err}"),
                _ => {}
            }
            clean(family, "an error", &err.to_string(), watched);
            // Debug adds the code, in capitals: only the password is looked for there.
            if let Some(p) = watched {
                assert!(
                    !format!("{err:?}").contains(p),
                    "{family}: an error's Debug holds the password"
                );
            }
            return;
        }
        Ok(found) => found,
    };
    assert!(
        !found.format.is_encrypted() || password.is_some(),
        "{family}: {} read without a password",
        found.format.as_str()
    );
    let mut indexes: Vec<usize> = found.accounts.iter().map(|a| a.index).collect();
    indexes.sort_unstable();
    indexes.dedup();
    assert_eq!(
        indexes.len(),
        found.accounts.len(),
        "{family}: two accounts share an index"
    );
    for w in &found.warnings {
        let index = w.account_index();
        assert!(index.is_some(), "{family}: a warning names no entry: {w}");
        if w.code() == twofa::WarningCode::UnsupportedAccount {
            assert!(
                indexes.binary_search(&index.unwrap_or_default()).is_err(),
                "{family}: entry {index:?} is both an account and left out"
            );
        }
        clean(family, "a warning", &w.to_string(), watched);
    }
    for account in &found.accounts {
        let key = &account.key;
        match key.to_uri() {
            Ok(uri) => {
                let back = KeyUri::parse(&uri)
                    .unwrap_or_else(|e| panic!("{family}: its own URI does not read back: {e}"));
                assert_eq!(&back.key, key, "{family}: the URI gives another account");
            }
            // Only names too long for a URI (65,536 bytes) may keep an account from one.
            Err(e) => {
                let names = key.issuer.as_deref().unwrap_or_default().len() + key.account.len();
                assert!(
                    e.code() == twofa::Code::InvalidUri
                        && names * 3 > twofa::transfer::MAX_URI_LEN / 2,
                    "{family}: an account has no URI: {e}"
                );
            }
        }
    }
}
