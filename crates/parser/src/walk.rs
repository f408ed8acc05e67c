//! Finding the declaration lists (struct bodies) around a source offset, descending only into
//! nodes whose span contains it: spans nest, so this touches one path of the tree.

use crate::ast::*;

fn contains(span: Span, p: usize) -> bool {
    (span.start as usize) <= p && p < (span.end as usize)
}

/// Calls `f` on the body of each struct inside `d` whose span contains `p`, outermost first,
/// until `f` returns true (and then returns true).
pub(crate) fn lists_in_decl(
    d: &mut Decl,
    p: usize,
    f: &mut dyn FnMut(&mut [Decl]) -> bool,
) -> bool {
    match &mut d.kind {
        DeclKind::Field(fl) => {
            let in_label = match &mut fl.label.kind {
                LabelKind::Dynamic(e) | LabelKind::Pattern { expr: e, .. } => expr(e, p, f),
                LabelKind::Ident(_) | LabelKind::String(_) => false,
            };
            in_label || expr(&mut fl.value, p, f)
        }
        DeclKind::Let(l) => expr(&mut l.value, p, f),
        DeclKind::Embed(e) | DeclKind::Ellipsis(Some(e)) | DeclKind::Alias { value: e, .. } => {
            expr(e, p, f)
        }
        DeclKind::Ellipsis(None) | DeclKind::Attribute(_) => false,
    }
}

fn expr(e: &mut Expr, p: usize, f: &mut dyn FnMut(&mut [Decl]) -> bool) -> bool {
    if !contains(e.span, p) {
        return false;
    }
    match &mut e.kind {
        ExprKind::Ident(_) | ExprKind::Lit(_) | ExprKind::Bad => false,
        ExprKind::Struct(s) => f(&mut s.decls),
        ExprKind::Interpolation { parts, .. } => parts.iter_mut().any(|part| match part {
            InterpPart::Expr(x) => expr(x, p, f),
            InterpPart::Text(_) => false,
        }),
        ExprKind::List(l) => {
            let i = l.elems.partition_point(|x| (x.span.end as usize) <= p);
            l.elems.get_mut(i).is_some_and(|x| expr(x, p, f))
                || l.ellipsis
                    .as_mut()
                    .and_then(|el| el.ty.as_mut())
                    .is_some_and(|t| expr(t, p, f))
        }
        ExprKind::Unary { expr: x, .. }
        | ExprKind::Selector { expr: x, .. }
        | ExprKind::Paren(x)
        | ExprKind::Postfix { expr: x, .. }
        | ExprKind::Alias { expr: x, .. } => expr(x, p, f),
        ExprKind::Binary { lhs, rhs, .. } => expr(lhs, p, f) || expr(rhs, p, f),
        ExprKind::Index { expr: x, index } => expr(x, p, f) || expr(index, p, f),
        ExprKind::Slice { expr: x, lo, hi } => {
            expr(x, p, f)
                || lo.as_mut().is_some_and(|e| expr(e, p, f))
                || hi.as_mut().is_some_and(|e| expr(e, p, f))
        }
        ExprKind::Call { func, args } => expr(func, p, f) || args.iter_mut().any(|a| expr(a, p, f)),
        ExprKind::Comprehension(c) => {
            c.clauses.iter_mut().any(|cl| match cl {
                Clause::For { source: x, .. } | Clause::If { cond: x, .. } => expr(x, p, f),
                Clause::Let(l) => expr(&mut l.value, p, f),
                Clause::Try { expr: x, .. } => x.as_mut().is_some_and(|x| expr(x, p, f)),
            }) || expr(&mut c.body, p, f)
                || c.fallback.as_mut().is_some_and(|fb| expr(fb, p, f))
        }
    }
}
