//! Backup codes (`crate::flows::backup`).

use super::super::convert::{
    chars, csprng, export, fail, given, reply, reply_json, time, utf8, whole, Input, Message, Out,
};
use super::super::record::record;
use super::records::BackupRecordJson;
use super::required;
use crate::error::Sink;
use crate::flows::backup::{self, BackupOptions};
use crate::Code;
use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

record! {
    /// A set of backup codes: show `codes` once, store `record`.
    pub(crate) struct BackupCodes {
        /// `XXXX-XXXX-XXXX`: 12 Crockford base32 characters, 60 bits each.
        codes: Vec<String>,
        /// What to store.
        record: BackupRecordJson,
    }
}

record! {
    /// What `verifyBackupCode` returns. Store `record`.
    pub(crate) struct BackupCheck {
        /// Whether the input was an unused code of the set.
        matched: bool,
        /// Unused codes left.
        remaining: usize,
        /// The record to store: a matched code is spent in it.
        record: BackupRecordJson,
    }
}

export! {
    /// A set of `count` (default 10) backup codes at `now`, as `BackupCodes` JSON: the
    /// revision after `replaces` (`NaN`: a first set), sealed under the key that is the
    /// input's segment (framed as `framed_keys` reads it), if any.
    fn generate_backup_codes(key: u32, replaces: f64, count: f64, now: f64) {
        let input = Input::take()?;
        let [key] = input.segments([key])?;
        let replaces = super::replaces(replaces)?;
        let key = match key {
            None => None,
            Some(framed) => Some(super::key(Some(framed))?),
        };
        let count = match given(count) {
            None => backup::DEFAULT_COUNT,
            Some(n) => whole(n, 1000.0).map_or(0, |n| n as usize),
        };
        let options = BackupOptions { count, key: key.as_deref().map(|k| k.as_slice()), replaces };
        let set = backup::generate(&options, time(now, "now")?, csprng)?;
        reply_json(&BackupCodes {
            codes: set.codes.iter().map(|c| String::from(c.as_str())).collect(),
            record: set.record.into(),
        })
    }

    /// Checks a typed code (the input's second text) against a record (its JSON, the
    /// first), as `BackupCheck` JSON.
    fn verify_backup_code(record: u32, code: u32) {
        let input = Input::take()?;
        let [record, code] = input.texts([record, code])?;
        let record: BackupRecordJson = super::super::convert::record(record.unwrap_or_default())?;
        let code = code_input(code)?;
        let check = backup::verify(&record.into(), &code)?;
        reply_json(&BackupCheck {
            matched: check.matched,
            remaining: check.remaining,
            record: check.record.into(),
        })
    }

    /// The unused codes of a record made with a key, in order, as a JSON list: the input's
    /// segments are the keys (framed as `framed_keys` reads them; the current key first)
    /// and the record's JSON.
    fn reveal_backup_codes(keys: u32, record: u32) {
        let input = Input::take()?;
        let [framed, record] = input.segments([keys, record])?;
        let keys = super::keys(framed)?;
        let record: BackupRecordJson = super::super::convert::record(utf8(record)?.unwrap_or_default())?;
        let key_refs: Vec<&[u8]> = keys.iter().map(|k| k.as_slice()).collect();
        let codes = backup::reveal(&key_refs, &record.into())?;
        reply_json(&codes.iter().map(|c| c.as_str()).collect::<Vec<&str>>())
    }

    /// The codes (a JSON list of texts, the input's first text), with the account and the
    /// issuer, as text to print or download, dated `date` (default now).
    fn backup_codes_text(codes: u32, account: u32, issuer: u32, date: f64) {
        let input = Input::take()?;
        let [codes, account, issuer] = input.texts([codes, account, issuer])?;
        let codes: Vec<Zeroizing<String>> =
            super::super::record::from_json::<Vec<String>>(codes.unwrap_or_default())
                .ok()
                .filter(|c| c.len() <= backup::MAX_COUNT && c.iter().all(|c| chars(c) <= 64))
                .ok_or_else(|| fail(Code::InvalidOptions, "codes must be an array of at most 100 codes"))?
                .into_iter()
                .map(Zeroizing::new)
                .collect();
        let account = required(account, "account", super::MAX_TEXT_CHARS)?;
        let issuer = super::text(issuer, "issuer", super::MAX_TEXT_CHARS)?;
        reply(&backup::to_text(&codes, issuer, account, time(date, "date")?))
    }
}

/// Typed input, refused by its length: no code is longer than 64 characters.
pub(super) fn code_input(code: Option<&str>) -> Out<Zeroizing<String>> {
    let code = code.unwrap_or_default();
    let chars = chars(code);
    if chars > 64 {
        let mut message = Message::new(Code::InvalidToken).with("code is ");
        message.size(chars);
        return Err(message
            .with(" characters long; no code is that long")
            .done());
    }
    Ok(Zeroizing::new(String::from(code)))
}
