//! Rust workspaces as evidence: the crate graph from `cargo metadata`, and
//! what the code itself calls (a syn scan of every source file): uses of the
//! dependency crates, hard-coded endpoints and provider settings.

use super::AppError;
use crate::ingest::{self, Document, InputFile, Loaded, Options, ReadError, cargo, rust_source};
use crate::model::{Diagnostic, Inventory, Level, Origin, Party, PartyRole, RoledParty, Service};
use std::path::Path;

/// Marks services that come from the source scan; the analysis keeps only the
/// ones the registry recognises (a URL of a known provider, a provider's settings).
pub const SCAN_PROPERTY: &str = "coquille:source-scan";

fn input(path: &Path, format: &str) -> Option<InputFile> {
    let raw = std::fs::read(path).ok()?;
    Some(InputFile {
        path: path.display().to_string(),
        sha256: ingest::sha256_hex(&raw),
        bytes: raw.len() as u64,
        format: format.into(),
        compression: None,
    })
}

/// Load a workspace from its `Cargo.toml`; `bid`, the manifest of the bid that
/// names it, confines its packages to that bid's folder.
pub fn load(manifest: &str, opts: &Options, bid: Option<&str>) -> Result<Loaded, AppError> {
    let path = Path::new(manifest);
    let json = cargo::run(path, opts.cargo)?;
    let mut inv = cargo::read(manifest, &json)?;
    if let Some(bid) = bid {
        stays_in(&inv, bid)?;
    }
    // Where packages sit on this machine is for that check only, never for a report.
    for c in &mut inv.components {
        c.properties.retain(|(k, _)| k != cargo::PATH_PROPERTY);
    }
    let root = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    add_source_scan(&mut inv, root);
    let main = input(path, "cargo-manifest+toml")
        .ok_or_else(|| ReadError::new(manifest, "cannot read the manifest"))?;
    let extra = input(&root.join("Cargo.lock"), "cargo-lock+toml")
        .into_iter()
        .collect();
    Ok(Loaded {
        input: main,
        extra,
        doc: Document::Sbom(Box::new(inv)),
    })
}

/// A bid's workspace may not reach outside the bid's folder: every package cargo
/// found on disk (members and path dependencies) must lie under it.
fn stays_in(inv: &Inventory, manifest: &str) -> Result<(), AppError> {
    let folder = Path::new(manifest)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let base = std::fs::canonicalize(folder)
        .map_err(|e| ReadError::new(manifest, format!("cannot resolve the bid's folder: {e}")))?;
    for c in &inv.components {
        let Some((_, dir)) = c.properties.iter().find(|(k, _)| k == cargo::PATH_PROPERTY) else {
            continue;
        };
        let inside = std::fs::canonicalize(dir).is_ok_and(|d| d.starts_with(&base));
        if !inside {
            return Err(ReadError::new(
                manifest,
                format!(
                    "the Rust workspace's package \"{}\" lies outside the bid's folder ({dir})",
                    crate::render::escape::terminal(&c.name)
                ),
            )
            .supported("workspaces whose members and path dependencies are inside the bid's folder")
            .into());
        }
    }
    Ok(())
}

/// Scan the workspace's sources and add what they show to the inventory.
pub fn add_source_scan(inv: &mut Inventory, root: &Path) {
    let is_member = |c: &crate::model::Component| {
        c.properties
            .iter()
            .any(|(k, v)| k == "cargo:dependency-kind" && v == "workspace-member")
    };
    let names: Vec<String> = inv
        .components
        .iter()
        .filter(|c| !is_member(c))
        .map(|c| c.name.replace('-', "_"))
        .collect();
    let scan = rust_source::scan_dir(root, &names);
    let shown = |file: &str| {
        if root == Path::new(".") {
            file.to_string()
        } else {
            format!("{}/{file}", root.display())
        }
    };
    let mut used = 0usize;
    for h in &scan.hits {
        let file = shown(&h.file);
        let origin = Origin::new(
            file.clone(),
            format!("line {}, column {}", h.line, h.column),
        );
        match h.kind {
            rust_source::HitKind::UseOfCrate => {
                if let Some(c) = inv
                    .components
                    .iter_mut()
                    .find(|c| !is_member(c) && c.name.replace('-', "_") == h.text)
                {
                    used += 1;
                    if c.properties
                        .iter()
                        .filter(|(k, _)| k == "source:used-at")
                        .count()
                        < 5
                    {
                        c.properties
                            .push(("source:used-at".into(), format!("{file}:{}", h.line)));
                    }
                }
            }
            rust_source::HitKind::Url => {
                let mut s = Service::new(
                    format!("source:{file}:{}:{}", h.line, h.column),
                    format!("{} ({file}:{})", h.text, h.line),
                    origin,
                );
                s.endpoints.push(h.text.clone());
                s.properties.push((SCAN_PROPERTY.into(), "url".into()));
                inv.services.push(s);
            }
            rust_source::HitKind::EnvVar => {
                let mut s = Service::new(
                    format!("source:{file}:{}:{}", h.line, h.column),
                    format!("{} ({file}:{})", h.text, h.line),
                    origin.clone(),
                );
                s.provider = h.detail.as_ref().map(|p| RoledParty {
                    role: PartyRole::Provider,
                    party: Party {
                        name: Some(p.clone()),
                        ..Party::default()
                    },
                    origin,
                });
                s.properties.push((SCAN_PROPERTY.into(), "setting".into()));
                inv.services.push(s);
            }
        }
    }
    for (file, why) in &scan.unparsed {
        inv.warn(
            Origin::new(shown(file), ""),
            format!("source not scanned: {why}"),
        );
    }
    inv.diagnostics.push(Diagnostic {
        level: Level::Info,
        origin: Origin::new(root.display().to_string(), ""),
        message: format!("source scan: {} Rust files, {} uses of dependency crates, {} endpoints and provider settings", scan.files, used, scan.hits.len() - used),
    });
}
