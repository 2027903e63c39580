//! The `http_date` target: its checks are `fuzz/checks/http_date.rs`, which `cargo test`
//! also runs on the committed corpus (`fuzz/replay.rs`).
#![no_main]

#[path = "../checks/common.rs"]
#[allow(dead_code)] // each target uses part of it
mod common;
#[path = "../checks/http_date.rs"]
mod http_date;

libfuzzer_sys::fuzz_target!(|data: &[u8]| http_date::check(data));
