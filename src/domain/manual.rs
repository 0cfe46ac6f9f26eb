//! Manual orders (手动下订单到款): the rules without a database. Their own number series
//! (`M` + date + sequence), cart lines as the command line and the cart import write them
//! (`CODE=QTY[@PRICE]`), payment methods and the remark a bank transfer leaves (the shop's
//! convention: green flag, bank and amount in the remark), and the checks a reshipment
//! (补发) needs.

use std::fmt;

use super::{format_cents, parse_cents};

/// The platform code of orders entered by hand.
pub const PLATFORM: &str = "manual";

/// The most of one product a manual line may hold.
pub const MAX_QUANTITY: i64 = 99_999;

/// How the buyer paid outside a marketplace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayMethod {
    Bank,
    Cash,
    Wechat,
    Alipay,
}

impl PayMethod {
    pub const ALL: [PayMethod; 4] = [
        PayMethod::Bank,
        PayMethod::Cash,
        PayMethod::Wechat,
        PayMethod::Alipay,
    ];

    /// The name on the command line and in the event log.
    pub fn code(self) -> &'static str {
        match self {
            PayMethod::Bank => "bank",
            PayMethod::Cash => "cash",
            PayMethod::Wechat => "wechat",
            PayMethod::Alipay => "alipay",
        }
    }

    pub fn from_code(code: &str) -> Option<PayMethod> {
        let code = code.trim().to_ascii_lowercase();
        PayMethod::ALL.into_iter().find(|m| m.code() == code)
    }

    /// How the shop writes it in a remark.
    pub fn chinese(self) -> &'static str {
        match self {
            PayMethod::Bank => "银行转账",
            PayMethod::Cash => "现金",
            PayMethod::Wechat => "微信转账",
            PayMethod::Alipay => "支付宝转账",
        }
    }
}

/// The remark a payment leaves on the order: `到款 银行转账 ¥128.00 工商银行尾号1234`.
pub fn payment_remark(method: PayMethod, amount_cents: i64, note: &str) -> String {
    let note = note.trim();
    let mut text = format!("到款 {} ¥{}", method.chinese(), format_cents(amount_cents));
    if !note.is_empty() {
        text.push(' ');
        text.push_str(note);
    }
    text
}

/// The next number of the manual series on `date` (`YYYYMMDD`), given the highest number
/// of that day so far: `M20261130` + a four-digit sequence from 0001 (more digits past
/// 9999).
pub fn next_order_no(date: &str, last_of_day: Option<&str>) -> String {
    let prefix = format!("M{date}");
    let seq = last_of_day
        .and_then(|no| no.strip_prefix(&prefix))
        .filter(|seq| !seq.is_empty() && seq.bytes().all(|b| b.is_ascii_digit()));
    let last = seq.and_then(|seq| seq.parse::<u64>().ok()).unwrap_or(0);
    // The last number's width is kept (`…002970` → `…002971`): a shorter next number would
    // sort before it, and the day's highest would be found again and again.
    let width = seq.map_or(4, str::len).max(4);
    format!("{prefix}{:0width$}", last + 1)
}

/// One cart line as written on the command line: the product (code or barcode), how
/// many, and the unit price when it is not the product's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartLine {
    pub code: String,
    pub quantity: i64,
    pub unit_price_cents: Option<i64>,
}

/// Why a line cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineProblem {
    /// Not `CODE=QTY[@PRICE]`.
    Shape,
    /// The quantity is not a whole number from 1 to [`MAX_QUANTITY`].
    Quantity(String),
    /// The price is not an amount like `12` or `12.50`, at least 0.
    Price(String),
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineProblem::Shape => f.write_str("expected CODE=QTY or CODE=QTY@PRICE"),
            LineProblem::Quantity(q) => write!(
                f,
                "quantity {q:?}: expected a whole number from 1 to {MAX_QUANTITY}"
            ),
            LineProblem::Price(p) => {
                write!(f, "price {p:?}: expected an amount such as 12 or 12.50")
            }
        }
    }
}

/// Reads a quantity from 1 to [`MAX_QUANTITY`].
pub fn parse_quantity(text: &str) -> Result<i64, LineProblem> {
    let t = text.trim();
    match t.parse::<i64>() {
        Ok(q) if (1..=MAX_QUANTITY).contains(&q) && t.bytes().all(|b| b.is_ascii_digit()) => Ok(q),
        _ => Err(LineProblem::Quantity(t.to_owned())),
    }
}

/// Reads a unit price (yuan, up to two decimals, not negative; a leading ¥ is allowed).
pub fn parse_price(text: &str) -> Result<i64, LineProblem> {
    let t = text.trim();
    let digits = t
        .strip_prefix('¥')
        .or_else(|| t.strip_prefix('￥'))
        .unwrap_or(t);
    match parse_cents(digits) {
        Some(c) if c >= 0 => Ok(c),
        _ => Err(LineProblem::Price(t.to_owned())),
    }
}

/// Reads `CODE=QTY` or `CODE=QTY@PRICE`.
pub fn parse_line(text: &str) -> Result<CartLine, LineProblem> {
    let (code, rest) = text.split_once('=').ok_or(LineProblem::Shape)?;
    let code = code.trim();
    if code.is_empty() {
        return Err(LineProblem::Shape);
    }
    let (quantity, price) = match rest.split_once('@') {
        Some((q, p)) => (q, Some(p)),
        None => (rest, None),
    };
    Ok(CartLine {
        code: code.to_owned(),
        quantity: parse_quantity(quantity)?,
        unit_price_cents: price.map(parse_price).transpose()?,
    })
}

/// The digits of a phone number, the key of a manual order's buyer (`138-0013-8000` and
/// `13800138000` are one buyer).
pub fn phone_key(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_numbers_count_up_per_day() {
        let cases = [
            ("20261130", None, "M202611300001"),
            ("20261130", Some("M202611300001"), "M202611300002"),
            ("20261130", Some("M202611309999"), "M2026113010000"),
            // Another day's last number does not continue.
            ("20261201", Some("M202611300007"), "M202612010001"),
            ("20261130", Some("garbage"), "M202611300001"),
            // A wider number (the demo's six digits) keeps its width.
            ("20261130", Some("M20261130002970"), "M20261130002971"),
            ("20261130", Some("M20261130009999"), "M20261130010000"),
            ("20261130", Some("M20261130x12"), "M202611300001"),
        ];
        for (date, last, expected) in cases {
            assert_eq!(next_order_no(date, last), expected, "{date} {last:?}");
        }
    }

    #[test]
    fn cart_lines_read_code_quantity_and_price() {
        let ok = |code: &str, q: i64, p: Option<i64>| {
            Ok(CartLine {
                code: code.to_owned(),
                quantity: q,
                unit_price_cents: p,
            })
        };
        let cases: Vec<(&str, Result<CartLine, LineProblem>)> = vec![
            ("CUP=2", ok("CUP", 2, None)),
            (" CUP = 2 ", ok("CUP", 2, None)),
            ("CUP=2@12.50", ok("CUP", 2, Some(1250))),
            ("6901234567892=1@¥8", ok("6901234567892", 1, Some(800))),
            ("CUP=1@0", ok("CUP", 1, Some(0))),
            ("CUP", Err(LineProblem::Shape)),
            ("=2", Err(LineProblem::Shape)),
            ("CUP=0", Err(LineProblem::Quantity("0".into()))),
            ("CUP=-1", Err(LineProblem::Quantity("-1".into()))),
            ("CUP=1.5", Err(LineProblem::Quantity("1.5".into()))),
            ("CUP=100000", Err(LineProblem::Quantity("100000".into()))),
            ("CUP=2@abc", Err(LineProblem::Price("abc".into()))),
            ("CUP=2@-3", Err(LineProblem::Price("-3".into()))),
            ("CUP=2@1.234", Err(LineProblem::Price("1.234".into()))),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_line(text), expected, "{text:?}");
        }
    }

    #[test]
    fn payments_read_their_method_and_leave_a_remark() {
        for method in PayMethod::ALL {
            assert_eq!(PayMethod::from_code(method.code()), Some(method));
        }
        assert_eq!(PayMethod::from_code(" Bank "), Some(PayMethod::Bank));
        assert_eq!(PayMethod::from_code("card"), None);
        assert_eq!(
            payment_remark(PayMethod::Bank, 12800, " 工商银行尾号1234 "),
            "到款 银行转账 ¥128.00 工商银行尾号1234"
        );
        assert_eq!(payment_remark(PayMethod::Cash, 500, ""), "到款 现金 ¥5.00");
    }

    #[test]
    fn a_phone_key_keeps_the_digits() {
        assert_eq!(phone_key("138-0013 8000"), "13800138000");
        assert_eq!(phone_key("0571-88886666"), "057188886666");
        assert_eq!(phone_key(""), "");
    }
}
