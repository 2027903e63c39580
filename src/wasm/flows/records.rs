//! The records a caller stores and passes back to the flows, each described once with
//! `record!`: what the binding writes, and the readers that take them back from the text
//! `JSON.stringify` writes. All of them are untrusted input. The file is plain Rust, so
//! the fuzz targets (`fuzz/`) and their replay in `cargo test` read records natively
//! with the very readers the package uses.

use crate::flows::answers::AnswersRecord;
use crate::flows::backup::BackupRecord;
use crate::flows::recovery::RecoveryRecord;
use crate::flows::throttle::ThrottleState;
use crate::flows::verification::VerificationRecord;
use crate::wasm::record::record;
use alloc::string::String;
use alloc::vec::Vec;

/// The format version of a backup record: 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct VersionOne;
impl crate::wasm::record::Ts for VersionOne {
    const TS: &'static str = "1";
}
impl crate::wasm::record::ToJson for VersionOne {
    fn write(&self, w: &mut crate::wasm::json::Writer) {
        w.integer(1);
    }
}
impl crate::wasm::record::FromJson for VersionOne {
    fn read(r: &mut crate::wasm::json::Reader<'_>) -> Result<VersionOne, &'static str> {
        match r.token() {
            Some(crate::wasm::json::Token::Number("1")) => Ok(VersionOne),
            _ => Err(""),
        }
    }
}

record! {
    /// What a site stores for a set of backup codes: salted hashes, never a code in the
    /// clear (with a key, each code also sealed under it).
    pub(crate) struct BackupRecordJson (read) {
        /// The record's format: 1.
        version: VersionOne,
        /// PBKDF2-HMAC-SHA-256 iterations.
        iterations: u32,
        /// 16 bytes, URL-safe base64.
        salt: String,
        /// Each code's hash, URL-safe base64, or `null` once the code was used.
        hashes: Vec<Option<String>>,
        /// Only in a set made with a key: each code sealed (XChaCha20-Poly1305), parallel
        /// to `hashes` and `null` where it is. `revealBackupCodes` opens them.
        sealed: Option<Vec<Option<String>>>,
        /// Unix milliseconds.
        created_at as "createdAt": i64,
        /// 1 for a new set, one more at each write: store the next record only over the
        /// revision that was read. (Absent, in records older than revisions: 0.)
        revision: u64,
    }
}

impl From<BackupRecord> for BackupRecordJson {
    fn from(r: BackupRecord) -> BackupRecordJson {
        BackupRecordJson {
            version: VersionOne,
            iterations: r.iterations,
            salt: r.salt,
            hashes: r.hashes,
            sealed: r.sealed,
            created_at: r.created_at,
            revision: r.revision,
        }
    }
}

impl From<BackupRecordJson> for BackupRecord {
    fn from(r: BackupRecordJson) -> BackupRecord {
        BackupRecord {
            iterations: r.iterations,
            salt: r.salt,
            hashes: r.hashes,
            sealed: r.sealed,
            created_at: r.created_at,
            revision: r.revision,
        }
    }
}

record! {
    /// What a site stores for a set of security answers: the questions in the clear, and
    /// one Argon2id hash of every answer together. It holds no answer.
    pub(crate) struct SecurityAnswersRecord (read) {
        /// The record's format: 1.
        version: VersionOne,
        /// The questions, in the order they are asked.
        questions: Vec<String>,
        /// Argon2id memory in KiB (one lane): 19456 for new records.
        memory_kib as "memoryKib": u32,
        /// Argon2id passes: 2 for new records.
        passes: u32,
        /// 16 bytes, URL-safe base64.
        salt: String,
        /// 32 bytes, URL-safe base64.
        hash: String,
        /// Unix milliseconds.
        created_at as "createdAt": i64,
        /// One more than the record it replaced: compare and swap on it when you store it.
        revision: u64,
    }
}

impl From<AnswersRecord> for SecurityAnswersRecord {
    fn from(r: AnswersRecord) -> SecurityAnswersRecord {
        SecurityAnswersRecord {
            version: VersionOne,
            questions: r.questions,
            memory_kib: r.memory_kib,
            passes: r.passes,
            salt: r.salt,
            hash: r.hash,
            created_at: r.created_at,
            revision: r.revision,
        }
    }
}

impl From<SecurityAnswersRecord> for AnswersRecord {
    fn from(r: SecurityAnswersRecord) -> AnswersRecord {
        AnswersRecord {
            questions: r.questions,
            memory_kib: r.memory_kib,
            passes: r.passes,
            salt: r.salt,
            hash: r.hash,
            created_at: r.created_at,
            revision: r.revision,
        }
    }
}

record! {
    /// What a site stores for a sent e-mail or SMS code: a salted hash, not the code.
    impl VerificationRecord as VerificationRecord (read) {
        /// Digits in the code.
        digits: u32,
        /// 16 bytes, URL-safe base64.
        salt: String,
        /// HMAC-SHA-256 of the code, URL-safe base64.
        hash: String,
        /// The first instant the code no longer works.
        expires_at as "expiresAt": i64,
        /// Wrong tries left; at 0 the code is dead.
        attempts_left as "attemptsLeft": u32,
        /// True once it has been accepted.
        used: bool,
        /// 1 for a new code, one more at each check: store a checked record only over
        /// the revision that was read. (Absent, in records older than revisions: 0.)
        revision: u64,
    }
}

record! {
    /// What a site stores for one recovery code: a salted hash, never the code.
    impl RecoveryRecord as RecoveryRecord (read) {
        /// The user it was issued for.
        user: String,
        /// 16 bytes, URL-safe base64.
        salt: String,
        /// HMAC-SHA-256 of the user and the code, URL-safe base64.
        hash: String,
        /// When it was issued, Unix milliseconds.
        issued_at as "issuedAt": i64,
        /// The first instant the code no longer works.
        expires_at as "expiresAt": i64,
        /// When it was used, or `null`.
        used_at as "usedAt": Option<i64> = "number | null" [nullable],
        /// 1 for a new code, one more when it is spent: store a record only over the
        /// revision that was read. (Absent, in records older than revisions: 0.)
        revision: u64,
    }
}

record! {
    /// Throttling state per account (RFC 4226 §7.3). `undefined` is a clean slate.
    impl ThrottleState as ThrottleState (read) {
        /// Failures since the last success.
        failures: u32,
        /// No attempt before this instant (Unix ms); 0 for none.
        locked_until as "lockedUntil": i64,
        /// One more than the state it follows (a first state is 1): store a state only
        /// over the revision that was read. (Absent, in states older than revisions: 0.)
        revision: u64,
    }
}
