//! KubeVela/OAM Application rendering over the ferrocue CUE engine: what `vela dry-run` prints
//! for an Application, with our own built-in definitions or any directory of templates.
//!
//! The rules followed are KubeVela 1.11's (see `spec/oam-renderer.md`): context and parameter
//! injection, `output`/`outputs`, `errs`, traits with `patch` (strategic unify, JSON merge patch,
//! JSON patch) and `patchOutputs`, then the OAM labels, names and namespaces.

#![forbid(unsafe_code)]

pub mod application;
pub mod context;
pub mod cue_ast;
pub mod def_align;
pub mod def_authoring;
pub mod def_export;
pub mod def_format;
pub mod def_k8s;
pub mod def_load;
pub mod def_meta;
pub mod definition;
pub mod errors;
pub mod json_merge_patch;
pub mod json_patch;
pub mod labels;
pub mod render;
pub mod status;
pub mod strategic;
pub mod tags;
pub mod trait_check;

pub use application::{Application, Component, Trait};
pub use context::{ClusterVersion, ContextOptions, SETTABLE_KEYS};
pub use def_load::LoadError;
pub use def_meta::{DefinitionMeta, Form, StatusAttributes};
pub use definition::{Definition, DefinitionSet, Kind};
pub use errors::RenderError;
pub use render::{RenderedObject, Renderer, AUXILIARY_WORKLOAD};
pub use trait_check::{TraitChecks, TraitIssue};
