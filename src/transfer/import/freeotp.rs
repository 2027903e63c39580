//! FreeOTP's encrypted backups (version 2, FreeOTP 2.0 and later; not FreeOTP+).
//!
//! # The container
//!
//! The backup is a map of strings to strings, written either with Java object
//! serialization (`externalBackup.xml`, and files saved from it: `AC ED 00 05`, one
//! `java.util.HashMap` object whose class data ends with a block holding its capacity
//! and size, then `size` keys and values as `TC_STRING`/`TC_LONGSTRING`, or references
//! to strings read before) or as Android shared preferences XML (`<map>` of
//! `<string name="…">…</string>`, entities unescaped). Only what FreeOTP writes is read:
//! a reader of Java serialization for that one object, bounded by the input and by
//! [`MAX_MAP_LEN`] pairs.
//!
//! # The map
//!
//! - `masterKey`: JSON with `mAlgorithm` (`PBKDF2withHmacSHA1`, `…SHA256` or
//!   `…SHA512`), `mIterations`, `mSalt` (signed bytes) and `mEncryptedKey`. The password
//!   key is PBKDF2 of the password (32 bytes); it opens the master key.
//! - `<uuid>`: JSON whose `key` is, as text, the token's encrypted secret.
//! - `<uuid>-token`: the token's JSON: `type` (`TOTP`, `HOTP`), `algo` (SHA1 when
//!   missing), `digits` (6), `period` (30), `counter` (0), the issuer (`issuerAlt`, the
//!   user's, else `issuerExt`, else `issuerInt`) and the label (`labelAlt`, else `label`),
//!   which also names the entry.
//!
//! An encrypted key (`mEncryptedKey`, and each token's `key`) is JSON with `mCipher`
//! (`AES/GCM/NoPadding`), `mCipherText` (signed bytes, tag at the end), `mParameters`
//! (DER `GCMParameters`: SEQUENCE { OCTET STRING nonce, INTEGER tag length }, a 12-byte
//! nonce and 16-byte tag; Android 6 writes the OCTET STRING alone) and `mToken`, the key's Java algorithm name (`AES`,
//! `HmacSHA1`), which is the AES-GCM associated data.
//!
//! Entries are the `<uuid>` keys in map order, counted from 0. The master key not
//! opening is `WRONG_PASSWORD`; PBKDF2 iterations are checked against
//! [`super::Limits`] before any work. Warned about and left out: a token whose details
//! are missing or malformed, whose secret does not decrypt, an unknown `type`, and the
//! secrets and values every reader refuses.

use super::json::Value;
use super::MAX_IMPORT_LEN;
use super::{
    algorithm, crypto, malformed, password, wrong_password, Accounts, Entry, ImportFormat,
    ImportOptions, Input, Kind, SecretText,
};
use crate::error::Error;
use crate::transfer::warning::Left;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// The most key-value pairs a backup may hold: a token takes two.
pub const MAX_MAP_LEN: usize = 2 * super::MAX_ENTRIES + 16;
/// The longest byte array read from the JSON (salts, ciphertexts, parameters).
const MAX_BYTES: usize = 4096;

const FORMAT: ImportFormat = ImportFormat::FreeOtpEncrypted;

/// The start of a Java-serialized `java.util.HashMap`: stream magic and version,
/// `TC_OBJECT`, `TC_CLASSDESC` and the class name.
const JAVA_HASHMAP: &[u8] = b"\xac\xed\x00\x05\x73\x72\x00\x11java.util.HashMap";

pub(crate) fn read(
    input: &Input<'_>,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    let map = if input.bytes.starts_with(JAVA_HASHMAP) {
        java_map(input.bytes)
    } else {
        let text = input.text?;
        let start = text.trim_start();
        if !(start.starts_with("<?xml") || start.starts_with("<map"))
            || !text.contains("<string name=\"masterKey\">")
        {
            return None;
        }
        xml_map(text)
    };
    Some(map.and_then(|map| read_map(&map, options, out)))
}

type Map = Vec<(Zeroizing<String>, Zeroizing<String>)>;

fn read_map(
    map: &Map,
    options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Result<ImportFormat, Error> {
    // Looked up by key in O(log n): a forged map of many pairs costs no quadratic time.
    // A repeated key keeps its first value.
    let mut by_key: BTreeMap<&str, &str> = BTreeMap::new();
    for (k, v) in map {
        by_key.entry(k.as_str()).or_insert(v.as_str());
    }
    let get = |key: &str| by_key.get(key).copied();
    let master = get("masterKey").ok_or_else(|| malformed(FORMAT, "it has no masterKey"))?;
    let pass = password(options, FORMAT)?;
    let master =
        Value::parse(master).ok_or_else(|| malformed(FORMAT, "its masterKey is not JSON"))?;
    let prf = master
        .get_str("mAlgorithm")
        .and_then(|a| {
            a.get(..14)
                .filter(|p| p.eq_ignore_ascii_case("PBKDF2withHmac"))?;
            match a.get(14..)?.to_ascii_uppercase().as_str() {
                "SHA1" => Some(crypto::Prf::Sha1),
                "SHA256" => Some(crypto::Prf::Sha256),
                "SHA512" => Some(crypto::Prf::Sha512),
                _ => None,
            }
        })
        .ok_or_else(|| malformed(FORMAT, "its masterKey names no PBKDF2 it reads"))?;
    let iterations = master
        .get("mIterations")
        .and_then(Value::u64)
        .ok_or_else(|| malformed(FORMAT, "its masterKey has no mIterations"))?;
    let salt = master
        .get("mSalt")
        .and_then(signed_bytes)
        .ok_or_else(|| malformed(FORMAT, "its masterKey has no mSalt"))?;
    let sealed = master
        .get("mEncryptedKey")
        .and_then(EncryptedKey::read)
        .ok_or_else(|| malformed(FORMAT, "its masterKey has no readable mEncryptedKey"))?;
    let key = crypto::pbkdf2(prf, pass.as_bytes(), &salt, iterations, 32, &options.limits)?;
    let master_key = sealed.open(&key).ok_or_else(|| wrong_password(FORMAT))?;
    if !matches!(master_key.len(), 16 | 32) {
        return Err(malformed(FORMAT, "its master key is not an AES key"));
    }
    let is_token = |k: &str| k != "masterKey" && k != "tokenOrder" && !k.ends_with("-token");
    let mut index = 0;
    for (name, value) in map.iter().filter(|(k, _)| is_token(k)) {
        let details = get(&alloc::format!("{}-token", name.as_str()));
        match token(value, details, &master_key) {
            Ok((secret, details)) => add(out, index, &secret, &details)?,
            Err(why) => out.left(index, why)?,
        }
        index += 1;
    }
    // Details of a token without its secret are an entry too: left out, with why.
    for (name, _) in map.iter() {
        let Some(uuid) = name.strip_suffix("-token") else {
            continue;
        };
        if get(uuid).is_none() {
            out.left(index, Left::NoSecret)?;
            index += 1;
        }
    }
    Ok(FORMAT)
}

/// A token's secret, decrypted with the master key, and its details.
fn token(
    value: &str,
    details: Option<&str>,
    master_key: &[u8],
) -> Result<(Zeroizing<Vec<u8>>, Value), Left> {
    let details = details
        .and_then(Value::parse)
        .ok_or(Left::Other("its token details are missing or not JSON"))?;
    let sealed = Value::parse(value)
        .as_ref()
        .and_then(|v| v.get_str("key"))
        .and_then(Value::parse)
        .as_ref()
        .and_then(EncryptedKey::read)
        .ok_or(Left::Secret("its encrypted key is malformed"))?;
    let secret = sealed
        .open(master_key)
        .ok_or(Left::Secret("it does not decrypt with the master key"))?;
    Ok((secret, details))
}

fn add(out: &mut Accounts, index: usize, secret: &[u8], details: &Value) -> Result<(), Error> {
    let number = |key: &'static str, default: u64| match details.get(key) {
        None => Ok(default),
        Some(v) if v.is_null() => Ok(default),
        Some(v) => v.u64().ok_or(Left::Field(key)),
    };
    let fields = || -> Result<(Kind, crate::otp::Algorithm, u64), Left> {
        let kind = match details.get_str("type").unwrap_or("TOTP") {
            t if t.eq_ignore_ascii_case("totp") => Kind::Totp {
                period: number("period", 30)?,
            },
            t if t.eq_ignore_ascii_case("hotp") => Kind::Hotp {
                counter: number("counter", 0).map_err(|_| Left::Counter)?,
            },
            _ => return Err(Left::Field("type")),
        };
        let algo = match details.get("algo") {
            None => algorithm("SHA1")?,
            Some(v) if v.is_null() => algorithm("SHA1")?,
            Some(v) => algorithm(v.str().ok_or(Left::Field("algo"))?)?,
        };
        Ok((kind, algo, number("digits", 6)?))
    };
    let (kind, algorithm, digits) = match fields() {
        Ok(f) => f,
        Err(why) => return out.left(index, why),
    };
    // The names the app shows: the user's (`…Alt`) before the URI's.
    let named = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| details.get_str(k).filter(|v| !v.is_empty()))
            .unwrap_or_default()
    };
    let issuer = named(&["issuerAlt", "issuerExt", "issuerInt"]);
    let label = named(&["labelAlt", "label"]);
    out.add(
        index,
        Entry {
            kind,
            secret: SecretText::Bytes(secret),
            algorithm,
            digits,
            issuer,
            account: label,
            name: label,
        },
    )
}

/// An `EncryptedKey` of FreeOTP: AES-GCM ciphertext, nonce and associated data.
struct EncryptedKey {
    sealed: Vec<u8>,
    nonce: [u8; 12],
    aad: String,
}

impl EncryptedKey {
    fn read(json: &Value) -> Option<EncryptedKey> {
        if !json
            .get_str("mCipher")?
            .eq_ignore_ascii_case("AES/GCM/NoPadding")
        {
            return None;
        }
        let sealed = signed_bytes(json.get("mCipherText")?)?;
        let nonce = gcm_parameters(&signed_bytes(json.get("mParameters")?)?)?;
        let aad = String::from(json.get_str("mToken")?);
        Some(EncryptedKey { sealed, nonce, aad })
    }

    fn open(&self, key: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        crypto::aes_gcm_open(key, &self.nonce, &self.sealed, self.aad.as_bytes())
    }
}

/// A JSON array of Java bytes (-128 to 127).
fn signed_bytes(value: &Value) -> Option<Vec<u8>> {
    let items = value.array()?;
    if items.len() > MAX_BYTES {
        return None;
    }
    items
        .iter()
        .map(|v| match v.signed()? {
            (false, n) if n <= 127 => Some(n as u8),
            (true, n) if n <= 128 => Some((256 - n) as u8),
            _ => None,
        })
        .collect()
}

/// The nonce of DER `GCMParameters` (RFC 5084): SEQUENCE { OCTET STRING nonce, INTEGER
/// tag length }, with a 12-byte nonce and a 16-byte tag, the only ones FreeOTP writes;
/// Android 6 (API 23) writes the nonce alone, as an OCTET STRING, for a 16-byte tag.
fn gcm_parameters(der: &[u8]) -> Option<[u8; 12]> {
    if let Some((nonce, [])) = der_item(der, 0x04) {
        return nonce.try_into().ok();
    }
    let (body, rest) = der_item(der, 0x30)?;
    if !rest.is_empty() {
        return None;
    }
    let (nonce, rest) = der_item(body, 0x04)?;
    let (tag_len, rest) = der_item(rest, 0x02)?;
    (rest.is_empty() && tag_len == [16]).then_some(())?;
    nonce.try_into().ok()
}

/// One DER item of type `tag` with a short or one-byte long length: its content and
/// what follows.
fn der_item(der: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&t, rest) = der.split_first()?;
    let (&len, rest) = rest.split_first()?;
    (t == tag).then_some(())?;
    let (len, rest) = match len {
        0..=0x7f => (usize::from(len), rest),
        0x81 => {
            let (&len, rest) = rest.split_first()?;
            (usize::from(len), rest)
        }
        _ => return None,
    };
    Some((rest.get(..len)?, rest.get(len..)?))
}

/// Reads the Java-serialized `HashMap<String, String>`.
fn java_map(bytes: &[u8]) -> Result<Map, Error> {
    let cut = || malformed(FORMAT, "its serialized map is cut short");
    let bad = || malformed(FORMAT, "its serialized map is not a map of strings");
    let mut r = Bytes {
        bytes,
        at: JAVA_HASHMAP.len(),
    };
    // serialVersionUID, then the flags: serializable with a writeObject method.
    r.take(8).ok_or_else(cut)?;
    if r.u8().ok_or_else(cut)? & 0x02 == 0 {
        return Err(bad());
    }
    let fields = r.u16().ok_or_else(cut)?;
    let mut values = 0usize;
    for _ in 0..fields {
        let size = match r.u8().ok_or_else(cut)? {
            b'B' | b'Z' => 1,
            b'C' | b'S' => 2,
            b'I' | b'F' => 4,
            b'J' | b'D' => 8,
            _ => return Err(bad()),
        };
        let len = usize::from(r.u16().ok_or_else(cut)?);
        r.take(len).ok_or_else(cut)?;
        values += size;
    }
    // No class annotation (TC_ENDBLOCKDATA), no serializable superclass (TC_NULL).
    if r.take(2).ok_or_else(cut)? != [0x78, 0x70] {
        return Err(bad());
    }
    r.take(values).ok_or_else(cut)?;
    // writeObject's block: the capacity and the number of pairs.
    if r.take(2).ok_or_else(cut)? != [0x77, 0x08] {
        return Err(bad());
    }
    r.take(4).ok_or_else(cut)?;
    let size = r.u32().ok_or_else(cut)? as usize;
    crypto::check("map entries", size as u64, MAX_MAP_LEN as u64)?;
    // Handles: the class description, the map, then each string in order.
    let mut strings: Vec<Zeroizing<String>> = Vec::new();
    let mut map = Map::new();
    // A back-reference copies a string read before: a few bytes could copy a long one
    // thousands of times, so the text the map holds is bounded as the input is.
    let mut held: u64 = 0;
    for _ in 0..size {
        let key = r.string(&mut strings).map_err(|e| e.unwrap_or_else(cut))?;
        let value = r.string(&mut strings).map_err(|e| e.unwrap_or_else(cut))?;
        held = held.saturating_add((key.len() + value.len()) as u64);
        crypto::check("map text (bytes)", held, MAX_IMPORT_LEN as u64)?;
        map.push((key, value));
    }
    if r.u8() != Some(0x78) {
        return Err(cut());
    }
    Ok(map)
}

struct Bytes<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_be_bytes(self.take(2)?.try_into().ok()?))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }

    /// A string object, or a reference to one read before. `Err(None)` when cut short.
    fn string(
        &mut self,
        strings: &mut Vec<Zeroizing<String>>,
    ) -> Result<Zeroizing<String>, Option<Error>> {
        let bad = || {
            Some(malformed(
                FORMAT,
                "its serialized map is not a map of strings",
            ))
        };
        let len = match self.u8().ok_or(None)? {
            0x74 => usize::from(self.u16().ok_or(None)?),
            0x7c => {
                let len =
                    u64::from_be_bytes(self.take(8).ok_or(None)?.try_into().map_err(|_| None)?);
                usize::try_from(len).map_err(|_| None)?
            }
            0x71 => {
                let handle = self.u32().ok_or(None)?;
                let at = handle.checked_sub(0x007e_0002).ok_or_else(bad)? as usize;
                return strings.get(at).cloned().ok_or_else(bad);
            }
            _ => return Err(bad()),
        };
        let text = modified_utf8(self.take(len).ok_or(None)?).ok_or_else(bad)?;
        strings.push(text.clone());
        Ok(text)
    }
}

/// Java's modified UTF-8: UTF-8 with NUL as `C0 80` and characters past U+FFFF as two
/// three-byte surrogates.
fn modified_utf8(bytes: &[u8]) -> Option<Zeroizing<String>> {
    if let Ok(text) = core::str::from_utf8(bytes) {
        return Some(Zeroizing::new(String::from(text)));
    }
    let mut units: Vec<u16> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let more = |n: usize| -> Option<u16> {
            let c = u16::from(*bytes.get(i + n)?);
            (c & 0xc0 == 0x80).then_some(c & 0x3f)
        };
        let (unit, len) = match b {
            0x01..=0x7f => (u16::from(b), 1),
            0xc0..=0xdf => ((u16::from(b & 0x1f) << 6) | more(1)?, 2),
            0xe0..=0xef => ((u16::from(b & 0x0f) << 12) | (more(1)? << 6) | more(2)?, 3),
            _ => return None,
        };
        units.push(unit);
        i += len;
    }
    let text: Option<String> = char::decode_utf16(units.iter().copied())
        .map(Result::ok)
        .collect();
    zeroize::Zeroize::zeroize(&mut units);
    text.map(Zeroizing::new)
}

/// Reads Android shared preferences XML: the `<string name="…">…</string>` items of its
/// `<map>`; other items are skipped.
fn xml_map(text: &str) -> Result<Map, Error> {
    let bad = || malformed(FORMAT, "its XML is malformed");
    let mut map = Map::new();
    let mut rest = text;
    while let Some(at) = rest.find("<string name=\"") {
        let after = rest.get(at + 14..).ok_or_else(bad)?;
        let name_end = after.find('"').ok_or_else(bad)?;
        let name = after.get(..name_end).ok_or_else(bad)?;
        let after = after.get(name_end + 1..).ok_or_else(bad)?;
        let open_end = after.find('>').ok_or_else(bad)?;
        let body = after.get(open_end + 1..).ok_or_else(bad)?;
        let close = body.find("</string>").ok_or_else(bad)?;
        let value = body.get(..close).ok_or_else(bad)?;
        crypto::check("map entries", map.len() as u64 + 1, MAX_MAP_LEN as u64)?;
        map.push((
            unescape_xml(name).ok_or_else(bad)?,
            unescape_xml(value).ok_or_else(bad)?,
        ));
        rest = body.get(close + 9..).ok_or_else(bad)?;
    }
    Ok(map)
}

/// XML text with its entities (`&quot;` `&amp;` `&lt;` `&gt;` `&apos;` and numeric ones)
/// replaced.
fn unescape_xml(text: &str) -> Option<Zeroizing<String>> {
    let mut out = Zeroizing::new(String::with_capacity(text.len()));
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(rest.get(..at)?);
        let after = rest.get(at + 1..)?;
        let end = after.find(';')?;
        let entity = after.get(..end)?;
        let c = match entity {
            "quot" => '"',
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()?
                } else {
                    entity.strip_prefix('#')?.parse().ok()?
                };
                char::from_u32(code)?
            }
        };
        out.push(c);
        rest = after.get(end + 1..)?;
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn xml_entities() {
        assert_eq!(
            unescape_xml("{&quot;a&quot;:&#34;&amp;&#x3C;&lt;&gt;&apos;}")
                .unwrap()
                .as_str(),
            "{\"a\":\"&<<>'}"
        );
        assert!(unescape_xml("&nope;").is_none());
        assert!(unescape_xml("&amp").is_none());
    }

    #[test]
    fn java_modified_utf8() {
        assert_eq!(modified_utf8(b"a\xc0\x80b").unwrap().as_str(), "a\0b");
        // U+1F600 as two surrogates.
        assert_eq!(
            modified_utf8(b"\xed\xa0\xbd\xed\xb8\x80").unwrap().as_str(),
            "\u{1f600}"
        );
        assert!(modified_utf8(b"\xed\xa0\xbd").is_none());
    }

    #[test]
    fn gcm_parameters_in_der() {
        let mut der = alloc::vec![0x30, 17, 0x04, 12];
        der.extend_from_slice(&[7; 12]);
        der.extend_from_slice(&[0x02, 1, 16]);
        assert_eq!(gcm_parameters(&der), Some([7; 12]));
        let mut short_tag = der.clone();
        *short_tag.last_mut().unwrap() = 12;
        assert_eq!(gcm_parameters(&short_tag), None);
        assert_eq!(gcm_parameters(&der[..der.len() - 1]), None);
        assert_eq!(gcm_parameters(&der[2..16]), Some([7; 12]));
        assert_eq!(gcm_parameters(&der[2..15]), None);
    }
}
