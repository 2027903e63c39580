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
pub mod recovery;
pub mod throttle;
pub mod verification;

use super::convert::{Message, Out};
use crate::error::Sink;
use crate::Code;

/// The longest user name or other text a flow reads, in characters.
const MAX_TEXT_CHARS: usize = 1024;

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

/// A required text option.
fn required<'a>(value: Option<&'a str>, name: &str, max: usize) -> Out<&'a str> {
    text(value, name, max)?.ok_or_else(|| {
        Message::new(Code::InvalidOptions)
            .with(name)
            .with(" is required")
            .done()
    })
}
