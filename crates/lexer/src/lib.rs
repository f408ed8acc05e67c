//! Tokens and literal decoding for CUE source.
//!
//! [`tokenize`] turns a whole file into tokens (with the commas implied by newlines already
//! inserted), a side list of comments, and any lexical errors. String and number literals are
//! decoded here, so the parser and everything after it see values, not source text.

#![forbid(unsafe_code)]

mod lexer;
mod number;
mod raw;
mod string;
mod token;

pub use lexer::{tokenize, LexError, Lexed, Opener, RawComment, Spanned, Tokens, MAX_NESTING};
pub use number::{decode_number, Number};
pub use token::{AttrTok, InterpHead, Tok};
