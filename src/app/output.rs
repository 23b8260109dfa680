//! Writing report sets: every file is written to a temporary name in the
//! target folder and renamed into place, so a failure never leaves a
//! half-written report behind.

use super::AppError;
use crate::render::html::ChartSet;
use crate::render::{self, Lang};
use crate::report::Report;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Write `contents` to `path` atomically: a new temporary file in the target
/// folder (random name, created exclusively, never through a link) renamed
/// into place. A link planted at `path` is replaced, not followed.
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
    let fail =
        |e: std::io::Error| AppError::Output(format!("{}: cannot write: {e}", path.display()));
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // Reports are for reading: the usual mode of a new file, not tempfile's private 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder.tempfile_in(dir).map_err(fail)?;
    tmp.write_all(contents).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    // On failure the temporary file is removed when `tmp` is dropped.
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// The files of a report set for `reports`, as (relative path, contents).
///
/// `report.html` is in `lang`, with the other language beside it
/// (`report.fr.html` or `report.en.html`); `per_bid` adds one folder per bid.
pub fn report_set(
    reports: &[Report],
    per_bid: bool,
    lang: Lang,
    tender: Option<&super::tender::TenderResult>,
) -> Vec<(PathBuf, Vec<u8>)> {
    let other = if lang == Lang::En { Lang::Fr } else { Lang::En };
    let preface = |l: Lang| {
        tender
            .map(|t| super::tender::html(t, l))
            .unwrap_or_default()
    };
    let charts = &ChartSet {
        preface: preface(lang),
        ..super::charts(reports, lang)
    };
    let other_charts = ChartSet {
        files: Vec::new(),
        preface: preface(other),
        ..super::charts(reports, other)
    };
    let text = |p: &str, s: String| (PathBuf::from(p), s.into_bytes());
    let mut out = vec![
        text("report.json", render::json::render(reports)),
        text("report.md", render::md::render(reports)),
        text("summary.txt", render::text::render(reports)),
        text("report.html", render::html::render(reports, lang, charts)),
        text(
            &format!("report.{}.html", other.code()),
            render::html::render(reports, other, &other_charts),
        ),
        text("components.csv", render::csv::components(reports)),
        text("findings.csv", render::csv::findings(reports)),
        text("portfolio.csv", render::csv::portfolio(reports)),
        text("graph.dot", render::graph::dot(reports)),
        text("graph.graphml", render::graph::graphml(reports)),
    ];
    // A workbook that cannot be built (it never should) is left out, not the whole set.
    if let Ok(xlsx) = super::workbook::workbook(reports, tender, lang) {
        out.push((PathBuf::from("report.xlsx"), xlsx));
    }
    if let Some(t) = tender {
        out.push(text("tender.md", super::tender::markdown(t)));
        let mut json = serde_json::to_string_pretty(t).expect("serialisable");
        json.push('\n');
        out.push(text("tender.json", json));
    }
    for (name, bytes) in &charts.files {
        out.push((PathBuf::from("charts").join(name), bytes.clone()));
    }
    if per_bid {
        for r in reports {
            let dir = PathBuf::from(safe_name(&r.bid.id));
            let one = std::slice::from_ref(r);
            let mine = ChartSet {
                per_bid: charts
                    .per_bid
                    .iter()
                    .filter(|(k, _)| *k == &r.bid.id)
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                // The page's font covers every chart of the set: a superset of this bid's.
                font_css: charts.font_css.clone(),
                ..ChartSet::default()
            };
            out.push((
                dir.join("report.json"),
                render::json::render(one).into_bytes(),
            ));
            out.push((dir.join("report.md"), render::md::render(one).into_bytes()));
            out.push((
                dir.join("report.html"),
                render::html::render(one, lang, &mine).into_bytes(),
            ));
        }
    }
    out
}

/// Start every CSV file of a report set with a UTF-8 byte-order mark: Excel on Windows reads
/// UTF-8 CSV as the local code page without one.
pub fn with_csv_bom(files: &mut [(PathBuf, Vec<u8>)]) {
    for (path, bytes) in files.iter_mut() {
        if path.extension().is_some_and(|e| e == "csv") && !bytes.starts_with(b"\xef\xbb\xbf") {
            bytes.splice(0..0, *b"\xef\xbb\xbf");
        }
    }
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
pub fn write_set(dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<Vec<PathBuf>, AppError> {
    // The folders of the set (`charts/`, one per bid) are ours: one that is a link
    // planted in a shared output folder would send reports elsewhere. Checked before
    // anything is written.
    for (rel, _) in files {
        let mut sub = dir.to_path_buf();
        for part in rel.parent().into_iter().flat_map(Path::components) {
            sub.push(part);
            if std::fs::symlink_metadata(&sub).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(AppError::Output(format!(
                    "{}: is a symbolic link inside the output folder; refusing to write through it",
                    sub.display()
                )));
            }
        }
    }
    let mut written = Vec::new();
    for (rel, contents) in files {
        let p = dir.join(rel);
        write_atomic(&p, contents)?;
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
