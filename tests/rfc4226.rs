//! RFC 4226 Appendix D, and the cross-implementation vectors of HOTP.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // tests may panic: that is how they fail

use twofa::{Algorithm, Format, Hotp, Secret};

const RFC4226_KEY: &[u8] = b"12345678901234567890";

/// Appendix D: counter, truncated decimal value, 6-digit HOTP.
const APPENDIX_D: &[(u64, u32, &str)] = &[
    (0, 1_284_755_224, "755224"),
    (1, 1_094_287_082, "287082"),
    (2, 137_359_152, "359152"),
    (3, 1_726_969_429, "969429"),
    (4, 1_640_338_314, "338314"),
    (5, 868_254_676, "254676"),
    (6, 1_918_287_922, "287922"),
    (7, 82_162_583, "162583"),
    (8, 673_399_871, "399871"),
    (9, 645_520_489, "520489"),
];

fn rfc_hotp() -> Hotp {
    Hotp::new(Secret::from_bytes(RFC4226_KEY).unwrap())
}

#[test]
fn appendix_d_six_digits() {
    let hotp = rfc_hotp();
    for &(counter, _, code) in APPENDIX_D {
        assert_eq!(hotp.generate(counter), code, "counter {counter}");
    }
}

#[test]
fn appendix_d_ten_digits_keep_leading_zeros() {
    // Ten digits show the whole 31-bit truncated value, zero-padded: 0137359152.
    let hotp = rfc_hotp().with_format(Format::digits(10).unwrap());
    for &(counter, value, _) in APPENDIX_D {
        assert_eq!(
            hotp.generate(counter),
            format!("{value:010}"),
            "counter {counter}"
        );
    }
    assert_eq!(hotp.generate(7), "0082162583");
}

#[test]
fn seven_eight_nine_digits() {
    for digits in 7..=9u32 {
        let hotp = rfc_hotp().with_format(Format::digits(u64::from(digits)).unwrap());
        for &(counter, value, _) in APPENDIX_D {
            let expected = format!(
                "{:0width$}",
                value % 10u32.pow(digits),
                width = digits as usize
            );
            assert_eq!(
                hotp.generate(counter),
                expected,
                "{digits} digits, counter {counter}"
            );
        }
    }
}

#[test]
fn full_64_bit_counters() {
    let hotp = rfc_hotp();
    assert_eq!(hotp.generate(1 << 32), "999456");
    // The counter is big-endian 8 bytes: 2^32 and 1 must differ.
    assert_ne!(hotp.generate(1 << 32), hotp.generate(1));
    assert_eq!(hotp.generate(u64::MAX).len(), 6);
}

#[test]
fn long_sha1_key() {
    // A 32-byte key (0x00..=0x1f) with SHA-1, counter 1, as otpauth and pyotp compute it.
    let key: Vec<u8> = (0u8..32).collect();
    let hotp = Hotp::new(Secret::from_bytes(&key).unwrap()).with_algorithm(Algorithm::Sha1);
    assert_eq!(hotp.generate(1), "555770");
}

#[test]
fn verify_looks_ahead_and_reports_the_counter() {
    let hotp = rfc_hotp();
    let found = hotp.verify("969429", 1, 2).unwrap().unwrap();
    assert_eq!(
        (found.counter, found.delta, found.next_counter()),
        (3, 2, Some(4))
    );
    // Look-ahead only: a code behind the counter never matches.
    assert_eq!(hotp.verify("755224", 1, 10).unwrap(), None);
    // Outside the window.
    assert_eq!(hotp.verify("969429", 0, 2).unwrap(), None);
    // Window 0 checks only the counter itself.
    assert_eq!(
        hotp.verify("287082", 1, 0).unwrap().map(|m| m.delta),
        Some(0)
    );
}

#[test]
fn verify_stops_at_the_end_of_the_counter_space() {
    let hotp = rfc_hotp();
    let last = hotp.generate(u64::MAX);
    let found = hotp.verify(&last, u64::MAX - 1, 5).unwrap().unwrap();
    assert_eq!(
        (found.counter, found.delta, found.next_counter()),
        (u64::MAX, 1, None)
    );
}

#[test]
fn verify_rejects_oversized_windows() {
    let err = rfc_hotp().verify("755224", 0, 1001).unwrap_err();
    assert_eq!(err.code().as_str(), "INVALID_WINDOW");
    assert_eq!(
        err.to_string(),
        "window of 1001 steps is too large; the most is 1000 each way"
    );
    assert!(rfc_hotp().verify("755224", 0, 1000).unwrap().is_some());
}

/// A generator keys its HMAC with its first code. A clone made before that, one made
/// after, and one whose algorithm changed after keying all give the vectors' codes.
#[test]
fn keying_on_the_first_code_changes_no_code() {
    let fresh = rfc_hotp();
    let before = fresh.clone();
    assert_eq!(fresh.generate(0), "755224");
    let after = fresh.clone();
    for (hotp, name) in [
        (&fresh, "used"),
        (&before, "cloned before"),
        (&after, "cloned after"),
    ] {
        for &(counter, _, code) in APPENDIX_D {
            assert_eq!(hotp.generate(counter), code, "{name}, counter {counter}");
        }
    }
    assert_eq!(before, after);
    // Keyed under SHA-1, then moved to SHA-256 and back: the key follows the algorithm.
    let moved = after.with_algorithm(Algorithm::Sha256);
    assert_eq!(
        moved.generate(0),
        Hotp::new(Secret::from_bytes(RFC4226_KEY).unwrap())
            .with_algorithm(Algorithm::Sha256)
            .generate(0)
    );
    assert_ne!(moved.generate(0), "755224");
    assert_eq!(moved.with_algorithm(Algorithm::Sha1).generate(0), "755224");
}
