//! RFC 7396 JSON Merge Patch on concrete data (`+patchStrategy=jsonMergePatch`).

use ferrocue_export::Data;

/// Applies `patch` to `target`: objects merge recursively, `null` deletes, anything else
/// replaces.
pub fn merge_patch(target: &Data, patch: &Data) -> Data {
    let Data::Map(pm) = patch else {
        return patch.clone();
    };
    let mut out = match target {
        Data::Map(m) => m.clone(),
        _ => Default::default(),
    };
    for (k, v) in pm {
        if matches!(v, Data::Null) {
            out.shift_remove(k);
        } else {
            let cur = out.get(k).cloned().unwrap_or(Data::Null);
            out.insert(k.clone(), merge_patch(&cur, v));
        }
    }
    Data::Map(out)
}
