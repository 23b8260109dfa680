//! Lenient serde helpers: real SBOMs put numbers where strings belong and
//! objects where arrays belong. A field of the wrong shape must cost a
//! warning, not the whole document.

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, Visitor};
use std::fmt;

/// A field read leniently: `Bad` when present but of an unexpected shape.
#[derive(Debug, Default)]
pub enum Lenient<T> {
    #[default]
    Missing,
    Ok(T),
    Bad,
}

impl<T> Lenient<T> {
    /// The value when it was read, without taking it.
    pub fn as_ok(&self) -> Option<&T> {
        match self {
            Lenient::Ok(v) => Some(v),
            _ => None,
        }
    }

    /// The value, or `None`; `bad` is set when the field had the wrong shape.
    pub fn take(self, bad: &mut bool) -> Option<T> {
        match self {
            Lenient::Ok(v) => Some(v),
            Lenient::Missing => None,
            Lenient::Bad => {
                *bad = true;
                None
            }
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        if v.is_null() {
            return Ok(Lenient::Missing);
        }
        Ok(match T::deserialize(v) {
            Ok(t) => Lenient::Ok(t),
            Err(_) => Lenient::Bad,
        })
    }
}

/// A scalar read as text whatever its JSON type (string, number, bool);
/// objects and arrays are skipped and read as `None`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Text(pub Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(Some(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<Text, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut a: A) -> Result<Text, A::Error> {
                while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
        }
        d.deserialize_any(V)
    }
}

impl Text {
    /// The trimmed text, `None` when absent or blank.
    pub fn get(self) -> Option<String> {
        self.0
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }
}

/// One value or a list of them (CycloneDX `url` is a list, some tools write a string).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    pub fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(v) => vec![v],
            OneOrMany::Many(v) => v,
        }
    }
}
