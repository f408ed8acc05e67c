//! Tokens and literal decoding for CUE source.
