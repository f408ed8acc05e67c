//! The token type handed to the parser, with literals already decoded.

use num_bigint::BigInt;
use smol_str::SmolStr;
use std::fmt;

/// The opening segment of an interpolated string: `"abc\(`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterpHead {
    /// True for `'…'` (bytes) strings.
    pub bytes: bool,
    /// Decoded text before the first `\(`.
    pub text: Vec<u8>,
}

/// A CUE token. Punctuation carries no payload so lexing it never allocates.
///
/// Rare large payloads are boxed so a token stays 32 bytes: tokens are moved several times
/// on their way into the parser, and the parser's stack slots (which can hold a token inside
/// an error-recovery record) are as large as the largest symbol.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Ident(SmolStr),
    /// An integer that fits in 64 bits (almost all of them).
    SmallInt(u64),
    Int(Box<BigInt>),
    /// Decimal text with `_` removed.
    Float(String),
    /// A complete `"…"` string (decoded). Most are short: a `SmolStr` keeps those inline
    /// (no allocation per string literal).
    Str(SmolStr),
    /// A complete `'…'` bytes literal (decoded).
    Bytes(Vec<u8>),
    /// Start of an interpolated string up to and including the first `\(`.
    InterpStart(Box<InterpHead>),
    /// Text between `)` and the next `\(` of an interpolated string.
    InterpMid(Vec<u8>),
    /// Text between the last `)` and the closing quote.
    InterpEnd(Vec<u8>),
    /// `@name(body)`
    Attr(Box<AttrTok>),

    True,
    False,
    Null,
    /// `_|_`
    Bottom,
    Package,
    Import,
    For,
    In,
    If,
    Let,
    /// `try` starting a comprehension clause (elsewhere `try` is an identifier).
    Try,
    /// `else`, `fallback` or `otherwise` between `}` and `{` (elsewhere an identifier).
    Else,

    /// `,` written or inserted at a newline (an inserted one has an empty span).
    Comma,
    Colon,
    /// `?` before `:` (an optional field).
    Question,
    /// `?` anywhere else: the postfix optional-reference operator.
    QuestionRef,
    /// `~` (postfix label alias `a~X`)
    Tilde,
    Bang,
    /// `=`
    Bind,
    Dot,
    Ellipsis,
    LParen,
    RParen,
    LBrack,
    RBrack,
    LBrace,
    RBrace,
    /// `|`
    Or,
    /// `&`
    And,
    /// `||`
    LOr,
    /// `&&`
    LAnd,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// `=~`
    Match,
    /// `!~`
    NotMatch,
    Plus,
    Minus,
    Star,
    Slash,
}

/// A decoded attribute token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttrTok {
    pub name: SmolStr,
    /// Raw text between the parentheses.
    pub body: String,
}

impl Tok {
    /// A short human description, used in diagnostics ("identifier `a`", "`}`").
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(s) => format!("identifier `{s}`"),
            Tok::SmallInt(_) | Tok::Int(_) | Tok::Float(_) => "number".into(),
            Tok::Str(_) | Tok::Bytes(_) | Tok::InterpStart(_) => "string literal".into(),
            Tok::InterpMid(_) | Tok::InterpEnd(_) => "end of interpolation".into(),
            Tok::Attr(a) => format!("attribute `@{}`", a.name),
            Tok::True | Tok::False | Tok::Null | Tok::Bottom => format!("`{}`", self.text()),
            Tok::Package
            | Tok::Import
            | Tok::For
            | Tok::In
            | Tok::If
            | Tok::Let
            | Tok::Try
            | Tok::Else => {
                format!("keyword `{}`", self.text())
            }
            _ => format!("`{}`", self.text()),
        }
    }

    /// The source spelling of fixed tokens (empty for tokens with a payload).
    pub fn text(&self) -> &'static str {
        match self {
            Tok::True => "true",
            Tok::False => "false",
            Tok::Null => "null",
            Tok::Bottom => "_|_",
            Tok::Package => "package",
            Tok::Import => "import",
            Tok::For => "for",
            Tok::In => "in",
            Tok::If => "if",
            Tok::Let => "let",
            Tok::Try => "try",
            Tok::Else => "else",
            Tok::Comma => ",",
            Tok::Colon => ":",
            Tok::Question | Tok::QuestionRef => "?",
            Tok::Tilde => "~",
            Tok::Bang => "!",
            Tok::Bind => "=",
            Tok::Dot => ".",
            Tok::Ellipsis => "...",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::LBrack => "[",
            Tok::RBrack => "]",
            Tok::LBrace => "{",
            Tok::RBrace => "}",
            Tok::Or => "|",
            Tok::And => "&",
            Tok::LOr => "||",
            Tok::LAnd => "&&",
            Tok::Eq => "==",
            Tok::Ne => "!=",
            Tok::Lt => "<",
            Tok::Le => "<=",
            Tok::Gt => ">",
            Tok::Ge => ">=",
            Tok::Match => "=~",
            Tok::NotMatch => "!~",
            Tok::Plus => "+",
            Tok::Minus => "-",
            Tok::Star => "*",
            Tok::Slash => "/",
            _ => "",
        }
    }
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}
