//! The binding's own rules in Node (`make test-wasm`).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // tests may panic: that is how they fail

#[path = "wasm/cases.rs"]
mod cases;
