//! Round trip over every JSON output in the conformance corpus: reading cue's output back into
//! a `Data` tree (numbers kept as their text) and printing it again must give cue's bytes.
//! This pins the layout and the string escaping to what cue v0.17.1 really prints.

use std::path::{Path, PathBuf};

use ferrocue_export::data::{BigInt, Map};
use ferrocue_export::{to_json, Data};

/// A strict reader for the JSON cue prints; enough for a test oracle, not a general parser.
struct Reader<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn skip_ws(&mut self) {
        while self
            .text
            .get(self.pos)
            .is_some_and(|b| b" \n\r\t".contains(b))
        {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Result<(), String> {
        self.skip_ws();
        if self.text.get(self.pos) == Some(&byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("expected {:?} at byte {}", byte as char, self.pos))
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.text.get(self.pos).copied()
    }

    fn value(&mut self) -> Result<Data, String> {
        match self.peek().ok_or("unexpected end")? {
            b'{' => {
                self.eat(b'{')?;
                let mut map = Map::new();
                if self.peek() == Some(b'}') {
                    self.eat(b'}')?;
                    return Ok(Data::Map(map));
                }
                loop {
                    let key = self.string()?;
                    self.eat(b':')?;
                    let value = self.value()?;
                    if map.insert(key.clone(), value).is_some() {
                        return Err(format!("duplicate key {key:?}"));
                    }
                    if self.peek() == Some(b',') {
                        self.eat(b',')?;
                    } else {
                        self.eat(b'}')?;
                        return Ok(Data::Map(map));
                    }
                }
            }
            b'[' => {
                self.eat(b'[')?;
                let mut items = Vec::new();
                if self.peek() == Some(b']') {
                    self.eat(b']')?;
                    return Ok(Data::List(items));
                }
                loop {
                    items.push(self.value()?);
                    if self.peek() == Some(b',') {
                        self.eat(b',')?;
                    } else {
                        self.eat(b']')?;
                        return Ok(Data::List(items));
                    }
                }
            }
            b'"' => Ok(Data::String(self.string()?)),
            _ => self.word(),
        }
    }

    fn word(&mut self) -> Result<Data, String> {
        let start = self.pos;
        while self
            .text
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_alphanumeric() || b"+-.".contains(b))
        {
            self.pos += 1;
        }
        let word = std::str::from_utf8(&self.text[start..self.pos]).map_err(|e| e.to_string())?;
        Ok(match word {
            "null" => Data::Null,
            "true" => Data::Bool(true),
            "false" => Data::Bool(false),
            _ if word.bytes().all(|b| b.is_ascii_digit() || b == b'-') => {
                Data::Int(word.parse::<BigInt>().map_err(|e| format!("{word}: {e}"))?)
            }
            _ if !word.is_empty() => Data::Float(word.to_owned()),
            _ => return Err(format!("unexpected byte at {start}")),
        })
    }

    fn string(&mut self) -> Result<String, String> {
        self.eat(b'"')?;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let b = *self.text.get(self.pos).ok_or("unterminated string")?;
            self.pos += 1;
            match b {
                b'"' => return String::from_utf8(out).map_err(|e| e.to_string()),
                b'\\' => {
                    let e = *self.text.get(self.pos).ok_or("bad escape")?;
                    self.pos += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hex = self.text.get(self.pos..self.pos + 4).ok_or("short \\u")?;
                            self.pos += 4;
                            let code = u32::from_str_radix(
                                std::str::from_utf8(hex).map_err(|e| e.to_string())?,
                                16,
                            )
                            .map_err(|e| e.to_string())?;
                            // cue never needs surrogate pairs for the characters it escapes.
                            char::from_u32(code).ok_or("surrogate escape")?
                        }
                        _ => return Err(format!("bad escape \\{}", e as char)),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                _ => out.push(b),
            }
        }
    }
}

fn read_json(text: &[u8]) -> Result<Data, String> {
    let mut r = Reader { text, pos: 0 };
    let v = r.value()?;
    r.skip_ws();
    if r.pos != text.len() {
        return Err(format!("trailing bytes at {}", r.pos));
    }
    Ok(v)
}

/// The data of every `out.json` and `field/*.json` section of an export case.
fn json_sections(file: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut sections = Vec::new();
    let mut current: Option<(String, Vec<u8>)> = None;
    for line in file.split_inclusive(|&b| b == b'\n') {
        let bare = line.strip_suffix(b"\n").unwrap_or(line);
        if let Some(name) = bare
            .strip_prefix(b"-- ")
            .and_then(|l| l.strip_suffix(b" --"))
        {
            sections.extend(current.take());
            current = Some((String::from_utf8_lossy(name).trim().to_owned(), Vec::new()));
        } else if let Some((_, data)) = current.as_mut() {
            data.extend_from_slice(line);
        }
    }
    sections.extend(current);
    sections
        .into_iter()
        .filter(|(name, _)| {
            name == "out.json" || (name.starts_with("field/") && name.ends_with(".json"))
        })
        .collect()
}

fn txtar_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            txtar_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "txtar") {
            out.push(path);
        }
    }
}

#[test]
fn reprints_every_corpus_json_output() {
    let whole = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/whole");
    if !whole.is_dir() {
        eprintln!("SKIP: no conformance corpus at {}", whole.display());
        return;
    }
    let mut files = Vec::new();
    txtar_files(&whole, &mut files);
    // Our own golden cases (testdata/export) must agree with the printer as well.
    txtar_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/export"),
        &mut files,
    );
    let mut checked = 0;
    let mut failures = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).expect("corpus file readable");
        // Script cases run with other flags (e.g. --escape); only plain exports are pinned here.
        let text = String::from_utf8_lossy(&bytes);
        if text.contains("\n# argv:")
            && !text.contains("# argv: [\"export\", \"--out\", \"json\", \"")
        {
            continue;
        }
        if text.contains("\"--escape\"") {
            continue;
        }
        for (name, data) in json_sections(&bytes) {
            checked += 1;
            match read_json(&data) {
                Ok(value) => {
                    let printed = to_json(&value);
                    if printed.as_bytes() != data.as_slice() {
                        failures.push(format!("{} {name}: reprint differs", path.display()));
                    }
                }
                Err(e) => failures.push(format!("{} {name}: unreadable: {e}", path.display())),
            }
        }
    }
    eprintln!("reprinted {checked} JSON outputs of the corpus");
    assert!(checked > 2000, "only {checked} JSON outputs found");
    assert!(
        failures.is_empty(),
        "{} of {checked} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn reader_and_printer_agree_on_escapes() {
    let text = b"{\n    \"a\\u0000b\": \"\\u003c\\n\\u2028\"\n}\n";
    let value = read_json(text).expect("valid JSON");
    assert_eq!(value, Data::map([("a\u{0}b", Data::string("<\n\u{2028}"))]));
    // Re-printed without HTML escaping, as cue export does by default.
    assert_eq!(
        to_json(&value),
        "{\n    \"a\\u0000b\": \"<\\n\\u2028\"\n}\n"
    );
}
