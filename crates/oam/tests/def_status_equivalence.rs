//! Our built-ins' status strings (written by us) give the same health, message and details as
//! KubeVela's on every live-object case of `testdata/oam-status/` (KubeVela's definitions read
//! from `../shared/kubevela/definitions-crd`, skipped when absent).

use std::path::{Path, PathBuf};

use ferrocue_eval::Limits;
use ferrocue_export::data::Map;
use ferrocue_export::Data;
use ferrocue_oam::status::registry::StatusRegistry;
use ferrocue_oam::{DefinitionSet, Kind};

fn context_of(input: &Map) -> (Map, Option<Data>) {
    let mut ctx = match input.get("context") {
        Some(Data::Map(m)) => m.clone(),
        _ => Map::new(),
    };
    for k in ["output", "outputs"] {
        if let Some(v) = input.get(k) {
            ctx.insert(k.into(), v.clone());
        }
    }
    let parameter = input.get("parameter").cloned();
    if !ctx.contains_key("parameter") {
        ctx.insert("parameter".into(), parameter.clone().unwrap_or(Data::Null));
    }
    (ctx, parameter)
}

#[test]
fn our_status_strings_behave_as_kubevelas() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let crd = root.join("../shared/kubevela/definitions-crd");
    if !crd.is_dir() {
        eprintln!("skipped: {} is absent", crd.display());
        return;
    }
    let theirs = StatusRegistry::from_definitions(&DefinitionSet::from_dir(&crd).expect("loads"));
    let ours = StatusRegistry::builtin();
    let cases = root.join("testdata/oam-status");
    let Ok(rd) = std::fs::read_dir(&cases) else {
        eprintln!("skipped: {} is absent", cases.display());
        return;
    };
    let mut files: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.retain(|p| p.extension().is_some_and(|x| x == "json"));
    files.sort();
    assert!(!files.is_empty(), "no cases in {}", cases.display());
    let mut differ = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let Ok(Data::Map(case)) = ferrocue_export::read_json("case", &text) else {
            continue;
        };
        let (Some(Data::String(def)), Some(Data::Map(input))) =
            (case.get("definition"), case.get("input"))
        else {
            continue;
        };
        let (kind, name) = match def.split_once('/') {
            Some(("component", n)) => (Kind::Component, n),
            Some(("trait", n)) => (Kind::Trait, n),
            _ => continue,
        };
        let (ctx, parameter) = context_of(input);
        let a = ours.evaluate(kind, name, &ctx, parameter.as_ref(), Limits::default());
        let b = theirs.evaluate(kind, name, &ctx, parameter.as_ref(), Limits::default());
        let show = |o: &ferrocue_oam::status::StatusOutcome| {
            format!("{} {:?} {:?}", o.healthy, o.message, o.details)
        };
        if show(&a) != show(&b) {
            differ.push(format!(
                "{}: ours {} / KubeVela's {}",
                f.display(),
                show(&a),
                show(&b)
            ));
        }
    }
    eprintln!(
        "status equivalence: {} cases, {} differ",
        files.len(),
        differ.len()
    );
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
