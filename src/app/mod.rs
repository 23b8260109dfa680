//! The commands: each sequences the pipeline stages and returns what the
//! binary writes. Only this module and the binary touch the file system.

pub mod diff;
mod files;
pub mod output;
pub mod progress;
pub mod tender;
pub mod validate;
pub mod vendors;
mod workbook;
mod workspace;

pub use files::{DiskFiles, EmbeddedFiles, Files};

use crate::analyse::{self, BidEvidence, Sbom};
use crate::ingest::manifest::Manifest;
use crate::ingest::{self, Document, InputFile, Loaded, Options, ReadError};
use crate::registry::{Registry, RegistryError};
use crate::report::{self, Report};
use rayon::prelude::*;
use std::fmt;
use std::path::{Path, PathBuf};

/// Every failure that ends a command with exit code 2.
#[derive(Debug)]
pub enum AppError {
    Input(ReadError),
    Registry(Vec<RegistryError>),
    Usage(String),
    Output(String),
    /// The command ran and found problems (exit code 1).
    Failed(String),
}

impl AppError {
    /// The process exit code for this outcome.
    pub fn exit_code(&self) -> u8 {
        match self {
            AppError::Failed(_) => 1,
            _ => 2,
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Input(e) => write!(f, "{e}"),
            AppError::Registry(es) => {
                writeln!(f, "the vendor registry has {} problem(s):", es.len())?;
                for e in es {
                    writeln!(f, "  {e}")?;
                }
                Ok(())
            }
            AppError::Usage(m) | AppError::Output(m) | AppError::Failed(m) => write!(f, "{m}"),
        }
    }
}

impl From<ReadError> for AppError {
    fn from(e: ReadError) -> Self {
        AppError::Input(e)
    }
}

pub fn registry(vendors: Option<&Path>) -> Result<Registry, AppError> {
    match vendors {
        Some(dir) => Registry::embedded_with_overlay(dir),
        None => Registry::embedded(),
    }
    .map_err(AppError::Registry)
}

/// Read one file through `files` and parse it. A Rust workspace named by a bid's
/// manifest (`bid`) must keep its packages inside the bid's folder.
fn load(
    files: &dyn Files,
    path: &str,
    opts: &Options,
    bid: Option<&str>,
) -> Result<Loaded, AppError> {
    if files.is_disk()
        && Path::new(path)
            .file_name()
            .is_some_and(|n| n == "Cargo.toml")
    {
        return workspace::load(path, opts, bid);
    }
    let raw = files.read(path, opts.limit)?;
    Ok(ingest::parse_with(path, &raw, opts)?)
}

/// A bid from its manifest: read every SBOM the layers name.
fn bid_from_manifest(
    files: &dyn Files,
    path: &str,
    m: Manifest,
    input: InputFile,
    opts: &Options,
) -> Result<BidEvidence, AppError> {
    // Resolve every path first (cheap, and errors name the manifest line), then read in parallel.
    let mut wanted = Vec::new();
    for (i, layer) in m.layers.iter().enumerate() {
        for rel in &layer.sbom {
            let full = files
                .resolve(path, rel)
                .map_err(|e| ReadError::new(path, e).at(format!("layers[{i}].sbom \"{rel}\"")))?;
            wanted.push((i, rel.clone(), full));
        }
    }
    let cargo_toml = |p: &str| Path::new(p).file_name().is_some_and(|n| n == "Cargo.toml");
    if !opts.cargo.allow_bid_workspaces
        && let Some((i, rel, _)) = wanted
            .iter()
            .find(|(_, _, full)| files.is_disk() && cargo_toml(full))
    {
        return Err(ReadError::new(
            path,
            format!("\"{rel}\" is a Rust workspace: coquille runs cargo on a bid's workspace only when asked"),
        )
        .at(format!("layers[{i}].sbom"))
        .supported("an SBOM made from the workspace, or `analyze --allow-cargo` (runs `cargo metadata --offline --locked`; path dependencies must stay in the bid's folder)")
        .into());
    }
    // A bid's workspace is read offline and locked, whatever the command line says.
    let bid_opts = Options {
        cargo: crate::ingest::cargo::CargoFlags {
            offline: true,
            locked: true,
            ..opts.cargo
        },
        ..*opts
    };
    let loaded: Vec<Result<Loaded, AppError>> = wanted
        .par_iter()
        .map(|(_, _, full)| load(files, full, &bid_opts, Some(path)))
        .collect();
    let mut inputs = vec![input];
    let mut sboms = Vec::new();
    for ((i, rel, _), loaded) in wanted.into_iter().zip(loaded) {
        let loaded = loaded?;
        match loaded.doc {
            Document::Sbom(inv) => {
                inputs.push(loaded.input);
                inputs.extend(loaded.extra);
                sboms.push(Sbom {
                    inventory: *inv,
                    layer: Some(i),
                });
            }
            Document::Manifest(_) => {
                return Err(ReadError::new(
                    path,
                    format!("\"{rel}\" is a bid manifest, not an SBOM"),
                )
                .at(format!("layers[{i}].sbom"))
                .into());
            }
        }
    }
    Ok(BidEvidence {
        id: m.bid.id.clone(),
        title: m.bid.title.clone(),
        manifest_file: Some(path.to_string()),
        manifest: Some(m),
        sboms,
        inputs,
    })
}

/// A file found by a folder walk: read once, kept when its content is a document coquille
/// reads (`None` otherwise, unreadable files included), parsed from the same bytes.
fn load_walked(files: &dyn Files, path: &str, opts: &Options) -> Result<Option<Loaded>, AppError> {
    let Ok(raw) = files.read(path, opts.limit) else {
        return Ok(None);
    };
    if !ingest::recognise(path, &raw, opts.limit) {
        return Ok(None);
    }
    Ok(Some(ingest::parse_with(path, &raw, opts)?))
}

/// Group inputs into bids: each manifest is a bid; loose SBOMs join the only manifest when
/// every input was named one by one (`walked` is empty), or else each is a result of its own,
/// named after its path. An SBOM a manifest lists is that bid's, never also a result of its
/// own. Paths in `walked` came from a folder walk: those that are not SBOMs or manifests are
/// skipped, and counted.
pub fn bids(
    files: &dyn Files,
    paths: &[String],
    walked: &std::collections::BTreeSet<String>,
    opts: &Options,
    progress: &progress::Progress,
) -> Result<(Vec<BidEvidence>, usize), AppError> {
    let group = walked.is_empty();
    let mut bids = Vec::new();
    let mut loose: Vec<(Sbom, Vec<InputFile>)> = Vec::new();
    let loaded: Vec<Result<Option<Loaded>, AppError>> = paths
        .par_iter()
        .map(|p| {
            let loaded = if walked.contains(p) {
                load_walked(files, p, opts)
            } else {
                load(files, p, opts, None).map(Some)
            };
            progress.inc();
            loaded
        })
        .collect();
    let mut skipped = 0;
    for (p, loaded) in paths.iter().zip(loaded) {
        let Some(loaded) = loaded? else {
            skipped += 1;
            continue;
        };
        match loaded.doc {
            Document::Manifest(m) => {
                bids.push(bid_from_manifest(files, p, *m, loaded.input, opts)?)
            }
            Document::Sbom(inv) => loose.push((
                Sbom {
                    inventory: *inv,
                    layer: None,
                },
                std::iter::once(loaded.input).chain(loaded.extra).collect(),
            )),
        }
    }
    let listed: std::collections::BTreeSet<PathBuf> = bids
        .iter()
        .flat_map(|b| b.inputs.iter().skip(1))
        .filter_map(|i| std::fs::canonicalize(&i.path).ok())
        .collect();
    loose.retain(|(_, inputs)| {
        std::fs::canonicalize(&inputs[0].path).map_or(true, |p| !listed.contains(&p))
    });
    // Each bid's reports go to a folder named after its id: two bids may not share one.
    let mut folders: std::collections::BTreeMap<String, &str> = std::collections::BTreeMap::new();
    for b in &bids {
        let file = b.manifest_file.as_deref().unwrap_or("?");
        if let Some(first) = folders.insert(output::safe_name(&b.id), file) {
            return Err(AppError::Usage(format!(
                "{file}: bid id \"{}\" is also the id of {first} (or becomes the same folder name); give each bid its own [bid] id",
                crate::render::escape::terminal(&b.id)
            )));
        }
    }
    if bids.len() == 1 && group {
        // A manifest groups the SBOMs given with it.
        for (s, i) in loose {
            bids[0].sboms.push(s);
            bids[0].inputs.extend(i);
        }
    } else {
        // Without a manifest each SBOM is judged on its own, named after its path.
        let mut used: std::collections::BTreeSet<String> =
            bids.iter().map(|b| output::safe_name(&b.id)).collect();
        for (sbom, inputs) in loose {
            let path = inputs[0].path.clone();
            let mut id = path.clone();
            let mut n = 1;
            while !used.insert(output::safe_name(&id)) {
                n += 1;
                id = format!("{path} ({n})");
            }
            let title = sbom_title(&sbom.inventory).unwrap_or(path);
            bids.push(BidEvidence {
                id,
                title,
                manifest: None,
                manifest_file: None,
                sboms: vec![sbom],
                inputs,
            });
        }
    }
    Ok((bids, skipped))
}

/// What an SBOM describes, as `name version`, for the title of its own result.
fn sbom_title(inv: &crate::model::Inventory) -> Option<String> {
    let subject = inv.metadata.subject.as_deref()?;
    let c = inv.components.iter().find(|c| c.bom_ref == subject)?;
    let name = match &c.group {
        Some(g) if !g.is_empty() => format!("{g}/{}", c.name),
        _ => c.name.clone(),
    };
    Some(match &c.version {
        Some(v) => format!("{name} {v}"),
        None => name,
    })
    .filter(|t| !t.trim().is_empty())
}

/// Analyse bids and build their reports (the bids are copied; `analyze` hands its own over).
/// `req` names the layers every bid must show (empty: each bid's service model decides).
pub fn reports(
    reg: &Registry,
    home: &str,
    bids: &[BidEvidence],
    req: &analyse::Requirements,
) -> Vec<Report> {
    bids.par_iter()
        .map(|b| report::build(analyse::run(reg, home, b.clone(), req)))
        .collect()
}

/// [`reports`] of bids no longer needed afterwards, advancing `progress` by one for each: a
/// bid's SBOMs are consumed by its analysis (each component's strings move into its item), and
/// the analysis by its report, so no component is ever held twice.
fn reports_of_owned(
    reg: &Registry,
    home: &str,
    bids: Vec<BidEvidence>,
    req: &analyse::Requirements,
    progress: &progress::Progress,
) -> Vec<Report> {
    bids.into_par_iter()
        .map(|b| {
            let r = report::build(analyse::run(reg, home, b, req));
            progress.inc();
            r
        })
        .collect()
}

/// The results of `analyze` (and `check`), and how many files folder walks passed over.
pub struct Analyzed {
    pub reports: Vec<Report>,
    /// Files in walked folders that are neither an SBOM nor a bid manifest.
    pub skipped: usize,
}

/// Command-line inputs as display paths: files, `-` (standard input), bid folders (their
/// `bid.toml` or `Cargo.toml`), and other folders walked for every file whose content is an
/// SBOM or a manifest. Returns every path, and those that came from a walk (a file there
/// that is not an SBOM or a manifest is skipped when it is read).
fn gather(
    inputs: &[PathBuf],
) -> Result<(Vec<String>, std::collections::BTreeSet<String>), AppError> {
    let mut paths = Vec::new();
    let mut walked = std::collections::BTreeSet::new();
    for p in inputs {
        let is_bid_folder =
            p.is_dir() && (p.join("bid.toml").is_file() || p.join("Cargo.toml").is_file());
        if !p.is_dir() || is_bid_folder {
            paths.push(files::input_path(p)?);
            continue;
        }
        for f in files::walk(p)? {
            walked.insert(f.clone());
            paths.push(f);
        }
    }
    Ok((paths, walked))
}

/// The exceptions a check applies: the policy's, and those of a `coquille.toml` in the folder
/// of each input (the input itself when it is a folder), each with where it is written.
pub fn exceptions(
    policy: &crate::policy::gate::Policy,
    inputs: &[PathBuf],
) -> Result<Vec<(crate::policy::gate::Exception, String)>, AppError> {
    let mut out: Vec<(crate::policy::gate::Exception, String)> = policy
        .exceptions
        .iter()
        .enumerate()
        .map(|(i, e)| (e.clone(), format!("policy {} exceptions[{i}]", policy.id)))
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for p in inputs {
        let dir = if p.is_dir() {
            p.as_path()
        } else {
            p.parent().unwrap_or(Path::new(""))
        };
        let file = dir.join("coquille.toml");
        if !file.is_file() || !seen.insert(file.clone()) {
            continue;
        }
        let shown = file.to_string_lossy().into_owned();
        let raw = DiskFiles.read(&shown, 1 << 20)?;
        let text = String::from_utf8(raw).map_err(|_| ReadError::new(&shown, "not UTF-8 text"))?;
        for (i, e) in crate::policy::gate::project_exceptions(&shown, &text)?
            .into_iter()
            .enumerate()
        {
            out.push((e, format!("{shown} exceptions[{i}]")));
        }
    }
    Ok(out)
}

/// The (bid, finding name) pairs of an earlier `check --format json`.
pub fn baseline(path: &Path) -> Result<std::collections::BTreeSet<(String, String)>, AppError> {
    let shown = path.to_string_lossy().into_owned();
    let raw = DiskFiles.read(&shown, 256 << 20)?;
    let v: serde_json::Value =
        serde_json::from_slice(&raw).map_err(|e| ReadError::from_json(&shown, &e))?;
    if v["schema"] != "coquille.check/1" {
        return Err(ReadError::new(
            &shown,
            "is not the JSON of `coquille check --format json` (schema coquille.check/1)",
        )
        .into());
    }
    let mut out = std::collections::BTreeSet::new();
    for b in v["bids"].as_array().into_iter().flatten() {
        let bid = b["bid"].as_str().unwrap_or_default();
        for f in b["findings"].as_array().into_iter().flatten() {
            if let Some(k) = f["key"].as_str() {
                out.insert((bid.to_string(), k.to_string()));
            }
        }
    }
    Ok(out)
}

/// Places input elements in their files for SARIF: reads each input of the reports once
/// (decompressed, size-limited) and finds JSON pointers and manifest keys in it.
pub fn locator(
    reports: &[Report],
    limit: u64,
) -> impl Fn(&str, &str) -> Option<(u64, u64)> + use<> {
    let mut texts: std::collections::HashMap<String, (String, bool)> =
        std::collections::HashMap::new();
    for i in reports.iter().flat_map(|r| &r.inputs) {
        if texts.contains_key(&i.path) {
            continue;
        }
        let Ok(raw) = DiskFiles.read(&i.path, limit) else {
            continue;
        };
        let Ok((text, _)) = ingest::decompress(&i.path, &raw, limit) else {
            continue;
        };
        if let Ok(t) = String::from_utf8(text.into_owned()) {
            texts.insert(i.path.clone(), (t, i.format.starts_with("coquille-bid")));
        }
    }
    move |path: &str, element: &str| {
        let (text, manifest) = texts.get(path)?;
        let offset = if element.starts_with('/') {
            ingest::locate::json_pointer(text, element)?
        } else if *manifest && !element.is_empty() {
            ingest::manifest::key_offset(text, element)?
        } else {
            return None;
        };
        Some(ingest::locate::line_col(text, offset))
    }
}

/// `coquille analyze`.
pub fn analyze(
    reg: &Registry,
    home: &str,
    inputs: &[PathBuf],
    opts: &Options,
    req: &analyse::Requirements,
    progress: &progress::Progress,
) -> Result<Analyzed, AppError> {
    if inputs.is_empty() {
        return Err(AppError::Usage("analyze needs at least one input".into()));
    }
    let (paths, walked) = gather(inputs)?;
    progress.stage("reading", Some(paths.len() as u64));
    let (bids, skipped) = bids(&DiskFiles, &paths, &walked, opts, progress)?;
    if bids.is_empty() {
        return Err(AppError::Usage(format!(
            "no SBOM or bid manifest found in the inputs ({skipped} files skipped)"
        )));
    }
    progress.stage("analysing", Some(bids.len() as u64));
    Ok(Analyzed {
        reports: reports_of_owned(reg, home, bids, req, progress),
        skipped,
    })
}

/// The demo tender (`demo/tender.toml`, embedded): its bids' reports and the ranking.
pub fn demo_tender(reg: &Registry) -> Result<(Vec<Report>, tender::TenderResult), AppError> {
    let files = EmbeddedFiles::demo();
    let (_, _, reports, result) =
        tender::run(&files, reg, "demo/tender.toml", &Options::default())?;
    Ok((reports, result))
}

/// The demo tender's bid reports.
pub fn demo(reg: &Registry) -> Result<Vec<Report>, AppError> {
    Ok(demo_tender(reg)?.0)
}

/// The charts of a report set in one language: inline SVG for the HTML, and
/// SVG and PNG files for `charts/`. A chart that fails to rasterise is kept as SVG.
pub fn charts(reports: &[Report], lang: crate::i18n::Lang) -> crate::render::html::ChartSet {
    use crate::render::charts;
    let mut set = crate::render::html::ChartSet::default();
    let add_files = |stem: String, c: &charts::Chart, files: &mut Vec<(String, Vec<u8>)>| {
        files.push((format!("{stem}.svg"), c.svg_file().into_bytes()));
        if let Ok(png) = c.png() {
            files.push((format!("{stem}.png"), png));
        }
    };
    let mut files = Vec::new();
    let mut drawn = Vec::new();
    for r in reports {
        let id = output::safe_name(&r.bid.id);
        let mut list = Vec::new();
        for c in charts::all(r, lang) {
            add_files(format!("{id}-{}", c.name), &c, &mut files);
            list.push((c.name.to_string(), c.svg.clone()));
            drawn.push(c);
        }
        set.per_bid.insert(r.bid.id.clone(), list);
    }
    if reports.len() > 1 {
        let c = charts::comparison(reports, lang);
        add_files(c.name.to_string(), &c, &mut files);
        set.comparison.push((c.name.to_string(), c.svg.clone()));
        drawn.push(c);
    }
    set.font_css = charts::font_css(&drawn);
    set.files = files;
    set
}
