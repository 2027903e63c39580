//! Secrets from base32 text and typed tokens: what is read is written back the same, a
//! refusal names its problem, and no secret over the size limit is read.

use super::common::{refused, Input};
use twofa::{Code, Format, Hotp, Secret, MAX_LEN};

pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    secret(&text);
    if let Ok(secret) = Secret::from_bytes(data) {
        let back = Secret::from_base32(&secret.to_base32()).expect("its own base32");
        assert_eq!(back.as_bytes(), data);
    }
    let mut input = Input::new(data);
    let format = match input.byte() % 6 {
        5 => Format::STEAM,
        n => Format::digits(6 + u64::from(n)).expect("6 to 10 digits"),
    };
    let counter = u64::from(input.u32());
    token(format, &String::from_utf8_lossy(input.rest()), counter);
}

fn secret(text: &str) {
    let symbols = text
        .bytes()
        .filter(|b| b.is_ascii_alphabetic() || (b'2'..=b'7').contains(b))
        .count();
    match Secret::from_base32(text) {
        Ok(secret) => {
            assert!((1..=MAX_LEN).contains(&secret.len()));
            assert_eq!(secret.len(), symbols * 5 / 8);
            // Canonical form: upper case, no padding, read back to the same bytes.
            let canonical = secret.to_base32();
            assert!(canonical
                .bytes()
                .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
            assert_eq!(Secret::from_base32(&canonical).expect("canonical"), secret);
            assert_eq!(
                Secret::from_base32(&secret.to_grouped()).expect("grouped"),
                secret
            );
            assert_eq!(canonical.to_lowercase().to_uppercase(), canonical);
            assert_eq!(
                format!("{secret:?}"),
                format!("Secret {{ len: {}, .. }}", secret.len())
            );
        }
        Err(err) => {
            refused(&err, &[Code::InvalidBase32, Code::SecretLength], &[text]);
            if err.code() == Code::SecretLength {
                let message = err.to_string();
                assert!(
                    message == "secret is empty"
                        || message.ends_with("bytes long; the most is 1024"),
                    "{message}"
                );
            }
        }
    }
    // Over the limit, whatever else is wrong, the length is what is refused.
    if symbols * 5 / 8 > MAX_LEN {
        let err = Secret::from_base32(text).expect_err("over the limit");
        assert_eq!(err.code(), Code::SecretLength);
    }
}

fn token(format: Format, text: &str, counter: u64) {
    match format.normalize(text) {
        Ok(code) => {
            assert_eq!(code.len(), format.len());
            if format.is_steam() {
                assert!(code
                    .bytes()
                    .all(|b| b"23456789BCDFGHJKMNPQRTVWXY".contains(&b)));
            } else {
                assert!(code.bytes().all(|b| b.is_ascii_digit()));
            }
            assert_eq!(format.normalize(&code).expect("normalised"), code);
            assert!(
                !format.is_unfinished(text),
                "a whole token is not unfinished"
            );
        }
        Err(err) => {
            refused(&err, &[Code::InvalidToken], &[]);
            if err.is_incomplete() {
                assert!(format.is_unfinished(text));
            }
        }
    }
    // A code the generator makes is read back as itself, and verifies at its counter.
    let hotp = Hotp::new(Secret::from_bytes(b"12345678901234567890").expect("20 bytes"))
        .with_format(format);
    let code = hotp.generate(counter);
    assert_eq!(format.normalize(&code).expect("generated"), code);
    let found = hotp.verify(&code, counter, 0).expect("verify");
    assert_eq!(found.map(|m| m.counter), Some(counter));
}
