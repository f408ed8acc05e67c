//! The lattice-unification evaluator.
pub mod num;
pub mod ops;
pub mod scalar;
