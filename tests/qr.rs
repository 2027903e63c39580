//! QR codes: pictures made by other tools, our own codes drawn and read back, the SVG,
//! exact errors, and pictures with no code at all.

#![cfg(feature = "qr")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic: that is how they fail

use std::collections::BTreeMap;
use twofa::qr::{decode, decode_rgba, Ecc, QrMatrix, SvgOptions};

/// A PNG as RGBA bytes.
fn load(name: &str) -> (usize, usize, Vec<u8>) {
    let file = std::fs::File::open(format!("tests/fixtures/qr/{name}")).unwrap();
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let rgba = buf[..info.buffer_size()]
        .chunks(channels)
        .flat_map(|p| match channels {
            3 => [p[0], p[1], p[2], 255],
            4 => [p[0], p[1], p[2], p[3]],
            _ => [p[0], p[0], p[0], 255],
        })
        .collect();
    (info.width as usize, info.height as usize, rgba)
}

#[test]
fn reads_pictures_made_by_other_generators() {
    let text = std::fs::read_to_string("tests/fixtures/qr/expected.json").unwrap();
    let expected: BTreeMap<String, Vec<String>> = serde_json::from_str(&text).unwrap();
    assert!(expected.len() >= 9);
    for (name, texts) in expected {
        let (w, h, rgba) = load(&name);
        assert_eq!(decode_rgba(w, h, &rgba).unwrap(), texts, "{name}");
    }
}

/// Draws a matrix at `scale` pixels a module with a `margin`, as greyscale.
fn raster(qr: &QrMatrix, scale: usize, margin: usize, dark: u8, light: u8) -> (usize, Vec<u8>) {
    let side = (qr.size() + 2 * margin) * scale;
    let luma = (0..side * side)
        .map(|i| {
            let (x, y) = ((i % side) / scale, (i / side) / scale);
            let on = x >= margin && y >= margin && qr.is_dark(x - margin, y - margin);
            if on {
                dark
            } else {
                light
            }
        })
        .collect();
    (side, luma)
}

#[test]
fn reads_back_what_it_draws() {
    let texts = [
        "otpauth://totp/ACME%20Co:ada@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30".to_owned(),
        "0123456789".repeat(30),
        "HELLO WORLD 123".to_owned(),
        "Ärzte 🔑 東京".to_owned(),
        "x".repeat(1200),
    ];
    for text in &texts {
        for ecc in [Ecc::L, Ecc::M, Ecc::Q, Ecc::H] {
            let qr = QrMatrix::encode(text, ecc).unwrap();
            let (side, luma) = raster(&qr, 3, 4, 20, 235);
            assert_eq!(
                decode(side, side, &luma).unwrap(),
                std::slice::from_ref(text),
                "{ecc:?} {}",
                qr.size()
            );
        }
    }
    // Higher error correction needs a larger code for the same text, and the codes are
    // never larger than Python segno 1.6 makes them (41, 49, 57, 61 modules a side).
    let sizes: Vec<usize> = [Ecc::L, Ecc::M, Ecc::Q, Ecc::H]
        .iter()
        .map(|&e| QrMatrix::encode(&texts[0], e).unwrap().size())
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] < w[1]), "{sizes:?}");
    assert!(
        sizes
            .iter()
            .zip([41, 49, 57, 61])
            .all(|(ours, segno)| *ours <= segno),
        "{sizes:?}"
    );
    // At Q, mixing segments saves a whole version on this URI (4 modules a side).
    assert!(sizes[2] <= 57 - 4, "{sizes:?}");
}

#[test]
fn the_svg_draws_exactly_the_matrix() {
    let qr = QrMatrix::encode("otpauth://totp/a?secret=GEZDGNBVGY3TQOJQ", Ecc::Q).unwrap();
    let options = SvgOptions {
        margin: 2,
        dark: "rgb(10 20 30)".into(),
        light: Some("#fafafa".into()),
    };
    let svg = qr.to_svg(&options).unwrap();
    let full = qr.size() + 4;
    let px = full * 8;
    let head = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {full} {full}" width="{px}" height="{px}" shape-rendering="crispEdges"><rect width="{full}" height="{full}" fill="#fafafa"/><path fill="rgb(10 20 30)" d="M"##
    );
    assert!(svg.starts_with(&head), "{svg}");
    assert!(svg.ends_with(r#""/></svg>"#));
    // Paint the path's runs back into a grid and compare it with the matrix.
    let d = svg
        .split(r#" d=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let mut painted = vec![false; full * full];
    for run in d.split('M').filter(|r| !r.is_empty()) {
        let (x, rest) = run.split_once(' ').unwrap();
        let (y, rest) = rest.split_once('h').unwrap();
        let len = rest.split_once('v').unwrap().0;
        let (x, y, len): (usize, usize, usize) =
            (x.parse().unwrap(), y.parse().unwrap(), len.parse().unwrap());
        for i in x..x + len {
            assert!(!painted[y * full + i], "overlapping runs");
            painted[y * full + i] = true;
        }
    }
    for y in 0..full {
        for x in 0..full {
            let expected = x >= 2 && y >= 2 && qr.is_dark(x - 2, y - 2);
            assert_eq!(painted[y * full + x], expected, "module {x},{y}");
        }
    }
    let bare = qr
        .to_svg(&SvgOptions {
            margin: 0,
            light: None,
            ..SvgOptions::default()
        })
        .unwrap();
    assert!(!bare.contains("<rect") && bare.contains(r##"fill="#000000""##));
}

#[test]
fn errors() {
    let qr = QrMatrix::encode("a", Ecc::M).unwrap();
    let svg_err = |o: SvgOptions| {
        let e = qr.to_svg(&o).unwrap_err();
        (e.code().as_str(), e.to_string())
    };
    let d = SvgOptions::default;
    assert_eq!(
        svg_err(SvgOptions { margin: 65, ..d() }),
        (
            "INVALID_OPTIONS",
            "margin must be a whole number of modules from 0 to 64".into()
        )
    );
    for bad in [
        "",
        "#12",
        "#ggg",
        "red\"",
        "url(#x)",
        "rgb(1,2,3);x",
        "var(--x)",
    ] {
        assert_eq!(
            svg_err(SvgOptions {
                dark: bad.into(),
                ..d()
            }),
            (
                "INVALID_OPTIONS",
                "dark must be a css colour such as #000000, black or rgb(0 0 0)".into()
            ),
            "{bad}"
        );
    }
    assert_eq!(
        svg_err(SvgOptions {
            light: Some("<".into()),
            ..d()
        })
        .1,
        "light must be a css colour such as #ffffff, white or rgb(255 255 255), or null for none"
    );
    for good in [
        "#000",
        "#0008",
        "#a0b1c2",
        "#a0b1c2ff",
        "rebeccapurple",
        "rgba(0, 0, 0, 50%)",
        "hsl(120deg 50% 50%)",
    ] {
        assert!(
            qr.to_svg(&SvgOptions {
                dark: good.into(),
                ..d()
            })
            .is_ok(),
            "{good}"
        );
    }
    let e = QrMatrix::encode(&"x".repeat(2332), Ecc::H).unwrap_err();
    assert_eq!(
        (e.code().as_str(), e.to_string().as_str()),
        (
            "QR_TOO_LONG",
            "text of 2332 bytes is too long for a qr code at error correction H"
        )
    );
    assert!(QrMatrix::encode(&"x".repeat(1273), Ecc::H).is_ok()); // version 40-H holds 1,273 bytes
    assert!(QrMatrix::encode(&"x".repeat(1274), Ecc::H).is_err());
    assert_eq!("q".parse::<Ecc>().unwrap(), Ecc::Q);
    assert_eq!(
        "X".parse::<Ecc>().unwrap_err().to_string(),
        "ecc must be \"L\", \"M\", \"Q\" or \"H\""
    );

    let e = decode(10, 10, &[0; 99]).unwrap_err();
    assert_eq!(
        (e.code().as_str(), e.to_string().as_str()),
        (
            "INVALID_IMAGE",
            "image data must have 100 bytes for its width and height, not 99"
        )
    );
    let e = decode_rgba(2, 2, &[0; 15]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "image data must have 16 bytes for its width and height, not 15"
    );
    let e = decode(16_385, 1, &[]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "image is too large: at most 16384 pixels a side and 16777216 pixels in all"
    );
    assert_eq!(decode(0, 0, &[]).unwrap(), Vec::<String>::new());
    assert_eq!(format!("{qr:?}"), "QrMatrix { size: 21, .. }");
}

#[test]
fn reads_light_codes_on_dark_pages_and_transparent_backgrounds() {
    let text = "otpauth://totp/dark?secret=JBSWY3DPEHPK3PXP";
    let qr = QrMatrix::encode(text, Ecc::M).unwrap();
    let (side, luma) = raster(&qr, 4, 4, 230, 25);
    assert_eq!(decode(side, side, &luma).unwrap(), [text]);
    // Black modules on a fully transparent background, as a PNG with alpha gives them.
    let rgba: Vec<u8> = raster(&qr, 4, 4, 0, 255)
        .1
        .iter()
        .flat_map(|&v| if v == 0 { [0, 0, 0, 255] } else { [0, 0, 0, 0] })
        .collect();
    assert_eq!(decode_rgba(side, side, &rgba).unwrap(), [text]);
}

#[test]
fn pictures_without_a_code_give_nothing_and_never_panic() {
    let mut state = 0x1234_5678_9abc_def1u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..200 {
        let (w, h) = (1 + (next() % 200) as usize, 1 + (next() % 200) as usize);
        let blocky = round % 2 == 0;
        let luma: Vec<u8> = (0..w * h)
            .map(|i| {
                if blocky {
                    (((i % w) / 7 + (i / w) / 5) as u64 * 97 % 256) as u8
                } else {
                    next() as u8
                }
            })
            .collect();
        decode(w, h, &luma).unwrap();
    }
    for (w, h) in [(1, 1), (1, 500), (500, 1), (3, 3)] {
        assert!(decode(w, h, &vec![0; w * h]).unwrap().is_empty());
    }
}

#[test]
fn reads_codes_without_a_quiet_zone_and_under_uneven_light() {
    let text = "otpauth://totp/edge?secret=JBSWY3DPEHPK3PXP&issuer=Edge";
    let qr = QrMatrix::encode(text, Ecc::M).unwrap();
    let (side, luma) = raster(&qr, 4, 0, 0, 255);
    assert_eq!(decode(side, side, &luma).unwrap(), [text], "no quiet zone");
    // Light falling off from left to right: white on the right is darker than black on
    // the left, so no single threshold separates dark from light.
    let (side, luma) = raster(&qr, 5, 4, 0, 255);
    let lit: Vec<u8> = luma
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let light = 1.0 - 0.95 * (i % side) as f64 / side as f64;
            ((20.0 + f64::from(v) * 0.85) * light) as u8
        })
        .collect();
    let darkest_white = (0..lit.len())
        .filter(|&i| luma[i] == 255)
        .map(|i| lit[i])
        .min();
    let lightest_black = (0..lit.len())
        .filter(|&i| luma[i] == 0)
        .map(|i| lit[i])
        .max();
    assert!(
        darkest_white < lightest_black,
        "the picture is really unevenly lit"
    );
    assert_eq!(decode(side, side, &lit).unwrap(), [text], "uneven light");
}
