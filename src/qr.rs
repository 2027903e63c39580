//! QR codes both ways: any text drawn as a module matrix or an SVG, and the texts of
//! every QR code found in a picture.
//!
//! Drawing uses the `qrcode` crate (version and segment modes chosen for the shortest
//! code); reading uses `quircs`, a Rust port of quirc, which finds codes at any
//! position, size and rotation, under perspective. `rqrr` was measured too and left
//! out: it panicked and hung on adversarial pictures, and its 128 KiB of Galois-field
//! tables would have tripled the module.

use crate::error::{Error, ErrorKind, ImageProblem};
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt::Write;
use core::str::FromStr;
use zeroize::Zeroizing;

/// The longest side of a picture [`decode`] reads, in pixels.
pub const MAX_SIDE: usize = 16_384;
/// The most pixels [`decode`] reads: 16 megapixels, a 5K screen. Scale larger pictures
/// down first; a QR code needs only a few pixels a module.
pub const MAX_PIXELS: usize = 16_777_216;
/// The longest text [`QrMatrix::encode`] accepts, in bytes: a version-40 code at error
/// correction L holds 2,953 bytes of arbitrary data, or 7,089 digits.
pub const MAX_TEXT: usize = 7_089;

/// How much of a QR code can be damaged and still read: about 7, 15, 25 or 30 percent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Ecc {
    /// Low, about 7 %: the smallest code.
    L,
    /// Medium, about 15 %: the default, and what authenticator setup pages use.
    #[default]
    M,
    /// Quartile, about 25 %.
    Q,
    /// High, about 30 %: for codes printed with a logo over them.
    H,
}

impl Ecc {
    pub(crate) const fn letter(self) -> char {
        match self {
            Ecc::L => 'L',
            Ecc::M => 'M',
            Ecc::Q => 'Q',
            Ecc::H => 'H',
        }
    }
}

impl FromStr for Ecc {
    type Err = Error;

    /// `L`, `M`, `Q` or `H`, in either case.
    fn from_str(text: &str) -> Result<Ecc, Error> {
        match text {
            "L" | "l" => Ok(Ecc::L),
            "M" | "m" => Ok(Ecc::M),
            "Q" | "q" => Ok(Ecc::Q),
            "H" | "h" => Ok(Ecc::H),
            _ => Err(Error::new(ErrorKind::QrOption(
                "ecc must be \"L\", \"M\", \"Q\" or \"H\"",
            ))),
        }
    }
}

/// The modules of a QR code, without the quiet zone: `size × size`, row by row.
///
/// The matrix of an otpauth:// URI encodes its secret, so it is zeroed when dropped.
///
/// # Example
///
/// ```
/// use twofa::qr::{Ecc, QrMatrix};
///
/// let qr = QrMatrix::encode("otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP", Ecc::M)?;
/// assert_eq!(qr.size(), 33); // version 4: 17 + 4 × 4 modules a side
/// assert!(qr.is_dark(0, 0) && qr.is_dark(6, 6) && !qr.is_dark(7, 7)); // a finder pattern's corner
/// # Ok::<(), twofa::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct QrMatrix {
    size: usize,
    modules: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for QrMatrix {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "QrMatrix {{ size: {}, .. }}", self.size)
    }
}

/// How [`QrMatrix::to_svg`] draws.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SvgOptions {
    /// The quiet zone around the code, in modules: 0 to 64, default 4 (what the standard asks).
    pub margin: u32,
    /// The colour of dark modules, as CSS: default `#000000`.
    pub dark: String,
    /// The background, as CSS, or `None` for none (transparent): default `#ffffff`.
    pub light: Option<String>,
}

impl Default for SvgOptions {
    fn default() -> SvgOptions {
        SvgOptions {
            margin: 4,
            dark: "#000000".to_owned(),
            light: Some("#ffffff".to_owned()),
        }
    }
}

impl QrMatrix {
    /// Encodes `text` in the smallest QR code that holds it at `ecc`.
    ///
    /// # Errors
    ///
    /// `QR_TOO_LONG` when no QR code holds it.
    pub fn encode(text: &str, ecc: Ecc) -> Result<QrMatrix, Error> {
        let too_long = || {
            Error::new(ErrorKind::QrTooLong {
                bytes: text.len(),
                ecc: ecc.letter(),
            })
        };
        if text.len() > MAX_TEXT {
            return Err(too_long());
        }
        let level = match ecc {
            Ecc::L => qrcode::EcLevel::L,
            Ecc::M => qrcode::EcLevel::M,
            Ecc::Q => qrcode::EcLevel::Q,
            Ecc::H => qrcode::EcLevel::H,
        };
        let code =
            qrcode::QrCode::with_error_correction_level(text, level).map_err(|_| too_long())?;
        let modules = Zeroizing::new(
            code.to_colors()
                .iter()
                .map(|c| u8::from(*c == qrcode::Color::Dark))
                .collect::<Vec<u8>>(),
        );
        Ok(QrMatrix {
            size: code.width(),
            modules,
        })
    }

    /// Modules per side: 21 to 177.
    #[must_use]
    pub fn size(&self) -> usize {
        self.size
    }

    /// Whether the module at column `x`, row `y` is dark; false outside the code.
    #[must_use]
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.size
            && self
                .modules
                .get(y.saturating_mul(self.size).saturating_add(x))
                .is_some_and(|&m| m == 1)
    }

    /// Every module, row by row: 1 for dark, 0 for light.
    #[must_use]
    pub fn modules(&self) -> &[u8] {
        &self.modules
    }

    /// The code as an SVG document: one `<path>` of dark runs over an optional
    /// background `<rect>`, `viewBox` in modules, 8 pixels a module by default size.
    ///
    /// # Errors
    ///
    /// `INVALID_OPTIONS` for a margin over 64, or a colour that is not a plain CSS colour
    /// (`#rgb`, `#rrggbb`, `#rrggbbaa`, a name such as `black`, or `rgb(…)`/`hsl(…)`).
    ///
    /// # Example
    ///
    /// ```
    /// use twofa::qr::{Ecc, QrMatrix, SvgOptions};
    ///
    /// let svg = QrMatrix::encode("hello", Ecc::L)?.to_svg(&SvgOptions::default())?;
    /// assert!(svg.starts_with(r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29" width="232" height="232""##));
    /// let err = QrMatrix::encode("hello", Ecc::L)?
    ///     .to_svg(&SvgOptions { dark: "red\"/><script>".into(), ..SvgOptions::default() })
    ///     .unwrap_err();
    /// assert_eq!(err.code(), "INVALID_OPTIONS");
    /// # Ok::<(), twofa::Error>(())
    /// ```
    pub fn to_svg(&self, options: &SvgOptions) -> Result<String, Error> {
        if options.margin > 64 {
            return Err(Error::new(ErrorKind::QrOption(
                "margin must be a whole number of modules from 0 to 64",
            )));
        }
        if !is_css_colour(&options.dark) {
            return Err(Error::new(ErrorKind::QrOption(
                "dark must be a css colour such as #000000, black or rgb(0 0 0)",
            )));
        }
        if options.light.as_deref().is_some_and(|c| !is_css_colour(c)) {
            return Err(Error::new(ErrorKind::QrOption(
                "light must be a css colour such as #ffffff, white or rgb(255 255 255), or null for none",
            )));
        }
        let margin = options.margin as usize;
        let full = self.size + 2 * margin;
        let mut out = String::with_capacity(256 + self.size * self.size * 4);
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {full} {full}" width="{px}" height="{px}" shape-rendering="crispEdges">"#,
            px = full * 8
        );
        if let Some(light) = &options.light {
            let _ = write!(
                out,
                r#"<rect width="{full}" height="{full}" fill="{light}"/>"#
            );
        }
        let _ = write!(out, r#"<path fill="{}" d=""#, options.dark);
        for y in 0..self.size {
            let mut x = 0;
            while x < self.size {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.size && self.is_dark(x, y) {
                    x += 1;
                }
                let run = x - start;
                let _ = write!(out, "M{} {}h{run}v1h-{run}z", start + margin, y + margin);
            }
        }
        out.push_str(r#""/></svg>"#);
        Ok(out)
    }
}

/// A colour that is safe inside an SVG attribute: a hex colour, a CSS name, or an
/// `rgb()`/`rgba()`/`hsl()`/`hsla()` function of numbers.
fn is_css_colour(text: &str) -> bool {
    if text.len() > 64 {
        return false;
    }
    if let Some(hex) = text.strip_prefix('#') {
        return matches!(hex.len(), 3 | 4 | 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphabetic()) {
        return true;
    }
    let args = ["rgb(", "rgba(", "hsl(", "hsla("]
        .iter()
        .find_map(|f| text.strip_prefix(f))
        .and_then(|rest| rest.strip_suffix(')'));
    args.is_some_and(|args| {
        args.bytes()
            .all(|b| b.is_ascii_digit() || b" .,%/-".contains(&b) || b"degturn".contains(&b))
    })
}

/// The texts of every QR code found in a greyscale picture, `width × height` bytes row
/// by row (0 black, 255 white), in reading order: top to bottom, left to right.
///
/// The picture is read up to five ways, stopping at the first that finds a code: as it
/// is (one global threshold, Otsu's), inside a white border (codes drawn without their
/// quiet zone), inverted (light codes on dark pages), with a local threshold (uneven
/// light, as in photos), and scaled up 2× (dense codes drawn at 2 to 3 pixels a module,
/// whose grid the first reading can miss by a pixel). When the first reading finds a
/// code's finder patterns but cannot read the code (one of several on a page, say), the
/// picture is also read scaled up and what that finds is added. The same text found
/// twice is returned once. A code whose bytes are not UTF-8 is read as ISO 8859-1, the
/// standard's default.
///
/// # Errors
///
/// `INVALID_IMAGE` when `luma` is not `width × height` bytes, or the picture is over
/// [`MAX_SIDE`] pixels a side or [`MAX_PIXELS`] in all.
///
/// # Example
///
/// ```
/// use twofa::qr::{decode, Ecc, QrMatrix};
///
/// let qr = QrMatrix::encode("otpauth://totp/ada?secret=JBSWY3DPEHPK3PXP", Ecc::M)?;
/// // Draw it 4 pixels a module with a 4-module margin, black on white.
/// let side = (qr.size() + 8) * 4;
/// let luma: Vec<u8> = (0..side * side)
///     .map(|i| {
///         let (x, y) = ((i % side) / 4, (i / side) / 4);
///         if x >= 4 && y >= 4 && qr.is_dark(x - 4, y - 4) { 0 } else { 255 }
///     })
///     .collect();
/// assert_eq!(decode(side, side, &luma)?, ["otpauth://totp/ada?secret=JBSWY3DPEHPK3PXP"]);
/// # Ok::<(), twofa::Error>(())
/// ```
pub fn decode(width: usize, height: usize, luma: &[u8]) -> Result<Vec<String>, Error> {
    check_size(width, height, 1, luma.len())?;
    if width == 0 || height == 0 {
        return Ok(Vec::new());
    }
    let (found, unread) = detect(width, height, luma);
    if unread {
        // A code was seen but not read: scaled up, its modules are sampled afresh.
        if let Some(more) = upscaled(width, height, luma) {
            if more.len() >= found.len() && found.iter().all(|t| more.contains(t)) {
                return Ok(more);
            }
            let mut all = found;
            all.extend(
                more.into_iter()
                    .filter(|t| !all.contains(t))
                    .collect::<Vec<_>>(),
            );
            return Ok(all);
        }
    }
    if !found.is_empty() {
        return Ok(found);
    }
    let border = (width.min(height) / 8).max(8);
    let (w, h, padded) = pad(width, height, luma, border, |v| v);
    let (found, _) = detect(w, h, &padded);
    if !found.is_empty() {
        return Ok(found);
    }
    let (w, h, inverted) = pad(width, height, luma, border, |v| 255 - v);
    let (found, _) = detect(w, h, &inverted);
    if !found.is_empty() {
        return Ok(found);
    }
    let (found, _) = detect(width, height, &local_threshold(width, height, luma));
    if !found.is_empty() {
        return Ok(found);
    }
    Ok(upscaled(width, height, luma).unwrap_or_default())
}

/// The largest picture read scaled up 2×: 2 megapixels (a 1920 × 1080 screen) become 8,
/// which bounds the extra work a crafted picture can cause.
const MAX_UPSCALED_PIXELS: usize = 2 * 1024 * 1024;

/// One reading of the picture scaled up 2× (each pixel made four), or `None` when it is
/// too large for that.
fn upscaled(width: usize, height: usize, luma: &[u8]) -> Option<Vec<String>> {
    if width.saturating_mul(height) > MAX_UPSCALED_PIXELS {
        return None;
    }
    let w = width * 2;
    let mut out = Zeroizing::new(vec![0u8; w * height * 2]);
    for (y, row) in luma.chunks_exact(width).enumerate() {
        for (x, &v) in row.iter().enumerate() {
            for (dy, dx) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                if let Some(p) = out.get_mut((2 * y + dy) * w + 2 * x + dx) {
                    *p = v;
                }
            }
        }
    }
    Some(detect(w, height * 2, &out).0)
}

/// The picture inside a white border `border` pixels wide, each pixel mapped by `map`.
fn pad(
    width: usize,
    height: usize,
    luma: &[u8],
    border: usize,
    map: impl Fn(u8) -> u8,
) -> (usize, usize, Zeroizing<Vec<u8>>) {
    let (w, h) = (width + 2 * border, height + 2 * border);
    let mut out = Zeroizing::new(vec![255u8; w * h]);
    for (y, row) in luma.chunks_exact(width).enumerate() {
        let start = (y + border) * w + border;
        if let Some(dst) = out.get_mut(start..start + width) {
            for (d, &v) in dst.iter_mut().zip(row) {
                *d = map(v);
            }
        }
    }
    (w, h, out)
}

/// Black and white by each pixel's neighbourhood: dark when under 90 % of the mean of
/// the 3 × 3 blocks around it, blocks being about a 24th of the shorter side.
fn local_threshold(width: usize, height: usize, luma: &[u8]) -> Zeroizing<Vec<u8>> {
    let block = (width.min(height) / 24).max(4);
    let (bw, bh) = (width.div_ceil(block), height.div_ceil(block));
    let mut sums = vec![(0u64, 0u64); bw * bh];
    for (i, &v) in luma.iter().enumerate() {
        let (x, y) = (i % width / block, i / width / block);
        if let Some(cell) = sums.get_mut(y * bw + x) {
            cell.0 += u64::from(v);
            cell.1 += 1;
        }
    }
    let mut means = vec![0u64; bw * bh];
    for by in 0..bh {
        for bx in 0..bw {
            let (mut total, mut count) = (0, 0);
            for ny in by.saturating_sub(1)..(by + 2).min(bh) {
                for nx in bx.saturating_sub(1)..(bx + 2).min(bw) {
                    if let Some((t, c)) = sums.get(ny * bw + nx) {
                        total += t;
                        count += c;
                    }
                }
            }
            if let Some(m) = means.get_mut(by * bw + bx) {
                *m = total / count.max(1);
            }
        }
    }
    Zeroizing::new(
        luma.iter()
            .enumerate()
            .map(|(i, &v)| {
                let mean = means
                    .get(i / width / block * bw + i % width / block)
                    .copied()
                    .unwrap_or(128);
                if u64::from(v) * 10 < mean * 9 {
                    0
                } else {
                    255
                }
            })
            .collect(),
    )
}

/// [`decode`] for RGBA pixels, 4 bytes a pixel as a canvas `ImageData` holds them;
/// transparent pixels read as white.
///
/// # Errors
///
/// `INVALID_IMAGE`, as [`decode`], for `width × height × 4` bytes.
pub fn decode_rgba(width: usize, height: usize, rgba: &[u8]) -> Result<Vec<String>, Error> {
    check_size(width, height, 4, rgba.len())?;
    let grey = Zeroizing::new(
        rgba.chunks_exact(4)
            .map(|p| match p {
                [r, g, b, a] => luma(*r, *g, *b, *a),
                _ => 255,
            })
            .collect::<Vec<u8>>(),
    );
    decode(width, height, &grey)
}

/// Checks that a buffer of `found` bytes holds `width × height` pixels of `channels`.
pub(crate) fn check_size(
    width: usize,
    height: usize,
    channels: usize,
    found: usize,
) -> Result<(), Error> {
    if width > MAX_SIDE || height > MAX_SIDE || width.saturating_mul(height) > MAX_PIXELS {
        return Err(Error::new(ErrorKind::Image(ImageProblem::TooLarge {
            max_side: MAX_SIDE,
            max_pixels: MAX_PIXELS,
        })));
    }
    let expected = width * height * channels;
    if found != expected {
        return Err(Error::new(ErrorKind::Image(ImageProblem::Size {
            expected,
            found,
        })));
    }
    Ok(())
}

/// The luma of an RGBA pixel composited over white, so a transparent background reads
/// as paper (ITU-R BT.601 weights). [`decode_rgba`] uses it; so can a caller that
/// converts a picture to greyscale itself, row by row.
#[must_use]
pub fn luma(r: u8, g: u8, b: u8, a: u8) -> u8 {
    let grey = (u32::from(r) * 77 + u32::from(g) * 150 + u32::from(b) * 29) >> 8;
    let a = u32::from(a);
    ((grey * a + 255 * (255 - a)) / 255) as u8
}

/// One pass of the decoder: the texts in reading order, and whether a code was seen
/// (its finder patterns and grid) but could not be read.
fn detect(width: usize, height: usize, luma: &[u8]) -> (Vec<String>, bool) {
    let mut decoder = quircs::Quirc::default();
    let mut found: Vec<(i64, i64, String)> = Vec::new();
    let mut unread = false;
    for code in decoder.identify(width, height, luma) {
        let Ok(code) = code else {
            unread = true;
            continue;
        };
        let Ok(data) = code.decode() else {
            unread = true;
            continue;
        };
        let bytes = Zeroizing::new(data.payload);
        let text = match core::str::from_utf8(&bytes) {
            Ok(text) => text.to_owned(),
            Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
        };
        let (mut cx, mut cy) = (0i64, 0i64);
        for corner in &code.corners {
            cx += i64::from(corner.x);
            cy += i64::from(corner.y);
        }
        if !found.iter().any(|(_, _, t)| *t == text) {
            found.push((cy / 4, cx / 4, text));
        }
    }
    // Reading order: rows of codes top to bottom (codes whose centres are within a
    // tenth of the picture's height share a row), each row left to right.
    let band = (height as i64 / 10).max(1);
    found.sort_by_key(|(cy, cx, _)| (cy / band, *cx));
    (found.into_iter().map(|(_, _, text)| text).collect(), unread)
}
