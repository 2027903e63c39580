//! The ZIP exports: Authenticator Plus, WinAuth and Proton Pass, against archives laid out
//! and encrypted by scripts/import-fixtures/zip.py (zlib's deflate, ZipCrypto written from
//! the APPNOTE there and checked with Python's zipfile and Info-ZIP's unzip).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic: that is how they fail

mod common;

use twofa::transfer::import::{import, Import, ImportOptions, Limits};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("tests/fixtures/import/zip/{name}")).unwrap()
}

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

const PLUS: &str = "fixture password";

#[test]
fn authenticator_plus_reads_every_line_and_warns_for_the_odd_ones() {
    let found = import(&fixture("authenticator-plus.zip"), &with(PLUS)).unwrap();
    assert_eq!(found.format.as_str(), "authenticator-plus-encrypted");
    let (accounts, warnings) = summary(&found);
    assert_eq!(
        accounts,
        [
            "0 ada@example.com | otpauth://totp/ACME:ada@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME&algorithm=SHA1&digits=6&period=30",
            "1 bob | otpauth://hotp/Initech:bob?secret=KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU&issuer=Initech&algorithm=SHA1&digits=8&counter=7",
            "2 carol | otpauth://totp/Hooli:carol?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Hooli&algorithm=SHA512&digits=6&period=60",
            "6 frank | otpauth://totp/Steam:frank?secret=MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK&issuer=Steam&algorithm=SHA1&digits=5&period=30&encoder=steam",
        ]
    );
    assert_eq!(
        warnings,
        [
            "NONSTANDARD_PERIOD 2: account 2: codes change every 60 seconds; google authenticator assumes 30 and will show wrong codes",
            "UNSUPPORTED_ACCOUNT 3: account 3: left out: mOTP accounts are not supported",
            "UNSUPPORTED_ACCOUNT 4: account 4: left out: the MD5 algorithm is not supported",
            "UNSUPPORTED_ACCOUNT 5: account 5: left out: the line is not an otpauth:// URI",
            "UNSUPPORTED_ACCOUNT 7: account 7: left out: the entry has no secret",
        ]
    );
}

const WINAUTH: [&str; 2] = [
    "0 ada@example.com | otpauth://totp/Microsoft:ada@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Microsoft&algorithm=SHA1&digits=6&period=30",
    "1 Battle.net | otpauth://totp/Battle.net?secret=MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK&algorithm=SHA1&digits=8&period=30",
];

#[test]
fn winauth_plain_and_encrypted() {
    let plain = import(&fixture("winauth.zip"), &ImportOptions::default()).unwrap();
    assert_eq!(plain.format.as_str(), "winauth");
    assert_eq!(
        summary(&plain),
        (WINAUTH.map(String::from).to_vec(), vec![])
    );
    // A password given for a plain archive is not needed, and does no harm.
    assert_eq!(
        import(&fixture("winauth.zip"), &with("unused")).unwrap(),
        plain
    );
    // Sizes after the data (flag bit 3): the check byte is the time's high byte.
    let encrypted = import(&fixture("winauth-encrypted.zip"), &with("winauth")).unwrap();
    assert_eq!(encrypted.format.as_str(), "winauth-encrypted");
    assert_eq!(
        summary(&encrypted),
        (WINAUTH.map(String::from).to_vec(), vec![])
    );
}

#[test]
fn proton_pass_reads_login_totps_and_custom_fields() {
    let found = import(&fixture("proton-pass.zip"), &ImportOptions::default()).unwrap();
    assert_eq!(found.format.as_str(), "proton-pass");
    let (accounts, warnings) = summary(&found);
    assert_eq!(
        accounts,
        [
            "0 GitHub | otpauth://totp/GitHub:ada?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=GitHub&algorithm=SHA1&digits=6&period=30",
            // Labelled `Intranet:Proton Pass` with issuer Intranet: Proton Pass is the issuer.
            "1 Intranet | otpauth://totp/Proton%20Pass:Intranet?secret=KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU&issuer=Proton%20Pass&algorithm=SHA1&digits=8&period=30",
            "2 Intranet | otpauth://totp/Proton%20Pass:Intranet?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Proton%20Pass&algorithm=SHA256&digits=6&period=30",
        ]
    );
    assert_eq!(
        warnings,
        ["UNSUPPORTED_ACCOUNT 3: account 3: left out: the entry has no secret"]
    );
}

#[test]
fn missing_and_wrong_passwords() {
    for (file, app, right) in [
        ("authenticator-plus.zip", "Authenticator Plus", PLUS),
        ("winauth-encrypted.zip", "WinAuth", "winauth"),
    ] {
        let bytes = fixture(file);
        assert_eq!(
            error(&bytes, &ImportOptions::default()),
            (
                "PASSWORD_REQUIRED".into(),
                format!("the {app} export is encrypted: give its password")
            )
        );
        let wrong = (
            "WRONG_PASSWORD".into(),
            format!("the password does not open the {app} export, or the export was changed"),
        );
        // Some of these pass the one-byte check (1 in 256): inflate or the CRC-32 catch them.
        for n in 0..600 {
            let password = format!("{right}{n}");
            assert_eq!(error(&bytes, &with(&password)), wrong, "{password:?}");
        }
        assert_eq!(error(&bytes, &with("")), wrong);
    }
}

/// The span of the first entry's stored data.
fn data_span(bytes: &[u8]) -> std::ops::Range<usize> {
    let name_len = u16::from_le_bytes([bytes[26], bytes[27]]) as usize;
    let extra_len = u16::from_le_bytes([bytes[28], bytes[29]]) as usize;
    let start = 30 + name_len + extra_len;
    let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    let end = if bytes[6] & 8 != 0 {
        central - 16
    } else {
        central
    };
    start..end
}

#[test]
fn changed_bytes_are_refused() {
    for (file, password, want) in [
        (
            "authenticator-plus.zip",
            PLUS,
            (
                "WRONG_PASSWORD",
                "the password does not open the Authenticator Plus export, or the export was changed",
            ),
        ),
        (
            "winauth-encrypted.zip",
            "winauth",
            (
                "WRONG_PASSWORD",
                "the password does not open the WinAuth export, or the export was changed",
            ),
        ),
        (
            "winauth.zip",
            "",
            (
                "INVALID_IMPORT",
                "invalid WinAuth export: an entry's CRC-32 does not match its data",
            ),
        ),
    ] {
        let bytes = fixture(file);
        let full = import(&bytes, &with(password)).unwrap();
        let span = data_span(&bytes);
        let last = span.end - 1;
        assert!(span.len() > 100, "{file}");
        for at in span {
            for flip in [0x01, 0x80] {
                let mut changed = bytes.clone();
                changed[at] ^= flip;
                match import(&changed, &with(password)) {
                    Err(err) => assert_eq!(
                        (err.code().as_str(), err.to_string().as_str()),
                        want,
                        "{file} byte {at}"
                    ),
                    // Deflate's last byte has bits it never reads: flipping them changes
                    // nothing that was stored, which no check can see (nor needs to).
                    Ok(same) => {
                        assert_eq!(same, full, "{file} byte {at}");
                        assert_eq!(at, last, "{file} byte {at} flip {flip:#x}");
                    }
                }
            }
        }
    }
}

#[test]
fn every_truncation_fails_cleanly() {
    for file in [
        "authenticator-plus.zip",
        "winauth.zip",
        "winauth-encrypted.zip",
        "proton-pass.zip",
    ] {
        let bytes = fixture(file);
        for len in 0..bytes.len() {
            let (code, message) = error(&bytes[..len], &with(PLUS));
            let want = match len {
                0 => "UNSUPPORTED_FORMAT",
                1..=3 => "UNSUPPORTED_FORMAT",
                _ => "INVALID_IMPORT",
            };
            assert_eq!(code, want, "{file} cut at {len}: {message}");
            if len >= 4 {
                assert!(message.starts_with("invalid ZIP export: "), "{message}");
            }
        }
    }
}

/// `bytes` with the u16 or u32 at `at` set to `value`.
fn patch(bytes: &[u8], at: usize, value: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[at..at + value.len()].copy_from_slice(value);
    out
}

#[test]
fn zip_bombs_and_huge_directories_are_refused_before_work() {
    let bytes = fixture("winauth.zip");
    let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    let end = bytes.windows(4).rposition(|w| w == b"PK\x05\x06").unwrap();
    // An entry that says it inflates to 2 GiB.
    let honest = patch(&bytes, central + 24, &0x7fff_ffffu32.to_le_bytes());
    assert_eq!(
        error(&honest, &ImportOptions::default()),
        (
            "IMPORT_LIMIT".into(),
            "ZIP entry size (bytes) is 2147483647, over the limit of 33554432".into()
        )
    );
    // An entry that inflates to a megabyte but says 1,000 bytes stops at 1,000.
    assert_eq!(
        error(&fixture("bomb-lies.zip"), &ImportOptions::default()),
        (
            "INVALID_IMPORT".into(),
            "invalid WinAuth export: an entry's deflate data is broken or longer than stated"
                .into()
        )
    );
    let many = patch(&bytes, end + 10, &5000u16.to_le_bytes());
    assert_eq!(
        error(&many, &ImportOptions::default()),
        (
            "IMPORT_LIMIT".into(),
            "ZIP entries is 5000, over the limit of 1000".into()
        )
    );
    let long_name = patch(&bytes, central + 28, &2000u16.to_le_bytes());
    assert_eq!(
        error(&long_name, &ImportOptions::default()),
        (
            "IMPORT_LIMIT".into(),
            "ZIP entry name (bytes) is 2000, over the limit of 1024".into()
        )
    );
    let zip64 = patch(&bytes, central + 24, &u32::MAX.to_le_bytes());
    assert_eq!(
        error(&zip64, &ImportOptions::default()),
        (
            "INVALID_IMPORT".into(),
            "invalid ZIP export: ZIP64 archives are not read".into()
        )
    );
}

#[test]
fn other_archives_are_not_claimed() {
    // The same archive holding a picture instead of a text file.
    let bytes = fixture("winauth.zip");
    let text = b"winauth-2025-01-01.txt";
    let picture = b"picture-2025-01-01.png";
    let mut other = bytes.clone();
    for at in [
        30,
        bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap() + 46,
    ] {
        assert_eq!(&other[at..at + text.len()], text);
        other[at..at + picture.len()].copy_from_slice(picture);
    }
    assert_eq!(
        error(&other, &ImportOptions::default()),
        (
            "UNSUPPORTED_FORMAT".into(),
            "not an export twofa reads: it is a ZIP archive that holds no export twofa knows"
                .into()
        )
    );
}

#[test]
fn a_pgp_encrypted_proton_pass_export_is_named() {
    assert_eq!(
        error(&fixture("proton-pass-pgp.zip"), &ImportOptions::default()),
        (
            "UNSUPPORTED_FORMAT".into(),
            "not an export twofa reads: it is a Proton Pass export encrypted with PGP: export it again without encryption".into()
        )
    );
}

#[test]
fn random_changes_never_panic() {
    let mut rng = common::Rng(0x5eed_0f2a_b1e5);
    for (file, password) in [
        ("authenticator-plus.zip", PLUS),
        ("winauth.zip", ""),
        ("winauth-encrypted.zip", "winauth"),
        ("proton-pass.zip", ""),
    ] {
        let bytes = fixture(file);
        // A changed byte can make a file read as another app's export that asks for up to
        // the default caps of work (10,000,000 PBKDF2 iterations took 41 s here in a debug
        // build). The ZIP exports derive no key (ZipCrypto keys from the password itself),
        // so low caps change nothing for them, and what asks more is refused before any
        // work, which is an answer too.
        let options = ImportOptions {
            limits: Limits {
                max_iterations: 10_000,
                max_memory_kib: 8 * 1024,
            },
            ..with(password)
        };
        assert!(import(&bytes, &options).is_ok(), "{file}");
        for _ in 0..2000 {
            let mut changed = bytes.clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(changed.len());
                changed[at] = rng.next() as u8;
            }
            // Any answer will do; a panic fails the test.
            let _ = import(&changed, &options);
        }
    }
}
