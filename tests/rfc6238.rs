//! RFC 6238 Appendix B, with each algorithm's own seed, and Steam Guard codes.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // tests may panic: that is how they fail

use twofa::{Algorithm, Format, Secret, Totp};

const SEED_SHA1: &[u8] = b"12345678901234567890";
const SEED_SHA256: &[u8] = b"12345678901234567890123456789012";
const SEED_SHA512: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

/// Appendix B: time (s), then the 8-digit TOTP for SHA-1, SHA-256 and SHA-512.
const APPENDIX_B: &[(i64, &str, &str, &str)] = &[
    (59, "94287082", "46119246", "90693936"),
    (1_111_111_109, "07081804", "68084774", "25091201"),
    (1_111_111_111, "14050471", "67062674", "99943326"),
    (1_234_567_890, "89005924", "91819424", "93441116"),
    (2_000_000_000, "69279037", "90698825", "38618901"),
    (20_000_000_000, "65353130", "77737706", "47863826"),
];

fn totp(seed: &[u8], algorithm: Algorithm) -> Totp {
    Totp::new(Secret::from_bytes(seed).unwrap())
        .with_algorithm(algorithm)
        .with_format(Format::digits(8).unwrap())
}

#[test]
fn appendix_b() {
    let sha1 = totp(SEED_SHA1, Algorithm::Sha1);
    let sha256 = totp(SEED_SHA256, Algorithm::Sha256);
    let sha512 = totp(SEED_SHA512, Algorithm::Sha512);
    for &(seconds, c1, c256, c512) in APPENDIX_B {
        let ms = seconds * 1000;
        assert_eq!(sha1.generate(ms).unwrap(), c1, "SHA1 at {seconds}");
        assert_eq!(sha256.generate(ms).unwrap(), c256, "SHA256 at {seconds}");
        assert_eq!(sha512.generate(ms).unwrap(), c512, "SHA512 at {seconds}");
    }
}

#[test]
fn appendix_b_steps() {
    // The "Value of T (hex)" column.
    let expected = [
        0x1u64, 0x23523EC, 0x23523ED, 0x273EF07, 0x3F940AA, 0x27BC86AA,
    ];
    let sha1 = totp(SEED_SHA1, Algorithm::Sha1);
    for (&(seconds, ..), &step) in APPENDIX_B.iter().zip(&expected) {
        assert_eq!(sha1.step_at(seconds * 1000).unwrap(), step);
    }
}

#[test]
fn steam_guard() {
    let steam = Totp::steam(Secret::from_base32("BASE32SECRET3232").unwrap());
    assert_eq!(steam.generate(0).unwrap(), "2TC8B");
    const ALPHABET: &str = "23456789BCDFGHJKMNPQRTVWXY";
    for step in 0..200 {
        let code = steam.generate_step(step);
        assert_eq!(code.len(), 5);
        assert!(code.chars().all(|c| ALPHABET.contains(c)), "{code}");
    }
}

#[test]
fn period_and_epoch() {
    let base = totp(SEED_SHA1, Algorithm::Sha1);
    // 60-second steps from T0 = 1,000 s: at 1,119.999 s the step is 1.
    let shifted = base
        .clone()
        .with_period(60)
        .unwrap()
        .with_epoch_ms(1_000_000);
    assert_eq!(shifted.step_at(1_119_999).unwrap(), 1);
    assert_eq!(shifted.remaining_ms(1_119_999).unwrap(), 1);
    assert_eq!(shifted.remaining_ms(1_060_000).unwrap(), 60_000);
    assert_eq!(shifted.generate(1_060_000).unwrap(), base.generate_step(1));
    // A period of one second is allowed.
    let fast = base.clone().with_period(1).unwrap();
    assert_eq!(fast.step_at(59_999).unwrap(), 59);
    // Zero is not.
    let err = base.clone().with_period(0).unwrap_err();
    assert_eq!(
        (err.code().as_str(), err.to_string().as_str()),
        ("INVALID_PERIOD", "period must be at least 1 second, not 0")
    );
}

#[test]
fn time_before_epoch_is_an_error() {
    let t = totp(SEED_SHA1, Algorithm::Sha1).with_epoch_ms(1_000);
    for err in [
        t.generate(999).unwrap_err(),
        t.step_at(-1).unwrap_err(),
        t.remaining_ms(0).unwrap_err(),
    ] {
        assert_eq!(err.code().as_str(), "INVALID_TIMESTAMP");
        assert_eq!(err.to_string(), "timestamp is before the epoch (T0)");
    }
    assert_eq!(t.step_at(1_000).unwrap(), 0);
    // Extreme times do not overflow.
    let zero = totp(SEED_SHA1, Algorithm::Sha1);
    assert_eq!(zero.step_at(i64::MAX).unwrap(), i64::MAX as u64 / 30_000);
    let early = zero.with_epoch_ms(i64::MIN);
    assert_eq!(early.step_at(i64::MAX).unwrap(), u64::MAX / 30_000);
}
