//! Google Authenticator's bulk export, `otpauth-migration://offline?data=…`: a base64
//! protobuf `MigrationPayload` holding many accounts, split into batches of QR codes.
//!
//! The message, as Google Authenticator writes it:
//!
//! ```text
//! MigrationPayload { repeated OtpParameters otp_parameters = 1; int32 version = 2;
//!                    int32 batch_size = 3; int32 batch_index = 4; int32 batch_id = 5; }
//! OtpParameters    { bytes secret = 1; string name = 2; string issuer = 3;
//!                    Algorithm algorithm = 4;   // 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5
//!                    DigitCount digits = 5;     // 0 unspecified, 1 six, 2 eight
//!                    OtpType type = 6;          // 0 unspecified, 1 HOTP, 2 TOTP
//!                    int64 counter = 7; }
//! ```
//!
//! Fields equal to their default are left out on the wire: an account without field 4
//! is SHA-1, without field 5 has six digits.

use super::base64;
use super::uri::{label_for, split_label, KeyUri, Otp};
use super::warning::{Unrepresentable, Unsupported, Warning, WarningKind};
use crate::error::{Error, ErrorKind};
use crate::otp::{Algorithm, Format, Hotp, Secret, Totp, DEFAULT_PERIOD, MAX_LEN};
use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// The most accounts in one exported batch, as Google Authenticator does.
pub const MAX_BATCH_ACCOUNTS: usize = 10;
/// The longest exported URI, in bytes, unless one account alone is longer: a QR code of
/// version 20 at error correction M holds it, which phone cameras read off a screen.
pub const MAX_BATCH_URI_LEN: usize = 640;
/// The longest URI of one account alone: what a version-40 QR code holds at error
/// correction M. An account whose URI is longer is left out of an export.
pub const MAX_QR_URI_LEN: usize = 2_331;

/// One account of a migration batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrationAccount {
    /// The account, its issuer and account name split as [`KeyUri::parse`] splits a label.
    pub key: KeyUri,
    /// The `name` field as written, such as `Example:alice@google.com`.
    pub name: String,
}

/// A decoded `otpauth-migration://` URI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Migration {
    /// The accounts twofa can use, in the order written.
    pub accounts: Vec<MigrationAccount>,
    /// How many URIs the export has.
    pub batch_size: i32,
    /// This URI's 0-based place among them.
    pub batch_index: i32,
    /// The same for every URI of one export.
    pub batch_id: i32,
    /// The payload version (Google Authenticator writes 1).
    pub version: i32,
    /// Accounts left out, weak secrets and the like; `account_index` counts every
    /// account written, left out or not.
    pub warnings: Vec<Warning>,
}

/// The exported URIs and what had to be said about the accounts. `Debug` shows only
/// how many URIs there are: each carries secrets.
#[derive(Clone, PartialEq, Eq)]
pub struct MigrationExport {
    /// One URI a QR code; scan them in order.
    pub uris: Vec<String>,
    /// Accounts that were left out, with why.
    pub warnings: Vec<Warning>,
}

impl core::fmt::Debug for MigrationExport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MigrationExport")
            .field("uris", &format_args!("[{} uris]", self.uris.len()))
            .field("warnings", &self.warnings)
            .finish()
    }
}

impl Migration {
    /// Decodes an `otpauth-migration://offline?data=…` URI.
    ///
    /// Accounts twofa cannot use (MD5, an unknown type or digit count, an empty secret)
    /// are left out with an `UNSUPPORTED_ACCOUNT` warning; the rest are read.
    ///
    /// # Errors
    ///
    /// `INVALID_MIGRATION` for another scheme, a missing or malformed `data` parameter,
    /// or a payload that is not the protobuf message above, naming the byte offset;
    /// `INVALID_URI` for a URI over [`super::MAX_URI_LEN`] bytes.
    ///
    /// # Example
    ///
    /// ```
    /// let uri = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC";
    /// let batch = twofa::Migration::parse(uri)?;
    /// let account = &batch.accounts[0];
    /// assert_eq!(account.name, "Example:alice@google.com");
    /// assert_eq!(account.key.issuer.as_deref(), Some("Example"));
    /// assert_eq!(account.key.account, "alice@google.com");
    /// assert_eq!(account.key.otp.secret().to_base32(), "JBSWY3DPEHPK3PXP");
    /// assert_eq!(batch.warnings[0].code(), "WEAK_SECRET");
    /// # Ok::<(), twofa::Error>(())
    /// ```
    pub fn parse(uri: &str) -> Result<Migration, Error> {
        if uri.len() > super::MAX_URI_LEN {
            return Err(super::uri::too_long(uri.len()));
        }
        let uri = uri.trim();
        let rest = uri
            .get(..PREFIX.len())
            .filter(|p| p.eq_ignore_ascii_case(PREFIX))
            .and_then(|_| uri.get(PREFIX.len()..))
            .ok_or_else(|| Error::new(ErrorKind::MigrationScheme))?;
        let query = rest
            .strip_prefix('?')
            .ok_or_else(|| Error::new(ErrorKind::MigrationScheme))?;
        let query = query.split_once('#').map_or(query, |(q, _)| q);
        let mut data = None;
        for pair in query.split('&') {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if name.eq_ignore_ascii_case("data") && data.replace(value).is_some() {
                return Err(Error::new(ErrorKind::DuplicateParam("data")));
            }
        }
        let data = data.ok_or_else(|| Error::new(ErrorKind::MissingParam("data")))?;
        let text = percent_decode(data)?;
        let payload = base64::decode(&text).map_err(|e| match e {
            base64::Invalid::Char(position) => Error::new(ErrorKind::Base64Char(position)),
            base64::Invalid::Length => Error::new(ErrorKind::Base64Length),
        })?;
        read_payload(&payload)
    }
}

const PREFIX: &str = "otpauth-migration://offline";

impl MigrationExport {
    /// Encodes accounts as Google Authenticator export URIs, in batches of at most
    /// [`MAX_BATCH_ACCOUNTS`] accounts and [`MAX_BATCH_URI_LEN`] bytes.
    ///
    /// The format has no period, no Steam codes and only 6 or 8 digits. An account it
    /// cannot carry exactly is left out with an `UNREPRESENTABLE_ACCOUNT` warning, never
    /// changed: a 60-second account exported as a 30-second one would show wrong codes.
    /// So is one whose names no reader would give back unchanged (an empty issuer, white
    /// space at either end), and one too long for any QR code ([`MAX_QR_URI_LEN`]). The
    /// format has no logo either: an account with an `image` is exported without it,
    /// with an `IMAGE_LEFT_OUT` warning, since its codes are unchanged.
    /// `batch_id` should be random, and the same for every call of one export.
    ///
    /// # Example
    ///
    /// ```
    /// use twofa::{KeyUri, Migration, MigrationExport, Otp, Secret, Totp};
    ///
    /// let totp = Totp::new(Secret::from_base32("JBSWY3DPEHPK3PXP")?);
    /// let key = KeyUri { otp: Otp::Totp(totp), issuer: Some("Example".into()),
    ///                    account: "alice@google.com".into(), image: None };
    /// let export = MigrationExport::build(&[key.clone()], 7);
    /// assert!(export.warnings.is_empty());
    /// let batch = Migration::parse(&export.uris[0])?;
    /// assert_eq!(batch.accounts[0].key, key);
    /// assert_eq!((batch.batch_size, batch.batch_index, batch.batch_id), (1, 0, 7));
    /// # Ok::<(), twofa::Error>(())
    /// ```
    #[must_use]
    pub fn build(accounts: &[KeyUri], batch_id: i32) -> MigrationExport {
        let mut warnings = Vec::new();
        let mut encoded = Vec::new();
        for (index, key) in accounts.iter().enumerate() {
            let account = encode_account(key).and_then(|bytes| {
                // Alone in a batch it must still fit a QR code.
                let alone = uri_for(&[&bytes], 16_383, 16_383, batch_id).len();
                if alone > MAX_QR_URI_LEN {
                    Err(Unrepresentable::TooLong {
                        len: alone,
                        max: MAX_QR_URI_LEN,
                    })
                } else {
                    Ok(bytes)
                }
            });
            match account {
                Ok(bytes) => {
                    if key.image.is_some() {
                        warnings.push(Warning::for_account(WarningKind::ImageLeftOut, index));
                    }
                    encoded.push(bytes);
                }
                Err(why) => warnings.push(Warning::for_account(
                    WarningKind::Unrepresentable(why),
                    index,
                )),
            }
        }
        // Greedy batches. A batch's header changes its base64 tail, and with it how many
        // characters need percent-encoding, so the measure is checked on the real URIs and
        // tightened until every batch of more than one account fits.
        let mut limit = MAX_BATCH_URI_LEN;
        loop {
            let batches = split(&encoded, limit, batch_id);
            let size = i32::try_from(batches.len()).unwrap_or(i32::MAX);
            let uris: Vec<String> = batches
                .iter()
                .enumerate()
                .map(|(i, batch)| {
                    let index = i32::try_from(i).unwrap_or(i32::MAX);
                    // Moved out, not copied: the zeroizing buffer is left empty.
                    core::mem::take(&mut *uri_for(batch, size, index, batch_id))
                })
                .collect();
            let fits = batches
                .iter()
                .zip(&uris)
                .all(|(batch, uri)| batch.len() == 1 || uri.len() <= MAX_BATCH_URI_LEN);
            if fits || limit < 64 {
                return MigrationExport { uris, warnings };
            }
            limit -= 16;
        }
    }
}

/// Accounts in order, in batches of at most [`MAX_BATCH_ACCOUNTS`] whose URI measured
/// with a provisional header is at most `limit` bytes.
fn split(encoded: &[Zeroizing<Vec<u8>>], limit: usize, batch_id: i32) -> Vec<Vec<&[u8]>> {
    let mut batches: Vec<Vec<&[u8]>> = Vec::new();
    let mut current: Vec<&[u8]> = Vec::new();
    for account in encoded {
        current.push(account);
        let fits = current.len() <= MAX_BATCH_ACCOUNTS
            && uri_for(&current, 16_383, 16_383, batch_id).len() <= limit;
        if !fits && current.len() > 1 {
            current.pop();
            batches.push(core::mem::take(&mut current));
            current.push(account);
        }
    }
    if !current.is_empty() {
        batches.push(current);
    }
    batches
}

// ---------------------------------------------------------------------------------------
// Writing

fn encode_account(key: &KeyUri) -> Result<Zeroizing<Vec<u8>>, Unrepresentable> {
    if key.check_label().is_err() {
        return Err(Unrepresentable::Label);
    }
    let format = key.otp.format();
    if format.is_steam() {
        return Err(Unrepresentable::Steam);
    }
    let digits = match format.len() {
        6 => 1,
        8 => 2,
        n => return Err(Unrepresentable::Digits(n)),
    };
    let (kind, counter) = match &key.otp {
        Otp::Totp(totp) if totp.period() != DEFAULT_PERIOD => {
            return Err(Unrepresentable::Period(totp.period()));
        }
        Otp::Totp(totp) if totp.epoch_ms() != 0 => return Err(Unrepresentable::Epoch),
        Otp::Totp(_) => (2, 0),
        Otp::Hotp { counter, .. } => (
            1,
            i64::try_from(*counter).map_err(|_| Unrepresentable::Counter)?,
        ),
    };
    let algorithm = match key.otp.algorithm() {
        Algorithm::Sha1 => 1,
        Algorithm::Sha256 => 2,
        Algorithm::Sha512 => 3,
    };
    let secret = key.otp.secret().as_bytes();
    let name = label_for(key.issuer.as_deref(), &key.account);
    let issuer = key.issuer.as_deref().unwrap_or_default();
    let mut out = Zeroizing::new(Vec::with_capacity(
        secret.len() + name.len() + issuer.len() + 48,
    ));
    put_bytes(&mut out, 1, secret);
    put_bytes(&mut out, 2, name.as_bytes());
    if !issuer.is_empty() {
        put_bytes(&mut out, 3, issuer.as_bytes());
    }
    put_varint_field(&mut out, 4, algorithm);
    put_varint_field(&mut out, 5, digits);
    put_varint_field(&mut out, 6, kind);
    if counter != 0 {
        put_varint_field(&mut out, 7, counter.unsigned_abs());
    }
    Ok(out)
}

/// The URI of one batch.
fn uri_for(accounts: &[&[u8]], size: i32, index: i32, id: i32) -> Zeroizing<String> {
    let body: usize = accounts.iter().map(|a| a.len() + 12).sum();
    let mut payload = Zeroizing::new(Vec::with_capacity(body + 40));
    for account in accounts {
        put_bytes(&mut payload, 1, account);
    }
    put_varint_field(&mut payload, 2, 1);
    put_int32_field(&mut payload, 3, size);
    put_int32_field(&mut payload, 4, index);
    put_int32_field(&mut payload, 5, id);
    let b64 = base64::encode(&payload, base64::STANDARD);
    let mut uri = Zeroizing::new(String::with_capacity(PREFIX.len() + 6 + 3 * b64.len()));
    uri.push_str(PREFIX);
    uri.push_str("?data=");
    for c in b64.chars() {
        match c {
            '+' => uri.push_str("%2B"),
            '/' => uri.push_str("%2F"),
            '=' => uri.push_str("%3D"),
            c => uri.push(c),
        }
    }
    uri
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn put_varint_field(out: &mut Vec<u8>, field: u64, value: u64) {
    put_varint(out, field << 3);
    put_varint(out, value);
}

fn put_int32_field(out: &mut Vec<u8>, field: u64, value: i32) {
    if value != 0 {
        // int32 is sign-extended to 64 bits on the wire.
        put_varint_field(out, field, i64::from(value) as u64);
    }
}

fn put_bytes(out: &mut Vec<u8>, field: u64, bytes: &[u8]) {
    put_varint(out, (field << 3) | 2);
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

// ---------------------------------------------------------------------------------------
// Reading

/// A protobuf reader over a bounded buffer; errors carry the byte offset in the payload.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    fn error(&self) -> Error {
        Error::new(ErrorKind::Protobuf(self.base + self.pos))
    }

    fn done(&self) -> bool {
        self.pos >= self.buf.len()
    }

    fn varint(&mut self) -> Result<u64, Error> {
        let start = self.pos;
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let Some(&b) = self.buf.get(self.pos) else {
                self.pos = start;
                return Err(self.error());
            };
            self.pos += 1;
            if shift == 63 && b > 1 {
                self.pos = start;
                return Err(self.error());
            }
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        self.pos = start;
        Err(self.error())
    }

    /// A field key: its number and wire type.
    fn key(&mut self) -> Result<(u64, u8), Error> {
        let at = self.pos;
        let key = self.varint()?;
        let wire = (key & 7) as u8;
        if key >> 3 == 0 || wire > 5 || wire == 3 || wire == 4 {
            // Field 0 does not exist; groups (3, 4) are not in this message.
            self.pos = at;
            return Err(self.error());
        }
        Ok((key >> 3, wire))
    }

    fn bytes(&mut self) -> Result<Reader<'a>, Error> {
        let at = self.pos;
        let len = self.varint()?;
        let start = self.pos;
        let end = usize::try_from(len)
            .ok()
            .and_then(|len| start.checked_add(len))
            .filter(|&end| end <= self.buf.len());
        match (end, self.buf.get(start..end.unwrap_or(start))) {
            (Some(end), Some(slice)) => {
                self.pos = end;
                Ok(Reader {
                    buf: slice,
                    pos: 0,
                    base: self.base + start,
                })
            }
            _ => {
                self.pos = at;
                Err(self.error())
            }
        }
    }

    fn skip(&mut self, wire: u8) -> Result<(), Error> {
        let width = match wire {
            0 => return self.varint().map(drop),
            2 => return self.bytes().map(drop),
            1 => 8,
            _ => 4, // 5
        };
        if self.pos + width > self.buf.len() {
            return Err(self.error());
        }
        self.pos += width;
        Ok(())
    }

    /// A varint field's value, or an error if the field has another wire type.
    fn expect_varint(&mut self, wire: u8, at: usize) -> Result<u64, Error> {
        if wire != 0 {
            self.pos = at;
            return Err(self.error());
        }
        self.varint()
    }

    fn expect_bytes(&mut self, wire: u8, at: usize) -> Result<Reader<'a>, Error> {
        if wire != 2 {
            self.pos = at;
            return Err(self.error());
        }
        self.bytes()
    }
}

/// Protobuf's int32: the low 32 bits of the varint.
fn int32(value: u64) -> i32 {
    value as u32 as i32
}

fn read_payload(payload: &[u8]) -> Result<Migration, Error> {
    let mut r = Reader {
        buf: payload,
        pos: 0,
        base: 0,
    };
    let mut out = Migration {
        accounts: Vec::new(),
        batch_size: 0,
        batch_index: 0,
        batch_id: 0,
        version: 0,
        warnings: Vec::new(),
    };
    let mut index = 0usize;
    while !r.done() {
        let at = r.pos;
        let (field, wire) = r.key()?;
        match field {
            1 => {
                let account = r.expect_bytes(wire, at)?;
                match read_account(account, index)? {
                    Ok((account, warnings)) => {
                        out.accounts.push(account);
                        out.warnings.extend(warnings);
                    }
                    Err(why) => out
                        .warnings
                        .push(Warning::for_account(WarningKind::Unsupported(why), index)),
                }
                index += 1;
            }
            2 => out.version = int32(r.expect_varint(wire, at)?),
            3 => out.batch_size = int32(r.expect_varint(wire, at)?),
            4 => out.batch_index = int32(r.expect_varint(wire, at)?),
            5 => out.batch_id = int32(r.expect_varint(wire, at)?),
            _ => r.skip(wire)?,
        }
    }
    Ok(out)
}

type AccountRead = Result<(MigrationAccount, Vec<Warning>), Unsupported>;

/// One `OtpParameters`: a malformed one is an error, an unusable one is `Ok(Err(why))`.
fn read_account(mut r: Reader<'_>, index: usize) -> Result<AccountRead, Error> {
    let mut secret: &[u8] = &[];
    let mut name = String::new();
    let mut issuer = String::new();
    let (mut algorithm, mut digits, mut kind, mut counter) = (0u64, 0u64, 0u64, 0u64);
    while !r.done() {
        let at = r.pos;
        let (field, wire) = r.key()?;
        match field {
            1 => secret = r.expect_bytes(wire, at)?.buf,
            2 | 3 => {
                let text = r.expect_bytes(wire, at)?;
                let text = core::str::from_utf8(text.buf)
                    .map_err(|_| Error::new(ErrorKind::Protobuf(text.base)))?;
                if field == 2 {
                    text.clone_into(&mut name);
                } else {
                    text.clone_into(&mut issuer);
                }
            }
            4 => algorithm = r.expect_varint(wire, at)?,
            5 => digits = r.expect_varint(wire, at)?,
            6 => kind = r.expect_varint(wire, at)?,
            7 => counter = r.expect_varint(wire, at)?,
            _ => r.skip(wire)?,
        }
    }
    let algorithm = match algorithm {
        0 | 1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        n => return Ok(Err(Unsupported::Algorithm(n))),
    };
    let format = match digits {
        0 | 1 => Format::default(),
        2 => Format::digits(8).unwrap_or_default(),
        n => return Ok(Err(Unsupported::Digits(n))),
    };
    if secret.is_empty() {
        return Ok(Err(Unsupported::EmptySecret));
    }
    let secret = match Secret::from_bytes(secret) {
        Ok(secret) => secret,
        Err(_) => {
            return Ok(Err(Unsupported::LongSecret {
                len: secret.len(),
                max: MAX_LEN,
            }))
        }
    };
    let otp = match kind {
        0 | 2 => Otp::Totp(
            Totp::new(secret)
                .with_algorithm(algorithm)
                .with_format(format),
        ),
        1 => {
            // int64 on the wire: a negative counter is no counter.
            if i64::from_ne_bytes(counter.to_ne_bytes()) < 0 {
                return Ok(Err(Unsupported::Counter));
            }
            Otp::Hotp {
                hotp: Hotp::new(secret)
                    .with_algorithm(algorithm)
                    .with_format(format),
                counter,
            }
        }
        n => return Ok(Err(Unsupported::Type(n))),
    };
    let issuer_field = Some(issuer.as_str()).filter(|i| !i.is_empty());
    let (label_issuer, account) = split_label(&name, issuer_field);
    let key = KeyUri {
        otp,
        issuer: issuer_field.map(str::to_owned).or(label_issuer),
        account,
        image: None,
    };
    let warnings = key
        .warnings()
        .into_iter()
        .map(|w| w.with_account(index))
        .collect();
    Ok(Ok((MigrationAccount { key, name }, warnings)))
}

// ---------------------------------------------------------------------------------------
// Percent-encoding and base64 of the `data` parameter

/// Percent-decodes the `data` value. `+` stays a `+`: it is a base64 character, and
/// some writers leave it unencoded.
fn percent_decode(raw: &str) -> Result<Zeroizing<String>, Error> {
    let bytes = super::percent::decode(raw, false, "data parameter")?;
    // Anything past ASCII is not base64; each byte keeps its place for the error.
    Ok(Zeroizing::new(
        bytes
            .iter()
            .map(|&b| {
                if b.is_ascii() {
                    char::from(b)
                } else {
                    '\u{fffd}'
                }
            })
            .collect(),
    ))
}
