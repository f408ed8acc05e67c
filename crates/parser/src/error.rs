//! Syntax errors as miette diagnostics, and the translation of lexer and LALR errors into
//! messages a person understands.

use ferrocue_lexer::{LexError, Opener, Spanned, Tok};
use lalrpop_util::ParseError;
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;
use std::sync::Arc;

use crate::mk::PErr;

/// One syntax error in one file.
#[derive(Clone, Debug)]
pub struct SyntaxError {
    file: String,
    source: NamedSource<Arc<str>>,
    message: String,
    span: SourceSpan,
    label: String,
    related: Option<(SourceSpan, String)>,
    line: usize,
    column: usize,
}

impl SyntaxError {
    pub(crate) fn new(
        file: &str,
        src: &Arc<str>,
        (start, end): (usize, usize),
        message: String,
        label: String,
        related: Option<(usize, usize, String)>,
    ) -> Self {
        let clamp = |o: usize| o.min(src.len());
        let (start, end) = (clamp(start), clamp(end.max(start)));
        let (line, column) = line_col(src, start);
        let related = related.map(|(s, e, l)| {
            let s = clamp(s);
            (SourceSpan::new(s.into(), clamp(e.max(s)) - s), l)
        });
        SyntaxError {
            file: file.to_string(),
            source: NamedSource::new(file, src.clone()),
            message,
            span: SourceSpan::new(start.into(), end - start),
            label,
            related,
            line,
            column,
        }
    }

    /// The message without position, e.g. "expected `}` to close the struct opened here".
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The file name as given to the parser.
    pub fn file(&self) -> &str {
        &self.file
    }
    /// 1-based line of the error.
    pub fn line(&self) -> usize {
        self.line
    }
    /// 1-based column (in bytes, as cue counts) of the error.
    pub fn column(&self) -> usize {
        self.column
    }
    /// Byte offset of the error in its file.
    pub fn offset(&self) -> usize {
        self.span.offset()
    }
}

/// 1-based line and byte column of `offset`.
pub(crate) fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let before = &src.as_bytes()[..offset.min(src.len())];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, offset - line_start + 1)
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for SyntaxError {}

impl Diagnostic for SyntaxError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("ferrocue::syntax"))
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let mut v = vec![LabeledSpan::new_primary_with_span(
            Some(self.label.clone()),
            self.span,
        )];
        if let Some((span, label)) = &self.related {
            v.push(LabeledSpan::new_with_span(Some(label.clone()), *span));
        }
        Some(Box::new(v.into_iter()))
    }
}

/// All syntax errors found in one file (at least one).
#[derive(Clone, Debug)]
pub struct SyntaxErrors {
    pub errors: Vec<SyntaxError>,
}

impl SyntaxErrors {
    pub fn iter(&self) -> std::slice::Iter<'_, SyntaxError> {
        self.errors.iter()
    }
    pub fn len(&self) -> usize {
        self.errors.len()
    }
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }
    /// The first error (there is always one).
    pub fn first(&self) -> Option<&SyntaxError> {
        self.errors.first()
    }
}

impl fmt::Display for SyntaxErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SyntaxErrors {}

impl Diagnostic for SyntaxErrors {
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.errors.iter().map(|e| e as &dyn Diagnostic)))
    }
}

impl IntoIterator for SyntaxErrors {
    type Item = SyntaxError;
    type IntoIter = std::vec::IntoIter<SyntaxError>;
    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}

pub(crate) fn from_lex(file: &str, src: &Arc<str>, e: LexError) -> SyntaxError {
    SyntaxError::new(file, src, (e.start, e.end), e.message, e.label, e.related)
}

/// Describes a token for "found …" in messages.
fn found(tok: &Tok, start: usize, end: usize, src_len: usize) -> String {
    match tok {
        Tok::Comma if start == end && start >= src_len => "end of file".into(),
        Tok::Comma if start == end => "newline".into(),
        _ => tok.describe(),
    }
}

/// Terminals that can start an expression; collapsed to "an expression" in messages.
#[rustfmt::skip]
const EXPR_START: &[&str] = &[
    "identifier", "small_int", "int", "float", "string", "bytes", "interp_start", "true", "false", "null",
    "_|_", "(", "[", "{", "+", "-", "!", "*", "!=", "<", "<=", ">", ">=", "=~", "!~", "==", "in",
    "for", "if", "let", "try",
];

/// Terminals that can only continue a complete expression or label. When a `,` would also
/// do, listing them buries the useful part of the message.
#[rustfmt::skip]
const CONTINUATIONS: &[&str] = &[
    ":", "?", "!", "?ref", "~", ".", "...", "(", "[", "|", "&", "||", "&&", "==", "!=", "<", "<=",
    ">", ">=", "=~", "!~", "+", "-", "*", "/", "attribute", "else", "=",
];

/// The offset an LALR error points at.
pub(crate) fn location(err: &ParseError<usize, Tok, PErr>) -> Option<usize> {
    match err {
        ParseError::InvalidToken { location } | ParseError::UnrecognizedEof { location, .. } => {
            Some(*location)
        }
        ParseError::UnrecognizedToken { token, .. } | ParseError::ExtraToken { token } => {
            Some(token.0)
        }
        ParseError::User { error } => Some(error.start),
    }
}

/// Turns lalrpop's expected-terminal list into words.
fn expected_words(expected: &[String]) -> Vec<String> {
    let mut names: Vec<&str> = expected.iter().map(|s| s.trim_matches('"')).collect();
    if names.contains(&",") {
        names.retain(|n| !CONTINUATIONS.contains(n));
    }
    let is_expr = ["identifier", "int", "string", "("]
        .iter()
        .all(|n| names.contains(n));
    // Where a declaration may start, `...`, `@attr` and the file-level clauses are also
    // expected; "a declaration" says it better than listing them.
    let is_decl = is_expr && names.contains(&"...");
    let mut words = Vec::new();
    if is_decl {
        words.push("a declaration".to_string());
    } else if is_expr {
        words.push("an expression".to_string());
    }
    for n in names {
        if is_decl && matches!(n, "..." | "package" | "import" | "attribute") {
            continue;
        }
        if is_expr && EXPR_START.contains(&n) {
            continue;
        }
        let w = match n {
            "identifier" => "an identifier".to_string(),
            "string" => "a string".to_string(),
            "small_int" | "int" | "float" => "a number".to_string(),
            "attribute" => continue,
            "interp_start" | "bytes" => continue,
            "interp_mid" | "interp_end" => "`)`".to_string(),
            "?ref" => "`?`".to_string(),
            "," => {
                words.push("`,`".to_string());
                "a newline".to_string()
            }
            "package" | "import" | "for" | "if" | "let" | "in" => format!("keyword `{n}`"),
            other => format!("`{other}`"),
        };
        if !words.contains(&w) {
            words.push(w);
        }
    }
    words
}

fn join_or(words: &[String]) -> String {
    match words {
        [] => "something else".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// The innermost bracket still open before token `upto` (its kind and offset).
fn open_bracket(tokens: &[Spanned], upto: usize) -> Option<(Opener, usize)> {
    let mut stack: Vec<(Option<Opener>, usize)> = Vec::new();
    for (s, t, _) in tokens.iter().take_while(|(s, _, _)| *s < upto) {
        match t {
            Tok::LParen => stack.push((Some(Opener::Paren), *s)),
            Tok::LBrack => stack.push((Some(Opener::Brack), *s)),
            Tok::LBrace => stack.push((Some(Opener::Brace), *s)),
            Tok::InterpStart(_) => stack.push((None, *s)),
            Tok::InterpMid(_) => {
                stack.pop();
                stack.push((None, *s));
            }
            Tok::RParen | Tok::RBrack | Tok::RBrace | Tok::InterpEnd(_) => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.iter().rev().find_map(|(k, s)| k.map(|k| (k, *s)))
}

pub(crate) fn from_parse(
    file: &str,
    src: &Arc<str>,
    tokens: &[Spanned],
    err: ParseError<usize, Tok, PErr>,
) -> SyntaxError {
    let len = src.len();
    let (start, end, found_s, expected) = match err {
        ParseError::User { error } => {
            return SyntaxError::new(
                file,
                src,
                (error.start, error.end),
                error.message,
                error.label,
                None,
            );
        }
        ParseError::InvalidToken { location } => {
            return SyntaxError::new(
                file,
                src,
                (location, location + 1),
                "invalid token".into(),
                "here".into(),
                None,
            );
        }
        ParseError::UnrecognizedEof { location, expected } => {
            (location, location, "end of file".to_string(), expected)
        }
        ParseError::UnrecognizedToken {
            token: (s, t, e),
            expected,
        } => {
            let f = found(&t, s, e, len);
            (s, e, f, expected)
        }
        ParseError::ExtraToken { token: (s, t, e) } => {
            let f = found(&t, s, e, len);
            return SyntaxError::new(
                file,
                src,
                (s, e),
                format!("unexpected {f}"),
                "not expected here".into(),
                None,
            );
        }
    };
    let words = expected_words(&expected);
    let mut label = format!("expected {}", join_or(&words));
    if found_s == "newline" {
        label.push_str(" (a newline ends the declaration here)");
    }
    if let Some((kind, at)) = open_bracket(tokens, start) {
        let closer = format!("`{}`", kind.close_text());
        if words.contains(&closer) {
            let message = format!(
                "expected {closer} to close the {} opened here, found {found_s}",
                kind.what()
            );
            let related = Some((at, at + 1, format!("{} opened here", kind.what())));
            return SyntaxError::new(file, src, (start, end), message, label, related);
        }
    }
    let message = format!("expected {}, found {found_s}", join_or(&words));
    SyntaxError::new(file, src, (start, end), message, label, None)
}
