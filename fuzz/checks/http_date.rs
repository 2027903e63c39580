//! HTTP dates and clock offsets: any text either reads as a date of a JavaScript `Date`'s
//! range or is refused with `INVALID_DATE` naming its problem; an estimate's interval
//! `offset ± error` holds the whole interval of offsets the date and the two times allow;
//! and the warning rule is answered for every period or refused with `INVALID_PERIOD`.

use super::common::{refused, Input};
use twofa::{parse_http_date, ClockOffset, Code, MAX_HTTP_DATE_LEN};

/// The range of a JavaScript `Date`, in milliseconds either side of 1970.
const MAX_TIME: i64 = 8_640_000_000_000_000;

pub fn check(data: &[u8]) {
    let mut input = Input::new(data);
    // A local time anywhere in (and a little past) a Date's range, a round trip of up to
    // about 65 s (or a reversed one), a period, then the header's text.
    let sent = input.i64() % (MAX_TIME + 2);
    let trip = i64::from(input.u16()) * i64::from(input.byte() % 4) - 1000;
    let period = u32::from(input.u16());
    let text = String::from_utf8_lossy(input.rest()).into_owned();
    let received = sent.saturating_add(trip);

    let in_range = |t: i64| (-MAX_TIME..=MAX_TIME).contains(&t);
    let date = parse_http_date(&text, received);
    match &date {
        Ok(d) => {
            assert!(
                in_range(received),
                "a date read against a time out of range"
            );
            assert!(
                text.len() <= MAX_HTTP_DATE_LEN,
                "{} bytes read as a date",
                text.len()
            );
            assert!(in_range(*d), "{d} is outside a Date's range");
            assert_eq!(d % 1000, 0, "an HTTP date has whole seconds");
            assert!(
                text.ends_with(" GMT") || text.len() == 24,
                "an accepted date of no form: {text:?}"
            );
        }
        Err(err) if !in_range(received) => refused(err, &[Code::InvalidTimestamp], &[]),
        Err(err) => refused(err, &[Code::InvalidDate], &[]),
    }

    match ClockOffset::estimate(&text, sent, received) {
        Ok(estimate) => {
            let d = *date
                .as_ref()
                .expect("an estimate reads its date as parse_http_date does");
            assert!(
                in_range(sent) && sent <= received,
                "times out of order or range gave an estimate"
            );
            // (d − received, d + 1000 − sent) lies within offset ± error.
            let low = i128::from(estimate.offset_ms) - i128::from(estimate.error_ms);
            let high = i128::from(estimate.offset_ms) + i128::from(estimate.error_ms);
            assert!(
                low <= i128::from(d) - i128::from(received),
                "{estimate:?} misses the low end"
            );
            assert!(
                high >= i128::from(d) + 1000 - i128::from(sent),
                "{estimate:?} misses the high end"
            );
            // And no wider than it needs: half the interval, rounded up.
            let width = 1000 + i128::from(received) - i128::from(sent);
            assert!(
                i128::from(estimate.error_ms) * 2 <= width + 1,
                "{estimate:?} is wider than its interval"
            );
            match estimate.is_off(period) {
                Ok(off) => {
                    assert!(period > 0);
                    let least =
                        i128::from(estimate.offset_ms).abs() - i128::from(estimate.error_ms);
                    assert_eq!(
                        off,
                        least * 2 > i128::from(period) * 1000,
                        "{estimate:?} at {period} s"
                    );
                }
                Err(err) => {
                    assert_eq!(period, 0, "{err}");
                    refused(&err, &[Code::InvalidPeriod], &[]);
                }
            }
        }
        Err(err) => refused(&err, &[Code::InvalidDate, Code::InvalidTimestamp], &[]),
    }
}
