//! The binding of `crate::transfer::uri`: otpauth:// URIs read into account records and
//! written from options or generators. The `twofa` entry; the account records are
//! shared with `twofa/migration`.

use super::convert::{
    export, fail, given, period_of, reply_json, time, whole, Input, Message, Out, Shown,
    MAX_SAFE_INTEGER,
};
use super::record::{record, string_literal, union, Counter, ToJson, Ts};
use crate::error::Sink;
use crate::otp::{Algorithm, Format, Hotp, Secret, Totp};
use crate::transfer::{KeyUri, Otp, Warning as CoreWarning};
use crate::Code;
use alloc::string::String;
use alloc::vec::Vec;
use wasm_bindgen::prelude::*;

impl Ts for Algorithm {
    const TS: &'static str = "Algorithm";
}
impl ToJson for Algorithm {
    fn write(&self, w: &mut super::json::Writer) {
        w.string(self.as_str());
    }
}

#[wasm_bindgen(typescript_custom_section)]
const ALGORITHM: &str = r#"
/** A hash function for the HMAC. (At run time `"sha256"` and `"SHA-256"` are read as `"SHA256"` too.) */
export type Algorithm = "SHA1" | "SHA256" | "SHA512";
"#;

string_literal! {
    /// The `type` of a TOTP account.
    pub(crate) TotpType = "totp";
    /// The `type` of an HOTP account.
    pub(crate) HotpType = "hotp";
    /// The `encoder` of Steam Guard codes.
    pub(crate) SteamEncoder = "steam";
}

/// A warning's code, as the `WarningCode` type names it.
impl Ts for crate::WarningCode {
    const TS: &'static str = "WarningCode";
}
impl ToJson for crate::WarningCode {
    fn write(&self, w: &mut super::json::Writer) {
        w.string(self.as_str());
    }
}

#[wasm_bindgen(typescript_custom_section)]
const WARNING_CODE: &str = super::record::const_str!(&[
    "\n/** Every `code` a warning can carry. */\nexport type WarningCode =",
    crate::transfer::WARNING_TS_UNION,
    ";\n",
]);

record! {
    /// Something accepted that a user should hear of, such as a secret under 128 bits.
    pub(crate) struct Warning {
        /// What kind of warning it is.
        code: crate::WarningCode,
        /// Lower case, never containing the secret.
        message: String,
    }
}

record! {
    /// A warning about one account of a list or a migration batch.
    pub(crate) struct AccountWarning {
        ..warning: Warning,
        /// The account's 0-based index in the list given, or in the batch as written.
        index: usize,
    }
}

/// Warnings about accounts of a list, each with the account's index.
#[cfg(any(feature = "js-migration", feature = "js-import"))]
pub(crate) fn account_warnings(warnings: &[CoreWarning]) -> Vec<AccountWarning> {
    warnings
        .iter()
        .map(|w| AccountWarning {
            warning: Warning::of(w),
            index: w.account_index().unwrap_or_default(),
        })
        .collect()
}

/// Adds the next account of an export built one call at a time (`twofa/migration`'s
/// and `twofa/import`'s): at most `max`, each made by `make` from its index; a failure
/// names the account's index (`account 3: …`). Answers the index.
#[cfg(any(feature = "js-migration", feature = "js-import"))]
pub(crate) fn add_to_export<T>(
    accounts: &mut Vec<T>,
    max: usize,
    make: impl FnOnce(usize) -> Out<T>,
) -> Out<f64> {
    let index = accounts.len();
    if index == max {
        let mut message = String::from("accounts must be an array of at most ");
        message.size(max);
        message.push_str(" accounts");
        return Err(fail(Code::InvalidOptions, &message));
    }
    let account = make(index).inspect_err(|_| {
        let mut prefix = String::from("account ");
        prefix.size(index);
        prefix.push_str(": ");
        super::convert::prefix_failure(&prefix);
    })?;
    accounts.push(account);
    Ok(index as f64)
}

impl Warning {
    pub(crate) fn of(warning: &CoreWarning) -> Warning {
        Warning {
            code: warning.code(),
            message: warning.message(),
        }
    }
}

record! {
    /// The fields of every account.
    pub(crate) struct AccountFields {
        /// Canonical base32: upper case, unpadded.
        secret: String,
        /// Absent when the URI names none.
        issuer: Option<String>,
        /// May be `""`.
        account: String,
        /// The hash function.
        algorithm: Algorithm,
        /// 6 to 10, or 5 for Steam.
        digits: usize,
        /// The `image` parameter, decoded, when there is one.
        image: Option<String>,
    }
}

record! {
    /// A TOTP account, as `parseUri` returns it.
    pub(crate) struct TotpAccount {
        ..fields: AccountFields,
        /// Time-based.
        kind as "type": TotpType,
        /// Seconds, 30 unless the URI says otherwise.
        period: u32,
        /// Present for Steam Guard codes only.
        encoder: Option<SteamEncoder>,
    }
}

record! {
    /// An HOTP account, as `parseUri` returns it.
    pub(crate) struct HotpAccount {
        ..fields: AccountFields,
        /// Counter-based.
        kind as "type": HotpType,
        /// A number, or a bigint past `Number.MAX_SAFE_INTEGER`.
        counter: Counter,
    }
}

union! {
    /// An account: a TOTP one or an HOTP one.
    pub(crate) enum Account {
        Totp(TotpAccount),
        Hotp(HotpAccount),
    }
}

impl Account {
    /// The account record of a key.
    pub(crate) fn of(key: &KeyUri) -> Account {
        Account::from_key(
            &key.otp,
            key.issuer.clone(),
            key.account.clone(),
            key.image.clone(),
        )
    }

    /// The account record of a key's parts, its names moved in.
    pub(crate) fn from_key(
        otp: &Otp,
        issuer: Option<String>,
        account: String,
        image: Option<String>,
    ) -> Account {
        let format = otp.format();
        let fields = AccountFields {
            secret: otp.secret().to_base32(),
            issuer,
            account,
            algorithm: otp.algorithm(),
            digits: format.len(),
            image,
        };
        match otp {
            Otp::Totp(totp) => Account::Totp(TotpAccount {
                fields,
                kind: TotpType,
                period: totp.period(),
                encoder: format.is_steam().then_some(SteamEncoder),
            }),
            Otp::Hotp { counter, .. } => Account::Hotp(HotpAccount {
                fields,
                kind: HotpType,
                counter: Counter::of(*counter),
            }),
        }
    }
}

record! {
    /// What `parseUri` returns.
    pub(crate) struct ParsedUri {
        ..account: Account,
        /// What was accepted but deserves a word: a weak secret, a nonstandard period.
        warnings: Vec<Warning>,
    }
}

/// The format that a digits option (a number) and an encoder option name.
pub(crate) fn format(digits: f64, encoder: Option<&str>) -> Out<Format> {
    let digits = given(digits)
        .map(|d| {
            whole(d, MAX_SAFE_INTEGER).ok_or_else(|| {
                let mut m = Message::new(Code::InvalidDigits)
                    .with("digits must be a whole number from 6 to 10");
                // "…, not 6.5", when the number can be shown as JavaScript writes it.
                if let Some(d) = Shown::of(d) {
                    m.text(", not ");
                    d.write(&mut m);
                }
                m.done()
            })
        })
        .transpose()?;
    Ok(Format::from_parts(digits, encoder)?)
}

/// The options of an account, as `new Totp`, `new Hotp`, `buildUri` and
/// `buildMigrationUris` take them, each already checked for its JavaScript type.
pub(crate) struct AccountOptions<'a> {
    /// `Hotp`'s options, else `Totp`'s.
    pub(crate) hotp: bool,
    pub(crate) secret: Secret,
    pub(crate) algorithm: Option<&'a str>,
    pub(crate) digits: f64,
    pub(crate) period: f64,
    pub(crate) epoch: f64,
    pub(crate) counter: Option<u64>,
    pub(crate) encoder: Option<&'a str>,
    pub(crate) issuer: Option<&'a str>,
    pub(crate) account: Option<&'a str>,
    pub(crate) image: Option<&'a str>,
}

/// The longest issuer, account or image, in characters: as long as a URI, so whatever
/// `parseUri` reads `buildUri` takes back.
const MAX_LABEL_CHARS: usize = 65_536;

fn label(name: &str, value: Option<&str>) -> Out<Option<String>> {
    if value.is_some_and(|v| super::convert::chars(v) > MAX_LABEL_CHARS) {
        return Err(Message::new(Code::InvalidOptions)
            .with(name)
            .with(" must be at most 65536 characters")
            .done());
    }
    Ok(value.map(String::from))
}

/// The account that options describe. Shared by `twofa` and `twofa/migration`.
pub(crate) fn key_from_options(o: AccountOptions<'_>) -> Out<KeyUri> {
    let algorithm: Algorithm = match o.algorithm {
        None => Algorithm::default(),
        Some(name) => name.parse()?,
    };
    let otp = if o.hotp {
        if o.encoder.is_some() {
            return Err(fail(
                Code::InvalidEncoder,
                "steam codes are time-based; use Totp",
            ));
        }
        let format = format(o.digits, None)?;
        let hotp = Hotp::new(o.secret)
            .with_algorithm(algorithm)
            .with_format(format);
        Otp::Hotp {
            hotp,
            counter: o.counter.unwrap_or(0),
        }
    } else {
        let format = format(o.digits, o.encoder)?;
        let period = period_of(o.period)?;
        let epoch = match given(o.epoch) {
            None => 0,
            Some(_) => time(o.epoch, "epoch")?,
        };
        Otp::Totp(
            Totp::new(o.secret)
                .with_algorithm(algorithm)
                .with_format(format)
                .with_epoch_ms(epoch)
                .with_period(period)?,
        )
    };
    Ok(KeyUri {
        otp,
        issuer: label("issuer", o.issuer)?,
        account: label("account", o.account)?.unwrap_or_default(),
        image: label("image", o.image)?,
    })
}

export! {
    /// Reads an otpauth:// URI (the input) into `ParsedUri` JSON.
    fn parse_uri(uri: u32) {
        let input = Input::take()?;
        let [uri] = input.texts([uri])?;
        let parsed = KeyUri::parse(uri.unwrap_or_default())?;
        let KeyUri { otp, issuer, account, image } = parsed.key;
        reply_json(&ParsedUri {
            account: Account::from_key(&otp, issuer, account, image),
            warnings: parsed.warnings.iter().map(Warning::of).collect(),
        })
    }
}
