//! The `context` value a template sees: settings the caller picks (with documented defaults) and
//! what the Application and the rendering so far provide.

use ferrocue_export::data::Map;
use ferrocue_export::Data;

use crate::application::{Application, Component};

/// `context.clusterVersion`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterVersion {
    pub major: String,
    pub minor: i64,
    pub git_version: String,
    pub platform: String,
}

impl Default for ClusterVersion {
    fn default() -> Self {
        ClusterVersion {
            major: "1".into(),
            minor: 28,
            git_version: "v1.28.0".into(),
            platform: "linux/amd64".into(),
        }
    }
}

/// Context values that do not come from the Application.
///
/// Defaults: `cluster` `"local"`, `clusterVersion` `{major: "1", minor: 28, gitVersion:
/// "v1.28.0", platform: "linux/amd64"}`, `appRevision` `"<app>-v1"` (`None` means "derive from
/// the app name and `app_revision_num`"), `appRevisionNum` 1, `revision`, `workflowName`,
/// `publishVersion` and `replicaKey` `""`. The namespace is the Application's
/// (`metadata.namespace`, else `default`) unless `namespace` is set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextOptions {
    pub cluster: String,
    pub cluster_version: ClusterVersion,
    pub app_revision: Option<String>,
    pub app_revision_num: i64,
    pub revision: String,
    pub namespace: Option<String>,
    pub workflow_name: String,
    pub publish_version: String,
    pub replica_key: String,
}

impl Default for ContextOptions {
    fn default() -> Self {
        ContextOptions {
            cluster: "local".into(),
            cluster_version: ClusterVersion::default(),
            app_revision: None,
            app_revision_num: 1,
            revision: String::new(),
            namespace: None,
            workflow_name: String::new(),
            publish_version: String::new(),
            replica_key: String::new(),
        }
    }
}

/// The keys `ContextOptions::set` accepts, for help texts.
pub const SETTABLE_KEYS: &[&str] = &[
    "cluster",
    "clusterVersion.major",
    "clusterVersion.minor",
    "clusterVersion.gitVersion",
    "clusterVersion.platform",
    "appRevision",
    "appRevisionNum",
    "revision",
    "namespace",
    "workflowName",
    "publishVersion",
    "replicaKey",
];

impl ContextOptions {
    /// Sets one value by its context key (see [`SETTABLE_KEYS`]).
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let int = |v: &str| {
            v.parse::<i64>()
                .map_err(|_| format!("{key}: {v:?} is not an integer"))
        };
        match key {
            "cluster" => self.cluster = value.into(),
            "clusterVersion.major" => self.cluster_version.major = value.into(),
            "clusterVersion.minor" => self.cluster_version.minor = int(value)?,
            "clusterVersion.gitVersion" => self.cluster_version.git_version = value.into(),
            "clusterVersion.platform" => self.cluster_version.platform = value.into(),
            "appRevision" => self.app_revision = Some(value.into()),
            "appRevisionNum" => self.app_revision_num = int(value)?,
            "revision" => self.revision = value.into(),
            "namespace" => self.namespace = Some(value.into()),
            "workflowName" => self.workflow_name = value.into(),
            "publishVersion" => self.publish_version = value.into(),
            "replicaKey" => self.replica_key = value.into(),
            _ => {
                return Err(format!(
                    "unknown context key {key:?} (settable: {})",
                    SETTABLE_KEYS.join(", ")
                ))
            }
        }
        Ok(())
    }

    /// `context.appRevision` for an app.
    pub fn app_revision_for(&self, app: &str) -> String {
        match &self.app_revision {
            Some(r) => r.clone(),
            None => format!("{app}-v{}", self.app_revision_num),
        }
    }

    pub fn namespace_for(&self, app: &Application) -> String {
        self.namespace
            .clone()
            .unwrap_or_else(|| app.namespace.clone())
    }

    /// The context of one component's template.
    pub fn component_context(&self, app: &Application, comp: &Component) -> Map {
        let s = |v: &str| Data::string(v);
        let mut m = Map::new();
        m.insert("name".into(), s(&comp.name));
        m.insert("appName".into(), s(&app.name));
        m.insert("namespace".into(), s(&self.namespace_for(app)));
        m.insert("appRevision".into(), s(&self.app_revision_for(&app.name)));
        m.insert("appRevisionNum".into(), Data::int(self.app_revision_num));
        m.insert("revision".into(), s(&self.revision));
        m.insert("components".into(), app.raw_components.clone());
        m.insert("appLabels".into(), Data::Map(app.labels.clone()));
        m.insert("appAnnotations".into(), Data::Map(app.annotations.clone()));
        m.insert("cluster".into(), s(&self.cluster));
        let cv = &self.cluster_version;
        let mut v = Map::new();
        v.insert("major".into(), s(&cv.major));
        v.insert("minor".into(), Data::int(cv.minor));
        v.insert("gitVersion".into(), s(&cv.git_version));
        v.insert("platform".into(), s(&cv.platform));
        m.insert("clusterVersion".into(), Data::Map(v));
        m.insert("workflowName".into(), s(&self.workflow_name));
        m.insert("publishVersion".into(), s(&self.publish_version));
        m.insert("replicaKey".into(), s(&self.replica_key));
        m
    }
}
