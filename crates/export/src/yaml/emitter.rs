//! A block-style YAML emitter that lays out text exactly as go-yaml v3 (v3.0.4, the encoder
//! behind `cue export --out yaml`) does with a two-space indent and no line width limit.
//!
//! It is not a general YAML writer: it knows only the node shapes cue produces (scalars with an
//! optional `!!binary` tag, block sequences and mappings, empty `[]`/`{}` in flow style, no
//! comments or anchors). Within that range it follows go-yaml's emitter state for state:
//! the current column, the indentation stack, and the `whitespace`/`indention` flags decide
//! every line break and space, so that corner cases (complex `? ` keys, block scalars with
//! indentation indicators, nested `- - ` items) come out byte for byte the same.

/// How a scalar asks to be written; the emitter may still fall back to a quoted style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Plain,
    DoubleQuoted,
    Literal,
}

/// A node of the document to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Scalar {
        value: String,
        /// Printed as `!!binary` when set (the only tag cue emits for data).
        binary: bool,
        style: Style,
    },
    Sequence(Vec<Node>),
    /// Keys are scalars.
    Mapping(Vec<(Node, Node)>),
}

/// The spaces per level (`yaml.Encoder.SetIndent(2)` in cue).
const BEST_INDENT: i64 = 2;

/// What go-yaml's scalar analysis found out about a text.
#[derive(Debug, Clone, Copy)]
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

/// Where a node sits, as far as layout is concerned.
#[derive(Debug, Clone, Copy, Default)]
struct Context {
    /// The node is an item of a block sequence (its indentation steps past the `- `).
    in_sequence: bool,
    /// The node is a key written without `? `.
    simple_key: bool,
}

/// Prints one document holding `root`, ending with a newline.
pub(crate) fn emit_document(root: &Node) -> String {
    let mut emitter = Emitter {
        out: String::new(),
        column: 0,
        indent: -1,
        indents: Vec::new(),
        whitespace: true,
        indention: true,
    };
    emitter.node(root, Context::default());
    // The implicit document end only finishes the last line.
    emitter.write_indent();
    emitter.out
}

struct Emitter {
    out: String,
    /// In characters, as go-yaml counts it.
    column: i64,
    indent: i64,
    indents: Vec<i64>,
    /// The last thing written was whitespace (or nothing): no separating space is needed.
    whitespace: bool,
    /// Only indentation (and indicators such as `- `) has been written on this line so far.
    indention: bool,
}

impl Emitter {
    fn node(&mut self, node: &Node, ctx: Context) {
        match node {
            Node::Scalar {
                value,
                binary,
                style,
            } => self.scalar(value, *binary, *style, ctx),
            Node::Sequence(items) if items.is_empty() => self.empty_flow("[", "]", ctx),
            Node::Mapping(pairs) if pairs.is_empty() => self.empty_flow("{", "}", ctx),
            Node::Sequence(items) => self.block_sequence(items, ctx),
            Node::Mapping(pairs) => self.block_mapping(pairs, ctx),
        }
    }

    /// An empty collection: go-yaml prints an empty block collection in flow style. cue never
    /// asks for flow style otherwise, so no scalar is ever written in a flow context and the
    /// flow-only rules of go-yaml's emitter are left out.
    fn empty_flow(&mut self, open: &str, close: &str, ctx: Context) {
        self.write_indicator(open, true, true, false);
        // go-yaml pushes and pops an indentation level around the (absent) items; the column
        // is past the opening bracket, so no line break precedes the closing one.
        self.increase_indent(true, false, ctx.in_sequence);
        self.pop_indent();
        self.write_indicator(close, false, false, false);
    }

    fn block_sequence(&mut self, items: &[Node], ctx: Context) {
        self.increase_indent(false, false, ctx.in_sequence);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.node(
                item,
                Context {
                    in_sequence: true,
                    simple_key: false,
                },
            );
        }
        self.pop_indent();
    }

    fn block_mapping(&mut self, pairs: &[(Node, Node)], ctx: Context) {
        self.increase_indent(false, false, ctx.in_sequence);
        let value_ctx = Context {
            in_sequence: false,
            simple_key: false,
        };
        for (key, value) in pairs {
            self.write_indent();
            if is_simple_key(key) {
                self.node(
                    key,
                    Context {
                        in_sequence: false,
                        simple_key: true,
                    },
                );
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.node(key, value_ctx);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.node(value, value_ctx);
        }
        self.pop_indent();
    }

    fn scalar(&mut self, value: &str, binary: bool, requested: Style, ctx: Context) {
        let analysis = analyze(value);
        let style = self.select_style(value, requested, &analysis, ctx);
        if binary {
            // `!!` is the default handle for the `tag:yaml.org,2002:` prefix.
            if !self.whitespace {
                self.put(' ');
            }
            self.write_str("!!binary");
            self.whitespace = false;
            self.indention = false;
        }
        self.increase_indent(true, false, ctx.in_sequence);
        match style {
            ScalarStyle::Plain => self.write_plain(value),
            ScalarStyle::Single => self.write_single_quoted(value),
            ScalarStyle::Double => self.write_double_quoted(value),
            ScalarStyle::Literal => self.write_literal(value),
        }
        self.pop_indent();
    }

    /// go-yaml's `yaml_emitter_select_scalar_style` in block context.
    fn select_style(
        &self,
        value: &str,
        requested: Style,
        analysis: &Analysis,
        ctx: Context,
    ) -> ScalarStyle {
        let mut style = match requested {
            Style::Plain => ScalarStyle::Plain,
            Style::DoubleQuoted => ScalarStyle::Double,
            Style::Literal => ScalarStyle::Literal,
        };
        if ctx.simple_key && analysis.multiline {
            style = ScalarStyle::Double;
        }
        if style == ScalarStyle::Plain
            && (!analysis.block_plain_allowed || (value.is_empty() && ctx.simple_key))
        {
            style = ScalarStyle::Single;
        }
        if style == ScalarStyle::Single && !analysis.single_quoted_allowed {
            style = ScalarStyle::Double;
        }
        if style == ScalarStyle::Literal && (!analysis.block_allowed || ctx.simple_key) {
            style = ScalarStyle::Double;
        }
        style
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScalarStyle {
    Plain,
    Single,
    Double,
    Literal,
}

/// A key can be written in place (`key: value`) unless it spans lines or is longer than 128
/// bytes; otherwise go-yaml writes the `? key` / `: value` form.
fn is_simple_key(key: &Node) -> bool {
    match key {
        Node::Scalar { value, binary, .. } => {
            let tag_len = if *binary {
                "!!".len() + "binary".len()
            } else {
                0
            };
            !analyze(value).multiline && tag_len + value.len() <= 128
        }
        Node::Sequence(items) => items.is_empty(),
        Node::Mapping(pairs) => pairs.is_empty(),
    }
}

/// Line breaks as YAML counts them: LF, CR, NEL, LS, PS.
fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// go-yaml's `is_printable` for one character of valid UTF-8. Characters outside the Basic
/// Multilingual Plane count as not printable (go-yaml checks only up to three-byte forms).
fn is_printable(c: char) -> bool {
    match c {
        '\n' | '\u{20}'..='\u{7e}' => true,
        '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' => c != '\u{feff}',
        _ => false,
    }
}

/// go-yaml's `yaml_emitter_analyze_scalar` (unicode output enabled), for block context: the
/// flow-context verdicts are never needed (see `empty_flow`).
fn analyze(value: &str) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = value.starts_with("---") || value.starts_with("...");
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut tab_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;

    let chars: Vec<char> = value.chars().collect();
    let mut preceded_by_whitespace = true;
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_whitespace = chars.get(i + 1).is_none_or(|&n| n == ' ' || n == '\t');
        let last = i + 1 == chars.len();
        block_indicators |= if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => true,
                '?' | ':' | '-' => followed_by_whitespace,
                _ => false,
            }
        } else {
            match c {
                ':' => followed_by_whitespace,
                '#' => preceded_by_whitespace,
                _ => false,
            }
        };

        if c == '\t' {
            tab_characters = true;
        } else if !is_printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            leading_space |= i == 0;
            trailing_space |= last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            leading_break |= i == 0;
            trailing_break |= last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        // go-yaml's `is_blankz`, which also counts NUL.
        preceded_by_whitespace = matches!(c, ' ' | '\t' | '\0') || is_break(c);
    }

    let edges = leading_space || leading_break || trailing_space || trailing_break;
    let mixed = break_space || space_break || tab_characters || special_characters;
    Analysis {
        multiline: line_breaks,
        block_plain_allowed: !(edges || mixed || line_breaks || block_indicators),
        single_quoted_allowed: !mixed,
        block_allowed: !(trailing_space || space_break || special_characters),
    }
}

// Low-level writing, mirroring go-yaml's `put`, `write`, `put_break`, `write_indent` and
// `write_indicator`.
impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn write_str(&mut self, s: &str) {
        for c in s.chars() {
            self.put(c);
        }
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
        self.indention = true;
    }

    /// Copies a line break from the text: LF becomes the output break, other breaks are
    /// copied as they are but still start a new line.
    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
            self.indention = true;
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        self.write_str(indicator);
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    /// go-yaml's `yaml_emitter_increase_indent` (without compact sequence indentation).
    fn increase_indent(&mut self, flow: bool, indentless: bool, in_sequence: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            if in_sequence {
                // The first level inside a sequence item just steps past the "- ".
                self.indent += 2;
            } else {
                self.indent = BEST_INDENT * ((self.indent + BEST_INDENT) / BEST_INDENT);
            }
        }
    }

    fn pop_indent(&mut self) {
        // Every pop follows the push of the same node, so the stack is never empty here;
        // falling back to "no indentation" keeps a logic slip from panicking.
        self.indent = self.indents.pop().unwrap_or(-1);
    }
}

// Scalar writers. With no line width limit, go-yaml never folds plain or quoted scalars.
impl Emitter {
    fn write_plain(&mut self, value: &str) {
        if !value.is_empty() && !self.whitespace {
            self.put(' ');
        }
        let mut breaks = false;
        for c in value.chars() {
            if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
        if !value.is_empty() {
            self.whitespace = false;
        }
        self.indention = false;
    }

    fn write_single_quoted(&mut self, value: &str) {
        self.write_indicator("'", true, false, false);
        let mut breaks = false;
        for c in value.chars() {
            if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, value: &str) {
        self.write_indicator("\"", true, false, false);
        // go-yaml tests for a byte order mark at the start of the whole text at every
        // position, so a text starting with U+FEFF has every character escaped.
        let starts_with_bom = value.starts_with('\u{feff}');
        for c in value.chars() {
            if !is_printable(c) || starts_with_bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    _ => {
                        let code = u32::from(c);
                        let (letter, width) = if code <= 0xff {
                            ('x', 2)
                        } else if code <= 0xffff {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(letter);
                        self.write_str(&format!("{code:0width$X}"));
                    }
                }
            } else {
                self.put(c);
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        self.write_block_scalar_hints(value);
        self.put_break();
        self.whitespace = true;
        let mut breaks = true;
        for c in value.chars() {
            if is_break(c) {
                self.write_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }

    /// The indentation indicator (when the text starts with a space or break) and the
    /// chomping indicator (`-` without a final break, `+` with more than one).
    fn write_block_scalar_hints(&mut self, value: &str) {
        if value.starts_with(' ') || value.chars().next().is_some_and(is_break) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let mut rev = value.chars().rev();
        let chomp = match rev.next() {
            None => Some("-"),
            Some(last) if !is_break(last) => Some("-"),
            Some(_) => match rev.next() {
                None => Some("+"),
                Some(prev) if is_break(prev) => Some("+"),
                Some(_) => None,
            },
        };
        if let Some(chomp) = chomp {
            self.write_indicator(chomp, false, false, false);
        }
    }
}
