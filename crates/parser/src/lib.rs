//! CUE source to a typed syntax tree.

pub mod ast;
