//! The `import_zip` target: the `zip` reader of `transfer::import` alone. Its checks are
//! `fuzz/checks/import.rs`, which `cargo test` also runs on the committed corpus
//! (`fuzz/replay.rs`).
#![no_main]

#[path = "../checks/common.rs"]
#[allow(dead_code)] // each target uses part of it
mod common;
#[path = "../checks/import.rs"]
mod import;

libfuzzer_sys::fuzz_target!(|data: &[u8]| import::check("zip", data));
