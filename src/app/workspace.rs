//! Rust workspaces as evidence: the crate graph from `cargo metadata`, and
//! (when the source scanner is present) what the code itself calls.

use super::AppError;
use crate::ingest::{self, Document, InputFile, Loaded, Options, ReadError, cargo};
use std::path::Path;

fn input(path: &Path, format: &str) -> Result<Option<InputFile>, ReadError> {
    let shown = path.display().to_string();
    let Ok(raw) = std::fs::read(path) else {
        return Ok(None);
    };
    Ok(Some(InputFile {
        path: shown,
        sha256: ingest::sha256_hex(&raw),
        bytes: raw.len() as u64,
        format: format.into(),
        compression: None,
    }))
}

/// Load a workspace from its `Cargo.toml`.
pub fn load(manifest: &str, opts: &Options) -> Result<Loaded, AppError> {
    let path = Path::new(manifest);
    let json = cargo::run(path, opts.cargo)?;
    let inv = cargo::read(manifest, &json)?;
    let main = input(path, "cargo-manifest+toml")?
        .ok_or_else(|| ReadError::new(manifest, "cannot read the manifest"))?;
    let lock = path.parent().map(|d| d.join("Cargo.lock"));
    let extra = match lock {
        Some(l) => input(&l, "cargo-lock+toml")?.into_iter().collect(),
        None => Vec::new(),
    };
    Ok(Loaded {
        input: main,
        extra,
        doc: Document::Sbom(Box::new(inv)),
    })
}
