//! A reader for the txtar archive format (Go's `golang.org/x/tools/txtar`) used by the corpus.
//!
//! An archive is a free-form comment followed by files, each introduced by a marker line
//! `-- NAME --`. A file's data is every byte up to the next marker line (or the end).

/// One file of an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// The name between the markers, with surrounding spaces trimmed.
    pub name: String,
    /// The file's bytes, including its final newline.
    pub data: Vec<u8>,
}

/// A parsed archive.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Archive {
    /// Everything before the first marker line.
    pub comment: Vec<u8>,
    /// The files, in archive order.
    pub files: Vec<File>,
}

impl Archive {
    /// The data of the first file called `name`.
    pub fn file(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.data.as_slice())
    }

    /// The value of the first `# key: value` line of the comment.
    pub fn header(&self, key: &str) -> Option<String> {
        let text = String::from_utf8_lossy(&self.comment);
        text.lines().find_map(|line| {
            let rest = line.strip_prefix("# ")?;
            let (k, v) = rest.split_once(':')?;
            (k == key).then(|| v.trim().to_owned())
        })
    }
}

/// The file name of a marker line (without its line ending), or `None` if it is not one.
fn marker_name(line: &[u8]) -> Option<String> {
    let inner = line.strip_prefix(b"-- ")?.strip_suffix(b" --")?;
    let name = std::str::from_utf8(inner).ok()?.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// Splits `input` into its comment and files. Every byte sequence is a valid archive.
pub fn parse(input: &[u8]) -> Archive {
    let mut archive = Archive::default();
    let mut current: Option<File> = None;
    let mut rest = input;
    while !rest.is_empty() {
        let line_len = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| i + 1);
        let (line, tail) = rest.split_at(line_len);
        rest = tail;
        let bare = line.strip_suffix(b"\n").unwrap_or(line);
        if let Some(name) = marker_name(bare) {
            if let Some(done) = current.take() {
                archive.files.push(done);
            }
            current = Some(File {
                name,
                data: Vec::new(),
            });
            continue;
        }
        match current.as_mut() {
            Some(file) => file.data.extend_from_slice(line),
            None => archive.comment.extend_from_slice(line),
        }
    }
    if let Some(done) = current {
        archive.files.push(done);
    }
    archive
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_comment_and_files() {
        let a = parse(
            b"# expect: json\n# args: cue export\n-- in.cue --\na: 1\n\n-- out.json --\n{}\n",
        );
        assert_eq!(a.comment, b"# expect: json\n# args: cue export\n");
        assert_eq!(a.files.len(), 2);
        assert_eq!(a.files[0].name, "in.cue");
        assert_eq!(a.files[0].data, b"a: 1\n\n");
        assert_eq!(a.file("out.json"), Some(&b"{}\n"[..]));
        assert_eq!(a.header("expect").as_deref(), Some("json"));
        assert_eq!(a.header("args").as_deref(), Some("cue export"));
        assert_eq!(a.header("missing"), None);
    }

    #[test]
    fn last_file_without_newline_and_empty_files() {
        let a = parse(b"-- a --\n-- b/c.cue --\nx: 2");
        assert!(a.comment.is_empty());
        assert_eq!(a.files[0].name, "a");
        assert!(a.files[0].data.is_empty());
        assert_eq!(a.files[1].name, "b/c.cue");
        assert_eq!(a.files[1].data, b"x: 2");
    }

    #[test]
    fn near_markers_are_content() {
        let a = parse(b"-- f --\n--  --\n-- g\n- h --\n--x --\n");
        assert_eq!(a.files.len(), 1);
        assert_eq!(a.files[0].data, b"--  --\n-- g\n- h --\n--x --\n");
    }

    #[test]
    fn marker_names_are_trimmed() {
        let a = parse(b"--   spaced.cue   --\nv\n");
        assert_eq!(a.files[0].name, "spaced.cue");
    }

    #[test]
    fn header_takes_first_occurrence() {
        let a = parse(b"# expect: json\n# expect: error\n");
        assert_eq!(a.header("expect").as_deref(), Some("json"));
    }
}
