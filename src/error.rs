//! The one error type of the crate, and [`Code`], the one list of error codes.
//!
//! This module is a leaf: it imports nothing from the rest of the crate. Every limit
//! that a message names travels in its variant, so no module depends on this one and
//! is depended on by it in turn.

use core::fmt;

/// Everything that can go wrong in twofa.
///
/// The type is opaque: match on [`Error::code`], a [`Code`] whose text is also the
/// `code` of the JavaScript `Error`, and show [`Error`]'s `Display` to people.
/// Messages are lower case, say where the input went wrong, and never contain secret
/// material: not the secret, not a base32 character, not a token.
///
/// # Example
///
/// ```
/// use twofa::Code;
///
/// let err = twofa::Secret::from_base32("JBSW Y3D!").unwrap_err();
/// assert_eq!(err.code(), Code::InvalidBase32);
/// assert_eq!(err.code(), "INVALID_BASE32");
/// assert_eq!(err.to_string(), "invalid base32 character at position 9");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    kind: alloc::boxed::Box<ErrorKind>,
}

/// What went wrong, with what the message needs: positions, lengths and the limits they
/// broke.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ErrorKind {
    /// A character outside the base32 alphabet, at a 1-based character position.
    Base32Char(usize),
    /// Data after `=` padding, at a 1-based character position.
    Base32AfterPadding(usize),
    /// A number of base32 characters that cannot encode whole bytes.
    Base32Length(usize),
    SecretEmpty,
    SecretTooLong {
        len: usize,
        max: usize,
    },
    GenerateLength {
        len: u64,
        min: usize,
        max: usize,
    },
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
    Window {
        steps: u64,
        max: u32,
    },
    /// A resynchronisation look-ahead over its most.
    ResyncWindow {
        steps: u64,
        max: u32,
    },
    Algorithm,
    Encoder,
    /// A character that Crockford codes never use, at a 1-based position.
    #[cfg(feature = "flows")]
    CodeChar(usize),
    /// An option out of range; the text says which.
    #[cfg(feature = "flows")]
    Invalid(&'static str),
    /// A stored record with a malformed field.
    #[cfg(feature = "flows")]
    Record(&'static str),
    /// A stored record that is wrong as a whole; the text says how.
    #[cfg(feature = "flows")]
    RecordText(&'static str),
    /// An HMAC key of `len` bytes, outside `min` to `max`.
    #[cfg(feature = "flows")]
    Key {
        len: usize,
        min: usize,
        max: usize,
    },
    /// Security questions or answers that break a limit, at 1-based positions.
    #[cfg(feature = "flows")]
    Answers(AnswersProblem),
    /// Text that is not a sealed vault; the text says what is wrong.
    #[cfg(feature = "vault")]
    Vault(&'static str),
    /// A vault that its key does not open.
    #[cfg(feature = "vault")]
    WrongPassphrase,
    /// A passphrase that is not UTF-8 text, from the 0-based byte where it stops being
    /// so (a lone surrogate in WTF-8 or CESU-8 is refused here).
    #[cfg(feature = "vault")]
    PassphraseUtf8(usize),
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
    /// A URI longer than its most, in bytes.
    UriTooLong {
        len: usize,
        max: usize,
    },
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
    #[cfg(feature = "migration")]
    MigrationScheme,
    /// A character outside base64 in a migration payload, at a 1-based position.
    #[cfg(any(feature = "migration", feature = "flows", feature = "vault"))]
    Base64Char(usize),
    /// A base64 payload whose length cannot encode whole bytes.
    #[cfg(any(feature = "migration", feature = "flows", feature = "vault"))]
    Base64Length,
    /// A migration payload that is not the protobuf message it should be, at a byte offset.
    #[cfg(feature = "migration")]
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
    /// An export that `transfer::import` cannot read; no variant holds file content.
    #[cfg(feature = "import")]
    Import(ImportProblem),
    /// An HTTP date that is not one; the problem says where.
    #[cfg(feature = "clock")]
    HttpDate(DateProblem),
    /// A local time of a clock check that cannot be one; the text says which.
    #[cfg(feature = "clock")]
    ClockTimes(&'static str),
}

/// The three forms of an HTTP date (RFC 9110 §5.6.7), for the example a message shows.
#[cfg(feature = "clock")]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum DateForm {
    ImfFixdate,
    Rfc850,
    Asctime,
}

/// What is wrong with an HTTP date. Positions are 1-based characters; names are the fixed
/// short names of days and months, never input.
#[cfg(feature = "clock")]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum DateProblem {
    Empty,
    TooLong {
        len: usize,
        max: usize,
    },
    /// No day name (`Sun` to `Sat`, `Sunday` to `Saturday`) at the start.
    NoWeekday,
    /// Not the grammar of `form` at character `at`.
    Syntax {
        at: usize,
        form: DateForm,
    },
    /// No month name at `at`.
    Month {
        at: usize,
    },
    /// No `GMT` at `at`.
    Zone {
        at: usize,
    },
    /// A day that is not in its month: `last` is the month's last day.
    Day {
        day: u8,
        month: &'static str,
        year: u16,
        last: u8,
    },
    /// An hour, minute or second over its most.
    Field {
        what: &'static str,
        value: u8,
        max: u8,
    },
    /// Second 60 at another time than 23:59.
    LeapSecond,
    /// A day name that is not the date's.
    WrongWeekday {
        said: &'static str,
        actual: &'static str,
    },
}

/// What is wrong with an export given to `transfer::import`. `app` is the app's name as
/// people know it (`"Aegis"`, `"2FAS"`); texts are fixed messages, never file content.
#[cfg(feature = "import")]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ImportProblem {
    /// Not a format twofa reads; the text says what it looks like, such as `"it looks
    /// like a PNG image: read its QR code with twofa/qr first"`.
    Unsupported(&'static str),
    /// An encrypted export given without a password.
    PasswordRequired { app: &'static str },
    /// An encrypted export that the password does not open (or that was changed).
    WrongPassword { app: &'static str },
    /// An export of `app` that is malformed as a whole; `what` says where.
    Malformed {
        app: &'static str,
        what: &'static str,
    },
    /// A key derivation whose memory (`kib`) the device could not give.
    OutOfMemory { what: &'static str, kib: u64 },
    /// A size or a cost over its limit, before any work: `what` is `"input"`,
    /// `"scrypt memory (KiB)"`, `"PBKDF2 iterations"` and the like.
    Limit {
        what: &'static str,
        found: u64,
        max: u64,
    },
}

/// The numeric parameters of an otpauth:// URI.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum NumParam {
    Digits,
    Period,
    Counter,
}

/// What is wrong with a set of security questions or answers. Positions are 1-based; no
/// variant holds the text of an answer.
#[cfg(feature = "flows")]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum AnswersProblem {
    /// A number of questions outside 1 to `max`.
    Count { found: usize, max: usize },
    /// A question of 0 or more than `max` characters.
    QuestionLength { index: usize, max: usize },
    /// A question of white space only.
    QuestionBlank(usize),
    /// A question that is, trimmed, an earlier one.
    QuestionRepeats { index: usize, first: usize },
    /// Answers given to a record of `expected` questions.
    AnswerCount { expected: usize, found: usize },
    /// An answer of 0 or more than `max` characters.
    AnswerLength { index: usize, max: usize },
    /// An answer that normalising leaves empty.
    AnswerEmpty(usize),
}

/// What is wrong with the pixels given to the QR decoder.
#[cfg(feature = "qr")]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ImageProblem {
    /// The buffer is not `width * height * channels` bytes long.
    Size { expected: usize, found: usize },
    /// Over `max_pixels` pixels, or a side over `max_side`.
    TooLarge { max_side: usize, max_pixels: usize },
}

/// Declares [`Code`]: each variant, its text, and the README line that says when it is
/// raised. The list is the one source of error codes: the binding, the TypeScript
/// `ErrorCode` union and the README table are checked against [`Code::ALL`].
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)+) => {
        /// The stable, machine-readable code of an [`Error`]: `Code::InvalidBase32` is
        /// `"INVALID_BASE32"` in JavaScript.
        ///
        /// # Example
        ///
        /// ```
        /// use twofa::Code;
        ///
        /// assert_eq!(Code::InvalidToken.as_str(), "INVALID_TOKEN");
        /// assert!(Code::ALL.contains(&Code::WrongPassphrase));
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[$doc])* $variant,)+
        }

        impl Code {
            /// Every code, in the order of the README's table.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)+];

            /// The code as JavaScript sees it, such as `"INVALID_BASE32"`.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)+
                }
            }
        }

        /// Every code as a TypeScript union, `| "INVALID_BASE32" | …`, for the binding's
        /// `ErrorCode` type.
        #[allow(dead_code)] // read inside a `typescript_custom_section`, unseen by the lint
        pub(crate) const TS_UNION: &str = concat!($("\n  | \"", $text, "\"",)+);
    };
}

codes! {
    /// A character outside `A–Z`/`2–7`, data after padding, or an impossible length.
    InvalidBase32 = "INVALID_BASE32",
    /// An empty secret, one over 1,024 bytes, or a generated length outside 16–64.
    SecretLength = "SECRET_LENGTH",
    /// The entropy source failed.
    EntropyUnavailable = "ENTROPY_UNAVAILABLE",
    /// Digits outside 6–10 (or other than 5 for Steam).
    InvalidDigits = "INVALID_DIGITS",
    /// A period that is not a whole number of seconds from 1 to 2^32 − 1.
    InvalidPeriod = "INVALID_PERIOD",
    /// A time that is not a number of milliseconds in a `Date`'s range, or before T0; or a
    /// clock check's response received before its request was sent.
    InvalidTimestamp = "INVALID_TIMESTAMP",
    /// An HTTP date (a `Date` header) that is not in one of RFC 9110's three forms, or names
    /// a day or time that does not exist, or the wrong day of the week.
    InvalidDate = "INVALID_DATE",
    /// A token or code of the wrong length or with a wrong character.
    InvalidToken = "INVALID_TOKEN",
    /// A verification window or look-ahead past its most.
    InvalidWindow = "INVALID_WINDOW",
    /// An algorithm name other than SHA1, SHA256 or SHA512.
    UnsupportedAlgorithm = "UNSUPPORTED_ALGORITHM",
    /// An encoder name other than `steam`.
    InvalidEncoder = "INVALID_ENCODER",
    /// A counter that is not a whole number from 0 to 2^64 − 1.
    InvalidCounter = "INVALID_COUNTER",
    /// An option of the wrong type or out of range, or options that cannot be read.
    InvalidOptions = "INVALID_OPTIONS",
    /// An otpauth:// URI that is malformed or misses a required parameter.
    InvalidUri = "INVALID_URI",
    /// An issuer or account name that a URI could not carry unchanged.
    InvalidLabel = "INVALID_LABEL",
    /// A Google Authenticator export that is not valid.
    InvalidMigration = "INVALID_MIGRATION",
    /// Text that does not fit a QR code at the asked error correction.
    QrTooLong = "QR_TOO_LONG",
    /// Pixels that do not match their width and height, or too many.
    InvalidImage = "INVALID_IMAGE",
    /// A stored flow record with a malformed field, at its last revision, or whose sealed
    /// backup codes do not open.
    InvalidRecord = "INVALID_RECORD",
    /// A trusted-device or backup-code key outside 16–1,024 bytes.
    InvalidKey = "INVALID_KEY",
    /// Text that is not a sealed vault, or a cost below the floor or over the ceiling.
    InvalidVault = "INVALID_VAULT",
    /// A vault that the passphrase does not open, one that commits to another key, or one
    /// that was changed.
    WrongPassphrase = "WRONG_PASSPHRASE",
    /// A JavaScript object used after `free()`.
    ObjectFreed = "OBJECT_FREED",
    /// A browser entry of the package called before its `init()` had loaded its module.
    NotInitialized = "NOT_INITIALIZED",
    /// An export of another authenticator that twofa does not read.
    UnsupportedFormat = "UNSUPPORTED_FORMAT",
    /// An encrypted export given without a password.
    PasswordRequired = "PASSWORD_REQUIRED",
    /// An encrypted export that the password does not open, or one that was changed.
    WrongPassword = "WRONG_PASSWORD",
    /// An export of a known format that is malformed.
    InvalidImport = "INVALID_IMPORT",
    /// An export over a size limit, or whose key derivation asks for more than the cap.
    ImportLimit = "IMPORT_LIMIT",
    /// A failure inside twofa that no input should cause; please report it.
    InternalError = "INTERNAL_ERROR",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

/// Where a message is written: a `fmt::Formatter` for `Display`, or a `String` in the
/// WebAssembly binding, which leaves `core::fmt` out of the module that way.
pub(crate) trait Sink {
    fn text(&mut self, text: &str);

    /// A number in decimal, without `core::fmt`.
    fn num(&mut self, n: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut rest = n;
        loop {
            at -= 1;
            if let Some(slot) = digits.get_mut(at) {
                *slot = b'0' + (rest % 10) as u8;
            }
            rest /= 10;
            if rest == 0 || at == 0 {
                break;
            }
        }
        self.text(core::str::from_utf8(digits.get(at..).unwrap_or_default()).unwrap_or_default());
    }

    fn size(&mut self, n: usize) {
        self.num(u64::try_from(n).unwrap_or(u64::MAX));
    }
}

impl Sink for alloc::string::String {
    fn text(&mut self, text: &str) {
        self.push_str(text);
    }
}

impl Sink for alloc::vec::Vec<u8> {
    fn text(&mut self, text: &str) {
        self.extend_from_slice(text.as_bytes());
    }
}

/// `Display` through a [`Sink`].
pub(crate) struct FmtSink<'a, 'b> {
    f: &'a mut fmt::Formatter<'b>,
    result: fmt::Result,
}

impl<'a, 'b> FmtSink<'a, 'b> {
    pub(crate) fn write(
        f: &'a mut fmt::Formatter<'b>,
        body: impl FnOnce(&mut FmtSink<'a, 'b>),
    ) -> fmt::Result {
        let mut sink = FmtSink { f, result: Ok(()) };
        body(&mut sink);
        sink.result
    }
}

impl Sink for FmtSink<'_, '_> {
    fn text(&mut self, text: &str) {
        if self.result.is_ok() {
            self.result = self.f.write_str(text);
        }
    }
}

impl Error {
    #[inline(never)]
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Error {
            kind: alloc::boxed::Box::new(kind),
        }
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
    pub fn is_incomplete(&self) -> bool {
        match *self.kind {
            ErrorKind::TokenEmpty => true,
            ErrorKind::TokenLength { expected, found } => found < expected,
            _ => false,
        }
    }

    /// The stable machine-readable code of this error. [`Code`] lists them all, each with
    /// when it is raised.
    ///
    /// # Example
    ///
    /// ```
    /// let err = twofa::Secret::from_bytes(&[]).unwrap_err();
    /// assert_eq!(err.code(), twofa::Code::SecretLength);
    /// assert_eq!(err.code().as_str(), "SECRET_LENGTH");
    /// ```
    #[must_use]
    pub fn code(&self) -> Code {
        match *self.kind {
            ErrorKind::Base32Char(_)
            | ErrorKind::Base32AfterPadding(_)
            | ErrorKind::Base32Length(_) => Code::InvalidBase32,
            ErrorKind::SecretEmpty
            | ErrorKind::SecretTooLong { .. }
            | ErrorKind::GenerateLength { .. } => Code::SecretLength,
            ErrorKind::Entropy => Code::EntropyUnavailable,
            ErrorKind::Digits(_)
            | ErrorKind::SteamDigits(_)
            | ErrorKind::ParamNumber(NumParam::Digits) => Code::InvalidDigits,
            ErrorKind::Period(_) | ErrorKind::ParamNumber(NumParam::Period) => Code::InvalidPeriod,
            ErrorKind::BeforeEpoch => Code::InvalidTimestamp,
            #[cfg(feature = "clock")]
            ErrorKind::ClockTimes(_) => Code::InvalidTimestamp,
            #[cfg(feature = "clock")]
            ErrorKind::HttpDate(_) => Code::InvalidDate,
            ErrorKind::TokenEmpty
            | ErrorKind::TokenLength { .. }
            | ErrorKind::TokenChar { .. }
            | ErrorKind::TokenSeparator(_) => Code::InvalidToken,
            #[cfg(feature = "flows")]
            ErrorKind::CodeChar(_) => Code::InvalidToken,
            ErrorKind::Window { .. } | ErrorKind::ResyncWindow { .. } => Code::InvalidWindow,
            ErrorKind::Algorithm => Code::UnsupportedAlgorithm,
            ErrorKind::Encoder | ErrorKind::SteamHotp => Code::InvalidEncoder,
            ErrorKind::ParamNumber(NumParam::Counter) => Code::InvalidCounter,
            #[cfg(feature = "flows")]
            ErrorKind::Invalid(_) => Code::InvalidOptions,
            #[cfg(feature = "flows")]
            ErrorKind::Record(_) => Code::InvalidRecord,
            #[cfg(feature = "flows")]
            ErrorKind::RecordText(_) => Code::InvalidRecord,
            #[cfg(feature = "flows")]
            ErrorKind::Key { .. } => Code::InvalidKey,
            #[cfg(feature = "flows")]
            ErrorKind::Answers(_) => Code::InvalidOptions,
            #[cfg(feature = "vault")]
            ErrorKind::Vault(_) => Code::InvalidVault,
            #[cfg(feature = "vault")]
            ErrorKind::WrongPassphrase => Code::WrongPassphrase,
            #[cfg(feature = "vault")]
            ErrorKind::PassphraseUtf8(_) => Code::InvalidOptions,
            ErrorKind::UriScheme
            | ErrorKind::UriIsMigration
            | ErrorKind::UriType
            | ErrorKind::UriKind { .. }
            | ErrorKind::UriTooLong { .. }
            | ErrorKind::MissingParam(_)
            | ErrorKind::DuplicateParam(_)
            | ErrorKind::PercentEncoding(_)
            | ErrorKind::Utf8(_)
            | ErrorKind::UriEpoch => Code::InvalidUri,
            ErrorKind::LabelSpace(_) | ErrorKind::IssuerEmpty => Code::InvalidLabel,
            #[cfg(feature = "migration")]
            ErrorKind::MigrationScheme | ErrorKind::Protobuf(_) => Code::InvalidMigration,
            #[cfg(any(feature = "migration", feature = "flows", feature = "vault"))]
            ErrorKind::Base64Char(_) | ErrorKind::Base64Length => Code::InvalidMigration,
            #[cfg(feature = "qr")]
            ErrorKind::QrTooLong { .. } => Code::QrTooLong,
            #[cfg(feature = "qr")]
            ErrorKind::QrOption(_) => Code::InvalidOptions,
            #[cfg(feature = "qr")]
            ErrorKind::Image(_) => Code::InvalidImage,
            #[cfg(feature = "import")]
            ErrorKind::Import(problem) => match problem {
                ImportProblem::Unsupported(_) => Code::UnsupportedFormat,
                ImportProblem::PasswordRequired { .. } => Code::PasswordRequired,
                ImportProblem::WrongPassword { .. } => Code::WrongPassword,
                ImportProblem::Malformed { .. } => Code::InvalidImport,
                ImportProblem::Limit { .. } | ImportProblem::OutOfMemory { .. } => {
                    Code::ImportLimit
                }
            },
        }
    }

    /// The message, as `Display` writes it, into a new `String` (for the binding).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub(crate) fn message(&self) -> alloc::string::String {
        let mut out = alloc::string::String::new();
        self.write(&mut out);
        out
    }

    /// Writes the message.
    #[allow(clippy::too_many_lines)] // one arm a message: the catalogue reads best whole
    pub(crate) fn write(&self, out: &mut dyn Sink) {
        match *self.kind {
            ErrorKind::Base32Char(pos) => {
                out.text("invalid base32 character at position ");
                out.size(pos);
            }
            ErrorKind::Base32AfterPadding(pos) => {
                out.text("unexpected base32 data after padding at position ");
                out.size(pos);
            }
            ErrorKind::Base32Length(n) => {
                out.text("invalid base32 length: ");
                out.size(n);
                out.text(if n == 1 { " character" } else { " characters" });
                out.text(" cannot encode whole bytes");
            }
            ErrorKind::SecretEmpty => out.text("secret is empty"),
            ErrorKind::SecretTooLong { len, max } => {
                out.text("secret is ");
                out.size(len);
                out.text(" bytes long; the most is ");
                out.size(max);
            }
            ErrorKind::GenerateLength { len, min, max } => {
                out.text("cannot generate a ");
                out.num(len);
                out.text("-byte secret; choose ");
                out.size(min);
                out.text(" to ");
                out.size(max);
                out.text(" bytes");
            }
            ErrorKind::Entropy => out.text("the random number generator failed"),
            ErrorKind::Digits(n) => {
                out.text("digits must be from 6 to 10, not ");
                out.num(n);
            }
            ErrorKind::SteamDigits(n) => {
                out.text("steam codes have 5 characters, not ");
                out.num(n);
            }
            ErrorKind::Period(n) => {
                out.text("period must be at least 1 second, not ");
                out.num(n);
            }
            ErrorKind::BeforeEpoch => out.text("timestamp is before the epoch (T0)"),
            ErrorKind::TokenEmpty => out.text("token is empty"),
            ErrorKind::TokenLength { expected, found } => {
                out.text("token must have ");
                out.size(expected);
                out.text(" characters, not ");
                out.size(found);
            }
            ErrorKind::TokenChar { position, steam } => {
                out.text(if steam {
                    "token has a character that steam codes never use at position "
                } else {
                    "token has a non-digit at position "
                });
                out.size(position);
            }
            ErrorKind::TokenSeparator(position) => {
                out.text("token has a second separator at position ");
                out.size(position);
            }
            ErrorKind::Window { steps, max } => {
                out.text("window of ");
                out.num(steps);
                out.text(" steps is too large; the most is ");
                out.num(max.into());
                out.text(" each way");
            }
            ErrorKind::ResyncWindow { steps, max } => {
                out.text("look-ahead of ");
                out.num(steps);
                out.text(" counters is too large; the most is ");
                out.num(max.into());
            }
            ErrorKind::Algorithm => out.text("unsupported algorithm; use SHA1, SHA256 or SHA512"),
            ErrorKind::Encoder => out.text("unsupported encoder; the only encoder is \"steam\""),
            #[cfg(feature = "flows")]
            ErrorKind::CodeChar(position) => {
                out.text("code has a character that codes never use at position ");
                out.size(position);
            }
            #[cfg(feature = "flows")]
            ErrorKind::Invalid(what) => out.text(what),
            #[cfg(feature = "flows")]
            ErrorKind::Record(field) => {
                out.text("record field ");
                out.text(field);
                out.text(" is malformed");
            }
            #[cfg(feature = "flows")]
            ErrorKind::RecordText(what) => out.text(what),
            #[cfg(feature = "flows")]
            ErrorKind::Key { len, min, max } => {
                out.text("key is ");
                out.size(len);
                out.text(" bytes long; use ");
                out.size(min);
                out.text(" to ");
                out.size(max);
                out.text(" random bytes");
            }
            #[cfg(feature = "flows")]
            ErrorKind::Answers(problem) => write_answers(problem, out),
            #[cfg(feature = "vault")]
            ErrorKind::Vault(what) => {
                out.text("invalid vault: ");
                out.text(what);
            }
            #[cfg(feature = "vault")]
            ErrorKind::WrongPassphrase => out.text("wrong passphrase, or the vault was changed"),
            #[cfg(feature = "vault")]
            ErrorKind::PassphraseUtf8(at) => {
                out.text("passphrase is not utf-8 text from byte ");
                out.size(at);
            }
            ErrorKind::UriScheme => out.text("uri must start with otpauth://"),
            ErrorKind::UriIsMigration => out.text(
                "this is a google authenticator export (otpauth-migration://); read it with parseMigrationUri",
            ),
            ErrorKind::UriType => {
                out.text("uri type must be totp, hotp or steam, as in otpauth://totp/");
            }
            ErrorKind::UriKind { expected } => {
                out.text("this is not a ");
                out.text(expected);
                out.text(" uri");
            }
            ErrorKind::UriTooLong { len, max } => {
                out.text("uri is ");
                out.size(len);
                out.text(" bytes long; the most is ");
                out.size(max);
            }
            ErrorKind::MissingParam(name) => {
                out.text("uri has no ");
                out.text(name);
                out.text(" parameter");
            }
            ErrorKind::DuplicateParam(name) => {
                out.text("uri has the ");
                out.text(name);
                out.text(" parameter twice");
            }
            ErrorKind::PercentEncoding(part) => {
                out.text("malformed percent-encoding in the ");
                out.text(part);
            }
            ErrorKind::Utf8(part) => {
                out.text("the ");
                out.text(part);
                out.text(" is not utf-8 text after percent-decoding");
            }
            ErrorKind::ParamNumber(param) => out.text(match param {
                NumParam::Digits => "digits parameter must be a whole number",
                NumParam::Period => {
                    "period parameter must be a whole number of seconds from 1 to 2^32 - 1"
                }
                NumParam::Counter => "counter parameter must be a whole number from 0 to 2^64 - 1",
            }),
            ErrorKind::SteamHotp => out.text("steam codes are time-based; this uri is hotp"),
            ErrorKind::UriEpoch => {
                out.text("otpauth uris cannot carry a totp epoch (T0) other than 0");
            }
            ErrorKind::LabelSpace(name) => {
                out.text(name);
                out.text(" must not begin or end with white space");
            }
            ErrorKind::IssuerEmpty => out.text("issuer is empty; leave it out instead"),
            #[cfg(feature = "migration")]
            ErrorKind::MigrationScheme => {
                out.text("migration uri must start with otpauth-migration://offline?data=");
            }
            #[cfg(any(feature = "migration", feature = "flows", feature = "vault"))]
            ErrorKind::Base64Char(pos) => {
                out.text("invalid base64 character at position ");
                out.size(pos);
                out.text(" of the data parameter");
            }
            #[cfg(any(feature = "migration", feature = "flows", feature = "vault"))]
            ErrorKind::Base64Length => out.text("invalid base64 length in the data parameter"),
            #[cfg(feature = "migration")]
            ErrorKind::Protobuf(offset) => {
                out.text("malformed migration payload at byte ");
                out.size(offset);
            }
            #[cfg(feature = "qr")]
            ErrorKind::QrTooLong { bytes, ecc } => {
                out.text("text of ");
                out.size(bytes);
                out.text(" bytes is too long for a qr code at error correction ");
                out.text(ecc.encode_utf8(&mut [0; 4]));
            }
            #[cfg(feature = "qr")]
            ErrorKind::QrOption(what) => out.text(what),
            #[cfg(feature = "qr")]
            ErrorKind::Image(ImageProblem::Size { expected, found }) => {
                out.text("image data must have ");
                out.size(expected);
                out.text(" bytes for its width and height, not ");
                out.size(found);
            }
            #[cfg(feature = "qr")]
            ErrorKind::Image(ImageProblem::TooLarge {
                max_side,
                max_pixels,
            }) => {
                out.text("image is too large: at most ");
                out.size(max_side);
                out.text(" pixels a side and ");
                out.size(max_pixels);
                out.text(" pixels in all");
            }
            #[cfg(feature = "import")]
            ErrorKind::Import(problem) => write_import(problem, out),
            #[cfg(feature = "clock")]
            ErrorKind::HttpDate(problem) => write_date(problem, out),
            #[cfg(feature = "clock")]
            ErrorKind::ClockTimes(what) => out.text(what),
        }
    }
}

/// The message of a [`DateProblem`].
#[cfg(feature = "clock")]
fn write_date(problem: DateProblem, out: &mut dyn Sink) {
    out.text("http date ");
    match problem {
        DateProblem::Empty => out.text("is empty"),
        DateProblem::TooLong { len, max } => {
            out.text("is ");
            out.size(len);
            out.text(" bytes long; the most is ");
            out.size(max);
        }
        DateProblem::NoWeekday => {
            out.text("must begin with a day of the week (Sun to Sat, or Sunday to Saturday)")
        }
        DateProblem::Syntax { at, form } => {
            out.text("is malformed at character ");
            out.size(at);
            out.text("; its form is ");
            out.text(match form {
                DateForm::ImfFixdate => "Sun, 06 Nov 1994 08:49:37 GMT",
                DateForm::Rfc850 => "Sunday, 06-Nov-94 08:49:37 GMT",
                DateForm::Asctime => "Sun Nov  6 08:49:37 1994",
            });
        }
        DateProblem::Month { at } => {
            out.text("has an unknown month at character ");
            out.size(at);
            out.text("; months are Jan to Dec");
        }
        DateProblem::Zone { at } => {
            out.text("must give the time in GMT at character ");
            out.size(at);
        }
        DateProblem::Day {
            day,
            month,
            year,
            last,
        } => {
            out.text("has day ");
            out.num(day.into());
            out.text(", but ");
            out.text(month);
            out.text(" ");
            out.num(year.into());
            out.text(" has days 1 to ");
            out.num(last.into());
        }
        DateProblem::Field { what, value, max } => {
            out.text("has ");
            out.text(what);
            out.text(" ");
            out.num(value.into());
            out.text("; the most is ");
            out.num(max.into());
        }
        DateProblem::LeapSecond => {
            out.text("has second 60 outside 23:59:60, the only time of a leap second");
        }
        DateProblem::WrongWeekday { said, actual } => {
            out.text("says ");
            out.text(said);
            out.text(", but that date is a ");
            out.text(actual);
        }
    }
}

/// The message of an [`ImportProblem`].
#[cfg(feature = "import")]
fn write_import(problem: ImportProblem, out: &mut dyn Sink) {
    match problem {
        ImportProblem::Unsupported(what) => {
            out.text("not an export twofa reads: ");
            out.text(what);
        }
        ImportProblem::PasswordRequired { app } => {
            out.text("the ");
            out.text(app);
            out.text(" export is encrypted: give its password");
        }
        ImportProblem::WrongPassword { app } => {
            out.text("the password does not open the ");
            out.text(app);
            out.text(" export, or the export was changed");
        }
        ImportProblem::Malformed { app, what } => {
            out.text("invalid ");
            out.text(app);
            out.text(" export: ");
            out.text(what);
        }
        ImportProblem::OutOfMemory { what, kib } => {
            out.text(what);
            out.text(" needs ");
            out.num(kib);
            out.text(" KiB, more memory than this device gives; import it where more is free");
        }
        ImportProblem::Limit { what, found, max } => {
            out.text(what);
            out.text(" is ");
            out.num(found);
            out.text(", over the limit of ");
            out.num(max);
        }
    }
}

/// The message of an [`AnswersProblem`].
#[cfg(feature = "flows")]
fn write_answers(problem: AnswersProblem, out: &mut dyn Sink) {
    match problem {
        AnswersProblem::Count { found, max } => {
            out.text("1 to ");
            out.size(max);
            out.text(" questions are needed, not ");
            out.size(found);
        }
        AnswersProblem::QuestionLength { index, max } => {
            out.text("question ");
            out.size(index);
            out.text(" must be 1 to ");
            out.size(max);
            out.text(" characters long");
        }
        AnswersProblem::QuestionBlank(index) => {
            out.text("question ");
            out.size(index);
            out.text(" is only white space");
        }
        AnswersProblem::QuestionRepeats { index, first } => {
            out.text("question ");
            out.size(index);
            out.text(" repeats question ");
            out.size(first);
        }
        AnswersProblem::AnswerCount { expected, found } => {
            out.size(expected);
            out.text(if expected == 1 {
                " answer is needed, not "
            } else {
                " answers are needed, not "
            });
            out.size(found);
        }
        AnswersProblem::AnswerLength { index, max } => {
            out.text("answer ");
            out.size(index);
            out.text(" must be 1 to ");
            out.size(max);
            out.text(" characters long");
        }
        AnswersProblem::AnswerEmpty(index) => {
            out.text("answer ");
            out.size(index);
            out.text(" is empty after normalising");
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        FmtSink::write(f, |out| self.write(out))
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({}: \"{self}\")", self.code())
    }
}

impl core::error::Error for Error {}
