//! andOTP backups: plain, encrypted and the old encrypted format (fixtures made by
//! scripts/import-fixtures/andotp.py with hashlib and `cryptography`).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod import_b;

use import_b::*;
use twofa::transfer::import::{import, ImportFormat, ImportOptions, Limits};

const PASSWORD: &str = "andotp password";

const ACCOUNTS: &[&str] = &[
    r#"0 totp SHA1 6 30 "ACME" "ada" JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP "ada""#,
    r#"1 totp SHA512 8 60 "Long" "bob" GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ "bob""#,
    r#"2 hotp SHA256 6 12 "Counter" "carol" MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U "carol""#,
    r#"3 steam SHA1 5 30 "Steam" "dan" ONSWG4TFOQQGC3TEEBZWKY3SMV2CAMJS "dan""#,
];

const WARNINGS: &[&str] = &[
    "NONSTANDARD_PERIOD account 1: codes change every 60 seconds; google authenticator assumes 30 and will show wrong codes",
    "UNSUPPORTED_ACCOUNT account 4: left out: mOTP accounts are not supported",
    "UNSUPPORTED_ACCOUNT account 5: left out: its type is not TOTP, HOTP, STEAM or MOTP",
    "UNSUPPORTED_ACCOUNT account 6: left out: the MD5 algorithm is not supported",
    "UNSUPPORTED_ACCOUNT account 7: left out: the entry has no secret",
    "UNSUPPORTED_ACCOUNT account 8: left out: the counter is not a whole number from 0 to 2^64 - 1",
];

/// The old format's entries: no issuer field, `issuer - account` labels.
const OLD_ACCOUNTS: &[&str] = &[
    r#"0 totp SHA1 6 30 "ACME" "ada@example.com" JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP "ACME - ada@example.com""#,
    r#"1 hotp SHA1 6 3 "" "no issuer here" GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ "no issuer here""#,
];

const WRONG: &str =
    "WRONG_PASSWORD: the password does not open the andOTP export, or the export was changed";

#[test]
fn plain_every_type_and_each_odd_entry() {
    let found = import(&fixture("andotp", "plain.json"), &ImportOptions::default()).unwrap();
    assert_eq!(found.format, ImportFormat::AndOtp);
    assert_eq!(summaries(&found), ACCOUNTS);
    assert_eq!(warnings(&found), WARNINGS);
}

#[test]
fn encrypted_opens_with_the_password() {
    let found = import(
        &fixture("andotp", "encrypted.bin"),
        &with_password(PASSWORD),
    )
    .unwrap();
    assert_eq!(found.format, ImportFormat::AndOtpEncrypted);
    assert_eq!(summaries(&found), ACCOUNTS);
    assert_eq!(warnings(&found), WARNINGS);
}

#[test]
fn the_old_format_opens_whatever_its_nonce_reads_as() {
    for file in ["encrypted_old.bin", "encrypted_old_high.bin"] {
        let found = import(&fixture("andotp", file), &with_password(PASSWORD)).unwrap();
        assert_eq!(found.format, ImportFormat::AndOtpEncrypted, "{file}");
        assert_eq!(summaries(&found), OLD_ACCOUNTS, "{file}");
        assert!(found.warnings.is_empty(), "{file}");
    }
}

#[test]
fn without_or_with_a_wrong_password() {
    for file in [
        "encrypted.bin",
        "encrypted_old.bin",
        "encrypted_old_high.bin",
        "bomb.bin",
    ] {
        assert_eq!(
            error(&fixture("andotp", file), &ImportOptions::default()),
            "PASSWORD_REQUIRED: the andOTP export is encrypted: give its password",
            "{file}"
        );
    }
    assert_eq!(
        error(&fixture("andotp", "encrypted.bin"), &with_password("wrong")),
        WRONG
    );
    // The old format's nonce starting with a set bit is no Java int: only the old format
    // can be tried.
    assert_eq!(
        error(
            &fixture("andotp", "encrypted_old_high.bin"),
            &with_password("wrong")
        ),
        WRONG
    );
    // Its nonce 28 29 2a 2b reads as 673,786,411 iterations: more than andOTP ever writes
    // and than twofa's default cap, so no backup of the new format: a wrong password.
    assert_eq!(
        error(
            &fixture("andotp", "encrypted_old.bin"),
            &with_password("wrong")
        ),
        WRONG
    );
}

#[test]
fn changed_bytes_do_not_open() {
    let file = fixture("andotp", "encrypted.bin");
    for at in [4, 16, 28, file.len() / 2, file.len() - 1] {
        let mut changed = file.clone();
        changed[at] ^= 0x01;
        assert_eq!(
            error(&changed, &with_password(PASSWORD)),
            WRONG,
            "byte {at}"
        );
    }
    let old = fixture("andotp", "encrypted_old_high.bin");
    for at in [0, 12, old.len() - 1] {
        let mut changed = old.clone();
        changed[at] ^= 0x01;
        assert_eq!(
            error(&changed, &with_password(PASSWORD)),
            WRONG,
            "byte {at}"
        );
    }
}

#[test]
fn a_cost_bomb_is_refused_before_work() {
    let started = std::time::Instant::now();
    // 2,000,000,000 iterations: past the default cap, so no backup andOTP wrote (it
    // writes 140,000 to 160,000); refused as a password that opens nothing, with no work.
    assert_eq!(
        error(&fixture("andotp", "bomb.bin"), &with_password(PASSWORD)),
        WRONG
    );
    assert!(started.elapsed().as_secs() < 2);
    // The fixture's own 1,000 iterations, under a lower cap.
    let limits = Limits {
        max_iterations: 999,
        ..Limits::default()
    };
    assert_eq!(
        error(&fixture("andotp", "encrypted.bin"), &with_limits(PASSWORD, limits)),
        "IMPORT_LIMIT: the PBKDF2 iterations of an andOTP backup (an old backup given a wrong password looks the same) is 1000, over the limit of 999"
    );
}

#[test]
fn binary_of_other_formats_is_not_taken_for_andotp() {
    let mut tail = vec![0x55u8; 64];
    tail[10] = 0xff; // not UTF-8
    for magic in [
        &b"\x89PNG\r\n\x1a\n"[..],
        b"PK\x03\x04",
        b"\xac\xed\x00\x05",
        b"AUTHENTICATORPRO",
        b"AuthenticatorPro",
        b"\x1f\x8b\x08",
    ] {
        let input = [magic, &tail].concat();
        // Another family's reader (ZIP, FreeOTP, Authenticator Pro) or none may refuse
        // it, but never andOTP's.
        let err = import(&input, &with_password(PASSWORD)).unwrap_err();
        assert!(!err.to_string().contains("andOTP"), "{magic:?}: {err:?}");
    }
    // Text that stops being UTF-8 further on (an XML file cut inside a character) is not
    // a backup.
    let cut = "<?xml version='1.0' encoding='utf-8'?><map><string name=\"é\">".as_bytes();
    let cut = &cut[..cut.len() - 3];
    assert_eq!(
        error(cut, &with_password(PASSWORD)),
        "UNSUPPORTED_FORMAT: not an export twofa reads: it is binary data of no export twofa knows"
    );
    // Under 28 bytes (a nonce and a tag) is too short to be andOTP's.
    assert_eq!(
        error(&[0xffu8; 27], &with_password(PASSWORD)),
        "UNSUPPORTED_FORMAT: not an export twofa reads: it is binary data of no export twofa knows"
    );
    // JSON arrays of other things are not andOTP backups.
    for other in [&b"[]"[..], br#"[{"secret":"A","type":"TOTP"}]"#, b"[1]"] {
        assert_eq!(
            import(other, &ImportOptions::default()).unwrap_err().code(),
            "UNSUPPORTED_FORMAT"
        );
    }
}

#[test]
fn every_truncation_fails_cleanly() {
    truncations(&fixture("andotp", "plain.json"), None);
    // One PBKDF2 iteration: each prefix may derive a key (unoptimised in debug builds).
    let small = fixture("andotp", "small.bin");
    let found = import(&small, &with_password(PASSWORD)).unwrap();
    assert_eq!(summaries(&found), ACCOUNTS[..2]);
    truncations(&small, Some(PASSWORD));
    truncations(&fixture("andotp", "encrypted_old_high.bin"), Some(PASSWORD));
}
