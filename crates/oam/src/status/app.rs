//! The status of a whole Application from its live objects, as KubeVela's controller
//! aggregates it (`collectHealthStatus`): each component's workload status, each trait's
//! status, PostDispatch traits pending while the workload is unhealthy.

use ferrocue_eval::Limits;
use ferrocue_export::data::Map;
use ferrocue_export::Data;

use crate::application::{Application, Component};
use crate::definition::Kind;
use crate::errors::RenderError;
use crate::render::{RenderedObject, Renderer, AUXILIARY_WORKLOAD};

use super::live::{describe, LiveObjects};
use super::registry::StatusRegistry;
use super::StatusOutcome;

/// The message of a PostDispatch trait waiting for its component.
pub const PENDING_MESSAGE: &str = "\u{23f3} Waiting for component to be healthy";

/// One trait's status.
#[derive(Clone, Debug, PartialEq)]
pub struct TraitStatus {
    pub type_name: String,
    pub healthy: bool,
    /// A PostDispatch trait not applied yet because the workload is unhealthy.
    pub pending: bool,
    pub message: String,
    pub details: Map,
    /// Why the policy could not be evaluated (KubeVela logs these); not part of the status.
    pub problems: Vec<String>,
}

/// One component's aggregated status.
#[derive(Clone, Debug, PartialEq)]
pub struct ComponentStatus {
    pub name: String,
    pub type_name: String,
    pub namespace: String,
    /// The workload healthy and every trait that is not pending healthy.
    pub healthy: bool,
    pub workload_healthy: bool,
    /// The workload's message, else the first non-empty trait message.
    pub message: String,
    /// The workload's details.
    pub details: Map,
    pub traits: Vec<TraitStatus>,
    /// Why the workload's policy could not be evaluated; not part of the status.
    pub problems: Vec<String>,
    /// Rendered objects with no live counterpart (KubeVela cannot read their status either;
    /// the component, or the trait that owns them, counts as unhealthy).
    pub missing: Vec<String>,
}

fn details_map(o: &StatusOutcome) -> Map {
    o.details
        .iter()
        .map(|(k, v)| (k.clone(), Data::string(v.clone())))
        .collect()
}

fn has_kind(d: &Data) -> bool {
    matches!(d, Data::Map(m) if matches!(m.get("kind"), Some(Data::String(k)) if !k.is_empty()))
}

/// The base of every status context: KubeVela passes only these context values.
fn base_context(comp: &Component, app: &Application, app_revision: &str) -> Map {
    let mut m = Map::new();
    m.insert("name".into(), Data::string(comp.name.clone()));
    m.insert("appName".into(), Data::string(app.name.clone()));
    m.insert("appRevision".into(), Data::string(app_revision));
    m
}

/// The aggregated status of every component of `app`, rendering it with `renderer` to know
/// which live objects belong to which component and trait.
pub fn application_status(
    renderer: &Renderer,
    registry: &StatusRegistry,
    app: &Application,
    live: &LiveObjects,
    limits: Limits,
) -> Result<Vec<ComponentStatus>, RenderError> {
    let rendered = renderer.render(app)?;
    let app_revision = renderer.context().app_revision_for(&app.name);
    let namespace = renderer.context().namespace_for(app);
    let mut out = Vec::new();
    for comp in &app.components {
        let objects: Vec<&RenderedObject> = rendered
            .iter()
            .filter(|o| o.component == comp.name)
            .collect();
        out.push(component_status(
            registry,
            app,
            comp,
            &objects,
            live,
            &app_revision,
            &namespace,
            limits,
        ));
    }
    Ok(out)
}

/// Live objects of `objects` keyed by their `outputs` name; unmatched ones go to `missing`.
fn live_outputs<'a>(
    objects: impl Iterator<Item = &'a &'a RenderedObject>,
    live: &LiveObjects,
    missing: &mut Vec<String>,
) -> Map {
    let mut outputs = Map::new();
    for o in objects {
        match live.find(&o.object) {
            Some(l) => {
                outputs.insert(o.resource.clone(), l.clone());
            }
            None => missing.push(describe(&o.object)),
        }
    }
    outputs
}

#[allow(clippy::too_many_arguments)]
fn component_status(
    registry: &StatusRegistry,
    app: &Application,
    comp: &Component,
    objects: &[&RenderedObject],
    live: &LiveObjects,
    app_revision: &str,
    namespace: &str,
    limits: Limits,
) -> ComponentStatus {
    let mut missing = Vec::new();
    let base = base_context(comp, app, app_revision);

    // The workload: `output` is the live workload, `outputs` its live auxiliaries.
    let mut ctx = base.clone();
    let mut workload_found = true;
    // A component whose template renders no object (an empty `output`) has no workload to
    // read back, like KubeVela's components that skip the workload.
    let workload = objects
        .iter()
        .find(|o| o.trait_type.is_none() && has_kind(&o.object));
    if let Some(w) = workload {
        match live.find(&w.object) {
            Some(l) => {
                ctx.insert("output".into(), l.clone());
            }
            None => {
                workload_found = false;
                missing.push(describe(&w.object));
            }
        }
    }
    let before = missing.len();
    let aux = objects
        .iter()
        .filter(|o| o.trait_type.as_deref() == Some(AUXILIARY_WORKLOAD));
    let outputs = live_outputs(aux, live, &mut missing);
    workload_found &= missing.len() == before;
    if !outputs.is_empty() {
        ctx.insert("outputs".into(), Data::Map(outputs));
    }
    ctx.insert(
        "parameter".into(),
        comp.properties.clone().unwrap_or(Data::Null),
    );
    let (workload_healthy, mut message, details, problems) = if workload_found {
        let w = registry.evaluate(
            Kind::Component,
            &comp.type_name,
            &ctx,
            comp.properties.as_ref(),
            limits,
        );
        (w.healthy, w.message.clone(), details_map(&w), w.problems)
    } else {
        (false, String::new(), Map::new(), Vec::new())
    };

    let mut traits = Vec::new();
    for t in &comp.traits {
        let entry = registry.get(Kind::Trait, &t.type_name);
        if !workload_healthy && entry.is_some_and(|e| e.is_post_dispatch()) {
            traits.push(TraitStatus {
                type_name: t.type_name.clone(),
                healthy: false,
                pending: true,
                message: PENDING_MESSAGE.into(),
                details: Map::new(),
                problems: Vec::new(),
            });
            continue;
        }
        let before = missing.len();
        let own = objects
            .iter()
            .filter(|o| o.trait_type.as_deref() == Some(t.type_name.as_str()));
        let outputs = live_outputs(own, live, &mut missing);
        let status = if missing.len() > before {
            TraitStatus {
                type_name: t.type_name.clone(),
                healthy: false,
                pending: false,
                message: String::new(),
                details: Map::new(),
                problems: Vec::new(),
            }
        } else {
            let mut tctx = base.clone();
            if !outputs.is_empty() {
                tctx.insert("outputs".into(), Data::Map(outputs));
            }
            tctx.insert(
                "parameter".into(),
                t.properties.clone().unwrap_or(Data::Null),
            );
            let o = registry.evaluate(
                Kind::Trait,
                &t.type_name,
                &tctx,
                t.properties.as_ref(),
                limits,
            );
            TraitStatus {
                type_name: t.type_name.clone(),
                healthy: o.healthy,
                pending: false,
                message: o.message.clone(),
                details: details_map(&o),
                problems: o.problems,
            }
        };
        if message.is_empty() && !status.message.is_empty() {
            message = status.message.clone();
        }
        traits.push(status);
    }
    let traits_healthy = traits.iter().all(|t| t.pending || t.healthy);
    ComponentStatus {
        name: comp.name.clone(),
        type_name: comp.type_name.clone(),
        namespace: namespace.to_string(),
        healthy: workload_healthy && traits_healthy,
        workload_healthy,
        message,
        details,
        traits,
        problems,
        missing,
    }
}

impl TraitStatus {
    pub fn to_data(&self) -> Data {
        let mut m = Map::new();
        m.insert("type".into(), Data::string(self.type_name.clone()));
        m.insert("healthy".into(), Data::Bool(self.healthy));
        if self.pending {
            m.insert("pending".into(), Data::Bool(true));
        }
        m.insert("message".into(), Data::string(self.message.clone()));
        m.insert("details".into(), Data::Map(self.details.clone()));
        Data::Map(m)
    }
}

impl ComponentStatus {
    /// The status as data (what `ferrocue status APP --live …` prints for a component).
    pub fn to_data(&self) -> Data {
        let mut m = Map::new();
        m.insert("name".into(), Data::string(self.name.clone()));
        m.insert("type".into(), Data::string(self.type_name.clone()));
        m.insert("namespace".into(), Data::string(self.namespace.clone()));
        m.insert("healthy".into(), Data::Bool(self.healthy));
        m.insert("workloadHealthy".into(), Data::Bool(self.workload_healthy));
        m.insert("message".into(), Data::string(self.message.clone()));
        m.insert("details".into(), Data::Map(self.details.clone()));
        m.insert(
            "traits".into(),
            Data::List(self.traits.iter().map(TraitStatus::to_data).collect()),
        );
        if !self.missing.is_empty() {
            m.insert(
                "missing".into(),
                Data::List(
                    self.missing
                        .iter()
                        .map(|s| Data::string(s.clone()))
                        .collect(),
                ),
            );
        }
        Data::Map(m)
    }
}
