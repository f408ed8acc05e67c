//! Disjunctions: recorded while expanding a vertex, resolved by a cross product of clones.
//!
//! The disjunctions met directly in a vertex's conjuncts (its *level*) are resolved one after
//! the other, as cue v0.17 does: each partial result so far is cloned once per alternative of
//! the next disjunction; a clone re-adds the vertex's conjuncts with its choices fixed; clones
//! that fail are dropped and equal ones merged. A disjunction that an alternative brings with it
//! (`*(a | *b) | c`, a reference to a field holding one) is *nested*: it is resolved inside that
//! alternative's clone, and its results take the clone's place.
//!
//! Default marks follow cue's modes: an alternative of a disjunction without marks may be a
//! default, one with a mark is one, one without a mark in a marked disjunction is not. A result
//! combines the mode of what it was cloned from with the mode of the alternative it took (the
//! stronger wins, *not default* strongest). If no surviving result of a step took a marked
//! alternative, that disjunction's marks are dropped; the same for the results it was cloned
//! from. This is the spec's rule that a marked disjunction whose marked terms all fail counts
//! as unmarked, and it makes `(*1|2) & (1|*2)` have no default while `*(*(>0&string)|0)|1`
//! defaults to 0.

use crate::ir::{FxMap as HashMap, FxSet as HashSet};
use std::rc::Rc;

use crate::error::{Code, Error};
use crate::eval::{Evaluator, Val};
use crate::ir::*;
use crate::value::{Base, DisjValue};
use crate::vertex::*;

/// An `or` call's argument expression, the address of its environment, and the parent and
/// label of the vertex it is added to (shared by all clones of that vertex).
pub type OrListKey = (ExprId, usize, Option<VertexId>, Option<Label>);

/// Identifies one disjunction of a vertex: the expression and its occurrence while expanding.
pub type DisjKey = (u32, u32);

/// Whether a disjunct is a default (cue's `defaultMode`); ordered so that combining two modes
/// takes the greater one.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mode {
    /// From disjunctions without marks only: a default if nothing else is.
    #[default]
    Maybe,
    IsDefault,
    NotDefault,
}

impl Mode {
    /// The mode of one alternative of a disjunction.
    pub fn of(has_defaults: bool, marked: bool) -> Mode {
        match (has_defaults, marked) {
            (false, _) => Mode::Maybe,
            (true, true) => Mode::IsDefault,
            (true, false) => Mode::NotDefault,
        }
    }

    /// Unification of two modes (spec U0–U2).
    fn and(self, other: Mode) -> Mode {
        self.max(other)
    }

    /// Unification where a side whose disjunction lost all its marked alternatives counts as
    /// unmarked.
    fn and_dropping(self, other: Mode, drop_self: bool, drop_other: bool) -> Mode {
        let a = if drop_self { Mode::Maybe } else { self };
        let b = if drop_other { Mode::Maybe } else { other };
        a.and(b)
    }
}

/// The modes of a disjunct clone: `acc` combines everything chosen before it, `orig` is the
/// mode of the alternative it took (cue's `defaultMode` and `origDefaultMode`).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Modes {
    pub acc: Mode,
    pub orig: Mode,
}

/// One result of a cross product so far.
struct Partial {
    choices: Rc<HashMap<DisjKey, u32>>,
    modes: Modes,
    /// The clone holding it: finalized once no disjunction of the level is left open,
    /// otherwise only expanded.
    vx: VertexId,
    /// The results of a disjunction nested in the alternative, when there are several.
    nested: Vec<Partial>,
}

/// One side of a step of a nested cross product: the disjunction's own alternatives (`false`)
/// or the results it is unified with (`true`).
type Side = (DisjKey, bool);

/// What one resolution learns about the steps of nested disjunctions (those an alternative
/// brings). Each clone resolves them on its own, as cue does, but whether a side's marks are
/// dropped must not depend on which clone is asked, or on which other disjunction happened to
/// be resolved first.
#[derive(Default)]
struct NestedMarks {
    /// Sides of which some clone kept a marked alternative.
    kept: HashSet<Side>,
    /// Sides whose marks some clone dropped because none survived there.
    dropped: HashSet<Side>,
    /// Set for a second run: the `kept` of the first. A side's marks are then dropped only if
    /// no clone at all kept a marked alternative.
    known: Option<HashSet<Side>>,
}

impl NestedMarks {
    /// Records what a clone found for one side and returns whether its marks are dropped.
    fn side(&mut self, side: Side, marked: bool, drops: bool) -> bool {
        if !drops {
            self.kept.insert(side);
        } else if marked {
            self.dropped.insert(side);
        }
        match &self.known {
            Some(known) => !known.contains(&side),
            None => drops,
        }
    }
}

impl Evaluator {
    /// Handles `a | b | …` met while expanding `v`.
    pub fn add_or(
        &mut self,
        v: VertexId,
        id: ExprId,
        terms: &[(ExprId, bool)],
        env: &Option<Rc<Env>>,
        ci: u32,
    ) {
        // Parenthesized disjunctions stay single terms: they are nested disjunctions, whose
        // marks only count if one of their marked terms survives.
        let alts: Vec<Alt> = terms
            .iter()
            .map(|&(t, star)| Alt {
                src: Src::Expr(t),
                env: env.clone(),
                default: star,
                ci,
            })
            .collect();
        let has_default = terms.iter().any(|t| t.1);
        let occ = self.next_occurrence(v, id);
        self.add_pending(v, (id, occ), alts, has_default);
    }

    fn next_occurrence(&mut self, v: VertexId, id: ExprId) -> u32 {
        let vx = self.vxm(v);
        let o = vx.rare_mut().occ.entry(id).or_insert(0);
        *o += 1;
        *o - 1
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
        match self.or_argument(v, arg, env) {
            Val::V(l) => {
                let l = self.deref_default(l);
                if self.vx(l).list.is_none() {
                    self.add_err(v, Error::eval("or: argument must be a list", vec![pos]));
                    return;
                }
                let elems: Vec<VertexId> = self.vx(l).arcs.values().copied().collect();
                if elems.is_empty() {
                    // cue reports this as incomplete: the list may come from a
                    // comprehension over fields that other conjuncts still add.
                    let msg = "error in call to or: empty list in call to or";
                    self.add_err(v, Error::incomplete(msg, vec![pos]));
                    return;
                }
                let alts = elems
                    .into_iter()
                    .map(|e| self.or_element_alt(e, ci))
                    .collect();
                let occ = self.next_occurrence(v, id);
                self.add_pending(v, (id, occ), alts, false);
            }
            Val::E(e) => self.add_err(v, e),
            Val::S(_) => self.add_err(v, Error::eval("or: argument must be a list", vec![pos])),
        }
    }

    /// The list argument `arg` of an `or` call added to `v`. Every clone of a disjunction
    /// re-adds the call; evaluated afresh each time, `n` alternatives would build `n` lists
    /// of `n` elements. The clones of `v` share its parent and label, and the argument's
    /// environment is the same scope for all of them (a clone re-adding a literal of its
    /// own gets a new environment), so a finished list is the value each clone would build.
    fn or_argument(&mut self, v: VertexId, arg: ExprId, env: &Option<Rc<Env>>) -> Val {
        let envp = env.as_ref().map_or(0, |e| Rc::as_ptr(e) as usize);
        let key = (arg, envp, self.vx(v).parent, self.vx(v).label);
        if let Some(&(_, l)) = self.or_lists.get(&key) {
            return Val::V(l);
        }
        let val = self.eval_value(arg, env);
        if let Val::V(l) = val {
            if self.vx(l).status == Status::Done && !self.is_pending(l) {
                // The environment is kept alive so its address is not reused.
                self.or_lists.insert(key, (env.clone(), l));
            }
        }
        val
    }

    /// The alternative `or` makes of list element `e`. Like cue, which disjoins the raw
    /// elements, an element declared by one expression re-adds that expression in each
    /// clone, so the disjunct keeps its closedness and its fields see the clone's other
    /// conjuncts (`or([for v in #D {v}]) & {b: 1}` checks `b` against each `#D` field);
    /// only an element with several conjuncts is taken as its finished value.
    fn or_element_alt(&self, e: VertexId, ci: u32) -> Alt {
        if let [c] = self.vx(e).conjuncts.as_slice() {
            if let Src::Expr(_) = c.src {
                return Alt {
                    src: c.src,
                    env: c.env.clone(),
                    default: false,
                    ci,
                };
            }
        }
        Alt {
            src: Src::Vertex(e),
            env: None,
            default: false,
            ci,
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
        self.vxm(v).rare_mut().disj.push(PendingDisj {
            key,
            alts: Rc::new(alts),
            has_default,
        });
    }

    /// Resolves the disjunctions pending in `v`: `v` becomes the single surviving result, a
    /// disjunction of several, or the error of an empty disjunction.
    pub fn resolve_disjunctions(&mut self, v: VertexId) {
        let level = self.vxm(v).take_disj();
        let (choices, modes) = (self.vx(v).choices.clone(), self.vx(v).modes);
        let base = || Partial {
            choices: choices.clone(),
            modes,
            vx: v,
            nested: Vec::new(),
        };
        let first = base();
        let mut marks = NestedMarks::default();
        let mut res = self.cross_product(v, first, &level, &HashSet::default(), 0, &mut marks);
        if res.is_ok() && marks.dropped.iter().any(|k| marks.kept.contains(k)) {
            // A clone dropped the marks of a nested disjunction that kept a marked alternative
            // elsewhere: resolve again knowing where marks survive.
            let again = base();
            let mut marks = NestedMarks {
                known: Some(std::mem::take(&mut marks.kept)),
                ..NestedMarks::default()
            };
            res = self.cross_product(v, again, &level, &HashSet::default(), 0, &mut marks);
        }
        match res {
            Err(e) => {
                let vx = self.vxm(v);
                vx.base = Base::Err(e);
                vx.err_rec = true;
                vx.arcs.clear();
                vx.is_struct = false;
                vx.list = None;
            }
            Ok(results) if results.len() == 1 => {
                let (r, acc) = (results[0].vx, results[0].modes.acc);
                self.adopt(v, r);
                // A clone whose late disjunctions left one value is that value's mode.
                self.vxm(v).modes.acc = acc;
            }
            Ok(results) => {
                let has_defaults = results.iter().any(|r| r.modes.acc != Mode::Maybe);
                let alts = results
                    .iter()
                    .map(|r| (r.vx, r.modes.acc == Mode::IsDefault))
                    .collect();
                let vx = self.vxm(v);
                vx.base = Base::Disj(Rc::new(DisjValue { alts, has_defaults }));
                vx.err_rec = false;
            }
        }
    }

    /// Unifies `base` with each disjunction of `level` in turn. Disjunctions in `open` are
    /// left for a later step: results are then only expanded, not finalized.
    fn cross_product(
        &mut self,
        tmpl: VertexId,
        base: Partial,
        level: &[PendingDisj],
        open: &HashSet<DisjKey>,
        depth: u32,
        marks: &mut NestedMarks,
    ) -> Result<Vec<Partial>, Rc<Error>> {
        let mut cross = vec![base];
        for (i, d) in level.iter().enumerate() {
            let mut later = open.clone();
            later.extend(level[i + 1..].iter().map(|d| d.key));
            let mut tmp = Vec::new();
            let mut errs: Vec<Option<Rc<Error>>> = vec![None; d.alts.len()];
            let (mut left_drops, mut right_drops) = (true, true);
            for p in &cross {
                for (j, alt) in d.alts.iter().enumerate() {
                    if let Err(t) = self.budget.disjunct() {
                        return Err(self.budget_error(tmpl, t));
                    }
                    let m = Mode::of(d.has_default, alt.default);
                    match self.do_disjunct(tmpl, p, (d.key, j as u32, m), &later, depth, marks) {
                        Err(e) => errs[j] = Some(e),
                        Ok(r) => {
                            if p.modes.acc == Mode::IsDefault || p.modes.orig == Mode::IsDefault {
                                left_drops = false;
                            }
                            if m == Mode::IsDefault {
                                right_drops = false;
                            }
                            tmp.push(r);
                        }
                    }
                }
            }
            if depth > 0 {
                left_drops = marks.side((d.key, true), true, left_drops);
                right_drops = marks.side((d.key, false), d.has_default, right_drops);
            }
            // The mode each result's alternative contributes: its mark, or for a nested
            // disjunction's results their own mode under the spec's M rules (a marked term
            // keeps its inner defaults or makes all its values defaults; an unmarked one of a
            // marked disjunction has none, also once the marked ones are gone).
            let mut items: Vec<(Partial, Mode, Mode)> = Vec::new();
            for mut r in tmp {
                let Modes { acc, orig } = r.modes;
                if r.nested.is_empty() {
                    let comp = if right_drops { Mode::Maybe } else { orig };
                    items.push((r, acc, comp));
                    continue;
                }
                for x in std::mem::take(&mut r.nested) {
                    let comp = if right_drops && d.has_default {
                        Mode::Maybe
                    } else {
                        orig.and(x.modes.acc)
                    };
                    items.push((x, acc, comp));
                }
            }
            // Spec D1: once some alternative brings a default, the others are not defaults.
            let non_maybe = items.iter().any(|i| i.2 != Mode::Maybe);
            let mut dst: Vec<Partial> = Vec::new();
            for (mut x, acc, comp) in items {
                let comp = if non_maybe && comp == Mode::Maybe {
                    Mode::NotDefault
                } else {
                    comp
                };
                x.modes = Modes {
                    acc: acc.and_dropping(comp, left_drops, false),
                    orig: comp,
                };
                self.append_disjunct(tmpl, &mut dst, x)?;
            }
            if dst.is_empty() {
                return Err(self.empty_disjunction(tmpl, errs));
            }
            cross = dst;
        }
        Ok(cross)
    }

    /// Unifies the partial result `p` with alternative `j` of disjunction `key` (cue's
    /// `doDisjunct`): a fresh clone of `tmpl` with the choices fixed; disjunctions the
    /// alternative brings are resolved inside it.
    fn do_disjunct(
        &mut self,
        tmpl: VertexId,
        p: &Partial,
        alt: (DisjKey, u32, Mode),
        open: &HashSet<DisjKey>,
        depth: u32,
        marks: &mut NestedMarks,
    ) -> Result<Partial, Rc<Error>> {
        let c = self.new_clone(tmpl, Rc::new(HashMap::default()), p.modes);
        self.disj_clones.push((tmpl, c));
        let r = self.eval_disjunct(tmpl, c, p, alt, open, depth, marks);
        self.disj_clones.pop();
        r
    }

    /// `do_disjunct` for the fresh clone `c`.
    #[allow(clippy::too_many_arguments)]
    fn eval_disjunct(
        &mut self,
        tmpl: VertexId,
        c: VertexId,
        p: &Partial,
        (key, j, m): (DisjKey, u32, Mode),
        open: &HashSet<DisjKey>,
        depth: u32,
        marks: &mut NestedMarks,
    ) -> Result<Partial, Rc<Error>> {
        let mut choices = (*p.choices).clone();
        choices.insert(key, j);
        let choices = Rc::new(choices);
        let modes = Modes {
            acc: p.modes.acc,
            orig: m,
        };
        let cx = self.vxm(c);
        cx.choices = choices.clone();
        cx.modes = modes;
        self.expand(c);
        // A scalar or bound met with a struct or list conflicts now, not only once finalized:
        // otherwise a marked alternative like `>0` next to `{b: 2}` would seem to survive its
        // step and keep its disjunction's marks, making `x & x` differ from `x`.
        self.check_kinds(c);
        // A clone that already conflicts fails whatever the open disjunctions choose.
        if let Base::Err(e) = &self.vx(c).base {
            if !e.is_incomplete() {
                return Err(e.clone());
            }
        }
        let nested: Vec<PendingDisj> = self
            .vx(c)
            .disj()
            .iter()
            .filter(|d| !open.contains(&d.key))
            .cloned()
            .collect();
        if !nested.is_empty() {
            // The nested results' modes are their own; the caller combines them with `p`'s.
            let base = Partial {
                choices: choices.clone(),
                modes: Modes {
                    acc: Mode::Maybe,
                    orig: m,
                },
                vx: c,
                nested: Vec::new(),
            };
            let sub = self.cross_product(tmpl, base, &nested, open, depth + 1, marks)?;
            return Ok(Partial {
                choices,
                modes,
                vx: c,
                nested: sub,
            });
        }
        if !open.is_empty() {
            return Ok(Partial {
                choices,
                modes,
                vx: c,
                nested: Vec::new(),
            });
        }
        self.finalize(c);
        if let Some(e) = self.disjunct_failure(c) {
            return Err(e);
        }
        let cx = self.vx(c);
        if let Base::Disj(dv) = &cx.base {
            // Disjunctions added after expansion (late pattern conjuncts) were resolved by
            // `finalize`: their results are nested results.
            let nested = dv
                .alts
                .iter()
                .map(|&(a, df)| Partial {
                    choices: choices.clone(),
                    modes: Modes {
                        acc: Mode::of(dv.has_defaults, df),
                        orig: m,
                    },
                    vx: a,
                    nested: Vec::new(),
                })
                .collect();
            return Ok(Partial {
                choices,
                modes,
                vx: c,
                nested,
            });
        }
        let acc = cx.modes.acc;
        Ok(Partial {
            choices,
            modes: Modes { acc, orig: m },
            vx: c,
            nested: Vec::new(),
        })
    }

    /// A clone of `tmpl` that re-adds its conjuncts with `choices` fixed.
    fn new_clone(
        &mut self,
        tmpl: VertexId,
        choices: Rc<HashMap<DisjKey, u32>>,
        modes: Modes,
    ) -> VertexId {
        let (parent, label) = (self.vx(tmpl).parent, self.vx(tmpl).label);
        let c = self.new_vertex(parent, label);
        let conjs = self.vx(tmpl).conjuncts.clone();
        let (t, apos) = (self.vx(tmpl).arc_type, self.vx(tmpl).arc_pos.clone());
        let cx = self.vxm(c);
        cx.conjuncts = conjs;
        cx.choices = choices;
        cx.arc_type = t;
        cx.arc_pos = apos;
        cx.modes = modes;
        c
    }

    /// The error that eliminates a finalized disjunct, if any (incomplete values survive).
    fn disjunct_failure(&self, c: VertexId) -> Option<Rc<Error>> {
        let cx = self.vx(c);
        match &cx.base {
            // An incomplete error of its own (a comprehension over an absent field) fails the
            // disjunct too, as in cue; values that are merely not concrete survive.
            Base::Err(e) => Some(e.clone()),
            _ if cx.err_rec => Some(
                self.first_error(c)
                    .unwrap_or_else(|| Error::eval("empty disjunction", cx.arc_pos.to_vec())),
            ),
            _ => None,
        }
    }

    /// The error of a step that left no result: the errors of its alternatives.
    fn empty_disjunction(&self, tmpl: VertexId, errs: Vec<Option<Rc<Error>>>) -> Rc<Error> {
        let mut errors: Vec<Rc<Error>> = errs.into_iter().flatten().collect();
        if errors.len() == 1 {
            if let Some(e) = errors.pop() {
                return e;
            }
        }
        let pos = self.vx(tmpl).arc_pos.to_vec();
        // Only incomplete alternatives: the disjunction may still resolve with more input.
        let code = if !errors.is_empty() && errors.iter().all(|e| e.is_incomplete()) {
            Code::Incomplete
        } else {
            Code::Eval
        };
        let message = if errors.is_empty() {
            "empty disjunction".to_string()
        } else {
            format!("{} errors in empty disjunction", errors.len())
        };
        Rc::new(Error {
            code,
            message,
            positions: pos,
            nested: errors,
        })
    }

    /// Adds `x` to the results unless an equal one is there (cue's `appendDisjunct`): the
    /// first keeps its place and becomes a default if either was one.
    fn append_disjunct(
        &mut self,
        tmpl: VertexId,
        dst: &mut Vec<Partial>,
        x: Partial,
    ) -> Result<(), Rc<Error>> {
        // Deduplication is quadratic in the survivors, which can be many: each comparison
        // round is work for the budgets (found by fuzzing).
        if let Err(t) = self.budget.step(self.vertices.len()) {
            return Err(self.budget_error(tmpl, t));
        }
        match dst.iter().position(|y| self.same_disjunct(y.vx, x.vx)) {
            Some(i) => {
                if x.modes.acc == Mode::IsDefault {
                    dst[i].modes.acc = Mode::IsDefault;
                }
            }
            None => dst.push(x),
        }
        Ok(())
    }

    /// Whether two results are the same: finished values compare structurally; a partial
    /// result (disjunctions still open) only when it is a plain scalar state, which the open
    /// disjunctions then treat alike.
    fn same_disjunct(&self, a: VertexId, b: VertexId) -> bool {
        let (ax, bx) = (self.vx(a), self.vx(b));
        match (ax.status == Status::Done, bx.status == Status::Done) {
            (true, true) => self.equal(a, b),
            (false, false) => {
                let plain = |x: &Vertex| {
                    x.arcs.is_empty()
                        && !x.is_struct
                        && x.list.is_none()
                        && x.patterns.is_empty()
                        && x.validators().is_empty()
                        && x.deferred().is_empty()
                };
                if !plain(ax) || !plain(bx) {
                    return false;
                }
                let keys = |x: &Vertex| x.disj().iter().map(|d| d.key).collect::<HashSet<_>>();
                if keys(ax) != keys(bx) {
                    return false;
                }
                match (&ax.base, &bx.base) {
                    (Base::Top, Base::Top) => true,
                    (Base::Scalar(x), Base::Scalar(y)) => x == y,
                    (Base::Constraint(x), Base::Constraint(y)) => x == y,
                    _ => false,
                }
            }
            _ => false,
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
