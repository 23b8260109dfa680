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

/// Most elements one array of a document may hold (components, services, dependencies,
/// relationships, the refs of one dependency): generous for real SBOMs (10⁶ components),
/// and a wall before a decompression bomb of repeated elements fills the memory.
pub const MAX_ELEMENTS: usize = 2_000_000;

fn too_many<E: de::Error>() -> E {
    E::custom(format!(
        "more than {MAX_ELEMENTS} elements in one array, the limit for one document"
    ))
}

/// A JSON array read as a stream, element by element, and refused past [`MAX_ELEMENTS`] (the
/// error carries the position where reading stopped). Anything else than an array is
/// skipped and flagged `bad`, as [`Lenient`] does.
#[derive(Debug)]
pub struct Capped<T> {
    pub items: Vec<T>,
    pub bad: bool,
}

impl<T> Default for Capped<T> {
    fn default() -> Self {
        Capped {
            items: Vec::new(),
            bad: false,
        }
    }
}

/// Drain whatever a visitor was given that it does not want.
struct Drain;

impl<'de> Visitor<'de> for Drain {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("anything")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<(), A::Error> {
        while a.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut a: A) -> Result<(), A::Error> {
        while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Capped<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Capped<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<Capped<T>, A::Error> {
                let mut items = Vec::new();
                while let Some(x) = a.next_element::<T>()? {
                    if items.len() == MAX_ELEMENTS {
                        return Err(too_many());
                    }
                    items.push(x);
                }
                Ok(Capped { items, bad: false })
            }
            fn visit_unit<E: de::Error>(self) -> Result<Capped<T>, E> {
                Ok(Capped::default())
            }
            fn visit_map<A: de::MapAccess<'de>>(self, a: A) -> Result<Capped<T>, A::Error> {
                Drain.visit_map(a)?;
                Ok(Capped {
                    items: Vec::new(),
                    bad: true,
                })
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Capped<T>, E> {
                Ok(Capped {
                    items: Vec::new(),
                    bad: true,
                })
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Capped<T>, E> {
                self.visit_str("")
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Capped<T>, E> {
                self.visit_str("")
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Capped<T>, E> {
                self.visit_str("")
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Capped<T>, E> {
                self.visit_str("")
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// An object read straight into `T` (no intermediate [`serde_json::Value`], so a large
/// element costs what its fields cost), or `Bad` when the element is not an object. `T`'s
/// own fields must be lenient ([`Text`], [`RefList`], [`Capped`]).
#[derive(Debug)]
pub enum Shaped<T> {
    Ok(T),
    Bad,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Shaped<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Shaped<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, a: A) -> Result<Shaped<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(a)).map(Shaped::Ok)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, a: A) -> Result<Shaped<T>, A::Error> {
                Drain.visit_seq(a)?;
                Ok(Shaped::Bad)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Shaped<T>, E> {
                Ok(Shaped::Bad)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Shaped<T>, E> {
                Ok(Shaped::Bad)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Shaped<T>, E> {
                Ok(Shaped::Bad)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Shaped<T>, E> {
                Ok(Shaped::Bad)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Shaped<T>, E> {
                Ok(Shaped::Bad)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Shaped<T>, E> {
                Ok(Shaped::Bad)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// A list of refs (a dependency's `dependsOn`) read as a stream, each ref kept once as it
/// comes: a dependency naming the same ref fifty million times costs one entry, and
/// distinct refs stop at [`MAX_ELEMENTS`].
#[derive(Debug, Default)]
pub struct RefList {
    pub refs: Vec<String>,
    /// Refs dropped because they were already listed.
    pub repeated: usize,
    /// Not a list.
    pub bad: bool,
}

impl<'de> Deserialize<'de> for RefList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RefList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of refs")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<RefList, A::Error> {
                let mut out = RefList::default();
                let mut seen = std::collections::HashSet::new();
                while let Some(t) = a.next_element::<Text>()? {
                    let Some(r) = t.get() else { continue };
                    if seen.contains(&r) {
                        out.repeated += 1;
                        continue;
                    }
                    if out.refs.len() == MAX_ELEMENTS {
                        return Err(too_many());
                    }
                    seen.insert(r.clone());
                    out.refs.push(r);
                }
                Ok(out)
            }
            fn visit_unit<E: de::Error>(self) -> Result<RefList, E> {
                Ok(RefList::default())
            }
            fn visit_map<A: de::MapAccess<'de>>(self, a: A) -> Result<RefList, A::Error> {
                Drain.visit_map(a)?;
                self.visit_str("")
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<RefList, E> {
                Ok(RefList {
                    bad: true,
                    ..RefList::default()
                })
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<RefList, E> {
                self.visit_str("")
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<RefList, E> {
                self.visit_str("")
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<RefList, E> {
                self.visit_str("")
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<RefList, E> {
                self.visit_str("")
            }
        }
        d.deserialize_any(V)
    }
}
