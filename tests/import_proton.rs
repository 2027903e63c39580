//! Proton Authenticator's exports, plain and password-protected (fixtures made by
//! scripts/import-fixtures/proton.py with argon2-cffi and `cryptography`, following
//! proton-pass-common's exporter: no file made by the app exists in the corpus, so these
//! fixtures are the encrypted format's only test).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod import_b;

use import_b::*;
use twofa::transfer::import::{import, ImportFormat, ImportOptions, Limits};

const PASSWORD: &str = "proton password";

const ACCOUNTS: &[&str] = &[
    r#"0 totp SHA256 8 15 "ACME" "ada" JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP "ada""#,
    r#"1 steam SHA1 5 30 "Steam" "my steam" GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ "my steam""#,
    // base64.b32encode(bytes(range(0xF0, 0xFF)) + b"\1\2\3\4\5") in Python.
    r#"2 steam SHA1 5 30 "Steam" "base64 steam" 6DY7F47U6X3PP6HZ7L57Z7P6AEBAGBAF "base64 steam""#,
    r#"6 totp SHA1 6 30 "Issuer Only" "Issuer Only" ONSWG4TFOQQGC3TEEBZWKY3SMV2CAMJS "Issuer Only""#,
];

const WARNINGS: &[&str] = &[
    "NONSTANDARD_PERIOD account 0: codes change every 15 seconds; google authenticator assumes 30 and will show wrong codes",
    "UNSUPPORTED_ACCOUNT account 3: left out: its entry_type is not Totp or Steam",
    "UNSUPPORTED_ACCOUNT account 4: left out: its otpauth:// URI is malformed",
    "UNSUPPORTED_ACCOUNT account 5: left out: its Steam URI does not start with steam://",
];

const WRONG: &str = "WRONG_PASSWORD: the password does not open the Proton Authenticator export, or the export was changed";

#[test]
fn plain_totp_and_steam_and_each_odd_entry() {
    let found = import(&fixture("proton", "plain.json"), &ImportOptions::default()).unwrap();
    assert_eq!(found.format, ImportFormat::ProtonAuthenticator);
    assert_eq!(summaries(&found), ACCOUNTS);
    assert_eq!(warnings(&found), WARNINGS);
}

#[test]
fn encrypted_opens_with_the_password() {
    let found = import(
        &fixture("proton", "encrypted.json"),
        &with_password(PASSWORD),
    )
    .unwrap();
    assert_eq!(found.format, ImportFormat::ProtonAuthenticatorEncrypted);
    assert_eq!(summaries(&found), ACCOUNTS);
    assert_eq!(warnings(&found), WARNINGS);
}

#[test]
fn encrypted_without_or_with_a_wrong_password() {
    let file = fixture("proton", "encrypted.json");
    assert_eq!(
        error(&file, &ImportOptions::default()),
        "PASSWORD_REQUIRED: the Proton Authenticator export is encrypted: give its password"
    );
    assert_eq!(error(&file, &with_password("Proton password")), WRONG);
}

#[test]
fn the_associated_data_is_part_of_the_format() {
    // Sealed with the right key but without Proton's associated data.
    assert_eq!(
        error(
            &fixture("proton", "encrypted_no_aad.json"),
            &with_password(PASSWORD)
        ),
        WRONG
    );
}

#[test]
fn changed_content_or_salt_does_not_open() {
    let text = String::from_utf8(fixture("proton", "encrypted.json")).unwrap();
    let content = text.split("\"content\": \"").nth(1).unwrap();
    let content = &content[..content.find('"').unwrap()];
    // The last base64 symbol before the padding carries tag bits.
    let body = content.trim_end_matches('=');
    let last = body.chars().last().unwrap();
    let other = if last == 'A' { 'B' } else { 'A' };
    let changed = format!(
        "{}{other}{}",
        &body[..body.len() - 1],
        &content[body.len()..]
    );
    assert_eq!(
        error(
            text.replace(content, &changed).as_bytes(),
            &with_password(PASSWORD)
        ),
        WRONG
    );
    let salt = "MDEyMzQ1Njc4OTo7PD0+Pw=="; // bytes 0x30..0x3f
    assert!(text.contains(salt));
    let other_salt = "MDEyMzQ1Njc4OTo7PD0+Pg==";
    assert_eq!(
        error(
            text.replace(salt, other_salt).as_bytes(),
            &with_password(PASSWORD)
        ),
        WRONG
    );
    for (bad_salt, what) in [("MDEy", "3 bytes"), ("*", "not base64")] {
        assert_eq!(
            error(text.replace(salt, bad_salt).as_bytes(), &with_password(PASSWORD)),
            "INVALID_IMPORT: invalid Proton Authenticator export: its salt is not 16 bytes in base64",
            "{what}"
        );
    }
    assert_eq!(
        error(text.replace(content, "AAAA").as_bytes(), &with_password(PASSWORD)),
        "INVALID_IMPORT: invalid Proton Authenticator export: its content is not a nonce, ciphertext and tag in base64"
    );
}

#[test]
fn the_argon2_cost_is_checked_against_the_limit_before_work() {
    let limits = Limits {
        max_memory_kib: 19 * 1024 - 1,
        ..Limits::default()
    };
    assert_eq!(
        error(
            &fixture("proton", "encrypted.json"),
            &with_limits(PASSWORD, limits)
        ),
        "IMPORT_LIMIT: Argon2 memory (KiB) is 19456, over the limit of 19455"
    );
}

#[test]
fn versions_other_than_1_are_refused() {
    let plain = String::from_utf8(fixture("proton", "plain.json")).unwrap();
    assert_eq!(
        error(
            plain.replace("\"version\": 1", "\"version\": 2").as_bytes(),
            &ImportOptions::default()
        ),
        "INVALID_IMPORT: invalid Proton Authenticator export: its version is not 1, the one twofa reads"
    );
    let sealed = String::from_utf8(fixture("proton", "encrypted.json")).unwrap();
    assert_eq!(
        error(
            sealed.replace("\"version\": 1", "\"version\": 2").as_bytes(),
            &with_password(PASSWORD)
        ),
        "INVALID_IMPORT: invalid Proton Authenticator export: its version is not 1, the one twofa reads"
    );
}

#[test]
fn only_proton_json_is_taken() {
    for other in [
        r#"{"entries":[]}"#,
        r#"{"version":1,"entries":[{"uri":"otpauth://totp/a?secret=JBSWY3DPEHPK3PXP"}]}"#,
        r#"{"version":1,"salt":"AAAA","entries":[]}"#,
        r#"{"version":1,"salt":"AAAA"}"#,
        r#"{"version":1,"salt":"AAAA","data":"AAAA"}"#,
    ] {
        assert_eq!(
            import(other.as_bytes(), &ImportOptions::default())
                .unwrap_err()
                .code(),
            "UNSUPPORTED_FORMAT",
            "{other}"
        );
    }
}

#[test]
fn every_truncation_fails_cleanly() {
    truncations(&fixture("proton", "plain.json"), None);
    truncations(&fixture("proton", "encrypted.json"), Some(PASSWORD));
}
