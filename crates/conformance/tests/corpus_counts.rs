//! The check extraction must find exactly the figures the corpus README states:
//! 819 files, 2,185 expected outputs, 2,534 expected errors.

use ferrocue_conformance::corpus::{self, Category};

#[test]
fn extraction_matches_the_corpus_readme() {
    let dir = ferrocue_conformance::default_corpus();
    if !dir.join("whole").is_dir() {
        eprintln!("SKIP: no conformance corpus at {}", dir.display());
        return;
    }
    let cases = corpus::load(&dir).expect("the corpus loads");
    let count = |cat: Category| {
        cases
            .iter()
            .flat_map(|c| &c.checks)
            .filter(|k| k.category == cat)
            .count()
    };
    assert_eq!(cases.len(), 819);
    assert_eq!(count(Category::Output), 2185);
    assert_eq!(count(Category::Error), 2534);
    // README: three cases export to JSON but not to YAML; the other 344 oracle JSON cases
    // have an out.yaml. Two script cases compare stderr of a successful command.
    assert_eq!(count(Category::YamlError), 3);
    assert_eq!(count(Category::YamlOutput), 344);
    assert_eq!(count(Category::Stderr), 2);
    assert_eq!(
        cases.iter().filter(|c| c.group == "cmd-script").count(),
        110
    );
    // 16 oracle cases carry cue.mod/module.cue, plus some scripts.
    let with_module = cases
        .iter()
        .filter(|c| {
            c.group != "cmd-script" && c.files.iter().any(|(n, _)| n == "cue.mod/module.cue")
        })
        .count();
    assert_eq!(with_module, 16);
}

#[test]
fn our_golden_cases_load() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/export");
    let cases = corpus::load(&dir).expect("testdata/export loads");
    assert_eq!(cases.len(), 7);
    assert!(cases.iter().all(|c| c.group == "json"));
    let outputs = cases
        .iter()
        .flat_map(|c| &c.checks)
        .filter(|k| k.category == Category::Output)
        .count();
    assert_eq!(outputs, 38);
}
