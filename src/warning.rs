//! Warnings: input that was read, and read correctly, but deserves a word to the user.

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
/// assert_eq!(warning.code(), "WEAK_SECRET");
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
    ImageLeftOut,
    /// An account a migration export cannot carry, left out of it.
    Unrepresentable(Unrepresentable),
    /// An account in a migration export that twofa cannot use, left out of the result.
    Unsupported(Unsupported),
}

/// Why an account was left out of a Google Authenticator export.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Unrepresentable {
    Period(u32),
    Digits(usize),
    Steam,
    Counter,
    Epoch,
    Label,
    TooLong(usize),
}

/// Why an account of a Google Authenticator export was left out of the result.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Unsupported {
    Algorithm(u64),
    Digits(u64),
    Type(u64),
    EmptySecret,
    LongSecret(usize),
    Counter,
}

impl Warning {
    pub(crate) const fn new(kind: WarningKind) -> Warning {
        Warning {
            kind,
            account: None,
        }
    }

    pub(crate) const fn for_account(kind: WarningKind, index: usize) -> Warning {
        Warning {
            kind,
            account: Some(index),
        }
    }

    pub(crate) const fn with_account(mut self, index: usize) -> Warning {
        self.account = Some(index);
        self
    }

    /// The stable machine-readable code.
    ///
    /// | code | raised when |
    /// |---|---|
    /// | `ISSUER_MISMATCH` | a URI's label names another issuer than its `issuer` parameter, which wins |
    /// | `WEAK_SECRET` | a secret under 16 bytes (128 bits) |
    /// | `NONSTANDARD_DIGITS` | digits other than 6 or 8, which Google Authenticator ignores |
    /// | `NONSTANDARD_PERIOD` | a period other than 30 s, which Google Authenticator ignores |
    /// | `UNREPRESENTABLE_ACCOUNT` | an account a Google Authenticator export cannot carry; it was left out |
    /// | `IMAGE_LEFT_OUT` | an account exported without its `image`, which the export format lacks |
    /// | `UNSUPPORTED_ACCOUNT` | an account of a Google Authenticator export that twofa cannot use; it was left out |
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self.kind {
            WarningKind::IssuerMismatch => "ISSUER_MISMATCH",
            WarningKind::WeakSecret(_) => "WEAK_SECRET",
            WarningKind::Digits(_) => "NONSTANDARD_DIGITS",
            WarningKind::Period(_) => "NONSTANDARD_PERIOD",
            WarningKind::Unrepresentable(_) => "UNREPRESENTABLE_ACCOUNT",
            WarningKind::ImageLeftOut => "IMAGE_LEFT_OUT",
            WarningKind::Unsupported(_) => "UNSUPPORTED_ACCOUNT",
        }
    }

    /// For warnings about one account of a migration batch: its 0-based index in the
    /// list given or read.
    #[must_use]
    pub const fn account_index(&self) -> Option<usize> {
        self.account
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(index) = self.account {
            write!(f, "account {index}: ")?;
        }
        match self.kind {
            WarningKind::IssuerMismatch => f.write_str(
                "the label names another issuer than the issuer parameter; the parameter was used",
            ),
            WarningKind::WeakSecret(bytes) => write!(
                f,
                "the secret is {} bits; 128 bits is the least that is safe",
                bytes.saturating_mul(8)
            ),
            WarningKind::Digits(n) => write!(
                f,
                "codes have {n} digits; google authenticator shows 6 or 8 and will show wrong codes"
            ),
            WarningKind::Period(n) => write!(
                f,
                "codes change every {n} seconds; google authenticator assumes 30 and will show wrong codes"
            ),
            WarningKind::Unrepresentable(why) => {
                f.write_str("left out: google authenticator exports ")?;
                match why {
                    Unrepresentable::Period(n) => {
                        write!(f, "have no period, and this account's is {n} seconds")
                    }
                    Unrepresentable::Digits(n) => {
                        write!(f, "have 6 or 8 digits, and this account has {n}")
                    }
                    Unrepresentable::Steam => f.write_str("cannot carry steam codes"),
                    Unrepresentable::Counter => {
                        f.write_str("carry counters up to 2^63 - 1, and this one is larger")
                    }
                    Unrepresentable::Epoch => f.write_str("have no totp epoch (T0) other than 0"),
                    Unrepresentable::Label => f.write_str(
                        "keep names as written, and an empty issuer or white space at either end would not come back",
                    ),
                    Unrepresentable::TooLong(n) => write!(
                        f,
                        "fit in qr codes, and this account alone takes {n} bytes; the most is {}",
                        crate::MAX_QR_URI_LEN
                    ),
                }
            }
            WarningKind::ImageLeftOut => f.write_str(
                "exported without its image: google authenticator exports have no image field",
            ),
            WarningKind::Unsupported(why) => {
                f.write_str("left out: ")?;
                match why {
                    Unsupported::Algorithm(4) => f.write_str("md5 is not supported"),
                    Unsupported::Algorithm(n) => write!(f, "unknown algorithm {n}"),
                    Unsupported::Digits(n) => write!(f, "unknown digit count {n}"),
                    Unsupported::Type(n) => write!(f, "unknown otp type {n}"),
                    Unsupported::EmptySecret => f.write_str("the secret is empty"),
                    Unsupported::LongSecret(n) => write!(
                        f,
                        "the secret is {n} bytes long; the most is {}",
                        crate::MAX_LEN
                    ),
                    Unsupported::Counter => f.write_str("the counter is negative"),
                }
            }
        }
    }
}

impl fmt::Debug for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Warning({}: \"{self}\")", self.code())
    }
}
