//! Authenticator Pro (Stratum) backups against files made by
//! scripts/import-fixtures/stratum.py: Argon2id from argon2-cffi, PBKDF2 from hashlib,
//! AES-GCM and AES-CBC from Python's `cryptography`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic: that is how they fail

use std::time::{Duration, Instant};
mod common;

use twofa::transfer::import::{import, Import, ImportOptions, Limits};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("tests/fixtures/import/stratum/{name}")).unwrap()
}

const PASSWORD: &str = "stratum fixture";

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

const ENCRYPTED: [&str; 2] = [
    "0 ada@example.com | otpauth://totp/ACME:ada@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME&algorithm=SHA1&digits=6&period=30",
    "1 bob | otpauth://hotp/Initech:bob?secret=KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU&issuer=Initech&algorithm=SHA256&digits=8&counter=42",
];

#[test]
fn plain_backup_and_the_exact_warning_of_each_odd_entry() {
    let found = import(&fixture("plain.authpro"), &ImportOptions::default()).unwrap();
    assert_eq!(found.format.as_str(), "authenticator-pro");
    let (accounts, warnings) = summary(&found);
    assert_eq!(
        accounts,
        [
            ENCRYPTED[0],
            ENCRYPTED[1],
            "2 carol | otpauth://totp/Steam:carol?secret=MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK&issuer=Steam&algorithm=SHA1&digits=5&period=30&encoder=steam",
            // A null Username: an empty account.
            "5  | otpauth://totp/Hooli:?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Hooli&algorithm=SHA512&digits=6&period=60",
            // Ten symbols: six bytes; the two bits left over are dropped.
            "6 frank | otpauth://totp/Odd:frank?secret=AADSDDSSSA&issuer=Odd&algorithm=SHA1&digits=6&period=30",
            // The name as written; issuer and account trimmed.
            "12  lena  | otpauth://totp/Spaced:lena?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Spaced&algorithm=SHA1&digits=6&period=30",
        ]
    );
    assert_eq!(
        warnings,
        [
            "UNSUPPORTED_ACCOUNT 3: account 3: left out: mOTP accounts are not supported",
            "UNSUPPORTED_ACCOUNT 4: account 4: left out: Yandex accounts are not supported",
            "NONSTANDARD_PERIOD 5: account 5: codes change every 60 seconds; google authenticator assumes 30 and will show wrong codes",
            "WEAK_SECRET 6: account 6: the secret is 48 bits; 128 bits is the least that is safe",
            "UNSUPPORTED_ACCOUNT 7: account 7: left out: the secret cannot be read: it is not base32",
            "UNSUPPORTED_ACCOUNT 8: account 8: left out: the entry has no secret",
            "UNSUPPORTED_ACCOUNT 9: account 9: left out: the Algorithm field is missing or malformed",
            "UNSUPPORTED_ACCOUNT 10: account 10: left out: codes of 12 digits are not supported",
            "UNSUPPORTED_ACCOUNT 11: account 11: left out: the Type field is missing or malformed",
            "ACCOUNT_CHANGED 12: account 12: changed: white space at either end of the issuer or account name was trimmed",
        ]
    );
    // A password given for a plain backup is not needed.
    assert_eq!(
        import(&fixture("plain.authpro"), &with("unused")).unwrap(),
        found
    );
}

#[test]
fn strong_and_legacy_encryption() {
    for file in ["strong.authpro", "legacy.authpro"] {
        let found = import(&fixture(file), &with(PASSWORD)).unwrap();
        assert_eq!(
            found.format.as_str(),
            "authenticator-pro-encrypted",
            "{file}"
        );
        assert_eq!(
            summary(&found),
            (ENCRYPTED.map(String::from).to_vec(), vec![]),
            "{file}"
        );
    }
}

const REQUIRED: (&str, &str) = (
    "PASSWORD_REQUIRED",
    "the Authenticator Pro export is encrypted: give its password",
);
const WRONG: (&str, &str) = (
    "WRONG_PASSWORD",
    "the password does not open the Authenticator Pro export, or the export was changed",
);

fn pair(got: &(String, String)) -> (&str, &str) {
    (got.0.as_str(), got.1.as_str())
}

#[test]
fn missing_password_is_refused_before_any_key_derivation() {
    // Limits that refuse any work show that nothing was derived.
    let none = ImportOptions {
        password: None,
        limits: Limits {
            max_memory_kib: 0,
            max_iterations: 0,
        },
    };
    for file in ["strong.authpro", "legacy.authpro"] {
        assert_eq!(pair(&error(&fixture(file), &none)), REQUIRED, "{file}");
    }
}

#[test]
fn wrong_passwords() {
    let strong = fixture("strong.authpro");
    assert_eq!(pair(&error(&strong, &with("stratum fixturE"))), WRONG);
    let legacy = fixture("legacy.authpro");
    assert_eq!(pair(&error(&legacy, &with("stratum fixturE"))), WRONG);
    // CBC has no tag: under this password the padding happens to be right, and the check
    // of what it decrypts to refuses it.
    let padding_ok =
        std::fs::read_to_string("tests/fixtures/import/stratum/legacy-padding-password.txt")
            .unwrap();
    assert_eq!(pair(&error(&legacy, &with(padding_ok.trim()))), WRONG);
}

#[test]
fn changed_bytes_are_refused() {
    let strong = fixture("strong.authpro");
    // Nonce, ciphertext, tag.
    for at in [44, 200, strong.len() - 1] {
        let mut changed = strong.clone();
        changed[at] ^= 1;
        assert_eq!(pair(&error(&changed, &with(PASSWORD))), WRONG, "byte {at}");
    }
    let legacy = fixture("legacy.authpro");
    // Salt, IV, first, middle and last block of the ciphertext.
    for at in [16, 36, 52, 300, legacy.len() - 1] {
        let mut changed = legacy.clone();
        changed[at] ^= 0x41;
        assert_eq!(pair(&error(&changed, &with(PASSWORD))), WRONG, "byte {at}");
    }
}

#[test]
fn key_derivation_costs_over_the_limits_are_refused_before_work() {
    let tight = |max_memory_kib, max_iterations| ImportOptions {
        password: Some(PASSWORD),
        limits: Limits {
            max_memory_kib,
            max_iterations,
        },
    };
    let start = Instant::now();
    assert_eq!(
        error(&fixture("strong.authpro"), &tight(65_535, 10_000_000)),
        (
            "IMPORT_LIMIT".into(),
            "Argon2 memory (KiB) is 65536, over the limit of 65535".into()
        )
    );
    assert_eq!(
        error(&fixture("legacy.authpro"), &tight(1 << 20, 63_999)),
        (
            "IMPORT_LIMIT".into(),
            "PBKDF2 iterations is 64000, over the limit of 63999".into()
        )
    );
    assert!(start.elapsed() < Duration::from_millis(500));
}

#[test]
fn every_truncation_of_the_plain_backup_fails_cleanly_or_reads_less() {
    let bytes = fixture("plain.authpro");
    let full = import(&bytes, &ImportOptions::default()).unwrap();
    for len in 0..bytes.len() {
        if let Ok(part) = import(&bytes[..len], &ImportOptions::default()) {
            assert!(part.accounts.len() < full.accounts.len(), "cut at {len}");
        }
    }
}

#[test]
fn truncated_encrypted_backups_are_refused() {
    for (file, header) in [
        ("strong.authpro", 16 + 16 + 12),
        ("legacy.authpro", 16 + 20 + 16),
    ] {
        let bytes = fixture(file);
        // Up to the magic: not this format. Within the header: malformed, before any work.
        for len in 0..16 {
            let (code, _) = error(&bytes[..len], &with(PASSWORD));
            assert_eq!(code, "UNSUPPORTED_FORMAT", "{file} cut at {len}");
        }
        for len in 16..header {
            assert_eq!(
                error(&bytes[..len], &with(PASSWORD)),
                (
                    "INVALID_IMPORT".into(),
                    "invalid Authenticator Pro export: its header is cut short".into()
                ),
                "{file} cut at {len}"
            );
        }
        // Past the header, every length refused before the key derivation (less than a
        // GCM tag, or not whole AES blocks) and a sample of those that need it.
        let lens: Vec<usize> = if file.starts_with("legacy") {
            (header..bytes.len())
                .filter(|len| (len - header) % 16 != 0)
                .chain([header, header + 16, header + 32, bytes.len() - 16])
                .collect()
        } else {
            (header..header + 16)
                .chain([header + 16, bytes.len() - 1])
                .collect()
        };
        for len in lens {
            let got = error(&bytes[..len], &with(PASSWORD));
            let want = if file.starts_with("strong") && len < header + 16 {
                (
                    "INVALID_IMPORT",
                    "invalid Authenticator Pro export: its ciphertext is cut short",
                )
            } else if file.starts_with("legacy") && (len == header || (len - header) % 16 != 0) {
                (
                    "INVALID_IMPORT",
                    "invalid Authenticator Pro export: its ciphertext is not whole AES blocks",
                )
            } else {
                WRONG
            };
            assert_eq!(pair(&got), want, "{file} cut at {len}");
        }
    }
}

#[test]
fn json_without_an_authenticators_list_is_not_claimed() {
    let (code, _) = error(br#"{"Authenticators":{}}"#, &ImportOptions::default());
    assert_eq!(code, "UNSUPPORTED_FORMAT");
}

#[test]
fn random_changes_never_panic() {
    let mut rng = common::Rng(0x0ddc_4a99_e5a5);
    for file in ["plain.authpro"] {
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
