//! Import checks cue makes when it loads a file: unknown standard-library packages, imports
//! never referred to, and top-level fields that take an imported package's name.

use ferrocue_parser::ast::{self, Clause, DeclKind, ExprKind, InterpPart, LabelKind};

/// cue's messages for the imports of one file (empty when they are all fine).
pub fn check(show: &str, src: &str, file: &ast::File) -> Vec<String> {
    let pos = |off: usize| {
        let off = off.min(src.len());
        let before = &src[..off];
        let line = before.matches('\n').count() + 1;
        let col = off - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        format!("{show}:{line}:{col}")
    };
    let mut used = Vec::new();
    for d in &file.decls {
        idents_decl(d, &mut used);
    }
    let mut errs = Vec::new();
    for imp in &file.imports {
        // The spec starts at the alias, or at the quoted path.
        let from = imp.span.start as usize;
        let needle = match &imp.alias {
            Some(a) => a.name.to_string(),
            None => format!("\"{}\"", imp.path),
        };
        let at = src
            .get(from..)
            .and_then(|rest| rest.find(&needle))
            .map_or(from, |i| from + i);
        let here = pos(at);
        let first = imp.path.split('/').next().unwrap_or("");
        if !first.contains('.') && !ferrocue_eval::stdlib::package_exists(&imp.path) {
            errs.push(format!(
                "builtin package \"{}\" undefined:\n    {here}\n",
                imp.path
            ));
        }
        let name = match &imp.alias {
            Some(a) => a.name.to_string(),
            None => imp
                .path
                .rsplit('/')
                .next()
                .unwrap_or(&imp.path)
                .split(':')
                .next_back()
                .unwrap_or("")
                .to_string(),
        };
        if name != "_" && !used.contains(&name) {
            let as_alias = match &imp.alias {
                Some(a) => format!(" as {}", a.name),
                None => String::new(),
            };
            errs.push(format!(
                "imported and not used: \"{}\"{as_alias}:\n    {here}\n",
                imp.path
            ));
        }
        for d in &file.decls {
            if let DeclKind::Field(f) = &d.kind {
                if let LabelKind::Ident(i) = &f.label.kind {
                    if i.name == name.as_str() {
                        errs.push(format!(
                            "{name} redeclared as imported package name\n\tprevious declaration at {}:\n    {here}\n",
                            pos(f.label.span.start as usize)
                        ));
                    }
                }
            }
        }
    }
    errs
}

fn idents_decl(d: &ast::Decl, out: &mut Vec<String>) {
    match &d.kind {
        DeclKind::Field(f) => {
            match &f.label.kind {
                LabelKind::Dynamic(e) | LabelKind::Pattern { expr: e, .. } => idents(e, out),
                LabelKind::Ident(_) | LabelKind::String(_) => {}
            }
            idents(&f.value, out);
        }
        DeclKind::Let(l) => idents(&l.value, out),
        DeclKind::Embed(e) | DeclKind::Ellipsis(Some(e)) | DeclKind::Alias { value: e, .. } => {
            idents(e, out)
        }
        DeclKind::Ellipsis(None) | DeclKind::Attribute(_) => {}
    }
}

fn idents(e: &ast::Expr, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Ident(i) => out.push(i.name.to_string()),
        ExprKind::Lit(_) | ExprKind::Bad => {}
        ExprKind::Interpolation { parts, .. } => {
            for p in parts {
                if let InterpPart::Expr(x) = p {
                    idents(x, out);
                }
            }
        }
        ExprKind::Struct(s) => s.decls.iter().for_each(|d| idents_decl(d, out)),
        ExprKind::List(l) => {
            l.elems.iter().for_each(|x| idents(x, out));
            if let Some(t) = l.ellipsis.as_ref().and_then(|el| el.ty.as_ref()) {
                idents(t, out);
            }
        }
        ExprKind::Unary { expr, .. }
        | ExprKind::Paren(expr)
        | ExprKind::Alias { expr, .. }
        | ExprKind::Postfix { expr, .. }
        | ExprKind::Selector { expr, .. } => idents(expr, out),
        ExprKind::Binary { lhs, rhs, .. } => {
            idents(lhs, out);
            idents(rhs, out);
        }
        ExprKind::Index { expr, index } => {
            idents(expr, out);
            idents(index, out);
        }
        ExprKind::Slice { expr, lo, hi } => {
            idents(expr, out);
            for x in [lo, hi].into_iter().flatten() {
                idents(x, out);
            }
        }
        ExprKind::Call { func, args } => {
            idents(func, out);
            args.iter().for_each(|x| idents(x, out));
        }
        ExprKind::Comprehension(c) => {
            for cl in &c.clauses {
                match cl {
                    Clause::For { source, .. } => idents(source, out),
                    Clause::If { cond, .. } => idents(cond, out),
                    Clause::Let(l) => idents(&l.value, out),
                    Clause::Try { expr, .. } => {
                        if let Some(x) = expr {
                            idents(x, out);
                        }
                    }
                }
            }
            idents(&c.body, out);
            if let Some(f) = &c.fallback {
                idents(f, out);
            }
        }
    }
}
