//! Readers for data files given as inputs (`cue export x.json y.yaml`): text to [`Data`].
//!
//! [`Data`]: crate::data::Data

mod error;
mod json;
mod number;
mod unify;
mod yaml;

pub use error::ReadError;
pub use json::{read_json, read_json_stream};
pub use yaml::read_yaml;
