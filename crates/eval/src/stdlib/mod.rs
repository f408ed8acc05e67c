//! CUE's standard library as plain Rust functions over concrete values, behind one registry.
//!
//! Each builtin is declared once ([`Builtin`]): its parameter kinds, result kind and a function
//! from concrete arguments to a concrete result. The evaluator resolves `import "strings"` with
//! [`package_exists`], a selector `strings.Join` with [`lookup`], evaluates the arguments to
//! [`Val`]s and calls [`call`], which checks arity and kinds with cue's messages first.
//!
//! A few builtins need the evaluator itself (a comparator for `list.Sort`, unification for
//! `list.MatchN` or `json.Validate`); they are declared with [`Func::NeedsEval`] and implemented
//! by the evaluator, which may use the helpers exported here.

mod args;
mod bigmath;
mod builtins;
#[cfg(test)]
mod corpus_tests;
mod crypto;
mod csv;
mod encoding;
mod html;
mod json;
mod list;
mod math;
mod net;
mod netip;
mod path;
mod regexp;
mod sort;
mod strconv;
mod strings;
mod structs;
mod template;
mod text;
mod time;
mod tool;
mod uuid;
mod yaml;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::num::Number;
use crate::scalar::{quote_bytes, quote_string, Scalar};

pub use args::*;
pub use json::{check as json_check, marshal as json_marshal, unmarshal as json_unmarshal};
pub use sort::{go_is_sorted, go_stable_sort};
pub use yaml::from_data as value_from_data;
pub use yaml::unmarshal_stream as yaml_unmarshal_stream;

/// A concrete value passed to or returned from a builtin. Struct fields keep their order.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Null,
    Bool(bool),
    Num(Number),
    Str(Arc<str>),
    Bytes(Arc<[u8]>),
    List(Vec<Val>),
    Struct(Vec<(String, Val)>),
}

impl Val {
    pub fn str(s: impl AsRef<str>) -> Val {
        Val::Str(Arc::from(s.as_ref()))
    }

    pub fn bytes(b: impl AsRef<[u8]>) -> Val {
        Val::Bytes(Arc::from(b.as_ref()))
    }

    pub fn int(v: i64) -> Val {
        Val::Num(Number::from_i64(v))
    }

    pub fn kind(&self) -> Kind {
        match self {
            Val::Null => Kind::NULL,
            Val::Bool(_) => Kind::BOOL,
            Val::Num(n) if n.is_int() => Kind::INT,
            Val::Num(_) => Kind::FLOAT,
            Val::Str(_) => Kind::STRING,
            Val::Bytes(_) => Kind::BYTES,
            Val::List(_) => Kind::LIST,
            Val::Struct(_) => Kind::STRUCT,
        }
    }

    /// The scalar inside, if this is one.
    pub fn to_scalar(&self) -> Option<Scalar> {
        Some(match self {
            Val::Null => Scalar::Null,
            Val::Bool(b) => Scalar::Bool(*b),
            Val::Num(n) => Scalar::Num(n.clone()),
            Val::Str(s) => Scalar::Str(s.clone()),
            Val::Bytes(b) => Scalar::Bytes(b.clone()),
            Val::List(_) | Val::Struct(_) => return None,
        })
    }

    /// Structural equality as cue's `==` on concrete data (numbers across kinds).
    pub fn equals(&self, other: &Val) -> bool {
        match (self, other) {
            (Val::List(a), Val::List(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.equals(y))
            }
            (Val::Struct(a), Val::Struct(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.iter().any(|(k2, v2)| k == k2 && v.equals(v2)))
            }
            _ => match (self.to_scalar(), other.to_scalar()) {
                (Some(x), Some(y)) => x.equals(&y),
                _ => false,
            },
        }
    }
}

impl From<Scalar> for Val {
    fn from(s: Scalar) -> Val {
        match s {
            Scalar::Null => Val::Null,
            Scalar::Bool(b) => Val::Bool(b),
            Scalar::Num(n) => Val::Num(n),
            Scalar::Str(s) => Val::Str(s),
            Scalar::Bytes(b) => Val::Bytes(b),
        }
    }
}

impl fmt::Display for Val {
    /// cue's compact value text used in messages: `{a:1,b:"x"}`, `[1,2]`, `"s"`, `2.0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Val::Null => f.write_str("null"),
            Val::Bool(b) => write!(f, "{b}"),
            Val::Num(n) => f.write_str(&n.to_json_text()),
            Val::Str(s) => f.write_str(&quote_string(s)),
            Val::Bytes(b) => f.write_str(&quote_bytes(b)),
            Val::List(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Val::Struct(fields) => {
                f.write_str("{")?;
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    if is_identifier(k) {
                        f.write_str(k)?;
                    } else {
                        f.write_str(&quote_string(k))?;
                    }
                    write!(f, ":{v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

/// Whether `s` can be written as a bare CUE label.
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    let first_ok = match chars.next() {
        Some(c) => c.is_alphabetic() || c == '_' || c == '$' || c == '#',
        None => false,
    };
    first_ok && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// A set of value kinds (cue's `adt.Kind` bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Kind(pub u16);

impl Kind {
    pub const NULL: Kind = Kind(1);
    pub const BOOL: Kind = Kind(2);
    pub const INT: Kind = Kind(4);
    pub const FLOAT: Kind = Kind(8);
    pub const STRING: Kind = Kind(16);
    pub const BYTES: Kind = Kind(32);
    pub const LIST: Kind = Kind(64);
    pub const STRUCT: Kind = Kind(128);
    pub const NUMBER: Kind = Kind(4 | 8);
    pub const TOP: Kind = Kind(255);
    pub const BOTTOM: Kind = Kind(0);

    pub const fn or(self, other: Kind) -> Kind {
        Kind(self.0 | other.0)
    }

    pub fn contains(self, other: Kind) -> bool {
        self.0 & other.0 != 0
    }
}

impl fmt::Display for Kind {
    /// cue's kind text: `int`, `number`, `(string|bytes)`, `_`, `_|_`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("_|_");
        }
        if *self == Kind::TOP {
            return f.write_str("_");
        }
        // cue lists kinds in bit order, with `number` (a separate bit) last.
        let mut names = Vec::new();
        let number = self.0 & Kind::NUMBER.0 == Kind::NUMBER.0;
        for (bit, name) in [
            (Kind::NULL, "null"),
            (Kind::BOOL, "bool"),
            (Kind::INT, "int"),
            (Kind::FLOAT, "float"),
            (Kind::STRING, "string"),
            (Kind::BYTES, "bytes"),
            (Kind::LIST, "list"),
            (Kind::STRUCT, "struct"),
        ] {
            if number && (bit == Kind::INT || bit == Kind::FLOAT) {
                continue;
            }
            if self.contains(bit) {
                names.push(name);
            }
        }
        if number {
            names.push("number");
        }
        if names.len() > 1 {
            write!(f, "({})", names.join("|"))
        } else {
            f.write_str(names.first().copied().unwrap_or("_|_"))
        }
    }
}

/// Why a builtin call failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuiltinError {
    /// Reported by cue as `error in call to pkg.Name: <message>` (or, for a validator, as the
    /// detail after `invalid value X (does not satisfy pkg.Name(...)): `).
    Call(String),
    /// A complete message reported as-is, e.g. `cannot use 1 (type int) as list in argument 1
    /// to list.Concat` or `not enough arguments in call to strings.Join (have 1, want 2)`.
    Plain(String),
    /// An argument is not concrete enough yet; the evaluator treats the call as incomplete.
    Incomplete(String),
    /// A validation failure with a detail (cue's `pkg.ValidationError`): used as a validator,
    /// cue reports `invalid value X (does not satisfy pkg.Name(args)): <detail>`; called
    /// directly, the call simply yields `false`.
    Validation(String),
}

impl BuiltinError {
    pub fn message(&self) -> &str {
        match self {
            BuiltinError::Call(m)
            | BuiltinError::Plain(m)
            | BuiltinError::Incomplete(m)
            | BuiltinError::Validation(m) => m,
        }
    }
}

impl fmt::Display for BuiltinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

pub type BuiltinResult = Result<Val, BuiltinError>;

/// How a builtin is computed.
#[derive(Clone, Copy)]
pub enum Func {
    /// A pure function of concrete arguments.
    Pure(fn(&[Val]) -> BuiltinResult),
    /// A constant such as `math.Pi` (CUE number text) — not callable.
    Const(&'static str),
    /// Needs evaluator support (comparators, unification, non-concrete arguments); the
    /// evaluator implements it by `Builtin::qualified_name`.
    NeedsEval,
}

/// A constraint on the last parameter (cue's `*"unix" | "windows" | ...` for `path`).
#[derive(Clone, Copy, Debug)]
pub struct ParamDefault {
    /// Used when the argument is omitted; `None` makes the argument required.
    pub default: Option<&'static str>,
    /// The allowed values (empty: any value of the parameter kind).
    pub allowed: &'static [&'static str],
}

/// One standard-library builtin.
#[derive(Clone, Copy)]
pub struct Builtin {
    /// Import path of the package (`""` for the predeclared `div mod quo rem`).
    pub pkg: &'static str,
    pub name: &'static str,
    pub params: &'static [Kind],
    pub result: Kind,
    /// Accepts non-concrete arguments (only for [`Func::NeedsEval`] builtins).
    pub non_concrete: bool,
    /// A default for the last parameter, if it has one.
    pub last_default: Option<ParamDefault>,
    pub func: Func,
}

impl fmt::Debug for Builtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Builtin({})", self.qualified_name())
    }
}

impl Builtin {
    /// A plain function of package `pkg`: concrete arguments, no parameter default. Each
    /// package module declares its table with this.
    pub const fn pure(
        pkg: &'static str,
        name: &'static str,
        params: &'static [Kind],
        result: Kind,
        func: fn(&[Val]) -> BuiltinResult,
    ) -> Builtin {
        Builtin {
            pkg,
            name,
            params,
            result,
            non_concrete: false,
            last_default: None,
            func: Func::Pure(func),
        }
    }

    /// `strings.Join`, or just `div` for predeclared functions.
    pub fn qualified_name(&self) -> String {
        if self.pkg.is_empty() {
            self.name.to_string()
        } else {
            format!("{}.{}", self.pkg, self.name)
        }
    }

    /// cue's rule: a call with one argument fewer than the parameters, to a builtin returning
    /// bool (or only errors) whose last parameter has no default, yields a validator that is
    /// later applied with the constrained value as the first argument.
    pub fn is_validator(&self, num_args: usize) -> bool {
        num_args + 1 == self.params.len()
            && (self.result == Kind::BOOL || self.result == Kind::BOTTOM)
            && self.last_default.is_none_or(|d| d.default.is_none())
    }

    pub fn is_const(&self) -> bool {
        matches!(self.func, Func::Const(_))
    }

    /// The value of a constant builtin.
    pub fn const_value(&self) -> Option<Val> {
        let Func::Const(text) = self.func else {
            return None;
        };
        if let Some(s) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            return Some(Val::str(s));
        }
        let n = if text.contains(['.', 'e', 'E']) {
            Number::from_float_text(text).ok()?
        } else {
            Number::from_int(text.parse().ok()?)
        };
        Some(Val::Num(n))
    }
}

/// Checks arity and argument kinds the way cue does before running a builtin, then runs it.
/// Omitted trailing arguments with a default are filled in.
pub fn call(b: &Builtin, args: &[Val]) -> BuiltinResult {
    let f = match b.func {
        Func::Pure(f) => f,
        Func::Const(_) => {
            let k = b.const_value().map_or(Kind::TOP, |v| v.kind());
            let name = b.qualified_name();
            return Err(BuiltinError::Plain(format!(
                "cannot call non-function {name} (type {k})"
            )));
        }
        Func::NeedsEval => {
            let name = b.qualified_name();
            return Err(BuiltinError::Call(format!(
                "{name} must be evaluated by the evaluator"
            )));
        }
    };
    if args.len() > b.params.len() {
        let name = b.qualified_name();
        return Err(BuiltinError::Plain(format!(
            "too many arguments in call to {name} (have {}, want {})",
            args.len(),
            b.params.len()
        )));
    }
    let filled: Vec<Val>;
    let args: &[Val] = if args.len() < b.params.len() {
        match b.last_default {
            Some(ParamDefault {
                default: Some(d), ..
            }) if args.len() + 1 == b.params.len() => {
                filled = args.iter().cloned().chain([Val::str(d)]).collect();
                &filled
            }
            _ => {
                let name = b.qualified_name();
                return Err(BuiltinError::Plain(format!(
                    "not enough arguments in call to {name} (have {}, want {})",
                    args.len(),
                    b.params.len()
                )));
            }
        }
    } else {
        args
    };
    for (i, (a, k)) in args.iter().zip(b.params).enumerate() {
        if !k.contains(a.kind()) {
            let name = b.qualified_name();
            return Err(BuiltinError::Plain(format!(
                "cannot use {a} (type {}) as {k} in argument {} to {name}",
                a.kind(),
                i + 1
            )));
        }
    }
    if let Some(d) = b.last_default {
        if let (Some(Val::Str(s)), false) = (args.last(), d.allowed.is_empty()) {
            if !d.allowed.contains(&&**s) {
                let alts: Vec<String> = d
                    .allowed
                    .iter()
                    .map(|a| {
                        let q = quote_string(a);
                        if Some(*a) == d.default {
                            format!("*{q}")
                        } else {
                            q
                        }
                    })
                    .collect();
                let name = b.qualified_name();
                return Err(BuiltinError::Plain(format!(
                    "cannot use {} as {} in argument {} to {name}",
                    quote_string(s),
                    alts.join(" | "),
                    args.len()
                )));
            }
        }
    }
    f(args)
}

/// cue's message for a failed validator: `invalid value "ab" (does not satisfy
/// strings.MinRunes(3))`, followed by `: <detail>` when the validator gave one (a `Call` or
/// `Validation` error). `value` is the constrained value as cue prints it in messages and
/// `extra_args` the validator's own arguments (omitted for non-concrete builtins, as cue does).
pub fn validator_failure(
    b: &Builtin,
    value: &str,
    extra_args: &[Val],
    detail: Option<&str>,
) -> String {
    let mut name = b.qualified_name();
    if !b.non_concrete && b.params.len() > 1 {
        let args: Vec<String> = extra_args.iter().map(|a| a.to_string()).collect();
        name = format!("{name}({})", args.join(", "));
    }
    match detail {
        Some(d) => format!("invalid value {value} (does not satisfy {name}): {d}"),
        None => format!("invalid value {value} (does not satisfy {name})"),
    }
}

/// Like [`call`], but for a builtin called directly rather than used as a validator: a
/// validation failure then yields `false`, as in cue.
pub fn call_direct(b: &Builtin, args: &[Val]) -> BuiltinResult {
    match call(b, args) {
        Err(BuiltinError::Validation(_)) => Ok(Val::Bool(false)),
        r => r,
    }
}

type Registry = HashMap<(&'static str, &'static str), &'static Builtin>;

fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| {
        let mut m = HashMap::new();
        for table in all_tables() {
            for b in *table {
                m.insert((b.pkg, b.name), b);
            }
        }
        m
    })
}

fn all_tables() -> &'static [&'static [Builtin]] {
    &[
        builtins::BUILTINS,
        strings::BUILTINS,
        strconv::BUILTINS,
        list::BUILTINS,
        math::BUILTINS,
        math::BITS,
        regexp::BUILTINS,
        csv::BUILTINS,
        encoding::BASE64,
        encoding::HEX,
        json::BUILTINS,
        yaml::BUILTINS,
        crypto::SHA256,
        crypto::SHA512,
        crypto::SHA1,
        crypto::MD5,
        crypto::HMAC,
        crypto::ED25519,
        path::BUILTINS,
        net::BUILTINS,
        uuid::BUILTINS,
        html::BUILTINS,
        time::BUILTINS,
        structs::BUILTINS,
        text::BUILTINS,
    ]
}

/// The builtin `name` of the package imported as `pkg_path` (`""` for predeclared functions).
pub fn lookup(pkg_path: &str, name: &str) -> Option<&'static Builtin> {
    registry().get(&(pkg_path, name)).copied()
}

/// All builtins of a package, in declaration order.
pub fn package_builtins(pkg_path: &str) -> Vec<&'static Builtin> {
    all_tables()
        .iter()
        .flat_map(|t| t.iter())
        .filter(|b| b.pkg == pkg_path)
        .collect()
}

/// Standard-library packages cue v0.17 offers (`tool/...` packages are for `cue cmd` only).
const PACKAGES: &[&str] = &[
    "crypto/ed25519",
    "crypto/hmac",
    "crypto/md5",
    "crypto/sha1",
    "crypto/sha256",
    "crypto/sha512",
    "encoding/base64",
    "encoding/csv",
    "encoding/hex",
    "encoding/json",
    "encoding/toml",
    "encoding/yaml",
    "html",
    "list",
    "math",
    "math/bits",
    "net",
    "path",
    "regexp",
    "strconv",
    "strings",
    "struct",
    "text/tabwriter",
    "text/template",
    "time",
    "tool",
    "tool/cli",
    "tool/exec",
    "tool/file",
    "tool/http",
    "tool/os",
    "uuid",
];

/// Whether `path` names a standard-library package.
pub fn package_exists(path: &str) -> bool {
    PACKAGES.contains(&path)
}

/// CUE declarations a package adds besides its functions (e.g. `list.Ascending`,
/// `path.Unix`, `uuid.ns.DNS`), to be compiled and merged into the package by the evaluator.
pub fn package_cue_source(path: &str) -> Option<&'static str> {
    match path {
        "list" => Some(list::CUE_SOURCE),
        "path" => Some(path::CUE_SOURCE),
        "uuid" => Some(uuid::CUE_SOURCE),
        "tool/cli" => Some(tool::CLI_SOURCE),
        "tool/exec" => Some(tool::EXEC_SOURCE),
        "tool/file" => Some(tool::FILE_SOURCE),
        "tool/http" => Some(tool::HTTP_SOURCE),
        "tool/os" => Some(tool::OS_SOURCE),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_match_cue() {
        assert_eq!(Kind::NUMBER.to_string(), "number");
        assert_eq!(Kind::STRING.or(Kind::BYTES).to_string(), "(string|bytes)");
        assert_eq!(Kind::TOP.to_string(), "_");
        assert_eq!(Kind::INT.to_string(), "int");
        assert_eq!(Kind::NUMBER.or(Kind::STRING).to_string(), "(string|number)");
        assert_eq!(Kind::STRUCT.or(Kind::LIST).to_string(), "(list|struct)");
    }

    #[test]
    fn call_checks_arguments_like_cue() {
        let join = lookup("strings", "Join").expect("strings.Join");
        assert_eq!(
            call(join, &[Val::List(vec![])]),
            Err(BuiltinError::Plain(
                "not enough arguments in call to strings.Join (have 1, want 2)".into()
            ))
        );
        assert_eq!(
            call(join, &[Val::int(2), Val::str(",")]),
            Err(BuiltinError::Plain(
                "cannot use 2 (type int) as list in argument 1 to strings.Join".into()
            ))
        );
        let rem = lookup("", "rem").expect("rem");
        let two = Val::Num(Number::from_float_text("2.0").expect("float"));
        assert_eq!(
            call(rem, &[two, Val::int(2)]),
            Err(BuiltinError::Plain(
                "cannot use 2.0 (type float) as int in argument 1 to rem".into()
            ))
        );
        let pi = lookup("math", "Pi").expect("math.Pi");
        assert_eq!(
            call(pi, &[Val::int(3)]),
            Err(BuiltinError::Plain(
                "cannot call non-function math.Pi (type float)".into()
            ))
        );
        assert!(lookup("strings", "Nope").is_none());
        assert!(package_exists("encoding/json"));
        assert!(!package_exists("encoding/xml"));
    }

    #[test]
    fn validators() {
        let min = lookup("strings", "MinRunes").expect("MinRunes");
        assert!(min.is_validator(1));
        assert!(!min.is_validator(2));
        let join = lookup("path", "Join").expect("path.Join");
        assert!(!join.is_validator(1));
    }

    #[test]
    fn validator_messages() {
        let any = lookup("strings", "ContainsAny").expect("ContainsAny");
        assert_eq!(
            validator_failure(any, "\"dog\"", &[Val::str("c")], None),
            "invalid value \"dog\" (does not satisfy strings.ContainsAny(\"c\"))"
        );
        let v4 = lookup("net", "IPv4").expect("IPv4");
        assert_eq!(
            validator_failure(v4, "123", &[], Some("invalid type int for IP address")),
            "invalid value 123 (does not satisfy net.IPv4): invalid type int for IP address"
        );
    }

    #[test]
    fn compact_text() {
        let v = Val::Struct(vec![
            ("num".into(), Val::int(6)),
            ("a b".into(), Val::List(vec![Val::str("x"), Val::Null])),
        ]);
        assert_eq!(v.to_string(), r#"{num:6,"a b":["x",null]}"#);
    }
}
