//! The flows around authenticator codes: single use, expiry at the exact boundary,
//! tampering with every part of a token, keys, rotation, revocation, attempt limits and
//! throttle timing on a fake clock.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic: that is how they fail

use twofa::flows::backup::{self, BackupOptions};
mod common;

use common::entropy as rng;
use twofa::flows::device::{self, Check, DeviceOptions, Rejection};
use twofa::flows::recovery::{self, RecoveryOptions, RecoveryStatus};
use twofa::flows::throttle::{self, ThrottlePolicy, ThrottleState};
use twofa::flows::verification::{self, VerificationOptions, VerificationOutcome};
use twofa::{EntropyError, Hotp, Secret};

const NOW: i64 = 1_700_000_000_000;

/// A set of `count` codes, hashes only.
fn sized(count: usize) -> BackupOptions<'static> {
    BackupOptions {
        count,
        ..BackupOptions::default()
    }
}

/// A recovery code for `user`, valid `ttl_ms`.
fn for_user(user: &str, ttl_ms: i64) -> RecoveryOptions<'_> {
    RecoveryOptions {
        ttl_ms,
        ..RecoveryOptions::new(user)
    }
}

fn err<T: std::fmt::Debug>(r: Result<T, twofa::Error>) -> (&'static str, String) {
    let e = r.unwrap_err();
    (e.code().as_str(), e.to_string())
}

#[test]
fn backup_codes_are_single_use_and_regenerating_cancels_them() {
    let set = backup::generate(&BackupOptions::default(), NOW, rng(1)).unwrap();
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
        assert_eq!(check.record.revision, i as u64 + 2);
        assert_eq!(again.record.revision, check.record.revision + 1);
        assert_eq!(again.record.hashes, check.record.hashes);
        record = check.record;
    }
    assert!(record.hashes.iter().all(Option::is_none));

    // A code that is not in the set spends nothing.
    let fresh = backup::generate(&sized(10), NOW, rng(2)).unwrap();
    let miss = backup::verify(&fresh.record, &set.codes[0]).unwrap();
    assert_eq!((miss.matched, miss.remaining), (false, 10));
    assert_eq!(
        miss.record,
        backup::BackupRecord {
            revision: 2,
            ..fresh.record.clone()
        }
    );
    // Regenerating: the old set matches nothing in the new record.
    for code in &set.codes {
        assert!(!backup::verify(&fresh.record, code).unwrap().matched);
    }
    assert_ne!(fresh.record.salt, set.record.salt);
}

#[test]
fn backup_code_errors_and_records() {
    let set = backup::generate(&sized(3), NOW, rng(3)).unwrap();
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
        err(backup::generate(&sized(0), NOW, rng(4))),
        (
            "INVALID_OPTIONS",
            "count must be a whole number from 1 to 100".into()
        )
    );
    assert_eq!(
        err(backup::generate(&sized(101), NOW, rng(4))),
        (
            "INVALID_OPTIONS",
            "count must be a whole number from 1 to 100".into()
        )
    );
    assert_eq!(
        err(backup::generate(&sized(3), NOW, |_: &mut [u8]| Err(
            EntropyError
        ))),
        (
            "ENTROPY_UNAVAILABLE",
            "the random number generator failed".into()
        )
    );
    // A source that repeats itself forever is refused, not looped on.
    assert_eq!(
        err(backup::generate(&sized(3), NOW, |b: &mut [u8]| {
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
    let (code, ada) =
        recovery::issue(&for_user("ada", recovery::DEFAULT_TTL_MS), NOW, rng(5)).unwrap();
    assert_eq!(ada.expires_at, NOW + 3_600_000);
    assert_eq!(code.len(), 19);
    let (other_code, bob) = recovery::issue(&for_user("bob", 60_000), NOW, rng(6)).unwrap();
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
        err(recovery::issue(&for_user("", 1), NOW, rng(7))),
        ("INVALID_OPTIONS", "user must not be empty".into())
    );
    assert_eq!(
        err(recovery::issue(&for_user("ada", 0), NOW, rng(7))).0,
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
        replaces: None,
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
        state = throttle::failure(state, &policy, clock).unwrap();
    }
    assert!(throttle::check(state, clock).allowed);
    // Then 1 s, 2 s, 4 s, 8 s, 8 s: doubling up to the ceiling.
    for wait in [1000, 2000, 4000, 8000, 8000] {
        state = throttle::failure(state, &policy, clock).unwrap();
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
    // A success resets everything, at the next revision.
    state = throttle::success(state).unwrap();
    assert_eq!(
        state,
        ThrottleState {
            revision: 9,
            ..ThrottleState::default()
        }
    );
    state = throttle::failure(state, &policy, clock).unwrap();
    assert!(throttle::check(state, clock).allowed);
    // The default policy: 5 free, then 1 s … 15 min; thousands of failures stay capped.
    let mut s = ThrottleState::default();
    for _ in 0..5000 {
        s = throttle::failure(s, &ThrottlePolicy::default(), NOW).unwrap();
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
    let set = backup::generate(&sized(2), NOW, rng(11)).unwrap();
    let check = backup::verify(&set.record, &set.codes[0]).unwrap();
    let (rcode, rrec) = recovery::issue(&for_user("ada", 1000), NOW, rng(12)).unwrap();
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
    let set = backup::generate(&sized(3), NOW, rng(21)).unwrap();
    let mut dup = set.record.clone();
    dup.hashes[1] = dup.hashes[0].clone();
    assert_eq!(
        err(backup::verify(&dup, &set.codes[0])),
        ("INVALID_RECORD", "record field hashes is malformed".into())
    );
    // Times stay inside the range of a JavaScript Date, whatever the lifetime.
    let (_, late) = recovery::issue(
        &for_user("ada", 31_622_400_000),
        8_640_000_000_000_000,
        rng(22),
    )
    .unwrap();
    assert_eq!(late.expires_at, 8_640_000_000_000_000);
    // So do the times a flow takes from `now` (found by fuzzing: a recovery code spent at
    // i64::MIN was written with a `usedAt` that no record reader takes back).
    let (code, early) = recovery::issue(&for_user("ada", 1000), i64::MIN, rng(23)).unwrap();
    assert_eq!(
        (early.issued_at, early.expires_at),
        (-8_640_000_000_000_000, -8_640_000_000_000_000)
    );
    let (_, far) = recovery::issue(&for_user("ada", 1000), i64::MAX, rng(23)).unwrap();
    assert_eq!(far.issued_at, 8_640_000_000_000_000);
    let (_, spendable) = recovery::issue(&for_user("ada", 1000), NOW, rng(23)).unwrap();
    let spendable = recovery::RecoveryRecord {
        salt: early.salt.clone(),
        hash: early.hash.clone(),
        ..spendable
    };
    let (status, spent) = recovery::verify(&[spendable], "ada", &code, i64::MIN).unwrap();
    assert_eq!(status, RecoveryStatus::Ok);
    assert_eq!(spent[0].used_at, Some(-8_640_000_000_000_000));
    for now in [i64::MIN, i64::MAX] {
        let set = backup::generate(&sized(1), now, rng(24)).unwrap();
        assert_eq!(set.record.created_at, now.signum() * 8_640_000_000_000_000);
    }
    let open_ended = ThrottlePolicy {
        free_attempts: 0,
        base_delay_ms: 1000,
        max_delay_ms: i64::MAX,
    };
    let mut s = ThrottleState::default();
    for _ in 0..100 {
        s = throttle::failure(s, &open_ended, NOW).unwrap();
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

// ---------------------------------------------------------------------------------------
// Revisions, and the race they let a store prevent

/// A stored row, as a database holds it: a record and its revision.
struct Row<R> {
    record: R,
    revision: u64,
}

/// A tiny in-memory store with the two ways a server can write a row.
struct Store<R> {
    row: std::cell::RefCell<Row<R>>,
}

impl<R: Clone> Store<R> {
    fn new(record: R, revision: u64) -> Store<R> {
        Store {
            row: std::cell::RefCell::new(Row { record, revision }),
        }
    }

    /// What a request reads: the record and its revision.
    fn read(&self) -> (R, u64) {
        let row = self.row.borrow();
        (row.record.clone(), row.revision)
    }

    /// `UPDATE … SET record = $new, revision = $new.revision WHERE user_id = $id`.
    fn blind(&self, record: R, revision: u64) {
        *self.row.borrow_mut() = Row { record, revision };
    }

    /// `UPDATE … WHERE user_id = $id AND revision = $old`: whether a row was written.
    fn swap(&self, old: u64, record: R, revision: u64) -> bool {
        let mut row = self.row.borrow_mut();
        if row.revision != old {
            return false;
        }
        *row = Row { record, revision };
        true
    }
}

#[test]
fn revisions_start_at_one_and_follow_what_they_replace() {
    let set = backup::generate(&sized(2), NOW, rng(30)).unwrap();
    assert_eq!(set.record.revision, 1);
    let check = backup::verify(&set.record, &set.codes[0]).unwrap();
    assert_eq!(check.record.revision, 2);
    // A miss, or malformed input's error, still returns (or writes) nothing else.
    assert_eq!(
        backup::verify(&check.record, &set.codes[0])
            .unwrap()
            .record
            .revision,
        3
    );
    let again = BackupOptions {
        replaces: Some(check.record.revision),
        ..sized(2)
    };
    assert_eq!(
        backup::generate(&again, NOW, rng(31))
            .unwrap()
            .record
            .revision,
        3
    );

    let (code, ada) = recovery::issue(&RecoveryOptions::new("ada"), NOW, rng(32)).unwrap();
    let (_, bob) = recovery::issue(&for_user("bob", 60_000), NOW, rng(33)).unwrap();
    assert_eq!((ada.revision, bob.revision), (1, 1));
    let (_, after) = recovery::verify(&[ada.clone(), bob.clone()], "ada", &code, NOW).unwrap();
    assert_eq!(
        (after[0].revision, after[1].revision),
        (2, 1),
        "only the spent record moves"
    );
    let (_, unknown) = recovery::verify(
        std::slice::from_ref(&ada),
        "ada",
        "0000-0000-0000-0000",
        NOW,
    )
    .unwrap();
    assert_eq!(unknown[0], ada, "nothing spent, nothing changed");
    let reissue = RecoveryOptions {
        replaces: Some(after[0].revision),
        ..RecoveryOptions::new("ada")
    };
    assert_eq!(
        recovery::issue(&reissue, NOW, rng(34)).unwrap().1.revision,
        3
    );

    let (code, sent) = verification::issue(VerificationOptions::default(), NOW, rng(35)).unwrap();
    assert_eq!(sent.revision, 1);
    let (_, checked) = verification::verify(&sent, &code, NOW).unwrap();
    assert_eq!(checked.revision, 2);
    let (_, late) = verification::verify(&checked, &code, NOW + 600_000).unwrap();
    assert_eq!(late.revision, 3, "every outcome is a write");
    let resend = VerificationOptions {
        replaces: Some(late.revision),
        ..VerificationOptions::default()
    };
    assert_eq!(
        verification::issue(resend, NOW, rng(36))
            .unwrap()
            .1
            .revision,
        4
    );

    let policy = ThrottlePolicy::default();
    let first = throttle::failure(ThrottleState::default(), &policy, NOW).unwrap();
    assert_eq!(first.revision, 1);
    let second = throttle::failure(first, &policy, NOW).unwrap();
    assert_eq!(second.revision, 2);
    assert_eq!(throttle::success(second).unwrap().revision, 3);
    assert_eq!(
        throttle::success(ThrottleState::default())
            .unwrap()
            .revision,
        1
    );
}

#[test]
fn the_last_revision_is_refused_rather_than_wrapped() {
    let last = twofa::flows::MAX_REVISION;
    assert_eq!(last, (1 << 53) - 1);
    let refused = (
        "INVALID_RECORD",
        "record revision is 9007199254740991, the most a record can have".to_owned(),
    );
    let set = backup::generate(&sized(1), NOW, rng(40)).unwrap();
    let mut at = set.record.clone();
    at.revision = last - 1;
    assert_eq!(
        backup::verify(&at, &set.codes[0]).unwrap().record.revision,
        last
    );
    at.revision = last;
    assert_eq!(err(backup::verify(&at, &set.codes[0])), refused);
    at.revision = u64::MAX;
    assert_eq!(err(backup::verify(&at, &set.codes[0])), refused);
    let again = BackupOptions {
        replaces: Some(last),
        ..sized(1)
    };
    assert_eq!(err(backup::generate(&again, NOW, rng(41))), refused);

    let (code, mut sent) =
        verification::issue(VerificationOptions::default(), NOW, rng(42)).unwrap();
    sent.revision = last;
    assert_eq!(err(verification::verify(&sent, &code, NOW)), refused);
    let resend = VerificationOptions {
        replaces: Some(last),
        ..VerificationOptions::default()
    };
    assert_eq!(err(verification::issue(resend, NOW, rng(43))), refused);

    let (code, mut ada) = recovery::issue(&RecoveryOptions::new("ada"), NOW, rng(44)).unwrap();
    ada.revision = last;
    assert_eq!(
        err(recovery::verify(
            std::slice::from_ref(&ada),
            "ada",
            &code,
            NOW
        )),
        refused
    );
    // A code that matches nothing writes nothing, so nothing is refused.
    let (status, _) = recovery::verify(&[ada], "ada", "0000-0000-0000-0000", NOW).unwrap();
    assert_eq!(status, RecoveryStatus::Unknown);
    let reissue = RecoveryOptions {
        replaces: Some(last),
        ..RecoveryOptions::new("ada")
    };
    assert_eq!(err(recovery::issue(&reissue, NOW, rng(45))), refused);

    let state = ThrottleState {
        revision: last,
        ..ThrottleState::default()
    };
    assert_eq!(
        err(throttle::failure(state, &ThrottlePolicy::default(), NOW)),
        refused
    );
    assert_eq!(err(throttle::success(state)), refused);
}

#[test]
fn two_requests_spend_one_backup_code_twice_unless_the_write_is_a_compare_and_swap() {
    let set = backup::generate(&sized(3), NOW, rng(50)).unwrap();
    let code = &set.codes[1];

    // Blind writes: both requests read the same record, both see the code unused.
    let store = Store::new(set.record.clone(), set.record.revision);
    let (first, _) = store.read();
    let (second, _) = store.read();
    let a = backup::verify(&first, code).unwrap();
    let b = backup::verify(&second, code).unwrap();
    assert!(a.matched && b.matched, "the race: one code signs in twice");
    store.blind(a.record.clone(), a.record.revision);
    store.blind(b.record.clone(), b.record.revision);

    // Compare-and-swap on the revision: the second write finds the row changed, and its
    // retry from a fresh read sees the code spent.
    let store = Store::new(set.record.clone(), set.record.revision);
    let (first, first_revision) = store.read();
    let (second, second_revision) = store.read();
    let a = backup::verify(&first, code).unwrap();
    let b = backup::verify(&second, code).unwrap();
    assert!(store.swap(first_revision, a.record.clone(), a.record.revision));
    assert!(
        !store.swap(second_revision, b.record.clone(), b.record.revision),
        "the second write must fail"
    );
    let (fresh, fresh_revision) = store.read();
    let retry = backup::verify(&fresh, code).unwrap();
    assert!(!retry.matched, "spent once, and only once");
    assert_eq!(retry.remaining, 2);
    assert!(store.swap(fresh_revision, retry.record.clone(), retry.record.revision));
    assert_eq!(store.read().1, 3);
}

/// `n` parallel guesses at one verification code, each read before any is written; a
/// request whose write fails retries from a fresh read. The number of guesses that were
/// actually checked (a `Wrong` or `Ok` outcome stored).
fn parallel_guesses(n: usize, compare_and_swap: bool) -> usize {
    let (code, sent) = verification::issue(VerificationOptions::default(), NOW, rng(60)).unwrap();
    let wrong = if code.as_str() == "000000" {
        "111111"
    } else {
        "000000"
    };
    let store = Store::new(sent.clone(), sent.revision);
    let reads: Vec<_> = (0..n).map(|_| store.read()).collect();
    let mut tries = 0;
    for (mut record, mut revision) in reads {
        loop {
            let (outcome, next) = verification::verify(&record, wrong, NOW).unwrap();
            let written = if compare_and_swap {
                store.swap(revision, next.clone(), next.revision)
            } else {
                store.blind(next.clone(), next.revision);
                true
            };
            if written {
                if outcome == VerificationOutcome::Wrong {
                    tries += 1;
                }
                break;
            }
            (record, revision) = store.read();
        }
    }
    tries
}

#[test]
fn parallel_guesses_get_max_attempts_tries_only_with_compare_and_swap() {
    let max = VerificationOptions::default().max_attempts as usize;
    assert_eq!(max, 5);
    // Blind writes: every one of 20 parallel guesses is checked against 5 tries left.
    assert_eq!(parallel_guesses(20, false), 20);
    // Compare-and-swap: exactly five, then the code is locked.
    assert_eq!(parallel_guesses(20, true), max);
    assert_eq!(parallel_guesses(3, true), 3);
}

// ---------------------------------------------------------------------------------------
// Backup codes that can be shown again

const SITE_KEY: [u8; 32] = [0x5a; 32];

fn sealed_set(count: usize, seed: u64) -> backup::BackupCodes {
    let options = BackupOptions {
        count,
        key: Some(&SITE_KEY),
        replaces: None,
    };
    backup::generate(&options, NOW, rng(seed)).unwrap()
}

fn shown(codes: &[zeroize::Zeroizing<String>]) -> Vec<&str> {
    codes.iter().map(|c| c.as_str()).collect()
}

#[test]
fn sealed_backup_codes_are_revealed_in_order_until_spent() {
    let set = sealed_set(10, 70);
    let record = &set.record;
    let sealed = record.sealed.as_ref().unwrap();
    assert_eq!(sealed.len(), 10);
    // Each entry: a 24-byte nonce, 12 characters and a 16-byte tag, in base64.
    assert!(sealed.iter().all(|s| s.as_ref().unwrap().len() == 70));
    let all = backup::reveal(&[&SITE_KEY[..]], record).unwrap();
    assert_eq!(shown(&all), shown(&set.codes));
    // The same codes are drawn with a key as without: sealing draws after them.
    assert_eq!(
        shown(&backup::generate(&sized(10), NOW, rng(70)).unwrap().codes),
        shown(&set.codes)
    );
    // Nonces are fresh for every code.
    let nonces: std::collections::HashSet<&str> =
        sealed.iter().map(|s| &s.as_ref().unwrap()[..32]).collect();
    assert_eq!(nonces.len(), 10);

    // Spending a code drops its sealed copy with its hash.
    let mut record = record.clone();
    for spend in [3, 0, 9] {
        let check = backup::verify(&record, &set.codes[spend]).unwrap();
        assert!(check.matched);
        assert!(check.record.sealed.as_ref().unwrap()[spend].is_none());
        assert!(check.record.hashes[spend].is_none());
        record = check.record;
    }
    let left = backup::reveal(&[&SITE_KEY[..]], &record).unwrap();
    let expected: Vec<&str> = [1, 2, 4, 5, 6, 7, 8]
        .iter()
        .map(|&i| set.codes[i].as_str())
        .collect();
    assert_eq!(shown(&left), expected);
    // Every code spent: nothing to show, and no error.
    for i in [1, 2, 4, 5, 6, 7, 8] {
        record = backup::verify(&record, &set.codes[i]).unwrap().record;
    }
    assert!(backup::reveal(&[&SITE_KEY[..]], &record)
        .unwrap()
        .is_empty());
    assert!(record.sealed.as_ref().unwrap().iter().all(Option::is_none));
}

#[test]
fn sealed_backup_codes_open_with_the_right_key_only() {
    let set = sealed_set(3, 71);
    let record = &set.record;
    let wrong = [0x11u8; 32];
    let none_opens = (
        "INVALID_RECORD",
        "record has a sealed code that none of the keys opens: a wrong key, or a changed record"
            .to_owned(),
    );
    assert_eq!(err(backup::reveal(&[&wrong[..]], record)), none_opens);
    // A retired key after the current one still opens it, as for device tokens.
    assert_eq!(
        shown(&backup::reveal(&[&wrong[..], &SITE_KEY[..]], record).unwrap()),
        shown(&set.codes)
    );
    // A set sealed under the old key, revealed with the new key first.
    assert_eq!(
        backup::reveal(&[&SITE_KEY[..], &wrong[..]], record)
            .unwrap()
            .len(),
        3
    );
    // A key that shares the site key's first bytes is another key.
    assert_eq!(err(backup::reveal(&[&SITE_KEY[..16]], record)), none_opens);
    // Key lengths, as for device tokens.
    assert_eq!(
        err(backup::reveal(&[&SITE_KEY[..15]], record)),
        (
            "INVALID_KEY",
            "key is 15 bytes long; use 16 to 1024 random bytes".into()
        )
    );
    assert_eq!(
        err(backup::reveal(&[], record)),
        ("INVALID_OPTIONS", "keys must hold at least one key".into())
    );
    let short = BackupOptions {
        key: Some(&SITE_KEY[..8]),
        ..sized(3)
    };
    assert_eq!(
        err(backup::generate(&short, NOW, rng(72))),
        (
            "INVALID_KEY",
            "key is 8 bytes long; use 16 to 1024 random bytes".into()
        )
    );
    let long = vec![1u8; 1025];
    let long = BackupOptions {
        key: Some(&long),
        ..sized(3)
    };
    assert_eq!(err(backup::generate(&long, NOW, rng(72))).0, "INVALID_KEY");
    let max = vec![1u8; 1024];
    let max = BackupOptions {
        key: Some(&max),
        ..sized(3)
    };
    let set = backup::generate(&max, NOW, rng(73)).unwrap();
    assert_eq!(
        shown(&backup::reveal(&[&[1u8; 1024][..]], &set.record).unwrap()),
        shown(&set.codes)
    );
}

#[test]
fn sealed_backup_codes_refuse_a_changed_record() {
    let set = sealed_set(3, 74);
    let keys = [&SITE_KEY[..]];
    let none_opens =
        "record has a sealed code that none of the keys opens: a wrong key, or a changed record";
    let sealed =
        |r: &backup::BackupRecord, i: usize| r.sealed.as_ref().unwrap()[i].clone().unwrap();
    let with = |f: &dyn Fn(&mut backup::BackupRecord)| {
        let mut r = set.record.clone();
        f(&mut r);
        r
    };
    // A changed byte in the ciphertext, the tag or the nonce.
    for at in [0, 10, 31, 33, 50, 69] {
        let tampered = with(&|r| {
            let mut text = sealed(r, 1).into_bytes();
            text[at] = if text[at] == b'A' { b'B' } else { b'A' };
            r.sealed.as_mut().unwrap()[1] = Some(String::from_utf8(text).unwrap());
        });
        assert_eq!(
            err(backup::reveal(&keys, &tampered)).1,
            none_opens,
            "at {at}"
        );
    }
    // Two entries swapped, or an entry moved to another record: the index and the salt
    // are bound to it.
    let swapped = with(&|r| r.sealed.as_mut().unwrap().swap(0, 2));
    assert_eq!(err(backup::reveal(&keys, &swapped)).1, none_opens);
    let other = sealed_set(3, 80);
    let moved = with(&|r| r.sealed.as_mut().unwrap()[0] = Some(sealed(&other.record, 0)));
    assert_eq!(err(backup::reveal(&keys, &moved)).1, none_opens);
    // The salt or the iterations changed (so no derivation runs for a forged cost).
    let salted = with(&|r| r.salt = other.record.salt.clone());
    assert_eq!(err(backup::reveal(&keys, &salted)).1, none_opens);
    let costly = with(&|r| r.iterations = 1_000_000);
    assert_eq!(err(backup::reveal(&keys, &costly)).1, none_opens);
    // Hashes swapped: every entry opens, but a code does not match its hash.
    let rehashed = with(&|r| r.hashes.swap(0, 1));
    assert_eq!(
        err(backup::reveal(&keys, &rehashed)),
        (
            "INVALID_RECORD",
            "record has a sealed code that does not match its hash".into()
        )
    );
    // The shape: one entry per hash, null exactly where the hash is.
    let short = with(&|r| {
        r.sealed.as_mut().unwrap().pop();
    });
    let length = (
        "INVALID_RECORD",
        "record field sealed must have one entry for each hash".to_owned(),
    );
    assert_eq!(err(backup::reveal(&keys, &short)), length);
    assert_eq!(err(backup::verify(&short, &set.codes[0])), length);
    let pattern = (
        "INVALID_RECORD",
        "record field sealed must be null exactly where hashes is".to_owned(),
    );
    let kept = with(&|r| r.hashes[2] = None);
    assert_eq!(err(backup::reveal(&keys, &kept)), pattern);
    assert_eq!(err(backup::verify(&kept, &set.codes[0])), pattern);
    let dropped = with(&|r| r.sealed.as_mut().unwrap()[2] = None);
    assert_eq!(err(backup::reveal(&keys, &dropped)), pattern);
    let garbled = with(&|r| r.sealed.as_mut().unwrap()[2] = Some("AAAA".into()));
    assert_eq!(
        err(backup::reveal(&keys, &garbled)),
        ("INVALID_RECORD", "record field sealed is malformed".into())
    );
    assert_eq!(
        err(backup::verify(&garbled, &set.codes[0])).1,
        "record field sealed is malformed"
    );
    // A set made without a key has nothing to show.
    let plain = backup::generate(&sized(3), NOW, rng(76)).unwrap();
    assert_eq!(plain.record.sealed, None);
    assert_eq!(
        err(backup::reveal(&keys, &plain.record)),
        (
            "INVALID_RECORD",
            "record has no sealed codes: only a set made with a key can be shown again".into()
        )
    );
}

#[test]
fn sealed_records_and_options_hold_no_code_or_key() {
    let set = sealed_set(5, 77);
    let check = backup::verify(&set.record, &set.codes[0]).unwrap();
    let options = BackupOptions {
        key: Some(&SITE_KEY),
        ..sized(5)
    };
    let everything = format!("{set:?} {check:?} {options:?}");
    for code in &set.codes {
        assert!(
            !everything.contains(code.as_str()) && !everything.contains(&code.replace('-', ""))
        );
    }
    assert!(everything.contains("key: Some(\"[key]\")"), "{everything}");
    assert!(!everything.contains("90, 90"), "the key's bytes");
    let e = backup::reveal(&[&[0x11u8; 32][..]], &set.record).unwrap_err();
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains("17, 17") && !set.codes.iter().any(|c| shown.contains(c.as_str())));
}
