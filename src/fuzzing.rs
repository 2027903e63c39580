//! What the fuzz targets (`fuzz/`) and their replay in `cargo test` reach inside the
//! crate for: the flows' records as the binding reads and writes them. Built only with
//! `--cfg fuzzing` (cargo-fuzz sets it) and in the crate's own tests; no build of the
//! library or the package has it, and it is no part of the API.

/// The records a caller stores and passes back, read from and written to JSON text by
/// the binding's own readers and writers (`src/wasm/flows/records.rs`).
///
/// A reader's error is the name of the field at fault (the key in the JSON text, as the
/// binding's `INVALID_RECORD` message names it), or `""` when the text is not a record.
#[cfg(feature = "flows")]
pub mod records {
    use crate::flows::answers::AnswersRecord;
    use crate::flows::backup::BackupRecord;
    use crate::flows::recovery::RecoveryRecord;
    use crate::flows::throttle::ThrottleState;
    use crate::flows::verification::VerificationRecord;
    use crate::wasm::flows::records::{BackupRecordJson, SecurityAnswersRecord};
    use crate::wasm::record::{from_json, to_json};
    use alloc::string::String;
    use alloc::vec::Vec;

    /// A backup-code record (`BackupRecordJson`).
    ///
    /// # Errors
    ///
    /// The field at fault, `""` for text that is not a record.
    pub fn backup(text: &str) -> Result<BackupRecord, &'static str> {
        from_json::<BackupRecordJson>(text).map(BackupRecord::from)
    }

    /// A backup-code record as JSON.
    #[must_use]
    pub fn backup_json(record: &BackupRecord) -> String {
        String::from(to_json(&BackupRecordJson::from(record.clone())).as_str())
    }

    /// A security-answers record (`SecurityAnswersRecord`).
    ///
    /// # Errors
    ///
    /// The field at fault, `""` for text that is not a record.
    pub fn answers(text: &str) -> Result<AnswersRecord, &'static str> {
        from_json::<SecurityAnswersRecord>(text).map(AnswersRecord::from)
    }

    /// A security-answers record as JSON.
    #[must_use]
    pub fn answers_json(record: &AnswersRecord) -> String {
        String::from(to_json(&SecurityAnswersRecord::from(record.clone())).as_str())
    }

    /// A verification-code record.
    ///
    /// # Errors
    ///
    /// The field at fault, `""` for text that is not a record.
    pub fn verification(text: &str) -> Result<VerificationRecord, &'static str> {
        from_json(text)
    }

    /// A verification-code record as JSON.
    #[must_use]
    pub fn verification_json(record: &VerificationRecord) -> String {
        String::from(to_json(record).as_str())
    }

    /// A list of recovery-code records, as `verifyRecoveryCode` takes them.
    ///
    /// # Errors
    ///
    /// The field at fault, `""` for text that is not a list of records.
    pub fn recovery(text: &str) -> Result<Vec<RecoveryRecord>, &'static str> {
        from_json(text)
    }

    /// A list of recovery-code records as JSON.
    #[must_use]
    pub fn recovery_json(records: &[RecoveryRecord]) -> String {
        String::from(to_json(&records).as_str())
    }

    /// A throttle state.
    ///
    /// # Errors
    ///
    /// The field at fault, `""` for text that is not a record.
    pub fn throttle(text: &str) -> Result<ThrottleState, &'static str> {
        from_json(text)
    }

    /// A throttle state as JSON.
    #[must_use]
    pub fn throttle_json(state: &ThrottleState) -> String {
        String::from(to_json(state).as_str())
    }

    /// A JSON list of texts: revocation lists, questions, answers, backup codes.
    ///
    /// # Errors
    ///
    /// `""` for text that is not a list of texts.
    pub fn texts(text: &str) -> Result<Vec<String>, &'static str> {
        from_json(text)
    }

    /// A list of texts as JSON.
    #[must_use]
    pub fn texts_json(texts: &[String]) -> String {
        String::from(to_json(&texts).as_str())
    }
}

/// The vault's own Unicode NFC (`src/vault.rs`), which passphrases go through before
/// Argon2id, for the `vault` target to hold against `unicode-normalization`'s `nfc()`.
#[cfg(feature = "vault")]
pub mod vault {
    use alloc::string::String;

    /// `text` in NFC, as a version 2 vault normalises a passphrase.
    #[must_use]
    pub fn nfc(text: &str) -> String {
        String::from(crate::vault::nfc(text).as_str())
    }
}

/// One format family's reader of `transfer::import` run alone, for the `import_<family>`
/// targets: every family gets its own target, so that each explores its own format.
#[cfg(feature = "import")]
pub mod import {
    use crate::transfer::import::{Import, ImportOptions, Limits};
    use crate::Error;
    use alloc::vec::Vec;

    /// The caps a fuzz input runs under: 64 KiB of Argon2 or scrypt memory and 1,000
    /// PBKDF2 iterations, so that no input spends long in a key derivation. A file asking
    /// for more is refused with `IMPORT_LIMIT` before any work, which the targets see.
    pub const LIMITS: Limits = Limits {
        max_memory_kib: 64,
        max_iterations: 1_000,
    };

    /// The families' names, in the order `import` tries them.
    #[must_use]
    pub fn families() -> Vec<&'static str> {
        crate::transfer::import::READERS
            .iter()
            .map(|r| r.name)
            .collect()
    }

    /// Runs the reader of `family` alone on `bytes`, with `password` and [`LIMITS`]:
    /// `None` when the family does not take the input (or there is no such family).
    #[must_use]
    pub fn read(
        family: &str,
        bytes: &[u8],
        password: Option<&str>,
    ) -> Option<Result<Import, Error>> {
        let options = ImportOptions {
            password,
            limits: LIMITS,
        };
        crate::transfer::import::read_family(family, bytes, &options)
    }
}
