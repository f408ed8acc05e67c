//! Closedness: each regular field of a finished vertex is checked once against every closing
//! group (definition, `close()`) that declared struct fields in that vertex.

use crate::error::Error;
use crate::eval::Evaluator;
use crate::ir::Label;
use crate::value::Base;
use crate::vertex::*;

impl Evaluator {
    pub fn check_closed(&mut self, v: VertexId) {
        let closing: Vec<u32> = self
            .vx(v)
            .allowed
            .iter()
            .filter(|(g, set)| self.groups[*g as usize].closing && !set.open)
            .map(|(g, _)| *g)
            .collect();
        if closing.is_empty() {
            return;
        }
        let arcs: Vec<(Label, VertexId)> = self.vx(v).arcs.iter().map(|(l, a)| (*l, *a)).collect();
        for (label, a) in arcs {
            if !matches!(label, Label::Field(_)) {
                continue;
            }
            let allowed = self.closing_allows(v, &closing, label);
            if !allowed {
                let pos = self.vx(a).arc_pos.to_vec();
                let ax = self.vxm(a);
                ax.base = Base::Err(Error::eval("field not allowed", pos));
                ax.err_rec = true;
                ax.status = Status::Done;
            }
        }
    }

    /// Whether every closedness requirement of `v` allows `label`. Requirements reached through
    /// an embedding belong to it, and the embeddings of one literal are alternatives: the field
    /// must satisfy all requirements of at least one of them (`{#A, #B}` allows the fields of
    /// `#A` and those of `#B`). The other requirements must all hold.
    fn closing_allows(&mut self, v: VertexId, closing: &[u32], label: Label) -> bool {
        // (sibling class, embedding) -> whether all of that embedding's requirements hold.
        let mut alternatives: Vec<(u32, u32, bool)> = Vec::new();
        for &g in closing {
            let ok = self.group_allows(v, g, label);
            match self.embedding_of(g) {
                Some(e) => {
                    let class = self.groups[e as usize].sib;
                    let ok = ok || self.enclosing_companions_allow(v, e, label);
                    match alternatives
                        .iter_mut()
                        .find(|(c, x, _)| *c == class && *x == e)
                    {
                        Some(entry) => entry.2 &= ok,
                        None => alternatives.push((class, e, ok)),
                    }
                }
                None if !ok => return false,
                None => {}
            }
        }
        let mut classes: Vec<u32> = alternatives.iter().map(|(c, _, _)| *c).collect();
        classes.dedup();
        classes.iter().all(|c| {
            alternatives.iter().any(|(k, _, ok)| k == c && *ok)
                || self.has_unclosed_embedding(v, *c, &alternatives)
        })
    }

    /// Whether an embedding of `class` reached `v` without any closing requirement of its own
    /// (`{#A & #B, {[=~"^Q"]: int}}`): that alternative restricts nothing, so only the
    /// requirements outside the embeddings apply.
    fn has_unclosed_embedding(&self, v: VertexId, class: u32, alts: &[(u32, u32, bool)]) -> bool {
        self.vx(v).allowed.iter().any(|(g, _)| {
            let grp = self.groups[*g as usize];
            grp.embed && grp.sib == class && !grp.closing && !alts.iter().any(|a| a.1 == *g)
        })
    }

    /// Whether the fields of the literal embedding `e`, or of any literal that embeds that one
    /// in turn, declare `label` here: an embedding inside an embedding still embeds into the
    /// outer literal (`{ {#D}, x: y: 1 }` allows `x.y` beside `#D.x`'s fields).
    fn enclosing_companions_allow(&mut self, v: VertexId, e: u32, label: Label) -> bool {
        let mut cur = e;
        for _ in 0..64 {
            let grp = self.groups[cur as usize];
            if grp.embed && grp.sib != 0 && self.companion_allows(v, grp.sib, label) {
                return true;
            }
            if grp.parent == 0 {
                return false;
            }
            cur = grp.parent;
        }
        false
    }

    /// Whether the fields of a literal whose embeddings form `class` declare `label` here.
    fn companion_allows(&mut self, v: VertexId, class: u32, label: Label) -> bool {
        let sets: Vec<u32> = self
            .vx(v)
            .allowed
            .iter()
            .map(|(g, _)| *g)
            .filter(|&g| self.groups[g as usize].companion == class)
            .collect();
        sets.into_iter().any(|g| self.group_allows(v, g, label))
    }

    /// The embedding a closing group was reached through (itself, or the nearest embedding
    /// among its ancestors), if it belongs to one with siblings and that embedding is itself
    /// closed: a definition embedded (alone or in a conjunction) where the embedding is. A
    /// definition referred to by a field nested in an embedded plain struct (`{{foo: #F}}`)
    /// closes that field on its own; it is not one of the embedding's alternatives.
    fn embedding_of(&self, g: u32) -> Option<u32> {
        let mut closed_at: Vec<VertexId> = Vec::new();
        let mut cur = g;
        for _ in 0..64 {
            let grp = self.groups[cur as usize];
            if grp.embed {
                let closed = grp.closing || closed_at.contains(&grp.at);
                return (grp.sib != 0 && closed).then_some(cur);
            }
            if grp.closing {
                closed_at.push(grp.at);
            }
            if grp.parent == 0 {
                return None;
            }
            cur = grp.parent;
        }
        None
    }

    /// Whether group `g` (or, for an embedding, the struct it is embedded in) allows `label`.
    fn group_allows(&mut self, v: VertexId, g: u32, label: Label) -> bool {
        let mut cur = g;
        for _ in 0..64 {
            let set = self
                .vx(v)
                .allowed
                .iter()
                .find(|(x, _)| *x == cur)
                .map(|(_, s)| s.clone());
            if let Some(set) = set {
                if set.open || set.labels.contains(&label) {
                    return true;
                }
                for &pi in &set.patterns {
                    if pi < self.vx(v).patterns.len() && self.pattern_matches(v, pi, label) {
                        return true;
                    }
                }
            }
            let grp = self.groups[cur as usize];
            if !grp.embed || grp.parent == 0 {
                return false;
            }
            cur = grp.parent;
        }
        false
    }
}
