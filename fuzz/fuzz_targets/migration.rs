//! The `migration` target: its checks are `fuzz/checks/migration.rs`, which `cargo test` also runs
//! on the committed corpus (`fuzz/replay.rs`).
#![no_main]

#[path = "../checks/common.rs"]
#[allow(dead_code)] // each target uses part of it
mod common;
#[path = "../checks/migration.rs"]
mod migration;

libfuzzer_sys::fuzz_target!(|data: &[u8]| migration::check(data));
