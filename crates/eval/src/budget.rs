//! Evaluation budgets: the limits a caller sets and the counters that enforce them.
//!
//! Every budget fails the same way: the first time one is exceeded the budget *trips*, remembers
//! one `Code::Limit` error naming the budget and the path where it ran out, and from then on
//! every further step fails at once with that same error. Evaluation therefore winds down in
//! time proportional to the work already done, and export reports that single error instead of
//! one per unfinished field. See `spec/robustness.md`.

use std::rc::Rc;
use std::time::{Duration, Instant};

use crate::error::{Code, Error, PathError};
use crate::eval::Evaluator;
use crate::stdlib;
use crate::vertex::{Vertex, VertexId};

/// Evaluation budgets: exceeding one yields an error value instead of exhausting the stack,
/// the memory or the caller's patience.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Maximum nesting of vertex evaluations (references followed inside references,
    /// nested structs being finalized). Bounds the native stack the evaluator uses.
    pub max_depth: u32,
    /// Maximum number of conjuncts processed (the evaluator's unit of work).
    pub max_steps: u64,
    /// Maximum number of vertices (value nodes) created: a machine-independent bound on the
    /// evaluator's size, unlimited by default (`max_memory` bounds it instead).
    pub max_nodes: u64,
    /// Maximum estimated memory of the evaluator's values, in bytes: vertices created times
    /// [`VERTEX_BYTES`]. An estimate, not a measurement, so the same input fails the same way
    /// on every run; see [`Limits::fitted_to_machine`] for a default that fits the machine.
    pub max_memory: u64,
    /// Maximum number of disjunct clones evaluated while resolving disjunctions.
    pub max_disjuncts: u64,
    /// Maximum size of the exported data, counted as scalar text plus field names plus a few
    /// bytes of punctuation per value (close to the compact JSON size).
    pub max_output_bytes: u64,
    /// Wall-clock time allowed from the evaluator's creation (or the last
    /// [`Budget::restart`]); `None` means no deadline.
    pub timeout: Option<Duration>,
}

impl Limits {
    /// Budgets so large that only a runaway evaluation reaches them (for callers that
    /// supply their own protection). Depth stays bounded: it protects the native stack.
    pub fn generous() -> Self {
        Limits {
            max_depth: 2_000,
            max_steps: u64::MAX,
            max_nodes: u64::MAX,
            max_memory: u64::MAX,
            max_disjuncts: u64::MAX,
            max_output_bytes: u64::MAX,
            timeout: None,
        }
    }

    /// The defaults with the memory budget lowered to fit this machine: at most half of the
    /// physical memory and of the cgroup (container) limit, and a third of the address-space
    /// limit (`ulimit -v`) left after `reserved` bytes (thread stacks the caller has set aside)
    /// and [`MAPPING_SLACK`]; rounded down to whole MiB. Half, because the estimate leaves out
    /// the allocator's slack, scalar payloads and the exported output; a third of address
    /// space, because growing the vertex arena briefly needs its old and new copies.
    pub fn fitted_to_machine(reserved: u64) -> Self {
        let mut l = Limits::default();
        let ceilings = [physical_memory(), cgroup_limit(), address_space_limit()];
        if let Some(fit) = fitted_memory(ceilings, reserved) {
            l.max_memory = l.max_memory.min(fit);
        }
        l
    }
}

/// The memory budget [`Limits::fitted_to_machine`] derives from the physical, cgroup and
/// address-space ceilings (each where known).
fn fitted_memory(
    [physical, cgroup, address_space]: [Option<u64>; 3],
    reserved: u64,
) -> Option<u64> {
    let address_space =
        address_space.map(|a| a.saturating_sub(reserved.saturating_add(MAPPING_SLACK)) / 3);
    let resident = [physical, cgroup].into_iter().flatten().map(|m| m / 2);
    resident.chain(address_space).min().map(|m| m >> 20 << 20)
}

/// Estimated bytes per vertex: the vertex itself plus what its maps and vectors hold on the
/// heap on average. Measured on gen_services (about 1.2 KB of resident memory per vertex, the
/// most of the shapes measured; a billion-laughs tree takes 0.9 KB, a comprehension 0.6 KB).
pub const VERTEX_BYTES: u64 = std::mem::size_of::<Vertex>() as u64 + VERTEX_HEAP_BYTES;

/// The heap part of [`VERTEX_BYTES`]: arcs, conjuncts and positions of a typical vertex.
const VERTEX_HEAP_BYTES: u64 = 640;

/// The default memory budget: room for configurations of about 1.7 million vertices (a
/// 48,000-service gen_services file), while a runaway evaluation stops within seconds.
pub const DEFAULT_MAX_MEMORY: u64 = 2 << 30;

/// Address space an address-space limit loses to things other than values: the executable and
/// its libraries, the allocator's per-thread arenas (reserved 64 MiB at a time).
pub const MAPPING_SLACK: u64 = 128 << 20;

/// The tightest memory ceiling this process has, where it can be read (Linux): physical
/// memory, the cgroup (container) limit, the address-space limit (`ulimit -v`). `None`
/// where none is known.
pub fn memory_ceiling() -> Option<u64> {
    [physical_memory(), cgroup_limit(), address_space_limit()]
        .into_iter()
        .flatten()
        .min()
}

fn physical_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

/// cgroup v2 `memory.max` of this process's group (or of the root a container sees), else
/// cgroup v1 `memory.limit_in_bytes`; `max` and v1's "no limit" value read as none.
fn cgroup_limit() -> Option<u64> {
    let own = std::fs::read_to_string("/proc/self/cgroup")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("0::").map(|p| p.trim().to_string()))
        })
        .map(|p| format!("/sys/fs/cgroup{}/memory.max", p.trim_end_matches('/')));
    let candidates = own.into_iter().chain([
        "/sys/fs/cgroup/memory.max".to_string(),
        "/sys/fs/cgroup/memory/memory.limit_in_bytes".to_string(),
    ]);
    for path in candidates {
        if let Ok(text) = std::fs::read_to_string(&path) {
            // v1 reports "unlimited" as a page-rounded i64::MAX.
            return text.trim().parse().ok().filter(|&n: &u64| n < 1 << 60);
        }
    }
    None
}

/// The soft `RLIMIT_AS` from `/proc/self/limits` (read without libc: unsafe is forbidden).
fn address_space_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max address space"))?;
    line["Max address space".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// `2GiB`, `384MiB`, `1536KiB` or plain bytes: sizes in messages as the CLI accepts them.
pub fn format_size(bytes: u64) -> String {
    for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)] {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{}{unit}", bytes >> shift);
        }
    }
    bytes.to_string()
}

impl Default for Limits {
    /// Generous for real configurations (every case of the conformance corpus and the OAM
    /// definitions evaluates far below these), tight enough that a hostile input fails within
    /// seconds and well under 1 GiB of memory.
    fn default() -> Self {
        Limits {
            max_depth: 400,
            max_steps: 20_000_000,
            max_nodes: u64::MAX,
            max_memory: DEFAULT_MAX_MEMORY,
            max_disjuncts: 1_000_000,
            max_output_bytes: 256 << 20,
            timeout: None,
        }
    }
}

/// Which budget ran out; its name is the CLI flag that raises it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Exhausted {
    Depth,
    Steps,
    Nodes,
    Memory,
    Disjuncts,
    OutputBytes,
    Timeout,
}

impl Exhausted {
    /// The CLI flag that raises this budget (without `--`), also its name in messages.
    pub fn flag(self) -> &'static str {
        match self {
            Exhausted::Depth => "max-depth",
            Exhausted::Steps => "max-steps",
            Exhausted::Nodes => "max-nodes",
            Exhausted::Memory => "max-memory",
            Exhausted::Disjuncts => "max-disjuncts",
            Exhausted::OutputBytes => "max-output-bytes",
            Exhausted::Timeout => "timeout",
        }
    }

    /// The message of the error value: which budget ran out, its value, and the flag that
    /// raises it, e.g. `disjunction limit exceeded (max-disjuncts 1000): raise it with
    /// --max-disjuncts`.
    pub fn message(self, limits: &Limits) -> String {
        let (what, value) = match self {
            Exhausted::Depth => ("evaluation depth limit", limits.max_depth.to_string()),
            Exhausted::Steps => ("evaluation step limit", limits.max_steps.to_string()),
            Exhausted::Nodes => ("evaluation node limit", limits.max_nodes.to_string()),
            Exhausted::Memory => ("evaluation memory limit", format_size(limits.max_memory)),
            Exhausted::Disjuncts => ("disjunction limit", limits.max_disjuncts.to_string()),
            Exhausted::OutputBytes => ("output size limit", limits.max_output_bytes.to_string()),
            Exhausted::Timeout => (
                "evaluation timeout",
                match limits.timeout {
                    Some(t) => format!("{}ms", t.as_millis()),
                    None => "none".to_string(),
                },
            ),
        };
        let flag = self.flag();
        format!("{what} exceeded ({flag} {value}): raise it with --{flag}")
    }
}

/// A failed budget check: the budget ran out just now (the caller names the path), or earlier.
#[derive(Clone, Debug)]
pub enum Trip {
    New(Exhausted),
    Already(Rc<Error>),
}

/// The deadline is read from the clock only every this many steps: `Instant::now` costs
/// tens of nanoseconds, a step a few hundred.
const CLOCK_EVERY: u64 = 256; // a power of two: checked with a mask

/// The running counters of one evaluator.
#[derive(Clone, Debug)]
pub struct Budget {
    pub limits: Limits,
    pub steps: u64,
    pub disjuncts: u64,
    pub output_bytes: u64,
    deadline: Option<Instant>,
    /// The first exhausted budget, its error value and the path where it ran out.
    tripped: Option<(Exhausted, Rc<Error>, String)>,
}

impl Budget {
    pub fn new(limits: Limits) -> Self {
        Budget {
            limits,
            steps: 0,
            disjuncts: 0,
            output_bytes: 0,
            deadline: limits.timeout.map(|t| Instant::now() + t),
            tripped: None,
        }
    }

    /// Starts a fresh budget (counters zero, deadline from now); a tripped budget stays tripped
    /// because the values it cut short are already errors.
    pub fn restart(&mut self) {
        let tripped = self.tripped.take();
        *self = Budget::new(self.limits);
        self.tripped = tripped;
    }

    /// The error every step returns once a budget has run out.
    pub fn tripped(&self) -> Option<&Rc<Error>> {
        self.tripped.as_ref().map(|t| &t.1)
    }

    /// Which budget ran out and the path where it did.
    pub fn exhausted(&self) -> Option<(Exhausted, &str)> {
        self.tripped.as_ref().map(|t| (t.0, t.2.as_str()))
    }

    /// Records that `what` ran out at `path` (the first time only) and returns the error.
    pub fn trip(&mut self, what: Exhausted, path: impl FnOnce() -> String) -> Rc<Error> {
        if let Some(t) = &self.tripped {
            return t.1.clone();
        }
        let e = Error::new(Code::Limit, what.message(&self.limits), vec![]);
        self.tripped = Some((what, e.clone(), path()));
        e
    }

    /// Accounts one unit of work with `nodes` vertices alive; `Err` once any budget is out.
    pub fn step(&mut self, nodes: usize) -> Result<(), Trip> {
        if let Some(t) = &self.tripped {
            return Err(Trip::Already(t.1.clone()));
        }
        self.steps += 1;
        let what = if self.steps > self.limits.max_steps {
            Some(Exhausted::Steps)
        } else if nodes as u64 > self.limits.max_nodes {
            Some(Exhausted::Nodes)
        } else if memory_estimate(nodes) > self.limits.max_memory {
            Some(Exhausted::Memory)
        } else if self.steps & (CLOCK_EVERY - 1) == 0
            && self.deadline.is_some_and(|d| Instant::now() > d)
        {
            Some(Exhausted::Timeout)
        } else {
            None
        };
        match what {
            Some(w) => Err(Trip::New(w)),
            None => Ok(()),
        }
    }

    /// Accounts one disjunct clone.
    pub fn disjunct(&mut self) -> Result<(), Trip> {
        if let Some(t) = &self.tripped {
            return Err(Trip::Already(t.1.clone()));
        }
        self.disjuncts += 1;
        if self.disjuncts > self.limits.max_disjuncts {
            return Err(Trip::New(Exhausted::Disjuncts));
        }
        // A clone re-adds all conjuncts and is compared with its siblings: far more work than
        // a step, so the clock is read at every one (found by fuzzing: a 2 s timeout noticed
        // after 16 s).
        if self.deadline.is_some_and(|d| Instant::now() > d) {
            return Err(Trip::New(Exhausted::Timeout));
        }
        Ok(())
    }

    /// Accounts `n` bytes of exported output.
    pub fn output(&mut self, n: usize) -> Result<(), Trip> {
        if let Some(t) = &self.tripped {
            return Err(Trip::Already(t.1.clone()));
        }
        self.output_bytes = self.output_bytes.saturating_add(n as u64);
        if self.output_bytes > self.limits.max_output_bytes {
            return Err(Trip::New(Exhausted::OutputBytes));
        }
        Ok(())
    }
}

impl Evaluator {
    /// The error value for a failed budget check at vertex `v`.
    pub fn budget_error(&mut self, v: VertexId, t: Trip) -> Rc<Error> {
        match t {
            Trip::Already(e) => e,
            Trip::New(w) => {
                let p = self.path(v);
                self.budget.trip(w, || p)
            }
        }
    }

    /// Trips the depth budget at `v` (the evaluator checks depth itself: it owns the counter).
    pub fn trip_depth(&mut self, v: VertexId) -> Rc<Error> {
        self.budget_error(v, Trip::New(Exhausted::Depth))
    }

    /// Checks, before building them, that `n` more vertices fit the node and memory budgets: builtins
    /// (`list.Repeat`, `yaml.Unmarshal`) create whole trees without evaluation steps between.
    pub fn admit_nodes(&mut self, n: usize) -> Result<(), Rc<Error>> {
        if let Some(e) = self.budget.tripped() {
            return Err(e.clone());
        }
        let total = self.vertices.len().saturating_add(n);
        if total as u64 > self.limits.max_nodes {
            return Err(self.budget.trip(Exhausted::Nodes, String::new));
        }
        if memory_estimate(total) > self.limits.max_memory {
            return Err(self.budget.trip(Exhausted::Memory, String::new));
        }
        Ok(())
    }

    /// The single error to report when a budget has run out, with the path where it did.
    pub fn budget_failure(&self) -> Option<PathError> {
        let (_, path) = self.budget.exhausted()?;
        let e = self.budget.tripped()?;
        Some(PathError {
            path: path.to_string(),
            error: e.clone(),
        })
    }
}

/// The estimated memory of `nodes` vertices.
pub fn memory_estimate(nodes: usize) -> u64 {
    (nodes as u64).saturating_mul(VERTEX_BYTES)
}

/// How many vertices a builtin's result becomes.
pub fn data_nodes(v: &stdlib::Val) -> usize {
    match v {
        stdlib::Val::List(items) => 1 + items.iter().map(data_nodes).sum::<usize>(),
        stdlib::Val::Struct(fields) => 1 + fields.iter().map(|(_, x)| data_nodes(x)).sum::<usize>(),
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trips_once_and_stays_tripped() {
        let mut b = Budget::new(Limits {
            max_steps: 2,
            ..Limits::default()
        });
        assert!(b.step(0).is_ok());
        assert!(b.step(0).is_ok());
        assert!(matches!(b.step(0), Err(Trip::New(Exhausted::Steps))));
        let e = b.trip(Exhausted::Steps, || "a.b".into());
        assert_eq!(
            e.message,
            "evaluation step limit exceeded (max-steps 2): raise it with --max-steps"
        );
        assert_eq!(b.exhausted(), Some((Exhausted::Steps, "a.b")));
        // Later failures of other budgets report the first one.
        let Err(Trip::Already(e2)) = b.output(usize::MAX) else {
            panic!("a tripped budget fails every check with its first error")
        };
        assert!(Rc::ptr_eq(&e, &e2));
        b.restart();
        assert_eq!(b.steps, 0);
        assert!(b.tripped().is_some());
    }

    #[test]
    fn nodes_and_deadline() {
        let mut b = Budget::new(Limits {
            max_nodes: 10,
            ..Limits::default()
        });
        assert!(matches!(b.step(11), Err(Trip::New(Exhausted::Nodes))));
        assert_eq!(
            Exhausted::Nodes.message(&b.limits),
            "evaluation node limit exceeded (max-nodes 10): raise it with --max-nodes"
        );
        let mut b = Budget::new(Limits {
            timeout: Some(Duration::ZERO),
            ..Limits::default()
        });
        std::thread::sleep(Duration::from_millis(2));
        let r = (0..CLOCK_EVERY).try_for_each(|_| b.step(0));
        assert!(matches!(r, Err(Trip::New(Exhausted::Timeout))), "{r:?}");
    }

    #[test]
    fn memory_budget_counts_estimated_vertex_bytes() {
        let fits = (3 << 20) / VERTEX_BYTES as usize;
        let mut b = Budget::new(Limits {
            max_memory: 3 << 20,
            ..Limits::default()
        });
        assert!(b.step(fits).is_ok());
        assert!(matches!(
            b.step(fits + 1),
            Err(Trip::New(Exhausted::Memory))
        ));
        assert_eq!(
            Exhausted::Memory.message(&b.limits),
            "evaluation memory limit exceeded (max-memory 3MiB): raise it with --max-memory"
        );
        // The estimate is in the range measured (0.6–1.3 KB of resident memory per vertex).
        assert!((700..=2000).contains(&VERTEX_BYTES), "{VERTEX_BYTES}");
    }

    #[test]
    fn every_message_names_its_flag() {
        let l = Limits {
            timeout: Some(Duration::from_millis(1500)),
            ..Limits::default()
        };
        for (what, want) in [
            (
                Exhausted::Depth,
                "(max-depth 400): raise it with --max-depth",
            ),
            (
                Exhausted::Steps,
                "(max-steps 20000000): raise it with --max-steps",
            ),
            (
                Exhausted::Memory,
                "(max-memory 2GiB): raise it with --max-memory",
            ),
            (
                Exhausted::Disjuncts,
                "disjunction limit exceeded (max-disjuncts 1000000): raise it with --max-disjuncts",
            ),
            (
                Exhausted::OutputBytes,
                "(max-output-bytes 268435456): raise it with --max-output-bytes",
            ),
            (
                Exhausted::Timeout,
                "(timeout 1500ms): raise it with --timeout",
            ),
        ] {
            let m = what.message(&l);
            assert!(m.ends_with(want), "{m}");
        }
    }

    #[test]
    fn sizes_print_in_the_largest_exact_unit() {
        assert_eq!(format_size(2 << 30), "2GiB");
        assert_eq!(format_size(384 << 20), "384MiB");
        assert_eq!(format_size(1536 << 10), "1536KiB");
        assert_eq!(format_size(1000), "1000");
    }

    #[test]
    fn fitted_memory_takes_the_tightest_ceiling() {
        const G: u64 = 1 << 30;
        const M: u64 = 1 << 20;
        // The adversarial suite: `ulimit -v 1048576` and the CLI's 256 MiB stack.
        assert_eq!(
            fitted_memory([Some(23 * G), None, Some(G)], 256 * M),
            Some(213 * M)
        );
        // A container with a 1 GiB limit on a large machine.
        assert_eq!(
            fitted_memory([Some(64 * G), Some(G), None], 256 * M),
            Some(512 * M)
        );
        assert_eq!(fitted_memory([Some(8 * G), None, None], 0), Some(4 * G));
        assert_eq!(fitted_memory([None, None, Some(100 * M)], 256 * M), Some(0));
        assert_eq!(fitted_memory([None, None, None], 0), None);
    }

    #[test]
    fn fitted_budget_never_exceeds_the_default() {
        let l = Limits::fitted_to_machine(256 << 20);
        assert!(l.max_memory <= DEFAULT_MAX_MEMORY);
        if let Some(c) = memory_ceiling() {
            assert!(l.max_memory <= c / 2, "{} of {c}", l.max_memory);
        }
        assert_eq!(l.max_memory % (1 << 20), 0, "whole MiB: {}", l.max_memory);
        assert_eq!(
            Limits {
                max_memory: DEFAULT_MAX_MEMORY,
                ..l
            },
            Limits::default()
        );
    }
}
