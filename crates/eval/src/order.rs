//! Field order as cue prints it: a topological sort of the orders in which the struct literals
//! unified into a vertex declare their fields, literals taken by position, ties by name.

use std::collections::{BTreeSet, HashMap};

use crate::eval::Evaluator;
use crate::ir::Label;
use crate::vertex::VertexId;

impl Evaluator {
    /// Reorders the arcs of a struct vertex into cue's output order.
    pub fn order_fields(&mut self, v: VertexId) {
        let vx = self.vx(v);
        if vx.list.is_some() || vx.arcs.len() < 2 || vx.structs.is_empty() {
            return;
        }
        let mut recs: Vec<&crate::vertex::StructRecord> = vx.structs.iter().collect();
        recs.sort_by_key(|r| (r.pos.file, r.pos.offset));
        let labels: Vec<Label> = vx.arcs.keys().copied().collect();
        let index: HashMap<Label, usize> =
            labels.iter().enumerate().map(|(i, l)| (*l, i)).collect();
        let n = labels.len();
        let mut owner: Vec<Option<usize>> = vec![None; n];
        let mut edges: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        let mut previous: Vec<usize> = Vec::new();
        let mut prev_file = None;
        let mut i = 0;
        while i < recs.len() {
            // Literals at the same position (one comprehension, many iterations) form a batch:
            // each starts from the same predecessors.
            let mut j = i + 1;
            while j < recs.len()
                && recs[j].pos == recs[i].pos
                && !recs[i].dynamic
                && !recs[j].dynamic
            {
                j += 1;
            }
            let file = recs[i].pos.file;
            if prev_file.is_some_and(|f| f != file) {
                previous.clear();
            }
            prev_file = Some(file);
            let mut next_all = Vec::new();
            for (ri, rec) in recs[i..j].iter().enumerate() {
                let rid = i + ri;
                let mut prev = previous.clone();
                for l in rec.labels.iter().flatten() {
                    let Some(&k) = index.get(l) else { continue };
                    match owner[k] {
                        Some(o) if o == rid => continue,
                        Some(o) if recs[o].pos.file == file => continue,
                        _ => {}
                    }
                    owner[k] = Some(rid);
                    for &p in &prev {
                        if p != k {
                            edges[p].insert(k);
                        }
                    }
                    prev = vec![k];
                }
                next_all.extend(prev);
            }
            next_all.sort_unstable();
            next_all.dedup();
            previous = next_all;
            i = j;
        }
        let mut indeg = vec![0usize; n];
        for e in &edges {
            for &t in e {
                indeg[t] += 1;
            }
        }
        let names: Vec<String> = labels.iter().map(|l| self.sort_name(*l)).collect();
        let key = |k: usize| {
            (
                matches!(labels[k], Label::Index(_)) as u8 ^ 1,
                names[k].clone(),
            )
        };
        let mut done = vec![false; n];
        let mut order = Vec::with_capacity(n);
        let mut ready: BTreeSet<((u8, String), usize)> = (0..n)
            .filter(|&k| indeg[k] == 0)
            .map(|k| (key(k), k))
            .collect();
        while order.len() < n {
            let k = match ready.pop_first() {
                Some((_, k)) => k,
                // A cycle of orders: take the smallest remaining name.
                None => match (0..n)
                    .filter(|&k| !done[k])
                    .min_by(|a, b| key(*a).cmp(&key(*b)))
                {
                    Some(k) => k,
                    None => break,
                },
            };
            if done[k] {
                continue;
            }
            done[k] = true;
            order.push(k);
            for &t in &edges[k] {
                indeg[t] = indeg[t].saturating_sub(1);
                if indeg[t] == 0 && !done[t] {
                    ready.insert((key(t), t));
                }
            }
        }
        let vx = self.vxm(v);
        let old = std::mem::take(&mut vx.arcs);
        let mut arcs: Vec<(Label, VertexId)> = old.into_iter().collect();
        let pos_of: HashMap<usize, usize> =
            order.iter().enumerate().map(|(p, k)| (*k, p)).collect();
        let mut idx: Vec<usize> = (0..arcs.len()).collect();
        idx.sort_by_key(|k| pos_of.get(k).copied().unwrap_or(usize::MAX));
        let mut sorted = Vec::with_capacity(arcs.len());
        for k in idx {
            sorted.push(arcs[k]);
        }
        arcs.clear();
        vx.arcs = sorted.into_iter().collect();
    }

    fn sort_name(&self, l: Label) -> String {
        match l {
            Label::Index(i) => format!("{i:010}"),
            Label::Field(s) | Label::Def(s) | Label::Hidden(s) | Label::HiddenDef(s) => {
                self.interner.name(s).to_string()
            }
        }
    }
}
