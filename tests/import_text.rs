//! otpauth:// text and Google Authenticator batches: lines as apps and people write them,
//! the exact warning for each odd line, batch indexes counted across batches, and every
//! truncation.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic: that is how they fail

use serde_json::Value;
use twofa::transfer::import::{import, Import, ImportOptions, ImportedAccount};
use twofa::Otp;

const S20: &str = "AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYU";

fn read(text: &str) -> Import {
    import(text.as_bytes(), &ImportOptions::default()).unwrap()
}

fn describe(a: &ImportedAccount) -> String {
    let key = &a.key;
    let (kind, last) = match &key.otp {
        Otp::Totp(t) if t.format().is_steam() => ("steam", format!("period {}", t.period())),
        Otp::Totp(t) => ("totp", format!("period {}", t.period())),
        Otp::Hotp { counter, .. } => ("hotp", format!("counter {counter}")),
    };
    format!(
        "{} {kind} {:?}/{:?} {} {} {} {last}",
        a.index,
        key.issuer,
        key.account,
        key.otp.secret().to_base32(),
        key.otp.algorithm().as_str(),
        key.otp.format().len(),
    )
}

fn accounts(found: &Import) -> Vec<String> {
    found.accounts.iter().map(describe).collect()
}

fn warnings(found: &Import) -> Vec<String> {
    found
        .warnings
        .iter()
        .map(|w| format!("{} {w}", w.code()))
        .collect()
}

fn mixed() -> String {
    [
        &format!("  otpauth://totp/ACME:ada?secret={S20}&issuer=ACME  \r"),
        "",
        "# my codes",
        &format!("\"otpauth://hotp/Bank:bo?secret={S20}&counter=7&issuer=Bank\""),
        &format!(
            "otpauth://totp/A:x?secret={S20}&issuer=A,otpauth://totp/B:y%2Cz?secret={S20}&issuer=B"
        ),
        &format!("otpauth://motp/M:m?secret={S20}"),
        &format!("otpauth://yaotp/Y:y?secret={S20}"),
        "otpauth://totp/X:x?secret=0189",
        "otpauth://totp/X:x?issuer=X",
        &format!("otpauth://totp/X:x?secret={S20}&algorithm=MD5"),
        &format!("otpauth://hotp/X:x?secret={S20}"),
        // Ente's plain export: its codeDisplay parameter (pins, tags, notes) is not read.
        &format!(
            "otpauth://totp/Deno:mason?secret={S20}&issuer=Deno&algorithm=sha512&digits=8&period=30\
             &codeDisplay=%7B%22pinned%22%3Atrue%2C%22trashed%22%3Afalse%2C%22tags%22%3A%5B%22a%2Cb%22%5D%7D"
        ),
        // Aegis' plain export writes Steam accounts with their own type.
        &format!("otpauth://steam/Steam:sophia?secret={S20}&issuer=Steam&digits=5&period=30&algorithm=SHA1"),
        "otpauth://totp/X:short?secret=AAAAAAAAA",
        &format!("OTPAUTH://TOTP/Up:per?secret={S20}&issuer=Up"),
        "\t",
    ]
    .join("\n")
}

#[test]
fn every_line_is_an_account_or_a_warning() {
    let found = read(&mixed());
    assert_eq!(found.format.as_str(), "otpauth");
    assert_eq!(
        accounts(&found),
        [
            format!("0 totp Some(\"ACME\")/\"ada\" {S20} SHA1 6 period 30"),
            format!("2 hotp Some(\"Bank\")/\"bo\" {S20} SHA1 6 counter 7"),
            format!("3 totp Some(\"A\")/\"x\" {S20} SHA1 6 period 30"),
            format!("4 totp Some(\"B\")/\"y,z\" {S20} SHA1 6 period 30"),
            format!("11 totp Some(\"Deno\")/\"mason\" {S20} SHA512 8 period 30"),
            format!("12 steam Some(\"Steam\")/\"sophia\" {S20} SHA1 5 period 30"),
            "13 totp Some(\"X\")/\"short\" AAAAAAAA SHA1 6 period 30".to_owned(),
            format!("14 totp Some(\"Up\")/\"per\" {S20} SHA1 6 period 30"),
        ]
    );
    assert_eq!(
        warnings(&found),
        [
            "UNSUPPORTED_ACCOUNT account 1: left out: the line is not an otpauth:// URI",
            "UNSUPPORTED_ACCOUNT account 5: left out: mOTP accounts are not supported",
            "UNSUPPORTED_ACCOUNT account 6: left out: Yandex accounts are not supported",
            "UNSUPPORTED_ACCOUNT account 7: left out: the secret cannot be read: it is not base32",
            "UNSUPPORTED_ACCOUNT account 8: left out: the entry has no secret",
            "UNSUPPORTED_ACCOUNT account 9: left out: the MD5 algorithm is not supported",
            "UNSUPPORTED_ACCOUNT account 10: left out: its otpauth:// URI is malformed",
            "ACCOUNT_CHANGED account 13: changed: the secret's base32 ended in characters that make no whole byte; they were dropped",
            "WEAK_SECRET account 13: the secret is 40 bits; 128 bits is the least that is safe",
        ]
    );
    for a in &found.accounts {
        assert_eq!(a.name, "");
    }
    for w in &found.warnings {
        assert!(!w.to_string().contains(S20), "{w}");
    }
}

#[test]
fn text_without_a_uri_is_not_this_format() {
    for (text, what) in [
        ("", "the input is empty"),
        (" \r\n\t\n", "the input is empty"),
        ("hello\nworld\n", "it is text without otpauth:// URIs"),
        (
            "# otpauth://totp/a?secret=A\n",
            "it is text without otpauth:// URIs",
        ),
        (
            "otpauth:/totp/a?secret=A\n",
            "it is text without otpauth:// URIs",
        ),
    ] {
        let err = import(text.as_bytes(), &ImportOptions::default()).unwrap_err();
        assert_eq!(err.code(), "UNSUPPORTED_FORMAT", "{text:?}");
        assert_eq!(
            err.to_string(),
            format!("not an export twofa reads: {what}")
        );
    }
    // One line is enough, even when it cannot be read.
    let found = read("otpauth://totp/a");
    assert_eq!(found.format.as_str(), "otpauth");
    assert_eq!(
        warnings(&found),
        ["UNSUPPORTED_ACCOUNT account 0: left out: the entry has no secret"]
    );
}

fn migration_cases() -> Vec<Value> {
    let text = std::fs::read_to_string("tests/fixtures/migration/cases.json").unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Batches written by Google's own protobuf runtime (scripts/migration-fixtures.py): the
/// second case left out three of its four accounts, the first warns about its fourth.
#[test]
fn google_authenticator_batches_count_their_accounts_across_batches() {
    let cases = migration_cases();
    let text = format!(
        "{}\n\n  {}  \n",
        cases[1]["uri"].as_str().unwrap(),
        cases[0]["uri"].as_str().unwrap()
    );
    let found = read(&text);
    assert_eq!(found.format.as_str(), "google-authenticator");
    let got: Vec<(usize, String, Option<String>, String)> = found
        .accounts
        .iter()
        .map(|a| {
            (
                a.index,
                a.key.otp.secret().to_base32(),
                a.key.issuer.clone(),
                a.key.account.clone(),
            )
        })
        .collect();
    let mut want = Vec::new();
    for (first, case) in [(0, &cases[1]), (4, &cases[0])] {
        let left: Vec<u64> = case["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w[1] == "UNSUPPORTED_ACCOUNT")
            .map(|w| w[0].as_u64().unwrap())
            .collect();
        let places = (0..).filter(|i| !left.contains(i));
        for (account, place) in case["accounts"].as_array().unwrap().iter().zip(places) {
            want.push((
                first + place as usize,
                account["secret"].as_str().unwrap().to_owned(),
                account["issuer"].as_str().map(str::to_owned),
                account["account"].as_str().unwrap().to_owned(),
            ));
        }
    }
    assert_eq!(got, want);
    let indexes: Vec<usize> = found.accounts.iter().map(|a| a.index).collect();
    assert_eq!(indexes, [1, 4, 5, 6, 7]);
    assert_eq!(found.accounts[0].name, "Label Issuer:bob");
    assert_eq!(
        warnings(&found),
        [
            "UNSUPPORTED_ACCOUNT account 0: left out: md5 is not supported",
            "UNSUPPORTED_ACCOUNT account 2: left out: the secret is empty",
            "UNSUPPORTED_ACCOUNT account 3: left out: unknown digit count 7",
            "WEAK_SECRET account 7: the secret is 80 bits; 128 bits is the least that is safe",
            // The first case is batch 1 of 2, and only it was given.
            "INCOMPLETE_EXPORT account 8: the export has 2 qr codes and 1 was given: the accounts of the others are missing",
        ]
    );
}

#[test]
fn batches_and_uris_mixed_are_otpauth_text() {
    let cases = migration_cases();
    let text = format!(
        "otpauth-migration://offline?data=%%%\n{}\notpauth://totp/a?secret={S20}\n",
        cases[0]["uri"].as_str().unwrap()
    );
    let found = read(&text);
    assert_eq!(found.format.as_str(), "otpauth");
    let indexes: Vec<usize> = found.accounts.iter().map(|a| a.index).collect();
    assert_eq!(indexes, [1, 2, 3, 4, 5]);
    assert_eq!(
        warnings(&found),
        [
            "UNSUPPORTED_ACCOUNT account 0: left out: its otpauth-migration:// URI cannot be decoded",
            "WEAK_SECRET account 4: the secret is 80 bits; 128 bits is the least that is safe",
            "INCOMPLETE_EXPORT account 6: the export has 2 qr codes and 1 was given: the accounts of the others are missing",
        ]
    );
    // Only batches, one of them broken: still Google Authenticator's.
    let only = read("otpauth-migration://offline?data=AAAA!");
    assert_eq!(only.format.as_str(), "google-authenticator");
    assert_eq!(only.accounts.len(), 0);
    assert_eq!(only.warnings.len(), 1);
}

#[test]
fn every_truncation_reads_fewer_entries_or_is_refused() {
    let cases = migration_cases();
    let text = format!("{}\n{}", mixed(), cases[0]["uri"].as_str().unwrap());
    let full = read(&text);
    for len in 0..text.len() {
        match import(&text.as_bytes()[..len], &ImportOptions::default()) {
            Ok(found) => {
                // Accounts are only ever lost or cut at the end, never invented.
                assert!(found.accounts.len() <= full.accounts.len(), "{len}");
                let entries = found.accounts.len()
                    + found
                        .warnings
                        .iter()
                        .filter(|w| w.code() == "UNSUPPORTED_ACCOUNT")
                        .count();
                assert!(entries <= 20, "{len}");
            }
            Err(err) => assert_eq!(err.code(), "UNSUPPORTED_FORMAT", "{len}: {err}"),
        }
    }
}

#[test]
fn a_bom_and_every_line_ending_are_read() {
    let text = format!(
        "\u{feff}otpauth://totp/a?secret={S20}\rotpauth://totp/b?secret={S20}\r\notpauth://totp/c?secret={S20}"
    );
    let found = read(&text);
    let names: Vec<&str> = found
        .accounts
        .iter()
        .map(|a| a.key.account.as_str())
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
    let indexes: Vec<usize> = found.accounts.iter().map(|a| a.index).collect();
    assert_eq!(indexes, [0, 1, 2]);
}

/// Standard base64, for a batch built here.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ABC[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    while !out.len().is_multiple_of(4) {
        out.push('=');
    }
    out
}

#[test]
fn batches_of_thousands_of_accounts_are_bounded() {
    // 9,000 accounts of a one-byte secret: `OtpParameters { secret: "A" }` each.
    let payload = [0x0a, 0x03, 0x0a, 0x01, b'A'].repeat(9_000);
    let uri = format!(
        "otpauth-migration://offline?data={}",
        base64(&payload)
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D")
    );
    let start = std::time::Instant::now();
    let found = read(&uri);
    assert_eq!(found.accounts.len(), 9_000);
    assert_eq!(found.accounts[8_999].index, 8_999);
    assert_eq!(
        found.warnings[8_999].to_string(),
        "account 8999: the secret is 8 bits; 128 bits is the least that is safe"
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    // Two of them are more entries than one import takes.
    let err = import(
        format!("{uri}\n{uri}").as_bytes(),
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        format!("{}: {err}", err.code()),
        "IMPORT_LIMIT: entries is 10001, over the limit of 10000"
    );
}

#[test]
fn an_export_given_without_all_its_qr_codes_says_so() {
    use twofa::{KeyUri, MigrationExport, Secret, Totp};
    let keys: Vec<KeyUri> = (0..25)
        .map(|i| KeyUri {
            otp: Otp::Totp(Totp::new(Secret::from_bytes(&[i as u8 + 1; 20]).unwrap())),
            issuer: Some("ACME".into()),
            account: format!("user{i}"),
            image: None,
        })
        .collect();
    let export = MigrationExport::build(&keys, 7);
    assert_eq!(export.uris.len(), 3);
    // All three codes: no warning.
    assert!(read(&export.uris.join("\n")).warnings.is_empty());
    // The first and the last: the second's accounts are missing, and the warning says so
    // at the index where they would go.
    let two = format!("{}\n{}", export.uris[0], export.uris[2]);
    let found = read(&two);
    assert_eq!(found.format.as_str(), "google-authenticator");
    let given = |uri: &str| twofa::Migration::parse(uri).unwrap().accounts.len();
    let (first, last) = (given(&export.uris[0]), given(&export.uris[2]));
    assert_eq!(found.accounts.len(), first + last);
    assert_eq!(
        warnings(&found),
        [format!("INCOMPLETE_EXPORT account {}: the export has 3 qr codes and 2 were given: the accounts of the others are missing", first + last)]
    );
    // The same code twice is one code given.
    let same = format!("{}\n{}", export.uris[0], export.uris[0]);
    assert_eq!(
        warnings(&read(&same)),
        [format!("INCOMPLETE_EXPORT account {}: the export has 3 qr codes and 1 was given: the accounts of the others are missing", 2 * first)]
    );
}
