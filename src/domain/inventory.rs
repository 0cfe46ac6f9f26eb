//! Inventory rules: adjustment reasons, natural bin order and ranges, stock count
//! differences, purchase receipts and the spreadsheet-safe export cell. Pure: the store
//! applies them inside its transactions.

use std::cmp::Ordering;

/// Declares a status stored as text (the database's CHECK constraint lists the same codes),
/// with its codes, parsing and display as the code.
macro_rules! status {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            #[default]
            $($variant),*
        }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant),*];

            /// The code stored in the database and printed by the command line.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),*
                }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|s| s.code() == code)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.code())
            }
        }
    };
}

status! {
    /// Where a purchase from a supplier stands.
    PurchaseStatus {
        Open => "open",
        Received => "received",
        Cancelled => "cancelled",
    }
}

status! {
    /// Where a stock count (盘点) stands.
    CountStatus {
        Open => "open",
        Posted => "posted",
        Cancelled => "cancelled",
    }
}

/// Why a manual adjustment was made. Stored in the movement's note (the ledger's reason is
/// `adjustment`), so the 001 reason list stays as it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AdjustReason {
    Damaged,
    Lost,
    Found,
    Sample,
}

impl AdjustReason {
    pub const ALL: [AdjustReason; 4] = [
        AdjustReason::Damaged,
        AdjustReason::Lost,
        AdjustReason::Found,
        AdjustReason::Sample,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AdjustReason::Damaged => "damaged",
            AdjustReason::Lost => "lost",
            AdjustReason::Found => "found",
            AdjustReason::Sample => "sample",
        }
    }

    pub fn from_code(code: &str) -> Option<AdjustReason> {
        let code = code.trim().to_ascii_lowercase();
        AdjustReason::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether a quantity of this sign makes sense for the reason: damaged, lost and
    /// samples take stock out, found puts it back.
    pub fn accepts(self, quantity: i64) -> bool {
        match self {
            AdjustReason::Found => quantity > 0,
            AdjustReason::Damaged | AdjustReason::Lost | AdjustReason::Sample => quantity < 0,
        }
    }
}

/// Compares bin locations the way a person walks the shelves: digit runs by value, so
/// `A-2` comes before `A-10`; letters case-insensitively.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.trim(), b.trim());
    loop {
        match (a.chars().next(), b.chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let end_a = a.find(|c: char| !c.is_ascii_digit()).unwrap_or(a.len());
                let end_b = b.find(|c: char| !c.is_ascii_digit()).unwrap_or(b.len());
                let (da, db) = (
                    a[..end_a].trim_start_matches('0'),
                    b[..end_b].trim_start_matches('0'),
                );
                let by_value = da.len().cmp(&db.len()).then_with(|| da.cmp(db));
                if by_value != Ordering::Equal {
                    return by_value;
                }
                a = &a[end_a..];
                b = &b[end_b..];
            }
            (Some(x), Some(y)) => {
                let by_char = x.to_lowercase().cmp(y.to_lowercase());
                if by_char != Ordering::Equal {
                    return by_char;
                }
                a = &a[x.len_utf8()..];
                b = &b[y.len_utf8()..];
            }
        }
    }
}

/// Whether a bin lies in the inclusive range `from ..= to` in natural order. An empty
/// bound is open; a product without a bin is only in a range with no bounds at all.
pub fn in_bin_range(bin: &str, from: &str, to: &str) -> bool {
    let (from, to) = (from.trim(), to.trim());
    if from.is_empty() && to.is_empty() {
        return true;
    }
    let bin = bin.trim();
    if bin.is_empty() {
        return false;
    }
    (from.is_empty() || natural_cmp(bin, from) != Ordering::Less)
        && (to.is_empty() || natural_cmp(bin, to) != Ordering::Greater)
}

/// One product of a stock count as the review shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountDifference {
    /// Counted minus on hand: the adjustment the count posts.
    pub difference: i64,
    /// The difference at cost, in cents.
    pub value_cents: i64,
}

/// The difference of one counted line: `counted` against `on_hand` at cost. An uncounted
/// line (`None`) posts nothing.
pub fn count_difference(
    on_hand: i64,
    counted: Option<i64>,
    unit_cost_cents: i64,
) -> Option<CountDifference> {
    let counted = counted?;
    let difference = counted - on_hand;
    Some(CountDifference {
        difference,
        value_cents: difference.saturating_mul(unit_cost_cents),
    })
}

/// What a scan does to a counted quantity: each scan of a barcode adds one; typing a
/// number sets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountEntry {
    Add(i64),
    Set(i64),
}

impl CountEntry {
    /// The counted quantity after this entry (a first scan starts from zero).
    pub fn apply(self, counted: Option<i64>) -> Result<i64, String> {
        let next = match self {
            CountEntry::Add(n) => counted.unwrap_or(0).saturating_add(n),
            CountEntry::Set(n) => n,
        };
        if next < 0 {
            return Err(format!("a counted quantity cannot be negative ({next})"));
        }
        Ok(next)
    }
}

/// Parses what the scan field received: `CODE` (add one), `CODE*5` / `CODE x5` (add
/// five), `CODE=5` (set to five).
pub fn parse_scan(text: &str) -> Option<(String, CountEntry)> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let number = |s: &str| s.trim().parse::<i64>().ok();
    if let Some((code, n)) = text.rsplit_once('=') {
        return Some((code.trim().to_owned(), CountEntry::Set(number(n)?)))
            .filter(|(c, _)| !c.is_empty());
    }
    for sep in ['*', '×'] {
        if let Some((code, n)) = text.rsplit_once(sep) {
            return Some((code.trim().to_owned(), CountEntry::Add(number(n)?)))
                .filter(|(c, _)| !c.is_empty());
        }
    }
    Some((text.to_owned(), CountEntry::Add(1)))
}

/// Checks a receipt of `quantity` against a purchase line's ordered and received
/// quantities; returns what remains open after it.
pub fn receive_quantity(ordered: i64, received: i64, quantity: i64) -> Result<i64, String> {
    if quantity <= 0 {
        return Err(format!("a receipt must be at least 1, not {quantity}"));
    }
    let open = ordered - received;
    if quantity > open {
        return Err(format!(
            "only {open} of {ordered} still expected; cannot receive {quantity}"
        ));
    }
    Ok(open - quantity)
}

/// Low stock (highlighted): an active single product whose sellable stock is at or below
/// its reorder point.
pub fn is_low_stock(sellable: i64, reorder_point: i64, is_bundle: bool, active: bool) -> bool {
    active && !is_bundle && sellable <= reorder_point
}

/// Makes a cell safe to open in a spreadsheet: a cell that starts with `=`, `+`, `-`, `@`
/// (or a tab or carriage return) would run as a formula, so it gets a leading apostrophe,
/// which spreadsheets show as text and the product import strips again.
pub fn neutralise_cell(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// Undoes [`neutralise_cell`] on import: an apostrophe before a formula character is
/// dropped, so an exported file imports back exactly.
pub fn unneutralise_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_of_bins() {
        let cases = [
            ("A-2", "A-10", Ordering::Less),
            ("A-10", "A-9", Ordering::Greater),
            ("a-01", "A-1", Ordering::Equal),
            ("B-1", "A-99", Ordering::Greater),
            ("A", "A-1", Ordering::Less),
            ("货架2", "货架10", Ordering::Less),
            ("", "A", Ordering::Less),
        ];
        for (a, b, expected) in cases {
            assert_eq!(natural_cmp(a, b), expected, "{a} vs {b}");
        }
    }

    #[test]
    fn bin_ranges() {
        // (bin, from, to) → inside
        let cases = [
            ("A-5", "A-1", "A-10", true),
            ("A-10", "A-1", "A-9", false),
            ("A-1", "A-1", "A-1", true),
            ("B-1", "A-1", "", true),
            ("A-1", "", "A-3", true),
            ("", "", "", true),
            ("", "A-1", "", false),
            ("C-1", "A", "B-99", false),
        ];
        for (bin, from, to, expected) in cases {
            assert_eq!(
                in_bin_range(bin, from, to),
                expected,
                "{bin} in {from}..={to}"
            );
        }
    }

    #[test]
    fn count_differences() {
        // (on hand, counted, unit cost) → (difference, value)
        let cases = [
            (10, Some(10), 500, Some((0, 0))),
            (10, Some(7), 500, Some((-3, -1500))),
            (0, Some(4), 125, Some((4, 500))),
            (-2, Some(0), 100, Some((2, 200))),
            (5, None, 100, None),
        ];
        for (on_hand, counted, cost, expected) in cases {
            let got =
                count_difference(on_hand, counted, cost).map(|d| (d.difference, d.value_cents));
            assert_eq!(got, expected, "{on_hand} {counted:?} {cost}");
        }
    }

    #[test]
    fn scans() {
        let cases: &[(&str, Option<(&str, CountEntry)>)] = &[
            ("6901234", Some(("6901234", CountEntry::Add(1)))),
            (" CUP-1 \n", Some(("CUP-1", CountEntry::Add(1)))),
            ("CUP*5", Some(("CUP", CountEntry::Add(5)))),
            ("CUP=12", Some(("CUP", CountEntry::Set(12)))),
            ("CUP=x", None),
            ("=3", None),
            ("", None),
        ];
        for (text, expected) in cases {
            let expected = expected.map(|(c, e)| (c.to_owned(), e));
            assert_eq!(parse_scan(text), expected, "{text:?}");
        }
        assert_eq!(CountEntry::Add(1).apply(None), Ok(1));
        assert_eq!(CountEntry::Add(1).apply(Some(4)), Ok(5));
        assert_eq!(CountEntry::Set(0).apply(Some(4)), Ok(0));
        assert!(CountEntry::Add(-2).apply(Some(1)).is_err());
    }

    #[test]
    fn receipts() {
        assert_eq!(receive_quantity(10, 0, 4), Ok(6));
        assert_eq!(receive_quantity(10, 6, 4), Ok(0));
        assert!(receive_quantity(10, 6, 5).is_err());
        assert!(receive_quantity(10, 0, 0).is_err());
    }

    #[test]
    fn export_cells_are_neutralised() {
        let cases = [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-3", "'-3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("CUP-1", "CUP-1"),
            ("茶杯", "茶杯"),
            ("", ""),
        ];
        for (cell, expected) in cases {
            assert_eq!(neutralise_cell(cell), expected, "{cell:?}");
            assert_eq!(unneutralise_cell(&neutralise_cell(cell)), cell, "{cell:?}");
        }
        assert_eq!(unneutralise_cell("'13812345678"), "'13812345678");
    }

    #[test]
    fn low_stock() {
        // (sellable, reorder point, bundle, active) → low
        let cases = [
            (5, 5, false, true, true),
            (6, 5, false, true, false),
            (0, 0, false, true, true),
            (-1, 0, false, true, true),
            (0, 5, true, true, false),
            (0, 5, false, false, false),
        ];
        for (sellable, reorder, bundle, active, expected) in cases {
            assert_eq!(is_low_stock(sellable, reorder, bundle, active), expected);
        }
    }

    #[test]
    fn adjust_reasons() {
        for r in AdjustReason::ALL {
            assert_eq!(AdjustReason::from_code(r.code()), Some(r));
        }
        assert!(AdjustReason::Found.accepts(2));
        assert!(!AdjustReason::Found.accepts(-2));
        assert!(AdjustReason::Damaged.accepts(-1));
        assert!(!AdjustReason::Lost.accepts(1));
        assert_eq!(AdjustReason::from_code("bogus"), None);
    }
}
