//! LastPass Authenticator's JSON export (Android version 3, iOS version 1).
//!
//! # Format
//!
//! A JSON object with `version` and `accounts`, an array of entries; device fields
//! (`deviceName`, `deviceSecret`…) and `folders` are not read. Detected by `version` and
//! `accounts` whose first entry has `secret` and `timeStep` or `issuerName` (or, with no
//! entries, by `deviceName` or `folders`).
//!
//! # Entries
//!
//! TOTP only: `secret` (base32), `issuerName`, `userName` (the account, also the app's
//! name for the entry, or the issuer when it has none), `algorithm` (default SHA1),
//! `digits` (6), `timeStep` (the period, 30). Warned about and left out: an algorithm
//! twofa lacks, a missing secret, malformed fields. `originalIssuerName`,
//! `originalUserName`, favourites and folders are not read.

use super::field::{number, text};
use super::json::Value;
use super::{
    algorithm, Accounts, Entry, ImportFormat, ImportOptions, Input, Kind, Left, SecretText,
};
use crate::error::Error;
use crate::otp::Algorithm;

pub(crate) fn read(
    input: &Input<'_>,
    _options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    let json = input.json.as_ref()?;
    json.get("version")?;
    let accounts = json.get("accounts")?.array()?;
    let ours = match accounts.first() {
        Some(first) => {
            first.get("secret").is_some()
                && (first.get("timeStep").is_some() || first.get("issuerName").is_some())
        }
        None => json.get("deviceName").is_some() || json.get("folders").is_some(),
    };
    if !ours {
        return None;
    }
    Some(entries(accounts, out).map(|()| ImportFormat::LastPass))
}

fn entries(list: &[Value], out: &mut Accounts) -> Result<(), Error> {
    for (index, item) in list.iter().enumerate() {
        out.add_or_left(index, entry(item))?;
    }
    Ok(())
}

fn entry(item: &Value) -> Result<Entry<'_>, Left> {
    if item.fields().is_none() {
        return Err(Left::Other("the entry is not a JSON object"));
    }
    let secret = match item.get("secret") {
        None | Some(Value::Null) => return Err(Left::NoSecret),
        Some(v) => v.str().ok_or(Left::Field("secret"))?,
    };
    let algorithm = match text(item, "algorithm")? {
        "" => Algorithm::Sha1,
        named => algorithm(named)?,
    };
    let issuer = text(item, "issuerName")?;
    let account = text(item, "userName")?;
    Ok(Entry {
        kind: Kind::Totp {
            period: number(item, "timeStep", 30)?,
        },
        secret: SecretText::Base32(secret),
        algorithm,
        digits: number(item, "digits", 6)?,
        issuer,
        account,
        name: if account.is_empty() { issuer } else { account },
    })
}
