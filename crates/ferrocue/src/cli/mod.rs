//! Command-line definition and dispatch: one module per subcommand.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

pub mod budget;
pub mod export;
pub mod parse;
pub mod render;

/// A CUE engine and OAM renderer.
#[derive(Parser)]
#[command(name = "ferrocue", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Check CUE files for syntax errors; `--ast` prints their syntax trees as JSON.
    Parse(parse::Args),
    /// Evaluate CUE files of one package and print the result as JSON or YAML.
    Export(export::Args),
    /// Render a KubeVela Application to the objects `vela dry-run` prints.
    Render(render::Args),
}

/// Work runs on a thread with a large stack: syntax trees are bounded in depth
/// (`ferrocue_parser::MAX_DEPTH`), and walking one that deep recursively must not overflow.
const STACK_SIZE: usize = 256 << 20;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let worker = std::thread::Builder::new()
        .stack_size(STACK_SIZE)
        .spawn(move || run(cli));
    match worker.map(|h| h.join()) {
        Ok(Ok(code)) => code,
        Ok(Err(_)) => ExitCode::from(2),
        Err(e) => {
            eprintln!("ferrocue: cannot start worker thread: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Parse(args) => parse::run(args),
        Command::Export(args) => export::run(args),
        Command::Render(args) => render::run(args),
    }
}

/// Renders a diagnostic for stderr: colours on a terminal, plain text otherwise.
pub fn render(diag: &dyn miette::Diagnostic) -> String {
    use miette::{GraphicalReportHandler, GraphicalTheme};
    use std::io::IsTerminal;
    let theme = if std::io::stderr().is_terminal() {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    match GraphicalReportHandler::new_themed(theme).render_report(&mut out, diag) {
        Ok(()) => out,
        Err(_) => diag.to_string(),
    }
}
