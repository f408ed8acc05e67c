//! Command-line inputs as cue reads them: package directories (`.`, `./dir`, `.:pkg`), CUE
//! files, data files (`.json`, `.jsonl`, `.yaml`, `.yml`) and `kind:` qualifiers, turned into
//! the CUE source texts of one or more instances to evaluate.

use std::path::{Path, PathBuf};

use ferrocue_export::Data;

use super::tags::Tags;

/// Flags shared by `export`, `eval` and `vet` that decide what gets loaded.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct LoadArgs {
    /// Set the value of a field marked `@tag(key)` (`-t key=value`), or a build tag for
    /// `@if(expr)` file attributes / a tag's short name (`-t name`).
    #[arg(short = 't', long = "inject", value_name = "KEY=VALUE")]
    pub tags: Vec<String>,
    /// CUE expression for one path component under which each data document is placed
    /// (repeat for a deeper path; `-l kind -l metadata.name`, `-l '"x"'`, `-l name:`).
    #[arg(short = 'l', long = "path", value_name = "EXPR")]
    pub path: Vec<String>,
    /// Concatenate data documents placed at the same path into a list.
    #[arg(long)]
    pub list: bool,
    /// Make `filename`, `index`, `recordCount` and `data` available to `-l` expressions.
    #[arg(long = "with-context")]
    pub with_context: bool,
    /// Expression selecting a schema (in the CUE files) for each data document.
    #[arg(short = 'd', long = "schema", value_name = "EXPR")]
    pub schema: Option<String>,
    /// Glob filter for non-CUE file names in directories (accepted; data files are only read
    /// when named, so it only needs a directory argument).
    #[arg(short = 'n', long = "name", value_name = "GLOB")]
    pub name: Option<String>,
    /// Package name for non-CUE files (`--out cue`).
    #[arg(short = 'p', long = "package", value_name = "NAME")]
    pub package: Option<String>,
}

/// One data document with where it came from.
#[derive(Clone)]
pub struct Doc {
    pub file: String,
    pub data: Data,
    /// CUE text for this document whose positions are those of the data file: the source of
    /// a file holding one JSON value, or a YAML document laid out by `yaml_pos` (its lines
    /// mapped back through [`Instance::pos_maps`]).
    pub text: Option<String>,
    /// Read with protobuf's JSON mapping (`json+pb:`), converted against the schema later.
    pub pb: bool,
}

/// What one instance is made of.
#[derive(Default)]
pub struct Instance {
    /// CUE files (display name, source after tag injection).
    pub cue: Vec<(String, String)>,
    /// Data documents per data file, in argument order; an empty YAML file has none.
    pub data_files: Vec<(String, Vec<Doc>)>,
    /// The package name of the CUE files (empty when none is declared).
    pub package: String,
    /// Per YAML file: generated line -> (line, column) in the YAML source.
    pub pos_maps: std::collections::HashMap<String, Vec<(usize, usize)>>,
}

/// A one-line error message (already in cue's words).
pub type LoadError = String;

/// Reads the arguments into instances: each package argument is its own instance; all files
/// given directly form one more instance.
pub fn load(args: &[String], flags: &LoadArgs) -> Result<Vec<Instance>, Vec<LoadError>> {
    let tags = Tags::parse(&flags.tags);
    let args: Vec<String> = if args.is_empty() {
        vec![".".into()]
    } else {
        args.to_vec()
    };
    let mut instances = Vec::new();
    let mut files = Instance::default();
    let mut has_files = false;
    let mut has_dirs = false;
    let mut mode: Option<String> = None;
    let mut errs = Vec::new();
    let mut used = Vec::new();
    for a in &args {
        if is_qualifier(a) {
            mode = Some(a.trim_end_matches(':').to_string());
            continue;
        }
        let (path_part, pkg) = split_pkg(a);
        let p = Path::new(path_part);
        let dir = if p.is_dir() {
            Some(p.to_path_buf())
        } else if pkg.is_some() || looks_like_import(path_part) {
            find_import(path_part)
        } else {
            None
        };
        if let Some(dir) = dir {
            has_dirs = true;
            match load_dir(&dir, path_part, pkg, &tags, &mut used) {
                Ok(inst) => instances.push(inst),
                Err(e) => errs.extend(e),
            }
            continue;
        }
        has_files = true;
        if let Err(e) = add_file(&mut files, a, mode.as_deref(), &tags, &mut used) {
            errs.push(e);
        }
    }
    if flags.name.is_some() && !has_dirs {
        return Err(vec!["use of -n/--name flag without a directory".into()]);
    }
    if errs.is_empty() {
        if let Some(k) = tags.values.keys().find(|k| !used.contains(k)) {
            errs.push(format!("no tag for {k:?}"));
        }
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    if has_files {
        // Data files given beside one package join that package, as in cue.
        match instances.as_mut_slice() {
            [pkg] if files.cue.is_empty() => {
                pkg.data_files.append(&mut files.data_files);
                pkg.pos_maps.extend(files.pos_maps);
            }
            _ => instances.push(files),
        }
    }
    Ok(instances)
}

fn is_qualifier(a: &str) -> bool {
    let Some(q) = a.strip_suffix(':') else {
        return false;
    };
    q.split('+').all(|p| {
        matches!(
            p,
            "cue"
                | "json"
                | "yaml"
                | "jsonl"
                | "data"
                | "graph"
                | "schema"
                | "text"
                | "binary"
                | "pb"
                | "textproto"
                | "proto"
                | "toml"
                | "jsonschema"
                | "openapi"
        )
    })
}

/// `dir:pkg` (`.:foo`, `mod.test/bar:baz`) into the path and the package name.
fn split_pkg(a: &str) -> (&str, Option<&str>) {
    match a.rsplit_once(':') {
        Some((p, n)) if !p.is_empty() && !n.is_empty() && !n.contains('/') => (p, Some(n)),
        _ => (a, None),
    }
}

/// An import path: its first element has a dot and no file extension is involved.
fn looks_like_import(a: &str) -> bool {
    let first = a.split('/').next().unwrap_or("");
    a.contains('/') && first.contains('.') && !first.starts_with('.')
}

/// Finds an import path's directory in the module's `cue.mod/{gen,pkg,usr}` trees.
fn find_import(path: &str) -> Option<PathBuf> {
    ["gen", "pkg", "usr"]
        .iter()
        .map(|d| Path::new("cue.mod").join(d).join(path))
        .find(|p| p.is_dir())
}

/// The text cue shows for a file of a loaded directory: `./dir/x.cue`.
fn shown(dir_arg: &str, name: &str) -> String {
    let d = dir_arg.trim_end_matches('/');
    if d == "." || d.is_empty() {
        format!("./{name}")
    } else if d.starts_with("./") || d.starts_with('/') || d.starts_with("../") {
        format!("{d}/{name}")
    } else {
        format!("./{d}/{name}")
    }
}

/// Loads the CUE package in `dir` with cue's build constraints: hidden (`.`/`_`) and tool or
/// test files are left out, `@if` attributes must hold, files must belong to the package.
fn load_dir(
    dir: &Path,
    arg: &str,
    pkg: Option<&str>,
    tags: &Tags,
    used: &mut Vec<String>,
) -> Result<Instance, Vec<LoadError>> {
    let mut names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| n.ends_with(".cue"))
            .collect(),
        Err(e) => return Err(vec![format!("cannot read directory {arg}: {e}")]),
    };
    names.sort();
    let mut excluded = Vec::new();
    // (shown, source, package, syntax tree)
    let mut kept: Vec<(String, String, String, ferrocue_parser::ast::File)> = Vec::new();
    for n in names {
        let show = shown(arg, &n);
        if n.starts_with('.') {
            excluded.push(format!("{n}: filename starts with a '.'"));
            continue;
        }
        if n.starts_with('_') {
            excluded.push(format!("{n}: filename starts with a '_'"));
            continue;
        }
        if n.ends_with("_tool.cue") || n.ends_with("_test.cue") {
            continue;
        }
        let src = match std::fs::read_to_string(dir.join(&n)) {
            Ok(s) => s,
            Err(e) => return Err(vec![format!("cannot read {show}: {e}")]),
        };
        let file = match ferrocue_parser::parse_file(&show, &src) {
            Ok(f) => f,
            Err(e) => return Err(vec![e.to_string()]),
        };
        if let Some(a) = file.attrs.iter().find(|a| a.name == "if") {
            match tags.build_if(&a.body) {
                Ok(true) => {}
                Ok(false) => {
                    excluded.push(format!("{show}: @if({}) did not match", a.body));
                    continue;
                }
                Err(e) => return Err(vec![format!("{show}: {e}")]),
            }
        }
        let name = file.package.as_ref().map(|p| p.name.to_string());
        match name.as_deref() {
            None | Some("_") => {
                excluded.push(format!("{show}: no package name"));
                continue;
            }
            Some(p) => {
                if pkg.is_some_and(|want| want != p) {
                    continue;
                }
                let p = p.to_string();
                kept.push((show, src, p, file));
            }
        }
    }
    if kept.is_empty() {
        let mut msg = format!("build constraints exclude all CUE files in {arg}:");
        for e in &excluded {
            msg.push_str(&format!("\n    {e}"));
        }
        return Err(vec![msg]);
    }
    let first = kept[0].2.clone();
    if let Some(other) = kept.iter().find(|k| k.2 != first) {
        return Err(vec![format!(
            "found packages \"{first}\" ({}) and \"{}\" ({}) in \"{}\"",
            base(&kept[0].0),
            other.2,
            base(&other.0),
            arg
        )]);
    }
    let mut inst = Instance {
        package: first,
        ..Instance::default()
    };
    for (show, src, _, file) in kept {
        let text = inject_tags(&show, &src, file, tags, used)?;
        inst.cue.push((show, text));
    }
    Ok(inst)
}

fn base(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

/// The file's text with `-t` values injected at its `@tag`s. Its syntax tree (parsed once, by
/// the caller) is handed on to the compiler when the text is unchanged, so it is not parsed
/// again there.
fn inject_tags(
    show: &str,
    src: &str,
    file: ferrocue_parser::ast::File,
    tags: &Tags,
    used: &mut Vec<String>,
) -> Result<String, Vec<LoadError>> {
    let import_errs = super::imports::check(show, src, &file);
    if !import_errs.is_empty() {
        return Err(import_errs);
    }
    let pos = |off: u32| {
        let off = (off as usize).min(src.len());
        let before = &src[..off];
        let line = before.matches('\n').count() + 1;
        let col = off - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        format!("{show}:{line}:{col}")
    };
    let text = super::tags::inject(&file, src, tags, used, &pos)?;
    if text == src {
        ferrocue_eval::load::hand_over_parsed(show, src, file);
    }
    Ok(text)
}

/// Adds one file argument to the instance of directly given files.
fn add_file(
    inst: &mut Instance,
    arg: &str,
    mode: Option<&str>,
    tags: &Tags,
    used: &mut Vec<String>,
) -> Result<(), String> {
    let show = if arg.starts_with("./") || arg.starts_with('/') || arg.starts_with("../") {
        arg.to_string()
    } else {
        format!("./{arg}")
    };
    let ext = Path::new(arg)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    let pb = mode.is_some_and(|m| m.ends_with("+pb"));
    let mode = mode.map(|m| m.trim_end_matches("+pb"));
    let kind = match mode {
        Some("textproto") => "textproto",
        Some(m) if m == "pb" || m == "proto" => {
            return Err(format!("{show}: encoding {m:?} is not supported"))
        }
        Some("json") => "json",
        Some("jsonl") => "jsonl",
        Some("yaml") => "yaml",
        Some(m @ ("cue" | "data" | "graph" | "schema")) => match ext {
            "json" | "jsonl" | "ldjson" | "yaml" | "yml" => ext_kind(ext),
            _ => {
                if m == "data" {
                    "data"
                } else {
                    "cue"
                }
            }
        },
        _ => ext_kind(ext),
    };
    if kind.is_empty() {
        if !Path::new(arg).exists() {
            return Err(format!("cannot find package {arg:?}"));
        }
        return Err(format!("unknown file extension .{ext} ({show})"));
    }
    let src = match std::fs::read(arg) {
        Ok(b) => match String::from_utf8(b) {
            Ok(s) => s,
            Err(_) => return Err(format!("{show}: invalid UTF-8 encoding")),
        },
        Err(e) => {
            let why = if e.kind() == std::io::ErrorKind::NotFound {
                "no such file or directory".to_string()
            } else {
                e.to_string()
            };
            return Err(format!("open {show}: {why}"));
        }
    };
    match kind {
        "cue" | "data" => {
            let file = ferrocue_parser::parse_file(&show, &src).map_err(|e| e.to_string())?;
            if kind == "data" {
                check_data_mode(&show, &src, &file)?;
            }
            if let Some(p) = &file.package {
                let p = p.name.to_string();
                if p != "_" {
                    if !inst.package.is_empty() && inst.package != p {
                        return Err(format!(
                            "found packages \"{}\" and \"{p}\" ({show})",
                            inst.package
                        ));
                    }
                    inst.package = p;
                }
            }
            // cue's loader drops test and tool files outside test/cmd mode even when they are
            // named on the command line (after reading their package clause).
            if arg.ends_with("_test.cue") || arg.ends_with("_tool.cue") {
                return Ok(());
            }
            let text = inject_tags(&show, &src, file, tags, used).map_err(|e| e.join(""))?;
            inst.cue.push((show, text));
        }
        "json" => {
            let docs = ferrocue_export::read_json_stream(&show, &src).map_err(|e| e.to_string())?;
            let single = docs.len() == 1;
            let docs = docs
                .into_iter()
                .map(|d| Doc {
                    file: show.clone(),
                    data: d,
                    text: (single && !pb).then(|| src.clone()),
                    pb,
                })
                .collect();
            inst.data_files.push((show, docs));
        }
        "textproto" => {
            let d = super::textproto::read(&show, &src)?;
            let doc = Doc {
                file: show.clone(),
                data: d,
                text: None,
                pb,
            };
            inst.data_files.push((show, vec![doc]));
        }
        "jsonl" => {
            let docs = ferrocue_export::read_json_stream(&show, &src).map_err(|e| e.to_string())?;
            let docs = docs
                .into_iter()
                .map(|d| Doc {
                    file: show.clone(),
                    data: d,
                    text: None,
                    pb,
                })
                .collect();
            inst.data_files.push((show, docs));
        }
        _ => {
            let docs = ferrocue_export::read_yaml(&show, &src).map_err(|e| e.to_string())?;
            let (texts, map) = super::yaml_pos::layout_docs(&src, &docs);
            let docs = docs
                .into_iter()
                .zip(texts)
                .map(|(d, t)| Doc {
                    file: show.clone(),
                    data: d,
                    text: Some(t),
                    pb,
                })
                .collect();
            inst.pos_maps.insert(show.clone(), map);
            inst.data_files.push((show, docs));
        }
    }
    Ok(())
}

fn ext_kind(ext: &str) -> &'static str {
    match ext {
        "cue" => "cue",
        "json" => "json",
        "jsonl" | "ldjson" => "jsonl",
        "yaml" | "yml" => "yaml",
        "textproto" => "textproto",
        _ => "",
    }
}

/// `data:` files may not contain references (cue's data mode).
fn check_data_mode(show: &str, src: &str, file: &ferrocue_parser::ast::File) -> Result<(), String> {
    let mut found = None;
    for d in &file.decls {
        data_decl(d, &mut found);
    }
    match found {
        None => Ok(()),
        Some(off) => {
            let before = &src[..(off as usize).min(src.len())];
            let line = before.matches('\n').count() + 1;
            let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            Err(format!(
                "references not allowed in data mode:\n    {show}:{line}:{col}"
            ))
        }
    }
}

fn data_decl(d: &ferrocue_parser::ast::Decl, found: &mut Option<u32>) {
    use ferrocue_parser::ast::DeclKind;
    match &d.kind {
        DeclKind::Field(f) => data_expr(&f.value, found),
        DeclKind::Embed(e) => data_expr(e, found),
        _ => {}
    }
}

fn data_expr(e: &ferrocue_parser::ast::Expr, found: &mut Option<u32>) {
    use ferrocue_parser::ast::ExprKind;
    if found.is_some() {
        return;
    }
    match &e.kind {
        ExprKind::Ident(i) if i.name != "_" => *found = Some(e.span.start),
        ExprKind::Struct(s) => s.decls.iter().for_each(|d| data_decl(d, found)),
        ExprKind::List(l) => l.elems.iter().for_each(|x| data_expr(x, found)),
        ExprKind::Unary { expr, .. } | ExprKind::Paren(expr) => data_expr(expr, found),
        ExprKind::Binary { lhs, rhs, .. } => {
            data_expr(lhs, found);
            data_expr(rhs, found);
        }
        _ => {}
    }
}

/// A data field's label in CUE text: bare when it is an identifier, so references to it
/// resolve (cue's `ast.NewStringLabel`; a quoted label binds no identifier), else quoted.
pub fn data_label(k: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "if", "for", "in", "let", "try", "else", "import", "package", "true", "false", "null",
        "func",
    ];
    let bare = ferrocue_eval::ir::is_ident(k)
        && !k.starts_with('#')
        && !k.starts_with('_')
        && !KEYWORDS.contains(&k);
    if bare {
        k.to_string()
    } else {
        ferrocue_eval::scalar::quote_string(k)
    }
}

/// A data value as a CUE expression.
pub fn data_cue(d: &Data) -> String {
    use ferrocue_eval::scalar::{quote_bytes, quote_string};
    match d {
        Data::Null => "null".into(),
        Data::Bool(b) => b.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.clone(),
        Data::String(s) => quote_string(s),
        Data::Bytes(b) => quote_bytes(b),
        Data::List(l) => {
            let parts: Vec<String> = l.iter().map(data_cue).collect();
            format!("[{}]", parts.join(", "))
        }
        Data::Map(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", data_label(k), data_cue(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
    }
}

/// A value in cue's compact message form: `{a:1,b:"x"}`.
pub fn compact_cue(d: &Data) -> String {
    use ferrocue_eval::scalar::quote_string;
    match d {
        Data::List(l) => {
            let parts: Vec<String> = l.iter().map(compact_cue).collect();
            format!("[{}]", parts.join(","))
        }
        Data::Map(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| {
                    let key = if ferrocue_eval::ir::is_ident(k) {
                        k.clone()
                    } else {
                        quote_string(k)
                    };
                    format!("{key}:{}", compact_cue(v))
                })
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        other => data_cue(other),
    }
}

/// cue's error for `--out text` of a value that is not a string.
pub fn not_text(d: &Data) -> String {
    format!(
        "cannot use value {} (type {}) as string",
        compact_cue(d),
        d.kind_name()
    )
}
