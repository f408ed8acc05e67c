//! The `path` package: Go's `path/filepath` rules for the `unix`, `windows` and `plan9`
//! conventions, selected by the trailing OS argument (default `unix`).

use super::{
    arg_str, arg_str_list, Builtin, BuiltinError, BuiltinResult, Func, Kind, ParamDefault, Val,
    LIST, STR,
};

/// The OS names cue accepts; all but `windows` and `plan9` follow unix rules.
const ALL_OS: &[&str] = &[
    "unix",
    "windows",
    "plan9",
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "solaris",
    "zos",
];

const WINDOWS_FIRST: &[&str] = &[
    "windows",
    "unix",
    "plan9",
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "solaris",
    "zos",
];

const UNIX_DEFAULT: ParamDefault = ParamDefault {
    default: Some("unix"),
    allowed: ALL_OS,
};
const OS_REQUIRED: ParamDefault = ParamDefault {
    default: None,
    allowed: ALL_OS,
};
const WINDOWS_DEFAULT: ParamDefault = ParamDefault {
    default: Some("windows"),
    allowed: WINDOWS_FIRST,
};

const fn f(
    name: &'static str,
    params: &'static [Kind],
    result: Kind,
    os: ParamDefault,
    func: fn(&[Val]) -> BuiltinResult,
) -> Builtin {
    Builtin {
        pkg: "path",
        name,
        params,
        result,
        non_concrete: false,
        last_default: Some(os),
        func: Func::Pure(func),
    }
}

const B: Kind = Kind::BOOL;

pub(super) const BUILTINS: &[Builtin] = &[
    f("Split", &[STR, STR], LIST, UNIX_DEFAULT, |a| {
        let (p, os) = (arg_str(a, 0)?, os_arg(a, 1)?);
        let vol = os.volume_len(p.as_bytes());
        let b = p.as_bytes();
        let mut i = b.len();
        while i > vol && !os.is_sep(b[i - 1]) {
            i -= 1;
        }
        Ok(Val::List(vec![Val::str(&p[..i]), Val::str(&p[i..])]))
    }),
    f("SplitList", &[STR, STR], LIST, OS_REQUIRED, |a| {
        let (p, os) = (arg_str(a, 0)?, os_arg(a, 1)?);
        Ok(Val::List(
            os.split_list(p).into_iter().map(Val::str).collect(),
        ))
    }),
    f("Join", &[LIST, STR], STR, UNIX_DEFAULT, |a| {
        let (elems, os) = (arg_str_list(a, 0)?, os_arg(a, 1)?);
        Ok(Val::str(os.join(&elems)))
    }),
    f("Match", &[STR, STR, STR], B, UNIX_DEFAULT, |a| {
        let (pat, name, os) = (arg_str(a, 0)?, arg_str(a, 1)?, os_arg(a, 2)?);
        path_match(pat, name, os)
            .map(Val::Bool)
            .map_err(BuiltinError::Call)
    }),
    f("Clean", &[STR, STR], STR, UNIX_DEFAULT, |a| {
        Ok(Val::str(os_arg(a, 1)?.clean(arg_str(a, 0)?)))
    }),
    f("ToSlash", &[STR, STR], STR, OS_REQUIRED, |a| {
        let (p, os) = (arg_str(a, 0)?, os_arg(a, 1)?);
        Ok(Val::str(if os == Os::Windows {
            p.replace('\\', "/")
        } else {
            p.to_string()
        }))
    }),
    f("FromSlash", &[STR, STR], STR, OS_REQUIRED, |a| {
        let (p, os) = (arg_str(a, 0)?, os_arg(a, 1)?);
        Ok(Val::str(os.slash_to_native(p)))
    }),
    f("Ext", &[STR, STR], STR, UNIX_DEFAULT, |a| {
        let (p, os) = (arg_str(a, 0)?, os_arg(a, 1)?);
        let b = p.as_bytes();
        for i in (0..b.len()).rev() {
            if os.is_sep(b[i]) {
                break;
            }
            if b[i] == b'.' {
                return Ok(Val::str(&p[i..]));
            }
        }
        Ok(Val::str(""))
    }),
    f("Resolve", &[STR, STR, STR], STR, UNIX_DEFAULT, |a| {
        let (dir, sub, os) = (arg_str(a, 0)?, arg_str(a, 1)?, os_arg(a, 2)?);
        if os.is_abs(sub) {
            return Ok(Val::str(os.clean(sub)));
        }
        let dir = os.clean(dir);
        Ok(Val::str(os.join(&[dir.as_str(), sub])))
    }),
    f("Rel", &[STR, STR, STR], STR, UNIX_DEFAULT, |a| {
        let (base, targ, os) = (arg_str(a, 0)?, arg_str(a, 1)?, os_arg(a, 2)?);
        rel(base, targ, os)
            .map(Val::str)
            .map_err(BuiltinError::Call)
    }),
    f("Base", &[STR, STR], STR, UNIX_DEFAULT, |a| {
        let (p, os) = (arg_str(a, 0)?, os_arg(a, 1)?);
        Ok(Val::str(base(p, os)))
    }),
    f("Dir", &[STR, STR], STR, UNIX_DEFAULT, |a| {
        let (p, os) = (arg_str(a, 0)?, os_arg(a, 1)?);
        let b = p.as_bytes();
        let vol = os.volume_len(b);
        let mut i = b.len();
        while i > vol && !os.is_sep(b[i - 1]) {
            i -= 1;
        }
        let dir = os.clean(&p[vol..i]);
        if dir == "." && vol > 2 {
            return Ok(Val::str(&p[..vol]));
        }
        Ok(Val::str(format!("{}{dir}", &p[..vol])))
    }),
    f("IsAbs", &[STR, STR], B, UNIX_DEFAULT, |a| {
        Ok(Val::Bool(os_arg(a, 1)?.is_abs(arg_str(a, 0)?)))
    }),
    f("VolumeName", &[STR, STR], STR, WINDOWS_DEFAULT, |a| {
        let (p, os) = (arg_str(a, 0)?, os_arg(a, 1)?);
        Ok(Val::str(&p[..os.volume_len(p.as_bytes())]))
    }),
];

/// Extra declarations of the package, written in CUE.
pub(super) const CUE_SOURCE: &str = r#"{
	Unix:    "unix"
	Windows: "windows"
	Plan9:   "plan9"
}"#;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Os {
    Unix,
    Windows,
    Plan9,
}

fn os_arg(a: &[Val], i: usize) -> Result<Os, BuiltinError> {
    Ok(match arg_str(a, i)? {
        "windows" => Os::Windows,
        "plan9" => Os::Plan9,
        _ => Os::Unix,
    })
}

impl Os {
    fn sep(self) -> u8 {
        if self == Os::Windows {
            b'\\'
        } else {
            b'/'
        }
    }

    fn is_sep(self, b: u8) -> bool {
        b == b'/' || (self == Os::Windows && b == b'\\')
    }

    fn is_abs(self, p: &str) -> bool {
        match self {
            Os::Unix => p.starts_with('/'),
            Os::Plan9 => p.starts_with('/') || p.starts_with('#'),
            Os::Windows => {
                const RESERVED: &[&str] = &[
                    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6",
                    "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7",
                    "LPT8", "LPT9",
                ];
                if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(p)) {
                    return true;
                }
                let l = self.volume_len(p.as_bytes());
                l != 0 && p.as_bytes().get(l).is_some_and(|&c| self.is_sep(c))
            }
        }
    }

    /// Length of a leading volume name (`C:` or a UNC `\\host\share`), windows only.
    fn volume_len(self, p: &[u8]) -> usize {
        if self != Os::Windows || p.len() < 2 {
            return 0;
        }
        if p[1] == b':' && p[0].is_ascii_alphabetic() {
            return 2;
        }
        let l = p.len();
        if l >= 5 && self.is_sep(p[0]) && self.is_sep(p[1]) && !self.is_sep(p[2]) && p[2] != b'.' {
            let mut n = 3;
            while n < l - 1 {
                if self.is_sep(p[n]) {
                    n += 1;
                    if !self.is_sep(p[n]) {
                        if p[n] == b'.' {
                            break;
                        }
                        while n < l && !self.is_sep(p[n]) {
                            n += 1;
                        }
                        return n;
                    }
                    break;
                }
                n += 1;
            }
        }
        0
    }

    fn slash_to_native(self, p: &str) -> String {
        if self == Os::Windows {
            p.replace('/', "\\")
        } else {
            p.to_string()
        }
    }

    fn split_list(self, p: &str) -> Vec<String> {
        if p.is_empty() {
            return Vec::new();
        }
        match self {
            Os::Unix => p.split(':').map(str::to_string).collect(),
            Os::Plan9 => p.split('\0').map(str::to_string).collect(),
            Os::Windows => {
                let mut list = Vec::new();
                let mut cur = String::new();
                let mut quoted = false;
                for c in p.chars() {
                    match c {
                        '"' => quoted = !quoted,
                        ';' if !quoted => list.push(std::mem::take(&mut cur)),
                        c => cur.push(c),
                    }
                }
                list.push(cur);
                list
            }
        }
    }

    /// Go's `Clean`: shortest equivalent path by purely lexical processing.
    fn clean(self, path: &str) -> String {
        let b = path.as_bytes();
        let vol = self.volume_len(b);
        let rest = &b[vol..];
        if rest.is_empty() {
            if vol > 1 && b[1] != b':' {
                return self.slash_to_native(path);
            }
            return format!("{path}.");
        }
        let rooted = self.is_sep(rest[0]);
        let n = rest.len();
        let mut out: Vec<u8> = Vec::with_capacity(n);
        let (mut r, mut dotdot) = (0, 0);
        if rooted {
            out.push(self.sep());
            r = 1;
            dotdot = 1;
        }
        while r < n {
            if self.is_sep(rest[r]) || (rest[r] == b'.' && (r + 1 == n || self.is_sep(rest[r + 1])))
            {
                r += 1;
            } else if rest[r] == b'.'
                && rest.get(r + 1) == Some(&b'.')
                && (r + 2 == n || self.is_sep(rest[r + 2]))
            {
                r += 2;
                if out.len() > dotdot {
                    let mut w = out.len() - 1;
                    while w > dotdot && !self.is_sep(out[w]) {
                        w -= 1;
                    }
                    out.truncate(w);
                } else if !rooted {
                    if !out.is_empty() {
                        out.push(self.sep());
                    }
                    out.extend_from_slice(b"..");
                    dotdot = out.len();
                }
            } else {
                if (rooted && out.len() != 1) || (!rooted && !out.is_empty()) {
                    out.push(self.sep());
                }
                while r < n && !self.is_sep(rest[r]) {
                    out.push(rest[r]);
                    r += 1;
                }
            }
        }
        if out.is_empty() {
            out.push(b'.');
        }
        let s = format!("{}{}", &path[..vol], String::from_utf8_lossy(&out));
        self.slash_to_native(&s)
    }

    fn join(self, elems: &[&str]) -> String {
        let Some(first) = elems.iter().position(|e| !e.is_empty()) else {
            return String::new();
        };
        let elems = &elems[first..];
        let sep = char::from(self.sep()).to_string();
        if self != Os::Windows {
            return self.clean(&elems.join(&sep));
        }
        if elems[0].len() == 2 && elems[0].as_bytes()[1] == b':' {
            let rest: Vec<&str> = elems[1..]
                .iter()
                .copied()
                .skip_while(|e| e.is_empty())
                .collect();
            return self.clean(&format!("{}{}", elems[0], rest.join(&sep)));
        }
        let p = self.clean(&elems.join(&sep));
        if self.volume_len(p.as_bytes()) <= 2 {
            return p;
        }
        let head = self.clean(elems[0]);
        if self.volume_len(head.as_bytes()) > 2 {
            return p;
        }
        let tail = self.clean(&elems[1..].join(&sep));
        if head.ends_with('\\') {
            format!("{head}{tail}")
        } else {
            format!("{head}\\{tail}")
        }
    }

    fn same_word(self, a: &str, b: &str) -> bool {
        if self == Os::Windows {
            a.to_lowercase() == b.to_lowercase()
        } else {
            a == b
        }
    }
}

fn base(p: &str, os: Os) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let mut b = p.as_bytes();
    while !b.is_empty() && os.is_sep(b[b.len() - 1]) {
        b = &b[..b.len() - 1];
    }
    let b = &b[os.volume_len(b)..];
    let start = b.iter().rposition(|&c| os.is_sep(c)).map_or(0, |i| i + 1);
    let name = &b[start..];
    if name.is_empty() {
        return char::from(os.sep()).to_string();
    }
    String::from_utf8_lossy(name).into_owned()
}

fn rel(basepath: &str, targpath: &str, os: Os) -> Result<String, String> {
    let base_vol = &basepath[..os.volume_len(basepath.as_bytes())];
    let targ_vol = &targpath[..os.volume_len(targpath.as_bytes())];
    let base_c = os.clean(basepath);
    let targ_c = os.clean(targpath);
    if os.same_word(&targ_c, &base_c) {
        return Ok(".".into());
    }
    let mut base = &base_c[base_vol.len()..];
    let targ = &targ_c[targ_vol.len()..];
    if base == "." {
        base = "";
    }
    let sep = os.sep();
    let base_slashed = base.as_bytes().first() == Some(&sep);
    let targ_slashed = targ.as_bytes().first() == Some(&sep);
    let cannot = || format!("Rel: can't make {targpath} relative to {basepath}");
    if base_slashed != targ_slashed || !os.same_word(base_vol, targ_vol) {
        return Err(cannot());
    }
    let (bb, tb) = (base.as_bytes(), targ.as_bytes());
    let (bl, tl) = (bb.len(), tb.len());
    let (mut b0, mut bi, mut t0, mut ti) = (0, 0, 0, 0);
    loop {
        while bi < bl && bb[bi] != sep {
            bi += 1;
        }
        while ti < tl && tb[ti] != sep {
            ti += 1;
        }
        if !os.same_word(&targ[t0..ti], &base[b0..bi]) {
            break;
        }
        if bi < bl {
            bi += 1;
        }
        if ti < tl {
            ti += 1;
        }
        b0 = bi;
        t0 = ti;
        if bi >= bl && ti >= tl {
            break;
        }
    }
    if &base[b0..bi] == ".." {
        return Err(cannot());
    }
    if b0 != bl {
        let seps = base[b0..bl].bytes().filter(|&c| c == sep).count();
        let s = char::from(sep).to_string();
        let mut out = String::from("..");
        for _ in 0..seps {
            out.push_str(&s);
            out.push_str("..");
        }
        if t0 != tl {
            out.push_str(&s);
            out.push_str(&targ[t0..]);
        }
        return Ok(out);
    }
    Ok(targ[t0..].to_string())
}

const BAD_PATTERN: &str = "syntax error in pattern";

/// Go's `filepath.Match` (no `**`).
fn path_match(mut pattern: &str, mut name: &str, os: Os) -> Result<bool, String> {
    let sep = char::from(os.sep());
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern, os)?;
        pattern = rest;
        if star && chunk.is_empty() {
            return Ok(!name.contains(sep));
        }
        let (t, ok, err) = match_chunk(chunk, name, os);
        if ok && (t.is_empty() || !pattern.is_empty()) {
            name = t;
            continue;
        }
        if let Some(e) = err {
            return Err(e);
        }
        if star {
            let nb = name.as_bytes();
            let mut i = 0;
            while i < nb.len() && nb[i] != os.sep() {
                if name.is_char_boundary(i + 1) {
                    let (t, ok, err) = match_chunk(chunk, &name[i + 1..], os);
                    if ok {
                        if pattern.is_empty() && !t.is_empty() {
                            i += 1;
                            continue;
                        }
                        name = t;
                        continue 'pattern;
                    }
                    if let Some(e) = err {
                        return Err(e);
                    }
                }
                i += 1;
            }
        }
        while !pattern.is_empty() {
            let (_, _, rest) = scan_chunk(pattern, os)?;
            pattern = rest;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

fn scan_chunk(pattern: &str, os: Os) -> Result<(bool, &str, &str), String> {
    let mut p = pattern;
    let mut star = false;
    if p.starts_with('*') {
        p = &p[1..];
        star = true;
        if p.starts_with('*') {
            return Err("'**' is not supported in patterns as of yet".into());
        }
    }
    let b = p.as_bytes();
    let mut in_range = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if os != Os::Windows && i + 1 < b.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    Ok((star, &p[..i], &p[i..]))
}

/// Matches one chunk against the start of `s`: (rest, matched, syntax error).
fn match_chunk<'a>(mut chunk: &str, mut s: &'a str, os: Os) -> (&'a str, bool, Option<String>) {
    let mut failed = false;
    let bad = || ("", false, Some(BAD_PATTERN.to_string()));
    while !chunk.is_empty() {
        if !failed && s.is_empty() {
            failed = true;
        }
        let c = chunk.as_bytes()[0];
        match c {
            b'[' => {
                let mut r = '\0';
                if !failed {
                    r = s.chars().next().unwrap_or('\0');
                    s = &s[r.len_utf8().min(s.len())..];
                }
                chunk = &chunk[1..];
                let negated = chunk.starts_with('^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut nrange = 0;
                loop {
                    if chunk.starts_with(']') && nrange > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let Some((lo, rest)) = get_esc(chunk, os) else {
                        return bad();
                    };
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.starts_with('-') {
                        let Some((h, rest)) = get_esc(&chunk[1..], os) else {
                            return bad();
                        };
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    nrange += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if s.as_bytes()[0] == os.sep() {
                        failed = true;
                    }
                    let w = s.chars().next().map_or(1, char::len_utf8);
                    s = &s[w..];
                }
                chunk = &chunk[1..];
            }
            _ => {
                if c == b'\\' && os != Os::Windows {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return bad();
                    }
                }
                // Whole characters are compared (Go compares the same bytes one by one).
                let cc = chunk.chars().next().unwrap_or('\0');
                if !failed {
                    let sc = s.chars().next().unwrap_or('\0');
                    if cc != sc {
                        failed = true;
                    }
                    s = &s[sc.len_utf8().min(s.len())..];
                }
                chunk = &chunk[cc.len_utf8().min(chunk.len())..];
            }
        }
    }
    if failed {
        return ("", false, None);
    }
    (s, true, None)
}

fn get_esc(chunk: &str, os: Os) -> Option<(char, &str)> {
    let mut c = chunk;
    if c.is_empty() || c.starts_with('-') || c.starts_with(']') {
        return None;
    }
    if c.starts_with('\\') && os != Os::Windows {
        c = &c[1..];
        if c.is_empty() {
            return None;
        }
    }
    let r = c.chars().next()?;
    let rest = &c[r.len_utf8()..];
    if rest.is_empty() {
        return None;
    }
    Some((r, rest))
}

#[cfg(test)]
mod tests {
    use super::super::{call, lookup};
    use super::*;

    fn run(name: &str, args: &[Val]) -> String {
        let b = lookup("path", name).expect("builtin exists");
        match call(b, args) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }
    fn s(x: &str) -> Val {
        Val::str(x)
    }

    #[test]
    fn unix_rules() {
        let l = |xs: &[&str]| Val::List(xs.iter().map(|x| s(x)).collect());
        assert_eq!(run("Join", &[l(&["a", "b"]), s("aix")]), "\"a/b\"");
        assert_eq!(run("Join", &[l(&["a", "b"])]), "\"a/b\"");
        assert_eq!(run("Join", &[l(&["a", "b"]), s("foo")]),
            "ERR cannot use \"foo\" as *\"unix\" | \"windows\" | \"plan9\" | \"aix\" | \"android\" | \"darwin\" | \"dragonfly\" | \"freebsd\" | \"hurd\" | \"illumos\" | \"ios\" | \"js\" | \"linux\" | \"nacl\" | \"netbsd\" | \"openbsd\" | \"solaris\" | \"zos\" in argument 2 to path.Join");
        assert_eq!(run("Join", &[l(&["a", "../../b", "c/"])]), "\"../b/c\"");
        assert_eq!(run("Clean", &[s("/../a//b/./c/..")]), "\"/a/b\"");
        assert_eq!(run("Clean", &[s("")]), "\".\"");
        assert_eq!(
            run("Split", &[s("static/myfile.css")]),
            r#"["static/","myfile.css"]"#
        );
        assert_eq!(run("Ext", &[s("a/b.tar.gz")]), "\".gz\"");
        assert_eq!(run("Base", &[s("/a/b/")]), "\"b\"");
        assert_eq!(run("Base", &[s("///")]), "\"/\"");
        assert_eq!(run("Dir", &[s("/a/b/c")]), "\"/a/b\"");
        assert_eq!(run("Dir", &[s("c")]), "\".\"");
        assert_eq!(run("IsAbs", &[s("/a")]), "true");
        assert_eq!(run("Rel", &[s("/a"), s("/a/b/c")]), "\"b/c\"");
        assert_eq!(run("Rel", &[s("a/b"), s("a/b/c/d")]), "\"c/d\"");
        assert_eq!(run("Rel", &[s("/a/b"), s("/a/c")]), "\"../c\"");
        assert_eq!(
            run("Rel", &[s("a"), s("/b")]),
            "ERR Rel: can't make /b relative to a"
        );
        assert_eq!(run("Resolve", &[s("a/b"), s("../c")]), "\"a/c\"");
        assert_eq!(run("Resolve", &[s("a/b"), s("/c")]), "\"/c\"");
        assert_eq!(run("Match", &[s("*.go"), s("a.go")]), "true");
        assert_eq!(run("Match", &[s("é?x"), s("éyx")]), "true");
        assert_eq!(run("Match", &[s("é"), s("e")]), "false");
        assert_eq!(run("Match", &[s("a/*/c"), s("a/b/c")]), "true");
        assert_eq!(run("Match", &[s("[a-c]x"), s("dx")]), "false");
        assert_eq!(
            run("Match", &[s("[a-"), s("a")]),
            "ERR syntax error in pattern"
        );
        assert_eq!(run("SplitList", &[s("a:b"), s("unix")]), r#"["a","b"]"#);
        assert_eq!(
            run("SplitList", &[s("a:b")]),
            "ERR not enough arguments in call to path.SplitList (have 1, want 2)"
        );
    }

    #[test]
    fn windows_rules() {
        let w = s("windows");
        assert_eq!(run("Clean", &[s("C:/a/../b"), w.clone()]), r#""C:\\b""#);
        assert_eq!(run("VolumeName", &[s("C:\\foo")]), "\"C:\"");
        assert_eq!(
            run("VolumeName", &[s(r"\\host\share\foo"), w.clone()]),
            r#""\\\\host\\share""#
        );
        assert_eq!(run("IsAbs", &[s("C:\\a"), w.clone()]), "true");
        assert_eq!(run("IsAbs", &[s("\\a"), w.clone()]), "false");
        assert_eq!(run("ToSlash", &[s("a\\b"), w.clone()]), "\"a/b\"");
        assert_eq!(run("FromSlash", &[s("a/b"), w]), r#""a\\b""#);
    }
}
