//! `details`: the top-level fields of a definition's `details` string, shown as strings in the
//! component's status and passed, typed, to the health policy and custom status as
//! `context.status.details`.

use std::collections::BTreeMap;

use ferrocue_eval::ir::{kind, KindMask};
use ferrocue_eval::print_cue::{print_value, PrintOptions};
use ferrocue_eval::value::{scalar_kind, Base};
use ferrocue_eval::vertex::VertexId;
use ferrocue_eval::Evaluator;
use ferrocue_export::data::Map;
use ferrocue_export::Data;

use super::compiled::Run;
use super::value::go_json;

/// KubeVela skips detail labels this long or longer (bytes, as Go's `len`).
const MAX_LABEL_LEN: usize = 32;

/// What a `details` string gives.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Details {
    /// Field → text, as shown in the status (`$` and excluded fields left out).
    pub shown: BTreeMap<String, String>,
    /// Field → value (after a JSON round trip), `$` fields included: `context.status.details`.
    pub typed: Map,
}

/// How a non-concrete detail is shown (cue's name for the bottom kind).
pub const BOTTOM: &str = "_|_";

/// Reads the details of one evaluation. `excluded` are the `@local()`/`@private()` fields.
pub fn collect(run: &mut Run, excluded: &[String]) -> Details {
    let mut out = Details::default();
    // The injected fields are the context, not details.
    for (label, v) in run.regular_fields(&["context", "parameter"]) {
        if label.len() >= MAX_LABEL_LEN {
            continue;
        }
        let ev = run.evaluator();
        let concrete = ev.export(v).ok();
        if label.starts_with('$') {
            if let Some(d) = concrete {
                out.typed.insert(label, go_json(&d));
            }
            continue;
        }
        if excluded.contains(&label) {
            continue;
        }
        let Some(d) = concrete else {
            out.shown.insert(label, BOTTOM.to_string());
            continue;
        };
        let text = match (&d, kind_of(ev, v, 0) == kind::STRING) {
            (Data::String(s), true) => s.clone(),
            _ => cue_text(ev, v),
        };
        out.typed.insert(label.clone(), go_json(&d));
        out.shown.insert(label, text);
    }
    out
}

/// The kinds a value may still take (cue's `IncompleteKind`): a string with a default that
/// is a string is `string`, `*"a" | 1` is not.
fn kind_of(ev: &mut Evaluator, v: VertexId, depth: u32) -> KindMask {
    ev.finalize(v);
    let vx = ev.vx(v);
    if vx.list.is_some() {
        return kind::LIST;
    }
    if vx.is_struct {
        return kind::STRUCT;
    }
    match &vx.base {
        Base::Scalar(s) => scalar_kind(s),
        Base::Constraint(c) => c.kinds,
        Base::Top => kind::TOP,
        Base::Err(_) => 0,
        Base::Disj(d) if depth < 16 => {
            let alts: Vec<VertexId> = d.alts.iter().map(|a| a.0).collect();
            alts.into_iter()
                .fold(0, |m, a| m | kind_of(ev, a, depth + 1))
        }
        Base::Disj(_) => kind::TOP,
    }
}

/// A concrete value in CUE syntax as cue's formatter prints it (tabs, aligned columns).
fn cue_text(ev: &mut Evaluator, v: VertexId) -> String {
    let opts = PrintOptions {
        definitions: false,
        hidden: false,
        optional: false,
        concrete: true,
        indent: "\t".into(),
        collapse_paths: false,
        ignore_errors: true,
    };
    match print_value(ev, v, &opts, false) {
        Ok(s) => s.trim_end_matches('\n').to_string(),
        // Export succeeded, so printing only fails on a budget: show it as not concrete.
        Err(_) => BOTTOM.to_string(),
    }
}
