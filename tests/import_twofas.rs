//! 2FAS backups, schema 1 and 4, plain and encrypted (fixtures made by
//! scripts/import-fixtures/twofas.py with hashlib and `cryptography`).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod import_b;

use import_b::*;
use twofa::transfer::import::{import, ImportFormat, ImportOptions, Limits};

const PASSWORD: &str = "correct horse";

/// The accounts of the fixtures' nine services (4 to 7 are left out).
const ACCOUNTS: &[&str] = &[
    r#"0 totp SHA256 8 60 "ACME" "ada" JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP "ACME""#,
    r#"1 hotp SHA1 6 7 "Counter Inc" "bob" GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ "Counter""#,
    r#"2 steam SHA1 5 30 "Steam" "" MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U "Steam""#,
    r#"3 totp SHA1 6 30 "NoIssuer" "carol" ONSWG4TFOQQGC3TEEBZWKY3SMV2CAMJS "NoIssuer""#,
    r#"8 totp SHA1 6 30 "Spaced" "eve" OBQWIZDJNZTSA2LTEBXGS3TFEB2GK6DU " Spaced ""#,
];

const WARNINGS: &[&str] = &[
    "NONSTANDARD_PERIOD account 0: codes change every 60 seconds; google authenticator assumes 30 and will show wrong codes",
    "UNSUPPORTED_ACCOUNT account 4: left out: its tokenType is not TOTP, HOTP or STEAM",
    "UNSUPPORTED_ACCOUNT account 5: left out: the MD5 algorithm is not supported",
    "UNSUPPORTED_ACCOUNT account 6: left out: the entry has no secret",
    "UNSUPPORTED_ACCOUNT account 7: left out: codes of 12 digits are not supported",
    "ACCOUNT_CHANGED account 8: changed: white space at either end of the issuer or account name was trimmed",
];

#[test]
fn plain_schema_4_every_token_type_and_each_odd_entry() {
    let found = import(
        &fixture("twofas", "plain_v4.2fas"),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(found.format, ImportFormat::TwoFas);
    assert_eq!(summaries(&found), ACCOUNTS);
    assert_eq!(warnings(&found), WARNINGS);
}

#[test]
fn plain_schema_1_takes_the_defaults() {
    let found = import(
        &fixture("twofas", "plain_v1.json"),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(found.format, ImportFormat::TwoFas);
    assert_eq!(
        summaries(&found),
        [r#"0 totp SHA1 6 30 "First" "ada" JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP "First""#]
    );
    assert!(found.warnings.is_empty());
}

#[test]
fn encrypted_opens_with_the_password() {
    let found = import(
        &fixture("twofas", "encrypted_v4.2fas"),
        &with_password(PASSWORD),
    )
    .unwrap();
    assert_eq!(found.format, ImportFormat::TwoFasEncrypted);
    assert_eq!(summaries(&found), ACCOUNTS);
    assert_eq!(warnings(&found), WARNINGS);
}

#[test]
fn encrypted_without_or_with_a_wrong_password() {
    let file = fixture("twofas", "encrypted_v4.2fas");
    assert_eq!(
        error(&file, &ImportOptions::default()),
        "PASSWORD_REQUIRED: the 2FAS export is encrypted: give its password"
    );
    assert_eq!(
        error(&file, &with_password("correct horse ")),
        "WRONG_PASSWORD: the password does not open the 2FAS export, or the export was changed"
    );
}

#[test]
fn changed_services_are_told_from_a_wrong_password_by_the_reference() {
    let file = fixture("twofas", "changed.2fas");
    assert_eq!(
        error(&file, &with_password(PASSWORD)),
        "INVALID_IMPORT: invalid 2FAS export: its servicesEncrypted was changed: the password opens its reference but not its services"
    );
    assert_eq!(
        error(&file, &with_password("wrong")),
        "WRONG_PASSWORD: the password does not open the 2FAS export, or the export was changed"
    );
}

#[test]
fn a_changed_nonce_or_salt_is_a_changed_file() {
    let text = String::from_utf8(fixture("twofas", "encrypted_v4.2fas")).unwrap();
    let sealed = text.split("\"servicesEncrypted\": \"").nth(1).unwrap();
    let sealed = &sealed[..sealed.find('"').unwrap()];
    let parts: Vec<&str> = sealed.split(':').collect();
    // Another 12-byte nonce, then another salt (the reference keeps its own, so it is
    // derived for apart): the services do not open, the reference does.
    for changed in [
        format!("{}:{}:AAAAAAAAAAAAAAAA", parts[0], parts[1]),
        format!("{}:AAAA:{}", parts[0], parts[2]),
    ] {
        let file = text.replace(sealed, &changed);
        assert_eq!(
            error(file.as_bytes(), &with_password(PASSWORD)),
            "INVALID_IMPORT: invalid 2FAS export: its servicesEncrypted was changed: the password opens its reference but not its services"
        );
        assert_eq!(
            error(file.as_bytes(), &with_password("wrong")),
            "WRONG_PASSWORD: the password does not open the 2FAS export, or the export was changed"
        );
    }
    for (bad, what) in [
        (format!("{}:{}", parts[0], parts[1]), "two parts"),
        (format!("{}:{}:AAAA", parts[0], parts[1]), "a 3-byte nonce"),
        (format!("AAAA:{}:{}", parts[1], parts[2]), "no tag"),
        (format!("{}:{}:*", parts[0], parts[1]), "not base64"),
    ] {
        let file = text.replace(sealed, &bad);
        assert_eq!(
            error(file.as_bytes(), &with_password(PASSWORD)),
            "INVALID_IMPORT: invalid 2FAS export: its servicesEncrypted is not base64(data):base64(salt):base64(12-byte nonce)",
            "{what}"
        );
    }
}

#[test]
fn a_schema_after_4_is_refused() {
    assert_eq!(
        error(&fixture("twofas", "schema5.2fas"), &ImportOptions::default()),
        "INVALID_IMPORT: invalid 2FAS export: its schemaVersion is not 1 to 4, the versions twofa reads"
    );
}

#[test]
fn the_iterations_are_checked_against_the_limit_before_work() {
    let limits = Limits {
        max_iterations: 9_999,
        ..Limits::default()
    };
    assert_eq!(
        error(
            &fixture("twofas", "encrypted_v4.2fas"),
            &with_limits(PASSWORD, limits)
        ),
        "IMPORT_LIMIT: PBKDF2 iterations is 10000, over the limit of 9999"
    );
}

#[test]
fn other_json_is_not_taken_for_2fas() {
    for other in [
        r#"{"services":[]}"#,
        r#"{"schemaVersion":4}"#,
        r#"{"schemaVersion":4,"services":{}}"#,
        r#"[{"schemaVersion":4,"services":[]}]"#,
    ] {
        assert_eq!(
            error(other.as_bytes(), &ImportOptions::default()),
            "UNSUPPORTED_FORMAT: not an export twofa reads: it is JSON, but not an export twofa knows",
            "{other}"
        );
    }
    let found = import(
        br#"{"schemaVersion":2,"services":[]}"#,
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (found.format, found.accounts.len()),
        (ImportFormat::TwoFas, 0)
    );
}

#[test]
fn odd_services_are_warnings_not_errors() {
    let file = br#"{"schemaVersion":4,"services":[1,{"name":"a","secret":7},{"name":"b","secret":"JBSWY3DPEHPK3PXP","otp":[]},{"name":"c","secret":"JBSWY3DPEHPK3PXP","otp":{"digits":"x"}},{"name":"d","secret":"not base32!"},{"name":"e","secret":"JBSWY3DPEHPK3PXP","otp":{"period":0}}]}"#;
    let found = import(file, &ImportOptions::default()).unwrap();
    assert!(found.accounts.is_empty());
    assert_eq!(
        warnings(&found),
        [
            "UNSUPPORTED_ACCOUNT account 0: left out: the entry is not a JSON object",
            "UNSUPPORTED_ACCOUNT account 1: left out: the secret field is missing or malformed",
            "UNSUPPORTED_ACCOUNT account 2: left out: the otp field is missing or malformed",
            "UNSUPPORTED_ACCOUNT account 3: left out: the digits field is missing or malformed",
            "UNSUPPORTED_ACCOUNT account 4: left out: the secret cannot be read: it is not base32",
            "UNSUPPORTED_ACCOUNT account 5: left out: a period of 0 seconds is not supported",
        ]
    );
}

#[test]
fn every_truncation_fails_cleanly() {
    truncations(&fixture("twofas", "plain_v4.2fas"), None);
    truncations(&fixture("twofas", "encrypted_v4.2fas"), Some(PASSWORD));
}
