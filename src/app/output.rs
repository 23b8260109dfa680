//! Writing report sets: every file is written to a temporary name in the
//! target folder and renamed into place, so a failure never leaves a
//! half-written report behind. The large files of a set (the JSON report, the
//! components table, the graphs) are written to their temporary file as they are
//! rendered, never held whole in memory; the set is renamed into place only once
//! every file of it is written.

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
    let staged = stage(path, &mut |w| w.write_all(contents))?;
    persist(path, staged)
}

fn write_error(path: &Path, e: std::io::Error) -> AppError {
    AppError::Output(format!("{}: cannot write: {e}", path.display()))
}

/// A temporary file beside `path` (random name, created exclusively) holding what `write`
/// wrote, synced to disk and closed (a set of thousands of files holds no descriptor open).
/// Dropped, it is removed.
fn stage(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<tempfile::TempPath, AppError> {
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
    let fail = |e| write_error(path, e);
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // Reports are for reading: the usual mode of a new file, not tempfile's private 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let tmp = builder.tempfile_in(dir).map_err(fail)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, tmp);
    write(&mut w).map_err(fail)?;
    let tmp = w.into_inner().map_err(|e| fail(e.into_error()))?;
    tmp.as_file().sync_all().map_err(fail)?;
    Ok(tmp.into_temp_path())
}

/// Rename a staged file into place.
fn persist(path: &Path, staged: tempfile::TempPath) -> Result<(), AppError> {
    // On failure the temporary file is removed when it is dropped.
    staged
        .persist(path)
        .map_err(|e| write_error(path, e.error))?;
    Ok(())
}

/// A renderer that writes a file's contents to a writer.
pub type Render<'a> = Box<dyn Fn(&mut dyn Write) -> std::io::Result<()> + 'a>;

/// How a file of a report set is written.
pub enum Body<'a> {
    /// Contents rendered beforehand (the small files).
    Bytes(Vec<u8>),
    /// Contents rendered straight into the file (the large ones).
    Stream(Render<'a>),
}

/// A file of a report set: its path inside the set and its body.
pub struct SetFile<'a> {
    pub path: PathBuf,
    pub body: Body<'a>,
}

impl SetFile<'_> {
    fn write(&self, w: &mut dyn Write) -> std::io::Result<()> {
        match &self.body {
            Body::Bytes(b) => w.write_all(b),
            Body::Stream(f) => f(w),
        }
    }
}

/// The files of a report set for `reports`, as (relative path, contents).
///
/// `report.html` is in `lang`, with the other language beside it
/// (`report.fr.html` or `report.en.html`); `per_bid` adds one folder per bid.
pub fn report_set<'a>(
    reports: &'a [Report],
    per_bid: bool,
    lang: Lang,
    tender: Option<&super::tender::TenderResult>,
) -> Vec<SetFile<'a>> {
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
    let text = |p: &str, s: String| SetFile {
        path: PathBuf::from(p),
        body: Body::Bytes(s.into_bytes()),
    };
    let stream = |p: PathBuf, f: Render<'a>| SetFile {
        path: p,
        body: Body::Stream(f),
    };
    let mut out = vec![
        stream(
            "report.json".into(),
            Box::new(move |w| render::json::write(reports, w)),
        ),
        text("report.md", render::md::render(reports)),
        text("summary.txt", render::text::render(reports)),
        text("report.html", render::html::render(reports, lang, charts)),
        text(
            &format!("report.{}.html", other.code()),
            render::html::render(reports, other, &other_charts),
        ),
        stream(
            "components.csv".into(),
            Box::new(move |w| render::csv::write_components(reports, w)),
        ),
        text("findings.csv", render::csv::findings(reports)),
        text("portfolio.csv", render::csv::portfolio(reports)),
        stream(
            "graph.dot".into(),
            Box::new(move |w| render::graph::write_dot(reports, w)),
        ),
        stream(
            "graph.graphml".into(),
            Box::new(move |w| render::graph::write_graphml(reports, w)),
        ),
    ];
    // A workbook that cannot be built (it never should) is left out, not the whole set.
    if let Ok(xlsx) = super::workbook::workbook(reports, tender, lang) {
        out.push(SetFile {
            path: PathBuf::from("report.xlsx"),
            body: Body::Bytes(xlsx),
        });
    }
    if let Some(t) = tender {
        out.push(text("tender.md", super::tender::markdown(t)));
        let mut json = serde_json::to_string_pretty(t).expect("serialisable");
        json.push('\n');
        out.push(text("tender.json", json));
    }
    for (name, bytes) in &charts.files {
        out.push(SetFile {
            path: PathBuf::from("charts").join(name),
            body: Body::Bytes(bytes.clone()),
        });
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
            out.push(stream(
                dir.join("report.json"),
                Box::new(move |w| render::json::write(one, w)),
            ));
            let bytes = |s: String| Body::Bytes(s.into_bytes());
            out.push(SetFile {
                path: dir.join("report.md"),
                body: bytes(render::md::render(one)),
            });
            out.push(SetFile {
                path: dir.join("report.html"),
                body: bytes(render::html::render(one, lang, &mine)),
            });
        }
    }
    out
}

/// Start every CSV file of a report set with a UTF-8 byte-order mark: Excel on Windows reads
/// UTF-8 CSV as the local code page without one. The CSV renderers never write one.
pub fn with_csv_bom(files: &mut [SetFile]) {
    const BOM: &[u8] = b"\xef\xbb\xbf";
    for f in files.iter_mut() {
        if f.path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let body = std::mem::replace(&mut f.body, Body::Bytes(Vec::new()));
        f.body = match body {
            Body::Bytes(mut b) => {
                if !b.starts_with(BOM) {
                    b.splice(0..0, BOM.iter().copied());
                }
                Body::Bytes(b)
            }
            Body::Stream(g) => Body::Stream(Box::new(move |w| {
                w.write_all(BOM)?;
                g(w)
            })),
        };
    }
}

/// A bid id as a folder name: ASCII letters, digits, `-` and `_` only. Every other character
/// becomes `_`, runs of `_` become one and none leads or trails, so that an SBOM named by its
/// path (`../corpus/app/bom.json`) gets `corpus_app_bom_json`, not `___corpus_app_bom_json`.
pub fn safe_name(id: &str) -> String {
    let mut s = String::with_capacity(id.len());
    for c in id.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '-' {
            c
        } else {
            '_'
        };
        if !(c == '_' && (s.is_empty() || s.ends_with('_'))) {
            s.push(c);
        }
    }
    while s.ends_with('_') {
        s.pop();
    }
    if s.is_empty() { "bid".into() } else { s }
}

/// Write a report set: every file to a temporary file in its place, and only once all are
/// written, each renamed into place. A rendering or writing problem writes nothing.
pub fn write_set(dir: &Path, files: &[SetFile]) -> Result<Vec<PathBuf>, AppError> {
    // The folders of the set (`charts/`, one per bid) are ours: one that is a link
    // planted in a shared output folder would send reports elsewhere. Checked before
    // anything is written.
    for f in files {
        let mut sub = dir.to_path_buf();
        for part in f.path.parent().into_iter().flat_map(Path::components) {
            sub.push(part);
            if std::fs::symlink_metadata(&sub).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(AppError::Output(format!(
                    "{}: is a symbolic link inside the output folder; refusing to write through it",
                    sub.display()
                )));
            }
        }
    }
    // On an error every staged file is dropped, and so removed.
    let mut staged = Vec::with_capacity(files.len());
    for f in files {
        let p = dir.join(&f.path);
        let tmp = stage(&p, &mut |w| f.write(w))?;
        staged.push((p, tmp));
    }
    let mut written = Vec::new();
    for (p, tmp) in staged {
        persist(&p, tmp)?;
        written.push(p);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bid_ids_cannot_escape_the_output_folder() {
        assert_eq!(safe_name("../../etc"), "etc");
        assert_eq!(safe_name("kasbah-cloud"), "kasbah-cloud");
        assert_eq!(safe_name(".."), "bid");
        assert_eq!(safe_name("_"), "bid");
        assert_eq!(
            safe_name("../shared/corpus/SBOM/juice-shop/bom.json"),
            "shared_corpus_SBOM_juice-shop_bom_json"
        );
        assert_eq!(safe_name("a b__c"), "a_b_c");
    }

    #[test]
    fn a_set_is_written_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = |p: &str, s: &str| SetFile {
            path: p.into(),
            body: Body::Bytes(s.as_bytes().to_vec()),
        };
        let mut first = vec![
            bytes("a.txt", "A"),
            SetFile {
                path: "sub/b.csv".into(),
                body: Body::Stream(Box::new(|w| w.write_all(b"x,y\r\n"))),
            },
        ];
        with_csv_bom(&mut first);
        assert_eq!(write_set(dir.path(), &first).unwrap().len(), 2);
        assert_eq!(
            std::fs::read(dir.path().join("sub/b.csv")).unwrap(),
            b"\xef\xbb\xbfx,y\r\n"
        );
        // A renderer that fails half-way: no file of the new set replaces the old ones.
        let second = vec![
            bytes("a.txt", "new A"),
            SetFile {
                path: "c.txt".into(),
                body: Body::Stream(Box::new(|w| {
                    w.write_all(b"half")?;
                    Err(std::io::Error::other("renderer failed"))
                })),
            },
        ];
        let e = write_set(dir.path(), &second).unwrap_err();
        assert!(e.to_string().contains("renderer failed"), "{e}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.txt")).unwrap(),
            "A"
        );
        assert!(!dir.path().join("c.txt").exists());
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
