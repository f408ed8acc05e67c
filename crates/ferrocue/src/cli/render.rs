//! `ferrocue render APP.yaml [--definitions DIR]... [--out yaml|json] [--set key=value]...`:
//! print the objects `vela dry-run` would print for an Application.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use ferrocue_export::Data;
use ferrocue_oam::{Application, DefinitionSet, Renderer, TraitChecks};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Out {
    Json,
    Yaml,
}

#[derive(clap::Args)]
pub struct Args {
    /// The Application (YAML or JSON).
    app: PathBuf,
    /// A directory of definitions in any form: authoring-format files and installed
    /// ComponentDefinition/TraitDefinition/PolicyDefinition objects (YAML/JSON) in it, and bare
    /// templates in its component/, trait/ and policy/ (file name = type). Replaces the
    /// built-in definitions; repeat to combine directories (later ones win).
    #[arg(long = "definitions", value_name = "DIR")]
    definitions: Vec<PathBuf>,
    /// Output: a YAML multi-document stream, or one JSON array.
    #[arg(long, value_enum, default_value = "yaml")]
    out: Out,
    /// Set a context value: cluster, clusterVersion.{major,minor,gitVersion,platform},
    /// appRevision, appRevisionNum, revision, namespace, workflowName, publishVersion,
    /// replicaKey.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Make a trait that does not apply to its component's workload type (appliesToWorkloads)
    /// or that conflicts with another trait (conflictsWith) an error; without it, a warning
    /// on stderr.
    #[arg(long = "check-traits")]
    check_traits: bool,
    #[command(flatten)]
    budget: super::budget::BudgetArgs,
}

pub fn run(args: Args) -> ExitCode {
    match render(&args) {
        Ok(text) => {
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(text.as_bytes()).is_err() {
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("ferrocue: {msg}");
            ExitCode::from(1)
        }
    }
}

fn render(args: &Args) -> Result<String, String> {
    let defs = if args.definitions.is_empty() {
        DefinitionSet::builtin().map_err(|e| e.to_string())?
    } else {
        let mut set = DefinitionSet::default();
        for d in &args.definitions {
            set.load_dir(d).map_err(|e| e.to_string())?;
        }
        set
    };
    let mut renderer = Renderer::new(defs);
    *renderer.limits_mut() = args.budget.limits();
    for kv in &args.set {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| format!("--set {kv:?}: expected key=value"))?;
        renderer.context_mut().set(k, v)?;
    }
    let name = args.app.display().to_string();
    let text =
        std::fs::read_to_string(&args.app).map_err(|e| format!("cannot read {name}: {e}"))?;
    let app = Application::from_yaml(&name, &text).map_err(|e| e.to_string())?;
    renderer.set_trait_checks(if args.check_traits {
        TraitChecks::Enforce
    } else {
        TraitChecks::Warn
    });
    let (objects, issues) = renderer.render_checked(&app).map_err(|e| e.to_string())?;
    // Warnings are printed only once the render succeeded, before the objects.
    for issue in &issues {
        eprintln!("ferrocue: warning: {}", issue.message);
    }
    let data: Vec<Data> = objects.into_iter().map(|o| o.object).collect();
    Ok(match args.out {
        Out::Yaml => ferrocue_export::to_yaml_stream(&data),
        Out::Json => ferrocue_export::to_json(&Data::List(data)),
    })
}
