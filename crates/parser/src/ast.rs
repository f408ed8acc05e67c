//! The typed CUE syntax tree: what the parser produces and the evaluator compiles.
//!
//! Every node carries a [`Span`] (byte offsets into its file). Literals arrive already decoded by
//! the lexer (numbers without `_`, SI multipliers applied, escapes resolved), so later stages never
//! re-read source text. Comments are kept on the declaration they document.
//!
//! The tree is plain owned data (`Box`/`Vec`). Its depth is bounded by the parser
//! ([`Expr::depth`] is checked as nodes are built), so recursive walks and `Drop` cannot overflow
//! the stack.

use num_bigint::BigInt;
use serde::Serialize;
use smol_str::SmolStr;

/// Byte range `[start, end)` in one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

/// Serialized as `[start, end]`, which keeps AST dumps readable.
impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        [self.start, self.end].serialize(s)
    }
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }
    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A list that is almost always empty (a declaration's comments, a field's attributes): one
/// pointer wide, and allocated only when it holds something. Every declaration carries such
/// lists, so they cost 8 bytes each instead of a `Vec`'s 24. Reads as a slice; serializes
/// as a sequence, like a `Vec`.
// The box is the point: a `Vec` is three words, a box one.
#[allow(clippy::box_collection)]
#[derive(Clone, PartialEq, Eq)]
pub struct ThinVec<T>(Option<Box<Vec<T>>>);

impl<T> ThinVec<T> {
    pub const fn new() -> Self {
        ThinVec(None)
    }

    pub fn push(&mut self, item: T) {
        self.0.get_or_insert_with(Box::default).push(item);
    }

    /// Appends `v`, taking over its buffer when this list is empty (no copy, no second
    /// allocation).
    pub fn append(&mut self, v: Vec<T>) {
        match &mut self.0 {
            Some(list) => list.extend(v),
            None => *self = v.into(),
        }
    }

    pub fn into_vec(self) -> Vec<T> {
        self.0.map_or_else(Vec::new, |v| *v)
    }
}

impl<T> Default for ThinVec<T> {
    fn default() -> Self {
        ThinVec::new()
    }
}

impl<T> From<Vec<T>> for ThinVec<T> {
    fn from(v: Vec<T>) -> Self {
        if v.is_empty() {
            ThinVec(None)
        } else {
            ThinVec(Some(Box::new(v)))
        }
    }
}

impl<T> std::ops::Deref for ThinVec<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

impl<T> std::ops::DerefMut for ThinVec<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        self.0.as_deref_mut().map_or(&mut [], Vec::as_mut_slice)
    }
}

impl<T> Extend<T> for ThinVec<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        let mut items = items.into_iter().peekable();
        if items.peek().is_some() {
            self.0.get_or_insert_with(Box::default).extend(items);
        }
    }
}

impl<'a, T> IntoIterator for &'a ThinVec<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for ThinVec<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: Serialize> Serialize for ThinVec<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

/// One parsed source file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct File {
    /// Attributes and comments before the package clause, e.g. `@extern(embed)`.
    pub attrs: Vec<Attribute>,
    pub package: Option<Ident>,
    pub imports: Vec<Import>,
    pub decls: Vec<Decl>,
    /// Comments not attached to any declaration (e.g. at the end of a file).
    pub comments: Vec<Comment>,
    pub span: Span,
}

/// `import "strings"` or `import s "strings"`, and each spec of `import ( … )`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Import {
    pub alias: Option<Ident>,
    /// Decoded import path, e.g. `encoding/json` or `mod.test/pkg:name`.
    pub path: String,
    pub span: Span,
}

/// An identifier, e.g. `a`, `#Def`, `_hidden`, `_#hiddenDef`, `$x`, `_` (top).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Ident {
    pub name: SmolStr,
    pub span: Span,
}

/// A comment as written, `//` included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub text: String,
    pub span: Span,
    pub placement: CommentPlacement,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CommentPlacement {
    /// On the lines directly above the declaration (a doc comment).
    Before,
    /// On the same line, after the declaration.
    Trailing,
}

/// `@name(body)`; `body` is the raw text between the parentheses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Attribute {
    pub name: SmolStr,
    pub body: String,
    pub span: Span,
}

/// A declaration inside a struct or at file level, with its comments.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decl {
    pub kind: DeclKind,
    pub comments: ThinVec<Comment>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum DeclKind {
    Field(Field),
    /// `let x = expr`
    Let(LetClause),
    /// An expression embedded in the struct, including comprehensions.
    Embed(Expr),
    /// `...` or `...T`
    Ellipsis(Option<Expr>),
    /// A declaration attribute standing alone, e.g. `@protobuf(...)`.
    Attribute(Attribute),
    /// Old-style alias declaration `X = expr` (deprecated in CUE but still parsed).
    Alias {
        name: Ident,
        value: Expr,
    },
}

/// `label: value` — `a: b: c: 1` is nested fields, each a `Field` whose value is a struct
/// holding the next one (flagged `shorthand` so printers and the OAM comment rule can tell).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Field {
    pub label: Label,
    pub constraint: FieldConstraint,
    pub value: Expr,
    /// Attributes after the value: `a: int @go(A) @json(a)`.
    pub attrs: ThinVec<Attribute>,
    /// True when this field's value is the implicit struct of `a: b: c`.
    pub shorthand: bool,
}

/// Marker after a label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum FieldConstraint {
    Regular,
    /// `a?: T`
    Optional,
    /// `a!: T`
    Required,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Label {
    /// `X=` before the label: the alias names the field (or the pattern's key for `[X=p]`).
    /// The postfix forms `label~X` and `label~(K,X)` also put `X` here (same meaning).
    ///
    /// Aliases are rare and boxed, as are the payloads of the rare label kinds: every field
    /// holds a label, and a small one keeps declarations (and the vectors holding them) small.
    pub alias: Option<Box<Ident>>,
    pub kind: LabelKind,
    pub span: Span,
    /// `K` of the postfix form `label~(K,V)`: bound to the field's label (a string). For a
    /// pattern `[p]~(K,V)` it is put in `LabelKind::Pattern::alias` instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_alias: Option<Box<Ident>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum LabelKind {
    /// `a`, `#A`, `_a`
    Ident(Ident),
    /// `"a b"` (a simple string literal, decoded)
    String(SmolStr),
    /// `(expr)` — a dynamic label computed at evaluation.
    Dynamic(Box<Expr>),
    /// `[expr]` — a pattern constraint; `[X=expr]` puts the alias in `alias` of the pattern.
    Pattern {
        alias: Option<Box<Ident>>,
        expr: Box<Expr>,
    },
}

/// `let name = expr`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LetClause {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

/// An expression node.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
    /// 1 + the depth of the deepest child; bounded by the parser.
    #[serde(skip)]
    pub depth: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ExprKind {
    /// A reference (or `_` for top).
    Ident(Ident),
    Lit(Lit),
    /// `"a\(x)b"` — parts alternate text and expressions; `bytes` for `'…'` forms.
    Interpolation {
        bytes: bool,
        parts: Vec<InterpPart>,
    },
    Struct(StructLit),
    List(ListLit),
    Unary {
        op: UnaryOp,
        expr: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `x.sel`; `sel` is an identifier or a string literal.
    Selector {
        expr: Box<Expr>,
        sel: Selector,
    },
    Index {
        expr: Box<Expr>,
        index: Box<Expr>,
    },
    Slice {
        expr: Box<Expr>,
        lo: Option<Box<Expr>>,
        hi: Option<Box<Expr>>,
    },
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
    },
    /// `(x)` kept so spans and printing are exact; semantically transparent.
    Paren(Box<Expr>),
    /// `X=expr` in value position, e.g. `a: X={…}`.
    Alias {
        name: Ident,
        expr: Box<Expr>,
    },
    /// A comprehension `for … if … let … { … }` (in a struct or a list).
    Comprehension(Comprehension),
    /// `x...` (explicitopen experiment) or `x?` (try experiment).
    Postfix {
        op: PostfixOp,
        expr: Box<Expr>,
    },
    /// A syntax error recovered from (only present in trees returned alongside diagnostics).
    Bad,
}

/// A decoded literal.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Lit {
    Null,
    Bool(bool),
    /// Decimal, hex, octal, binary, or with an SI multiplier that yields an integer.
    Int(#[serde(serialize_with = "ser_bigint")] BigInt),
    /// Decimal text with `_` removed, as written otherwise (e.g. `1.50e+3`, `.5`), so the
    /// evaluator keeps full decimal precision.
    Float(String),
    /// Decoded text; short strings (most) are stored inline, without an allocation.
    String(SmolStr),
    Bytes(#[serde(serialize_with = "ser_bytes")] Vec<u8>),
    /// `_|_`
    Bottom,
}

/// Bytes print as a JSON string when they are valid UTF-8 (the usual case), else as numbers.
fn ser_bytes<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
    match std::str::from_utf8(v) {
        Ok(text) => s.serialize_str(text),
        Err(_) => v.serialize(s),
    }
}

fn ser_bigint<S: serde::Serializer>(v: &BigInt, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&v.to_string())
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum InterpPart {
    /// Decoded literal text between interpolations (bytes for `'…'` forms may be non-UTF-8).
    Text(#[serde(serialize_with = "ser_bytes")] Vec<u8>),
    Expr(Expr),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Selector {
    Ident(Ident),
    String { value: String, span: Span },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StructLit {
    pub decls: Vec<Decl>,
    /// Position of the opening `{`, for "opened here" diagnostics.
    pub open: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ListLit {
    /// Elements; comprehensions appear as `ExprKind::Comprehension`.
    pub elems: Vec<Expr>,
    /// A trailing `...` or `...T` makes the list open.
    pub ellipsis: Option<Ellipsis>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ellipsis {
    pub ty: Option<Box<Expr>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comprehension {
    pub clauses: Vec<Clause>,
    /// The struct produced for each iteration (its `{` … `}`).
    pub body: Box<Expr>,
    /// `else { … }` / `fallback { … }` / `otherwise { … }` after the body (try experiment):
    /// the struct produced when the clauses yield nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Box<Expr>>,
}

/// A postfix operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum PostfixOp {
    /// `x...`: the value, explicitly opened.
    Open,
    /// `x?`: an optional reference (inside `try`).
    Optional,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Clause {
    /// `for key, value in source` (`key` absent for `for v in x`).
    For {
        key: Option<Ident>,
        value: Ident,
        source: Expr,
        span: Span,
    },
    /// `if cond`
    If { cond: Expr, span: Span },
    /// `let name = expr`
    Let(LetClause),
    /// `try` (struct form) or `try name = expr` (try experiment).
    Try {
        name: Option<Ident>,
        expr: Option<Expr>,
        span: Span,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `+x`
    Pos,
    /// `!x`
    Not,
    /// `*x` default marker (only meaningful inside a disjunction).
    Default,
    /// `!=x`
    NotEqual,
    /// `<x`
    Less,
    /// `<=x`
    LessEq,
    /// `>x`
    Greater,
    /// `>=x`
    GreaterEq,
    /// `=~x`
    Match,
    /// `!~x`
    NotMatch,
    /// `==x` (structcmp experiment)
    Equal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum BinaryOp {
    /// `|` (lowest precedence)
    Or,
    /// `&`
    And,
    /// `||`
    LogicalOr,
    /// `&&`
    LogicalAnd,
    Equal,
    NotEqual,
    Less,
    LessEq,
    Greater,
    GreaterEq,
    Match,
    NotMatch,
    Add,
    Sub,
    Mul,
    /// `/` (ints give a float)
    Div,
}

impl BinaryOp {
    /// Binding strength: higher binds tighter (`|`=1 … `* /`=7), as in cue's spec.
    pub fn precedence(self) -> u8 {
        use BinaryOp::*;
        match self {
            Or => 1,
            And => 2,
            LogicalOr => 3,
            LogicalAnd => 4,
            Equal | NotEqual | Less | LessEq | Greater | GreaterEq | Match | NotMatch => 5,
            Add | Sub => 6,
            Mul | Div => 7,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thin_vec_reads_and_prints_like_a_vec() {
        let mut v: ThinVec<u32> = ThinVec::new();
        v.extend(std::iter::empty());
        assert!(v.0.is_none(), "extending with nothing allocates nothing");
        assert_eq!(serde_json::to_string(&v).ok().as_deref(), Some("[]"));
        v.append(Vec::new());
        assert!(v.0.is_none(), "appending nothing allocates nothing");
        v.push(1);
        v.extend([2]);
        v.append(vec![3]);
        assert_eq!(&*v, &[1, 2, 3]);
        assert_eq!(serde_json::to_string(&v).ok().as_deref(), Some("[1,2,3]"));
        assert_eq!(format!("{v:?}"), "[1, 2, 3]");
        assert_eq!(ThinVec::from(Vec::<u32>::new()), ThinVec::new());
        assert_eq!(v.into_vec(), vec![1, 2, 3]);
    }

    // Declarations are copied into their struct's vector and make up most of a tree's
    // memory: parsing throughput depends on their size (see benches/README.md, `parse`).
    #[cfg(target_pointer_width = "64")]
    #[test]
    fn declarations_stay_small() {
        use std::mem::size_of;
        assert!(size_of::<Label>() <= 56, "Label: {}", size_of::<Label>());
        assert!(size_of::<Decl>() <= 160, "Decl: {}", size_of::<Decl>());
    }
}
