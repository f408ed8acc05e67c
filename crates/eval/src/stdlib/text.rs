//! `text/tabwriter` (Go's elastic tabstops with cue's settings) and `text/template` (the
//! interpreter for `Execute` is in `template`).

use super::{arg_str, Builtin, BuiltinError, BuiltinResult, Func, Val, STR, TOP};
use crate::scalar::{is_go_print, to_valid_utf8};

pub(super) const BUILTINS: &[Builtin] = &[
    Builtin {
        pkg: "text/tabwriter",
        name: "Write",
        params: &[TOP],
        result: STR,
        non_concrete: false,
        last_default: None,
        func: Func::Pure(tab_write),
    },
    Builtin {
        pkg: "text/template",
        name: "Execute",
        params: &[STR, TOP],
        result: STR,
        non_concrete: false,
        last_default: None,
        func: Func::Pure(|a| {
            super::template::execute(arg_str(a, 0)?, &a[1])
                .map(Val::str)
                .map_err(BuiltinError::Call)
        }),
    },
    Builtin {
        pkg: "text/template",
        name: "HTMLEscape",
        params: &[STR],
        result: STR,
        non_concrete: false,
        last_default: None,
        func: Func::Pure(|a| Ok(Val::str(html_escape(arg_str(a, 0)?)))),
    },
    Builtin {
        pkg: "text/template",
        name: "JSEscape",
        params: &[STR],
        result: STR,
        non_concrete: false,
        last_default: None,
        func: Func::Pure(|a| Ok(Val::str(js_escape(arg_str(a, 0)?)))),
    },
];

fn tab_write(a: &[Val]) -> BuiltinResult {
    let text = match &a[0] {
        Val::Str(s) => s.to_string(),
        Val::Bytes(b) => to_valid_utf8(b),
        Val::List(items) => {
            let mut t = String::new();
            for v in items {
                match v {
                    Val::Str(s) => t.push_str(s),
                    Val::Bytes(b) => t.push_str(&to_valid_utf8(b)),
                    v => {
                        return Err(BuiltinError::Call(format!(
                            "cannot use value {v} (type {}) as bytes",
                            v.kind()
                        )))
                    }
                }
                t.push('\n');
            }
            t
        }
        v => {
            return Err(BuiltinError::Call(format!(
                "tabwriter.Write: unsupported type {}",
                v.kind()
            )))
        }
    };
    Ok(Val::str(tabwrite(&text)))
}

/// Go's `tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)` followed by `Flush`: tab-terminated cells of
/// adjacent lines form columns padded to their widest cell plus one space.
fn tabwrite(text: &str) -> String {
    let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    let mut out = String::new();
    let mut widths = Vec::new();
    format_block(&lines, &mut widths, 0, lines.len(), &mut out);
    out
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn format_block(
    lines: &[Vec<&str>],
    widths: &mut Vec<usize>,
    line0: usize,
    line1: usize,
    out: &mut String,
) {
    let column = widths.len();
    let mut line0 = line0;
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, widths, line0, this, line1_total(lines), out);
        line0 = this;
        let mut w = 0;
        while this < line1 && column + 1 < lines[this].len() {
            w = w.max(width(lines[this][column]) + 1);
            this += 1;
        }
        widths.push(w);
        format_block(lines, widths, line0, this, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, widths, line0, line1, line1_total(lines), out);
}

fn line1_total(lines: &[Vec<&str>]) -> usize {
    lines.len()
}

fn write_lines(
    lines: &[Vec<&str>],
    widths: &[usize],
    from: usize,
    to: usize,
    total: usize,
    out: &mut String,
) {
    for (i, line) in lines.iter().enumerate().take(to).skip(from) {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if j < widths.len() && j + 1 < line.len() {
                for _ in width(cell)..widths[j] {
                    out.push(' ');
                }
            }
        }
        if i + 1 < total {
            out.push('\n');
        }
    }
}

/// Go's `template.HTMLEscapeString`.
pub(super) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
pub(super) fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c if (c as u32) < 0x80 || is_go_print(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabwriter_aligns_columns() {
        // cue's own tabwriter test.
        assert_eq!(tabwrite("a\tb\tc\naaa\tbb\tvv"), "a   b  c\naaa bb vv");
        assert_eq!(
            tabwrite("a\tb\tc\naaa\tbbbb\tc\n"),
            "a   b    c\naaa bbbb c\n"
        );
        assert_eq!(
            tabwrite("x\ty\nno tabs\nlonger\tz"),
            "x y\nno tabs\nlonger z"
        );
        let v = tab_write(&[Val::List(vec![Val::str("a\tb"), Val::str("aa\tb")])]);
        assert_eq!(
            v.map(|v| v.to_string()),
            Ok("\"a  b\\naa b\\n\"".to_string())
        );
    }

    #[test]
    fn template_escapes() {
        assert_eq!(
            html_escape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;"
        );
        assert_eq!(
            js_escape("a'b\"<=>&\\\n\u{2028}é"),
            "a\\'b\\\"\\u003C\\u003D\\u003E\\u0026\\\\\\u000A\\u2028é"
        );
    }
}
