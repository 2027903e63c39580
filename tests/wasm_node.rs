//! The JavaScript API in Node (`cargo test --target wasm32-unknown-unknown --test wasm_node`).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // tests may panic: that is how they fail

#[path = "wasm/cases.rs"]
mod cases;
