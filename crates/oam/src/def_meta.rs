//! What a definition says besides its template: description, labels, annotations and the
//! `attributes` (the installed object's `spec` without `schematic`), with typed accessors for
//! the ones ferrocue acts on (workload type, applicability, conflicts, status strings).

use ferrocue_export::data::Map;
use ferrocue_export::Data;

/// The form a definition was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Form {
    /// `vela def` authoring format: `<name>: {type, description, …}` plus `template: {…}`.
    Authoring,
    /// An installed `ComponentDefinition` / `TraitDefinition` / `PolicyDefinition` object.
    Kubernetes,
    /// A bare template (file name = type name); no metadata.
    Bare,
}

impl Form {
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Authoring => "authoring",
            Form::Kubernetes => "kubernetes",
            Form::Bare => "bare",
        }
    }
}

/// Metadata of one definition, in the authoring format's terms: `labels` and `annotations` are
/// the user's keys (without KubeVela's `custom.definition.oam.dev/` prefix).
#[derive(Clone, Debug, PartialEq)]
pub struct DefinitionMeta {
    pub form: Form,
    /// `description` (the `definition.oam.dev/description` annotation); empty when absent.
    pub description: String,
    /// `alias` (the `definition.oam.dev/alias` annotation).
    pub alias: Option<String>,
    pub labels: Map,
    pub annotations: Map,
    /// Everything under `attributes`, in source order (the object's `spec` minus `schematic`).
    pub attributes: Map,
}

/// The status strings of `attributes.status` (CUE sources, evaluated against live objects).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusAttributes {
    pub health_policy: Option<String>,
    pub custom_status: Option<String>,
    pub details: Option<String>,
}

impl DefinitionMeta {
    /// No metadata (a bare template).
    pub fn bare() -> Self {
        DefinitionMeta {
            form: Form::Bare,
            description: String::new(),
            alias: None,
            labels: Map::new(),
            annotations: Map::new(),
            attributes: Map::new(),
        }
    }

    fn attr(&self, path: &[&str]) -> Option<&Data> {
        let (first, rest) = path.split_first()?;
        let mut cur = self.attributes.get(*first)?;
        for key in rest {
            match cur {
                Data::Map(m) => cur = m.get(*key)?,
                _ => return None,
            }
        }
        Some(cur)
    }

    fn attr_str(&self, path: &[&str]) -> Option<&str> {
        match self.attr(path)? {
            Data::String(s) => Some(s),
            _ => None,
        }
    }

    fn attr_strings(&self, key: &str) -> Vec<String> {
        match self.attr(&[key]) {
            Some(Data::List(items)) => items
                .iter()
                .filter_map(|d| match d {
                    Data::String(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// `attributes.workload.type` of a component (e.g. `deployments.apps`).
    pub fn workload_type(&self) -> Option<&str> {
        self.attr_str(&["workload", "type"])
    }

    /// `attributes.workload.definition` of a component: `(apiVersion, kind)`.
    pub fn workload_definition(&self) -> Option<(&str, &str)> {
        Some((
            self.attr_str(&["workload", "definition", "apiVersion"])?,
            self.attr_str(&["workload", "definition", "kind"])?,
        ))
    }

    /// `attributes.definitionRef.name`: the resource (`<resource>.<group>`) a trait or policy
    /// stands for, when it declares one.
    pub fn definition_ref(&self) -> Option<&str> {
        self.attr_str(&["definitionRef", "name"])
    }

    /// `attributes.appliesToWorkloads` of a trait (empty: applies everywhere).
    pub fn applies_to_workloads(&self) -> Vec<String> {
        self.attr_strings("appliesToWorkloads")
    }

    /// `attributes.conflictsWith` of a trait.
    pub fn conflicts_with(&self) -> Vec<String> {
        self.attr_strings("conflictsWith")
    }

    /// `attributes.podDisruptive` of a trait.
    pub fn pod_disruptive(&self) -> Option<bool> {
        match self.attr(&["podDisruptive"]) {
            Some(Data::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// `attributes.stage` of a trait (`PreDispatch`, `PostDispatch`, …).
    pub fn stage(&self) -> Option<&str> {
        self.attr_str(&["stage"])
    }

    /// `attributes.status`: health policy, custom status and details (absent strings are
    /// `None`; an empty string counts as absent, as in KubeVela).
    pub fn status(&self) -> StatusAttributes {
        let get = |k: &str| {
            self.attr_str(&["status", k])
                .filter(|s| !s.trim().is_empty())
                .map(str::to_string)
        };
        StatusAttributes {
            health_policy: get("healthPolicy"),
            custom_status: get("customStatus"),
            details: get("details"),
        }
    }
}
