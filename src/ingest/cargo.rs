//! Rust workspaces: `cargo metadata` (through the cargo_metadata crate) into
//! an inventory, with runtime, build, dev and target-specific dependencies
//! told apart and the enabled features kept.

use crate::ingest::ReadError;
use crate::model::{
    Component, Encoding, ExternalRef, Format, Inventory, Origin, Party, PartyRole, Relation,
    RelationKind, RoledParty,
};
use cargo_metadata::{DependencyKind, Metadata, MetadataCommand};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::path::Path;

/// How a package is reached from the workspace members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    Member,
    Runtime,
    Build,
    Dev,
}

impl Reach {
    pub fn as_str(self) -> &'static str {
        match self {
            Reach::Member => "workspace-member",
            Reach::Runtime => "runtime",
            Reach::Build => "build",
            Reach::Dev => "dev",
        }
    }
}

/// The property that carries a path package's folder on this machine, for the
/// check that a bid's workspace stays in its folder; removed before any report.
pub const PATH_PROPERTY: &str = "coquille:cargo-path";

/// Flags passed through to `cargo metadata`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CargoFlags {
    pub offline: bool,
    pub frozen: bool,
    pub locked: bool,
    /// Read a Rust workspace a bid's manifest names (`cargo metadata --offline --locked`,
    /// only when asked: a bid must not make coquille run a tool on its say-so).
    pub allow_bid_workspaces: bool,
}

/// Run `cargo metadata` on a manifest and return its JSON.
pub fn run(manifest: &Path, flags: CargoFlags) -> Result<String, ReadError> {
    let shown = manifest.display().to_string();
    let mut cmd = MetadataCommand::new();
    cmd.manifest_path(manifest);
    let mut opts = Vec::new();
    for (on, flag) in [
        (flags.offline, "--offline"),
        (flags.frozen, "--frozen"),
        (flags.locked, "--locked"),
    ] {
        if on {
            opts.push(flag.to_string());
        }
    }
    cmd.other_options(opts);
    let out = cmd
        .cargo_command()
        .output()
        .map_err(|e| ReadError::new(&shown, format!("cannot run cargo metadata: {e}")))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err
            .lines()
            .find(|l| l.trim_start().starts_with("error"))
            .unwrap_or(err.lines().next().unwrap_or(""))
            .trim()
            .to_string();
        let hint = if err.contains("lock file")
            || err.contains("--locked")
            || err.contains("offline")
            || err.contains("Cargo.lock")
        {
            " (the lock file or the registry cache is missing or out of date: run `cargo fetch` first, or drop --locked/--frozen/--offline)"
        } else {
            ""
        };
        return Err(ReadError::new(
            &shown,
            format!("cargo metadata failed: {first}{hint}"),
        ));
    }
    String::from_utf8(out.stdout)
        .map_err(|_| ReadError::new(&shown, "cargo metadata printed non-UTF-8 output"))
}

/// Read a saved `cargo metadata --format-version 1` document.
pub fn read(file: &str, json: &str) -> Result<Inventory, ReadError> {
    let md: Metadata = serde_json::from_str(json).map_err(|e| ReadError::from_json(file, &e))?;
    Ok(from_metadata(file, &md))
}

/// Classify every package by how the workspace members reach it.
pub fn reach(md: &Metadata) -> HashMap<String, Reach> {
    let mut out: HashMap<String, Reach> = HashMap::new();
    let Some(resolve) = &md.resolve else {
        return out;
    };
    let nodes: HashMap<&str, &cargo_metadata::Node> = resolve
        .nodes
        .iter()
        .map(|n| (n.id.repr.as_str(), n))
        .collect();
    let members: Vec<&str> = md
        .workspace_members
        .iter()
        .map(|m| m.repr.as_str())
        .collect();
    for m in &members {
        out.insert(m.to_string(), Reach::Member);
    }
    // Runtime first, then build, then dev: a package keeps the strongest reach it has.
    for phase in [Reach::Runtime, Reach::Build, Reach::Dev] {
        let mut queue: VecDeque<&str> = VecDeque::new();
        for (id, r) in out.iter() {
            if *r <= phase || *r == Reach::Member {
                queue.push_back(nodes.get(id.as_str()).map_or("", |n| n.id.repr.as_str()));
            }
        }
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        while let Some(id) = queue.pop_front() {
            if id.is_empty() || !seen.insert(id) {
                continue;
            }
            let Some(node) = nodes.get(id) else { continue };
            let from_member = members.contains(&id);
            for d in &node.deps {
                let kinds: Vec<DependencyKind> = d.dep_kinds.iter().map(|k| k.kind).collect();
                let follows = kinds.iter().any(|k| match (phase, k) {
                    (_, DependencyKind::Normal) => true,
                    (Reach::Build | Reach::Dev, DependencyKind::Build) => true,
                    // Dev-dependencies only count for workspace members (cargo ignores them elsewhere).
                    (Reach::Dev, DependencyKind::Development) => from_member,
                    _ => false,
                }) || kinds.is_empty();
                if !follows {
                    continue;
                }
                let target = d.pkg.repr.as_str();
                out.entry(target.to_string()).or_insert(phase);
                queue.push_back(target);
            }
        }
    }
    out
}

pub fn from_metadata(file: &str, md: &Metadata) -> Inventory {
    let mut inv = Inventory::new(Format {
        standard: "cargo-metadata".into(),
        version: "1".into(),
        encoding: Encoding::Json,
    });
    let reach = reach(md);
    let members: BTreeSet<&str> = md
        .workspace_members
        .iter()
        .map(|m| m.repr.as_str())
        .collect();
    let features: HashMap<&str, &Vec<cargo_metadata::FeatureName>> = md
        .resolve
        .iter()
        .flat_map(|r| r.nodes.iter().map(|n| (n.id.repr.as_str(), &n.features)))
        .collect();
    // Target-specific edges into each package: the cfg()s that pull it in.
    let mut targets: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut untargeted: BTreeSet<&str> = BTreeSet::new();
    if let Some(r) = &md.resolve {
        for n in &r.nodes {
            for d in &n.deps {
                for k in &d.dep_kinds {
                    match &k.target {
                        Some(t) => {
                            targets
                                .entry(d.pkg.repr.as_str())
                                .or_default()
                                .insert(t.to_string());
                        }
                        None => {
                            untargeted.insert(d.pkg.repr.as_str());
                        }
                    }
                }
            }
        }
    }
    // Package ids of path dependencies carry the workspace's absolute path: show it as `.`.
    let root = format!("file://{}", md.workspace_root);
    let shown = |id: &str| id.replace(&root, "file://.");
    let mut packages: Vec<&cargo_metadata::Package> = md.packages.iter().collect();
    packages.sort_by(|a, b| a.id.repr.cmp(&b.id.repr));
    for (i, p) in packages.iter().enumerate() {
        let id = p.id.repr.as_str();
        let at = Origin::new(file, format!("/packages[{}] ({})", i, p.name));
        let member = members.contains(id);
        let mut c = Component::new(
            shown(id),
            p.name.to_string(),
            if member { "application" } else { "library" },
            at.clone(),
        );
        c.version = Some(p.version.to_string());
        if p.source
            .as_ref()
            .is_some_and(|s| s.repr.starts_with("registry+") || s.repr.starts_with("sparse+"))
        {
            c.purl = Some(format!("pkg:cargo/{}@{}", p.name, p.version));
        }
        if let Some(src) = &p.source {
            c.properties.push(("cargo:source".into(), shown(&src.repr)));
        } else if let Some(dir) = p.manifest_path.parent() {
            c.properties.push((PATH_PROPERTY.into(), dir.to_string()));
        }
        for a in &p.authors {
            c.parties.push(RoledParty {
                role: PartyRole::Author,
                party: Party {
                    name: Some(a.clone()),
                    ..Party::default()
                },
                origin: Origin::new(file, format!("{}/authors", at.element)),
            });
        }
        if let Some(r) = &p.repository {
            c.external_refs.push(ExternalRef {
                kind: "vcs".into(),
                url: r.clone(),
            });
        }
        if let Some(h) = &p.homepage {
            c.external_refs.push(ExternalRef {
                kind: "website".into(),
                url: h.clone(),
            });
        }
        if let Some(l) = &p.license {
            c.licenses.push(l.clone());
        }
        let r = reach.get(id).copied();
        c.properties.push((
            "cargo:dependency-kind".into(),
            r.map_or("unused", Reach::as_str).into(),
        ));
        if r == Some(Reach::Dev) {
            c.scope = Some("excluded".into());
        }
        if let Some(t) = targets.get(id)
            && !untargeted.contains(id)
        {
            c.properties.push((
                "cargo:target".into(),
                t.iter().cloned().collect::<Vec<_>>().join(" | "),
            ));
        }
        if let Some(f) = features.get(id)
            && !f.is_empty()
        {
            let mut f: Vec<String> = f.iter().map(|x| x.to_string()).collect();
            f.sort();
            c.properties.push(("cargo:features".into(), f.join(",")));
        }
        inv.components.push(c);
    }
    if let Some(r) = &md.resolve {
        for n in &r.nodes {
            for d in &n.deps {
                for k in &d.dep_kinds {
                    let kind = match k.kind {
                        DependencyKind::Build => RelationKind::BuildDependsOn,
                        DependencyKind::Development => RelationKind::DevDependsOn,
                        _ => RelationKind::DependsOn,
                    };
                    inv.relations.push(Relation {
                        from: shown(&n.id.repr).into(),
                        to: shown(&d.pkg.repr).into(),
                        kind,
                        original: k.target.as_ref().map(|t| format!("target {t}")),
                    });
                }
            }
        }
        inv.relations.sort();
        inv.relations.dedup();
        inv.metadata.subject = r
            .root
            .as_ref()
            .or(md.workspace_members.first())
            .map(|x| shown(&x.repr));
    }
    inv.metadata.tools.push("cargo metadata".into());
    inv
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-made metadata document: app → aws-sdk-s3 (normal) → tokio (normal);
    /// app → cc (build); app → mockall (dev); app → winapi (target cfg(windows)).
    const MD: &str = r#"{
      "packages": [
        {"name":"app","version":"0.1.0","id":"path+file:///w/app#0.1.0","source":null,"dependencies":[],"targets":[],"features":{},"manifest_path":"/w/app/Cargo.toml","authors":[]},
        {"name":"aws-sdk-s3","version":"1.0.0","id":"registry+https://github.com/rust-lang/crates.io-index#aws-sdk-s3@1.0.0","source":"registry+https://github.com/rust-lang/crates.io-index","dependencies":[],"targets":[],"features":{},"manifest_path":"/r/aws/Cargo.toml","authors":["AWS Rust SDK Team <aws-sdk-rust@amazon.com>"],"repository":"https://github.com/awslabs/aws-sdk-rust"},
        {"name":"tokio","version":"1.0.0","id":"registry+https://github.com/rust-lang/crates.io-index#tokio@1.0.0","source":"registry+https://github.com/rust-lang/crates.io-index","dependencies":[],"targets":[],"features":{},"manifest_path":"/r/tokio/Cargo.toml"},
        {"name":"cc","version":"1.0.0","id":"registry+https://github.com/rust-lang/crates.io-index#cc@1.0.0","source":"registry+https://github.com/rust-lang/crates.io-index","dependencies":[],"targets":[],"features":{},"manifest_path":"/r/cc/Cargo.toml"},
        {"name":"mockall","version":"1.0.0","id":"registry+https://github.com/rust-lang/crates.io-index#mockall@1.0.0","source":"registry+https://github.com/rust-lang/crates.io-index","dependencies":[],"targets":[],"features":{},"manifest_path":"/r/mockall/Cargo.toml"},
        {"name":"winapi","version":"0.3.9","id":"registry+https://github.com/rust-lang/crates.io-index#winapi@0.3.9","source":"registry+https://github.com/rust-lang/crates.io-index","dependencies":[],"targets":[],"features":{},"manifest_path":"/r/winapi/Cargo.toml"}
      ],
      "workspace_members": ["path+file:///w/app#0.1.0"],
      "workspace_default_members": ["path+file:///w/app#0.1.0"],
      "resolve": {"root": "path+file:///w/app#0.1.0", "nodes": [
        {"id":"path+file:///w/app#0.1.0","dependencies":[],"features":["default"],"deps":[
          {"name":"aws_sdk_s3","pkg":"registry+https://github.com/rust-lang/crates.io-index#aws-sdk-s3@1.0.0","dep_kinds":[{"kind":null,"target":null}]},
          {"name":"cc","pkg":"registry+https://github.com/rust-lang/crates.io-index#cc@1.0.0","dep_kinds":[{"kind":"build","target":null}]},
          {"name":"mockall","pkg":"registry+https://github.com/rust-lang/crates.io-index#mockall@1.0.0","dep_kinds":[{"kind":"dev","target":null}]},
          {"name":"winapi","pkg":"registry+https://github.com/rust-lang/crates.io-index#winapi@0.3.9","dep_kinds":[{"kind":null,"target":"cfg(windows)"}]}]},
        {"id":"registry+https://github.com/rust-lang/crates.io-index#aws-sdk-s3@1.0.0","dependencies":[],"features":["rt-tokio"],"deps":[
          {"name":"tokio","pkg":"registry+https://github.com/rust-lang/crates.io-index#tokio@1.0.0","dep_kinds":[{"kind":null,"target":null}]}]},
        {"id":"registry+https://github.com/rust-lang/crates.io-index#tokio@1.0.0","dependencies":[],"features":[],"deps":[]},
        {"id":"registry+https://github.com/rust-lang/crates.io-index#cc@1.0.0","dependencies":[],"features":[],"deps":[]},
        {"id":"registry+https://github.com/rust-lang/crates.io-index#mockall@1.0.0","dependencies":[],"features":[],"deps":[]},
        {"id":"registry+https://github.com/rust-lang/crates.io-index#winapi@0.3.9","dependencies":[],"features":[],"deps":[]}
      ]},
      "target_directory": "/w/target", "workspace_root": "/w", "version": 1, "metadata": null
    }"#;

    fn prop<'a>(c: &'a Component, k: &str) -> Option<&'a str> {
        c.properties
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn runtime_build_dev_and_target_dependencies_are_told_apart() {
        let inv = read("metadata.json", MD).unwrap();
        let by = |n: &str| inv.components.iter().find(|c| c.name == n).unwrap();
        assert_eq!(
            prop(by("app"), "cargo:dependency-kind"),
            Some("workspace-member")
        );
        assert_eq!(
            prop(by("aws-sdk-s3"), "cargo:dependency-kind"),
            Some("runtime")
        );
        assert_eq!(prop(by("tokio"), "cargo:dependency-kind"), Some("runtime"));
        assert_eq!(prop(by("cc"), "cargo:dependency-kind"), Some("build"));
        assert_eq!(prop(by("mockall"), "cargo:dependency-kind"), Some("dev"));
        assert_eq!(by("mockall").scope.as_deref(), Some("excluded"));
        assert_eq!(prop(by("winapi"), "cargo:target"), Some("cfg(windows)"));
        assert_eq!(prop(by("aws-sdk-s3"), "cargo:features"), Some("rt-tokio"));
        assert_eq!(
            by("aws-sdk-s3").purl.as_deref(),
            Some("pkg:cargo/aws-sdk-s3@1.0.0")
        );
        assert_eq!(by("app").purl, None, "path packages have no registry purl");
        assert!(
            inv.relations
                .iter()
                .any(|r| r.kind == RelationKind::DevDependsOn && r.to.contains("mockall"))
        );
        assert_eq!(
            inv.metadata.subject.as_deref(),
            Some("path+file://./app#0.1.0"),
            "the workspace root is not shown"
        );
    }
}
