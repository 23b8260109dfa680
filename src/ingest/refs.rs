//! Unique element refs within one document, shared by the CycloneDX readers.

use std::collections::HashSet;

/// Refs seen so far in a document.
#[derive(Debug, Default)]
pub struct RefSet {
    seen: HashSet<String>,
    next: usize,
}

impl RefSet {
    /// The ref to use for an element: the given one, or a synthesised `#n`
    /// that no element uses; a duplicate gets a `~n` suffix and, as the
    /// second value, the warning to record.
    pub fn unique(&mut self, given: Option<String>) -> (String, Option<String>) {
        let r = match given {
            Some(r) => r,
            None => loop {
                self.next += 1;
                let r = format!("#{}", self.next);
                if !self.seen.contains(&r) {
                    break r;
                }
            },
        };
        if self.seen.insert(r.clone()) {
            return (r, None);
        }
        let mut n = 2;
        loop {
            let alt = format!("{r}~{n}");
            if self.seen.insert(alt.clone()) {
                let warning = format!("duplicate bom-ref \"{r}\" renamed \"{alt}\"");
                return (alt, Some(warning));
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_and_duplicate_refs() {
        let mut s = RefSet::default();
        assert_eq!(s.unique(Some("#1".into())), ("#1".into(), None));
        assert_eq!(
            s.unique(None).0,
            "#2",
            "a synthesised ref skips refs in use"
        );
        let (r, w) = s.unique(Some("#1".into()));
        assert_eq!(r, "#1~2");
        assert!(w.unwrap().contains("duplicate"));
    }
}
