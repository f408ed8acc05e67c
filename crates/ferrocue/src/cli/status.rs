//! `ferrocue status`: health, message and details from a definition's status policy and live
//! objects, as KubeVela's controller computes them.
//!
//! - `ferrocue status --definition KIND/NAME --input CASE.json [--definitions DIR]`: one
//!   definition against `{"context", "parameter", "output", "outputs"}`; prints
//!   `{"healthy", "message", "details"}` as JSON.
//! - `ferrocue status APP.yaml --live OBJECTS.yaml [--definitions DIR] [--out yaml|json]`:
//!   every component of an Application, from the live objects read back from a cluster.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ferrocue_export::data::Map;
use ferrocue_export::{Data, ReadError};
use ferrocue_oam::definition::Kind;
use ferrocue_oam::status::{application_status, LiveObjects, StatusRegistry};
use ferrocue_oam::{Application, DefinitionSet, Renderer};
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};

use super::render::Out;

#[derive(clap::Args)]
pub struct Args {
    /// The Application (YAML or JSON); needs `--live`.
    app: Option<PathBuf>,
    /// Live objects of the Application (YAML stream or JSON; `kind: List` is flattened).
    #[arg(long, value_name = "OBJECTS")]
    live: Option<PathBuf>,
    /// One definition, as `component/NAME` or `trait/NAME`; needs `--input`.
    #[arg(long, value_name = "KIND/NAME")]
    definition: Option<String>,
    /// `{"context": {...}, "parameter": {...}, "output": {...}, "outputs": {...}}`.
    #[arg(long, value_name = "CASE.json")]
    input: Option<PathBuf>,
    /// A directory of definitions replacing the built-in ones; repeat to combine (later ones
    /// win).
    #[arg(long = "definitions", value_name = "DIR")]
    definitions: Vec<PathBuf>,
    /// Output of the Application form: YAML (default) or JSON.
    #[arg(long, value_enum, default_value = "yaml")]
    out: Out,
    /// Set a context value of the Application form (appRevision, namespace, …; see `render`).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Say on stderr why a policy could not be evaluated (what KubeVela logs: "evaluate
    /// health status: …"); the status itself is the same.
    #[arg(long)]
    explain: bool,
    #[command(flatten)]
    budget: super::budget::BudgetArgs,
}

/// A failure, with the source text and the spot when there is one.
#[derive(Debug)]
struct Failure {
    message: String,
    source: Option<(NamedSource<String>, usize)>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

impl Diagnostic for Failure {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("ferrocue::status"))
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|(s, _)| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (_, at) = self.source.as_ref()?;
        Some(Box::new(std::iter::once(LabeledSpan::at_offset(
            *at, "here",
        ))))
    }
}

fn plain(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        source: None,
    }
}

fn at(path: &str, text: &str, offset: usize, message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        source: Some((NamedSource::new(path, text.to_string()), offset)),
    }
}

fn read_error(path: &str, text: &str, e: ReadError) -> Failure {
    at(path, text, e.offset, e.to_string())
}

pub fn run(args: Args) -> ExitCode {
    let result = match (&args.definition, &args.app) {
        (Some(_), Some(_)) => Err(plain(
            "give either --definition KIND/NAME with --input, or APP.yaml with --live",
        )),
        (Some(def), None) => one_definition(&args, def),
        (None, Some(app)) => whole_application(&args, app),
        (None, None) => Err(plain(
            "nothing to evaluate: give --definition KIND/NAME --input CASE.json, or APP.yaml --live OBJECTS.yaml",
        )),
    };
    match result {
        Ok(text) => super::emit(&text, None),
        Err(f) => {
            eprint!("{}", super::render(&f));
            ExitCode::from(1)
        }
    }
}

fn read(path: &Path) -> Result<(String, String), Failure> {
    let name = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|e| plain(format!("cannot read {name}: {e}")))?;
    Ok((name, text))
}

/// The definitions and their status policies: the built-ins, or the `--definitions` dirs.
fn load(args: &Args) -> Result<(DefinitionSet, StatusRegistry), Failure> {
    if args.definitions.is_empty() {
        let defs = DefinitionSet::builtin().map_err(|e| plain(e.to_string()))?;
        return Ok((defs, StatusRegistry::builtin()));
    }
    let mut set = DefinitionSet::default();
    for d in &args.definitions {
        set.add_dir(d).map_err(|e| plain(e.to_string()))?;
    }
    let registry = StatusRegistry::from_definitions(&set);
    Ok((set, registry))
}

fn parse_kind(spec: &str) -> Result<(Kind, &str), Failure> {
    let bad = || {
        plain(format!(
            "--definition {spec:?}: expected component/NAME or trait/NAME"
        ))
    };
    let (k, name) = spec.split_once('/').ok_or_else(bad)?;
    let kind = match k {
        "component" => Kind::Component,
        "trait" => Kind::Trait,
        _ => return Err(bad()),
    };
    if name.is_empty() {
        return Err(bad());
    }
    Ok((kind, name))
}

fn one_definition(args: &Args, spec: &str) -> Result<String, Failure> {
    let (kind, name) = parse_kind(spec)?;
    let input = args
        .input
        .as_ref()
        .ok_or_else(|| plain("--definition needs --input CASE.json"))?;
    if args.live.is_some() {
        return Err(plain("--live goes with APP.yaml, not with --definition"));
    }
    let (defs, registry) = load(args)?;
    if defs.get(kind, name).is_none() {
        return Err(plain(format!(
            "unknown {} definition {name:?} (known: {})",
            kind.as_str(),
            defs.names(kind).join(", ")
        )));
    }
    let (path, text) = read(input)?;
    let case = ferrocue_export::read_json(&path, &text).map_err(|e| read_error(&path, &text, e))?;
    let Data::Map(case) = case else {
        return Err(at(
            &path,
            &text,
            0,
            format!("{path}: expected a JSON object"),
        ));
    };
    for key in case.keys() {
        if !["context", "parameter", "output", "outputs"].contains(&key.as_str()) {
            let offset = text.find(&format!("\"{key}\"")).unwrap_or(0);
            return Err(at(
                &path,
                &text,
                offset,
                format!(
                    "{path}: unknown key {key:?} (expected context, parameter, output, outputs)"
                ),
            ));
        }
    }
    let mut ctx = match case.get("context") {
        None | Some(Data::Null) => Map::new(),
        Some(Data::Map(m)) => m.clone(),
        Some(_) => {
            let offset = text.find("\"context\"").unwrap_or(0);
            return Err(at(
                &path,
                &text,
                offset,
                format!("{path}: context must be an object"),
            ));
        }
    };
    for key in ["output", "outputs"] {
        if let Some(v) = case.get(key) {
            ctx.insert(key.into(), v.clone());
        }
    }
    let parameter = case.get("parameter").cloned();
    // The controller always puts the raw properties into the context too.
    if !ctx.contains_key("parameter") {
        ctx.insert("parameter".into(), parameter.clone().unwrap_or(Data::Null));
    }
    let outcome = registry.evaluate(kind, name, &ctx, parameter.as_ref(), args.budget.limits());
    if args.explain {
        for p in &outcome.problems {
            eprintln!("{spec}: {p}");
        }
    }
    let details: Map = outcome
        .details
        .iter()
        .map(|(k, v)| (k.clone(), Data::string(v.clone())))
        .collect();
    let out = Data::map([
        ("healthy", Data::Bool(outcome.healthy)),
        ("message", Data::string(outcome.message)),
        ("details", Data::Map(details)),
    ]);
    Ok(ferrocue_export::to_json(&out))
}

fn whole_application(args: &Args, app_path: &Path) -> Result<String, Failure> {
    let live_path = args.live.as_ref().ok_or_else(|| {
        plain("APP.yaml needs --live OBJECTS.yaml (the objects read back from the cluster)")
    })?;
    if args.input.is_some() {
        return Err(plain("--input goes with --definition, not with APP.yaml"));
    }
    let (defs, registry) = load(args)?;
    let (name, text) = read(app_path)?;
    let docs = ferrocue_export::read_yaml(&name, &text).map_err(|e| read_error(&name, &text, e))?;
    let doc = docs
        .into_iter()
        .next()
        .ok_or_else(|| at(&name, &text, 0, format!("{name}: empty document")))?;
    let app = Application::from_data(&doc).map_err(|e| at(&name, &text, 0, e.to_string()))?;
    let (lname, ltext) = read(live_path)?;
    let live =
        ferrocue_export::read_yaml(&lname, &ltext).map_err(|e| read_error(&lname, &ltext, e))?;
    let live = LiveObjects::new(live);

    let mut renderer = Renderer::new(defs);
    *renderer.limits_mut() = args.budget.limits();
    for kv in &args.set {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| plain(format!("--set {kv:?}: expected key=value")))?;
        renderer.context_mut().set(k, v).map_err(plain)?;
    }
    let statuses = application_status(&renderer, &registry, &app, &live, args.budget.limits())
        .map_err(|e| plain(e.to_string()))?;
    if args.explain {
        for c in &statuses {
            for p in &c.problems {
                eprintln!("component {}: {p}", c.name);
            }
            for t in &c.traits {
                for p in &t.problems {
                    eprintln!("component {}, trait {}: {p}", c.name, t.type_name);
                }
            }
            for m in &c.missing {
                eprintln!("component {}: no live object for {m}", c.name);
            }
        }
    }
    let data: Vec<Data> = statuses.iter().map(|s| s.to_data()).collect();
    Ok(match args.out {
        Out::Yaml => ferrocue_export::to_yaml(&Data::List(data)),
        Out::Json => ferrocue_export::to_json(&Data::List(data)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cmd {
        #[command(flatten)]
        args: Args,
    }

    fn args(argv: &[&str]) -> Args {
        let mut all = vec!["status"];
        all.extend_from_slice(argv);
        Cmd::try_parse_from(all).expect("valid arguments").args
    }

    /// A file in a fresh directory of the system's temporary directory.
    fn file(test: &str, name: &str, text: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("ferrocue-status-{}-{test}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir is writable");
        let p = dir.join(name);
        std::fs::write(&p, text).expect("temp file is writable");
        p
    }

    const LIVE: &str = r#"{"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "generation": 1},
        "spec": {"replicas": 2},
        "status": {"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "readyReplicas": 1}}"#;

    #[test]
    fn one_definition_prints_health_message_and_details() {
        let case = file(
            "one",
            "case.json",
            &format!(
                r#"{{"context": {{"name": "web", "appName": "shop"}}, "parameter": {{"image": "nginx"}}, "output": {LIVE}}}"#
            ),
        );
        let p = case.display().to_string();
        let a = args(&["--definition", "component/webservice", "--input", &p]);
        let out = one_definition(&a, "component/webservice").expect("evaluates");
        assert_eq!(
            out,
            "{\n    \"healthy\": false,\n    \"message\": \"Ready:1/2\",\n    \"details\": {}\n}\n"
        );
    }

    #[test]
    fn bad_inputs_are_errors_with_positions() {
        assert!(parse_kind("webservice").is_err());
        assert!(parse_kind("policy/x").is_err());
        assert!(parse_kind("trait/").is_err());
        let bad = file("bad", "bad.json", "{\"context\": [1,\n");
        let p = bad.display().to_string();
        let a = args(&["--definition", "component/webservice", "--input", &p]);
        let e = one_definition(&a, "component/webservice").expect_err("invalid JSON");
        assert!(e.source.is_some(), "{e}");
        let unknown = file("unknown", "u.json", "{\"contxt\": {}}");
        let p = unknown.display().to_string();
        let a = args(&["--definition", "component/webservice", "--input", &p]);
        let e = one_definition(&a, "component/webservice").expect_err("unknown key");
        assert!(e.message.contains("unknown key \"contxt\""), "{e}");
        assert_eq!(e.source.as_ref().map(|s| s.1), Some(1));
        let a = args(&["--definition", "component/nope", "--input", &p]);
        assert!(one_definition(&a, "component/nope").is_err());
    }

    #[test]
    fn whole_application_aggregates_each_component() {
        let app = file(
            "app",
            "app.yaml",
            "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: {name: shop}\n\
             spec:\n  components:\n  - name: web\n    type: webservice\n    properties: {image: nginx}\n\
             \x20   traits: [{type: scaler, properties: {replicas: 2}}, {type: expose, properties: {port: [80]}}]\n",
        );
        let live = file("app", "live.yaml", LIVE);
        let (a, l) = (app.display().to_string(), live.display().to_string());
        let out = whole_application(&args(&[&a, "--live", &l, "--out", "json"]), &app)
            .expect("evaluates");
        let data = ferrocue_export::read_json("out.json", &out).expect("JSON output");
        let Data::List(items) = data else {
            panic!("a list of components: {out}")
        };
        let Data::Map(c) = &items[0] else {
            panic!("a component: {out}")
        };
        assert_eq!(c["healthy"], Data::Bool(false));
        assert_eq!(c["message"], Data::string("Ready:1/2"));
        let Data::List(traits) = &c["traits"] else {
            panic!("traits: {out}")
        };
        assert_eq!(traits.len(), 2);
        let Data::Map(expose) = &traits[1] else {
            panic!("expose: {out}")
        };
        assert_eq!(expose["pending"], Data::Bool(true));
    }
}
