//! JSON as a tree, for the exports of apps that write JSON. Built on the crate's reader
//! ([`crate::json::Reader`]): nesting is bounded, numbers stay text (no float parser),
//! and strings, which hold secrets, are zeroed when dropped.

use crate::json::{unescape, whole, Reader, Token};
use alloc::string::String;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// A JSON value. Strings and numbers are zeroed when dropped (FreeOTP+ writes secrets
/// as arrays of numbers), and `Debug` shows neither.
pub(crate) enum Value {
    Null,
    Bool(bool),
    /// The number's text, as written.
    Number(Zeroizing<String>),
    String(Zeroizing<String>),
    Array(Vec<Value>),
    /// Fields in the order written; a repeated key keeps its first value for [`Value::get`].
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The value of `text`, which must be one JSON value and nothing else, of at most
    /// [`MAX_VALUES`] values in all.
    pub(crate) fn parse(text: &str) -> Option<Value> {
        Value::parse_bounded(text).ok().flatten()
    }

    /// As [`Value::parse`], but `Err` when the text holds more than [`MAX_VALUES`]
    /// values: a tree costs some 20 to 40 times the bytes of its text, so 32 MiB of
    /// `[0,0,…]` is refused rather than built (the values read so far are dropped as
    /// soon as the budget runs out).
    pub(crate) fn parse_bounded(text: &str) -> Result<Option<Value>, ()> {
        let mut reader = Reader::new(text);
        let mut budget = MAX_VALUES + 1;
        let value = read(&mut reader, &mut budget);
        if budget == 0 {
            return Err(());
        }
        Ok(value.filter(|_| reader.at_end()))
    }

    /// The field `key` of an object; `None` for other values or a missing field.
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The field `key` of an object when it is a string.
    pub(crate) fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::str)
    }

    /// A string's text.
    pub(crate) fn str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s.as_str()),
            _ => None,
        }
    }

    /// A whole number from 0 to `u64::MAX` written without fraction or exponent.
    pub(crate) fn u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => match whole(n, u64::MAX)? {
                (false, n) => Some(n),
                (true, 0) => Some(0),
                (true, _) => None,
            },
            _ => None,
        }
    }

    /// A whole number from `-u64::MAX` to `u64::MAX`: the sign and the magnitude.
    pub(crate) fn signed(&self) -> Option<(bool, u64)> {
        match self {
            Value::Number(n) => whole(n, u64::MAX),
            _ => None,
        }
    }

    /// An array's items.
    pub(crate) fn array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// An object's fields.
    pub(crate) fn fields(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Object(fields) => Some(fields),
            _ => None,
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub(crate) fn bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl core::fmt::Debug for Value {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(_) => f.write_str("Number(..)"),
            Value::String(_) => f.write_str("String(..)"),
            Value::Array(items) => f.debug_list().entries(items).finish(),
            Value::Object(fields) => f
                .debug_map()
                .entries(fields.iter().map(|(k, v)| (k, v)))
                .finish(),
        }
    }
}

/// The most values one JSON text may hold: twice what an export of
/// [`super::MAX_ENTRIES`] entries of some fifty values each needs.
pub(crate) const MAX_VALUES: usize = 1_000_000;

fn read(reader: &mut Reader<'_>, budget: &mut usize) -> Option<Value> {
    *budget = budget.checked_sub(1)?;
    Some(match reader.token()? {
        Token::Null => Value::Null,
        Token::Bool(b) => Value::Bool(b),
        Token::Number(n) => Value::Number(Zeroizing::new(n.into())),
        Token::String(raw) => {
            let mut text = Zeroizing::new(String::with_capacity(raw.len()));
            unescape(raw, &mut text)?;
            Value::String(text)
        }
        Token::Array => {
            let mut items = Vec::new();
            reader.items(|r| {
                items.push(read(r, budget)?);
                Some(())
            })?;
            Value::Array(items)
        }
        Token::Object => {
            let mut fields = Vec::new();
            reader.fields(|key, r| {
                let mut name = String::with_capacity(key.len());
                unescape(key, &mut name)?;
                fields.push((name, read(r, budget)?));
                Some(())
            })?;
            Value::Object(fields)
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::{Value, MAX_VALUES};

    #[test]
    fn reads_a_tree() {
        let v = Value::parse(r#" {"a":[1,-2,"x\u00e9"],"b":{"c":null,"d":true},"a":0} "#).unwrap();
        let a = v.get("a").unwrap().array().unwrap();
        assert_eq!(a[0].u64(), Some(1));
        assert_eq!(a[1].u64(), None);
        assert_eq!(a[1].signed(), Some((true, 2)));
        assert_eq!(a[2].str(), Some("xé"));
        assert!(v.get("b").unwrap().get("c").unwrap().is_null());
        assert_eq!(v.get("b").unwrap().get("d").unwrap().bool(), Some(true));
        assert!(v.get("z").is_none());
        assert_eq!(Value::parse("1.5").unwrap().u64(), None);
    }

    #[test]
    fn at_most_max_values_values() {
        let list = |n: usize| alloc::format!("[{}]", alloc::vec!["0"; n].join(","));
        // The array itself is one value.
        assert!(Value::parse_bounded(&list(MAX_VALUES - 1))
            .unwrap()
            .is_some());
        assert!(Value::parse_bounded(&list(MAX_VALUES)).is_err());
    }

    #[test]
    fn debug_shows_no_string_or_number() {
        let v = Value::parse(r#"{"secret":"JBSWY3DP","bytes":[-12,7],"ok":true}"#).unwrap();
        assert_eq!(
            alloc::format!("{v:?}"),
            r#"{"secret": String(..), "bytes": [Number(..), Number(..)], "ok": true}"#
        );
    }

    #[test]
    fn refuses_what_is_not_one_json_value() {
        for bad in ["", "{", "[1,]", "{} {}", "\"\\ud800\"", "01", "[1 2]"] {
            assert!(Value::parse(bad).is_none(), "{bad:?}");
        }
        let deep = "[".repeat(17) + &"]".repeat(17);
        assert!(Value::parse(&deep).is_none());
        let ok = "[".repeat(16) + &"]".repeat(16);
        assert!(Value::parse(&ok).is_some());
    }
}
