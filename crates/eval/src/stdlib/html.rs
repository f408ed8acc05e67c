//! The `html` package: Go's `html.EscapeString` and `html.UnescapeString`.

use super::{arg_str, Builtin, Func, Val, STR};

pub(super) const BUILTINS: &[Builtin] = &[
    Builtin {
        pkg: "html",
        name: "Escape",
        params: &[STR],
        result: STR,
        non_concrete: false,
        last_default: None,
        func: Func::Pure(|a| Ok(Val::str(escape(arg_str(a, 0)?)))),
    },
    Builtin {
        pkg: "html",
        name: "Unescape",
        params: &[STR],
        result: STR,
        non_concrete: false,
        last_default: None,
        func: Func::Pure(|a| Ok(Val::str(unescape(arg_str(a, 0)?)))),
    },
];

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&#39;"),
            '"' => out.push_str("&#34;"),
            c => out.push(c),
        }
    }
    out
}

/// Windows-1252 meanings HTML5 gives to the numeric references 0x80–0x9F.
const C1_REPLACEMENTS: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// Numeric references follow Go exactly; named references need their `;` (the HTML5 table comes
/// from the `html-escape` crate; Go also accepts a few legacy names without `;`).
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let b = rest.as_bytes();
        if b.get(1) == Some(&b'#') {
            let hex = matches!(b.get(2), Some(b'x' | b'X'));
            let start = if hex { 3 } else { 2 };
            let mut end = start;
            while end < b.len()
                && (if hex {
                    b[end].is_ascii_hexdigit()
                } else {
                    b[end].is_ascii_digit()
                })
            {
                end += 1;
            }
            if end == start {
                out.push('&');
                rest = &rest[1..];
                continue;
            }
            let digits = &rest[start..end];
            let v = u32::from_str_radix(digits, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
            let c = match v {
                0x80..=0x9f => C1_REPLACEMENTS[(v - 0x80) as usize],
                0 => '\u{fffd}',
                v => char::from_u32(v).unwrap_or('\u{fffd}'),
            };
            out.push(c);
            if b.get(end) == Some(&b';') {
                end += 1;
            }
            rest = &rest[end..];
            continue;
        }
        let name_len = rest[1..]
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        if name_len > 0 && b.get(1 + name_len) == Some(&b';') {
            let entity = &rest[..name_len + 2];
            let decoded = html_escape::decode_html_entities(entity);
            if decoded != entity {
                out.push_str(&decoded);
                rest = &rest[name_len + 2..];
                continue;
            }
        }
        out.push('&');
        rest = &rest[1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_and_unescape() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(
            unescape("&lt;b&gt; &amp;amp; &#39;&#x41;&eacute; &#0; &#150; &bogus; & x"),
            "<b> &amp; 'Aé \u{fffd} \u{2013} &bogus; & x"
        );
    }
}
