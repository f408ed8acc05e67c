//! The standard-library builtins that need the evaluator itself: `list.Sort`, `SortStable`,
//! `IsSorted` (a comparator struct unified with each pair), `list.MatchN` (schema matching),
//! `json.Validate` and `yaml.Validate`/`ValidatePartial` (decoded data unified with a schema).

use std::rc::Rc;

use crate::error::Error;
use crate::eval::{Evaluator, Val};
use crate::ir::*;
use crate::scalar::Scalar;
use crate::stdlib::{self, Builtin};
use crate::value::Base;
use crate::vertex::*;

/// What a comparison or a check produced when it could not give an answer.
type Failure = Rc<Error>;

impl Evaluator {
    /// A direct call `pkg.Name(args...)` of a [`stdlib::Func::NeedsEval`] builtin.
    pub(crate) fn call_needs_eval(
        &mut self,
        b: &Builtin,
        args: &[ExprId],
        env: &Option<Rc<Env>>,
        pos: Pos,
    ) -> Val {
        let name = b.qualified_name();
        if let Err(e) = crate::expr::check_arity(&name, args.len(), b.params.len(), pos) {
            return Val::E(e);
        }
        let r = match b.name {
            "Sort" | "SortStable" => self.sort_call(&name, args, env, pos),
            "IsSorted" => self.is_sorted_call(&name, args, env, pos),
            "MatchN" => match self.eval_value(args[0], env) {
                Val::E(e) => return Val::E(e),
                Val::S(s) => {
                    let w = self.scalar_vertex(s);
                    self.match_n(w, args[1], args[2], env, pos)
                        .map(|r| Val::S(Scalar::Bool(r.is_ok())))
                }
                Val::V(w) => self
                    .match_n(w, args[1], args[2], env, pos)
                    .map(|r| Val::S(Scalar::Bool(r.is_ok()))),
            },
            "Validate" | "ValidatePartial" => self.validate_call(b, &name, args, env, pos),
            _ => Err(Error::eval(format!("{name} is not supported"), vec![pos])),
        };
        r.unwrap_or_else(Val::E)
    }

    /// `json.Validate(data, schema)` and the yaml variants called directly.
    fn validate_call(
        &mut self,
        b: &Builtin,
        name: &str,
        args: &[ExprId],
        env: &Option<Rc<Env>>,
        pos: Pos,
    ) -> Result<Val, Failure> {
        let data = match self.eval_value(args[0], env) {
            Val::S(Scalar::Str(s)) => s.as_bytes().to_vec(),
            Val::S(Scalar::Bytes(s)) => s.to_vec(),
            Val::E(e) => return Err(e),
            Val::S(s) => {
                let msg = format!(
                    "cannot use {} (type {}) as (string|bytes) in argument 1 to {name}",
                    s.to_message_text(),
                    s.kind_name()
                );
                return Err(Error::eval(msg, vec![pos]));
            }
            Val::V(w) => {
                let w = self.deref_default(w);
                match self.vx(w).base.clone() {
                    Base::Scalar(Scalar::Str(s)) => s.as_bytes().to_vec(),
                    Base::Scalar(Scalar::Bytes(s)) => s.to_vec(),
                    Base::Err(e) => return Err(e),
                    _ => {
                        let msg =
                            format!("non-concrete argument 1 to {name}: {}", self.base_text(w));
                        return Err(Error::incomplete(msg, vec![pos]));
                    }
                }
            }
        };
        match self.validate_encoded(b, &data, args[1], env)? {
            Ok(()) => Ok(Val::S(Scalar::Bool(true))),
            Err(detail) => Err(Error::eval(
                format!("error in call to {name}: {detail}"),
                vec![pos],
            )),
        }
    }

    /// Decodes `data` (JSON or a YAML stream) and unifies each document with `schema`.
    /// `Ok(Err(detail))` is a failed validation; `ValidatePartial` accepts incomplete results.
    pub(crate) fn validate_encoded(
        &mut self,
        b: &Builtin,
        data: &[u8],
        schema: ExprId,
        env: &Option<Rc<Env>>,
    ) -> Result<Result<(), String>, Failure> {
        let docs = if b.pkg == "encoding/json" {
            if stdlib::json_check(data).is_err() {
                return Ok(Err("json: invalid JSON".into()));
            }
            match stdlib::json_unmarshal(data) {
                Ok(v) => vec![v],
                Err(e) => return Ok(Err(e)),
            }
        } else {
            match stdlib::yaml_unmarshal_stream(&String::from_utf8_lossy(data)) {
                Ok(v) => v,
                Err(e) => return Ok(Err(e)),
            }
        };
        let partial = b.name == "ValidatePartial";
        for doc in docs {
            let d = match self.from_stdlib(doc) {
                Val::S(s) => self.scalar_vertex(s),
                Val::V(w) => w,
                Val::E(e) => return Err(e),
            };
            let t = self.unified_with(d, schema, env);
            if let Some(e) = self.first_error(t) {
                return Ok(Err(e.message.clone()));
            }
            if !partial {
                if let Err(e) = self.to_data_val(&Val::V(t)) {
                    return Ok(Err(e.message.clone()));
                }
            }
        }
        Ok(Ok(()))
    }

    /// The elements of a list argument, or cue's argument-kind error.
    fn list_arg(
        &mut self,
        name: &str,
        arg: ExprId,
        env: &Option<Rc<Env>>,
        pos: Pos,
    ) -> Result<Vec<VertexId>, Failure> {
        let w = match self.eval_value(arg, env) {
            Val::V(w) => self.deref_default(w),
            Val::E(e) => return Err(e),
            Val::S(s) => {
                let msg = format!(
                    "cannot use {} (type {}) as list in argument 1 to {name}",
                    s.to_message_text(),
                    s.kind_name()
                );
                return Err(Error::eval(msg, vec![pos]));
            }
        };
        self.finalize(w);
        if let Base::Err(e) = &self.vx(w).base {
            return Err(e.clone());
        }
        if self.vx(w).list.is_none() {
            let msg = format!(
                "cannot use {} (type {}) as list in argument 1 to {name}",
                self.base_text(w),
                self.kind_text(w)
            );
            return Err(Error::eval(msg, vec![pos]));
        }
        Ok(self
            .vx(w)
            .arcs
            .iter()
            .filter(|(l, _)| matches!(l, Label::Index(_)))
            .map(|(_, a)| *a)
            .collect())
    }

    /// cue's comparator protocol: unify the comparator with `{x: a, y: b}` and read `less`.
    fn less(
        &mut self,
        cmp: ExprId,
        env: &Option<Rc<Env>>,
        a: VertexId,
        b: VertexId,
        pos: Pos,
    ) -> Result<bool, Failure> {
        self.admit_nodes(3)?;
        let t = self.new_vertex(None, None);
        self.vxm(t).conjuncts.push(Conjunct {
            src: Src::Expr(cmp),
            env: env.clone(),
            ci: 0,
        });
        for (field, elem) in [("x", a), ("y", b)] {
            let l = Label::Field(self.interner.intern(field));
            let arc = self.get_arc(t, l);
            self.vxm(arc).conjuncts.push(Conjunct {
                src: Src::Vertex(elem),
                env: None,
                ci: 0,
            });
        }
        self.finalize(t);
        if let Base::Err(e) = &self.vx(t).base {
            return Err(e.clone());
        }
        let less = Label::Field(self.interner.intern("less"));
        let Some(&arc) = self.vx(t).arcs.get(&less) else {
            return Err(Error::eval(
                "invalid comparator: field less not found",
                vec![pos],
            ));
        };
        self.finalize(arc);
        let arc = self.deref_default(arc);
        match &self.vx(arc).base {
            Base::Scalar(Scalar::Bool(b)) => Ok(*b),
            Base::Err(e) => Err(e.clone()),
            _ => {
                let msg = format!(
                    "invalid comparator: less is {} (want concrete bool)",
                    self.base_text(arc)
                );
                Err(Error::incomplete(msg, vec![pos]))
            }
        }
    }

    fn sort_call(
        &mut self,
        name: &str,
        args: &[ExprId],
        env: &Option<Rc<Env>>,
        pos: Pos,
    ) -> Result<Val, Failure> {
        let mut elems = self.list_arg(name, args[0], env, pos)?;
        let cmp = args[1];
        stdlib::go_stable_sort(&mut elems, |a, b| self.less(cmp, env, *a, *b, pos))
            .map_err(|e| self.call_error(name, e, pos))?;
        let out = self.new_vertex(None, None);
        for (i, e) in elems.iter().enumerate() {
            let a = self.get_arc(out, Label::Index(i as u32));
            self.vxm(a).conjuncts.push(Conjunct {
                src: Src::Vertex(*e),
                env: None,
                ci: 0,
            });
        }
        self.vxm(out).list = Some(ListInfo {
            lits: vec![(elems.len() as u32, false, pos)],
        });
        self.finalize(out);
        Ok(Val::V(out))
    }

    fn is_sorted_call(
        &mut self,
        name: &str,
        args: &[ExprId],
        env: &Option<Rc<Env>>,
        pos: Pos,
    ) -> Result<Val, Failure> {
        let elems = self.list_arg(name, args[0], env, pos)?;
        let cmp = args[1];
        let sorted = stdlib::go_is_sorted(&elems, |a, b| self.less(cmp, env, *a, *b, pos))
            .map_err(|e| self.call_error(name, e, pos))?;
        Ok(Val::S(Scalar::Bool(sorted)))
    }

    /// A comparator failure as cue reports it; incomplete values stay incomplete.
    fn call_error(&self, name: &str, e: Failure, pos: Pos) -> Failure {
        if e.is_incomplete() {
            return e;
        }
        Error::eval(format!("error in call to {name}: {}", e.message), vec![pos])
    }

    /// `list.MatchN(n, schema)` applied to the list `v`: `Ok(Err(detail))` when the count of
    /// elements matching `schema` does not satisfy `n`.
    pub(crate) fn match_n(
        &mut self,
        v: VertexId,
        n: ExprId,
        schema: ExprId,
        env: &Option<Rc<Env>>,
        pos: Pos,
    ) -> Result<Result<(), String>, Failure> {
        let v = self.deref_default(v);
        self.finalize(v);
        if self.vx(v).list.is_none() {
            let msg = format!(
                "cannot use {} (type {}) as list in argument 1 to list.MatchN",
                self.base_text(v),
                self.kind_text(v)
            );
            return Err(Error::eval(msg, vec![pos]));
        }
        let elems: Vec<VertexId> = self
            .vx(v)
            .arcs
            .iter()
            .filter(|(l, _)| matches!(l, Label::Index(_)))
            .map(|(_, a)| *a)
            .collect();
        // The schema is re-evaluated against each element (a definition stays closed) and
        // keeps its defaults: `int | *1` matches any int.
        let mut count = 0;
        for e in elems {
            if self.matches_final(e, schema, env) {
                count += 1;
            }
        }
        let nv = self.eval_value(n, env);
        if let Val::E(e) = &nv {
            return Err(e.clone());
        }
        if self.value_accepts(&nv, &Scalar::int(count as i64)) {
            return Ok(Ok(()));
        }
        let want = match &nv {
            Val::S(x) => x.to_message_text(),
            Val::V(w) => self.base_text(*w),
            Val::E(_) => String::new(),
        };
        let schema_text = match self.eval_value(schema, env) {
            Val::V(w) => self.base_text(w),
            Val::S(x) => x.to_message_text(),
            Val::E(_) => "_|_".into(),
        };
        Ok(Err(format!(
            "{schema_text} matches {count} list items, want {want}"
        )))
    }

    /// A fresh vertex holding `v & schema`, finalized (validators check data against schemas
    /// this way without touching `v` itself).
    fn unified_with(&mut self, v: VertexId, schema: ExprId, env: &Option<Rc<Env>>) -> VertexId {
        let t = self.new_vertex(None, None);
        let cs = [
            Conjunct {
                src: Src::Vertex(v),
                env: None,
                ci: 0,
            },
            Conjunct {
                src: Src::Expr(schema),
                env: env.clone(),
                ci: 0,
            },
        ];
        self.vxm(t).conjuncts.extend(cs);
        self.finalize(t);
        t
    }

    /// Whether `v` unified with the expression `schema` is free of errors and of required
    /// fields left unset (cue validates each element as final).
    fn matches_final(&mut self, v: VertexId, schema: ExprId, env: &Option<Rc<Env>>) -> bool {
        let t = self.unified_with(v, schema, env);
        let tx = self.vx(t);
        if tx.err_rec || matches!(tx.base, Base::Err(_)) || self.first_error(t).is_some() {
            return false;
        }
        !self.has_unset_required(t, 0)
    }

    fn has_unset_required(&self, v: VertexId, depth: u32) -> bool {
        if depth > 100 {
            return false;
        }
        self.vx(v).arcs.values().any(|a| {
            let ax = self.vx(*a);
            ax.arc_type == ArcType::Required
                || (ax.arc_type == ArcType::Regular && self.has_unset_required(*a, depth + 1))
        })
    }
}
