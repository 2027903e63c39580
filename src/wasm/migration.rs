//! The binding of `crate::transfer::migration`: Google Authenticator exports read and
//! written. The `twofa/migration` entry.

use super::convert::{counter, csprng, export, lock, reply_json, Input};
use super::record::record;
use super::uri::{
    account_warnings, add_to_export, key_from_options, Account, AccountOptions, AccountWarning,
};
use crate::otp::Secret;
use crate::transfer::{self, KeyUri, Migration};
use alloc::string::String;
use alloc::vec::Vec;
use spin::Mutex;

/// The accounts of the export being built, added one at a time.
static EXPORT: Mutex<Vec<KeyUri>> = Mutex::new(Vec::new());

/// The most accounts one export takes.
const MAX_ACCOUNTS: usize = 10_000;

record! {
    /// An account of a Google Authenticator export; `name` is its label as written.
    pub(crate) struct MigrationAccount {
        ..account: Account,
        /// The `name` field as written, such as `Example:alice@google.com`.
        name: String,
    }
}

record! {
    /// What `parseMigrationUri` returns.
    pub(crate) struct MigrationBatch {
        /// The accounts twofa can use, in the order written.
        accounts: Vec<MigrationAccount>,
        /// How many URIs the export has (0 when the field is absent).
        batch_size as "batchSize": i64,
        /// This URI's 0-based place among them.
        batch_index as "batchIndex": i64,
        /// The same for every URI of one export.
        batch_id as "batchId": i64,
        /// The payload version (Google Authenticator writes 1).
        version: i64,
        /// Accounts left out, weak secrets and the like; `index` counts every account
        /// written, left out or not.
        warnings: Vec<AccountWarning>,
    }
}

record! {
    /// What `buildMigrationUris` returns.
    pub(crate) struct MigrationExport {
        /// One URI a QR code, in order.
        uris: Vec<String>,
        /// Accounts left out, with why.
        warnings: Vec<AccountWarning>,
    }
}

export! {
    /// Reads an `otpauth-migration://` URI (the input) into `MigrationBatch` JSON.
    fn parse_migration_uri(uri: u32) {
        let input = Input::take()?;
        let [uri] = input.texts([uri])?;
        let batch = Migration::parse(uri.unwrap_or_default())?;
        reply_json(&MigrationBatch {
            accounts: batch
                .accounts
                .iter()
                .map(|a| MigrationAccount {
                    account: Account::of(&a.key),
                    name: a.name.clone(),
                })
                .collect(),
            batch_size: batch.batch_size.into(),
            batch_index: batch.batch_index.into(),
            batch_id: batch.batch_id.into(),
            version: batch.version.into(),
            warnings: account_warnings(&batch.warnings),
        })
    }

    /// Starts an export: the accounts added before are dropped.
    fn migration_begin() {
        lock(&EXPORT)?.clear();
        Ok(0.0)
    }

    /// Adds the next account of an export, its options checked for their JavaScript type
    /// already and its texts in the input. A failure names the account's index.
    fn migration_add(
        hotp: bool,
        secret: u32,
        algorithm: u32,
        digits: f64,
        period: f64,
        counter_value: f64,
        counter_digits: u32,
        encoder: u32,
        issuer: u32,
        account: u32,
        image: u32,
    ) {
        add_to_export(&mut *lock(&EXPORT)?, MAX_ACCOUNTS, |_| {
            let input = Input::take()?;
            let [secret, algorithm, counter_digits, encoder, issuer, account, image] =
                input.texts([secret, algorithm, counter_digits, encoder, issuer, account, image])?;
            key_from_options(AccountOptions {
                hotp,
                secret: Secret::from_base32(secret.unwrap_or_default())?,
                algorithm,
                digits,
                period,
                epoch: f64::NAN,
                counter: counter(counter_value, counter_digits)?.map(|c| c.0),
                encoder,
                issuer,
                account,
                image,
            })
        })
    }

    /// Writes the accounts added as Google Authenticator export URIs, `MigrationExport`
    /// JSON, under a random batch id; the accounts are then dropped.
    fn migration_finish() {
        let accounts = core::mem::take(&mut *lock(&EXPORT)?);
        let mut id = [0u8; 4];
        csprng(&mut id).map_err(|_| crate::Error::new(crate::error::ErrorKind::Entropy))?;
        // Non-negative, so it takes at most 5 bytes on the wire.
        let batch_id = i32::from_le_bytes(id) & i32::MAX;
        let export = transfer::MigrationExport::build(&accounts, batch_id);
        reply_json(&MigrationExport {
            uris: export.uris.clone(),
            warnings: account_warnings(&export.warnings),
        })
    }
}
