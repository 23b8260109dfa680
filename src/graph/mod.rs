//! The bid graph: our own type over petgraph, so that the rest of the code
//! speaks of layers and items, never of node indices.
//!
//! Nodes are the bid, its layers and its items (components, services,
//! declared products). Edges point from what needs to what is needed:
//! bid → layer, layer → item, item → item (dependencies and containment),
//! layer → layer below it (runs on). Reverse reachability from an item is the
//! set of everything that stops when it stops.

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Bfs, Reversed, VisitMap};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    Bid,
    Layer(usize),
    Item(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// The bid offers this layer.
    Offers,
    /// The layer is made of this item.
    MadeOf,
    /// An item needs another (dependency or containment).
    Needs,
    /// A layer runs on a lower layer.
    RunsOn,
}

pub struct BidGraph {
    g: DiGraph<Node, Edge>,
    bid: NodeIndex,
    layers: Vec<NodeIndex>,
    items: Vec<NodeIndex>,
}

impl BidGraph {
    pub fn new(layers: usize, items: usize) -> Self {
        let mut g = DiGraph::with_capacity(1 + layers + items, layers + items * 2);
        let bid = g.add_node(Node::Bid);
        let layers: Vec<_> = (0..layers).map(|i| g.add_node(Node::Layer(i))).collect();
        let items: Vec<_> = (0..items).map(|i| g.add_node(Node::Item(i))).collect();
        for &l in &layers {
            g.add_edge(bid, l, Edge::Offers);
        }
        BidGraph {
            g,
            bid,
            layers,
            items,
        }
    }

    pub fn layer_has(&mut self, layer: usize, item: usize) {
        self.g
            .add_edge(self.layers[layer], self.items[item], Edge::MadeOf);
    }

    pub fn item_needs(&mut self, from: usize, to: usize) {
        if from != to {
            self.g
                .add_edge(self.items[from], self.items[to], Edge::Needs);
        }
    }

    pub fn layer_runs_on(&mut self, upper: usize, lower: usize) {
        self.g
            .add_edge(self.layers[upper], self.layers[lower], Edge::RunsOn);
    }

    /// Items with no incoming `Needs` edge (the roots of their documents).
    pub fn has_dependents(&self, item: usize) -> bool {
        self.g
            .edges_directed(self.items[item], Direction::Incoming)
            .any(|e| *e.weight() == Edge::Needs)
    }

    /// Everything that (transitively) needs any of `items`: the blast radius, as the
    /// number of items reached and the layers reached. Counting, rather than collecting
    /// the items, keeps one walk per controller cheap on a million-item graph.
    pub fn dependents(&self, items: &[usize]) -> (usize, BTreeSet<usize>) {
        let mut seen_items = 0;
        let mut seen_layers = BTreeSet::new();
        let Some(&first) = items.first() else {
            return (seen_items, seen_layers);
        };
        // One breadth-first walk from all starts at once: linear in the graph.
        let rev = Reversed(&self.g);
        let mut bfs = Bfs::new(rev, self.items[first]);
        for &i in &items[1..] {
            if bfs.discovered.visit(self.items[i]) {
                bfs.stack.push_back(self.items[i]);
            }
        }
        while let Some(n) = bfs.next(rev) {
            match self.g[n] {
                Node::Item(_) => seen_items += 1,
                Node::Layer(k) => {
                    seen_layers.insert(k);
                }
                Node::Bid => {}
            }
        }
        (seen_items, seen_layers)
    }

    /// The blast radius of several groups of items at once: for each group, the number of
    /// items and the layers that (transitively) need one of its items. One propagation of
    /// bit sets (a bit per group) up the reversed edges, so a node shared by many groups is
    /// visited a few times in all, not once per group.
    pub fn dependents_of_groups(&self, groups: &[Vec<usize>]) -> Vec<(usize, BTreeSet<usize>)> {
        let words = groups.len().div_ceil(64).max(1);
        let n = self.g.node_count();
        let mut masks = vec![0u64; n * words];
        let mut queued = vec![false; n];
        let mut work = std::collections::VecDeque::new();
        for (k, items) in groups.iter().enumerate() {
            for &i in items {
                let v = self.items[i].index();
                masks[v * words + k / 64] |= 1 << (k % 64);
                if !queued[v] {
                    queued[v] = true;
                    work.push_back(v);
                }
            }
        }
        while let Some(v) = work.pop_front() {
            queued[v] = false;
            for u in self
                .g
                .neighbors_directed(NodeIndex::new(v), Direction::Incoming)
            {
                let u = u.index();
                let mut changed = false;
                for w in 0..words {
                    let add = masks[v * words + w] & !masks[u * words + w];
                    if add != 0 {
                        masks[u * words + w] |= add;
                        changed = true;
                    }
                }
                if changed && !queued[u] {
                    queued[u] = true;
                    work.push_back(u);
                }
            }
        }
        let mut out = vec![(0usize, BTreeSet::new()); groups.len()];
        for (v, node) in self.g.node_indices().map(|x| (x.index(), self.g[x])) {
            let m = &masks[v * words..(v + 1) * words];
            for (w, &bits) in m.iter().enumerate() {
                let mut bits = bits;
                while bits != 0 {
                    let k = w * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    match node {
                        Node::Item(_) => out[k].0 += 1,
                        Node::Layer(l) => {
                            out[k].1.insert(l);
                        }
                        Node::Bid => {}
                    }
                }
            }
        }
        out
    }

    pub fn node_count(&self) -> usize {
        self.g.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.g.edge_count()
    }

    pub fn bid(&self) -> NodeIndex {
        self.bid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blast_radius_climbs_dependencies_and_layers() {
        // layer 0 (hardware) <- layer 1 (hypervisor) ; items: 0 server (layer 0), 1 esxi (layer 1), 2 lib used by esxi
        let mut g = BidGraph::new(3, 3);
        g.layer_has(0, 0);
        g.layer_has(1, 1);
        g.item_needs(1, 2);
        g.layer_runs_on(1, 0);
        let (items, layers) = g.dependents(&[2]);
        assert_eq!(items, 2, "the library and the hypervisor that uses it");
        assert_eq!(layers.into_iter().collect::<Vec<_>>(), [1]);
        let (_, layers) = g.dependents(&[0]);
        assert_eq!(
            layers.into_iter().collect::<Vec<_>>(),
            [0, 1],
            "the hypervisor runs on the hardware"
        );
        assert!(g.has_dependents(2));
        assert!(!g.has_dependents(1));
        // All groups at once give what each walk gives alone.
        let groups = vec![vec![2], vec![0], vec![1, 2], vec![]];
        let together = g.dependents_of_groups(&groups);
        for (k, group) in groups.iter().enumerate() {
            assert_eq!(together[k], g.dependents(group), "group {k}");
        }
    }

    #[test]
    fn grouped_radius_matches_one_walk_per_group_on_a_graph_with_cycles() {
        // 70 groups (more than one 64-bit word), cycles, three layers.
        let n = 200;
        let mut g = BidGraph::new(3, n);
        for i in 0..n {
            // Blocks of ten, each a cycle, each needing the next block through its first item.
            if i + 10 < n && i % 10 == 0 {
                g.item_needs(i, i + 10);
            }
            g.item_needs(i, i / 10 * 10 + (i + 1) % 10);
            if i % 50 == 0 {
                g.layer_has(i / 50 % 3, i);
            }
        }
        g.layer_runs_on(2, 1);
        let groups: Vec<Vec<usize>> = (0..70).map(|k| vec![k * 2, (k * 5) % n]).collect();
        let together = g.dependents_of_groups(&groups);
        for (k, group) in groups.iter().enumerate() {
            assert_eq!(together[k], g.dependents(group), "group {k}");
        }
        let sizes: BTreeSet<usize> = together.iter().map(|r| r.0).collect();
        assert!(
            sizes.len() > 5,
            "the groups reach different parts: {sizes:?}"
        );
    }
}
