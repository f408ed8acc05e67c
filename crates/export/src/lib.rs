//! Finished values to JSON and YAML, as `cue export` prints them.
//!
//! The evaluator lowers a concrete CUE value to a [`Data`] tree; the printers here turn that
//! tree into bytes identical to what `cue export` v0.17.1 writes. This crate is a leaf: it
//! knows nothing about evaluation, so the evaluator's `encoding/*` builtins can use it too.

#![forbid(unsafe_code)]

pub mod data;
pub mod json;
pub mod read;
pub mod yaml;

pub use data::{base64_std, Data};
pub use json::{quote_json_string, to_json, to_json_compact, to_json_with, JsonOptions};
pub use read::{read_json, read_json_stream, read_yaml, ReadError};
pub use yaml::{to_yaml, to_yaml_stream};
