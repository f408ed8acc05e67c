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
use super::paths::Paths;
use super::value::{go_json, go_val, to_val};

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
    /// The parts of `context` any of the three strings can read; the rest of the live
    /// objects is never converted.
    paths: Paths,
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
        let (health, custom, details) = (
            CompiledString::compile(&format!("{name}/healthPolicy"), &policy.health_policy),
            CompiledString::compile(&format!("{name}/customStatus"), &policy.custom_status),
            CompiledString::compile(&format!("{name}/details"), &policy.details),
        );
        let mut paths = Paths::default();
        for s in [&health, &custom, &details] {
            if let CompiledString::Ready(r) = s {
                paths.merge(&r.paths);
            }
        }
        CompiledStatus {
            health,
            custom,
            details,
            paths,
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
        let inject = Injection::new(context, parameter, &self.paths);
        // `context.status`, as data: KubeVela adds `{}` when there is none, keeps a map and
        // leaves any other value alone.
        let mut status = match context.get("status") {
            None | Some(Data::Null) => Data::Map(Map::new()),
            Some(s) => go_json(s),
        };
        let mut problems = Vec::new();

        // details
        let mut shown = BTreeMap::new();
        let mut details_failed = false;
        if !matches!(self.details, CompiledString::Empty) {
            match self.details_of(&inject, &status, limits) {
                Ok(d) => {
                    shown = d.shown;
                    set_field(&mut status, "details", Data::Map(d.typed));
                }
                Err(m) => {
                    details_failed = true;
                    problems.push(format!("compile status fields template: {m}"));
                }
            }
        }

        // health
        let (healthy, health_failed) = match self.check_health_with(&inject, &status, limits) {
            Ok(h) => (h, false),
            Err(m) => {
                problems.push(m);
                (false, true)
            }
        };
        set_field(&mut status, "healthy", Data::Bool(healthy));

        // message
        let (message, message_failed) = match self.message_with(&inject, &status, limits) {
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
            context_status: status,
            problems,
            health_failed,
            details_failed,
            message_failed,
        }
    }

    /// KubeVela's `CheckHealth` alone (the context as given, no `status` added): no policy is
    /// healthy, any failure is an error.
    pub fn check_health(
        &self,
        context: &Map,
        parameter: Option<&Data>,
        limits: Limits,
    ) -> Result<bool, String> {
        let inject = Injection::new(context, parameter, &self.paths);
        match context.get("status") {
            Some(s) => self.check_health_with(&inject, &go_json(s), limits),
            None => self.check_health_with_status(&inject, None, limits),
        }
    }

    fn check_health_with(
        &self,
        inject: &Injection,
        status: &Data,
        limits: Limits,
    ) -> Result<bool, String> {
        self.check_health_with_status(inject, Some(status), limits)
    }

    fn check_health_with_status(
        &self,
        inject: &Injection,
        status: Option<&Data>,
        limits: Limits,
    ) -> Result<bool, String> {
        if matches!(self.health, CompiledString::Empty) {
            return Ok(true);
        }
        let mut run = match self.health.run(inject.value(status), limits) {
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

    fn message_with(
        &self,
        inject: &Injection,
        status: &Data,
        limits: Limits,
    ) -> Result<String, String> {
        if matches!(self.custom, CompiledString::Empty) {
            return Ok(String::new());
        }
        let mut run = match self.custom.run(inject.value(Some(status)), limits) {
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
        inject: &Injection,
        status: &Data,
        limits: Limits,
    ) -> Result<details::Details, String> {
        let excluded = match &self.details {
            CompiledString::Ready(r) => r.excluded.clone(),
            _ => Vec::new(),
        };
        let mut run = match self.details.run(inject.value(Some(status)), limits) {
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

/// `status.<key> = value`, when `status` is a map (KubeVela leaves a status of another
/// type alone).
fn set_field(status: &mut Data, key: &str, value: Data) {
    if let Data::Map(s) = status {
        s.insert(key.to_string(), value);
    }
}

/// The context and parameter of one object, converted once (Go's JSON rules applied) and
/// combined with the `context.status` of each step.
struct Injection {
    /// `context` without `status`, fields in Go's (sorted) order.
    context: Vec<(String, DataVal)>,
    parameter: DataVal,
}

impl Injection {
    fn new(context: &Map, parameter: Option<&Data>, paths: &Paths) -> Self {
        let pruned;
        let context = match paths {
            Paths::All => context,
            Paths::Some(_) => {
                pruned = paths.prune(context);
                &pruned
            }
        };
        let mut fields: Vec<(String, DataVal)> = context
            .iter()
            .filter(|(k, _)| k.as_str() != "status")
            .map(|(k, v)| (k.clone(), go_val(v)))
            .collect();
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        let parameter = match parameter {
            None | Some(Data::Null) => DataVal::Struct(Vec::new()),
            Some(p) => go_val(p),
        };
        Injection {
            context: fields,
            parameter,
        }
    }

    /// `{context: {…, status}, parameter: …}` (no `status` when `None`).
    fn value(&self, status: Option<&Data>) -> DataVal {
        let mut ctx = self.context.clone();
        if let Some(s) = status {
            let at = ctx.partition_point(|(k, _)| k.as_str() < "status");
            ctx.insert(at, ("status".to_string(), to_val(s)));
        }
        DataVal::Struct(vec![
            ("context".to_string(), DataVal::Struct(ctx)),
            ("parameter".to_string(), self.parameter.clone()),
        ])
    }
}
