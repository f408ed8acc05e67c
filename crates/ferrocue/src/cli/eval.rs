//! `ferrocue eval [-c] [-H] [-a] [-e EXPR]... [--out cue|json|yaml|text] ARG...`: evaluate and
//! print the value in CUE syntax as `cue eval` does (non-concrete values allowed unless `-c`).

use std::process::ExitCode;

use ferrocue_eval::load::export_sources;
use ferrocue_eval::print_cue::{eval_sources, PrintOptions};
use ferrocue_export::Data;

use super::assemble::prepare;
use super::inputs::{load, LoadArgs};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Out {
    Cue,
    Json,
    Yaml,
    Text,
}

#[derive(clap::Args)]
pub struct Args {
    /// Packages, CUE files and data files, as for `export`.
    files: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "cue")]
    out: Out,
    /// Evaluate these expressions only (each printed after a `// expr` line when several).
    #[arg(short = 'e', long = "expression")]
    exprs: Vec<String>,
    /// Require the values to be concrete.
    #[arg(short = 'c', long)]
    concrete: bool,
    /// Show hidden fields.
    #[arg(short = 'H', long = "show-hidden")]
    hidden: bool,
    /// Show optional and hidden fields.
    #[arg(short = 'a', long = "all")]
    all: bool,
    /// Show optional fields.
    #[arg(short = 'O', long = "show-optional")]
    optional: bool,
    /// Accepted for compatibility; attributes are not printed.
    #[arg(short = 'A', long = "show-attributes")]
    attributes: bool,
    /// Print errors in place (`_|_ // message`) instead of failing.
    #[arg(short = 'i', long = "ignore")]
    ignore: bool,
    /// Accepted for compatibility; values are always simplified.
    #[arg(short = 's', long)]
    simplify: bool,
    #[command(flatten)]
    load: LoadArgs,
    #[command(flatten)]
    budget: super::budget::BudgetArgs,
}

pub fn run(args: Args) -> ExitCode {
    match eval(&args) {
        Ok(text) => super::emit(&text, None),
        Err(msg) => super::fail(&msg),
    }
}

fn eval(args: &Args) -> Result<String, String> {
    let limits = args.budget.limits();
    let instances = load(&args.files, &args.load).map_err(|e| e.join("\n"))?;
    let opts = PrintOptions {
        definitions: !args.concrete,
        hidden: args.hidden || args.all,
        optional: args.optional || args.all,
        concrete: args.concrete,
        indent: "    ".into(),
        collapse_paths: !args.load.path.is_empty(),
        ignore_errors: args.ignore,
    };
    let mut text = String::new();
    for inst in &instances {
        let prep = prepare(inst, &args.load, limits)?;
        let exprs = if prep.schema_exprs.is_empty() {
            args.exprs.clone()
        } else {
            prep.schema_exprs.clone()
        };
        match args.out {
            Out::Cue => {
                let groups: Vec<Vec<String>> = if prep.schema_exprs.is_empty() {
                    vec![exprs]
                } else {
                    exprs.into_iter().map(|e| vec![e]).collect()
                };
                for g in groups {
                    text.push_str(
                        &eval_sources(&prep.files, &g, &opts, limits)
                            .map_err(|d| prep.fix(&d.to_string()))?,
                    );
                }
            }
            out => {
                let list: Vec<Option<String>> = if exprs.is_empty() {
                    vec![None]
                } else {
                    exprs.into_iter().map(Some).collect()
                };
                for e in list {
                    let data = export_sources(&prep.files, e.as_deref(), limits)
                        .map_err(|d| prep.fix(&d.to_string()))?;
                    text.push_str(&match (out, &data) {
                        (Out::Json, _) => ferrocue_export::to_json(&data),
                        (Out::Text, Data::String(s)) => format!("{s}\n"),
                        (Out::Text, other) => return Err(super::inputs::not_text(other)),
                        _ => ferrocue_export::to_yaml(&data),
                    });
                }
            }
        }
    }
    Ok(text)
}
