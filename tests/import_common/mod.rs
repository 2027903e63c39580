//! What the import tests of Bitwarden, Ente and the Authenticator extension share: an
//! import written as lines of text, so that a test compares everything it read at once,
//! and the truncation check.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use twofa::transfer::import::{import, Import, ImportOptions};
use twofa::Otp;

/// The path of a fixture of `tests/fixtures/import/`.
pub fn fixture(path: &str) -> Vec<u8> {
    let full = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/");
    std::fs::read(format!("{full}{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Each account as `index: kind issuer|account secret algorithm digits period-or-counter
/// [name]`, then each warning as `index CODE: message`.
pub fn summary(found: &Import) -> Vec<String> {
    let mut lines: Vec<String> = found
        .accounts
        .iter()
        .map(|a| {
            let key = &a.key;
            let (kind, when) = match &key.otp {
                Otp::Totp(t) if t.format().is_steam() => ("steam", t.period().to_string()),
                Otp::Totp(t) => ("totp", t.period().to_string()),
                Otp::Hotp { counter, .. } => ("hotp", counter.to_string()),
            };
            format!(
                "{}: {kind} {}|{} {} {} {} {when} [{}]",
                a.index,
                key.issuer.as_deref().unwrap_or("-"),
                key.account,
                key.otp.secret().to_base32(),
                key.otp.algorithm().as_str(),
                key.otp.format().len(),
                a.name,
            )
        })
        .collect();
    lines.extend(found.warnings.iter().map(|w| {
        format!(
            "{} {}: {w}",
            w.account_index()
                .map_or_else(|| "-".to_owned(), |i| i.to_string()),
            w.code()
        )
    }));
    lines
}

/// The error's code and message.
pub fn error(input: &[u8], password: Option<&str>) -> String {
    let options = ImportOptions {
        password,
        ..ImportOptions::default()
    };
    match import(input, &options) {
        Ok(found) => panic!("imported as {:?}: {:?}", found.format, summary(&found)),
        Err(e) => format!("{}: {e}", e.code()),
    }
}

/// The entries an import names: its accounts' indices and its warnings'.
fn entries(found: &Import) -> std::collections::BTreeSet<usize> {
    let accounts = found.accounts.iter().map(|a| a.index);
    let warned = found.warnings.iter().filter_map(|w| w.account_index());
    accounts.chain(warned).collect()
}

/// Every prefix of `bytes` names no more entries than the whole (a cut entry may read
/// differently: `ot`, left of an otpauth:// URI, is base32), or fails with a clean error;
/// none panics.
pub fn truncations(bytes: &[u8], password: Option<&str>) {
    let options = ImportOptions {
        password,
        ..ImportOptions::default()
    };
    let whole = entries(&import(bytes, &options).unwrap());
    for len in 0..bytes.len() {
        match import(&bytes[..len], &options) {
            Ok(found) => assert!(
                entries(&found).len() <= whole.len(),
                "prefix of {len} bytes read more entries than the whole"
            ),
            Err(e) => assert!(!e.to_string().is_empty(), "prefix of {len} bytes"),
        }
    }
}

/// `count` copies of `bytes`, each with a few bytes changed, inserted or removed at
/// places drawn from `seed` (xorshift64): each imports or fails with a clean error; none
/// panics. Changes fall in JSON syntax, names, numbers and base64 alike.
pub fn mutations(bytes: &[u8], password: Option<&str>, seed: u64, count: usize) {
    let options = ImportOptions {
        password,
        ..ImportOptions::default()
    };
    let mut state = seed;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    const BYTES: &[u8] = b"{}[]\",:0129-.eE \\\"u\xff\x00aZ=+/";
    for case in 0..count {
        let mut copy = bytes.to_vec();
        for _ in 0..1 + next() % 3 {
            let at = (next() % copy.len().max(1) as u64) as usize;
            let byte = BYTES[(next() % BYTES.len() as u64) as usize];
            match next() % 3 {
                0 if at < copy.len() => copy[at] = byte,
                1 => copy.insert(at.min(copy.len()), byte),
                _ if at < copy.len() => {
                    copy.remove(at);
                }
                _ => {}
            }
        }
        if let Err(e) = import(&copy, &options) {
            assert!(!e.to_string().is_empty(), "case {case}");
        }
    }
}
