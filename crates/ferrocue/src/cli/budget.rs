//! Evaluation budget flags shared by the evaluating subcommands (`export`, `render`).

use std::time::Duration;

use ferrocue_eval::Limits;

/// Budgets that stop a runaway evaluation with an error naming the budget (see
/// spec/robustness.md); defaults are `Limits::default()`.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct BudgetArgs {
    /// Maximum nesting of evaluations (references within references, nested values).
    #[arg(long, value_name = "N")]
    max_depth: Option<u32>,
    /// Maximum units of evaluation work (conjuncts processed).
    #[arg(long, value_name = "N")]
    max_steps: Option<u64>,
    /// Maximum number of value nodes created (bounds memory).
    #[arg(long, value_name = "N")]
    max_nodes: Option<u64>,
    /// Maximum number of disjunct alternatives evaluated.
    #[arg(long, value_name = "N")]
    max_disjuncts: Option<u64>,
    /// Maximum size of the exported data in bytes.
    #[arg(long, value_name = "BYTES")]
    max_output_bytes: Option<u64>,
    /// Wall-clock limit of each evaluation: `30`, `2.5s` or `500ms`.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    timeout: Option<Duration>,
}

impl BudgetArgs {
    pub fn limits(&self) -> Limits {
        let d = Limits::default();
        Limits {
            max_depth: self.max_depth.unwrap_or(d.max_depth),
            max_steps: self.max_steps.unwrap_or(d.max_steps),
            max_nodes: self.max_nodes.unwrap_or(d.max_nodes),
            max_disjuncts: self.max_disjuncts.unwrap_or(d.max_disjuncts),
            max_output_bytes: self.max_output_bytes.unwrap_or(d.max_output_bytes),
            timeout: self.timeout.or(d.timeout),
        }
    }
}

/// Seconds (`30`, `2.5`, `2.5s`) or milliseconds (`500ms`).
fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (num, scale) = if let Some(ms) = t.strip_suffix("ms") {
        (ms, 1e-3)
    } else {
        (t.strip_suffix('s').unwrap_or(t), 1.0)
    };
    let secs: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("invalid duration {text:?}: expected e.g. 30, 2.5s or 500ms"))?;
    Duration::try_from_secs_f64(secs * scale).map_err(|e| format!("invalid duration {text:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("2.5s"), Ok(Duration::from_millis(2500)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert!(parse_duration("-1").is_err());
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn unset_flags_keep_the_defaults() {
        assert_eq!(BudgetArgs::default().limits(), Limits::default());
    }
}
