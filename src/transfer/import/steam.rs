//! Steam Guard files: the JSON that Steam Desktop Authenticator keeps as a `.maFile`,
//! and that the Steam app kept as `Steamguard-<id>` before it moved its data elsewhere.
//!
//! Two layouts are read:
//!
//! ```text
//! { "shared_secret": "<base64>", "account_name": "…", "identity_secret": …, … }
//! { "accounts": { "<id>": { "shared_secret": "<base64>", "account_name": "…", … }, … } }
//! ```
//!
//! Each account becomes a Steam Guard account (five characters, SHA-1, 30 s) with the
//! issuer `Steam` and `account_name` as the account name (and the entry's name). The
//! second layout is recognised when one of its accounts has a `shared_secret`. Only
//! `shared_secret` makes
//! codes; the other secrets (`identity_secret` for trade confirmations, the revocation
//! code) are not read. An account without a `shared_secret`, or with one that is not
//! base64, is left out with a warning. SDA's encrypted `.maFile`s (its own passkey
//! format) are not JSON and are not read.

use super::{Accounts, Entry, ImportFormat, ImportOptions, Input, Kind, SecretText};
use crate::error::Error;
use crate::otp::Algorithm;
use crate::transfer::base64;
use crate::transfer::import::json::Value;
use crate::transfer::warning::Left;

pub(crate) fn read(
    input: &Input<'_>,
    _options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    let json = input.json.as_ref()?;
    if json.get("shared_secret").is_some() {
        return Some(account(0, json, out).map(|()| ImportFormat::Steam));
    }
    let accounts = json.get("accounts")?.fields()?;
    if !accounts
        .iter()
        .any(|(_, a)| a.get("shared_secret").is_some())
    {
        return None;
    }
    let result = accounts
        .iter()
        .enumerate()
        .try_for_each(|(index, (_, a))| account(index, a, out));
    Some(result.map(|()| ImportFormat::Steam))
}

fn account(index: usize, json: &Value, out: &mut Accounts) -> Result<(), Error> {
    let name = json.get_str("account_name").unwrap_or_default();
    let Some(text) = json.get_str("shared_secret") else {
        return out.left(index, Left::Field("shared_secret"));
    };
    let Ok(secret) = base64::decode(text.trim()) else {
        return out.left(index, Left::Secret("it is not base64"));
    };
    out.add(
        index,
        Entry {
            kind: Kind::Steam { period: 30 },
            secret: SecretText::Bytes(&secret),
            algorithm: Algorithm::Sha1,
            digits: 5,
            issuer: "Steam",
            account: name,
            name,
        },
    )
}
