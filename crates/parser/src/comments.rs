//! Attaches the comments the lexer collected to the declarations they document.
//!
//! A group of comment lines ending on the line directly above a declaration documents it
//! (`Before`); a comment after a declaration on the line where it ends is `Trailing`. For a
//! shorthand chain `a: b: c: x` both go to the innermost field (`c`), where KubeVela looks for
//! `// +patchKey=…` tags. Anything else stays in `File::comments`.
//!
//! Cost: one walk to list the declarations (in pre-order, which is source order), then a
//! binary search per comment, and one more walk only to hand out the comments found a home.

use crate::ast::*;
use crate::walk;
use ferrocue_lexer::RawComment;

struct Info {
    start: usize,
    end: usize,
    /// The enclosing declaration, if any.
    parent: Option<usize>,
    /// For a shorthand field, the index of the innermost field of its chain (else itself).
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
    // 0-based line of an offset, and the offset where a line starts.
    let line = |off: usize| line_starts.partition_point(|&s| s <= off) - 1;
    let line_start = |l: usize| line_starts.get(l).copied().unwrap_or(src.len());

    let mut infos: Vec<Info> = Vec::new();
    let mut shorthand: Vec<bool> = Vec::new();
    walk::decls_mut(file, &mut |d| {
        let (start, end) = (d.span.start as usize, d.span.end as usize);
        infos.push(Info {
            start,
            end,
            parent: None,
            innermost: infos.len(),
        });
        shorthand.push(matches!(&d.kind, DeclKind::Field(f) if f.shorthand));
    });
    // Parents from the nesting of the spans (pre-order is sorted by start).
    let mut stack: Vec<usize> = Vec::new();
    for i in 0..infos.len() {
        // Spans nest (a shorthand field shares its end with its inner field) or are disjoint.
        let outside = |p: usize| infos[p].end <= infos[i].start || infos[p].end < infos[i].end;
        while stack.last().is_some_and(|&p| outside(p)) {
            stack.pop();
        }
        infos[i].parent = stack.last().copied();
        stack.push(i);
    }
    // A shorthand field's only child declaration is the next one in pre-order whose parent it is.
    for i in (0..infos.len()).rev() {
        if shorthand[i] {
            if let Some(c) = (i + 1..infos.len()).find(|&c| infos[c].parent == Some(i)) {
                infos[i].innermost = infos[c].innermost;
            }
        }
    }

    let mut assigned: Vec<(usize, Comment)> = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        let c_line = line(c.start);
        if !c.own_line {
            // The declaration ending last before the comment: the last one starting before it,
            // or the outermost of its ancestors that also ended before it.
            let k = infos.partition_point(|d| d.start < c.start);
            if k > 0 {
                let mut best = None;
                let mut d = Some(k - 1);
                while let Some(j) = d {
                    if infos[j].end <= c.start {
                        best = Some(j);
                    }
                    d = infos[j].parent;
                }
                if let Some(j) = best.filter(|&j| infos[j].end > line_start(c_line)) {
                    let placed = comment(src, c, CommentPlacement::Trailing);
                    assigned.push((infos[j].innermost, placed));
                    i += 1;
                    continue;
                }
            }
        }
        // A group: this comment and the own-line comments on the following lines.
        let mut j = i + 1;
        let mut last_line = c_line;
        while j < raw.len() && raw[j].own_line && line(raw[j].start) == last_line + 1 {
            last_line += 1;
            j += 1;
        }
        let next_line = line_start(last_line + 1);
        let k = infos.partition_point(|d| d.start < next_line);
        let target = (k < infos.len()
            && infos[k].start < line_start(last_line + 2)
            && last_line + 1 < line_starts.len())
        .then_some(k);
        for c in &raw[i..j] {
            let placed = comment(src, *c, CommentPlacement::Before);
            match target {
                Some(d) => assigned.push((infos[d].innermost, placed)),
                None => file.comments.push(placed),
            }
        }
        i = j;
    }
    if assigned.is_empty() {
        return;
    }
    assigned.sort_by_key(|(d, _)| *d);
    let mut next = assigned.into_iter().peekable();
    let mut k = 0;
    walk::decls_mut(file, &mut |d| {
        while let Some((_, c)) = next.next_if(|(i, _)| *i == k) {
            d.comments.push(c);
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
