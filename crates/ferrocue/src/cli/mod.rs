//! Command-line definition and dispatch: one module per subcommand.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

pub mod assemble;
pub mod budget;
pub mod def;
pub mod eval;
pub mod export;
pub mod imports;
pub mod inputs;
pub mod parse;
pub mod protojson;
pub mod render;
pub mod status;
pub mod tags;
pub mod textproto;
pub mod vet;
pub mod yaml_pos;

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
    /// Evaluate CUE packages, CUE files and data files and print the result as JSON, YAML,
    /// text or CUE (like `cue export`).
    Export(export::Args),
    /// Evaluate and print the value in CUE syntax, non-concrete parts included (like
    /// `cue eval`).
    Eval(eval::Args),
    /// Validate each document of data files (YAML, JSON) against a CUE schema (like
    /// `cue vet`): every violation is printed with its position; exit 1 on any.
    Vet(vet::Args),
    /// Render a KubeVela Application to the objects `vela dry-run` prints.
    Render(render::Args),
    /// Health, message and details of a definition (`--definition KIND/NAME --input
    /// CASE.json`) or of every component of an Application (`APP.yaml --live OBJECTS.yaml`)
    /// from live objects, as KubeVela's controller computes them.
    Status(status::Args),
    /// KubeVela definitions: `def export FILE.cue` prints the installed object of an
    /// authoring-format file; `def list` lists the loaded definitions.
    Def(def::Args),
}

/// Work runs on a thread with a large stack: syntax trees are bounded in depth
/// (`ferrocue_parser::MAX_DEPTH`), and walking one that deep recursively must not overflow.
pub(crate) const STACK_SIZE: usize = 256 << 20;

pub fn main() -> ExitCode {
    // cue exits 1 on usage errors; clap's default is 2. Help and version still exit 0.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{}", usage_error(&e));
            return ExitCode::from(1);
        }
    };
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
    // Every command is one shot: its evaluators die with the process.
    ferrocue_eval::load::skip_freeing_after_export();
    match cli.command {
        Command::Parse(args) => parse::run(args),
        Command::Export(args) => export::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Vet(args) => vet::run(args),
        Command::Render(args) => render::run(args),
        Command::Def(args) => def::run(args),
        Command::Status(args) => status::run(args),
    }
}

/// A usage error on one line, in cue's words where cue has them (`unknown flag: --x`).
fn usage_error(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() == ErrorKind::UnknownArgument {
        if let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg) {
            let flag = arg.split('=').next().unwrap_or(arg);
            return format!("unknown flag: {flag}");
        }
    }
    let text = e.to_string();
    let first = text.lines().next().unwrap_or("invalid arguments");
    first.trim_start_matches("error: ").to_string()
}

/// Prints a finished command's output (only ever called once everything succeeded, so
/// nothing is half-printed), to stdout or to `outfile`.
pub fn emit(text: &str, outfile: Option<&str>) -> ExitCode {
    use std::io::Write;
    let ok = match outfile {
        Some(f) if f != "-" => std::fs::write(f, text)
            .map_err(|e| eprintln!("{f}: {e}"))
            .is_ok(),
        _ => std::io::stdout().lock().write_all(text.as_bytes()).is_ok(),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Prints an error message (one or more lines, cue's wording) and returns exit code 1.
pub fn fail(msg: &str) -> ExitCode {
    let msg = msg.trim_end_matches('\n');
    eprintln!("{msg}");
    ExitCode::from(1)
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
