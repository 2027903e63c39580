//! otpauth:// URIs (Google's Key Uri Format): written canonically, read by a documented
//! policy that accepts what real authenticators and sites write.

use super::percent::{decode, encode};
use super::warning::{Warning, WarningKind};
use crate::error::{Error, ErrorKind, NumParam, Sink};
use crate::otp::{Algorithm, Format, Hotp, Secret, Totp, DEFAULT_PERIOD};
use alloc::borrow::{Cow, ToOwned};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// The longest URI read, in bytes. An `image` parameter may be a data URL, so this is
/// far above what a label and a secret need.
pub const MAX_URI_LEN: usize = 65_536;

/// The generator an otpauth:// URI describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Otp {
    /// `otpauth://totp/`: time-based codes, Steam Guard codes among them.
    Totp(Totp),
    /// `otpauth://hotp/`: counter-based codes, with the counter the URI carries.
    Hotp {
        /// The generator.
        hotp: Hotp,
        /// The next counter to use.
        counter: u64,
    },
}

impl Otp {
    /// The shared secret.
    #[must_use]
    pub fn secret(&self) -> &Secret {
        match self {
            Otp::Totp(totp) => totp.secret(),
            Otp::Hotp { hotp, .. } => hotp.secret(),
        }
    }

    /// The hash function.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        match self {
            Otp::Totp(totp) => totp.algorithm(),
            Otp::Hotp { hotp, .. } => hotp.algorithm(),
        }
    }

    /// The code format.
    #[must_use]
    pub fn format(&self) -> Format {
        match self {
            Otp::Totp(totp) => totp.format(),
            Otp::Hotp { hotp, .. } => hotp.format(),
        }
    }
}

impl Otp {
    /// The TOTP generator.
    ///
    /// # Errors
    ///
    /// `INVALID_URI` for an HOTP account.
    pub fn into_totp(self) -> Result<Totp, Error> {
        match self {
            Otp::Totp(totp) => Ok(totp),
            Otp::Hotp { .. } => Err(Error::new(ErrorKind::UriKind { expected: "totp" })),
        }
    }

    /// The HOTP generator and its counter.
    ///
    /// # Errors
    ///
    /// `INVALID_URI` for a TOTP account.
    pub fn into_hotp(self) -> Result<(Hotp, u64), Error> {
        match self {
            Otp::Hotp { hotp, counter } => Ok((hotp, counter)),
            Otp::Totp(_) => Err(Error::new(ErrorKind::UriKind { expected: "hotp" })),
        }
    }
}

impl From<Totp> for Otp {
    fn from(totp: Totp) -> Otp {
        Otp::Totp(totp)
    }
}

/// An account as an otpauth:// URI carries it: a generator, who issued it and for whom.
///
/// [`KeyUri::to_uri`] writes the canonical form and [`KeyUri::parse`] reads it back
/// unchanged, whatever the issuer and account contain: `parse(to_uri(x)) == x`.
///
/// # Example
///
/// ```
/// use twofa::{KeyUri, Otp, Secret, Totp};
///
/// let key = KeyUri {
///     otp: Otp::Totp(Totp::new(Secret::from_base32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")?)),
///     issuer: Some("Star Trek: Website".into()),
///     account: "kirk@example.com".into(),
///     image: None,
/// };
/// let uri = key.to_uri()?;
/// assert_eq!(
///     uri,
///     "otpauth://totp/Star%20Trek%3A%20Website:kirk@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\
///      &issuer=Star%20Trek%3A%20Website&algorithm=SHA1&digits=6&period=30"
/// );
/// let parsed = KeyUri::parse(&uri)?;
/// assert_eq!(parsed.key, key);
/// assert!(parsed.warnings.is_empty());
/// # Ok::<(), twofa::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyUri {
    /// The generator, with its secret, algorithm, format and period or counter.
    pub otp: Otp,
    /// Who issued the account, such as `ACME Co`. Never empty when present.
    pub issuer: Option<String>,
    /// The account name, such as `ada@example.com`; may be empty.
    pub account: String,
    /// The `image` parameter (a logo URL some authenticators show), kept as given.
    pub image: Option<String>,
}

/// What [`KeyUri::parse`] read, and what it has to say about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedUri {
    /// The account.
    pub key: KeyUri,
    /// Things that were accepted but deserve a word, such as a weak secret.
    pub warnings: Vec<Warning>,
}

/// The parameters twofa reads, in the order of [`Params`]'s slots. Names match in any
/// case; others are ignored.
const PARAMS: [&str; 8] = [
    "secret",
    "issuer",
    "algorithm",
    "digits",
    "period",
    "counter",
    "encoder",
    "image",
];
const SECRET: usize = 0;
const ISSUER: usize = 1;
const ALGORITHM: usize = 2;
const DIGITS: usize = 3;
const PERIOD: usize = 4;
const COUNTER: usize = 5;
const ENCODER: usize = 6;
const IMAGE: usize = 7;

/// The raw value of each parameter in [`PARAMS`], when present.
type Params<'a> = [Option<&'a str>; PARAMS.len()];

/// Splits the query. A known parameter given twice is an error.
fn read_params(query: &str) -> Result<Params<'_>, Error> {
    let mut params: Params<'_> = [None; PARAMS.len()];
    let mut rest = query;
    while !rest.is_empty() {
        let (pair, next) = cut(rest, b'&').unwrap_or((rest, ""));
        rest = next;
        let (name, value) = cut(pair, b'=').unwrap_or((pair, ""));
        for (slot, known) in params.iter_mut().zip(PARAMS) {
            if known.eq_ignore_ascii_case(name) && slot.replace(value).is_some() {
                return Err(Error::new(ErrorKind::DuplicateParam(known)));
            }
        }
    }
    Ok(params)
}

/// `text` before the first `byte` (an ASCII one), and after it.
pub(crate) fn cut(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == byte)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

impl KeyUri {
    /// Reads an otpauth:// URI.
    ///
    /// The policy, for the cases where writers disagree:
    /// - The scheme and the type are case-insensitive. `otpauth://steam/`, which Aegis
    ///   writes, is read as a Steam TOTP.
    /// - The label is `issuer:account`; an encoded `%3A` separates like `:`, and white
    ///   space around either part is dropped. When the label starts with the whole
    ///   `issuer` parameter and a colon, that is the split, so issuers that contain `:`
    ///   survive.
    /// - The `issuer` parameter wins over a different issuer in the label, with an
    ///   `ISSUER_MISMATCH` warning; an issuer only in the label is used.
    /// - In parameter values `+` is a space. In the label it is a `+`.
    /// - The secret may be in either case, padded or spaced; missing or invalid is an error.
    /// - An unknown algorithm is an error, never a silent fallback to SHA-1.
    /// - HOTP needs `counter`. Digits must be 6–10, the period a whole number ≥ 1.
    /// - `encoder=steam`, or the issuer `Steam` without a `digits` other than 5, gives
    ///   Steam codes.
    /// - Numbers may be percent-encoded; the issuer parameter is trimmed, and one that is
    ///   only white space is no issuer.
    /// - Unknown parameters are ignored; a known one given twice is an error.
    ///
    /// # Errors
    ///
    /// `INVALID_URI`, `INVALID_BASE32`, `SECRET_LENGTH`, `UNSUPPORTED_ALGORITHM`,
    /// `INVALID_DIGITS`, `INVALID_PERIOD`, `INVALID_COUNTER` or `INVALID_ENCODER`, each
    /// saying which part of the URI is wrong.
    ///
    /// # Example
    ///
    /// ```
    /// let parsed = twofa::KeyUri::parse("otpauth://totp/ACME%3Aada?secret=jbsw y3dp ehpk 3pxp&issuer=Air+Canada")?;
    /// assert_eq!(parsed.key.issuer.as_deref(), Some("Air Canada"));
    /// assert_eq!(parsed.key.account, "ada");
    /// let codes: Vec<_> = parsed.warnings.iter().map(|w| w.code()).collect();
    /// assert_eq!(codes, ["ISSUER_MISMATCH", "WEAK_SECRET"]);
    ///
    /// let err = twofa::KeyUri::parse("otpauth://hotp/ada?secret=JBSWY3DPEHPK3PXP").unwrap_err();
    /// assert_eq!(err.to_string(), "uri has no counter parameter");
    /// # Ok::<(), twofa::Error>(())
    /// ```
    pub fn parse(uri: &str) -> Result<ParsedUri, Error> {
        if uri.len() > MAX_URI_LEN {
            return Err(too_long(uri.len()));
        }
        let (scheme, rest) =
            cut(uri.trim(), b':').ok_or_else(|| Error::new(ErrorKind::UriScheme))?;
        let rest = rest
            .strip_prefix("//")
            .ok_or_else(|| Error::new(ErrorKind::UriScheme))?;
        if scheme.eq_ignore_ascii_case("otpauth-migration") {
            return Err(Error::new(ErrorKind::UriIsMigration));
        }
        if !scheme.eq_ignore_ascii_case("otpauth") {
            return Err(Error::new(ErrorKind::UriScheme));
        }
        let rest = cut(rest, b'#').map_or(rest, |(before, _)| before);
        let (path, query) = cut(rest, b'?').unwrap_or((rest, ""));
        let (kind, label) = cut(path, b'/').unwrap_or((path, ""));
        let is = |name: &str| kind.eq_ignore_ascii_case(name);
        let (hotp, steam_type) = (is("hotp"), is("steam"));
        if !(hotp || steam_type || is("totp")) {
            return Err(Error::new(ErrorKind::UriType));
        }

        let params = read_params(query)?;
        // Each parameter's value, percent-decoded as text, `+` read as a space.
        let param = |index: usize, part: &'static str| -> Result<Option<Cow<'_, str>>, Error> {
            params
                .get(index)
                .copied()
                .flatten()
                .map(|value| text(value, true, part))
                .transpose()
        };
        let number = |index: usize, param: NumParam, part: &'static str| {
            param_number(params.get(index).copied().flatten(), param, part)
        };
        let label = text(label, false, "label")?;
        let issuer_param = param(ISSUER, "issuer parameter")?
            .map(|i| i.trim().to_owned())
            .filter(|i| !i.is_empty());
        let (label_issuer, account) = split_label(&label, issuer_param.as_deref());
        let mut warnings = Vec::new();
        if issuer_param.is_some() && label_issuer.is_some() && issuer_param != label_issuer {
            warnings.push(Warning::new(WarningKind::IssuerMismatch));
        }
        let issuer = issuer_param.or(label_issuer);

        let secret = {
            let value = params
                .get(SECRET)
                .copied()
                .flatten()
                .ok_or_else(|| Error::new(ErrorKind::MissingParam("secret")))?;
            let bytes = decode(value, true, "secret parameter")?;
            let text = core::str::from_utf8(&bytes)
                .map_err(|_| Error::new(ErrorKind::Utf8("secret parameter")))?;
            Secret::from_base32(text)?
        };
        let algorithm = match param(ALGORITHM, "algorithm parameter")? {
            None => Algorithm::default(),
            Some(name) => name.parse()?,
        };
        let digits = number(DIGITS, NumParam::Digits, "digits parameter")?;
        let steam_encoder = match param(ENCODER, "encoder parameter")? {
            None => false,
            Some(name) if name.eq_ignore_ascii_case("steam") => true,
            Some(_) => return Err(Error::new(ErrorKind::Encoder)),
        };
        let steam_issuer = issuer
            .as_deref()
            .is_some_and(|i| i.eq_ignore_ascii_case("steam"))
            && digits.is_none_or(|d| d == 5);
        let image = param(IMAGE, "image parameter")?.map(Cow::into_owned);

        let otp = if hotp {
            if steam_encoder {
                return Err(Error::new(ErrorKind::SteamHotp));
            }
            let counter = number(COUNTER, NumParam::Counter, "counter parameter")?
                .ok_or_else(|| Error::new(ErrorKind::MissingParam("counter")))?;
            Otp::Hotp {
                hotp: Hotp::new(secret)
                    .with_algorithm(algorithm)
                    .with_format(Format::from_parts(digits, None)?),
                counter,
            }
        } else {
            let format = if steam_type || steam_encoder || steam_issuer {
                // Steam codes always have five characters, whatever `digits` says.
                Format::STEAM
            } else {
                Format::from_parts(digits, None)?
            };
            let period = match number(PERIOD, NumParam::Period, "period parameter")? {
                None => DEFAULT_PERIOD,
                Some(p) => u32::try_from(p)
                    .map_err(|_| Error::new(ErrorKind::ParamNumber(NumParam::Period)))?,
            };
            Otp::Totp(
                Totp::new(secret)
                    .with_algorithm(algorithm)
                    .with_format(format)
                    .with_period(period)?,
            )
        };
        let key = KeyUri {
            otp,
            issuer,
            account,
            image,
        };
        warnings.extend(key.warnings());
        Ok(ParsedUri { key, warnings })
    }

    /// What a user should hear about this account: a secret under 128 bits, and digits
    /// or a period that Google Authenticator would not honour.
    ///
    /// # Example
    ///
    /// ```
    /// use twofa::{Format, KeyUri, Otp, Secret, Totp};
    ///
    /// let totp = Totp::new(Secret::from_bytes(&[7; 20])?).with_format(Format::digits(7)?);
    /// let key = KeyUri { otp: Otp::Totp(totp), issuer: None, account: "ada".into(), image: None };
    /// let codes: Vec<_> = key.warnings().iter().map(|w| w.code()).collect();
    /// assert_eq!(codes, ["NONSTANDARD_DIGITS"]);
    /// # Ok::<(), twofa::Error>(())
    /// ```
    #[must_use]
    pub fn warnings(&self) -> Vec<Warning> {
        let mut out = Vec::new();
        let secret = self.otp.secret();
        if secret.is_weak() {
            out.push(Warning::new(WarningKind::WeakSecret(secret.len())));
        }
        let format = self.otp.format();
        if !format.is_steam() && format.len() != 6 && format.len() != 8 {
            out.push(Warning::new(WarningKind::Digits(format.len())));
        }
        if let Otp::Totp(totp) = &self.otp {
            if totp.period() != DEFAULT_PERIOD {
                out.push(Warning::new(WarningKind::Period(totp.period())));
            }
        }
        out
    }

    /// Writes the canonical URI: the label `Issuer:account` percent-encoded with `%20`
    /// for spaces, then `secret` (unpadded upper-case base32), `issuer` when there is one,
    /// `algorithm`, `digits`, and `period` or `counter`, then `encoder=steam` for Steam
    /// codes and `image` when there is one.
    ///
    /// # Errors
    ///
    /// - `INVALID_LABEL` for an empty issuer, or an issuer or account that begins or ends
    ///   with white space, which readers drop.
    /// - `INVALID_URI` for a TOTP whose T0 is not 0 (URIs cannot carry it), or a URI
    ///   over [`MAX_URI_LEN`] bytes (a long `image`), which no reader would take back.
    /// - `INVALID_ENCODER` for HOTP with Steam codes, which are time-based.
    pub fn to_uri(&self) -> Result<String, Error> {
        let mut out = Zeroizing::new(Vec::with_capacity(self.uri_capacity()));
        self.write_uri(&mut out)?;
        // Percent-encoding leaves only ASCII.
        Ok(String::from_utf8(core::mem::take(&mut *out)).unwrap_or_default())
    }

    /// The most bytes the URI can take, so a buffer sized by it is never reallocated
    /// and no freed block keeps a copy of the secret.
    pub(crate) fn uri_capacity(&self) -> usize {
        let issuer = self.issuer.as_deref().map_or(0, str::len);
        let image = self.image.as_deref().map_or(0, str::len);
        128 + self.otp.secret().base32_len() + 3 * (2 * issuer + self.account.len() + image)
    }

    /// Writes the canonical URI after what `out` holds: checked in full before anything
    /// is written, but for its length, which is known once written.
    pub(crate) fn write_uri(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        self.check_label()?;
        let (kind, tail) = match &self.otp {
            Otp::Totp(totp) => {
                if totp.epoch_ms() != 0 {
                    return Err(Error::new(ErrorKind::UriEpoch));
                }
                ("totp", u64::from(totp.period()))
            }
            Otp::Hotp { hotp, .. } if hotp.format().is_steam() => {
                return Err(Error::new(ErrorKind::SteamHotp));
            }
            Otp::Hotp { counter, .. } => ("hotp", *counter),
        };
        let start = out.len();
        out.text("otpauth://");
        out.text(kind);
        out.text("/");
        if let Some(issuer) = &self.issuer {
            encode(out, issuer, true);
            out.text(":");
        } else if self.account.bytes().any(|b| b == b':') {
            // An empty issuer, so the account's own colons are not read as the separator.
            out.text(":");
        }
        encode(out, &self.account, true);
        out.text("?secret=");
        self.otp.secret().write_base32(out);
        if let Some(issuer) = &self.issuer {
            out.text("&issuer=");
            encode(out, issuer, false);
        }
        let format = self.otp.format();
        out.text("&algorithm=");
        out.text(self.otp.algorithm().as_str());
        out.text("&digits=");
        out.size(format.len());
        out.text(if kind == "totp" {
            "&period="
        } else {
            "&counter="
        });
        out.num(tail);
        if format.is_steam() {
            out.text("&encoder=steam");
        }
        if let Some(image) = &self.image {
            out.text("&image=");
            encode(out, image, false);
        }
        let len = out.len() - start;
        if len > MAX_URI_LEN {
            // No reader, twofa's included, would take it back.
            return Err(too_long(len));
        }
        Ok(())
    }
}

impl KeyUri {
    /// Refuses an issuer or account that a reader would not give back unchanged.
    pub(crate) fn check_label(&self) -> Result<(), Error> {
        if let Some(issuer) = &self.issuer {
            if issuer.is_empty() {
                return Err(Error::new(ErrorKind::IssuerEmpty));
            }
            check_edges(issuer, "issuer")?;
        }
        check_edges(&self.account, "account")
    }
}

fn check_edges(text: &str, name: &'static str) -> Result<(), Error> {
    if text.trim() == text {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::LabelSpace(name)))
    }
}

/// The label of an account, unencoded: `issuer:account`, or `:account` when there is
/// no issuer and the account has a colon, so that colon is not read as the separator.
pub(crate) fn label_for(issuer: Option<&str>, account: &str) -> String {
    match issuer {
        Some(issuer) => format!("{issuer}:{account}"),
        None if account.contains(':') => format!(":{account}"),
        None => account.to_owned(),
    }
}

/// Splits a decoded label into its issuer and account.
pub(crate) fn split_label(label: &str, issuer_param: Option<&str>) -> (Option<String>, String) {
    if let Some(issuer) = issuer_param {
        let account = label
            .strip_prefix(issuer)
            .map(str::trim_start)
            .and_then(|rest| rest.strip_prefix(':'));
        if let Some(account) = account {
            return (Some(issuer.to_owned()), account.trim().to_owned());
        }
    }
    match cut(label, b':') {
        Some((issuer, account)) => {
            let issuer = issuer.trim();
            (
                (!issuer.is_empty()).then(|| issuer.to_owned()),
                account.trim().to_owned(),
            )
        }
        None => (None, label.trim().to_owned()),
    }
}

/// A numeric parameter, when present: percent-decoded, then a whole number in ASCII
/// digits only.
fn param_number(
    raw: Option<&str>,
    param: NumParam,
    part: &'static str,
) -> Result<Option<u64>, Error> {
    raw.map(|raw| {
        decimal(text(raw, true, part)?.as_bytes())
            .ok_or_else(|| Error::new(ErrorKind::ParamNumber(param)))
    })
    .transpose()
}

/// A whole number written in ASCII digits only, at most 2^64 − 1.
pub(crate) fn decimal(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &b in digits {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(digit))?;
    }
    Some(n)
}

/// Percent-decodes `raw` (with `+` as a space when `plus` is set) into UTF-8 text: `raw`
/// itself when there is nothing to decode, as in most parameters.
fn text<'a>(raw: &'a str, plus: bool, part: &'static str) -> Result<Cow<'a, str>, Error> {
    if !raw.bytes().any(|b| b == b'%' || (plus && b == b'+')) {
        return Ok(Cow::Borrowed(raw));
    }
    let mut bytes = decode(raw, plus, part)?;
    String::from_utf8(core::mem::take(&mut *bytes))
        .map(Cow::Owned)
        .map_err(|_| Error::new(ErrorKind::Utf8(part)))
}

/// `INVALID_URI` for a URI of `len` bytes, past [`MAX_URI_LEN`].
pub(crate) fn too_long(len: usize) -> Error {
    Error::new(ErrorKind::UriTooLong {
        len,
        max: MAX_URI_LEN,
    })
}
