//! What `vela dry-run` adds to every rendered object: OAM labels, the Application's labels and
//! annotations (minus the filtered ones), default names and namespaces.

use ferrocue_export::data::Map;
use ferrocue_export::Data;

use crate::application::Application;

/// Annotations of the Application that never reach the objects.
const DROPPED_ANNOTATIONS: &[&str] = &[
    "app.oam.dev/inplace-upgrade",
    "filter.oam.dev/label-keys",
    "filter.oam.dev/annotation-keys",
    "kubectl.kubernetes.io/last-applied-configuration",
];

/// What an object is, for its labels.
pub enum Role<'a> {
    Workload {
        component_type: &'a str,
    },
    /// `trait_type` is `AuxiliaryWorkload` for a component's own `outputs`.
    Auxiliary {
        trait_type: &'a str,
        resource: &'a str,
    },
}

/// The OAM facts of one object.
pub struct Stamp<'a> {
    pub app: &'a Application,
    pub component: &'a str,
    pub app_revision: &'a str,
    pub namespace: &'a str,
    pub role: Role<'a>,
}

/// Adds labels, annotations, name and namespace to `obj` (left alone when it is not a mapping).
pub fn stamp(obj: &mut Data, s: &Stamp<'_>) {
    let hash_name = match &s.role {
        Role::Auxiliary { trait_type, .. } => Some(format!(
            "{}-{}-{}",
            s.component,
            trait_type.to_lowercase(),
            object_hash(obj)
        )),
        Role::Workload { .. } => None,
    };
    let Data::Map(root) = obj else { return };
    let is_namespace = root.get("apiVersion") == Some(&Data::string("v1"))
        && root.get("kind") == Some(&Data::string("Namespace"));
    if !matches!(root.get("metadata"), Some(Data::Map(_))) {
        // A new metadata goes where Kubernetes objects keep it: after apiVersion and kind.
        root.shift_remove("metadata");
        let at = ["apiVersion", "kind"]
            .iter()
            .filter(|k| root.contains_key(**k))
            .count()
            .min(root.len());
        let mut fresh = Map::new();
        fresh.insert("name".into(), Data::string(""));
        fresh.insert("namespace".into(), Data::string(""));
        root.shift_insert(at, "metadata".to_string(), Data::Map(fresh));
    }
    let Some(Data::Map(meta)) = root.get_mut("metadata") else {
        return;
    };

    let mut labels = match meta.get("labels") {
        Some(Data::Map(m)) => m.clone(),
        _ => Map::new(),
    };
    let label_filter = filter_keys(&s.app.annotations, "filter.oam.dev/label-keys");
    for (k, v) in &s.app.labels {
        if !label_filter.contains(k) {
            labels.insert(k.clone(), v.clone());
        }
    }
    let mut put = |k: &str, v: &str| {
        labels.insert(k.to_string(), Data::string(v));
    };
    put("app.oam.dev/name", &s.app.name);
    put("app.oam.dev/component", s.component);
    put("app.oam.dev/appRevision", s.app_revision);
    put("app.oam.dev/namespace", s.namespace);
    match &s.role {
        Role::Workload { component_type } => {
            put("workload.oam.dev/type", component_type);
            put("app.oam.dev/resourceType", "WORKLOAD");
        }
        Role::Auxiliary {
            trait_type,
            resource,
        } => {
            put("trait.oam.dev/type", trait_type);
            put("trait.oam.dev/resource", resource);
            put("app.oam.dev/resourceType", "TRAIT");
        }
    }
    meta.insert("labels".into(), Data::Map(labels));

    let mut annotations = match meta.get("annotations") {
        Some(Data::Map(m)) => m.clone(),
        _ => Map::new(),
    };
    let ann_filter = filter_keys(&s.app.annotations, "filter.oam.dev/annotation-keys");
    for (k, v) in &s.app.annotations {
        if !DROPPED_ANNOTATIONS.contains(&k.as_str()) && !ann_filter.contains(k) {
            annotations.insert(k.clone(), v.clone());
        }
    }
    meta.insert("annotations".into(), Data::Map(annotations));

    let has_name = matches!(meta.get("name"), Some(Data::String(n)) if !n.is_empty());
    if !has_name {
        let name = hash_name.unwrap_or_else(|| s.component.to_string());
        meta.insert("name".into(), Data::String(name));
    }
    let has_ns = matches!(meta.get("namespace"), Some(Data::String(n)) if !n.is_empty());
    if !has_ns {
        if is_namespace {
            if meta.get("namespace") == Some(&Data::string("")) {
                meta.shift_remove("namespace");
            }
        } else {
            meta.insert("namespace".into(), Data::string(s.namespace));
        }
    }
}

/// Keys listed (comma-separated) in one of the Application's filter annotations.
fn filter_keys(annotations: &Map, key: &str) -> Vec<String> {
    match annotations.get(key) {
        Some(Data::String(s)) => s
            .split(',')
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .collect(),
        _ => vec![],
    }
}

/// A short name suffix for a trait object without a name: FNV-1a (32 bit) of its compact JSON,
/// spelled with Kubernetes' `SafeEncodeString` alphabet. KubeVela hashes Go's in-memory
/// object dump instead, so the suffix is stable for us but not byte-equal to KubeVela's.
pub fn object_hash(obj: &Data) -> String {
    let text = ferrocue_export::to_json_compact(obj);
    let mut h: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    // `to_string` of an integer yields only ASCII digits, so `d - b'0'` is 0..=9.
    h.to_string()
        .bytes()
        .map(|d| char::from(ALPHABET[usize::from(d - b'0') % ALPHABET.len()]))
        .collect()
}
