//! Acceptance: every file of the import corpus (`../shared/import-corpus/`, real exports
//! of 19 apps that the project may read but never copy) imports as its manifest says.
//! The corpus is found at `$IMPORT_CORPUS`, else beside the checkout; the test says so
//! and passes when there is none. `IMPORT_CORPUS_FILTER=aegis` runs the files whose path
//! contains the text. Its pictures of Google Authenticator exports (PNG, JPEG) are read
//! through `twofa::qr` first, and the text of their QR code is imported.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic: that is how they fail

use serde_json::Value;
use std::path::PathBuf;
use twofa::transfer::import::{import, ImportOptions};
use twofa::{Otp, Secret};

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("IMPORT_CORPUS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/import-corpus"),
        PathBuf::from,
    );
    dir.join("manifest.json").exists().then_some(dir)
}

/// The format name the file must be read as.
fn format_of(file: &str, encrypted: bool) -> &'static str {
    let dir = file.split('/').nth(1).unwrap();
    match (dir, encrypted) {
        _ if file.ends_with(".txt") && dir != "ente" && dir != "google-authenticator" => "otpauth",
        ("ente", false) => "otpauth",
        ("ente", true) => "ente-encrypted",
        ("google-authenticator", _) => "google-authenticator",
        ("2fas", false) => "2fas",
        ("2fas", true) => "2fas-encrypted",
        ("aegis", false) => "aegis",
        ("aegis", true) => "aegis-encrypted",
        ("andotp", false) => "andotp",
        ("andotp", true) => "andotp-encrypted",
        ("authenticator-plus", _) => "authenticator-plus-encrypted",
        ("authenticator-pro", false) => "authenticator-pro",
        ("authenticator-pro", true) => "authenticator-pro-encrypted",
        ("battle-net", _) => "battle-net",
        ("bitwarden", true) => "bitwarden-encrypted",
        ("bitwarden", false) if file.ends_with(".csv") => "bitwarden-csv",
        ("bitwarden", false) => "bitwarden-json",
        ("bitwarden-authenticator", _) => "bitwarden-authenticator",
        ("freeotp", _) => "freeotp-encrypted",
        ("freeotpplus", _) => "freeotp-plus",
        ("lastpass", _) => "lastpass",
        ("uri-list", _) => "otpauth",
        ("proton-authenticator", false) => "proton-authenticator",
        ("proton-authenticator", true) => "proton-authenticator-encrypted",
        ("proton-pass", _) => "proton-pass",
        ("steam", _) => "steam",
        ("totp-authenticator", _) => "totp-authenticator-encrypted",
        ("winauth", true) => "winauth-encrypted",
        ("winauth", false) => "winauth",
        _ => panic!("{file}: no format expected for it"),
    }
}

/// The secret the manifest gives (base32 as the file holds it), as canonical base32 after
/// the lenient reading every app does: a last symbol that makes no whole byte dropped.
fn canonical(secret: &str) -> String {
    let mut s = secret.replace([' ', '='], "").to_uppercase();
    if matches!(s.len() % 8, 1 | 3 | 6) {
        s.pop();
    }
    Secret::from_base32(&s).unwrap().to_base32()
}

fn is_image(file: &str) -> bool {
    [".png", ".jpg", ".jpeg"].iter().any(|e| file.ends_with(e))
}

#[test]
fn every_file_of_the_corpus_imports_as_its_manifest_says() {
    let Some(dir) = corpus() else {
        eprintln!(
            "skipped: no import corpus (set IMPORT_CORPUS or put it at ../shared/import-corpus)"
        );
        return;
    };
    let filter = std::env::var("IMPORT_CORPUS_FILTER").unwrap_or_default();
    let manifest: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in &manifest {
        let file = case["file"].as_str().unwrap();
        if !file.contains(filter.as_str()) {
            continue;
        }
        checked += 1;
        if let Err(why) = check(&dir, case) {
            failures.push(format!("{file}: {why}"));
        }
    }
    assert!(checked > 0, "no file matched {filter:?}");
    assert!(
        failures.is_empty(),
        "{} of {checked} files failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A picture's pixels as luma, row by row: PNG through `png`, JPEG through `jpeg-decoder`.
fn luma(path: &std::path::Path) -> (usize, usize, Vec<u8>) {
    let bytes = std::fs::read(path).unwrap();
    if bytes.starts_with(b"\x89PNG") {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let channels = info.color_type.samples();
        let luma = buf[..info.buffer_size()]
            .chunks(channels)
            .map(|p| match p {
                [r, g, b, a] => twofa::qr::luma(*r, *g, *b, *a),
                [r, g, b] => twofa::qr::luma(*r, *g, *b, 255),
                [l, a] => twofa::qr::luma(*l, *l, *l, *a),
                [l] => *l,
                _ => unreachable!(),
            })
            .collect();
        return (info.width as usize, info.height as usize, luma);
    }
    let mut decoder = jpeg_decoder::Decoder::new(std::io::Cursor::new(bytes));
    let pixels = decoder.decode().unwrap();
    let info = decoder.info().unwrap();
    let luma = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => pixels,
        jpeg_decoder::PixelFormat::RGB24 => pixels
            .chunks(3)
            .map(|p| twofa::qr::luma(p[0], p[1], p[2], 255))
            .collect(),
        other => panic!("{}: JPEG pixels of {other:?}", path.display()),
    };
    (usize::from(info.width), usize::from(info.height), luma)
}

/// The input a case imports: the file's bytes, or the text of a picture's one QR code,
/// which must be the `qr_payload` the manifest gives.
fn input(dir: &std::path::Path, case: &Value) -> Result<Vec<u8>, String> {
    let file = case["file"].as_str().unwrap();
    if !is_image(file) {
        return Ok(std::fs::read(dir.join(file)).unwrap());
    }
    let (width, height, luma) = luma(&dir.join(file));
    let texts = twofa::qr::decode(width, height, &luma).map_err(|e| format!("{e:?}"))?;
    let [text] = texts.as_slice() else {
        return Err(format!("{} QR codes read", texts.len()));
    };
    if let Some(payload) = case.get("qr_payload").and_then(Value::as_str) {
        if text != payload {
            return Err("the QR code's text differs from the manifest's".to_owned());
        }
    }
    Ok(text.clone().into_bytes())
}

fn check(dir: &std::path::Path, case: &Value) -> Result<(), String> {
    let file = case["file"].as_str().unwrap();
    let bytes = input(dir, case)?;
    let password = case["password"].as_str();
    let encrypted = case["encrypted"].as_bool().unwrap();
    // A file that must be refused (Bitwarden's account-restricted export, which no
    // password opens) need not ask for a password first.
    if encrypted && case.get("expected_error").is_none() {
        let err = import(&bytes, &ImportOptions::default())
            .err()
            .ok_or("opened without a password")?;
        if err.code() != "PASSWORD_REQUIRED" {
            return Err(format!("without a password: {err:?}"));
        }
    }
    let options = ImportOptions {
        password,
        ..ImportOptions::default()
    };
    let result = import(&bytes, &options);
    if let Some(why) = case.get("expected_error") {
        return match result {
            Err(err) if err.code() == "UNSUPPORTED_FORMAT" || err.code() == "INVALID_IMPORT" => {
                Ok(())
            }
            Err(err) => Err(format!("refused with {err:?}, expected ({why})")),
            Ok(_) => Err(format!("imported, but must be refused ({why})")),
        };
    }
    let found = result.map_err(|e| format!("{e:?}"))?;
    let want_format = format_of(file, encrypted);
    if found.format.as_str() != want_format {
        return Err(format!(
            "read as {}, expected {want_format}",
            found.format.as_str()
        ));
    }
    let expected = case["expected"].as_array().unwrap();
    let allowed_errors = case
        .get("expected_errors")
        .and_then(Value::as_u64)
        .unwrap_or(0) as usize;
    let left: Vec<usize> = found
        .warnings
        .iter()
        .filter(|w| w.code() == "UNSUPPORTED_ACCOUNT")
        .map(|w| w.account_index().unwrap())
        .collect();
    // The events of the file in order: accounts and entries left out.
    let mut events: Vec<(usize, Option<&twofa::transfer::import::ImportedAccount>)> =
        found.accounts.iter().map(|a| (a.index, Some(a))).collect();
    events.extend(left.iter().map(|&i| (i, None)));
    events.sort_by_key(|e| e.0);
    let mut errors_seen = 0;
    let mut events = events.into_iter();
    for (n, want) in expected.iter().enumerate() {
        let kind = want["type"].as_str().unwrap();
        let event = loop {
            let event = events
                .next()
                .ok_or_else(|| format!("entry {n} ({kind}) missing"))?;
            if event.1.is_none()
                && !matches!(kind, "motp" | "yandex")
                && errors_seen < allowed_errors
            {
                errors_seen += 1;
                continue;
            }
            break event;
        };
        match (kind, event.1) {
            ("motp" | "yandex", None) => continue,
            ("motp" | "yandex", Some(_)) => {
                return Err(format!("entry {n}: {kind} imported as an account"))
            }
            (_, None) => {
                let w = found
                    .warnings
                    .iter()
                    .find(|w| w.account_index() == Some(event.0))
                    .unwrap();
                return Err(format!("entry {n} ({kind}) left out: {w}"));
            }
            (_, Some(account)) => compare(n, want, account)?,
        }
    }
    let rest: Vec<_> = events.collect();
    if rest.len() + errors_seen != allowed_errors && !(rest.is_empty() && allowed_errors == 0) {
        return Err(format!(
            "{} more entries than expected: {:?}",
            rest.len(),
            rest.iter().map(|e| e.0).collect::<Vec<_>>()
        ));
    }
    for w in &found.warnings {
        let message = w.to_string();
        for want in expected {
            let secret = want["secret"].as_str().unwrap();
            if secret.len() >= 8 && message.to_uppercase().contains(secret) {
                return Err(format!("a warning holds a secret: {message}"));
            }
        }
    }
    Ok(())
}

fn compare(
    n: usize,
    want: &Value,
    got: &twofa::transfer::import::ImportedAccount,
) -> Result<(), String> {
    let key = &got.key;
    let kind = want["type"].as_str().unwrap();
    let (got_kind, period, counter) = match &key.otp {
        Otp::Totp(t) if t.format().is_steam() => ("steam", Some(u64::from(t.period())), None),
        Otp::Totp(t) => ("totp", Some(u64::from(t.period())), None),
        Otp::Hotp { counter, .. } => ("hotp", None, Some(*counter)),
    };
    let mut diffs = Vec::new();
    if got_kind != kind {
        diffs.push(format!("type {got_kind}, expected {kind}"));
    }
    // Names are trimmed on the way in (KeyUri::parse trims an issuer parameter; other
    // names get an ACCOUNT_CHANGED warning), so that an otpauth:// URI carries them
    // unchanged.
    let issuer = key.issuer.as_deref().unwrap_or("");
    if issuer != want["issuer"].as_str().unwrap().trim() {
        diffs.push(format!("issuer {issuer:?}, expected {:?}", want["issuer"]));
    }
    if key.account != want["account"].as_str().unwrap().trim() {
        diffs.push(format!(
            "account {:?}, expected {:?}",
            key.account, want["account"]
        ));
    }
    let secret = key.otp.secret().to_base32();
    if secret != canonical(want["secret"].as_str().unwrap()) {
        diffs.push("secret differs".to_owned());
    }
    if key.otp.algorithm().as_str() != want["algorithm"].as_str().unwrap() {
        diffs.push(format!(
            "algorithm {}, expected {}",
            key.otp.algorithm().as_str(),
            want["algorithm"]
        ));
    }
    let digits = key.otp.format().len() as u64;
    if digits != want["digits"].as_u64().unwrap() {
        diffs.push(format!("digits {digits}, expected {}", want["digits"]));
    }
    if let Some(p) = want.get("period").and_then(Value::as_u64) {
        if period != Some(p) {
            diffs.push(format!("period {period:?}, expected {p}"));
        }
    }
    if let Some(c) = want.get("counter").and_then(Value::as_u64) {
        if counter != Some(c) {
            diffs.push(format!("counter {counter:?}, expected {c}"));
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "entry {n} (index {}): {}",
            got.index,
            diffs.join("; ")
        ))
    }
}
