//! Fuzz target: the parser must answer any UTF-8 text with a tree or diagnostics, never panic,
//! overflow the stack or hang; and a tree it accepts must serialise.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(src) = std::str::from_utf8(data) {
        match ferrocue_parser::parse_file("fuzz.cue", src) {
            Ok(file) => {
                let _ = ferrocue_parser::to_json(&file);
            }
            Err(errs) => {
                // Rendering the diagnostics walks spans into the source: it must stay in bounds.
                let _ = errs.to_string();
            }
        }
    }
});
