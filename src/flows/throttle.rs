//! Throttling (RFC 4226 §7.3): a few free attempts, then a lock-out that doubles with
//! each further failure, up to a ceiling. The state is two numbers the caller keeps per
//! account, and every function returns the next state.

use super::next_revision;
use crate::error::Error;

/// The throttling policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures allowed before any lock-out.
    pub free_attempts: u32,
    /// The first lock-out, in milliseconds; each further failure doubles it.
    pub base_delay_ms: i64,
    /// The longest lock-out, in milliseconds.
    pub max_delay_ms: i64,
}

impl Default for ThrottlePolicy {
    /// Five free attempts, then 1 s, 2 s, 4 s … up to 15 minutes.
    fn default() -> ThrottlePolicy {
        ThrottlePolicy {
            free_attempts: 5,
            base_delay_ms: 1000,
            max_delay_ms: 900_000,
        }
    }
}

/// What the caller keeps per account. The default is a clean slate that was never
/// stored (revision 0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ThrottleState {
    /// Failures since the last success.
    pub failures: u32,
    /// No attempt is allowed before this instant, Unix milliseconds (0: none).
    pub locked_until: i64,
    /// One more than the state it follows: write a state only over the revision that
    /// was read, or parallel failures would count once.
    pub revision: u64,
}

/// What [`check`] says about an attempt now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottleDecision {
    /// Whether an attempt may be made now.
    pub allowed: bool,
    /// When the next attempt may be made: `now` when it is allowed.
    pub retry_at: i64,
}

/// Whether an attempt is allowed at `now`, and if not, when it will be.
///
/// # Example
///
/// ```
/// use twofa::flows::throttle::{self, ThrottlePolicy, ThrottleState};
///
/// let policy = ThrottlePolicy { free_attempts: 1, base_delay_ms: 1000, max_delay_ms: 4000 };
/// let mut state = ThrottleState::default();
/// let mut now = 0;
/// state = throttle::failure(state, &policy, now)?; // free
/// assert!(throttle::check(state, now).allowed);
/// state = throttle::failure(state, &policy, now)?; // locked for 1 s
/// assert_eq!(throttle::check(state, now).retry_at, 1000);
/// now = 1000;
/// assert!(throttle::check(state, now).allowed);
/// state = throttle::success(state)?;
/// assert_eq!(state, ThrottleState { failures: 0, locked_until: 0, revision: 3 });
/// # Ok::<(), twofa::Error>(())
/// ```
#[must_use]
pub fn check(state: ThrottleState, now: i64) -> ThrottleDecision {
    if now < state.locked_until {
        ThrottleDecision {
            allowed: false,
            retry_at: state.locked_until,
        }
    } else {
        ThrottleDecision {
            allowed: true,
            retry_at: now,
        }
    }
}

/// The state after a failed attempt at `now`, at the next revision.
///
/// # Errors
///
/// `INVALID_RECORD` when the state's revision is the last there is.
pub fn failure(
    state: ThrottleState,
    policy: &ThrottlePolicy,
    now: i64,
) -> Result<ThrottleState, Error> {
    let failures = state.failures.saturating_add(1);
    let over = failures.saturating_sub(policy.free_attempts);
    let locked_until = if over == 0 {
        state.locked_until
    } else {
        let doublings = over - 1;
        let delay = if doublings >= 62 {
            policy.max_delay_ms
        } else {
            policy
                .base_delay_ms
                .saturating_mul(1i64 << doublings)
                .min(policy.max_delay_ms)
        };
        super::until(now, delay.max(0)).max(state.locked_until)
    };
    Ok(ThrottleState {
        failures,
        locked_until,
        revision: next_revision(Some(state.revision))?,
    })
}

/// The state after a successful attempt: a clean slate, at the next revision.
///
/// # Errors
///
/// `INVALID_RECORD` when the state's revision is the last there is.
pub fn success(state: ThrottleState) -> Result<ThrottleState, Error> {
    Ok(ThrottleState {
        failures: 0,
        locked_until: 0,
        revision: next_revision(Some(state.revision))?,
    })
}
