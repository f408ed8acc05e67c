//! Tests of the YAML reader against what cue v0.17.1 makes of the same text.

use super::*;

fn one(src: &str) -> Data {
    match read_yaml("x.yaml", src) {
        Ok(mut docs) if docs.len() == 1 => docs.remove(0),
        other => panic!("{src:?}: expected one document, got {other:?}"),
    }
}

fn field(src: &str) -> Data {
    match one(src) {
        Data::Map(mut m) if m.len() == 1 => {
            m.swap_remove_index(0).map(|(_, v)| v).unwrap_or(Data::Null)
        }
        other => panic!("{src:?}: expected a one-field map, got {other:?}"),
    }
}

fn err(src: &str) -> String {
    match read_yaml("x.yaml", src) {
        Ok(v) => panic!("{src:?} should fail, got {v:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn plain_scalars_resolve_like_go_yaml() {
    let s = Data::string;
    let cases = [
        ("v: hi", s("hi")),
        ("v: true", Data::Bool(true)),
        ("v: True", Data::Bool(true)),
        ("v: FALSE", Data::Bool(false)),
        ("v: yes", s("yes")),
        ("v: on", s("on")),
        ("v: y", s("y")),
        ("v: ~", Data::Null),
        ("v:", Data::Null),
        ("v: Null", Data::Null),
        ("v: 10", Data::int(10)),
        ("v: -10", Data::int(-10)),
        ("v: +685_230", Data::int(685_230)),
        ("v: 0b10", Data::int(2)),
        ("v: 0xA", Data::int(10)),
        ("v: 0x_0A_74_AE", Data::int(0x0A74AE)),
        ("v: 02472256", Data::int(0o2472256)),
        ("v: 0o17", Data::int(15)),
        ("v: 0123456789", s("0123456789")),
        ("v: 09", s("09")),
        ("v: 0o123456789", s("0o123456789")),
        ("v: --10", s("--10")),
        ("v: 0.1", Data::float("0.1")),
        ("v: .1", Data::float("0.1")),
        ("v: -.1", Data::float("-0.1")),
        ("v: 1.0", Data::float("1.0")),
        ("v: 6.8523e+5", Data::float("6.8523E+5")),
        ("v: 685.230_15e+03", Data::float("685230.15")),
        ("v: 1e3", Data::float("1E+3")),
        ("v: 1e400", s("1e400")),
        ("v: 2001-12-14", s("2001-12-14")),
        (
            "v: 2001-12-14t21:59:43.10-05:00",
            s("2001-12-14t21:59:43.10-05:00"),
        ),
        ("v: 12:30", s("12:30")),
        ("v: 4294967296", Data::int(4_294_967_296)),
    ];
    for (src, want) in cases {
        assert_eq!(field(src), want, "{src}");
    }
    assert_eq!(
        field("v: -0b1000000000000000000000000000000000000000000000000000000000000000"),
        Data::Int(-(BigInt::from(1u64 << 63)))
    );
    assert_eq!(
        field("v: 123456789012345678901234567890"),
        Data::float("123456789012345678901234567890")
    );
}

use crate::data::BigInt;

#[test]
fn quoted_blocks_and_tags() {
    let s = Data::string;
    let cases = [
        ("v: 'true'", s("true")),
        ("v: \"1\"", s("1")),
        ("v: !!str 1", s("1")),
        ("v: !!int \"12\"", Data::int(12)),
        ("v: !!float 01234", Data::int(0o1234)),
        ("v: !!float 1", Data::int(1)),
        ("v: !!float 1.5", Data::float("1.5")),
        ("v: !!bool yes", Data::Bool(false)),
        ("v: !!null x", Data::Null),
        ("v: !!timestamp 2001-12-14", s("2001-12-14")),
        ("v: !!binary aGk=", Data::bytes(b"hi".to_vec())),
        ("v: !!binary |\n  aG\n  k=\n", Data::bytes(b"hi".to_vec())),
        ("v: ! 12", Data::int(12)),
        ("v: |\n  a\n  b\n", s("a\nb\n")),
        ("v: |-\n  a\n", s("a")),
        ("v: >\n  a\n  b\n\n  c\n", s("a b\nc\n")),
        ("v: \"a\\tb\\u00e9\"", s("a\tb\u{e9}")),
    ];
    for (src, want) in cases {
        assert_eq!(field(src), want, "{src}");
    }
    assert_eq!(
        err("v: !foo 1"),
        "x.yaml:1:4: cannot unmarshal tag \"!foo\""
    );
    assert_eq!(
        err("v: !!binary abc"),
        "x.yaml:1:4: !!binary value contains invalid base64 data"
    );
    assert!(err("v: .inf").starts_with("x.yaml:1:4: cannot represent .inf"));
}

#[test]
fn keys_and_order() {
    let v = one("b: 1\na: 2\n1: x\ntrue: y\n~: z\n012: o\n0x1F: h\n1.5: f\n'q': w\n");
    let want = Data::map([
        ("b", Data::int(1)),
        ("a", Data::int(2)),
        ("1", Data::string("x")),
        ("true", Data::string("y")),
        ("null", Data::string("z")),
        ("0o12", Data::string("o")),
        ("0x1F", Data::string("h")),
        ("1.5", Data::string("f")),
        ("q", Data::string("w")),
    ]);
    assert_eq!(v, want);
    assert_eq!(err("-1: x"), "x.yaml:1:1: invalid label -1");
    assert_eq!(err("-1.5: x"), "x.yaml:1:1: invalid label -1.5");
    assert_eq!(err("-.inf: x"), "x.yaml:1:1: invalid label -.inf");
    let v = one(".Inf: 1\n.nan: 2\n!!float 7: 3\n!!merge '<<': {}\n");
    let want = Data::map([
        ("+Inf", Data::int(1)),
        ("NaN", Data::int(2)),
        ("number & 7", Data::int(3)),
    ]);
    assert_eq!(v, want);
    assert_eq!(err("? [a]\n: x\n"), "x.yaml:1:3: invalid map key: !!seq");
}

#[test]
fn anchors_aliases_and_merges() {
    let v = one("a: &x {p: 1, q: 2}\nb: *x\nc:\n  <<: *x\n  q: 3\n  r: 4\n");
    let x = Data::map([("p", Data::int(1)), ("q", Data::int(2))]);
    let c = Data::map([
        ("p", Data::int(1)),
        ("q", Data::int(3)),
        ("r", Data::int(4)),
    ]);
    assert_eq!(v, Data::map([("a", x.clone()), ("b", x), ("c", c)]));

    // In a list of maps to merge, earlier maps win.
    let v = one("a: &a {k: 1, a: 1}\nb: &b {k: 2, b: 2}\nc:\n  <<: [*a, *b]\n");
    let Data::Map(m) = v else {
        panic!("map expected")
    };
    assert_eq!(
        m.get("c"),
        Some(&Data::map([
            ("k", Data::int(1)),
            ("b", Data::int(2)),
            ("a", Data::int(1))
        ]))
    );

    // A quoted "<<" is an ordinary key.
    assert_eq!(field("'<<': 1"), Data::int(1));
    assert_eq!(
        err("a:\n  <<: 1\n"),
        "x.yaml:2:7: map merge requires map or sequence of maps as the value"
    );
}

#[test]
fn repeated_keys_unify() {
    assert_eq!(
        one("a: {x: 1}\na: {y: 2}\n"),
        Data::map([("a", Data::map([("x", Data::int(1)), ("y", Data::int(2))]))])
    );
    assert_eq!(
        err("a: 1\na: 2\n"),
        "x.yaml:2:1: a: conflicting values 1 and 2"
    );
}

#[test]
fn alias_bombs_are_refused() {
    let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..8 {
        let p = i - 1;
        src.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    assert!(err(&src).contains("aliases expand to more than 50000 nodes"));
}

#[test]
fn streams_and_empty_input() {
    let docs = read_yaml("s.yaml", "a: 1\n---\n- 2\n---\nplain\n").ok();
    assert_eq!(
        docs,
        Some(vec![
            Data::map([("a", Data::int(1))]),
            Data::list([Data::int(2)]),
            Data::string("plain"),
        ])
    );
    assert_eq!(read_yaml("e.yaml", "").ok(), Some(vec![]));
    assert_eq!(read_yaml("e.yaml", "# only a comment\n").ok(), Some(vec![]));
    // An explicit empty document is a null value.
    assert_eq!(read_yaml("e.yaml", "---\n").ok(), Some(vec![Data::Null]));
}

#[test]
fn syntax_errors_carry_positions() {
    let e = err("a: [1, 2\nb: 3\n");
    assert!(e.starts_with("x.yaml:"), "{e}");
    let e = err("a: b: c\n");
    assert!(e.starts_with("x.yaml:1:"), "{e}");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let src = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    // saphyr stops deep flow nesting itself; our converter stops deep block nesting.
    let e = err(&src);
    assert!(e.contains("recursion limit"), "{e}");
    let src = format!("{}1", "- ".repeat(50_000));
    let e = err(&src);
    assert!(e.contains("max depth"), "{e}");
    let src = format!("{}1", "- ".repeat(MAX_DEPTH));
    assert!(read_yaml("x.yaml", &src).is_ok());
}

/// Pieces of YAML syntax, to assemble arbitrary (mostly broken) documents from.
const SYNTAX: &[&str] = &[
    "a",
    ": ",
    ":",
    "\n",
    "  ",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&x ",
    "*x",
    "&y ",
    "*y",
    "!!binary ",
    "!!int ",
    "!!float ",
    "!!str ",
    "!foo ",
    "! ",
    "<<: ",
    "? ",
    "|",
    "|-",
    ">",
    "'",
    "\"",
    "\\",
    "#c",
    "---\n",
    "...\n",
    "1",
    "0x",
    ".inf",
    "~",
    "é",
    "\t",
    "%YAML 1.2\n",
    "%TAG ! tag:x,2000:\n",
    "\u{feff}",
    "\r",
    "@",
    "`",
];

#[test]
fn arbitrary_text_never_panics() {
    let mut state: u64 = 0xfeed;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % n
    };
    for _ in 0..20_000 {
        let src: String = (0..next(24)).map(|_| SYNTAX[next(SYNTAX.len())]).collect();
        // Either result is fine; reaching the next iteration is the point.
        let _ = read_yaml("fuzz.yaml", &src);
        let _ = crate::read::read_json("fuzz.json", &src);
    }
}
