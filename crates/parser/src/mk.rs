//! Node construction for the grammar's actions: spans, `depth` bookkeeping with the nesting
//! limit, label conversion (`[x]`, `(e)`, `"s"`, `X=l`), and file assembly.

use crate::ast::*;
use ferrocue_lexer::{InterpHead, Tok};
use lalrpop_util::ParseError;
use smol_str::SmolStr;

/// The deepest expression nesting accepted. Recursive walks of a tree (evaluation, `Drop`,
/// JSON printing) are then bounded; deeper input is a syntax error, never a stack overflow.
pub const MAX_DEPTH: u32 = 1000;

/// An error raised by a grammar action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PErr {
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub label: String,
}

pub type PResult<T> = Result<T, ParseError<usize, Tok, PErr>>;

fn user<T>(start: usize, end: usize, message: impl Into<String>, label: &str) -> PResult<T> {
    Err(ParseError::User {
        error: PErr {
            start,
            end,
            message: message.into(),
            label: label.into(),
        },
    })
}

/// Builds an expression node, computing its depth and enforcing [`MAX_DEPTH`].
pub fn expr(kind: ExprKind, lo: usize, hi: usize) -> PResult<Expr> {
    let depth = 1 + kind_depth(&kind);
    if depth > MAX_DEPTH {
        return too_deep(lo, hi);
    }
    Ok(Expr {
        kind,
        span: Span::new(lo, hi),
        depth,
    })
}

/// An identifier or literal node: no children, so depth 1 and nothing to check. Most nodes
/// are leaves; this skips [`expr`]'s depth computation and its `Result`.
#[inline]
pub fn leaf(kind: ExprKind, lo: usize, hi: usize) -> Expr {
    debug_assert!(matches!(kind, ExprKind::Ident(_) | ExprKind::Lit(_)));
    Expr {
        kind,
        span: Span::new(lo, hi),
        depth: 1,
    }
}

fn too_deep<T>(lo: usize, hi: usize) -> PResult<T> {
    user(
        lo,
        hi,
        format!("expression nested too deeply (more than {MAX_DEPTH} levels)"),
        "too deeply nested",
    )
}

fn kind_depth(kind: &ExprKind) -> u32 {
    match kind {
        ExprKind::Ident(_) | ExprKind::Lit(_) | ExprKind::Bad => 0,
        ExprKind::Interpolation { parts, .. } => parts
            .iter()
            .map(|p| match p {
                InterpPart::Text(_) => 0,
                InterpPart::Expr(e) => e.depth,
            })
            .max()
            .unwrap_or(0),
        ExprKind::Struct(s) => s.decls.iter().map(decl_depth).max().unwrap_or(0),
        ExprKind::List(l) => {
            let e = l.elems.iter().map(|e| e.depth).max().unwrap_or(0);
            let t = l
                .ellipsis
                .as_ref()
                .and_then(|el| el.ty.as_ref())
                .map_or(0, |t| t.depth);
            e.max(t)
        }
        ExprKind::Unary { expr, .. } => expr.depth,
        ExprKind::Binary { lhs, rhs, .. } => lhs.depth.max(rhs.depth),
        ExprKind::Selector { expr, .. } => expr.depth,
        ExprKind::Index { expr, index } => expr.depth.max(index.depth),
        ExprKind::Slice { expr, lo, hi } => expr
            .depth
            .max(lo.as_ref().map_or(0, |e| e.depth))
            .max(hi.as_ref().map_or(0, |e| e.depth)),
        ExprKind::Call { func, args } => func
            .depth
            .max(args.iter().map(|a| a.depth).max().unwrap_or(0)),
        ExprKind::Paren(e) => e.depth,
        ExprKind::Alias { expr, .. } => expr.depth,
        ExprKind::Comprehension(c) => c
            .clauses
            .iter()
            .map(clause_depth)
            .max()
            .unwrap_or(0)
            .max(c.body.depth)
            .max(c.fallback.as_ref().map_or(0, |f| f.depth)),
        ExprKind::Postfix { expr, .. } => expr.depth,
    }
}

fn clause_depth(c: &Clause) -> u32 {
    match c {
        Clause::For { source, .. } => source.depth,
        Clause::If { cond, .. } => cond.depth,
        Clause::Let(l) => l.value.depth,
        Clause::Try { expr, .. } => expr.as_ref().map_or(0, |e| e.depth),
    }
}

fn decl_depth(d: &Decl) -> u32 {
    match &d.kind {
        DeclKind::Field(f) => f.value.depth.max(label_depth(&f.label)),
        DeclKind::Let(l) => l.value.depth,
        DeclKind::Embed(e) => e.depth,
        DeclKind::Ellipsis(e) => e.as_ref().map_or(0, |e| e.depth),
        DeclKind::Attribute(_) => 0,
        DeclKind::Alias { value, .. } => value.depth,
    }
}

fn label_depth(l: &Label) -> u32 {
    match &l.kind {
        LabelKind::Ident(_) | LabelKind::String(_) => 0,
        LabelKind::Dynamic(e) => e.depth,
        LabelKind::Pattern { expr, .. } => expr.depth,
    }
}

/// Groups `first op e op e …` by operator precedence (all operators are left-associative).
/// Uses explicit stacks, so a chain of any length cannot exhaust the call stack.
pub fn climb(first: Expr, mut rest: Vec<(BinaryOp, Expr)>) -> PResult<Expr> {
    if rest.len() == 1 {
        // `a op b`, the usual case: no grouping to do, so no operand and operator stacks.
        if let Some((op, rhs)) = rest.pop() {
            let (lo, hi) = (first.span.start as usize, rhs.span.end as usize);
            return binary(op, first, rhs, lo, hi);
        }
    }
    let mut operands: Vec<Expr> = Vec::with_capacity(rest.len() + 1);
    let mut ops: Vec<BinaryOp> = Vec::with_capacity(rest.len());
    operands.push(first);
    fn reduce(operands: &mut Vec<Expr>, op: BinaryOp) -> PResult<()> {
        // Invariant: one more operand than operators is on the stacks, so both pops succeed.
        let (Some(rhs), Some(lhs)) = (operands.pop(), operands.pop()) else {
            return Ok(());
        };
        let (lo, hi) = (lhs.span.start as usize, rhs.span.end as usize);
        operands.push(binary(op, lhs, rhs, lo, hi)?);
        Ok(())
    }
    for (op, rhs) in rest {
        while let Some(&top) = ops.last() {
            if top.precedence() < op.precedence() {
                break;
            }
            ops.pop();
            reduce(&mut operands, top)?;
        }
        ops.push(op);
        operands.push(rhs);
    }
    while let Some(top) = ops.pop() {
        reduce(&mut operands, top)?;
    }
    match operands.pop() {
        Some(e) => Ok(e),
        None => user(0, 0, "empty expression", "here"),
    }
}

/// Placeholder for a declaration skipped by error recovery (never returned to callers: a
/// file with recovered errors is reported as failed).
pub fn bad(lo: usize, hi: usize) -> Expr {
    Expr {
        kind: ExprKind::Bad,
        span: Span::new(lo, hi),
        depth: 1,
    }
}

/// Identifiers that declare something (labels, `let`, `for` variables) may not start with
/// `__`: cue reserves those names.
pub fn decl_ident(i: Ident) -> PResult<Ident> {
    if i.name.starts_with("__") {
        let (s, t) = (i.span.start as usize, i.span.end as usize);
        return user(
            s,
            t,
            "identifiers starting with '__' are reserved",
            "reserved name",
        );
    }
    Ok(i)
}

pub fn binary(op: BinaryOp, lhs: Expr, rhs: Expr, lo: usize, hi: usize) -> PResult<Expr> {
    expr(
        ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
        lo,
        hi,
    )
}

pub fn decl(kind: DeclKind, lo: usize, hi: usize) -> Decl {
    Decl {
        kind,
        comments: ThinVec::new(),
        span: Span::new(lo, hi),
    }
}

/// An expression standing alone in a struct: an embedding, or the old `X = expr` alias form.
pub fn embed_decl(e: Expr, lo: usize, hi: usize) -> Decl {
    match e.kind {
        ExprKind::Alias { name, expr } => decl(DeclKind::Alias { name, value: *expr }, lo, hi),
        kind => decl(DeclKind::Embed(Expr { kind, ..e }), lo, hi),
    }
}

/// Declarations reduced but not yet placed in their struct (or file), in source order.
///
/// A struct's declarations are reduced between its `{` (where [`Pending::mark`] is taken)
/// and its `}`, and any nested struct takes its own declarations out before the outer one
/// continues, so those since the mark are exactly the struct's. After a syntax error the
/// stack may hold leftovers of abandoned structs; such a parse is reported as failed and its
/// tree dropped, so they only ever land in a tree nobody sees.
#[derive(Default)]
pub struct Pending {
    decls: Vec<Decl>,
}

impl Pending {
    pub fn push(&mut self, d: Decl) {
        self.decls.push(d);
    }

    pub fn mark(&self) -> usize {
        self.decls.len()
    }

    /// The declarations pushed since `mark`, in a vector of exactly their number (for a
    /// struct; at file level, mark 0, the stack itself).
    pub fn take_from(&mut self, mark: usize) -> Vec<Decl> {
        let at = mark.min(self.decls.len());
        if at == 0 {
            // The whole stack (file level): hand it over instead of copying it.
            return std::mem::take(&mut self.decls);
        }
        // One block copy into an exact-size vector (`drain` would move them one by one).
        self.decls.split_off(at)
    }
}

/// What follows a label's `:`: a value (with attributes), or another field (`a: b: c`).
///
/// A value with attributes is boxed: this is a parser stack symbol, kept no larger than an
/// expression. `Nested` holds the implicit struct around the inner field (see [`nested`]).
pub enum FieldRest {
    Value(Expr),
    WithAttrs(Box<(Expr, Vec<Attribute>)>),
    Nested(Expr),
}

/// The rest `b: c` of `a: b: c`: the implicit struct holding the field `b`, built at once
/// (one allocation, its declaration vector).
pub fn nested(inner: Decl) -> PResult<FieldRest> {
    let (s, e) = (inner.span.start as usize, inner.span.end as usize);
    let value = expr(
        ExprKind::Struct(StructLit {
            decls: vec![inner],
            open: Span::new(s, s),
        }),
        s,
        e,
    )?;
    Ok(FieldRest::Nested(value))
}

pub fn struct_lit(decls: Vec<Decl>, lo: usize, hi: usize) -> PResult<Expr> {
    expr(
        ExprKind::Struct(StructLit {
            decls,
            open: Span::new(lo, lo + 1),
        }),
        lo,
        hi,
    )
}

pub fn field_decl(
    label: Label,
    constraint: FieldConstraint,
    rest: FieldRest,
    lo: usize,
    hi: usize,
) -> PResult<Decl> {
    let field = match rest {
        FieldRest::Value(value) => Field {
            label,
            constraint,
            value,
            attrs: ThinVec::new(),
            shorthand: false,
        },
        FieldRest::WithAttrs(va) => {
            let (value, attrs) = *va;
            Field {
                label,
                constraint,
                value,
                attrs: attrs.into(),
                shorthand: false,
            }
        }
        FieldRest::Nested(value) => Field {
            label,
            constraint,
            value,
            attrs: ThinVec::new(),
            shorthand: true,
        },
    };
    Ok(decl(DeclKind::Field(field), lo, hi))
}

/// Pushes the field `e: r` (label written as an expression) onto `pending`. The common
/// shapes, a plain identifier or string label with a value, are built in place; everything
/// else goes through [`label_or_recover`] and [`field_decl`].
#[allow(clippy::too_many_arguments)]
pub fn push_field(
    pending: &mut Pending,
    errors: &mut Vec<lalrpop_util::ErrorRecovery<usize, Tok, PErr>>,
    e: Expr,
    postfix: Option<(Option<Ident>, Ident)>,
    constraint: FieldConstraint,
    rest: FieldRest,
    lo: usize,
    hi: usize,
) -> PResult<()> {
    let span = e.span;
    let kind = match (e.kind, postfix, rest) {
        (ExprKind::Ident(i), None, FieldRest::Value(value)) if !i.name.starts_with("__") => {
            (LabelKind::Ident(i), value)
        }
        (ExprKind::Lit(Lit::String(s)), None, FieldRest::Value(value)) => {
            (LabelKind::String(s), value)
        }
        (kind, postfix, rest) => {
            let e = Expr { kind, ..e };
            let d = field_decl(
                label_or_recover(e, postfix, errors),
                constraint,
                rest,
                lo,
                hi,
            )?;
            pending.push(d);
            return Ok(());
        }
    };
    let (label, value) = kind;
    pending.push(Decl {
        kind: DeclKind::Field(Field {
            label: Label {
                alias: None,
                kind: label,
                span,
                key_alias: None,
            },
            constraint,
            value,
            attrs: ThinVec::new(),
            shorthand: false,
        }),
        comments: ThinVec::new(),
        span: Span::new(lo, hi),
    });
    Ok(())
}

pub fn ident(name: &'static str, lo: usize, hi: usize) -> Ident {
    Ident {
        name: SmolStr::new_static(name),
        span: Span::new(lo, hi),
    }
}

pub fn keyword_label(name: &'static str, lo: usize, hi: usize) -> Label {
    let span = Span::new(lo, hi);
    Label {
        alias: None,
        kind: LabelKind::Ident(ident(name, lo, hi)),
        span,
        key_alias: None,
    }
}

const LABEL_HINT: &str =
    "a label is an identifier, a string, `(expression)`, or a pattern `[expression]`";

/// [`expr_label`], recording a failure and parsing on with a placeholder label so that
/// later errors in the file are reported too.
pub fn label_or_recover(
    e: Expr,
    postfix: Option<(Option<Ident>, Ident)>,
    errors: &mut Vec<lalrpop_util::ErrorRecovery<usize, Tok, PErr>>,
) -> Label {
    let span = e.span;
    match expr_label(e, postfix) {
        Ok(label) => label,
        Err(error) => {
            errors.push(lalrpop_util::ErrorRecovery {
                error,
                dropped_tokens: Vec::new(),
            });
            let (s, t) = (span.start as usize, span.end as usize);
            Label {
                alias: None,
                kind: LabelKind::Dynamic(Box::new(bad(s, t))),
                span,
                key_alias: None,
            }
        }
    }
}

/// Reinterprets an expression parsed before a `:` as a label, with an optional postfix alias
/// `~X` / `~(K,V)` (`_` in either place binds nothing).
pub fn expr_label(e: Expr, postfix: Option<(Option<Ident>, Ident)>) -> PResult<Label> {
    let mut label = plain_label(e)?;
    let Some((key, value)) = postfix else {
        return Ok(label);
    };
    let blank = |i: Ident| {
        if i.name == "_" {
            None
        } else {
            Some(Box::new(i))
        }
    };
    if label.alias.is_some() {
        let s = label.span;
        return user(
            s.start as usize,
            s.end as usize,
            "a label cannot have both `X=` and `~X` aliases",
            "two aliases",
        );
    }
    label.alias = blank(value);
    if let Some(k) = key.and_then(blank) {
        match &mut label.kind {
            LabelKind::Pattern {
                alias: alias @ None,
                ..
            } => *alias = Some(k),
            LabelKind::Pattern { .. } => {
                let s = k.span;
                return user(
                    s.start as usize,
                    s.end as usize,
                    "the pattern already has a key alias",
                    "second alias",
                );
            }
            _ => label.key_alias = Some(k),
        }
    }
    Ok(label)
}

fn plain_label(e: Expr) -> PResult<Label> {
    let span = e.span;
    let (s, t) = (span.start as usize, span.end as usize);
    let kind = match e.kind {
        ExprKind::Alias { name, expr } => {
            let inner = plain_label(*expr)?;
            if inner.alias.is_some() {
                return user(s, t, "a label can have only one alias", "second alias");
            }
            return Ok(Label {
                alias: Some(Box::new(name)),
                kind: inner.kind,
                span,
                key_alias: None,
            });
        }
        ExprKind::Ident(i) => LabelKind::Ident(decl_ident(i)?),
        ExprKind::Lit(Lit::String(v)) => LabelKind::String(v),
        ExprKind::Lit(Lit::Bool(b)) => LabelKind::Ident(Ident {
            name: SmolStr::new_static(if b { "true" } else { "false" }),
            span,
        }),
        ExprKind::Lit(Lit::Null) => LabelKind::Ident(Ident {
            name: SmolStr::new_static("null"),
            span,
        }),
        ExprKind::Interpolation { bytes: false, .. } => LabelKind::Dynamic(Box::new(e)),
        ExprKind::Paren(inner) => LabelKind::Dynamic(inner),
        ExprKind::List(mut l) if l.elems.len() == 1 && l.ellipsis.is_none() => {
            match l.elems.pop() {
                Some(Expr {
                    kind: ExprKind::Alias { name, expr },
                    ..
                }) => LabelKind::Pattern {
                    alias: Some(Box::new(name)),
                    expr,
                },
                Some(expr) => LabelKind::Pattern {
                    alias: None,
                    expr: Box::new(expr),
                },
                None => return user(s, t, "a pattern label needs an expression", "empty pattern"),
            }
        }
        ExprKind::List(_) => {
            return user(
                s,
                t,
                "a pattern label `[…]` must hold exactly one expression",
                "invalid pattern",
            );
        }
        ExprKind::Lit(Lit::Bytes(_)) | ExprKind::Interpolation { bytes: true, .. } => {
            return user(
                s,
                t,
                "a bytes literal cannot be a label; use a double-quoted string",
                "bytes label",
            );
        }
        _ => return user(s, t, format!("invalid label: {LABEL_HINT}"), "not a label"),
    };
    Ok(Label {
        alias: None,
        kind,
        span,
        key_alias: None,
    })
}

// The boxes come from the parser stack, where they keep symbol slots small.
#[allow(clippy::vec_box, clippy::boxed_local)]
pub fn comprehension(
    first: Box<Clause>,
    rest: Vec<Box<Clause>>,
    body: Expr,
    fallback: Option<Expr>,
    lo: usize,
    hi: usize,
) -> PResult<Expr> {
    let mut clauses = Vec::with_capacity(1 + rest.len());
    clauses.push(*first);
    clauses.extend(rest.into_iter().map(|c| *c));
    let fallback = fallback.map(Box::new);
    expr(
        ExprKind::Comprehension(Comprehension {
            clauses,
            body: Box::new(body),
            fallback,
        }),
        lo,
        hi,
    )
}

pub fn interpolation(
    head: InterpHead,
    first: Expr,
    rest: Vec<InterpPart>,
    tail: Vec<u8>,
    lo: usize,
    hi: usize,
) -> PResult<Expr> {
    let mut parts = Vec::with_capacity(3 + rest.len());
    parts.push(InterpPart::Text(head.text));
    parts.push(InterpPart::Expr(first));
    parts.extend(rest);
    parts.push(InterpPart::Text(tail));
    expr(
        ExprKind::Interpolation {
            bytes: head.bytes,
            parts,
        },
        lo,
        hi,
    )
}

/// One file-level item before the file is assembled.
pub enum TopItem {
    Package(Ident, Span),
    Imports(Vec<Import>, Span),
    /// The next declaration of [`Pending`].
    Decl,
}

/// Assembles a [`File`], checking that the package clause and imports come first. `decls`
/// holds the file-level declarations in order, one per `TopItem::Decl`.
///
/// The declarations stay in `decls`, which becomes the file's list: only attributes before
/// a package clause (always a prefix of `decls`) are moved out, to the file's attributes.
pub fn build_file(items: Vec<TopItem>, mut decls: Vec<Decl>, len: usize) -> Result<File, PErr> {
    let mut file = File {
        attrs: Vec::new(),
        package: None,
        imports: Vec::new(),
        decls: Vec::new(),
        comments: Vec::new(),
        span: Span::new(0, len),
    };
    // `decls[..leading]` are attributes seen before anything else; they become file
    // attributes if a package follows.
    let mut leading = 0;
    // Declarations of `decls` reached so far, and whether one of them is not leading.
    let mut next = 0;
    let mut placed = false;
    let mut seen_other = false;
    for item in items {
        match item {
            TopItem::Package(name, span) => {
                if file.package.is_some() || seen_other {
                    return Err(PErr {
                        start: span.start as usize,
                        end: span.end as usize,
                        message: "the package clause must come first in the file".into(),
                        label: "misplaced package clause".into(),
                    });
                }
                file.package = Some(name);
                file.attrs = decls
                    .drain(..leading)
                    .filter_map(|d| match d.kind {
                        DeclKind::Attribute(a) => Some(a),
                        _ => None,
                    })
                    .collect();
                next -= leading;
                leading = 0;
                seen_other = true;
            }
            TopItem::Imports(v, span) => {
                if placed {
                    return Err(PErr {
                        start: span.start as usize,
                        end: span.end as usize,
                        message: "imports must come before all other declarations".into(),
                        label: "misplaced import".into(),
                    });
                }
                seen_other = true;
                file.imports.extend(v);
            }
            TopItem::Decl => {
                // One declaration was pushed per `TopItem::Decl` (a successful parse leaves
                // nothing else in `Pending`), so `get` finds it.
                let Some(d) = decls.get(next) else { continue };
                next += 1;
                if !seen_other && matches!(d.kind, DeclKind::Attribute(_)) {
                    leading += 1;
                } else {
                    seen_other = true;
                    placed = true;
                }
            }
        }
    }
    decls.truncate(next);
    file.decls = decls;
    Ok(file)
}
