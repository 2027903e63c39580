//! Throttling (`crate::flows::throttle`).

use super::super::convert::{export, ms_option, reply_json, time, u32_option, Input, Out};
use super::super::record::record;
use crate::flows::throttle::{self, ThrottlePolicy, ThrottleState};

record! {
    /// What `throttleCheck` returns.
    pub(crate) struct ThrottleDecision {
        /// Whether an attempt may be made now.
        allowed: bool,
        /// When an attempt may be made: `now` when allowed.
        retry_at as "retryAt": i64,
        /// Milliseconds until `retryAt`.
        wait: i64,
    }
}

/// A state from its JSON (the input's text), or a clean slate when there is none.
fn state(text: Option<&str>) -> Out<ThrottleState> {
    text.map_or_else(
        || Ok(ThrottleState::default()),
        super::super::convert::record,
    )
}

export! {
    /// Whether an attempt is allowed at `now`, for a state (its JSON, the input's text).
    fn throttle_check(state_json: u32, now: f64) {
        let input = Input::take()?;
        let [text] = input.texts([state_json])?;
        let at = time(now, "now")?;
        let d = throttle::check(state(text)?, at);
        reply_json(&ThrottleDecision { allowed: d.allowed, retry_at: d.retry_at, wait: d.retry_at.saturating_sub(at) })
    }

    /// The state after a failed attempt at `now` under a policy (default: 5 free
    /// attempts, then 1 s doubling up to 15 minutes).
    fn throttle_failure(state_json: u32, free_attempts: f64, base_delay: f64, max_delay: f64, now: f64) {
        let input = Input::take()?;
        let [text] = input.texts([state_json])?;
        let defaults = ThrottlePolicy::default();
        let policy = ThrottlePolicy {
            free_attempts: u32_option(free_attempts, "freeAttempts", defaults.free_attempts)?,
            base_delay_ms: ms_option(base_delay, "baseDelay", defaults.base_delay_ms)?,
            max_delay_ms: ms_option(max_delay, "maxDelay", defaults.max_delay_ms)?,
        };
        reply_json(&throttle::failure(state(text)?, &policy, time(now, "now")?)?)
    }

    /// The state after a successful attempt (the input's text is the state it replaces,
    /// if any): a clean slate, at the next revision.
    fn throttle_success(state_json: u32) {
        let input = Input::take()?;
        let [text] = input.texts([state_json])?;
        reply_json(&throttle::success(state(text)?)?)
    }
}
