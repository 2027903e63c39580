//! Steam Guard files (Steam Desktop Authenticator's `.maFile`, the Steam app's old
//! `Steamguard-` file): both layouts, the exact warning for each odd account, and every
//! truncation. The secret is RFC 4226's "12345678901234567890", base64 as Steam writes it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic: that is how they fail

use twofa::transfer::import::{import, Import, ImportOptions};
use twofa::Otp;

/// base64 of the ASCII "12345678901234567890"; its base32 is RFC4226_B32.
const RFC4226_B64: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=";
const RFC4226_B32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn read(text: &str) -> Import {
    import(text.as_bytes(), &ImportOptions::default()).unwrap()
}

fn summary(found: &Import) -> Vec<String> {
    found
        .accounts
        .iter()
        .map(|a| {
            let Otp::Totp(totp) = &a.key.otp else {
                panic!("not a TOTP");
            };
            format!(
                "{} steam={} {:?}/{:?} {} {} {}s name {:?}",
                a.index,
                totp.format().is_steam(),
                a.key.issuer,
                a.key.account,
                totp.secret().to_base32(),
                totp.algorithm().as_str(),
                totp.period(),
                a.name
            )
        })
        .collect()
}

fn warnings(found: &Import) -> Vec<String> {
    found
        .warnings
        .iter()
        .map(|w| format!("{} {w}", w.code()))
        .collect()
}

fn ma_file(name: &str) -> String {
    format!(
        r#"{{"shared_secret":"{RFC4226_B64}","serial_number":"1234","revocation_code":"R12345",
"uri":"otpauth://totp/Steam:{name}?secret=AAAA&issuer=Steam","server_time":1700000000,
"account_name":"{name}","token_gid":"abc","identity_secret":"c2VjcmV0","secret_1":"c2VjcmV0",
"status":1,"device_id":"android:0000","fully_enrolled":true,
"Session":{{"SessionID":"x","SteamLogin":"y","SteamID":76561198000000000}}}}"#
    )
}

#[test]
fn a_ma_file_is_one_steam_account() {
    let found = read(&ma_file("ada"));
    assert_eq!(found.format.as_str(), "steam");
    assert_eq!(
        summary(&found),
        [format!(
            "0 steam=true Some(\"Steam\")/\"ada\" {RFC4226_B32} SHA1 30s name \"ada\""
        )]
    );
    assert!(found.warnings.is_empty());
    // The codes are Steam's five characters.
    let Otp::Totp(totp) = &found.accounts[0].key.otp else {
        unreachable!()
    };
    assert_eq!(totp.format().len(), 5);
    // HMAC-SHA-1 of step 1 is RFC 4226's 0x41397eea; in Steam's alphabet, low digit first
    // (computed apart with Python's hmac): PV9M4.
    assert_eq!(totp.generate(59_000).unwrap(), "PV9M4");
}

#[test]
fn the_accounts_layout_gives_each_account_or_its_warning() {
    let text = format!(
        r#"{{"accounts":{{
            "1":{{"shared_secret":"{RFC4226_B64}","account_name":"ada"}},
            "2":{{"account_name":"no secret","identity_secret":"c2VjcmV0"}},
            "3":{{"shared_secret":"not base64!","account_name":"bad"}},
            "4":{{"shared_secret":"","account_name":"empty"}},
            "5":{{"shared_secret":"MTIzNDU2Nzg5MA=="}},
            "6":"not an account",
            "7":{{"shared_secret":7,"account_name":"number"}},
            "8":{{"shared_secret":"{RFC4226_B64}","account_name":"  bo  "}}
        }}}}"#
    );
    let found = read(&text);
    assert_eq!(found.format.as_str(), "steam");
    assert_eq!(
        summary(&found),
        [
            format!("0 steam=true Some(\"Steam\")/\"ada\" {RFC4226_B32} SHA1 30s name \"ada\""),
            "4 steam=true Some(\"Steam\")/\"\" GEZDGNBVGY3TQOJQ SHA1 30s name \"\"".to_owned(),
            format!("7 steam=true Some(\"Steam\")/\"bo\" {RFC4226_B32} SHA1 30s name \"  bo  \""),
        ]
    );
    assert_eq!(
        warnings(&found),
        [
            "UNSUPPORTED_ACCOUNT account 1: left out: the shared_secret field is missing or malformed",
            "UNSUPPORTED_ACCOUNT account 2: left out: the secret cannot be read: it is not base64",
            "UNSUPPORTED_ACCOUNT account 3: left out: the entry has no secret",
            "WEAK_SECRET account 4: the secret is 80 bits; 128 bits is the least that is safe",
            "UNSUPPORTED_ACCOUNT account 5: left out: the shared_secret field is missing or malformed",
            "UNSUPPORTED_ACCOUNT account 6: left out: the shared_secret field is missing or malformed",
            "ACCOUNT_CHANGED account 7: changed: white space at either end of the issuer or account name was trimmed",
        ]
    );
    for w in &found.warnings {
        assert!(!w.to_string().contains(RFC4226_B64), "{w}");
    }
}

#[test]
fn other_json_is_not_taken_for_steam() {
    for text in [
        r#"{"accounts":{}}"#,
        r#"{"accounts":{"1":{"account_name":"ada"}}}"#,
        r#"{"accounts":[{"shared_secret":"MTIz"}]}"#,
        r#"[{"shared_secret":"MTIz"}]"#,
    ] {
        let err = import(text.as_bytes(), &ImportOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "not an export twofa reads: it is JSON, but not an export twofa knows",
            "{text}"
        );
    }
}

#[test]
fn every_truncation_reads_fewer_accounts_or_is_refused() {
    let text = format!(
        r#"{{"accounts":{{"1":{},"2":{}}}}}"#,
        ma_file("ada"),
        ma_file("bo")
    );
    assert_eq!(read(&text).accounts.len(), 2);
    for len in 0..text.len() {
        if let Ok(found) = import(&text.as_bytes()[..len], &ImportOptions::default()) {
            assert!(found.accounts.len() < 2, "{len}");
        }
    }
    let one = ma_file("ada");
    for len in 0..one.len() {
        if let Ok(found) = import(&one.as_bytes()[..len], &ImportOptions::default()) {
            assert!(found.accounts.is_empty(), "{len}");
        }
    }
}
