//! Action links: "reset your authenticator", "confirm your new alternative address", as
//! signed, expiring, URL-safe tokens that a site mails to a user and checks when the link
//! is opened. Each link carries its purpose and its user, and is bound to the state it
//! acts on, so that it works once and dies when that state changes.
//!
//! A token is `payload.tag`, both URL-safe base64 without padding, at most
//! [`MAX_TOKEN_LEN`] characters (about 150 for a short purpose and an e-mail address).
//! The payload holds a version byte, the issue and expiry times (big-endian Unix
//! milliseconds), a random 16-byte link id, the purpose and the user (each after a
//! one-byte length), and a 16-byte *state tag*: HMAC-SHA-256 under the site's key of a
//! domain string and the state, truncated. The state itself is never in the token, so a
//! state made from secrets does not leak, and without the key no one can work out which
//! state a tag stands for. The tag is HMAC-SHA-256 under the key of another domain string
//! and the payload: a trusted-device token is never a link, nor a link a device token.
//!
//! # The state, and why it makes a link single-use
//!
//! The state is text the site builds from what the link acts on, at the moment it sends
//! the link and again when the link is opened: for "reset the QR code by mail", the
//! revision of the user's 2FA record and the id of the current secret,
//! `"2fa:rev=41:secret=s-7"`. Once the link has done its work the record changes, its
//! revision with it, and the same link is refused as [`Rejection::StateChanged`]. So is
//! every link sent before any other change: a new secret set up some other way, 2FA
//! turned off, a newer link that superseded it (put the pending request's id in the
//! state). Nothing has to be stored per link, except the ids of links a user cancelled,
//! which go on the `revoked` list.
//!
//! Send a link only to an address already on the account (never one typed into the
//! request form), and ask for the second factor again for anything a link cannot undo.

use super::{check_key, random, Unsealed};
use crate::entropy::Entropy;
use crate::error::{Error, ErrorKind};
use alloc::string::String;
use alloc::vec::Vec;

/// One hour, in milliseconds.
pub const DEFAULT_TTL_MS: i64 = 3_600_000;
/// The longest lifetime: seven days, in milliseconds.
pub const MAX_TTL_MS: i64 = 7 * 86_400_000;
/// The shortest key: 128 bits. Use 32 random bytes.
pub const MIN_KEY_LEN: usize = super::MIN_KEY_LEN;
/// The longest purpose, in bytes.
pub const MAX_PURPOSE_LEN: usize = 64;
/// The longest user, in bytes.
pub const MAX_USER_LEN: usize = 255;
/// The longest state, in bytes.
pub const MAX_STATE_LEN: usize = 4096;
/// The longest token: a purpose of 64 bytes and a user of 255.
pub const MAX_TOKEN_LEN: usize = 538;

const VERSION: u8 = 1;
const DOMAIN: &[u8] = b"twofa action link v1\0";
const STATE_DOMAIN: &[u8] = b"twofa action link state v1\0";
const ID_LEN: usize = 16;
const STATE_TAG_LEN: usize = 16;

/// A link to issue.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct LinkOptions<'a> {
    /// What the link does, 1 to 64 bytes of printable ASCII, such as `"reset-totp"`: a
    /// link made for one purpose is refused for any other.
    pub purpose: &'a str,
    /// The user it acts for, 1 to 255 bytes: [`verify`] refuses it for anyone else.
    pub user: &'a str,
    /// A fingerprint of what the link acts on, up to 4,096 bytes, such as the revision of
    /// the user's 2FA record and the id of its secret: when it changes the link dies.
    /// Only a keyed hash of it goes into the token.
    pub state: &'a str,
    /// The lifetime in milliseconds, 1 ms to 7 days; [`DEFAULT_TTL_MS`] is an hour.
    pub ttl_ms: i64,
}

/// What [`issue`] made: put `token` in the link, and keep `link_id` if the user may
/// cancel the request. Its `Debug` leaves the token out: whoever holds it can use it.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedLink {
    /// URL-safe: `payload.tag`.
    pub token: String,
    /// The link's random id, 16 bytes in URL-safe base64: what a revocation list names.
    pub link_id: String,
    /// What the link does.
    pub purpose: String,
    /// The user it acts for.
    pub user: String,
    /// When it was issued, Unix milliseconds.
    pub issued_at: i64,
    /// The first instant it no longer works, Unix milliseconds.
    pub expires_at: i64,
}

/// What a link is checked against, besides the keys.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct LinkCheck<'a> {
    /// The time of the check, Unix milliseconds.
    pub now: i64,
    /// What the page that opened the link does: it must be the link's purpose.
    pub purpose: &'a str,
    /// The user the link names in your URL or session: it must be the link's user.
    pub user: &'a str,
    /// The fingerprint of the same things as at issue, built now.
    pub state: &'a str,
    /// Ids of links that were cancelled.
    pub revoked: &'a [&'a str],
}

/// A valid link, as its token describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionLink {
    /// The link id, URL-safe base64.
    pub link_id: String,
    /// What the link does.
    pub purpose: String,
    /// The user it acts for.
    pub user: String,
    /// When it was issued, Unix milliseconds.
    pub issued_at: i64,
    /// The first instant it is no longer valid, Unix milliseconds.
    pub expires_at: i64,
    /// Which of the keys given to [`verify`] signed it: 0 is the current key.
    pub key_index: usize,
}

/// Why a link was refused, in the order the checks are made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// Not a link: wrong shape, bad base64, too long, or a payload that does not parse.
    Malformed,
    /// The tag matches none of the keys: tampered, signed with a retired key, or a token
    /// of another kind (a trusted-device token).
    BadSignature,
    /// Valid, but its lifetime is over.
    Expired,
    /// Valid, but made for another purpose.
    WrongPurpose,
    /// Valid, but made for another user.
    WrongUser,
    /// Valid, but its id is on the revocation list: the user cancelled it.
    Revoked,
    /// Valid, but what it acts on has changed since: it was used, or superseded.
    StateChanged,
}

impl Rejection {
    /// `"MALFORMED"`, `"BAD_SIGNATURE"`, `"EXPIRED"`, `"WRONG_PURPOSE"`, `"WRONG_USER"`,
    /// `"REVOKED"` or `"STATE_CHANGED"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Rejection::Malformed => "MALFORMED",
            Rejection::BadSignature => "BAD_SIGNATURE",
            Rejection::Expired => "EXPIRED",
            Rejection::WrongPurpose => "WRONG_PURPOSE",
            Rejection::WrongUser => "WRONG_USER",
            Rejection::Revoked => "REVOKED",
            Rejection::StateChanged => "STATE_CHANGED",
        }
    }
}

/// Issues a link's token, valid from `now` until just before `now + ttl_ms`, with a link
/// id drawn from `entropy`.
///
/// # Errors
///
/// `INVALID_KEY` for a key under 16 bytes; `INVALID_OPTIONS` for a purpose, user or state
/// out of bounds or a lifetime out of range; `ENTROPY_UNAVAILABLE`.
///
/// # Example
///
/// "Reset the QR code by mail": the link is bound to the 2FA record's revision and the
/// secret's id, so it works until the reset is done, and never after.
///
/// ```
/// use twofa::flows::link::{self, LinkCheck, LinkOptions, Rejection};
///
/// # let mut s = 0x9e37_79b9_7f4a_7c15u64; let mut os_random = |buf: &mut [u8]| { for b in buf { s ^= s << 13; s ^= s >> 7; s ^= s << 17; *b = s as u8; } Ok(()) };
/// let key = [7u8; 32]; // 32 random bytes in real use, kept in your key store
/// let now = 1_700_000_000_000;
/// // The password was right, and "Reset QR by mail" was pressed: mail a link to the
/// // address on the account.
/// let state = "2fa:rev=41:secret=s-7";
/// let options = LinkOptions { purpose: "reset-totp", user: "ada", state, ttl_ms: link::DEFAULT_TTL_MS };
/// let issued = link::issue(&key, &options, now, &mut os_random)?;
/// let url = format!("https://example.com/reset?user=ada&link={}", issued.token);
/// assert!(url.len() < 200);
///
/// // The link is opened: check it against the record as it is now.
/// let check = LinkCheck { now: now + 60_000, purpose: "reset-totp", user: "ada", state, revoked: &[] };
/// let valid = link::verify(&[&key[..]], &issued.token, &check).unwrap();
/// assert_eq!((valid.link_id, valid.key_index), (issued.link_id, 0));
/// // Show a new QR code; once the new app's code confirms it, the record is revision 42
/// // with secret s-8, and the same link is dead.
/// let after = LinkCheck { state: "2fa:rev=42:secret=s-8", ..check };
/// assert_eq!(link::verify(&[&key[..]], &issued.token, &after), Err(Rejection::StateChanged));
/// // It is no other link either, and it expires in an hour.
/// let other = LinkCheck { purpose: "change-alternative-email", ..check };
/// assert_eq!(link::verify(&[&key[..]], &issued.token, &other), Err(Rejection::WrongPurpose));
/// let late = LinkCheck { now: issued.expires_at, ..check };
/// assert_eq!(link::verify(&[&key[..]], &issued.token, &late), Err(Rejection::Expired));
/// # Ok::<(), twofa::Error>(())
/// ```
pub fn issue(
    key: &[u8],
    options: &LinkOptions<'_>,
    now: i64,
    mut entropy: impl Entropy,
) -> Result<IssuedLink, Error> {
    check_key(key)?;
    check_fields(options.purpose, options.user, options.state)?;
    if !(1..=MAX_TTL_MS).contains(&options.ttl_ms) {
        return Err(Error::new(ErrorKind::Invalid(
            "ttl must be a whole number of milliseconds from 1 to 7 days",
        )));
    }
    let id = random::<ID_LEN>(&mut entropy)?;
    let expires_at = super::until(now, options.ttl_ms);
    let (purpose, user) = (options.purpose.as_bytes(), options.user.as_bytes());
    let mut payload = Vec::with_capacity(35 + purpose.len() + user.len() + STATE_TAG_LEN);
    payload.push(VERSION);
    payload.extend_from_slice(&now.to_be_bytes());
    payload.extend_from_slice(&expires_at.to_be_bytes());
    payload.extend_from_slice(&*id);
    payload.push(purpose.len() as u8);
    payload.extend_from_slice(purpose);
    payload.push(user.len() as u8);
    payload.extend_from_slice(user);
    payload.extend_from_slice(&state_tag(key, options.state));
    Ok(IssuedLink {
        token: super::seal(key, DOMAIN, &payload),
        link_id: super::b64(&*id),
        purpose: String::from(options.purpose),
        user: String::from(options.user),
        issued_at: now,
        expires_at,
    })
}

/// Checks a link's token against `keys` (the current key first, then retired ones still
/// honoured), then its expiry, its purpose, its user, the revocation list and its state,
/// in that order. Every key's tag is compared in constant time, and so is the state tag.
///
/// # Errors
///
/// The first [`Rejection`] that applies. Keys under 16 bytes never verify anything, and a
/// purpose, user or state that no link can carry is never matched.
pub fn verify(keys: &[&[u8]], token: &str, check: &LinkCheck<'_>) -> Result<ActionLink, Rejection> {
    let (payload, key_index) =
        super::open(keys, DOMAIN, token, MAX_TOKEN_LEN).map_err(|e| match e {
            Unsealed::Malformed => Rejection::Malformed,
            Unsealed::BadSignature => Rejection::BadSignature,
        })?;
    let (link, tag) = parse(&payload, key_index).ok_or(Rejection::Malformed)?;
    if check.now >= link.expires_at {
        return Err(Rejection::Expired);
    }
    if link.purpose != check.purpose {
        return Err(Rejection::WrongPurpose);
    }
    if link.user != check.user {
        return Err(Rejection::WrongUser);
    }
    if check.revoked.contains(&link.link_id.as_str()) {
        return Err(Rejection::Revoked);
    }
    let key = keys.get(key_index).ok_or(Rejection::BadSignature)?;
    if !super::same(tag, &state_tag(key, check.state)) {
        return Err(Rejection::StateChanged);
    }
    Ok(link)
}

/// The purpose, user and state a link can carry, or the `INVALID_OPTIONS` error that says
/// which is out of bounds. [`issue`] checks them; the JavaScript binding checks a
/// verification's too, so that a mistyped option throws rather than refuses every link.
pub(crate) fn check_fields(purpose: &str, user: &str, state: &str) -> Result<(), Error> {
    let printable = purpose.bytes().all(|b| (0x20..0x7f).contains(&b));
    if purpose.is_empty() || purpose.len() > MAX_PURPOSE_LEN || !printable {
        return Err(Error::new(ErrorKind::Invalid(
            "purpose must be 1 to 64 bytes of printable ASCII",
        )));
    }
    if user.is_empty() || user.len() > MAX_USER_LEN {
        return Err(Error::new(ErrorKind::Invalid(
            "user must be 1 to 255 bytes of text",
        )));
    }
    if state.len() > MAX_STATE_LEN {
        return Err(Error::new(ErrorKind::Invalid(
            "state must be at most 4096 bytes of text",
        )));
    }
    Ok(())
}

/// The state's tag under `key`: the first 16 bytes of HMAC-SHA-256 of a domain string
/// and the state.
fn state_tag(key: &[u8], state: &str) -> [u8; STATE_TAG_LEN] {
    let full = super::hmac_sha256(key, &[STATE_DOMAIN, state.as_bytes()]);
    let mut tag = [0u8; STATE_TAG_LEN];
    for (out, byte) in tag.iter_mut().zip(full) {
        *out = byte;
    }
    tag
}

/// The link a payload describes, and its state tag.
fn parse(payload: &[u8], key_index: usize) -> Option<(ActionLink, &[u8])> {
    let (&version, rest) = payload.split_first()?;
    if version != VERSION {
        return None;
    }
    let issued_at = i64::from_be_bytes(rest.get(..8)?.try_into().ok()?);
    let expires_at = i64::from_be_bytes(rest.get(8..16)?.try_into().ok()?);
    let id = rest.get(16..16 + ID_LEN)?;
    let (&purpose_len, rest) = rest.get(16 + ID_LEN..)?.split_first()?;
    let purpose = rest.get(..usize::from(purpose_len))?;
    let (&user_len, rest) = rest.get(usize::from(purpose_len)..)?.split_first()?;
    let user = rest.get(..usize::from(user_len))?;
    let tag = rest.get(usize::from(user_len)..)?;
    if tag.len() != STATE_TAG_LEN || purpose.is_empty() || user.is_empty() {
        return None;
    }
    let link = ActionLink {
        link_id: super::b64(id),
        purpose: String::from(core::str::from_utf8(purpose).ok()?),
        user: String::from(core::str::from_utf8(user).ok()?),
        issued_at,
        expires_at,
        key_index,
    };
    Some((link, tag))
}

/// The token is left out: it works for whoever holds it, until it expires.
impl core::fmt::Debug for IssuedLink {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("IssuedLink")
            .field("link_id", &self.link_id)
            .field("purpose", &self.purpose)
            .field("user", &self.user)
            .field("issued_at", &self.issued_at)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// The state is left out: it may be made from secrets.
impl core::fmt::Debug for LinkOptions<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("LinkOptions")
            .field("purpose", &self.purpose)
            .field("user", &self.user)
            .field("ttl_ms", &self.ttl_ms)
            .finish_non_exhaustive()
    }
}

/// The state is left out: it may be made from secrets.
impl core::fmt::Debug for LinkCheck<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("LinkCheck")
            .field("now", &self.now)
            .field("purpose", &self.purpose)
            .field("user", &self.user)
            .field("revoked", &self.revoked)
            .finish_non_exhaustive()
    }
}
