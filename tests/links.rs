//! Action links: a vector computed apart (HMAC-SHA-256 of the documented payload), every
//! rejection reason and their order, the expiry instant, every limit, tampering with
//! every byte, non-canonical base64, key rotation, single use through the state, device
//! tokens and links told apart, and no state or key in a token, a result or an error.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may panic: that is how they fail

mod common;

use common::entropy as rng;
use hmac::{Hmac, KeyInit, Mac};
use twofa::flows::device::{self, DeviceOptions};
use twofa::flows::link::{self, ActionLink, LinkCheck, LinkOptions, Rejection};
use twofa::EntropyError;

const NOW: i64 = 1_700_000_000_000;
const KEY: [u8; 32] = [0x42; 32];
const OLD_KEY: [u8; 32] = [0x17; 32];
const STATE: &str = "2fa:rev=41:secret=s-7";

/// The link id 00 01 … 0f.
fn counting(buf: &mut [u8]) -> Result<(), EntropyError> {
    for (i, b) in buf.iter_mut().enumerate() {
        *b = i as u8;
    }
    Ok(())
}

fn options(ttl_ms: i64) -> LinkOptions<'static> {
    LinkOptions {
        purpose: "reset-totp",
        user: "ada",
        state: STATE,
        ttl_ms,
    }
}

/// A check at `now` for ada's reset, with the state as issued and nothing revoked.
fn at(now: i64) -> LinkCheck<'static> {
    LinkCheck {
        now,
        purpose: "reset-totp",
        user: "ada",
        state: STATE,
        revoked: &[],
    }
}

fn err<T: std::fmt::Debug>(r: Result<T, twofa::Error>) -> (&'static str, String) {
    let e = r.unwrap_err();
    (e.code().as_str(), e.to_string())
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key).unwrap();
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// URL-safe base64 without padding, written here apart from the crate's.
fn b64(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(URL[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

fn unb64(text: &str) -> Vec<u8> {
    let mut bits = 0u32;
    let mut held = 0;
    let mut out = Vec::new();
    for c in text.bytes() {
        bits = bits << 6 | URL.iter().position(|&u| u == c).unwrap() as u32;
        held += 6;
        if held >= 8 {
            held -= 8;
            out.push((bits >> held) as u8);
        }
    }
    out
}

/// A token whose payload is `payload`, signed under `key` as links are.
fn signed(key: &[u8], payload: &[u8]) -> String {
    let tag = hmac(key, &[b"twofa action link v1\0", payload]);
    format!("{}.{}", b64(payload), b64(&tag))
}

/// The documented payload, built here.
fn payload(
    issued: i64,
    expires: i64,
    id: &[u8],
    purpose: &str,
    user: &str,
    state: &str,
) -> Vec<u8> {
    let mut p = vec![1u8];
    p.extend_from_slice(&issued.to_be_bytes());
    p.extend_from_slice(&expires.to_be_bytes());
    p.extend_from_slice(id);
    p.push(purpose.len() as u8);
    p.extend_from_slice(purpose.as_bytes());
    p.push(user.len() as u8);
    p.extend_from_slice(user.as_bytes());
    p.extend_from_slice(&hmac(&KEY, &[b"twofa action link state v1\0", state.as_bytes()])[..16]);
    p
}

#[test]
fn the_token_is_the_documented_payload_and_tag() {
    let issued = link::issue(&KEY, &options(link::DEFAULT_TTL_MS), NOW, counting).unwrap();
    // Computed with node:crypto from the format the module docs give.
    assert_eq!(
        issued.token,
        "AQAAAYvP5WgAAAABi9AcVoAAAQIDBAUGBwgJCgsMDQ4PCnJlc2V0LXRvdHADYWRhEqkcdpo08yI9Ig5GoauuzQ\
         .ZudMpKp5j0T9ZoPRrsc1oAbaXjYIdRaWhljOwQeczWY"
    );
    // And with this file's own HMAC and base64.
    let ids: Vec<u8> = (0..16).collect();
    let built = payload(NOW, NOW + 3_600_000, &ids, "reset-totp", "ada", STATE);
    assert_eq!(issued.token, signed(&KEY, &built));
    assert_eq!(
        (
            issued.link_id.as_str(),
            issued.purpose.as_str(),
            issued.user.as_str(),
            issued.issued_at,
            issued.expires_at
        ),
        (
            "AAECAwQFBgcICQoLDA0ODw",
            "reset-totp",
            "ada",
            NOW,
            NOW + 3_600_000
        )
    );
    let valid = link::verify(&[&KEY], &issued.token, &at(NOW)).unwrap();
    assert_eq!(
        valid,
        ActionLink {
            link_id: "AAECAwQFBgcICQoLDA0ODw".into(),
            purpose: "reset-totp".into(),
            user: "ada".into(),
            issued_at: NOW,
            expires_at: NOW + 3_600_000,
            key_index: 0,
        }
    );
    // A payload this file signed is read the same way.
    let ids: Vec<u8> = (100..116).collect();
    let made = signed(
        &KEY,
        &payload(NOW, NOW + 5, &ids, "reset-totp", "ada", STATE),
    );
    assert_eq!(
        link::verify(&[&KEY], &made, &at(NOW + 4)).unwrap().link_id,
        b64(&ids)
    );
    // Each link has its own id.
    let a = link::issue(&KEY, &options(1000), NOW, rng(1)).unwrap();
    let b = link::issue(&KEY, &options(1000), NOW, rng(2)).unwrap();
    assert_ne!(a.link_id, b.link_id);
    assert_ne!(a.token, b.token);
    assert_eq!(unb64(&a.link_id).len(), 16);
}

#[test]
fn every_rejection_and_the_order_they_are_checked_in() {
    let token = link::issue(&KEY, &options(60_000), NOW, counting)
        .unwrap()
        .token;
    let id = "AAECAwQFBgcICQoLDA0ODw";
    let verify = |check: &LinkCheck<'_>| link::verify(&[&KEY], &token, check);
    let other_purpose = LinkCheck {
        purpose: "change-alternative-email",
        ..at(NOW)
    };
    let other_user = LinkCheck {
        user: "bob",
        ..at(NOW)
    };
    let cancelled = LinkCheck {
        revoked: &["x", id],
        ..at(NOW)
    };
    let changed = LinkCheck {
        state: "2fa:rev=42:secret=s-8",
        ..at(NOW)
    };
    assert_eq!(
        link::verify(&[&KEY], "not a link", &at(NOW)),
        Err(Rejection::Malformed)
    );
    assert_eq!(
        link::verify(&[&OLD_KEY], &token, &at(NOW)),
        Err(Rejection::BadSignature)
    );
    assert_eq!(verify(&at(NOW + 60_000)), Err(Rejection::Expired));
    assert_eq!(verify(&other_purpose), Err(Rejection::WrongPurpose));
    assert_eq!(verify(&other_user), Err(Rejection::WrongUser));
    assert_eq!(verify(&cancelled), Err(Rejection::Revoked));
    assert_eq!(verify(&changed), Err(Rejection::StateChanged));
    assert!(verify(&at(NOW)).is_ok());
    // Everything wrong at once: each check in turn is the one reported.
    let all = LinkCheck {
        now: NOW + 60_000,
        purpose: "change-alternative-email",
        user: "bob",
        state: "",
        revoked: &[id],
    };
    assert_eq!(
        link::verify(&[&OLD_KEY], &token, &all),
        Err(Rejection::BadSignature)
    );
    assert_eq!(verify(&all), Err(Rejection::Expired));
    let all = LinkCheck { now: NOW, ..all };
    assert_eq!(verify(&all), Err(Rejection::WrongPurpose));
    let all = LinkCheck {
        purpose: "reset-totp",
        ..all
    };
    assert_eq!(verify(&all), Err(Rejection::WrongUser));
    let all = LinkCheck { user: "ada", ..all };
    assert_eq!(verify(&all), Err(Rejection::Revoked));
    let all = LinkCheck {
        revoked: &[],
        ..all
    };
    assert_eq!(verify(&all), Err(Rejection::StateChanged));
    // Purpose and user are compared exactly.
    for (purpose, user) in [
        ("Reset-totp", "ada"),
        ("reset-totp ", "ada"),
        ("reset-totp", "Ada"),
        ("reset-totp", "ada "),
    ] {
        assert!(
            verify(&LinkCheck {
                purpose,
                user,
                ..at(NOW)
            })
            .is_err(),
            "{purpose:?} {user:?}"
        );
    }
    // A revocation list names link ids exactly.
    assert!(verify(&LinkCheck {
        revoked: &["AAECAwQFBgcICQoLDA0OD", "aaecawqfbgcicqolda0odw"],
        ..at(NOW)
    })
    .is_ok());
    let names = [
        Rejection::Malformed,
        Rejection::BadSignature,
        Rejection::Expired,
        Rejection::WrongPurpose,
        Rejection::WrongUser,
        Rejection::Revoked,
        Rejection::StateChanged,
    ]
    .map(Rejection::as_str);
    assert_eq!(
        names.join(" "),
        "MALFORMED BAD_SIGNATURE EXPIRED WRONG_PURPOSE WRONG_USER REVOKED STATE_CHANGED"
    );
}

#[test]
fn single_use_through_the_state() {
    // The site's record: a revision, bumped on every write, and the secret's id.
    let fingerprint = |revision: u32, secret: &str| format!("2fa:rev={revision}:secret={secret}");
    let sent = fingerprint(41, "s-7");
    let issued = link::issue(
        &KEY,
        &LinkOptions {
            state: &sent,
            ..options(link::DEFAULT_TTL_MS)
        },
        NOW,
        rng(3),
    )
    .unwrap();
    let check = |state: &str| {
        link::verify(
            &[&KEY],
            &issued.token,
            &LinkCheck {
                state,
                ..at(NOW + 1000)
            },
        )
    };
    // Opened, and opened again (the page reloaded): the record has not changed.
    assert!(check(&fingerprint(41, "s-7")).is_ok());
    assert!(check(&fingerprint(41, "s-7")).is_ok());
    // The new app's code confirmed the new secret: revision 42. The link is spent.
    assert_eq!(check(&fingerprint(42, "s-8")), Err(Rejection::StateChanged));
    // Any other change kills it too: a backup code used (revision only), 2FA turned off.
    assert_eq!(check(&fingerprint(42, "s-7")), Err(Rejection::StateChanged));
    assert_eq!(check("2fa:rev=43:off"), Err(Rejection::StateChanged));
    // The state is compared byte for byte, and the empty state is a state.
    assert_eq!(check(&format!("{sent} ")), Err(Rejection::StateChanged));
    assert_eq!(check(""), Err(Rejection::StateChanged));
    let empty = link::issue(
        &KEY,
        &LinkOptions {
            state: "",
            ..options(1000)
        },
        NOW,
        rng(4),
    )
    .unwrap();
    let at_empty = LinkCheck {
        state: "",
        ..at(NOW)
    };
    assert!(link::verify(&[&KEY], &empty.token, &at_empty).is_ok());
    assert_eq!(
        link::verify(&[&KEY], &empty.token, &at(NOW)),
        Err(Rejection::StateChanged)
    );
    // A newer link supersedes the first when the pending request's id is in the state.
    let first = "2fa:rev=41:secret=s-7:request=r-1";
    let second = "2fa:rev=41:secret=s-7:request=r-2";
    let older = link::issue(
        &KEY,
        &LinkOptions {
            state: first,
            ..options(60_000)
        },
        NOW,
        rng(5),
    )
    .unwrap();
    let newer = link::issue(
        &KEY,
        &LinkOptions {
            state: second,
            ..options(60_000)
        },
        NOW,
        rng(6),
    )
    .unwrap();
    let now = LinkCheck {
        state: second,
        ..at(NOW)
    };
    assert_eq!(
        link::verify(&[&KEY], &older.token, &now),
        Err(Rejection::StateChanged)
    );
    assert!(link::verify(&[&KEY], &newer.token, &now).is_ok());
}

#[test]
fn expiry_lifetimes_and_lengths_at_their_limits() {
    let issued = link::issue(&KEY, &options(60_000), NOW, rng(7)).unwrap();
    assert_eq!(issued.expires_at, NOW + 60_000);
    assert!(link::verify(&[&KEY], &issued.token, &at(NOW + 59_999)).is_ok());
    assert_eq!(
        link::verify(&[&KEY], &issued.token, &at(NOW + 60_000)),
        Err(Rejection::Expired)
    );
    // Lifetimes: 1 ms to 7 days.
    let one = link::issue(&KEY, &options(1), NOW, rng(8)).unwrap();
    assert!(link::verify(&[&KEY], &one.token, &at(NOW)).is_ok());
    assert_eq!(
        link::verify(&[&KEY], &one.token, &at(NOW + 1)),
        Err(Rejection::Expired)
    );
    let week = link::issue(&KEY, &options(link::MAX_TTL_MS), NOW, rng(9)).unwrap();
    assert_eq!(week.expires_at, NOW + 7 * 86_400_000);
    let ttl = (
        "INVALID_OPTIONS",
        "ttl must be a whole number of milliseconds from 1 to 7 days".to_string(),
    );
    for bad in [0, -1, link::MAX_TTL_MS + 1, i64::MAX] {
        assert_eq!(
            err(link::issue(&KEY, &options(bad), NOW, rng(10))),
            ttl,
            "{bad}"
        );
    }
    // Times stay inside the range of a JavaScript Date.
    let late = link::issue(
        &KEY,
        &options(link::MAX_TTL_MS),
        8_640_000_000_000_000,
        rng(11),
    )
    .unwrap();
    assert_eq!(late.expires_at, 8_640_000_000_000_000);
    // Purpose: 1 to 64 bytes of printable ASCII, spaces included.
    let purpose = (
        "INVALID_OPTIONS",
        "purpose must be 1 to 64 bytes of printable ASCII".to_string(),
    );
    let long_purpose = "p".repeat(64);
    for good in [
        long_purpose.as_str(),
        "x",
        "change alternative e-mail",
        "~!",
    ] {
        let o = LinkOptions {
            purpose: good,
            ..options(1000)
        };
        let t = link::issue(&KEY, &o, NOW, rng(12)).unwrap().token;
        let c = LinkCheck {
            purpose: good,
            ..at(NOW)
        };
        assert_eq!(link::verify(&[&KEY], &t, &c).unwrap().purpose, good);
    }
    let too_long = "p".repeat(65);
    for bad in [
        "",
        too_long.as_str(),
        "reset\ttotp",
        "réinitialiser",
        "reset\u{7f}",
        "a\0b",
    ] {
        let o = LinkOptions {
            purpose: bad,
            ..options(1000)
        };
        assert_eq!(err(link::issue(&KEY, &o, NOW, rng(13))), purpose, "{bad:?}");
    }
    // User: 1 to 255 bytes of any text.
    let user = (
        "INVALID_OPTIONS",
        "user must be 1 to 255 bytes of text".to_string(),
    );
    let long_user = "é".repeat(127) + "x";
    assert_eq!(long_user.len(), 255);
    let o = LinkOptions {
        user: &long_user,
        ..options(1000)
    };
    let t = link::issue(&KEY, &o, NOW, rng(14)).unwrap().token;
    let c = LinkCheck {
        user: &long_user,
        ..at(NOW)
    };
    assert_eq!(link::verify(&[&KEY], &t, &c).unwrap().user, long_user);
    for bad in [String::new(), "u".repeat(256), "é".repeat(128)] {
        let o = LinkOptions {
            user: &bad,
            ..options(1000)
        };
        assert_eq!(err(link::issue(&KEY, &o, NOW, rng(15))), user);
    }
    // State: up to 4,096 bytes, and only its 16-byte tag in the token.
    let big_state = "s".repeat(4096);
    let o = LinkOptions {
        state: &big_state,
        ..options(1000)
    };
    let t = link::issue(&KEY, &o, NOW, rng(16)).unwrap().token;
    let c = LinkCheck {
        state: &big_state,
        ..at(NOW)
    };
    assert!(link::verify(&[&KEY], &t, &c).is_ok());
    assert_eq!(
        t.len(),
        link::issue(&KEY, &options(1000), NOW, rng(16))
            .unwrap()
            .token
            .len()
    );
    let o = LinkOptions {
        state: &"s".repeat(4097),
        ..options(1000)
    };
    assert_eq!(
        err(link::issue(&KEY, &o, NOW, rng(17))),
        (
            "INVALID_OPTIONS",
            "state must be at most 4096 bytes of text".into()
        )
    );
    // The longest token: a purpose of 64 bytes and a user of 255.
    let longest = LinkOptions {
        purpose: &long_purpose,
        user: &long_user,
        ..options(1000)
    };
    let t = link::issue(&KEY, &longest, NOW, rng(18)).unwrap().token;
    assert_eq!(t.len(), link::MAX_TOKEN_LEN);
    let c = LinkCheck {
        purpose: &long_purpose,
        user: &long_user,
        ..at(NOW)
    };
    assert!(link::verify(&[&KEY], &t, &c).is_ok());
    // A short one fits in a mail's link.
    assert!(
        link::issue(&KEY, &options(1000), NOW, rng(19))
            .unwrap()
            .token
            .len()
            < 140
    );
    // Longer than any link: refused before anything is decoded or hashed.
    assert_eq!(
        link::verify(&[&KEY], &format!("{t}A"), &c),
        Err(Rejection::Malformed)
    );
    assert_eq!(
        link::verify(&[&KEY], &"A".repeat(100_000), &c),
        Err(Rejection::Malformed)
    );
}

#[test]
fn keys_rotation_and_entropy() {
    let old = link::issue(&OLD_KEY, &options(60_000), NOW, rng(20)).unwrap();
    let new = link::issue(&KEY, &options(60_000), NOW, rng(21)).unwrap();
    // The current key first, then the retired one: key_index says which signed it, and the
    // state tag is checked under that key.
    assert_eq!(
        link::verify(&[&KEY, &OLD_KEY], &old.token, &at(NOW))
            .unwrap()
            .key_index,
        1
    );
    assert_eq!(
        link::verify(&[&KEY, &OLD_KEY], &new.token, &at(NOW))
            .unwrap()
            .key_index,
        0
    );
    assert_eq!(
        link::verify(&[&OLD_KEY, &KEY], &new.token, &at(NOW))
            .unwrap()
            .key_index,
        1
    );
    let changed = LinkCheck {
        state: "other",
        ..at(NOW)
    };
    assert_eq!(
        link::verify(&[&KEY, &OLD_KEY], &old.token, &changed),
        Err(Rejection::StateChanged)
    );
    // Retired for good: refused.
    assert_eq!(
        link::verify(&[&KEY], &old.token, &at(NOW)),
        Err(Rejection::BadSignature)
    );
    assert_eq!(
        link::verify(&[], &new.token, &at(NOW)),
        Err(Rejection::BadSignature)
    );
    // A key under 16 bytes never verifies, and never issues.
    let short = link::issue(&KEY[..16], &options(1000), NOW, rng(22)).unwrap();
    assert!(link::verify(&[&KEY[..16]], &short.token, &at(NOW)).is_ok());
    assert_eq!(
        link::verify(&[&KEY[..15], &KEY[..16]], &short.token, &at(NOW))
            .unwrap()
            .key_index,
        1
    );
    assert_eq!(
        err(link::issue(&KEY[..15], &options(1000), NOW, rng(23))),
        (
            "INVALID_KEY",
            "key is 15 bytes long; use 16 to 1024 random bytes".into()
        )
    );
    // No randomness, no link.
    assert_eq!(
        err(link::issue(&KEY, &options(1000), NOW, |_: &mut [u8]| Err(
            EntropyError
        )))
        .0,
        "ENTROPY_UNAVAILABLE"
    );
}

#[test]
fn every_tampered_byte_is_a_bad_signature() {
    let token = link::issue(&KEY, &options(60_000), NOW, rng(24))
        .unwrap()
        .token;
    let (payload_text, tag_text) = token.split_once('.').unwrap();
    let (payload, tag) = (unb64(payload_text), unb64(tag_text));
    assert_eq!(b64(&payload), payload_text);
    // Every bit of the payload, and every bit of the tag, re-encoded canonically.
    for (i, bit) in (0..payload.len()).flat_map(|i| (0..8).map(move |b| (i, b))) {
        let mut p = payload.clone();
        p[i] ^= 1 << bit;
        let t = format!("{}.{tag_text}", b64(&p));
        assert_eq!(
            link::verify(&[&KEY], &t, &at(NOW)),
            Err(Rejection::BadSignature),
            "payload byte {i} bit {bit}"
        );
    }
    for (i, bit) in (0..tag.len()).flat_map(|i| (0..8).map(move |b| (i, b))) {
        let mut g = tag.clone();
        g[i] ^= 1 << bit;
        let t = format!("{payload_text}.{}", b64(&g));
        assert_eq!(
            link::verify(&[&KEY], &t, &at(NOW)),
            Err(Rejection::BadSignature),
            "tag byte {i}"
        );
    }
    // Every character changed to any other, and every cut: never accepted.
    let chars: Vec<char> = token.chars().collect();
    for position in 0..chars.len() {
        for c in "AZaz09-_.=+/ ".chars().filter(|&c| c != chars[position]) {
            let mut t = chars.clone();
            t[position] = c;
            let t: String = t.into_iter().collect();
            let r = link::verify(&[&KEY], &t, &at(NOW));
            assert!(
                matches!(r, Err(Rejection::Malformed | Rejection::BadSignature)),
                "position {position} to {c:?} gave {r:?}"
            );
        }
        let cut: String = chars[..position].iter().collect();
        assert!(
            link::verify(&[&KEY], &cut, &at(NOW)).is_err(),
            "cut to {position}"
        );
    }
    let swapped = format!("{tag_text}.{payload_text}");
    assert!(link::verify(&[&KEY], &swapped, &at(NOW)).is_err());
}

#[test]
fn base64_written_any_other_way_is_malformed() {
    let token = link::issue(&KEY, &options(60_000), NOW, rng(25))
        .unwrap()
        .token;
    let (payload_text, tag_text) = token.split_once('.').unwrap();
    // 43 characters of tag carry 258 bits: the last character's low 2 bits are zero.
    let last = tag_text.as_bytes()[42];
    let at_last = URL.iter().position(|&c| c == last).unwrap();
    let sloppy = format!(
        "{payload_text}.{}{}",
        &tag_text[..42],
        char::from(URL[at_last ^ 1])
    );
    let padded = format!("{token}=");
    let padded_tag = format!("{payload_text}.{tag_text}=");
    let standard = token.replace('-', "+").replace('_', "/");
    let spaced = format!("{payload_text} .{tag_text}");
    for t in [
        sloppy,
        padded,
        padded_tag,
        format!(".{tag_text}"),
        format!("{payload_text}."),
        format!("{payload_text}.{tag_text}.x"),
        spaced,
    ] {
        assert_eq!(
            link::verify(&[&KEY], &t, &at(NOW)),
            Err(Rejection::Malformed),
            "{t}"
        );
    }
    if standard != token {
        assert_eq!(
            link::verify(&[&KEY], &standard, &at(NOW)),
            Err(Rejection::Malformed)
        );
    }
    // A payload under a valid tag that does not parse: another version, a short one, a
    // length past the end, an empty purpose or user, a purpose that is not UTF-8.
    let ids = [9u8; 16];
    let good = payload(NOW, NOW + 60_000, &ids, "reset-totp", "ada", STATE);
    assert!(link::verify(&[&KEY], &signed(&KEY, &good), &at(NOW)).is_ok());
    let mut version = good.clone();
    version[0] = 2;
    let mut long_purpose = good.clone();
    long_purpose[33] = 200;
    let mut long_user = good.clone();
    long_user[44] = 200;
    let extra = [good.as_slice(), &[0]].concat();
    for (name, p) in [
        ("version 2", version),
        ("cut", good[..good.len() - 1].to_vec()),
        ("extra byte", extra),
        ("purpose length", long_purpose),
        ("user length", long_user),
        ("empty", Vec::new()),
        (
            "empty purpose",
            payload(NOW, NOW + 60_000, &ids, "", "ada", STATE),
        ),
        (
            "empty user",
            payload(NOW, NOW + 60_000, &ids, "reset-totp", "", STATE),
        ),
        (
            "short id",
            payload(NOW, NOW + 60_000, &ids[..15], "reset-totp", "ada", STATE),
        ),
    ] {
        assert_eq!(
            link::verify(&[&KEY], &signed(&KEY, &p), &at(NOW)),
            Err(Rejection::Malformed),
            "{name}"
        );
    }
    let mut latin1 = payload(NOW, NOW + 60_000, &ids, "reset-totp", "ada", STATE);
    latin1[34] = 0xe9;
    assert_eq!(
        link::verify(&[&KEY], &signed(&KEY, &latin1), &at(NOW)),
        Err(Rejection::Malformed)
    );
}

#[test]
fn a_device_token_is_never_a_link_nor_a_link_a_device_token() {
    let device_token = device::issue(
        &KEY,
        &DeviceOptions {
            user: Some("ada"),
            device_id: "reset-totp",
            label: "",
            ttl_ms: 60_000,
        },
        NOW,
    )
    .unwrap();
    assert_eq!(
        link::verify(&[&KEY], &device_token, &at(NOW)),
        Err(Rejection::BadSignature)
    );
    let token = link::issue(&KEY, &options(60_000), NOW, rng(26))
        .unwrap()
        .token;
    let as_device = device::Check {
        now: NOW,
        user: Some("ada"),
        revoked: &[],
    };
    assert_eq!(
        device::verify(&[&KEY], &token, &as_device),
        Err(device::Rejection::BadSignature)
    );
    // Even a link's payload re-signed under the device domain is refused as a link.
    let (p, _) = token.split_once('.').unwrap();
    let tag = hmac(&KEY, &[b"twofa trusted device v1\0", &unb64(p)]);
    assert_eq!(
        link::verify(&[&KEY], &format!("{p}.{}", b64(&tag)), &at(NOW)),
        Err(Rejection::BadSignature)
    );
}

#[test]
fn no_token_result_or_error_shows_the_state_or_the_key() {
    let state = "totp-secret=JBSWY3DPEHPK3PXP";
    let key = *b"key-bytes-that-must-stay-private";
    let o = LinkOptions {
        state,
        ..options(60_000)
    };
    let issued = link::issue(&key, &o, NOW, rng(27)).unwrap();
    let check = LinkCheck { state, ..at(NOW) };
    let valid = link::verify(&[&key], &issued.token, &check).unwrap();
    let refused = link::verify(&[&key], &issued.token, &at(NOW)).unwrap_err();
    let (payload_text, _) = issued.token.split_once('.').unwrap();
    let payload = unb64(payload_text);
    let errors = [
        link::issue(&key, &LinkOptions { ttl_ms: 0, ..o }, NOW, rng(28)).unwrap_err(),
        link::issue(
            &key,
            &LinkOptions {
                state: &state.repeat(200),
                ..o
            },
            NOW,
            rng(28),
        )
        .unwrap_err(),
        link::issue(&key, &LinkOptions { purpose: "", ..o }, NOW, rng(28)).unwrap_err(),
        link::issue(&key[..15], &o, NOW, rng(28)).unwrap_err(),
    ];
    let messages = errors.iter().map(ToString::to_string).collect::<Vec<_>>();
    let shown = format!("{issued:?} {o:?} {check:?} {valid:?} {refused:?} {errors:?} {messages:?}");
    let secrets: [&[u8]; 5] = [
        state.as_bytes(),
        b"JBSWY3DP",
        &key,
        b"must-stay",
        b"key-bytes",
    ];
    for secret in secrets {
        let text = std::str::from_utf8(secret).unwrap();
        assert!(!shown.contains(text), "{text} in {shown}");
        assert!(!issued.token.contains(text));
        assert!(
            !payload.windows(secret.len()).any(|w| w == secret),
            "{text} in the payload"
        );
    }
    // Debug leaves the token out: it works for whoever holds it.
    let (_, tag_text) = issued.token.split_once('.').unwrap();
    assert!(
        !shown.contains(payload_text) && !shown.contains(tag_text),
        "{shown}"
    );
    assert!(format!("{issued:?}").ends_with(", .. }"));
    // Debug leaves the state out, and says that it does.
    assert_eq!(
        format!("{o:?}"),
        r#"LinkOptions { purpose: "reset-totp", user: "ada", ttl_ms: 60000, .. }"#
    );
    assert_eq!(
        format!("{check:?}"),
        r#"LinkCheck { now: 1700000000000, purpose: "reset-totp", user: "ada", revoked: [], .. }"#
    );
}
