//! Google Authenticator exports: parse, build and parse again gives the same accounts
//! (those an export can carry), building is stable, batches keep their limits, and a
//! refusal names its problem.

use super::common::{refused, Input};
use twofa::{
    Code, KeyUri, Migration, MigrationExport, WarningCode, MAX_BATCH_ACCOUNTS, MAX_BATCH_URI_LEN,
    MAX_QR_URI_LEN, MAX_URI_LEN,
};

pub fn check(data: &[u8]) {
    // Text that starts like an export is read as it is; anything else is the payload,
    // which the URI carries in base64.
    let uri = if data.starts_with(b"otpauth") {
        String::from_utf8_lossy(data).into_owned()
    } else {
        format!("otpauth-migration://offline?data={}", base64_url(data))
    };
    match Migration::parse(&uri) {
        Ok(batch) => round_trip(&batch, Input::new(data).u32() as i32),
        Err(err) => {
            refused(&err, &[Code::InvalidMigration, Code::InvalidUri], &[]);
            if uri.len() > MAX_URI_LEN {
                assert_eq!(err.code(), Code::InvalidUri);
            }
        }
    }
}

fn round_trip(batch: &Migration, batch_id: i32) {
    for warning in &batch.warnings {
        assert!(!warning.to_string().is_empty());
        if let Some(index) = warning.account_index() {
            // Accounts are counted on the wire, read or not.
            assert!(index < batch.accounts.len() + batch.warnings.len());
        }
    }
    let keys: Vec<KeyUri> = batch.accounts.iter().map(|a| a.key.clone()).collect();
    let export = MigrationExport::build(&keys, batch_id);
    let left_out: Vec<usize> = export
        .warnings
        .iter()
        .filter(|w| w.code() == WarningCode::UnrepresentableAccount)
        .map(|w| w.account_index().expect("an account's warning"))
        .collect();
    let carried: Vec<&KeyUri> = keys
        .iter()
        .enumerate()
        .filter(|(i, _)| !left_out.contains(i))
        .map(|(_, k)| k)
        .collect();
    let mut read = Vec::new();
    let size = export.uris.len();
    for (index, uri) in export.uris.iter().enumerate() {
        let part =
            Migration::parse(uri).unwrap_or_else(|e| panic!("a built export does not parse: {e}"));
        assert_eq!(part.version, 1);
        assert_eq!(part.batch_size as usize, size);
        assert_eq!(part.batch_index as usize, index);
        assert_eq!(part.batch_id, batch_id);
        assert!(!part.accounts.is_empty() && part.accounts.len() <= MAX_BATCH_ACCOUNTS);
        assert!(
            uri.len() <= MAX_QR_URI_LEN,
            "a batch too long for a qr code"
        );
        if part.accounts.len() > 1 {
            assert!(uri.len() <= MAX_BATCH_URI_LEN, "a batch over its length");
        }
        read.extend(part.accounts.into_iter().map(|a| a.key));
    }
    assert_eq!(read.len(), carried.len());
    for (got, want) in read.iter().zip(&carried) {
        assert_eq!(got, *want, "parse, build, parse changed an account");
    }
    let again = MigrationExport::build(&read, batch_id);
    assert_eq!(again.uris, export.uris, "building is not stable");
}

/// Standard base64 with padding, percent-encoded for a query.
fn base64_url(bytes: &[u8]) -> String {
    const SYMBOLS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                match SYMBOLS[((n >> (18 - 6 * i)) & 63) as usize] {
                    b'+' => out.push_str("%2B"),
                    b'/' => out.push_str("%2F"),
                    c => out.push(char::from(c)),
                }
            } else {
                out.push_str("%3D");
            }
        }
    }
    out
}
