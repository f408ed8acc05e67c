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
use crate::vertex::VertexId;

/// Evaluation budgets: exceeding one yields an error value instead of exhausting the stack,
/// the memory or the caller's patience.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Maximum nesting of vertex evaluations (references followed inside references,
    /// nested structs being finalized). Bounds the native stack the evaluator uses.
    pub max_depth: u32,
    /// Maximum number of conjuncts processed (the evaluator's unit of work).
    pub max_steps: u64,
    /// Maximum number of vertices (value nodes) created: bounds the evaluator's memory.
    pub max_nodes: u64,
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
            max_disjuncts: u64::MAX,
            max_output_bytes: u64::MAX,
            timeout: None,
        }
    }
}

impl Default for Limits {
    /// Generous for real configurations (every case of the conformance corpus and the OAM
    /// definitions evaluates far below these), tight enough that a hostile input fails within
    /// seconds and well under 1 GiB of memory.
    fn default() -> Self {
        Limits {
            max_depth: 400,
            max_steps: 20_000_000,
            max_nodes: 200_000,
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
    Disjuncts,
    OutputBytes,
    Timeout,
}

impl Exhausted {
    /// The message of the error value, naming the budget and the flag that raises it.
    pub fn message(self, limits: &Limits) -> String {
        match self {
            Exhausted::Depth => format!(
                "evaluation depth limit exceeded (max-depth {})",
                limits.max_depth
            ),
            Exhausted::Steps => format!(
                "evaluation step limit exceeded (max-steps {})",
                limits.max_steps
            ),
            Exhausted::Nodes => format!(
                "evaluation node limit exceeded (max-nodes {})",
                limits.max_nodes
            ),
            Exhausted::Disjuncts => format!(
                "disjunction limit exceeded (max-disjuncts {})",
                limits.max_disjuncts
            ),
            Exhausted::OutputBytes => format!(
                "output size limit exceeded (max-output-bytes {})",
                limits.max_output_bytes
            ),
            Exhausted::Timeout => match limits.timeout {
                Some(t) => format!("evaluation timeout exceeded (timeout {}ms)", t.as_millis()),
                None => "evaluation timeout exceeded".to_string(),
            },
        }
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

    /// Checks, before building them, that `n` more vertices fit the node budget: builtins
    /// (`list.Repeat`, `yaml.Unmarshal`) create whole trees without evaluation steps between.
    pub fn admit_nodes(&mut self, n: usize) -> Result<(), Rc<Error>> {
        if let Some(e) = self.budget.tripped() {
            return Err(e.clone());
        }
        let total = self.vertices.len().saturating_add(n);
        if total as u64 > self.limits.max_nodes {
            return Err(self.budget.trip(Exhausted::Nodes, String::new));
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
        assert_eq!(e.message, "evaluation step limit exceeded (max-steps 2)");
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
            "evaluation node limit exceeded (max-nodes 10)"
        );
        let mut b = Budget::new(Limits {
            timeout: Some(Duration::ZERO),
            ..Limits::default()
        });
        std::thread::sleep(Duration::from_millis(2));
        let r = (0..CLOCK_EVERY).try_for_each(|_| b.step(0));
        assert!(matches!(r, Err(Trip::New(Exhausted::Timeout))), "{r:?}");
    }
}
