//! Every KubeVela usage example (../shared/kubevela/usage-examples) rendered with KubeVela's own
//! definitions and with our built-in ones must give the same objects. Read at run time; skipped
//! when ../shared is absent. Prints one line per example and the total.

use std::path::{Path, PathBuf};

use ferrocue_export::Data;
use ferrocue_oam::{DefinitionSet, Renderer};

fn main() {
    // The evaluator recurses; give it the stack the CLI gives it.
    let child = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(run)
        .expect("spawning the example runner");
    if !child.join().unwrap_or(false) {
        std::process::exit(1);
    }
}

fn same(a: &Data, b: &Data) -> bool {
    match (a, b) {
        (Data::Map(x), Data::Map(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Data::List(x), Data::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        _ => a == b,
    }
}

fn render(r: &Renderer, name: &str, text: &str) -> Result<Data, String> {
    r.render_yaml(name, text)
        .map(|objs| Data::List(objs.into_iter().map(|o| o.object).collect()))
        .map_err(|e| e.to_string())
}

fn run() -> bool {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/kubevela");
    let examples = root.join("usage-examples");
    if !examples.is_dir() {
        println!("skipped: {} is absent", examples.display());
        return true;
    }
    let theirs = match DefinitionSet::from_dir(&root.join("definitions")) {
        Ok(d) => Renderer::new(d),
        Err(e) => {
            println!("FAIL loading KubeVela's definitions: {e}");
            return false;
        }
    };
    let ours = match Renderer::builtin() {
        Ok(r) => r,
        Err(e) => {
            println!("FAIL loading our definitions: {e}");
            return false;
        }
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&examples)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"));
    files.sort();
    let (mut equal, mut gaps, mut failed) = (0, 0, 0);
    for f in &files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                println!("FAIL {name}: {e}");
                continue;
            }
        };
        match (render(&theirs, &name, &text), render(&ours, &name, &text)) {
            (Ok(a), Ok(b)) if same(&a, &b) => {
                equal += 1;
                println!("ok   {name}");
            }
            (Ok(a), Ok(b)) => {
                failed += 1;
                println!(
                    "FAIL {name}: objects differ\n     kubevela: {}\n     ours:     {}",
                    ferrocue_export::to_json_compact(&a),
                    ferrocue_export::to_json_compact(&b)
                )
            }
            (Err(e), _) => {
                // KubeVela's own definitions are the reference: when the engine cannot render
                // them, the comparison cannot be judged (an evaluator gap, not a definition bug).
                gaps += 1;
                println!("gap  {name}: KubeVela's definitions do not render (evaluator gap)");
                println!("     {}", e.replace('\n', "\n     "));
            }
            (a, b) => {
                failed += 1;
                println!("FAIL {name}");
                if let Err(e) = a {
                    println!(
                        "     KubeVela's definitions: {}",
                        e.replace('\n', "\n     ")
                    );
                }
                if let Err(e) = b {
                    println!("     our definitions: {}", e.replace('\n', "\n     "));
                }
            }
        }
    }
    println!(
        "usage examples equal: {equal}/{}, {gaps} not judged (evaluator gaps), {failed} failed",
        files.len()
    );
    failed == 0
}
