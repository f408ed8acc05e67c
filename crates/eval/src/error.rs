//! Errors as values: bottom carries a code, a message and the source positions involved.

use std::rc::Rc;

use crate::ir::Pos;

/// Why a value is bottom. `Incomplete` means "not known yet" (may resolve with more input);
/// everything else is a definite failure.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Code {
    Incomplete,
    Eval,
    Cycle,
    StructuralCycle,
    User,
    /// An evaluation budget (depth, steps) was exhausted.
    Limit,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub code: Code,
    pub message: String,
    pub positions: Vec<Pos>,
    /// Errors folded into this one (disjunction failures), printed after it.
    pub nested: Vec<Rc<Error>>,
}

impl Error {
    pub fn new(code: Code, message: impl Into<String>, positions: Vec<Pos>) -> Rc<Error> {
        Rc::new(Error {
            code,
            message: message.into(),
            positions,
            nested: Vec::new(),
        })
    }
    pub fn eval(message: impl Into<String>, positions: Vec<Pos>) -> Rc<Error> {
        Error::new(Code::Eval, message, positions)
    }
    pub fn incomplete(message: impl Into<String>, positions: Vec<Pos>) -> Rc<Error> {
        Error::new(Code::Incomplete, message, positions)
    }
    pub fn is_incomplete(&self) -> bool {
        self.code == Code::Incomplete
    }
}

/// An error found while exporting, tied to the path where it surfaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathError {
    /// Dotted path (`a.b.0`), empty at the root.
    pub path: String,
    pub error: Rc<Error>,
}
