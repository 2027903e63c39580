//! Bitwarden's exports (`src/transfer/import/bitwarden.rs`), against fixtures made by
//! `scripts/import-fixtures/bitwarden.py` with hashlib, argon2-cffi and `cryptography`.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod import_common;

use import_common::{error, fixture, mutations, summary, truncations};
use twofa::transfer::import::{import, ImportOptions, Limits};

/// A change made to a fixture's JSON.
type Edit = fn(&mut serde_json::Value);

const PASSWORD: &str = "correct horse battery staple";

fn read(path: &str, password: Option<&str>) -> (String, Vec<String>) {
    let options = ImportOptions {
        password,
        ..ImportOptions::default()
    };
    let found = import(&fixture(path), &options).unwrap();
    (found.format.as_str().to_owned(), summary(&found))
}

/// What `plain.json` holds, and what its password-protected copies decrypt to.
const PLAIN_JSON: &[&str] = &[
    "0: totp ACME|ada@example.com JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP SHA256 8 60 [Item A]",
    "2: totp Example|bob GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ SHA1 6 30 [Example]",
    "3: steam Steam|gaben MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U SHA1 5 30 [Steam]",
    "4: totp Bare|carol MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U SHA1 6 30 [Bare]",
    "10: hotp Bank|ivan JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP SHA1 6 42 [Counter]",
    "11: totp Padded|judy JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP SHA1 6 30 [  Padded  ]",
    "0 NONSTANDARD_PERIOD: account 0: codes change every 60 seconds; google authenticator assumes 30 and will show wrong codes",
    "6 UNSUPPORTED_ACCOUNT: account 6: left out: mOTP accounts are not supported",
    "7 UNSUPPORTED_ACCOUNT: account 7: left out: the MD5 algorithm is not supported",
    "8 UNSUPPORTED_ACCOUNT: account 8: left out: the secret cannot be read: it is not base32",
    "9 UNSUPPORTED_ACCOUNT: account 9: left out: the digits field is missing or malformed",
    "11 ACCOUNT_CHANGED: account 11: changed: white space at either end of the issuer or account name was trimmed",
];

#[test]
fn json_items_with_a_totp_become_accounts_or_warnings() {
    // Items 1 (a card) and 5 (a login without a TOTP) are not authenticator entries.
    let (format, lines) = read("bitwarden/plain.json", None);
    assert_eq!(format, "bitwarden-json");
    assert_eq!(lines, PLAIN_JSON);
}

#[test]
fn csv_with_quotes_line_breaks_and_blank_lines() {
    let (format, lines) = read("bitwarden/plain.csv", None);
    assert_eq!(format, "bitwarden-csv");
    assert_eq!(
        lines,
        [
            "0: totp Quoted, Inc.|ada, the first JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP SHA1 6 30 [Quoted, Inc.]",
            "2: steam Steam|gaben MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U SHA1 5 30 [Steam]",
            "4: totp Bare|carol JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP SHA1 6 30 [Bare]",
            "5 UNSUPPORTED_ACCOUNT: account 5: left out: mOTP accounts are not supported",
        ]
    );
}

#[test]
fn csv_quote_left_open_is_invalid() {
    let csv = b"folder,favorite,type,name,login_username,login_totp\n,,login,\"open,ada,JBSWY3DPEHPK3PXP\n";
    assert_eq!(
        error(csv, None),
        "INVALID_IMPORT: invalid Bitwarden export: a quoted CSV field is not closed"
    );
}

#[test]
fn bitwarden_authenticator_json() {
    let (format, lines) = read("bitwarden/authenticator.json", None);
    assert_eq!(format, "bitwarden-authenticator");
    assert_eq!(
        lines,
        [
            "0: totp ACME|ada JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP SHA1 6 30 [ACME]",
            "1: totp Example| GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ SHA1 8 60 [bob@example.com]",
            "2: steam Steam| MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U SHA1 5 30 [Steam]",
            "1 NONSTANDARD_PERIOD: account 1: codes change every 60 seconds; google authenticator assumes 30 and will show wrong codes",
        ]
    );
}

#[test]
fn password_protected_exports_open_with_pbkdf2_and_argon2id() {
    for path in [
        "bitwarden/encrypted-pbkdf2.json",
        "bitwarden/encrypted-argon2id.json",
    ] {
        let (format, lines) = read(path, Some(PASSWORD));
        assert_eq!(format, "bitwarden-encrypted", "{path}");
        assert_eq!(lines, PLAIN_JSON, "{path}");
    }
}

#[test]
fn missing_and_wrong_passwords() {
    for path in [
        "bitwarden/encrypted-pbkdf2.json",
        "bitwarden/encrypted-argon2id.json",
    ] {
        let bytes = fixture(path);
        assert_eq!(
            error(&bytes, None),
            "PASSWORD_REQUIRED: the Bitwarden export is encrypted: give its password"
        );
        assert_eq!(
            error(&bytes, Some("correct horse battery stapler")),
            "WRONG_PASSWORD: the password does not open the Bitwarden export, or the export was changed"
        );
    }
}

#[test]
fn account_restricted_export_is_refused() {
    let bytes = fixture("bitwarden/account-restricted.json");
    let want = "UNSUPPORTED_FORMAT: not an export twofa reads: it is a Bitwarden export encrypted with the account's own key, which no password opens: export the vault again as \"Password protected\"";
    assert_eq!(error(&bytes, None), want);
    assert_eq!(error(&bytes, Some(PASSWORD)), want);
}

/// The fixture's JSON with `edit` applied to it.
fn edited(path: &str, edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut json: serde_json::Value = serde_json::from_slice(&fixture(path)).unwrap();
    edit(&mut json);
    serde_json::to_vec(&json).unwrap()
}

#[test]
fn tampered_ciphertext_and_mac_are_refused_before_decryption() {
    for field in ["data", "encKeyValidation_DO_NOT_EDIT"] {
        for part in 0..3 {
            let bytes = edited("bitwarden/encrypted-pbkdf2.json", |json| {
                let text = json[field].as_str().unwrap().to_owned();
                let mut parts: Vec<String> = text[2..].split('|').map(str::to_owned).collect();
                // Flip one base64 symbol in the middle of the part.
                let mut chars: Vec<char> = parts[part].chars().collect();
                let at = chars.len() / 2;
                chars[at] = if chars[at] == 'A' { 'B' } else { 'A' };
                parts[part] = chars.into_iter().collect();
                json[field] = format!("2.{}", parts.join("|")).into();
            });
            // A changed validation string is a password that opens nothing; changed data
            // behind a validation the password opened is a changed file.
            let want = if field == "data" {
                "INVALID_IMPORT: invalid Bitwarden export: its data does not open with the key the password gave: the file was changed"
            } else {
                "WRONG_PASSWORD: the password does not open the Bitwarden export, or the export was changed"
            };
            assert_eq!(error(&bytes, Some(PASSWORD)), want, "{field} part {part}");
        }
    }
    let bytes = edited("bitwarden/encrypted-pbkdf2.json", |json| {
        json["data"] = "1.abc|def".into();
    });
    assert_eq!(
        error(&bytes, Some(PASSWORD)),
        "INVALID_IMPORT: invalid Bitwarden export: its data is not an EncString of type 2"
    );
}

#[test]
fn a_mac_that_matches_over_bad_padding_is_invalid() {
    assert_eq!(
        error(&fixture("bitwarden/bad-padding.json"), Some(PASSWORD)),
        "INVALID_IMPORT: invalid Bitwarden export: its padding is not PKCS#7"
    );
}

#[test]
fn cost_bombs_are_refused_before_any_work() {
    let cases: [(&str, Edit, &str); 5] = [
        (
            "bitwarden/encrypted-pbkdf2.json",
            |j| j["kdfIterations"] = 1_000_000_000u64.into(),
            "IMPORT_LIMIT: PBKDF2 iterations is 1000000000, over the limit of 10000000",
        ),
        (
            "bitwarden/encrypted-argon2id.json",
            |j| j["kdfMemory"] = (64u64 << 10).into(),
            "IMPORT_LIMIT: Argon2 memory (KiB) is 67108864, over the limit of 1048576",
        ),
        (
            "bitwarden/encrypted-argon2id.json",
            |j| j["kdfIterations"] = 1000.into(),
            "IMPORT_LIMIT: Argon2 passes is 1000, over the limit of 64",
        ),
        (
            "bitwarden/encrypted-argon2id.json",
            |j| j["kdfParallelism"] = 255.into(),
            "IMPORT_LIMIT: Argon2 lanes is 255, over the limit of 16",
        ),
        (
            "bitwarden/encrypted-argon2id.json",
            |j| {
                j["kdfMemory"] = 1024.into();
                j["kdfIterations"] = 64.into();
            },
            "IMPORT_LIMIT: Argon2 memory × passes (KiB) is 67108864, over the limit of 8388608",
        ),
    ];
    for (path, edit, want) in cases {
        let bytes = edited(path, edit);
        let start = std::time::Instant::now();
        // Refused before the password is asked for, and before any derivation.
        assert_eq!(error(&bytes, None), want);
        assert_eq!(error(&bytes, Some(PASSWORD)), want);
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
    }
    // A lower cap is honoured too.
    let options = ImportOptions {
        password: Some(PASSWORD),
        limits: Limits {
            max_iterations: 999,
            ..Limits::default()
        },
    };
    let err = import(&fixture("bitwarden/encrypted-pbkdf2.json"), &options).unwrap_err();
    assert_eq!(
        err.to_string(),
        "PBKDF2 iterations is 1000, over the limit of 999"
    );
}

#[test]
fn malformed_password_protected_exports() {
    let cases: [(Edit, &str); 4] = [
        (
            |j| j["kdfType"] = 2.into(),
            "its kdfType is not 0 (PBKDF2) or 1 (Argon2id)",
        ),
        (
            |j| j["salt"] = serde_json::Value::Null,
            "its salt is missing",
        ),
        (
            |j| j["kdfIterations"] = "many".into(),
            "its kdfIterations is missing",
        ),
        (
            |j| j["encKeyValidation_DO_NOT_EDIT"] = "2.AAAA|AAAA".into(),
            "its encKeyValidation_DO_NOT_EDIT is not an EncString of type 2",
        ),
    ];
    for (edit, want) in cases {
        let bytes = edited("bitwarden/encrypted-pbkdf2.json", edit);
        assert_eq!(
            error(&bytes, Some(PASSWORD)),
            format!("INVALID_IMPORT: invalid Bitwarden export: {want}")
        );
    }
}

#[test]
fn detection_needs_bitwarden_keys() {
    // JSON with `items` but no `encrypted` flag is not Bitwarden's.
    assert_eq!(
        error(
            br#"{"items":[{"login":{"totp":"JBSWY3DPEHPK3PXP"}}]}"#,
            None
        ),
        "UNSUPPORTED_FORMAT: not an export twofa reads: it is JSON, but not an export twofa knows"
    );
    // CSV without a login_totp column is not Bitwarden's.
    assert_eq!(
        error(b"name,totp\nada,JBSWY3DPEHPK3PXP\n", None),
        "UNSUPPORTED_FORMAT: not an export twofa reads: it is text without otpauth:// URIs"
    );
}

#[test]
fn truncation_at_every_length_never_panics() {
    for (path, password) in [
        ("bitwarden/plain.json", None),
        ("bitwarden/plain.csv", None),
        ("bitwarden/authenticator.json", None),
        ("bitwarden/encrypted-pbkdf2.json", Some(PASSWORD)),
    ] {
        truncations(&fixture(path), password);
    }
}

#[test]
fn changed_bytes_never_panic() {
    for (n, (path, password)) in [
        ("bitwarden/plain.json", None),
        ("bitwarden/plain.csv", None),
        ("bitwarden/authenticator.json", None),
        ("bitwarden/encrypted-pbkdf2.json", Some(PASSWORD)),
        ("bitwarden/encrypted-argon2id.json", Some(PASSWORD)),
    ]
    .into_iter()
    .enumerate()
    {
        mutations(&fixture(path), password, 0x9e37_79b9 + n as u64, 300);
    }
}
