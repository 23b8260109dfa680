//! The bodies of the fuzz targets, one per reader, kept in the library so that the
//! cargo-fuzz harness (`fuzz/`) and the replay test (`tests/cli/fuzzing.rs`) run the same
//! code. Each takes arbitrary bytes; an `Err` is a fine answer, a panic is a bug.
//!
//! Beyond "does not panic", a target checks what must hold for any input it accepts:
//! the JSON report of an analysed SBOM parses back as JSON, ownership look-through never
//! gives a foreign share outside 0–100 %, and the rendered outputs are free of characters that
//! make XML ill-formed.

use crate::analyse::{self, BidEvidence, Sbom};
use crate::ingest::{self, Document, InputFile};
use crate::registry::Registry;
use std::sync::OnceLock;

/// Inputs larger than this are skipped: the readers' own limits are tested elsewhere,
/// and small inputs keep the fuzzer fast.
const MAX_INPUT: usize = 1 << 20;

fn text(data: &[u8]) -> Option<&str> {
    (data.len() <= MAX_INPUT)
        .then(|| std::str::from_utf8(data).ok())
        .flatten()
}

/// CycloneDX JSON reader.
pub fn cyclonedx_json(data: &[u8]) {
    if data.len() <= MAX_INPUT {
        let _ = ingest::cyclonedx::json::read("fuzz.cdx.json", data);
    }
}

/// CycloneDX XML reader.
pub fn cyclonedx_xml(data: &[u8]) {
    if data.len() <= MAX_INPUT {
        let _ = ingest::cyclonedx::xml::read("fuzz.cdx.xml", data);
    }
}

/// SPDX 2.x JSON reader.
pub fn spdx_json(data: &[u8]) {
    if data.len() <= MAX_INPUT {
        let _ = ingest::spdx::json::read("fuzz.spdx.json", data);
    }
}

/// SPDX 3.0 JSON-LD reader.
pub fn spdx3_json(data: &[u8]) {
    if data.len() <= MAX_INPUT {
        let _ = ingest::spdx::v3::read("fuzz.spdx3.json", data);
    }
}

/// SPDX 2.x tag-value reader.
pub fn spdx_tag_value(data: &[u8]) {
    if let Some(t) = text(data) {
        let _ = ingest::spdx::tag_value::read("fuzz.spdx", t);
    }
}

/// Bid manifest reader, and the checks that run on a manifest that reads.
pub fn manifest(data: &[u8]) {
    if let Some(t) = text(data)
        && let Ok(m) = ingest::manifest::read("fuzz-bid.toml", t)
    {
        for o in &m.bidder.owners {
            assert!(
                (0.0..=100.0).contains(&o.share),
                "a manifest was read with a share of {} %",
                o.share
            );
        }
    }
}

/// Tender reader.
pub fn tender(data: &[u8]) {
    if let Some(t) = text(data) {
        let _ = ingest::tender::read("fuzz-tender.toml", t);
    }
}

/// Policy reader.
pub fn policy(data: &[u8]) {
    if let Some(t) = text(data) {
        let _ = crate::policy::gate::parse("fuzz-policy.toml", t);
    }
}

/// Decompression (gzip, xz, zstd, nested) under a small limit: the output never exceeds it.
pub fn decompress(data: &[u8]) {
    const LIMIT: u64 = 1 << 22;
    if data.len() <= MAX_INPUT
        && let Ok((out, _)) = ingest::decompress("fuzz.gz", data, LIMIT)
    {
        assert!(out.len() as u64 <= LIMIT, "decompressed past the limit");
    }
}

fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| Registry::embedded().expect("the embedded registry loads"))
}

/// Any document through sniffing, the reader, the analysis and the JSON, Markdown,
/// GraphML and SARIF-adjacent renderers.
pub fn pipeline(data: &[u8]) {
    if data.len() > MAX_INPUT {
        return;
    }
    let Ok(loaded) = ingest::parse("fuzz-input", data, MAX_INPUT as u64) else {
        return;
    };
    let (manifest, sboms) = match loaded.doc {
        Document::Sbom(inv) => (
            None,
            vec![Sbom {
                inventory: *inv,
                layer: None,
            }],
        ),
        // A manifest's SBOMs would be files of their own: analyse it alone.
        Document::Manifest(m) => (Some(*m), Vec::new()),
    };
    let inputs: Vec<InputFile> = std::iter::once(loaded.input).chain(loaded.extra).collect();
    let bid = BidEvidence {
        id: "fuzz".into(),
        title: "fuzz".into(),
        manifest_file: manifest.as_ref().map(|_| "fuzz-input".to_string()),
        manifest,
        sboms,
        inputs,
    };
    let req = analyse::Requirements::default();
    let reports = crate::app::reports(registry(), "MA", std::slice::from_ref(&bid), &req);
    for r in &reports {
        let share = r.face.foreign_share;
        assert!(
            (0.0..=100.000_1).contains(&share),
            "foreign share out of range: {share}"
        );
    }
    let json = crate::render::json::render(&reports);
    serde_json::from_str::<serde_json::Value>(&json).expect("the JSON report parses");
    let graphml = crate::render::graph::graphml(&reports);
    assert!(
        !graphml.chars().any(crate::render::escape::is_xml_illegal),
        "GraphML with a character XML forbids"
    );
    let _ = crate::render::md::render(&reports);
    let _ = crate::render::graph::dot(&reports);
}
