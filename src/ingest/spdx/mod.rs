//! SPDX 2.2 and 2.3, JSON and tag-value. Both readers share what is here:
//! the supplier/originator parser, the primary-purpose mapping and the one
//! table that normalises relationship directions.

pub mod json;
pub mod tag_value;

use crate::model::{
    Component, ExternalRef, Origin, Party, PartyRole, Relation, RelationKind, RoledParty,
};

pub const SUPPORTED: &str = "SPDX 2.2, 2.3";

pub fn is_supported(version: &str) -> bool {
    matches!(version.trim(), "SPDX-2.2" | "SPDX-2.3")
}

/// Every SPDX 2.x relationship type: what it means in our model and
/// whether `A TYPE B` reads as `B needs/holds A` (reversed).
const RELATIONSHIPS: &[(&str, RelationKind, bool)] = &[
    ("DEPENDS_ON", RelationKind::DependsOn, false),
    ("DEPENDENCY_OF", RelationKind::DependsOn, true),
    ("RUNTIME_DEPENDENCY_OF", RelationKind::DependsOn, true),
    ("STATIC_LINK", RelationKind::DependsOn, false),
    ("DYNAMIC_LINK", RelationKind::DependsOn, false),
    ("PROVIDED_DEPENDENCY_OF", RelationKind::DependsOn, true),
    ("BUILD_DEPENDENCY_OF", RelationKind::BuildDependsOn, true),
    ("BUILD_TOOL_OF", RelationKind::BuildDependsOn, true),
    ("DEV_DEPENDENCY_OF", RelationKind::DevDependsOn, true),
    ("TEST_DEPENDENCY_OF", RelationKind::DevDependsOn, true),
    ("DEV_TOOL_OF", RelationKind::DevDependsOn, true),
    ("TEST_TOOL_OF", RelationKind::DevDependsOn, true),
    ("TEST_OF", RelationKind::DevDependsOn, true),
    (
        "OPTIONAL_DEPENDENCY_OF",
        RelationKind::OptionalDependsOn,
        true,
    ),
    (
        "OPTIONAL_COMPONENT_OF",
        RelationKind::OptionalDependsOn,
        true,
    ),
    ("CONTAINS", RelationKind::Contains, false),
    ("CONTAINED_BY", RelationKind::Contains, true),
    ("PACKAGE_OF", RelationKind::Contains, true),
    ("DISTRIBUTION_ARTIFACT", RelationKind::Contains, false),
    ("DESCRIBES", RelationKind::Describes, false),
    ("DESCRIBED_BY", RelationKind::Describes, true),
];

/// Normalise `A TYPE B` into a relation; `None` for the document itself, NONE and NOASSERTION.
pub fn relation(a: &str, ty: &str, b: &str) -> Option<Relation> {
    let skip = |x: &str| matches!(x, "NONE" | "NOASSERTION") || x.starts_with("DocumentRef-");
    if skip(a) || skip(b) {
        return None;
    }
    let ty = ty.trim().to_ascii_uppercase();
    let (kind, reversed, original) = match RELATIONSHIPS.iter().find(|(t, _, _)| *t == ty) {
        Some((t, k, r)) => (*k, *r, (*t != "DEPENDS_ON").then(|| t.to_string())),
        None => (RelationKind::Other, false, Some(ty.clone())),
    };
    let (from, to) = if reversed { (b, a) } else { (a, b) };
    Some(Relation {
        from: from.to_string(),
        to: to.to_string(),
        kind,
        original,
    })
}

/// `Organization: Name (email)`, `Person: Name (email)`, `Tool: x`, `NOASSERTION`.
pub fn party(value: &str) -> Option<Party> {
    let v = value.trim();
    if v.is_empty() || v == "NOASSERTION" || v == "NONE" {
        return None;
    }
    let body = ["Organization:", "Person:", "Tool:"]
        .iter()
        .find_map(|p| v.strip_prefix(p))
        .unwrap_or(v)
        .trim();
    let (name, email) = match (body.rfind('('), body.ends_with(')')) {
        (Some(i), true) => (body[..i].trim(), Some(body[i + 1..body.len() - 1].trim())),
        _ => (body, None),
    };
    let p = Party {
        name: (!name.is_empty()).then(|| name.to_string()),
        urls: Vec::new(),
        emails: email
            .filter(|e| e.contains('@'))
            .map(str::to_string)
            .into_iter()
            .collect(),
    };
    (!p.is_empty()).then_some(p)
}

/// SPDX 2.3 `primaryPackagePurpose` to a CycloneDX-style component type.
pub fn purpose(p: &str) -> &'static str {
    match p.trim().to_ascii_uppercase().as_str() {
        "APPLICATION" => "application",
        "FRAMEWORK" => "framework",
        "CONTAINER" => "container",
        "OPERATING-SYSTEM" | "OPERATING_SYSTEM" => "operating-system",
        "DEVICE" => "device",
        "FIRMWARE" => "firmware",
        "FILE" | "SOURCE" => "file",
        _ => "library",
    }
}

/// Apply one external reference (`category`, `type`, `locator`) to a component.
pub fn external_ref(c: &mut Component, category: &str, ty: &str, locator: &str) {
    let locator = locator.trim();
    if locator.is_empty() {
        return;
    }
    match ty.trim() {
        "purl" if c.purl.is_none() => c.purl = Some(locator.to_string()),
        "cpe23Type" | "cpe22Type" if c.cpe.is_none() => c.cpe = Some(locator.to_string()),
        other => c.external_refs.push(ExternalRef {
            kind: if other.is_empty() {
                category.to_ascii_lowercase()
            } else {
                other.to_string()
            },
            url: locator.to_string(),
        }),
    }
}

/// Add supplier or originator text to a component.
pub fn add_party(c: &mut Component, role: PartyRole, value: &str, origin: Origin) {
    if let Some(p) = party(value) {
        c.parties.push(RoledParty {
            role,
            party: p,
            origin,
        });
    }
}

/// Keep a licence value unless it says nothing; malformed expressions are kept as text.
pub fn licence(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty() && v != "NOASSERTION" && v != "NONE").then(|| v.to_string())
}

/// A download location or home page worth keeping.
pub fn location(v: &str) -> Option<String> {
    licence(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parties() {
        let p = party("Organization: Red Hat, Inc. (secalert@redhat.com)").unwrap();
        assert_eq!(p.name.as_deref(), Some("Red Hat, Inc."));
        assert_eq!(p.emails, ["secalert@redhat.com"]);
        assert_eq!(
            party("Person: Jane Doe").unwrap().name.as_deref(),
            Some("Jane Doe")
        );
        assert!(party("NOASSERTION").is_none());
        assert_eq!(
            party("Organization: Acme (not an email)")
                .unwrap()
                .emails
                .len(),
            0
        );
    }

    #[test]
    fn relationship_directions_come_from_one_table() {
        let r = relation("SPDXRef-a", "DEPENDENCY_OF", "SPDXRef-b").unwrap();
        assert_eq!(
            (r.from.as_str(), r.to.as_str(), r.kind),
            ("SPDXRef-b", "SPDXRef-a", RelationKind::DependsOn)
        );
        let r = relation("SPDXRef-a", "dev_dependency_of", "SPDXRef-b").unwrap();
        assert_eq!(
            (r.from.as_str(), r.kind),
            ("SPDXRef-b", RelationKind::DevDependsOn)
        );
        let r = relation("SPDXRef-a", "CONTAINS", "SPDXRef-b").unwrap();
        assert_eq!(
            (r.from.as_str(), r.kind, r.original),
            ("SPDXRef-a", RelationKind::Contains, Some("CONTAINS".into()))
        );
        let r = relation("SPDXRef-a", "DEPENDS_ON", "SPDXRef-b").unwrap();
        assert_eq!(r.original, None);
        assert_eq!(
            relation("SPDXRef-a", "GENERATED_FROM", "SPDXRef-b")
                .unwrap()
                .kind,
            RelationKind::Other
        );
        assert!(relation("SPDXRef-a", "DEPENDS_ON", "NOASSERTION").is_none());
    }
}
