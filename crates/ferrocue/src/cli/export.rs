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
    /// `.yaml`, `.yml`, `.textproto`); a `kind:` argument (`json:`, `yaml:`, `data:`,
    /// `graph:`, `json+pb:`, `yaml+pb:`) sets how the files after it are read. Without
    /// arguments, the package in the current directory.
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
            let mut data = export_sources(&prep.files, expr.as_deref(), limits)
                .map_err(|d| prep.fix(&d.to_string()))?;
            // `-l name:` without data files places the whole CUE value at that path.
            let wrap = literal_path(&args.load.path, inst.data_files.is_empty());
            for l in wrap.iter().rev() {
                data = Data::map([(l.clone(), data)]);
            }
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
                    let mut body = eval_sources(&prep.files, &exprs, &opts, limits)
                        .map_err(|d| prep.fix(&d.to_string()))?;
                    if !wrap.is_empty() {
                        body = wrap_body(&wrap, &body);
                    }
                    let pkg = match (&args.load.package, inst.package.as_str()) {
                        (Some(p), "") => p.clone(),
                        // Without data files, -p names the output package.
                        (Some(p), _) if inst.data_files.is_empty() => p.clone(),
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

/// The labels of `-l name:` flags when they all are literal and there is no data to place.
fn literal_path(path: &[String], no_data: bool) -> Vec<String> {
    if !no_data || path.is_empty() {
        return vec![];
    }
    let names: Vec<String> = path
        .iter()
        .filter_map(|p| p.strip_suffix(':').map(|n| n.trim().to_string()))
        .collect();
    if names.len() == path.len() {
        names
    } else {
        vec![]
    }
}

/// Puts printed fields under `a: b:`; a single top-level field chains on (`a: b: foo: {`), as
/// cue prints a struct with one field reached by a path.
fn wrap_body(path: &[String], body: &str) -> String {
    let prefix: String = path
        .iter()
        .map(|l| {
            if ferrocue_eval::ir::is_ident(l) {
                format!("{l}: ")
            } else {
                format!("{}: ", ferrocue_eval::scalar::quote_string(l))
            }
        })
        .collect();
    let top_level = body
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with(['\t', ' ', '}', ']']))
        .count();
    if top_level == 1 {
        return format!("{prefix}{body}");
    }
    let mut out = format!("{prefix}{{\n");
    for l in body.lines() {
        if !l.is_empty() {
            out.push('\t');
        }
        out.push_str(l);
        out.push('\n');
    }
    out.push_str("}\n");
    out
}
