//! ferrocue: a CUE engine and OAM renderer for Rust programs.
