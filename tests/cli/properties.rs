//! Properties of the ownership look-through and of the graph, on generated bids and SBOMs
//! (proptest): look-through shares stay within 0–100 %, making an owner foreign never makes
//! the bidder less foreign, and a blast radius never reaches past the graph.

use coquille::analyse::{BidEvidence, Requirements, Sbom};
use coquille::ingest;
use coquille::registry::Registry;
use proptest::prelude::*;
use std::sync::OnceLock;

fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| Registry::embedded().expect("embedded registry"))
}

/// An owner of the generated cap table: country, share of its parent, control, and its own
/// owners.
#[derive(Debug, Clone)]
struct Owner {
    country: &'static str,
    share: u32,
    control: bool,
    owners: Vec<Owner>,
}

const COUNTRIES: &[&str] = &["MA", "FR", "US", "CN", "AE"];

/// Owners whose shares add up to at most 100 at every level, nested at most `depth` deep.
fn owners(depth: u32) -> BoxedStrategy<Vec<Owner>> {
    let leaf = (0..COUNTRIES.len(), 0u32..=100, any::<bool>());
    let owner: BoxedStrategy<Owner> = if depth == 0 {
        leaf.prop_map(|(c, share, control)| Owner {
            country: COUNTRIES[c],
            share,
            control,
            owners: Vec::new(),
        })
        .boxed()
    } else {
        (leaf, owners(depth - 1))
            .prop_map(|((c, share, control), owners)| Owner {
                country: COUNTRIES[c],
                share,
                control,
                owners,
            })
            .boxed()
    };
    prop::collection::vec(owner, 0..4)
        .prop_map(|mut v| {
            // Scale the shares down so that one level never holds more than 100 %.
            let sum: u32 = v.iter().map(|o| o.share).sum();
            if sum > 100 {
                for o in &mut v {
                    o.share = o.share * 100 / sum;
                }
            }
            v
        })
        .boxed()
}

fn inline(o: &[Owner], n: &mut usize) -> String {
    let items: Vec<String> = o
        .iter()
        .map(|o| {
            *n += 1;
            let id = *n;
            format!(
                "{{ name = \"Holder {id} SA\", country = \"{}\", share = {}, control = {}, owners = [{}] }}",
                o.country,
                o.share,
                o.control,
                inline(&o.owners, n)
            )
        })
        .collect();
    items.join(", ")
}

fn manifest(bidder_country: &str, o: &[Owner]) -> String {
    let mut n = 0;
    format!(
        "schema = \"coquille.bid/1\"\n[bid]\nid = \"p\"\ntitle = \"p\"\n[bidder]\nname = \"Generated Bidder SA\"\ncountry = \"{bidder_country}\"\nowners = [{}]\n",
        inline(o, &mut n)
    )
}

fn analyse(manifest_text: &str, sboms: Vec<Sbom>) -> coquille::report::Report {
    let m = ingest::manifest::read("bid.toml", manifest_text).expect("generated manifest reads");
    let bid = BidEvidence {
        id: "p".into(),
        title: "p".into(),
        manifest: Some(m),
        manifest_file: Some("bid.toml".into()),
        sboms,
        inputs: Vec::new(),
    };
    coquille::app::reports(registry(), "MA", &[bid], &Requirements::default()).remove(0)
}

fn foreign_share(o: &[Owner]) -> f64 {
    analyse(&manifest("MA", o), Vec::new()).face.foreign_share
}

/// Every owner, depth first, as a path of indexes.
fn paths(o: &[Owner], prefix: Vec<usize>, out: &mut Vec<Vec<usize>>) {
    for (i, x) in o.iter().enumerate() {
        let mut p = prefix.clone();
        p.push(i);
        out.push(p.clone());
        paths(&x.owners, p, out);
    }
}

fn at<'a>(o: &'a mut [Owner], path: &[usize]) -> &'a mut Owner {
    let (first, rest) = path.split_first().unwrap();
    if rest.is_empty() {
        &mut o[*first]
    } else {
        at(&mut o[*first].owners, rest)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn look_through_shares_stay_between_0_and_100(o in owners(2)) {
        let r = analyse(&manifest("MA", &o), Vec::new());
        let f = r.face.foreign_share;
        prop_assert!((0.0..=100.0 + 1e-6).contains(&f), "foreign share {f}");
        prop_assert!((0.0..=100.0 + 1e-6).contains(&r.face.undisclosed));
        for h in &r.face.holders {
            prop_assert!((0.0..=100.0 + 1e-6).contains(&h.share), "{h:?}");
            prop_assert!((0.0..=100.0 + 1e-6).contains(&h.votes), "{h:?}");
        }
    }

    #[test]
    fn making_an_owner_foreign_never_makes_the_bidder_less_foreign(
        o in owners(2),
        pick in any::<prop::sample::Index>(),
    ) {
        let mut all = Vec::new();
        paths(&o, Vec::new(), &mut all);
        prop_assume!(!all.is_empty());
        let path = &all[pick.index(all.len())];
        let mut local = o.clone();
        at(&mut local, path).country = "MA";
        let mut foreign = o.clone();
        at(&mut foreign, path).country = "US";
        let (a, b) = (foreign_share(&local), foreign_share(&foreign));
        prop_assert!(b + 1e-9 >= a, "{a} with the owner in MA, {b} with it in US");
    }

    #[test]
    fn a_blast_radius_stays_within_the_graph(
        n in 1usize..40,
        edges in prop::collection::vec((0usize..40, 0usize..40), 0..80),
        vendors in prop::collection::vec(0usize..4, 40),
    ) {
        // Components attributed to real vendors through their purls, or to nobody.
        const PURLS: &[&str] = &[
            "pkg:pypi/boto3@1.35.0",
            "pkg:npm/%40google-cloud/storage@7.0.0",
            "pkg:npm/%40azure/storage-blob@12.0.0",
            "pkg:cargo/serde@1.0.0",
        ];
        let comps: Vec<String> = (0..n)
            .map(|i| format!(
                r#"{{"type":"library","bom-ref":"c{i}","name":"c{i}","purl":"{}"}}"#,
                PURLS[vendors[i]]
            ))
            .collect();
        let deps: Vec<String> = edges
            .iter()
            .filter(|(a, b)| *a < n && *b < n)
            .map(|(a, b)| format!(r#"{{"ref":"c{a}","dependsOn":["c{b}"]}}"#))
            .collect();
        let bom = format!(
            r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{}],"dependencies":[{}]}}"#,
            comps.join(","),
            deps.join(",")
        );
        let inv = ingest::cyclonedx::json::read("g.json", bom.as_bytes()).unwrap();
        let r = analyse(&manifest("MA", &[]), vec![Sbom { inventory: inv, layer: None }]);
        prop_assert!(r.graph.nodes >= n);
        for b in &r.blast_radius {
            prop_assert!(b.direct <= b.affected_items, "{b:?}");
            prop_assert!(b.affected_items <= r.graph.nodes, "{} > {} nodes", b.affected_items, r.graph.nodes);
        }
    }
}
