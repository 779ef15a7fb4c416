//! WHM's wire forms for JSON values, and their mapping to plain Rust types.
//!
//! WHM API 1 is loose about types on the wire: booleans travel as `1`/`0`
//! (sometimes as `"1"`/`"0"`), numbers sometimes arrive as strings, and a
//! string field may arrive as a number. Generated types use plain Rust types
//! (`bool`, `i64`, `String`, ...) and route every field through this module
//! with `#[serde(with = "whm_runtime::wire")]`, so the looseness is handled
//! once, here, rather than in every generated struct.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Limit;
use crate::values::{StringOrInteger, YesNo};

/// A value with a WHM wire form: how it is read from and written to JSON.
///
/// Implemented here for the scalar types generated code uses, for `Option`,
/// `Vec` and `BTreeMap<String, _>` of them, and (through [`impl_wire_serde!`]
/// and [`impl_wire_enum!`]) for generated structs and enums.
///
/// [`impl_wire_serde!`]: crate::impl_wire_serde
/// [`impl_wire_enum!`]: crate::impl_wire_enum
pub trait Wire: Sized {
    /// Reads the value from any of the forms WHM sends.
    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
    /// Writes the value in the form WHM itself writes.
    fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

/// Entry point for `#[serde(with = "whm_runtime::wire")]`: serializes `value` in its wire form.
pub fn serialize<T: Wire, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    value.serialize_wire(serializer)
}

/// Entry point for `#[serde(with = "whm_runtime::wire")]`: deserializes from any accepted wire form.
pub fn deserialize<'de, T: Wire, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::deserialize_wire(deserializer)
}

/// Adapts a [`Wire`] value to plain serde, for use inside containers.
struct AsWire<T>(T);

impl<'de, T: Wire> Deserialize<'de> for AsWire<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_wire(deserializer).map(AsWire)
    }
}

struct AsWireRef<'a, T>(&'a T);

impl<T: Wire> Serialize for AsWireRef<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_wire(serializer)
    }
}

/// Any JSON scalar, as WHM might send it where a typed value is expected.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Int(i128),
    /// A number with a fraction or exponent.
    Float(f64),
    /// A string.
    Str(String),
}

impl Scalar {
    /// A short description of what arrived, for error messages.
    pub fn describe(&self) -> String {
        match self {
            Scalar::Null => "null".to_owned(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Str(s) => format!("{s:?}"),
        }
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string, number, boolean or null")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Int(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Int(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

fn invalid<E: de::Error>(got: &Scalar, expected: &str) -> E {
    E::custom(format_args!(
        "expected {expected}, found {}",
        got.describe()
    ))
}

/// Parses WHM's spellings of a boolean: `1`/`0`, `"1"`/`"0"`, `true`/`false`.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "1" | "true" => Some(true),
        "0" | "false" | "" => Some(false),
        _ => None,
    }
}

/// A type read from one JSON scalar: what it makes of each form WHM may send.
///
/// [`ScalarOf`] visits the deserializer's own events with these, so a value
/// is read straight from the body: a string is borrowed, not first copied
/// into a [`Scalar`]. A form a type refuses (`None`) is reported exactly as
/// reading a [`Scalar`] first would report it.
trait FromScalar: Sized {
    /// What the type expects, for error messages.
    const EXPECTED: &'static str;
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
    fn from_i64(v: i64) -> Option<Self>;
    fn from_u64(v: u64) -> Option<Self>;
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
    fn from_str(v: &str) -> Option<Self>;
    /// An owned string, given back on refusal.
    fn from_string(v: String) -> Result<Self, String> {
        Self::from_str(&v).ok_or(v)
    }
}

/// Visits any JSON scalar as `T`, with [`ScalarVisitor`]'s expectations.
///
/// A form `T` refuses comes back as the [`Scalar`] that arrived, and
/// [`read_scalar`] turns it into the error once the deserializer has
/// returned, as reading a [`Scalar`] first did (so the error's position, as
/// the deserializer reports it, is the same).
struct ScalarOf<T>(PhantomData<T>);

/// Reads `T` from any of the scalar forms it accepts.
#[inline]
fn read_scalar<'de, T: FromScalar, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer
        .deserialize_any(ScalarOf(PhantomData))?
        .map_err(|got| invalid(&got, T::EXPECTED))
}

impl<'de, T: FromScalar> Visitor<'de> for ScalarOf<T> {
    type Value = Result<T, Scalar>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        ScalarVisitor.expecting(f)
    }
    #[inline]
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(T::from_bool(v).ok_or(Scalar::Bool(v)))
    }
    #[inline]
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(T::from_i64(v).ok_or(Scalar::Int(v.into())))
    }
    #[inline]
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(T::from_u64(v).ok_or(Scalar::Int(v.into())))
    }
    #[inline]
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(T::from_f64(v).ok_or(Scalar::Float(v)))
    }
    #[inline]
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(T::from_str(v).ok_or_else(|| Scalar::Str(v.to_owned())))
    }
    #[inline]
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(T::from_string(v).map_err(Scalar::Str))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Err(Scalar::Null))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Err(Scalar::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl FromScalar for bool {
    const EXPECTED: &'static str = "1 or 0";
    fn from_bool(v: bool) -> Option<Self> {
        Some(v)
    }
    fn from_i64(v: i64) -> Option<Self> {
        match v {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn from_u64(v: u64) -> Option<Self> {
        match v {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn from_str(v: &str) -> Option<Self> {
        parse_bool(v)
    }
}

impl Wire for bool {
    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_scalar(deserializer)
    }
    fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(u8::from(*self))
    }
}

impl FromScalar for i64 {
    const EXPECTED: &'static str = "an integer";
    fn from_i64(v: i64) -> Option<Self> {
        Some(v)
    }
    fn from_u64(v: u64) -> Option<Self> {
        i64::try_from(v).ok()
    }
    fn from_f64(v: f64) -> Option<Self> {
        (v.fract() == 0.0 && v.abs() < 9.0e15).then_some(v as i64)
    }
    fn from_str(v: &str) -> Option<Self> {
        v.trim().parse().ok()
    }
}

impl Wire for i64 {
    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_scalar(deserializer)
    }
    fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(*self)
    }
}

impl FromScalar for f64 {
    const EXPECTED: &'static str = "a number";
    fn from_i64(v: i64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(v)
    }
    fn from_str(v: &str) -> Option<Self> {
        v.trim().parse().ok()
    }
}

impl Wire for f64 {
    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_scalar(deserializer)
    }
    fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(*self)
    }
}

// WHM sends some documented strings as bare numbers (disk limits, quotas).
impl FromScalar for String {
    const EXPECTED: &'static str = "a string";
    fn from_bool(v: bool) -> Option<Self> {
        Some(u8::from(v).to_string())
    }
    fn from_i64(v: i64) -> Option<Self> {
        Some(v.to_string())
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(v.to_string())
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(v.to_string())
    }
    #[inline]
    fn from_str(v: &str) -> Option<Self> {
        Some(v.to_owned())
    }
    #[inline]
    fn from_string(v: String) -> Result<Self, String> {
        Ok(v)
    }
}

impl Wire for String {
    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_scalar(deserializer)
    }
    fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

impl FromScalar for Limit {
    const EXPECTED: &'static str = "a non-negative integer or \"unlimited\"";
    fn from_i64(v: i64) -> Option<Self> {
        u64::try_from(v).ok().map(Limit::from_count)
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(Limit::from_count(v))
    }
    fn from_str(v: &str) -> Option<Self> {
        v.parse().ok()
    }
}

impl Wire for Limit {
    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_scalar(deserializer)
    }
    fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Limit::Limited(n) => serializer.serialize_u64(*n),
            Limit::Unlimited => serializer.serialize_str("unlimited"),
        }
    }
}

impl FromScalar for YesNo {
    const EXPECTED: &'static str = "\"y\" or \"n\"";
    fn from_i64(_: i64) -> Option<Self> {
        None
    }
    fn from_u64(_: u64) -> Option<Self> {
        None
    }
    fn from_str(v: &str) -> Option<Self> {
        YesNo::parse(v)
    }
}

impl Wire for YesNo {
    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_scalar(deserializer)
    }
    fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

// A number stays a number and text stays text, so an answer is written back as it came.
impl FromScalar for StringOrInteger {
    const EXPECTED: &'static str = "a whole number or a string";
    fn from_i64(v: i64) -> Option<Self> {
        Some(StringOrInteger::Integer(v))
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(match i64::try_from(v) {
            Ok(n) => StringOrInteger::Integer(n),
            Err(_) => StringOrInteger::String(v.to_string()),
        })
    }
    fn from_str(v: &str) -> Option<Self> {
        Some(StringOrInteger::String(v.to_owned()))
    }
    fn from_string(v: String) -> Result<Self, String> {
        Ok(StringOrInteger::String(v))
    }
}

impl Wire for StringOrInteger {
    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_scalar(deserializer)
    }
    fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            StringOrInteger::Integer(n) => serializer.serialize_i64(*n),
            StringOrInteger::String(s) => serializer.serialize_str(s),
        }
    }
}

impl Wire for serde_json::Value {
    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(deserializer)
    }
    fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize(serializer)
    }
}

impl<T: Wire> Wire for Option<T> {
    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<AsWire<T>>::deserialize(deserializer).map(|v| v.map(|w| w.0))
    }
    fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => serializer.serialize_some(&AsWireRef(v)),
            None => serializer.serialize_none(),
        }
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SeqVisitor<T>(PhantomData<T>);
        impl<'de, T: Wire> Visitor<'de> for SeqVisitor<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(AsWire(v)) = seq.next_element::<AsWire<T>>()? {
                    out.push(v);
                }
                Ok(out)
            }
            // XML and some WHM versions send a one-element array as the element itself.
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
                let one = T::deserialize_wire(de::value::MapAccessDeserializer::new(map))?;
                Ok(vec![one])
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
                T::deserialize_wire(de::value::StrDeserializer::<E>::new(v)).map(|one| vec![one])
            }
        }
        deserializer.deserialize_any(SeqVisitor(PhantomData))
    }
    fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for item in self {
            seq.serialize_element(&AsWireRef(item))?;
        }
        seq.end()
    }
}

impl<T: Wire> Wire for BTreeMap<String, T> {
    fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, AsWire<T>>::deserialize(deserializer)?;
        Ok(map.into_iter().map(|(k, v)| (k, v.0)).collect())
    }
    fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (k, v) in self {
            map.serialize_entry(k, &AsWireRef(v))?;
        }
        map.end()
    }
}

/// A closed set of values that WHM sends as strings or integers.
///
/// Generated enums implement this, keeping values the spec does not list in
/// an `Unknown` variant so that a server that adds a value breaks no client.
pub trait WireEnum: Sized {
    /// Whether the values are integers on the wire (written as JSON numbers).
    const NUMERIC: bool;
    /// Every known value's wire spelling, in spec order.
    const VALUES: &'static [&'static str];
    /// The value for a wire spelling, `Unknown` when the spec does not list it.
    fn from_wire(value: &str) -> Self;
    /// The wire spelling of the value.
    fn as_wire(&self) -> Cow<'_, str>;
    /// Whether the value is one the spec lists.
    fn is_known(&self) -> bool;
}

/// Reads a [`WireEnum`] from a string or number; used by [`impl_wire_enum!`].
///
/// [`impl_wire_enum!`]: crate::impl_wire_enum
pub fn deserialize_enum<'de, T: WireEnum, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    read_scalar::<EnumOf<T>, D>(deserializer).map(|EnumOf(value)| value)
}

/// A [`WireEnum`] read as a scalar: from a string, a number or a boolean.
struct EnumOf<T>(T);

impl<T: WireEnum> FromScalar for EnumOf<T> {
    const EXPECTED: &'static str = "one of the documented values";
    fn from_bool(v: bool) -> Option<Self> {
        Some(EnumOf(T::from_wire(if v { "1" } else { "0" })))
    }
    fn from_i64(v: i64) -> Option<Self> {
        Some(EnumOf(T::from_wire(&v.to_string())))
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(EnumOf(T::from_wire(&v.to_string())))
    }
    #[inline]
    fn from_str(v: &str) -> Option<Self> {
        Some(EnumOf(T::from_wire(v)))
    }
}

/// Writes a [`WireEnum`] as WHM does; used by [`impl_wire_enum!`].
///
/// [`impl_wire_enum!`]: crate::impl_wire_enum
pub fn serialize_enum<T: WireEnum, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let wire = value.as_wire();
    if T::NUMERIC
        && let Ok(n) = wire.parse::<i64>()
    {
        return serializer.serialize_i64(n);
    }
    serializer.serialize_str(&wire)
}

/// Implements [`WireEnum`] (and, through [`impl_wire_enum!`], everything
/// else a generated enum needs) from a table of variants and wire values.
///
/// The enum must have the listed unit variants and an `Unknown(String)`
/// variant, which keeps any value the table does not list:
///
/// ```
/// #[derive(Debug, Clone, PartialEq, Eq, Hash)]
/// pub enum SearchMethod { Exact, Regex, Unknown(String) }
/// whm_runtime::wire_enum!(SearchMethod, numeric = false, { Exact => "exact", Regex => "regex" });
///
/// use whm_runtime::wire::WireEnum;
/// assert_eq!(SearchMethod::from_wire("regex"), SearchMethod::Regex);
/// assert_eq!(SearchMethod::from_wire("glob").as_wire(), "glob");
/// assert!(!SearchMethod::from_wire("glob").is_known());
/// ```
#[macro_export]
macro_rules! wire_enum {
    ($ty:ident, numeric = $numeric:literal, { $($variant:ident => $wire:literal),* $(,)? }) => {
        impl $crate::wire::WireEnum for $ty {
            const NUMERIC: bool = $numeric;
            const VALUES: &'static [&'static str] = &[$($wire),*];
            fn from_wire(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
            fn as_wire(&self) -> ::std::borrow::Cow<'_, str> {
                match self {
                    $(Self::$variant => ::std::borrow::Cow::Borrowed($wire),)*
                    Self::Unknown(value) => ::std::borrow::Cow::Borrowed(value.as_str()),
                }
            }
            fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }
        $crate::impl_wire_enum!($ty);
    };
}

/// Implements [`Wire`], `Serialize` and `Deserialize` for a generated enum that implements [`WireEnum`].
#[macro_export]
macro_rules! impl_wire_enum {
    ($ty:ty) => {
        impl $crate::wire::Wire for $ty {
            fn deserialize_wire<'de, D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::wire::deserialize_enum(deserializer)
            }
            fn serialize_wire<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::wire::serialize_enum(self, serializer)
            }
        }
        impl $crate::serde::Serialize for $ty {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::wire::serialize_enum(self, serializer)
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::wire::deserialize_enum(deserializer)
            }
        }
        impl ::core::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(&$crate::wire::WireEnum::as_wire(self))
            }
        }
        impl $crate::query::ToParam for $ty {
            fn to_param(&self) -> ::std::string::String {
                $crate::wire::WireEnum::as_wire(self).into_owned()
            }
        }
        impl $crate::query::FromParam for $ty {
            const EXPECTED: &'static str = "one of the documented values";
            fn from_param(value: &str) -> ::core::option::Option<Self> {
                let parsed = <$ty as $crate::wire::WireEnum>::from_wire(value);
                $crate::wire::WireEnum::is_known(&parsed).then_some(parsed)
            }
            fn expected() -> ::std::string::String {
                $crate::query::one_of(<$ty as $crate::wire::WireEnum>::VALUES)
            }
        }
    };
}

/// Implements [`Wire`] for a generated struct through its derived serde implementations.
#[macro_export]
macro_rules! impl_wire_serde {
    ($ty:ty) => {
        impl $crate::wire::Wire for $ty {
            fn deserialize_wire<'de, D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                <$ty as $crate::serde::Deserialize>::deserialize(deserializer)
            }
            fn serialize_wire<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::serde::Serialize::serialize(self, serializer)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct Sample {
        #[serde(default, with = "crate::wire")]
        flag: Option<bool>,
        #[serde(default, with = "crate::wire")]
        count: Option<i64>,
        #[serde(default, with = "crate::wire")]
        text: Option<String>,
        #[serde(default, with = "crate::wire")]
        list: Option<Vec<String>>,
        #[serde(default, with = "crate::wire")]
        limit: Option<Limit>,
    }

    #[test]
    fn accepts_whm_loose_forms() {
        let s: Sample = serde_json::from_str(
            r#"{"flag":"1","count":"42","text":17,"list":"only","limit":"unlimited"}"#,
        )
        .unwrap();
        assert_eq!(s.flag, Some(true));
        assert_eq!(s.count, Some(42));
        assert_eq!(s.text.as_deref(), Some("17"));
        assert_eq!(s.list, Some(vec!["only".to_owned()]));
        assert_eq!(s.limit, Some(Limit::Unlimited));
    }

    #[test]
    fn writes_booleans_as_one_and_zero() {
        let s = Sample {
            flag: Some(false),
            count: None,
            text: None,
            list: None,
            limit: Some(Limit::Limited(5)),
        };
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(
            json,
            r#"{"flag":0,"count":null,"text":null,"list":null,"limit":5}"#
        );
    }

    #[test]
    fn refuses_a_word_where_a_number_belongs() {
        let err = serde_json::from_str::<Sample>(r#"{"count":"many"}"#).unwrap_err();
        assert!(
            err.to_string()
                .contains("expected an integer, found \"many\""),
            "{err}"
        );
    }
}
