//! Trait applicability and conflict checks, as KubeVela's admission webhook made them (removed
//! from KubeVela in 2023; ferrocue makes them again, as warnings or, on request, errors), in
//! its words:
//! `the trait %q cannot apply to workload %q of component %q (appliable: %q)` and
//! `conflict(rule: %q) between traits (%q and %q) of component %q is detected`.

use ferrocue_export::Data;

use crate::application::{Application, Component};
use crate::definition::{DefinitionSet, Kind};
use crate::errors::RenderError;
use crate::render::{RenderedObject, Renderer};

/// What to do with a failed trait check.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TraitChecks {
    /// Do not check.
    Off,
    /// Check and report the problems next to the objects (the CLI prints them as warnings).
    #[default]
    Warn,
    /// A problem is a render error.
    Enforce,
}

/// One failed check, worded as KubeVela worded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraitIssue {
    pub component: String,
    pub trait_type: String,
    pub message: String,
}

/// Go's `%q` of a string (what KubeVela's messages print).
fn go_quote(s: &str) -> String {
    let mut out = String::from('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%q` of a `[]string`: `["a" "b"]`.
fn go_quote_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| go_quote(s)).collect();
    format!("[{}]", inner.join(" "))
}

/// The API group of a `<resource>.<group>` name (`deployments.apps` → `apps`; a name without
/// a dot is in the core group, ``).
fn group_of(resource: &str) -> &str {
    resource.split_once('.').map_or("", |(_, g)| g)
}

/// The `<resource>.<group>` of an object from its `apiVersion` and `kind`, as KubeVela's
/// auto-detection names it (`apps/v1` `Deployment` → `deployments.apps`; `v1` `Service` →
/// `services`). The resource is the kind lowercased and pluralised the way Kubernetes'
/// default RESTMapper does it.
pub fn resource_of(api_version: &str, kind: &str) -> String {
    let lower = kind.to_lowercase();
    let plural = if lower.ends_with('s') {
        format!("{lower}es")
    } else if let Some(stem) = lower.strip_suffix('y') {
        if stem.ends_with(['a', 'e', 'i', 'o', 'u']) {
            format!("{lower}s")
        } else {
            format!("{stem}ies")
        }
    } else {
        format!("{lower}s")
    };
    match api_version.split_once('/') {
        Some((group, _)) => format!("{plural}.{group}"),
        None => plural,
    }
}

/// The workload type (`<resource>.<group>`) of a component: its definition's
/// `attributes.workload.type`, or — when that is absent or `autodetects.core.oam.dev` — the
/// type of the object it rendered.
pub fn workload_type(defs: &DefinitionSet, comp: &Component, workload: Option<&Data>) -> String {
    let declared = defs
        .get(Kind::Component, &comp.type_name)
        .and_then(|d| d.meta.workload_type().map(str::to_string));
    match declared {
        Some(t) if t != "autodetects.core.oam.dev" => t,
        other => {
            let field = |k: &str| match workload {
                Some(Data::Map(m)) => match m.get(k) {
                    Some(Data::String(s)) => Some(s.clone()),
                    _ => None,
                },
                _ => None,
            };
            match (field("apiVersion"), field("kind")) {
                (Some(a), Some(k)) => resource_of(&a, &k),
                _ => other.unwrap_or_default(),
            }
        }
    }
}

/// True when a trait whose `appliesToWorkloads` is `applies` may be applied to a component of
/// type `component_type` whose workload type is `workload_type`: the list is empty, or one entry
/// is `*`, `*.<group>` of the workload's group, the workload type itself, or the component's
/// definition name.
pub fn applies_to(applies: &[String], component_type: &str, workload_type: &str) -> bool {
    applies.is_empty()
        || applies.iter().any(|a| {
            a == "*"
                || a.strip_prefix("*.")
                    .is_some_and(|g| !workload_type.is_empty() && g == group_of(workload_type))
                || (!workload_type.is_empty() && a == workload_type)
                || a == component_type
        })
}

/// The checks of one component: every trait's applicability, then the first conflict (KubeVela
/// stopped at the first one).
pub fn check_component(
    defs: &DefinitionSet,
    comp: &Component,
    workload: Option<&Data>,
) -> Vec<TraitIssue> {
    let mut issues = Vec::new();
    let wtype = workload_type(defs, comp, workload);
    let traits: Vec<_> = comp
        .traits
        .iter()
        .filter_map(|t| defs.get(Kind::Trait, &t.type_name))
        .collect();
    for t in &traits {
        let applies = t.meta.applies_to_workloads();
        if !applies_to(&applies, &comp.type_name, &wtype) {
            issues.push(TraitIssue {
                component: comp.name.clone(),
                trait_type: t.name.clone(),
                message: format!(
                    "the trait {} cannot apply to workload {} of component {} (appliable: {})",
                    go_quote(&t.name),
                    go_quote(&comp.type_name),
                    go_quote(&comp.name),
                    go_quote_list(&applies)
                ),
            });
        }
    }
    'owners: for owner in &traits {
        let rules = owner.meta.conflicts_with();
        if rules.iter().any(|r| r == "*") && traits.len() != 1 {
            issues.push(TraitIssue {
                component: comp.name.clone(),
                trait_type: owner.name.clone(),
                message: format!(
                    "trait {} of component {} conflicts with all other traits",
                    go_quote(&owner.name),
                    go_quote(&comp.name)
                ),
            });
            break;
        }
        for rule in &rules {
            for other in &traits {
                if other.name == owner.name {
                    continue;
                }
                let reference = other.meta.definition_ref().unwrap_or("");
                let matches = rule == &other.name
                    || (!reference.is_empty() && rule == reference)
                    || rule
                        .strip_prefix("*.")
                        .is_some_and(|g| !reference.is_empty() && g == group_of(reference))
                    || rule
                        .strip_prefix("labelSelector:")
                        .is_some_and(|sel| selector_matches(sel, &other.meta.labels));
                if matches {
                    issues.push(TraitIssue {
                        component: comp.name.clone(),
                        trait_type: owner.name.clone(),
                        message: format!(
                            "conflict(rule: {}) between traits ({} and {}) of component {} is \
                             detected",
                            go_quote(rule),
                            go_quote(&owner.name),
                            go_quote(&other.name),
                            go_quote(&comp.name)
                        ),
                    });
                    break 'owners;
                }
            }
        }
    }
    issues
}

/// A label selector of equality terms (`k=v`, `k==v`, `k!=v`, `k`, `!k`, comma-separated)
/// against a definition's labels.
fn selector_matches(selector: &str, labels: &ferrocue_export::data::Map) -> bool {
    let get = |k: &str| match labels.get(k) {
        Some(Data::String(s)) => Some(s.as_str()),
        _ => None,
    };
    selector.split(',').map(str::trim).all(|term| {
        if let Some((k, v)) = term.split_once("!=") {
            get(k.trim()) != Some(v.trim())
        } else if let Some((k, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
            get(k.trim()) == Some(v.trim())
        } else if let Some(k) = term.strip_prefix('!') {
            get(k.trim()).is_none()
        } else {
            !term.is_empty() && get(term).is_some()
        }
    })
}

/// Every check of an Application, given its rendered objects (for auto-detected workload
/// types).
pub fn check_application(
    defs: &DefinitionSet,
    app: &Application,
    objects: &[RenderedObject],
) -> Vec<TraitIssue> {
    let mut out = Vec::new();
    for comp in &app.components {
        let workload = objects
            .iter()
            .find(|o| o.component == comp.name && o.trait_type.is_none())
            .map(|o| &o.object);
        out.extend(check_component(defs, comp, workload));
    }
    out
}

/// The first problem of an Application as an error (`invalid application: the trait …`).
pub fn enforce(
    defs: &DefinitionSet,
    app: &Application,
    objects: &[RenderedObject],
) -> Result<(), RenderError> {
    match check_application(defs, app, objects).into_iter().next() {
        Some(first) => Err(RenderError::Application(first.message)),
        None => Ok(()),
    }
}

impl Renderer {
    /// Renders `app` and checks its traits' applicability and conflicts as the renderer is set
    /// to ([`Renderer::set_trait_checks`]): with `Enforce` the first problem is an error
    /// (`invalid application: the trait …`); with `Warn` the problems come back next to the
    /// objects; with `Off` there are none.
    pub fn render_checked(
        &self,
        app: &Application,
    ) -> Result<(Vec<RenderedObject>, Vec<TraitIssue>), RenderError> {
        let objects = self.render(app)?;
        let issues = match self.trait_checks() {
            TraitChecks::Off => Vec::new(),
            _ => check_application(self.definitions(), app, &objects),
        };
        Ok((objects, issues))
    }
}
