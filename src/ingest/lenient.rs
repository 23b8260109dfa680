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

/// Read from the document's own bytes: the field is first delimited as raw JSON (a scan that
/// allocates nothing), then parsed into `T` from that slice, so a field of the wrong shape is
/// dropped whole without building a [`serde_json::Value`] tree for every field that is fine.
/// Every reader parses its document from a byte slice, which lends the raw text; a
/// deserializer that cannot lend it (one that is not serde_json's) is an error, not a `Bad`.
impl<'de, T: DeserializeOwned> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[cfg(test)]
        if tests::THROUGH_VALUE.with(|v| v.get()) {
            return tests::through_value(d);
        }
        let raw = <&'de serde_json::value::RawValue>::deserialize(d)?;
        let text = raw.get();
        if text == "null" {
            return Ok(Lenient::Missing);
        }
        let Some(_level) = NestingLevel::enter() else {
            return Err(de::Error::custom(format!(
                "fields nested more than {MAX_LENIENT_NESTING} levels deep (components within \
                 components), the limit for one document"
            )));
        };
        match serde_json::from_str::<T>(text) {
            Ok(t) => Ok(Lenient::Ok(t)),
            // Too deep is the document's fault, not this field's: it stops the reading.
            Err(e) if NestingLevel::exceeded() => Err(de::Error::custom(e)),
            Err(_) => Ok(Lenient::Bad),
        }
    }
}

/// Most [`Lenient`] fields one may be nested in: each level parses its own slice again, so
/// the limit bounds both the stack and the times a byte is read (real SBOMs nest components
/// a few levels deep).
pub const MAX_LENIENT_NESTING: usize = 24;

thread_local! {
    static LENIENT_NESTING: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    static LENIENT_TOO_DEEP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// One level of [`Lenient`] nesting on this thread, left when dropped.
struct NestingLevel;

impl NestingLevel {
    /// A level deeper, or `None` (and the document marked too deep) past the limit.
    fn enter() -> Option<NestingLevel> {
        LENIENT_NESTING.with(|n| {
            if n.get() == 0 {
                LENIENT_TOO_DEEP.with(|deep| deep.set(false));
            }
            if n.get() < MAX_LENIENT_NESTING {
                n.set(n.get() + 1);
                Some(NestingLevel)
            } else {
                LENIENT_TOO_DEEP.with(|deep| deep.set(true));
                None
            }
        })
    }

    /// Whether a field below went past the limit since the outermost level was entered.
    fn exceeded() -> bool {
        LENIENT_TOO_DEEP.with(|deep| deep.get())
    }
}

impl Drop for NestingLevel {
    fn drop(&mut self) {
        LENIENT_NESTING.with(|n| n.set(n.get() - 1));
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

/// Most relationships an SPDX document, or elements an SPDX 3.0 `@graph`, may hold: several
/// per package (`DESCRIBES`, `CONTAINS`, `DEPENDS_ON`), so a document of 10⁶ packages needs
/// more than [`MAX_ELEMENTS`].
pub const MAX_RELATIONSHIPS: usize = 4 * MAX_ELEMENTS;

/// The error of an array longer than `limit`.
fn too_many<E: de::Error>(limit: usize) -> E {
    E::custom(format!(
        "more than {limit} elements in one array, the limit for one document"
    ))
}

/// A JSON array read as a stream, element by element, and refused past `N` elements,
/// [`MAX_ELEMENTS`] unless said (the error carries the position where reading stopped).
/// Anything else than an array is skipped and flagged `bad`, as [`Lenient`] does.
#[derive(Debug)]
pub struct Capped<T, const N: usize = MAX_ELEMENTS> {
    pub items: Vec<T>,
    pub bad: bool,
}

impl<T, const N: usize> Default for Capped<T, N> {
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

impl<'de, T: Deserialize<'de>, const N: usize> Deserialize<'de> for Capped<T, N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut items = Vec::new();
        let bad = de::DeserializeSeed::deserialize(
            EachSeed::<_, T, N>::new(&mut items, |items, _, x| items.push(x)),
            d,
        )?;
        Ok(Capped { items, bad })
    }
}

/// A list whose elements are handed to `each` one at a time as they are parsed: at most `N`
/// elements, `null` for none, and anything else than an array skipped and reported as bad
/// (the value of the seed). [`Capped`] is this seed collecting into a vector. A reader uses it to build its
/// model while the document streams past, instead of holding every parsed element first.
pub struct EachSeed<'s, S, T, const N: usize = MAX_ELEMENTS> {
    sink: &'s mut S,
    each: fn(&mut S, usize, T),
}

impl<'s, S, T, const N: usize> EachSeed<'s, S, T, N> {
    pub fn new(sink: &'s mut S, each: fn(&mut S, usize, T)) -> Self {
        EachSeed { sink, each }
    }
}

impl<'de, S, T: Deserialize<'de>, const N: usize> de::DeserializeSeed<'de>
    for EachSeed<'_, S, T, N>
{
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, S, T: Deserialize<'de>, const N: usize> Visitor<'de> for EachSeed<'_, S, T, N> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let mut i = 0;
        while let Some(x) = seq.next_element::<T>()? {
            if i == N {
                return Err(too_many(N));
            }
            (self.each)(self.sink, i, x);
            i += 1;
        }
        Ok(false)
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, a: A) -> Result<bool, A::Error> {
        Drain.visit_map(a)?;
        Ok(true)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<bool, E> {
        Ok(true)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<bool, E> {
        Ok(true)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(true)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(true)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(true)
    }
}

/// A reader that builds its model from a document's top-level keys as they come.
pub trait TopLevel<'de> {
    /// What the document is, for the error when it is not an object.
    const WHAT: &'static str;
    /// The keys it reads; each may be given once, and any other is skipped.
    const KEYS: &'static [&'static str];
    /// Read the value of `key` (one of [`TopLevel::KEYS`]) from `map`.
    fn value<A: de::MapAccess<'de>>(
        &mut self,
        key: &'static str,
        map: &mut A,
    ) -> Result<(), A::Error>;
}

/// The top-level object of a document, read key by key into a [`TopLevel`] reader: unknown
/// keys are skipped and a key given twice is an error, as a derived `Deserialize` would do.
struct TopLevelSeed<'s, S>(&'s mut S);

/// Read `bytes`, one JSON object, into `reader` key by key: unknown keys are skipped, a
/// repeated key is an error, and only whitespace may follow, as with `serde_json::from_slice`.
pub fn read_top_level<'de, S: TopLevel<'de>>(
    bytes: &'de [u8],
    reader: &mut S,
) -> serde_json::Result<()> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    de::DeserializeSeed::deserialize(TopLevelSeed(reader), &mut de)?;
    de.end()
}

impl<'de, S: TopLevel<'de>> de::DeserializeSeed<'de> for TopLevelSeed<'_, S> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, S: TopLevel<'de>> Visitor<'de> for TopLevelSeed<'_, S> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(S::WHAT)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = vec![false; S::KEYS.len()];
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match S::KEYS.iter().position(|k| *k == key) {
                Some(i) if seen[i] => return Err(de::Error::duplicate_field(S::KEYS[i])),
                Some(i) => {
                    seen[i] = true;
                    self.0.value(S::KEYS[i], &mut map)?;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
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
                        return Err(too_many(MAX_ELEMENTS));
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    thread_local! {
        /// Read every [`Lenient`] field the way this reader did before it read raw slices:
        /// through a [`serde_json::Value`] tree. The reference the corpus test compares with.
        pub(crate) static THROUGH_VALUE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    pub(crate) fn through_value<'de, D: Deserializer<'de>, T: DeserializeOwned>(
        d: D,
    ) -> Result<Lenient<T>, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        if v.is_null() {
            return Ok(Lenient::Missing);
        }
        Ok(match T::deserialize(v) {
            Ok(t) => Lenient::Ok(t),
            Err(_) => Lenient::Bad,
        })
    }

    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Node {
        name: Text,
        tags: Lenient<Vec<String>>,
        children: Vec<Lenient<Node>>,
    }

    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Root {
        node: Lenient<Node>,
        other: Text,
    }

    #[test]
    fn a_field_of_the_wrong_shape_is_bad_and_the_rest_is_read() {
        let doc = r#"{"node": {"name": "a", "tags": "not-a-list",
                      "children": [{"name": 7, "tags": ["x"]}, {"tags": {"k": 1}}, null]},
                      "other": true}"#;
        let root: Root = serde_json::from_slice(doc.as_bytes()).unwrap();
        assert_eq!(root.other.get().as_deref(), Some("true"));
        let Lenient::Ok(node) = root.node else {
            panic!("the node is an object")
        };
        assert_eq!(node.name.get().as_deref(), Some("a"));
        assert!(matches!(node.tags, Lenient::Bad));
        assert_eq!(node.children.len(), 3);
        let Lenient::Ok(first) = &node.children[0] else {
            panic!("the first child is an object")
        };
        assert_eq!(first.name.clone().get().as_deref(), Some("7"));
        assert!(matches!(&first.tags, Lenient::Ok(t) if t == &["x".to_string()]));
        assert!(matches!(&node.children[1], Lenient::Ok(n) if matches!(n.tags, Lenient::Bad)));
        assert!(matches!(node.children[2], Lenient::Missing));
    }

    fn nested(depth: usize) -> String {
        let mut s = String::from(r#"{"node": "#);
        for _ in 0..depth {
            s.push_str(r#"{"name": "n", "children": ["#);
        }
        s.push_str(r#"{"name": "leaf"}"#);
        for _ in 0..depth {
            s.push_str("]}");
        }
        s.push('}');
        s
    }

    fn depth_of(node: &Node) -> usize {
        match node.children.first() {
            Some(Lenient::Ok(child)) => 1 + depth_of(child),
            _ => 0,
        }
    }

    #[test]
    fn nesting_up_to_the_limit_is_read_and_deeper_stops_the_document() {
        let ok = nested(MAX_LENIENT_NESTING - 1);
        let root: Root = serde_json::from_slice(ok.as_bytes()).unwrap();
        let Lenient::Ok(node) = &root.node else {
            panic!("read")
        };
        assert_eq!(depth_of(node), MAX_LENIENT_NESTING - 1);

        let deep = nested(MAX_LENIENT_NESTING);
        let err = serde_json::from_slice::<Root>(deep.as_bytes())
            .err()
            .expect("too deep is an error, not a dropped field");
        assert!(err.to_string().contains("nested more than"), "{err}");
        // The limit is per document: the next one on the same thread reads normally.
        assert!(serde_json::from_slice::<Root>(ok.as_bytes()).is_ok());
    }

    #[test]
    fn an_array_stops_at_its_own_limit() {
        let ok: Capped<u8, 3> = serde_json::from_str("[1, 2, 3]").unwrap();
        assert_eq!(ok.items, [1, 2, 3]);
        let err = serde_json::from_str::<Capped<u8, 3>>("[1, 2, 3, 4]")
            .err()
            .unwrap();
        assert!(err.to_string().starts_with("more than 3 elements"), "{err}");
        const { assert!(MAX_RELATIONSHIPS > MAX_ELEMENTS) };
    }

    #[test]
    fn a_hostile_depth_is_refused_without_exhausting_the_stack() {
        // serde_json's own limit (128 levels) stops this first; Lenient must not lift it.
        let deep = nested(100_000);
        assert!(serde_json::from_slice::<Root>(deep.as_bytes()).is_err());
    }
}

/// The reader of raw slices and the reader through `Value` trees give the same inventory (or
/// the same error) for every document of the shared corpus.
#[cfg(test)]
mod corpus {
    use super::tests::THROUGH_VALUE;
    use std::path::{Path, PathBuf};

    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                files(&p, out);
            } else {
                out.push(p);
            }
        }
    }

    fn read(file: &str, raw: &[u8], through_value: bool) -> String {
        THROUGH_VALUE.with(|v| v.set(through_value));
        let out = crate::ingest::parse(file, raw, crate::ingest::DEFAULT_MAX_BYTES);
        THROUGH_VALUE.with(|v| v.set(false));
        match out {
            Ok(l) => format!("{:?}", l.doc),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn raw_slices_and_value_trees_read_the_corpus_alike() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        if !root.is_dir() {
            eprintln!("skipped: ../shared/corpus is absent");
            return;
        }
        let mut all = Vec::new();
        files(&root, &mut all);
        all.sort();
        let mut compared = 0;
        for p in &all {
            let name = p.display().to_string();
            let lower = name.to_lowercase();
            if !(lower.ends_with(".json") || lower.ends_with(".json.xz")) {
                continue;
            }
            let raw = std::fs::read(p).unwrap();
            let streamed = read(&name, &raw, false);
            let reference = read(&name, &raw, true);
            assert!(streamed == reference, "{name}: the two readers differ");
            compared += 1;
        }
        assert!(
            compared >= 10,
            "only {compared} JSON documents in the corpus"
        );
    }
}
