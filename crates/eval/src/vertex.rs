//! The vertex graph: one node per field path, its conjuncts, arcs and evaluation state.

use crate::ir::{FxMap as HashMap, FxSet as HashSet};
use std::cell::RefCell;
use std::rc::Rc;

use indexmap::IndexMap;

use crate::ir::{ExprId, Label, Pos, StructLit};
use crate::value::Base;

pub type VertexId = u32;

/// Source positions of a vertex's value or declaration, inline up to two.
pub type Positions = smallvec::SmallVec<[Pos; 2]>;

#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Status {
    New,
    Expanding,
    Expanded,
    Finalizing,
    Done,
}

/// How a field was declared; the strongest declaration wins (`a?: int` & `a: 1` is regular).
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum ArcType {
    Regular,
    Required,
    Optional,
}

/// A runtime scope, mirroring one compile-time scope.
#[derive(Debug)]
pub struct Env {
    pub up: Option<Rc<Env>>,
    /// The vertex a struct scope's fields live in (inherited by variable scopes).
    pub vertex: VertexId,
    /// Variables of a comprehension clause or pattern.
    pub vars: Vec<VertexId>,
    /// The struct literal of a struct scope (for its `let`s) and their cached values.
    pub lit: Option<std::sync::Arc<StructLit>>,
    pub lets: RefCell<Vec<Option<VertexId>>>,
    /// Cycle state of the conjunct that added this scope's struct literal (`cycle.rs`).
    pub cyc: crate::cycle::Cyc,
    /// The outermost reference through which this scope's struct literal was reached (field
    /// order, `order.rs`); inherited by the fields declared in it, as cue's reference chains are.
    pub via: Option<Via>,
    /// The comprehension firing that made this scope (0: none). Struct literals find theirs
    /// up the scope chain, so field order can drain one firing's dynamic labels per yield,
    /// however late the literal is evaluated.
    pub comp: u32,
}

impl Env {
    /// The scope of an expression evaluated at the top of vertex `v` (`-e` expressions),
    /// with no bindings of its own.
    pub fn top(v: VertexId) -> Rc<Env> {
        Rc::new(Env {
            up: None,
            vertex: v,
            vars: vec![],
            lit: None,
            lets: RefCell::new(vec![]),
            cyc: Default::default(),
            via: None,
            comp: 0,
        })
    }
}

/// A reference expression and where it is written.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Via {
    pub expr: ExprId,
    pub pos: Pos,
}

/// How one conjunct of an arc was declared in its parent (field order, `order.rs`): the
/// parent's struct record and declaration, the field's position and the reference it came
/// through.
#[derive(Copy, Clone, Debug)]
pub struct Origin {
    pub rec: u32,
    pub decl: u32,
    pub pos: Pos,
    pub via: Option<Via>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Src {
    Expr(ExprId),
    /// A finished value, unified as is.
    Vertex(VertexId),
}

/// An expression to unify into a vertex, with its environment and closedness group.
#[derive(Clone, Debug)]
pub struct Conjunct {
    pub src: Src,
    pub env: Option<Rc<Env>>,
    pub ci: u32,
}

/// A pattern constraint `[P]: V` of a vertex.
#[derive(Clone, Debug)]
pub struct PatternC {
    pub pattern: Src,
    pub value: Src,
    pub env: Option<Rc<Env>>,
    pub ci: u32,
    /// Index of the first list element this applies to (list ellipses); `None` for struct
    /// patterns.
    pub from_index: Option<u32>,
}

/// The fields allowed by one closedness group in one vertex.
#[derive(Clone, Debug, Default)]
pub struct AllowSet {
    pub labels: HashSet<Label>,
    /// Indices into the vertex's patterns.
    pub patterns: Vec<usize>,
    pub open: bool,
}

/// One alternative of a pending disjunction.
#[derive(Clone, Debug)]
pub struct Alt {
    pub src: Src,
    pub env: Option<Rc<Env>>,
    pub default: bool,
    pub ci: u32,
}

#[derive(Clone, Debug)]
pub struct PendingDisj {
    pub key: (u32, u32),
    pub alts: Rc<Vec<Alt>>,
    pub has_default: bool,
}

/// Lengths of the list literals unified into a vertex.
#[derive(Clone, Debug, Default)]
pub struct ListInfo {
    /// (length, open, position) per literal.
    pub lits: Vec<(u32, bool, Pos)>,
}

#[derive(Clone, Debug)]
pub enum Deferred {
    Dynamic {
        key: ExprId,
        value: ExprId,
        optional: ArcType,
        pos: Pos,
        /// Where the label goes in the vertex's struct records (record, slot).
        slot: (usize, usize),
    },
    Comprehension(std::sync::Arc<crate::ir::Comprehension>),
    /// An embedded expression: it runs once the vertex's own conjuncts are all in, so it sees
    /// every field that any of them declares (`t: {#a, #a: _}, t: #a: "s"` embeds `"s"`).
    Embed(ExprId),
}

#[derive(Debug)]
pub struct Vertex {
    pub parent: Option<VertexId>,
    pub label: Option<Label>,
    pub conjuncts: Vec<Conjunct>,
    pub arcs: IndexMap<Label, VertexId, crate::ir::FxBuild>,
    pub base: Base,
    pub base_pos: Positions,
    pub status: Status,
    pub is_struct: bool,
    pub list: Option<ListInfo>,
    pub arc_type: ArcType,
    /// Where the field was declared (for "field not allowed" and similar).
    pub arc_pos: Positions,
    pub patterns: Vec<PatternC>,
    pub allowed: Vec<(u32, AllowSet)>,
    /// Choices fixed for a disjunction clone.
    pub choices: Rc<HashMap<(u32, u32), u32>>,
    /// A non-incomplete error somewhere in this subtree (regular, non-optional arcs).
    pub err_rec: bool,
    /// Set for pattern-matching and closedness of list elements.
    pub patterns_applied: usize,
    /// The struct literals unified into this vertex, for cue's field order.
    pub structs: Vec<StructRecord>,
    /// The arcs' labels in the order they were added, kept when sorting for output changed
    /// it: cue's `for` ranges over a struct's fields in that order, not the printed one.
    pub inserted: Option<Vec<Label>>,
    /// Its expansion needed a value from a vertex still being expanded.
    pub cyclic: bool,
    /// Default modes of a disjunct clone (`disjunction.rs`).
    pub modes: crate::disjunction::Modes,
    /// The concrete base came from the alternative a disjunction clone fixed (see
    /// `Evaluator::meet_scalar_into`: cue names such a disjunct first in a conflict).
    pub disjunct_base: bool,
    /// Structural cycle evidence gathered while expanding (`cycle.rs`).
    pub cyc: crate::cycle::CycState,
    /// Where each conjunct added by a struct literal of the parent was declared.
    pub origins: Vec<Origin>,
    /// State most vertices never use (leaf fields are the bulk of a configuration), kept out
    /// of line so a vertex stays small: made on first write.
    pub rare: Option<Box<Rare>>,
}

/// The out-of-line part of a [`Vertex`].
#[derive(Debug, Default)]
pub struct Rare {
    pub disj: Vec<PendingDisj>,
    pub occ: HashMap<u32, u32>,
    /// References already followed into this vertex, with the closedness group they came
    /// under: the same vertex reached under another group must still register its fields there.
    pub refs_seen: HashSet<(VertexId, u32)>,
    pub deferred: Vec<(Deferred, Option<Rc<Env>>, u32)>,
    /// Validator calls (`matchN`, `matchIf`, stdlib validators) checked when the vertex finishes.
    pub validators: Vec<(ExprId, Option<Rc<Env>>)>,
    /// Indices of the conjuncts that came from pattern constraints.
    pub pattern_conjs: Vec<usize>,
}

/// One struct literal as it contributed fields to a vertex (cue's `StructInfo`): unified
/// once per vertex however often it is added (`repeats` counts the others).
#[derive(Clone, Debug)]
pub struct StructRecord {
    pub lit: std::sync::Arc<StructLit>,
    /// Times the literal was added again (comprehension iterations, repeated references).
    pub repeats: u32,
    /// The comprehension run that produced it (0: none).
    pub comp_id: u32,
}

thread_local! {
    /// The choices of every vertex that is not a disjunct clone: one shared empty map, so
    /// making a vertex allocates nothing for them.
    static NO_CHOICES: Rc<HashMap<(u32, u32), u32>> = Rc::new(HashMap::default());
}

impl Vertex {
    pub fn new(parent: Option<VertexId>, label: Option<Label>) -> Self {
        Vertex {
            parent,
            label,
            conjuncts: Vec::new(),
            arcs: IndexMap::default(),
            base: Base::Top,
            base_pos: Positions::new(),
            status: Status::New,
            is_struct: false,
            list: None,
            arc_type: ArcType::Regular,
            arc_pos: Positions::new(),
            patterns: Vec::new(),
            allowed: Vec::new(),
            choices: NO_CHOICES.with(Rc::clone),
            err_rec: false,
            patterns_applied: 0,
            structs: Vec::new(),
            inserted: None,
            cyclic: false,
            modes: Default::default(),
            disjunct_base: false,
            cyc: Default::default(),
            origins: Vec::new(),
            rare: None,
        }
    }

    /// The out-of-line state, made if the vertex has none yet.
    pub fn rare_mut(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Default::default)
    }

    /// Pending disjunctions (none for most vertices).
    pub fn disj(&self) -> &[PendingDisj] {
        self.rare.as_ref().map_or(&[], |r| &r.disj)
    }

    pub fn validators(&self) -> &[(ExprId, Option<Rc<Env>>)] {
        self.rare.as_ref().map_or(&[], |r| &r.validators)
    }

    pub fn deferred(&self) -> &[(Deferred, Option<Rc<Env>>, u32)] {
        self.rare.as_ref().map_or(&[], |r| &r.deferred)
    }

    pub fn pattern_conjs(&self) -> &[usize] {
        self.rare.as_ref().map_or(&[], |r| &r.pattern_conjs)
    }

    /// Takes the pending disjunctions, leaving none.
    pub fn take_disj(&mut self) -> Vec<PendingDisj> {
        self.rare
            .as_mut()
            .map(|r| std::mem::take(&mut r.disj))
            .unwrap_or_default()
    }

    pub fn take_deferred(&mut self) -> Vec<(Deferred, Option<Rc<Env>>, u32)> {
        self.rare
            .as_mut()
            .map(|r| std::mem::take(&mut r.deferred))
            .unwrap_or_default()
    }

    pub fn take_validators(&mut self) -> Vec<(ExprId, Option<Rc<Env>>)> {
        self.rare
            .as_mut()
            .map(|r| std::mem::take(&mut r.validators))
            .unwrap_or_default()
    }

    pub fn refs_seen_contains(&self, key: &(VertexId, u32)) -> bool {
        self.rare
            .as_ref()
            .is_some_and(|r| r.refs_seen.contains(key))
    }
}
