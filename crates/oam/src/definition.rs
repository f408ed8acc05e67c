//! Component and trait definitions: a bare CUE template per type, checked once when loaded,
//! with the `+patch…` tags of its doc comments indexed for strategic patches.

use std::collections::BTreeMap;
use std::path::Path;

use ferrocue_eval::load::compile_sources;
use ferrocue_parser::ast;

use crate::errors::RenderError;
use crate::tags::TagIndex;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Component,
    Trait,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Component => "component",
            Kind::Trait => "trait",
        }
    }
}

/// One definition: its type name and template.
#[derive(Clone, Debug)]
pub struct Definition {
    pub name: String,
    pub kind: Kind,
    /// The template text (no `context`/`parameter` declarations added).
    pub template: String,
    /// Where the template came from, for error positions.
    pub file_name: String,
    pub tags: TagIndex,
    /// The template parsed once, reused by every render.
    pub parsed: ast::File,
}

/// The built-in definitions embedded from `crates/oam/definitions/` at build time.
const BUILTIN: &[(&str, &str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

impl Definition {
    /// Parses and compiles the template (with `context` and `parameter` declared open, as they
    /// are at render time) so a broken definition fails at load, not at its first use.
    pub fn new(
        kind: Kind,
        name: &str,
        file_name: &str,
        template: &str,
    ) -> Result<Self, RenderError> {
        let parsed = ferrocue_parser::parse_file(file_name, template).map_err(|e| {
            RenderError::Definition {
                name: name.to_string(),
                message: e.to_string(),
            }
        })?;
        let probe = "context: _\nparameter: _\n".to_string();
        compile_sources(&[
            (file_name.to_string(), template.to_string()),
            ("declarations.cue".to_string(), probe),
        ])
        .map_err(|d| RenderError::Definition {
            name: name.to_string(),
            message: d.to_string().trim_end().to_string(),
        })?;
        Ok(Definition {
            name: name.to_string(),
            kind,
            template: template.to_string(),
            file_name: file_name.to_string(),
            tags: TagIndex::from_file(&parsed),
            parsed,
        })
    }
}

/// Definitions by kind and type name.
#[derive(Clone, Debug, Default)]
pub struct DefinitionSet {
    pub components: BTreeMap<String, Definition>,
    pub traits: BTreeMap<String, Definition>,
}

impl DefinitionSet {
    /// The definitions embedded in this crate (`crates/oam/definitions/`).
    pub fn builtin() -> Result<Self, RenderError> {
        let mut set = DefinitionSet::default();
        for (kind, name, text) in BUILTIN {
            let kind = if *kind == "component" {
                Kind::Component
            } else {
                Kind::Trait
            };
            let file = format!("{}/{name}.cue", kind.as_str());
            set.insert(Definition::new(kind, name, &file, text)?);
        }
        Ok(set)
    }

    /// Reads `dir/component/*.cue` and `dir/trait/*.cue` (file name = type name).
    pub fn from_dir(dir: &Path) -> Result<Self, RenderError> {
        let mut set = DefinitionSet::default();
        set.add_dir(dir)?;
        Ok(set)
    }

    /// Adds (or replaces) the definitions of `dir/component/*.cue` and `dir/trait/*.cue`.
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), RenderError> {
        let mut found = false;
        for kind in [Kind::Component, Kind::Trait] {
            let sub = dir.join(kind.as_str());
            let Ok(rd) = std::fs::read_dir(&sub) else {
                continue;
            };
            found = true;
            let mut paths: Vec<_> = rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "cue"))
                .collect();
            paths.sort();
            for p in paths {
                let Some(name) = p.file_stem().and_then(|s| s.to_str()) else {
                    continue;
                };
                let text = std::fs::read_to_string(&p).map_err(|e| RenderError::Definition {
                    name: name.to_string(),
                    message: format!("cannot read {}: {e}", p.display()),
                })?;
                self.insert(Definition::new(
                    kind,
                    name,
                    &p.display().to_string(),
                    &text,
                )?);
            }
        }
        if found {
            Ok(())
        } else {
            Err(RenderError::Definition {
                name: dir.display().to_string(),
                message: "no component/ or trait/ directory".into(),
            })
        }
    }

    pub fn insert(&mut self, d: Definition) {
        let map = match d.kind {
            Kind::Component => &mut self.components,
            Kind::Trait => &mut self.traits,
        };
        map.insert(d.name.clone(), d);
    }

    pub fn get(&self, kind: Kind, name: &str) -> Option<&Definition> {
        match kind {
            Kind::Component => self.components.get(name),
            Kind::Trait => self.traits.get(name),
        }
    }

    /// Known type names of a kind, sorted.
    pub fn names(&self, kind: Kind) -> Vec<String> {
        match kind {
            Kind::Component => self.components.keys().cloned().collect(),
            Kind::Trait => self.traits.keys().cloned().collect(),
        }
    }
}
