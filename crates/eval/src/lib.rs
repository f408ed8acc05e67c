//! The lattice-unification evaluator.
pub mod num;
