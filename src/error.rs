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
    /// A resynchronisation look-ahead over [`crate::MAX_RESYNC_WINDOW`].
    ResyncWindow(u64),
    Algorithm,
    Encoder,
    /// A character that Crockford codes never use, at a 1-based position.
    CodeChar(usize),
    /// An option out of range; the text says which.
    Invalid(&'static str),
    /// A stored record with a malformed field.
    Record(&'static str),
    /// An HMAC key of this many bytes, outside 16 to 1,024.
    Key(usize),
    /// Text that is not a sealed vault; the text says what is wrong.
    #[cfg(feature = "vault")]
    Vault(&'static str),
    /// A vault that its key does not open.
    #[cfg(feature = "vault")]
    WrongPassphrase,
    /// A URI that does not start with `otpauth://`.
    UriScheme,
    /// An `otpauth-migration://` URI given where an `otpauth://` one was expected.
    UriIsMigration,
    /// A URI type other than `totp`, `hotp` or `steam`.
    UriType,
    /// An `otpauth://` URI of the other type than the one asked for.
    UriKind {
        expected: &'static str,
    },
    /// A URI longer than [`crate::uri::MAX_URI_LEN`] bytes.
    UriTooLong(usize),
    /// A required URI parameter that is missing.
    MissingParam(&'static str),
    /// A URI parameter given twice.
    DuplicateParam(&'static str),
    /// A `%` not followed by two hex digits, in the named part of a URI.
    PercentEncoding(&'static str),
    /// Bytes that are not UTF-8 after percent-decoding the named part of a URI.
    Utf8(&'static str),
    /// A numeric URI parameter that is not a whole number.
    ParamNumber(NumParam),
    /// `encoder=steam` on an HOTP URI.
    SteamHotp,
    /// A TOTP with a T0 other than 0, which URIs cannot carry.
    UriEpoch,
    /// An issuer or account name that would not survive a round trip.
    LabelSpace(&'static str),
    /// An issuer that is present but empty.
    IssuerEmpty,
    /// A URI that does not start with `otpauth-migration://offline`.
    MigrationScheme,
    /// A character outside base64 in a migration payload, at a 1-based position.
    Base64Char(usize),
    /// A base64 payload whose length cannot encode whole bytes.
    Base64Length,
    /// A migration payload that is not the protobuf message it should be, at a byte offset.
    Protobuf(usize),
    /// Text too long for any QR code at the asked error correction level.
    #[cfg(feature = "qr")]
    QrTooLong {
        bytes: usize,
        ecc: char,
    },
    /// A QR rendering option outside its range; the text says which.
    #[cfg(feature = "qr")]
    QrOption(&'static str),
    /// Pixels whose size does not match their width and height, or too many of them.
    #[cfg(feature = "qr")]
    Image(ImageProblem),
}

/// The numeric parameters of an otpauth:// URI.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum NumParam {
    Digits,
    Period,
    Counter,
}

impl NumParam {
    const fn name(self) -> &'static str {
        match self {
            NumParam::Digits => "digits",
            NumParam::Period => "period",
            NumParam::Counter => "counter",
        }
    }
}

/// What is wrong with the pixels given to the QR decoder.
#[cfg(feature = "qr")]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ImageProblem {
    /// The buffer is not `width * height * channels` bytes long.
    Size { expected: usize, found: usize },
    /// Over [`crate::qr::MAX_PIXELS`] pixels, or a side over [`crate::qr::MAX_SIDE`].
    TooLarge,
}

impl Error {
    pub(crate) const fn new(kind: ErrorKind) -> Self {
        Error { kind }
    }

    /// True for a token error that more typing could fix: the token is empty, or shorter
    /// than the format with no wrong character so far. A form can show such input as
    /// unfinished rather than wrong.
    ///
    /// # Example
    ///
    /// ```
    /// use twofa::Format;
    ///
    /// assert!(Format::default().normalize("123 4").unwrap_err().is_incomplete());
    /// assert!(Format::default().normalize("").unwrap_err().is_incomplete());
    /// assert!(!Format::default().normalize("12a").unwrap_err().is_incomplete());
    /// assert!(!Format::default().normalize("1234567").unwrap_err().is_incomplete());
    /// ```
    #[must_use]
    pub const fn is_incomplete(&self) -> bool {
        match self.kind {
            ErrorKind::TokenEmpty => true,
            ErrorKind::TokenLength { expected, found } => found < expected,
            _ => false,
        }
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
    /// | `INVALID_COUNTER` | an otpauth:// `counter` that is not a whole number from 0 to 2^64 − 1 |
    /// | `INVALID_URI` | an otpauth:// URI that is malformed or misses a required parameter |
    /// | `INVALID_LABEL` | an issuer or account name that a URI could not carry unchanged |
    /// | `INVALID_MIGRATION` | a Google Authenticator export that is not valid |
    /// | `QR_TOO_LONG` | text that does not fit a QR code at the asked error correction |
    /// | `INVALID_OPTIONS` | a QR rendering option out of range |
    /// | `INVALID_IMAGE` | pixels that do not match their width and height, or too many |
    /// | `INVALID_RECORD` | a stored flow record with a malformed field |
    /// | `INVALID_KEY` | a trusted-device key outside 16–1,024 bytes |
    /// | `INVALID_VAULT` | text that is not a sealed vault, or a cost out of range |
    /// | `WRONG_PASSPHRASE` | a vault that the passphrase does not open, or one that was changed |
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
            ErrorKind::Window(_) | ErrorKind::ResyncWindow(_) => "INVALID_WINDOW",
            ErrorKind::Algorithm => "UNSUPPORTED_ALGORITHM",
            ErrorKind::CodeChar(_) => "INVALID_TOKEN",
            ErrorKind::Invalid(_) => "INVALID_OPTIONS",
            ErrorKind::Record(_) => "INVALID_RECORD",
            ErrorKind::Key(_) => "INVALID_KEY",
            #[cfg(feature = "vault")]
            ErrorKind::Vault(_) => "INVALID_VAULT",
            #[cfg(feature = "vault")]
            ErrorKind::WrongPassphrase => "WRONG_PASSPHRASE",
            ErrorKind::Encoder => "INVALID_ENCODER",
            ErrorKind::ParamNumber(NumParam::Digits) => "INVALID_DIGITS",
            ErrorKind::ParamNumber(NumParam::Period) => "INVALID_PERIOD",
            ErrorKind::ParamNumber(NumParam::Counter) => "INVALID_COUNTER",
            ErrorKind::SteamHotp => "INVALID_ENCODER",
            ErrorKind::UriScheme
            | ErrorKind::UriIsMigration
            | ErrorKind::UriType
            | ErrorKind::UriKind { .. }
            | ErrorKind::UriTooLong(_)
            | ErrorKind::MissingParam(_)
            | ErrorKind::DuplicateParam(_)
            | ErrorKind::PercentEncoding(_)
            | ErrorKind::Utf8(_)
            | ErrorKind::UriEpoch => "INVALID_URI",
            ErrorKind::LabelSpace(_) | ErrorKind::IssuerEmpty => "INVALID_LABEL",
            ErrorKind::MigrationScheme
            | ErrorKind::Base64Char(_)
            | ErrorKind::Base64Length
            | ErrorKind::Protobuf(_) => "INVALID_MIGRATION",
            #[cfg(feature = "qr")]
            ErrorKind::QrTooLong { .. } => "QR_TOO_LONG",
            #[cfg(feature = "qr")]
            ErrorKind::QrOption(_) => "INVALID_OPTIONS",
            #[cfg(feature = "qr")]
            ErrorKind::Image(_) => "INVALID_IMAGE",
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
            ErrorKind::ResyncWindow(n) => write!(
                f,
                "look-ahead of {n} counters is too large; the most is {}",
                crate::MAX_RESYNC_WINDOW
            ),
            ErrorKind::CodeChar(position) => write!(
                f,
                "code has a character that codes never use at position {position}"
            ),
            ErrorKind::Invalid(what) => f.write_str(what),
            ErrorKind::Record(field) => write!(f, "record field {field} is malformed"),
            ErrorKind::Key(n) => write!(f, "key is {n} bytes long; use 16 to 1024 random bytes"),
            #[cfg(feature = "vault")]
            ErrorKind::Vault(what) => write!(f, "invalid vault: {what}"),
            #[cfg(feature = "vault")]
            ErrorKind::WrongPassphrase => {
                f.write_str("wrong passphrase, or the vault was changed")
            }
            ErrorKind::UriScheme => f.write_str("uri must start with otpauth://"),
            ErrorKind::UriIsMigration => f.write_str(
                "this is a google authenticator export (otpauth-migration://); read it with parseMigrationUri",
            ),
            ErrorKind::UriType => {
                f.write_str("uri type must be totp, hotp or steam, as in otpauth://totp/")
            }
            ErrorKind::UriKind { expected } => {
                write!(f, "this is not a {expected} uri")
            }
            ErrorKind::UriTooLong(n) => write!(
                f,
                "uri is {n} bytes long; the most is {}",
                crate::uri::MAX_URI_LEN
            ),
            ErrorKind::MissingParam(name) => write!(f, "uri has no {name} parameter"),
            ErrorKind::DuplicateParam(name) => write!(f, "uri has the {name} parameter twice"),
            ErrorKind::PercentEncoding(part) => {
                write!(f, "malformed percent-encoding in the {part}")
            }
            ErrorKind::Utf8(part) => {
                write!(f, "the {part} is not utf-8 text after percent-decoding")
            }
            ErrorKind::ParamNumber(param) => {
                write!(f, "{} parameter must be a whole number", param.name())?;
                match param {
                    NumParam::Digits => Ok(()),
                    NumParam::Period => f.write_str(" of seconds from 1 to 2^32 - 1"),
                    NumParam::Counter => f.write_str(" from 0 to 2^64 - 1"),
                }
            }
            ErrorKind::SteamHotp => f.write_str("steam codes are time-based; this uri is hotp"),
            ErrorKind::UriEpoch => {
                f.write_str("otpauth uris cannot carry a totp epoch (T0) other than 0")
            }
            ErrorKind::LabelSpace(name) => {
                write!(f, "{name} must not begin or end with white space")
            }
            ErrorKind::IssuerEmpty => f.write_str("issuer is empty; leave it out instead"),
            ErrorKind::MigrationScheme => {
                f.write_str("migration uri must start with otpauth-migration://offline?data=")
            }
            ErrorKind::Base64Char(pos) => write!(
                f,
                "invalid base64 character at position {pos} of the data parameter"
            ),
            ErrorKind::Base64Length => {
                f.write_str("invalid base64 length in the data parameter")
            }
            ErrorKind::Protobuf(offset) => {
                write!(f, "malformed migration payload at byte {offset}")
            }
            #[cfg(feature = "qr")]
            ErrorKind::QrTooLong { bytes, ecc } => write!(
                f,
                "text of {bytes} bytes is too long for a qr code at error correction {ecc}"
            ),
            #[cfg(feature = "qr")]
            ErrorKind::QrOption(what) => f.write_str(what),
            #[cfg(feature = "qr")]
            ErrorKind::Image(ImageProblem::Size { expected, found }) => write!(
                f,
                "image data must have {expected} bytes for its width and height, not {found}"
            ),
            #[cfg(feature = "qr")]
            ErrorKind::Image(ImageProblem::TooLarge) => write!(
                f,
                "image is too large: at most {} pixels a side and {} pixels in all",
                crate::qr::MAX_SIDE,
                crate::qr::MAX_PIXELS
            ),
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
