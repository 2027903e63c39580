//! JSON: the text that records cross the boundary in, and the exports that
//! `transfer::import` reads.
//!
//! The text that records cross the boundary in. Rust writes it and JavaScript's
//! `JSON.parse` reads it; `JSON.stringify` writes it and Rust reads it back. Both sides
//! of a record come from its one description (`record!`).
//!
//! Only what JSON.stringify writes needs reading, but any well-formed JSON is read, and
//! anything else is refused without a panic: nesting deeper than [`MAX_DEPTH`], lone
//! surrogates, malformed escapes. Numbers stay text until a field reads them, so no
//! float parser is needed.

use alloc::string::String;
use zeroize::Zeroizing;

/// The deepest nesting read: records are two or three levels deep.
pub(crate) const MAX_DEPTH: usize = 16;

/// Builds JSON text. Its buffer is zeroed when dropped: records may carry secrets.
pub(crate) struct Writer {
    out: Zeroizing<String>,
    /// Whether a value was written at the current level, so a comma goes before the next.
    first: bool,
}

impl Writer {
    pub(crate) fn new() -> Writer {
        Writer {
            out: Zeroizing::new(String::with_capacity(256)),
            first: true,
        }
    }

    /// The text written.
    pub(crate) fn finish(self) -> Zeroizing<String> {
        self.out
    }

    fn separate(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
    }

    /// An object whose fields `body` writes with [`Writer::key`].
    pub(crate) fn object(&mut self, body: impl FnOnce(&mut Writer)) {
        self.separate();
        self.out.push('{');
        self.first = true;
        body(self);
        self.out.push('}');
        self.first = false;
    }

    /// An array whose items `body` writes.
    pub(crate) fn array(&mut self, body: impl FnOnce(&mut Writer)) {
        self.separate();
        self.out.push('[');
        self.first = true;
        body(self);
        self.out.push(']');
        self.first = false;
    }

    /// The key of the next field; its value comes next, written without a comma.
    pub(crate) fn key(&mut self, key: &str) {
        self.string(key);
        self.out.push(':');
        self.first = true;
    }

    pub(crate) fn string(&mut self, text: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.separate();
        self.out.push('"');
        // Runs of bytes that need no escape are copied whole; every byte that does is
        // ASCII, so the runs end on character boundaries.
        let mut rest = text;
        while let Some(at) = rest
            .bytes()
            .position(|b| b == b'"' || b == b'\\' || b < 0x20)
        {
            let (run, tail) = rest.split_at_checked(at).unwrap_or((rest, ""));
            self.out.push_str(run);
            let mut bytes = tail.bytes();
            let b = bytes.next().unwrap_or_default();
            match b {
                b'"' => self.out.push_str("\\\""),
                b'\\' => self.out.push_str("\\\\"),
                b'\n' => self.out.push_str("\\n"),
                b'\r' => self.out.push_str("\\r"),
                b'\t' => self.out.push_str("\\t"),
                _ => {
                    self.out.push_str("\\u00");
                    for nibble in [b >> 4, b & 15] {
                        self.out.push(char::from(
                            HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
                        ));
                    }
                }
            }
            rest = tail.get(1..).unwrap_or_default();
        }
        self.out.push_str(rest);
        self.out.push('"');
    }

    /// A whole number; the caller keeps it within `Number.MAX_SAFE_INTEGER`.
    pub(crate) fn integer(&mut self, n: i64) {
        self.separate();
        if n < 0 {
            self.out.push('-');
        }
        crate::error::Sink::num(&mut *self.out, n.unsigned_abs());
    }

    pub(crate) fn boolean(&mut self, b: bool) {
        self.separate();
        self.out.push_str(if b { "true" } else { "false" });
    }

    pub(crate) fn null(&mut self) {
        self.separate();
        self.out.push_str("null");
    }

    /// A value past `Number.MAX_SAFE_INTEGER`, as `{"$bigint":"…"}`, which the JavaScript
    /// side revives as a `bigint`.
    pub(crate) fn bigint(&mut self, n: u64) {
        self.object(|w| {
            w.key(BIGINT_KEY);
            w.separate();
            w.out.push('"');
            crate::error::Sink::num(&mut *w.out, n);
            w.out.push('"');
        });
    }
}

/// The key of a bigint written by [`Writer::bigint`] (and by the JavaScript replacer).
pub(crate) const BIGINT_KEY: &str = "$bigint";

/// Reads JSON text, one value at a time.
pub(crate) struct Reader<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
}

/// A JSON value at its most basic: numbers and strings are still text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    Null,
    Bool(bool),
    /// The number's text, as written: `-12`, `6.5`, `1e+21`.
    Number(&'a str),
    /// A string: its raw text between the quotes, escapes not yet decoded.
    String(&'a str),
    /// `{` or `[`: the reader is inside; read its members with `fields` or `items`.
    Object,
    Array,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(text: &'a str) -> Reader<'a> {
        Reader {
            text,
            at: 0,
            depth: 0,
        }
    }

    fn rest(&self) -> &'a str {
        self.text.get(self.at..).unwrap_or_default()
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        let trimmed = rest.trim_start_matches([' ', '\t', '\n', '\r']);
        self.at += rest.len() - trimmed.len();
    }

    fn eat(&mut self, c: u8) -> bool {
        self.skip_space();
        if self.rest().as_bytes().first() == Some(&c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// The next value's token. For an object or array the reader steps inside it.
    pub(crate) fn token(&mut self) -> Option<Token<'a>> {
        self.skip_space();
        let rest = self.rest();
        let first = *rest.as_bytes().first()?;
        let word = |w: &str, t: Token<'a>, r: &mut Reader<'a>| {
            rest.starts_with(w).then(|| {
                r.at += w.len();
                t
            })
        };
        match first {
            b'n' => word("null", Token::Null, self),
            b't' => word("true", Token::Bool(true), self),
            b'f' => word("false", Token::Bool(false), self),
            b'{' | b'[' => {
                if self.depth >= MAX_DEPTH {
                    return None;
                }
                self.depth += 1;
                self.at += 1;
                Some(if first == b'{' {
                    Token::Object
                } else {
                    Token::Array
                })
            }
            b'"' => {
                let body = rest.get(1..)?;
                let mut escaped = false;
                let end = body.bytes().position(|b| {
                    let done = b == b'"' && !escaped;
                    escaped = b == b'\\' && !escaped;
                    done
                })?;
                let raw = body.get(..end)?;
                // Control characters are escaped in JSON, never written as they are.
                if raw.bytes().any(|b| b < 0x20) {
                    return None;
                }
                self.at += end + 2;
                Some(Token::String(raw))
            }
            b'-' | b'0'..=b'9' => {
                let len = rest
                    .bytes()
                    .position(|b| !matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                    .unwrap_or(rest.len());
                let text = rest.get(..len)?;
                if !is_number(text.as_bytes()) {
                    return None;
                }
                self.at += len;
                Some(Token::Number(text))
            }
            _ => None,
        }
    }

    /// The fields of the object the reader just stepped into: `each(key, reader)` reads
    /// (or skips) every value. `None` for malformed text, or when `each` says so.
    pub(crate) fn fields(
        &mut self,
        mut each: impl FnMut(&'a str, &mut Reader<'a>) -> Option<()>,
    ) -> Option<()> {
        if !self.eat(b'}') {
            loop {
                let Some(Token::String(key)) = self.token() else {
                    return None;
                };
                if !self.eat(b':') {
                    return None;
                }
                each(key, self)?;
                if self.eat(b'}') {
                    break;
                }
                if !self.eat(b',') {
                    return None;
                }
            }
        }
        self.depth -= 1;
        Some(())
    }

    /// The items of the array the reader just stepped into, as [`Reader::fields`].
    pub(crate) fn items(
        &mut self,
        mut each: impl FnMut(&mut Reader<'a>) -> Option<()>,
    ) -> Option<()> {
        if !self.eat(b']') {
            loop {
                each(self)?;
                if self.eat(b']') {
                    break;
                }
                if !self.eat(b',') {
                    return None;
                }
            }
        }
        self.depth -= 1;
        Some(())
    }

    /// Reads a `null` if one comes next.
    pub(crate) fn eat_null(&mut self) -> bool {
        self.skip_space();
        if self.rest().starts_with("null") {
            self.at += 4;
            true
        } else {
            false
        }
    }

    /// Reads past one value, whatever it is: a string's escapes are checked too.
    pub(crate) fn skip(&mut self) -> Option<()> {
        match self.token()? {
            Token::Object => self.fields(|key, r| {
                unescape(key, &mut String::new())?;
                r.skip()
            }),
            Token::Array => self.items(Reader::skip),
            Token::String(raw) => unescape(raw, &mut String::new()),
            _ => Some(()),
        }
    }

    /// True when nothing but white space is left.
    pub(crate) fn at_end(&mut self) -> bool {
        self.skip_space();
        self.rest().is_empty()
    }
}

/// Whether `text` is a JSON number: `-`, then `0` or digits not starting with `0`, then
/// a fraction and an exponent, each optional.
fn is_number(text: &[u8]) -> bool {
    let digits = |t: &[u8]| t.iter().take_while(|b| b.is_ascii_digit()).count();
    let rest = text.strip_prefix(b"-").unwrap_or(text);
    let whole = digits(rest);
    if whole == 0 || (whole > 1 && rest.first() == Some(&b'0')) {
        return false;
    }
    let mut rest = rest.get(whole..).unwrap_or_default();
    if let Some(fraction) = rest.strip_prefix(b".") {
        let n = digits(fraction);
        if n == 0 {
            return false;
        }
        rest = fraction.get(n..).unwrap_or_default();
    }
    if let Some(exponent) = rest.strip_prefix(b"e").or_else(|| rest.strip_prefix(b"E")) {
        let exponent = exponent
            .strip_prefix(b"+")
            .or_else(|| exponent.strip_prefix(b"-"))
            .unwrap_or(exponent);
        let n = digits(exponent);
        if n == 0 {
            return false;
        }
        rest = exponent.get(n..).unwrap_or_default();
    }
    rest.is_empty()
}

/// Decodes a string token's escapes into `out`. `None` for a malformed escape or a lone
/// surrogate, which no Rust string can hold.
pub(crate) fn unescape(raw: &str, out: &mut String) -> Option<()> {
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let decoded = match chars.next()? {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let unit = hex4(&mut chars)?;
                if (0xd800..0xdc00).contains(&unit) {
                    if chars.next()? != '\\' || chars.next()? != 'u' {
                        return None;
                    }
                    let low = hex4(&mut chars)?;
                    if !(0xdc00..0xe000).contains(&low) {
                        return None;
                    }
                    char::from_u32(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00))?
                } else {
                    char::from_u32(unit)?
                }
            }
            _ => return None,
        };
        out.push(decoded);
    }
    Some(())
}

fn hex4(chars: &mut core::str::Chars<'_>) -> Option<u32> {
    let mut n = 0;
    for _ in 0..4 {
        n = (n << 4) | chars.next()?.to_digit(16)?;
    }
    Some(n)
}

/// A JSON number written as a whole number in plain digits, such as `-12` or `42`, without
/// a fraction or an exponent: `None` otherwise, or past `max` either way.
pub(crate) fn whole(text: &str, max: u64) -> Option<(bool, u64)> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    (n <= max).then_some((negative, n))
}

#[cfg(feature = "import")]
impl Writer {
    /// A writer whose buffer holds `capacity` bytes before it grows. Text that carries
    /// secrets is sized up front: a buffer that grows leaves its old copy behind, unzeroed.
    pub(crate) fn with_capacity(capacity: usize) -> Writer {
        Writer {
            out: Zeroizing::new(String::with_capacity(capacity)),
            first: true,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    /// Every token of `text`, flattened, with strings unescaped.
    fn tokens(text: &str) -> Option<Vec<String>> {
        fn walk(r: &mut Reader<'_>, out: &mut Vec<String>) -> Option<()> {
            match r.token()? {
                Token::Object => {
                    out.push("{".into());
                    r.fields(|k, r| {
                        out.push(alloc::format!("key {k}"));
                        walk(r, out)
                    })?;
                    out.push("}".into());
                }
                Token::Array => {
                    out.push("[".into());
                    r.items(|r| walk(r, out))?;
                    out.push("]".into());
                }
                Token::String(raw) => {
                    let mut s = String::new();
                    unescape(raw, &mut s)?;
                    out.push(alloc::format!("str {s}"));
                }
                other => out.push(alloc::format!("{other:?}")),
            }
            Some(())
        }
        let mut r = Reader::new(text);
        let mut out = Vec::new();
        walk(&mut r, &mut out)?;
        r.at_end().then_some(out)
    }

    #[test]
    fn reads_what_json_stringify_writes() {
        assert_eq!(
            tokens(r#"{"a":[1,-2.5,1e+21,true,null],"b\"":"x\u00e9\ud83d\udd11\n","c":{}}"#)
                .unwrap(),
            [
                "{",
                "key a",
                "[",
                "Number(\"1\")",
                "Number(\"-2.5\")",
                "Number(\"1e+21\")",
                "Bool(true)",
                "Null",
                "]",
                "key b\\\"",
                "str xé🔑\n",
                "key c",
                "{",
                "}",
                "}"
            ]
        );
        assert_eq!(tokens(" [ ] ").unwrap(), ["[", "]"]);
    }

    #[test]
    fn refuses_what_is_not_json() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\"}",
            "{\"a\":1,}",
            "nul",
            "\"\\ud800\"",
            "\"\\x\"",
            "\"\\u12\"",
            "\"abc",
            "{1:2}",
            "[1 2]",
            "{} {}",
            "\"\\ud800\\u0041\"",
            // Numbers only as JSON has them (an input of the records fuzz target had a
            // time written `0001593570727`, and it was read).
            "-",
            "01",
            "-01",
            "1.",
            ".5",
            "1e",
            "1e+",
            "1-2",
            "+1",
            "1.2.3",
            // A control character written as it is, in a value or a key.
            "\"a\nb\"",
            "{\"a\tb\":1}",
        ] {
            assert_eq!(tokens(bad), None, "{bad}");
        }
        // Nesting past MAX_DEPTH is refused, not recursed into.
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(tokens(&deep), None);
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(tokens(&ok).is_some());
        let mut r = Reader::new(&deep);
        assert_eq!(r.skip(), None);
        // What is skipped is checked as what is read: escapes in values and keys.
        for bad in [r#"["\x"]"#, r#"{"\q":1}"#, r#"["\ud800"]"#] {
            assert_eq!(Reader::new(bad).skip(), None, "{bad}");
        }
        assert_eq!(Reader::new(r#"{"\u00e9":["\n",{}]}"#).skip(), Some(()));
    }

    #[test]
    fn numbers_as_json_has_them() {
        for good in [
            "0", "-0", "7", "-12", "6.5", "0.25", "1e21", "1E+21", "2.5e-3", "-0.0E0",
        ] {
            assert_eq!(
                tokens(good).unwrap(),
                [format!("Number({good:?})")],
                "{good}"
            );
        }
    }

    #[test]
    fn strings_read_back_unchanged() {
        let mut all: String = (0u8..0x80).map(char::from).collect();
        all.push_str("é東🔑\u{2028}\\\"");
        for text in ["", "plain", "\"", "\\", "a\"b", "\u{1f}end", "\n\n", &all] {
            let mut w = Writer::new();
            w.string(text);
            let back: String = serde_json::from_str(&w.finish()).unwrap();
            assert_eq!(back, text);
        }
    }

    #[test]
    fn writes_what_json_parse_reads() {
        let mut w = Writer::new();
        w.object(|w| {
            w.key("s");
            w.string("a\"b\\c\n\u{1}é");
            w.key("n");
            w.integer(-42);
            w.key("l");
            w.array(|w| {
                w.boolean(true);
                w.null();
                w.bigint(u64::MAX);
            });
        });
        assert_eq!(
            &*w.finish(),
            r#"{"s":"a\"b\\c\n\u0001é","n":-42,"l":[true,null,{"$bigint":"18446744073709551615"}]}"#
        );
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(whole("42", 100), Some((false, 42)));
        assert_eq!(whole("-7", 100), Some((true, 7)));
        for bad in [
            "6.5",
            "1e3",
            "",
            "-",
            "+1",
            "101",
            "99999999999999999999999",
        ] {
            assert_eq!(whole(bad, 100), None, "{bad}");
        }
    }
}
