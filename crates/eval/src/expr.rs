//! Expressions that compute a value rather than add structure: operators, calls,
//! interpolation, slicing; plus the text of values used in messages.

use std::rc::Rc;

use ferrocue_parser::ast::{BinaryOp, UnaryOp};

use crate::error::{Code, Error};
use crate::eval::{Evaluator, Val};
use crate::ir::*;
use crate::num::{NumError, Number};
use crate::scalar::Scalar;
use crate::stdlib;
use crate::value::{self, Base};
use crate::vertex::*;

impl Evaluator {
    /// Evaluates an expression to a value (scalars stay unboxed).
    pub fn eval_value(&mut self, id: ExprId, env: &Option<Rc<Env>>) -> Val {
        let prog = self.prog.clone();
        let node = prog.node(id);
        let pos = node.pos;
        match &node.expr {
            Expr::Null
            | Expr::Bool(_)
            | Expr::Int(_)
            | Expr::Float(_)
            | Expr::Str(_)
            | Expr::Bytes(_) => match self.literal(&node.expr, pos) {
                Ok(s) => Val::S(s),
                Err(e) => Val::E(e),
            },
            Expr::Field { .. }
            | Expr::Let { .. }
            | Expr::Var { .. }
            | Expr::Selector(..)
            | Expr::Index(..) => {
                if let Expr::Selector(x, Label::Field(name)) = &node.expr {
                    if let Expr::Import(path) = &prog.node(*x).expr {
                        let name = self.interner.name(*name).to_string();
                        return self.pkg_member(path, &name, pos);
                    }
                }
                match self.resolve(id, env) {
                    Ok(w) => {
                        self.finalize(w);
                        Val::V(w)
                    }
                    Err(e) => Val::E(e),
                }
            }
            Expr::PkgMember(path, name) => self.pkg_member(path, name, pos),
            Expr::Alias(x) => self.eval_value(*x, env),
            Expr::DynField { .. } | Expr::SelfRef { .. } => match self.resolve(id, env) {
                Ok(w) => {
                    self.finalize(w);
                    Val::V(w)
                }
                Err(e) => Val::E(e),
            },
            Expr::EvalIn { up, expr } => {
                let e = Self::env_at(env, *up);
                self.eval_value(*expr, &e)
            }
            Expr::Unary(op, e) => {
                let s = match self.operand(*e, env, unary_sym(*op)) {
                    Ok(s) => s,
                    Err(e) => return Val::E(e),
                };
                let aop = match op {
                    UnOp::Neg => UnaryOp::Neg,
                    UnOp::Pos => UnaryOp::Pos,
                    UnOp::Not => UnaryOp::Not,
                };
                match crate::ops::unary(aop, &s) {
                    Ok(r) => Val::S(r),
                    Err(e) => Val::E(Error::eval(e.message, vec![pos])),
                }
            }
            Expr::Binary(op, a, b) => self.binary(*op, *a, *b, env, pos),
            Expr::ShortCircuit(op, a, b) => {
                // `false && x` is false and `true || x` is true whatever `x` is, even an
                // error; any other left operand (or an error in it) is the plain operator.
                let decides = *op == BinaryOp::LogicalOr;
                match self.operand(*a, env, crate::ops::op_symbol(*op)) {
                    Ok(Scalar::Bool(l)) if l == decides => Val::S(Scalar::Bool(l)),
                    _ => self.binary(*op, *a, *b, env, pos),
                }
            }
            Expr::Call(f, args) => self.call(id, *f, args, env, pos),
            Expr::Interp { bytes, parts } => self.interpolate(*bytes, parts, env, pos),
            Expr::Slice(x, lo, hi) => self.slice(*x, *lo, *hi, env, pos),
            Expr::Import(path) => Val::E(Error::eval(
                format!("cannot use package \"{path}\" as value"),
                vec![pos],
            )),
            Expr::Builtin(b) => Val::E(Error::eval(
                format!("cannot use builtin {} as value", b.name()),
                vec![pos],
            )),
            Expr::Error(m) => Val::E(Error::eval(m.to_string(), vec![pos])),
            _ => Val::V(self.eval_vertex(id, env)),
        }
    }

    fn pkg_member(&mut self, path: &str, name: &str, pos: Pos) -> Val {
        match stdlib::lookup(path, name) {
            Some(b) if b.is_const() => match b.const_value() {
                Some(v) => self.from_stdlib(v),
                None => Val::E(Error::eval(
                    format!("invalid constant {path}.{name}"),
                    vec![pos],
                )),
            },
            Some(_) => Val::E(Error::eval(
                format!("cannot use function {path}.{name} as value"),
                vec![pos],
            )),
            None => {
                let short = path.rsplit('/').next().unwrap_or(path);
                Val::E(Error::eval(format!("undefined: {short}.{name}"), vec![pos]))
            }
        }
    }

    /// A concrete scalar operand of an operator, with cue's "requires concrete value" error.
    fn operand(
        &mut self,
        id: ExprId,
        env: &Option<Rc<Env>>,
        sym: &str,
    ) -> Result<Scalar, Rc<Error>> {
        let pos = self.prog.node(id).pos;
        let val = self.eval_value(id, env);
        match self.scalar_of(val.clone(), pos) {
            Ok(s) => Ok(s),
            Err(e) if e.is_incomplete() => {
                let text = match &val {
                    Val::V(w) => self.base_text(*w),
                    _ => "_".into(),
                };
                let msg = format!("invalid operand {text} ('{sym}' requires concrete value)");
                Err(Error::incomplete(msg, vec![pos]))
            }
            Err(e) => Err(e),
        }
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        a: ExprId,
        b: ExprId,
        env: &Option<Rc<Env>>,
        pos: Pos,
    ) -> Val {
        let sym = crate::ops::op_symbol(op);
        if matches!(op, BinaryOp::Equal | BinaryOp::NotEqual) {
            let is_bottom = |x: ExprId| matches!(self.prog.node(x).expr, Expr::Bottom);
            if is_bottom(a) || is_bottom(b) {
                // Comparing with `_|_` tests whether the other side is an error.
                let other = if is_bottom(a) { b } else { a };
                let err = match self.eval_value(other, env) {
                    Val::E(_) => true,
                    Val::S(_) => false,
                    Val::V(w) => self.is_bottom_value(w),
                };
                return Val::S(Scalar::Bool(err == (op == BinaryOp::Equal)));
            }
            let va = self.eval_value(a, env);
            let vb = self.eval_value(b, env);
            let shaped = |ev: &mut Self, v: &Val| match v {
                Val::V(w) => {
                    let w = ev.deref_default(*w);
                    ev.vx(w).is_struct || ev.vx(w).list.is_some()
                }
                _ => false,
            };
            if shaped(self, &va) || shaped(self, &vb) {
                let (da, db) = (self.to_data_val(&va), self.to_data_val(&vb));
                return match (da, db) {
                    (Ok(x), Ok(y)) => Val::S(Scalar::Bool(x.equals(&y) == (op == BinaryOp::Equal))),
                    (Err(e), _) | (_, Err(e)) => Val::E(e),
                };
            }
            let pa = self.prog.node(a).pos;
            let pb = self.prog.node(b).pos;
            let sa = match self.scalar_of(va, pa) {
                Ok(s) => s,
                Err(e) => return Val::E(e),
            };
            let sb = match self.scalar_of(vb, pb) {
                Ok(s) => s,
                Err(e) => return Val::E(e),
            };
            return match crate::ops::binary(op, &sa, &sb) {
                Ok(r) => Val::S(r),
                Err(e) => Val::E(Error::eval(e.message, vec![pa, pb])),
            };
        }
        if matches!(op, BinaryOp::Add | BinaryOp::Mul) {
            // List arithmetic was removed from CUE.
            let va = self.eval_value(a, env);
            let vb = self.eval_value(b, env);
            for v in [&va, &vb] {
                if let Val::V(w) = v {
                    let w = self.deref_default(*w);
                    if self.vx(w).list.is_some() {
                        let msg = if op == BinaryOp::Add {
                            "Addition of lists is superseded by list.Concat; see https://cuelang.org/e/v0.11-list-arithmetic"
                        } else {
                            "Multiplication of lists is superseded by list.Repeat; see https://cuelang.org/e/v0.11-list-arithmetic"
                        };
                        return Val::E(Error::eval(msg, vec![pos]));
                    }
                }
            }
            let pa = self.prog.node(a).pos;
            let pb = self.prog.node(b).pos;
            let sa = match self.concrete_operand(va, pa, sym) {
                Ok(s) => s,
                Err(e) => return Val::E(e),
            };
            let sb = match self.concrete_operand(vb, pb, sym) {
                Ok(s) => s,
                Err(e) => return Val::E(e),
            };
            return match crate::ops::binary(op, &sa, &sb) {
                Ok(r) => Val::S(r),
                Err(e) => Val::E(Error::eval(e.message, vec![pa, pb])),
            };
        }
        let sa = match self.operand(a, env, sym) {
            Ok(s) => s,
            Err(e) => return Val::E(e),
        };
        let sb = match self.operand(b, env, sym) {
            Ok(s) => s,
            Err(e) => return Val::E(e),
        };
        match crate::ops::binary(op, &sa, &sb) {
            Ok(r) => Val::S(r),
            Err(e) => {
                let pa = self.prog.node(a).pos;
                let pb = self.prog.node(b).pos;
                Val::E(Error::eval(e.message, vec![pa, pb]))
            }
        }
    }

    fn concrete_operand(&mut self, val: Val, pos: Pos, sym: &str) -> Result<Scalar, Rc<Error>> {
        match self.scalar_of(val.clone(), pos) {
            Ok(s) => Ok(s),
            Err(e) if e.is_incomplete() => {
                let text = match &val {
                    Val::V(w) => self.base_text(*w),
                    _ => "_".into(),
                };
                Err(Error::incomplete(
                    format!("invalid operand {text} ('{sym}' requires concrete value)"),
                    vec![pos],
                ))
            }
            Err(e) => Err(e),
        }
    }

    /// Converts a value to concrete data for builtins and `==` (defaults taken).
    pub fn to_data_val(&mut self, v: &Val) -> Result<stdlib::Val, Rc<Error>> {
        match v {
            Val::S(s) => Ok(s.clone().into()),
            Val::E(e) => Err(e.clone()),
            Val::V(w) => self.vertex_data(*w, 0),
        }
    }

    fn vertex_data(&mut self, w: VertexId, depth: u32) -> Result<stdlib::Val, Rc<Error>> {
        if depth > 200 {
            return Err(Error::new(Code::Limit, "value too deep", vec![]));
        }
        let w = self.deref_default(w);
        let wx = self.vx(w);
        if let Base::Err(e) = &wx.base {
            return Err(e.clone());
        }
        if wx.list.is_some() {
            let elems: Vec<VertexId> = wx
                .arcs
                .iter()
                .filter(|(l, _)| matches!(l, Label::Index(_)))
                .map(|(_, a)| *a)
                .collect();
            let mut out = Vec::with_capacity(elems.len());
            for e in elems {
                out.push(self.vertex_data(e, depth + 1)?);
            }
            return Ok(stdlib::Val::List(out));
        }
        if wx.is_struct {
            let arcs: Vec<(Label, VertexId)> = wx
                .arcs
                .iter()
                .filter(|(l, a)| {
                    matches!(l, Label::Field(_)) && self.vx(**a).arc_type == ArcType::Regular
                })
                .map(|(l, a)| (*l, *a))
                .collect();
            let mut out = Vec::with_capacity(arcs.len());
            for (l, a) in arcs {
                let name = match l {
                    Label::Field(s) => self.interner.name(s).to_string(),
                    _ => continue,
                };
                out.push((name, self.vertex_data(a, depth + 1)?));
            }
            return Ok(stdlib::Val::Struct(out));
        }
        match &wx.base {
            Base::Scalar(s) => Ok(s.clone().into()),
            _ => {
                let msg = format!("incomplete value {}", self.base_text(w));
                Err(Error::incomplete(msg, wx.base_pos.to_vec()))
            }
        }
    }

    /// A stdlib result as an evaluator value.
    pub fn from_stdlib(&mut self, v: stdlib::Val) -> Val {
        if let Some(s) = v.to_scalar() {
            return Val::S(s);
        }
        if let Err(e) = self.admit_nodes(crate::budget::data_nodes(&v)) {
            return Val::E(e);
        }
        Val::V(self.data_vertex(&v))
    }

    fn data_vertex(&mut self, v: &stdlib::Val) -> VertexId {
        if let Some(s) = v.to_scalar() {
            return self.scalar_vertex(s);
        }
        let n = self.new_vertex(None, None);
        match v {
            stdlib::Val::List(items) => {
                for (i, it) in items.iter().enumerate() {
                    let c = self.data_vertex(it);
                    let vx = self.vxm(c);
                    vx.parent = Some(n);
                    vx.label = Some(Label::Index(i as u32));
                    self.vxm(n).arcs.insert(Label::Index(i as u32), c);
                }
                self.vxm(n).list = Some(ListInfo {
                    lits: vec![(items.len() as u32, false, Pos::default())],
                });
            }
            stdlib::Val::Struct(fields) => {
                for (k, it) in fields {
                    let c = self.data_vertex(it);
                    let l = Label::Field(self.interner.intern(k));
                    let vx = self.vxm(c);
                    vx.parent = Some(n);
                    vx.label = Some(l);
                    self.vxm(n).arcs.insert(l, c);
                }
                self.vxm(n).is_struct = true;
            }
            _ => {}
        }
        self.vxm(n).status = Status::Done;
        n
    }

    fn call(
        &mut self,
        id: ExprId,
        f: ExprId,
        args: &std::sync::Arc<[ExprId]>,
        env: &Option<Rc<Env>>,
        pos: Pos,
    ) -> Val {
        let prog = self.prog.clone();
        match &prog.node(f).expr {
            Expr::Builtin(b) => self.call_builtin(id, *b, args, env, pos),
            Expr::PkgMember(path, name) => self.call_stdlib(path, name, args, env, pos),
            Expr::Selector(x, Label::Field(name)) => match &prog.node(*x).expr {
                Expr::Import(path) => {
                    let name = self.interner.name(*name).to_string();
                    self.call_stdlib(&path.clone(), &name, args, env, pos)
                }
                _ => self.call_through(id, f, args, env, pos),
            },
            _ => self.call_through(id, f, args, env, pos),
        }
    }

    /// Calls a function reached through a reference (`f(x)` with `f: strings.ToUpper`).
    fn call_through(
        &mut self,
        id: ExprId,
        f: ExprId,
        args: &std::sync::Arc<[ExprId]>,
        env: &Option<Rc<Env>>,
        pos: Pos,
    ) -> Val {
        let is_ref = matches!(
            self.prog.node(f).expr,
            Expr::Field { .. }
                | Expr::Let { .. }
                | Expr::Var { .. }
                | Expr::Selector(..)
                | Expr::Index(..)
        );
        let callee = if is_ref {
            match self.resolve(f, env) {
                Ok(w) => self.callee(w, 0),
                Err(e) => return Val::E(e),
            }
        } else {
            None
        };
        let prog = self.prog.clone();
        match callee.map(|c| &prog.node(c).expr) {
            Some(Expr::Builtin(b)) => self.call_builtin(id, *b, args, env, pos),
            Some(Expr::PkgMember(path, name)) => self.call_stdlib(path, name, args, env, pos),
            // Calling a value that may still become a function (`_`) is incomplete, as in cue.
            None if is_ref => Val::E(Error::incomplete("cannot call non-function", vec![pos])),
            _ => Val::E(Error::eval("cannot call non-function", vec![pos])),
        }
    }

    /// The function expression among the conjuncts of `w`, following references.
    pub(crate) fn callee(&mut self, w: VertexId, depth: u32) -> Option<ExprId> {
        if depth > 16 {
            return None;
        }
        let conjs = self.vx(w).conjuncts.clone();
        let prog = self.prog.clone();
        for c in conjs {
            let Src::Expr(e) = c.src else { continue };
            match &prog.node(e).expr {
                Expr::Builtin(_) => return Some(e),
                Expr::PkgMember(path, name)
                    if stdlib::lookup(path, name).is_some_and(|b| !b.is_const()) =>
                {
                    return Some(e)
                }
                Expr::Field { .. }
                | Expr::Let { .. }
                | Expr::Var { .. }
                | Expr::Selector(..)
                | Expr::Index(..) => {
                    if let Ok(r) = self.resolve(e, &c.env) {
                        if let Some(x) = self.callee(r, depth + 1) {
                            return Some(x);
                        }
                    }
                }
                _ => {}
            }
        }
        None
    }

    fn call_builtin(
        &mut self,
        id: ExprId,
        b: Builtin,
        args: &std::sync::Arc<[ExprId]>,
        env: &Option<Rc<Env>>,
        pos: Pos,
    ) -> Val {
        let name = b.name();
        match b {
            Builtin::Close | Builtin::And | Builtin::Or => {
                if let Err(e) = check_arity(name, args.len(), 1, pos) {
                    return Val::E(e);
                }
                Val::V(self.eval_vertex(id, env))
            }
            Builtin::Len => {
                if let Err(e) = check_arity("len", args.len(), 1, pos) {
                    return Val::E(e);
                }
                let v = self.eval_value(args[0], env);
                match v {
                    Val::S(Scalar::Str(s)) => Val::S(Scalar::int(s.len() as i64)),
                    Val::S(Scalar::Bytes(s)) => Val::S(Scalar::int(s.len() as i64)),
                    Val::S(s) => Val::E(Error::eval(
                        format!(
                            "invalid argument {} (type {}) for len",
                            s.to_message_text(),
                            s.kind_name()
                        ),
                        vec![pos],
                    )),
                    Val::E(e) => Val::E(e),
                    Val::V(w) => {
                        let w = self.deref_default(w);
                        let wx = self.vx(w);
                        // A list or struct whose comprehension failed keeps the arcs it had
                        // so far; its length is the failure, not their count.
                        if let Base::Err(e) = &wx.base {
                            if wx.list.is_some() || wx.is_struct {
                                return Val::E(e.clone());
                            }
                        }
                        if wx.list.is_some() {
                            let n = wx
                                .arcs
                                .keys()
                                .filter(|l| matches!(l, Label::Index(_)))
                                .count();
                            return Val::S(Scalar::int(n as i64));
                        }
                        if wx.is_struct {
                            let n = wx
                                .arcs
                                .iter()
                                .filter(|(l, a)| {
                                    l.is_regular() && self.vx(**a).arc_type == ArcType::Regular
                                })
                                .count();
                            return Val::S(Scalar::int(n as i64));
                        }
                        match &wx.base {
                            Base::Scalar(Scalar::Str(s)) => Val::S(Scalar::int(s.len() as i64)),
                            Base::Scalar(Scalar::Bytes(s)) => Val::S(Scalar::int(s.len() as i64)),
                            Base::Err(e) => Val::E(e.clone()),
                            Base::Scalar(s) => Val::E(Error::eval(
                                format!(
                                    "invalid argument {} (type {}) for len",
                                    s.to_message_text(),
                                    s.kind_name()
                                ),
                                vec![pos],
                            )),
                            _ => {
                                let msg = format!(
                                    "invalid operand {} (len requires concrete value)",
                                    self.base_text(w)
                                );
                                Val::E(Error::incomplete(msg, vec![pos]))
                            }
                        }
                    }
                }
            }
            Builtin::Error => {
                let msg = match args.first() {
                    Some(a) => match self.eval_scalar(*a, env) {
                        Ok(Scalar::Str(s)) => s.to_string(),
                        Ok(other) => other.to_message_text(),
                        Err(e) => return Val::E(e),
                    },
                    None => "error".to_string(),
                };
                Val::E(Error::new(Code::User, msg, vec![pos]))
            }
            Builtin::MatchN | Builtin::MatchIf => Val::V(self.eval_vertex(id, env)),
            Builtin::Div | Builtin::Mod | Builtin::Quo | Builtin::Rem => {
                if let Err(e) = check_arity(name, args.len(), 2, pos) {
                    return Val::E(e);
                }
                let mut nums = Vec::new();
                for (i, a) in args.iter().enumerate() {
                    let apos = self.prog.node(*a).pos;
                    match self.eval_scalar(*a, env) {
                        Ok(Scalar::Num(n)) if n.is_int() => nums.push(n),
                        Ok(s) => {
                            let msg = format!(
                                "cannot use {} (type {}) as int in argument {} to {name}",
                                s.to_message_text(),
                                s.kind_name(),
                                i + 1
                            );
                            return Val::E(Error::eval(msg, vec![apos]));
                        }
                        Err(e) => return Val::E(e),
                    }
                }
                let r: Result<Number, NumError> = match b {
                    Builtin::Div => nums[0].int_div(&nums[1]),
                    Builtin::Mod => nums[0].int_mod(&nums[1]),
                    Builtin::Quo => nums[0].quo(&nums[1]),
                    _ => nums[0].rem(&nums[1]),
                };
                match r {
                    Ok(n) => Val::S(Scalar::Num(n)),
                    Err(e) => Val::E(Error::eval(
                        format!("error in call to {name}: {e}"),
                        vec![pos],
                    )),
                }
            }
        }
    }

    fn call_stdlib(
        &mut self,
        path: &str,
        name: &str,
        args: &std::sync::Arc<[ExprId]>,
        env: &Option<Rc<Env>>,
        pos: Pos,
    ) -> Val {
        let Some(b) = stdlib::lookup(path, name) else {
            let short = path.rsplit('/').next().unwrap_or(path);
            return Val::E(Error::eval(format!("undefined: {short}.{name}"), vec![pos]));
        };
        if matches!(b.func, stdlib::Func::NeedsEval) {
            return self.call_needs_eval(b, args, env, pos);
        }
        let mut vals = Vec::with_capacity(args.len());
        for a in args.iter() {
            let v = self.eval_value(*a, env);
            match self.to_data_val(&v) {
                Ok(d) => vals.push(d),
                Err(e) => return Val::E(e),
            }
        }
        match stdlib::call(b, &vals) {
            Ok(v) => self.from_stdlib(v),
            Err(stdlib::BuiltinError::Call(m)) => Val::E(Error::eval(
                format!("error in call to {}: {m}", b.qualified_name()),
                vec![pos],
            )),
            Err(stdlib::BuiltinError::Plain(m)) => Val::E(Error::eval(m, vec![pos])),
            Err(stdlib::BuiltinError::Incomplete(m)) => Val::E(Error::incomplete(m, vec![pos])),
            Err(stdlib::BuiltinError::Validation(_)) => Val::S(Scalar::Bool(false)),
        }
    }

    fn interpolate(
        &mut self,
        bytes: bool,
        parts: &std::sync::Arc<[InterpPart]>,
        env: &Option<Rc<Env>>,
        pos: Pos,
    ) -> Val {
        let mut out: Vec<u8> = Vec::new();
        for p in parts.iter() {
            match p {
                InterpPart::Text(t) => out.extend_from_slice(t),
                InterpPart::Expr(e) => {
                    let epos = self.prog.node(*e).pos;
                    let val = self.eval_value(*e, env);
                    match self.scalar_of(val.clone(), epos) {
                        Ok(s) => match s.interpolation_text() {
                            Some(t) => {
                                if let Scalar::Bytes(b) = &s {
                                    out.extend_from_slice(b);
                                } else {
                                    out.extend_from_slice(t.as_bytes());
                                }
                            }
                            None => {
                                let msg = format!(
                                    "invalid interpolation: cannot use {} as string",
                                    s.to_message_text()
                                );
                                return Val::E(Error::eval(msg, vec![epos]));
                            }
                        },
                        Err(err) if err.is_incomplete() => {
                            let (text, kind) = match &val {
                                Val::V(w) => (self.base_text(*w), self.kind_text(*w)),
                                _ => ("_".to_string(), "_".to_string()),
                            };
                            let msg = format!(
                                "invalid interpolation: non-concrete value {text} (type {kind})"
                            );
                            return Val::E(Error::incomplete(msg, vec![pos, epos]));
                        }
                        Err(err) => return Val::E(err),
                    }
                }
            }
        }
        if bytes {
            Val::S(Scalar::bytes(&out))
        } else {
            // A run of invalid bytes becomes one replacement character, as in Go.
            Val::S(Scalar::str(&crate::scalar::to_valid_utf8(&out)))
        }
    }

    fn slice(
        &mut self,
        x: ExprId,
        lo: Option<ExprId>,
        hi: Option<ExprId>,
        env: &Option<Rc<Env>>,
        pos: Pos,
    ) -> Val {
        let base = match self.eval_value(x, env) {
            Val::V(w) => self.deref_default(w),
            Val::E(e) => return Val::E(e),
            Val::S(s) => {
                let msg = format!(
                    "cannot slice {} (type {})",
                    s.to_message_text(),
                    s.kind_name()
                );
                return Val::E(Error::eval(msg, vec![pos]));
            }
        };
        if self.vx(base).list.is_none() {
            let msg = format!(
                "cannot slice {} (type {})",
                self.base_text(base),
                self.kind_text(base)
            );
            return Val::E(Error::eval(msg, vec![pos]));
        }
        let elems: Vec<VertexId> = self
            .vx(base)
            .arcs
            .iter()
            .filter(|(l, _)| matches!(l, Label::Index(_)))
            .map(|(_, a)| *a)
            .collect();
        let n = elems.len() as i64;
        let mut bound = |e: Option<ExprId>, d: i64| -> Result<i64, Rc<Error>> {
            match e {
                None => Ok(d),
                Some(e) => match self.eval_scalar(e, env)? {
                    Scalar::Num(x) if x.is_int() => Ok(x.to_i64().unwrap_or(i64::MAX)),
                    s => Err(Error::eval(
                        format!("invalid slice index {}", s.to_message_text()),
                        vec![pos],
                    )),
                },
            }
        };
        let l = match bound(lo, 0) {
            Ok(v) => v,
            Err(e) => return Val::E(e),
        };
        let h = match bound(hi, n) {
            Ok(v) => v,
            Err(e) => return Val::E(e),
        };
        if l < 0 || h > n || l > h {
            let msg = if h > n {
                format!("index {h} out of range")
            } else {
                format!("invalid slice index: {l} > {h}")
            };
            return Val::E(Error::eval(msg, vec![pos]));
        }
        let out = self.new_vertex(None, None);
        for (i, e) in elems[l as usize..h as usize].iter().enumerate() {
            let a = self.get_arc(out, Label::Index(i as u32));
            self.vxm(a).conjuncts.push(Conjunct {
                src: Src::Vertex(*e),
                env: None,
                ci: 0,
            });
        }
        self.vxm(out).list = Some(ListInfo {
            lits: vec![((h - l) as u32, false, pos)],
        });
        self.finalize(out);
        Val::V(out)
    }

    /// Whether a value counts as `_|_` for `x == _|_`: an error, a struct holding a definite
    /// error, or a field selected from a temporary value that holds one.
    fn is_bottom_value(&mut self, w: VertexId) -> bool {
        self.finalize(w);
        let wx = self.vx(w);
        if matches!(wx.base, Base::Err(_)) || wx.err_rec {
            return true;
        }
        let mut top = w;
        while let Some(p) = self.vx(top).parent {
            top = p;
        }
        top != w && top != self.root && self.vx(top).err_rec
    }

    /// Whether the finished value of `v` unifies with `schema` without error.
    pub(crate) fn unifies_with(&mut self, v: VertexId, schema: VertexId) -> bool {
        let t = self.new_vertex(None, None);
        let cs = [Src::Vertex(v), Src::Vertex(schema)];
        for src in cs {
            self.vxm(t).conjuncts.push(Conjunct {
                src,
                env: None,
                ci: 0,
            });
        }
        self.finalize(t);
        !self.vx(t).err_rec && !matches!(self.vx(t).base, Base::Err(_))
    }

    /// Checks `matchN` / `matchIf` validators of a vertex whose arcs are finished.
    pub fn run_validators(&mut self, v: VertexId) {
        let vals = self.vxm(v).take_validators();
        let prog = self.prog.clone();
        for (call, env) in vals {
            if let Expr::PkgMember(path, name) = &prog.node(call).expr {
                let pos = prog.node(call).pos;
                if !matches!(self.vx(v).base, Base::Err(_)) {
                    self.run_stdlib_validator(v, path, name, None, &env, pos);
                }
                continue;
            }
            let Expr::Call(f, args) = &prog.node(call).expr else {
                continue;
            };
            let pos = prog.node(call).pos;
            if matches!(self.vx(v).base, Base::Err(_)) {
                return;
            }
            if let Expr::PkgMember(path, name) = &prog.node(*f).expr {
                self.run_stdlib_validator(v, path, name, Some(args), &env, pos);
                continue;
            }
            let Expr::Builtin(b) = prog.node(*f).expr else {
                continue;
            };
            let vx = self.vx(v);
            if !vx.is_struct && vx.list.is_none() && !matches!(vx.base, Base::Scalar(_)) {
                let msg = format!("incomplete value {}", self.call_text(call));
                self.add_err(v, Error::incomplete(msg, vec![pos]));
                return;
            }
            let schemas = |ev: &mut Self, e: ExprId| -> Vec<VertexId> {
                match ev.eval_value(e, &env) {
                    Val::V(l) => {
                        let l = ev.deref_default(l);
                        if ev.vx(l).list.is_some() {
                            ev.vx(l).arcs.values().copied().collect()
                        } else {
                            vec![l]
                        }
                    }
                    Val::S(s) => vec![ev.scalar_vertex(s)],
                    Val::E(e) => vec![ev.error_vertex(e)],
                }
            };
            let ok = match b {
                Builtin::MatchN => {
                    let n = self.eval_value(args[0], &env);
                    let list = schemas(self, args[1]);
                    let count = list.iter().filter(|s| self.unifies_with(v, **s)).count();
                    self.value_accepts(&n, &Scalar::int(count as i64))
                }
                _ => {
                    let cond = schemas(self, args[0]);
                    let then = schemas(self, args[1]);
                    let els = schemas(self, args[2]);
                    let c = cond.first().is_some_and(|s| self.unifies_with(v, *s));
                    let branch = if c { then } else { els };
                    branch.first().is_none_or(|s| self.unifies_with(v, *s))
                }
            };
            if !ok {
                let msg = format!(
                    "invalid value {} (does not satisfy {})",
                    self.base_text(v),
                    b.name()
                );
                self.add_err(v, Error::eval(msg, vec![pos]));
                return;
            }
        }
    }

    fn run_stdlib_validator(
        &mut self,
        v: VertexId,
        path: &str,
        name: &str,
        call_args: Option<&[ExprId]>,
        env: &Option<Rc<Env>>,
        pos: Pos,
    ) {
        let Some(b) = stdlib::lookup(path, name) else {
            return;
        };
        // `a: json.Valid` names the validator without a call; cue prints it without `()`.
        let bare = call_args.is_none();
        let args = call_args.unwrap_or(&[]);
        if b.qualified_name() == "list.MatchN" && args.len() == 2 {
            let text = self.base_text(v);
            match self.match_n(v, args[0], args[1], env, pos) {
                Ok(Ok(())) => {}
                Ok(Err(d)) => {
                    let msg = format!("invalid value {text} (does not satisfy list.MatchN): {d}");
                    // cue points at the call, the list literals and both arguments.
                    let mut at = vec![pos];
                    if let Some(l) = &self.vx(v).list {
                        at.extend(l.lits.iter().map(|x| x.2));
                    }
                    at.extend(args.iter().map(|a| self.prog.node(*a).pos));
                    self.add_err(v, Error::eval(msg, at));
                }
                Err(e) => self.add_err(v, e),
            }
            return;
        }
        if matches!(b.func, stdlib::Func::NeedsEval)
            && matches!(b.name, "Validate" | "ValidatePartial")
            && args.len() == 1
        {
            let text = self.base_text(v);
            let data = match self.to_data_val(&Val::V(v)) {
                Ok(stdlib::Val::Str(s)) => s.as_bytes().to_vec(),
                Ok(stdlib::Val::Bytes(s)) => s.to_vec(),
                Ok(_) => return,
                Err(e) => {
                    if e.is_incomplete() {
                        let text = format!("incomplete value {text}");
                        self.add_err(v, Error::incomplete(text, vec![pos]));
                    } else {
                        self.add_err(v, e);
                    }
                    return;
                }
            };
            let name = b.qualified_name();
            match self.validate_encoded(b, &data, args[0], env) {
                Ok(Ok(())) => {}
                Ok(Err(d)) => {
                    let msg = format!("invalid value {text} (does not satisfy {name}): {d}");
                    self.add_err(v, Error::eval(msg, vec![pos]));
                }
                Err(e) => self.add_err(v, e),
            }
            return;
        }
        let mut vals = Vec::with_capacity(args.len() + 1);
        match self.to_data_val(&Val::V(v)) {
            Ok(d) => vals.push(d),
            Err(e) => {
                if e.is_incomplete() {
                    let text = format!("incomplete value {}", self.base_text(v));
                    self.add_err(v, Error::incomplete(text, vec![pos]));
                } else {
                    self.add_err(v, e);
                }
                return;
            }
        }
        let mut arg_texts = Vec::new();
        for a in args {
            let x = self.eval_value(*a, env);
            match self.to_data_val(&x) {
                Ok(d) => {
                    arg_texts.push(d.to_string());
                    vals.push(d);
                }
                Err(e) => {
                    self.add_err(v, e);
                    return;
                }
            }
        }
        let callt = if bare {
            b.qualified_name()
        } else {
            format!("{}({})", b.qualified_name(), arg_texts.join(", "))
        };
        let text = self.base_text(v);
        match stdlib::call(b, &vals) {
            Ok(stdlib::Val::Bool(true)) => {}
            Ok(stdlib::Val::Bool(false)) => {
                let msg = format!("invalid value {text} (does not satisfy {callt})");
                self.add_err(v, Error::eval(msg, vec![pos]));
            }
            Ok(_) => {}
            Err(stdlib::BuiltinError::Validation(d)) => {
                let msg = format!("invalid value {text} (does not satisfy {callt}): {d}");
                self.add_err(v, Error::eval(msg, vec![pos]));
            }
            Err(stdlib::BuiltinError::Incomplete(m)) => {
                self.add_err(v, Error::incomplete(m, vec![pos]))
            }
            Err(e) => {
                let msg = format!("error in call to {}: {}", b.qualified_name(), e.message());
                self.add_err(v, Error::eval(msg, vec![pos]));
            }
        }
    }

    fn call_text(&self, call: ExprId) -> String {
        match &self.prog.node(call).expr {
            Expr::Call(f, _) => match &self.prog.node(*f).expr {
                Expr::Builtin(b) => format!("{}(...)", b.name()),
                _ => "call".into(),
            },
            _ => "value".into(),
        }
    }

    // ----- text of values for messages -----

    /// The kind of a vertex's value, as cue names it.
    pub fn kind_text(&self, v: VertexId) -> String {
        let vx = self.vx(v);
        if vx.list.is_some() {
            return "list".into();
        }
        if vx.is_struct {
            return "struct".into();
        }
        match &vx.base {
            Base::Top => "_".into(),
            Base::Scalar(s) => s.kind_name().into(),
            Base::Constraint(c) => value::kind_name(c.kinds),
            Base::Err(_) => "_|_".into(),
            Base::Disj(_) => "disjunction".into(),
        }
    }

    /// A value in CUE syntax, as cue prints it inside messages.
    pub fn base_text(&self, v: VertexId) -> String {
        self.value_text(v, 0)
    }

    fn value_text(&self, v: VertexId, depth: u32) -> String {
        if depth > 8 {
            return "...".into();
        }
        let vx = self.vx(v);
        if let Base::Disj(d) = &vx.base {
            let parts: Vec<String> = d
                .alts
                .iter()
                .map(|(a, df)| {
                    let t = self.value_text(*a, depth + 1);
                    if *df && d.alts.iter().any(|x| !x.1) {
                        format!("*{t}")
                    } else {
                        t
                    }
                })
                .collect();
            return parts.join(" | ");
        }
        if vx.list.is_some() || vx.is_struct {
            return self.shape_text_depth(v, depth);
        }
        match &vx.base {
            Base::Top => "_".into(),
            Base::Scalar(s) => s.to_message_text(),
            Base::Constraint(c) => value::constraint_text(c),
            Base::Err(_) => "_|_".into(),
            Base::Disj(_) => String::new(),
        }
    }

    /// A struct or list in cue's compact message form: `{a:1,b:2}`, `[1,2]`.
    pub fn shape_text(&self, v: VertexId) -> String {
        self.shape_text_depth(v, 0)
    }

    fn shape_text_depth(&self, v: VertexId, depth: u32) -> String {
        let vx = self.vx(v);
        if vx.list.is_some() {
            let parts: Vec<String> = vx
                .arcs
                .values()
                .map(|a| self.value_text(*a, depth + 1))
                .collect();
            let open = vx.list.as_ref().is_some_and(|l| l.lits.iter().all(|x| x.1));
            if open && parts.is_empty() {
                return "[...]".into();
            }
            return format!("[{}]", parts.join(","));
        }
        let parts: Vec<String> = vx
            .arcs
            .iter()
            // cue's compact form shows unset required fields (`{a!:_}`), not optional ones.
            .filter(|(_, a)| self.vx(**a).arc_type != ArcType::Optional)
            .map(|(l, a)| {
                let mark = if self.vx(*a).arc_type == ArcType::Required {
                    "!"
                } else {
                    ""
                };
                format!(
                    "{}{mark}:{}",
                    self.interner.label_text(*l),
                    self.value_text(*a, depth + 1)
                )
            })
            .collect();
        format!("{{{}}}", parts.join(","))
    }

    /// A short description of an expression (for "cannot range over x").
    pub fn expr_text(&self, id: ExprId) -> String {
        match &self.prog.node(id).expr {
            Expr::Field { label, .. } => self.interner.label_text(*label),
            Expr::Selector(x, l) => {
                format!("{}.{}", self.expr_text(*x), self.interner.label_text(*l))
            }
            Expr::Var { .. } | Expr::Let { .. } => "value".into(),
            _ => "value".into(),
        }
    }
}

fn unary_sym(op: UnOp) -> &'static str {
    match op {
        UnOp::Neg => "-",
        UnOp::Pos => "+",
        UnOp::Not => "!",
    }
}

/// The error of a call with the wrong number of arguments, in Go's words as cue prints them
/// (`not enough arguments in call to len (have 0, want 1)`).
pub(crate) fn check_arity(name: &str, have: usize, want: usize, pos: Pos) -> Result<(), Rc<Error>> {
    if have == want {
        return Ok(());
    }
    let which = if have < want {
        "not enough"
    } else {
        "too many"
    };
    Err(Error::eval(
        format!("{which} arguments in call to {name} (have {have}, want {want})"),
        vec![pos],
    ))
}
