//! The one error type of the crate.

use core::fmt;

/// Everything that can go wrong in twofa.
///
/// The type is opaque: match on [`Error::code`], a stable upper-case string that is
/// also the `code` of the JavaScript `Error`, and show [`Error`]'s `Display` to people.
/// Messages are lower case, say where the input went wrong, and never contain secret
/// material: not the secret, not a base32 character, not a token.
///
/// # Example
///
/// ```
/// let err = twofa::Secret::from_base32("JBSW Y3D!").unwrap_err();
/// assert_eq!(err.code(), "INVALID_BASE32");
/// assert_eq!(err.to_string(), "invalid base32 character at position 9");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ErrorKind {
    /// A character outside the base32 alphabet, at a 1-based character position.
    Base32Char(usize),
    /// Data after `=` padding, at a 1-based character position.
    Base32AfterPadding(usize),
    /// A number of base32 characters that cannot encode whole bytes.
    Base32Length(usize),
    SecretEmpty,
    SecretTooLong(usize),
    GenerateLength(u64),
    Entropy,
    Digits(u64),
    SteamDigits(u64),
    Period(u64),
    BeforeEpoch,
    TokenEmpty,
    TokenLength {
        expected: usize,
        found: usize,
    },
    TokenChar {
        position: usize,
        steam: bool,
    },
    TokenSeparator(usize),
    Window(u64),
    Algorithm,
    Encoder,
}

impl Error {
    pub(crate) const fn new(kind: ErrorKind) -> Self {
        Error { kind }
    }

    /// The stable machine-readable code of this error, such as `"INVALID_BASE32"`.
    ///
    /// | code | raised when |
    /// |---|---|
    /// | `INVALID_BASE32` | a character outside `A–Z`/`2–7`, data after padding, or an impossible length |
    /// | `SECRET_LENGTH` | an empty secret, one over 1,024 bytes, or a generated length outside 16–64 |
    /// | `ENTROPY_UNAVAILABLE` | the entropy source failed |
    /// | `INVALID_DIGITS` | digits outside 6–10 (or other than 5 for Steam) |
    /// | `INVALID_PERIOD` | a period of 0 seconds |
    /// | `INVALID_TIMESTAMP` | a time before the TOTP epoch T0 |
    /// | `INVALID_TOKEN` | a token of the wrong length or with a wrong character |
    /// | `INVALID_WINDOW` | a verification window over [`crate::MAX_WINDOW`] steps |
    /// | `UNSUPPORTED_ALGORITHM` | an algorithm name other than SHA1, SHA256 or SHA512 |
    /// | `INVALID_ENCODER` | an encoder name other than `steam` |
    ///
    /// # Example
    ///
    /// ```
    /// let err = twofa::Secret::from_bytes(&[]).unwrap_err();
    /// assert_eq!(err.code(), "SECRET_LENGTH");
    /// ```
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self.kind {
            ErrorKind::Base32Char(_)
            | ErrorKind::Base32AfterPadding(_)
            | ErrorKind::Base32Length(_) => "INVALID_BASE32",
            ErrorKind::SecretEmpty | ErrorKind::SecretTooLong(_) | ErrorKind::GenerateLength(_) => {
                "SECRET_LENGTH"
            }
            ErrorKind::Entropy => "ENTROPY_UNAVAILABLE",
            ErrorKind::Digits(_) | ErrorKind::SteamDigits(_) => "INVALID_DIGITS",
            ErrorKind::Period(_) => "INVALID_PERIOD",
            ErrorKind::BeforeEpoch => "INVALID_TIMESTAMP",
            ErrorKind::TokenEmpty
            | ErrorKind::TokenLength { .. }
            | ErrorKind::TokenChar { .. }
            | ErrorKind::TokenSeparator(_) => "INVALID_TOKEN",
            ErrorKind::Window(_) => "INVALID_WINDOW",
            ErrorKind::Algorithm => "UNSUPPORTED_ALGORITHM",
            ErrorKind::Encoder => "INVALID_ENCODER",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::secret::{MAX_GENERATED_LEN, MAX_LEN, MIN_GENERATED_LEN};
        match self.kind {
            ErrorKind::Base32Char(pos) => write!(f, "invalid base32 character at position {pos}"),
            ErrorKind::Base32AfterPadding(pos) => {
                write!(f, "unexpected base32 data after padding at position {pos}")
            }
            ErrorKind::Base32Length(n) => write!(
                f,
                "invalid base32 length: {n} character{} cannot encode whole bytes",
                plural(n)
            ),
            ErrorKind::SecretEmpty => f.write_str("secret is empty"),
            ErrorKind::SecretTooLong(n) => {
                write!(f, "secret is {n} bytes long; the most is {MAX_LEN}")
            }
            ErrorKind::GenerateLength(n) => write!(
                f,
                "cannot generate a {n}-byte secret; choose {MIN_GENERATED_LEN} to {MAX_GENERATED_LEN} bytes"
            ),
            ErrorKind::Entropy => f.write_str("the random number generator failed"),
            ErrorKind::Digits(n) => write!(f, "digits must be from 6 to 10, not {n}"),
            ErrorKind::SteamDigits(n) => write!(f, "steam codes have 5 characters, not {n}"),
            ErrorKind::Period(n) => write!(f, "period must be at least 1 second, not {n}"),
            ErrorKind::BeforeEpoch => f.write_str("timestamp is before the epoch (T0)"),
            ErrorKind::TokenEmpty => f.write_str("token is empty"),
            ErrorKind::TokenLength { expected, found } => write!(
                f,
                "token must have {expected} characters, not {found}"
            ),
            ErrorKind::TokenChar { position, steam: false } => {
                write!(f, "token has a non-digit at position {position}")
            }
            ErrorKind::TokenChar { position, steam: true } => {
                write!(f, "token has a character that steam codes never use at position {position}")
            }
            ErrorKind::TokenSeparator(position) => {
                write!(f, "token has a second separator at position {position}")
            }
            ErrorKind::Window(n) => write!(
                f,
                "window of {n} steps is too large; the most is {} each way",
                crate::MAX_WINDOW
            ),
            ErrorKind::Algorithm => f.write_str("unsupported algorithm; use SHA1, SHA256 or SHA512"),
            ErrorKind::Encoder => f.write_str("unsupported encoder; the only encoder is \"steam\""),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({}: \"{self}\")", self.code())
    }
}

impl std::error::Error for Error {}

const fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The failure of a caller-supplied entropy source, passed to [`crate::Secret::generate`].
///
/// # Example
///
/// ```
/// let err = twofa::Secret::generate(20, |_| Err(twofa::EntropyError)).unwrap_err();
/// assert_eq!(err.code(), "ENTROPY_UNAVAILABLE");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntropyError;
