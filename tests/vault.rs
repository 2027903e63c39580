//! The vault: Argon2id + XChaCha20-Poly1305 against argon2-cffi and libsodium (fixtures
//! from scripts/vault-fixtures.py), versions 1 and 2, NFC passphrases, the cost floor, its
//! exact errors, and tampering.
#![cfg(feature = "vault")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic: that is how they fail

use twofa::vault::{params_of, VaultKey, VaultParams};

/// The floor: the cheapest cost a vault may ask for, about 10 ms a derive.
const LIGHT: VaultParams = VaultParams::MIN;

/// Sealed by twofa before version 2 (main at 8cb1860), frozen here: the passphrase
/// "cafe\u{301} \u{1F511}" (decomposed "é"), salt a0..af, nonce 40..57.
const FROZEN_V1_DECOMPOSED: &str = "$twofa-vault$v=1$argon2id$m=7168,t=5,p=1$oKGio6SlpqeoqaqrrK2urw$QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZX$DOWeVyTqjDuGaZ34CTQMWCpx64urZ0kIAzNsE7AorBbrQ3WG0-i79A4gyYoAAto9P87OY8mwTGyE_lZZbYMi0Hd-Bb_cOCXVCQuLqdAPoKg";
/// The same, with the passphrase "correct horse battery staple".
const FROZEN_V1_ASCII: &str = "$twofa-vault$v=1$argon2id$m=7168,t=5,p=1$oKGio6SlpqeoqaqrrK2urw$QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZX$epXHcfHOdcKMdJ0uJo0jg7x5BJf7BLuJsSkAFL5MW1JpS0DfwglVCliA7nZ51bp1c71CL3CrIgE4TH90fjErQSK4sdvh-rrFfbuwoZGxMmc";
const FROZEN_PLAIN: &[u8] = br#"{"accounts":["otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP"]}"#;

fn fixtures() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string("tests/fixtures/vault/cases.json").unwrap();
    serde_json::from_str(&text).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn opens_and_reproduces_vaults_sealed_by_libsodium_and_the_argon2_reference() {
    let cases = fixtures();
    let vaults: Vec<&str> = cases.iter().map(|c| c["vault"].as_str().unwrap()).collect();
    // Versions 1 and 2 (tests/fixtures/vault/cases.json), at costs at the floor; one
    // version 2 passphrase is decomposed ("a" and U+0308), stretched as NFC.
    assert_eq!(
        vaults
            .iter()
            .filter(|v| v.starts_with("$twofa-vault$v=1$"))
            .count(),
        3
    );
    assert_eq!(
        vaults
            .iter()
            .filter(|v| v.starts_with("$twofa-vault$v=2$"))
            .count(),
        3
    );
    for case in &cases {
        let passphrase = case["passphrase"].as_str().unwrap();
        let vault = case["vault"].as_str().unwrap();
        let key = VaultKey::unlock(passphrase.as_bytes(), vault).unwrap();
        // The Argon2id key is the reference implementation's.
        assert_eq!(hex(&key.to_bytes()[..32]), case["key"].as_str().unwrap());
        let plain = key.open(vault).unwrap();
        assert_eq!(std::str::from_utf8(&plain).unwrap(), case["plaintext"]);
        // Sealing the same text with the same nonce gives the same vault, byte for byte:
        // version 2, which these NFC passphrases' keys seal even when unlocked from
        // version 1 (the first case's key reseals it as the fourth case).
        let nonce: [u8; 24] = core::array::from_fn(|i| 100 + i as u8);
        let resealed = key
            .seal(case["plaintext"].as_str().unwrap().as_bytes(), nonce)
            .unwrap();
        if vault.starts_with("$twofa-vault$v=2$") {
            assert_eq!(resealed, vault);
        } else {
            assert!(resealed.starts_with("$twofa-vault$v=2$"));
            assert_eq!(
                &VaultKey::unlock(passphrase.as_bytes(), &resealed)
                    .unwrap()
                    .open(&resealed)
                    .unwrap()[..],
                plain.as_slice()
            );
        }
        if vault == vaults[0] {
            assert_eq!(resealed, vaults[3]);
        }
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
    let salt = "AQEBAQEBAQEBAQEBAQEBAQ";
    let nonce = "AgICAgICAgICAgICAgICAgICAgICAgIC";
    let tag = "AAAAAAAAAAAAAAAAAAAAAA";
    let commit = "AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM";
    let v1 = |cost: &str| format!("$twofa-vault$v=1$argon2id${cost}${salt}${nonce}${tag}");
    let v2 = |cost: &str| format!("$twofa-vault$v=2$argon2id${cost}${salt}${commit}${nonce}${tag}");
    let cases: Vec<(String, &str)> = vec![
        (
            "".into(),
            "invalid vault: text is not a twofa vault (version 1 or 2)",
        ),
        (
            "$twofa-vault$v=3$argon2id$m=7168,t=5,p=1$a$b$c".into(),
            "invalid vault: text is not a twofa vault (version 1 or 2)",
        ),
        (v1("m=7168,t=5,p=2"), "invalid vault: cost is malformed"),
        (
            v1("m=2000000,t=1,p=1"),
            "invalid vault: m must be from 7168 to 1048576 KiB",
        ),
        (
            v1("m=7168,t=17,p=1"),
            "invalid vault: t must be from 1 to 16",
        ),
        (
            v1("m=7168,m=7168,t=5,p=1"),
            "invalid vault: cost is malformed",
        ),
        (v2("m=7168,t=5,p=2"), "invalid vault: cost is malformed"),
        (
            format!("$twofa-vault$v=1$argon2id$m=7168,t=5,p=1$AQEB${nonce}${tag}"),
            "invalid vault: salt is malformed",
        ),
        (
            format!("$twofa-vault$v=1$argon2id$m=7168,t=5,p=1${salt}$AgIC${tag}"),
            "invalid vault: nonce is malformed",
        ),
        (
            format!("$twofa-vault$v=1$argon2id$m=7168,t=5,p=1${salt}${nonce}$AAAA"),
            "invalid vault: ciphertext is malformed",
        ),
        (
            format!("$twofa-vault$v=1$argon2id$m=7168,t=5,p=1${salt}${nonce}"),
            "invalid vault: ciphertext is missing",
        ),
        (
            format!("$twofa-vault$v=2$argon2id$m=7168,t=5,p=1${salt}$AwMD${nonce}${tag}"),
            "invalid vault: commitment is malformed",
        ),
        (
            format!("$twofa-vault$v=2$argon2id$m=7168,t=5,p=1${salt}${commit}$AgIC${tag}"),
            "invalid vault: nonce is malformed",
        ),
        (
            format!("$twofa-vault$v=2$argon2id$m=7168,t=5,p=1${salt}${commit}${nonce}"),
            "invalid vault: ciphertext is missing",
        ),
        (
            format!("$twofa-vault$v=2$argon2id$m=7168,t=5,p=1${salt}${commit}"),
            "invalid vault: nonce is missing",
        ),
        (
            format!("$twofa-vault$v=2$argon2id$m=7168,t=5,p=1${salt}"),
            "invalid vault: commitment is missing",
        ),
        // A version 1 vault has no commitment: one more field is one too many.
        (
            format!("$twofa-vault$v=1$argon2id$m=7168,t=5,p=1${salt}${commit}${nonce}${tag}"),
            "invalid vault: vault has a field too many",
        ),
    ];
    for (text, message) in &cases {
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
        "invalid vault: vault was sealed with another salt, cost or version; unlock it with its passphrase"
    );
    assert_eq!(params_of(&good).unwrap(), LIGHT);
}

#[test]
fn the_key_survives_as_bytes_and_never_shows() {
    let key = VaultKey::derive(b"pw", [4; 16], LIGHT).unwrap();
    let vault = key.seal(b"secret text", [6; 24]).unwrap();
    let bytes = key.to_bytes();
    // The key, salt, cost, and which versions it opens: both, for an NFC passphrase.
    assert_eq!(bytes.len(), 57);
    assert_eq!(bytes[56], 3);
    let again = VaultKey::from_bytes(&bytes).unwrap();
    assert_eq!(&again.open(&vault).unwrap()[..], b"secret text");
    for bad in [
        &bytes[..55],
        &[&bytes[..56], &[0]].concat(),
        &[&bytes[..56], &[4]].concat(),
        &[&bytes[..], &[3]].concat(),
    ] {
        assert_eq!(
            VaultKey::from_bytes(bad).unwrap_err().to_string(),
            "invalid vault: key bytes are malformed"
        );
    }
    // 56 bytes, kept before version 2: a key that opens version 1 and seals it.
    let legacy = VaultKey::from_bytes(&bytes[..56]).unwrap();
    assert_eq!(legacy.version(), 1);
    assert!(legacy
        .seal(b"x", [1; 24])
        .unwrap()
        .starts_with("$twofa-vault$v=1$"));
    assert_eq!(
        legacy.open(&vault).unwrap_err().to_string(),
        "invalid vault: vault was sealed with another salt, cost or version; unlock it with its passphrase"
    );
    // Key bytes below the floor are refused like a vault that asks for too little.
    let mut cheap = bytes.to_vec();
    cheap[48..52].copy_from_slice(&7167u32.to_be_bytes());
    assert_eq!(
        VaultKey::from_bytes(&cheap).unwrap_err().to_string(),
        "invalid vault: m must be from 7168 to 1048576 KiB"
    );
    assert_eq!(format!("{key:?}"), "VaultKey(argon2id m=7168 t=5)");
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

#[test]
fn vaults_sealed_before_version_2_still_open_with_their_exact_bytes() {
    // A decomposed passphrase: version 1 stretched its bytes as given, and still does.
    let decomposed = "cafe\u{301} \u{1F511}";
    let key = VaultKey::unlock(decomposed.as_bytes(), FROZEN_V1_DECOMPOSED).unwrap();
    assert_eq!(&key.open(FROZEN_V1_DECOMPOSED).unwrap()[..], FROZEN_PLAIN);
    // Typed precomposed, it is another passphrase for a version 1 vault.
    let precomposed =
        VaultKey::unlock("caf\u{e9} \u{1F511}".as_bytes(), FROZEN_V1_DECOMPOSED).unwrap();
    assert_eq!(
        precomposed
            .open(FROZEN_V1_DECOMPOSED)
            .unwrap_err()
            .code()
            .as_str(),
        "WRONG_PASSPHRASE"
    );
    // Its key is not the NFC one, so it keeps sealing version 1, which opens as typed.
    assert_eq!(key.version(), 1);
    let resealed = key.seal(FROZEN_PLAIN, [8; 24]).unwrap();
    assert!(
        resealed.starts_with("$twofa-vault$v=1$argon2id$m=7168,t=5,p=1$oKGio6SlpqeoqaqrrK2urw$")
    );
    let again = VaultKey::unlock(decomposed.as_bytes(), &resealed).unwrap();
    assert_eq!(&again.open(&resealed).unwrap()[..], FROZEN_PLAIN);
    assert_eq!(key.to_bytes()[56], 1);

    // An ASCII passphrase is already NFC: the key opens version 1 and seals version 2.
    let ascii = b"correct horse battery staple";
    let key = VaultKey::unlock(ascii, FROZEN_V1_ASCII).unwrap();
    assert_eq!(&key.open(FROZEN_V1_ASCII).unwrap()[..], FROZEN_PLAIN);
    assert_eq!(key.version(), 2);
    let moved = key.seal(FROZEN_PLAIN, [8; 24]).unwrap();
    assert!(moved.starts_with("$twofa-vault$v=2$argon2id$m=7168,t=5,p=1$oKGio6SlpqeoqaqrrK2urw$"));
    let again = VaultKey::unlock(ascii, &moved).unwrap();
    assert_eq!(&again.open(&moved).unwrap()[..], FROZEN_PLAIN);
    assert_eq!(&again.open(FROZEN_V1_ASCII).unwrap()[..], FROZEN_PLAIN);
    assert_eq!(
        VaultKey::unlock(b"correct horse battery stapl", &moved)
            .unwrap()
            .open(&moved)
            .unwrap_err()
            .code()
            .as_str(),
        "WRONG_PASSPHRASE"
    );
}

#[test]
fn version_2_reads_the_passphrase_as_nfc() {
    // Precomposed, decomposed, and a singleton (U+212B ANGSTROM SIGN is U+00C5 in NFC).
    let forms: [&[&str]; 2] = [
        &["caf\u{e9}", "cafe\u{301}"],
        &[
            "\u{c5}ngstr\u{f6}m",
            "\u{212b}ngstro\u{308}m",
            "A\u{30a}ngstro\u{308}m",
        ],
    ];
    for same in forms {
        for sealer in same {
            let key = VaultKey::derive(sealer.as_bytes(), [5; 16], LIGHT).unwrap();
            let vault = key.seal(b"{}", [6; 24]).unwrap();
            assert!(vault.starts_with("$twofa-vault$v=2$"));
            for opener in same {
                let opened = VaultKey::unlock(opener.as_bytes(), &vault)
                    .unwrap()
                    .open(&vault);
                assert_eq!(
                    &opened.unwrap()[..],
                    b"{}",
                    "sealed with {sealer:?}, opened with {opener:?}"
                );
            }
        }
    }
    // Another letter is still another passphrase.
    let key = VaultKey::derive("caf\u{e9}".as_bytes(), [5; 16], LIGHT).unwrap();
    let vault = key.seal(b"{}", [6; 24]).unwrap();
    let err = VaultKey::unlock(b"cafe", &vault)
        .unwrap()
        .open(&vault)
        .unwrap_err();
    assert_eq!(err.code().as_str(), "WRONG_PASSPHRASE");
    // A non-NFC passphrase's key opens version 2 only: its bytes say.
    let key = VaultKey::derive("cafe\u{301}".as_bytes(), [5; 16], LIGHT).unwrap();
    assert_eq!((key.version(), key.to_bytes()[56]), (2, 2));
}

#[test]
fn a_passphrase_that_is_not_utf8_is_refused_where_it_stops_being_text() {
    // A lone surrogate as WTF-8 (ED A0 80) after two letters, a stray continuation byte,
    // and a truncated character.
    for (bytes, at) in [
        (&b"ab\xed\xa0\x80"[..], 2),
        (b"\x80", 0),
        (b"pass\xf0\x9f\x94", 4),
    ] {
        let err = VaultKey::derive(bytes, [1; 16], LIGHT).unwrap_err();
        assert_eq!(err.code().as_str(), "INVALID_OPTIONS");
        assert_eq!(
            err.to_string(),
            format!("passphrase is not utf-8 text from byte {at}")
        );
    }
    let vault = VaultKey::derive(b"pw", [1; 16], LIGHT)
        .unwrap()
        .seal(b"x", [2; 24])
        .unwrap();
    let err = VaultKey::unlock(b"ab\xed\xa0\x80", &vault).unwrap_err();
    assert_eq!(err.to_string(), "passphrase is not utf-8 text from byte 2");
    // A version 1 vault still reads any bytes, as it always did.
    let key = VaultKey::unlock(b"ab\xed\xa0\x80", FROZEN_V1_ASCII).unwrap();
    assert_eq!(key.version(), 1);
    assert_eq!(
        key.open(FROZEN_V1_ASCII).unwrap_err().code().as_str(),
        "WRONG_PASSPHRASE"
    );
}

#[test]
fn the_cost_floor_holds_when_making_and_when_reading() {
    assert_eq!(
        (VaultParams::MIN_MEMORY_KIB, VaultParams::MIN_COST_KIB),
        (7168, 35_840)
    );
    assert_eq!(
        VaultParams::MIN,
        VaultParams {
            memory_kib: 7168,
            iterations: 5
        }
    );
    let memory = "invalid vault: m must be from 7168 to 1048576 KiB";
    let work = "invalid vault: m * t must be at least 35840 KiB";
    let passes = "invalid vault: t must be from 1 to 16";
    // OWASP's five settings are accepted; one KiB or one pass less is refused.
    let cases: &[(u32, u32, Option<&str>)] = &[
        (47_104, 1, None),
        (19_456, 2, None),
        (12_288, 3, None),
        (9_216, 4, None),
        (7_168, 5, None),
        (35_840, 1, None),
        (35_839, 1, Some(work)),
        (7_168, 4, Some(work)),
        (7_167, 5, Some(memory)),
        (7_167, 16, Some(memory)),
        (17_919, 2, Some(work)),
        (17_920, 2, None),
        (8, 1, Some(memory)),
        (7_168, 0, Some(passes)),
        (1_048_576, 16, None),
        (1_048_577, 1, Some(memory)),
        (7_168, 17, Some(passes)),
    ];
    let salt = "AQEBAQEBAQEBAQEBAQEBAQ";
    let commit = "AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM";
    let rest = "AgICAgICAgICAgICAgICAgICAgICAgIC$AAAAAAAAAAAAAAAAAAAAAA";
    for &(memory_kib, iterations, refused) in cases {
        let params = VaultParams {
            memory_kib,
            iterations,
        };
        let forged = [
            format!("$twofa-vault$v=2$argon2id$m={memory_kib},t={iterations},p=1${salt}${commit}${rest}"),
            format!("$twofa-vault$v=1$argon2id$m={memory_kib},t={iterations},p=1${salt}${rest}"),
        ];
        match refused {
            None => {
                assert_eq!(params.check(), Ok(()), "{params:?}");
                for vault in &forged {
                    assert_eq!(params_of(vault).unwrap(), params);
                }
            }
            Some(message) => {
                assert_eq!(
                    params.check().unwrap_err().to_string(),
                    message,
                    "{params:?}"
                );
                // Making a key, unlocking a forged vault, reading its cost: all refused
                // before any work.
                let err = VaultKey::derive(b"pw", [1; 16], params).unwrap_err();
                assert_eq!(
                    (err.code().as_str(), err.to_string()),
                    ("INVALID_VAULT", message.to_string())
                );
                for vault in &forged {
                    assert_eq!(
                        VaultKey::unlock(b"pw", vault).unwrap_err().to_string(),
                        message,
                        "{vault}"
                    );
                    assert_eq!(params_of(vault).unwrap_err().to_string(), message);
                }
            }
        }
    }
    // The exact floors derive, seal and open (the cheap ones only: each is a real Argon2id).
    for params in [
        VaultParams::MIN,
        VaultParams {
            memory_kib: 35_840,
            iterations: 1,
        },
    ] {
        let key = VaultKey::derive(b"pw", [1; 16], params).unwrap();
        let vault = key.seal(b"x", [2; 24]).unwrap();
        assert_eq!(
            &VaultKey::unlock(b"pw", &vault)
                .unwrap()
                .open(&vault)
                .unwrap()[..],
            b"x"
        );
    }
}
