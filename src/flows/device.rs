//! Trusted devices: "trust this device for 30 days" as a signed, URL-safe token that
//! the browser keeps (a cookie) and the site checks, with key rotation and revocation.
//!
//! A token is `payload.tag`, both URL-safe base64 without padding. The payload holds a
//! version byte, the issue and expiry times (big-endian Unix milliseconds), the device
//! id and its label; the tag is HMAC-SHA-256 under the site's key of a domain string and
//! the payload. The payload is signed, not encrypted: put no secret in the id or label.

use super::{hmac_sha256, same};
use crate::base64;
use crate::error::{Error, ErrorKind};

/// Thirty days, in milliseconds.
pub const DEFAULT_TTL_MS: i64 = 30 * 86_400_000;
/// The shortest key: 128 bits. Use 32 random bytes.
pub const MIN_KEY_LEN: usize = 16;
/// The longest device id, in bytes.
pub const MAX_ID_LEN: usize = 128;
/// The longest label, in bytes.
pub const MAX_LABEL_LEN: usize = 256;

const VERSION: u8 = 1;
const DOMAIN: &[u8] = b"twofa trusted device v1\0";

/// A device to trust.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceOptions<'a> {
    /// Your id for the device, 1 to 128 bytes: what a revocation list names.
    pub device_id: &'a str,
    /// What the user sees in the list of trusted devices, such as "Firefox on Linux".
    pub label: &'a str,
    /// The lifetime in milliseconds, 1 ms to 400 days.
    pub ttl_ms: i64,
}

/// A trusted device, as a valid token describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedDevice {
    /// The device id.
    pub device_id: String,
    /// The label.
    pub label: String,
    /// When the token was issued, Unix milliseconds.
    pub issued_at: i64,
    /// The first instant it is no longer valid, Unix milliseconds.
    pub expires_at: i64,
    /// Which of the keys given to [`verify`] signed it: 0 is the current key; more
    /// means the token should be reissued under it.
    pub key_index: usize,
}

/// Why a token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// Not a token: wrong shape, bad base64, or a payload that does not parse.
    Malformed,
    /// The tag matches none of the keys: tampered, or signed with a retired key.
    BadSignature,
    /// Valid, but its lifetime is over.
    Expired,
    /// Valid, but its device is on the revocation list.
    Revoked,
}

impl Rejection {
    /// `"MALFORMED"`, `"BAD_SIGNATURE"`, `"EXPIRED"` or `"REVOKED"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Rejection::Malformed => "MALFORMED",
            Rejection::BadSignature => "BAD_SIGNATURE",
            Rejection::Expired => "EXPIRED",
            Rejection::Revoked => "REVOKED",
        }
    }
}

/// Issues a token for a device, valid from `now` until just before `now + ttl_ms`.
///
/// # Errors
///
/// `INVALID_KEY` for a key under 16 bytes; `INVALID_OPTIONS` for an empty or long id, a
/// long label or a lifetime out of range.
///
/// # Example
///
/// ```
/// use twofa::flows::device::{self, DeviceOptions, Rejection};
///
/// let key = [7u8; 32]; // 32 random bytes in real use
/// let now = 1_700_000_000_000;
/// let options = DeviceOptions { device_id: "d-41", label: "Firefox on Linux", ttl_ms: 14 * 86_400_000 };
/// let token = device::issue(&key, &options, now)?;
/// let device = device::verify(&[&key[..]], &token, now + 1000, &[]).unwrap();
/// assert_eq!((device.device_id.as_str(), device.expires_at), ("d-41", now + 14 * 86_400_000));
/// // "Remove this device":
/// assert_eq!(device::verify(&[&key[..]], &token, now + 1000, &["d-41"]).unwrap_err(), Rejection::Revoked);
/// # Ok::<(), twofa::Error>(())
/// ```
pub fn issue(key: &[u8], options: &DeviceOptions<'_>, now: i64) -> Result<String, Error> {
    check_key(key)?;
    if options.device_id.is_empty() || options.device_id.len() > MAX_ID_LEN {
        return Err(Error::new(ErrorKind::Invalid(
            "deviceId must be 1 to 128 bytes of text",
        )));
    }
    if options.label.len() > MAX_LABEL_LEN {
        return Err(Error::new(ErrorKind::Invalid(
            "label must be at most 256 bytes of text",
        )));
    }
    if !(1..=400 * 86_400_000).contains(&options.ttl_ms) {
        return Err(Error::new(ErrorKind::Invalid(
            "ttl must be a whole number of milliseconds from 1 to 400 days",
        )));
    }
    let mut payload = Vec::with_capacity(20 + options.device_id.len() + options.label.len());
    payload.push(VERSION);
    payload.extend_from_slice(&now.to_be_bytes());
    payload.extend_from_slice(&now.saturating_add(options.ttl_ms).to_be_bytes());
    payload.push(options.device_id.len() as u8);
    payload.extend_from_slice(options.device_id.as_bytes());
    payload.extend_from_slice(&(options.label.len() as u16).to_be_bytes());
    payload.extend_from_slice(options.label.as_bytes());
    let tag = hmac_sha256(key, &[DOMAIN, &payload]);
    let mut token = base64::encode(&payload, base64::URL_SAFE).to_string();
    token.push('.');
    token.push_str(&base64::encode(&tag, base64::URL_SAFE));
    Ok(token)
}

/// Checks a token against `keys` (the current key first, then retired ones still
/// honoured), its expiry and a revocation list of device ids. Every key's tag is
/// compared in constant time.
///
/// # Errors
///
/// The [`Rejection`]: malformed, bad signature, expired (at or after `expires_at`), or
/// revoked. Keys under 16 bytes never verify anything.
pub fn verify(
    keys: &[&[u8]],
    token: &str,
    now: i64,
    revoked: &[&str],
) -> Result<TrustedDevice, Rejection> {
    if token.len() > 1024 {
        return Err(Rejection::Malformed);
    }
    let (payload_text, tag_text) = token.split_once('.').ok_or(Rejection::Malformed)?;
    let payload = canonical(payload_text)?;
    let tag = canonical(tag_text)?;
    if tag.len() != 32 {
        return Err(Rejection::Malformed);
    }
    let mut key_index = None;
    for (index, key) in keys.iter().enumerate() {
        let good = key.len() >= MIN_KEY_LEN && same(&tag, &hmac_sha256(key, &[DOMAIN, &payload]));
        if good && key_index.is_none() {
            key_index = Some(index);
        }
    }
    let key_index = key_index.ok_or(Rejection::BadSignature)?;
    let device = parse(&payload, key_index).ok_or(Rejection::Malformed)?;
    if now >= device.expires_at {
        return Err(Rejection::Expired);
    }
    if revoked.contains(&device.device_id.as_str()) {
        return Err(Rejection::Revoked);
    }
    Ok(device)
}

/// The key's length is checked when a token is issued, and in [`verify`] by skipping.
pub(crate) fn check_key(key: &[u8]) -> Result<(), Error> {
    if key.len() < MIN_KEY_LEN || key.len() > crate::MAX_LEN {
        return Err(Error::new(ErrorKind::Key(key.len())));
    }
    Ok(())
}

/// Decodes base64 that is written the one way the encoder writes it: another spelling
/// of the same bytes is a different token.
fn canonical(text: &str) -> Result<Vec<u8>, Rejection> {
    let bytes = base64::decode(text).map_err(|_| Rejection::Malformed)?;
    if text.is_empty() || *base64::encode(&bytes, base64::URL_SAFE) != *text {
        return Err(Rejection::Malformed);
    }
    Ok(bytes.to_vec())
}

fn parse(payload: &[u8], key_index: usize) -> Option<TrustedDevice> {
    let (&version, rest) = payload.split_first()?;
    if version != VERSION {
        return None;
    }
    let issued_at = i64::from_be_bytes(rest.get(..8)?.try_into().ok()?);
    let expires_at = i64::from_be_bytes(rest.get(8..16)?.try_into().ok()?);
    let (&id_len, rest) = rest.get(16..)?.split_first()?;
    let id = rest.get(..usize::from(id_len))?;
    let rest = rest.get(usize::from(id_len)..)?;
    let label_len = u16::from_be_bytes(rest.get(..2)?.try_into().ok()?);
    let label = rest.get(2..)?;
    if label.len() != usize::from(label_len) || id.is_empty() {
        return None;
    }
    Some(TrustedDevice {
        device_id: String::from_utf8(id.to_vec()).ok()?,
        label: String::from_utf8(label.to_vec()).ok()?,
        issued_at,
        expires_at,
        key_index,
    })
}
