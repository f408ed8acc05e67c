//! The `ferrocue` command: a thin dispatcher; each subcommand lives in its own `cli` module.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
