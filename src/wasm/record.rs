//! Records: the plain objects twofa returns and that callers store and pass back (a
//! parsed URI, a backup-code record, a warning). Each is described once, with
//! [`record!`]: that one description is the Rust struct, its JSON writer (JavaScript
//! reads it with `JSON.parse`), its JSON reader where records come back, and its
//! TypeScript declaration, which the module's `.d.ts` carries.
//!
//! Hand-written instead of serde + serde-wasm-bindgen + tsify: serde's derived visitors
//! would more than double the root module (16 KiB gzip in all), serde-wasm-bindgen reads
//! objects through getters that can throw through WebAssembly frames, and building
//! objects property by property from Rust costs four times JSON text in Node (measured:
//! 10.8 µs against 2.7 µs for a parsed URI).

use super::json::{unescape, whole, Reader, Token, Writer};
use alloc::string::String;
use alloc::vec::Vec;

/// The TypeScript type of a field's Rust type. (Its constants are read only inside
/// `typescript_custom_section` constants, which the dead-code lint does not see.)
#[allow(dead_code)]
pub(crate) trait Ts {
    const TS: &'static str;
    /// True for a field that may be left out: `name?: T`.
    const OPTIONAL: bool = false;
}

/// Writes a value as JSON.
pub(crate) trait ToJson {
    fn write(&self, w: &mut Writer);
    /// False for an optional field that is absent: it is left out of the object.
    fn present(&self) -> bool {
        true
    }
}

/// A record whose fields can be written into another's object (`..field` in a record).
pub(crate) trait Fields {
    fn fields(&self, w: &mut Writer);
}

/// Reads a value from JSON.
pub(crate) trait FromJson: Sized {
    /// The value, or the name of the innermost field at fault: `""` for this value.
    fn read(r: &mut Reader<'_>) -> Result<Self, &'static str>;
    /// The value of a field that is not there: `None` when the field is required.
    fn absent() -> Option<Self> {
        None
    }
}

/// The value itself is malformed.
const MALFORMED: &str = "";

/// A record as JSON text, its buffer zeroed when dropped.
pub(crate) fn to_json(value: &impl ToJson) -> zeroize::Zeroizing<String> {
    let mut w = Writer::new();
    value.write(&mut w);
    w.finish()
}

/// A record from JSON text: `Err(field)` names the field that is missing or malformed,
/// or is `""` when the text is not a record at all.
pub(crate) fn from_json<T: FromJson>(text: &str) -> Result<T, &'static str> {
    let mut r = Reader::new(text);
    let value = T::read(&mut r)?;
    if r.at_end() {
        Ok(value)
    } else {
        Err(MALFORMED)
    }
}

// ---------------------------------------------------------------------------------------
// Field types

impl Ts for str {
    const TS: &'static str = "string";
}
impl Ts for String {
    const TS: &'static str = "string";
}
impl<T: Ts + ?Sized> Ts for &T {
    const TS: &'static str = T::TS;
    const OPTIONAL: bool = T::OPTIONAL;
}
impl<T: ToJson + ?Sized> ToJson for &T {
    fn write(&self, w: &mut Writer) {
        (**self).write(w);
    }
    fn present(&self) -> bool {
        (**self).present()
    }
}
impl ToJson for str {
    fn write(&self, w: &mut Writer) {
        w.string(self);
    }
}
impl ToJson for String {
    fn write(&self, w: &mut Writer) {
        w.string(self);
    }
}
impl FromJson for String {
    fn read(r: &mut Reader<'_>) -> Result<String, &'static str> {
        match r.token() {
            Some(Token::String(raw)) => {
                let mut out = String::with_capacity(raw.len());
                unescape(raw, &mut out).ok_or(MALFORMED)?;
                Ok(out)
            }
            _ => Err(MALFORMED),
        }
    }
}

impl Ts for bool {
    const TS: &'static str = "boolean";
}
impl ToJson for bool {
    fn write(&self, w: &mut Writer) {
        w.boolean(*self);
    }
}
impl FromJson for bool {
    fn read(r: &mut Reader<'_>) -> Result<bool, &'static str> {
        match r.token() {
            Some(Token::Bool(b)) => Ok(b),
            _ => Err(MALFORMED),
        }
    }
}

/// The largest integer a JavaScript number holds exactly.
pub(crate) const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;
/// The range of a JavaScript `Date`, in milliseconds either side of 1970.
pub(crate) const MAX_TIME: u64 = 8_640_000_000_000_000;

fn number(r: &mut Reader<'_>, max: u64) -> Result<(bool, u64), &'static str> {
    match r.token() {
        Some(Token::Number(text)) => whole(text, max).ok_or(MALFORMED),
        _ => Err(MALFORMED),
    }
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Ts for $t {
            const TS: &'static str = "number";
        }
        impl ToJson for $t {
            fn write(&self, w: &mut Writer) {
                w.integer(i64::try_from(*self).unwrap_or(i64::MAX));
            }
        }
        impl FromJson for $t {
            fn read(r: &mut Reader<'_>) -> Result<$t, &'static str> {
                let max = u64::try_from(<$t>::MAX).unwrap_or(u64::MAX).min(MAX_SAFE_INTEGER);
                match number(r, max)? {
                    (false, n) | (true, n @ 0) => <$t>::try_from(n).map_err(|_| MALFORMED),
                    (true, _) => Err(MALFORMED),
                }
            }
        }
    )*};
}
unsigned!(u32, usize);

/// A record's revision: a safe integer, written always. Records written before
/// revisions existed have none, and read as 0.
impl Ts for u64 {
    const TS: &'static str = "number";
}
impl ToJson for u64 {
    fn write(&self, w: &mut Writer) {
        w.integer(i64::try_from(*self).unwrap_or(i64::MAX));
    }
}
impl FromJson for u64 {
    fn read(r: &mut Reader<'_>) -> Result<u64, &'static str> {
        match number(r, MAX_SAFE_INTEGER)? {
            (false, n) | (true, n @ 0) => Ok(n),
            (true, _) => Err(MALFORMED),
        }
    }
    fn absent() -> Option<u64> {
        Some(0)
    }
}

/// Unix milliseconds, within the range of a `Date`.
impl Ts for i64 {
    const TS: &'static str = "number";
}
impl ToJson for i64 {
    fn write(&self, w: &mut Writer) {
        w.integer(*self);
    }
}
impl FromJson for i64 {
    fn read(r: &mut Reader<'_>) -> Result<i64, &'static str> {
        let (negative, n) = number(r, MAX_TIME)?;
        let n = i64::try_from(n).map_err(|_| MALFORMED)?;
        Ok(if negative { -n } else { n })
    }
}

/// A 64-bit counter: a number while it is a safe integer, unless it came as a bigint;
/// a bigint past that.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Counter {
    pub(crate) value: u64,
    pub(crate) bigint: bool,
}
impl Counter {
    /// A counter that is a bigint only past `Number.MAX_SAFE_INTEGER`.
    pub(crate) fn of(value: u64) -> Counter {
        Counter {
            value,
            bigint: value > MAX_SAFE_INTEGER,
        }
    }
}
impl Ts for Counter {
    const TS: &'static str = "number | bigint";
}
impl ToJson for Counter {
    fn write(&self, w: &mut Writer) {
        if self.bigint || self.value > MAX_SAFE_INTEGER {
            w.bigint(self.value);
        } else {
            w.integer(i64::try_from(self.value).unwrap_or(i64::MAX));
        }
    }
}

impl<T: Ts> Ts for Option<T> {
    const TS: &'static str = T::TS;
    const OPTIONAL: bool = true;
}
/// In an object an absent `Option` field is left out (unless marked `nullable`); in a
/// list it is `null`.
impl<T: ToJson> ToJson for Option<T> {
    fn write(&self, w: &mut Writer) {
        match self {
            Some(v) => v.write(w),
            None => w.null(),
        }
    }
    fn present(&self) -> bool {
        self.is_some()
    }
}
impl<T: FromJson> FromJson for Option<T> {
    fn read(r: &mut Reader<'_>) -> Result<Option<T>, &'static str> {
        if r.eat_null() {
            return Ok(None);
        }
        T::read(r).map(Some)
    }
    fn absent() -> Option<Option<T>> {
        Some(None)
    }
}

/// The TypeScript type of a list of `T`.
#[allow(dead_code)]
pub(crate) trait TsList {
    const LIST: &'static str;
}
impl TsList for String {
    const LIST: &'static str = "string[]";
}
impl TsList for Option<String> {
    const LIST: &'static str = "(string | null)[]";
}
impl TsList for &str {
    const LIST: &'static str = "string[]";
}
impl<T: TsList> Ts for Vec<T> {
    const TS: &'static str = T::LIST;
}
impl<T: TsList> Ts for [T] {
    const TS: &'static str = T::LIST;
}
impl<T: ToJson> ToJson for [T] {
    fn write(&self, w: &mut Writer) {
        w.array(|w| self.iter().for_each(|v| v.write(w)));
    }
}
impl<T: ToJson> ToJson for Vec<T> {
    fn write(&self, w: &mut Writer) {
        self.as_slice().write(w);
    }
}
/// Lists are read up to this many items: more is malformed.
pub(crate) const MAX_ITEMS: usize = 100_000;
impl<T: FromJson> FromJson for Vec<T> {
    fn read(r: &mut Reader<'_>) -> Result<Vec<T>, &'static str> {
        if r.token() != Some(Token::Array) {
            return Err(MALFORMED);
        }
        let mut out = Vec::new();
        let mut fault = MALFORMED;
        r.items(|r| {
            if out.len() == MAX_ITEMS {
                return None;
            }
            match T::read(r) {
                Ok(item) => {
                    out.push(item);
                    Some(())
                }
                Err(field) => {
                    fault = field;
                    None
                }
            }
        })
        .ok_or(fault)?;
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------
// TypeScript text at compile time. These run only inside `typescript_custom_section`
// constants, which the dead-code lint does not see.

/// The length of `parts` joined.
#[allow(clippy::indexing_slicing)] // evaluated at compile time: out of range is a build error
#[allow(dead_code)]
pub(crate) const fn joined_len(parts: &[&str]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < parts.len() {
        n += parts[i].len();
        i += 1;
    }
    n
}

/// `parts` joined, as the bytes of a `&'static str` of length `N`.
#[allow(clippy::indexing_slicing)] // evaluated at compile time: out of range is a build error
#[allow(dead_code)]
pub(crate) const fn join<const N: usize>(parts: &[&str]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut at = 0;
    let mut i = 0;
    while i < parts.len() {
        let bytes = parts[i].as_bytes();
        let mut j = 0;
        while j < bytes.len() {
            out[at] = bytes[j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

/// `parts` joined into a `&'static str`, at compile time.
macro_rules! const_str {
    ($parts:expr) => {{
        const PARTS: &[&str] = $parts;
        const LEN: usize = $crate::wasm::record::joined_len(PARTS);
        const BYTES: [u8; LEN] = $crate::wasm::record::join::<LEN>(PARTS);
        match core::str::from_utf8(&BYTES) {
            Ok(text) => text,
            Err(_) => panic!("TypeScript text is not UTF-8"),
        }
    }};
}
pub(crate) use const_str;

/// `"?"` for an optional field.
#[allow(dead_code)]
pub(crate) const fn optional(yes: bool) -> &'static str {
    if yes {
        "?"
    } else {
        ""
    }
}

/// Declares a record: the struct, its JSON writer (and reader, when marked `(read)`), and
/// its TypeScript declaration in the module's `.d.ts`.
///
/// ```ignore
/// record! {
///     /// What a site stores for one recovery code.
///     pub(crate) struct RecoveryRecord (read) {
///         /// The user it was issued for.
///         user: String,
///         /// When it was used, or `null`.
///         used_at as "usedAt": Nullable<i64> = "number | null",
///     }
/// }
/// ```
///
/// A field's TypeScript type is its Rust type's ([`Ts`]), or the text after `=`. An
/// `Option` field is left out when `None`, or written `null` when marked `[nullable]`. A field
/// written `..name: Type` puts `Type`'s fields into this record's object, and the
/// declaration becomes `Type & { … }`.
macro_rules! record {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident $(<$lt:lifetime>)? $(($read:ident))? {
            $(..$base:ident : $base_ty:ty,)?
            $(
                $(#[doc = $fdoc:literal])*
                $field:ident $(as $json:literal)? : $ty:ty $(= $ts:literal)? $([$nullable:ident])?
            ),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug)]
        $vis struct $name $(<$lt>)? {
            $(pub(crate) $base: $base_ty,)?
            $(pub(crate) $field: $ty,)*
        }

        $crate::wasm::record::record!(@impl [$name] [$($lt)?] $name [$($doc)*] [$($read)?] {
            $(..$base : $base_ty,)?
            $([$($fdoc)*] $field $(as $json)? : $ty $(= $ts)? $([$nullable])?),*
        });
    };
    (
        $(#[doc = $doc:literal])*
        impl $path:path as $name:ident $(($read:ident))? {
            $(..$base:ident : $base_ty:ty,)?
            $(
                $(#[doc = $fdoc:literal])*
                $field:ident $(as $json:literal)? : $ty:ty $(= $ts:literal)? $([$nullable:ident])?
            ),* $(,)?
        }
    ) => {
        $crate::wasm::record::record!(@impl [$path] [] $name [$($doc)*] [$($read)?] {
            $(..$base : $base_ty,)?
            $([$($fdoc)*] $field $(as $json)? : $ty $(= $ts)? $([$nullable])?),*
        });
    };
    (@impl [$target:path] [$($lt:lifetime)?] $name:ident [$($doc:literal)*] [$($read:ident)?] {
        $(..$base:ident : $base_ty:ty,)?
        $([$($fdoc:literal)*] $field:ident $(as $json:literal)? : $ty:ty $(= $ts:literal)? $([$nullable:ident])?),*
    }) => {
        impl $(<$lt>)? $crate::wasm::record::Fields for $target {
            fn fields(&self, w: &mut $crate::wasm::json::Writer) {
                $($crate::wasm::record::Fields::fields(&self.$base, w);)?
                $(
                    if $crate::wasm::record::record!(@present $($nullable)?)
                        || $crate::wasm::record::ToJson::present(&self.$field)
                    {
                        w.key($crate::wasm::record::record!(@key $field $($json)?));
                        $crate::wasm::record::ToJson::write(&self.$field, w);
                    }
                )*
            }
        }

        impl $(<$lt>)? $crate::wasm::record::ToJson for $target {
            fn write(&self, w: &mut $crate::wasm::json::Writer) {
                w.object(|w| $crate::wasm::record::Fields::fields(self, w));
            }
        }

        impl $(<$lt>)? $crate::wasm::record::Ts for $target {
            const TS: &'static str = stringify!($name);
        }

        impl $(<$lt>)? $crate::wasm::record::TsList for $target {
            const LIST: &'static str = concat!(stringify!($name), "[]");
        }

        #[cfg(target_arch = "wasm32")] // the declaration rides in the module's custom section
        const _: () = {
            #[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
            const TS_DECLARATION: &'static str = $crate::wasm::record::const_str!(&[
                "\n/**", $($doc, "\n *",)* "/\nexport ",
                $crate::wasm::record::record!(@head $name $($base_ty)?),
                $(
                    "\n  /**", $($fdoc, "\n   *",)* "/\n  ",
                    $crate::wasm::record::record!(@key $field $($json)?),
                    $crate::wasm::record::optional(
                        <$ty as $crate::wasm::record::Ts>::OPTIONAL
                            && !$crate::wasm::record::record!(@present $($nullable)?)
                    ),
                    ": ",
                    $crate::wasm::record::record!(@ts $ty $(, $ts)?),
                    ";",
                )*
                "\n}",
                $crate::wasm::record::record!(@tail $($base_ty)?),
                "\n",
            ]);
        };

        $crate::wasm::record::record!(@read $($read)? [$target] { $($field $($json)? : $ty),* });
    };
    (@present) => { false };
    (@present nullable) => { true };
    (@key $field:ident) => { stringify!($field) };
    (@key $field:ident $json:literal) => { $json };
    (@ts $ty:ty) => { <$ty as $crate::wasm::record::Ts>::TS };
    (@ts $ty:ty, $ts:literal) => { $ts };
    (@head $name:ident) => { concat!("interface ", stringify!($name), " {") };
    (@head $name:ident $base:ty) => {
        $crate::wasm::record::const_str!(&[
            "type ", stringify!($name), " = ", <$base as $crate::wasm::record::Ts>::TS, " & {"
        ])
    };
    (@tail) => { "" };
    (@tail $base:ty) => { ";" };
    (@read [$target:path] { $($rest:tt)* }) => {};
    (@read read [$target:path] { $($field:ident $($json:literal)? : $ty:ty),* }) => {
        impl $crate::wasm::record::FromJson for $target {
            fn read(r: &mut $crate::wasm::json::Reader<'_>) -> Result<Self, &'static str> {
                $crate::wasm::record::read_record::<Self>(r)
            }
        }

        impl $crate::wasm::record::ReadFields for $target {
            type Partial = ($(Option<$ty>,)*);
            fn field(
                partial: &mut Self::Partial,
                key: &str,
                r: &mut $crate::wasm::json::Reader<'_>,
            ) -> Result<bool, &'static str> {
                let ($($field,)*) = partial;
                $(
                    let name = $crate::wasm::record::record!(@key $field $($json)?);
                    if key == name {
                        let value = <$ty as $crate::wasm::record::FromJson>::read(r)
                            .map_err(|inner| if inner.is_empty() { name } else { inner })?;
                        *$field = Some(value);
                        return Ok(true);
                    }
                )*
                Ok(false)
            }
            fn finish(partial: Self::Partial) -> Result<Self, &'static str> {
                let ($($field,)*) = partial;
                Ok(Self {
                    $(
                        $field: match $field {
                            Some(value) => value,
                            None => <$ty as $crate::wasm::record::FromJson>::absent()
                                .ok_or($crate::wasm::record::record!(@key $field $($json)?))?,
                        },
                    )*
                })
            }
        }
    };
}
pub(crate) use record;

/// Declares a union of records: the enum, its JSON writer, and its TypeScript type
/// `A | B`.
macro_rules! union {
    (
        $(#[doc = $doc:literal])*
        $vis:vis enum $name:ident $(<$lt:lifetime>)? {
            $($variant:ident($ty:ty)),+ $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug)]
        $vis enum $name $(<$lt>)? {
            $($variant($ty),)+
        }

        impl $(<$lt>)? $crate::wasm::record::Fields for $name $(<$lt>)? {
            fn fields(&self, w: &mut $crate::wasm::json::Writer) {
                match self {
                    $($name::$variant(v) => $crate::wasm::record::Fields::fields(v, w),)+
                }
            }
        }

        impl $(<$lt>)? $crate::wasm::record::ToJson for $name $(<$lt>)? {
            fn write(&self, w: &mut $crate::wasm::json::Writer) {
                w.object(|w| $crate::wasm::record::Fields::fields(self, w));
            }
        }

        impl $(<$lt>)? $crate::wasm::record::Ts for $name $(<$lt>)? {
            const TS: &'static str = stringify!($name);
        }

        impl $(<$lt>)? $crate::wasm::record::TsList for $name $(<$lt>)? {
            const LIST: &'static str = concat!(stringify!($name), "[]");
        }

        #[cfg(target_arch = "wasm32")] // the declaration rides in the module's custom section
        const _: () = {
            #[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
            const TS_DECLARATION: &'static str = $crate::wasm::record::const_str!(&[
                "\n/**", $($doc, "\n *",)* "/\nexport type ", stringify!($name), " =",
                $(" | ", <$ty as $crate::wasm::record::Ts>::TS,)+
                ";\n",
            ]);
        };
    };
}
pub(crate) use union;

/// Declares unit types that stand for one literal value, such as `"totp"` or `true`.
macro_rules! literal {
    ($($(#[doc = $doc:literal])* $name:ident = $value:literal as $ts:literal => |$w:ident| $write:expr;)*) => {$(
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) struct $name;
        impl Ts for $name {
            const TS: &'static str = $ts;
        }
        impl ToJson for $name {
            fn write(&self, $w: &mut Writer) {
                $write;
            }
        }
    )*};
}

literal! {
    /// `true`, as the tag of a union.
    Yes = true as "true" => |w| w.boolean(true);
    /// `false`, as the tag of a union.
    No = false as "false" => |w| w.boolean(false);
}

/// A string literal type, such as `"totp"`: `ToJson` writes it, and `Ts` is the literal.
macro_rules! string_literal {
    ($($(#[doc = $doc:literal])* $vis:vis $name:ident = $value:literal;)*) => {$(
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis struct $name;
        impl $crate::wasm::record::Ts for $name {
            const TS: &'static str = concat!("\"", $value, "\"");
        }
        impl $crate::wasm::record::ToJson for $name {
            fn write(&self, w: &mut $crate::wasm::json::Writer) {
                w.string($value);
            }
        }
    )*};
}
pub(crate) use string_literal;

/// Declares how a core enum with a `const fn as_str` crosses: as its text, and in
/// TypeScript as the union of its texts, under `TsName`.
macro_rules! string_enum {
    (
        $(#[doc = $doc:literal])*
        $ty:ident as $ts:literal { $($variant:ident),+ $(,)? }
    ) => {
        impl $crate::wasm::record::Ts for $ty {
            const TS: &'static str = $ts;
        }
        impl $crate::wasm::record::ToJson for $ty {
            fn write(&self, w: &mut $crate::wasm::json::Writer) {
                w.string(self.as_str());
            }
        }
        #[cfg(target_arch = "wasm32")] // the declaration rides in the module's custom section
        const _: () = {
            #[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
            const TS_DECLARATION: &'static str = $crate::wasm::record::const_str!(&[
                "\n/**", $($doc, "\n *",)* "/\nexport type ", $ts, " =",
                $(" | \"", $ty::$variant.as_str(), "\"",)+
                ";\n",
            ]);
        };
    };
}
pub(crate) use string_enum;

/// How [`record!`] reads a record's fields in any order.
pub(crate) trait ReadFields: Sized {
    /// Each field, once read.
    type Partial: Default;
    /// Reads the value of `key` if it is one of the record's fields (`Ok(false)` if not),
    /// or names the field whose value is malformed.
    fn field(
        partial: &mut Self::Partial,
        key: &str,
        r: &mut Reader<'_>,
    ) -> Result<bool, &'static str>;
    /// The record, or the name of a required field that is missing.
    fn finish(partial: Self::Partial) -> Result<Self, &'static str>;
}

/// Reads an object into a record; unknown keys are skipped, and a key given twice keeps
/// its last value, as `JSON.parse` does.
pub(crate) fn read_record<T: ReadFields>(r: &mut Reader<'_>) -> Result<T, &'static str> {
    if r.token() != Some(Token::Object) {
        return Err(MALFORMED);
    }
    let mut partial = T::Partial::default();
    let mut fault = MALFORMED;
    r.fields(|key, r| {
        let mut name = String::new();
        unescape(key, &mut name)?;
        match T::field(&mut partial, &name, r) {
            Ok(true) => Some(()),
            Ok(false) => r.skip(),
            Err(field) => {
                fault = field;
                None
            }
        }
    })
    .ok_or(fault)?;
    T::finish(partial)
}
