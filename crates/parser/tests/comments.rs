//! Comment attachment rules (what the OAM renderer relies on for `// +patchKey=…` tags).

use ferrocue_parser::ast::*;
use ferrocue_parser::parse_file;

fn field<'a>(decls: &'a [Decl], name: &str) -> &'a Decl {
    decls
        .iter()
        .find(|d| matches!(&d.kind, DeclKind::Field(f) if matches!(&f.label.kind, LabelKind::Ident(i) if i.name == name)))
        .unwrap_or_else(|| panic!("no field {name}"))
}

fn inner(d: &Decl) -> &[Decl] {
    match &d.kind {
        DeclKind::Field(Field {
            value:
                Expr {
                    kind: ExprKind::Struct(s),
                    ..
                },
            ..
        }) => &s.decls,
        DeclKind::Field(Field {
            value: Expr {
                kind: ExprKind::List(l),
                ..
            },
            ..
        }) => match &l.elems[0].kind {
            ExprKind::Struct(s) => &s.decls,
            _ => panic!("list element is not a struct"),
        },
        DeclKind::Embed(Expr {
            kind: ExprKind::Comprehension(c),
            ..
        }) => match &c.body.kind {
            ExprKind::Struct(s) => &s.decls,
            _ => panic!("comprehension body is not a struct"),
        },
        _ => panic!("no nested declarations"),
    }
}

fn texts(d: &Decl) -> Vec<(&str, CommentPlacement)> {
    d.comments
        .iter()
        .map(|c| (c.text.as_str(), c.placement))
        .collect()
}

use CommentPlacement::{Before, Trailing};

#[test]
fn doc_comments_at_every_level() {
    let src = "\
// top doc
patch: {
	spec: {
		// +patchKey=name
		containers: [{
			// +patchKey=containerPort
			ports: []
		}]
	}
}
";
    let f = parse_file("t.cue", src).unwrap();
    let patch = field(&f.decls, "patch");
    assert_eq!(texts(patch), vec![("// top doc", Before)]);
    let spec = field(inner(patch), "spec");
    assert!(spec.comments.is_empty());
    let containers = field(inner(spec), "containers");
    assert_eq!(texts(containers), vec![("// +patchKey=name", Before)]);
    let ports = field(inner(containers), "ports");
    assert_eq!(texts(ports), vec![("// +patchKey=containerPort", Before)]);
    assert!(f.comments.is_empty());
}

#[test]
fn shorthand_chain_comments_go_to_the_innermost_field() {
    let src = "// +patchStrategy=retainKeys\nspec: template: spec: volumes: [] // tail\n";
    let f = parse_file("t.cue", src).unwrap();
    let spec = field(&f.decls, "spec");
    assert!(spec.comments.is_empty());
    let template = field(inner(spec), "template");
    let spec2 = field(inner(template), "spec");
    let volumes = field(inner(spec2), "volumes");
    assert_eq!(
        texts(volumes),
        vec![
            ("// +patchStrategy=retainKeys", Before),
            ("// tail", Trailing)
        ]
    );
}

#[test]
fn groups_blank_lines_and_trailing() {
    let src = "\
// floating

// one
// two
a: 1 // after a
b: {
	c: 1
} // after b
// end
";
    let f = parse_file("t.cue", src).unwrap();
    assert_eq!(
        texts(field(&f.decls, "a")),
        vec![
            ("// one", Before),
            ("// two", Before),
            ("// after a", Trailing)
        ]
    );
    assert_eq!(texts(field(&f.decls, "b")), vec![("// after b", Trailing)]);
    let free: Vec<&str> = f.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(free, vec!["// floating", "// end"]);
}

#[test]
fn comments_in_comprehension_bodies() {
    let src = "for k, v in x {\n\t// doc\n\t(k): v\n}\n";
    let f = parse_file("t.cue", src).unwrap();
    let body = inner(&f.decls[0]);
    assert_eq!(texts(&body[0]), vec![("// doc", Before)]);
}
