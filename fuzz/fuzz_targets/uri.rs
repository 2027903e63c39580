//! The `uri` target: its checks are `fuzz/checks/uri.rs`, which `cargo test` also runs
//! on the committed corpus (`fuzz/replay.rs`).
#![no_main]

#[path = "../checks/common.rs"]
#[allow(dead_code)] // each target uses part of it
mod common;
#[path = "../checks/uri.rs"]
mod uri;

libfuzzer_sys::fuzz_target!(|data: &[u8]| uri::check(data));
