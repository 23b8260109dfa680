//! One quote per fact. An entity row states several facts (its legal name, its country, its
//! parent, the parent's share, control); one sentence of one source rarely states them all.
//! The row's own `source_quote` says which it states (`quote_states`), further sources in
//! `quotes*.csv` state the others, and the facts no quote states are listed as
//! `unconfirmed`. A report cites, for each claim, the quote that states that fact.

use super::{Entity, RegistryError, RowRef, Tables, get, opt, read_rows};
use serde::Serialize;

/// A fact an entity row asserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Fact {
    /// The legal name (`name`).
    Name,
    /// The country whose law reaches the entity (`country`, and `incorporated`).
    Country,
    /// Who the direct holder is (`parent`).
    Parent,
    /// The share of capital the parent holds (`parent_share`).
    Share,
    /// Whether the parent controls it, when that does not follow from the share (`control`).
    Control,
}

impl Fact {
    pub const ALL: [Fact; 5] = [
        Fact::Name,
        Fact::Country,
        Fact::Parent,
        Fact::Share,
        Fact::Control,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Fact::Name => "name",
            Fact::Country => "country",
            Fact::Parent => "parent",
            Fact::Share => "share",
            Fact::Control => "control",
        }
    }

    fn parse(s: &str) -> Option<Fact> {
        Fact::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// Parse a `;`-separated list of facts: the facts, or the first word that is not one.
pub fn parse_facts(s: &str) -> Result<Vec<Fact>, String> {
    let mut out = Vec::new();
    for w in s.split(';').map(str::trim).filter(|w| !w.is_empty()) {
        let f = Fact::parse(&w.to_ascii_lowercase()).ok_or_else(|| w.to_string())?;
        if !out.contains(&f) {
            out.push(f);
        }
    }
    out.sort();
    Ok(out)
}

fn facts_error(col: &str, word: &str) -> String {
    format!(
        "{col}: \"{word}\" is not a fact; the facts are {}",
        Fact::ALL.map(Fact::as_str).join(", ")
    )
}

/// A further source for some of an entity's facts (`quotes*.csv`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    pub entity: String,
    pub states: Vec<Fact>,
    pub source: String,
    pub source_date: Option<String>,
    pub as_of: String,
    pub text: String,
    pub note: String,
    pub row: RowRef,
}

/// Where one fact of an entity is stated: the source, its date, the sentence and the row
/// that records it. `quote` is empty when no source states the fact.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Cite {
    pub fact: Fact,
    pub source: String,
    pub as_of: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub quote: String,
    pub row: String,
}

impl Cite {
    pub fn confirmed(&self) -> bool {
        !self.quote.is_empty()
    }
}

/// Where one fact is stated, borrowed from the registry: what an evidence line prints for
/// every component without copying the source's strings. `quote` is empty when no source
/// states the fact.
#[derive(Debug, Clone, Copy)]
pub struct Stated<'a> {
    pub source: &'a str,
    pub as_of: &'a str,
    pub quote: &'a str,
    pub row: &'a RowRef,
}

impl Stated<'_> {
    fn cite(self, fact: Fact) -> Cite {
        Cite {
            fact,
            source: self.source.to_string(),
            as_of: self.as_of.to_string(),
            quote: self.quote.to_string(),
            row: self.row.to_string(),
        }
    }
}

impl Entity {
    /// The facts this row asserts, each of which needs a quote (or to be listed as
    /// unconfirmed): the name and country (but for a state, which is its country); the
    /// parent, the share and control when given, control only when it does not follow from
    /// the share (over 50 % controls).
    pub fn required_facts(&self) -> Vec<Fact> {
        // A state is its country: its name and country need no source.
        let mut v = if self.kind == super::EntityKind::State {
            Vec::new()
        } else {
            vec![Fact::Name, Fact::Country]
        };
        if self.parent.is_some() {
            v.push(Fact::Parent);
        }
        if self.parent_share.is_some() {
            v.push(Fact::Share);
        }
        if let Some(c) = self.control
            && self.parent_share.is_none_or(|s| (s > 50.0) != c)
        {
            v.push(Fact::Control);
        }
        v
    }

    /// Does the row's own quote state `fact`? A row written before `quote_states` existed
    /// (an analyst's overlay) is taken at its word for display; `vendors validate` asks it
    /// to say.
    fn own_quote_states(&self, fact: Fact) -> bool {
        self.quoted_row()
            && self
                .quote_states
                .as_ref()
                .is_none_or(|states| states.contains(&fact))
    }

    /// The source that states `fact`, borrowed from the registry: of the row's own quote and
    /// its further quotes that state it, the one with the latest `as_of` (the row's own quote,
    /// then the first in file order, on a tie); `None` when no quote states it.
    pub fn stated(&self, fact: Fact) -> Option<Stated<'_>> {
        let own = self.own_quote_states(fact).then(|| Stated {
            source: &self.source,
            as_of: &self.as_of,
            quote: self.source_quote.trim(),
            row: &self.row,
        });
        let further = self
            .quotes
            .iter()
            .filter(|q| q.states.contains(&fact) && !q.text.trim().is_empty())
            .map(|q| Stated {
                source: &q.source,
                as_of: &q.as_of,
                quote: q.text.trim(),
                row: &q.row,
            });
        // Only a strictly later date replaces the quote in hand: ties keep the earlier one.
        further.fold(own, |best, s| match best {
            Some(b) if b.as_of >= s.as_of => Some(b),
            _ => Some(s),
        })
    }

    /// [`Entity::stated`], or the row's own source with no quote when no source states the
    /// fact (so that a reader still sees where the row came from).
    pub fn stated_or_row(&self, fact: Fact) -> Stated<'_> {
        self.stated(fact).unwrap_or(Stated {
            source: &self.source,
            as_of: &self.as_of,
            quote: "",
            row: &self.row,
        })
    }

    /// The citation of `fact`, owned (for reports); `None` when no quote states it.
    pub fn cite(&self, fact: Fact) -> Option<Cite> {
        self.stated(fact).map(|s| s.cite(fact))
    }

    /// The citation of `fact`, or of the row's own source with no quote.
    pub fn cite_or_row(&self, fact: Fact) -> Cite {
        self.stated_or_row(fact).cite(fact)
    }

    /// The citation of every fact the row asserts, in the order of [`Fact`]; and, for a row
    /// with no parent that lists its parent as unconfirmed (a source suggests an owner the
    /// registry cannot state), the parent too, unquoted: a report then says the owner is
    /// unconfirmed instead of showing a company nobody owns.
    pub fn cites(&self) -> Vec<Cite> {
        let mut facts = self.required_facts();
        if self.owner_unconfirmed() {
            facts.push(Fact::Parent);
            facts.sort_by_key(|f| Fact::ALL.iter().position(|a| a == f));
        }
        facts.into_iter().map(|f| self.cite_or_row(f)).collect()
    }

    /// No parent is given, but the row lists its parent as unconfirmed: a source suggests an
    /// owner the registry cannot state.
    pub fn owner_unconfirmed(&self) -> bool {
        self.parent.is_none() && self.unconfirmed.contains(&Fact::Parent)
    }

    /// The facts the row asserts that no quote states.
    pub fn unquoted_facts(&self) -> Vec<Fact> {
        self.required_facts()
            .into_iter()
            .filter(|&f| self.stated(f).is_none())
            .collect()
    }
}

impl Tables {
    pub(super) fn load_quotes(&mut self, file: &str, text: &str) -> Result<(), Vec<RegistryError>> {
        let rows = read_rows(
            file,
            text,
            &["entity", "states", "source", "as_of", "source_quote"],
        )
        .map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        for (line, r) in rows {
            let row = RowRef {
                file: file.into(),
                line,
            };
            let states = match parse_facts(get(&r, "states")) {
                Ok(s) => s,
                Err(w) => {
                    errors.push(RegistryError {
                        row,
                        message: facts_error("states", &w),
                    });
                    continue;
                }
            };
            self.quotes.push(Quote {
                entity: get(&r, "entity").to_string(),
                states,
                source: get(&r, "source").to_string(),
                source_date: opt(&r, "source_date"),
                as_of: get(&r, "as_of").to_string(),
                text: get(&r, "source_quote").to_string(),
                note: get(&r, "note").to_string(),
                row,
            });
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Hand each further quote to its entity (a quote for an unknown entity is a problem).
    pub(super) fn attach_quotes(&mut self, problems: &mut Vec<RegistryError>) {
        for e in &mut self.entities {
            e.quotes.clear();
        }
        for q in &self.quotes {
            match self.by_id.get(&q.entity) {
                Some(&i) => self.entities[i].quotes.push(q.clone()),
                None => problems.push(RegistryError {
                    row: q.row.clone(),
                    message: format!("quote for undefined entity \"{}\"", q.entity),
                }),
            }
        }
    }
}

/// Parse an entity row's `quote_states` or `unconfirmed` column; `None` when the file has
/// no such column.
pub(super) fn entity_facts(
    r: &super::Row,
    col: &str,
    errors: &mut Vec<RegistryError>,
    row: &RowRef,
) -> Option<Vec<Fact>> {
    let cell = r.get(col)?;
    match parse_facts(cell) {
        Ok(v) => Some(v),
        Err(w) => {
            errors.push(RegistryError {
                row: row.clone(),
                message: facts_error(col, &w),
            });
            Some(Vec::new())
        }
    }
}
