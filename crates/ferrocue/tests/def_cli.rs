//! `ferrocue def export`, `ferrocue def list` and `ferrocue render --check-traits` run as a user
//! runs them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ferrocue(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ferrocue"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn builtin(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../oam/definitions")
        .join(path)
        .display()
        .to_string()
}

fn temp(name: &str, body: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("ferrocue-def-cli-{}-{name}", std::process::id()));
    std::fs::write(&p, body).expect("write temp file");
    p
}

#[test]
fn export_prints_the_installed_object() {
    let out = ferrocue(&["def", "export", &builtin("trait/scaler.cue")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let yaml = text(&out.stdout);
    assert!(
        yaml.starts_with("apiVersion: core.oam.dev/v1beta1\nkind: TraitDefinition\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("  name: scaler\n  namespace: vela-system\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("  appliesToWorkloads:\n    - deployments.apps\n    - statefulsets.apps\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("        patch: spec: replicas: parameter.replicas\n"),
        "{yaml}"
    );

    let out = ferrocue(&[
        "def",
        "export",
        &builtin("component/webservice.cue"),
        "--out",
        "json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["kind"], "ComponentDefinition");
    assert_eq!(v["spec"]["workload"]["type"], "deployments.apps");
    assert!(v["spec"]["status"]["healthPolicy"]
        .as_str()
        .is_some_and(|s| s.contains("isHealth")));
    assert!(v["spec"]["schematic"]["cue"]["template"]
        .as_str()
        .is_some_and(|t| t.starts_with("import \"strings\"\n")));
}

#[test]
fn export_errors_name_file_line_and_column() {
    let p = temp(
        "bad.cue",
        "x: {\n\ttype: \"trait\"\n}\ntemplate: {\n\tpatch: a: nowhere\n}\n",
    );
    let out = ferrocue(&["def", "export", &p.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("{}:5:12", p.display())), "{err}");
    assert!(err.contains("nowhere"), "{err}");
    let _ = std::fs::remove_file(p);
}

#[test]
fn list_is_a_table_of_kind_name_description() {
    let out = ferrocue(&["def", "list"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("KIND  "), "{table}");
    assert!(
        lines[0].contains("NAME") && lines[0].ends_with("DESCRIPTION"),
        "{table}"
    );
    // Components first, then traits, each sorted by name; one line per definition.
    assert!(lines[1].starts_with("component  cron-task"), "{table}");
    assert!(
        lines.iter().any(|l| l.starts_with("trait      scaler ")),
        "{table}"
    );
    assert_eq!(lines.len(), 1 + 7 + 30, "{table}");
    let out = ferrocue(&["def", "list", "--out", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v[0]["kind"], "component");
    assert_eq!(v[0]["name"], "cron-task");
}

#[test]
fn check_traits_turns_the_warning_into_an_error() {
    let app = temp(
        "app.yaml",
        "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: {name: demo}\nspec:\n  \
         components:\n  - name: job\n    type: task\n    properties: {image: busybox}\n    \
         traits: [{type: scaler, properties: {replicas: 2}}]\n",
    );
    let msg = "the trait \"scaler\" cannot apply to workload \"task\" of component \"job\" \
               (appliable: [\"deployments.apps\" \"statefulsets.apps\"])";
    let out = ferrocue(&["render", &app.display().to_string()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains(&format!("warning: {msg}")));
    assert!(text(&out.stdout).contains("kind: Job"));
    let out = ferrocue(&["render", "--check-traits", &app.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains(msg), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let _ = std::fs::remove_file(app);
}
