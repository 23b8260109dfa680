//! `products*.csv`: the products a bid puts in its layers (hypervisors, operating systems,
//! databases, IAM, KMS and HSMs, storage, network OSes, platforms, backup, monitoring),
//! who licenses each, under which licence model, and whether it needs its vendor online.
//! A bid's declared vendor, licence and `requires_vendor_online` are checked against them.

use super::{RegistryError, RowRef, Tables, get, opt, read_rows};
use crate::ingest::manifest::LayerKind;
use serde::Serialize;
use std::collections::HashMap;

/// How a product is licensed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LicenceModel {
    /// A licence its vendor grants and can withdraw (EULA, licence keys, subscription terms).
    Proprietary,
    /// An OSI licence: runs and can be forked without the vendor.
    OpenSource,
    /// Open-source code sold as a subscription that gates certified builds and updates (RHEL).
    SubscriptionOpenSource,
    /// A service the vendor operates.
    Service,
}

impl LicenceModel {
    pub fn as_str(self) -> &'static str {
        match self {
            LicenceModel::Proprietary => "proprietary",
            LicenceModel::OpenSource => "open-source",
            LicenceModel::SubscriptionOpenSource => "subscription-open-source",
            LicenceModel::Service => "service",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [
            LicenceModel::Proprietary,
            LicenceModel::OpenSource,
            LicenceModel::SubscriptionOpenSource,
            LicenceModel::Service,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }
}

/// Does the product need its vendor online to keep running?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Online {
    Yes,
    No,
    /// Only some features (cloud management, telemetry) need it.
    Optional,
}

/// One product and its facts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Product {
    pub id: String,
    pub product: String,
    /// The entity that licenses the product.
    pub vendor: String,
    pub licence: LicenceModel,
    pub online: Online,
    /// The layers it serves, most typical first.
    pub layers: Vec<LayerKind>,
    /// Name patterns, as written (matched as whole words, case-insensitively).
    pub names: Vec<String>,
    /// CPE 2.3 prefixes (`cpe:2.3:o:microsoft:windows_server`).
    pub cpes: Vec<String>,
    /// Package-URL prefixes.
    pub purls: Vec<String>,
    pub source: String,
    pub as_of: String,
    /// The sentence of the source that states the licence model.
    pub source_quote: String,
    pub note: String,
    pub row: RowRef,
}

/// Longest name patterns are this many words; longer ones are refused.
const MAX_WORDS: usize = 8;
/// How many words of a declared product text are looked at.
const MAX_TEXT_WORDS: usize = 200;

/// Lower-case alphanumeric words (`Hyper-V` → `hyper v`).
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Name patterns by their words, for matching inside a declared product text.
#[derive(Debug, Clone, Default)]
pub struct ProductIndex {
    names: HashMap<String, usize>,
}

impl ProductIndex {
    pub fn build(products: &[Product]) -> Self {
        let mut names = HashMap::new();
        for (i, p) in products.iter().enumerate() {
            for n in &p.names {
                names.entry(words(n).join(" ")).or_insert(i);
            }
        }
        ProductIndex { names }
    }

    /// Every product a text names, left to right, each the longest pattern at its place;
    /// each product once.
    pub fn find(&self, text: &str) -> Vec<usize> {
        let w = words(text);
        let w = &w[..w.len().min(MAX_TEXT_WORDS)];
        let mut out: Vec<usize> = Vec::new();
        let mut i = 0;
        while i < w.len() {
            let longest = (1..=MAX_WORDS.min(w.len() - i))
                .rev()
                .find_map(|n| self.names.get(&w[i..i + n].join(" ")).map(|&p| (n, p)));
            match longest {
                Some((n, p)) => {
                    if !out.contains(&p) {
                        out.push(p);
                    }
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }
}

/// How many words of a declared product text are compared with near spellings.
const MAX_NEAR_WORDS: usize = 16;

/// Edits a name pattern of `len` characters tolerates as a misspelling: none under eight
/// characters (short names are too easily another word), one under sixteen, two beyond.
fn tolerated(len: usize) -> usize {
    match len {
        0..8 => 0,
        8..16 => 1,
        _ => 2,
    }
}

impl ProductIndex {
    /// Products a text names with a near spelling ("Red Hat Entreprise Linux", "Windows
    /// Sever"): word windows of the text one or two edits (Levenshtein, strsim) away from a
    /// pattern of eight letters or more (same first letter, a word more or less allowed). For when [`ProductIndex::find`] finds nothing, so
    /// a misspelt product does not pass for an unknown one. Returns the product, the pattern
    /// and the words of the text that resemble it.
    pub fn find_near(&self, text: &str) -> Vec<(usize, String, String)> {
        let w = words(text);
        let w = &w[..w.len().min(MAX_NEAR_WORDS)];
        let mut out: Vec<(usize, String, String)> = Vec::new();
        let mut patterns: Vec<(&String, &usize)> = self.names.iter().collect();
        patterns.sort();
        for (pattern, &p) in patterns {
            let pat_len = pattern.chars().count();
            let allowed = tolerated(pat_len);
            if allowed == 0 || out.iter().any(|(q, _, _)| *q == p) {
                continue;
            }
            let n = pattern.split(' ').count();
            let near = (0..w.len()).find_map(|i| {
                (n.saturating_sub(1).max(1)..=n + 1)
                    .filter(|len| i + len <= w.len())
                    .find_map(|len| {
                        let window = w[i..i + len].join(" ");
                        let close = window.chars().next() == pattern.chars().next()
                            && window.chars().count().abs_diff(pat_len) <= allowed
                            && strsim::levenshtein(&window, pattern) <= allowed;
                        close.then_some(window)
                    })
            });
            if let Some(window) = near {
                out.push((p, pattern.clone(), window));
            }
        }
        out
    }
}

fn list(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

impl Tables {
    pub(super) fn load_products(
        &mut self,
        file: &str,
        text: &str,
    ) -> Result<(), Vec<RegistryError>> {
        let rows = read_rows(
            file,
            text,
            &[
                "id", "product", "vendor", "licence", "online", "layers", "names", "source",
                "as_of",
            ],
        )
        .map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        for (line, r) in rows {
            let row = RowRef {
                file: file.into(),
                line,
            };
            let before = errors.len();
            let mut err = |m: String| {
                errors.push(RegistryError {
                    row: row.clone(),
                    message: m,
                })
            };
            let licence = LicenceModel::parse(get(&r, "licence"));
            if licence.is_none() {
                err(format!(
                    "licence \"{}\" is not proprietary, open-source, subscription-open-source or service",
                    get(&r, "licence")
                ));
            }
            let online = match get(&r, "online") {
                "yes" => Some(Online::Yes),
                "no" => Some(Online::No),
                "optional" => Some(Online::Optional),
                s => {
                    err(format!("online \"{s}\" is not yes, no or optional"));
                    None
                }
            };
            let mut layers = Vec::new();
            for l in list(get(&r, "layers")) {
                match LayerKind::parse(&l) {
                    Some(k) => layers.push(k),
                    None => err(format!("layer \"{l}\" is not a layer kind")),
                }
            }
            let names = list(get(&r, "names"));
            if names.is_empty() || layers.is_empty() {
                err("a product needs at least one name pattern and one layer".into());
            }
            for n in &names {
                let n_words = words(n).len();
                if n_words == 0 || n_words > MAX_WORDS {
                    err(format!(
                        "name pattern \"{n}\" must have 1 to {MAX_WORDS} words"
                    ));
                }
            }
            let cpes: Vec<String> = list(get(&r, "cpes"))
                .into_iter()
                .map(|c| c.to_lowercase())
                .collect();
            if let Some(c) = cpes.iter().find(|c| !c.starts_with("cpe:2.3:")) {
                err(format!("cpe prefix \"{c}\" does not start with cpe:2.3:"));
            }
            let purls: Vec<String> = list(get(&r, "purls"))
                .into_iter()
                .map(|c| c.to_lowercase())
                .collect();
            if let Some(p) = purls.iter().find(|p| !p.starts_with("pkg:") || p.len() < 6) {
                err(format!("purl prefix \"{p}\" does not start with pkg:"));
            }
            for m in super::services::source_problems(&r) {
                err(m);
            }
            let (Some(licence), Some(online), true) = (licence, online, errors.len() == before)
            else {
                continue;
            };
            let p = Product {
                id: get(&r, "id").to_string(),
                product: get(&r, "product").to_string(),
                vendor: get(&r, "vendor").to_string(),
                licence,
                online,
                layers,
                names,
                cpes,
                purls,
                source: get(&r, "source").to_string(),
                as_of: get(&r, "as_of").to_string(),
                source_quote: opt(&r, "source_quote").unwrap_or_default(),
                note: opt(&r, "note").unwrap_or_default(),
                row,
            };
            // A later row with the same id replaces the earlier one (an overlay's correction).
            let id = p.id.clone();
            super::upsert(
                &mut self.products,
                &mut self.replaced,
                p,
                |x| x.id == id,
                |x| &x.row,
                false,
            );
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Products a declared product text names (`VMware vSphere Foundation 8 (ESXi, vCenter)`).
    pub fn products_named(&self, text: &str) -> Vec<&Product> {
        self.product_index
            .find(text)
            .into_iter()
            .map(|i| &self.products[i])
            .collect()
    }

    /// Products a declared product text names with a near spelling, each with the pattern
    /// and the words that resemble it (`ProductIndex::find_near`).
    pub fn products_near(&self, text: &str) -> Vec<(&Product, String, String)> {
        self.product_index
            .find_near(text)
            .into_iter()
            .map(|(i, pattern, words)| (&self.products[i], pattern, words))
            .collect()
    }

    /// The product a CPE or purl belongs to, by the longest prefix any product lists.
    pub fn product_for_id(&self, cpe: Option<&str>, purl: Option<&str>) -> Option<&Product> {
        let cpe = cpe.map(str::to_lowercase);
        let purl = purl.map(str::to_lowercase);
        let mut best: Option<(usize, &Product)> = None;
        for p in &self.products {
            let hits = p
                .cpes
                .iter()
                .filter(|c| cpe.as_deref().is_some_and(|x| x.starts_with(c.as_str())))
                .chain(
                    p.purls
                        .iter()
                        .filter(|c| purl.as_deref().is_some_and(|x| x.starts_with(c.as_str()))),
                );
            for h in hits {
                if best.is_none_or(|(n, _)| h.len() > n) {
                    best = Some((h.len(), p));
                }
            }
        }
        best.map(|(_, p)| p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Registry;

    fn reg() -> Registry {
        Registry::from_files(&[
            (
                "vendors/entities.csv".into(),
                "id,name,country,kind,source,as_of\nvmware,VMware LLC,US,company,https://v,2026-01-01\nthales,Thales,FR,company,https://t,2026-01-01\nms,Microsoft,US,company,https://m,2026-01-01\n".into(),
            ),
            (
                "vendors/products.csv".into(),
                "id,product,vendor,licence,online,layers,names,cpes,purls,source,as_of,source_quote,note
vsphere,VMware vSphere,vmware,proprietary,yes,hypervisor,vSphere;ESXi;vCenter,cpe:2.3:o:vmware:esxi,,https://v,2026-01-01,q,
luna,Thales Luna HSM,thales,proprietary,no,kms;hardware,Luna HSM;Luna Network HSM,,,https://t,2026-01-01,q,
ws,Windows Server,ms,proprietary,optional,os,Windows Server,cpe:2.3:o:microsoft:windows_server,,https://m,2026-01-01,q,
".into(),
            ),
        ])
        .unwrap()
    }

    #[test]
    fn products_are_found_by_name_cpe_and_purl() {
        let r = reg();
        let found: Vec<&str> = r
            .products_named(
                "VMware vSphere Foundation 8 (ESXi, vCenter) with Thales Luna Network HSM",
            )
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(found, ["vsphere", "luna"]);
        assert!(
            r.products_named("Windows Servers").is_empty(),
            "whole words only"
        );
        assert!(r.products_named("a luna park").is_empty());
        let p = r
            .product_for_id(
                Some("cpe:2.3:o:microsoft:windows_server_2022:-:*:*:*:*:*:*:*"),
                None,
            )
            .unwrap();
        assert_eq!(p.id, "ws");
        assert_eq!(p.licence, LicenceModel::Proprietary);
    }

    #[test]
    fn near_spellings_are_found_and_short_or_distant_names_are_not() {
        let r = reg();
        let near = |t: &str| -> Vec<(String, String)> {
            r.products_near(t)
                .into_iter()
                .map(|(p, _, words)| (p.id.clone(), words))
                .collect()
        };
        assert_eq!(
            near("Windows Sever 2022 Datacenter"),
            [("ws".to_string(), "windows sever".to_string())]
        );
        // A word merged or split is one edit too.
        assert_eq!(near("WindowsServer 2022")[0].0, "ws");
        assert_eq!(near("Thales Luna-Network HSMs")[0].0, "luna");
        // Short names are never guessed (ESXi, vSphere), nor names two edits from a short one.
        assert!(near("ESX 6").is_empty());
        assert!(near("vShpere 8").is_empty());
        assert!(near("Windows Seller").is_empty());
        assert!(near("Linux Server").is_empty());
    }

    #[test]
    fn bad_rows_are_refused() {
        let e = Registry::from_files(&[(
            "vendors/products.csv".into(),
            "id,product,vendor,licence,online,layers,names,source,as_of\nx,X,v,freeware,sometimes,kernel,,ftp://x,2026\n".into(),
        )])
        .unwrap_err();
        let text: Vec<String> = e.iter().map(|e| e.to_string()).collect();
        for needle in [
            "freeware",
            "sometimes",
            "kernel",
            "name pattern",
            "ftp://x",
            "2026",
        ] {
            assert!(
                text.iter().any(|t| t.contains(needle)),
                "{needle}: {text:?}"
            );
        }
    }
}
