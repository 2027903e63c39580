//! Recovery codes (`crate::flows::recovery`).

use super::super::convert::{csprng, export, ms_option, reply_json, time, Input};
use super::super::record::{record, string_enum};
use super::backup::code_input;
use super::required;
use crate::flows::recovery::{self, RecoveryOptions, RecoveryRecord, RecoveryStatus};
use alloc::string::String;
use alloc::vec::Vec;

string_enum! {
    /// What became of a recovery code.
    RecoveryStatus as "RecoveryStatus" {
        Ok, Expired, Used, Unknown
    }
}

record! {
    /// What `issueRecoveryCode` returns: give `code` to the user, store `record`.
    pub(crate) struct IssuedRecoveryCode {
        /// `XXXX-XXXX-XXXX-XXXX`: 16 Crockford base32 characters, 80 bits.
        code: String,
        /// What to add to the user's list.
        record: RecoveryRecord,
    }
}

record! {
    /// What `verifyRecoveryCode` returns. Store `records`.
    pub(crate) struct RecoveryCheck {
        /// `"OK"`, or why not.
        status: RecoveryStatus,
        /// The records to store: an accepted code is spent in them.
        records: Vec<RecoveryRecord>,
    }
}

export! {
    /// Issues a recovery code for `user` (the input), valid `ttl` ms (default an hour)
    /// from `now`, at the revision after `replaces` (`NaN`: a first code), as
    /// `IssuedRecoveryCode` JSON.
    fn issue_recovery_code(user: u32, replaces: f64, ttl: f64, now: f64) {
        let input = Input::take()?;
        let [user] = input.texts([user])?;
        let user = required(user, "user", super::MAX_TEXT_CHARS)?;
        let replaces = super::replaces(replaces)?;
        let ttl_ms = ms_option(ttl, "ttl", recovery::DEFAULT_TTL_MS)?;
        let options = RecoveryOptions { user, ttl_ms, replaces };
        let (code, record) = recovery::issue(&options, time(now, "now")?, csprng)?;
        reply_json(&IssuedRecoveryCode { code: String::from(code.as_str()), record })
    }

    /// Checks a code typed for `user` against the records (their JSON list): the input's
    /// texts are the records, the user and the code. As `RecoveryCheck` JSON.
    fn verify_recovery_code(records: u32, user: u32, code: u32, now: f64) {
        let input = Input::take()?;
        let [records, user, code] = input.texts([records, user, code])?;
        let records: Vec<RecoveryRecord> = super::super::convert::record(records.unwrap_or_default())?;
        let user = required(user, "user", super::MAX_TEXT_CHARS)?;
        let code = code_input(code)?;
        let (status, records) = recovery::verify(&records, user, &code, time(now, "now")?)?;
        reply_json(&RecoveryCheck { status, records })
    }
}
