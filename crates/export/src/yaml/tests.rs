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

/// A deterministic pseudo-random generator (no dependency needed for a test).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Pieces that exercise quoting and block-scalar choices. Left out on purpose: `<<` (cue
/// prints it plain, and then it reads back as a merge key) and U+2028/U+2029 (go-yaml treats
/// them as line breaks when writing, YAML 1.2 readers do not).
const PIECES: &[&str] = &[
    "a", "b c", " ", "  ", "\n", "\n\n", "\t", ":", ": ", "- ", "-", "#", " #", "?", "'", "\"",
    "\\", "y", "yes", "on", "null", "~", "true", "1", "0x1F", "1e3", "1_0", ".5", "1:2", "---",
    "...", "é", "日本", "😀", "\u{0}", "\u{7f}", "\u{85}", "\u{a0}", "\u{feff}", "\r", "[", "]",
    "{", "}", ",", "&", "*", "!", "|", ">", "%", "@", "`", "=",
];

fn random_string(rng: &mut Lcg) -> String {
    (0..rng.next(5))
        .map(|_| PIECES[rng.next(PIECES.len())])
        .collect()
}

fn random_data(rng: &mut Lcg, depth: usize) -> Data {
    match rng.next(if depth > 3 { 5 } else { 8 }) {
        0 => Data::Null,
        1 => Data::Bool(rng.next(2) == 0),
        2 => Data::int(rng.next(2000) as i64 - 1000),
        3 => Data::float(format!("{}.{}", rng.next(100), rng.next(10))),
        4 => {
            if rng.next(4) == 0 {
                Data::bytes(random_string(rng).into_bytes())
            } else {
                s(&random_string(rng))
            }
        }
        5 | 6 => {
            Data::map((0..rng.next(4)).map(|_| (random_string(rng), random_data(rng, depth + 1))))
        }
        _ => Data::list((0..rng.next(4)).map(|_| random_data(rng, depth + 1))),
    }
}

#[test]
fn printed_yaml_reads_back_as_the_same_value() {
    // An independent YAML parser (saphyr, under our reader) must see the value we printed:
    // this checks indentation, quoting and escapes together.
    let mut rng = Lcg(0x5eed);
    for _ in 0..3_000 {
        let value = random_data(&mut rng, 0);
        let text = to_yaml(&value);
        let back = crate::read::read_yaml("roundtrip.yaml", &text);
        assert_eq!(
            back.as_deref(),
            Ok(std::slice::from_ref(&value)),
            "printed:\n{text}"
        );
    }
}
