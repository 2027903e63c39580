//! FreeOTP 2 encrypted backups against files made by scripts/import-fixtures/freeotp.py:
//! Java serialization laid out from the protocol (read back by javaobj-py3), shared
//! preferences XML, PBKDF2 from hashlib and AES-GCM from Python's `cryptography`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic: that is how they fail

mod common;

use twofa::transfer::import::{import, Import, ImportOptions, Limits};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("tests/fixtures/import/freeotp/{name}")).unwrap()
}

const PASSWORD: &str = "freeotp fixture";

fn with(password: &str) -> ImportOptions<'_> {
    ImportOptions {
        password: Some(password),
        limits: Limits::default(),
    }
}

/// Each account as `index name | uri`, each warning as `CODE index: message`.
fn summary(found: &Import) -> (Vec<String>, Vec<String>) {
    let accounts = found
        .accounts
        .iter()
        .map(|a| format!("{} {} | {}", a.index, a.name, a.key.to_uri().unwrap()))
        .collect();
    let warnings = found
        .warnings
        .iter()
        .map(|w| format!("{} {}: {w}", w.code(), w.account_index().unwrap()))
        .collect();
    (accounts, warnings)
}

fn error(input: &[u8], options: &ImportOptions<'_>) -> (String, String) {
    let err = import(input, options).unwrap_err();
    (err.code().to_string(), err.to_string())
}

const ACCOUNTS: [&str; 3] = [
    "0 ada | otpauth://totp/ACME:ada?secret=AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPQ&issuer=ACME&algorithm=SHA256&digits=8&period=60",
    "1 bob | otpauth://hotp/Initech:bob?secret=AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT&issuer=Initech&algorithm=SHA1&digits=6&counter=5",
    // Defaults for what is missing, the internal issuer, a label past U+FFFF.
    "2 José 🔑 | otpauth://totp/Internal:Jos%C3%A9%20%F0%9F%94%91?secret=AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT&issuer=Internal&algorithm=SHA1&digits=6&period=30",
];

/// Renamed in the app: the user's names win.
const RENAMED: &str = "8 new | otpauth://totp/Renamed:new?secret=AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT&issuer=Renamed&algorithm=SHA1&digits=6&period=30";

const WARNINGS: [&str; 6] = [
    "NONSTANDARD_PERIOD 0: account 0: codes change every 60 seconds; google authenticator assumes 30 and will show wrong codes",
    "UNSUPPORTED_ACCOUNT 3: account 3: left out: the MD5 algorithm is not supported",
    "UNSUPPORTED_ACCOUNT 4: account 4: left out: the type field is missing or malformed",
    "UNSUPPORTED_ACCOUNT 5: account 5: left out: the secret cannot be read: it does not decrypt with the master key",
    "UNSUPPORTED_ACCOUNT 6: account 6: left out: its token details are missing or not JSON",
    "UNSUPPORTED_ACCOUNT 7: account 7: left out: codes of 12 digits are not supported",
];

#[test]
fn java_serialized_backup() {
    let found = import(&fixture("backup.bin"), &with(PASSWORD)).unwrap();
    assert_eq!(found.format.as_str(), "freeotp-encrypted");
    let (accounts, warnings) = summary(&found);
    let mut want_accounts = ACCOUNTS.to_vec();
    want_accounts.push(RENAMED);
    // The copy of the first token, whose details are a back-reference.
    want_accounts.push("9 ada | otpauth://totp/ACME:ada?secret=AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPQ&issuer=ACME&algorithm=SHA256&digits=8&period=60");
    assert_eq!(accounts, want_accounts);
    let mut want_warnings = WARNINGS.to_vec();
    want_warnings.push("NONSTANDARD_PERIOD 9: account 9: codes change every 60 seconds; google authenticator assumes 30 and will show wrong codes");
    want_warnings.push("UNSUPPORTED_ACCOUNT 10: account 10: left out: the entry has no secret");
    assert_eq!(warnings, want_warnings);
}

#[test]
fn shared_preferences_backup() {
    // PBKDF2-HMAC-SHA1, nonces as Android 6 writes them, entities, a tokenOrder.
    let found = import(&fixture("backup.xml"), &with(PASSWORD)).unwrap();
    assert_eq!(found.format.as_str(), "freeotp-encrypted");
    let (accounts, warnings) = summary(&found);
    let mut want_accounts = ACCOUNTS.to_vec();
    want_accounts.push(RENAMED);
    assert_eq!(accounts, want_accounts);
    let mut want_warnings = WARNINGS.to_vec();
    want_warnings.push("UNSUPPORTED_ACCOUNT 9: account 9: left out: the entry has no secret");
    assert_eq!(warnings, want_warnings);
}

fn pair(got: &(String, String)) -> (&str, &str) {
    (got.0.as_str(), got.1.as_str())
}

const WRONG: (&str, &str) = (
    "WRONG_PASSWORD",
    "the password does not open the FreeOTP export, or the export was changed",
);

#[test]
fn missing_and_wrong_passwords_and_a_changed_master_key() {
    let none = ImportOptions {
        password: None,
        // Limits that refuse any work show that nothing was derived.
        limits: Limits {
            max_memory_kib: 0,
            max_iterations: 0,
        },
    };
    for file in ["backup.bin", "backup.xml"] {
        let bytes = fixture(file);
        assert_eq!(
            pair(&error(&bytes, &none)),
            (
                "PASSWORD_REQUIRED",
                "the FreeOTP export is encrypted: give its password"
            ),
            "{file}"
        );
        assert_eq!(
            pair(&error(&bytes, &with("freeotp fixturE"))),
            WRONG,
            "{file}"
        );
    }
    assert_eq!(
        pair(&error(&fixture("tampered-master.xml"), &with(PASSWORD))),
        WRONG
    );
}

#[test]
fn iterations_over_the_limit_are_refused_before_work() {
    let xml = String::from_utf8(fixture("backup.xml")).unwrap();
    let bomb = xml.replace("mIterations&quot;:1000", "mIterations&quot;:4000000000");
    assert_ne!(bomb, xml);
    assert_eq!(
        error(bomb.as_bytes(), &with(PASSWORD)),
        (
            "IMPORT_LIMIT".into(),
            "PBKDF2 iterations is 4000000000, over the limit of 10000000".into()
        )
    );
    // The serialized form, with a cost of the same length and a tighter limit.
    let bin = fixture("backup.bin");
    let at = bin
        .windows(17)
        .position(|w| w == b"mIterations\":1000")
        .unwrap();
    let mut dear = bin.clone();
    dear[at + 13..at + 17].copy_from_slice(b"9999");
    let tight = ImportOptions {
        password: Some(PASSWORD),
        limits: Limits {
            max_iterations: 5000,
            ..Limits::default()
        },
    };
    assert_eq!(
        error(&dear, &tight),
        (
            "IMPORT_LIMIT".into(),
            "PBKDF2 iterations is 9999, over the limit of 5000".into()
        )
    );
}

#[test]
fn every_truncation_of_the_serialized_map_is_refused() {
    let bytes = fixture("backup.bin");
    for len in 0..bytes.len() {
        let got = error(&bytes[..len], &with(PASSWORD));
        if len < 25 {
            // Shorter than the class name: not claimed.
            assert_eq!(got.0, "UNSUPPORTED_FORMAT", "cut at {len}");
        } else {
            assert_eq!(
                pair(&got),
                (
                    "INVALID_IMPORT",
                    "invalid FreeOTP export: its serialized map is cut short"
                ),
                "cut at {len}"
            );
        }
    }
}

#[test]
fn every_truncation_of_the_xml_fails_cleanly_or_reads_less() {
    let bytes = fixture("backup.xml");
    let full = import(&bytes, &with(PASSWORD)).unwrap();
    for len in 0..bytes.len() {
        match import(&bytes[..len], &with(PASSWORD)) {
            Ok(part) => assert!(part.accounts.len() <= full.accounts.len(), "cut at {len}"),
            Err(err) => assert!(
                ["INVALID_IMPORT", "UNSUPPORTED_FORMAT"].contains(&err.code().as_str()),
                "cut at {len}: {err}"
            ),
        }
    }
}

#[test]
fn other_maps_are_not_claimed_or_are_refused() {
    let xml = br#"<?xml version='1.0' encoding='utf-8' standalone='yes' ?>
<map><string name="theme">dark</string></map>"#;
    assert_eq!(error(xml, &with(PASSWORD)).0, "UNSUPPORTED_FORMAT");
    // A serialized HashMap with no masterKey: FreeOTP's container, not a backup.
    let bin = fixture("backup.bin");
    let at = bin.windows(9).position(|w| w == b"masterKey").unwrap();
    let mut other = bin.clone();
    other[at..at + 9].copy_from_slice(b"masterKez");
    assert_eq!(
        pair(&error(&other, &with(PASSWORD))),
        (
            "INVALID_IMPORT",
            "invalid FreeOTP export: it has no masterKey"
        )
    );
}

#[test]
fn random_changes_never_panic() {
    let mut rng = common::Rng(0x0ddc_4a99_e5a5);
    for file in ["backup.bin", "backup.xml"] {
        let bytes = fixture(file);
        for _ in 0..1000 {
            let mut changed = bytes.clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(changed.len());
                changed[at] = rng.next() as u8;
            }
            // Any answer will do; a panic fails the test.
            let _ = import(&changed, &with(PASSWORD));
        }
    }
}

#[test]
fn maps_over_the_pair_limit_are_refused() {
    let bin = fixture("backup.bin");
    let block = bin.windows(2).position(|w| w == [0x77, 0x08]).unwrap();
    let mut many = bin.clone();
    many[block + 6..block + 10].copy_from_slice(&30_000u32.to_be_bytes());
    assert_eq!(
        error(&many, &with(PASSWORD)),
        (
            "IMPORT_LIMIT".into(),
            "map entries is 30000, over the limit of 20016".into()
        )
    );
    let mut xml = String::from("<map>\n<string name=\"masterKey\">{}</string>\n");
    for n in 0..20_016 {
        xml.push_str(&format!("<string name=\"k{n}\">v</string>\n"));
    }
    xml.push_str("</map>\n");
    assert_eq!(
        error(xml.as_bytes(), &with(PASSWORD)),
        (
            "IMPORT_LIMIT".into(),
            "map entries is 20017, over the limit of 20016".into()
        )
    );
}

/// A back-reference copies a string read before: many of them to one long string would
/// make a small file hold gigabytes of text. The text is bounded as the input is.
#[test]
fn back_references_cannot_multiply_a_long_string() {
    let bin = fixture("backup.bin");
    // The map's block data (77 08), its capacity, then its size; the pairs follow.
    let block = bin.windows(2).position(|w| w == [0x77, 0x08]).unwrap();
    let mut forged = bin[..block + 6].to_vec();
    let pairs: u32 = 300;
    forged.extend_from_slice(&pairs.to_be_bytes());
    // One string of 60,000 bytes, the first string handle (0x7e0002), then pairs that
    // refer to it: 300 pairs copy it 599 times, 36 MB from a 62 KB file.
    forged.push(0x74);
    forged.extend_from_slice(&60_000u16.to_be_bytes());
    forged.extend(std::iter::repeat_n(b'a', 60_000));
    let reference = [0x71, 0x00, 0x7e, 0x00, 0x02];
    forged.extend_from_slice(&reference);
    for _ in 1..pairs {
        forged.extend_from_slice(&reference);
        forged.extend_from_slice(&reference);
    }
    forged.push(0x78);
    assert!(forged.len() < 64_000);
    assert_eq!(
        error(&forged, &with(PASSWORD)),
        (
            "IMPORT_LIMIT".to_owned(),
            "map text (bytes) is 33600000, over the limit of 33554432".to_owned()
        )
    );
}
