//! The Battle.net Authenticator's saved state: the Android app's shared preferences
//! (`com.blizzard.messenger.authenticator_preferences.xml`, read from a rooted phone).
//!
//! # Format
//!
//! An XML `<map>` of `<string name="…">value</string>` preferences. Two are read:
//! `com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET` and
//! `com.blizzard.messenger.AUTHENTICATOR_SERIAL`. Each is hex whose bytes, XORed with a
//! fixed 56-byte mask (the app's, as Aegis' importer has it), spell ASCII text: the
//! secret as hex, and the serial (such as `US-1234-5678-9012`). Detected by the device
//! secret's preference name in text that starts with `<`.
//!
//! # Entries
//!
//! One account: TOTP, SHA-1, 8 digits, 30 seconds, issuer `Battle.net`, the serial as
//! account and name (empty when the file has none). A secret that does not unmask to hex
//! is warned about and left out; a file whose device secret is missing or holds markup is
//! `INVALID_IMPORT`.

use super::field::hex;
use super::{
    malformed, Accounts, Entry, ImportFormat, ImportOptions, Input, Kind, Left, SecretText,
};
use crate::error::Error;
use crate::otp::Algorithm;
use alloc::vec::Vec;
use zeroize::Zeroizing;

const SECRET: &str = "com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET";
const SERIAL: &str = "com.blizzard.messenger.AUTHENTICATOR_SERIAL";

/// The app's fixed XOR mask.
const MASK: [u8; 56] = [
    0x39, 0x8e, 0x27, 0xfc, 0x50, 0x27, 0x6a, 0x65, 0x60, 0x65, 0xb0, 0xe5, 0x25, 0xf4, 0xc0, 0x6c,
    0x04, 0xc6, 0x10, 0x75, 0x28, 0x6b, 0x8e, 0x7a, 0xed, 0xa5, 0x9d, 0xa9, 0x81, 0x3b, 0x5d, 0xd6,
    0xc8, 0x0d, 0x2f, 0xb3, 0x80, 0x68, 0x77, 0x3f, 0xa5, 0x9b, 0xa4, 0x7c, 0x17, 0xca, 0x6c, 0x64,
    0x79, 0x01, 0x5c, 0x1d, 0x5b, 0x8b, 0x8f, 0x6b,
];

pub(crate) fn read(
    input: &Input<'_>,
    _options: &ImportOptions<'_>,
    out: &mut Accounts,
) -> Option<Result<ImportFormat, Error>> {
    let text = input.text?;
    if !text.trim_start().starts_with('<') || !text.contains(SECRET) {
        return None;
    }
    Some(read_prefs(text, out))
}

fn read_prefs(text: &str, out: &mut Accounts) -> Result<ImportFormat, Error> {
    let format = ImportFormat::BattleNet;
    let secret = preference(text, SECRET).ok_or_else(|| {
        malformed(
            format,
            "its AUTHENTICATOR_DEVICE_SECRET string is missing or malformed",
        )
    })?;
    let serial = match preference(text, SERIAL) {
        None | Some("") => Zeroizing::new(Vec::new()),
        Some(serial) => match unmask(serial) {
            Some(serial) if serial.iter().all(|b| b.is_ascii_graphic()) => serial,
            _ => {
                return out
                    .left(0, Left::Field("AUTHENTICATOR_SERIAL"))
                    .map(|()| format)
            }
        },
    };
    let serial = core::str::from_utf8(&serial).unwrap_or_default();
    let Some(key) =
        unmask(secret).and_then(|hex_text| core::str::from_utf8(&hex_text).ok().and_then(hex))
    else {
        out.left(0, Left::Secret("it does not unmask to hex"))?;
        return Ok(format);
    };
    out.add(
        0,
        Entry {
            kind: Kind::Totp { period: 30 },
            secret: SecretText::Bytes(&key),
            algorithm: Algorithm::Sha1,
            digits: 8,
            issuer: "Battle.net",
            account: serial,
            name: serial,
        },
    )?;
    Ok(format)
}

/// The text of `<string name="{name}">…</string>`; `None` when missing, or when it holds
/// markup or entities (the values read are hex).
fn preference<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = text;
    loop {
        let at = rest.find("<string")?;
        rest = rest.get(at + "<string".len()..)?;
        let (attrs, body) = rest.split_once('>')?;
        if attribute(attrs, "name") == Some(name) && !attrs.ends_with('/') {
            let (value, _) = body.split_once("</string>")?;
            let value = value.trim();
            return (!value.contains(['<', '&'])).then_some(value);
        }
        rest = body;
    }
}

/// The value of attribute `key` in an element's attributes, quoted with `"` or `'`.
fn attribute<'a>(attrs: &'a str, key: &str) -> Option<&'a str> {
    let mut rest = attrs;
    loop {
        let (before, after) = rest.split_once('=')?;
        let after = after.trim_start();
        let quote = after.chars().next().filter(|q| matches!(q, '"' | '\''))?;
        let (value, tail) = after.get(1..)?.split_once(quote)?;
        if before.trim() == key {
            return Some(value);
        }
        rest = tail;
    }
}

/// Hex XORed with the mask, as bytes; `None` for bad hex or a value longer than the mask.
fn unmask(value: &str) -> Option<Zeroizing<Vec<u8>>> {
    let mut bytes = hex(value)?;
    if bytes.len() > MASK.len() {
        return None;
    }
    for (b, m) in bytes.iter_mut().zip(MASK) {
        *b ^= m;
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::{attribute, preference};

    #[test]
    fn preferences_and_attributes() {
        let xml = "<map><boolean name=\"a\" value=\"1\" /><string name='b'> 0f </string>\
                   <string name=\"c\">x&amp;y</string><string name=\"d\"/></map>";
        assert_eq!(preference(xml, "b"), Some("0f"));
        assert_eq!(preference(xml, "a"), None);
        assert_eq!(preference(xml, "c"), None);
        assert_eq!(preference(xml, "d"), None);
        assert_eq!(attribute(" name=\"a\" value='1' ", "value"), Some("1"));
        assert_eq!(attribute(" name=a", "name"), None);
    }
}
