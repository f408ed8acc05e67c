//! Closedness: each regular field of a finished vertex is checked once against every closing
//! group (definition, `close()`) that declared struct fields in that vertex.

use crate::error::Error;
use crate::eval::Evaluator;
use crate::ir::Label;
use crate::value::Base;
use crate::vertex::*;

impl Evaluator {
    pub fn check_closed(&mut self, v: VertexId) {
        let groups: Vec<AllowSet> = self
            .vx(v)
            .allowed
            .iter()
            .filter(|(g, set)| self.groups[*g as usize].closing && !set.open)
            .map(|(_, s)| s.clone())
            .collect();
        if groups.is_empty() {
            return;
        }
        let arcs: Vec<(Label, VertexId)> = self.vx(v).arcs.iter().map(|(l, a)| (*l, *a)).collect();
        for (label, a) in arcs {
            if !matches!(label, Label::Field(_)) {
                continue;
            }
            let mut allowed = true;
            for set in &groups {
                if set.labels.contains(&label) {
                    continue;
                }
                let mut ok = false;
                for &pi in &set.patterns {
                    if pi < self.vx(v).patterns.len() && self.pattern_matches(v, pi, label) {
                        ok = true;
                        break;
                    }
                }
                if !ok {
                    allowed = false;
                    break;
                }
            }
            if !allowed {
                let pos = self.vx(a).arc_pos.clone();
                let ax = self.vxm(a);
                ax.base = Base::Err(Error::eval("field not allowed", pos));
                ax.err_rec = true;
                ax.status = Status::Done;
            }
        }
    }
}
