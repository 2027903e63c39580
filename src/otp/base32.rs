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
const fn value(c: char) -> Option<u8> {
    match c {
        'A'..='Z' => Some(c as u8 - b'A'),
        'a'..='z' => Some(c as u8 - b'a'),
        '2'..='7' => Some(c as u8 - b'2' + 26),
        _ => None,
    }
}

/// Characters people put between groups of a key, which decoding skips: spaces and
/// hyphens, and the tabs and line breaks that come with pasted text.
const fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '\t' | '\r' | '\n')
}

/// Decodes lenient base32: either case, separators skipped, trailing `=` padding optional.
///
/// Bits left over after the last whole byte are ignored, as Google Authenticator does.
pub(crate) fn decode(text: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    let symbols = text.chars().filter(|&c| value(c).is_some()).count();
    let bytes = symbols.saturating_mul(5) / 8;
    if bytes > super::MAX_LEN {
        // Refused before anything is allocated for it.
        return Err(super::secret::too_long(bytes));
    }
    let mut out = Zeroizing::new(Vec::with_capacity(bytes));
    let mut acc: u16 = 0;
    let mut bits: u32 = 0;
    let mut padded = false;
    for (index, c) in text.chars().enumerate() {
        let position = index.saturating_add(1);
        if is_separator(c) {
            continue;
        }
        if c == '=' {
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
    let mut out = String::with_capacity(bytes.len().saturating_mul(8).div_ceil(5));
    let mut acc: u16 = 0;
    let mut bits: u32 = 0;
    for &b in bytes {
        acc = (acc << 8) | u16::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(symbol(acc >> bits));
            acc &= (1 << bits) - 1;
        }
    }
    if bits > 0 {
        out.push(symbol(acc << (5 - bits)));
    }
    out
}

/// The base32 character of a 5-bit value: `A`–`Z`, then `2`–`7`.
fn symbol(v: u16) -> char {
    let v = (v & 31) as u8;
    char::from(if v < 26 { b'A' + v } else { b'2' + (v - 26) })
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
