//! The binding of `crate::transfer::import`: other authenticators' exports read, and
//! Aegis exports written. The `twofa/import` entry.

use super::convert::{
    counter, csprng, export, fail, given, lock, reply, reply_json, whole, Input, Out, SCRUB_IMPORT,
};
use super::record::{record, ToJson, Ts};
use super::uri::{
    account_warnings, add_to_export, key_from_options, Account, AccountOptions, AccountWarning,
};
use crate::otp::Secret;
use crate::transfer::import::{self, ImportFormat, ImportOptions, Limits};
use crate::Code;
use alloc::string::String;
use alloc::vec::Vec;
use spin::Mutex;
use wasm_bindgen::prelude::*;

/// The accounts of the Aegis export being built, added one at a time.
static EXPORT: Mutex<Vec<import::ImportedAccount>> = Mutex::new(Vec::new());

/// The most accounts one export takes: as many as one import reads.
const MAX_ACCOUNTS: usize = import::MAX_ENTRIES;

/// The longest password read, in characters. One with a lone surrogate never gets here:
/// the JavaScript layer refuses it (`password:lone`) before it is encoded.
const MAX_PASSWORD_CHARS: usize = 1024;

/// The most a file's key derivation may ask for, in MiB: [`import::DEFAULT_MAX_MEMORY_KIB`],
/// which `maxMemoryMiB` may lower and never raise.
const MAX_MEMORY_MIB: u64 = import::DEFAULT_MAX_MEMORY_KIB / 1024;

impl Ts for ImportFormat {
    const TS: &'static str = "ImportFormat";
}
impl ToJson for ImportFormat {
    fn write(&self, w: &mut super::json::Writer) {
        w.string(self.as_str());
    }
}

#[wasm_bindgen(typescript_custom_section)]
const IMPORT_FORMAT: &str = super::record::const_str!(&[
    "\n/** Every format `importAccounts` reads, by the name its result's `format` gives. */\nexport type ImportFormat =",
    import::TS_UNION,
    ";\n",
]);

record! {
    /// An account read from an export: as `parseUri` returns it, with the entry's name in
    /// the app and its index in the file.
    pub(crate) struct ImportedAccount {
        ..account: Account,
        /// The entry's name in the app, such as its label or title, as written.
        name: String,
        /// The entry's 0-based index in the file, counting every entry.
        index: usize,
    }
}

record! {
    /// What `importAccounts` returns.
    pub(crate) struct ImportResult {
        /// The format found, from the content.
        format: ImportFormat,
        /// The accounts, in the order of the file.
        accounts: Vec<ImportedAccount>,
        /// Entries left out and entries changed, and the accounts' own warnings (weak
        /// secrets and the like), each naming the entry's index. Never a secret.
        warnings: Vec<AccountWarning>,
    }
}

/// A password as given: at most [`MAX_PASSWORD_CHARS`] characters.
fn password(text: Option<&str>) -> Out<Option<&str>> {
    if text.is_some_and(|t| super::convert::chars(t) > MAX_PASSWORD_CHARS) {
        return Err(fail(
            Code::InvalidOptions,
            "password must be at most 1024 characters",
        ));
    }
    Ok(text)
}

/// The caps on a file's work: `maxMemoryMiB` (a whole number from 1 to 1024) lowers the
/// memory cap.
fn limits(max_memory_mib: f64) -> Out<Limits> {
    let mut limits = Limits::default();
    if let Some(n) = given(max_memory_mib) {
        #[allow(clippy::cast_precision_loss)] // 1024
        let mib = whole(n, MAX_MEMORY_MIB as f64)
            .filter(|&m| m >= 1)
            .ok_or_else(|| {
                fail(
                    Code::InvalidOptions,
                    "maxMemoryMiB must be a whole number from 1 to 1024",
                )
            })?;
        limits.max_memory_kib = mib * 1024;
    }
    Ok(limits)
}

export! {
    /// Reads an export: the input holds its bytes and the password (absent when none is
    /// given); answers `ImportResult` JSON.
    #[scrub = SCRUB_IMPORT]
    fn import_accounts(bytes: u32, password_text: u32, max_memory_mib: f64) {
        let input = Input::take()?;
        let [bytes, text] = input.segments([bytes, password_text])?;
        let text = super::convert::utf8(text)?;
        let options = ImportOptions {
            password: password(text)?,
            limits: limits(max_memory_mib)?,
        };
        let found = import::import(bytes.unwrap_or_default(), &options)?;
        drop(input);
        reply_json(&ImportResult {
            format: found.format,
            accounts: found
                .accounts
                .iter()
                .map(|a| ImportedAccount {
                    account: Account::of(&a.key),
                    name: a.name.clone(),
                    index: a.index,
                })
                .collect(),
            warnings: account_warnings(&found.warnings),
        })
    }

    /// Starts an Aegis export: the accounts added before are dropped.
    fn aegis_export_begin() {
        lock(&EXPORT)?.clear();
        Ok(0.0)
    }

    /// Adds the next account of an Aegis export, its options checked for their JavaScript
    /// type already and its texts in the input. A failure names the account's index.
    fn aegis_export_add(
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
        name: u32,
    ) {
        add_to_export(&mut *lock(&EXPORT)?, MAX_ACCOUNTS, |index| {
            let input = Input::take()?;
            let [secret, algorithm, counter_digits, encoder, issuer, account, image, name] = input
                .texts([secret, algorithm, counter_digits, encoder, issuer, account, image, name])?;
            let key = key_from_options(AccountOptions {
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
            })?;
            if name.is_some_and(|n| super::convert::chars(n) > 65_536) {
                return Err(fail(Code::InvalidOptions, "name must be at most 65536 characters"));
            }
            Ok(import::ImportedAccount {
                key,
                name: String::from(name.unwrap_or_default()),
                index,
            })
        })
    }

    /// Writes the accounts added as an Aegis JSON export, encrypted when the input holds a
    /// password (scrypt key slot, AES-256-GCM); the accounts are then dropped.
    #[scrub = SCRUB_IMPORT]
    fn aegis_export_finish(password_text: u32) {
        let accounts = core::mem::take(&mut *lock(&EXPORT)?);
        let input = Input::take()?;
        let [text] = input.texts([password_text])?;
        let json = import::export_aegis(&accounts, password(text)?, csprng)?;
        drop(input);
        reply(&json)
    }
}
