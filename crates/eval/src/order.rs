//! Field order as cue v0.17 prints it: a graph of "comes before" edges between labels, built
//! from the struct literals unified into a vertex, sorted topologically with ties (and cycles)
//! broken by label.
//!
//! The rules, as cue's `internal/core/toposort` applies them:
//! - Each literal is placed at a position: the position of the outermost reference it was
//!   reached through, else of its field declared last (in arc order). Literals are sorted by
//!   position (file name, then offset); those with dynamic labels go last among equals.
//! - Literals at the same position form a batch, as do literals that are operands of an explicit
//!   `&` (consecutive such batches of one file merge). The literals of a batch all start from
//!   the labels the previous batch ended with; otherwise each literal continues the chain.
//! - Within a literal each new label gets an edge from the chain so far. A label already placed
//!   by another literal of the same file is skipped during implicit unification.
//! - A literal added several times (comprehension iterations) is walked once per addition;
//!   each walk takes the next label its dynamic fields produced.
//! - The graph's strongly connected components are visited in topological order, the smallest
//!   ready component first (components compare by their sorted labels; list indices sort
//!   before names, names by bytes).

use std::cmp::Ordering;
use std::collections::VecDeque;

use crate::ir::{FxMap as HashMap, FxSet as HashSet};

use crate::eval::Evaluator;
use crate::ir::{Decl, Expr, ExprId, Label, Pos};
use crate::vertex::{StructRecord, VertexId};

/// One struct literal of the vertex being ordered, with what the sort computes about it.
struct Meta {
    pos: Pos,
    explicit: bool,
    has_dynamic: bool,
}

/// Whether the vertex's fields all come from one literal, added once, in its declaration
/// order: the graph is then that one chain and the sort would keep the arcs as they are (most
/// struct vertices are like this, so this skips building the graph for them).
fn single_literal_in_order(vx: &crate::vertex::Vertex) -> bool {
    let [rec] = vx.structs.as_slice() else {
        return false;
    };
    if rec.repeats != 0 {
        return false;
    }
    let mut next = 0;
    for d in &rec.lit.decls {
        match d {
            Decl::Field { label, .. } => match vx.arcs.get_index_of(label) {
                Some(i) if i == next => next += 1,
                // A label declared again in the literal adds no edge.
                Some(i) if i < next => {}
                _ => return false,
            },
            Decl::Dynamic { .. } => return false,
            _ => {}
        }
    }
    next == vx.arcs.len()
}

/// The label graph: nodes by label, edges deduplicated.
#[derive(Default)]
struct Graph {
    labels: Vec<Label>,
    index: HashMap<Label, usize>,
    owner: Vec<Option<usize>>,
    out: Vec<Vec<usize>>,
    edges: HashSet<(usize, usize)>,
}

impl Graph {
    fn node(&mut self, l: Label) -> usize {
        if let Some(&i) = self.index.get(&l) {
            return i;
        }
        self.labels.push(l);
        self.owner.push(None);
        self.out.push(Vec::new());
        self.index.insert(l, self.labels.len() - 1);
        self.labels.len() - 1
    }
    fn edge(&mut self, from: usize, to: usize) {
        if self.edges.insert((from, to)) {
            self.out[from].push(to);
        }
    }
}

impl Evaluator {
    /// Reorders the arcs of a struct vertex into cue's output order.
    pub fn order_fields(&mut self, v: VertexId) {
        let vx = self.vx(v);
        if vx.list.is_some() || vx.arcs.len() < 2 || vx.structs.is_empty() {
            return;
        }
        if single_literal_in_order(vx) {
            return;
        }
        let recs: Vec<StructRecord> = vx.structs.clone();
        let arcs: Vec<(Label, VertexId)> = vx.arcs.iter().map(|(l, a)| (*l, *a)).collect();
        let mut graph = Graph::default();
        for (l, _) in &arcs {
            graph.node(*l);
        }

        // Positions: the last field (in arc order) of each literal, or the outermost reference
        // it came through; every literal reached through one reference shares its position.
        let mut metas: Vec<Meta> = recs
            .iter()
            .map(|r| Meta {
                pos: r.lit.pos,
                explicit: false,
                has_dynamic: false,
            })
            .collect();
        let mut by_ref: HashMap<ExprId, Vec<usize>> = HashMap::default();
        // Labels each dynamic field produced, in arc order.
        let mut dyn_labels: HashMap<(usize, usize), VecDeque<Label>> = HashMap::default();
        for (l, a) in &arcs {
            for o in &self.vx(*a).origins {
                let (rec, decl) = (o.rec as usize, o.decl as usize);
                if rec >= metas.len() {
                    continue;
                }
                metas[rec].pos = o.pos;
                if matches!(recs[rec].lit.decls.get(decl), Some(Decl::Dynamic { .. })) {
                    dyn_labels.entry((rec, decl)).or_default().push_back(*l);
                    metas[rec].has_dynamic = true;
                }
                if let Some(via) = o.via {
                    let group = by_ref.entry(via.expr).or_default();
                    if !group.contains(&rec) {
                        group.push(rec);
                    }
                    for &g in group.iter() {
                        metas[g].pos = via.pos;
                    }
                }
            }
        }

        let reached: std::collections::HashSet<usize> =
            by_ref.values().flatten().copied().collect();
        for (r, rec) in recs.iter().enumerate() {
            if !reached.contains(&r) && !metas[r].has_dynamic {
                if let Some(p) = self.trailing_let_pos(rec) {
                    metas[r].pos = p;
                }
            }
        }

        self.mark_explicit(v, &recs, &by_ref, &mut metas);

        // Roots by position; literals with dynamic labels last among equals.
        let mut roots: Vec<usize> = (0..recs.len()).collect();
        roots.sort_by(|&a, &b| {
            self.cmp_pos(metas[a].pos, metas[b].pos)
                .then(metas[a].has_dynamic.cmp(&metas[b].has_dynamic))
        });

        let mut batches: Vec<Vec<usize>> = Vec::new();
        let mut batch: Vec<usize> = Vec::new();
        let mut i = 0;
        while i < roots.len() {
            let first = roots[i];
            let mut end = i + 1;
            if recs[first].comp_id != 0 {
                while end < roots.len() && recs[roots[end]].comp_id == recs[first].comp_id {
                    end += 1;
                }
            }
            for _ in 0..=recs[first].repeats {
                for &r in &roots[i..end] {
                    let joins = batch
                        .first()
                        .is_some_and(|&b| metas[b].pos == metas[r].pos && !metas[r].has_dynamic);
                    if batch.is_empty() || joins {
                        batch.push(r);
                    } else {
                        let done = std::mem::replace(&mut batch, vec![r]);
                        self.append_batch(&mut batches, done, &metas);
                    }
                }
            }
            i = end;
        }
        self.append_batch(&mut batches, batch, &metas);

        let mut previous: Vec<usize> = Vec::new();
        let mut prev_file: Option<u32> = None;
        for batch in &batches {
            let explicit = batch_explicit(batch, &metas);
            let file = metas[batch[0]].pos.file;
            if prev_file.is_some_and(|f| f != file) {
                previous.clear();
            }
            let mut next = Vec::new();
            for &r in batch {
                metas[r].explicit = explicit;
                next.extend(self.add_edges(
                    &mut graph,
                    &previous,
                    r,
                    &recs[r],
                    &metas,
                    &mut dyn_labels,
                ));
            }
            previous = next;
            prev_file = Some(file);
        }

        let order = self.sort_graph(&graph);
        let rank: HashMap<Label, usize> = order
            .iter()
            .enumerate()
            .map(|(p, &n)| (graph.labels[n], p))
            .collect();
        let mut sorted = arcs.clone();
        sorted.sort_by_key(|(l, _)| rank.get(l).copied().unwrap_or(usize::MAX));
        if sorted != arcs {
            self.vxm(v).inserted = Some(arcs.iter().map(|(l, _)| *l).collect());
        }
        self.vxm(v).arcs = sorted.into_iter().collect();
    }

    /// cue keeps a literal's `let`s as arcs of the vertex, added in declaration order after
    /// the arcs of the fields before them; a `let` after all of a literal's fields is thus the
    /// literal's last arc, and its position the literal's. None when a field follows the lets.
    fn trailing_let_pos(&self, rec: &StructRecord) -> Option<Pos> {
        let last_let = rec
            .lit
            .lets
            .iter()
            .map(|&e| self.prog.node(e).pos)
            .filter(|p| p.file == rec.lit.pos.file)
            .max_by_key(|p| p.offset)?;
        let after_fields = rec.lit.decls.iter().all(|d| match d {
            Decl::Field { pos, .. } | Decl::Dynamic { pos, .. } => {
                pos.file == last_let.file && pos.offset < last_let.offset
            }
            _ => true,
        });
        after_fields.then_some(last_let)
    }

    /// Marks the literals that are operands of an explicit `&` in a conjunct of `v` or in an
    /// embedding of one of its literals.
    fn mark_explicit(
        &self,
        v: VertexId,
        recs: &[StructRecord],
        by_ref: &HashMap<ExprId, Vec<usize>>,
        metas: &mut [Meta],
    ) {
        let mut work: Vec<ExprId> = self
            .vx(v)
            .conjuncts
            .iter()
            .filter_map(|c| match c.src {
                crate::vertex::Src::Expr(e) => Some(e),
                crate::vertex::Src::Vertex(_) => None,
            })
            .collect();
        for r in recs {
            for d in &r.lit.decls {
                if let Decl::Embed(x) = d {
                    work.push(*x);
                }
            }
        }
        let mut steps = 0usize;
        while let Some(e) = work.pop() {
            steps += 1;
            if steps > 100_000 {
                break;
            }
            let Expr::And(x, y) = &self.prog.node(e).expr else {
                continue;
            };
            for z in [*x, *y] {
                if let Some(group) = by_ref.get(&z) {
                    for &g in group {
                        metas[g].explicit = true;
                    }
                }
                if let Expr::Struct(lit) = &self.prog.node(z).expr {
                    for (i, r) in recs.iter().enumerate() {
                        if std::sync::Arc::ptr_eq(&r.lit, lit) {
                            metas[i].explicit = true;
                        }
                    }
                }
                work.push(z);
            }
        }
    }

    fn append_batch(&self, batches: &mut Vec<Vec<usize>>, batch: Vec<usize>, metas: &[Meta]) {
        if batch.is_empty() {
            return;
        }
        if let Some(last) = batches.last_mut() {
            if batch_explicit(&batch, metas)
                && batch_explicit(last, metas)
                && metas[batch[0]].pos.file == metas[last[0]].pos.file
            {
                last.extend(batch);
                return;
            }
        }
        batches.push(batch);
    }

    /// Chains the labels of literal `r` after `previous`; returns the chain's end.
    fn add_edges(
        &self,
        graph: &mut Graph,
        previous: &[usize],
        r: usize,
        rec: &StructRecord,
        metas: &[Meta],
        dyn_labels: &mut HashMap<(usize, usize), VecDeque<Label>>,
    ) -> Vec<usize> {
        let mut previous = previous.to_vec();
        let file = metas[r].pos.file;
        for (di, d) in rec.lit.decls.iter().enumerate() {
            let label = match d {
                Decl::Field { label, .. } => Some(*label),
                Decl::Dynamic { .. } => dyn_labels.get_mut(&(r, di)).and_then(|q| q.pop_front()),
                _ => None,
            };
            let Some(label) = label else { continue };
            let n = graph.node(label);
            match graph.owner[n] {
                // Declared again in the same literal.
                Some(o) if o == r => continue,
                // Declared again by another literal of the same file (implicit unification).
                Some(o) if !metas[r].explicit && metas[o].pos.file == file => continue,
                _ => {}
            }
            graph.owner[n] = Some(r);
            for &p in &previous {
                graph.edge(p, n);
            }
            previous = vec![n];
        }
        previous
    }

    /// cue's position order: by file name, then offset.
    fn cmp_pos(&self, a: Pos, b: Pos) -> Ordering {
        if a == b {
            return Ordering::Equal;
        }
        if a.file != b.file {
            let name = |f: u32| self.prog.file(f).map(|s| s.name.as_str()).unwrap_or("");
            let (na, nb) = (name(a.file), name(b.file));
            let abs = |n: &str| n.starts_with('/');
            let c = abs(nb).cmp(&abs(na)).then(na.cmp(nb));
            if c != Ordering::Equal {
                return c;
            }
        }
        a.offset.cmp(&b.offset)
    }

    fn cmp_label(&self, a: Label, b: Label) -> Ordering {
        match (a, b) {
            (Label::Index(x), Label::Index(y)) => x.cmp(&y),
            (Label::Index(_), _) => Ordering::Less,
            (_, Label::Index(_)) => Ordering::Greater,
            _ => self.label_name(a).cmp(self.label_name(b)),
        }
    }

    fn label_name(&self, l: Label) -> &str {
        match l {
            Label::Field(s) | Label::Def(s) | Label::Hidden(s) | Label::HiddenDef(s) => {
                self.interner.name(s)
            }
            Label::Index(_) => "",
        }
    }

    /// Topological order of the graph's strongly connected components, the smallest ready
    /// component first; the labels of one component in label order.
    fn sort_graph(&self, g: &Graph) -> Vec<usize> {
        let n = g.labels.len();
        let comp = strongly_connected(&g.out);
        let ncomp = comp.iter().copied().max().map_or(0, |m| m + 1);
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); ncomp];
        for (node, &c) in comp.iter().enumerate() {
            members[c].push(node);
        }
        for m in &mut members {
            m.sort_by(|&a, &b| self.cmp_label(g.labels[a], g.labels[b]));
        }
        let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); ncomp];
        let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); ncomp];
        for from in 0..n {
            for &to in &g.out[from] {
                let (a, b) = (comp[from], comp[to]);
                if a != b && !incoming[b].contains(&a) {
                    incoming[b].push(a);
                    outgoing[a].push(b);
                }
            }
        }
        let cmp_comp = |a: &usize, b: &usize| {
            let (ma, mb) = (&members[*a], &members[*b]);
            for (x, y) in ma.iter().zip(mb.iter()) {
                let c = self.cmp_label(g.labels[*x], g.labels[*y]);
                if c != Ordering::Equal {
                    return c;
                }
            }
            ma.len().cmp(&mb.len())
        };
        let mut visited = vec![false; ncomp];
        let mut ready: Vec<usize> = (0..ncomp).filter(|&c| incoming[c].is_empty()).collect();
        ready.sort_by(cmp_comp);
        let mut ready: VecDeque<usize> = ready.into();
        let mut order = Vec::with_capacity(n);
        while let Some(cur) = ready.pop_front() {
            if visited[cur] {
                continue;
            }
            visited[cur] = true;
            order.extend(members[cur].iter().copied());
            let mut added = false;
            for &next in &outgoing[cur] {
                if incoming[next].iter().all(|&p| visited[p]) {
                    ready.push_back(next);
                    added = true;
                }
            }
            if added {
                let mut r: Vec<usize> = ready.into();
                r.sort_by(cmp_comp);
                ready = r.into();
            }
        }
        order
    }
}

fn batch_explicit(batch: &[usize], metas: &[Meta]) -> bool {
    batch.len() > 1 || (batch.len() == 1 && metas[batch[0]].explicit)
}

/// Tarjan's strongly connected components, iteratively (no recursion on deep graphs): the
/// component index of every node.
fn strongly_connected(out: &[Vec<usize>]) -> Vec<usize> {
    let n = out.len();
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut comp = vec![UNSEEN; n];
    let mut next_index = 0;
    let mut ncomp = 0;
    for start in 0..n {
        if index[start] != UNSEEN {
            continue;
        }
        // (node, next edge to look at)
        let mut call: Vec<(usize, usize)> = vec![(start, 0)];
        index[start] = next_index;
        low[start] = next_index;
        next_index += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (node, ref mut ei)) = call.last_mut() {
            if let Some(&to) = out[node].get(*ei) {
                *ei += 1;
                if index[to] == UNSEEN {
                    index[to] = next_index;
                    low[to] = next_index;
                    next_index += 1;
                    stack.push(to);
                    on_stack[to] = true;
                    call.push((to, 0));
                } else if on_stack[to] {
                    low[node] = low[node].min(index[to]);
                }
                continue;
            }
            call.pop();
            if let Some(&(parent, _)) = call.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = ncomp;
                    if w == node {
                        break;
                    }
                }
                ncomp += 1;
            }
        }
    }
    comp
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    #[test]
    fn components_of_a_cycle_and_a_tail() {
        // 0 -> 1 -> 2 -> 0, 2 -> 3
        let out = vec![vec![1], vec![2], vec![0, 3], vec![]];
        let c = strongly_connected(&out);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[2], c[3]);
    }
}
