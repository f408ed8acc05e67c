//! `ferrocue export [--out json|yaml] [-e EXPR] FILE...`: evaluate one package and print it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use ferrocue_eval::load::export_sources;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Out {
    Json,
    Yaml,
}

#[derive(clap::Args)]
pub struct Args {
    /// CUE files of one package; they are unified as cue does.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    out: Out,
    /// Export this expression, evaluated at the top level of the files, instead of the root.
    #[arg(short = 'e', long = "expression")]
    expr: Option<String>,
    #[command(flatten)]
    budget: super::budget::BudgetArgs,
}

pub fn run(args: Args) -> ExitCode {
    let mut files = Vec::new();
    for path in &args.files {
        let name = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(src) => files.push((name, src)),
            Err(e) => {
                eprintln!("ferrocue: cannot read {name}: {e}");
                return ExitCode::from(1);
            }
        }
    }
    match export_sources(&files, args.expr.as_deref(), args.budget.limits()) {
        Ok(data) => {
            let text = match args.out {
                Out::Json => ferrocue_export::to_json(&data),
                Out::Yaml => ferrocue_export::to_yaml(&data),
            };
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(text.as_bytes()).is_err() {
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(diags) => {
            eprint!("{diags}");
            ExitCode::from(1)
        }
    }
}
