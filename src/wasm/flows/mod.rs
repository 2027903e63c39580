//! The binding of `crate::flows`: backup, recovery and verification codes, security
//! answers, trusted devices and throttling, as records in and records out. The
//! `twofa/flows` entry.
//!
//! Records go in as the JSON text `JSON.stringify` writes and come out as JSON, both by
//! their one description (`record!`). Times are `Date.now()` unless given, entropy is
//! `crypto.getRandomValues`.

pub mod answers;
pub mod backup;
pub mod device;
pub mod link;
pub(crate) mod records;
pub mod recovery;
pub mod throttle;
pub mod verification;

use super::convert::{fail, Message, Out};
use crate::error::Sink;
use crate::Code;
use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// The longest user name or other text a flow reads, in characters.
const MAX_TEXT_CHARS: usize = 1024;

// ---------------------------------------------------------------------------------------
// Signing keys and revocation lists: trusted devices and action links

/// The keys the input segment holds, each framed as a kind byte (0 bytes, 1 base32 text),
/// a four-byte little-endian length, and the key. Base32 keys are decoded; each is checked
/// to be 16 to 1,024 bytes.
fn framed_keys(framed: &[u8]) -> Out<Vec<Zeroizing<Vec<u8>>>> {
    let mut out = Vec::new();
    let mut rest = framed;
    while let [kind, a, b, c, d, tail @ ..] = rest {
        let len = u32::from_le_bytes([*a, *b, *c, *d]) as usize;
        let key = tail
            .get(..len)
            .ok_or_else(|| fail(Code::InternalError, "internal error (keys)"))?;
        rest = tail.get(len..).unwrap_or_default();
        let bytes = if *kind == 1 {
            let text = core::str::from_utf8(key)
                .map_err(|_| fail(Code::InternalError, "internal error (keys)"))?;
            crate::otp::decode_base32(text).map_err(|err| {
                let mut message = Message::new(Code::InvalidKey).with("key text is not base32: ");
                err.write(&mut message);
                message.done()
            })?
        } else {
            Zeroizing::new(key.to_vec())
        };
        crate::flows::check_key(&bytes)?;
        out.push(bytes);
    }
    Ok(out)
}

/// The one key to sign with, framed as [`framed_keys`] reads it.
fn key(framed: Option<&[u8]>) -> Out<Zeroizing<Vec<u8>>> {
    framed_keys(framed.unwrap_or_default())?
        .into_iter()
        .next()
        .ok_or_else(|| {
            fail(
                Code::InvalidKey,
                "key must be a Uint8Array of 16 to 1024 bytes, or base32 text of one",
            )
        })
}

/// The keys to check with, the current one first: 1 to 64 of them.
fn keys(framed: Option<&[u8]>) -> Out<Vec<Zeroizing<Vec<u8>>>> {
    let keys = framed_keys(framed.unwrap_or_default())?;
    if keys.is_empty() || keys.len() > 64 {
        return Err(fail(
            Code::InvalidKey,
            "keys must be a key or an array of at most 64 keys",
        ));
    }
    Ok(keys)
}

/// A revocation list, the JSON list of at most 100,000 ids of at most `max` characters
/// each; `message` says what it must be.
fn revoked(list: Option<&str>, max: usize, message: &str) -> Out<Vec<String>> {
    match list {
        None => Ok(Vec::new()),
        Some(list) => super::record::from_json::<Vec<String>>(list)
            .ok()
            .filter(|l| l.len() <= 100_000 && l.iter().all(|id| super::convert::chars(id) <= max))
            .ok_or_else(|| fail(Code::InvalidOptions, message)),
    }
}

/// Text that is kept as written, up to `max` characters, or an error naming `name`. Lone
/// surrogates are refused by the JavaScript layer, which would otherwise pass U+FFFD.
fn text<'a>(value: Option<&'a str>, name: &str, max: usize) -> Out<Option<&'a str>> {
    match value {
        Some(v) if super::convert::chars(v) > max => {
            let mut message = Message::new(Code::InvalidOptions)
                .with(name)
                .with(" must be a string of at most ");
            message.size(max);
            Err(message.with(" characters, without lone surrogates").done())
        }
        other => Ok(other),
    }
}

/// The revision of the record a new one replaces, as the JavaScript layer read it from
/// `replaces` (0 for a record older than revisions), or `NaN` when there is none.
fn replaces(revision: f64) -> Out<Option<u64>> {
    match super::convert::given(revision) {
        None => Ok(None),
        Some(n) => super::convert::whole(n, super::convert::MAX_SAFE_INTEGER)
            .map(Some)
            .ok_or_else(|| crate::Error::new(crate::error::ErrorKind::Record("revision")).into()),
    }
}

/// A required text option.
fn required<'a>(value: Option<&'a str>, name: &str, max: usize) -> Out<&'a str> {
    text(value, name, max)?.ok_or_else(|| {
        Message::new(Code::InvalidOptions)
            .with(name)
            .with(" is required")
            .done()
    })
}
