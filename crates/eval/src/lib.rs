//! The lattice-unification evaluator.
