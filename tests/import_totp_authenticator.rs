//! TOTP Authenticator's encrypted backups (fixtures made by
//! scripts/import-fixtures/totp_authenticator.py with hashlib and `cryptography`).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod import_b;

use import_b::*;
use twofa::transfer::import::{import, ImportFormat, ImportOptions};

const PASSWORD: &str = "Totp password1";
const WRONG: &str =
    "WRONG_PASSWORD: the password does not open the TOTP Authenticator export, or the export was changed";

#[test]
fn every_base_and_each_odd_entry() {
    let found = import(
        &fixture("totp_authenticator", "backup.bin"),
        &with_password(PASSWORD),
    )
    .unwrap();
    assert_eq!(found.format, ImportFormat::TotpAuthenticatorEncrypted);
    // Python: base64.b32encode(bytes(range(0x41, 0x55))), base64.b32encode(bytes(range(0xE0, 0xF4))).
    assert_eq!(
        summaries(&found),
        [
            r#"0 totp SHA1 6 30 "ACME" "ada" IFBEGRCFIZDUQSKKJNGE2TSPKBIVEU2U "ada""#,
            r#"1 totp SHA1 7 20 "Seven" "bob" GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ "bob""#,
            r#"2 totp SHA1 6 30 "Unknown" "carol" 4DQ6FY7E4XTOP2HJ5LV6Z3PO57YPD4XT "carol""#,
        ]
    );
    assert_eq!(
        warnings(&found),
        [
            "NONSTANDARD_DIGITS account 1: codes have 7 digits; google authenticator shows 6 or 8 and will show wrong codes",
            "NONSTANDARD_PERIOD account 1: codes change every 20 seconds; google authenticator assumes 30 and will show wrong codes",
            "UNSUPPORTED_ACCOUNT account 3: left out: its key is in a base other than 16, 32 or 64",
            "UNSUPPORTED_ACCOUNT account 4: left out: the entry has no secret",
            "UNSUPPORTED_ACCOUNT account 5: left out: the secret cannot be read: it is not hex",
        ]
    );
}

#[test]
fn older_backups_with_entries_as_json_text_in_lines() {
    let found = import(
        &fixture("totp_authenticator", "older.bin"),
        &with_password(PASSWORD),
    )
    .unwrap();
    assert_eq!(
        summaries(&found),
        [r#"0 totp SHA1 6 30 "ACME" "ada" IFBEGRCFIZDUQSKKJNGE2TSPKBIVEU2U "ada""#]
    );
    assert!(found.warnings.is_empty());
}

#[test]
fn without_or_with_a_wrong_password() {
    let file = fixture("totp_authenticator", "backup.bin");
    assert_eq!(
        error(&file, &ImportOptions::default()),
        "PASSWORD_REQUIRED: the TOTP Authenticator export is encrypted: give its password"
    );
    // CBC has no tag: bad padding, or a plaintext that is not the JSON, both say so.
    for wrong in ["totp password1", "TotpAuthenticator", ""] {
        assert_eq!(error(&file, &with_password(wrong)), WRONG, "{wrong:?}");
    }
}

#[test]
fn changed_ciphertext_does_not_open() {
    let text = String::from_utf8(fixture("totp_authenticator", "backup.bin")).unwrap();
    // A changed first block garbles the JSON's start; a changed last block its padding.
    for at in [0, text.len() - 10] {
        let mut bytes = text.clone().into_bytes();
        bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
        assert_eq!(error(&bytes, &with_password(PASSWORD)), WRONG, "at {at}");
    }
}

#[test]
fn text_that_is_not_this_apps_base64_is_left_alone() {
    for other in [
        // Bare base32 secrets (64 symbols decode to 48 bytes, three blocks).
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        // Under two blocks.
        "YWJjZGVmZ2hpamtsbW5vcA==",
        // Not a whole number of blocks.
        "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXphYmNkZWZnaGlqa2xtbm8=",
        "hello world",
    ] {
        assert_eq!(
            import(other.as_bytes(), &with_password(PASSWORD))
                .unwrap_err()
                .code(),
            "UNSUPPORTED_FORMAT",
            "{other}"
        );
    }
}

#[test]
fn every_truncation_fails_cleanly() {
    truncations(&fixture("totp_authenticator", "older.bin"), Some(PASSWORD));
    truncations(&fixture("totp_authenticator", "backup.bin"), Some(PASSWORD));
}
