//! Findings: stable codes, default severities and their explanations.
//!
//! The analysis states facts; this module names them. Codes are kebab-case
//! and never renamed (reports and CI gates key on them).

pub mod csf;
pub mod gate;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warn,
    Deny,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Deny => "deny",
        }
    }
}

/// Format the same arguments into an English and a French message:
/// `bi!("The {} layer", "La couche {}", name)`.
#[macro_export]
macro_rules! bi {
    ($en:literal, $fr:literal $(, $arg:expr)* $(,)?) => {
        (
            $crate::i18n::full_stop(format!($en $(, $arg)*)),
            $crate::i18n::full_stop(format!($fr $(, $arg)*)),
        )
    };
}

/// Every finding code coquille emits, with its default severity and meaning.
pub const CODES: &[(&str, Severity, &str)] = &[
    (
        "foreign-bidder",
        Severity::Deny,
        "The bidder itself is controlled from outside the home jurisdiction.",
    ),
    (
        "foreign-critical-layer",
        Severity::Deny,
        "A critical layer (hardware, network, hypervisor, OS, storage, IAM, KMS, control plane, support, SOC, data centre) is controlled from outside the home jurisdiction and depends on its vendor to keep running (proprietary licence, online activation, vendor-operated service).",
    ),
    (
        "foreign-supply",
        Severity::Warn,
        "A layer comes from a foreign vendor but can run without it (hardware owned outright, open-source code stewarded by a foreign company): a supply dependency, not a kill switch; single-company stewardship means the roadmap and future licences are decided abroad.",
    ),
    (
        "compelled-access",
        Severity::Deny,
        "An entity in the controlling chain of a layer's vendor, or of an online service the software calls, is subject to a law that lets a foreign state compel access to data (e.g. US CLOUD Act, FISA 702, PRC National Intelligence Law). Never raised for open-source code, which runs without its steward.",
    ),
    (
        "kill-switch",
        Severity::Deny,
        "A foreign-controlled product stops or degrades without its vendor's online services (licence activation, cloud control plane, update channel), or runs under a proprietary licence its vendor can withdraw.",
    ),
    (
        "export-control",
        Severity::Warn,
        "Hardware or network equipment controlled from a country with export-control law: future supply, spares and updates can be restricted.",
    ),
    (
        "listed-entity",
        Severity::Warn,
        "An entity a layer relies on (its vendor, operator, service provider or a component's publisher), or an entity up its chain, is on an export-control or sanctions list (US Entity List, FCC Covered List, OFAC, EU, UK, UN): supply, spares, updates and support can be cut whatever the contract says. The listing is cited with its date and source.",
    ),
    (
        "key-custody",
        Severity::Deny,
        "Encryption keys are generated or held by a foreign-controlled provider (provider-managed or BYOK keys in a foreign KMS).",
    ),
    (
        "data-outside-home",
        Severity::Deny,
        "Data is stored or processed at a site or endpoint region outside the home jurisdiction.",
    ),
    (
        "foreign-support",
        Severity::Warn,
        "Support or security operations are performed or escalated from outside the home jurisdiction.",
    ),
    (
        "claim-contradicted",
        Severity::Deny,
        "A claim of the bid manifest is contradicted by the evidence (sites, endpoints, SBOMs, registry).",
    ),
    (
        "layer-missing",
        Severity::Warn,
        "A layer the tender, the policy, the service model or one of the bid's own claims requires (key custody needs a KMS layer, data residency a data centre and storage, operation from a country a control plane and support) is not described by the bid: its control is unknown, and counts as foreign where the policy counts unknown as foreign. Silence is never sovereign.",
    ),
    (
        "declared-country-contradicted",
        Severity::Warn,
        "An owner or bidder the manifest names (by name or by `entity`) is known to the registry, and its ultimate controller answers to another country than the one declared; the registry's controller counts in the look-through capital.",
    ),
    (
        "declaration-contradicted",
        Severity::Deny,
        "A layer's declared vendor, licence or `requires_vendor_online` is contradicted by the registry's product facts or by the layer's own SBOMs (a proprietary product declared open source, a local reseller declared as the vendor of a foreign product); the evidence decides the layer's control.",
    ),
    (
        "foreign-components",
        Severity::Warn,
        "A layer run by a home entity contains components controlled from abroad.",
    ),
    (
        "foreign-foundation",
        Severity::Info,
        "Open-source components governed by a foreign foundation: forkable, not a kill switch, but their roadmap is set abroad.",
    ),
    (
        "owner-unconfirmed",
        Severity::Info,
        "Components controlled by an entity whose own owner the registry cannot state (a deal not shown closed, a dated or indirect holding): control stops there for want of evidence; a warning when that entity is at home, where a foreign owner would change the verdict.",
    ),
    (
        "licence-unknown",
        Severity::Info,
        "Components that carry no licence evidence: counted as unknown, neither open source (forkable) nor proprietary (a licence kill switch); warn when some come from foreign companies.",
    ),
    (
        "unattributed-components",
        Severity::Info,
        "Components whose owner could not be established; unknown is counted, never treated as local.",
    ),
    (
        "unknown-layer-control",
        Severity::Warn,
        "A critical layer whose controller could not be established.",
    ),
    (
        "input-warnings",
        Severity::Info,
        "The readers recovered from problems in an input; the analysis used what could be read.",
    ),
    (
        "exception-expired",
        Severity::Warn,
        "An exception (`[[exceptions]]` in the policy or in `coquille.toml`) is past its `expires` date: the findings it allowed count again; renew it with a new reason or remove it.",
    ),
    (
        "policy-verdict",
        Severity::Deny,
        "The bid's verdict is not one the policy accepts.",
    ),
    (
        "policy-foreign-capital",
        Severity::Deny,
        "Foreign holders own more of the bidder's capital (look-through) than the policy allows.",
    ),
    (
        "policy-single-foreign-holder",
        Severity::Deny,
        "One foreign holder owns more of the bidder's capital (look-through) than the policy allows.",
    ),
    (
        "policy-foreign-critical-layers",
        Severity::Deny,
        "More critical layers are foreign-controlled (or unknown, when the policy counts unknown as foreign) than the policy allows.",
    ),
    (
        "policy-coverage",
        Severity::Deny,
        "Too few components could be attributed for the policy to judge the bid.",
    ),
    (
        "policy-csf-seal",
        Severity::Deny,
        "The bid's SEAL level under the EU Cloud Sovereignty Framework (lowest objective governs) is below the policy's minimum.",
    ),
];

pub fn default_severity(code: &str) -> Severity {
    CODES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or(Severity::Warn, |(_, s, _)| *s)
}

pub fn explain(code: &str) -> Option<&'static str> {
    CODES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, _, t)| *t)
}

/// One finding: a code, a severity, a message and its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, PartialOrd, Ord)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// The same message in French.
    pub message_fr: String,
    /// Each line cites an input element and/or a registry row with its source.
    pub evidence: Vec<String>,
    /// The layer concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// Laws behind an exposure, as `id: citation (url)`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub laws: Vec<String>,
    /// What, within its layer, the finding is about when a layer can hold several of its code
    /// (a vendor's entity id, a site, a host, a claim key). Stable across runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Allowed by an exception: its reason, expiry and where it is written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exception: Option<String>,
    /// Present in the baseline a check compares with: shown, not failing.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub known: bool,
}

impl Finding {
    /// A finding with its message in English and French (see [`bi!`](crate::bi)).
    pub fn bi(code: &str, (en, fr): (String, String)) -> Self {
        let mut f = Finding::new(code, en);
        f.message_fr = fr;
        f
    }

    pub fn new(code: &str, message: impl Into<String>) -> Self {
        debug_assert!(explain(code).is_some(), "unknown finding code {code}");
        let message = crate::i18n::full_stop(message.into());
        Finding {
            code: code.to_string(),
            severity: default_severity(code),
            message_fr: message.clone(),
            message,
            evidence: Vec::new(),
            layer: None,
            laws: Vec::new(),
            subject: None,
            exception: None,
            known: false,
        }
    }

    /// Does this finding fail a check? A deny, unless an exception or the baseline covers it.
    pub fn fails(&self) -> bool {
        self.severity == Severity::Deny && self.exception.is_none() && !self.known
    }

    /// The finding's stable name within a bid: code, layer and subject
    /// (`compelled-access hypervisor broadcom`). Reports keep messages, which carry counts,
    /// out of it, so that CI history and SARIF fingerprints follow a finding across runs.
    pub fn key(&self) -> String {
        let mut k = self.code.clone();
        for part in [self.layer.as_deref(), self.subject.as_deref()]
            .into_iter()
            .flatten()
        {
            k.push(' ');
            k.push_str(part);
        }
        k
    }

    pub fn subject(mut self, s: impl Into<String>) -> Self {
        self.subject = Some(s.into());
        self
    }

    pub fn severity(mut self, s: Severity) -> Self {
        self.severity = s;
        self
    }

    pub fn layer(mut self, l: &str) -> Self {
        self.layer = Some(l.to_string());
        self
    }

    pub fn evidence(mut self, e: impl IntoIterator<Item = String>) -> Self {
        self.evidence.extend(e);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_explained() {
        let mut seen = std::collections::BTreeSet::new();
        for (code, _, text) in CODES {
            assert!(seen.insert(*code), "duplicate {code}");
            assert!(
                code.split('-').all(|p| !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "{code}"
            );
            assert!(text.len() > 20);
        }
        assert_eq!(default_severity("kill-switch"), Severity::Deny);
    }
}
