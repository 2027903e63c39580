//! Security answers (`crate::flows::answers`).

use super::super::convert::{
    chars, csprng, export, fail, reply, reply_json, time, Input, Message, Out, SCRUB_KDF,
};
use super::super::record::{from_json, record};
use super::records::SecurityAnswersRecord;
use crate::error::Sink;
use crate::flows::answers::{self, QuestionAnswer};
use crate::Code;
use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

record! {
    /// What `verifySecurityAnswers` returns. Count `matched: false` with the throttle.
    pub(crate) struct SecurityAnswersCheck {
        /// Whether every answer matched.
        matched: bool,
    }
}

/// A JSON list of texts (the JavaScript layer wrote it from checked strings), each kept
/// in a buffer that is zeroed when dropped. More than 100 is refused as `name`'s type.
fn texts(list: Option<&str>, name: &str) -> Out<Vec<Zeroizing<String>>> {
    from_json::<Vec<String>>(list.unwrap_or_default())
        .ok()
        .filter(|l| l.len() <= 100)
        .map(|l| l.into_iter().map(Zeroizing::new).collect())
        .ok_or_else(|| {
            Message::new(Code::InvalidOptions)
                .with(name)
                .with(" must be an array of strings")
                .done()
        })
}

export! {
    /// Hashes answers to questions (JSON lists of texts, the input's first and second
    /// texts) at `now`, replacing the record whose JSON is the third text (if any), as
    /// `SecurityAnswersRecord` JSON.
    #[scrub = SCRUB_KDF]
    fn hash_security_answers(questions: u32, answers: u32, replaces: u32, now: f64) {
        let input = Input::take()?;
        let [questions, answers, replaces] = input.texts([questions, answers, replaces])?;
        let questions = texts(questions, "questions")?;
        let answers = texts(answers, "answers")?;
        let replaces = match replaces {
            None => 0,
            Some(text) => super::super::convert::record::<SecurityAnswersRecord>(text)?.revision,
        };
        // The JavaScript layer reads both from one list of entries.
        if questions.len() != answers.len() {
            return Err(fail(Code::InternalError, "internal error (answers)"));
        }
        let entries: Vec<QuestionAnswer<'_>> = questions
            .iter()
            .zip(answers.iter())
            .map(|(q, a)| QuestionAnswer { question: q, answer: a })
            .collect();
        let record = answers::hash(&entries, time(now, "now")?, replaces, csprng)?;
        reply_json(&SecurityAnswersRecord::from(record))
    }

    /// Checks answers (a JSON list of texts, the input's second text) against a record
    /// (its JSON, the first), as `SecurityAnswersCheck` JSON.
    #[scrub = SCRUB_KDF]
    fn verify_security_answers(record: u32, answers: u32) {
        let input = Input::take()?;
        let [record, answers] = input.texts([record, answers])?;
        let record: SecurityAnswersRecord =
            super::super::convert::record(record.unwrap_or_default())?;
        let answers = texts(answers, "answers")?;
        let refs: Vec<&str> = answers.iter().map(|a| a.as_str()).collect();
        let matched = answers::verify(&record.into(), &refs)?;
        reply_json(&SecurityAnswersCheck { matched })
    }

    /// An answer (the input's text, at most 256 characters) as it is hashed.
    fn normalize_security_answer(answer: u32) {
        let input = Input::take()?;
        let [answer] = input.texts([answer])?;
        let answer = answer.unwrap_or_default();
        let length = chars(answer);
        if length > answers::MAX_CHARS {
            let mut message = Message::new(Code::InvalidOptions).with("answer is ");
            message.size(length);
            return Err(message.with(" characters long; the most is 256").done());
        }
        reply(&answers::normalize(answer))
    }
}
