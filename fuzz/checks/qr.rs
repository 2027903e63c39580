//! QR codes: any pixels decode or are refused with a reason, whatever decodes is
//! well-formed, the size limits hold, a drawn code reads back as its text, and the SVG
//! takes no colour that could break out of its attribute.

use super::common::{refused, Input};
use twofa::qr::{decode, decode_rgba, Ecc, QrMatrix, SvgOptions, MAX_PIXELS, MAX_SIDE, MAX_TEXT};
use twofa::Code;

pub fn check(data: &[u8]) {
    let mut input = Input::new(data);
    match input.byte() % 3 {
        0 => pixels(&mut input),
        1 => sizes(&mut input),
        _ => drawn(&mut input),
    }
}

/// Pixels of a width the input chooses, as many rows as it has.
fn pixels(input: &mut Input<'_>) {
    let rgba = input.byte() % 2 == 1;
    let width = usize::from(input.u16() % 512) + 1;
    let channels = if rgba { 4 } else { 1 };
    let rest = input.rest();
    let height = rest.len() / channels / width;
    let body = &rest[..width * height * channels];
    let texts = if rgba {
        decode_rgba(width, height, body)
    } else {
        decode(width, height, body)
    }
    .unwrap_or_else(|e| panic!("pixels that match their size are read: {e}"));
    well_formed(&texts);
}

/// Whatever is read: distinct texts, none longer than a QR code can hold.
fn well_formed(texts: &[String]) {
    for (i, text) in texts.iter().enumerate() {
        assert!(
            text.chars().count() <= MAX_TEXT,
            "a text longer than any qr code holds"
        );
        assert!(!texts[..i].contains(text), "the same text twice");
    }
}

/// Sizes that do not match the pixels, or that are over the limits, are refused before
/// any work.
fn sizes(input: &mut Input<'_>) {
    let width = input.u32() as usize;
    let height = input.u32() as usize;
    let rgba = input.byte() % 2 == 1;
    let body = input.rest();
    let channels = if rgba { 4 } else { 1 };
    let fits = width <= MAX_SIDE && height <= MAX_SIDE && width * height <= MAX_PIXELS;
    if fits && width * height * channels == body.len() {
        return;
    }
    let err = if rgba {
        decode_rgba(width, height, body)
    } else {
        decode(width, height, body)
    }
    .expect_err("a size that does not match");
    refused(&err, &[Code::InvalidImage], &[]);
    let message = err.to_string();
    if fits {
        assert_eq!(
            message,
            format!(
                "image data must have {} bytes for its width and height, not {}",
                width * height * channels,
                body.len()
            )
        );
    } else {
        assert_eq!(
            message,
            format!("image is too large: at most {MAX_SIDE} pixels a side and {MAX_PIXELS} pixels in all")
        );
    }
}

/// A code drawn from text reads back as that text; the SVG's colours stay attributes.
fn drawn(input: &mut Input<'_>) {
    let ecc = [Ecc::L, Ecc::M, Ecc::Q, Ecc::H][usize::from(input.byte() % 4)];
    let scale = usize::from(input.byte() % 3) + 1;
    let dark = input.text(16);
    let light = input.text(16);
    let text = String::from_utf8_lossy(input.rest()).into_owned();
    let text: String = text.chars().take(40).collect();
    let matrix = match QrMatrix::encode(&text, ecc) {
        Ok(matrix) => matrix,
        Err(err) => {
            refused(&err, &[Code::QrTooLong], &[]);
            return;
        }
    };
    let options = SvgOptions {
        margin: 2,
        dark,
        light: Some(light),
    };
    match matrix.to_svg(&options) {
        Ok(svg) => {
            for colour in [&options.dark, options.light.as_ref().expect("light")] {
                assert!(
                    !colour.contains(['"', '<', '>', '&']),
                    "a colour breaks the svg"
                );
            }
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        }
        Err(err) => refused(&err, &[Code::InvalidOptions], &[]),
    }
    if text.is_empty() {
        return;
    }
    let margin = 4;
    let side = (matrix.size() + 2 * margin) * scale;
    let luma: Vec<u8> = (0..side * side)
        .map(|i| {
            let (x, y) = ((i % side) / scale, (i / side) / scale);
            let dark = x >= margin && y >= margin && matrix.is_dark(x - margin, y - margin);
            if dark {
                0
            } else {
                255
            }
        })
        .collect();
    let texts = decode(side, side, &luma).expect("a drawn code's pixels");
    assert_eq!(texts, [text], "a drawn code does not read back as its text");
}
