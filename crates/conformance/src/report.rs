//! Counts results by group and prints them as a table or as machine-readable JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::corpus::{Case, Category};
use crate::run::CheckResult;

/// Pass and expected counts for a set of checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Expected outputs produced byte-for-byte.
    pub outputs: u32,
    pub outputs_expected: u32,
    /// Expected errors reported (exit 1, no crash).
    pub errors: u32,
    /// ... of which the reference's message was reproduced too.
    pub errors_exact: u32,
    pub errors_expected: u32,
    /// Whole-file YAML exports produced byte-for-byte.
    pub yaml: u32,
    pub yaml_expected: u32,
    /// Whole-file YAML exports the reference rejects, rejected too.
    pub yaml_errors: u32,
    pub yaml_errors_expected: u32,
    /// Script checks on the stderr of a successful command.
    pub stderr: u32,
    pub stderr_expected: u32,
    /// Runs that panicked or crashed.
    pub panics: u32,
    /// Runs killed at the deadline.
    pub hangs: u32,
}

impl Tally {
    /// Adds one check result.
    pub fn add(&mut self, r: &CheckResult) {
        let pass = u32::from(r.pass);
        match r.category {
            Category::Output => {
                self.outputs += pass;
                self.outputs_expected += 1;
            }
            Category::Error => {
                self.errors += pass;
                self.errors_exact += u32::from(r.pass && r.exact);
                self.errors_expected += 1;
            }
            Category::YamlOutput => {
                self.yaml += pass;
                self.yaml_expected += 1;
            }
            Category::YamlError => {
                self.yaml_errors += pass;
                self.yaml_errors_expected += 1;
            }
            Category::Stderr => {
                self.stderr += pass;
                self.stderr_expected += 1;
            }
        }
        self.panics += u32::from(r.panic);
        self.hangs += u32::from(r.hang);
    }

    /// Checks passed, over all categories.
    pub fn passed(&self) -> u32 {
        self.outputs + self.errors + self.yaml + self.yaml_errors + self.stderr
    }

    /// Checks run, over all categories.
    pub fn total(&self) -> u32 {
        self.outputs_expected
            + self.errors_expected
            + self.yaml_expected
            + self.yaml_errors_expected
            + self.stderr_expected
    }
}

/// Tallies by group plus the grand total.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub totals: Tally,
    pub groups: BTreeMap<String, Tally>,
}

impl Summary {
    pub fn from_results(cases: &[Case], results: &[CheckResult]) -> Summary {
        let mut summary = Summary::default();
        for case in cases {
            // Groups with no result still appear, so a table always lists the whole corpus.
            summary.groups.entry(case.group.clone()).or_default();
        }
        for r in results {
            summary.totals.add(r);
            if let Some(case) = cases.get(r.case) {
                summary.groups.entry(case.group.clone()).or_default().add(r);
            }
        }
        summary
    }
}

fn ratio(pass: u32, expected: u32) -> String {
    format!("{pass}/{expected}")
}

/// The export-mode table: one row per group, then the totals.
pub fn export_table(summary: &Summary) -> String {
    let mut out = format!(
        "{:<34} {:>11} {:>11} {:>9} {:>9} {:>7} {:>6}\n",
        "group", "outputs", "errors", "yaml", "yaml-err", "panics", "hangs"
    );
    let row = |name: &str, t: &Tally| {
        format!(
            "{:<34} {:>11} {:>11} {:>9} {:>9} {:>7} {:>6}\n",
            name,
            ratio(t.outputs, t.outputs_expected),
            ratio(t.errors, t.errors_expected),
            ratio(t.yaml, t.yaml_expected),
            ratio(t.yaml_errors, t.yaml_errors_expected),
            t.panics,
            t.hangs
        )
    };
    for (name, t) in &summary.groups {
        out.push_str(&row(name, t));
    }
    out.push_str(&row("TOTAL", &summary.totals));
    let t = &summary.totals;
    out.push_str(&format!(
        "\noutputs produced exactly: {} / {} expected outputs\n\
         errors reported:          {} / {} expected errors ({} with the reference's message)\n\
         yaml outputs:             {} / {} (yaml errors {} / {})\n\
         script stderr checks:     {} / {}\n\
         panics: {}   hangs: {}   checks passed: {} / {}\n",
        t.outputs,
        t.outputs_expected,
        t.errors,
        t.errors_expected,
        t.errors_exact,
        t.yaml,
        t.yaml_expected,
        t.yaml_errors,
        t.yaml_errors_expected,
        t.stderr,
        t.stderr_expected,
        t.panics,
        t.hangs,
        t.passed(),
        t.total()
    ));
    out
}

/// The parse-mode table: files parsed per group, then the totals.
pub fn parse_table(summary: &Summary) -> String {
    let mut out = format!(
        "{:<34} {:>11} {:>7} {:>6}\n",
        "group", "parsed", "panics", "hangs"
    );
    let row = |name: &str, t: &Tally| {
        format!(
            "{:<34} {:>11} {:>7} {:>6}\n",
            name,
            ratio(t.outputs, t.outputs_expected),
            t.panics,
            t.hangs
        )
    };
    for (name, t) in &summary.groups {
        if t.outputs_expected > 0 {
            out.push_str(&row(name, t));
        }
    }
    out.push_str(&row("TOTAL", &summary.totals));
    out.push_str(&format!(
        "\nfiles parsed: {} / {}   panics: {}   hangs: {}\n",
        summary.totals.outputs,
        summary.totals.outputs_expected,
        summary.totals.panics,
        summary.totals.hangs
    ));
    out
}

/// One check in the JSON results file.
#[derive(Debug, Clone, Serialize)]
pub struct CheckRecord<'a> {
    pub case: String,
    pub group: &'a str,
    pub check: &'a str,
    pub category: &'static str,
    pub pass: bool,
    pub exact: bool,
    pub panic: bool,
    pub hang: bool,
    pub exit: Option<i32>,
    pub millis: u64,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub detail: &'a str,
}

/// The whole JSON results document.
#[derive(Debug, Clone, Serialize)]
pub struct Results<'a> {
    pub mode: &'static str,
    pub binary: String,
    pub corpus: String,
    pub summary: &'a Summary,
    pub checks: Vec<CheckRecord<'a>>,
}

/// Per-check records for the JSON results.
pub fn records<'a>(cases: &'a [Case], results: &'a [CheckResult]) -> Vec<CheckRecord<'a>> {
    results
        .iter()
        .filter_map(|r| {
            let case = cases.get(r.case)?;
            Some(CheckRecord {
                case: case.full_name(),
                group: &case.group,
                check: &r.id,
                category: r.category.name(),
                pass: r.pass,
                exact: r.exact,
                panic: r.panic,
                hang: r.hang,
                exit: r.exit,
                millis: r.millis,
                detail: &r.detail,
            })
        })
        .collect()
}

/// What `--since` needs from an earlier `--json-out` file.
#[derive(Debug, Clone, Deserialize)]
pub struct PastResults {
    pub mode: String,
    pub checks: Vec<PastCheck>,
}

/// One check of an earlier run.
#[derive(Debug, Clone, Deserialize)]
pub struct PastCheck {
    pub case: String,
    pub check: String,
    pub pass: bool,
}

/// Checks that changed since an earlier run, as `case check` names:
/// (passed before and fail now, failed before and pass now). Checks absent from either run
/// are ignored, so a filtered run can be compared with a full one.
pub fn changes_since(
    past: &PastResults,
    cases: &[Case],
    results: &[CheckResult],
) -> (Vec<String>, Vec<String>) {
    let before: std::collections::HashMap<(&str, &str), bool> = past
        .checks
        .iter()
        .map(|c| ((c.case.as_str(), c.check.as_str()), c.pass))
        .collect();
    let mut broken = Vec::new();
    let mut fixed = Vec::new();
    for r in results {
        let Some(case) = cases.get(r.case) else {
            continue;
        };
        let name = case.full_name();
        match before.get(&(name.as_str(), r.id.as_str())) {
            Some(true) if !r.pass => broken.push(format!("{name} {}", r.id)),
            Some(false) if r.pass => fixed.push(format!("{name} {}", r.id)),
            _ => {}
        }
    }
    (broken, fixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(case: usize, category: Category, pass: bool) -> CheckResult {
        CheckResult {
            case,
            id: "x".into(),
            category,
            pass,
            exact: false,
            panic: false,
            hang: false,
            exit: Some(1),
            millis: 1,
            detail: String::new(),
        }
    }

    fn case(group: &str) -> Case {
        Case {
            group: group.into(),
            name: "n".into(),
            files: Vec::new(),
            checks: Vec::new(),
        }
    }

    #[test]
    fn tallies_by_group_and_category() {
        let cases = [case("a"), case("b"), case("c")];
        let mut crashed = result(1, Category::Error, false);
        crashed.panic = true;
        let results = [
            result(0, Category::Output, true),
            result(0, Category::Output, false),
            result(0, Category::YamlOutput, true),
            result(1, Category::Error, true),
            crashed,
        ];
        let s = Summary::from_results(&cases, &results);
        assert_eq!(s.totals.outputs, 1);
        assert_eq!(s.totals.outputs_expected, 2);
        assert_eq!(s.totals.errors, 1);
        assert_eq!(s.totals.errors_expected, 2);
        assert_eq!(s.totals.errors_exact, 0);
        assert_eq!(s.totals.yaml, 1);
        assert_eq!(s.totals.panics, 1);
        assert_eq!(s.totals.passed(), 3);
        assert_eq!(s.totals.total(), 5);
        assert_eq!(s.groups["a"].outputs_expected, 2);
        assert_eq!(s.groups["b"].panics, 1);
        assert_eq!(s.groups["c"], Tally::default());
        let table = export_table(&s);
        assert!(
            table.contains("outputs produced exactly: 1 / 2 expected outputs"),
            "{table}"
        );
        assert!(
            table
                .lines()
                .any(|l| l.starts_with("TOTAL") && l.contains("1/2")),
            "{table}"
        );
    }

    #[test]
    fn changes_since_an_earlier_run() {
        let cases = [case("a")];
        let mut first = result(0, Category::Output, true);
        first.id = "field/x.json".into();
        let mut second = result(0, Category::Error, true);
        second.id = "field/y.err".into();
        let mut third = result(0, Category::Output, false);
        third.id = "whole.json".into();
        let past: PastResults = serde_json::from_str(
            r#"{"mode":"export","checks":[
                {"case":"g/n","check":"field/x.json","pass":false},
                {"case":"a/n","check":"field/x.json","pass":false},
                {"case":"a/n","check":"field/y.err","pass":true},
                {"case":"a/n","check":"whole.json","pass":true}]}"#,
        )
        .expect("valid results");
        let (broken, fixed) = changes_since(&past, &cases, &[first, second, third]);
        assert_eq!(broken, ["a/n whole.json"]);
        assert_eq!(fixed, ["a/n field/x.json"]);
    }
}
