//! otpauth:// URIs: the reading policy case by case, exact errors, and the round trip.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic: that is how they fail

mod common;

use common::Rng;
use twofa::{Algorithm, Format, Hotp, KeyUri, Otp, Secret, Totp};

const KEY: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"; // 20 bytes: no weak-secret warning

/// What a parsed URI is, flattened for tables: type, issuer, account, algorithm,
/// characters per code, steam, period or counter, warnings.
#[derive(Debug, PartialEq)]
struct Seen {
    kind: &'static str,
    issuer: Option<String>,
    account: String,
    algorithm: Algorithm,
    digits: usize,
    steam: bool,
    period_or_counter: u64,
    warnings: Vec<&'static str>,
}

fn seen(uri: &str) -> Seen {
    let parsed = KeyUri::parse(uri).unwrap_or_else(|e| panic!("{uri}: {e}"));
    let key = parsed.key;
    let (kind, period_or_counter) = match &key.otp {
        Otp::Totp(t) => ("totp", u64::from(t.period())),
        Otp::Hotp { counter, .. } => ("hotp", *counter),
    };
    Seen {
        kind,
        issuer: key.issuer.clone(),
        account: key.account.clone(),
        algorithm: key.otp.algorithm(),
        digits: key.otp.format().len(),
        steam: key.otp.format().is_steam(),
        period_or_counter,
        warnings: parsed.warnings.iter().map(|w| w.code().as_str()).collect(),
    }
}

fn totp(issuer: Option<&str>, account: &str, warnings: &[&'static str]) -> Seen {
    Seen {
        kind: "totp",
        issuer: issuer.map(str::to_owned),
        account: account.to_owned(),
        algorithm: Algorithm::Sha1,
        digits: 6,
        steam: false,
        period_or_counter: 30,
        warnings: warnings.to_vec(),
    }
}

#[test]
fn reading_policy() {
    let s = KEY;
    #[rustfmt::skip]
    let cases: Vec<(String, Seen)> = vec![
        // Scheme and type are case-insensitive.
        (format!("OTPAUTH://TOTP/ACME:ada?secret={s}"), totp(Some("ACME"), "ada", &[])),
        // An encoded colon separates like a literal one; spaces around it are dropped.
        (format!("otpauth://totp/ACME%3Aada?secret={s}"), totp(Some("ACME"), "ada", &[])),
        (format!("otpauth://totp/ACME%20%3A%20ada?secret={s}"), totp(Some("ACME"), "ada", &[])),
        (format!("otpauth://totp/ACME : ada?secret={s}"), totp(Some("ACME"), "ada", &[])),
        // The parameter wins over the label, with a warning; a label-only issuer is used.
        (format!("otpauth://totp/ACME:ada?secret={s}&issuer=Other"), totp(Some("Other"), "ada", &["ISSUER_MISMATCH"])),
        (format!("otpauth://totp/ada?secret={s}&issuer=ACME"), totp(Some("ACME"), "ada", &[])),
        // An issuer that contains a colon, as otpauth writes it.
        (format!("otpauth://totp/Star%20Trek%3A%20Website:kirk?secret={s}&issuer=Star%20Trek%3A%20Website"), totp(Some("Star Trek: Website"), "kirk", &[])),
        // `+` is a space in a value (2FAS), and a plus in the label.
        (format!("otpauth://totp/Air+Canada:ada?secret={s}&issuer=Air+Canada"), totp(Some("Air Canada"), "ada", &["ISSUER_MISMATCH"])),
        (format!("otpauth://totp/ada+1@example.com?secret={s}"), totp(None, "ada+1@example.com", &[])),
        // No label at all; an empty issuer parameter is no issuer.
        (format!("otpauth://totp?secret={s}"), totp(None, "", &[])),
        (format!("otpauth://totp/ada?secret={s}&issuer="), totp(None, "ada", &[])),
        // Secrets in lower case, padded, spaced, percent-encoded.
        ("otpauth://totp/a?secret=jbswy3dpehpk3pxp".into(), totp(None, "a", &["WEAK_SECRET"])),
        ("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP%3D%3D%3D%3D".into(), totp(None, "a", &["WEAK_SECRET"])),
        ("otpauth://totp/a?secret=JBSW+Y3DP%20EHPK-3PXP====".into(), totp(None, "a", &["WEAK_SECRET"])),
        // Unknown parameters are ignored, and so is a fragment.
        (format!("otpauth://totp/a?foo=%ZZ&secret={s}&x#frag"), totp(None, "a", &[])),
        // Parameter names in any case.
        (format!("otpauth://totp/a?SECRET={s}&Issuer=ACME"), totp(Some("ACME"), "a", &[])),
    ];
    for (uri, expected) in cases {
        assert_eq!(seen(&uri), expected, "{uri}");
    }
}

#[test]
fn parameters() {
    let s = KEY;
    let base = |extra: &str| seen(&format!("otpauth://totp/a?secret={s}{extra}"));
    let x = base("&algorithm=sha256&digits=8&period=60");
    assert_eq!(
        (x.algorithm, x.digits, x.period_or_counter),
        (Algorithm::Sha256, 8, 60)
    );
    assert_eq!(x.warnings, ["NONSTANDARD_PERIOD"]);
    assert_eq!(base("&algorithm=Sha512").algorithm, Algorithm::Sha512);
    assert_eq!(base("&digits=7").warnings, ["NONSTANDARD_DIGITS"]);
    assert_eq!(base("&digits=10").warnings, ["NONSTANDARD_DIGITS"]);
    // Steam: by encoder, by issuer (unless digits says otherwise), by Aegis's type.
    assert!(base("&encoder=steam").steam);
    assert!(base("&encoder=STEAM&digits=5").steam);
    assert!(base("&issuer=Steam").steam);
    assert!(base("&issuer=steam&digits=5").steam);
    assert!(!base("&issuer=Steam&digits=6").steam);
    assert!(seen(&format!("otpauth://steam/Steam:gaben?secret={s}")).steam);
    assert_eq!(base("&encoder=steam").digits, 5);
    assert!(base("&encoder=steam").warnings.is_empty());
    // HOTP keeps its counter, the full 64-bit range.
    let h = seen(&format!(
        "otpauth://HOTP/a?secret={s}&counter=18446744073709551615"
    ));
    assert_eq!((h.kind, h.period_or_counter), ("hotp", u64::MAX));
    // The image is kept, decoded.
    let parsed = KeyUri::parse(&format!(
        "otpauth://totp/a?secret={s}&image=https%3A%2F%2Fexample.com%2Flogo.png"
    ))
    .unwrap();
    assert_eq!(
        parsed.key.image.as_deref(),
        Some("https://example.com/logo.png")
    );
}

#[test]
fn errors() {
    let s = KEY;
    #[rustfmt::skip]
    let cases: Vec<(String, &str, &str)> = vec![
        ("https://example.com/?secret=A".into(), "INVALID_URI", "uri must start with otpauth://"),
        ("otpauth:totp/a".into(), "INVALID_URI", "uri must start with otpauth://"),
        ("otpauth-migration://offline?data=AA".into(), "INVALID_URI", "this is a google authenticator export (otpauth-migration://); read it with parseMigrationUri"),
        (format!("otpauth://motp/a?secret={s}"), "INVALID_URI", "uri type must be totp, hotp or steam, as in otpauth://totp/"),
        ("otpauth://totp/a?issuer=ACME".into(), "INVALID_URI", "uri has no secret parameter"),
        (format!("otpauth://hotp/a?secret={s}"), "INVALID_URI", "uri has no counter parameter"),
        (format!("otpauth://totp/a?secret={s}&secret={s}"), "INVALID_URI", "uri has the secret parameter twice"),
        (format!("otpauth://totp/a%ZZ?secret={s}"), "INVALID_URI", "malformed percent-encoding in the label"),
        (format!("otpauth://totp/a?secret={s}&issuer=AC%2"), "INVALID_URI", "malformed percent-encoding in the issuer parameter"),
        (format!("otpauth://totp/a?secret={s}%G0"), "INVALID_URI", "malformed percent-encoding in the secret parameter"),
        (format!("otpauth://totp/%E0%A4?secret={s}"), "INVALID_URI", "the label is not utf-8 text after percent-decoding"),
        (format!("otpauth://totp/a?secret={s}&issuer=%FF"), "INVALID_URI", "the issuer parameter is not utf-8 text after percent-decoding"),
        ("otpauth://totp/a?secret=JBSWY3DPEHPK3PX1".into(), "INVALID_BASE32", "invalid base32 character at position 16"),
        ("otpauth://totp/a?secret=".into(), "SECRET_LENGTH", "secret is empty"),
        (format!("otpauth://totp/a?secret={s}&algorithm=MD5"), "UNSUPPORTED_ALGORITHM", "unsupported algorithm; use SHA1, SHA256 or SHA512"),
        (format!("otpauth://totp/a?secret={s}&algorithm=SHA3"), "UNSUPPORTED_ALGORITHM", "unsupported algorithm; use SHA1, SHA256 or SHA512"),
        (format!("otpauth://totp/a?secret={s}&digits=5"), "INVALID_DIGITS", "digits must be from 6 to 10, not 5"),
        (format!("otpauth://totp/a?secret={s}&digits=11"), "INVALID_DIGITS", "digits must be from 6 to 10, not 11"),
        (format!("otpauth://totp/a?secret={s}&digits=six"), "INVALID_DIGITS", "digits parameter must be a whole number"),
        (format!("otpauth://totp/a?secret={s}&digits=-6"), "INVALID_DIGITS", "digits parameter must be a whole number"),
        (format!("otpauth://totp/a?secret={s}&period=0"), "INVALID_PERIOD", "period must be at least 1 second, not 0"),
        (format!("otpauth://totp/a?secret={s}&period=-30"), "INVALID_PERIOD", "period parameter must be a whole number of seconds from 1 to 2^32 - 1"),
        (format!("otpauth://totp/a?secret={s}&period=1.5"), "INVALID_PERIOD", "period parameter must be a whole number of seconds from 1 to 2^32 - 1"),
        (format!("otpauth://totp/a?secret={s}&period=4294967296"), "INVALID_PERIOD", "period parameter must be a whole number of seconds from 1 to 2^32 - 1"),
        (format!("otpauth://hotp/a?secret={s}&counter=abc"), "INVALID_COUNTER", "counter parameter must be a whole number from 0 to 2^64 - 1"),
        (format!("otpauth://hotp/a?secret={s}&counter=18446744073709551616"), "INVALID_COUNTER", "counter parameter must be a whole number from 0 to 2^64 - 1"),
        (format!("otpauth://totp/a?secret={s}&encoder=yandex"), "INVALID_ENCODER", "unsupported encoder; the only encoder is \"steam\""),
        (format!("otpauth://hotp/a?secret={s}&counter=0&encoder=steam"), "INVALID_ENCODER", "steam codes are time-based; this uri is hotp"),
        (format!("otpauth://totp/a?secret={s}&image={}", "x".repeat(70_000)), "INVALID_URI", "uri is 70063 bytes long; the most is 65536"),
    ];
    for (uri, code, message) in cases {
        let shown: String = uri.chars().take(120).collect();
        let err = KeyUri::parse(&uri).expect_err(&shown);
        assert_eq!(
            (err.code().as_str(), err.to_string().as_str()),
            (code, message),
            "{shown}"
        );
    }
}

#[test]
fn errors_and_debug_never_show_the_secret() {
    let uri = "otpauth://totp/a?secret=JBSWY3DPEHPK3PX1&issuer=ACME";
    let err = KeyUri::parse(uri).unwrap_err();
    assert!(!format!("{err} {err:?}").contains("JBSW"));
    let parsed = KeyUri::parse("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP").unwrap();
    let debug = format!("{parsed:?}");
    assert!(
        !debug.contains("JBSW") && debug.contains("len: 10"),
        "{debug}"
    );
}

#[test]
fn building() {
    let secret = Secret::from_bytes(b"12345678901234567890").unwrap();
    let hotp = KeyUri {
        otp: Otp::Hotp {
            hotp: Hotp::new(secret.clone())
                .with_algorithm(Algorithm::Sha512)
                .with_format(Format::digits(8).unwrap()),
            counter: 42,
        },
        issuer: Some("ACME Co".into()),
        account: "ada lovelace@example.com".into(),
        image: Some("https://example.com/a b.png".into()),
    };
    assert_eq!(
        hotp.to_uri().unwrap(),
        "otpauth://hotp/ACME%20Co:ada%20lovelace@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
         &issuer=ACME%20Co&algorithm=SHA512&digits=8&counter=42&image=https%3A%2F%2Fexample.com%2Fa%20b.png"
    );
    let steam = KeyUri {
        otp: Otp::Totp(Totp::steam(secret.clone())),
        issuer: Some("Steam".into()),
        account: "gaben".into(),
        image: None,
    };
    assert_eq!(
        steam.to_uri().unwrap(),
        "otpauth://totp/Steam:gaben?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Steam\
         &algorithm=SHA1&digits=5&period=30&encoder=steam"
    );
    // No issuer, and a colon in the account: an empty issuer keeps the colon in the account.
    let colon = KeyUri {
        otp: Otp::Totp(Totp::new(secret.clone())),
        issuer: None,
        account: "team:ada".into(),
        image: None,
    };
    let uri = colon.to_uri().unwrap();
    assert!(uri.starts_with("otpauth://totp/:team%3Aada?"), "{uri}");
    assert_eq!(KeyUri::parse(&uri).unwrap().key, colon);

    let bad = |issuer: Option<&str>, account: &str, epoch: i64| {
        KeyUri {
            otp: Otp::Totp(Totp::new(secret.clone()).with_epoch_ms(epoch)),
            issuer: issuer.map(str::to_owned),
            account: account.to_owned(),
            image: None,
        }
        .to_uri()
        .map_err(|e| (e.code().as_str(), e.to_string()))
        .unwrap_err()
    };
    let label = |m: &str| ("INVALID_LABEL", m.to_owned());
    assert_eq!(
        bad(Some(""), "a", 0),
        label("issuer is empty; leave it out instead")
    );
    assert_eq!(
        bad(Some(" ACME"), "a", 0),
        label("issuer must not begin or end with white space")
    );
    assert_eq!(
        bad(None, "a\n", 0),
        label("account must not begin or end with white space")
    );
    assert_eq!(
        bad(None, "a", 1000),
        (
            "INVALID_URI",
            "otpauth uris cannot carry a totp epoch (T0) other than 0".to_owned()
        )
    );
}

/// The pieces of random issuers and accounts.
const POOL: &[&str] = &[
    "a",
    "Z",
    "0",
    ":",
    "%",
    "&",
    "=",
    "+",
    " ",
    "?",
    "#",
    "/",
    "@",
    ".",
    "-",
    "_",
    "~",
    "%3A",
    "%20",
    "é",
    "ß",
    "東京",
    "🔑",
    "👩‍💻",
    "\u{a0}",
    "'",
    "\"",
    "<",
    ";",
    "Steam",
];

#[test]
fn round_trip_property() {
    let mut rng = Rng(0x2f6b_31a9_c0de_0001);
    for case in 0..5000 {
        let seed = rng.0;
        let secret = Secret::from_bytes(
            &(0..1 + rng.below(64))
                .map(|i| i as u8 ^ 0x5a)
                .collect::<Vec<_>>(),
        )
        .unwrap();
        let algorithm = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512][rng.below(3)];
        let format = match rng.below(6) {
            5 => Format::STEAM,
            n => Format::digits(6 + n as u64).unwrap(),
        };
        let otp = if rng.below(2) == 0 || format.is_steam() {
            let period = [1, 30, 60, 90, u32::MAX][rng.below(5)];
            let totp = if format.is_steam() {
                Totp::steam(secret)
            } else {
                Totp::new(secret).with_format(format)
            };
            Otp::Totp(totp.with_algorithm(algorithm).with_period(period).unwrap())
        } else {
            let counter = [0, 1, 1 << 53, u64::MAX, rng.next()][rng.below(5)];
            Otp::Hotp {
                hotp: Hotp::new(secret)
                    .with_algorithm(algorithm)
                    .with_format(format),
                counter,
            }
        };
        let issuer = Some(rng.text(POOL, 6)).filter(|i| !i.is_empty() && rng.below(4) != 0);
        let key = KeyUri {
            otp,
            issuer,
            account: rng.text(POOL, 8),
            image: (rng.below(3) == 0).then(|| rng.text(POOL, 5)),
        };
        let uri = key
            .to_uri()
            .unwrap_or_else(|e| panic!("case {case} (seed {seed:#x}): {e}"));
        assert!(!uri.contains('+') && !uri.contains(' '), "{uri}");
        let parsed = KeyUri::parse(&uri)
            .unwrap_or_else(|e| panic!("case {case} (seed {seed:#x}) {uri}: {e}"));
        assert_eq!(parsed.key, key, "case {case} (seed {seed:#x}): {uri}");
        assert!(
            !parsed
                .warnings
                .iter()
                .any(|w| w.code() == "ISSUER_MISMATCH"),
            "{uri}"
        );
        assert_eq!(parsed.warnings, key.warnings(), "{uri}");
    }
}

#[test]
fn review_edges() {
    let s = KEY;
    // The issuer parameter is trimmed; one of white space only is no issuer.
    assert_eq!(
        seen(&format!("otpauth://totp/a?secret={s}&issuer=%20")).issuer,
        None
    );
    assert_eq!(
        seen(&format!("otpauth://totp/ACME:x?secret={s}&issuer=+ACME+")),
        totp(Some("ACME"), "x", &[])
    );
    // Numbers may be percent-encoded.
    let x = seen(&format!(
        "otpauth://totp/a?secret={s}&digits=%38&period=%36%30"
    ));
    assert_eq!((x.digits, x.period_or_counter), (8, 60));
    // HOTP cannot carry Steam codes, so no URI is written for it.
    let steam_hotp = KeyUri {
        otp: Otp::Hotp {
            hotp: Hotp::new(Secret::from_base32(s).unwrap()).with_format(Format::STEAM),
            counter: 3,
        },
        issuer: None,
        account: "a".into(),
        image: None,
    };
    let err = steam_hotp.to_uri().unwrap_err();
    assert_eq!(
        (err.code().as_str(), err.to_string().as_str()),
        (
            "INVALID_ENCODER",
            "steam codes are time-based; this uri is hotp"
        )
    );
    // A URI too long to read back is not written.
    let long = KeyUri {
        otp: Otp::Totp(Totp::new(Secret::from_base32(s).unwrap())),
        issuer: None,
        account: "a".into(),
        image: Some(" ".repeat(30_000)),
    };
    let err = long.to_uri().unwrap_err();
    assert_eq!(
        (err.code().as_str(), err.to_string().as_str()),
        ("INVALID_URI", "uri is 90097 bytes long; the most is 65536")
    );
}
