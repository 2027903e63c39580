//! Percent-encoding (RFC 3986 §2.1), as otpauth:// URIs and Google Authenticator exports
//! use it.

use crate::error::{Error, ErrorKind};
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// Percent-decodes `raw` into a zeroizing buffer sized up front.
pub(crate) fn decode(
    raw: &str,
    plus: bool,
    part: &'static str,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let mut out = Zeroizing::new(Vec::with_capacity(raw.len()));
    let mut bytes = raw.bytes();
    while let Some(b) = bytes.next() {
        out.push(match b {
            b'%' => {
                let hi = bytes.next().and_then(hex);
                let lo = bytes.next().and_then(hex);
                match (hi, lo) {
                    (Some(hi), Some(lo)) => (hi << 4) | lo,
                    _ => return Err(Error::new(ErrorKind::PercentEncoding(part))),
                }
            }
            b'+' if plus => b' ',
            b => b,
        });
    }
    Ok(out)
}

/// The value of a hex digit, either case.
const fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters (and `@` in a
/// label, where it is allowed and common), so spaces become `%20`, never `+`. Runs of
/// bytes kept as they are go in whole.
pub(crate) fn encode(out: &mut Vec<u8>, text: &str, label: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut rest = text.as_bytes();
    while !rest.is_empty() {
        let keep = rest
            .iter()
            .position(|&b| {
                !(b.is_ascii_alphanumeric()
                    || matches!(b, b'-' | b'.' | b'_' | b'~')
                    || (label && b == b'@'))
            })
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(keep);
        out.extend_from_slice(run);
        if let Some((&b, tail)) = tail.split_first() {
            let hex = |nibble: u8| HEX.get(usize::from(nibble)).copied().unwrap_or(b'0');
            out.extend_from_slice(&[b'%', hex(b >> 4), hex(b & 15)]);
            rest = tail;
        } else {
            rest = tail;
        }
    }
}
