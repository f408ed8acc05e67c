//! The lattice-unification evaluator: compile CUE syntax to IR, evaluate it as a vertex graph,
//! export the result as concrete data.
//!
//! ```text
//! ast::File* ──compile──▶ Program ──Evaluator::finalize──▶ vertices ──export──▶ Data
//! ```

#![forbid(unsafe_code)]

pub mod budget;
pub mod closed;
pub mod compile;
pub mod cycle;
pub mod disjunction;
pub mod error;
pub mod eval;
pub mod export;
pub mod expr;
pub mod instance;
pub mod ir;
pub mod load;
mod needs_eval;
pub mod num;
pub mod ops;
pub mod order;
pub mod print_cue;
pub mod scalar;
pub mod stdlib;
pub mod value;
pub mod vertex;

pub use budget::{Exhausted, Limits};
pub use compile::{CompileError, Compiler};
pub use error::{Code, Error, PathError};
pub use eval::{Evaluator, Val};
pub use export::format_errors;
pub use ir::Program;

/// Whether `text` matches the regular expression `re` (Go RE2 syntax).
pub fn regex_match(re: &str, text: &str) -> Result<bool, String> {
    let r = ops::regex::compile(re)?;
    Ok(r.is_match(text))
}
