//! Fuzz target: the lexer must turn any UTF-8 text into tokens or errors, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(src) = std::str::from_utf8(data) {
        let _ = ferrocue_lexer::tokenize(src);
    }
});
