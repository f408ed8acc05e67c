//! The scalar part of the value lattice and its meet: top, bottom, kinds with bounds, scalars.
//!
//! Structs and lists live in the vertex graph (arcs); a vertex's `Base` is everything else.

use std::cmp::Ordering;
use std::rc::Rc;

use crate::error::Error;
use crate::ir::{kind, BoundOp, KindMask, Pos};
use crate::scalar::Scalar;
use crate::vertex::VertexId;

/// A resolved disjunction with more than one surviving alternative.
#[derive(Clone, Debug)]
pub struct DisjValue {
    /// Finished alternatives and whether each is a default.
    pub alts: Vec<(VertexId, bool)>,
    /// Some alternative was marked or unmarked in a marked disjunction (cue's `HasDefaults`):
    /// unified again, the unmarked ones are then not defaults rather than maybe.
    pub has_defaults: bool,
}

impl DisjValue {
    /// The single default, if exactly one alternative is marked.
    pub fn default(&self) -> Option<VertexId> {
        let mut it = self.alts.iter().filter(|a| a.1);
        match (it.next(), it.next()) {
            (Some(a), None) => Some(a.0),
            _ => None,
        }
    }
}

/// A non-concrete scalar constraint: allowed kinds and bounds, e.g. `>=0 & int`.
#[derive(Clone, Debug, PartialEq)]
pub struct Constraint {
    pub kinds: KindMask,
    pub bounds: Vec<(BoundOp, Scalar)>,
}

#[derive(Clone, Debug)]
pub enum Base {
    Top,
    Err(Rc<Error>),
    Scalar(Scalar),
    Constraint(Rc<Constraint>),
    Disj(Rc<DisjValue>),
}

impl PartialEq for Scalar {
    fn eq(&self, other: &Scalar) -> bool {
        self.equals(other) && self.kind_name() == other.kind_name()
    }
}

pub fn scalar_kind(s: &Scalar) -> KindMask {
    match s {
        Scalar::Null => kind::NULL,
        Scalar::Bool(_) => kind::BOOL,
        Scalar::Num(n) => {
            if n.is_int() {
                kind::INT
            } else {
                kind::FLOAT
            }
        }
        Scalar::Str(_) => kind::STRING,
        Scalar::Bytes(_) => kind::BYTES,
    }
}

/// cue's name for a kind set (`int`, `number`, `string`, `int | string`).
pub fn kind_name(k: KindMask) -> String {
    if k == kind::TOP {
        return "_".into();
    }
    let mut parts = Vec::new();
    let mut rest = k;
    let named: [(KindMask, &str); 9] = [
        (kind::NULL, "null"),
        (kind::BOOL, "bool"),
        (kind::NUMBER, "number"),
        (kind::INT, "int"),
        (kind::FLOAT, "float"),
        (kind::STRING, "string"),
        (kind::BYTES, "bytes"),
        (kind::LIST, "list"),
        (kind::STRUCT, "struct"),
    ];
    for (m, n) in named {
        if rest & m == m && m != 0 {
            parts.push(n);
            rest &= !m;
        }
    }
    parts.join("|")
}

/// The kind a bound constrains: numbers and strings for ordering, strings for regexps.
pub fn bound_kinds(op: BoundOp, v: &Scalar) -> KindMask {
    match op {
        BoundOp::Match | BoundOp::NotMatch => kind::STRING,
        // As in cue, `!=v` only admits values of `v`'s kind (numbers of any kind for a
        // number), except `!=null`, which admits every other kind: `!=1 & {a: 1}` conflicts.
        BoundOp::Ne => match v {
            Scalar::Null => kind::TOP & !kind::NULL,
            Scalar::Num(_) => kind::NUMBER,
            other => scalar_kind(other),
        },
        BoundOp::Eq => kind::TOP,
        _ => match v {
            Scalar::Num(_) => kind::NUMBER,
            Scalar::Str(_) => kind::STRING,
            Scalar::Bytes(_) => kind::BYTES,
            _ => kind::TOP,
        },
    }
}

pub fn bound_text(op: BoundOp, v: &Scalar) -> String {
    format!("{}{}", op.text(), v.to_message_text())
}

/// Whether `s` satisfies `op v`; `Err` for a malformed bound (e.g. a bad regexp).
pub fn check_bound(s: &Scalar, op: BoundOp, v: &Scalar) -> Result<bool, String> {
    let ord = |a: &Scalar, b: &Scalar| -> Option<Ordering> {
        match (a, b) {
            (Scalar::Num(x), Scalar::Num(y)) => Some(x.num_cmp(y)),
            (Scalar::Str(x), Scalar::Str(y)) => Some(x.cmp(y)),
            (Scalar::Bytes(x), Scalar::Bytes(y)) => Some(x.cmp(y)),
            _ => None,
        }
    };
    Ok(match op {
        BoundOp::Ne => !s.equals(v),
        BoundOp::Eq => s.equals(v),
        BoundOp::Lt => ord(s, v) == Some(Ordering::Less),
        BoundOp::Le => matches!(ord(s, v), Some(Ordering::Less | Ordering::Equal)),
        BoundOp::Gt => ord(s, v) == Some(Ordering::Greater),
        BoundOp::Ge => matches!(ord(s, v), Some(Ordering::Greater | Ordering::Equal)),
        BoundOp::Match | BoundOp::NotMatch => {
            let (Scalar::Str(text), Scalar::Str(re)) = (s, v) else {
                return Ok(false);
            };
            let m = crate::regex_match(re, text)?;
            if op == BoundOp::Match {
                m
            } else {
                !m
            }
        }
    })
}

/// Meets a concrete scalar into `base`.
pub fn meet_scalar(base: &Base, s: &Scalar, positions: &[Pos]) -> Base {
    match base {
        Base::Top => Base::Scalar(s.clone()),
        Base::Err(_) | Base::Disj(_) => base.clone(),
        Base::Scalar(t) => {
            if t == s {
                base.clone()
            } else {
                Base::Err(conflict_scalars(t, s, positions))
            }
        }
        Base::Constraint(c) => {
            let k = scalar_kind(s);
            if c.kinds & k == 0 {
                let msg = format!(
                    "conflicting values {} and {} (mismatched types {} and {})",
                    constraint_text(c),
                    s.to_message_text(),
                    kind_name(c.kinds),
                    s.kind_name()
                );
                return Base::Err(Error::eval(msg, positions.to_vec()));
            }
            for (op, v) in &c.bounds {
                match check_bound(s, *op, v) {
                    Ok(true) => {}
                    Ok(false) => {
                        let msg = format!(
                            "invalid value {} (out of bound {})",
                            s.to_message_text(),
                            bound_text(*op, v)
                        );
                        return Base::Err(Error::eval(msg, positions.to_vec()));
                    }
                    Err(e) => return Base::Err(Error::eval(e, positions.to_vec())),
                }
            }
            Base::Scalar(s.clone())
        }
    }
}

fn conflict_scalars(t: &Scalar, s: &Scalar, positions: &[Pos]) -> Rc<Error> {
    let msg = if t.kind_name() == s.kind_name() {
        format!(
            "conflicting values {} and {}",
            s.to_message_text(),
            t.to_message_text()
        )
    } else {
        format!(
            "conflicting values {} and {} (mismatched types {} and {})",
            s.to_message_text(),
            t.to_message_text(),
            s.kind_name(),
            t.kind_name()
        )
    };
    Error::eval(msg, positions.to_vec())
}

/// Meets a kind set (`int`, `string`, …) into `base`.
pub fn meet_kind(base: &Base, k: KindMask, positions: &[Pos]) -> Base {
    match base {
        Base::Top => Base::Constraint(Rc::new(Constraint {
            kinds: k,
            bounds: Vec::new(),
        })),
        Base::Err(_) | Base::Disj(_) => base.clone(),
        Base::Scalar(s) => {
            if scalar_kind(s) & k == 0 {
                let msg = format!(
                    "conflicting values {} and {} (mismatched types {} and {})",
                    kind_name(k),
                    s.to_message_text(),
                    kind_name(k),
                    s.kind_name()
                );
                Base::Err(Error::eval(msg, positions.to_vec()))
            } else {
                base.clone()
            }
        }
        Base::Constraint(c) => {
            let nk = c.kinds & k;
            if nk == 0 {
                let msg = format!(
                    "conflicting values {} and {} (mismatched types {} and {})",
                    kind_name(k),
                    constraint_text(c),
                    kind_name(k),
                    kind_name(c.kinds)
                );
                return Base::Err(Error::eval(msg, positions.to_vec()));
            }
            Base::Constraint(Rc::new(Constraint {
                kinds: nk,
                bounds: c.bounds.clone(),
            }))
        }
    }
}

/// Meets a bound `op v` into `base`.
pub fn meet_bound(base: &Base, op: BoundOp, v: &Scalar, positions: &[Pos]) -> Base {
    let bk = bound_kinds(op, v);
    match base {
        Base::Top => Base::Constraint(Rc::new(Constraint {
            kinds: bk,
            bounds: vec![(op, v.clone())],
        })),
        Base::Err(_) | Base::Disj(_) => base.clone(),
        Base::Scalar(s) => {
            if scalar_kind(s) & bk == 0 {
                let msg = format!(
                    "conflicting values {} and {} (mismatched types {} and {})",
                    bound_text(op, v),
                    s.to_message_text(),
                    kind_name(bk),
                    s.kind_name()
                );
                return Base::Err(Error::eval(msg, positions.to_vec()));
            }
            match check_bound(s, op, v) {
                Ok(true) => base.clone(),
                Ok(false) => {
                    let msg = format!(
                        "invalid value {} (out of bound {})",
                        s.to_message_text(),
                        bound_text(op, v)
                    );
                    Base::Err(Error::eval(msg, positions.to_vec()))
                }
                Err(e) => Base::Err(Error::eval(e, positions.to_vec())),
            }
        }
        Base::Constraint(c) => {
            let nk = c.kinds & bk;
            if nk == 0 {
                let msg = format!(
                    "conflicting values {} and {} (mismatched types {} and {})",
                    bound_text(op, v),
                    constraint_text(c),
                    kind_name(bk),
                    kind_name(c.kinds)
                );
                return Base::Err(Error::eval(msg, positions.to_vec()));
            }
            let mut bounds = c.bounds.clone();
            if !bounds.iter().any(|(o, w)| *o == op && w == v) {
                bounds.push((op, v.clone()));
            }
            if let Some(e) = bounds_conflict(&bounds, positions) {
                return Base::Err(e);
            }
            // `>=1 & <=1 & int` stays a constraint (cue does not simplify it to 1).
            Base::Constraint(Rc::new(Constraint { kinds: nk, bounds }))
        }
    }
}

/// Detects an empty numeric range such as `>5 & <3`.
fn bounds_conflict(bounds: &[(BoundOp, Scalar)], positions: &[Pos]) -> Option<Rc<Error>> {
    for (lo_op, lo) in bounds
        .iter()
        .filter(|b| matches!(b.0, BoundOp::Gt | BoundOp::Ge))
    {
        for (hi_op, hi) in bounds
            .iter()
            .filter(|b| matches!(b.0, BoundOp::Lt | BoundOp::Le))
        {
            let (Scalar::Num(l), Scalar::Num(h)) = (lo, hi) else {
                continue;
            };
            let empty = match l.num_cmp(h) {
                Ordering::Greater => true,
                Ordering::Equal => !(*lo_op == BoundOp::Ge && *hi_op == BoundOp::Le),
                Ordering::Less => false,
            };
            if empty {
                let msg = format!(
                    "incompatible number bounds {} and {}",
                    bound_text(*hi_op, hi),
                    bound_text(*lo_op, lo)
                );
                return Some(Error::eval(msg, positions.to_vec()));
            }
        }
    }
    None
}

/// A constraint in CUE syntax, as cue prints it in messages (`>=0 & int`).
pub fn constraint_text(c: &Constraint) -> String {
    let mut parts: Vec<String> = c.bounds.iter().map(|(o, v)| bound_text(*o, v)).collect();
    let bk = c
        .bounds
        .iter()
        .fold(kind::TOP, |acc, (o, v)| acc & bound_kinds(*o, v));
    if c.kinds != bk || parts.is_empty() {
        parts.push(kind_name(c.kinds));
    }
    parts.join(" & ")
}

/// Meets two bases (used when a finished value is unified into a vertex).
pub fn meet(a: &Base, b: &Base, positions: &[Pos]) -> Base {
    match b {
        Base::Top => a.clone(),
        Base::Err(_) => b.clone(),
        Base::Disj(_) => a.clone(),
        Base::Scalar(s) => meet_scalar(a, s, positions),
        Base::Constraint(c) => {
            let mut out = meet_kind(a, c.kinds, positions);
            for (op, v) in &c.bounds {
                out = meet_bound(&out, *op, v, positions);
            }
            out
        }
    }
}
