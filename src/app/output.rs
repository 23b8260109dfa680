//! Writing report sets: every file is written to a temporary name in the
//! target folder and renamed into place, so a failure never leaves a
//! half-written report behind.

use super::AppError;
use crate::render;
use crate::report::Report;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Write `contents` to `path` atomically (temporary file + rename).
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), AppError> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| AppError::Output(format!("{}: cannot create folder: {e}", dir.display())))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let res = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    res.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        AppError::Output(format!("{}: cannot write: {e}", path.display()))
    })
}

/// The files of a report set for `reports`, as (relative path, contents).
pub fn report_set(reports: &[Report], per_bid: bool) -> Vec<(PathBuf, String)> {
    let mut out = vec![
        (PathBuf::from("report.json"), render::json::render(reports)),
        (PathBuf::from("report.md"), render::md::render(reports)),
        (PathBuf::from("summary.txt"), render::text::render(reports)),
    ];
    if per_bid {
        for r in reports {
            let dir = PathBuf::from(safe_name(&r.bid.id));
            let one = std::slice::from_ref(r);
            out.push((dir.join("report.json"), render::json::render(one)));
            out.push((dir.join("report.md"), render::md::render(one)));
        }
    }
    out
}

/// A bid id as a folder name: ASCII letters, digits, `-` and `_` only.
pub fn safe_name(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() || s.chars().all(|c| c == '_') {
        "bid".into()
    } else {
        s
    }
}

/// Render everything first, then write: a rendering problem writes nothing.
pub fn write_set(dir: &Path, files: &[(PathBuf, String)]) -> Result<Vec<PathBuf>, AppError> {
    let mut written = Vec::new();
    for (rel, contents) in files {
        let p = dir.join(rel);
        write_atomic(&p, contents.as_bytes())?;
        written.push(p);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bid_ids_cannot_escape_the_output_folder() {
        assert_eq!(safe_name("../../etc"), "______etc");
        assert_eq!(safe_name("kasbah-cloud"), "kasbah-cloud");
        assert_eq!(safe_name(".."), "bid");
    }
}
