//! The ratchet: a committed baseline of pass counts that a run may not fall below.
//!
//! The baseline file holds one [`Summary`] per mode (`export`, `parse`). A run fails the
//! check when any total pass count drops below the baseline or panics/hangs exceed it.
//! Per-group drops are reported as warnings only: work on the evaluator legitimately moves
//! individual checks around, and the totals are what must only go up.

use serde::{Deserialize, Serialize};

use std::time::Duration;

use crate::report::{Summary, Tally};
use crate::run::CheckResult;

/// The results as a baseline should record them: a run slower than `margin` is counted as a
/// hang that did not pass, so the recorded pass counts are ones a slower machine also reaches
/// and the recorded hang maximum allows for those runs timing out there.
pub fn conservative(results: &[CheckResult], margin: Duration) -> Vec<CheckResult> {
    let margin_ms = u64::try_from(margin.as_millis()).unwrap_or(u64::MAX);
    results
        .iter()
        .map(|r| {
            let mut r = r.clone();
            if r.millis > margin_ms && !r.hang {
                r.pass = false;
                r.exact = false;
                r.hang = true;
            }
            r
        })
        .collect()
}

/// The baseline file's contents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export: Option<Summary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parse: Option<Summary>,
}

/// The baseline as committed: pretty JSON with one line per group, so that a change of
/// figures shows up in review as a one-line diff per group.
pub fn to_text(baseline: &Baseline) -> Result<String, serde_json::Error> {
    let mut out = String::from("{");
    let sections = [("export", &baseline.export), ("parse", &baseline.parse)];
    let mut first_section = true;
    for (name, section) in sections {
        let Some(summary) = section else { continue };
        if !first_section {
            out.push(',');
        }
        first_section = false;
        out.push_str(&format!(
            "\n  \"{name}\": {{\n    \"totals\": {},\n    \"groups\": {{",
            serde_json::to_string(&summary.totals)?
        ));
        for (i, (group, tally)) in summary.groups.iter().enumerate() {
            let sep = if i == 0 { "" } else { "," };
            out.push_str(&format!(
                "{sep}\n      {}: {}",
                serde_json::to_string(group)?,
                serde_json::to_string(tally)?
            ));
        }
        out.push_str("\n    }\n  }");
    }
    out.push_str("\n}\n");
    Ok(out)
}

/// Which section of the baseline a run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Export,
    Parse,
}

impl Baseline {
    pub fn section(&self, mode: Mode) -> Option<&Summary> {
        match mode {
            Mode::Export => self.export.as_ref(),
            Mode::Parse => self.parse.as_ref(),
        }
    }

    pub fn set_section(&mut self, mode: Mode, summary: Summary) {
        match mode {
            Mode::Export => self.export = Some(summary),
            Mode::Parse => self.parse = Some(summary),
        }
    }
}

/// The pass counts that must not go down, by name.
fn pass_counts(t: &Tally) -> [(&'static str, u32); 5] {
    [
        ("outputs", t.outputs),
        ("errors", t.errors),
        ("yaml", t.yaml),
        ("yaml_errors", t.yaml_errors),
        ("stderr", t.stderr),
    ]
}

/// The outcome of comparing a run with its baseline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Reasons the ratchet fails.
    pub failures: Vec<String>,
    /// Things worth knowing that do not fail it.
    pub notes: Vec<String>,
}

/// Compares `now` with `base`.
pub fn compare(base: &Summary, now: &Summary) -> Comparison {
    let mut c = Comparison::default();
    for ((name, was), (_, is)) in pass_counts(&base.totals)
        .into_iter()
        .zip(pass_counts(&now.totals))
    {
        if is < was {
            c.failures
                .push(format!("total {name} passed dropped from {was} to {is}"));
        } else if is > was {
            c.notes.push(format!("total {name} passed rose from {was} to {is} (update the baseline with --write-baseline)"));
        }
    }
    if now.totals.panics > base.totals.panics {
        c.failures.push(format!(
            "panics rose from {} to {}",
            base.totals.panics, now.totals.panics
        ));
    }
    if now.totals.hangs > base.totals.hangs {
        c.failures.push(format!(
            "hangs rose from {} to {}",
            base.totals.hangs, now.totals.hangs
        ));
    }
    if now.totals.total() != base.totals.total() {
        c.notes.push(format!(
            "the corpus now has {} checks, the baseline {}: was the corpus changed?",
            now.totals.total(),
            base.totals.total()
        ));
    }
    for (group, was) in &base.groups {
        let is = now.groups.get(group).copied().unwrap_or_default();
        for ((name, w), (_, i)) in pass_counts(was).into_iter().zip(pass_counts(&is)) {
            if i < w {
                c.notes.push(format!(
                    "group {group}: {name} passed dropped from {w} to {i}"
                ));
            }
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(outputs: u32, errors: u32, panics: u32) -> Summary {
        let totals = Tally {
            outputs,
            outputs_expected: 10,
            errors,
            errors_expected: 10,
            panics,
            ..Tally::default()
        };
        Summary {
            totals,
            groups: [("g".to_owned(), totals)].into_iter().collect(),
        }
    }

    #[test]
    fn equal_and_better_runs_pass() {
        assert!(compare(&summary(3, 4, 0), &summary(3, 4, 0))
            .failures
            .is_empty());
        let c = compare(&summary(3, 4, 0), &summary(5, 4, 0));
        assert!(c.failures.is_empty());
        assert!(
            c.notes
                .iter()
                .any(|n| n.contains("outputs passed rose from 3 to 5")),
            "{c:?}"
        );
    }

    #[test]
    fn drops_and_new_panics_fail() {
        let c = compare(&summary(3, 4, 0), &summary(3, 3, 0));
        assert_eq!(c.failures, ["total errors passed dropped from 4 to 3"]);
        let c = compare(&summary(3, 4, 0), &summary(9, 9, 1));
        assert_eq!(c.failures, ["panics rose from 0 to 1"]);
    }

    #[test]
    fn slow_runs_are_recorded_as_possible_hangs() {
        let run = |millis: u64, pass: bool, hang: bool| CheckResult {
            case: 0,
            id: "x".into(),
            category: crate::corpus::Category::Output,
            pass,
            exact: pass,
            panic: false,
            hang,
            exit: Some(0),
            millis,
            detail: String::new(),
        };
        let results = [
            run(10, true, false),
            run(6000, true, false),
            run(10_500, false, true),
        ];
        let c = conservative(&results, Duration::from_secs(5));
        let flags: Vec<(bool, bool)> = c.iter().map(|r| (r.pass, r.hang)).collect();
        assert_eq!(flags, [(true, false), (false, true), (false, true)]);
    }

    #[test]
    fn baseline_round_trips_through_json() {
        let mut b = Baseline::default();
        b.set_section(Mode::Export, summary(1, 2, 0));
        let text = to_text(&b).expect("serializable");
        assert!(text.contains("\n      \"g\": {\"outputs\":1,"), "{text}");
        let back: Baseline = serde_json::from_str(&text).expect("parses");
        assert_eq!(back, b);
        assert!(back.section(Mode::Parse).is_none());
    }
}
