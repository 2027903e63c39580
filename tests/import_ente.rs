//! Ente Auth's encrypted export (`src/transfer/import/ente.rs`), against exports sealed by
//! libsodium through PyNaCl (`scripts/import-fixtures/ente.py`).

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod import_common;

use import_common::{error, fixture, mutations, summary, truncations};
use twofa::transfer::import::{import, ImportOptions, Limits};

/// A change made to a fixture's JSON.
type Edit = fn(&mut serde_json::Value);

const PASSWORD: &str = "correct horse battery staple";
const WRONG: &str =
    "WRONG_PASSWORD: the password does not open the Ente Auth export, or the export was changed";

fn read(path: &str) -> (String, Vec<String>) {
    let options = ImportOptions {
        password: Some(PASSWORD),
        ..ImportOptions::default()
    };
    let found = import(&fixture(path), &options).unwrap();
    (found.format.as_str().to_owned(), summary(&found))
}

#[test]
fn opens_exports_tagged_final_or_message() {
    for path in ["ente/encrypted.json", "ente/encrypted-message-tag.json"] {
        let (format, lines) = read(path);
        assert_eq!(format, "ente-encrypted", "{path}");
        assert_eq!(
            lines,
            [
                "0: totp ACME|ada@example.com JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP SHA256 8 30 []",
                "1: hotp Bank|bob GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ SHA1 6 7 []",
                "2: steam Steam|gaben MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U SHA1 5 30 []",
                "3 UNSUPPORTED_ACCOUNT: account 3: left out: the line is not an otpauth:// URI",
                "4 UNSUPPORTED_ACCOUNT: account 4: left out: mOTP accounts are not supported",
            ],
            "{path}"
        );
    }
}

#[test]
fn missing_and_wrong_passwords() {
    let bytes = fixture("ente/encrypted.json");
    assert_eq!(
        error(&bytes, None),
        "PASSWORD_REQUIRED: the Ente Auth export is encrypted: give its password"
    );
    assert_eq!(error(&bytes, Some("correct horse battery stapler")), WRONG);
    assert_eq!(error(&bytes, Some("")), WRONG);
}

fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut json: serde_json::Value =
        serde_json::from_slice(&fixture("ente/encrypted.json")).unwrap();
    edit(&mut json);
    serde_json::to_vec(&json).unwrap()
}

fn b64(bytes: &[u8]) -> String {
    const SYMBOLS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(SYMBOLS[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    while !out.len().is_multiple_of(4) {
        out.push('=');
    }
    out
}

fn unb64(text: &str) -> Vec<u8> {
    const SYMBOLS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.trim_end_matches('=').chars() {
        acc = acc << 6 | SYMBOLS.find(c).unwrap() as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

#[test]
fn tampered_data_header_or_salt_is_refused() {
    let original = unb64(
        serde_json::from_slice::<serde_json::Value>(&fixture("ente/encrypted.json")).unwrap()
            ["encryptedData"]
            .as_str()
            .unwrap(),
    );
    // The tag byte, the ciphertext's first and last bytes, and the MAC.
    for at in [0, 1, original.len() - 17, original.len() - 1] {
        let mut bytes = original.clone();
        bytes[at] ^= 1;
        let file = edited(|j| j["encryptedData"] = b64(&bytes).into());
        assert_eq!(error(&file, Some(PASSWORD)), WRONG, "byte {at}");
    }
    let file = edited(|j| {
        let mut header = unb64(j["encryptionNonce"].as_str().unwrap());
        header[20] ^= 1;
        j["encryptionNonce"] = b64(&header).into();
    });
    assert_eq!(error(&file, Some(PASSWORD)), WRONG);
    let file = edited(|j| j["kdfParams"]["salt"] = b64(&[7; 16]).into());
    assert_eq!(error(&file, Some(PASSWORD)), WRONG);
}

#[test]
fn malformed_exports() {
    let cases: [(Edit, &str); 6] = [
        (
            |j| j["encryptionNonce"] = b64(&[1; 23]).into(),
            "its encryptionNonce is not 24 bytes",
        ),
        (
            |j| j["encryptionNonce"] = "not base64!".into(),
            "its encryptionNonce is not base64",
        ),
        (
            |j| j["kdfParams"]["salt"] = b64(&[1; 8]).into(),
            "its kdfParams.salt is not 16 bytes",
        ),
        (
            |j| j["kdfParams"]["memLimit"] = "64 MiB".into(),
            "its kdfParams.memLimit is not a whole number",
        ),
        (
            |j| j["kdfParams"]["opsLimit"] = serde_json::Value::Null,
            "its kdfParams.opsLimit is not a whole number",
        ),
        (
            |j| j["encryptedData"] = b64(&[0; 16]).into(),
            "its encryptedData is too short",
        ),
    ];
    for (edit, want) in cases {
        assert_eq!(
            error(&edited(edit), Some(PASSWORD)),
            format!("INVALID_IMPORT: invalid Ente Auth export: {want}")
        );
    }
}

#[test]
fn cost_bombs_are_refused_before_any_work() {
    let cases: [(Edit, &str); 3] = [
        (
            |j| j["kdfParams"]["memLimit"] = (64u64 << 30).into(),
            "IMPORT_LIMIT: Argon2 memory (KiB) is 67108864, over the limit of 1048576",
        ),
        (
            |j| j["kdfParams"]["opsLimit"] = 1_000_000.into(),
            "IMPORT_LIMIT: Argon2 passes is 1000000, over the limit of 64",
        ),
        (
            |j| {
                j["kdfParams"]["memLimit"] = (1u64 << 30).into();
                j["kdfParams"]["opsLimit"] = 16.into();
            },
            "IMPORT_LIMIT: Argon2 memory × passes (KiB) is 16777216, over the limit of 8388608",
        ),
    ];
    for (edit, want) in cases {
        let file = edited(edit);
        let start = std::time::Instant::now();
        assert_eq!(error(&file, None), want);
        assert_eq!(error(&file, Some(PASSWORD)), want);
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
    }
    // Ente's "sensitive" 1 GiB is within the default cap, but not within a lower one.
    let options = ImportOptions {
        password: Some(PASSWORD),
        limits: Limits {
            max_memory_kib: 32,
            ..Limits::default()
        },
    };
    let err = import(&fixture("ente/encrypted.json"), &options).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Argon2 memory (KiB) is 64, over the limit of 32"
    );
}

#[test]
fn detection_needs_ente_keys() {
    // Ente's keys without its kdfParams are not Ente's.
    assert_eq!(
        error(
            br#"{"version":1,"encryptedData":"AAAA","encryptionNonce":"AAAA"}"#,
            None
        ),
        "UNSUPPORTED_FORMAT: not an export twofa reads: it is JSON, but not an export twofa knows"
    );
}

#[test]
fn truncation_at_every_length_never_panics() {
    truncations(&fixture("ente/encrypted.json"), Some(PASSWORD));
}

#[test]
fn changed_bytes_never_panic() {
    mutations(&fixture("ente/encrypted.json"), Some(PASSWORD), 0x5eed, 300);
}
