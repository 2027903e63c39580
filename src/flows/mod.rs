//! The flows that sites wrap around authenticator codes: backup codes, recovery codes,
//! e-mail and SMS verification codes, security answers, trusted devices and throttling.
//!
//! Each is a set of pure functions over a small record that the caller keeps (as JSON
//! in a database, `localStorage` or `chrome.storage`): a call takes the record and
//! returns the new one. Time (Unix milliseconds) and entropy are arguments. Records
//! hold salted hashes, never a plaintext code or answer, and no error shows a code, an
//! answer or a key.
//!
//! Every record carries a `revision`: 1 when a flow makes it, one more than the record it
//! replaces otherwise. Write the next record only if the stored one still has the
//! revision that was read (compare-and-swap), so that two parallel requests cannot both
//! spend one code; see the README's "Records under concurrency".

pub mod answers;
pub mod backup;
pub mod device;
pub mod link;
pub mod recovery;
pub mod throttle;
pub mod verification;

pub(crate) use crate::entropy::random;
use crate::entropy::{self, Entropy};
use crate::error::{Error, ErrorKind};
pub(crate) use crate::otp::hmac_sha256;
use crate::transfer::base64;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// Crockford's base32 alphabet: digits and capitals without `I`, `L`, `O` and `U`, so
/// no two characters look alike. Five bits a character.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The latest instant a record holds: the end of JavaScript's `Date` range.
pub(crate) const MAX_TIME: i64 = 8_640_000_000_000_000;

/// `now + ttl`, kept inside the range every reader of a record accepts.
pub(crate) fn until(now: i64, ttl_ms: i64) -> i64 {
    now.saturating_add(ttl_ms).clamp(-MAX_TIME, MAX_TIME)
}

/// The highest revision a record holds: `Number.MAX_SAFE_INTEGER`, so that JavaScript
/// reads every revision exactly.
pub const MAX_REVISION: u64 = (1 << 53) - 1;

/// The revision of a record written in place of one at `previous`: 1 for a first record
/// (`None`). Records written before revisions existed read as 0.
pub(crate) fn next_revision(previous: Option<u64>) -> Result<u64, Error> {
    match previous {
        None => Ok(1),
        Some(revision) if revision < MAX_REVISION => Ok(revision + 1),
        Some(_) => Err(Error::new(ErrorKind::RecordText(
            "record revision is 9007199254740991, the most a record can have",
        ))),
    }
}

/// A random Crockford code of `len` characters, in groups of four joined by `-`.
fn crockford_code(len: usize, fill: &mut impl Entropy) -> Result<Zeroizing<String>, Error> {
    let mut bytes = Zeroizing::new(vec![0u8; len]);
    entropy::fill(fill, &mut bytes)?;
    let mut out = Zeroizing::new(String::with_capacity(len + len / 4));
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        // 256 is a multiple of 32, so the low five bits are uniform.
        out.push(char::from(
            CROCKFORD.get(usize::from(b & 31)).copied().unwrap_or(b'0'),
        ));
    }
    Ok(out)
}

/// Reads a typed Crockford code: case-insensitive, spaces and hyphens skipped, `O` read
/// as `0` and `I`/`L` as `1`, as Crockford specifies. Errors name the 1-based position.
fn normalize_crockford(input: &str, len: usize) -> Result<Zeroizing<String>, Error> {
    let mut out = Zeroizing::new(String::with_capacity(len));
    let mut found = 0usize;
    for (index, c) in input.chars().enumerate() {
        if matches!(c, ' ' | '-' | '\t') {
            continue;
        }
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !CROCKFORD.contains(&(c as u8)) {
            return Err(Error::new(ErrorKind::CodeChar(index + 1)));
        }
        found += 1;
        if found <= len {
            out.push(c);
        }
    }
    if found != len {
        return Err(Error::new(ErrorKind::TokenLength {
            expected: len,
            found,
        }));
    }
    Ok(out)
}

/// A random decimal code of `digits` digits, uniform by rejection sampling.
fn digit_code(digits: u32, fill: &mut impl Entropy) -> Result<Zeroizing<String>, Error> {
    let modulus = 10u64.pow(digits);
    let limit = u64::MAX - u64::MAX % modulus;
    // Each draw is rejected with odds under 2^-31 (10 digits); 64 in a row means a
    // broken source.
    for _ in 0..64 {
        let bytes = random::<8>(fill)?;
        let n = u64::from_le_bytes(*bytes);
        if n < limit {
            let mut out = Zeroizing::new(String::with_capacity(digits as usize));
            let mut v = n % modulus;
            let mut buf = Zeroizing::new([b'0'; 10]);
            for slot in buf.iter_mut().take(digits as usize).rev() {
                *slot = b'0' + (v % 10) as u8;
                v /= 10;
            }
            for &b in buf.iter().take(digits as usize) {
                out.push(char::from(b));
            }
            return Ok(out);
        }
    }
    Err(Error::new(ErrorKind::Entropy))
}

/// Constant-time equality of two digests.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// Encodes bytes for a record: URL-safe base64 without padding.
fn b64(bytes: &[u8]) -> String {
    base64::encode(bytes, base64::URL_SAFE).to_string()
}

/// Decodes a record's base64 field of exactly `N` bytes.
fn unb64<const N: usize>(text: &str, field: &'static str) -> Result<[u8; N], Error> {
    let bytes = base64::decode(text).map_err(|_| Error::new(ErrorKind::Record(field)))?;
    <[u8; N]>::try_from(bytes.as_slice()).map_err(|_| Error::new(ErrorKind::Record(field)))
}

// ---------------------------------------------------------------------------------------
// Signed tokens: trusted devices and action links

/// The shortest key of a signed token: 128 bits. Use 32 random bytes.
pub(crate) const MIN_KEY_LEN: usize = 16;

/// A signing key's length, checked when a token is issued; [`open`] skips a key that
/// fails it.
pub(crate) fn check_key(key: &[u8]) -> Result<(), Error> {
    if key.len() < MIN_KEY_LEN || key.len() > crate::MAX_LEN {
        return Err(Error::new(ErrorKind::Key {
            len: key.len(),
            min: MIN_KEY_LEN,
            max: crate::MAX_LEN,
        }));
    }
    Ok(())
}

/// Why a token was refused before its payload was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unsealed {
    /// Not `payload.tag` in canonical URL-safe base64, or too long.
    Malformed,
    /// No key's tag matches.
    BadSignature,
}

/// A token: `payload.tag`, both URL-safe base64 without padding, the tag HMAC-SHA-256
/// under `key` of `domain` and the payload. Each kind of token has its own domain, so
/// no token of one kind is ever one of another.
pub(crate) fn seal(key: &[u8], domain: &[u8], payload: &[u8]) -> String {
    let tag = hmac_sha256(key, &[domain, payload]);
    let mut token = b64(payload);
    token.push('.');
    token.push_str(&base64::encode(&tag, base64::URL_SAFE));
    token
}

/// The payload of a token of at most `max_len` characters, and the index of the first of
/// `keys` whose tag matches. Every key's tag is computed and compared in constant time, so
/// the time taken does not say which key matched; keys under 16 bytes match nothing.
pub(crate) fn open(
    keys: &[&[u8]],
    domain: &[u8],
    token: &str,
    max_len: usize,
) -> Result<(alloc::vec::Vec<u8>, usize), Unsealed> {
    if token.len() > max_len {
        return Err(Unsealed::Malformed);
    }
    let (payload_text, tag_text) = token.split_once('.').ok_or(Unsealed::Malformed)?;
    let payload = canonical(payload_text).ok_or(Unsealed::Malformed)?;
    let tag = canonical(tag_text).ok_or(Unsealed::Malformed)?;
    if tag.len() != 32 {
        return Err(Unsealed::Malformed);
    }
    let mut key_index = None;
    for (index, key) in keys.iter().enumerate() {
        let good = key.len() >= MIN_KEY_LEN && same(&tag, &hmac_sha256(key, &[domain, &payload]));
        if good && key_index.is_none() {
            key_index = Some(index);
        }
    }
    Ok((payload, key_index.ok_or(Unsealed::BadSignature)?))
}

/// Decodes base64 that is written the one way the encoder writes it: another spelling of
/// the same bytes is a different token.
fn canonical(text: &str) -> Option<alloc::vec::Vec<u8>> {
    let bytes = base64::decode(text).ok()?;
    if text.is_empty() || *base64::encode(&bytes, base64::URL_SAFE) != *text {
        return None;
    }
    Some(bytes.to_vec())
}

/// A UTC calendar date, `YYYY-MM-DD`, from Unix milliseconds (Hinnant's civil-from-days).
pub(crate) fn utc_date(unix_ms: i64) -> String {
    let days = unix_ms.div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
