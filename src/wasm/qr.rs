//! The binding of `crate::qr`: QR codes drawn as SVG or as a module matrix, and read from
//! pixels. The `twofa/qr` entry. Its exports scrub the stack deeper: the decoder keeps a
//! module bitmap of each code on the stack, and a QR code may carry a secret.

use super::convert::{
    export, fail, given, reply, reply_bytes, reply_json, whole, Input, Message, Out, SCRUB_QR,
};
use crate::qr::{Ecc, QrMatrix, SvgOptions};
use crate::{Code, Error};
use alloc::string::String;
use alloc::vec::Vec;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const ECC: &str = r#"
/** Error correction: about 7, 15, 25 or 30 % of the code may be damaged. */
export type Ecc = "L" | "M" | "Q" | "H";
"#;

/// The longest text read for drawing, in bytes; a QR code holds at most 7,089 characters.
const MAX_TEXT_BYTES: usize = 32_768;

fn ecc(name: Option<&str>) -> Out<Ecc> {
    name.map_or_else(|| Ok(Ecc::default()), |n| n.parse().map_err(Into::into))
}

/// The matrix of `text` at `ecc`, refused by its length before encoding when far too long.
fn matrix(text: Option<&str>, ecc_name: Option<&str>) -> Out<QrMatrix> {
    let ecc = ecc(ecc_name)?;
    let text = text.unwrap_or_default();
    if text.len() > MAX_TEXT_BYTES {
        return Err(Error::new(crate::error::ErrorKind::QrTooLong {
            bytes: text.len(),
            ecc: ecc.letter(),
        })
        .into());
    }
    Ok(QrMatrix::encode(text, ecc)?)
}

export! {
    /// `text` drawn as an SVG document. `light` is absent for the default background,
    /// and `light_none` asks for none.
    #[scrub = SCRUB_QR]
    fn qr_svg(text: u32, ecc_name: u32, margin: f64, dark: u32, light: u32, light_none: bool) {
        let input = Input::take()?;
        let [text, ecc_name, dark, light] = input.texts([text, ecc_name, dark, light])?;
        let qr = matrix(text, ecc_name)?;
        let mut options = SvgOptions::default();
        if let Some(m) = given(margin) {
            options.margin = whole(m, 64.0)
                .and_then(|m| u32::try_from(m).ok())
                .ok_or_else(|| fail(Code::InvalidOptions, "margin must be a whole number of modules from 0 to 64"))?;
        }
        if let Some(dark) = dark {
            options.dark = String::from(dark);
        }
        if light_none {
            options.light = None;
        } else if let Some(light) = light {
            options.light = Some(String::from(light));
        }
        reply(&qr.to_svg(&options)?)
    }

    /// The modules of `text`'s QR code in the output, one byte each, row by row; the
    /// answer is the side.
    #[scrub = SCRUB_QR]
    fn qr_matrix(text: u32, ecc_name: u32) {
        let input = Input::take()?;
        let [text, ecc_name] = input.texts([text, ecc_name])?;
        let qr = matrix(text, ecc_name)?;
        reply_bytes(qr.modules())?;
        Ok(qr.size() as f64)
    }

    /// The texts of every QR code in RGBA pixels (the input, `width × height × 4` bytes),
    /// as a JSON array, in reading order. Pixels too many to pass in are absent, and
    /// `found` says how many bytes there were.
    #[scrub = SCRUB_QR]
    fn decode_qr(width: f64, height: f64, pixels: u32, found: f64) {
        let side = |n: f64, name: &str| -> Out<usize> {
            whole(n, super::convert::MAX_SAFE_INTEGER)
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| {
                    Message::new(Code::InvalidImage)
                        .with(name)
                        .with(" must be a whole number of pixels")
                        .done()
                })
        };
        let (width, height) = (side(width, "width")?, side(height, "height")?);
        let input = Input::take()?;
        let [pixels] = input.segments([pixels])?;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let found = pixels.map_or(found as usize, <[u8]>::len);
        crate::qr::check_size(width, height, 4, found)?;
        let pixels = pixels.unwrap_or_default();
        let texts: Vec<String> = crate::qr::decode_rgba(width, height, pixels)?;
        reply_json(&texts)
    }
}
