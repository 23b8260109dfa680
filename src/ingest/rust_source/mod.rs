//! Rust source scanning: which cloud SDK crates a code base uses, which
//! endpoints it hard-codes and which provider settings it reads.
//!
//! [`scan_source`] parses one file with syn and walks the whole tree:
//! `use` declarations, `extern crate` and paths whose first segment is one of
//! the given crates ([`HitKind::UseOfCrate`]); string literals, also inside
//! macro bodies and attribute arguments, for URLs and bare host names
//! ([`HitKind::Url`]) and provider variable names such as `AWS_REGION`
//! ([`HitKind::EnvVar`], prefixes in [`ENV_PREFIXES`]). Documentation
//! (`///`, `#[doc = …]`) is prose, not code, and is skipped.
//!
//! [`scan_dir`] walks a folder in parallel and also reads the files named by
//! `include_str!("…")`/`include_bytes!("…")` when they stay inside the folder.
//! This module knows nothing of the registry: the caller decides which crates
//! are cloud SDKs and what a host or variable name means.

mod ast;
mod text;

pub use text::{ENV_PREFIXES, env_provider, is_bare_host};

use rayon::prelude::*;
use std::collections::HashSet;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Largest file read, source or included (10 MB).
pub const MAX_FILE_BYTES: u64 = 10 * 1000 * 1000;

/// Stack for each scanning thread: syn parses and walks recursively.
const STACK_BYTES: usize = 64 << 20;

/// What a hit is evidence of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HitKind {
    /// `use aws_sdk_s3::…`, `extern crate`, or a path such as
    /// `aws_sdk_s3::Client::new`. `text` is the crate, `detail` the path.
    UseOfCrate,
    /// A URL (`text`) or bare host name in a string; `detail` is the host.
    Url,
    /// A provider variable or configuration key name (`AWS_REGION`);
    /// `detail` is the provider.
    EnvVar,
}

/// One piece of evidence. The derived order is the report order: file,
/// line, column, kind, text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Hit {
    /// Path relative to the scanned root, with `/` separators.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub kind: HitKind,
    /// The crate, the URL or host, or the variable name.
    pub text: String,
    pub detail: Option<String>,
}

/// The outcome of [`scan_dir`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ScanReport {
    /// Rust files found (parsed or not).
    pub files: usize,
    /// Sorted, without duplicates.
    pub hits: Vec<Hit>,
    /// Files (or includes, links) that were not analysed, each with the
    /// reason and, where there is one, the line. Sorted.
    pub unparsed: Vec<(String, String)>,
}

fn normalise_crates(crate_names: &[String]) -> Vec<String> {
    let mut v: Vec<String> = crate_names
        .iter()
        .map(|c| c.trim().replace('-', "_"))
        .filter(|c| !c.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Sort, drop exact duplicates, and keep one crate use per (file, line, crate).
fn finish(hits: &mut Vec<Hit>) {
    hits.sort();
    hits.dedup();
    let mut seen = HashSet::new();
    hits.retain(|h| {
        h.kind != HitKind::UseOfCrate || seen.insert((h.file.clone(), h.line, h.text.clone()))
    });
}

/// Scan one Rust file's text. `file` is the name put on hits. Includes are
/// not followed (there is no folder to keep them in). The error is syn's
/// message with its line and column.
///
/// syn parses recursively, so the work runs on a helper thread with a
/// 64 MiB stack, and inputs nested or chained past fixed limits are refused
/// before parsing.
pub fn scan_source(file: &str, src: &str, crate_names: &[String]) -> Result<Vec<Hit>, String> {
    let crates = normalise_crates(crate_names);
    let work = || ast::scan(file, src, &crates);
    let scanned = std::thread::scope(|s| {
        match std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn_scoped(s, work)
        {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|_| Err("the parser failed".to_string())),
            Err(_) => work(),
        }
    });
    let mut hits = scanned?.hits;
    finish(&mut hits);
    Ok(hits)
}

/// Scan every `*.rs` file under `root` (or `root` itself if it is a file),
/// in parallel. Skips `.git`, hidden folders and `target` folders (unless
/// the folder is a Rust module: it holds `mod.rs` or sits beside
/// `target.rs`); follows no symbolic link that leaves `root` and no folder
/// link at all.
pub fn scan_dir(root: &Path, crate_names: &[String]) -> ScanReport {
    let crates = normalise_crates(crate_names);
    let mut report = ScanReport::default();
    let root = match root.canonicalize() {
        Ok(r) => r,
        Err(e) => {
            report
                .unparsed
                .push((root.display().to_string(), format!("cannot open: {e}")));
            return report;
        }
    };
    let (files, mut notes) = walk(&root);
    report.files = files.len();
    let work = || {
        files
            .par_iter()
            .map(|rel| scan_file(&root, rel, &crates))
            .collect::<Vec<_>>()
    };
    let results = match rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_BYTES)
        .build()
    {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    };
    for (hits, file_notes) in results {
        report.hits.extend(hits);
        notes.extend(file_notes);
    }
    finish(&mut report.hits);
    notes.sort();
    notes.dedup();
    report.unparsed = notes;
    report
}

type Note = (String, String);

/// Relative paths (with `/`) of the Rust files under `root`, sorted, and
/// notes about what was not followed.
fn walk(root: &Path) -> (Vec<String>, Vec<Note>) {
    let mut files = Vec::new();
    let mut notes = Vec::new();
    if root.is_file() {
        if let Some(name) = root.file_name() {
            files.push(name.to_string_lossy().into_owned());
        }
        return (files, notes);
    }
    let mut dirs = vec![String::new()];
    while let Some(dir) = dirs.pop() {
        let abs = root.join(&dir);
        let entries = match std::fs::read_dir(&abs) {
            Ok(e) => e,
            Err(e) => {
                notes.push((shown(&dir), format!("cannot read folder: {e}")));
                continue;
            }
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if dir.is_empty() {
                name.clone()
            } else {
                format!("{dir}/{name}")
            };
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                // Integration tests, benchmarks and examples do not ship either.
                let test_code = matches!(name.as_str(), "tests" | "benches" | "examples");
                if name.starts_with('.')
                    || test_code
                    || (name == "target" && !is_module(&abs, &name))
                {
                    continue;
                }
                dirs.push(rel);
            } else if kind.is_symlink() {
                let inside = entry
                    .path()
                    .canonicalize()
                    .map(|t| (t.starts_with(root), t.is_file()));
                match inside {
                    Ok((true, true)) if name.ends_with(".rs") => files.push(rel),
                    Ok((false, _)) => notes.push((
                        rel,
                        "symbolic link leads outside the scanned folder; not followed".into(),
                    )),
                    _ => {}
                }
            } else if kind.is_file() && name.ends_with(".rs") && name != "tests.rs" {
                // `tests.rs` is by convention the body of a `#[cfg(test)] mod tests;`.
                files.push(rel);
            }
        }
    }
    files.sort();
    (files, notes)
}

fn shown(rel: &str) -> String {
    if rel.is_empty() {
        ".".into()
    } else {
        rel.into()
    }
}

/// A folder named `target` that is a Rust module rather than Cargo's output.
fn is_module(parent: &Path, name: &str) -> bool {
    parent.join(name).join("mod.rs").is_file() || parent.join(format!("{name}.rs")).is_file()
}

/// Read a file of at most [`MAX_FILE_BYTES`].
fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    let f = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut buf = Vec::new();
    f.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read: {e}"))?;
    if buf.len() as u64 > MAX_FILE_BYTES {
        return Err(format!("larger than {MAX_FILE_BYTES} bytes; not analysed"));
    }
    Ok(buf)
}

fn utf8(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        format!("line {line}: not valid UTF-8")
    })
}

fn scan_file(root: &Path, rel: &str, crates: &[String]) -> (Vec<Hit>, Vec<Note>) {
    let path = if root.is_file() {
        root.to_path_buf()
    } else {
        root.join(rel)
    };
    let src = match read_capped(&path).and_then(utf8) {
        Ok(s) => s,
        Err(e) => return (Vec::new(), vec![(rel.to_string(), e)]),
    };
    let scanned = match ast::scan(rel, &src, crates) {
        Ok(s) => s,
        Err(e) => return (Vec::new(), vec![(rel.to_string(), e)]),
    };
    let mut hits = scanned.hits;
    let mut notes = Vec::new();
    for inc in scanned.includes {
        let target = if root.is_file() {
            Err("is outside the scanned file".to_string())
        } else {
            resolve_include(root, rel, &inc.path)
        };
        match target {
            Ok((abs, inc_rel)) => match read_capped(&abs) {
                Ok(bytes) => {
                    if let Ok(text) = String::from_utf8(bytes) {
                        hits.extend(text_hits(&inc_rel, &text));
                    }
                }
                Err(e) => notes.push((inc_rel, e)),
            },
            Err(why) => notes.push((
                rel.to_string(),
                format!(
                    "line {}: include of {:?} {why}; not read",
                    inc.line, inc.path
                ),
            )),
        }
    }
    (hits, notes)
}

/// Where `include_str!(lit)` in `src_rel` points, if that stays inside
/// `root` both lexically and after resolving links.
fn resolve_include(root: &Path, src_rel: &str, lit: &str) -> Result<(PathBuf, String), String> {
    let mut parts: Vec<String> = src_rel.split('/').map(str::to_string).collect();
    parts.pop();
    for c in Path::new(lit).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Err("leaves the scanned folder".into());
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err("is an absolute path".into());
            }
        }
    }
    let abs = parts.iter().fold(root.to_path_buf(), |p, s| p.join(s));
    let real = abs
        .canonicalize()
        .map_err(|e| format!("cannot be opened ({e})"))?;
    if !real.starts_with(root) {
        return Err("leads outside the scanned folder through a link".into());
    }
    if !real.is_file() {
        return Err("is not a file".into());
    }
    Ok((real, parts.join("/")))
}

/// Hits in a non-Rust text (an included file), with their own lines.
fn text_hits(file: &str, text: &str) -> Vec<Hit> {
    let mut line_starts = vec![0];
    line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    text::find(text)
        .into_iter()
        .map(|f| {
            let line = line_starts.partition_point(|&s| s <= f.start);
            let start = line_starts[line - 1];
            Hit {
                file: file.to_string(),
                line,
                column: text[start..f.start].chars().count() + 1,
                kind: f.kind,
                text: f.text,
                detail: f.detail,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
