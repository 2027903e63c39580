//! ZIP archives, and the exports that come in one: Authenticator Plus, WinAuth and
//! Proton Pass.
//!
//! # The archive
//!
//! A small reader of what these apps write (PKWARE's APPNOTE): the end-of-central-directory
//! record is found in the last 64 KiB, each central directory header gives an entry's
//! name, method, flags, CRC-32 and sizes, and its local header says where its data
//! starts. Entries are stored (method 0) or deflated (method 8, inflated by
//! `miniz_oxide`); entries encrypted with the traditional PKWARE cipher ("ZipCrypto",
//! flag bit 0) are opened with the password: the three 32-bit keys are set from the
//! password through CRC-32, the 12-byte encryption header is decrypted and its last byte
//! checked against the high byte of the CRC-32 (or of the modification time when the
//! sizes follow the data, flag bit 3), and after inflating the CRC-32 of the data is
//! checked too. A check that fails is `WRONG_PASSWORD`. ZIP64, split archives and the
//! strong encryption of APPNOTE 7 are not read.
//!
//! Bounds: at most [`MAX_ZIP_ENTRIES`] entries with names of at most [`MAX_NAME_LEN`]
//! bytes, and an entry is inflated into a buffer of the size its header states, which
//! must be at most [`super::MAX_IMPORT_LEN`] (`IMPORT_LIMIT` before any work); an entry
//! that inflates past its stated size is refused.
//!
//! # The exports
//!
//! - **Authenticator Plus** (`authenticator-plus-encrypted`): a ZipCrypto archive holding
//!   `Accounts.txt`, one otpauth:// URI a line.
//! - **WinAuth** (`winauth`, `winauth-encrypted`): an archive, with or without a
//!   password, holding one text file (`winauth-<date>.txt`) of otpauth:// URIs, one a
//!   line; WinAuth's own parameters (`icon`) are ignored.
//! - **Proton Pass** (`proton-pass`): an archive holding `Proton Pass/data.json`. Every
//!   vault's items are read in order; an item's `content.totpUri` (logins have one) and
//!   each of its `extraFields` of type `totp` (`data.totpUri`) is one entry when not
//!   empty, counted in that order across the file. An entry is named by the item's `metadata.name`. Proton Pass
//!   labels the URIs of custom fields `<item name>:Proton Pass` with the item's name as
//!   issuer: as Proton Authenticator does, such an account takes `Proton Pass` as issuer
//!   and the item's name as account. A URI that cannot be read is a warning. An export
//!   encrypted with PGP (`Proton Pass/data.pgp`) is refused, saying so.
//!
//! In the URI lists, an empty line is skipped and any other line is an entry: a line
//! that is not a usable otpauth:// URI is a warning naming its index.

use super::json::Value;
use super::{
    crypto, malformed, password, wrong_password, Accounts, ImportFormat, ImportOptions, Input,
};
use crate::error::{Error, ErrorKind, ImportProblem};
use alloc::vec;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// The most entries an archive may list.
pub const MAX_ZIP_ENTRIES: usize = 1_000;
/// The longest entry name read, in bytes.
pub const MAX_NAME_LEN: usize = 1_024;

const LOCAL: u32 = 0x0403_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const END: u32 = 0x0605_4b50;

/// `INVALID_IMPORT` for an archive too broken to tell which app wrote it.
fn broken(what: &'static str) -> Error {
    Error::new(ErrorKind::Import(ImportProblem::Malformed {
        app: "ZIP",
        what,
    }))
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([*s.first()?, *s.get(1)?]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([
        *s.first()?,
        *s.get(1)?,
        *s.get(2)?,
        *s.get(3)?,
    ]))
}

/// One entry of an archive, as its central directory header describes it.
pub(crate) struct ZipEntry<'a> {
    pub(crate) name: &'a [u8],
    flags: u16,
    method: u16,
    time: u16,
    crc: u32,
    size: u32,
    /// The entry's data as stored: encryption header and (compressed) data.
    data: &'a [u8],
}

/// Why an entry could not be opened.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum OpenError {
    /// The password's check byte or the data's CRC-32 does not match.
    WrongPassword,
    /// An encrypted entry and no password.
    PasswordRequired,
    /// A plain entry whose data is broken; the text says how.
    Broken(&'static str),
    /// Over a limit.
    Limit(Error),
}

impl ZipEntry<'_> {
    /// Whether the entry is encrypted (flag bit 0).
    pub(crate) fn encrypted(&self) -> bool {
        self.flags & 1 != 0
    }

    fn is_dir(&self) -> bool {
        self.name.ends_with(b"/")
    }

    /// The entry's content: decrypted with `password` when it is encrypted, inflated,
    /// and checked against its CRC-32.
    pub(crate) fn open(&self, password: Option<&str>) -> Result<Zeroizing<Vec<u8>>, OpenError> {
        crypto::check(
            "ZIP entry size (bytes)",
            u64::from(self.size),
            super::MAX_IMPORT_LEN as u64,
        )
        .map_err(OpenError::Limit)?;
        let size =
            usize::try_from(self.size).map_err(|_| OpenError::Broken("an entry is too large"))?;
        let encrypted = self.encrypted();
        if self.method != 0 && self.method != 8 {
            return Err(OpenError::Broken(
                "an entry is compressed with a method other than deflate",
            ));
        }
        let plain_data: Zeroizing<Vec<u8>>;
        let data: &[u8] = if encrypted {
            let password = password.ok_or(OpenError::PasswordRequired)?;
            let (header, body) = self
                .data
                .split_first_chunk::<12>()
                .ok_or(OpenError::Broken("an encrypted entry is cut short"))?;
            let mut keys = Keys::new(password.as_bytes());
            let mut header = *header;
            keys.decrypt(&mut header);
            let check = if self.flags & 8 != 0 {
                (self.time >> 8) as u8
            } else {
                (self.crc >> 24) as u8
            };
            let last = header.last().copied().unwrap_or_default();
            // Info-ZIP checks the CRC's high byte even when the sizes follow the data.
            if last != check && last != (self.crc >> 24) as u8 {
                return Err(OpenError::WrongPassword);
            }
            let mut body = Zeroizing::new(body.to_vec());
            keys.decrypt(&mut body);
            plain_data = body;
            &plain_data
        } else {
            self.data
        };
        // The failures of decrypted data are a wrong password that passed the check byte
        // (one in 256) or changed bytes: either way the password did not open it.
        let fail = |why: &'static str| {
            if encrypted {
                OpenError::WrongPassword
            } else {
                OpenError::Broken(why)
            }
        };
        let out = if self.method == 0 {
            if data.len() != size {
                return Err(fail("a stored entry's size does not match its data"));
            }
            Zeroizing::new(data.to_vec())
        } else {
            let mut out = Zeroizing::new(vec![0u8; size]);
            let written = miniz_oxide::inflate::decompress_slice_iter_to_slice(
                &mut out,
                core::iter::once(data),
                false,
                false,
            )
            .map_err(|_| fail("an entry's deflate data is broken or longer than stated"))?;
            if written != size {
                return Err(fail("an entry inflates to another size than stated"));
            }
            out
        };
        if crc32(&out) != self.crc {
            return Err(fail("an entry's CRC-32 does not match its data"));
        }
        Ok(out)
    }
}

/// The entries of an archive, from its central directory.
pub(crate) fn entries(bytes: &[u8]) -> Result<Vec<ZipEntry<'_>>, Error> {
    // The end record: 22 bytes and a comment of up to 65,535, found from the end.
    let lowest = bytes.len().saturating_sub(22 + 0xffff);
    let end = (lowest..=bytes.len().saturating_sub(22))
        .rev()
        .find(|&at| u32_at(bytes, at) == Some(END))
        .ok_or_else(|| broken("its end of central directory is missing"))?;
    let field = |off: usize| u16_at(bytes, end + off).ok_or_else(|| broken("it is cut short"));
    let count = usize::from(field(10)?);
    let directory = u32_at(bytes, end + 16).ok_or_else(|| broken("it is cut short"))?;
    if count == 0xffff || directory == u32::MAX {
        return Err(broken("ZIP64 archives are not read"));
    }
    crypto::check("ZIP entries", count as u64, MAX_ZIP_ENTRIES as u64)?;
    let mut at = usize::try_from(directory).map_err(|_| broken("it is cut short"))?;
    let mut list = Vec::with_capacity(count);
    for _ in 0..count {
        let cut = || broken("its central directory is cut short");
        if u32_at(bytes, at) != Some(CENTRAL) {
            return Err(broken("its central directory is malformed"));
        }
        let h16 = |off: usize| u16_at(bytes, at + off).ok_or_else(cut);
        let h32 = |off: usize| u32_at(bytes, at + off).ok_or_else(cut);
        let (flags, method, time) = (h16(8)?, h16(10)?, h16(12)?);
        let (crc, compressed, size) = (h32(16)?, h32(20)?, h32(24)?);
        let name_len = usize::from(h16(28)?);
        let skip = usize::from(h16(30)?) + usize::from(h16(32)?);
        let local = h32(42)?;
        crypto::check(
            "ZIP entry name (bytes)",
            name_len as u64,
            MAX_NAME_LEN as u64,
        )?;
        let name = bytes.get(at + 46..at + 46 + name_len).ok_or_else(cut)?;
        at += 46 + name_len + skip;
        if compressed == u32::MAX || size == u32::MAX || local == u32::MAX {
            return Err(broken("ZIP64 archives are not read"));
        }
        // The local header: 30 bytes, its name and extra field, then the data.
        let local = usize::try_from(local).map_err(|_| cut())?;
        let lcut = || broken("an entry is cut short");
        if u32_at(bytes, local) != Some(LOCAL) {
            return Err(broken("an entry's local header is missing"));
        }
        let l16 = |off: usize| u16_at(bytes, local + off).ok_or_else(lcut);
        let start = local + 30 + usize::from(l16(26)?) + usize::from(l16(28)?);
        let compressed = usize::try_from(compressed).map_err(|_| lcut())?;
        let data = bytes
            .get(start..start.checked_add(compressed).ok_or_else(lcut)?)
            .ok_or_else(lcut)?;
        list.push(ZipEntry {
            name,
            flags,
            method,
            time,
            crc,
            size,
            data,
        });
    }
    Ok(list)
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), one byte at a time.
#[allow(clippy::indexing_slicing)] // evaluated at compile time, `n` < 256
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
};

fn crc_byte(crc: u32, b: u8) -> u32 {
    let slot = CRC_TABLE
        .get(((crc ^ u32::from(b)) & 0xff) as usize)
        .copied()
        .unwrap_or_default();
    slot ^ (crc >> 8)
}

/// The CRC-32 of `data`, as ZIP stores it.
pub(crate) fn crc32(data: &[u8]) -> u32 {
    !data.iter().fold(u32::MAX, |crc, &b| crc_byte(crc, b))
}

/// The three keys of the traditional PKWARE cipher (APPNOTE 6.1).
struct Keys([u32; 3]);

impl Keys {
    fn new(password: &[u8]) -> Keys {
        let mut keys = Keys([0x1234_5678, 0x2345_6789, 0x3456_7890]);
        for &b in password {
            keys.update(b);
        }
        keys
    }

    fn update(&mut self, b: u8) {
        let [k0, k1, k2] = &mut self.0;
        *k0 = crc_byte(*k0, b);
        *k1 = k1
            .wrapping_add(*k0 & 0xff)
            .wrapping_mul(134_775_813)
            .wrapping_add(1);
        *k2 = crc_byte(*k2, (*k1 >> 24) as u8);
    }

    fn stream_byte(&self) -> u8 {
        let t = (self.0[2] | 2) & 0xffff;
        (t.wrapping_mul(t ^ 1) >> 8) as u8
    }

    fn decrypt(&mut self, data: &mut [u8]) {
        for b in data {
            *b ^= self.stream_byte();
            self.update(*b);
        }
    }
}

impl Drop for Keys {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

/// Reads an archive that one of the apps wrote; `None` for other input, and for an
/// archive of no app twofa knows (which `import` then describes).
pub(crate) fn read(
    input: &Input<'_>,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    if !input.bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let list = match entries(input.bytes) {
        Ok(list) => list,
        Err(err) => return Some(Err(err)),
    };
    let files: Vec<&ZipEntry<'_>> = list.iter().filter(|e| !e.is_dir()).collect();
    if let Some(entry) = files.iter().find(|e| e.name == b"Proton Pass/data.json") {
        return Some(proton_pass(entry, options, out));
    }
    if files.iter().any(|e| e.name == b"Proton Pass/data.pgp") {
        return Some(Err(super::unsupported(
            "it is a Proton Pass export encrypted with PGP: export it again without encryption",
        )));
    }
    if let Some(entry) = files.iter().find(|e| e.name == b"Accounts.txt") {
        let format = ImportFormat::AuthenticatorPlusEncrypted;
        return Some(uri_list(entry, format, options, out));
    }
    if let [entry] = files.as_slice() {
        let name = entry.name;
        let txt = name.len() > 4
            && name
                .get(name.len() - 4..)
                .is_some_and(|e| e.eq_ignore_ascii_case(b".txt"));
        let winauth = name
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"winauth"));
        if entry.encrypted() && (winauth || txt) {
            return Some(uri_list(
                entry,
                ImportFormat::WinAuthEncrypted,
                options,
                out,
            ));
        }
        if !entry.encrypted() && txt {
            // A plain text file is WinAuth's only when it holds otpauth:// URIs.
            let holds_uris = entry
                .open(None)
                .ok()
                .is_some_and(|t| t.windows(10).any(|w| w.eq_ignore_ascii_case(b"otpauth://")));
            if winauth || holds_uris {
                return Some(uri_list(entry, ImportFormat::WinAuth, options, out));
            }
        }
    }
    None
}

/// An entry opened for `format`, errors named after it.
fn open(
    entry: &ZipEntry<'_>,
    format: ImportFormat,
    options: &ImportOptions<'_>,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let pass = if entry.encrypted() {
        Some(password(options, format)?)
    } else {
        None
    };
    entry.open(pass).map_err(|e| match e {
        OpenError::WrongPassword => wrong_password(format),
        OpenError::PasswordRequired => super::password_required(format),
        OpenError::Broken(what) => malformed(format, what),
        OpenError::Limit(err) => err,
    })
}

/// A text file of otpauth:// URIs, one a line.
fn uri_list(
    entry: &ZipEntry<'_>,
    format: ImportFormat,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Result<ImportFormat, Error> {
    let text = open(entry, format, options)?;
    let text =
        core::str::from_utf8(&text).map_err(|_| malformed(format, "its text is not UTF-8"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    for (index, line) in lines.enumerate() {
        add_uri(out, index, line, None)?;
    }
    Ok(format)
}

/// Adds an otpauth:// URI named `name`, or by its account name when it has none.
fn add_uri(out: &mut Accounts, index: usize, uri: &str, name: Option<&str>) -> Result<(), Error> {
    let before = out.list.len();
    out.add_uri(index, uri, name.unwrap_or_default())?;
    if name.is_none() && out.list.len() > before {
        if let Some(added) = out.list.last_mut() {
            added.name.clone_from(&added.key.account);
        }
    }
    Ok(())
}

/// Proton Pass' export: the TOTP URIs of the login items in `Proton Pass/data.json`.
fn proton_pass(
    entry: &ZipEntry<'_>,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Result<ImportFormat, Error> {
    let format = ImportFormat::ProtonPass;
    let data = open(entry, format, options)?;
    let text =
        core::str::from_utf8(&data).map_err(|_| malformed(format, "data.json is not UTF-8"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let json = Value::parse(text).ok_or_else(|| malformed(format, "data.json is not JSON"))?;
    let vaults = json
        .get("vaults")
        .and_then(Value::fields)
        .ok_or_else(|| malformed(format, "data.json has no vaults"))?;
    let mut index = 0;
    for (_, vault) in vaults {
        let items = vault
            .get("items")
            .and_then(Value::array)
            .unwrap_or_default();
        for item in items {
            // Logins carry `content.totpUri`; any item may carry TOTP custom fields.
            let Some(data) = item.get("data") else {
                continue;
            };
            let name = data
                .get("metadata")
                .and_then(|m| m.get_str("name"))
                .unwrap_or_default();
            let main = data.get("content").and_then(|c| c.get_str("totpUri"));
            let extra = data
                .get("extraFields")
                .and_then(Value::array)
                .unwrap_or_default()
                .iter()
                .filter(|f| f.get_str("type") == Some("totp"))
                .map(|f| f.get("data").and_then(|d| d.get_str("totpUri")));
            for uri in core::iter::once(main).chain(extra) {
                let uri = uri.map(str::trim).unwrap_or_default();
                if uri.is_empty() {
                    continue;
                }
                let before = out.list.len();
                add_uri(out, index, uri, Some(name))?;
                if out.list.len() > before {
                    if let Some(added) = out.list.last_mut() {
                        let key = &mut added.key;
                        if key.account == "Proton Pass" {
                            let issuer = key.issuer.take().unwrap_or_default();
                            key.issuer = Some(core::mem::replace(&mut key.account, issuer));
                        }
                    }
                }
                index += 1;
            }
        }
    }
    Ok(format)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn crc32_of_the_check_string() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b""), 0);
    }
}
