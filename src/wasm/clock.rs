//! The binding of `crate::otp::clock`: a clock offset from a response's `Date` header, and
//! whether it spoils codes (`estimateClockOffset`, `clockIsOff`). The `twofa` entry.
//!
//! Neither export touches a secret, so neither scrubs the stack.

use super::convert::{
    export, fail, given, period_of, reply_json, time, Input, Out, MAX_SAFE_INTEGER,
};
use super::record::record;
use crate::otp::ClockOffset;
use crate::Code;

record! {
    /// How far the computer's clock is from a server's: the true offset lies within
    /// `offsetMs ± errorMs`.
    impl crate::otp::ClockOffset as ClockOffset {
        /// The server's clock minus the computer's, in milliseconds: positive when the
        /// computer's clock is behind (slow). Add it to `Date.now()` for the server's time.
        offset_ms as "offsetMs": i64,
        /// The error bound, in milliseconds: 500 for the `Date` header's whole seconds plus
        /// half the round trip.
        error_ms as "errorMs": u64,
    }
}

/// A required time of the request in Unix milliseconds, rounded down, and whether it had
/// a fraction. `required` is the message when it is absent.
fn local_time(value: f64, name: &str, required: &str) -> Out<(i64, bool)> {
    if given(value).is_none() {
        return Err(fail(Code::InvalidOptions, required));
    }
    let ms = time(value, name)?;
    #[allow(clippy::cast_precision_loss)] // within a Date's range: exact
    Ok((ms, (ms as f64) < value))
}

/// A whole number of milliseconds from `min` to `Number.MAX_SAFE_INTEGER`, required: the
/// messages are `[when absent, when not such a number]`.
fn whole_ms(value: f64, min: f64, messages: [&str; 2]) -> Out<i64> {
    let [required, wrong] = messages;
    match given(value) {
        None => Err(fail(Code::InvalidOptions, required)),
        #[allow(clippy::cast_possible_truncation)] // whole and within 2^53: exact
        Some(n) if (min..=MAX_SAFE_INTEGER).contains(&n) && n as i64 as f64 == n => Ok(n as i64),
        Some(_) => Err(fail(Code::InvalidOptions, wrong)),
    }
}

export! {
    /// The offset from a `Date` header (the input; absent when the response had none) and
    /// the local times the request was sent and its response received, as `ClockOffset`
    /// JSON. A fraction of a millisecond widens the bound: the send time is rounded down,
    /// the receive time up.
    #[scrub = 0]
    fn clock_offset(date: u32, sent: f64, received: f64) {
        let input = Input::take()?;
        let [date] = input.texts([date])?;
        let (sent_ms, _) = local_time(sent, "sentAt", "sentAt is required")?;
        let (received_ms, fraction) = local_time(received, "receivedAt", "receivedAt is required")?;
        // Compared before rounding, which could put them in order.
        if received < sent {
            return Err(crate::otp::received_before_sent().into());
        }
        let received_ms = received_ms + i64::from(fraction);
        let Some(date) = date else {
            return Err(fail(
                Code::InvalidDate,
                "http date is missing: the response has no Date header",
            ));
        };
        reply_json(&ClockOffset::estimate(date, sent_ms, received_ms)?)
    }

    /// 1 when the estimate `offset ± error` is certainly off by more than half of
    /// `period` seconds (default 30), else 0.
    #[scrub = 0]
    fn clock_is_off(offset: f64, error: f64, period: f64) {
        let offset_ms = whole_ms(
            offset,
            -MAX_SAFE_INTEGER,
            ["offsetMs is required", "offsetMs must be a whole number of milliseconds"],
        )?;
        let error_ms = whole_ms(
            error,
            0.0,
            ["errorMs is required", "errorMs must be a whole number of milliseconds"],
        )?;
        let error_ms = u64::try_from(error_ms).unwrap_or(0);
        let period = period_of(period)?;
        Ok(f64::from(u8::from(ClockOffset { offset_ms, error_ms }.is_off(period)?)))
    }
}
