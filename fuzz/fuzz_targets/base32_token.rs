//! The `base32_token` target: its checks are `fuzz/checks/base32_token.rs`, which `cargo test` also runs
//! on the committed corpus (`fuzz/replay.rs`).
#![no_main]

#[path = "../checks/base32_token.rs"]
mod base32_token;
#[path = "../checks/common.rs"]
#[allow(dead_code)] // each target uses part of it
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| base32_token::check(data));
