//! A pre-order walk over every declaration of a file, at every nesting level.

use crate::ast::*;

/// Calls `f` on each declaration before visiting the declarations nested inside it.
pub(crate) fn decls_mut(file: &mut File, f: &mut dyn FnMut(&mut Decl)) {
    for d in &mut file.decls {
        decl(d, f);
    }
}

fn decl(d: &mut Decl, f: &mut dyn FnMut(&mut Decl)) {
    f(d);
    match &mut d.kind {
        DeclKind::Field(fl) => {
            label(&mut fl.label, f);
            expr(&mut fl.value, f);
        }
        DeclKind::Let(l) => expr(&mut l.value, f),
        DeclKind::Embed(e) => expr(e, f),
        DeclKind::Ellipsis(Some(e)) => expr(e, f),
        DeclKind::Ellipsis(None) | DeclKind::Attribute(_) => {}
        DeclKind::Alias { value, .. } => expr(value, f),
    }
}

fn label(l: &mut Label, f: &mut dyn FnMut(&mut Decl)) {
    match &mut l.kind {
        LabelKind::Dynamic(e) | LabelKind::Pattern { expr: e, .. } => expr(e, f),
        LabelKind::Ident(_) | LabelKind::String(_) => {}
    }
}

fn expr(e: &mut Expr, f: &mut dyn FnMut(&mut Decl)) {
    match &mut e.kind {
        ExprKind::Ident(_) | ExprKind::Lit(_) | ExprKind::Bad => {}
        ExprKind::Interpolation { parts, .. } => {
            for p in parts {
                if let InterpPart::Expr(x) = p {
                    expr(x, f);
                }
            }
        }
        ExprKind::Struct(s) => {
            for d in &mut s.decls {
                decl(d, f);
            }
        }
        ExprKind::List(l) => {
            for x in &mut l.elems {
                expr(x, f);
            }
            if let Some(t) = l.ellipsis.as_mut().and_then(|el| el.ty.as_mut()) {
                expr(t, f);
            }
        }
        ExprKind::Unary { expr: x, .. }
        | ExprKind::Selector { expr: x, .. }
        | ExprKind::Paren(x)
        | ExprKind::Postfix { expr: x, .. }
        | ExprKind::Alias { expr: x, .. } => expr(x, f),
        ExprKind::Binary { lhs, rhs, .. } => {
            expr(lhs, f);
            expr(rhs, f);
        }
        ExprKind::Index { expr: x, index } => {
            expr(x, f);
            expr(index, f);
        }
        ExprKind::Slice { expr: x, lo, hi } => {
            expr(x, f);
            if let Some(lo) = lo {
                expr(lo, f);
            }
            if let Some(hi) = hi {
                expr(hi, f);
            }
        }
        ExprKind::Call { func, args } => {
            expr(func, f);
            for a in args {
                expr(a, f);
            }
        }
        ExprKind::Comprehension(c) => {
            for cl in &mut c.clauses {
                match cl {
                    Clause::For { source, .. } => expr(source, f),
                    Clause::If { cond, .. } => expr(cond, f),
                    Clause::Let(l) => expr(&mut l.value, f),
                    Clause::Try { expr: Some(x), .. } => expr(x, f),
                    Clause::Try { expr: None, .. } => {}
                }
            }
            expr(&mut c.body, f);
            if let Some(fb) = &mut c.fallback {
                expr(fb, f);
            }
        }
    }
}
