//! FreeOTP+'s JSON backup.
//!
//! # Format
//!
//! A JSON object with `tokens`, an array of entries, and `tokenOrder`, the entries'
//! `issuer:label` names in the order the app shows them (not read: entries come in file
//! order). Detected by both keys being arrays.
//!
//! # Entries
//!
//! `type` (`TOTP` or `HOTP`; anything else is warned about and left out), `secret` (the
//! key as an array of bytes, written as Java's signed bytes, −128 to 127; 128 to 255 are
//! read too), `algo` (default SHA1), `digits` (6), `period` (30), `counter` (0, taken as
//! written: FreeOTP+ stores the next counter to use), `issuerExt` (the issuer shown, or
//! `issuerInt` when it is empty) and `label` (the account, also the app's name for the
//! entry). Images and the `*Alt` fields are not read.

use super::field::{counter, number, text};
use super::json::Value;
use super::{
    algorithm, Accounts, Entry, ImportFormat, ImportOptions, Input, Kind, Left, SecretText,
};
use crate::error::Error;
use crate::otp::Algorithm;
use alloc::vec::Vec;
use zeroize::Zeroizing;

pub(crate) fn read(
    input: &Input<'_>,
    _options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    let json = input.json.as_ref()?;
    let tokens = json.get("tokens")?.array()?;
    json.get("tokenOrder")?.array()?;
    Some(entries(tokens, out).map(|()| ImportFormat::FreeOtpPlus))
}

fn entries(list: &[Value], out: &mut Accounts) -> Result<(), Error> {
    for (index, item) in list.iter().enumerate() {
        let mut secret = Zeroizing::new(Vec::new());
        out.add_or_left(index, entry(item, &mut secret))?;
    }
    Ok(())
}

fn entry<'a>(item: &'a Value, secret: &'a mut Zeroizing<Vec<u8>>) -> Result<Entry<'a>, Left> {
    if item.fields().is_none() {
        return Err(Left::Other("the entry is not a JSON object"));
    }
    let kind = match text(item, "type")? {
        t if t.eq_ignore_ascii_case("totp") => Kind::Totp {
            period: number(item, "period", 30)?,
        },
        t if t.eq_ignore_ascii_case("hotp") => Kind::Hotp {
            counter: counter(item, "counter")?,
        },
        _ => return Err(Left::Other("its type is not TOTP or HOTP")),
    };
    let bytes = match item.get("secret") {
        None | Some(Value::Null) => return Err(Left::NoSecret),
        Some(v) => v
            .array()
            .ok_or(Left::Secret("it is not an array of bytes"))?,
    };
    secret.reserve_exact(bytes.len());
    for b in bytes {
        let byte = match b.signed() {
            Some((false, n)) if n <= 255 => n as u8,
            Some((true, n)) if n <= 128 => (256 - n) as u8,
            _ => return Err(Left::Secret("it is not an array of bytes")),
        };
        secret.push(byte);
    }
    let algorithm = match text(item, "algo")? {
        "" => Algorithm::Sha1,
        named => algorithm(named)?,
    };
    let issuer = match text(item, "issuerExt")? {
        "" => text(item, "issuerInt")?,
        issuer => issuer,
    };
    let label = text(item, "label")?;
    Ok(Entry {
        kind,
        secret: SecretText::Bytes(secret.as_slice()),
        algorithm,
        digits: number(item, "digits", 6)?,
        issuer,
        account: label,
        name: label,
    })
}
