//! The shop's rules, pure: no SQL, files, egui or PDF in here (a test keeps it so).
//!
//! Everything in this module is plain data and functions over it, so it can be tested by
//! tables of cases without a database or a window.

pub mod address;
pub mod after_sales;
pub mod backup;
pub mod demo;
pub mod digits;
pub mod inventory;
pub mod manual;
pub mod merge;
pub mod model;
pub mod operators;
pub mod order;
pub mod pack;
pub mod review;
pub mod search;
pub mod shipping;
pub mod stock;

pub use order::{
    Event, Flag, LogKind, OrderState, OrderStatus, PaymentStatus, Refusal, StockEffect, transition,
};
pub use stock::{SellableSettings, StockFigures};

/// Formats an amount in cents (fen) as yuan with two decimals, e.g. `12345` → `"123.45"`.
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Parses a money amount such as `34`, `34.5`, `34.00` or `-1.20` into cents, exactly
/// (no floating point). Returns `None` for anything else, including more than two decimals.
pub fn parse_cents(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, frac) = match digits.split_once('.') {
        Some((w, f)) => (w, f),
        None => (digits, ""),
    };
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if frac.len() > 2 {
        return None;
    }
    let whole_value: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let frac_value: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    let cents = whole_value.checked_mul(100)?.checked_add(frac_value)?;
    Some(if negative { -cents } else { cents })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_round_trips() {
        let cases: &[(&str, Option<i64>)] = &[
            ("34.00", Some(3400)),
            ("34", Some(3400)),
            ("34.5", Some(3450)),
            ("0.07", Some(7)),
            (".5", Some(50)),
            ("-1.20", Some(-120)),
            (" 12.34 ", Some(1234)),
            ("1.234", None),
            ("abc", None),
            ("", None),
            ("1,000.00", None),
            ("1e3", None),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_cents(input), *expected, "parse_cents({input:?})");
        }
        assert_eq!(format_cents(3400), "34.00");
        assert_eq!(format_cents(7), "0.07");
        assert_eq!(format_cents(-120), "-1.20");
    }
}
