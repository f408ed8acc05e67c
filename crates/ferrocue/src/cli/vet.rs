//! `ferrocue vet SCHEMA.cue... DATA.yaml|json...`: validate each data document against the
//! CUE files (each document unified with them separately, as `cue vet` does), print every
//! violation with its position, exit 1 on any and print nothing otherwise.

use std::process::ExitCode;

use ferrocue_eval::instance::Instance;

use super::inputs::{data_cue, load, LoadArgs};

#[derive(clap::Args)]
pub struct Args {
    /// CUE schema files (or packages) and the data files to check against them.
    files: Vec<String>,
    /// Also require every value to be concrete (fields declared but not given fail).
    #[arg(short = 'c', long)]
    concrete: bool,
    #[command(flatten)]
    load: LoadArgs,
    #[command(flatten)]
    budget: super::budget::BudgetArgs,
}

pub fn run(args: Args) -> ExitCode {
    match vet(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => super::fail(&msg),
    }
}

fn vet(args: &Args) -> Result<(), String> {
    let limits = args.budget.limits();
    let instances = load(&args.files, &args.load).map_err(|e| e.join("\n"))?;
    let mut report = String::new();
    for inst in &instances {
        if inst.data_files.is_empty() {
            // Only CUE: the package itself must be free of errors.
            check(&inst.cue, args.concrete, limits, &mut report)?;
            continue;
        }
        for (name, docs) in &inst.data_files {
            for d in docs {
                let mut files = inst.cue.clone();
                let text = match &d.text {
                    Some(t) => t.clone(),
                    None => data_cue(&d.data),
                };
                files.push((name.clone(), text));
                let mut found = String::new();
                check(&files, args.concrete, limits, &mut found)?;
                report.push_str(&super::yaml_pos::fix_positions(&found, &inst.pos_maps));
            }
        }
    }
    if report.is_empty() {
        Ok(())
    } else {
        Err(report)
    }
}

fn check(
    files: &[(String, String)],
    concrete: bool,
    limits: ferrocue_eval::Limits,
    report: &mut String,
) -> Result<(), String> {
    let mut inst = match Instance::from_sources(files, limits) {
        Ok(i) => i,
        Err(d) => {
            report.push_str(&d.to_string());
            return Ok(());
        }
    };
    let root = inst.root();
    let errs = if concrete {
        match inst.export(root) {
            Ok(_) => vec![],
            Err(e) => e,
        }
    } else {
        inst.errors(root)
    };
    for e in errs {
        let path = if e.path.is_empty() {
            String::new()
        } else {
            format!("{}: ", e.path)
        };
        if e.positions.is_empty() && e.nested.is_empty() {
            report.push_str(&format!("{path}{}\n", e.message));
        } else if e.positions.is_empty() {
            report.push_str(&format!("{path}{}:\n", e.message));
            for n in &e.nested {
                report.push_str(&format!("{path}{n}\n"));
            }
        } else {
            report.push_str(&format!("{path}{}:\n", e.message));
            for n in &e.nested {
                report.push_str(&format!("{path}{n}\n"));
            }
            for p in &e.positions {
                report.push_str(&format!("    {p}\n"));
            }
        }
    }
    Ok(())
}
