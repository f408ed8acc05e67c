//! `ferrocue export [--out json|yaml|text|cue] [-e EXPR] [-t k=v] [-l PATH] [--list] ARG...`:
//! evaluate CUE packages, CUE files and data files as `cue export` does and print the result.

use std::process::ExitCode;

use ferrocue_eval::load::export_sources;
use ferrocue_eval::print_cue::{eval_sources, PrintOptions};
use ferrocue_export::Data;

use super::assemble::prepare;
use super::inputs::{load, LoadArgs};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Out {
    Json,
    Yaml,
    /// A string value printed as is.
    Text,
    /// CUE syntax.
    Cue,
}

#[derive(clap::Args)]
pub struct Args {
    /// Packages (`.`, `./dir`, `.:name`), CUE files and data files (`.json`, `.jsonl`,
    /// `.yaml`, `.yml`); a `kind:` argument (`json:`, `yaml:`, `data:`) sets how the files
    /// after it are read. Without arguments, the package in the current directory.
    files: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    out: Out,
    /// Write the output to this file (its extension gives the format) instead of stdout.
    #[arg(short = 'o', long = "outfile", value_name = "FILE")]
    outfile: Option<String>,
    /// Export this expression, evaluated at the top level of the files, instead of the root.
    #[arg(short = 'e', long = "expression")]
    expr: Option<String>,
    /// Escape `<`, `>` and `&` in JSON strings.
    #[arg(long)]
    escape: bool,
    #[command(flatten)]
    load: LoadArgs,
    #[command(flatten)]
    budget: super::budget::BudgetArgs,
}

pub fn run(args: Args) -> ExitCode {
    match export(&args) {
        Ok(text) => super::emit(&text, args.outfile.as_deref()),
        Err(msg) => super::fail(&msg),
    }
}

fn export(args: &Args) -> Result<String, String> {
    let mut out = args.out;
    if let Some(f) = &args.outfile {
        out = match std::path::Path::new(f).extension().and_then(|e| e.to_str()) {
            Some("json") => Out::Json,
            Some("yaml") | Some("yml") => Out::Yaml,
            Some("cue") => Out::Cue,
            Some("txt") => Out::Text,
            _ => return Err(format!("no encoding specified for file {f:?}")),
        };
    }
    let limits = args.budget.limits();
    let instances = load(&args.files, &args.load).map_err(|e| e.join("\n"))?;
    let mut text = String::new();
    for inst in &instances {
        let prep = prepare(inst, &args.load, limits)?;
        let exprs: Vec<Option<String>> = if prep.schema_exprs.is_empty() {
            vec![args.expr.clone()]
        } else {
            prep.schema_exprs.iter().cloned().map(Some).collect()
        };
        for expr in exprs {
            let data = export_sources(&prep.files, expr.as_deref(), limits)
                .map_err(|d| prep.fix(&d.to_string()))?;
            text.push_str(&match out {
                Out::Json => {
                    let mut o = ferrocue_export::JsonOptions::export();
                    o.escape_html = args.escape;
                    ferrocue_export::to_json_with(&data, &o)
                }
                Out::Yaml => ferrocue_export::to_yaml(&data),
                Out::Text => match &data {
                    Data::String(s) => format!("{s}\n"),
                    other => return Err(super::inputs::not_text(other)),
                },
                Out::Cue => {
                    let opts = PrintOptions {
                        definitions: false,
                        hidden: false,
                        optional: false,
                        concrete: true,
                        indent: "\t".into(),
                        collapse_paths: !args.load.path.is_empty(),
                        ignore_errors: false,
                    };
                    let exprs: Vec<String> = expr.iter().cloned().collect();
                    let body = eval_sources(&prep.files, &exprs, &opts, limits)
                        .map_err(|d| prep.fix(&d.to_string()))?;
                    let pkg = match (&args.load.package, inst.package.as_str()) {
                        (Some(p), "") => p.clone(),
                        (Some(p), q) if p != q => {
                            return Err(format!(
                                "\"package\" flag clashes with existing package name ({p} vs {q})"
                            ))
                        }
                        (_, q) => q.to_string(),
                    };
                    if pkg.is_empty() {
                        body
                    } else {
                        format!("package {pkg}\n\n{body}")
                    }
                }
            });
        }
    }
    Ok(text)
}
