//! The Authenticator extension's backups (`src/transfer/import/extension.rs`), against
//! backups made as the extension makes them by `scripts/import-fixtures/extension.py`
//! (hashlib's MD5, `cryptography`'s AES-CBC, argon2-cffi).

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod import_common;

use import_common::{error, fixture, mutations, summary, truncations};
use twofa::transfer::import::{import, ImportOptions};

const PASSWORD: &str = "correct horse battery staple";

fn read(path: &str, password: Option<&str>) -> (String, Vec<String>) {
    let options = ImportOptions {
        password,
        ..ImportOptions::default()
    };
    let found = import(&fixture(path), &options).unwrap();
    (found.format.as_str().to_owned(), summary(&found))
}

const WRONG: &str = "WRONG_PASSWORD: the password does not open the Authenticator extension export, or the export was changed";
const REQUIRED: &str =
    "PASSWORD_REQUIRED: the Authenticator extension export is encrypted: give its password";

/// The two entries every encrypted fixture seals.
const SEALED: [&str; 2] = [
    "0: totp ACME|ada@example.com JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP SHA1 6 30 [ACME]",
    "1: hotp Bank|bob GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ SHA512 6 7 [Bank]",
];

#[test]
fn plain_backup_reads_every_type_and_warns_of_the_odd_entries() {
    let (format, lines) = read("extension/plain.json", None);
    assert_eq!(format, "authenticator-extension");
    assert_eq!(
        lines,
        [
            "0: totp ACME|ada@example.com JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP SHA256 8 60 [ACME]",
            "1: hotp Bank|bob GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ SHA1 6 7 [Bank]",
            "2: steam Steam|gaben MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U SHA1 5 30 [Steam]",
            // blz-: Battle.net, 8-digit TOTP.
            "3: totp Battle.net|carol JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP SHA1 8 30 [Battle.net]",
            // Hex secrets, read as bytes ("12345678901234567890").
            "4: totp Hex|dave GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ SHA1 6 30 [Hex]",
            "5: hotp HexCounter|erin GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ SHA1 6 3 [HexCounter]",
            // stm-: Steam.
            "6: steam Valve|frank MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U SHA1 5 30 [Valve]",
            "0 NONSTANDARD_PERIOD: account 0: codes change every 60 seconds; google authenticator assumes 30 and will show wrong codes",
            "7 UNSUPPORTED_ACCOUNT: account 7: left out: the GOST R 34.11-2012 algorithm is not supported",
            "8 UNSUPPORTED_ACCOUNT: account 8: left out: codes of 12 digits are not supported",
            "9 UNSUPPORTED_ACCOUNT: account 9: left out: the type field is missing or malformed",
            "10 UNSUPPORTED_ACCOUNT: account 10: left out: the entry has no secret",
            "11 UNSUPPORTED_ACCOUNT: account 11: left out: the secret cannot be read: it is hex of an odd length",
        ]
    );
}

#[test]
fn encrypted_backups_of_every_version() {
    for path in ["extension/v1.json", "extension/v2.json"] {
        let (format, lines) = read(path, Some(PASSWORD));
        assert_eq!(format, "authenticator-extension-encrypted", "{path}");
        assert_eq!(lines, SEALED, "{path}");
    }
    let (format, lines) = read("extension/v3.json", Some(PASSWORD));
    assert_eq!(format, "authenticator-extension-encrypted");
    assert_eq!(
        lines,
        [
            SEALED[0],
            SEALED[1],
            "3: totp Plain|carol MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U SHA1 6 30 [Plain]",
            "2 UNSUPPORTED_ACCOUNT: account 2: left out: its key is not in the backup",
        ]
    );
}

#[test]
fn missing_and_wrong_passwords() {
    for path in [
        "extension/v1.json",
        "extension/v2.json",
        "extension/v3.json",
    ] {
        let bytes = fixture(path);
        assert_eq!(error(&bytes, None), REQUIRED, "{path}");
        assert_eq!(
            error(&bytes, Some("correct horse battery stapler")),
            WRONG,
            "{path}"
        );
        assert_eq!(error(&bytes, Some("")), WRONG, "{path}");
    }
}

fn edited(path: &str, edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut json: serde_json::Value = serde_json::from_slice(&fixture(path)).unwrap();
    edit(&mut json);
    serde_json::to_vec(&json).unwrap()
}

/// The fixture's text with the first copy of the string `pick` chooses flipped in place
/// (by [`flip`]).
fn replaced(path: &str, pick: impl FnOnce(&serde_json::Value) -> String) -> Vec<u8> {
    let text = String::from_utf8(fixture(path)).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let old = pick(&json);
    text.replacen(&old, &flip(&old), 1).into_bytes()
}

/// The fields of the fixture's object that satisfy `pick`.
fn keys(json: &serde_json::Value, pick: impl Fn(&serde_json::Value) -> bool) -> Vec<String> {
    let object = json.as_object().unwrap();
    object
        .iter()
        .filter(|(_, v)| pick(v))
        .map(|(k, _)| k.clone())
        .collect()
}

/// Base64 text with one symbol in the middle changed.
fn flip(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let at = chars.len() / 2;
    chars[at] = if chars[at] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}

#[test]
fn tampered_entries_are_left_out_and_tampered_keys_refused() {
    // Version 3: one entry's data changed (in place: the file's order is the entries').
    let bytes = replaced("extension/v3.json", |j| {
        let first = &keys(j, |v| v["dataType"] == "EncOTPStorage")[0];
        j[first]["data"].as_str().unwrap().to_owned()
    });
    let options = ImportOptions {
        password: Some(PASSWORD),
        ..ImportOptions::default()
    };
    let lines = summary(&import(&bytes, &options).unwrap());
    assert_eq!(
        lines,
        [
            SEALED[1],
            "3: totp Plain|carol MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U SHA1 6 30 [Plain]",
            "0 UNSUPPORTED_ACCOUNT: account 0: left out: its data does not decrypt",
            "2 UNSUPPORTED_ACCOUNT: account 2: left out: its key is not in the backup",
        ]
    );
    // Version 1: one secret changed.
    let bytes = replaced("extension/v1.json", |j| {
        let first = &keys(j, |v| v["encrypted"] == true)[0];
        j[first]["secret"].as_str().unwrap().to_owned()
    });
    let lines = summary(&import(&bytes, &options).unwrap());
    assert_eq!(
        lines,
        [
            SEALED[1],
            "0 UNSUPPORTED_ACCOUNT: account 0: left out: its secret does not decrypt",
        ]
    );
    // The keys' hashes and version 2's sealed key.
    let bytes = edited("extension/v3.json", |j| {
        let key = &keys(j, |v| v["dataType"] == "Key")[0];
        let hash = j[key]["hash"].as_str().unwrap();
        let (head, tail) = hash.rsplit_once('$').unwrap();
        j[key]["hash"] = format!("{head}${}", flip(tail)).into();
    });
    assert_eq!(error(&bytes, Some(PASSWORD)), WRONG);
    let bytes = edited("extension/v2.json", |j| {
        let hash = j["key"]["hash"].as_str().unwrap();
        let (head, tail) = hash.rsplit_once('$').unwrap();
        j["key"]["hash"] = format!("{head}${}", flip(tail)).into();
    });
    assert_eq!(error(&bytes, Some(PASSWORD)), WRONG);
    let bytes = edited("extension/v2.json", |j| {
        j["key"]["enc"] = flip(j["key"]["enc"].as_str().unwrap()).into();
    });
    assert_eq!(error(&bytes, Some(PASSWORD)), WRONG);
}

#[test]
fn cost_bombs_are_refused_before_any_work() {
    let bomb =
        "$argon2id$v=19$m=67108864,t=2,p=1$c2FsdHNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let v3 = edited("extension/v3.json", |j| {
        let key = &keys(j, |v| v["dataType"] == "Key")[0];
        j[key]["hash"] = bomb.into();
    });
    let v2 = edited("extension/v2.json", |j| j["key"]["hash"] = bomb.into());
    let many_keys = edited("extension/v3.json", |j| {
        let key = keys(j, |v| v["dataType"] == "Key")[0].clone();
        for n in 0..4 {
            let mut other = j[&key].clone();
            other["id"] = format!("key-{n}").into();
            j[format!("key-{n}")] = other;
        }
    });
    for (bytes, want) in [
        (
            &v3,
            "IMPORT_LIMIT: Argon2 memory (KiB) is 67108864, over the limit of 1048576",
        ),
        (
            &v2,
            "IMPORT_LIMIT: Argon2 memory (KiB) is 67108864, over the limit of 1048576",
        ),
        (
            &many_keys,
            "IMPORT_LIMIT: Authenticator extension keys is 5, over the limit of 4",
        ),
    ] {
        let start = std::time::Instant::now();
        assert_eq!(error(bytes, None), want);
        assert_eq!(error(bytes, Some(PASSWORD)), want);
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
    }
}

#[test]
fn malformed_keys() {
    let bytes = edited("extension/v3.json", |j| {
        let key = &keys(j, |v| v["dataType"] == "Key")[0];
        j[key]["hash"] = "$2b$10$not an argon2 hash".into();
    });
    assert_eq!(
        error(&bytes, Some(PASSWORD)),
        "INVALID_IMPORT: invalid Authenticator extension export: a key's hash is not an Argon2 hash"
    );
    let bytes = edited("extension/v3.json", |j| {
        let key = &keys(j, |v| v["dataType"] == "Key")[0];
        j[key].as_object_mut().unwrap().remove("salt");
    });
    assert_eq!(
        error(&bytes, Some(PASSWORD)),
        "INVALID_IMPORT: invalid Authenticator extension export: a key has no id or salt"
    );
}

#[test]
fn detection_needs_entries() {
    for json in [
        // Objects without a secret or an extension data type.
        &br#"{"a":{"issuer":"ACME"},"b":{"account":"ada"}}"#[..],
        // A value that is no object.
        br#"{"a":{"secret":"JBSWY3DPEHPK3PXP","type":"totp"},"b":[1]}"#,
    ] {
        assert_eq!(
            error(json, None),
            "UNSUPPORTED_FORMAT: not an export twofa reads: it is JSON, but not an export twofa knows"
        );
    }
}

#[test]
fn truncation_at_every_length_never_panics() {
    truncations(&fixture("extension/plain.json"), None);
    truncations(&fixture("extension/v1.json"), Some(PASSWORD));
    truncations(&fixture("extension/v2.json"), Some(PASSWORD));
    truncations(&fixture("extension/v3.json"), Some(PASSWORD));
}

#[test]
fn changed_bytes_never_panic() {
    for (n, (path, password)) in [
        ("extension/plain.json", None),
        ("extension/v1.json", Some(PASSWORD)),
        ("extension/v2.json", Some(PASSWORD)),
    ]
    .into_iter()
    .enumerate()
    {
        mutations(&fixture(path), password, 0x0dd_ba11 + n as u64, 300);
    }
}
