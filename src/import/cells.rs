//! Cleaning and converting single cells. Every function is pure and returns the message of
//! a [`super::RowError`] on failure, so the parsers only add the file, line and column.
//!
//! | written in the file | becomes |
//! |---|---|
//! | `="756842787424319996"` (Excel-safe number) | `756842787424319996` |
//! | `'13812345678` (Excel-safe phone) | `13812345678` |
//! | `34.00`, `¥34.00` | `3400` cents, via [`parse_cents`], never a float |
//! | `1,234.50` (JD, Pinduoduo, Douyin only: [`grouped_money`]) | `123450` cents |
//! | `2026-11-20 10:15:00`, `2026/11/20 9:05` | `2026-11-20T10:15:00+08:00` (the file's zone) |
//! | `2026-11-20 10:15:00 +0800` | `2026-11-20T10:15:00+08:00` (its own offset kept) |
//! | `7.56843E+17` as an order number, phone, tracking number or barcode | an error: a spreadsheet rounded the number |

use crate::domain::parse_cents;

/// China Standard Time, the zone of Taobao's exports: +08:00 in minutes.
pub const CHINA_OFFSET_MINUTES: i32 = 8 * 60;

/// Trims a cell and unwraps Excel's `="…"` formula quoting.
pub fn clean(cell: &str) -> &str {
    let cell = cell.trim();
    match cell
        .strip_prefix("=\"")
        .and_then(|rest| rest.strip_suffix('"'))
    {
        Some(inner) => inner.trim(),
        None => cell,
    }
}

/// [`clean`], then drops the leading apostrophe spreadsheets use to keep a number as text
/// (`'13812345678`, `'310012`).
pub fn clean_number(cell: &str) -> &str {
    let cell = clean(cell);
    match cell.strip_prefix(['\'', '‘', '’']) {
        Some(rest) => rest.trim(),
        None => cell,
    }
}

pub use crate::domain::digits::{is_scientific, scientific_problem};

/// What to do about a number a spreadsheet rounded in an order export.
pub const EXPORT_ORDERS_AGAIN: &str =
    "export the orders again and import the exported file as it is";

/// A cell of digits that must stay exact (a phone, a tracking number): cleaned as
/// [`clean_number`], refused in scientific notation.
pub fn exact_number<'a>(what: &str, cell: &'a str) -> Result<&'a str, String> {
    let text = clean_number(cell);
    match scientific_problem(what, text, EXPORT_ORDERS_AGAIN) {
        Some(message) => Err(message),
        None => Ok(text),
    }
}

/// An order number. `digits_only` for platforms whose numbers are all digits (Taobao).
pub fn order_number(cell: &str, digits_only: bool) -> Result<&str, String> {
    let text = clean_number(cell);
    if text.is_empty() {
        return Err("the order number is empty".to_owned());
    }
    if let Some(message) = scientific_problem("order number", text, EXPORT_ORDERS_AGAIN) {
        return Err(message);
    }
    let valid = if digits_only {
        text.bytes().all(|b| b.is_ascii_digit())
    } else {
        !text.chars().any(char::is_whitespace)
    };
    if valid {
        Ok(text)
    } else if digits_only {
        Err(format!(
            "expected an order number of digits, found \"{text}\""
        ))
    } else {
        Err(format!(
            "expected an order number without spaces, found \"{text}\""
        ))
    }
}

/// A money amount in cents: `34.00`, `34`, `¥34.00`. Empty is an error, and so is a
/// negative amount (no price, payment, postage or refund in an export is one).
pub fn money(cell: &str) -> Result<i64, String> {
    let text = clean(cell);
    let amount = text.strip_prefix(['¥', '￥', '$']).unwrap_or(text);
    not_negative(parse_cents(amount), text)
}

fn not_negative(cents: Option<i64>, text: &str) -> Result<i64, String> {
    match cents {
        Some(cents) if cents >= 0 => Ok(cents),
        Some(_) => Err(format!(
            "expected an amount of 0 or more like 34.00, found \"{text}\""
        )),
        None => Err(format!("expected an amount like 34.00, found \"{text}\"")),
    }
}

/// [`money`] as the Chinese marketplaces' exports write amounts: also `1,234.50`, the
/// commas only between groups of three digits and the first group not starting with 0
/// (`1,20`, `0,500` and `1234,567` are refused, not read).
pub fn grouped_money(cell: &str) -> Result<i64, String> {
    let text = clean(cell);
    let amount = text.strip_prefix(['¥', '￥', '$']).unwrap_or(text);
    let cents = match without_thousands(amount) {
        Some(plain) => parse_cents(&plain),
        None => parse_cents(amount),
    };
    not_negative(cents, text)
}

/// [`grouped_money`], with an empty cell meaning 0.
pub fn grouped_money_or_zero(cell: &str) -> Result<i64, String> {
    if clean(cell).is_empty() {
        Ok(0)
    } else {
        grouped_money(cell)
    }
}

/// `1,234,567.80` without its thousands commas; `None` when the text has no comma or its
/// commas do not separate groups of three digits after a first group of one to three
/// digits that does not start with 0.
fn without_thousands(amount: &str) -> Option<String> {
    if !amount.contains(',') {
        return None;
    }
    let (whole, fraction) = match amount.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (amount, None),
    };
    let digits = whole.strip_prefix(['-', '+']).unwrap_or(whole);
    let mut groups = digits.split(',');
    let first = groups.next()?;
    let grouped = (1..=3).contains(&first.len())
        && !first.starts_with('0')
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    grouped.then(|| {
        let mut plain = whole.replace(',', "");
        if let Some(fraction) = fraction {
            plain.push('.');
            plain.push_str(fraction);
        }
        plain
    })
}

/// [`money`], with an empty cell meaning 0.
pub fn money_or_zero(cell: &str) -> Result<i64, String> {
    if clean(cell).is_empty() {
        Ok(0)
    } else {
        money(cell)
    }
}

/// A quantity of items: a whole number of at least 1.
pub fn quantity(cell: &str) -> Result<i64, String> {
    let text = clean(cell);
    match text.parse::<i64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "expected a whole number of items like 1, found \"{text}\""
        )),
    }
}

/// A date and time as ISO-8601 with offset. A text without an offset is in
/// `default_offset_minutes` (e.g. [`CHINA_OFFSET_MINUTES`] for Taobao); a text with one
/// keeps it. Accepts `yyyy-MM-dd HH:mm:ss`, `yyyy/M/d H:mm` (Excel), a `T` separator,
/// fractions of a second (dropped), a date alone (midnight), and an offset written `+0800`,
/// `+08:00` or `Z`.
pub fn datetime(cell: &str, default_offset_minutes: i32) -> Result<String, String> {
    let text = clean(cell);
    parse_datetime(text, default_offset_minutes).ok_or_else(|| {
        format!("expected a date and time like 2026-11-20 10:15:00, found \"{text}\"")
    })
}

/// [`datetime`], with an empty cell (or Taobao's `null`) meaning "none".
pub fn optional_datetime(
    cell: &str,
    default_offset_minutes: i32,
) -> Result<Option<String>, String> {
    let text = clean(cell);
    if text.is_empty() || text.eq_ignore_ascii_case("null") {
        Ok(None)
    } else {
        datetime(text, default_offset_minutes).map(Some)
    }
}

/// [`datetime`], also taking a date a spreadsheet re-saved in its own order, day and
/// month first (`20/11/2026 10:15`, `11/20/2026 10:15`, in `default_offset_minutes`)
/// when the order is plain: one of the two is above 12. When both could be the month
/// (`05/11/2026`) the cell is refused: guessing would move an order by months.
pub fn resaved_datetime(cell: &str, default_offset_minutes: i32) -> Result<String, String> {
    let text = clean(cell);
    if let Some(iso) = parse_datetime(text, default_offset_minutes) {
        return Ok(iso);
    }
    let expected =
        || format!("expected a date and time like 2026-11-20 10:15:00, found \"{text}\"");
    let (date, time) = text.split_once(' ').unwrap_or((text, ""));
    let parts: Vec<&str> = date.split('/').collect();
    let [a, b, year] = parts.as_slice() else {
        return Err(expected());
    };
    let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>()) else {
        return Err(expected());
    };
    if year.len() != 4 || !year.bytes().all(|c| c.is_ascii_digit()) {
        return Err(expected());
    }
    let (day, month) = match (a > 12, b > 12) {
        (true, false) => (a, b),
        (false, true) => (b, a),
        (false, false) => {
            return Err(format!(
                "the date \"{text}\" reads either day or month first (a spreadsheet re-saved \
                 the file in its own date order); export the orders again and import the \
                 exported file as it is"
            ));
        }
        (true, true) => return Err(expected()),
    };
    let iso = format!("{year}-{month:02}-{day:02} {}", time.trim());
    parse_datetime(iso.trim(), default_offset_minutes).ok_or_else(expected)
}

/// [`resaved_datetime`], with an empty cell meaning "none".
pub fn optional_resaved_datetime(
    cell: &str,
    default_offset_minutes: i32,
) -> Result<Option<String>, String> {
    let text = clean(cell);
    if text.is_empty() || text.eq_ignore_ascii_case("null") {
        Ok(None)
    } else {
        resaved_datetime(text, default_offset_minutes).map(Some)
    }
}

/// A small cursor over ASCII digits and separators, for the date parser.
struct Scan<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Scan<'_> {
    fn number(&mut self, min: usize, max: usize) -> Option<u32> {
        let start = self.at;
        while self.at < self.bytes.len()
            && self.at - start < max
            && self.bytes[self.at].is_ascii_digit()
        {
            self.at += 1;
        }
        if self.at - start < min {
            return None;
        }
        let mut value = 0u32;
        for &b in &self.bytes[start..self.at] {
            value = value * 10 + u32::from(b - b'0');
        }
        Some(value)
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.at += 1;
        }
    }
}

fn parse_datetime(text: &str, default_offset_minutes: i32) -> Option<String> {
    let mut scan = Scan {
        bytes: text.as_bytes(),
        at: 0,
    };
    let year = scan.number(4, 4)?;
    let separator = scan.peek()?;
    if separator != b'-' && separator != b'/' {
        return None;
    }
    scan.at += 1;
    let month = scan.number(1, 2)?;
    if !scan.eat(separator) {
        return None;
    }
    let day = scan.number(1, 2)?;
    let (mut hour, mut minute, mut second) = (0, 0, 0);
    if scan.eat(b'T') || scan.eat(b' ') {
        scan.skip_spaces();
        hour = scan.number(1, 2)?;
        if !scan.eat(b':') {
            return None;
        }
        minute = scan.number(2, 2)?;
        if scan.eat(b':') {
            second = scan.number(2, 2)?;
            if scan.eat(b'.') {
                scan.number(1, 9)?;
            }
        }
    }
    scan.skip_spaces();
    let offset = match scan.peek() {
        None => default_offset_minutes,
        Some(b'Z') => {
            scan.at += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            scan.at += 1;
            let hours = scan.number(2, 2)?;
            scan.eat(b':');
            let minutes = scan.number(2, 2)?;
            if hours > 14 || minutes > 59 {
                return None;
            }
            let total = (hours * 60 + minutes) as i32;
            if sign == b'-' { -total } else { total }
        }
        Some(_) => return None,
    };
    if scan.at != scan.bytes.len() {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(year as i32, month, day)?;
    chrono::NaiveTime::from_hms_opt(hour, minute, second)?;
    let sign = if offset < 0 { '-' } else { '+' };
    let offset = offset.unsigned_abs();
    // Written by hand: `format!` costs more than the parsing, 200,000 times per import.
    let mut iso = String::with_capacity(25);
    push_two_digits(&mut iso, year / 100);
    push_two_digits(&mut iso, year % 100);
    for (separator, value) in [
        ('-', month),
        ('-', day),
        ('T', hour),
        (':', minute),
        (':', second),
        (sign, offset / 60),
        (':', offset % 60),
    ] {
        iso.push(separator);
        push_two_digits(&mut iso, value);
    }
    Some(iso)
}

fn push_two_digits(out: &mut String, value: u32) {
    out.push(char::from(b'0' + (value / 10 % 10) as u8));
    out.push(char::from(b'0' + (value % 10) as u8));
}

/// Joins non-empty parts with a separator.
pub fn join_non_empty(parts: &[&str], separator: &str) -> String {
    let mut joined = String::new();
    for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        if !joined.is_empty() {
            joined.push_str(separator);
        }
        joined.push_str(part);
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning() {
        let cases: &[(&str, &str, &str)] = &[
            // (cell, clean, clean_number)
            (
                "=\"756842787424319996\"",
                "756842787424319996",
                "756842787424319996",
            ),
            (
                "  =\"756842787424319996\"\t",
                "756842787424319996",
                "756842787424319996",
            ),
            ("'13812345678", "'13812345678", "13812345678"),
            ("=\"'13812345678\"", "'13812345678", "13812345678"),
            ("\u{3000}张三 ", "张三", "张三"),
            ("", "", ""),
            ("=\"\"", "", ""),
            ("=SUM(A1)", "=SUM(A1)", "=SUM(A1)"),
            ("0571-88886666", "0571-88886666", "0571-88886666"),
        ];
        for (cell, cleaned, number) in cases {
            assert_eq!(clean(cell), *cleaned, "clean({cell:?})");
            assert_eq!(clean_number(cell), *number, "clean_number({cell:?})");
        }
    }

    #[test]
    fn order_numbers() {
        let ok: &[(&str, bool, &str)] = &[
            ("=\"756842787424319996\"", true, "756842787424319996"),
            ("7568427874243199961", true, "7568427874243199961"),
            ("'3391234567890123456", true, "3391234567890123456"),
            ("#1001", false, "#1001"),
            ("SO-2026-0001", false, "SO-2026-0001"),
        ];
        for (cell, digits, expected) in ok {
            assert_eq!(order_number(cell, *digits), Ok(*expected), "{cell:?}");
        }
        let scientific = [
            "7.56843E+17",
            "7.56843e+17",
            "=\"7.56843E+17\"",
            "7.5E17",
            "1E+18",
        ];
        for cell in scientific {
            assert!(is_scientific(clean(cell)), "{cell:?}");
            for digits in [true, false] {
                let Err(message) = order_number(cell, digits) else {
                    panic!("{cell:?} accepted");
                };
                assert!(message.contains("scientific notation"), "{message}");
                assert!(message.contains("re-saved by a spreadsheet"), "{message}");
            }
        }
        for not_scientific in ["756842787424319996", "E17", "7.5E", "7.5E+", "ABCE1"] {
            assert!(!is_scientific(not_scientific), "{not_scientific:?}");
        }
        assert_eq!(
            order_number("", true),
            Err("the order number is empty".to_owned())
        );
        assert_eq!(
            order_number("12 34", true),
            Err("expected an order number of digits, found \"12 34\"".to_owned())
        );
        assert!(order_number("SO 1", false).is_err());
    }

    #[test]
    fn amounts() {
        let cases: &[(&str, Result<i64, &str>)] = &[
            ("34.00", Ok(3400)),
            (" 34.5 ", Ok(3450)),
            ("=\"34.00\"", Ok(3400)),
            ("¥12.30", Ok(1230)),
            ("￥0.07", Ok(7)),
            ("0", Ok(0)),
            ("abc", Err("expected an amount like 34.00, found \"abc\"")),
            (
                "-29.00",
                Err("expected an amount of 0 or more like 34.00, found \"-29.00\""),
            ),
            ("-0.00", Ok(0)),
            ("", Err("expected an amount like 34.00, found \"\"")),
            (
                "1.234",
                Err("expected an amount like 34.00, found \"1.234\""),
            ),
            (
                "1,200.00",
                Err("expected an amount like 34.00, found \"1,200.00\""),
            ),
        ];
        for (cell, expected) in cases {
            assert_eq!(
                money(cell),
                expected.map_err(str::to_owned),
                "money({cell:?})"
            );
        }
        let grouped: &[(&str, Result<i64, &str>)] = &[
            ("1,200.00", Ok(120_000)),
            ("¥1,234,567.8", Ok(123_456_780)),
            (
                "-1,200",
                Err("expected an amount of 0 or more like 34.00, found \"-1,200\""),
            ),
            ("+1,200", Ok(120_000)),
            ("12,345", Ok(1_234_500)),
            ("34.00", Ok(3400)),
            ("1,20", Err("expected an amount like 34.00, found \"1,20\"")),
            (
                "0,500",
                Err("expected an amount like 34.00, found \"0,500\""),
            ),
            (
                "00,123",
                Err("expected an amount like 34.00, found \"00,123\""),
            ),
            (
                "1234,567",
                Err("expected an amount like 34.00, found \"1234,567\""),
            ),
            (",123", Err("expected an amount like 34.00, found \",123\"")),
            (
                "1,234.5,6",
                Err("expected an amount like 34.00, found \"1,234.5,6\""),
            ),
        ];
        for (cell, expected) in grouped {
            assert_eq!(
                grouped_money(cell),
                expected.map_err(str::to_owned),
                "grouped_money({cell:?})"
            );
        }
        assert_eq!(grouped_money_or_zero(" "), Ok(0));
        assert_eq!(money_or_zero(""), Ok(0));
        assert_eq!(money_or_zero(" "), Ok(0));
        assert_eq!(money_or_zero("5"), Ok(500));
        assert!(money_or_zero("x").is_err());
        let quantities: &[(&str, Option<i64>)] = &[
            ("1", Some(1)),
            (" 12 ", Some(12)),
            ("0", None),
            ("-1", None),
            ("1.5", None),
            ("", None),
        ];
        for (cell, expected) in quantities {
            assert_eq!(quantity(cell).ok(), *expected, "quantity({cell:?})");
        }
    }

    #[test]
    fn resaved_dates() {
        let china = CHINA_OFFSET_MINUTES;
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("20/11/2026 10:15", Ok("2026-11-20T10:15:00+08:00")),
            ("11/20/2026 10:15", Ok("2026-11-20T10:15:00+08:00")),
            ("20/11/2026", Ok("2026-11-20T00:00:00+08:00")),
            ("2026-11-20 10:15:00 -0500", Ok("2026-11-20T10:15:00-05:00")),
            ("05/11/2026 10:15", Err("reads either day or month first")),
            ("20/13/2026 10:15", Err("expected a date and time")),
            ("31/02/2026 10:15", Err("expected a date and time")),
            ("20/11/26 10:15", Err("expected a date and time")),
        ];
        for (cell, expected) in cases {
            match (resaved_datetime(cell, china), expected) {
                (Ok(iso), Ok(want)) => assert_eq!(iso, *want, "{cell}"),
                (Err(message), Err(want)) => assert!(message.contains(want), "{cell}: {message}"),
                (got, _) => panic!("{cell}: {got:?}"),
            }
        }
    }

    #[test]
    fn dates() {
        let china = CHINA_OFFSET_MINUTES;
        let cases: &[(&str, i32, Option<&str>)] = &[
            (
                "2026-11-20 10:15:00",
                china,
                Some("2026-11-20T10:15:00+08:00"),
            ),
            ("2026-11-20 10:15", china, Some("2026-11-20T10:15:00+08:00")),
            ("2026/11/20 9:05", china, Some("2026-11-20T09:05:00+08:00")),
            (
                "2026/1/2 23:59:59",
                china,
                Some("2026-01-02T23:59:59+08:00"),
            ),
            (
                "2026-11-20T10:15:00",
                china,
                Some("2026-11-20T10:15:00+08:00"),
            ),
            (
                "2026-11-20 10:15:00.250",
                china,
                Some("2026-11-20T10:15:00+08:00"),
            ),
            ("2026-11-20", china, Some("2026-11-20T00:00:00+08:00")),
            (
                "=\"2026-11-20 10:15:00\"",
                china,
                Some("2026-11-20T10:15:00+08:00"),
            ),
            (
                "2026-11-20 10:15:00 +0800",
                0,
                Some("2026-11-20T10:15:00+08:00"),
            ),
            (
                "2026-11-20 10:15:00 -0500",
                china,
                Some("2026-11-20T10:15:00-05:00"),
            ),
            (
                "2026-11-20T10:15:00+05:30",
                china,
                Some("2026-11-20T10:15:00+05:30"),
            ),
            (
                "2026-11-20T02:15:00Z",
                china,
                Some("2026-11-20T02:15:00+00:00"),
            ),
            (
                "2026-11-20 10:15:00",
                -300,
                Some("2026-11-20T10:15:00-05:00"),
            ),
            ("2026-02-30 10:15:00", china, None),
            ("2026-11-20 24:00:00", china, None),
            ("2026-11-20 10:15:00 +2500", china, None),
            ("20/11/2026 10:15", china, None),
            ("2026-11/20 10:15", china, None),
            ("2026-11-20 10:15:00 abc", china, None),
            ("yesterday", china, None),
            ("", china, None),
        ];
        for (cell, offset, expected) in cases {
            assert_eq!(
                datetime(cell, *offset).ok().as_deref(),
                *expected,
                "datetime({cell:?})"
            );
        }
        assert_eq!(
            datetime("abc", china),
            Err("expected a date and time like 2026-11-20 10:15:00, found \"abc\"".to_owned())
        );
        assert_eq!(optional_datetime("", china), Ok(None));
        assert_eq!(optional_datetime("null", china), Ok(None));
        assert_eq!(
            optional_datetime("2026-11-20 10:15:00", china),
            Ok(Some("2026-11-20T10:15:00+08:00".to_owned()))
        );
    }

    #[test]
    fn joining() {
        assert_eq!(join_non_empty(&["a", " ", "b "], " "), "a b");
        assert_eq!(join_non_empty(&[], " "), "");
    }
}
