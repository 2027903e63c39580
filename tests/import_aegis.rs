//! Aegis exports: fixtures sealed by PyCA `cryptography` (scripts/import-fixtures/aegis.py),
//! the exact warning of each odd entry, wrong and missing passwords, changed bytes, cost
//! bombs, every truncation, and twofa's own export read back here and decrypted by the
//! Python script.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic: that is how they fail

use std::path::PathBuf;
use std::time::{Duration, Instant};
use twofa::transfer::import::{export_aegis, import, Import, ImportOptions, ImportedAccount};
use twofa::{EntropyError, KeyUri, Otp};

const PASSWORD: &str = "correct horse \u{fc}";
const BACKUP_PASSWORD: &str = "backup battery";
const EXPORT_PASSWORD: &str = "twofa export \u{e9}";

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/aegis");
    std::fs::read_to_string(path.join(name)).unwrap()
}

fn with(password: &str) -> ImportOptions<'_> {
    ImportOptions {
        password: Some(password),
        ..ImportOptions::default()
    }
}

/// Each account on one line: index, type, issuer, account, secret, algorithm, digits,
/// period or counter, name.
fn accounts(found: &Import) -> Vec<String> {
    found.accounts.iter().map(describe).collect()
}

fn describe(a: &ImportedAccount) -> String {
    let key = &a.key;
    let (kind, last) = match &key.otp {
        Otp::Totp(t) if t.format().is_steam() => ("steam", format!("period {}", t.period())),
        Otp::Totp(t) => ("totp", format!("period {}", t.period())),
        Otp::Hotp { counter, .. } => ("hotp", format!("counter {counter}")),
    };
    format!(
        "{} {kind} {:?}/{:?} {} {} {} {last} name {:?}",
        a.index,
        key.issuer,
        key.account,
        key.otp.secret().to_base32(),
        key.otp.algorithm().as_str(),
        key.otp.format().len(),
        a.name,
    )
}

fn warnings(found: &Import) -> Vec<String> {
    found
        .warnings
        .iter()
        .map(|w| format!("{} {w}", w.code()))
        .collect()
}

fn error(input: &str, options: &ImportOptions<'_>) -> String {
    let err = import(input.as_bytes(), options).unwrap_err();
    format!("{}: {err}", err.code())
}

const S20: &str = "AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYU";
const S32: &str = "MRSWMZ3INFVGW3DNNZXXA4LSON2HK5TXPB4XU634PV7H7AEBQKBQ";
const S64: &str = "GIZTINJWG44DSOR3HQ6T4P2AIFBEGRCFIZDUQSKKJNGE2TSPKBIVEU2UKVLFOWCZLJNVYXK6L5QGCYTDMRSWMZ3INFVGW3DNNZXXA4I";

fn fixture_accounts() -> Vec<String> {
    vec![
        format!("0 totp Some(\"Deno\")/\"mason@example.com\" {S20} SHA1 6 period 30 name \"mason@example.com\""),
        format!("1 totp Some(\"SPDX\")/\"james\" {S32} SHA256 7 period 20 name \"james\""),
        format!("2 totp Some(\"Airbnb\")/\"elijah\" {S64} SHA512 8 period 50 name \"elijah\""),
        format!("3 hotp Some(\"Issuu\")/\"james\" {S20} SHA1 6 counter 10300 name \"james\""),
        format!("4 steam Some(\"Steam\")/\"sophia\" {S20} SHA1 5 period 30 name \"sophia\""),
        format!("7 totp Some(\"Md5\")/\"md5\" {S20} SHA1 6 period 30 name \"md5\""),
        "15 totp Some(\"Café \\\"Q\\\"\")/\"adä\" GAYTEMZUGU3DOOBZ SHA1 6 period 30 name \" adä \"".into(),
    ]
}

const FIXTURE_WARNINGS: &[&str] = &[
    "NONSTANDARD_DIGITS account 1: codes have 7 digits; google authenticator shows 6 or 8 and will show wrong codes",
    "NONSTANDARD_PERIOD account 1: codes change every 20 seconds; google authenticator assumes 30 and will show wrong codes",
    "NONSTANDARD_PERIOD account 2: codes change every 50 seconds; google authenticator assumes 30 and will show wrong codes",
    "UNSUPPORTED_ACCOUNT account 5: left out: mOTP accounts are not supported",
    "UNSUPPORTED_ACCOUNT account 6: left out: Yandex accounts are not supported",
    "ACCOUNT_CHANGED account 7: changed: the MD5 algorithm was read as SHA-1, as Aegis reads it",
    "UNSUPPORTED_ACCOUNT account 8: left out: the entry has no secret",
    "UNSUPPORTED_ACCOUNT account 9: left out: codes of 12 digits are not supported",
    "UNSUPPORTED_ACCOUNT account 10: left out: the counter is not a whole number from 0 to 2^64 - 1",
    "UNSUPPORTED_ACCOUNT account 11: left out: its type is not totp, hotp or steam",
    "UNSUPPORTED_ACCOUNT account 12: left out: the secret cannot be read: it is not base32",
    "UNSUPPORTED_ACCOUNT account 13: left out: the entry is not a JSON object",
    "UNSUPPORTED_ACCOUNT account 14: left out: the period field is missing or malformed",
    "ACCOUNT_CHANGED account 15: changed: white space at either end of the issuer or account name was trimmed",
    "WEAK_SECRET account 15: the secret is 80 bits; 128 bits is the least that is safe",
];

#[test]
fn a_plain_export_gives_every_entry_or_its_warning() {
    let found = import(fixture("plain.json").as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(found.format.as_str(), "aegis");
    assert!(!found.format.is_encrypted());
    assert_eq!(accounts(&found), fixture_accounts());
    assert_eq!(warnings(&found), FIXTURE_WARNINGS);
    // A password given to a plain export is not needed, and changes nothing.
    let again = import(fixture("plain.json").as_bytes(), &with("unused")).unwrap();
    assert_eq!(again, found);
}

#[test]
fn an_encrypted_export_opens_with_its_password_past_a_biometric_slot() {
    let found = import(fixture("encrypted.json").as_bytes(), &with(PASSWORD)).unwrap();
    assert_eq!(found.format.as_str(), "aegis-encrypted");
    assert!(found.format.is_encrypted());
    assert_eq!(accounts(&found), fixture_accounts());
    assert_eq!(warnings(&found), FIXTURE_WARNINGS);
}

#[test]
fn missing_and_wrong_passwords() {
    let file = fixture("encrypted.json");
    assert_eq!(
        error(&file, &ImportOptions::default()),
        "PASSWORD_REQUIRED: the Aegis export is encrypted: give its password"
    );
    for wrong in [
        "",
        "correct horse u",
        "correct horse \u{fc} ",
        BACKUP_PASSWORD,
    ] {
        assert_eq!(
            error(&file, &with(wrong)),
            "WRONG_PASSWORD: the password does not open the Aegis export, or the export was changed",
            "{wrong:?}"
        );
    }
}

#[test]
fn every_password_slot_is_tried() {
    let file = fixture("two-slots.json");
    for password in [PASSWORD, BACKUP_PASSWORD] {
        let found = import(file.as_bytes(), &with(password)).unwrap();
        assert_eq!(accounts(&found), fixture_accounts()[..2]);
    }
    assert_eq!(
        error(&file, &with("neither")),
        "WRONG_PASSWORD: the password does not open the Aegis export, or the export was changed"
    );
}

/// The file with the first occurrence of `from` replaced by `to`.
fn replace(file: &str, from: &str, to: &str) -> String {
    assert!(file.contains(from), "{from:?} not in the fixture");
    file.replacen(from, to, 1)
}

/// The JSON text of the fixture's field, such as the db or the password slot's key.
fn field<'a>(file: &'a str, after: &str, key: &str) -> &'a str {
    let from = file.find(after).unwrap();
    let at = from + file[from..].find(&format!("\"{key}\": \"")).unwrap() + key.len() + 5;
    let end = at + file[at..].find('"').unwrap();
    &file[at..end]
}

/// `text` with the character at `at` changed to another of the same alphabet.
fn flip(text: &str, at: usize) -> String {
    let mut bytes = text.as_bytes().to_vec();
    bytes[at] = match bytes[at] {
        b'0' => b'1',
        b'A' => b'B',
        b'a' => b'b',
        _ => b'0',
    };
    String::from_utf8(bytes).unwrap()
}

/// A changed slot is a password that opens nothing; a changed vault behind a slot the
/// password opened is a changed file.
#[test]
fn changed_bytes_are_a_wrong_password_or_a_changed_file() {
    let file = fixture("encrypted.json");
    let wrong =
        "WRONG_PASSWORD: the password does not open the Aegis export, or the export was changed";
    let changed_file = "INVALID_IMPORT: invalid Aegis export: its vault does not open with the key the password unlocked: the file was changed";
    let db = field(&file, "\"db\"", "db");
    let slot_key = field(&file, "\"type\": 1", "key");
    let slot_tag = field(&file, "\"type\": 1", "tag");
    let slot_salt = field(&file, "\"type\": 1", "salt");
    let db_tag = field(&file, "\"params\": {\n            \"nonce\"", "tag");
    for (what, text) in [
        ("db", db),
        ("slot key", slot_key),
        ("slot tag", slot_tag),
        ("slot salt", slot_salt),
        ("db tag", db_tag),
    ] {
        for at in [0, text.len() / 2, text.len() - 5] {
            let changed = replace(&file, text, &flip(text, at));
            let want = if what.starts_with("db") {
                changed_file
            } else {
                wrong
            };
            assert_eq!(error(&changed, &with(PASSWORD)), want, "{what} at {at}");
        }
    }
}

#[test]
fn cost_bombs_are_refused_before_any_work() {
    let file = fixture("encrypted.json");
    for (from, to, message) in [
        (
            "\"n\": 1024",
            "\"n\": 1073741824",
            "IMPORT_LIMIT: scrypt memory (KiB) is 1073741827, over the limit of 1048576",
        ),
        (
            "\"n\": 1024",
            "\"n\": 9223372036854775808",
            "IMPORT_LIMIT: scrypt memory (KiB) is 18014398509481983, over the limit of 1048576",
        ),
        (
            "\"r\": 8",
            "\"r\": 1099511627776",
            "IMPORT_LIMIT: scrypt memory (KiB) is 551366426495, over the limit of 1048576",
        ),
        // scrypt's p blocks count too: N = 2, r = 2^22, p = 7 asks 11 · 512 MiB.
        (
            "\"n\": 1024,\n                \"r\": 8,\n                \"p\": 1,",
            "\"n\": 2,\n                \"r\": 4194304,\n                \"p\": 7,",
            "IMPORT_LIMIT: scrypt memory (KiB) is 5767168, over the limit of 1048576",
        ),
        (
            "\"p\": 1",
            "\"p\": 1000000",
            "IMPORT_LIMIT: scrypt parallelism is 1000000, over the limit of 16",
        ),
    ] {
        let bomb = replace(&file, from, to);
        let start = Instant::now();
        let got = error(&bomb, &with(PASSWORD));
        assert_eq!(got, message, "{to}");
        assert!(start.elapsed() < Duration::from_millis(500), "{to}");
    }
    // A tighter limit refuses Aegis' own cost.
    let options = ImportOptions {
        password: Some(PASSWORD),
        limits: twofa::transfer::import::Limits {
            max_memory_kib: 512,
            ..twofa::transfer::import::Limits::default()
        },
    };
    assert_eq!(
        error(&file, &options),
        "IMPORT_LIMIT: scrypt memory (KiB) is 1027, over the limit of 512"
    );
    // More password slots than any Aegis file has: refused before the first derivation.
    let slot_start = file.find("{\n                \"type\": 1").unwrap();
    let slot_end = slot_start + file[slot_start..].find("\n            }").unwrap() + 14;
    let slot = &file[slot_start..slot_end];
    let many = replace(&file, slot, &[slot; 9].join(",\n            "));
    let start = Instant::now();
    assert_eq!(
        error(&many, &with(PASSWORD)),
        "IMPORT_LIMIT: Aegis password slots is 9, over the limit of 8"
    );
    assert!(start.elapsed() < Duration::from_millis(500));
    let eight = replace(&file, slot, &[slot; 8].join(",\n            "));
    assert_eq!(
        import(eight.as_bytes(), &with(PASSWORD))
            .unwrap()
            .accounts
            .len(),
        7
    );
    // Eight slots each within the limits (512 MiB, p = 4: 2 GiB of work) are refused
    // together before the first derivation: a wrong password would derive them all.
    let dear = replace(
        slot,
        "\"n\": 1024,\n                \"r\": 8,\n                \"p\": 1,",
        "\"n\": 524288,\n                \"r\": 8,\n                \"p\": 4,",
    );
    let dear_eight = replace(&file, slot, &[dear.as_str(); 8].join(",\n            "));
    let start = Instant::now();
    assert_eq!(
        error(&dear_eight, &with("not the password")),
        "IMPORT_LIMIT: the scrypt memory × parallelism of all password slots (KiB) is 16777408, over the limit of 8388608"
    );
    assert!(start.elapsed() < Duration::from_millis(500));
}

#[test]
fn malformed_exports_say_what_is_wrong() {
    let plain = fixture("plain.json");
    let encrypted = fixture("encrypted.json");
    let invalid = |what: &str| format!("INVALID_IMPORT: invalid Aegis export: {what}");
    let db = field(&encrypted, "\"db\"", "db");
    for (file, from, to, want) in [
        (
            &plain,
            "\"version\": 1,",
            "\"version\": 2,",
            "UNSUPPORTED_FORMAT: not an export twofa reads: it is an Aegis export of a version other than 1"
                .to_owned(),
        ),
        (&plain, "\"version\": 1,", "\"version\": \"1\",", invalid("its version is not a number")),
        (&plain, "\"entries\"", "\"entrees\"", invalid("its db has no entries list")),
        (
            &encrypted,
            db,
            "not base64!",
            "INVALID_IMPORT: invalid Aegis export: its db is not base64".to_owned(),
        ),
        (
            &encrypted,
            "\"type\": 1",
            "\"type\": 3",
            invalid("it has no password slot: only the phone's biometric key opens it"),
        ),
        (&encrypted, "\"n\": 1024", "\"n\": 1000", invalid("a password slot is malformed")),
        (&encrypted, "\"n\": 1024", "\"n\": 1", invalid("a password slot is malformed")),
        (
            &encrypted,
            "\"salt\": \"",
            "\"salt\": \"0",
            invalid("a password slot is malformed"),
        ),
        (
            &encrypted,
            "\"slots\": [",
            "\"slots\": 7, \"x\": [",
            invalid("its header has no slots list"),
        ),
    ] {
        let changed = replace(file, from, to);
        assert_eq!(error(&changed, &with(PASSWORD)), want, "{to}");
    }
    let no_params = replace(
        &encrypted,
        "\"params\": {\n            \"nonce\"",
        "\"params\": {\n            \"nonse\"",
    );
    assert_eq!(
        error(&no_params, &with(PASSWORD)),
        invalid("its header params are not a 12-byte nonce and a 16-byte tag in hex")
    );
    let not_object = r#"{"version":1,"header":{"slots":null,"params":null},"db":[]}"#;
    assert_eq!(
        error(not_object, &ImportOptions::default()),
        invalid("its db is not an object")
    );
}

#[test]
fn other_json_is_not_taken_for_aegis() {
    for text in [
        r#"{"version":1,"db":{}}"#,
        r#"{"version":1,"header":[],"db":{}}"#,
        r#"{"header":{},"db":{}}"#,
    ] {
        assert_eq!(
            error(text, &ImportOptions::default()),
            "UNSUPPORTED_FORMAT: not an export twofa reads: it is JSON, but not an export twofa knows",
            "{text}"
        );
    }
    // The least a plain export can be.
    let empty =
        r#"{"version":1,"header":{"slots":null,"params":null},"db":{"version":3,"entries":[]}}"#;
    let found = import(empty.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!((found.format.as_str(), found.accounts.len()), ("aegis", 0));
}

#[test]
fn every_truncation_is_refused_cleanly_or_reads_fewer_entries() {
    // Every prefix of the smallest file, every 13th of the others (a cut JSON text is
    // refused before the Aegis reader sees it, so the larger ones add time, not cases).
    for (name, step) in [
        ("two-slots.json", 1),
        ("plain.json", 13),
        ("encrypted.json", 13),
    ] {
        let file = fixture(name);
        let full = import(file.as_bytes(), &with(PASSWORD)).unwrap();
        // No prefix may panic or read more.
        for len in (0..file.len()).step_by(step) {
            match import(&file.as_bytes()[..len], &with(PASSWORD)) {
                // Only the file without its final newline is still the whole export.
                Ok(found) => assert!(
                    found.accounts.len() < full.accounts.len()
                        || (file[..len].trim_end() == file.trim_end() && found == full),
                    "{name} {len}"
                ),
                Err(err) => assert!(
                    ["UNSUPPORTED_FORMAT", "INVALID_IMPORT", "WRONG_PASSWORD"]
                        .contains(&err.code().as_str()),
                    "{name} {len}: {err}"
                ),
            }
        }
    }
    // The sealed db cut short, with the right password: never opens.
    let file = fixture("encrypted.json");
    let db = field(&file, "\"db\"", "db");
    for len in (0..db.len()).step_by(331) {
        let cut = replace(&file, db, &db[..len]);
        let got = error(&cut, &with(PASSWORD));
        assert!(
            got.starts_with("WRONG_PASSWORD") || got.starts_with("INVALID_IMPORT"),
            "{len}: {got}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Export

/// The accounts the committed export holds (EXPORTED in scripts/import-fixtures/aegis.py).
const EXPORTED: &[&str] = &[
    "otpauth://totp/ACME%20Co:ada@example.com?secret=AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYU&issuer=ACME%20Co",
    "otpauth://totp/SPDX:james?secret=MRSWMZ3INFVGW3DNNZXXA4LSON2HK5TXPB4XU634PV7H7AEBQKBQ&algorithm=SHA256&digits=7&period=20&issuer=SPDX",
    "otpauth://hotp/Issuu:james?secret=AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYU&algorithm=SHA512&digits=8&counter=10300&issuer=Issuu",
    "otpauth://totp/Steam:sophia?secret=AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYU&encoder=steam&issuer=Steam",
    "otpauth://totp/no%20issuer%20%22quoted%22?secret=GIZTINJWG44DSOR3HQ6T4P2AIFBEGRCFIZDUQSKKJNGE2TSPKBIVEU2UKVLFOWCZLJNVYXK6L5QGCYTDMRSWMZ3INFVGW3DNNZXXA4I&period=60",
];

fn exported() -> Vec<ImportedAccount> {
    EXPORTED
        .iter()
        .enumerate()
        .map(|(index, uri)| ImportedAccount {
            key: KeyUri::parse(uri).unwrap().key,
            name: String::new(),
            index,
        })
        .collect()
}

/// A stand-in for a CSPRNG that gives the same bytes every run, so the committed export
/// can be compared byte for byte.
fn seeded() -> impl FnMut(&mut [u8]) -> Result<(), EntropyError> {
    let mut state = 0x2026_1203_u64;
    move |buf: &mut [u8]| {
        for b in buf {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            *b = (state >> 56) as u8;
        }
        Ok(())
    }
}

fn keys(found: &[ImportedAccount]) -> Vec<&KeyUri> {
    found.iter().map(|a| &a.key).collect()
}

#[test]
fn an_export_reads_back_as_the_same_accounts() {
    let accounts = exported();
    let plain = export_aegis(&accounts, None, seeded()).unwrap();
    let found = import(plain.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(found.format.as_str(), "aegis");
    assert_eq!(keys(&found.accounts), keys(&accounts));
    let indexes: Vec<usize> = found.accounts.iter().map(|a| a.index).collect();
    assert_eq!(indexes, [0, 1, 2, 3, 4]);
    // The accounts' own warnings, and nothing else.
    assert_eq!(
        warnings(&found),
        [
            "NONSTANDARD_DIGITS account 1: codes have 7 digits; google authenticator shows 6 or 8 and will show wrong codes",
            "NONSTANDARD_PERIOD account 1: codes change every 20 seconds; google authenticator assumes 30 and will show wrong codes",
            "NONSTANDARD_PERIOD account 4: codes change every 60 seconds; google authenticator assumes 30 and will show wrong codes",
        ]
    );

    let sealed = export_aegis(&accounts, Some(EXPORT_PASSWORD), seeded()).unwrap();
    assert!(!sealed.contains(S20) && !sealed.contains("ACME"));
    let found = import(sealed.as_bytes(), &with(EXPORT_PASSWORD)).unwrap();
    assert_eq!(found.format.as_str(), "aegis-encrypted");
    assert_eq!(keys(&found.accounts), keys(&accounts));
    assert_eq!(
        error(&sealed, &with("twofa export e")),
        "WRONG_PASSWORD: the password does not open the Aegis export, or the export was changed"
    );
    assert_eq!(
        error(&sealed, &ImportOptions::default()),
        "PASSWORD_REQUIRED: the Aegis export is encrypted: give its password"
    );
    // Nothing at all exports too.
    let none = export_aegis(&[], Some("p"), seeded()).unwrap();
    assert!(import(none.as_bytes(), &with("p"))
        .unwrap()
        .accounts
        .is_empty());
}

#[test]
fn exports_draw_fresh_randomness_and_fail_without_it() {
    let accounts = exported();
    let a = export_aegis(&accounts, Some("p"), getrandom_like).unwrap();
    let b = export_aegis(&accounts, Some("p"), getrandom_like).unwrap();
    assert_ne!(a, b);
    let broken = |_: &mut [u8]| Err(EntropyError);
    for password in [None, Some("p")] {
        let err = export_aegis(&accounts, password, broken).unwrap_err();
        assert_eq!(err.code(), "ENTROPY_UNAVAILABLE");
    }
    // Entropy that runs out after the entries' UUIDs: no half-written export.
    let mut left = 5 * 16;
    let short = move |buf: &mut [u8]| {
        if left < buf.len() {
            return Err(EntropyError);
        }
        left -= buf.len();
        buf.fill(1);
        Ok(())
    };
    assert_eq!(
        export_aegis(&accounts, Some("p"), short)
            .unwrap_err()
            .code(),
        "ENTROPY_UNAVAILABLE"
    );
}

/// Fresh bytes without a dependency: the standard library's randomly keyed hasher.
fn getrandom_like(buf: &mut [u8]) -> Result<(), EntropyError> {
    use std::hash::{BuildHasher, Hasher};
    for chunk in buf.chunks_mut(8) {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u8(0);
        chunk.copy_from_slice(&h.finish().to_le_bytes()[..chunk.len()]);
    }
    Ok(())
}

#[test]
fn counters_aegis_cannot_read_are_refused() {
    let mut accounts = exported();
    let uri = format!(
        "otpauth://hotp/a?secret={S20}&counter={}",
        i64::MAX as u64 + 1
    );
    accounts[2].key = KeyUri::parse(&uri).unwrap().key;
    let err = export_aegis(&accounts, None, seeded()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "an HOTP counter is 9223372036854775808, over the limit of 9223372036854775807"
    );
    let uri = format!("otpauth://hotp/a?secret={S20}&counter={}", i64::MAX);
    accounts[2].key = KeyUri::parse(&uri).unwrap().key;
    let plain = export_aegis(&accounts, None, seeded()).unwrap();
    let back = import(plain.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(back.accounts[2].key, accounts[2].key);
}

#[test]
fn names_of_every_kind_survive_the_round_trip() {
    let mut accounts = exported();
    let odd: String = (0u8..0x20)
        .map(char::from)
        .chain("\"\\é🦀/".chars())
        .collect();
    accounts[0].key.account = odd.repeat(40);
    accounts[0].key.issuer = Some(format!("{odd}x{odd}"));
    for password in [None, Some("p")] {
        let file = export_aegis(&accounts, password, seeded()).unwrap();
        let found = import(file.as_bytes(), &with("p")).unwrap();
        // Names are trimmed on the way in; these start and end with control characters.
        assert_eq!(found.accounts[0].key.account, odd.repeat(40).trim());
        assert_eq!(
            found.accounts[0].key.issuer.as_deref(),
            Some(format!("{odd}x{odd}").trim())
        );
    }
}

#[test]
fn the_committed_export_is_what_export_aegis_writes() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/aegis/twofa-export.json");
    let made = export_aegis(&exported(), Some(EXPORT_PASSWORD), seeded()).unwrap();
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, made.as_bytes()).unwrap();
    }
    // scripts/import-fixtures/aegis.py decrypts this file with PyCA's Scrypt and AESGCM
    // and checks its entries.
    let committed = std::fs::read_to_string(&path).unwrap();
    assert_eq!(committed, *made);
    let found = import(committed.as_bytes(), &with(EXPORT_PASSWORD)).unwrap();
    assert_eq!(keys(&found.accounts), keys(&exported()));
}
