//! Security answers: a set of questions and answers stored as one slow, salted hash.
//!
//! A site asks a few questions at set-up ("the name of your first pet"), keeps the
//! questions in the clear and the answers only as a hash, and asks the same questions
//! later as another way in. [`hash`] makes the record to store; [`verify`] checks a set
//! of answers against it. Every answer must match: there is no partial credit.
//!
//! # What is hashed
//!
//! Answers are [`normalize`]d, then one Argon2id derivation runs over all of them
//! together, bound to the questions they answer and to a domain string:
//!
//! ```text
//! password = "twofa/security-answers/v1"          25 ASCII bytes
//!          || u32be(n)                            the number of questions
//!          || for each question i, in order:
//!               u32be(len(question_i)) || question_i            UTF-8, as stored
//!               u32be(len(answer_i))   || normalize(answer_i)   UTF-8
//! hash     = Argon2id v1.3 (password, salt, m = memory_kib, t = passes, p = 1) → 32 bytes
//! ```
//!
//! with a random 16-byte salt per record. One derivation over every answer means an
//! attacker who stole the record must guess all the answers at once: the entropies
//! multiply (three answers of 10 bits each are 2^30 guesses). A hash per answer would let
//! each answer be found alone, in 3 × 2^10 guesses. The length prefixes keep two
//! different sets from encoding to the same bytes, and binding the questions means a
//! record whose questions were swapped or edited matches nothing.
//!
//! # Why Argon2id at 19 MiB and 2 passes is enough
//!
//! The parameters are OWASP's minimum for Argon2id: m = 19,456 KiB, t = 2, p = 1. A
//! derivation takes about 50 ms natively and 70 ms in WebAssembly in Node on a 2-core
//! machine, and 19 MiB of memory while it runs, so a server can afford one per sign-in
//! attempt.
//!
//! - **Offline**, against a stolen record: each guess must fill 19 MiB twice, reading
//!   two 1 KiB blocks and writing one for each of 2 × 19,456 block steps, about 114 MiB
//!   of memory traffic. At 1 TB/s, a top GPU's memory bandwidth, that is at most about
//!   10^4 guesses a second per GPU (real crackers reach less), against about 2 × 10^10
//!   for SHA-256. Exhausting 2^30 answer combinations then takes about 30 GPU-hours
//!   instead of 0.05 seconds; the salt makes that cost per record, never shared between
//!   users.
//! - **Online**, through the sign-in form, the KDF is not what protects the answers: the
//!   throttle is ([`crate::flows::throttle`]). Count every `Ok(false)` of [`verify`] as a
//!   failure: with its defaults (5 free tries, then a wait that doubles up to 15
//!   minutes) an attacker gets about a hundred guesses a day.
//!
//! Answers stay weaker than codes. People choose them, others can look them up or guess
//! them (a mother's maiden name, a home town), and a set of answers rarely has more than
//! 30 bits, against 60 for a backup code. Offer them as one way in beside codes, keep
//! the throttle on, and prefer questions whose answers are not public.
//!
//! # Records
//!
//! The record keeps its own cost, so new records can use a higher one. [`verify`] refuses
//! a record that asks for more than 64 MiB or 10 passes (a forged record must not stall
//! a server) or less than 8 MiB or 1 pass (no record this module made), before any work.
//! Every record carries a `revision`: one more than the record it replaces, for the
//! compare-and-swap a server does when it writes it.

use super::{b64, random, same, unb64, MAX_TIME};
use crate::entropy::Entropy;
use crate::error::{AnswersProblem, Error, ErrorKind};
use alloc::string::String;
use alloc::vec::Vec;
use argon2::{Algorithm, Argon2, Params, Version};
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

/// The most questions in a record.
pub const MAX_QUESTIONS: usize = 10;
/// The most characters in a question or an answer (Unicode scalar values, as typed).
pub const MAX_CHARS: usize = 256;
/// Argon2id memory for new records, in KiB: 19 MiB, OWASP's minimum.
pub const DEFAULT_MEMORY_KIB: u32 = 19 * 1024;
/// Argon2id passes for new records.
pub const DEFAULT_PASSES: u32 = 2;
/// The least memory a record may ask for, in KiB: less is not a record of this module.
pub const MIN_MEMORY_KIB: u32 = 8 * 1024;
/// The most memory a record may ask for, in KiB, so a forged record cannot stall a server.
pub const MAX_MEMORY_KIB: u32 = 64 * 1024;
/// The most passes a record may ask for.
pub const MAX_PASSES: u32 = 10;
pub use super::MAX_REVISION;

/// The domain string that starts every derivation's input.
const DOMAIN: &[u8] = b"twofa/security-answers/v1";

/// What a site stores for a set of security answers: the questions in the clear, the
/// cost, the salt and one hash of every answer together. Serialise it as it is; it holds
/// no answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswersRecord {
    /// The questions, as the user chose them, in the order they are asked.
    pub questions: Vec<String>,
    /// Argon2id memory in KiB (one lane).
    pub memory_kib: u32,
    /// Argon2id passes.
    pub passes: u32,
    /// The 16-byte salt, URL-safe base64.
    pub salt: String,
    /// The 32-byte Argon2id output, URL-safe base64.
    pub hash: String,
    /// When the answers were set, Unix milliseconds.
    pub created_at: i64,
    /// One more than the revision of the record this one replaced; 1 for the first.
    pub revision: u64,
}

/// A question and the user's answer to it, for [`hash`]. `Debug` never shows the answer.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct QuestionAnswer<'a> {
    /// The question, stored in the clear.
    pub question: &'a str,
    /// The answer, as typed: it is normalised before hashing and never stored.
    pub answer: &'a str,
}

impl core::fmt::Debug for QuestionAnswer<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("QuestionAnswer")
            .field("question", &self.question)
            .field("answer", &format_args!("[hidden]"))
            .finish()
    }
}

/// An answer as it is hashed, so that what a person means matches however it is typed.
///
/// In order:
///
/// 1. Unicode compatibility decomposition (NFKD): full-width and other compatibility
///    forms become their plain letters (`Ｆ` → `F`, `ﬁ` → `fi`, `²` → `2`), and
///    composed letters come apart (`Å` → `A` + ring).
/// 2. Full case folding, as close to Unicode's `NFKC_Casefold` as the standard library
///    allows: lower case (`char::to_lowercase`), plus the foldings that lower case
///    leaves out: `ß` and `ẞ` → `ss`, final sigma `ς` → `σ`, the iota subscript
///    (U+0345) → `ι`, the small Cherokee letters → capitals, the Cyrillic letter
///    variants U+1C80–U+1C88 → their plain letters. Default-ignorable code points (soft
///    hyphen, zero-width space and joiners, variation selectors, byte order mark) are
///    removed, as `NFKC_Casefold` removes them.
/// 3. Canonical composition (with step 1, NFKC), so composed and decomposed input give
///    the same text.
/// 4. Runs of white space (the Unicode `White_Space` property: spaces, tabs, line
///    breaks, no-break and ideographic spaces) become one U+0020 space, and white space
///    at either end is removed.
///
/// Punctuation stays: "O'Brien" and "OBrien" are different answers.
///
/// | Typed                                | Normalised            |
/// |--------------------------------------|-----------------------|
/// | `"  Fluffy  the   CAT "`             | `"fluffy the cat"`    |
/// | `"Ｆｌｕｆｆｙ"` (full width)          | `"fluffy"`            |
/// | `"STRASSE"`, `"Straße"`, `"STRAẞE"`  | `"strasse"`           |
/// | `"ﬁsh"` (ligature `ﬁ`)               | `"fish"`              |
/// | `"Å"` (U+00C5) and `"A\u{30A}"`      | `"å"` (U+00E5)        |
/// | `"ΟΔΥΣΣΕΥΣ"`, `"Οδυσσευς"` (final ς) | `"οδυσσευσ"`          |
/// | `"new\tyork\u{A0}city\n"`            | `"new york city"`     |
/// | `"rose\u{AD}bud"` (soft hyphen)      | `"rosebud"`           |
/// | `"Ⅻ"` (Roman numeral)                | `"xii"`               |
///
/// # Example
///
/// ```
/// use twofa::flows::answers::normalize;
///
/// assert_eq!(*normalize("  Fluffy  the   CAT "), "fluffy the cat");
/// assert_eq!(*normalize("Straße"), *normalize("STRASSE"));
/// ```
#[must_use]
pub fn normalize(answer: &str) -> Zeroizing<String> {
    let mut folded = Zeroizing::new(String::with_capacity(answer.len() + 16));
    for c in answer.nfkd() {
        fold(c, &mut |c| push(&mut folded, c));
    }
    let mut out = Zeroizing::new(String::with_capacity(folded.len() + 16));
    let mut space = false;
    for c in folded.nfkc() {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                push(&mut out, ' ');
                space = false;
            }
            push(&mut out, c);
        }
    }
    out
}

/// Appends `c`, moving to a larger buffer (and zeroing the old one) rather than letting
/// `String` reallocate and leave a copy behind.
fn push(text: &mut Zeroizing<String>, c: char) {
    if text.capacity() - text.len() < c.len_utf8() {
        let mut larger = Zeroizing::new(String::with_capacity(text.capacity() * 2 + 16));
        larger.push_str(text);
        *text = larger;
    }
    text.push(c);
}

/// Case-folds one character of NFKD text into `out`, dropping default-ignorable ones.
fn fold(c: char, out: &mut impl FnMut(char)) {
    match u32::from(c) {
        0xDF | 0x1E9E => {
            out('s');
            out('s');
        }
        0x3C2 => out('σ'),
        0x345 => out('ι'),
        // Cherokee folds to its capitals, which came first in Unicode.
        0x13A0..=0x13F5 => out(c),
        n @ 0x13F8..=0x13FD => out(char::from_u32(n - 8).unwrap_or(c)),
        n @ 0xAB70..=0xABBF => out(char::from_u32(n - 0xAB70 + 0x13A0).unwrap_or(c)),
        n @ 0x1C80..=0x1C88 => {
            const PLAIN: [char; 9] = ['в', 'д', 'о', 'с', 'т', 'т', 'ъ', 'ѣ', 'ꙋ'];
            out(PLAIN.get((n - 0x1C80) as usize).copied().unwrap_or(c));
        }
        n if default_ignorable(n) => {}
        _ => c.to_lowercase().for_each(out),
    }
}

/// Unicode's `Default_Ignorable_Code_Point` property (DerivedCoreProperties.txt).
fn default_ignorable(n: u32) -> bool {
    matches!(
        n,
        0xAD | 0x34F
            | 0x61C
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFF8
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

/// Hashes a set of answers into the record to store, at `now`, with a new salt.
/// `replaces` is the revision of the record this one replaces (0 for the first): the
/// new record's revision is one more.
///
/// # Errors
///
/// - `INVALID_OPTIONS`, saying where and never quoting an answer: 1 to 10 questions;
///   each question 1 to 256 characters, not only white space, and not (trimmed) an
///   earlier one; each answer 1 to 256 characters and not empty after [`normalize`];
///   `replaces` below [`MAX_REVISION`].
/// - `ENTROPY_UNAVAILABLE`.
///
/// # Example
///
/// ```
/// use twofa::flows::answers::{self, QuestionAnswer};
/// # let mut s = 0x9e37_79b9_7f4a_7c15u64; let mut os_random = |buf: &mut [u8]| { for b in buf { s ^= s << 13; s ^= s >> 7; s ^= s << 17; *b = s as u8; } Ok(()) };
/// let record = answers::hash(
///     &[
///         QuestionAnswer { question: "First pet's name?", answer: "Fluffy" },
///         QuestionAnswer { question: "Town you were born in?", answer: "Ås" },
///     ],
///     1_700_000_000_000,
///     0,
///     &mut os_random,
/// )?;
/// assert_eq!(record.questions, ["First pet's name?", "Town you were born in?"]);
/// assert_eq!(record.revision, 1);
///
/// // Case, width and spacing do not matter; every answer must be right.
/// assert!(answers::verify(&record, &[" FLUFFY ", "ås"])?);
/// assert!(!answers::verify(&record, &["fluffy", "Oslo"])?);
/// # Ok::<(), twofa::Error>(())
/// ```
pub fn hash(
    entries: &[QuestionAnswer<'_>],
    now: i64,
    replaces: u64,
    mut entropy: impl Entropy,
) -> Result<AnswersRecord, Error> {
    let questions: Vec<&str> = entries.iter().map(|e| e.question).collect();
    check_questions(&questions).map_err(problem)?;
    let answers: Vec<&str> = entries.iter().map(|e| e.answer).collect();
    let normalized = normalize_all(&answers).map_err(problem)?;
    if replaces >= MAX_REVISION {
        return Err(Error::new(ErrorKind::Invalid(
            "the replaced record's revision is at its most, 2^53 - 1",
        )));
    }
    let salt = random::<16>(&mut entropy)?;
    let digest = derive(
        &questions,
        &normalized,
        &salt,
        DEFAULT_MEMORY_KIB,
        DEFAULT_PASSES,
    )?;
    Ok(AnswersRecord {
        questions: questions.iter().map(|q| String::from(*q)).collect(),
        memory_kib: DEFAULT_MEMORY_KIB,
        passes: DEFAULT_PASSES,
        salt: b64(&*salt),
        hash: b64(&*digest),
        created_at: now.clamp(-MAX_TIME, MAX_TIME),
        revision: replaces + 1,
    })
}

/// Checks answers, in the order of the record's questions: `Ok(true)` when every one
/// matches after [`normalize`]. A wrong set is `Ok(false)`, not an error: count it with
/// the throttle. One derivation, whose digest is compared in constant time.
///
/// # Errors
///
/// - `INVALID_RECORD` naming the field (`questions`, `memoryKib`, `passes`, `salt`,
///   `hash`) of a record that [`hash`] cannot have made, or whose cost is over its most
///   (64 MiB, 10 passes), before any work.
/// - `INVALID_OPTIONS` for a number of answers other than the record's questions, or an
///   answer of 0 or more than 256 characters or empty after normalising. It says which
///   answer, never what it was.
pub fn verify(record: &AnswersRecord, answers: &[&str]) -> Result<bool, Error> {
    let questions: Vec<&str> = record.questions.iter().map(String::as_str).collect();
    check_questions(&questions).map_err(|_| Error::new(ErrorKind::Record("questions")))?;
    if !(MIN_MEMORY_KIB..=MAX_MEMORY_KIB).contains(&record.memory_kib) {
        return Err(Error::new(ErrorKind::Record("memoryKib")));
    }
    if !(1..=MAX_PASSES).contains(&record.passes) {
        return Err(Error::new(ErrorKind::Record("passes")));
    }
    let salt = unb64::<16>(&record.salt, "salt")?;
    let stored = unb64::<32>(&record.hash, "hash")?;
    if answers.len() != questions.len() {
        return Err(problem(AnswersProblem::AnswerCount {
            expected: questions.len(),
            found: answers.len(),
        }));
    }
    let normalized = normalize_all(answers).map_err(problem)?;
    let digest = derive(
        &questions,
        &normalized,
        &salt,
        record.memory_kib,
        record.passes,
    )?;
    Ok(same(&stored, &*digest))
}

fn problem(problem: AnswersProblem) -> Error {
    Error::new(ErrorKind::Answers(problem))
}

/// The limits on questions: 1 to 10, each 1 to 256 characters, not blank, and distinct
/// once trimmed.
fn check_questions(questions: &[&str]) -> Result<(), AnswersProblem> {
    if !(1..=MAX_QUESTIONS).contains(&questions.len()) {
        return Err(AnswersProblem::Count {
            found: questions.len(),
            max: MAX_QUESTIONS,
        });
    }
    for (i, question) in questions.iter().enumerate() {
        let chars = question.chars().count();
        if !(1..=MAX_CHARS).contains(&chars) {
            return Err(AnswersProblem::QuestionLength {
                index: i + 1,
                max: MAX_CHARS,
            });
        }
        let trimmed = question.trim();
        if trimmed.is_empty() {
            return Err(AnswersProblem::QuestionBlank(i + 1));
        }
        if let Some(first) = questions
            .iter()
            .take(i)
            .position(|earlier| earlier.trim() == trimmed)
        {
            return Err(AnswersProblem::QuestionRepeats {
                index: i + 1,
                first: first + 1,
            });
        }
    }
    Ok(())
}

/// Each answer normalised, after the limits on its length and that it is not empty.
fn normalize_all(answers: &[&str]) -> Result<Vec<Zeroizing<String>>, AnswersProblem> {
    let mut out = Vec::with_capacity(answers.len());
    for (i, answer) in answers.iter().enumerate() {
        if !(1..=MAX_CHARS).contains(&answer.chars().count()) {
            return Err(AnswersProblem::AnswerLength {
                index: i + 1,
                max: MAX_CHARS,
            });
        }
        let normalized = normalize(answer);
        if normalized.is_empty() {
            return Err(AnswersProblem::AnswerEmpty(i + 1));
        }
        out.push(normalized);
    }
    Ok(out)
}

/// Argon2id over the encoding the module documents.
fn derive(
    questions: &[&str],
    answers: &[Zeroizing<String>],
    salt: &[u8; 16],
    memory_kib: u32,
    passes: u32,
) -> Result<Zeroizing<[u8; 32]>, Error> {
    let len = DOMAIN.len()
        + 4
        + questions
            .iter()
            .zip(answers)
            .map(|(q, a)| 8 + q.len() + a.len())
            .sum::<usize>();
    // Sized once: a growing Vec would leave copies of the answers behind.
    let mut password = Zeroizing::new(Vec::with_capacity(len));
    password.extend_from_slice(DOMAIN);
    password.extend_from_slice(&prefix(questions.len()));
    for (question, answer) in questions.iter().zip(answers) {
        password.extend_from_slice(&prefix(question.len()));
        password.extend_from_slice(question.as_bytes());
        password.extend_from_slice(&prefix(answer.len()));
        password.extend_from_slice(answer.as_bytes());
    }
    let params = Params::new(memory_kib, passes, 1, Some(32))
        .map_err(|_| Error::new(ErrorKind::Record("memoryKib")))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(&password, salt, &mut out[..])
        .map_err(|_| Error::new(ErrorKind::Record("memoryKib")))?;
    Ok(out)
}

/// A length as the four big-endian bytes that prefix it. Every length here is far below
/// 2^32 (ten questions and answers of at most 256 characters).
fn prefix(len: usize) -> [u8; 4] {
    u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes()
}
