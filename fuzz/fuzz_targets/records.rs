//! The `records` target: its checks are `fuzz/checks/records.rs`, which `cargo test` also runs
//! on the committed corpus (`fuzz/replay.rs`).
#![no_main]

#[path = "../checks/common.rs"]
#[allow(dead_code)] // each target uses part of it
mod common;
#[path = "../checks/records.rs"]
mod records;

libfuzzer_sys::fuzz_target!(|data: &[u8]| records::check(data));
