//! Hash indexes over the matchers, so that matching is O(length of the
//! evidence), not O(number of rules): one lookup per prefix of a purl and
//! per dot-suffix of a host.

use super::normalize;
use super::{Confidence, Entity, Matcher, MatcherKind, RowRef};
use std::collections::HashMap;

/// A registry rule that fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub entity: String,
    pub confidence: Confidence,
    /// What matched, e.g. `purl pkg:npm/@aws-sdk/*`.
    pub rule: String,
    pub row: RowRef,
}

/// Purl rules by position: exact package URLs and prefixes. A purl's prefixes are looked
/// up only at the lengths some prefix rule has (longest first), so a purl of a million
/// characters costs what a short one does, and a purl costs a few lookups, not one per
/// character.
#[derive(Debug, Clone, Default)]
struct PurlRules {
    exact: HashMap<String, usize>,
    prefix: HashMap<String, usize>,
    /// The distinct lengths of the prefix rules, longest first.
    lengths: Vec<usize>,
}

impl PurlRules {
    fn exact(&mut self, key: String, at: usize) {
        self.exact.insert(key, at);
    }

    fn prefix(&mut self, key: String, at: usize) {
        if let Err(i) = self.lengths.binary_search_by(|l| key.len().cmp(l)) {
            self.lengths.insert(i, key.len());
        }
        self.prefix.insert(key, at);
    }

    /// The rule for a package: its exact purl, else the longest prefix rule.
    fn find(&self, purl: &str) -> Option<usize> {
        let key = normalize::purl_key(purl)?;
        if let Some(&at) = self.exact.get(&key) {
            return Some(at);
        }
        self.lengths
            .iter()
            .filter(|&&end| end <= key.len() && key.is_char_boundary(end))
            .find_map(|&end| self.prefix.get(&key[..end]).copied())
    }
}

#[derive(Debug, Clone, Default)]
pub struct MatchIndex {
    purls: PurlRules,
    cpe: HashMap<String, usize>,
    name: HashMap<String, usize>,
    domain: HashMap<String, usize>,
    endpoint: HashMap<String, usize>,
    repo: HashMap<String, usize>,
    hits: Vec<Hit>,
}

impl MatchIndex {
    pub fn build(matchers: &[Matcher], entities: &[Entity]) -> MatchIndex {
        let mut ix = MatchIndex::default();
        // Entity names and aliases are name matchers of medium confidence;
        // explicit name matchers (added after) take precedence.
        for e in entities {
            for n in std::iter::once(&e.name).chain(&e.aliases) {
                let key = normalize::name(n);
                if key.is_empty() || ix.name.contains_key(&key) {
                    continue;
                }
                let hit = Hit {
                    entity: e.id.clone(),
                    confidence: Confidence::Medium,
                    rule: format!("name \"{key}\""),
                    row: e.row.clone(),
                };
                ix.name.insert(key, ix.hits.len());
                ix.hits.push(hit);
            }
        }
        for m in matchers {
            let hit = Hit {
                entity: m.entity.clone(),
                confidence: m.confidence,
                rule: format!("{} {}", m.kind.as_str(), m.pattern),
                row: m.row.clone(),
            };
            let id = ix.hits.len();
            ix.hits.push(hit);
            let p = m.pattern.clone();
            match m.kind {
                MatcherKind::Purl => match p.strip_suffix('*') {
                    Some(prefix) => ix.purls.prefix(normalize::purl_prefix(prefix), id),
                    None => {
                        if let Some(key) = normalize::purl_key(&p) {
                            ix.purls.exact(key, id);
                        }
                    }
                },
                MatcherKind::Cpe => {
                    ix.cpe.insert(p, id);
                }
                MatcherKind::Name => {
                    ix.name.insert(p, id);
                }
                MatcherKind::Domain => {
                    ix.domain.insert(p.trim_start_matches("*.").to_string(), id);
                }
                MatcherKind::Endpoint => {
                    ix.endpoint
                        .insert(p.trim_start_matches("*.").to_string(), id);
                }
                MatcherKind::Repo => {
                    if let Some(key) = normalize::repo_owner(&p) {
                        ix.repo.insert(key, id);
                    }
                }
            }
        }
        ix
    }

    fn hit(&self, id: usize) -> Hit {
        self.hits[id].clone()
    }

    /// Exact package first, then the longest prefix rule.
    pub fn purl(&self, purl: &str) -> Option<Hit> {
        self.purls.find(purl).map(|id| self.hit(id))
    }

    pub fn cpe(&self, cpe: &str) -> Option<Hit> {
        let v = normalize::cpe_vendor(cpe)?;
        self.cpe.get(&v).map(|&id| self.hit(id))
    }

    pub fn name(&self, name: &str) -> Option<Hit> {
        let key = normalize::name(name);
        if key.is_empty() {
            return None;
        }
        self.name.get(&key).map(|&id| self.hit(id))
    }

    /// A name a bid declares for a party (owner, bidder, vendor, operator): the exact name
    /// first, else the name of a registry entity followed only by words that place or describe
    /// an affiliate (`Huawei Technologies Morocco SARL` → `Huawei Technologies`;
    /// `Oracle Cloud Maroc` → `Oracle Cloud`). The second value says whether words were
    /// dropped. `Orange Juice Ltd` stays unmatched: `juice` places nothing.
    pub fn party(&self, name: &str) -> Option<(Hit, bool)> {
        let key = normalize::name(name);
        if key.is_empty() {
            return None;
        }
        if let Some(&id) = self.name.get(&key) {
            return Some((self.hit(id), false));
        }
        let words: Vec<&str> = key.split(' ').collect();
        let mut end = words.len();
        while end > 1 && normalize::is_affiliate_word(words[end - 1]) {
            end -= 1;
            if let Some(&id) = self.name.get(&words[..end].join(" ")) {
                return Some((self.hit(id), true));
            }
        }
        None
    }

    /// A party's name whose leading words are a registry name, the longest first ("Huawei
    /// Tech Investment" begins with the name `huawei`): for the parties a bid manifest
    /// declares, where a near name must not pass for an unknown local company. A single
    /// leading word counts only from five letters. Returns the hit and the words matched.
    pub fn party_prefix(&self, name: &str) -> Option<(Hit, String)> {
        let key = normalize::name(name);
        let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
        (1..words.len()).rev().find_map(|end| {
            let prefix = words[..end].join(" ");
            if end == 1 && prefix.chars().count() < 5 {
                return None;
            }
            self.name
                .get(&prefix)
                .map(|&id| (self.hit(id), prefix.clone()))
        })
    }

    /// A web or email domain (not a code forge), by its longest matching suffix.
    pub fn domain(&self, url_or_email: &str) -> Option<Hit> {
        let host = normalize::host(url_or_email)?;
        if normalize::is_forge(&host) {
            return None;
        }
        normalize::suffixes(last_labels(&host))
            .find_map(|s| self.domain.get(s).map(|&id| self.hit(id)))
    }

    /// A source repository URL by its forge and owner (`github.com/googleapis`).
    pub fn repo(&self, url: &str) -> Option<Hit> {
        let key = normalize::repo_owner(url)?;
        self.repo.get(&key).map(|&id| self.hit(id))
    }

    /// A service endpoint: endpoint rules first, then domain rules. Returns the host too.
    pub fn endpoint(&self, url: &str) -> Option<(Hit, String)> {
        let host = normalize::host(url)?;
        let hit = normalize::suffixes(last_labels(&host)).find_map(|s| {
            self.endpoint
                .get(s)
                .or_else(|| self.domain.get(s))
                .map(|&id| self.hit(id))
        })?;
        Some((hit, host))
    }
}

/// Hosts with more labels than this are not looked up for services (no real host comes close).
const MAX_HOST_LABELS: usize = 64;

/// The last `MAX_HOST_LABELS` labels of a host: registry domains and endpoints are
/// suffixes of a few labels, so a host of half a million labels is looked up in the
/// time a short one takes.
fn last_labels(host: &str) -> &str {
    host.rmatch_indices('.')
        .nth(MAX_HOST_LABELS - 1)
        .map_or(host, |(i, _)| &host[i + 1..])
}

/// An index over `purl` and `endpoint` patterns of the fact tables (services, licences):
/// exact purls, purl prefixes (looked up only up to the longest prefix there is), and
/// endpoint hosts by (service label, domain suffix).
#[derive(Debug, Clone, Default)]
pub struct ServiceIndex {
    purls: PurlRules,
    /// domain suffix → (service label, row index)
    hosts: HashMap<String, Vec<(String, usize)>>,
}

impl ServiceIndex {
    /// Index `(kind, pattern)` pairs by their position.
    pub fn build<'a>(rules: impl Iterator<Item = (MatcherKind, &'a str)>) -> ServiceIndex {
        let mut ix = ServiceIndex::default();
        for (i, (kind, pattern)) in rules.enumerate() {
            match kind {
                MatcherKind::Purl => match super::services::purl_pattern(pattern) {
                    (true, p) => ix.purls.prefix(p, i),
                    (false, p) => ix.purls.exact(p, i),
                },
                MatcherKind::Endpoint => {
                    if let Some((label, domain)) = pattern.split_once('.') {
                        ix.hosts
                            .entry(domain.to_string())
                            .or_default()
                            .push((label.to_string(), i));
                    }
                }
                _ => {}
            }
        }
        ix
    }

    /// The rule for a package: its exact purl, else the longest prefix rule.
    pub fn purl(&self, purl: &str) -> Option<usize> {
        self.purls.find(purl)
    }

    /// The rule for a host: a label equal to the rule's service label (or starting with it
    /// and a `-`, as in `s3-fips`, `oss-cn-hangzhou`) followed, further right, by its domain.
    pub fn host(&self, url_or_host: &str) -> Option<usize> {
        let host = normalize::host(url_or_host)?;
        let labels: Vec<&str> = host.split('.').collect();
        if labels.len() > MAX_HOST_LABELS {
            return None;
        }
        // Most specific first: the longest domain suffix that has rules.
        for (j, domain) in normalize::suffixes(&host).enumerate().skip(1) {
            let Some(rules) = self.hosts.get(domain) else {
                continue;
            };
            for label in &labels[..j] {
                let base = label.split('-').next().unwrap_or(label);
                if let Some((_, i)) = rules.iter().find(|(l, _)| l == label || l == base) {
                    return Some(*i);
                }
            }
        }
        None
    }
}
