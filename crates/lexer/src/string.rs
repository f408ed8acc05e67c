//! String literal bodies: finding where a segment ends (closing quote or `\(`), and decoding a
//! segment's escapes and multi-line indentation, following cue's `literal` rules.

/// The delimiters of one string literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Quote {
    /// `"` or `'`.
    pub ch: u8,
    pub multiline: bool,
    /// Number of `#` around a raw string.
    pub hashes: usize,
}

impl Quote {
    pub fn is_bytes(self) -> bool {
        self.ch == b'\''
    }
    fn num_quotes(self) -> usize {
        if self.multiline {
            3
        } else {
            1
        }
    }
}

/// Where a scanned segment ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SegEnd {
    /// The closing delimiter starts at `content_end` and ends at `end`.
    Closed { content_end: usize, end: usize },
    /// `\(` (or `\#(` …) starts at `content_end` and ends at `end`.
    Interp { content_end: usize, end: usize },
}

/// An error at a byte offset.
pub(crate) type PosErr = (usize, String);

/// Scans a segment starting at `pos`. `at_line_start` is true when `pos` begins a line of a
/// multi-line string (which is where a closing `"""` may appear).
pub(crate) fn scan_segment(
    src: &[u8],
    mut pos: usize,
    q: Quote,
    at_line_start: bool,
    string_start: usize,
) -> Result<SegEnd, PosErr> {
    let mut close_allowed = !q.multiline || at_line_start;
    let nq = q.num_quotes();
    loop {
        let Some(&c) = src.get(pos) else {
            return Err((string_start, "string literal not terminated".into()));
        };
        if c == b'\n' && !q.multiline {
            return Err((string_start, "string literal not terminated".into()));
        }
        if c == q.ch && close_allowed && is_closer(src, pos, q) {
            return Ok(SegEnd::Closed {
                content_end: pos,
                end: pos + nq + q.hashes,
            });
        }
        match c {
            b'\n' => {
                close_allowed = true;
                pos += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' if q.multiline => {
                pos += 1;
                continue;
            }
            b'\\' => {
                let hashes_ok = (1..=q.hashes).all(|i| src.get(pos + i) == Some(&b'#'));
                if hashes_ok {
                    let after = pos + 1 + q.hashes;
                    match src.get(after) {
                        Some(b'(') => {
                            return Ok(SegEnd::Interp {
                                content_end: pos,
                                end: after + 1,
                            });
                        }
                        Some(b'\n') if !q.multiline => {
                            return Err((string_start, "string literal not terminated".into()));
                        }
                        // Skip the escaped character so an escaped quote does not close.
                        Some(_) => pos = after + 1,
                        None => pos = after,
                    }
                } else {
                    pos += 1;
                }
            }
            _ => pos += 1,
        }
        close_allowed = !q.multiline;
    }
}

fn is_closer(src: &[u8], pos: usize, q: Quote) -> bool {
    let nq = q.num_quotes();
    (0..nq).all(|i| src.get(pos + i) == Some(&q.ch))
        && (0..q.hashes).all(|i| src.get(pos + nq + i) == Some(&b'#'))
}

/// How one segment sits in its string, for indentation handling.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SegCtx<'a> {
    /// The indentation of the closing line, stripped from every line (multi-line only).
    pub ws: &'a str,
    /// The segment begins at the start of a line (the first segment of a multi-line string).
    pub first: bool,
    /// The segment ends at the closing delimiter.
    pub last: bool,
}

/// Decodes `src[start..end]`, one segment of a string with quote `q`.
pub(crate) fn decode_segment(
    src: &str,
    start: usize,
    end: usize,
    q: Quote,
    ctx: SegCtx<'_>,
) -> Result<Vec<u8>, PosErr> {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(end - start);
    let mut i = start;
    // The last byte pushed came from a literal newline (the final one is dropped).
    let mut strip_nl = false;
    let mut escaped_nl = false;
    if q.multiline && ctx.first {
        i = skip_indent(src, i, end, ctx.ws)?;
    }
    while i < end {
        let c = b[i];
        match c {
            b'\r' => {
                i += 1;
                continue;
            }
            b'\n' => {
                out.push(b'\n');
                i = skip_indent(src, i + 1, end, ctx.ws)?;
                strip_nl = true;
                escaped_nl = false;
                continue;
            }
            b'\\' if (1..=q.hashes).all(|k| b.get(i + k) == Some(&b'#')) => {
                let esc_at = i + 1 + q.hashes;
                i = decode_escape(src, esc_at, end, q, &mut out)?;
                if b.get(esc_at) == Some(&b'\n')
                    || (b.get(esc_at) == Some(&b'\r') && b.get(esc_at + 1) == Some(&b'\n'))
                {
                    i = skip_indent(src, i, end, ctx.ws)?;
                    escaped_nl = true;
                    strip_nl = false;
                    continue;
                }
            }
            0 => return Err((i, "illegal character NUL in string literal".into())),
            _ => {
                // Copy this byte and the run up to the next one that needs care in one go
                // (the run ends on a character boundary: those are all ASCII). This byte
                // may be a `\` that starts no escape (too few `#`), so the run includes it.
                let run = b[i + 1..end]
                    .iter()
                    .position(|&c| matches!(c, b'\r' | b'\n' | b'\\' | 0))
                    .map_or(end, |n| i + 1 + n);
                out.extend_from_slice(&b[i..run]);
                i = run;
            }
        }
        strip_nl = false;
        escaped_nl = false;
    }
    if q.multiline && ctx.last {
        if escaped_nl {
            return Err((
                end,
                "last newline of multiline string cannot be escaped".into(),
            ));
        }
        if strip_nl {
            out.pop();
        }
    }
    Ok(out)
}

/// After a newline in a multi-line string: the line must start with the closing indentation,
/// unless it is empty.
fn skip_indent(src: &str, i: usize, end: usize, ws: &str) -> Result<usize, PosErr> {
    let rest = &src[i..end];
    if rest.starts_with(ws) {
        return Ok(i + ws.len());
    }
    if rest.starts_with('\n') || rest.starts_with("\r\n") {
        return Ok(i);
    }
    let line = rest.split('\n').next().unwrap_or("");
    let actual: String = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    Err((
        i,
        format!(
            "invalid string: non-matching whitespace for multiline string (expected {ws:?}, got {actual:?})"
        ),
    ))
}

/// Decodes the escape whose letter is at `at` (after `\` and any `#`), appending to `out`.
/// Returns the offset after the escape.
fn decode_escape(
    src: &str,
    at: usize,
    end: usize,
    q: Quote,
    out: &mut Vec<u8>,
) -> Result<usize, PosErr> {
    let b = src.as_bytes();
    let Some(&c) = b.get(at).filter(|_| at < end) else {
        return Err((at, "escape sequence not terminated".into()));
    };
    let simple = match c {
        b'a' => Some(0x07),
        b'b' => Some(0x08),
        b'f' => Some(0x0c),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'v' => Some(0x0b),
        b'\\' => Some(b'\\'),
        b'/' => Some(b'/'),
        _ if c == q.ch => Some(c),
        _ => None,
    };
    if let Some(v) = simple {
        out.push(v);
        return Ok(at + 1);
    }
    match c {
        b'\n' => Ok(at + 1),
        b'\r' if b.get(at + 1) == Some(&b'\n') => Ok(at + 2),
        b'x' => {
            if !q.is_bytes() {
                return Err((
                    at,
                    "hexadecimal escape not allowed in string literal".into(),
                ));
            }
            let v = read_digits(src, at + 1, end, 2, 16)?;
            out.push(v as u8);
            Ok(at + 3)
        }
        b'0'..=b'7' => {
            if !q.is_bytes() {
                return Err((at, "octal escape not allowed in string literal".into()));
            }
            let v = read_digits(src, at, end, 3, 8)?;
            if v > 255 {
                return Err((at, "escape sequence is invalid Unicode code point".into()));
            }
            out.push(v as u8);
            Ok(at + 3)
        }
        b'u' | b'U' => {
            let n = if c == b'u' { 4 } else { 8 };
            let mut v = read_digits(src, at + 1, end, n, 16)?;
            let mut next = at + 1 + n;
            if (0xD800..0xDC00).contains(&v) {
                // A high surrogate must be followed by an escaped low surrogate.
                let low = if b.get(next) == Some(&b'\\')
                    && (1..=q.hashes).all(|k| b.get(next + k) == Some(&b'#'))
                    && b.get(next + 1 + q.hashes) == Some(&b'u')
                {
                    read_digits(src, next + 2 + q.hashes, end, 4, 16).ok()
                } else {
                    None
                };
                match low {
                    Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                        v = 0x10000 + (v - 0xD800) * 0x400 + (lo - 0xDC00);
                        next += 6 + q.hashes;
                    }
                    _ => return Err((at, "unmatched surrogate pair".into())),
                }
            } else if (0xDC00..0xE000).contains(&v) {
                return Err((at, "unmatched surrogate pair".into()));
            }
            let ch = char::from_u32(v).ok_or_else(|| {
                (
                    at,
                    "escape sequence is invalid Unicode code point".to_string(),
                )
            })?;
            let mut buf = [0u8; 4];
            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            Ok(next)
        }
        b'\'' | b'"' => Err((at, "unknown escape sequence".into())),
        _ => Err((at, "unknown escape sequence".into())),
    }
}

fn read_digits(src: &str, at: usize, end: usize, n: usize, base: u32) -> Result<u32, PosErr> {
    let mut v: u32 = 0;
    for k in 0..n {
        let i = at + k;
        if i >= end {
            return Err((i, "escape sequence not terminated".into()));
        }
        let Some(ch) = src[i..].chars().next() else {
            return Err((i, "escape sequence not terminated".into()));
        };
        let Some(d) = ch.to_digit(base) else {
            return Err((i, format!("illegal character {ch:?} in escape sequence")));
        };
        v = v.wrapping_mul(base).wrapping_add(d);
    }
    Ok(v)
}
