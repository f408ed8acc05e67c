//! Render errors, worded as KubeVela words them, always naming the component or trait.

use std::fmt;

/// Why rendering an Application failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenderError {
    /// The Application document is not a valid Application.
    Application(String),
    /// A definition file could not be read or compiled.
    Definition { name: String, message: String },
    /// A component or trait type with no definition; lists the known ones.
    UnknownType {
        kind: &'static str,
        name: String,
        component: String,
        known: Vec<String>,
    },
    /// Evaluating a component's template failed.
    Component { component: String, message: String },
    /// Evaluating or applying a trait failed.
    Trait {
        component: String,
        trait_type: String,
        message: String,
    },
    /// A strategic merge, JSON merge patch or JSON patch failed outside a render.
    Patch(String),
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Application(m) => write!(f, "invalid application: {m}"),
            RenderError::Definition { name, message } => {
                write!(f, "definition {name:?}: {message}")
            }
            RenderError::UnknownType {
                kind,
                name,
                component,
                known,
            } => write!(
                f,
                "component {component:?}: unknown {kind} type {name:?} (known: {})",
                known.join(", ")
            ),
            RenderError::Component { component, message } => {
                write!(f, "component {component:?}: {message}")
            }
            RenderError::Trait {
                component,
                trait_type,
                message,
            } => write!(
                f,
                "component {component:?}, trait {trait_type:?}: {message}"
            ),
            RenderError::Patch(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for RenderError {}

/// One evaluation error: its path, cue's message, messages folded into it, positions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CueError {
    pub path: String,
    pub message: String,
    pub nested: Vec<String>,
    pub positions: Vec<String>,
}

impl From<ferrocue_eval::instance::FoundError> for CueError {
    fn from(e: ferrocue_eval::instance::FoundError) -> Self {
        CueError {
            path: e.path,
            message: e.message,
            nested: e.nested,
            positions: e.positions,
        }
    }
}

impl CueError {
    /// `path: message` plus one `path: nested` line per folded message, each indented by
    /// `indent`; positions only when `with_positions`.
    fn lines(&self, indent: &str, with_positions: bool, out: &mut String) {
        let prefix = if self.path.is_empty() {
            String::new()
        } else {
            format!("{}: ", self.path)
        };
        out.push_str(indent);
        out.push_str(&prefix);
        out.push_str(&self.message);
        if !self.nested.is_empty() {
            out.push(':');
        }
        out.push('\n');
        for n in &self.nested {
            out.push_str(indent);
            out.push_str(&prefix);
            out.push_str(n);
            out.push('\n');
        }
        if with_positions {
            for p in &self.positions {
                out.push_str(indent);
                out.push_str("    ");
                out.push_str(p);
                out.push('\n');
            }
        }
    }
}

/// cue's own layout: `path: message:` then indented positions.
pub fn format_plain(errs: &[CueError]) -> String {
    let mut out = String::new();
    for e in errs {
        e.lines("", true, &mut out);
    }
    out.trim_end().to_string()
}

/// KubeVela's validation message: errors under `parameter.` first, then the template's own,
/// each group under its heading; positions follow (they are not part of KubeVela's text, so
/// they come last and do not break its substrings).
pub fn format_validation(kind: &str, definition: &str, errs: &[CueError]) -> String {
    let (params, template): (Vec<&CueError>, Vec<&CueError>) = errs
        .iter()
        .partition(|e| e.path == "parameter" || e.path.starts_with("parameter."));
    let mut out = format!("validation failed for {kind} {definition}:\n");
    let mut positions = Vec::new();
    for (title, group) in [
        ("Parameter errors:", &params),
        ("Template errors:", &template),
    ] {
        if group.is_empty() {
            continue;
        }
        out.push('\n');
        out.push_str(title);
        out.push('\n');
        for e in group.iter() {
            e.lines("  ", false, &mut out);
            for p in &e.positions {
                if !positions.contains(p) {
                    positions.push(p.clone());
                }
            }
        }
    }
    let mut out = out.trim_end().to_string();
    if !positions.is_empty() {
        out.push_str("\n\nat:");
        for p in positions {
            out.push_str("\n  ");
            out.push_str(&p);
        }
    }
    out
}
