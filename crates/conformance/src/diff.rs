//! A short, readable picture of where an output first departs from the expected one.
//!
//! Not a full diff: failures are listed by the hundred, so each gets a few lines around the
//! first differing line, which is what one needs to recognise the bug.

/// Lines of common context shown before the first difference.
const BEFORE: usize = 2;
/// Lines of each side shown from the first difference on.
const AFTER: usize = 4;

/// Expected (`-`) and actual (`+`) lines around the first differing line.
pub fn snippet(expected: &[u8], actual: &[u8]) -> String {
    let want = String::from_utf8_lossy(expected);
    let got = String::from_utf8_lossy(actual);
    let want: Vec<&str> = want.split_inclusive('\n').collect();
    let got: Vec<&str> = got.split_inclusive('\n').collect();
    let first = want
        .iter()
        .zip(&got)
        .position(|(a, b)| a != b)
        .unwrap_or(want.len().min(got.len()));
    let mut out = format!(
        "first difference at line {} (expected {} lines, got {}):\n",
        first + 1,
        want.len(),
        got.len()
    );
    for line in &want[first.saturating_sub(BEFORE)..first] {
        push_line(&mut out, ' ', line);
    }
    for line in want.iter().skip(first).take(AFTER) {
        push_line(&mut out, '-', line);
    }
    for line in got.iter().skip(first).take(AFTER) {
        push_line(&mut out, '+', line);
    }
    out.truncate(out.trim_end().len());
    out
}

fn push_line(out: &mut String, mark: char, line: &str) {
    out.push(mark);
    out.push(' ');
    match line.strip_suffix('\n') {
        Some(body) => {
            out.push_str(body);
            out.push('\n');
        }
        None => {
            out.push_str(line);
            out.push_str(" (no newline at end)\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_context_and_both_sides() {
        let s = snippet(b"a\nb\nc\nd\n", b"a\nb\nX\nd\n");
        assert_eq!(
            s,
            "first difference at line 3 (expected 4 lines, got 4):\n  a\n  b\n- c\n- d\n+ X\n+ d"
        );
    }

    #[test]
    fn missing_lines_and_newline() {
        let s = snippet(b"a\nb\n", b"a\n");
        assert!(
            s.starts_with("first difference at line 2 (expected 2 lines, got 1)"),
            "{s}"
        );
        assert!(s.contains("- b"), "{s}");
        let s = snippet(b"a\n", b"a");
        assert!(s.contains("+ a (no newline at end)"), "{s}");
    }
}
