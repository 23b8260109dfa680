//! The EU Cloud Sovereignty Framework (CSF v1.2.1, October 2025, and its 2026
//! calculator): eight objectives SOV-1..SOV-8, a SEAL level 0-4 per objective
//! where the lowest answered criterion governs, and a weighted score.
//!
//! coquille answers the criteria it can derive from the evidence (ownership,
//! locations, key custody, who controls each critical layer, licences) and
//! shows the others as unanswered, never as zero. The score uses each
//! objective's SEAL on the nominal 1000-point scale (SEAL/4 x 1000): the
//! framework's "simplified check", not the calculator's answer values, and the
//! report says so.

use crate::report::Report;
use serde::Serialize;

/// Weight sets, in percent, SOV-1..SOV-8.
pub const WEIGHTS: &[(&str, [f64; 8], &str)] = &[
    (
        "csf-v1.2.1",
        [15.0, 10.0, 10.0, 15.0, 20.0, 15.0, 10.0, 5.0],
        "EU Cloud Sovereignty Framework v1.2.1 (DG DIGIT, October 2025), section 5",
    ),
    (
        "csf-calculator-2026",
        [20.0, 10.0, 10.0, 15.0, 10.0, 15.0, 15.0, 5.0],
        "CSF sovereignty assessment calculator (annex, June 2026)",
    ),
];

pub const OBJECTIVES: [(&str, &str); 8] = [
    ("SOV-1", "Strategic"),
    ("SOV-2", "Legal and jurisdictional"),
    ("SOV-3", "Data and AI"),
    ("SOV-4", "Operational"),
    ("SOV-5", "Supply chain"),
    ("SOV-6", "Technology"),
    ("SOV-7", "Security and compliance"),
    ("SOV-8", "Environmental"),
];

/// One answered (or unanswered) objective.
#[derive(Debug, Clone, Serialize)]
pub struct Objective {
    pub id: &'static str,
    pub name: &'static str,
    /// SEAL 0-4, `None` when the evidence cannot answer it.
    pub seal: Option<u8>,
    pub why: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub weights: &'static str,
    pub objectives: Vec<Objective>,
    /// Minimum SEAL over the answered objectives.
    pub seal: Option<u8>,
    /// Weighted score in percent over the answered objectives (unanswered count as gaps, i.e. 0).
    pub score: f64,
    pub method: &'static str,
}

fn critical(r: &Report) -> impl Iterator<Item = &crate::report::LayerOut> {
    r.layers.iter().filter(|l| l.critical)
}

pub fn assess(r: &Report, weights: &str) -> Option<Assessment> {
    let (name, w, _) = WEIGHTS.iter().find(|(n, _, _)| *n == weights)?;
    let home = |c: &str| r.home_countries.iter().any(|h| h == c);
    let foreign_layers: Vec<&str> = critical(r)
        .filter(|l| l.control == "foreign")
        .map(|l| l.layer.as_str())
        .collect();
    let unknown_layers = critical(r).filter(|l| l.control == "unknown").count();
    let n_critical = critical(r).count().max(1);
    let mut obj = Vec::new();
    let mut push = |i: usize, seal: Option<u8>, why: String| {
        obj.push(Objective {
            id: OBJECTIVES[i].0,
            name: OBJECTIVES[i].1,
            seal,
            why,
        })
    };

    // SOV-1 Q1: the entity and its ultimate controller in the bloc.
    let s1 = match (&r.face.controller, r.face.bidder_entity.is_some()) {
        (Some(c), _) if !home(&c.country) => Some(1),
        (Some(_), _) if foreign_layers.is_empty() => Some(4),
        (Some(_), _) => Some(3),
        (None, true) => Some(1),
        (None, false) => None,
    };
    push(
        0,
        s1,
        match &r.face.controller {
            Some(c) => format!(
                "bidder controlled by {} ({}); {} foreign critical layers",
                c.name,
                c.country,
                foreign_layers.len()
            ),
            None => "no bidder established".into(),
        },
    );

    // SOV-2 Q2/Q3: any compellable foreign controller of a critical layer caps it at 1.
    let compelled = r
        .findings
        .iter()
        .any(|f| f.code == "compelled-access" && f.severity == crate::policy::Severity::Deny);
    let foreign_bidder = r.findings.iter().any(|f| f.code == "foreign-bidder");
    push(
        1,
        Some(if compelled || foreign_bidder { 1 } else { 4 }),
        if compelled || foreign_bidder {
            "a foreign state can compel access through a controller of a critical layer or of the bidder".into()
        } else {
            "no controller of a critical layer falls under a foreign compelled-access law in the registry".into()
        },
    );

    // SOV-3 Q1 keys and Q4 location: the lower governs.
    let kms: Vec<_> = r.layers.iter().filter(|l| l.layer == "kms").collect();
    let key_seal = kms
        .iter()
        .map(|l| match (l.key_model.as_deref(), l.control) {
            (Some("hyok"), "home" | "community" | "foreign-supply") => 4,
            (Some("hyok"), _) => 3,
            (Some("byok"), _) => 3,
            (Some("provider"), "home") => 2,
            (Some("provider"), _) => 0,
            _ => 1,
        })
        .min();
    let outside = r.findings.iter().any(|f| f.code == "data-outside-home");
    let loc_seal = if outside { 0 } else { 4 };
    let s3 = Some(key_seal.map_or(loc_seal, |k| k.min(loc_seal)));
    push(
        2,
        s3,
        format!(
            "keys: {}; data locations: {}",
            kms.first()
                .and_then(|l| l.key_model.clone())
                .unwrap_or_else(|| "no KMS layer declared".into()),
            if outside {
                "some outside the home jurisdiction"
            } else {
                "all declared in the home jurisdiction"
            }
        ),
    );

    // SOV-4 Q2/Q4: who operates and supports.
    let support_abroad = r.findings.iter().any(|f| f.code == "foreign-support");
    let has_support = r
        .layers
        .iter()
        .any(|l| l.layer == "support" || l.layer == "soc");
    push(
        3,
        if has_support {
            Some(if support_abroad { 1 } else { 4 })
        } else {
            None
        },
        if has_support {
            if support_abroad {
                "support or security operations are escalated abroad".into()
            } else {
                "support and operations from the home jurisdiction".into()
            }
        } else {
            "no support layer declared".into()
        },
    );

    // SOV-5 Q6: single points of dependency on foreign vendors in critical layers.
    let foreign_vendor_layers = critical(r)
        .filter(|l| matches!(l.control, "foreign" | "foreign-supply"))
        .count();
    let s5 = if foreign_vendor_layers * 2 > n_critical {
        1
    } else if foreign_vendor_layers > 0 {
        2
    } else if unknown_layers > 0 {
        1
    } else {
        4
    };
    push(
        4,
        Some(s5),
        format!(
            "{foreign_vendor_layers} of {n_critical} critical layers come from foreign vendors"
        ),
    );

    // SOV-6 Q3: open source and its governance in the critical layers.
    let proprietary_foreign =
        critical(r).any(|l| l.control == "foreign" && l.licence.as_deref() != Some("open-source"));
    let community = critical(r).filter(|l| l.control == "community").count();
    let s6 = if proprietary_foreign {
        2
    } else if community > 0 {
        4
    } else {
        3
    };
    push(
        5,
        Some(s6),
        if proprietary_foreign {
            "proprietary foreign products in critical layers".into()
        } else {
            format!("{community} critical layers are community-governed open source")
        },
    );

    // SOV-7 Q3: the SOC.
    let soc = r.layers.iter().find(|l| l.layer == "soc");
    push(
        6,
        soc.map(|l| if l.control == "home" { 3 } else { 1 }),
        soc.map_or("no SOC layer declared".into(), |l| {
            format!("SOC controlled: {}", l.control)
        }),
    );

    // SOV-8: no environmental evidence in SBOMs or manifests.
    push(
        7,
        None,
        "no environmental evidence (PUE, energy) in the inputs".into(),
    );

    let seal = obj.iter().filter_map(|o| o.seal).min();
    let score = obj
        .iter()
        .zip(w.iter())
        .map(|(o, w)| o.seal.map_or(0.0, |s| f64::from(s) / 4.0 * w))
        .sum::<f64>();
    Some(Assessment {
        weights: name,
        objectives: obj,
        seal,
        score: (score * 10.0).round() / 10.0,
        method: "SEAL per objective derived from the evidence (lowest criterion governs); score = sum of weight x SEAL/4, the framework's simplified check",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_sets_sum_to_100() {
        for (name, w, _) in WEIGHTS {
            assert_eq!(w.iter().sum::<f64>(), 100.0, "{name}");
        }
    }

    #[test]
    fn the_demo_bids_are_ranked_as_their_evidence_says() {
        let reg = crate::app::registry(None).unwrap();
        let reports = crate::app::demo(&reg).unwrap();
        let get = |id: &str| reports.iter().find(|r| r.bid.id == id).unwrap();
        let shell = assess(get("kasbah-cloud"), "csf-v1.2.1").unwrap();
        let open = assess(get("maghreb-open-cloud"), "csf-v1.2.1").unwrap();
        assert!(shell.seal.unwrap() <= 1, "{shell:?}");
        assert!(open.seal.unwrap() >= 2, "{open:?}");
        assert!(open.score > shell.score);
        assert!(
            open.objectives.iter().any(|o| o.seal.is_none()),
            "SOV-8 is shown as unanswered"
        );
        assert!(assess(get("kasbah-cloud"), "no-such-weights").is_none());
    }
}
