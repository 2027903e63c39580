//! Google Authenticator exports: the issue's example, payloads written by Google's own
//! protobuf runtime, exact errors, the round trip, and arbitrary bytes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic: that is how they fail

mod common;

use common::Rng;
use serde_json::Value;
use twofa::{Algorithm, Format, Hotp, KeyUri, Migration, MigrationExport, Otp, Secret, Totp};

#[test]
fn the_example_of_the_issue() {
    let uri = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC";
    let batch = Migration::parse(uri).unwrap();
    assert_eq!(batch.accounts.len(), 1);
    let a = &batch.accounts[0];
    assert_eq!(a.key.otp.secret().to_base32(), "JBSWY3DPEHPK3PXP");
    assert_eq!(a.name, "Example:alice@google.com");
    assert_eq!(a.key.issuer.as_deref(), Some("Example"));
    assert_eq!(a.key.account, "alice@google.com");
    assert_eq!(a.key.otp.algorithm(), Algorithm::Sha1);
    assert_eq!(a.key.otp.format(), Format::digits(6).unwrap());
    assert!(matches!(&a.key.otp, Otp::Totp(t) if t.period() == 30));
    // No batch fields on the wire: all are their default, 0.
    assert_eq!(
        (
            batch.batch_size,
            batch.batch_index,
            batch.batch_id,
            batch.version
        ),
        (0, 0, 0, 0)
    );
    let warnings: Vec<String> = batch.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        ["account 0: the secret is 80 bits; 128 bits is the least that is safe"]
    );
}

/// The accounts of a batch, flattened the way the fixture file writes them.
fn flatten(batch: &Migration) -> Vec<Value> {
    batch
        .accounts
        .iter()
        .map(|a| {
            let mut v = serde_json::json!({
                "secret": a.key.otp.secret().to_base32(),
                "name": a.name,
                "issuer": a.key.issuer,
                "account": a.key.account,
                "algorithm": a.key.otp.algorithm().as_str(),
                "digits": a.key.otp.format().len(),
            });
            match &a.key.otp {
                Otp::Totp(_) => v["type"] = "totp".into(),
                Otp::Hotp { counter, .. } => {
                    v["type"] = "hotp".into();
                    v["counter"] = (*counter).into();
                }
            }
            v
        })
        .collect()
}

#[test]
fn payloads_written_by_googles_protobuf_runtime() {
    let text = std::fs::read_to_string("tests/fixtures/migration/cases.json").unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(cases.len(), 2);
    for case in cases {
        let batch = Migration::parse(case["uri"].as_str().unwrap()).unwrap();
        assert_eq!(Value::from(flatten(&batch)), case["accounts"]);
        assert_eq!(
            i64::from(batch.batch_size),
            case["batchSize"].as_i64().unwrap()
        );
        assert_eq!(
            i64::from(batch.batch_index),
            case["batchIndex"].as_i64().unwrap()
        );
        assert_eq!(i64::from(batch.batch_id), case["batchId"].as_i64().unwrap());
        assert_eq!(i64::from(batch.version), case["version"].as_i64().unwrap());
        let warnings: Vec<Value> = batch
            .warnings
            .iter()
            .map(|w| serde_json::json!([w.account_index(), w.code().as_str()]))
            .collect();
        assert_eq!(Value::from(warnings), case["warnings"]);
    }
}

#[test]
fn accounts_left_out_of_a_read_say_why() {
    let text = std::fs::read_to_string("tests/fixtures/migration/cases.json").unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    let batch = Migration::parse(cases[1]["uri"].as_str().unwrap()).unwrap();
    let messages: Vec<String> = batch.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        messages,
        [
            "account 0: left out: md5 is not supported",
            "account 2: left out: the secret is empty",
            "account 3: left out: unknown digit count 7",
        ]
    );
}

#[test]
fn errors() {
    #[rustfmt::skip]
    let cases = [
        ("otpauth://offline?data=AA", "INVALID_MIGRATION", "migration uri must start with otpauth-migration://offline?data="),
        ("otpauth-migration://online?data=AA", "INVALID_MIGRATION", "migration uri must start with otpauth-migration://offline?data="),
        ("otpauth-migration://offline", "INVALID_MIGRATION", "migration uri must start with otpauth-migration://offline?data="),
        ("otpauth-migration://offline?x=1", "INVALID_URI", "uri has no data parameter"),
        ("otpauth-migration://offline?data=AA&data=AA", "INVALID_URI", "uri has the data parameter twice"),
        ("otpauth-migration://offline?data=CjE%2", "INVALID_URI", "malformed percent-encoding in the data parameter"),
        ("otpauth-migration://offline?data=CjE*", "INVALID_MIGRATION", "invalid base64 character at position 4 of the data parameter"),
        ("otpauth-migration://offline?data=CjEKC", "INVALID_MIGRATION", "invalid base64 length in the data parameter"),
        // 0x0a 0x31: an account of 49 bytes, of which none follow.
        ("otpauth-migration://offline?data=CjE=", "INVALID_MIGRATION", "malformed migration payload at byte 1"),
        // 0x10 0xff: a version varint that never ends.
        ("otpauth-migration://offline?data=EP8", "INVALID_MIGRATION", "malformed migration payload at byte 1"),
        // 0x12 0x00: version (field 2) with the wire type of bytes.
        ("otpauth-migration://offline?data=EgA", "INVALID_MIGRATION", "malformed migration payload at byte 0"),
        // 0x0a 0x02 0x12 0x01: an account whose name runs past its end.
        ("otpauth-migration://offline?data=CgISAQ", "INVALID_MIGRATION", "malformed migration payload at byte 3"),
        // 0x0a 0x03 0x12 0x01 0xff: a name that is not UTF-8.
        ("otpauth-migration://offline?data=CgMSAf8", "INVALID_MIGRATION", "malformed migration payload at byte 4"),
        // 0x00: field number 0.
        ("otpauth-migration://offline?data=AA", "INVALID_MIGRATION", "malformed migration payload at byte 0"),
        ("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP", "INVALID_MIGRATION", "migration uri must start with otpauth-migration://offline?data="),
    ];
    for (uri, code, message) in cases {
        let err = Migration::parse(uri).expect_err(uri);
        assert_eq!(
            (err.code().as_str(), err.to_string().as_str()),
            (code, message),
            "{uri}"
        );
    }
    // An empty payload is an export of nothing.
    let empty = Migration::parse("otpauth-migration://offline?data=").unwrap();
    assert!(empty.accounts.is_empty() && empty.warnings.is_empty());
}

fn totp(secret: &[u8], issuer: Option<&str>, account: &str) -> KeyUri {
    KeyUri {
        otp: Otp::Totp(Totp::new(Secret::from_bytes(secret).unwrap())),
        issuer: issuer.map(str::to_owned),
        account: account.to_owned(),
        image: None,
    }
}

#[test]
fn accounts_an_export_cannot_carry_are_left_out_never_changed() {
    let secret = Secret::from_bytes(&[9; 20]).unwrap();
    let keep = totp(&[1; 20], Some("ACME"), "ada");
    let mut period = keep.clone();
    period.otp = Otp::Totp(Totp::new(secret.clone()).with_period(60).unwrap());
    let mut digits = keep.clone();
    digits.otp = Otp::Totp(Totp::new(secret.clone()).with_format(Format::digits(7).unwrap()));
    let mut steam = keep.clone();
    steam.otp = Otp::Totp(Totp::steam(secret.clone()));
    let mut counter = keep.clone();
    counter.otp = Otp::Hotp {
        hotp: Hotp::new(secret.clone()),
        counter: 1 << 63,
    };
    let mut epoch = keep.clone();
    epoch.otp = Otp::Totp(Totp::new(secret).with_epoch_ms(5));
    let export = MigrationExport::build(&[period, keep.clone(), digits, steam, counter, epoch], 1);
    let messages: Vec<String> = export.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        messages,
        [
            "account 0: left out: google authenticator exports have no period, and this account's is 60 seconds",
            "account 2: left out: google authenticator exports have 6 or 8 digits, and this account has 7",
            "account 3: left out: google authenticator exports cannot carry steam codes",
            "account 4: left out: google authenticator exports carry counters up to 2^63 - 1, and this one is larger",
            "account 5: left out: google authenticator exports have no totp epoch (T0) other than 0",
        ]
    );
    assert!(export
        .warnings
        .iter()
        .all(|w| w.code() == "UNREPRESENTABLE_ACCOUNT"));
    assert_eq!(export.uris.len(), 1);
    let batch = Migration::parse(&export.uris[0]).unwrap();
    assert_eq!(batch.accounts.len(), 1);
    assert_eq!(batch.accounts[0].key, keep);
    assert_eq!(MigrationExport::build(&[], 1).uris, Vec::<String>::new());
}

/// The pieces of random issuers and accounts.
const POOL: &[&str] = &[
    "a", "Z", "0", ":", "%", "&", "=", "+", " ", "/", "@", "é", "東京", "🔑",
];

#[test]
fn round_trip_in_batches_small_enough_to_scan() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..200 {
        let count = rng.below(40);
        let keys: Vec<KeyUri> = (0..count)
            .map(|_| {
                let secret: Vec<u8> = (0..1 + rng.below(64)).map(|_| rng.next() as u8).collect();
                let secret = Secret::from_bytes(&secret).unwrap();
                let algorithm =
                    [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512][rng.below(3)];
                let format = Format::digits([6, 8][rng.below(2)]).unwrap();
                let otp = if rng.below(2) == 0 {
                    Otp::Totp(
                        Totp::new(secret)
                            .with_algorithm(algorithm)
                            .with_format(format),
                    )
                } else {
                    Otp::Hotp {
                        hotp: Hotp::new(secret)
                            .with_algorithm(algorithm)
                            .with_format(format),
                        counter: rng.next() >> 1,
                    }
                };
                let issuer = Some(rng.text(POOL, 12)).filter(|i| !i.is_empty());
                KeyUri {
                    otp,
                    issuer,
                    account: rng.text(POOL, 24),
                    image: None,
                }
            })
            .collect();
        let id = rng.next() as i32;
        let export = MigrationExport::build(&keys, id);
        assert!(export.warnings.is_empty(), "round {round}");
        let mut read = Vec::new();
        for (index, uri) in export.uris.iter().enumerate() {
            let batch = Migration::parse(uri).unwrap();
            assert!(
                uri.len() <= twofa::MAX_BATCH_URI_LEN || batch.accounts.len() == 1,
                "round {round}: {} bytes for {} accounts",
                uri.len(),
                batch.accounts.len()
            );
            assert!(batch.accounts.len() <= twofa::MAX_BATCH_ACCOUNTS);
            assert_eq!(batch.batch_index as usize, index);
            assert_eq!(batch.batch_size as usize, export.uris.len());
            assert_eq!((batch.batch_id, batch.version), (id, 1));
            read.extend(batch.accounts.into_iter().map(|a| a.key));
        }
        assert_eq!(read, keys, "round {round}");
    }
}

#[test]
fn arbitrary_bytes_never_panic() {
    use std::fmt::Write;
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let text = std::fs::read_to_string("tests/fixtures/migration/cases.json").unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    let seed = cases[0]["uri"].as_str().unwrap().to_owned();
    let mut parsed = 0;
    for _ in 0..20_000 {
        let uri = if rng.below(2) == 0 {
            // Random bytes as base64, so they reach the protobuf reader; often with a
            // well-formed account key in front, so they reach the account reader too.
            let mut bytes: Vec<u8> = (0..rng.below(300)).map(|_| rng.next() as u8).collect();
            if rng.below(2) == 0 {
                bytes.splice(0..0, [0x0a, rng.below(300) as u8]);
            }
            let mut uri = String::from("otpauth-migration://offline?data=");
            for b in base64(&bytes).bytes() {
                write!(uri, "%{b:02X}").unwrap();
            }
            uri
        } else {
            // A real export with characters replaced or cut off.
            let mut chars: Vec<char> = seed.chars().collect();
            for _ in 0..1 + rng.below(4) {
                let at = 33 + rng.below(chars.len() - 33);
                chars[at] = ['A', 'z', '0', '+', '/', '%', '='][rng.below(7)];
            }
            chars.truncate(33 + rng.below(chars.len() - 32));
            chars.into_iter().collect()
        };
        // Either result is fine; a panic fails the test.
        if Migration::parse(&uri).is_ok() {
            parsed += 1;
        }
    }
    assert!(parsed > 0, "no mutated export was readable at all");
}

/// Standard base64 with padding, written here so the test does not trust the code it
/// tests.
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                A[(n >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

#[test]
fn names_that_would_change_images_and_oversized_accounts() {
    let keep = totp(&[1; 20], Some("ACME"), "ada");
    let mut spaced = keep.clone();
    spaced.account = " ada".into();
    let mut empty_issuer = keep.clone();
    empty_issuer.issuer = Some(String::new());
    let mut huge = keep.clone();
    huge.account = "x".repeat(4000);
    let mut logo = keep.clone();
    logo.image = Some("https://example.com/logo.png".into());
    let export = MigrationExport::build(&[spaced, keep.clone(), empty_issuer, huge, logo], 5);
    let messages: Vec<String> = export
        .warnings
        .iter()
        .map(|w| format!("{} {w}", w.code()))
        .collect();
    assert_eq!(
        messages,
        [
            "UNREPRESENTABLE_ACCOUNT account 0: left out: google authenticator exports keep names as written, and an empty issuer or white space at either end would not come back",
            "UNREPRESENTABLE_ACCOUNT account 2: left out: google authenticator exports keep names as written, and an empty issuer or white space at either end would not come back",
            "UNREPRESENTABLE_ACCOUNT account 3: left out: google authenticator exports fit in qr codes, and this account alone takes 5447 bytes; the most is 2331",
            "IMAGE_LEFT_OUT account 4: exported without its image: google authenticator exports have no image field",
        ]
    );
    let read: Vec<KeyUri> = export
        .uris
        .iter()
        .flat_map(|u| Migration::parse(u).unwrap().accounts)
        .map(|a| a.key)
        .collect();
    assert_eq!(read, [keep.clone(), keep]);
    // Debug never shows the URIs, which carry the secrets.
    assert_eq!(
        format!("{export:?}").split(", warnings").next().unwrap(),
        "MigrationExport { uris: [1 uris]"
    );
}
