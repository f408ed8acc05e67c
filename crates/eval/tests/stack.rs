//! The default depth budget protects the native stack of an ordinary main thread: hostile
//! depth fails with a budget error on an 8 MiB thread instead of overflowing it. (A 900-deep
//! selector chain `a.b.b…` overflows 4 MiB in a debug build: expression nesting, bounded only
//! by the parser's 1,000 levels, is not counted by the depth budget; see spec/robustness.md.)
//! A stack overflow aborts the test binary, so this test cannot pass by accident.

use ferrocue_eval::load::export_sources;
use ferrocue_eval::Limits;

fn on_small_stack(src: String) -> Result<String, String> {
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let files = vec![("t.cue".to_string(), src)];
            export_sources(&files, None, Limits::default())
                .map(|d| ferrocue_export::to_json(&d))
                .map_err(|e| e.to_string())
        })
        .expect("spawn")
        .join()
        .expect("no panic")
}

#[test]
fn reference_chain_on_an_8_mib_stack() {
    let mut src = String::new();
    for i in 0..5_000 {
        src.push_str(&format!("a{i}: {{x: a{}}}\n", i + 1));
    }
    src.push_str("a5000: 1\n");
    let err = on_small_stack(src).expect_err("deeper than the budget");
    assert!(err.contains("evaluation depth limit exceeded"), "{err}");
}

#[test]
fn nested_structs_and_selectors_on_an_8_mib_stack() {
    let depth = 900;
    let src = format!(
        "a: {}1{}\nx: a{}\n",
        "{b: ".repeat(depth),
        "}".repeat(depth),
        ".b".repeat(depth)
    );
    let err = on_small_stack(src).expect_err("deeper than the budget");
    assert!(err.contains("evaluation depth limit exceeded"), "{err}");
}

#[test]
fn recursive_definition_on_an_8_mib_stack() {
    let err = on_small_stack("#L: {next: #L}\nx: #L\n".to_string()).expect_err("cycle");
    assert!(
        err.contains("depth limit exceeded") || err.contains("structural cycle"),
        "{err}"
    );
}
