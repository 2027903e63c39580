//! FreeOTP+'s JSON backup (fixture made by scripts/import-fixtures/freeotp_plus.py).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod import_b;

use import_b::*;
use twofa::transfer::import::{import, ImportFormat, ImportOptions};

#[test]
fn tokens_and_each_odd_entry() {
    let found = import(
        &fixture("freeotp_plus", "freeotp_plus.json"),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(found.format, ImportFormat::FreeOtpPlus);
    assert_eq!(
        summaries(&found),
        [
            // Signed bytes (-7, 22, ...) read back as the key.
            r#"0 totp SHA256 8 45 "ACME" "ada" 7ELGJSGXNCCTV3O6LKJWYFV2RAAAAAAA "ada""#,
            // The counter as written.
            r#"1 hotp SHA1 6 41 "Counter" "bob" GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ "bob""#,
            // An empty issuerExt: issuerInt.
            r#"2 totp SHA1 6 30 "Internal" "carol" MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U "carol""#,
        ]
    );
    assert_eq!(
        warnings(&found),
        [
            "NONSTANDARD_PERIOD account 0: codes change every 45 seconds; google authenticator assumes 30 and will show wrong codes",
            "UNSUPPORTED_ACCOUNT account 3: left out: its type is not TOTP or HOTP",
            "UNSUPPORTED_ACCOUNT account 4: left out: the secret cannot be read: it is not an array of bytes",
            "UNSUPPORTED_ACCOUNT account 5: left out: the entry has no secret",
            "UNSUPPORTED_ACCOUNT account 6: left out: the MD5 algorithm is not supported",
        ]
    );
}

#[test]
fn byte_values_at_the_edges() {
    let file = br#"{"tokenOrder":[],"tokens":[
        {"type":"TOTP","secret":[-128,127,0,255,-1,1,2,3,4,5,6,7,8,9,10,11]},
        {"type":"TOTP","secret":[-129]},
        {"type":"TOTP","secret":[256]},
        {"type":"TOTP","secret":[1.5]},
        {"type":"TOTP","secret":"JBSWY3DPEHPK3PXP"},
        {"type":"TOTP","secret":[]}]}"#;
    let found = import(file, &ImportOptions::default()).unwrap();
    assert_eq!(
        summaries(&found),
        // base64.b32encode(bytes([128, 127, 0, 255, 255, 1, ..., 11])) in Python.
        [r#"0 totp SHA1 6 30 "" "" QB7QB777AEBAGBAFAYDQQCIKBM """#]
    );
    assert_eq!(
        warnings(&found),
        [
            "UNSUPPORTED_ACCOUNT account 1: left out: the secret cannot be read: it is not an array of bytes",
            "UNSUPPORTED_ACCOUNT account 2: left out: the secret cannot be read: it is not an array of bytes",
            "UNSUPPORTED_ACCOUNT account 3: left out: the secret cannot be read: it is not an array of bytes",
            "UNSUPPORTED_ACCOUNT account 4: left out: the secret cannot be read: it is not an array of bytes",
            "UNSUPPORTED_ACCOUNT account 5: left out: the entry has no secret",
        ]
    );
}

#[test]
fn only_freeotp_plus_json_is_taken() {
    for other in [r#"{"tokens":[]}"#, r#"{"tokenOrder":[],"tokens":{}}"#] {
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
    truncations(&fixture("freeotp_plus", "freeotp_plus.json"), None);
}
