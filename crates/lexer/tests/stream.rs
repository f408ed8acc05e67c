//! The streaming token iterator must yield exactly what `tokenize` produces, across its
//! internal buffer refills (contextual keywords look at the previous token).

use ferrocue_lexer::{tokenize, Tokens};

#[test]
fn stream_matches_tokenize() {
    let mut src = String::from("package p\n\nimport \"strings\"\n\n");
    for i in 0..400 {
        src.push_str(&format!(
            "f{i}: {{if x {{a: 1}} else {{b: \"s\\(i)\"}}}}\nm{i}: \"\"\"\n\t\tv: \\(x)\n\t\t\"\"\"\n// c{i}\n"
        ));
    }
    let all = tokenize(&src);
    assert!(all.errors.is_empty(), "{:?}", all.errors);
    let mut stream = Tokens::new(&src);
    let streamed: Vec<_> = stream.by_ref().collect();
    let (comments, errors) = stream.finish();
    assert_eq!(streamed, all.tokens);
    assert_eq!(comments, all.comments);
    assert!(errors.is_empty());
    assert!(streamed.len() > 1000);
}

#[test]
fn finish_reports_errors_after_an_early_stop() {
    let src = "a: 1\nb: \"\\q\"\nc: 1__0\n";
    let mut stream = Tokens::new(src);
    let _ = stream.next();
    let (_, errors) = stream.finish();
    assert_eq!(errors.len(), 2);
}
