//! No input may crash the parser: deep nesting is an error (not a stack overflow), and random
//! bytes or token soups give `Ok` or `Err`, never a panic.

use ferrocue_parser::{parse_expr, parse_file, to_json, MAX_DEPTH};
use proptest::prelude::*;

fn first_message(src: &str) -> String {
    match parse_file("deep.cue", src) {
        Ok(_) => panic!("deeply nested input must be rejected"),
        Err(e) => e
            .first()
            .map(|e| e.message().to_string())
            .unwrap_or_default(),
    }
}

const HUGE: usize = 100_000;

#[test]
fn deep_brackets_are_errors() {
    for open in ["[", "{", "(", "a: ["] {
        let src = open.repeat(HUGE);
        let msg = first_message(&src);
        assert!(msg.contains("nesting too deep"), "{open}: {msg}");
    }
    let interp = "x: ".to_string() + &"\"\\(".repeat(HUGE);
    assert!(first_message(&interp).contains("nesting too deep"));
}

#[test]
fn deep_expressions_are_errors() {
    let cases = [
        format!("x: {}1", "-".repeat(HUGE)),
        format!("x: {}", vec!["a"; HUGE].join(" + ")),
        format!("x: {}", vec!["a"; HUGE].join(" | ")),
        format!("x: a{}", ".b".repeat(HUGE)),
        format!("x: a{}", "[0]".repeat(HUGE)),
        format!("{}1", "a: ".repeat(HUGE)),
    ];
    for src in &cases {
        let msg = first_message(src);
        assert!(msg.contains("nested too deeply"), "{}: {msg}", &src[..20]);
    }
}

/// Trees at the depth limit are accepted, printed and dropped without exhausting the stack of
/// an ordinary test thread.
#[test]
fn trees_at_the_limit_print_and_drop() {
    let n = MAX_DEPTH as usize - 2;
    let lists = format!("x: {}{}", "[".repeat(n), "]".repeat(n));
    let structs = format!("{}1{}", "a: {".repeat(n / 2), "}".repeat(n / 2));
    let sums = format!("x: {}", vec!["a"; n].join(" + "));
    for src in [&lists, &structs, &sums] {
        let file = parse_file("limit.cue", src).expect("within the limit");
        let json = to_json(&file);
        assert!(json.len() > n);
        drop(file);
    }
    let e = parse_expr("e", &vec!["1"; n].join(" * ")).expect("within the limit");
    assert!(e.depth as usize >= n);
}

fn token_soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a", "#D", "_x", "1", "1.5", "0x1F", "2Ki", "\"s\"", "\"\\(", ")", "'b'", "\"\"\"\n", "(",
        "[", "{", "}", "]", ":", "?", "!", "=", ",", "\n", ".", "...", "|", "&", "*", "+", "-",
        "<", ">=", "=~", "for", "in", "if", "let", "try", "else", "package", "import", "@a(x)",
        "// c\n", "~", "_|_", "null", "true", " ",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let src = String::from_utf8_lossy(&bytes);
        let _ = parse_file("fuzz.cue", &src);
        let _ = parse_expr("fuzz", &src);
    }

    #[test]
    fn token_soups_never_panic(src in token_soup()) {
        if let Ok(f) = parse_file("soup.cue", &src) {
            let _ = to_json(&f);
        }
        let _ = parse_expr("soup", &src);
    }

    #[test]
    fn errors_point_inside_the_file(src in token_soup()) {
        if let Err(errs) = parse_file("soup.cue", &src) {
            for e in errs.iter() {
                prop_assert!(e.offset() <= src.len());
                prop_assert!(e.line() >= 1 && e.column() >= 1);
                let shown = e.to_string();
                prop_assert!(shown.starts_with("soup.cue:"), "{}", shown);
            }
        }
    }
}
