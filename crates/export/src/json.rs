//! JSON printing of a [`Data`] tree, byte-identical to `cue export --out json` and to the
//! compact form of cue's `json.Marshal`.
//!
//! cue prints through Go's `encoding/json`, so strings follow Go's escaping rules rather than
//! serde_json's: `\b` `\f` `\n` `\r` `\t` get short escapes, other control characters
//! `\u00xx` (lower-case hex), U+2028 and U+2029 are always escaped, and `<` `>` `&` only
//! when HTML escaping is asked for (`cue export --escape`). Hence our own writer.

use crate::data::Data;

/// Options for [`to_json_with`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonOptions {
    /// Escape `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026` (`cue export --escape`).
    /// Off by default, as in `cue export`.
    pub escape_html: bool,
    /// Indentation per nesting level; `None` prints compactly (no whitespace, no trailing
    /// newline), as `json.Marshal` does. `cue export` uses four spaces.
    pub indent: Option<String>,
}

impl JsonOptions {
    /// The layout of `cue export --out json`: four-space indent, trailing newline.
    pub fn export() -> JsonOptions {
        JsonOptions {
            escape_html: false,
            indent: Some("    ".to_owned()),
        }
    }

    /// The compact layout of cue's `json.Marshal`.
    pub fn compact() -> JsonOptions {
        JsonOptions::default()
    }
}

/// The text `cue export --out json` writes for `data`: four-space indent and a trailing newline.
pub fn to_json(data: &Data) -> String {
    to_json_with(data, &JsonOptions::export())
}

/// The compact text cue's `json.Marshal` returns for `data`: no whitespace, no trailing newline.
pub fn to_json_compact(data: &Data) -> String {
    to_json_with(data, &JsonOptions::compact())
}

/// Prints `data` with explicit options. An indented result ends with a newline (as Go's
/// `json.Encoder` writes it); a compact one does not.
pub fn to_json_with(data: &Data, options: &JsonOptions) -> String {
    let mut out = String::new();
    let mut writer = Writer {
        out: &mut out,
        options,
    };
    writer.value(data, 0);
    if options.indent.is_some() {
        out.push('\n');
    }
    out
}

/// `s` as a quoted JSON string with Go's escaping (see the module docs).
pub fn quote_json_string(s: &str, escape_html: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_quoted(&mut out, s, escape_html);
    out
}

struct Writer<'a> {
    out: &'a mut String,
    options: &'a JsonOptions,
}

impl Writer<'_> {
    fn value(&mut self, data: &Data, depth: usize) {
        match data {
            Data::Null => self.out.push_str("null"),
            Data::Bool(true) => self.out.push_str("true"),
            Data::Bool(false) => self.out.push_str("false"),
            Data::Int(i) => self.out.push_str(&i.to_string()),
            Data::Float(text) => self.out.push_str(text),
            Data::String(s) => push_quoted(self.out, s, self.options.escape_html),
            Data::Bytes(b) => {
                // Base64 output never contains characters that need escaping.
                self.out.push('"');
                self.out.push_str(&crate::data::base64_std(b));
                self.out.push('"');
            }
            Data::List(items) => {
                if items.is_empty() {
                    self.out.push_str("[]");
                    return;
                }
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.newline(depth + 1);
                    self.value(item, depth + 1);
                }
                self.newline(depth);
                self.out.push(']');
            }
            Data::Map(fields) => {
                if fields.is_empty() {
                    self.out.push_str("{}");
                    return;
                }
                self.out.push('{');
                for (i, (key, item)) in fields.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.newline(depth + 1);
                    push_quoted(self.out, key, self.options.escape_html);
                    self.out.push(':');
                    if self.options.indent.is_some() {
                        self.out.push(' ');
                    }
                    self.value(item, depth + 1);
                }
                self.newline(depth);
                self.out.push('}');
            }
        }
    }

    /// In indented mode, a line break followed by `depth` indents; nothing when compact.
    fn newline(&mut self, depth: usize) {
        if let Some(indent) = &self.options.indent {
            self.out.push('\n');
            for _ in 0..depth {
                self.out.push_str(indent);
            }
        }
    }
}

fn push_quoted(out: &mut String, s: &str, escape_html: bool) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut plain_start = 0;
    for (i, c) in s.char_indices() {
        let short: Option<&str> = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            _ => None,
        };
        let needs_hex = c < ' '
            || c == '\u{2028}'
            || c == '\u{2029}'
            || (escape_html && matches!(c, '<' | '>' | '&'));
        if short.is_none() && !needs_hex {
            continue;
        }
        out.push_str(&s[plain_start..i]);
        plain_start = i + c.len_utf8();
        match short {
            Some(esc) => out.push_str(esc),
            None => {
                let code = u32::from(c);
                out.push_str("\\u");
                for shift in [12u32, 8, 4, 0] {
                    // Masked to 4 bits: always a valid index into HEX.
                    out.push(char::from(HEX[((code >> shift) & 0xf) as usize]));
                }
            }
        }
    }
    out.push_str(&s[plain_start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::BigInt;

    #[test]
    fn nested_layout_matches_cue_export() {
        // Shape and bytes from the conformance corpus (cmd-script/export_escape.1 and the
        // usual nested layout of cue's out.json files).
        let d = Data::map([
            ("simple", Data::string("hello")),
            ("specialJSON", Data::string("\\ \"")),
            ("specialHTML", Data::string("& < >")),
        ]);
        assert_eq!(
            to_json(&d),
            "{\n    \"simple\": \"hello\",\n    \"specialJSON\": \"\\\\ \\\"\",\n    \"specialHTML\": \"& < >\"\n}\n"
        );
        let escaped = to_json_with(
            &d,
            &JsonOptions {
                escape_html: true,
                ..JsonOptions::export()
            },
        );
        assert!(
            escaped.contains("\"specialHTML\": \"\\u0026 \\u003c \\u003e\""),
            "{escaped}"
        );
    }

    #[test]
    fn lists_maps_and_empties() {
        let d = Data::map([
            (
                "a",
                Data::list([Data::int(1), Data::list([]), Data::empty_map()]),
            ),
            (
                "b",
                Data::map([("c", Data::Null), ("d", Data::Bool(false))]),
            ),
        ]);
        let want = "{\n    \"a\": [\n        1,\n        [],\n        {}\n    ],\n    \"b\": {\n        \"c\": null,\n        \"d\": false\n    }\n}\n";
        assert_eq!(to_json(&d), want);
        assert_eq!(
            to_json_compact(&d),
            r#"{"a":[1,[],{}],"b":{"c":null,"d":false}}"#
        );
        assert_eq!(to_json(&Data::empty_map()), "{}\n");
        assert_eq!(to_json(&Data::list([])), "[]\n");
    }

    #[test]
    fn scalars_at_top_level() {
        assert_eq!(to_json(&Data::string("hi")), "\"hi\"\n");
        assert_eq!(to_json(&Data::float("1e+100")), "1e+100\n");
        assert_eq!(to_json(&Data::Null), "null\n");
        let big: BigInt = "123456789012345678901234567890"
            .parse()
            .expect("valid literal");
        assert_eq!(
            to_json_compact(&Data::Int(big)),
            "123456789012345678901234567890"
        );
        assert_eq!(to_json_compact(&Data::int(-7)), "-7");
    }

    #[test]
    fn go_string_escapes() {
        assert_eq!(quote_json_string("a\u{0}b", false), "\"a\\u0000b\"");
        assert_eq!(
            quote_json_string("\u{8}\u{c}\n\r\t", false),
            "\"\\b\\f\\n\\r\\t\""
        );
        assert_eq!(
            quote_json_string("\u{1f}\u{7f}", false),
            "\"\\u001f\u{7f}\""
        );
        assert_eq!(
            quote_json_string("x\u{2028}y\u{2029}", false),
            "\"x\\u2028y\\u2029\""
        );
        assert_eq!(quote_json_string("é😀", false), "\"é😀\"");
        assert_eq!(quote_json_string("<&>", true), "\"\\u003c\\u0026\\u003e\"");
        assert_eq!(quote_json_string("<&>", false), "\"<&>\"");
    }

    #[test]
    fn keys_are_escaped_like_strings() {
        let d = Data::map([("a\u{0}b", Data::list([Data::string("a\u{0}b")]))]);
        assert_eq!(
            to_json(&d),
            "{\n    \"a\\u0000b\": [\n        \"a\\u0000b\"\n    ]\n}\n"
        );
    }

    #[test]
    fn bytes_print_as_base64() {
        assert_eq!(to_json_compact(&Data::bytes(b"foo".to_vec())), "\"Zm9v\"");
    }
}
