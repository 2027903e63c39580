//! Warnings: input that was read, and read correctly, but deserves a word to the user.

use crate::error::{FmtSink, Sink};
use alloc::string::String;
use core::fmt;

/// Something about an account that was accepted but that a user should hear of, such as
/// a secret under 128 bits or a digit count that Google Authenticator will not honour.
///
/// Like [`crate::Error`] it is opaque: match on [`Warning::code`] and show its `Display`.
/// Messages never contain secret material.
///
/// # Example
///
/// ```
/// let parsed = twofa::KeyUri::parse("otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXP&issuer=ACME")?;
/// let warning = &parsed.warnings[0];
/// assert_eq!(warning.code(), twofa::WarningCode::WeakSecret);
/// assert_eq!(warning.to_string(), "the secret is 80 bits; 128 bits is the least that is safe");
/// # Ok::<(), twofa::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Warning {
    kind: WarningKind,
    account: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum WarningKind {
    /// The label's issuer and the `issuer` parameter differ; the parameter was used.
    IssuerMismatch,
    /// A secret of this many bytes, under 16.
    WeakSecret(usize),
    /// A digit count other than 6 or 8.
    Digits(usize),
    /// A period other than 30 seconds.
    Period(u32),
    /// An account exported without its `image`, which the format cannot carry.
    #[cfg(feature = "migration")]
    ImageLeftOut,
    /// An account a migration export cannot carry, left out of it.
    #[cfg(feature = "migration")]
    Unrepresentable(Unrepresentable),
    /// An account in a migration export that twofa cannot use, left out of the result.
    #[cfg(feature = "migration")]
    Unsupported(Unsupported),
    /// An entry of another app's export that twofa cannot use, left out of the result.
    #[cfg(feature = "import")]
    Left(Left),
    /// An entry of another app's export imported with a change.
    #[cfg(feature = "import")]
    Changed(Changed),
    /// A Google Authenticator export of `size` QR codes of which only `given` were
    /// read: the accounts of the others are missing. Its index is where they would go.
    #[cfg(feature = "import")]
    MissingBatches { given: usize, size: usize },
}

/// Why an entry of another app's export was left out of the result. The texts are fixed
/// messages: they never hold file content.
#[cfg(feature = "import")]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Left {
    /// A kind of account twofa makes no codes for, such as `"mOTP"` or `"Yandex"`.
    Kind(&'static str),
    /// An algorithm twofa does not have, such as `"MD5"`.
    Algorithm(&'static str),
    /// No secret, or an empty one.
    NoSecret,
    /// A secret that cannot be read; the text says why, such as `"it is not base32"`.
    Secret(&'static str),
    /// Digits outside 6–10.
    Digits(u64),
    /// A period of 0 or over 2^32 − 1 seconds.
    Period(u64),
    /// A counter that is negative or not a whole number.
    Counter,
    /// A field that is missing or malformed, named as the app names it.
    Field(&'static str),
    /// Anything else; the text says what.
    Other(&'static str),
}

/// How an entry of another app's export was changed on the way in.
#[cfg(feature = "import")]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Changed {
    /// Base32 whose last characters make no whole byte: they were dropped, as the apps
    /// that wrote it drop them.
    SecretBits,
    /// White space at either end of the issuer or account name, trimmed.
    Trimmed,
    /// Anything else; the text says what.
    Other(&'static str),
}

/// Why an account was left out of a Google Authenticator export.
#[cfg(feature = "migration")]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Unrepresentable {
    Period(u32),
    Digits(usize),
    Steam,
    Counter,
    Epoch,
    Label,
    /// The account alone takes `len` bytes, past the `max` a QR code holds.
    TooLong {
        len: usize,
        max: usize,
    },
}

/// Why an account of a Google Authenticator export was left out of the result.
#[cfg(feature = "migration")]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Unsupported {
    Algorithm(u64),
    Digits(u64),
    Type(u64),
    EmptySecret,
    LongSecret { len: usize, max: usize },
    Counter,
}

/// Declares [`WarningCode`], the one list of warning codes, as `codes!` declares
/// [`crate::Code`].
macro_rules! warning_codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)+) => {
        /// The stable, machine-readable code of a [`Warning`].
        ///
        /// # Example
        ///
        /// ```
        /// let parsed = twofa::KeyUri::parse("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP")?;
        /// assert_eq!(parsed.warnings[0].code(), twofa::WarningCode::WeakSecret);
        /// assert_eq!(parsed.warnings[0].code(), "WEAK_SECRET");
        /// # Ok::<(), twofa::Error>(())
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum WarningCode {
            $($(#[$doc])* $variant,)+
        }

        impl WarningCode {
            /// Every warning code.
            pub const ALL: &'static [WarningCode] = &[$(WarningCode::$variant,)+];

            /// The code as JavaScript sees it, such as `"WEAK_SECRET"`.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(WarningCode::$variant => $text,)+
                }
            }
        }

        /// Every code as a TypeScript union, for the binding's `WarningCode` type.
        #[allow(dead_code)] // read inside a `typescript_custom_section`, unseen by the lint
        pub(crate) const TS_UNION: &str = concat!($("\n  | \"", $text, "\"",)+);
    };
}

warning_codes! {
    /// A URI's label names another issuer than its `issuer` parameter, which wins.
    IssuerMismatch = "ISSUER_MISMATCH",
    /// A secret under 16 bytes (128 bits).
    WeakSecret = "WEAK_SECRET",
    /// Digits other than 6 or 8, which Google Authenticator ignores.
    NonstandardDigits = "NONSTANDARD_DIGITS",
    /// A period other than 30 s, which Google Authenticator ignores.
    NonstandardPeriod = "NONSTANDARD_PERIOD",
    /// An account a Google Authenticator export cannot carry; it was left out.
    UnrepresentableAccount = "UNREPRESENTABLE_ACCOUNT",
    /// An account exported without its `image`, which the export format lacks.
    ImageLeftOut = "IMAGE_LEFT_OUT",
    /// An account of a Google Authenticator export, or an entry of another app's export,
    /// that twofa cannot use; it was left out.
    UnsupportedAccount = "UNSUPPORTED_ACCOUNT",
    /// An entry of another app's export imported with a change, such as a trimmed name.
    AccountChanged = "ACCOUNT_CHANGED",
    /// Some of the QR codes of a Google Authenticator export were not given: their
    /// accounts are missing.
    IncompleteExport = "INCOMPLETE_EXPORT",
}

impl fmt::Display for WarningCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for WarningCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Warning {
    pub(crate) const fn new(kind: WarningKind) -> Warning {
        Warning {
            kind,
            account: None,
        }
    }

    #[cfg(any(feature = "migration", feature = "import"))]
    pub(crate) const fn for_account(kind: WarningKind, index: usize) -> Warning {
        Warning {
            kind,
            account: Some(index),
        }
    }

    #[cfg(any(feature = "migration", feature = "import"))]
    pub(crate) const fn with_account(mut self, index: usize) -> Warning {
        self.account = Some(index);
        self
    }

    /// The stable machine-readable code.
    #[must_use]
    pub const fn code(&self) -> WarningCode {
        match self.kind {
            WarningKind::IssuerMismatch => WarningCode::IssuerMismatch,
            WarningKind::WeakSecret(_) => WarningCode::WeakSecret,
            WarningKind::Digits(_) => WarningCode::NonstandardDigits,
            WarningKind::Period(_) => WarningCode::NonstandardPeriod,
            #[cfg(feature = "migration")]
            WarningKind::Unrepresentable(_) => WarningCode::UnrepresentableAccount,
            #[cfg(feature = "migration")]
            WarningKind::ImageLeftOut => WarningCode::ImageLeftOut,
            #[cfg(feature = "migration")]
            WarningKind::Unsupported(_) => WarningCode::UnsupportedAccount,
            #[cfg(feature = "import")]
            WarningKind::Left(_) => WarningCode::UnsupportedAccount,
            #[cfg(feature = "import")]
            WarningKind::Changed(_) => WarningCode::AccountChanged,
            #[cfg(feature = "import")]
            WarningKind::MissingBatches { .. } => WarningCode::IncompleteExport,
        }
    }

    /// For warnings about one account of a migration batch: its 0-based index in the
    /// list given or read.
    #[must_use]
    pub const fn account_index(&self) -> Option<usize> {
        self.account
    }
}

impl Warning {
    /// The message, as `Display` writes it, into a new `String` (for the binding).
    #[cfg_attr(
        not(all(
            target_arch = "wasm32",
            any(feature = "js-root", feature = "js-migration", feature = "js-import")
        )),
        allow(dead_code)
    )]
    pub(crate) fn message(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// Writes the message.
    pub(crate) fn write(&self, out: &mut dyn Sink) {
        if let Some(index) = self.account {
            out.text("account ");
            out.size(index);
            out.text(": ");
        }
        match self.kind {
            WarningKind::IssuerMismatch => out.text(
                "the label names another issuer than the issuer parameter; the parameter was used",
            ),
            WarningKind::WeakSecret(bytes) => {
                out.text("the secret is ");
                out.size(bytes.saturating_mul(8));
                out.text(" bits; 128 bits is the least that is safe");
            }
            WarningKind::Digits(n) => {
                out.text("codes have ");
                out.size(n);
                out.text(" digits; google authenticator shows 6 or 8 and will show wrong codes");
            }
            WarningKind::Period(n) => {
                out.text("codes change every ");
                out.num(n.into());
                out.text(" seconds; google authenticator assumes 30 and will show wrong codes");
            }
            #[cfg(feature = "migration")]
            WarningKind::Unrepresentable(why) => {
                out.text("left out: google authenticator exports ");
                match why {
                    Unrepresentable::Period(n) => {
                        out.text("have no period, and this account's is ");
                        out.num(n.into());
                        out.text(" seconds");
                    }
                    Unrepresentable::Digits(n) => {
                        out.text("have 6 or 8 digits, and this account has ");
                        out.size(n);
                    }
                    Unrepresentable::Steam => out.text("cannot carry steam codes"),
                    Unrepresentable::Counter => {
                        out.text("carry counters up to 2^63 - 1, and this one is larger");
                    }
                    Unrepresentable::Epoch => out.text("have no totp epoch (T0) other than 0"),
                    Unrepresentable::Label => out.text(
                        "keep names as written, and an empty issuer or white space at either end would not come back",
                    ),
                    Unrepresentable::TooLong { len, max } => {
                        out.text("fit in qr codes, and this account alone takes ");
                        out.size(len);
                        out.text(" bytes; the most is ");
                        out.size(max);
                    }
                }
            }
            #[cfg(feature = "migration")]
            WarningKind::ImageLeftOut => out.text(
                "exported without its image: google authenticator exports have no image field",
            ),
            #[cfg(feature = "migration")]
            WarningKind::Unsupported(why) => {
                out.text("left out: ");
                match why {
                    Unsupported::Algorithm(4) => out.text("md5 is not supported"),
                    Unsupported::Algorithm(n) => {
                        out.text("unknown algorithm ");
                        out.num(n);
                    }
                    Unsupported::Digits(n) => {
                        out.text("unknown digit count ");
                        out.num(n);
                    }
                    Unsupported::Type(n) => {
                        out.text("unknown otp type ");
                        out.num(n);
                    }
                    Unsupported::EmptySecret => out.text("the secret is empty"),
                    Unsupported::LongSecret { len, max } => {
                        out.text("the secret is ");
                        out.size(len);
                        out.text(" bytes long; the most is ");
                        out.size(max);
                    }
                    Unsupported::Counter => out.text("the counter is negative"),
                }
            }
            #[cfg(feature = "import")]
            WarningKind::Left(why) => {
                out.text("left out: ");
                match why {
                    Left::Kind(kind) => {
                        out.text(kind);
                        out.text(" accounts are not supported");
                    }
                    Left::Algorithm(name) => {
                        out.text("the ");
                        out.text(name);
                        out.text(" algorithm is not supported");
                    }
                    Left::NoSecret => out.text("the entry has no secret"),
                    Left::Secret(why) => {
                        out.text("the secret cannot be read: ");
                        out.text(why);
                    }
                    Left::Digits(n) => {
                        out.text("codes of ");
                        out.num(n);
                        out.text(" digits are not supported");
                    }
                    Left::Period(n) => {
                        out.text("a period of ");
                        out.num(n);
                        out.text(" seconds is not supported");
                    }
                    Left::Counter => {
                        out.text("the counter is not a whole number from 0 to 2^64 - 1")
                    }
                    Left::Field(name) => {
                        out.text("the ");
                        out.text(name);
                        out.text(" field is missing or malformed");
                    }
                    Left::Other(what) => out.text(what),
                }
            }
            #[cfg(feature = "import")]
            WarningKind::MissingBatches { given, size } => {
                out.text("the export has ");
                out.size(size);
                out.text(" qr codes and ");
                out.size(given);
                out.text(if given == 1 { " was" } else { " were" });
                out.text(" given: the accounts of the others are missing");
            }
            #[cfg(feature = "import")]
            WarningKind::Changed(how) => {
                out.text("changed: ");
                match how {
                    Changed::SecretBits => out.text(
                        "the secret's base32 ended in characters that make no whole byte; they were dropped",
                    ),
                    Changed::Trimmed => out.text(
                        "white space at either end of the issuer or account name was trimmed",
                    ),
                    Changed::Other(what) => out.text(what),
                }
            }
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        FmtSink::write(f, |out| self.write(out))
    }
}

impl fmt::Debug for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Warning({}: \"{self}\")", self.code())
    }
}
