//! Generates the LALR(1) parser from `src/grammar.lalrpop`.

#![forbid(unsafe_code)]
fn main() {
    lalrpop::Configuration::new()
        .use_cargo_dir_conventions()
        .process_file("src/grammar.lalrpop")
        .expect("lalrpop grammar failed to build");
}
