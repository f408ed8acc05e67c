//! Reading YAML data files into [`Data`], as cue v0.17.1 does.
//!
//! cue parses YAML with go-yaml v3 into a node tree and then maps each node to CUE:
//! * untagged plain scalars are resolved by go-yaml's rules: `true`/`false` (three spellings
//!   each) are booleans, `~`/`null`/empty are null, Go-style integers (`0x10`, `0o17`, `0b1`,
//!   `012` octal, `_` separators) are ints, decimal floats are floats, and everything else,
//!   including YAML 1.1's `yes`/`on`/`y` and timestamps, is a string;
//! * a float-looking text with a leading zero and no point (`09`, `0_8`) stays a string;
//! * quoted and block scalars are strings; `!!binary` gives bytes; explicit core tags
//!   (`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!timestamp`) are obeyed; other tags
//!   on scalars are errors;
//! * anchors and aliases are expanded (at most 50,000 nodes through aliases);
//! * merge keys `<<` insert the fields of a map (or of each map in a list, earlier ones
//!   winning) and later keys of the same map override them;
//! * a key repeated without merging unifies both values, like a repeated CUE field;
//! * map keys must be scalars; a non-string key becomes the CUE literal text (`1`, `true`,
//!   `null`, `0o12`).
//!
//! Parsing itself is done by `saphyr-parser`, a maintained, pure-Rust YAML 1.2 event parser
//! that reports positions.

use super::error::ReadError;
use super::number::{float_text, parse_int};
use super::unify::unify;
use crate::data::{Data, Map};
use crate::yaml::quote::{resolve_plain, Resolved};
use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use std::collections::HashMap;
use std::rc::Rc;

/// Reads every document of a YAML stream, one value per document.
///
/// A stream without documents (an empty file, or only comments) gives no values. cue reads
/// such a file as `*null | _`: it exports as `null` on its own, and unifies away when other
/// files are given (`cue export one.yaml empty.yaml two.yaml`), so the caller decides.
pub fn read_yaml(path_name: &str, src: &str) -> Result<Vec<Data>, ReadError> {
    let offsets = CharOffsets::new(src);
    let documents = parse(path_name, src, &offsets)?;
    let mut converter = Converter {
        path: path_name,
        src,
        alias_depth: 0,
        alias_nodes: 0,
    };
    documents
        .iter()
        .map(|doc| converter.value(doc, 0))
        .collect()
}

/// go-yaml's node tree, as far as cue looks at it.
#[derive(Debug)]
struct Node {
    kind: Kind,
    /// Byte offset where the node starts.
    offset: usize,
    /// Levels below this node, counting a step through an alias as one level. Kept at most
    /// `MAX_DEPTH`, so that building, converting and dropping the tree cannot exhaust the
    /// call stack.
    height: usize,
}

#[derive(Debug)]
enum Kind {
    Scalar {
        value: String,
        style: ScalarStyle,
        /// The tag as go-yaml shortens it (`!!int`, `!foo`), if one was written (other than
        /// the non-specific `!`).
        tag: Option<String>,
    },
    Sequence(Vec<Rc<Node>>),
    Mapping(Vec<(Rc<Node>, Rc<Node>)>),
    Alias(Rc<Node>),
}

/// saphyr counts positions in characters; errors and cue count bytes.
struct CharOffsets {
    /// Byte offset of each character, plus the length at the end.
    bytes: Vec<usize>,
}

impl CharOffsets {
    fn new(src: &str) -> Self {
        let mut bytes: Vec<usize> = src.char_indices().map(|(i, _)| i).collect();
        bytes.push(src.len());
        CharOffsets { bytes }
    }

    fn byte(&self, char_index: usize) -> usize {
        self.bytes
            .get(char_index)
            .copied()
            .unwrap_or_else(|| self.bytes.last().copied().unwrap_or(0))
    }
}

/// A collection under construction.
enum Open {
    Sequence {
        items: Vec<Rc<Node>>,
        anchor: usize,
        offset: usize,
        height: usize,
    },
    Mapping {
        pairs: Vec<(Rc<Node>, Rc<Node>)>,
        pending_key: Option<Rc<Node>>,
        anchor: usize,
        offset: usize,
        height: usize,
    },
}

/// Builds the node tree of every document from saphyr's events, without recursion.
fn parse(path: &str, src: &str, offsets: &CharOffsets) -> Result<Vec<Rc<Node>>, ReadError> {
    let mut parser = Parser::new_from_str(src);
    let mut documents = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: HashMap<usize, Rc<Node>> = HashMap::new();
    while let Some(next) = parser.next_event() {
        let (event, span): (Event, Span) = next.map_err(|e| {
            ReadError::at(
                path,
                src,
                offsets.byte(e.marker().index()),
                e.info().to_owned(),
            )
        })?;
        let offset = offsets.byte(span.start.index());
        let complete = match event {
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => continue,
            Event::Alias(id) => {
                let Some(target) = anchors.get(&id) else {
                    return Err(ReadError::at(
                        path,
                        src,
                        offset,
                        "alias refers to a node that is not complete (it contains itself) or was never anchored",
                    ));
                };
                Rc::new(Node {
                    kind: Kind::Alias(Rc::clone(target)),
                    offset,
                    height: target.height + 1,
                })
            }
            Event::Scalar(value, style, anchor, tag) => {
                let node = Rc::new(Node {
                    kind: Kind::Scalar {
                        value: value.into_owned(),
                        style,
                        tag: tag.and_then(|t| short_tag(&t)),
                    },
                    offset,
                    height: 0,
                });
                if anchor != 0 {
                    anchors.insert(anchor, Rc::clone(&node));
                }
                node
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(ReadError::at(
                        path,
                        src,
                        offset,
                        format!("exceeded max depth of {MAX_DEPTH}"),
                    ));
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Open::Sequence {
                        items: Vec::new(),
                        anchor,
                        offset,
                        height: 0,
                    }
                } else {
                    Open::Mapping {
                        pairs: Vec::new(),
                        pending_key: None,
                        anchor,
                        offset,
                        height: 0,
                    }
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = stack.pop() else {
                    return Err(ReadError::at(
                        path,
                        src,
                        offset,
                        "unbalanced collection end",
                    ));
                };
                let (kind, anchor, start, height) = match open {
                    Open::Sequence {
                        items,
                        anchor,
                        offset,
                        height,
                    } => (Kind::Sequence(items), anchor, offset, height),
                    Open::Mapping {
                        pairs,
                        anchor,
                        offset,
                        height,
                        ..
                    } => (Kind::Mapping(pairs), anchor, offset, height),
                };
                let node = Rc::new(Node {
                    kind,
                    offset: start,
                    height,
                });
                if anchor != 0 {
                    anchors.insert(anchor, Rc::clone(&node));
                }
                node
            }
        };
        if complete.height > MAX_DEPTH {
            // Only aliases can get here: open collections are limited above.
            return Err(ReadError::at(
                path,
                src,
                complete.offset,
                format!("exceeded max depth of {MAX_DEPTH} (through aliases)"),
            ));
        }
        let child_height = complete.height + 1;
        match stack.last_mut() {
            None => documents.push(complete),
            Some(Open::Sequence { items, height, .. }) => {
                *height = (*height).max(child_height);
                items.push(complete);
            }
            Some(Open::Mapping {
                pairs,
                pending_key,
                height,
                ..
            }) => {
                *height = (*height).max(child_height);
                match pending_key.take() {
                    None => *pending_key = Some(complete),
                    Some(key) => pairs.push((key, complete)),
                }
            }
        }
    }
    Ok(documents)
}

/// go-yaml's short form of a written tag; `None` for the non-specific `!`, which go-yaml
/// treats as no tag.
fn short_tag(tag: &Tag) -> Option<String> {
    const CORE: &str = "tag:yaml.org,2002:";
    // saphyr spells the non-specific tag `!` as an empty handle with suffix "!".
    if (tag.handle.is_empty() && tag.suffix == "!") || (tag.handle == "!" && tag.suffix.is_empty())
    {
        return None;
    }
    let long = format!("{}{}", tag.handle, tag.suffix);
    Some(match long.strip_prefix(CORE) {
        Some(rest) => format!("!!{rest}"),
        None if tag.handle == "!" => format!("!{}", tag.suffix),
        None => long,
    })
}

/// Alias expansion stops past this many nodes (cue's limit against "billion laughs").
const MAX_ALIAS_NODES: usize = 50_000;

/// Deeper nesting (aliases included) is refused rather than risking the stack of a small
/// thread in a debug build; saphyr itself stops flow collections at a similar depth.
const MAX_DEPTH: usize = 256;

/// A scalar as cue reads it: the CUE kind it becomes.
enum Scalar {
    Value(Data),
    /// Merge key `<<`.
    Merge,
}

struct Converter<'a> {
    path: &'a str,
    src: &'a str,
    alias_depth: usize,
    alias_nodes: usize,
}

impl Converter<'_> {
    fn error(&self, node: &Node, message: impl Into<String>) -> ReadError {
        ReadError::at(self.path, self.src, node.offset, message)
    }

    fn value(&mut self, node: &Node, depth: usize) -> Result<Data, ReadError> {
        if depth > MAX_DEPTH {
            return Err(self.error(node, format!("exceeded max depth of {MAX_DEPTH}")));
        }
        if self.alias_depth > 0 {
            self.alias_nodes += 1;
            if self.alias_nodes > MAX_ALIAS_NODES {
                return Err(self.error(
                    node,
                    format!("aliases expand to more than {MAX_ALIAS_NODES} nodes"),
                ));
            }
        }
        match &node.kind {
            Kind::Scalar { .. } => match self.scalar(node)? {
                Scalar::Value(data) => Ok(data),
                Scalar::Merge => Err(self.error(node, "cannot unmarshal tag \"!!merge\"")),
            },
            Kind::Sequence(items) => items
                .iter()
                .map(|item| self.value(item, depth + 1))
                .collect::<Result<Vec<_>, _>>()
                .map(Data::List),
            Kind::Mapping(pairs) => {
                let mut fields = Map::new();
                self.insert_map(pairs, &mut fields, false, depth)?;
                Ok(Data::Map(fields))
            }
            Kind::Alias(target) => {
                self.alias_depth += 1;
                let result = self.value(target, depth + 1);
                self.alias_depth -= 1;
                result
            }
        }
    }

    /// cue's `insertMap`: fields in order, merge keys expanded in place; once a map has merged
    /// fields, a later key with the same name replaces the value instead of unifying.
    fn insert_map(
        &mut self,
        pairs: &[(Rc<Node>, Rc<Node>)],
        fields: &mut Map,
        mut merging: bool,
        depth: usize,
    ) -> Result<(), ReadError> {
        for (key, value) in pairs {
            if self.is_merge_key(key) {
                merging = true;
                self.merge(value, fields, depth)?;
                continue;
            }
            let label = self.label(key)?;
            let data = self.value(value, depth + 1)?;
            match fields.get_mut(&label) {
                Some(existing) if merging => *existing = data,
                Some(existing) => {
                    *existing = unify(existing, &data)
                        .map_err(|conflict| self.error(key, format!("{label}{conflict}")))?;
                }
                None => {
                    fields.insert(label, data);
                }
            }
        }
        Ok(())
    }

    fn merge(&mut self, node: &Node, fields: &mut Map, depth: usize) -> Result<(), ReadError> {
        if depth > MAX_DEPTH {
            return Err(self.error(node, format!("exceeded max depth of {MAX_DEPTH}")));
        }
        match &node.kind {
            Kind::Mapping(pairs) => self.insert_map(pairs, fields, true, depth),
            Kind::Alias(target) => {
                self.alias_depth += 1;
                let result = self.merge(target, fields, depth + 1);
                self.alias_depth -= 1;
                result
            }
            Kind::Sequence(items) => {
                // Later maps first, so that earlier ones override them.
                for item in items.iter().rev() {
                    self.merge(item, fields, depth + 1)?;
                }
                Ok(())
            }
            Kind::Scalar { .. } => Err(self.error(
                node,
                "map merge requires map or sequence of maps as the value",
            )),
        }
    }

    /// `<<` as a plain untagged key, or with an explicit `!!merge` tag in any style (a quoted
    /// `'<<'` alone is an ordinary string).
    fn is_merge_key(&self, node: &Node) -> bool {
        let Kind::Scalar { value, style, tag } = &node.kind else {
            return false;
        };
        value == "<<"
            && match tag.as_deref() {
                None => *style == ScalarStyle::Plain,
                Some(tag) => tag == "!!merge",
            }
    }

    /// The field name a key node gives.
    fn label(&mut self, node: &Node) -> Result<String, ReadError> {
        let scalar = match &node.kind {
            Kind::Scalar { .. } => node,
            Kind::Alias(target) if matches!(target.kind, Kind::Scalar { .. }) => target,
            Kind::Alias(target) => {
                return Err(self.error(node, format!("invalid map key: {}", kind_tag(target))))
            }
            other => {
                return Err(self.error(node, format!("invalid map key: {}", kind_tag_of(other))))
            }
        };
        let Kind::Scalar {
            value,
            tag: written,
            ..
        } = &scalar.kind
        else {
            return Err(self.error(node, "invalid map key"));
        };
        let explicit = written.is_some();
        let tag = self.scalar_tag(scalar);
        match tag.as_str() {
            "!!str" | "!!timestamp" | "!!binary" => Ok(value.clone()),
            "!!null" => Ok("null".to_owned()),
            "!!bool" => Ok(matches!(value.as_str(), "true" | "True" | "TRUE").to_string()),
            "!!int" => {
                // The label is the CUE literal cue builds; a negative number is not a literal.
                let literal = cue_number_literal(value, &tag);
                self.scalar(scalar)?;
                if literal.starts_with('-') {
                    return Err(self.error(node, format!("invalid label {value}")));
                }
                Ok(literal)
            }
            "!!float" => {
                let literal = float_literal(value, explicit);
                if literal.starts_with('-') {
                    return Err(self.error(node, format!("invalid label {value}")));
                }
                // Infinity and NaN make fine labels even though they are not CUE numbers.
                if !matches!(literal.as_str(), "+Inf" | "NaN") {
                    self.scalar(scalar)?;
                }
                Ok(literal)
            }
            _ => {
                self.scalar(scalar)?;
                Err(self.error(node, format!("invalid label {value}")))
            }
        }
    }

    /// The short tag go-yaml gives a scalar node, with cue's leading-zero adjustment.
    fn scalar_tag(&self, node: &Node) -> String {
        let Kind::Scalar { value, style, tag } = &node.kind else {
            return String::new();
        };
        if let Some(tag) = tag {
            return tag.clone();
        }
        if *style != ScalarStyle::Plain {
            return "!!str".to_owned();
        }
        if value == "<<" {
            return "!!merge".to_owned();
        }
        match resolve_plain(value) {
            Resolved::Null => "!!null",
            Resolved::Bool => "!!bool",
            Resolved::Int => "!!int",
            // YAML 1.1 octal-looking texts that go-yaml reads as floats stay strings in cue.
            Resolved::Float if is_any_octal_yaml11(value) => "!!str",
            Resolved::Float => "!!float",
            Resolved::Str => "!!str",
        }
        .to_owned()
    }

    fn scalar(&self, node: &Node) -> Result<Scalar, ReadError> {
        let Kind::Scalar { value, tag, .. } = &node.kind else {
            return Err(self.error(node, "not a scalar"));
        };
        let explicit = tag.is_some();
        let tag = self.scalar_tag(node);
        let data =
            match tag.as_str() {
                "!!str" | "!!timestamp" => Data::String(value.clone()),
                "!!binary" => Data::Bytes(decode_base64(value).ok_or_else(|| {
                    self.error(node, "!!binary value contains invalid base64 data")
                })?),
                "!!bool" => Data::Bool(matches!(value.as_str(), "true" | "True" | "TRUE")),
                "!!null" => Data::Null,
                "!!merge" => return Ok(Scalar::Merge),
                "!!int" => {
                    let literal = cue_number_literal(value, &tag);
                    let int = parse_int(&literal).ok_or_else(|| {
                        self.error(node, format!("cannot decode {literal:?} as !!int"))
                    })?;
                    Data::Int(int)
                }
                "!!float" => self.float(node, value, explicit)?,
                other => return Err(self.error(node, format!("cannot unmarshal tag {other:?}"))),
            };
        Ok(Scalar::Value(data))
    }

    fn float(&self, node: &Node, value: &str, explicit: bool) -> Result<Data, ReadError> {
        let literal = float_literal(value, explicit);
        if matches!(literal.as_str(), "+Inf" | "-Inf" | "NaN") {
            return Err(self.error(
                node,
                format!("cannot represent {value} (infinity or NaN) as a CUE number"),
            ));
        }
        // An explicitly tagged float without point or exponent is `number & N` in cue, which
        // is the integer N.
        if let Some(n) = literal.strip_prefix("number & ") {
            if let Some(int) = parse_int(n) {
                return Ok(Data::Int(int));
            }
        }
        float_text(&literal)
            .map(Data::Float)
            .ok_or_else(|| self.error(node, format!("cannot decode {literal:?} as !!float")))
    }
}

/// The CUE literal text cue builds for a `!!float` scalar: the infinities and NaN get CUE's
/// spelling, a leading zero makes an octal literal, and an explicitly tagged number without
/// point or exponent becomes `number & N`.
fn float_literal(value: &str, explicit: bool) -> String {
    match value {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => "+Inf".to_owned(),
        "-.inf" | "-.Inf" | "-.INF" => "-Inf".to_owned(),
        ".nan" | ".NaN" | ".NAN" => "NaN".to_owned(),
        _ => {
            let literal = cue_number_literal(value, "!!float");
            if explicit && !literal.contains(['.', 'e', 'E', 'i', 'I', 'n', 'N']) {
                format!("number & {literal}")
            } else {
                literal
            }
        }
    }
}

/// cue turns a YAML number with a leading zero followed by a digit into an octal literal.
fn cue_number_literal(value: &str, tag: &str) -> String {
    let bytes = value.as_bytes();
    let octal = bytes.len() > 1
        && bytes[0] == b'0'
        && match tag {
            "!!int" => bytes[1] <= b'9',
            _ => bytes[1].is_ascii_digit(),
        };
    if octal {
        format!("0o{}", &value[1..])
    } else {
        value.to_owned()
    }
}

/// cue's `^[-+]?0[0-9_]+$`.
fn is_any_octal_yaml11(value: &str) -> bool {
    let body = value.strip_prefix(['-', '+']).unwrap_or(value);
    body.strip_prefix('0').is_some_and(|rest| {
        !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    })
}

fn kind_tag(node: &Node) -> &'static str {
    kind_tag_of(&node.kind)
}

fn kind_tag_of(kind: &Kind) -> &'static str {
    match kind {
        Kind::Sequence(_) => "!!seq",
        Kind::Mapping(_) => "!!map",
        Kind::Scalar { .. } => "!!str",
        Kind::Alias(target) => kind_tag(target),
    }
}

/// Go's `base64.StdEncoding.DecodeString`: padded standard alphabet, `\r` and `\n` ignored.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let symbols: Vec<u8> = text.bytes().filter(|&b| b != b'\r' && b != b'\n').collect();
    if !symbols.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(symbols.len() / 4 * 3);
    let groups = symbols.len() / 4;
    for (i, group) in symbols.chunks(4).enumerate() {
        let last = i + 1 == groups;
        let padding = group.iter().rev().take_while(|&&b| b == b'=').count();
        if padding > 2 || (padding > 0 && !last) {
            return None;
        }
        let mut acc: u32 = 0;
        for &b in &group[..4 - padding] {
            acc = (acc << 6) | u32::from(sextet(b)?);
        }
        for _ in 0..padding {
            acc <<= 6;
        }
        // Go's (non-strict) standard decoding ignores stray bits after the last symbol.
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..4 - padding]);
    }
    Some(out)
}

fn sextet(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

#[cfg(test)]
#[path = "yaml_tests.rs"]
mod tests;
