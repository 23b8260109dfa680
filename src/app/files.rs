//! Where inputs come from: the disk, or the demo files embedded in the binary.
//! Both refuse paths that leave a bid's folder.

use super::AppError;
use crate::ingest::ReadError;
use crate::ingest::manifest::check_relative;
use std::path::Path;

pub trait Files: Sync {
    /// Read a file, refusing anything larger than `limit` bytes.
    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, ReadError>;
    /// The path of `rel`, named in the manifest at `manifest`, checked to stay in its folder.
    fn resolve(&self, manifest: &str, rel: &str) -> Result<String, String>;
    /// Real files on disk (Rust workspaces can only be read from disk).
    fn is_disk(&self) -> bool {
        false
    }
}

fn parent(p: &str) -> &str {
    p.rfind(['/', '\\']).map_or("", |i| &p[..i])
}

fn join(dir: &str, rel: &str) -> String {
    if dir.is_empty() {
        rel.to_string()
    } else {
        format!("{dir}/{rel}")
    }
}

pub struct DiskFiles;

impl Files for DiskFiles {
    fn is_disk(&self) -> bool {
        true
    }

    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        if path == STDIN {
            return read_stdin(limit);
        }
        let meta = std::fs::metadata(path)
            .map_err(|e| ReadError::new(path, format!("cannot read: {e}")))?;
        if meta.is_dir() {
            return Err(ReadError::new(
                path,
                "is a folder; name a bid manifest (bid.toml) or an SBOM file",
            ));
        }
        // A FIFO would block and a device never end: refused before opening.
        if !meta.is_file() {
            return Err(ReadError::new(
                path,
                "is not a regular file (a FIFO, device or socket); name an SBOM or manifest file",
            ));
        }
        if meta.len() > limit {
            return Err(ReadError::new(
                path,
                format!("file is {} bytes, over the limit of {limit}", meta.len()),
            ));
        }
        std::fs::read(path).map_err(|e| ReadError::new(path, format!("cannot read: {e}")))
    }

    fn resolve(&self, manifest: &str, rel: &str) -> Result<String, String> {
        check_relative(rel)?;
        let dir = parent(manifest);
        let full = join(dir, rel);
        // Symbolic links may not lead out of the bid's folder either.
        let base = std::fs::canonicalize(if dir.is_empty() { "." } else { dir })
            .map_err(|e| format!("cannot resolve the manifest's folder: {e}"))?;
        let real =
            std::fs::canonicalize(&full).map_err(|e| format!("cannot read \"{rel}\": {e}"))?;
        if !real.starts_with(&base) {
            return Err(format!("\"{rel}\" leads out of the manifest's folder"));
        }
        Ok(full)
    }
}

/// The display path of standard input (`-` on the command line).
pub const STDIN: &str = "(stdin)";

/// Standard input, read up to `limit` bytes (more is an error, not a truncation).
fn read_stdin(limit: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let mut buf = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| ReadError::new(STDIN, format!("cannot read: {e}")))?;
    if buf.len() as u64 > limit {
        return Err(ReadError::new(
            STDIN,
            format!("standard input is over the limit of {limit} bytes"),
        ));
    }
    Ok(buf)
}

/// How deep a folder walk goes, and how many files it looks at, before it stops with an error.
const WALK_DEPTH: usize = 32;
const WALK_FILES: usize = 1_000_000;

/// Every regular file below `dir`, sorted, as display paths. Links and hidden entries
/// (`.git`) are not followed: a folder of uploads cannot point the walk elsewhere.
pub fn walk(dir: &Path) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    while let Some((d, depth)) = stack.pop() {
        let shown = d.to_string_lossy().into_owned();
        if depth > WALK_DEPTH {
            return Err(AppError::Input(ReadError::new(
                shown,
                format!("folders nest deeper than {WALK_DEPTH} levels"),
            )));
        }
        let mut entries: Vec<std::fs::DirEntry> = std::fs::read_dir(&d)
            .map_err(|e| AppError::Input(ReadError::new(&shown, format!("cannot read: {e}"))))?
            .filter_map(Result::ok)
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .collect();
        entries.sort_by_key(|e| e.file_name());
        let mut subdirs = Vec::new();
        for e in entries {
            let Ok(t) = e.file_type() else { continue };
            if t.is_dir() {
                subdirs.push((e.path(), depth + 1));
            } else if t.is_file() {
                out.push(e.path().to_string_lossy().into_owned());
                if out.len() > WALK_FILES {
                    return Err(AppError::Input(ReadError::new(
                        dir.to_string_lossy(),
                        format!("holds more than {WALK_FILES} files"),
                    )));
                }
            }
        }
        // Depth first, in name order.
        stack.extend(subdirs.into_iter().rev());
    }
    Ok(out)
}

/// A command-line input as a display path; a folder stands for its `bid.toml`.
pub fn input_path(p: &Path) -> Result<String, AppError> {
    let shown = p.to_string_lossy().into_owned();
    if shown == "-" {
        return Ok(STDIN.to_string());
    }
    if p.is_dir() {
        for name in ["bid.toml", "Cargo.toml"] {
            let m = p.join(name);
            if m.is_file() {
                return Ok(m.to_string_lossy().into_owned());
            }
        }
        return Err(AppError::Input(
            ReadError::new(
                shown,
                "is a folder without a bid.toml manifest or a Cargo.toml workspace",
            )
            .supported(crate::ingest::SUPPORTED_SBOMS),
        ));
    }
    Ok(shown)
}

/// Files compiled into the binary (the demo tender).
pub struct EmbeddedFiles {
    prefix: &'static str,
    files: &'static [(&'static str, &'static [u8])],
}

mod demo_files {
    include!(concat!(env!("OUT_DIR"), "/embedded_demo.rs"));
}

impl EmbeddedFiles {
    pub fn demo() -> Self {
        EmbeddedFiles {
            prefix: "demo/",
            files: demo_files::FILES,
        }
    }

    /// Every `bid.toml`, as display paths, sorted.
    pub fn manifests(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .files
            .iter()
            .filter(|(p, _)| p.ends_with("/bid.toml"))
            .map(|(p, _)| format!("{}{p}", self.prefix))
            .collect();
        v.sort();
        v
    }

    /// Every embedded file, as (display path, bytes).
    pub fn all(&self) -> impl Iterator<Item = (String, &'static [u8])> + '_ {
        self.files
            .iter()
            .map(|(p, b)| (format!("{}{p}", self.prefix), *b))
    }
}

impl Files for EmbeddedFiles {
    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        let rel = path.strip_prefix(self.prefix).unwrap_or(path);
        let (_, bytes) = self
            .files
            .iter()
            .find(|(p, _)| *p == rel)
            .ok_or_else(|| ReadError::new(path, "no such embedded file"))?;
        if bytes.len() as u64 > limit {
            return Err(ReadError::new(path, "over the size limit"));
        }
        Ok(bytes.to_vec())
    }

    fn resolve(&self, manifest: &str, rel: &str) -> Result<String, String> {
        check_relative(rel)?;
        let mut parts: Vec<&str> = parent(manifest)
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        for part in rel.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                p => parts.push(p),
            }
        }
        Ok(parts.join("/"))
    }
}
