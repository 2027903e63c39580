//! otpauth:// URIs: parse, build and parse again is stable, a refusal names its problem
//! without the secret in it, and a URI over the size limit is refused.

use super::common::refused;
use twofa::{Code, KeyUri, MAX_URI_LEN};

/// Every code a URI can be refused with.
const URI_CODES: &[Code] = &[
    Code::InvalidUri,
    Code::InvalidLabel,
    Code::InvalidBase32,
    Code::SecretLength,
    Code::InvalidDigits,
    Code::InvalidPeriod,
    Code::InvalidCounter,
    Code::UnsupportedAlgorithm,
    Code::InvalidEncoder,
];

pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let secret = text
        .split(['?', '&'])
        .find_map(|p| {
            p.get(..7)
                .filter(|n| n.eq_ignore_ascii_case("secret="))
                .and_then(|_| p.get(7..))
        })
        .unwrap_or_default();
    match KeyUri::parse(&text) {
        Ok(parsed) => {
            for warning in &parsed.warnings {
                assert!(!warning.to_string().is_empty());
            }
            let key = parsed.key;
            let built = match key.to_uri() {
                Ok(built) => built,
                Err(err) => {
                    // Percent-encoding can make a URI too long to write: only that.
                    assert_eq!(err.code(), Code::InvalidUri, "{err}");
                    assert!(err.to_string().contains("bytes long; the most is"), "{err}");
                    return;
                }
            };
            assert!(built.len() <= MAX_URI_LEN);
            let again = KeyUri::parse(&built)
                .unwrap_or_else(|e| panic!("a built uri does not parse: {e}"))
                .key;
            assert_eq!(again, key, "parse, build, parse changed the key");
            assert_eq!(
                again.to_uri().expect("built once"),
                built,
                "building is not stable"
            );
        }
        Err(err) => refused(&err, URI_CODES, &[secret]),
    }
    // Over the limit, the length is what is refused.
    let mut long = text.into_owned();
    long.push_str("&x=");
    long.push_str(&"A".repeat(MAX_URI_LEN.saturating_sub(long.len()) + 1));
    let err = KeyUri::parse(&long).expect_err("over the limit");
    assert_eq!(err.code(), Code::InvalidUri);
    assert_eq!(
        err.to_string(),
        format!(
            "uri is {} bytes long; the most is {MAX_URI_LEN}",
            long.len()
        )
    );
}
