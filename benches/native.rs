//! The native half of `make bench`: the same four operations as the Node benchmark, on
//! the same inputs, timed with the same method (median of rounds of a fixed length).
//! Prints a table, or JSON lines with `--json` for `scripts/bench.mjs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // a benchmark may stop on failure

use std::hint::black_box;
use std::time::{Duration, Instant};
use twofa::qr::{decode, Ecc, QrMatrix, SvgOptions};
use twofa::{Hotp, KeyUri, Secret, Totp, VerifyOptions};

/// The inputs every implementation gets (see scripts/bench.mjs).
const SECRET: &[u8] = b"12345678901234567890";
const TIMESTAMP_MS: i64 = 1_700_000_000_000;
const COUNTER: u64 = 123_456;
/// The URI parsed and drawn (see scripts/bench.mjs).
const URI: &str = "otpauth://totp/ACME%20Co:ada@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30";

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
    let key = KeyUri::parse(URI).unwrap().key;
    assert_eq!(key.to_uri().unwrap(), URI);
    let qr = QrMatrix::encode(URI, Ecc::M).unwrap();
    let (side, luma) = raster(&qr);
    assert_eq!(decode(side, side, &luma).unwrap(), [URI]);
    let svg = SvgOptions::default();
    let transfer = [
        (
            "uri.parse",
            ops_per_second(|| drop(black_box(KeyUri::parse(black_box(URI)).unwrap()))),
        ),
        (
            "uri.build",
            ops_per_second(|| drop(black_box(key.to_uri().unwrap()))),
        ),
        (
            "qr.svg",
            ops_per_second(|| {
                let m = QrMatrix::encode(black_box(URI), Ecc::M).unwrap();
                black_box(m.to_svg(&svg).unwrap());
            }),
        ),
        (
            "qr.decode",
            ops_per_second(|| drop(black_box(decode(side, side, black_box(&luma)).unwrap()))),
        ),
    ];
    for (name, rate) in results.into_iter().chain(transfer) {
        if json {
            println!("{{\"op\":\"{name}\",\"opsPerSec\":{rate:.0}}}");
        } else {
            println!("{name:<24} {rate:>12.0} ops/s");
        }
    }
}

/// The QR code at 4 pixels a module with a 4-module margin, black on white, as the
/// Node benchmark draws it.
fn raster(qr: &QrMatrix) -> (usize, Vec<u8>) {
    let side = (qr.size() + 8) * 4;
    let luma = (0..side * side)
        .map(|i| {
            let (x, y) = ((i % side) / 4, (i / side) / 4);
            if x >= 4 && y >= 4 && qr.is_dark(x - 4, y - 4) {
                0
            } else {
                255
            }
        })
        .collect();
    (side, luma)
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
