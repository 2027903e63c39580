//! The JavaScript API, exercised through the binding from inside WebAssembly. Included by
//! `wasm_node.rs` (Node) and `wasm_browser.rs` (headless Chromium), so both runtimes run
//! the same table of cases.

use js_sys::{Array, Object, Reflect, Uint8Array};
use twofa::wasm::{
    build_migration_uris, build_uri, decode_qr, parse_migration_uri, parse_uri, qr_matrix, qr_svg,
    JsHotp, JsSecret, JsTotp,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

/// A plain JS object from pairs.
fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

/// Asserts a thrown value is a real `Error` named TwofaError with this code and message.
fn assert_error(err: JsValue, code: &str, message: &str) {
    assert!(
        err.is_instance_of::<js_sys::Error>(),
        "not an Error: {err:?}"
    );
    let e: js_sys::Error = err.unchecked_into();
    assert_eq!(String::from(e.name()), "TwofaError");
    assert_eq!(get(&e, "code").as_string().as_deref(), Some(code));
    assert_eq!(String::from(e.message()), message);
}

const RFC6238: &[(f64, &str, &str, &str)] = &[
    (59.0, "94287082", "46119246", "90693936"),
    (1_111_111_109.0, "07081804", "68084774", "25091201"),
    (1_234_567_890.0, "89005924", "91819424", "93441116"),
    (20_000_000_000.0, "65353130", "77737706", "47863826"),
];

fn ascii_b32(seed: &str) -> JsValue {
    let bytes = Uint8Array::from(seed.as_bytes());
    JsSecret::from_bytes(bytes.into())
        .unwrap()
        .to_base32()
        .into()
}

#[wasm_bindgen_test]
fn rfc6238_through_the_js_api() {
    let seeds = [
        ("SHA1", "12345678901234567890"),
        ("SHA256", "12345678901234567890123456789012"),
        (
            "SHA512",
            "1234567890123456789012345678901234567890123456789012345678901234",
        ),
    ];
    for (i, (algorithm, seed)) in seeds.iter().enumerate() {
        let totp = JsTotp::new(obj(&[
            ("secret", ascii_b32(seed)),
            ("algorithm", (*algorithm).into()),
            ("digits", 8.into()),
        ]))
        .unwrap();
        for row in RFC6238 {
            let expected = [row.1, row.2, row.3][i];
            assert_eq!(
                totp.generate(Some((row.0 * 1000.0).into())).unwrap(),
                expected,
                "{algorithm} at {}",
                row.0
            );
        }
    }
}

#[wasm_bindgen_test]
fn hotp_counters_as_numbers_and_bigints() {
    let hotp = JsHotp::new(obj(&[("secret", ascii_b32("12345678901234567890"))])).unwrap();
    assert_eq!(hotp.generate(None).unwrap(), "755224");
    assert_eq!(hotp.generate(Some(9.into())).unwrap(), "520489");
    assert_eq!(
        hotp.generate(Some(JsValue::from(1u64 << 32))).unwrap(),
        "999456"
    );
    assert_eq!(
        hotp.generate(Some(JsValue::from(4_294_967_296.0))).unwrap(),
        "999456"
    );
    let found = hotp
        .verify(
            "969429".into(),
            Some(obj(&[("counter", 1.into()), ("window", 5.into())])),
        )
        .unwrap();
    assert_eq!(get(&found, "counter").as_f64(), Some(3.0));
    assert_eq!(get(&found, "delta").as_f64(), Some(2.0));
    let found = hotp
        .verify(
            "969429".into(),
            Some(obj(&[
                ("counter", JsValue::from(1u64)),
                ("window", 5.into()),
            ])),
        )
        .unwrap();
    assert!(get(&found, "counter").is_bigint());
    assert_eq!(get(&found, "counter"), JsValue::from(3u64));
    assert!(hotp.verify("969429".into(), None).unwrap().is_null());
    assert_error(
        hotp.generate(Some((-1).into())).unwrap_err(),
        "INVALID_COUNTER",
        "counter must be a whole number from 0 to Number.MAX_SAFE_INTEGER, or a bigint",
    );
    assert_error(
        hotp.generate(Some(1.5.into())).unwrap_err(),
        "INVALID_COUNTER",
        "counter must be a whole number from 0 to Number.MAX_SAFE_INTEGER, or a bigint",
    );
}

#[wasm_bindgen_test]
fn totp_verify_returns_step_and_delta_and_guards_replay() {
    let totp = JsTotp::new(obj(&[("secret", "JBSWY3DPEHPK3PXP".into())])).unwrap();
    let now = 1_700_000_000_000.0;
    let previous = totp.generate(Some((now - 30_000.0).into())).unwrap();
    let found = totp
        .verify(
            previous.clone().into(),
            Some(obj(&[("timestamp", now.into())])),
        )
        .unwrap();
    let step = totp.step_at(Some(now.into())).unwrap();
    assert_eq!(get(&found, "delta").as_f64(), Some(-1.0));
    assert_eq!(get(&found, "step").as_f64(), Some(step - 1.0));
    let replay = obj(&[
        ("timestamp", now.into()),
        ("afterStep", (step - 1.0).into()),
    ]);
    assert!(totp
        .verify(previous.clone().into(), Some(replay))
        .unwrap()
        .is_null());
    let narrow = obj(&[
        ("timestamp", now.into()),
        ("window", obj(&[("past", 0.into()), ("future", 1.into())])),
    ]);
    assert!(totp
        .verify(previous.into(), Some(narrow))
        .unwrap()
        .is_null());
    assert_eq!(totp.remaining(Some(now.into())).unwrap(), 10_000.0); // 1.7e12 ms is 20 s into a step
}

#[wasm_bindgen_test]
fn secrets_from_the_csprng() {
    let a = JsSecret::generate(None).unwrap();
    let b = JsSecret::generate(None).unwrap();
    assert_eq!(a.byte_length(), 20);
    assert!(!a.is_weak());
    assert!(!a.equals(&b), "two generated secrets are equal");
    assert_eq!(
        JsSecret::generate(Some(16.into())).unwrap().byte_length(),
        16
    );
    assert_eq!(
        JsSecret::generate(Some(64.into())).unwrap().byte_length(),
        64
    );
    assert_error(
        JsSecret::generate(Some(15.into())).err().unwrap(),
        "SECRET_LENGTH",
        "cannot generate a 15-byte secret; choose 16 to 64 bytes",
    );
    assert_error(
        JsSecret::generate(Some(65.into())).err().unwrap(),
        "SECRET_LENGTH",
        "cannot generate a 65-byte secret; choose 16 to 64 bytes",
    );
    // The bytes are not all zero or all the same.
    let bytes = a.to_bytes().to_vec();
    assert!(bytes.iter().any(|&x| x != bytes[0]));
}

#[wasm_bindgen_test]
fn a_secret_object_is_copied_not_taken() {
    let secret = JsSecret::from_base32("JBSW Y3DP EHPK 3PXP".into()).unwrap();
    assert!(secret.is_weak());
    let secret_js: JsValue = JsSecret::from_base32("JBSWY3DPEHPK3PXP".into())
        .unwrap()
        .into();
    let totp = JsTotp::new(obj(&[("secret", secret_js.clone())])).unwrap();
    let hotp = JsHotp::new(obj(&[("secret", secret_js.clone())])).unwrap();
    // The JS object still works after both constructors copied it.
    let base32 = Reflect::get(&secret_js, &"toBase32".into()).unwrap();
    let text = base32
        .unchecked_ref::<js_sys::Function>()
        .call0(&secret_js)
        .unwrap();
    assert_eq!(text.as_string().as_deref(), Some("JBSWY3DPEHPK3PXP"));
    assert_eq!(
        String::from(totp.secret().to_grouped()),
        "JBSW Y3DP EHPK 3PXP"
    );
    assert_eq!(
        hotp.generate(Some(0.into())).unwrap(),
        JsHotp::new(obj(&[("secret", "JBSWY3DPEHPK3PXP".into())]))
            .unwrap()
            .generate(Some(0.into()))
            .unwrap()
    );
    // Something else with a clone method is refused.
    let fake = obj(&[("clone", js_sys::Function::new_no_args("return {}").into())]);
    assert_error(
        JsTotp::new(obj(&[("secret", fake)])).err().unwrap(),
        "INVALID_OPTIONS",
        "secret must be a Secret or a base32 string",
    );
}

#[wasm_bindgen_test]
fn errors_carry_codes_and_never_the_secret() {
    let cases: Vec<(Result<JsTotp, JsValue>, &str, &str)> = vec![
        (
            JsTotp::new(obj(&[("secret", "JBSWY3DPEHPK3PX1".into())])),
            "INVALID_BASE32",
            "invalid base32 character at position 16",
        ),
        (
            JsTotp::new(obj(&[("secret", "A".into())])),
            "INVALID_BASE32",
            "invalid base32 length: 1 character cannot encode whole bytes",
        ),
        (
            JsTotp::new(obj(&[("secret", "".into())])),
            "SECRET_LENGTH",
            "secret is empty",
        ),
        (
            JsTotp::new(obj(&[
                ("secret", "JBSWY3DPEHPK3PXP".into()),
                ("digits", 5.into()),
            ])),
            "INVALID_DIGITS",
            "digits must be from 6 to 10, not 5",
        ),
        (
            JsTotp::new(obj(&[
                ("secret", "JBSWY3DPEHPK3PXP".into()),
                ("digits", 6.5.into()),
            ])),
            "INVALID_DIGITS",
            "digits must be a whole number from 6 to 10, not 6.5",
        ),
        (
            JsTotp::new(obj(&[
                ("secret", "JBSWY3DPEHPK3PXP".into()),
                ("period", 0.into()),
            ])),
            "INVALID_PERIOD",
            "period must be at least 1 second, not 0",
        ),
        (
            JsTotp::new(obj(&[
                ("secret", "JBSWY3DPEHPK3PXP".into()),
                ("period", 0.5.into()),
            ])),
            "INVALID_PERIOD",
            "period must be a whole number of seconds from 1 to 2^32 - 1",
        ),
        (
            JsTotp::new(obj(&[
                ("secret", "JBSWY3DPEHPK3PXP".into()),
                ("algorithm", "MD5".into()),
            ])),
            "UNSUPPORTED_ALGORITHM",
            "unsupported algorithm; use SHA1, SHA256 or SHA512",
        ),
        (
            JsTotp::new(obj(&[
                ("secret", "JBSWY3DPEHPK3PXP".into()),
                ("encoder", "base64".into()),
            ])),
            "INVALID_ENCODER",
            "unsupported encoder; the only encoder is \"steam\"",
        ),
        (
            JsTotp::new(obj(&[])),
            "INVALID_OPTIONS",
            "secret is required",
        ),
        (
            JsTotp::new(JsValue::UNDEFINED),
            "INVALID_OPTIONS",
            "Totp options are required",
        ),
        (
            JsTotp::new("JBSWY3DPEHPK3PXP".into()),
            "INVALID_OPTIONS",
            "Totp options must be an object",
        ),
    ];
    for (result, code, message) in cases {
        let err = result.err().unwrap();
        let text = format!("{:?} {}", err, js_sys::JSON::stringify(&err).unwrap());
        assert!(!text.contains("JBSWY3DP"), "{text}");
        assert_error(err, code, message);
    }
    // The module still works after every error above.
    let totp = JsTotp::new(obj(&[
        ("secret", ascii_b32("12345678901234567890")),
        ("digits", 8.into()),
    ]))
    .unwrap();
    assert_eq!(totp.generate(Some(59_000.into())).unwrap(), "94287082");
}

#[wasm_bindgen_test]
fn token_and_time_errors() {
    let totp = JsTotp::new(obj(&[
        ("secret", "JBSWY3DPEHPK3PXP".into()),
        ("epoch", 1000.into()),
    ]))
    .unwrap();
    assert_error(
        totp.generate(Some(999.into())).unwrap_err(),
        "INVALID_TIMESTAMP",
        "timestamp is before the epoch (T0)",
    );
    assert_error(
        totp.generate(Some(f64::NAN.into())).unwrap_err(),
        "INVALID_TIMESTAMP",
        "timestamp must be a finite number of milliseconds within the range of a Date",
    );
    assert_error(
        totp.verify("12345".into(), None).unwrap_err(),
        "INVALID_TOKEN",
        "token must have 6 characters, not 5",
    );
    assert_error(
        totp.verify("12a456".into(), None).unwrap_err(),
        "INVALID_TOKEN",
        "token has a non-digit at position 3",
    );
    assert_error(
        totp.verify(JsValue::from(123456), None).unwrap_err(),
        "INVALID_TOKEN",
        "token must be a string",
    );
    assert_error(
        totp.verify("123456".into(), Some(obj(&[("window", 1001.into())])))
            .unwrap_err(),
        "INVALID_WINDOW",
        "window of 1001 steps is too large; the most is 1000 each way",
    );
    let code = totp.generate(None).unwrap();
    let spaced = format!("{} {}", &code[..3], &code[3..]);
    assert!(!totp.verify(spaced.into(), None).unwrap().is_null());
}

#[wasm_bindgen_test]
fn steam_and_getters() {
    let steam = JsTotp::new(obj(&[
        ("secret", "BASE32SECRET3232".into()),
        ("encoder", "steam".into()),
    ]))
    .unwrap();
    assert_eq!(steam.generate(Some(0.into())).unwrap(), "2TC8B");
    assert_eq!(steam.digits(), 5);
    assert_eq!(steam.encoder().as_deref(), Some("steam"));
    let totp = JsTotp::new(obj(&[
        ("secret", "JBSWY3DPEHPK3PXP".into()),
        ("algorithm", "sha-256".into()),
        ("period", 60.into()),
        ("issuer", "ACME Co".into()),
        ("account", "ada@example.com".into()),
    ]))
    .unwrap();
    assert_eq!(totp.algorithm(), "SHA256");
    assert_eq!((totp.period(), totp.digits(), totp.epoch()), (60, 6, 0.0));
    assert_eq!(totp.issuer().as_deref(), Some("ACME Co"));
    assert_eq!(totp.account().as_deref(), Some("ada@example.com"));
    assert_eq!(totp.encoder(), None);
    let secret = JsSecret::from_base32("JBSWY3DPEHPK3PXP".into()).unwrap();
    assert_eq!(secret.to_display(), "Secret(10 bytes)");
    let json = js_sys::JSON::stringify(&Array::of1(&secret.into())).unwrap();
    assert_eq!(String::from(json), "[\"Secret(10 bytes)\"]");
}

#[wasm_bindgen_test]
fn uris_both_ways() {
    let uri = "otpauth://totp/Star%20Trek%3A%20Website:kirk?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Star%20Trek%3A%20Website&digits=8";
    let parsed = parse_uri(uri.into()).unwrap();
    assert_eq!(
        get(&parsed, "issuer").as_string().as_deref(),
        Some("Star Trek: Website")
    );
    assert_eq!(get(&parsed, "account").as_string().as_deref(), Some("kirk"));
    assert_eq!(get(&parsed, "period").as_f64(), Some(30.0));
    assert_eq!(Array::from(&get(&parsed, "warnings")).length(), 0);
    // The parsed object builds the canonical URI, and that reads back the same.
    let built = build_uri(parsed).unwrap();
    assert_eq!(
        built,
        "otpauth://totp/Star%20Trek%3A%20Website:kirk?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Star%20Trek%3A%20Website&algorithm=SHA1&digits=8&period=30"
    );
    let totp = JsTotp::from_uri(built.clone().into()).unwrap();
    assert_eq!(totp.generate(Some(59_000.into())).unwrap(), "94287082");
    assert_eq!(totp.to_uri().unwrap(), built);
    let hotp = JsHotp::from_uri(
        "otpauth://hotp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=3".into(),
    )
    .unwrap();
    assert_eq!(hotp.generate(None).unwrap(), "969429");
    let weak =
        parse_uri("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&issuer=B&digits=7".into()).unwrap();
    let codes: Vec<String> = Array::from(&get(&weak, "warnings"))
        .iter()
        .map(|w| get(&w, "code").as_string().unwrap())
        .collect();
    assert_eq!(codes, ["WEAK_SECRET", "NONSTANDARD_DIGITS"]);
    assert_error(
        parse_uri("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&issuer=%E0%A4".into()).unwrap_err(),
        "INVALID_URI",
        "the issuer parameter is not utf-8 text after percent-decoding",
    );
    assert_error(
        JsHotp::from_uri("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP".into())
            .err()
            .unwrap(),
        "INVALID_URI",
        "this is not a hotp uri",
    );
}

#[wasm_bindgen_test]
fn google_authenticator_exports() {
    let batch = parse_migration_uri(
        "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC".into(),
    )
    .unwrap();
    let account = Array::from(&get(&batch, "accounts")).get(0);
    assert_eq!(
        get(&account, "secret").as_string().as_deref(),
        Some("JBSWY3DPEHPK3PXP")
    );
    assert_eq!(
        get(&account, "name").as_string().as_deref(),
        Some("Example:alice@google.com")
    );
    assert_eq!(
        get(&account, "account").as_string().as_deref(),
        Some("alice@google.com")
    );
    let export = build_migration_uris(
        Array::of2(
            &account,
            &obj(&[("secret", "JBSWY3DPEHPK3PXP".into()), ("digits", 7.into())]),
        )
        .into(),
    )
    .unwrap();
    let uris = Array::from(&get(&export, "uris"));
    assert_eq!(uris.length(), 1);
    let warning = Array::from(&get(&export, "warnings")).get(0);
    assert_eq!(
        get(&warning, "code").as_string().as_deref(),
        Some("UNREPRESENTABLE_ACCOUNT")
    );
    assert_eq!(get(&warning, "index").as_f64(), Some(1.0));
    let again = parse_migration_uri(uris.get(0)).unwrap();
    let back = Array::from(&get(&again, "accounts")).get(0);
    assert_eq!(
        get(&back, "name").as_string().as_deref(),
        Some("Example:alice@google.com")
    );
    assert_error(
        parse_migration_uri("otpauth-migration://offline?data=EgA".into()).unwrap_err(),
        "INVALID_MIGRATION",
        "malformed migration payload at byte 0",
    );
}

#[wasm_bindgen_test]
fn qr_codes_drawn_and_read_back() {
    let text = "otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP&issuer=ACME";
    let m = qr_matrix(text.into(), None).unwrap();
    let size = get(&m, "size").as_f64().unwrap() as usize;
    let modules = Uint8Array::from(get(&m, "modules")).to_vec();
    assert_eq!(modules.len(), size * size);
    // Paint it as a canvas would hold it, 3 px a module with a 4-module margin.
    let side = (size + 8) * 3;
    let mut rgba = vec![255u8; side * side * 4];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = (x / 3, y / 3);
            if mx >= 4
                && my >= 4
                && mx < size + 4
                && my < size + 4
                && modules[(my - 4) * size + mx - 4] == 1
            {
                rgba[(y * side + x) * 4..][..3].fill(0);
            }
        }
    }
    let data = js_sys::Uint8ClampedArray::from(rgba.as_slice());
    let image = obj(&[
        ("width", side.into()),
        ("height", side.into()),
        ("data", data.into()),
    ]);
    assert_eq!(decode_qr(image).unwrap(), [text.to_owned()]);
    let svg = qr_svg(text.into(), Some(obj(&[("light", JsValue::NULL)]))).unwrap();
    assert!(svg.starts_with("<svg") && !svg.contains("<rect"));
    let short = obj(&[
        ("width", 10.into()),
        ("height", 10.into()),
        (
            "data",
            js_sys::Uint8ClampedArray::new_with_length(399).into(),
        ),
    ]);
    assert_error(
        decode_qr(short).unwrap_err(),
        "INVALID_IMAGE",
        "image data must have 400 bytes for its width and height, not 399",
    );
    assert_error(
        qr_svg(text.into(), Some(obj(&[("ecc", "Z".into())]))).unwrap_err(),
        "INVALID_OPTIONS",
        "ecc must be \"L\", \"M\", \"Q\" or \"H\"",
    );
}
