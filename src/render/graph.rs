//! Graph exports: Graphviz DOT and GraphML of the bid → layer → component
//! graph, with attribution to entities and the entities' chains of ownership.

use crate::report::Report;
use std::collections::BTreeSet;

/// A DOT string literal: quotes, backslashes and line breaks escaped, control characters dropped.
pub fn dot_str(s: &str) -> String {
    // Printable ASCII without quotes or backslashes, short enough: quoted as it is.
    if s.len() <= DOT_LABEL_CHARS
        && s.bytes()
            .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
    {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
        return out;
    }
    let mut out = String::from("\"");
    let mut chars = s.chars();
    for c in chars.by_ref().take(DOT_LABEL_CHARS) {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c if super::escape::is_bidi_control(c) || super::escape::is_xml_illegal(c) => {
                out.push('\u{fffd}')
            }
            c => out.push(c),
        }
    }
    if chars.next().is_some() {
        out.push('…');
    }
    out.push('"');
    out
}

/// Graphviz refuses labels of 16 KiB or more: names are cut well before.
const DOT_LABEL_CHARS: usize = 1000;

fn xml(s: &str) -> String {
    crate::render::html::esc(s)
}

fn colour(control: &str) -> &'static str {
    match control {
        "home" => "#0072B2",
        "foreign" => "#D55E00",
        "foreign-supply" => "#E69F00",
        "community" => "#009E73",
        _ => "#8c8c8c",
    }
}

/// Nodes and edges shared by both formats: (id, label, kind, colour) and (from, to, kind).
type Graph = (
    Vec<(String, String, &'static str, &'static str)>,
    Vec<(String, String, String)>,
);

fn collect(reports: &[Report]) -> Graph {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    let mut entities: BTreeSet<(String, String)> = BTreeSet::new();
    for r in reports {
        let bid = format!("bid:{}", r.bid.id);
        nodes.push((bid.clone(), r.bid.title.clone(), "bid", "#000000"));
        for (i, l) in r.layers.iter().enumerate() {
            let lid = format!("layer:{}:{i}", r.bid.id);
            nodes.push((
                lid.clone(),
                format!("{} ({})", l.layer, l.control),
                "layer",
                colour(l.control),
            ));
            edges.push((bid.clone(), lid.clone(), "offers".into()));
            if let Some(e) = &l.engine {
                edges.push((
                    lid.clone(),
                    format!("entity:{}", e.entity),
                    "governed-by".into(),
                ));
            }
            for w in l.engine_chain.windows(2) {
                entities.insert((
                    w[0].entity.clone(),
                    format!("{} ({})", w[0].name, w[0].country),
                ));
                entities.insert((
                    w[1].entity.clone(),
                    format!("{} ({})", w[1].name, w[1].country),
                ));
                edges.push((
                    format!("entity:{}", w[0].entity),
                    format!("entity:{}", w[1].entity),
                    "owned-by".into(),
                ));
            }
            if let Some(e) = &l.engine {
                entities.insert((e.entity.clone(), format!("{} ({})", e.name, e.country)));
            }
        }
        let layer_index = |name: &str| r.layers.iter().position(|l| l.layer == name).unwrap_or(0);
        for c in r.components.iter() {
            let cid = format!("item:{}:{}", r.bid.id, c.reference);
            let colour = match &c.controller {
                Some(k) if r.home_countries.contains(&k.country) => "#0072B2",
                Some(k) if k.kind == "foundation" || k.kind == "community" => "#009E73",
                Some(_) => "#D55E00",
                None => "#8c8c8c",
            };
            let label = match &c.version {
                Some(v) => format!("{} {v}", c.name),
                None => c.name.clone(),
            };
            nodes.push((cid.clone(), label, "component", colour));
            edges.push((
                format!("layer:{}:{}", r.bid.id, layer_index(c.layer)),
                cid.clone(),
                "made-of".into(),
            ));
            if let Some(a) = &c.attribution {
                entities.insert((a.entity.clone(), format!("{} ({})", a.name, a.country)));
                edges.push((
                    cid.clone(),
                    format!("entity:{}", a.entity),
                    "attributed-to".into(),
                ));
            }
        }
        for (from, to, kind) in r.components.dependencies() {
            edges.push((
                format!("item:{}:{from}", r.bid.id),
                format!("item:{}:{to}", r.bid.id),
                kind.to_string(),
            ));
        }
    }
    for (id, label) in entities {
        nodes.push((format!("entity:{id}"), label, "entity", "#CC79A7"));
    }
    // Whole tuples are compared, so an unstable sort orders them as a stable one would.
    nodes.sort_unstable();
    nodes.dedup_by(|a, b| a.0 == b.0);
    edges.sort_unstable();
    edges.dedup();
    (nodes, edges)
}

pub fn dot(reports: &[Report]) -> String {
    let mut out = Vec::new();
    write_dot(reports, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
}

/// `graph.dot` written to `w` node by node.
pub fn write_dot(reports: &[Report], s: &mut dyn std::io::Write) -> std::io::Result<()> {
    let (nodes, edges) = collect(reports);
    s.write_all(
        b"digraph coquille {\n  rankdir=LR;\n  node [fontname=\"DejaVu Sans\", fontsize=10];\n",
    )?;
    for (id, label, kind, colour) in &nodes {
        let shape = match *kind {
            "bid" => "doubleoctagon",
            "layer" => "box",
            "entity" => "house",
            _ => "ellipse",
        };
        writeln!(
            s,
            "  {} [label={}, shape={shape}, color={}];",
            dot_str(id),
            dot_str(label),
            dot_str(colour)
        )?;
    }
    for (a, b, kind) in &edges {
        writeln!(
            s,
            "  {} -> {} [label={}];",
            dot_str(a),
            dot_str(b),
            dot_str(kind)
        )?;
    }
    s.write_all(b"}\n")
}

pub fn graphml(reports: &[Report]) -> String {
    let mut out = Vec::new();
    write_graphml(reports, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
}

/// `graph.graphml` written to `w` node by node.
pub fn write_graphml(reports: &[Report], s: &mut dyn std::io::Write) -> std::io::Result<()> {
    let (nodes, edges) = collect(reports);
    s.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n  <key id=\"label\" for=\"all\" attr.name=\"label\" attr.type=\"string\"/>\n  <key id=\"kind\" for=\"all\" attr.name=\"kind\" attr.type=\"string\"/>\n  <key id=\"color\" for=\"node\" attr.name=\"color\" attr.type=\"string\"/>\n  <graph id=\"coquille\" edgedefault=\"directed\">\n",
    )?;
    for (id, label, kind, colour) in &nodes {
        writeln!(
            s,
            "    <node id=\"{}\"><data key=\"label\">{}</data><data key=\"kind\">{kind}</data><data key=\"color\">{colour}</data></node>",
            xml(id),
            xml(label)
        )?;
    }
    for (i, (a, b, kind)) in edges.iter().enumerate() {
        writeln!(
            s,
            "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\"><data key=\"kind\">{}</data></edge>",
            xml(a),
            xml(b),
            xml(kind)
        )?;
    }
    s.write_all(b"  </graph>\n</graphml>\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_strings_cannot_break_out() {
        assert_eq!(
            dot_str("a\"];\nevil [label=\"x"),
            "\"a\\\"];\\nevil [label=\\\"x\""
        );
        assert_eq!(dot_str("back\\slash"), "\"back\\\\slash\"");
        let long = dot_str(&"x".repeat(50_000));
        assert!(long.len() < 1100 && long.ends_with("…\""), "{}", long.len());
        // The plain-ASCII path quotes as the general one does, and cuts at the same length.
        assert_eq!(dot_str("plain name 1.2"), "\"plain name 1.2\"");
        assert_eq!(dot_str(&"y".repeat(1000)).len(), 1002);
        assert!(dot_str(&"y".repeat(1001)).ends_with("…\""));
        assert_eq!(dot_str("tab\there\u{7f}"), "\"tabhere\"");
    }
}
