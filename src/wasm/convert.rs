//! The one layer every export goes through.
//!
//! Only numbers cross the boundary. Text and bytes go in through one input buffer that
//! the JavaScript layer writes (`io_input`), and come out through one output buffer
//! (`io_output`) that it reads and then zeroes; records come out as JSON described once in
//! [`super::record`]; objects live in slabs here and JavaScript holds their indices. So
//! the module never holds a JavaScript value, no user code (a getter, a Proxy trap, a
//! `toString`) ever runs while Rust frames are on the stack, and wasm-bindgen's glue stays
//! a few hundred bytes: its value converters cost the root entry 2.3 KiB of gzip, measured.
//!
//! [`export!`] defines every export: its body runs through [`run`], which scrubs the stack
//! afterwards and turns a failure into `NaN` with `CODE\tmessage` in the output buffer, from
//! which the JavaScript layer throws an `Error` with that `code`. Every message is made in
//! Rust: the JavaScript layer only names the place where a value of the wrong type was
//! found ([`fail_type`]).

use super::record::ToJson;
use crate::error::Sink;
use crate::{Code, Error};
use alloc::string::String;
use alloc::vec::Vec;
use spin::{Mutex, MutexGuard};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const ERROR_CODE: &str = super::record::const_str!(&[
    "\n/** Every `code` that a thrown twofa `Error` can carry. */\nexport type ErrorCode =",
    crate::error::TS_UNION,
    ";\n",
]);

/// What the module asks of its host (`src/wasm/host.js`): each function catches what the
/// platform throws, so no exception crosses Rust frames.
#[wasm_bindgen(module = "/src/wasm/host.js")]
extern "C" {
    /// `Date.now()`, or `NaN` when it fails.
    fn now() -> f64;
    /// Fills `buf` from `crypto.getRandomValues`; false when the platform cannot.
    fn random(buf: &mut [u8]) -> bool;
}

/// A failed export: its `CODE\tmessage` is in the output buffer already, written where
/// the failure happened, so a failure costs the success path nothing. A message never
/// holds a secret.
pub(crate) struct Failed;

pub(crate) type Out<T> = Result<T, Failed>;

/// A failure's message, written into the output buffer after its code.
pub(crate) struct Message(Option<MutexGuard<'static, Vec<u8>>>);

impl Message {
    /// Starts the failure `code`. Its message follows, by [`Message::text`] and the other
    /// writers of [`Sink`], and [`Message::done`] ends it.
    #[inline(never)]
    pub(crate) fn new(code: Code) -> Message {
        let mut output = OUTPUT.try_lock();
        if let Some(output) = &mut output {
            wipe(output);
            output.extend_from_slice(code.as_str().as_bytes());
            output.push(b'\t');
        }
        Message(output)
    }

    /// Adds text, for chaining.
    pub(crate) fn with(mut self, text: &str) -> Message {
        self.text(text);
        self
    }

    pub(crate) fn done(self) -> Failed {
        Failed
    }
}

impl Sink for Message {
    fn text(&mut self, text: &str) {
        if let Some(output) = &mut self.0 {
            output.extend_from_slice(text.as_bytes());
        }
    }
}

impl From<Error> for Failed {
    #[inline(never)]
    fn from(err: Error) -> Failed {
        let mut message = Message::new(err.code());
        err.write(&mut message);
        message.done()
    }
}

/// A failure that the binding words itself, such as a value of the wrong type.
#[inline(never)]
pub(crate) fn fail(code: Code, message: &str) -> Failed {
    Message::new(code).with(message).done()
}

/// Puts `prefix` before the message of the failure in the output buffer, such as
/// `account 3: `.
pub(crate) fn prefix_failure(prefix: &str) {
    if let Some(mut output) = OUTPUT.try_lock() {
        let at = output
            .iter()
            .position(|&b| b == b'\t')
            .map_or(0, |tab| tab + 1);
        output.splice(at..at, prefix.bytes());
    }
}

// ---------------------------------------------------------------------------------------
// The buffers

/// What the JavaScript layer wrote for the current call: its texts and bytes, one after
/// the other. Zeroed as soon as the call has read it.
static INPUT: Mutex<Vec<u8>> = Mutex::new(Vec::new());
/// What the current call answers with: text, JSON, bytes, or `CODE\tmessage`.
static OUTPUT: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Zeroes what a buffer holds and empties it. Past its length a buffer is always zero, so
/// one `memory.fill` of the length suffices: `zeroize` would write the whole capacity, a
/// byte at a time, on every call.
fn wipe(buffer: &mut Vec<u8>) {
    buffer.fill(0);
    core::hint::black_box(&buffer);
    buffer.clear();
}

/// The most one call may pass in: 64 MiB, a 16-megapixel RGBA picture.
const MAX_INPUT: u32 = 64 << 20;

/// Makes the input buffer `len` bytes of zeroes and returns its address, or 0 when `len`
/// is past what one call may pass in.
#[wasm_bindgen]
pub fn io_input(len: u32) -> u32 {
    let Some(mut input) = INPUT.try_lock().filter(|_| len <= MAX_INPUT) else {
        return 0;
    };
    wipe(&mut input);
    input.resize(len as usize, 0);
    input.as_ptr() as u32
}

/// The address of the output buffer, whose length the last call returned.
#[wasm_bindgen]
pub fn io_output() -> u32 {
    OUTPUT.try_lock().map_or(0, |output| output.as_ptr() as u32)
}

/// The length of what the output buffer holds: a failure's `CODE\tmessage`.
#[wasm_bindgen]
pub fn io_output_len() -> u32 {
    OUTPUT
        .try_lock()
        .map_or(0, |output| u32::try_from(output.len()).unwrap_or(0))
}

/// Hooks for the binding's own tests (`tests/wasm`, with the `js-testing` feature): what
/// the JavaScript layer does with the buffers, done from Rust.
#[cfg(feature = "js-testing")]
pub mod testing {
    pub use super::{fail_freed, fail_internal, fail_length, fail_type};
    use super::{ABSENT, INPUT, OUTPUT};
    use alloc::vec::Vec;

    /// Writes `parts` one after the other into the input buffer, as the JavaScript layer
    /// does, and returns their lengths: `ABSENT` for `None`.
    #[allow(clippy::cast_possible_truncation)] // test inputs are small
    pub fn input(parts: &[Option<&[u8]>]) -> Vec<u32> {
        let mut buffer = INPUT.lock();
        buffer.clear();
        parts
            .iter()
            .map(|part| match part {
                None => ABSENT,
                Some(bytes) => {
                    buffer.extend_from_slice(bytes);
                    bytes.len() as u32
                }
            })
            .collect()
    }

    /// What the output buffer holds: an answer's text or bytes, or `CODE\tmessage`.
    pub fn output() -> Vec<u8> {
        OUTPUT.lock().clone()
    }

    /// `n` as a message shows it, if it can ([`super::Shown`]).
    pub fn shown(n: f64) -> Option<alloc::string::String> {
        super::Shown::of(n).map(|shown| {
            let mut text = alloc::string::String::new();
            shown.write(&mut text);
            text
        })
    }

    /// A failure's code and message, from the output buffer.
    pub fn failure() -> (alloc::string::String, alloc::string::String) {
        let text = alloc::string::String::from_utf8(output()).unwrap_or_default();
        let (code, message) = text.split_once('\t').unwrap_or(("", &text));
        (code.into(), message.into())
    }
}

/// Takes a lock, or fails: in a single-threaded module a lock that is taken can only have
/// been left behind, and failing beats waiting forever.
pub(crate) fn lock<T>(mutex: &'static Mutex<T>) -> Out<MutexGuard<'static, T>> {
    mutex.try_lock().ok_or_else(|| internal("busy"))
}

/// The input of one call, read segment by segment: a length of `u32::MAX` is an absent
/// value. Zeroed when dropped.
pub(crate) struct Input {
    bytes: MutexGuard<'static, Vec<u8>>,
}

/// The length that stands for an absent text.
pub(crate) const ABSENT: u32 = u32::MAX;

impl Input {
    pub(crate) fn take() -> Out<Input> {
        Ok(Input {
            bytes: lock(&INPUT)?,
        })
    }

    /// The segments of the given lengths, in order.
    pub(crate) fn segments<const N: usize>(&self, lens: [u32; N]) -> Out<[Option<&[u8]>; N]> {
        let mut at = 0usize;
        let mut out = [None; N];
        for (slot, len) in out.iter_mut().zip(lens) {
            if len == ABSENT {
                continue;
            }
            let end = at.saturating_add(len as usize);
            *slot = Some(self.bytes.get(at..end).ok_or_else(|| internal("input"))?);
            at = end;
        }
        Ok(out)
    }

    /// The texts of the given lengths, in order.
    pub(crate) fn texts<const N: usize>(&self, lens: [u32; N]) -> Out<[Option<&str>; N]> {
        let segments = self.segments(lens)?;
        let mut out = [None; N];
        for (slot, segment) in out.iter_mut().zip(segments) {
            *slot = utf8(segment)?;
        }
        Ok(out)
    }
}

/// A short text that the JavaScript layer passed as a number instead of through the
/// input buffer: up to [`SHORT_TEXT`] ASCII characters, seven bits each from the lowest,
/// and the count times 2^49 (`pack` in `js/runtime.ts`). A typed code crosses this way,
/// which spares a call the input buffer's round trip. A number that is no such packing is
/// an internal error.
pub(crate) fn short_text(packed: f64, buffer: &mut [u8; SHORT_TEXT]) -> Out<&str> {
    let whole = whole(packed, (1u64 << 52) as f64).ok_or_else(|| internal("packed"))?;
    let len = usize::try_from(whole >> 49).unwrap_or(usize::MAX);
    let text = buffer.get_mut(..len).ok_or_else(|| internal("packed"))?;
    // Bits past the last character: `pack` never sets them.
    if (whole & ((1 << 49) - 1)) >> (7 * len) != 0 {
        return Err(internal("packed"));
    }
    for (i, byte) in text.iter_mut().enumerate() {
        *byte = ((whole >> (7 * i)) & 0x7f) as u8;
    }
    core::str::from_utf8(text).map_err(|_| internal("packed"))
}

/// The most characters [`short_text`] carries.
pub(crate) const SHORT_TEXT: usize = 7;

/// A segment of the input as text. The JavaScript layer writes UTF-8 with `encodeInto`,
/// which never fails.
pub(crate) fn utf8(segment: Option<&[u8]>) -> Out<Option<&str>> {
    segment
        .map(|bytes| core::str::from_utf8(bytes).map_err(|_| internal("utf8")))
        .transpose()
}

impl Drop for Input {
    fn drop(&mut self) {
        wipe(&mut self.bytes);
    }
}

/// Answers with text: it goes to the output buffer, and its length is returned.
pub(crate) fn reply(text: &str) -> Out<f64> {
    reply_bytes(text.as_bytes())
}

/// Answers with bytes.
pub(crate) fn reply_bytes(bytes: &[u8]) -> Out<f64> {
    let mut output = lock(&OUTPUT)?;
    wipe(&mut output);
    output.extend_from_slice(bytes);
    Ok(bytes.len() as f64)
}

/// Answers with what `write` puts in the output buffer, which first makes room for
/// `capacity` bytes, so it does not move while it holds the text.
#[allow(clippy::cast_precision_loss)] // a buffer's length: far under 2^53
pub(crate) fn reply_with(
    capacity: usize,
    write: impl FnOnce(&mut Vec<u8>) -> Result<(), Error>,
) -> Out<f64> {
    let mut output = lock(&OUTPUT)?;
    wipe(&mut output);
    output.reserve(capacity);
    match write(&mut output) {
        Ok(()) => Ok(output.len() as f64),
        Err(err) => {
            wipe(&mut output);
            drop(output);
            Err(err.into())
        }
    }
}

/// Answers with a record, as JSON.
pub(crate) fn reply_json(value: &impl ToJson) -> Out<f64> {
    reply(&super::record::to_json(value))
}

// ---------------------------------------------------------------------------------------
// Running an export

/// How much stack [`run`] zeroes after an export, unless the export says otherwise: more
/// than the deepest export of the root module uses (parsing a URI, 1.8 KiB), as the
/// stack-depth test measures for every export.
pub(crate) const SCRUB: usize = 4 * 1024;

/// The scrub of the code operations (generating and verifying with a keyed HMAC), which
/// run often and use at most 1.1 KiB (SHA-512, keying included).
pub(crate) const SCRUB_CODES: usize = 2 * 1024;

/// The scrub of deriving a vault key or hashing security answers (Argon2id), which uses
/// 7.7 KiB.
#[cfg(any(feature = "vault", feature = "flows"))]
pub(crate) const SCRUB_KDF: usize = 16 * 1024;

/// The scrub of reading and writing other apps' exports: their key derivations (Argon2id,
/// scrypt, PBKDF2), ciphers and JSON trees leave key material and secrets in the frames
/// they used. Above the deepest import the stack-depth test measures.
#[cfg(feature = "import")]
pub(crate) const SCRUB_IMPORT: usize = 64 * 1024;

/// How much stack the QR exports zero: the decoder keeps a 4 KiB module bitmap of each
/// code on the stack, and a QR code may carry a secret.
#[cfg(feature = "qr")]
pub(crate) const SCRUB_QR: usize = 128 * 1024;

/// Zeroes `N` bytes of the stack below the caller's frame: on wasm32 the stack is linear
/// memory that stays readable from JavaScript after a call returns, and HMAC keying and
/// base32 decoding leave key-derived blocks in the frames they used.
///
/// The zeroed array is handed to `black_box`, which the compiler must assume reads it, so
/// the zeroing (one `memory.fill`) cannot be optimised away. A volatile loop, as `zeroize`
/// writes, costs twenty times as much on every call.
#[inline(never)]
#[cfg_attr(feature = "js-testing", allow(dead_code))]
fn scrub<const N: usize>() {
    if N > 0 {
        let scratch = [0u8; N];
        core::hint::black_box(&scratch);
    }
}

/// Runs an export's body in a frame of its own, below the export function's frame, so
/// that everything the body keeps on the stack (a typed code unpacked by [`short_text`],
/// a generated code before it is written out) lies where [`scrub`] zeroes afterwards.
/// Inlined, the body's locals would share the export's frame, above the scrub.
#[inline(never)]
fn below<F: FnOnce() -> Out<f64>>(body: F) -> Out<f64> {
    body()
}

/// Runs an export's body, then scrubs `N` bytes of stack and answers: the body's number,
/// or `NaN` for a failure. Every export goes through here, by [`export!`].
pub(crate) fn run<const N: usize>(body: impl FnOnce() -> Out<f64>) -> f64 {
    let out = below(body);
    // The stack-depth test (tests/wasm) measures how deep each export goes without it.
    #[cfg(not(feature = "js-testing"))]
    scrub::<N>();
    out.unwrap_or(f64::NAN)
}

/// Defines exports: each is a `#[wasm_bindgen]` function of numbers that returns a number,
/// and whose body (returning [`Out<f64>`]) runs through [`run`], so none can forget the
/// scrub or the error mapping. `#[scrub = N]` before `fn` sets how much stack it zeroes
/// ([`SCRUB`] by default): 0 for an export that touches no secret.
macro_rules! export {
    ($(
        $(#[doc = $doc:literal])*
        $(#[scrub = $scrub:expr])?
        fn $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) { $($body:tt)* }
    )*) => {$(
        $(#[doc = $doc])*
        #[wasm_bindgen::prelude::wasm_bindgen]
        #[allow(clippy::too_many_arguments)] // options objects, read field by field in JavaScript
        pub fn $name($($arg: $ty),*) -> f64 {
            $crate::wasm::convert::run::<{ $crate::wasm::convert::scrub_size!($($scrub)?) }>(
                move || -> $crate::wasm::convert::Out<f64> { $($body)* },
            )
        }
    )*

    /// Each export of this file and the stack it scrubs, for the stack-depth test.
    #[cfg(feature = "js-testing")]
    pub const SCRUBS: &[(&str, usize)] = &[
        $((stringify!($name), $crate::wasm::convert::scrub_size!($($scrub)?)),)*
    ];
    };
}
pub(crate) use export;

/// The scrub an export asked for, or [`SCRUB`].
macro_rules! scrub_size {
    () => {
        $crate::wasm::convert::SCRUB
    };
    ($scrub:expr) => {
        $scrub
    };
}
pub(crate) use scrub_size;

// ---------------------------------------------------------------------------------------
// Handles

/// Objects that JavaScript holds by index: a generator, a secret, a vault key. A freed
/// slot is reused; its object is dropped, and so zeroed, when freed.
pub(crate) struct Slab<T> {
    items: Vec<Option<T>>,
}

impl<T> Slab<T> {
    pub(crate) const fn new() -> Slab<T> {
        Slab { items: Vec::new() }
    }

    /// Keeps `item`; its handle is its index plus one.
    pub(crate) fn insert(&mut self, item: T) -> f64 {
        let index = match self.items.iter().position(Option::is_none) {
            Some(free) => {
                if let Some(slot) = self.items.get_mut(free) {
                    *slot = Some(item);
                }
                free
            }
            None => {
                self.items.push(Some(item));
                self.items.len() - 1
            }
        };
        (index + 1) as f64
    }

    /// The object of a handle.
    pub(crate) fn get(&self, handle: u32) -> Out<&T> {
        self.items
            .get((handle as usize).wrapping_sub(1))
            .and_then(Option::as_ref)
            .ok_or_else(freed)
    }

    /// Frees a handle's object now; a handle already freed is ignored.
    pub(crate) fn remove(&mut self, handle: u32) {
        if let Some(slot) = self.items.get_mut((handle as usize).wrapping_sub(1)) {
            *slot = None;
        }
    }
}

fn freed() -> Failed {
    fail(
        Code::ObjectFreed,
        "this object was freed and cannot be used any more",
    )
}

// ---------------------------------------------------------------------------------------
// The errors of values the JavaScript layer found of the wrong type. It names where the
// value was found, and the message is made here, with every other. Each entry's module
// holds the places of its own functions only.

/// What a value of the wrong JavaScript type at `place` is told: its code and message.
fn type_error(place: &str) -> Failed {
    let (code, message) = match place {
        #[cfg(any(feature = "js-root", feature = "js-migration", feature = "js-import"))]
        "secret" => (Code::InvalidOptions, "secret must be a Secret or a base32 string"),
        #[cfg(feature = "js-root")]
        "base32" => (Code::InvalidBase32, "base32 secret must be a string"),
        #[cfg(feature = "js-root")]
        "bytes" => (Code::InvalidOptions, "secret bytes must be a Uint8Array"),
        #[cfg(feature = "js-root")]
        "byteLength" => (Code::SecretLength, "byteLength must be a whole number from 16 to 64"),
        #[cfg(any(feature = "js-root", feature = "js-migration", feature = "js-import"))]
        "algorithm" => (
            Code::UnsupportedAlgorithm,
            "algorithm must be a string: SHA1, SHA256 or SHA512",
        ),
        #[cfg(any(feature = "js-root", feature = "js-migration", feature = "js-import"))]
        "digits" => (Code::InvalidDigits, "digits must be a whole number from 6 to 10"),
        #[cfg(any(feature = "js-root", feature = "js-migration", feature = "js-import"))]
        "period" => (
            Code::InvalidPeriod,
            "period must be a whole number of seconds from 1 to 2^32 - 1",
        ),
        #[cfg(any(feature = "js-root", feature = "js-migration", feature = "js-import"))]
        "epoch" => (Code::InvalidTimestamp, "epoch must be a number of milliseconds"),
        "timestamp" => (Code::InvalidTimestamp, "timestamp must be a number of milliseconds"),
        #[cfg(any(feature = "js-root", feature = "js-migration", feature = "js-import"))]
        "encoder" => (Code::InvalidEncoder, "encoder must be a string"),
        #[cfg(any(feature = "js-root", feature = "js-migration", feature = "js-import"))]
        "counter" => (
            Code::InvalidCounter,
            "counter must be a whole number from 0 to Number.MAX_SAFE_INTEGER, or a bigint",
        ),
        #[cfg(feature = "js-root")]
        "token" | "first" | "second" => (Code::InvalidToken, "token must be a string"),
        #[cfg(feature = "js-flows")]
        "code" => (Code::InvalidToken, "code must be a string"),
        #[cfg(any(feature = "js-root", feature = "js-migration", feature = "js-import"))]
        "uri" => (Code::InvalidUri, "uri must be a string"),
        #[cfg(feature = "js-root")]
        "window" => (Code::InvalidWindow, "window must be a number or { past, future }"),
        #[cfg(feature = "js-root")]
        "window.past" => (Code::InvalidWindow, "window.past must be a whole number of steps"),
        #[cfg(feature = "js-root")]
        "window.future" => (Code::InvalidWindow, "window.future must be a whole number of steps"),
        #[cfg(feature = "js-root")]
        "afterStep" => (
            Code::InvalidOptions,
            "afterStep must be a whole number: a step returned by verify",
        ),
        #[cfg(any(feature = "js-root", feature = "js-migration", feature = "js-import"))]
        "type" => (Code::InvalidOptions, "type must be \"totp\" or \"hotp\""),
        #[cfg(feature = "js-root")]
        "Secret" => (
            Code::InvalidOptions,
            "expected a twofa Secret, from Secret.generate, Secret.fromBase32 or Secret.fromBytes",
        ),
        #[cfg(feature = "js-root")]
        "Totp" => (
            Code::InvalidOptions,
            "expected a twofa Totp, from new Totp or Totp.fromUri",
        ),
        #[cfg(feature = "js-root")]
        "Hotp" => (
            Code::InvalidOptions,
            "expected a twofa Hotp, from new Hotp or Hotp.fromUri",
        ),
        #[cfg(feature = "js-root")]
        "generator" => (
            Code::InvalidOptions,
            "expected a twofa Totp or Hotp, from new Totp, new Hotp or fromUri",
        ),
        #[cfg(feature = "js-flows")]
        "record" => (
            Code::InvalidRecord,
            "record must be plain data that JSON.stringify can write",
        ),
        #[cfg(feature = "js-flows")]
        "records" => (
            Code::InvalidRecord,
            "records must be an array of records that JSON.stringify can write",
        ),
        #[cfg(feature = "js-flows")]
        "key" => (
            Code::InvalidKey,
            "key must be a Uint8Array of 16 to 1024 bytes, or base32 text of one",
        ),
        #[cfg(feature = "js-flows")]
        "keys" => (
            Code::InvalidKey,
            "keys must be a key or an array of at most 64 keys",
        ),
        #[cfg(feature = "js-flows")]
        "revision" => (Code::InvalidRecord, "record field revision is malformed"),
        #[cfg(feature = "js-flows")]
        "count" => (Code::InvalidOptions, "count must be a whole number from 1 to 100"),
        #[cfg(any(feature = "js-migration", feature = "js-import"))]
        "secretText" => (Code::InvalidOptions, "secret must be a base32 string"),
        #[cfg(feature = "js-vault")]
        "VaultKey" => (
            Code::InvalidOptions,
            "expected a twofa VaultKey, from VaultKey.derive, VaultKey.unlock or VaultKey.fromBytes",
        ),
        #[cfg(any(feature = "js-migration", feature = "js-import"))]
        "accounts" => (
            Code::InvalidOptions,
            "accounts must be an array of at most 10000 accounts",
        ),
        #[cfg(feature = "js-import")]
        "importInput" => (
            Code::InvalidOptions,
            "input must be a string or a Uint8Array: the export's text or bytes",
        ),
        #[cfg(feature = "js-qr")]
        "qrImage" => (
            Code::InvalidImage,
            "image must be { width, height, data } with data a Uint8ClampedArray or Uint8Array of RGBA pixels",
        ),
        // The rest are plain options, said the same way.
        _ => {
            let (name, kind) = crate::transfer::uri::cut(place, b':').unwrap_or((place, "string"));
            return option_failure(name, kind);
        }
    };
    fail(code, message)
}

/// `"<name> must be …"` for an option the table above does not word itself: `kind` says
/// what it must be.
pub(crate) fn option_failure(name: &str, kind: &str) -> Failed {
    let message = Message::new(Code::InvalidOptions).with(name);
    if let Some(max) = kind.strip_prefix("exact") {
        return message
            .with(" must be a string of at most ")
            .with(max)
            .with(" characters, without lone surrogates")
            .done();
    }
    message
        .with(match kind {
            "number" => " must be a whole number",
            "ms" => " must be a whole number of milliseconds",
            "time" => " must be a number of milliseconds",
            "object" => " must be an object",
            "required" => " is required",
            "unreadable" => " cannot be read: a getter, a proxy or toJSON threw",
            "list" => " must be an array",
            #[cfg(feature = "js-qr")]
            "color" => " must be a css colour string",
            #[cfg(feature = "js-qr")]
            "colorOrNull" => " must be a css colour string or null",
            #[cfg(feature = "js-flows")]
            "strings" => " must be an array of strings",
            #[cfg(feature = "js-flows")]
            "bytes" => " must be a Uint8Array",
            _ => " must be a string",
        })
        .done()
}

/// The failure of a value of the wrong JavaScript type, at the place named in the input.
#[wasm_bindgen]
pub fn fail_type(place: u32) -> f64 {
    run::<0>(|| {
        let input = Input::take()?;
        let [place] = input.texts([place])?;
        Err(type_error(place.unwrap_or_default()))
    })
}

/// The failure of a string the JavaScript layer refused by its length alone, `units`
/// UTF-16 code units long, without copying it in; the place is in the input.
#[wasm_bindgen]
pub fn fail_length(place: u32, units: f64) -> f64 {
    run::<0>(|| {
        let input = Input::take()?;
        let [place] = input.texts([place])?;
        let place = place.unwrap_or_default();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let units = units as usize;
        Err(match place {
            // Five bits a character: far past the longest secret, so its length says it.
            #[cfg(any(feature = "js-root", feature = "js-migration", feature = "js-import"))]
            "base32" | "secret" => crate::otp::too_long(units.saturating_mul(5) / 8).into(),
            #[cfg(feature = "js-root")]
            "bytes" => crate::otp::too_long(units).into(),
            #[cfg(any(feature = "js-root", feature = "js-migration", feature = "js-import"))]
            "uri" => crate::transfer::uri::too_long(units).into(),
            #[cfg(feature = "js-flows")]
            "key" | "keys" => fail(
                Code::InvalidKey,
                "key must be a Uint8Array of 16 to 1024 bytes, or base32 text of one",
            ),
            // Not a length: the UTF-16 index of the passphrase's first lone surrogate,
            // which the JavaScript layer finds before encoding (it would become U+FFFD).
            // An export over the largest read, refused before it is copied in.
            #[cfg(feature = "js-import")]
            "importInput" => crate::transfer::import::input_too_long(units as u64).into(),
            #[cfg(feature = "js-import")]
            "password:lone" => {
                let mut message = Message::new(Code::InvalidOptions)
                    .with("password has a lone surrogate at utf-16 index ");
                message.size(units);
                message.with(": it must be well-formed text").done()
            }
            #[cfg(feature = "js-vault")]
            "passphrase:lone" => {
                let mut message = Message::new(Code::InvalidOptions)
                    .with("passphrase has a lone surrogate at utf-16 index ");
                message.size(units);
                message.with(": it must be well-formed text").done()
            }
            _ => {
                let token = matches!(place, "token" | "code" | "first" | "second");
                let mut message = Message::new(if token {
                    Code::InvalidToken
                } else {
                    Code::InvalidOptions
                })
                .with(place)
                .with(" is ");
                message.size(units);
                message
                    .with(if token {
                        " characters long; no token is that long"
                    } else {
                        " characters long; that is too long"
                    })
                    .done()
            }
        })
    })
}

/// The failure of an object used after `free()`.
#[wasm_bindgen]
pub fn fail_freed() -> f64 {
    run::<0>(|| Err(freed()))
}

/// The failure of something no input should cause, such as the JavaScript engine running
/// out of memory. The input holds the engine's error name (never its message, which could
/// quote input), or nothing.
#[wasm_bindgen]
pub fn fail_internal(name: u32) -> f64 {
    run::<0>(|| {
        let input = Input::take()?;
        let [name] = input.texts([name])?;
        Err(internal(name.unwrap_or_default()))
    })
}

pub(crate) fn internal(what: &str) -> Failed {
    let message = Message::new(Code::InternalError).with("internal error");
    if !what.is_empty() && what.len() < 64 && what.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return message.with(" (").with(what).with(")").done();
    }
    message.done()
}

// ---------------------------------------------------------------------------------------
// Numbers, times, counters and randomness

/// The characters of `text`: its bytes that do not continue a character. `chars().count()`
/// says the same with twice the code.
pub(crate) fn chars(text: &str) -> usize {
    text.bytes().filter(|&b| b & 0xc0 != 0x80).count()
}

/// `Number.MAX_SAFE_INTEGER`.
pub(crate) const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A number the JavaScript layer passed: `NaN` stands for an absent value (a caller's
/// `NaN` arrives as `Infinity`, which every check refuses as not finite).
pub(crate) fn given(n: f64) -> Option<f64> {
    (!n.is_nan()).then_some(n)
}

/// A JS number that is a whole number from 0 to `max`; each caller words its own error.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
pub(crate) fn whole(n: f64, max: f64) -> Option<u64> {
    // In range first: then 0 <= n <= max <= 2^53 - 1, so the cast is exact for a whole n,
    // and a fraction shows as a difference.
    if !(0.0..=max).contains(&n) || (n as u64) as f64 != n {
        return None;
    }
    Some(n as u64)
}

/// An optional period in seconds as options give it (`NaN` for absent): the default of 30,
/// or a whole number up to 2^32 − 1 (the core refuses 0 with its own message).
#[cfg(any(feature = "js-root", feature = "js-migration", feature = "js-import"))]
pub(crate) fn period_of(p: f64) -> Out<u32> {
    match given(p) {
        None => Ok(crate::DEFAULT_PERIOD),
        Some(p) => whole(p, f64::from(u32::MAX))
            .and_then(|p| u32::try_from(p).ok())
            .ok_or_else(|| {
                fail(
                    Code::InvalidPeriod,
                    "period must be a whole number of seconds from 1 to 2^32 - 1",
                )
            }),
    }
}

/// `n` rounded down, for `|n| <= 8.64e15`: `core` has no `floor` without `std`.
#[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
fn floor(n: f64) -> i64 {
    let t = n as i64;
    if (t as f64) > n {
        t - 1
    } else {
        t
    }
}

/// Unix milliseconds: `Date.now()` when absent, else a number within a `Date`'s range,
/// rounded down.
pub(crate) fn time(value: f64, name: &str) -> Out<i64> {
    match given(value) {
        None => clock(),
        // The range of a JavaScript Date: ±8.64e15 ms.
        Some(n) if n.is_finite() && n.abs() <= 8.64e15 => Ok(floor(n)),
        Some(_) => Err(Message::new(Code::InvalidTimestamp)
            .with(name)
            .with(" must be a finite number of milliseconds within the range of a Date")
            .done()),
    }
}

/// `Date.now()`, checked: a host whose clock fails (or was replaced) is an internal error.
pub(crate) fn clock() -> Out<i64> {
    let ms = now();
    if ms.is_finite() && ms.abs() <= 8.64e15 {
        Ok(floor(ms))
    } else {
        Err(internal("clock"))
    }
}

/// A number as JavaScript's `String(n)` writes it, for a message such as "not 6.5": any
/// number under 2^31 in size with at most six decimals.
///
/// Such a number is `k / 10^6` for a whole `k`, and it is shown when dividing `k` back
/// gives `n`: division rounds correctly, as parsing the decimal does. Below 2^31 doubles
/// lie closer than 10^-6, so no other decimal of six places gives `n`, and JavaScript's
/// shortest form is this one.
pub(crate) struct Shown {
    negative: bool,
    millionths: u64,
}

impl Shown {
    /// The number, or `None` for one that cannot be shown so.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    pub(crate) fn of(n: f64) -> Option<Shown> {
        let size = if n < 0.0 { -n } else { n };
        if size.is_nan() || size >= 2_147_483_648.0 {
            return None;
        }
        let millionths = (size * 1e6 + 0.5) as u64;
        (millionths as f64 / 1e6 == size).then_some(Shown {
            // -0 is written "0".
            negative: n < 0.0,
            millionths,
        })
    }

    pub(crate) fn write(self, out: &mut impl Sink) {
        if self.negative {
            out.text("-");
        }
        out.num(self.millionths / 1_000_000);
        let mut fraction = self.millionths % 1_000_000;
        if fraction != 0 {
            let mut scale = 100_000;
            while fraction.is_multiple_of(10) {
                fraction /= 10;
                scale /= 10;
            }
            out.text(".");
            while scale > 0 {
                out.num(fraction / scale % 10);
                scale /= 10;
            }
        }
    }
}

/// A whole-number option from 0 to 2^32 − 1, or `default` when absent.
pub(crate) fn u32_option(value: f64, name: &str, default: u32) -> Out<u32> {
    match given(value) {
        None => Ok(default),
        Some(n) => whole(n, f64::from(u32::MAX))
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| option_failure(name, "number")),
    }
}

/// A lifetime option in milliseconds, or `default`.
pub(crate) fn ms_option(value: f64, name: &str, default: i64) -> Out<i64> {
    match given(value) {
        None => Ok(default),
        Some(n) => whole(n, MAX_SAFE_INTEGER)
            .and_then(|n| i64::try_from(n).ok())
            .ok_or_else(|| option_failure(name, "ms")),
    }
}

/// A counter: a number, or the decimal text of a bigint (when `text` is given), from 0 to
/// 2^64 − 1; and whether it was a bigint. `None` when absent.
pub(crate) fn counter(number: f64, text: Option<&str>) -> Out<Option<(u64, bool)>> {
    if let Some(text) = text {
        return crate::transfer::uri::decimal(text.as_bytes())
            .map(|c| Some((c, true)))
            .ok_or_else(|| {
                fail(
                    Code::InvalidCounter,
                    "counter must be a bigint from 0 to 2^64 - 1",
                )
            });
    }
    let Some(n) = given(number) else {
        return Ok(None);
    };
    whole(n, MAX_SAFE_INTEGER)
        .map(|c| Some((c, false)))
        .ok_or_else(|| {
            fail(
                Code::InvalidCounter,
                "counter must be a whole number from 0 to Number.MAX_SAFE_INTEGER, or a bigint",
            )
        })
}

/// A counter as JavaScript gets it back, as decimal text: with an `n` after it when it
/// is a bigint (when the counter it came from was one, or past `Number.MAX_SAFE_INTEGER`).
pub(crate) fn counter_text(counter: u64, bigint: bool) -> String {
    let mut text = String::new();
    crate::error::Sink::num(&mut text, counter);
    if bigint || counter > MAX_SAFE_INTEGER as u64 {
        text.push('n');
    }
    text
}

/// The platform's CSPRNG (`crypto.getRandomValues`), the entropy every export that draws
/// randomness passes to the core. It fills at most 65,536 bytes at a time.
pub(crate) fn csprng(buf: &mut [u8]) -> Result<(), crate::EntropyError> {
    for chunk in buf.chunks_mut(65_536) {
        if !random(chunk) {
            return Err(crate::EntropyError);
        }
    }
    Ok(())
}

/// A record read back from its JSON text, or `INVALID_RECORD` naming the field at fault.
#[cfg(feature = "flows")]
pub(crate) fn record<T: super::record::FromJson>(text: &str) -> Out<T> {
    super::record::from_json(text).map_err(|field| {
        if !text.starts_with(['{', '[']) {
            fail(Code::InvalidRecord, "record must be an object")
        } else if field.is_empty() {
            type_error("record")
        } else {
            Error::new(crate::error::ErrorKind::Record(field)).into()
        }
    })
}
