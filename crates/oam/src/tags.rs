//! `// +key=value` tags from the doc comments of a template, indexed by the field path they sit
//! on, so they can be applied to the *evaluated* patch (where comments are gone).
//!
//! List elements are matched by any index; comprehension bodies and embedded structs add no path
//! component; a doc comment on a shorthand chain `a: b: c: x` belongs to the innermost field.

use ferrocue_parser::ast::{self, CommentPlacement, DeclKind, ExprKind, LabelKind};

/// One step of a tag's path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Field(String),
    /// Any list element.
    Index,
}

/// One step of a concrete path in a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Field(String),
    Index(usize),
}

/// `(key, value)` pairs of one field's tags, in comment order.
pub type Tags = Vec<(String, String)>;

/// Tags found in a file, by path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagIndex {
    entries: Vec<(Vec<Seg>, Tags)>,
}

impl TagIndex {
    /// Collects the tags of every field of a parsed file.
    pub fn from_file(file: &ast::File) -> Self {
        let mut walker = Walker {
            idx: TagIndex::default(),
            scopes: Vec::new(),
            following: Vec::new(),
        };
        let mut path = Vec::new();
        walker.decls(&file.decls, &mut path, &[]);
        walker.idx
    }

    /// Parses `src` and collects its tags (a file that does not parse has none).
    pub fn from_source(name: &str, src: &str) -> Self {
        match ferrocue_parser::parse_file(name, src) {
            Ok(f) => Self::from_file(&f),
            Err(_) => TagIndex::default(),
        }
    }

    /// The tags on the field at `prefix` + `path` (later declarations win on the same key).
    pub fn at(&self, prefix: &[Seg], path: &[Step]) -> Tags {
        let mut out: Tags = Vec::new();
        for (p, tags) in &self.entries {
            if p.len() != prefix.len() + path.len() || !p.starts_with(prefix) {
                continue;
            }
            let rest = &p[prefix.len()..];
            let matches = rest.iter().zip(path).all(|(s, t)| match (s, t) {
                (Seg::Field(a), Step::Field(b)) => a == b,
                (Seg::Index, Step::Index(_)) => true,
                _ => false,
            });
            if matches {
                for (k, v) in tags {
                    out.retain(|(ok, _)| ok != k);
                    out.push((k.clone(), v.clone()));
                }
            }
        }
        out
    }

    /// The value of one tag on the field at `prefix` + `path`.
    pub fn get(&self, prefix: &[Seg], path: &[Step], key: &str) -> Option<String> {
        self.at(prefix, path)
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
}

/// How many references deep the walk follows; with the cycle check this bounds the walk on
/// hostile templates.
const MAX_FOLLOW: usize = 8;

/// Walks a file's syntax, tracking the `let`s and fields in scope so that a field reached through
/// `containers: [content]` with `let content = {…}` (or a hidden field `_content: {…}`) gets the
/// tags written inside `content`: cue keeps those comments on the evaluated value, and KubeVela
/// reads them from there.
struct Walker<'a> {
    idx: TagIndex,
    scopes: Vec<Vec<(&'a str, &'a ast::Expr)>>,
    /// The expressions being followed, outermost first (a reference cycle stops the walk).
    following: Vec<*const ast::Expr>,
}

impl<'a> Walker<'a> {
    fn decls(&mut self, decls: &'a [ast::Decl], path: &mut Vec<Seg>, carried: &[ast::Comment]) {
        // A `let` or a field is visible in its whole struct, also before its declaration.
        let lets = decls
            .iter()
            .filter_map(|d| match &d.kind {
                DeclKind::Let(l) => Some((l.name.name.as_str(), &l.value)),
                DeclKind::Field(f) => match &f.label.kind {
                    LabelKind::Ident(i) => Some((i.name.as_str(), &f.value)),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        self.scopes.push(lets);
        for d in decls {
            match &d.kind {
                DeclKind::Field(f) => {
                    let name = match &f.label.kind {
                        LabelKind::Ident(i) if i.name.starts_with('#') => continue,
                        LabelKind::Ident(i) => i.name.to_string(),
                        LabelKind::String(s) => s.to_string(),
                        LabelKind::Dynamic(_) | LabelKind::Pattern { .. } => continue,
                    };
                    let mut comments: Vec<ast::Comment> = carried.to_vec();
                    comments.extend(
                        d.comments
                            .iter()
                            .filter(|c| c.placement == CommentPlacement::Before)
                            .cloned(),
                    );
                    path.push(Seg::Field(name));
                    if f.shorthand {
                        if let ExprKind::Struct(s) = &f.value.kind {
                            self.decls(&s.decls, path, &comments);
                        }
                    } else {
                        let tags = parse_tags(&comments);
                        if !tags.is_empty() {
                            self.idx.entries.push((path.clone(), tags));
                        }
                        self.expr(&f.value, path);
                    }
                    path.pop();
                }
                DeclKind::Embed(e) => self.expr(e, path),
                _ => {}
            }
        }
        self.scopes.pop();
    }

    fn expr(&mut self, e: &'a ast::Expr, path: &mut Vec<Seg>) {
        match &e.kind {
            ExprKind::Struct(s) => self.decls(&s.decls, path, &[]),
            ExprKind::List(l) => {
                path.push(Seg::Index);
                for el in &l.elems {
                    self.expr(el, path);
                }
                path.pop();
            }
            ExprKind::Comprehension(c) => {
                let lets = c
                    .clauses
                    .iter()
                    .filter_map(|cl| match cl {
                        ast::Clause::Let(l) => Some((l.name.name.as_str(), &l.value)),
                        _ => None,
                    })
                    .collect();
                self.scopes.push(lets);
                self.expr(&c.body, path);
                if let Some(f) = &c.fallback {
                    self.expr(f, path);
                }
                self.scopes.pop();
            }
            ExprKind::Ident(id) => {
                if self.following.len() >= MAX_FOLLOW {
                    return;
                }
                let bound = self
                    .scopes
                    .iter()
                    .rev()
                    .find_map(|sc| sc.iter().rev().find(|(n, _)| *n == id.name.as_str()))
                    .map(|(_, x)| *x);
                if let Some(x) = bound {
                    let key: *const ast::Expr = x;
                    if self.following.contains(&key) {
                        return;
                    }
                    // The bound expression is read in its own scopes in cue; the tags inside it
                    // are what matters here, so the current scopes are a fair approximation.
                    self.following.push(key);
                    self.expr(x, path);
                    self.following.pop();
                }
            }
            ExprKind::Paren(x) | ExprKind::Unary { expr: x, .. } => self.expr(x, path),
            ExprKind::Alias { expr, .. } => self.expr(expr, path),
            ExprKind::Binary { lhs, rhs, .. } => {
                self.expr(lhs, path);
                self.expr(rhs, path);
            }
            ExprKind::Call { args, .. } => {
                for a in args {
                    self.expr(a, path);
                }
            }
            _ => {}
        }
    }
}

/// KubeVela's reading of tag comments: `// +key=value`, the value trimmed, ignored when it holds
/// more than one word.
pub fn parse_tags(comments: &[ast::Comment]) -> Tags {
    let mut out: Tags = Vec::new();
    for c in comments {
        for line in c.text.lines() {
            let line = line.trim();
            let line = line.strip_prefix("//").unwrap_or(line).trim();
            let Some(rest) = line.strip_prefix('+') else {
                continue;
            };
            let Some((k, v)) = rest.split_once('=') else {
                continue;
            };
            let v = v.trim();
            if v.split_whitespace().count() > 1 {
                continue;
            }
            let k = k.trim().to_string();
            out.retain(|(ok, _)| ok != &k);
            out.push((k, v.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> Step {
        Step::Field(s.to_string())
    }

    #[test]
    fn shorthand_chain_comments_go_to_the_innermost_field() {
        let idx = TagIndex::from_source(
            "t.cue",
            "// +patchKey=name\npatch: spec: template: spec: {\n\t// +patchStrategy=retainKeys\n\tcontainers: [{\n\t\t// +patchKey=ip\n\t\thostAliases: []\n\t}]\n}\n",
        );
        let spec = [f("spec"), f("template"), f("spec")];
        let prefix = [Seg::Field("patch".into())];
        assert_eq!(idx.get(&[], &[f("patch")], "patchKey"), None);
        assert_eq!(idx.get(&prefix, &spec[..1], "patchKey"), None);
        assert_eq!(idx.get(&prefix, &spec, "patchKey").as_deref(), Some("name"));
        let mut containers = spec.to_vec();
        containers.push(f("containers"));
        assert_eq!(
            idx.get(&prefix, &containers, "patchStrategy").as_deref(),
            Some("retainKeys")
        );
        containers.extend([Step::Index(3), f("hostAliases")]);
        assert_eq!(
            idx.get(&prefix, &containers, "patchKey").as_deref(),
            Some("ip")
        );
    }

    #[test]
    fn comprehension_bodies_and_word_values() {
        let idx = TagIndex::from_source(
            "t.cue",
            "if true {\n\t// +patchKey=a,b.c\n\tx: []\n}\n// +usage=two words\n// +short=i\ny: 1\n",
        );
        assert_eq!(
            idx.get(&[], &[f("x")], "patchKey").as_deref(),
            Some("a,b.c")
        );
        assert_eq!(idx.get(&[], &[f("y")], "usage"), None);
        assert_eq!(idx.get(&[], &[f("y")], "short").as_deref(), Some("i"));
    }

    #[test]
    fn tags_inside_lets_and_hidden_fields_follow_their_references() {
        let idx = TagIndex::from_source(
            "t.cue",
            "patch: {\n\tlet content = {\n\t\t// +patchStrategy=retainKeys\n\t\trequests: {}\n\t}\n\tspec: containers: [content]\n}\n_c: {\n\t// +patchKey=ip\n\thosts: []\n}\nother: x: [_c]\nloop: a: loop\n",
        );
        let prefix = [Seg::Field("patch".into())];
        let path = [f("spec"), f("containers"), Step::Index(0), f("requests")];
        assert_eq!(
            idx.get(&prefix, &path, "patchStrategy").as_deref(),
            Some("retainKeys")
        );
        let path = [f("other"), f("x"), Step::Index(2), f("hosts")];
        assert_eq!(idx.get(&[], &path, "patchKey").as_deref(), Some("ip"));
    }
}
