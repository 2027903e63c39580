//! Accounts moved in from other authenticators: [`import`] reads the exports and backups
//! of every common app, plain or encrypted, and tells which format it found.
//!
//! The format is found from the content, never from a file name. Every entry of the
//! file either becomes an [`ImportedAccount`] or a [`Warning`] that names its index and
//! says why it was left out or what was changed; nothing is dropped silently. Sizes and
//! the key-derivation costs read from a file are checked against [`Limits`] before any
//! work.
//!
//! # Example
//!
//! ```
//! use twofa::transfer::import::{import, ImportFormat, ImportOptions};
//!
//! let text = "otpauth://totp/ACME:ada?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME\n";
//! let found = import(text.as_bytes(), &ImportOptions::default())?;
//! assert_eq!(found.format, ImportFormat::OtpauthText);
//! assert_eq!(found.accounts[0].key.account, "ada");
//! assert!(found.warnings.is_empty());
//! # Ok::<(), twofa::Error>(())
//! ```

mod crypto;
mod json;

mod aegis;
mod andotp;
mod battlenet;
mod bitwarden;
mod ente;
mod extension;
/// Field readers shared by the JSON formats of 2FAS, andOTP, LastPass, FreeOTP+, Proton
/// and TOTP Authenticator.
mod field;
mod freeotp;
mod freeotp_plus;
mod lastpass;
mod proton;
mod steam;
mod stratum;
mod text;
mod totp_authenticator;
mod twofas;
mod zip;

// Aegis exports written: the one export among the import formats.
pub use aegis::{export_aegis, MAX_PASSWORD_SLOTS};
pub use crypto::{MAX_LANES, MAX_MEMORY_PASSES_KIB, MAX_PASSES};

use super::warning::{Changed, Left, Warning, WarningKind};
use super::KeyUri;
use crate::error::{Error, ErrorKind, ImportProblem};
use crate::otp::{Algorithm, Format, Hotp, Secret, Totp};
use crate::transfer::uri::Otp;
use alloc::string::String;
use alloc::vec::Vec;
use json::Value;

/// The largest export read, in bytes: Aegis files with icons run to megabytes.
pub const MAX_IMPORT_LEN: usize = 32 << 20;
/// The most entries one export may hold.
pub const MAX_ENTRIES: usize = 10_000;
/// The default cap on the memory a file's key derivation may ask for, in KiB: 1 GiB, what
/// Ente's "sensitive" setting (libsodium's `MEMLIMIT_SENSITIVE`) asks.
pub const DEFAULT_MAX_MEMORY_KIB: u64 = 1 << 20;
/// The default cap on PBKDF2 iterations a file may ask for: five times Bitwarden's 2,000,000
/// most.
pub const DEFAULT_MAX_ITERATIONS: u64 = 10_000_000;

/// Caps on what a file may make [`import`] do; costs over them are refused with
/// `IMPORT_LIMIT` before any work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The most memory a key derivation (Argon2, scrypt) may use, in KiB.
    pub max_memory_kib: u64,
    /// The most PBKDF2 iterations.
    pub max_iterations: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_memory_kib: DEFAULT_MAX_MEMORY_KIB,
            max_iterations: DEFAULT_MAX_ITERATIONS,
        }
    }
}

/// What [`import`] is given besides the file.
#[derive(Clone, Copy, Default)]
pub struct ImportOptions<'a> {
    /// The password of an encrypted export.
    pub password: Option<&'a str>,
    /// Caps on the work a file may ask for.
    pub limits: Limits,
}

impl core::fmt::Debug for ImportOptions<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ImportOptions")
            .field("password", &self.password.map(|_| ".."))
            .field("limits", &self.limits)
            .finish()
    }
}

/// An account read from an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedAccount {
    /// The account, as an otpauth:// URI carries it.
    pub key: KeyUri,
    /// The entry's name in the app, such as its label or title, as written.
    pub name: String,
    /// The 0-based index of the entry in the export, counting every entry.
    pub index: usize,
}

/// What [`import`] read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The format found.
    pub format: ImportFormat,
    /// The accounts, in the order of the export.
    pub accounts: Vec<ImportedAccount>,
    /// Entries left out and entries changed, each naming its index, and the warnings of
    /// the accounts (weak secrets and the like).
    pub warnings: Vec<Warning>,
}

macro_rules! formats {
    ($($(#[$doc:meta])* $variant:ident = $text:literal, $app:literal, $encrypted:literal;)+) => {
        /// An export format [`import`] reads.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ImportFormat {
            $($(#[$doc])* $variant,)+
        }

        impl ImportFormat {
            /// Every format.
            pub const ALL: &'static [ImportFormat] = &[$(ImportFormat::$variant,)+];

            /// The format's stable name, such as `"aegis-encrypted"`.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ImportFormat::$variant => $text,)+
                }
            }

            /// The app that writes it, as people call it, such as `"Aegis"`.
            #[must_use]
            pub const fn app(self) -> &'static str {
                match self {
                    $(ImportFormat::$variant => $app,)+
                }
            }

            /// Whether the format is encrypted with a password.
            #[must_use]
            pub const fn is_encrypted(self) -> bool {
                match self {
                    $(ImportFormat::$variant => $encrypted,)+
                }
            }
        }

        /// Every format name as a TypeScript union, for the binding.
        #[allow(dead_code)] // read inside a `typescript_custom_section`, unseen by the lint
        pub(crate) const TS_UNION: &str = concat!($("\n  | \"", $text, "\"",)+);
    };
}

formats! {
    /// otpauth:// URIs, one a line: Ente's and Aegis' plain text exports, KeePassXC's
    /// `otp` attribute, and lists people keep.
    OtpauthText = "otpauth", "otpauth:// text", false;
    /// Google Authenticator's `otpauth-migration://` URIs, one a line, several batches.
    GoogleAuthenticator = "google-authenticator", "Google Authenticator", false;
    /// Aegis' JSON export.
    Aegis = "aegis", "Aegis", false;
    /// Aegis' encrypted JSON export: scrypt key slots and AES-256-GCM.
    AegisEncrypted = "aegis-encrypted", "Aegis", true;
    /// 2FAS' `.2fas` backup.
    TwoFas = "2fas", "2FAS", false;
    /// 2FAS' encrypted backup: PBKDF2-SHA256 and AES-256-GCM.
    TwoFasEncrypted = "2fas-encrypted", "2FAS", true;
    /// Bitwarden's JSON export.
    BitwardenJson = "bitwarden-json", "Bitwarden", false;
    /// Bitwarden's CSV export.
    BitwardenCsv = "bitwarden-csv", "Bitwarden", false;
    /// Bitwarden's password-protected JSON export: PBKDF2 or Argon2id, HKDF, AES-CBC and
    /// HMAC-SHA256.
    BitwardenEncrypted = "bitwarden-encrypted", "Bitwarden", true;
    /// Bitwarden Authenticator's JSON export.
    BitwardenAuthenticator = "bitwarden-authenticator", "Bitwarden Authenticator", false;
    /// Ente Auth's encrypted export: Argon2id and libsodium's secretstream.
    EnteEncrypted = "ente-encrypted", "Ente Auth", true;
    /// Proton Authenticator's JSON export.
    ProtonAuthenticator = "proton-authenticator", "Proton Authenticator", false;
    /// Proton Authenticator's password-protected export: Argon2id and AES-256-GCM.
    ProtonAuthenticatorEncrypted = "proton-authenticator-encrypted", "Proton Authenticator", true;
    /// Proton Pass' ZIP export, for the items with a TOTP.
    ProtonPass = "proton-pass", "Proton Pass", false;
    /// andOTP's JSON backup.
    AndOtp = "andotp", "andOTP", false;
    /// andOTP's encrypted backup: PBKDF2-SHA1 (or the old SHA-256 key) and AES-256-GCM.
    AndOtpEncrypted = "andotp-encrypted", "andOTP", true;
    /// The Authenticator browser extension's backup.
    AuthenticatorExtension = "authenticator-extension", "Authenticator extension", false;
    /// The Authenticator browser extension's passphrase-protected backup.
    AuthenticatorExtensionEncrypted = "authenticator-extension-encrypted", "Authenticator extension", true;
    /// LastPass Authenticator's JSON export.
    LastPass = "lastpass", "LastPass Authenticator", false;
    /// FreeOTP+'s JSON backup.
    FreeOtpPlus = "freeotp-plus", "FreeOTP+", false;
    /// FreeOTP's encrypted backup (version 2): PBKDF2 and AES-GCM.
    FreeOtpEncrypted = "freeotp-encrypted", "FreeOTP", true;
    /// Authenticator Pro's (Stratum's) JSON backup.
    AuthenticatorPro = "authenticator-pro", "Authenticator Pro", false;
    /// Authenticator Pro's (Stratum's) encrypted backup: Argon2id and AES-GCM, or the
    /// legacy PBKDF2-SHA1 and AES-CBC.
    AuthenticatorProEncrypted = "authenticator-pro-encrypted", "Authenticator Pro", true;
    /// Authenticator Plus' password-protected ZIP backup.
    AuthenticatorPlusEncrypted = "authenticator-plus-encrypted", "Authenticator Plus", true;
    /// WinAuth's text export in a ZIP file.
    WinAuth = "winauth", "WinAuth", false;
    /// WinAuth's text export in a password-protected ZIP file.
    WinAuthEncrypted = "winauth-encrypted", "WinAuth", true;
    /// TOTP Authenticator's encrypted backup: SHA-256 of the password and AES-256-CBC.
    TotpAuthenticatorEncrypted = "totp-authenticator-encrypted", "TOTP Authenticator", true;
    /// The Battle.net Authenticator's saved state.
    BattleNet = "battle-net", "Battle.net Authenticator", false;
    /// A Steam Guard file (`.maFile`, as Steam Desktop Authenticator writes it).
    Steam = "steam", "Steam Guard", false;
}

/// Reads an export of another authenticator: the format is found from the content.
///
/// # Errors
///
/// - `IMPORT_LIMIT` for input over [`MAX_IMPORT_LEN`] bytes, over [`MAX_ENTRIES`]
///   entries, or a key derivation that asks for more than `options.limits` allow.
/// - `PASSWORD_REQUIRED` for an encrypted export without a password, naming the app.
/// - `WRONG_PASSWORD` when the password does not open it.
/// - `INVALID_IMPORT` for an export of a known format that is malformed as a whole.
/// - `UNSUPPORTED_FORMAT` for anything else, saying what it looks like when it can.
pub fn import(input: &[u8], options: &ImportOptions<'_>) -> Result<Import, Error> {
    crypto::check("input (bytes)", input.len() as u64, MAX_IMPORT_LEN as u64)?;
    let input = Input::new(input);
    if input.json_too_big {
        return Err(crypto::over(
            "JSON values",
            json::MAX_VALUES as u64 + 1,
            json::MAX_VALUES as u64,
        ));
    }
    for reader in READERS {
        let mut accounts = Accounts::default();
        if let Some(found) = (reader.read)(&input, options, &mut accounts) {
            let format = found?;
            return Ok(Import {
                format,
                accounts: accounts.list,
                warnings: accounts.warnings,
            });
        }
    }
    Err(unsupported(input.looks_like()))
}

/// One format family's reader: `None` when the input is not of its family, or what it
/// read and which format it was.
pub(crate) struct Reader {
    /// The family's name, for the fuzz targets and the tests.
    #[allow(dead_code)]
    pub(crate) name: &'static str,
    pub(crate) read:
        fn(&Input<'_>, &ImportOptions<'_>, &mut Accounts) -> Option<Result<ImportFormat, Error>>,
}

/// The readers, most specific first; otpauth text comes last.
pub(crate) const READERS: &[Reader] = &[
    Reader {
        name: "zip",
        read: zip::read,
    },
    Reader {
        name: "freeotp",
        read: freeotp::read,
    },
    Reader {
        name: "stratum",
        read: stratum::read,
    },
    Reader {
        name: "andotp",
        read: andotp::read,
    },
    Reader {
        name: "totp-authenticator",
        read: totp_authenticator::read,
    },
    Reader {
        name: "battlenet",
        read: battlenet::read,
    },
    Reader {
        name: "aegis",
        read: aegis::read,
    },
    Reader {
        name: "twofas",
        read: twofas::read,
    },
    Reader {
        name: "bitwarden",
        read: bitwarden::read,
    },
    Reader {
        name: "ente",
        read: ente::read,
    },
    Reader {
        name: "proton",
        read: proton::read,
    },
    Reader {
        name: "extension",
        read: extension::read,
    },
    Reader {
        name: "lastpass",
        read: lastpass::read,
    },
    Reader {
        name: "freeotp-plus",
        read: freeotp_plus::read,
    },
    Reader {
        name: "steam",
        read: steam::read,
    },
    Reader {
        name: "text",
        read: text::read,
    },
];

/// The file, with the views of it that readers look at.
pub(crate) struct Input<'a> {
    /// The bytes as given, a UTF-8 byte-order mark dropped.
    pub(crate) bytes: &'a [u8],
    /// The same as text, when it is UTF-8.
    pub(crate) text: Option<&'a str>,
    /// The text as one JSON value, when it is one.
    pub(crate) json: Option<Value>,
    /// JSON text of more values than [`json::MAX_VALUES`], which no tree was built for.
    json_too_big: bool,
}

impl<'a> Input<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Input<'a> {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let text = core::str::from_utf8(bytes).ok();
        let parsed = text
            .filter(|t| t.trim_start().starts_with(['{', '[']))
            .map(Value::parse_bounded);
        let json_too_big = matches!(parsed, Some(Err(())));
        let json = parsed.and_then(|p| p.ok().flatten());
        Input {
            bytes,
            text,
            json,
            json_too_big,
        }
    }

    /// What the input looks like, for `UNSUPPORTED_FORMAT`.
    fn looks_like(&self) -> &'static str {
        let b = self.bytes;
        if b.is_empty() || self.text.is_some_and(|t| t.trim().is_empty()) {
            "the input is empty"
        } else if b.starts_with(b"\x89PNG")
            || b.starts_with(b"\xff\xd8\xff")
            || b.starts_with(b"GIF8")
            || (b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP"))
            // Short signatures that text may begin with count only for binary input.
            || (self.text.is_none()
                && (b.starts_with(b"BM")
                    || b.starts_with(b"II*\0")
                    || b.starts_with(b"MM\0*")))
            || (b.get(4..8) == Some(b"ftyp")
                && [&b"heic"[..], b"heix", b"mif1", b"avif"]
                    .contains(&b.get(8..12).unwrap_or_default()))
        {
            "it is an image: read its QR code with twofa/qr, then import the text"
        } else if b.starts_with(b"PK\x03\x04") {
            "it is a ZIP archive that holds no export twofa knows"
        } else if b.starts_with(b"SQLite format 3\0") {
            "it is an app's own SQLite database, not an export"
        } else if b.starts_with(b"%PDF") {
            "it is a PDF document"
        } else if self.json.is_some() {
            "it is JSON, but not an export twofa knows"
        } else if self.text.is_some_and(|t| t.trim_start().starts_with('<')) {
            "it is XML or HTML, but not an export twofa knows"
        } else if self.text.is_some() {
            "it is text without otpauth:// URIs"
        } else {
            "it is binary data of no export twofa knows"
        }
    }
}

/// `UNSUPPORTED_FORMAT`.
pub(crate) fn unsupported(what: &'static str) -> Error {
    Error::new(ErrorKind::Import(ImportProblem::Unsupported(what)))
}

/// `PASSWORD_REQUIRED` for an encrypted export of `format` given without a password.
pub(crate) fn password_required(format: ImportFormat) -> Error {
    Error::new(ErrorKind::Import(ImportProblem::PasswordRequired {
        app: format.app(),
    }))
}

/// `WRONG_PASSWORD` for an export of `format` that the password does not open.
pub(crate) fn wrong_password(format: ImportFormat) -> Error {
    Error::new(ErrorKind::Import(ImportProblem::WrongPassword {
        app: format.app(),
    }))
}

/// `INVALID_IMPORT` for an export of `format` that is malformed as a whole.
pub(crate) fn malformed(format: ImportFormat, what: &'static str) -> Error {
    Error::new(ErrorKind::Import(ImportProblem::Malformed {
        app: format.app(),
        what,
    }))
}

/// The password of an encrypted export, or `PASSWORD_REQUIRED`.
pub(crate) fn password<'a>(
    options: &ImportOptions<'a>,
    format: ImportFormat,
) -> Result<&'a str, Error> {
    options.password.ok_or_else(|| password_required(format))
}

/// Which generator an entry describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Time-based, with a period in seconds.
    Totp { period: u64 },
    /// Counter-based, with the next counter.
    Hotp { counter: u64 },
    /// Steam Guard: time-based, five characters.
    Steam { period: u64 },
}

/// An entry's secret as the file holds it.
#[derive(Clone, Copy)]
pub(crate) enum SecretText<'a> {
    /// Base32, read leniently: either case, spaces, hyphens and padding ignored; a length
    /// that encodes no whole byte loses its last character, with a warning.
    Base32(&'a str),
    /// Raw bytes.
    Bytes(&'a [u8]),
}

/// An entry as a format read it, before twofa checks it.
#[derive(Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub(crate) kind: Kind,
    pub(crate) secret: SecretText<'a>,
    pub(crate) algorithm: Algorithm,
    /// Digits of decimal codes (ignored for Steam).
    pub(crate) digits: u64,
    pub(crate) issuer: &'a str,
    pub(crate) account: &'a str,
    /// The entry's name in the app.
    pub(crate) name: &'a str,
}

/// The accounts and warnings a reader collects.
#[derive(Default)]
pub(crate) struct Accounts {
    list: Vec<ImportedAccount>,
    warnings: Vec<Warning>,
    entries: usize,
}

impl Accounts {
    /// Counts one more entry of the file; `IMPORT_LIMIT` past [`MAX_ENTRIES`]. Readers
    /// call it (through [`Accounts::add`], [`Accounts::left`] or [`Accounts::add_uri`])
    /// once per entry.
    fn count(&mut self) -> Result<(), Error> {
        self.entries += 1;
        crypto::check("entries", self.entries as u64, MAX_ENTRIES as u64)
    }

    /// Entry `index` left out, with why.
    pub(crate) fn left(&mut self, index: usize, why: Left) -> Result<(), Error> {
        self.count()?;
        self.warnings
            .push(Warning::for_account(WarningKind::Left(why), index));
        Ok(())
    }

    /// Entry `index` changed on the way in, with how; the entry itself is added apart.
    pub(crate) fn changed(&mut self, index: usize, how: Changed) {
        self.warnings
            .push(Warning::for_account(WarningKind::Changed(how), index));
    }

    /// Entry `index`, checked: an account, or a warning saying why it was left out.
    pub(crate) fn add(&mut self, index: usize, entry: Entry<'_>) -> Result<(), Error> {
        match self.build(index, entry) {
            Ok(key) => self.push(index, key, entry.name),
            Err(why) => self.left(index, why),
        }
    }

    /// Entry `index` as a reader made it, or why the reader left it out.
    pub(crate) fn add_or_left(
        &mut self,
        index: usize,
        entry: Result<Entry<'_>, Left>,
    ) -> Result<(), Error> {
        match entry {
            Ok(entry) => self.add(index, entry),
            Err(why) => self.left(index, why),
        }
    }

    /// Entry `index` given as an otpauth:// URI (Bitwarden, Ente, Proton, WinAuth…):
    /// an account, or a warning. Secrets of a length that encodes no whole byte lose
    /// their last character, as [`Accounts::add`] does.
    pub(crate) fn add_uri(&mut self, index: usize, uri: &str, name: &str) -> Result<(), Error> {
        let uri = uri.trim();
        let kind = uri
            .strip_prefix("otpauth://")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default();
        for (named, shown) in [("motp", "mOTP"), ("yaotp", "Yandex"), ("yandex", "Yandex")] {
            if kind.eq_ignore_ascii_case(named) {
                return self.left(index, Left::Kind(shown));
            }
        }
        let (fixed, dropped) = fix_uri_secret(uri);
        match KeyUri::parse(fixed.as_deref().unwrap_or(uri)) {
            Ok(parsed) => {
                if dropped {
                    self.changed(index, Changed::SecretBits);
                }
                let (key, warnings) = (parsed.key, parsed.warnings);
                self.push_checked(index, key, name, warnings)
            }
            Err(err) => self.left(
                index,
                match err.code() {
                    crate::Code::InvalidBase32 => Left::Secret("it is not base32"),
                    crate::Code::SecretLength => Left::NoSecret,
                    crate::Code::InvalidUri
                        if kind_known(uri) && uri_param(uri, "secret").is_none() =>
                    {
                        Left::NoSecret
                    }
                    crate::Code::UnsupportedAlgorithm => match uri_param(uri, "algorithm") {
                        Some(name) if name.eq_ignore_ascii_case("md5") => Left::Algorithm("MD5"),
                        _ => Left::Field("algorithm"),
                    },
                    crate::Code::InvalidDigits => Left::Field("digits"),
                    crate::Code::InvalidPeriod => Left::Field("period"),
                    crate::Code::InvalidCounter => Left::Counter,
                    _ => Left::Other("its otpauth:// URI is malformed"),
                },
            ),
        }
    }

    fn build(&mut self, index: usize, entry: Entry<'_>) -> Result<KeyUri, Left> {
        let secret = match entry.secret {
            SecretText::Bytes([]) => return Err(Left::NoSecret),
            SecretText::Bytes(bytes) => {
                Secret::from_bytes(bytes).map_err(|_| Left::Secret("it is over 1,024 bytes"))?
            }
            SecretText::Base32(text) => {
                let (secret, dropped) = lenient_base32(text)?;
                if dropped {
                    self.changed(index, Changed::SecretBits);
                }
                secret
            }
        };
        let period = |p: u64| -> Result<u32, Left> {
            u32::try_from(p)
                .ok()
                .filter(|&p| p > 0)
                .ok_or(Left::Period(p))
        };
        let format = || Format::digits(entry.digits).map_err(|_| Left::Digits(entry.digits));
        let otp = match entry.kind {
            Kind::Totp { period: p } => Otp::Totp(
                Totp::new(secret)
                    .with_algorithm(entry.algorithm)
                    .with_format(format()?)
                    .with_period(period(p)?)
                    .map_err(|_| Left::Period(p))?,
            ),
            Kind::Steam { period: p } => Otp::Totp(
                Totp::steam(secret)
                    .with_algorithm(entry.algorithm)
                    .with_period(period(p)?)
                    .map_err(|_| Left::Period(p))?,
            ),
            Kind::Hotp { counter } => Otp::Hotp {
                hotp: Hotp::new(secret)
                    .with_algorithm(entry.algorithm)
                    .with_format(format()?),
                counter,
            },
        };
        Ok(KeyUri {
            otp,
            issuer: Some(String::from(entry.issuer)),
            account: String::from(entry.account),
            image: None,
        })
    }

    fn push(&mut self, index: usize, key: KeyUri, name: &str) -> Result<(), Error> {
        let warnings = key.warnings();
        self.push_checked(index, key, name, warnings)
    }

    /// Adds the account with its own warnings, names trimmed (with a warning) so that
    /// an otpauth:// URI carries them unchanged; an empty issuer becomes none.
    fn push_checked(
        &mut self,
        index: usize,
        mut key: KeyUri,
        name: &str,
        warnings: Vec<Warning>,
    ) -> Result<(), Error> {
        self.count()?;
        let mut trimmed = false;
        if let Some(issuer) = key.issuer.take() {
            let t = issuer.trim();
            trimmed |= t.len() != issuer.len();
            key.issuer = (!t.is_empty()).then(|| String::from(t));
        }
        let account = key.account.trim();
        if account.len() != key.account.len() {
            trimmed = true;
            key.account = String::from(account);
        }
        if trimmed {
            self.changed(index, Changed::Trimmed);
        }
        self.warnings
            .extend(warnings.into_iter().map(|w| w.with_account(index)));
        self.list.push(ImportedAccount {
            key,
            name: String::from(name),
            index,
        });
        Ok(())
    }
}

/// The algorithm an app names, in any of the spellings apps use (`SHA1`, `sha-256`,
/// `HmacSHA512`, `HMAC-SHA1`); MD5 and others are named in the warning.
pub(crate) fn algorithm(name: &str) -> Result<Algorithm, Left> {
    let mut clean = [0u8; 16];
    let mut len = 0;
    let name = name.trim();
    let name = name
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("hmac"))
        .map_or(name, |_| name.get(4..).unwrap_or_default());
    for b in name.bytes().filter(|b| !matches!(b, b'-' | b'_' | b' ')) {
        let slot = clean.get_mut(len).ok_or(Left::Field("algorithm"))?;
        *slot = b.to_ascii_uppercase();
        len += 1;
    }
    match clean.get(..len).unwrap_or_default() {
        b"SHA1" => Ok(Algorithm::Sha1),
        b"SHA256" => Ok(Algorithm::Sha256),
        b"SHA512" => Ok(Algorithm::Sha512),
        b"MD5" => Err(Left::Algorithm("MD5")),
        b"SHA224" => Err(Left::Algorithm("SHA-224")),
        b"SHA384" => Err(Left::Algorithm("SHA-384")),
        _ => Err(Left::Field("algorithm")),
    }
}

/// The symbols of base32 text that count: white space, hyphens and `=` are skipped.
fn base32_symbols(text: &str) -> usize {
    text.bytes()
        .filter(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'-' | b'='))
        .count()
}

/// Base32 as the apps read it: a length that encodes no whole byte (1, 3 or 6 symbols
/// past a multiple of 8) loses its last symbol, and says so.
pub(crate) fn lenient_base32(text: &str) -> Result<(Secret, bool), Left> {
    let symbols = base32_symbols(text);
    if symbols == 0 {
        return Err(Left::NoSecret);
    }
    let drop = matches!(symbols % 8, 1 | 3 | 6);
    let secret = if drop {
        // Cut just before the last symbol that counts.
        let cut = text
            .char_indices()
            .rfind(|(_, c)| !matches!(c, ' ' | '\t' | '\r' | '\n' | '-' | '='))
            .map_or(0, |(at, _)| at);
        Secret::from_base32(text.get(..cut).unwrap_or_default())
    } else {
        Secret::from_base32(text)
    };
    match secret {
        Ok(secret) => Ok((secret, drop)),
        Err(err) if err.code() == crate::Code::SecretLength => {
            if symbols <= 1 {
                Err(Left::NoSecret)
            } else {
                Err(Left::Secret("it is over 1,024 bytes"))
            }
        }
        Err(_) => Err(Left::Secret("it is not base32")),
    }
}

/// Whether `uri` starts with `otpauth://totp/`, `hotp/` or `steam/` (any case).
fn kind_known(uri: &str) -> bool {
    ["otpauth://totp/", "otpauth://hotp/", "otpauth://steam/"]
        .iter()
        .any(|p| {
            uri.get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p))
        })
}

/// The raw value of the query parameter `name` of a URI, if it has one.
fn uri_param<'a>(uri: &'a str, name: &str) -> Option<&'a str> {
    let (_, query) = uri.split_once('?')?;
    query.split('&').find_map(|param| {
        let (key, value) = param.split_once('=').unwrap_or((param, ""));
        key.eq_ignore_ascii_case(name).then_some(value)
    })
}

/// An otpauth:// URI whose `secret` has a length that encodes no whole byte, with its
/// last symbol dropped; `None` when it needs no change.
fn fix_uri_secret(uri: &str) -> (Option<String>, bool) {
    let Some(query_at) = uri.find('?') else {
        return (None, false);
    };
    let mut at = query_at + 1;
    for param in uri.get(at..).unwrap_or_default().split('&') {
        if let Some(value) = param.strip_prefix("secret=") {
            let symbols = base32_symbols(value);
            if symbols > 1 && matches!(symbols % 8, 1 | 3 | 6) {
                let end = at + param.len();
                let mut out = String::with_capacity(uri.len());
                out.push_str(uri.get(..end.saturating_sub(1)).unwrap_or_default());
                out.push_str(uri.get(end..).unwrap_or_default());
                // Only when the last byte of the value is its last symbol.
                if value.ends_with(|c: char| c.is_ascii_alphanumeric()) {
                    return (Some(out), true);
                }
            }
            return (None, false);
        }
        at += param.len() + 1;
    }
    (None, false)
}

impl Accounts {
    /// Fills in the names an otpauth:// URI left out for entry `index`, when it became an
    /// account: `issuer` when it has none, `account` when its account name is empty (as
    /// Bitwarden names an item by its own name and username). Trimmed; nothing when the
    /// entry was left out.
    pub(crate) fn fill_names(&mut self, index: usize, issuer: &str, account: &str) {
        let Some(last) = self.list.last_mut().filter(|a| a.index == index) else {
            return;
        };
        let (issuer, account) = (issuer.trim(), account.trim());
        if last.key.issuer.is_none() && !issuer.is_empty() {
            last.key.issuer = Some(String::from(issuer));
        }
        if last.key.account.is_empty() && !account.is_empty() {
            last.key.account = String::from(account);
        }
    }
}

/// `IMPORT_LIMIT` for an export of `len` bytes, past [`MAX_IMPORT_LEN`]: the binding
/// refuses one so before copying it in.
#[cfg(all(target_arch = "wasm32", feature = "js-import"))]
pub(crate) fn input_too_long(len: u64) -> Error {
    crypto::over("input (bytes)", len, MAX_IMPORT_LEN as u64)
}

/// Runs one family's reader alone, as [`import`] runs each: `None` when the family does
/// not take the input. For the fuzz targets (`twofa::fuzzing::import`).
#[cfg(all(any(test, fuzzing), not(target_arch = "wasm32")))]
pub(crate) fn read_family(
    family: &str,
    input: &[u8],
    options: &ImportOptions<'_>,
) -> Option<Result<Import, Error>> {
    let reader = READERS.iter().find(|r| r.name == family)?;
    if let Err(err) = crypto::check("input (bytes)", input.len() as u64, MAX_IMPORT_LEN as u64) {
        return Some(Err(err));
    }
    let input = Input::new(input);
    let mut accounts = Accounts::default();
    let found = (reader.read)(&input, options, &mut accounts)?;
    Some(found.map(|format| Import {
        format,
        accounts: accounts.list,
        warnings: accounts.warnings,
    }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn algorithm_names_as_apps_write_them() {
        for (name, want) in [
            ("SHA1", Ok(Algorithm::Sha1)),
            ("sha-256", Ok(Algorithm::Sha256)),
            ("HmacSHA512", Ok(Algorithm::Sha512)),
            ("HMAC_SHA1", Ok(Algorithm::Sha1)),
            ("MD5", Err(Left::Algorithm("MD5"))),
            ("SHA384", Err(Left::Algorithm("SHA-384"))),
            ("", Err(Left::Field("algorithm"))),
            ("SHA1SHA1SHA1SHA1SHA1", Err(Left::Field("algorithm"))),
        ] {
            assert_eq!(algorithm(name), want, "{name:?}");
        }
    }

    #[test]
    fn lenient_base32_drops_a_symbol_that_makes_no_byte() {
        let (s, dropped) = lenient_base32("AAAAAAAAA").unwrap();
        assert_eq!((s.len(), dropped), (5, true));
        let (s, dropped) = lenient_base32("jbsw y3dp-ehpk3pxp==").unwrap();
        assert_eq!(
            (s.to_base32().as_str(), dropped),
            ("JBSWY3DPEHPK3PXP", false)
        );
        assert_eq!(lenient_base32("").unwrap_err(), Left::NoSecret);
        assert_eq!(lenient_base32("A").unwrap_err(), Left::NoSecret);
        assert_eq!(
            lenient_base32("AB0D").unwrap_err(),
            Left::Secret("it is not base32")
        );
    }

    #[test]
    fn uri_secrets_of_a_length_that_makes_no_byte_lose_their_last_symbol() {
        let (fixed, dropped) = fix_uri_secret("otpauth://totp/a?secret=AAAAAAAAA&issuer=b");
        assert_eq!(
            fixed.as_deref(),
            Some("otpauth://totp/a?secret=AAAAAAAA&issuer=b")
        );
        assert!(dropped);
        assert_eq!(
            fix_uri_secret("otpauth://totp/a?secret=AAAAAAAA"),
            (None, false)
        );
    }

    #[test]
    fn uris_that_cannot_be_read_say_why() {
        let mut out = Accounts::default();
        for uri in [
            "otpauth://totp/a?issuer=b",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&algorithm=MD5",
            "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&algorithm=SHA3",
            "otpauth://motp/a?secret=JBSWY3DPEHPK3PXP",
            "otpauth://totp/a%ZZ?secret=JBSWY3DPEHPK3PXP",
        ] {
            out.add_uri(out.entries, uri, "").unwrap();
        }
        let messages: Vec<String> = out.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            messages,
            [
                "account 0: left out: the entry has no secret",
                "account 1: left out: the MD5 algorithm is not supported",
                "account 2: left out: the algorithm field is missing or malformed",
                "account 3: left out: mOTP accounts are not supported",
                "account 4: left out: its otpauth:// URI is malformed",
            ]
        );
    }

    #[test]
    fn json_of_too_many_values_is_refused_before_any_reader() {
        let text = alloc::format!("[{}]", alloc::vec!["0"; json::MAX_VALUES].join(","));
        let err = import(text.as_bytes(), &ImportOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "JSON values is 1000001, over the limit of 1000000"
        );
    }

    #[test]
    fn a_derivation_the_device_cannot_hold_is_an_import_limit() {
        let err = crypto::out_of_memory("Argon2", 1 << 20);
        assert_eq!(err.code(), "IMPORT_LIMIT");
        assert_eq!(
            err.to_string(),
            "Argon2 needs 1048576 KiB, more memory than this device gives; import it where more is free"
        );
    }

    #[test]
    fn unknown_input_says_what_it_looks_like() {
        for (input, what) in [
            (&b""[..], "the input is empty"),
            (
                b"\x89PNG\r\n",
                "it is an image: read its QR code with twofa/qr, then import the text",
            ),
            (b"{\"a\":1}", "it is JSON, but not an export twofa knows"),
            (b"hello", "it is text without otpauth:// URIs"),
            (
                b"\x00\x01\xff",
                "it is binary data of no export twofa knows",
            ),
            (b"BMW account", "it is text without otpauth:// URIs"),
            (
                b"\0\0\0\x18ftypheic\0\0\0\0mif1heic\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7",
                "it is an image: read its QR code with twofa/qr, then import the text",
            ),
            (
                b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4",
                "it is an image: read its QR code with twofa/qr, then import the text",
            ),
        ] {
            let err = import(input, &ImportOptions::default()).unwrap_err();
            assert_eq!(err.code(), "UNSUPPORTED_FORMAT");
            assert_eq!(
                err.to_string(),
                alloc::format!("not an export twofa reads: {what}")
            );
        }
    }
}
