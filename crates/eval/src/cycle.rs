//! Structural cycle detection: which references, followed while expanding a vertex, would
//! make a value contain itself.
//!
//! Every conjunct carries the chain of references that produced it (`Cyc`, captured in the
//! environment of each struct literal it adds). A reference is *cyclic* when it resolves to an
//! ancestor of the vertex (or to a vertex still being evaluated whose clone is an ancestor) or
//! to a vertex already on the conjunct's chain. A cyclic conjunct is set aside until the vertex
//! has other, non-cyclic evidence of structure; it then continues marked cyclic, so everything
//! it produces below is cyclic too. A vertex left with only cyclic conjuncts is a
//! `structural cycle` (cue's cycle algorithm V3). An optional field or an unchosen disjunct
//! holding such a vertex is harmless: its error is dropped with it.

use std::rc::Rc;

use crate::error::{Code, Error};
use crate::eval::{Evaluator, Val};
use crate::ir::{Expr, ExprId, Pos};
use crate::value::{self, Base};
use crate::vertex::{ArcType, Env, Status, VertexId};

/// A bound (`!=b`) or a computed value (`b + 1`) of vertex `v` whose operand was still being
/// evaluated when `v` was: it is checked once the outermost evaluation is done (`a: !=b,
/// b: !=a, b: 0` gives `a` the value it can have; `x: y + 1, y: x - 1, x: 2` gives `y` 1).
#[derive(Clone, Debug)]
pub struct CycleCheck {
    pub v: VertexId,
    pub bound: ExprId,
    pub env: Option<Rc<Env>>,
    /// The value was added already (computed from a value not final yet): only a failure of
    /// what it rests on is passed on to the vertex.
    pub verify: bool,
}

/// One reference on a conjunct's chain: `expr` (when known) resolved to `arc` while
/// expanding `node`.
#[derive(Debug)]
pub struct RefNode {
    pub arc: VertexId,
    pub node: VertexId,
    pub expr: Option<ExprId>,
    pub next: Option<Rc<RefNode>>,
}

/// How far a conjunct is from being cyclic; only ever increases along a derivation.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    #[default]
    NoCycle,
    /// Came from an optional field, a pattern constraint or a disjunct: such a conjunct may
    /// go round a cycle once more, as it only continues where it is fed.
    Optional,
    /// An optional conjunct that went round once: the next cycle is final.
    MaybeCyclic,
    /// Went round a cycle: contributes nothing that proves the vertex non-cyclic.
    Cyclic,
}

/// The cycle state of the conjunct being added.
#[derive(Clone, Debug, Default)]
pub struct Cyc {
    pub refs: Option<Rc<RefNode>>,
    pub kind: Kind,
}

impl Cyc {
    pub fn cyclic(&self) -> bool {
        self.kind == Kind::Cyclic
    }
    /// This state for a conjunct from an optional field, pattern or disjunct.
    pub fn optional(mut self) -> Cyc {
        if self.kind == Kind::NoCycle {
            self.kind = Kind::Optional;
        }
        self
    }
}

/// A cyclic reference set aside until the vertex proves non-cyclic.
#[derive(Clone, Debug)]
pub struct Postponed {
    pub target: VertexId,
    pub ci: u32,
    pub pos: Pos,
    pub cyc: Cyc,
    /// The reference closes what it adds (`Evaluator::follow_ref`).
    pub closing: bool,
}

/// Per-vertex evidence gathered while its conjuncts are added.
#[derive(Clone, Debug, Default)]
pub struct CycState {
    /// A non-cyclic conjunct contributed a value (struct, list, scalar, type, bound, top).
    pub non_cycle: bool,
    /// One of the vertex's own non-cyclic conjuncts holds such a value beside its references
    /// (`#sub & {#p: x}`): cue inserts a conjunct's literals before it resolves any of its
    /// references, so those see the value as already there.
    pub non_cycle_ahead: bool,
    /// A conjunct not marked cyclic was added.
    pub non_cyclic: bool,
    /// A reference on some conjunct's chain came back.
    pub any_cyclic: bool,
    /// A reference pointed at an ancestor (or a vertex under evaluation).
    pub ancestor_cycle: bool,
    pub postponed: Vec<Postponed>,
    /// Indices of the conjuncts declared by optional fields (`a?: T`).
    pub optional_conjs: Vec<usize>,
}

/// What to do with a reference about to be followed.
pub enum RefCheck {
    /// Follow it with this cycle state for the conjuncts it adds.
    Follow(Cyc),
    /// A reference to the vertex itself through the chain: it adds nothing (top).
    Skip,
    /// Cyclic with no evidence yet: set aside.
    Postpone(Cyc),
}

/// The cycle state a conjunct starts with: the one captured by its environment.
pub fn env_cyc(env: &Option<Rc<Env>>) -> Cyc {
    env.as_ref().map(|e| e.cyc.clone()).unwrap_or_default()
}

impl Evaluator {
    /// The cycle state conjunct `i` of `v` starts with.
    pub fn conjunct_cyc(&self, v: VertexId, i: usize, env: &Option<Rc<Env>>) -> Cyc {
        let c = env_cyc(env);
        let vx = self.vx(v);
        // A disjunct clone does not keep the indices; the arc type still tells for a field
        // declared only optional.
        if vx.arc_type == ArcType::Optional
            || vx.cyc.optional_conjs.contains(&i)
            || vx.pattern_conjs().contains(&i)
        {
            c.optional()
        } else {
            c
        }
    }
}

impl Evaluator {
    /// Whether expression `x`, added as a conjunct, gives a value of its own without
    /// resolving a reference first: a literal, a type, a struct or list, also as an operand
    /// of `&`.
    fn plain_value(&self, x: ExprId) -> bool {
        match &self.prog.node(x).expr {
            Expr::Struct(_)
            | Expr::List(_)
            | Expr::Top
            | Expr::Kind(_)
            | Expr::Null
            | Expr::Bool(_)
            | Expr::Int(_)
            | Expr::Float(_)
            | Expr::Str(_)
            | Expr::Bytes(_) => true,
            Expr::And(a, b) => self.plain_value(*a) || self.plain_value(*b),
            Expr::Alias(a) => self.plain_value(*a),
            _ => false,
        }
    }

    /// Notes, before the conjuncts of `v` are added, whether one of its non-cyclic ones
    /// holds a plain value (`CycState::non_cycle_ahead`).
    pub fn note_values_ahead(&mut self, v: VertexId) {
        let ahead = self.vx(v).conjuncts.iter().any(|c| match c.src {
            crate::vertex::Src::Expr(x) => !env_cyc(&c.env).cyclic() && self.plain_value(x),
            crate::vertex::Src::Vertex(_) => false,
        });
        self.vxm(v).cyc.non_cycle_ahead = ahead;
    }

    /// Whether `w` encloses `v`: an ancestor, or a vertex under evaluation one of whose
    /// disjunct clones is an ancestor (clones share the original's parent and label).
    pub fn cycle_ancestor(&self, w: VertexId, v: VertexId) -> bool {
        let wx = self.vx(w);
        let evaluating = matches!(wx.status, Status::Expanding | Status::Finalizing);
        let mut cur = self.vx(v).parent;
        while let Some(p) = cur {
            if p == w {
                return true;
            }
            let px = self.vx(p);
            if evaluating && wx.label.is_some() && px.label == wx.label && px.parent == wx.parent {
                return true;
            }
            cur = px.parent;
        }
        false
    }

    fn tree_depth(&self, v: VertexId) -> u32 {
        let mut d = 0;
        let mut cur = self.vx(v).parent;
        while let Some(p) = cur {
            d += 1;
            cur = self.vx(p).parent;
        }
        d
    }

    /// Classifies the reference `expr` from `v` to `w` against the current conjunct's chain.
    pub fn check_ref_cycle(&mut self, v: VertexId, w: VertexId, expr: Option<ExprId>) -> RefCheck {
        let cur = self.cyc.clone();
        // A disjunct clone of `w` referring to `w` refers to itself (`#A: string | #A`).
        let (vx, wx) = (self.vx(v), self.vx(w));
        if matches!(wx.status, Status::Expanding | Status::Finalizing)
            && wx.label.is_some()
            && vx.label == wx.label
            && vx.parent == wx.parent
        {
            return RefCheck::Skip;
        }
        if self.cycle_ancestor(w, v) {
            let st = &mut self.vxm(v).cyc;
            st.any_cyclic = true;
            st.ancestor_cycle = true;
            let c = Cyc {
                refs: cur.refs,
                kind: Kind::Cyclic,
            };
            return if st.non_cycle {
                RefCheck::Follow(c)
            } else {
                RefCheck::Postpone(c)
            };
        }
        // Until the vertex itself turns out cyclic, an optional conjunct that went round
        // once goes on unchecked.
        if cur.kind == Kind::MaybeCyclic && self.vx(v).cyc.non_cyclic {
            return RefCheck::Follow(cur);
        }
        let mut r = cur.refs.as_deref();
        while let Some(n) = r {
            if n.arc == w {
                if n.node == v {
                    return RefCheck::Skip;
                }
                let st = &self.vx(v).cyc;
                if cur.kind == Kind::Optional && st.non_cyclic {
                    // A pattern unifying with itself at the same depth is a reference cycle.
                    if self.tree_depth(n.node) == self.tree_depth(v) {
                        return RefCheck::Skip;
                    }
                    return RefCheck::Follow(Cyc {
                        refs: None,
                        kind: Kind::MaybeCyclic,
                    });
                }
                // Another reference reaching a definition body that this vertex already has
                // non-cyclic structure for re-instantiates it: structure sharing, not a cycle.
                let non_cycle = st.non_cycle || st.non_cycle_ahead;
                if n.expr != expr && expr.is_some() && non_cycle && st.non_cyclic {
                    r = n.next.as_deref();
                    continue;
                }
                let st = &mut self.vxm(v).cyc;
                st.any_cyclic = true;
                let c = Cyc {
                    refs: cur.refs.clone(),
                    kind: Kind::Cyclic,
                };
                return if st.non_cycle || st.non_cyclic {
                    RefCheck::Follow(c)
                } else {
                    RefCheck::Postpone(c)
                };
            }
            r = n.next.as_deref();
        }
        RefCheck::Follow(Cyc {
            refs: Some(Rc::new(RefNode {
                arc: w,
                node: v,
                expr,
                next: cur.refs,
            })),
            kind: cur.kind,
        })
    }

    /// Records that the current conjunct is being added to `v`.
    pub fn note_conjunct(&mut self, v: VertexId) {
        if self.cyc.kind <= Kind::Optional {
            self.vxm(v).cyc.non_cyclic = true;
        }
    }

    /// Records that a selection or index is made into `base` by a non-cyclic conjunct:
    /// cue counts such a lookup as evidence of structure for a vertex still being evaluated,
    /// so a reference from it to an enclosing struct is followed instead of reported
    /// (`t: {let s = t, a: 1, b: s.a}`, `{p: {x: p, y: 1}}.p.x.y`).
    pub fn note_lookup(&mut self, base: VertexId) {
        if !self.cyc.cyclic() && self.vx(base).status != Status::Done {
            self.vxm(base).cyc.non_cycle = true;
        }
    }

    /// Records that the current conjunct gave `v` a value of its own.
    pub fn note_value(&mut self, v: VertexId) {
        if !self.cyc.cyclic() {
            self.vxm(v).cyc.non_cycle = true;
        }
    }

    /// After the conjuncts of `v` are in: follow the set-aside cyclic references if `v`
    /// proved non-cyclic, and report a structural cycle if it has only cyclic conjuncts.
    pub fn settle_cycles(&mut self, v: VertexId) {
        loop {
            let st = &mut self.vxm(v).cyc;
            if st.postponed.is_empty() || !st.non_cycle {
                break;
            }
            let items = std::mem::take(&mut st.postponed);
            for p in items {
                let saved = std::mem::replace(&mut self.cyc, p.cyc);
                self.follow_ref(v, p.target, p.ci, p.pos, p.closing);
                self.cyc = saved;
            }
        }
        let st = &mut self.vxm(v).cyc;
        st.postponed.clear();
        let only_cyclic = (st.ancestor_cycle && !st.non_cycle) || (st.any_cyclic && !st.non_cyclic);
        if only_cyclic {
            self.add_err(
                v,
                Error::new(Code::StructuralCycle, "structural cycle", Vec::new()),
            );
            let vx = self.vxm(v);
            vx.arcs.clear();
            vx.is_struct = false;
            vx.list = None;
        }
    }
}

impl Evaluator {
    /// Whether vertex `w` is still being evaluated, or its value rests on a set-aside check.
    fn provisional(&self, w: VertexId) -> bool {
        self.vx(w).status != Status::Done || self.is_pending(w)
    }

    /// Whether the value of finished vertex `w` rests on a set-aside check.
    pub fn is_pending(&self, w: VertexId) -> bool {
        if self.cycle_checks.is_empty() {
            return false;
        }
        let pending = |x: VertexId| {
            self.cycle_checks
                .iter()
                .any(|c| c.v == x || self.live_vertex(c.v) == x)
        };
        match &self.vx(w).base {
            Base::Disj(d) => pending(w) || d.alts.iter().any(|(a, _)| pending(*a)),
            _ => pending(w),
        }
    }

    /// Sets aside the value `val` of expression `expr` for `v` if it is incomplete only because
    /// it needed a value still being evaluated.
    pub fn defer_cyclic_value(
        &mut self,
        v: VertexId,
        expr: ExprId,
        env: &Option<Rc<Env>>,
        val: &Val,
    ) -> bool {
        if !matches!(val, Val::E(e) if e.is_incomplete()) {
            return false;
        }
        self.cycle_checks.push(CycleCheck {
            v,
            bound: expr,
            env: env.clone(),
            verify: false,
        });
        true
    }

    /// Sets aside bound `bound` of `v` if it failed only because its operand is not final yet.
    pub fn defer_cyclic_bound(
        &mut self,
        v: VertexId,
        bound: ExprId,
        operand: ExprId,
        env: &Option<Rc<Env>>,
        err: &Rc<Error>,
    ) -> bool {
        if !err.is_incomplete() {
            return false;
        }
        let Val::V(w) = self.eval_value(operand, env) else {
            return false;
        };
        if !self.provisional(w) {
            return false;
        }
        self.cycle_checks.push(CycleCheck {
            v,
            bound,
            env: env.clone(),
            verify: false,
        });
        true
    }

    /// The vertex of the tree a disjunct clone stands for, when the clone was adopted.
    fn live_vertex(&self, v: VertexId) -> VertexId {
        let vx = self.vx(v);
        match (vx.parent, vx.label) {
            (Some(p), Some(l)) => self.vx(p).arcs.get(&l).copied().unwrap_or(v),
            _ => v,
        }
    }

    /// Checks the set-aside bounds now that the values they refer to are final. A bound
    /// whose operand is still not concrete waits for the others (they may settle it); one
    /// that never becomes concrete leaves the value as it is.
    pub fn recheck_cycle_bounds(&mut self) {
        // A value computed early from one that fails later keeps its value, as in cue
        // (`a: b - 100, b: a + 110, b: 200` leaves `a` 100 beside the error of `b`).
        self.settle_checks();
        self.cycle_checks.clear();
    }

    fn settle_checks(&mut self) {
        // The checks stay pending while they are rechecked, so a disjunction one of them still
        // constrains is not read through its default. Each round settles at least one check
        // or stops, so this ends.
        loop {
            let items = self.cycle_checks.clone();
            let n = items.len();
            let mut settled = vec![false; n];
            for (i, c) in items.iter().enumerate() {
                let prog = self.prog.clone();
                let node = prog.node(c.bound);
                let t = self.live_vertex(c.v);
                if c.verify {
                    // Disjunct clones are checked where they were evaluated, not here.
                    settled[i] = true;
                    continue;
                }
                let Expr::Bound(op, operand) = &node.expr else {
                    match self.eval_scalar(c.bound, &c.env) {
                        Ok(s) => {
                            settled[i] = true;
                            self.apply_late_value(t, &s, node.pos);
                        }
                        Err(e) if e.is_incomplete() => {}
                        Err(e) => {
                            settled[i] = true;
                            self.fail_late(t, e);
                        }
                    }
                    continue;
                };
                match self.eval_scalar(*operand, &c.env) {
                    Ok(s) => {
                        settled[i] = true;
                        self.apply_late_bound(t, *op, &s, node.pos);
                    }
                    Err(e) if e.is_incomplete() => {}
                    Err(_) => settled[i] = true,
                }
            }
            let progress = settled.iter().any(|s| *s);
            // Checks set aside while rechecking wait too.
            let added = self.cycle_checks.split_off(n.min(self.cycle_checks.len()));
            let mut waiting: Vec<CycleCheck> = items
                .into_iter()
                .zip(settled)
                .filter(|(_, s)| !s)
                .map(|(c, _)| c)
                .collect();
            waiting.extend(added);
            self.cycle_checks = waiting;
            if self.cycle_checks.is_empty() {
                break;
            }
            if !progress {
                // A value that never resolves is the incomplete error it was.
                let rest = self.cycle_checks.clone();
                for c in rest {
                    if matches!(self.prog.node(c.bound).expr, Expr::Bound(..)) {
                        continue;
                    }
                    if let Err(e) = self.eval_scalar(c.bound, &c.env) {
                        let t = self.live_vertex(c.v);
                        self.fail_late(t, e);
                    }
                }
                self.cycle_checks.clear();
                break;
            }
        }
    }

    /// Meets a finished vertex with a value computed late.
    fn apply_late_value(&mut self, t: VertexId, s: &crate::scalar::Scalar, pos: Pos) {
        let tx = self.vx(t);
        if tx.is_struct || tx.list.is_some() || matches!(tx.base, Base::Disj(_) | Base::Err(_)) {
            return;
        }
        let tx = self.vxm(t);
        tx.base_pos.push(pos);
        let nb = value::meet_scalar(&tx.base, s, &tx.base_pos);
        let failed = matches!(&nb, Base::Err(e) if !e.is_incomplete());
        tx.base = nb;
        if failed {
            self.mark_failed(t);
        }
    }

    /// Makes a finished vertex the error a late check gave.
    fn fail_late(&mut self, t: VertexId, e: Rc<Error>) {
        let tx = self.vx(t);
        if tx.is_struct || tx.list.is_some() || matches!(tx.base, Base::Err(_)) {
            return;
        }
        let incomplete = e.is_incomplete();
        self.vxm(t).base = Base::Err(e);
        if !incomplete {
            self.mark_failed(t);
        }
    }

    fn mark_failed(&mut self, t: VertexId) {
        let mut cur = Some(t);
        while let Some(c) = cur {
            self.vxm(c).err_rec = true;
            cur = self.vx(c).parent;
        }
    }

    /// Meets a finished vertex with a bound: a disjunction keeps the alternatives that
    /// satisfy it; a conflict is an error of the vertex and of the values holding it.
    fn apply_late_bound(
        &mut self,
        t: VertexId,
        op: crate::ir::BoundOp,
        s: &crate::scalar::Scalar,
        pos: Pos,
    ) {
        let base = self.vx(t).base.clone();
        match base {
            Base::Disj(d) => {
                let keep: Vec<(VertexId, bool)> = d
                    .alts
                    .iter()
                    .filter(|(a, _)| {
                        let ax = self.vx(*a);
                        !matches!(
                            value::meet_bound(&ax.base, op, s, &ax.base_pos),
                            Base::Err(_)
                        )
                    })
                    .cloned()
                    .collect();
                if keep.len() == 1 && self.vx(keep[0].0).arcs.is_empty() {
                    let a = keep[0].0;
                    let (b, p) = (self.vx(a).base.clone(), self.vx(a).base_pos.clone());
                    let tx = self.vxm(t);
                    tx.base = b;
                    tx.base_pos = p;
                } else if !keep.is_empty() && keep.len() < d.alts.len() {
                    // Rebuilt from the old value so its other properties (marks) stay.
                    let mut nd = (*d).clone();
                    nd.alts = keep;
                    self.vxm(t).base = Base::Disj(Rc::new(nd));
                }
            }
            Base::Err(_) => {}
            _ => {
                let tx = self.vxm(t);
                tx.base_pos.push(pos);
                let nb = value::meet_bound(&tx.base, op, s, &tx.base_pos);
                let failed = matches!(&nb, Base::Err(e) if !e.is_incomplete());
                tx.base = nb;
                if failed {
                    self.mark_failed(t);
                }
            }
        }
    }
}
