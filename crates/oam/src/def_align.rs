//! Re-aligning field values after labels lost their quotes (for `def export`'s template text).
//!
//! cue's formatter pads single-line fields of a run so their values start in one column: the
//! widest `label:` cell plus one space. A run is a sequence of fields on consecutive lines
//! (no blank or comment line between), each on one line, of the same shorthand depth
//! (`a: x` is 1, `a: b: x` is 2), whose value does not open a struct or list. When a label in
//! a run loses its quotes the column can move; this recomputes the padding of such runs only
//! (already formatted text is otherwise kept as written).

use ferrocue_parser::ast::{self, DeclKind, ExprKind};

/// A field's cell: where its padding lies and how wide its `label:` text will be.
struct Cell {
    /// After the innermost colon.
    pad_start: usize,
    /// Where the value starts.
    value_start: usize,
    /// Characters of the cell (chain labels and colons) once quotes are dropped.
    width: usize,
    depth: usize,
    /// Whether a label of the cell loses its quotes.
    changed: bool,
}

/// cue's `nextNeedsFormfeed`: a value that opens a struct or list (or a multi-line string)
/// ends alignment.
fn opens_block(e: &ast::Expr, src: &str) -> bool {
    match &e.kind {
        ExprKind::Struct(_) | ExprKind::List(_) | ExprKind::Comprehension(_) => true,
        ExprKind::Lit(ast::Lit::String(_)) | ExprKind::Interpolation { .. } => src
            .get(e.span.start as usize..e.span.end as usize)
            .is_some_and(|t| t.contains('\n')),
        ExprKind::Paren(x)
        | ExprKind::Unary { expr: x, .. }
        | ExprKind::Postfix { expr: x, .. }
        | ExprKind::Index { expr: x, .. }
        | ExprKind::Selector { expr: x, .. } => opens_block(x, src),
        ExprKind::Binary { lhs, rhs, .. } => opens_block(lhs, src) || opens_block(rhs, src),
        ExprKind::Call { args, .. } => args.iter().any(|a| opens_block(a, src)),
        _ => false,
    }
}

fn cell(d: &ast::Decl, src: &str, unquoted: &[(usize, usize)]) -> Option<Cell> {
    if !d.comments.is_empty() {
        return None;
    }
    let DeclKind::Field(first) = &d.kind else {
        return None;
    };
    let mut f = first;
    let start = d.span.start as usize;
    let mut depth = 1;
    let mut removed = 0;
    let mut changed = false;
    loop {
        if let Some(&(_, n)) = unquoted
            .iter()
            .find(|(s, _)| *s == f.label.span.start as usize)
        {
            removed += n;
            changed = true;
        }
        if !f.shorthand {
            break;
        }
        let ExprKind::Struct(s) = &f.value.kind else {
            return None;
        };
        let [inner] = s.decls.as_slice() else {
            return None;
        };
        let DeclKind::Field(g) = &inner.kind else {
            return None;
        };
        if !inner.comments.is_empty() {
            return None;
        }
        f = g;
        depth += 1;
    }
    if opens_block(&f.value, src) || !f.attrs.is_empty() {
        return None;
    }
    let end = d.span.end as usize;
    let text = src.get(start..end)?;
    if text.contains('\n') {
        return None;
    }
    let value_start = f.value.span.start as usize;
    let colon = src.get(f.label.span.end as usize..value_start)?.find(':')?;
    let pad_start = f.label.span.end as usize + colon + 1;
    let cell_text = src.get(start..pad_start)?;
    Some(Cell {
        pad_start,
        value_start,
        width: cell_text.chars().count().saturating_sub(removed),
        depth,
        changed,
    })
}

/// Padding edits `(start, end, spaces)` for the runs of `decls` holding a label that lost its
/// quotes (`unquoted`: label start and characters removed).
pub fn realign(
    decls: &[ast::Decl],
    src: &str,
    unquoted: &[(usize, usize)],
) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut run: Vec<Cell> = Vec::new();
    let mut prev_end: Option<usize> = None;
    let flush = |run: &mut Vec<Cell>, out: &mut Vec<(usize, usize, String)>| {
        if run.len() > 1 && run.iter().any(|c| c.changed) {
            let col = run.iter().map(|c| c.width).max().unwrap_or(0) + 1;
            for c in run.iter() {
                out.push((c.pad_start, c.value_start, " ".repeat(col - c.width)));
            }
        }
        run.clear();
    };
    for d in decls {
        let c = cell(d, src, unquoted);
        let adjacent = prev_end.is_some_and(|e| {
            src.get(e..d.span.start as usize)
                .is_some_and(|gap| gap.trim().is_empty() && gap.matches('\n').count() == 1)
        });
        match c {
            Some(c) if adjacent && run.last().is_some_and(|l| l.depth == c.depth) => run.push(c),
            Some(c) => {
                flush(&mut run, &mut out);
                run.push(c);
            }
            None => flush(&mut run, &mut out),
        }
        prev_end = Some(d.span.end as usize);
    }
    flush(&mut run, &mut out);
    out
}
