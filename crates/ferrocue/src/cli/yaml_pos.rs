//! YAML documents as CUE text whose messages point into the YAML file: each value is written on
//! a line of its own, and each generated line is mapped to where that value sits in the YAML
//! source, found by scanning the source forward in document order (keys, `-` items, values).

use std::collections::HashMap;

use ferrocue_eval::scalar::{quote_bytes, quote_string};
use ferrocue_export::Data;

/// Generated CUE text and, per generated line (0-based), the YAML `(line, column)`.
pub struct Layout {
    pub text: String,
    pub lines: Vec<(usize, usize)>,
}

/// Lays out the documents of one YAML file. Documents after the first start with blank lines
/// so that generated line numbers never overlap and one map serves the whole file.
pub fn layout_docs(src: &str, docs: &[Data]) -> (Vec<String>, Vec<(usize, usize)>) {
    let mut cursor = Cursor { src, at: 0 };
    let mut texts = Vec::new();
    let mut map = Vec::new();
    for d in docs {
        let mut l = Layout {
            text: "\n".repeat(map.len()),
            lines: Vec::new(),
        };
        let start = cursor.here();
        emit(&mut cursor, d, start, &mut l, "");
        let new: Vec<(usize, usize)> = l.lines.get(map.len()..).unwrap_or(&[]).to_vec();
        map.extend(new);
        texts.push(l.text);
        // Skip to the next document marker, if any.
        if let Some(i) = src[cursor.at..].find("\n---") {
            cursor.at += i + 4;
        }
    }
    (texts, map)
}

struct Cursor<'a> {
    src: &'a str,
    at: usize,
}

impl Cursor<'_> {
    /// Line and column (1-based, bytes) of the next non-blank character.
    fn here(&mut self) -> (usize, usize) {
        let rest = &self.src[self.at..];
        let skip = rest
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(rest.len());
        self.at += skip;
        self.pos(self.at)
    }

    fn pos(&self, off: usize) -> (usize, usize) {
        let before = &self.src[..off.min(self.src.len())];
        let line = before.matches('\n').count() + 1;
        let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        (line, col)
    }

    /// Moves past the next `key:` (plain or quoted) and returns the key's position.
    fn key(&mut self, key: &str) -> Option<(usize, usize)> {
        let mut from = self.at;
        while let Some(i) = self.src[from..].find(key) {
            let start = from + i;
            let mut end = start + key.len();
            let bytes = self.src.as_bytes();
            let quoted = start > 0 && matches!(bytes[start - 1], b'"' | b'\'');
            if quoted && matches!(bytes.get(end), Some(b'"' | b'\'')) {
                end += 1;
            }
            let rest = &self.src[end..];
            let trimmed = rest.trim_start_matches([' ', '\t']);
            if trimmed.starts_with(':') {
                let key_at = if quoted { start - 1 } else { start };
                self.at = end + (rest.len() - trimmed.len()) + 1;
                return Some(self.pos(key_at));
            }
            from = start + key.len().max(1);
        }
        None
    }

    /// Moves past the next `-` list marker.
    fn item(&mut self) {
        if let Some(i) = self.src[self.at..].find('-') {
            self.at += i + 1;
        }
    }

    /// Moves past a scalar that starts here (to the end of its line, or its flow delimiter).
    fn skip_scalar(&mut self) {
        let rest = &self.src[self.at..];
        let end = rest.find(['\n', ',', ']', '}']).unwrap_or(rest.len());
        self.at += end;
    }
}

fn line(l: &mut Layout, text: &str, pos: (usize, usize)) {
    l.text.push_str(text);
    l.text.push('\n');
    l.lines.resize(l.text.matches('\n').count() - 1, pos);
    l.lines.push(pos);
}

fn emit(c: &mut Cursor, d: &Data, pos: (usize, usize), l: &mut Layout, prefix: &str) {
    match d {
        Data::Map(m) => {
            line(l, &format!("{prefix}{{"), pos);
            for (k, v) in m {
                let kpos = c.key(k).unwrap_or(pos);
                let vpos = match v {
                    Data::Map(_) | Data::List(_) => kpos,
                    _ => c.here(),
                };
                emit(c, v, vpos, l, &format!("{}: ", quote_string(k)));
            }
            line(l, "}", pos);
        }
        Data::List(items) => {
            line(l, &format!("{prefix}["), pos);
            for v in items {
                c.item();
                let vpos = c.here();
                emit(c, v, vpos, l, "");
                l.text.pop();
                l.text.push_str(",\n");
            }
            line(l, "]", pos);
        }
        scalar => {
            let text = match scalar {
                Data::Null => "null".into(),
                Data::Bool(b) => b.to_string(),
                Data::Int(i) => i.to_string(),
                Data::Float(f) => f.clone(),
                Data::String(s) => quote_string(s),
                Data::Bytes(b) => quote_bytes(b),
                Data::Map(_) | Data::List(_) => String::new(),
            };
            c.skip_scalar();
            line(l, &format!("{prefix}{text}"), pos);
        }
    }
}

/// Rewrites `file:LINE:COL` positions of generated YAML text in messages to the YAML source.
pub fn fix_positions(msg: &str, maps: &HashMap<String, Vec<(usize, usize)>>) -> String {
    if maps.is_empty() {
        return msg.to_string();
    }
    let mut out = String::with_capacity(msg.len());
    for text in msg.split_inclusive('\n') {
        let body = text.trim_end_matches('\n');
        let indent = body.len() - body.trim_start().len();
        let t = body.trim_start();
        let mut replaced = None;
        for (file, map) in maps {
            if let Some(rest) = t
                .strip_prefix(file.as_str())
                .and_then(|r| r.strip_prefix(':'))
            {
                let mut parts = rest.splitn(2, ':');
                if let (Some(ln), Some(col)) = (parts.next(), parts.next()) {
                    if let (Ok(ln), Ok(_)) = (ln.parse::<usize>(), col.parse::<usize>()) {
                        if let Some((yl, yc)) = ln.checked_sub(1).and_then(|i| map.get(i)) {
                            replaced = Some(format!("{}{file}:{yl}:{yc}", &body[..indent]));
                        }
                    }
                }
            }
        }
        match replaced {
            Some(r) => {
                out.push_str(&r);
                if text.ends_with('\n') {
                    out.push('\n');
                }
            }
            None => out.push_str(text),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_map_to_their_yaml_positions() {
        let src = "name: Web\nport: 70000\nlist:\n  - a\n  - b\n---\nname: x\n";
        let docs = ferrocue_export::read_yaml("f.yaml", src).unwrap();
        let (texts, map) = layout_docs(src, &docs);
        assert_eq!(texts.len(), 2);
        // Line 2 of the generated text is `"name": "Web"`.
        assert_eq!(texts[0].lines().nth(1), Some("\"name\": \"Web\""));
        assert_eq!(map[1], (1, 7));
        assert_eq!(map[2], (2, 7));
        let second = texts[1].lines().position(|l| l.contains("\"x\"")).unwrap();
        assert_eq!(map[second], (7, 7));
        let mut maps = HashMap::new();
        maps.insert("f.yaml".to_string(), map);
        assert_eq!(
            fix_positions("a: bad:\n    f.yaml:2:9\n", &maps),
            "a: bad:\n    f.yaml:1:7\n"
        );
    }
}
