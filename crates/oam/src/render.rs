//! Rendering: a component's template with its parameter and context, then its traits in order
//! (outputs, patch, patchOutputs), then the OAM stamping `vela dry-run` does.

use ferrocue_eval::instance::{FieldKind, Instance, Syntax};
use ferrocue_eval::ir::Pos;
use ferrocue_eval::Limits;
use ferrocue_export::data::Map;
use ferrocue_export::Data;

use crate::application::{Application, Component};
use crate::context::ContextOptions;
use crate::definition::{Definition, DefinitionSet, Kind, DECLARATIONS_FILE};
use crate::errors::{format_plain, format_validation, CueError, RenderError};
use crate::labels::{stamp, Role, Stamp};
use crate::tags::{Seg, Step};
use crate::{json_merge_patch, json_patch, strategic};

/// `trait.oam.dev/type` of a component's own `outputs`.
pub const AUXILIARY_WORKLOAD: &str = "AuxiliaryWorkload";

/// One object of a component as rendered so far: its concrete form and the value with its
/// defaults kept (what the next patch unifies with).
#[derive(Clone, Debug)]
pub struct Part {
    pub data: Data,
    pub syntax: Syntax,
}

/// An auxiliary object: the `outputs` key and the type that made it.
#[derive(Clone, Debug)]
pub struct Auxiliary {
    /// The trait type, or [`AUXILIARY_WORKLOAD`] for the component's own `outputs`.
    pub trait_type: String,
    pub name: String,
    pub part: Part,
}

/// A component rendered with its traits, before OAM stamping.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    pub workload: Option<Part>,
    pub auxiliaries: Vec<Auxiliary>,
}

/// One object of the dry-run output.
#[derive(Clone, Debug, PartialEq)]
pub struct RenderedObject {
    pub component: String,
    /// `None` for the workload, else the trait type (or [`AUXILIARY_WORKLOAD`]).
    pub trait_type: Option<String>,
    /// The `outputs` key of an auxiliary; empty for the workload.
    pub resource: String,
    pub object: Data,
}

/// Renders Applications with a fixed set of definitions, from any number of threads.
///
/// Definitions are parsed, compiled and checked once, when the renderer is built. A compiled
/// template is immutable and shared (`Arc`); each render only compiles its `parameter` and
/// `context` data into a small overlay of it and evaluates that, with evaluation state local
/// to the render.
///
/// ```
/// use ferrocue_oam::{Application, Definition, DefinitionSet, Kind, Renderer};
///
/// // `DefinitionSet::builtin()` holds the built-in ones; here one small definition of our own.
/// let mut defs = DefinitionSet::default();
/// let template = r#"
///     output: {apiVersion: "apps/v1", kind: "Deployment", spec: replicas: *1 | int}
///     parameter: {}
/// "#;
/// defs.insert(Definition::new(Kind::Component, "worker", "worker.cue", template).unwrap());
/// let scaler = "patch: spec: replicas: parameter.replicas\nparameter: replicas: int\n";
/// defs.insert(Definition::new(Kind::Trait, "scaler", "scaler.cue", scaler).unwrap());
///
/// let mut renderer = Renderer::new(defs); // every template is parsed and checked once, here
/// renderer.context_mut().cluster = "prod".into();
/// let app = Application::from_yaml(
///     "app.yaml",
///     "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: {name: demo}\n\
///      spec:\n  components:\n  - name: web\n    type: worker\n\
///      \x20   traits: [{type: scaler, properties: {replicas: 3}}]\n",
/// )
/// .unwrap();
/// let objects = renderer.render(&app).unwrap(); // from any number of threads
/// assert_eq!(objects[0].component, "web");
/// let yaml = ferrocue_export::to_yaml(&objects[0].object);
/// assert!(yaml.contains("replicas: 3"));
/// assert!(yaml.contains("app.oam.dev/name: demo"));
/// ```
#[derive(Clone, Debug)]
pub struct Renderer {
    definitions: DefinitionSet,
    context: ContextOptions,
    limits: Limits,
    trait_checks: crate::trait_check::TraitChecks,
}

impl Renderer {
    /// A renderer over the built-in definitions with the default context.
    pub fn builtin() -> Result<Self, RenderError> {
        Ok(Self::new(DefinitionSet::builtin()?))
    }

    pub fn new(definitions: DefinitionSet) -> Self {
        Renderer {
            definitions,
            context: ContextOptions::default(),
            limits: Limits::default(),
            trait_checks: crate::trait_check::TraitChecks::default(),
        }
    }

    /// What trait applicability/conflict problems do (see [`crate::trait_check`]): `Warn`
    /// (the default) reports them through [`Renderer::render_checked`] only, `Enforce` makes
    /// them errors of every render, `Off` skips the checks.
    pub fn set_trait_checks(&mut self, checks: crate::trait_check::TraitChecks) {
        self.trait_checks = checks;
    }

    pub fn trait_checks(&self) -> crate::trait_check::TraitChecks {
        self.trait_checks
    }

    pub fn definitions(&self) -> &DefinitionSet {
        &self.definitions
    }

    pub fn context(&self) -> &ContextOptions {
        &self.context
    }

    /// The evaluation budgets of every template evaluation (each gets the full budget).
    pub fn limits_mut(&mut self) -> &mut Limits {
        &mut self.limits
    }

    /// The context values every render uses (see [`ContextOptions`] for the defaults).
    pub fn context_mut(&mut self) -> &mut ContextOptions {
        &mut self.context
    }

    /// Parses an Application (YAML or JSON) and renders it.
    pub fn render_yaml(&self, name: &str, text: &str) -> Result<Vec<RenderedObject>, RenderError> {
        self.render(&Application::from_yaml(name, text)?)
    }

    /// Every object `vela dry-run` prints for `app`, in order: per component the workload, the
    /// component's `outputs`, then each trait's `outputs`.
    pub fn render(&self, app: &Application) -> Result<Vec<RenderedObject>, RenderError> {
        let mut out = Vec::new();
        let app_revision = self.context.app_revision_for(&app.name);
        let namespace = self.context.namespace_for(app);
        for comp in &app.components {
            let r = self.render_component(app, comp)?;
            let mut push = |trait_type: Option<&str>, resource: &str, mut obj: Data| {
                let role = match trait_type {
                    None => Role::Workload {
                        component_type: &comp.type_name,
                    },
                    Some(t) => Role::Auxiliary {
                        trait_type: t,
                        resource,
                    },
                };
                stamp(
                    &mut obj,
                    &Stamp {
                        app,
                        component: &comp.name,
                        app_revision: &app_revision,
                        namespace: &namespace,
                        role,
                    },
                );
                out.push(RenderedObject {
                    component: comp.name.clone(),
                    trait_type: trait_type.map(str::to_string),
                    resource: resource.to_string(),
                    object: obj,
                });
            };
            if let Some(w) = r.workload {
                push(None, "", w.data);
            }
            for a in r.auxiliaries {
                push(Some(&a.trait_type), &a.name, a.part.data);
            }
        }
        if self.trait_checks == crate::trait_check::TraitChecks::Enforce {
            crate::trait_check::enforce(&self.definitions, app, &out)?;
        }
        Ok(out)
    }

    /// One component and its traits, before OAM stamping.
    pub fn render_component(
        &self,
        app: &Application,
        comp: &Component,
    ) -> Result<Rendered, RenderError> {
        let def = self.lookup(Kind::Component, &comp.type_name, &comp.name)?;
        let ctx = self.context.component_context(app, comp);
        let mut r = complete_workload(def, comp.properties.as_ref(), &ctx, self.limits).map_err(
            |message| RenderError::Component {
                component: comp.name.clone(),
                message,
            },
        )?;
        for t in &comp.traits {
            let tdef = self.lookup(Kind::Trait, &t.type_name, &comp.name)?;
            complete_trait(
                tdef,
                t.properties.as_ref(),
                &ctx,
                &comp.type_name,
                &mut r,
                self.limits,
            )
            .map_err(|message| RenderError::Trait {
                component: comp.name.clone(),
                trait_type: t.type_name.clone(),
                message,
            })?;
        }
        Ok(r)
    }

    fn lookup(&self, kind: Kind, name: &str, component: &str) -> Result<&Definition, RenderError> {
        self.definitions
            .get(kind, name)
            .ok_or_else(|| RenderError::UnknownType {
                kind: kind.as_str(),
                name: name.to_string(),
                component: component.to_string(),
                known: self.definitions.names(kind),
            })
    }
}

/// Evaluates a definition's compiled template with its parameter and context added as data.
fn evaluate(
    def: &Definition,
    params: Option<&Data>,
    always_parameter: bool,
    ctx: Data,
    limits: Limits,
) -> Result<Instance, String> {
    let empty = Data::Map(Map::new());
    let mut fields = Vec::with_capacity(2);
    match params {
        Some(p) => fields.push(("parameter", p)),
        None if always_parameter => fields.push(("parameter", &empty)),
        None => {}
    }
    fields.push(("context", &ctx));
    let at = Pos {
        file: DECLARATIONS_FILE,
        offset: 0,
    };
    Instance::with_data(&def.program, &fields, at, limits)
}

/// KubeVela's checks after evaluation: no error anywhere (incomplete values are fine), then the
/// user's own `errs`.
fn validate(inst: &mut Instance, def: &Definition) -> Result<(), String> {
    let root = inst.root();
    let errs: Vec<CueError> = inst.errors(root).into_iter().map(CueError::from).collect();
    if !errs.is_empty() {
        let kind = match def.kind {
            Kind::Component => "workload",
            Kind::Trait => "trait",
            Kind::Policy => "policy",
        };
        return Err(format_validation(kind, &def.name, &errs));
    }
    if let Some(v) = inst.lookup(&["errs"]) {
        if let Ok(Data::List(items)) = inst.export(v) {
            let msgs: Vec<String> = items
                .iter()
                .filter_map(|d| match d {
                    Data::String(s) => Some(s.clone()),
                    _ => None,
                })
                .collect();
            if !msgs.is_empty() {
                return Err(msgs.join(", "));
            }
        }
    }
    Ok(())
}

fn export_part(inst: &mut Instance, path: &[&str]) -> Result<Option<Part>, String> {
    let Some(v) = inst.lookup(path) else {
        return Ok(None);
    };
    let data = inst.export(v).map_err(|errs| {
        let errs: Vec<CueError> = errs.into_iter().map(CueError::from).collect();
        format!(
            "{} is not concrete:\n{}",
            path.join("."),
            format_plain(&errs)
        )
    })?;
    let syntax = inst.syntax(v);
    Ok(Some(Part { data, syntax }))
}

/// The regular fields of `outputs` (or `patchOutputs`), in source order.
fn output_names(inst: &mut Instance, field: &str) -> Vec<String> {
    match inst.lookup(&[field]) {
        Some(v) => inst
            .fields(v)
            .into_iter()
            .filter(|(_, k, _)| *k == FieldKind::Regular)
            .map(|(n, _, _)| n)
            .collect(),
        None => vec![],
    }
}

/// A component's template: the workload (`output`) and its own auxiliaries (`outputs`).
pub fn complete_workload(
    def: &Definition,
    params: Option<&Data>,
    ctx: &Map,
    limits: Limits,
) -> Result<Rendered, String> {
    let mut inst = evaluate(def, params, true, Data::Map(ctx.clone()), limits)?;
    validate(&mut inst, def)?;
    let workload = export_part(&mut inst, &["output"])?;
    let mut auxiliaries = Vec::new();
    for name in output_names(&mut inst, "outputs") {
        if let Some(part) = export_part(&mut inst, &["outputs", &name])? {
            auxiliaries.push(Auxiliary {
                trait_type: AUXILIARY_WORKLOAD.to_string(),
                name,
                part,
            });
        }
    }
    Ok(Rendered {
        workload,
        auxiliaries,
    })
}

/// One trait applied to a rendered component: its `outputs` are added, its `patch` merged into
/// the workload, its `patchOutputs` into the auxiliaries of the same name.
pub fn complete_trait(
    def: &Definition,
    params: Option<&Data>,
    component_ctx: &Map,
    component_type: &str,
    r: &mut Rendered,
    limits: Limits,
) -> Result<(), String> {
    let mut ctx = component_ctx.clone();
    // Copying the workload into the context costs compiling and evaluating it once more per
    // trait; a template that cannot see it (`Definition::reads_context_output`) gets none.
    if let Some(w) = r.workload.as_ref().filter(|_| def.reads_context_output) {
        ctx.insert("output".into(), w.data.clone());
    }
    let mut outputs = Map::new();
    if def.reads_context_outputs {
        for a in &r.auxiliaries {
            outputs.insert(a.name.clone(), a.part.data.clone());
        }
    }
    ctx.insert("outputs".into(), Data::Map(outputs));
    ctx.insert("componentType".into(), Data::string(component_type));

    let mut inst = evaluate(def, params, false, Data::Map(ctx), limits)?;
    validate(&mut inst, def)?;
    for name in output_names(&mut inst, "outputs") {
        if let Some(part) = export_part(&mut inst, &["outputs", &name])? {
            r.auxiliaries.push(Auxiliary {
                trait_type: def.name.clone(),
                name,
                part,
            });
        }
    }
    if let Some(pv) = inst.lookup(&["patch"]) {
        let Some(work) = r.workload.as_mut() else {
            return Err("patch: the component has no workload (output) to patch".into());
        };
        let strategy = def
            .tags
            .get(&[], &[Step::Field("patch".into())], "patchStrategy");
        *work = match strategy.as_deref() {
            Some("jsonMergePatch") => {
                let p = concrete(&mut inst, pv, "patch")?;
                let data = json_merge_patch::merge_patch(&work.data, &p);
                Part {
                    syntax: Syntax::from_data(&data),
                    data,
                }
            }
            Some("jsonPatch") => {
                let p = concrete(&mut inst, pv, "patch")?;
                // KubeVela marshals `patch.operations`; a missing field fails there.
                let ops = match &p {
                    Data::Map(m) => m.get("operations").cloned(),
                    _ => None,
                }
                .ok_or("patch: a jsonPatch patch must have a field operations")?;
                let data = json_patch::apply(&work.data, &ops)?;
                Part {
                    syntax: Syntax::from_data(&data),
                    data,
                }
            }
            _ => {
                let patch = inst.syntax(pv);
                strategic_part(work, patch, def, &[Seg::Field("patch".into())])
                    .map_err(|e| format!("patch: {e}"))?
            }
        };
    }
    for name in output_names(&mut inst, "patchOutputs") {
        let Some(pv) = inst.lookup(&["patchOutputs", &name]) else {
            continue;
        };
        let patch = inst.syntax(pv);
        let prefix = [Seg::Field("patchOutputs".into()), Seg::Field(name.clone())];
        for a in r.auxiliaries.iter_mut().filter(|a| a.name == name) {
            a.part = strategic_part(&a.part, patch.clone(), def, &prefix)
                .map_err(|e| format!("patchOutputs.{name}: {e}"))?;
        }
    }
    Ok(())
}

fn concrete(
    inst: &mut Instance,
    v: ferrocue_eval::instance::ValueRef,
    what: &str,
) -> Result<Data, String> {
    inst.export(v).map_err(|errs| {
        let errs: Vec<CueError> = errs.into_iter().map(CueError::from).collect();
        format!("{what} is not concrete:\n{}", format_plain(&errs))
    })
}

fn strategic_part(
    base: &Part,
    mut patch: Syntax,
    def: &Definition,
    prefix: &[Seg],
) -> Result<Part, String> {
    let mut b = base.syntax.clone();
    strategic::prepare(&mut b, &mut patch, &def.tags, prefix);
    let (syntax, data) = strategic::unify(&b, &patch).map_err(|e| format_plain(&e))?;
    Ok(Part { data, syntax })
}
