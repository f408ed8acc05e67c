//! The `vela def` authoring format: imports, one metadata field
//! `<name>: {type, description, labels, annotations, attributes}` and `template: {…}`.
//!
//! The template compiled for rendering is the file itself with everything but the imports and
//! the inside of `template: {…}` blanked out (newlines kept), so positions in render errors
//! are the file's own lines and columns and the `+patch…` doc comments stay where they were.

use ferrocue_eval::instance::Instance;
use ferrocue_eval::Limits;
use ferrocue_export::data::Map;
use ferrocue_export::Data;
use ferrocue_parser::ast;

use crate::def_load::{compile_error, finish, kind_of_type, label_name, LoadError};
use crate::def_meta::Form;
use crate::definition::{Definition, Kind};

/// The parts of an authoring file.
pub struct Parts<'a> {
    /// The definition's name (the metadata field's label).
    pub name: String,
    pub meta_decl: &'a ast::Decl,
    /// The `template` field's value (a struct literal).
    pub template: &'a ast::Expr,
    /// Where the first declaration starts: imports (and the package clause) come before.
    pub decls_start: usize,
}

/// The metadata of an authoring file, evaluated.
#[derive(Clone, Debug, PartialEq)]
pub struct Metadata {
    pub name: String,
    pub kind: Kind,
    pub description: Option<String>,
    pub alias: Option<String>,
    pub labels: Map,
    pub annotations: Map,
    pub attributes: Map,
}

/// True when the file has the authoring shape: a `template: {…}` field and another field whose
/// value is a struct declaring `type`.
pub fn is_authoring(f: &ast::File) -> bool {
    let mut template = false;
    let mut meta = false;
    for d in &f.decls {
        let ast::DeclKind::Field(field) = &d.kind else {
            continue;
        };
        match (label_name(&field.label).as_deref(), &field.value.kind) {
            (Some("template"), ast::ExprKind::Struct(_)) => template = true,
            (Some(_), ast::ExprKind::Struct(s)) => {
                meta |= s.decls.iter().any(|d| {
                    matches!(&d.kind, ast::DeclKind::Field(f)
                        if label_name(&f.label).as_deref() == Some("type"))
                })
            }
            _ => {}
        }
    }
    template && meta
}

/// Splits a parsed authoring file as `vela def` does: every top-level declaration must be a
/// field; `template` must be a struct; exactly one other field holds the metadata.
pub fn split<'a>(file: &str, text: &str, f: &'a ast::File) -> Result<Parts<'a>, LoadError> {
    let mut meta: Option<(&ast::Decl, String)> = None;
    let mut template = None;
    for d in &f.decls {
        let at = |m: String| LoadError::at(file, text, d.span.start as usize, 1, m);
        let ast::DeclKind::Field(field) = &d.kind else {
            return Err(at(
                "found unexpected declaration: only fields may appear at the top \
                           level of a definition"
                    .into(),
            ));
        };
        let Some(label) = label_name(&field.label) else {
            return Err(at(
                "found unexpected declaration: the label must be a name".into()
            ));
        };
        if label == "template" {
            if !matches!(field.value.kind, ast::ExprKind::Struct(_)) {
                return Err(at(
                    "unexpected declaration found in template: its value must be \
                               a struct `template: {…}`"
                        .into(),
                ));
            }
            template = Some(&field.value);
        } else if let Some((_, first)) = &meta {
            return Err(at(format!(
                "duplicated definition name found, {first} and {label}"
            )));
        } else {
            meta = Some((d, label));
        }
    }
    let Some((meta_decl, name)) = meta else {
        return Err(LoadError::file(file, "no metadata found, invalid".into()));
    };
    let Some(template) = template else {
        return Err(LoadError::file(file, "no template found, invalid".into()));
    };
    let decls_start = f
        .decls
        .iter()
        .map(|d| d.span.start as usize)
        .min()
        .unwrap_or(text.len());
    Ok(Parts {
        name,
        meta_decl,
        template,
        decls_start,
    })
}

/// `text` with every character outside `keep` ranges turned into a space (newlines kept), so
/// what remains compiles alone yet keeps its lines and columns.
fn blank_except(text: &str, keep: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, ch) in text.char_indices() {
        if ch == '\n' || keep.iter().any(|&(s, e)| i >= s && i < e) {
            out.push(ch);
        } else {
            for _ in 0..ch.len_utf8() {
                out.push(' ');
            }
        }
    }
    out
}

/// Evaluates the metadata field alone (as `vela def` compiles it) and reads its parts.
pub fn metadata(file: &str, text: &str, parts: &Parts) -> Result<Metadata, LoadError> {
    let span = parts.meta_decl.span;
    let at = |m: String| LoadError::at(file, text, span.start as usize, 1, m);
    let only = blank_except(text, &[(span.start as usize, span.end as usize)]);
    let mut inst = Instance::from_sources(&[(file.to_string(), only)], Limits::default())
        .map_err(|d| at(d.to_string().trim_end().to_string()))?;
    let v = inst
        .lookup(&[parts.name.as_str()])
        .ok_or_else(|| at("the metadata field has no value".into()))?;
    let data = inst.export(v).map_err(|errs| {
        let msg = errs
            .iter()
            .map(|e| format!("{}: {}", e.path, e.message))
            .collect::<Vec<_>>()
            .join("; ");
        at(format!("metadata is not concrete: {msg}"))
    })?;
    let Data::Map(m) = data else {
        return Err(at("the metadata must be a struct".into()));
    };
    let string = |k: &str| -> Result<Option<String>, LoadError> {
        match m.get(k) {
            None => Ok(None),
            Some(Data::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(at(format!(
                "{k} must be a string, not {}",
                other.kind_name()
            ))),
        }
    };
    let string_map = |k: &str| -> Result<Map, LoadError> {
        match m.get(k) {
            None => Ok(Map::new()),
            Some(Data::Map(inner)) => {
                for (key, v) in inner {
                    if !matches!(v, Data::String(_)) {
                        return Err(at(format!("{k}.{key} must be a string")));
                    }
                }
                Ok(inner.clone())
            }
            Some(other) => Err(at(format!(
                "{k} must be a struct, not {}",
                other.kind_name()
            ))),
        }
    };
    let type_name = string("type")?.ok_or_else(|| at("type is missing".into()))?;
    let kind = kind_of_type(&type_name).ok_or_else(|| {
        at(format!(
            "invalid type {type_name} (ferrocue loads component, trait and policy definitions)"
        ))
    })?;
    let attributes = match m.get("attributes") {
        None => Map::new(),
        Some(Data::Map(a)) => a.clone(),
        Some(other) => {
            return Err(at(format!(
                "attributes must be a struct, not {}",
                other.kind_name()
            )))
        }
    };
    Ok(Metadata {
        name: parts.name.clone(),
        kind,
        description: string("description")?,
        alias: string("alias")?,
        labels: string_map("labels")?,
        annotations: string_map("annotations")?,
        attributes,
    })
}

/// The source compiled for rendering: imports and the template's inside, at their places.
pub fn render_source(text: &str, parts: &Parts) -> String {
    let t = parts.template.span;
    // Inside the braces: after `{`, before `}`.
    let inner = (t.start as usize + 1, (t.end as usize).saturating_sub(1));
    blank_except(text, &[(0, parts.decls_start), inner])
}

/// Loads one authoring-format file.
pub fn load(file: &str, text: &str, parsed: &ast::File) -> Result<Definition, LoadError> {
    let parts = split(file, text, parsed)?;
    let meta = metadata(file, text, &parts)?;
    let source = render_source(text, &parts);
    let def = Definition::new(meta.kind, &meta.name, file, &source)
        .map_err(|e| compile_error(file, text, e))?;
    // `vela def` also accepts the description as the annotation itself.
    let description = meta.description.clone().or_else(|| {
        match meta.annotations.get(crate::def_load::DESCRIPTION_KEY) {
            Some(Data::String(s)) => Some(s.clone()),
            _ => None,
        }
    });
    Ok(finish(
        def,
        Form::Authoring,
        description.unwrap_or_default(),
        meta.alias,
        // Keys written with KubeVela's user prefix are the user's own keys.
        crate::def_load::user_keys(Some(&Data::Map(meta.labels)), &[]),
        crate::def_load::user_keys(Some(&Data::Map(meta.annotations)), &[]),
        meta.attributes,
    ))
}
