//! Graph exports: Graphviz DOT and GraphML of the bid → layer → component
//! graph, with attribution to entities and the entities' chains of ownership.

use crate::registry::EntityKind;
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

/// A node's label: written out, or a component's name and version, formatted when written
/// (a million components need no million label strings held at once).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Label<'a> {
    Text(String),
    Component(&'a str, Option<&'a str>),
}

impl Label<'_> {
    fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Label::Text(t) => t.as_str().into(),
            Label::Component(name, Some(v)) => format!("{name} {v}").into(),
            Label::Component(name, None) => (*name).into(),
        }
    }
}

/// Where a node comes from, so that edges can name it by its rank once nodes are sorted.
#[derive(Clone, Copy)]
enum Origin<'a> {
    Bid(usize),
    Layer(usize, usize),
    Item(usize, usize),
    Entity(&'a str),
    /// An edge end that is no node: a layer index a bid without layers names (report, index).
    Missing(usize, usize),
}

struct Node<'a> {
    id: String,
    label: Label<'a>,
    kind: &'static str,
    colour: &'static str,
    origin: Origin<'a>,
}

impl Node<'_> {
    /// Ids first, as the written files are ordered, then label, kind and colour; an edge end
    /// that is no node comes after the nodes of the same id.
    fn order(&self, other: &Self) -> std::cmp::Ordering {
        self.id
            .cmp(&other.id)
            .then_with(|| {
                matches!(self.origin, Origin::Missing(..))
                    .cmp(&matches!(other.origin, Origin::Missing(..)))
            })
            .then_with(|| match (&self.label, &other.label) {
                (Label::Text(a), Label::Text(b)) => a.cmp(b),
                (a, b) => a.text().cmp(&b.text()),
            })
            .then_with(|| self.kind.cmp(other.kind))
            .then_with(|| self.colour.cmp(other.colour))
    }
}

/// An edge end before ranks are known.
enum End<'a> {
    Bid(usize),
    Layer(usize, usize),
    Item(usize, usize),
    Entity(&'a str),
}

/// Nodes and edges shared by both formats: the nodes sorted by id (one per id), and the
/// edges as (from, to, kind) with both ends the rank of their node's id, so that sorting
/// them by number sorts them by id. Component labels and ids are borrowed or formatted
/// once; nothing else of a component is built.
struct Graph<'a> {
    /// Sorted; `keep` marks the one node written for each id.
    nodes: Vec<Node<'a>>,
    keep: Vec<bool>,
    /// The index in `nodes` of each rank's first node.
    first: Vec<u32>,
    edges: Vec<(u32, u32, &'static str)>,
}

impl Graph<'_> {
    fn written(&self) -> impl Iterator<Item = &Node<'_>> {
        self.nodes
            .iter()
            .zip(&self.keep)
            .filter(|(_, k)| **k)
            .map(|(n, _)| n)
    }

    fn id(&self, rank: u32) -> &str {
        &self.nodes[self.first[rank as usize] as usize].id
    }
}

fn collect(reports: &[Report]) -> Graph<'_> {
    let mut nodes = Vec::new();
    let mut pending: Vec<(End, End, &'static str)> = Vec::new();
    let mut entities: BTreeSet<(&str, String)> = BTreeSet::new();
    let mut missing_layers: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (ri, r) in reports.iter().enumerate() {
        nodes.push(Node {
            id: format!("bid:{}", r.bid.id),
            label: Label::Text(r.bid.title.clone()),
            kind: "bid",
            colour: "#000000",
            origin: Origin::Bid(ri),
        });
        for (i, l) in r.layers.iter().enumerate() {
            nodes.push(Node {
                id: format!("layer:{}:{i}", r.bid.id),
                label: Label::Text(format!("{} ({})", l.layer, l.control)),
                kind: "layer",
                colour: colour(l.control),
                origin: Origin::Layer(ri, i),
            });
            pending.push((End::Bid(ri), End::Layer(ri, i), "offers"));
            if let Some(e) = &l.engine {
                pending.push((End::Layer(ri, i), End::Entity(&e.entity), "governed-by"));
                entities.insert((&e.entity, format!("{} ({})", e.name, e.country)));
            }
            for w in l.engine_chain.windows(2) {
                for link in w {
                    entities.insert((&link.entity, format!("{} ({})", link.name, link.country)));
                }
                pending.push((
                    End::Entity(&w[0].entity),
                    End::Entity(&w[1].entity),
                    "owned-by",
                ));
            }
        }
        let layer_index = |name: &str| r.layers.iter().position(|l| l.layer == name).unwrap_or(0);
        for (ci, c) in r.components.graph_items().enumerate() {
            let colour = match c.controller {
                Some(k) if r.home_countries.contains(&k.country) => "#0072B2",
                Some(k) if matches!(k.kind, EntityKind::Foundation | EntityKind::Community) => {
                    "#009E73"
                }
                Some(_) => "#D55E00",
                None => "#8c8c8c",
            };
            nodes.push(Node {
                id: format!("item:{}:{}", r.bid.id, c.reference),
                label: Label::Component(c.name, c.version),
                kind: "component",
                colour,
                origin: Origin::Item(ri, ci),
            });
            let li = layer_index(c.layer);
            if li >= r.layers.len() {
                missing_layers.insert((ri, li));
            }
            pending.push((End::Layer(ri, li), End::Item(ri, ci), "made-of"));
            if let Some((entity, name, country)) = c.attribution {
                entities.insert((entity, format!("{name} ({country})")));
                pending.push((End::Item(ri, ci), End::Entity(entity), "attributed-to"));
            }
        }
        for (x, y, kind) in r.components.dependency_indices() {
            pending.push((End::Item(ri, x), End::Item(ri, y), kind));
        }
    }
    for (id, label) in entities {
        nodes.push(Node {
            id: format!("entity:{id}"),
            label: Label::Text(label),
            kind: "entity",
            colour: "#CC79A7",
            origin: Origin::Entity(id),
        });
    }
    for &(ri, li) in &missing_layers {
        nodes.push(Node {
            id: format!("layer:{}:{li}", reports[ri].bid.id),
            label: Label::Text(String::new()),
            kind: "",
            colour: "",
            origin: Origin::Missing(ri, li),
        });
    }
    nodes.sort_unstable_by(Node::order);
    // The rank of each id, and each origin's rank.
    let mut bid_rank = vec![0u32; reports.len()];
    let mut layer_rank: Vec<Vec<u32>> = reports.iter().map(|r| vec![0; r.layers.len()]).collect();
    let mut item_rank: Vec<Vec<u32>> = reports
        .iter()
        .map(|r| vec![0; r.components.len()])
        .collect();
    let mut entity_rank = std::collections::HashMap::new();
    let mut missing_rank = std::collections::HashMap::new();
    let mut rank = 0u32;
    let mut keep = Vec::with_capacity(nodes.len());
    let mut first = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        let first_of_id = i == 0 || nodes[i - 1].id != n.id;
        if first_of_id && i > 0 {
            rank += 1;
        }
        if first_of_id {
            first.push(i as u32);
        }
        match n.origin {
            Origin::Bid(r) => bid_rank[r] = rank,
            Origin::Layer(r, l) => layer_rank[r][l] = rank,
            Origin::Item(r, c) => item_rank[r][c] = rank,
            Origin::Entity(e) => {
                entity_rank.insert(e, rank);
            }
            Origin::Missing(r, l) => {
                missing_rank.insert((r, l), rank);
            }
        }
        keep.push(first_of_id && !matches!(n.origin, Origin::Missing(..)));
    }
    let rank_of = |end: &End| -> u32 {
        match *end {
            End::Bid(r) => bid_rank[r],
            End::Layer(r, l) if l < reports[r].layers.len() => layer_rank[r][l],
            End::Layer(r, l) => missing_rank[&(r, l)],
            End::Item(r, c) => item_rank[r][c],
            End::Entity(e) => entity_rank[e],
        }
    };
    let mut edges: Vec<(u32, u32, &'static str)> = pending
        .iter()
        .map(|(a, b, kind)| (rank_of(a), rank_of(b), *kind))
        .collect();
    drop(pending);
    edges.sort_unstable();
    edges.dedup();
    Graph {
        nodes,
        keep,
        first,
        edges,
    }
}

pub fn dot(reports: &[Report]) -> String {
    let mut out = Vec::new();
    write_dot(reports, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
}

/// `graph.dot` written to `w` node by node.
pub fn write_dot(reports: &[Report], s: &mut dyn std::io::Write) -> std::io::Result<()> {
    let g = collect(reports);
    s.write_all(
        b"digraph coquille {\n  rankdir=LR;\n  node [fontname=\"DejaVu Sans\", fontsize=10];\n",
    )?;
    for n in g.written() {
        let shape = match n.kind {
            "bid" => "doubleoctagon",
            "layer" => "box",
            "entity" => "house",
            _ => "ellipse",
        };
        writeln!(
            s,
            "  {} [label={}, shape={shape}, color={}];",
            dot_str(&n.id),
            dot_str(&n.label.text()),
            dot_str(n.colour)
        )?;
    }
    for &(a, b, kind) in &g.edges {
        writeln!(
            s,
            "  {} -> {} [label={}];",
            dot_str(g.id(a)),
            dot_str(g.id(b)),
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
    let g = collect(reports);
    s.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n  <key id=\"label\" for=\"all\" attr.name=\"label\" attr.type=\"string\"/>\n  <key id=\"kind\" for=\"all\" attr.name=\"kind\" attr.type=\"string\"/>\n  <key id=\"color\" for=\"node\" attr.name=\"color\" attr.type=\"string\"/>\n  <graph id=\"coquille\" edgedefault=\"directed\">\n",
    )?;
    for n in g.written() {
        writeln!(
            s,
            "    <node id=\"{}\"><data key=\"label\">{}</data><data key=\"kind\">{}</data><data key=\"color\">{}</data></node>",
            xml(&n.id),
            xml(&n.label.text()),
            n.kind,
            n.colour
        )?;
    }
    for (i, &(a, b, kind)) in g.edges.iter().enumerate() {
        writeln!(
            s,
            "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\"><data key=\"kind\">{}</data></edge>",
            xml(g.id(a)),
            xml(g.id(b)),
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
