//! The bid manifest (TOML): who bids, who owns the bidder, and the stack of
//! layers with vendor, operator, sites, licence and key model.
//!
//! Unknown keys are errors (a typo in `requires_vendor_online` must not
//! silently weaken a verdict). SBOM paths are relative to the manifest and
//! may not leave its folder.

mod check;

pub use check::key_offset;

use crate::ingest::ReadError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The schema tag every manifest carries.
pub const SCHEMA: &str = "coquille.bid/1";

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub schema: String,
    pub bid: BidInfo,
    pub bidder: Party,
    #[serde(default)]
    pub layers: Vec<Layer>,
    #[serde(default)]
    pub services: Vec<DeclaredService>,
    #[serde(default)]
    pub claims: Claims,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BidInfo {
    /// Short id, used for folder names in reports.
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub tender: Option<String>,
    /// What the bid sells (`iaas`, `paas`, `saas`): sets the layers it must show when the
    /// tender or policy does not name them. A bid that says nothing is read as IaaS.
    #[serde(default)]
    pub service_model: Option<ServiceModel>,
}

/// The cloud service model of a bid or tender.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum ServiceModel {
    Iaas,
    Paas,
    Saas,
}

impl ServiceModel {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceModel::Iaas => "iaas",
            ServiceModel::Paas => "paas",
            ServiceModel::Saas => "saas",
        }
    }

    /// The layers a bid of this model must show: the infrastructure the service runs on, who
    /// holds its keys and identities, who administers and supports it, and the model's own layer.
    pub fn required_layers(self) -> Vec<LayerKind> {
        use LayerKind::*;
        let mut v = vec![
            Datacenter,
            Hardware,
            Network,
            Hypervisor,
            Os,
            Storage,
            Iam,
            Kms,
            ControlPlane,
            Support,
        ];
        match self {
            ServiceModel::Iaas => {}
            ServiceModel::Paas => v.push(Paas),
            ServiceModel::Saas => {
                v.retain(|k| *k != Hypervisor);
                v.push(Database);
                v.push(Application);
            }
        }
        v
    }
}

/// A legal entity named by the manifest: either a registry entity (`entity`)
/// or described inline (name, country, owners).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Party {
    #[serde(default)]
    pub entity: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// ISO 3166-1 alpha-2 of the registered office.
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub owners: Vec<Owner>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    #[serde(default)]
    pub entity: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    /// Share of capital, in percent.
    pub share: f64,
    /// Share of votes, in percent, when it differs from capital.
    #[serde(default)]
    pub votes: Option<f64>,
    /// Does this owner control the entity (majority, veto, board)?
    #[serde(default)]
    pub control: Option<bool>,
    /// The owner's own owners (a nested cap table).
    #[serde(default)]
    pub owners: Vec<Owner>,
}

/// The layers of a cloud stack, bottom to top.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum LayerKind {
    Datacenter,
    Hardware,
    Network,
    Hypervisor,
    Os,
    Storage,
    Database,
    Iam,
    Kms,
    /// Virtual machines, containers and functions run by a provider.
    Compute,
    /// Queues, topics and event buses.
    Messaging,
    /// Hosted AI models and their APIs.
    Ai,
    /// Error reporting, monitoring and APM services.
    Telemetry,
    ControlPlane,
    Paas,
    Saas,
    Application,
    Support,
    Soc,
    Other,
}

impl LayerKind {
    pub const ALL: [LayerKind; 20] = [
        LayerKind::Datacenter,
        LayerKind::Hardware,
        LayerKind::Network,
        LayerKind::Hypervisor,
        LayerKind::Os,
        LayerKind::Storage,
        LayerKind::Database,
        LayerKind::Iam,
        LayerKind::Kms,
        LayerKind::Compute,
        LayerKind::Messaging,
        LayerKind::Ai,
        LayerKind::Telemetry,
        LayerKind::ControlPlane,
        LayerKind::Paas,
        LayerKind::Saas,
        LayerKind::Application,
        LayerKind::Support,
        LayerKind::Soc,
        LayerKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LayerKind::Datacenter => "datacenter",
            LayerKind::Hardware => "hardware",
            LayerKind::Network => "network",
            LayerKind::Hypervisor => "hypervisor",
            LayerKind::Os => "os",
            LayerKind::Storage => "storage",
            LayerKind::Database => "database",
            LayerKind::Iam => "iam",
            LayerKind::Kms => "kms",
            LayerKind::Compute => "compute",
            LayerKind::Messaging => "messaging",
            LayerKind::Ai => "ai",
            LayerKind::Telemetry => "telemetry",
            LayerKind::ControlPlane => "control-plane",
            LayerKind::Paas => "paas",
            LayerKind::Saas => "saas",
            LayerKind::Application => "application",
            LayerKind::Support => "support",
            LayerKind::Soc => "soc",
            LayerKind::Other => "other",
        }
    }

    /// The kind a name stands for (`storage`, `control-plane`…).
    pub fn parse(s: &str) -> Option<LayerKind> {
        LayerKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Critical layers govern the verdict (design §5; EU CSF "weakest critical layer").
    pub fn is_critical(self) -> bool {
        matches!(
            self,
            LayerKind::Datacenter
                | LayerKind::Hardware
                | LayerKind::Network
                | LayerKind::Hypervisor
                | LayerKind::Os
                | LayerKind::Storage
                | LayerKind::Iam
                | LayerKind::Kms
                | LayerKind::Compute
                | LayerKind::ControlPlane
                | LayerKind::Support
                | LayerKind::Soc
        )
    }
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Licence {
    Proprietary,
    OpenSource,
    Service,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum KeyModel {
    /// The provider generates and holds the keys.
    Provider,
    /// Bring your own key: the customer imports keys into the provider's KMS.
    Byok,
    /// Hold your own key: keys stay in the customer's HSM.
    Hyok,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Site {
    pub country: String,
    #[serde(default)]
    pub city: Option<String>,
    /// What happens there: `storage`, `processing`, `administration`, `support`, `backup`…
    #[serde(default)]
    pub role: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    pub layer: LayerKind,
    /// The vendor of the product: a registry id or a name.
    #[serde(default)]
    pub vendor: Option<String>,
    #[serde(default)]
    pub product: Option<String>,
    /// Who runs it: a registry id, a name, or `bidder`.
    #[serde(default)]
    pub operator: Option<String>,
    #[serde(default)]
    pub sites: Vec<Site>,
    #[serde(default)]
    pub licence: Option<Licence>,
    #[serde(default)]
    pub key_model: Option<KeyModel>,
    /// Does the product stop (or degrade) without the vendor's online services
    /// (licence activation, cloud control plane, update channel)?
    #[serde(default)]
    pub requires_vendor_online: Option<bool>,
    /// SBOM/HBOM files, relative to the manifest.
    #[serde(default)]
    pub sbom: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DeclaredService {
    pub name: String,
    #[serde(default)]
    pub provider: Option<String>,
    #[serde(default)]
    pub layer: Option<LayerKind>,
    #[serde(default)]
    pub endpoints: Vec<String>,
}

/// What the bidder claims; checked against the evidence.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Claims {
    /// Countries (or a bloc) where customer data is stored and processed.
    #[serde(default)]
    pub data_residency: Option<String>,
    /// Where the service is administered from.
    #[serde(default)]
    pub operated_from: Option<String>,
    #[serde(default)]
    pub no_foreign_access: Option<bool>,
    #[serde(default)]
    pub key_custody: Option<KeyModel>,
    /// Free-form extra claims, kept for the report.
    #[serde(default)]
    pub other: BTreeMap<String, String>,
}

/// Parse a manifest. Errors carry the line and column of the offending key.
pub fn read(file: &str, text: &str) -> Result<Manifest, ReadError> {
    let mut m: Manifest =
        toml::from_str(text).map_err(|e| ReadError::from_toml(file, "bid manifest", text, &e))?;
    if m.schema != SCHEMA {
        return Err(ReadError::new(
            file,
            format!("manifest schema \"{}\" is not supported", m.schema),
        )
        .at("schema")
        .supported(SCHEMA));
    }
    for (i, l) in m.layers.iter().enumerate() {
        for s in &l.sbom {
            check_relative(s)
                .map_err(|why| ReadError::new(file, why).at(format!("layers[{i}].sbom \"{s}\"")))?;
        }
    }
    check::check(file, text, &mut m)?;
    Ok(m)
}

/// An assigned ISO 3166-1 alpha-2 code, in upper case.
pub fn is_country(s: &str) -> bool {
    crate::country::is_iso(s)
}

/// A path named by a bid must stay inside the bid's folder: relative, no `..`
/// that climbs out, no drive or root.
pub fn check_relative(p: &str) -> Result<(), String> {
    if p.is_empty() {
        return Err("empty path".into());
    }
    if p.starts_with('/') || p.starts_with('\\') || p.contains(':') || p.contains('\0') {
        return Err(format!(
            "\"{p}\" must be a relative path inside the manifest's folder"
        ));
    }
    let mut depth: i32 = 0;
    for part in p.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return Err(format!("\"{p}\" leaves the manifest's folder"));
                }
            }
            _ => depth += 1,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"
schema = "coquille.bid/1"
[bid]
id = "b1"
title = "Test"
[bidder]
name = "Atlas SARL"
country = "MA"
[[bidder.owners]]
name = "Atlas Holding"
country = "MA"
share = 100
[[layers]]
layer = "hypervisor"
vendor = "vmware"
sites = [{ country = "MA", city = "Rabat" }]
licence = "proprietary"
requires_vendor_online = true
sbom = ["sboms/hv.cdx.json"]
[claims]
data_residency = "MA"
"#;

    #[test]
    fn reads_a_manifest() {
        let m = read("m.toml", OK).unwrap();
        assert_eq!(m.layers[0].layer, LayerKind::Hypervisor);
        assert_eq!(m.bidder.owners[0].share, 100.0);
        assert_eq!(m.claims.data_residency.as_deref(), Some("MA"));
    }

    #[test]
    fn unknown_keys_are_errors_with_a_line() {
        let bad = OK.replace("requires_vendor_online", "requires_vendor_onlin");
        let e = read("m.toml", &bad).unwrap_err();
        assert!(e.message.contains("requires_vendor_onlin"), "{e}");
        assert!(e.position.as_deref().unwrap().starts_with("line 18"), "{e}");
    }

    #[test]
    fn countries_are_normalised_or_refused_with_a_suggestion() {
        let m = read(
            "m.toml",
            &OK.replace(
                "country = \"MA\"\n[[bidder.owners]]",
                "country = \"ma\"\n[[bidder.owners]]",
            ),
        )
        .unwrap();
        assert_eq!(m.bidder.country.as_deref(), Some("MA"));
        for (bad, meant) in [("Maroc", Some("MA")), ("France", Some("FR")), ("XX", None)] {
            let e = read(
                "m.toml",
                &OK.replace(
                    "name = \"Atlas Holding\"\ncountry = \"MA\"",
                    &format!("name = \"Atlas Holding\"\ncountry = \"{bad}\""),
                ),
            )
            .unwrap_err();
            assert!(
                e.position
                    .as_deref()
                    .unwrap()
                    .starts_with("line 11, column 11"),
                "{e}"
            );
            match meant {
                Some(code) => assert!(e.message.contains(&format!("did you mean {code}?")), "{e}"),
                None => assert!(!e.message.contains("did you mean"), "{e}"),
            }
        }
        let e = read(
            "m.toml",
            &OK.replace("data_residency = \"MA\"", "data_residency = \"Europe\""),
        )
        .unwrap_err();
        assert!(e.message.contains("EU/EEA"), "{e}");
        assert!(
            read(
                "m.toml",
                &OK.replace("data_residency = \"MA\"", "data_residency = \"eu\"")
            )
            .is_ok()
        );
    }

    #[test]
    fn shares_are_percentages_that_add_up() {
        let two = OK.replace(
            "share = 100\n",
            "share = 80\n[[bidder.owners]]\nname = \"Huawei Technologies Morocco\"\ncountry = \"MA\"\nshare = 50\n",
        );
        let e = read("m.toml", &two).unwrap_err();
        assert!(e.message.contains("130 %"), "{e}");
        assert!(e.position.as_deref().unwrap().starts_with("line 9"), "{e}");
        for bad in ["nan", "-10", "160", "inf"] {
            let e = read(
                "m.toml",
                &OK.replace("share = 100", &format!("share = {bad}")),
            )
            .unwrap_err();
            assert!(e.message.contains("not a percentage"), "{bad}: {e}");
            assert!(
                e.position.as_deref().unwrap().starts_with("line 12"),
                "{bad}: {e}"
            );
        }
        let thirds = OK.replace(
            "share = 100\n",
            "share = 33.33\n[[bidder.owners]]\nname = \"B\"\nshare = 33.33\n[[bidder.owners]]\nname = \"C\"\nshare = 33.34\n",
        );
        assert!(read("m.toml", &thirds).is_ok());
        let votes = OK.replace(
            "share = 100\n",
            "share = 50\nvotes = 80\n[[bidder.owners]]\nname = \"B\"\nshare = 50\n",
        );
        let e = read("m.toml", &votes).unwrap_err();
        assert!(e.message.contains("130 % of the votes"), "{e}");
    }

    #[test]
    fn twice_declared_layers_and_ownership_cycles_are_refused() {
        let twice = format!("{OK}\n[[layers]]\nlayer = \"hypervisor\"\nvendor = \"nutanix\"\n");
        // The first hypervisor has no product either: nothing tells them apart.
        let e = read("m.toml", &twice).unwrap_err();
        assert!(e.message.contains("declared twice"), "{e}");
        let apart =
            format!("{OK}\n[[layers]]\nlayer = \"hypervisor\"\nproduct = \"Nutanix AHV\"\n");
        assert!(read("m.toml", &apart).is_ok());
        let cycle = OK.replace(
            "share = 100\n",
            "share = 100\n[[bidder.owners.owners]]\nname = \"Atlas SARL\"\nshare = 100\n",
        );
        let e = read("m.toml", &cycle).unwrap_err();
        assert!(e.message.contains("ownership cycle"), "{e}");
    }

    #[test]
    fn paths_may_not_escape() {
        assert!(check_relative("sboms/a.json").is_ok());
        assert!(check_relative("a/../b.json").is_ok());
        for bad in [
            "../x.json",
            "a/../../x",
            "/etc/passwd",
            "C:\\x",
            "",
            "a\\..\\..\\x",
        ] {
            assert!(check_relative(bad).is_err(), "{bad}");
        }
        let e = read(
            "m.toml",
            &OK.replace("sboms/hv.cdx.json", "../../secret.json"),
        )
        .unwrap_err();
        assert!(e.message.contains("leaves"), "{e}");
    }
}
