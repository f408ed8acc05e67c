//! `def export`: the Kubernetes object `vela def apply --dry-run` produces for an authoring-
//! format file (namespace `vela-system`), as data.

use ferrocue_export::data::Map;
use ferrocue_export::Data;

use crate::def_authoring::{metadata, split};
use crate::def_load::{syntax_error, LoadError, ALIAS_KEY, DESCRIPTION_KEY, USER_PREFIX};

/// The namespace KubeVela installs its definitions in.
pub const NAMESPACE: &str = "vela-system";

/// Labels and annotations as `vela def` writes them: keys mentioning `oam.dev` as they are,
/// the user's own under `custom.definition.oam.dev/`.
fn prefixed(m: &Map) -> Vec<(String, Data)> {
    m.iter()
        .map(|(k, v)| {
            let key = if k.contains("oam.dev") {
                k.clone()
            } else {
                format!("{USER_PREFIX}{k}")
            };
            (key, v.clone())
        })
        .collect()
}

/// Go marshals maps with sorted keys; the installed objects show that order.
fn sorted(d: &Data) -> Data {
    match d {
        Data::Map(m) => {
            let mut entries: Vec<_> = m.iter().map(|(k, v)| (k.clone(), sorted(v))).collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Data::Map(entries.into_iter().collect())
        }
        Data::List(l) => Data::List(l.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// The installed object for the authoring-format file `text`.
pub fn export(file: &str, text: &str) -> Result<Data, LoadError> {
    let parsed =
        ferrocue_parser::parse_file(file, text).map_err(|e| syntax_error(file, text, &e))?;
    let parts = split(file, text, &parsed)?;
    let meta = metadata(file, text, &parts)?;
    // The template must compile, as `vela def` checks it before writing the object.
    crate::def_authoring::load(file, text, &parsed)?;
    let template = crate::def_format::template_text(text, &parsed, &parts);

    let mut annotations: Vec<(String, Data)> = prefixed(&meta.annotations);
    let set = |list: &mut Vec<(String, Data)>, k: &str, v: &str| {
        list.retain(|(key, _)| key != k);
        list.push((k.to_string(), Data::string(v)));
    };
    if let Some(a) = &meta.alias {
        set(&mut annotations, ALIAS_KEY, a);
    }
    if let Some(d) = &meta.description {
        set(&mut annotations, DESCRIPTION_KEY, d);
    }
    let labels = prefixed(&meta.labels);

    let mut md = Map::new();
    if !annotations.is_empty() {
        md.insert(
            "annotations".into(),
            sorted(&Data::Map(annotations.into_iter().collect())),
        );
    }
    if !labels.is_empty() {
        md.insert(
            "labels".into(),
            sorted(&Data::Map(labels.into_iter().collect())),
        );
    }
    md.insert("name".into(), Data::string(meta.name.clone()));
    md.insert("namespace".into(), Data::string(NAMESPACE));

    let mut spec = meta.attributes.clone();
    let mut cue = Map::new();
    cue.insert("template".into(), Data::string(template));
    let mut schematic = Map::new();
    schematic.insert("cue".into(), Data::Map(cue));
    spec.insert("schematic".into(), Data::Map(schematic));

    let mut obj = Map::new();
    obj.insert("apiVersion".into(), Data::string("core.oam.dev/v1beta1"));
    obj.insert("kind".into(), Data::string(meta.kind.object_kind()));
    obj.insert("metadata".into(), Data::Map(md));
    obj.insert("spec".into(), sorted(&Data::Map(spec)));
    Ok(Data::Map(obj))
}
