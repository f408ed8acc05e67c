//! The status policies of a set of definitions, each compiled on first use and then kept:
//! one compilation per definition however many objects are evaluated, from any thread.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use ferrocue_eval::Limits;
use ferrocue_export::data::Map;
use ferrocue_export::Data;

use crate::definition::{DefinitionSet, Kind};

use super::evaluate::{CompiledStatus, StatusOutcome, StatusPolicy};

/// One definition's status policy and dispatch stage.
#[derive(Debug)]
pub struct Entry {
    pub kind: Kind,
    pub name: String,
    pub policy: StatusPolicy,
    /// `attributes.stage` (`PreDispatch`, `DefaultDispatch`, `PostDispatch`).
    pub stage: Option<String>,
    compiled: OnceLock<CompiledStatus>,
}

impl Entry {
    /// The policy compiled (once, on first call).
    pub fn compiled(&self) -> &CompiledStatus {
        self.compiled.get_or_init(|| {
            CompiledStatus::new(
                &format!("{}/{}", self.kind.as_str(), self.name),
                &self.policy,
            )
        })
    }

    /// Whether the trait is applied only once its component is healthy.
    pub fn is_post_dispatch(&self) -> bool {
        self.stage.as_deref() == Some("PostDispatch")
    }

    /// KubeVela's `GetStatus` with this definition's policy.
    pub fn evaluate(
        &self,
        context: &Map,
        parameter: Option<&Data>,
        limits: Limits,
    ) -> StatusOutcome {
        self.compiled().evaluate(context, parameter, limits)
    }
}

/// Status policies by definition kind and name.
#[derive(Clone, Debug, Default)]
pub struct StatusRegistry {
    entries: HashMap<(Kind, String), Arc<Entry>>,
}

impl StatusRegistry {
    /// The policies of ferrocue's built-in definitions (their `attributes.status` and
    /// `attributes.stage`); empty if the embedded set does not load, which the crate's tests
    /// rule out.
    pub fn builtin() -> Self {
        match DefinitionSet::builtin() {
            Ok(set) => StatusRegistry::from_definitions(&set),
            Err(_) => StatusRegistry::default(),
        }
    }

    /// The policies the definitions carry (`attributes.status`, `attributes.stage`).
    pub fn from_definitions(set: &DefinitionSet) -> Self {
        let mut r = StatusRegistry::default();
        for d in set.iter() {
            let s = d.meta.status();
            let policy = StatusPolicy {
                health_policy: s.health_policy.unwrap_or_default(),
                custom_status: s.custom_status.unwrap_or_default(),
                details: s.details.unwrap_or_default(),
            };
            r.insert(d.kind, &d.name, policy, d.meta.stage().map(str::to_string));
        }
        r
    }

    /// Adds or replaces a definition's policy (compiled on first use).
    pub fn insert(&mut self, kind: Kind, name: &str, policy: StatusPolicy, stage: Option<String>) {
        self.entries.insert(
            (kind, name.to_string()),
            Arc::new(Entry {
                kind,
                name: name.to_string(),
                policy,
                stage,
                compiled: OnceLock::new(),
            }),
        );
    }

    pub fn get(&self, kind: Kind, name: &str) -> Option<&Arc<Entry>> {
        self.entries.get(&(kind, name.to_string()))
    }

    /// Every entry, sorted by kind and name.
    pub fn entries(&self) -> Vec<&Arc<Entry>> {
        let mut v: Vec<_> = self.entries.values().collect();
        v.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
        v
    }

    /// Evaluates a definition's policy; a definition without one is healthy with no message.
    pub fn evaluate(
        &self,
        kind: Kind,
        name: &str,
        context: &Map,
        parameter: Option<&Data>,
        limits: Limits,
    ) -> StatusOutcome {
        match self.get(kind, name) {
            Some(e) => e.evaluate(context, parameter, limits),
            None => CompiledStatus::new(name, &StatusPolicy::default())
                .evaluate(context, parameter, limits),
        }
    }
}
