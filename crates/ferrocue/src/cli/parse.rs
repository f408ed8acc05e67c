//! `ferrocue parse FILE...`: syntax-check files, optionally printing each AST as JSON.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// CUE files to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Print each file's syntax tree as JSON (see spec/ast-json.md), one document per file.
    #[arg(long)]
    ast: bool,
}

/// Checks every file (not stopping at the first failure) and reports every error found.
pub fn run(args: Args) -> ExitCode {
    let mut failed = false;
    let stdout = std::io::stdout();
    for path in &args.files {
        let name = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("ferrocue: cannot read {name}: {e}");
                failed = true;
                continue;
            }
        };
        let source = match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => {
                let off = e.utf8_error().valid_up_to();
                let valid = &e.as_bytes()[..off];
                let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
                let col = off - valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
                eprintln!("{name}:{line}:{col}: invalid UTF-8 encoding");
                failed = true;
                continue;
            }
        };
        match ferrocue_parser::parse_file(&name, &source) {
            Ok(file) => {
                if args.ast {
                    let mut out = stdout.lock();
                    if writeln!(out, "{}", ferrocue_parser::to_json(&file)).is_err() {
                        return ExitCode::from(2);
                    }
                }
            }
            Err(errors) => {
                failed = true;
                for e in errors.iter() {
                    eprint!("{}", super::render(e));
                }
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
