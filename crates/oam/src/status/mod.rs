//! Status backflow: health, custom status messages and details of components and traits,
//! evaluated from a definition's status attributes against live objects, as KubeVela's
//! controller does (`pkg/cue/definition/health`); see `spec/oam-status.md`.

pub mod app;
pub mod compiled;
pub mod details;
pub mod evaluate;
pub mod live;
pub mod paths;
pub mod registry;
pub mod value;

pub use app::{application_status, ComponentStatus, TraitStatus, PENDING_MESSAGE};
pub use evaluate::{CompiledStatus, StatusOutcome, StatusPolicy, IS_HEALTH, MESSAGE};
pub use live::LiveObjects;
pub use registry::{Entry, StatusRegistry};
