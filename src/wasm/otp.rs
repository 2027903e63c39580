//! The binding of `crate::otp`: secrets, and the TOTP and HOTP generators behind the
//! `Totp` and `Hotp` classes, and the shape check of typed codes. The `twofa` entry.
//!
//! One kind of handle serves both classes, as one core type ([`Otp`]) holds either
//! generator: the module carries one set of exports instead of two.

use super::convert::{
    counter, counter_text, export, fail, given, lock, reply, reply_bytes, reply_json, reply_with,
    short_text, time, whole, Input, Message, Out, Slab, MAX_SAFE_INTEGER, SCRUB_CODES, SHORT_TEXT,
};
use super::record::{record, union, Counter, No, Yes};
use super::uri::{format, key_from_options, Account, AccountOptions};
use crate::otp::{Format, Hotp, OtpCode, Secret, Totp, VerifyOptions, Window};
use crate::transfer::{KeyUri, Otp};
use crate::{Code, Error};
use alloc::string::String;
use core::cell::Cell;
use spin::Mutex;

/// Every live `Secret` of the page.
static SECRETS: Mutex<Slab<Secret>> = Mutex::new(Slab::new());
/// Every live `Totp` and `Hotp` of the page.
static GENERATORS: Mutex<Slab<Generator>> = Mutex::new(Slab::new());

/// A TOTP or HOTP generator with the names a URI carries, whether its counter came as a
/// bigint (matches then come back as bigints), and the delta of its last match.
pub(crate) struct Generator {
    key: KeyUri,
    /// False when no account name was given: the `account` getter is then `undefined`.
    account_given: bool,
    bigint: bool,
    matched: Cell<i64>,
}

impl Generator {
    fn totp(&self) -> Out<&Totp> {
        match &self.key.otp {
            Otp::Totp(totp) => Ok(totp),
            Otp::Hotp { .. } => Err(fail(Code::InternalError, "not a totp generator")),
        }
    }

    fn hotp(&self) -> Out<(&Hotp, u64)> {
        match &self.key.otp {
            Otp::Hotp { hotp, counter } => Ok((hotp, *counter)),
            Otp::Totp(_) => Err(fail(Code::InternalError, "not an hotp generator")),
        }
    }

    /// The counter to start from: the instance's when none is given.
    fn start(&self, given: Option<(u64, bool)>, instance: u64) -> (u64, bool) {
        given.unwrap_or((instance, self.bigint))
    }
}

/// A window side: a whole number of steps, at most `MAX_WINDOW`; one when absent.
fn window_side(steps: f64, name: &str) -> Out<u32> {
    let Some(steps) = given(steps) else {
        return Ok(1);
    };
    let steps = whole(steps, MAX_SAFE_INTEGER).ok_or_else(|| {
        Message::new(Code::InvalidWindow)
            .with(name)
            .with(" must be a whole number of steps")
            .done()
    })?;
    Ok(crate::otp::check_window(steps)?)
}

/// The longest token read: longer input is refused by its length alone.
const MAX_TOKEN_CHARS: usize = 64;

fn too_long_token(text: &str, format: Format) -> Option<Error> {
    let found = super::convert::chars(text);
    (found > MAX_TOKEN_CHARS).then(|| {
        Error::new(crate::error::ErrorKind::TokenLength {
            expected: format.len(),
            found,
        })
    })
}

/// A token, refused by its length when it is far too long to be one.
fn token(text: Option<&str>, format: Format) -> Out<&str> {
    let text = text.unwrap_or_default();
    match too_long_token(text, format) {
        Some(err) => Err(err.into()),
        None => Ok(text),
    }
}

/// A TOTP match in one number, so the JavaScript layer needs no second call: `step ·
/// 2048 + delta + 1024` while that is exact (a step under 2^42), else `-2 - step`, and the
/// delta is read with `otp_matched`. A delta is at most `MAX_WINDOW` (1000) either way.
#[allow(clippy::cast_precision_loss)]
fn match_answer(step: u64, delta: i64) -> f64 {
    const _: () = assert!(crate::otp::MAX_WINDOW < 1024);
    match u64::try_from(delta + 1024) {
        Ok(low) if step < 1 << 42 => (step * 2048 + low) as f64,
        _ => -2.0 - step as f64,
    }
}

/// Refuses a number counter whose search would pass `Number.MAX_SAFE_INTEGER`.
fn check_reach(start: u64, bigint: bool, reach: u64) -> Out<()> {
    if !bigint && start.saturating_add(reach) > MAX_SAFE_INTEGER as u64 {
        return Err(fail(
            Code::InvalidCounter,
            "counter + window passes Number.MAX_SAFE_INTEGER; pass the counter as a bigint",
        ));
    }
    Ok(())
}

/// A code as a number, which JavaScript turns into text faster than it reads text: a
/// code of `d` digits with value `v` is `v + d * 2^34` (every code of up to 10 digits is
/// under 2^34), and JavaScript writes `v` with `d` digits, leading zeros kept. A Steam code
/// goes to the output as text, and its answer is minus its length.
fn code_answer(code: &OtpCode) -> Out<f64> {
    let text = code.as_str();
    if let Some(value) = text.bytes().try_fold(0u64, |v, b| {
        b.is_ascii_digit().then(|| v * 10 + u64::from(b - b'0'))
    }) {
        #[allow(clippy::cast_precision_loss)] // under 2^38: exact
        return Ok((value + ((text.len() as u64) << 34)) as f64);
    }
    reply(text)?;
    #[allow(clippy::cast_precision_loss)]
    Ok(-(text.len() as f64))
}

/// The default resynchronisation look-ahead (RFC 4226 §7.4 suggests a large one).
const DEFAULT_RESYNC_WINDOW: u32 = 100;

record! {
    /// What a generator is, as its getters show it.
    pub(crate) struct GeneratorInfo {
        ..account: Account,
        /// T0 in Unix milliseconds (TOTP).
        epoch: Option<i64>,
        /// False when no account name was given.
        account_given as "accountGiven": bool,
    }
}

export! {
    /// A new secret from `crypto.getRandomValues`: `byte_length` bytes, default 20.
    fn secret_generate(byte_length: f64) {
        let len = match given(byte_length) {
            None => crate::DEFAULT_LEN,
            Some(n) => {
                let n = whole(n, MAX_SAFE_INTEGER).ok_or_else(|| {
                    fail(Code::SecretLength, "byteLength must be a whole number from 16 to 64")
                })?;
                usize::try_from(n).map_err(|_| crate::otp::generate_length(n))?
            }
        };
        let secret = Secret::generate(len, super::convert::csprng)?;
        Ok(lock(&SECRETS)?.insert(secret))
    }

    /// A secret from lenient base32, the input's text.
    fn secret_from_base32(text: u32) {
        let input = Input::take()?;
        let [text] = input.texts([text])?;
        let secret = Secret::from_base32(text.unwrap_or_default())?;
        Ok(lock(&SECRETS)?.insert(secret))
    }

    /// A secret from raw bytes, the input's.
    fn secret_from_bytes(bytes: u32) {
        let input = Input::take()?;
        let [bytes] = input.segments([bytes])?;
        let secret = Secret::from_bytes(bytes.unwrap_or_default())?;
        Ok(lock(&SECRETS)?.insert(secret))
    }

    /// Canonical base32, or grouped for typing by hand.
    fn secret_text(secret: u32, grouped: bool) {
        let secrets = lock(&SECRETS)?;
        let secret = secrets.get(secret)?;
        reply(&if grouped { secret.to_grouped() } else { secret.to_base32() })
    }

    /// The raw bytes.
    fn secret_bytes(secret: u32) {
        reply_bytes(lock(&SECRETS)?.get(secret)?.as_bytes())
    }

    /// The length in bytes, times two, plus one when the secret is weak (under 128 bits).
    #[scrub = 0]
    fn secret_size(secret: u32) {
        let secrets = lock(&SECRETS)?;
        let secret = secrets.get(secret)?;
        Ok((secret.len() * 2 + usize::from(secret.is_weak())) as f64)
    }

    /// An independent copy.
    fn secret_clone(secret: u32) {
        let mut secrets = lock(&SECRETS)?;
        let copy = secrets.get(secret)?.clone();
        Ok(secrets.insert(copy))
    }

    /// Constant-time equality.
    fn secret_equals(a: u32, b: u32) {
        let secrets = lock(&SECRETS)?;
        Ok(f64::from(u8::from(secrets.get(a)? == secrets.get(b)?)))
    }

    /// Zeroes a secret now.
    #[scrub = 0]
    fn secret_free(secret: u32) {
        lock(&SECRETS)?.remove(secret);
        Ok(0.0)
    }

    /// A generator from its options, each checked for its JavaScript type already, its
    /// texts in the input: the secret's base32 when `secret` is 0, else that `Secret`'s.
    /// `Hotp`'s options when `hotp`, else `Totp`'s. With `uri_only`, the generator is not
    /// kept: its URI is the answer (`buildUri`).
    fn otp_new(
        hotp: bool,
        uri_only: bool,
        secret: u32,
        secret_text: u32,
        algorithm: u32,
        digits: f64,
        period: f64,
        epoch: f64,
        counter_value: f64,
        counter_digits: u32,
        encoder: u32,
        issuer: u32,
        account: u32,
        image: u32,
    ) {
        let input = Input::take()?;
        let [secret_text, algorithm, counter_digits, encoder, issuer, account, image] =
            input.texts([secret_text, algorithm, counter_digits, encoder, issuer, account, image])?;
        let secret = if secret == 0 {
            Secret::from_base32(secret_text.unwrap_or_default())?
        } else {
            lock(&SECRETS)?.get(secret)?.clone()
        };
        let counter = counter(counter_value, counter_digits)?;
        let account_given = account.is_some();
        let key = key_from_options(AccountOptions {
            hotp,
            secret,
            algorithm,
            digits,
            period,
            epoch,
            counter: counter.map(|c| c.0),
            encoder,
            issuer,
            account,
            image,
        })?;
        if uri_only {
            return reply_with(key.uri_capacity(), |out| key.write_uri(out));
        }
        Ok(lock(&GENERATORS)?.insert(Generator {
            key,
            account_given,
            bigint: counter.is_some_and(|c| c.1),
            matched: Cell::new(0),
        }))
    }

    /// A generator from an otpauth:// URI (the input) of the type asked for.
    fn otp_from_uri(uri: u32, hotp: bool) {
        let input = Input::take()?;
        let [uri] = input.texts([uri])?;
        let key = KeyUri::parse(uri.unwrap_or_default())?.key;
        let expected = match (&key.otp, hotp) {
            (Otp::Totp(_), true) => "hotp",
            (Otp::Hotp { .. }, false) => "totp",
            _ => "",
        };
        if !expected.is_empty() {
            return Err(Error::new(crate::error::ErrorKind::UriKind { expected }).into());
        }
        let bigint = matches!(key.otp, Otp::Hotp { counter, .. } if counter > MAX_SAFE_INTEGER as u64);
        Ok(lock(&GENERATORS)?.insert(Generator {
            key,
            account_given: true,
            bigint,
            matched: Cell::new(0),
        }))
    }

    /// The canonical otpauth:// URI.
    fn otp_to_uri(otp: u32) {
        let generators = lock(&GENERATORS)?;
        let key = &generators.get(otp)?.key;
        reply_with(key.uri_capacity(), |out| key.write_uri(out))
    }

    /// What the getters show, as `GeneratorInfo` JSON.
    fn otp_info(otp: u32) {
        let generators = lock(&GENERATORS)?;
        let generator = generators.get(otp)?;
        let epoch = match &generator.key.otp {
            Otp::Totp(totp) => Some(totp.epoch_ms()),
            Otp::Hotp { .. } => None,
        };
        let mut account = Account::of(&generator.key);
        if let Account::Hotp(h) = &mut account {
            h.counter = Counter {
                value: h.counter.value,
                bigint: generator.bigint,
            };
        }
        reply_json(&GeneratorInfo {
            account,
            epoch,
            account_given: generator.account_given,
        })
    }

    /// A copy of the secret.
    fn otp_secret(otp: u32) {
        let copy = lock(&GENERATORS)?.get(otp)?.key.otp.secret().clone();
        Ok(lock(&SECRETS)?.insert(copy))
    }

    /// TOTP: the code at `at` (default now). HOTP: the code for a number counter (default
    /// the instance's), or for the bigint whose digits are the input. See [`code_answer`]
    /// for the answer.
    #[scrub = SCRUB_CODES]
    fn otp_generate(otp: u32, at: f64, digits: u32) {
        let generators = lock(&GENERATORS)?;
        let code = match &generators.get(otp)?.key.otp {
            Otp::Totp(totp) => totp.code_at(time(at, "timestamp")?)?,
            Otp::Hotp { hotp, counter: instance } => {
                let input = Input::take()?;
                let [digits] = input.texts([digits])?;
                let counter = counter(at, digits)?.map_or(*instance, |c| c.0);
                hotp.code(counter)
            }
        };
        code_answer(&code)
    }

    /// TOTP: checks a token against the window around `at`. The token is `packed` (see
    /// [`short_text`]), or the input when `packed` is `NaN`. See [`match_answer`] for the
    /// answer; the delta is also kept for `otp_matched`.
    #[scrub = SCRUB_CODES]
    fn totp_verify(otp: u32, text: u32, packed: f64, at: f64, past: f64, future: f64, after_step: f64) {
        let mut short = [0u8; SHORT_TEXT];
        let input;
        let text = match given(packed) {
            Some(packed) => Some(short_text(packed, &mut short)?),
            None => {
                input = Input::take()?;
                let [text] = input.texts([text])?;
                text
            }
        };
        let generators = lock(&GENERATORS)?;
        let generator = generators.get(otp)?;
        let totp = generator.totp()?;
        let text = token(text, totp.format())?;
        let at = time(at, "timestamp")?;
        let both = past.to_bits() == future.to_bits();
        let window = Window {
            past: window_side(past, if both { "window" } else { "window.past" })?,
            future: window_side(future, if both { "window" } else { "window.future" })?,
        };
        let after_step = given(after_step)
            .map(|a| {
                whole(a, MAX_SAFE_INTEGER).ok_or_else(|| {
                    fail(Code::InvalidOptions, "afterStep must be a whole number: a step returned by verify")
                })
            })
            .transpose()?;
        Ok(match totp.verify(text, at, VerifyOptions { window, after_step })? {
            None => -1.0,
            Some(m) => {
                generator.matched.set(m.delta);
                match_answer(m.step, m.delta)
            }
        })
    }

    /// HOTP: checks a token (the input) against `counter ..= counter + window`: the delta,
    /// with the matched counter's text in the output (see `counter_text`), or -1.
    #[scrub = SCRUB_CODES]
    fn hotp_verify(otp: u32, text: u32, from: f64, from_digits: u32, window: f64) {
        let input = Input::take()?;
        let [text, from_digits] = input.texts([text, from_digits])?;
        let generators = lock(&GENERATORS)?;
        let generator = generators.get(otp)?;
        let (hotp, instance) = generator.hotp()?;
        let text = token(text, hotp.format())?;
        let (start, bigint) = generator.start(counter(from, from_digits)?, instance);
        let window = window_side(window, "window")?;
        check_reach(start, bigint, u64::from(window))?;
        match hotp.verify(text, start, window)? {
            None => Ok(-1.0),
            Some(m) => {
                reply(&counter_text(m.counter, bigint))?;
                Ok(m.delta as f64)
            }
        }
    }

    /// The delta of the last TOTP match.
    #[scrub = 0]
    fn otp_matched(otp: u32) {
        Ok(lock(&GENERATORS)?.get(otp)?.matched.get() as f64)
    }

    /// TOTP: the time step at `at`, or the milliseconds until the next one.
    #[scrub = 0]
    fn totp_time(otp: u32, at: f64, remaining: bool) {
        let generators = lock(&GENERATORS)?;
        let totp = generators.get(otp)?.totp()?;
        let at = time(at, "timestamp")?;
        Ok(if remaining { totp.remaining_ms(at)? } else { totp.step_at(at)? } as f64)
    }

    /// HOTP: resynchronises (RFC 4226 §7.4) from two codes (the input): 1 with the next
    /// counter to expect in the output (see `counter_text`), or 0.
    #[scrub = SCRUB_CODES]
    fn hotp_resync(otp: u32, first: u32, second: u32, from: f64, from_digits: u32, window: f64) {
        let input = Input::take()?;
        let [first, second, from_digits] = input.texts([first, second, from_digits])?;
        let generators = lock(&GENERATORS)?;
        let generator = generators.get(otp)?;
        let (hotp, instance) = generator.hotp()?;
        let (first, second) = (token(first, hotp.format())?, token(second, hotp.format())?);
        let (start, bigint) = generator.start(counter(from, from_digits)?, instance);
        let window = match given(window) {
            None => DEFAULT_RESYNC_WINDOW,
            Some(w) => whole(w, MAX_SAFE_INTEGER)
                .and_then(|w| u32::try_from(w).ok())
                .ok_or_else(|| fail(Code::InvalidWindow, "window must be a whole number of counters"))?,
        };
        check_reach(start, bigint, u64::from(window) + 2)?;
        match hotp.resync(first, second, start, window)? {
            None => Ok(0.0),
            Some(next) => {
                reply(&counter_text(next, bigint))?;
                Ok(1.0)
            }
        }
    }

    /// Zeroes a generator now.
    #[scrub = 0]
    fn otp_free(otp: u32) {
        lock(&GENERATORS)?.remove(otp);
        Ok(0.0)
    }

    /// A token's shape as it is typed (`checkToken`), as `TokenShape` JSON.
    fn check_token(text: u32, digits: f64, encoder: u32) {
        let input = Input::take()?;
        let [text, encoder] = input.texts([text, encoder])?;
        let text = text.unwrap_or_default();
        let format = format(digits, encoder)?;
        let shape = match too_long_token(text, format).map_or_else(|| format.normalize(text), Err) {
            Ok(token) => TokenShape::Ok(TokenOk { ok: Yes, token }),
            Err(err) => TokenShape::Rejected(TokenRejected {
                ok: No,
                incomplete: format.is_unfinished(text),
                message: err.message(),
            }),
        };
        reply_json(&shape)
    }
}

record! {
    /// A well-formed token.
    pub(crate) struct TokenOk {
        /// Always `true`.
        ok: Yes,
        /// The token as `verify` reads it: separators and white space gone, Steam codes
        /// in upper case.
        token: String,
    }
}

record! {
    /// A token that is not well formed, or not yet.
    pub(crate) struct TokenRejected {
        /// Always `false`.
        ok: No,
        /// True while more typing could still make it right: show it as unfinished, not
        /// wrong.
        incomplete: bool,
        /// The message `verify` would throw with, such as "token has a non-digit at
        /// position 3".
        message: String,
    }
}

union! {
    /// What `checkToken` returns: a well-formed token, or why not yet.
    pub(crate) enum TokenShape {
        Ok(TokenOk),
        Rejected(TokenRejected),
    }
}
