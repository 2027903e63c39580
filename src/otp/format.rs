//! How a truncated HMAC becomes the code people read, and how a typed token is normalised.

use crate::error::{Error, ErrorKind};
use alloc::borrow::ToOwned;
use alloc::string::String;
use subtle::ConstantTimeEq;

/// The 26 characters of Steam Guard codes: digits and consonants without look-alikes.
const STEAM_ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";
/// The characters in a Steam Guard code.
const STEAM_LEN: usize = 5;
/// The longest code of any format.
const MAX_LEN: usize = 10;

/// The shape of a code: 6 to 10 decimal digits, or a 5-character Steam Guard code.
///
/// # Example
///
/// ```
/// use twofa::Format;
///
/// assert_eq!(Format::default(), Format::digits(6)?);
/// assert_eq!(Format::digits(8)?.len(), 8);
/// assert_eq!(Format::STEAM.len(), 5);
/// assert_eq!(Format::digits(5).unwrap_err().to_string(), "digits must be from 6 to 10, not 5");
/// # Ok::<(), twofa::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Format(Kind);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Digits(u8),
    Steam,
}

impl Format {
    /// Steam Guard codes: 5 characters from `23456789BCDFGHJKMNPQRTVWXY`.
    pub const STEAM: Format = Format(Kind::Steam);

    /// Decimal codes of `digits` digits, from 6 to 10 (RFC 4226 §5.3 asks for at least 6).
    ///
    /// # Errors
    ///
    /// `INVALID_DIGITS` outside 6–10.
    pub fn digits(digits: u64) -> Result<Format, Error> {
        match u8::try_from(digits) {
            Ok(d @ 6..=10) => Ok(Format(Kind::Digits(d))),
            _ => Err(Error::new(ErrorKind::Digits(digits))),
        }
    }

    /// The format named by an optional digit count and an optional encoder, as the
    /// JavaScript options and otpauth:// URIs give them. `encoder` may only be `"steam"`
    /// (any case); Steam codes always have 5 characters.
    ///
    /// # Errors
    ///
    /// - `INVALID_ENCODER` for an encoder other than `steam`.
    /// - `INVALID_DIGITS` for digits outside 6–10, or other than 5 with Steam.
    ///
    /// # Example
    ///
    /// ```
    /// use twofa::Format;
    ///
    /// assert_eq!(Format::from_parts(None, None)?, Format::default());
    /// assert_eq!(Format::from_parts(Some(8), None)?, Format::digits(8)?);
    /// assert_eq!(Format::from_parts(None, Some("Steam"))?, Format::STEAM);
    /// assert_eq!(Format::from_parts(Some(6), Some("steam")).unwrap_err().code(), "INVALID_DIGITS");
    /// # Ok::<(), twofa::Error>(())
    /// ```
    pub fn from_parts(digits: Option<u64>, encoder: Option<&str>) -> Result<Format, Error> {
        match (digits, encoder) {
            (_, Some(name)) if !name.eq_ignore_ascii_case("steam") => {
                Err(Error::new(ErrorKind::Encoder))
            }
            (None | Some(5), Some(_)) => Ok(Format::STEAM),
            (Some(n), Some(_)) => Err(Error::new(ErrorKind::SteamDigits(n))),
            (None, None) => Ok(Format::default()),
            (Some(n), None) => Format::digits(n),
        }
    }

    /// The number of characters in a code.
    #[must_use]
    #[allow(clippy::len_without_is_empty)] // a code is never empty
    pub const fn len(self) -> usize {
        match self.0 {
            Kind::Digits(d) => d as usize,
            Kind::Steam => STEAM_LEN,
        }
    }

    /// True for Steam Guard codes.
    #[must_use]
    pub const fn is_steam(self) -> bool {
        matches!(self.0, Kind::Steam)
    }

    /// Renders a 31-bit truncated HMAC value as a code, leading zeros kept.
    pub(crate) fn render(self, value: u32) -> OtpCode {
        let mut code = OtpCode {
            bytes: [0; MAX_LEN],
            len: self.len(),
        };
        match self.0 {
            Kind::Digits(_) => {
                let mut v = u64::from(value);
                for slot in code.bytes.iter_mut().take(code.len).rev() {
                    *slot = b'0' + (v % 10) as u8;
                    v /= 10;
                }
            }
            Kind::Steam => {
                let mut v = value;
                for slot in code.bytes.iter_mut().take(STEAM_LEN) {
                    *slot = STEAM_ALPHABET
                        .get((v % 26) as usize)
                        .copied()
                        .unwrap_or(b'2');
                    v /= 26;
                }
            }
        }
        code
    }

    /// Normalises a typed token: surrounding white space is dropped, and so is one space
    /// or hyphen between characters (`123 456`, `1234-5678`). Steam codes are upper-cased.
    ///
    /// # Errors
    ///
    /// `INVALID_TOKEN`, naming the 1-based position of a wrong character or of a second
    /// separator, or giving the expected and found lengths.
    ///
    /// # Example
    ///
    /// ```
    /// use twofa::Format;
    ///
    /// assert_eq!(Format::default().normalize(" 123 456 ")?, "123456");
    /// assert_eq!(Format::STEAM.normalize("2tc8b")?, "2TC8B");
    /// let err = Format::default().normalize("12345").unwrap_err();
    /// assert_eq!(err.to_string(), "token must have 6 characters, not 5");
    /// let err = Format::default().normalize("12a456").unwrap_err();
    /// assert_eq!(err.to_string(), "token has a non-digit at position 3");
    /// # Ok::<(), twofa::Error>(())
    /// ```
    pub fn normalize(self, token: &str) -> Result<String, Error> {
        let code = self.parse_token(token)?;
        Ok(code.as_str().to_owned())
    }

    /// True when `token` is not a whole code yet but more typing could make it one: it
    /// is empty, or too short with no wrong character, or it ends in one space or hyphen
    /// after such a start (`"123-"` on the way to `"123-456"`). For a form that shows
    /// unfinished input as such rather than as an error.
    ///
    /// # Example
    ///
    /// ```
    /// use twofa::Format;
    ///
    /// assert!(Format::default().is_unfinished("123-"));
    /// assert!(Format::default().is_unfinished(""));
    /// assert!(!Format::default().is_unfinished("123--"));
    /// assert!(!Format::default().is_unfinished("123456"));
    /// ```
    #[must_use]
    pub fn is_unfinished(self, token: &str) -> bool {
        let incomplete = |t: &str| self.parse_token(t).is_err_and(|e| e.is_incomplete());
        if incomplete(token) {
            return true;
        }
        // One trailing separator after a start that is not blank and does not end in one.
        // (A character that is not ASCII makes any start wrong, so bytes suffice.)
        match token.as_bytes().split_last() {
            Some((b'-' | b' ', rest))
                if !matches!(rest.last(), Some(b'-' | b' '))
                    && rest.iter().any(|b| !b.is_ascii_whitespace()) =>
            {
                token.get(..rest.len()).is_some_and(incomplete)
            }
            _ => false,
        }
    }

    pub(crate) fn parse_token(self, token: &str) -> Result<OtpCode, Error> {
        // On bytes: every byte a code may hold is ASCII, so the first byte that is not
        // is an error, at the position of its character; until then bytes are characters.
        let bytes = token.as_bytes();
        let leading = bytes
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .ok_or_else(|| Error::new(ErrorKind::TokenEmpty))?;
        let end = bytes
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(leading, |last| last + 1);
        let trimmed = bytes.get(leading..end).unwrap_or_default();
        let last = trimmed.iter().filter(|&&b| b & 0xc0 != 0x80).count();
        let mut code = OtpCode {
            bytes: [0; MAX_LEN],
            len: 0,
        };
        let mut found = 0usize;
        let mut separated = false;
        for (index, &b) in trimmed.iter().enumerate() {
            let position = leading + index + 1;
            if index > 0 && index + 1 < last && (b == b' ' || b == b'-') {
                if separated {
                    return Err(Error::new(ErrorKind::TokenSeparator(position)));
                }
                separated = true;
                continue;
            }
            let byte = match self.0 {
                Kind::Digits(_) if b.is_ascii_digit() => b,
                Kind::Steam if STEAM_ALPHABET.contains(&b.to_ascii_uppercase()) => {
                    b.to_ascii_uppercase()
                }
                _ => {
                    return Err(Error::new(ErrorKind::TokenChar {
                        position,
                        steam: self.is_steam(),
                    }));
                }
            };
            if let Some(slot) = code.bytes.get_mut(found) {
                *slot = byte;
            }
            found += 1;
        }
        if found != self.len() {
            return Err(Error::new(ErrorKind::TokenLength {
                expected: self.len(),
                found,
            }));
        }
        code.len = found;
        Ok(code)
    }
}

impl Default for Format {
    /// Six digits, what every authenticator app shows.
    fn default() -> Format {
        Format(Kind::Digits(6))
    }
}

/// A code on the stack: no allocation, compared in constant time.
#[derive(Clone, Copy)]
pub(crate) struct OtpCode {
    bytes: [u8; MAX_LEN],
    len: usize,
}

impl OtpCode {
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits and Steam letters are ever written.
        core::str::from_utf8(self.bytes.get(..self.len).unwrap_or_default()).unwrap_or_default()
    }

    /// Constant-time equality of two codes of the same format.
    pub(crate) fn matches(&self, other: &OtpCode) -> bool {
        self.bytes.ct_eq(&other.bytes).into() && self.len == other.len
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // tests may panic: that is how they fail
mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec::Vec;

    /// The reading of a token written on characters, as it was before `parse_token` read
    /// bytes: the byte reading must agree with it on every input.
    fn by_chars(format: Format, token: &str) -> Result<String, Error> {
        let leading = token.chars().take_while(char::is_ascii_whitespace).count();
        let trimmed = token.trim_matches(|c: char| c.is_ascii_whitespace());
        if trimmed.is_empty() {
            return Err(Error::new(ErrorKind::TokenEmpty));
        }
        let last = trimmed.chars().count();
        let mut out = String::new();
        let mut separated = false;
        for (index, c) in trimmed.chars().enumerate() {
            let position = leading + index + 1;
            if index > 0 && index + 1 < last && (c == ' ' || c == '-') {
                if separated {
                    return Err(Error::new(ErrorKind::TokenSeparator(position)));
                }
                separated = true;
                continue;
            }
            let upper = c.to_ascii_uppercase();
            match format.0 {
                Kind::Digits(_) if c.is_ascii_digit() => out.push(c),
                Kind::Steam if upper.is_ascii() && STEAM_ALPHABET.contains(&(upper as u8)) => {
                    out.push(upper);
                }
                _ => {
                    return Err(Error::new(ErrorKind::TokenChar {
                        position,
                        steam: format.is_steam(),
                    }))
                }
            }
        }
        let found = out.chars().count();
        if found == format.len() {
            Ok(out)
        } else {
            Err(Error::new(ErrorKind::TokenLength {
                expected: format.len(),
                found,
            }))
        }
    }

    /// `is_unfinished` as it was written on characters.
    fn unfinished_by_chars(format: Format, token: &str) -> bool {
        let incomplete = |t: &str| by_chars(format, t).is_err_and(|e| e.is_incomplete());
        incomplete(token)
            || token
                .strip_suffix(['-', ' '])
                .filter(|rest| !rest.trim().is_empty() && !rest.ends_with(['-', ' ']))
                .is_some_and(incomplete)
    }

    #[test]
    fn tokens_read_on_bytes_as_on_characters() {
        const POOL: &[&str] = &[
            "0", "1", "7", "9", "2", "B", "c", "y", "Z", "a", " ", "-", "\t", "\n", "\r", "\x0c",
            "é", "東", "🔑", "\u{a0}", "\u{2028}", "٣", "x", ".", "--", "  ",
        ];
        let formats = [
            Format::default(),
            Format::digits(8).unwrap(),
            Format::digits(10).unwrap(),
            Format::STEAM,
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..200_000 {
            let len = next(14);
            let token: String = (0..len).map(|_| POOL[next(POOL.len())]).collect();
            for format in formats {
                let ours = format.parse_token(&token).map(|c| String::from(c.as_str()));
                assert_eq!(ours, by_chars(format, &token), "{token:?}");
                assert_eq!(
                    format.is_unfinished(&token),
                    unfinished_by_chars(format, &token),
                    "{token:?}"
                );
            }
        }
        // And the edges by hand.
        let cases: Vec<(&str, Result<&str, &str>)> = alloc::vec![
            (" 123 456 ", Ok("123456")),
            ("é23456", Err("token has a non-digit at position 1")),
            ("  12345é", Err("token has a non-digit at position 8")),
            (
                "123--456",
                Err("token has a second separator at position 5")
            ),
            ("\t\n", Err("token is empty")),
        ];
        for (token, want) in cases {
            let got = Format::default()
                .parse_token(token)
                .map(|c| String::from(c.as_str()))
                .map_err(|e| alloc::string::ToString::to_string(&e));
            assert_eq!(got.as_deref().map_err(String::as_str), want, "{token:?}");
        }
    }
}
