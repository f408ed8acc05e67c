//! Export of a finished value to concrete data: defaults taken, hidden, definition and optional
//! fields dropped, every non-concrete or erroneous value reported with its path.

use std::rc::Rc;

use ferrocue_export::data::{Data, Map};

use crate::error::{Code, Error, PathError};
use crate::eval::Evaluator;
use crate::ir::{Label, Program};
use crate::num::Number;
use crate::scalar::Scalar;
use crate::value::Base;
use crate::vertex::*;

impl Evaluator {
    /// Every error (not the incomplete ones) in the finished value `v`, in field order: one
    /// per failing vertex, through defaults, regular fields and list elements.
    pub fn validation_errors(&mut self, v: VertexId, out: &mut Vec<PathError>, depth: u32) {
        if depth > 1000 {
            return;
        }
        self.finalize(v);
        let vx = self.vx(v);
        match &vx.base {
            Base::Err(e) if !e.is_incomplete() => {
                let error = e.clone();
                out.push(PathError {
                    path: self.path(v),
                    error,
                });
                return;
            }
            Base::Disj(d) => {
                if let Some(a) = d.default() {
                    self.validation_errors(a, out, depth + 1);
                }
                return;
            }
            _ => {}
        }
        let arcs: Vec<(Label, VertexId)> = vx.arcs.iter().map(|(l, a)| (*l, *a)).collect();
        for (l, a) in arcs {
            let keep = match l {
                Label::Index(_) => true,
                Label::Field(_) => self.vx(a).arc_type == ArcType::Regular,
                _ => false,
            };
            if keep {
                self.validation_errors(a, out, depth + 1);
            }
        }
    }

    /// Exports `v` as concrete data, or every error found (in field order).
    pub fn export(&mut self, v: VertexId) -> Result<Data, Vec<PathError>> {
        self.finalize(v);
        let mut errs = Vec::new();
        let d = self.export_rec(v, &mut errs, 0);
        // An exhausted budget cut evaluation short everywhere: report it once, where it ran out.
        if let Some(mut e) = self.budget_failure() {
            // Builtins trip the node budget before their value has a place; name the first
            // field it surfaced at.
            if e.path.is_empty() {
                if let Some(p) = errs.iter().find(|p| p.error.code == Code::Limit) {
                    e.path = p.path.clone();
                }
            }
            // Errors met before the first budget error are real; everything after it may just
            // be the budget's consequence, so it is reported once instead.
            let mut real: Vec<PathError> = errs
                .into_iter()
                .take_while(|p| p.error.code != Code::Limit)
                .collect();
            real.push(e);
            return Err(real);
        }
        match d {
            Some(d) if errs.is_empty() => Ok(d),
            _ => {
                if errs.is_empty() {
                    errs.push(PathError {
                        path: self.path(v),
                        error: Error::eval("export failed", vec![]),
                    });
                }
                Err(errs)
            }
        }
    }

    fn export_rec(&mut self, v: VertexId, errs: &mut Vec<PathError>, depth: u32) -> Option<Data> {
        if depth > 1000 {
            errs.push(PathError {
                path: self.path(v),
                error: Error::new(Code::Limit, "value too deep to export", vec![]),
            });
            return None;
        }
        // Every value costs output (punctuation at least): bounds `a: [b, b], b: [c, c], ...`,
        // which structure sharing makes cheap to evaluate but not to print.
        let cost = match self.vx(v).label {
            Some(Label::Field(sym)) => self.interner.name(sym).len() + 4,
            _ => 2,
        };
        if let Err(t) = self.budget.output(cost) {
            self.budget_error(v, t);
            return None;
        }
        self.finalize(v);
        let path_v = v;
        let mut v = v;
        if let Base::Disj(d) = &self.vx(v).base {
            match d.default() {
                Some(a) => {
                    v = a;
                    self.finalize(v);
                }
                None => {
                    let text = self.base_text(v);
                    let e = Error::incomplete(format!("incomplete value {text}"), vec![]);
                    errs.push(PathError {
                        path: self.path(path_v),
                        error: e,
                    });
                    return None;
                }
            }
        }
        let vx = self.vx(v);
        if let Base::Err(e) = &vx.base {
            errs.push(PathError {
                path: self.path(path_v),
                error: e.clone(),
            });
            return None;
        }
        if !vx.is_struct && !self.hidden_arcs_ok(v, errs, depth) {
            return None;
        }
        let vx = self.vx(v);
        if vx.list.is_some() {
            let elems: Vec<VertexId> = vx
                .arcs
                .iter()
                .filter(|(l, _)| matches!(l, Label::Index(_)))
                .map(|(_, a)| *a)
                .collect();
            let mut out = Vec::with_capacity(elems.len());
            let mut ok = true;
            for a in elems {
                match self.export_rec(a, errs, depth + 1) {
                    Some(d) => out.push(d),
                    None => ok = false,
                }
            }
            return ok.then_some(Data::List(out));
        }
        if vx.is_struct {
            let arcs: Vec<(Label, VertexId)> = vx.arcs.iter().map(|(l, a)| (*l, *a)).collect();
            let mut out = Map::new();
            let mut ok = true;
            for (l, a) in arcs {
                let Label::Field(sym) = l else {
                    // Definitions and hidden fields are not data, but their errors still fail.
                    if self.vx(a).arc_type != ArcType::Optional {
                        let before = errs.len();
                        self.collect_errors(a, errs, depth + 1);
                        ok &= errs.len() == before;
                    }
                    continue;
                };
                match self.vx(a).arc_type {
                    ArcType::Optional => continue,
                    ArcType::Required => {
                        let pos = self.vx(a).arc_pos.to_vec();
                        let e = Error::incomplete("field is required but not present", pos);
                        errs.push(PathError {
                            path: self.path(a),
                            error: e,
                        });
                        ok = false;
                        continue;
                    }
                    ArcType::Regular => {}
                }
                let name = self.interner.name(sym).to_string();
                match self.export_rec(a, errs, depth + 1) {
                    Some(d) => {
                        out.insert(name, d);
                    }
                    None => ok = false,
                }
            }
            return ok.then_some(Data::Map(out));
        }
        match &vx.base {
            Base::Scalar(s) => {
                let d = scalar_data(s);
                let n = match &d {
                    Data::String(t) => t.len(),
                    Data::Bytes(b) => b.len() * 4 / 3,
                    _ => 0,
                };
                if let Err(t) = self.budget.output(n) {
                    self.budget_error(v, t);
                    return None;
                }
                Some(d)
            }
            _ => {
                let text = self.base_text(v);
                let pos = if matches!(vx.base, Base::Top) {
                    vec![]
                } else {
                    vx.base_pos.to_vec()
                };
                let e = Error::incomplete(format!("incomplete value {text}"), pos);
                errs.push(PathError {
                    path: self.path(path_v),
                    error: e,
                });
                None
            }
        }
    }
}

impl Evaluator {
    /// For a list or scalar with definitions or hidden fields beside it (`{2, #x: 1}`): those
    /// are not data, but their errors still fail, as in a struct.
    fn hidden_arcs_ok(&mut self, v: VertexId, errs: &mut Vec<PathError>, depth: u32) -> bool {
        let arcs: Vec<VertexId> = self
            .vx(v)
            .arcs
            .iter()
            .filter(|(l, _)| !l.is_regular())
            .map(|(_, a)| *a)
            .filter(|a| self.vx(*a).arc_type != ArcType::Optional)
            .collect();
        let before = errs.len();
        for a in arcs {
            self.collect_errors(a, errs, depth + 1);
        }
        errs.len() == before
    }

    /// Reports definite (non-incomplete) errors in a subtree that is not exported.
    fn collect_errors(&mut self, v: VertexId, errs: &mut Vec<PathError>, depth: u32) {
        if depth > 1000 {
            return;
        }
        self.finalize(v);
        let vx = self.vx(v);
        if let Base::Err(e) = &vx.base {
            if !e.is_incomplete() {
                errs.push(PathError {
                    path: self.path(v),
                    error: e.clone(),
                });
            }
            return;
        }
        if !vx.err_rec {
            return;
        }
        let arcs: Vec<VertexId> = vx
            .arcs
            .values()
            .copied()
            .filter(|a| self.vx(*a).arc_type != ArcType::Optional)
            .collect();
        for a in arcs {
            self.collect_errors(a, errs, depth + 1);
        }
    }
}

/// A scalar as export data; numbers keep cue's printed form.
pub fn scalar_data(s: &Scalar) -> Data {
    match s {
        Scalar::Null => Data::Null,
        Scalar::Bool(b) => Data::Bool(*b),
        Scalar::Num(n) => number_data(n),
        Scalar::Str(s) => Data::String(s.to_string()),
        Scalar::Bytes(b) => Data::Bytes(b.to_vec()),
    }
}

fn number_data(n: &Number) -> Data {
    let text = n.to_json_text();
    if n.is_int() && !text.contains(['E', 'e', '.']) {
        if let Some(b) = n.to_bigint() {
            return Data::Int(b);
        }
    }
    Data::Float(text)
}

/// Formats errors as cue prints them: `path: message:` then one indented position per line.
pub fn format_errors(prog: &Program, errs: &[PathError]) -> String {
    let mut out = String::new();
    for e in errs {
        format_one(prog, &e.path, &e.error, &mut out);
    }
    out
}

fn format_one(prog: &Program, path: &str, e: &Rc<Error>, out: &mut String) {
    let prefix = if path.is_empty() {
        String::new()
    } else {
        format!("{path}: ")
    };
    let mut positions: Vec<String> = Vec::new();
    for p in &e.positions {
        let t = prog.pos_text(*p);
        if t != "-" && !positions.contains(&t) {
            positions.push(t);
        }
    }
    if positions.is_empty() && e.nested.is_empty() {
        out.push_str(&format!("{prefix}{}\n", e.message));
    } else {
        out.push_str(&format!("{prefix}{}:\n", e.message));
        if e.nested.is_empty() {
            for p in positions {
                out.push_str(&format!("    {p}\n"));
            }
        }
    }
    for n in &e.nested {
        format_one(prog, path, n, out);
    }
}
