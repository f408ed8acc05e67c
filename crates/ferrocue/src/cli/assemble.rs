//! Turns a loaded instance into the CUE source files the evaluator compiles: data documents
//! placed at the root or at their `-l` path (collected into lists with `--list`), an empty
//! YAML file as `*null | _`, and `-d` schemas applied to each document.

use ferrocue_eval::load::export_sources;
use ferrocue_eval::Limits;
use ferrocue_export::Data;
use ferrocue_parser::ast::ExprKind;

use super::inputs::{data_cue, data_label, Doc, Instance, LoadArgs};

/// What to evaluate for one instance.
pub struct Prepared {
    pub files: Vec<(String, String)>,
    /// Expressions to evaluate instead of the root: one per data document with `-d`.
    pub schema_exprs: Vec<String>,
    /// Position maps of YAML files laid out line by line (see `yaml_pos`).
    pub pos_maps: std::collections::HashMap<String, Vec<(usize, usize)>>,
}

impl Prepared {
    /// Messages with positions in generated YAML text moved to the YAML source.
    pub fn fix(&self, msg: &str) -> String {
        super::yaml_pos::fix_positions(msg, &self.pos_maps)
    }
}

/// Standard-library packages a label expression may use without importing them.
const STD: &[&str] = &[
    "strings", "strconv", "math", "list", "struct", "regexp", "path", "time", "net", "uuid",
];

pub fn prepare(inst: &Instance, flags: &LoadArgs, limits: Limits) -> Result<Prepared, String> {
    let converted;
    let inst = if inst.data_files.iter().any(|(_, d)| d.iter().any(|d| d.pb)) {
        converted = convert_pb(inst, flags, limits)?;
        &converted
    } else {
        inst
    };
    let mut files = inst.cue.clone();
    let docs_total: usize = inst.data_files.iter().map(|(_, d)| d.len()).sum();
    if let Some(schema) = &flags.schema {
        if !flags.path.is_empty() || flags.list {
            return Err(
                "cannot combine --schema flag with flag \"path\", \"list\", or \"files\"".into(),
            );
        }
        if inst.cue.is_empty() {
            return Err("-d/--schema flag specified without a schema".into());
        }
        let check = ferrocue_parser::parse_expr("--schema", schema).map_err(|e| e.to_string())?;
        let _ = check;
        let mut exprs = Vec::new();
        // Each document becomes a hidden field of its own file (keeping the data file's
        // positions), and the expression unifies it with the schema, data first as cue does.
        for (name, docs) in &inst.data_files {
            for d in docs {
                let field = format!("_ferrocue_doc{}", exprs.len());
                let text = d.text.clone().unwrap_or_else(|| data_cue(&d.data));
                files.push((name.clone(), format!("{field}: {text}\n")));
                exprs.push(format!("{field} & ({schema})"));
            }
        }
        return Ok(Prepared {
            files,
            schema_exprs: exprs,
            pos_maps: inst.pos_maps.clone(),
        });
    }
    let labels: Vec<Label> = flags
        .path
        .iter()
        .map(|l| Label::parse(l))
        .collect::<Result<_, _>>()?;
    if labels.is_empty() && !flags.list {
        for (name, docs) in &inst.data_files {
            if docs.is_empty() {
                files.push((name.clone(), "*null | _\n".into()));
            }
            for d in docs {
                let text = d.text.clone().unwrap_or_else(|| data_cue(&d.data));
                files.push((name.clone(), text));
            }
        }
        return Ok(Prepared {
            files,
            schema_exprs: vec![],
            pos_maps: inst.pos_maps.clone(),
        });
    }
    // Documents grouped by their path, in first-seen order.
    let mut groups: Vec<(Vec<String>, Vec<&Doc>)> = Vec::new();
    let mut index = 0usize;
    for (_, docs) in &inst.data_files {
        for d in docs {
            let mut path = Vec::new();
            for l in &labels {
                path.push(l.eval(d, index, docs_total, flags.with_context, limits)?);
            }
            index += 1;
            match groups.iter_mut().find(|g| g.0 == path) {
                Some(g) => g.1.push(d),
                None => groups.push((path, vec![d])),
            }
        }
    }
    // One generated text for all paths keeps the documents' order (fields of separate files
    // at the same position would be sorted by name).
    let mut text = String::new();
    let mut file = String::new();
    for (path, docs) in groups {
        let prefix: String = path
            .iter()
            .map(|l| format!("{}: ", ferrocue_eval::scalar::quote_string(l)))
            .collect();
        if file.is_empty() {
            file = docs.first().map(|d| d.file.clone()).unwrap_or_default();
        }
        if flags.list {
            let items: Vec<String> = docs.iter().map(|d| data_cue(&d.data)).collect();
            text.push_str(&format!("{prefix}[{}]\n", items.join(", ")));
        } else {
            for d in docs {
                text.push_str(&format!("{prefix}{}\n", data_cue(&d.data)));
            }
        }
    }
    if !text.is_empty() {
        files.push((file, text));
    }
    Ok(Prepared {
        files,
        schema_exprs: vec![],
        pos_maps: Default::default(),
    })
}

/// One `-l` flag: a literal label (`name:`, `"x"`) or an expression evaluated per document.
enum Label {
    Literal(String),
    Expr(String),
}

impl Label {
    fn parse(text: &str) -> Result<Label, String> {
        if let Some(name) = text.strip_suffix(':') {
            return Ok(Label::Literal(name.trim().to_string()));
        }
        let e = ferrocue_parser::parse_expr("--path", text)
            .map_err(|_| format!("expression is not a valid label: {text}"))?;
        match &e.kind {
            ExprKind::Paren(_) | ExprKind::Binary { .. } | ExprKind::Unary { .. } => {
                Err(format!("expression is not a valid label: {text}"))
            }
            ExprKind::Lit(ferrocue_parser::ast::Lit::String(s)) => {
                Ok(Label::Literal(s.to_string()))
            }
            _ => Ok(Label::Expr(text.to_string())),
        }
    }

    fn eval(
        &self,
        doc: &Doc,
        index: usize,
        count: usize,
        with_context: bool,
        limits: Limits,
    ) -> Result<String, String> {
        let expr = match self {
            Label::Literal(s) => return Ok(s.clone()),
            Label::Expr(e) => e,
        };
        let mut src = String::new();
        for p in STD {
            if expr.contains(&format!("{p}.")) {
                src.push_str(&format!("import \"{p}\"\n"));
            }
        }
        if with_context {
            let ext = std::path::Path::new(&doc.file)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("");
            src.push_str(&format!(
                "filename: {}\nindex: {index}\nrecordCount: {count}\ndata: {}\n",
                ferrocue_eval::scalar::quote_string(ext),
                data_cue(&doc.data)
            ));
        } else {
            // Fields at file level, so the expression's references find them.
            match &doc.data {
                Data::Map(m) => {
                    // Keys that need no quotes are identifiers, as cue's decoders make them,
                    // so the expression can refer to them (a quoted label is not referable).
                    for (k, v) in m {
                        src.push_str(&format!("{}: {}\n", data_label(k), data_cue(v)));
                    }
                }
                other => {
                    src.push_str(&data_cue(other));
                    src.push('\n');
                }
            }
        }
        let files = vec![("--path".to_string(), src)];
        match export_sources(&files, Some(expr), limits) {
            Ok(Data::String(s)) => Ok(s),
            Ok(other) => Err(format!(
                "error evaluating label {expr}: {}",
                ferrocue_export::to_json_compact(&other)
            )),
            Err(d) => Err(format!(
                "error evaluating label {expr}: {}",
                d.to_string().trim_end()
            )),
        }
    }
}

/// Applies protobuf's JSON mapping to the `+pb` documents against the schema they meet: the
/// `-d` value, the value at their `-l` path, or the root.
fn convert_pb(inst: &Instance, flags: &LoadArgs, limits: Limits) -> Result<Instance, String> {
    use ferrocue_eval::instance::Instance as Evaluated;
    let mut schema = Evaluated::from_sources(&inst.cue, limits).map_err(|d| d.to_string())?;
    let labels: Vec<Label> = flags
        .path
        .iter()
        .map(|l| Label::parse(l))
        .collect::<Result<_, _>>()?;
    let total: usize = inst.data_files.iter().map(|(_, d)| d.len()).sum();
    let mut out = Instance {
        cue: inst.cue.clone(),
        data_files: Vec::new(),
        package: inst.package.clone(),
        pos_maps: inst.pos_maps.clone(),
    };
    let mut index = 0;
    for (name, docs) in &inst.data_files {
        let mut new_docs = Vec::new();
        for d in docs {
            let mut d = d.clone();
            if d.pb {
                let mut path: Vec<String> = match &flags.schema {
                    Some(s) => s.split('.').map(str::to_string).collect(),
                    None => vec![],
                };
                for l in &labels {
                    path.push(l.eval(&d, index, total, flags.with_context, limits)?);
                }
                let refs: Vec<&str> = path.iter().map(String::as_str).collect();
                let at = schema.lookup(&refs);
                d.data = super::protojson::convert(&mut schema, at, d.data)?;
                d.text = None;
            }
            index += 1;
            new_docs.push(d);
        }
        out.data_files.push((name.clone(), new_docs));
    }
    Ok(out)
}
