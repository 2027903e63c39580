//! Trusted devices: "trust this device for 30 days" as a signed, URL-safe token that
//! the browser keeps (a cookie) and the site checks, with key rotation and revocation.
//!
//! A token is `payload.tag`, both URL-safe base64 without padding. The payload holds a
//! version byte, the issue and expiry times (big-endian Unix milliseconds), the device
//! id and its label; the tag is HMAC-SHA-256 under the site's key of a domain string and
//! the payload. The payload also holds the user the token was issued to. It is signed,
//! not encrypted: put no secret in it.
//!
//! Bind every token to its user: issue it with `user` and check it with the same
//! `user`. A token without that binding, issued while someone signed in to one
//! account, would skip the second factor on any other account whose password they know.

use super::{check_key, Unsealed};
use crate::error::{Error, ErrorKind};
use alloc::string::String;
use alloc::vec::Vec;

/// Thirty days, in milliseconds.
pub const DEFAULT_TTL_MS: i64 = 30 * 86_400_000;
/// The shortest key: 128 bits. Use 32 random bytes.
pub const MIN_KEY_LEN: usize = super::MIN_KEY_LEN;
/// The longest device id, in bytes.
pub const MAX_ID_LEN: usize = 128;
/// The longest label, in bytes.
pub const MAX_LABEL_LEN: usize = 256;

const VERSION: u8 = 1;
const DOMAIN: &[u8] = b"twofa trusted device v1\0";

/// A device to trust.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceOptions<'a> {
    /// The user it is trusted for, 1 to 255 bytes: [`verify`] refuses it for anyone else.
    pub user: Option<&'a str>,
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
    /// The user it was issued to, if it was bound to one.
    pub user: Option<String>,
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
    /// Valid, but issued to another user (or to none, or checked for none).
    WrongUser,
}

/// What a token is checked against, besides the keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Check<'a> {
    /// The time of the check, Unix milliseconds.
    pub now: i64,
    /// The user signing in: it must be the user the token was issued to.
    pub user: Option<&'a str>,
    /// Device ids that are no longer trusted.
    pub revoked: &'a [&'a str],
}

impl Rejection {
    /// `"MALFORMED"`, `"BAD_SIGNATURE"`, `"EXPIRED"`, `"REVOKED"` or `"WRONG_USER"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Rejection::Malformed => "MALFORMED",
            Rejection::BadSignature => "BAD_SIGNATURE",
            Rejection::Expired => "EXPIRED",
            Rejection::Revoked => "REVOKED",
            Rejection::WrongUser => "WRONG_USER",
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
/// use twofa::flows::device::{self, Check, DeviceOptions, Rejection};
///
/// let key = [7u8; 32]; // 32 random bytes in real use
/// let now = 1_700_000_000_000;
/// let options = DeviceOptions {
///     user: Some("ada"), device_id: "d-41", label: "Firefox on Linux", ttl_ms: 14 * 86_400_000,
/// };
/// let token = device::issue(&key, &options, now)?;
/// let check = Check { now: now + 1000, user: Some("ada"), revoked: &[] };
/// let device = device::verify(&[&key[..]], &token, &check).unwrap();
/// assert_eq!((device.device_id.as_str(), device.expires_at), ("d-41", now + 14 * 86_400_000));
/// // Someone else's sign-in, and "remove this device":
/// let bob = Check { user: Some("bob"), ..check };
/// assert_eq!(device::verify(&[&key[..]], &token, &bob), Err(Rejection::WrongUser));
/// let removed = Check { revoked: &["d-41"], ..check };
/// assert_eq!(device::verify(&[&key[..]], &token, &removed), Err(Rejection::Revoked));
/// # Ok::<(), twofa::Error>(())
/// ```
pub fn issue(key: &[u8], options: &DeviceOptions<'_>, now: i64) -> Result<String, Error> {
    check_key(key)?;
    if options.device_id.is_empty() || options.device_id.len() > MAX_ID_LEN {
        return Err(Error::new(ErrorKind::Invalid(
            "deviceId must be 1 to 128 bytes of text",
        )));
    }
    if options.user.is_some_and(|u| u.is_empty() || u.len() > 255) {
        return Err(Error::new(ErrorKind::Invalid(
            "user must be 1 to 255 bytes of text",
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
    let user = options.user.unwrap_or_default();
    let mut payload =
        Vec::with_capacity(24 + options.device_id.len() + options.label.len() + user.len());
    payload.push(VERSION);
    payload.extend_from_slice(&now.to_be_bytes());
    payload.extend_from_slice(&super::until(now, options.ttl_ms).to_be_bytes());
    payload.push(options.device_id.len() as u8);
    payload.extend_from_slice(options.device_id.as_bytes());
    payload.extend_from_slice(&(options.label.len() as u16).to_be_bytes());
    payload.extend_from_slice(options.label.as_bytes());
    payload.push(user.len() as u8);
    payload.extend_from_slice(user.as_bytes());
    Ok(super::seal(key, DOMAIN, &payload))
}

/// Checks a token against `keys` (the current key first, then retired ones still
/// honoured), its expiry, the user signing in and a revocation list of device ids.
/// Every key's tag is compared in constant time.
///
/// # Errors
///
/// The [`Rejection`]: malformed, bad signature, expired (at or after `expires_at`),
/// revoked, or issued to another user. Keys under 16 bytes never verify anything.
pub fn verify(keys: &[&[u8]], token: &str, check: &Check<'_>) -> Result<TrustedDevice, Rejection> {
    let (payload, key_index) = super::open(keys, DOMAIN, token, 1024).map_err(|e| match e {
        Unsealed::Malformed => Rejection::Malformed,
        Unsealed::BadSignature => Rejection::BadSignature,
    })?;
    let device = parse(&payload, key_index).ok_or(Rejection::Malformed)?;
    if check.now >= device.expires_at {
        return Err(Rejection::Expired);
    }
    if check.revoked.contains(&device.device_id.as_str()) {
        return Err(Rejection::Revoked);
    }
    if device.user.as_deref() != check.user {
        return Err(Rejection::WrongUser);
    }
    Ok(device)
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
    let label_len = usize::from(u16::from_be_bytes(rest.get(..2)?.try_into().ok()?));
    let label = rest.get(2..2 + label_len)?;
    let (&user_len, user) = rest.get(2 + label_len..)?.split_first()?;
    if user.len() != usize::from(user_len) || id.is_empty() {
        return None;
    }
    let user = if user.is_empty() {
        None
    } else {
        Some(String::from_utf8(user.to_vec()).ok()?)
    };
    Some(TrustedDevice {
        device_id: String::from_utf8(id.to_vec()).ok()?,
        label: String::from_utf8(label.to_vec()).ok()?,
        issued_at,
        expires_at,
        user,
        key_index,
    })
}
