//! Verification rules: window order, replay guard, token normalisation, exact errors.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // tests may panic: that is how they fail

use twofa::{Format, Secret, Totp, TotpMatch, VerifyOptions, Window};

fn totp() -> Totp {
    Totp::new(Secret::from_bytes(b"12345678901234567890").unwrap())
}

const NOW: i64 = 1_111_111_111_000;

fn options(past: u32, future: u32, after_step: Option<u64>) -> VerifyOptions {
    VerifyOptions {
        window: Window { past, future },
        after_step,
    }
}

#[test]
fn default_window_is_one_step_each_way() {
    let t = totp();
    let now = t.step_at(NOW).unwrap();
    for delta in -1i64..=1 {
        let code = t.generate_step(now.checked_add_signed(delta).unwrap());
        let found = t.verify(&code, NOW, VerifyOptions::default()).unwrap();
        assert_eq!(
            found,
            Some(TotpMatch {
                step: now.checked_add_signed(delta).unwrap(),
                delta
            })
        );
    }
    for delta in [-2i64, 2] {
        let code = t.generate_step(now.checked_add_signed(delta).unwrap());
        assert_eq!(
            t.verify(&code, NOW, VerifyOptions::default()).unwrap(),
            None,
            "delta {delta}"
        );
    }
}

#[test]
fn past_and_future_are_separate() {
    let t = totp();
    let now = t.step_at(NOW).unwrap();
    let back3 = t.generate_step(now - 3);
    let ahead3 = t.generate_step(now + 3);
    assert_eq!(
        t.verify(&back3, NOW, options(3, 0, None))
            .unwrap()
            .map(|m| m.delta),
        Some(-3)
    );
    assert_eq!(t.verify(&ahead3, NOW, options(3, 0, None)).unwrap(), None);
    assert_eq!(
        t.verify(&ahead3, NOW, options(0, 3, None))
            .unwrap()
            .map(|m| m.delta),
        Some(3)
    );
    assert_eq!(t.verify(&back3, NOW, options(0, 3, None)).unwrap(), None);
    let current = t.generate_step(now);
    assert_eq!(
        t.verify(&current, NOW, options(0, 0, None))
            .unwrap()
            .map(|m| m.delta),
        Some(0)
    );
}

#[test]
fn the_current_step_is_checked_first_then_the_nearest() {
    // With the secret 0x0000_2077, steps 7 and 8 share the code 736099 (found by a
    // search over small secrets). The step checked first wins:
    // current, -1, +1, -2, +2.
    let t = Totp::new(Secret::from_bytes(&8311u32.to_be_bytes()).unwrap());
    assert_eq!(t.generate_step(7), "736099");
    assert_eq!(t.generate_step(8), "736099");
    let at_step = |s: i64| s * 30_000;
    let matched = |now: i64| {
        t.verify("736099", at_step(now), options(2, 2, None))
            .unwrap()
            .map(|m| (m.step, m.delta))
    };
    assert_eq!(matched(7), Some((7, 0)));
    assert_eq!(matched(8), Some((8, 0)));
    assert_eq!(matched(9), Some((8, -1)));
    assert_eq!(matched(6), Some((7, 1)));
    assert_eq!(matched(10), Some((8, -2)));
    assert_eq!(matched(5), Some((7, 2)));
    // With the replay guard past step 7, the later duplicate is still usable.
    let m = t
        .verify("736099", at_step(7), options(2, 2, Some(7)))
        .unwrap();
    assert_eq!(m.map(|m| (m.step, m.delta)), Some((8, 1)));
}

#[test]
fn replay_guard_refuses_the_accepted_step_and_every_earlier_one() {
    let t = totp();
    let now = t.step_at(NOW).unwrap();
    let code = t.generate_step(now);
    let accepted = t
        .verify(&code, NOW, VerifyOptions::default())
        .unwrap()
        .unwrap();
    assert_eq!(
        t.verify(&code, NOW, options(1, 1, Some(accepted.step)))
            .unwrap(),
        None
    );
    // An earlier code in the window is refused too.
    let earlier = t.generate_step(now - 1);
    assert_eq!(
        t.verify(&earlier, NOW, options(1, 1, Some(accepted.step)))
            .unwrap(),
        None
    );
    // The next step's code is still accepted.
    let next = t.generate_step(now + 1);
    assert_eq!(
        t.verify(&next, NOW, options(1, 1, Some(accepted.step)))
            .unwrap()
            .map(|m| m.step),
        Some(now + 1)
    );
    // after_step just below the step lets it through.
    assert!(t
        .verify(&code, NOW, options(1, 1, Some(now - 1)))
        .unwrap()
        .is_some());
}

#[test]
fn tokens_are_normalised() {
    let t = totp();
    let code = t.generate(NOW).unwrap();
    let (a, b) = code.split_at(3);
    for typed in [
        format!(" {code} "),
        format!("{a} {b}"),
        format!("{a}-{b}"),
        format!("\t{a} {b}\n"),
    ] {
        assert!(
            t.verify(&typed, NOW, options(0, 0, None))
                .unwrap()
                .is_some(),
            "{typed:?}"
        );
    }
    let eight = t.clone().with_format(Format::digits(8).unwrap());
    let code8 = eight.generate(NOW).unwrap();
    let typed = format!("{}-{}", &code8[..4], &code8[4..]);
    assert!(eight
        .verify(&typed, NOW, options(0, 0, None))
        .unwrap()
        .is_some());
    let steam = Totp::steam(Secret::from_base32("BASE32SECRET3232").unwrap());
    assert!(steam
        .verify("2tc8b", 0, options(0, 0, None))
        .unwrap()
        .is_some());
    assert!(steam
        .verify(" 2TC 8B ", 0, options(0, 0, None))
        .unwrap()
        .is_some());
}

/// Malformed tokens: code and exact message.
const BAD_TOKENS: &[(&str, &str)] = &[
    ("", "token is empty"),
    ("   ", "token is empty"),
    ("12345", "token must have 6 characters, not 5"),
    ("1234567", "token must have 6 characters, not 7"),
    ("12 34 56", "token has a second separator at position 6"),
    ("123--456", "token has a second separator at position 5"),
    ("12a456", "token has a non-digit at position 3"),
    ("  12a456", "token has a non-digit at position 5"),
    ("-123456", "token has a non-digit at position 1"),
    ("123456-", "token has a non-digit at position 7"),
    ("１２３４５６", "token has a non-digit at position 1"),
    ("123_456", "token has a non-digit at position 4"),
];

#[test]
fn malformed_tokens_fail_fast_with_their_reason() {
    let t = totp();
    for &(token, message) in BAD_TOKENS {
        let err = t.verify(token, NOW, VerifyOptions::default()).unwrap_err();
        assert_eq!(
            (err.code().as_str(), err.to_string().as_str()),
            ("INVALID_TOKEN", message),
            "{token:?}"
        );
    }
    let steam = Totp::steam(Secret::from_base32("BASE32SECRET3232").unwrap());
    let err = steam
        .verify("2TC8A", 0, VerifyOptions::default())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "token has a character that steam codes never use at position 5"
    );
    let err = steam
        .verify("2TC8", 0, VerifyOptions::default())
        .unwrap_err();
    assert_eq!(err.to_string(), "token must have 5 characters, not 4");
}

#[test]
fn wrong_codes_do_not_match() {
    let t = totp();
    let code = t.generate(NOW).unwrap();
    let mut wrong = code.clone().into_bytes();
    wrong[5] = if wrong[5] == b'9' { b'0' } else { wrong[5] + 1 };
    let wrong = String::from_utf8(wrong).unwrap();
    assert_eq!(t.verify(&wrong, NOW, options(0, 0, None)).unwrap(), None);
}

#[test]
fn window_limits_and_time_errors() {
    let t = totp();
    let err = t.verify("123456", NOW, options(1001, 0, None)).unwrap_err();
    assert_eq!(err.code().as_str(), "INVALID_WINDOW");
    let err = t.verify("123456", NOW, options(0, 5000, None)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "window of 5000 steps is too large; the most is 1000 each way"
    );
    let err = t
        .clone()
        .with_epoch_ms(NOW + 1)
        .verify("123456", NOW, VerifyOptions::default())
        .unwrap_err();
    assert_eq!(err.code().as_str(), "INVALID_TIMESTAMP");
    // Near step 0, the past side of the window is simply empty.
    let code = t.generate_step(0);
    assert_eq!(
        t.verify(&code, 0, options(5, 5, None))
            .unwrap()
            .map(|m| m.step),
        Some(0)
    );
}
