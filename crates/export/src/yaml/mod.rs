//! YAML printing of a [`Data`] tree, byte-identical to `cue export --out yaml` (cue v0.17.1,
//! which builds a go-yaml v3 node tree and encodes it with a two-space indent).
//!
//! cue decides a little about each scalar (which strings must be double-quoted, that
//! multi-line strings ask for a literal block, that bytes become `!!binary`); go-yaml's emitter
//! decides the rest (whether a plain scalar is possible, single versus double quotes, block
//! scalar indicators, indentation). `quote` holds the first part, `emitter` the second.

mod emitter;
pub(crate) mod quote;

use crate::data::{base64_std, Data};
use emitter::{Node, Style};

/// The text `cue export --out yaml` writes for `data` (one document, trailing newline).
pub fn to_yaml(data: &Data) -> String {
    emitter::emit_document(&node(data))
}

/// Several values as one YAML stream, documents separated by `---` lines, as cue writes a
/// stream (`yaml.MarshalStream`, or `cue export` of several values).
pub fn to_yaml_stream<'a>(documents: impl IntoIterator<Item = &'a Data>) -> String {
    let mut out = String::new();
    for (i, data) in documents.into_iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        out.push_str(&to_yaml(data));
    }
    out
}

fn node(data: &Data) -> Node {
    match data {
        Data::Null => plain("null".to_owned()),
        Data::Bool(b) => plain(b.to_string()),
        Data::Int(i) => plain(i.to_string()),
        Data::Float(text) => plain(text.clone()),
        Data::String(s) => string(s),
        Data::Bytes(bytes) => binary(bytes),
        Data::List(items) => Node::Sequence(items.iter().map(node).collect()),
        Data::Map(fields) => Node::Mapping(
            fields
                .iter()
                .map(|(key, value)| (string(key), node(value)))
                .collect(),
        ),
    }
}

fn plain(value: String) -> Node {
    Node::Scalar {
        value,
        binary: false,
        style: Style::Plain,
    }
}

/// A string value or a map key (cue treats both alike).
fn string(s: &str) -> Node {
    let style = if s.contains('\n') {
        Style::Literal
    } else if quote::forces_double_quotes(s) {
        Style::DoubleQuoted
    } else {
        Style::Plain
    };
    Node::Scalar {
        value: s.to_owned(),
        binary: false,
        style,
    }
}

/// Bytes are written as `!!binary` base64 on one line. The literal-block request is a side
/// effect of how cue fills the node: go-yaml's `SetString` asks for a literal block when the
/// raw bytes (valid UTF-8) contain a newline, or when they are not UTF-8 and go-yaml's own
/// line-wrapped base64 (70 columns) spans more than one line; cue then replaces the text with
/// unwrapped base64 but keeps that style.
fn binary(bytes: &[u8]) -> Node {
    let value = base64_std(bytes);
    let literal = match std::str::from_utf8(bytes) {
        Ok(text) => text.contains('\n'),
        Err(_) => value.len() >= 70,
    };
    Node::Scalar {
        value,
        binary: true,
        style: if literal {
            Style::Literal
        } else {
            Style::Plain
        },
    }
}

#[cfg(test)]
mod tests;
