//! The conformance runner: checks the `ferrocue` binary against cue v0.17.1's own test corpus.
//!
//! The corpus (`../shared/conformance`, see its README) holds txtar cases with expected
//! outputs and expected errors. [`corpus`] turns them into checks, [`run`] executes them
//! against the binary, [`report`] counts and prints, and [`baseline`] is the ratchet that CI
//! uses so the figures can only go up.

#![forbid(unsafe_code)]

pub mod baseline;
pub mod corpus;
pub mod diff;
pub mod exec;
pub mod report;
pub mod run;
pub mod txtar;

use std::path::PathBuf;

/// Where the corpus lives relative to this checkout: `<workspace root>/../shared/conformance`.
pub fn default_corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance")
}
