//! RFC 4648 base32, lenient on input and canonical on output.
//!
//! Written here rather than taken from `base32` or `data-encoding`: twofa's input rules
//! (spaces and hyphens skipped, trailing padding optional, errors naming the character
//! position in the text as typed) would need a pre-pass that copies the secret, and the
//! decoded bytes go straight into a zeroizing buffer sized up front, so no reallocation
//! leaves a copy of the secret behind.

use crate::error::{Error, ErrorKind};
use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// The 5-bit value of a base32 character, either case.
const fn value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a'),
        b'2'..=b'7' => Some(c - b'2' + 26),
        _ => None,
    }
}

/// Decodes lenient base32: either case, separators (spaces and hyphens, and the tabs and
/// line breaks that come with pasted text) skipped, trailing `=` padding optional.
///
/// Bits left over after the last whole byte are ignored, as Google Authenticator does.
/// Errors name the position of a character as people count them, from 1.
pub(crate) fn decode(text: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    let symbols = text.bytes().filter(|&c| value(c).is_some()).count();
    let bytes = symbols.saturating_mul(5) / 8;
    if bytes > super::MAX_LEN {
        // Refused before anything is allocated for it.
        return Err(super::secret::too_long(bytes));
    }
    let mut out = Zeroizing::new(Vec::with_capacity(bytes));
    let mut acc: u16 = 0;
    let mut bits: u32 = 0;
    let mut padded = false;
    let mut position = 0usize;
    for c in text.bytes() {
        // Bytes of the text, counted as characters: a continuation byte is never one.
        if c & 0xc0 == 0x80 {
            continue;
        }
        position += 1;
        if matches!(c, b' ' | b'-' | b'\t' | b'\r' | b'\n') {
            continue;
        }
        if c == b'=' {
            padded = true;
            continue;
        }
        let Some(v) = value(c) else {
            return Err(Error::new(ErrorKind::Base32Char(position)));
        };
        if padded {
            return Err(Error::new(ErrorKind::Base32AfterPadding(position)));
        }
        acc = (acc << 5) | u16::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // 1, 3 or 6 symbols after the last full group of 8 leave 5 or more unused bits,
    // which no encoder writes.
    if matches!(symbols % 8, 1 | 3 | 6) {
        return Err(Error::new(ErrorKind::Base32Length(symbols)));
    }
    Ok(out)
}

/// Canonical base32: upper case, no padding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(encoded_len(bytes.len()));
    encode_into(bytes, &mut out);
    // Only ASCII was written.
    String::from_utf8(out).unwrap_or_default()
}

/// The length of the canonical base32 of `len` bytes.
pub(crate) const fn encoded_len(len: usize) -> usize {
    len.saturating_mul(8).div_ceil(5)
}

/// Canonical base32 of `bytes`, after what `out` holds: eight characters for each five
/// bytes, the last group cut short.
pub(crate) fn encode_into(bytes: &[u8], out: &mut Vec<u8>) {
    for group in bytes.chunks(5) {
        let mut bits = 0u64;
        for (i, &b) in group.iter().enumerate() {
            bits |= u64::from(b) << (32 - 8 * i);
        }
        let mut symbols = [0u8; 8];
        for (i, slot) in symbols.iter_mut().enumerate() {
            #[allow(clippy::cast_possible_truncation)] // five bits
            let v = (bits >> (35 - 5 * i)) as u16;
            *slot = symbol(v);
        }
        out.extend_from_slice(symbols.get(..encoded_len(group.len())).unwrap_or_default());
        super::hmac::wipe(&mut symbols, [0; 8]);
    }
}

/// The base32 character of a 5-bit value: `A`–`Z`, then `2`–`7`.
fn symbol(v: u16) -> u8 {
    let v = (v & 31) as u8;
    if v < 26 {
        b'A' + v
    } else {
        b'2' + (v - 26)
    }
}

/// Canonical base32 in groups of four, as people type it: `JBSW Y3DP EHPK 3PXP`.
pub(crate) fn group(canonical: &str) -> String {
    let mut out = String::with_capacity(canonical.len().saturating_mul(5) / 4);
    for (i, c) in canonical.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        // RFC 4648 §10, without padding.
        let table: &[(&[u8], &str)] = &[
            (b"", ""),
            (b"f", "MY"),
            (b"fo", "MZXQ"),
            (b"foo", "MZXW6"),
            (b"foob", "MZXW6YQ"),
            (b"fooba", "MZXW6YTB"),
            (b"foobar", "MZXW6YTBOI"),
        ];
        for &(bytes, text) in table {
            assert_eq!(encode(bytes), text);
            assert_eq!(
                decode(text).map(|v| v.to_vec()),
                Ok(bytes.to_vec()),
                "{text}"
            );
        }
    }
}
