//! The JavaScript binding: the only code that names wasm-bindgen, reads `Date.now()` or
//! calls `crypto.getRandomValues`.
//!
//! Each entry of the npm package is its own WebAssembly module, built from this crate
//! with one `js-*` feature (`make pkg` builds them one by one), so a page downloads only
//! the code it imports. The files mirror the core: `otp`, `clock` and `uri` make `twofa`, and
//! `migration`, `qr`, `flows/*`, `vault` and `import` make `twofa/migration`,
//! `twofa/qr`, `twofa/flows`, `twofa/vault` and `twofa/import`. Every export goes
//! through [`convert`], which maps errors and scrubs the stack; records cross as JSON
//! described once in [`record`].
//! The package's thin JavaScript layer (`js/`) reads options objects and builds the
//! public classes on top.

// Each entry uses part of the shared layer; `make test` checks the binding for dead code
// with every entry on.
#![cfg_attr(
    not(all(
        feature = "js-root",
        feature = "js-qr",
        feature = "js-migration",
        feature = "js-flows",
        feature = "js-vault",
        feature = "js-import"
    )),
    allow(dead_code, unused_imports, unused_macros)
)]

#[cfg(feature = "js-root")]
pub mod clock;
pub(crate) mod convert;
pub(crate) use crate::json;
#[cfg(feature = "js-testing")]
pub use convert::testing;
pub(crate) mod record;

#[cfg(feature = "js-flows")]
pub mod flows;
#[cfg(feature = "js-import")]
pub mod import;
#[cfg(feature = "js-migration")]
pub mod migration;
#[cfg(feature = "js-root")]
pub mod otp;
#[cfg(feature = "js-qr")]
pub mod qr;
#[cfg(any(feature = "js-root", feature = "js-migration", feature = "js-import"))]
pub mod uri;
#[cfg(feature = "js-vault")]
pub mod vault;

/// Every heap block is zeroed when it is freed: the buffers that parsing, encoding and
/// the glue's string passing leave behind may hold secret material, and WebAssembly
/// memory stays readable from JavaScript. Talc, the allocator underneath, is a third of
/// the size of the `dlmalloc` that `std` brings.
#[global_allocator]
static ALLOCATOR: zeroizing_alloc::ZeroAlloc<talc::wasm::WasmDynamicTalc> =
    zeroizing_alloc::ZeroAlloc(talc::wasm::new_wasm_dynamic_allocator());

/// A packaged module without `std` (every entry but `twofa/qr`, whose QR crates bring
/// it) needs its own panic handler. twofa does not panic: its lints forbid indexing,
/// `unwrap` and `expect`, and the hostile-values test drives every export with every
/// kind of value. Were a panic to happen, it would trap.
#[cfg(all(feature = "js-module", not(feature = "qr")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
