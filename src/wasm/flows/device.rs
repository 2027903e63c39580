//! Trusted devices (`crate::flows::device`).

use super::super::convert::{export, ms_option, reply_json, time, utf8, Input};
use super::super::record::{record, string_enum, union, No, Yes};
use super::text;
use crate::flows::device::{self, Check, DeviceOptions, Rejection, TrustedDevice};
use alloc::string::String;
use alloc::vec::Vec;

record! {
    /// What `issueDeviceToken` returns: give `token` to the browser, keep the rest for the
    /// list of trusted devices.
    pub(crate) struct IssuedDeviceToken {
        /// URL-safe: `payload.tag`.
        token: String,
        /// Your id for the device.
        device_id as "deviceId": String,
        /// What the user sees, such as "Firefox on Linux".
        label: String,
        /// Unix milliseconds.
        issued_at as "issuedAt": i64,
        /// The first instant the token no longer works.
        expires_at as "expiresAt": i64,
        /// Present when the token is bound to a user.
        user: Option<String>,
    }
}

record! {
    /// A valid token's device.
    pub(crate) struct DeviceAccepted {
        /// Always `true`.
        ok: Yes,
        /// Your id for the device.
        device_id as "deviceId": String,
        /// What the user sees.
        label: String,
        /// Unix milliseconds.
        issued_at as "issuedAt": i64,
        /// The first instant the token no longer works.
        expires_at as "expiresAt": i64,
        /// Which key signed it: 0 is the current one; more means reissue under it.
        key_index as "keyIndex": usize,
        /// Present when the token is bound to a user.
        user: Option<String>,
    }
}

string_enum! {
    /// Why a device token was refused.
    Rejection as "DeviceRejection" {
        Malformed, BadSignature, Expired, Revoked, WrongUser
    }
}

record! {
    /// A refused token.
    pub(crate) struct DeviceRefused {
        /// Always `false`.
        ok: No,
        /// Why.
        reason: Rejection,
    }
}

union! {
    /// What `verifyDeviceToken` returns.
    pub(crate) enum DeviceCheck {
        Accepted(DeviceAccepted),
        Refused(DeviceRefused),
    }
}

export! {
    /// Issues a device token under a key (the input's first segment, framed as
    /// `framed_keys` reads it); then the user, the device id and the label. As
    /// `IssuedDeviceToken` JSON.
    fn issue_device_token(key: u32, user: u32, device_id: u32, label: u32, ttl: f64, now: f64) {
        let input = Input::take()?;
        let [key, user, device_id, label] = input.segments([key, user, device_id, label])?;
        let (user, device_id, label) = (utf8(user)?, utf8(device_id)?, utf8(label)?);
        let key = super::key(key)?;
        let user = text(user, "user", 255)?;
        let device_id = super::required(device_id, "deviceId", 128)?;
        let label = text(label, "label", 256)?.unwrap_or_default();
        let ttl_ms = ms_option(ttl, "ttl", device::DEFAULT_TTL_MS)?;
        let at = time(now, "now")?;
        let options = DeviceOptions { user, device_id, label, ttl_ms };
        let token = device::issue(&key, &options, at)?;
        reply_json(&IssuedDeviceToken {
            token,
            device_id: String::from(device_id),
            label: String::from(label),
            issued_at: at,
            expires_at: crate::flows::until(at, ttl_ms),
            user: user.map(String::from),
        })
    }

    /// Checks a device token against the keys (the input's first segment, as
    /// `framed_keys` reads it; the current key first), then the token, the user and the
    /// revoked ids (a JSON list). As `DeviceCheck` JSON.
    fn verify_device_token(keys_len: u32, token: u32, user: u32, revoked: u32, now: f64) {
        let input = Input::take()?;
        let [framed, token, user, revoked] = input.segments([keys_len, token, user, revoked])?;
        let (token, user, revoked) = (utf8(token)?, utf8(user)?, utf8(revoked)?);
        let keys = super::keys(framed)?;
        let user = text(user, "user", 255)?;
        let revoked = super::revoked(revoked, 128, "revoked must be an array of device ids")?;
        let key_refs: Vec<&[u8]> = keys.iter().map(|k| k.as_slice()).collect();
        let revoked_refs: Vec<&str> = revoked.iter().map(String::as_str).collect();
        let check = Check { now: time(now, "now")?, user, revoked: &revoked_refs };
        let token = token.unwrap_or_default();
        let token = if token.len() > 2048 { "" } else { token };
        reply_json(&match device::verify(&key_refs, token, &check) {
            Ok(TrustedDevice { device_id, label, issued_at, expires_at, user, key_index }) => {
                DeviceCheck::Accepted(DeviceAccepted { ok: Yes, device_id, label, issued_at, expires_at, key_index, user })
            }
            Err(reason) => DeviceCheck::Refused(DeviceRefused { ok: No, reason }),
        })
    }
}
