//! Stage 1b: what the bid leaves out counts. The layers a bid must show come from the
//! tender or the policy (`required_layers`), else from the service model (the tender's,
//! else the bid's own, else IaaS), and from the bid's own claims: a key-custody claim needs
//! the KMS layer that carries it, a residency claim the data centre and storage, an
//! operation claim the control plane and support. A required layer the bid does not show
//! is added as `unknown`, with what asked for it; it counts like any critical layer.

use super::LayerView;
use crate::ingest::manifest::{LayerKind, Manifest, ServiceModel};

/// What the buyer asks every bid to show, and where it asks it.
#[derive(Debug, Clone, Default)]
pub struct Requirements {
    /// Each required layer with the requirement that names it
    /// (`tender t.toml: service_model = "iaas"`).
    pub layers: Vec<(LayerKind, String)>,
}

impl Requirements {
    /// The layers of a service model, asked for by `source`.
    pub fn model(model: ServiceModel, source: &str) -> Self {
        Requirements {
            layers: model
                .required_layers()
                .into_iter()
                .map(|k| {
                    (
                        k,
                        format!("{source}: service_model = \"{}\"", model.as_str()),
                    )
                })
                .collect(),
        }
    }

    /// An explicit list of layers, asked for by `source`.
    pub fn list(kinds: &[LayerKind], source: &str) -> Self {
        Requirements {
            layers: kinds
                .iter()
                .map(|k| (*k, format!("{source}: required_layers")))
                .collect(),
        }
    }

    /// Both lists: a layer is required once, with every source that asks for it.
    pub fn and(mut self, other: Requirements) -> Self {
        self.layers.extend(other.layers);
        self
    }
}

/// Every layer required of this bid, with each reason.
fn demands(m: &Manifest, file: &str, req: &Requirements) -> Vec<(LayerKind, String)> {
    let mut out = req.layers.clone();
    if out.is_empty() {
        let (model, source) = match m.bid.service_model {
            Some(s) => (s, format!("{file} bid.service_model = \"{}\"", s.as_str())),
            None => (
                ServiceModel::Iaas,
                format!(
                    "the IaaS default (no service model named by the tender, the policy or {file})"
                ),
            ),
        };
        out.extend(
            model
                .required_layers()
                .into_iter()
                .map(|k| (k, source.clone())),
        );
    }
    let c = &m.claims;
    let claim = |key: &str, value: String| format!("{file} claims.{key} = \"{value}\"");
    if let Some(k) = c.key_custody {
        let v = serde_json::to_value(k)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        out.push((LayerKind::Kms, claim("key_custody", v)));
    }
    if let Some(r) = &c.data_residency {
        for k in [LayerKind::Datacenter, LayerKind::Storage] {
            out.push((k, claim("data_residency", r.clone())));
        }
    }
    if let Some(o) = &c.operated_from {
        for k in [LayerKind::ControlPlane, LayerKind::Support] {
            out.push((k, claim("operated_from", o.clone())));
        }
    }
    out
}

/// Mark required layers and add the missing ones as unknown. Without a manifest there is
/// no bid to ask anything of: an SBOM describes software, not a service.
pub fn complete(m: Option<&Manifest>, file: &str, req: &Requirements, layers: &mut Vec<LayerView>) {
    let Some(m) = m else { return };
    for (kind, why) in demands(m, file, req) {
        let i = match layers.iter().position(|l| l.kind == kind) {
            Some(i) => i,
            None => {
                let mut l = LayerView::implied(kind);
                l.missing = true;
                l.engine_evidence
                    .push("the bid does not describe this layer".into());
                layers.push(l);
                layers.len() - 1
            }
        };
        let l = &mut layers[i];
        l.critical = true;
        if !l.required_by.contains(&why) {
            l.required_by.push(why);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(extra: &str) -> Manifest {
        crate::ingest::manifest::read(
            "bid.toml",
            &format!(
                "schema = \"coquille.bid/1\"\n[bid]\nid = \"b\"\ntitle = \"B\"\n{extra}\n[bidder]\nname = \"B SA\"\ncountry = \"MA\"\n[[bidder.owners]]\nname = \"H\"\ncountry = \"MA\"\nshare = 100\n[[layers]]\nlayer = \"datacenter\"\noperator = \"bidder\"\n[claims]\nkey_custody = \"hyok\"\n"
            ),
        )
        .unwrap()
    }

    #[test]
    fn silence_is_an_unknown_layer_with_what_asked_for_it() {
        let m = manifest("");
        let mut layers = vec![LayerView::implied(LayerKind::Datacenter)];
        complete(Some(&m), "bid.toml", &Requirements::default(), &mut layers);
        let kms = layers.iter().find(|l| l.kind == LayerKind::Kms).unwrap();
        assert!(kms.missing && kms.critical);
        assert!(
            kms.required_by
                .iter()
                .any(|r| r == "bid.toml claims.key_custody = \"hyok\""),
            "{:?}",
            kms.required_by
        );
        assert_eq!(layers.iter().filter(|l| l.missing).count(), 9);
        assert!(!layers[0].missing, "the declared data centre is shown");
    }

    #[test]
    fn the_tender_list_replaces_the_model_but_claims_still_count() {
        let m = manifest("service_model = \"saas\"");
        let mut layers = vec![LayerView::implied(LayerKind::Datacenter)];
        let req = Requirements::list(
            &[LayerKind::Datacenter, LayerKind::Application],
            "tender t.toml",
        );
        complete(Some(&m), "bid.toml", &req, &mut layers);
        let kinds: Vec<&str> = layers.iter().map(|l| l.kind.as_str()).collect();
        assert_eq!(kinds, ["datacenter", "application", "kms"]);
    }
}
