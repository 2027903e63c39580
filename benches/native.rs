//! The native half of `make bench`: the same four operations as the Node benchmark, on
//! the same inputs, timed with the same method (median of rounds of a fixed length).
//! Prints a table, or JSON lines with `--json` for `scripts/bench.mjs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // a benchmark may stop on failure

use std::hint::black_box;
use std::time::{Duration, Instant};
use twofa::{Hotp, Secret, Totp, VerifyOptions};

/// The inputs every implementation gets (see scripts/bench.mjs).
const SECRET: &[u8] = b"12345678901234567890";
const TIMESTAMP_MS: i64 = 1_700_000_000_000;
const COUNTER: u64 = 123_456;

fn ops_per_second(mut op: impl FnMut()) -> f64 {
    const ROUNDS: usize = 5;
    const ROUND: Duration = Duration::from_millis(300);
    let mut rates = Vec::with_capacity(ROUNDS);
    for _ in 0..=ROUNDS {
        let start = Instant::now();
        let mut n = 0u64;
        while start.elapsed() < ROUND {
            for _ in 0..256 {
                op();
            }
            n += 256;
        }
        rates.push(n as f64 / start.elapsed().as_secs_f64());
    }
    rates.remove(0); // warm-up
    rates.sort_by(f64::total_cmp);
    rates[ROUNDS / 2]
}

fn main() {
    let json = std::env::args().any(|a| a == "--json");
    let secret = Secret::from_bytes(SECRET).unwrap();
    let totp = Totp::new(secret.clone());
    let hotp = Hotp::new(secret);
    let valid = totp.generate(TIMESTAMP_MS).unwrap();
    let invalid = wrong_code(&totp);
    let options = VerifyOptions::default();
    assert!(totp
        .verify(&valid, TIMESTAMP_MS, options)
        .unwrap()
        .is_some());
    assert!(totp
        .verify(&invalid, TIMESTAMP_MS, options)
        .unwrap()
        .is_none());

    let results = [
        (
            "totp.generate",
            ops_per_second(|| {
                black_box(totp.generate(black_box(TIMESTAMP_MS)).unwrap());
            }),
        ),
        (
            "totp.verify valid ±1",
            ops_per_second(|| {
                black_box(
                    totp.verify(black_box(&valid), TIMESTAMP_MS, options)
                        .unwrap(),
                );
            }),
        ),
        (
            "totp.verify invalid ±1",
            ops_per_second(|| {
                black_box(
                    totp.verify(black_box(&invalid), TIMESTAMP_MS, options)
                        .unwrap(),
                );
            }),
        ),
        (
            "hotp.generate",
            ops_per_second(|| {
                black_box(hotp.generate(black_box(COUNTER)));
            }),
        ),
    ];
    for (name, rate) in results {
        if json {
            println!("{{\"op\":\"{name}\",\"opsPerSec\":{rate:.0}}}");
        } else {
            println!("{name:<24} {rate:>12.0} ops/s");
        }
    }
}

/// A well-formed code that matches no step in the ±1 window.
fn wrong_code(totp: &Totp) -> String {
    let step = totp.step_at(TIMESTAMP_MS).unwrap();
    let window: Vec<String> = (step - 1..=step + 1)
        .map(|s| totp.generate_step(s))
        .collect();
    (0..1_000_000u32)
        .map(|n| format!("{n:06}"))
        .find(|c| !window.contains(c))
        .expect("a million codes cannot all be in a window of three")
}
