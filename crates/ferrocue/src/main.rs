//! The `ferrocue` command: a thin dispatcher; each subcommand lives in its own `cli` module.

#![forbid(unsafe_code)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
