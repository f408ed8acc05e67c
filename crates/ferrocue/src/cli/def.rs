//! `ferrocue def export FILE.cue [--out yaml|json]` prints the installed Kubernetes object of an
//! authoring-format definition (what `vela def apply --dry-run` prints); `ferrocue def list
//! [--definitions DIR]...` lists the loaded definitions with their kind and description.

use std::path::PathBuf;
use std::process::ExitCode;

use ferrocue_export::Data;
use ferrocue_oam::{DefinitionSet, LoadError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Out {
    Json,
    Yaml,
}

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// Print the ComponentDefinition/TraitDefinition/PolicyDefinition object of an
    /// authoring-format file (namespace vela-system).
    Export {
        /// The definition in `vela def` authoring format.
        file: PathBuf,
        /// Output: YAML (default) or JSON.
        #[arg(long, value_enum, default_value = "yaml")]
        out: Out,
    },
    /// List the loaded definitions (the built-in ones, or those of --definitions) with their
    /// kind and description.
    List {
        /// A directory of definitions in any form (authoring files, installed objects, bare
        /// templates under component/, trait/, policy/). Replaces the built-in set; repeat to
        /// combine (later ones win).
        #[arg(long = "definitions", value_name = "DIR")]
        definitions: Vec<PathBuf>,
        /// Output: a table (default) or a JSON array.
        #[arg(long, value_enum)]
        out: Option<Out>,
    },
}

pub fn run(args: Args) -> ExitCode {
    let result = match args.command {
        Sub::Export { file, out } => export(&file, out),
        Sub::List { definitions, out } => list(&definitions, out),
    };
    match result {
        Ok(text) => super::emit(&text, None),
        Err(msg) => super::fail(&msg),
    }
}

/// A load error as a miette report with the file's source, underlined at its position.
fn report(e: &LoadError) -> String {
    match &e.source {
        Some(src) => {
            let diag = miette::MietteDiagnostic::new(e.to_string())
                .with_code("ferrocue::definition")
                .with_label(miette::LabeledSpan::at(
                    e.offset..e.offset + e.len.max(usize::from(e.offset < src.len())),
                    e.message.clone(),
                ));
            let report = miette::Report::new(diag)
                .with_source_code(miette::NamedSource::new(&e.file, src.to_string()));
            super::render(report.as_ref())
        }
        None => e.to_string(),
    }
}

fn export(file: &PathBuf, out: Out) -> Result<String, String> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| format!("{name}: {e}"))?;
    let obj = ferrocue_oam::def_export::export(&name, &text).map_err(|e| report(&e))?;
    Ok(match out {
        Out::Yaml => ferrocue_export::to_yaml(&obj),
        Out::Json => ferrocue_export::to_json(&obj),
    })
}

fn list(dirs: &[PathBuf], out: Option<Out>) -> Result<String, String> {
    let set = if dirs.is_empty() {
        DefinitionSet::builtin().map_err(|e| e.to_string())?
    } else {
        let mut set = DefinitionSet::default();
        for d in dirs {
            set.load_dir(d).map_err(|e| report(&e))?;
        }
        set
    };
    let rows: Vec<[String; 3]> = set
        .iter()
        .map(|d| {
            [
                d.kind.as_str().to_string(),
                d.name.clone(),
                d.meta.description.clone(),
            ]
        })
        .collect();
    let Some(out) = out else {
        return Ok(table(&rows));
    };
    let items = Data::List(
        rows.into_iter()
            .map(|[kind, name, description]| {
                Data::map([
                    ("kind", Data::string(kind)),
                    ("name", Data::string(name)),
                    ("description", Data::string(description)),
                ])
            })
            .collect(),
    );
    Ok(match out {
        Out::Json => ferrocue_export::to_json(&items),
        Out::Yaml => ferrocue_export::to_yaml(&items),
    })
}

/// Columns padded to their widest cell (in characters), two spaces apart; no trailing blanks.
fn table(rows: &[[String; 3]]) -> String {
    let header = [
        "KIND".to_string(),
        "NAME".to_string(),
        "DESCRIPTION".to_string(),
    ];
    let all: Vec<&[String; 3]> = std::iter::once(&header).chain(rows.iter()).collect();
    let width = |i: usize| all.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let (w0, w1) = (width(0), width(1));
    let mut out = String::new();
    for r in all {
        let line = format!(
            "{:<w0$}  {:<w1$}  {}",
            r[0],
            r[1],
            r[2].lines().next().unwrap_or("")
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
