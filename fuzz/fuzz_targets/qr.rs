//! The `qr` target: its checks are `fuzz/checks/qr.rs`, which `cargo test` also runs
//! on the committed corpus (`fuzz/replay.rs`).
#![no_main]

#[path = "../checks/common.rs"]
#[allow(dead_code)] // each target uses part of it
mod common;
#[path = "../checks/qr.rs"]
mod qr;

libfuzzer_sys::fuzz_target!(|data: &[u8]| qr::check(data));
