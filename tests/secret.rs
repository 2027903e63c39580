//! Secrets: import, generation, base32 in and out, and what errors may say.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // tests may panic: that is how they fail

use twofa::{EntropyError, Secret};

#[test]
fn base32_is_lenient() {
    let canonical = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
    for text in [
        "jbswy3dpehpk3pxp",
        "JBSW Y3DP EHPK 3PXP",
        "jbsw-y3dp-ehpk-3pxp",
        "  JBSWY3DPEHPK3PXP  ",
        "JBSWY3DPEHPK3PXP======",
        "JBSW Y3DP EHPK 3PXP ====",
        "JBSWY3DP\tEHPK3PXP\n",
    ] {
        assert_eq!(Secret::from_base32(text).unwrap(), canonical, "{text:?}");
    }
    assert_eq!(canonical.as_bytes(), b"Hello!\xde\xad\xbe\xef");
}

#[test]
fn base32_out() {
    let secret = Secret::from_bytes(b"12345678901234567890").unwrap();
    assert_eq!(secret.to_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    assert_eq!(
        secret.to_grouped(),
        "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"
    );
    // Lengths that are not a multiple of 5 bytes: no padding, last group short.
    let odd = Secret::from_bytes(&[0xff; 11]).unwrap();
    assert_eq!(odd.to_base32(), "777777777777777774");
    assert_eq!(odd.to_grouped(), "7777 7777 7777 7777 74");
    assert_eq!(Secret::from_base32(&odd.to_grouped()).unwrap(), odd);
}

#[test]
fn round_trip_every_length() {
    for len in 1..=70usize {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
        let secret = Secret::from_bytes(&bytes).unwrap();
        assert_eq!(
            Secret::from_base32(&secret.to_base32()).unwrap().as_bytes(),
            &bytes[..]
        );
        assert_eq!(
            Secret::from_base32(&secret.to_grouped())
                .unwrap()
                .as_bytes(),
            &bytes[..]
        );
    }
}

/// Each bad input, its error code and its exact message.
const BAD_BASE32: &[(&str, &str, &str)] = &[
    (
        "JBSWY3DPEHPK3PX1",
        "INVALID_BASE32",
        "invalid base32 character at position 16",
    ),
    (
        "JBSW Y3D0",
        "INVALID_BASE32",
        "invalid base32 character at position 9",
    ),
    (
        "éJBSWY3DP",
        "INVALID_BASE32",
        "invalid base32 character at position 1",
    ),
    (
        "JBSWY3DP_EHPK3PXP",
        "INVALID_BASE32",
        "invalid base32 character at position 9",
    ),
    (
        "JBSWY3DP=EHPK3PXP",
        "INVALID_BASE32",
        "unexpected base32 data after padding at position 10",
    ),
    (
        "A",
        "INVALID_BASE32",
        "invalid base32 length: 1 character cannot encode whole bytes",
    ),
    (
        "ABCDEF",
        "INVALID_BASE32",
        "invalid base32 length: 6 characters cannot encode whole bytes",
    ),
    (
        "ABC",
        "INVALID_BASE32",
        "invalid base32 length: 3 characters cannot encode whole bytes",
    ),
    (
        "JBSWY3DPE",
        "INVALID_BASE32",
        "invalid base32 length: 9 characters cannot encode whole bytes",
    ),
    (
        "JBSW-Y3DP-EHP",
        "INVALID_BASE32",
        "invalid base32 length: 11 characters cannot encode whole bytes",
    ),
    ("", "SECRET_LENGTH", "secret is empty"),
    ("  - ==", "SECRET_LENGTH", "secret is empty"),
];

#[test]
fn base32_errors_name_the_position_and_hide_the_secret() {
    for &(text, code, message) in BAD_BASE32 {
        let err = Secret::from_base32(text).unwrap_err();
        assert_eq!(
            (err.code().as_str(), err.to_string().as_str()),
            (code, message),
            "{text:?}"
        );
        let debug = format!("{err:?}");
        assert_eq!(debug, format!("Error({code}: \"{message}\")"));
        // No run of the input of 4 or more characters appears in the error.
        for window in text.as_bytes().windows(4) {
            let piece = String::from_utf8_lossy(window);
            assert!(
                !message.contains(piece.as_ref()) && !debug.contains(piece.as_ref()),
                "{piece}"
            );
        }
    }
}

#[test]
fn import_lengths() {
    // 80-bit secrets are real (GitHub, Okta): accepted, but reported weak.
    let ten = Secret::from_bytes(&[1; 10]).unwrap();
    assert!(ten.is_weak());
    assert!(Secret::from_bytes(&[1; 15]).unwrap().is_weak());
    assert!(!Secret::from_bytes(&[1; 16]).unwrap().is_weak());
    assert!(Secret::from_bytes(&[1; 1]).unwrap().is_weak());
    assert_eq!(Secret::from_bytes(&[1; 1024]).unwrap().len(), 1024);
    let err = Secret::from_bytes(&[1; 1025]).unwrap_err();
    assert_eq!(
        (err.code().as_str(), err.to_string().as_str()),
        (
            "SECRET_LENGTH",
            "secret is 1025 bytes long; the most is 1024"
        )
    );
    let err = Secret::from_bytes(&[]).unwrap_err();
    assert_eq!(
        (err.code().as_str(), err.to_string().as_str()),
        ("SECRET_LENGTH", "secret is empty")
    );
    let long = "A".repeat(1640); // 1,025 bytes
    assert_eq!(
        Secret::from_base32(&long).unwrap_err().code(),
        "SECRET_LENGTH"
    );
}

#[test]
fn generation_uses_the_callers_entropy_within_bounds() {
    let mut calls = 0;
    let secret = Secret::generate(20, |buf| {
        calls += 1;
        buf.copy_from_slice(b"12345678901234567890");
        Ok(())
    })
    .unwrap();
    assert_eq!(calls, 1);
    assert_eq!(secret.as_bytes(), b"12345678901234567890");
    for len in [16, 32, 64] {
        assert_eq!(Secret::generate(len, |_| Ok(())).unwrap().len(), len);
    }
    for len in [0, 10, 15, 65, 1024] {
        let err = Secret::generate(len, |_| Ok(())).unwrap_err();
        assert_eq!(err.code().as_str(), "SECRET_LENGTH");
        assert_eq!(
            err.to_string(),
            format!("cannot generate a {len}-byte secret; choose 16 to 64 bytes")
        );
    }
    let err = Secret::generate(20, |_| Err(EntropyError)).unwrap_err();
    assert_eq!(
        (err.code().as_str(), err.to_string().as_str()),
        ("ENTROPY_UNAVAILABLE", "the random number generator failed")
    );
}

#[test]
fn debug_never_shows_the_secret() {
    let secret = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
    let debug = format!("{secret:?}");
    assert_eq!(debug, "Secret { len: 10, .. }");
    let totp = twofa::Totp::new(secret.clone());
    let debug = format!("{totp:?}");
    assert!(
        !debug.contains("JBSW") && !debug.contains("72") && debug.contains("len: 10"),
        "{debug}"
    );
}

#[test]
fn equality() {
    let a = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
    assert_eq!(a, Secret::from_bytes(b"Hello!\xde\xad\xbe\xef").unwrap());
    assert_ne!(a, Secret::from_bytes(b"Hello!\xde\xad\xbe\xee").unwrap());
    assert_ne!(a, Secret::from_bytes(b"Hello!\xde\xad\xbe").unwrap());
}

#[test]
fn errors_are_send_sync_and_std_errors() {
    fn assert_traits<T: Send + Sync + std::error::Error + 'static>() {}
    assert_traits::<twofa::Error>();
}

#[test]
fn generators_are_send_and_sync() {
    // They key their HMAC with their first code, behind a `spin::Once`.
    fn assert_traits<T: Send + Sync>() {}
    assert_traits::<twofa::Hotp>();
    assert_traits::<twofa::Totp>();
}
