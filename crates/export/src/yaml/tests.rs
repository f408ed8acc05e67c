//! Unit tests of the YAML printer on values whose go-yaml output is known.

use super::*;

fn s(v: &str) -> Data {
    Data::string(v)
}

/// `key: <value>` for a one-field map, to see how a string value is written.
fn field(v: &str) -> String {
    to_yaml(&Data::map([("k", s(v))]))
}

#[test]
fn scalars_at_top_level() {
    assert_eq!(to_yaml(&Data::Null), "null\n");
    assert_eq!(to_yaml(&Data::Bool(true)), "true\n");
    assert_eq!(to_yaml(&Data::int(-12)), "-12\n");
    assert_eq!(to_yaml(&Data::float("1.50")), "1.50\n");
    assert_eq!(to_yaml(&s("hi")), "hi\n");
    assert_eq!(to_yaml(&s("a\nb")), "|-\n  a\n  b\n");
    assert_eq!(to_yaml(&Data::empty_map()), "{}\n");
    assert_eq!(to_yaml(&Data::list([])), "[]\n");
}

#[test]
fn nesting_and_indentation() {
    let v = Data::map([
        (
            "a",
            Data::list([Data::int(1), Data::list([Data::int(2), Data::int(3)])]),
        ),
        (
            "b",
            Data::list([Data::map([("x", Data::int(1)), ("y", Data::list([]))])]),
        ),
        ("c", Data::map([("d", Data::empty_map())])),
    ]);
    assert_eq!(
        to_yaml(&v),
        "a:\n  - 1\n  - - 2\n    - 3\nb:\n  - x: 1\n    \"y\": []\nc:\n  d: {}\n"
    );
    let top = Data::list([Data::map([("a", Data::list([Data::int(1)]))])]);
    assert_eq!(to_yaml(&top), "- a:\n    - 1\n");
}

#[test]
fn strings_that_read_as_other_types_are_double_quoted() {
    for v in [
        "y",
        "yes",
        "on",
        "off",
        "NO",
        "true",
        "null",
        "~",
        "",
        "1e3",
        "0x10",
        "1_000",
        "012",
        ".inf",
        "-.5",
        "2001-12-14",
        "12:30:00",
        "+1",
    ] {
        assert_eq!(field(v), format!("k: \"{v}\"\n"), "{v:?}");
    }
}

#[test]
fn indicators_pick_single_quotes() {
    for v in [
        "- a", "? a", ": a", "a: b", "a #b", "#a", "&a", "*a", "!a", "|", ">", "'a'", "\"a\"",
        "%a", "@a", "`a", "[a", "]", "{a", "}", ",a", " a", "a ", "---a", "...x", "-", "a:",
    ] {
        let quoted = format!("'{}'", v.replace('\'', "''"));
        assert_eq!(field(v), format!("k: {quoted}\n"), "{v:?}");
    }
    for v in [
        "a-b", "a,b", "a[b]", "a#b", "a:b", "-a", "?a", ":a", "<<", "a'b", "C:\\x",
    ] {
        assert_eq!(field(v), format!("k: {v}\n"), "{v:?}");
    }
}

#[test]
fn special_characters_pick_double_quotes_with_escapes() {
    assert_eq!(field("a\tb"), "k: \"a\\tb\"\n");
    assert_eq!(field("a\u{0}b"), "k: \"a\\0b\"\n");
    assert_eq!(field("\u{7f}\u{85}\u{a0}"), "k: \"\\x7F\\N\u{a0}\"\n");
    assert_eq!(field("é😀"), "k: \"é\\U0001F600\"\n");
    assert_eq!(field("a\rb"), "k: \"a\\rb\"\n");
    // A leading byte order mark makes go-yaml escape every character.
    assert_eq!(field("\u{feff}ab"), "k: \"\\uFEFF\\x61\\x62\"\n");
    // A line separator is a printable break: single quotes, copied as is.
    assert_eq!(field("\u{2028}"), "k: '\u{2028}'\n");
}

#[test]
fn literal_blocks() {
    assert_eq!(field("a\nb\n"), "k: |\n  a\n  b\n");
    assert_eq!(field("a\n\n"), "k: |+\n  a\n\n");
    assert_eq!(field("\n"), "k: |2+\n\n");
    assert_eq!(field(" a\nb"), "k: |2-\n   a\n  b\n");
    assert_eq!(field("\na"), "k: |2-\n\n  a\n");
    assert_eq!(field("a\n\nb"), "k: |-\n  a\n\n  b\n");
    // Trailing space or a space before a break rules out a block.
    assert_eq!(field("a \nb"), "k: \"a \\nb\"\n");
    assert_eq!(field("a\nb "), "k: \"a\\nb \"\n");
    assert_eq!(field("a\n b"), "k: |-\n  a\n   b\n");
    assert_eq!(field("a\t\nb"), "k: |-\n  a\t\n  b\n");
    let nested = Data::list([Data::map([("k", s("x\ny"))]), s("p\nq")]);
    assert_eq!(to_yaml(&nested), "- k: |-\n    x\n    y\n- |-\n  p\n  q\n");
}

#[test]
fn keys() {
    let v = Data::map([
        ("a\nb", Data::int(1)),
        ("yes", Data::int(2)),
        ("", Data::int(3)),
    ]);
    assert_eq!(to_yaml(&v), "? |-\n  a\n  b\n: 1\n\"yes\": 2\n\"\": 3\n");
    let long = "x".repeat(129);
    let v = Data::map([(long.as_str(), Data::list([Data::int(1)]))]);
    // The value after a `? ` key starts on the `:` line, even a block sequence.
    assert_eq!(to_yaml(&v), format!("? {long}\n: - 1\n"));
    let v = Data::map([("x".repeat(128), Data::int(1))]);
    assert_eq!(to_yaml(&v), format!("{}: 1\n", "x".repeat(128)));
}

#[test]
fn bytes_are_binary() {
    let v = Data::map([
        ("a", Data::bytes(b"hi".to_vec())),
        ("b", Data::bytes(b"a\nb".to_vec())),
        ("c", Data::bytes(Vec::new())),
        ("d", Data::bytes(vec![0xff; 51])),
        ("e", Data::bytes(vec![0xff; 52])),
    ]);
    let want = format!(
        "a: !!binary aGk=\nb: !!binary |-\n  YQpi\nc: !!binary\nd: !!binary {}\ne: !!binary |-\n  {}\n",
        "/".repeat(68),
        "/".repeat(69) + "w=="
    );
    assert_eq!(to_yaml(&v), want);
}

#[test]
fn streams_separate_documents() {
    assert_eq!(
        to_yaml_stream([&Data::int(1), &Data::map([("a", Data::Null)])]),
        "1\n---\na: null\n"
    );
}

#[test]
fn deep_values_print() {
    // As deep as the JSON reader accepts (1000 nested collections).
    let mut v = Data::int(1);
    for _ in 0..500 {
        v = Data::list([Data::map([("k", v)])]);
    }
    let text = to_yaml(&v);
    assert!(text.starts_with("- k:\n    - k:\n"), "{}", &text[..40]);
}
