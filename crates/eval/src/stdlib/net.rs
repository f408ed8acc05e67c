//! The `net` package: IP addresses and prefixes (Go's `net/netip` rules, see `netip`), host/port
//! helpers, URL escaping and URL validation.

use num_bigint::{BigInt, Sign};
use num_traits::Signed;

use super::netip::{Addr, Prefix};
use super::{
    arg_bigint, arg_str, Builtin, BuiltinError, BuiltinResult, Func, Kind, Val, INT, STR, TOP,
};

const fn f(
    name: &'static str,
    params: &'static [Kind],
    result: Kind,
    func: fn(&[Val]) -> BuiltinResult,
) -> Builtin {
    Builtin::pure("net", name, params, result, func)
}

const fn c(name: &'static str, text: &'static str) -> Builtin {
    Builtin {
        pkg: "net",
        name,
        params: &[],
        result: Kind::INT,
        non_concrete: false,
        last_default: None,
        func: Func::Const(text),
    }
}

const B: Kind = Kind::BOOL;
const L: Kind = Kind::LIST;

pub(super) const BUILTINS: &[Builtin] = &[
    f("SplitHostPort", &[STR], L, |a| {
        let (h, p) = split_host_port(arg_str(a, 0)?).map_err(BuiltinError::Call)?;
        Ok(Val::List(vec![Val::str(h), Val::str(p)]))
    }),
    f("JoinHostPort", &[TOP, TOP], STR, join_host_port),
    f("FQDN", &[STR], B, |a| Ok(Val::Bool(fqdn(arg_str(a, 0)?)))),
    c("IPv4len", "4"),
    c("IPv6len", "16"),
    f("ParseIP", &[STR], L, |a| {
        let s = arg_str(a, 0)?;
        let ip = Addr::parse(s).map_err(|_| {
            BuiltinError::Call(format!(
                "invalid IP address {}",
                super::strconv::quote(s, '"', false)
            ))
        })?;
        Ok(byte_list(&ip.bytes()))
    }),
    f("IPv4", &[TOP], B, |a| Ok(Val::Bool(ip(a, 0)?.is4()))),
    f("IPv6", &[TOP], B, |a| Ok(Val::Bool(!ip(a, 0)?.is4()))),
    f("IP", &[TOP], B, |a| ip(a, 0).map(|_| Val::Bool(true))),
    f("IPCIDR", &[TOP], B, |a| cidr(a, 0).map(|_| Val::Bool(true))),
    f("LoopbackIP", &[TOP], B, |a| {
        Ok(Val::Bool(ip(a, 0)?.is_loopback()))
    }),
    f("MulticastIP", &[TOP], B, |a| {
        Ok(Val::Bool(ip(a, 0)?.is_multicast()))
    }),
    f("InterfaceLocalMulticastIP", &[TOP], B, |a| {
        Ok(Val::Bool(ip(a, 0)?.is_interface_local_multicast()))
    }),
    f("LinkLocalMulticastIP", &[TOP], B, |a| {
        Ok(Val::Bool(ip(a, 0)?.is_link_local_multicast()))
    }),
    f("LinkLocalUnicastIP", &[TOP], B, |a| {
        Ok(Val::Bool(ip(a, 0)?.is_link_local_unicast()))
    }),
    f("GlobalUnicastIP", &[TOP], B, |a| {
        Ok(Val::Bool(ip(a, 0)?.is_global_unicast()))
    }),
    f("UnspecifiedIP", &[TOP], B, |a| {
        Ok(Val::Bool(ip(a, 0)?.is_unspecified()))
    }),
    f("ToIP4", &[TOP], L, |a| {
        let addr = ip(a, 0)?;
        match addr {
            Addr::V4(b) => Ok(byte_list(&b)),
            other => Err(BuiltinError::Call(format!(
                "cannot convert {} to IPv4",
                super::strconv::quote(&other.to_string(), '"', false)
            ))),
        }
    }),
    f("ToIP16", &[TOP], L, |a| Ok(byte_list(&ip(a, 0)?.as16()))),
    f("IPString", &[TOP], STR, |a| {
        Ok(Val::str(ip(a, 0)?.to_string()))
    }),
    f("AddIP", &[TOP, INT], STR, |a| {
        let offset = arg_bigint(a, 1)?;
        if let Ok(p) = cidr(a, 0) {
            let addr = add_ip(&p.addr, &offset)?;
            return Ok(Val::str(Prefix { addr, bits: p.bits }.to_string()));
        }
        Ok(Val::str(add_ip(&ip(a, 0)?, &offset)?.to_string()))
    }),
    f("AddIPCIDR", &[TOP, INT], STR, |a| {
        let (p, offset) = (cidr(a, 0)?, arg_bigint(a, 1)?);
        let shift = (p.addr.bit_len() - p.bits) as usize;
        let addr = add_ip(&p.addr, &(offset << shift))?;
        Ok(Val::str(Prefix { addr, bits: p.bits }.to_string()))
    }),
    f("ParseCIDR", &[STR], Kind::STRUCT, |a| {
        let p = Prefix::parse(arg_str(a, 0)?).map_err(BuiltinError::Call)?;
        let n = (p.addr.bit_len() / 8) as usize;
        let mask: Vec<u8> = (0..n)
            .map(|i| {
                let start = i as u32 * 8;
                if start + 8 <= p.bits {
                    0xff
                } else if start >= p.bits {
                    0
                } else {
                    !(0xffu8 >> (p.bits - start))
                }
            })
            .collect();
        let network = p.masked();
        let mask_addr = Addr::from_slice(&mask).map_or_else(String::new, |m| m.to_string());
        let mut fields = vec![
            ("prefix_mask".to_string(), Val::str(mask_addr)),
            ("prefix_len".to_string(), Val::int(i64::from(p.bits))),
            ("prefix_addr".to_string(), Val::str(network.to_string())),
        ];
        if p.addr.is4() {
            let bc: Vec<u8> = network
                .bytes()
                .iter()
                .zip(&mask)
                .map(|(b, m)| b | !m)
                .collect();
            if let Some(b) = Addr::from_slice(&bc) {
                fields.push(("broadcast_addr".to_string(), Val::str(b.to_string())));
            }
        }
        Ok(Val::Struct(fields))
    }),
    f("InCIDR", &[TOP, TOP], B, |a| {
        let addr = ip(a, 0)?;
        let p = cidr(a, 1)?;
        Ok(Val::Bool(p.contains(&addr)))
    }),
    f("CompareIP", &[TOP, TOP], INT, |a| {
        let (x, y) = (ip(a, 0)?, ip(a, 1)?);
        Ok(Val::int(match x.compare(&y) {
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        }))
    }),
    f("PathEscape", &[STR], STR, |a| {
        Ok(Val::str(escape(arg_str(a, 0)?, Mode::PathSegment)))
    }),
    f("PathUnescape", &[STR], STR, |a| {
        unescape(arg_str(a, 0)?, false)
            .map(Val::str)
            .map_err(BuiltinError::Call)
    }),
    f("QueryEscape", &[STR], STR, |a| {
        Ok(Val::str(escape(arg_str(a, 0)?, Mode::Query)))
    }),
    f("QueryUnescape", &[STR], STR, |a| {
        unescape(arg_str(a, 0)?, true)
            .map(Val::str)
            .map_err(BuiltinError::Call)
    }),
    f("URL", &[STR], B, |a| {
        parse_url(arg_str(a, 0)?).map(|_| Val::Bool(true))
    }),
    f("AbsURL", &[STR], B, |a| {
        let has_scheme = parse_url(arg_str(a, 0)?)?;
        if !has_scheme {
            return Err(BuiltinError::Call("URL is not absolute".into()));
        }
        Ok(Val::Bool(true))
    }),
];

fn byte_list(b: &[u8]) -> Val {
    Val::List(b.iter().map(|&x| Val::int(i64::from(x))).collect())
}

/// cue's `netGetIP`: a string, bytes, or a list of byte values.
fn ip(a: &[Val], i: usize) -> Result<Addr, BuiltinError> {
    let err = BuiltinError::Call;
    match &a[i] {
        Val::Str(s) => Addr::parse(s).map_err(err),
        Val::Bytes(b) => Addr::parse(&String::from_utf8_lossy(b)).map_err(err),
        Val::List(items) => {
            let mut bytes = Vec::with_capacity(items.len());
            for v in items {
                let n = match v {
                    Val::Num(n) if n.is_int() => n.to_i64().unwrap_or(i64::MAX),
                    v => {
                        return Err(err(format!(
                            "cannot use value {v} (type {}) as int",
                            v.kind()
                        )))
                    }
                };
                if !(0..=255).contains(&n) {
                    return Err(err(format!("invalid IP byte value {n}")));
                }
                bytes.push(n as u8);
            }
            Addr::from_slice(&bytes)
                .ok_or_else(|| err(format!("invalid IP length {}", bytes.len())))
        }
        v => Err(err(format!("invalid type {} for IP address", v.kind()))),
    }
}

fn cidr(a: &[Val], i: usize) -> Result<Prefix, BuiltinError> {
    match &a[i] {
        Val::Str(s) => Prefix::parse(s).map_err(BuiltinError::Call),
        Val::Bytes(b) => Prefix::parse(&String::from_utf8_lossy(b)).map_err(BuiltinError::Call),
        v => Err(BuiltinError::Call(format!(
            "invalid type {} for IP CIDR",
            v.kind()
        ))),
    }
}

fn add_ip(addr: &Addr, offset: &BigInt) -> Result<Addr, BuiltinError> {
    let v = BigInt::from_bytes_be(Sign::Plus, &addr.bytes()) + offset;
    if v.is_negative() {
        return Err(BuiltinError::Call(
            "IP address arithmetic resulted in out-of-range address (underflow)".into(),
        ));
    }
    let (_, b) = v.to_bytes_be();
    let size = (addr.bit_len() / 8) as usize;
    let b: Vec<u8> = if b == [0] { Vec::new() } else { b };
    if b.len() > size {
        return Err(BuiltinError::Call(
            "IP address arithmetic resulted in out-of-range address (overflow)".into(),
        ));
    }
    let mut full = vec![0u8; size - b.len()];
    full.extend_from_slice(&b);
    Addr::from_slice(&full).ok_or_else(|| BuiltinError::Call("invalid IP".into()))
}

/// Go's `net.SplitHostPort`.
fn split_host_port(hp: &str) -> Result<(String, String), String> {
    let err = |why: &str| format!("address {hp}: {why}");
    let Some(i) = hp.rfind(':') else {
        return Err(err("missing port in address"));
    };
    let (host, j, k);
    if hp.starts_with('[') {
        let Some(end) = hp.find(']') else {
            return Err(err("missing ']' in address"));
        };
        if end + 1 == hp.len() {
            return Err(err("missing port in address"));
        } else if end + 1 != i {
            if hp.as_bytes()[end + 1] == b':' {
                return Err(err("too many colons in address"));
            }
            return Err(err("missing port in address"));
        }
        host = &hp[1..end];
        j = 1;
        k = end + 1;
    } else {
        host = &hp[..i];
        if host.contains(':') {
            return Err(err("too many colons in address"));
        }
        j = 0;
        k = 0;
    }
    if hp[j..].contains('[') {
        return Err(err("unexpected '[' in address"));
    }
    if hp[k..].contains(']') {
        return Err(err("unexpected ']' in address"));
    }
    Ok((host.to_string(), hp[i + 1..].to_string()))
}

fn join_host_port(a: &[Val]) -> BuiltinResult {
    let host = match &a[0] {
        Val::List(items) => {
            let text = format!(
                "[{}]",
                items
                    .iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            ip(a, 0)
                .map(|x| x.to_string())
                .map_err(|_| BuiltinError::Call(format!("invalid host {text}")))?
        }
        Val::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Val::Str(s) => s.to_string(),
        v => {
            return Err(BuiltinError::Call(format!(
                "cannot use value {v} (type {}) as string",
                v.kind()
            )))
        }
    };
    let port = match &a[1] {
        Val::Str(s) => s.to_string(),
        Val::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Val::Num(n) if n.is_int() => n.to_i64().unwrap_or(0).to_string(),
        v => {
            return Err(BuiltinError::Call(format!(
                "cannot use value {v} (type {}) as int",
                v.kind()
            )))
        }
    };
    Ok(Val::str(if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }))
}

/// A DNS name check in the spirit of cue's IDNA lookup profile with length verification:
/// ASCII letters, digits and hyphens, labels of 1–63 characters not starting or ending with a
/// hyphen, at most 253 characters in all.
fn fqdn(s: &str) -> bool {
    if !s.is_ascii() {
        return false;
    }
    let s = s.strip_suffix('.').unwrap_or(s);
    if s.is_empty() || s.len() > 253 {
        return false;
    }
    s.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    PathSegment,
    Query,
}

/// Go's `url.PathEscape` / `url.QueryEscape`.
fn escape(s: &str, mode: Mode) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        let unreserved = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~');
        let keep = unreserved
            || (mode == Mode::PathSegment && matches!(c, b'$' | b'&' | b'+' | b':' | b'=' | b'@'));
        if keep {
            out.push(char::from(c));
        } else if c == b' ' && mode == Mode::Query {
            out.push('+');
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub(super) fn query_escape(s: &str) -> String {
    escape(s, Mode::Query)
}

/// Go's `url.PathUnescape` / `url.QueryUnescape` (`+` is a space in queries).
fn unescape(s: &str, query: bool) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = |x: Option<&u8>| x.and_then(|&c| char::from(c).to_digit(16));
                match (hex(b.get(i + 1)), hex(b.get(i + 2))) {
                    (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
                    _ => {
                        let end = (i + 3).min(b.len());
                        let frag = String::from_utf8_lossy(&b[i..end]);
                        return Err(format!(
                            "invalid URL escape {}",
                            super::strconv::quote(&frag, '"', false)
                        ));
                    }
                }
                i += 3;
            }
            b'+' if query => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The checks of Go's `url.Parse` that can fail, with its `parse "<url>": ...` wording.
/// Returns whether the URL has a scheme.
fn parse_url(raw: &str) -> Result<bool, BuiltinError> {
    let fail = |msg: String| {
        BuiltinError::Call(format!(
            "parse {}: {msg}",
            super::strconv::quote(raw, '"', false)
        ))
    };
    let (u, frag) = match raw.find('#') {
        Some(i) => (&raw[..i], Some(&raw[i + 1..])),
        None => (raw, None),
    };
    if u.bytes().any(|c| c < 0x20 || c == 0x7f) {
        return Err(fail("net/url: invalid control character in URL".into()));
    }
    // Scheme: letters first, then letters, digits, + - .; ':' ends it.
    let mut scheme = "";
    let mut rest = u;
    for (i, c) in u.char_indices() {
        if c.is_ascii_alphabetic() {
            continue;
        }
        if i > 0 && (c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) {
            continue;
        }
        if c == ':' {
            if i == 0 {
                return Err(fail("missing protocol scheme".into()));
            }
            scheme = &u[..i];
            rest = &u[i + 1..];
        }
        break;
    }
    let rest = match rest.find('?') {
        Some(i) => &rest[..i],
        None => rest,
    };
    if !rest.starts_with('/') && !scheme.is_empty() {
        // Opaque URL such as mailto:x.
        if let Some(f) = frag {
            unescape(f, false).map_err(fail)?;
        }
        return Ok(true);
    }
    if scheme.is_empty() && !rest.starts_with('/') {
        if let Some(colon) = rest.find(':') {
            if rest.find('/').is_none_or(|slash| colon < slash) {
                return Err(fail(
                    "first path segment in URL cannot contain colon".into(),
                ));
            }
        }
    }
    let path = if let Some(after) = rest
        .strip_prefix("//")
        .filter(|_| !scheme.is_empty() || !rest.starts_with("///"))
    {
        let end = after.find('/').unwrap_or(after.len());
        &after[end..]
    } else {
        rest
    };
    unescape(path, false).map_err(fail)?;
    if let Some(f) = frag {
        unescape(f, false).map_err(fail)?;
    }
    Ok(!scheme.is_empty())
}

#[cfg(test)]
mod tests {
    use super::super::{call, lookup};
    use super::*;

    fn run(name: &str, args: &[Val]) -> String {
        let b = lookup("net", name).expect("builtin exists");
        match call(b, args) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }
    fn s(x: &str) -> Val {
        Val::str(x)
    }
    fn l(xs: &[i64]) -> Val {
        Val::List(xs.iter().map(|&x| Val::int(x)).collect())
    }

    #[test]
    fn addresses() {
        assert_eq!(run("IPv4", &[s("10.0.0.1")]), "true");
        assert_eq!(run("IPv4", &[s("ff02::1:3")]), "false");
        assert_eq!(
            run("IPv4", &[Val::int(123)]),
            "ERR invalid type int for IP address"
        );
        assert_eq!(run("IPv6", &[s("2001:db8::1234567")]),
            "ERR ParseAddr(\"2001:db8::1234567\"): each group must have 4 or less digits (at \"1234567\")");
        assert_eq!(
            run("IPCIDR", &[Val::int(123)]),
            "ERR invalid type int for IP CIDR"
        );
        assert_eq!(run("ToIP4", &[s("10.1.2.3")]), "[10,1,2,3]");
        assert_eq!(run("IPString", &[l(&[192, 168, 0, 1])]), "\"192.168.0.1\"");
        assert_eq!(
            run("AddIP", &[s("10.0.0.255"), Val::int(1)]),
            "\"10.0.1.0\""
        );
        assert_eq!(
            run("AddIP", &[s("255.255.255.255"), Val::int(1)]),
            "ERR IP address arithmetic resulted in out-of-range address (overflow)"
        );
        assert_eq!(
            run("AddIP", &[s("0.0.0.0"), Val::int(-1)]),
            "ERR IP address arithmetic resulted in out-of-range address (underflow)"
        );
        assert_eq!(
            run("AddIP", &[s("10.0.0.0/8"), Val::int(1)]),
            "\"10.0.0.1/8\""
        );
        assert_eq!(
            run("AddIPCIDR", &[s("10.0.0.0/16"), Val::int(1)]),
            "\"10.1.0.0/16\""
        );
        assert_eq!(
            run("AddIPCIDR", &[s("192.168.0.0"), Val::int(1)]),
            "ERR netip.ParsePrefix(\"192.168.0.0\"): no '/'"
        );
        assert_eq!(
            run("InCIDR", &[s("192.168.1.5"), s("192.168.1.0/24")]),
            "true"
        );
        assert_eq!(
            run("InCIDR", &[s("10.0.0.1"), s("192.168.1.0/24")]),
            "false"
        );
        assert_eq!(run("CompareIP", &[s("10.0.0.1"), s("10.0.0.2")]), "-1");
        assert_eq!(
            run("CompareIP", &[s("invalid"), s("10.0.0.2")]),
            "ERR ParseAddr(\"invalid\"): unable to parse IP"
        );
        assert_eq!(
            run("ParseCIDR", &[s("10.20.30.40/24")]),
            r#"{prefix_mask:"255.255.255.0",prefix_len:24,prefix_addr:"10.20.30.0",broadcast_addr:"10.20.30.255"}"#
        );
        assert_eq!(
            run("ParseCIDR", &[s("fe80::1/10")]),
            r#"{prefix_mask:"ffc0::",prefix_len:10,prefix_addr:"fe80::"}"#
        );
        assert_eq!(run("LoopbackIP", &[s("127.0.0.1")]), "true");
        assert_eq!(run("GlobalUnicastIP", &[s("8.8.8.8")]), "true");
        assert_eq!(run("LinkLocalUnicastIP", &[s("fe80::1")]), "true");
    }

    #[test]
    fn hosts_and_urls() {
        assert_eq!(
            run("SplitHostPort", &[s("[::%lo0]:80")]),
            r#"["::%lo0","80"]"#
        );
        assert_eq!(
            run("SplitHostPort", &[s("host")]),
            "ERR address host: missing port in address"
        );
        assert_eq!(
            run("JoinHostPort", &[s("mod.test"), s("80")]),
            "\"mod.test:80\""
        );
        assert_eq!(
            run("JoinHostPort", &[s("2001:db8::1"), Val::int(80)]),
            "\"[2001:db8::1]:80\""
        );
        assert_eq!(
            run("JoinHostPort", &[l(&[192, 30, 4, 2]), Val::int(80)]),
            "\"192.30.4.2:80\""
        );
        assert_eq!(
            run("JoinHostPort", &[l(&[192, 30, 4]), Val::int(80)]),
            "ERR invalid host [192, 30, 4]"
        );
        assert_eq!(run("FQDN", &[s("foo.bar.")]), "true");
        assert_eq!(
            run(
                "FQDN",
                &[s(
                    "foo.bararararararararararararararararararararararararararararararararara"
                )]
            ),
            "false"
        );
        assert_eq!(run("FQDN", &[s("hello world")]), "false");
        assert_eq!(run("FQDN", &[s("under_score.example.com.")]), "false");
        assert_eq!(run("PathEscape", &[s("foo/bar")]), "\"foo%2Fbar\"");
        assert_eq!(run("QueryEscape", &[s("f%o b")]), "\"f%25o+b\"");
        assert_eq!(run("QueryUnescape", &[s("a+b%21")]), "\"a b!\"");
        assert_eq!(
            run("PathUnescape", &[s("%zz")]),
            "ERR invalid URL escape \"%zz\""
        );
        assert_eq!(run("URL", &[s("/foo/bar")]), "true");
        assert_eq!(
            run("URL", &[s("%")]),
            "ERR parse \"%\": invalid URL escape \"%\""
        );
        assert_eq!(run("AbsURL", &[s("/foo/bar")]), "ERR URL is not absolute");
        assert_eq!(run("AbsURL", &[s("https://foo.com/bar")]), "true");
    }
}
