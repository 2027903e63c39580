//! The vault: Argon2id + XChaCha20-Poly1305 against argon2-cffi and libsodium (fixtures
//! from scripts/vault-fixtures.py), its exact errors, and tampering.
#![cfg(feature = "vault")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic: that is how they fail

use twofa::vault::{params_of, VaultKey, VaultParams};

const LIGHT: VaultParams = VaultParams {
    memory_kib: 64,
    iterations: 1,
};

fn fixtures() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string("tests/fixtures/vault/cases.json").unwrap();
    serde_json::from_str(&text).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn opens_and_reproduces_vaults_sealed_by_libsodium_and_the_argon2_reference() {
    for case in fixtures() {
        let passphrase = case["passphrase"].as_str().unwrap();
        let vault = case["vault"].as_str().unwrap();
        let key = VaultKey::unlock(passphrase.as_bytes(), vault).unwrap();
        // The Argon2id key is the reference implementation's.
        assert_eq!(hex(&key.to_bytes()[..32]), case["key"].as_str().unwrap());
        let plain = key.open(vault).unwrap();
        assert_eq!(std::str::from_utf8(&plain).unwrap(), case["plaintext"]);
        // Sealing the same text with the same nonce gives the same vault, byte for byte.
        let nonce: [u8; 24] = core::array::from_fn(|i| 100 + i as u8);
        assert_eq!(
            key.seal(case["plaintext"].as_str().unwrap().as_bytes(), nonce)
                .unwrap(),
            vault
        );
    }
}

#[test]
fn a_wrong_passphrase_and_every_change_are_refused() {
    let key = VaultKey::derive(b"correct horse", [3; 16], LIGHT).unwrap();
    let vault = key
        .seal(
            br#"{"accounts":["otpauth://totp/x?secret=JBSWY3DPEHPK3PXP"]}"#,
            [5; 24],
        )
        .unwrap();
    let err = VaultKey::unlock(b"correct hors", &vault)
        .unwrap()
        .open(&vault)
        .unwrap_err();
    assert_eq!(err.code().as_str(), "WRONG_PASSPHRASE");
    assert_eq!(
        err.to_string(),
        "wrong passphrase, or the vault was changed"
    );
    // Every character changed to every other base64 or header character: never opens.
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_$=,";
    let mut refused = 0;
    for (i, original) in vault.char_indices() {
        for c in alphabet.chars().filter(|&c| c != original) {
            let mut changed = vault.clone();
            changed.replace_range(i..i + original.len_utf8(), c.encode_utf8(&mut [0; 4]));
            let opened = key.open(&changed);
            assert!(opened.is_err(), "changed at {i} to {c}: opened");
            refused += 1;
        }
    }
    assert!(refused > 100 * 60);
    for cut in 0..vault.len() {
        assert!(key.open(&vault[..cut]).is_err());
    }
}

#[test]
fn malformed_vaults_say_where() {
    let key = VaultKey::derive(b"pw", [1; 16], LIGHT).unwrap();
    let good = key.seal(b"x", [2; 24]).unwrap();
    let cases: &[(&str, &str)] = &[
        ("", "invalid vault: text is not a twofa vault (version 1)"),
        ("$twofa-vault$v=2$argon2id$m=64,t=1,p=1$a$b$c", "invalid vault: text is not a twofa vault (version 1)"),
        ("$twofa-vault$v=1$argon2id$m=64,t=1,p=2$AQEBAQEBAQEBAQEBAQEBAQ$AgICAgICAgICAgICAgICAgICAgICAgIC$AAAAAAAAAAAAAAAAAAAAAA", "invalid vault: cost is malformed"),
        ("$twofa-vault$v=1$argon2id$m=2000000,t=1,p=1$AQEBAQEBAQEBAQEBAQEBAQ$AgICAgICAgICAgICAgICAgICAgICAgIC$AAAAAAAAAAAAAAAAAAAAAA", "invalid vault: m must be from 8 to 1048576 KiB"),
        ("$twofa-vault$v=1$argon2id$m=64,t=17,p=1$AQEBAQEBAQEBAQEBAQEBAQ$AgICAgICAgICAgICAgICAgICAgICAgIC$AAAAAAAAAAAAAAAAAAAAAA", "invalid vault: t must be from 1 to 16"),
        ("$twofa-vault$v=1$argon2id$m=64,m=64,t=1,p=1$AQEBAQEBAQEBAQEBAQEBAQ$AgICAgICAgICAgICAgICAgICAgICAgIC$AAAAAAAAAAAAAAAAAAAAAA", "invalid vault: cost is malformed"),
        ("$twofa-vault$v=1$argon2id$m=64,t=1,p=1$AQEB$AgICAgICAgICAgICAgICAgICAgICAgIC$AAAAAAAAAAAAAAAAAAAAAA", "invalid vault: salt is malformed"),
        ("$twofa-vault$v=1$argon2id$m=64,t=1,p=1$AQEBAQEBAQEBAQEBAQEBAQ$AgIC$AAAAAAAAAAAAAAAAAAAAAA", "invalid vault: nonce is malformed"),
        ("$twofa-vault$v=1$argon2id$m=64,t=1,p=1$AQEBAQEBAQEBAQEBAQEBAQ$AgICAgICAgICAgICAgICAgICAgICAgIC$AAAA", "invalid vault: ciphertext is malformed"),
        ("$twofa-vault$v=1$argon2id$m=64,t=1,p=1$AQEBAQEBAQEBAQEBAQEBAQ$AgICAgICAgICAgICAgICAgICAgICAgIC", "invalid vault: ciphertext is missing"),
    ];
    for (text, message) in cases {
        let err = key.open(text).unwrap_err();
        assert_eq!(err.code().as_str(), "INVALID_VAULT", "{text}");
        assert_eq!(err.to_string(), *message, "{text}");
    }
    // Another salt or cost: refused before any decryption.
    let other = VaultKey::derive(b"pw", [9; 16], LIGHT)
        .unwrap()
        .seal(b"x", [2; 24])
        .unwrap();
    assert_eq!(
        key.open(&other).unwrap_err().to_string(),
        "invalid vault: vault was sealed with another salt or cost; unlock it with its passphrase"
    );
    assert_eq!(params_of(&good).unwrap(), LIGHT);
}

#[test]
fn the_key_survives_as_bytes_and_never_shows() {
    let key = VaultKey::derive(b"pw", [4; 16], LIGHT).unwrap();
    let vault = key.seal(b"secret text", [6; 24]).unwrap();
    let bytes = key.to_bytes();
    assert_eq!(bytes.len(), 56);
    let again = VaultKey::from_bytes(&bytes).unwrap();
    assert_eq!(&again.open(&vault).unwrap()[..], b"secret text");
    assert_eq!(
        VaultKey::from_bytes(&bytes[..55]).unwrap_err().to_string(),
        "invalid vault: key bytes are malformed"
    );
    assert_eq!(format!("{key:?}"), "VaultKey(argon2id m=64 t=1)");
    // A new nonce each time: the same text seals differently.
    let mut counter = 0u8;
    let mut fill = |buf: &mut [u8]| {
        counter += 1;
        buf.fill(counter);
        Ok(())
    };
    let a = key.seal_with(b"same", &mut fill).unwrap();
    let b = key.seal_with(b"same", &mut fill).unwrap();
    assert_ne!(a, b);
    assert_eq!(
        VaultParams::default(),
        VaultParams {
            memory_kib: 65536,
            iterations: 3
        }
    );
}
