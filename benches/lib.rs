//! Input generators shared by the benchmarks in this directory.

#![forbid(unsafe_code)]

use std::fmt::Write;

/// A realistic CUE configuration of at least `min_bytes`: a schema, then many service
/// instances (varied names, numbers, labels, env lists, multi-line strings, interpolations),
/// then comprehensions over them.
pub fn services_config(min_bytes: usize) -> String {
    let mut out = String::with_capacity(min_bytes + 4096);
    out.push_str(SCHEMA);
    let mut i = 0usize;
    while out.len() < min_bytes {
        service(&mut out, i);
        i += 1;
    }
    out.push_str(DERIVED);
    out
}

const SCHEMA: &str = r#"package deploy

import (
	"strings"
	"encoding/json"
)

// #Service describes one deployable unit.
#Service: {
	name!:    string & =~"^[a-z][a-z0-9-]*$"
	team:     string | *"platform"
	image:    string
	replicas: int & >=1 & <=50 | *2
	port:     int & >0 & <65536 | *8080
	env: [...#EnvVar]
	labels: [string]: string
	resources: {
		cpu:    *"250m" | string
		memory: *"256Mi" | string
	}
	probes?: {
		path:    string | *"/healthz"
		initial: uint | *5
	}
	...
}

#EnvVar: {
	name:  string
	value: string | *""
}

"#;

const TEAMS: [&str; 5] = ["payments", "search", "identity", "platform", "data"];
const TIERS: [&str; 3] = ["frontend", "backend", "batch"];

fn service(out: &mut String, i: usize) {
    let team = TEAMS[i % TEAMS.len()];
    let tier = TIERS[i % TIERS.len()];
    // Writing into a String cannot fail.
    let _ = write!(
        out,
        r#"// svc-{i} is owned by {team}.
services: "svc-{i}": #Service & {{
	name:     "svc-{i}"
	team:     "{team}"
	image:    "registry.example.com/{team}/svc-{i}:v1.{minor}.{patch}"
	replicas: {replicas}
	port:     {port}
	labels: {{
		app:  "svc-{i}"
		tier: "{tier}"
		"example.com/cost-center": "cc-{cc}"
	}}
	env: [
		{{name: "LOG_LEVEL", value: "{level}"}},
		{{name: "MAX_CONNS", value: "\({max})"}},
		{{name: "REGION", value: "eu-west-{region}"}},
	]
	resources: {{
		cpu:    "{cpu}m"
		memory: "{mem}Mi"
	}}
"#,
        minor = i % 17,
        patch = i % 9,
        replicas = 1 + i % 6,
        port = 8000 + i % 1000,
        cc = 100 + i % 37,
        level = if i.is_multiple_of(4) { "debug" } else { "info" },
        max = 64 * (1 + i % 8),
        region = 1 + i % 3,
        cpu = 100 * (1 + i % 5),
        mem = 128 * (1 + i % 4),
    );
    if i.is_multiple_of(3) {
        let _ = writeln!(
            out,
            "\tprobes: {{path: \"/ready\", initial: {}}}",
            3 + i % 7
        );
    }
    if i.is_multiple_of(5) {
        let _ = write!(
            out,
            "\tnotes: \"\"\"\n\t\tMigrated from the legacy cluster in batch {}.\n\t\tContact #{} before scaling.\n\t\t\"\"\"\n",
            i / 5,
            team
        );
    }
    out.push_str("}\n\n");
}

const DERIVED: &str = r#"
deployments: {
	for name, s in services if s.replicas > 0 {
		(name): {
			apiVersion: "apps/v1"
			kind:       "Deployment"
			metadata: {name: s.name, labels: s.labels}
			spec: replicas: s.replicas
			spec: template: spec: containers: [{
				name:  s.name
				image: s.image
				ports: [{containerPort: s.port}]
				env: [for e in s.env {e}]
			}]
		}
	}
}

summary: {
	count: len(services)
	teams: strings.Join([for _, s in services {s.team}], ",")
	dump:  json.Marshal({n: count})
}
"#;

#[cfg(test)]
mod tests {
    #[test]
    fn generated_config_parses_and_is_large() {
        let src = super::services_config(1 << 20);
        assert!(src.len() >= 1 << 20);
        let file = ferrocue_parser::parse_file("services.cue", &src).expect("generated CUE parses");
        assert!(file.decls.len() > 1000);
        assert!(file.package.is_some());
        assert_eq!(file.imports.len(), 2);
    }
}
