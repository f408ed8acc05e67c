//! The evaluator: expands conjuncts into vertices, resolves references lazily, finalizes nodes.
//!
//! See `spec/eval.md` for the algorithm. Disjunctions live in `disjunction.rs`, closedness in
//! `closed.rs`, expressions evaluated to values (operators, calls) in `expr.rs`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::error::{Code, Error};
use crate::ir::*;
use crate::scalar::Scalar;
use crate::value::{self, Base};
use crate::vertex::*;

pub use crate::budget::{Budget, Limits};

/// A value computed from an expression: a scalar, a vertex, or an error.
#[derive(Clone, Debug)]
pub enum Val {
    S(Scalar),
    V(VertexId),
    E(Rc<Error>),
}

#[derive(Clone, Copy, Debug)]
pub struct Group {
    pub parent: u32,
    pub closing: bool,
    pub embed: bool,
    /// `close()`: closes only the struct itself, not its fields' values.
    pub shallow: bool,
    /// For an embedding: the first embedding group of the same literal (its siblings are
    /// alternatives when checking closedness); 0 otherwise.
    pub sib: u32,
    /// For the fields of a literal with embeddings: the embedding class (first embedding group)
    /// whose closedness also allows what these fields declare, at any depth (`{#D, x: y: 1}`
    /// allows `x.y` beside `#D.x`'s fields).
    pub companion: u32,
    /// For an embedding: the vertex whose literal embeds it. Only there does a definition
    /// embedded alone close the embedding group itself; fields nested in the embedded value
    /// carry the group too, but a definition they refer to closes only its own group. For a
    /// definition's group: the vertex where the reference was followed.
    pub at: VertexId,
}

/// Evaluates one compiled [`Program`].
pub struct Evaluator {
    pub prog: std::sync::Arc<Program>,
    pub interner: Interner,
    pub vertices: Vec<Vertex>,
    pub groups: Vec<Group>,
    pub limits: Limits,
    depth: u32,
    /// Step, node, disjunct, output and time budgets (`budget.rs`).
    pub budget: Budget,
    /// The outermost reference the conjunct being added came through (the position cue sorts
    /// the referenced struct literals by, `order.rs`).
    pub(crate) via: Option<Via>,
    /// The last comprehension firing id handed out (ids start at 1; 0 is "no comprehension").
    comp_seq: u32,
    /// Set when a value was needed from a vertex still being expanded.
    cycle_seen: bool,
    /// Set (and never cleared) once any reference cycle was met: the result may then depend
    /// on which field was entered first.
    pub(crate) cycle_met: bool,
    /// The top-level fields expanded so far, in the order they were entered.
    pub(crate) entered_top: Vec<VertexId>,
    /// The vertices whose disjunctions are being resolved, innermost last.
    resolving: Vec<VertexId>,
    /// The disjunct clones being evaluated, innermost last, each with the vertex it is a
    /// clone of.
    pub(crate) disj_clones: Vec<(VertexId, VertexId)>,
    /// Anonymous vertices evaluated from an expression (`(#R & {x: 1}).out`): the expression
    /// and the vertex of the scope outside the one it was evaluated in.
    inline_of: std::collections::HashMap<VertexId, (ExprId, Vec<VertexId>)>,
    /// Set while adding the alternative a disjunction clone fixed.
    pub(crate) adding_disjunct: bool,
    /// Cycle state of the conjunct being added (`cycle.rs`).
    pub(crate) cyc: crate::cycle::Cyc,
    /// Bounds set aside because their operand was still being evaluated (`cycle.rs`).
    pub(crate) cycle_checks: Vec<crate::cycle::CycleCheck>,
    /// The try bodies being tried, innermost last, each with whether one of its `x?`
    /// references found no field.
    try_bodies: Vec<(VertexId, bool)>,
    pub root: VertexId,
    /// When a package has several files and one embeds something at its top level: the
    /// embedding class and field group all of them share, as cue treats a package's files as
    /// one struct (a definition embedded in one file allows the other files' fields).
    file_groups: Option<(u32, u32)>,
    /// The finished argument lists of `or` calls, so the clones of one disjunction that
    /// re-add the call reuse the list instead of rebuilding it (`disjunction.rs`).
    pub(crate) or_lists: HashMap<crate::disjunction::OrListKey, (Option<Rc<Env>>, VertexId)>,
}

impl Evaluator {
    pub fn new(prog: std::sync::Arc<Program>) -> Self {
        Self::with_limits(prog, Limits::default())
    }

    pub fn with_limits(prog: std::sync::Arc<Program>, limits: Limits) -> Self {
        let roots = prog.roots.clone();
        let mut ev = Evaluator {
            interner: prog.interner.clone(),
            prog,
            vertices: Vec::new(),
            groups: vec![Group {
                parent: 0,
                closing: false,
                embed: false,
                shallow: false,
                sib: 0,
                companion: 0,
                at: VertexId::MAX,
            }],
            limits,
            depth: 0,
            budget: Budget::new(limits),
            via: None,
            comp_seq: 0,
            cycle_seen: false,
            cycle_met: false,
            entered_top: Vec::new(),
            resolving: Vec::new(),
            disj_clones: Vec::new(),
            inline_of: std::collections::HashMap::new(),
            adding_disjunct: false,
            cyc: crate::cycle::Cyc::default(),
            cycle_checks: Vec::new(),
            try_bodies: Vec::new(),
            root: 0,
            file_groups: None,
            or_lists: HashMap::new(),
        };
        ev.file_groups = ev.shared_file_groups(&roots);
        let root = ev.new_vertex(None, None);
        for &r in &roots {
            ev.vxm(root).conjuncts.push(Conjunct {
                src: Src::Expr(r),
                env: None,
                ci: 0,
            });
        }
        ev.root = root;
        ev
    }

    fn shared_file_groups(&mut self, roots: &[ExprId]) -> Option<(u32, u32)> {
        let embeds = |x: &ExprId| match &self.prog.node(*x).expr {
            Expr::Struct(lit) => lit.decls.iter().any(|d| matches!(d, Decl::Embed(_))),
            _ => false,
        };
        if roots.len() < 2 || !roots.iter().any(embeds) {
            return None;
        }
        let g = self.new_group(0, false, true);
        self.groups[g as usize].sib = g;
        let f = self.new_group(0, false, false);
        self.groups[f as usize].companion = g;
        Some((g, f))
    }

    // ----- arena access -----

    pub fn vx(&self, id: VertexId) -> &Vertex {
        // Vertex ids are only created by `new_vertex`, so they index the arena.
        &self.vertices[id as usize]
    }
    pub fn vxm(&mut self, id: VertexId) -> &mut Vertex {
        &mut self.vertices[id as usize]
    }
    pub fn new_vertex(&mut self, parent: Option<VertexId>, label: Option<Label>) -> VertexId {
        self.vertices.push(Vertex::new(parent, label));
        (self.vertices.len() - 1) as VertexId
    }
    /// A finished vertex holding one scalar.
    pub fn scalar_vertex(&mut self, s: Scalar) -> VertexId {
        let v = self.new_vertex(None, None);
        let vx = self.vxm(v);
        vx.base = Base::Scalar(s);
        vx.status = Status::Done;
        v
    }
    pub fn error_vertex(&mut self, e: Rc<Error>) -> VertexId {
        let v = self.new_vertex(None, None);
        let vx = self.vxm(v);
        vx.base = Base::Err(e);
        vx.status = Status::Done;
        vx.err_rec = true;
        v
    }
    pub fn new_group(&mut self, parent: u32, closing: bool, embed: bool) -> u32 {
        self.groups.push(Group {
            parent,
            closing,
            embed,
            shallow: false,
            sib: 0,
            companion: 0,
            at: VertexId::MAX,
        });
        (self.groups.len() - 1) as u32
    }

    pub fn get_arc(&mut self, v: VertexId, label: Label) -> VertexId {
        if let Some(&a) = self.vx(v).arcs.get(&label) {
            return a;
        }
        let a = self.new_vertex(Some(v), Some(label));
        self.vxm(v).arcs.insert(label, a);
        a
    }

    /// Adds a conjunct to a vertex; if the vertex is already past expansion, processes it now
    /// so late additions (patterns, deferred comprehensions) are not lost.
    pub fn push_conjunct(&mut self, v: VertexId, c: Conjunct) {
        let st = self.vx(v).status;
        self.vxm(v).conjuncts.push(c.clone());
        if st == Status::Expanded {
            let i = self.vx(v).conjuncts.len() - 1;
            let cyc = self.conjunct_cyc(v, i, &c.env);
            let saved = std::mem::replace(&mut self.cyc, cyc);
            let saved_via = std::mem::replace(&mut self.via, env_via(&c.env));
            self.add(v, &c);
            self.via = saved_via;
            self.cyc = saved;
            self.run_deferred(v);
            self.apply_patterns(v);
        }
    }

    pub fn path(&self, v: VertexId) -> String {
        let mut labels = Vec::new();
        let mut cur = Some(v);
        while let Some(c) = cur {
            let vx = self.vx(c);
            if let Some(l) = vx.label {
                labels.push(l);
            }
            cur = vx.parent;
        }
        labels.reverse();
        labels
            .iter()
            .map(|l| self.interner.label_text(*l))
            .collect::<Vec<_>>()
            .join(".")
    }

    pub fn is_ancestor(&self, a: VertexId, v: VertexId) -> bool {
        let mut cur = self.vx(v).parent;
        while let Some(c) = cur {
            if c == a {
                return true;
            }
            cur = self.vx(c).parent;
        }
        false
    }

    /// Whether a vertex is a definition or lies inside one (its value is closed).
    pub fn in_definition(&self, v: VertexId) -> bool {
        let mut cur = Some(v);
        while let Some(c) = cur {
            let vx = self.vx(c);
            if vx.label.is_some_and(|l| l.is_def()) {
                return true;
            }
            cur = vx.parent;
        }
        false
    }

    pub fn add_err(&mut self, v: VertexId, e: Rc<Error>) {
        let vx = self.vxm(v);
        match &vx.base {
            Base::Err(old) if !old.is_incomplete() || e.is_incomplete() => {}
            _ => vx.base = Base::Err(e),
        }
    }

    fn meet_scalar_into(&mut self, v: VertexId, s: &Scalar, pos: Pos) {
        let from_disjunct = self.adding_disjunct;
        let vx = self.vxm(v);
        vx.base_pos.push(pos);
        if vx.disjunct_base && !from_disjunct {
            // cue adds a disjunction's alternatives after the other conjuncts, so a conflict
            // names the disjunct as the newer value: `"TCP" | "UDP"` & "INVALID" reports
            // `conflicting values "TCP" and "INVALID"` whatever the order in the source.
            if let Base::Scalar(d) = &vx.base {
                let d = d.clone();
                vx.base = value::meet_scalar(&Base::Scalar(s.clone()), &d, &vx.base_pos);
                return;
            }
        }
        let was_top = matches!(vx.base, Base::Top);
        vx.base = value::meet_scalar(&vx.base, s, &vx.base_pos);
        if was_top && from_disjunct {
            vx.disjunct_base = true;
        }
    }

    // ----- expansion -----

    /// Processes all conjuncts of `v`: arcs become known, the base value is computed,
    /// disjunctions are recorded. Does not evaluate children.
    pub fn expand(&mut self, v: VertexId) {
        if self.vx(v).status >= Status::Expanding {
            return;
        }
        self.vxm(v).status = Status::Expanding;
        if self.vx(v).parent == Some(self.root) {
            self.entered_top.push(v);
        }
        if self.depth >= self.limits.max_depth {
            let e = self.trip_depth(v);
            self.add_err(v, e);
            self.vxm(v).status = Status::Expanded;
            return;
        }
        self.depth += 1;
        let saved_via = self.via.take();
        let saved_cyc = std::mem::take(&mut self.cyc);
        if let Some(r) = self.vxm(v).rare.as_mut() {
            r.occ.clear();
        }
        let mut i = 0;
        let outer_cycle = std::mem::take(&mut self.cycle_seen);
        let mut any_cycle = false;
        let mut retry = Vec::new();
        self.note_values_ahead(v);
        while i < self.vx(v).conjuncts.len() {
            let c = self.vx(v).conjuncts[i].clone();
            let before = self.vx(v).base.clone();
            self.cycle_seen = false;
            self.cyc = self.conjunct_cyc(v, i, &c.env);
            self.via = env_via(&c.env);
            self.add(v, &c);
            if self.cycle_seen {
                any_cycle = true;
                // Set aside a conjunct that failed only because of the cycle; retry it once
                // the other conjuncts are in.
                if !matches!(before, Base::Err(_))
                    && matches!(&self.vx(v).base, Base::Err(e) if e.is_incomplete())
                {
                    self.vxm(v).base = before;
                    retry.push((i, c));
                }
            }
            i += 1;
        }
        for (i, c) in retry {
            self.cycle_seen = false;
            self.cyc = self.conjunct_cyc(v, i, &c.env);
            self.via = env_via(&c.env);
            self.add(v, &c);
            any_cycle |= self.cycle_seen;
        }
        self.vxm(v).cyclic = any_cycle;
        self.cycle_seen = outer_cycle || any_cycle;
        self.run_deferred(v);
        if !self.vx(v).cyc.postponed.is_empty() || self.vx(v).cyc.any_cyclic {
            self.settle_cycles(v);
            self.run_deferred(v);
        }
        self.apply_patterns(v);
        self.cyc = saved_cyc;
        self.via = saved_via;
        self.depth -= 1;
        self.vxm(v).status = Status::Expanded;
    }

    pub fn run_deferred(&mut self, v: VertexId) {
        let mut empty_embed = false;
        // Batches keep the queue's first-in first-out order (what a deferred item adds runs after
        // the batch) without `remove(0)`, which made a vertex with n deferred fields quadratic.
        loop {
            let batch = self.vxm(v).take_deferred();
            if batch.is_empty() {
                break;
            }
            for (d, env, ci) in batch {
                self.cyc = crate::cycle::env_cyc(&env);
                self.via = env_via(&env);
                match d {
                    Deferred::Dynamic {
                        key,
                        value,
                        optional,
                        pos,
                        slot,
                    } => match self.eval_scalar(key, &env) {
                        Ok(Scalar::Str(s)) => {
                            let label = Label::Field(self.interner.intern(&s));
                            let a = self.get_arc(v, label);
                            let via = self.via;
                            self.vxm(a).origins.push(Origin {
                                rec: slot.0 as u32,
                                decl: slot.1 as u32,
                                pos,
                                via,
                            });
                            if ci != 0 {
                                self.register_labels(v, ci, &[label], &[], false);
                            }
                            self.add_field_conjunct(a, value, env.clone(), ci, optional, pos);
                        }
                        Ok(other) => {
                            let msg = format!("invalid label type {}", other.kind_name());
                            self.add_err(v, Error::eval(msg, vec![pos]));
                        }
                        Err(e) => {
                            if e.is_incomplete() {
                                let msg = "cannot use _ as label".to_string();
                                let _ = msg;
                            }
                            self.add_err(v, e)
                        }
                    },
                    Deferred::Embed(x) => self.add_expr(v, x, &env, ci),
                    Deferred::Comprehension(c) => {
                        let mut yielded = false;
                        let r = self.run_comprehension(&c, &env, 0, &mut |ev, env| {
                            yielded = true;
                            ev.add_expr(v, c.body, &Some(env), ci);
                        });
                        if let Err(e) = r {
                            self.add_err(v, e);
                        } else if let (false, Some(f)) = (yielded, c.fallback) {
                            self.add_expr(v, f, &env, ci);
                        } else if !yielded {
                            empty_embed = true;
                        }
                    }
                }
            }
        }
        // Embeddings that all yielded nothing leave the literal's empty struct, unless another
        // conjunct gave a value: `{ if a {x} \n if b {y} }` is whichever one holds.
        if empty_embed {
            let vx = self.vxm(v);
            if matches!(vx.base, Base::Top) && vx.list.is_none() {
                vx.is_struct = true;
            }
        }
    }

    fn add_field_conjunct(
        &mut self,
        a: VertexId,
        value: ExprId,
        env: Option<Rc<Env>>,
        ci: u32,
        t: ArcType,
        pos: Pos,
    ) {
        let ax = self.vxm(a);
        if t < ax.arc_type || ax.conjuncts.is_empty() {
            ax.arc_type = if ax.conjuncts.is_empty() {
                t
            } else {
                t.min(ax.arc_type)
            };
        }
        ax.arc_pos.push(pos);
        if t == ArcType::Optional {
            let i = ax.conjuncts.len();
            ax.cyc.optional_conjs.push(i);
        }
        self.push_conjunct(
            a,
            Conjunct {
                src: Src::Expr(value),
                env,
                ci,
            },
        );
    }

    /// Adds pattern constraints and list element types to the arcs they match.
    pub fn apply_patterns(&mut self, v: VertexId) {
        let n = self.vx(v).patterns.len();
        if n == 0 {
            return;
        }
        let arcs: Vec<(Label, VertexId)> = self.vx(v).arcs.iter().map(|(l, a)| (*l, *a)).collect();
        for pi in 0..n {
            let p = self.vx(v).patterns[pi].clone();
            for (label, a) in &arcs {
                if !label.is_regular() {
                    continue;
                }
                if self.vx(*a).refs_seen_contains(&(u32::MAX - pi as u32, 0))
                    && self.vx(*a).parent == Some(v)
                {
                    continue;
                }
                let ok = match (p.from_index, label) {
                    (Some(from), Label::Index(i)) => *i >= from,
                    (Some(_), _) => false,
                    (None, Label::Index(_)) => false,
                    (None, _) => self.pattern_matches(v, pi, *label),
                };
                if ok {
                    self.vxm(*a)
                        .rare_mut()
                        .refs_seen
                        .insert((u32::MAX - pi as u32, 0));
                    let key = self.label_vertex(*label);
                    let env = Some(Rc::new(Env {
                        up: p.env.clone(),
                        vertex: p.env.as_ref().map(|e| e.vertex).unwrap_or(v),
                        vars: vec![key, *a],
                        lit: None,
                        lets: RefCell::new(Vec::new()),
                        cyc: crate::cycle::env_cyc(&p.env),
                        via: None,
                        comp: 0,
                    }));
                    let env = if p.from_index.is_some() {
                        p.env.clone()
                    } else {
                        env
                    };
                    let ax = self.vxm(*a);
                    let idx = ax.conjuncts.len();
                    ax.rare_mut().pattern_conjs.push(idx);
                    self.push_conjunct(
                        *a,
                        Conjunct {
                            src: p.value,
                            env,
                            ci: p.ci,
                        },
                    );
                }
            }
        }
    }

    /// A finished vertex holding a label as a value (string or list index).
    pub fn label_vertex(&mut self, l: Label) -> VertexId {
        let s = self.label_scalar(l);
        self.scalar_vertex(s)
    }

    pub fn label_scalar(&self, l: Label) -> Scalar {
        match l {
            Label::Index(i) => Scalar::int(i64::from(i)),
            Label::Field(s) | Label::Def(s) | Label::Hidden(s) | Label::HiddenDef(s) => {
                Scalar::str(self.interner.name(s))
            }
        }
    }

    /// Whether pattern `pi` of `v` matches `label`.
    pub fn pattern_matches(&mut self, v: VertexId, pi: usize, label: Label) -> bool {
        let p = self.vx(v).patterns[pi].clone();
        let val = match p.pattern {
            Src::Expr(e) => self.eval_value(e, &p.env),
            Src::Vertex(w) => Val::V(w),
        };
        let s = self.label_scalar(label);
        self.value_accepts(&val, &s)
    }

    /// Whether unifying `s` with `val` succeeds (pattern matching, `or()` label sets).
    pub fn value_accepts(&mut self, val: &Val, s: &Scalar) -> bool {
        match val {
            Val::S(p) => p == s,
            Val::E(_) => false,
            Val::V(w) => {
                let w = *w;
                self.finalize(w);
                let vx = self.vx(w);
                if vx.is_struct || vx.list.is_some() {
                    return false;
                }
                match vx.base.clone() {
                    Base::Top => true,
                    Base::Err(_) => false,
                    Base::Scalar(p) => &p == s,
                    Base::Constraint(_) => {
                        !matches!(value::meet_scalar(&vx.base, s, &[]), Base::Err(_))
                    }
                    Base::Disj(d) => d
                        .alts
                        .iter()
                        .any(|(a, _)| self.value_accepts(&Val::V(*a), s)),
                }
            }
        }
    }

    /// Unifies one conjunct into `v`.
    pub fn add(&mut self, v: VertexId, c: &Conjunct) {
        if let Err(t) = self.budget.step(self.vertices.len()) {
            let e = self.budget_error(v, t);
            self.add_err(v, e);
            return;
        }
        self.note_conjunct(v);
        match c.src {
            Src::Vertex(w) => {
                self.note_value(v);
                self.add_finished(v, w, c.ci)
            }
            Src::Expr(id) => self.add_expr(v, id, &c.env, c.ci),
        }
    }

    pub fn add_expr(&mut self, v: VertexId, id: ExprId, env: &Option<Rc<Env>>, ci: u32) {
        let prog = self.prog.clone();
        let node = prog.node(id);
        let pos = node.pos;
        if !matches!(
            node.expr,
            Expr::Field { .. }
                | Expr::Let { .. }
                | Expr::Var { .. }
                | Expr::Selector(..)
                | Expr::Index(..)
                | Expr::DynField { .. }
                | Expr::SelfRef { .. }
                | Expr::And(..)
                | Expr::Or(..)
                | Expr::Default(..)
                | Expr::Alias(..)
        ) {
            self.note_value(v);
        }
        match &node.expr {
            Expr::Top => {}
            Expr::Bottom => self.add_err(
                v,
                Error::new(
                    Code::User,
                    "explicit error (_|_ literal) in source",
                    vec![pos],
                ),
            ),
            Expr::Null
            | Expr::Bool(_)
            | Expr::Int(_)
            | Expr::Float(_)
            | Expr::Str(_)
            | Expr::Bytes(_) => match self.literal(&node.expr, pos) {
                Ok(s) => self.meet_scalar_into(v, &s, pos),
                Err(e) => self.add_err(v, e),
            },
            Expr::Kind(k) => {
                let vx = self.vxm(v);
                vx.base_pos.push(pos);
                vx.base = value::meet_kind(&vx.base, *k, &vx.base_pos);
            }
            Expr::Bound(op, e) => match self.eval_scalar(*e, env) {
                Ok(s) => {
                    if matches!(op, BoundOp::Match | BoundOp::NotMatch) {
                        if let Scalar::Str(re) = &s {
                            if let Err(m) = crate::ops::regex::compile(re) {
                                self.add_err(v, Error::eval(m, vec![pos]));
                                return;
                            }
                        }
                    }
                    let vx = self.vxm(v);
                    vx.base_pos.push(pos);
                    vx.base = value::meet_bound(&vx.base, *op, &s, &vx.base_pos);
                }
                Err(err) => {
                    if !self.defer_cyclic_bound(v, id, *e, env, &err) {
                        self.add_err(v, err)
                    }
                }
            },
            Expr::And(a, b) => {
                // A definition embedded alone closes its embedding group itself; embedded in a
                // conjunction (`{_h & #D}`), it must close only its own operand, or the other
                // operand's fields would count as the embedding's own.
                let g = &self.groups[ci as usize];
                let ci = if ci != 0 && g.embed && !g.closing && g.at == v {
                    let c = self.new_group(ci, false, false);
                    self.groups[c as usize].at = v;
                    c
                } else {
                    ci
                };
                self.add_expr(v, *a, env, ci);
                self.add_expr(v, *b, env, ci);
            }
            Expr::Or(terms) => self.add_or(v, id, terms, env, ci),
            Expr::Default(e) => self.add_expr(v, *e, env, ci),
            Expr::Struct(lit) => self.add_struct(v, lit, env, ci),
            Expr::List(lit) => self.add_list(v, lit, env, ci),
            Expr::Alias(x) => self.add_expr(v, *x, env, ci),
            Expr::Field { .. }
            | Expr::Let { .. }
            | Expr::Var { .. }
            | Expr::Selector(..)
            | Expr::Index(..)
            | Expr::DynField { .. }
            | Expr::SelfRef { .. } => match self.resolve(id, env) {
                Ok(w) => {
                    // cue positions the struct literals reached through a reference by the
                    // outermost reference of the chain.
                    let outer = self.via.is_none();
                    if outer {
                        self.via = Some(Via { expr: id, pos });
                    }
                    self.add_ref_x(v, w, ci, pos, Some(id));
                    if outer {
                        self.via = None;
                    }
                }
                Err(e) => self.add_err(v, e),
            },
            // A bare validator (`a: json.Valid`) constrains like a call without arguments.
            Expr::PkgMember(path, name)
                if crate::stdlib::lookup(path, name).is_some_and(|b| b.is_validator(0)) =>
            {
                self.vxm(v).rare_mut().validators.push((id, env.clone()));
            }
            // A function stored in a field (`f: strings.ToUpper`, `let c = close`) constrains
            // nothing here; a call through the field finds it among the conjuncts
            // (`Evaluator::callee`).
            Expr::PkgMember(path, name)
                if crate::stdlib::lookup(path, name).is_some_and(|b| !b.is_const()) => {}
            Expr::Builtin(_) => {}
            Expr::Call(f, args) => {
                if let Expr::PkgMember(path, name) = &prog.node(*f).expr {
                    if crate::stdlib::lookup(path, name).is_some_and(|b| b.is_validator(args.len()))
                    {
                        self.vxm(v).rare_mut().validators.push((id, env.clone()));
                        return;
                    }
                }
                // `close`, `and`, `or` also when called through a reference (`let c = close`).
                let builtin = match &prog.node(*f).expr {
                    Expr::Builtin(b) => Some(*b),
                    Expr::Field { .. } | Expr::Let { .. } | Expr::Var { .. } => self
                        .resolve(*f, env)
                        .ok()
                        .and_then(|w| self.callee(w, 0))
                        .and_then(|c| match prog.node(c).expr {
                            Expr::Builtin(b) => Some(b),
                            _ => None,
                        }),
                    _ => None,
                };
                if let Some(b) = builtin {
                    match (b, args.len()) {
                        (Builtin::Close, 1) => {
                            let g = self.new_group(ci, true, false);
                            self.groups[g as usize].shallow = true;
                            self.groups[g as usize].at = v;
                            self.add_expr(v, args[0], env, g);
                            return;
                        }
                        (Builtin::And, 1) => {
                            match self.eval_value(args[0], env) {
                                Val::V(l) => {
                                    let l = self.deref_default(l);
                                    let elems: Vec<VertexId> =
                                        self.vx(l).arcs.values().copied().collect();
                                    if self.vx(l).list.is_none() {
                                        self.add_err(
                                            v,
                                            Error::eval("and: argument must be a list", vec![pos]),
                                        );
                                    }
                                    for e in elems {
                                        self.add_ref(v, e, ci, pos);
                                    }
                                }
                                Val::E(e) => self.add_err(v, e),
                                Val::S(_) => self.add_err(
                                    v,
                                    Error::eval(
                                        "cannot use value as list in argument 1 to and",
                                        vec![pos],
                                    ),
                                ),
                            }
                            return;
                        }
                        (Builtin::Or, 1) => {
                            self.add_or_builtin(v, id, args[0], env, ci, pos);
                            return;
                        }
                        (Builtin::MatchN, 2) | (Builtin::MatchIf, 3) => {
                            self.vxm(v).rare_mut().validators.push((id, env.clone()));
                            return;
                        }
                        _ => {}
                    }
                }
                let val = self.eval_value(id, env);
                self.add_val(v, val, ci, pos);
            }
            Expr::Error(m) => self.add_err(v, Error::eval(m.to_string(), vec![pos])),
            _ => {
                let outer = std::mem::take(&mut self.cycle_seen);
                let val = self.eval_value(id, env);
                let hit = self.cycle_seen;
                self.cycle_seen |= outer;
                if hit && self.defer_cyclic_value(v, id, env, &val) {
                    return;
                }
                if hit && matches!(val, Val::S(_)) {
                    // Computed from a value that is not final yet: verified once it is.
                    self.cycle_checks.push(crate::cycle::CycleCheck {
                        v,
                        bound: id,
                        env: env.clone(),
                        verify: true,
                    });
                }
                self.add_val(v, val, ci, pos);
            }
        }
    }

    pub fn add_val(&mut self, v: VertexId, val: Val, ci: u32, pos: Pos) {
        match val {
            Val::S(s) => self.meet_scalar_into(v, &s, pos),
            Val::V(w) => self.add_finished(v, w, ci),
            Val::E(e) => self.add_err(v, e),
        }
    }

    /// Unifies a finished vertex into `v` (results of calls, operators, `Src::Vertex`).
    pub fn add_finished(&mut self, v: VertexId, w: VertexId, ci: u32) {
        if v == w {
            return;
        }
        self.finalize(w);
        let wx = self.vx(w);
        if let Base::Disj(d) = &wx.base {
            let alts: Vec<Alt> = d
                .alts
                .iter()
                .map(|(a, df)| Alt {
                    src: Src::Vertex(*a),
                    env: None,
                    default: *df,
                    ci,
                })
                .collect();
            let has_default = alts.iter().any(|a| a.default);
            let key = (u32::MAX - w, 0);
            self.add_pending(v, key, alts, has_default);
            return;
        }
        let base = wx.base.clone();
        let pos = wx.base_pos.clone();
        let is_struct = wx.is_struct;
        let list = wx.list.clone();
        let arcs: Vec<(Label, VertexId, ArcType)> = wx
            .arcs
            .iter()
            .map(|(l, a)| (*l, *a, self.vx(*a).arc_type))
            .collect();
        let closed: Vec<(u32, AllowSet)> = wx
            .allowed
            .iter()
            .filter(|(g, _)| self.groups[*g as usize].closing)
            .cloned()
            .collect();
        let vx = self.vxm(v);
        vx.base_pos.extend(pos);
        vx.base = value::meet(&vx.base, &base, &vx.base_pos);
        vx.is_struct |= is_struct;
        if let Some(l) = list {
            let vl = vx.list.get_or_insert_with(ListInfo::default);
            vl.lits.extend(l.lits);
        }
        for (g, set) in closed {
            if set.patterns.is_empty() {
                self.vxm(v).allowed.push((g, set));
            }
        }
        for (l, a, t) in arcs {
            let na = self.get_arc(v, l);
            let nx = self.vxm(na);
            if nx.conjuncts.is_empty() || t < nx.arc_type {
                nx.arc_type = if nx.conjuncts.is_empty() {
                    t
                } else {
                    t.min(nx.arc_type)
                };
            }
            self.push_conjunct(
                na,
                Conjunct {
                    src: Src::Vertex(a),
                    env: None,
                    ci,
                },
            );
        }
    }

    /// Adds the conjuncts of the referenced vertex `w` to `v`.
    pub fn add_ref(&mut self, v: VertexId, w: VertexId, ci: u32, pos: Pos) {
        self.add_ref_x(v, w, ci, pos, None)
    }

    /// `add_ref` for the reference expression `x`, checked for structural cycles first.
    pub fn add_ref_x(&mut self, v: VertexId, w: VertexId, ci: u32, pos: Pos, x: Option<ExprId>) {
        if w == v {
            return;
        }
        let closing = match x {
            Some(x) => self.ref_names_def(x) || self.vx(w).label.is_some_and(|l| l.is_def()),
            None => self.in_definition(w),
        };
        match self.check_ref_cycle(v, w, x) {
            crate::cycle::RefCheck::Skip => {}
            crate::cycle::RefCheck::Postpone(cyc) => {
                self.vxm(v).cyc.postponed.push(crate::cycle::Postponed {
                    target: w,
                    ci,
                    pos,
                    cyc,
                    closing,
                });
            }
            crate::cycle::RefCheck::Follow(cyc) => {
                let saved = std::mem::replace(&mut self.cyc, cyc);
                self.follow_ref(v, w, ci, pos, closing);
                self.cyc = saved;
            }
        }
    }

    /// Whether `v` may take the finished value of the definition `w` it refers to instead of
    /// re-adding its conjuncts, as cue's structure sharing does for a field whose one
    /// conjunct is the reference. It matters where `w` is a disjunction one of whose
    /// disjuncts refers to `w` again: `w`'s own evaluation finds that disjunct cyclic (its
    /// reference meets `w` under evaluation), while re-adding it in `v` would go one level
    /// deeper first (`#T: ["a", #T] | ["d"], x: #T` is `["d"]`).
    fn can_share(&mut self, v: VertexId, w: VertexId) -> bool {
        let vx = self.vx(v);
        if vx.conjuncts.len() != 1 || !vx.arcs.is_empty() || !vx.patterns.is_empty() {
            return false;
        }
        if !vx.choices.is_empty() || vx.parent.is_none() {
            return false;
        }
        let own_disj = self.vx(w).conjuncts.iter().any(|c| match c.src {
            Src::Expr(e) => matches!(self.prog.node(e).expr, Expr::Or(..)),
            Src::Vertex(_) => false,
        });
        if !own_disj || self.cycle_ancestor(w, v) {
            return false;
        }
        // Like cue's shared vertex, `w` is evaluated on its own first; one already under
        // evaluation is not shared.
        if matches!(self.vx(w).status, Status::New | Status::Expanded) {
            self.finalize(w);
        }
        let wx = self.vx(w);
        // A disjunction value is left to be re-added: its alternatives, taken finished,
        // would no longer see the conjuncts unified with them.
        wx.status == Status::Done
            && !self.is_pending(w)
            && !matches!(wx.base, Base::Err(_) | Base::Disj(_))
    }

    /// Whether a reference expression names a definition anywhere on its selection path
    /// (`#A`, `#A.b`, `x.#B[0]`), as cue's `IsDef`. Only such a reference closes what it
    /// adds: a sibling field referenced inside a definition (`_b: _a & {y: {}}` in `#X`)
    /// takes the closedness of the place it is referenced from.
    fn ref_names_def(&self, x: ExprId) -> bool {
        match &self.prog.node(x).expr {
            Expr::Field { label, .. } => label.is_def(),
            Expr::Selector(e, label) => label.is_def() || self.ref_names_def(*e),
            Expr::Index(e, _) => self.ref_names_def(*e),
            _ => false,
        }
    }

    /// Adds the conjuncts of `w` to `v` under the current cycle state.
    /// `closing`: the reference closes what it adds (see `ref_names_def`).
    pub fn follow_ref(&mut self, v: VertexId, w: VertexId, ci: u32, _pos: Pos, closing: bool) {
        // The same vertex embedded twice by one literal (`{#r, #r}`) adds nothing new: its
        // embeddings are alternatives of one class, so it is followed once for the class.
        let grp = &self.groups[ci as usize];
        let key = if grp.embed && grp.sib != 0 {
            grp.sib
        } else {
            ci
        };
        if !self.vxm(v).rare_mut().refs_seen.insert((w, key)) {
            return;
        }
        // The conjuncts of `w` are complete once its parent has been expanded.
        if let Some(p) = self.vx(w).parent {
            self.expand(p);
        }
        if closing && self.can_share(v, w) {
            self.add_finished(v, w, ci);
            return;
        }
        let st = self.vx(w).status;
        if st == Status::Done && self.vx(w).conjuncts.is_empty() {
            // A value built by the evaluator (let, builtin result): unify it as is.
            self.add_finished(v, w, ci);
            return;
        }
        let nci = if closing {
            let g = &self.groups[ci as usize];
            if ci != 0 && g.embed && !g.closing && g.at == v {
                self.groups[ci as usize].closing = true;
                ci
            } else {
                let g = self.new_group(ci, true, false);
                self.groups[g as usize].at = v;
                g
            }
        } else {
            ci
        };
        let conjs = self.vx(w).conjuncts.clone();
        for c in conjs {
            // A literal's field group only matters where the literal is; through a reference
            // the fields take the referring context's closedness (or their literal's).
            let own = match c.ci {
                0 => 0,
                g if self.groups[g as usize].companion != 0 => self.groups[g as usize].parent,
                g => g,
            };
            let cci = if closing {
                nci
            } else if ci != 0 {
                ci
            } else {
                own
            };
            self.add(
                v,
                &Conjunct {
                    src: c.src,
                    env: c.env,
                    ci: cci,
                },
            );
        }
    }

    fn register_labels(
        &mut self,
        v: VertexId,
        ci: u32,
        labels: &[Label],
        patterns: &[usize],
        open: bool,
    ) {
        let mut g = ci;
        while g != 0 {
            let vx = self.vxm(v);
            let idx = match vx.allowed.iter().position(|(x, _)| *x == g) {
                Some(i) => i,
                None => {
                    vx.allowed.push((g, AllowSet::default()));
                    vx.allowed.len() - 1
                }
            };
            let set = &mut vx.allowed[idx].1;
            set.labels.extend(labels.iter().copied());
            set.patterns.extend_from_slice(patterns);
            set.open |= open;
            g = self.groups[g as usize].parent;
        }
    }

    fn add_struct(
        &mut self,
        v: VertexId,
        lit: &std::sync::Arc<StructLit>,
        env: &Option<Rc<Env>>,
        ci: u32,
    ) {
        let e = Rc::new(Env {
            up: env.clone(),
            vertex: v,
            vars: Vec::new(),
            lit: Some(lit.clone()),
            lets: RefCell::new(vec![None; lit.lets.len()]),
            cyc: self.cyc.clone(),
            via: self.via,
            comp: 0,
        });
        let se = Some(e);
        // Comprehensions are embeddings too: `b: { if c {1} }` is `1` when `c` holds.
        // `{[1, 3], #foo: int}` is a list: embeddings with only definitions or hidden fields
        // beside them do not make a struct.
        let only_embeds = lit
            .decls
            .iter()
            .any(|d| matches!(d, Decl::Embed(_) | Decl::Comprehension(_)))
            && lit.decls.iter().all(|d| match d {
                Decl::Embed(_) | Decl::Comprehension(_) => true,
                Decl::Field { label, .. } => !label.is_regular(),
                _ => false,
            });
        if !only_embeds {
            self.vxm(v).is_struct = true;
        }
        // First the static shape (labels, patterns, openness) so that embeddings, processed in
        // declaration order below, know which fields their literal declares.
        let mut labels = Vec::new();
        let mut pats = Vec::new();
        let mut open = false;
        for d in &lit.decls {
            match d {
                Decl::Field { label, .. } => labels.push(*label),
                Decl::Pattern { pattern, value } => {
                    let p = PatternC {
                        pattern: Src::Expr(*pattern),
                        value: Src::Expr(*value),
                        env: se.clone(),
                        ci,
                        from_index: None,
                    };
                    let vx = self.vxm(v);
                    vx.patterns.push(p);
                    pats.push(vx.patterns.len() - 1);
                }
                Decl::Ellipsis(_) => open = true,
                Decl::Embed(_) | Decl::Dynamic { .. } | Decl::Comprehension(_) => {}
            }
        }
        if ci != 0 {
            self.register_labels(v, ci, &labels, &pats, open);
        }
        let rec_idx = self.record_struct(v, lit, env);
        // The first embedding's group is made up front, so the literal's own fields can name it
        // as the class whose closedness they belong to.
        let mut embed_group = None;
        let mut field_group = None;
        // A file of a package whose files share one embedding class: every embedding gets its
        // own group in that class (the class group itself stays without requirements).
        let file_class = match self.file_groups {
            Some((g, f)) if ci == 0 && env.is_none() && v == self.root => {
                embed_group = Some(g);
                field_group = Some(f);
                self.register_labels_only(v, f, &labels, &pats, open);
                true
            }
            _ => false,
        };
        if !file_class && lit.decls.iter().any(|d| matches!(d, Decl::Embed(_))) {
            let g = self.new_group(ci, false, true);
            self.groups[g as usize].sib = g;
            self.groups[g as usize].at = v;
            embed_group = Some(g);
            let base = if ci != 0 && self.groups[ci as usize].shallow {
                self.groups[ci as usize].parent
            } else {
                ci
            };
            let f = self.new_group(base, false, false);
            self.groups[f as usize].companion = g;
            // What the literal declares stays allowed beside a definition closing one of its
            // embeddings (`{_h & #D, x: 1}` allows `x`, not the fields `_h` brings).
            self.register_labels_only(v, f, &labels, &pats, open);
            field_group = Some(f);
        }
        // Embeddings come after the literal's own fields, so one may refer to a field declared
        // after it (`{a, a: {b: 1}}`).
        let mut embeds = Vec::new();
        for (di, d) in lit.decls.iter().enumerate() {
            match d {
                Decl::Field {
                    label,
                    constraint,
                    value,
                    pos,
                } => {
                    let a = self.get_arc(v, *label);
                    let t = arc_type(*constraint);
                    // `close()` closes one level: fields of the closed struct stay open.
                    let child_ci = if let Some(f) = field_group {
                        f
                    } else if ci != 0 && self.groups[ci as usize].shallow {
                        self.groups[ci as usize].parent
                    } else {
                        ci
                    };
                    let via = self.via;
                    self.vxm(a).origins.push(Origin {
                        rec: rec_idx as u32,
                        decl: di as u32,
                        pos: *pos,
                        via,
                    });
                    self.add_field_conjunct(a, *value, se.clone(), child_ci, t, *pos);
                }
                Decl::Dynamic {
                    key,
                    constraint,
                    value,
                    pos,
                } => {
                    let slot = (rec_idx, di);
                    let d = Deferred::Dynamic {
                        key: *key,
                        value: *value,
                        optional: arc_type(*constraint),
                        pos: *pos,
                        slot,
                    };
                    self.vxm(v).rare_mut().deferred.push((d, se.clone(), ci));
                }
                Decl::Embed(_) => embeds.push(di),
                Decl::Comprehension(c) => {
                    self.vxm(v).rare_mut().deferred.push((
                        Deferred::Comprehension(c.clone()),
                        se.clone(),
                        ci,
                    ));
                }
                Decl::Pattern { .. } | Decl::Ellipsis(_) => {}
            }
        }
        for (i, di) in embeds.into_iter().enumerate() {
            let Decl::Embed(x) = &lit.decls[di] else {
                continue;
            };
            // The embeddings of one literal are alternatives for closedness: a field any of
            // them allows is allowed (`{#A, #B}` allows the fields of both).
            let first = *embed_group.get_or_insert_with(|| self.new_group(ci, false, true));
            // The class group of a package's files has no requirements of its own: each of
            // their embeddings gets its own group in it.
            let g = if i == 0 && !file_class {
                first
            } else {
                self.new_group(ci, false, true)
            };
            self.groups[g as usize].sib = first;
            self.groups[g as usize].at = v;
            self.register_labels_only(v, g, &labels, &pats, open);
            self.vxm(v)
                .rare_mut()
                .deferred
                .push((Deferred::Embed(*x), se.clone(), g));
        }
    }

    /// Records a struct literal unified into `v` for cue's field order: once per vertex, as
    /// cue's `StructInfo`s, counting the repeats (comprehension iterations).
    fn record_struct(
        &mut self,
        v: VertexId,
        lit: &std::sync::Arc<StructLit>,
        env: &Option<Rc<Env>>,
    ) -> usize {
        let mut comp_id = 0;
        let mut scope = env.as_deref();
        while let Some(e) = scope {
            if e.comp != 0 {
                comp_id = e.comp;
                break;
            }
            scope = e.up.as_deref();
        }
        let vx = self.vxm(v);
        if let Some(i) = vx
            .structs
            .iter()
            .position(|r| std::sync::Arc::ptr_eq(&r.lit, lit))
        {
            vx.structs[i].repeats += 1;
            return i;
        }
        vx.structs.push(StructRecord {
            lit: lit.clone(),
            repeats: 0,
            comp_id,
        });
        vx.structs.len() - 1
    }

    fn register_labels_only(
        &mut self,
        v: VertexId,
        g: u32,
        labels: &[Label],
        patterns: &[usize],
        open: bool,
    ) {
        let vx = self.vxm(v);
        let set = AllowSet {
            labels: labels.iter().copied().collect(),
            patterns: patterns.to_vec(),
            open,
        };
        vx.allowed.push((g, set));
    }

    fn add_list(
        &mut self,
        v: VertexId,
        lit: &std::sync::Arc<ListLit>,
        env: &Option<Rc<Env>>,
        ci: u32,
    ) {
        // Comprehension bodies keep the plain environment: their own scopes hang off it.
        let lenv = self.list_env(env);
        let mut n: u32 = 0;
        for el in &lit.elems {
            match el {
                ListElem::Expr(x) => {
                    let a = self.get_arc(v, Label::Index(n));
                    let pos = self.prog.node(*x).pos;
                    self.add_field_conjunct(a, *x, lenv.clone(), ci, ArcType::Regular, pos);
                    n += 1;
                }
                ListElem::Comprehension(c) => {
                    let mut bodies = Vec::new();
                    let r = self.run_comprehension(c, env, 0, &mut |_, env| bodies.push(env));
                    if let Err(e) = r {
                        self.add_err(v, e);
                    }
                    if bodies.is_empty() {
                        if let Some(f) = c.fallback {
                            let a = self.get_arc(v, Label::Index(n));
                            let pos = self.prog.node(f).pos;
                            self.add_field_conjunct(a, f, env.clone(), ci, ArcType::Regular, pos);
                            n += 1;
                        }
                    }
                    for benv in bodies {
                        let a = self.get_arc(v, Label::Index(n));
                        let pos = self.prog.node(c.body).pos;
                        self.add_field_conjunct(a, c.body, Some(benv), ci, ArcType::Regular, pos);
                        n += 1;
                    }
                }
            }
        }
        let open = lit.ellipsis.is_some();
        let vx = self.vxm(v);
        vx.list
            .get_or_insert_with(ListInfo::default)
            .lits
            .push((n, open, lit.pos));
        if let Some(Some(t)) = lit.ellipsis {
            vx.patterns.push(PatternC {
                pattern: Src::Expr(t),
                value: Src::Expr(t),
                env: lenv,
                ci,
                from_index: Some(n),
            });
        }
    }

    /// The environment a list literal's elements are added in: its own scope's, carrying the
    /// cycle state of the conjunct that added the list (a list opens no scope, so the state a
    /// struct literal keeps in its own environment goes on a copy of this one). Without it
    /// `#T: ["a", #T] | ["d"]` would recurse instead of eliminating its first alternative.
    fn list_env(&self, env: &Option<Rc<Env>>) -> Option<Rc<Env>> {
        let e = env.as_ref()?;
        let same = self.cyc.kind == e.cyc.kind
            && match (&self.cyc.refs, &e.cyc.refs) {
                (None, None) => true,
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                _ => false,
            };
        if same {
            return env.clone();
        }
        Some(Rc::new(Env {
            up: e.up.clone(),
            vertex: e.vertex,
            vars: e.vars.clone(),
            lit: e.lit.clone(),
            lets: RefCell::new(e.lets.borrow().clone()),
            cyc: self.cyc.clone(),
            via: e.via,
            comp: e.comp,
        }))
    }

    /// Runs the clauses of a comprehension from `i`, calling `body` with the innermost env.
    /// Each run is one firing, with its own id stamped on the scopes its clauses make.
    pub fn run_comprehension(
        &mut self,
        c: &Comprehension,
        env: &Option<Rc<Env>>,
        i: usize,
        body: &mut dyn FnMut(&mut Self, Rc<Env>),
    ) -> Result<(), Rc<Error>> {
        self.comp_seq += 1;
        let firing = self.comp_seq;
        self.run_clauses(c, env, i, firing, body)
    }

    fn run_clauses(
        &mut self,
        c: &Comprehension,
        env: &Option<Rc<Env>>,
        i: usize,
        firing: u32,
        body: &mut dyn FnMut(&mut Self, Rc<Env>),
    ) -> Result<(), Rc<Error>> {
        let Some(cl) = c.clauses.get(i) else {
            let e = match env {
                Some(e) => e.clone(),
                None => Rc::new(Env {
                    up: None,
                    vertex: self.root,
                    vars: vec![],
                    lit: None,
                    lets: RefCell::new(vec![]),
                    cyc: Default::default(),
                    via: None,
                    comp: firing,
                }),
            };
            body(self, e);
            return Ok(());
        };
        let cur_vertex = env.as_ref().map(|e| e.vertex).unwrap_or(self.root);
        // Each iteration is work even when a guard yields nothing (`for i in r for j in r if
        // false`), so it counts against the step, node and time budgets.
        if let Err(t) = self.budget.step(self.vertices.len()) {
            return Err(self.budget_error(cur_vertex, t));
        }
        match cl {
            Clause::For { src, pos } => {
                let val = self.for_source(*src, env);
                let w = match val {
                    Val::V(w) if matches!(self.vx(w).base, Base::Disj(_)) => self.deref_default(w),
                    Val::V(w) => w,
                    Val::E(e) => return Err(e),
                    Val::S(s) => {
                        let msg = format!(
                            "cannot range over {} (found {}, want list or struct)",
                            s.to_message_text(),
                            s.kind_name()
                        );
                        return Err(Error::eval(msg, vec![*pos]));
                    }
                };
                if let Base::Err(e) = &self.vx(w).base {
                    return Err(e.clone());
                }
                let wx = self.vx(w);
                if !wx.is_struct && wx.list.is_none() {
                    let msg = format!(
                        "cannot range over {} (incomplete type {})",
                        self.expr_text(*src),
                        self.base_text(w)
                    );
                    let code = if matches!(wx.base, Base::Scalar(_)) {
                        Code::Eval
                    } else {
                        Code::Incomplete
                    };
                    return Err(Error::new(code, msg, vec![*pos]));
                }
                // cue ranges over the fields in the order they were added.
                let in_order: Vec<(Label, VertexId)> = match &wx.inserted {
                    Some(ls) => {
                        let mut v: Vec<(Label, VertexId)> = ls
                            .iter()
                            .filter_map(|l| wx.arcs.get(l).map(|a| (*l, *a)))
                            .collect();
                        // Arcs added after the sort follow, in arc order.
                        if wx.arcs.len() > v.len() {
                            v.extend(
                                wx.arcs
                                    .iter()
                                    .filter(|(l, _)| !ls.contains(l))
                                    .map(|(l, a)| (*l, *a)),
                            );
                        }
                        v
                    }
                    None => wx.arcs.iter().map(|(l, a)| (*l, *a)).collect(),
                };
                let arcs: Vec<(Label, VertexId)> = in_order
                    .into_iter()
                    .filter(|(l, a)| l.is_regular() && self.vx(*a).arc_type == ArcType::Regular)
                    .collect();
                for (l, a) in arcs {
                    let k = self.label_vertex(l);
                    let e = Rc::new(Env {
                        up: env.clone(),
                        vertex: cur_vertex,
                        vars: vec![k, a],
                        lit: None,
                        lets: RefCell::new(vec![]),
                        cyc: crate::cycle::env_cyc(env),
                        via: None,
                        comp: firing,
                    });
                    self.run_clauses(c, &Some(e), i + 1, firing, body)?;
                }
                Ok(())
            }
            Clause::If(cond) => match self.eval_scalar(*cond, env) {
                Ok(Scalar::Bool(true)) => self.run_clauses(c, env, i + 1, firing, body),
                Ok(Scalar::Bool(false)) => Ok(()),
                Ok(other) => {
                    let pos = self.prog.node(*cond).pos;
                    let msg = format!(
                        "cannot use {} (type {}) as type bool",
                        other.to_message_text(),
                        other.kind_name()
                    );
                    Err(Error::eval(msg, vec![pos]))
                }
                Err(e) => Err(e),
            },
            Clause::TryBody => {
                let t = self.new_vertex(None, None);
                self.vxm(t).conjuncts.push(Conjunct {
                    src: Src::Expr(c.body),
                    env: env.clone(),
                    ci: 0,
                });
                // Only an absent optional reference discards the body; other errors are
                // the body's, where it is added.
                if self.try_body_skips(t) {
                    return Ok(());
                }
                self.run_clauses(c, env, i + 1, firing, body)
            }
            Clause::Try(x) => {
                let t = self.new_vertex(None, None);
                self.vxm(t).conjuncts.push(Conjunct {
                    src: Src::Expr(*x),
                    env: env.clone(),
                    ci: 0,
                });
                if self.try_body_skips(t) {
                    return Ok(());
                }
                let w = self.deref_default(t);
                let e = Rc::new(Env {
                    up: env.clone(),
                    vertex: cur_vertex,
                    vars: vec![w],
                    lit: None,
                    lets: RefCell::new(vec![]),
                    cyc: crate::cycle::env_cyc(env),
                    via: None,
                    comp: firing,
                });
                self.run_clauses(c, &Some(e), i + 1, firing, body)
            }
            Clause::Let(x) => {
                let lv = self.new_vertex(Some(cur_vertex), None);
                self.vxm(lv).conjuncts.push(Conjunct {
                    src: Src::Expr(*x),
                    env: env.clone(),
                    ci: 0,
                });
                let e = Rc::new(Env {
                    up: env.clone(),
                    vertex: cur_vertex,
                    vars: vec![lv],
                    lit: None,
                    lets: RefCell::new(vec![]),
                    cyc: crate::cycle::env_cyc(env),
                    via: None,
                    comp: firing,
                });
                self.run_clauses(c, &Some(e), i + 1, firing, body)
            }
        }
    }

    // ----- finalization -----

    /// Fully evaluates `v` and its subtree.
    pub fn finalize(&mut self, v: VertexId) {
        if self.vx(v).status >= Status::Finalizing {
            if self.resolving.contains(&v) {
                // Its value is being chosen among its disjuncts: needing it is a reference
                // cycle, as for a vertex still being expanded.
                self.cycle_seen = true;
                self.cycle_met = true;
            }
            return;
        }
        if self.vx(v).status == Status::Expanding {
            // The value of a vertex still being expanded is needed: a reference cycle.
            self.cycle_seen = true;
            self.cycle_met = true;
            return;
        }
        self.expand(v);
        if self.vx(v).status >= Status::Finalizing {
            return;
        }
        self.vxm(v).status = Status::Finalizing;
        if self.depth >= self.limits.max_depth {
            let e = self.trip_depth(v);
            self.add_err(v, e);
            let vx = self.vxm(v);
            vx.err_rec = true;
            vx.status = Status::Done;
            return;
        }
        self.depth += 1;
        // A disjunct clone that already conflicts fails whatever its remaining disjunctions
        // choose; branching on them anyway is exponential (`(1|2) & (1|2) & ...`).
        let doomed = !self.vx(v).choices.is_empty()
            && matches!(&self.vx(v).base, Base::Err(e) if !e.is_incomplete());
        if !self.vx(v).disj().is_empty() && !doomed {
            self.resolving.push(v);
            self.resolve_disjunctions(v);
            self.resolving.pop();
        } else {
            self.check_kinds(v);
            self.check_list(v);
            self.check_closed(v);
            self.order_fields(v);
            let arcs: Vec<VertexId> = self.vx(v).arcs.values().copied().collect();
            let mut err = matches!(&self.vx(v).base, Base::Err(e) if !e.is_incomplete());
            for a in arcs {
                self.finalize(a);
                let ax = self.vx(a);
                if ax.arc_type != ArcType::Optional && ax.err_rec {
                    err = true;
                }
            }
            if !self.vx(v).validators().is_empty() {
                self.run_validators(v);
                err |= matches!(&self.vx(v).base, Base::Err(e) if !e.is_incomplete());
            }
            self.vxm(v).err_rec = err;
        }
        self.depth -= 1;
        self.vxm(v).status = Status::Done;
        // A scalar computed while a cycle was open may resolve once the cycle closes
        // (`x: y + 1, y: x - 1, x: 2`): forget the incomplete result so it is recomputed.
        let vx = self.vx(v);
        if vx.cyclic
            && vx.arcs.is_empty()
            && !vx.is_struct
            && vx.list.is_none()
            && matches!(&vx.base, Base::Err(e) if e.is_incomplete())
        {
            let vx = self.vxm(v);
            vx.status = Status::New;
            vx.base = Base::Top;
            vx.base_pos.clear();
            if let Some(r) = vx.rare.as_mut() {
                r.refs_seen.clear();
                r.disj.clear();
            }
            vx.structs.clear();
            vx.cyclic = false;
            let optional_conjs = std::mem::take(&mut vx.cyc.optional_conjs);
            vx.cyc = crate::cycle::CycState {
                optional_conjs,
                ..Default::default()
            };
        }
        if self.depth == 0 && !self.cycle_checks.is_empty() {
            // Evaluations the rechecks start are not outermost: they must not recheck again.
            self.depth += 1;
            self.recheck_cycle_bounds();
            self.depth -= 1;
        }
    }

    /// Finalizes the arcs of `v` with the given labels in `v`'s field order, as one outermost
    /// evaluation (set-aside cycle checks are settled once, after all of them), the way
    /// finalizing `v` itself would reach them.
    pub fn finalize_arcs_in_order(&mut self, v: VertexId, labels: &[Label]) {
        self.expand(v);
        let arcs: Vec<VertexId> = self
            .vx(v)
            .arcs
            .iter()
            .filter(|(l, _)| labels.contains(l))
            .map(|(_, a)| *a)
            .collect();
        self.depth += 1;
        for a in arcs {
            self.finalize(a);
        }
        self.depth -= 1;
        if self.depth == 0 && !self.cycle_checks.is_empty() {
            self.depth += 1;
            self.recheck_cycle_bounds();
            self.depth -= 1;
        }
    }

    /// A struct or list cannot also be a scalar.
    pub(crate) fn check_kinds(&mut self, v: VertexId) {
        let vx = self.vx(v);
        let shape = if vx.list.is_some() {
            Some((kind::LIST, "list"))
        } else if vx.is_struct {
            Some((kind::STRUCT, "struct"))
        } else {
            None
        };
        let Some((k, name)) = shape else { return };
        if vx.list.is_some() && vx.is_struct {
            let msg =
                "conflicting values struct and list (mismatched types struct and list)".to_string();
            let pos = vx.base_pos.to_vec();
            self.add_err(v, Error::eval(msg, pos));
            return;
        }
        let conflict = match &vx.base {
            Base::Scalar(s) => Some((s.to_message_text(), s.kind_name().to_string())),
            Base::Constraint(c) if c.kinds & k == 0 => {
                Some((value::constraint_text(c), value::kind_name(c.kinds)))
            }
            _ => None,
        };
        if let Some((text, kname)) = conflict {
            let shape_text = self.shape_text(v);
            let msg = format!(
                "conflicting values {text} and {shape_text} (mismatched types {kname} and {name})"
            );
            let pos = vx.base_pos.to_vec();
            self.add_err(v, Error::eval(msg, pos));
        }
    }

    fn check_list(&mut self, v: VertexId) {
        let Some(info) = self.vx(v).list.clone() else {
            return;
        };
        let closed: Vec<&(u32, bool, Pos)> = info.lits.iter().filter(|l| !l.1).collect();
        let max_open = info.lits.iter().filter(|l| l.1).map(|l| l.0).max();
        if let Some(first) = closed.first() {
            for other in &closed[1..] {
                if other.0 != first.0 {
                    let msg = format!("incompatible list lengths ({} and {})", other.0, first.0);
                    self.add_err(v, Error::eval(msg, vec![first.2, other.2]));
                    return;
                }
            }
            if let Some(m) = max_open {
                if m > first.0 {
                    let msg = format!("incompatible list lengths ({} and {})", first.0, m);
                    self.add_err(v, Error::eval(msg, vec![first.2]));
                    return;
                }
            }
            // Elements beyond a closed list's length are not allowed.
            let n = first.0;
            let extra: Vec<VertexId> = self
                .vx(v)
                .arcs
                .iter()
                .filter(|(l, _)| matches!(l, Label::Index(i) if *i >= n))
                .map(|(_, a)| *a)
                .collect();
            if !extra.is_empty() {
                let msg = format!("index out of range [{n}] with length {n}");
                self.add_err(v, Error::eval(msg, vec![first.2]));
            }
        }
    }

    /// The default of a finished disjunction (or the vertex itself).
    pub fn deref_default(&mut self, v: VertexId) -> VertexId {
        self.finalize(v);
        let mut cur = v;
        for _ in 0..64 {
            match &self.vx(cur).base {
                Base::Disj(d) => match d.default() {
                    Some(a) => cur = a,
                    None => return cur,
                },
                _ => return cur,
            }
        }
        cur
    }

    /// Looks up an arc for selection (`x.a`), going through a disjunction's default.
    /// A selected arc that only optional (`a?:`) or required (`a!:`) declarations created is
    /// not a field yet: selecting it is incomplete, as in cue, so `p.x != _|_` guards work.
    fn present_arc(
        &mut self,
        arc: VertexId,
        label: Label,
        pos: Pos,
    ) -> Result<VertexId, Rc<Error>> {
        if self.vx(arc).arc_type == ArcType::Regular {
            return Ok(arc);
        }
        let name = self.interner.label_text(label);
        let msg = format!("cannot reference optional field: {name}");
        Err(Error::incomplete(msg, vec![pos]))
    }

    pub fn lookup(&mut self, w: VertexId, label: Label, pos: Pos) -> Result<VertexId, Rc<Error>> {
        let w = self.clone_in_progress(w);
        self.expand(w);
        let mut cur = w;
        if !self.vx(cur).disj().is_empty() || matches!(self.vx(cur).base, Base::Disj(_)) {
            self.finalize(cur);
            cur = self.deref_default(cur);
        }
        let cx = self.vx(cur);
        // A disjunction without a default has no fields to select yet, even where all its
        // alternatives share one (`({"a", #x: 1} | {"b", #x: 1}).#x` is incomplete).
        let unresolved = matches!(cx.base, Base::Disj(_));
        if let (false, Some(&a)) = (unresolved, cx.arcs.get(&label)) {
            return Ok(a);
        }
        if let Base::Err(e) = &cx.base {
            return Err(e.clone());
        }
        if unresolved {
            let msg = format!(
                "unresolved disjunction {} (type {})",
                self.base_text(cur),
                "struct"
            );
            return Err(Error::incomplete(msg, vec![pos]));
        }
        let name = self.interner.label_text(label);
        if let Label::Index(i) = label {
            if let Some(list) = &cx.list {
                let n = cx.arcs.len();
                // An open list may still grow to the index.
                let open = list.lits.iter().all(|l| l.1);
                let code = if open { Code::Incomplete } else { Code::Eval };
                return Err(Error::new(
                    code,
                    format!("index out of range [{i}] with length {n}"),
                    vec![pos],
                ));
            }
        }
        if !cx.is_struct && cx.list.is_none() {
            if let Base::Scalar(s) = &cx.base {
                let msg = format!(
                    "invalid selector {name} for value of type {}",
                    s.kind_name()
                );
                return Err(Error::eval(msg, vec![pos]));
            }
        }
        // Selecting a missing field of a closed struct can never succeed.
        let closed = cx
            .allowed
            .iter()
            .any(|(g, set)| self.groups[*g as usize].closing && !set.open);
        let code = if closed { Code::Eval } else { Code::Incomplete };
        Err(Error::new(
            code,
            format!("undefined field: {name}"),
            vec![pos],
        ))
    }

    /// A vertex whose disjunctions are being resolved has no fields of its own yet: a
    /// selection from it inside one of its disjunct clones sees that clone, the value it is
    /// being evaluated as (`A: b: A.c.x, A: null | {c: x: 1}`), once the clone's fields are
    /// known: cue's lookup waits for the field set, and the value of a field is evaluated
    /// after that, while a comprehension of the clone itself (which decides its fields)
    /// still finds the field missing, as in cue (issue3967).
    fn clone_in_progress(&self, w: VertexId) -> VertexId {
        if !self.resolving.contains(&w) {
            return w;
        }
        match self.disj_clones.iter().rev().find(|(t, _)| *t == w) {
            Some(&(_, c)) if self.vx(c).status >= Status::Expanded => c,
            _ => w,
        }
    }

    pub fn env_at(env: &Option<Rc<Env>>, up: u32) -> Option<Rc<Env>> {
        let mut e = env.clone();
        for _ in 0..up {
            e = e.and_then(|x| x.up.clone());
        }
        e
    }

    /// Resolves a reference expression to the vertex it denotes.
    pub fn resolve(&mut self, id: ExprId, env: &Option<Rc<Env>>) -> Result<VertexId, Rc<Error>> {
        if self.prog.is_opt_ref(id) {
            return self.resolve_optional(id, env);
        }
        self.resolve_ref(id, env)
    }

    /// An optional reference `x?`: a field that is not there (undefined where it could still
    /// appear, or only optional) makes the try body it is tried in yield nothing. Other
    /// errors stay errors.
    fn resolve_optional(
        &mut self,
        id: ExprId,
        env: &Option<Rc<Env>>,
    ) -> Result<VertexId, Rc<Error>> {
        let r = self.resolve_ref(id, env);
        let absent = match &r {
            Ok(w) => self.vx(*w).arc_type == ArcType::Optional,
            Err(e) => e.code == Code::Incomplete,
        };
        if !absent {
            return r;
        }
        self.skip_try(env);
        match r {
            Ok(_) => {
                let pos = self.prog.node(id).pos;
                Err(Error::incomplete(
                    "optional field is not present",
                    vec![pos],
                ))
            }
            err => err,
        }
    }

    /// Marks the try body an absent `x?` belongs to: the one its scope lies in, else the
    /// innermost being tried.
    fn skip_try(&mut self, env: &Option<Rc<Env>>) {
        if self.try_bodies.is_empty() {
            return;
        }
        let mut e = env.clone();
        while let Some(x) = e {
            if let Some(b) = self.try_bodies.iter_mut().rev().find(|b| b.0 == x.vertex) {
                b.1 = true;
                return;
            }
            e = x.up.clone();
        }
        if let Some(b) = self.try_bodies.last_mut() {
            b.1 = true;
        }
    }

    /// Finalizes `t` as a try body: whether an optional reference in it found no field.
    fn try_body_skips(&mut self, t: VertexId) -> bool {
        self.try_bodies.push((t, false));
        self.finalize(t);
        self.try_bodies.pop().is_some_and(|b| b.1)
    }

    fn resolve_ref(&mut self, id: ExprId, env: &Option<Rc<Env>>) -> Result<VertexId, Rc<Error>> {
        let prog = self.prog.clone();
        let node = prog.node(id);
        let pos = node.pos;
        match &node.expr {
            Expr::Field { up, label } => {
                let Some(e) = Self::env_at(env, *up) else {
                    return Err(Error::eval("reference outside of any scope", vec![pos]));
                };
                let s = e.vertex;
                if let Some(&a) = self.vx(s).arcs.get(label) {
                    if self.vx(a).arc_type != ArcType::Optional {
                        return Ok(a);
                    }
                }
                // The field may come from a comprehension or a dynamic field not yet run.
                self.expand(s);
                if let Some(&a) = self.vx(s).arcs.get(label) {
                    // Only optional declarations so far: not a field to refer to, as cue's
                    // lookup says for references by name too.
                    if self.vx(a).arc_type == ArcType::Optional {
                        let name = self.interner.label_text(*label);
                        let msg = format!("cannot reference optional field: {name}");
                        return Err(Error::incomplete(msg, vec![pos]));
                    }
                    return Ok(a);
                }
                let name = self.interner.label_text(*label);
                Err(Error::incomplete(
                    format!("undefined field: {name}"),
                    vec![pos],
                ))
            }
            Expr::Let { up, index } => {
                let Some(e) = Self::env_at(env, *up) else {
                    return Err(Error::eval("let outside of any scope", vec![pos]));
                };
                if let Some(Some(v)) = e.lets.borrow().get(*index as usize) {
                    return Ok(*v);
                }
                let Some(lit) = e.lit.clone() else {
                    return Err(Error::eval("let without struct scope", vec![pos]));
                };
                let Some(&x) = lit.lets.get(*index as usize) else {
                    return Err(Error::eval("unknown let", vec![pos]));
                };
                let lv = self.new_vertex(Some(e.vertex), None);
                self.vxm(lv).conjuncts.push(Conjunct {
                    src: Src::Expr(x),
                    env: Some(e.clone()),
                    ci: 0,
                });
                if let Some(slot) = e.lets.borrow_mut().get_mut(*index as usize) {
                    *slot = Some(lv);
                }
                Ok(lv)
            }
            Expr::Var { up, index } => {
                let Some(e) = Self::env_at(env, *up) else {
                    return Err(Error::eval("variable outside of any scope", vec![pos]));
                };
                e.vars
                    .get(*index as usize)
                    .copied()
                    .ok_or_else(|| Error::eval("unknown variable", vec![pos]))
            }
            Expr::DynField { up, key } => {
                let Some(e) = Self::env_at(env, *up) else {
                    return Err(Error::eval("reference outside of any scope", vec![pos]));
                };
                let s = e.vertex;
                let label = match self.eval_scalar(*key, &Some(e))? {
                    Scalar::Str(t) => Label::Field(self.interner.intern(&t)),
                    other => {
                        let msg = format!("invalid label type {}", other.kind_name());
                        return Err(Error::eval(msg, vec![pos]));
                    }
                };
                self.expand(s);
                self.lookup(s, label, pos)
            }
            Expr::Alias(x) => self.resolve(*x, env),
            Expr::SelfRef { up } => match Self::env_at(env, *up) {
                Some(e) => Ok(e.vertex),
                None => Err(Error::eval("self outside of any struct", vec![pos])),
            },
            Expr::Selector(x, label) => {
                let base = self.resolve_or_eval(*x, env)?;
                self.note_lookup(base);
                let arc = self.lookup(base, *label, pos)?;
                self.present_arc(arc, *label, pos)
            }
            Expr::Index(x, i) => {
                let base = self.resolve_or_eval(*x, env)?;
                self.note_lookup(base);
                let idx = self.eval_scalar(*i, env)?;
                let label = match &idx {
                    Scalar::Str(s) => Label::Field(self.interner.intern(s)),
                    Scalar::Num(n) if n.is_int() => match n.to_i64() {
                        Some(i) if i >= 0 && i <= i64::from(u32::MAX) => Label::Index(i as u32),
                        _ => {
                            let msg = format!(
                                "invalid index {} (index must be non-negative)",
                                n.to_json_text()
                            );
                            return Err(Error::eval(msg, vec![pos]));
                        }
                    },
                    other => {
                        let msg = format!(
                            "invalid index {} (invalid type {})",
                            other.to_message_text(),
                            other.kind_name()
                        );
                        return Err(Error::eval(msg, vec![pos]));
                    }
                };
                let arc = self.lookup(base, label, pos)?;
                self.present_arc(arc, label, pos)
            }
            _ => match self.eval_value(id, env) {
                Val::V(w) => Ok(w),
                Val::S(s) => Ok(self.scalar_vertex(s)),
                Val::E(e) => Err(e),
            },
        }
    }

    /// A vertex for an operand of selection: references resolve, other expressions evaluate.
    pub fn resolve_or_eval(
        &mut self,
        id: ExprId,
        env: &Option<Rc<Env>>,
    ) -> Result<VertexId, Rc<Error>> {
        self.resolve(id, env)
    }

    /// The value a `for` clause ranges over. A reference needs only the referenced vertex's
    /// arcs, so it is expanded, not finalized: the comprehension may still add to it
    /// (`x: y: {}, for _ in x {x: y: a: {}}` gives `x.y.a`). A disjunction is resolved first.
    fn for_source(&mut self, src: ExprId, env: &Option<Rc<Env>>) -> Val {
        let prog = self.prog.clone();
        let is_ref = match &prog.node(src).expr {
            Expr::Field { .. } | Expr::Let { .. } | Expr::Var { .. } => true,
            Expr::Selector(x, _) => !matches!(prog.node(*x).expr, Expr::Import(_)),
            _ => false,
        };
        if !is_ref {
            return self.eval_value(src, env);
        }
        match self.resolve(src, env) {
            Ok(w) => {
                self.expand(w);
                let wx = self.vx(w);
                if !wx.disj().is_empty() || matches!(wx.base, Base::Disj(_)) {
                    self.finalize(w);
                }
                Val::V(w)
            }
            Err(e) => Val::E(e),
        }
    }

    /// Evaluates an expression into a fresh anonymous vertex.
    pub fn eval_vertex(&mut self, id: ExprId, env: &Option<Rc<Env>>) -> VertexId {
        if let Some(w) = self.same_inline(id, env) {
            return w;
        }
        let v = self.new_vertex(None, None);
        if matches!(self.prog.node(id).expr, Expr::And(..)) {
            self.inline_of.insert(v, (id, env_vertices(env)));
        }
        self.vxm(v).conjuncts.push(Conjunct {
            src: Src::Expr(id),
            env: env.clone(),
            ci: 0,
        });
        self.finalize(v);
        v
    }

    /// An inline conjunction evaluated again inside the vertex it gave, in the same outer
    /// scope, is that vertex when it refers to nothing of the scope it is evaluated in
    /// (`#R: {if c {out: (#R & {x: 1}).out}}`): cue places such a value at the nearest
    /// rooted scope, so the repeat is the same value and `.out` a reference cycle.
    fn same_inline(&self, id: ExprId, env: &Option<Rc<Env>>) -> Option<VertexId> {
        let a = env.as_ref()?.vertex;
        let (x, was) = self.inline_of.get(&a)?;
        let now = env_vertices(env);
        if *x != id || now.len() != was.len() {
            return None;
        }
        // The scopes that are now the vertex itself must not be referred to; the others
        // must be the ones it was evaluated in.
        let mut own = Vec::new();
        for (k, (n, w)) in now.iter().zip(was).enumerate() {
            if *n == a {
                own.push(k as u32);
            } else if n != w {
                return None;
            }
        }
        (!self.uses_scope(id, 0, &own)).then_some(a)
    }

    /// Whether `x` may refer to the scope `depth` levels out from it (conservatively true
    /// for what it does not look into).
    fn uses_scope(&self, x: ExprId, depth: u32, levels: &[u32]) -> bool {
        let u = |e: &ExprId, d: u32| self.uses_scope(*e, d, levels);
        match &self.prog.node(x).expr {
            Expr::Null
            | Expr::Bool(_)
            | Expr::Int(_)
            | Expr::Float(_)
            | Expr::Str(_)
            | Expr::Bytes(_)
            | Expr::Top
            | Expr::Kind(_) => false,
            Expr::Field { up, .. } | Expr::Let { up, .. } => {
                *up >= depth && levels.contains(&(*up - depth))
            }
            Expr::Bound(_, a) | Expr::Unary(_, a) | Expr::Alias(a) | Expr::Selector(a, _) => {
                u(a, depth)
            }
            Expr::And(a, b) | Expr::Binary(_, a, b) | Expr::Index(a, b) => {
                u(a, depth) || u(b, depth)
            }
            Expr::Struct(lit) => {
                lit.lets.iter().any(|l| u(l, depth + 1))
                    || lit.decls.iter().any(|d| match d {
                        Decl::Field { value, .. } => u(value, depth + 1),
                        Decl::Embed(e) => u(e, depth + 1),
                        _ => true,
                    })
            }
            _ => true,
        }
    }

    /// The concrete scalar an expression evaluates to (defaults taken).
    pub fn eval_scalar(&mut self, id: ExprId, env: &Option<Rc<Env>>) -> Result<Scalar, Rc<Error>> {
        let pos = self.prog.node(id).pos;
        let val = self.eval_value(id, env);
        self.scalar_of(val, pos)
    }

    pub fn scalar_of(&mut self, val: Val, pos: Pos) -> Result<Scalar, Rc<Error>> {
        match val {
            Val::S(s) => Ok(s),
            Val::E(e) => Err(e),
            Val::V(w) => {
                self.finalize(w);
                if self.resolving.contains(&w) {
                    // What its other conjuncts gave so far is not its value: that is being
                    // chosen among its disjuncts (`finalize` noted the cycle).
                    let msg = format!("incomplete value {}", self.base_text(w));
                    return Err(Error::incomplete(msg, vec![pos]));
                }
                if matches!(self.vx(w).base, Base::Disj(_)) && self.is_pending(w) {
                    // Its alternatives still depend on a set-aside check: no default yet.
                    self.cycle_seen = true;
                    self.cycle_met = true;
                    let msg = format!("unresolved disjunction {}", self.base_text(w));
                    return Err(Error::incomplete(msg, vec![pos]));
                }
                let w = self.deref_default(w);
                let wx = self.vx(w);
                match &wx.base {
                    Base::Scalar(s) if !wx.is_struct && wx.list.is_none() => {
                        let s = s.clone();
                        if self.is_pending(w) {
                            // Not final yet: what is computed from it is verified later.
                            self.cycle_seen = true;
                            self.cycle_met = true;
                        }
                        Ok(s)
                    }
                    Base::Err(e) => Err(e.clone()),
                    _ if wx.is_struct || wx.list.is_some() => {
                        let msg = format!("cannot use {} as scalar", self.shape_text(w));
                        Err(Error::eval(msg, vec![pos]))
                    }
                    _ => {
                        // A value resting on a set-aside check is not final: reading it is
                        // like reading a value under evaluation (`cycle.rs`).
                        if self.is_pending(w) {
                            self.cycle_seen = true;
                            self.cycle_met = true;
                        }
                        let msg = format!("incomplete value {}", self.base_text(w));
                        Err(Error::incomplete(msg, vec![pos]))
                    }
                }
            }
        }
    }

    pub fn literal(&self, e: &Expr, pos: Pos) -> Result<Scalar, Rc<Error>> {
        Ok(match e {
            Expr::Null => Scalar::Null,
            Expr::Bool(b) => Scalar::Bool(*b),
            Expr::Int(i) => Scalar::Num(crate::num::Number::from_int((**i).clone())),
            Expr::Float(f) => match crate::num::Number::from_float_text(f) {
                Ok(n) => Scalar::Num(n),
                Err(e) => return Err(Error::eval(e.to_string(), vec![pos])),
            },
            Expr::Str(s) => Scalar::str(s),
            Expr::Bytes(b) => Scalar::bytes(b),
            _ => return Err(Error::eval("not a literal", vec![pos])),
        })
    }
}

/// The reference the struct scope of `env` was reached through (variable scopes inherit it).
/// The vertices of an environment chain, innermost first.
fn env_vertices(env: &Option<Rc<Env>>) -> Vec<VertexId> {
    let mut out = Vec::new();
    let mut e = env.as_ref();
    while let Some(x) = e {
        out.push(x.vertex);
        e = x.up.as_ref();
    }
    out
}

pub(crate) fn env_via(env: &Option<Rc<Env>>) -> Option<Via> {
    let mut cur = env.as_ref();
    while let Some(e) = cur {
        if e.lit.is_some() {
            return e.via;
        }
        cur = e.up.as_ref();
    }
    None
}

fn arc_type(c: ferrocue_parser::ast::FieldConstraint) -> ArcType {
    match c {
        ferrocue_parser::ast::FieldConstraint::Regular => ArcType::Regular,
        ferrocue_parser::ast::FieldConstraint::Optional => ArcType::Optional,
        ferrocue_parser::ast::FieldConstraint::Required => ArcType::Required,
    }
}
