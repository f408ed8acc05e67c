//! Reading definitions in the three forms users have — `vela def` authoring files, installed
//! Kubernetes objects (YAML/JSON) and bare templates — detecting the form from each file.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use ferrocue_export::data::Map;
use ferrocue_export::Data;
use ferrocue_parser::ast;

use crate::def_meta::{DefinitionMeta, Form};
use crate::definition::{Definition, Kind};
use crate::errors::RenderError;

/// KubeVela's annotation keys and the prefix it puts on user labels/annotations.
pub const DESCRIPTION_KEY: &str = "definition.oam.dev/description";
pub const ALIAS_KEY: &str = "definition.oam.dev/alias";
pub const USER_PREFIX: &str = "custom.definition.oam.dev/";

/// Why a definition file could not be loaded, with its position (1-based line and column;
/// `offset`/`len` in bytes for diagnostics that underline the source).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub offset: usize,
    pub len: usize,
    pub message: String,
    /// The file's text, when it was read, for diagnostics that show the source.
    pub source: Option<Arc<str>>,
}

impl LoadError {
    /// An error at byte `offset` of `source`.
    pub fn at(file: &str, source: &str, offset: usize, len: usize, message: String) -> Self {
        let offset = offset.min(source.len());
        let before = &source.as_bytes()[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        LoadError {
            file: file.to_string(),
            line,
            column: offset - line_start + 1,
            offset,
            len: len.min(source.len() - offset),
            message,
            source: Some(Arc::from(source)),
        }
    }

    /// An error about a whole file (or one that could not be read).
    pub fn file(file: &str, message: String) -> Self {
        LoadError {
            file: file.to_string(),
            line: 1,
            column: 1,
            offset: 0,
            len: 0,
            message,
            source: None,
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for LoadError {}

impl From<LoadError> for RenderError {
    fn from(e: LoadError) -> Self {
        RenderError::Definition {
            name: e.file.clone(),
            message: format!("{}:{}: {}", e.line, e.column, e.message),
        }
    }
}

/// Loads every definition of one file. The form is detected from the content (and the
/// extension: `.yaml`/`.yml`/`.json` are Kubernetes objects). A bare template needs
/// `bare_kind` (from its directory: `component/`, `trait/`, `policy/`); its name is the file
/// stem.
pub fn load_file(path: &Path, bare_kind: Option<Kind>) -> Result<Vec<Definition>, LoadError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| LoadError::file(&file, format!("cannot read: {e}")))?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let ext = path.extension().and_then(|s| s.to_str()).unwrap_or("");
    if matches!(ext, "yaml" | "yml" | "json") {
        return crate::def_k8s::load(&file, &text);
    }
    load_text(&file, &text, stem, bare_kind)
}

/// Loads the definitions in `text` (CUE: authoring format or bare template; or Kubernetes
/// YAML/JSON when the text starts like one).
pub fn load_text(
    file: &str,
    text: &str,
    bare_name: &str,
    bare_kind: Option<Kind>,
) -> Result<Vec<Definition>, LoadError> {
    if looks_like_k8s(text) {
        return crate::def_k8s::load(file, text);
    }
    let parsed =
        ferrocue_parser::parse_file(file, text).map_err(|e| syntax_error(file, text, &e))?;
    if crate::def_authoring::is_authoring(&parsed) {
        return Ok(vec![crate::def_authoring::load(file, text, &parsed)?]);
    }
    let kind = bare_kind.ok_or_else(|| {
        LoadError::file(
            file,
            "a bare template must be in a component/, trait/ or policy/ directory (its kind); \
             or write it in the authoring format (`name: {type: …}` and `template: {…}`)"
                .into(),
        )
    })?;
    let mut def =
        Definition::new(kind, bare_name, file, text).map_err(|e| compile_error(file, text, e))?;
    def.meta = DefinitionMeta::bare();
    Ok(vec![def])
}

/// A Kubernetes object in YAML or JSON: its first meaningful line is `apiVersion:`/`kind:`
/// (or a `---` document marker), or it is a JSON object with `"apiVersion"`.
fn looks_like_k8s(text: &str) -> bool {
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if l.starts_with("//") {
            return false;
        }
        return l == "---"
            || l.starts_with("apiVersion:")
            || l.starts_with("kind:")
            || (l.starts_with('{') && text.contains("\"apiVersion\""));
    }
    false
}

/// The files a definitions directory holds: its own `*.cue`/`*.yaml`/`*.yml`/`*.json` files
/// (authoring format or Kubernetes objects, which name their kind) and those of its
/// `component/`, `trait/` and `policy/` subdirectories (where bare templates get their kind).
pub fn dir_files(dir: &Path) -> Result<Vec<(std::path::PathBuf, Option<Kind>)>, LoadError> {
    let listing = |d: &Path| -> Vec<std::path::PathBuf> {
        let mut v: Vec<_> = match std::fs::read_dir(d) {
            Ok(rd) => rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .filter(|p| {
                    p.extension()
                        .and_then(|x| x.to_str())
                        .is_some_and(|x| matches!(x, "cue" | "yaml" | "yml" | "json"))
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        v.sort();
        v
    };
    if !dir.is_dir() {
        return Err(LoadError::file(
            &dir.display().to_string(),
            "not a directory".into(),
        ));
    }
    let mut out: Vec<_> = listing(dir).into_iter().map(|p| (p, None)).collect();
    for kind in [Kind::Component, Kind::Trait, Kind::Policy] {
        out.extend(
            listing(&dir.join(kind.as_str()))
                .into_iter()
                .map(|p| (p, Some(kind))),
        );
    }
    Ok(out)
}

/// Every definition of a directory (see [`dir_files`]), in file order.
pub fn load_dir(dir: &Path) -> Result<Vec<Definition>, LoadError> {
    let files = dir_files(dir)?;
    if files.is_empty() {
        return Err(LoadError::file(
            &dir.display().to_string(),
            "no definition files (*.cue, *.yaml, *.yml, *.json) here or in component/, trait/, \
             policy/"
                .into(),
        ));
    }
    let mut out = Vec::new();
    for (path, kind) in files {
        out.extend(load_file(&path, kind)?);
    }
    Ok(out)
}

pub(crate) fn syntax_error(file: &str, text: &str, e: &ferrocue_parser::SyntaxErrors) -> LoadError {
    match e.first() {
        Some(first) => LoadError::at(file, text, first.offset(), 1, first.message().to_string()),
        None => LoadError::file(file, e.to_string()),
    }
}

/// A template that does not compile: the evaluator's message names `file:line:col`; the
/// first such position is taken as the error's.
pub(crate) fn compile_error(file: &str, text: &str, e: RenderError) -> LoadError {
    let message = match e {
        RenderError::Definition { message, .. } => message,
        other => other.to_string(),
    };
    let needle = format!("{file}:");
    if let Some(at) = message.find(&needle) {
        let rest = &message[at + needle.len()..];
        let mut nums = rest.splitn(3, ':');
        if let (Some(l), Some(c)) = (nums.next(), nums.next()) {
            let c: String = c.chars().take_while(|ch| ch.is_ascii_digit()).collect();
            if let (Ok(line), Ok(col)) = (l.parse::<usize>(), c.parse::<usize>()) {
                if let Some(off) = offset_of(text, line, col) {
                    let mut err = LoadError::at(file, text, off, 1, message.clone());
                    err.message = first_line(&message);
                    return err;
                }
            }
        }
    }
    let mut err = LoadError::file(file, first_line(&message));
    err.source = Some(Arc::from(text));
    err
}

fn first_line(m: &str) -> String {
    m.lines()
        .next()
        .unwrap_or("")
        .trim_end_matches(':')
        .to_string()
}

fn offset_of(text: &str, line: usize, col: usize) -> Option<usize> {
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return Some(off + (col.saturating_sub(1)).min(l.len()));
        }
        off += l.len();
    }
    None
}

/// KubeVela's `type` names and the kinds ferrocue loads.
pub fn kind_of_type(t: &str) -> Option<Kind> {
    match t {
        "component" => Some(Kind::Component),
        "trait" => Some(Kind::Trait),
        "policy" => Some(Kind::Policy),
        _ => None,
    }
}

/// Splits the object's labels or annotations into the user's (prefix removed) and keeps
/// KubeVela's own keys as they are (the inverse of what `vela def` does when it writes them).
pub(crate) fn user_keys(m: Option<&Data>, skip: &[&str]) -> Map {
    let mut out = Map::new();
    if let Some(Data::Map(m)) = m {
        for (k, v) in m {
            if skip.contains(&k.as_str()) {
                continue;
            }
            let key = k.strip_prefix(USER_PREFIX).unwrap_or(k);
            out.insert(key.to_string(), v.clone());
        }
    }
    out
}

/// A form tag and the declared type for the loaders.
pub(crate) fn finish(
    mut def: Definition,
    form: Form,
    description: String,
    alias: Option<String>,
    labels: Map,
    annotations: Map,
    attributes: Map,
) -> Definition {
    def.meta = DefinitionMeta {
        form,
        description,
        alias,
        labels,
        annotations,
        attributes,
    };
    def
}

/// The label text of a top-level field (`name` or `"name"`).
pub(crate) fn label_name(l: &ast::Label) -> Option<String> {
    match &l.kind {
        ast::LabelKind::Ident(i) => Some(i.name.to_string()),
        ast::LabelKind::String(s) => Some(s.to_string()),
        _ => None,
    }
}
