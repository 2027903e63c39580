//! LastPass Authenticator's JSON exports (fixtures made by
//! scripts/import-fixtures/lastpass.py).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod import_b;

use import_b::*;
use twofa::transfer::import::{import, ImportFormat, ImportOptions};

#[test]
fn android_export_and_each_odd_entry() {
    let found = import(
        &fixture("lastpass", "android.json"),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(found.format, ImportFormat::LastPass);
    assert_eq!(
        summaries(&found),
        [
            r#"0 totp SHA1 6 30 "ACME" "ada" JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP "ada""#,
            r#"1 totp SHA256 9 60 "Nine" "bob" GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ "bob""#,
            r#"2 totp SHA512 6 30 "OnlyIssuer" "" MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U "OnlyIssuer""#,
            r#"3 totp SHA1 6 30 "" "only user" ONSWG4TFOQQGC3TEEBZWKY3SMU "only user""#,
        ]
    );
    assert_eq!(
        warnings(&found),
        [
            "NONSTANDARD_DIGITS account 1: codes have 9 digits; google authenticator shows 6 or 8 and will show wrong codes",
            "NONSTANDARD_PERIOD account 1: codes change every 60 seconds; google authenticator assumes 30 and will show wrong codes",
            "ACCOUNT_CHANGED account 3: changed: the secret's base32 ended in characters that make no whole byte; they were dropped",
            "UNSUPPORTED_ACCOUNT account 4: left out: the MD5 algorithm is not supported",
            "UNSUPPORTED_ACCOUNT account 5: left out: the entry has no secret",
            "UNSUPPORTED_ACCOUNT account 6: left out: a period of 0 seconds is not supported",
        ]
    );
}

#[test]
fn ios_export() {
    let found = import(&fixture("lastpass", "ios.json"), &ImportOptions::default()).unwrap();
    assert_eq!(found.format, ImportFormat::LastPass);
    assert_eq!(
        summaries(&found),
        [r#"0 totp SHA1 6 30 "iOS" "fay" KRUGKIDROVUWG2ZAMJZG653OEBTG66BA "fay""#]
    );
    assert!(found.warnings.is_empty());
}

#[test]
fn only_lastpass_json_is_taken() {
    for other in [
        r#"{"accounts":[{"secret":"JBSWY3DPEHPK3PXP","timeStep":30}]}"#,
        r#"{"version":1,"accounts":[{"secret":"JBSWY3DPEHPK3PXP"}]}"#,
        r#"{"version":1,"accounts":[]}"#,
        r#"{"version":1,"accounts":{}}"#,
    ] {
        assert_eq!(
            import(other.as_bytes(), &ImportOptions::default())
                .unwrap_err()
                .code(),
            "UNSUPPORTED_FORMAT",
            "{other}"
        );
    }
    let empty = import(
        br#"{"version":3,"deviceName":"x","accounts":[]}"#,
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (empty.format, empty.accounts.len()),
        (ImportFormat::LastPass, 0)
    );
}

#[test]
fn every_truncation_fails_cleanly() {
    truncations(&fixture("lastpass", "android.json"), None);
}
