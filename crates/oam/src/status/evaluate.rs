//! KubeVela's `GetStatus` for one definition: `details`, then `isHealth` from the health
//! policy, then `message` from the custom status, each string compiled once and evaluated
//! against the live objects. Evaluation never fails: a string that cannot be evaluated
//! makes the object unhealthy (health) or leaves the message empty (custom status), and the
//! reason is kept in [`StatusOutcome::problems`].

use std::collections::BTreeMap;

use ferrocue_eval::stdlib::Val as DataVal;
use ferrocue_eval::Limits;
use ferrocue_export::data::Map;
use ferrocue_export::Data;

use super::compiled::{CompiledString, Lookup, RunFailure};
use super::details;
use super::value::{go_json, to_val};

/// The field of the health policy that decides health.
pub const IS_HEALTH: &str = "isHealth";
/// The field of the custom status that holds the message.
pub const MESSAGE: &str = "message";

/// A definition's status attributes (`attributes.status` in `vela def` form), as CUE text;
/// an empty string is an absent attribute.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusPolicy {
    pub health_policy: String,
    pub custom_status: String,
    pub details: String,
}

impl StatusPolicy {
    /// Whether the definition has any status attribute at all.
    pub fn is_empty(&self) -> bool {
        self.health_policy.is_empty() && self.custom_status.is_empty() && self.details.is_empty()
    }
}

/// A definition's status strings, each parsed and compiled once.
#[derive(Clone, Debug)]
pub struct CompiledStatus {
    health: CompiledString,
    custom: CompiledString,
    details: CompiledString,
}

/// What one status evaluation found.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusOutcome {
    pub healthy: bool,
    pub message: String,
    /// The shown details (`$` and `@local()`/`@private()` fields left out), by field name.
    pub details: BTreeMap<String, String>,
    /// `context.status` as the custom status saw it: `details` (typed, `$` fields included)
    /// and `healthy`, plus whatever the caller's context had there.
    pub context_status: Data,
    /// Why a string could not be evaluated, in KubeVela's log wording ("compile health
    /// template: …", "evaluate health status: …"); empty when everything evaluated.
    pub problems: Vec<String>,
    /// Set when the health policy could not be evaluated (the object counts as unhealthy).
    pub health_failed: bool,
    /// Set when the details string could not be evaluated at all (no details).
    pub details_failed: bool,
    /// Set when the custom status could not produce a message.
    pub message_failed: bool,
}

impl CompiledStatus {
    /// Compiles the three strings; `name` (the definition) prefixes their file names.
    pub fn new(name: &str, policy: &StatusPolicy) -> Self {
        CompiledStatus {
            health: CompiledString::compile(&format!("{name}/healthPolicy"), &policy.health_policy),
            custom: CompiledString::compile(&format!("{name}/customStatus"), &policy.custom_status),
            details: CompiledString::compile(&format!("{name}/details"), &policy.details),
        }
    }

    /// Whether a health policy is set (without one, everything is healthy).
    pub fn has_health_policy(&self) -> bool {
        !matches!(self.health, CompiledString::Empty)
    }

    /// KubeVela's `GetStatus`. `context` is the template context (`name`, `appName`,
    /// `appRevision`, `output`, `outputs`, `parameter`, …); `parameter` the raw properties
    /// (`None` is Go's `nil`: the strings then see `parameter: {}`).
    pub fn evaluate(
        &self,
        context: &Map,
        parameter: Option<&Data>,
        limits: Limits,
    ) -> StatusOutcome {
        let mut ctx = match go_json(&Data::Map(context.clone())) {
            Data::Map(m) => m,
            // go_json keeps a map a map.
            _ => Map::new(),
        };
        if matches!(ctx.get("status"), None | Some(Data::Null)) {
            ctx.insert("status".into(), Data::Map(Map::new()));
        }
        let param = match parameter {
            None | Some(Data::Null) => Data::Map(Map::new()),
            Some(p) => go_json(p),
        };
        let param_val = to_val(&param);
        let mut problems = Vec::new();

        // details
        let mut shown = BTreeMap::new();
        let mut details_failed = false;
        if !matches!(self.details, CompiledString::Empty) {
            match self.details_of(&ctx, &param_val, limits) {
                Ok(d) => {
                    shown = d.shown;
                    set_status_field(&mut ctx, "details", Data::Map(d.typed));
                }
                Err(m) => {
                    details_failed = true;
                    problems.push(format!("compile status fields template: {m}"));
                }
            }
        }

        // health
        let (healthy, health_failed) = match self.check_health_with(&ctx, &param_val, limits) {
            Ok(h) => (h, false),
            Err(m) => {
                problems.push(m);
                (false, true)
            }
        };
        set_status_field(&mut ctx, "healthy", Data::Bool(healthy));

        // message
        let (message, message_failed) = match self.message_with(&ctx, &param_val, limits) {
            Ok(m) => (m, false),
            Err(m) => {
                problems.push(m);
                (String::new(), true)
            }
        };

        StatusOutcome {
            healthy,
            message,
            details: shown,
            context_status: ctx.get("status").cloned().unwrap_or(Data::Null),
            problems,
            health_failed,
            details_failed,
            message_failed,
        }
    }

    /// KubeVela's `CheckHealth` alone: no policy is healthy, any failure is an error.
    pub fn check_health(
        &self,
        context: &Map,
        parameter: Option<&Data>,
        limits: Limits,
    ) -> Result<bool, String> {
        let ctx = go_json(&Data::Map(context.clone()));
        let Data::Map(ctx) = ctx else {
            return Err("context is not a map".into());
        };
        let param = match parameter {
            None | Some(Data::Null) => Data::Map(Map::new()),
            Some(p) => go_json(p),
        };
        self.check_health_with(&ctx, &to_val(&param), limits)
    }

    fn check_health_with(
        &self,
        ctx: &Map,
        param: &DataVal,
        limits: Limits,
    ) -> Result<bool, String> {
        let mut run = match self.health.run(&injected(ctx, param), limits) {
            Ok(r) => r,
            Err(RunFailure::Empty) => return Ok(true),
            Err(RunFailure::Compile(m)) => return Err(format!("compile health template: {m}")),
        };
        if let Some(e) = run.root_error() {
            return Err(format!("compile health template: {e}"));
        }
        match run.bool_field(IS_HEALTH) {
            Lookup::Found(b) => Ok(b),
            Lookup::Missing => Err(format!(
                "evaluate health status: field not found: {IS_HEALTH}"
            )),
            Lookup::Invalid(m) => Err(format!("evaluate health status: {m}")),
        }
    }

    fn message_with(&self, ctx: &Map, param: &DataVal, limits: Limits) -> Result<String, String> {
        let mut run = match self.custom.run(&injected(ctx, param), limits) {
            Ok(r) => r,
            Err(RunFailure::Empty) => return Ok(String::new()),
            Err(RunFailure::Compile(m)) => return Err(format!("compile status template: {m}")),
        };
        if let Some(e) = run.root_error() {
            return Err(format!("compile status template: {e}"));
        }
        match run.string_field(MESSAGE) {
            Lookup::Found(s) => Ok(s),
            Lookup::Missing => Err(format!(
                "evaluate customStatus.message: field not found: {MESSAGE}"
            )),
            Lookup::Invalid(m) => Err(format!("evaluate customStatus.message: {m}")),
        }
    }

    fn details_of(
        &self,
        ctx: &Map,
        param: &DataVal,
        limits: Limits,
    ) -> Result<details::Details, String> {
        let excluded = match &self.details {
            CompiledString::Ready(r) => r.excluded.clone(),
            _ => Vec::new(),
        };
        let mut run = match self.details.run(&injected(ctx, param), limits) {
            Ok(r) => r,
            Err(RunFailure::Empty) => return Ok(details::Details::default()),
            Err(RunFailure::Compile(m)) => return Err(m),
        };
        if let Some(e) = run.root_error() {
            return Err(e);
        }
        Ok(details::collect(&mut run, &excluded))
    }
}

/// `context.status.<key> = value`, when `context.status` is a map (KubeVela leaves a status
/// of another type alone).
fn set_status_field(ctx: &mut Map, key: &str, value: Data) {
    if let Some(Data::Map(s)) = ctx.get_mut("status") {
        s.insert(key.to_string(), value);
    }
}

/// The struct unified into each string's root: `{context: …, parameter: …}`.
fn injected(ctx: &Map, param: &DataVal) -> DataVal {
    DataVal::Struct(vec![
        ("context".to_string(), to_val(&Data::Map(ctx.clone()))),
        ("parameter".to_string(), param.clone()),
    ])
}
