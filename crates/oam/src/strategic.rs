//! KubeVela's strategic unify (`StrategyUnify` of kubevela/workflow `pkg/cue/model/sets`):
//! rewrite the patch (and sometimes the base) by the `+patchKey` / `+patchStrategy` tags, open
//! every list of the base, then unify the two as ordinary CUE. The base keeps its defaults, so a
//! patch can override a `*1 | int`.

use ferrocue_eval::instance::{Instance, Syntax};
use ferrocue_eval::Limits;
use ferrocue_export::Data;

use crate::cue_ast;
use crate::errors::{format_plain, CueError};
use crate::tags::{Seg, Step, TagIndex};

/// Rewrites `base` and `patch` so that unifying them gives KubeVela's result. `prefix` is where
/// the patch value sits in the file `tags` were read from (`["patch"]` for a trait's patch).
pub fn prepare(base: &mut Syntax, patch: &mut Syntax, tags: &TagIndex, prefix: &[Seg]) {
    open_lists(base);
    let mut path = Vec::new();
    walk(base, patch, tags, prefix, &mut path, None);
}

/// Unifies prepared base and patch: the merged value, still with defaults, and its concrete form.
pub fn unify(base: &Syntax, patch: &Syntax) -> Result<(Syntax, Data), Vec<CueError>> {
    let plain = |message: String| {
        vec![CueError {
            path: String::new(),
            message,
            nested: vec![],
            positions: vec![],
        }]
    };
    let expr = cue_ast::and(
        cue_ast::syntax_expr(base).map_err(plain)?,
        cue_ast::syntax_expr(patch).map_err(plain)?,
    )
    .map_err(plain)?;
    let file = cue_ast::file(vec![("out", expr)]);
    let mut inst =
        Instance::from_parsed(&[("patch.cue", "", &file)], Limits::default()).map_err(|d| {
            d.messages
                .iter()
                .map(|m| CueError {
                    path: String::new(),
                    message: m.trim_end().to_string(),
                    nested: vec![],
                    positions: vec![],
                })
                .collect::<Vec<_>>()
        })?;
    let Some(out) = inst.lookup(&["out"]) else {
        return Err(vec![CueError {
            path: String::new(),
            message: "merge produced no value".into(),
            nested: vec![],
            positions: vec![],
        }]);
    };
    let data = inst.export(out).map_err(|errs| {
        errs.into_iter()
            .map(|e| {
                let mut e = CueError::from(e);
                // The merge is evaluated under `out`; callers know paths from the object's root.
                e.path = e
                    .path
                    .strip_prefix("out.")
                    .map(str::to_string)
                    .unwrap_or_else(|| {
                        if e.path == "out" {
                            String::new()
                        } else {
                            e.path
                        }
                    });
                // Positions point into generated text, which means nothing to a reader.
                e.positions.clear();
                e
            })
            .collect::<Vec<_>>()
    })?;
    let syn = inst.syntax(out);
    Ok((syn, data))
}

/// Strategic unify of two CUE sources, as KubeVela's tests call it: tags come from the patch
/// source's comments.
pub fn unify_sources(base: &str, patch: &str) -> Result<Data, String> {
    let base_syn = eval_syntax("base.cue", base)?;
    let patch_syn = eval_syntax("patch.cue", patch)?;
    let tags = TagIndex::from_source("patch.cue", patch);
    let (mut b, mut p) = (base_syn, patch_syn);
    prepare(&mut b, &mut p, &tags, &[]);
    unify(&b, &p).map(|r| r.1).map_err(|e| format_plain(&e))
}

/// Evaluates a whole file to syntax (defaults and constraints kept).
pub fn eval_syntax(name: &str, src: &str) -> Result<Syntax, String> {
    let mut inst =
        Instance::from_sources(&[(name.to_string(), src.to_string())], Limits::default())
            .map_err(|d| d.to_string())?;
    let root = inst.root();
    Ok(inst.syntax(root))
}

fn open_lists(s: &mut Syntax) {
    match s {
        Syntax::Struct(fields) => fields.iter_mut().for_each(|(_, v)| open_lists(v)),
        Syntax::List { elems, open } => {
            *open = true;
            elems.iter_mut().for_each(open_lists);
        }
        Syntax::Disj(alts) => alts.iter_mut().for_each(|(a, _)| open_lists(a)),
        _ => {}
    }
}

fn field_mut<'a>(s: &'a mut Syntax, name: &str) -> Option<&'a mut Syntax> {
    match s {
        Syntax::Struct(fields) => fields.iter_mut().find(|(k, _)| k == name).map(|(_, v)| v),
        _ => None,
    }
}

fn walk(
    base: &mut Syntax,
    patch: &mut Syntax,
    tags: &TagIndex,
    prefix: &[Seg],
    path: &mut Vec<Step>,
    inherited_key: Option<&str>,
) {
    match patch {
        Syntax::Struct(fields) => {
            for (name, pval) in fields.iter_mut() {
                path.push(Step::Field(name.clone()));
                let own = tags.at(prefix, path);
                let tag = |k: &str| own.iter().find(|(ok, _)| ok == k).map(|(_, v)| v.clone());
                let key = tag("patchKey").or_else(|| inherited_key.map(str::to_string));
                let strategy = tag("patchStrategy");
                if let Some(bval) = field_mut(base, name) {
                    field(
                        bval,
                        pval,
                        tags,
                        prefix,
                        path,
                        key.as_deref(),
                        strategy.as_deref(),
                    );
                }
                path.pop();
            }
        }
        Syntax::List { elems, .. } => {
            if let Syntax::List { elems: belems, .. } = base {
                for (i, (p, b)) in elems.iter_mut().zip(belems.iter_mut()).enumerate() {
                    path.push(Step::Index(i));
                    walk(b, p, tags, prefix, path, inherited_key);
                    path.pop();
                }
            }
        }
        _ => {}
    }
}

/// One patch field against the base value at the same path.
fn field(
    base: &mut Syntax,
    patch: &mut Syntax,
    tags: &TagIndex,
    prefix: &[Seg],
    path: &mut Vec<Step>,
    key: Option<&str>,
    strategy: Option<&str>,
) {
    if let Syntax::List {
        elems: pelems,
        open: popen,
    } = patch
    {
        let Syntax::List {
            elems: belems,
            open: bopen,
        } = base
        else {
            return;
        };
        if strategy == Some("replace") {
            *belems = pelems.clone();
            *bopen = *popen;
        } else if let Some(key) = key {
            if let Some((new_patch, replaced)) =
                merge_by_key(belems, pelems, key, strategy == Some("retainKeys"))
            {
                *pelems = new_patch;
                *popen = true;
                for (i, p) in replaced {
                    belems[i] = p;
                }
            }
        }
        walk(base, patch, tags, prefix, path, key);
        return;
    }
    if strategy == Some("retainKeys") {
        *base = patch.clone();
    }
    walk(base, patch, tags, prefix, path, key);
}

/// The value of a dotted key in an element: `Some(Some(v))` for a literal, `Some(None)` for a
/// key that is present but not a literal, `None` when absent.
fn key_value(elem: &Syntax, dotted: &str) -> Option<Option<Data>> {
    let mut cur = elem;
    for part in dotted.split('.') {
        match cur {
            Syntax::Struct(fields) => cur = &fields.iter().find(|(k, _)| k == part)?.1,
            _ => return None,
        }
    }
    match cur {
        Syntax::Scalar(d) => Some(Some(d.clone())),
        _ => Some(None),
    }
}

/// The key of an element: the first alternative it has, with its value.
fn element_key(elem: &Syntax, keys: &[&str]) -> Option<(usize, Option<Data>)> {
    keys.iter()
        .enumerate()
        .find_map(|(i, k)| key_value(elem, k).map(|v| (i, v)))
}

/// KubeVela's merge by key. Returns the rewritten patch list and, with `retain`, base elements
/// to replace by their matched patch element; `None` means "fall back to positions" (no patch
/// element has the key, or a key is not a literal).
#[allow(clippy::type_complexity)]
fn merge_by_key(
    base: &[Syntax],
    patch: &[Syntax],
    key: &str,
    retain: bool,
) -> Option<(Vec<Syntax>, Vec<(usize, Syntax)>)> {
    // KubeVela skips a key no element of an empty patch list has and still opens the list, so
    // `env: []` in a patch leaves the base's elements alone instead of clashing on length.
    if patch.is_empty() {
        return Some((Vec::new(), Vec::new()));
    }
    let keys: Vec<&str> = key.split(',').map(str::trim).collect();
    let pkeys: Vec<Option<(usize, Option<Data>)>> =
        patch.iter().map(|e| element_key(e, &keys)).collect();
    if pkeys.iter().all(Option::is_none) {
        return None;
    }
    if pkeys.iter().flatten().any(|(_, v)| v.is_none()) {
        return None;
    }
    let mut used = vec![false; patch.len()];
    let mut out = Vec::new();
    let mut replaced = Vec::new();
    for (bi, b) in base.iter().enumerate() {
        let Some((alt, Some(bv))) = element_key(b, &keys) else {
            continue;
        };
        let found = pkeys.iter().enumerate().position(|(pi, pk)| {
            !used[pi] && matches!(pk, Some((a, Some(v))) if *a == alt && v == &bv)
        });
        match found {
            Some(pi) => {
                used[pi] = true;
                if retain {
                    replaced.push((bi, patch[pi].clone()));
                }
                out.push(patch[pi].clone());
            }
            None => out.push(Syntax::Struct(vec![])),
        }
    }
    for (pi, p) in patch.iter().enumerate() {
        if !used[pi] && pkeys[pi].is_some() {
            out.push(p.clone());
        }
    }
    Some((out, replaced))
}

/// Patches a base source with a patch source under an explicit strategy, as KubeVela's
/// `StrategyUnify` options do: `jsonMergePatch`, `jsonPatch` (operations in the patch's
/// `operations`), or anything else for the strategic unify.
pub fn patch_sources(base: &str, patch: &str, strategy: Option<&str>) -> Result<Data, String> {
    let concrete = |name: &str, src: &str| -> Result<Data, String> {
        let mut inst =
            Instance::from_sources(&[(name.to_string(), src.to_string())], Limits::default())
                .map_err(|d| d.to_string())?;
        let root = inst.root();
        inst.export(root)
            .map_err(|errs| format_plain(&errs.into_iter().map(CueError::from).collect::<Vec<_>>()))
    };
    match strategy {
        Some("jsonMergePatch") => Ok(crate::json_merge_patch::merge_patch(
            &concrete("base.cue", base)?,
            &concrete("patch.cue", patch)?,
        )),
        Some("jsonPatch") => {
            let p = concrete("patch.cue", patch)?;
            let ops = match &p {
                Data::Map(m) => m.get("operations").cloned(),
                _ => None,
            }
            .ok_or("jsonPatch: the patch has no field operations")?;
            crate::json_patch::apply(&concrete("base.cue", base)?, &ops)
        }
        _ => unify_sources(base, patch),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_keyed_patch_list_keeps_the_base_elements() {
        let base = "env: [{name: \"A\", value: \"1\"}, {name: \"B\", value: \"2\"}]\n";
        let patch = "// +patchKey=name\nenv: []\n";
        let got = unify_sources(base, patch).expect("an empty patch list merges");
        let want = ferrocue_export::read_json(
            "want.json",
            r#"{"env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}"#,
        )
        .expect("valid JSON");
        assert_eq!(got, want);
    }
}
