//! The flows around authenticator codes: single use, expiry at the exact boundary,
//! tampering with every part of a token, keys, rotation, revocation, attempt limits and
//! throttle timing on a fake clock.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic: that is how they fail

use twofa::flows::backup;
mod common;

use common::entropy as rng;
use twofa::flows::device::{self, Check, DeviceOptions, Rejection};
use twofa::flows::recovery::{self, RecoveryStatus};
use twofa::flows::throttle::{self, ThrottlePolicy, ThrottleState};
use twofa::flows::verification::{self, VerificationOptions, VerificationOutcome};
use twofa::{EntropyError, Hotp, Secret};

const NOW: i64 = 1_700_000_000_000;

fn err<T: std::fmt::Debug>(r: Result<T, twofa::Error>) -> (&'static str, String) {
    let e = r.unwrap_err();
    (e.code().as_str(), e.to_string())
}

#[test]
fn backup_codes_are_single_use_and_regenerating_cancels_them() {
    let set = backup::generate(backup::DEFAULT_COUNT, NOW, rng(1)).unwrap();
    assert_eq!(set.codes.len(), 10);
    let mut seen = std::collections::HashSet::new();
    for code in &set.codes {
        assert_eq!(code.len(), 14, "{}", code.as_str());
        let bytes = code.as_bytes();
        assert!(bytes[4] == b'-' && bytes[9] == b'-');
        assert!(code
            .chars()
            .filter(|c| *c != '-')
            .all(|c| "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c)));
        assert!(seen.insert(code.to_string()));
    }
    // The record holds no code, in any form people type.
    let debug = format!("{set:?}");
    for code in &set.codes {
        assert!(!debug.contains(code.as_str()) && !debug.contains(&code.replace('-', "")));
    }
    assert!(debug.contains("[10 codes]"));

    let mut record = set.record.clone();
    for (i, code) in set.codes.iter().enumerate() {
        // Typed in lower case, without hyphens, with O for 0 and l for 1.
        let typed = code
            .replace('-', " ")
            .to_lowercase()
            .replace('0', "o")
            .replace('1', "l");
        let check = backup::verify(&record, &typed).unwrap();
        assert!(check.matched, "code {i}");
        assert_eq!(check.remaining, 9 - i);
        // Spent: never again, and the record says so.
        let again = backup::verify(&check.record, code).unwrap();
        assert!(!again.matched);
        assert_eq!(again.record, check.record);
        record = check.record;
    }
    assert!(record.hashes.iter().all(Option::is_none));

    // A code that is not in the set spends nothing.
    let fresh = backup::generate(10, NOW, rng(2)).unwrap();
    let miss = backup::verify(&fresh.record, &set.codes[0]).unwrap();
    assert_eq!((miss.matched, miss.remaining), (false, 10));
    assert_eq!(miss.record, fresh.record);
    // Regenerating: the old set matches nothing in the new record.
    for code in &set.codes {
        assert!(!backup::verify(&fresh.record, code).unwrap().matched);
    }
    assert_ne!(fresh.record.salt, set.record.salt);
}

#[test]
fn backup_code_errors_and_records() {
    let set = backup::generate(3, NOW, rng(3)).unwrap();
    assert_eq!(
        err(backup::verify(&set.record, "ABCD-EFGH-JKM")),
        (
            "INVALID_TOKEN",
            "token must have 12 characters, not 11".into()
        )
    );
    assert_eq!(
        err(backup::verify(&set.record, "ABCD-EFGH-JKMU")),
        (
            "INVALID_TOKEN",
            "code has a character that codes never use at position 14".into()
        )
    );
    assert_eq!(
        err(backup::generate(0, NOW, rng(4))),
        (
            "INVALID_OPTIONS",
            "count must be a whole number from 1 to 100".into()
        )
    );
    assert_eq!(
        err(backup::generate(101, NOW, rng(4))),
        (
            "INVALID_OPTIONS",
            "count must be a whole number from 1 to 100".into()
        )
    );
    assert_eq!(
        err(backup::generate(3, NOW, |_: &mut [u8]| Err(EntropyError))),
        (
            "ENTROPY_UNAVAILABLE",
            "the random number generator failed".into()
        )
    );
    // A source that repeats itself forever is refused, not looped on.
    assert_eq!(
        err(backup::generate(3, NOW, |b: &mut [u8]| {
            b.fill(0);
            Ok(())
        }))
        .0,
        "ENTROPY_UNAVAILABLE"
    );
    let mut bad = set.record.clone();
    bad.salt = "short".into();
    assert_eq!(
        err(backup::verify(&bad, &set.codes[0])),
        ("INVALID_RECORD", "record field salt is malformed".into())
    );
    let mut bad = set.record.clone();
    bad.iterations = 2_000_000;
    assert_eq!(
        err(backup::verify(&bad, &set.codes[0])),
        (
            "INVALID_RECORD",
            "record field iterations is malformed".into()
        )
    );
    let mut bad = set.record.clone();
    bad.hashes[1] = Some("!!".into());
    assert_eq!(
        err(backup::verify(&bad, &set.codes[0])),
        ("INVALID_RECORD", "record field hashes is malformed".into())
    );
    // The printable text.
    let text = backup::to_text(&set.codes, Some("ACME"), "ada@example.com", NOW);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        &lines[..4],
        [
            "ACME backup codes",
            "Account: ada@example.com",
            "Created: 2023-11-14",
            ""
        ]
    );
    assert_eq!(lines[4], format!(" 1. {}", set.codes[0].as_str()));
    assert!(text.contains("Keep them somewhere safe"));
    assert_eq!(
        twofa::flows::backup::to_text(&["X"], None, "a", 0)
            .lines()
            .next(),
        Some("Backup codes")
    );
}

#[test]
fn recovery_codes_expire_at_the_boundary_and_belong_to_one_user() {
    let (code, ada) = recovery::issue("ada", recovery::DEFAULT_TTL_MS, NOW, rng(5)).unwrap();
    assert_eq!(ada.expires_at, NOW + 3_600_000);
    assert_eq!(code.len(), 19);
    let (other_code, bob) = recovery::issue("bob", 60_000, NOW, rng(6)).unwrap();
    let records = vec![ada.clone(), bob.clone()];
    assert!(!format!("{records:?}").contains(code.as_str()));
    // One millisecond before expiry it works; at expiry it does not.
    assert_eq!(
        recovery::verify(&records, "ada", &code, ada.expires_at)
            .unwrap()
            .0,
        RecoveryStatus::Expired
    );
    let (status, after) = recovery::verify(&records, "ada", &code, ada.expires_at - 1).unwrap();
    assert_eq!(status, RecoveryStatus::Ok);
    assert_eq!(after[0].used_at, Some(ada.expires_at - 1));
    assert_eq!(after[1], bob, "the other user's record is untouched");
    assert_eq!(
        recovery::verify(&after, "ada", &code, NOW).unwrap().0,
        RecoveryStatus::Used
    );
    // Another user's code, or a code never issued, is unknown.
    assert_eq!(
        recovery::verify(&records, "ada", &other_code, NOW)
            .unwrap()
            .0,
        RecoveryStatus::Unknown
    );
    assert_eq!(
        recovery::verify(&records, "bob", &code, NOW).unwrap().0,
        RecoveryStatus::Unknown
    );
    assert_eq!(
        recovery::verify(&records, "ada", "0000-0000-0000-0000", NOW)
            .unwrap()
            .0,
        RecoveryStatus::Unknown
    );
    assert_eq!(
        recovery::verify(&[], "ada", &code, NOW).unwrap().0,
        RecoveryStatus::Unknown
    );
    assert_eq!(RecoveryStatus::Expired.as_str(), "EXPIRED");
    assert_eq!(
        err(recovery::issue("", 1, NOW, rng(7))),
        ("INVALID_OPTIONS", "user must not be empty".into())
    );
    assert_eq!(
        err(recovery::issue("ada", 0, NOW, rng(7))).0,
        "INVALID_OPTIONS"
    );
    assert_eq!(
        err(recovery::verify(&records, "ada", "1234", NOW)),
        (
            "INVALID_TOKEN",
            "token must have 16 characters, not 4".into()
        )
    );
}

#[test]
fn verification_codes_die_after_their_attempts_or_their_lifetime() {
    let (code, record) = verification::issue(VerificationOptions::default(), NOW, rng(8)).unwrap();
    assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()));
    assert!(!format!("{record:?}").contains(code.as_str()));
    let wrong = if code.as_str() == "000000" {
        "111111"
    } else {
        "000000"
    };
    // Wrong four times, then right: accepted with one try left.
    let mut r = record.clone();
    for left in (1..5).rev() {
        let (outcome, next) = verification::verify(&r, wrong, NOW).unwrap();
        assert_eq!(
            (outcome, next.attempts_left),
            (VerificationOutcome::Wrong, left)
        );
        r = next;
    }
    let (outcome, spent) =
        verification::verify(&r, &format!("{} {}", &code[..3], &code[3..]), NOW).unwrap();
    assert_eq!(outcome, VerificationOutcome::Ok);
    assert_eq!(
        verification::verify(&spent, &code, NOW).unwrap().0,
        VerificationOutcome::Used
    );
    // Wrong five times: dead, even for the right code.
    let mut r = record.clone();
    for _ in 0..5 {
        r = verification::verify(&r, wrong, NOW).unwrap().1;
    }
    assert_eq!(
        verification::verify(&r, &code, NOW).unwrap().0,
        VerificationOutcome::Locked
    );
    // Expiry at the exact boundary: valid one millisecond before, dead at it.
    let end = record.expires_at;
    assert_eq!(end, NOW + 600_000);
    assert_eq!(
        verification::verify(&record, &code, end).unwrap().0,
        VerificationOutcome::Expired
    );
    assert_eq!(
        verification::verify(&record, &code, end - 1).unwrap().0,
        VerificationOutcome::Ok
    );
    // Malformed input costs no try.
    assert_eq!(
        err(verification::verify(&record, "12345", NOW)),
        (
            "INVALID_TOKEN",
            "token must have 6 characters, not 5".into()
        )
    );
    // Options.
    let eight = VerificationOptions {
        digits: 8,
        ttl_ms: 300_000,
        max_attempts: 3,
    };
    let (code8, r8) = verification::issue(eight, NOW, rng(9)).unwrap();
    assert_eq!(
        (code8.len(), r8.attempts_left, r8.expires_at),
        (8, 3, NOW + 300_000)
    );
    assert_eq!(
        err(verification::issue(
            VerificationOptions { digits: 5, ..eight },
            NOW,
            rng(9)
        )),
        (
            "INVALID_DIGITS",
            "digits must be from 6 to 10, not 5".into()
        )
    );
    assert_eq!(
        err(verification::issue(
            VerificationOptions {
                max_attempts: 0,
                ..eight
            },
            NOW,
            rng(9)
        )),
        (
            "INVALID_OPTIONS",
            "maxAttempts must be a whole number from 1 to 100".into()
        )
    );
    // Uniform digits: every digit shows up in every place over 2,000 codes.
    let mut fill = rng(10);
    let mut places = [[0u32; 10]; 6];
    for _ in 0..2000 {
        let (c, _) = verification::issue(VerificationOptions::default(), NOW, &mut fill).unwrap();
        for (p, d) in c.bytes().enumerate() {
            places[p][usize::from(d - b'0')] += 1;
        }
    }
    assert!(
        places.iter().flatten().all(|&n| (120..=280).contains(&n)),
        "{places:?}"
    );
}

const KEY: [u8; 32] = [0x42; 32];
const OLD_KEY: [u8; 32] = [0x17; 32];

fn options(ttl_ms: i64) -> DeviceOptions<'static> {
    DeviceOptions {
        user: Some("ada"),
        device_id: "dev-7",
        label: "Firefox on Linux 🦊",
        ttl_ms,
    }
}

/// A check at `now` for ada, with nothing revoked.
fn at(now: i64) -> Check<'static> {
    Check {
        now,
        user: Some("ada"),
        revoked: &[],
    }
}

#[test]
fn trusted_device_tokens() {
    let token = device::issue(&KEY, &options(device::DEFAULT_TTL_MS), NOW).unwrap();
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.'),
        "{token}"
    );
    let d = device::verify(&[&KEY], &token, &at(NOW)).unwrap();
    assert_eq!(
        (d.device_id.as_str(), d.label.as_str()),
        ("dev-7", "Firefox on Linux 🦊")
    );
    assert_eq!(
        (d.issued_at, d.expires_at, d.key_index),
        (NOW, NOW + 30 * 86_400_000, 0)
    );
    // Expiry at the boundary.
    assert!(device::verify(&[&KEY], &token, &at(d.expires_at - 1)).is_ok());
    assert_eq!(
        device::verify(&[&KEY], &token, &at(d.expires_at)),
        Err(Rejection::Expired)
    );
    // Fourteen days is one option away.
    let short = device::issue(&KEY, &options(14 * 86_400_000), NOW).unwrap();
    assert_eq!(
        device::verify(&[&KEY], &short, &at(NOW))
            .unwrap()
            .expires_at,
        NOW + 14 * 86_400_000
    );
    // Wrong key; rotation (new key first, old still honoured); revocation.
    assert_eq!(
        device::verify(&[&OLD_KEY], &token, &at(NOW)),
        Err(Rejection::BadSignature)
    );
    let old = device::issue(&OLD_KEY, &options(1000), NOW).unwrap();
    assert_eq!(
        device::verify(&[&KEY, &OLD_KEY], &old, &at(NOW))
            .unwrap()
            .key_index,
        1
    );
    assert_eq!(
        device::verify(&[&KEY], &old, &at(NOW)),
        Err(Rejection::BadSignature)
    );
    assert_eq!(
        device::verify(
            &[&KEY],
            &token,
            &Check {
                revoked: &["dev-1", "dev-7"],
                ..at(NOW)
            }
        ),
        Err(Rejection::Revoked)
    );
    assert!(device::verify(
        &[&KEY],
        &token,
        &Check {
            revoked: &["dev-70"],
            ..at(NOW)
        }
    )
    .is_ok());
    assert_eq!(
        device::verify(&[], &token, &at(NOW)),
        Err(Rejection::BadSignature)
    );
    // Bound to its user: refused for another, and for a check that names none.
    assert_eq!(
        device::verify(
            &[&KEY],
            &token,
            &Check {
                user: Some("bob"),
                ..at(NOW)
            }
        ),
        Err(Rejection::WrongUser)
    );
    assert_eq!(
        device::verify(
            &[&KEY],
            &token,
            &Check {
                user: None,
                ..at(NOW)
            }
        ),
        Err(Rejection::WrongUser)
    );
    let unbound = device::issue(
        &KEY,
        &DeviceOptions {
            user: None,
            ..options(1000)
        },
        NOW,
    )
    .unwrap();
    assert_eq!(
        device::verify(&[&KEY], &unbound, &at(NOW)),
        Err(Rejection::WrongUser)
    );
    assert!(device::verify(
        &[&KEY],
        &unbound,
        &Check {
            user: None,
            ..at(NOW)
        }
    )
    .is_ok());
    assert_eq!(d.user.as_deref(), Some("ada"));
    // A short key never verifies, and never issues.
    assert_eq!(
        device::verify(
            &[&KEY[..8]],
            &device::issue(&KEY, &options(1000), NOW).unwrap(),
            &at(NOW)
        ),
        Err(Rejection::BadSignature)
    );
    assert_eq!(
        err(device::issue(&KEY[..15], &options(1000), NOW)),
        (
            "INVALID_KEY",
            "key is 15 bytes long; use 16 to 1024 random bytes".into()
        )
    );
    assert_eq!(
        err(device::issue(
            &KEY,
            &DeviceOptions {
                device_id: "",
                ..options(1)
            },
            NOW
        )),
        (
            "INVALID_OPTIONS",
            "deviceId must be 1 to 128 bytes of text".into()
        )
    );
    assert_eq!(Rejection::BadSignature.as_str(), "BAD_SIGNATURE");
}

#[test]
fn every_tampered_or_truncated_token_is_rejected() {
    let token = device::issue(&KEY, &options(60_000), NOW).unwrap();
    let chars: Vec<char> = token.chars().collect();
    let alphabet: Vec<char> =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ "
            .chars()
            .collect();
    let mut rejected = 0;
    for position in 0..chars.len() {
        for &c in &alphabet {
            if c == chars[position] {
                continue;
            }
            let mut t = chars.clone();
            t[position] = c;
            let t: String = t.into_iter().collect();
            let r = device::verify(&[&KEY], &t, &at(NOW));
            assert!(
                matches!(r, Err(Rejection::Malformed | Rejection::BadSignature)),
                "changing position {position} to {c:?} gave {r:?}"
            );
            rejected += 1;
        }
    }
    assert!(rejected > 60 * 60);
    for len in 0..chars.len() {
        let t: String = chars[..len].iter().collect();
        assert!(
            device::verify(&[&KEY], &t, &at(NOW)).is_err(),
            "truncated to {len}"
        );
    }
    let appended = format!("{token}A");
    assert_eq!(
        device::verify(&[&KEY], &appended, &at(NOW)),
        Err(Rejection::Malformed)
    );
    let swapped = {
        let (p, t) = token.split_once('.').unwrap();
        format!("{t}.{p}")
    };
    assert!(device::verify(&[&KEY], &swapped, &at(NOW)).is_err());
    assert_eq!(
        device::verify(&[&KEY], &"A".repeat(5000), &at(NOW)),
        Err(Rejection::Malformed)
    );
}

#[test]
fn throttling_on_a_fake_clock() {
    let policy = ThrottlePolicy {
        free_attempts: 3,
        base_delay_ms: 1000,
        max_delay_ms: 8000,
    };
    let mut state = ThrottleState::default();
    let mut clock = NOW;
    // Three free failures: no wait.
    for _ in 0..3 {
        assert!(throttle::check(state, clock).allowed);
        state = throttle::failure(state, &policy, clock);
    }
    assert!(throttle::check(state, clock).allowed);
    // Then 1 s, 2 s, 4 s, 8 s, 8 s: doubling up to the ceiling.
    for wait in [1000, 2000, 4000, 8000, 8000] {
        state = throttle::failure(state, &policy, clock);
        let decision = throttle::check(state, clock);
        assert_eq!((decision.allowed, decision.retry_at), (false, clock + wait));
        assert!(
            !throttle::check(state, clock + wait - 1).allowed,
            "one ms early"
        );
        clock += wait;
        assert!(throttle::check(state, clock).allowed, "on time");
    }
    assert_eq!(state.failures, 8);
    // A success resets everything.
    state = throttle::success(state);
    assert_eq!(state, ThrottleState::default());
    state = throttle::failure(state, &policy, clock);
    assert!(throttle::check(state, clock).allowed);
    // The default policy: 5 free, then 1 s … 15 min; thousands of failures stay capped.
    let mut s = ThrottleState::default();
    for _ in 0..5000 {
        s = throttle::failure(s, &ThrottlePolicy::default(), NOW);
    }
    assert_eq!(throttle::check(s, NOW).retry_at, NOW + 900_000);
}

#[test]
fn hotp_resynchronisation() {
    let hotp = Hotp::new(Secret::from_bytes(b"12345678901234567890").unwrap());
    // RFC 4226 Appendix D: counters 4 and 5 are 338314 and 254676.
    assert_eq!(hotp.resync("338314", "254676", 0, 100).unwrap(), Some(6));
    assert_eq!(
        hotp.resync("338314", "254676", 4, 0).unwrap(),
        Some(6),
        "the window's first counter"
    );
    assert_eq!(
        hotp.resync("338314", "254676", 5, 100).unwrap(),
        None,
        "behind the start"
    );
    assert_eq!(
        hotp.resync("338314", "254676", 0, 3).unwrap(),
        None,
        "past the window"
    );
    assert_eq!(
        hotp.resync("254676", "338314", 0, 100).unwrap(),
        None,
        "in the wrong order"
    );
    // Far ahead: a device pressed 5,000 times.
    let far = (hotp.generate(5000), hotp.generate(5001));
    assert_eq!(hotp.resync(&far.0, &far.1, 0, 100).unwrap(), None);
    assert_eq!(hotp.resync(&far.0, &far.1, 0, 10_000).unwrap(), Some(5002));
    assert_eq!(
        err(hotp.resync("338314", "254676", 0, 100_001)),
        (
            "INVALID_WINDOW",
            "look-ahead of 100001 counters is too large; the most is 100000".into()
        )
    );
    assert_eq!(err(hotp.resync("33831", "254676", 0, 1)).0, "INVALID_TOKEN");
}

#[test]
fn no_record_result_or_error_shows_a_code_or_key() {
    let set = backup::generate(2, NOW, rng(11)).unwrap();
    let check = backup::verify(&set.record, &set.codes[0]).unwrap();
    let (rcode, rrec) = recovery::issue("ada", 1000, NOW, rng(12)).unwrap();
    let (vcode, vrec) = verification::issue(VerificationOptions::default(), NOW, rng(13)).unwrap();
    let everything = format!(
        "{set:?} {check:?} {rrec:?} {:?} {vrec:?} {:?}",
        recovery::verify(std::slice::from_ref(&rrec), "ada", &rcode, NOW).unwrap(),
        verification::verify(&vrec, &vcode, NOW).unwrap()
    );
    for code in set.codes.iter().chain([&rcode, &vcode]) {
        assert!(
            !everything.contains(code.as_str()) && !everything.contains(&code.replace('-', ""))
        );
    }
    // Errors name positions and lengths, never the input.
    let typed = "SECRETCODE9Z9Z9";
    for e in [
        backup::verify(&set.record, typed).unwrap_err(),
        recovery::verify(&[rrec], "ada", typed, NOW).unwrap_err(),
        verification::verify(&vrec, "98765x", NOW).unwrap_err(),
        device::issue(&KEY[..3], &options(1), NOW).unwrap_err(),
    ] {
        let shown = format!("{e} {e:?}");
        assert!(
            !shown.contains("SECRET") && !shown.contains("98765") && !shown.contains("4242"),
            "{shown}"
        );
    }
}

#[test]
fn review_edges() {
    // A record with one hash twice is not one of ours.
    let set = backup::generate(3, NOW, rng(21)).unwrap();
    let mut dup = set.record.clone();
    dup.hashes[1] = dup.hashes[0].clone();
    assert_eq!(
        err(backup::verify(&dup, &set.codes[0])),
        ("INVALID_RECORD", "record field hashes is malformed".into())
    );
    // Times stay inside the range of a JavaScript Date, whatever the lifetime.
    let (_, late) = recovery::issue("ada", 31_622_400_000, 8_640_000_000_000_000, rng(22)).unwrap();
    assert_eq!(late.expires_at, 8_640_000_000_000_000);
    let open_ended = ThrottlePolicy {
        free_attempts: 0,
        base_delay_ms: 1000,
        max_delay_ms: i64::MAX,
    };
    let mut s = ThrottleState::default();
    for _ in 0..100 {
        s = throttle::failure(s, &open_ended, NOW);
    }
    assert_eq!(s.locked_until, 8_640_000_000_000_000);
    // Resync at the end of the counter space neither panics nor wraps.
    let hotp = Hotp::new(Secret::from_bytes(b"12345678901234567890").unwrap());
    assert_eq!(
        hotp.resync("338314", "254676", u64::MAX - 1, 100).unwrap(),
        None
    );
    let (a, b) = (hotp.generate(u64::MAX - 2), hotp.generate(u64::MAX - 1));
    assert_eq!(
        hotp.resync(&a, &b, u64::MAX - 10, 100).unwrap(),
        Some(u64::MAX)
    );
    // One line per name in the printable text.
    let text = backup::to_text(&["X"], Some(""), "ada\nInjected: line", NOW);
    assert_eq!(
        text.lines().take(2).collect::<Vec<_>>(),
        ["Backup codes", "Account: ada Injected: line"]
    );
}
