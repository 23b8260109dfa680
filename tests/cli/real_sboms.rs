//! Attribution on SBOMs made by the real generators (cargo-cyclonedx,
//! cyclonedx-py, cyclonedx-npm) over projects that use cloud SDKs; the
//! ground truth in `tests/fixtures/real/expected.csv` was written by hand
//! from who publishes each package, not from coquille's registry.

use coquille::attribute;
use coquille::ingest::{self, Document};
use coquille::registry::{Registry, normalize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

struct Truth {
    controller: String,
    country: String,
}

fn truth(dir: &Path) -> BTreeMap<(String, String), Truth> {
    let mut rdr = csv::Reader::from_path(dir.join("expected.csv")).expect("expected.csv");
    let mut out = BTreeMap::new();
    for rec in rdr.records() {
        let r = rec.unwrap();
        out.insert(
            (r[0].to_string(), r[1].to_lowercase()),
            Truth {
                controller: r[2].to_string(),
                country: r[3].to_string(),
            },
        );
    }
    out
}

/// (ecosystem, package name) of a purl, in the form expected.csv uses.
fn package(purl: &str) -> Option<(String, String)> {
    let key = normalize::purl_key(purl)?;
    let rest = key.strip_prefix("pkg:")?;
    let (ty, path) = rest.split_once('/')?;
    Some((ty.to_string(), path.to_string()))
}

#[test]
fn cloud_vendor_packages_are_attributed_to_the_right_company_and_country() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real");
    let expected = truth(&dir);
    let vendors: BTreeSet<String> = expected
        .values()
        .map(|t| normalize::name(&t.controller))
        .collect();
    let reg = Registry::embedded().unwrap();
    let (mut listed, mut right, mut wrong, mut missed, mut attributed) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    let mut wrong_list = Vec::new();
    let mut missed_list = Vec::new();
    let mut files = 0;
    for eco in ["npm", "pypi", "cargo"] {
        for name in ["bom.json", "bom.xml"] {
            let path = dir.join(eco).join(name);
            let Ok(raw) = std::fs::read(&path) else {
                continue;
            };
            files += 1;
            let loaded =
                ingest::parse(&path.display().to_string(), &raw, ingest::DEFAULT_MAX_BYTES)
                    .unwrap();
            let Document::Sbom(inv) = loaded.doc else {
                panic!("not an SBOM")
            };
            let mut seen = BTreeSet::new();
            for c in &inv.components {
                let Some((ty, pkg)) = c.purl.as_deref().and_then(package) else {
                    continue;
                };
                if !seen.insert((ty.clone(), pkg.clone())) {
                    continue;
                }
                let got = attribute::component(&reg, c)
                    .and_then(|a| attribute::controller(&reg, &a.entity));
                if got.is_some() {
                    attributed += 1;
                }
                match (expected.get(&(ty.clone(), pkg.clone())), got) {
                    (Some(t), Some(g)) => {
                        listed += 1;
                        if normalize::name(&g.name) == normalize::name(&t.controller)
                            && g.country == t.country
                        {
                            right += 1;
                        } else {
                            wrong += 1;
                            wrong_list.push(format!(
                                "{name} {ty}/{pkg}: got {} ({}), expected {} ({})",
                                g.name, g.country, t.controller, t.country
                            ));
                        }
                    }
                    (Some(_), None) => {
                        listed += 1;
                        missed += 1;
                        missed_list.push(format!("{name} {ty}/{pkg}"));
                    }
                    (None, Some(g)) if vendors.contains(&normalize::name(&g.name)) => {
                        wrong += 1;
                        wrong_list.push(format!(
                            "{name} {ty}/{pkg}: attributed to {} but not published by it",
                            g.name
                        ));
                    }
                    _ => {}
                }
            }
        }
    }
    if files == 0 {
        eprintln!("skipping: no fixtures in {}", dir.display());
        return;
    }
    let recall = right as f64 / listed.max(1) as f64;
    let error = wrong as f64 / attributed.max(1) as f64;
    eprintln!(
        "real SBOMs: {files} files, {listed} vendor packages, {right} right ({:.1} %), {missed} missed, {wrong} wrong of {attributed} attributed ({:.2} %)",
        recall * 100.0,
        error * 100.0
    );
    for m in &missed_list {
        eprintln!("  missed: {m}");
    }
    for w in &wrong_list {
        eprintln!("  wrong: {w}");
    }
    assert!(
        listed > 100,
        "too few vendor packages in the fixtures: {listed}"
    );
    assert!(
        recall >= 0.99,
        "recall {:.1} % < 99 %; missed: {:?}; wrong: {:?}",
        recall * 100.0,
        missed_list,
        wrong_list
    );
    assert!(
        wrong == 0,
        "{wrong} vendor packages attributed to the wrong company ({:.2} %): {:?}",
        error * 100.0,
        wrong_list
    );
}
