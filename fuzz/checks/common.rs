//! What every check shares: reading a fuzz input as values, and what a refusal must be.

use twofa::{Code, Error};

/// Reads a fuzz input front to back as small values; past its end every read is zero or
/// empty, so any input is some case.
pub struct Input<'a> {
    rest: &'a [u8],
}

impl<'a> Input<'a> {
    pub fn new(data: &'a [u8]) -> Input<'a> {
        Input { rest: data }
    }

    pub fn byte(&mut self) -> u8 {
        match self.rest.split_first() {
            Some((&b, rest)) => {
                self.rest = rest;
                b
            }
            None => 0,
        }
    }

    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.byte(), self.byte()])
    }

    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()])
    }

    pub fn i64(&mut self) -> i64 {
        let mut b = [0u8; 8];
        for slot in &mut b {
            *slot = self.byte();
        }
        i64::from_le_bytes(b)
    }

    /// Up to `max` bytes: a length byte, then that many (fewer at the end).
    pub fn bytes(&mut self, max: usize) -> &'a [u8] {
        let len = usize::from(self.byte()).min(max).min(self.rest.len());
        let (head, rest) = self.rest.split_at(len);
        self.rest = rest;
        head
    }

    /// Text of up to `max` bytes, as [`Input::bytes`], invalid UTF-8 replaced.
    pub fn text(&mut self, max: usize) -> String {
        String::from_utf8_lossy(self.bytes(max)).into_owned()
    }

    /// Everything left.
    pub fn rest(&mut self) -> &'a [u8] {
        core::mem::take(&mut self.rest)
    }
}

/// A refusal names its problem: one of the `allowed` codes, a message that is not empty
/// and is what `Display` and `Debug` show, and no secret of the input in it. A secret is
/// looked for when it has 12 bytes or more and a capital letter, as base32 secrets do:
/// messages are lower case (but for algorithm names), so only a leak could hold it.
pub fn refused(err: &Error, allowed: &[Code], secrets: &[&str]) {
    let message = err.to_string();
    assert!(
        allowed.contains(&err.code()),
        "unexpected {:?}: {message}",
        err.code()
    );
    assert!(
        !message.trim().is_empty(),
        "empty message for {:?}",
        err.code()
    );
    assert!(!err.code().as_str().is_empty());
    assert_eq!(
        format!("{err:?}"),
        format!("Error({}: \"{message}\")", err.code().as_str())
    );
    for secret in secrets {
        if secret.len() >= 12 && secret.bytes().any(|b| b.is_ascii_uppercase()) {
            assert!(
                !message.contains(secret),
                "the message of {:?} holds a secret",
                err.code()
            );
        }
    }
}

/// Entropy from the fuzz input, for functions that draw random bytes: the same input
/// draws the same bytes.
pub fn entropy(seed: u64) -> impl FnMut(&mut [u8]) -> Result<(), twofa::EntropyError> {
    let mut s = seed | 1;
    move |buf: &mut [u8]| {
        for b in buf {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            *b = (s >> 24) as u8;
        }
        Ok(())
    }
}
