//! Fields of JSON entries as the apps write them: optional numbers, some written as
//! strings (`"6"`), optional strings, hex and base64 secrets. A field that is present but
//! malformed becomes `Left::Field(name)` for its entry, never a guess.

use super::json::Value;
use super::Left;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// The value a missing object or field stands for.
pub(crate) static NULL: Value = Value::Null;

/// Field `key` of `entry`: a whole number, or a string of one (`"30"`); missing, null or an
/// empty string give `default`.
pub(crate) fn number(entry: &Value, key: &'static str, default: u64) -> Result<u64, Left> {
    match entry.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(default),
        Some(Value::String(s)) => crate::json::whole(s.trim(), u64::MAX)
            .filter(|(negative, _)| !negative)
            .map(|(_, n)| n)
            .ok_or(Left::Field(key)),
        Some(v) => v.u64().ok_or(Left::Field(key)),
    }
}

/// An HOTP counter field: as [`number`], but a malformed one is `Left::Counter`.
pub(crate) fn counter(entry: &Value, key: &'static str) -> Result<u64, Left> {
    number(entry, key, 0).map_err(|_| Left::Counter)
}

/// Field `key` of `entry` as text: missing or null give `""`.
pub(crate) fn text<'a>(entry: &'a Value, key: &'static str) -> Result<&'a str, Left> {
    match entry.get(key) {
        None | Some(Value::Null) => Ok(""),
        Some(v) => v.str().ok_or(Left::Field(key)),
    }
}

/// Field `key` of `entry` as an object (or `NULL` when missing or null, whose fields all
/// read as missing).
pub(crate) fn object<'a>(entry: &'a Value, key: &'static str) -> Result<&'a Value, Left> {
    match entry.get(key) {
        None | Some(Value::Null) => Ok(&NULL),
        Some(v) if v.fields().is_some() => Ok(v),
        Some(_) => Err(Left::Field(key)),
    }
}

/// Hex text (either case) as bytes; `None` for an odd length or another character.
pub(crate) fn hex(text: &str) -> Option<Zeroizing<Vec<u8>>> {
    let text = text.as_bytes();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let mut out = Zeroizing::new(Vec::with_capacity(text.len() / 2));
    for pair in text.chunks_exact(2) {
        let high = nibble(*pair.first()?)?;
        let low = nibble(*pair.get(1)?)?;
        out.push((high << 4) | low);
    }
    Some(out)
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Base64 in the standard alphabet, padding optional; `None` for anything else.
pub(crate) fn base64(text: &str) -> Option<Zeroizing<Vec<u8>>> {
    if text.contains(['-', '_']) {
        return None;
    }
    crate::transfer::base64::decode(text).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_apps_write_them() {
        let v = Value::parse(r#"{"a":6,"b":"7","c":"","d":null,"e":-1,"f":"x","g":1.5}"#).unwrap();
        assert_eq!(number(&v, "a", 0), Ok(6));
        assert_eq!(number(&v, "b", 0), Ok(7));
        assert_eq!(number(&v, "c", 30), Ok(30));
        assert_eq!(number(&v, "d", 30), Ok(30));
        assert_eq!(number(&v, "z", 30), Ok(30));
        assert_eq!(number(&v, "e", 0), Err(Left::Field("e")));
        assert_eq!(number(&v, "f", 0), Err(Left::Field("f")));
        assert_eq!(number(&v, "g", 0), Err(Left::Field("g")));
        assert_eq!(text(&v, "a"), Err(Left::Field("a")));
        assert_eq!(text(&v, "b"), Ok("7"));
        assert_eq!(text(&v, "z"), Ok(""));
        assert_eq!(object(&v, "a").unwrap_err(), Left::Field("a"));
        assert!(object(&v, "z").unwrap().is_null());
    }

    #[test]
    fn hex_and_base64() {
        assert_eq!(hex("00fF10").unwrap().as_slice(), &[0, 255, 16]);
        assert_eq!(hex("").unwrap().as_slice(), &[] as &[u8]);
        for bad in ["0", "0g", "é0", "+1"] {
            assert!(hex(bad).is_none(), "{bad:?}");
        }
        assert_eq!(base64("AP8Q").unwrap().as_slice(), &[0, 255, 16]);
        assert!(base64("AP-Q").is_none());
    }
}
