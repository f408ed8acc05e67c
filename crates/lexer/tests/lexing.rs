//! Lexer behaviour that the parser's goldens do not show directly: comma insertion, comments,
//! contextual keywords and error positions.

use ferrocue_lexer::{tokenize, Tok};

fn kinds(src: &str) -> Vec<String> {
    let l = tokenize(src);
    assert!(l.errors.is_empty(), "{src:?}: {:?}", l.errors);
    l.tokens
        .iter()
        .map(|(s, t, e)| match t {
            Tok::Comma if s == e => "⏎".to_string(),
            Tok::Ident(i) => i.to_string(),
            Tok::SmallInt(i) => i.to_string(),
            Tok::Int(i) => i.to_string(),
            Tok::Str(s) => format!("{s:?}"),
            other => other.text().to_string(),
        })
        .collect()
}

#[test]
fn commas_are_inserted_after_operands_and_closers_only() {
    assert_eq!(
        kinds("a: 1\nb: x\n"),
        ["a", ":", "1", "⏎", "b", ":", "x", "⏎"]
    );
    assert_eq!(kinds("a: 1 +\n2"), ["a", ":", "1", "+", "2", "⏎"]);
    assert_eq!(kinds("a: [\n1\n]"), ["a", ":", "[", "1", "⏎", "]", "⏎"]);
    assert_eq!(kinds("a: {}\n"), ["a", ":", "{", "}", "⏎"]);
    assert_eq!(
        kinds("a: _|_\nb: ...\nc?\n"),
        ["a", ":", "_|_", "⏎", "b", ":", "...", "⏎", "c", "?", "⏎"]
    );
    // No comma when the next line starts with `,` or `:`.
    assert_eq!(kinds("a\n: 1"), ["a", ":", "1", "⏎"]);
    assert_eq!(kinds("[1\n, 2]"), ["[", "1", ",", "2", "]", "⏎"]);
    // A comment ends the line; the comma goes before it.
    assert_eq!(
        kinds("a: 1 // c\nb: 2"),
        ["a", ":", "1", "⏎", "b", ":", "2", "⏎"]
    );
    // Keywords insert too (cue inserts after every word).
    assert_eq!(kinds("x: true\n"), ["x", ":", "true", "⏎"]);
    // End of file.
    assert_eq!(kinds("a: 1"), ["a", ":", "1", "⏎"]);
}

#[test]
fn comments_are_collected_with_their_line_position() {
    let l = tokenize("// head\na: 1 // tail\n\t// own\n");
    let c: Vec<(bool, &str)> = l
        .comments
        .iter()
        .map(|c| {
            (
                c.own_line,
                &"// head\na: 1 // tail\n\t// own\n"[c.start..c.end],
            )
        })
        .collect();
    assert_eq!(c, [(true, "// head"), (false, "// tail"), (true, "// own")]);
}

#[test]
fn contextual_keywords() {
    assert_eq!(kinds("package p\n")[0], "package");
    assert_eq!(kinds("package: 1\n")[0], "package");
    assert!(matches!(tokenize("package: 1").tokens[0].1, Tok::Ident(_)));
    assert!(matches!(tokenize("package p").tokens[0].1, Tok::Package));
    assert!(matches!(
        tokenize("a: {import \"x\"}").tokens[3].1,
        Tok::Ident(_)
    ));
    assert!(matches!(tokenize("if x {} else {}").tokens[4].1, Tok::Else));
    assert!(matches!(tokenize("x: else").tokens[2].1, Tok::Ident(_)));
    assert!(matches!(tokenize("try {a: 1}").tokens[0].1, Tok::Try));
    assert!(matches!(tokenize("a?: 1").tokens[1].1, Tok::Question));
    assert!(matches!(tokenize("a: b?").tokens[3].1, Tok::QuestionRef));
}

#[test]
fn byte_order_mark_is_skipped() {
    assert_eq!(kinds("\u{feff}a: 1"), ["a", ":", "1", "⏎"]);
}

#[test]
fn errors_carry_positions() {
    let l = tokenize("a: \"x\\qy\"\nb: 0x\n");
    let e: Vec<(usize, &str)> = l
        .errors
        .iter()
        .map(|e| (e.start, e.message.as_str()))
        .collect();
    assert_eq!(
        e,
        [
            (6, "unknown escape sequence"),
            (13, "illegal hexadecimal number")
        ]
    );
    let l = tokenize("a: [1, 2");
    assert_eq!(l.errors.len(), 1);
    assert!(l.errors[0].unclosed_at_eof);
    assert_eq!(l.errors[0].related.as_ref().map(|r| r.0), Some(3));
}
