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
            let allowed = closing.iter().all(|&g| self.group_allows(v, g, label));
            if !allowed {
                let pos = self.vx(a).arc_pos.clone();
                let ax = self.vxm(a);
                ax.base = Base::Err(Error::eval("field not allowed", pos));
                ax.err_rec = true;
                ax.status = Status::Done;
            }
        }
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
