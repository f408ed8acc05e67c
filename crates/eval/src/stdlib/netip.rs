//! Go's `net/netip` address and prefix parsing and printing, with its exact error texts
//! (cue's `net` package surfaces them).

use std::cmp::Ordering;

use super::strconv::quote;

/// An IPv4 or IPv6 address (with an optional IPv6 zone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Addr {
    V4([u8; 4]),
    V6([u8; 16], String),
}

fn go_q(s: &str) -> String {
    quote(s, '"', false)
}

fn addr_err(input: &str, msg: &str, at: Option<&str>) -> String {
    match at {
        Some(at) if !at.is_empty() => {
            format!("ParseAddr({}): {msg} (at {})", go_q(input), go_q(at))
        }
        _ => format!("ParseAddr({}): {msg}", go_q(input)),
    }
}

impl Addr {
    pub(super) fn parse(s: &str) -> Result<Addr, String> {
        for c in s.bytes() {
            match c {
                b'.' => return parse_v4(s, s).map(Addr::V4),
                b':' => return parse_v6(s),
                b'%' => return Err(addr_err(s, "missing IPv6 address", None)),
                _ => {}
            }
        }
        Err(addr_err(s, "unable to parse IP", None))
    }

    /// Builds an address from 4 or 16 bytes (Go's `AddrFromSlice`).
    pub(super) fn from_slice(b: &[u8]) -> Option<Addr> {
        match b.len() {
            4 => Some(Addr::V4([b[0], b[1], b[2], b[3]])),
            16 => {
                let mut a = [0u8; 16];
                a.copy_from_slice(b);
                Some(Addr::V6(a, String::new()))
            }
            _ => None,
        }
    }

    pub(super) fn is4(&self) -> bool {
        matches!(self, Addr::V4(_))
    }

    pub(super) fn bytes(&self) -> Vec<u8> {
        match self {
            Addr::V4(b) => b.to_vec(),
            Addr::V6(b, _) => b.to_vec(),
        }
    }

    pub(super) fn bit_len(&self) -> u32 {
        if self.is4() {
            32
        } else {
            128
        }
    }

    pub(super) fn as16(&self) -> [u8; 16] {
        match self {
            Addr::V4(b) => {
                let mut a = [0u8; 16];
                a[10] = 0xff;
                a[11] = 0xff;
                a[12..].copy_from_slice(b);
                a
            }
            Addr::V6(b, _) => *b,
        }
    }

    /// IPv4-mapped IPv6 addresses are classified as their IPv4 address.
    fn unmapped(&self) -> Addr {
        match self {
            Addr::V6(b, _) if b[..10].iter().all(|&x| x == 0) && b[10] == 0xff && b[11] == 0xff => {
                Addr::V4([b[12], b[13], b[14], b[15]])
            }
            a => a.clone(),
        }
    }

    pub(super) fn is_loopback(&self) -> bool {
        match self.unmapped() {
            Addr::V4(b) => b[0] == 127,
            Addr::V6(b, _) => b == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        }
    }

    pub(super) fn is_multicast(&self) -> bool {
        match self.unmapped() {
            Addr::V4(b) => b[0] & 0xf0 == 0xe0,
            Addr::V6(b, _) => b[0] == 0xff,
        }
    }

    pub(super) fn is_interface_local_multicast(&self) -> bool {
        match self.unmapped() {
            Addr::V4(_) => false,
            Addr::V6(b, _) => b[0] == 0xff && b[1] & 0x0f == 0x01,
        }
    }

    pub(super) fn is_link_local_multicast(&self) -> bool {
        match self.unmapped() {
            Addr::V4(b) => b[0] == 224 && b[1] == 0 && b[2] == 0,
            Addr::V6(b, _) => b[0] == 0xff && b[1] & 0x0f == 0x02,
        }
    }

    pub(super) fn is_link_local_unicast(&self) -> bool {
        match self.unmapped() {
            Addr::V4(b) => b[0] == 169 && b[1] == 254,
            Addr::V6(b, _) => b[0] == 0xfe && b[1] & 0xc0 == 0x80,
        }
    }

    pub(super) fn is_unspecified(&self) -> bool {
        match self {
            Addr::V4(b) => *b == [0; 4],
            Addr::V6(b, _) => *b == [0; 16],
        }
    }

    pub(super) fn is_global_unicast(&self) -> bool {
        let u = self.unmapped();
        if u.is_unspecified() {
            return false;
        }
        if let Addr::V4(b) = u {
            if b == [255; 4] {
                return false;
            }
        }
        !u.is_loopback() && !u.is_multicast() && !u.is_link_local_unicast()
    }

    pub(super) fn compare(&self, other: &Addr) -> Ordering {
        self.bit_len()
            .cmp(&other.bit_len())
            .then_with(|| self.as16().cmp(&other.as16()))
            .then_with(|| self.zone().cmp(other.zone()))
    }

    fn zone(&self) -> &str {
        match self {
            Addr::V4(_) => "",
            Addr::V6(_, z) => z,
        }
    }
}

impl std::fmt::Display for Addr {
    /// Go's `Addr.String`: dotted IPv4; RFC 5952 IPv6, `::ffff:a.b.c.d` for mapped IPv4.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Addr::V4(b) => write!(f, "{}.{}.{}.{}", b[0], b[1], b[2], b[3]),
            Addr::V6(b, zone) => {
                if b[..10].iter().all(|&x| x == 0) && b[10] == 0xff && b[11] == 0xff {
                    write!(f, "::ffff:{}.{}.{}.{}", b[12], b[13], b[14], b[15])?;
                } else {
                    let groups: Vec<u16> = (0..8)
                        .map(|i| u16::from(b[2 * i]) << 8 | u16::from(b[2 * i + 1]))
                        .collect();
                    // Longest run of at least two zero groups (first one wins ties).
                    let (mut best, mut best_len) = (usize::MAX, 1);
                    let mut i = 0;
                    while i < 8 {
                        if groups[i] == 0 {
                            let start = i;
                            while i < 8 && groups[i] == 0 {
                                i += 1;
                            }
                            if i - start > best_len {
                                best = start;
                                best_len = i - start;
                            }
                        } else {
                            i += 1;
                        }
                    }
                    let mut i = 0;
                    while i < 8 {
                        if i == best {
                            f.write_str("::")?;
                            i += best_len;
                            continue;
                        }
                        if i > 0 && i != best + best_len {
                            f.write_str(":")?;
                        }
                        write!(f, "{:x}", groups[i])?;
                        i += 1;
                    }
                }
                if !zone.is_empty() {
                    write!(f, "%{zone}")?;
                }
                Ok(())
            }
        }
    }
}

/// Go's `parseIPv4Fields` over `s` (a suffix of `input`, which errors quote).
fn parse_v4(input: &str, s: &str) -> Result<[u8; 4], String> {
    let b = s.as_bytes();
    let mut fields = [0u8; 4];
    let (mut val, mut pos, mut dig_len) = (0u32, 0usize, 0);
    for i in 0..b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            if dig_len == 1 && val == 0 {
                return Err(addr_err(
                    input,
                    "IPv4 field has octet with leading zero",
                    None,
                ));
            }
            val = val * 10 + u32::from(c - b'0');
            dig_len += 1;
            if val > 255 {
                return Err(addr_err(input, "IPv4 field has value >255", None));
            }
        } else if c == b'.' {
            if i == 0 || i == b.len() - 1 || b[i - 1] == b'.' {
                return Err(addr_err(
                    input,
                    "IPv4 field must have at least one digit",
                    Some(&s[i..]),
                ));
            }
            if pos == 3 {
                return Err(addr_err(input, "IPv4 address too long", None));
            }
            fields[pos] = val as u8;
            pos += 1;
            val = 0;
            dig_len = 0;
        } else {
            return Err(addr_err(input, "unexpected character", Some(&s[i..])));
        }
    }
    if pos < 3 {
        return Err(addr_err(input, "IPv4 address too short", None));
    }
    fields[3] = val as u8;
    Ok(fields)
}

fn parse_v6(input: &str) -> Result<Addr, String> {
    let (mut s, zone) = match input.find('%') {
        Some(i) => {
            let z = &input[i + 1..];
            if z.is_empty() {
                return Err(addr_err(input, "zone must be a non-empty string", None));
            }
            (&input[..i], z.to_string())
        }
        None => (input, String::new()),
    };
    let mut ip = [0u8; 16];
    let mut ellipsis: Option<usize> = None;
    if s.starts_with("::") {
        ellipsis = Some(0);
        s = &s[2..];
        if s.is_empty() {
            return Ok(Addr::V6(ip, zone));
        }
    }
    let mut i = 0;
    while i < 16 {
        let b = s.as_bytes();
        let mut off = 0;
        let mut acc: u32 = 0;
        while off < b.len() {
            let Some(d) = char::from(b[off]).to_digit(16) else {
                break;
            };
            acc = (acc << 4) + d;
            if off > 3 {
                return Err(addr_err(
                    input,
                    "each group must have 4 or less digits",
                    Some(s),
                ));
            }
            if acc > 0xffff {
                return Err(addr_err(input, "IPv6 field has value >=2^16", Some(s)));
            }
            off += 1;
        }
        if off == 0 {
            return Err(addr_err(
                input,
                "each colon-separated field must have at least one digit",
                Some(s),
            ));
        }
        if b.get(off) == Some(&b'.') {
            if ellipsis.is_none() && i != 12 {
                return Err(addr_err(
                    input,
                    "embedded IPv4 address must replace the final 2 fields of the address",
                    Some(s),
                ));
            }
            if i + 4 > 16 {
                return Err(addr_err(
                    input,
                    "too many hex fields to fit an embedded IPv4 at the end of the address",
                    Some(s),
                ));
            }
            let v4 = parse_v4(input, s)?;
            ip[i..i + 4].copy_from_slice(&v4);
            s = "";
            i += 4;
            break;
        }
        ip[i] = (acc >> 8) as u8;
        ip[i + 1] = acc as u8;
        i += 2;
        s = &s[off..];
        if s.is_empty() {
            break;
        }
        if !s.starts_with(':') {
            return Err(addr_err(input, "unexpected character, want colon", Some(s)));
        } else if s.len() == 1 {
            return Err(addr_err(
                input,
                "colon must be followed by more characters",
                Some(s),
            ));
        }
        s = &s[1..];
        if s.starts_with(':') {
            if ellipsis.is_some() {
                return Err(addr_err(input, "multiple :: in address", Some(s)));
            }
            ellipsis = Some(i);
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return Err(addr_err(input, "trailing garbage after address", Some(s)));
    }
    if i < 16 {
        let Some(e) = ellipsis else {
            return Err(addr_err(input, "address string too short", None));
        };
        let n = 16 - i;
        for j in (e..i).rev() {
            ip[j + n] = ip[j];
        }
        for x in &mut ip[e..e + n] {
            *x = 0;
        }
    } else if ellipsis.is_some() {
        return Err(addr_err(
            input,
            "the :: must expand to at least one field of zeros",
            None,
        ));
    }
    Ok(Addr::V6(ip, zone))
}

/// An address with a prefix length (Go's `netip.Prefix`, address not masked).
#[derive(Clone, Debug)]
pub(super) struct Prefix {
    pub addr: Addr,
    pub bits: u32,
}

impl Prefix {
    pub(super) fn parse(s: &str) -> Result<Prefix, String> {
        let err = |msg: &str| format!("netip.ParsePrefix({}): {msg}", go_q(s));
        let Some(i) = s.rfind('/') else {
            return Err(err("no '/'"));
        };
        let addr = Addr::parse(&s[..i]).map_err(|e| err(&e))?;
        if let Addr::V6(_, z) = &addr {
            if !z.is_empty() {
                return Err(err("IPv6 zones cannot be present in a prefix"));
            }
        }
        let bits_str = &s[i + 1..];
        let bad = || err(&format!("bad bits after slash: {}", go_q(bits_str)));
        if bits_str.len() > 1 && !(b'1'..=b'9').contains(&bits_str.as_bytes()[0]) {
            return Err(bad());
        }
        let bits: i64 = bits_str.parse().map_err(|_| bad())?;
        if bits < 0 || bits > i64::from(addr.bit_len()) {
            return Err(err("prefix length out of range"));
        }
        Ok(Prefix {
            addr,
            bits: bits as u32,
        })
    }

    pub(super) fn masked(&self) -> Addr {
        let mut b = self.addr.bytes();
        for (i, x) in b.iter_mut().enumerate() {
            let start = i as u32 * 8;
            if start >= self.bits {
                *x = 0;
            } else if start + 8 > self.bits {
                *x &= 0xffu8 << (8 - (self.bits - start));
            }
        }
        Addr::from_slice(&b).unwrap_or_else(|| self.addr.clone())
    }

    pub(super) fn contains(&self, a: &Addr) -> bool {
        if a.is4() != self.addr.is4() {
            return false;
        }
        if let Addr::V6(_, z) = a {
            if !z.is_empty() {
                return false;
            }
        }
        let p = Prefix {
            addr: a.clone(),
            bits: self.bits,
        };
        p.masked() == self.masked()
    }
}

impl std::fmt::Display for Prefix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print_like_go() {
        let p = |s: &str| Addr::parse(s).map(|a| a.to_string()).unwrap_or_else(|e| e);
        assert_eq!(p("192.168.0.1"), "192.168.0.1");
        assert_eq!(p("2001:0db8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
        assert_eq!(p("::ffff:1.2.3.4"), "::ffff:1.2.3.4");
        assert_eq!(p("1:0:0:1:0:0:0:1"), "1:0:0:1::1");
        assert_eq!(p("::"), "::");
        assert_eq!(
            p("23.23.23.2333"),
            "ParseAddr(\"23.23.23.2333\"): IPv4 field has value >255"
        );
        assert_eq!(p("2001:db8::1234567"),
            "ParseAddr(\"2001:db8::1234567\"): each group must have 4 or less digits (at \"1234567\")");
        assert_eq!(
            p("192.168.1.0/24"),
            "ParseAddr(\"192.168.1.0/24\"): unexpected character (at \"/24\")"
        );
        assert_eq!(p("invalid"), "ParseAddr(\"invalid\"): unable to parse IP");
        assert_eq!(p("1.2.3"), "ParseAddr(\"1.2.3\"): IPv4 address too short");
        let q = |s: &str| {
            Prefix::parse(s)
                .map(|a| a.to_string())
                .unwrap_or_else(|e| e)
        };
        assert_eq!(q("10.1.2.3/8"), "10.1.2.3/8");
        assert_eq!(
            q("192.168.0.0"),
            "netip.ParsePrefix(\"192.168.0.0\"): no '/'"
        );
        assert_eq!(
            q("1.2.3.4/33"),
            "netip.ParsePrefix(\"1.2.3.4/33\"): prefix length out of range"
        );
        assert_eq!(
            q("1.2.3.4/x"),
            "netip.ParsePrefix(\"1.2.3.4/x\"): bad bits after slash: \"x\""
        );
    }
}
