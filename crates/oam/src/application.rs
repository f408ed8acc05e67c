//! The Application model: what `spec.components[]` and their traits say, read from YAML or JSON
//! data without any schema library (KubeVela's own fields only).

use ferrocue_export::data::Map;
use ferrocue_export::Data;

use crate::errors::RenderError;

/// An `core.oam.dev/v1beta1` Application.
#[derive(Clone, Debug, PartialEq)]
pub struct Application {
    pub name: String,
    /// `metadata.namespace`, `default` when absent.
    pub namespace: String,
    pub labels: Map,
    pub annotations: Map,
    pub components: Vec<Component>,
    /// `spec.components` as written, for `context.components`.
    pub raw_components: Data,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Component {
    pub name: String,
    pub type_name: String,
    /// `properties`, with floats that are whole numbers turned into integers as JSON does.
    pub properties: Option<Data>,
    pub traits: Vec<Trait>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Trait {
    pub type_name: String,
    pub properties: Option<Data>,
}

impl Application {
    /// Reads the first document of a YAML stream.
    pub fn from_yaml(name: &str, text: &str) -> Result<Self, RenderError> {
        let docs = ferrocue_export::read_yaml(name, text)
            .map_err(|e| RenderError::Application(e.to_string()))?;
        match docs.into_iter().next() {
            Some(d) => Self::from_data(&d),
            None => Err(RenderError::Application("empty document".into())),
        }
    }

    pub fn from_data(d: &Data) -> Result<Self, RenderError> {
        let bad = |m: &str| RenderError::Application(m.to_string());
        let root = as_map(d).ok_or_else(|| bad("not a mapping"))?;
        if let Some(kind) = root.get("kind") {
            if kind != &Data::string("Application") {
                return Err(bad("kind must be Application"));
            }
        }
        let meta = root.get("metadata").and_then(as_map);
        let name = meta
            .and_then(|m| str_of(m.get("name")))
            .ok_or_else(|| bad("metadata.name is missing"))?;
        let namespace = meta
            .and_then(|m| str_of(m.get("namespace")))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "default".to_string());
        let labels = meta
            .and_then(|m| m.get("labels"))
            .and_then(as_map)
            .cloned()
            .unwrap_or_default();
        let annotations = meta
            .and_then(|m| m.get("annotations"))
            .and_then(as_map)
            .cloned()
            .unwrap_or_default();
        let spec = root.get("spec").and_then(as_map);
        let raw = spec
            .and_then(|s| s.get("components"))
            .cloned()
            .unwrap_or(Data::List(vec![]));
        let Data::List(items) = &raw else {
            return Err(bad("spec.components must be a list"));
        };
        let mut components = Vec::new();
        for (i, c) in items.iter().enumerate() {
            let m =
                as_map(c).ok_or_else(|| bad(&format!("spec.components[{i}] is not a mapping")))?;
            let cname = str_of(m.get("name"))
                .ok_or_else(|| bad(&format!("spec.components[{i}].name is missing")))?;
            let ctype = str_of(m.get("type"))
                .ok_or_else(|| bad(&format!("component {cname:?}: type is missing")))?;
            let mut traits = Vec::new();
            if let Some(Data::List(ts)) = m.get("traits") {
                for (j, t) in ts.iter().enumerate() {
                    let tm = as_map(t).ok_or_else(|| {
                        bad(&format!(
                            "component {cname:?}: traits[{j}] is not a mapping"
                        ))
                    })?;
                    let ttype = str_of(tm.get("type")).ok_or_else(|| {
                        bad(&format!("component {cname:?}: traits[{j}].type is missing"))
                    })?;
                    traits.push(Trait {
                        type_name: ttype,
                        properties: properties(tm.get("properties")),
                    });
                }
            }
            components.push(Component {
                name: cname,
                type_name: ctype,
                properties: properties(m.get("properties")),
                traits,
            });
        }
        Ok(Application {
            name,
            namespace,
            labels,
            annotations,
            components,
            raw_components: json_form(&raw),
        })
    }
}

fn properties(d: Option<&Data>) -> Option<Data> {
    match d {
        None | Some(Data::Null) => None,
        Some(d) => Some(json_form(d)),
    }
}

fn as_map(d: &Data) -> Option<&Map> {
    match d {
        Data::Map(m) => Some(m),
        _ => None,
    }
}

fn str_of(d: Option<&Data>) -> Option<String> {
    match d {
        Some(Data::String(s)) => Some(s.clone()),
        _ => None,
    }
}

/// The value as it comes back from a round trip through Go's `encoding/json` with float64
/// numbers: whole floats print as integers (`1.0` → `1`), so templates see them as `int`.
pub fn json_form(d: &Data) -> Data {
    match d {
        Data::Float(text) => match text.parse::<f64>() {
            // Below 1e21 Go prints a whole float64 without an exponent, and the cast is exact.
            Ok(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e21 => {
                Data::Int((f as i128).into())
            }
            _ => d.clone(),
        },
        Data::List(l) => Data::List(l.iter().map(json_form).collect()),
        Data::Map(m) => Data::Map(m.iter().map(|(k, v)| (k.clone(), json_form(v))).collect()),
        other => other.clone(),
    }
}
