//! `coquille vendors validate`: every problem of a registry folder at once,
//! each with its file and line.

use super::{Registry, RegistryError, RowRef};
use crate::ingest::manifest::is_country;
use std::collections::BTreeSet;

/// `YYYY-MM-DD` with a month and a day in range.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && s[5..7].parse::<u8>().is_ok_and(|m| (1..=12).contains(&m))
        && s[8..10].parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
}

fn is_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() > 10
        && !s.contains(char::is_whitespace)
}

/// Validate registry files as one complete registry.
pub fn validate(files: &[(String, String)]) -> Vec<RegistryError> {
    let (reg, mut out) = Registry::load_all(files);
    let mut add = |row: &RowRef, message: String| {
        out.push(RegistryError {
            row: row.clone(),
            message,
        })
    };
    for p in &reg.problems {
        add(&p.row, p.message.clone());
    }
    for (old, new, conflict) in &reg.replaced {
        if *conflict {
            add(
                new,
                format!(
                    "conflicting matcher: the same evidence already points to another entity at {old}"
                ),
            );
        } else {
            add(new, format!("duplicate of {old}"));
        }
    }
    let known: BTreeSet<&str> = reg.jurisdictions.iter().map(|j| j.code.as_str()).collect();
    let country_ok = |c: &str| is_country(c) && (known.is_empty() || known.contains(c));
    for e in &reg.entities {
        if !is_url(&e.source) {
            add(&e.row, format!("entity \"{}\" has no source URL", e.id));
        }
        for problem in date_problems(
            &format!("entity \"{}\"", e.id),
            e.source_date.as_deref(),
            &e.as_of,
        ) {
            add(&e.row, problem);
        }
        if !country_ok(&e.country) {
            add(
                &e.row,
                format!(
                    "entity \"{}\": country \"{}\" is not in jurisdictions",
                    e.id, e.country
                ),
            );
        }
        if let Some(inc) = &e.incorporated
            && !country_ok(inc)
        {
            add(
                &e.row,
                format!(
                    "entity \"{}\": incorporated \"{inc}\" is not an ISO 3166-1 alpha-2 code in jurisdictions",
                    e.id
                ),
            );
        }
        if e.parent.is_none() && (e.parent_share.is_some() || e.control.is_some()) {
            add(
                &e.row,
                format!(
                    "entity \"{}\" has a parent share or control flag but no parent",
                    e.id
                ),
            );
        }
        if e.parent.as_deref() == Some(e.id.as_str()) {
            add(&e.row, format!("entity \"{}\" is its own parent", e.id));
        }
        for problem in fact_problems(e) {
            add(&e.row, problem);
        }
        if let Some(p) = quote_length_problem(&format!("entity \"{}\"", e.id), &e.source_quote) {
            add(&e.row, p);
        }
        if e.control == Some(true) && e.parent_share.is_some_and(|s| s < 1.0) {
            add(
                &e.row,
                format!(
                    "entity \"{}\" is controlled by a parent holding under 1 %",
                    e.id
                ),
            );
        }
    }
    for q in &reg.quotes {
        for problem in quote_problems(q) {
            add(&q.row, problem);
        }
    }
    for l in &reg.listings {
        if reg.entity(&l.entity).is_none() {
            add(
                &l.row,
                format!("listing names undefined entity \"{}\"", l.entity),
            );
        }
        if !is_date(&l.listed_on) {
            add(
                &l.row,
                format!(
                    "listing of \"{}\": listed_on \"{}\" is not a YYYY-MM-DD date",
                    l.entity, l.listed_on
                ),
            );
        }
        if let Some(r) = &l.removed_on
            && (!is_date(r) || r.as_str() < l.listed_on.as_str())
        {
            add(
                &l.row,
                format!(
                    "listing of \"{}\": removed_on \"{r}\" is not a date after listed_on",
                    l.entity
                ),
            );
        }
        if !is_url(&l.url) {
            add(
                &l.row,
                format!("listing of \"{}\" has no source URL", l.entity),
            );
        }
        if l.source_quote.trim().is_empty() {
            add(
                &l.row,
                format!(
                    "listing of \"{}\" has no source_quote: quote the sentence that lists it",
                    l.entity
                ),
            );
        }
    }
    for j in &reg.jurisdictions {
        for m in &j.members {
            if !is_country(m) {
                add(
                    &j.row,
                    format!(
                        "bloc {}: member \"{m}\" is not an ISO 3166-1 alpha-2 code",
                        j.code
                    ),
                );
            }
        }
    }
    for l in &reg.laws {
        if !known.is_empty() && !known.contains(l.jurisdiction.as_str()) {
            add(
                &l.row,
                format!(
                    "law \"{}\": jurisdiction \"{}\" is not in jurisdictions",
                    l.id, l.jurisdiction
                ),
            );
        }
        if !is_url(&l.url) {
            add(&l.row, format!("law \"{}\" has no URL", l.id));
        }
    }
    for r in &reg.regions {
        if reg.entity(&r.entity).is_none() {
            add(
                &r.row,
                format!(
                    "region {} names undefined entity \"{}\"",
                    r.region, r.entity
                ),
            );
        }
        if !country_ok(&r.country) {
            add(
                &r.row,
                format!(
                    "region {}: country \"{}\" is not in jurisdictions",
                    r.region, r.country
                ),
            );
        }
    }
    for p in &reg.products {
        if let Some(m) = product_quote_problem(p) {
            add(&p.row, m);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A product's licence model is a fact like an entity's: its row quotes the sentence of the
/// source that states it, or says it paraphrases (`paraphrase: …`) and lists the licence model
/// as unconfirmed in its note.
fn product_quote_problem(p: &super::products::Product) -> Option<String> {
    let who = format!("product \"{}\"", p.id);
    let quote = p.source_quote.trim();
    if quote.is_empty() {
        return Some(format!(
            "{who}: no source_quote: quote the sentence of the source that states its licence model, or write `paraphrase: …` and begin the note with `unconfirmed:`"
        ));
    }
    if quote.starts_with("paraphrase:") && !p.note.contains("unconfirmed:") {
        return Some(format!(
            "{who}: source_quote paraphrases its source, so the licence model is unconfirmed: say so in the note (`unconfirmed: …`) or quote the source"
        ));
    }
    quote_length_problem(&who, quote)
}

/// A quote is a sentence, not a page: at most 400 characters. `who` starts the message.
fn quote_length_problem(who: &str, quote: &str) -> Option<String> {
    (quote.chars().count() > 400).then(|| {
        format!(
            "{who}: source_quote is over 400 characters; quote the sentence that states the fact"
        )
    })
}

/// What is wrong with a row's dates: `as_of` and `source_date` are YYYY-MM-DD, and a fact
/// is not held as of a day before its source was published. `who` starts each message.
fn date_problems(who: &str, source_date: Option<&str>, as_of: &str) -> Vec<String> {
    let mut out = Vec::new();
    if !is_date(as_of) {
        out.push(format!("{who}: as_of \"{as_of}\" is not a YYYY-MM-DD date"));
    }
    if let Some(d) = source_date {
        if !is_date(d) {
            out.push(format!(
                "{who}: source_date \"{d}\" is not a YYYY-MM-DD date"
            ));
        } else if is_date(as_of) && as_of < d {
            out.push(format!(
                "{who}: as_of {as_of} is older than its source ({d}); a fact cannot be checked before it was published"
            ));
        }
    }
    out
}

/// What is wrong with an entity's facts and their quotes: every fact the row asserts is
/// stated by a quote (its own, per `quote_states`, or a `quotes*.csv` row) or listed as
/// `unconfirmed`, and nothing is both.
fn fact_problems(e: &super::Entity) -> Vec<String> {
    use super::facts::Fact;
    let mut out = Vec::new();
    let Some(states) = &e.quote_states else {
        out.push(format!(
            "entity \"{}\": no quote_states column: say which of its facts ({}) the row's source_quote states",
            e.id,
            Fact::ALL.map(Fact::as_str).join(", ")
        ));
        return out;
    };
    if !states.is_empty() && !e.quoted_row() {
        out.push(format!(
            "entity \"{}\": quote_states lists facts but the row has no source_quote",
            e.id
        ));
    }
    let names = |v: &[Fact]| v.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ");
    let missing: Vec<Fact> = e
        .unquoted_facts()
        .into_iter()
        .filter(|f| !e.unconfirmed.contains(f))
        .collect();
    if !missing.is_empty() {
        out.push(format!(
            "entity \"{}\": no quote states its {}: quote a source that does (quote_states, or a row in quotes*.csv), or list the fact in unconfirmed",
            e.id,
            names(&missing)
        ));
    }
    let quoted_anyway: Vec<Fact> = e
        .unconfirmed
        .iter()
        .copied()
        .filter(|&f| e.stated(f).is_some())
        .collect();
    if !quoted_anyway.is_empty() {
        out.push(format!(
            "entity \"{}\": {} listed as unconfirmed but a quote states it",
            e.id,
            names(&quoted_anyway)
        ));
    }
    out
}

/// What is wrong with a further quote: no source, no quote, no fact, bad or inverted dates.
fn quote_problems(q: &super::facts::Quote) -> Vec<String> {
    let mut out = Vec::new();
    let who = &q.entity;
    if q.states.is_empty() {
        out.push(format!("quote for \"{who}\" states no fact"));
    }
    if !is_url(&q.source) {
        out.push(format!(
            "quote for \"{who}\": source \"{}\" is not an http(s) URL",
            q.source
        ));
    }
    if q.text.trim().is_empty() {
        out.push(format!("quote for \"{who}\" has an empty source_quote"));
    }
    out.extend(quote_length_problem(
        &format!("quote for \"{who}\""),
        &q.text,
    ));
    out.extend(date_problems(
        &format!("quote for \"{who}\""),
        q.source_date.as_deref(),
        &q.as_of,
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planted_errors_are_all_found_with_their_lines() {
        let entities = "id,name,country,incorporated,kind,parent,parent_share,control,aliases,source,as_of,note
a,A,US,US,company,,,,,https://a.example,2026-01-01,
b,B,USA,US,company,a,150,yes,,https://b.example,2026-01-01,
c,C,FR,FR,company,zz,50,yes,,,2026-13-01,
d,D,FR,FR,company,e,100,yes,,https://d.example,2026-01-01,
e,E,FR,FR,company,d,100,yes,,https://e.example,2026-01-01,
a,A again,US,US,company,,,,,https://a.example,2026-01-01,
f,F,XX,FR,company,,,,,https://f.example,2026-01-01,
";
        let matchers = "kind,pattern,entity,confidence,note
purl,pkg:npm/x,a,high,
purl,pkg:npm/x,d,high,
name,nobody,ghost,high,
domain,a.example,a,certain,
";
        let juris = "code,name,kind,members,source,as_of\nUS,United States,country,,https://iso.example,2026-01-01\nFR,France,country,,https://iso.example,2026-01-01\n";
        let problems = validate(&[
            ("v/entities.csv".into(), entities.into()),
            ("v/matchers.csv".into(), matchers.into()),
            ("v/jurisdictions.csv".into(), juris.into()),
        ]);
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let has = |needle: &str| {
            assert!(
                text.iter().any(|t| t.contains(needle)),
                "missing {needle:?} in {text:#?}"
            )
        };
        has("v/entities.csv:3: country \"USA\"");
        has("v/entities.csv:3: parent_share \"150\"");
        has("v/entities.csv:4: parent \"zz\"");
        has("v/entities.csv:4: entity \"c\" has no source URL");
        has("v/entities.csv:4: entity \"c\": as_of \"2026-13-01\"");
        has("ownership cycle");
        has("v/entities.csv:7: duplicate of v/entities.csv:2");
        has("v/entities.csv:8: country \"XX\" is not an ISO 3166-1 alpha-2 code");
        has("v/matchers.csv:3: conflicting matcher");
        has("v/matchers.csv:4: matcher names undefined entity \"ghost\"");
        has("v/matchers.csv:5: confidence \"certain\"");
    }

    #[test]
    fn a_product_licence_is_quoted_or_said_unconfirmed() {
        let entities = "id,name,country,incorporated,kind,parent,parent_share,control,aliases,source,as_of,source_quote,quote_states,note
v,V,US,US,company,,,,,https://v.example,2026-01-01,\"V, Inc., a Delaware corporation\",name;country,
";
        let products = "id,product,vendor,licence,online,layers,names,cpes,purls,source,as_of,source_quote,note
quoted,Quoted,v,proprietary,no,database,Quoted DB,,,https://v.example/eula,2026-01-01,This software is licensed not sold.,
bare,Bare,v,proprietary,no,database,Bare DB,,,https://v.example/b,2026-01-01,,
said,Said,v,proprietary,no,database,Said DB,,,https://v.example/s,2026-01-01,paraphrase: it is licensed,a note
owned,Owned,v,proprietary,no,database,Owned DB,,,https://v.example/o,2026-01-01,paraphrase: it is licensed,unconfirmed: the licence model
";
        let juris = "code,name,kind,members,source,as_of\nUS,United States,country,,https://iso.example,2026-01-01\n";
        let problems = validate(&[
            ("v/entities.csv".into(), entities.into()),
            ("v/products.csv".into(), products.into()),
            ("v/jurisdictions.csv".into(), juris.into()),
        ]);
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let at = |line: usize| {
            text.iter()
                .any(|t| t.contains(&format!("v/products.csv:{line}:")))
        };
        assert!(!at(2) && !at(5), "{text:#?}");
        assert!(at(3) && at(4), "{text:#?}");
        assert!(
            text.iter()
                .any(|t| t.contains("product \"bare\": no source_quote")),
            "{text:#?}"
        );
    }

    #[test]
    fn dates() {
        assert!(is_date("2026-11-23"));
        assert!(!is_date("2026-11-32") && !is_date("23/11/2026") && !is_date(""));
    }
}
