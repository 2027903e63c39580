//! The flows' records as they come back from callers: every reader reads JSON text back
//! to what was written, names the field at fault when it refuses, and every flow that
//! takes a record takes any record without a panic, refuses with a reason, bounds its
//! cost before any work, and returns a record that reads back.
//!
//! Whatever a reader takes is JSON (serde_json agrees).
//!
//! An input is a kind byte, eight bytes of `now`, the JSON text, a zero byte, and the
//! typed input of the flow (a code, answers, a user and a code).

use super::common::{refused, Input};
use std::fmt::Debug;
use twofa::flows::{answers, backup, recovery, throttle, verification};
use twofa::fuzzing::records;
use twofa::Code;

const KEY: &[u8; 32] = b"fuzzing key, 32 bytes, not 31 ok";
/// PBKDF2 iterations up to which a backup code is checked for real; past it the check
/// stops at the typed code, before any derivation.
const CHEAP_ITERATIONS: u32 = 1000;

pub fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let kind = input.byte();
    let now = input.i64();
    let rest = input.rest();
    let (json, typed) = match rest.iter().position(|&b| b == 0) {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[][..]),
    };
    let json = String::from_utf8_lossy(json);
    let typed = String::from_utf8_lossy(typed);
    match kind % 6 {
        0 => backup_record(&json, &typed),
        1 => answers_record(&json, &typed),
        2 => verification_record(&json, &typed, now),
        3 => recovery_records(&json, &typed, now),
        4 => throttle_state(&json, now),
        _ => {
            read_back(&json, records::texts, |t| records::texts_json(t), &[]);
        }
    }
}

/// Reads `text`: a record written back reads as itself and writes the same text again;
/// a refusal names one of `fields`, or is `""` for text that is not a record.
fn read_back<T: PartialEq + Debug>(
    text: &str,
    read: fn(&str) -> Result<T, &'static str>,
    write: impl Fn(&T) -> String,
    fields: &[&str],
) -> Option<T> {
    match read(text) {
        Ok(value) => {
            well_formed(text);
            let written = write(&value);
            well_formed(&written);
            let again =
                read(&written).unwrap_or_else(|f| panic!("written text does not read: {f:?}"));
            assert_eq!(again, value, "a record changes when written and read");
            assert_eq!(write(&again), written, "writing is not stable");
            Some(value)
        }
        Err(field) => {
            assert!(
                field.is_empty() || fields.contains(&field),
                "unknown field {field:?}"
            );
            None
        }
    }
}

fn backup_record(json: &str, typed: &str) {
    let fields = [
        "version",
        "iterations",
        "salt",
        "hashes",
        "sealed",
        "createdAt",
        "revision",
    ];
    let Some(record) = read_back(json, records::backup, records::backup_json, &fields) else {
        return;
    };
    let cheap = record.iterations <= CHEAP_ITERATIONS;
    match backup::verify(&record, if cheap { typed } else { "" }) {
        Ok(check) => {
            assert!((1..=backup::MAX_ITERATIONS).contains(&record.iterations));
            assert!((1..=backup::MAX_COUNT).contains(&record.hashes.len()));
            assert_eq!(check.record.revision, record.revision + 1);
            let live = |r: &backup::BackupRecord| r.hashes.iter().filter(|h| h.is_some()).count();
            assert_eq!(check.remaining, live(&check.record));
            assert_eq!(
                live(&record) - live(&check.record),
                usize::from(check.matched)
            );
            let back = records::backup(&records::backup_json(&check.record)).expect("reads back");
            assert_eq!(back, check.record);
        }
        Err(err) => refused(&err, &[Code::InvalidRecord, Code::InvalidToken], &[typed]),
    }
    if cheap {
        match backup::reveal(&[KEY], &record) {
            Ok(codes) => assert_eq!(codes.len(), record.hashes.iter().flatten().count()),
            Err(err) => refused(&err, &[Code::InvalidRecord], &[]),
        }
    }
}

fn answers_record(json: &str, typed: &str) {
    let fields = [
        "version",
        "questions",
        "memoryKib",
        "passes",
        "salt",
        "hash",
        "createdAt",
        "revision",
    ];
    let Some(record) = read_back(json, records::answers, records::answers_json, &fields) else {
        return;
    };
    // One answer too many: every check of the record runs, and no Argon2.
    let given: Vec<&str> = core::iter::repeat_n(typed, record.questions.len() + 1).collect();
    let err = answers::verify(&record, &given).expect_err("one answer too many");
    refused(&err, &[Code::InvalidRecord, Code::InvalidOptions], &[typed]);
    if err.code() == Code::InvalidOptions {
        // The record passed: its cost is within the limits.
        assert!((answers::MIN_MEMORY_KIB..=answers::MAX_MEMORY_KIB).contains(&record.memory_kib));
        assert!((1..=answers::MAX_PASSES).contains(&record.passes));
        assert!((1..=answers::MAX_QUESTIONS).contains(&record.questions.len()));
    }
}

fn verification_record(json: &str, typed: &str, now: i64) {
    let fields = [
        "digits",
        "salt",
        "hash",
        "expiresAt",
        "attemptsLeft",
        "used",
        "revision",
    ];
    let Some(record) = read_back(
        json,
        records::verification,
        records::verification_json,
        &fields,
    ) else {
        return;
    };
    match verification::verify(&record, typed, now) {
        Ok((outcome, next)) => {
            assert!((6..=10).contains(&record.digits));
            assert_eq!(next.revision, record.revision + 1);
            let spent = u32::from(outcome == verification::VerificationOutcome::Wrong);
            assert_eq!(next.attempts_left + spent, record.attempts_left);
            assert_eq!(
                next.used,
                record.used || outcome == verification::VerificationOutcome::Ok
            );
            let back =
                records::verification(&records::verification_json(&next)).expect("reads back");
            assert_eq!(back, next);
        }
        Err(err) => refused(&err, &[Code::InvalidRecord, Code::InvalidToken], &[typed]),
    }
}

fn recovery_records(json: &str, typed: &str, now: i64) {
    let fields = [
        "user",
        "salt",
        "hash",
        "issuedAt",
        "expiresAt",
        "usedAt",
        "revision",
    ];
    let Some(list) = read_back(
        json,
        records::recovery,
        |l| records::recovery_json(l),
        &fields,
    ) else {
        return;
    };
    let (user, code) = typed.split_once('\n').unwrap_or((typed, ""));
    match recovery::verify(&list, user, code, now) {
        Ok((status, next)) => {
            assert_eq!(next.len(), list.len());
            let changed = list.iter().zip(&next).filter(|(a, b)| a != b).count();
            assert_eq!(changed, usize::from(status == recovery::RecoveryStatus::Ok));
            let back = records::recovery(&records::recovery_json(&next)).expect("reads back");
            assert_eq!(back, next);
        }
        Err(err) => refused(&err, &[Code::InvalidRecord, Code::InvalidToken], &[code]),
    }
}

fn throttle_state(json: &str, now: i64) {
    let fields = ["failures", "lockedUntil", "revision"];
    let Some(state) = read_back(json, records::throttle, records::throttle_json, &fields) else {
        return;
    };
    let decision = throttle::check(state, now);
    if decision.allowed {
        assert_eq!(decision.retry_at, now);
    } else {
        assert!(decision.retry_at > now && decision.retry_at == state.locked_until);
    }
    let policy = throttle::ThrottlePolicy {
        free_attempts: (now as u32) % 8,
        base_delay_ms: now.rotate_left(13) % 1_000_000_000,
        max_delay_ms: now.rotate_left(29) % 100_000_000_000,
    };
    for policy in [throttle::ThrottlePolicy::default(), policy] {
        match throttle::failure(state, &policy, now) {
            Ok(next) => {
                assert_eq!(next.failures, state.failures.saturating_add(1));
                assert_eq!(next.revision, state.revision + 1);
                assert!(next.locked_until >= state.locked_until);
                let back = records::throttle(&records::throttle_json(&next)).expect("reads back");
                assert_eq!(back, next);
            }
            Err(err) => refused(&err, &[Code::InvalidRecord], &[]),
        }
    }
    match throttle::success(state) {
        Ok(next) => assert_eq!(
            (next.failures, next.locked_until, next.revision),
            (0, 0, state.revision + 1)
        ),
        Err(err) => refused(&err, &[Code::InvalidRecord], &[]),
    }
}

/// Text a reader took is JSON, as another parser (serde_json) reads it. (serde_json reads
/// numbers as 64-bit values; one out of their range is still JSON.)
fn well_formed(text: &str) {
    if let Err(err) = serde_json::from_str::<serde_json::Value>(text) {
        assert!(
            err.to_string().starts_with("number out of range"),
            "a record reader took text that is not json: {err}"
        );
    }
}
