//! E-mail and SMS verification codes (`crate::flows::verification`).

use super::super::convert::{csprng, export, ms_option, reply_json, time, u32_option, Input};
use super::super::record::{record, string_enum};
use super::backup::code_input;
use crate::flows::verification::{
    self, VerificationOptions, VerificationOutcome, VerificationRecord,
};
use alloc::string::String;

string_enum! {
    /// What a typed verification code turned out to be.
    VerificationOutcome as "VerificationOutcome" {
        Ok, Wrong, Expired, Locked, Used
    }
}

record! {
    /// What `issueVerificationCode` returns: send `code`, store `record`.
    pub(crate) struct IssuedVerificationCode {
        /// The digits to send.
        code: String,
        /// What to store.
        record: VerificationRecord,
    }
}

record! {
    /// What `verifyVerificationCode` returns. Store `record`.
    pub(crate) struct VerificationCheck {
        /// `"OK"`, or why not.
        outcome: VerificationOutcome,
        /// Wrong tries left.
        attempts_left as "attemptsLeft": u32,
        /// The record to store.
        record: VerificationRecord,
    }
}

export! {
    /// A code to send by e-mail or SMS: `digits` (default 6), valid `ttl` ms (default 10
    /// minutes), dead after `max_attempts` wrong tries (default 5); as
    /// `IssuedVerificationCode` JSON, at the revision after `replaces` (`NaN`: a first code).
    fn issue_verification_code(replaces: f64, digits: f64, ttl: f64, max_attempts: f64, now: f64) {
        let replaces = super::replaces(replaces)?;
        let settings = VerificationOptions {
            digits: u32_option(digits, "digits", verification::DEFAULT_DIGITS)?,
            ttl_ms: ms_option(ttl, "ttl", verification::DEFAULT_TTL_MS)?,
            max_attempts: u32_option(max_attempts, "maxAttempts", verification::DEFAULT_MAX_ATTEMPTS)?,
            replaces,
        };
        let (code, record) = verification::issue(settings, time(now, "now")?, csprng)?;
        reply_json(&IssuedVerificationCode { code: String::from(code.as_str()), record })
    }

    /// Checks a typed code against a record: the input's texts are the record's JSON and
    /// the code. As `VerificationCheck` JSON.
    fn verify_verification_code(record: u32, code: u32, now: f64) {
        let input = Input::take()?;
        let [record, code] = input.texts([record, code])?;
        let record: VerificationRecord = super::super::convert::record(record.unwrap_or_default())?;
        let code = code_input(code)?;
        let (outcome, record) = verification::verify(&record, &code, time(now, "now")?)?;
        reply_json(&VerificationCheck { outcome, attempts_left: record.attempts_left, record })
    }
}
