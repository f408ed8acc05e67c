//! `text/template.Execute`: a Go `text/template` interpreter for the data cue passes in (a
//! decoded concrete value). Supported: text, comments, `{{-`/`-}}` trimming, `.`/`$`/field
//! chains, literals, `if`/`else if`/`else`, `range` (with `else`), `with`, pipelines with `|`,
//! and the builtin functions `and or not len index print printf println eq ne lt le gt ge html
//! js urlquery`. Other constructs (variables, `define`/`template`/`block`, methods) are
//! reported as errors rather than guessed.

use super::Val;
use crate::num::Number;

/// Renders `templ` with `data` as `.`.
pub(super) fn execute(templ: &str, data: &Val) -> Result<String, String> {
    let toks = lex(templ)?;
    let mut p = Parser { toks: &toks, i: 0 };
    let nodes = p.list(&[])?;
    if p.i < toks.len() {
        return Err(format!("template: :1: unexpected {}", describe(&toks[p.i])));
    }
    let mut out = String::new();
    let root = Value::from_val(data);
    exec(&nodes, &root, &root, &mut out, 0)?;
    Ok(out)
}

/// Go's view of the decoded data.
#[derive(Clone, Debug)]
enum Value {
    Nil,
    Bool(bool),
    Int(num_bigint::BigInt),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
    /// A missing map key (prints `<no value>`).
    Missing,
}

impl Value {
    fn from_val(v: &Val) -> Value {
        match v {
            Val::Null => Value::Nil,
            Val::Bool(b) => Value::Bool(*b),
            Val::Num(n) => match n {
                Number::Int(_) => Value::Int(n.to_bigint().unwrap_or_default()),
                Number::Float(_) => Value::Float(n.to_f64()),
            },
            Val::Str(s) => Value::Str(s.to_string()),
            Val::Bytes(b) => Value::Bytes(b.to_vec()),
            Val::List(items) => Value::List(items.iter().map(Value::from_val).collect()),
            Val::Struct(fields) => {
                let mut m: Vec<(String, Value)> = fields
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::from_val(v)))
                    .collect();
                m.sort_by(|a, b| a.0.cmp(&b.0));
                Value::Map(m)
            }
        }
    }

    fn truth(&self) -> bool {
        match self {
            Value::Nil | Value::Missing => false,
            Value::Bool(b) => *b,
            Value::Int(i) => i.sign() != num_bigint::Sign::NoSign,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty(),
        }
    }

    /// `fmt.Sprint` of the value.
    fn print(&self, top: bool) -> String {
        match self {
            Value::Nil => "<nil>".into(),
            Value::Missing => {
                if top {
                    "<no value>".into()
                } else {
                    "<nil>".into()
                }
            }
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => go_float(*f),
            Value::Str(s) => s.clone(),
            Value::Bytes(b) => {
                format!(
                    "[{}]",
                    b.iter().map(u8::to_string).collect::<Vec<_>>().join(" ")
                )
            }
            Value::List(l) => {
                format!(
                    "[{}]",
                    l.iter()
                        .map(|v| v.print(false))
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            }
            Value::Map(m) => format!(
                "map[{}]",
                m.iter()
                    .map(|(k, v)| format!("{k}:{}", v.print(false)))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        }
    }
}

/// Go's `%v` for a float64: shortest digits, exponent form below 1e-4 or from 1e21.
fn go_float(f: f64) -> String {
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if f.is_nan() {
        return "NaN".into();
    }
    let s = format!("{f:e}");
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i64 = e.parse().unwrap_or(0);
    if !(-4..21).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{m}e{sign}{:02}", exp.abs());
    }
    format!("{f}")
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Text(String),
    /// The words of an action (already split, strings kept quoted).
    Action(Vec<String>),
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Text(_) => "text".into(),
        Tok::Action(w) => format!("{{{{{}}}}}", w.join(" ")),
    }
}

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let mut toks = Vec::new();
    let mut rest = src;
    let mut trim_next = false;
    while !rest.is_empty() {
        let Some(open) = rest.find("{{") else {
            let mut t = rest.to_string();
            if trim_next {
                t = t.trim_start().to_string();
            }
            toks.push(Tok::Text(t));
            break;
        };
        let mut text = rest[..open].to_string();
        if trim_next {
            text = text.trim_start().to_string();
        }
        let mut inner = &rest[open + 2..];
        if inner.starts_with("- ") || inner.starts_with("-\t") || inner.starts_with("-\n") {
            text = text.trim_end().to_string();
            inner = &inner[1..];
        }
        if !text.is_empty() {
            toks.push(Tok::Text(text));
        }
        let close = find_close(inner).ok_or("template: :1: unclosed action")?;
        let mut body = &inner[..close];
        trim_next = false;
        if body.ends_with(" -") || body.ends_with("\t-") || body.ends_with("\n-") {
            body = &body[..body.len() - 1];
            trim_next = true;
        }
        rest = &inner[close + 2..];
        let body = body.trim();
        if body.starts_with("/*") {
            if !body.ends_with("*/") {
                return Err("template: :1: unclosed comment".into());
            }
            continue;
        }
        toks.push(Tok::Action(words(body)?));
    }
    Ok(toks)
}

/// Position of the `}}` closing an action, skipping quoted strings.
fn find_close(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        match b[i] {
            b'"' | b'`' => {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q {
                    if b[i] == b'\\' && q == b'"' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'}' if b[i + 1] == b'}' => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

fn words(body: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '`' => {
                cur.push(c);
                while let Some(d) = chars.next() {
                    cur.push(d);
                    if d == '\\' && c == '"' {
                        if let Some(e) = chars.next() {
                            cur.push(e);
                        }
                        continue;
                    }
                    if d == c {
                        break;
                    }
                }
            }
            '(' | ')' => {
                return Err("template: :1: parenthesized pipelines are not supported".into())
            }
            '|' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                out.push("|".into());
            }
            c if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

#[derive(Debug)]
enum Node {
    Text(String),
    Print(Vec<String>),
    If(Vec<String>, Vec<Node>, Vec<Node>),
    Range(Vec<String>, Vec<Node>, Vec<Node>),
    With(Vec<String>, Vec<Node>, Vec<Node>),
}

struct Parser<'a> {
    toks: &'a [Tok],
    i: usize,
}

impl Parser<'_> {
    /// Parses nodes until one of `stops` (`end`, `else`) is the next action keyword.
    fn list(&mut self, stops: &[&str]) -> Result<Vec<Node>, String> {
        let mut out = Vec::new();
        while self.i < self.toks.len() {
            match &self.toks[self.i] {
                Tok::Text(t) => {
                    out.push(Node::Text(t.clone()));
                    self.i += 1;
                }
                Tok::Action(w) => {
                    let kw = w.first().map(String::as_str).unwrap_or("");
                    if stops.contains(&kw) {
                        return Ok(out);
                    }
                    self.i += 1;
                    match kw {
                        "if" | "range" | "with" => {
                            let pipe = w[1..].to_vec();
                            if pipe.is_empty() {
                                return Err(format!("template: :1: missing value for {kw}"));
                            }
                            let body = self.list(&["end", "else"])?;
                            let alt = self.else_part(kw)?;
                            out.push(match kw {
                                "if" => Node::If(pipe, body, alt),
                                "range" => Node::Range(pipe, body, alt),
                                _ => Node::With(pipe, body, alt),
                            });
                        }
                        "end" | "else" => {
                            return Err(format!("template: :1: unexpected {{{{{kw}}}}}"))
                        }
                        "define" | "template" | "block" | "break" | "continue" => {
                            return Err(format!("template: {{{{{kw}}}}} is not supported"))
                        }
                        _ => {
                            if w.is_empty() {
                                return Err("template: :1: missing value for command".into());
                            }
                            out.push(Node::Print(w.clone()));
                        }
                    }
                }
            }
        }
        if stops.is_empty() {
            Ok(out)
        } else {
            Err("template: :1: unexpected EOF".into())
        }
    }

    /// After a body: `{{end}}`, or `{{else}} … {{end}}`, or `{{else if …}}` chains.
    fn else_part(&mut self, kw: &str) -> Result<Vec<Node>, String> {
        let Some(Tok::Action(w)) = self.toks.get(self.i) else {
            return Err("template: :1: unexpected EOF".into());
        };
        self.i += 1;
        match w.first().map(String::as_str) {
            Some("end") => Ok(Vec::new()),
            Some("else") if w.len() > 1 && w[1] == kw && kw != "range" => {
                let pipe = w[2..].to_vec();
                let body = self.list(&["end", "else"])?;
                let alt = self.else_part(kw)?;
                Ok(vec![match kw {
                    "if" => Node::If(pipe, body, alt),
                    _ => Node::With(pipe, body, alt),
                }])
            }
            Some("else") => {
                let alt = self.list(&["end"])?;
                self.i += 1;
                Ok(alt)
            }
            _ => Err("template: :1: unexpected token".into()),
        }
    }
}

const MAX_DEPTH: usize = 100;

fn exec(
    nodes: &[Node],
    dot: &Value,
    root: &Value,
    out: &mut String,
    depth: usize,
) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err("template: exceeded maximum template depth".into());
    }
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Print(p) => out.push_str(&pipeline(p, dot, root)?.print(true)),
            Node::If(p, body, alt) => {
                let v = pipeline(p, dot, root)?;
                exec(
                    if v.truth() { body } else { alt },
                    dot,
                    root,
                    out,
                    depth + 1,
                )?;
            }
            Node::With(p, body, alt) => {
                let v = pipeline(p, dot, root)?;
                if v.truth() {
                    exec(body, &v, root, out, depth + 1)?;
                } else {
                    exec(alt, dot, root, out, depth + 1)?;
                }
            }
            Node::Range(p, body, alt) => {
                let v = pipeline(p, dot, root)?;
                let items: Vec<Value> = match v {
                    Value::List(l) => l,
                    Value::Map(m) => m.into_iter().map(|(_, v)| v).collect(),
                    Value::Nil | Value::Missing => Vec::new(),
                    Value::Int(n) => {
                        let n = num_traits::ToPrimitive::to_i64(&n)
                            .unwrap_or(0)
                            .clamp(0, 1_000_000);
                        (0..n).map(|i| Value::Int(i.into())).collect()
                    }
                    other => {
                        return Err(format!(
                            "template: range can't iterate over {}",
                            other.print(true)
                        ))
                    }
                };
                if items.is_empty() {
                    exec(alt, dot, root, out, depth + 1)?;
                }
                for it in &items {
                    exec(body, it, root, out, depth + 1)?;
                }
            }
        }
    }
    Ok(())
}

/// Evaluates `cmd | cmd | …`; each later command gets the previous result as last argument.
fn pipeline(words: &[String], dot: &Value, root: &Value) -> Result<Value, String> {
    let mut prev: Option<Value> = None;
    for cmd in words.split(|w| w == "|") {
        if cmd.is_empty() {
            return Err("template: :1: missing command".into());
        }
        prev = Some(command(cmd, prev, dot, root)?);
    }
    prev.ok_or_else(|| "template: :1: empty pipeline".to_string())
}

fn command(
    cmd: &[String],
    piped: Option<Value>,
    dot: &Value,
    root: &Value,
) -> Result<Value, String> {
    let head = &cmd[0];
    let is_fn = head.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && !matches!(head.as_str(), "true" | "false" | "nil");
    if !is_fn {
        if cmd.len() > 1 || piped.is_some() {
            return Err(format!(
                "template: can't give argument to non-function {head}"
            ));
        }
        return operand(head, dot, root);
    }
    let mut args: Vec<Value> = cmd[1..]
        .iter()
        .map(|a| operand(a, dot, root))
        .collect::<Result<_, _>>()?;
    if let Some(p) = piped {
        args.push(p);
    }
    call_fn(head, &args)
}

fn operand(w: &str, dot: &Value, root: &Value) -> Result<Value, String> {
    match w {
        "." => return Ok(dot.clone()),
        "true" => return Ok(Value::Bool(true)),
        "false" => return Ok(Value::Bool(false)),
        "nil" => return Ok(Value::Nil),
        _ => {}
    }
    if w.starts_with('"') {
        return super::strconv::unquote(w)
            .map(Value::Str)
            .ok_or_else(|| format!("template: bad string {w}"));
    }
    if let Some(raw) = w.strip_prefix('`').and_then(|r| r.strip_suffix('`')) {
        return Ok(Value::Str(raw.to_string()));
    }
    if let Some(path) = w.strip_prefix('$') {
        return fields(root, path);
    }
    if w.starts_with('.') {
        return fields(dot, w);
    }
    if let Ok(i) = w.parse::<num_bigint::BigInt>() {
        return Ok(Value::Int(i));
    }
    if let Ok(f) = w.parse::<f64>() {
        return Ok(Value::Float(f));
    }
    Err(format!("template: function {w:?} not defined"))
}

/// `.a.b` field chain from `v`.
fn fields(v: &Value, path: &str) -> Result<Value, String> {
    let mut cur = v.clone();
    for name in path.split('.').filter(|s| !s.is_empty()) {
        cur = match cur {
            Value::Map(m) => m
                .into_iter()
                .find(|(k, _)| k == name)
                .map_or(Value::Missing, |(_, v)| v),
            Value::Missing | Value::Nil => {
                return Err(format!(
                    "template: nil pointer evaluating interface {{}}.{name}"
                ))
            }
            other => {
                return Err(format!(
                    "template: can't evaluate field {name} in type {}",
                    go_type(&other)
                ))
            }
        };
    }
    Ok(cur)
}

fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Nil | Value::Missing => "interface {}",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float64",
        Value::Str(_) => "string",
        Value::Bytes(_) => "[]uint8",
        Value::List(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
    }
}

fn cmp_values(a: &Value, b: &Value) -> Result<std::cmp::Ordering, String> {
    use std::cmp::Ordering;
    Ok(match (a, b) {
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Value::Str(x), Value::Str(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) if x == y => Ordering::Equal,
        (Value::Bool(_), Value::Bool(_)) => Ordering::Less,
        _ => return Err("template: incompatible types for comparison".into()),
    })
}

fn call_fn(name: &str, args: &[Value]) -> Result<Value, String> {
    use std::cmp::Ordering;
    let need = |n: usize| -> Result<(), String> {
        if args.len() == n {
            Ok(())
        } else {
            Err(format!(
                "template: wrong number of args for {name}: want {n} got {}",
                args.len()
            ))
        }
    };
    let text = |args: &[Value]| -> String {
        // fmt.Sprint: spaces between operands when neither is a string.
        let mut s = String::new();
        for (i, a) in args.iter().enumerate() {
            if i > 0 && !matches!(a, Value::Str(_)) && !matches!(args[i - 1], Value::Str(_)) {
                s.push(' ');
            }
            s.push_str(&a.print(false));
        }
        s
    };
    Ok(match name {
        "and" => args
            .iter()
            .find(|a| !a.truth())
            .or(args.last())
            .cloned()
            .unwrap_or(Value::Nil),
        "or" => args
            .iter()
            .find(|a| a.truth())
            .or(args.last())
            .cloned()
            .unwrap_or(Value::Nil),
        "not" => {
            need(1)?;
            Value::Bool(!args[0].truth())
        }
        "len" => {
            need(1)?;
            Value::Int(
                match &args[0] {
                    Value::Str(s) => s.len(),
                    Value::Bytes(b) => b.len(),
                    Value::List(l) => l.len(),
                    Value::Map(m) => m.len(),
                    other => return Err(format!("template: len of type {}", go_type(other))),
                }
                .into(),
            )
        }
        "index" => {
            let mut cur = args.first().cloned().ok_or("template: index of nil")?;
            for k in &args[1..] {
                cur = match (&cur, k) {
                    (Value::List(l), Value::Int(i)) => {
                        let idx = num_traits::ToPrimitive::to_usize(i).filter(|&i| i < l.len());
                        l[idx.ok_or_else(|| format!("template: index out of range: {i}"))?].clone()
                    }
                    (Value::Map(m), Value::Str(s)) => m
                        .iter()
                        .find(|(kk, _)| kk == s)
                        .map_or(Value::Missing, |(_, v)| v.clone()),
                    _ => return Err("template: can't index item".into()),
                };
            }
            cur
        }
        "print" => Value::Str(text(args)),
        "println" => Value::Str(
            args.iter()
                .map(|a| a.print(false))
                .collect::<Vec<_>>()
                .join(" ")
                + "\n",
        ),
        "printf" => {
            let Some(Value::Str(f)) = args.first() else {
                return Err("template: printf needs a format string".into());
            };
            Value::Str(printf(f, &args[1..]))
        }
        "eq" => {
            if args.len() < 2 {
                return Err("template: missing argument for comparison".into());
            }
            let first = &args[0];
            let mut any = false;
            for a in &args[1..] {
                if cmp_values(first, a)? == Ordering::Equal {
                    any = true;
                }
            }
            Value::Bool(any)
        }
        "ne" | "lt" | "le" | "gt" | "ge" => {
            need(2)?;
            let o = cmp_values(&args[0], &args[1])?;
            Value::Bool(match name {
                "ne" => o != Ordering::Equal,
                "lt" => o == Ordering::Less,
                "le" => o != Ordering::Greater,
                "gt" => o == Ordering::Greater,
                _ => o != Ordering::Less,
            })
        }
        "html" => Value::Str(super::text::html_escape(&text(args))),
        "js" => Value::Str(super::text::js_escape(&text(args))),
        "urlquery" => Value::Str(super::net::query_escape(&text(args))),
        other => return Err(format!("template: :1: function {other:?} not defined")),
    })
}

/// A subset of Go's `fmt.Sprintf`: `%v %s %d %q %t %f %%`.
fn printf(f: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut it = args.iter();
    let mut chars = f.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(a) = it.next() else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        match (verb, a) {
            ('q', Value::Str(s)) => out.push_str(&super::strconv::quote(s, '"', false)),
            ('d', Value::Int(i)) => out.push_str(&i.to_string()),
            ('f', Value::Float(x)) => out.push_str(&format!("{x:.6}")),
            ('v' | 's' | 't', a) => out.push_str(&a.print(false)),
            (v, a) => out.push_str(&format!("%!{v}({}={})", go_type(a), a.print(false))),
        }
    }
    let extra: Vec<&Value> = it.collect();
    if !extra.is_empty() {
        out.push_str(&format!(
            "%!(EXTRA {})",
            extra
                .iter()
                .map(|a| format!("{}={}", go_type(a), a.print(false)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(t: &str, data: Val) -> String {
        execute(t, &data).unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn renders_like_go() {
        assert_eq!(run("{{.}}-{{.}}", Val::str("foo")), "foo-foo");
        let d = Val::Struct(vec![
            ("name".into(), Val::str("x")),
            ("items".into(), Val::List(vec![Val::int(1), Val::int(2)])),
            ("on".into(), Val::Bool(false)),
        ]);
        assert_eq!(
            run("{{.name}}: {{range .items}}[{{.}}]{{end}}", d.clone()),
            "x: [1][2]"
        );
        assert_eq!(
            run(
                "{{if .on}}yes{{else if .name}}named{{else}}no{{end}}",
                d.clone()
            ),
            "named"
        );
        assert_eq!(
            run("{{- \"  a\" -}}  \n {{.missing}}", d.clone()),
            "  a<no value>"
        );
        assert_eq!(run("{{.}}", d.clone()), "map[items:[1 2] name:x on:false]");
        assert_eq!(
            run(
                "{{len .items}} {{index .items 1}} {{.name | printf \"%q\"}}",
                d.clone()
            ),
            "2 2 \"x\""
        );
        assert_eq!(
            run("{{with .name}}<{{.}}>{{end}}{{/* c */}}", d.clone()),
            "<x>"
        );
        assert_eq!(run("{{if eq .name \"x\" \"y\"}}eq{{end}}", d), "eq");
        assert_eq!(
            run("{{.a.b}}", Val::str("s")),
            "ERR template: can't evaluate field a in type string"
        );
        assert_eq!(
            run("{{if .}}", Val::Null),
            "ERR template: :1: unexpected EOF"
        );
        assert_eq!(run("{{1.5}} {{html \"<a>\"}}", Val::Null), "1.5 &lt;a&gt;");
    }
}
