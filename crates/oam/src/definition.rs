//! Component, trait and policy definitions: a CUE template per type, checked once when loaded,
//! with the `+patch…` tags of its doc comments indexed for strategic patches, and the
//! definition's metadata ([`DefinitionMeta`]: description, labels, attributes).

use std::collections::BTreeMap;
use std::path::Path;

use std::sync::Arc;

use ferrocue_eval::instance::compile_parsed;
use ferrocue_eval::ir::Label;
use ferrocue_eval::Program;
use ferrocue_parser::ast;

use crate::cue_ast;
use crate::def_load::LoadError;
use crate::def_meta::DefinitionMeta;
use crate::errors::RenderError;
use crate::tags::TagIndex;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Component,
    Trait,
    Policy,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Component => "component",
            Kind::Trait => "trait",
            Kind::Policy => "policy",
        }
    }

    /// The Kubernetes kind of the installed object (`TraitDefinition`, …).
    pub fn object_kind(self) -> &'static str {
        crate::def_k8s::object_kind(self)
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
    /// The template parsed once.
    pub parsed: ast::File,
    /// The template compiled once, with `context: _` and `parameter: _` declared in a second
    /// file ([`DECLARATIONS_FILE`]); every render evaluates it with its own `parameter` and
    /// `context` data added (`Instance::with_data`), from any thread.
    pub program: Arc<Program>,
    /// Whether the template can see `context.output` / `context.outputs`
    /// (`Program::selections_of`): a trait whose template cannot is evaluated without a copy
    /// of the workload in its context, which cannot change its result.
    pub reads_context_output: bool,
    pub reads_context_outputs: bool,
    /// Description, labels, annotations and attributes (empty for a bare template).
    pub meta: DefinitionMeta,
}

/// Index, in a definition's program, of the generated file declaring `context` and
/// `parameter`; the data added per render is positioned in it too.
pub const DECLARATIONS_FILE: u32 = 1;

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
        let definition_error = |message: String| RenderError::Definition {
            name: name.to_string(),
            message,
        };
        // Built as a tree with every position at its start: messages name it
        // `./context.cue:1:1`, as they did when the data was compiled with it.
        let decls = cue_ast::file(vec![
            ("context", cue_ast::top().map_err(definition_error)?),
            ("parameter", cue_ast::top().map_err(definition_error)?),
        ]);
        let program = compile_parsed(&[
            (file_name, template, &parsed),
            (
                "context.cue",
                "// parameter and context, generated\n",
                &decls,
            ),
        ])
        .map_err(|d| definition_error(d.to_string().trim_end().to_string()))?;
        let seen = program.selections_of("context", DECLARATIONS_FILE);
        let reads = |field: &str| match (&seen, program.interner.get(field)) {
            (None, _) => true,
            (Some(labels), Some(sym)) => labels.contains(&Label::Field(sym)),
            (Some(_), None) => false,
        };
        let (reads_context_output, reads_context_outputs) = (reads("output"), reads("outputs"));
        Ok(Definition {
            name: name.to_string(),
            kind,
            template: template.to_string(),
            file_name: file_name.to_string(),
            tags: TagIndex::from_file(&parsed),
            parsed,
            program: Arc::new(program),
            reads_context_output,
            reads_context_outputs,
            meta: DefinitionMeta::bare(),
        })
    }
}

/// Definitions by kind and type name.
#[derive(Clone, Debug, Default)]
pub struct DefinitionSet {
    pub components: BTreeMap<String, Definition>,
    pub traits: BTreeMap<String, Definition>,
    pub policies: BTreeMap<String, Definition>,
}

impl DefinitionSet {
    /// The definitions embedded in this crate (`crates/oam/definitions/`, in the authoring
    /// format, so they carry KubeVela's attributes).
    pub fn builtin() -> Result<Self, RenderError> {
        let mut set = DefinitionSet::default();
        for (kind, name, text) in BUILTIN {
            let kind = crate::def_load::kind_of_type(kind).unwrap_or(Kind::Trait);
            let file = format!("{}/{name}.cue", kind.as_str());
            for d in crate::def_load::load_text(&file, text, name, Some(kind))? {
                set.insert(d);
            }
        }
        Ok(set)
    }

    /// Reads a definitions directory (see [`DefinitionSet::load_dir`]).
    pub fn from_dir(dir: &Path) -> Result<Self, RenderError> {
        let mut set = DefinitionSet::default();
        set.add_dir(dir)?;
        Ok(set)
    }

    /// Adds (or replaces) the definitions of a directory (see [`DefinitionSet::load_dir`]).
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), RenderError> {
        Ok(self.load_dir(dir)?)
    }

    /// Adds (or replaces) the definitions of a directory, file by file in any form: its own
    /// `*.cue` (authoring format) and `*.yaml`/`*.yml`/`*.json` (installed objects) files, and
    /// those of `component/`, `trait/`, `policy/`, where a `.cue` file may also be a bare
    /// template named by its file. Errors carry the file, line and column.
    pub fn load_dir(&mut self, dir: &Path) -> Result<(), LoadError> {
        for d in crate::def_load::load_dir(dir)? {
            self.insert(d);
        }
        Ok(())
    }

    /// Adds (or replaces) the definitions of one file (`bare_kind` for a bare template).
    pub fn load_file(&mut self, path: &Path, bare_kind: Option<Kind>) -> Result<(), LoadError> {
        for d in crate::def_load::load_file(path, bare_kind)? {
            self.insert(d);
        }
        Ok(())
    }

    pub fn insert(&mut self, d: Definition) {
        self.map_mut(d.kind).insert(d.name.clone(), d);
    }

    fn map(&self, kind: Kind) -> &BTreeMap<String, Definition> {
        match kind {
            Kind::Component => &self.components,
            Kind::Trait => &self.traits,
            Kind::Policy => &self.policies,
        }
    }

    fn map_mut(&mut self, kind: Kind) -> &mut BTreeMap<String, Definition> {
        match kind {
            Kind::Component => &mut self.components,
            Kind::Trait => &mut self.traits,
            Kind::Policy => &mut self.policies,
        }
    }

    pub fn get(&self, kind: Kind, name: &str) -> Option<&Definition> {
        self.map(kind).get(name)
    }

    /// Known type names of a kind, sorted.
    pub fn names(&self, kind: Kind) -> Vec<String> {
        self.map(kind).keys().cloned().collect()
    }

    /// Every definition: components, then traits, then policies, each sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = &Definition> {
        self.components
            .values()
            .chain(self.traits.values())
            .chain(self.policies.values())
    }
}
