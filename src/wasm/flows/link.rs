//! Action links (`crate::flows::link`).

use super::super::convert::{csprng, export, ms_option, reply_json, time, utf8, Input, Out};
use super::super::record::{record, string_enum, union, No, Yes};
use super::required;
use crate::flows::link::{self, ActionLink, IssuedLink, LinkCheck, LinkOptions, Rejection};
use alloc::string::String;
use alloc::vec::Vec;

record! {
    /// What `issueActionLink` returns: put `token` in the link you mail, and keep `linkId`
    /// if the user may cancel the request.
    pub(crate) struct IssuedActionLink {
        /// URL-safe: `payload.tag`, at most 538 characters.
        token: String,
        /// The link's random id (16 bytes, URL-safe base64): what `revoked` names.
        link_id as "linkId": String,
        /// What the link does, such as "reset-totp".
        purpose: String,
        /// The user it acts for.
        user: String,
        /// Unix milliseconds.
        issued_at as "issuedAt": i64,
        /// The first instant the link no longer works.
        expires_at as "expiresAt": i64,
    }
}

record! {
    /// A valid link.
    pub(crate) struct ActionLinkAccepted {
        /// Always `true`.
        ok: Yes,
        /// The link's id.
        link_id as "linkId": String,
        /// What the link does.
        purpose: String,
        /// The user it acts for.
        user: String,
        /// Unix milliseconds.
        issued_at as "issuedAt": i64,
        /// The first instant the link no longer works.
        expires_at as "expiresAt": i64,
        /// Which key signed it: 0 is the current one.
        key_index as "keyIndex": usize,
    }
}

string_enum! {
    /// Why an action link was refused, in the order the checks are made.
    Rejection as "ActionLinkRejection" {
        Malformed, BadSignature, Expired, WrongPurpose, WrongUser, Revoked, StateChanged
    }
}

record! {
    /// A refused link.
    pub(crate) struct ActionLinkRefused {
        /// Always `false`.
        ok: No,
        /// Why.
        reason: Rejection,
    }
}

union! {
    /// What `verifyActionLink` returns.
    pub(crate) enum ActionLinkCheck {
        Accepted(ActionLinkAccepted),
        Refused(ActionLinkRefused),
    }
}

/// The purpose, user and state, each required; their bounds are the core's, in bytes.
fn texts<'a>(
    purpose: Option<&'a str>,
    user: Option<&'a str>,
    state: Option<&'a str>,
) -> Out<(&'a str, &'a str, &'a str)> {
    Ok((
        required(purpose, "purpose", usize::MAX)?,
        required(user, "user", usize::MAX)?,
        required(state, "state", usize::MAX)?,
    ))
}

export! {
    /// Issues an action link under a key (the input's first segment, framed as
    /// `framed_keys` reads it); then the purpose, the user and the state. As
    /// `IssuedActionLink` JSON.
    fn issue_action_link(key: u32, purpose: u32, user: u32, state: u32, ttl: f64, now: f64) {
        let input = Input::take()?;
        let [key, purpose, user, state] = input.segments([key, purpose, user, state])?;
        let (purpose, user, state) = (utf8(purpose)?, utf8(user)?, utf8(state)?);
        let key = super::key(key)?;
        let (purpose, user, state) = texts(purpose, user, state)?;
        let ttl_ms = ms_option(ttl, "ttl", link::DEFAULT_TTL_MS)?;
        let options = LinkOptions { purpose, user, state, ttl_ms };
        let IssuedLink { token, link_id, purpose, user, issued_at, expires_at } =
            link::issue(&key, &options, time(now, "now")?, csprng)?;
        reply_json(&IssuedActionLink { token, link_id, purpose, user, issued_at, expires_at })
    }

    /// Checks an action link against the keys (the input's first segment, as
    /// `framed_keys` reads it; the current key first), then the token, the purpose, the
    /// user, the state and the revoked link ids (a JSON list). As `ActionLinkCheck` JSON.
    fn verify_action_link(keys: u32, token: u32, purpose: u32, user: u32, state: u32, revoked: u32, now: f64) {
        let input = Input::take()?;
        let [framed, token, purpose, user, state, revoked] =
            input.segments([keys, token, purpose, user, state, revoked])?;
        let (token, purpose, user) = (utf8(token)?, utf8(purpose)?, utf8(user)?);
        let (state, revoked) = (utf8(state)?, utf8(revoked)?);
        let keys = super::keys(framed)?;
        let (purpose, user, state) = texts(purpose, user, state)?;
        link::check_fields(purpose, user, state)?;
        let revoked = super::revoked(revoked, 64, "revoked must be an array of link ids")?;
        let key_refs: Vec<&[u8]> = keys.iter().map(|k| k.as_slice()).collect();
        let revoked_refs: Vec<&str> = revoked.iter().map(String::as_str).collect();
        let check = LinkCheck { now: time(now, "now")?, purpose, user, state, revoked: &revoked_refs };
        let token = token.unwrap_or_default();
        reply_json(&match link::verify(&key_refs, token, &check) {
            Ok(ActionLink { link_id, purpose, user, issued_at, expires_at, key_index }) => {
                ActionLinkCheck::Accepted(ActionLinkAccepted { ok: Yes, link_id, purpose, user, issued_at, expires_at, key_index })
            }
            Err(reason) => ActionLinkCheck::Refused(ActionLinkRefused { ok: No, reason }),
        })
    }
}
