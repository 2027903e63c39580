//! Security answers: the normalisation table, matching, every answer required, order,
//! counts, salts, tampering with every field, forged costs, exact messages, and that no
//! answer shows anywhere. The hash is checked against the `argon2` crate run directly on
//! the documented encoding, so the encoding is pinned.
#![cfg(feature = "flows")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic: that is how they fail

mod common;

use common::entropy as rng;
use twofa::flows::answers::{self, normalize, AnswersRecord, QuestionAnswer};
use twofa::EntropyError;

const NOW: i64 = 1_700_000_000_000;

fn err<T: std::fmt::Debug>(r: Result<T, twofa::Error>) -> (&'static str, String) {
    let e = r.unwrap_err();
    (e.code().as_str(), e.to_string())
}

fn qa<'a>(question: &'a str, answer: &'a str) -> QuestionAnswer<'a> {
    QuestionAnswer { question, answer }
}

const PET: &str = "What was the name of your first pet?";
const TOWN: &str = "In which town were you born?";
const TEACHER: &str = "Your favourite teacher's surname?";

fn three() -> AnswersRecord {
    answers::hash(
        &[
            qa(PET, "Fluffy"),
            qa(TOWN, "Straße"),
            qa(TEACHER, "O'Brien"),
        ],
        NOW,
        0,
        rng(1),
    )
    .unwrap()
}

/// URL-safe base64 without padding, as records hold it.
fn unb64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c).unwrap() as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn b64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    let (mut acc, mut bits) = (0u32, 0);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 6 {
            bits -= 6;
            out.push(ALPHABET[((acc >> bits) & 63) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((acc << (6 - bits)) & 63) as usize] as char);
    }
    out
}

#[test]
fn normalisation_vectors() {
    let table: &[(&str, &str)] = &[
        ("  Fluffy  the   CAT ", "fluffy the cat"),
        ("Ｆｌｕｆｆｙ", "fluffy"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
        ("STRAẞE", "strasse"),
        ("ﬁsh", "fish"),
        ("\u{C5}", "\u{E5}"),
        ("A\u{30A}", "\u{E5}"),
        ("\u{212B}", "\u{E5}"), // the ångström sign
        ("ΟΔΥΣΣΕΥΣ", "οδυσσευσ"),
        ("Οδυσσευς", "οδυσσευσ"),
        ("ᾳ", "αι"), // iota subscript
        ("new\tyork\u{A0}city\n", "new york city"),
        ("\u{3000}東京\u{3000}", "東京"),
        ("rose\u{AD}bud", "rosebud"),
        ("zero\u{200B}width", "zerowidth"),
        ("Ⅻ", "xii"),
        ("x²", "x2"),
        ("İstanbul", "i\u{307}stanbul"),
        ("ᏚᎢᎵᎬᎢᎬᏒ", "ᏚᎢᎵᎬᎢᎬᏒ"), // Cherokee capitals stay
        ("ꮪꭲꮅꭼꭲꭼꮢ", "ᏚᎢᎵᎬᎢᎬᏒ"), // and small letters fold to them
        ("O'Brien", "o'brien"),
        ("", ""),
        (" \t\n ", ""),
    ];
    for (typed, expected) in table {
        assert_eq!(normalize(typed).as_str(), *expected, "{typed:?}");
        // Normalising is idempotent.
        assert_eq!(normalize(expected).as_str(), *expected, "{expected:?}");
    }
}

#[test]
fn answers_match_after_normalising_and_every_one_is_needed() {
    let record = three();
    assert_eq!(record.questions, [PET, TOWN, TEACHER]);
    assert_eq!(
        (record.memory_kib, record.passes),
        (answers::DEFAULT_MEMORY_KIB, answers::DEFAULT_PASSES)
    );
    assert_eq!((record.memory_kib, record.passes), (19_456, 2));
    assert_eq!(record.created_at, NOW);
    assert_eq!(record.revision, 1);
    assert!(answers::verify(&record, &["  FLUFFY", "STRASSE", "o'brien "]).unwrap());
    assert!(answers::verify(&record, &["Ｆｌｕｆｆｙ", "strasse", "O'BRIEN"]).unwrap());
    // Any one wrong answer fails the set.
    assert!(!answers::verify(&record, &["Rex", "Straße", "O'Brien"]).unwrap());
    assert!(!answers::verify(&record, &["Fluffy", "Strase", "O'Brien"]).unwrap());
    assert!(!answers::verify(&record, &["Fluffy", "Straße", "OBrien"]).unwrap());
    // Order matters: the right answers to the wrong questions fail.
    assert!(!answers::verify(&record, &["Straße", "Fluffy", "O'Brien"]).unwrap());
}

#[test]
fn a_wrong_number_of_answers_is_an_error_that_says_so() {
    let record = three();
    assert_eq!(
        err(answers::verify(&record, &["Fluffy", "Straße"])),
        ("INVALID_OPTIONS", "3 answers are needed, not 2".into())
    );
    assert_eq!(
        err(answers::verify(&record, &["a", "b", "c", "d"])),
        ("INVALID_OPTIONS", "3 answers are needed, not 4".into())
    );
    assert_eq!(
        err(answers::verify(&record, &[])),
        ("INVALID_OPTIONS", "3 answers are needed, not 0".into())
    );
    let one = answers::hash(&[qa(PET, "Fluffy")], NOW, 0, rng(2)).unwrap();
    assert_eq!(
        err(answers::verify(&one, &["Fluffy", "Rex"])),
        ("INVALID_OPTIONS", "1 answer is needed, not 2".into())
    );
    assert_eq!(
        err(answers::verify(&record, &["Fluffy", " \u{200B} ", "x"])),
        (
            "INVALID_OPTIONS",
            "answer 2 is empty after normalising".into()
        )
    );
    assert_eq!(
        err(answers::verify(&record, &["Fluffy", "x", &"y".repeat(257)])),
        (
            "INVALID_OPTIONS",
            "answer 3 must be 1 to 256 characters long".into()
        )
    );
}

#[test]
fn each_record_has_its_own_salt() {
    let entries = [qa(PET, "Fluffy")];
    let a = answers::hash(&entries, NOW, 0, rng(3)).unwrap();
    let b = answers::hash(&entries, NOW, 0, rng(4)).unwrap();
    assert_ne!(a.salt, b.salt);
    assert_ne!(a.hash, b.hash);
    assert_eq!(unb64(&a.salt).len(), 16);
    assert_eq!(unb64(&a.hash).len(), 32);
    assert!(answers::verify(&a, &["fluffy"]).unwrap());
    assert!(answers::verify(&b, &["fluffy"]).unwrap());
}

#[test]
fn the_hash_is_argon2id_over_the_documented_encoding() {
    let entries = [qa(PET, "  Fluffy  the CAT "), qa(TOWN, "Ås")];
    let record = answers::hash(&entries, NOW, 0, rng(5)).unwrap();
    let mut password = b"twofa/security-answers/v1".to_vec();
    password.extend_from_slice(&2u32.to_be_bytes());
    for (question, answer) in [(PET, "fluffy the cat"), (TOWN, "ås")] {
        password.extend_from_slice(&(question.len() as u32).to_be_bytes());
        password.extend_from_slice(question.as_bytes());
        password.extend_from_slice(&(answer.len() as u32).to_be_bytes());
        password.extend_from_slice(answer.as_bytes());
    }
    let params = argon2::Params::new(19_456, 2, 1, Some(32)).unwrap();
    let mut expected = [0u8; 32];
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(&password, &unb64(&record.salt), &mut expected)
        .unwrap();
    assert_eq!(record.hash, b64(&expected));
    // And pinned, so a change of the argon2 crate would show too.
    assert_eq!(record.salt, "QjzESA3X5rbWRK3gGZXyAw");
    assert_eq!(record.hash, "-CRCIZVpIGAHdjJq9wF23oaf_JcFswIW9RmhLdI8HdQ");
}

#[test]
fn tampering_with_any_field_fails_or_is_refused() {
    let record = three();
    let right = ["Fluffy", "Straße", "O'Brien"];
    assert!(answers::verify(&record, &right).unwrap());
    let changed = |edit: &dyn Fn(&mut AnswersRecord)| {
        let mut r = record.clone();
        edit(&mut r);
        answers::verify(&r, &right)
    };
    // Changes that still read as a record: the answers no longer match.
    let mut hash = unb64(&record.hash);
    hash[31] ^= 1;
    let hash = b64(&hash);
    assert!(!changed(&|r| r.hash.clone_from(&hash)).unwrap());
    let mut salt = unb64(&record.salt);
    salt[0] ^= 0x80;
    let salt = b64(&salt);
    assert!(!changed(&|r| r.salt.clone_from(&salt)).unwrap());
    assert!(!changed(&|r| r.questions[0] = "Your first pet's name?".into()).unwrap());
    assert!(!changed(&|r| r.questions.swap(0, 1)).unwrap());
    assert!(!changed(&|r| r.passes = 3).unwrap());
    assert!(!changed(&|r| r.memory_kib = 8192).unwrap());
    // Changes that do not: refused, naming the field.
    let refused = |edit: &dyn Fn(&mut AnswersRecord), field: &str| {
        assert_eq!(
            err(changed(edit)),
            (
                "INVALID_RECORD",
                format!("record field {field} is malformed")
            )
        );
    };
    refused(&|r| r.hash = "short".into(), "hash");
    refused(&|r| r.hash.push('A'), "hash");
    refused(&|r| r.hash = "!".repeat(43), "hash");
    refused(&|r| r.salt.truncate(10), "salt");
    refused(&|r| r.salt = String::new(), "salt");
    refused(&|r| r.questions.clear(), "questions");
    refused(&|r| r.questions[2] = format!(" {PET} "), "questions");
    refused(&|r| r.questions[1] = String::new(), "questions");
    refused(&|r| r.questions[1] = "q".repeat(257), "questions");
    refused(
        &|r| r.questions = (0..11).map(|i| format!("q{i}")).collect(),
        "questions",
    );
}

#[test]
fn forged_costs_are_refused_before_any_work() {
    let record = three();
    let right = ["Fluffy", "Straße", "O'Brien"];
    for (memory_kib, passes, field) in [
        (64 * 1024 + 1, 2, "memoryKib"),
        (u32::MAX, 2, "memoryKib"),
        (8 * 1024 - 1, 2, "memoryKib"),
        (0, 2, "memoryKib"),
        (19_456, 0, "passes"),
        (19_456, 11, "passes"),
        (19_456, u32::MAX, "passes"),
    ] {
        let forged = AnswersRecord {
            memory_kib,
            passes,
            ..record.clone()
        };
        // The fastest of three tries: a test thread descheduled on a busy machine once
        // is not taken for work done.
        let fastest = (0..3)
            .map(|_| {
                let started = std::time::Instant::now();
                assert_eq!(
                    err(answers::verify(&forged, &right)),
                    (
                        "INVALID_RECORD",
                        format!("record field {field} is malformed")
                    ),
                    "m={memory_kib} t={passes}"
                );
                started.elapsed()
            })
            .min();
        assert!(
            fastest < Some(std::time::Duration::from_millis(50)),
            "m={memory_kib} t={passes}: {fastest:?}"
        );
    }
}

#[test]
fn limits_on_questions_and_answers_say_where_with_exact_messages() {
    let fail = |entries: &[QuestionAnswer<'_>]| err(answers::hash(entries, NOW, 0, rng(6)));
    let opts = |m: &str| ("INVALID_OPTIONS", m.to_string());
    assert_eq!(fail(&[]), opts("1 to 10 questions are needed, not 0"));
    let questions: Vec<String> = (1..=11).map(|i| format!("Question {i}?")).collect();
    let eleven: Vec<QuestionAnswer<'_>> = questions.iter().map(|q| qa(q, "x")).collect();
    assert_eq!(fail(&eleven), opts("1 to 10 questions are needed, not 11"));
    assert_eq!(
        fail(&[qa(PET, "a"), qa("", "b")]),
        opts("question 2 must be 1 to 256 characters long")
    );
    let long = "q".repeat(257);
    assert_eq!(
        fail(&[qa(&long, "a")]),
        opts("question 1 must be 1 to 256 characters long")
    );
    assert_eq!(
        fail(&[qa(PET, "a"), qa(" \t", "b")]),
        opts("question 2 is only white space")
    );
    let again = format!("  {PET}\t");
    assert_eq!(
        fail(&[qa(PET, "a"), qa(TOWN, "b"), qa(&again, "c")]),
        opts("question 3 repeats question 1")
    );
    assert_eq!(
        fail(&[qa(PET, "Fluffy"), qa(TOWN, "")]),
        opts("answer 2 must be 1 to 256 characters long")
    );
    let secret = format!("Fluffy{}", "y".repeat(251));
    assert_eq!(
        fail(&[qa(PET, &secret)]),
        opts("answer 1 must be 1 to 256 characters long")
    );
    assert_eq!(
        fail(&[
            qa(PET, "Fluffy"),
            qa(TOWN, "Oslo"),
            qa(TEACHER, "\u{AD} \u{FEFF}")
        ]),
        opts("answer 3 is empty after normalising")
    );
    assert_eq!(
        err(answers::hash(
            &[qa(PET, "Fluffy")],
            NOW,
            answers::MAX_REVISION,
            rng(6)
        )),
        opts("the replaced record's revision is at its most, 2^53 - 1")
    );
    let broken = |_: &mut [u8]| Err(EntropyError);
    assert_eq!(
        err(answers::hash(&[qa(PET, "Fluffy")], NOW, 0, broken)),
        (
            "ENTROPY_UNAVAILABLE",
            "the random number generator failed".into()
        )
    );
    // The longest of everything, by characters (not bytes), is accepted.
    let question = "é".repeat(256);
    let answer = "ß".repeat(256);
    let record = answers::hash(&[qa(&question, &answer)], NOW, 0, rng(7)).unwrap();
    assert!(answers::verify(&record, &[&"ẞ".repeat(256)]).unwrap());
}

#[test]
fn revisions_count_up_from_the_record_replaced() {
    let first = answers::hash(&[qa(PET, "Fluffy")], NOW, 0, rng(8)).unwrap();
    assert_eq!(first.revision, 1);
    let next = answers::hash(&[qa(PET, "Rex")], NOW + 1, first.revision, rng(9)).unwrap();
    assert_eq!((next.revision, next.created_at), (2, NOW + 1));
    let last = answers::hash(&[qa(PET, "Rex")], NOW, answers::MAX_REVISION - 1, rng(9)).unwrap();
    assert_eq!(last.revision, answers::MAX_REVISION);
}

#[test]
fn no_answer_shows_in_records_debug_or_errors() {
    let secret = "Zanzibar-Quokka";
    let normalized = "zanzibar-quokka";
    let entry = qa(PET, secret);
    let shown = format!("{entry:?}");
    assert!(shown.contains(PET) && !shown.contains(secret), "{shown}");
    let record = answers::hash(&[entry], NOW, 0, rng(10)).unwrap();
    let mut texts = vec![format!("{record:?}")];
    for e in [
        answers::verify(&record, &[secret, secret]).unwrap_err(),
        answers::verify(&record, &[&format!("{secret}{}", "!".repeat(250))]).unwrap_err(),
        answers::hash(&[entry, qa(PET, secret)], NOW, 0, rng(10)).unwrap_err(),
        answers::hash(&[qa(secret, secret), qa(secret, "x")], NOW, 0, rng(10)).unwrap_err(),
    ] {
        texts.push(e.to_string());
        texts.push(format!("{e:?}"));
    }
    for text in &texts {
        let lower = text.to_lowercase();
        assert!(!lower.contains(normalized), "{text}");
    }
}
