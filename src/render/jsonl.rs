//! JSON Lines for portfolios: one line per result (`coquille.result/1`) and one line per
//! component (`coquille.component/1`), flat enough for DuckDB's `read_json_auto`, Spark's
//! `spark.read.json` or BigQuery, so that a portfolio of SBOMs analysed in shards can be
//! aggregated in an engine built for it. The fields are documented in the README
//! ("Portfolios"); new fields may be added, none renamed.

use crate::report::Report;
use serde_json::{Value, json};

/// The foreign engines of a result, one object each, with the layers each governs.
fn engines(r: &Report) -> Vec<Value> {
    r.foreign_engines(false)
        .into_iter()
        .map(|e| {
            let x = e.engine;
            json!({"entity": x.entity, "name": x.name, "country": x.country, "layers": e.layers})
        })
        .collect()
}

/// One line per result.
pub fn results(reports: &[Report]) -> String {
    let mut s = String::new();
    for r in reports {
        let e = engines(r);
        let mut countries: Vec<&str> = e.iter().filter_map(|x| x["country"].as_str()).collect();
        countries.sort();
        countries.dedup();
        let c = &r.coverage;
        let v = json!({
            "schema": "coquille.result/1",
            "id": r.bid.id,
            "title": r.bid.title,
            "home": r.home,
            "verdict": r.summary.verdict,
            "engines": e,
            "engine_countries": countries,
            "components": c.items,
            "attributed": c.attributed,
            "unknown": c.unknown,
            "coverage": c.ratio,
            "unknown_share": if c.items == 0 { 0.0 } else { c.unknown as f64 / c.items as f64 },
            "deny": r.summary.findings_by_severity.get("deny").copied().unwrap_or(0),
            "warn": r.summary.findings_by_severity.get("warn").copied().unwrap_or(0),
            "info": r.summary.findings_by_severity.get("info").copied().unwrap_or(0),
            "inputs": r.inputs.iter().map(|i| json!({"path": i.path, "sha256": i.sha256})).collect::<Vec<_>>(),
        });
        s.push_str(&serde_json::to_string(&v).expect("serialisable"));
        s.push('\n');
    }
    s
}

/// One line per component.
pub fn components(reports: &[Report]) -> String {
    let mut s = String::new();
    for r in reports {
        for c in r.components.iter() {
            let k = c.controller.as_ref();
            let v = json!({
                "schema": "coquille.component/1",
                "result": r.bid.id,
                "ref": c.reference,
                "name": c.name,
                "version": c.version,
                "purl": c.purl,
                "type": c.kind,
                "layer": c.layer,
                "dependency": c.dependency,
                "licence": c.licence.as_ref().map(|l| l.class),
                "service": c.service.as_ref().map(|x| x.service.clone()),
                "provider": c.service.as_ref().map(|x| x.provider.clone()),
                "controller": k.map(|k| k.entity.clone()),
                "controller_name": k.map(|k| k.name.clone()),
                "controller_country": k.map(|k| k.country.clone()),
                "controller_kind": k.map(|k| k.kind.clone()),
                "dev_only": c.dev_only,
            });
            s.push_str(&serde_json::to_string(&v).expect("serialisable"));
            s.push('\n');
        }
    }
    s
}
