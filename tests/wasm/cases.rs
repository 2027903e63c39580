//! The binding's own rules, inside WebAssembly: every export called from Rust through the
//! buffers as the JavaScript layer calls it (`twofa::wasm::testing`). Included by
//! `wasm_node.rs` (Node) and `wasm_browser.rs` (headless Chromium), so both engines run
//! the same cases. The public JavaScript API is tested through the built package
//! (`tests/js`); these check what only the module can show: how deep each export's stack
//! goes against the scrub it declares, what its failures write, how it answers, and that
//! freed heap memory is zeroed.
//!
//! Built with every entry's feature and `js-testing`, which turns the scrub off so the
//! depths can be seen.

use serde_json::Value;
use twofa::wasm::{clock, flows, import, migration, otp, qr, testing, uri, vault};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

const ABSENT: u32 = u32::MAX;
const SECRET_20: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// Writes texts into the input buffer; their lengths.
fn texts(parts: &[Option<&str>]) -> Vec<u32> {
    let parts: Vec<Option<&[u8]>> = parts.iter().map(|p| p.map(str::as_bytes)).collect();
    testing::input(&parts)
}

fn text(part: &str) -> u32 {
    texts(&[Some(part)])[0]
}

/// A short ASCII text as the JavaScript layer packs it into a number (`pack` in
/// js/runtime.ts).
fn pack(text: &str) -> f64 {
    assert!(text.len() <= 7 && text.is_ascii());
    let bits = text.bytes().rev().fold(0u64, |n, b| n << 7 | u64::from(b));
    (bits + ((text.len() as u64) << 49)) as f64
}

/// The answer in the output buffer, as text.
fn answer() -> String {
    String::from_utf8(testing::output()).unwrap()
}

/// The answer as JSON.
fn json() -> Value {
    serde_json::from_str(&answer()).unwrap()
}

/// Asserts a call failed (`NaN`) with this code and message in the output buffer.
fn fails(result: f64, code: &str, message: &str) {
    assert!(result.is_nan(), "expected a failure, got {result}");
    let (got_code, got_message) = testing::failure();
    assert_eq!((got_code.as_str(), got_message.as_str()), (code, message));
}

/// A TOTP or HOTP generator from base32 text and options, by `otp_new`.
fn generator(hotp: bool, secret: &str, algorithm: &str, digits: f64, encoder: Option<&str>) -> u32 {
    let lens = texts(&[Some(secret), Some(algorithm), encoder]);
    let handle = otp::otp_new(
        hotp,
        false,
        0,
        lens[0],
        lens[1],
        digits,
        f64::NAN,
        f64::NAN,
        f64::NAN,
        ABSENT,
        lens[2],
        ABSENT,
        ABSENT,
        ABSENT,
    );
    assert!(handle >= 1.0, "{:?}", testing::failure());
    handle as u32
}

/// A code from `otp_generate`'s answer: `v + d * 2^34`, or minus a Steam code's length.
fn code(answer: f64) -> String {
    assert!(!answer.is_nan(), "{:?}", testing::failure());
    if answer < 0.0 {
        let text = self::answer();
        assert_eq!(text.len() as f64, -answer);
        return text;
    }
    let digits = (answer / 2f64.powi(34)).floor();
    let value = answer - digits * 2f64.powi(34);
    format!("{:0width$}", value as u64, width = digits as usize)
}

#[wasm_bindgen_test]
fn rfc_6238_and_4226_codes_are_answered_as_numbers() {
    let sha1 = generator(false, SECRET_20, "SHA1", 8.0, None);
    let sha256 = generator(
        false,
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA",
        "SHA256",
        8.0,
        None,
    );
    for (at, one, two) in [
        (59_000.0, "94287082", "46119246"),
        (1_111_111_109_000.0, "07081804", "68084774"),
        (20_000_000_000_000.0, "65353130", "77737706"),
    ] {
        assert_eq!(code(otp::otp_generate(sha1, at, ABSENT)), one);
        assert_eq!(code(otp::otp_generate(sha256, at, ABSENT)), two);
    }
    // Ten digits keep their leading zero.
    let hotp = generator(true, SECRET_20, "SHA1", 10.0, None);
    assert_eq!(code(otp::otp_generate(hotp, 2.0, ABSENT)), "0137359152");
    // A bigint counter comes as its digits (RFC 4226's counter 2^32, "999456" in six
    // digits; ten digits as node:crypto's HMAC-SHA-1 gives them).
    assert_eq!(
        code(otp::otp_generate(hotp, f64::NAN, text("4294967296"))),
        "0255999456"
    );
    // Steam codes come as text.
    let steam = generator(false, "BASE32SECRET3232", "SHA1", f64::NAN, Some("steam"));
    assert_eq!(code(otp::otp_generate(steam, 0.0, ABSENT)), "2TC8B");
    for h in [sha1, sha256, hotp, steam] {
        otp::otp_free(h);
    }
}

#[wasm_bindgen_test]
fn failures_write_their_code_and_message_and_the_module_goes_on() {
    fails(
        otp::secret_from_base32(text("JBSW!")),
        "INVALID_BASE32",
        "invalid base32 character at position 5",
    );
    fails(
        otp::secret_text(0, false),
        "OBJECT_FREED",
        "this object was freed and cannot be used any more",
    );
    fails(
        otp::secret_text(u32::MAX, false),
        "OBJECT_FREED",
        "this object was freed and cannot be used any more",
    );
    fails(
        otp::otp_new(
            false,
            false,
            0,
            text(SECRET_20),
            ABSENT,
            6.5,
            f64::NAN,
            f64::NAN,
            f64::NAN,
            ABSENT,
            ABSENT,
            ABSENT,
            ABSENT,
            ABSENT,
        ),
        "INVALID_DIGITS",
        "digits must be a whole number from 6 to 10, not 6.5",
    );
    fails(
        uri::parse_uri(text("otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP")),
        "INVALID_URI",
        "uri has no counter parameter",
    );
    fails(
        testing::fail_type(text("window.past")),
        "INVALID_WINDOW",
        "window.past must be a whole number of steps",
    );
    fails(
        testing::fail_type(text("ttl:ms")),
        "INVALID_OPTIONS",
        "ttl must be a whole number of milliseconds",
    );
    fails(
        testing::fail_length(text("uri"), 70_000.0),
        "INVALID_URI",
        "uri is 70000 bytes long; the most is 65536",
    );
    fails(
        testing::fail_internal(text("RangeError")),
        "INTERNAL_ERROR",
        "internal error (RangeError)",
    );
    // A name that is not plain letters and digits is not repeated.
    fails(
        testing::fail_internal(text("a b")),
        "INTERNAL_ERROR",
        "internal error",
    );
    // A packed token that `pack` could not have written is refused, not read.
    let totp = generator(false, SECRET_20, "SHA1", 6.0, None);
    // Eight characters, a fraction, stray bits past the one character, negative, infinite.
    let stray = (1u64 << 49 | 0x32 << 7 | 0x31) as f64;
    for packed in [
        8.0 * 2f64.powi(49),
        2f64.powi(52) - 0.5,
        stray,
        -1.0,
        f64::INFINITY,
    ] {
        fails(
            otp::totp_verify(totp, 0, packed, 1e12, 1.0, 1.0, f64::NAN),
            "INTERNAL_ERROR",
            "internal error (packed)",
        );
    }
    // One packed the right way reads as its text.
    let code = code(otp::otp_generate(totp, 1e12, ABSENT));
    let step = (1e12 / 30_000f64).floor();
    let packed = pack(&format!("{} {}", &code[..3], &code[3..]));
    let r = otp::totp_verify(totp, 0, packed, 1e12, 1.0, 1.0, f64::NAN);
    assert_eq!(r, step * 2048.0 + 1024.0);
    otp::otp_free(totp);
    // And a freed handle's slot is given to the next object.
    let secret = otp::secret_generate(f64::NAN);
    otp::secret_free(secret as u32);
    fails(
        otp::secret_size(secret as u32),
        "OBJECT_FREED",
        "this object was freed and cannot be used any more",
    );
    assert_eq!(otp::secret_generate(f64::NAN), secret);
    assert_eq!(otp::secret_size(secret as u32), 40.0);
    otp::secret_free(secret as u32);
}

/// An Aegis export of one account of `secret`, encrypted when `password` is given.
fn aegis_export(secret: &str, password: Option<&str>) -> String {
    import::aegis_export_begin();
    let lens = texts(&[
        Some(secret),
        Some("SHA512"),
        None,
        None,
        Some("ACME"),
        Some("ada"),
        None,
        Some("ACME"),
    ]);
    let added = import::aegis_export_add(
        false,
        lens[0],
        lens[1],
        8.0,
        60.0,
        f64::NAN,
        lens[2],
        lens[3],
        lens[4],
        lens[5],
        lens[6],
        lens[7],
    );
    assert_eq!(added, 0.0);
    assert!(import::aegis_export_finish(texts(&[password])[0]) > 0.0);
    answer()
}

#[wasm_bindgen_test]
fn imports_read_exports_and_their_failures_say_why() {
    // An Aegis export written here reads back, plain and encrypted.
    let plain = aegis_export(SECRET_20, None);
    let lens = testing::input(&[Some(plain.as_bytes()), None]);
    assert!(import::import_accounts(lens[0], lens[1], f64::NAN) > 0.0);
    let read = json();
    assert_eq!(read["format"], "aegis");
    assert_eq!(read["accounts"][0]["secret"], SECRET_20);
    assert_eq!(read["accounts"][0]["algorithm"], "SHA512");
    assert_eq!(read["accounts"][0]["index"], 0);
    let sealed = aegis_export(SECRET_20, Some("pw"));
    let lens = texts(&[Some(&sealed), None]);
    fails(
        import::import_accounts(lens[0], lens[1], f64::NAN),
        "PASSWORD_REQUIRED",
        "the Aegis export is encrypted: give its password",
    );
    let lens = texts(&[Some(&sealed), Some("pw")]);
    fails(
        import::import_accounts(lens[0], lens[1], 16.0),
        "IMPORT_LIMIT",
        "scrypt memory (KiB) is 32771, over the limit of 16384",
    );
    // maxMemoryMiB: a whole number from 1 to 1024.
    for bad in [0.0, 1025.0, 1.5, f64::INFINITY, -1.0] {
        let lens = texts(&[Some(&plain), None]);
        fails(
            import::import_accounts(lens[0], lens[1], bad),
            "INVALID_OPTIONS",
            "maxMemoryMiB must be a whole number from 1 to 1024",
        );
    }
    let long = "x".repeat(1025);
    let lens = texts(&[Some(&plain), Some(&long)]);
    fails(
        import::import_accounts(lens[0], lens[1], f64::NAN),
        "INVALID_OPTIONS",
        "password must be at most 1024 characters",
    );
    let lens = testing::input(&[Some(&[0x89, b'P', b'N', b'G']), None]);
    fails(
        import::import_accounts(lens[0], lens[1], f64::NAN),
        "UNSUPPORTED_FORMAT",
        "not an export twofa reads: it is an image: read its QR code with twofa/qr, then import the text",
    );
    // What the JavaScript layer refuses before copying in, worded here.
    fails(
        testing::fail_length(text("importInput"), 40_000_000.0),
        "IMPORT_LIMIT",
        "input (bytes) is 40000000, over the limit of 33554432",
    );
    fails(
        testing::fail_length(text("password:lone"), 3.0),
        "INVALID_OPTIONS",
        "password has a lone surrogate at utf-16 index 3: it must be well-formed text",
    );
    fails(
        testing::fail_type(text("importInput")),
        "INVALID_OPTIONS",
        "input must be a string or a Uint8Array: the export's text or bytes",
    );
    // A refused account names its index, and the export starts again empty.
    import::aegis_export_begin();
    let lens = texts(&[Some("A"), None, None, None, None, None, None, None]);
    fails(
        import::aegis_export_add(
            false,
            lens[0],
            lens[1],
            f64::NAN,
            f64::NAN,
            f64::NAN,
            lens[2],
            lens[3],
            lens[4],
            lens[5],
            lens[6],
            lens[7],
        ),
        "INVALID_BASE32",
        "account 0: invalid base32 length: 1 character cannot encode whole bytes",
    );
}

/// `String(n)` in this engine.
fn js_string(n: f64) -> String {
    String::from(js_sys::Number::from(n).to_string_with_radix(10).unwrap())
}

#[wasm_bindgen_test]
fn numbers_in_messages_are_written_as_javascript_writes_them() {
    let mut numbers = vec![
        0.0,
        -0.0,
        6.5,
        -6.5,
        0.1,
        0.000001,
        0.123456,
        1.5e-6,
        1e-7,
        7.0,
        2147483647.0,
        2147483647.5,
        2147483648.0,
        -2147483647.999999,
        1e21,
        1.0 / 3.0,
        2.0 / 3.0,
        0.3,
        0.1 + 0.2,
        123456.654321,
        1e308,
        f64::MIN_POSITIVE,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
    ];
    // And a spread of decimals with up to six places, and of arbitrary doubles.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..20_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let places = (state % 7) as i32;
        numbers.push(
            ((state >> 8) % 4_000_000_000) as f64 / 10f64.powi(places)
                * if state & 1 == 0 { 1.0 } else { -1.0 },
        );
        numbers.push(f64::from_bits(state >> 1));
    }
    let mut shown = 0;
    for n in numbers {
        match testing::shown(n) {
            Some(text) => {
                assert_eq!(text, js_string(n), "{n:?}");
                shown += 1;
            }
            // What is not shown has more than six decimals, or is at least 2^31 in size,
            // or is not finite.
            None => assert!(
                !n.is_finite()
                    || n.abs() >= 2_147_483_648.0
                    || (n * 1e6).fract() != 0.0
                    || js_string(n).contains('e'),
                "{n:?} ({}) could be shown",
                js_string(n)
            ),
        }
    }
    assert!(shown > 15_000, "{shown}");
}

#[wasm_bindgen_test]
fn freed_heap_blocks_are_zeroed() {
    for len in [16usize, 100, 4096, 100_000] {
        // Bytes that no allocator bookkeeping would write four in a row.
        let block: Vec<u8> = (0..len).map(|i| (i * 7 + 13) as u8 | 0x80).collect();
        let copy = block.clone();
        let mut seen = vec![0u8; len];
        let at = block.as_ptr() as usize;
        let runs = |bytes: &[u8]| {
            bytes
                .windows(4)
                .enumerate()
                .filter(|(i, w)| *w == &copy[*i..*i + 4])
                .count()
        };
        read_memory(at, &mut seen);
        assert_eq!(runs(&seen), len - 3, "the detector sees the block");
        drop(block);
        read_memory(at, &mut seen);
        let survived = runs(&seen);
        assert_eq!(
            survived, 0,
            "a freed block of {len} bytes kept {survived} runs of its bytes"
        );
    }
}

// ---------------------------------------------------------------------------------------
// The stack each export uses, against the scrub it declares

/// Bytes of stack painted below the measuring frame: more than the deepest export uses.
const PAINT: usize = 192 * 1024;
const PAINT_BYTE: u8 = 0xa5;

#[inline(never)]
fn paint() {
    let mut canvas = [PAINT_BYTE; PAINT];
    core::hint::black_box(&mut canvas);
}

/// How many bytes of stack below this function's frame `call` wrote: the stack is painted,
/// `call` runs, and the lowest byte no longer painted tells.
#[inline(never)]
fn depth(call: &mut dyn FnMut()) -> usize {
    let marker = 0u8;
    let top = core::ptr::addr_of!(marker) as usize;
    // Allocated first: growing memory while a view is held would detach it.
    let mut below = vec![0u8; PAINT];
    paint();
    call();
    read_memory(top - PAINT, &mut below);
    PAINT - below.iter().position(|&b| b != PAINT_BYTE).unwrap_or(PAINT)
}

/// Copies linear memory at `at` into `out`, through a view made just for the copy.
fn read_memory(at: usize, out: &mut [u8]) {
    let memory = wasm_bindgen::memory().unchecked_into::<js_sys::WebAssembly::Memory>();
    js_sys::Uint8Array::new(&memory.buffer())
        .subarray(at as u32, (at + out.len()) as u32)
        .copy_to(out);
}

/// A call of one export with inputs that take it deep: the longest secret, SHA-512, the
/// longest labels, a QR code to decode.
struct Case {
    export: &'static str,
    call: Box<dyn FnMut()>,
}

fn case(export: &'static str, call: impl FnMut() + 'static) -> Case {
    Case {
        export,
        call: Box::new(call),
    }
}

/// base32 of `len` bytes.
fn base32_of(len: usize) -> String {
    let secret = otp::secret_from_bytes(testing::input(&[Some(&vec![0x5a; len])])[0]) as u32;
    otp::secret_text(secret, false);
    otp::secret_free(secret);
    answer()
}

/// The QR code of `text` as RGBA pixels, 4 pixels a module with a 4-module margin.
fn qr_pixels(content: &str) -> (usize, Vec<u8>) {
    let lens = texts(&[Some(content), None]);
    let size = qr::qr_matrix(lens[0], lens[1]) as usize;
    let modules = testing::output();
    let side = (size + 8) * 4;
    let mut pixels = vec![255u8; side * side * 4];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = ((x / 4) as isize - 4, (y / 4) as isize - 4);
            if mx >= 0
                && my >= 0
                && (mx as usize) < size
                && (my as usize) < size
                && modules[my as usize * size + mx as usize] == 1
            {
                pixels[(y * side + x) * 4..(y * side + x) * 4 + 3].fill(0);
            }
        }
    }
    (side, pixels)
}

#[allow(clippy::too_many_lines)] // one case an export: the table reads best whole
fn cases() -> Vec<Case> {
    let long = base32_of(1024);
    let sha512 = generator(false, &base32_of(200), "SHA512", 10.0, None);
    let hotp512 = generator(true, &base32_of(200), "SHA512", 10.0, None);
    // A generator keys its HMAC with its first code: each code export gets generators of
    // its own, so its case measures that first, keying call.
    let verify512 = generator(false, &base32_of(200), "SHA512", 10.0, None);
    let packed512 = generator(false, &base32_of(200), "SHA512", 6.0, None);
    let hotp_verify512 = generator(true, &base32_of(200), "SHA512", 10.0, None);
    let resync512 = generator(true, &base32_of(200), "SHA512", 10.0, None);
    let secret = otp::secret_from_bytes(testing::input(&[Some(&[7; 1024])])[0]) as u32;
    let other = otp::secret_generate(64.0) as u32;
    let label = "é".repeat(1000);
    let uri_text = {
        let lens = texts(&[
            Some(&base32_of(200)),
            Some("SHA512"),
            None,
            Some(&label),
            Some(&label),
            Some(&label),
        ]);
        otp::otp_new(
            false,
            true,
            0,
            lens[0],
            lens[1],
            8.0,
            60.0,
            f64::NAN,
            f64::NAN,
            ABSENT,
            lens[2],
            lens[3],
            lens[4],
            lens[5],
        );
        answer()
    };
    let (side, pixels) = qr_pixels(&uri_text[..1000]);
    let migration_uri = {
        migration::migration_begin();
        let lens = texts(&[
            Some(&base32_of(200)),
            Some("SHA512"),
            None,
            Some("ACME"),
            Some("ada"),
        ]);
        migration::migration_add(
            false,
            lens[0],
            lens[1],
            8.0,
            f64::NAN,
            f64::NAN,
            ABSENT,
            lens[2],
            lens[3],
            lens[4],
            ABSENT,
        );
        migration::migration_finish();
        json()["uris"][0].as_str().unwrap().to_owned()
    };
    let key = vault::vault_derive(text("a passphrase"), 7168.0, 5.0) as u32;
    vault::vault_seal(key, text(&"x".repeat(10_000)));
    let sealed = answer();
    let framed_key = {
        let mut framed = vec![0u8];
        framed.extend_from_slice(&1024u32.to_le_bytes());
        framed.extend_from_slice(&[9; 1024]);
        framed
    };
    flows::backup::generate_backup_codes(
        testing::input(&[Some(&framed_key)])[0],
        f64::NAN,
        100.0,
        f64::NAN,
    );
    let backup = json();
    flows::recovery::issue_recovery_code(text("ada"), f64::NAN, f64::NAN, f64::NAN);
    let recovery = json();
    flows::verification::issue_verification_code(f64::NAN, 10.0, f64::NAN, f64::NAN, f64::NAN);
    let verification = json();
    let device_token = {
        let lens = testing::input(&[
            Some(&framed_key),
            Some(b"ada"),
            Some(b"device"),
            Some(b"label"),
        ]);
        flows::device::issue_device_token(lens[0], lens[1], lens[2], lens[3], f64::NAN, f64::NAN);
        json()["token"].as_str().unwrap().to_owned()
    };
    let link_state = "s".repeat(4096);
    let action_link = {
        let lens = testing::input(&[
            Some(&framed_key),
            Some(b"reset-totp"),
            Some(b"ada"),
            Some(link_state.as_bytes()),
        ]);
        flows::link::issue_action_link(lens[0], lens[1], lens[2], lens[3], f64::NAN, f64::NAN);
        json()["token"].as_str().unwrap().to_owned()
    };
    // Security answers at their longest: ten questions and ten answers of 256 characters.
    let questions_json = serde_json::to_string(
        &(0..10)
            .map(|i| format!("{i}{}", "é".repeat(255)))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let answers_json = serde_json::to_string(&vec!["ẞ".repeat(256); 10]).unwrap();
    let answers_record = {
        let lens = texts(&[Some(&questions_json), Some(&answers_json), None]);
        flows::answers::hash_security_answers(lens[0], lens[1], lens[2], f64::NAN);
        answer()
    };
    let owned = |value: &Value| value.to_string();
    let backup_record = owned(&backup["record"]);
    let backup_code = backup["codes"][99].as_str().unwrap().to_owned();
    let backup_codes = owned(&backup["codes"]);
    let recovery_records = format!("[{}]", owned(&recovery["record"]));
    let recovery_code = recovery["code"].as_str().unwrap().to_owned();
    let verification_record = owned(&verification["record"]);
    let verification_code = verification["code"].as_str().unwrap().to_owned();
    let (framed_b, framed_c, backup_record_c, framed_l, framed_m, state_l, state_m) = (
        framed_key.clone(),
        framed_key.clone(),
        backup_record.clone(),
        framed_key.clone(),
        framed_key.clone(),
        link_state.clone(),
        link_state.clone(),
    );
    let sealed_aegis = aegis_export(&base32_of(200), Some("pw"));
    let (long_b, long_c, label_b) = (long.clone(), long.clone(), label.clone());
    let (long_a, uri_a, mig_a, mig_b, framed_a, token_a) = (
        long.clone(),
        uri_text.clone(),
        migration_uri.clone(),
        migration_uri.clone(),
        framed_key.clone(),
        device_token.clone(),
    );
    vec![
        case("secret_generate", || {
            otp::secret_free(otp::secret_generate(64.0) as u32);
        }),
        case("secret_from_base32", move || {
            otp::secret_free(otp::secret_from_base32(text(&long_a)) as u32);
        }),
        case("secret_from_bytes", || {
            otp::secret_free(otp::secret_from_bytes(testing::input(&[Some(&[3; 1024])])[0]) as u32);
        }),
        case("secret_text", move || {
            otp::secret_text(secret, true);
        }),
        case("secret_bytes", move || {
            otp::secret_bytes(secret);
        }),
        case("secret_size", move || {
            otp::secret_size(secret);
        }),
        case("secret_clone", move || {
            otp::secret_free(otp::secret_clone(secret) as u32);
        }),
        case("secret_equals", move || {
            otp::secret_equals(secret, other);
        }),
        case("secret_free", || {
            otp::secret_free(otp::secret_generate(64.0) as u32);
        }),
        case("otp_new", move || {
            let lens = texts(&[
                Some(&long),
                Some("SHA512"),
                None,
                Some(&label),
                Some(&label),
                Some(&label),
            ]);
            otp::otp_new(
                false,
                true,
                0,
                lens[0],
                lens[1],
                8.0,
                60.0,
                f64::NAN,
                f64::NAN,
                ABSENT,
                lens[2],
                lens[3],
                lens[4],
                lens[5],
            );
            let lens = texts(&[Some(&long), Some("SHA512")]);
            otp::otp_free(otp::otp_new(
                true,
                false,
                0,
                lens[0],
                lens[1],
                8.0,
                f64::NAN,
                f64::NAN,
                7.0,
                ABSENT,
                ABSENT,
                ABSENT,
                ABSENT,
                ABSENT,
            ) as u32);
        }),
        case("otp_from_uri", move || {
            otp::otp_free(otp::otp_from_uri(text(&uri_a), false) as u32);
        }),
        case("otp_to_uri", move || {
            otp::otp_to_uri(sha512);
        }),
        case("otp_info", move || {
            otp::otp_info(sha512);
        }),
        case("otp_secret", move || {
            otp::secret_free(otp::otp_secret(sha512) as u32);
        }),
        case("otp_generate", move || {
            otp::otp_generate(sha512, 1e12, ABSENT);
            otp::otp_generate(hotp512, f64::NAN, text("18446744073709551615"));
        }),
        case("totp_verify", move || {
            otp::totp_verify(
                verify512,
                text("0123456789"),
                f64::NAN,
                1e12,
                1000.0,
                1000.0,
                f64::NAN,
            );
            // A typed code that crosses as a number, through the whole window.
            otp::totp_verify(
                packed512,
                0,
                pack("012 345"),
                1e12,
                1000.0,
                1000.0,
                f64::NAN,
            );
        }),
        case("hotp_verify", move || {
            let lens = texts(&[Some("0123456789"), Some("18446744073709550000")]);
            otp::hotp_verify(hotp_verify512, lens[0], f64::NAN, lens[1], 1000.0);
        }),
        case("otp_matched", move || {
            otp::otp_matched(sha512);
        }),
        case("totp_time", move || {
            otp::totp_time(sha512, 1e12, true);
        }),
        case("hotp_resync", move || {
            let lens = texts(&[Some("0123456789"), Some("9876543210")]);
            otp::hotp_resync(resync512, lens[0], lens[1], 0.0, ABSENT, 10_000.0);
        }),
        case("otp_free", || {
            otp::otp_free(generator(false, SECRET_20, "SHA512", 6.0, None));
        }),
        case("check_token", || {
            let lens = texts(&[Some(" 0123-45678 9 "), Some("steam")]);
            otp::check_token(lens[0], f64::NAN, lens[1]);
        }),
        case("clock_offset", || {
            clock::clock_offset(
                text("Wednesday, 09-Nov-94 08:49:37 GMT"),
                784_456_777_000.0,
                784_456_777_200.5,
            );
        }),
        case("clock_is_off", || {
            clock::clock_is_off(-125_400.0, 600.0, 30.0);
        }),
        case("parse_uri", move || {
            uri::parse_uri(text(&uri_text));
        }),
        case("qr_svg", move || {
            let lens = texts(&[Some(&migration_uri), Some("L"), Some("#123"), None]);
            qr::qr_svg(lens[0], lens[1], 8.0, lens[2], lens[3], true);
        }),
        case("qr_matrix", move || {
            let lens = texts(&[Some(&mig_a), Some("H")]);
            qr::qr_matrix(lens[0], lens[1]);
        }),
        case("decode_qr", move || {
            let len = testing::input(&[Some(&pixels)])[0];
            qr::decode_qr(side as f64, side as f64, len, f64::from(len));
        }),
        case("parse_migration_uri", move || {
            migration::parse_migration_uri(text(&mig_b));
        }),
        case("migration_begin", || {
            migration::migration_begin();
        }),
        case("migration_add", || {
            migration::migration_begin();
            let lens = texts(&[
                Some(&base32_of(200)),
                Some("SHA512"),
                None,
                Some("ACME"),
                Some("ada"),
            ]);
            migration::migration_add(
                true,
                lens[0],
                lens[1],
                8.0,
                f64::NAN,
                5.0,
                ABSENT,
                lens[2],
                lens[3],
                lens[4],
                ABSENT,
            );
        }),
        case("migration_finish", || {
            migration::migration_finish();
        }),
        case("import_accounts", move || {
            // The deepest read there is yet: JSON, scrypt at Aegis' cost, AES-GCM, the
            // entries of the decrypted database.
            let lens = texts(&[Some(&sealed_aegis), Some("pw")]);
            import::import_accounts(lens[0], lens[1], f64::NAN);
        }),
        case("aegis_export_begin", || {
            import::aegis_export_begin();
        }),
        case("aegis_export_add", move || {
            import::aegis_export_begin();
            let lens = texts(&[
                Some(&long_b),
                Some("SHA512"),
                None,
                None,
                Some(&label_b),
                Some(&label_b),
                Some(&label_b),
                Some(&label_b),
            ]);
            import::aegis_export_add(
                false,
                lens[0],
                lens[1],
                10.0,
                60.0,
                f64::NAN,
                lens[2],
                lens[3],
                lens[4],
                lens[5],
                lens[6],
                lens[7],
            );
        }),
        case("aegis_export_finish", move || {
            aegis_export(&long_c, Some("pw"));
        }),
        case("vault_derive", || {
            vault::vault_free(vault::vault_derive(text("a passphrase"), 7168.0, 5.0) as u32);
        }),
        case("vault_unlock", move || {
            let lens = texts(&[Some("a passphrase"), Some(&sealed)]);
            vault::vault_free(vault::vault_unlock(lens[0], lens[1], f64::NAN, f64::NAN) as u32);
        }),
        case("vault_from_bytes", || {
            vault::vault_free(vault::vault_from_bytes(testing::input(&[Some(&[1; 64])])[0]) as u32);
        }),
        case("vault_to_bytes", move || {
            vault::vault_to_bytes(key);
        }),
        case("vault_seal", move || {
            vault::vault_seal(key, text(&"y".repeat(10_000)));
        }),
        case("vault_open", move || {
            vault::vault_open(key, text(&sealed_text_again(key)));
        }),
        case("vault_params", move || {
            vault::vault_params(key);
        }),
        case("vault_free", || {
            vault::vault_free(vault::vault_from_bytes(testing::input(&[Some(&[1; 64])])[0]) as u32);
        }),
        case("hash_security_answers", {
            let (questions, answers, record) = (
                questions_json.clone(),
                answers_json.clone(),
                answers_record.clone(),
            );
            move || {
                let lens = texts(&[Some(&questions), Some(&answers), Some(&record)]);
                flows::answers::hash_security_answers(lens[0], lens[1], lens[2], f64::NAN);
            }
        }),
        case("verify_security_answers", move || {
            let lens = texts(&[Some(&answers_record), Some(&answers_json)]);
            flows::answers::verify_security_answers(lens[0], lens[1]);
        }),
        case("normalize_security_answer", || {
            flows::answers::normalize_security_answer(text(&"ẞ\u{FDFA}".repeat(128)));
        }),
        case("generate_backup_codes", move || {
            let key = testing::input(&[Some(&framed_b)])[0];
            flows::backup::generate_backup_codes(key, 41.0, 100.0, f64::NAN);
        }),
        case("reveal_backup_codes", move || {
            let lens = testing::input(&[Some(&framed_c), Some(backup_record_c.as_bytes())]);
            flows::backup::reveal_backup_codes(lens[0], lens[1]);
        }),
        case("verify_backup_code", move || {
            let lens = texts(&[Some(&backup_record), Some(&backup_code)]);
            flows::backup::verify_backup_code(lens[0], lens[1]);
        }),
        case("backup_codes_text", move || {
            let lens = texts(&[Some(&backup_codes), Some("ada"), Some("ACME")]);
            flows::backup::backup_codes_text(lens[0], lens[1], lens[2], f64::NAN);
        }),
        case("issue_recovery_code", || {
            flows::recovery::issue_recovery_code(text("ada"), 7.0, f64::NAN, f64::NAN);
        }),
        case("verify_recovery_code", move || {
            let lens = texts(&[Some(&recovery_records), Some("ada"), Some(&recovery_code)]);
            flows::recovery::verify_recovery_code(lens[0], lens[1], lens[2], f64::NAN);
        }),
        case("issue_verification_code", || {
            flows::verification::issue_verification_code(3.0, 10.0, f64::NAN, f64::NAN, f64::NAN);
        }),
        case("verify_verification_code", move || {
            let lens = texts(&[Some(&verification_record), Some(&verification_code)]);
            flows::verification::verify_verification_code(lens[0], lens[1], f64::NAN);
        }),
        case("issue_device_token", move || {
            let lens = testing::input(&[
                Some(&framed_key),
                Some(b"ada"),
                Some(b"device"),
                Some(b"label"),
            ]);
            flows::device::issue_device_token(
                lens[0],
                lens[1],
                lens[2],
                lens[3],
                f64::NAN,
                f64::NAN,
            );
        }),
        case("verify_device_token", move || {
            let lens = testing::input(&[
                Some(&framed_a),
                Some(token_a.as_bytes()),
                Some(b"ada"),
                Some(b"[\"x\"]"),
            ]);
            flows::device::verify_device_token(lens[0], lens[1], lens[2], lens[3], f64::NAN);
        }),
        case("issue_action_link", move || {
            let lens = testing::input(&[
                Some(&framed_l),
                Some(b"reset-totp"),
                Some(b"ada"),
                Some(state_l.as_bytes()),
            ]);
            flows::link::issue_action_link(lens[0], lens[1], lens[2], lens[3], f64::NAN, f64::NAN);
        }),
        case("verify_action_link", move || {
            let lens = testing::input(&[
                Some(&framed_m),
                Some(action_link.as_bytes()),
                Some(b"reset-totp"),
                Some(b"ada"),
                Some(state_m.as_bytes()),
                Some(b"[\"x\"]"),
            ]);
            flows::link::verify_action_link(
                lens[0],
                lens[1],
                lens[2],
                lens[3],
                lens[4],
                lens[5],
                f64::NAN,
            );
        }),
        case("throttle_check", || {
            flows::throttle::throttle_check(text(r#"{"failures":9,"retryAt":0}"#), f64::NAN);
        }),
        case("throttle_failure", || {
            flows::throttle::throttle_failure(
                text(r#"{"failures":9,"retryAt":0}"#),
                f64::NAN,
                f64::NAN,
                f64::NAN,
                f64::NAN,
            );
        }),
        case("throttle_success", || {
            flows::throttle::throttle_success(text(
                r#"{"failures":9,"lockedUntil":0,"revision":4}"#,
            ));
        }),
    ]
}

/// A sealed vault under `key`, to open.
fn sealed_text_again(key: u32) -> String {
    vault::vault_seal(key, text(&"z".repeat(10_000)));
    answer()
}

#[wasm_bindgen_test]
fn every_export_scrubs_more_stack_than_it_uses() {
    let declared: Vec<(&str, usize)> = [
        otp::SCRUBS,
        clock::SCRUBS,
        uri::SCRUBS,
        qr::SCRUBS,
        migration::SCRUBS,
        vault::SCRUBS,
        import::SCRUBS,
        flows::answers::SCRUBS,
        flows::backup::SCRUBS,
        flows::device::SCRUBS,
        flows::link::SCRUBS,
        flows::recovery::SCRUBS,
        flows::throttle::SCRUBS,
        flows::verification::SCRUBS,
    ]
    .concat();
    let mut cases = cases();
    // Every export has a case, and every case is an export.
    let mut names: Vec<&str> = declared.iter().map(|(name, _)| *name).collect();
    let mut covered: Vec<&str> = cases.iter().map(|c| c.export).collect();
    names.sort_unstable();
    covered.sort_unstable();
    assert_eq!(covered, names);
    let mut report = Vec::new();
    for (name, scrub) in declared {
        let case = cases.iter_mut().find(|c| c.export == name).unwrap();
        let used = depth(&mut case.call);
        report.push(format!("{name}: {used} of {scrub}"));
        // An export that scrubs nothing touches no secret: its depth is not bounded.
        if scrub > 0 {
            assert!(used > 0, "{name}: no stack seen, so the measurement failed");
            assert!(
                used <= scrub,
                "{name} uses {used} bytes of stack but scrubs {scrub}"
            );
        }
    }
    wasm_bindgen_test::console_log!("{}", report.join("\n"));
}
