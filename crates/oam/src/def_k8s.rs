//! Installed definitions: `ComponentDefinition` / `TraitDefinition` / `PolicyDefinition`
//! objects (YAML streams or JSON), the template in `spec.schematic.cue.template`.

use ferrocue_export::data::Map;
use ferrocue_export::Data;

use crate::def_load::{compile_error, finish, user_keys, LoadError, ALIAS_KEY, DESCRIPTION_KEY};
use crate::def_meta::Form;
use crate::definition::{Definition, Kind};

/// The object kind of a definition kind.
pub fn object_kind(kind: Kind) -> &'static str {
    match kind {
        Kind::Component => "ComponentDefinition",
        Kind::Trait => "TraitDefinition",
        Kind::Policy => "PolicyDefinition",
    }
}

fn kind_of_object(k: &str) -> Option<Kind> {
    match k {
        "ComponentDefinition" => Some(Kind::Component),
        "TraitDefinition" => Some(Kind::Trait),
        "PolicyDefinition" => Some(Kind::Policy),
        _ => None,
    }
}

/// Every definition object of a YAML stream (or JSON document). Empty documents are skipped.
pub fn load(file: &str, text: &str) -> Result<Vec<Definition>, LoadError> {
    let docs = ferrocue_export::read_yaml(file, text)
        .map_err(|e| LoadError::at(file, text, e.offset, 1, e.message.clone()))?;
    let mut out = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        if matches!(doc, Data::Null) {
            continue;
        }
        out.push(load_object(file, text, i, doc)?);
    }
    Ok(out)
}

fn load_object(file: &str, text: &str, index: usize, doc: &Data) -> Result<Definition, LoadError> {
    let err = |m: String| {
        let mut e = LoadError::file(file, format!("document {}: {m}", index + 1));
        e.source = Some(std::sync::Arc::from(text));
        e
    };
    let Data::Map(root) = doc else {
        return Err(err("not a mapping".into()));
    };
    let kind_name = match root.get("kind") {
        Some(Data::String(s)) => s.as_str(),
        _ => return Err(err("kind is missing".into())),
    };
    let kind = kind_of_object(kind_name).ok_or_else(|| {
        err(format!(
            "kind {kind_name} is not a definition ferrocue loads \
             (ComponentDefinition, TraitDefinition, PolicyDefinition)"
        ))
    })?;
    let meta = match root.get("metadata") {
        Some(Data::Map(m)) => m.clone(),
        _ => Map::new(),
    };
    let name = match meta.get("name") {
        Some(Data::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(err("metadata.name is missing".into())),
    };
    let spec = match root.get("spec") {
        Some(Data::Map(s)) => s.clone(),
        _ => return Err(err(format!("{name}: spec is missing"))),
    };
    let template = spec
        .get("schematic")
        .and_then(|s| as_map(s)?.get("cue"))
        .and_then(|c| as_map(c)?.get("template"));
    let template = match template {
        Some(Data::String(t)) => t.clone(),
        _ => {
            return Err(err(format!(
                "{name}: no CUE template (spec.schematic.cue.template); other schematics are \
                 not supported"
            )))
        }
    };
    let attributes: Map = spec
        .iter()
        .filter(|(k, _)| k.as_str() != "schematic")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let annotations_raw = meta.get("annotations");
    let get = |k: &str| match annotations_raw {
        Some(Data::Map(a)) => match a.get(k) {
            Some(Data::String(s)) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    };
    let template_file = format!("{file}[{name}].template");
    let def = Definition::new(kind, &name, &template_file, &template)
        .map_err(|e| compile_error(&template_file, &template, e))?;
    Ok(finish(
        def,
        Form::Kubernetes,
        get(DESCRIPTION_KEY).unwrap_or_default(),
        get(ALIAS_KEY),
        user_keys(meta.get("labels"), &[]),
        user_keys(annotations_raw, &[DESCRIPTION_KEY, ALIAS_KEY]),
        attributes,
    ))
}

fn as_map(d: &Data) -> Option<&Map> {
    match d {
        Data::Map(m) => Some(m),
        _ => None,
    }
}
