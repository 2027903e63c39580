//! The `device_link` target: its checks are `fuzz/checks/device_link.rs`, which `cargo test` also runs
//! on the committed corpus (`fuzz/replay.rs`).
#![no_main]

#[path = "../checks/common.rs"]
#[allow(dead_code)] // each target uses part of it
mod common;
#[path = "../checks/device_link.rs"]
mod device_link;

libfuzzer_sys::fuzz_target!(|data: &[u8]| device_link::check(data));
