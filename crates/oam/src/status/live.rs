//! Live objects as read back from a cluster, and how a rendered object finds its live
//! counterpart: same `apiVersion`, `kind` and `metadata.name`, and the same namespace unless
//! the live object has none (cluster-scoped).

use ferrocue_export::Data;

/// A set of live objects (`kind: List` documents are flattened into their `items`).
#[derive(Clone, Debug, Default)]
pub struct LiveObjects {
    objects: Vec<Data>,
}

fn field<'a>(d: &'a Data, path: &[&str]) -> Option<&'a Data> {
    let mut cur = d;
    for k in path {
        match cur {
            Data::Map(m) => cur = m.get(*k)?,
            _ => return None,
        }
    }
    Some(cur)
}

fn text<'a>(d: &'a Data, path: &[&str]) -> Option<&'a str> {
    match field(d, path)? {
        Data::String(s) => Some(s),
        _ => None,
    }
}

/// `apiVersion kind namespace/name` of an object, for messages.
pub fn describe(d: &Data) -> String {
    let ns = text(d, &["metadata", "namespace"]).unwrap_or("");
    let name = text(d, &["metadata", "name"]).unwrap_or("");
    let id = if ns.is_empty() {
        name.to_string()
    } else {
        format!("{ns}/{name}")
    };
    format!(
        "{} {} {id}",
        text(d, &["apiVersion"]).unwrap_or("?"),
        text(d, &["kind"]).unwrap_or("?")
    )
}

impl LiveObjects {
    /// Documents as read from a YAML stream or JSON; `null` documents are skipped.
    pub fn new(docs: impl IntoIterator<Item = Data>) -> Self {
        let mut objects = Vec::new();
        for d in docs {
            if d == Data::Null {
                continue;
            }
            match (text(&d, &["kind"]), field(&d, &["items"])) {
                (Some("List"), Some(Data::List(items))) => objects.extend(items.iter().cloned()),
                _ => objects.push(d),
            }
        }
        LiveObjects { objects }
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// The live counterpart of a rendered object.
    pub fn find(&self, rendered: &Data) -> Option<&Data> {
        let key = |d: &Data, p: &[&str]| text(d, p).unwrap_or("").to_string();
        let (api, kind, name, ns) = (
            key(rendered, &["apiVersion"]),
            key(rendered, &["kind"]),
            key(rendered, &["metadata", "name"]),
            key(rendered, &["metadata", "namespace"]),
        );
        self.objects.iter().find(|o| {
            key(o, &["apiVersion"]) == api
                && key(o, &["kind"]) == kind
                && key(o, &["metadata", "name"]) == name
                && text(o, &["metadata", "namespace"]).is_none_or(|n| n.is_empty() || n == ns)
        })
    }
}
