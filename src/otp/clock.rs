//! Clock checks: how far the computer's clock is from a server's, estimated from the HTTP
//! `Date` header of one response and the local times the request was sent and its response
//! received, with an error bound; and whether that offset is enough to spoil TOTP codes.
//!
//! Nothing here reads a clock: the local times are arguments, as everywhere in the core.
//!
//! # The estimate
//!
//! A server writes `Date` (RFC 9110 §6.6.1) with whole seconds, so when it wrote `D` its
//! clock read some time in `[D, D + 1 s)`. It wrote it after the request left (local time
//! `sent`) and before the response arrived (`received`). The offset `server − local`
//! therefore lies in the open interval `(D − received, D + 1000 − sent)` (milliseconds), and
//! [`ClockOffset`] is its midpoint with its half-width. Nothing else is assumed: not a
//! symmetric network path, not a prompt server.

use crate::error::{DateForm, DateProblem, Error, ErrorKind};

/// The longest HTTP date read: the longest valid one (RFC 850 with `Wednesday`) has 33
/// characters.
pub const MAX_HTTP_DATE_LEN: usize = 64;

/// The range of a JavaScript `Date`, in milliseconds either side of 1970: the local times
/// given must lie in it.
const MAX_TIME: i64 = 8_640_000_000_000_000;

/// A clock offset: `offset_ms` (server minus local, in milliseconds: positive when the
/// computer's clock is behind) give or take `error_ms`. The true offset lies within
/// `offset_ms ± error_ms`.
///
/// # Example
///
/// ```
/// use twofa::ClockOffset;
///
/// // The server said 12:00:00 while this clock read 11:57:55.0 to 11:57:55.2 (the request
/// // went out and its response came back): this clock is about 125 s slow.
/// let sent = 1_700_049_475_000; // 2023-11-15 11:57:55.000 UTC
/// let estimate = ClockOffset::estimate("Wed, 15 Nov 2023 12:00:00 GMT", sent, sent + 200)?;
/// assert_eq!((estimate.offset_ms, estimate.error_ms), (125_400, 600));
/// assert!(estimate.is_off(30)?);
/// # Ok::<(), twofa::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockOffset {
    /// The midpoint of the offsets that fit, in milliseconds: the server's clock minus the
    /// computer's. Add it to the local time to get the server's.
    pub offset_ms: i64,
    /// Half the width of the interval of offsets that fit: 500 ms (the `Date` header's
    /// whole seconds) plus half the round trip, rounded up.
    pub error_ms: u64,
}

impl ClockOffset {
    /// Estimates the offset from a response's `Date` header (`date`) and the local Unix
    /// milliseconds its request was sent (`sent_ms`) and its response received
    /// (`received_ms`). The date is read by [`parse_http_date`], with `received_ms` as the
    /// present for RFC 850's two-digit years.
    ///
    /// The offset lies in the open interval `(D − received, D + 1000 − sent)`; the result is
    /// its midpoint, rounded down, and the half-width, rounded up, so `offset_ms ± error_ms`
    /// covers it.
    ///
    /// # Errors
    ///
    /// - `INVALID_DATE` when `date` is not an HTTP date (see [`parse_http_date`]).
    /// - `INVALID_TIMESTAMP` when a time is outside the range of a JavaScript `Date`
    ///   (±8.64e15 ms), or the response was received before the request was sent.
    ///
    /// # Example
    ///
    /// ```
    /// use twofa::{ClockOffset, Code};
    ///
    /// // RFC 9110's example date, 1994-11-06 08:49:37 UTC, sent and received at once.
    /// let d = 784_111_777_000;
    /// let right = ClockOffset::estimate("Sun, 06 Nov 1994 08:49:37 GMT", d + 300, d + 300)?;
    /// assert_eq!((right.offset_ms, right.error_ms), (200, 500));
    ///
    /// let err = ClockOffset::estimate("Sun, 06 Nov 1994 08:49:37 GMT", d + 1, d).unwrap_err();
    /// assert_eq!(err.code(), Code::InvalidTimestamp);
    /// # Ok::<(), twofa::Error>(())
    /// ```
    pub fn estimate(date: &str, sent_ms: i64, received_ms: i64) -> Result<ClockOffset, Error> {
        check_time(sent_ms, "sent time is outside the range of a Date")?;
        check_time(received_ms, "received time is outside the range of a Date")?;
        if received_ms < sent_ms {
            return Err(received_before_sent());
        }
        let server_ms = parse_http_date(date, received_ms)?;
        // Each term is within a few times 8.64e15: no overflow in i64.
        let low = server_ms - received_ms;
        let width = 1000 + (received_ms - sent_ms);
        let error_ms = u64::try_from(width - width / 2).unwrap_or(u64::MAX);
        Ok(ClockOffset {
            offset_ms: low + width / 2,
            error_ms,
        })
    }

    /// True when the offset is certainly larger than TOTP codes of `period_seconds` allow:
    /// when even its smallest size, `|offset_ms| − error_ms`, is over half the period.
    ///
    /// Why half: a code is made for the step `floor(time / period)`. With the clock off by
    /// `x` (up to a period), the computer's step differs from the server's for the fraction
    /// `x / period` of the time. Past half a period, most codes the computer shows are for
    /// another step than the server's, so a site that accepts the current step only (RFC 6238
    /// §5.2 leaves the window to the site) refuses them more often than not, and even the
    /// usual one-step window is left with less than half a period to spare. Under half a
    /// period, or when the error bound leaves it unsure, nothing is said: a warning that may
    /// be wrong would teach people to ignore it.
    ///
    /// # Errors
    ///
    /// `INVALID_PERIOD` when `period_seconds` is 0.
    ///
    /// # Example
    ///
    /// ```
    /// use twofa::ClockOffset;
    ///
    /// let slow = ClockOffset { offset_ms: 16_000, error_ms: 500 };
    /// assert!(slow.is_off(30)?);   // at least 15.5 s: over 15 s
    /// assert!(!slow.is_off(60)?);  // under 30 s
    /// let unsure = ClockOffset { offset_ms: -15_400, error_ms: 500 };
    /// assert!(!unsure.is_off(30)?); // it may be 14.9 s
    /// # Ok::<(), twofa::Error>(())
    /// ```
    pub fn is_off(&self, period_seconds: u32) -> Result<bool, Error> {
        if period_seconds == 0 {
            return Err(Error::new(ErrorKind::Period(0)));
        }
        // |offset| − error > period / 2, in milliseconds: period × 500.
        let least = self.offset_ms.unsigned_abs().saturating_sub(self.error_ms);
        Ok(least > u64::from(period_seconds) * 500)
    }
}

/// The error of a response received before its request was sent.
pub(crate) fn received_before_sent() -> Error {
    Error::new(ErrorKind::ClockTimes(
        "the response was received before the request was sent",
    ))
}

fn check_time(ms: i64, message: &'static str) -> Result<(), Error> {
    if !(-MAX_TIME..=MAX_TIME).contains(&ms) {
        return Err(Error::new(ErrorKind::ClockTimes(message)));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// HTTP dates

/// Day names from Sunday, short (`IMF-fixdate`, asctime) and long (RFC 850).
const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const LONG_DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The short name of a weekday (0 is Sunday) or month (0 is January), for messages.
pub(crate) fn day_name(day: u8) -> &'static str {
    DAYS.get(usize::from(day)).copied().unwrap_or("?")
}

pub(crate) fn month_name(month: u8) -> &'static str {
    MONTHS
        .get(usize::from(month).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// Reads an HTTP date (RFC 9110 §5.6.7) into Unix milliseconds: the start of the second it
/// names. All three formats that recipients must read are read, exactly as RFC 9110's
/// grammar has them (names are case-sensitive, spaces single, the zone `GMT`):
///
/// - `IMF-fixdate`, as servers send it: `Sun, 06 Nov 1994 08:49:37 GMT`;
/// - obsolete RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT`. A two-digit year is read as
///   RFC 9110 requires, never more than 50 years after `now_ms`: the latest year with
///   those digits up to then. Only this needs `now_ms`.
/// - obsolete asctime: `Sun Nov  6 08:49:37 1994`.
///
/// Every field is checked: the day exists in its month (leap years included: 2000 has
/// Feb 29, 2100 does not), the hour is at most 23, the minute at most 59, and the second at
/// most 59, or 60 at 23:59 (a leap second, read as 23:59:59, which a POSIX clock
/// repeats). The weekday must be the date's: a `Date` that contradicts itself says nothing
/// trustworthy about the time, so it is refused rather than guessed at.
///
/// # Errors
///
/// - `INVALID_DATE` for anything else, naming the field or the character at fault.
/// - `INVALID_TIMESTAMP` when `now_ms` is outside the range of a JavaScript `Date`.
///
/// # Example
///
/// ```
/// use twofa::{parse_http_date, Code};
///
/// let now = 1_700_000_000_000; // November 2023
/// for date in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
///     assert_eq!(parse_http_date(date, now)?, 784_111_777_000);
/// }
/// let err = parse_http_date("Sun, 31 Nov 1994 08:49:37 GMT", now).unwrap_err();
/// assert_eq!(err.code(), Code::InvalidDate);
/// assert_eq!(err.to_string(), "http date has day 31, but Nov 1994 has days 1 to 30");
/// # Ok::<(), twofa::Error>(())
/// ```
pub fn parse_http_date(text: &str, now_ms: i64) -> Result<i64, Error> {
    check_time(now_ms, "now is outside the range of a Date")?;
    read_date(text, now_ms).map_err(|problem| Error::new(ErrorKind::HttpDate(problem)))
}

/// The fields of a date, as read.
struct Fields {
    weekday: u8,
    year: i64,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

/// The grammar of each form after its day name (RFC 9110 §5.6.7): `D` a digit of the day
/// (`d` a digit or the space of asctime's `SP DIGIT`), `Y` of the year, `h`, `m`, `s` of the
/// time, `MMM` a month name, `Z` the zone `GMT`; anything else stands for itself.
fn pattern(form: DateForm) -> &'static [u8] {
    match form {
        DateForm::ImfFixdate => b", DD MMM YYYY hh:mm:ss Z",
        DateForm::Rfc850 => b", DD-MMM-YY hh:mm:ss Z",
        DateForm::Asctime => b" MMM dD hh:mm:ss YYYY",
    }
}

/// Where the ASCII letters from byte `at` end.
fn word_end(bytes: &[u8], at: usize) -> usize {
    bytes
        .get(at..)
        .unwrap_or_default()
        .iter()
        .position(|b| !b.is_ascii_alphabetic())
        .map_or(bytes.len(), |n| at + n)
}

/// The 1-based character position of byte `at`.
fn position(text: &str, at: usize) -> usize {
    let before = text.as_bytes().get(..at).unwrap_or_default();
    before.iter().filter(|&&b| b & 0xc0 != 0x80).count() + 1
}

/// Reads the text by its form, which the day name and the character after it decide: a
/// long name is RFC 850; a short one followed by a space is asctime, else `IMF-fixdate`.
/// One loop walks the form's [`pattern`], so each field is read and checked in one place.
fn read_date(text: &str, now_ms: i64) -> Result<i64, DateProblem> {
    if text.is_empty() {
        return Err(DateProblem::Empty);
    }
    if text.len() > MAX_HTTP_DATE_LEN {
        return Err(DateProblem::TooLong {
            len: text.len(),
            max: MAX_HTTP_DATE_LEN,
        });
    }
    let bytes = text.as_bytes();
    let mut at = word_end(bytes, 0);
    let name = text.get(..at).unwrap_or_default();
    let (weekday, form) = if let Some(day) = LONG_DAYS.iter().position(|d| *d == name) {
        (day, DateForm::Rfc850)
    } else if let Some(day) = DAYS.iter().position(|d| *d == name) {
        let asctime = bytes.get(at) == Some(&b' ');
        (
            day,
            if asctime {
                DateForm::Asctime
            } else {
                DateForm::ImfFixdate
            },
        )
    } else {
        return Err(DateProblem::NoWeekday);
    };
    // Day, year, hour, minute, second.
    let mut numbers = [0u32; 5];
    let mut month = 0;
    let pattern = pattern(form);
    let mut p = 0;
    while let Some(&want) = pattern.get(p) {
        let got = bytes.get(at).copied();
        let slot = match want {
            b'D' | b'd' => 0,
            b'Y' => 1,
            b'h' => 2,
            b'm' => 3,
            b's' => 4,
            _ => usize::MAX,
        };
        if want == b'M' || want == b'Z' {
            let end = word_end(bytes, at);
            let word = text.get(at..end).unwrap_or_default();
            if want == b'Z' && word != "GMT" {
                return Err(DateProblem::Zone {
                    at: position(text, at),
                });
            }
            if want == b'M' {
                month =
                    MONTHS
                        .iter()
                        .position(|m| *m == word)
                        .ok_or_else(|| DateProblem::Month {
                            at: position(text, at),
                        })?
                        + 1;
                p += 2;
            }
            at = end;
            p += 1;
            continue;
        }
        match (numbers.get_mut(slot), got) {
            (Some(n), Some(digit @ b'0'..=b'9')) => *n = *n * 10 + u32::from(digit - b'0'),
            // asctime's `SP DIGIT` day.
            (Some(_), Some(b' ')) if want == b'd' => {}
            (None, Some(byte)) if byte == want => {}
            _ => {
                return Err(DateProblem::Syntax {
                    at: position(text, at),
                    form,
                })
            }
        }
        at += 1;
        p += 1;
    }
    if at != bytes.len() {
        return Err(DateProblem::Syntax {
            at: position(text, at),
            form,
        });
    }
    let [day, year, hour, minute, second] = numbers;
    let small = |n: u32| u8::try_from(n).unwrap_or(u8::MAX);
    let (day, hour, minute, second) = (small(day), small(hour), small(minute), small(second));
    let month = u8::try_from(month).unwrap_or(0);
    let year = match form {
        DateForm::Rfc850 => full_year(i64::from(year), (month, day, hour, minute, second), now_ms),
        _ => i64::from(year),
    };
    unix_ms(&Fields {
        weekday: u8::try_from(weekday).unwrap_or(0),
        year,
        month,
        day,
        hour,
        minute,
        second,
    })
}

/// The Unix milliseconds of checked fields.
fn unix_ms(f: &Fields) -> Result<i64, DateProblem> {
    let last = days_in_month(f.year, f.month);
    if f.day == 0 || f.day > last {
        return Err(DateProblem::Day {
            day: f.day,
            month: month_name(f.month),
            year: u16::try_from(f.year).unwrap_or(0),
            last,
        });
    }
    for (what, value, max) in [("hour", f.hour, 23), ("minute", f.minute, 59)] {
        if value > max {
            return Err(DateProblem::Field { what, value, max });
        }
    }
    let second = match f.second {
        0..=59 => f.second,
        60 if f.hour == 23 && f.minute == 59 => 59,
        60 => return Err(DateProblem::LeapSecond),
        value => {
            return Err(DateProblem::Field {
                what: "second",
                value,
                max: 60,
            })
        }
    };
    let days = days_from_civil(f.year, f.month, f.day);
    let actual = weekday(days);
    if actual != f.weekday {
        return Err(DateProblem::WrongWeekday {
            said: day_name(f.weekday),
            actual: day_name(actual),
        });
    }
    let seconds =
        days * 86_400 + i64::from(f.hour) * 3600 + i64::from(f.minute) * 60 + i64::from(second);
    Ok(seconds * 1000)
}

/// The year of RFC 850's two-digit `short` year: the latest year ending in those digits
/// whose date and time (`rest`: month, day, hour, minute, second) is not more than 50 years
/// after `now_ms`. RFC 9110 §5.6.7 requires a date that would be more than 50 years in the
/// future to be read as the most recent past year with the same digits; a 100-year window
/// ending 50 years ahead does that, and reads "00" in 1960 as 2000 rather than 1900.
fn full_year(short: i64, rest: (u8, u8, u8, u8, u8), now_ms: i64) -> i64 {
    let now_s = now_ms.div_euclid(1000);
    let (now_year, now_month, now_day) = civil_from_days(now_s.div_euclid(86_400));
    let of_day = now_s.rem_euclid(86_400);
    let now_time = (
        now_month,
        now_day,
        u8::try_from(of_day / 3600).unwrap_or(0),
        u8::try_from(of_day / 60 % 60).unwrap_or(0),
        u8::try_from(of_day % 60).unwrap_or(0),
    );
    let last = now_year + 50;
    let year = last - (last - short).rem_euclid(100);
    // More than 50 years later: compare the year first, then the rest of the date as written.
    if (year, rest) > (last, now_time) {
        year - 100
    } else {
        year
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (i64::from(month) + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The year, month (1 to 12) and day of days since 1970-01-01 (Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (
        year,
        u8::try_from(month).unwrap_or(1),
        u8::try_from(day).unwrap_or(1),
    )
}

/// The weekday of days since 1970-01-01 (a Thursday), 0 for Sunday.
fn weekday(days: i64) -> u8 {
    u8::try_from((days + 4).rem_euclid(7)).unwrap_or(0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::Code;

    /// 2023-11-14 22:13:20 UTC.
    const NOW: i64 = 1_700_000_000_000;

    fn ms(date: &str) -> Result<i64, String> {
        parse_http_date(date, NOW).map_err(|e| {
            assert_eq!(e.code(), Code::InvalidDate, "{date}");
            e.to_string()
        })
    }

    /// RFC 9110 §5.6.7's three examples, and dates around leap days and century years.
    #[test]
    fn valid_dates() {
        let cases: &[(&str, i64)] = &[
            ("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777),
            ("Sunday, 06-Nov-94 08:49:37 GMT", 784_111_777),
            ("Sun Nov  6 08:49:37 1994", 784_111_777),
            ("Sun Nov 06 08:49:37 1994", 784_111_777),
            ("Thu, 01 Jan 1970 00:00:00 GMT", 0),
            ("Wed, 31 Dec 1969 23:59:59 GMT", -1),
            ("Tue, 29 Feb 2000 12:00:00 GMT", 951_825_600),
            ("Wed, 01 Mar 2000 00:00:00 GMT", 951_868_800),
            ("Thu, 29 Feb 2024 00:00:00 GMT", 1_709_164_800),
            ("Thu Feb 29 00:00:00 2024", 1_709_164_800),
            ("Thursday, 29-Feb-24 00:00:00 GMT", 1_709_164_800),
            ("Sun, 28 Feb 2100 23:59:59 GMT", 4_107_542_399),
            ("Mon, 01 Mar 2100 00:00:00 GMT", 4_107_542_400),
            ("Tue, 14 Nov 2023 22:13:20 GMT", 1_700_000_000),
            ("Fri, 31 Dec 9999 23:59:59 GMT", 253_402_300_799),
            ("Sat, 01 Jan 0000 00:00:00 GMT", -62_167_219_200),
            // A leap second, read as the second the POSIX clock repeats.
            ("Sat, 31 Dec 2016 23:59:60 GMT", 1_483_228_799),
            ("Sat Dec 31 23:59:60 2016", 1_483_228_799),
        ];
        for &(date, seconds) in cases {
            assert_eq!(ms(date), Ok(seconds * 1000), "{date}");
        }
    }

    /// RFC 850's two-digit years, around "more than 50 years in the future" of now
    /// (2023-11-14 22:13:20).
    #[test]
    fn two_digit_years() {
        let year = |date: &str| {
            let days = ms(date).unwrap().div_euclid(86_400_000);
            civil_from_days(days).0
        };
        // 2073-11-14 22:13:20 is exactly 50 years on: not more, so this century.
        assert_eq!(year("Tuesday, 14-Nov-73 22:13:20 GMT"), 2073);
        // One second later is more than 50 years on: the century before.
        assert_eq!(year("Wednesday, 14-Nov-73 22:13:21 GMT"), 1973);
        assert_eq!(year("Monday, 13-Nov-73 00:00:00 GMT"), 2073);
        assert_eq!(year("Thursday, 15-Nov-73 00:00:00 GMT"), 1973);
        assert_eq!(year("Saturday, 01-Jan-00 00:00:00 GMT"), 2000);
        assert_eq!(year("Friday, 31-Dec-99 23:59:59 GMT"), 1999);
        assert_eq!(year("Wednesday, 01-Jan-70 00:00:00 GMT"), 2070);
        assert_eq!(year("Tuesday, 01-Jan-74 00:00:00 GMT"), 1974);
        // The day is checked in the year chosen: Feb 29 1900 does not exist, 2000's does.
        let late_1990s = 920_000_000_000; // 1999-02-26
        assert_eq!(
            parse_http_date("Tuesday, 29-Feb-00 00:00:00 GMT", late_1990s),
            Ok(951_782_400_000)
        );
        let in_1960 = -315_000_000_000; // 1960-01-07: 2000 is within 50 years
        assert_eq!(
            parse_http_date("Tuesday, 29-Feb-00 00:00:00 GMT", in_1960),
            Ok(951_782_400_000)
        );
        let in_1940 = -946_000_000_000; // 1940-01-07: 2000 is more than 50 years on
        assert_eq!(
            parse_http_date("Thursday, 29-Feb-00 00:00:00 GMT", in_1940)
                .unwrap_err()
                .to_string(),
            "http date has day 29, but Feb 1900 has days 1 to 28"
        );
    }

    /// Every malformed field, with its exact message.
    #[test]
    fn malformed_dates() {
        let cases: &[(&str, &str)] = &[
            ("", "http date is empty"),
            (
                "Sun, 06 Nov 1994 08:49:37 GMT                                    x",
                "http date is 66 bytes long; the most is 64",
            ),
            ("sun, 06 Nov 1994 08:49:37 GMT", "http date must begin with a day of the week (Sun to Sat, or Sunday to Saturday)"),
            ("06 Nov 1994 08:49:37 GMT", "http date must begin with a day of the week (Sun to Sat, or Sunday to Saturday)"),
            ("Sund, 06 Nov 1994 08:49:37 GMT", "http date must begin with a day of the week (Sun to Sat, or Sunday to Saturday)"),
            ("Sun,06 Nov 1994 08:49:37 GMT", "http date is malformed at character 5; its form is Sun, 06 Nov 1994 08:49:37 GMT"),
            ("Sun, 6 Nov 1994 08:49:37 GMT", "http date is malformed at character 7; its form is Sun, 06 Nov 1994 08:49:37 GMT"),
            ("Sun, 06  Nov 1994 08:49:37 GMT", "http date has an unknown month at character 9; months are Jan to Dec"),
            ("Sun, 06 nov 1994 08:49:37 GMT", "http date has an unknown month at character 9; months are Jan to Dec"),
            ("Sun, 06 November 1994 08:49:37 GMT", "http date has an unknown month at character 9; months are Jan to Dec"),
            ("Sun, 06 Nov 94 08:49:37 GMT", "http date is malformed at character 15; its form is Sun, 06 Nov 1994 08:49:37 GMT"),
            ("Sun, 06 Nov 1994 8:49:37 GMT", "http date is malformed at character 19; its form is Sun, 06 Nov 1994 08:49:37 GMT"),
            ("Sun, 06 Nov 1994 08.49.37 GMT", "http date is malformed at character 20; its form is Sun, 06 Nov 1994 08:49:37 GMT"),
            ("Sun, 06 Nov 1994 08:49 GMT", "http date is malformed at character 23; its form is Sun, 06 Nov 1994 08:49:37 GMT"),
            ("Sun, 06 Nov 1994 08:49:37 UTC", "http date must give the time in GMT at character 27"),
            ("Sun, 06 Nov 1994 08:49:37 gmt", "http date must give the time in GMT at character 27"),
            ("Sun, 06 Nov 1994 08:49:37 +0000", "http date must give the time in GMT at character 27"),
            ("Sun, 06 Nov 1994 08:49:37", "http date is malformed at character 26; its form is Sun, 06 Nov 1994 08:49:37 GMT"),
            ("Sun, 06 Nov 1994 08:49:37 GMT ", "http date is malformed at character 30; its form is Sun, 06 Nov 1994 08:49:37 GMT"),
            (" Sun, 06 Nov 1994 08:49:37 GMT", "http date must begin with a day of the week (Sun to Sat, or Sunday to Saturday)"),
            ("Sun, 06 Nov 1994 08:49:37 GMTé", "http date is malformed at character 30; its form is Sun, 06 Nov 1994 08:49:37 GMT"),
            ("Sun, ０6 Nov 1994 08:49:37 GMT", "http date is malformed at character 6; its form is Sun, 06 Nov 1994 08:49:37 GMT"),
            ("Sunday, 06 Nov 1994 08:49:37 GMT", "http date is malformed at character 11; its form is Sunday, 06-Nov-94 08:49:37 GMT"),
            ("Sunday, 06-Nov-1994 08:49:37 GMT", "http date is malformed at character 18; its form is Sunday, 06-Nov-94 08:49:37 GMT"),
            ("Sunday 06-Nov-94 08:49:37 GMT", "http date is malformed at character 7; its form is Sunday, 06-Nov-94 08:49:37 GMT"),
            ("Sun Nov 6 08:49:37 1994", "http date is malformed at character 10; its form is Sun Nov  6 08:49:37 1994"),
            ("Sun Nov  6 08:49:37 94", "http date is malformed at character 23; its form is Sun Nov  6 08:49:37 1994"),
            ("Sun Nov  6 08:49:37 1994 GMT", "http date is malformed at character 25; its form is Sun Nov  6 08:49:37 1994"),
            ("Sun Now  6 08:49:37 1994", "http date has an unknown month at character 5; months are Jan to Dec"),
            // Fields out of range.
            ("Sun, 00 Nov 1994 08:49:37 GMT", "http date has day 0, but Nov 1994 has days 1 to 30"),
            ("Thu, 31 Nov 1994 08:49:37 GMT", "http date has day 31, but Nov 1994 has days 1 to 30"),
            ("Thu, 99 Jan 1970 00:00:00 GMT", "http date has day 99, but Jan 1970 has days 1 to 31"),
            ("Mon, 29 Feb 2100 00:00:00 GMT", "http date has day 29, but Feb 2100 has days 1 to 28"),
            ("Fri, 29 Feb 2023 00:00:00 GMT", "http date has day 29, but Feb 2023 has days 1 to 28"),
            ("Sun, 30 Feb 2000 00:00:00 GMT", "http date has day 30, but Feb 2000 has days 1 to 29"),
            ("Sun, 06 Nov 1994 24:00:00 GMT", "http date has hour 24; the most is 23"),
            ("Sun, 06 Nov 1994 99:00:00 GMT", "http date has hour 99; the most is 23"),
            ("Sun, 06 Nov 1994 08:60:00 GMT", "http date has minute 60; the most is 59"),
            ("Sun, 06 Nov 1994 08:49:61 GMT", "http date has second 61; the most is 60"),
            ("Sun, 06 Nov 1994 08:49:60 GMT", "http date has second 60 outside 23:59:60, the only time of a leap second"),
            ("Sun Nov  6 23:58:60 1994", "http date has second 60 outside 23:59:60, the only time of a leap second"),
            // A weekday that is not the date's.
            ("Mon, 06 Nov 1994 08:49:37 GMT", "http date says Mon, but that date is a Sun"),
            ("Monday, 06-Nov-94 08:49:37 GMT", "http date says Mon, but that date is a Sun"),
            ("Sat Nov  6 08:49:37 1994", "http date says Sat, but that date is a Sun"),
            ("Mon, 29 Feb 2100 00:00:00 GMT", "http date has day 29, but Feb 2100 has days 1 to 28"),
        ];
        for &(date, message) in cases {
            assert_eq!(ms(date), Err(message.into()), "{date:?}");
        }
    }

    #[test]
    fn now_out_of_range() {
        let err = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", MAX_TIME + 1).unwrap_err();
        assert_eq!(err.code(), Code::InvalidTimestamp);
        assert_eq!(err.to_string(), "now is outside the range of a Date");
    }

    /// RFC 9110's date, 784,111,777 s: the bounds at their edges.
    #[test]
    fn estimates() {
        const DATE: &str = "Sun, 06 Nov 1994 08:49:37 GMT";
        const D: i64 = 784_111_777_000;
        // (sent, received, offset, error): offset ± error covers (D − received, D + 1000 − sent).
        let cases: &[(i64, i64, i64, u64)] = &[
            // Sent and received as the header was written: the header's second alone.
            (D, D, 500, 500),
            (D + 999, D + 999, -499, 500),
            (D + 1000, D + 1000, -500, 500),
            // A round trip of 200 ms widens the bound by 100 ms each way.
            (D, D + 200, 400, 600),
            // An odd width: the midpoint is rounded down and the half-width up.
            (D, D + 1, 499, 501),
            (D - 1, D, 500, 501),
            // A clock 125 s slow, and one 125 s fast.
            (D - 125_000, D - 124_800, 125_400, 600),
            (D + 125_000, D + 125_200, -124_600, 600),
            // Far apart and at the ends of a Date's range.
            (-MAX_TIME, MAX_TIME, D + 500, 8_640_000_000_000_500),
            (MAX_TIME, MAX_TIME, D - MAX_TIME + 500, 500),
        ];
        for &(sent, received, offset_ms, error_ms) in cases {
            let got = ClockOffset::estimate(DATE, sent, received).unwrap();
            assert_eq!(
                got,
                ClockOffset {
                    offset_ms,
                    error_ms
                },
                "sent {sent}, received {received}"
            );
            // The interval the estimate states holds the true one.
            let low = i128::from(D) - i128::from(received);
            let high = i128::from(D) + 1000 - i128::from(sent);
            assert!(i128::from(got.offset_ms) - i128::from(got.error_ms) <= low);
            assert!(i128::from(got.offset_ms) + i128::from(got.error_ms) >= high);
            assert!(i128::from(got.error_ms) * 2 - (high - low) <= 1);
        }
    }

    #[test]
    fn estimate_errors() {
        const DATE: &str = "Sun, 06 Nov 1994 08:49:37 GMT";
        let cases: &[(&str, i64, i64, Code, &str)] = &[
            (
                DATE,
                1001,
                1000,
                Code::InvalidTimestamp,
                "the response was received before the request was sent",
            ),
            (
                DATE,
                MAX_TIME + 1,
                MAX_TIME + 1,
                Code::InvalidTimestamp,
                "sent time is outside the range of a Date",
            ),
            (
                DATE,
                0,
                -MAX_TIME - 1,
                Code::InvalidTimestamp,
                "received time is outside the range of a Date",
            ),
            (
                DATE,
                i64::MIN,
                0,
                Code::InvalidTimestamp,
                "sent time is outside the range of a Date",
            ),
            (
                "Sun, 06 Nov 1994 08:49:37 UTC",
                0,
                0,
                Code::InvalidDate,
                "http date must give the time in GMT at character 27",
            ),
        ];
        for &(date, sent, received, code, message) in cases {
            let err = ClockOffset::estimate(date, sent, received).unwrap_err();
            assert_eq!((err.code(), err.to_string().as_str()), (code, message));
        }
    }

    #[test]
    fn is_off() {
        // (offset, error, period, off)
        let cases: &[(i64, u64, u32, bool)] = &[
            (0, 500, 30, false),
            (15_500, 500, 30, false), // at least 15 s: not over half
            (15_501, 500, 30, true),
            (-15_501, 500, 30, true),
            (-15_500, 500, 30, false),
            (125_400, 600, 30, true),
            (125_400, 600, 300, false),
            (125_400, 110_000, 30, true),  // at least 15.4 s
            (125_400, 110_400, 30, false), // unsure: it may be 15 s
            (125_400, 200_000, 30, false), // the bound spans zero
            (1_000, 0, 1, true),
            (500, 0, 1, false),
            (i64::MIN, 0, u32::MAX, true),
            (i64::MAX, u64::MAX, 30, false),
        ];
        for &(offset_ms, error_ms, period, off) in cases {
            let estimate = ClockOffset {
                offset_ms,
                error_ms,
            };
            assert_eq!(estimate.is_off(period), Ok(off), "{estimate:?} {period}");
        }
        let err = ClockOffset {
            offset_ms: 0,
            error_ms: 0,
        }
        .is_off(0)
        .unwrap_err();
        assert_eq!(err.code(), Code::InvalidPeriod);
    }

    /// Days and weekdays agree with the civil calendar both ways, over 800 years.
    #[test]
    fn calendar_round_trip() {
        let mut days = days_from_civil(1600, 1, 1);
        for year in 1600..2400 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    assert_eq!(days_from_civil(year, month, day), days);
                    assert_eq!(civil_from_days(days), (year, month, day));
                    days += 1;
                }
            }
        }
        assert_eq!(weekday(days_from_civil(1994, 11, 6)), 0);
        assert_eq!(weekday(days_from_civil(2000, 2, 29)), 2);
    }
}
