//! Base64 (RFC 4648 §4 and §5) for secrets in transit: Google Authenticator exports,
//! stored records and trusted-device tokens. Decoding reads either alphabet, with or
//! without padding, into a zeroizing buffer sized up front.

use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// The standard alphabet, `+` and `/`, padded with `=`.
pub(crate) const STANDARD: Alphabet = Alphabet {
    symbols: b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
    pad: true,
};
/// The URL-safe alphabet, `-` and `_`, unpadded: for tokens and JSON records.
pub(crate) const URL_SAFE: Alphabet = Alphabet {
    symbols: b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
    pad: false,
};

pub(crate) struct Alphabet {
    symbols: &'static [u8; 64],
    pad: bool,
}

/// Why text is not base64.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Invalid {
    /// A character outside both alphabets, at a 1-based position.
    Char(usize),
    /// A length that cannot encode whole bytes.
    Length,
}

/// The 6-bit value of a character of either alphabet.
const fn value(c: char) -> Option<u8> {
    match c {
        'A'..='Z' => Some(c as u8 - b'A'),
        'a'..='z' => Some(c as u8 - b'a' + 26),
        '0'..='9' => Some(c as u8 - b'0' + 52),
        '+' | '-' => Some(62),
        '/' | '_' => Some(63),
        _ => None,
    }
}

/// Decodes base64 in either alphabet, trailing padding optional.
pub(crate) fn decode(text: &str) -> Result<Zeroizing<Vec<u8>>, Invalid> {
    let body = text.trim_end_matches('=');
    let symbols = body.chars().count();
    if symbols % 4 == 1 {
        return Err(Invalid::Length);
    }
    let mut out = Zeroizing::new(Vec::with_capacity(symbols * 3 / 4));
    let (mut acc, mut bits) = (0u32, 0u32);
    for (index, c) in body.chars().enumerate() {
        let v = value(c).ok_or(Invalid::Char(index + 1))?;
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

/// Encodes `bytes` into a zeroizing string sized up front.
pub(crate) fn encode(bytes: &[u8], alphabet: Alphabet) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(bytes.len().div_ceil(3) * 4));
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let v = (n >> (18 - 6 * i)) & 63;
                out.push(char::from(
                    alphabet.symbols.get(v as usize).copied().unwrap_or(b'A'),
                ));
            } else if alphabet.pad {
                out.push('=');
            }
        }
    }
    out
}
