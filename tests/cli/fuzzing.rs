//! The fuzz targets (`fuzz/`, run with `cargo +nightly fuzz run TARGET`) replayed on stable:
//! every input a fuzzer found to crash, kept in `fuzz/regressions/TARGET/`, and the seed
//! documents of ../shared, through the same functions the fuzzers call. A reader may refuse
//! an input; it may not panic.

use super::shared;
use coquille::fuzz_targets as t;
use std::path::{Path, PathBuf};

type Target = fn(&[u8]);

const TARGETS: &[(&str, Target)] = &[
    ("cyclonedx_json", t::cyclonedx_json),
    ("cyclonedx_xml", t::cyclonedx_xml),
    ("spdx_json", t::spdx_json),
    ("spdx3_json", t::spdx3_json),
    ("spdx_tag_value", t::spdx_tag_value),
    ("manifest", t::manifest),
    ("tender", t::tender),
    ("policy", t::policy),
    ("decompress", t::decompress),
    ("pipeline", t::pipeline),
];

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn replay(name: &str, target: Target, inputs: &[PathBuf]) -> usize {
    for p in inputs {
        let data = std::fs::read(p).unwrap();
        let outcome = std::panic::catch_unwind(|| target(&data));
        assert!(
            outcome.is_ok(),
            "fuzz target {name} panics on {}",
            p.display()
        );
    }
    inputs.len()
}

#[test]
fn every_crash_the_fuzzers_found_stays_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut n = 0;
    for (name, target) in TARGETS {
        n += replay(name, *target, &files(&root.join(name)));
    }
    eprintln!("{n} regression inputs replayed");
}

#[test]
fn the_seed_documents_pass_through_every_reader_target() {
    let Some(shared) = shared() else { return };
    let conformance = files(&shared.join("conformance"));
    let small: Vec<PathBuf> = conformance
        .into_iter()
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() <= 1 << 20))
        .collect();
    let ext = |p: &PathBuf, e: &str| p.extension().is_some_and(|x| x == e);
    let json: Vec<PathBuf> = small.iter().filter(|p| ext(p, "json")).cloned().collect();
    let xml: Vec<PathBuf> = small.iter().filter(|p| ext(p, "xml")).cloned().collect();
    let tv: Vec<PathBuf> = small.iter().filter(|p| ext(p, "spdx")).cloned().collect();
    let mut n = replay("cyclonedx_json", t::cyclonedx_json, &json);
    n += replay("spdx_json", t::spdx_json, &json);
    n += replay("spdx3_json", t::spdx3_json, &json);
    n += replay("cyclonedx_xml", t::cyclonedx_xml, &xml);
    n += replay("spdx_tag_value", t::spdx_tag_value, &tv);
    // The whole pipeline on a sample (every tenth document): the analysis is the slow part.
    let sample: Vec<PathBuf> = json.iter().chain(&xml).step_by(10).cloned().collect();
    n += replay("pipeline", t::pipeline, &sample);
    let demo = files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("demo"));
    let tomls: Vec<PathBuf> = demo.iter().filter(|p| ext(p, "toml")).cloned().collect();
    n += replay("manifest", t::manifest, &tomls);
    n += replay("tender", t::tender, &tomls);
    n += replay("pipeline", t::pipeline, &tomls);
    let policies = files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("policies"));
    n += replay("policy", t::policy, &policies);
    assert!(n > 1000, "only {n} seeds replayed");
}
