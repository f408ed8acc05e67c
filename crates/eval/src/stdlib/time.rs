//! The `time` package: Go's layout-based time formatting and parsing (UTC and fixed offsets),
//! durations, and Unix conversions.

use super::{arg_int, arg_str, Builtin, BuiltinError, BuiltinResult, Func, Kind, Val, INT, STR};

const fn f(
    name: &'static str,
    params: &'static [Kind],
    result: Kind,
    func: fn(&[Val]) -> BuiltinResult,
) -> Builtin {
    Builtin::pure("time", name, params, result, func)
}

const fn c(name: &'static str, text: &'static str) -> Builtin {
    Builtin {
        pkg: "time",
        name,
        params: &[],
        result: Kind::TOP,
        non_concrete: false,
        last_default: None,
        func: Func::Const(text),
    }
}

const B: Kind = Kind::BOOL;
const RFC3339_NANO: &str = "2006-01-02T15:04:05.999999999Z07:00";

pub(super) const BUILTINS: &[Builtin] = &[
    c("Nanosecond", "1"),
    c("Microsecond", "1000"),
    c("Millisecond", "1000000"),
    c("Second", "1000000000"),
    c("Minute", "60000000000"),
    c("Hour", "3600000000000"),
    f("Duration", &[STR], B, |a| {
        parse_duration(arg_str(a, 0)?)
            .map(|_| Val::Bool(true))
            .map_err(BuiltinError::Call)
    }),
    f("FormatDuration", &[INT], STR, |a| {
        Ok(Val::str(format_duration(arg_int(a, 0)?)))
    }),
    f("ParseDuration", &[STR], INT, |a| {
        parse_duration(arg_str(a, 0)?)
            .map(Val::int)
            .map_err(BuiltinError::Call)
    }),
    c("ANSIC", "\"Mon Jan _2 15:04:05 2006\""),
    c("UnixDate", "\"Mon Jan _2 15:04:05 MST 2006\""),
    c("RubyDate", "\"Mon Jan 02 15:04:05 -0700 2006\""),
    c("RFC822", "\"02 Jan 06 15:04 MST\""),
    c("RFC822Z", "\"02 Jan 06 15:04 -0700\""),
    c("RFC850", "\"Monday, 02-Jan-06 15:04:05 MST\""),
    c("RFC1123", "\"Mon, 02 Jan 2006 15:04:05 MST\""),
    c("RFC1123Z", "\"Mon, 02 Jan 2006 15:04:05 -0700\""),
    c("RFC3339", "\"2006-01-02T15:04:05Z07:00\""),
    c("RFC3339Nano", "\"2006-01-02T15:04:05.999999999Z07:00\""),
    c("RFC3339Date", "\"2006-01-02\""),
    c("Kitchen", "\"3:04PM\""),
    c("Kitchen24", "\"15:04\""),
    c("January", "1"),
    c("February", "2"),
    c("March", "3"),
    c("April", "4"),
    c("May", "5"),
    c("June", "6"),
    c("July", "7"),
    c("August", "8"),
    c("September", "9"),
    c("October", "10"),
    c("November", "11"),
    c("December", "12"),
    c("Sunday", "0"),
    c("Monday", "1"),
    c("Tuesday", "2"),
    c("Wednesday", "3"),
    c("Thursday", "4"),
    c("Friday", "5"),
    c("Saturday", "6"),
    f("Time", &[STR], B, |a| {
        let v = arg_str(a, 0)?;
        parse(RFC3339_NANO, v)
            .map(|_| Val::Bool(true))
            .map_err(|_| invalid_time(v))
    }),
    f("Format", &[STR, STR], B, |a| {
        let v = arg_str(a, 0)?;
        parse(arg_str(a, 1)?, v)
            .map(|_| Val::Bool(true))
            .map_err(|_| invalid_time(v))
    }),
    f("FormatString", &[STR, STR], STR, |a| {
        let t = parse(RFC3339_NANO, arg_str(a, 1)?).map_err(BuiltinError::Call)?;
        Ok(Val::str(format(&t, arg_str(a, 0)?)))
    }),
    f("Parse", &[STR, STR], STR, |a| {
        let t = parse(arg_str(a, 0)?, arg_str(a, 1)?).map_err(BuiltinError::Call)?;
        Ok(Val::str(format(&t.to_utc(), RFC3339_NANO)))
    }),
    f("Unix", &[INT, INT], STR, |a| {
        let (sec, nsec) = (arg_int(a, 0)?, arg_int(a, 1)?);
        let total = i128::from(sec) * 1_000_000_000 + i128::from(nsec);
        let t = Time::from_unix_nanos(total);
        Ok(Val::str(format(&t, RFC3339_NANO)))
    }),
    f("ToUnix", &[STR], INT, |a| {
        let t = parse(RFC3339_NANO, arg_str(a, 0)?).map_err(BuiltinError::Call)?;
        Ok(Val::int(t.unix_seconds()))
    }),
    f("ToUnixNano", &[STR], INT, |a| {
        let t = parse(RFC3339_NANO, arg_str(a, 0)?).map_err(BuiltinError::Call)?;
        let n = i128::from(t.unix_seconds()) * 1_000_000_000 + i128::from(t.nsec);
        Ok(Val::int(i64::try_from(n).unwrap_or(if n < 0 {
            i64::MIN
        } else {
            i64::MAX
        })))
    }),
    f("Split", &[STR], Kind::STRUCT, |a| {
        let t = parse(RFC3339_NANO, arg_str(a, 0)?).map_err(BuiltinError::Call)?;
        let l = t.local_fields();
        Ok(Val::Struct(vec![
            ("year".into(), Val::int(l.year)),
            ("month".into(), Val::int(l.month)),
            ("day".into(), Val::int(l.day)),
            ("hour".into(), Val::int(l.hour)),
            ("minute".into(), Val::int(l.minute)),
            ("second".into(), Val::int(l.second)),
            ("nanosecond".into(), Val::int(i64::from(t.nsec))),
        ]))
    }),
];

fn invalid_time(v: &str) -> BuiltinError {
    BuiltinError::Call(format!(
        "invalid time {}",
        super::strconv::quote(v, '"', false)
    ))
}

/// Go's quoting in time errors.
fn q(s: &str) -> String {
    super::strconv::quote(s, '"', false)
}

/// An instant: seconds since the epoch (UTC), nanoseconds, and the zone it is shown in.
#[derive(Clone, Debug)]
struct Time {
    secs: i64,
    nsec: u32,
    offset: i64,
    /// `None` for UTC, otherwise a fixed zone (named or unnamed).
    zone: Option<String>,
}

struct Fields {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    yday: i64,
    wday: i64,
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in(m: i64, y: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Time {
    fn from_unix_nanos(n: i128) -> Time {
        let secs = n.div_euclid(1_000_000_000) as i64;
        let nsec = n.rem_euclid(1_000_000_000) as u32;
        Time {
            secs,
            nsec,
            offset: 0,
            zone: None,
        }
    }

    fn unix_seconds(&self) -> i64 {
        self.secs
    }

    fn to_utc(&self) -> Time {
        Time {
            offset: 0,
            zone: None,
            ..self.clone()
        }
    }

    fn local_fields(&self) -> Fields {
        let local = self.secs + self.offset;
        let days = local.div_euclid(86_400);
        let rem = local.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Fields {
            year,
            month,
            day,
            hour: rem / 3600,
            minute: rem % 3600 / 60,
            second: rem % 60,
            yday: days - days_from_civil(year, 1, 1) + 1,
            wday: (days + 4).rem_euclid(7),
        }
    }
}

const LONG_DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const LONG_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A layout element (Go's `std` chunks).
#[derive(Clone, Copy, PartialEq, Debug)]
enum Std {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    Tz,
    Iso8601Tz,
    Iso8601SecondsTz,
    Iso8601ShortTz,
    Iso8601ColonTz,
    Iso8601ColonSecondsTz,
    NumTz,
    NumSecondsTz,
    NumShortTz,
    NumColonTz,
    NumColonSecondsTz,
    /// Fractional seconds: digits count, and whether trailing zeros are trimmed (`9`s).
    Frac(usize, bool, u8),
}

/// Go's `nextStdChunk`: (prefix, element, element text, suffix).
fn next_chunk(layout: &str) -> (&str, Option<(Std, &str)>, &str) {
    let b = layout.as_bytes();
    let has = |i: usize, s: &str| layout[i..].starts_with(s);
    for i in 0..b.len() {
        let found: Option<(Std, usize)> = match b[i] {
            b'J' if has(i, "January") => Some((Std::LongMonth, 7)),
            b'J' if has(i, "Jan") => Some((Std::Month, 3)),
            b'M' if has(i, "Monday") => Some((Std::LongWeekDay, 6)),
            b'M' if has(i, "Mon") => Some((Std::WeekDay, 3)),
            b'M' if has(i, "MST") => Some((Std::Tz, 3)),
            b'0' if b.get(i + 1).is_some_and(|c| (b'1'..=b'6').contains(c)) => Some((
                match b[i + 1] {
                    b'1' => Std::ZeroMonth,
                    b'2' => Std::ZeroDay,
                    b'3' => Std::ZeroHour12,
                    b'4' => Std::ZeroMinute,
                    b'5' => Std::ZeroSecond,
                    _ => Std::Year,
                },
                2,
            )),
            b'0' if has(i, "002") => Some((Std::ZeroYearDay, 3)),
            b'1' if has(i, "15") => Some((Std::Hour, 2)),
            b'1' => Some((Std::NumMonth, 1)),
            b'2' if has(i, "2006") => Some((Std::LongYear, 4)),
            b'2' => Some((Std::Day, 1)),
            b'_' if has(i, "_2") && !has(i, "_2006") => Some((Std::UnderDay, 2)),
            b'_' if has(i, "__2") => Some((Std::UnderYearDay, 3)),
            b'3' => Some((Std::Hour12, 1)),
            b'4' => Some((Std::Minute, 1)),
            b'5' => Some((Std::Second, 1)),
            b'P' if has(i, "PM") => Some((Std::PM, 2)),
            b'p' if has(i, "pm") => Some((Std::Pm, 2)),
            b'-' if has(i, "-070000") => Some((Std::NumSecondsTz, 7)),
            b'-' if has(i, "-07:00:00") => Some((Std::NumColonSecondsTz, 9)),
            b'-' if has(i, "-0700") => Some((Std::NumTz, 5)),
            b'-' if has(i, "-07:00") => Some((Std::NumColonTz, 6)),
            b'-' if has(i, "-07") => Some((Std::NumShortTz, 3)),
            b'Z' if has(i, "Z070000") => Some((Std::Iso8601SecondsTz, 7)),
            b'Z' if has(i, "Z07:00:00") => Some((Std::Iso8601ColonSecondsTz, 9)),
            b'Z' if has(i, "Z0700") => Some((Std::Iso8601Tz, 5)),
            b'Z' if has(i, "Z07:00") => Some((Std::Iso8601ColonTz, 6)),
            b'Z' if has(i, "Z07") => Some((Std::Iso8601ShortTz, 3)),
            b'.' | b',' if matches!(b.get(i + 1), Some(b'0' | b'9')) => {
                let ch = b[i + 1];
                let mut j = i + 1;
                while j < b.len() && b[j] == ch {
                    j += 1;
                }
                if j < b.len() && b[j].is_ascii_digit() {
                    None
                } else {
                    Some((Std::Frac(j - i - 1, ch == b'9', b[i]), j - i))
                }
            }
            _ => None,
        };
        if let Some((std, n)) = found {
            return (
                &layout[..i],
                Some((std, &layout[i..i + n])),
                &layout[i + n..],
            );
        }
    }
    (layout, None, "")
}

fn format(t: &Time, layout: &str) -> String {
    let l = t.local_fields();
    let mut out = String::new();
    let mut rest = layout;
    loop {
        let (prefix, chunk, suffix) = next_chunk(rest);
        out.push_str(prefix);
        let Some((std, _)) = chunk else { break };
        rest = suffix;
        let h12 = if l.hour % 12 == 0 { 12 } else { l.hour % 12 };
        let s = match std {
            Std::LongMonth => LONG_MONTHS[(l.month - 1) as usize].to_string(),
            Std::Month => LONG_MONTHS[(l.month - 1) as usize][..3].to_string(),
            Std::NumMonth => l.month.to_string(),
            Std::ZeroMonth => format!("{:02}", l.month),
            Std::LongWeekDay => LONG_DAYS[l.wday as usize].to_string(),
            Std::WeekDay => LONG_DAYS[l.wday as usize][..3].to_string(),
            Std::Day => l.day.to_string(),
            Std::UnderDay => format!("{:>2}", l.day),
            Std::ZeroDay => format!("{:02}", l.day),
            Std::UnderYearDay => format!("{:>3}", l.yday),
            Std::ZeroYearDay => format!("{:03}", l.yday),
            Std::Hour => format!("{:02}", l.hour),
            Std::Hour12 => h12.to_string(),
            Std::ZeroHour12 => format!("{h12:02}"),
            Std::Minute => l.minute.to_string(),
            Std::ZeroMinute => format!("{:02}", l.minute),
            Std::Second => l.second.to_string(),
            Std::ZeroSecond => format!("{:02}", l.second),
            Std::LongYear => {
                if l.year < 0 {
                    format!("-{:04}", -l.year)
                } else {
                    format!("{:04}", l.year)
                }
            }
            Std::Year => format!("{:02}", l.year.rem_euclid(100)),
            Std::PM => (if l.hour >= 12 { "PM" } else { "AM" }).to_string(),
            Std::Pm => (if l.hour >= 12 { "pm" } else { "am" }).to_string(),
            Std::Tz => match &t.zone {
                None => "UTC".to_string(),
                Some(name) if !name.is_empty() => name.clone(),
                Some(_) => zone_text(t.offset, false, false, true),
            },
            Std::Iso8601Tz
            | Std::Iso8601ColonTz
            | Std::Iso8601SecondsTz
            | Std::Iso8601ShortTz
            | Std::Iso8601ColonSecondsTz
                if t.offset == 0 =>
            {
                "Z".to_string()
            }
            Std::Iso8601Tz | Std::NumTz => zone_text(t.offset, false, false, false),
            Std::Iso8601ColonTz | Std::NumColonTz => zone_text(t.offset, true, false, false),
            Std::Iso8601SecondsTz | Std::NumSecondsTz => zone_text(t.offset, false, true, false),
            Std::Iso8601ColonSecondsTz | Std::NumColonSecondsTz => {
                zone_text(t.offset, true, true, false)
            }
            Std::Iso8601ShortTz | Std::NumShortTz => {
                let sign = if t.offset < 0 { '-' } else { '+' };
                format!("{sign}{:02}", t.offset.abs() / 3600)
            }
            Std::Frac(n, trim, sep) => {
                let digits = format!("{:09}", t.nsec);
                let d = &digits[..n.min(9)];
                let d = if trim { d.trim_end_matches('0') } else { d };
                if d.is_empty() {
                    String::new()
                } else {
                    format!("{}{d}", char::from(sep))
                }
            }
        };
        out.push_str(&s);
    }
    out
}

fn zone_text(offset: i64, colon: bool, seconds: bool, mst: bool) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    let o = offset.abs();
    let (h, m, s) = (o / 3600, o % 3600 / 60, o % 60);
    let sep = if colon { ":" } else { "" };
    let mut out = format!("{sign}{h:02}{sep}{m:02}");
    if seconds {
        out.push_str(&format!("{sep}{s:02}"));
    }
    if mst && m == 0 {
        out = format!("{sign}{h:02}");
    }
    out
}

/// Up to `max` leading digits of `s` with at least `min`.
fn take_num(s: &str, fixed: bool) -> Option<(i64, &str)> {
    let b = s.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if !b.get(1).is_some_and(u8::is_ascii_digit) {
        if fixed {
            return None;
        }
        return Some((i64::from(b[0] - b'0'), &s[1..]));
    }
    Some((
        i64::from(b[0] - b'0') * 10 + i64::from(b[1] - b'0'),
        &s[2..],
    ))
}

/// Go's `time.ParseInLocation(layout, value, UTC)`.
fn parse(layout: &str, value: &str) -> Result<Time, String> {
    let (alayout, avalue) = (layout, value);
    let cannot = |lay_elem: &str, val_elem: &str| {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            q(avalue),
            q(alayout),
            q(val_elem),
            q(lay_elem)
        )
    };
    let (mut year, mut month, mut day, mut yday) = (0i64, -1i64, -1i64, -1i64);
    let (mut hour, mut min, mut sec, mut nsec) = (0i64, 0i64, 0i64, 0i64);
    let (mut pm_set, mut am_set) = (false, false);
    let mut zone_offset: Option<i64> = None;
    let mut zone_name: Option<String> = None;
    let mut layout = layout;
    let mut value = value;
    loop {
        let (prefix, chunk, suffix) = next_chunk(layout);
        let trimmed_prefix = prefix;
        if !value.starts_with(trimmed_prefix) {
            return Err(cannot(prefix, value));
        }
        value = &value[prefix.len()..];
        let Some((std, std_str)) = chunk else {
            if !value.is_empty() {
                return Err(format!(
                    "parsing time {}: extra text: {}",
                    q(avalue),
                    q(value)
                ));
            }
            break;
        };
        layout = suffix;
        let hold = value;
        let mut range_err = "";
        let ok: Option<()> = (|| {
            match std {
                Std::Year => {
                    let (y, rest) = take_num(value, true)?;
                    value = rest;
                    year = if y >= 69 { y + 1900 } else { y + 2000 };
                }
                Std::LongYear => {
                    if value.len() < 4 || !value.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
                        return None;
                    }
                    year = value[..4].parse().ok()?;
                    value = &value[4..];
                }
                Std::Month | Std::LongMonth => {
                    let names: Vec<String> = LONG_MONTHS
                        .iter()
                        .map(|m| {
                            if std == Std::Month {
                                m[..3].to_string()
                            } else {
                                m.to_string()
                            }
                        })
                        .collect();
                    let i = names.iter().position(|n| {
                        value.len() >= n.len() && value[..n.len()].eq_ignore_ascii_case(n)
                    })?;
                    month = i as i64 + 1;
                    value = &value[names[i].len()..];
                }
                Std::NumMonth | Std::ZeroMonth => {
                    let (m, rest) = take_num(value, std == Std::ZeroMonth)?;
                    value = rest;
                    month = m;
                    if m <= 0 || m > 12 {
                        range_err = "month";
                    }
                }
                Std::WeekDay | Std::LongWeekDay => {
                    let i = LONG_DAYS.iter().position(|d| {
                        let n = if std == Std::WeekDay { &d[..3] } else { d };
                        value.len() >= n.len() && value[..n.len()].eq_ignore_ascii_case(n)
                    })?;
                    let n = if std == Std::WeekDay {
                        3
                    } else {
                        LONG_DAYS[i].len()
                    };
                    value = &value[n..];
                }
                Std::Day | Std::UnderDay | Std::ZeroDay => {
                    if std == Std::UnderDay && value.starts_with(' ') {
                        value = &value[1..];
                    }
                    let (d, rest) = take_num(value, std == Std::ZeroDay)?;
                    value = rest;
                    day = d;
                }
                Std::UnderYearDay | Std::ZeroYearDay => {
                    let mut v = value;
                    if std == Std::UnderYearDay {
                        v = v.trim_start_matches(' ');
                    }
                    let n = v.bytes().take(3).take_while(u8::is_ascii_digit).count();
                    if n == 0 || (std == Std::ZeroYearDay && n < 3) {
                        return None;
                    }
                    yday = v[..n].parse().ok()?;
                    value = &v[n..];
                    if !(1..=366).contains(&yday) {
                        range_err = "day-of-year";
                    }
                }
                Std::Hour => {
                    let (h, rest) = take_num(value, false)?;
                    value = rest;
                    hour = h;
                    if !(0..24).contains(&h) {
                        range_err = "hour";
                    }
                }
                Std::Hour12 | Std::ZeroHour12 => {
                    let (h, rest) = take_num(value, std == Std::ZeroHour12)?;
                    value = rest;
                    hour = h;
                    if !(0..=12).contains(&h) {
                        range_err = "hour";
                    }
                }
                Std::Minute | Std::ZeroMinute => {
                    let (m, rest) = take_num(value, std == Std::ZeroMinute)?;
                    value = rest;
                    min = m;
                    if !(0..60).contains(&m) {
                        range_err = "minute";
                    }
                }
                Std::Second | Std::ZeroSecond => {
                    let (s, rest) = take_num(value, std == Std::ZeroSecond)?;
                    value = rest;
                    sec = s;
                    if !(0..60).contains(&s) {
                        range_err = "second";
                        return Some(());
                    }
                    // A fraction in the value without one in the layout is still accepted.
                    let vb = value.as_bytes();
                    if vb.len() >= 2 && matches!(vb[0], b'.' | b',') && vb[1].is_ascii_digit() {
                        let (_, next, _) = next_chunk(layout);
                        if !matches!(next, Some((Std::Frac(..), _))) {
                            let n = 1 + vb[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                            nsec = frac_nanos(&value[1..n]);
                            value = &value[n..];
                        }
                    }
                }
                Std::PM | Std::Pm => {
                    if value.len() < 2 {
                        return None;
                    }
                    let p = &value[..2];
                    match (std, p) {
                        (Std::PM, "PM") | (Std::Pm, "pm") => pm_set = true,
                        (Std::PM, "AM") | (Std::Pm, "am") => am_set = true,
                        _ => return None,
                    }
                    value = &value[2..];
                }
                Std::Iso8601Tz
                | Std::Iso8601ColonTz
                | Std::Iso8601SecondsTz
                | Std::Iso8601ShortTz
                | Std::Iso8601ColonSecondsTz
                    if value.starts_with('Z') =>
                {
                    value = &value[1..];
                    zone_offset = Some(0);
                    zone_name = None;
                }
                Std::Iso8601Tz
                | Std::Iso8601ColonTz
                | Std::Iso8601SecondsTz
                | Std::Iso8601ShortTz
                | Std::Iso8601ColonSecondsTz
                | Std::NumTz
                | Std::NumShortTz
                | Std::NumColonTz
                | Std::NumSecondsTz
                | Std::NumColonSecondsTz => {
                    let colon = matches!(
                        std,
                        Std::Iso8601ColonTz
                            | Std::NumColonTz
                            | Std::Iso8601ColonSecondsTz
                            | Std::NumColonSecondsTz
                    );
                    let short = matches!(std, Std::Iso8601ShortTz | Std::NumShortTz);
                    let secs = matches!(
                        std,
                        Std::Iso8601SecondsTz
                            | Std::NumSecondsTz
                            | Std::Iso8601ColonSecondsTz
                            | Std::NumColonSecondsTz
                    );
                    let vb = value.as_bytes();
                    let sign = match vb.first()? {
                        b'+' => 1,
                        b'-' => -1,
                        _ => return None,
                    };
                    let mut p = 1;
                    let two = |p: usize| -> Option<i64> {
                        let d = vb.get(p..p + 2)?;
                        if d.iter().all(u8::is_ascii_digit) {
                            Some(i64::from(d[0] - b'0') * 10 + i64::from(d[1] - b'0'))
                        } else {
                            None
                        }
                    };
                    let hh = two(p)?;
                    p += 2;
                    let mut mm = 0;
                    let mut ss = 0;
                    if !short {
                        if colon {
                            if vb.get(p) != Some(&b':') {
                                return None;
                            }
                            p += 1;
                        }
                        mm = two(p)?;
                        p += 2;
                        if secs {
                            if colon {
                                if vb.get(p) != Some(&b':') {
                                    return None;
                                }
                                p += 1;
                            }
                            ss = two(p)?;
                            p += 2;
                        }
                    }
                    if hh > 24 || mm >= 60 || ss >= 60 {
                        range_err = "time zone offset";
                    }
                    zone_offset = Some(sign * (hh * 3600 + mm * 60 + ss));
                    zone_name = Some(String::new());
                    value = &value[p..];
                }
                Std::Tz => {
                    if value.starts_with("UTC") {
                        value = &value[3..];
                        zone_offset = Some(0);
                        zone_name = None;
                    } else {
                        let n = value.bytes().take_while(u8::is_ascii_uppercase).count();
                        if !(3..=5).contains(&n) {
                            return None;
                        }
                        zone_name = Some(value[..n].to_string());
                        zone_offset = Some(0);
                        value = &value[n..];
                    }
                }
                Std::Frac(n, trim, _) => {
                    let vb = value.as_bytes();
                    if trim {
                        if vb.len() < 2 || !matches!(vb[0], b'.' | b',') || !vb[1].is_ascii_digit()
                        {
                            return Some(());
                        }
                        let k = 1 + vb[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                        nsec = frac_nanos(&value[1..k]);
                        value = &value[k..];
                    } else {
                        if vb.len() < n + 1 || !matches!(vb[0], b'.' | b',') {
                            return None;
                        }
                        if !vb[1..=n].iter().all(u8::is_ascii_digit) {
                            return None;
                        }
                        nsec = frac_nanos(&value[1..=n]);
                        value = &value[n + 1..];
                    }
                }
            }
            Some(())
        })();
        if !range_err.is_empty() {
            return Err(format!(
                "parsing time {}: {range_err} out of range",
                q(avalue)
            ));
        }
        if ok.is_none() {
            return Err(cannot(std_str, hold));
        }
    }
    if pm_set && hour < 12 {
        hour += 12;
    } else if am_set && hour == 12 {
        hour = 0;
    }
    if yday >= 0 {
        let (mut m, mut d) = (1, yday);
        while m <= 12 && d > days_in(m, year) {
            d -= days_in(m, year);
            m += 1;
        }
        if m > 12 || (month >= 0 && month != m) || (day >= 0 && day != d) {
            return Err(format!(
                "parsing time {}: day-of-year does not match month or day",
                q(avalue)
            ));
        }
        month = m;
        day = d;
    } else {
        if month < 0 {
            month = 1;
        }
        if day < 0 {
            day = 1;
        }
    }
    if day < 1 || day > days_in(month, year) {
        return Err(format!("parsing time {}: day out of range", q(avalue)));
    }
    let offset = zone_offset.unwrap_or(0);
    let local = days_from_civil(year, month, day) * 86_400 + hour * 3600 + min * 60 + sec;
    Ok(Time {
        secs: local - offset,
        nsec: nsec as u32,
        offset,
        zone: if zone_offset.is_some() && offset != 0 {
            zone_name.or(Some(String::new()))
        } else {
            zone_name.filter(|n| !n.is_empty())
        },
    })
}

fn frac_nanos(digits: &str) -> i64 {
    let mut d: String = digits.chars().take(9).collect();
    while d.len() < 9 {
        d.push('0');
    }
    d.parse().unwrap_or(0)
}

/// Go's `time.ParseDuration`.
fn parse_duration(s: &str) -> Result<i64, String> {
    let orig = s;
    let err = || format!("time: invalid duration {}", q(orig));
    let mut s = s;
    let mut neg = false;
    if let Some(c) = s.chars().next() {
        if c == '-' || c == '+' {
            neg = c == '-';
            s = &s[1..];
        }
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(err());
    }
    let mut total: u128 = 0;
    while !s.is_empty() {
        let b = s.as_bytes();
        if !(b[0] == b'.' || b[0].is_ascii_digit()) {
            return Err(err());
        }
        let int_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let int_part: u128 = if int_len > 0 {
            s[..int_len].parse().map_err(|_| err())?
        } else {
            0
        };
        s = &s[int_len..];
        let mut frac = "";
        if s.starts_with('.') {
            s = &s[1..];
            let n = s.bytes().take_while(u8::is_ascii_digit).count();
            frac = &s[..n];
            s = &s[n..];
            if int_len == 0 && n == 0 {
                return Err(err());
            }
        }
        let unit_len = s
            .bytes()
            .take_while(|c| !(*c == b'.' || c.is_ascii_digit()))
            .count();
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {}", q(orig)));
        }
        let unit = &s[..unit_len];
        s = &s[unit_len..];
        let mult: u128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    q(unit),
                    q(orig)
                ))
            }
        };
        let mut v = int_part.checked_mul(mult).ok_or_else(err)?;
        if !frac.is_empty() {
            let mut scale = 1u128;
            let mut fv = 0u128;
            for c in frac.bytes().take(30) {
                fv = fv * 10 + u128::from(c - b'0');
                scale *= 10;
            }
            v += fv * mult / scale;
        }
        total = total.checked_add(v).ok_or_else(err)?;
        if total > (1u128 << 63) {
            return Err(err());
        }
    }
    if !neg && total > i64::MAX as u128 {
        return Err(err());
    }
    let t = total as i128;
    Ok((if neg { -t } else { t }) as i64)
}

/// Go's `time.Duration.String`.
fn format_duration(d: i64) -> String {
    if d == 0 {
        return "0s".into();
    }
    let neg = d < 0;
    let u = d.unsigned_abs();
    let sign = if neg { "-" } else { "" };
    let frac = |v: u64, digits: u32| -> String {
        let p = 10u64.pow(digits);
        let (w, f) = (v / p, v % p);
        if f == 0 {
            w.to_string()
        } else {
            let fs = format!("{f:0width$}", width = digits as usize);
            format!("{w}.{}", fs.trim_end_matches('0'))
        }
    };
    if u < 1_000_000_000 {
        let (v, unit) = if u < 1_000 {
            (u.to_string(), "ns")
        } else if u < 1_000_000 {
            (frac(u, 3), "µs")
        } else {
            (frac(u, 6), "ms")
        };
        return format!("{sign}{v}{unit}");
    }
    let secs_total = u / 1_000_000_000;
    let nanos = u % 1_000_000_000;
    let h = secs_total / 3600;
    let m = secs_total % 3600 / 60;
    let s = secs_total % 60;
    let sec_text = frac(s * 1_000_000_000 + nanos, 9);
    let mut out = String::from(sign);
    if h > 0 {
        out.push_str(&format!("{h}h{m}m"));
    } else if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    out.push_str(&format!("{sec_text}s"));
    out
}

#[cfg(test)]
mod tests {
    use super::super::{call, lookup};
    use super::*;

    fn run(name: &str, args: &[Val]) -> String {
        let b = lookup("time", name).expect("builtin exists");
        match call(b, args) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }
    fn s(x: &str) -> Val {
        Val::str(x)
    }

    #[test]
    fn parse_and_format() {
        assert_eq!(run("ToUnix", &[s("2019-01-02T15:04:05Z")]), "1546441445");
        assert_eq!(
            run("ToUnix", &[s("2019-01-02T15:04:05+01:00")]),
            "1546437845"
        );
        assert_eq!(
            run("ToUnixNano", &[s("2019-01-02T15:04:05.5Z")]),
            "1546441445500000000"
        );
        assert_eq!(run("ToUnix", &[s("2019-01-02T15:04:05")]),
            "ERR parsing time \"2019-01-02T15:04:05\" as \"2006-01-02T15:04:05.999999999Z07:00\": cannot parse \"\" as \"Z07:00\"");
        assert_eq!(
            run("ToUnix", &[s("2019-01-02T15:04:61Z")]),
            "ERR parsing time \"2019-01-02T15:04:61Z\": second out of range"
        );
        assert_eq!(run("ToUnixNano", &[s("not a time")]),
            "ERR parsing time \"not a time\" as \"2006-01-02T15:04:05.999999999Z07:00\": cannot parse \"not a time\" as \"2006\"");
        assert_eq!(
            run("Unix", &[Val::int(1546441445), Val::int(500)]),
            "\"2019-01-02T15:04:05.0000005Z\""
        );
        assert_eq!(
            run("Parse", &[s("2006-01-02 15:04"), s("2021-03-04 05:06")]),
            "\"2021-03-04T05:06:00Z\""
        );
        assert_eq!(
            run(
                "FormatString",
                &[s("Mon Jan _2 15:04:05 2006"), s("2021-03-04T05:06:07Z")]
            ),
            "\"Thu Mar  4 05:06:07 2021\""
        );
        assert_eq!(
            run("FormatString", &[s("3:04PM"), s("2021-03-04T15:06:07Z")]),
            "\"3:06PM\""
        );
        assert_eq!(
            run(
                "Parse",
                &[s("02 Jan 06 15:04 MST"), s("04 Mar 21 05:06 PST")]
            ),
            "\"2021-03-04T05:06:00Z\""
        );
        // Reference outputs (cue-ref).
        assert_eq!(
            run(
                "Format",
                &[
                    s("Mon, 02 Jan 2006 15:04:05 -0700"),
                    s("Mon, 02 Jan 2006 15:04:05 -0700")
                ]
            ),
            "true"
        );
        assert_eq!(
            run(
                "Parse",
                &[
                    s("Mon, 02 Jan 2006 15:04:05 -0700"),
                    s("Thu, 04 Mar 2021 05:06:07 +0130")
                ]
            ),
            "\"2021-03-04T03:36:07Z\""
        );
        assert_eq!(
            run(
                "Parse",
                &[s(RFC3339_NANO), s("2021-03-04T05:06:07.123456789-02:00")]
            ),
            "\"2021-03-04T07:06:07.123456789Z\""
        );
        assert_eq!(
            run("Parse", &[s("3:04PM"), s("3:04PM")]),
            "\"0000-01-01T15:04:00Z\""
        );
        assert_eq!(
            run("Unix", &[Val::int(-1), Val::int(0)]),
            "\"1969-12-31T23:59:59Z\""
        );
        assert_eq!(
            run("Parse", &[s("2006-01-02"), s("2021-13-01")]),
            "ERR parsing time \"2021-13-01\": month out of range"
        );
        assert_eq!(
            run("Parse", &[s("2006-01-02"), s("2021-02-30")]),
            "ERR parsing time \"2021-02-30\": day out of range"
        );
        assert_eq!(
            run("Parse", &[s("2006-01-02 extra"), s("2021-02-03 extrax")]),
            "ERR parsing time \"2021-02-03 extrax\": extra text: \"x\""
        );
        assert_eq!(
            run("Parse", &[s("Jan 2 2006"), s("mar 4 2021")]),
            "\"2021-03-04T00:00:00Z\""
        );
        assert_eq!(run("Time", &[s("no time")]), "ERR invalid time \"no time\"");
        assert_eq!(
            run("Time", &[s("2021-02-29T00:00:00Z")]),
            "ERR invalid time \"2021-02-29T00:00:00Z\""
        );
        assert_eq!(run("Format", &[s("2021-03-04"), s("2006-01-02")]), "true");
        assert_eq!(
            run("Split", &[s("2021-03-04T05:06:07.000000008Z")]),
            "{year:2021,month:3,day:4,hour:5,minute:6,second:7,nanosecond:8}"
        );
    }

    #[test]
    fn durations() {
        assert_eq!(run("ParseDuration", &[s("1h30m")]), "5400000000000");
        assert_eq!(run("ParseDuration", &[s("1.5s")]), "1500000000");
        assert_eq!(run("ParseDuration", &[s("-2ms")]), "-2000000");
        assert_eq!(
            run("ParseDuration", &[s("3x")]),
            "ERR time: unknown unit \"x\" in duration \"3x\""
        );
        assert_eq!(
            run("ParseDuration", &[s("3")]),
            "ERR time: missing unit in duration \"3\""
        );
        assert_eq!(run("Duration", &[s("")]), "ERR time: invalid duration \"\"");
        assert_eq!(
            run("FormatDuration", &[Val::int(5_400_000_000_000)]),
            "\"1h30m0s\""
        );
        assert_eq!(run("FormatDuration", &[Val::int(1_500_000)]), "\"1.5ms\"");
        assert_eq!(
            run("FormatDuration", &[Val::int(-61_000_000_000)]),
            "\"-1m1s\""
        );
        assert_eq!(run("FormatDuration", &[Val::int(0)]), "\"0s\"");
    }
}
