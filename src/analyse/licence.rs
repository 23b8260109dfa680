//! Licence evidence: is a component open source (forkable), not open source
//! (a licence its vendor can withdraw), or unknown?
//!
//! SPDX expressions are parsed with the `spdx` crate (the licence list with its
//! OSI and FSF flags) and judged three-valued, so that `GPL-2.0 OR Commercial`
//! is open and `MIT AND LicenseRef-EULA` is not. Names as generators write them
//! (`Apache License, Version 2.0`, `BSD licence`) fall back to the crate's
//! imprecise names, then to a few words of our own; anything else is unknown,
//! never assumed either way.

use serde::Serialize;

/// What a licence lets the buyer do without its vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum LicenceClass {
    /// OSI-approved or FSF free: the code can be run and forked without anyone's consent.
    OpenSource,
    /// Proprietary, commercial or source-available: the vendor's consent is needed.
    NotOpen,
    /// No licence evidence, or none that could be read.
    Unknown,
}

impl LicenceClass {
    pub fn as_str(self) -> &'static str {
        match self {
            LicenceClass::OpenSource => "open-source",
            LicenceClass::NotOpen => "not-open",
            LicenceClass::Unknown => "unknown",
        }
    }

    fn or(self, o: LicenceClass) -> LicenceClass {
        use LicenceClass::*;
        match (self, o) {
            (OpenSource, _) | (_, OpenSource) => OpenSource,
            (NotOpen, NotOpen) => NotOpen,
            _ => Unknown,
        }
    }

    fn and(self, o: LicenceClass) -> LicenceClass {
        use LicenceClass::*;
        match (self, o) {
            (NotOpen, _) | (_, NotOpen) => NotOpen,
            (OpenSource, OpenSource) => OpenSource,
            _ => Unknown,
        }
    }
}

/// SPDX ids of licences that restrict use, field or competition: source-available, not open.
const NOT_OPEN_IDS: &[&str] = &[
    "BUSL-1.1",
    "SSPL-1.0",
    "Elastic-2.0",
    "CC-BY-NC",
    "CC-BY-ND",
    "PolyForm",
    "Commons-Clause",
    "CAL-1.0-Combined",
    "Confluent-Community",
];

/// SPDX ids that neither the OSI nor the FSF list flags but that grant the same freedoms
/// (the PSF licence of CPython's modules; Creative Commons attribution licences on assets).
const OPEN_IDS: &[&str] = &[
    "PSF-2.0",
    "Python-2.0.1",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC-BY-SA-3.0",
    "CC-BY-SA-4.0",
];

/// Words in a licence name or reference that mean the vendor keeps the rights.
const NOT_OPEN_WORDS: &[&str] = &[
    "proprietary",
    "commercial",
    "all rights reserved",
    "eula",
    "end user licen",
    "end-user licen",
    "subscription",
    "business source",
    "server side public",
    "elastic license",
    "non-commercial",
    "fsl-",
    "functional source",
    "noncommercial",
];

/// Words of open-source licence names the SPDX list spells differently.
const OPEN_WORDS: &[&str] = &[
    "apache",
    "mit license",
    "mit licence",
    "mit/x11",
    "bsd",
    "general public licen",
    "gpl",
    "mozilla public",
    "eclipse public",
    "eclipse distribution",
    "common development and distribution",
    "cddl",
    "isc license",
    "public domain",
    "unlicense",
    "zlib",
    "python software foundation",
    "psf license",
    "artistic license",
    "boost software",
    "postgresql license",
];

/// What the licence list's flags (and our two short lists) say of an id, if anything.
fn flagged(id: spdx::LicenseId) -> Option<LicenceClass> {
    if id.is_osi_approved() || id.is_fsf_free_libre() || OPEN_IDS.contains(&id.name) {
        Some(LicenceClass::OpenSource)
    } else if NOT_OPEN_IDS.iter().any(|p| id.name.starts_with(p)) {
        Some(LicenceClass::NotOpen)
    } else {
        None
    }
}

/// Distribution short names (Fedora, Red Hat) that start an open licence: `ASL 2.0`, `GPLv2+`.
const OPEN_PREFIXES: &[&str] = &[
    "asl", "gplv", "lgplv", "agplv", "mpl", "epl", "bsd", "openssl", "zpl",
];

/// Judge by words alone (no id lookup).
fn words_class(n: &str) -> LicenceClass {
    if n == "mit"
        || OPEN_WORDS.iter().any(|w| n.contains(w))
        || OPEN_PREFIXES.iter().any(|p| n.starts_with(p))
    {
        LicenceClass::OpenSource
    } else {
        LicenceClass::Unknown
    }
}

fn id_class(id: spdx::LicenseId) -> LicenceClass {
    // Deprecated ids carry no flags (`GPL-2.0-with-classpath-exception`): judge the name.
    flagged(id).unwrap_or_else(|| words_class(&id.name.to_lowercase()))
}

/// A licence written as a name or a `LicenseRef-`, judged by its words.
fn name_class(name: &str) -> LicenceClass {
    let n = name.trim().to_lowercase();
    // npm's `UNLICENSED` means "no licence is granted"; `Unlicense` is public domain.
    if n == "unlicensed" || NOT_OPEN_WORDS.iter().any(|w| n.contains(w)) {
        return LicenceClass::NotOpen;
    }
    if let Some((id, _)) = spdx::imprecise_license_id(&n)
        && let Some(c) = flagged(id)
    {
        return c;
    }
    words_class(&n)
}

/// One licence value as an SBOM writes it: an SPDX id, an expression or a name.
pub fn classify(value: &str) -> LicenceClass {
    let v = value.trim();
    if v.is_empty() || v.len() > 2_000 {
        return LicenceClass::Unknown;
    }
    let mode = spdx::ParseMode {
        allow_unknown: true,
        ..spdx::ParseMode::LAX
    };
    let Ok(expr) = spdx::Expression::parse_mode(v, mode) else {
        return name_class(v);
    };
    let mut stack: Vec<LicenceClass> = Vec::new();
    for node in expr.iter() {
        match node {
            spdx::expression::ExprNode::Req(r) => stack.push(match &r.req.license {
                spdx::LicenseItem::Spdx { id, .. } => id_class(*id),
                spdx::LicenseItem::Other(o) => name_class(&o.lic_ref),
            }),
            spdx::expression::ExprNode::Op(op) => {
                let (Some(b), Some(a)) = (stack.pop(), stack.pop()) else {
                    return LicenceClass::Unknown;
                };
                stack.push(match op {
                    spdx::expression::Operator::Or => a.or(b),
                    spdx::expression::Operator::And => a.and(b),
                });
            }
        }
    }
    match (stack.pop(), stack.is_empty()) {
        (Some(c), true) => c,
        _ => name_class(v),
    }
}

/// A component's licences together: open if any is open (the buyer may pick it), not open
/// if some licence says so and none is open, unknown otherwise. Returns the deciding value.
pub fn classify_all(values: &[String]) -> (LicenceClass, Option<&str>) {
    let mut not_open = None;
    for v in values {
        match classify(v) {
            LicenceClass::OpenSource => return (LicenceClass::OpenSource, Some(v)),
            LicenceClass::NotOpen => not_open = not_open.or(Some(v.as_str())),
            LicenceClass::Unknown => {}
        }
    }
    match not_open {
        Some(v) => (LicenceClass::NotOpen, Some(v)),
        None => (LicenceClass::Unknown, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LicenceClass::*;

    #[test]
    fn spdx_ids_and_expressions() {
        for v in [
            "MIT",
            "Apache-2.0",
            "(MIT OR Apache-2.0)",
            "GPL-2.0-with-classpath-exception",
            "CDDL-1.0 OR GPL-2.0-with-classpath-exception",
            "EPL-2.0 OR LicenseRef-GPL-2.0-with-classpath-exception",
            "BSD-3-Clause OR MIT",
            "MIT/X11",
            "0BSD",
            "CC0-1.0",
            "Unlicense",
            "GPL-2.0-only OR Commercial",
            "LGPL-2.1+",
            "PSF-2.0",
        ] {
            assert_eq!(classify(v), OpenSource, "{v}");
        }
        for v in [
            "BUSL-1.1",
            "SSPL-1.0",
            "Elastic-2.0",
            "MIT AND LicenseRef-Proprietary",
            "UNLICENSED",
            "Commercial",
            "LicenseRef-EULA",
        ] {
            assert_eq!(classify(v), NotOpen, "{v}");
        }
        for v in [
            "",
            "LicenseRef-0",
            "NOASSERTION-ish",
            "See LICENSE file",
            "LicenseRef-6",
        ] {
            assert_eq!(classify(v), Unknown, "{v}");
        }
    }

    #[test]
    fn names_as_generators_write_them() {
        for v in [
            "Apache License, Version 2.0",
            "The Apache Software License, Version 2.0",
            "GNU Lesser General Public License",
            "Eclipse Public License v2.0",
            "GNU General Public License, version 2 (GPL2), with the classpath exception",
            "BSD licence",
            "MPL 2.0 or EPL 1.0",
            "Common Development and Distribution License",
            "The MIT License",
            "ASL 2.0",
            "GPLv2+",
        ] {
            assert_eq!(classify(v), OpenSource, "{v}");
        }
        assert_eq!(
            classify("Oracle Technology Network License Agreement - proprietary"),
            NotOpen
        );
        assert_eq!(classify("Microsoft Software License Terms (EULA)"), NotOpen);
    }

    #[test]
    fn several_licences_open_wins_then_not_open() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            classify_all(&v(&["Commercial", "GPL-3.0-only"])).0,
            OpenSource
        );
        assert_eq!(classify_all(&v(&["LicenseRef-1", "Commercial"])).0, NotOpen);
        assert_eq!(classify_all(&v(&["LicenseRef-1"])).0, Unknown);
        assert_eq!(classify_all(&[]).0, Unknown);
    }
}
