//! The Battle.net Authenticator's shared preferences (fixtures made by
//! scripts/import-fixtures/battlenet.py).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod import_b;

use import_b::*;
use twofa::transfer::import::{import, ImportFormat, ImportOptions};

#[test]
fn the_masked_secret_and_serial() {
    let found = import(
        &fixture("battlenet", "battlenet.xml"),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(found.format, ImportFormat::BattleNet);
    // base64.b32encode(bytes(range(0x41, 0x55))) in Python.
    assert_eq!(
        summaries(&found),
        [
            r#"0 totp SHA1 8 30 "Battle.net" "EU-1234-5678-9012" IFBEGRCFIZDUQSKKJNGE2TSPKBIVEU2U "EU-1234-5678-9012""#
        ]
    );
    assert!(found.warnings.is_empty());
}

#[test]
fn no_serial_leaves_the_account_name_empty() {
    let found = import(
        &fixture("battlenet", "no_serial.xml"),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(
        summaries(&found),
        [r#"0 totp SHA1 8 30 "Battle.net" "" IFBEGRCFIZDUQSKKJNGE2TSPKBIVEU2U """#]
    );
}

#[test]
fn a_secret_that_does_not_unmask_to_hex_is_a_warning() {
    let found = import(
        &fixture("battlenet", "not_hex.xml"),
        &ImportOptions::default(),
    )
    .unwrap();
    assert!(found.accounts.is_empty());
    assert_eq!(
        warnings(&found),
        ["UNSUPPORTED_ACCOUNT account 0: left out: the secret cannot be read: it does not unmask to hex"]
    );
}

#[test]
fn malformed_preferences() {
    let text = String::from_utf8(fixture("battlenet", "battlenet.xml")).unwrap();
    let no_close = text.replace(
        "</string>\n    <string name=\"com.blizzard.messenger.AUTHENTICATOR_BGS",
        "\n    <string name=\"com.blizzard.messenger.AUTHENTICATOR_BGS",
    );
    assert_ne!(no_close, text);
    // The secret's value now runs into the next element: markup, refused.
    assert_eq!(
        error(no_close.as_bytes(), &ImportOptions::default()),
        "INVALID_IMPORT: invalid Battle.net Authenticator export: its AUTHENTICATOR_DEVICE_SECRET string is missing or malformed"
    );
    let serial_bad = text.replace("AUTHENTICATOR_SERIAL\">", "AUTHENTICATOR_SERIAL\">zz");
    let found = import(serial_bad.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(
        warnings(&found),
        ["UNSUPPORTED_ACCOUNT account 0: left out: the AUTHENTICATOR_SERIAL field is missing or malformed"]
    );
    // Other XML is not the Battle.net Authenticator's.
    assert_eq!(
        error(b"<map><string name=\"x\">1</string></map>", &ImportOptions::default()),
        "UNSUPPORTED_FORMAT: not an export twofa reads: it is XML or HTML, but not an export twofa knows"
    );
}

#[test]
fn every_truncation_fails_cleanly() {
    truncations(&fixture("battlenet", "battlenet.xml"), None);
}
