//! Which parts of `context` a status string can read, found from its syntax, so only those
//! parts of the live objects are turned into values at each evaluation.
//!
//! Every way to reach the context starts with the identifier `context`. A chain of field
//! selectors and string-literal indexes after it names a path; the string may read the
//! whole value at the end of the chain (and nothing else of its parents, which it only walks
//! through). Anything else (`context` alone, a computed index, `context` shadowed by a local
//! field of that name) keeps at least as much as it could read, so pruning never changes a
//! result.

use std::collections::BTreeMap;

use ferrocue_export::data::Map;
use ferrocue_export::Data;
use ferrocue_parser::ast::{
    self, Clause, DeclKind, ExprKind, InterpPart, LabelKind, Lit, Selector,
};

/// A set of paths below `context`, as a tree: `All` keeps the whole value there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Paths {
    All,
    Some(BTreeMap<String, Paths>),
}

impl Default for Paths {
    fn default() -> Self {
        Paths::Some(BTreeMap::new())
    }
}

impl Paths {
    /// The paths of `context` that `file` can read.
    pub fn of_file(file: &ast::File) -> Paths {
        let mut p = Paths::default();
        for d in &file.decls {
            p.decl(d);
        }
        p
    }

    /// Adds the whole value at `path`.
    pub fn add(&mut self, path: &[String]) {
        let mut cur = self;
        for seg in path {
            match cur {
                Paths::All => return,
                Paths::Some(m) => cur = m.entry(seg.clone()).or_default(),
            }
        }
        *cur = Paths::All;
    }

    /// Everything `other` keeps, kept here too.
    pub fn merge(&mut self, other: &Paths) {
        match (&mut *self, other) {
            (Paths::All, _) => {}
            (_, Paths::All) => *self = Paths::All,
            (Paths::Some(a), Paths::Some(b)) => {
                for (k, v) in b {
                    a.entry(k.clone()).or_default().merge(v);
                }
            }
        }
    }

    /// `context` reduced to what these paths keep.
    pub fn prune(&self, context: &Map) -> Map {
        match self {
            Paths::All => context.clone(),
            Paths::Some(children) => {
                let mut out = Map::new();
                for (k, v) in context {
                    if let Some(p) = children.get(k) {
                        out.insert(k.clone(), p.prune_value(v));
                    }
                }
                out
            }
        }
    }

    fn prune_value(&self, d: &Data) -> Data {
        match (self, d) {
            (Paths::Some(_), Data::Map(m)) => Data::Map(self.prune(m)),
            // Selecting into a list or scalar fails the same way on the whole value.
            _ => d.clone(),
        }
    }

    fn decl(&mut self, d: &ast::Decl) {
        match &d.kind {
            DeclKind::Field(f) => {
                match &f.label.kind {
                    LabelKind::Dynamic(e) => self.expr(e),
                    LabelKind::Pattern { expr, .. } => self.expr(expr),
                    LabelKind::Ident(_) | LabelKind::String(_) => {}
                }
                self.expr(&f.value);
            }
            DeclKind::Let(l) => self.expr(&l.value),
            DeclKind::Embed(e) => self.expr(e),
            DeclKind::Ellipsis(e) => {
                if let Some(e) = e {
                    self.expr(e);
                }
            }
            DeclKind::Alias { value, .. } => self.expr(value),
            DeclKind::Attribute(_) => {}
        }
    }

    fn expr(&mut self, e: &ast::Expr) {
        if let Some(path) = static_path(e) {
            self.add(&path);
            return;
        }
        match &e.kind {
            ExprKind::Ident(_) | ExprKind::Lit(_) | ExprKind::Bad => {}
            ExprKind::Interpolation { parts, .. } => {
                for p in parts {
                    if let InterpPart::Expr(x) = p {
                        self.expr(x);
                    }
                }
            }
            ExprKind::Struct(s) => {
                for d in &s.decls {
                    self.decl(d);
                }
            }
            ExprKind::List(l) => {
                for x in &l.elems {
                    self.expr(x);
                }
                if let Some(t) = l.ellipsis.as_ref().and_then(|el| el.ty.as_ref()) {
                    self.expr(t);
                }
            }
            ExprKind::Unary { expr, .. }
            | ExprKind::Paren(expr)
            | ExprKind::Alias { expr, .. }
            | ExprKind::Postfix { expr, .. }
            | ExprKind::Selector { expr, .. } => self.expr(expr),
            ExprKind::Binary { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            ExprKind::Index { expr, index } => {
                self.expr(expr);
                self.expr(index);
            }
            ExprKind::Slice { expr, lo, hi } => {
                self.expr(expr);
                for x in [lo, hi].into_iter().flatten() {
                    self.expr(x);
                }
            }
            ExprKind::Call { func, args } => {
                self.expr(func);
                for a in args {
                    self.expr(a);
                }
            }
            ExprKind::Comprehension(c) => {
                for cl in &c.clauses {
                    match cl {
                        Clause::For { source, .. } => self.expr(source),
                        Clause::If { cond, .. } => self.expr(cond),
                        Clause::Let(l) => self.expr(&l.value),
                        Clause::Try { expr, .. } => {
                            if let Some(x) = expr {
                                self.expr(x);
                            }
                        }
                    }
                }
                self.expr(&c.body);
                if let Some(f) = &c.fallback {
                    self.expr(f);
                }
            }
        }
    }
}

/// The path of `context.a."b"["c"]…` (empty for `context` itself); `None` for anything else.
fn static_path(e: &ast::Expr) -> Option<Vec<String>> {
    match &e.kind {
        ExprKind::Ident(i) if i.name == "context" => Some(Vec::new()),
        ExprKind::Paren(x) => static_path(x),
        ExprKind::Selector { expr, sel } => {
            let mut p = static_path(expr)?;
            p.push(match sel {
                Selector::Ident(i) => i.name.to_string(),
                Selector::String { value, .. } => value.clone(),
            });
            Some(p)
        }
        ExprKind::Index { expr, index } => match &index.kind {
            ExprKind::Lit(Lit::String(s)) => {
                let mut p = static_path(expr)?;
                p.push(s.to_string());
                Some(p)
            }
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(src: &str) -> Paths {
        Paths::of_file(&ferrocue_parser::parse_file("t.cue", src).expect("test source parses"))
    }

    fn keys(p: &Paths) -> Vec<String> {
        fn walk(p: &Paths, prefix: &str, out: &mut Vec<String>) {
            match p {
                Paths::All => out.push(format!("{prefix}*")),
                Paths::Some(m) => {
                    for (k, v) in m {
                        walk(v, &format!("{prefix}{k}."), out);
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(p, "", &mut out);
        out
    }

    #[test]
    fn chains_keep_their_end_and_nothing_else() {
        let p = paths(
            r#"_l: context.output.status.ready
a: context.output.metadata.annotations["app.oam.dev/x"] != _|_
b: context.outputs[parameter.name].spec
c: [for o in context.outputs.svc.spec.ports {o}]
d: "\(context.appName)"
"#,
        );
        assert_eq!(
            keys(&p),
            [
                "appName.*",
                "output.metadata.annotations.app.oam.dev/x.*",
                "output.status.ready.*",
                "outputs.*",
            ]
        );
    }

    #[test]
    fn context_alone_keeps_everything() {
        assert_eq!(
            paths("let c = context\nx: c.output").prune(&Map::new()),
            Map::new()
        );
        assert_eq!(paths("let c = context\nx: c.output"), Paths::All);
    }

    #[test]
    fn pruning_keeps_the_named_values_whole() {
        let p = paths("x: context.output.status\ny: context.output.metadata.name");
        let ctx = match ferrocue_export::read_json(
            "c.json",
            r#"{"name": "n", "output": {"spec": {"replicas": 2}, "status": {"a": [1]}, "metadata": {"name": "w", "uid": "u"}}}"#,
        ) {
            Ok(Data::Map(m)) => m,
            other => panic!("test JSON: {other:?}"),
        };
        let got = ferrocue_export::to_json_compact(&Data::Map(p.prune(&ctx)));
        assert_eq!(
            got,
            r#"{"output":{"status":{"a":[1]},"metadata":{"name":"w"}}}"#
        );
    }
}
