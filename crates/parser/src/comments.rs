//! Attaches the comments the lexer collected to the declarations they document.
//!
//! A group of comment lines ending on the line directly above a declaration documents it
//! (`Before`); a comment after a declaration on the line where it ends is `Trailing`. For a
//! shorthand chain `a: b: c: x` both go to the innermost field (`c`), where KubeVela looks for
//! `// +patchKey=…` tags. Anything else stays in `File::comments`.
//!
//! Each comment finds its declaration by descending from the file along the one path of
//! nodes whose spans contain it, with binary search in declaration lists (which are in source
//! order), so the cost does not grow with the size of the rest of the tree.

use crate::ast::*;
use crate::walk;
use ferrocue_lexer::RawComment;

pub(crate) fn attach(file: &mut File, src: &str, raw: &[RawComment]) {
    // Lines are found by short scans around each comment (to the ends of its own line and
    // the next), never by indexing every line of the file: comments are few, files large.
    // Comments come in source order, so the file-level declaration each one reaches never
    // moves back: searching from the last one found is a step or two, not a binary search
    // over the whole (large, cache-cold) declaration list.
    let mut hint = 0;
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        if !c.own_line {
            let placed = comment(src, c, CommentPlacement::Trailing);
            if place_trailing(
                &mut file.decls,
                &mut hint,
                c.start,
                line_start(src, c.start),
                placed,
            )
            .is_ok()
            {
                i += 1;
                continue;
            }
        }
        // A group: this comment and the own-line comments on the following lines.
        let mut j = i + 1;
        while j < raw.len()
            && raw[j].own_line
            && line_start(src, raw[j].start) == next_line(src, raw[j - 1].end)
        {
            j += 1;
        }
        // The line after the group: where the declaration it documents must start.
        let from = next_line(src, raw[j - 1].end);
        let group: Vec<Comment> = raw[i..j]
            .iter()
            .map(|c| comment(src, *c, CommentPlacement::Before))
            .collect();
        if from < src.len() {
            let to = next_line(src, from);
            if let Err(group) = place_before(&mut file.decls, &mut hint, from, to, group) {
                file.comments.extend(group);
            }
        } else {
            file.comments.extend(group);
        }
        i = j;
    }
}

/// Where the line holding offset `p` starts.
fn line_start(src: &str, p: usize) -> usize {
    let p = p.min(src.len());
    src.as_bytes()[..p]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
}

/// Where the line after the one holding offset `p` starts (the end of `src` if none).
fn next_line(src: &str, p: usize) -> usize {
    let p = p.min(src.len());
    src.as_bytes()[p..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(src.len(), |i| p + i + 1)
}

/// Attaches a `Trailing` comment at offset `p` to the declaration that ended last before it
/// on its line (`line_start` is where that line starts).
fn place_trailing(
    decls: &mut [Decl],
    hint: &mut usize,
    p: usize,
    line_start: usize,
    c: Comment,
) -> Result<(), Comment> {
    let i = ending_by(decls, hint, p);
    if let Some(d) = decls.get_mut(i).filter(|d| (d.span.start as usize) < p) {
        // The comment is inside this declaration: look in the structs around it.
        let mut pending = Some(c);
        walk::lists_in_decl(d, p, &mut |list| match pending.take() {
            Some(c) => match place_trailing(list, &mut 0, p, line_start, c) {
                Ok(()) => true,
                Err(c) => {
                    pending = Some(c);
                    false
                }
            },
            None => true,
        });
        return match pending {
            None => Ok(()),
            Some(c) => Err(c),
        };
    }
    match i.checked_sub(1).and_then(|k| decls.get_mut(k)) {
        Some(d) if (d.span.end as usize) > line_start => {
            push_innermost(d, vec![c]);
            Ok(())
        }
        _ => Err(c),
    }
}

/// Attaches a group of `Before` comments to the outermost declaration starting on the line
/// `[from, to)`.
fn place_before(
    decls: &mut [Decl],
    hint: &mut usize,
    from: usize,
    to: usize,
    group: Vec<Comment>,
) -> Result<(), Vec<Comment>> {
    let i = ending_by(decls, hint, from);
    let Some(d) = decls.get_mut(i) else {
        return Err(group);
    };
    let start = d.span.start as usize;
    if start >= from {
        if start < to {
            push_innermost(d, group);
            return Ok(());
        }
        return Err(group);
    }
    let mut pending = Some(group);
    walk::lists_in_decl(d, from, &mut |list| match pending.take() {
        Some(g) => match place_before(list, &mut 0, from, to, g) {
            Ok(()) => true,
            Err(g) => {
                pending = Some(g);
                false
            }
        },
        None => true,
    });
    match pending {
        None => Ok(()),
        Some(g) => Err(g),
    }
}

/// How many of `decls` (in source order) end by offset `p`. `hint` is a count found for an
/// earlier, smaller offset (used only when it is still a lower bound) and is updated.
fn ending_by(decls: &[Decl], hint: &mut usize, p: usize) -> usize {
    let ends_by = |d: &Decl| (d.span.end as usize) <= p;
    let mut i = match hint.checked_sub(1) {
        Some(k) if decls.get(k).is_some_and(ends_by) => *hint,
        _ => 0,
    };
    // A few steps forward, then a binary search over what is left.
    let mut steps = 0;
    while steps < 4 && decls.get(i).is_some_and(ends_by) {
        i += 1;
        steps += 1;
    }
    if steps == 4 {
        i += decls
            .get(i..)
            .map_or(0, |rest| rest.partition_point(ends_by));
    }
    *hint = i;
    i
}

/// Adds comments to `d`, or for a shorthand chain `a: b: c: x` to its innermost field.
/// (Recursion is bounded by the parser's depth limit.)
fn push_innermost(d: &mut Decl, cs: Vec<Comment>) {
    if let DeclKind::Field(Field {
        shorthand: true,
        value: Expr {
            kind: ExprKind::Struct(s),
            ..
        },
        ..
    }) = &mut d.kind
    {
        if let [inner] = s.decls.as_mut_slice() {
            return push_innermost(inner, cs);
        }
    }
    d.comments.append(cs);
}

fn comment(src: &str, c: RawComment, placement: CommentPlacement) -> Comment {
    let text = src[c.start..c.end].trim_end_matches('\r').to_string();
    Comment {
        text,
        span: Span::new(c.start, c.end),
        placement,
    }
}
