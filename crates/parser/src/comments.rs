//! Attaches the comments the lexer collected to the declarations they document.
//!
//! A group of comment lines ending on the line directly above a declaration documents it
//! (`Before`); a comment after a declaration on the line where it ends is `Trailing`. For a
//! shorthand chain `a: b: c: x` both go to the innermost field (`c`), where KubeVela looks for
//! `// +patchKey=…` tags. Anything else stays in `File::comments`.

use crate::ast::*;
use crate::walk;
use ferrocue_lexer::RawComment;
use std::collections::HashMap;

struct Info {
    start: usize,
    end: usize,
    /// For a shorthand field, the index of the innermost field of its chain.
    innermost: usize,
}

pub(crate) fn attach(file: &mut File, src: &str, raw: &[RawComment]) {
    if raw.is_empty() {
        return;
    }
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(
            src.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    let line = |off: usize| line_starts.partition_point(|&s| s <= off);

    // Pass 1: every declaration in pre-order.
    let mut infos: Vec<Info> = Vec::new();
    walk::decls_mut(file, &mut |d| {
        infos.push(Info {
            start: d.span.start as usize,
            end: d.span.end as usize,
            innermost: 0,
        });
    });
    // Shorthand chains: an inner field is the next declaration in pre-order and shares the
    // outer field's end; resolve each chain to its innermost field (walk back to front).
    let mut is_shorthand = Vec::with_capacity(infos.len());
    walk::decls_mut(file, &mut |d| {
        is_shorthand.push(matches!(&d.kind, DeclKind::Field(f) if f.shorthand));
    });
    for i in (0..infos.len()).rev() {
        infos[i].innermost = if is_shorthand[i] && i + 1 < infos.len() {
            infos[i + 1].innermost
        } else {
            i
        };
    }
    let mut by_start_line: HashMap<usize, usize> = HashMap::new();
    let mut by_end_line: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, d) in infos.iter().enumerate() {
        by_start_line.entry(line(d.start)).or_insert(i);
        by_end_line
            .entry(line(d.end.saturating_sub(1).max(d.start)))
            .or_default()
            .push(i);
    }

    let mut assigned: Vec<Vec<Comment>> = (0..infos.len()).map(|_| Vec::new()).collect();
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        let c_line = line(c.start);
        if !c.own_line {
            let target = by_end_line.get(&c_line).and_then(|v| {
                v.iter()
                    .copied()
                    .filter(|&d| infos[d].end <= c.start)
                    .max_by_key(|&d| (infos[d].end, std::cmp::Reverse(infos[d].start)))
            });
            if let Some(d) = target {
                assigned[infos[d].innermost].push(comment(src, c, CommentPlacement::Trailing));
                i += 1;
                continue;
            }
        }
        // A group: this comment and the own-line comments on the following lines.
        let mut j = i + 1;
        let mut last_line = c_line;
        while j < raw.len() && raw[j].own_line && line(raw[j].start) == last_line + 1 {
            last_line += 1;
            j += 1;
        }
        let target = by_start_line
            .get(&(last_line + 1))
            .copied()
            .filter(|&d| infos[d].start > raw[j - 1].start);
        for c in &raw[i..j] {
            let placed = comment(src, *c, CommentPlacement::Before);
            match target {
                Some(d) => assigned[infos[d].innermost].push(placed),
                None => file.comments.push(placed),
            }
        }
        i = j;
    }

    let mut k = 0;
    walk::decls_mut(file, &mut |d| {
        if let Some(v) = assigned.get_mut(k) {
            d.comments.append(v);
        }
        k += 1;
    });
}

fn comment(src: &str, c: RawComment, placement: CommentPlacement) -> Comment {
    let text = src[c.start..c.end].trim_end_matches('\r').to_string();
    Comment {
        text,
        span: Span::new(c.start, c.end),
        placement,
    }
}
