//! Disjunctions: recorded while expanding, resolved by evaluating one clone per alternative.
//!
//! Default marks follow the spec's rules (M0–M3 for marked disjunctions, D0–D2 for unmarked,
//! U0–U2 for unification): a clone is a default iff, for every disjunction that has defaults,
//! the alternative it took is one.

use std::collections::HashMap;
use std::rc::Rc;

use crate::error::{Code, Error};
use crate::eval::{Evaluator, Val};
use crate::ir::*;
use crate::value::{Base, DisjValue};
use crate::vertex::*;

impl Evaluator {
    /// Handles `a | b | …` met while expanding `v`.
    pub fn add_or(
        &mut self,
        v: VertexId,
        id: ExprId,
        terms: &std::sync::Arc<[(ExprId, bool)]>,
        env: &Option<Rc<Env>>,
        ci: u32,
    ) {
        let (alts, has_default) = self.expand_terms(terms, env, ci, 0);
        let occ = {
            let vx = self.vxm(v);
            let o = vx.occ.entry(id).or_insert(0);
            *o += 1;
            *o - 1
        };
        self.add_pending(v, (id, occ), alts, has_default);
    }

    /// `or(list)`: a disjunction of the list's elements.
    pub fn add_or_builtin(
        &mut self,
        v: VertexId,
        id: ExprId,
        arg: ExprId,
        env: &Option<Rc<Env>>,
        ci: u32,
        pos: Pos,
    ) {
        match self.eval_value(arg, env) {
            Val::V(l) => {
                let l = self.deref_default(l);
                if self.vx(l).list.is_none() {
                    self.add_err(v, Error::eval("or: argument must be a list", vec![pos]));
                    return;
                }
                let elems: Vec<VertexId> = self.vx(l).arcs.values().copied().collect();
                if elems.is_empty() {
                    self.add_err(v, Error::eval("empty list in call to or", vec![pos]));
                    return;
                }
                let alts = elems
                    .into_iter()
                    .map(|e| Alt {
                        src: Src::Vertex(e),
                        env: None,
                        default: false,
                        ci,
                    })
                    .collect();
                let occ = {
                    let vx = self.vxm(v);
                    let o = vx.occ.entry(id).or_insert(0);
                    *o += 1;
                    *o - 1
                };
                self.add_pending(v, (id, occ), alts, false);
            }
            Val::E(e) => self.add_err(v, e),
            Val::S(_) => self.add_err(v, Error::eval("or: argument must be a list", vec![pos])),
        }
    }

    /// Records a disjunction in `v`, or applies the alternative a clone has fixed for it.
    pub fn add_pending(&mut self, v: VertexId, key: (u32, u32), alts: Vec<Alt>, has_default: bool) {
        if let Some(&i) = self.vx(v).choices.get(&key) {
            if let Some(a) = alts.get(i as usize).cloned() {
                let saved = std::mem::replace(&mut self.adding_disjunct, true);
                self.add(
                    v,
                    &Conjunct {
                        src: a.src,
                        env: a.env,
                        ci: a.ci,
                    },
                );
                self.adding_disjunct = saved;
            }
            return;
        }
        if alts.len() == 1 {
            let a = &alts[0];
            self.add(
                v,
                &Conjunct {
                    src: a.src,
                    env: a.env.clone(),
                    ci: a.ci,
                },
            );
            return;
        }
        self.vxm(v).disj.push(PendingDisj {
            key,
            alts: Rc::new(alts),
            has_default,
        });
    }

    /// Flattens the terms of one syntactic disjunction into alternatives with default marks.
    fn expand_terms(
        &mut self,
        terms: &[(ExprId, bool)],
        env: &Option<Rc<Env>>,
        ci: u32,
        depth: u32,
    ) -> (Vec<Alt>, bool) {
        let marked = terms.iter().any(|t| t.1);
        let mut out = Vec::new();
        for &(t, star) in terms {
            let (mut sub, sub_default) = self.expand_term(t, env, ci, depth);
            if marked {
                if star {
                    if !sub_default {
                        sub.iter_mut().for_each(|a| a.default = true);
                    }
                } else {
                    sub.iter_mut().for_each(|a| a.default = false);
                }
            }
            out.extend(sub);
        }
        let has_default = out.iter().any(|a| a.default);
        (out, has_default)
    }

    fn expand_term(
        &mut self,
        t: ExprId,
        env: &Option<Rc<Env>>,
        ci: u32,
        depth: u32,
    ) -> (Vec<Alt>, bool) {
        let prog = self.prog.clone();
        let single = |env: &Option<Rc<Env>>| {
            (
                vec![Alt {
                    src: Src::Expr(t),
                    env: env.clone(),
                    default: false,
                    ci,
                }],
                false,
            )
        };
        if depth > 32 {
            return single(env);
        }
        match &prog.node(t).expr {
            Expr::Or(terms) => self.expand_terms(terms, env, ci, depth + 1),
            Expr::Field { .. } | Expr::Selector(..) => {
                // A reference to a field whose only conjunct is a disjunction keeps its marks.
                let Ok(w) = self.resolve(t, env) else {
                    return single(env);
                };
                if let Some(p) = self.vx(w).parent {
                    self.expand(p);
                }
                let wx = self.vx(w);
                if wx.conjuncts.len() != 1 {
                    return single(env);
                }
                let c = wx.conjuncts[0].clone();
                let Src::Expr(x) = c.src else {
                    return single(env);
                };
                if !matches!(prog.node(x).expr, Expr::Or(_)) {
                    return single(env);
                }
                if self.inlining.contains(&w) {
                    // `#A: string | #A`: the field refers to itself, which adds nothing (top).
                    let top = self.new_vertex(None, None);
                    self.vxm(top).status = Status::Done;
                    let alt = Alt {
                        src: Src::Vertex(top),
                        env: None,
                        default: false,
                        ci,
                    };
                    return (vec![alt], false);
                }
                let nci = if self.in_definition(w) {
                    self.new_group(ci, true, false)
                } else if c.ci != 0 {
                    c.ci
                } else {
                    ci
                };
                self.inlining.push(w);
                let r = self.expand_term(x, &c.env, nci, depth + 1);
                self.inlining.pop();
                r
            }
            _ => single(env),
        }
    }

    /// Evaluates one clone per alternative of the first pending disjunction of `v`.
    pub fn resolve_disjunctions(&mut self, v: VertexId) {
        let pd = self.vx(v).disj[0].clone();
        let mut results: Vec<(VertexId, bool)> = Vec::new();
        let mut errors: Vec<Rc<Error>> = Vec::new();
        for (i, alt) in pd.alts.iter().enumerate() {
            if let Err(t) = self.budget.disjunct() {
                let e = self.budget_error(v, t);
                errors.push(e);
                break;
            }
            let (parent, label) = (self.vx(v).parent, self.vx(v).label);
            let c = self.new_vertex(parent, label);
            let mut choices: HashMap<(u32, u32), u32> = (*self.vx(v).choices).clone();
            choices.insert(pd.key, i as u32);
            let conjs = self.vx(v).conjuncts.clone();
            let (t, apos) = (self.vx(v).arc_type, self.vx(v).arc_pos.clone());
            {
                let cx = self.vxm(c);
                cx.conjuncts = conjs;
                cx.choices = Rc::new(choices);
                cx.arc_type = t;
                cx.arc_pos = apos;
            }
            self.finalize(c);
            let alt_default = alt.default || !pd.has_default;
            let cx = self.vx(c);
            match &cx.base {
                Base::Disj(d) => {
                    for (a, df) in d.alts.clone().iter() {
                        results.push((*a, *df && alt_default));
                    }
                }
                Base::Err(e) if !e.is_incomplete() || cx.err_rec => errors.push(e.clone()),
                _ if cx.err_rec => {
                    if let Some(e) = self.first_error(c) {
                        errors.push(e);
                    }
                }
                // A clone that resolved its own disjunctions to one value keeps their marks.
                _ => {
                    let inner = self.vx(c).adopted_default;
                    results.push((c, alt_default && inner));
                }
            }
        }
        // Deduplicate equal alternatives, keeping the first position and merging marks.
        let mut uniq: Vec<(VertexId, bool)> = Vec::new();
        for (r, d) in results {
            // Deduplication is quadratic in the survivors, which can be exponentially many:
            // each comparison round is work for the budgets (found by fuzzing).
            if let Err(t) = self.budget.step(self.vertices.len()) {
                let e = self.budget_error(v, t);
                errors.push(e);
                uniq.clear();
                break;
            }
            match uniq.iter().position(|(u, _)| self.equal(*u, r)) {
                Some(i) => uniq[i].1 |= d,
                None => uniq.push((r, d)),
            }
        }
        match uniq.len() {
            0 => {
                let e = if errors.len() == 1 {
                    errors[0].clone()
                } else {
                    let pos = self.vx(v).arc_pos.clone();
                    Rc::new(Error {
                        code: Code::Eval,
                        message: format!("{} errors in empty disjunction", errors.len()),
                        positions: pos,
                        nested: errors,
                    })
                };
                let vx = self.vxm(v);
                vx.base = Base::Err(e);
                vx.err_rec = true;
                vx.arcs.clear();
                vx.is_struct = false;
                vx.list = None;
            }
            1 => {
                self.adopt(v, uniq[0].0);
                self.vxm(v).adopted_default = uniq[0].1;
            }
            _ => {
                let vx = self.vxm(v);
                vx.base = Base::Disj(Rc::new(DisjValue { alts: uniq }));
                vx.err_rec = false;
            }
        }
    }

    /// Makes `v` take the finished value of `r` (the single surviving alternative).
    fn adopt(&mut self, v: VertexId, r: VertexId) {
        let rx = self.vx(r);
        let base = rx.base.clone();
        let arcs = rx.arcs.clone();
        let is_struct = rx.is_struct;
        let list = rx.list.clone();
        let err_rec = rx.err_rec;
        let allowed = rx.allowed.clone();
        let patterns = rx.patterns.clone();
        let base_pos = rx.base_pos.clone();
        let vx = self.vxm(v);
        vx.base = base;
        vx.arcs = arcs;
        vx.is_struct = is_struct;
        vx.list = list;
        vx.err_rec = err_rec;
        vx.allowed = allowed;
        vx.patterns = patterns;
        vx.base_pos = base_pos;
    }

    /// The first error in a finished subtree (field order).
    pub fn first_error(&self, v: VertexId) -> Option<Rc<Error>> {
        let vx = self.vx(v);
        if let Base::Err(e) = &vx.base {
            if !e.is_incomplete() {
                return Some(e.clone());
            }
        }
        for &a in vx.arcs.values() {
            if self.vx(a).arc_type == ArcType::Optional {
                continue;
            }
            if let Some(e) = self.first_error(a) {
                return Some(e);
            }
        }
        None
    }

    /// Structural equality of two finished values (for deduplicating disjuncts).
    pub fn equal(&self, a: VertexId, b: VertexId) -> bool {
        self.equal_depth(a, b, 0)
    }

    fn equal_depth(&self, a: VertexId, b: VertexId, depth: u32) -> bool {
        if a == b {
            return true;
        }
        if depth > 64 {
            return false;
        }
        let (ax, bx) = (self.vx(a), self.vx(b));
        if ax.is_struct != bx.is_struct || ax.list.is_some() != bx.list.is_some() {
            return false;
        }
        let base_eq = match (&ax.base, &bx.base) {
            (Base::Top, Base::Top) => true,
            (Base::Scalar(x), Base::Scalar(y)) => x == y,
            (Base::Constraint(x), Base::Constraint(y)) => x == y,
            (Base::Disj(x), Base::Disj(y)) => {
                x.alts.len() == y.alts.len()
                    && x.alts
                        .iter()
                        .zip(y.alts.iter())
                        .all(|(p, q)| p.1 == q.1 && self.equal_depth(p.0, q.0, depth + 1))
            }
            _ => false,
        };
        if !base_eq {
            return false;
        }
        if let (Some(x), Some(y)) = (&ax.list, &bx.list) {
            let xo = x.lits.iter().all(|l| l.1);
            let yo = y.lits.iter().all(|l| l.1);
            if xo != yo {
                return false;
            }
        }
        let arcs_a: Vec<(&Label, &VertexId)> = ax
            .arcs
            .iter()
            .filter(|(_, v)| self.vx(**v).arc_type != ArcType::Optional)
            .collect();
        let arcs_b: Vec<(&Label, &VertexId)> = bx
            .arcs
            .iter()
            .filter(|(_, v)| self.vx(**v).arc_type != ArcType::Optional)
            .collect();
        if arcs_a.len() != arcs_b.len() {
            return false;
        }
        for (l, va) in arcs_a {
            match bx.arcs.get(l) {
                Some(vb) => {
                    if !self.equal_depth(*va, *vb, depth + 1) {
                        return false;
                    }
                }
                None => return false,
            }
        }
        true
    }
}
