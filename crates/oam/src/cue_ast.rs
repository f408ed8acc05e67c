//! Builds syntax trees for generated CUE directly (parameter, context, strategic merges)
//! instead of printing text and parsing it back: parsing was a quarter of each render.

use ferrocue_eval::instance::Syntax;
use ferrocue_export::Data;
use ferrocue_parser::ast::{
    BinaryOp, Decl, DeclKind, Ellipsis, Expr, ExprKind, Field, FieldConstraint, File, Label,
    LabelKind, ListLit, Lit, Span, StructLit, UnaryOp,
};

/// The parser's bound on nesting; generated trees respect it too.
const MAX_DEPTH: u32 = 1000;

fn mk(kind: ExprKind, depth: u32) -> Result<Expr, String> {
    if depth > MAX_DEPTH {
        return Err("value nested too deeply".into());
    }
    Ok(Expr {
        kind,
        span: Span::default(),
        depth,
    })
}

fn field(name: &str, value: Expr) -> Decl {
    Decl {
        kind: DeclKind::Field(Field {
            label: Label {
                alias: None,
                kind: LabelKind::String(name.into()),
                span: Span::default(),
                key_alias: None,
            },
            constraint: FieldConstraint::Regular,
            value,
            attrs: Default::default(),
            shorthand: false,
        }),
        comments: Default::default(),
        span: Span::default(),
    }
}

fn struct_expr(fields: Vec<Decl>, child_depth: u32) -> Result<Expr, String> {
    mk(
        ExprKind::Struct(StructLit {
            decls: fields,
            open: Span::default(),
        }),
        child_depth + 1,
    )
}

fn lit(l: Lit) -> Result<Expr, String> {
    mk(ExprKind::Lit(l), 1)
}

/// Concrete data as a CUE expression.
pub fn data_expr(d: &Data) -> Result<Expr, String> {
    match d {
        Data::Null => lit(Lit::Null),
        Data::Bool(b) => lit(Lit::Bool(*b)),
        Data::Int(i) => lit(Lit::Int(i.clone())),
        Data::Float(f) => lit(Lit::Float(f.clone())),
        Data::String(s) => lit(Lit::String(s.as_str().into())),
        Data::Bytes(b) => lit(Lit::Bytes(b.clone())),
        Data::Map(m) => {
            let mut depth = 0;
            let mut decls = Vec::with_capacity(m.len());
            for (k, v) in m {
                let e = data_expr(v)?;
                depth = depth.max(e.depth);
                decls.push(field(k, e));
            }
            struct_expr(decls, depth)
        }
        Data::List(l) => {
            let elems = l.iter().map(data_expr).collect::<Result<Vec<_>, _>>()?;
            let depth = elems.iter().map(|e| e.depth).max().unwrap_or(0);
            mk(
                ExprKind::List(ListLit {
                    elems,
                    ellipsis: None,
                }),
                depth + 1,
            )
        }
    }
}

/// A value kept as syntax (defaults, constraints, open lists) as a CUE expression.
pub fn syntax_expr(s: &Syntax) -> Result<Expr, String> {
    match s {
        Syntax::Scalar(d) => data_expr(d),
        Syntax::Error(_) => lit(Lit::Bottom),
        Syntax::Constraint(text) => {
            ferrocue_parser::parse_expr("constraint", text).map_err(|e| e.to_string())
        }
        Syntax::Struct(fields) => {
            let mut depth = 0;
            let mut decls = Vec::with_capacity(fields.len());
            for (k, v) in fields {
                let e = syntax_expr(v)?;
                depth = depth.max(e.depth);
                decls.push(field(k, e));
            }
            struct_expr(decls, depth)
        }
        Syntax::List { elems, open } => {
            let elems = elems
                .iter()
                .map(syntax_expr)
                .collect::<Result<Vec<_>, _>>()?;
            let depth = elems.iter().map(|e| e.depth).max().unwrap_or(0);
            let ellipsis = open.then(|| Ellipsis {
                ty: None,
                span: Span::default(),
            });
            mk(ExprKind::List(ListLit { elems, ellipsis }), depth + 1)
        }
        Syntax::Disj(alts) => {
            let mut out: Option<Expr> = None;
            for (a, default) in alts {
                let mut e = syntax_expr(a)?;
                if *default {
                    let d = e.depth + 1;
                    e = mk(
                        ExprKind::Unary {
                            op: UnaryOp::Default,
                            expr: Box::new(e),
                        },
                        d,
                    )?;
                }
                out = Some(match out {
                    None => e,
                    Some(lhs) => {
                        let d = lhs.depth.max(e.depth) + 1;
                        mk(
                            ExprKind::Binary {
                                op: BinaryOp::Or,
                                lhs: Box::new(lhs),
                                rhs: Box::new(e),
                            },
                            d,
                        )?
                    }
                });
            }
            match out {
                Some(e) => Ok(e),
                None => lit(Lit::Bottom),
            }
        }
    }
}

/// `a & b`
pub fn and(a: Expr, b: Expr) -> Result<Expr, String> {
    let d = a.depth.max(b.depth) + 1;
    mk(
        ExprKind::Binary {
            op: BinaryOp::And,
            lhs: Box::new(a),
            rhs: Box::new(b),
        },
        d,
    )
}

/// `_`
pub fn top() -> Result<Expr, String> {
    mk(
        ExprKind::Ident(ferrocue_parser::ast::Ident {
            name: "_".into(),
            span: Span::default(),
        }),
        1,
    )
}

/// A file of top-level fields, in order (a name may repeat: the values unify). The names are
/// identifiers, so the other files of the package can refer to them.
pub fn file(fields: Vec<(&str, Expr)>) -> File {
    let ident_field = |n: &str, e: Expr| {
        let mut d = field(n, e);
        if let DeclKind::Field(f) = &mut d.kind {
            f.label.kind = LabelKind::Ident(ferrocue_parser::ast::Ident {
                name: n.into(),
                span: Span::default(),
            });
        }
        d
    };
    File {
        attrs: vec![],
        package: None,
        imports: vec![],
        decls: fields.into_iter().map(|(n, e)| ident_field(n, e)).collect(),
        comments: vec![],
        span: Span::default(),
    }
}
