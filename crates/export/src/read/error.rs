//! The error a data-file reader returns: where in which file, and what went wrong.

use miette::{Diagnostic, LabeledSpan};

/// A data file (JSON or YAML) that cannot be read as a value.
///
/// `Display` is one line, `file:line:col: message`, with 1-based line and column (the column
/// counts bytes, as cue's positions do). The byte offset labels the spot when the caller
/// renders the diagnostic with the source attached (`miette::Report::with_source_code`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The file name as given to the reader.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in bytes.
    pub column: usize,
    /// Byte offset of the position in the source.
    pub offset: usize,
    /// What went wrong, without the position.
    pub message: String,
}

impl ReadError {
    /// An error at byte `offset` of `src`, with line and column computed from the text.
    pub(crate) fn at(path: &str, src: &str, offset: usize, message: impl Into<String>) -> Self {
        let offset = offset.min(src.len());
        let before = &src.as_bytes()[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        ReadError {
            path: path.to_owned(),
            line,
            column: offset - line_start + 1,
            offset,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ReadError {}

impl Diagnostic for ReadError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("ferrocue::read"))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::at_offset(
            self.offset,
            "here",
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_one_line_with_position() {
        let e = ReadError::at("x.json", "{\n  \"a\": x\n}", 9, "invalid character");
        assert_eq!(e.to_string(), "x.json:2:8: invalid character");
        assert_eq!((e.line, e.column, e.offset), (2, 8, 9));
    }
}
