//! Evaluation budget flags shared by the evaluating subcommands (`export`, `render`).

use std::time::Duration;

use ferrocue_eval::Limits;

/// Budgets that stop a runaway evaluation with an error naming the budget (see
/// spec/robustness.md); defaults are `Limits::fitted_to_machine`: `Limits::default()` with the
/// memory budget lowered to half of what the machine, container or `ulimit -v` leaves.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct BudgetArgs {
    /// Maximum nesting of evaluations (references within references, nested values).
    #[arg(long, value_name = "N")]
    max_depth: Option<u32>,
    /// Maximum units of evaluation work (conjuncts processed).
    #[arg(long, value_name = "N")]
    max_steps: Option<u64>,
    /// Maximum number of value nodes created (default: unlimited; --max-memory bounds them).
    #[arg(long, value_name = "N")]
    max_nodes: Option<u64>,
    /// Maximum estimated memory of the evaluation: `2GiB`, `512MiB`, `512M` or bytes
    /// (default: 2GiB, or half of the memory limit the process has, if lower).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_memory: Option<u64>,
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
        // The worker thread's stack is address space already spoken for.
        let d = Limits::fitted_to_machine(super::STACK_SIZE as u64);
        Limits {
            max_depth: self.max_depth.unwrap_or(d.max_depth),
            max_steps: self.max_steps.unwrap_or(d.max_steps),
            max_nodes: self.max_nodes.unwrap_or(d.max_nodes),
            max_memory: self.max_memory.unwrap_or(d.max_memory),
            max_disjuncts: self.max_disjuncts.unwrap_or(d.max_disjuncts),
            max_output_bytes: self.max_output_bytes.unwrap_or(d.max_output_bytes),
            timeout: self.timeout.or(d.timeout),
        }
    }
}

/// Bytes with an optional binary unit: `1073741824`, `1GiB`, `512MiB`, `512M`, `64k`.
fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => {
            return Err(format!(
                "invalid size {text:?}: expected e.g. 2GiB, 512MiB or bytes"
            ))
        }
    };
    let n: u64 = num
        .parse()
        .map_err(|_| format!("invalid size {text:?}: expected e.g. 2GiB, 512MiB or bytes"))?;
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("invalid size {text:?}: too large"))
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
    fn sizes() {
        assert_eq!(parse_size("1073741824"), Ok(1 << 30));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("512MiB"), Ok(512 << 20));
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("64k"), Ok(64 << 10));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("1.5G").is_err());
        assert!(parse_size("99999999999T").is_err());
    }

    #[test]
    fn unset_flags_keep_the_fitted_defaults() {
        let fitted = Limits::fitted_to_machine(super::super::STACK_SIZE as u64);
        assert_eq!(BudgetArgs::default().limits(), fitted);
        // Only the memory budget depends on the machine.
        assert_eq!(
            Limits {
                max_memory: Limits::default().max_memory,
                ..fitted
            },
            Limits::default()
        );
    }
}
