//! The template text `vela def` writes into `spec.schematic.cue.template`: the declarations of
//! `template: {…}` (imports first) printed by cue's formatter with its `Simplify` option.
//!
//! The authoring files are already formatted, so the text is kept as written and only what
//! `Simplify` changes is rewritten: a field whose value is a braced struct holding exactly one
//! field (neither with a doc comment or attribute) becomes the shorthand `a: b: x`, and a quoted
//! label that is a plain identifier loses its quotes unless a reference in its scope would
//! then bind to it, and the runs of aligned fields holding such a label are re-aligned
//! (`def_align`).

use ferrocue_parser::ast::{self, DeclKind, ExprKind, LabelKind};

use crate::def_authoring::Parts;

/// One textual edit of the source: replace `[start, end)` by `text`.
struct Edit {
    start: usize,
    end: usize,
    text: String,
}

struct Edits<'a> {
    src: &'a str,
    edits: Vec<Edit>,
    /// Labels that lose their quotes: start offset and characters removed.
    unquoted: Vec<(usize, usize)>,
    /// Ranges whose lines after the first move one tab left (a collapsed struct's member).
    dedent: Vec<(usize, usize)>,
}

/// The template text for the installed object.
pub fn template_text(text: &str, file: &ast::File, parts: &Parts) -> String {
    let mut out = String::new();
    // Imports as written (comments dropped; one blank line kept between import
    // declarations, none around them).
    let head = &text[..parts.decls_start.min(text.len())];
    let mut imports: Vec<&str> = Vec::new();
    for l in head.lines() {
        let t = l.trim();
        if t.starts_with("//") || t.starts_with("package ") {
            continue;
        }
        if t.is_empty() && imports.last().is_none_or(|p| p.trim().is_empty()) {
            continue;
        }
        imports.push(l.trim_end());
    }
    while imports.last().is_some_and(|l| l.is_empty()) {
        imports.pop();
    }
    let _ = file;
    for l in &imports {
        out.push_str(l);
        out.push('\n');
    }
    let ExprKind::Struct(s) = &parts.template.kind else {
        return out;
    };
    let mut ed = Edits {
        src: text,
        edits: Vec::new(),
        unquoted: Vec::new(),
        dedent: Vec::new(),
    };
    let mut scopes = Vec::new();
    decl_list(&s.decls, &mut ed, &mut scopes);
    let t = parts.template.span;
    let (start, end) = (t.start as usize + 1, (t.end as usize).saturating_sub(1));
    let body = apply(text, start, end, &ed);
    // Lines inside `template: {` are indented one tab more than the template's own level.
    let mut lines: Vec<String> = body
        .lines()
        .map(|l| l.strip_prefix('\t').unwrap_or(l).trim_end().to_string())
        .collect();
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    // cue keeps at most one blank line in a row.
    let mut prev_blank = false;
    for l in lines {
        let blank = l.is_empty();
        if blank && prev_blank {
            continue;
        }
        prev_blank = blank;
        out.push_str(&l);
        out.push('\n');
    }
    out
}

/// Applies the edits inside `[start, end)` and the dedents of collapsed members.
fn apply(text: &str, start: usize, end: usize, ed: &Edits<'_>) -> String {
    let mut edits: Vec<&Edit> = ed
        .edits
        .iter()
        .filter(|e| e.start >= start && e.end <= end)
        .collect();
    edits.sort_by_key(|e| (e.start, e.end));
    // Mark, per original byte offset of a line start, how many tabs to drop.
    let mut out = String::new();
    let mut pos = start;
    let mut at_line_start = start == 0 || text.as_bytes().get(start - 1) == Some(&b'\n');
    let mut i = 0;
    while pos < end {
        if let Some(e) = edits.get(i) {
            if e.start == pos {
                out.push_str(&e.text);
                pos = e.end.max(pos);
                i += 1;
                continue;
            }
            if e.start < pos {
                i += 1;
                continue;
            }
        }
        let next_edit = edits.get(i).map_or(end, |e| e.start.min(end));
        if at_line_start {
            let drop = ed
                .dedent
                .iter()
                .filter(|&&(s, e)| pos > s && pos < e)
                .count();
            let mut skipped = 0;
            while skipped < drop && pos < next_edit && text.as_bytes()[pos] == b'\t' {
                pos += 1;
                skipped += 1;
            }
            at_line_start = false;
            continue;
        }
        // Copy up to the next newline or edit.
        let rest = &text[pos..next_edit];
        match rest.find('\n') {
            Some(nl) => {
                out.push_str(&rest[..=nl]);
                pos += nl + 1;
                at_line_start = true;
            }
            None => {
                out.push_str(rest);
                pos = next_edit;
            }
        }
    }
    out
}

fn has_doc(d: &ast::Decl) -> bool {
    d.comments
        .iter()
        .any(|c| c.placement == ast::CommentPlacement::Before)
}

/// Comments anywhere on a shorthand chain `a: b: c: x`: the parser keeps a chain's comments
/// on its innermost field, where cue keeps them on the first.
fn chain_has_comments(d: &ast::Decl) -> bool {
    if !d.comments.is_empty() {
        return true;
    }
    match &d.kind {
        DeclKind::Field(f) if f.shorthand => match &f.value.kind {
            ExprKind::Struct(s) => s.decls.iter().any(chain_has_comments),
            _ => false,
        },
        _ => false,
    }
}

/// A scope of the label simplifier: names declared in one declaration list, and whether a
/// quoted one may still lose its quotes.
type Scope = Vec<(String, bool)>;

fn ident_ok(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !matches!(
            s,
            "if" | "for" | "in" | "let" | "import" | "package" | "true" | "false" | "null" | "func"
        )
}

fn decl_list(decls: &[ast::Decl], ed: &mut Edits<'_>, scopes: &mut Vec<Scope>) {
    decl_list_in(decls, false, ed, scopes)
}

/// `in_chain`: `decls` is the implicit struct of a shorthand chain (its comments belong to the
/// chain's first field).
fn decl_list_in(decls: &[ast::Decl], in_chain: bool, ed: &mut Edits<'_>, scopes: &mut Vec<Scope>) {
    let mut scope: Scope = Vec::new();
    for d in decls {
        if let DeclKind::Field(f) = &d.kind {
            match &f.label.kind {
                LabelKind::Ident(i) => scope.push((i.name.to_string(), false)),
                LabelKind::String(s) if ident_ok(s) => scope.push((s.to_string(), true)),
                _ => {}
            }
        }
    }
    scopes.push(scope);
    for d in decls {
        match &d.kind {
            DeclKind::Field(f) => {
                if let LabelKind::Dynamic(e) | LabelKind::Pattern { expr: e, .. } = &f.label.kind {
                    expr(e, ed, scopes);
                }
                collapse(d, f, in_chain, ed);
                if f.shorthand {
                    if let ExprKind::Struct(st) = &f.value.kind {
                        decl_list_in(&st.decls, true, ed, scopes);
                        continue;
                    }
                }
                expr(&f.value, ed, scopes);
            }
            DeclKind::Let(l) => expr(&l.value, ed, scopes),
            DeclKind::Embed(e) | DeclKind::Ellipsis(Some(e)) | DeclKind::Alias { value: e, .. } => {
                expr(e, ed, scopes)
            }
            DeclKind::Ellipsis(None) | DeclKind::Attribute(_) => {}
        }
    }
    let scope = scopes.pop().unwrap_or_default();
    for d in decls {
        if let DeclKind::Field(f) = &d.kind {
            if let LabelKind::String(s) = &f.label.kind {
                if scope.iter().any(|(n, ok)| n == s && *ok) && f.label.alias.is_none() {
                    let (start, end) = (f.label.span.start as usize, f.label.span.end as usize);
                    // A plain double-quoted literal (escapes allowed); raw `#"…"#` and
                    // multi-line labels are left as written.
                    let plain = ed.src.get(start..end).is_some_and(|t| {
                        t.len() >= 2
                            && t.starts_with('"')
                            && t.ends_with('"')
                            && !t.starts_with("\"\"\"")
                    });
                    if plain {
                        let removed = ed.src[start..end]
                            .chars()
                            .count()
                            .saturating_sub(s.chars().count());
                        ed.unquoted.push((start, removed));
                        ed.edits.push(Edit {
                            start,
                            end,
                            text: s.to_string(),
                        });
                    }
                }
            }
        }
    }
    for (start, end, text) in crate::def_align::realign(decls, ed.src, &ed.unquoted) {
        ed.edits.push(Edit { start, end, text });
    }
}

/// `a: {b: x}` → `a: b: x` (cue's `inlineField` under `Simplify`).
fn collapse(d: &ast::Decl, f: &ast::Field, in_chain: bool, ed: &mut Edits<'_>) {
    if f.shorthand {
        newline_shorthand(f, ed);
        return;
    }
    if !f.attrs.is_empty() || (!in_chain && has_doc(d)) {
        return;
    }
    let ExprKind::Struct(s) = &f.value.kind else {
        return;
    };
    let [member] = s.decls.as_slice() else {
        return;
    };
    let DeclKind::Field(mf) = &member.kind else {
        return;
    };
    if !mf.attrs.is_empty() || chain_has_comments(member) {
        return;
    }
    let (open, m_start, m_end, close) = (
        f.value.span.start as usize,
        member.span.start as usize,
        member.span.end as usize,
        f.value.span.end as usize,
    );
    if !(open < m_start && m_end < close) {
        return;
    }
    ed.edits.push(Edit {
        start: open,
        end: m_start,
        text: String::new(),
    });
    ed.edits.push(Edit {
        start: m_end,
        end: close,
        text: String::new(),
    });
    ed.dedent.push((m_start, m_end));
}

/// `a:` with its field on the next line (a shorthand without braces) is printed `a: b: x`.
fn newline_shorthand(f: &ast::Field, ed: &mut Edits<'_>) {
    let text = ed.src;
    let ExprKind::Struct(s) = &f.value.kind else {
        return;
    };
    let [member] = s.decls.as_slice() else {
        return;
    };
    if !member.comments.is_empty() {
        return;
    }
    let (label_end, m_start) = (f.label.span.end as usize, member.span.start as usize);
    if label_end < m_start
        && text
            .get(label_end..m_start)
            .is_some_and(|t| t.contains('\n'))
    {
        ed.edits.push(Edit {
            start: label_end,
            end: m_start,
            text: ": ".into(),
        });
        ed.dedent.push((m_start, member.span.end as usize));
    }
}

/// Marks a reference: the nearest scope declaring `name` keeps its quotes.
fn reference(name: &str, scopes: &mut [Scope]) {
    for scope in scopes.iter_mut().rev() {
        if let Some(entry) = scope.iter_mut().find(|(n, _)| n == name) {
            entry.1 = false;
            return;
        }
    }
}

fn expr(e: &ast::Expr, ed: &mut Edits<'_>, scopes: &mut Vec<Scope>) {
    match &e.kind {
        ExprKind::Ident(i) => reference(&i.name, scopes),
        ExprKind::Lit(_) | ExprKind::Bad => {}
        ExprKind::Interpolation { parts, .. } => {
            for p in parts {
                if let ast::InterpPart::Expr(x) = p {
                    expr(x, ed, scopes);
                }
            }
        }
        ExprKind::Struct(s) => decl_list(&s.decls, ed, scopes),
        ExprKind::List(l) => {
            for x in &l.elems {
                expr(x, ed, scopes);
            }
            if let Some(ast::Ellipsis { ty: Some(t), .. }) = &l.ellipsis {
                expr(t, ed, scopes);
            }
        }
        ExprKind::Unary { expr: x, .. }
        | ExprKind::Paren(x)
        | ExprKind::Postfix { expr: x, .. }
        | ExprKind::Alias { expr: x, .. }
        | ExprKind::Selector { expr: x, .. } => expr(x, ed, scopes),
        ExprKind::Binary { lhs, rhs, .. } => {
            expr(lhs, ed, scopes);
            expr(rhs, ed, scopes);
        }
        ExprKind::Index { expr: x, index } => {
            expr(x, ed, scopes);
            expr(index, ed, scopes);
        }
        ExprKind::Slice { expr: x, lo, hi } => {
            expr(x, ed, scopes);
            for y in [lo, hi].into_iter().flatten() {
                expr(y, ed, scopes);
            }
        }
        ExprKind::Call { func, args } => {
            expr(func, ed, scopes);
            for a in args {
                expr(a, ed, scopes);
            }
        }
        ExprKind::Comprehension(c) => {
            for cl in &c.clauses {
                match cl {
                    ast::Clause::For { source, .. } => expr(source, ed, scopes),
                    ast::Clause::If { cond, .. } => expr(cond, ed, scopes),
                    ast::Clause::Let(l) => expr(&l.value, ed, scopes),
                    ast::Clause::Try { expr: Some(x), .. } => expr(x, ed, scopes),
                    ast::Clause::Try { .. } => {}
                }
            }
            expr(&c.body, ed, scopes);
            if let Some(fb) = &c.fallback {
                expr(fb, ed, scopes);
            }
        }
    }
}
