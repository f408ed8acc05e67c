//! The lexing driver: runs the logos DFA, scans strings and attributes by hand, inserts the
//! commas implied by newlines, tracks bracket nesting, and collects comments on the side.

use crate::number::{decode_number, Number};
use crate::raw::Raw;
use crate::string::{decode_segment, scan_segment, Quote, SegCtx, SegEnd};
use crate::token::{AttrTok, InterpHead, Tok};
use logos::Logos;
use smol_str::SmolStr;

/// The deepest bracket / interpolation nesting accepted. Deeper input is rejected with an error,
/// so no later recursive pass over the tree can run out of stack.
pub const MAX_NESTING: usize = 1000;

/// A token with its byte span `[start, end)`.
pub type Spanned = (usize, Tok, usize);

/// A `//` comment, `start..end` covering the `//` and the text up to the end of the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawComment {
    pub start: usize,
    pub end: usize,
    /// No token precedes the comment on its line.
    pub own_line: bool,
}

/// A lexical error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexError {
    pub start: usize,
    pub end: usize,
    pub message: String,
    /// Text for the label on the error's own span.
    pub label: String,
    /// A second label, e.g. where an unclosed bracket was opened.
    pub related: Option<(usize, usize, String)>,
    /// The file ended with this bracket still open: the parser can usually point closer to
    /// the real mistake, so it runs anyway.
    pub unclosed_at_eof: bool,
}

/// The result of lexing one file.
#[derive(Clone, Debug, Default)]
pub struct Lexed {
    pub tokens: Vec<Spanned>,
    pub comments: Vec<RawComment>,
    pub errors: Vec<LexError>,
}

/// Tokenizes `src`. Errors are collected; after a bracket-structure error lexing stops.
pub fn tokenize(src: &str) -> Lexed {
    let mut d = Driver::new(src, src.len() / 8);
    while d.step() {}
    d.out
}

/// Tokens produced on demand, for feeding a parser without holding the whole file's tokens
/// in memory. Comments and errors are collected as lexing goes; [`Tokens::finish`] lexes
/// whatever the consumer did not read and returns them.
pub struct Tokens<'s> {
    d: Driver<'s>,
    /// Finished tokens not handed out yet, last first (taken with `pop`). The driver's
    /// buffer is swapped in whole when this runs dry, so tokens move once and no slot is
    /// cleared or dropped one by one.
    ready: Vec<Spanned>,
}

impl<'s> Tokens<'s> {
    pub fn new(src: &'s str) -> Self {
        Tokens {
            d: Driver::new(src, 16),
            ready: Vec::with_capacity(16),
        }
    }

    /// Finishes lexing and returns the comments and the lexical errors of the whole file.
    pub fn finish(mut self) -> (Vec<RawComment>, Vec<LexError>) {
        loop {
            if !self.d.in_interpolation() {
                self.d.out.tokens.clear();
            }
            if !self.d.step() {
                break;
            }
        }
        (self.d.out.comments, self.d.out.errors)
    }

    /// Moves the driver's finished tokens to `ready`.
    fn refill(&mut self) {
        std::mem::swap(&mut self.ready, &mut self.d.out.tokens);
        self.ready.reverse();
    }
}

impl Iterator for Tokens<'_> {
    type Item = Spanned;

    // Inlined into the parser's token fetch: a call would return the token through memory,
    // and copying it again right after it was stored stalls on store forwarding (measured:
    // ~9% of parse time in the parser's `next_token`).
    #[inline]
    fn next(&mut self) -> Option<Spanned> {
        loop {
            if let Some(t) = self.ready.pop() {
                return Some(t);
            }
            // Tokens of an unfinished interpolated string are placeholders until its closing
            // quote is seen (multi-line indentation is known only then), so wait for it.
            if !self.d.in_interpolation() {
                match self.d.out.tokens.len() {
                    0 => {}
                    // Most steps yield one token: hand it out directly.
                    1 => return self.d.out.tokens.pop(),
                    _ => {
                        self.refill();
                        continue;
                    }
                }
            }
            if !self.d.step() {
                // Lexing is over; hand out what is left (an unclosed string's placeholders
                // come with an error that the caller reports).
                if self.d.out.tokens.is_empty() {
                    return None;
                }
                self.refill();
            }
        }
    }
}

/// The kind of an open bracket, for matching and for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opener {
    Paren,
    Brack,
    Brace,
}

impl Opener {
    pub fn close_text(self) -> &'static str {
        match self {
            Opener::Paren => ")",
            Opener::Brack => "]",
            Opener::Brace => "}",
        }
    }
    pub fn what(self) -> &'static str {
        match self {
            Opener::Paren => "parenthesis",
            Opener::Brack => "list",
            Opener::Brace => "struct",
        }
    }
}

struct Seg {
    tok: usize,
    start: usize,
    end: usize,
}

enum Frame {
    Open(Opener, usize),
    Interp {
        q: Quote,
        string_start: usize,
        open_at: usize,
        segs: Vec<Seg>,
    },
}

struct Driver<'s> {
    src: &'s str,
    out: Lexed,
    insert_eol: bool,
    stack: Vec<Frame>,
    last_token_end: Option<usize>,
    /// Where the next DFA token starts.
    pos: usize,
    /// The DFA, running over `src[base..]`; kept from token to token and moved forward when
    /// the driver scanned text itself, so it is rebuilt only when `pos` moves back.
    lex: logos::Lexer<'s, Raw>,
    base: usize,
    /// How many `Frame::Interp` are on the stack.
    interps: usize,
    /// The kind of the last token (the buffer may have been handed out already).
    prev: Prev,
    done: bool,
}

/// What the previous token was, for the few contextual keywords.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    Start,
    Comma,
    RBrace,
    Other,
}

/// Why the main loop stopped early.
struct Stop;

impl<'s> Driver<'s> {
    fn new(src: &'s str, capacity: usize) -> Self {
        // A byte-order mark at the start is skipped, as cue does.
        let pos = if src.starts_with('\u{feff}') { 3 } else { 0 };
        Driver {
            src,
            out: Lexed {
                tokens: Vec::with_capacity(capacity),
                ..Lexed::default()
            },
            insert_eol: false,
            stack: Vec::new(),
            last_token_end: None,
            pos,
            lex: Raw::lexer(src.get(pos..).unwrap_or("")),
            base: pos,
            interps: 0,
            prev: Prev::Start,
            done: false,
        }
    }

    fn in_interpolation(&self) -> bool {
        self.interps > 0
    }

    /// Lexes one DFA token (and whatever the driver scans by hand after it). Returns false
    /// once lexing is over.
    fn step(&mut self) -> bool {
        if self.done {
            return false;
        }
        self.sync_dfa();
        let base = self.base;
        let lex = &mut self.lex;
        let Some(res) = lex.next() else {
            self.done = true;
            self.finish();
            return false;
        };
        let span = lex.span();
        let (start, end) = (base + span.start, base + span.end);
        self.pos = end;
        let raw = match res {
            Ok(raw) => raw,
            Err(()) => {
                let ch = self.src[start..].chars().next().unwrap_or('\u{fffd}');
                let end = start + ch.len_utf8();
                self.err(
                    start,
                    end,
                    format!("illegal character {ch:?}"),
                    "not valid here",
                );
                // Resume after the whole character (logos may have stopped mid-way).
                self.pos = end;
                return true;
            }
        };
        match self.token(raw, start, end) {
            Ok(None) => {}
            Ok(Some(resume)) => self.pos = resume,
            Err(Stop) => self.done = true,
        }
        true
    }

    /// Moves the DFA to `pos` if the driver resumed somewhere else.
    fn sync_dfa(&mut self) {
        let at = self.base + self.lex.span().end;
        if at == self.pos {
            return;
        }
        if self.pos > at && self.src.is_char_boundary(self.pos) {
            self.lex.bump(self.pos - at);
        } else {
            self.lex = Raw::lexer(self.src.get(self.pos..).unwrap_or(""));
            self.base = self.pos;
        }
    }

    fn finish(&mut self) {
        let len = self.src.len();
        if self.insert_eol {
            self.out.tokens.push((len, Tok::Comma, len));
        }
        match self.stack.last() {
            Some(Frame::Open(kind, at)) => {
                let (kind, at) = (*kind, *at);
                self.out.errors.push(LexError {
                    start: len,
                    end: len,
                    message: format!(
                        "expected `{}` to close the {} opened here, found end of file",
                        kind.close_text(),
                        kind.what()
                    ),
                    label: "file ends here".into(),
                    related: Some((at, at + 1, format!("{} opened here", kind.what()))),
                    unclosed_at_eof: true,
                });
            }
            Some(Frame::Interp { open_at, .. }) => {
                let at = *open_at;
                self.out.errors.push(LexError {
                    start: len,
                    end: len,
                    message: "expected `)` to close the string interpolation, found end of file"
                        .into(),
                    label: "file ends here".into(),
                    related: Some((at, at + 2, "interpolation opened here".into())),
                    unclosed_at_eof: true,
                });
            }
            None => {}
        }
    }

    fn err(&mut self, start: usize, end: usize, message: String, label: &str) {
        self.out.errors.push(LexError {
            start,
            end,
            message,
            label: label.into(),
            related: None,
            unclosed_at_eof: false,
        });
    }

    fn push(&mut self, start: usize, tok: Tok, end: usize, eol: bool) {
        self.prev = match tok {
            Tok::Comma => Prev::Comma,
            Tok::RBrace => Prev::RBrace,
            _ => Prev::Other,
        };
        self.out.tokens.push((start, tok, end));
        self.insert_eol = eol;
        self.last_token_end = Some(end);
    }

    fn open(&mut self, frame: Frame, at: usize) -> Result<(), Stop> {
        if self.stack.len() >= MAX_NESTING {
            self.err(
                at,
                at + 1,
                format!("nesting too deep: more than {MAX_NESTING} levels of brackets"),
                "too deeply nested",
            );
            return Err(Stop);
        }
        if matches!(frame, Frame::Interp { .. }) {
            self.interps += 1;
        }
        self.stack.push(frame);
        Ok(())
    }

    /// Handles one DFA token. Returns a resume offset when the driver consumed text itself.
    fn token(&mut self, raw: Raw, start: usize, end: usize) -> Result<Option<usize>, Stop> {
        let text = &self.src[start..end];
        let simple = |t: Tok| Some(t);
        let tok = match raw {
            Raw::Newline => {
                if self.insert_eol {
                    self.insert_eol = false;
                    let next = self.src[end..]
                        .bytes()
                        .find(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
                    if !matches!(next, Some(b',') | Some(b':')) {
                        self.out.tokens.push((start, Tok::Comma, start));
                        self.prev = Prev::Comma;
                    }
                }
                return Ok(None);
            }
            Raw::Comment => {
                if self.insert_eol {
                    self.insert_eol = false;
                    self.out.tokens.push((start, Tok::Comma, start));
                    self.prev = Prev::Comma;
                }
                let own_line = match self.last_token_end {
                    None => true,
                    Some(e) => self.src[e..start].contains('\n'),
                };
                self.out.comments.push(RawComment {
                    start,
                    end,
                    own_line,
                });
                return Ok(None);
            }
            Raw::Ident => return self.ident(text, start, end).map(|_| None),
            Raw::Bottom => {
                self.push(start, Tok::Bottom, end, true);
                return Ok(None);
            }
            Raw::Hex | Raw::Octal | Raw::Binary | Raw::Decimal => {
                // `1...` is the number 1 followed by `...`, not `1.` followed by `..`.
                if text.ends_with('.') && self.src.as_bytes().get(end) == Some(&b'.') {
                    let text = &text[..text.len() - 1];
                    self.number(text, start, end - 1);
                    return Ok(Some(end - 1));
                }
                self.number(text, start, end);
                return Ok(None);
            }
            Raw::Hashes => {
                let hashes = end - start;
                return match self.src.as_bytes().get(end) {
                    Some(b'"') | Some(b'\'') => self.string(start, end, hashes).map(Some),
                    // A lone `#` is an identifier (a field may be called `#`).
                    _ if hashes == 1 => self.ident(text, start, end).map(|_| None),
                    _ => {
                        self.err(start, end, "illegal character '#'".into(), "not valid here");
                        Ok(None)
                    }
                };
            }
            Raw::DQuote | Raw::SQuote => return self.string(start, start, 0).map(Some),
            Raw::At => return self.attribute(start).map(Some),
            Raw::Comma => simple(Tok::Comma),
            Raw::Colon => simple(Tok::Colon),
            Raw::Isa => {
                self.err(
                    start,
                    end,
                    "`::` (the old definition syntax) is not supported; write `#Name: value`"
                        .into(),
                    "legacy syntax",
                );
                None
            }
            Raw::Question => {
                // `a?: x` is an optional field; any other `?` is the postfix operator.
                let tok = if self.next_sig(end) == Some(b':') {
                    Tok::Question
                } else {
                    Tok::QuestionRef
                };
                self.push(start, tok, end, true);
                return Ok(None);
            }
            Raw::Bang => simple(Tok::Bang),
            Raw::Bind => simple(Tok::Bind),
            Raw::Dot => simple(Tok::Dot),
            Raw::DotDot => {
                self.err(
                    start,
                    end,
                    "illegal token `..`; expected `.` or `...`".into(),
                    "here",
                );
                None
            }
            Raw::Ellipsis => {
                self.push(start, Tok::Ellipsis, end, true);
                return Ok(None);
            }
            Raw::LParen => {
                self.open(Frame::Open(Opener::Paren, start), start)?;
                simple(Tok::LParen)
            }
            Raw::LBrack => {
                self.open(Frame::Open(Opener::Brack, start), start)?;
                simple(Tok::LBrack)
            }
            Raw::LBrace => {
                self.open(Frame::Open(Opener::Brace, start), start)?;
                simple(Tok::LBrace)
            }
            Raw::RParen => return self.close(Opener::Paren, start, end),
            Raw::RBrack => return self.close(Opener::Brack, start, end),
            Raw::RBrace => return self.close(Opener::Brace, start, end),
            Raw::Or => simple(Tok::Or),
            Raw::And => simple(Tok::And),
            Raw::LOr => simple(Tok::LOr),
            Raw::LAnd => simple(Tok::LAnd),
            Raw::Eq => simple(Tok::Eq),
            Raw::Ne => simple(Tok::Ne),
            Raw::Lt => simple(Tok::Lt),
            Raw::Le => simple(Tok::Le),
            Raw::Gt => simple(Tok::Gt),
            Raw::Ge => simple(Tok::Ge),
            Raw::Match => simple(Tok::Match),
            Raw::NotMatch => simple(Tok::NotMatch),
            Raw::Plus => simple(Tok::Plus),
            Raw::Minus => simple(Tok::Minus),
            Raw::Star => simple(Tok::Star),
            Raw::Slash => simple(Tok::Slash),
            Raw::Semicolon => {
                self.err(
                    start,
                    end,
                    "unexpected `;`: separate declarations with `,` or a newline".into(),
                    "not valid here",
                );
                None
            }
            Raw::Tilde => simple(Tok::Tilde),
            Raw::Arrow => {
                self.err(
                    start,
                    end,
                    format!("illegal token `{text}`"),
                    "not valid here",
                );
                None
            }
        };
        if let Some(tok) = tok {
            self.push(start, tok, end, false);
        }
        Ok(None)
    }

    fn number(&mut self, text: &str, start: usize, end: usize) {
        let tok = match decode_number(text) {
            Ok(Number::Int(i)) => match u64::try_from(&i) {
                Ok(small) => Tok::SmallInt(small),
                Err(_) => Tok::Int(Box::new(i)),
            },
            Ok(Number::Float(f)) => Tok::Float(f),
            Err(msg) => {
                self.err(start, end, msg, "invalid number");
                Tok::SmallInt(0)
            }
        };
        self.push(start, tok, end, true);
    }

    /// The next byte after `from` that is not a space or tab.
    fn next_sig(&self, from: usize) -> Option<u8> {
        self.src.as_bytes()[from.min(self.src.len())..]
            .iter()
            .copied()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\r'))
    }

    fn ident(&mut self, text: &str, start: usize, end: usize) -> Result<(), Stop> {
        if !text.is_ascii() {
            if let Some(bad) = text
                .chars()
                .find(|c| !c.is_ascii() && !c.is_alphabetic() && !c.is_numeric())
            {
                self.err(
                    start,
                    end,
                    format!("illegal character {bad:?} in identifier"),
                    "here",
                );
            }
        }
        let next = || self.next_sig(end);
        let ident_start = |b: Option<u8>| {
            b.is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'$' | b'#' | 0x80..))
        };
        // `package` and `import` are not keywords in CUE: they are clauses only at the start
        // of a top-level declaration, followed by what the clause needs.
        let at_top_decl = self.stack.is_empty() && matches!(self.prev, Prev::Start | Prev::Comma);
        let after_rbrace = self.prev == Prev::RBrace;
        let tok = match text {
            "true" => Tok::True,
            "false" => Tok::False,
            "null" => Tok::Null,
            "for" => Tok::For,
            "in" => Tok::In,
            "if" => Tok::If,
            "let" => Tok::Let,
            "package" if at_top_decl && ident_start(next()) => Tok::Package,
            "import"
                if at_top_decl && (ident_start(next()) || matches!(next(), Some(b'"' | b'('))) =>
            {
                Tok::Import
            }
            "try" if next() == Some(b'{') || ident_start(next()) => Tok::Try,
            "else" | "fallback" | "otherwise" if after_rbrace && next() == Some(b'{') => Tok::Else,
            _ => Tok::Ident(SmolStr::new(text)),
        };
        self.push(start, tok, end, true);
        Ok(())
    }

    fn close(&mut self, kind: Opener, start: usize, end: usize) -> Result<Option<usize>, Stop> {
        match self.stack.last() {
            Some(Frame::Open(k, _)) if *k == kind => {
                self.stack.pop();
                let tok = match kind {
                    Opener::Paren => Tok::RParen,
                    Opener::Brack => Tok::RBrack,
                    Opener::Brace => Tok::RBrace,
                };
                self.push(start, tok, end, true);
                Ok(None)
            }
            Some(Frame::Interp { .. }) if kind == Opener::Paren => {
                let Some(Frame::Interp {
                    q,
                    string_start,
                    open_at,
                    segs,
                }) = self.stack.pop()
                else {
                    return Err(Stop); // unreachable: matched just above
                };
                self.interps -= 1;
                self.resume_string(q, string_start, open_at, segs, start, end)
                    .map(Some)
            }
            Some(Frame::Open(k, at)) => {
                let (k, at) = (*k, *at);
                self.out.errors.push(LexError {
                    start,
                    end,
                    message: format!(
                        "expected `{}` to close the {} opened here, found `{}`",
                        k.close_text(),
                        k.what(),
                        kind.close_text()
                    ),
                    label: "unexpected closing bracket".into(),
                    related: Some((at, at + 1, format!("{} opened here", k.what()))),
                    unclosed_at_eof: false,
                });
                Err(Stop)
            }
            Some(Frame::Interp { open_at, .. }) => {
                let at = *open_at;
                self.out.errors.push(LexError {
                    start,
                    end,
                    message: format!(
                        "expected `)` to close the string interpolation, found `{}`",
                        kind.close_text()
                    ),
                    label: "unexpected closing bracket".into(),
                    related: Some((at, at + 2, "interpolation opened here".into())),
                    unclosed_at_eof: false,
                });
                Err(Stop)
            }
            None => {
                self.err(
                    start,
                    end,
                    format!("unexpected `{}`: nothing to close", kind.close_text()),
                    "no matching opening bracket",
                );
                Err(Stop)
            }
        }
    }

    /// Scans a string whose quote character is at `quote_at` (after `hashes` `#` from `start`).
    /// Returns the offset to resume DFA lexing from.
    fn string(&mut self, start: usize, quote_at: usize, hashes: usize) -> Result<usize, Stop> {
        let b = self.src.as_bytes();
        let ch = b[quote_at];
        if hashes == 0 {
            // Fast path for most strings: one line, no escapes, so the text between the
            // quotes is the value. One pass finds the first byte that needs more care.
            let body_start = quote_at + 1;
            let rest = b.get(body_start..).unwrap_or(&[]);
            if let Some(len) = rest
                .iter()
                .position(|&c| c == ch || c == b'\\' || c == b'\n' || c == 0)
            {
                let close = body_start + len;
                // `""` followed by a third quote opens a multi-line string instead.
                let triple = len == 0 && b.get(close + 1) == Some(&ch);
                if b[close] == ch && !triple {
                    let body = &self.src[body_start..close];
                    let tok = if ch == b'\'' {
                        Tok::Bytes(body.as_bytes().to_vec())
                    } else {
                        Tok::Str(SmolStr::new(body))
                    };
                    self.push(start, tok, close + 1, true);
                    return Ok(close + 1);
                }
            }
        }
        let triple = b.get(quote_at + 1) == Some(&ch) && b.get(quote_at + 2) == Some(&ch);
        let hashes_after_triple =
            hashes > 0 && (0..hashes).all(|i| b.get(quote_at + 3 + i) == Some(&b'#'));
        let multiline = triple && !hashes_after_triple;
        let q = Quote {
            ch,
            multiline,
            hashes,
        };
        let content_start = if multiline {
            let after = quote_at + 3;
            match (b.get(after), b.get(after + 1)) {
                (Some(b'\n'), _) => after + 1,
                (Some(b'\r'), Some(b'\n')) => after + 2,
                _ => {
                    self.err(
                        start,
                        after,
                        "expected newline after multiline quote".into(),
                        "a multi-line string starts on the next line",
                    );
                    return Err(Stop);
                }
            }
        } else {
            quote_at + 1
        };
        match scan_segment(b, content_start, q, multiline, start) {
            Err((at, msg)) => {
                self.err(at, at + 1, msg, "string starts here");
                Err(Stop)
            }
            Ok(SegEnd::Closed { content_end, end }) => {
                let body = &self.src[content_start..content_end];
                if !multiline && !body.bytes().any(|b| b == b'\\' || b == 0) {
                    // Nothing to decode: the text is the value (most strings).
                    let tok = if q.is_bytes() {
                        Tok::Bytes(body.as_bytes().to_vec())
                    } else {
                        Tok::Str(SmolStr::new(body))
                    };
                    self.push(start, tok, end, true);
                    return Ok(end);
                }
                let tok_idx = self.out.tokens.len();
                self.push(start, Tok::Comma, end, true);
                let segs = vec![Seg {
                    tok: tok_idx,
                    start: content_start,
                    end: content_end,
                }];
                self.decode_string(q, start, segs, content_end);
                Ok(end)
            }
            Ok(SegEnd::Interp { content_end, end }) => {
                let tok_idx = self.out.tokens.len();
                self.push(start, Tok::Comma, end, false);
                let segs = vec![Seg {
                    tok: tok_idx,
                    start: content_start,
                    end: content_end,
                }];
                self.open(
                    Frame::Interp {
                        q,
                        string_start: start,
                        open_at: content_end,
                        segs,
                    },
                    content_end,
                )?;
                Ok(end)
            }
        }
    }

    /// Continues a string after the `)` closing an interpolation.
    fn resume_string(
        &mut self,
        q: Quote,
        string_start: usize,
        _open_at: usize,
        mut segs: Vec<Seg>,
        rparen: usize,
        rparen_end: usize,
    ) -> Result<usize, Stop> {
        let b = self.src.as_bytes();
        match scan_segment(b, rparen_end, q, false, string_start) {
            Err((at, msg)) => {
                self.err(at, at + 1, msg, "string starts here");
                Err(Stop)
            }
            Ok(SegEnd::Closed { content_end, end }) => {
                let tok_idx = self.out.tokens.len();
                self.push(rparen, Tok::Comma, end, true);
                segs.push(Seg {
                    tok: tok_idx,
                    start: rparen_end,
                    end: content_end,
                });
                self.decode_string(q, string_start, segs, content_end);
                Ok(end)
            }
            Ok(SegEnd::Interp { content_end, end }) => {
                let tok_idx = self.out.tokens.len();
                self.push(rparen, Tok::Comma, end, false);
                segs.push(Seg {
                    tok: tok_idx,
                    start: rparen_end,
                    end: content_end,
                });
                self.open(
                    Frame::Interp {
                        q,
                        string_start,
                        open_at: content_end,
                        segs,
                    },
                    content_end,
                )?;
                Ok(end)
            }
        }
    }

    /// Decodes every segment of a finished string and stores the real tokens in place of the
    /// placeholders pushed while scanning (the indentation is only known at the closing quote).
    fn decode_string(&mut self, q: Quote, string_start: usize, segs: Vec<Seg>, close_at: usize) {
        let ws = if q.multiline {
            let line_start = self.src[..close_at].rfind('\n').map_or(0, |i| i + 1);
            &self.src[line_start..close_at]
        } else {
            ""
        };
        let n = segs.len();
        for (i, seg) in segs.iter().enumerate() {
            let ctx = SegCtx {
                ws,
                first: i == 0,
                last: i + 1 == n,
            };
            let text = match decode_segment(self.src, seg.start, seg.end, q, ctx) {
                Ok(t) => t,
                Err((at, msg)) => {
                    let end = (at + 1).min(self.src.len()).max(at);
                    self.out.errors.push(LexError {
                        start: at,
                        end,
                        message: msg,
                        label: "here".into(),
                        related: Some((string_start, string_start + 1, "in this string".into())),
                        unclosed_at_eof: false,
                    });
                    Vec::new()
                }
            };
            let tok = if n == 1 {
                if q.is_bytes() {
                    Tok::Bytes(text)
                } else {
                    match String::from_utf8(text) {
                        Ok(s) => Tok::Str(SmolStr::from(s)),
                        Err(_) => {
                            self.err(seg.start, seg.end, "invalid UTF-8 in string".into(), "here");
                            Tok::Str(SmolStr::default())
                        }
                    }
                }
            } else if i == 0 {
                Tok::InterpStart(Box::new(InterpHead {
                    bytes: q.is_bytes(),
                    text,
                }))
            } else if i + 1 == n {
                Tok::InterpEnd(text)
            } else {
                Tok::InterpMid(text)
            };
            if let Some(slot) = self.out.tokens.get_mut(seg.tok) {
                slot.1 = tok;
            }
        }
    }

    /// Scans `@name(body)` with balanced brackets; strings in the body may hold any bracket.
    fn attribute(&mut self, at: usize) -> Result<usize, Stop> {
        let b = self.src.as_bytes();
        let mut i = at + 1;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'$' | b'#')) {
            i += 1;
        }
        let name = &self.src[at + 1..i];
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        if name.is_empty() || b.get(i) != Some(&b'(') {
            self.err(
                at,
                i.max(at + 1),
                "invalid attribute: expected `@name(...)`".into(),
                "here",
            );
            return Err(Stop);
        }
        let body_start = i + 1;
        let mut depth = 1usize;
        i = body_start;
        while i < b.len() {
            match b[i] {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                q @ (b'"' | b'\'') => {
                    let triple = b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q);
                    let is_close = |i: usize| {
                        b[i] == q
                            && (!triple || (b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q)))
                    };
                    i += if triple { 3 } else { 1 };
                    while i < b.len() && !is_close(i) && (triple || b[i] != b'\n') {
                        if b[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                    if triple {
                        i += 2;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        if depth != 0 || i >= b.len() {
            self.err(
                at,
                body_start,
                "attribute missing `)`".into(),
                "attribute starts here",
            );
            return Err(Stop);
        }
        let tok = Tok::Attr(Box::new(AttrTok {
            name: SmolStr::new(name),
            body: self.src[body_start..i].to_string(),
        }));
        self.push(at, tok, i + 1, true);
        Ok(i + 1)
    }
}
