//! `-t` flags: build tags for `@if(expr)` file attributes and values injected into fields
//! marked `@tag(key)` / `@tag(key,type=int)` / `@tag(key,short=a|b)`, with cue's rules on
//! where `@tag` may appear.

use std::collections::BTreeMap;

use ferrocue_parser::ast::{self, DeclKind, ExprKind, FieldConstraint, LabelKind};

/// The `-t` flags: `key=value` pairs and bare names (build tags or short names).
#[derive(Default, Debug)]
pub struct Tags {
    pub values: BTreeMap<String, String>,
    pub names: Vec<String>,
}

impl Tags {
    pub fn parse(flags: &[String]) -> Tags {
        let mut t = Tags::default();
        for f in flags {
            match f.split_once('=') {
                Some((k, v)) => {
                    t.values.insert(k.to_string(), v.to_string());
                }
                None => t.names.push(f.clone()),
            }
        }
        t
    }

    /// Evaluates an `@if` body: identifiers (set by bare `-t name`), `!`, `&&`, `||`, parens.
    pub fn build_if(&self, body: &str) -> Result<bool, String> {
        let toks = tokenize(body)?;
        let mut p = IfParser {
            toks,
            i: 0,
            tags: self,
        };
        let v = p.or()?;
        if p.i != p.toks.len() {
            return Err(format!("invalid @if expression: {body}"));
        }
        Ok(v)
    }
}

fn tokenize(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let cs: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '&' || c == '|' {
            if cs.get(i + 1) != Some(&c) {
                return Err(format!("invalid operator in @if: {c}"));
            }
            out.push(format!("{c}{c}"));
            i += 2;
        } else if c == '!' || c == '(' || c == ')' {
            out.push(c.to_string());
            i += 1;
        } else if c.is_alphanumeric() || c == '_' || c == '#' || c == '$' {
            let start = i;
            while i < cs.len() && (cs[i].is_alphanumeric() || matches!(cs[i], '_' | '#' | '$')) {
                i += 1;
            }
            out.push(cs[start..i].iter().collect());
        } else {
            return Err(format!("invalid character {c:?} in @if"));
        }
    }
    Ok(out)
}

struct IfParser<'a> {
    toks: Vec<String>,
    i: usize,
    tags: &'a Tags,
}

impl IfParser<'_> {
    fn peek(&self) -> Option<&str> {
        self.toks.get(self.i).map(String::as_str)
    }
    fn or(&mut self) -> Result<bool, String> {
        let mut v = self.and()?;
        while self.peek() == Some("||") {
            self.i += 1;
            v |= self.and()?;
        }
        Ok(v)
    }
    fn and(&mut self) -> Result<bool, String> {
        let mut v = self.unary()?;
        while self.peek() == Some("&&") {
            self.i += 1;
            v &= self.unary()?;
        }
        Ok(v)
    }
    fn unary(&mut self) -> Result<bool, String> {
        match self.peek() {
            Some("!") => {
                self.i += 1;
                Ok(!self.unary()?)
            }
            Some("(") => {
                self.i += 1;
                let v = self.or()?;
                if self.peek() != Some(")") {
                    return Err("missing ) in @if".into());
                }
                self.i += 1;
                Ok(v)
            }
            Some(t) if !matches!(t, "&&" | "||" | ")") => {
                let name = t.to_string();
                self.i += 1;
                Ok(self.tags.names.contains(&name) || self.tags.values.contains_key(&name))
            }
            _ => Err("invalid @if expression".into()),
        }
    }
}

/// One `@tag` found in a file: where to inject and what it says.
struct TagSite {
    key: String,
    ty: String,
    shorts: Vec<String>,
    value_span: ast::Span,
}

/// Where in the syntax tree a `@tag` sits, for cue's placement rules.
#[derive(Clone, Copy, Default)]
struct Ctx {
    in_list: bool,
    in_comprehension: bool,
    in_constraint: bool,
}

/// Injects `-t` values into one file's source text: each tagged field's value `x` becomes
/// `(x) & value`. Returns the new text, or cue's errors for `@tag`s in forbidden places
/// (`file:line:col` positions computed by `pos`).
pub fn inject(
    file: &ast::File,
    src: &str,
    tags: &Tags,
    used: &mut Vec<String>,
    pos: &dyn Fn(u32) -> String,
) -> Result<String, Vec<String>> {
    let mut sites = Vec::new();
    let mut errs = Vec::new();
    for d in &file.decls {
        walk_decl(d, Ctx::default(), &mut sites, &mut errs, pos);
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    let mut edits: Vec<(usize, String)> = Vec::new();
    for s in sites {
        let mut value = tags.values.get(&s.key).cloned();
        if value.is_none() {
            value = tags.names.iter().find(|n| s.shorts.contains(n)).cloned();
        }
        let Some(v) = value else { continue };
        used.push(s.key.clone());
        for n in &tags.names {
            if s.shorts.contains(n) {
                used.push(n.clone());
            }
        }
        let lit = match s.ty.as_str() {
            "int" | "number" | "float" => {
                if ferrocue_parser::parse_expr("-t", &v).is_err() || v.trim().is_empty() {
                    return Err(vec![format!(
                        "invalid {} value {v:?} for tag {}",
                        s.ty, s.key
                    )]);
                }
                v
            }
            "bool" => {
                if v != "true" && v != "false" {
                    return Err(vec![format!("invalid bool value {v:?} for tag {}", s.key)]);
                }
                v
            }
            _ => ferrocue_eval::scalar::quote_string(&v),
        };
        edits.push((s.value_span.start as usize, "(".into()));
        edits.push((s.value_span.end as usize, format!(") & {lit}")));
    }
    let mut out = src.to_string();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (at, text) in edits {
        if at <= out.len() && out.is_char_boundary(at) {
            out.insert_str(at, &text);
        }
    }
    Ok(out)
}

fn walk_decl(
    d: &ast::Decl,
    ctx: Ctx,
    sites: &mut Vec<TagSite>,
    errs: &mut Vec<String>,
    pos: &dyn Fn(u32) -> String,
) {
    match &d.kind {
        DeclKind::Field(f) => {
            let mut inner = ctx;
            if f.constraint == FieldConstraint::Optional
                || matches!(f.label.kind, LabelKind::Pattern { .. })
            {
                inner.in_constraint = true;
            }
            for a in &f.attrs {
                if a.name != "tag" {
                    continue;
                }
                let why = if inner.in_constraint {
                    Some("field constraint")
                } else if inner.in_list {
                    Some("lists")
                } else if inner.in_comprehension {
                    Some("comprehension")
                } else {
                    None
                };
                if let Some(w) = why {
                    errs.push(format!(
                        "@tag not allowed within {w}:\n    {}\n",
                        pos(a.span.start)
                    ));
                    continue;
                }
                let mut parts = a.body.split(',').map(str::trim);
                let key = parts.next().unwrap_or("").to_string();
                let mut ty = "string".to_string();
                let mut shorts = Vec::new();
                for p in parts {
                    if let Some(t) = p.strip_prefix("type=") {
                        ty = t.trim().to_string();
                    } else if let Some(s) = p.strip_prefix("short=") {
                        shorts = s.split('|').map(|x| x.trim().to_string()).collect();
                    }
                }
                sites.push(TagSite {
                    key,
                    ty,
                    shorts,
                    value_span: f.value.span,
                });
            }
            walk_expr(&f.value, inner, sites, errs, pos);
        }
        DeclKind::Embed(e) | DeclKind::Let(ast::LetClause { value: e, .. }) => {
            walk_expr(e, ctx, sites, errs, pos)
        }
        DeclKind::Alias { value, .. } => walk_expr(value, ctx, sites, errs, pos),
        DeclKind::Ellipsis(_) | DeclKind::Attribute(_) => {}
    }
}

fn walk_expr(
    e: &ast::Expr,
    ctx: Ctx,
    sites: &mut Vec<TagSite>,
    errs: &mut Vec<String>,
    pos: &dyn Fn(u32) -> String,
) {
    match &e.kind {
        ExprKind::Struct(s) => {
            for d in &s.decls {
                walk_decl(d, ctx, sites, errs, pos);
            }
        }
        ExprKind::List(l) => {
            let inner = Ctx {
                in_list: true,
                ..ctx
            };
            for x in &l.elems {
                walk_expr(x, inner, sites, errs, pos);
            }
        }
        ExprKind::Comprehension(c) => {
            let inner = Ctx {
                in_comprehension: true,
                ..ctx
            };
            walk_expr(&c.body, inner, sites, errs, pos);
        }
        ExprKind::Binary { lhs, rhs, .. } => {
            walk_expr(lhs, ctx, sites, errs, pos);
            walk_expr(rhs, ctx, sites, errs, pos);
        }
        ExprKind::Paren(x) | ExprKind::Alias { expr: x, .. } => walk_expr(x, ctx, sites, errs, pos),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_if_expressions() {
        let t = Tags::parse(&["A".into(), "C".into()]);
        assert!(t.build_if("A && B || C").unwrap());
        assert!(!t.build_if("A && B").unwrap());
        assert!(t.build_if("!(B)").unwrap());
        assert!(t.build_if("A &&").is_err());
    }
}
